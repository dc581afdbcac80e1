/* job.c: the runner's jobs: LISTEN for new ones, claim one with a lease, renew it with the progress, give it back or end it; the test-only pause. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "runner.h"

enum {
	JOB_LISTEN,
	JOB_CLAIM,
	JOB_RENEW,
	JOB_RELEASE,
	JOB_END,
	JOB__MAX
};

enum { CLAIM_ID, CLAIM_CUSTOMER, CLAIM_KIND, CLAIM_ATTEMPTS, CLAIM__MAX };
enum { RENEW_CANCEL_ASKED, RENEW__MAX };

static const struct stmt job_sql[JOB__MAX] = {
	/* The portal and the API NOTIFY this channel for a new job. */
	[JOB_LISTEN] = { "job.listen", "LISTEN waportal_jobs", 0, DB_ONCE,
	    NULL },
	/*
	 * $1 owner, $2 lease seconds, $3 most attempts, $4 the error then,
	 * $5 the kinds this runner knows.
	 */
	[JOB_CLAIM] = { "job.claim",
	    "SELECT id, customer_id, kind, attempts "
	    "FROM wa_job_claim($1, $2::int, $3::int, $4, $5::text[])", 5,
	    DB_ONCE,
	    DB_COLS(CLAIM__MAX, [CLAIM_ID] = "id",
	    [CLAIM_CUSTOMER] = "customer_id", [CLAIM_KIND] = "kind",
	    [CLAIM_ATTEMPTS] = "attempts") },
	/*
	 * $1 job, $2 owner, $3 lease s, $4 done, $5 total, $6 phase, $7 rows
	 * read so far (-1: as they are). jobs.rows: sql/0016_import_draft.sql.
	 */
	[JOB_RENEW] = { "job.renew",
	    "UPDATE jobs SET lease_until = wa_now() + "
	    "make_interval(secs => $3::int), done = $4, total = $5, "
	    "phase = $6, rows = CASE WHEN $7::bigint < 0 THEN rows "
	    "ELSE $7::bigint END "
	    "WHERE id = $1 AND lease_owner = $2 AND state = 'running' "
	    "RETURNING cancel_asked", 7, DB_ONCE,
	    DB_COLS(RENEW__MAX, [RENEW_CANCEL_ASKED] = "cancel_asked") },
	/* Give a job back unfinished: queued again, the attempt not counted. */
	[JOB_RELEASE] = { "job.release",
	    "UPDATE jobs SET state = 'queued', lease_owner = NULL, "
	    "lease_until = NULL, phase = '', "
	    "attempts = greatest(attempts - 1, 0) "
	    "WHERE id = $1 AND lease_owner = $2 AND state = 'running'", 2,
	    DB_ONCE, NULL },
	/* $1 job, $2 owner, $3 state, $4 error. */
	[JOB_END] = { "job.end",
	    "SELECT wa_job_end(id, $3, $4) FROM jobs "
	    "WHERE id = $1 AND lease_owner = $2 AND state = 'running'", 4,
	    DB_ONCE, DB_COLS(1, "wa_job_end") },
};

static const struct stmt_set job_stmts = STMT_SET(job_sql);

/* Every statement set of waportal-runner, for the statement check. */
const struct stmt_set *const runner_stmts[] = {
	&job_stmts,
	&import_stmts,
	&export_stmts,
	&bulk_stmts,
	&broadcast_stmts,
	&bcast_queue_stmts,
	NULL
};

/* The error of a job claimed too many times (shown translated). */
#define JOB_GAVE_UP	N_("The job stopped several times before it " \
	    "finished (its runner was stopped or failed); it was given up.")

long long
runner_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int
job_listen(struct db *db)
{
	return db_exec_cmd(db, &job_sql[JOB_LISTEN], NULL);
}

/*
 * Claim the oldest due job (sql/0014_runner.sql, wa_job_claim) into j.
 * Returns 1 with a job, 0 without, -1 when the database failed.
 */
int
job_claim(struct runner *r, struct job *j)
{
	char		 lease[16], max[16];
	const char	*params[5] = { r->owner, lease, max, JOB_GAVE_UP,
	    RUNNER_KINDS };
	PGresult	*res;
	int		 found;

	snprintf(lease, sizeof(lease), "%ld", r->lease_s);
	snprintf(max, sizeof(max), "%d", r->max_attempts);
	if ((res = db_exec(&r->db, &job_sql[JOB_CLAIM], params)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		memset(j, 0, sizeof(*j));
		j->id = db_getll(res, 0, CLAIM_ID);
		j->customer_id = db_getll(res, 0, CLAIM_CUSTOMER);
		snprintf(j->idstr, sizeof(j->idstr), "%lld", (long long)j->id);
		snprintf(j->kind, sizeof(j->kind), "%s",
		    db_get(res, 0, CLAIM_KIND));
		j->attempts = db_geti(res, 0, CLAIM_ATTEMPTS);
		j->renewed_ms = j->progress_ms = runner_now_ms();
	}
	PQclear(res);
	return found;
}

/*
 * Renew the lease and write the progress (done of total, the rows, the
 * phase) in
 * a short transaction of its own, at most every half second unless
 * force. Returns RENEW_OK, RENEW_CANCEL, RENEW_LOST, RENEW_SKIPPED
 * (not due) or -1.
 */
int
job_renew(struct runner *r, struct job *j, const struct job_progress *p,
    int force)
{
	char		 lease[16], d[24], t[24], n[24];
	const char	*params[7] = { j->idstr, r->owner, lease, d, t, p->phase,
	    n };
	PGresult	*res;
	long long	 now = runner_now_ms();
	int		 rc;

	if (!force && now - j->progress_ms < 500)
		return RENEW_SKIPPED;
	snprintf(lease, sizeof(lease), "%ld", r->lease_s);
	snprintf(d, sizeof(d), "%lld", (long long)p->done);
	snprintf(t, sizeof(t), "%lld", (long long)p->total);
	snprintf(n, sizeof(n), "%lld", (long long)p->rows);
	if ((res = db_exec(&r->db, &job_sql[JOB_RENEW], params)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		rc = RENEW_LOST;
	else
		rc = db_getb(res, 0, RENEW_CANCEL_ASKED) ? RENEW_CANCEL :
		    RENEW_OK;
	PQclear(res);
	j->renewed_ms = j->progress_ms = now;
	return rc;
}

/* Give the job back for the next runner (a stop); 0 or -1. */
int
job_release(struct runner *r, struct job *j)
{
	const char	*params[2] = { j->idstr, r->owner };

	return db_exec_cmd(&r->db, &job_sql[JOB_RELEASE], params);
}

/* End the job (done, failed with error, cancelled); 0 or -1. */
int
job_finish(struct runner *r, struct job *j, const char *state,
    const char *error)
{
	const char	*params[4] = { j->idstr, r->owner, state, error };

	return db_exec_cmd(&r->db, &job_sql[JOB_END], params);
}

/*
 * Test only (WAPORTAL_RUNNER_TEST_PAUSE=phase:path, docs/runner.md):
 * at phase, create path.waiting and wait until path exists, so that a
 * test can kill the runner at a known point instead of sleeping (a
 * SIGTERM ends the wait too).
 */
void
job_pause(struct runner *r, const char *phase)
{
	const char	*colon, *path;
	char		 waiting[4096];
	size_t		 n;
	int		 fd;

	if (r->pause == NULL || (colon = strchr(r->pause, ':')) == NULL)
		return;
	n = (size_t)(colon - r->pause);
	if (strlen(phase) != n || strncmp(phase, r->pause, n) != 0)
		return;
	path = colon + 1;
	snprintf(waiting, sizeof(waiting), "%s.waiting", path);
	if ((fd = open(waiting, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) != -1)
		close(fd);
	log_info("test pause at %s: waiting for %s", phase, path);
	while (!*r->stop && access(path, F_OK) == -1 && errno == ENOENT)
		usleep(20000);
}
