/* throttle.c: failed password checks counted per account and client address in PostgreSQL, and the wait past the limit. */
#include <stdio.h>

#include "core/db.h"
#include "core/log.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "throttle.h"

/* The limits (docs/security.md): failures in a sliding window. */
#define THROTTLE_WINDOW		900	/* seconds */
#define THROTTLE_MAX_ACCOUNT	10	/* failures per account per window */
#define THROTTLE_MAX_ADDR	50	/* failures per client address */

/* The columns of THROTTLE_CHECK. */
enum { TC_ACCOUNT, TC_ADDR, TC_ACCOUNT_WAIT, TC_ADDR_WAIT, TC__MAX };

enum {
	THROTTLE_CHECK,
	THROTTLE_FAIL,
	THROTTLE_CLEAR,
	THROTTLE__MAX
};

static const struct stmt throttle_sql[THROTTLE__MAX] = {
	/*
	 * Failures in the window ($3 s) for the account ($1) and the
	 * address ($2), and the seconds until the oldest of each leaves it.
	 */
	[THROTTLE_CHECK] = { "throttle.check",
	    "SELECT count(*) FILTER (WHERE email = $1) AS account, "
	    "count(*) FILTER (WHERE remote_addr = $2) AS addr, "
	    "COALESCE(ceil(extract(epoch FROM min(failed_at) FILTER "
	    "(WHERE email = $1) + make_interval(secs => $3::int) - wa_now())), "
	    "0) AS account_wait, "
	    "COALESCE(ceil(extract(epoch FROM min(failed_at) FILTER "
	    "(WHERE remote_addr = $2) + make_interval(secs => $3::int) - "
	    "wa_now())), 0) AS addr_wait "
	    "FROM login_failures WHERE (email = $1 OR remote_addr = $2) "
	    "AND failed_at > wa_now() - make_interval(secs => $3::int)", 3,
	    DB_RETRY, DB_COLS(TC__MAX, [TC_ACCOUNT] = "account",
	    [TC_ADDR] = "addr", [TC_ACCOUNT_WAIT] = "account_wait",
	    [TC_ADDR_WAIT] = "addr_wait") },
	[THROTTLE_FAIL] = { "throttle.fail",
	    "INSERT INTO login_failures (email, remote_addr) VALUES ($1, $2)",
	    2, DB_ONCE, NULL },
	[THROTTLE_CLEAR] = { "throttle.clear",
	    "DELETE FROM login_failures WHERE email = $1", 1, DB_ONCE, NULL },
};

/* The client's address as nginx gives it ("" when it does not). */
static const char *
throttle_addr(const struct req *r)
{
	const char	*addr = req_env(r, "REMOTE_ADDR");

	return addr != NULL ? addr : "";
}

/*
 * How long the account email or this request's address must wait: 0
 * when it may try, else seconds, also set as Retry-After. -1 when the
 * database failed.
 */
long
throttle_wait(struct req *r, const char *email)
{
	const char	*params[3];
	char		 window[16], secs[24];
	PGresult	*res;
	long		 wait = 0;

	snprintf(window, sizeof(window), "%d", THROTTLE_WINDOW);
	params[0] = email, params[1] = throttle_addr(r), params[2] = window;
	if ((res = db_exec(&r->app->db, &throttle_sql[THROTTLE_CHECK],
	    params)) == NULL)
		return -1;
	if (db_getll(res, 0, TC_ACCOUNT) >= THROTTLE_MAX_ACCOUNT)
		wait = (long)db_getll(res, 0, TC_ACCOUNT_WAIT);
	if (db_getll(res, 0, TC_ADDR) >= THROTTLE_MAX_ADDR &&
	    db_getll(res, 0, TC_ADDR_WAIT) > wait)
		wait = (long)db_getll(res, 0, TC_ADDR_WAIT);
	PQclear(res);
	if (wait < 0)
		wait = 1;
	if (wait > 0) {
		snprintf(secs, sizeof(secs), "%ld", wait);
		resp_header(r, "Retry-After", secs);
	}
	return wait;
}

/* Record a failed check for the account email and this address. */
void
throttle_fail(struct req *r, const char *email)
{
	const char	*params[2] = { email, throttle_addr(r) };

	if (db_exec_cmd(&r->app->db, &throttle_sql[THROTTLE_FAIL], params) ==
	    -1)
		log_warnx("request %s: password failure not recorded: %s",
		    r->id, r->app->db.errmsg);
}

/* A right password: forget the account's failures (not the address's). */
void
throttle_clear(struct req *r, const char *email)
{
	const char	*params[1] = { email };

	if (db_exec_cmd(&r->app->db, &throttle_sql[THROTTLE_CLEAR], params) ==
	    -1)
		log_warnx("request %s: password failures not cleared: %s",
		    r->id, r->app->db.errmsg);
}

/* The statements for the check (modules.c lists it). */
const struct module throttle_module = {
	.name = "throttle",
	MODULE_SQL(throttle_sql),
};
