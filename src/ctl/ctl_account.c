/* ctl_account.c: what the waportalctl account commands share: subcommands, option checks, errors, transactions. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/migrate.h"
#include "core/phone.h"
#include "ctl_account.h"
#include "ctl_check.h"
#include "ctl_host.h"

/* Every statement set of waportalctl, for the statement check. */
const struct stmt_set *const ctl_stmts[] = {
	&migrate_stmts,
	&ctl_dealer_stmts,
	&ctl_package_stmts,
	&ctl_user_stmts,
	&ctl_passwd_stmts,
	&ctl_host_stmts,
	&ctl_check_stmts,
	NULL
};

typedef int (*ctl_check_fn)(const struct ctl_opt *, char *, char *,
    const char **, const char **);

/*
 * Run the subcommand argv[1] of group argv[0] from the table.  Returns
 * its exit status, or 2 (with every usage line) for a missing or
 * unknown subcommand.
 */
int
ctl_dispatch(struct ctl *c, const char *group, const struct ctl_sub *subs,
    size_t n, int argc, char **argv)
{
	struct ctl_run	 run;
	size_t		 i;

	for (i = 0; argc >= 2 && i < n; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		run.c = c;
		run.usage = subs[i].usage;
		snprintf(run.name, sizeof(run.name), "%s %s", group,
		    subs[i].name);
		return subs[i].fn(&run, argc - 1, argv + 1);
	}
	fprintf(stderr, "waportalctl: %s: %s\n", group, argc < 2 ?
	    "which subcommand?" : "unknown subcommand");
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s waportalctl %s\n", i == 0 ? "usage:" :
		    "      ", subs[i].usage);
	return 2;
}

/* A value problem: one line on stderr; returns exit status 1. */
int
ctl_fail(struct ctl_run *run, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "waportalctl: %s: ", run->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* A command line that cannot be parsed: the problem, the usage; 2. */
int
ctl_usage(struct ctl_run *run, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "waportalctl: %s: ", run->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: waportalctl %s\n", run->usage);
	return 2;
}

/* The database's last error as a value problem; returns 1. */
int
ctl_db_fail(struct ctl_run *run)
{
	return ctl_fail(run, "%s", run->c->db.errmsg);
}

int
ctl_begin(struct ctl_run *run)
{
	if (db_begin(&run->c->db) == -1)
		return ctl_db_fail(run);
	return 0;
}

int
ctl_commit(struct ctl_run *run)
{
	if (db_commit(&run->c->db) == -1)
		return ctl_db_fail(run);
	return 0;
}

/* Abandon the transaction; the message that made us give up stays. */
void
ctl_rollback(struct ctl_run *run)
{
	db_rollback(&run->c->db);
}

/*
 * Execute a statement.  Returns the result (the caller PQclear()s it),
 * or NULL after printing the database's message.
 */
PGresult *
ctl_exec(struct ctl_run *run, const struct stmt *s, const char *const *params)
{
	PGresult	*res;

	if ((res = db_exec(&run->c->db, s, params)) == NULL)
		ctl_db_fail(run);
	return res;
}

/* ------------------------------------------------------------ values */

/* Digits only, at most max; the value in *v.  0 or -1. */
static int
ctl_uint(const char *s, long long max, long long *v)
{
	char	*end;

	if (*s < '0' || *s > '9' || strlen(s) > 19)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end != '\0' || errno != 0 || *v > max ? -1 : 0;
}

static int
ctl_check_name(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	const char	*s = in;
	size_t		 n = strlen(in);

	if (name_ok(s, n, err) == -1)
		return -1;
	text_trim(&s, &n);
	in[s - in + n] = '\0';
	*val = s;
	return 0;
}

static int
ctl_check_text(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	const char	*s = in;
	size_t		 n = strlen(in);

	text_trim(&s, &n);
	if (text_field_ok(s, n, o->max, 0, err) == -1)
		return -1;
	in[s - in + n] = '\0';
	*val = s;
	return 0;
}

static int
ctl_check_email(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	*val = out;
	return email_normalize(in, strlen(in), out, err);
}

static int
ctl_check_phone(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	const char	*s = in;
	size_t		 n = strlen(in);
	enum phone_why	 why;

	*val = out;
	out[0] = '\0';
	text_trim(&s, &n);
	if (n == 0)
		return 0;
	if (phone_parse(s, n, CTL_PHONE_REGION, 0, out, &why) == 0)
		return 0;
	*err = phone_why_text(why);
	return -1;
}

static int
ctl_check_count(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	long long	 v;

	*err = "must be a whole number from 0 to 2147483647";
	if (ctl_uint(in, INT_MAX, &v) == -1)
		return -1;
	snprintf(out, CTL_VAL_MAX, "%lld", v);
	*val = out;
	return 0;
}

static int
ctl_check_id(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	long long	 v;

	*err = "must be a positive whole number (an id)";
	if (ctl_uint(in, INT64_MAX, &v) == -1 || v == 0)
		return -1;
	snprintf(out, CTL_VAL_MAX, "%lld", v);
	*val = out;
	return 0;
}

/* YYYY-MM-DD of a real day, years 1970 to 9999. */
static int
ctl_check_date(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int		 y, m, d, i;

	*err = "must be a date as YYYY-MM-DD";
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? in[i] != '-' :
		    in[i] < '0' || in[i] > '9')
			return -1;
	if (in[10] != '\0')
		return -1;
	y = atoi(in);
	m = atoi(in + 5);
	d = atoi(in + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0))))
		return -1;
	*val = in;
	return 0;
}

/* One of the NULL-terminated words; *err names them all. */
static int
ctl_check_word(const char *in, const char *const *words, const char **val)
{
	for (; *words != NULL; words++)
		if (strcmp(in, *words) == 0) {
			*val = *words;
			return 0;
		}
	return -1;
}

static int
ctl_check_role(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	static const char *const roles[] = { "customer", "dealer", "admin",
	    NULL };

	*err = "must be customer, dealer or admin";
	return ctl_check_word(in, roles, val);
}

static int
ctl_check_lang(const struct ctl_opt *o, char *in, char *out,
    const char **val, const char **err)
{
	static const char *const langs[] = { "en", "id", NULL };

	*err = "must be en or id";
	return ctl_check_word(in, langs, val);
}

static const ctl_check_fn ctl_checks[CTL_K__MAX] = {
	[CTL_K_NAME] = ctl_check_name,
	[CTL_K_TEXT] = ctl_check_text,
	[CTL_K_EMAIL] = ctl_check_email,
	[CTL_K_PHONE] = ctl_check_phone,
	[CTL_K_COUNT] = ctl_check_count,
	[CTL_K_ID] = ctl_check_id,
	[CTL_K_DATE] = ctl_check_date,
	[CTL_K_ROLE] = ctl_check_role,
	[CTL_K_LANG] = ctl_check_lang,
};

/* ------------------------------------------------------------ options */

/*
 * The option at argv[optind - 1] that getopt refused, up to any '=':
 * a value typed after it is never echoed.
 */
static int
ctl_bad_option(struct ctl_run *run, char **argv, int missing)
{
	const char	*a = argv[optind - 1];

	if (strncmp(a, "--", 2) != 0)
		return ctl_usage(run, "unknown option -%c", optopt);
	return ctl_usage(run, missing ? "option %.*s needs a value" :
	    "unknown option %.*s", (int)strcspn(a, "="), a);
}

/* getopt_long over the table; values are stored unchecked in a->v. */
static int
ctl_args_scan(struct ctl_run *run, const struct ctl_opt *opts, size_t n,
    int argc, char **argv, struct ctl_args *a)
{
	struct option	 lo[CTL_OPTS_MAX + 1];
	size_t		 i;
	int		 ch;

	memset(lo, 0, sizeof(lo));
	for (i = 0; i < n; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = required_argument;
		lo[i].val = 256 + (int)i;
	}
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return ctl_bad_option(run, argv, ch == ':');
		i = (size_t)(ch - 256);
		if (a->v[i] != NULL)
			return ctl_usage(run, "--%s given twice",
			    opts[i].name);
		a->v[i] = optarg;
	}
	return 0;
}

/* Check and normalise every value given; 0, or 1 after a message. */
static int
ctl_args_check(struct ctl_run *run, const struct ctl_opt *opts, size_t n,
    struct ctl_args *a)
{
	static const struct ctl_opt	 idopt = { "ID", CTL_K_ID, 1, 0 };
	const char			*err;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (a->v[i] == NULL && opts[i].required)
			return ctl_fail(run, "--%s is required", opts[i].name);
		if (a->v[i] != NULL && ctl_checks[opts[i].kind](&opts[i],
		    (char *)a->v[i], a->buf[i], &a->v[i], &err) == -1)
			return ctl_fail(run, "--%s: %s", opts[i].name, err);
	}
	if (a->id != NULL && ctl_check_id(&idopt, (char *)a->id, a->idbuf,
	    &a->id, &err) == -1)
		return ctl_fail(run, "ID: %s", err);
	return 0;
}

/*
 * Parse argv (argv[0] is the subcommand) against the n options of opts
 * and npos (0 or 1) positional IDs into a.  Values point into argv or
 * a, normalised.  Returns 0, 1 for a bad value or a missing required
 * option, 2 for a command line that cannot be parsed; the message is
 * printed.
 */
int
ctl_args_parse(struct ctl_run *run, const struct ctl_opt *opts, size_t n,
    int npos, int argc, char **argv, struct ctl_args *a)
{
	int	 rc;

	memset(a, 0, sizeof(*a));
	if ((rc = ctl_args_scan(run, opts, n, argc, argv, a)) != 0)
		return rc;
	if (argc - optind > npos)
		return ctl_usage(run, "too many arguments");
	if (argc - optind < npos)
		return ctl_usage(run, "the ID is missing");
	if (npos == 1)
		a->id = argv[optind];
	return ctl_args_check(run, opts, n, a);
}
