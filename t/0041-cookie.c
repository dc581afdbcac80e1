/* 0041-cookie.c: cookie_parse: normal, malformed and hostile headers. */
#include <string.h>

#include "core/buf.h"
#include "web/param.h"
#include "tap.h"

#define MAXWANT	4

struct ccase {
	const char	*desc;
	const char	*in;		/* NULL: no header */
	int		 status;	/* 0: must parse */
	const char	*want[2 * MAXWANT + 1];	/* name, value, ..., NULL */
};

/* Small limits so every boundary is cheap to reach. */
static const struct parse_limits small = {
	.max_params = 2, .max_name = 4, .max_value = 5,
	.max_file = 0, .max_total = 24, .max_depth = 4,
};

static const struct ccase cases[] = {
	{ "two cookies", "a=b; c=d", 0, { "a", "b", "c", "d" } },
	{ "no space", "a=b;c=d", 0, { "a", "b", "c", "d" } },
	{ "spaces and tabs trimmed", " \ta = b \t;  c=d ", 0,
	  { "a", "b", "c", "d" } },
	{ "inner space kept", "a=b c", 0, { "a", "b c" } },
	{ "quoted value", "sid=\"xyz\"", 0, { "sid", "xyz" } },
	{ "quoted empty", "q=\"\"", 0, { "q", "" } },
	{ "lone quote kept", "q=\"", 0, { "q", "\"" } },
	{ "unbalanced quote kept", "q=\"ab", 0, { "q", "\"ab" } },
	{ "empty value", "a=", 0, { "a", "" } },
	{ "equals in value", "a=b=c", 0, { "a", "b=c" } },
	{ "no percent decoding", "a=%41+b", 0, { "a", "%41+b" } },
	{ "first duplicate wins", "a=1; a=2; b=3", 0, { "a", "1", "b", "3" } },
	{ "no equals skipped", "junk; a=1", 0, { "a", "1" } },
	{ "empty name skipped", "=x; a=1", 0, { "a", "1" } },
	{ "blank name skipped", "  =x; a=1", 0, { "a", "1" } },
	{ "empty pieces skipped", ";; a=1;;", 0, { "a", "1" } },
	{ "invalid value skipped", "bad=\xff; ok=1", 0, { "ok", "1" } },
	{ "overlong name skipped", "\xc0\xaf=1; ok=1", 0, { "ok", "1" } },
	{ "surrogate skipped", "s=\xed\xa0\x80; ok=1", 0, { "ok", "1" } },
	{ "truncated UTF-8 skipped", "s=\xe2\x82; ok=1", 0, { "ok", "1" } },
	{ "UTF-8 kept", "n=\xc3\xa9", 0, { "n", "\xc3\xa9" } },
	{ "HTML kept", "x=<script>alert(1)</script>", 0,
	  { "x", "<script>alert(1)</script>" } },
	{ "SQL kept", "y=' OR 1=1--", 0, { "y", "' OR 1=1--" } },
	{ "empty header", "", 0, { NULL } },
	{ "blank header", "   ", 0, { NULL } },
	{ "no header", NULL, 0, { NULL } },
	{ "only garbage", "x;y;;z", 0, { NULL } },
};

static const struct ccase smallcases[] = {
	{ "max_name exactly", "abcd=1", 0, { "abcd", "1" } },
	{ "max_name + 1 skipped", "abcde=1; b=2", 0, { "b", "2" } },
	{ "max_value exactly", "a=12345", 0, { "a", "12345" } },
	{ "max_value + 1 skipped", "a=123456; b=2", 0, { "b", "2" } },
	{ "quotes not counted", "a=\"12345\"", 0, { "a", "12345" } },
	{ "max_params: rest ignored", "a=1; b=2; c=3", 0,
	  { "a", "1", "b", "2" } },
	{ "duplicates do not count", "a=1; a=2; b=3", 0,
	  { "a", "1", "b", "3" } },
	{ "max_total exactly", "a=1;                    ", 0, { "a", "1" } },
	{ "max_total + 1", "a=1;                     ", 400, { NULL } },
};

/* Check one parse result against its case. */
static void
check(const struct ccase *c, const struct parse_limits *lim)
{
	struct params	 p = PARAMS_INIT;
	size_t		 i, want = 0;
	int		 rc;

	while (c->want[2 * want] != NULL)
		want++;
	rc = cookie_parse(&p, c->in, lim);
	if (c->status != 0) {
		is_int(rc, -1, "%s: fails", c->desc);
		is_int(p.status, c->status, "%s: status", c->desc);
		ok(p.n == 0 && p.v == NULL, "%s: list empty", c->desc);
		ok(strstr(p.errmsg, "max_total") != NULL, "%s: errmsg names "
		    "max_total (%s)", c->desc, p.errmsg);
		return;
	}
	is_int(rc, 0, "%s: parses", c->desc);
	is_int(p.n, want, "%s: %zu cookies", c->desc, want);
	for (i = 0; i < want && i < p.n; i++) {
		is_str(p.v[i].name, c->want[2 * i], "%s: name %zu", c->desc, i);
		is_str(p.v[i].value, c->want[2 * i + 1], "%s: value %zu",
		    c->desc, i);
		is_int(p.v[i].valsz, strlen(c->want[2 * i + 1]),
		    "%s: valsz %zu", c->desc, i);
	}
	params_free(&p);
}

/* 10k cookies: the first max_params are kept, the request goes on. */
static void
many(void)
{
	struct params	 p = PARAMS_INIT;
	struct buf	 b = BUF_INIT;
	size_t		 i, max = parse_limits_default.max_params;
	char		 last[32];

	for (i = 0; i < 10000; i++)
		buf_printf(&b, "%sc%zu=%zu", i ? "; " : "", i, i);
	is_int(cookie_parse(&p, b.data, NULL), 0, "10k cookies parse");
	is_int(p.n, max, "first %zu kept", max);
	snprintf(last, sizeof(last), "c%zu", max - 1);
	ok(params_get(&p, last) != NULL, "cookie %zu kept", max - 1);
	snprintf(last, sizeof(last), "c%zu", max);
	ok(params_get(&p, last) == NULL, "cookie %zu dropped", max);
	buf_free(&b);
	params_free(&p);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], NULL);
	for (i = 0; i < sizeof(smallcases) / sizeof(smallcases[0]); i++)
		check(&smallcases[i], &small);
	many();
	return done_testing();
}
