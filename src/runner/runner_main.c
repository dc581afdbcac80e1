/* runner_main.c: waportal-runner, the background job runner: claims jobs (contact imports, exports, bulk actions, broadcasts' resolution) one at a time, sweeps expired export files, woken by NOTIFY or a timer, until SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "runner.h"

static volatile sig_atomic_t	 runner_stop;
static int			 runner_pipe[2] = { -1, -1 };

/* The loop's state between turns. */
struct loop {
	struct runner	*r;
	long long	 next_connect;	/* monotonic ms of the next attempt */
	int		 backoff;	/* seconds before the next attempt */
};

/* SIGTERM, SIGINT, SIGQUIT: stop claiming; the pipe wakes the loop. */
static void
runner_on_term(int sig)
{
	int	 saved = errno;
	ssize_t	 n;

	(void)sig;
	runner_stop = 1;
	n = write(runner_pipe[1], "x", 1);
	(void)n;
	errno = saved;
}

/* The database failed: drop the connection, try again after a while. */
static void
runner_lost(struct loop *l)
{
	log_warnx("database: %s; retrying in %d s", l->r->db.errmsg,
	    l->backoff);
	db_close(&l->r->db);
	l->next_connect = runner_now_ms() + l->backoff * 1000LL;
	if (l->backoff < 30)
		l->backoff *= 2;
}

/* Connect and LISTEN; on failure try again later, backing off. */
static void
runner_connect(struct loop *l)
{
	if (db_connect(&l->r->db) == 0 && job_listen(&l->r->db) == 0) {
		l->backoff = 1;
		return;
	}
	runner_lost(l);
}

/*
 * Sleep up to ms, woken by a signal or a notification on the
 * connection (which are consumed: any of them means "look again").
 */
static void
runner_wait(struct loop *l, long long ms)
{
	struct pollfd	 fds[2];
	PGnotify	*n;
	PGconn		*c = l->r->db.conn;
	char		 drain[64];
	int		 nfds = 1;

	fds[0].fd = runner_pipe[0];
	fds[0].events = POLLIN;
	if (c != NULL) {
		fds[1].fd = PQsocket(c);
		fds[1].events = POLLIN;
		nfds = 2;
	}
	if (ms < 0)
		ms = 0;
	if (poll(fds, nfds, ms > 60000 ? 60000 : (int)ms) <= 0)
		return;
	if (fds[0].revents & POLLIN)
		while (read(runner_pipe[0], drain, sizeof(drain)) > 0)
			;
	if (nfds == 2 && fds[1].revents) {
		if (PQconsumeInput(c) != 1) {
			snprintf(l->r->db.errmsg, sizeof(l->r->db.errmsg),
			    "listen: %s", PQerrorMessage(c));
			runner_lost(l);
			return;
		}
		while ((n = PQnotifies(c)) != NULL)
			PQfreemem(n);
	}
}

/* Run one claimed job to the end of its turn. */
static void
runner_job(struct loop *l, struct job *j)
{
	struct runner	*r = l->r;
	enum job_end	 end;

	log_info("job %s %s: started for customer %lld (attempt %d)",
	    j->idstr, j->kind, (long long)j->customer_id, j->attempts);
	if (strcmp(j->kind, "export") == 0)
		end = export_run(r, j);
	else if (strcmp(j->kind, "bulk") == 0)
		end = bulk_run(r, j);
	else if (strcmp(j->kind, "broadcast") == 0)
		end = broadcast_run(r, j);
	else if (strcmp(j->kind, "optin") == 0)
		end = optin_run(r, j);
	else
		end = import_run(r, j);
	if (end == JOB_LOST)
		log_warnx("job %s %s: its lease ran out; another runner has "
		    "it now", j->idstr, j->kind);
	if (end == JOB_DB)
		runner_lost(l);
	else if (db_end_open(&r->db))
		log_warnx("job %s: a transaction was left open", j->idstr);
}

/* Claim and run jobs until a signal; wait when there is none. */
static void
runner_run(struct loop *l)
{
	struct runner	*r = l->r;
	struct job	 j;
	long long	 interval = r->conf->num[CONF_RUNNER_INTERVAL] * 1000LL;
	int		 rc = 0;

	while (!runner_stop) {
		if (r->db.conn == NULL) {
			if (runner_now_ms() >= l->next_connect)
				runner_connect(l);
			if (r->db.conn == NULL) {
				runner_wait(l, l->next_connect -
				    runner_now_ms());
				continue;
			}
		}
		if (export_sweep(r) == -1 || (rc = job_claim(r, &j)) == -1)
			runner_lost(l);
		else if (rc == 1)
			runner_job(l, &j);
		else
			runner_wait(l, interval);
	}
}

/* -n: check the configuration and the database, then exit. */
static int
runner_check(struct db *db)
{
	int	 rc = db_connect(db);

	fprintf(stderr, "%s\n", rc == 0 ? "configuration and database OK" :
	    db->errmsg);
	db_free(db);
	return rc == 0 ? 0 : 1;
}

static void
runner_signals(void)
{
	struct sigaction	 sa;

	if (pipe2(runner_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = runner_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The runner's settings and its name as a lease owner (host:pid). */
static void
runner_init(struct runner *r, const struct conf *conf)
{
	char	 host[64];

	memset(r, 0, sizeof(*r));
	r->conf = conf;
	r->lease_s = (long)conf->num[CONF_RUNNER_LEASE_S];
	r->max_attempts = (int)conf->num[CONF_RUNNER_MAX_ATTEMPTS];
	r->wake_fd = runner_pipe[0];
	r->stop = &runner_stop;
	r->pause = getenv("WAPORTAL_RUNNER_TEST_PAUSE");
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "runner");
	host[sizeof(host) - 1] = '\0';
	snprintf(r->owner, sizeof(r->owner), "%s:%ld", host, (long)getpid());
	db_init(&r->db, conf->str[CONF_DATABASE_URL],
	    (int)conf->num[CONF_DB_CONNECT_TIMEOUT],
	    (int)conf->num[CONF_RUNNER_STATEMENT_TIMEOUT]);
}

int
main(int argc, char *argv[])
{
	struct runner	 r;
	struct loop	 l;
	struct conf	 conf;
	int		 ch, check = 0;

	log_init("waportal-runner");
	while ((ch = getopt(argc, argv, "n")) != -1) {
		if (ch != 'n') {
			fprintf(stderr, "usage: waportal-runner [-n]\n");
			return 2;
		}
		check = 1;
	}
	if (conf_load(&conf) == -1)
		fatalx("configuration: %s", conf.errmsg);
	runner_signals();
	runner_init(&r, &conf);
	if (check)
		return runner_check(&r.db);
	memset(&l, 0, sizeof(l));
	l.r = &r;
	l.backoff = 1;
	log_info("started as %s: lease %ld s, %d attempts", r.owner, r.lease_s,
	    r.max_attempts);
	runner_run(&l);
	log_info("stopped: %llu done, %llu failed, %llu released", r.ndone,
	    r.nfailed, r.nreleased);
	db_free(&r.db);
	close(runner_pipe[0]);
	close(runner_pipe[1]);
	return 0;
}
