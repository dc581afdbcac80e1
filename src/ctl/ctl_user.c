/* ctl_user.c: waportalctl user add|list|disable|enable (passwd is in ctl_passwd.c). */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "ctl_account.h"

#define USER_ADD_USAGE "user add --role customer|dealer|admin " \
	"--email EMAIL --name NAME [--dealer ID] [--mobile PHONE] " \
	"[--phone PHONE] [--language en|id]"
#define USER_LIST_USAGE "user list [--role customer|dealer|admin] " \
	"[--dealer ID]"
#define USER_DISABLE_USAGE "user disable ID"
#define USER_ENABLE_USAGE "user enable ID"
#define USER_PASSWD_USAGE "user passwd ID   (the password is read from " \
	"the terminal, or one line of stdin)"

const char ctl_user_usage[] = USER_ADD_USAGE "\n  " USER_LIST_USAGE "\n  "
    USER_DISABLE_USAGE "\n  " USER_ENABLE_USAGE "\n  " USER_PASSWD_USAGE;

/* The options of user add, in the order of the INSERT's parameters. */
enum user_opt {
	USER_ROLE,
	USER_EMAIL,
	USER_NAME,
	USER_DEALER,
	USER_MOBILE,
	USER_PHONE,
	USER_LANGUAGE,
	USER__MAX
};

static const struct ctl_opt user_opts[USER__MAX] = {
	[USER_ROLE] = { "role", CTL_K_ROLE, 1, 0 },
	[USER_EMAIL] = { "email", CTL_K_EMAIL, 1, 0 },
	[USER_NAME] = { "name", CTL_K_NAME, 1, 0 },
	[USER_DEALER] = { "dealer", CTL_K_ID, 0, 0 },
	[USER_MOBILE] = { "mobile", CTL_K_PHONE, 0, 0 },
	[USER_PHONE] = { "phone", CTL_K_PHONE, 0, 0 },
	[USER_LANGUAGE] = { "language", CTL_K_LANG, 0, 0 },
};

enum list_opt {
	LIST_ROLE,
	LIST_DEALER,
	LIST__MAX
};

static const struct ctl_opt list_opts[LIST__MAX] = {
	[LIST_ROLE] = { "role", CTL_K_ROLE, 0, 0 },
	[LIST_DEALER] = { "dealer", CTL_K_ID, 0, 0 },
};

/* The columns of USER_ADD and USER_LOCK, and those of USER_LIST. */
enum { UA_ID, UA__MAX };
enum { UK_ROLE, UK_EMAIL, UK__MAX };
enum {
	UL_ID,
	UL_ROLE,
	UL_EMAIL,
	UL_NAME,
	UL_DEALER,
	UL_STATE,
	UL_PASSWORD,
	UL_PACKAGE,
	UL_EXPIRES,
	UL__MAX
};

enum {
	USER_SQL_ADD,
	USER_SQL_LIST,
	USER_SQL_LOCK,
	USER_SQL_DISABLE,
	USER_SQL_ENABLE,
	USER_SQL_SESSIONS_END,
	USER_SQL__MAX
};

static const struct stmt user_sql[USER_SQL__MAX] = {
	[USER_SQL_ADD] = { "ctl.user_add",
	    "INSERT INTO users (role, email, name, dealer_id, mobile, phone,"
	    " language) VALUES ($1::user_role, $2, $3, $4::bigint, $5, $6, $7)"
	    " RETURNING id", 7, DB_ONCE, DB_COLS(UA__MAX, [UA_ID] = "id") },
	/* Never the password hash: only whether there is one. */
	[USER_SQL_LIST] = { "ctl.user_list",
	    "SELECT u.id, u.role, u.email, u.name,"
	    " coalesce(u.dealer_id::text, '') AS dealer,"
	    " CASE WHEN u.disabled_at IS NULL THEN 'active' ELSE 'disabled' END"
	    " AS state,"
	    " CASE WHEN u.password_hash IS NULL THEN 'no' ELSE 'yes' END"
	    " AS password,"
	    " coalesce(p.name, '') AS package,"
	    " coalesce(to_char(cp.expires_at, 'YYYY-MM-DD') ||"
	    " CASE WHEN cp.expires_at <= wa_now() THEN ' (expired)' ELSE '' END, '')"
	    " AS expires"
	    " FROM users u"
	    " LEFT JOIN customer_packages cp ON cp.customer_id = u.id AND cp.active"
	    " LEFT JOIN packages p ON p.id = cp.package_id"
	    " WHERE ($1::user_role IS NULL OR u.role = $1::user_role)"
	    " AND ($2::bigint IS NULL OR u.dealer_id = $2::bigint)"
	    " ORDER BY u.id", 2, DB_RETRY, DB_COLS(UL__MAX, [UL_ID] = "id",
	    [UL_ROLE] = "role", [UL_EMAIL] = "email", [UL_NAME] = "name",
	    [UL_DEALER] = "dealer", [UL_STATE] = "state",
	    [UL_PASSWORD] = "password", [UL_PACKAGE] = "package",
	    [UL_EXPIRES] = "expires") },
	[USER_SQL_LOCK] = { "ctl.user_lock",
	    "SELECT role, email FROM users WHERE id = $1 FOR UPDATE", 1,
	    DB_ONCE, DB_COLS(UK__MAX, [UK_ROLE] = "role",
	    [UK_EMAIL] = "email") },
	[USER_SQL_DISABLE] = { "ctl.user_disable",
	    "UPDATE users SET disabled_at = coalesce(disabled_at, wa_now())"
	    " WHERE id = $1 RETURNING id", 1, DB_ONCE, DB_COLS(1, "id") },
	[USER_SQL_ENABLE] = { "ctl.user_enable",
	    "UPDATE users SET disabled_at = NULL WHERE id = $1 RETURNING id", 1,
	    DB_ONCE, DB_COLS(1, "id") },
	[USER_SQL_SESSIONS_END] = { "ctl.user_sessions_end",
	    "DELETE FROM sessions WHERE user_id = $1", 1, DB_ONCE, NULL },
};

const struct stmt_set ctl_user_stmts = STMT_SET(user_sql);

/*
 * In the open transaction: lock user id and copy its role into role.
 * Returns 0, or 1 after a message (no such user, or the database
 * failed).
 */
int
ctl_user_lock(struct ctl_run *run, const char *id, char role[16])
{
	const char	*params[] = { id };
	PGresult	*res;
	int		 rc = 0;

	if ((res = ctl_exec(run, &user_sql[USER_SQL_LOCK], params)) == NULL)
		return 1;
	if (PQntuples(res) == 0)
		rc = ctl_fail(run, "no user with id %s", id);
	else
		snprintf(role, 16, "%s", db_get(res, 0, UK_ROLE));
	PQclear(res);
	return rc;
}

/*
 * In the open transaction: end every session of user id. Returns 0
 * with how many in ended, or 1 after a message.
 */
int
ctl_user_end_sessions(struct ctl_run *run, const char *id, char *ended,
    size_t size)
{
	const char	*params[] = { id };
	PGresult	*res;

	if ((res = ctl_exec(run, &user_sql[USER_SQL_SESSIONS_END], params)) ==
	    NULL)
		return 1;
	snprintf(ended, size, "%s", PQcmdTuples(res));
	PQclear(res);
	return 0;
}

/*
 * The rules the schema cannot say well: customers and dealer staff
 * belong to a dealer that exists; admins belong to none.
 */
static int
user_add_check(struct ctl_run *run, const struct ctl_args *a)
{
	const char	*role = a->v[USER_ROLE], *dealer = a->v[USER_DEALER];

	if (strcmp(role, "admin") == 0 && dealer != NULL)
		return ctl_fail(run, "--dealer is not for admins");
	if (strcmp(role, "admin") != 0 && dealer == NULL)
		return ctl_fail(run, "--dealer is required for a %s", role);
	return dealer != NULL ? ctl_dealer_exists(run, dealer) : 0;
}

/* user add: insert one user (no password yet), print its id. */
static int
user_add(struct ctl_run *run, int argc, char **argv)
{
	struct ctl_args	 a;
	const char	*params[USER__MAX];
	PGresult	*res;
	int		 i, rc;

	if ((rc = ctl_args_parse(run, user_opts, USER__MAX, 0, argc, argv,
	    &a)) != 0 || (rc = user_add_check(run, &a)) != 0)
		return rc;
	for (i = 0; i < USER__MAX; i++)
		params[i] = a.v[i] != NULL ? a.v[i] : "";
	params[USER_DEALER] = a.v[USER_DEALER];
	if (a.v[USER_LANGUAGE] == NULL)
		params[USER_LANGUAGE] = "en";
	if ((res = db_exec(&run->c->db, &user_sql[USER_SQL_ADD], params)) ==
	    NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "the email address %s is taken",
			    a.v[USER_EMAIL]);
		if (strcmp(run->c->db.sqlstate, "23503") == 0)
			return ctl_fail(run, "no dealer with id %s",
			    a.v[USER_DEALER]);
		return ctl_db_fail(run);
	}
	printf("%s\n", db_get(res, 0, UA_ID));
	PQclear(res);
	return 0;
}

/* user list: users (of a role, of a dealer), state, active package. */
static int
user_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[UL__MAX] = { [UL_ID] = "ID",
	    [UL_ROLE] = "ROLE", [UL_EMAIL] = "EMAIL", [UL_NAME] = "NAME",
	    [UL_DEALER] = "DEALER", [UL_STATE] = "STATE",
	    [UL_PASSWORD] = "PASSWORD", [UL_PACKAGE] = "PACKAGE",
	    [UL_EXPIRES] = "EXPIRES" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, list_opts, LIST__MAX, 0, argc, argv,
	    &a)) != 0)
		return rc;
	if (a.v[LIST_DEALER] != NULL &&
	    (rc = ctl_dealer_exists(run, a.v[LIST_DEALER])) != 0)
		return rc;
	if ((res = ctl_exec(run, &user_sql[USER_SQL_LIST], a.v)) == NULL)
		return 1;
	ctl_table_print(res, head);
	PQclear(res);
	return 0;
}

/*
 * In the open transaction: run the update s on user id, then, when
 * end_sessions, delete the user's sessions.  Returns 0 with the number
 * of sessions ended in *ended, or 1 after a message.
 */
static int
user_set_state(struct ctl_run *run, const struct stmt *s, const char *id,
    int end_sessions, char *ended, size_t size)
{
	const char	*params[] = { id };
	PGresult	*res;
	int		 found;

	if ((res = ctl_exec(run, s, params)) == NULL)
		return 1;
	found = PQntuples(res);
	PQclear(res);
	if (!found)
		return ctl_fail(run, "no user with id %s", id);
	snprintf(ended, size, "0");
	if (!end_sessions)
		return 0;
	return ctl_user_end_sessions(run, id, ended, size);
}

/* user disable ID / user enable ID; disabling ends every session. */
static int
user_disable_enable(struct ctl_run *run, int argc, char **argv, int disable)
{
	struct ctl_args	 a;
	char		 ended[24];
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 1, argc, argv, &a)) != 0 ||
	    (rc = ctl_begin(run)) != 0)
		return rc;
	rc = user_set_state(run, &user_sql[disable ? USER_SQL_DISABLE :
	    USER_SQL_ENABLE], a.id, disable, ended, sizeof(ended));
	if (rc == 0)
		rc = ctl_commit(run);
	else
		ctl_rollback(run);
	if (rc == 0 && disable)
		printf("user %s disabled, %s session%s ended\n", a.id, ended,
		    strcmp(ended, "1") == 0 ? "" : "s");
	else if (rc == 0)
		printf("user %s enabled\n", a.id);
	return rc;
}

static int
user_disable(struct ctl_run *run, int argc, char **argv)
{
	return user_disable_enable(run, argc, argv, 1);
}

static int
user_enable(struct ctl_run *run, int argc, char **argv)
{
	return user_disable_enable(run, argc, argv, 0);
}

static const struct ctl_sub user_subs[] = {
	{ "add", user_add, USER_ADD_USAGE },
	{ "list", user_list, USER_LIST_USAGE },
	{ "disable", user_disable, USER_DISABLE_USAGE },
	{ "enable", user_enable, USER_ENABLE_USAGE },
	{ "passwd", ctl_user_passwd, USER_PASSWD_USAGE },
};

int
ctl_user(struct ctl *c, int argc, char **argv)
{
	return ctl_dispatch(c, "user", user_subs,
	    sizeof(user_subs) / sizeof(user_subs[0]), argc, argv);
}
