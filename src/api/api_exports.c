/* api_exports.c: /api/v1/contacts/exports: start a background export of a filter and/or ids, list, follow, cancel or delete, and download the file until its link expires. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_export.h"
#include "aud/aud_filter.h"
#include "aud/aud_import.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AE_LIMIT_DEFAULT	50
#define AE_LIMIT_MAX		100

enum { AE_LIST_CURSOR, AE_LIST_LIMIT, AE_LIST__MAX };

static int	ae_in_limit(struct req *, struct field *);

static const struct input ae_list_in[AE_LIST__MAX] = {
	[AE_LIST_CURSOR] = { "cursor", input_id, 0 },
	[AE_LIST_LIMIT] = { "limit", ae_in_limit, 0 },
};

enum { AJ_EXPORT, AJ__MAX };
enum { AL_EXPORT, AL_ID, AL__MAX };
enum { AN_N, AN__MAX };

enum {
	AE_GET,
	AE_LIST,
	AE_IDS,
	AE_DELETE,
	AE__MAX
};

/* A timestamp in RFC 3339, UTC, or JSON null. */
#define AE_TIME(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* One export as the API shows it (j: jobs, e: exports). */
#define AE_JSON \
	"json_build_object('id', j.id, 'state', j.state, " \
	"'file_name', e.file_name, 'filter', e.filter, " \
	"'ids', coalesce(cardinality(e.ids), 0), " \
	"'created_at', " AE_TIME("j.created_at") ", " \
	"'started_at', " AE_TIME("j.started_at") ", " \
	"'finished_at', " AE_TIME("j.finished_at") ", " \
	"'progress', json_build_object('rows_done', j.done, " \
	"'rows_total', j.total), " \
	"'rows', CASE WHEN j.state = 'done' THEN e.rows END, " \
	"'bytes', CASE WHEN j.state = 'done' THEN e.bytes END, " \
	"'expires_at', " AE_TIME("e.expires_at") ", " \
	"'expired', coalesce(e.expired OR e.expires_at <= wa_now(), false), " \
	"'download_url', CASE WHEN j.state = 'done' AND NOT e.expired " \
	"AND e.expires_at > wa_now() THEN '/api/v1/contacts/exports/' || " \
	"j.id || '/file' END, " \
	"'error', nullif(j.error, ''), 'cancel_requested', j.cancel_asked)"

static const struct stmt ae_sql[AE__MAX] = {
	[AE_GET] = { "api_exports.get",
	    "SELECT " AE_JSON "::text AS export FROM jobs j "
	    "JOIN exports e ON e.job_id = j.id WHERE j.id = $1 "
	    "AND j.customer_id = $2 AND j.kind = 'export'", 2, DB_RETRY,
	    DB_COLS(AJ__MAX, [AJ_EXPORT] = "export") },
	/* Newest first, from the cursor (an id) down; one row more. */
	[AE_LIST] = { "api_exports.list",
	    "SELECT " AE_JSON "::text AS export, j.id FROM jobs j "
	    "JOIN exports e ON e.job_id = j.id WHERE j.customer_id = $1 "
	    "AND j.kind = 'export' AND ($2::bigint = 0 OR j.id < $2) "
	    "ORDER BY j.id DESC LIMIT $3", 3, DB_RETRY,
	    DB_COLS(AL__MAX, [AL_EXPORT] = "export", [AL_ID] = "id") },
	/* How many of the distinct ids $2 are contacts of customer $1. */
	[AE_IDS] = { "api_exports.ids",
	    "SELECT count(*) AS n FROM contacts WHERE customer_id = $1 "
	    "AND id = ANY ($2::bigint[])", 2, DB_RETRY,
	    DB_COLS(AN__MAX, [AN_N] = "n") },
	[AE_DELETE] = { "api_exports.delete",
	    "WITH d AS (DELETE FROM jobs WHERE id = $1 AND customer_id = $2 "
	    "AND kind = 'export' AND state IN ('done', 'failed', 'cancelled') "
	    "RETURNING 1) SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(AN__MAX, [AN_N] = "n") },
};

/* "limit": 1 to AE_LIMIT_MAX. */
static int
ae_in_limit(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0 && f->i <= AE_LIMIT_MAX)
		return 0;
	f->err = "Not a number from 1 to 100.";
	return -1;
}

/* The export id of the customer as the answer (404 when not theirs). */
static int
ae_answer(struct req *r, int status, const char *id)
{
	const char	*params[2] = { id, r->cid };
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&r->app->db, &ae_sql[AE_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such export.");
	}
	rc = api_json_text(r, status, db_get(res, 0, AJ_EXPORT));
	PQclear(res);
	return rc;
}

/* One member of "filter" as the parameter's text into v; -1: refused. */
static int
ae_param_value(struct json_object *m, struct buf *v)
{
	size_t	 i;

	buf_reset(v);
	buf_append(v, "", 0);
	if (json_object_is_type(m, json_type_string) ||
	    json_object_is_type(m, json_type_int)) {
		buf_puts(v, json_object_get_string(m));
		return 0;
	}
	if (json_object_is_type(m, json_type_boolean)) {
		buf_puts(v, json_object_get_boolean(m) ? "1" : "");
		return 0;
	}
	if (!json_object_is_type(m, json_type_array) ||
	    json_object_array_length(m) > AUD_TAGS_MAX)
		return -1;
	for (i = 0; i < json_object_array_length(m); i++) {
		if (!json_object_is_type(json_object_array_get_idx(m, i),
		    json_type_int))
			return -1;
		buf_printf(v, "%s%s", i > 0 ? "," : "", json_object_get_string(
		    json_object_array_get_idx(m, i)));
	}
	return 0;
}

/*
 * "filter": the Contacts page's parameters (q, any, all, status, field,
 * eq, min, max, from, to, never, sort) as the page's query string in q.
 * Each refused one is added to errors as "filter.<name>".
 */
static void
ae_filter(struct json_object *o, struct buf *q, struct json_object *errors)
{
	struct aud_filter	 f;
	struct buf		 v = BUF_INIT, name = BUF_INIT;
	int			 p, rc;

	aud_filter_init(&f);
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		api_error_add(errors, "filter", "Not an object.");
		return;
	}
	if (o != NULL) {
		json_object_object_foreach(o, key, m) {
			buf_reset(&name);
			buf_printf(&name, "filter.%s", key);
			rc = strcmp(key, "after") == 0 ||
			    strcmp(key, "before") == 0 ? 1 :
			    ae_param_value(m, &v) == -1 ? -2 :
			    aud_filter_set(&f, key, buf_str(&v));
			if (rc == 1)
				api_error_add(errors, buf_str(&name),
				    "Not a parameter of the contacts' filter.");
			else if (rc == -2)
				api_error_add(errors, buf_str(&name),
				    "Not a string, a number or a list of ids.");
		}
	}
	for (p = 0; p < AUD_P__MAX; p++)
		if (f.err[p] != NULL) {
			buf_reset(&name);
			buf_printf(&name, "filter.%s", aud_param_names[p]);
			api_error_add(errors, buf_str(&name), f.err[p]);
		}
	aud_filter_query(&f, q);
	buf_free(&v);
	buf_free(&name);
}

/* The stored filter parsed as the runner will: the field, the tags. */
static int
ae_filter_check(struct req *r, const char *q, struct json_object *errors)
{
	struct aud_filter	 f;
	struct buf		 name = BUF_INIT;
	int			 p, rc;

	if ((rc = aud_selection_parse(&r->app->db, r->customer_id, q,
	    &f)) == -2)
		return -1;
	for (p = 0; rc == -1 && p < AUD_P__MAX; p++)
		if (f.err[p] != NULL) {
			buf_reset(&name);
			buf_printf(&name, "filter.%s", aud_param_names[p]);
			api_error_add(errors, buf_str(&name), f.err[p]);
		}
	buf_free(&name);
	return 0;
}

/* "ids": 1 to 100,000 ids of the customer's contacts, "{1,2}" in b. */
static int
ae_ids(struct req *r, struct json_object *a, struct buf *b,
    struct json_object *errors)
{
	const char	*params[2] = { r->cid, NULL };
	PGresult	*res;
	size_t		 i, n;
	int64_t		 found, prev = 0, id;

	if (!json_object_is_type(a, json_type_array) ||
	    (n = json_object_array_length(a)) == 0 ||
	    n > AUD_EXPORT_IDS_MAX) {
		api_error_add(errors, "ids", "Not a list of 1 to 100000 ids.");
		return 0;
	}
	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		id = json_object_get_int64(json_object_array_get_idx(a, i));
		if (!json_object_is_type(json_object_array_get_idx(a, i),
		    json_type_int) || id <= prev) {
			api_error_add(errors, "ids",
			    "Not a list of contact ids in increasing order.");
			return 0;
		}
		prev = id;
		buf_printf(b, "%s%lld", i > 0 ? "," : "", (long long)id);
	}
	buf_putc(b, '}');
	params[1] = buf_str(b);
	if ((res = db_exec(&r->app->db, &ae_sql[AE_IDS], params)) == NULL)
		return -1;
	found = db_getll(res, 0, AN_N);
	PQclear(res);
	if (found != (int64_t)n)
		api_error_add(errors, "ids", "Not all of them are ids of your "
		    "contacts.");
	return 0;
}

/* POST /api/v1/contacts/exports: 202 with the queued export. */
static int
ae_create(struct req *r)
{
	struct json_object	*errors = json_object_new_array(), *fo = NULL,
				*ids = NULL;
	struct buf		 q = BUF_INIT, b = BUF_INIT;
	char			 id[24];
	int			 rc = 503;

	if (!json_object_is_type(r->json, json_type_object)) {
		api_error_add(errors, "", "Not a JSON object.");
		goto invalid;
	}
	json_object_object_foreach(r->json, key, m) {
		(void)m;
		if (strcmp(key, "filter") != 0 && strcmp(key, "ids") != 0)
			api_error_add(errors, key, "Not a member of an export.");
	}
	json_object_object_get_ex(r->json, "filter", &fo);
	ae_filter(fo, &q, errors);
	if (json_object_array_length(errors) == 0 &&
	    ae_filter_check(r, buf_str(&q), errors) == -1)
		goto out;
	if (json_object_object_get_ex(r->json, "ids", &ids) &&
	    ae_ids(r, ids, &b, errors) == -1)
		goto out;
invalid:
	if (json_object_array_length(errors) > 0) {
		rc = api_problem(r, 422, "validation-failed", NULL, errors);
		errors = NULL;
		goto out;
	}
	if (aud_export_create(&r->app->db, r->customer_id, buf_str(&q),
	    ids != NULL ? buf_str(&b) : NULL, id) == 0)
		rc = ae_answer(r, 202, id);
out:
	json_object_put(errors);
	buf_free(&q);
	buf_free(&b);
	return rc;
}

/* GET /api/v1/contacts/exports/{id} */
static int
ae_get(struct req *r)
{
	return ae_answer(r, 200, r->args[0]);
}

/*
 * DELETE /api/v1/contacts/exports/{id}: cancel a queued or running
 * export (200 with it), delete one that ended with its file (204).
 */
static int
ae_delete(struct req *r)
{
	const char	*params[2] = { r->args[0], r->cid };
	char		 out[16];
	PGresult	*res;
	int64_t		 n;

	if (aud_job_cancel(&r->app->db, r->cid, r->args[0], out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return api_fail(r, 404, "not-found", "No such export.");
	if (strcmp(out, "over") != 0)
		return ae_answer(r, 200, r->args[0]);
	if ((res = db_exec(&r->app->db, &ae_sql[AE_DELETE], params)) == NULL)
		return 503;
	n = db_getll(res, 0, AN_N);
	PQclear(res);
	if (n != 1)
		return api_fail(r, 404, "not-found", "No such export.");
	api_rate_headers(r);
	resp_status(r, 204);
	resp_finish(r);
	return 0;
}

/* GET /api/v1/contacts/exports: newest first, cursor paged. */
static int
ae_list(struct req *r)
{
	struct json_object	*o, *a;
	char			 cur[24], lim[16];
	const char		*params[3] = { r->cid, cur, lim };
	PGresult		*res;
	int			 limit, i, n, rc;

	if (api_invalid_inputs(r))
		return 0;
	limit = r->in[AE_LIST_LIMIT].s != NULL ?
	    (int)r->in[AE_LIST_LIMIT].i : AE_LIMIT_DEFAULT;
	snprintf(cur, sizeof(cur), "%lld", r->in[AE_LIST_CURSOR].s != NULL ?
	    (long long)r->in[AE_LIST_CURSOR].i : 0LL);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	if ((res = db_exec(&r->app->db, &ae_sql[AE_LIST], params)) == NULL)
		return 503;
	o = json_object_new_object();
	a = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < limit; i++)
		json_object_array_add(a, json_tokener_parse(db_get(res, i,
		    AL_EXPORT)));
	json_object_object_add(o, "data", a);
	json_object_object_add(o, "next_cursor", n > limit ?
	    json_object_new_string(db_get(res, limit - 1, AL_ID)) : NULL);
	PQclear(res);
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

static void
ae_put(void *arg, const char *s, size_t n)
{
	resp_write(arg, s, n);
}

/*
 * GET /api/v1/contacts/exports/{id}/file: the CSV; 409 while it is not
 * done, 410 once its link expired.
 */
static int
ae_file(struct req *r)
{
	char	 state[AUD_EXPORT_STATE_MAX], name[AUD_EXPORT_NAME_MAX];
	char	 disp[320];

	if (aud_export_file(&r->app->db, r->customer_id, r->args[0], state,
	    name) == -1)
		return 503;
	if (strcmp(state, "not_found") == 0)
		return api_fail(r, 404, "not-found", "No such export.");
	if (strcmp(state, "not_done") == 0)
		return api_problem(r, 409, "export-not-ready", NULL, NULL);
	if (strcmp(state, "expired") == 0)
		return api_problem(r, 410, "export-expired", NULL, NULL);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	api_rate_headers(r);
	resp_status(r, 200);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", disp);
	resp_header(r, "Cache-Control", "no-store");
	if (aud_export_send(&r->app->db, r->args[0], ae_put, r) == -1)
		log_warnx("request %s: export %s: %s", r->id, r->args[0],
		    r->app->db.errmsg);
	resp_finish(r);
	return 0;
}

static const struct route ae_routes[] = {
	{ .method = METHOD_POST, .pattern = "/api/v1/contacts/exports",
	    .handler = ae_create, .name = "exports.create", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read", .body = BODY_JSON,
	    .max_body = 1024 * 1024 },
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts/exports",
	    .handler = ae_list, .name = "exports.list", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read", .pass_invalid = 1,
	    ROUTE_INPUTS(ae_list_in) },
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts/exports/{int}",
	    .handler = ae_get, .name = "exports.get", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/contacts/exports/{int}",
	    .handler = ae_delete, .name = "exports.delete", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_GET,
	    .pattern = "/api/v1/contacts/exports/{int}/file",
	    .handler = ae_file, .name = "exports.file", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read" },
};

const struct module api_exports_module = {
	.name = "api_exports",
	MODULE_ROUTES(ae_routes),
	MODULE_SQL(ae_sql),
};
