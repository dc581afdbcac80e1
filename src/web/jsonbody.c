/* jsonbody.c: JSON bodies parsed by json-c within size and depth limits. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "core/log.h"
#include "core/utf8.h"
#include "jsonbody.h"
#include "param.h"

/* Where a failure is reported: the caller's status and message buffer. */
struct jsonbody_err {
	int	*status;
	char	*msg;
	size_t	 msgsz;
};

/*
 * Store status code and the message (a literal; arguments are numbers
 * or json-c's fixed error texts, never input) and return -1.
 */
static int __attribute__((format(printf, 3, 4)))
jsonbody_fail(const struct jsonbody_err *e, int code, const char *fmt, ...)
{
	va_list	 ap;

	if (e->status != NULL)
		*e->status = code;
	if (e->msg != NULL && e->msgsz > 0) {
		va_start(ap, fmt);
		vsnprintf(e->msg, e->msgsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Return NULL if the n bytes at s, which json-c's strict mode took, are
 * strict RFC 8259 text as far as this scan sees, else why not.  It
 * catches what json-c lets through: single-quoted keys, NaN, Infinity
 * (bytes outside strings that JSON never has there), raw control
 * characters in strings, and the escape \u0000, which json-c decodes
 * to a NUL that C string users would truncate at.  The scan is exact
 * for text json-c accepted.
 */
static const char *
jsonbody_lex(const char *s, size_t n)
{
	size_t	 i;
	int	 instr = 0;

	for (i = 0; i < n; i++) {
		if (!instr) {
			if (s[i] == '"')
				instr = 1;
			else if (s[i] == '\0' || strchr(" \t\r\n{}[]:,"
			    "0123456789+-.eEtruefalsn", s[i]) == NULL)
				return "invalid JSON: non-standard token";
		} else if (s[i] == '"')
			instr = 0;
		else if ((unsigned char)s[i] < 0x20)
			return "invalid JSON: control character in a string";
		else if (s[i] == '\\') {
			if (n - i > 5 && memcmp(s + i + 1, "u0000", 5) == 0)
				return "\\u0000 in a string";
			i++;
		}
	}
	return NULL;
}

/*
 * Run json-c's strict tokener over exactly n bytes with the depth
 * limit.  Return the value (NULL for a top-level null or on error) and
 * store json-c's error and how many bytes it consumed.
 */
static struct json_object *
jsonbody_tokenize(const char *body, size_t n, int depth,
    enum json_tokener_error *jerr, size_t *end)
{
	struct json_tokener	*tok;
	struct json_object	*obj;

	if ((tok = json_tokener_new_ex(depth)) == NULL)
		fatalx("json_tokener_new_ex(%d) failed", depth);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, body, (int)n);
	*jerr = json_tokener_get_error(tok);
	*end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	return obj;
}

/* Turn a json-c failure into a 400 with a message; return -1. */
static int
jsonbody_jerr(const struct jsonbody_err *e, enum json_tokener_error jerr)
{

	if (jerr == json_tokener_error_depth)
		return jsonbody_fail(e, 400, "nesting too deep");
	if (jerr == json_tokener_continue)
		return jsonbody_fail(e, 400, "JSON value not complete");
	return jsonbody_fail(e, 400, "invalid JSON: %s",
	    json_tokener_error_desc(jerr));
}

/*
 * Parse the n bytes at body as one JSON object or array, nothing after
 * it but whitespace.  Return 0 with *out set (the caller frees it with
 * json_object_put), or -1 with *out NULL, *status 400 or 413 and the
 * reason in errmsg (errsz bytes).  status and errmsg may be NULL; on
 * success they are cleared.  A NULL limits pointer means the defaults.
 * max_depth counts the top-level value as depth 1 and each value
 * inside a container one deeper: [] is 1 deep, {"a":[1]} is 3.
 */
int
jsonbody_parse(struct json_object **out, const char *body, size_t n,
    const struct parse_limits *lim, int *status, char *errmsg, size_t errsz)
{
	struct jsonbody_err	 e = { status, errmsg, errsz };
	enum json_tokener_error	 jerr;
	const char		*reason = NULL;
	size_t			 end;

	*out = NULL;
	if (status != NULL)
		*status = 0;
	if (errmsg != NULL && errsz > 0)
		errmsg[0] = '\0';
	lim = params_limits(lim);
	if (n > lim->max_total)
		return jsonbody_fail(&e, 413, "input longer than max_total "
		    "(%zu)", lim->max_total);
	if (n > INT_MAX)
		return jsonbody_fail(&e, 413, "input longer than %d", INT_MAX);
	if (n == 0)
		return jsonbody_fail(&e, 400, "empty body");
	if (!utf8_valid(body, n))
		return jsonbody_fail(&e, 400, "invalid UTF-8 or NUL");
	*out = jsonbody_tokenize(body, n, lim->max_depth, &jerr, &end);
	if (*out == NULL && jerr != json_tokener_success)
		return jsonbody_jerr(&e, jerr);
	if (end != n)
		reason = "data after the JSON value";
	else if (!json_object_is_type(*out, json_type_object) &&
	    !json_object_is_type(*out, json_type_array))
		reason = "not an object or array";
	else
		reason = jsonbody_lex(body, n);
	if (reason != NULL) {
		json_object_put(*out);
		*out = NULL;
		return jsonbody_fail(&e, 400, "%s", reason);
	}
	return 0;
}
