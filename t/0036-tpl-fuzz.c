/* 0036-tpl-fuzz: a million random templates and values from a fixed seed: no crash (ASan in build/asan), output never over the bound and whole UTF-8, the same seed the same message, and parsing and rendering work bounded by their input and output (steps counted, not time). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "tap.h"

#define ROUNDS	1000000

/* Pieces templates and values are made of: the grammar's and hostile. */
static const char *const pieces[] = {
	"{", "}", "|", "\\", "\"", "{{", "}}", "{{name}}", "{{first_name}}",
	"{{phone}}", "{{custom.city}}", "{{custom.vip|\"no\"}}",
	"{{name|\"Customer\"}}", "{{ name | \"a\\\"b\" }}", "{{nick}}", "{a|b}",
	"{Hi|Hello|{Good morning|Good day}}", "{|x}", "\\{", "\\}", "\\|",
	"\\\\", "Hi ", "a", "Z", " ", "\n", "\t", "\xc3\xa9", "\xe2\x82\xac",
	"\xf0\x9f\x8c\xb4", "<script>", "&amp;", "'; DROP TABLE t;--", "{{{",
	"}}}", "{{custom.", "custom.city", "\"", "\xc3", "\x80", "\xff",
};
#define NPIECES	(sizeof(pieces) / sizeof(pieces[0]))

static uint64_t rng = 0x5eed2026;

/* xorshift64*: the test's fixed sequence. */
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* Up to k random pieces into b. */
static void
gen(struct buf *b, size_t k)
{
	size_t	 i, n = rnd() % (k + 1);

	buf_reset(b);
	buf_append(b, "", 0);
	for (i = 0; i < n; i++)
		buf_puts(b, pieces[rnd() % NPIECES]);
}

/* Code points of s[0..n) (lead bytes). */
static size_t
chars(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Counts of what went wrong; each must stay 0. */
struct fails {
	long	 over, utf8, count, psteps, rsteps, seed, noerr;
	long	 parsed, refused, cut;
};

/* One round: a template, values, a bound; render twice now and then. */
static void
round1(struct fails *f, struct buf *tpl, struct buf *nm, struct buf *out,
    struct json_object *fields, long i)
{
	static const char *const keys[] = { "city", "vip" };
	struct aud_tpl	 t;
	struct aud_tpl_vals v;
	struct aud_tpl_out o;
	size_t		 max = rnd() % 200, len;
	uint64_t	 seed = rnd();
	char		*again;

	gen(tpl, 24);
	gen(nm, 6);
	if (aud_tpl_parse(&t, tpl->data, tpl->len, i % 2 ? keys : NULL,
	    2) == -1) {
		f->refused++;
		f->noerr += t.err.why == NULL || t.err.off > tpl->len;
		aud_tpl_free(&t);
		return;
	}
	f->parsed++;
	f->psteps += t.steps > 2 * tpl->len + 1;
	v.name = nm->data;
	v.phone = i % 3 ? "+6281234567890" : NULL;
	v.fields = i % 5 ? fields : NULL;
	v.vars = i % 7 == 0 ? fields : NULL;
	buf_reset(out);
	aud_tpl_render(&t, &v, seed, max, out, &o);
	f->cut += o.cut;
	f->over += chars(out->data, out->len) > max;
	f->count += chars(out->data, out->len) != o.chars;
	f->utf8 += utf8_valid(nm->data, nm->len) &&
	    utf8_valid(tpl->data, tpl->len) && !utf8_valid(out->data, out->len);
	f->rsteps += o.steps > t.nops + out->len;
	if (i % 64 == 0) {
		again = xstrdup(out->data);
		len = out->len;
		buf_reset(out);
		aud_tpl_render(&t, &v, seed, max, out, &o);
		f->seed += out->len != len || memcmp(out->data, again, len) != 0;
		free(again);
	}
	aud_tpl_free(&t);
}

int
main(void)
{
	struct buf	 tpl = BUF_INIT, nm = BUF_INIT, out = BUF_INIT;
	struct json_object *fields;
	struct fails	 f;
	long		 i;

	memset(&f, 0, sizeof(f));
	fields = json_tokener_parse("{\"city\":\"{{name}} {a|b} \\\\ }}\","
	    "\"vip\":true}");
	for (i = 0; i < ROUNDS; i++)
		round1(&f, &tpl, &nm, &out, fields, i);
	diag("%ld parsed, %ld refused, %ld cut by their bound", f.parsed,
	    f.refused, f.cut);
	ok(f.parsed > ROUNDS / 10 && f.refused > ROUNDS / 10,
	    "both valid and invalid templates were made");
	is_int(f.noerr, 0, "every refusal says why and where");
	is_int(f.over, 0, "no output over its bound");
	is_int(f.count, 0, "the counted characters are the output's");
	is_int(f.utf8, 0, "valid UTF-8 in, valid UTF-8 out (cuts whole)");
	is_int(f.psteps, 0, "parsing: at most 2 steps a byte");
	is_int(f.rsteps, 0, "rendering: at most an op and a byte of output "
	    "each step");
	is_int(f.seed, 0, "the same seed, the same message");
	json_object_put(fields);
	buf_free(&tpl);
	buf_free(&nm);
	buf_free(&out);
	return done_testing();
}
