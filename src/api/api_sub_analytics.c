/* api_sub_analytics.c: GET /api/v1/subscriptions/analytics: daily opt-ins, opt-outs and net growth of the last 7, 30 or 90 days in the customer's time zone, of all contacts or of one list, and the top opt-out sources. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

static int	asa_in_days(struct req *, struct field *);

enum { ASA_IN_DAYS, ASA_IN_GROUP, ASA_IN__MAX };

/* A bad value reaches the handler (pass_invalid): a 400 naming it. */
static const struct input asa_in[ASA_IN__MAX] = {
	[ASA_IN_DAYS] = { "days", asa_in_days, 0 },
	[ASA_IN_GROUP] = { "group", input_id, 0 },
};

static const char asa_err_days[] = N_("days must be 7, 30 or 90.");
static const char asa_err_group[] = N_("group must be the id of one of "
    "your contact groups.");
static const char asa_err_segment[] = N_("Analytics are kept for lists: "
    "a segment's members are found when it is used and have no history.");

/* The columns of ASA_GET and ASA_GROUP: the whole answer as JSON text,
 * and its kind (a group's: list or segment). */
enum { ASG_ANALYTICS, ASG_KIND, ASG__MAX };

enum { ASA_GET, ASA_GROUP, ASA__MAX };

static const struct stmt asa_sql[ASA__MAX] = {
	/* Customer $1's last $2 days (sql/0022: the slots, never the log). */
	[ASA_GET] = { "api_sub_analytics.get",
	    "SELECT wa_consent_analytics($1::bigint, $2::integer)::text "
	    "AS analytics, '' AS kind", 2, DB_RETRY,
	    DB_COLS(ASG__MAX, [ASG_ANALYTICS] = "analytics",
	    [ASG_KIND] = "kind") },
	/* List $2 of customer $1 over its last $3 days (sql/0026): NULL
	 * when the customer has no such group, {kind: segment} for one. */
	[ASA_GROUP] = { "api_sub_analytics.group",
	    "SELECT a::text AS analytics, coalesce(a->>'kind', '') AS kind "
	    "FROM wa_group_analytics($1::bigint, $2::bigint, $3::integer) a",
	    3, DB_RETRY,
	    DB_COLS(ASG__MAX, [ASG_ANALYTICS] = "analytics",
	    [ASG_KIND] = "kind") },
};

/* The period: 7, 30 or 90 (days). */
static int
asa_in_days(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "7") == 0 || strcmp(f->s, "30") == 0 ||
	    strcmp(f->s, "90") == 0)
		return 0;
	f->err = asa_err_days;
	return -1;
}

/* A 400 naming the first bad input. */
static int
asa_bad(struct req *r)
{
	struct json_object	*errors = json_object_new_array();
	int			 days = r->in[ASA_IN_DAYS].err != NULL;

	api_error_add(errors, days ? "days" : "group",
	    days ? asa_err_days : asa_err_group);
	return api_problem(r, 400, "bad-request",
	    days ? asa_err_days : asa_err_group, errors);
}

/* The answer of res (ASA_GET or ASA_GROUP, cleared here): 200 with it,
 * 404 without it (no such group), 400 for a segment. */
static int
asa_answer(struct req *r, PGresult *res)
{
	struct json_object	*errors;
	int			 rc = 500;

	if (PQntuples(res) == 1 && db_isnull(res, 0, ASG_ANALYTICS))
		rc = api_fail(r, 404, "not-found", "No such contact group.");
	else if (PQntuples(res) == 1 &&
	    strcmp(db_get(res, 0, ASG_KIND), "segment") == 0) {
		errors = json_object_new_array();
		api_error_add(errors, "group", asa_err_segment);
		rc = api_problem(r, 400, "bad-request", asa_err_segment, errors);
	} else if (PQntuples(res) == 1)
		rc = api_json_text(r, 200, db_get(res, 0, ASG_ANALYTICS));
	PQclear(res);
	return rc;
}

/*
 * GET /api/v1/subscriptions/analytics?days=7|30|90 (30 when absent)
 * &group=ID (a list; absent: all contacts): every day of the period with
 * its figures, the totals and the opt-out sources, most first. Any other
 * days or group: 400; another customer's group or none: 404; a
 * segment: 400.
 */
static int
asa_get(struct req *r)
{
	const char		*params[3];
	PGresult		*res;

	if (r->in[ASA_IN_DAYS].err != NULL || r->in[ASA_IN_GROUP].err != NULL)
		return asa_bad(r);
	params[0] = r->cid;
	params[1] = r->in[ASA_IN_DAYS].s != NULL ? r->in[ASA_IN_DAYS].s : "30";
	if (r->in[ASA_IN_GROUP].s != NULL) {
		params[2] = params[1];
		params[1] = r->in[ASA_IN_GROUP].s;
		res = db_exec(&r->app->db, &asa_sql[ASA_GROUP], params);
	} else
		res = db_exec(&r->app->db, &asa_sql[ASA_GET], params);
	if (res == NULL)
		return 503;
	return asa_answer(r, res);
}

static const struct route asa_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/subscriptions/analytics",
	    .handler = asa_get, .name = "subscriptions.analytics",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(asa_in) },
};

const struct module api_sub_analytics_module = {
	.name = "api_sub_analytics",
	MODULE_ROUTES(asa_routes),
	MODULE_SQL(asa_sql),
};
