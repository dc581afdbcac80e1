/* api_instances.c: GET /api/v1/instances and /api/v1/instances/{id}: the customer's numbers, never the host's secrets. */
#include <stdio.h>

#include <json-c/json.h>

#include "core/db.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

/* The column of API_INST_LIST: one instance as JSON text. */
enum { AI_INSTANCE, AI__MAX };

enum {
	API_INST_LIST,
	API_INST__MAX
};

static const struct stmt api_inst_sql[API_INST__MAX] = {
	/* The customer's ($1) instances, or one ($2; 0: all): never the
	 * host's URL, key or secret, nor the session. */
	[API_INST_LIST] = { "api_instances.list",
	    "SELECT json_build_object('id', i.id, 'name', i.name, "
	    "'status', i.status, 'phone', i.phone, 'host', json_build_object("
	    "'name', h.name, 'city', h.city, 'country', h.country))::text "
	    "AS instance FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.customer_id = $1::bigint AND ($2::bigint = 0 OR "
	    "i.id = $2::bigint) ORDER BY i.id", 2, DB_RETRY,
	    DB_COLS(AI__MAX, [AI_INSTANCE] = "instance") },
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

static const struct route api_inst_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/instances",
	    .handler = api_instances_list, .name = "instances.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "instances:read" },
	{ .method = METHOD_GET, .pattern = "/api/v1/instances/{int}",
	    .handler = api_instances_get, .name = "instances.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "instances:read" },
};

const struct module api_instances_module = {
	.name = "api_instances",
	MODULE_ROUTES(api_inst_routes),
	MODULE_SQL(api_inst_sql),
};
