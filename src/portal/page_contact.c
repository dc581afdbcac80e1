/* page_contact.c: one contact's page: every field, the consent history (paged, and as CSV), the messages to and from the number (keyset pages), and deleting it after a confirmation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"
#include "csvout.h"
#include "groups.h"
#include "page_msg.h"

#define CT_MSG_PAGE	50
#define CT_CONSENTS	20	/* consent changes a page shows */
#define CT_BCASTS	20	/* broadcasts it shows, newest first */

enum { CP_IN_BEFORE, CP_IN_CBEFORE, CP_IN__MAX };

static const struct input cp_in[CP_IN__MAX] = {
	[CP_IN_BEFORE] = { "before", input_id, 0 },
	[CP_IN_CBEFORE] = { "cbefore", input_id, 0 },
};

/* A time in the customer's zone and in UTC for <time>. */
#define CP_TIME(c, name) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '') AS " name ", coalesce(to_char(" c \
	" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS " \
	name "_iso"

enum {
	CPG_ID, CPG_PHONE, CPG_NAME, CPG_EMAIL, CPG_LANGUAGE, CPG_NOTES,
	CPG_TAGS, CPG_FIELDS, CPG_STATUS, CPG_SOURCE, CPG_CONSENT,
	CPG_CONSENT_ISO, CPG_CREATED, CPG_CREATED_ISO, CPG_UPDATED,
	CPG_UPDATED_ISO, CPG_LAST_IN, CPG_LAST_IN_ISO, CPG_LAST_OUT,
	CPG_LAST_OUT_ISO, CPG__MAX
};
enum {
	CPC_ID, CPC_STATUS, CPC_SOURCE, CPC_NOTE, CPC_AT, CPC_AT_ISO, CPC__MAX
};
enum {
	CPM_ID, CPM_DIRECTION, CPM_STATUS, CPM_TEXT, CPM_AT, CPM_AT_ISO,
	CPM__MAX
};
enum { CPD_N, CPD__MAX };
enum {
	CPB_ID, CPB_NAME, CPB_STATUS, CPB_AT, CPB_AT_ISO, CPB_TOTAL, CPB__MAX
};
enum {
	CPX_KEY, CPX_AT, CPX_STATUS, CPX_SOURCE, CPX_NOTE, CPX_INSTANCE,
	CPX_MESSAGE, CPX__MAX
};

enum {
	CP_GET,
	CP_CONSENTS,
	CP_MESSAGES,
	CP_DELETE,
	CP_CONSENTS_CSV,
	CP_BROADCASTS,
	CP__MAX
};

static const struct stmt cp_sql[CP__MAX] = {
	/* Contact $1 of customer $2, every column for the page. */
	[CP_GET] = { "contact.get",
	    "SELECT c.id, c.phone, c.name, c.email, c.language, c.notes, "
	    "c.tags::text AS tags, c.fields::text AS fields, c.status, "
	    "c.consent_source, " CP_TIME("c.consent_at", "consent_at") ", "
	    CP_TIME("c.created_at", "created") ", "
	    CP_TIME("c.updated_at", "updated") ", "
	    CP_TIME("c.last_in_at", "last_in") ", "
	    CP_TIME("c.last_out_at", "last_out") " FROM contacts c "
	    "JOIN users u ON u.id = c.customer_id "
	    "WHERE c.id = $1::bigint AND c.customer_id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(CPG__MAX, [CPG_ID] = "id",
	    [CPG_PHONE] = "phone", [CPG_NAME] = "name",
	    [CPG_EMAIL] = "email", [CPG_LANGUAGE] = "language",
	    [CPG_NOTES] = "notes", [CPG_TAGS] = "tags",
	    [CPG_FIELDS] = "fields", [CPG_STATUS] = "status",
	    [CPG_SOURCE] = "consent_source", [CPG_CONSENT] = "consent_at",
	    [CPG_CONSENT_ISO] = "consent_at_iso", [CPG_CREATED] = "created",
	    [CPG_CREATED_ISO] = "created_iso", [CPG_UPDATED] = "updated",
	    [CPG_UPDATED_ISO] = "updated_iso", [CPG_LAST_IN] = "last_in",
	    [CPG_LAST_IN_ISO] = "last_in_iso", [CPG_LAST_OUT] = "last_out",
	    [CPG_LAST_OUT_ISO] = "last_out_iso") },
	/* Its consent changes, newest first, before $3 (CT_CONSENTS + 1). */
	[CP_CONSENTS] = { "contact.consents",
	    "SELECT k.id, k.status, k.source, k.note, " CP_TIME("k.at", "at")
	    " FROM contact_consents k JOIN users u ON u.id = k.customer_id "
	    "WHERE k.contact_id = $1::bigint AND k.customer_id = $2::bigint "
	    "AND ($3::bigint IS NULL OR k.id < $3::bigint) "
	    "ORDER BY k.id DESC LIMIT 21", 3, DB_RETRY,
	    DB_COLS(CPC__MAX, [CPC_ID] = "id", [CPC_STATUS] = "status",
	    [CPC_SOURCE] = "source",
	    [CPC_NOTE] = "note", [CPC_AT] = "at", [CPC_AT_ISO] = "at_iso") },
	/* The messages to and from its number, newest first, before $3. */
	[CP_MESSAGES] = { "contact.messages",
	    "SELECT m.id, m.direction, m.status, left(m.body, 120) AS body, "
	    CP_TIME("coalesce(m.received_at, m.created_at)", "at")
	    " FROM contacts c JOIN users u ON u.id = c.customer_id "
	    "JOIN messages m ON m.customer_id = c.customer_id "
	    "AND m.peer_phone = c.phone "
	    "WHERE c.id = $1::bigint AND c.customer_id = $2::bigint "
	    "AND ($3::bigint IS NULL OR m.id < $3::bigint) "
	    "ORDER BY m.id DESC LIMIT 51", 3, DB_RETRY,
	    DB_COLS(CPM__MAX, [CPM_ID] = "id", [CPM_DIRECTION] = "direction",
	    [CPM_STATUS] = "status", [CPM_TEXT] = "body", [CPM_AT] = "at",
	    [CPM_AT_ISO] = "at_iso") },
	/*
	 * Its whole consent history for the CSV, oldest first, after id $3
	 * (csvout: the key, then the cells; times in UTC).
	 */
	[CP_CONSENTS_CSV] = { "contact.consents_csv",
	    "SELECT k.id AS key, to_char(k.at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at, k.status, k.source, "
	    "k.note, coalesce(k.instance_id::text, '') AS instance, "
	    "coalesce(k.message_id::text, '') AS message "
	    "FROM contact_consents k WHERE k.contact_id = $1::bigint "
	    "AND k.customer_id = $2::bigint AND k.id > $3::bigint "
	    "ORDER BY k.id LIMIT 1000", 3, DB_RETRY,
	    DB_COLS(CPX__MAX, [CPX_KEY] = "key", [CPX_AT] = "at",
	    [CPX_STATUS] = "status", [CPX_SOURCE] = "source",
	    [CPX_NOTE] = "note", [CPX_INSTANCE] = "instance",
	    [CPX_MESSAGE] = "message") },
	/*
	 * The broadcasts contact $1 of customer $2 was sent (its message
	 * queued), newest first, CT_BCASTS of them, with how many in all:
	 * the message's status and when it went (or was queued).
	 */
	[CP_BROADCASTS] = { "contact.broadcasts",
	    "SELECT b.id, b.name, m.status, "
	    CP_TIME("coalesce(m.sent_at, m.created_at)", "at") ", "
	    "count(*) OVER () AS total FROM broadcast_recipients r "
	    "JOIN broadcasts b ON b.id = r.broadcast_id "
	    "AND b.customer_id = $2::bigint JOIN users u ON u.id = b.customer_id "
	    "JOIN messages m ON m.id = r.message_id "
	    "WHERE r.contact_id = $1::bigint ORDER BY b.id DESC LIMIT 20", 2,
	    DB_RETRY, DB_COLS(CPB__MAX, [CPB_ID] = "id", [CPB_NAME] = "name",
	    [CPB_STATUS] = "status", [CPB_AT] = "at", [CPB_AT_ISO] = "at_iso",
	    [CPB_TOTAL] = "total") },
	[CP_DELETE] = { "contact.delete",
	    "WITH d AS (DELETE FROM contacts WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(CPD__MAX, [CPD_N] = "n") },
};

#undef CP_TIME

enum { CPF_DELETED, CPF__MAX };

static const struct flash cp_flashes[CPF__MAX] = {
	[CPF_DELETED] = { "contact_deleted",
	    N_("The contact is deleted. Its messages stay."), "success" },
};

static const struct i18n_key cp_strings[] = {
	T_("cp_back", "Back to the contacts"),
	T_("cp_edit", "Edit"),
	T_("cp_delete", "Delete"),
	T_("cp_details", "Details"),
	T_("cp_language", "Language"),
	T_("cp_consent", "Subscription"),
	T_("cp_consent_since", "since"),
	T_("cp_source", "source"),
	T_("cp_added", "Added"),
	T_("cp_updated", "Changed"),
	T_("cp_last_in", "Last message from them"),
	T_("cp_last_out", "Last message to them"),
	T_("cp_none", "none"),
	T_("cp_history", "Consent history"),
	T_("cp_history_empty", "No change of the subscription yet."),
	T_("cp_history_note", "Newest first. Every change is kept."),
	T_("cp_history_pages", "Pages of the consent history"),
	T_("cp_history_older", "Older changes"),
	T_("cp_history_newest", "Newest changes"),
	T_("cp_history_csv", "Download the history (CSV)"),
	T_("cp_col_when", "When"),
	T_("cp_col_note", "Note"),
	T_("cp_messages", "Messages"),
	T_("cp_messages_empty", "No message to or from this number yet."),
	T_("cp_col_dir", "Direction"),
	T_("cp_col_text", "Text"),
	T_("cp_in", "received"),
	T_("cp_out", "sent"),
	T_("cp_older", "Older"),
	T_("cp_broadcasts", "Broadcasts"),
	T_("cp_broadcasts_empty", "No broadcast was sent to this contact "
	    "yet."),
	T_("cp_broadcasts_more", "The newest 20 shown."),
	T_("cp_col_broadcast", "Broadcast"),
	T_("cp_newest", "Newest"),
	T_("cp_delete_q",
	    "Delete this contact? Its messages stay in your lists; the "
	    "consent history keeps its number."),
	T_("cp_delete_go", "Delete the contact"),
	T_("cp_keep", "Keep it"),
};

/* The consent sources' words (contacts.consent_source). */
static const struct {
	const char	*source;
	const char	*word;
} cp_sources[] = {
	{ "portal", N_("the portal") },
	{ "api", N_("the API") },
	{ "import", N_("an import") },
	{ "keyword", N_("a keyword") },
	{ "double_opt_in", N_("a double opt-in") },
	{ "complaint", N_("a complaint") },
};

static const char *
cp_source_word(struct req *r, const char *source)
{
	size_t	 i;

	for (i = 0; i < sizeof(cp_sources) / sizeof(cp_sources[0]); i++)
		if (strcmp(source, cp_sources[i].source) == 0)
			return req_tr(r, cp_sources[i].word);
	return source;
}

/* Columns first..last of row i of res under their statement's names. */
static void
cp_cols(struct json_object *o, const struct stmt *s, PGresult *res, int i,
    int first, int last)
{
	int	 c;

	for (c = first; c <= last; c++)
		json_object_object_add(o, s->cols[c], json_object_new_string(
		    db_get(res, i, c)));
}

/* The custom fields with the contact's values: [{label, value}]. */
static struct json_object *
cp_fields(struct req *r, const struct ct_ctx *cx, const char *json)
{
	struct json_object	*in = json_tokener_parse(json);
	struct json_object	*out = json_object_new_array(), *f, *v, *o;
	size_t			 i;

	for (i = 0; in != NULL && i < (size_t)cx->nfields; i++) {
		f = json_object_array_get_idx(cx->fields, i);
		v = json_object_object_get(in, json_object_get_string(
		    json_object_object_get(f, "key")));
		o = json_object_new_object();
		json_object_object_add(o, "label", json_object_get(
		    json_object_object_get(f, "label")));
		json_object_object_add(o, "value", json_object_new_string(
		    v == NULL ? "" : json_object_is_type(v, json_type_boolean) ?
		    (json_object_get_boolean(v) ? req_tr(r, N_("yes")) :
		    req_tr(r, N_("no"))) : json_object_get_string(v)));
		json_object_array_add(out, o);
	}
	json_object_put(in);
	return out;
}

/*
 * A page of the consent history ([{status, status_word, source, note, at,
 * at_iso}]) and the links to the newest and the older changes.
 */
static void
cp_consents(struct req *r, PGresult *res, const char *id,
    struct json_object *v)
{
	struct json_object	*out = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);
	int			 shown = n > CT_CONSENTS ? CT_CONSENTS : n;
	char			 url[96];

	for (i = 0; i < shown; i++) {
		o = json_object_new_object();
		cp_cols(o, &cp_sql[CP_CONSENTS], res, i, CPC_STATUS,
		    CPC_AT_ISO);
		json_object_object_add(o, "status_word", json_object_new_string(
		    ct_status_word(r, db_get(res, i, CPC_STATUS))));
		json_object_object_add(o, "source_word", json_object_new_string(
		    cp_source_word(r, db_get(res, i, CPC_SOURCE))));
		json_object_array_add(out, o);
	}
	json_object_object_add(v, "consents", out);
	json_object_object_add(v, "has_consents", json_object_new_boolean(
	    shown > 0));
	json_object_object_add(v, "consents_paged", json_object_new_boolean(
	    r->in[CP_IN_CBEFORE].s != NULL));
	json_object_object_add(v, "consents_pager", json_object_new_boolean(
	    r->in[CP_IN_CBEFORE].s != NULL || n > CT_CONSENTS));
	if (n > CT_CONSENTS) {
		snprintf(url, sizeof(url), "/contacts/%s?cbefore=%s#cp-history",
		    id, db_get(res, shown - 1, CPC_ID));
		json_object_object_add(v, "consents_older_url",
		    json_object_new_string(url));
	}
}

/* A page of messages and the link to the older ones. */
static void
cp_messages(struct req *r, PGresult *res, const char *id,
    struct json_object *v)
{
	struct json_object	*out = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);
	int			 shown = n > CT_MSG_PAGE ? CT_MSG_PAGE : n;
	char			 url[96];

	for (i = 0; i < shown; i++) {
		o = json_object_new_object();
		cp_cols(o, &cp_sql[CP_MESSAGES], res, i, CPM_ID, CPM_AT_ISO);
		json_object_object_add(o, "inbound", json_object_new_boolean(
		    strcmp(db_get(res, i, CPM_DIRECTION), "in") == 0));
		json_object_object_add(o, "status_word", json_object_new_string(
		    msglist_status_word(req_lang(r), db_get(res, i,
		    CPM_STATUS))));
		json_object_array_add(out, o);
	}
	json_object_object_add(v, "messages", out);
	json_object_object_add(v, "has_messages", json_object_new_boolean(
	    shown > 0));
	if (n > CT_MSG_PAGE) {
		snprintf(url, sizeof(url), "/contacts/%s?before=%s#messages",
		    id, db_get(res, shown - 1, CPM_ID));
		json_object_object_add(v, "older_url",
		    json_object_new_string(url));
	}
}

/*
 * The broadcasts it was sent ([{id, name, status, status_word, at,
 * at_iso}], broadcasts_total, broadcasts_more): 0, or -1 when the
 * database failed.
 */
static int
cp_broadcasts(struct req *r, struct json_object *v)
{
	struct json_object	*out = json_object_new_array(), *o;
	const char		*p[2] = { r->args[0], r->cid };
	PGresult		*res;
	int			 i, n;

	if ((res = db_exec(&r->app->db, &cp_sql[CP_BROADCASTS], p)) == NULL) {
		json_object_put(out);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		cp_cols(o, &cp_sql[CP_BROADCASTS], res, i, CPB_ID, CPB_AT_ISO);
		json_object_object_add(o, "status_word", json_object_new_string(
		    msglist_status_word(req_lang(r), db_get(res, i,
		    CPB_STATUS))));
		json_object_array_add(out, o);
	}
	json_object_object_add(v, "broadcasts", out);
	json_object_object_add(v, "broadcasts_total", json_object_new_string(
	    n > 0 ? db_get(res, 0, CPB_TOTAL) : "0"));
	json_object_object_add(v, "broadcasts_more", json_object_new_boolean(
	    n > 0 && db_getll(res, 0, CPB_TOTAL) > CT_BCASTS));
	json_object_object_add(v, "has_broadcasts", json_object_new_boolean(
	    n > 0));
	PQclear(res);
	return 0;
}

/* The contact's own values for the page. */
static struct json_object *
cp_contact(struct req *r, const struct ct_ctx *cx, PGresult *res)
{
	struct json_object	*c = json_object_new_object();

	cp_cols(c, &cp_sql[CP_GET], res, 0, CPG_ID, CPG_LAST_OUT_ISO);
	json_object_object_add(c, "status_word", json_object_new_string(
	    ct_status_word(r, db_get(res, 0, CPG_STATUS))));
	json_object_object_add(c, "source_word", json_object_new_string(
	    cp_source_word(r, db_get(res, 0, CPG_SOURCE))));
	json_object_object_add(c, "chips", ct_tag_chips(cx,
	    db_get(res, 0, CPG_TAGS)));
	json_object_object_add(c, "field_values", cp_fields(r, cx,
	    db_get(res, 0, CPG_FIELDS)));
	return c;
}

/* GET /contacts/{id} */
static int
cp_page(struct req *r)
{
	struct json_object	*v;
	struct ct_ctx		 cx;
	const char		*pm[3] = { r->args[0], r->cid,
				    r->in[CP_IN_BEFORE].s };
	const char		*pc[3] = { r->args[0], r->cid,
				    r->in[CP_IN_CBEFORE].s };
	PGresult		*res, *cons = NULL, *msgs = NULL;
	int			 status = 0, rc;

	if ((res = req_owned(r, &cp_sql[CP_GET], &status)) == NULL)
		return status;
	if (ct_ctx_load(r, &cx) == -1 || (cons = db_exec(&r->app->db,
	    &cp_sql[CP_CONSENTS], pc)) == NULL || (msgs = db_exec(&r->app->db,
	    &cp_sql[CP_MESSAGES], pm)) == NULL) {
		PQclear(res);
		PQclear(cons);
		ct_ctx_free(&cx);
		return 503;
	}
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    *db_get(res, 0, CPG_NAME) != '\0' ? db_get(res, 0, CPG_NAME) :
	    db_get(res, 0, CPG_PHONE)));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "contact", cp_contact(r, &cx, res));
	cp_consents(r, cons, r->args[0], v);
	/* the double opt-in lists waiting for it (page_group_optin.c) */
	rc = gr_contact_pending(r, r->args[0], v);
	if (rc == 0 && cp_broadcasts(r, v) == -1)
		rc = -1;
	json_object_object_add(v, "has_fields", json_object_new_boolean(
	    cx.nfields > 0));
	json_object_object_add(v, "paged", json_object_new_boolean(
	    r->in[CP_IN_BEFORE].s != NULL));
	cp_messages(r, msgs, r->args[0], v);
	json_object_object_add(v, "tz", json_object_new_string(cx.tz));
	PQclear(res);
	PQclear(cons);
	PQclear(msgs);
	ct_ctx_free(&cx);
	if (rc == 0)
		rc = resp_html(r, 200, "contact", v);
	else
		rc = 503;
	json_object_put(v);
	return rc;
}

/*
 * GET /contacts/{id}/consents.csv: the whole consent history, oldest
 * first: time (UTC), status, source, note, instance and message ids.
 */
static int
cp_consents_csv(struct req *r)
{
	static const char *const head[] = { "at", "status", "source",
	    "note", "instance_id", "message_id" };
	const char	*params[3] = { r->args[0], r->cid, NULL };
	char		 name[64];
	struct csvout	 c = { &cp_sql[CP_CONSENTS_CSV], params, 3, head, 6,
			    1000, name };
	PGresult	*res;
	int		 status = 0;

	if ((res = req_owned(r, &cp_sql[CP_GET], &status)) == NULL)
		return status;
	PQclear(res);
	snprintf(name, sizeof(name), "contact-%s-consents.csv", r->args[0]);
	return csvout_send(r, &c);
}

/* GET /contacts/{id}/delete: ask first, naming the contact. */
static int
cp_delete_ask(struct req *r)
{
	struct json_object	*v, *c;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = req_owned(r, &cp_sql[CP_GET], &status)) == NULL)
		return status;
	v = json_object_new_object();
	c = json_object_new_object();
	cp_cols(c, &cp_sql[CP_GET], res, 0, CPG_ID, CPG_EMAIL);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Delete")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "contact", c);
	PQclear(res);
	rc = resp_html(r, 200, "contact_delete", v);
	json_object_put(v);
	return rc;
}

/* POST /contacts/{id}/delete */
static int
cp_delete(struct req *r)
{
	const char	*p[2] = { r->args[0], r->cid };
	PGresult	*res;
	int64_t		 n;

	if ((res = db_exec(&r->app->db, &cp_sql[CP_DELETE], p)) == NULL)
		return 503;
	n = db_getll(res, 0, CPD_N);
	PQclear(res);
	if (n == 0)
		return 404;
	flash_set(r, &cp_flashes[CPF_DELETED]);
	return resp_redirect(r, 303, "/contacts");
}

static const struct route cp_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/{int}",
	    .handler = cp_page, .name = "contact", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(cp_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/{int}/consents.csv",
	    .handler = cp_consents_csv, .name = "contact_consents_csv",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/contacts/{int}/delete",
	    .handler = cp_delete_ask, .name = "contact_delete_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/{int}/delete",
	    .handler = cp_delete, .name = "contact_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module contact_module = {
	.name = "contact",
	MODULE_ROUTES(cp_routes),
	MODULE_SQL(cp_sql),
	MODULE_STRINGS(cp_strings),
	MODULE_FLASHES(cp_flashes),
};
