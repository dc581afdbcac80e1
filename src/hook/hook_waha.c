/* hook_waha.c: POST /hooks/waha/{host}: verify the HMAC over the raw body, apply each event once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/hmac.h"
#include "core/log.h"
#include "gw/gw.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "hook.h"

/* The columns of HOOK_HOST. */
enum { HH_ID, HH_SECRET, HH__MAX };

enum {
	HOOK_HOST,
	HOOK_EVENT_NEW,
	HOOK_SESSION,
	HOOK_SQL__MAX
};

static const struct stmt hook_sql[HOOK_SQL__MAX] = {
	/* The host a webhook names, with the secret to check it by. */
	[HOOK_HOST] = { "hook.host",
	    "SELECT id, webhook_secret FROM hosts WHERE name = $1 "
	    "AND driver = $2", 2, DB_RETRY,
	    DB_COLS(HH__MAX, [HH_ID] = "id", [HH_SECRET] = "webhook_secret") },
	/* One row when the event is new; none for a replay. */
	[HOOK_EVENT_NEW] = { "hook.event_new",
	    "INSERT INTO webhook_events (host_id, event_id, event) "
	    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1 AS new",
	    3, DB_ONCE, DB_COLS(1, "new") },
	/* A session's new status, and its number once linked. */
	[HOOK_SESSION] = { "hook.session_status",
	    "UPDATE instances SET status = $3, status_changed_at = wa_now(), "
	    "phone = CASE WHEN $4 <> '' THEN $4 ELSE phone END, "
	    "push_name = CASE WHEN $5 <> '' THEN $5 ELSE push_name END "
	    "WHERE host_id = $1 AND session = $2 AND (status <> $3 "
	    "OR ($4 <> '' AND phone <> $4))", 5, DB_ONCE, NULL },
};

/* A string member of o, or "" (never NULL). */
const char *
hook_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/*
 * The host the path names, if the signature over the raw body is its.
 * Returns the host id, 0 when unknown or unsigned (the same answer for
 * both), -1 when the database failed.
 */
static long long
hook_host(struct req *r)
{
	const char	*params[2] = { r->args[0], "waha" };
	const char	*sig = req_header(r, "X-Webhook-Hmac");
	PGresult	*res;
	long long	 id = 0;

	if ((res = db_exec(&r->app->db, &hook_sql[HOOK_HOST], params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && sig != NULL &&
	    hmac_sha512_verify(db_get(res, 0, HH_SECRET), r->body, r->bodysz,
	    sig))
		id = db_getll(res, 0, HH_ID);
	PQclear(res);
	return id;
}

/*
 * The E.164 number of a JID "<8-15 digits>@c.us" (or @s.whatsapp.net)
 * into phone, else "". A @lid, a group or anything else has none.
 */
void
hook_phone(const char *jid, char phone[17])
{
	size_t	 n = strspn(jid, "0123456789");

	phone[0] = '\0';
	if (n >= 8 && n <= 15 && jid[0] != '0' &&
	    (strcmp(jid + n, "@c.us") == 0 ||
	    strcmp(jid + n, "@s.whatsapp.net") == 0))
		snprintf(phone, 17, "+%.*s", (int)n, jid);
}

/* The event's payload object, or NULL. */
struct json_object *
hook_payload(struct json_object *ev)
{
	struct json_object	*p;

	if (!json_object_object_get_ex(ev, "payload", &p) ||
	    !json_object_is_type(p, json_type_object))
		return NULL;
	return p;
}

/* session.status: the instance on this host moves to the new state. */
static int
hook_session_status(struct req *r, const char *host, struct json_object *ev)
{
	struct json_object	*me = NULL;
	const char		*params[5];
	char			 phone[17];
	enum inst_status	 st;

	json_object_object_get_ex(ev, "me", &me);
	st = waha_status(hook_str(hook_payload(ev), "status"));
	hook_phone(hook_str(me, "id"), phone);
	params[0] = host;
	params[1] = hook_str(ev, "session");
	params[2] = inst_status_names[st];
	params[3] = phone;
	params[4] = hook_str(me, "pushName");
	return db_exec_cmd(&r->app->db, &hook_sql[HOOK_SESSION], params);
}

/* The events acted on; anything else is acknowledged and ignored. */
enum hook_event {
	HOOK_SESSION_STATUS,
	HOOK_MESSAGE,
	HOOK_MESSAGE_ACK,
	HOOK__MAX
};

static const struct hook_handler {
	const char	*name;
	/* before anything is stored: 0, or -1 for a malformed payload */
	int		(*check)(struct json_object *);
	/* inside the event's transaction: 0, or -1 on a database error */
	int		(*apply)(struct req *, const char *,
			    struct json_object *);
} hook_handlers[HOOK__MAX] = {
	[HOOK_SESSION_STATUS] = { "session.status", NULL, hook_session_status },
	[HOOK_MESSAGE] = { "message", hook_message_check, hook_message },
	[HOOK_MESSAGE_ACK] = { "message.ack", hook_ack_check,
	    hook_message_ack },
};

/* The handler of the event ev names, or NULL when it is one we ignore. */
static const struct hook_handler *
hook_handler(struct json_object *ev)
{
	const char	*event = hook_str(ev, "event");
	size_t		 i;

	for (i = 0; i < HOOK__MAX; i++)
		if (strcmp(event, hook_handlers[i].name) == 0)
			return &hook_handlers[i];
	return NULL;
}

/*
 * Record the event id and apply the event in one transaction, so a
 * failure leaves it to the gateway's retry. Returns 1 applied, 0 a
 * replay (nothing done), -1 on a database error.
 */
static int
hook_apply(struct req *r, long long host, struct json_object *ev,
    const struct hook_handler *h)
{
	struct db	*db = &r->app->db;
	char		 hid[24];
	const char	*event = hook_str(ev, "event");
	const char	*params[3] = { hid, hook_str(ev, "id"), event };
	PGresult	*res;
	int		 fresh, rc = 0;

	snprintf(hid, sizeof(hid), "%lld", host);
	if (db_begin(db) == -1)
		return -1;
	if ((res = db_exec(db, &hook_sql[HOOK_EVENT_NEW], params)) == NULL)
		goto fail;
	fresh = PQntuples(res) == 1;
	PQclear(res);
	if (fresh && h != NULL)
		rc = h->apply(r, hid, ev);
	if (rc == -1)
		goto fail;
	if (db_commit(db) == -1) {
		log_warnx("request %s: webhook: %s", r->id, db->errmsg);
		return -1;
	}
	return fresh;
fail:
	log_warnx("request %s: webhook: %s", r->id, db->errmsg);
	db_rollback(db);
	return -1;
}

/* {"status": word} with 200. */
static int
hook_answer(struct req *r, const char *word)
{
	struct json_object	*o = json_object_new_object();
	int			 rc;

	json_object_object_add(o, "status", json_object_new_string(word));
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/*
 * POST /hooks/waha/{host}. Nothing is parsed before the signature is
 * checked in constant time over the raw body: unknown host or bad
 * signature is a 401 that stores nothing. Each event id is applied
 * once; a replay is a 200 that changes nothing; unknown events are
 * acknowledged and ignored.
 */
static int
hook_waha(struct req *r)
{
	struct parse_limits	 lim = parse_limits_default;
	const struct hook_handler *h;
	char			 err[128];
	long long		 host;
	int			 status = 400, rc;

	if ((host = hook_host(r)) == -1)
		return 503;
	if (host == 0)
		return 401;
	lim.max_total = r->bodysz;
	if (jsonbody_parse(&r->json, r->body, r->bodysz, &lim, &status, err,
	    sizeof(err)) == -1)
		return status;
	if (!json_object_is_type(r->json, json_type_object) ||
	    *hook_str(r->json, "id") == '\0' ||
	    strlen(hook_str(r->json, "id")) > 200 ||
	    strlen(hook_str(r->json, "event")) > 64)
		return 400;
	h = hook_handler(r->json);
	if (h != NULL && h->check != NULL && h->check(r->json) == -1)
		return 400;
	if ((rc = hook_apply(r, host, r->json, h)) == -1)
		return 503;
	return hook_answer(r, rc == 1 ? "ok" : "duplicate");
}

/* No session, no CSRF: the handler checks the HMAC over the raw body
 * before anything is parsed. */
static const struct route hook_routes[] = {
	{ .method = METHOD_POST, .pattern = "/hooks/waha/{slug}",
	    .handler = hook_waha, .name = "hook_waha", .kind = KIND_API,
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
};

const struct module hook_module = {
	.name = "hook",
	MODULE_ROUTES(hook_routes),
	MODULE_SQL(hook_sql),
};
