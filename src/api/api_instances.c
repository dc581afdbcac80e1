/* api_instances.c: GET /api/v1/instances and /api/v1/instances/{id}: the customer's numbers with their daily cap, warm-up and day's sends, never the host's secrets; PATCH /api/v1/instances/{id} sets the cap and the warm-up (sql/0033). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/utf8.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AI_CAP_MAX	100000	/* instances.daily_cap's CHECK */

/* One instance of the API as JSON from i (instances) and h (hosts) with
 * l.day, its limit in its day now (wa_instance_day_limit, 0: none): its
 * cap and warm-up, what it sent in the day window still open (0 once it
 * ended) and the room left (NULL: no limit). */
#define AI_JSON \
	"json_build_object('id', i.id, 'name', i.name, " \
	"'status', i.status, 'phone', i.phone, 'host', json_build_object(" \
	"'name', h.name, 'city', h.city, 'country', h.country), " \
	"'daily_cap', i.daily_cap, 'warmup', i.warmup_since IS NOT NULL, " \
	"'warmup_since', to_char(i.warmup_since AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'day_limit', l.day, " \
	"'day_sent', s.sent, 'day_room', CASE WHEN l.day > 0 THEN " \
	"greatest(l.day - s.sent, 0) END)::text AS instance"
#define AI_FROM \
	"FROM instances i JOIN hosts h ON h.id = i.host_id " \
	"CROSS JOIN LATERAL (SELECT wa_instance_day_limit(i.daily_cap, " \
	"i.warmup_since) AS day) l CROSS JOIN LATERAL (SELECT CASE WHEN " \
	"i.day_started_at <= wa_now() - interval '1 day' THEN 0 " \
	"ELSE i.day_sent END AS sent) s "

/* The column of API_INST_LIST: one instance as JSON text. */
enum { AI_INSTANCE, AI__MAX };
enum { AIP_ID, AIP__MAX };

enum {
	API_INST_LIST,
	API_INST_PATCH,
	API_INST__MAX
};

static const struct stmt api_inst_sql[API_INST__MAX] = {
	/* The customer's ($1) instances, or one ($2; 0: all): never the
	 * host's URL, key or secret, nor the session. */
	[API_INST_LIST] = { "api_instances.list",
	    "SELECT " AI_JSON " " AI_FROM
	    "WHERE i.customer_id = $1::bigint AND ($2::bigint = 0 OR "
	    "i.id = $2::bigint) ORDER BY i.id", 2, DB_RETRY,
	    DB_COLS(AI__MAX, [AI_INSTANCE] = "instance") },
	/* Cap $3 and warm-up $4 (NULL keeps each) of instance $2 of
	 * customer $1; a warm-up already on keeps its first day. */
	[API_INST_PATCH] = { "api_instances.patch",
	    "UPDATE instances SET daily_cap = coalesce($3::int, daily_cap), "
	    "warmup_since = CASE WHEN $4::boolean IS NULL THEN warmup_since "
	    "WHEN $4::boolean THEN coalesce(warmup_since, wa_now()) END "
	    "WHERE id = $2::bigint AND customer_id = $1::bigint RETURNING id",
	    4, DB_ONCE, DB_COLS(AIP__MAX, [AIP_ID] = "id") },
};

/* The customer's instances (id "0": all) as rows of JSON text. */
static PGresult *
api_inst_rows(struct req *r, const char *id)
{
	const char	*params[2] = { r->cid, id };

	return db_exec(&r->app->db, &api_inst_sql[API_INST_LIST], params);
}

/* GET /api/v1/instances: {"data": [instance...]}. */
static int
api_instances_list(struct req *r)
{
	struct json_object	*o, *data, *e;
	PGresult		*res;
	int			 i, rc;

	if ((res = api_inst_rows(r, "0")) == NULL)
		return 503;
	data = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((e = json_tokener_parse(db_get(res, i, AI_INSTANCE))) !=
		    NULL)
			json_object_array_add(data, e);
	PQclear(res);
	o = json_object_new_object();
	json_object_object_add(o, "data", data);
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* GET /api/v1/instances/{id}: one of the customer's, else 404. */
static int
api_instances_get(struct req *r)
{
	PGresult	*res;
	int		 rc;

	if ((res = api_inst_rows(r, r->args[0])) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "instance-not-found", NULL);
	}
	rc = api_json_text(r, 200, db_get(res, 0, AI_INSTANCE));
	PQclear(res);
	return rc;
}

/* A checked PATCH body: the cap and the warm-up, NULL when not given. */
struct ai_body {
	char			 cap[16];
	const char		*capp;
	const char		*warmup;
	struct json_object	*errors;
};

/*
 * Check the body {daily_cap, warmup} into b; *json owns the parse.
 * Returns the number of errors in b->errors.
 */
static size_t
ai_body_check(struct req *r, struct ai_body *b, struct json_object **json)
{
	struct parse_limits	 lim = parse_limits_default;
	int64_t			 n;

	memset(b, 0, sizeof(*b));
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, val) {
		if (strcmp(k, "daily_cap") == 0) {
			n = json_object_get_int64(val);
			if (json_object_is_type(val, json_type_int) &&
			    n >= 0 && n <= AI_CAP_MAX) {
				snprintf(b->cap, sizeof(b->cap), "%lld",
				    (long long)n);
				b->capp = b->cap;
			} else
				api_error_add(b->errors, "daily_cap", "Must be "
				    "a whole number from 0 (no daily limit) to "
				    "100000.");
		} else if (strcmp(k, "warmup") == 0) {
			if (json_object_is_type(val, json_type_boolean))
				b->warmup = json_object_get_boolean(val) ?
				    "t" : "f";
			else
				api_error_add(b->errors, "warmup",
				    "Must be true or false.");
		} else
			api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
	}
	return json_object_array_length(b->errors);
}

/*
 * PATCH /api/v1/instances/{id}: {daily_cap, warmup} of one of the
 * customer's numbers; 200 with the instance, 404, 422 (nothing changed).
 */
static int
api_instances_patch(struct req *r)
{
	struct ai_body		 b;
	struct json_object	*json = NULL;
	const char		*params[4];
	PGresult		*res;
	int			 rc, found;

	if (ai_body_check(r, &b, &json) > 0) {
		rc = api_invalid(r, &b.errors);
		goto out;
	}
	params[0] = r->cid;
	params[1] = r->args[0];
	params[2] = b.capp;
	params[3] = b.warmup;
	if ((res = db_exec(&r->app->db, &api_inst_sql[API_INST_PATCH],
	    params)) == NULL) {
		rc = 503;
		goto out;
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	rc = found ? api_instances_get(r) :
	    api_fail(r, 404, "instance-not-found", NULL);
out:
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

static const struct route api_inst_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/instances",
	    .handler = api_instances_list, .name = "instances.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "instances:read" },
	{ .method = METHOD_GET, .pattern = "/api/v1/instances/{int}",
	    .handler = api_instances_get, .name = "instances.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "instances:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/instances/{int}",
	    .handler = api_instances_patch, .name = "instances.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "instances:write",
	    .body = BODY_RAW_JSON, .max_body = 4 * 1024 },
};

const struct module api_instances_module = {
	.name = "api_instances",
	MODULE_ROUTES(api_inst_routes),
	MODULE_SQL(api_inst_sql),
};
