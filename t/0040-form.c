/* 0040-form.c: form_parse: normal, hostile and limit-boundary inputs. */
#include <string.h>

#include "core/buf.h"
#include "web/param.h"
#include "tap.h"

#define MAXWANT	4

struct fcase {
	const char	*desc;
	const char	*in;
	size_t		 n;		/* 0: strlen(in) */
	int		 status;	/* 0: must parse */
	const char	*errword;	/* must appear in errmsg */
	const char	*want[2 * MAXWANT + 1];	/* name, value, ..., NULL */
};

/* Small limits so every boundary is cheap to reach. */
static const struct parse_limits small = {
	.max_params = 3, .max_name = 4, .max_value = 5,
	.max_file = 0, .max_total = 32, .max_depth = 4,
};

static const struct fcase cases[] = {
	{ "two pairs", "a=1&b=2", 0, 0, NULL, { "a", "1", "b", "2" } },
	{ "plus is space", "q=hello+world", 0, 0, NULL,
	  { "q", "hello world" } },
	{ "plus in name", "a+b=1", 0, 0, NULL, { "a b", "1" } },
	{ "escapes, both cases", "q=%41%62c%4a%6A", 0, 0, NULL,
	  { "q", "AbcJj" } },
	{ "escaped plus", "x=%2B%2b", 0, 0, NULL, { "x", "++" } },
	{ "escaped name", "%41=1", 0, 0, NULL, { "A", "1" } },
	{ "no equals", "flag", 0, 0, NULL, { "flag", "" } },
	{ "empty value", "flag=", 0, 0, NULL, { "flag", "" } },
	{ "second equals is data", "a==b", 0, 0, NULL, { "a", "=b" } },
	{ "empty pieces skipped", "&a=1&&b=2&", 0, 0, NULL,
	  { "a", "1", "b", "2" } },
	{ "only ampersands", "&&&", 0, 0, NULL, { NULL } },
	{ "empty input", "", 0, 0, NULL, { NULL } },
	{ "semicolon is data", "a=1;b=2", 0, 0, NULL, { "a", "1;b=2" } },
	{ "UTF-8 escaped", "e=%E2%82%AC", 0, 0, NULL, { "e", "\xe2\x82\xac" } },
	{ "UTF-8 raw", "e=\xc3\xa9t\xc3\xa9", 0, 0, NULL,
	  { "e", "\xc3\xa9t\xc3\xa9" } },
	{ "4-byte UTF-8", "s=%F0%9F%98%80", 0, 0, NULL,
	  { "s", "\xf0\x9f\x98\x80" } },
	{ "CRLF escaped kept", "t=l1%0D%0Al2", 0, 0, NULL,
	  { "t", "l1\r\nl2" } },
	{ "CRLF raw kept", "t=l1\r\nl2", 0, 0, NULL, { "t", "l1\r\nl2" } },
	{ "SQL escaped kept", "q=%27%20OR%201%3D1--", 0, 0, NULL,
	  { "q", "' OR 1=1--" } },
	{ "SQL raw kept", "q=Robert');DROP TABLE students;--", 0, 0, NULL,
	  { "q", "Robert');DROP TABLE students;--" } },
	{ "HTML kept", "c=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 0, 0, NULL,
	  { "c", "<script>alert(1)</script>" } },
	{ "HTML raw kept", "c=<img src=x onerror=alert(1)>", 0, 0, NULL,
	  { "c", "<img src=x onerror=alert(1)>" } },
	{ "empty name", "=1", 0, 400, "empty name", { NULL } },
	{ "empty name later", "a=1&=2", 0, 400, "pair 2", { NULL } },
	{ "lone percent", "a=%", 0, 400, "escape", { NULL } },
	{ "short escape", "a=%4", 0, 400, "escape", { NULL } },
	{ "non-hex escape", "a=%zz", 0, 400, "escape", { NULL } },
	{ "half-hex escape", "a=%4g", 0, 400, "escape", { NULL } },
	{ "bad escape in name", "a%G1=1", 0, 400, "escape", { NULL } },
	{ "NUL escape in value", "a=%00", 0, 400, "UTF-8", { NULL } },
	{ "NUL escape in name", "a%00b=1", 0, 400, "UTF-8", { NULL } },
	{ "raw NUL", "a=1\0b", 5, 400, "UTF-8", { NULL } },
	{ "overlong slash", "a=%C0%AF", 0, 400, "UTF-8", { NULL } },
	{ "lone surrogate", "a=%ED%A0%80", 0, 400, "UTF-8", { NULL } },
	{ "truncated sequence", "a=%E2%82", 0, 400, "UTF-8", { NULL } },
	{ "truncated at end", "a=x%E2", 0, 400, "UTF-8", { NULL } },
	{ "above U+10FFFF", "a=%F4%90%80%80", 0, 400, "UTF-8", { NULL } },
	{ "raw invalid byte", "a=\xff", 0, 400, "UTF-8", { NULL } },
	{ "invalid name", "%FF=1", 0, 400, "UTF-8", { NULL } },
	{ "duplicate", "a=1&a=2", 0, 400, "duplicate", { NULL } },
	{ "duplicate without =", "a=1&b=2&a", 0, 400, "pair 3", { NULL } },
	{ "duplicate after decoding", "a+b=1&a%20b=2", 0, 400, "duplicate",
	  { NULL } },
};

/* Limit boundaries, parsed with the small limits above. */
static const struct fcase smallcases[] = {
	{ "max_params exactly", "a=1&b=2&c=3", 0, 0, NULL,
	  { "a", "1", "b", "2", "c", "3" } },
	{ "max_params + 1", "a=1&b=2&c=3&d=4", 0, 413, "max_params",
	  { NULL } },
	{ "max_name exactly", "abcd=1", 0, 0, NULL, { "abcd", "1" } },
	{ "max_name + 1", "abcde=1", 0, 413, "max_name", { NULL } },
	{ "max_name counts decoded", "%41%42%43%44=1", 0, 0, NULL,
	  { "ABCD", "1" } },
	{ "max_value exactly", "a=12345", 0, 0, NULL, { "a", "12345" } },
	{ "max_value + 1", "a=123456", 0, 413, "max_value", { NULL } },
	{ "max_value counts decoded", "a=%31%32%33%34%35", 0, 0, NULL,
	  { "a", "12345" } },
	{ "max_total exactly", "a=1&&&&&&&&&&&&&&&&&&&&&&&&&&&&&", 0, 0, NULL,
	  { "a", "1" } },
	{ "max_total + 1", "a=1&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&", 0, 413,
	  "max_total", { NULL } },
};

/* Return 1 if errmsg holds none of the 8-byte runs of the input. */
static int
noecho(const char *errmsg, const char *in, size_t n)
{
	size_t	 i;

	for (i = 0; i + 8 <= n; i++)
		if (memmem(errmsg, strlen(errmsg), in + i, 8) != NULL)
			return 0;
	return 1;
}

/* Check one parse result against its case. */
static void
check(const struct fcase *c, const struct parse_limits *lim)
{
	struct params	 p = PARAMS_INIT;
	size_t		 n = c->n ? c->n : strlen(c->in), i, want = 0;
	int		 rc;

	while (c->want[2 * want] != NULL)
		want++;
	rc = form_parse(&p, c->in, n, lim);
	if (c->status != 0) {
		is_int(rc, -1, "%s: fails", c->desc);
		is_int(p.status, c->status, "%s: status", c->desc);
		ok(p.n == 0 && p.v == NULL, "%s: list empty", c->desc);
		ok(c->errword == NULL || strstr(p.errmsg, c->errword),
		    "%s: errmsg says '%s' (%s)", c->desc, c->errword, p.errmsg);
		ok(noecho(p.errmsg, c->in, n), "%s: errmsg holds no input",
		    c->desc);
		return;
	}
	is_int(rc, 0, "%s: parses (%s)", c->desc, p.errmsg);
	is_int(p.n, want, "%s: %zu pairs", c->desc, want);
	for (i = 0; i < want && i < p.n; i++) {
		is_str(p.v[i].name, c->want[2 * i], "%s: name %zu", c->desc, i);
		is_str(p.v[i].value, c->want[2 * i + 1], "%s: value %zu",
		    c->desc, i);
		is_int(p.v[i].valsz, strlen(c->want[2 * i + 1]),
		    "%s: valsz %zu", c->desc, i);
		ok(p.v[i].filename == NULL && p.v[i].ctype == NULL,
		    "%s: no filename or ctype", c->desc);
	}
	params_free(&p);
}

/* Build count pairs "pN=v" joined by '&' into b. */
static void
manypairs(struct buf *b, size_t count)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < count; i++)
		buf_printf(b, "%sp%zu=v", i ? "&" : "", i);
}

/* The default limits at their exact boundaries, and 10k pairs. */
static void
defaults(void)
{
	struct params	 p = PARAMS_INIT;
	struct buf	 b = BUF_INIT;
	size_t		 max = parse_limits_default.max_params;

	manypairs(&b, max);
	is_int(form_parse(&p, b.data, b.len, NULL), 0, "%zu pairs pass", max);
	is_int(p.n, max, "all %zu kept", max);
	manypairs(&b, max + 1);
	is_int(form_parse(&p, b.data, b.len, NULL), -1, "%zu pairs fail",
	    max + 1);
	is_int(p.status, 413, "too many pairs: 413");
	manypairs(&b, 10000);
	is_int(form_parse(&p, b.data, b.len, NULL), -1, "10k pairs fail");
	is_int(p.status, 413, "10k pairs: 413");
	ok(strstr(p.errmsg, "max_params") != NULL, "10k pairs: names "
	    "max_params (%s)", p.errmsg);
	ok(noecho(p.errmsg, b.data, b.len), "10k pairs: no input echoed");
	buf_free(&b);
	params_free(&p);
}

/* Fill b with "name=" and a value of vlen 'x' bytes after a name of nlen. */
static void
onepair(struct buf *b, size_t nlen, size_t vlen)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < nlen; i++)
		buf_putc(b, 'n');
	buf_putc(b, '=');
	for (i = 0; i < vlen; i++)
		buf_putc(b, 'x');
}

/* max_name, max_value and max_total at their default sizes. */
static void
defaultsizes(void)
{
	const struct parse_limits	*d = &parse_limits_default;
	struct params			 p = PARAMS_INIT;
	struct buf			 b = BUF_INIT;

	onepair(&b, d->max_name, 1);
	is_int(form_parse(&p, b.data, b.len, NULL), 0, "name of max_name");
	onepair(&b, d->max_name + 1, 1);
	is_int(form_parse(&p, b.data, b.len, NULL), -1, "name over max_name");
	is_int(p.status, 413, "name over max_name: 413");
	onepair(&b, 1, d->max_value);
	is_int(form_parse(&p, b.data, b.len, NULL), 0, "value of max_value");
	is_int(p.n == 1 ? p.v[0].valsz : 0, d->max_value, "value kept whole");
	onepair(&b, 1, d->max_value + 1);
	is_int(form_parse(&p, b.data, b.len, NULL), -1, "value over "
	    "max_value");
	is_int(p.status, 413, "value over max_value: 413");
	buf_reset(&b);
	buf_puts(&b, "a=1");
	while (b.len < d->max_total)
		buf_putc(&b, '&');
	is_int(form_parse(&p, b.data, b.len, NULL), 0, "input of max_total");
	buf_putc(&b, '&');
	is_int(form_parse(&p, b.data, b.len, NULL), -1, "input over "
	    "max_total");
	is_int(p.status, 413, "input over max_total: 413");
	buf_free(&b);
	params_free(&p);
}

/* The list API: get, free twice, reuse, NULL input. */
static void
listapi(void)
{
	struct params	 p, z;

	memset(&z, 0, sizeof(z));
	params_free(&z);
	params_free(&z);
	ok(z.n == 0 && z.v == NULL, "params_free on a zeroed list");
	memset(&p, 0, sizeof(p));
	is_int(form_parse(&p, NULL, 0, NULL), 0, "NULL, 0 parses");
	is_int(p.n, 0, "NULL, 0: no pairs");
	is_int(form_parse(&p, "a=1&b=2", 7, NULL), 0, "parse");
	ok(params_get(&p, "b") == &p.v[1], "params_get finds b");
	ok(params_get(&p, "c") == NULL, "params_get: absent is NULL");
	ok(params_get(&p, "A") == NULL, "params_get is case-sensitive");
	is_int(form_parse(&p, "c=3", 3, NULL), 0, "reuse frees old pairs");
	ok(p.n == 1 && params_get(&p, "a") == NULL, "reuse: old pairs gone");
	is_int(form_parse(&p, "=", 1, NULL), -1, "failure after success");
	is_int(p.n, 0, "failure: no pairs");
	is_int(form_parse(&p, "d=4", 3, NULL), 0, "success after failure");
	ok(p.status == 0 && p.errmsg[0] == '\0', "success clears error");
	params_free(&p);
	params_free(&p);
	ok(p.n == 0 && p.v == NULL, "params_free twice");
}

/* form_unescape: percent-decoding for paths, where '+' stays '+'. */
static void
unescape(void)
{
	static const struct {
		const char	*in, *out;
		size_t		 len;
	} u[] = {
		{ "/a+b", "/a+b", 4 },
		{ "/a%20b", "/a b", 4 },
		{ "/%2F%2f", "///", 3 },
		{ "/%00x", "/\0x", 3 },
		{ "/%0d%0a", "/\r\n", 3 },
		{ "", "", 0 },
	};
	static const char *const bad[] = { "%", "/%2", "/%zz", "/%g0", "/a%" };
	size_t	 i, len;
	char	*s;

	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		s = form_unescape(u[i].in, strlen(u[i].in), &len);
		ok(s != NULL && len == u[i].len &&
		    memcmp(s, u[i].out, len) == 0,
		    "form_unescape \"%s\"", u[i].in);
		free(s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(form_unescape(bad[i], strlen(bad[i]), &len) == NULL,
		    "form_unescape refuses \"%s\"", bad[i]);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], NULL);
	for (i = 0; i < sizeof(smallcases) / sizeof(smallcases[0]); i++)
		check(&smallcases[i], &small);
	defaults();
	defaultsizes();
	listapi();
	unescape();
	return done_testing();
}
