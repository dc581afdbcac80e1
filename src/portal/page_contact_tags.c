/* page_contact_tags.c: the customer's tags: the list with their counts, create, rename and recolour, merge into another, delete; at most 1,000. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

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
#include "contacts.h"

#define TG_NAME_MAX	50
#define TG_MAX		1000
#define TG_PAGE		100

static const char *const tg_palette[] = { "grey", "red", "orange", "yellow",
    "green", "teal", "blue", "purple", "pink" };
#define TG_NCOLOURS	(sizeof(tg_palette) / sizeof(tg_palette[0]))

enum { TG_IN_NAME, TG_IN_COLOUR, TG_IN__MAX };
enum { TG_IN_AFTER, TG_IN_LIST__MAX };
enum { TG_IN_INTO, TG_IN_MERGE__MAX };


static const struct input tg_in[TG_IN__MAX] = {
	[TG_IN_NAME] = { "name", input_trimmed, 0 },
	[TG_IN_COLOUR] = { "colour", input_trimmed, 0 },
};
static const struct input tg_in_list[TG_IN_LIST__MAX] = {
	[TG_IN_AFTER] = { "after", input_trimmed, 0 },
};
static const struct input tg_in_merge[TG_IN_MERGE__MAX] = {
	[TG_IN_INTO] = { "into", input_id, 0 },
};

static const char tg_err_name[] =
    N_("A tag's name is one line of 1 to 50 characters.");
static const char tg_err_colour[] = N_("Choose a colour of the list.");
static const char tg_err_dup[] = N_("You have a tag of this name already.");
static const char tg_err_max[] =
    N_("You have 1,000 tags, the most there can be: delete or merge some first.");

enum { TGL_ID, TGL_NAME, TGL_COLOUR, TGL_CONTACTS, TGL_KEY, TGL__MAX };
enum { TGN_N, TGN__MAX };

enum {
	TG_LIST,
	TG_GET,
	TG_CREATE,
	TG_UPDATE,
	TG_MERGE,
	TG_DELETE,
	TG__MAX
};

static const struct stmt tg_sql[TG__MAX] = {
	/* A page of customer $1's tags by name, after the key $2. */
	[TG_LIST] = { "contact_tags.list",
	    "SELECT id, name, colour, contacts, lower(name) || ' ' || id AS key "
	    "FROM tags WHERE customer_id = $1::bigint AND ($2::text IS NULL OR "
	    "(lower(name), id) > (split_part($2, ' ', 1), "
	    "nullif(split_part($2, ' ', 2), '')::bigint)) "
	    "ORDER BY lower(name), id LIMIT 101", 2, DB_RETRY,
	    DB_COLS(TGL__MAX, [TGL_ID] = "id", [TGL_NAME] = "name",
	    [TGL_COLOUR] = "colour", [TGL_CONTACTS] = "contacts",
	    [TGL_KEY] = "key") },
	/* Tag $1 of customer $2. */
	[TG_GET] = { "contact_tags.get",
	    "SELECT id, name, colour, contacts, '' AS key FROM tags "
	    "WHERE id = $1::bigint AND customer_id = $2::bigint", 2, DB_RETRY,
	    DB_COLS(TGL__MAX, [TGL_ID] = "id", [TGL_NAME] = "name",
	    [TGL_COLOUR] = "colour", [TGL_CONTACTS] = "contacts",
	    [TGL_KEY] = "key") },
	[TG_CREATE] = { "contact_tags.create",
	    "INSERT INTO tags (customer_id, name, colour) VALUES ($1::bigint, "
	    "$2, $3) RETURNING 1 AS n", 3, DB_ONCE,
	    DB_COLS(TGN__MAX, [TGN_N] = "n") },
	[TG_UPDATE] = { "contact_tags.update",
	    "WITH u AS (UPDATE tags SET name = $3, colour = $4 "
	    "WHERE id = $1::bigint AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM u", 4, DB_ONCE,
	    DB_COLS(TGN__MAX, [TGN_N] = "n") },
	/*
	 * Tag $1 into tag $3 (both customer $2's): every contact with $1
	 * carries $3 once instead, then $1 goes. The contacts changed.
	 */
	[TG_MERGE] = { "contact_tags.merge",
	    "WITH s AS (SELECT id FROM tags WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint), d AS (SELECT id FROM tags "
	    "WHERE id = $3::bigint AND customer_id = $2::bigint AND id <> "
	    "$1::bigint), u AS (UPDATE contacts c SET tags = CASE WHEN "
	    "c.tags @> ARRAY[d.id] THEN array_remove(c.tags, s.id) ELSE "
	    "array_replace(c.tags, s.id, d.id) END FROM s, d "
	    "WHERE c.customer_id = $2::bigint AND c.tags @> ARRAY[s.id] "
	    "RETURNING 1), x AS (DELETE FROM tags t WHERE t.id = $1::bigint "
	    "AND t.customer_id = $2::bigint AND EXISTS (SELECT 1 FROM d)) "
	    "SELECT count(*) AS n FROM u", 3, DB_ONCE,
	    DB_COLS(TGN__MAX, [TGN_N] = "n") },
	[TG_DELETE] = { "contact_tags.delete",
	    "WITH d AS (DELETE FROM tags WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(TGN__MAX, [TGN_N] = "n") },
};

enum { TGF_ADDED, TGF_SAVED, TGF_MERGED, TGF_DELETED, TGF__MAX };

static const struct flash tg_flashes[TGF__MAX] = {
	[TGF_ADDED] = { "tag_added", N_("The tag is added."), "success" },
	[TGF_SAVED] = { "tag_saved", N_("The tag is saved."), "success" },
	[TGF_MERGED] = { "tag_merged",
	    N_("The tags are merged: its contacts carry the other tag."),
	    "success" },
	[TGF_DELETED] = { "tag_deleted",
	    N_("The tag is deleted and off its contacts."), "success" },
};

static const struct i18n_key tg_strings[] = {
	T_("tg_title", "Tags"),
	T_("tg_lead", "Tags group your contacts: filter by them, act on them."),
	T_("tg_count", "tags of at most 1,000"),
	T_("tg_col_tag", "Tag"),
	T_("tg_col_contacts", "Contacts"),
	T_("tg_col_actions", "Actions"),
	T_("tg_empty", "No tags yet. Add one below."),
	T_("tg_new", "Add a tag"),
	T_("tg_name", "Name"),
	T_("tg_colour", "Colour"),
	T_("tg_add", "Add the tag"),
	T_("tg_edit", "Edit"),
	T_("tg_show", "Show its contacts"),
	T_("tg_edit_title", "Edit the tag"),
	T_("tg_save", "Save"),
	T_("tg_merge", "Merge into another tag"),
	T_("tg_merge_into", "Merge into"),
	T_("tg_merge_go", "Merge"),
	T_("tg_merge_q",
	    "Merge this tag into the other? Its contacts carry the other tag "
	    "instead, and this tag is deleted."),
	T_("tg_merge_none", "There is no other tag to merge into."),
	T_("tg_delete", "Delete"),
	T_("tg_delete_q",
	    "Delete this tag? It comes off its contacts; they stay."),
	T_("tg_delete_go", "Delete the tag"),
	T_("tg_carried", "Contacts carrying it"),
	T_("tg_keep", "Keep it"),
	T_("c_grey", "grey"),
	T_("c_red", "red"),
	T_("c_orange", "orange"),
	T_("c_yellow", "yellow"),
	T_("c_green", "green"),
	T_("c_teal", "teal"),
	T_("c_blue", "blue"),
	T_("c_purple", "purple"),
	T_("c_pink", "pink"),
};

/* The name's and the colour's reasons, NULL when good. */
static void
tg_check(struct req *r, const char **name_err, const char **colour_err)
{
	const char	*n = r->in[TG_IN_NAME].s, *c = r->in[TG_IN_COLOUR].s;
	size_t		 i;

	*name_err = *colour_err = tg_err_colour;
	if (n != NULL && *n != '\0' && text_field_ok(n, strlen(n),
	    TG_NAME_MAX, 0, NULL) == 0)
		*name_err = NULL;
	else
		*name_err = tg_err_name;
	for (i = 0; c != NULL && i < TG_NCOLOURS; i++)
		if (strcmp(c, tg_palette[i]) == 0)
			*colour_err = NULL;
}

/* The palette for a select, with selected. */
static struct json_object *
tg_colours(const char *selected)
{
	struct json_object	*out = json_object_new_array(), *o;
	char			 key[16];
	size_t			 i;

	for (i = 0; i < TG_NCOLOURS; i++) {
		o = json_object_new_object();
		snprintf(key, sizeof(key), "c_%s", tg_palette[i]);
		json_object_object_add(o, "value", json_object_new_string(
		    tg_palette[i]));
		json_object_object_add(o, "word_key", json_object_new_string(
		    key));
		json_object_object_add(o, tg_palette[i],
		    json_object_new_boolean(1));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    selected != NULL && strcmp(selected, tg_palette[i]) == 0));
		json_object_array_add(out, o);
	}
	return out;
}

/* A tag row as the template's object. */
static struct json_object *
tg_row(PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int			 c;

	for (c = TGL_ID; c <= TGL_CONTACTS; c++)
		json_object_object_add(o, tg_sql[TG_LIST].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	return o;
}

/* The list page: status and the create form's values and errors. */
static int
tg_render(struct req *r, int status, const char *name, const char *colour,
    const char *name_err, const char *colour_err)
{
	struct json_object	*v, *rows;
	struct ct_ctx		 cx;
	struct buf		 url = BUF_INIT;
	const char		*p[2] = { r->cid, r->in[TG_IN_AFTER].s };
	PGresult		*res;
	int			 i, n, rc;

	if (r->route->method == METHOD_POST)
		p[1] = NULL;
	if (ct_ctx_load(r, &cx) == -1)
		return 503;
	if ((res = db_exec(&r->app->db, &tg_sql[TG_LIST], p)) == NULL) {
		ct_ctx_free(&cx);
		return 503;
	}
	v = json_object_new_object();
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < TG_PAGE; i++)
		json_object_array_add(rows, tg_row(res, i));
	json_object_object_add(v, "tags", rows);
	json_object_object_add(v, "has_tags", json_object_new_boolean(n > 0));
	json_object_object_add(v, "ntags", json_object_new_int(cx.ntags));
	if (n > TG_PAGE) {
		const char *k = db_get(res, TG_PAGE - 1, TGL_KEY);

		buf_puts(&url, "/contacts/tags?after=");
		html_url_arg(&url, k, strlen(k));
		json_object_object_add(v, "next_url",
		    json_object_new_string(buf_str(&url)));
		buf_free(&url);
	}
	json_object_object_add(v, "paged", json_object_new_boolean(
	    p[1] != NULL));
	PQclear(res);
	ct_ctx_free(&cx);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Tags")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "name", json_object_new_string(name));
	json_object_object_add(v, "colours", tg_colours(colour));
	if (name_err != NULL)
		json_object_object_add(v, "name_error", json_object_new_string(
		    req_tr(r, name_err)));
	if (colour_err != NULL)
		json_object_object_add(v, "colour_error",
		    json_object_new_string(req_tr(r, colour_err)));
	rc = resp_html(r, status, "contact_tags", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/tags */
static int
tg_list(struct req *r)
{
	return tg_render(r, 200, "", "grey", NULL, NULL);
}

/* The statement's failure as the form's reason; NULL: not the form's. */
static const char *
tg_db_reason(struct req *r)
{
	const char	*st = r->app->db.sqlstate;

	if (strcmp(st, "23505") == 0)
		return tg_err_dup;
	/* contact_counts.tags BETWEEN 0 AND 1000 */
	if (strcmp(st, "23514") == 0)
		return tg_err_max;
	return NULL;
}

/* POST /contacts/tags */
static int
tg_create(struct req *r)
{
	const char	*ne, *ce, *why;
	const char	*p[3] = { r->cid, r->in[TG_IN_NAME].s, r->in[TG_IN_COLOUR].s };
	PGresult	*res;

	tg_check(r, &ne, &ce);
	if (ne != NULL || ce != NULL)
		return tg_render(r, 422, p[1] ? p[1] : "", p[2], ne, ce);
	if ((res = db_exec(&r->app->db, &tg_sql[TG_CREATE], p)) == NULL) {
		if ((why = tg_db_reason(r)) == NULL)
			return 503;
		return tg_render(r, 422, p[1], p[2], why, NULL);
	}
	PQclear(res);
	flash_set(r, &tg_flashes[TGF_ADDED]);
	return resp_redirect(r, 303, "/contacts/tags");
}

/* One tag's page: edit, merge, delete; the other tags to merge into. */
static int
tg_edit_render(struct req *r, int status, PGresult *tag, const char *name,
    const char *colour, const char *name_err)
{
	struct json_object	*v = json_object_new_object(), *others;
	struct ct_ctx		 cx;
	size_t			 i;
	int			 rc;

	if (ct_ctx_load(r, &cx) == -1) {
		json_object_put(v);
		return 503;
	}
	others = ct_tag_choices(&cx, NULL, 0);
	for (i = json_object_array_length(others); i-- > 0; )
		if (json_object_get_int64(json_object_object_get(
		    json_object_array_get_idx(others, i), "id")) ==
		    db_getll(tag, 0, TGL_ID))
			json_object_array_del_idx(others, i, 1);
	ct_ctx_free(&cx);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Edit the tag")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "tag", tg_row(tag, 0));
	json_object_object_add(v, "name", json_object_new_string(name));
	json_object_object_add(v, "colours", tg_colours(colour));
	json_object_object_add(v, "others", others);
	json_object_object_add(v, "has_others", json_object_new_boolean(
	    json_object_array_length(others) > 0));
	if (name_err != NULL)
		json_object_object_add(v, "name_error", json_object_new_string(
		    req_tr(r, name_err)));
	rc = resp_html(r, status, "contact_tag", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/tags/{id} */
static int
tg_edit(struct req *r)
{
	PGresult	*res;
	int		 status = 0, rc;

	if ((res = req_owned(r, &tg_sql[TG_GET], &status)) == NULL)
		return status;
	rc = tg_edit_render(r, 200, res, db_get(res, 0, TGL_NAME),
	    db_get(res, 0, TGL_COLOUR), NULL);
	PQclear(res);
	return rc;
}

/* POST /contacts/tags/{id}: rename and recolour. */
static int
tg_save(struct req *r)
{
	const char	*ne, *ce, *why;
	const char	*p[4] = { r->args[0], r->cid, r->in[TG_IN_NAME].s,
			    r->in[TG_IN_COLOUR].s };
	PGresult	*tag, *res;
	int		 status = 0, rc;

	if ((tag = req_owned(r, &tg_sql[TG_GET], &status)) == NULL)
		return status;
	tg_check(r, &ne, &ce);
	if (ne == NULL && ce == NULL && (res = db_exec(&r->app->db,
	    &tg_sql[TG_UPDATE], p)) != NULL) {
		PQclear(res);
		PQclear(tag);
		flash_set(r, &tg_flashes[TGF_SAVED]);
		return resp_redirect(r, 303, "/contacts/tags");
	}
	if (ne == NULL && ce == NULL && (why = tg_db_reason(r)) == NULL) {
		PQclear(tag);
		return 503;
	}
	rc = tg_edit_render(r, 422, tag, p[2] != NULL ? p[2] : "",
	    p[3], ne != NULL ? ne : ce != NULL ? ce : why);
	PQclear(tag);
	return rc;
}

/* A confirmation page: the tag, what it carries, the merge target. */
static int
tg_confirm(struct req *r, const char *tmpl, PGresult *tag, PGresult *into)
{
	struct json_object	*v = json_object_new_object();
	int			 rc;

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Tags")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "tag", tg_row(tag, 0));
	if (into != NULL)
		json_object_object_add(v, "into", tg_row(into, 0));
	rc = resp_html(r, 200, tmpl, v);
	json_object_put(v);
	return rc;
}

/* The merge's target ("into") of the customer, or NULL with *status. */
static PGresult *
tg_into(struct req *r, int *status)
{
	const char	*p[2] = { r->in[TG_IN_INTO].s, r->cid };
	PGresult	*res;

	*status = 404;
	if (p[0] == NULL || strcmp(p[0], r->args[0]) == 0)
		return NULL;
	if ((res = db_exec(&r->app->db, &tg_sql[TG_GET], p)) == NULL) {
		*status = 503;
		return NULL;
	}
	if (PQntuples(res) == 1)
		return res;
	PQclear(res);
	return NULL;
}

/* GET and POST /contacts/tags/{id}/merge?into=: ask, then merge. */
static int
tg_merge(struct req *r)
{
	const char	*p[3] = { r->args[0], r->cid, r->in[TG_IN_INTO].s };
	PGresult	*tag, *into, *res;
	int		 status = 0, rc;

	if ((tag = req_owned(r, &tg_sql[TG_GET], &status)) == NULL)
		return status;
	if ((into = tg_into(r, &status)) == NULL) {
		PQclear(tag);
		return status;
	}
	if (r->route->method == METHOD_GET) {
		rc = tg_confirm(r, "contact_tag_merge", tag, into);
		PQclear(tag);
		PQclear(into);
		return rc;
	}
	PQclear(tag);
	PQclear(into);
	if ((res = db_exec(&r->app->db, &tg_sql[TG_MERGE], p)) == NULL)
		return 503;
	PQclear(res);
	flash_set(r, &tg_flashes[TGF_MERGED]);
	return resp_redirect(r, 303, "/contacts/tags");
}

/* GET and POST /contacts/tags/{id}/delete: ask, then delete. */
static int
tg_delete(struct req *r)
{
	const char	*p[2] = { r->args[0], r->cid };
	PGresult	*tag, *res;
	int		 status = 0, rc;

	if ((tag = req_owned(r, &tg_sql[TG_GET], &status)) == NULL)
		return status;
	if (r->route->method == METHOD_GET) {
		rc = tg_confirm(r, "contact_tag_delete", tag, NULL);
		PQclear(tag);
		return rc;
	}
	PQclear(tag);
	if ((res = db_exec(&r->app->db, &tg_sql[TG_DELETE], p)) == NULL)
		return 503;
	PQclear(res);
	flash_set(r, &tg_flashes[TGF_DELETED]);
	return resp_redirect(r, 303, "/contacts/tags");
}

static const struct route tg_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/tags",
	    .handler = tg_list, .name = "contact_tags", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(tg_in_list) },
	{ .method = METHOD_POST, .pattern = "/contacts/tags",
	    .handler = tg_create, .name = "contact_tag_add",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(tg_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/tags/{int}",
	    .handler = tg_edit, .name = "contact_tag", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/tags/{int}",
	    .handler = tg_save, .name = "contact_tag_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(tg_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/tags/{int}/merge",
	    .handler = tg_merge, .name = "contact_tag_merge_ask",
	    .auth = AUTH_SESSION, ROUTE_INPUTS(tg_in_merge) },
	{ .method = METHOD_POST, .pattern = "/contacts/tags/{int}/merge",
	    .handler = tg_merge, .name = "contact_tag_merge",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, ROUTE_INPUTS(tg_in_merge) },
	{ .method = METHOD_GET, .pattern = "/contacts/tags/{int}/delete",
	    .handler = tg_delete, .name = "contact_tag_delete_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/tags/{int}/delete",
	    .handler = tg_delete, .name = "contact_tag_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module contact_tags_module = {
	.name = "contact_tags",
	MODULE_ROUTES(tg_routes),
	MODULE_SQL(tg_sql),
	MODULE_STRINGS(tg_strings),
	MODULE_FLASHES(tg_flashes),
};
