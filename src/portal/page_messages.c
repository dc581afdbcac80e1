/* page_messages.c: the WhatsApp page's message tabs (queue, sent, received, scheduled) and one message's detail page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "page_msg.h"

/* The notices a redirect names with ?done= (unknown words are ignored). */
static const struct msg_done {
	const char	*word;
	enum msg	 text;
	const char	*kind;
} msg_dones[] = {
	{ "queued", MSG_MP_DONE_QUEUED, "success" },
	{ "waiting", MSG_MP_DONE_WAITING, "info" },
	{ "scheduled", MSG_MP_DONE_SCHEDULED, "success" },
	{ "cancelled", MSG_MP_DONE_CANCELLED, "success" },
	{ "too_late", MSG_MP_TOO_LATE, "error" },
};

/*
 * The customer's time zone (row 0, column 0) and instances (rows with
 * an id): the caller PQclear()s it; NULL when the database failed.
 */
PGresult *
msgpage_context(struct req *r)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_MSG_CONTEXT), params)) == NULL)
		return NULL;
	if (PQntuples(res) < 1) {
		PQclear(res);
		return NULL;
	}
	return res;
}

/*
 * The customer's instances from the context as options: [{id, name,
 * phone, status, status_word, connected, selected}]; NULL when there
 * are none. The caller owns the result.
 */
struct json_object *
msgpage_instances(struct req *r, PGresult *ctx, const char *selected)
{
	struct json_object	*list = NULL, *o;
	const char		*id, *st;
	int			 row;

	for (row = 0; row < PQntuples(ctx); row++) {
		if (*(id = PQgetvalue(ctx, row, CTX_ID)) == '\0')
			continue;
		st = PQgetvalue(ctx, row, CTX_STATUS);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "name", json_object_new_string(
		    PQgetvalue(ctx, row, CTX_NAME)));
		json_object_object_add(o, "phone", json_object_new_string(
		    PQgetvalue(ctx, row, CTX_PHONE)));
		json_object_object_add(o, "status", json_object_new_string(st));
		json_object_object_add(o, "status_word", json_object_new_string(
		    i18n_inst_status(req_lang(r), st)));
		json_object_object_add(o, "connected", json_object_new_boolean(
		    strcmp(st, "connected") == 0));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    selected != NULL && strcmp(selected, id) == 0));
		if (list == NULL)
			list = json_object_new_array();
		json_object_array_add(list, o);
	}
	return list;
}

/*
 * The notice ?done= names as "notice": {kind, text}, shown under the
 * tabs (a flash cookie of the shell's may be pending at the same time).
 */
static void
msgpage_done(struct req *r, struct json_object *v)
{
	const struct field	*f = r->fields[KEY_MSG_DONE];
	struct json_object	*item;
	size_t			 i;

	for (i = 0; f != NULL && i < sizeof(msg_dones) / sizeof(msg_dones[0]);
	    i++) {
		if (strcmp(f->s, msg_dones[i].word) != 0)
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "kind",
		    json_object_new_string(msg_dones[i].kind));
		json_object_object_add(item, "text", json_object_new_string(
		    i18n_text(req_lang(r), msg_dones[i].text)));
		json_object_object_add(v, "notice", item);
		return;
	}
}

/* What every message page's view has: title, menu, the current tab. */
void
msgpage_common(struct req *r, struct json_object *v, enum msg_tab tab)
{
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), msg_tabs[tab].title)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, msg_tabs[tab].flag,
	    json_object_new_boolean(1));
	json_object_object_add(v, "path",
	    json_object_new_string(msg_tabs[tab].path));
	msgpage_done(r, v);
}

/* The filter form: the chosen values and the status choices. */
static void
msgpage_filters(struct req *r, const struct msglist_filter *f, PGresult *ctx,
    struct json_object *v)
{
	struct json_object	*list = json_object_new_array(), *o, *insts;
	const char *const	*s;

	for (s = msg_tabs[f->tab].statuses; *s != NULL; s++) {
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(*s));
		json_object_object_add(o, "word", json_object_new_string(
		    msglist_status_word(req_lang(r), *s)));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    f->status != NULL && strcmp(f->status, *s) == 0));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "statuses", list);
	json_object_object_add(v, "has_statuses", json_object_new_boolean(
	    msg_tabs[f->tab].statuses[1] != NULL));
	if ((insts = msgpage_instances(r, ctx, f->instance)) != NULL)
		json_object_object_add(v, "filter_instances", insts);
	json_object_object_add(v, "from", json_object_new_string(
	    f->from != NULL ? f->from : ""));
	json_object_object_add(v, "to", json_object_new_string(
	    f->to != NULL ? f->to : ""));
	json_object_object_add(v, "bad_range",
	    json_object_new_boolean(f->bad_range));
}

/*
 * The add form's own part of the Queue tab's view (form becomes the
 * view's): its number choices, the chosen one selected, or the only
 * one when none is chosen yet.
 */
static void
msgpage_form(struct req *r, PGresult *ctx, struct json_object *form,
    struct json_object *v)
{
	struct json_object	*vals, *insts;
	const char		*inst;

	vals = json_object_object_get(form, "values");
	inst = json_object_get_string(json_object_object_get(vals, "instance"));
	if (inst == NULL && PQntuples(ctx) == 1)
		inst = PQgetvalue(ctx, 0, CTX_ID);
	insts = msgpage_instances(r, ctx, inst);
	if (insts != NULL) {
		json_object_object_add(v, "form_instances", insts);
		json_object_object_add(v, "has_form_instances",
		    json_object_new_boolean(1));
	}
	json_object_object_add(v, "form", form);
}

/*
 * Render the list of tab with its filters and page; on the Queue tab
 * also the add form (form: its values, errors and error, owned by the
 * view afterwards; NULL for an empty one). Returns 0, 400 for a bad
 * filter, 503 when the database failed.
 */
int
msgpage_render(struct req *r, enum msg_tab tab, int status,
    struct json_object *form)
{
	struct msglist_filter	 f;
	struct json_object	*v;
	PGresult		*ctx, *res = NULL;
	int			 rc;

	if ((rc = msglist_filter_read(r, tab, &f)) != 0 ||
	    (ctx = msgpage_context(r)) == NULL) {
		json_object_put(form);
		return rc != 0 ? rc : 503;
	}
	if (!f.bad_range && (res = msglist_fetch(r, &f)) == NULL) {
		PQclear(ctx);
		json_object_put(form);
		return 503;
	}
	v = json_object_new_object();
	msgpage_common(r, v, tab);
	json_object_object_add(v, "lead", json_object_new_string(
	    i18n_text(req_lang(r), msg_tabs[tab].lead)));
	json_object_object_add(v, "empty", json_object_new_string(
	    i18n_text(req_lang(r), msg_tabs[tab].empty)));
	json_object_object_add(v, "tz", json_object_new_string(
	    PQgetvalue(ctx, 0, CTX_TZ)));
	msgpage_filters(r, &f, ctx, v);
	msglist_view(r, &f, res, v);
	json_object_object_add(v, "has_rows", json_object_new_boolean(
	    json_object_array_length(json_object_object_get(v, "rows")) > 0));
	if (tab == MSGTAB_QUEUE)
		msgpage_form(r, ctx, form, v);
	PQclear(ctx);
	PQclear(res);
	rc = resp_html(r, status, "messages", v);
	json_object_put(v);
	return rc;
}

/* An empty add form: {values: {}}. */
static struct json_object *
msgpage_form_new(void)
{
	struct json_object	*form = json_object_new_object();

	json_object_object_add(form, "values", json_object_new_object());
	return form;
}

int
page_msg_queue(struct req *r)
{
	return msgpage_render(r, MSGTAB_QUEUE, 200, msgpage_form_new());
}

int
page_msg_sent(struct req *r)
{
	return msgpage_render(r, MSGTAB_SENT, 200, NULL);
}

int
page_msg_received(struct req *r)
{
	return msgpage_render(r, MSGTAB_RECEIVED, 200, NULL);
}

int
page_msg_scheduled(struct req *r)
{
	return msgpage_render(r, MSGTAB_SCHEDULED, 200, NULL);
}

/*
 * GET /whatsapp/messages/{id}: one of the customer's messages with its
 * whole text and every step's time; another customer's is a 404.
 */
int
page_msg_detail(struct req *r)
{
	struct json_object	*v, *msg;
	char			 cid[24];
	const char		*params[2] = { r->args[0], cid };
	PGresult		*res;
	enum msg_tab		 tab;
	int			 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_MSG_GET), params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	msg = msglist_row(r, res, 0);
	tab = msglist_tab_of(msglist_status(res, 0));
	PQclear(res);
	v = json_object_new_object();
	msgpage_common(r, v, tab);
	json_object_object_add(v, "msg", msg);
	rc = resp_html(r, 200, "msg_detail", v);
	json_object_put(v);
	return rc;
}
