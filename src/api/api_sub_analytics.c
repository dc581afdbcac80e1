/* api_sub_analytics.c: GET /api/v1/subscriptions/analytics: daily opt-ins, opt-outs and net growth of the last 7, 30 or 90 days in the customer's time zone, and the top opt-out sources. */
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

enum { ASA_IN_DAYS, ASA_IN__MAX };

/* A bad value reaches the handler (pass_invalid): a 400 naming it. */
static const struct input asa_in[ASA_IN__MAX] = {
	[ASA_IN_DAYS] = { "days", asa_in_days, 0 },
};

static const char asa_err_days[] = N_("days must be 7, 30 or 90.");

/* The column of ASA_GET: the whole answer as JSON text. */
enum { ASG_ANALYTICS, ASG__MAX };

enum { ASA_GET, ASA__MAX };

static const struct stmt asa_sql[ASA__MAX] = {
	/* Customer $1's last $2 days (sql/0022: the slots, never the log). */
	[ASA_GET] = { "api_sub_analytics.get",
	    "SELECT wa_consent_analytics($1::bigint, $2::integer)::text "
	    "AS analytics", 2, DB_RETRY,
	    DB_COLS(ASG__MAX, [ASG_ANALYTICS] = "analytics") },
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

/*
 * GET /api/v1/subscriptions/analytics?days=7|30|90 (30 when absent):
 * every day of the period with its figures, the totals and the opt-out
 * sources, most first. Any other days: 400.
 */
static int
asa_get(struct req *r)
{
	struct json_object	*errors;
	const char		*params[2];
	PGresult		*res;
	int			 rc;

	if (r->in[ASA_IN_DAYS].err != NULL) {
		errors = json_object_new_array();
		api_error_add(errors, "days", asa_err_days);
		return api_problem(r, 400, "bad-request", asa_err_days, errors);
	}
	params[0] = r->cid;
	params[1] = r->in[ASA_IN_DAYS].s != NULL ? r->in[ASA_IN_DAYS].s : "30";
	if ((res = db_exec(&r->app->db, &asa_sql[ASA_GET], params)) == NULL)
		return 503;
	rc = PQntuples(res) == 1 && !db_isnull(res, 0, ASG_ANALYTICS) ?
	    api_json_text(r, 200, db_get(res, 0, ASG_ANALYTICS)) : 500;
	PQclear(res);
	return rc;
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
