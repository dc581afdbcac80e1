/* gwsim_session.c: the simulated WAHA session state machine: states, QR rotation, scan, log-out, webhooks of status changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "gwsim.h"

static const char *const sess_status_names[GWSIM_STATUS__MAX] = {
	[GWSIM_STOPPED] = "STOPPED",
	[GWSIM_STARTING] = "STARTING",
	[GWSIM_SCAN_QR_CODE] = "SCAN_QR_CODE",
	[GWSIM_WORKING] = "WORKING",
	[GWSIM_FAILED] = "FAILED",
};

const char *
gwsim_status_name(enum gwsim_status st)
{
	return sess_status_names[st];
}

struct gwsim_sess *
gwsim_sess_find(struct gwsim *sim, const char *name)
{
	struct gwsim_sess	*s;

	for (s = sim->sessions; s != NULL; s = s->next)
		if (name != NULL && strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* The session's "me" as {id,pushName}, or NULL when not authenticated; caller puts. */
json_object *
gwsim_sess_me(const struct gwsim_sess *s)
{
	json_object	*o;

	if (!s->authed)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_string(s->me_id));
	json_object_object_add(o, "pushName",
	    json_object_new_string(s->me_name));
	return o;
}

/* The session as WAHA's GET /api/sessions/{session} shows it; caller puts. */
json_object *
gwsim_sess_json(const struct gwsim_sess *s)
{
	json_object	*o = json_object_new_object(), *cfg, *eng;

	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "status",
	    json_object_new_string(gwsim_status_name(s->status)));
	cfg = NULL;
	json_object_deep_copy(s->config, &cfg, NULL);
	json_object_object_add(o, "config", cfg);
	json_object_object_add(o, "me", gwsim_sess_me(s));
	eng = json_object_new_object();
	json_object_object_add(eng, "engine", json_object_new_string("NOWEB"));
	json_object_object_add(o, "engine", eng);
	return o;
}

static void
sess_new_qr(struct gwsim_sess *s)
{
	char	 hex[41];

	gwsim_rand_hex(hex, sizeof(hex));
	snprintf(s->qr, sizeof(s->qr), "2@%s,sim", hex);
	s->qr_count++;
	s->qr_since = gwsim_now_ms();
}

static void
sess_emit_status(struct gwsim *sim, struct gwsim_sess *s)
{
	json_object	*p = json_object_new_object();

	json_object_object_add(p, "status",
	    json_object_new_string(gwsim_status_name(s->status)));
	gwsim_hook_emit(sim, s, "session.status", p, 0);
}

/* Move s to st, sending session.status; entering SCAN_QR_CODE makes a new QR. */
void
gwsim_sess_set(struct gwsim *sim, struct gwsim_sess *s, enum gwsim_status st)
{
	if (s->status == st)
		return;
	s->status = st;
	s->gen++;
	if (st == GWSIM_SCAN_QR_CODE) {
		s->qr_count = 0;
		sess_new_qr(s);
		gwsim_hook_autoscan(sim, s);
	}
	sess_emit_status(sim, s);
}

/* A new QR while in SCAN_QR_CODE, announced by another SCAN_QR_CODE event. */
void
gwsim_sess_rotate(struct gwsim *sim, struct gwsim_sess *s)
{
	if (s->status != GWSIM_SCAN_QR_CODE)
		return;
	sess_new_qr(s);
	sess_emit_status(sim, s);
}

/* Idempotent start: STARTING, then WORKING when paired or SCAN_QR_CODE. */
void
gwsim_sess_start(struct gwsim *sim, struct gwsim_sess *s)
{
	if (s->status != GWSIM_STOPPED && s->status != GWSIM_FAILED)
		return;
	gwsim_sess_set(sim, s, GWSIM_STARTING);
	gwsim_sess_set(sim, s, s->authed ? GWSIM_WORKING :
	    GWSIM_SCAN_QR_CODE);
}

void
gwsim_sess_unauth(struct gwsim_sess *s)
{
	s->authed = 0;
	free(s->me_id);
	free(s->me_name);
	s->me_id = s->me_name = NULL;
}

/* The phone "scans" the QR: returns -1 unless s is in SCAN_QR_CODE. */
int
gwsim_sess_scan(struct gwsim *sim, struct gwsim_sess *s)
{
	char	 hex[10];
	size_t	 i;

	if (s->status != GWSIM_SCAN_QR_CODE)
		return -1;
	gwsim_rand_hex(hex, sizeof(hex));
	for (i = 0; hex[i] != '\0'; i++)
		hex[i] = (char)('0' + (unsigned char)hex[i] % 10);
	gwsim_sess_unauth(s);
	s->authed = 1;
	s->me_id = xasprintf("628%s@c.us", hex);
	s->me_name = xasprintf("Sim %s", s->name);
	gwsim_sess_set(sim, s, GWSIM_WORKING);
	return 0;
}

void
gwsim_sess_free(struct gwsim_sess *s)
{
	gwsim_sess_unauth(s);
	json_object_put(s->config);
	free(s->name);
	free(s);
}

void
gwsim_sess_free_all(struct gwsim *sim)
{
	struct gwsim_sess	*s;

	while ((s = sim->sessions) != NULL) {
		sim->sessions = s->next;
		gwsim_sess_free(s);
	}
	sim->nsessions = 0;
}
