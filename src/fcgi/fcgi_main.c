/* fcgi_main.c: waportal-fcgi, the FastCGI worker: load once, then accept and serve until told to stop. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/password.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/route.h"
#include "web/serve.h"
#include "web/session.h"
#include "web/tmpl.h"
#include "modules.h"

static volatile sig_atomic_t	 fcgi_stop;

/*
 * Every signal a supervisor may stop a worker with: finish the request in
 * hand (the signals are blocked while one is served), then stop. Debian
 * 12's multiwatch shifts signal names by one ("-s TERM" delivers SIGQUIT,
 * INT delivers HUP, QUIT delivers INT) and its default is USR1, so each
 * of them is a graceful stop here, whatever the option says. SIGUSR2 is
 * the reload: multiwatch passes it on as it is and, not shutting down,
 * starts a new worker on the same socket for each that stopped.
 */
static const int fcgi_stop_signals[] = {
	SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2
};

/*
 * A stop signal: closing the listening socket makes a pending accept
 * fail at once instead of waiting for a connection.
 */
static void
fcgi_on_term(int sig)
{
	(void)sig;
	fcgi_stop = 1;
	FCGX_ShutdownPending();
	close(0);
}

static void
fcgi_signals(sigset_t *term)
{
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fcgi_on_term;	/* no SA_RESTART: accept must wake */
	sigemptyset(term);
	for (i = 0; i < sizeof(fcgi_stop_signals) /
	    sizeof(fcgi_stop_signals[0]); i++)
		sigaddset(term, fcgi_stop_signals[i]);
	sa.sa_mask = *term;
	for (i = 0; i < sizeof(fcgi_stop_signals) /
	    sizeof(fcgi_stop_signals[0]); i++)
		sigaction(fcgi_stop_signals[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * The hash sign-in verifies against when an account does not exist,
 * so an unknown email costs the same time as a wrong password. Made at
 * startup with the configured cost, so no request pays for making it.
 */
static void
fcgi_dummy_hash(struct app *app)
{
	struct password_params	 pp;
	char			 pw[SESSION_TOKEN_LEN + 1];

	pp.t = (unsigned)app->conf.num[CONF_ARGON2_T];
	pp.m_kib = (unsigned)app->conf.num[CONF_ARGON2_M];
	pp.p = 1;
	if (session_random(pw, sizeof(pw)) == -1 ||
	    password_hash(&pp, pw, strlen(pw), app->dummy_hash) == -1)
		fatalx("cannot make the sign-in dummy hash");
	password_wipe(pw, sizeof(pw));
}

/* Load configuration and templates; any problem stops the program. */
static void
fcgi_load(struct app *app)
{
	char	 err[512];

	if (conf_load(&app->conf) == -1 ||
	    conf_require_dir(&app->conf, CONF_TEMPLATE_DIR) == -1 ||
	    conf_require_dir(&app->conf, CONF_SQL_DIR) == -1)
		fatalx("configuration: %s", app->conf.errmsg);
	if (modules_load(app, fcgi_modules, err, sizeof(err)) == -1)
		fatalx("modules: %s", err);
	app->tmpl = tmpl_set_new();
	if (tmpl_set_load_dir(app->tmpl, app->conf.str[CONF_TEMPLATE_DIR],
	    err, sizeof(err)) == -1)
		fatalx("templates: %s", err);
	db_init(&app->db, app->conf.str[CONF_DATABASE_URL],
	    (int)app->conf.num[CONF_DB_CONNECT_TIMEOUT],
	    (int)app->conf.num[CONF_STATEMENT_TIMEOUT]);
	app->asset_version = PACKAGE_VERSION;
	app->api = &api_plug;
	fcgi_dummy_hash(app);
}

/*
 * One line at start: the version and every setting (the database's
 * address only as set), so a log shows what each worker ran with.
 */
static void
fcgi_log_start(const struct app *app)
{
	struct buf	 b = BUF_INIT;
	enum conf_key	 k;
	const char	*name;
	char		 key[64];
	size_t		 i;

	log_prefix(&b, "info");
	log_kv(&b, "msg", "starting");
	log_kv(&b, "version", PACKAGE_VERSION);
	for (k = 0; k < CONF__MAX; k++) {
		/* WAPORTAL_MAX_REQUESTS is logged as max_requests. */
		name = conf_defs[k].name;
		if (strncmp(name, "WAPORTAL_", 9) == 0)
			name += 9;
		for (i = 0; name[i] != '\0' && i < sizeof(key) - 1; i++)
			key[i] = (char)tolower((unsigned char)name[i]);
		key[i] = '\0';
		log_kv(&b, key, conf_shown(&app->conf, k));
	}
	log_line(&b);
	buf_free(&b);
}

/* Accept and serve until stopped or recycled; returns requests served. */
static long long
fcgi_loop(struct app *app, const sigset_t *term)
{
	FCGX_Request	 fr;
	long long	 served = 0, max;

	max = app->conf.num[CONF_MAX_REQUESTS];
	FCGX_InitRequest(&fr, 0, 0);
	while (!fcgi_stop && (max == 0 || served < max)) {
		if (FCGX_Accept_r(&fr) < 0)
			break;
		sigprocmask(SIG_BLOCK, term, NULL);
		serve_request(app, &fr);
		FCGX_Finish_r(&fr);
		served++;
		sigprocmask(SIG_UNBLOCK, term, NULL);
	}
	FCGX_Free(&fr, 1);
	return served;
}

static void
usage(void)
{
	fprintf(stderr, "usage: waportal-fcgi [-n]\n"
	    "  run under spawn-fcgi: the listening socket is fd 0\n"
	    "  -n  check the configuration and templates, then exit\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct app	 app;
	sigset_t	 term;
	long long	 served;
	int		 ch, check = 0;

	log_init("waportal-fcgi");
	while ((ch = getopt(argc, argv, "n")) != -1)
		if (ch == 'n')
			check = 1;
		else
			usage();
	memset(&app, 0, sizeof(app));
	fcgi_load(&app);
	if (check) {
		fprintf(stderr, "configuration, routes and templates OK\n");
		free(app.routes);
		tmpl_set_free(app.tmpl);
		db_free(&app.db);
		return 0;
	}
	if (FCGX_Init() != 0)
		fatalx("FCGX_Init failed");
	if (FCGX_IsCGI())
		fatalx("fd 0 is not a FastCGI listening socket: start the "
		    "worker with spawn-fcgi (see docs/deploy.md)");
	fcgi_signals(&term);
	fcgi_log_start(&app);
	served = fcgi_loop(&app, &term);
	log_info("stopping after %lld requests", served);
	i18n_free();
	free(app.routes);
	tmpl_set_free(app.tmpl);
	db_free(&app.db);
	return 0;
}
