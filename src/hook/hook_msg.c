/* hook_msg.c: the message and message.ack webhook events: inbound messages stored, acks moving sent messages on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "web/module.h"
#include "web/req.h"
#include "hook.h"

/* The columns of HOOK_MSG_IN. */
enum { HM_ID, HM_KIND, HM_REPLY, HM__MAX };

enum {
	HOOK_MSG_IN,
	HOOK_MSG_ACK,
	HOOK_MSG__MAX
};

static const struct stmt hook_msg_sql[HOOK_MSG__MAX] = {
	/*
	 * An inbound message on the instance of host $1, session $2, once
	 * per gateway id $6 (a redelivery under a new event id stores
	 * nothing), at $7 (the gateway's unix time), with its keyword acted
	 * on (wa_message_in, docs/subscriptions.md): the stored id, the
	 * keyword's kind and the reply's id, NULL when none.
	 */
	[HOOK_MSG_IN] = { "hook.message_in",
	    "SELECT w.id, w.kind, w.reply FROM wa_message_in($1::bigint, "
	    "$2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint) w",
	    7, DB_ONCE, DB_COLS(HM__MAX, [HM_ID] = "id", [HM_KIND] = "kind",
	    [HM_REPLY] = "reply") },
	/*
	 * Ack $4 ('delivered', 'read', 'failed') of message $3 sent by host
	 * $1, session $2, at $5 (the event's time in ms, checked as above);
	 * a row per instance, whether the status moved.
	 */
	[HOOK_MSG_ACK] = { "hook.message_ack",
	    "SELECT wa_message_ack(i.id, $3::text, $4::text, "
	    "CASE WHEN $5::bigint BETWEEN 1230768000000 "
	    "AND (extract(epoch FROM wa_now()) * 1000)::bigint + 86400000 "
	    "THEN least(to_timestamp($5::bigint / 1000.0), wa_now()) "
	    "ELSE wa_now() END) AS acked FROM instances i "
	    "WHERE i.host_id = $1::bigint AND i.session = $2::text", 5,
	    DB_ONCE, DB_COLS(1, "acked") },
};

/* The statements for the check (fcgi/modules.c). */
const struct module hook_msg_module = {
	.name = "hook_msg",
	MODULE_SQL(hook_msg_sql),
};

#define HOOK_PEER_MAX	128	/* bytes of a sender's JID (messages.peer) */
#define HOOK_ID_MAX	256	/* bytes of a gateway message id */
#define HOOK_BODY_MAX	65536	/* characters of a message (WhatsApp's limit) */

/*
 * A string member of o of 1..max bytes of valid UTF-8, or NULL (absent,
 * not a string, empty, too long or invalid).
 */
static const char *
hook_text(struct json_object *o, const char *key, size_t max)
{
	struct json_object	*v;
	size_t			 n;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	n = (size_t)json_object_get_string_len(v);
	if (n == 0 || n > max || !utf8_valid(json_object_get_string(v), n))
		return NULL;
	return json_object_get_string(v);
}

/* 1 when boolean member key of o is true. */
static int
hook_true(struct json_object *o, const char *key)
{
	struct json_object	*v;

	return o != NULL && json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v);
}

/* Integer member key of o as text in out, or NULL when not an integer. */
static const char *
hook_int(struct json_object *o, const char *key, char out[24])
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return NULL;
	snprintf(out, 24, "%lld", (long long)json_object_get_int64(v));
	return out;
}

/* 1 for a message we store: not our own, not a status story. */
static int
hook_message_wanted(struct json_object *p)
{
	return !hook_true(p, "fromMe") &&
	    strcmp(hook_str(p, "from"), "status@broadcast") != 0;
}

/*
 * message: can it be stored? 0 yes (or it is ignored anyway), -1 when
 * malformed: no id, a sender that is empty, over 128 bytes or not
 * UTF-8, a body that is not UTF-8.
 */
int
hook_message_check(struct json_object *ev)
{
	struct json_object	*p = hook_payload(ev), *body;

	if (p == NULL)
		return -1;
	if (!hook_message_wanted(p))
		return 0;
	if (hook_text(p, "id", HOOK_ID_MAX) == NULL ||
	    hook_text(p, "from", HOOK_PEER_MAX) == NULL)
		return -1;
	if (json_object_object_get_ex(p, "body", &body) &&
	    json_object_is_type(body, json_type_string) &&
	    !utf8_valid(json_object_get_string(body),
	    (size_t)json_object_get_string_len(body)))
		return -1;
	return 0;
}

/* The byte length of the first max characters of s (n bytes of valid UTF-8). */
static size_t
hook_cut(const char *s, size_t n, size_t max)
{
	size_t	 i, chars = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
	return i;
}

/*
 * message: an inbound message, stored once per gateway id on the
 * session's instance. An unknown session stores nothing.
 */
int
hook_message(struct req *r, const char *host, struct json_object *ev)
{
	struct json_object	*p = hook_payload(ev), *v;
	const char		*params[7];
	const char		*body = "";
	char			 phone[17], ts[24], *cut;
	int			 rc;

	if (!hook_message_wanted(p))
		return 0;
	if (json_object_object_get_ex(p, "body", &v) &&
	    json_object_is_type(v, json_type_string))
		body = json_object_get_string(v);
	cut = xstrndup(body, hook_cut(body, strlen(body), HOOK_BODY_MAX));
	hook_phone(hook_str(p, "from"), phone);
	params[0] = host;
	params[1] = hook_str(ev, "session");
	params[2] = hook_str(p, "from");
	params[3] = phone;
	params[4] = cut;
	params[5] = hook_str(p, "id");
	params[6] = hook_int(p, "timestamp", ts);
	rc = db_exec_cmd(&r->app->db, &hook_msg_sql[HOOK_MSG_IN], params);
	free(cut);
	return rc;
}

/* The message status a WAHA ack stands for, or NULL for one we ignore. */
static const char *
hook_ack_status(struct json_object *p)
{
	struct json_object	*v;

	/* An ack of a message someone else sent says nothing about ours. */
	if (json_object_object_get_ex(p, "fromMe", &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v))
		return NULL;
	if (!json_object_object_get_ex(p, "ack", &v) ||
	    !json_object_is_type(v, json_type_int))
		return NULL;
	switch (json_object_get_int(v)) {
	case -1:
		return "failed";
	case 2:
		return "delivered";
	case 3:
	case 4:
		return "read";
	default:
		return NULL;	/* 0 PENDING, 1 SERVER: sent already says it */
	}
}

/* message.ack: one we act on needs a message id; -1 when it has none. */
int
hook_ack_check(struct json_object *ev)
{
	struct json_object	*p = hook_payload(ev);

	if (p == NULL)
		return -1;
	if (hook_ack_status(p) == NULL)
		return 0;
	return hook_text(p, "id", HOOK_ID_MAX) == NULL ? -1 : 0;
}

/*
 * message.ack: the message the session sent moves forward (or is
 * remembered for when its send is recorded); at the event's time.
 */
int
hook_message_ack(struct req *r, const char *host, struct json_object *ev)
{
	struct json_object	*p = hook_payload(ev);
	const char		*params[5];
	char			 ts[24];

	if ((params[3] = hook_ack_status(p)) == NULL)
		return 0;
	params[0] = host;
	params[1] = hook_str(ev, "session");
	params[2] = hook_str(p, "id");
	params[4] = hook_int(ev, "timestamp", ts);
	return db_exec_cmd(&r->app->db, &hook_msg_sql[HOOK_MSG_ACK], params);
}
