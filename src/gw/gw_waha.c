/* gw_waha.c: the WAHA driver: sessions, QR, pairing code, sendText built and read apart for the dispatcher, the message lookup of receipts reconciliation, and the number check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "gw.h"
#include "gw_http.h"

/* WAHA's session states, in the order of enum waha_state. */
static const struct {
	const char	*name;
	enum inst_status status;
} waha_states[] = {
	{ "STOPPED", INST_DISCONNECTED },
	{ "STARTING", INST_CONNECTING },
	{ "SCAN_QR_CODE", INST_QR_REQUIRED },
	{ "WORKING", INST_CONNECTED },
	{ "FAILED", INST_FAILED },
};

/* Our state for a WAHA state name; unknown names count as failed. */
enum inst_status
waha_status(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < sizeof(waha_states) /
	    sizeof(waha_states[0]); i++)
		if (strcmp(s, waha_states[i].name) == 0)
			return waha_states[i].status;
	return INST_FAILED;
}

/*
 * chatId for an E.164 number: "+6281…" → "6281…@c.us". Returns 0, or
 * -1 when to is not '+' and 8 to 15 digits.
 */
int
waha_chat_id(const char *to, char out[32])
{
	size_t	 n = strlen(to);

	if (n < 9 || n > 16 || to[0] != '+' || strspn(to + 1, "0123456789")
	    != n - 1)
		return -1;
	snprintf(out, 32, "%s@c.us", to + 1);
	return 0;
}

/* Run one call with the X-Api-Key header; returns gw_http's result. */
static int
waha_call(const struct gw_host *h, struct gw_call *call, struct gw_result *res)
{
	char	*auth;
	int	 rc;

	auth = xasprintf("X-Api-Key: %s", h->api_key);
	call->auth_header = auth;
	rc = gw_http(h, call, res);
	explicit_bzero(auth, strlen(auth));
	free(auth);
	return rc;
}

/* Read "status" and "me" {id, pushName} of a session object. */
static void
waha_read_session(struct json_object *o, struct gw_result *res)
{
	struct json_object	*st, *me, *v;
	const char		*id;

	if (json_object_object_get_ex(o, "status", &st))
		res->status = waha_status(json_object_get_string(st));
	if (!json_object_object_get_ex(o, "me", &me) ||
	    !json_object_is_type(me, json_type_object))
		return;
	if (json_object_object_get_ex(me, "id", &v) &&
	    (id = json_object_get_string(v)) != NULL)
		snprintf(res->phone, sizeof(res->phone), "+%.*s",
		    (int)strspn(id, "0123456789"), id);
	if (json_object_object_get_ex(me, "pushName", &v) &&
	    json_object_get_string(v) != NULL)
		snprintf(res->push_name, sizeof(res->push_name), "%s",
		    json_object_get_string(v));
}

/* A call whose answer, when JSON, describes the session. */
static int
waha_session_call(const struct gw_host *h, const char *method,
    const char *path, struct json_object *body, struct gw_result *res)
{
	struct gw_call		 call = { method, path, body, NULL, BUF_INIT };
	struct json_object	*o;
	int			 rc;

	if ((rc = waha_call(h, &call, res)) == 0 &&
	    (o = gw_http_json(&call)) != NULL) {
		waha_read_session(o, res);
		json_object_put(o);
	}
	gw_call_free(&call);
	return rc;
}

/*
 * How long WAHA keeps retrying an event the portal did not take (a
 * restart, a deploy, an outage): exponential from 2 s (2, 4, 8 s ...), 15
 * attempts, hours in all, so no delivery receipt is lost to a short
 * downtime (the gateway's default gives up after seconds). Events are idempotent
 * on our side (webhook_events), so a retry that did arrive is harmless.
 */
#define WAHA_HOOK_DELAY_S	2
#define WAHA_HOOK_ATTEMPTS	15

/* The webhook we ask WAHA to call, signed with the host's secret. */
static struct json_object *
waha_webhook(const struct gw_host *h)
{
	struct json_object	*hook = json_object_new_object();
	struct json_object	*events = json_object_new_array();
	struct json_object	*hmac = json_object_new_object();
	struct json_object	*retries = json_object_new_object();

	json_object_array_add(events, json_object_new_string("session.status"));
	json_object_array_add(events, json_object_new_string("message"));
	json_object_array_add(events, json_object_new_string("message.ack"));
	json_object_object_add(hmac, "key",
	    json_object_new_string(h->webhook_secret));
	json_object_object_add(hook, "url", json_object_new_string(h->webhook_url));
	json_object_object_add(hook, "events", events);
	json_object_object_add(hook, "hmac", hmac);
	json_object_object_add(retries, "policy",
	    json_object_new_string("exponential"));
	json_object_object_add(retries, "delaySeconds",
	    json_object_new_int(WAHA_HOOK_DELAY_S));
	json_object_object_add(retries, "attempts",
	    json_object_new_int(WAHA_HOOK_ATTEMPTS));
	json_object_object_add(hook, "retries", retries);
	return hook;
}

/*
 * config.noweb: the NOWEB engine keeps no messages unless its store is
 * on, and then the message lookup (receipts reconciliation) finds
 * nothing; WAHA asks for it at creation, never changed once scanned.
 * Other engines ignore it.
 */
static struct json_object *
waha_noweb(void)
{
	struct json_object	*noweb = json_object_new_object();
	struct json_object	*store = json_object_new_object();

	json_object_object_add(store, "enabled", json_object_new_boolean(1));
	json_object_object_add(store, "fullSync", json_object_new_boolean(0));
	json_object_object_add(noweb, "store", store);
	return noweb;
}

/* POST /api/sessions {name, start: true, config: {webhooks: [...], noweb}}. */
static int
waha_session_create(const struct gw_host *h, const char *session,
    struct gw_result *res)
{
	struct json_object	*body = json_object_new_object();
	struct json_object	*config = json_object_new_object();
	struct json_object	*hooks = json_object_new_array();
	int			 rc;

	json_object_array_add(hooks, waha_webhook(h));
	json_object_object_add(config, "webhooks", hooks);
	json_object_object_add(config, "noweb", waha_noweb());
	json_object_object_add(body, "name", json_object_new_string(session));
	json_object_object_add(body, "start", json_object_new_boolean(1));
	json_object_object_add(body, "config", config);
	rc = waha_session_call(h, "POST", "/api/sessions", body, res);
	json_object_put(body);
	return rc;
}

/* METHOD /api/sessions/{session}[/verb] answering the session. */
static int
waha_session_verb(const struct gw_host *h, const char *method,
    const char *session, const char *verb, struct gw_result *res)
{
	char	*path;
	int	 rc;

	path = xasprintf("/api/sessions/%s%s%s", session, verb ? "/" : "",
	    verb ? verb : "");
	rc = waha_session_call(h, method, path, NULL, res);
	free(path);
	return rc;
}

static int
waha_session_status(const struct gw_host *h, const char *s,
    struct gw_result *res)
{
	return waha_session_verb(h, "GET", s, NULL, res);
}

static int
waha_session_restart(const struct gw_host *h, const char *s,
    struct gw_result *res)
{
	return waha_session_verb(h, "POST", s, "restart", res);
}

static int
waha_session_logout(const struct gw_host *h, const char *s,
    struct gw_result *res)
{
	return waha_session_verb(h, "POST", s, "logout", res);
}

static int
waha_session_delete(const struct gw_host *h, const char *s,
    struct gw_result *res)
{
	return waha_session_verb(h, "DELETE", s, NULL, res);
}

/* A call answering {key: "..."}: the string lands in res->value. */
static int
waha_value_call(const struct gw_host *h, const char *method, const char *path,
    struct json_object *body, const char *key, struct gw_result *res)
{
	struct gw_call		 call = { method, path, body, NULL, BUF_INIT };
	struct json_object	*o, *v;
	int			 rc;

	if ((rc = waha_call(h, &call, res)) == 0) {
		o = gw_http_json(&call);
		if (o != NULL && json_object_object_get_ex(o, key, &v) &&
		    json_object_is_type(v, json_type_string))
			res->value = xstrdup(json_object_get_string(v));
		else {
			snprintf(res->errmsg, sizeof(res->errmsg), "gateway "
			    "answer without %s", key);
			rc = -1;
		}
		json_object_put(o);
	}
	gw_call_free(&call);
	return rc;
}

/* GET /api/{session}/auth/qr?format=raw → {"value": "..."}. */
static int
waha_qr(const struct gw_host *h, const char *session, struct gw_result *res)
{
	char	*path;
	int	 rc;

	path = xasprintf("/api/%s/auth/qr?format=raw", session);
	rc = waha_value_call(h, "GET", path, NULL, "value", res);
	free(path);
	return rc;
}

/* POST /api/{session}/auth/request-code {phoneNumber} → {"code"}. */
static int
waha_pairing_code(const struct gw_host *h, const char *session,
    const char *phone, struct gw_result *res)
{
	struct json_object	*body = json_object_new_object();
	char			*path;
	int			 rc;

	json_object_object_add(body, "phoneNumber",
	    json_object_new_string(phone[0] == '+' ? phone + 1 : phone));
	path = xasprintf("/api/%s/auth/request-code", session);
	rc = waha_value_call(h, "POST", path, body, "code", res);
	free(path);
	json_object_put(body);
	return rc;
}

/* POST /api/sendText {session, chatId, text}: the request for one send. */
static int
waha_send_prepare(const struct gw_host *h, const char *session,
    const char *to, const char *text, struct gw_req *req,
    struct gw_result *res)
{
	struct json_object	*body;
	char			 chat[32];

	memset(req, 0, sizeof(*req));
	if (waha_chat_id(to, chat) == -1) {
		snprintf(res->errmsg, sizeof(res->errmsg), "the recipient is "
		    "not an E.164 number");
		res->transient = 0;
		return -1;
	}
	body = json_object_new_object();
	json_object_object_add(body, "session", json_object_new_string(session));
	json_object_object_add(body, "chatId", json_object_new_string(chat));
	json_object_object_add(body, "text", json_object_new_string(text));
	req->method = "POST";
	req->url = xasprintf("%s/api/sendText", h->base_url);
	req->body = xstrdup(json_object_to_json_string_ext(body,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(body);
	gw_req_header(req, "Accept: application/json");
	gw_req_header(req, "Content-Type: application/json");
	gw_req_header(req, "X-Api-Key: %s", h->api_key);
	return 0;
}

/*
 * The message id of a WAMessage: "id" as a string, or the WEBJS
 * engine's {"_serialized": "..."}; NULL unless 1-256 bytes of UTF-8.
 */
static const char *
waha_message_id(struct json_object *o)
{
	struct json_object	*id, *v;
	const char		*s;
	size_t			 n;

	if (!json_object_object_get_ex(o, "id", &id))
		return NULL;
	if (json_object_is_type(id, json_type_object) &&
	    json_object_object_get_ex(id, "_serialized", &v))
		id = v;
	if (!json_object_is_type(id, json_type_string))
		return NULL;
	s = json_object_get_string(id);
	n = strlen(s);
	return n >= 1 && n <= 256 && utf8_valid(s, n) ? s : NULL;
}

/*
 * sendText's answer: 2xx is sent (the id, if any, in res->value). A
 * 422 says the session is not WORKING: our status is behind the
 * gateway's, so it is worth trying again; a 404 names no session.
 */
static int
waha_send_parse(long st, const char *body, size_t len, struct gw_result *res)
{
	struct json_tokener	*tok;
	struct json_object	*o;
	const char		*id;

	if (st < 200 || st > 299) {
		gw_status_fail(st, res);
		if (st == 422 || st == 404)
			snprintf(res->errmsg, sizeof(res->errmsg), "the "
			    "WhatsApp number is not %s the gateway: HTTP %ld",
			    st == 422 ? "connected on" : "known to", st);
		res->transient = res->transient || st == 422;
		return -1;
	}
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (o != NULL && (id = waha_message_id(o)) != NULL)
		res->value = xstrdup(id);
	json_object_put(o);
	return 0;
}

/* The blocking send: prepare, one call, parse. */
static int
waha_send_text(const struct gw_host *h, const char *session, const char *to,
    const char *text, struct gw_result *res)
{
	struct gw_req	 req;
	int		 rc;

	if (waha_send_prepare(h, session, to, text, &req, res) == -1)
		return -1;
	rc = gw_http_exchange(&req, h->timeout_ms, waha_send_parse, res);
	gw_req_free(&req);
	return rc;
}

/* s percent-encoded but for RFC 3986's unreserved characters ("@" is %40). */
static void
waha_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("-._~", *s) != NULL || (*s >= '0' && *s <= '9') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			buf_append(b, s, 1);
		else
			buf_printf(b, "%%%02X", (unsigned char)*s);
}

/*
 * The ack of a WAMessage (len bytes of JSON): its integer "ack", or
 * GW_ACK_NONE when it has none (null, as NOWEB gives for some), is no
 * WAMessage or holds a number WAHA does not define.
 */
int
waha_ack(const char *body, size_t len)
{
	struct json_tokener	*tok = json_tokener_new();
	struct json_object	*o, *v;
	int			 ack = GW_ACK_NONE;

	o = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "ack", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= GW_ACK_ERROR &&
	    json_object_get_int64(v) <= GW_ACK_PLAYED)
		ack = (int)json_object_get_int64(v);
	json_object_put(o);
	return ack;
}

/*
 * GET /api/{session}/chats/{chatId}/messages/{messageId}?downloadMedia=false:
 * WAHA's "get message by id" (added in 2024.10.9, waha issue #159;
 * waha-docs content/docs/how-to/chats/index.md), a WAMessage with
 * "ack" (-1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED; null
 * when the engine has none). "@" in both ids is sent as %40 (the docs'
 * advice). An unknown message is 404 {"statusCode":404,"message":
 * "Message not found","error":"Not Found"} (waha issue #782), so is an
 * unknown session; one not WORKING is 422. downloadMedia=false: no
 * media download for a status read. NOWEB finds messages only with its
 * store on (waha_noweb).
 */
static int
waha_message_ack(const struct gw_host *h, const char *session, const char *to,
    const char *id, struct gw_result *res)
{
	struct gw_call	 call = { "GET", NULL, NULL, NULL, BUF_INIT };
	struct buf	 path = BUF_INIT;
	char		 chat[32];
	int		 rc;

	if (waha_chat_id(to, chat) == -1) {
		snprintf(res->errmsg, sizeof(res->errmsg), "the recipient is "
		    "not an E.164 number");
		return -1;
	}
	buf_printf(&path, "/api/");
	waha_escape(&path, session);
	buf_printf(&path, "/chats/");
	waha_escape(&path, chat);
	buf_printf(&path, "/messages/");
	waha_escape(&path, id);
	buf_printf(&path, "?downloadMedia=false");
	call.path = buf_str(&path);
	if ((rc = waha_call(h, &call, res)) == 0)
		res->ack = waha_ack(buf_str(&call.response), call.response.len);
	gw_call_free(&call);
	buf_free(&path);
	return rc;
}

/*
 * A check-exists answer (len bytes of JSON) into res: {"numberExists":
 * true, "chatId": "628...@c.us"} gives exists 1 and the chat id in
 * value; false (chatId null) gives 0. -1 with errmsg for anything else.
 */
int
waha_exists(const char *body, size_t len, struct gw_result *res)
{
	struct json_tokener	*tok = json_tokener_new();
	struct json_object	*o, *v, *c;
	int			 rc = -1;

	o = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "numberExists", &v) &&
	    json_object_is_type(v, json_type_boolean)) {
		res->exists = json_object_get_boolean(v) ? 1 : 0;
		if (res->exists && json_object_object_get_ex(o, "chatId", &c) &&
		    json_object_is_type(c, json_type_string))
			res->value = xstrdup(json_object_get_string(c));
		rc = 0;
	} else
		snprintf(res->errmsg, sizeof(res->errmsg), "gateway answer "
		    "without numberExists");
	json_object_put(o);
	return rc;
}

/*
 * GET /api/contacts/check-exists?phone=628...&session=...: whether the
 * number (digits, no "+") is on WhatsApp (WAHA's "Check phone number
 * exists", the broadcasts' pre-check). A session not WORKING is 422.
 */
static int
waha_number_check(const struct gw_host *h, const char *session,
    const char *to, struct gw_result *res)
{
	struct gw_call	 call = { "GET", NULL, NULL, NULL, BUF_INIT };
	struct buf	 path = BUF_INIT;
	char		 chat[32];
	int		 rc;

	if (waha_chat_id(to, chat) == -1) {
		snprintf(res->errmsg, sizeof(res->errmsg), "the recipient is "
		    "not an E.164 number");
		return -1;
	}
	buf_printf(&path, "/api/contacts/check-exists?phone=%s&session=",
	    to + 1);
	waha_escape(&path, session);
	call.path = buf_str(&path);
	if ((rc = waha_call(h, &call, res)) == 0)
		rc = waha_exists(buf_str(&call.response), call.response.len,
		    res);
	gw_call_free(&call);
	buf_free(&path);
	return rc;
}

/* GET /api/sessions?all=true: the host answers and says how many it runs. */
static int
waha_probe(const struct gw_host *h, struct gw_result *res)
{
	struct gw_call		 call = { "GET", "/api/sessions?all=true", NULL,
				    NULL, BUF_INIT };
	struct json_object	*o;
	int			 rc;

	if ((rc = waha_call(h, &call, res)) == 0) {
		o = gw_http_json(&call);
		if (json_object_is_type(o, json_type_array))
			res->count = (long)json_object_array_length(o);
		else {
			snprintf(res->errmsg, sizeof(res->errmsg), "gateway "
			    "answer is not a session list");
			rc = -1;
		}
		json_object_put(o);
	}
	gw_call_free(&call);
	return rc;
}

const struct gw_ops gw_waha = {
	.name = "waha",
	.session_create = waha_session_create,
	.session_status = waha_session_status,
	.session_restart = waha_session_restart,
	.session_logout = waha_session_logout,
	.session_delete = waha_session_delete,
	.qr = waha_qr,
	.pairing_code = waha_pairing_code,
	.send_text = waha_send_text,
	.probe = waha_probe,
	.send_prepare = waha_send_prepare,
	.send_parse = waha_send_parse,
	.message_ack = waha_message_ack,
	.number_check = waha_number_check,
};
