/* ctl_dealer.c: waportalctl dealer add|list: the resellers customers belong to. */
#include <stdio.h>

#include "core/db.h"
#include "ctl_account.h"

#define DEALER_ADD_USAGE "dealer add --name NAME [--contact-person NAME] " \
	"[--email EMAIL] [--phone PHONE] [--whatsapp PHONE] [--address TEXT]"
#define DEALER_LIST_USAGE "dealer list"

const char ctl_dealer_usage[] = DEALER_ADD_USAGE "\n  " DEALER_LIST_USAGE;

/* The options of dealer add, in the order of the INSERT's parameters. */
enum dealer_opt {
	DEALER_NAME,
	DEALER_CONTACT,
	DEALER_EMAIL,
	DEALER_PHONE,
	DEALER_WHATSAPP,
	DEALER_ADDRESS,
	DEALER__MAX
};

static const struct ctl_opt dealer_opts[DEALER__MAX] = {
	[DEALER_NAME] = { "name", CTL_K_NAME, 1, 0 },
	[DEALER_CONTACT] = { "contact-person", CTL_K_NAME, 0, 0 },
	[DEALER_EMAIL] = { "email", CTL_K_EMAIL, 0, 0 },
	[DEALER_PHONE] = { "phone", CTL_K_PHONE, 0, 0 },
	[DEALER_WHATSAPP] = { "whatsapp", CTL_K_PHONE, 0, 0 },
	[DEALER_ADDRESS] = { "address", CTL_K_TEXT, 0, CONTACT_ADDRESS_MAX },
};

/* The column of DEALER_ADD and those of DEALER_LIST (the table's). */
enum { DA_ID, DA__MAX };

enum {
	DL_ID,
	DL_NAME,
	DL_CONTACT,
	DL_EMAIL,
	DL_PHONE,
	DL_WHATSAPP,
	DL_CUSTOMERS,
	DL__MAX
};

enum {
	DEALER_SQL_ADD,
	DEALER_SQL_LIST,
	DEALER_SQL_EXISTS,
	DEALER_SQL__MAX
};

static const struct stmt dealer_sql[DEALER_SQL__MAX] = {
	[DEALER_SQL_ADD] = { "ctl.dealer_add",
	    "INSERT INTO dealers (name, contact_person, email, phone, whatsapp,"
	    " address) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6,
	    DB_ONCE, DB_COLS(DA__MAX, [DA_ID] = "id") },
	[DEALER_SQL_LIST] = { "ctl.dealer_list",
	    "SELECT d.id, d.name, d.contact_person, d.email, d.phone,"
	    " d.whatsapp, (SELECT count(*) FROM users u"
	    " WHERE u.dealer_id = d.id AND u.role = 'customer') AS customers"
	    " FROM dealers d ORDER BY d.id", 0, DB_RETRY,
	    DB_COLS(DL__MAX, [DL_ID] = "id", [DL_NAME] = "name",
	    [DL_CONTACT] = "contact_person", [DL_EMAIL] = "email",
	    [DL_PHONE] = "phone", [DL_WHATSAPP] = "whatsapp",
	    [DL_CUSTOMERS] = "customers") },
	[DEALER_SQL_EXISTS] = { "ctl.dealer_exists",
	    "SELECT 1 AS found FROM dealers WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(1, "found") },
};

const struct stmt_set ctl_dealer_stmts = STMT_SET(dealer_sql);

/* 0 when dealer id exists, else 1 after a message. */
int
ctl_dealer_exists(struct ctl_run *run, const char *id)
{
	const char	*params[] = { id };
	PGresult	*res;
	int		 rc = 0;

	if ((res = ctl_exec(run, &dealer_sql[DEALER_SQL_EXISTS], params)) ==
	    NULL)
		return 1;
	if (PQntuples(res) == 0)
		rc = ctl_fail(run, "no dealer with id %s", id);
	PQclear(res);
	return rc;
}

/* dealer add: insert one dealer, print its id. */
static int
dealer_add(struct ctl_run *run, int argc, char **argv)
{
	struct ctl_args	 a;
	const char	*params[DEALER__MAX];
	PGresult	*res;
	int		 i, rc;

	if ((rc = ctl_args_parse(run, dealer_opts, DEALER__MAX, 0, argc, argv,
	    &a)) != 0)
		return rc;
	for (i = 0; i < DEALER__MAX; i++)
		params[i] = a.v[i] != NULL ? a.v[i] : "";
	if ((res = ctl_exec(run, &dealer_sql[DEALER_SQL_ADD], params)) == NULL)
		return 1;
	printf("%s\n", db_get(res, 0, DA_ID));
	PQclear(res);
	return 0;
}

/* dealer list: every dealer with its number of customers. */
static int
dealer_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[DL__MAX] = { [DL_ID] = "ID",
	    [DL_NAME] = "NAME", [DL_CONTACT] = "CONTACT", [DL_EMAIL] = "EMAIL",
	    [DL_PHONE] = "PHONE", [DL_WHATSAPP] = "WHATSAPP",
	    [DL_CUSTOMERS] = "CUSTOMERS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, &dealer_sql[DEALER_SQL_LIST], NULL)) == NULL)
		return 1;
	ctl_table_print(res, head);
	PQclear(res);
	return 0;
}

static const struct ctl_sub dealer_subs[] = {
	{ "add", dealer_add, DEALER_ADD_USAGE },
	{ "list", dealer_list, DEALER_LIST_USAGE },
};

int
ctl_dealer(struct ctl *c, int argc, char **argv)
{
	return ctl_dispatch(c, "dealer", dealer_subs,
	    sizeof(dealer_subs) / sizeof(dealer_subs[0]), argc, argv);
}
