/* probe.c: probe each enabled host that is due with its driver's cheap call and record status and latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/db_stmt.h"
#include "core/log.h"
#include "gw/gw.h"
#include "probe.h"

static long
probe_ms_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Probe row i of the due hosts and store the outcome. */
static int
probe_one(struct db *db, PGresult *hosts, int i)
{
	struct gw_host		 h;
	struct gw_result	 res;
	struct timespec		 t0;
	enum gw_driver		 d;
	char			 ms[24], count[24];
	const char		*params[4];
	int			 ok;

	memset(&h, 0, sizeof(h));
	memset(&res, 0, sizeof(res));
	h.base_url = PQgetvalue(hosts, i, 2);
	h.api_key = PQgetvalue(hosts, i, 3);
	h.timeout_ms = PROBE_TIMEOUT_MS;
	if ((d = gw_driver_find(PQgetvalue(hosts, i, 1))) == GW__MAX)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = gw_drivers[d]->probe(&h, &res) == 0;
	snprintf(ms, sizeof(ms), "%ld", probe_ms_since(&t0));
	snprintf(count, sizeof(count), "%ld", res.count);
	if (!ok)
		log_warnx("host %s: probe failed: %s", PQgetvalue(hosts, i, 0),
		    res.errmsg);
	gw_result_free(&res);
	params[0] = PQgetvalue(hosts, i, 0);
	params[1] = ok ? "true" : "false";
	params[2] = ms;
	params[3] = count;
	return db_exec_cmd(db, LEGACY(STMT_HOST_PROBED), params);
}

/*
 * Probe every enabled host not checked for interval seconds. Returns
 * 0, or -1 when the database failed (the caller reconnects).
 */
int
probe_hosts(struct db *db, long interval)
{
	char		 secs[24];
	const char	*params[1] = { secs };
	PGresult	*hosts;
	int		 i, rc = 0;

	snprintf(secs, sizeof(secs), "%ld", interval);
	if ((hosts = db_exec(db, LEGACY(STMT_HOSTS_TO_PROBE), params)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(hosts) && rc == 0; i++)
		rc = probe_one(db, hosts, i);
	PQclear(hosts);
	return rc;
}
