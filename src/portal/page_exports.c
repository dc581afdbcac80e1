/* page_exports.c: background contact exports in the portal: the list, one export's page with its live progress, cancelling or deleting it after a confirmation, and the download of its file until the link expires. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_export.h"
#include "aud/aud_import.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"
#include "job_page.h"
#include "page_import.h"

#define EXPORTS_PAGE	20	/* exports a page of the list shows */

static const struct input exp_list_in[] = {
	{ "before", input_id, 0 },
};

enum {
	EG_ID, EG_STATE, EG_DONE, EG_TOTAL, EG_ERROR, EG_CANCEL_ASKED,
	EG_CREATED, EG_ELAPSED, EG_FILE_NAME, EG_ROWS, EG_BYTES, EG_EXPIRES,
	EG_GONE, EG_FILTER, EG_NIDS, EG__MAX
};
enum { EN_N, EN__MAX };

enum {
	EXP_GET,
	EXP_LIST,
	EXP_DELETE,
	EXP__MAX
};

/* A time in the customer's zone, or "". */
#define EXP_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"

/* An export's columns (j: jobs, e: exports, u: its customer). */
#define EXP_COLS \
	"j.id, j.state, j.done, j.total, j.error, j.cancel_asked, " \
	EXP_LOCAL("j.created_at") " AS created, " \
	"coalesce(extract(epoch FROM wa_now() - j.started_at)::bigint, 0) " \
	"AS elapsed, e.file_name, e.rows, e.bytes, " \
	EXP_LOCAL("e.expires_at") " AS expires, " \
	"(e.expired OR e.expires_at <= wa_now()) AS gone, e.filter, " \
	"coalesce(cardinality(e.ids), 0) AS nids " \
	"FROM jobs j JOIN exports e ON e.job_id = j.id " \
	"JOIN users u ON u.id = j.customer_id "

#define EXP_COLNAMES \
	DB_COLS(EG__MAX, [EG_ID] = "id", [EG_STATE] = "state", \
	[EG_DONE] = "done", [EG_TOTAL] = "total", [EG_ERROR] = "error", \
	[EG_CANCEL_ASKED] = "cancel_asked", [EG_CREATED] = "created", \
	[EG_ELAPSED] = "elapsed", [EG_FILE_NAME] = "file_name", \
	[EG_ROWS] = "rows", [EG_BYTES] = "bytes", [EG_EXPIRES] = "expires", \
	[EG_GONE] = "gone", [EG_FILTER] = "filter", [EG_NIDS] = "nids")

static const struct stmt exp_sql[EXP__MAX] = {
	[EXP_GET] = { "exports.get",
	    "SELECT " EXP_COLS "WHERE j.id = $2 AND j.customer_id = $1 "
	    "AND j.kind = 'export'", 2, DB_RETRY, EXP_COLNAMES },
	/* Newest first, before id $2 (NULL: from the newest); one more. */
	[EXP_LIST] = { "exports.list",
	    "SELECT " EXP_COLS "WHERE j.customer_id = $1 "
	    "AND j.kind = 'export' AND ($2::bigint IS NULL OR j.id < $2) "
	    "ORDER BY j.id DESC LIMIT 21", 2, DB_RETRY, EXP_COLNAMES },
	/* An export that ended goes, with its file. */
	[EXP_DELETE] = { "exports.delete",
	    "WITH d AS (DELETE FROM jobs WHERE id = $2 AND customer_id = $1 "
	    "AND kind = 'export' AND state IN ('done', 'failed', 'cancelled') "
	    "RETURNING 1) SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(EN__MAX, [EN_N] = "n") },
};

enum { EF_DELETED, EF_CANCELLED, EF__MAX };

static const struct flash exp_flashes[EF__MAX] = {
	[EF_DELETED] = { "export_deleted",
	    N_("The export and its file are deleted."), "success" },
	[EF_CANCELLED] = { "export_cancelled",
	    N_("The export is cancelled; nothing of its file is kept."),
	    "success" },
};

/* The strings of exports.mustache, export_job.mustache, export_confirm. */
static const struct i18n_key exp_strings[] = {
	T_("ex_title", "Exports"),
	T_("ex_lead", "Exports of more contacts than a page can send at once "
	    "run in the background. Their files can be downloaded for a "
	    "while, then they are deleted."),
	T_("ex_back", "Back to the contacts"),
	T_("ex_all", "All exports"),
	T_("ex_col_file", "File"),
	T_("ex_col_created", "Started"),
	T_("ex_col_state", "State"),
	T_("ex_col_rows", "Contacts"),
	T_("ex_col_expires", "Download until"),
	T_("ex_empty", "No exports yet. On the Contacts page, select the "
	    "contacts to export and choose Export."),
	T_("ex_older", "Older exports"),
	T_("ex_newest", "Newest exports"),
	T_("ex_progress", "Progress"),
	T_("ex_rows_written", "contacts written"),
	T_("ex_time_left", "Time left"),
	T_("ex_cancel", "Cancel the export"),
	T_("ex_delete", "Delete the export"),
	T_("ex_keep", "Keep it"),
	T_("ex_cancel_confirm", "Cancel this export? The part of the file "
	    "written so far is deleted."),
	T_("ex_delete_confirm", "Delete this export? Its file can no longer "
	    "be downloaded."),
	T_("ex_download", "Download the CSV"),
	T_("ex_expires", "The link works until"),
	T_("ex_expired", "This export's file has expired and was deleted. "
	    "Export the contacts again from the Contacts page."),
	T_("ex_not_done", "The file is not ready yet: it can be downloaded "
	    "once the export is done."),
	T_("ex_selection", "Selection"),
	T_("ex_sel_all", "Every contact"),
	T_("ex_sel_filter", "The contacts matching the filter"),
	T_("ex_sel_ids", "Contacts ticked one by one"),
	T_("ex_size", "Size"),
};

static struct json_object *
exp_view(struct req *r)
{
	struct json_object	*v = json_object_new_object();

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Exports")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	return v;
}

/* The export {id} of the customer (404 when not theirs). */
static PGresult *
exp_get(struct req *r, int *status)
{
	return job_get(r, &exp_sql[EXP_GET], status);
}

/* An export's progress as JSON: the page's view and the live.json. */
static struct json_object *
exp_progress(struct req *r, const PGresult *res, int i)
{
	struct job_progress	 jp = { db_get(res, i, EG_STATE),
				    db_getll(res, i, EG_DONE),
				    db_getll(res, i, EG_TOTAL),
				    db_getll(res, i, EG_ELAPSED),
				    db_get(res, i, EG_ERROR) };
	struct json_object	*o = job_progress_json(r, &jp);

	json_object_object_add(o, "cancel_asked", json_object_new_boolean(
	    db_getb(res, i, EG_CANCEL_ASKED)));
	return o;
}

/* One export as the view's row or page. */
static struct json_object *
exp_row(struct req *r, const PGresult *res, int i)
{
	struct json_object	*o = exp_progress(r, res, i);
	const char		*st = db_get(res, i, EG_STATE);
	int			 done = strcmp(st, "done") == 0;
	char			 n[32];

	json_object_object_add(o, "id", json_object_new_string(
	    db_get(res, i, EG_ID)));
	json_object_object_add(o, "file_name", json_object_new_string(
	    db_get(res, i, EG_FILE_NAME)));
	json_object_object_add(o, "created", json_object_new_string(
	    db_get(res, i, EG_CREATED)));
	ct_number(db_getll(res, i, EG_ROWS), n, sizeof(n));
	json_object_object_add(o, "count", json_object_new_string(n));
	json_object_object_add(o, "size", import_size(
	    db_getll(res, i, EG_BYTES)));
	json_object_object_add(o, "done", json_object_new_boolean(done));
	if (done && db_getb(res, i, EG_GONE))
		json_object_object_add(o, "gone", json_object_new_boolean(1));
	else if (done)
		json_object_object_add(o, "expires", json_object_new_string(
		    db_get(res, i, EG_EXPIRES)));
	return o;
}

/* GET /contacts/exports: the customer's exports, 20 a page. */
static int
exp_list(struct req *r)
{
	struct json_object	*v = exp_view(r), *rows;
	const char		*params[2] = { r->cid, r->in[0].s };
	char			 next[24];
	PGresult		*res;
	int			 i, n, rc;

	if ((res = db_exec(&r->app->db, &exp_sql[EXP_LIST], params)) ==
	    NULL) {
		json_object_put(v);
		return 503;
	}
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < EXPORTS_PAGE; i++)
		json_object_array_add(rows, exp_row(r, res, i));
	if (n > EXPORTS_PAGE) {
		snprintf(next, sizeof(next), "%s", db_get(res,
		    EXPORTS_PAGE - 1, EG_ID));
		json_object_object_add(v, "older", json_object_new_string(next));
	}
	PQclear(res);
	json_object_object_add(v, "exports", rows);
	json_object_object_add(v, "has_exports", json_object_new_boolean(n > 0));
	json_object_object_add(v, "paged", json_object_new_boolean(
	    r->in[0].s != NULL));
	rc = resp_html(r, 200, "exports", v);
	json_object_put(v);
	return rc;
}

/* The selection's description and its link on the list. */
static void
exp_selection(struct json_object *v, const PGresult *res)
{
	const char	*f = db_get(res, 0, EG_FILTER);
	char		 url[4200];

	if (db_getll(res, 0, EG_NIDS) > 0)
		json_object_object_add(v, "sel_ids", json_object_new_boolean(1));
	else if (*f == '\0')
		json_object_object_add(v, "sel_all", json_object_new_boolean(1));
	else {
		snprintf(url, sizeof(url), "/contacts?%s", f);
		json_object_object_add(v, "sel_filter",
		    json_object_new_string(url));
	}
}

/* An export's page (status: 200, 409 or 410 from the download). */
static int
exp_page(struct req *r, const PGresult *res, int status)
{
	struct json_object	*v = exp_view(r);
	struct json_object	*e = exp_row(r, res, 0);
	int			 rc;

	exp_selection(e, res);
	if (status == 409)
		json_object_object_add(v, "not_done", json_object_new_boolean(1));
	if (!job_over(db_get(res, 0, EG_STATE)))
		json_object_object_add(v, "refresh", json_object_new_int(5));
	json_object_object_add(v, "export", e);
	rc = resp_html(r, status, "export_job", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/exports/{id} */
static int
exp_show(struct req *r)
{
	PGresult	*res;
	int		 status = 0, rc;

	if ((res = exp_get(r, &status)) == NULL)
		return status;
	rc = exp_page(r, res, 200);
	PQclear(res);
	return rc;
}

/* GET /contacts/exports/{id}/live.json: the progress the page shows. */
static int
exp_live(struct req *r)
{
	struct json_object	*o;
	PGresult		*res;
	int			 status = 0;

	if ((res = exp_get(r, &status)) == NULL)
		return status;
	o = exp_progress(r, res, 0);
	PQclear(res);
	return job_live_answer(r, o);
}

/* GET /contacts/exports/{id}/cancel: ask first. */
static int
exp_confirm(struct req *r)
{
	struct json_object	*v;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = exp_get(r, &status)) == NULL)
		return status;
	v = exp_view(r);
	json_object_object_add(v, "export", exp_row(r, res, 0));
	PQclear(res);
	rc = resp_html(r, 200, "export_confirm", v);
	json_object_put(v);
	return rc;
}

/*
 * POST /contacts/exports/{id}/cancel: a queued or running export is
 * cancelled (its page then says so), one that ended is deleted.
 */
static int
exp_cancel(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	char		 loc[64], out[16];
	PGresult	*res;
	int64_t		 n;

	if (aud_job_cancel(&r->app->db, r->cid, r->args[0], out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return 404;
	if (strcmp(out, "over") != 0) {
		if (strcmp(out, "cancelled") == 0)
			flash_set(r, &exp_flashes[EF_CANCELLED]);
		snprintf(loc, sizeof(loc), "/contacts/exports/%s", r->args[0]);
		return resp_redirect(r, 303, loc);
	}
	if ((res = db_exec(&r->app->db, &exp_sql[EXP_DELETE], params)) ==
	    NULL)
		return 503;
	n = db_getll(res, 0, EN_N);
	PQclear(res);
	if (n != 1)
		return 404;
	flash_set(r, &exp_flashes[EF_DELETED]);
	return resp_redirect(r, 303, "/contacts/exports");
}

static void
exp_put(void *arg, const char *s, size_t n)
{
	resp_write(arg, s, n);
}

/* The file of a done export as the response. */
static int
exp_stream(struct req *r, const char *disp)
{
	resp_status(r, 200);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition", disp);
	resp_header(r, "Cache-Control", "no-store");
	if (aud_export_send(&r->app->db, r->args[0], exp_put, r) == -1)
		log_warnx("request %s: export %s: %s", r->id, r->args[0],
		    r->app->db.errmsg);
	resp_finish(r);
	return 0;
}

/*
 * GET /contacts/exports/{id}/file: the CSV, a stored piece at a time;
 * 409 (the page) while it is not done, 410 once expired.
 */
static int
exp_file(struct req *r)
{
	char		 state[AUD_EXPORT_STATE_MAX], name[AUD_EXPORT_NAME_MAX];
	char		 disp[320];
	PGresult	*res;
	int		 status = 0, rc;

	if (aud_export_file(&r->app->db, r->customer_id, r->args[0], state,
	    name) == -1)
		return 503;
	if (strcmp(state, "not_found") == 0)
		return 404;
	if (strcmp(state, "ok") != 0) {
		if ((res = exp_get(r, &status)) == NULL)
			return status;
		rc = exp_page(r, res, strcmp(state, "expired") == 0 ? 410 :
		    409);
		PQclear(res);
		return rc;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	return exp_stream(r, disp);
}

static const struct route exp_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/exports",
	    .handler = exp_list, .name = "exports", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(exp_list_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/exports/{int}",
	    .handler = exp_show, .name = "export", .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/exports/{int}/live.json",
	    .handler = exp_live, .name = "export_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/exports/{int}/cancel",
	    .handler = exp_confirm, .name = "export_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/exports/{int}/cancel",
	    .handler = exp_cancel, .name = "export_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_GET, .pattern = "/contacts/exports/{int}/file",
	    .handler = exp_file, .name = "export_file",
	    .auth = AUTH_SESSION },
};

const struct module exports_module = {
	.name = "exports",
	MODULE_ROUTES(exp_routes),
	MODULE_SQL(exp_sql),
	MODULE_STRINGS(exp_strings),
	MODULE_FLASHES(exp_flashes),
};
