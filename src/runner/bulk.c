/* bulk.c: the runner's bulk action over a large selection of contacts (tag, list, subscription, delete): batches of ids, each with its resume point in one transaction, progress, cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aud/aud_bulk.h"
#include "aud/aud_export.h"
#include "aud/aud_filter.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "runner.h"

#define STEP_ON		-1	/* go on */

/* The error of a selection that no longer parses (shown translated). */
#define BULK_BAD	N_("The selection of this change is no longer " \
	    "valid (a custom field or a tag of its filter was deleted).")

enum { BG_ACTION, BG_TAG, BG_FILTER, BG_IDS, BG_LAST, BG_WALKED,
	BG_CHANGED, BG__MAX };
enum { BD_CHANGED, BD__MAX };

enum {
	BULK_GET,
	BULK_DONE,
	BULK__MAX
};

static const struct stmt bulk_sql[BULK__MAX] = {
	[BULK_GET] = { "bulk.get",
	    "SELECT action, coalesce(tag_id, group_id) AS tag_id, filter, "
	    "ids::text AS ids, last_id, walked, "
	    "changed FROM bulks WHERE job_id = $1", 1, DB_RETRY,
	    DB_COLS(BG__MAX, [BG_ACTION] = "action", [BG_TAG] = "tag_id",
	    [BG_FILTER] = "filter", [BG_IDS] = "ids", [BG_LAST] = "last_id",
	    [BG_WALKED] = "walked", [BG_CHANGED] = "changed") },
	/*
	 * A batch done: $1 job, $2 owner, $3 its last id, $4 walked, $5
	 * changed; no row when the job is no longer the owner's (the
	 * batch then rolls back).
	 */
	[BULK_DONE] = { "bulk.done",
	    "UPDATE bulks b SET last_id = $3::bigint, "
	    "walked = b.walked + $4::bigint, changed = b.changed + $5::bigint "
	    "FROM jobs j WHERE b.job_id = $1 AND j.id = b.job_id "
	    "AND j.lease_owner = $2 AND j.state = 'running' "
	    "RETURNING b.changed", 5, DB_ONCE,
	    DB_COLS(BD__MAX, [BD_CHANGED] = "changed") },
};

const struct stmt_set bulk_stmts = STMT_SET(bulk_sql);

/* One bulk job in hand. */
struct bulk {
	struct runner		*r;
	struct job		*j;
	struct aud_export	 x;		/* the selection, bound */
	enum aud_bulk_action	 action;
	char			 tag[24];
	int64_t			 walked, changed, total;
};

/* Renew the lease with the contacts walked; RENEW_* or -1. */
static int
bulk_progress(struct bulk *b, int force)
{
	struct job_progress	 p;

	p.done = b->walked;
	p.total = b->total > b->walked ? b->total : b->walked;
	p.rows = b->walked;
	p.phase = "applying";
	return job_renew(b->r, b->j, &p, force);
}

/* The batch up to through, and its resume point, in one transaction. */
static int
bulk_batch(struct bulk *b, const char *through, int64_t n)
{
	struct db	*db = &b->r->db;
	char		 walked[24], changed[24];
	const char	*params[5] = { b->j->idstr, b->r->owner, through, walked,
	    changed };
	PGresult	*res;
	int64_t		 k;
	int		 ok;

	if (db_begin(db) == -1)
		return JOB_DB;
	if ((k = aud_bulk_apply(db, b->x.v, b->action, b->tag, b->x.after,
	    through)) < 0) {
		db_rollback(db);
		return JOB_DB;
	}
	snprintf(walked, sizeof(walked), "%lld", (long long)n);
	snprintf(changed, sizeof(changed), "%lld", (long long)k);
	if ((res = db_exec(db, &bulk_sql[BULK_DONE], params)) == NULL)
		return JOB_DB;
	ok = PQntuples(res) == 1;
	PQclear(res);
	if (!ok) {
		db_rollback(db);
		return JOB_LOST;
	}
	if (db_commit(db) == -1)
		return JOB_DB;
	b->walked += n;
	b->changed += k;
	snprintf(b->x.after, sizeof(b->x.after), "%s", through);
	return STEP_ON;
}

/* After a batch: the test pause, a stop, the lease, a cancel. */
static int
bulk_between(struct bulk *b)
{
	int	 rc;

	job_pause(b->r, "bulk");
	if (*b->r->stop) {
		b->r->nreleased++;
		log_info("job %s bulk: released after id %s", b->j->idstr,
		    b->x.after);
		return job_release(b->r, b->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	if ((rc = bulk_progress(b, 0)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL) {
		log_info("job %s bulk: cancelled after %lld contacts",
		    b->j->idstr, (long long)b->walked);
		return job_finish(b->r, b->j, "cancelled", "") == -1 ?
		    JOB_DB : JOB_DONE;
	}
	return STEP_ON;
}

/* Every batch, then done. */
static int
bulk_walk(struct bulk *b)
{
	char	 through[24];
	int64_t	 n;
	int	 rc;

	for (;;) {
		if ((n = aud_bulk_next(&b->r->db, b->x.v, b->x.after,
		    through)) < 0)
			return JOB_DB;
		if (n == 0)
			break;
		if ((rc = bulk_batch(b, through, n)) != STEP_ON ||
		    (rc = bulk_between(b)) != STEP_ON)
			return rc;
	}
	log_info("job %s bulk: done: %s on %lld contacts, %lld changed",
	    b->j->idstr, aud_bulk_actions[b->action], (long long)b->walked,
	    (long long)b->changed);
	b->r->ndone++;
	return job_finish(b->r, b->j, "done", "") == -1 ? JOB_DB : JOB_DONE;
}

/* The selection no longer parses: the job fails with a record. */
static int
bulk_bad(struct bulk *b)
{
	log_warnx("job %s bulk: its selection no longer parses",
	    b->j->idstr);
	b->r->nfailed++;
	return job_finish(b->r, b->j, "failed", BULK_BAD) == -1 ? JOB_DB :
	    JOB_DONE;
}

/* The record and the selection; resume after its last batch. */
static int
bulk_load(struct bulk *b)
{
	struct aud_filter	 f;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&b->r->db, &bulk_sql[BULK_GET],
	    (const char *const[]){ b->j->idstr })) == NULL)
		return JOB_DB;
	if (PQntuples(res) != 1 ||
	    (rc = aud_bulk_action(db_get(res, 0, BG_ACTION))) < 0) {
		PQclear(res);
		return bulk_bad(b);
	}
	b->action = (enum aud_bulk_action)rc;
	snprintf(b->tag, sizeof(b->tag), "%s", db_get(res, 0, BG_TAG));
	b->walked = db_getll(res, 0, BG_WALKED);
	b->changed = db_getll(res, 0, BG_CHANGED);
	if ((rc = aud_selection_parse(&b->r->db, b->j->customer_id,
	    db_get(res, 0, BG_FILTER), &f)) != 0) {
		PQclear(res);
		return rc == -2 ? JOB_DB : bulk_bad(b);
	}
	rc = aud_export_open(&b->x, &f, b->j->customer_id, db_isnull(res, 0,
	    BG_IDS) ? NULL : db_get(res, 0, BG_IDS), "[]",
	    db_getll(res, 0, BG_LAST));
	PQclear(res);
	return rc == 0 ? STEP_ON : bulk_bad(b);
}

/*
 * Run a bulk job: count what is left of the selection, then change it
 * a batch at a time from where the last attempt stopped.
 */
enum job_end
bulk_run(struct runner *r, struct job *j)
{
	struct bulk	 b;
	int64_t		 left;
	int		 rc;

	memset(&b, 0, sizeof(b));
	b.r = r;
	b.j = j;
	if ((rc = bulk_load(&b)) != STEP_ON)
		return (enum job_end)rc;
	if ((left = aud_bulk_left(&r->db, b.x.v, b.x.after)) < 0)
		rc = JOB_DB;
	else {
		b.total = b.walked + left;
		rc = bulk_progress(&b, 1);
		rc = rc == RENEW_OK ? bulk_walk(&b) : rc == -1 ? JOB_DB :
		    rc == RENEW_LOST ? JOB_LOST : job_finish(r, j,
		    "cancelled", "") == -1 ? JOB_DB : JOB_DONE;
	}
	aud_export_close(&b.x);
	return (enum job_end)rc;
}
