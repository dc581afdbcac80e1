/* beat.h: the daemons' heartbeats (sql/0020_daemon_beats.sql) as /readyz and waportalctl check read them. */
#ifndef WA_BEAT_H
#define WA_BEAT_H

struct conf;
struct db;
struct stmt_set;

#define BEAT_LATE_MIN	15	/* seconds without a heartbeat, at the least */

enum beat_state {
	BEAT_NONE,	/* no row: none runs, or each stopped cleanly */
	BEAT_ALIVE,	/* one beat within three rounds */
	BEAT_LATE,	/* the newest beat is older: killed or stuck */
	BEAT__MAX
};

extern const char *const beat_state_names[BEAT__MAX];

struct beat {
	enum beat_state	 state;
	long long	 age_s;		/* the newest beat's age; -1: none */
};

/*
 * The dispatchers' state: late after three rounds of
 * WAPORTAL_DISPATCH_INTERVAL (BEAT_LATE_MIN at the least). 0, or -1 when
 * the database failed (db->errmsg).
 */
int	 beat_dispatch(struct db *, const struct conf *, struct beat *);

extern const struct stmt_set beat_stmts;

#endif
