/* send_loop.c: when the dispatcher claims, records and sleeps, so the multi handle stays full and a due message never waits long. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "send.h"

long long
send_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* This process's lease owner: host:pid:random, unique among dispatchers. */
static void
send_owner(char *buf, size_t len)
{
	char	 host[64];

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, len, "%.60s:%ld:%08x", host, (long)getpid(),
	    arc4random());
}

void
send_init(struct sender *s, const struct conf *conf, int wakefd)
{
	struct send_conf	*c = &s->conf;

	memset(s, 0, sizeof(*s));
	c->gap_ms = conf->num[CONF_SEND_GAP_MS];
	c->jitter_ms = c->gap_ms > 0 ? conf->num[CONF_SEND_JITTER_MS] : 0;
	c->hourly_cap = conf->num[CONF_SEND_HOURLY_CAP];
	c->max_attempts = conf->num[CONF_SEND_MAX_ATTEMPTS];
	c->backoff_ms = conf->num[CONF_SEND_BACKOFF_MS];
	c->backoff_max_ms = conf->num[CONF_SEND_BACKOFF_MAX_MS];
	c->lease_s = conf->num[CONF_SEND_LEASE];
	c->parallel = conf->num[CONF_SEND_PARALLEL];
	c->timeout_ms = conf->num[CONF_SEND_TIMEOUT_MS];
	c->interval_ms = conf->num[CONF_DISPATCH_INTERVAL] * 1000;
	send_owner(s->owner, sizeof(s->owner));
	if ((s->multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	/* Keep a connection per send in flight open between sends. */
	curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, (long)c->parallel);
	s->done = xcalloc(2 * (size_t)c->parallel, sizeof(*s->done));
	s->recording = xcalloc(2 * (size_t)c->parallel,
	    sizeof(*s->recording));
	s->idle = xcalloc((size_t)c->parallel, sizeof(*s->idle));
	s->wakefd = wakefd;
}

/* Free what is left; call when nothing is in flight any more. */
void
send_free(struct sender *s)
{
	int	 i;

	send_db_lost(s);
	for (i = 0; i < s->ndone; i++)
		send_job_free(s->done[i]);
	while (s->nidle > 0)
		curl_easy_cleanup(s->idle[--s->nidle]);
	free(s->idle);
	free(s->done);
	free(s->recording);
	s->done = s->recording = NULL;
	s->ndone = 0;
	if (s->multi != NULL)
		curl_multi_cleanup(s->multi);
	s->multi = NULL;
}

/* 1 while sends are in flight or outcomes wait to be recorded. */
int
send_busy(const struct sender *s)
{
	return s->inflight > 0 || s->ndone > 0 || s->pending;
}

/* 1 when no step is on the database: other statements may run. */
int
send_db_idle(const struct sender *s)
{
	return !s->pending;
}

/* Claim at the next chance (a notification, the timer, a reconnect). */
void
send_wake(struct sender *s)
{
	s->claim_at = 0;
}

/*
 * How many more sends may start now: up to conf.parallel in flight,
 * not counting finished ones whose outcomes wait for the database (so
 * the gateway stays busy while a step is recorded), but never more
 * than twice that many jobs held at once.
 */
static int
send_room(const struct sender *s)
{
	int	 p = (int)s->conf.parallel, held;

	held = s->inflight + s->ndone + s->nrecording;
	return p - s->inflight < 2 * p - held ? p - s->inflight :
	    2 * p - held;
}

/* Take the notifications that arrived; any of them means "claim". */
static void
send_notified(struct sender *s, struct db *db)
{
	PGnotify	*n;

	while ((n = PQnotifies(db->conn)) != NULL) {
		s->claim_at = 0;
		PQfreemem(n);
	}
}

/*
 * 1 while finished sends should wait a moment for others to finish, so
 * the database gets batches, not single rows: while more than a
 * quarter of the room is still in flight, for up to SEND_BATCH_MS.
 */
static int
send_batching(const struct sender *s)
{
	return s->ndone > 0 && s->inflight > 0 &&
	    s->ndone < (s->conf.parallel + 3) / 4 &&
	    send_now_ms() - s->done_since < SEND_BATCH_MS;
}

/*
 * The database half of a step: read the answer to the step in flight,
 * take notifications, and when none is in flight send the next one if
 * there are outcomes to record or it is time to claim (never while
 * stopping). One step at a time keeps the order: outcomes are always
 * recorded before this dispatcher claims again.
 */
static int
send_db_work(struct sender *s, struct db *db, int stopping)
{
	int	 n = 0;

	if (send_db_read(s, db) == -1)
		return -1;
	send_notified(s, db);
	if (s->pending)
		return 0;
	if (!stopping && send_room(s) > 0 && send_now_ms() >= s->claim_at)
		n = send_room(s);
	if ((s->ndone == 0 && n == 0) || send_batching(s))
		return 0;
	return send_db_send(s, db, n);
}

/*
 * One step of the loop: collect finished sends, talk to the database
 * (without waiting for it), then wait for the network, the database, a
 * signal or the next claim, at most max_wait_ms. Sends go on while the
 * database works on a step. db is NULL while the database is away:
 * sends in flight still finish. Returns 0, or -1 when the database
 * failed (the caller reconnects; unrecorded outcomes are kept).
 */
int
send_step(struct sender *s, struct db *db, int stopping, long long max_wait_ms)
{
	long long	 wait = max_wait_ms;
	int		 up = db != NULL && db->conn != NULL;

	send_collect(s);
	if (up && send_db_work(s, db, stopping) == -1)
		return -1;
	if (up && !s->pending && !stopping && send_room(s) > 0 &&
	    s->claim_at - send_now_ms() < wait)
		wait = s->claim_at - send_now_ms();
	if (up && !s->pending && s->ndone > 0 &&
	    s->done_since + SEND_BATCH_MS - send_now_ms() < wait)
		wait = s->done_since + SEND_BATCH_MS - send_now_ms();
	send_poll(s, up ? PQsocket(db->conn) : -1, wait);
	return 0;
}
