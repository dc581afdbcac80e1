/* 0070-gw: the driver table, WAHA's states, chat ids and send split, the retry policy, and a call to a closed port. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "gw/gw.h"
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

static const struct {
	long		 status;
	int		 transient;
	const char	*errmsg;
} statuses[] = {
	{ 400, 0, "the gateway refused the request: HTTP 400" },
	{ 401, 0, "the gateway refused the host's API key: HTTP 401" },
	{ 403, 0, "the gateway refused the host's API key: HTTP 403" },
	{ 404, 0, "not found on the gateway: HTTP 404" },
	{ 408, 1, "the gateway timed out: HTTP 408" },
	{ 422, 0, "the gateway refused the request: HTTP 422" },
	{ 425, 1, "the gateway asked to try later: HTTP 425" },
	{ 429, 1, "the gateway asked to slow down: HTTP 429" },
	{ 500, 1, "gateway error: HTTP 500" },
	{ 503, 1, "gateway error: HTTP 503" },
	{ 302, 0, "unexpected answer from the gateway: HTTP 302" },
	{ 600, 0, "unexpected answer from the gateway: HTTP 600" },
};

/* Retry-After values against a fixed "now": 2015-10-21 07:27:30 UTC. */
#define RA_NOW	1445412450LL

static const struct {
	const char	*value;
	long		 want;
} retry_afters[] = {
	{ "2", 2 },
	{ " 120\r\n", 120 },
	{ "0", 0 },
	{ "86400", 86400 },
	{ "86401", 86400 },
	{ "99999999999999999999999", 86400 },
	{ "-5", 0 },
	{ "5x", 0 },
	{ "", 0 },
	{ "soon", 0 },
	{ "Wed, 21 Oct 2015 07:28:00 GMT", 30 },
	{ "Wed, 21 Oct 2015 07:28:00 GMT\r\n", 30 },
	{ "Wed, 21 Oct 2015 07:00:00 GMT", 0 },
	{ "Thu, 22 Oct 2015 07:27:30 GMT", 86400 },
	{ "Fri, 23 Oct 2015 07:27:30 GMT", 86400 },
	{ "Wed, 21 Oct 2015 07:28:00 PST", 0 },
};

static const struct {
	int		 attempts;
	long long	 base, max;
	double		 r;
	long		 retry_after;
	long long	 want;
} backoffs[] = {
	{ 1, 5000, 900000, 0.0, 0, 2500 },
	{ 1, 5000, 900000, 1.0, 0, 5000 },
	{ 1, 5000, 900000, 0.5, 0, 3750 },
	{ 2, 5000, 900000, 0.0, 0, 5000 },
	{ 2, 5000, 900000, 1.0, 0, 10000 },
	{ 3, 5000, 900000, 1.0, 0, 20000 },
	{ 8, 5000, 900000, 1.0, 0, 640000 },
	{ 9, 5000, 900000, 1.0, 0, 900000 },
	{ 9, 5000, 900000, 0.0, 0, 450000 },
	{ 100, 3600000, 86400000, 1.0, 0, 86400000 },
	{ 1, 500, 4000, 0.0, 2, 2000 },
	{ 3, 500, 4000, 1.0, 1, 2000 },
	{ 1, 500, 4000, -1.0, 0, 250 },
	{ 1, 500, 4000, 7.0, 0, 500 },
	{ 1, 8000, 4000, 1.0, 0, 4000 },
};

static const struct {
	int		 rc, transient, attempts, max;
	enum gw_verdict	 want;
	const char	*text;
} verdicts[] = {
	{ 0, 0, 1, 3, GW_OK, NULL },
	{ -1, 1, 1, 3, GW_RETRY, "gateway error: HTTP 500" },
	{ -1, 1, 2, 3, GW_RETRY, "gateway error: HTTP 500" },
	{ -1, 1, 3, 3, GW_FAIL, "gateway error: HTTP 500 (tried 3 times)" },
	{ -1, 1, 1, 1, GW_FAIL, "gateway error: HTTP 500 (tried once)" },
	{ -1, 0, 1, 3, GW_FAIL, "gateway error: HTTP 500" },
};

/* s for a test description: CR and LF shown as \r and \n. */
static const char *
shown(const char *s, char *buf, size_t len)
{
	size_t	 i = 0;

	for (; *s != '\0' && i + 3 < len; s++) {
		if (*s == '\r' || *s == '\n') {
			buf[i++] = '\\';
			buf[i++] = *s == '\r' ? 'r' : 'n';
		} else
			buf[i++] = *s;
	}
	buf[i] = '\0';
	return buf;
}

/* The status table, Retry-After, backoff and the verdicts. */
static void
test_retry(void)
{
	struct gw_result	 res;
	char			 text[300];
	size_t			 i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(&res, 0, sizeof(res));
		res.transient = !statuses[i].transient;
		gw_status_fail(statuses[i].status, &res);
		ok(res.transient == statuses[i].transient &&
		    res.http_status == statuses[i].status,
		    "HTTP %ld is %s", statuses[i].status,
		    statuses[i].transient ? "transient" : "permanent");
		is_str(res.errmsg, statuses[i].errmsg, "... in words");
	}
	for (i = 0; i < sizeof(retry_afters) / sizeof(retry_afters[0]); i++)
		is_int(gw_retry_after(retry_afters[i].value, RA_NOW),
		    retry_afters[i].want, "Retry-After \"%s\"",
		    shown(retry_afters[i].value, text, sizeof(text)));
	for (i = 0; i < sizeof(backoffs) / sizeof(backoffs[0]); i++)
		ok(gw_backoff_ms(backoffs[i].attempts, backoffs[i].base,
		    backoffs[i].max, backoffs[i].r, backoffs[i].retry_after) ==
		    backoffs[i].want, "backoff after attempt %d (base %lld, "
		    "max %lld, r %.1f, Retry-After %ld) is %lld ms",
		    backoffs[i].attempts, backoffs[i].base, backoffs[i].max,
		    backoffs[i].r, backoffs[i].retry_after, backoffs[i].want);
	is_int(gw_backoff_ms(1, 1000, 2000, NAN, 0), 500,
	    "a NaN random point counts as 0");
	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		memset(&res, 0, sizeof(res));
		res.transient = verdicts[i].transient;
		snprintf(res.errmsg, sizeof(res.errmsg), "gateway error: "
		    "HTTP 500");
		is_int(gw_verdict(verdicts[i].rc, &res, verdicts[i].attempts,
		    verdicts[i].max), verdicts[i].want, "verdict %zu", i);
		if (verdicts[i].text == NULL)
			continue;
		gw_fail_text(text, sizeof(text), &res, verdicts[i].want,
		    verdicts[i].attempts);
		is_str(text, verdicts[i].text, "... the reason says %s",
		    verdicts[i].text);
	}
	memset(&res, 0, sizeof(res));
	gw_fail_text(text, sizeof(text), &res, GW_FAIL, 1);
	is_str(text, "the gateway did not take the message",
	    "a failure without words still says something");
}

static const struct {
	long		 status;
	const char	*body;
	int		 rc, transient;
	const char	*value;
} answers[] = {
	{ 201, "{\"id\":\"true_6281@c.us_ABC\",\"ack\":1}", 0, 0,
	    "true_6281@c.us_ABC" },
	{ 200, "{\"id\":{\"fromMe\":true,\"_serialized\":\"true_x_1\"}}", 0,
	    0, "true_x_1" },
	{ 201, "{}", 0, 0, NULL },
	{ 201, "not json", 0, 0, NULL },
	{ 201, "", 0, 0, NULL },
	{ 201, "{\"id\":\"\"}", 0, 0, NULL },
	{ 201, "{\"id\":42}", 0, 0, NULL },
	{ 201, "{\"id\":\"\\u00ff\xff\"}", 0, 0, NULL },
	{ 400, "{\"message\":\"bad\"}", -1, 0, NULL },
	{ 401, "", -1, 0, NULL },
	{ 404, "", -1, 0, NULL },
	{ 422, "{\"message\":\"not WORKING\"}", -1, 1, NULL },
	{ 429, "", -1, 1, NULL },
	{ 500, "", -1, 1, NULL },
};

/* WAHA's sendText built and read apart, as the dispatcher uses it. */
static void
test_waha_send(void)
{
	const struct gw_ops	*w = gw_drivers[GW_WAHA];
	struct gw_host		 h = { "http://gw.example:3000", "s3cret", "",
				    "", 1000 };
	struct gw_result	 res;
	struct gw_req		 req;
	size_t			 i;

	memset(&res, 0, sizeof(res));
	is_int(w->send_prepare(&h, "wa_1", "+6281234567890", "Halo \"x\"",
	    &req, &res), 0, "send_prepare builds a request");
	is_str(req.method, "POST", "... a POST");
	is_str(req.url, "http://gw.example:3000/api/sendText", "... to sendText");
	is_str(req.body, "{\"session\":\"wa_1\",\"chatId\":"
	    "\"6281234567890@c.us\",\"text\":\"Halo \\\"x\\\"\"}",
	    "... with session, chatId and the text as JSON");
	ok(req.headers[0] != NULL && req.headers[1] != NULL &&
	    strcmp(req.headers[2], "X-Api-Key: s3cret") == 0 &&
	    req.headers[3] == NULL, "... and the key header");
	gw_req_free(&req);
	ok(req.url == NULL && req.body == NULL && req.headers[0] == NULL,
	    "gw_req_free empties it");
	is_int(w->send_prepare(&h, "wa_1", "081234", "x", &req, &res), -1,
	    "send_prepare refuses a non-E.164 number");
	ok(!res.transient && strstr(res.errmsg, "E.164") != NULL,
	    "... for good: %s", res.errmsg);
	gw_req_free(&req);
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		memset(&res, 0, sizeof(res));
		is_int(w->send_parse(answers[i].status, answers[i].body,
		    strlen(answers[i].body), &res), answers[i].rc,
		    "send_parse of HTTP %ld %s", answers[i].status,
		    answers[i].body);
		ok(res.transient == answers[i].transient, "... %s",
		    answers[i].transient ? "transient" : "not transient");
		is_str(res.value, answers[i].value, "... id");
		gw_result_free(&res);
	}
	memset(&req, 0, sizeof(req));
	for (i = 0; i < GW_REQ_MAX_HEADERS; i++)
		gw_req_header(&req, "X-N: %zu", i);
	is_int(gw_req_header(&req, "X-N: more"), -1,
	    "a request takes %d headers, no more", GW_REQ_MAX_HEADERS);
	gw_req_free(&req);
}

/* waha_ack reads "ack" of a WAMessage; anything else says nothing. */
static void
test_waha_ack(void)
{
	static const struct {
		const char	*body;
		int		 want;
	} acks[] = {
		{ "{\"id\":\"true_1@c.us_A\",\"ack\":3,\"ackName\":\"READ\"}",
		    GW_ACK_READ },
		{ "{\"ack\":2}", GW_ACK_DEVICE },
		{ "{\"ack\":4}", GW_ACK_PLAYED },
		{ "{\"ack\":-1}", GW_ACK_ERROR },
		{ "{\"ack\":1}", GW_ACK_SERVER },
		{ "{\"ack\":null,\"ackName\":\"UNKNOWN\"}", GW_ACK_NONE },
		{ "{\"ack\":\"3\"}", GW_ACK_NONE },
		{ "{\"ack\":7}", GW_ACK_NONE },
		{ "{\"ack\":-9223372036854775808}", GW_ACK_NONE },
		{ "{\"ack\":4294967299}", GW_ACK_NONE },
		{ "[{\"ack\":3}]", GW_ACK_NONE },
		{ "{}", GW_ACK_NONE },
		{ "", GW_ACK_NONE },
		{ "{\"ack\":3", GW_ACK_NONE },
	};
	struct gw_host		 h = { "http://127.0.0.1:1", "k", "", "", 2000 };
	struct gw_result	 res;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(acks) / sizeof(acks[0]); i++)
		is_int(waha_ack(acks[i].body, strlen(acks[i].body)),
		    acks[i].want, "ack of %s", acks[i].body);
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->message_ack(&h, "s1", "0812", "x", &res);
	ok(rc == -1 && strstr(res.errmsg, "E.164") != NULL,
	    "message_ack refuses a non-E.164 number before any call");
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->message_ack(&h, "s1", "+6281234567890",
	    "true_6281234567890@c.us_AB", &res);
	ok(rc == -1 && res.http_status == 0 && res.transient,
	    "message_ack on a closed port: a transient failure, no status");
	gw_result_free(&res);
}

/* waha_exists reads check-exists answers; anything else is an error. */
static void
test_waha_exists(void)
{
	static const struct {
		const char	*body;
		int		 rc, exists;
		const char	*chat;
	} ans[] = {
		{ "{\"numberExists\":true,\"chatId\":\"6281234567890@c.us\"}",
		    0, 1, "6281234567890@c.us" },
		{ "{\"numberExists\":false,\"chatId\":null}", 0, 0, NULL },
		{ "{\"numberExists\":false}", 0, 0, NULL },
		{ "{\"numberExists\":true}", 0, 1, NULL },
		{ "{\"numberExists\":\"true\"}", -1, 0, NULL },
		{ "{\"numberExists\":1}", -1, 0, NULL },
		{ "[{\"numberExists\":true}]", -1, 0, NULL },
		{ "{}", -1, 0, NULL },
		{ "", -1, 0, NULL },
		{ "{\"numberExists\":tr", -1, 0, NULL },
	};
	struct gw_host		 h = { "http://127.0.0.1:1", "k", "", "", 2000 };
	struct gw_result	 res;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(ans) / sizeof(ans[0]); i++) {
		memset(&res, 0, sizeof(res));
		rc = waha_exists(ans[i].body, strlen(ans[i].body), &res);
		ok(rc == ans[i].rc && res.exists == ans[i].exists &&
		    (ans[i].chat == NULL ? res.value == NULL :
		    res.value != NULL && strcmp(res.value, ans[i].chat) == 0),
		    "check-exists answer %s", ans[i].body);
		gw_result_free(&res);
	}
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->number_check(&h, "s1", "0812", &res);
	ok(rc == -1 && strstr(res.errmsg, "E.164") != NULL,
	    "number_check refuses a non-E.164 number before any call");
	memset(&res, 0, sizeof(res));
	rc = gw_drivers[GW_WAHA]->number_check(&h, "s1", "+6281234567890",
	    &res);
	ok(rc == -1 && res.http_status == 0 && res.transient,
	    "number_check on a closed port: a transient failure");
	gw_result_free(&res);
}

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
	test_retry();
	test_waha_send();
	test_waha_ack();
	test_waha_exists();
	return done_testing();
}
