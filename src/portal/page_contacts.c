/* page_contacts.c: the Contacts page: the list with its filters in the URL, the count, keyset pages, sortable columns and the selection form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/phone.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"

/* The strings of contacts.mustache and the words the contact pages share. */
static const struct i18n_key contacts_strings[] = {
	T_("ct_title", "Contacts"),
	T_("ct_lead", "The people you message: search, filter, tag and export them."),
	T_("ct_add", "Add a contact"),
	T_("ct_import", "Import a CSV"),
	T_("ct_exports", "Exports"),
	T_("ct_tags", "Tags"),
	T_("ct_fields", "Custom fields"),
	T_("ct_filter_label", "Filter contacts"),
	T_("ct_search", "Search"),
	T_("ct_search_hint", "Name, phone number or e-mail; 3 characters or more."),
	T_("ct_status", "Subscription"),
	T_("ct_any_status", "Any"),
	T_("ct_subscribed", "subscribed"),
	T_("ct_unsubscribed", "unsubscribed"),
	T_("ct_unknown", "unknown"),
	T_("ct_tags_any", "Has any of these tags"),
	T_("ct_tags_all", "Has all of these tags"),
	T_("ct_field", "Custom field"),
	T_("ct_no_field", "None"),
	T_("ct_equals", "Equals"),
	T_("ct_min", "From"),
	T_("ct_max", "To"),
	T_("ct_field_hint", "A value, or a range for numbers and dates."),
	T_("ct_created_from", "Added from"),
	T_("ct_created_to", "Added to"),
	T_("ct_never", "Never messaged"),
	T_("ct_sort", "Sort by"),
	T_("ct_sort_created_desc", "Newest first"),
	T_("ct_sort_created_asc", "Oldest first"),
	T_("ct_sort_name_asc", "Name A to Z"),
	T_("ct_sort_name_desc", "Name Z to A"),
	T_("ct_apply", "Apply"),
	T_("ct_clear", "Clear filters"),
	T_("ct_count_one", "contact"),
	T_("ct_count_many", "contacts"),
	T_("ct_count_more", "More than 10,000 contacts match."),
	T_("ct_count_more_search", "More than 1,000 contacts match."),
	T_("ct_col_select", "Select"),
	T_("ct_col_name", "Name"),
	T_("ct_col_phone", "Phone"),
	T_("ct_col_status", "Subscription"),
	T_("ct_col_tags", "Tags"),
	T_("ct_col_created", "Added"),
	T_("ct_col_last", "Last message"),
	T_("ct_no_name", "(no name)"),
	T_("ct_never_short", "never"),
	T_("ct_empty",
	    "No contacts yet. Add one, or import a CSV file from a spreadsheet."),
	T_("ct_no_match", "No contact matches these filters."),
	T_("ct_bad_filter", "Some filters are not valid: correct them and apply again."),
	T_("ct_first_page", "Go to the first page"),
	T_("ct_pages", "Pages"),
	T_("ct_prev", "Previous"),
	T_("ct_next", "Next"),
	T_("ct_selection", "With the selected contacts"),
	T_("ct_select_all", "Select all contacts that match"),
	T_("ct_select_all_more", "Select all contacts that match (more than 10,000)"),
	T_("ct_select_all_more_search", "Select all contacts that match (more than 1,000)"),
	T_("ct_action", "Action"),
	T_("ct_act_tag_add", "Add a tag"),
	T_("ct_act_tag_remove", "Remove a tag"),
	T_("ct_act_status", "Set the subscription"),
	T_("ct_act_export", "Export as CSV"),
	T_("ct_act_delete", "Delete"),
	T_("ct_act_tag", "Tag"),
	T_("ct_act_go", "Go"),
	T_("ct_times_in", "Times are in"),
	T_("ct_groups", "Groups"),
	T_("ct_list", "List"),
	T_("ct_any_list", "Any contact"),
	T_("ct_in_list", "Members of the list"),
	T_("ct_list_page", "The list's page"),
	T_("ct_act_group_add", "Add to a list"),
	T_("ct_act_group_remove", "Remove from a list"),
	T_("ct_act_list", "List"),
	T_("ct_save_segment", "Save these filters as a segment"),
};

/* Each refused parameter's reason, in the reader's language. */
static void
ct_err_view(struct req *r, const struct aud_filter *f, struct json_object *v)
{
	struct json_object	*e = json_object_new_object();
	int			 p;

	for (p = 0; p < AUD_P__MAX; p++)
		if (f->err[p] != NULL)
			json_object_object_add(e, aud_param_names[p],
			    json_object_new_string(req_tr(r, f->err[p])));
	json_object_object_add(v, "errors", e);
	json_object_object_add(v, "bad_filter", json_object_new_boolean(
	    f->nerr > 0));
	json_object_object_add(v, "bad_cursor", json_object_new_boolean(
	    f->err[AUD_P_AFTER] != NULL || f->err[AUD_P_BEFORE] != NULL));
}

/* "/contacts?<filter>[&sort=...][&cursor=key]", the caller frees it. */
static char *
ct_url(const struct aud_filter *f, enum aud_sort sort, const char *cursor,
    const char *value)
{
	struct aud_filter	 g = *f;
	struct buf		 b = BUF_INIT;

	g.sort = sort;
	buf_puts(&b, "/contacts?");
	aud_filter_query(&g, &b);
	if (cursor != NULL)
		buf_printf(&b, "%s%s=%s", b.data[b.len - 1] == '?' ? "" : "&",
		    cursor, value);
	if (b.data[b.len - 1] == '?')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

static void
ct_add_url(struct json_object *v, const char *key, char *url)
{
	json_object_object_add(v, key, json_object_new_string(url));
	free(url);
}

/* The cursor of row i of the page. */
static char *
ct_cursor(const struct aud_filter *f, PGresult *res, int i)
{
	struct buf	 b = BUF_INIT;

	aud_cursor_encode(f->sort, db_getll(res, i, AC_ID),
	    db_get(res, i, AC_KEY), &b);
	buf_puts(&b, "");
	return buf_steal(&b);
}

/*
 * The pager: after a "before" cursor the rows came the other way
 * round, there is always a next page (the cursor's row) and a previous
 * one when the fetch found more than a page; otherwise the reverse.
 */
static void
ct_pager(const struct aud_filter *f, PGresult *res, int n,
    struct json_object *v)
{
	int	 shown = n > AUD_PAGE ? AUD_PAGE : n;
	int	 back = aud_list_reversed(f), more = n > AUD_PAGE;
	int	 prev = back ? more : f->has_after;
	int	 next = back ? 1 : more;
	char	*c;

	if (shown == 0) {
		if (f->has_after || f->has_before)
			ct_add_url(v, "first_url", ct_url(f, f->sort, NULL,
			    NULL));
		return;
	}
	if (prev) {
		c = ct_cursor(f, res, back ? shown - 1 : 0);
		ct_add_url(v, "prev_url", ct_url(f, f->sort, "before", c));
		free(c);
	}
	if (next) {
		c = ct_cursor(f, res, back ? 0 : shown - 1);
		ct_add_url(v, "next_url", ct_url(f, f->sort, "after", c));
		free(c);
	}
	json_object_object_add(v, "has_pager", json_object_new_boolean(
	    prev || next));
}

/* The sortable headers: each links to its order, or turns the current. */
static void
ct_sort_links(const struct aud_filter *f, struct json_object *v)
{
	int	 by_name = f->sort == AUD_SORT_NAME_ASC ||
		    f->sort == AUD_SORT_NAME_DESC;

	ct_add_url(v, "sort_name_url", ct_url(f, f->sort == AUD_SORT_NAME_ASC ?
	    AUD_SORT_NAME_DESC : AUD_SORT_NAME_ASC, NULL, NULL));
	ct_add_url(v, "sort_created_url", ct_url(f, f->sort ==
	    AUD_SORT_CREATED_DESC ? AUD_SORT_CREATED_ASC :
	    AUD_SORT_CREATED_DESC, NULL, NULL));
	json_object_object_add(v, by_name ? "sorted_name" : "sorted_created",
	    json_object_new_string(f->sort == AUD_SORT_NAME_ASC ||
	    f->sort == AUD_SORT_CREATED_ASC ? "ascending" : "descending"));
	json_object_object_add(v, by_name ? "sorted_name_asc" :
	    "sorted_created_asc", json_object_new_boolean(f->sort ==
	    AUD_SORT_NAME_ASC || f->sort == AUD_SORT_CREATED_ASC));
}

/* One row of the list for the template. */
static struct json_object *
ct_row(struct req *r, const struct ct_ctx *cx, PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	static const struct { const char *key; int col; } cols[] = {
		{ "id", AC_ID }, { "phone", AC_PHONE }, { "name", AC_NAME },
		{ "email", AC_EMAIL }, { "status", AC_STATUS },
		{ "created", AC_CREATED }, { "created_iso", AC_CREATED_ISO },
		{ "last", AC_LAST }, { "last_iso", AC_LAST_ISO },
	};
	size_t			 c;

	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		json_object_object_add(o, cols[c].key, json_object_new_string(
		    db_get(res, i, cols[c].col)));
	json_object_object_add(o, "status_word", json_object_new_string(
	    ct_status_word(r, db_get(res, i, AC_STATUS))));
	json_object_object_add(o, "tags", ct_tag_chips(cx,
	    db_get(res, i, AC_TAGS)));
	return o;
}

/* The page's rows in display order, the pager and the count. */
static void
ct_rows_view(struct req *r, const struct ct_ctx *cx,
    const struct aud_filter *f, const struct aud_page *p,
    struct json_object *v)
{
	struct json_object	*rows = json_object_new_array();
	int			 shown = p->rows > AUD_PAGE ? AUD_PAGE : p->rows;
	int			 i;

	for (i = 0; i < shown; i++)
		json_object_array_add(rows, ct_row(r, cx, p->res,
		    aud_list_reversed(f) ? shown - 1 - i : i));
	json_object_object_add(v, "rows", rows);
	json_object_object_add(v, "has_rows", json_object_new_boolean(
	    shown > 0));
	ct_pager(f, p->res, p->rows, v);
}

/* The matches the counters know (the whole list, a list alone), or -1. */
static int64_t
ct_known(const struct ct_ctx *cx, const struct aud_filter *f)
{
	if (aud_filter_empty(f))
		return cx->total;
	return aud_filter_group_only(f) ? ct_list_members(cx, f->group,
	    f->status) : -1;
}

/* "N contacts" or "more than 10,000" (1,000 for a search); what the
 * counters know exactly. */
static void
ct_count_view(const struct ct_ctx *cx,
    const struct aud_filter *f, const struct aud_page *p,
    struct json_object *v)
{
	int64_t	 known = ct_known(cx, f), n = known >= 0 ? known : p->total;
	char	 num[32];

	ct_number(n, num, sizeof(num));
	json_object_object_add(v, "count", json_object_new_string(num));
	json_object_object_add(v, "count_n", json_object_new_int64(n));
	json_object_object_add(v, "count_more", json_object_new_boolean(
	    known < 0 && p->total > p->max));
	json_object_object_add(v, "count_search", json_object_new_boolean(
	    p->max == AUD_SEARCH_COUNT_MAX));
	json_object_object_add(v, "count_one", json_object_new_boolean(n == 1));
}

/* The lists for the filter's and the selection's choices; the list the
 * page is scoped to. */
static void
ct_list_view(const struct ct_ctx *cx, const struct aud_filter *f,
    struct json_object *v)
{
	struct json_object	*lists = json_object_new_array(), *g, *o;
	const char		*name;
	int			 i;

	for (i = 0; i < cx->nlists; i++) {
		g = json_object_array_get_idx(cx->lists, (size_t)i);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_get(
		    json_object_object_get(g, "id")));
		json_object_object_add(o, "name", json_object_get(
		    json_object_object_get(g, "name")));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    json_object_get_int64(json_object_object_get(g, "id")) ==
		    f->group));
		json_object_array_add(lists, o);
	}
	json_object_object_add(v, "lists", lists);
	json_object_object_add(v, "has_lists", json_object_new_boolean(
	    cx->nlists > 0));
	if (f->group > 0 && (name = ct_list_name(cx, f->group)) != NULL) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(f->group));
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(v, "in_list", o);
	}
}

/* The filter's values for the form. */
static void
ct_filter_view(const struct ct_ctx *cx, const struct aud_filter *f,
    struct json_object *v)
{
	struct json_object	*o = json_object_new_object();
	struct buf		 q = BUF_INIT, arg = BUF_INIT;

	json_object_object_add(o, "q", json_object_new_string(f->q));
	json_object_object_add(o, "eq", json_object_new_string(f->eq));
	json_object_object_add(o, "min", json_object_new_string(f->min));
	json_object_object_add(o, "max", json_object_new_string(f->max));
	json_object_object_add(o, "from", json_object_new_string(f->from));
	json_object_object_add(o, "to", json_object_new_string(f->to));
	json_object_object_add(o, "never", json_object_new_boolean(f->never));
	json_object_object_add(o, "status_subscribed", json_object_new_boolean(
	    strcmp(f->status, "subscribed") == 0));
	json_object_object_add(o, "status_unsubscribed",
	    json_object_new_boolean(strcmp(f->status, "unsubscribed") == 0));
	json_object_object_add(o, "status_unknown", json_object_new_boolean(
	    strcmp(f->status, "unknown") == 0));
	json_object_object_add(o, aud_sort_names[f->sort],
	    json_object_new_boolean(1));
	json_object_object_add(v, "filter", o);
	json_object_object_add(v, "tag_list", ct_tag_marked(cx, f->any,
	    f->nany, f->all, f->nall));
	json_object_object_add(v, "field_choices", ct_field_choices(cx,
	    f->field));
	ct_list_view(cx, f, v);
	json_object_object_add(v, "filtered", json_object_new_boolean(
	    !aud_filter_empty(f)));
	aud_filter_query(f, &q);
	json_object_object_add(v, "filter_query", json_object_new_string(
	    buf_str(&q)));
	html_url_arg(&arg, buf_str(&q), q.len);
	json_object_object_add(v, "filter_arg", json_object_new_string(
	    buf_str(&arg)));
	buf_free(&q);
	buf_free(&arg);
}

/* Read the filter from the query; the field's kind from the context. */
static void
ct_filter_read(struct req *r, const struct ct_ctx *cx, struct aud_filter *f)
{
	char		 e164[PHONE_E164_MAX + 1];
	enum phone_why	 why;
	size_t		 i;
	int		 kind;

	aud_filter_init(f);
	for (i = 0; i < r->query.n; i++)
		aud_filter_set(f, r->query.v[i].name, r->query.v[i].value);
	aud_filter_check(f);
	/* A whole national number (0812-...) searches as its E.164 form. */
	if (f->q[0] == '0' && phone_parse(f->q, strlen(f->q), cx->country, 0,
	    e164, &why) == 0)
		snprintf(f->q, sizeof(f->q), "%s", e164);
	if (f->group > 0 && ct_list_name(cx, f->group) == NULL)
		aud_filter_fail(f, AUD_P_GROUP);
	if (f->field[0] == '\0' || f->err[AUD_P_FIELD] != NULL)
		return;
	if ((kind = ct_field_kind(cx, f->field)) < 0)
		aud_filter_fail(f, AUD_P_FIELD);
	else
		aud_filter_kind(f, kind);
}

/* GET /contacts */
static int
ct_list(struct req *r)
{
	struct json_object	*v;
	struct ct_ctx		 cx;
	struct aud_filter	 f;
	struct aud_page		 p = { NULL, 0, 0, 0 };
	int			 rc, status = 200;

	if (ct_ctx_load(r, &cx) == -1)
		return 503;
	ct_filter_read(r, &cx, &f);
	if (f.nerr == 0 && aud_page(&r->app->db, &f, r->customer_id,
	    ct_known(&cx, &f), &p) == -1) {
		ct_ctx_free(&cx);
		return 503;
	}
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Contacts")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "tz", json_object_new_string(cx.tz));
	json_object_object_add(v, "has_contacts", json_object_new_boolean(
	    cx.total > 0));
	ct_filter_view(&cx, &f, v);
	ct_err_view(r, &f, v);
	ct_sort_links(&f, v);
	if (f.nerr == 0) {
		ct_rows_view(r, &cx, &f, &p, v);
		ct_count_view(&cx, &f, &p, v);
	} else
		status = 400;
	aud_page_free(&p);
	ct_ctx_free(&cx);
	rc = resp_html(r, status, "contacts", v);
	json_object_put(v);
	return rc;
}

static const struct route contacts_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts", .handler = ct_list,
	    .name = "contacts", .auth = AUTH_SESSION },
};

const struct module contacts_module = {
	.name = "contacts",
	MODULE_ROUTES(contacts_routes),
	MODULE_STRINGS(contacts_strings),
};
