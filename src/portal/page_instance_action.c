/* page_instance_action.c: restart, unlink or delete an instance: a confirmation page, then the gateway call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "gw/gw.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "instance_gw.h"

#define ACT_GW_TIMEOUT_MS	5000

/* "Unlink" is WAHA's logout: not to be confused with the account's
 * "Sign out" in the same frame. */
enum inst_action {
	ACT_RESTART,
	ACT_UNLINK,
	ACT_DELETE,
	ACT__MAX
};

enum {
	ACT_SET_STATUS,
	ACT_UNLINK_ROW,
	ACT_DELETE_ROW,
	ACT_SQL__MAX
};

static const struct stmt act_sql[ACT_SQL__MAX] = {
	[ACT_SET_STATUS] = { "instance_action.set_status",
	    "UPDATE instances SET status = $3, status_changed_at = wa_now() "
	    "WHERE id = $1 AND customer_id = $2 AND status <> $3", 3, DB_ONCE,
	    NULL },
	/* Unlinked: waits for a QR again, and is no one's number any more. */
	[ACT_UNLINK_ROW] = { "instance_action.unlink",
	    "UPDATE instances SET status = 'qr_required', phone = '', "
	    "push_name = '', status_changed_at = CASE WHEN status <> "
	    "'qr_required' THEN wa_now() ELSE status_changed_at END "
	    "WHERE id = $1 AND customer_id = $2", 2, DB_ONCE, NULL },
	[ACT_DELETE_ROW] = { "instance_action.delete",
	    "DELETE FROM instances WHERE id = $1 AND customer_id = $2", 2,
	    DB_ONCE, NULL },
};

/* The strings of inst_confirm.mustache. */
static const struct i18n_key act_strings[] = {
	T_("cancel", "Cancel"),
};

/* What each action says once done, a failed gateway call, and an
 * Unlink asked of a number that is not linked. */
enum {
	AF_RESTARTED,
	AF_UNLINKED,
	AF_DELETED,
	AF_GATEWAY_ERROR,
	AF_NOT_LINKED,
	AF__MAX
};

static const struct flash act_flashes[AF__MAX] = {
	[AF_RESTARTED] = { "inst_restarted",
	    N_("The number is restarting on its host."), "success" },
	[AF_UNLINKED] = { "inst_unlinked",
	    N_("The number is unlinked; scan a new QR code to link it "
	    "again."), "success" },
	[AF_DELETED] = { "inst_deleted",
	    N_("The number is deleted from its host and from waportal."),
	    "success" },
	[AF_GATEWAY_ERROR] = { "gateway_error",
	    N_("The gateway host did not carry that out; nothing changed. "
	    "Try again in a minute."), "error" },
	[AF_NOT_LINKED] = { "inst_not_linked",
	    N_("This number is not linked to WhatsApp, so there is nothing to "
	    "unlink."), "info" },
};

static const struct inst_act {
	const char		*slug;		/* the last path segment */
	const char		*button;	/* English (N_) */
	const char		*question;
	int			 done;		/* in act_flashes */
	enum inst_status	 after;		/* the state it leaves behind */
	int			 danger;
} inst_acts[ACT__MAX] = {
	[ACT_RESTART] = { "restart", N_("Restart"),
	    N_("Restart this number's session on its host? It reconnects by "
	    "itself."), AF_RESTARTED, INST_CONNECTING, 0 },
	[ACT_UNLINK] = { "unlink", N_("Unlink"),
	    N_("Unlink this number? It is removed from the linked devices of "
	    "WhatsApp on the phone, and messages can no longer go out from it "
	    "until you scan a new QR code."), AF_UNLINKED, INST_QR_REQUIRED,
	    1 },
	[ACT_DELETE] = { "delete", N_("Delete"),
	    N_("Delete this number? Its session is removed from the host and "
	    "it disappears from waportal."), AF_DELETED, INST__MAX, 1 },
};

/* The action the path names, or ACT__MAX. */
static enum inst_action
act_find(const char *slug)
{
	enum inst_action	 a;

	for (a = 0; a < ACT__MAX; a++)
		if (strcmp(slug, inst_acts[a].slug) == 0)
			return a;
	return ACT__MAX;
}

/*
 * Unlink only a linked number (instance_linked): otherwise back to its
 * page with a word; 1 when it answered so.
 */
static int
act_not_linked(struct req *r, enum inst_action a, PGresult *res,
    int *rc)
{
	char	 loc[64];

	if (a != ACT_UNLINK || instance_linked(res))
		return 0;
	flash_set(r, &act_flashes[AF_NOT_LINKED]);
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%s", r->args[0]);
	*rc = resp_redirect(r, 303, loc);
	return 1;
}

/* GET /whatsapp/instances/{id}/{action}: ask first, naming the number. */
static int
act_confirm(struct req *r)
{
	struct json_object	*v;
	enum inst_action	 a = act_find(r->args[1]);
	PGresult		*res;
	int			 status = 0, rc;

	if (a == ACT__MAX)
		return 404;
	if ((res = instance_get(r, &status)) == NULL)
		return status;
	if (act_not_linked(r, a, res, &rc)) {
		PQclear(res);
		return rc;
	}
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, inst_acts[a].button)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(r->args[0]));
	json_object_object_add(v, "action", json_object_new_string(
	    inst_acts[a].slug));
	json_object_object_add(v, "name", json_object_new_string(
	    db_get(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "question", json_object_new_string(
	    req_tr(r, inst_acts[a].question)));
	json_object_object_add(v, "button", json_object_new_string(
	    req_tr(r, inst_acts[a].button)));
	json_object_object_add(v, "danger",
	    json_object_new_boolean(inst_acts[a].danger));
	PQclear(res);
	rc = resp_html(r, 200, "inst_confirm", v);
	json_object_put(v);
	return rc;
}

/* Call the gateway for action a on the instance in res; 0 or -1. */
static int
act_call(struct req *r, enum inst_action a, PGresult *res)
{
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 gr;
	const char		*s = db_get(res, 0, INST_COL_SESSION);
	int			 rc;

	if ((ops = instance_gw(res, &h, ACT_GW_TIMEOUT_MS)) == NULL)
		return -1;
	memset(&gr, 0, sizeof(gr));
	rc = a == ACT_RESTART ? ops->session_restart(&h, s, &gr) :
	    a == ACT_UNLINK ? ops->session_logout(&h, s, &gr) :
	    ops->session_delete(&h, s, &gr);
	if (rc == -1)
		log_warnx("request %s: %s: %s", r->id, inst_acts[a].slug,
		    gr.errmsg);
	gw_result_free(&gr);
	return rc;
}

/* Record what the gateway did: the new state, or the row gone. */
static int
act_record(struct req *r, enum inst_action a)
{
	const char	*params[3] = { r->args[0], r->cid, NULL };

	if (a == ACT_DELETE)
		return db_exec_cmd(&r->app->db, &act_sql[ACT_DELETE_ROW],
		    params);
	if (a == ACT_UNLINK)
		return db_exec_cmd(&r->app->db, &act_sql[ACT_UNLINK_ROW],
		    params);
	params[2] = inst_status_names[inst_acts[a].after];
	return db_exec_cmd(&r->app->db, &act_sql[ACT_SET_STATUS], params);
}

/*
 * POST /whatsapp/instances/{id}/{action}: the gateway first; only what
 * it carried out is recorded, and the outcome is said in a flash.
 */
static int
act_do(struct req *r)
{
	enum inst_action	 a = act_find(r->args[1]);
	PGresult		*res;
	char			 loc[64];
	int			 status = 0, ok, rc;

	if (a == ACT__MAX)
		return 404;
	if ((res = instance_get(r, &status)) == NULL)
		return status;
	if (act_not_linked(r, a, res, &rc)) {
		PQclear(res);
		return rc;
	}
	ok = act_call(r, a, res) == 0;
	PQclear(res);
	if (ok && act_record(r, a) == -1)
		return 503;
	flash_set(r, &act_flashes[ok ? inst_acts[a].done : AF_GATEWAY_ERROR]);
	if (ok && a == ACT_DELETE)
		return resp_redirect(r, 303, "/whatsapp");
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}

/* {slug}: restart | unlink | delete; GET asks, POST does it. */
static const struct route act_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp/instances/{int}/{slug}",
	    .handler = act_confirm, .name = "instance_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/instances/{int}/{slug}",
	    .handler = act_do, .name = "instance_action",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module instance_action_module = {
	.name = "instance_action",
	MODULE_ROUTES(act_routes),
	MODULE_SQL(act_sql),
	MODULE_STRINGS(act_strings),
	MODULE_FLASHES(act_flashes),
};
