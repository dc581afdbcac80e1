/* dispatch_main.c: waportal-dispatch, the sending daemon: sends due messages, keeps house and probes hosts until SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "check.h"
#include "house.h"
#include "receipt.h"
#include "send.h"

static volatile sig_atomic_t	 dispatch_stop;
static int			 dispatch_pipe[2] = { -1, -1 };

/* The daemon's state between steps. */
struct dispatch {
	struct conf	*conf;
	struct db	 db;
	struct sender	 send;
	long long	 next_round;	/* monotonic ms of the next housekeeping */
	long long	 next_receipts;	/* ... of the next receipts pass */
	long long	 next_checks;	/* ... of the next pre-check pass */
	long long	 next_connect;	/* ... of the next connection attempt */
	long long	 give_up;	/* stopping: last moment to record */
	int		 backoff;	/* seconds before the next attempt */
};

/* SIGTERM, SIGINT: stop claiming; the pipe wakes the loop at once. */
static void
dispatch_on_term(int sig)
{
	int	 saved = errno;
	ssize_t	 n;

	(void)sig;
	dispatch_stop = 1;
	n = write(dispatch_pipe[1], "x", 1);
	(void)n;
	errno = saved;
}

/* The database failed: drop the connection, try again after a while. */
static void
dispatch_lost(struct dispatch *d)
{
	log_warnx("database: %s; retrying in %d s", d->db.errmsg, d->backoff);
	send_db_lost(&d->send);
	db_close(&d->db);
	d->next_connect = send_now_ms() + d->backoff * 1000LL;
	if (d->backoff < 30)
		d->backoff *= 2;
}

/* Connect and LISTEN; on failure try again later, backing off. */
static void
dispatch_connect(struct dispatch *d)
{
	if (db_connect(&d->db) == 0 && house_listen(&d->db) == 0) {
		d->backoff = 1;
		send_wake(&d->send);
		return;
	}
	dispatch_lost(d);
}

/* A receipts reconciliation pass when one is due and no step is on the database. */
static void
dispatch_receipts(struct dispatch *d, long long now)
{
	if (d->db.conn == NULL || dispatch_stop || now < d->next_receipts ||
	    !send_db_idle(&d->send))
		return;
	d->next_receipts = now + d->conf->num[CONF_RECEIPT_INTERVAL] * 1000LL;
	send_wake(&d->send);
	if (receipt_pass(d->conf, &d->db) == -1)
		dispatch_lost(d);
}

/*
 * A pre-check pass when one is due and no step is on the database: at
 * once again after a pass that asked, else after WAPORTAL_CHECK_INTERVAL.
 */
static void
dispatch_checks(struct dispatch *d, long long now)
{
	int	 n;

	if (d->db.conn == NULL || dispatch_stop || now < d->next_checks ||
	    !send_db_idle(&d->send))
		return;
	send_wake(&d->send);
	if ((n = check_pass(&d->send.conf, &d->db)) == -1) {
		dispatch_lost(d);
		return;
	}
	d->next_checks = n > 0 ? send_now_ms() : send_now_ms() +
	    d->conf->num[CONF_CHECK_INTERVAL] * 1000LL;
}

/* The earliest of the next round, receipts pass and pre-check pass. */
static long long
dispatch_next(const struct dispatch *d)
{
	long long	 t = d->next_round;

	if (d->next_receipts < t)
		t = d->next_receipts;
	return d->next_checks < t ? d->next_checks : t;
}

/*
 * One turn of the loop: connect, keep house, reconcile receipts and
 * pre-check numbers when due, then a send step that sleeps until the
 * earliest of them at most.
 */
static void
dispatch_tick(struct dispatch *d)
{
	long long	 now = send_now_ms(), wait;
	int		 up;

	if (d->db.conn == NULL && now >= d->next_connect)
		dispatch_connect(d);
	/* Housekeeping waits for the step on the database to finish. */
	if (d->db.conn != NULL && !dispatch_stop && now >= d->next_round &&
	    send_db_idle(&d->send)) {
		d->next_round = now + d->send.conf.interval_ms;
		send_wake(&d->send);
		if (house_round(d->conf, &d->db, d->send.owner) == -1)
			dispatch_lost(d);
	}
	dispatch_receipts(d, now);
	dispatch_checks(d, now);
	up = d->db.conn != NULL;
	if (up && dispatch_stop)
		wait = 1000;	/* no more rounds: only the network matters */
	else if (up)
		wait = dispatch_next(d) - send_now_ms();
	else
		wait = d->next_connect - send_now_ms();
	if (send_step(&d->send, up ? &d->db : NULL, dispatch_stop, wait) == -1)
		dispatch_lost(d);
}

/*
 * Run until SIGTERM, then finish and record what is in flight. With the
 * database away at the end, give up once the leases have run out: the
 * messages are back in the queue by then anyway.
 */
static void
dispatch_run(struct dispatch *d)
{
	while (!dispatch_stop || send_busy(&d->send)) {
		if (dispatch_stop && d->give_up == 0)
			d->give_up = send_now_ms() +
			    d->send.conf.lease_s * 1000LL;
		if (dispatch_stop && send_now_ms() > d->give_up &&
		    d->send.inflight == 0) {
			log_warnx("%d outcome(s) left unrecorded; their leases "
			    "return the messages to the queue", d->send.ndone);
			break;
		}
		dispatch_tick(d);
	}
}

/* -n: check the configuration and the database, then exit. */
static int
dispatch_check(struct db *db)
{
	int	 rc = db_connect(db);

	fprintf(stderr, "%s\n", rc == 0 ? "configuration and database OK" :
	    db->errmsg);
	db_free(db);
	return rc == 0 ? 0 : 1;
}

static void
dispatch_signals(void)
{
	struct sigaction	 sa;

	if (pipe2(dispatch_pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		fatal("pipe2");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dispatch_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[])
{
	struct dispatch	 d;
	struct conf	 conf;
	int		 ch, check = 0;

	log_init("waportal-dispatch");
	while ((ch = getopt(argc, argv, "n")) != -1) {
		if (ch != 'n') {
			fprintf(stderr, "usage: waportal-dispatch [-n]\n");
			return 2;
		}
		check = 1;
	}
	if (conf_load(&conf) == -1)
		fatalx("configuration: %s", conf.errmsg);
	memset(&d, 0, sizeof(d));
	d.conf = &conf;
	d.backoff = 1;
	db_init(&d.db, conf.str[CONF_DATABASE_URL],
	    (int)conf.num[CONF_DB_CONNECT_TIMEOUT],
	    (int)conf.num[CONF_STATEMENT_TIMEOUT]);
	if (check)
		return dispatch_check(&d.db);
	dispatch_signals();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	send_init(&d.send, &conf, dispatch_pipe[0]);
	log_info("started as %s: up to %lld sends at once", d.send.owner,
	    d.send.conf.parallel);
	dispatch_run(&d);
	if (d.db.conn != NULL && send_db_idle(&d.send) &&
	    house_gone(&d.db, d.send.owner) == -1)
		log_warnx("heartbeat row left behind: %s", d.db.errmsg);
	log_info("stopped: %llu sent, %llu retried, %llu failed, %llu lost",
	    d.send.stats.sent, d.send.stats.retried, d.send.stats.failed,
	    d.send.stats.lost);
	send_free(&d.send);
	db_free(&d.db);
	curl_global_cleanup();
	close(dispatch_pipe[0]);
	close(dispatch_pipe[1]);
	return 0;
}
