/* page_messages.c: the WhatsApp page's message tabs (queue, sent, received, scheduled) and one message's detail page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "instance_gw.h"
#include "page_msg.h"

enum { MTP_ID, MTP_NAME, MTP__MAX };

enum {
	MESSAGES_CONTEXT,
	MESSAGES_TEMPLATES,
	MESSAGES__MAX
};

static const struct stmt messages_sql[MESSAGES__MAX] = {
	/* The customer's zone, and their instances (none: one NULL row). */
	[MESSAGES_CONTEXT] = { "messages.context",
	    "SELECT u.time_zone, coalesce(i.id::text, '') AS id, "
	    "coalesce(i.name, '') AS name, coalesce(i.status, '') AS status, "
	    "coalesce(i.phone, '') AS phone FROM users u "
	    "LEFT JOIN instances i ON i.customer_id = u.id WHERE u.id = $1 "
	    "ORDER BY i.id", 1, DB_RETRY, DB_COLS(CTX__MAX,
	    [CTX_TZ] = "time_zone", [CTX_ID] = "id", [CTX_NAME] = "name",
	    [CTX_STATUS] = "status", [CTX_PHONE] = "phone") },
	/* The customer's message templates by name, for the Queue form. */
	[MESSAGES_TEMPLATES] = { "messages.templates",
	    "SELECT id, name FROM templates WHERE customer_id = $1::bigint "
	    "ORDER BY lower(name), id", 1, DB_RETRY, DB_COLS(MTP__MAX,
	    [MTP_ID] = "id", [MTP_NAME] = "name") },
};

/* The strings of messages.mustache and msg_tabs.mustache; the tabs'
 * titles are read by the C code too. */
enum { MS_TAB_QUEUE, MS_TAB_SENT, MS_TAB_RECEIVED, MS_TAB_SCHEDULED };

static const struct i18n_key messages_strings[] = {
	[MS_TAB_QUEUE] = T_("mp_tab_queue", "Queue"),
	[MS_TAB_SENT] = T_("mp_tab_sent", "Sent"),
	[MS_TAB_RECEIVED] = T_("mp_tab_received", "Received"),
	[MS_TAB_SCHEDULED] = T_("mp_tab_scheduled", "Scheduled"),
	T_("mp_tabs_label", "WhatsApp sections"),
	T_("mp_tab_instances", "Instances"),
	T_("mp_filtered_empty", "No messages match these filters."),
	T_("mp_col_to", "To"),
	T_("mp_col_from", "From"),
	T_("mp_col_text", "Text"),
	T_("mp_col_times", "Times"),
	T_("mp_col_actions", "Actions"),
	T_("mp_t_added", "Added"),
	T_("mp_t_sent", "Sent"),
	T_("mp_t_delivered", "Delivered"),
	T_("mp_t_read", "Read"),
	T_("mp_t_failed", "Failed"),
	T_("mp_t_cancelled", "Cancelled"),
	T_("mp_t_received", "Received"),
	T_("mp_tries", "Tries"),
	T_("mp_reason", "Reason"),
	T_("mp_number_gone", "deleted number"),
	T_("mp_show_all", "Show all"),
	T_("mp_details", "Details"),
	T_("mp_message", "Message"),
	T_("mp_filter_label", "Filter the list"),
	T_("mp_all_numbers", "All numbers"),
	T_("mp_all_statuses", "All statuses"),
	T_("mp_date_from", "From date"),
	T_("mp_date_to", "To date"),
	T_("mp_filter", "Filter"),
	T_("mp_clear", "Clear filters"),
	T_("mp_bad_range",
	    "The start date is after the end date: nothing can match."),
	T_("mp_pages", "Pages"),
	T_("mp_newer", "← Newer"),
	T_("mp_older", "Older →"),
	T_("mp_change_tz", "change"),
	T_("mp_live_newer", "Newer messages since this page was loaded:"),
	T_("mp_live_show", "show them"),
	T_("mp_add_title", "Add a message"),
	T_("mp_f_instance", "Send from"),
	T_("mp_f_instance_hint",
	    "A message for a number that is not connected is accepted and "
	    "waits until the number is connected again."),
	T_("mp_f_recipient", "Recipient's number"),
	T_("mp_f_recipient_hint",
	    "With its country code (+44 20 7946 0958), or an Indonesian "
	    "number (0812-3456-7890)."),
	T_("mp_f_template", "Template"),
	T_("mp_f_template_none", "None: write the text below"),
	T_("mp_f_template_hint", "Its current version, with the "
	    "recipient's name and fields when the number is one of your "
	    "contacts; the text below stays empty."),
	T_("mp_f_text", "Text"),
	T_("mp_f_text_hint", "At most 65,536 characters (WhatsApp's limit)."),
	T_("mp_f_send_at", "Send at"),
	T_("mp_f_send_at_hint",
	    "Leave empty to send now. A date and time (up to a year ahead) "
	    "schedules it, in your time zone:"),
	T_("mp_add", "Add to the queue"),
	T_("mp_no_instances",
	    "Link a WhatsApp number first: messages go out from one of your "
	    "numbers."),
};

const struct msg_tab_def msg_tabs[MSGTAB__MAX] = {
	[MSGTAB_QUEUE] = { "/whatsapp/queue", "tab_queue",
	    &messages_strings[MS_TAB_QUEUE],
	    N_("Messages waiting to go out, and the form to add one."),
	    N_("Nothing is waiting to go out — add a message below."),
	    { "queued", "sending", NULL }, 1 },
	/* Everything that left the queue for good, cancelled included. */
	[MSGTAB_SENT] = { "/whatsapp/sent", "tab_sent",
	    &messages_strings[MS_TAB_SENT],
	    N_("Messages that have left the queue: sent, delivered, read, "
	    "failed or cancelled."),
	    N_("No messages have left the queue yet — add one on the Queue "
	    "tab."),
	    { "sent", "delivered", "read", "failed", "cancelled", NULL }, 1 },
	[MSGTAB_RECEIVED] = { "/whatsapp/received", "tab_received",
	    &messages_strings[MS_TAB_RECEIVED],
	    N_("Messages your numbers received."),
	    N_("No messages received yet — they appear here when someone "
	    "writes to one of your numbers."),
	    { "received", NULL } },
	[MSGTAB_SCHEDULED] = { "/whatsapp/scheduled", "tab_scheduled",
	    &messages_strings[MS_TAB_SCHEDULED],
	    N_("Messages set to go out at a later time."),
	    N_("Nothing is scheduled — pick a send time when you add a "
	    "message on the Queue tab."),
	    { "scheduled", NULL } },
};

/* The notices a redirect names with ?done= (unknown words are ignored). */
static const struct msg_done {
	const char	*word;
	const char	*text;		/* English (N_) */
	const char	*kind;
} msg_dones[] = {
	{ "queued", N_("Message queued: it goes out shortly."), "success" },
	{ "waiting", N_("Message queued. Its number is not connected: the "
	    "message waits until it is."), "info" },
	{ "scheduled", N_("Message scheduled."), "success" },
	{ "cancelled", N_("Message cancelled; its place in this month's "
	    "quota is given back."), "success" },
	{ "too_late", N_("Too late to cancel: the message is already being "
	    "sent or has been sent."), "error" },
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
	if ((res = db_exec(&r->app->db, &messages_sql[MESSAGES_CONTEXT],
	    params)) == NULL)
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
		if (*(id = db_get(ctx, row, CTX_ID)) == '\0')
			continue;
		st = db_get(ctx, row, CTX_STATUS);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "name", json_object_new_string(
		    db_get(ctx, row, CTX_NAME)));
		json_object_object_add(o, "phone", json_object_new_string(
		    db_get(ctx, row, CTX_PHONE)));
		json_object_object_add(o, "status", json_object_new_string(st));
		json_object_object_add(o, "status_word", json_object_new_string(
		    instance_status_word(r, st)));
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
	const struct field	*f = msglist_input(r, MSGLIST_IN_DONE);
	struct json_object	*item;
	size_t			 i;

	for (i = 0; f != NULL && f->s != NULL &&
	    i < sizeof(msg_dones) / sizeof(msg_dones[0]); i++) {
		if (strcmp(f->s, msg_dones[i].word) != 0)
			continue;
		item = json_object_new_object();
		json_object_object_add(item, "kind",
		    json_object_new_string(msg_dones[i].kind));
		json_object_object_add(item, "text", json_object_new_string(
		    req_tr(r, msg_dones[i].text)));
		json_object_object_add(v, "notice", item);
		return;
	}
}

/* What every message page's view has: title, menu, the current tab. */
void
msgpage_common(struct req *r, struct json_object *v, enum msg_tab tab)
{
	json_object_object_add(v, "title", json_object_new_string(
	    req_t(r, msg_tabs[tab].title)));
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

/* The customer's message templates as the form's choices
 * [{id, name, selected}] and has_form_templates in v. */
static void
msgpage_templates(struct req *r, const char *selected, struct json_object *v)
{
	char			 cid[24];
	const char		*params[1] = { cid };
	struct json_object	*list, *o;
	PGresult		*res;
	int			 row;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &messages_sql[MESSAGES_TEMPLATES],
	    params)) == NULL)
		return;		/* logged; the form works without them */
	list = json_object_new_array();
	for (row = 0; row < PQntuples(res); row++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(
		    db_get(res, row, MTP_ID)));
		json_object_object_add(o, "name", json_object_new_string(
		    db_get(res, row, MTP_NAME)));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    selected != NULL && strcmp(selected, db_get(res, row,
		    MTP_ID)) == 0));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "has_form_templates",
	    json_object_new_boolean(PQntuples(res) > 0));
	json_object_object_add(v, "form_templates", list);
	PQclear(res);
}

/*
 * The add form's own part of the Queue tab's view (form becomes the
 * view's): its number choices, the chosen one selected, else the one
 * the list is filtered by (a number's "Send a message" links here so),
 * or the only one.
 */
static void
msgpage_form(struct req *r, const struct msglist_filter *f, PGresult *ctx,
    struct json_object *form, struct json_object *v)
{
	struct json_object	*vals, *insts;
	const char		*inst;

	vals = json_object_object_get(form, "values");
	inst = json_object_get_string(json_object_object_get(vals, "instance"));
	if (inst == NULL)
		inst = f->instance;
	if (inst == NULL && PQntuples(ctx) == 1)
		inst = db_get(ctx, 0, CTX_ID);
	insts = msgpage_instances(r, ctx, inst);
	msgpage_templates(r, json_object_get_string(json_object_object_get(
	    vals, "template")), v);
	if (insts != NULL) {
		json_object_object_add(v, "form_instances", insts);
		json_object_object_add(v, "has_form_instances",
		    json_object_new_boolean(1));
	}
	json_object_object_add(v, "form", form);
}

/*
 * A live tab's hooks (msglist_live_view) and, while a row moves, the
 * reload without JavaScript ("refresh"): not on the Queue tab, whose
 * reload would wipe out a message being typed in its add form (it has
 * a Refresh link, docs/live.md).
 */
static void
msgpage_live_view(const struct msglist_filter *f, struct json_object *v)
{
	msglist_live_view(f, v);
	if (f->tab != MSGTAB_QUEUE && json_object_get_boolean(
	    json_object_object_get(v, "moving")))
		json_object_object_add(v, "refresh", json_object_new_int(
		    MSGLIST_REFRESH_SECS));
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
	    req_tr(r, msg_tabs[tab].lead)));
	json_object_object_add(v, "empty", json_object_new_string(
	    req_tr(r, msg_tabs[tab].empty)));
	json_object_object_add(v, "tz", json_object_new_string(
	    db_get(ctx, 0, CTX_TZ)));
	msgpage_filters(r, &f, ctx, v);
	msglist_view(r, &f, res, v);
	json_object_object_add(v, "has_rows", json_object_new_boolean(
	    json_object_array_length(json_object_object_get(v, "rows")) > 0));
	if (msg_tabs[tab].live)
		msgpage_live_view(&f, v);
	if (tab == MSGTAB_QUEUE)
		msgpage_form(r, &f, ctx, form, v);
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

/* GET /whatsapp/queue: the Queue tab. */
static int
messages_queue(struct req *r)
{
	return msgpage_render(r, MSGTAB_QUEUE, 200, msgpage_form_new());
}

/* GET /whatsapp/sent: the Sent tab. */
static int
messages_sent(struct req *r)
{
	return msgpage_render(r, MSGTAB_SENT, 200, NULL);
}

/* GET /whatsapp/received: the Received tab. */
static int
messages_received(struct req *r)
{
	return msgpage_render(r, MSGTAB_RECEIVED, 200, NULL);
}

/* GET /whatsapp/scheduled: the Scheduled tab. */
static int
messages_scheduled(struct req *r)
{
	return msgpage_render(r, MSGTAB_SCHEDULED, 200, NULL);
}

/*
 * GET /whatsapp/messages/{id}: one of the customer's messages with its
 * whole text and every step's time; another customer's is a 404.
 */
static int
messages_detail(struct req *r)
{
	struct json_object	*v, *msg;
	PGresult		*res;
	enum msg_tab		 tab;
	char			 url[96];
	int			 status = 0, rc;

	if ((res = msglist_get(r, &status)) == NULL)
		return status;
	msg = msglist_row(r, res, 0);
	tab = msglist_tab_of(msglist_status(res, 0));
	v = json_object_new_object();
	msgpage_common(r, v, tab);
	/* While it moves, it is watched like its tab's rows: the script
	 * polls the tab's live.json for this one id, the page without it
	 * reloads. */
	if (msglist_moving(res, 0) && msg_tabs[tab].live) {
		snprintf(url, sizeof(url), "%s/live.json?ids=%s",
		    msg_tabs[tab].path, r->args[0]);
		json_object_object_add(v, "live_url",
		    json_object_new_string(url));
		json_object_object_add(v, "poll", json_object_new_int(
		    MSGLIST_POLL_SECS));
		json_object_object_add(v, "refresh", json_object_new_int(
		    MSGLIST_REFRESH_SECS));
	}
	PQclear(res);
	json_object_object_add(v, "msg", msg);
	rc = resp_html(r, 200, "msg_detail", v);
	json_object_put(v);
	return rc;
}

/*
 * The live state of a tab's rows for its page's script (docs/live.md):
 * {refresh, moving, rows: [msglist_live_row of each id asked, the
 * customer's only, whatever their status now]} and, when asked with
 * since (a first page), newer: how many rows its filters match that
 * are newer, at most MSGLIST_NEWER_MAX.
 */
static int
msgpage_live(struct req *r, enum msg_tab tab)
{
	const struct field	*ids = msglist_input(r, MSGLIST_IN_IDS);
	const struct field	*since = msglist_input(r, MSGLIST_IN_SINCE);
	struct msglist_filter	 f;
	struct json_object	*o, *rows;
	PGresult		*res = NULL;
	int			 rc, i, moving = 0, newer = 0;

	if ((rc = msglist_filter_read(r, tab, &f)) != 0)
		return rc;
	if ((ids->s != NULL && (res = msglist_live(r, ids->s)) == NULL) ||
	    (since->s != NULL && (newer = msglist_newer(r, &f,
	    since->s)) == -1)) {
		PQclear(res);
		return 503;
	}
	o = json_object_new_object();
	rows = json_object_new_array();
	for (i = 0; res != NULL && i < PQntuples(res); i++) {
		json_object_array_add(rows, msglist_live_row(r, res, i));
		moving |= msglist_moving(res, i);
	}
	PQclear(res);
	json_object_object_add(o, "refresh", json_object_new_int(
	    MSGLIST_POLL_SECS));
	json_object_object_add(o, "moving", json_object_new_boolean(moving));
	if (since->s != NULL)
		json_object_object_add(o, "newer", json_object_new_int(newer));
	json_object_object_add(o, "rows", rows);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* GET /whatsapp/queue/live.json: the Queue tab's rows, live. */
static int
messages_queue_live(struct req *r)
{
	return msgpage_live(r, MSGTAB_QUEUE);
}

/* GET /whatsapp/sent/live.json: the Sent tab's rows, live. */
static int
messages_sent_live(struct req *r)
{
	return msgpage_live(r, MSGTAB_SENT);
}

#define MSGPAGE_LIST_INPUTS \
	.inputs = msglist_in, .ninputs = MSGLIST_IN_AFTER + 1

/* The tabs take the lists' inputs up to the cursor, their live JSON all
 * of them; the detail page only the notice. */
static const struct route messages_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp/queue",
	    .handler = messages_queue, .name = "msg_queue",
	    .auth = AUTH_SESSION, MSGPAGE_LIST_INPUTS },
	{ .method = METHOD_GET, .pattern = "/whatsapp/sent",
	    .handler = messages_sent, .name = "msg_sent", .auth = AUTH_SESSION,
	    MSGPAGE_LIST_INPUTS },
	{ .method = METHOD_GET, .pattern = "/whatsapp/received",
	    .handler = messages_received, .name = "msg_received",
	    .auth = AUTH_SESSION, MSGPAGE_LIST_INPUTS },
	{ .method = METHOD_GET, .pattern = "/whatsapp/scheduled",
	    .handler = messages_scheduled, .name = "msg_scheduled",
	    .auth = AUTH_SESSION, MSGPAGE_LIST_INPUTS },
	/* The pages' own script polls these (docs/live.md): session auth,
	 * answered as JSON (401, not a redirect, when signed out). */
	{ .method = METHOD_GET, .pattern = "/whatsapp/queue/live.json",
	    .handler = messages_queue_live, .name = "msg_queue_live",
	    .kind = KIND_API, .auth = AUTH_SESSION, ROUTE_INPUTS(msglist_in) },
	{ .method = METHOD_GET, .pattern = "/whatsapp/sent/live.json",
	    .handler = messages_sent_live, .name = "msg_sent_live",
	    .kind = KIND_API, .auth = AUTH_SESSION, ROUTE_INPUTS(msglist_in) },
	{ .method = METHOD_GET, .pattern = "/whatsapp/messages/{int}",
	    .handler = messages_detail, .name = "msg_detail",
	    .auth = AUTH_SESSION, .inputs = msglist_in,
	    .ninputs = MSGLIST_IN_DONE + 1 },
};

const struct module messages_module = {
	.name = "messages",
	MODULE_ROUTES(messages_routes),
	MODULE_SQL(messages_sql),
	MODULE_STRINGS(messages_strings),
};
