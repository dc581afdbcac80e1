/* 0030-route: path patterns, 404/405 with Allow, the route table's own sanity, validators. */
#include <string.h>

#include "web/input.h"
#include "web/route.h"
#include "tap.h"

static int	h(struct req *r) { (void)r; return 0; }

static const struct route tab[] = {
	{ METHOD_GET, "/", KIND_HTML, AUTH_NONE, NULL, 0, BODY_NONE, 0, 0,
	    NULL, h, "home" },
	{ METHOD_GET, "/instances/{int}", KIND_HTML, AUTH_NONE, NULL, 0,
	    BODY_NONE, 0, 0, NULL, h, "inst" },
	{ METHOD_POST, "/instances/{int}", KIND_HTML, AUTH_NONE, NULL, 1,
	    BODY_FORM, 0, 0, NULL, h, "inst_post" },
	{ METHOD_DELETE, "/hooks/{slug}/{int}", KIND_API, AUTH_NONE, NULL, 0,
	    BODY_NONE, 0, 0, NULL, h, "hook" },
};

static const struct {
	const char	*pattern, *path;
	int		 match;
	size_t		 nargs;
	const char	*arg0;
} matches[] = {
	{ "/", "/", 1, 0, NULL },
	{ "/", "", 0, 0, NULL },
	{ "/a", "/a", 1, 0, NULL },
	{ "/a", "/a/", 0, 0, NULL },
	{ "/a", "/ab", 0, 0, NULL },
	{ "/a/b", "/a//b", 0, 0, NULL },
	{ "/x/{int}", "/x/42", 1, 1, "42" },
	{ "/x/{int}", "/x/0", 0, 0, NULL },
	{ "/x/{int}", "/x/007", 0, 0, NULL },
	{ "/x/{int}", "/x/-1", 0, 0, NULL },
	{ "/x/{int}", "/x/1e3", 0, 0, NULL },
	{ "/x/{int}", "/x/9223372036854775807", 1, 1, "9223372036854775807" },
	{ "/x/{int}", "/x/9223372036854775808", 0, 0, NULL },
	{ "/x/{int}", "/x/12345678901234567890", 0, 0, NULL },
	{ "/x/{int}", "/x/", 0, 0, NULL },
	{ "/x/{int}", "/x/1/", 0, 0, NULL },
	{ "/x/{slug}", "/x/waha-01_a", 1, 1, "waha-01_a" },
	{ "/x/{slug}", "/x/Upper", 0, 0, NULL },
	{ "/x/{slug}", "/x/a.b", 0, 0, NULL },
	{ "/x/{slug}", "/x/..", 0, 0, NULL },
	{ "/x/{slug}", "/x/<script>", 0, 0, NULL },
	{ "/x/{slug}", "/x/'1'='1'", 0, 0, NULL },
	{ "/x/{nope}", "/x/a", 0, 0, NULL },
	{ "/x/{int}/y/{slug}", "/x/5/y/z", 1, 2, "5" },
};

static void
test_match(void)
{
	struct route_arg	 args[ROUTE_MAXARGS];
	size_t			 i, n;
	int			 m;

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		m = route_match(matches[i].pattern, matches[i].path, args, &n);
		is_int(m, matches[i].match, "%s %s %s", matches[i].pattern,
		    matches[i].match ? "matches" : "does not match",
		    matches[i].path);
		if (m && matches[i].arg0 != NULL)
			ok(n == matches[i].nargs && args[0].n ==
			    strlen(matches[i].arg0) && memcmp(args[0].p,
			    matches[i].arg0, args[0].n) == 0,
			    "  with typed argument %s", matches[i].arg0);
	}
}

static void
test_find(void)
{
	struct route_arg	 args[ROUTE_MAXARGS];
	const struct route	*r, *near;
	size_t			 n, len = sizeof(tab) / sizeof(tab[0]);
	unsigned		 allowed;
	char			 allow[64];

	r = route_find(tab, len, METHOD_GET, "/instances/7", args, &n,
	    &allowed, &near);
	ok(r == &tab[1] && n == 1, "GET finds the GET route");
	r = route_find(tab, len, METHOD_HEAD, "/instances/7", args, &n,
	    &allowed, &near);
	ok(r == &tab[1], "HEAD is served by the GET route");
	r = route_find(tab, len, METHOD_PUT, "/instances/7", args, &n,
	    &allowed, &near);
	ok(r == NULL && allowed != 0, "PUT on a known path is a 405");
	ok(near == &tab[1], "  near names the path's first route");
	route_allow_header(allowed, allow, sizeof(allow));
	is_str(allow, "GET, HEAD, POST", "Allow lists every method");
	r = route_find(tab, len, METHOD_GET, "/hooks/waha/3", args, &n,
	    &allowed, &near);
	route_allow_header(allowed, allow, sizeof(allow));
	ok(r == NULL, "GET on a DELETE-only path is refused");
	is_str(allow, "DELETE", "  Allow: DELETE");
	r = route_find(tab, len, METHOD_GET, "/nowhere", args, &n, &allowed,
	    &near);
	ok(r == NULL && allowed == 0 && near == NULL, "unknown path is a 404");
	r = route_find(tab, len, METHOD__MAX, "/", args, &n, &allowed,
	    &near);
	ok(r == NULL && allowed != 0, "unknown method on a path is a 405");
	is_int(route_method("GET"), METHOD_GET, "GET parsed");
	is_int(route_method("get"), METHOD__MAX, "methods are case-sensitive");
	is_int(route_method("BREW"), METHOD__MAX, "unknown method");
}

/* The application's own table: every entry complete and unique. */
static void
test_table(void)
{
	const struct route_input	*in;
	size_t				 i, j;
	int				 good;

	for (i = 0; i < routes_len; i++) {
		good = routes[i].pattern[0] == '/' &&
		    routes[i].handler != NULL && routes[i].name != NULL &&
		    routes[i].method < METHOD__MAX &&
		    routes[i].method != METHOD_HEAD;
		for (in = routes[i].inputs; in != NULL && in->key != KEY__MAX;
		    in++)
			good &= key_defs[in->key].valid != NULL;
		if (strncmp(routes[i].pattern, "/api/", 5) == 0)
			good &= routes[i].kind == KIND_API;
		if (routes[i].method != METHOD_GET && routes[i].auth ==
		    AUTH_SESSION)
			good &= routes[i].csrf;
		ok(good, "route %s %s is complete",
		    method_names[routes[i].method], routes[i].pattern);
		for (j = i + 1; j < routes_len; j++)
			if (routes[i].method == routes[j].method &&
			    strcmp(routes[i].pattern, routes[j].pattern) == 0)
				ok(0, "duplicate route %s", routes[i].pattern);
	}
}

static const struct {
	int		(*fn)(const char *, size_t);
	const char	*s;
	int		 want;
} valids[] = {
	{ valid_local_path, "/", 1 },
	{ valid_local_path, "/instances/3?tab=qr", 1 },
	{ valid_local_path, "", 0 },
	{ valid_local_path, "//evil.example", 0 },
	{ valid_local_path, "/\\evil.example", 0 },
	{ valid_local_path, "https://evil.example/", 0 },
	{ valid_local_path, "javascript:alert(1)", 0 },
	{ valid_local_path, "/\r\nSet-Cookie: x=1", 0 },
	{ valid_local_path, "/\nx", 0 },
	{ valid_local_path, "/a b", 0 },
	{ valid_local_path, "/caf\xc3\xa9", 0 },
	{ valid_lang, "en", 1 },
	{ valid_lang, "id", 1 },
	{ valid_lang, "EN", 0 },
	{ valid_lang, "fr", 0 },
	{ valid_lang, "e", 0 },
	{ valid_lang, "en ", 0 },
	{ valid_uint, "0", 1 },
	{ valid_uint, "999999999", 1 },
	{ valid_uint, "1000000000", 0 },
	{ valid_uint, "01", 0 },
	{ valid_uint, "-1", 0 },
	{ valid_uint, "", 0 },
};

static void
test_valid(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(valids) / sizeof(valids[0]); i++)
		is_int(valids[i].fn(valids[i].s, strlen(valids[i].s)),
		    valids[i].want, "validator %zu: \"%s\"", i, valids[i].s);
}

int
main(void)
{
	test_match();
	test_find();
	test_table();
	test_valid();
	return done_testing();
}
