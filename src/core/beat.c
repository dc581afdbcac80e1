/* beat.c: the daemons' heartbeats (sql/0020_daemon_beats.sql) as /readyz and waportalctl check read them. */
#include <stdio.h>
#include <string.h>

#include "beat.h"
#include "config.h"
#include "db.h"

const char *const beat_state_names[BEAT__MAX] = {
	[BEAT_NONE] = "none", [BEAT_ALIVE] = "alive", [BEAT_LATE] = "late",
};

enum { BD_STATE, BD_AGE, BD__MAX };

enum { BEAT_DISPATCH, BEAT_SQL__MAX };

static const struct stmt beat_sql[BEAT_SQL__MAX] = {
	/*
	 * alive when a dispatcher beat in the last $1 seconds, late when
	 * the newest beat is older, none when there is no row; the newest
	 * beat's age in seconds (-1: none).
	 */
	[BEAT_DISPATCH] = { "beat.dispatch",
	    "SELECT CASE WHEN max(beat_at) IS NULL THEN 'none' "
	    "WHEN max(beat_at) >= wa_now() - make_interval(secs => $1::int) "
	    "THEN 'alive' ELSE 'late' END AS state, coalesce(floor(extract("
	    "epoch FROM wa_now() - max(beat_at)))::bigint, -1) AS age "
	    "FROM daemon_beats WHERE prog = 'dispatch'", 1, DB_RETRY,
	    DB_COLS(BD__MAX, [BD_STATE] = "state", [BD_AGE] = "age") },
};

const struct stmt_set beat_stmts = STMT_SET(beat_sql);

int
beat_dispatch(struct db *db, const struct conf *conf, struct beat *b)
{
	char		 late[24];
	const char	*params[1] = { late };
	long long	 s = 3 * conf->num[CONF_DISPATCH_INTERVAL];
	PGresult	*res;
	int		 i;

	snprintf(late, sizeof(late), "%lld", s < BEAT_LATE_MIN ?
	    (long long)BEAT_LATE_MIN : s);
	if ((res = db_exec(db, &beat_sql[BEAT_DISPATCH], params)) == NULL)
		return -1;
	b->state = BEAT_NONE;
	for (i = 0; i < BEAT__MAX; i++)
		if (strcmp(db_get(res, 0, BD_STATE), beat_state_names[i]) == 0)
			b->state = (enum beat_state)i;
	b->age_s = db_getll(res, 0, BD_AGE);
	PQclear(res);
	return 0;
}
