/* ctl_account.h: waportalctl dealer, package and user commands and their shared option parser. */
#ifndef WA_CTL_ACCOUNT_H
#define WA_CTL_ACCOUNT_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/valid.h"
#include "ctl.h"

#define CTL_OPTS_MAX	8
#define CTL_VAL_MAX	(EMAIL_MAX + 1)	/* longest normalised value + NUL */
/* The country of national numbers given to waportalctl (users.country's
 * default: the service is Indonesian). */
#define CTL_PHONE_REGION	"ID"

/* One running subcommand, for messages: "user add" and its usage line. */
struct ctl_run {
	struct ctl	*c;
	char		 name[32];
	const char	*usage;
};

struct ctl_sub {
	const char	*name;
	int		(*fn)(struct ctl_run *, int, char **);
	const char	*usage;
};

/* What an option's value must be; each kind has a validator. */
enum ctl_kind {
	CTL_K_NAME,	/* required single-line name, trimmed */
	CTL_K_TEXT,	/* single-line text of at most max code points */
	CTL_K_EMAIL,	/* normalised address */
	CTL_K_PHONE,	/* normalised to E.164 */
	CTL_K_COUNT,	/* 0..INT_MAX */
	CTL_K_ID,	/* 1..INT64_MAX */
	CTL_K_DATE,	/* YYYY-MM-DD, a real calendar day */
	CTL_K_ROLE,	/* customer, dealer or admin */
	CTL_K_LANG,	/* en or id */
	CTL_K__MAX
};

struct ctl_opt {
	const char	*name;		/* long option, without the dashes */
	enum ctl_kind	 kind;
	int		 required;
	size_t		 max;		/* CTL_K_TEXT: code points */
};

/* Parsed options, indexed like the caller's ctl_opt table. */
struct ctl_args {
	const char	*v[CTL_OPTS_MAX];	/* normalised, NULL if absent */
	char		 buf[CTL_OPTS_MAX][CTL_VAL_MAX];
	const char	*id;			/* the positional ID, if any */
	char		 idbuf[CTL_VAL_MAX];
};

/* Each file's statements, and the list of all of waportalctl's. */
extern const struct stmt_set ctl_dealer_stmts, ctl_package_stmts,
    ctl_user_stmts, ctl_passwd_stmts;
extern const struct stmt_set *const ctl_stmts[];

extern const char ctl_dealer_usage[];
extern const char ctl_package_usage[];
extern const char ctl_user_usage[];

int	ctl_dealer(struct ctl *, int, char **);
int	ctl_dealer_exists(struct ctl_run *, const char *);
int	ctl_package(struct ctl *, int, char **);
int	ctl_user(struct ctl *, int, char **);
int	ctl_user_passwd(struct ctl_run *, int, char **);
int	ctl_user_lock(struct ctl_run *, const char *, char [16]);
int	ctl_user_end_sessions(struct ctl_run *, const char *, char *, size_t);

int	ctl_dispatch(struct ctl *, const char *, const struct ctl_sub *,
	    size_t, int, char **);
int	ctl_args_parse(struct ctl_run *, const struct ctl_opt *, size_t, int,
	    int, char **, struct ctl_args *);
int	ctl_fail(struct ctl_run *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	ctl_usage(struct ctl_run *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	ctl_db_fail(struct ctl_run *);
int	ctl_begin(struct ctl_run *);
int	ctl_commit(struct ctl_run *);
void	ctl_rollback(struct ctl_run *);
PGresult *ctl_exec(struct ctl_run *, const struct stmt *, const char *const *);
void	ctl_table_print(const PGresult *, const char *const *);
void	ctl_print_safe(const char *);

#endif
