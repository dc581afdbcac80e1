/* gwsim_msgs.c: the simulator's record of the messages it sent and their acks, answered by WAHA's GET /api/{session}/chats/{chatId}/messages/{messageId}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "gwsim.h"

/*
 * One sent message. Its ack moves with time exactly as its message.ack
 * webhooks say: SERVER (1) when sent, DEVICE (2) from device_ms, READ
 * (3) from read_ms; -1 for an ack that never comes.
 */
struct gwsim_msg {
	char		*id;
	char		*session;
	char		*chat;
	char		*from;
	char		*body;
	long long	 timestamp;	/* s, as sendText answered */
	long long	 device_ms;
	long long	 read_ms;
};

static void
msg_clear(struct gwsim_msg *m)
{
	free(m->id);
	free(m->session);
	free(m->chat);
	free(m->from);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

/*
 * Record a message session s sent: id to chat, ack DEVICE after
 * device_ms and READ after read_ms from now (-1: never). The oldest
 * record goes when GWSIM_MAX_MSGS are kept. Called with the lock held.
 */
void
gwsim_msg_add(struct gwsim *sim, const struct gwsim_sess *s, const char *id,
    const char *chat, const char *text, int device_ms, int read_ms)
{
	struct gwsim_msg	*m;
	long long		 now = gwsim_now_ms();

	if (sim->msgs == NULL)
		sim->msgs = xcalloc(GWSIM_MAX_MSGS, sizeof(*sim->msgs));
	m = &sim->msgs[sim->nmsgs++ % GWSIM_MAX_MSGS];
	msg_clear(m);
	m->id = xstrdup(id);
	m->session = xstrdup(s->name);
	m->chat = xstrdup(chat);
	m->from = xstrdup(s->me_id != NULL ? s->me_id : "");
	m->body = xstrdup(text);
	m->timestamp = now / 1000;
	m->device_ms = device_ms < 0 ? -1 : now + device_ms;
	m->read_ms = read_ms < 0 ? -1 : now + read_ms;
}

/* Forget every record (reset, exit). Called with the lock held. */
void
gwsim_msgs_free(struct gwsim *sim)
{
	size_t	 i;

	if (sim->msgs == NULL)
		return;
	for (i = 0; i < GWSIM_MAX_MSGS; i++)
		msg_clear(&sim->msgs[i]);
	free(sim->msgs);
	sim->msgs = NULL;
	sim->nmsgs = 0;
}

/* The record of id sent by session in chat ("all": any chat), newest first; or NULL. */
static const struct gwsim_msg *
msg_find(const struct gwsim *sim, const char *session, const char *chat,
    const char *id)
{
	const struct gwsim_msg	*m;
	long long		 i, n;

	n = sim->nmsgs < GWSIM_MAX_MSGS ? sim->nmsgs : GWSIM_MAX_MSGS;
	for (i = 1; sim->msgs != NULL && i <= n; i++) {
		m = &sim->msgs[(sim->nmsgs - i) % GWSIM_MAX_MSGS];
		if (strcmp(m->id, id) == 0 && strcmp(m->session, session) == 0 &&
		    (strcmp(chat, "all") == 0 || strcmp(m->chat, chat) == 0))
			return m;
	}
	return NULL;
}

/* The ack of m now: 1 SERVER, 2 DEVICE, 3 READ. */
static int
msg_ack(const struct gwsim_msg *m)
{
	long long	 now = gwsim_now_ms();

	if (m->read_ms >= 0 && now >= m->read_ms)
		return 3;
	if (m->device_ms >= 0 && now >= m->device_ms)
		return 2;
	return 1;
}

/* m as a WAMessage, as sendText answered it but with today's ack. */
static json_object *
msg_json(const struct gwsim_msg *m)
{
	static const char *const names[] = { "PENDING", "SERVER", "DEVICE",
	    "READ" };
	json_object	*o = json_object_new_object();
	int		 ack = msg_ack(m);

	json_object_object_add(o, "id", json_object_new_string(m->id));
	json_object_object_add(o, "timestamp",
	    json_object_new_int64(m->timestamp));
	json_object_object_add(o, "from", json_object_new_string(m->from));
	json_object_object_add(o, "fromMe", json_object_new_boolean(1));
	json_object_object_add(o, "to", json_object_new_string(m->chat));
	json_object_object_add(o, "participant", NULL);
	json_object_object_add(o, "body", json_object_new_string(m->body));
	json_object_object_add(o, "hasMedia", json_object_new_boolean(0));
	json_object_object_add(o, "media", NULL);
	json_object_object_add(o, "ack", json_object_new_int(ack));
	json_object_object_add(o, "ackName", json_object_new_string(names[ack]));
	json_object_object_add(o, "replyTo", NULL);
	return o;
}

/* WAHA's 404 for a message it does not know. */
static void
msg_not_found(struct gwsim_req *r)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "statusCode", json_object_new_int(404));
	json_object_object_add(o, "message",
	    json_object_new_string("Message not found"));
	json_object_object_add(o, "error", json_object_new_string("Not Found"));
	gwsim_reply(r, 404, o);
}

/* A pending lookup fault (message lookups, number checks): 1 when it answered r (a 500). */
int
gwsim_lookup_fault(struct gwsim_req *r)
{
	struct gwsim_faults	*f = &r->sim->faults;

	if (f->lookup_count <= 0 || f->lookup_kind != GWSIM_FAULT_5XX)
		return 0;
	f->lookup_count--;
	gwsim_error(r, 500, "Internal server error");
	return 1;
}

/*
 * GET /api/{session}/chats/{chatId}/messages/{messageId}[?downloadMedia=]:
 * one message the session sent, with its ack now; 404 for an id it
 * does not know. Needs WORKING. downloadMedia is accepted and ignored.
 */
void
gwsim_api_message_get(struct gwsim_req *r)
{
	const struct gwsim_msg	*m;

	if (gwsim_lookup_fault(r) || gwsim_need_working(r, r->arg) == NULL)
		return;
	if ((m = msg_find(r->sim, r->arg, r->arg2, r->arg3)) == NULL) {
		msg_not_found(r);
		return;
	}
	gwsim_reply(r, 200, msg_json(m));
}
