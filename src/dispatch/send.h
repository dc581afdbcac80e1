/* send.h: the dispatcher's sending: claim due messages with a lease, send many at once over libcurl's multi interface, record the outcomes. */
#ifndef WA_SEND_H
#define WA_SEND_H

#include <curl/curl.h>

#include "gw/gw.h"
#include "gw/gw_http.h"

struct conf;
struct db;

#define SEND_IDLE_MS	50	/* least wait after a claim found nothing due */
#define SEND_BATCH_MS	3	/* most an outcome waits for others to share a step */

/* The WAPORTAL_SEND_* settings, and the longest sleep. */
struct send_conf {
	long long	 gap_ms;
	long long	 jitter_ms;
	long long	 hourly_cap;
	long long	 max_attempts;
	long long	 backoff_ms;
	long long	 backoff_max_ms;
	long long	 lease_s;
	long long	 parallel;
	long long	 timeout_ms;
	long long	 interval_ms;	/* WAPORTAL_DISPATCH_INTERVAL */
};

/* One claimed message, from its claim until its outcome is recorded. */
struct send_job {
	long long		 id;
	long long		 instance_id;
	int			 attempts;	/* this one included */
	const struct gw_ops	*ops;
	struct gw_xfer		 xfer;
	struct gw_result	 res;
	int			 rc;		/* 0 sent, -1 not */
	enum gw_verdict		 verdict;	/* what the outcome says */
	long long		 delay_ms;	/* before a retry */
};

/* What a dispatcher has done since it started, for its last log line. */
struct send_stats {
	unsigned long long	 sent;
	unsigned long long	 retried;
	unsigned long long	 failed;
	unsigned long long	 lost;		/* leases that ran out first */
};

/*
 * One dispatcher's sending. A job is in flight on the multi handle (at
 * most conf.parallel), or done (waiting for a step), or recording (its
 * outcome is in the step the database is working on): together at
 * most twice conf.parallel.
 */
struct sender {
	struct send_conf	 conf;
	char			 owner[100];	/* host:pid:random */
	CURLM			*multi;
	int			 inflight;	/* transfers on the multi handle */
	struct send_job		**done;		/* finished, not yet recorded */
	int			 ndone;
	struct send_job		**recording;	/* in the step in flight */
	int			 nrecording;
	int			 claiming;	/* asked for in that step */
	int			 pending;	/* a step is on the database */
	CURL			**idle;		/* easy handles to reuse */
	int			 nidle;
	int			 wakefd;	/* readable when a signal came */
	long long		 claim_at;	/* monotonic ms of the next claim */
	long long		 done_since;	/* ms the oldest done job finished */
	struct send_stats	 stats;
};

/* send_loop.c */
void		 send_init(struct sender *, const struct conf *, int wakefd);
void		 send_free(struct sender *);
int		 send_busy(const struct sender *);
int		 send_db_idle(const struct sender *);
void		 send_wake(struct sender *);
int		 send_step(struct sender *, struct db *, int stopping,
		    long long max_wait_ms);
long long	 send_now_ms(void);

/* send_claim.c */
extern const struct stmt_set send_stmts;
int		 send_db_send(struct sender *, struct db *, int);
int		 send_db_read(struct sender *, struct db *);
void		 send_db_lost(struct sender *);

/* send_multi.c */
void		 send_start(struct sender *, struct send_job *,
		    const struct gw_host *, const char *session,
		    const char *to, const char *text);
void		 send_done(struct sender *, struct send_job *);
void		 send_collect(struct sender *);
void		 send_poll(struct sender *, int dbfd, long long timeout_ms);
void		 send_job_free(struct send_job *);

#endif
