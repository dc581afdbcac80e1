/* form.c: strict parsing of query strings and urlencoded bodies. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "param.h"

/* Return the value of hex digit c, or -1. */
static int
form_hex(unsigned char c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Store in *len how many bytes the n bytes at s decode to.  Return 0,
 * or -1 if a '%' is not followed by two hexadecimal digits.  Nothing
 * is allocated, so limits can be checked before copying anything.
 */
static int
form_declen(const char *s, size_t n, size_t *len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;

	*len = 0;
	for (i = 0; i < n; (*len)++) {
		if (u[i] != '%') {
			i++;
			continue;
		}
		if (n - i < 3 || form_hex(u[i + 1]) < 0 ||
		    form_hex(u[i + 2]) < 0)
			return -1;
		i += 3;
	}
	return 0;
}

/*
 * Decode the n bytes at s (%XX a byte, '+' a space when plus is set),
 * already checked by form_declen to give len bytes.  Return a
 * NUL-terminated copy of len bytes that the caller frees.
 */
static char *
form_decode(const char *s, size_t n, size_t len, int plus)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*out;
	size_t			 i, o;

	out = xmalloc(len + 1);
	for (i = o = 0; i < n; o++) {
		if (u[i] == '%') {
			out[o] = (char)(form_hex(u[i + 1]) << 4 |
			    form_hex(u[i + 2]));
			i += 3;
		} else {
			out[o] = (plus && s[i] == '+') ? ' ' : s[i];
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

/*
 * Percent-decode the n bytes at s, '+' staying '+' (URL paths). Return
 * a NUL-terminated copy the caller frees, its length in *len; NULL for
 * a '%' without two hex digits. The result may hold any byte.
 */
char *
form_unescape(const char *s, size_t n, size_t *len)
{
	if (form_declen(s, n, len) == -1)
		return NULL;
	return form_decode(s, n, *len, 0);
}

/*
 * Check the sizes of pair number i (the n bytes at s, not empty) and
 * add it to p.  Return 0, or -1 with p emptied and its error set.
 */
static int
form_pair(struct params *p, const char *s, size_t n, size_t i,
    const struct parse_limits *lim)
{
	const char	*eq, *err = NULL;
	char		*name, *value;
	size_t		 nraw, nlen, vlen = 0;

	if (p->n >= lim->max_params)
		return params_fail(p, 413, "more than max_params (%zu) "
		    "pairs", lim->max_params);
	eq = memchr(s, '=', n);
	nraw = eq != NULL ? (size_t)(eq - s) : n;
	if (nraw == 0)
		return params_fail(p, 400, "pair %zu: empty name", i);
	if (form_declen(s, nraw, &nlen) == -1 || (eq != NULL &&
	    form_declen(eq + 1, n - nraw - 1, &vlen) == -1))
		return params_fail(p, 400, "pair %zu: bad percent escape", i);
	if (nlen > lim->max_name)
		return params_fail(p, 413, "pair %zu: name longer than "
		    "max_name (%zu)", i, lim->max_name);
	if (vlen > lim->max_value)
		return params_fail(p, 413, "pair %zu: value longer than "
		    "max_value (%zu)", i, lim->max_value);
	name = form_decode(s, nraw, nlen, 1);
	value = eq != NULL ? form_decode(eq + 1, n - nraw - 1, vlen, 1) :
	    xstrdup("");
	if (!utf8_valid(name, nlen) || !utf8_valid(value, vlen))
		err = "invalid UTF-8 or NUL";
	else if (params_get(p, name) != NULL)
		err = "duplicate name";
	if (err != NULL) {
		free(name);
		free(value);
		return params_fail(p, 400, "pair %zu: %s", i, err);
	}
	params_push(p, name, value, vlen, NULL, NULL);
	return 0;
}

/*
 * Parse the n bytes at s, a query string or an urlencoded body, into p
 * (whose old content is freed).  Pairs are split on '&' only; empty
 * pieces are skipped; a piece without '=' has the value "".  Return 0,
 * or -1 with p empty, p->status 400 or 413 and p->errmsg set.
 */
int
form_parse(struct params *p, const char *s, size_t n,
    const struct parse_limits *lim)
{
	const char	*amp;
	size_t		 seg, i = 0;

	params_reset(p);
	lim = params_limits(lim);
	if (n > lim->max_total)
		return params_fail(p, 413, "input longer than max_total "
		    "(%zu)", lim->max_total);
	while (n > 0) {
		amp = memchr(s, '&', n);
		seg = amp != NULL ? (size_t)(amp - s) : n;
		if (seg > 0 && form_pair(p, s, seg, ++i, lim) == -1)
			return -1;
		if (amp == NULL)
			break;
		s += seg + 1;
		n -= seg + 1;
	}
	return 0;
}
