/* page_import_run.c: a started contact import: its live progress as JSON, cancelling it (or discarding a draft) after a confirmation, and its rejected rows as a CSV download. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_import.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "csvout.h"
#include "job_page.h"
#include "page_import.h"

#define REJECTS_PAGE	1000	/* rows read per statement of the download */

enum { RR_KEY, RR_LINE, RR_COL, RR_VALUE, RR_REASON, RR__MAX };

enum {
	RUN_REJECTS,
	RUN__MAX
};

static const struct stmt run_sql[RUN__MAX] = {
	/* A page of the rejected rows after line $3, in line order (csvout). */
	[RUN_REJECTS] = { "import_run.rejects",
	    "SELECT r.line AS key, r.line, r.col, r.value, r.reason "
	    "FROM import_rejects r "
	    "JOIN jobs j ON j.id = r.job_id WHERE j.customer_id = $1 "
	    "AND r.job_id = $2 AND r.line > $3 ORDER BY r.line LIMIT 1000",
	    3, DB_RETRY, DB_COLS(RR__MAX, [RR_KEY] = "key", [RR_LINE] = "line",
	    [RR_COL] = "col", [RR_VALUE] = "value",
	    [RR_REASON] = "reason") },
};

/* The strings of import_confirm.mustache. */
static const struct i18n_key run_strings[] = {
	T_("im_discard_confirm", "Discard this file? It has not been "
	    "imported; nothing of it will be kept."),
};

/* ------------------------------------------------------------ job page */

/*
 * An import's progress and report as JSON: the page's view and the
 * live.json share it.
 */
struct json_object *
import_progress(struct req *r, const PGresult *imp)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(imp, 0, IG_STATE);
	long long		 done = db_getll(imp, 0, IG_DONE),
				 total = db_getll(imp, 0, IG_TOTAL), eta;
	static const struct { const char *key; int col; } counts[] = {
		{ "total", IG_TOTAL_ROWS }, { "inserted", IG_INSERTED },
		{ "updated", IG_UPDATED }, { "unchanged", IG_UNCHANGED },
		{ "duplicates", IG_DUPLICATES }, { "rejected", IG_REJECTED },
	};
	size_t			 i;

	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "state_word", json_object_new_string(
	    import_state_word(r, st)));
	json_object_object_add(o, "done", json_object_new_int64(done));
	json_object_object_add(o, "size", json_object_new_int64(total));
	json_object_object_add(o, "percent", json_object_new_int(total > 0 ?
	    (int)(done * 100 / total) : 0));
	json_object_object_add(o, "rows", json_object_new_int64(
	    db_getll(imp, 0, IG_ROWS)));
	json_object_object_add(o, "phase", json_object_new_string(
	    db_get(imp, 0, IG_PHASE)));
	eta = job_eta(done, total, db_getll(imp, 0, IG_ELAPSED));
	if (strcmp(st, "running") == 0 && eta >= 0)
		json_object_object_add(o, "eta_s", json_object_new_int64(eta));
	json_object_object_add(o, "over", json_object_new_boolean(
	    strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 ||
	    strcmp(st, "cancelled") == 0));
	if (strcmp(st, "done") == 0)
		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			json_object_object_add(o, counts[i].key,
			    json_object_new_int64(db_getll(imp, 0,
			    counts[i].col)));
	if (*db_get(imp, 0, IG_ERROR) != '\0')
		json_object_object_add(o, "error", json_object_new_string(
		    db_get(imp, 0, IG_ERROR)));
	json_object_object_add(o, "cancel_asked", json_object_new_boolean(
	    db_getb(imp, 0, IG_CANCEL_ASKED)));
	return o;
}

/* A started import's page: progress while it runs, then its report. */
int
import_job_page(struct req *r, const PGresult *imp)
{
	struct json_object	*v = import_view(r);
	struct json_object	*p = import_progress(r, imp);
	struct json_object	*over;
	int			 rc;

	json_object_object_add(v, "id", json_object_new_string(
	    db_get(imp, 0, IG_ID)));
	json_object_object_add(v, "file_name", json_object_new_string(
	    db_get(imp, 0, IG_FILE_NAME)));
	json_object_object_add(v, "file_size", import_size(
	    db_getll(imp, 0, IG_FILE_SIZE)));
	json_object_object_add(v, "created", json_object_new_string(
	    db_get(imp, 0, IG_CREATED)));
	json_object_object_get_ex(p, "over", &over);
	if (!json_object_get_boolean(over))
		json_object_object_add(v, "refresh", json_object_new_int(5));
	json_object_object_add(v, "job", p);
	rc = resp_html(r, 200, "import_job", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/import/{id}/live.json: the progress the page shows. */
static int
run_live(struct req *r)
{
	struct json_object	*o;
	PGresult		*imp;
	int			 status = 0;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	o = import_progress(r, imp);
	PQclear(imp);
	return job_live_answer(r, o);
}

/* GET /contacts/import/{id}/cancel: ask first. */
static int
run_confirm(struct req *r)
{
	struct json_object	*v;
	PGresult		*imp;
	const char		*st;
	int			 status = 0, rc;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	st = db_get(imp, 0, IG_STATE);
	v = import_view(r);
	json_object_object_add(v, "id", json_object_new_string(
	    db_get(imp, 0, IG_ID)));
	json_object_object_add(v, "file_name", json_object_new_string(
	    db_get(imp, 0, IG_FILE_NAME)));
	json_object_object_add(v, strcmp(st, "draft") == 0 ? "draft" :
	    strcmp(st, "queued") == 0 || strcmp(st, "running") == 0 ?
	    "active" : "over", json_object_new_boolean(1));
	PQclear(imp);
	rc = resp_html(r, 200, "import_confirm", v);
	json_object_put(v);
	return rc;
}

/*
 * POST /contacts/import/{id}/cancel: a discarded draft goes back to the
 * imports, a cancelled or stopping one to its page.
 */
static int
run_cancel(struct req *r)
{
	char		 loc[64], out[16];

	if (aud_job_cancel(&r->app->db, r->cid, r->args[0],
	    out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return 404;
	if (strcmp(out, "discarded") == 0)
		snprintf(loc, sizeof(loc), "/contacts/import");
	else
		snprintf(loc, sizeof(loc), "/contacts/import/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}

/*
 * GET /contacts/import/{id}/rejects.csv: line, column, value and the
 * reason's code, streamed a thousand rows at a time by the exports' CSV
 * writer (a BOM, formula cells neutralised).
 */
static int
run_rejects(struct req *r)
{
	static const char *const head[] = { "line", "column", "value",
	    "reason" };
	const char	*params[3] = { r->cid, r->args[0], NULL };
	char		 name[64];
	struct csvout	 c = { &run_sql[RUN_REJECTS], params, 3, head, 4,
			    REJECTS_PAGE, name };
	PGresult	*imp;
	int		 status = 0;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	PQclear(imp);
	snprintf(name, sizeof(name), "import-%s-rejected.csv", r->args[0]);
	return csvout_send(r, &c);
}

static const struct route run_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/import/{int}/live.json",
	    .handler = run_live, .name = "import_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/import/{int}/cancel",
	    .handler = run_confirm, .name = "import_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/import/{int}/cancel",
	    .handler = run_cancel, .name = "import_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_GET, .pattern = "/contacts/import/{int}/rejects.csv",
	    .handler = run_rejects, .name = "import_rejects",
	    .auth = AUTH_SESSION },
};

const struct module import_run_module = {
	.name = "import_run",
	MODULE_ROUTES(run_routes),
	MODULE_SQL(run_sql),
	MODULE_STRINGS(run_strings),
};
