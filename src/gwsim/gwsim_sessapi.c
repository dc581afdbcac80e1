/* gwsim_sessapi.c: the simulator's WAHA session endpoints (/api/sessions, /api/{session}/auth) and the control API's bulk sessions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "gwsim.h"

/* 1 when name is 1-64 characters of [a-zA-Z0-9_-]. */
static int
sess_name_ok(const char *name)
{
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			return 0;
	return i > 0 && i <= 64;
}

/*
 * Check a config object: each webhooks[] entry needs a string url.
 * Returns a deep copy (caller puts) or NULL with a 400 reply set.
 */
static json_object *
sess_config(struct gwsim_req *r)
{
	json_object	*cfg = NULL, *hooks, *h, *copy = NULL;
	size_t		 i;

	if (r->json != NULL)
		json_object_object_get_ex(r->json, "config", &cfg);
	if (cfg == NULL || json_object_is_type(cfg, json_type_null))
		return json_object_new_object();
	if (!json_object_is_type(cfg, json_type_object))
		goto bad;
	if (json_object_object_get_ex(cfg, "webhooks", &hooks)) {
		if (!json_object_is_type(hooks, json_type_array))
			goto bad;
		for (i = 0; i < json_object_array_length(hooks); i++) {
			h = json_object_array_get_idx(hooks, i);
			if (gwsim_jstr(h, "url") == NULL)
				goto bad;
		}
	}
	json_object_deep_copy(cfg, &copy, NULL);
	return copy;
bad:
	gwsim_error(r, 400, "config: webhooks[] need a string url");
	return NULL;
}

static void
sess_append(struct gwsim *sim, struct gwsim_sess *s)
{
	struct gwsim_sess	**pp;

	for (pp = &sim->sessions; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = s;
	sim->nsessions++;
}

/* Why a new session called name cannot be created, or NULL when it can. */
static const char *
sess_create_err(struct gwsim *sim, const char *name)
{
	if (!sess_name_ok(name))
		return "name must match [a-zA-Z0-9_-] (1-64 characters)";
	if (gwsim_sess_find(sim, name) != NULL)
		return "Session already exists; use PUT to update it";
	if (sim->nsessions >= GWSIM_MAX_SESSIONS)
		return "session limit reached";
	return NULL;
}

/*
 * A session that is linked already (as if its QR had been scanned) and
 * started, with a deep copy of config. Returns 0, or -1 when the name
 * is bad or taken or the limit is reached.
 */
static int
sess_add_linked(struct gwsim *sim, const char *name, json_object *config)
{
	struct gwsim_sess	*s;
	json_object		*cfg = NULL;
	char			 hex[10];
	size_t			 i;

	if (sess_create_err(sim, name) != NULL)
		return -1;
	json_object_deep_copy(config, &cfg, NULL);
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->config = cfg;
	gwsim_rand_hex(hex, sizeof(hex));
	for (i = 0; hex[i] != '\0'; i++)
		hex[i] = (char)('0' + (unsigned char)hex[i] % 10);
	s->authed = 1;
	s->me_id = xasprintf("628%s@c.us", hex);
	s->me_name = xasprintf("Sim %s", s->name);
	sess_append(sim, s);
	gwsim_sess_start(sim, s);
	return 0;
}

/*
 * POST /_sim/sessions {"prefix":"b","count":N,"config":{...}}: N
 * sessions <prefix>1 .. <prefix>N, linked and WORKING at once, for the
 * dispatcher's tests and benchmark. Names that are taken are skipped.
 * Returns {"created": n}.
 */
void
gwsim_ctl_sessions(struct gwsim_req *r)
{
	const char	*prefix = gwsim_jstr(r->json, "prefix");
	json_object	*cfg, *o, *v;
	char		 name[80];
	int		 i, count = 0, made = 0;

	if (r->json != NULL && json_object_object_get_ex(r->json, "count", &v))
		count = json_object_get_int(v);
	if (prefix == NULL || strlen(prefix) > 50 || count < 1 ||
	    count > GWSIM_MAX_SESSIONS) {
		gwsim_error(r, 400, "prefix (1-50 characters) and count "
		    "(1-1000) are required");
		return;
	}
	if ((cfg = sess_config(r)) == NULL)
		return;
	for (i = 1; i <= count; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		made += sess_add_linked(r->sim, name, cfg) == 0;
	}
	json_object_put(cfg);
	o = json_object_new_object();
	json_object_object_add(o, "created", json_object_new_int(made));
	gwsim_reply(r, 200, o);
}

/* POST /api/sessions {name,start,config}: 201 with the session; 422 on a bad or taken name. */
void
gwsim_api_session_create(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	const char		*name = gwsim_jstr(r->json, "name"), *err;
	json_object		*cfg, *start;

	if (name == NULL)
		name = "default";
	if ((err = sess_create_err(r->sim, name)) != NULL) {
		gwsim_error(r, 422, err);
		return;
	}
	if ((cfg = sess_config(r)) == NULL)
		return;
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->config = cfg;
	sess_append(r->sim, s);
	if (r->json == NULL || !json_object_object_get_ex(r->json, "start",
	    &start) || json_object_get_boolean(start))
		gwsim_sess_start(r->sim, s);
	gwsim_reply(r, 201, gwsim_sess_json(s));
}

void
gwsim_api_sessions(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	json_object		*a = json_object_new_array();
	const char		*all = gwsim_query(r, "all");
	int			 want_all;

	want_all = all != NULL && strcmp(all, "true") == 0;
	for (s = r->sim->sessions; s != NULL; s = s->next)
		if (want_all || s->status != GWSIM_STOPPED)
			json_object_array_add(a, gwsim_sess_json(s));
	gwsim_reply(r, 200, a);
}

/* The session named in the path, or NULL with a 404 reply set. */
static struct gwsim_sess *
sess_need(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	char			 msg[128];

	if ((s = gwsim_sess_find(r->sim, r->arg)) != NULL)
		return s;
	snprintf(msg, sizeof(msg), "Session \"%.64s\" does not exist",
	    r->arg);
	gwsim_error(r, 404, msg);
	return NULL;
}

void
gwsim_api_session_get(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = sess_need(r)) != NULL)
		gwsim_reply(r, 200, gwsim_sess_json(s));
}

/* PUT: replace the config; a running session restarts. */
void
gwsim_api_session_put(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	json_object		*cfg;

	if ((s = sess_need(r)) == NULL || (cfg = sess_config(r)) == NULL)
		return;
	json_object_put(s->config);
	s->config = cfg;
	if (s->status != GWSIM_STOPPED && s->status != GWSIM_FAILED) {
		gwsim_sess_set(r->sim, s, GWSIM_STOPPED);
		gwsim_sess_start(r->sim, s);
	}
	gwsim_reply(r, 200, gwsim_sess_json(s));
}

/* DELETE: stop and remove; idempotent. */
void
gwsim_api_session_delete(struct gwsim_req *r)
{
	struct gwsim_sess	**pp, *s;

	for (pp = &r->sim->sessions; *pp != NULL; pp = &(*pp)->next) {
		s = *pp;
		if (strcmp(s->name, r->arg) != 0)
			continue;
		gwsim_sess_set(r->sim, s, GWSIM_STOPPED);
		*pp = s->next;
		r->sim->nsessions--;
		gwsim_sess_free(s);
		break;
	}
	gwsim_reply(r, 200, NULL);
}

void
gwsim_api_session_start(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = sess_need(r)) == NULL)
		return;
	gwsim_sess_start(r->sim, s);
	gwsim_reply(r, 201, gwsim_sess_json(s));
}

void
gwsim_api_session_stop(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = sess_need(r)) == NULL)
		return;
	gwsim_sess_set(r->sim, s, GWSIM_STOPPED);
	gwsim_reply(r, 201, gwsim_sess_json(s));
}

void
gwsim_api_session_restart(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = sess_need(r)) == NULL)
		return;
	gwsim_sess_set(r->sim, s, GWSIM_STOPPED);
	gwsim_sess_start(r->sim, s);
	gwsim_reply(r, 201, gwsim_sess_json(s));
}

/* Logout: forget the pairing; a running session asks for a new QR. */
void
gwsim_api_session_logout(struct gwsim_req *r)
{
	struct gwsim_sess	*s;

	if ((s = sess_need(r)) == NULL)
		return;
	gwsim_sess_unauth(s);
	if (s->status == GWSIM_WORKING) {
		gwsim_sess_set(r->sim, s, GWSIM_STARTING);
		gwsim_sess_set(r->sim, s, GWSIM_SCAN_QR_CODE);
	}
	gwsim_reply(r, 201, gwsim_sess_json(s));
}

void
gwsim_api_session_me(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	json_object		*me;

	if ((s = sess_need(r)) == NULL)
		return;
	if ((me = gwsim_sess_me(s)) == NULL)
		r->raw = xstrdup("null");
	gwsim_reply(r, 200, me);
}

/* The session named in the path when it is in SCAN_QR_CODE, else NULL with 404/422 set. */
static struct gwsim_sess *
sess_need_qr(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	char			 msg[160];

	if ((s = sess_need(r)) == NULL)
		return NULL;
	if (s->status == GWSIM_SCAN_QR_CODE)
		return s;
	snprintf(msg, sizeof(msg), "Session status is not as expected: "
	    "%s, expected SCAN_QR_CODE", gwsim_status_name(s->status));
	gwsim_error(r, 422, msg);
	return NULL;
}

/* GET auth/qr?format=raw: {"value"}; an expired QR (older than -q) rotates first. */
void
gwsim_api_auth_qr(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	const char		*fmt = gwsim_query(r, "format");
	json_object		*o;

	if ((s = sess_need_qr(r)) == NULL)
		return;
	if (fmt == NULL || strcmp(fmt, "raw") != 0) {
		gwsim_error(r, 501, "the simulator serves only format=raw");
		return;
	}
	if (r->sim->qr_ttl > 0 &&
	    gwsim_now_ms() - s->qr_since >= r->sim->qr_ttl * 1000LL)
		gwsim_sess_rotate(r->sim, s);
	o = json_object_new_object();
	json_object_object_add(o, "value", json_object_new_string(s->qr));
	gwsim_reply(r, 200, o);
}

/* POST auth/request-code {phoneNumber}: {"code":"ABCD-EFGH"}. */
void
gwsim_api_auth_code(struct gwsim_req *r)
{
	struct gwsim_sess	*s;
	const char		*phone = gwsim_jstr(r->json, "phoneNumber");
	char			 hex[9], code[10];
	json_object		*o;
	int			 i;

	if (phone == NULL || *phone == '\0' ||
	    strspn(phone, "0123456789") != strlen(phone)) {
		gwsim_error(r, 400, "phoneNumber: digits only");
		return;
	}
	if ((s = sess_need_qr(r)) == NULL)
		return;
	gwsim_rand_hex(hex, sizeof(hex));
	for (i = 0; i < 8; i++)
		code[i + i / 4] = (char)('A' + (unsigned char)hex[i] % 26);
	code[4] = '-';
	code[9] = '\0';
	o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_string(code));
	gwsim_reply(r, 201, o);
}
