/* page_groups.c: contact groups in the portal: the list with their counters and the create form, a group's page (its counters read in O(1), its growth over 30 days, edit), and delete after a confirmation; at most 500 per customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "bcast_state.h"
#include "contacts.h"
#include "groups.h"

#define GR_PAGE		50

enum { GR_IN_NAME, GR_IN_DESC, GR_IN_KIND, GR_IN_FILTER, GR_IN_CONFIRM,
    GR_IN__MAX };
enum { GR_IN_BEFORE, GR_IN_PREFILL, GR_IN_LIST__MAX };

static const struct input gr_in[GR_IN__MAX] = {
	[GR_IN_NAME] = { "name", input_trimmed, 0 },
	[GR_IN_DESC] = { "description", input_text, 0 },
	[GR_IN_KIND] = { "kind", input_trimmed, 0 },
	[GR_IN_FILTER] = { "filter", input_trimmed, 0 },
	[GR_IN_CONFIRM] = { "confirm", input_trimmed, 0 },
};
static const struct input gr_in_list[GR_IN_LIST__MAX] = {
	[GR_IN_BEFORE] = { "before", input_id, 0 },
	[GR_IN_PREFILL] = { "filter", input_trimmed, 0 },
};

enum {
	GRL_ID, GRL_NAME, GRL_DESC, GRL_KIND, GRL_FILTER, GRL_MEMBERS,
	GRL_SUBSCRIBED, GRL_UNSUBSCRIBED, GRL_CREATED, GRL_CONFIRM,
	GRL_PENDING, GRL_EXPIRED, GRL_TOTAL, GRL__MAX
};
enum { GRD_DAY, GRD_JOINED, GRD_LEFT, GRD_INS, GRD_OUTS, GRD_MEMBERS,
    GRD__MAX };
enum { GRN_N, GRN__MAX };
enum { GRB_ID, GRB_NAME, GRB_STATE, GRB_STARTED, GRB_RECIPIENTS, GRB_SENT,
    GRB_DELIVERED, GRB_READ, GRB_FAILED, GRB_REPLIED, GRB_OPTED_OUT,
    GRB__MAX };

enum {
	GR_LIST,
	GR_GET,
	GR_DAYS,
	GR_BCASTS,
	GR_CREATE,
	GR_UPDATE,
	GR_DELETE,
	GR__MAX
};

/* A group row's columns, from contact_groups g and users u. */
#define GR_COLS \
	"g.id, g.name, g.description, g.kind, g.filter, g.members, " \
	"g.subscribed, g.unsubscribed, to_char(g.created_at AT TIME ZONE " \
	"u.time_zone, 'YYYY-MM-DD') AS created, g.confirm, g.pending, " \
	"g.expired, "
#define GR_COL_NAMES \
	DB_COLS(GRL__MAX, [GRL_ID] = "id", [GRL_NAME] = "name", \
	[GRL_DESC] = "description", [GRL_KIND] = "kind", \
	[GRL_FILTER] = "filter", [GRL_MEMBERS] = "members", \
	[GRL_SUBSCRIBED] = "subscribed", \
	[GRL_UNSUBSCRIBED] = "unsubscribed", [GRL_CREATED] = "created", \
	[GRL_CONFIRM] = "confirm", [GRL_PENDING] = "pending", \
	[GRL_EXPIRED] = "expired", \
	[GRL_TOTAL] = "total")

static const struct stmt gr_sql[GR__MAX] = {
	/* A page of customer $1's groups, newest first, before id $2. */
	[GR_LIST] = { "groups.list",
	    "SELECT " GR_COLS "(SELECT count(*) FROM contact_groups x "
	    "WHERE x.customer_id = $1::bigint) AS total "
	    "FROM contact_groups g JOIN users u ON u.id = g.customer_id "
	    "WHERE g.customer_id = $1::bigint AND ($2::bigint IS NULL OR "
	    "g.id < $2::bigint) ORDER BY g.id DESC LIMIT 51", 2, DB_RETRY,
	    GR_COL_NAMES },
	/* Group $1 of customer $2. */
	[GR_GET] = { "groups.get",
	    "SELECT " GR_COLS "0 AS total FROM contact_groups g "
	    "JOIN users u ON u.id = g.customer_id "
	    "WHERE g.id = $1::bigint AND g.customer_id = $2::bigint", 2,
	    DB_RETRY, GR_COL_NAMES },
	/*
	 * Group $1's last 30 days in the customer's zone, oldest first:
	 * joins, leaves, opt-ins and opt-outs (its members' consent log
	 * entries, sql/0026), and the members at the end of each day (the
	 * members now less the net changes after it).
	 */
	[GR_DAYS] = { "groups.days",
	    "WITH t AS (SELECT (wa_now() AT TIME ZONE u.time_zone)::date AS "
	    "today, g.members FROM contact_groups g JOIN users u ON "
	    "u.id = g.customer_id WHERE g.id = $1::bigint), "
	    "d AS (SELECT s::date AS day, coalesce(x.joined, 0) AS joined, "
	    "coalesce(x.left_, 0) AS left_, coalesce(x.log_ins, 0) AS ins, "
	    "coalesce(x.out_keyword + x.out_import + x.out_api + x.out_portal "
	    "+ x.out_double_opt_in + x.out_complaint, 0) AS outs "
	    "FROM t, generate_series("
	    "t.today - 29, t.today, interval '1 day') s LEFT JOIN "
	    "contact_group_days x ON x.group_id = $1::bigint AND "
	    "x.day = s::date) "
	    "SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.joined, "
	    "d.left_ AS left, d.ins, d.outs, t.members - coalesce(sum(d.joined - d.left_) "
	    "OVER (ORDER BY d.day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND "
	    "1 PRECEDING), 0) AS members FROM d, t ORDER BY d.day", 1,
	    DB_RETRY, DB_COLS(GRD__MAX, [GRD_DAY] = "day",
	    [GRD_JOINED] = "joined", [GRD_LEFT] = "left", [GRD_INS] = "ins",
	    [GRD_OUTS] = "outs", [GRD_MEMBERS] = "members") },
	/*
	 * The last 5 broadcasts of customer $2 sent to group $1 (one of
	 * their sources), newest first, with their counters (sql/0029).
	 */
	[GR_BCASTS] = { "groups.broadcasts",
	    "SELECT b.id, b.name, b.state, coalesce(to_char(b.started_at AT "
	    "TIME ZONE u.time_zone, 'YYYY-MM-DD'), '') AS started, "
	    "b.recipients, b.sent, b.delivered, b.read, b.failed, b.replied, "
	    "b.opted_out FROM broadcasts b JOIN users u ON u.id = b.customer_id "
	    "WHERE b.customer_id = $2::bigint AND b.state <> 'draft' "
	    "AND EXISTS (SELECT 1 FROM broadcast_sources s WHERE "
	    "s.broadcast_id = b.id AND s.kind IN ('list', 'segment') "
	    "AND s.ref_id = $1::bigint) ORDER BY b.id DESC LIMIT 5", 2,
	    DB_RETRY, DB_COLS(GRB__MAX, [GRB_ID] = "id", [GRB_NAME] = "name",
	    [GRB_STATE] = "state", [GRB_STARTED] = "started",
	    [GRB_RECIPIENTS] = "recipients", [GRB_SENT] = "sent",
	    [GRB_DELIVERED] = "delivered", [GRB_READ] = "read",
	    [GRB_FAILED] = "failed", [GRB_REPLIED] = "replied",
	    [GRB_OPTED_OUT] = "opted_out") },
	/* A group of customer $1 unless it has GROUPS_MAX already. */
	[GR_CREATE] = { "groups.create",
	    "INSERT INTO contact_groups (customer_id, name, description, kind, "
	    "filter, confirm) SELECT $1::bigint, $2, $3, $4, $5, $6::boolean "
	    "WHERE (SELECT count(*) FROM contact_groups WHERE customer_id = "
	    "$1::bigint) < 500 RETURNING id AS n", 6, DB_ONCE, DB_COLS(GRN__MAX, [GRN_N] = "n") },
	/* Name $3, description $4, (a segment's) filter $5 and (a list's)
	 * double opt-in $6 of group $1. */
	[GR_UPDATE] = { "groups.update",
	    "WITH u AS (UPDATE contact_groups SET name = $3, description = $4, "
	    "filter = CASE WHEN kind = 'segment' THEN $5 ELSE '' END, "
	    "confirm = kind = 'list' AND $6::boolean "
	    "WHERE id = $1::bigint AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM u", 6, DB_ONCE,
	    DB_COLS(GRN__MAX, [GRN_N] = "n") },
	/* The members go with it; the contacts stay. */
	[GR_DELETE] = { "groups.delete",
	    "WITH d AS (DELETE FROM contact_groups WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(GRN__MAX, [GRN_N] = "n") },
};

enum { GRF_ADDED, GRF_SAVED, GRF_DELETED, GRF__MAX };

static const struct flash gr_flashes[GRF__MAX] = {
	[GRF_ADDED] = { "group_added", N_("The group is added."), "success" },
	[GRF_SAVED] = { "group_saved", N_("The group is saved."), "success" },
	[GRF_DELETED] = { "group_deleted",
	    N_("The group is deleted. Its contacts stay."), "success" },
};

static const struct i18n_key gr_strings[] = {
	T_("gr_title", "Contact groups"),
	T_("gr_lead", "Lists you fill by hand, by selection or by the API, "
	    "and segments: saved filters whose members are resolved when used."),
	T_("gr_count", "groups of at most 500"),
	T_("gr_col_group", "Group"),
	T_("gr_col_kind", "Kind"),
	T_("gr_col_members", "Members"),
	T_("gr_col_subscribed", "Subscribed"),
	T_("gr_col_created", "Created"),
	T_("gr_list", "list"),
	T_("gr_segment", "segment"),
	T_("gr_resolved", "resolved when used"),
	T_("gr_empty", "No contact groups yet. Add a list below, or filter "
	    "your contacts and save the filters as a segment."),
	T_("gr_new", "Add a group"),
	T_("gr_name", "Name"),
	T_("gr_desc", "Description"),
	T_("gr_kind", "Kind"),
	T_("gr_kind_list", "List: members added by hand, by selection or by the API"),
	T_("gr_kind_segment", "Segment: the contacts matching saved filters"),
	T_("gr_filter", "Filters of a segment"),
	T_("gr_filter_hint", "As the Contacts page's address shows them after "
	    "the question mark, such as status=subscribed&any=3."),
	T_("gr_add", "Add the group"),
	T_("gr_newest", "Newest groups"),
	T_("gr_older", "Older groups"),
	T_("gr_back", "All groups"),
	T_("gr_members", "Members"),
	T_("gr_show", "Show the members"),
	T_("gr_send", "Send to this group"),
	T_("gr_show_hint", "Search, filter and act on them as on the Contacts page."),
	T_("gr_analytics", "Its subscription analytics"),
	T_("gr_by_status", "Members by subscription"),
	T_("gr_unknown", "Unknown"),
	T_("gr_unsubscribed", "Unsubscribed"),
	T_("gr_matching", "Contacts matching now"),
	T_("gr_more", "more than 10,000"),
	T_("gr_growth", "Growth over 30 days"),
	T_("gr_bcasts", "Last broadcasts to this group"),
	T_("gr_bcasts_none",
	    "No broadcast was sent to this group yet. \"Send to this group\" "
	    "starts one."),
	T_("gr_b_name", "Broadcast"),
	T_("gr_b_started", "Started"),
	T_("gr_b_state", "State"),
	T_("gr_b_recipients", "Recipients"),
	T_("gr_b_sent", "Sent"),
	T_("gr_b_delivered", "Delivered"),
	T_("gr_b_read", "Read"),
	T_("gr_b_failed", "Failed"),
	T_("gr_b_replied", "Replied"),
	T_("gr_b_opted_out", "Opted out"),
	T_("gr_growth_chart", "Members at the end of each of the last 30 days"),
	T_("gr_growth_table", "The figures of each day"),
	T_("gr_day", "Day"),
	T_("gr_joined", "Joined"),
	T_("gr_left", "Left"),
	T_("gr_ins", "Opted in"),
	T_("gr_outs", "Opted out"),
	T_("gr_edit", "Edit the group"),
	T_("gr_save", "Save"),
	T_("gr_delete", "Delete the group"),
	T_("gr_delete_q", "Delete this group? Its contacts stay; only the "
	    "group and its membership go."),
	T_("gr_delete_go", "Delete the group"),
	T_("gr_keep", "Keep it"),
	T_("gr_add_members", "To add members, select contacts on the Contacts "
	    "page and choose Add to a list."),
	T_("gr_confirm", "New members confirm by WhatsApp (double opt-in)"),
	T_("gr_confirm_hint", "A new member stays pending, and gets nothing "
	    "sent to the list, until they reply YES to the confirmation "
	    "message; unconfirmed after 7 days, they leave."),
	T_("gr_pending", "Pending confirmation"),
	T_("gr_expired", "Expired unconfirmed"),
	T_("gr_pending_show", "Pending members and resend"),
};

/* A list's double opt-in and its pending and expired counters into o. */
static void
gr_optin_row(PGresult *res, int i, struct json_object *o)
{
	char	 num[32];

	json_object_object_add(o, "confirm", json_object_new_boolean(
	    db_getb(res, i, GRL_CONFIRM)));
	ct_number(db_getll(res, i, GRL_PENDING), num, sizeof(num));
	json_object_object_add(o, "pending", json_object_new_string(num));
	ct_number(db_getll(res, i, GRL_EXPIRED), num, sizeof(num));
	json_object_object_add(o, "expired", json_object_new_string(num));
	json_object_object_add(o, "has_optin", json_object_new_boolean(
	    db_getb(res, i, GRL_CONFIRM) || db_getll(res, i, GRL_PENDING) > 0));
}

/* A row of groups.list or groups.get as the template's object. */
static struct json_object *
gr_row(PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int64_t			 m = db_getll(res, i, GRL_MEMBERS);
	int64_t			 s = db_getll(res, i, GRL_SUBSCRIBED);
	int64_t			 u = db_getll(res, i, GRL_UNSUBSCRIBED);
	int			 c;
	char			 num[32];

	for (c = GRL_ID; c <= GRL_FILTER; c++)
		json_object_object_add(o, gr_sql[GR_LIST].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	json_object_object_add(o, "created", json_object_new_string(
	    db_get(res, i, GRL_CREATED)));
	json_object_object_add(o, "is_list", json_object_new_boolean(
	    strcmp(db_get(res, i, GRL_KIND), "list") == 0));
	ct_number(m, num, sizeof(num));
	json_object_object_add(o, "members", json_object_new_string(num));
	ct_number(s, num, sizeof(num));
	json_object_object_add(o, "subscribed", json_object_new_string(num));
	ct_number(u, num, sizeof(num));
	json_object_object_add(o, "unsubscribed", json_object_new_string(num));
	ct_number(m - s - u, num, sizeof(num));
	json_object_object_add(o, "unknown", json_object_new_string(num));
	gr_optin_row(res, i, o);
	return o;
}

/* A filter's canonical query string (what the Contacts page writes), in
 * the request's memory. */
static const char *
gr_canonical(struct req *r, const struct aud_filter *f)
{
	struct buf	 q = BUF_INIT;
	const char	*s;

	aud_filter_query(f, &q);
	s = req_strndup(r, buf_str(&q), q.len);
	buf_free(&q);
	return s;
}

/*
 * The form's fields into g (kind fixed when editing: not NULL), each
 * checked, a segment's filters against the customer's fields and lists:
 * 0, -1 with the reasons in g, or 503 when the database failed.
 */
static int
gr_form_read(struct req *r, struct gr_form *g, const char *kind)
{
	struct ct_ctx		 cx;
	struct aud_filter	 f;
	const char		*s;

	memset(g, 0, sizeof(*g));
	g->name = (s = r->in[GR_IN_NAME].s) != NULL ? s : "";
	g->desc = (s = r->in[GR_IN_DESC].s) != NULL ? s : "";
	g->kind = kind != NULL ? kind : (s = r->in[GR_IN_KIND].s) != NULL ?
	    s : "";
	g->filter = (s = r->in[GR_IN_FILTER].s) != NULL ? s : "";
	g->confirm = strcmp(g->kind, "list") == 0 &&
	    (s = r->in[GR_IN_CONFIRM].s) != NULL && strcmp(s, "1") == 0;
	if (*g->name == '\0' || text_field_ok(g->name, strlen(g->name),
	    GR_NAME_MAX, 0, NULL) != 0)
		g->name_err = gr_err_name;
	if (text_field_ok(g->desc, strlen(g->desc), GR_DESC_MAX, 1, NULL) != 0)
		g->desc_err = gr_err_desc;
	if (strcmp(g->kind, "list") != 0 && strcmp(g->kind, "segment") != 0) {
		g->kind = "list";
		g->kind_err = gr_err_kind;
	} else if (strcmp(g->kind, "segment") == 0) {
		if (ct_ctx_load(r, &cx) == -1)
			return 503;
		if (strlen(g->filter) > 4096 ||
		    ct_filter_parse(&cx, g->filter, &f) == -1)
			g->filter_err = gr_err_filter;
		else if (aud_filter_empty(&f))
			g->filter_err = gr_err_no_filter;
		else
			g->filter = gr_canonical(r, &f);
		ct_ctx_free(&cx);
	}
	return g->name_err || g->desc_err || g->kind_err || g->filter_err ?
	    -1 : 0;
}

/* The list page: its rows, the pager and the create form. */
static int
gr_render(struct req *r, int status, const struct gr_form *g)
{
	struct json_object	*v = json_object_new_object(), *rows;
	const char		*p[2] = { r->cid, r->in[GR_IN_BEFORE].s };
	PGresult		*res;
	char			 url[64];
	int			 i, n, rc;

	if (r->route->method == METHOD_POST)
		p[1] = NULL;
	if ((res = db_exec(&r->app->db, &gr_sql[GR_LIST], p)) == NULL) {
		json_object_put(v);
		return 503;
	}
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < GR_PAGE; i++)
		json_object_array_add(rows, gr_row(res, i));
	json_object_object_add(v, "groups", rows);
	json_object_object_add(v, "has_groups", json_object_new_boolean(n > 0));
	json_object_object_add(v, "ngroups", json_object_new_int64(n > 0 ?
	    db_getll(res, 0, GRL_TOTAL) : 0));
	if (n > GR_PAGE) {
		snprintf(url, sizeof(url), "/contacts/groups?before=%s",
		    db_get(res, GR_PAGE - 1, GRL_ID));
		json_object_object_add(v, "next_url", json_object_new_string(
		    url));
	}
	json_object_object_add(v, "paged", json_object_new_boolean(
	    p[1] != NULL));
	PQclear(res);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Contact groups")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	gr_form_view(r, g, v);
	rc = resp_html(r, status, "groups", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/groups[?before=][&filter=]: a filter prefills a segment. */
static int
gr_list(struct req *r)
{
	const char	*f = r->in[GR_IN_PREFILL].s;
	struct gr_form	 g = { .name = "", .desc = "",
			    .kind = f != NULL && *f != '\0' ? "segment" :
			    "list", .filter = f != NULL ? f : "" };

	return gr_render(r, 200, &g);
}

/* The statement's failure as the form's reason; NULL: not the form's. */
static const char *
gr_db_reason(struct req *r)
{
	return strcmp(r->app->db.sqlstate, "23505") == 0 ? gr_err_dup : NULL;
}

/* POST /contacts/groups */
static int
gr_create(struct req *r)
{
	struct gr_form	 g;
	const char	*p[6];
	PGresult	*res;
	char		 loc[64];
	int		 rc;

	if ((rc = gr_form_read(r, &g, NULL)) != 0)
		return rc == -1 ? gr_render(r, 422, &g) : rc;
	p[0] = r->cid, p[1] = g.name, p[2] = g.desc, p[3] = g.kind;
	p[4] = strcmp(g.kind, "segment") == 0 ? g.filter : "";
	p[5] = g.confirm ? "true" : "false";
	if ((res = db_exec(&r->app->db, &gr_sql[GR_CREATE], p)) == NULL) {
		if ((g.name_err = gr_db_reason(r)) == NULL)
			return 503;
		return gr_render(r, 422, &g);
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		g.name_err = gr_err_max;
		return gr_render(r, 422, &g);
	}
	snprintf(loc, sizeof(loc), "/contacts/groups/%s", db_get(res, 0,
	    GRN_N));
	PQclear(res);
	flash_set(r, &gr_flashes[GRF_ADDED]);
	return resp_redirect(r, 303, loc);
}

/* The 30 days' rows as the table's and the chart's. */
static void
gr_days_view(PGresult *res, struct json_object *v)
{
	struct json_object	*days = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "day", json_object_new_string(
		    db_get(res, i, GRD_DAY)));
		json_object_object_add(o, "joined", json_object_new_string(
		    db_get(res, i, GRD_JOINED)));
		json_object_object_add(o, "left", json_object_new_string(
		    db_get(res, i, GRD_LEFT)));
		json_object_object_add(o, "ins", json_object_new_string(
		    db_get(res, i, GRD_INS)));
		json_object_object_add(o, "outs", json_object_new_string(
		    db_get(res, i, GRD_OUTS)));
		json_object_object_add(o, "members", json_object_new_string(
		    db_get(res, i, GRD_MEMBERS)));
		json_object_array_add(days, o);
	}
	json_object_object_add(v, "days", days);
	json_object_object_add(v, "bars", gr_chart(res, GRD_MEMBERS));
	json_object_object_add(v, "has_days", json_object_new_boolean(n > 0));
}

/* The last broadcasts sent to the group, as the page's table. */
static int
gr_bcasts_view(struct req *r, struct json_object *v)
{
	static const int	 cols[] = { GRB_ID, GRB_NAME, GRB_STARTED,
				    GRB_RECIPIENTS, GRB_SENT, GRB_DELIVERED,
				    GRB_READ, GRB_FAILED, GRB_REPLIED,
				    GRB_OPTED_OUT };
	struct json_object	*a = json_object_new_array(), *o;
	char			 cid[24];
	const char		*p[2] = { r->args[0], cid };
	PGresult		*res;
	int			 i, k;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &gr_sql[GR_BCASTS], p)) == NULL) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		for (k = 0; k < (int)(sizeof(cols) / sizeof(cols[0])); k++)
			json_object_object_add(o, gr_sql[GR_BCASTS].cols[cols[k]],
			    json_object_new_string(db_get(res, i, cols[k])));
		json_object_object_add(o, "state", json_object_new_string(
		    db_get(res, i, GRB_STATE)));
		json_object_object_add(o, "state_word", json_object_new_string(
		    bc_state_word(r, db_get(res, i, GRB_STATE))));
		json_object_array_add(a, o);
	}
	json_object_object_add(v, "has_broadcasts",
	    json_object_new_boolean(PQntuples(res) > 0));
	json_object_object_add(v, "broadcasts", a);
	PQclear(res);
	return 0;
}

/* A segment's matches now, up to 10,000 ("more" beyond). */
static int
gr_matching(struct req *r, const char *filter, struct json_object *v)
{
	struct ct_ctx		 cx;
	struct aud_filter	 f;
	int64_t			 n = -1;
	char			 num[32];

	if (ct_ctx_load(r, &cx) == -1)
		return -1;
	if (ct_filter_parse(&cx, filter, &f) == 0 &&
	    (n = aud_count(&r->app->db, &f, r->customer_id)) < 0) {
		ct_ctx_free(&cx);
		return -1;
	}
	ct_ctx_free(&cx);
	ct_number(n < 0 ? 0 : n, num, sizeof(num));
	json_object_object_add(v, "matching", json_object_new_string(num));
	json_object_object_add(v, "matching_more", json_object_new_boolean(
	    n > AUD_COUNT_MAX));
	return 0;
}

/* A group's page: its counters, growth or matches, and the edit form. */
static int
gr_page(struct req *r, int status, PGresult *grp, const struct gr_form *g)
{
	struct json_object	*v = json_object_new_object();
	const char		*p[1] = { r->args[0] };
	int			 list = strcmp(db_get(grp, 0, GRL_KIND), "list")
				    == 0;
	PGresult		*days;
	int			 rc;

	if (list && (days = db_exec(&r->app->db, &gr_sql[GR_DAYS], p)) !=
	    NULL) {
		gr_days_view(days, v);
		PQclear(days);
	} else if (list || gr_matching(r, db_get(grp, 0, GRL_FILTER), v) ==
	    -1) {
		json_object_put(v);
		return 503;
	}
	if (gr_bcasts_view(r, v) == -1) {
		json_object_put(v);
		return 503;
	}
	json_object_object_add(v, "title", json_object_new_string(
	    db_get(grp, 0, GRL_NAME)));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "group", gr_row(grp, 0));
	json_object_object_add(v, "gid", json_object_new_string(r->args[0]));
	gr_members_url(db_get(grp, 0, GRL_ID), db_get(grp, 0, GRL_KIND),
	    db_get(grp, 0, GRL_FILTER), v);
	gr_form_view(r, g, v);
	rc = resp_html(r, status, "group", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/groups/{id} */
static int
gr_show(struct req *r)
{
	PGresult	*grp;
	struct gr_form	 g;
	int		 status = 0, rc;

	if ((grp = req_owned(r, &gr_sql[GR_GET], &status)) == NULL)
		return status;
	memset(&g, 0, sizeof(g));
	g.name = db_get(grp, 0, GRL_NAME);
	g.desc = db_get(grp, 0, GRL_DESC);
	g.kind = db_get(grp, 0, GRL_KIND);
	g.filter = db_get(grp, 0, GRL_FILTER);
	g.confirm = db_getb(grp, 0, GRL_CONFIRM);
	rc = gr_page(r, 200, grp, &g);
	PQclear(grp);
	return rc;
}

/* POST /contacts/groups/{id}: name, description, a segment's filters. */
static int
gr_save(struct req *r)
{
	PGresult	*grp, *res;
	struct gr_form	 g;
	const char	*p[6];
	char		 loc[64];
	int		 status = 0, rc;

	if ((grp = req_owned(r, &gr_sql[GR_GET], &status)) == NULL)
		return status;
	if ((rc = gr_form_read(r, &g, db_get(grp, 0, GRL_KIND))) == 503) {
		PQclear(grp);
		return rc;
	}
	if (rc == 0) {
		p[0] = r->args[0], p[1] = r->cid, p[2] = g.name;
		p[3] = g.desc, p[4] = g.filter;
		p[5] = g.confirm ? "true" : "false";
		if ((res = db_exec(&r->app->db, &gr_sql[GR_UPDATE], p)) !=
		    NULL) {
			PQclear(res);
			PQclear(grp);
			flash_set(r, &gr_flashes[GRF_SAVED]);
			snprintf(loc, sizeof(loc), "/contacts/groups/%s",
			    r->args[0]);
			return resp_redirect(r, 303, loc);
		}
		if ((g.name_err = gr_db_reason(r)) == NULL) {
			PQclear(grp);
			return 503;
		}
	}
	rc = gr_page(r, 422, grp, &g);
	PQclear(grp);
	return rc;
}

/* GET and POST /contacts/groups/{id}/delete: ask, then delete. */
static int
gr_delete(struct req *r)
{
	const char		*p[2] = { r->args[0], r->cid };
	struct json_object	*v;
	PGresult		*grp, *res;
	int			 status = 0, rc;

	if ((grp = req_owned(r, &gr_sql[GR_GET], &status)) == NULL)
		return status;
	if (r->route->method == METHOD_GET) {
		v = json_object_new_object();
		json_object_object_add(v, "title", json_object_new_string(
		    req_tr(r, "Delete the group")));
		json_object_object_add(v, "nav_contacts",
		    json_object_new_boolean(1));
		json_object_object_add(v, "group", gr_row(grp, 0));
		rc = resp_html(r, 200, "group_delete", v);
		json_object_put(v);
		PQclear(grp);
		return rc;
	}
	PQclear(grp);
	if ((res = db_exec(&r->app->db, &gr_sql[GR_DELETE], p)) == NULL)
		return 503;
	PQclear(res);
	flash_set(r, &gr_flashes[GRF_DELETED]);
	return resp_redirect(r, 303, "/contacts/groups");
}

static const struct route gr_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/groups",
	    .handler = gr_list, .name = "groups", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(gr_in_list) },
	{ .method = METHOD_POST, .pattern = "/contacts/groups",
	    .handler = gr_create, .name = "group_add", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 16384,
	    .pass_invalid = 1, ROUTE_INPUTS(gr_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/groups/{int}",
	    .handler = gr_show, .name = "group", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/groups/{int}",
	    .handler = gr_save, .name = "group_save", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 16384,
	    .pass_invalid = 1, ROUTE_INPUTS(gr_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/groups/{int}/delete",
	    .handler = gr_delete, .name = "group_delete_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/groups/{int}/delete",
	    .handler = gr_delete, .name = "group_delete", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 4096 },
};

const struct module groups_module = {
	.name = "groups",
	MODULE_ROUTES(gr_routes),
	MODULE_SQL(gr_sql),
	MODULE_STRINGS(gr_strings),
	MODULE_FLASHES(gr_flashes),
};
