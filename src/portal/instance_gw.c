/* instance_gw.c: load the customer's own instance for a request and set up the call to its gateway. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "gw/gw.h"
#include "web/req.h"
#include "instance_gw.h"

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
