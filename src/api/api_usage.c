/* api_usage.c: GET /api/v1/usage: the calling key's calls and the customer's totals per day, endpoint and status class. */
#include <stdio.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "api.h"

/*
 * GET /api/v1/usage: the last 30 UTC days of the key's calls and of all
 * the customer's keys (this call itself is counted once answered).
 */
int
api_usage(struct req *r)
{
	char		 key[24], cid[24];
	const char	*params[2] = { key, cid };
	PGresult	*res;
	int		 rc;

	snprintf(key, sizeof(key), "%lld", (long long)r->api.key_id);
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_API_USAGE), params)) == NULL)
		return 503;
	rc = PQntuples(res) == 1 ?
	    api_json_text(r, 200, PQgetvalue(res, 0, 0)) : 500;
	PQclear(res);
	return rc;
}
