/* page_instance.c: one instance: its QR code while it waits for a scan, its number once linked; its live state as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db_stmt.h"
#include "core/log.h"
#include "core/valid.h"
#include "gw/gw.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "instance_gw.h"
#include "qr.h"

#define INST_QR_TIMEOUT_MS	3000
#define INST_REFRESH_SECS	5	/* without JS the page reloads while linking */
#define INST_POLL_SECS		3	/* with JS its script polls live.json */

/* The column LEGACY(STMT_LIVE_INST) adds after LEGACY(STMT_INST_GET)'s. */
#define INST_COL_CHANGED	INST_COL__MAX

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
	if (ops->qr(&h, PQgetvalue(res, 0, INST_COL_SESSION), &gr) == 0 &&
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
	const char	*status = PQgetvalue(res, 0, INST_COL_STATUS);

	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "status_word", json_object_new_string(
	    i18n_inst_status(req_lang(r), status)));
	json_object_object_add(o, "phone", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_PHONE)));
	json_object_object_add(o, "push_name", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_PUSH_NAME)));
	json_object_object_add(o, "linking",
	    json_object_new_boolean(inst_linking(status)));
}

/* The view of one instance, QR included while it waits for a scan. */
static struct json_object *
inst_view(struct req *r, PGresult *res)
{
	struct json_object	*v = json_object_new_object();
	const char		*status = PQgetvalue(res, 0, INST_COL_STATUS);
	const char		*t = i18n_text(req_lang(r), MSG_INST_QR_TITLE);
	char			*svg;
	int			 linking = inst_linking(status);

	json_object_object_add(v, "title", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "name", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "id", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_ID)));
	inst_state(r, res, v);
	json_object_object_add(v, "host", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_HOST)));
	json_object_object_add(v, "connected",
	    json_object_new_boolean(strcmp(status, "connected") == 0));
	json_object_object_add(v, "qr_required",
	    json_object_new_boolean(strcmp(status, "qr_required") == 0));
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

	if ((res = req_owned(r, LEGACY(STMT_INST_GET), &err)) == NULL)
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
int
page_instance(struct req *r)
{
	return inst_render(r, 200, NULL, NULL);
}

/* Ask the gateway for a pairing code for phone; NULL with *why. */
static char *
inst_pairing(struct req *r, PGresult *res, const char *phone,
    const char **why)
{
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 gr;
	char			*code = NULL;

	*why = "The gateway host did not give a code just now; try again.";
	if ((ops = instance_gw(res, &h, INST_QR_TIMEOUT_MS)) == NULL)
		return NULL;
	memset(&gr, 0, sizeof(gr));
	if (ops->pairing_code(&h, PQgetvalue(res, 0, INST_COL_SESSION), phone,
	    &gr) == 0) {
		code = gr.value;
		gr.value = NULL;
	} else
		log_warnx("request %s: pairing code: %s", r->id, gr.errmsg);
	gw_result_free(&gr);
	return code;
}

/*
 * POST /whatsapp/instances/{id}/pairing-code: the alternative to the QR
 * scan: the number to link, in any form phone_e164 takes; the code is
 * shown on the page (it is single-use and short-lived, so not stored).
 */
int
page_instance_pairing(struct req *r)
{
	const struct field	*f = r->fields[KEY_PHONE];
	char			 e164[E164_MAX + 1], *code;
	const char		*why;
	PGresult		*res;
	int			 status = 0, rc;

	if (f == NULL || phone_e164(f->s, f->n, "62", e164, &why) == -1 ||
	    e164[0] == '\0')
		return inst_render(r, 422, "pairing_error", i18n_fixed(
		    req_lang(r), "Enter the number to link, e.g. "
		    "+62 812 3456 7890."));
	if ((res = req_owned(r, LEGACY(STMT_INST_GET), &status)) == NULL)
		return status;
	code = inst_pairing(r, res, e164, &why);
	PQclear(res);
	if (code == NULL)
		return inst_render(r, 502, "pairing_error",
		    i18n_fixed(req_lang(r), why));
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
	const char		*status = PQgetvalue(res, 0, INST_COL_STATUS);
	char			*svg;

	json_object_object_add(o, "id", json_object_new_int64(
	    strtoll(PQgetvalue(res, 0, INST_COL_ID), NULL, 10)));
	inst_state(r, res, o);
	json_object_object_add(o, "status_changed_at", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_CHANGED)));
	if (inst_linking(status))
		json_object_object_add(o, "refresh",
		    json_object_new_int(INST_POLL_SECS));
	if (strcmp(status, "qr_required") != 0)
		return o;
	if ((svg = inst_qr(r, res, i18n_text(req_lang(r),
	    MSG_INST_QR_TITLE))) != NULL) {
		json_object_object_add(o, "qr_svg", json_object_new_string(svg));
		free(svg);
	} else
		json_object_object_add(o, "qr_error",
		    json_object_new_boolean(1));
	return o;
}

/* GET /whatsapp/instances/{id}/live.json: only the customer's own. */
int
page_instance_live(struct req *r)
{
	struct json_object	*o;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = req_owned(r, LEGACY(STMT_LIVE_INST), &status)) == NULL)
		return status;
	o = inst_live(r, res);
	PQclear(res);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}
