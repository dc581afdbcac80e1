/* optin.c: the runner's "resend to all pending" of a double opt-in list: batches of pending members in contact id order, each with its resume point in one statement, progress, cancel, resumed after a kill. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "runner.h"

#define STEP_ON		-1	/* go on */
#define OPTIN_BATCH	"1000"	/* pending members a batch */

/* The error of a job whose list was deleted (shown translated). */
#define OPTIN_GONE	N_("The list was deleted: nothing more is sent.")

enum { OG_WALKED, OG_SENT, OG_TOTAL, OG__MAX };
enum { OS_WALKED, OS_SENT, OS_CANCEL, OS__MAX };

enum {
	OPTIN_GET,
	OPTIN_STEP,
	OPTIN__MAX
};

static const struct stmt optin_sql[OPTIN__MAX] = {
	/* Resend job $1: what it did so far, and the pending at its start. */
	[OPTIN_GET] = { "optin.get",
	    "SELECT o.walked, o.sent, j.total FROM optin_resends o "
	    "JOIN jobs j ON j.id = o.job_id WHERE o.job_id = $1::bigint", 1,
	    DB_RETRY, DB_COLS(OG__MAX, [OG_WALKED] = "walked",
	    [OG_SENT] = "sent", [OG_TOTAL] = "total") },
	/* The next batch of job $1 while owner $2 holds it (sql/0030): the
	 * members walked (0: none left) and queued, whether a cancel was
	 * asked (then nothing was done); no row: not ours. */
	[OPTIN_STEP] = { "optin.step",
	    "SELECT n_walked, n_sent, cancel FROM wa_optin_resend_step("
	    "$1::bigint, $2, $3::int)", 3, DB_ONCE, DB_COLS(OS__MAX,
	    [OS_WALKED] = "n_walked", [OS_SENT] = "n_sent",
	    [OS_CANCEL] = "cancel") },
};

const struct stmt_set optin_stmts = STMT_SET(optin_sql);

/* One resend job in hand. */
struct optin {
	struct runner	*r;
	struct job	*j;
	int64_t		 walked, sent, total;
};

/* Renew the lease with the members walked; RENEW_* or -1. */
static int
optin_progress(struct optin *o, int force)
{
	struct job_progress	 p;

	p.done = o->walked;
	p.total = o->total > o->walked ? o->total : o->walked;
	p.rows = o->walked;
	p.phase = "sending";
	return job_renew(o->r, o->j, &p, force);
}

/* One batch: STEP_ON, 0 when none was left, or a JOB_* end (a cancel
 * asked ends the job before the batch). */
static int
optin_batch(struct optin *o)
{
	const char	*params[3] = { o->j->idstr, o->r->owner, OPTIN_BATCH };
	PGresult	*res;
	int64_t		 n;

	if ((res = db_exec(&o->r->db, &optin_sql[OPTIN_STEP], params)) ==
	    NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return JOB_LOST;
	}
	if (db_getb(res, 0, OS_CANCEL)) {
		PQclear(res);
		log_info("job %s optin: cancelled after %lld members",
		    o->j->idstr, (long long)o->walked);
		return job_finish(o->r, o->j, "cancelled", "") == -1 ?
		    JOB_DB : JOB_DONE;
	}
	n = db_getll(res, 0, OS_WALKED);
	o->walked += n;
	o->sent += db_getll(res, 0, OS_SENT);
	PQclear(res);
	return n > 0 ? STEP_ON : 0;
}

/* After a batch: the test pause, a stop, the lease, a cancel. */
static int
optin_between(struct optin *o)
{
	int	 rc;

	job_pause(o->r, "optin");
	if (*o->r->stop) {
		o->r->nreleased++;
		log_info("job %s optin: released after %lld members",
		    o->j->idstr, (long long)o->walked);
		return job_release(o->r, o->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	if ((rc = optin_progress(o, 0)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL) {
		log_info("job %s optin: cancelled after %lld members",
		    o->j->idstr, (long long)o->walked);
		return job_finish(o->r, o->j, "cancelled", "") == -1 ?
		    JOB_DB : JOB_DONE;
	}
	return STEP_ON;
}

/* Every batch, then done. */
static int
optin_walk(struct optin *o)
{
	int	 rc;

	while ((rc = optin_batch(o)) == STEP_ON)
		if ((rc = optin_between(o)) != STEP_ON)
			return rc;
	if (rc != 0)
		return rc;
	log_info("job %s optin: done: %lld members walked, %lld asked again",
	    o->j->idstr, (long long)o->walked, (long long)o->sent);
	o->r->ndone++;
	if (optin_progress(o, 1) == -1)
		return JOB_DB;
	return job_finish(o->r, o->j, "done", "") == -1 ? JOB_DB : JOB_DONE;
}

/*
 * Run a resend job from where the last attempt stopped; its list gone
 * (the row with it), it fails with a record.
 */
enum job_end
optin_run(struct runner *r, struct job *j)
{
	struct optin	 o;
	PGresult	*res;
	int		 rc;

	memset(&o, 0, sizeof(o));
	o.r = r;
	o.j = j;
	if ((res = db_exec(&r->db, &optin_sql[OPTIN_GET],
	    (const char *const[]){ j->idstr })) == NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		r->nfailed++;
		return job_finish(r, j, "failed", OPTIN_GONE) == -1 ? JOB_DB :
		    JOB_DONE;
	}
	o.walked = db_getll(res, 0, OG_WALKED);
	o.sent = db_getll(res, 0, OG_SENT);
	o.total = db_getll(res, 0, OG_TOTAL);
	PQclear(res);
	rc = optin_progress(&o, 1);
	rc = rc == RENEW_OK ? optin_walk(&o) : rc == -1 ? JOB_DB :
	    rc == RENEW_LOST ? JOB_LOST : job_finish(r, j, "cancelled", "") ==
	    -1 ? JOB_DB : JOB_DONE;
	return (enum job_end)rc;
}
