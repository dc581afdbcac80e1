/* broadcast.c: the runner's broadcast resolution: each source of the audience walked as a Contacts selection in id batches, inserted into broadcast_recipients (each contact once), each batch with its resume point in one transaction; then the broadcast 'ready' with its counters, and its queueing (bcast_queue.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aud/aud_bcast.h"
#include "aud/aud_export.h"
#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/xmalloc.h"
#include "runner.h"

#define STEP_ON		-1	/* go on */
#define STEP_END	-2	/* the source has no more contacts */
#define STEP_RESOLVED	-3	/* resolved before: queueing is left */

/* The error of an audience that no longer parses (shown translated). */
#define BCAST_BAD	N_("A segment of this broadcast's audience is no " \
	    "longer valid (a custom field or a tag of its filter was " \
	    "deleted).")

enum { BG_ID, BG_SOURCE, BG_AFTER, BG__MAX };
enum { BP_ID, BP__MAX };
enum { BR_RECIPIENTS, BR_SKIPPED, BR__MAX };

enum {
	BCAST_GET,
	BCAST_STEP,
	BCAST_READY,
	BCAST_END,
	BCAST__MAX
};

static const struct stmt bcast_sql[BCAST__MAX] = {
	/* Job $1's broadcast while it resolves, and its resume point. */
	[BCAST_GET] = { "broadcast.get",
	    "SELECT id, resolve_source, resolve_after FROM broadcasts "
	    "WHERE job_id = $1::bigint AND state = 'resolving'", 1, DB_RETRY,
	    DB_COLS(BG__MAX, [BG_ID] = "id", [BG_SOURCE] = "resolve_source",
	    [BG_AFTER] = "resolve_after") },
	/*
	 * The resume point of broadcast $1: source $4 done up to id $5;
	 * no row when job $2 is no longer owner $3's (the batch then
	 * rolls back).
	 */
	[BCAST_STEP] = { "broadcast.step",
	    "UPDATE broadcasts b SET resolve_source = $4::int, "
	    "resolve_after = $5::bigint FROM jobs j "
	    "WHERE b.id = $1::bigint AND j.id = $2::bigint "
	    "AND b.job_id = j.id AND j.lease_owner = $3 "
	    "AND j.state = 'running' AND b.state = 'resolving' "
	    "RETURNING b.id", 5, DB_ONCE, DB_COLS(BP__MAX, [BP_ID] = "id") },
	/* Resolved: the counters from the frozen rows, state ready. */
	[BCAST_READY] = { "broadcast.ready",
	    "UPDATE broadcasts b SET state = 'ready', resolved_at = wa_now(), "
	    "recipients = r.n, skipped = r.s FROM (SELECT "
	    "count(*) FILTER (WHERE status <> 'skipped') AS n, "
	    "count(*) FILTER (WHERE status = 'skipped') AS s "
	    "FROM broadcast_recipients WHERE broadcast_id = $1::bigint) r "
	    "WHERE b.id = $1::bigint AND b.state = 'resolving' "
	    "RETURNING b.recipients, b.skipped", 1, DB_ONCE,
	    DB_COLS(BR__MAX, [BR_RECIPIENTS] = "recipients",
	    [BR_SKIPPED] = "skipped") },
	/* Broadcast $1 ends resolving as $2: failed or cancelled. */
	[BCAST_END] = { "broadcast.end",
	    "UPDATE broadcasts SET state = $2::text, finished_at = wa_now() "
	    "WHERE id = $1::bigint AND state = 'resolving'", 2, DB_ONCE,
	    NULL },
};

const struct stmt_set broadcast_stmts = STMT_SET(bcast_sql);

/* One broadcast resolving. */
struct bcast {
	struct runner		*r;
	struct job		*j;
	char			 id[24];
	struct aud_bcast_source	 s[AUD_BCAST_SOURCES];
	int			 n, pos;
	int64_t			 after;		/* of source pos */
	int64_t			 walked, inserted;
	struct aud_export	 x;
};

/* Renew the lease with the contacts walked; RENEW_* or -1. */
static int
bcast_progress(struct bcast *b, int force)
{
	struct job_progress	 p;

	p.done = b->walked;
	p.total = b->walked;
	p.rows = b->walked;
	p.phase = "resolving";
	return job_renew(b->r, b->j, &p, force);
}

/* The resume point: source pos done up to after; STEP_ON, JOB_*. */
static int
bcast_step(struct bcast *b, int pos, const char *after)
{
	char		 spos[16];
	const char	*p[5] = { b->id, b->j->idstr, b->r->owner, spos, after };
	PGresult	*res;
	int		 ok;

	snprintf(spos, sizeof(spos), "%d", pos);
	if ((res = db_exec(&b->r->db, &bcast_sql[BCAST_STEP], p)) == NULL)
		return JOB_DB;
	ok = PQntuples(res) == 1;
	PQclear(res);
	return ok ? STEP_ON : JOB_LOST;
}

/*
 * The next batch and its resume point in one transaction; STEP_ON,
 * JOB_*, or STEP_END (nothing left of the source).
 */
static int
bcast_batch(struct bcast *b)
{
	struct db	*db = &b->r->db;
	char		 through[24];
	int64_t		 n, k = 0;
	int		 rc;

	if (db_begin(db) == -1)
		return JOB_DB;
	if ((n = aud_bcast_batch(db, b->x.v, b->id, b->x.after, through,
	    &k)) < 0) {
		db_rollback(db);
		return JOB_DB;
	}
	if (n == 0) {
		db_rollback(db);
		return STEP_END;
	}
	if ((rc = bcast_step(b, b->pos, through)) != STEP_ON) {
		db_rollback(db);
		return rc;
	}
	if (db_commit(db) == -1)
		return JOB_DB;
	b->walked += n;
	b->inserted += k;
	snprintf(b->x.after, sizeof(b->x.after), "%s", through);
	return STEP_ON;
}

/* Broadcast and job end as state (failed, cancelled) with error. */
static int
bcast_end(struct bcast *b, const char *state, const char *error)
{
	const char	*p[2] = { b->id, state };

	if (strcmp(state, "failed") == 0)
		b->r->nfailed++;
	if (db_begin(&b->r->db) == -1)
		return JOB_DB;
	if (db_exec_cmd(&b->r->db, &bcast_sql[BCAST_END], p) == -1 ||
	    job_finish(b->r, b->j, state, error) == -1 ||
	    db_commit(&b->r->db) == -1) {
		db_rollback(&b->r->db);
		return JOB_DB;
	}
	return JOB_DONE;
}

/* After a batch: the test pause, a stop, the lease, a cancel. */
static int
bcast_between(struct bcast *b)
{
	int	 rc;

	job_pause(b->r, "broadcast");
	if (*b->r->stop) {
		b->r->nreleased++;
		log_info("job %s broadcast %s: released in source %d after "
		    "id %s", b->j->idstr, b->id, b->pos, b->x.after);
		return job_release(b->r, b->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	if ((rc = bcast_progress(b, 0)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL) {
		log_info("job %s broadcast %s: cancelled while resolving",
		    b->j->idstr, b->id);
		return bcast_end(b, "cancelled", "");
	}
	return STEP_ON;
}

/* Every batch of the open source; STEP_ON at its end. */
static int
bcast_walk(struct bcast *b)
{
	int	 rc;

	for (;;) {
		if ((rc = bcast_batch(b)) == STEP_END)
			return STEP_ON;
		if (rc != STEP_ON || (rc = bcast_between(b)) != STEP_ON)
			return rc;
	}
}

/* Source pos: parsed, walked from the resume point; STEP_ON, JOB_*. */
static int
bcast_source(struct bcast *b)
{
	struct aud_bcast_source	*s = &b->s[b->pos];
	struct aud_filter	 f;
	struct buf		 q = { 0 };
	int			 rc;

	if (s->ref == 0 && s->kind != AUD_BCAST_SUBSCRIBERS)
		return STEP_ON;		/* a segment or a tag deleted */
	aud_bcast_query(s, &q);
	rc = aud_selection_parse(&b->r->db, b->j->customer_id, buf_str(&q),
	    &f);
	buf_free(&q);
	if (rc == -2)
		return JOB_DB;
	if (rc != 0 || aud_export_open(&b->x, &f, b->j->customer_id, NULL,
	    "[]", b->after) != 0) {
		log_warnx("job %s broadcast %s: source %d no longer parses",
		    b->j->idstr, b->id, b->pos);
		return bcast_end(b, "failed", BCAST_BAD);
	}
	rc = bcast_walk(b);
	aud_export_close(&b->x);
	return rc;
}

/* Resolved: ready with the counters (the queueing follows). */
static int
bcast_ready(struct bcast *b)
{
	PGresult	*res;

	if (db_begin(&b->r->db) == -1)
		return JOB_DB;
	if ((res = db_exec(&b->r->db, &bcast_sql[BCAST_READY],
	    (const char *const[]){ b->id })) == NULL)
		return JOB_DB;
	if (PQntuples(res) == 1)
		log_info("job %s broadcast %s: ready: %s recipients, %s "
		    "skipped", b->j->idstr, b->id, db_get(res, 0,
		    BR_RECIPIENTS), db_get(res, 0, BR_SKIPPED));
	PQclear(res);
	if (db_commit(&b->r->db) == -1) {
		db_rollback(&b->r->db);
		return JOB_DB;
	}
	return STEP_ON;
}

/* The broadcast, its sources and its resume point; STEP_ON, JOB_*. */
static int
bcast_load(struct bcast *b)
{
	PGresult	*res;

	if ((res = db_exec(&b->r->db, &bcast_sql[BCAST_GET],
	    (const char *const[]){ b->j->idstr })) == NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return STEP_RESOLVED;	/* queueing, or nothing, left */
	}
	snprintf(b->id, sizeof(b->id), "%s", db_get(res, 0, BG_ID));
	b->pos = db_geti(res, 0, BG_SOURCE);
	b->after = db_getll(res, 0, BG_AFTER);
	PQclear(res);
	if ((b->n = aud_bcast_sources(&b->r->db, b->id, b->s)) < 0)
		return JOB_DB;
	return STEP_ON;
}

/*
 * Run a broadcast's resolution: each source from the resume point, a
 * batch at a time, then the broadcast ready.
 */
/* The first lease renewal with progress; STEP_ON or JOB_*. */
static int
bcast_begin(struct bcast *b)
{
	int	 rc;

	if ((rc = bcast_load(b)) != STEP_ON)
		return rc;
	switch (bcast_progress(b, 1)) {
	case RENEW_OK:
		return STEP_ON;
	case RENEW_LOST:
		return JOB_LOST;
	case RENEW_CANCEL:
		return bcast_end(b, "cancelled", "");
	default:
		return JOB_DB;
	}
}

enum job_end
broadcast_run(struct runner *r, struct job *j)
{
	struct bcast	*b;
	int		 rc;

	b = xcalloc(1, sizeof(*b));
	b->r = r;
	b->j = j;
	rc = bcast_begin(b);
	for (; rc == STEP_ON && b->pos < b->n; b->pos++, b->after = 0)
		if ((rc = bcast_source(b)) == STEP_ON)
			rc = bcast_step(b, b->pos + 1, "0");
	if (rc == STEP_ON)
		rc = bcast_ready(b);
	free(b);
	if (rc == STEP_ON || rc == STEP_RESOLVED)
		rc = bcast_queue_run(r, j);
	return (enum job_end)rc;
}
