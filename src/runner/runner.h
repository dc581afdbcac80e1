/* runner.h: waportal-runner's shared state: the connection, the job in hand and its lease, the stop flag, the jobs' entry points. */
#ifndef WA_RUNNER_H
#define WA_RUNNER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "core/db.h"

struct conf;

/* The kinds of job this runner does, as a text[] literal. */
#define RUNNER_KINDS	"{import,export,bulk,broadcast}"

/* The daemon: one connection, one job at a time. */
struct runner {
	const struct conf	*conf;
	struct db		 db;
	char			 owner[100];	/* lease owner: host:pid */
	int			 wake_fd;	/* the signal pipe's read end */
	volatile sig_atomic_t	*stop;		/* SIGTERM/SIGINT/SIGQUIT seen */
	long			 lease_s;
	int			 max_attempts;
	const char		*pause;		/* test only: "phase:path" */
	unsigned long long	 ndone, nfailed, nreleased;
	long long		 swept_ms;	/* the last sweep of exports */
};

/* The job in hand. */
struct job {
	int64_t		 id;
	int64_t		 customer_id;
	char		 idstr[24];
	char		 kind[16];
	int		 attempts;
	long long	 renewed_ms;	/* monotonic ms of the last renewal */
	long long	 progress_ms;	/* ... of the last progress written */
};

/* How a job's turn ended. */
enum job_end {
	JOB_DONE,	/* finished: done, failed or cancelled, recorded */
	JOB_RELEASED,	/* given back on a stop, for the next runner */
	JOB_LOST,	/* another runner holds it now (our lease ran out) */
	JOB_DB		/* the database failed; the lease will return it */
};

/* What a page shows of a job under way (jobs.done, total, rows, phase). */
struct job_progress {
	int64_t		 done, total;	/* in the job's unit: bytes of a file */
	int64_t		 rows;		/* rows read */
	const char	*phase;		/* "reading", "applying" */
};

/* job.c */
extern const struct stmt_set *const runner_stmts[];
long long runner_now_ms(void);
int	 job_listen(struct db *);
int	 job_claim(struct runner *, struct job *);
int	 job_renew(struct runner *, struct job *,
	    const struct job_progress *, int force);
int	 job_release(struct runner *, struct job *);
int	 job_finish(struct runner *, struct job *, const char *state,
	    const char *error);
void	 job_pause(struct runner *, const char *phase);

/* Outcomes of job_renew, beside -1 (the database failed). */
#define RENEW_OK	0
#define RENEW_CANCEL	1	/* the customer asked to cancel */
#define RENEW_LOST	2	/* the lease is another runner's */
#define RENEW_SKIPPED	3	/* not due yet: nothing written */

/* import.c */
extern const struct stmt_set import_stmts;
enum job_end import_run(struct runner *, struct job *);

/* export.c */
extern const struct stmt_set export_stmts;
enum job_end export_run(struct runner *, struct job *);
int	 export_sweep(struct runner *);

/* bulk.c */
extern const struct stmt_set bulk_stmts;
enum job_end bulk_run(struct runner *, struct job *);

/* broadcast.c */
extern const struct stmt_set broadcast_stmts;
enum job_end broadcast_run(struct runner *, struct job *);

/* bcast_queue.c */
extern const struct stmt_set bcast_queue_stmts;
enum job_end bcast_queue_run(struct runner *, struct job *);

#endif
