/* page_instance_action.c: restart, log out or delete an instance: a confirmation page, then the gateway call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "gw/gw.h"
#include "web/flash.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "instance_gw.h"

#define ACT_GW_TIMEOUT_MS	5000

enum inst_action {
	ACT_RESTART,
	ACT_LOGOUT,
	ACT_DELETE,
	ACT__MAX
};

static const struct inst_act {
	const char		*slug;		/* the last path segment */
	enum msg		 button, question;
	enum flash_legacy	 done;
	enum inst_status	 after;		/* the state it leaves behind */
	int			 danger;
} inst_acts[ACT__MAX] = {
	[ACT_RESTART] = { "restart", MSG_INST_RESTART, MSG_INST_CONFIRM_RESTART,
	    FLASH_INST_RESTARTED, INST_CONNECTING, 0 },
	[ACT_LOGOUT] = { "logout", MSG_INST_LOGOUT, MSG_INST_CONFIRM_LOGOUT,
	    FLASH_INST_LOGGED_OUT, INST_QR_REQUIRED, 1 },
	[ACT_DELETE] = { "delete", MSG_INST_DELETE, MSG_INST_CONFIRM_DELETE,
	    FLASH_INST_DELETED, INST__MAX, 1 },
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

/* GET /whatsapp/instances/{id}/{action}: ask first, naming the number. */
int
page_inst_confirm(struct req *r)
{
	struct json_object	*v;
	enum inst_action	 a = act_find(r->args[1]);
	enum lang		 l = req_lang(r);
	PGresult		*res;
	int			 status = 0, rc;

	if (a == ACT__MAX)
		return 404;
	if ((res = req_owned(r, LEGACY(STMT_INST_GET), &status)) == NULL)
		return status;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(l, inst_acts[a].button)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(r->args[0]));
	json_object_object_add(v, "action", json_object_new_string(
	    inst_acts[a].slug));
	json_object_object_add(v, "name", json_object_new_string(
	    PQgetvalue(res, 0, INST_COL_NAME)));
	json_object_object_add(v, "question", json_object_new_string(
	    i18n_text(l, inst_acts[a].question)));
	json_object_object_add(v, "button", json_object_new_string(
	    i18n_text(l, inst_acts[a].button)));
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
	const char		*s = PQgetvalue(res, 0, INST_COL_SESSION);
	int			 rc;

	if ((ops = instance_gw(res, &h, ACT_GW_TIMEOUT_MS)) == NULL)
		return -1;
	memset(&gr, 0, sizeof(gr));
	rc = a == ACT_RESTART ? ops->session_restart(&h, s, &gr) :
	    a == ACT_LOGOUT ? ops->session_logout(&h, s, &gr) :
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
	char		 cid[24];
	const char	*params[3] = { r->args[0], cid, NULL };

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if (a == ACT_DELETE)
		return db_exec_cmd(&r->app->db, LEGACY(STMT_INST_DELETE), params);
	params[2] = inst_status_names[inst_acts[a].after];
	return db_exec_cmd(&r->app->db, LEGACY(STMT_INST_SET_STATUS), params);
}

/*
 * POST /whatsapp/instances/{id}/{action}: the gateway first; only what
 * it carried out is recorded, and the outcome is said in a flash.
 */
int
page_inst_action(struct req *r)
{
	enum inst_action	 a = act_find(r->args[1]);
	PGresult		*res;
	char			 loc[64];
	int			 status = 0, ok;

	if (a == ACT__MAX)
		return 404;
	if ((res = req_owned(r, LEGACY(STMT_INST_GET), &status)) == NULL)
		return status;
	ok = act_call(r, a, res) == 0;
	PQclear(res);
	if (ok && act_record(r, a) == -1)
		return 503;
	flash_set(r, &flash_legacy[ok ? inst_acts[a].done : FLASH_GATEWAY_ERROR]);
	if (ok && a == ACT_DELETE)
		return resp_redirect(r, 303, "/whatsapp");
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}
