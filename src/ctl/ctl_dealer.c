/* ctl_dealer.c: waportalctl dealer add|list: the resellers customers belong to. */
#include <stdio.h>

#include "core/db_stmt.h"
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
	if ((res = ctl_exec(run, LEGACY(STMT_CTL_DEALER_ADD), params)) == NULL)
		return 1;
	printf("%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* dealer list: every dealer with its number of customers. */
static int
dealer_list(struct ctl_run *run, int argc, char **argv)
{
	static const char *const head[] = { "ID", "NAME", "CONTACT", "EMAIL",
	    "PHONE", "WHATSAPP", "CUSTOMERS" };
	struct ctl_args	 a;
	PGresult	*res;
	int		 rc;

	if ((rc = ctl_args_parse(run, NULL, 0, 0, argc, argv, &a)) != 0)
		return rc;
	if ((res = ctl_exec(run, LEGACY(STMT_CTL_DEALER_LIST), NULL)) == NULL)
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
