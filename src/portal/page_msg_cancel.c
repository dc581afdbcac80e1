/* page_msg_cancel.c: cancel a queued or scheduled message: a confirmation page, then wa_message_cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "page_msg.h"

/* The column of CANCEL_RUN: cancelled, too_late or not_found. */
enum { CR_OUTCOME, CR__MAX };

enum {
	CANCEL_RUN,
	CANCEL__MAX
};

static const struct stmt cancel_sql[CANCEL__MAX] = {
	[CANCEL_RUN] = { "msg_cancel.run",
	    "SELECT wa_message_cancel($1::bigint, $2::bigint) AS outcome", 2,
	    DB_ONCE, DB_COLS(CR__MAX, [CR_OUTCOME] = "outcome") },
};

/* The strings of msg_confirm.mustache. */
static const struct i18n_key cancel_strings[] = {
	T_("mp_keep_msg", "Keep it"),
	T_("mp_confirm_cancel",
	    "Cancel this message? It will not be sent, and its place in this "
	    "month's quota is given back."),
	T_("mp_too_late",
	    "Too late to cancel: the message is already being sent or has "
	    "been sent."),
};

/*
 * The customer's outbound message the path names (msglist_get; the
 * caller PQclear()s it), or NULL: *status is then 404 (none of theirs,
 * or a received one) or 503.
 */
static PGresult *
cancel_load(struct req *r, int *status)
{
	PGresult	*res;

	if ((res = msglist_get(r, status)) == NULL ||
	    msglist_outbound(res, 0))
		return res;
	PQclear(res);
	*status = 404;
	return NULL;
}

/*
 * GET /whatsapp/messages/{id}/cancel: ask first, naming the recipient,
 * the time and the text; a message past cancelling says so instead.
 */
static int
cancel_confirm(struct req *r)
{
	struct json_object	*v;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = cancel_load(r, &status)) == NULL)
		return status;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Cancel message")));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "msg", msglist_row(r, res, 0));
	PQclear(res);
	rc = resp_html(r, 200, "msg_confirm", v);
	json_object_put(v);
	return rc;
}

/*
 * POST /whatsapp/messages/{id}/cancel: cancelled goes back to the
 * message's tab with a notice (its quota place is given back); too
 * late goes to the message, which says so; another customer's is 404.
 */
static int
cancel_post(struct req *r)
{
	char		 cid[24], loc[96];
	const char	*params[2] = { cid, r->args[0] }, *out;
	PGresult	*res;
	enum msg_tab	 tab;
	int		 status = 0;

	if ((res = cancel_load(r, &status)) == NULL)
		return status;
	tab = msglist_tab_of(msglist_status(res, 0));
	PQclear(res);
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &cancel_sql[CANCEL_RUN], params)) ==
	    NULL)
		return 503;
	out = db_get(res, 0, CR_OUTCOME);
	if (strcmp(out, "cancelled") == 0)
		snprintf(loc, sizeof(loc), "%s?done=cancelled",
		    msg_tabs[tab].path);
	else if (strcmp(out, "too_late") == 0)
		snprintf(loc, sizeof(loc),
		    "/whatsapp/messages/%s?done=too_late", r->args[0]);
	else
		status = 404;
	PQclear(res);
	return status != 0 ? status : resp_redirect(r, 303, loc);
}

/* GET asks, POST cancels. */
static const struct route cancel_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp/messages/{int}/cancel",
	    .handler = cancel_confirm, .name = "msg_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/messages/{int}/cancel",
	    .handler = cancel_post, .name = "msg_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module msg_cancel_module = {
	.name = "msg_cancel",
	MODULE_ROUTES(cancel_routes),
	MODULE_SQL(cancel_sql),
	MODULE_STRINGS(cancel_strings),
};
