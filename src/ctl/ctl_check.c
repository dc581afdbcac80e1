/* ctl_check.c: waportalctl check: the database, the migrations, the dispatcher's heartbeat, the gateway hosts and the workers' socket, one line each, exit 1 if any fails. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/beat.h"
#include "core/migrate.h"
#include "ctl_check.h"

#define CHECK_SOCKET	"/run/waportal/fcgi.sock"	/* docs/deploy.md */

const char ctl_check_usage[] =
    "check [--socket PATH]  check the database, migrations, dispatcher, "
    "hosts and the workers' socket";

enum { CH_ENABLED, CH_UP, CH_DOWN, CH_DOWN_NAMES, CH__MAX };

enum { CHECK_HOSTS, CHECK__MAX };

static const struct stmt check_sql[CHECK__MAX] = {
	/* The enabled hosts by their last probe, the names of those down. */
	[CHECK_HOSTS] = { "ctl_check.hosts",
	    "SELECT count(*) AS enabled, "
	    "count(*) FILTER (WHERE status = 'up') AS up, "
	    "count(*) FILTER (WHERE status = 'down') AS down, "
	    "coalesce(string_agg(name, ', ' ORDER BY name) "
	    "FILTER (WHERE status = 'down'), '') AS down_names "
	    "FROM hosts WHERE enabled", 0, DB_RETRY,
	    DB_COLS(CH__MAX, [CH_ENABLED] = "enabled", [CH_UP] = "up",
	    [CH_DOWN] = "down", [CH_DOWN_NAMES] = "down_names") },
};

const struct stmt_set ctl_check_stmts = STMT_SET(check_sql);

/* One line: "ok" or "FAIL", the check's name, what was found. */
static int
check_line(int ok, const char *what, const char *found)
{
	printf("%-5s %-11s %s\n", ok ? "ok" : "FAIL", what, found);
	return ok ? 0 : 1;
}

static int
check_migrations(struct ctl *c)
{
	struct migrations	 m;
	char			 msg[128];
	int			 rc;

	if (migrate_status(&m, &c->db, c->conf.str[CONF_SQL_DIR]) == -1)
		rc = check_line(0, "migrations", m.errmsg);
	else if (m.changed > 0 || m.pending > 0) {
		snprintf(msg, sizeof(msg), "%zu pending, %zu changed since "
		    "applied: run waportalctl migrate --status", m.pending,
		    m.changed);
		rc = check_line(0, "migrations", msg);
	} else {
		snprintf(msg, sizeof(msg), "%zu applied, none pending", m.n);
		rc = check_line(1, "migrations", msg);
	}
	migrations_free(&m);
	return rc;
}

static int
check_dispatcher(struct ctl *c)
{
	struct beat	 b;
	char		 msg[128];

	if (beat_dispatch(&c->db, &c->conf, &b) == -1)
		return check_line(0, "dispatcher", c->db.errmsg);
	if (b.state == BEAT_NONE)
		return check_line(0, "dispatcher", "none runs: no heartbeat "
		    "(start waportal-dispatch)");
	snprintf(msg, sizeof(msg), "%s: last heartbeat %lld s ago%s",
	    beat_state_names[b.state], b.age_s, b.state == BEAT_LATE ?
	    " (killed or stuck: nothing is being sent)" : "");
	return check_line(b.state == BEAT_ALIVE, "dispatcher", msg);
}

static int
check_hosts(struct ctl *c)
{
	PGresult	*res;
	char		 msg[256];
	long long	 n, down;

	if ((res = db_exec(&c->db, &check_sql[CHECK_HOSTS], NULL)) == NULL)
		return check_line(0, "hosts", c->db.errmsg);
	n = db_getll(res, 0, CH_ENABLED);
	down = db_getll(res, 0, CH_DOWN);
	if (down > 0)
		snprintf(msg, sizeof(msg), "%lld enabled, %lld down: %.180s", n,
		    down, db_get(res, 0, CH_DOWN_NAMES));
	else
		snprintf(msg, sizeof(msg), "%lld enabled, %lld up, none down%s",
		    n, (long long)db_getll(res, 0, CH_UP), n == 0 ?
		    " (none: waportalctl host add)" : "");
	PQclear(res);
	return check_line(n > 0 && down == 0, "hosts", msg);
}

/* The workers' socket: a socket that accepts a connection, and whose group. */
static int
check_socket(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	struct group		*g;
	char			 msg[256];
	int			 fd, rc;

	if (stat(path, &st) == -1) {
		snprintf(msg, sizeof(msg), "%.200s: %s", path, strerror(errno));
		return check_line(0, "socket", msg);
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(msg, sizeof(msg), "%.200s: not a socket", path);
		return check_line(0, "socket", msg);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		rc = -1;
	else
		rc = 0;
	g = getgrgid(st.st_gid);
	snprintf(msg, sizeof(msg), "%.160s: %s (mode %04o, group %s)", path,
	    rc == 0 ? "the workers accept" : strerror(errno),
	    (unsigned)(st.st_mode & 07777), g != NULL ? g->gr_name : "?");
	if (fd != -1)
		close(fd);
	return check_line(rc == 0, "socket", msg);
}

/* check [--socket PATH]: every check, even after one failed; 0 or 1. */
int
ctl_check(struct ctl *c, int argc, char **argv)
{
	const char	*sock = CHECK_SOCKET;
	int		 bad = 0;

	if (argc == 3 && strcmp(argv[1], "--socket") == 0)
		sock = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: waportalctl %s\n", ctl_check_usage);
		return 2;
	}
	if (db_connect(&c->db) == -1) {
		check_line(0, "database", c->db.errmsg);
		return 1 | check_socket(sock);
	}
	bad |= check_line(1, "database", "reachable");
	bad |= check_migrations(c);
	bad |= check_dispatcher(c);
	bad |= check_hosts(c);
	bad |= check_socket(sock);
	return bad;
}
