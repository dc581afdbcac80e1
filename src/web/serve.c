/* serve.c: the central checks every request passes before a handler runs, and its log line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/log.h"
#include "core/nls.h"
#include "core/xmalloc.h"
#include "html.h"
#include "input.h"
#include "jsonbody.h"
#include "req.h"
#include "resp.h"
#include "serve.h"
#include "session.h"

/*
 * A page that needs a session sends the visitor to sign in, with the
 * way back (a GET's own path; forms go back to the dashboard).
 */
static void
serve_to_login(struct req *r)
{
	struct buf	 loc = BUF_INIT;

	buf_puts(&loc, "/login");
	if (r->method == METHOD_GET && strcmp(r->path, "/dashboard") != 0 &&
	    input_path_is_local(r->path, strlen(r->path))) {
		buf_puts(&loc, "?next=");
		html_url_arg(&loc, r->path, strlen(r->path));
	}
	resp_redirect(r, 303, buf_str(&loc));
	buf_free(&loc);
}

/* A check answered the request itself (a redirect): stop, no error. */
#define SERVE_ANSWERED	(-1)

/* Find the route; 404/405 (with Allow) answered here. */
static int
serve_route(struct req *r)
{
	struct route_arg	 args[ROUTE_MAXARGS];
	unsigned		 allowed;
	size_t			 i;

	r->route = route_find(r->app->routes, r->app->nroutes, r->method,
	    r->path, args, &r->nargs, &allowed, &r->near);
	if (r->route == NULL) {
		if (allowed == 0)
			return 404;
		route_allow_header(allowed, r->allow, sizeof(r->allow));
		return 405;
	}
	for (i = 0; i < r->nargs; i++) {
		r->args[i] = xstrndup(args[i].p, args[i].n);
		r->argi[i] = strtoll(r->args[i], NULL, 10);
	}
	return 0;
}

/* The media type of the body, without parameters, compared exactly. */
static int
serve_ctype_is(const char *ctype, const char *want)
{
	size_t	 n = strlen(want);

	return ctype != NULL && strncasecmp(ctype, want, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static int
serve_ctype_json(const char *ctype)
{
	return serve_ctype_is(ctype, "application/json") ||
	    serve_ctype_is(ctype, "application/csp-report") ||
	    serve_ctype_is(ctype, "application/reports+json") ||
	    serve_ctype_is(ctype, "application/problem+json");
}

/* Parse a JSON body into r->json. */
static int
serve_json(struct req *r, const struct parse_limits *lim)
{
	char	 err[128];
	int	 status = 400;

	if (jsonbody_parse(&r->json, r->body, r->bodysz, lim, &status, err,
	    sizeof(err)) == -1) {
		log_warnx("request %s: json body: %s", r->id, err);
		return status;
	}
	return 0;
}

/* Parse the body by the route's declared kind and its content type. */
static int
serve_body_parse(struct req *r, const struct parse_limits *lim)
{
	const char	*ctype = req_env(r, "CONTENT_TYPE");

	switch (r->route->body) {
	case BODY_NONE:
		return 0;
	case BODY_FORM:
		if (!serve_ctype_is(ctype, "application/x-www-form-urlencoded"))
			return 415;
		return form_parse(&r->form, r->body, r->bodysz, lim) == 0 ?
		    0 : r->form.status;
	case BODY_MULTIPART:
	case BODY_UPLOAD:
		if (!serve_ctype_is(ctype, "multipart/form-data"))
			return 415;
		return multipart_parse(&r->form, ctype, r->body, r->bodysz,
		    lim) == 0 ? 0 : r->form.status;
	case BODY_JSON:
		if (!serve_ctype_json(ctype))
			return 415;
		return serve_json(r, lim);
	case BODY_RAW_JSON:
		return serve_ctype_json(ctype) ? 0 : 415;
	case BODY_CSV:
		return serve_ctype_is(ctype, "text/csv") ? 0 : 415;
	}
	return 500;
}

/* Read the body within the route's limit and parse it. */
static int
serve_body(struct req *r)
{
	struct parse_limits	 lim = parse_limits_default;
	size_t			 max;
	int			 rc, spool;

	/* An upload's file may be WAPORTAL_MAX_UPLOAD, its form 64 KiB more. */
	spool = r->route->body == BODY_UPLOAD || r->route->body == BODY_CSV;
	max = !spool ? (size_t)r->app->conf.num[CONF_MAX_BODY] :
	    (size_t)r->app->conf.num[CONF_MAX_UPLOAD] +
	    (r->route->body == BODY_UPLOAD ? 65536 : 0);
	if (r->route->max_body != 0 && r->route->max_body < max)
		max = r->route->max_body;
	if (r->route->body == BODY_NONE)
		max = 0;
	if ((rc = spool ? req_spool_body(r, max) : req_read_body(r, max)) != 0)
		return rc;
	lim.max_total = max;
	if (r->route->body == BODY_UPLOAD) {
		lim.max_file = max;
		lim.file_ref = 1;
	}
	/* One field may be the whole body (a message text). */
	lim.max_value = max;
	return serve_body_parse(r, &lim);
}

/*
 * The origin of url (RFC 6454: scheme, host, port) in out as
 * "scheme://host:port", lower-cased, the port made explicit (80 for
 * http, 443 for https). Returns 0, or -1 when url has none we serve.
 */
static int
serve_origin(const char *url, char *out, size_t outsz)
{
	const char	*h, *port;
	size_t		 hn, pn = 0, i;
	int		 https;

	if (strncasecmp(url, "http://", 7) == 0)
		https = 0, h = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		https = 1, h = url + 8;
	else
		return -1;
	hn = (*h == '[') ? strcspn(h, "]") + 1 : strcspn(h, ":/");
	if (hn == 0 || hn > 253 || (*h == '[' && h[hn - 1] != ']'))
		return -1;
	port = https ? "443" : "80";
	if (h[hn] == ':') {
		port = h + hn + 1;
		pn = strspn(port, "0123456789");
		if (pn == 0 || pn > 5)
			return -1;
	}
	/* Nothing but a path may follow: "host:80.evil" is no origin. */
	if (h[hn + (pn > 0 ? pn + 1 : 0)] != '\0' &&
	    h[hn + (pn > 0 ? pn + 1 : 0)] != '/')
		return -1;
	if (pn == 0)
		pn = strlen(port);
	if (snprintf(out, outsz, "%s://%.*s:%.*s", https ? "https" : "http",
	    (int)hn, h, (int)pn, port) >= (int)outsz)
		return -1;
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return 0;
}

/*
 * Whether the Origin header names the portal itself: its configured
 * public origin (WAPORTAL_PUBLIC_URL, else nginx's scheme, server name
 * and port: req_base_url), compared whole, never the client's Host.
 */
static int
serve_origin_ours(struct req *r, const char *origin)
{
	char	*base = req_base_url(r), a[300], b[300];
	int	 same;

	same = serve_origin(origin, a, sizeof(a)) == 0 &&
	    serve_origin(base, b, sizeof(b)) == 0 && strcmp(a, b) == 0;
	free(base);
	return same;
}

/*
 * Unsafe methods on CSRF-checked routes must come from this site:
 * Sec-Fetch-Site when the browser sends it, else an Origin that is the
 * portal's own (scheme, host and port). The per-session token is
 * checked with the session (a later layer).
 */
static int
serve_same_origin(struct req *r)
{
	const char	*site = req_header(r, "Sec-Fetch-Site");
	const char	*origin = req_header(r, "Origin");

	if (!r->route->csrf || r->method == METHOD_GET ||
	    r->method == METHOD_HEAD)
		return 0;
	if (site != NULL)
		return strcmp(site, "same-origin") == 0 ||
		    strcmp(site, "none") == 0 ? 0 : 403;
	if (origin == NULL)
		return 0;
	return serve_origin_ours(r, origin) ? 0 : 403;
}

/*
 * Authenticate by the route's kind. Session routes: a live session of
 * a customer (other roles get 403: the portal is for customers only);
 * without one, HTML routes go to the sign-in page and come back.
 * Public HTML pages see who is signed in when the database answers;
 * public API routes (health checks, reports) never touch it. API-key
 * routes (/api/v1) read only the Authorization header (api_auth.c):
 * cookies and sessions are ignored there, so there is no CSRF either.
 */
static int
serve_auth(struct req *r)
{
	int	 rc;

	if (r->route->auth == AUTH_APIKEY)
		return r->app->api != NULL ? r->app->api->auth(r) : 401;
	if (r->route->auth == AUTH_NONE) {
		if (r->route->kind == KIND_HTML)
			session_load(r);
		return 0;
	}
	if ((rc = session_load(r)) == -1)
		return 503;
	resp_header(r, "Cache-Control", "no-store");
	if (rc == 0 && r->route->kind == KIND_HTML) {
		serve_to_login(r);
		return SERVE_ANSWERED;
	}
	if (rc == 0)
		return 401;
	if (strcmp(r->user->role, "customer") != 0)
		return 403;
	req_set_customer(r, r->user->id);
	return 0;
}

/*
 * The per-session CSRF token of an unsafe request on a session route:
 * the form's _csrf field, compared in constant time.
 */
static int
serve_csrf_token(struct req *r)
{
	const struct param	*p;

	if (!r->route->csrf || r->route->auth != AUTH_SESSION ||
	    r->method == METHOD_GET || r->method == METHOD_HEAD)
		return 0;
	p = params_get(&r->form, "_csrf");
	if (p == NULL || p->valsz != strlen(r->user->csrf) ||
	    CRYPTO_memcmp(p->value, r->user->csrf, p->valsz) != 0)
		return 403;
	return 0;
}

/*
 * Run the validator of one declared input on its value in src; 0, or 1
 * when it is missing but required or invalid (the reason in err).
 */
static int
serve_input(struct req *r, const struct params *src, const struct input *in,
    struct field *f)
{
	const struct param	*p;

	memset(f, 0, sizeof(*f));
	if ((p = params_get(src, in->name)) == NULL) {
		if (!(in->flags & INPUT_REQUIRED))
			return 0;
		f->err = N_("This field is required.");
		return 1;
	}
	f->raw = f->s = p->value;
	f->rawn = f->n = p->valsz;
	if (in->valid(r, f) == 0)
		return 0;
	f->s = NULL;
	f->n = 0;
	return 1;
}

/*
 * Check the declared inputs: query parameters for safe methods and a
 * CSV body, the form for others. Each lands in r->in[i], cleaned or with its error;
 * undeclared ones are ignored. A missing required or invalid value is
 * a 400 unless the route re-renders its form itself (pass_invalid).
 */
static int
serve_inputs(struct req *r)
{
	const struct params	*src;
	size_t			 i;
	int			 bad = 0;

	/* A route whose body is not a form takes its inputs from the query. */
	src = (r->route->body == BODY_NONE || r->route->body == BODY_CSV) ?
	    &r->query : &r->form;
	for (i = 0; i < r->route->ninputs; i++)
		bad |= serve_input(r, src, &r->route->inputs[i], &r->in[i]);
	return bad && !r->route->pass_invalid ? 400 : 0;
}

/* Parse what every request has: path, query string, cookies. */
static int
serve_parse(struct req *r)
{
	const char	*qs = req_env(r, "QUERY_STRING");
	const char	*ck = req_env(r, "HTTP_COOKIE");
	int		 rc;

	rc = req_parse_path(r);
	if (rc == 0 && qs != NULL && form_parse(&r->query, qs, strlen(qs),
	    &parse_limits_default) == -1)
		rc = r->query.status;
	/* Also after a bad path: its error page knows who is signed in. */
	if (ck != NULL && cookie_parse(&r->cookies, ck,
	    &parse_limits_default) == -1 && rc == 0)
		rc = r->cookies.status;
	return rc;
}

/*
 * Run the checks in order; the first non-zero result stops the chain:
 * an error status, or SERVE_ANSWERED.
 */
static int
serve_checks(struct req *r)
{
	int	 rc;

	if ((rc = serve_parse(r)) != 0 || (rc = serve_route(r)) != 0 ||
	    (rc = serve_same_origin(r)) != 0 || (rc = serve_auth(r)) != 0 ||
	    (rc = serve_body(r)) != 0 || (rc = serve_csrf_token(r)) != 0 ||
	    (rc = serve_inputs(r)) != 0)
		return rc;
	return r->route->handler(r);
}

/*
 * Why the database failed a request answered 5xx: libpq's own message
 * when it could not connect; for a statement only which step failed and
 * its SQLSTATE, since a server message may quote request data.
 */
static void
serve_log_db(struct buf *b, const struct db *db)
{
	if (db->step == NULL)
		return;
	if (strcmp(db->step, "connect") == 0) {
		log_kv(b, "db", db->errmsg);
		return;
	}
	log_kv(b, "db", db->step);
	if (db->sqlstate[0] != '\0')
		log_kv(b, "sqlstate", db->sqlstate);
}

/* One logfmt line: never a cookie, query string, body or secret. */
static void
serve_log(const struct req *r)
{
	struct buf	 b = BUF_INIT;
	struct timespec	 now;
	char		 num[32];
	double		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - r->start.tv_sec) * 1e3 +
	    (now.tv_nsec - r->start.tv_nsec) / 1e6;
	log_prefix(&b, "info");
	log_kv(&b, "req", r->id);
	log_kv(&b, "method", r->method < METHOD__MAX ?
	    method_names[r->method] : "other");
	log_kv(&b, "route", r->route != NULL ? r->route->name : "-");
	snprintf(num, sizeof(num), "%d", r->resp.status);
	log_kv(&b, "status", num);
	snprintf(num, sizeof(num), "%.3f", ms);
	log_kv(&b, "ms", num);
	snprintf(num, sizeof(num), "%zu", r->resp.body_bytes);
	log_kv(&b, "bytes", num);
	if (r->customer_id != 0) {
		snprintf(num, sizeof(num), "%lld", (long long)r->customer_id);
		log_kv(&b, "customer", num);
	}
	if (r->resp.status >= 500)
		serve_log_db(&b, &r->app->db);
	log_line(&b);
	buf_free(&b);
}

/* Serve one request from start to log line; everything is freed here. */
void
serve_request(struct app *app, FCGX_Request *fcgi)
{
	struct req	*r = req_new(app, fcgi);
	int		 rc;

	if ((rc = serve_checks(r)) > 0) {
		/* Headers a failed handler set (cookies, say) must not leak. */
		buf_reset(&r->resp.headers);
		if (r->allow[0] != '\0')
			resp_header(r, "Allow", r->allow);
		if (app->api != NULL && app->api->owns(r))
			app->api->error(r, rc);	/* typed, with rate headers */
		else
			resp_error(r, rc);
	}
	resp_finish(r);
	if (app->api != NULL)
		app->api->finish(r);	/* a key's usage, once answered */
	/* The net under every handler: nothing it left open survives. */
	if (db_end_open(&app->db))
		log_warnx("request %s: route %s left a transaction open; "
		    "rolled back", r->id, r->route != NULL ? r->route->name :
		    "-");
	serve_log(r);
	/* A failure is reported once, with the request it failed. */
	db_clear_error(&app->db);
	req_free(r);
}
