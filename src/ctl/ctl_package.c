/* ctl_package.c: waportalctl package add|list|assign: plans, their limits, and who has which. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "ctl_account.h"

#define PKG_ADD_USAGE "package add --name NAME --instances N " \
	"--contacts N --messages-month N --api-keys N --api-rpm N " \
	"[--price TEXT]"
#define PKG_LIST_USAGE "package list"
#define PKG_ASSIGN_USAGE "package assign --customer ID --package ID " \
	"--expires YYYY-MM-DD [--starts YYYY-MM-DD]"
#define PKG_PRICE_MAX 100	/* code points, as in the schema */

const char ctl_package_usage[] = PKG_ADD_USAGE "\n  "
    PKG_LIST_USAGE "\n  " PKG_ASSIGN_USAGE;

/* The options of package add, in the order of the INSERT's parameters. */
enum pkg_opt {
	PKG_NAME,
	PKG_INSTANCES,
	PKG_CONTACTS,
	PKG_MESSAGES,
	PKG_API_KEYS,
	PKG_API_RPM,
	PKG_PRICE,
	PKG__MAX
};

static const struct ctl_opt package_opts[PKG__MAX] = {
	[PKG_NAME] = { "name", CTL_K_NAME, 1, 0 },
	[PKG_INSTANCES] = { "instances", CTL_K_COUNT, 1, 0 },
	[PKG_CONTACTS] = { "contacts", CTL_K_COUNT, 1, 0 },
	[PKG_MESSAGES] = { "messages-month", CTL_K_COUNT, 1, 0 },
	[PKG_API_KEYS] = { "api-keys", CTL_K_COUNT, 1, 0 },
	[PKG_API_RPM] = { "api-rpm", CTL_K_COUNT, 1, 0 },
	[PKG_PRICE] = { "price", CTL_K_TEXT, 0, PKG_PRICE_MAX },
};

/* The options of package assign, in the order of the INSERT's parameters. */
enum assign_opt {
	ASSIGN_CUSTOMER,
	ASSIGN_PACKAGE,
	ASSIGN_STARTS,
	ASSIGN_EXPIRES,
	ASSIGN__MAX
};

static const struct ctl_opt assign_opts[ASSIGN__MAX] = {
	[ASSIGN_CUSTOMER] = { "customer", CTL_K_ID, 1, 0 },
	[ASSIGN_PACKAGE] = { "package", CTL_K_ID, 1, 0 },
	[ASSIGN_STARTS] = { "starts", CTL_K_DATE, 0, 0 },
	[ASSIGN_EXPIRES] = { "expires", CTL_K_DATE, 1, 0 },
};

/* The columns of PKG_SQL_ADD, PKG_SQL_NAME, PKG_SQL_ASSIGN, PKG_SQL_LIST. */
enum { PA_ID, PA__MAX };
enum { PN_NAME, PN__MAX };
enum { PS_ID, PS_STARTS, PS_EXPIRES, PS__MAX };
enum {
	PL_ID,
	PL_NAME,
	PL_INSTANCES,
	PL_CONTACTS,
	PL_MESSAGES,
	PL_API_KEYS,
	PL_API_RPM,
	PL_PRICE,
	PL_CUSTOMERS,
	PL__MAX
};

enum {
	PKG_SQL_ADD,
	PKG_SQL_LIST,
	PKG_SQL_NAME,
	PKG_SQL_DEACTIVATE,
	PKG_SQL_ASSIGN,
	PKG_SQL__MAX
};

static const struct stmt package_sql[PKG_SQL__MAX] = {
	[PKG_SQL_ADD] = { "ctl.package_add",
	    "INSERT INTO packages (name, max_instances, max_contacts,"
	    " max_messages_month, max_api_keys, api_rpm, price_text)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", 7, DB_ONCE,
	    DB_COLS(PA__MAX, [PA_ID] = "id") },
	[PKG_SQL_LIST] = { "ctl.package_list",
	    "SELECT p.id, p.name, p.max_instances, p.max_contacts,"
	    " p.max_messages_month, p.max_api_keys, p.api_rpm, p.price_text,"
	    " (SELECT count(*) FROM customer_packages cp"
	    " WHERE cp.package_id = p.id AND cp.active) AS customers"
	    " FROM packages p ORDER BY p.id", 0, DB_RETRY,
	    DB_COLS(PL__MAX, [PL_ID] = "id", [PL_NAME] = "name",
	    [PL_INSTANCES] = "max_instances", [PL_CONTACTS] = "max_contacts",
	    [PL_MESSAGES] = "max_messages_month",
	    [PL_API_KEYS] = "max_api_keys", [PL_API_RPM] = "api_rpm",
	    [PL_PRICE] = "price_text", [PL_CUSTOMERS] = "customers") },
	/* Runs inside package assign's transaction: never resent. */
	[PKG_SQL_NAME] = { "ctl.package_name",
	    "SELECT name FROM packages WHERE id = $1", 1, DB_ONCE,
	    DB_COLS(PN__MAX, [PN_NAME] = "name") },
	/* Package history: the old row stays, inactive. */
	[PKG_SQL_DEACTIVATE] = { "ctl.package_deactivate",
	    "UPDATE customer_packages SET active = false"
	    " WHERE customer_id = $1 AND active", 1, DB_ONCE, NULL },
	/* Dates are midnight in the server's TimeZone; no start: now. */
	[PKG_SQL_ASSIGN] = { "ctl.package_assign",
	    "INSERT INTO customer_packages (customer_id, package_id,"
	    " starts_at, expires_at) VALUES ($1, $2,"
	    " coalesce($3::date::timestamptz, wa_now()), $4::date::timestamptz)"
	    " RETURNING id, to_char(starts_at, 'YYYY-MM-DD') AS starts,"
	    " to_char(expires_at, 'YYYY-MM-DD') AS expires", 4, DB_ONCE,
	    DB_COLS(PS__MAX, [PS_ID] = "id", [PS_STARTS] = "starts",
	    [PS_EXPIRES] = "expires") },
};

const struct stmt_set ctl_package_stmts = STMT_SET(package_sql);

/* package add: insert one package, print its id. */
static int
package_add(struct ctl_run *run, int argc, char **argv)
{
	struct ctl_args	 a;
	const char	*params[PKG__MAX];
	PGresult	*res;
	int		 i, rc;

	if ((rc = ctl_args_parse(run, package_opts, PKG__MAX, 0, argc,
	    argv, &a)) != 0)
		return rc;
	for (i = 0; i < PKG__MAX; i++)
		params[i] = a.v[i] != NULL ? a.v[i] : "";
	if ((res = db_exec(&run->c->db, &package_sql[PKG_SQL_ADD], params)) ==
	    NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "a package with that name exists");
		return ctl_db_fail(run);
	}
	printf("%s\n", db_get(res, 0, PA_ID));
	PQclear(res);
	return 0;
}

/* package list: every package, its limits, its active customers. */
static int
package_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[PL__MAX] = { [PL_ID] = "ID",
	    [PL_NAME] = "NAME", [PL_INSTANCES] = "INSTANCES",
	    [PL_CONTACTS] = "CONTACTS", [PL_MESSAGES] = "MESSAGES/MONTH",
	    [PL_API_KEYS] = "API-KEYS", [PL_API_RPM] = "API-RPM",
	    [PL_PRICE] = "PRICE", [PL_CUSTOMERS] = "CUSTOMERS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, &package_sql[PKG_SQL_LIST], NULL)) == NULL)
		return 1;
	ctl_table_print(res, head);
	PQclear(res);
	return 0;
}

/*
 * In the open transaction: lock the customer and check that the user
 * is one and the package exists.  Returns 0 with *pkgres holding the
 * package's name (the caller PQclear()s it), or 1 after a message.
 */
static int
assign_check(struct ctl_run *run, const struct ctl_args *a,
    PGresult **pkgres)
{
	const char	*uid = a->v[ASSIGN_CUSTOMER];
	const char	*pid[] = { a->v[ASSIGN_PACKAGE] };
	char		 role[16];
	int		 rc;

	if ((rc = ctl_user_lock(run, uid, role)) != 0)
		return rc;
	if (strcmp(role, "customer") != 0)
		return ctl_fail(run, "user %s is a%s %s, not a customer", uid,
		    role[0] == 'a' ? "n" : "", role);
	if ((*pkgres = ctl_exec(run, &package_sql[PKG_SQL_NAME], pid)) == NULL)
		return 1;
	if (PQntuples(*pkgres) == 0) {
		PQclear(*pkgres);
		*pkgres = NULL;
		return ctl_fail(run, "no package with id %s", pid[0]);
	}
	return 0;
}

/*
 * In the open transaction: end the active package and add the new
 * one.  Returns 0 with *out (start and expiry; the caller PQclear()s
 * it), or 1 after a message.
 */
static int
assign_insert(struct ctl_run *run, const struct ctl_args *a, PGresult **out)
{
	if (db_exec_cmd(&run->c->db, &package_sql[PKG_SQL_DEACTIVATE], a->v) ==
	    -1)
		return ctl_db_fail(run);
	if ((*out = db_exec(&run->c->db, &package_sql[PKG_SQL_ASSIGN],
	    a->v)) != NULL)
		return 0;
	if (strcmp(run->c->db.sqlstate, "23514") == 0)
		return ctl_fail(run, "--expires must be after %s",
		    a->v[ASSIGN_STARTS] != NULL ? "--starts" : "today");
	return ctl_db_fail(run);
}

/*
 * package assign: in one transaction, deactivate the customer's active
 * package (it stays as history) and insert the new one; say what was
 * done once it is committed.
 */
static int
package_assign(struct ctl_run *run, int argc, char **argv)
{
	struct ctl_args	 a;
	PGresult	*pkg = NULL, *res = NULL;
	int		 rc;

	if ((rc = ctl_args_parse(run, assign_opts, ASSIGN__MAX, 0, argc, argv,
	    &a)) != 0)
		return rc;
	if (a.v[ASSIGN_STARTS] != NULL &&
	    strcmp(a.v[ASSIGN_EXPIRES], a.v[ASSIGN_STARTS]) <= 0)
		return ctl_fail(run, "--expires must be after --starts");
	if ((rc = ctl_begin(run)) != 0)
		return rc;
	if ((rc = assign_check(run, &a, &pkg)) == 0)
		rc = assign_insert(run, &a, &res);
	if (rc == 0)
		rc = ctl_commit(run);
	else
		ctl_rollback(run);
	if (rc == 0) {
		printf("customer %s: package %s (", a.v[ASSIGN_CUSTOMER],
		    a.v[ASSIGN_PACKAGE]);
		ctl_print_safe(db_get(pkg, 0, PN_NAME));
		printf(") from %s until %s\n", db_get(res, 0, PS_STARTS),
		    db_get(res, 0, PS_EXPIRES));
	}
	PQclear(pkg);
	PQclear(res);
	return rc;
}

static const struct ctl_sub package_subs[] = {
	{ "add", package_add, PKG_ADD_USAGE },
	{ "list", package_list, PKG_LIST_USAGE },
	{ "assign", package_assign, PKG_ASSIGN_USAGE },
};

int
ctl_package(struct ctl *c, int argc, char **argv)
{
	return ctl_dispatch(c, "package", package_subs,
	    sizeof(package_subs) / sizeof(package_subs[0]), argc, argv);
}
