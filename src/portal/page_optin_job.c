/* page_optin_job.c: double opt-in's "resend to all pending" of a list run by the runner: its page with the live progress, then how many were asked again; cancelling it after a confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_import.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"
#include "job_page.h"

enum {
	OJ_ID, OJ_STATE, OJ_DONE, OJ_TOTAL, OJ_ERROR, OJ_CREATED, OJ_ELAPSED,
	OJ_GROUP, OJ_NAME, OJ_SENT, OJ__MAX
};

enum {
	OJOB_GET,
	OJOB__MAX
};

static const struct stmt ojob_sql[OJOB__MAX] = {
	/* Resend job $2 of customer $1 with its list (gone: 0, ''). */
	[OJOB_GET] = { "optin_job.get",
	    "SELECT j.id, j.state, j.done, j.total, j.error, "
	    "coalesce(to_char(j.created_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI'), '') AS created, "
	    "coalesce(extract(epoch FROM wa_now() - j.started_at)::bigint, 0) "
	    "AS elapsed, coalesce(g.id, 0) AS group_id, "
	    "coalesce(g.name, '') AS name, coalesce(o.sent, 0) AS sent "
	    "FROM jobs j JOIN users u ON u.id = j.customer_id "
	    "LEFT JOIN optin_resends o ON o.job_id = j.id "
	    "LEFT JOIN contact_groups g ON g.id = o.group_id "
	    "AND g.customer_id = j.customer_id "
	    "WHERE j.id = $2::bigint AND j.customer_id = $1::bigint "
	    "AND j.kind = 'optin'", 2, DB_RETRY,
	    DB_COLS(OJ__MAX, [OJ_ID] = "id", [OJ_STATE] = "state",
	    [OJ_DONE] = "done", [OJ_TOTAL] = "total", [OJ_ERROR] = "error",
	    [OJ_CREATED] = "created", [OJ_ELAPSED] = "elapsed",
	    [OJ_GROUP] = "group_id", [OJ_NAME] = "name",
	    [OJ_SENT] = "sent") },
};

/* The strings of optin_job.mustache and optin_confirm.mustache. */
static const struct i18n_key ojob_strings[] = {
	T_("oj_title", "Resending the confirmation"),
	T_("oj_back", "Back to the pending members"),
	T_("oj_list", "List"),
	T_("oj_progress", "Progress"),
	T_("oj_walked", "pending members done"),
	T_("oj_time_left", "Time left"),
	T_("oj_sent", "Confirmations sent again"),
	T_("oj_cancel", "Stop resending"),
	T_("oj_keep", "Let it finish"),
	T_("oj_cancel_confirm", "Stop resending? The confirmations queued so "
	    "far are sent; the other pending members get none now."),
};

/* Its progress as JSON: the page's view and the live.json. */
static struct json_object *
ojob_progress(struct req *r, const PGresult *res)
{
	struct job_progress	 jp = { db_get(res, 0, OJ_STATE),
				    db_getll(res, 0, OJ_DONE),
				    db_getll(res, 0, OJ_TOTAL),
				    db_getll(res, 0, OJ_ELAPSED),
				    db_get(res, 0, OJ_ERROR) };
	struct json_object	*o = job_progress_json(r, &jp);

	json_object_object_add(o, "sent", json_object_new_int64(
	    db_getll(res, 0, OJ_SENT)));
	return o;
}

/* The page's view of the job: which list, how far. */
static struct json_object *
ojob_view(struct req *r, const PGresult *res)
{
	struct json_object	*v = json_object_new_object();
	struct json_object	*p = ojob_progress(r, res), *over;
	char			 url[64];

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Resending the confirmation")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(p, "id", json_object_new_string(
	    db_get(res, 0, OJ_ID)));
	json_object_object_add(p, "created", json_object_new_string(
	    db_get(res, 0, OJ_CREATED)));
	json_object_object_add(p, "name", json_object_new_string(
	    db_get(res, 0, OJ_NAME)));
	if (db_getll(res, 0, OJ_GROUP) > 0) {
		snprintf(url, sizeof(url), "/contacts/groups/%s/pending",
		    db_get(res, 0, OJ_GROUP));
		json_object_object_add(p, "back", json_object_new_string(url));
	}
	json_object_object_get_ex(p, "over", &over);
	if (!json_object_get_boolean(over))
		json_object_object_add(v, "refresh", json_object_new_int(5));
	json_object_object_add(v, "job", p);
	return v;
}

static const struct job_page ojob_page = {
	&ojob_sql[OJOB_GET], ojob_view, ojob_progress
};

/* GET /contacts/optin/{id} */
static int
ojob_show(struct req *r)
{
	return job_page_html(r, &ojob_page, "optin_job");
}

/* GET /contacts/optin/{id}/cancel: ask first. */
static int
ojob_confirm(struct req *r)
{
	return job_page_html(r, &ojob_page, "optin_confirm");
}

/* GET /contacts/optin/{id}/live.json */
static int
ojob_live(struct req *r)
{
	return job_page_live(r, &ojob_page);
}

/* POST /contacts/optin/{id}/cancel: cancelled, or asked to stop. */
static int
ojob_cancel(struct req *r)
{
	PGresult	*res;
	char		 loc[64], out[16];
	int		 status = 0;

	if ((res = job_get(r, ojob_page.get, &status)) == NULL)
		return status;
	PQclear(res);
	if (aud_job_cancel(&r->app->db, r->cid, r->args[0], out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return 404;
	snprintf(loc, sizeof(loc), "/contacts/optin/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}

static const struct route ojob_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/optin/{int}",
	    .handler = ojob_show, .name = "optin_job", .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/optin/{int}/live.json",
	    .handler = ojob_live, .name = "optin_job_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/optin/{int}/cancel",
	    .handler = ojob_confirm, .name = "optin_job_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/optin/{int}/cancel",
	    .handler = ojob_cancel, .name = "optin_job_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module optin_job_module = {
	.name = "optin_job",
	MODULE_ROUTES(ojob_routes),
	MODULE_SQL(ojob_sql),
	MODULE_STRINGS(ojob_strings),
};
