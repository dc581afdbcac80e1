/* route.c: match a path against the route table's patterns with typed parameters. */
#include <stdio.h>
#include <string.h>

#include "route.h"

#define ROUTE_SLUG_MAX	64

const char *const method_names[METHOD__MAX] = {
	[METHOD_GET] = "GET",
	[METHOD_HEAD] = "HEAD",
	[METHOD_POST] = "POST",
	[METHOD_PUT] = "PUT",
	[METHOD_PATCH] = "PATCH",
	[METHOD_DELETE] = "DELETE",
	[METHOD_OPTIONS] = "OPTIONS",
};

/* METHOD__MAX for a method we do not serve. */
enum http_method
route_method(const char *s)
{
	enum http_method	 m;

	for (m = 0; m < METHOD__MAX; m++)
		if (strcmp(s, method_names[m]) == 0)
			return m;
	return METHOD__MAX;
}

/* {int}: 1 to 2^63-1 written without sign or leading zero. */
static int
route_is_int(const char *p, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 19 || p[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return n < 19 || strncmp(p, "9223372036854775807", 19) <= 0;
}

/* {slug}: 1 to 64 of [a-z0-9_-]. */
static int
route_is_slug(const char *p, size_t n)
{
	size_t	 i;

	if (n == 0 || n > ROUTE_SLUG_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '-'))
			return 0;
	return 1;
}

/* Match one path segment against one pattern segment. */
static int
route_seg(const char *pat, size_t pn, const char *seg, size_t sn,
    struct route_arg *args, size_t *nargs)
{
	int	 ok;

	if (pn >= 2 && pat[0] == '{' && pat[pn - 1] == '}') {
		if (pn == 5 && strncmp(pat, "{int}", 5) == 0)
			ok = route_is_int(seg, sn);
		else if (pn == 6 && strncmp(pat, "{slug}", 6) == 0)
			ok = route_is_slug(seg, sn);
		else
			ok = 0;
		if (!ok || *nargs == ROUTE_MAXARGS)
			return 0;
		args[*nargs].p = seg;
		args[*nargs].n = sn;
		(*nargs)++;
		return 1;
	}
	return pn == sn && memcmp(pat, seg, pn) == 0;
}

/*
 * Return 1 when path matches pattern segment by segment, with the typed
 * parts in args (pointing into path); else 0. No allocation.
 */
int
route_match(const char *pattern, const char *path,
    struct route_arg args[ROUTE_MAXARGS], size_t *nargs)
{
	size_t	 pn, sn;

	*nargs = 0;
	if (*pattern != '/' || *path != '/')
		return 0;
	while (*pattern == '/' && *path == '/') {
		pattern++, path++;
		pn = strcspn(pattern, "/");
		sn = strcspn(path, "/");
		if (!route_seg(pattern, pn, path, sn, args, nargs))
			return 0;
		pattern += pn, path += sn;
	}
	return *pattern == '\0' && *path == '\0';
}

/*
 * Find the route for method and path. HEAD is served by GET routes.
 * When none matches the method, *allowed holds the methods (as bits)
 * of the routes that match the path: 0 means 404, else 405, and *near
 * the first of them (whose kind decides how the 405 is answered).
 */
const struct route *
route_find(const struct route *tab, size_t n, enum http_method m,
    const char *path, struct route_arg args[ROUTE_MAXARGS], size_t *nargs,
    unsigned *allowed, const struct route **near)
{
	enum http_method	 want = (m == METHOD_HEAD) ? METHOD_GET : m;
	size_t			 i;

	*allowed = 0;
	*near = NULL;
	for (i = 0; i < n; i++) {
		if (!route_match(tab[i].pattern, path, args, nargs))
			continue;
		if (tab[i].method == want)
			return &tab[i];
		if (*near == NULL)
			*near = &tab[i];
		*allowed |= 1u << tab[i].method;
		if (tab[i].method == METHOD_GET)
			*allowed |= 1u << METHOD_HEAD;
	}
	*nargs = 0;
	return NULL;
}

/* "GET, HEAD, POST" for an Allow header. */
void
route_allow_header(unsigned allowed, char *out, size_t outsz)
{
	enum http_method	 m;
	size_t			 len = 0;

	out[0] = '\0';
	for (m = 0; m < METHOD__MAX; m++) {
		if (!(allowed & (1u << m)))
			continue;
		len += snprintf(out + len, len < outsz ? outsz - len : 0,
		    "%s%s", len ? ", " : "", method_names[m]);
		if (len >= outsz)
			break;
	}
}
