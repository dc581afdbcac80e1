/* probe.c: probe each enabled host that is due with its driver's cheap call and record status and latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/log.h"
#include "gw/gw.h"
#include "probe.h"

/* The columns of PROBE_DUE. */
enum { PD_ID, PD_DRIVER, PD_BASE_URL, PD_API_KEY, PD__MAX };

enum {
	PROBE_DUE,
	PROBE_RECORD,
	PROBE__MAX
};

static const struct stmt probe_sql[PROBE__MAX] = {
	/* Enabled hosts not checked for $1 seconds. */
	[PROBE_DUE] = { "probe.due",
	    "SELECT id, driver, base_url, api_key FROM hosts WHERE enabled "
	    "AND (checked_at IS NULL OR checked_at < wa_now() - "
	    "make_interval(secs => $1::int)) ORDER BY id", 1, DB_RETRY,
	    DB_COLS(PD__MAX, [PD_ID] = "id", [PD_DRIVER] = "driver",
	    [PD_BASE_URL] = "base_url", [PD_API_KEY] = "api_key") },
	/*
	 * Record a probe of host $1: ok $2, latency $3 ms, sessions $4.
	 * Up when it answered within a second, degraded when slower or
	 * after a failure, down after three failures in a row.
	 */
	[PROBE_RECORD] = { "probe.record",
	    "UPDATE hosts SET checked_at = wa_now(), "
	    "failures = CASE WHEN $2::bool THEN 0 ELSE failures + 1 END, "
	    "latency_ms = CASE WHEN $2::bool THEN $3::int ELSE latency_ms END, "
	    "sessions_in_use = CASE WHEN $2::bool THEN $4::int "
	    "ELSE sessions_in_use END, "
	    "status = CASE WHEN $2::bool AND $3::int < 1000 THEN 'up' "
	    "WHEN $2::bool THEN 'degraded' "
	    "WHEN failures + 1 >= 3 THEN 'down' ELSE 'degraded' END "
	    "WHERE id = $1", 4, DB_ONCE, NULL },
};

const struct stmt_set probe_stmts = STMT_SET(probe_sql);

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
	h.base_url = db_get(hosts, i, PD_BASE_URL);
	h.api_key = db_get(hosts, i, PD_API_KEY);
	h.timeout_ms = PROBE_TIMEOUT_MS;
	if ((d = gw_driver_find(db_get(hosts, i, PD_DRIVER))) == GW__MAX)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = gw_drivers[d]->probe(&h, &res) == 0;
	snprintf(ms, sizeof(ms), "%ld", probe_ms_since(&t0));
	snprintf(count, sizeof(count), "%ld", res.count);
	if (!ok)
		log_warnx("host %s: probe failed: %s",
		    db_get(hosts, i, PD_ID), res.errmsg);
	gw_result_free(&res);
	params[0] = db_get(hosts, i, PD_ID);
	params[1] = ok ? "true" : "false";
	params[2] = ms;
	params[3] = count;
	return db_exec_cmd(db, &probe_sql[PROBE_RECORD], params);
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
	if ((hosts = db_exec(db, &probe_sql[PROBE_DUE], params)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(hosts) && rc == 0; i++)
		rc = probe_one(db, hosts, i);
	PQclear(hosts);
	return rc;
}
