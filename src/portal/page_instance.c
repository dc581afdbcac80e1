/* page_instance.c: one instance: its QR code while it waits for a scan, its number once linked; its live state as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/valid.h"
#include "gw/gw.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "instance_gw.h"
#include "qr.h"

#define INST_QR_TIMEOUT_MS	3000
#define INST_REFRESH_SECS	5	/* without JS the page reloads while linking */
#define INST_POLL_SECS		3	/* with JS its script polls live.json */

/* The input of POST /whatsapp/instances/{id}/pairing-code. */
enum { PAIR_IN_PHONE, PAIR_IN__MAX };

static int	instance_in_phone(struct req *, struct field *);

static const struct input pairing_in[PAIR_IN__MAX] = {
	[PAIR_IN_PHONE] = { "phone", instance_in_phone, 0 },
};

/* The customer's country, for a national number to link. */
enum { IC_COUNTRY, IC__MAX };
enum { INSTANCE_COUNTRY, INSTANCE_SQL__MAX };

static const struct stmt instance_sql[INSTANCE_SQL__MAX] = {
	[INSTANCE_COUNTRY] = { "instance.country",
	    "SELECT country FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(IC__MAX, [IC_COUNTRY] = "country") },
};

/* What a missing or wrong number to link gets. */
static const char instance_no_phone[] =
    N_("Enter the number to link, e.g. +62 812 3456 7890.");

/* The strings of instance.mustache; the C code reads IS_QR_TITLE. Each
 * status has a sentence: what is happening, and what to do. */
enum { IS_QR_TITLE };

static const struct i18n_key instance_strings[] = {
	[IS_QR_TITLE] = T_("inst_qr_title", "Scan this code with WhatsApp"),
	T_("inst_back", "All numbers"),
	T_("inst_linked", "Linked"),
	T_("inst_push_name", "WhatsApp name"),
	T_("inst_step1", "Open WhatsApp on your phone."),
	T_("inst_step2",
	    "Tap Settings (or the menu) → Linked devices → Link a device."),
	T_("inst_step3", "Point the phone at this code."),
	T_("inst_qr_refresh",
	    "The code changes every 20 seconds; this page refreshes itself."),
	T_("inst_qr_error",
	    "The gateway host did not give a code just now; the page will try "
	    "again."),
	T_("inst_state_qr_required",
	    "This number is not linked yet. Scan the code below with WhatsApp "
	    "on the phone that has this number, or ask for a pairing code "
	    "instead; this page notices the link by itself."),
	T_("inst_state_connecting",
	    "The host is starting this number's session. This takes a few "
	    "seconds: the code to scan, or the linked number, shows here as "
	    "soon as the host has it. If nothing changes within a minute, "
	    "restart it."),
	T_("inst_state_connected",
	    "This number is linked to WhatsApp: messages you queue go out from "
	    "it."),
	T_("inst_state_disconnected",
	    "The link to WhatsApp dropped, for example because the phone was "
	    "off-line or the host restarted. Messages for this number wait in "
	    "the queue. Restart it to reconnect; if it then asks for a code, "
	    "scan it again."),
	T_("inst_state_failed",
	    "The host could not run this number's session. Restart it; if it "
	    "fails again, delete the number and link it again."),
	T_("inst_send", "Send a message"),
	T_("inst_restart", "Restart"),
	T_("inst_unlink", "Unlink"),
	T_("inst_delete", "Delete"),
	T_("inst_actions", "Actions"),
	T_("inst_pairing_title", "Or link with a code"),
	T_("inst_pairing_phone", "The WhatsApp number to link"),
	T_("inst_pairing_get", "Get a pairing code"),
	T_("inst_pairing_steps",
	    "On the phone: WhatsApp → Linked devices → Link a device → Link "
	    "with phone number instead, then type this code."),
};

/*
 * The number to link, trimmed and not empty; instance_e164 reads it in
 * the customer's country.
 */
static int
instance_in_phone(struct req *r, struct field *f)
{
	const char	*s = f->s;
	size_t		 n = f->n;

	text_trim(&s, &n);
	if (n == 0) {
		f->err = instance_no_phone;
		return -1;
	}
	f->s = req_strndup(r, s, n);
	f->n = n;
	return 0;
}

/*
 * The number to link in E.164 (phone_parse in the customer's country;
 * any kind of number: WhatsApp Business runs on landlines too) in out,
 * or *why. Returns 0, -1 or 503.
 */
static int
instance_e164(struct req *r, const struct field *f,
    char out[PHONE_E164_MAX + 1], const char **why)
{
	const char	*params[1] = { r->cid };
	enum phone_why	 pw;
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&r->app->db, &instance_sql[INSTANCE_COUNTRY],
	    params)) == NULL)
		return 503;
	rc = phone_parse(f->s, f->n, PQntuples(res) == 1 ?
	    db_get(res, 0, IC_COUNTRY) : NULL, 0, out, &pw);
	PQclear(res);
	*why = phone_why_text(pw);
	return rc;
}

/* Waiting for a scan or a pairing code: the states that change by themselves. */
static int
inst_linking(const char *status)
{
	return strcmp(status, "qr_required") == 0 ||
	    strcmp(status, "connecting") == 0;
}

/* Fetch the QR value from the gateway and draw it; NULL on failure. */
static char *
inst_qr(struct req *r, PGresult *res, const char *title)
{
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 gr;
	struct buf		 svg = BUF_INIT;
	char			*out = NULL;

	if ((ops = instance_gw(res, &h, INST_QR_TIMEOUT_MS)) == NULL)
		return NULL;
	memset(&gr, 0, sizeof(gr));
	if (ops->qr(&h, db_get(res, 0, INST_COL_SESSION), &gr) == 0 &&
	    qr_svg(&svg, gr.value, title) == 0)
		out = buf_steal(&svg);
	else
		log_warnx("request %s: qr: %s", r->id, gr.errmsg);
	buf_free(&svg);
	gw_result_free(&gr);
	return out;
}

/* What the page and its script both show: status, number, push name. */
static void
inst_state(struct req *r, PGresult *res, struct json_object *o)
{
	const char	*status = db_get(res, 0, INST_COL_STATUS);

	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "status_word", json_object_new_string(
	    instance_status_word(r, status)));
	json_object_object_add(o, "phone", json_object_new_string(
	    db_get(res, 0, INST_COL_PHONE)));
	json_object_object_add(o, "push_name", json_object_new_string(
	    db_get(res, 0, INST_COL_PUSH_NAME)));
	json_object_object_add(o, "linking",
	    json_object_new_boolean(inst_linking(status)));
}

/* The view of one instance, QR included while it waits for a scan. */
static struct json_object *
inst_view(struct req *r, PGresult *res)
{
	struct json_object	*v = json_object_new_object();
	const char		*status = db_get(res, 0, INST_COL_STATUS);
	const char		*t = req_t(r, &instance_strings[IS_QR_TITLE]);
	char			*svg;
	int			 linking = inst_linking(status);

	json_object_object_add(v, "title", json_object_new_string(
	    db_get(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "name", json_object_new_string(
	    db_get(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "id", json_object_new_string(
	    db_get(res, 0, INST_COL_ID)));
	inst_state(r, res, v);
	json_object_object_add(v, "host", json_object_new_string(
	    db_get(res, 0, INST_COL_HOST)));
	json_object_object_add(v, "connected",
	    json_object_new_boolean(strcmp(status, "connected") == 0));
	json_object_object_add(v, "qr_required",
	    json_object_new_boolean(strcmp(status, "qr_required") == 0));
	json_object_object_add(v, "connecting",
	    json_object_new_boolean(strcmp(status, "connecting") == 0));
	json_object_object_add(v, "disconnected",
	    json_object_new_boolean(strcmp(status, "disconnected") == 0));
	json_object_object_add(v, "failed",
	    json_object_new_boolean(strcmp(status, "failed") == 0));
	json_object_object_add(v, "linked",
	    json_object_new_boolean(instance_linked(res)));
	if (linking) {
		json_object_object_add(v, "refresh",
		    json_object_new_int(INST_REFRESH_SECS));
		json_object_object_add(v, "poll",
		    json_object_new_int(INST_POLL_SECS));
	}
	if (strcmp(status, "qr_required") == 0) {
		if ((svg = inst_qr(r, res, t)) != NULL) {
			/* Raw output, the named exception: qr_svg escapes
			 * its title and draws only numbers. */
			json_object_object_add(v, "qr_svg",
			    json_object_new_string(svg));
			free(svg);
		} else
			json_object_object_add(v, "qr_error",
			    json_object_new_boolean(1));
	}
	return v;
}

/*
 * Render one instance with status; key and val (key may be NULL) add a
 * pairing code or an error to the view, which then does not reload.
 */
static int
inst_render(struct req *r, int status, const char *key, const char *val)
{
	struct json_object	*v;
	PGresult		*res;
	int			 err = 0, rc;

	if ((res = instance_get(r, &err)) == NULL)
		return err;
	v = inst_view(r, res);
	PQclear(res);
	if (key != NULL) {
		json_object_object_add(v, key, json_object_new_string(val));
		/* A reload would lose the code or the message; the
		 * script, which updates in place, still polls. */
		json_object_object_del(v, "refresh");
	}
	rc = resp_html(r, status, "instance", v);
	json_object_put(v);
	return rc;
}

/* GET /whatsapp/instances/{id}: only the customer's own (else 404). */
static int
instance_page(struct req *r)
{
	return inst_render(r, 200, NULL, NULL);
}

/* A code asked for a number that is not waiting to be linked. */
static const char inst_pairing_refused[] = N_("This number is not waiting "
    "to be linked, so it takes no pairing code: reload the page to see "
    "its state, and unlink it first to link it again.");

/*
 * Ask the gateway for a pairing code for phone; NULL with *why and
 * *status: 409 when the gateway refused because the number is not
 * waiting to be linked (it answered 4xx but for its key or its rate:
 * the user can act on it), 502 when the gateway is broken (no answer,
 * 5xx, or our key refused).
 */
static char *
inst_pairing(struct req *r, PGresult *res, const char *phone,
    const char **why, int *status)
{
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 gr;
	char			*code = NULL;

	*status = 502;
	*why = N_("The gateway host did not give a code just now; try again.");
	if ((ops = instance_gw(res, &h, INST_QR_TIMEOUT_MS)) == NULL)
		return NULL;
	memset(&gr, 0, sizeof(gr));
	if (ops->pairing_code(&h, db_get(res, 0, INST_COL_SESSION), phone,
	    &gr) == 0) {
		code = gr.value;
		gr.value = NULL;
	} else {
		log_warnx("request %s: pairing code: %s", r->id, gr.errmsg);
		if (gr.http_status >= 400 && gr.http_status < 500 &&
		    gr.http_status != 401 && gr.http_status != 403 &&
		    gr.http_status != 429) {
			*status = 409;
			*why = inst_pairing_refused;
		}
	}
	gw_result_free(&gr);
	return code;
}

/*
 * POST /whatsapp/instances/{id}/pairing-code: the alternative to the QR
 * scan: the number to link (instance_in_phone); the code is shown on
 * the page (it is single-use and short-lived, so not stored).
 */
static int
instance_pairing(struct req *r)
{
	const struct field	*f = &r->in[PAIR_IN_PHONE];
	char			*code, e164[PHONE_E164_MAX + 1];
	const char		*why;
	PGresult		*res;
	int			 status = 0, rc;

	if (f->s == NULL)
		return inst_render(r, 422, "pairing_error",
		    req_tr(r, instance_no_phone));
	if ((rc = instance_e164(r, f, e164, &why)) == 503)
		return 503;
	if (rc == -1)
		return inst_render(r, 422, "pairing_error", req_tr(r, why));
	if ((res = instance_get(r, &status)) == NULL)
		return status;
	/* Only a number waiting to be linked takes a code. */
	if (strcmp(db_get(res, 0, INST_COL_STATUS), "qr_required") != 0) {
		PQclear(res);
		return inst_render(r, 409, "pairing_error",
		    req_tr(r, inst_pairing_refused));
	}
	code = inst_pairing(r, res, e164, &why, &status);
	PQclear(res);
	if (code == NULL)
		return inst_render(r, status, "pairing_error", req_tr(r, why));
	rc = inst_render(r, 200, "pairing_code", code);
	free(code);
	return rc;
}

/*
 * The live state for the page's script: {id, status, status_word,
 * phone, push_name, status_changed_at, linking, refresh (seconds, while
 * linking)} and, while a QR is required, qr_svg (qr.c's markup: the
 * escaped title and numbers only, never the gateway's text) or
 * qr_error. No URL, key or session name.
 */
static struct json_object *
inst_live(struct req *r, PGresult *res)
{
	struct json_object	*o = json_object_new_object();
	const char		*status = db_get(res, 0, INST_COL_STATUS);
	char			*svg;

	json_object_object_add(o, "id", json_object_new_int64(
	    db_getll(res, 0, INST_COL_ID)));
	inst_state(r, res, o);
	json_object_object_add(o, "status_changed_at", json_object_new_string(
	    db_get(res, 0, INST_COL_CHANGED)));
	if (inst_linking(status))
		json_object_object_add(o, "refresh",
		    json_object_new_int(INST_POLL_SECS));
	if (strcmp(status, "qr_required") != 0)
		return o;
	if ((svg = inst_qr(r, res, req_t(r,
	    &instance_strings[IS_QR_TITLE]))) != NULL) {
		json_object_object_add(o, "qr_svg", json_object_new_string(svg));
		free(svg);
	} else
		json_object_object_add(o, "qr_error",
		    json_object_new_boolean(1));
	return o;
}

/* GET /whatsapp/instances/{id}/live.json: only the customer's own. */
static int
instance_live(struct req *r)
{
	struct json_object	*o;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = instance_get_live(r, &status)) == NULL)
		return status;
	o = inst_live(r, res);
	PQclear(res);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* The pairing code and the live state come before instance_action's
 * {slug}, which matches their paths too (modules.c lists this first). */
static const struct route instance_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp/instances/{int}",
	    .handler = instance_page, .name = "instance",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST,
	    .pattern = "/whatsapp/instances/{int}/pairing-code",
	    .handler = instance_pairing, .name = "instance_pairing",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(pairing_in) },
	/* The page's own script polls this (docs/live.md); the '.' keeps
	 * it out of {slug}'s reach, so other methods get a JSON 405. */
	{ .method = METHOD_GET,
	    .pattern = "/whatsapp/instances/{int}/live.json",
	    .handler = instance_live, .name = "instance_live",
	    .kind = KIND_API, .auth = AUTH_SESSION },
};

const struct module instance_module = {
	.name = "instance",
	MODULE_ROUTES(instance_routes),
	MODULE_SQL(instance_sql),
	MODULE_STRINGS(instance_strings),
};
