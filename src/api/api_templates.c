/* api_templates.c: /api/v1/templates: list, create, get (with its kept versions), update (a new body: a new version) and delete the key's customer's message templates; a bad template's reason with its line and column, unknown variables listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/db.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/input.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AT_NAME_MAX	100	/* code points (sql/0024) */
#define AT_MAX		200	/* templates of a customer */

/* One template of the API as JSON, from templates t and its current
 * version v. */
#define AT_JSON \
	"json_build_object('id', t.id, 'name', t.name, 'version', " \
	"t.version, 'body', v.body, 'created_at', to_char(t.created_at AT " \
	"TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'updated_at', " \
	"to_char(t.updated_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define AT_FROM \
	" FROM templates t JOIN template_versions v ON v.template_id = t.id " \
	"AND v.version = t.version "

enum { ATL_LIST, ATL_NEXT, ATL__MAX };
enum { ATG_ID, ATG_TPL, ATG_NAME, ATG_BODY, ATG__MAX };
enum { ATN_N, ATN__MAX };
enum { ATS_ID, ATS_PROBLEM, ATS__MAX };

enum {
	AT_LIST,
	AT_GET,
	AT_COUNT,
	AT_BY_NAME,
	AT_SAVE,
	AT_DELETE,
	AT_KEYS,
	AT__MAX
};

#define AT_GET_COLS \
	DB_COLS(ATG__MAX, [ATG_ID] = "id", [ATG_TPL] = "tpl", \
	[ATG_NAME] = "name", [ATG_BODY] = "body")

static const struct stmt at_sql[AT__MAX] = {
	/* Customer $1's templates after id $2, $3 of them, as one JSON
	 * array, and the id to continue after ("" at the end). */
	[AT_LIST] = { "api_templates.list",
	    "WITH p AS (SELECT t.id, " AT_JSON ")::text AS tpl" AT_FROM
	    "WHERE t.customer_id = $1::bigint AND t.id > $2::bigint "
	    "ORDER BY t.id LIMIT $3::int + 1), "
	    "s AS (SELECT * FROM p ORDER BY id LIMIT $3::int) "
	    "SELECT (SELECT coalesce(json_agg(s.tpl::json ORDER BY s.id), "
	    "'[]') FROM s)::text AS list, CASE WHEN (SELECT count(*) FROM p) "
	    "> $3::int THEN (SELECT max(id) FROM s)::text ELSE '' END AS next",
	    3, DB_RETRY, DB_COLS(ATL__MAX, [ATL_LIST] = "list",
	    [ATL_NEXT] = "next") },
	/* Customer $1's template $2 with its kept versions, newest first. */
	[AT_GET] = { "api_templates.get",
	    "SELECT t.id, " AT_JSON ", 'versions', (SELECT json_agg("
	    "json_build_object('version', x.version, 'body', x.body, "
	    "'created_at', to_char(x.created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY x.version DESC) FROM "
	    "template_versions x WHERE x.template_id = t.id))::text AS tpl, "
	    "t.name, v.body" AT_FROM "WHERE t.customer_id = $1::bigint AND "
	    "t.id = $2::bigint", 2, DB_RETRY, AT_GET_COLS },
	[AT_COUNT] = { "api_templates.count",
	    "SELECT count(*) AS n FROM templates "
	    "WHERE customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
	/* The template named $2 in any case (the unique index's rule). */
	[AT_BY_NAME] = { "api_templates.by_name",
	    "SELECT id AS n FROM templates WHERE customer_id = $1::bigint "
	    "AND lower(name) = lower($2)", 2, DB_RETRY,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
	/* Save template $2 (NULL: new) of customer $1: name $3, body $4. */
	[AT_SAVE] = { "api_templates.save",
	    "SELECT coalesce(tpl_id::text, '') AS id, "
	    "coalesce(problem, '') AS problem FROM wa_template_save("
	    "$1::bigint, $2::bigint, $3, $4)", 4, DB_ONCE,
	    DB_COLS(ATS__MAX, [ATS_ID] = "id", [ATS_PROBLEM] = "problem") },
	/* The versions go with it; its messages keep the numbers. */
	[AT_DELETE] = { "api_templates.delete",
	    "DELETE FROM templates WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint RETURNING id AS n", 2, DB_ONCE,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
	/* Customer $1's custom field keys as a JSON array. */
	[AT_KEYS] = { "api_templates.keys",
	    "SELECT coalesce(json_agg(key ORDER BY key), '[]')::text AS n "
	    "FROM contact_fields WHERE customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
};

/* The lists' query: cursor (a next_cursor, an id) and limit. */
enum { AT_IN_CURSOR, AT_IN_LIMIT, AT_IN__MAX };

static int	at_in_limit(struct req *, struct field *);

static const struct input at_list_in[AT_IN__MAX] = {
	[AT_IN_CURSOR] = { "cursor", input_id, 0 },
	[AT_IN_LIMIT] = { "limit", at_in_limit, 0 },
};

/* "limit": 1 to 200. */
static int
at_in_limit(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0 && f->i <= AT_MAX)
		return 0;
	f->err = "Not a number from 1 to 200.";
	return -1;
}

/* A checked body: name and body, NULL when absent. */
struct at_body {
	const char		*name, *body;
	struct json_object	*errors;
};

/*
 * Parse body against the customer's field keys into t (freed by the
 * caller): 0, -1 (t->err), or 503 when the database failed.
 */
static int
at_parse(struct req *r, const char *body, struct aud_tpl *t)
{
	const char		*params[1] = { r->cid };
	struct json_object	*keys;
	const char		**k;
	PGresult		*res;
	size_t			 i, n;
	int			 rc;

	memset(t, 0, sizeof(*t));
	if ((res = db_exec(&r->app->db, &at_sql[AT_KEYS], params)) == NULL)
		return 503;
	keys = json_tokener_parse(db_get(res, 0, ATN_N));
	PQclear(res);
	n = json_object_is_type(keys, json_type_array) ?
	    json_object_array_length(keys) : 0;
	k = xcalloc(n + 1, sizeof(*k));
	for (i = 0; i < n; i++)
		k[i] = json_object_get_string(json_object_array_get_idx(keys,
		    i));
	rc = aud_tpl_parse(t, body, strlen(body), k, n);
	free(k);
	json_object_put(keys);
	return rc;
}

/* "name": trimmed, 1 to 100 characters on one line. */
static void
at_name(struct req *r, struct at_body *b, struct json_object *v)
{
	const char	*s;
	size_t		 n;

	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		text_trim(&s, &n);
		if (n > 0 && memchr(s, '\0', n) == NULL &&
		    text_field_ok(s, n, AT_NAME_MAX, 0, NULL) == 0) {
			b->name = req_strndup(r, s, n);
			return;
		}
	}
	api_error_add(b->errors, "name", "Must be a string of 1 to 100 "
	    "characters on one line.");
}

/* Why a message text is refused (valid_message_text), the API's words. */
static const char *const at_text_words[] = {
	[MSGTEXT_OK] = "",
	[MSGTEXT_UTF8] = "Must be UTF-8 without NUL.",
	[MSGTEXT_EMPTY] = "Must not be blank.",
	[MSGTEXT_CONTROL] = "Must not hold control characters: only tab, "
	    "line feed and CR LF are allowed.",
	[MSGTEXT_LONG] = "At most 65536 characters.",
};

/* "body": a message text and a template; 0, or 503. */
static int
at_text(struct req *r, struct at_body *b, struct json_object *v)
{
	struct aud_tpl	 t;
	enum msg_text	 why;
	char		*s, detail[320];
	size_t		 n, count;
	int		 rc;

	if (!json_object_is_type(v, json_type_string)) {
		api_error_add(b->errors, "body", "Must be a string.");
		return 0;
	}
	n = (size_t)json_object_get_string_len(v);
	s = req_strndup(r, json_object_get_string(v), n);
	if ((why = valid_message_text(s, &n, &count)) != MSGTEXT_OK) {
		api_error_add(b->errors, "body", at_text_words[why]);
		return 0;
	}
	if ((rc = at_parse(r, s, &t)) == 503)
		return 503;
	if (rc == -1) {
		snprintf(detail, sizeof(detail), "Line %u, column %u: %s",
		    t.err.line, t.err.col, t.err.why);
		api_error_code_add(b->errors, "body", detail, "template-syntax");
	} else
		b->body = s;
	aud_tpl_free(&t);
	return 0;
}

/*
 * Check the request's JSON into b; *json owns the parse. The number of
 * errors in b->errors, or -1 when the database failed.
 */
static int
at_body_check(struct req *r, struct at_body *b, struct json_object **json)
{
	struct parse_limits	 lim = parse_limits_default;
	int			 failed = 0;

	memset(b, 0, sizeof(*b));
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, val) {
		if (strcmp(k, "name") == 0)
			at_name(r, b, val);
		else if (strcmp(k, "body") == 0)
			failed |= at_text(r, b, val) != 0;
		else
			api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
	}
	return failed ? -1 : (int)json_object_array_length(b->errors);
}

/* The unknown variables of body as [{name, line, column}] in o. */
static int
at_unknown(struct req *r, struct json_object *o, const char *body)
{
	struct json_object	*a = json_object_new_array(), *e;
	struct aud_tpl		 t;
	size_t			 i;

	if (at_parse(r, body, &t) == 503) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < t.nwarn; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string_len(
		    body + t.warn[i].off, (int)t.warn[i].len));
		json_object_object_add(e, "line", json_object_new_int(
		    (int)t.warn[i].line));
		json_object_object_add(e, "column", json_object_new_int(
		    (int)t.warn[i].col));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "unknown_variables", a);
	aud_tpl_free(&t);
	return 0;
}

/* Answer status with customer's template id (404 when none). */
static int
at_answer(struct req *r, int status, const char *id)
{
	const char		*params[2] = { r->cid, id };
	struct json_object	*o;
	PGresult		*res;
	char			 loc[64];

	if ((res = db_exec(&r->app->db, &at_sql[AT_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such template.");
	}
	o = json_tokener_parse(db_get(res, 0, ATG_TPL));
	if (o == NULL || at_unknown(r, o, db_get(res, 0, ATG_BODY)) == -1) {
		json_object_put(o);
		PQclear(res);
		return 503;
	}
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/templates/%s", id);
		resp_header(r, "Location", loc);
	}
	PQclear(res);
	return api_json(r, status, o);
}

/* GET /api/v1/templates?cursor=&limit= */
static int
at_list(struct req *r)
{
	struct json_object	*o, *data;
	char			 cursor[24], limit[24];
	const char		*params[3] = { r->cid, cursor, limit }, *next;
	PGresult		*res;

	if (api_invalid_inputs(r))
		return 0;
	snprintf(cursor, sizeof(cursor), "%lld", r->in[AT_IN_CURSOR].s !=
	    NULL ? (long long)r->in[AT_IN_CURSOR].i : 0LL);
	snprintf(limit, sizeof(limit), "%lld", r->in[AT_IN_LIMIT].s != NULL ?
	    (long long)r->in[AT_IN_LIMIT].i : 50LL);
	if ((res = db_exec(&r->app->db, &at_sql[AT_LIST], params)) == NULL)
		return 503;
	o = json_object_new_object();
	data = json_tokener_parse(db_get(res, 0, ATL_LIST));
	next = db_get(res, 0, ATL_NEXT);
	json_object_object_add(o, "data", data != NULL ? data :
	    json_object_new_array());
	json_object_object_add(o, "next_cursor", *next != '\0' ?
	    json_object_new_string(next) : NULL);
	PQclear(res);
	return api_json(r, 200, o);
}

/* GET /api/v1/templates/{id} */
static int
at_get(struct req *r)
{
	return at_answer(r, 200, r->args[0]);
}

/* Save b as template id (NULL: new), then answer status with it. */
static int
at_save(struct req *r, const char *id, const char *name, const char *body,
    int status)
{
	const char	*params[4] = { r->cid, id, name, body };
	const char	*problem;
	char		 saved[24];
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &at_sql[AT_SAVE], params)) == NULL)
		return 503;
	problem = db_get(res, 0, ATS_PROBLEM);
	snprintf(saved, sizeof(saved), "%s", db_get(res, 0, ATS_ID));
	if (*problem == '\0') {
		PQclear(res);
		return at_answer(r, status, saved);
	}
	if (strcmp(problem, "dup") == 0) {
		PQclear(res);
		return api_existing(r, &at_sql[AT_BY_NAME], name,
		    "duplicate-template", "A template with this name exists; "
		    "existing_id names it.");
	}
	status = strcmp(problem, "max") == 0;
	PQclear(res);
	return status ? api_fail(r, 409, "template-limit", "A customer has "
	    "at most 200 templates: delete some first.") :
	    api_fail(r, 404, "not-found", "No such template.");
}

/* 1 when errors already name field k. */
static int
at_has_error(struct json_object *errors, const char *k)
{
	struct json_object	*f;
	size_t			 i;

	for (i = 0; i < json_object_array_length(errors); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(errors,
		    i), "field", &f) && strcmp(json_object_get_string(f), k) ==
		    0)
			return 1;
	return 0;
}

/* POST /api/v1/templates {name, body} */
static int
at_create(struct req *r)
{
	struct at_body		 b;
	struct json_object	*json = NULL;
	int			 rc;

	if ((rc = at_body_check(r, &b, &json)) >= 0 &&
	    json_object_is_type(json, json_type_object)) {
		if (b.name == NULL && !at_has_error(b.errors, "name"))
			api_error_add(b.errors, "name", "Required.");
		if (b.body == NULL && !at_has_error(b.errors, "body"))
			api_error_add(b.errors, "body", "Required.");
	}
	if (rc == -1)
		rc = 503;
	else if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else
		rc = at_save(r, NULL, b.name, b.body, 201);
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* PATCH /api/v1/templates/{id} {name, body}: absent ones kept. */
static int
at_patch(struct req *r)
{
	const char		*params[2] = { r->cid, r->args[0] };
	struct at_body		 b;
	struct json_object	*json = NULL;
	PGresult		*cur;
	int			 rc;

	if ((cur = db_exec(&r->app->db, &at_sql[AT_GET], params)) == NULL)
		return 503;
	if (PQntuples(cur) != 1) {
		PQclear(cur);
		return api_fail(r, 404, "not-found", "No such template.");
	}
	if ((rc = at_body_check(r, &b, &json)) == -1)
		rc = 503;
	else if (rc > 0)
		rc = api_invalid(r, &b.errors);
	else
		rc = at_save(r, r->args[0], b.name != NULL ? b.name :
		    db_get(cur, 0, ATG_NAME), b.body != NULL ? b.body :
		    db_get(cur, 0, ATG_BODY), 200);
	PQclear(cur);
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* DELETE /api/v1/templates/{id}: its versions go with it. */
static int
at_delete(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &at_sql[AT_DELETE], params)) == NULL)
		return 503;
	return api_deleted(r, res, "template");
}

/* A Bearer API key with the contacts scopes; the name is the usage
 * endpoint. A body of 65,536 characters, JSON-escaped (a surrogate pair
 * \uXXXX\uXXXX: 12 bytes a character at worst), fits in 1 MiB. */
static const struct route at_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/templates",
	    .handler = at_list, .name = "templates.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(at_list_in) },
	{ .method = METHOD_POST, .pattern = "/api/v1/templates",
	    .handler = at_create, .name = "templates.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 1024 * 1024 },
	{ .method = METHOD_GET, .pattern = "/api/v1/templates/{int}",
	    .handler = at_get, .name = "templates.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/templates/{int}",
	    .handler = at_patch, .name = "templates.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 1024 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/templates/{int}",
	    .handler = at_delete, .name = "templates.delete",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write" },
};

const struct module api_templates_module = {
	.name = "api_templates",
	MODULE_ROUTES(at_routes),
	MODULE_SQL(at_sql),
};
