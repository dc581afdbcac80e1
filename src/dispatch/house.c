/* house.c: the dispatcher's own statements: LISTEN for new messages, and the housekeeping round that deletes what has expired. */
#include <stdio.h>

#include "core/config.h"
#include "core/db.h"
#include "check.h"
#include "house.h"
#include "probe.h"
#include "receipt.h"
#include "send.h"

enum {
	HOUSE_LISTEN,
	HOUSE_SESSIONS,
	HOUSE_LOGIN_FAILURES,
	HOUSE_EVENTS,
	HOUSE_ACKS,
	HOUSE_IDEMPOTENCY,
	HOUSE_OPTINS,
	HOUSE_BEAT,
	HOUSE_GONE,
	HOUSE__MAX
};

static const struct stmt house_sql[HOUSE__MAX] = {
	/* The portal and the API NOTIFY this channel for a new message. */
	[HOUSE_LISTEN] = { "house.listen", "LISTEN waportal_dispatch", 0,
	    DB_ONCE, NULL },
	/* Sessions idle longer than $1 s or older than $2 s. */
	[HOUSE_SESSIONS] = { "house.sessions",
	    "DELETE FROM sessions "
	    "WHERE last_seen_at < wa_now() - make_interval(secs => $1::int) "
	    "OR created_at < wa_now() - make_interval(secs => $2::int)", 2,
	    DB_ONCE, NULL },
	/* Sign-in failures past any throttling window. */
	[HOUSE_LOGIN_FAILURES] = { "house.login_failures",
	    "DELETE FROM login_failures "
	    "WHERE failed_at < wa_now() - interval '1 day'", 0, DB_ONCE, NULL },
	/* Dedup ids of webhook events past any retry. */
	[HOUSE_EVENTS] = { "house.webhook_events",
	    "DELETE FROM webhook_events "
	    "WHERE received_at < wa_now() - interval '7 days'", 0, DB_ONCE, NULL },
	/* Acks for sends never recorded (their lease ran out). */
	[HOUSE_ACKS] = { "house.early_acks",
	    "DELETE FROM message_acks_early "
	    "WHERE at < wa_now() - interval '1 day'", 0, DB_ONCE, NULL },
	/* Stored API answers past their 24 hours of replay. */
	[HOUSE_IDEMPOTENCY] = { "house.api_idempotency",
	    "DELETE FROM api_idempotency "
	    "WHERE created_at < wa_now() - interval '24 hours'", 0, DB_ONCE,
	    NULL },
	/* Double opt-in memberships left pending 7 days (sql/0025). */
	[HOUSE_OPTINS] = { "house.optin_expire",
	    "SELECT wa_optin_expire() AS expired", 0, DB_ONCE,
	    DB_COLS(1, "expired") },
	/*
	 * The heartbeat of dispatcher $1 (version $2), and the rows of
	 * dispatchers silent for a day (killed long ago).
	 */
	[HOUSE_BEAT] = { "house.beat",
	    "WITH gone AS (DELETE FROM daemon_beats WHERE prog = 'dispatch' "
	    "AND beat_at < wa_now() - interval '1 day' AND owner <> $1) "
	    "INSERT INTO daemon_beats (owner, prog, version) "
	    "VALUES ($1, 'dispatch', $2) ON CONFLICT (owner) DO UPDATE "
	    "SET beat_at = wa_now()", 2, DB_ONCE, NULL },
	/* Dispatcher $1 stops cleanly: no heartbeat to miss. */
	[HOUSE_GONE] = { "house.gone",
	    "DELETE FROM daemon_beats WHERE owner = $1", 1, DB_ONCE, NULL },
};

static const struct stmt_set house_stmts = STMT_SET(house_sql);

/* Every statement set of waportal-dispatch, for the statement check. */
const struct stmt_set *const dispatch_stmts[] = {
	&check_stmts,
	&house_stmts,
	&probe_stmts,
	&receipt_stmts,
	&send_stmts,
	NULL
};

/* LISTEN on a new connection; 0, or -1 with db->errmsg. */
int
house_listen(struct db *db)
{
	return db_exec_cmd(db, &house_sql[HOUSE_LISTEN], NULL);
}

/*
 * Housekeeping (expired sessions, sign-in failures past any window,
 * webhook event ids older than a week, early acks older than a day,
 * stored API answers past their replay, double opt-in memberships
 * pending past 7 days) and the health probes of the
 * hosts that are due. Returns 0, or -1 when the database failed.
 */
int
house_round(const struct conf *conf, struct db *db, const char *owner)
{
	char		 idle[24], max[24];
	const char	*params[2] = { idle, max };
	const char	*beat[2] = { owner, PACKAGE_VERSION };
	int		 i;

	if (db_exec_cmd(db, &house_sql[HOUSE_BEAT], beat) == -1)
		return -1;
	snprintf(idle, sizeof(idle), "%lld", conf->num[CONF_SESSION_IDLE]);
	snprintf(max, sizeof(max), "%lld", conf->num[CONF_SESSION_MAX]);
	if (db_exec_cmd(db, &house_sql[HOUSE_SESSIONS], params) == -1)
		return -1;
	for (i = HOUSE_LOGIN_FAILURES; i <= HOUSE_OPTINS; i++)
		if (db_exec_cmd(db, &house_sql[i], NULL) == -1)
			return -1;
	return probe_hosts(db, (long)conf->num[CONF_PROBE_INTERVAL]);
}

/* The dispatcher stops cleanly: its heartbeat row goes. 0 or -1. */
int
house_gone(struct db *db, const char *owner)
{
	const char	*params[1] = { owner };

	return db_exec_cmd(db, &house_sql[HOUSE_GONE], params);
}
