/* api_usage.c: GET /api/v1/usage: the calling key's calls and the customer's totals per day, endpoint and status class. */
#include <stdio.h>

#include "core/db.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

/* The column of API_USAGE_GET: the whole answer as JSON text. */
enum { AU_USAGE, AU__MAX };

enum {
	API_USAGE_GET,
	API_USAGE__MAX
};

static const struct stmt api_usage_sql[API_USAGE__MAX] = {
	/* The key's ($1) calls and the customer's ($2) totals per UTC day,
	 * endpoint and status class over the last 30 days. */
	[API_USAGE_GET] = { "api_usage.get",
	    "SELECT json_build_object('days', 30, 'key', coalesce((SELECT "
	    "json_agg(json_build_object('day', u.day, 'endpoint', u.endpoint,"
	    " 'class', u.class || 'xx', 'count', u.n) ORDER BY u.day DESC, "
	    "u.endpoint, u.class) FROM api_usage u WHERE u.key_id = $1::bigint"
	    " AND u.day > (wa_now() AT TIME ZONE 'UTC')::date - 30), '[]'), "
	    "'customer', coalesce((SELECT json_agg(json_build_object('day', "
	    "d.day, 'endpoint', d.endpoint, 'class', d.class || 'xx', "
	    "'count', d.n) ORDER BY d.day DESC, d.endpoint, d.class) FROM "
	    "(SELECT u.day, u.endpoint, u.class, sum(u.n) AS n FROM api_usage u"
	    " JOIN api_keys a ON a.id = u.key_id WHERE a.customer_id = "
	    "$2::bigint AND u.day > (wa_now() AT TIME ZONE 'UTC')::date - 30 "
	    "GROUP BY 1, 2, 3) d), '[]'))::text AS usage", 2, DB_RETRY,
	    DB_COLS(AU__MAX, [AU_USAGE] = "usage") },
};

/*
 * GET /api/v1/usage: the last 30 UTC days of the key's calls and of all
 * the customer's keys (this call itself is counted once answered).
 */
static int
api_usage(struct req *r)
{
	char		 key[24], cid[24];
	const char	*params[2] = { key, cid };
	PGresult	*res;
	int		 rc;

	snprintf(key, sizeof(key), "%lld", (long long)r->api.key_id);
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &api_usage_sql[API_USAGE_GET],
	    params)) == NULL)
		return 503;
	rc = PQntuples(res) == 1 ?
	    api_json_text(r, 200, db_get(res, 0, AU_USAGE)) : 500;
	PQclear(res);
	return rc;
}

/* Any valid key sees its own usage: no scope. */
static const struct route api_usage_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/usage",
	    .handler = api_usage, .name = "usage.get", .kind = KIND_API,
	    .auth = AUTH_APIKEY },
};

const struct module api_usage_module = {
	.name = "api_usage",
	MODULE_ROUTES(api_usage_routes),
	MODULE_SQL(api_usage_sql),
};
