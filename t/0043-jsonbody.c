/* 0043-jsonbody.c: jsonbody_parse: hostile JSON, depth and size limits. */
#include <string.h>

#include <json.h>

#include "core/buf.h"
#include "web/jsonbody.h"
#include "web/param.h"
#include "tap.h"

struct jcase {
	const char	*desc;
	const char	*in;
	size_t		 n;		/* 0: strlen(in) */
	int		 status;	/* 0: must parse */
	const char	*errword;	/* must appear in the message */
	const char	*key;		/* parsed: this member ... */
	const char	*want;		/* ... is this string */
};

static const struct jcase cases[] = {
	{ "object", "{\"a\":\"b\"}", 0, 0, NULL, "a", "b" },
	{ "array", "[1,2,3]", 0, 0, NULL, NULL, NULL },
	{ "empty object", "{}", 0, 0, NULL, NULL, NULL },
	{ "whitespace around", " \t\r\n{\"a\":[1,{\"b\":null}]} \r\n", 0, 0,
	  NULL, NULL, NULL },
	{ "raw UTF-8", "{\"a\":\"\xc3\xa9\xf0\x9f\x98\x80\"}", 0, 0, NULL,
	  "a", "\xc3\xa9\xf0\x9f\x98\x80" },
	{ "escaped UTF-8", "{\"a\":\"\\u00e9\\ud83d\\ude00\"}", 0, 0, NULL,
	  "a", "\xc3\xa9\xf0\x9f\x98\x80" },
	{ "escaped lone surrogate is U+FFFD", "{\"a\":\"\\ud800\"}", 0, 0,
	  NULL, "a", "\xef\xbf\xbd" },
	{ "CRLF escaped kept", "{\"a\":\"l1\\r\\nl2\"}", 0, 0, NULL,
	  "a", "l1\r\nl2" },
	{ "SQL and HTML kept", "{\"a\":\"' OR 1=1--<script>x</script>\"}",
	  0, 0, NULL, "a", "' OR 1=1--<script>x</script>" },
	{ "escaped backslash then u0000", "{\"a\":\"\\\\u0000\"}", 0, 0,
	  NULL, "a", "\\u0000" },
	{ "letters and quotes inside strings", "{\"NaN'\":\"Infinity'\"}",
	  0, 0, NULL, "NaN'", "Infinity'" },
	{ "escaped quote inside a string", "{\"a\":\"x\\\"'y\"}", 0, 0,
	  NULL, "a", "x\"'y" },
	{ "numbers", "[-0.5e+3,1E-2,0,true,false,null]", 0, 0, NULL, NULL,
	  NULL },
	{ "duplicate key: last wins", "{\"a\":\"1\",\"a\":\"2\"}", 0, 0, NULL,
	  "a", "2" },

	{ "empty body", "", 0, 400, "empty", NULL, NULL },
	{ "only whitespace", "  \n", 0, 400, "not complete", NULL, NULL },
	{ "null", "null", 0, 400, NULL, NULL, NULL },
	{ "null and space", "null ", 0, 400, "not an object", NULL, NULL },
	{ "number", "123 ", 0, 400, "not an object", NULL, NULL },
	{ "string", "\"s\"", 0, 400, "not an object", NULL, NULL },
	{ "true", "true ", 0, 400, "not an object", NULL, NULL },
	{ "trailing garbage", "{}x", 0, 400, "invalid JSON", NULL, NULL },
	{ "two values", "{}{}", 0, 400, "invalid JSON", NULL, NULL },
	{ "two values, space", "[] []", 0, 400, "invalid JSON", NULL, NULL },
	{ "unterminated", "{\"a\":", 0, 400, "not complete", NULL, NULL },
	{ "trailing comma", "[1,]", 0, 400, "invalid JSON", NULL, NULL },
	{ "single-quoted key", "{'a':1}", 0, 400, "non-standard", NULL,
	  NULL },
	{ "single-quoted value", "['a']", 0, 400, "invalid JSON", NULL, NULL },
	{ "NaN", "[NaN]", 0, 400, "non-standard", NULL, NULL },
	{ "Infinity", "{\"a\":Infinity}", 0, 400, "non-standard", NULL,
	  NULL },
	{ "-Infinity", "[-Infinity]", 0, 400, "non-standard", NULL, NULL },
	{ "raw control char in string", "[\"a\x01\"]", 0, 400, "control",
	  NULL, NULL },
	{ "raw tab in string", "[\"a\tb\"]", 0, 400, "control", NULL, NULL },
	{ "raw newline in string", "[\"a\nb\"]", 0, 400, "control", NULL,
	  NULL },
	{ "unquoted key", "{a:1}", 0, 400, "invalid JSON", NULL, NULL },
	{ "bad escape", "[\"\\x41\"]", 0, 400, "invalid JSON", NULL, NULL },
	{ "leading zero", "[01]", 0, 400, "invalid JSON", NULL, NULL },
	{ "comment", "[1]/*x*/", 0, 400, "invalid JSON", NULL, NULL },
	{ "UTF-8 BOM", "\xef\xbb\xbf{}", 0, 400, "invalid JSON", NULL, NULL },
	{ "raw invalid byte", "{\"a\":\"\xff\"}", 0, 400, "UTF-8", NULL, NULL },
	{ "overlong slash", "{\"a\":\"\xc0\xaf\"}", 0, 400, "UTF-8", NULL,
	  NULL },
	{ "raw lone surrogate", "{\"a\":\"\xed\xa0\x80\"}", 0, 400, "UTF-8",
	  NULL, NULL },
	{ "truncated sequence", "{\"a\":\"\xe2\x82\"}", 0, 400, "UTF-8", NULL,
	  NULL },
	{ "raw NUL", "{\"a\":\"x\0y\"}", 11, 400, "UTF-8", NULL, NULL },
	{ "NUL after the value", "{}\0", 3, 400, "UTF-8", NULL, NULL },
	{ "escaped NUL", "{\"a\":\"x\\u0000y\"}", 0, 400, "u0000", NULL,
	  NULL },
	{ "escaped NUL in a key", "{\"a\\u0000b\":1}", 0, 400, "u0000",
	  NULL, NULL },
};

/* Small limits: depth and total boundaries cheap to reach. */
static const struct parse_limits small = {
	.max_params = 2, .max_name = 4, .max_value = 5,
	.max_file = 0, .max_total = 16, .max_depth = 3,
};

static const struct jcase smallcases[] = {
	{ "max_total exactly", "{\"abcdefghij\":1}", 0, 0, NULL, NULL, NULL },
	{ "max_total + 1", "{\"abcdefghijk\":1}", 0, 413, "max_total",
	  NULL, NULL },
	{ "depth 3: arrays", "[[[]]]", 0, 0, NULL, NULL, NULL },
	{ "depth 3: scalar inside", "{\"a\":{\"b\":1}}", 0, 0, NULL, NULL,
	  NULL },
	{ "depth 4: arrays", "[[[[]]]]", 0, 400, "nesting too deep", NULL,
	  NULL },
	{ "depth 4: scalar inside", "[[[1]]]", 0, 400, "nesting too deep",
	  NULL, NULL },
};

/* Return 1 if msg holds none of the 8-byte runs of the input. */
static int
noecho(const char *msg, const char *in, size_t n)
{
	size_t	 i;

	for (i = 0; i + 8 <= n; i++)
		if (memmem(msg, strlen(msg), in + i, 8) != NULL)
			return 0;
	return 1;
}

/* Check one parse result against its case. */
static void
check(const struct jcase *c, const struct parse_limits *lim)
{
	struct json_object	*o = (struct json_object *)&o, *v;
	size_t			 n = c->n ? c->n : strlen(c->in);
	char			 msg[128] = "stale";
	int			 status = -5, rc;

	rc = jsonbody_parse(&o, c->in, n, lim, &status, msg, sizeof(msg));
	if (c->status != 0) {
		is_int(rc, -1, "%s: fails", c->desc);
		is_int(status, c->status, "%s: status", c->desc);
		ok(o == NULL, "%s: *out is NULL", c->desc);
		ok(c->errword == NULL || strstr(msg, c->errword) != NULL,
		    "%s: message says '%s' (%s)", c->desc, c->errword, msg);
		ok(msg[0] != '\0' && noecho(msg, c->in, n),
		    "%s: message holds no input", c->desc);
		return;
	}
	is_int(rc, 0, "%s: parses (%s)", c->desc, msg);
	ok(status == 0 && msg[0] == '\0', "%s: status, message cleared",
	    c->desc);
	ok(json_object_is_type(o, json_type_object) ||
	    json_object_is_type(o, json_type_array), "%s: object or array",
	    c->desc);
	if (c->key != NULL) {
		v = NULL;
		json_object_object_get_ex(o, c->key, &v);
		is_str(json_object_get_string(v), c->want, "%s: value",
		    c->desc);
		is_int(json_object_get_string_len(v), strlen(c->want),
		    "%s: length", c->desc);
	}
	json_object_put(o);
}

/* Fill b with depth nested arrays, the innermost empty. */
static void
nest(struct buf *b, size_t depth, int closed)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < depth; i++)
		buf_putc(b, '[');
	for (i = 0; closed && i < depth; i++)
		buf_putc(b, ']');
}

/* Depth at the default limit, and nesting bombs of 10000. */
static void
depth(void)
{
	struct json_object	*o;
	struct buf		 b = BUF_INIT;
	size_t			 i, max;
	char			 msg[128];
	int			 status;

	max = (size_t)parse_limits_default.max_depth;
	nest(&b, max, 1);
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), 0, "%zu nested arrays", max);
	json_object_put(o);
	nest(&b, max + 1, 1);
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), -1, "%zu nested arrays", max + 1);
	ok(status == 400 && strstr(msg, "nesting too deep"), "%zu deep: 400 "
	    "(%s)", max + 1, msg);
	nest(&b, 10000, 1);
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), -1, "bomb: 10000 nested arrays");
	ok(status == 400 && strstr(msg, "nesting too deep"), "bomb: 400 "
	    "(%s)", msg);
	nest(&b, 10000, 0);
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), -1, "bomb: 10000 unclosed arrays");
	ok(status == 400 && strstr(msg, "nesting too deep"), "open bomb: 400");
	buf_reset(&b);
	for (i = 0; i < 10000; i++)
		buf_puts(&b, "{\"a\":");
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), -1, "bomb: 10000 nested objects");
	ok(status == 400 && strstr(msg, "nesting too deep"), "object bomb: "
	    "400");
	ok(o == NULL, "bombs leave *out NULL");
	buf_free(&b);
}

/* Size: a 2 MiB string is refused before parsing; max_total passes. */
static void
sizes(void)
{
	struct json_object	*o;
	struct buf		 b = BUF_INIT;
	size_t			 max = parse_limits_default.max_total;
	char			 msg[128];
	int			 status;

	buf_puts(&b, "[\"");
	while (b.len < 2 * 1024 * 1024 - 2)
		buf_putc(&b, 'a');
	buf_puts(&b, "\"]");
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), -1, "2 MiB string");
	ok(status == 413 && strstr(msg, "max_total"), "2 MiB: 413 (%s)", msg);
	buf_reset(&b);
	buf_puts(&b, "[\"");
	while (b.len < max - 2)
		buf_putc(&b, 'a');
	buf_puts(&b, "\"]");
	is_int(jsonbody_parse(&o, b.data, b.len, NULL, &status, msg,
	    sizeof(msg)), 0, "body of exactly max_total");
	is_int(json_object_get_string_len(json_object_array_get_idx(o, 0)),
	    max - 4, "max_total: string whole");
	json_object_put(o);
	buf_free(&b);
}

/* status and message pointers may be NULL. */
static void
nullouts(void)
{
	struct json_object	*o;

	is_int(jsonbody_parse(&o, "x", 1, NULL, NULL, NULL, 0), -1,
	    "NULL status and message");
	is_int(jsonbody_parse(&o, "[]", 2, NULL, NULL, NULL, 0), 0,
	    "NULL status and message: success");
	json_object_put(o);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], NULL);
	for (i = 0; i < sizeof(smallcases) / sizeof(smallcases[0]); i++)
		check(&smallcases[i], &small);
	depth();
	sizes();
	nullouts();
	return done_testing();
}
