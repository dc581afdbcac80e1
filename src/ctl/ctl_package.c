/* ctl_package.c: waportalctl package add|list|assign: plans, their limits, and who has which. */
#include <stdio.h>
#include <string.h>

#include "core/db_stmt.h"
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
	if ((res = db_exec(&run->c->db, LEGACY(STMT_CTL_PACKAGE_ADD), params)) ==
	    NULL) {
		if (strcmp(run->c->db.sqlstate, "23505") == 0)
			return ctl_fail(run, "a package with that name exists");
		return ctl_db_fail(run);
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* package list: every package, its limits, its active customers. */
static int
package_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[] = { "ID", "NAME", "INSTANCES",
	    "CONTACTS", "MESSAGES/MONTH", "API-KEYS", "API-RPM", "PRICE",
	    "CUSTOMERS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, LEGACY(STMT_CTL_PACKAGE_LIST), NULL)) == NULL)
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
	const char	*uid[] = { a->v[ASSIGN_CUSTOMER] };
	const char	*pid[] = { a->v[ASSIGN_PACKAGE] };
	PGresult	*res;
	int		 rc = 0;

	if ((res = ctl_exec(run, LEGACY(STMT_CTL_USER_LOCK), uid)) == NULL)
		return 1;
	if (PQntuples(res) == 0)
		rc = ctl_fail(run, "no user with id %s", uid[0]);
	else if (strcmp(PQgetvalue(res, 0, 0), "customer") != 0)
		rc = ctl_fail(run, "user %s is a%s %s, not a customer", uid[0],
		    PQgetvalue(res, 0, 0)[0] == 'a' ? "n" : "",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
	if (rc != 0)
		return rc;
	if ((*pkgres = ctl_exec(run, LEGACY(STMT_CTL_PACKAGE_NAME), pid)) == NULL)
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
	if (db_exec_cmd(&run->c->db, LEGACY(STMT_CTL_PACKAGE_DEACTIVATE), a->v) == -1)
		return ctl_db_fail(run);
	if ((*out = db_exec(&run->c->db, LEGACY(STMT_CTL_PACKAGE_ASSIGN), a->v)) !=
	    NULL)
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
		ctl_print_safe(PQgetvalue(pkg, 0, 0));
		printf(") from %s until %s\n", PQgetvalue(res, 0, 1),
		    PQgetvalue(res, 0, 2));
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
