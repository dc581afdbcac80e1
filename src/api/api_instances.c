/* api_instances.c: GET /api/v1/instances and /api/v1/instances/{id}: the customer's numbers, never the host's secrets. */
#include <stdio.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "api.h"

/* The customer's instances (id "0": all) as rows of JSON text. */
static PGresult *
api_inst_rows(struct req *r, const char *id)
{
	char		 cid[24];
	const char	*params[2] = { cid, id };

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	return db_exec(&r->app->db, LEGACY(STMT_API_INST_LIST), params);
}

/* GET /api/v1/instances: {"data": [instance...]}. */
int
api_instances_list(struct req *r)
{
	struct json_object	*o, *data, *e;
	PGresult		*res;
	int			 i, rc;

	if ((res = api_inst_rows(r, "0")) == NULL)
		return 503;
	data = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		if ((e = json_tokener_parse(PQgetvalue(res, i, 0))) != NULL)
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
int
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
	rc = api_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}
