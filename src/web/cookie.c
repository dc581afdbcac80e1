/* cookie.c: lenient parsing of the Cookie header (RFC 6265 5.4). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "param.h"

/* Strip spaces and tabs from both ends of the span *s, *n. */
static void
cookie_trim(const char **s, size_t *n)
{

	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * Add the piece of n bytes at s to p if it is "name=value" with a
 * non-empty name, both within the limits and valid UTF-8, and the name
 * was not seen before.  Anything else is skipped without an error:
 * browsers send cookies other software set, and the first of two
 * equal names is the one with the most specific path.
 */
static void
cookie_pair(struct params *p, const char *s, size_t n,
    const struct parse_limits *lim)
{
	const char	*eq, *val;
	char		*name;
	size_t		 nlen, vlen;

	if ((eq = memchr(s, '=', n)) == NULL)
		return;
	nlen = (size_t)(eq - s);
	val = eq + 1;
	vlen = n - nlen - 1;
	cookie_trim(&s, &nlen);
	cookie_trim(&val, &vlen);
	if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
		val++;
		vlen -= 2;
	}
	if (nlen == 0 || nlen > lim->max_name || vlen > lim->max_value ||
	    !utf8_valid(s, nlen) || !utf8_valid(val, vlen))
		return;
	name = xstrndup(s, nlen);
	if (params_get(p, name) != NULL) {
		free(name);
		return;
	}
	params_push(p, name, xstrndup(val, vlen), vlen, NULL, NULL);
}

/*
 * Parse the Cookie header value h (NULL means no header) into p, whose
 * old content is freed.  Pairs are split on ';'.  Past max_params
 * cookies the rest are ignored.  Return 0, or -1 with p empty and
 * p->status 400 when the header is longer than max_total.
 */
int
cookie_parse(struct params *p, const char *h,
    const struct parse_limits *lim)
{
	const char	*semi;
	size_t		 n, seg, cap;

	params_reset(p);
	lim = params_limits(lim);
	if (h == NULL)
		return 0;
	cap = lim->max_total < SIZE_MAX ? lim->max_total + 1 : SIZE_MAX;
	if ((n = strnlen(h, cap)) > lim->max_total)
		return params_fail(p, 400, "cookie header longer than "
		    "max_total (%zu)", lim->max_total);
	while (n > 0 && p->n < lim->max_params) {
		semi = memchr(h, ';', n);
		seg = semi != NULL ? (size_t)(semi - h) : n;
		cookie_pair(p, h, seg, lim);
		if (semi == NULL)
			break;
		h += seg + 1;
		n -= seg + 1;
	}
	return 0;
}
