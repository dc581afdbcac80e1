/* job_page.h: what the pages of a runner job share (an import, a bulk change, an opt-in resend, an export, a broadcast): the customer's job by the path's id, the common part of its progress, its live.json. */
#ifndef WA_JOB_PAGE_H
#define WA_JOB_PAGE_H

#include <libpq-fe.h>

#include "core/db.h"

struct json_object;
struct req;

/* A job's seconds left at its rate so far (done of total in elapsed
 * seconds), or -1 when there is no rate yet. */
long long		 job_eta(long long done, long long total,
			    long long elapsed);
/* 1 when a job in state st has ended (done, failed, cancelled). */
int			 job_over(const char *st);
/* A job's live.json answer: o, taken, as JSON that is never cached. */
int			 job_live_answer(struct req *, struct json_object *);

/* The progress every job shows (state, state_word, rows, total,
 * percent, eta_s while running, over, error in the reader's language);
 * the caller adds its own counts. */
struct job_progress {
	const char	*state;
	long long	 done;
	long long	 total;
	long long	 elapsed;	/* seconds since it started */
	const char	*error;		/* "" when none */
};
struct json_object	*job_progress_json(struct req *,
			    const struct job_progress *);

/*
 * One kind of job's page: get selects it with two parameters, the
 * customer and the path's id (r->args[0]); view is its page's values,
 * progress its live.json's.
 */
struct job_page {
	const struct stmt	 *get;
	struct json_object	*(*view)(struct req *, const PGresult *);
	struct json_object	*(*progress)(struct req *, const PGresult *);
};

/* The customer's job by statement st, one row; NULL with *status 503
 * (the database) or 404 (none, or another customer's). */
PGresult		*job_get(struct req *, const struct stmt *st,
			    int *status);
/* GET of the job's page in template tmpl (also its confirmations). */
int			 job_page_html(struct req *, const struct job_page *,
			    const char *tmpl);
/* GET of its live.json. */
int			 job_page_live(struct req *, const struct job_page *);

#endif
