/* dispatch_main.c: waportal-dispatch, the sending daemon: wakes on NOTIFY or its timer until SIGTERM. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "probe.h"

static volatile sig_atomic_t	 dispatch_stop;

static void
dispatch_on_term(int sig)
{
	(void)sig;
	dispatch_stop = 1;
}

/*
 * Wait up to secs for a notification on the LISTEN connection.
 * Returns 1 when woken by a notification, 0 on timeout or signal,
 * -1 when the connection failed (the caller reconnects).
 */
static int
dispatch_wait(struct db *db, int secs)
{
	struct pollfd	 pfd;
	PGnotify	*n;
	int		 woke = 0;

	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, secs * 1000) == -1)
		return errno == EINTR ? 0 : -1;
	if (PQconsumeInput(db->conn) == 0)
		return -1;
	while ((n = PQnotifies(db->conn)) != NULL) {
		woke = 1;
		PQfreemem(n);
	}
	return woke;
}

/*
 * One round of work: housekeeping (expired sessions, sign-in failures
 * past any window) and the health probes of hosts that are due.
 * Sending arrives with the messaging layer.
 */
static int
dispatch_round(struct conf *conf, struct db *db)
{
	char		 idle[24], max[24];
	const char	*params[2] = { idle, max };

	snprintf(idle, sizeof(idle), "%lld", conf->num[CONF_SESSION_IDLE]);
	snprintf(max, sizeof(max), "%lld", conf->num[CONF_SESSION_MAX]);
	if (db_exec_cmd(db, STMT_SESSIONS_EXPIRE, params) == -1 ||
	    db_exec_cmd(db, STMT_LOGIN_FAILURES_EXPIRE, NULL) == -1)
		return -1;
	return probe_hosts(db, (long)conf->num[CONF_PROBE_INTERVAL]);
}

/* Connect and LISTEN; on failure wait (backing off) and try again. */
static int
dispatch_connect(struct db *db, int *backoff)
{
	if (db_connect(db) == 0 && db_exec_cmd(db, STMT_DISPATCH_LISTEN,
	    NULL) == 0) {
		*backoff = 1;
		return 0;
	}
	log_warnx("database: %s; retrying in %d s", db->errmsg, *backoff);
	db_close(db);
	sleep((unsigned)*backoff);
	if (*backoff < 30)
		*backoff *= 2;
	return -1;
}

static void
dispatch_run(struct conf *conf, struct db *db)
{
	int	 backoff = 1, interval = (int)conf->num[CONF_DISPATCH_INTERVAL];

	while (!dispatch_stop) {
		if (db->conn == NULL && dispatch_connect(db, &backoff) == -1)
			continue;
		if (dispatch_round(conf, db) == -1 || dispatch_wait(db, interval)
		    == -1) {
			log_warnx("database: %s", db->errmsg);
			db_close(db);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	struct conf		 conf;
	struct db		 db;
	int			 ch, check = 0;

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
	db_init(&db, conf.str[CONF_DATABASE_URL],
	    (int)conf.num[CONF_DB_CONNECT_TIMEOUT],
	    (int)conf.num[CONF_STATEMENT_TIMEOUT]);
	if (check) {
		ch = db_connect(&db);
		fprintf(stderr, "%s\n", ch == 0 ? "configuration and database "
		    "OK" : db.errmsg);
		db_free(&db);
		return ch == 0 ? 0 : 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dispatch_on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	log_info("started");
	dispatch_run(&conf, &db);
	log_info("stopped");
	db_free(&db);
	return 0;
}
