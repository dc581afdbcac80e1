/* 0030-route: path patterns, 404/405 with Allow, the route table's own sanity, validators. */
#include <stdlib.h>
#include <string.h>

#include "fcgi/modules.h"
#include "web/input.h"
#include "web/module.h"
#include "web/route.h"
#include "tap.h"

static int	h(struct req *r) { (void)r; return 0; }

static const struct route tab[] = {
	{ .method = METHOD_GET, .pattern = "/", .handler = h, .name = "home" },
	{ .method = METHOD_GET, .pattern = "/instances/{int}", .handler = h,
	    .name = "inst" },
	{ .method = METHOD_POST, .pattern = "/instances/{int}", .handler = h,
	    .name = "inst_post", .csrf = 1, .body = BODY_FORM },
	{ .method = METHOD_DELETE, .pattern = "/hooks/{slug}/{int}",
	    .handler = h, .name = "hook", .kind = KIND_API },
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

/* The worker's own table, built from its modules: complete and unique. */
static void
test_table(void)
{
	struct route	*built;
	size_t		 n, i;
	char		 err[256];

	err[0] = '\0';
	ok(route_table_build(fcgi_modules, &built, &n, err, sizeof(err)) == 0,
	    "the worker's modules make a route table%s%s", *err ? ": " : "",
	    err);
	for (i = 0; i < n; i++)
		ok(built[i].ninputs <= ROUTE_MAXINPUTS, "route %s %s: %zu inputs",
		    method_names[built[i].method], built[i].pattern,
		    built[i].ninputs);
	free(built);
}

static int	hv(struct req *r) { (void)r; return 0; }
static int	vv(struct req *r, struct field *f) { (void)r; (void)f; return 0; }
static const struct input one_in[] = { { "a", vv, 0 } };
static const struct input nameless_in[] = { { NULL, vv, 0 } };

/* Modules whose routes the table builder must refuse, and why. */
static const struct {
	struct route	 rt;
	const char	*why;
} bad_routes[] = {
	{ { .method = METHOD_GET, .pattern = "x", .handler = hv,
	    .name = "a" }, "start with /" },
	{ { .method = METHOD_GET, .pattern = "/x", .name = "a" },
	    "needs a handler" },
	{ { .method = METHOD_HEAD, .pattern = "/x", .handler = hv,
	    .name = "a" }, "method" },
	{ { .method = METHOD_GET, .pattern = "/api/v1/x", .handler = hv,
	    .name = "a" }, "KIND_API" },
	{ { .method = METHOD_POST, .pattern = "/x", .handler = hv,
	    .name = "a", .auth = AUTH_SESSION }, "CSRF" },
	{ { .method = METHOD_POST, .pattern = "/x", .handler = hv,
	    .name = "a", .auth = AUTH_APIKEY, .kind = KIND_API, .csrf = 1 },
	    "no CSRF" },
	{ { .method = METHOD_GET, .pattern = "/x", .handler = hv,
	    .name = "a", .inputs = one_in, .ninputs = ROUTE_MAXINPUTS + 1 },
	    "too many inputs" },
	{ { .method = METHOD_GET, .pattern = "/x", .handler = hv,
	    .name = "a", ROUTE_INPUTS(nameless_in) }, "needs a name" },
};

static void
test_table_checks(void)
{
	static const struct route good[] = {
		{ .method = METHOD_GET, .pattern = "/", .handler = hv,
		    .name = "root" },
		{ .method = METHOD_GET, .pattern = "/x", .handler = hv,
		    .name = "x" },
	};
	static const struct route twice[] = {
		{ .method = METHOD_GET, .pattern = "/x", .handler = hv,
		    .name = "y" },
	};
	static const struct route named[] = {
		{ .method = METHOD_POST, .pattern = "/z", .handler = hv,
		    .name = "x", .csrf = 1 },
	};
	struct module	 m1 = { .name = "m1", MODULE_ROUTES(good) };
	struct module	 m2 = { .name = "m2", MODULE_ROUTES(twice) };
	struct module	 m3 = { .name = "m3", MODULE_ROUTES(named) };
	struct module	 mb = { .name = "mb" };
	const struct module *mods[3];
	struct route	*built;
	size_t		 n, i;
	char		 err[256];

	mods[0] = &m1, mods[1] = NULL;
	ok(route_table_build(mods, &built, &n, err, sizeof(err)) == 0 && n == 2 &&
	    strcmp(built[1].name, "x") == 0, "a module's routes, in order");
	free(built);
	mods[1] = &m2, mods[2] = NULL;
	ok(route_table_build(mods, &built, &n, err, sizeof(err)) == -1 &&
	    strstr(err, "module m2, route /x: the same method and pattern") !=
	    NULL, "two modules with one method and pattern: %s", err);
	free(built);
	mods[1] = &m3;
	ok(route_table_build(mods, &built, &n, err, sizeof(err)) == -1 &&
	    strstr(err, "the same route name") != NULL,
	    "two routes with one name: %s", err);
	free(built);
	mods[0] = &mb, mods[1] = NULL;
	for (i = 0; i < sizeof(bad_routes) / sizeof(bad_routes[0]); i++) {
		mb.routes = &bad_routes[i].rt;
		mb.nroutes = 1;
		ok(route_table_build(mods, &built, &n, err, sizeof(err)) == -1 &&
		    strstr(err, bad_routes[i].why) != NULL,
		    "refused: %s", err);
		free(built);
	}
}

/* The shared validators: what each accepts, cleans and says. */
static const struct {
	int		(*fn)(struct req *, struct field *);
	const char	*s;
	int		 want;	/* 0 good, -1 refused */
	long long	 i;	/* input_id's value */
} valids[] = {
	{ input_local_path, "/", 0, 0 },
	{ input_local_path, "/instances/3?tab=qr", 0, 0 },
	{ input_local_path, "", -1, 0 },
	{ input_local_path, "//evil.example", -1, 0 },
	{ input_local_path, "/\\evil.example", -1, 0 },
	{ input_local_path, "https://evil.example/", -1, 0 },
	{ input_local_path, "javascript:alert(1)", -1, 0 },
	{ input_local_path, "/\r\nSet-Cookie: x=1", -1, 0 },
	{ input_local_path, "/\nx", -1, 0 },
	{ input_local_path, "/a b", -1, 0 },
	{ input_local_path, "/caf\xc3\xa9", -1, 0 },
	{ input_lang, "en", 0, 0 },
	{ input_lang, "id", 0, 0 },
	{ input_lang, "EN", -1, 0 },
	{ input_lang, "fr", -1, 0 },
	{ input_lang, "e", -1, 0 },
	{ input_lang, "en ", -1, 0 },
	{ input_id, "1", 0, 1 },
	{ input_id, "999999999999999999", 0, 999999999999999999LL },
	{ input_id, "1000000000000000000", -1, 0 },
	{ input_id, "0", -1, 0 },
	{ input_id, "01", -1, 0 },
	{ input_id, "-1", -1, 0 },
	{ input_id, "1e3", -1, 0 },
	{ input_id, "", -1, 0 },
	{ input_login_email, "a@b", 0, 0 },
	{ input_login_email, "a b@c.example", -1, 0 },
	{ input_login_email, "ab", -1, 0 },
	{ input_password, "x", 0, 0 },
	{ input_password, "", -1, 0 },
};

static void
test_valid(void)
{
	struct field	 f;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(valids) / sizeof(valids[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.raw = f.s = valids[i].s;
		f.rawn = f.n = strlen(valids[i].s);
		rc = valids[i].fn(NULL, &f);
		is_int(rc, valids[i].want, "validator %zu: \"%s\"", i,
		    valids[i].s);
		if (rc == 0)
			ok(f.err == NULL && f.i == valids[i].i,
			    "validator %zu: its value", i);
		else
			ok(f.err != NULL && *f.err != '\0',
			    "validator %zu: says why (%s)", i, f.err);
	}
}

int
main(void)
{
	test_match();
	test_find();
	test_table();
	test_table_checks();
	test_valid();
	return done_testing();
}
