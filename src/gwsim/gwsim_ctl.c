/* gwsim_ctl.c: the simulator's /_sim control API: scan, inbound, disconnect, faults, request log, webhook sink, reset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xmalloc.h"
#include "gwsim.h"

static const char *const ctl_fault_names[GWSIM_FAULT__MAX] = {
	[GWSIM_FAULT_OK] = "ok",
	[GWSIM_FAULT_5XX] = "5xx",
	[GWSIM_FAULT_429] = "429",
	[GWSIM_FAULT_TIMEOUT] = "timeout",
	[GWSIM_FAULT_4XX] = "4xx",
};

/* Append v to the capped array *a, dropping the oldest tenth when full. */
static void
ctl_capped_add(json_object *a, json_object *v, size_t max)
{
	if (json_object_array_length(a) >= max)
		json_object_array_del_idx(a, 0, max / 10);
	json_object_array_add(a, v);
}

static json_object *
ctl_str_or_null(const char *s)
{
	return s == NULL ? NULL : json_object_new_string(s);
}

/* Record an answered /api request in the log.  Called with the lock held. */
void
gwsim_log_add(struct gwsim_req *r)
{
	json_object	*e = json_object_new_object();
	const char	*sess = r->arg;

	if (sess == NULL)
		sess = gwsim_jstr(r->json, "session");
	if (sess == NULL)
		sess = gwsim_query(r, "session");
	if (sess == NULL)
		sess = gwsim_jstr(r->json, "name");
	json_object_object_add(e, "method", json_object_new_string(r->method));
	json_object_object_add(e, "path", json_object_new_string(r->path));
	json_object_object_add(e, "session", ctl_str_or_null(sess));
	json_object_object_add(e, "chatId",
	    ctl_str_or_null(gwsim_jstr(r->json, "chatId")));
	json_object_object_add(e, "text",
	    ctl_str_or_null(gwsim_jstr(r->json, "text")));
	json_object_object_add(e, "time", json_object_new_int64(gwsim_now_ms()));
	json_object_object_add(e, "status",
	    json_object_new_int(r->drop ? 0 : r->status));
	ctl_capped_add(r->sim->log, e, GWSIM_MAX_LOG);
	r->sim->nlogged++;
}

/* The session named in the path, or NULL with a 404 reply set. */
static struct gwsim_sess *
ctl_sess(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = gwsim_sess_find(r->sim, r->arg)) == NULL)
		gwsim_error(r, 404, "no such session");
	return s;
}

static void
ctl_reply_status(struct gwsim_req *r, struct gwsim_sess *s)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "status",
	    json_object_new_string(gwsim_status_name(s->status)));
	json_object_object_add(o, "me", gwsim_sess_me(s));
	gwsim_reply(r, 200, o);
}

/* POST /_sim/sessions/{s}/scan: the phone scans the QR; 422 unless SCAN_QR_CODE. */
void
gwsim_ctl_scan(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = ctl_sess(r)) == NULL)
		return;
	if (gwsim_sess_scan(r->sim, s) == -1) {
		gwsim_error(r, 422, "session is not in SCAN_QR_CODE");
		return;
	}
	ctl_reply_status(r, s);
}

/*
 * POST /_sim/sessions/{s}/inbound {from,text,deliveries}: a message
 * arrives; its message event is delivered 1 (the default) to 5 times.
 */
void
gwsim_ctl_inbound(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	const char		*from = gwsim_jstr(r->json, "from");
	const char		*text = gwsim_jstr(r->json, "text");
	char			 id[256];
	json_object		*o, *n;
	int			 copies = 1;

	if (from == NULL || *from == '\0' || strlen(from) > 128 ||
	    text == NULL) {
		gwsim_error(r, 400, "from and text are required");
		return;
	}
	if (r->json != NULL && json_object_object_get_ex(r->json,
	    "deliveries", &n)) {
		copies = json_object_is_type(n, json_type_int) ?
		    json_object_get_int(n) : 0;
		if (copies < 1 || copies > 5) {
			gwsim_error(r, 400, "deliveries is 1 to 5");
			return;
		}
	}
	if ((s = gwsim_need_working(r, r->arg)) == NULL)
		return;
	gwsim_inbound(r->sim, s, from, text, copies, id, sizeof(id));
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(id));
	gwsim_reply(r, 200, o);
}

/* POST /_sim/sessions/{s}/disconnect {status:"FAILED"|"STOPPED",logout}: the link drops. */
void
gwsim_ctl_disconnect(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	const char		*st = gwsim_jstr(r->json, "status");
	json_object		*lo;

	if ((s = ctl_sess(r)) == NULL)
		return;
	if (st != NULL && strcmp(st, "STOPPED") != 0 &&
	    strcmp(st, "FAILED") != 0) {
		gwsim_error(r, 400, "status: STOPPED or FAILED");
		return;
	}
	if (r->json != NULL && json_object_object_get_ex(r->json, "logout",
	    &lo) && json_object_get_boolean(lo)) {
		s->authed = 0;
		free(s->me_id);
		free(s->me_name);
		s->me_id = s->me_name = NULL;
	}
	gwsim_sess_set(r->sim, s, st != NULL && strcmp(st, "STOPPED") == 0 ?
	    GWSIM_STOPPED : GWSIM_FAILED);
	ctl_reply_status(r, s);
}

/* POST /_sim/sessions/{s}/rotate-qr: a new QR now, with its SCAN_QR_CODE event. */
void
gwsim_ctl_rotate(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	json_object		*o;

	if ((s = ctl_sess(r)) == NULL)
		return;
	if (s->status != GWSIM_SCAN_QR_CODE) {
		gwsim_error(r, 422, "session is not in SCAN_QR_CODE");
		return;
	}
	gwsim_sess_rotate(r->sim, s);
	o = json_object_new_object();
	json_object_object_add(o, "value", json_object_new_string(s->qr));
	gwsim_reply(r, 200, o);
}

/* The fault named s, or -1. */
static int
ctl_fault_kind(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < GWSIM_FAULT__MAX; i++)
		if (strcmp(s, ctl_fault_names[i]) == 0)
			return i;
	return -1;
}

static int
ctl_int(json_object *o, const char *key, int def)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return def;
	return json_object_get_int(v);
}

static json_object *
ctl_faults_json(const struct gwsim_faults *f)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "send",
	    json_object_new_string(ctl_fault_names[f->kind]));
	json_object_object_add(o, "count", json_object_new_int(f->count));
	json_object_object_add(o, "every", json_object_new_int(f->every));
	json_object_object_add(o, "retry_after",
	    json_object_new_int(f->retry_after));
	json_object_object_add(o, "delay_ms", json_object_new_int(f->delay_ms));
	json_object_object_add(o, "status", json_object_new_int(f->status));
	json_object_object_add(o, "session", json_object_new_string(f->session));
	json_object_object_add(o, "sink",
	    json_object_new_string(ctl_fault_names[f->sink_kind]));
	json_object_object_add(o, "sink_count",
	    json_object_new_int(f->sink_count));
	json_object_object_add(o, "lookup",
	    json_object_new_string(ctl_fault_names[f->lookup_kind]));
	json_object_object_add(o, "lookup_count",
	    json_object_new_int(f->lookup_count));
	json_object_object_add(o, "unread", json_object_new_int(f->unread));
	return o;
}

/* Arm the send fault of a /_sim/faults body (kind already checked). */
static void
ctl_send_fault(struct gwsim_faults *f, json_object *j, int kind)
{
	const char	*sess = gwsim_jstr(j, "session");

	f->kind = kind;
	f->count = ctl_int(j, "count", 1);
	f->every = ctl_int(j, "every", 0);
	f->seen = 0;
	f->retry_after = ctl_int(j, "retry_after", 1);
	f->delay_ms = ctl_int(j, "delay_ms", 0);
	if (f->delay_ms < 0 || f->delay_ms > 600000)
		f->delay_ms = 0;
	f->status = ctl_int(j, "status", 400);
	if (f->status < 400 || f->status > 499)
		f->status = 400;
	snprintf(f->session, sizeof(f->session), "%s", sess != NULL ? sess :
	    "");
}

/* 1 when kind (-1: unknown) is one the sink and lookups take: ok or 5xx. */
static int
ctl_ok_or_5xx(const char *name, int kind)
{
	return name == NULL || kind == GWSIM_FAULT_OK || kind == GWSIM_FAULT_5XX;
}

/* The lookup and unread faults of a /_sim/faults body (checked). */
static void
ctl_lookup_fault(struct gwsim_faults *f, json_object *j, int lkind,
    int unread)
{
	if (gwsim_jstr(j, "lookup") != NULL) {
		f->lookup_kind = lkind;
		f->lookup_count = ctl_int(j, "lookup_count", 1);
	}
	if (unread >= 0)
		f->unread = unread;
}

/*
 * POST /_sim/faults {"send":"5xx"|"429"|"timeout"|"4xx"|"ok","count":N,
 * "every":N (every Nth send of the session(s), until replaced),
 * "retry_after":S,"delay_ms":D,"status":4xx,"session":S,
 * "sink":"5xx"|"ok","sink_count":N, "create_hang_ms":D,
 * "lookup":"5xx"|"ok","lookup_count":N, "unread":N}.
 */
void
gwsim_ctl_faults(struct gwsim_req *r)
{
	struct gwsim_faults	*f = &r->sim->faults;
	const char		*send = gwsim_jstr(r->json, "send");
	const char		*sink = gwsim_jstr(r->json, "sink");
	const char		*lookup = gwsim_jstr(r->json, "lookup");
	int			 kind = ctl_fault_kind(send);
	int			 skind = ctl_fault_kind(sink);
	int			 lkind = ctl_fault_kind(lookup);
	int			 hang = ctl_int(r->json, "create_hang_ms", 0);
	int			 unread = ctl_int(r->json, "unread", -1);
	int			 every = ctl_int(r->json, "every", 0);

	if ((send != NULL && kind == -1) || !ctl_ok_or_5xx(sink, skind) ||
	    !ctl_ok_or_5xx(lookup, lkind) || hang < 0 || hang > 600000 ||
	    unread < -1 || unread > 1000000 || every < 0 || every > 1000000 ||
	    (send == NULL && sink == NULL &&
	    lookup == NULL && hang == 0 && unread == -1)) {
		gwsim_error(r, 400, "send: 5xx|429|timeout|4xx|ok; "
		    "every: 0..1000000; sink: 5xx|ok; lookup: 5xx|ok; create_hang_ms: 1..600000; "
		    "unread: 0..1000000");
		return;
	}
	ctl_lookup_fault(f, r->json, lkind, unread);
	if (hang > 0)
		f->create_hang_ms = hang;
	if (send != NULL)
		ctl_send_fault(f, r->json, kind);
	if (sink != NULL) {
		f->sink_kind = skind;
		f->sink_count = ctl_int(r->json, "sink_count", 1);
	}
	gwsim_reply(r, 200, ctl_faults_json(f));
}

/*
 * Take the pending send fault for a send of session sess, if any:
 * returns its kind and sets the Retry-After seconds, the delay and the
 * 4xx status.  Called with the lock held.
 */
int
gwsim_fault_take(struct gwsim *sim, const char *sess, int *retry_after,
    int *delay_ms, int *status)
{
	struct gwsim_faults	*f = &sim->faults;

	*retry_after = *delay_ms = *status = 0;
	if ((f->count <= 0 && f->every <= 0) || (f->session[0] != '\0' &&
	    strcmp(f->session, sess) != 0))
		return GWSIM_FAULT_OK;
	if (f->every > 0 && ++f->seen % f->every != 0)
		return GWSIM_FAULT_OK;
	if (f->every <= 0)
		f->count--;
	*retry_after = f->retry_after;
	*delay_ms = f->delay_ms;
	*status = f->status;
	return f->kind;
}

/* Sleep ms, waking early on shutdown: returns 0, or -1 when stopping. */
int
gwsim_sleep_ms(struct gwsim *sim, int ms)
{
	struct timespec	 ts;
	long long	 until = gwsim_now_ms() + ms;
	int		 rc = 0;

	ts.tv_sec = (time_t)(until / 1000);
	ts.tv_nsec = (long)(until % 1000) * 1000000;
	pthread_mutex_lock(&sim->lock);
	while (!sim->stopping && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&sim->stopcv, &sim->lock, &ts);
	rc = sim->stopping ? -1 : 0;
	pthread_mutex_unlock(&sim->lock);
	return rc;
}

/* GET /_sim/log: every /api request, oldest first (serialized under the lock). */
void
gwsim_ctl_log(struct gwsim_req *r)
{
	r->raw = xstrdup(json_object_to_json_string_ext(r->sim->log,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	r->status = 200;
}

/* POST /_sim/reset: forget sessions, sent messages, faults, the log, the sink and queued webhooks. */
void
gwsim_ctl_reset(struct gwsim_req *r)
{
	struct gwsim	*sim = r->sim;

	gwsim_sess_free_all(sim);
	gwsim_msgs_free(sim);
	gwsim_hook_clear(sim);
	memset(&sim->faults, 0, sizeof(sim->faults));
	json_object_put(sim->log);
	json_object_put(sim->sink);
	sim->log = json_object_new_array();
	sim->sink = json_object_new_array();
	sim->nlogged = 0;
	gwsim_reply(r, 200, NULL);
}

/* POST /_sim/webhook-sink: record the headers and raw body of a delivery. */
void
gwsim_ctl_sink_post(struct gwsim_req *r)
{
	struct gwsim_faults	*f = &r->sim->faults;
	json_object		*e = json_object_new_object();
	int			 status = 200;

	if (f->sink_count > 0 && f->sink_kind == GWSIM_FAULT_5XX) {
		f->sink_count--;
		status = 500;
	}
	json_object_object_add(e, "time", json_object_new_int64(gwsim_now_ms()));
	json_object_object_add(e, "status", json_object_new_int(status));
	json_object_object_add(e, "headers", gwsim_headers_json(r));
	json_object_object_add(e, "body",
	    json_object_new_string_len(r->body.data == NULL ? "" :
	    r->body.data, (int)r->body.len));
	ctl_capped_add(r->sim->sink, e, GWSIM_MAX_SINK);
	if (status == 500)
		gwsim_error(r, 500, "sink fault");
	else
		gwsim_reply(r, 200, NULL);
}

/* GET /_sim/webhook-sink: what the sink received, oldest first. */
void
gwsim_ctl_sink_get(struct gwsim_req *r)
{
	r->raw = xstrdup(json_object_to_json_string_ext(r->sim->sink,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	r->status = 200;
}
