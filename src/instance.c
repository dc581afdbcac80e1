/* instance.c: load the customer's own instance for a request and set up the call to its gateway. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "gw.h"
#include "instance.h"
#include "req.h"

/*
 * The instance whose id is the path's first argument, if it belongs to
 * the signed-in customer: one row of STMT_INST_GET (the caller
 * PQclear()s it), or NULL when there is none, with *dberr set when the
 * database failed.
 */
PGresult *
instance_load(struct req *r, int *dberr)
{
	char		 cid[24];
	const char	*params[2] = { r->args[0], cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, STMT_INST_GET, params)) == NULL) {
		*dberr = 1;
		return NULL;
	}
	if (PQntuples(res) == 1)
		return res;
	PQclear(res);
	return NULL;
}

/*
 * Fill h to reach the host of the instance in res (its strings point
 * into res) with the given timeout; returns the host's driver, or NULL
 * when no driver has its name.
 */
const struct gw_ops *
instance_gw(PGresult *res, struct gw_host *h, long timeout_ms)
{
	enum gw_driver	 d;

	if ((d = gw_driver_find(PQgetvalue(res, 0, INST_COL_DRIVER))) ==
	    GW__MAX)
		return NULL;
	memset(h, 0, sizeof(*h));
	h->base_url = PQgetvalue(res, 0, INST_COL_BASE_URL);
	h->api_key = PQgetvalue(res, 0, INST_COL_API_KEY);
	h->timeout_ms = timeout_ms;
	return gw_drivers[d];
}
