/* 0070-gw: the driver table, WAHA's state mapping and chat ids, and a call to a closed port. */
#include <string.h>

#include "gw.h"
#include "tap.h"

static const struct {
	const char	*waha;
	enum inst_status want;
} states[] = {
	{ "STOPPED", INST_DISCONNECTED },
	{ "STARTING", INST_CONNECTING },
	{ "SCAN_QR_CODE", INST_QR_REQUIRED },
	{ "WORKING", INST_CONNECTED },
	{ "FAILED", INST_FAILED },
	{ "working", INST_FAILED },
	{ "", INST_FAILED },
	{ NULL, INST_FAILED },
};

static const struct {
	const char	*to, *want;
} chats[] = {
	{ "+6281234567890", "6281234567890@c.us" },
	{ "+12025550123", "12025550123@c.us" },
	{ "6281234567890", NULL },
	{ "+62 812", NULL },
	{ "+1234567", NULL },
	{ "+1234567890123456", NULL },
	{ "+62812x4567890", NULL },
	{ "+6281234567890@g.us", NULL },
	{ "", NULL },
};

int
main(void)
{
	struct gw_host		 h = { "http://127.0.0.1:1", "k", "", "", 2000 };
	struct gw_result	 res;
	char			 chat[32];
	size_t			 i;
	int			 rc;

	is_int(gw_driver_find("waha"), GW_WAHA, "the waha driver is found");
	is_int(gw_driver_find("evolution"), GW__MAX, "unknown drivers are not");
	for (i = 0; i < INST__MAX; i++)
		ok(inst_status_names[i] != NULL, "status %zu has a name", i);
	is_str(inst_status_names[INST_QR_REQUIRED], "qr_required", "qr_required");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		is_int(waha_status(states[i].waha), states[i].want,
		    "WAHA %s", states[i].waha ? states[i].waha : "(null)");
	for (i = 0; i < sizeof(chats) / sizeof(chats[0]); i++) {
		rc = waha_chat_id(chats[i].to, chat);
		if (chats[i].want != NULL)
			ok(rc == 0 && strcmp(chat, chats[i].want) == 0,
			    "chat id of %s", chats[i].to);
		else
			is_int(rc, -1, "no chat id for \"%s\"", chats[i].to);
	}
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->session_status(&h, "s1", &res);
	is_int(rc, -1, "a closed port: the call fails");
	is_int(res.http_status, 0, "... with no HTTP status");
	ok(res.transient, "... as a transient failure");
	ok(strncmp(res.errmsg, "gateway unreachable", 19) == 0,
	    "... saying so: %s", res.errmsg);
	gw_result_free(&res);
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->send_text(&h, "s1", "0812", "hi", &res);
	ok(rc == -1 && strstr(res.errmsg, "E.164") != NULL,
	    "send_text refuses a non-E.164 number before any call");
	gw_result_free(&res);
	return done_testing();
}
