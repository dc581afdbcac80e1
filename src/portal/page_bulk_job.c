/* page_bulk_job.c: a bulk action of the Contacts page run by the runner (a selection over WAPORTAL_BULK_SYNC_MAX): its page with the live progress, then what it changed; cancelling it after a confirmation. */
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
	BJ_ID, BJ_STATE, BJ_DONE, BJ_TOTAL, BJ_ERROR, BJ_CANCEL_ASKED,
	BJ_CREATED, BJ_ELAPSED, BJ_ACTION, BJ_TAG, BJ_FILTER, BJ_NIDS,
	BJ_CHANGED, BJ__MAX
};

enum {
	BJOB_GET,
	BJOB__MAX
};

static const struct stmt bjob_sql[BJOB__MAX] = {
	/* Bulk job $2 of customer $1 with its tag's or list's name. */
	[BJOB_GET] = { "bulk_job.get",
	    "SELECT j.id, j.state, j.done, j.total, j.error, j.cancel_asked, "
	    "coalesce(to_char(j.created_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI'), '') AS created, "
	    "coalesce(extract(epoch FROM wa_now() - j.started_at)::bigint, 0) "
	    "AS elapsed, b.action, coalesce(t.name, g.name, '') AS tag, "
	    "b.filter, "
	    "coalesce(cardinality(b.ids), 0) AS nids, b.changed "
	    "FROM jobs j JOIN bulks b ON b.job_id = j.id "
	    "JOIN users u ON u.id = j.customer_id "
	    "LEFT JOIN tags t ON t.id = b.tag_id AND t.customer_id = j.customer_id "
	    "LEFT JOIN contact_groups g ON g.id = b.group_id "
	    "AND g.customer_id = j.customer_id "
	    "WHERE j.id = $2 AND j.customer_id = $1 AND j.kind = 'bulk'", 2,
	    DB_RETRY, DB_COLS(BJ__MAX, [BJ_ID] = "id", [BJ_STATE] = "state",
	    [BJ_DONE] = "done", [BJ_TOTAL] = "total", [BJ_ERROR] = "error",
	    [BJ_CANCEL_ASKED] = "cancel_asked", [BJ_CREATED] = "created",
	    [BJ_ELAPSED] = "elapsed", [BJ_ACTION] = "action", [BJ_TAG] = "tag",
	    [BJ_FILTER] = "filter", [BJ_NIDS] = "nids",
	    [BJ_CHANGED] = "changed") },
};

/* The strings of bulk_job.mustache and bulk_confirm.mustache. */
static const struct i18n_key bjob_strings[] = {
	T_("bj_title", "Change of many contacts"),
	T_("bj_back", "Back to the contacts"),
	T_("bj_action", "Change"),
	T_("bj_progress", "Progress"),
	T_("bj_walked", "contacts done"),
	T_("bj_time_left", "Time left"),
	T_("bj_cancel", "Cancel the change"),
	T_("bj_keep", "Let it finish"),
	T_("bj_cancel_confirm", "Cancel this change? The contacts it changed "
	    "so far stay changed; the others are left as they are."),
	T_("bj_changed", "Contacts changed"),
	T_("bj_selection", "Selection"),
	T_("bj_sel_filter", "The contacts matching the filter"),
	T_("bj_sel_all", "Every contact"),
	T_("bj_sel_ids", "Contacts ticked one by one"),
};

static const struct {
	const char	*action;
	const char	*word;
} bjob_actions[] = {
	{ "tag_add", N_("Add the tag") },
	{ "tag_remove", N_("Remove the tag") },
	{ "group_add", N_("Add to the list") },
	{ "group_remove", N_("Remove from the list") },
	{ "subscribed", N_("Set the subscription to subscribed") },
	{ "unsubscribed", N_("Set the subscription to unsubscribed") },
	{ "unknown", N_("Set the subscription to unknown") },
	{ "delete", N_("Delete the contacts") },
};

static const char *
bjob_action_word(struct req *r, const char *a)
{
	size_t	 i;

	for (i = 0; i < sizeof(bjob_actions) / sizeof(bjob_actions[0]); i++)
		if (strcmp(bjob_actions[i].action, a) == 0)
			return req_tr(r, bjob_actions[i].word);
	return a;
}

/* Its progress as JSON: the page's view and the live.json. */
static struct json_object *
bjob_progress(struct req *r, const PGresult *res)
{
	struct job_progress	 jp = { db_get(res, 0, BJ_STATE),
				    db_getll(res, 0, BJ_DONE),
				    db_getll(res, 0, BJ_TOTAL),
				    db_getll(res, 0, BJ_ELAPSED),
				    db_get(res, 0, BJ_ERROR) };
	struct json_object	*o = job_progress_json(r, &jp);

	json_object_object_add(o, "changed", json_object_new_int64(
	    db_getll(res, 0, BJ_CHANGED)));
	return o;
}

/* The page's view of the job: what, on which selection, how far. */
static struct json_object *
bjob_view(struct req *r, const PGresult *res)
{
	struct json_object	*v = json_object_new_object();
	struct json_object	*p = bjob_progress(r, res), *over;
	const char		*f = db_get(res, 0, BJ_FILTER);
	char			 url[4200];

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Contacts")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(p, "id", json_object_new_string(
	    db_get(res, 0, BJ_ID)));
	json_object_object_add(p, "created", json_object_new_string(
	    db_get(res, 0, BJ_CREATED)));
	json_object_object_add(p, "action_word", json_object_new_string(
	    bjob_action_word(r, db_get(res, 0, BJ_ACTION))));
	json_object_object_add(p, "tag", json_object_new_string(
	    db_get(res, 0, BJ_TAG)));
	snprintf(url, sizeof(url), "/contacts%s%s", *f != '\0' ? "?" : "", f);
	json_object_object_add(p, "back", json_object_new_string(url));
	json_object_object_add(p, db_getll(res, 0, BJ_NIDS) > 0 ? "sel_ids" :
	    *f == '\0' ? "sel_all" : "sel_filter", json_object_new_boolean(1));
	json_object_object_get_ex(p, "over", &over);
	if (!json_object_get_boolean(over))
		json_object_object_add(v, "refresh", json_object_new_int(5));
	json_object_object_add(v, "job", p);
	return v;
}

static const struct job_page bjob_page = {
	&bjob_sql[BJOB_GET], bjob_view, bjob_progress
};

/* GET /contacts/bulk/{id} */
static int
bjob_show(struct req *r)
{
	return job_page_html(r, &bjob_page, "bulk_job");
}

/* GET /contacts/bulk/{id}/cancel: ask first. */
static int
bjob_confirm(struct req *r)
{
	return job_page_html(r, &bjob_page, "bulk_confirm");
}

/* GET /contacts/bulk/{id}/live.json */
static int
bjob_live(struct req *r)
{
	return job_page_live(r, &bjob_page);
}

/* POST /contacts/bulk/{id}/cancel: cancelled, or asked to stop. */
static int
bjob_cancel(struct req *r)
{
	char	 loc[64], out[16];

	if (aud_job_cancel(&r->app->db, r->cid, r->args[0], out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return 404;
	snprintf(loc, sizeof(loc), "/contacts/bulk/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}

static const struct route bjob_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/bulk/{int}",
	    .handler = bjob_show, .name = "bulk_job", .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/bulk/{int}/live.json",
	    .handler = bjob_live, .name = "bulk_job_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/bulk/{int}/cancel",
	    .handler = bjob_confirm, .name = "bulk_job_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/bulk/{int}/cancel",
	    .handler = bjob_cancel, .name = "bulk_job_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module bulk_job_module = {
	.name = "bulk_job",
	MODULE_ROUTES(bjob_routes),
	MODULE_SQL(bjob_sql),
	MODULE_STRINGS(bjob_strings),
};
