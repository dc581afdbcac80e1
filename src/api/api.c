/* api.c: REST API v1 responses: typed problem+json, rate-limit headers, field errors. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/nls.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/serve.h"
#include "api.h"

static int	api_problem_emit(struct req *, int, const char *, const char *,
		    struct json_object *, const char *, long long);

/* The problem type of a status the central checks answer. */
static const struct api_default {
	int		 status;
	const char	*slug;
} api_defaults[] = {
	{ 400, "bad-request" },
	{ 401, "invalid-key" },
	{ 403, "forbidden" },
	{ 404, "not-found" },
	{ 405, "method-not-allowed" },
	{ 409, "conflict" },
	{ 413, "body-too-large" },
	{ 414, "uri-too-long" },
	{ 415, "unsupported-media-type" },
	{ 422, "validation-failed" },
	{ 429, "rate-limited" },
	{ 502, "bad-gateway" },
	{ 503, "unavailable" },
	{ 504, "gateway-timeout" },
};

/*
 * Every problem type with the status it comes with and its fixed detail
 * (docs/api-http.md), in English; the API docs page lists them from
 * here, in the reader's language.
 */
static const struct api_type {
	const char	*slug;
	int		 status;
	const char	*detail;
} api_types[] = {
	{ "invalid-key", 401, N_("No such API key.") },
	{ "key-disabled", 401, N_("The API key is switched off.") },
	{ "key-expired", 401, N_("The API key is past its expiry.") },
	{ "key-retired", 401, N_("The API key was replaced by a rotation.") },
	{ "account-disabled", 401, N_("The account is disabled.") },
	{ "package-expired", 403, N_("The account has no active package.") },
	{ "scope-missing", 403, N_("The API key lacks the scope of this "
	    "endpoint.") },
	{ "ip-not-allowed", 403, N_("The caller's address is outside the "
	    "key's allowlist.") },
	{ "quota-exhausted", 403, N_("The month's messages are used up.") },
	{ "instance-not-found", 404, N_("No such instance.") },
	{ "idempotency-in-flight", 409, N_("A call with the same "
	    "Idempotency-Key is still being answered.") },
	{ "idempotency-mismatch", 422, N_("The Idempotency-Key was used with "
	    "another body.") },
	{ "validation-failed", 422, N_("A field is wrong.") },
	{ "no-connected-instance", 422, N_("No instance was given and none is "
	    "connected.") },
	{ "rate-limited", 429, N_("Too many requests: the key's or the "
	    "customer's rate limit admits the next call after Retry-After "
	    "seconds.") },
	{ "recipient-unsubscribed", 409, N_("The recipient unsubscribed "
	    "from the account's messages; only a key with the scope "
	    "messages:transactional may still send to them.") },
	{ "too-late", 409, N_("The message is past cancelling.") },
	{ "contact-limit", 403, N_("The package's limit of contacts is "
	    "reached.") },
	{ "duplicate-contact", 409, N_("A contact with this phone number "
	    "exists.") },
	{ "duplicate-tag", 409, N_("A tag with this name exists.") },
	{ "tag-limit", 409, N_("A customer has at most 1000 tags.") },
	{ "duplicate-group", 409, N_("A contact group with this name "
	    "exists.") },
	{ "group-limit", 409, N_("A customer has at most 500 contact "
	    "groups.") },
	{ "group-is-segment", 409, N_("The contact group is a segment: its "
	    "members are the contacts matching its filter.") },
	{ "duplicate-template", 409, N_("A message template with this name "
	    "exists.") },
	{ "template-limit", 409, N_("A customer has at most 200 message "
	    "templates.") },
	{ "broadcast-limit", 409, N_("A customer has at most 1000 "
	    "broadcasts.") },
	{ "broadcast-state", 409, N_("The broadcast's state does not allow "
	    "it.") },
	{ "duplicate-field", 409, N_("A custom field with this key "
	    "exists.") },
	{ "field-limit", 409, N_("A customer has at most 100 custom "
	    "fields.") },
	{ "import-running", 409, N_("Another import of the account is queued "
	    "or running: one runs at a time.") },
	{ "not-draft", 409, N_("The import has started: its settings can no "
	    "longer change.") },
	{ "export-not-ready", 409, N_("The export is not done: its file can "
	    "be downloaded once it is.") },
	{ "export-expired", 410, N_("The export's file has expired and was "
	    "deleted: start a new export.") },
	{ "invalid-file", 422, N_("The file cannot be imported: it must be a "
	    "CSV text file whose first line names the columns.") },
	{ "bad-request", 400, N_("The request could not be understood.") },
	{ "forbidden", 403, N_("Not allowed.") },
	{ "not-found", 404, N_("There is nothing at this address.") },
	{ "method-not-allowed", 405, N_("This address does not accept that "
	    "method.") },
	{ "conflict", 409,
	    N_("The request conflicts with the current state.") },
	{ "body-too-large", 413,
	    N_("The request body is larger than allowed.") },
	{ "uri-too-long", 414, N_("The address is longer than allowed.") },
	{ "unsupported-media-type", 415,
	    N_("Send the body as application/json.") },
	{ "unavailable", 503,
	    N_("The service is temporarily unavailable.") },
	{ "internal-error", 500, N_("Something went wrong on our side.") },
	/* What nginx answers itself when the workers fail (nginx/problems/). */
	{ "bad-gateway", 502, N_("The application gave no usable answer. "
	    "Please try again in a minute.") },
	{ "gateway-timeout", 504, N_("The application did not answer in "
	    "time. Please try again in a minute.") },
};

/*
 * The static slug equal to s (a database answer), so that it outlives
 * the result; an unknown one is "forbidden".
 */
const char *
api_slug(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(api_types) / sizeof(api_types[0]); i++)
		if (strcmp(api_types[i].slug, s) == 0)
			return api_types[i].slug;
	return "forbidden";
}

/*
 * Problem type i (from 0): its slug, or NULL past the last; *status and
 * *detail as the API answers it.
 */
const char *
api_type_at(size_t i, int *status, const char **detail)
{
	if (i >= sizeof(api_types) / sizeof(api_types[0]))
		return NULL;
	*status = api_types[i].status;
	*detail = api_types[i].detail;
	return api_types[i].slug;
}

static const char *
api_type_detail(const char *slug)
{
	size_t	 i;

	for (i = 0; i < sizeof(api_types) / sizeof(api_types[0]); i++)
		if (strcmp(api_types[i].slug, slug) == 0)
			return api_types[i].detail;
	return slug;
}

/*
 * Whether the request's errors are the API's typed problems: an API-key
 * route, or any path under /api/v1/ (unknown ones, a wrong method, one
 * too long or too broken to decode, the keyless document).
 */
int
api_route(const struct req *r)
{
	if (r->route != NULL && r->route->auth == AUTH_APIKEY)
		return 1;
	return req_path_under(r, "/api/v1/");
}

/* What the central checks call for the API (web/serve.h). */
const struct serve_plug api_plug = {
	.auth = api_auth,
	.owns = api_route,
	.error = api_error,
	.finish = api_finish,
};

/* Record a problem for the central error writer; returns status. */
int
api_fail(struct req *r, int status, const char *slug, const char *detail)
{
	r->api.problem = slug;
	snprintf(r->api.detail, sizeof(r->api.detail), "%s",
	    detail != NULL ? detail : "");
	return status;
}

static const char *
api_default_slug(int status)
{
	size_t	 i;

	for (i = 0; i < sizeof(api_defaults) / sizeof(api_defaults[0]); i++)
		if (api_defaults[i].status == status)
			return api_defaults[i].slug;
	return "internal-error";
}

/* Append one item of the RateLimit field: name, available r, then t. */
static size_t
api_rate_item(char *v, size_t sz, size_t n, const char *name, int avail,
    int next)
{
	int	 w;

	if (n >= sz)
		return n;
	w = snprintf(v + n, sz - n, "%s\"%s\";r=%d", n > 0 ? ", " : "",
	    name, avail);
	if (w > 0)
		n += (size_t)w;
	if (next > 0 && n < sz && (w = snprintf(v + n, sz - n, ";t=%d",
	    next)) > 0)
		n += (size_t)w;
	return n;
}

/*
 * The rate-limit headers when the call reached the rate check
 * (docs/api-http.md says what each figure means): GitHub's
 * X-RateLimit-* (the key's limit, remaining, used, reset as epoch
 * seconds) and, beside them, RateLimit-Policy and RateLimit of
 * draft-ietf-httpapi-ratelimit-headers-11, one item per bucket: "key"
 * when the key has a limit of its own below the package's, then
 * "customer".
 */
void
api_rate_headers(struct req *r)
{
	char	 v[160];
	size_t	 n = 0;
	int	 used;

	if (r->api.rl_limit <= 0 || r->api.rl_remaining < 0)
		return;
	used = r->api.rl_limit - r->api.rl_remaining;
	snprintf(v, sizeof(v), "%d", r->api.rl_limit);
	resp_header_replace(r, "X-RateLimit-Limit", v);
	snprintf(v, sizeof(v), "%d", r->api.rl_remaining);
	resp_header_replace(r, "X-RateLimit-Remaining", v);
	snprintf(v, sizeof(v), "%lld",
	    (long long)time(NULL) + r->api.rl_reset);
	resp_header_replace(r, "X-RateLimit-Reset", v);
	snprintf(v, sizeof(v), "%d", used < 0 ? 0 : used);
	resp_header_replace(r, "X-RateLimit-Used", v);
	if (r->api.rl_c_remaining < 0)
		return;
	if (r->api.rl_k_remaining >= 0)
		snprintf(v, sizeof(v), "\"key\";q=%d;w=60, "
		    "\"customer\";q=%d;w=60", r->api.rl_limit,
		    r->api.rl_c_limit);
	else
		snprintf(v, sizeof(v), "\"customer\";q=%d;w=60",
		    r->api.rl_c_limit);
	resp_header_replace(r, "RateLimit-Policy", v);
	if (r->api.rl_k_remaining >= 0)
		n = api_rate_item(v, sizeof(v), n, "key",
		    r->api.rl_k_remaining, r->api.rl_k_next);
	api_rate_item(v, sizeof(v), n, "customer", r->api.rl_c_remaining,
	    r->api.rl_c_next);
	resp_header_replace(r, "RateLimit", v);
}

/* One { field, detail } entry of a validation problem's errors. */
void
api_error_add(struct json_object *errors, const char *field,
    const char *detail)
{
	api_error_code_add(errors, field, detail, NULL);
}

/* As api_error_add, with the reason's stable code when not NULL. */
void
api_error_code_add(struct json_object *errors, const char *field,
    const char *detail, const char *code)
{
	struct json_object	*e = json_object_new_object();

	json_object_object_add(e, "field", json_object_new_string(field));
	json_object_object_add(e, "detail", json_object_new_string(detail));
	if (code != NULL)
		json_object_object_add(e, "code", json_object_new_string(code));
	json_object_array_add(errors, e);
}

/*
 * Answer a problem+json: type API_PROBLEM_BASE + slug, title, status,
 * detail (fixed words, never the key) and errors when given (taken
 * over: freed here). 401 adds WWW-Authenticate, 429 Retry-After: the
 * seconds until the rate check admits a call (none when it never will).
 */
int
api_problem(struct req *r, int status, const char *slug, const char *detail,
    struct json_object *errors)
{
	return api_problem_emit(r, status, slug, detail, errors, NULL, 0);
}

/* As api_problem, with one more member: name, the id (e.g. existing_id). */
int
api_problem_id(struct req *r, int status, const char *slug,
    const char *detail, const char *name, long long id)
{
	return api_problem_emit(r, status, slug, detail, NULL, name, id);
}

/* The problem+json of api_problem and api_problem_id (name may be NULL). */
static int
api_problem_emit(struct req *r, int status, const char *slug,
    const char *detail, struct json_object *errors, const char *name,
    long long id)
{
	struct json_object	*o = json_object_new_object();
	char			 type[96], v[16];
	const char		*s;
	size_t			 n;

	snprintf(type, sizeof(type), "%s%s", API_PROBLEM_BASE, slug);
	if ((detail == NULL || *detail == '\0') && r->route != NULL &&
	    r->route->scope != NULL && strcmp(slug, "scope-missing") == 0) {
		snprintf(r->api.detail, sizeof(r->api.detail),
		    "The API key lacks the scope %s.", r->route->scope);
		detail = r->api.detail;
	}
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "title",
	    json_object_new_string(resp_reason(status)));
	json_object_object_add(o, "status", json_object_new_int(status));
	json_object_object_add(o, "detail", json_object_new_string(
	    detail != NULL && *detail != '\0' ? detail :
	    api_type_detail(slug)));
	if (errors != NULL)
		json_object_object_add(o, "errors", errors);
	if (name != NULL)
		json_object_object_add(o, name, json_object_new_int64(id));
	api_rate_headers(r);
	if (status == 401)
		resp_header_replace(r, "WWW-Authenticate", "Bearer");
	if (status == 429 && r->api.rl_next > 0) {
		snprintf(v, sizeof(v), "%d", r->api.rl_next);
		resp_header_replace(r, "Retry-After", v);
	}
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	resp_header_replace(r, "Cache-Control", "no-store");
	resp_body(r, status, "application/problem+json", s, n);
	json_object_put(o);
	return 0;
}

/* The central error writer for API-key routes: the recorded problem. */
int
api_error(struct req *r, int status)
{
	r->resp.status = status;
	if (r->resp.head_sent)
		return 0;
	return api_problem(r, status, r->api.problem != NULL ?
	    r->api.problem : api_default_slug(status), r->api.detail, NULL);
}

/*
 * Answer a 422 validation-failed naming every declared input the
 * central checks found invalid and return 1, or return 0 when none is.
 * The detail stays the API's fixed words, whatever the validator said.
 */
int
api_invalid_inputs(struct req *r)
{
	struct json_object	*errors = NULL;
	size_t			 i;

	for (i = 0; i < r->route->ninputs; i++) {
		if (r->in[i].err == NULL)
			continue;
		if (errors == NULL)
			errors = json_object_new_array();
		api_error_add(errors, r->route->inputs[i].name,
		    "Not a valid value.");
	}
	if (errors == NULL)
		return 0;
	api_problem(r, 422, "validation-failed", NULL, errors);
	return 1;
}

/*
 * Answer status with the JSON text s (from the database), re-serialised
 * plain, and the rate headers.
 */
int
api_json_text(struct req *r, int status, const char *s)
{
	struct json_object	*o = json_tokener_parse(s);
	int			 rc;

	if (o == NULL)
		return 500;
	api_rate_headers(r);
	rc = resp_json(r, status, o);
	json_object_put(o);
	return rc;
}

/*
 * Answer o (taken) with status and the rate headers: what every handler
 * that builds its JSON itself ends with.
 */
int
api_json(struct req *r, int status, struct json_object *o)
{
	int	 rc;

	api_rate_headers(r);
	rc = resp_json(r, status, o);
	json_object_put(o);
	return rc;
}

/*
 * Answer a list: {"data": the JSON array text in res's cell (0, col)},
 * [] when it is NULL. Clears res.
 */
int
api_list_text(struct req *r, PGresult *res, int col)
{
	struct json_object	*o = json_object_new_object(), *data;

	data = json_tokener_parse(db_get(res, 0, col));
	PQclear(res);
	json_object_object_add(o, "data", data != NULL ? data :
	    json_object_new_array());
	return api_json(r, 200, o);
}

/*
 * Answer status with the JSON text of res's one row (column col), a
 * 201 with Location path/<id of column idcol>; 404 "No such <what>."
 * when there is no row. Clears res.
 */
int
api_row_text(struct req *r, int status, PGresult *res, int col, int idcol,
    const char *path, const char *what)
{
	char	 loc[96], why[64];
	int	 rc;

	if (PQntuples(res) != 1) {
		PQclear(res);
		snprintf(why, sizeof(why), "No such %s.", what);
		return api_fail(r, 404, "not-found", why);
	}
	if (status == 201) {
		snprintf(loc, sizeof(loc), "%s/%lld", path,
		    (long long)db_getll(res, 0, idcol));
		resp_header(r, "Location", loc);
	}
	rc = api_json_text(r, status, db_get(res, 0, col));
	PQclear(res);
	return rc;
}

/*
 * Answer a DELETE of the path's id: 200 {id, deleted: true} when res
 * has the one row it deleted, else 404 "No such <what>.". Clears res.
 */
int
api_deleted(struct req *r, PGresult *res, const char *what)
{
	struct json_object	*o;
	char			 why[64];
	int			 n = PQntuples(res);

	PQclear(res);
	if (n != 1) {
		snprintf(why, sizeof(why), "No such %s.", what);
		return api_fail(r, 404, "not-found", why);
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->argi[0]));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return api_json(r, 200, o);
}

/* 422 validation-failed with *errors, taken over (*errors is NULL after). */
int
api_invalid(struct req *r, struct json_object **errors)
{
	api_problem(r, 422, "validation-failed", NULL, *errors);
	*errors = NULL;
	return 0;
}

/*
 * A 409 slug for a name or key the customer already has: by ($1 the
 * customer, $2 the key) answers the holder's id in its first column,
 * named existing_id in the problem. 503 when the database failed.
 */
int
api_existing(struct req *r, const struct stmt *by, const char *key,
    const char *slug, const char *detail)
{
	const char	*params[2] = { r->cid, key };
	PGresult	*res;
	long long	 id;

	if ((res = db_exec(&r->app->db, by, params)) == NULL)
		return 503;
	id = PQntuples(res) == 1 ? (long long)db_getll(res, 0, 0) : 0;
	PQclear(res);
	return api_problem_id(r, 409, slug, detail, "existing_id", id);
}

/*
 * Whether the customer's count (count: $1 the customer, the number in
 * its first column) reached max: 1, 0, or -1 when the database failed.
 */
int
api_count_reached(struct req *r, const struct stmt *count, long long max)
{
	const char	*params[1] = { r->cid };
	PGresult	*res;
	int		 full;

	if ((res = db_exec(&r->app->db, count, params)) == NULL)
		return -1;
	full = db_getll(res, 0, 0) >= max;
	PQclear(res);
	return full;
}
