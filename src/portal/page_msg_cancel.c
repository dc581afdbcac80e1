/* page_msg_cancel.c: cancel a queued or scheduled message: a confirmation page, then wa_message_cancel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "page_msg.h"

/*
 * The customer's outbound message the path names (STMT_MSG_GET; the
 * caller PQclear()s it), or NULL: *status is then 404 (none of theirs,
 * or a received one) or 503.
 */
static PGresult *
cancel_load(struct req *r, int *status)
{
	PGresult	*res;

	if ((res = req_owned(r, LEGACY(STMT_MSG_GET), status)) == NULL ||
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
int
page_msg_cancel_confirm(struct req *r)
{
	struct json_object	*v;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = cancel_load(r, &status)) == NULL)
		return status;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_MP_CANCEL_MSG)));
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
int
page_msg_cancel(struct req *r)
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
	if ((res = db_exec(&r->app->db, LEGACY(STMT_MSG_CANCEL), params)) == NULL)
		return 503;
	out = PQgetvalue(res, 0, 0);
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
