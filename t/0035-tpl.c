/* 0035-tpl: the message template grammar case by case: variables, fallbacks, choices, escapes, errors and unknown variables with their positions, hostile values and the output bound. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "tap.h"

#define BIG	70000	/* bound the cases do not reach */

/* A rendering case: template, the recipient, the seed and bound. */
struct rcase {
	const char	*tpl;
	const char	*name;
	const char	*phone;
	const char	*fields;	/* JSON object, or NULL */
	size_t		 max;		/* 0: BIG */
	const char	*want;
	int		 rc;
	size_t		 missing;
};

static const char *const keys[] = { "city", "plan", "vip", "score",
    "joined", "empty", "html", "braces" };

static const char flds[] = "{\"city\":\"Bandung\",\"plan\":\"Gold\","
    "\"vip\":true,\"score\":4.5,\"joined\":\"2026-01-31\",\"empty\":\"\","
    "\"html\":\"<b>&amp;</b><script>x</script>\","
    "\"braces\":\"{{name}} {a|b} \\\\{ }}\"}";

static const struct rcase rcases[] = {
	/* plain text and every variable */
	{ "Hello", NULL, NULL, NULL, 0, "Hello", 0, 0 },
	{ "", NULL, NULL, NULL, 0, "", 0, 0 },
	{ "Hi {{name}}!", "Siti Rahma", NULL, NULL, 0, "Hi Siti Rahma!", 0, 0 },
	{ "Hi {{first_name}}!", "Siti Rahma", NULL, NULL, 0, "Hi Siti!", 0, 0 },
	{ "Hi {{first_name}}!", "  Budi  ", NULL, NULL, 0, "Hi Budi!", 0, 0 },
	{ "{{phone}}", NULL, "+6281234567890", NULL, 0, "+6281234567890", 0,
	  0 },
	{ "{{ name }} {{\tphone }}", "A", "+62", NULL, 0, "A +62", 0, 0 },
	{ "{{custom.city}}/{{custom.plan}}", NULL, NULL, flds, 0,
	  "Bandung/Gold", 0, 0 },
	{ "{{custom.vip}} {{custom.score}} {{custom.joined}}", NULL, NULL,
	  flds, 0, "true 4.5 2026-01-31", 0, 0 },
	/* missing values: empty, counted; fallbacks */
	{ "Hi {{name}}.", NULL, NULL, NULL, 0, "Hi .", 0, 1 },
	{ "Hi {{name}}.", "", NULL, NULL, 0, "Hi .", 0, 1 },
	{ "Hi {{first_name}}.", "   ", NULL, NULL, 0, "Hi .", 0, 1 },
	{ "Hi {{name|\"Customer\"}}.", NULL, NULL, NULL, 0, "Hi Customer.", 0,
	  0 },
	{ "Hi {{name | \"Customer\" }}.", "Ana", NULL, NULL, 0, "Hi Ana.", 0,
	  0 },
	{ "{{custom.empty|\"none\"}}", NULL, NULL, flds, 0, "none", 0, 0 },
	{ "{{custom.nothere|\"x\"}}", NULL, NULL, flds, 0, "x", 0, 0 },
	{ "{{custom.city}}", NULL, NULL, NULL, 0, "", 0, 1 },
	{ "[{{name|\"\"}}]", NULL, NULL, NULL, 0, "[]", 0, 0 },
	{ "{{name|\"say \\\"hi\\\" \\\\ {x|y} }}\"}}", NULL, NULL, NULL, 0,
	  "say \"hi\" \\ {x|y} }}", 0, 0 },
	{ "{{nick|\"friend\"}}", "Ana", NULL, NULL, 0, "friend", 0, 0 },
	{ "{{nick}}!", "Ana", NULL, NULL, 0, "!", 0, 1 },
	/* escapes and literal characters */
	{ "\\{not a choice\\} a\\|b \\\\ C:\\path", NULL, NULL, NULL, 0,
	  "{not a choice} a|b \\ C:\\path", 0, 0 },
	{ "a | b || c", NULL, NULL, NULL, 0, "a | b || c", 0, 0 },
	{ "trailing \\", NULL, NULL, NULL, 0, "trailing \\", 0, 0 },
	{ "\\{{{name}}", "Ana", NULL, NULL, 0, "{Ana", 0, 0 },
	{ "\\{{name}}", "Ana", NULL, NULL, 0, NULL, 0, 0 },
	{ "{a\\|b}", NULL, NULL, NULL, 0, NULL, 0, 0 },
	/* hostile values: verbatim, never parsed again */
	{ "{{custom.html}}", NULL, NULL, flds, 0,
	  "<b>&amp;</b><script>x</script>", 0, 0 },
	{ "{{custom.braces}}", NULL, NULL, flds, 0, "{{name}} {a|b} \\{ }}", 0,
	  0 },
	{ "{{name}}", "{{phone}} {x|y} \\}", "+62", NULL, 0,
	  "{{phone}} {x|y} \\}", 0, 0 },
	{ "{{name}}", "'); DROP TABLE contacts;--", NULL, NULL, 0,
	  "'); DROP TABLE contacts;--", 0, 0 },
	/* UTF-8 kept whole and the bound counted in characters */
	{ "Halo {{name}} \xf0\x9f\x8c\xb4", "Dw\xc3\xad", NULL, NULL, 0,
	  "Halo Dw\xc3\xad \xf0\x9f\x8c\xb4", 0, 0 },
	{ "\xf0\x9f\x8c\xb4\xf0\x9f\x8c\xb4\xf0\x9f\x8c\xb4", NULL, NULL,
	  NULL, 2, "\xf0\x9f\x8c\xb4\xf0\x9f\x8c\xb4", -1, 0 },
	{ "ab{{name}}", "\xc3\xa9\xc3\xa9\xc3\xa9", NULL, NULL, 4,
	  "ab\xc3\xa9\xc3\xa9", -1, 0 },
	{ "abc", NULL, NULL, NULL, 3, "abc", 0, 0 },
	{ "abcd", NULL, NULL, NULL, 3, "abc", -1, 0 },
	{ "{{name}}xyz", "\xe2\x82\xac", NULL, NULL, 1, "\xe2\x82\xac", -1, 0 },
};

/* s for a test's name: line breaks and tabs as ~ (TAP is one line). */
static const char *
show(const char *s)
{
	static char	 b[4][128];
	static int	 k;
	size_t		 i;

	k = (k + 1) % 4;
	for (i = 0; s[i] != '\0' && i < sizeof(b[k]) - 1; i++)
		b[k][i] = (unsigned char)s[i] < 0x20 ? '~' : s[i];
	b[k][i] = '\0';
	return b[k];
}

/* Render c; compare. */
static void
check_render(const struct rcase *c)
{
	struct aud_tpl	 t;
	struct aud_tpl_vals v = { c->name, c->phone, NULL, NULL };
	struct aud_tpl_out o;
	struct buf	 out = BUF_INIT;
	int		 rc;

	if (aud_tpl_parse(&t, c->tpl, strlen(c->tpl), keys,
	    sizeof(keys) / sizeof(keys[0])) == -1) {
		ok(c->want == NULL, "'%s' is refused: %s", show(c->tpl), t.err.why);
		aud_tpl_free(&t);
		return;
	}
	if (!ok(c->want != NULL, "'%s' is parsed", show(c->tpl))) {
		aud_tpl_free(&t);
		return;
	}
	if (c->fields != NULL)
		v.fields = json_tokener_parse(c->fields);
	rc = aud_tpl_render(&t, &v, 1, c->max ? c->max : BIG, &out, &o);
	is_str(buf_str(&out), c->want, "'%s' renders", show(c->tpl));
	is_int(rc, c->rc, "'%s': its result", show(c->tpl));
	is_int(o.missing, c->missing, "'%s': missing variables", show(c->tpl));
	is_int(o.cut, c->rc == -1, "'%s': cut", show(c->tpl));
	json_object_put(v.fields);
	buf_free(&out);
	aud_tpl_free(&t);
}

/* A refused template: where and why. */
struct ecase {
	const char	*tpl;
	unsigned	 line, col;
	size_t		 off;
	const char	*word;
};

static const struct ecase ecases[] = {
	{ "Hi {{name", 1, 4, 3, "not closed by }}" },
	{ "Hi {{name}", 1, 4, 3, "not closed by }}" },
	{ "Hi {{}}", 1, 6, 5, "A variable is a name" },
	{ "Hi {{ }}", 1, 7, 6, "A variable is a name" },
	{ "Hi {{na-me}}", 1, 4, 3, "not closed by }}" },
	{ "Hi {{name|Customer}}", 1, 11, 10, "double quotes" },
	{ "Hi {{name|\"Customer}}", 1, 11, 10, "quote is not closed" },
	{ "Hi {{name|\"a\" x}}", 1, 4, 3, "not closed by }}" },
	{ "line\nTwo {a|b", 2, 5, 9, "A { is not closed" },
	{ "\xc3\xa9\xc3\xa9 {a}", 1, 4, 5, "two or more options" },
	{ "x {}", 1, 3, 2, "two or more options" },
	{ "a }", 1, 3, 2, "without its {" },
	{ "{a|b}}", 1, 6, 5, "without its {" },
	{ "{a|{b|{c|{d|e}}}}", 1, 10, 9, "nested too deeply" },
	{ "one\ntwo\n  {{x", 3, 3, 10, "not closed by }}" },
	{ "bad \xc3\x28", 1, 1, 0, "not valid UTF-8" },
	{ "nul\0x", 1, 1, 0, "not valid UTF-8" },
};

/* Parse c: it must fail there. */
static void
check_error(const struct ecase *c)
{
	struct aud_tpl	 t;
	size_t		 n = strlen(c->tpl);

	if (strcmp(c->tpl, "nul") == 0)
		n = 5;
	if (!ok(aud_tpl_parse(&t, c->tpl, n, keys, 8) == -1,
	    "'%s' is refused", show(c->tpl))) {
		aud_tpl_free(&t);
		return;
	}
	ok(t.err.why != NULL && strstr(t.err.why, c->word) != NULL,
	    "'%s': %s", show(c->tpl), t.err.why);
	is_int(t.err.line, c->line, "'%s': the line", show(c->tpl));
	is_int(t.err.col, c->col, "'%s': the column", show(c->tpl));
	is_int(t.err.off, c->off, "'%s': the offset", show(c->tpl));
	aud_tpl_free(&t);
}

/* Unknown variables: warnings with positions, and no error. */
static void
check_unknown(void)
{
	static const char s[] = "Hi {{nick}},\n {{custom.town}} {{Name}} "
	    "{{custom.city}} {{custom.Bad}} {x|{{y}}}";
	struct aud_tpl	 t;
	int		 i;

	is_int(aud_tpl_parse(&t, s, strlen(s), keys, 8), 0,
	    "unknown variables are not errors");
	is_int(t.nunknown, 5, "five unknown variables");
	is_int(t.warn[0].line, 1, "nick: line");
	is_int(t.warn[0].col, 6, "nick: column");
	is_int(t.warn[0].off, 5, "nick: offset");
	is_int(t.warn[0].len, 4, "nick: length");
	is_int(t.warn[1].line, 2, "custom.town: line");
	is_int(t.warn[1].col, 4, "custom.town: column");
	ok(strncmp(s + t.warn[2].off, "Name", t.warn[2].len) == 0,
	    "names are case-sensitive: {{Name}} is unknown");
	ok(strncmp(s + t.warn[3].off, "custom.Bad", t.warn[3].len) == 0,
	    "custom.Bad is no key");
	ok(strncmp(s + t.warn[4].off, "y", t.warn[4].len) == 0,
	    "a variable in a choice is checked too");
	aud_tpl_free(&t);
	is_int(aud_tpl_parse(&t, s, strlen(s), NULL, 0), 0, "without keys");
	is_int(t.nunknown, 4, "any well-formed custom key is taken");
	aud_tpl_free(&t);
	/* more than AUD_TPL_WARN_MAX: counted, the first ones kept */
	{
		struct buf b = BUF_INIT;

		for (i = 0; i < 40; i++)
			buf_puts(&b, "{{zz}}");
		is_int(aud_tpl_parse(&t, b.data, b.len, keys, 8), 0, "40 unknown");
		is_int(t.nunknown, 40, "all counted");
		is_int(t.nwarn, AUD_TPL_WARN_MAX, "the first ones kept");
		aud_tpl_free(&t);
		buf_free(&b);
	}
}

/* Render s for seed into a static string. */
static const char *
render_seed(const struct aud_tpl *t, uint64_t seed)
{
	static struct buf out;
	struct aud_tpl_out o;

	buf_reset(&out);
	aud_tpl_render(t, NULL, seed, BIG, &out, &o);
	return buf_str(&out);
}

/* Choices: deterministic from the seed, every option reached, nesting. */
static void
check_spin(void)
{
	static const char s[] = "{Hi|Hello|Good morning}!";
	static const char n[] = "{a|{b|c}|{d|{e|f}}}";
	struct aud_tpl	 t;
	int		 seen[3] = { 0 }, nseen[6] = { 0 }, same = 1, bad = 0;
	uint64_t	 seed;
	const char	*r;
	char		 first[32];

	is_int(aud_tpl_parse(&t, s, strlen(s), NULL, 0), 0, "a choice");
	for (seed = 0; seed < 3000; seed++) {
		r = render_seed(&t, seed);
		seen[0] += strcmp(r, "Hi!") == 0;
		seen[1] += strcmp(r, "Hello!") == 0;
		seen[2] += strcmp(r, "Good morning!") == 0;
	}
	is_int(seen[0] + seen[1] + seen[2], 3000, "always one of the options");
	ok(seen[0] > 800 && seen[1] > 800 && seen[2] > 800,
	    "each option about a third: %d %d %d", seen[0], seen[1], seen[2]);
	snprintf(first, sizeof(first), "%s", render_seed(&t, 42));
	for (seed = 0; seed < 10; seed++)
		same &= strcmp(render_seed(&t, 42), first) == 0;
	ok(same, "the same seed, the same message");
	aud_tpl_free(&t);
	is_int(aud_tpl_parse(&t, n, strlen(n), NULL, 0), 0, "nested choices");
	for (seed = 0; seed < 3000; seed++) {
		r = render_seed(&t, seed);
		if (strlen(r) == 1 && r[0] >= 'a' && r[0] <= 'f')
			nseen[r[0] - 'a']++;
		else
			bad++;
	}
	is_int(bad, 0, "nested: always one letter");
	ok(nseen[0] && nseen[1] && nseen[2] && nseen[3] && nseen[4] &&
	    nseen[5], "every nested option is reached");
	aud_tpl_free(&t);
	is_int(aud_tpl_parse(&t, "{|x}", 4, NULL, 0), 0, "an empty option");
	aud_tpl_free(&t);
	is_int(aud_tpl_parse(&t, "{{{name}}|you}", 14, NULL, 0), 0,
	    "{{{ opens a choice, then a variable");
	r = render_seed(&t, 1);
	ok(strcmp(r, "you") == 0 || strcmp(r, "") == 0, "renders '%s'", r);
	aud_tpl_free(&t);
}

/* The caller's variables: by whole name, over the contact's values. */
static void
check_vars(void)
{
	static const char s[] = "{{name}}|{{first_name}}|{{custom.city}}|"
	    "{{order}}|{{phone}}|{{nick|\"x\"}}";
	struct aud_tpl	 t;
	struct aud_tpl_vals v = { "Siti Rahma", "+62812", NULL, NULL };
	struct aud_tpl_out o;
	struct buf	 out = BUF_INIT;

	v.fields = json_tokener_parse("{\"city\": \"Bandung\"}");
	v.vars = json_tokener_parse("{\"first_name\": \"Bu Siti\", "
	    "\"custom.city\": \"{{phone}} <b>\", \"order\": 42, "
	    "\"nick\": \"\", \"phone\": null, \"name\": \"\"}");
	aud_tpl_parse(&t, s, strlen(s), NULL, 0);
	is_int(t.nunknown, 2, "order and nick are unknown to the grammar");
	aud_tpl_render(&t, &v, 1, BIG, &out, &o);
	is_str(buf_str(&out), "Siti Rahma|Bu Siti|{{phone}} <b>|42|+62812|x",
	    "variables win over the contact's values, verbatim; null or empty "
	    "ones do not");
	is_int(o.missing, 0, "none missing");
	aud_tpl_free(&t);
	json_object_put(v.fields);
	json_object_put(v.vars);
	buf_free(&out);
}

/* 64 KiB values, values full of braces, and the message bound. */
static void
check_big(void)
{
	struct aud_tpl	 t;
	struct aud_tpl_vals v = { NULL, NULL, NULL, NULL };
	struct aud_tpl_out o;
	struct buf	 out = BUF_INIT, big = BUF_INIT, tpl = BUF_INIT;
	size_t		 i;
	char		*name;

	for (i = 0; i < 65536 / 4; i++)
		buf_puts(&big, "{{x}");
	name = buf_steal(&big);
	v.name = name;
	aud_tpl_parse(&t, "<{{name}}>", 10, NULL, 0);
	is_int(aud_tpl_render(&t, &v, 7, 65538, &out, &o), 0,
	    "a 64 KiB value of braces fits 65538 characters");
	is_int(out.len, 65538, "copied whole");
	ok(memcmp(out.data + 1, name, 65536) == 0, "verbatim, never parsed");
	buf_reset(&out);
	is_int(aud_tpl_render(&t, &v, 7, 65536, &out, &o), -1,
	    "over the bound: cut");
	is_int(out.len, 65536, "at the bound exactly");
	is_int(o.chars, 65536, "65536 characters counted");
	aud_tpl_free(&t);
	free(name);
	/* a template of 65536 characters; one more is refused */
	for (i = 0; i < 65536; i++)
		buf_putc(&tpl, 'a');
	is_int(aud_tpl_parse(&t, tpl.data, tpl.len, NULL, 0), 0,
	    "a template of 65536 characters");
	aud_tpl_free(&t);
	buf_putc(&tpl, 'a');
	is_int(aud_tpl_parse(&t, tpl.data, tpl.len, NULL, 0), -1,
	    "65537 are refused");
	ok(strstr(t.err.why, "too long") != NULL, "%s", t.err.why);
	aud_tpl_free(&t);
	/* many variables: the bound holds */
	buf_reset(&tpl);
	for (i = 0; i < 8000; i++)
		buf_puts(&tpl, "{{name}}");
	v.name = "0123456789";
	aud_tpl_parse(&t, tpl.data, tpl.len, NULL, 0);
	buf_reset(&out);
	is_int(aud_tpl_render(&t, &v, 7, 65536, &out, &o), -1,
	    "8000 x 10 characters over 65536: cut");
	is_int(out.len, 65536, "the bound");
	aud_tpl_free(&t);
	buf_free(&tpl);
	buf_free(&out);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++)
		check_render(&rcases[i]);
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++)
		check_error(&ecases[i]);
	check_unknown();
	check_spin();
	check_vars();
	check_big();
	return done_testing();
}
