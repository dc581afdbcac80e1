/* gwcall: run one gateway driver operation and print its result, for the black-box tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw/gw.h"

static void
usage(void)
{
	fprintf(stderr, "usage: gwcall DRIVER BASE_URL API_KEY OP SESSION [ARG...]\n"
	    "  OP: create | status | restart | logout | delete | qr |\n"
	    "      pairing PHONE | send TO TEXT | exists TO\n"
	    "  env GWCALL_HOOK_URL, GWCALL_HOOK_SECRET, GWCALL_TIMEOUT_MS\n");
	exit(2);
}

/* Dispatch OP to the driver's operation. */
static int
run(const struct gw_ops *ops, const struct gw_host *h, int argc, char **argv,
    struct gw_result *res)
{
	const char	*op = argv[4], *s = argv[5];

	if (strcmp(op, "create") == 0)
		return ops->session_create(h, s, res);
	if (strcmp(op, "status") == 0)
		return ops->session_status(h, s, res);
	if (strcmp(op, "restart") == 0)
		return ops->session_restart(h, s, res);
	if (strcmp(op, "logout") == 0)
		return ops->session_logout(h, s, res);
	if (strcmp(op, "delete") == 0)
		return ops->session_delete(h, s, res);
	if (strcmp(op, "qr") == 0)
		return ops->qr(h, s, res);
	if (strcmp(op, "pairing") == 0 && argc == 7)
		return ops->pairing_code(h, s, argv[6], res);
	if (strcmp(op, "send") == 0 && argc == 8)
		return ops->send_text(h, s, argv[6], argv[7], res);
	if (strcmp(op, "exists") == 0 && argc == 7)
		return ops->number_check(h, s, argv[6], res);
	usage();
	return -1;
}

int
main(int argc, char *argv[])
{
	struct gw_host		 h;
	struct gw_result	 res;
	const char		*t;
	enum gw_driver		 d;
	int			 rc;

	if (argc < 6 || (d = gw_driver_find(argv[1])) == GW__MAX)
		usage();
	memset(&h, 0, sizeof(h));
	memset(&res, 0, sizeof(res));
	h.base_url = argv[2];
	h.api_key = argv[3];
	h.webhook_url = getenv("GWCALL_HOOK_URL") ? getenv("GWCALL_HOOK_URL") : "";
	h.webhook_secret = getenv("GWCALL_HOOK_SECRET") ?
	    getenv("GWCALL_HOOK_SECRET") : "";
	h.timeout_ms = (t = getenv("GWCALL_TIMEOUT_MS")) ? atol(t) : 3000;
	rc = run(gw_drivers[d], &h, argc, argv, &res);
	printf("rc=%d http=%ld transient=%d retry_after=%ld status=%s "
	    "phone=%s value=%s exists=%d\nerr=%s\n", rc, res.http_status,
	    res.transient, res.retry_after, inst_status_names[res.status],
	    res.phone, res.value ? res.value : "", res.exists, res.errmsg);
	gw_result_free(&res);
	return rc == 0 ? 0 : 1;
}
