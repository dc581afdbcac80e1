/* gwsim_chat.c: the simulated WAHA messaging endpoints: sendText with its acks, groups, check-exists, inbound messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "core/xmalloc.h"
#include "gwsim.h"

/* Fill dst (len bytes) with len - 1 random upper-case hex digits and a NUL. */
void
gwsim_rand_hex(char *dst, size_t len)
{
	unsigned char	 b[64];
	size_t		 i, n;

	if (len == 0)
		return;
	n = len - 1 > sizeof(b) * 2 ? sizeof(b) * 2 : len - 1;
	if (RAND_bytes(b, (int)sizeof(b)) != 1)
		for (i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)rand();
	for (i = 0; i < n; i++)
		dst[i] = "0123456789ABCDEF"[(b[i / 2] >> (i % 2 ? 0 : 4)) & 15];
	dst[n] = '\0';
}

/* The named session when it is WORKING; else NULL with a 404 or 422 reply set. */
struct gwsim_sess *
gwsim_need_working(struct gwsim_req *r, const char *name)
{
	struct gwsim_sess	*s;
	char			 msg[160];

	if ((s = gwsim_sess_find(r->sim, name)) == NULL) {
		snprintf(msg, sizeof(msg), "Session \"%.64s\" does not exist",
		    name == NULL ? "" : name);
		gwsim_error(r, 404, msg);
		return NULL;
	}
	if (s->status == GWSIM_WORKING)
		return s;
	snprintf(msg, sizeof(msg), "Session status is not as expected: %s, "
	    "expected WORKING", gwsim_status_name(s->status));
	gwsim_error(r, 422, msg);
	return NULL;
}

/* A WAMessage-like object; caller puts. */
static json_object *
chat_message(const char *id, const char *from, const char *to, int fromme,
    const char *text)
{
	json_object	*m = json_object_new_object();

	json_object_object_add(m, "id", json_object_new_string(id));
	json_object_object_add(m, "timestamp",
	    json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(m, "from", json_object_new_string(from));
	json_object_object_add(m, "fromMe", json_object_new_boolean(fromme));
	json_object_object_add(m, "to", json_object_new_string(to));
	json_object_object_add(m, "participant", NULL);
	json_object_object_add(m, "body", json_object_new_string(text));
	json_object_object_add(m, "hasMedia", json_object_new_boolean(0));
	json_object_object_add(m, "media", NULL);
	json_object_object_add(m, "ack", json_object_new_int(1));
	json_object_object_add(m, "ackName", json_object_new_string("SERVER"));
	return m;
}

static void
chat_ack(struct gwsim *sim, struct gwsim_sess *s, const char *id,
    const char *chat, int ack, int delay_ms)
{
	json_object	*p = json_object_new_object();

	json_object_object_add(p, "id", json_object_new_string(id));
	json_object_object_add(p, "from", json_object_new_string(chat));
	json_object_object_add(p, "to", json_object_new_string(s->me_id));
	json_object_object_add(p, "participant", NULL);
	json_object_object_add(p, "fromMe", json_object_new_boolean(1));
	json_object_object_add(p, "ack", json_object_new_int(ack));
	json_object_object_add(p, "ackName",
	    json_object_new_string(ack == 2 ? "DEVICE" : "READ"));
	gwsim_hook_emit(sim, s, "message.ack", p, delay_ms);
}

/*
 * The successful sendText, under the lock: 201 with the message, acks
 * queued (no READ for an "unread" fault), the message recorded for
 * lookups with the same acks at the same times.
 */
static void
chat_send_ok(struct gwsim_req *r, const char *sess, const char *chat,
    const char *text)
{
	struct gwsim_sess	*s;
	json_object		*m;
	char			 hex[21], *id;
	int			 d = r->sim->ack_delay_ms, unread;

	if ((s = gwsim_need_working(r, sess)) == NULL)
		return;
	gwsim_rand_hex(hex, sizeof(hex));
	id = xasprintf("true_%s_%s", chat, hex);
	m = chat_message(id, s->me_id, chat, 1, text);
	gwsim_hook_emit(r->sim, s, "message.any", json_object_get(m), 0);
	unread = d >= 0 && r->sim->faults.unread > 0;
	if (unread)
		r->sim->faults.unread--;
	if (d >= 0)
		chat_ack(r->sim, s, id, chat, 2, d);
	if (d >= 0 && !unread)
		chat_ack(r->sim, s, id, chat, 3, 2 * d);
	gwsim_msg_add(r->sim, s, id, chat, text, d, d < 0 || unread ? -1 :
	    2 * d);
	free(id);
	gwsim_reply(r, 201, m);
}

/*
 * POST /api/sendText, run without the lock: a pending fault may first
 * delay, then fail (500, a 4xx, 429 with Retry-After) or hang and drop
 * the connection (timeout).
 */
void
gwsim_api_send_text(struct gwsim_req *r)
{
	const char	*sess = gwsim_jstr(r->json, "session");
	const char	*chat = gwsim_jstr(r->json, "chatId");
	const char	*text = gwsim_jstr(r->json, "text");
	int		 kind, retry, delay, status;

	if (sess == NULL || chat == NULL || text == NULL) {
		gwsim_error(r, 400, "session, chatId and text are required");
		return;
	}
	pthread_mutex_lock(&r->sim->lock);
	kind = gwsim_fault_take(r->sim, sess, &retry, &delay, &status);
	pthread_mutex_unlock(&r->sim->lock);
	if (kind == GWSIM_FAULT_TIMEOUT) {
		gwsim_sleep_ms(r->sim, delay > 0 ? delay : 60000);
		r->drop = 1;
		return;
	}
	if (delay > 0 && gwsim_sleep_ms(r->sim, delay) == -1) {
		r->drop = 1;
		return;
	}
	if (kind == GWSIM_FAULT_5XX)
		gwsim_error(r, 500, "Internal server error");
	else if (kind == GWSIM_FAULT_4XX)
		gwsim_error(r, status, "chatId: the number is not on WhatsApp");
	else if (kind == GWSIM_FAULT_429) {
		gwsim_error(r, 429, "Too Many Requests");
		r->retry_after = retry > 0 ? retry : 1;
	} else {
		pthread_mutex_lock(&r->sim->lock);
		chat_send_ok(r, sess, chat, text);
		pthread_mutex_unlock(&r->sim->lock);
	}
}

/* GET /api/{session}/groups: two fixed groups of a WORKING session. */
void
gwsim_api_groups(struct gwsim_req *r)
{
	json_object	*a, *g;
	char		 id[64], subject[32];
	int		 i;

	if (gwsim_need_working(r, r->arg) == NULL)
		return;
	a = json_object_new_array();
	for (i = 1; i <= 2; i++) {
		snprintf(id, sizeof(id), "12036300000000000%d@g.us", i);
		snprintf(subject, sizeof(subject), "Sim group %d", i);
		g = json_object_new_object();
		json_object_object_add(g, "id", json_object_new_string(id));
		json_object_object_add(g, "subject",
		    json_object_new_string(subject));
		json_object_array_add(a, g);
	}
	gwsim_reply(r, 200, a);
}

/* GET /api/contacts/check-exists?phone=&session=: 8-15 digits exist unless they end in 000; a pending lookup fault answers 500. */
void
gwsim_api_check_exists(struct gwsim_req *r)
{
	const char	*phone = gwsim_query(r, "phone");
	json_object	*o;
	size_t		 n;
	char		*chat;
	int		 exists;

	if (gwsim_lookup_fault(r) ||
	    gwsim_need_working(r, gwsim_query(r, "session")) == NULL)
		return;
	if (phone == NULL || (n = strlen(phone)) == 0 ||
	    strspn(phone, "0123456789") != n) {
		gwsim_error(r, 400, "phone: digits only");
		return;
	}
	exists = n >= 8 && n <= 15 && strcmp(phone + n - 3, "000") != 0;
	o = json_object_new_object();
	json_object_object_add(o, "numberExists",
	    json_object_new_boolean(exists));
	chat = xasprintf("%s@c.us", phone);
	json_object_object_add(o, "chatId",
	    exists ? json_object_new_string(chat) : NULL);
	free(chat);
	gwsim_reply(r, 200, o);
}

/*
 * A message from "from" to the session: message (delivered copies
 * times) and message.any events; the id goes to idbuf.
 */
void
gwsim_inbound(struct gwsim *sim, struct gwsim_sess *s, const char *from,
    const char *text, int copies, char *idbuf, size_t idlen)
{
	json_object	*m;
	char		 hex[21], *chat;

	chat = strchr(from, '@') != NULL ? xstrdup(from) :
	    xasprintf("%s@c.us", from);
	gwsim_rand_hex(hex, sizeof(hex));
	snprintf(idbuf, idlen, "false_%s_%s", chat, hex);
	m = chat_message(idbuf, chat, s->me_id, 0, text);
	json_object_object_add(m, "ack", json_object_new_int(2));
	json_object_object_add(m, "ackName", json_object_new_string("DEVICE"));
	gwsim_hook_emit_copies(sim, s, "message", json_object_get(m), 0,
	    copies);
	gwsim_hook_emit(sim, s, "message.any", m, 0);
	free(chat);
}
