/* ctl_passwd.c: waportalctl user passwd ID: read a password (tty without echo, or stdin), store its argon2id hash. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/db.h"
#include "core/password.h"
#include "ctl_account.h"

/* Room for the longest password in UTF-8, CR, LF and one byte more. */
#define PW_BUF		(4 * PASSWORD_MAX + 3)
#define PW_LENGTH_MSG	"the password must be 8 to 1024 characters of UTF-8 text"

static const int pw_signals[] = { SIGINT, SIGHUP, SIGQUIT, SIGTERM };
#define PW_NSIG	(sizeof(pw_signals) / sizeof(pw_signals[0]))

static volatile sig_atomic_t pw_signo;

static void
pw_catch(int sig)
{
	pw_signo = sig;
}

/* Drop one line end (LF or CR LF) from the n bytes of b. */
static size_t
pw_chomp(const char *b, size_t n)
{
	if (n > 0 && b[n - 1] == '\n')
		n--;
	if (n > 0 && b[n - 1] == '\r')
		n--;
	return n;
}

/*
 * Read the whole of stdin (not a terminal) into b: one line, the
 * password.  Returns 0 with its length in *n, or -1 with *err.
 */
static int
pw_read_stdin(char *b, size_t size, size_t *n, const char **err)
{
	const char	*nl;
	size_t		 total = 0;
	ssize_t		 r;

	while (total < size) {
		if ((r = read(STDIN_FILENO, b + total, size - total)) == -1 &&
		    errno == EINTR)
			continue;
		if (r == -1) {
			*err = "cannot read the password from stdin";
			return -1;
		}
		if (r == 0)
			break;
		total += (size_t)r;
	}
	*err = PW_LENGTH_MSG;
	if (total == size)
		return -1;
	nl = memchr(b, '\n', total);
	if (nl != NULL && (size_t)(nl - b) + 1 < total) {
		*err = "stdin must hold one line, the password";
		return -1;
	}
	*n = pw_chomp(b, total);
	return 0;
}

/*
 * Read one line from the terminal into b (the terminal state is the
 * caller's).  A line longer than b is read to its end and thrown away;
 * *n is then size, which no password can be.  Returns 0, or -1 when a
 * caught signal arrived.
 */
static int
pw_tty_line(char *b, size_t size, size_t *n)
{
	char		 rest[64], *p;
	ssize_t		 r;
	int		 full = 0, eol;

	*n = 0;
	while (pw_signo == 0) {
		full = *n == size;
		p = full ? rest : b + *n;
		r = read(STDIN_FILENO, p, full ? sizeof(rest) : size - *n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		eol = p[r - 1] == '\n';
		if (full)
			password_wipe(rest, sizeof(rest));
		else
			*n += (size_t)r;
		if (eol)
			break;
	}
	if (full) {
		password_wipe(b, size);
		*n = size;
	}
	return pw_signo != 0 ? -1 : 0;
}

/*
 * Prompt on stderr and read one line from the terminal on stdin with
 * echo off; echo and the signal handlers are restored even when a
 * signal arrives (which is then delivered).  Returns 0 with the length
 * in *n, or -1 with *err.
 */
static int
pw_read_tty(const char *prompt, char *b, size_t size, size_t *n,
    const char **err)
{
	struct termios		 old, quiet;
	struct sigaction	 sa, saved[PW_NSIG];
	size_t			 i;
	int			 rc;

	*n = 0;
	*err = "cannot switch off the terminal's echo";
	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pw_catch;	/* no SA_RESTART: read returns */
	sigemptyset(&sa.sa_mask);
	pw_signo = 0;
	for (i = 0; i < PW_NSIG; i++)
		sigaction(pw_signals[i], &sa, &saved[i]);
	quiet = old;
	quiet.c_lflag &= ~(ECHO | ECHONL);
	rc = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	if (rc == 0) {
		fputs(prompt, stderr);
		rc = pw_tty_line(b, size, n);
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	for (i = 0; i < PW_NSIG; i++)
		sigaction(pw_signals[i], &saved[i], NULL);
	if (pw_signo != 0) {
		password_wipe(b, size);
		raise(pw_signo);
		*err = "interrupted";
	}
	*n = pw_chomp(b, *n);
	return rc;
}

/*
 * The new password in b: typed twice on a terminal, else one line of
 * stdin.  Returns 0 with its length in *n, or -1 with *err.  Both
 * buffers hold secrets afterwards; the caller wipes them.
 */
static int
pw_read(char *b, char *again, size_t size, size_t *n, const char **err)
{
	size_t	 n2;

	if (!isatty(STDIN_FILENO))
		return pw_read_stdin(b, size, n, err);
	if (pw_read_tty("New password: ", b, size, n, err) == -1 ||
	    pw_read_tty("Repeat it: ", again, size, &n2, err) == -1)
		return -1;
	if (*n != n2 || memcmp(b, again, n2) != 0) {
		*err = "the passwords do not match";
		return -1;
	}
	return 0;
}

/*
 * Read, check and hash the new password into enc; every buffer that
 * held the password is wiped before returning 0, or 1 after a message.
 */
static int
pw_get_hash(struct ctl_run *run, char enc[PASSWORD_ENCODED_MAX])
{
	struct password_params	 pp;
	char			 b[PW_BUF], again[PW_BUF];
	const char		*err = NULL;
	size_t			 n = 0;
	int			 rc = 0;

	pp.t = (unsigned)run->c->conf.num[CONF_ARGON2_T];
	pp.m_kib = (unsigned)run->c->conf.num[CONF_ARGON2_M];
	pp.p = 1;
	if (pw_read(b, again, sizeof(b), &n, &err) == -1)
		rc = ctl_fail(run, "%s", err);
	else if (!password_length_ok(b, n))
		rc = ctl_fail(run, "%s", PW_LENGTH_MSG);
	else if (password_hash(&pp, b, n, enc) == -1)
		rc = ctl_fail(run, "cannot hash the password");
	password_wipe(b, sizeof(b));
	password_wipe(again, sizeof(again));
	return rc;
}

enum { PASSWD_SET, PASSWD__MAX };

static const struct stmt passwd_sql[PASSWD__MAX] = {
	[PASSWD_SET] = { "ctl.user_passwd",
	    "UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING id", 2,
	    DB_ONCE, DB_COLS(1, "id") },
};

const struct stmt_set ctl_passwd_stmts = STMT_SET(passwd_sql);

/* In a transaction: store the hash, end the user's sessions. */
static int
pw_store(struct ctl_run *run, const char *id, const char *enc,
    char *ended, size_t size)
{
	const char	*params[] = { id, enc };
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_begin(run)) != 0)
		return rc;
	if ((res = ctl_exec(run, &passwd_sql[PASSWD_SET], params)) == NULL) {
		ctl_rollback(run);
		return 1;
	}
	rc = PQntuples(res) == 0 ? ctl_fail(run, "no user with id %s", id) : 0;
	PQclear(res);
	if (rc != 0) {
		ctl_rollback(run);
		return rc;
	}
	if (ctl_user_end_sessions(run, id, ended, size) != 0) {
		ctl_rollback(run);
		return 1;
	}
	return ctl_commit(run);
}

/*
 * user passwd ID: never from argv.  The user must exist before the
 * password is asked for; storing it ends all the user's sessions.
 */
int
ctl_user_passwd(struct ctl_run *run, int argc, char **argv)
{
	struct ctl_args	 a;
	char		 enc[PASSWORD_ENCODED_MAX], ended[24], role[16];
	int		 rc;

	if (argc > 2)
		return ctl_usage(run, "too many arguments (a password is "
		    "never taken from the command line)");
	if ((rc = ctl_args_parse(run, NULL, 0, 1, argc, argv, &a)) != 0)
		return rc;
	if ((rc = ctl_user_lock(run, a.id, role)) != 0)
		return rc;
	if ((rc = pw_get_hash(run, enc)) != 0)
		return rc;
	rc = pw_store(run, a.id, enc, ended, sizeof(ended));
	password_wipe(enc, sizeof(enc));
	if (rc == 0)
		printf("password set for user %s, %s session%s ended\n", a.id,
		    ended, strcmp(ended, "1") == 0 ? "" : "s");
	return rc;
}
