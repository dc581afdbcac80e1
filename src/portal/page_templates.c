/* page_templates.c: message templates in the portal: the list (pages of 50, newest first) with the create form, delete after a confirmation, and the form's checks the template page shares; at most 200 per customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"
#include "page_templates.h"

#define TP_PAGE		50

enum { TP_IN_NAME, TP_IN_BODY, TP_IN__MAX };
enum { TP_IN_BEFORE, TP_IN_LIST__MAX };

static const struct input tp_in[TP_IN__MAX] = {
	[TP_IN_NAME] = { "name", input_trimmed, 0 },
	[TP_IN_BODY] = { "body", input_trimmed, 0 },
};
static const struct input tp_in_list[TP_IN_LIST__MAX] = {
	[TP_IN_BEFORE] = { "before", input_id, 0 },
};

enum { TPL_ID, TPL_NAME, TPL_VERSION, TPL_BODY, TPL_UPDATED, TPL_TOTAL,
    TPL__MAX };
enum { TPS_ID, TPS_VERSION, TPS_PROBLEM, TPS__MAX };
enum { TPN_N, TPN__MAX };

enum { TP_LIST, TP_GET, TP_SAVE, TP_DELETE, TP__MAX };

/* A template row's columns, from templates t, its current version v and
 * users u. */
#define TP_COLS \
	"t.id, t.name, t.version, v.body, to_char(t.updated_at AT TIME " \
	"ZONE u.time_zone, 'YYYY-MM-DD HH24:MI') AS updated, "
#define TP_FROM \
	"FROM templates t JOIN template_versions v ON v.template_id = t.id " \
	"AND v.version = t.version JOIN users u ON u.id = t.customer_id "
#define TP_COL_NAMES \
	DB_COLS(TPL__MAX, [TPL_ID] = "id", [TPL_NAME] = "name", \
	[TPL_VERSION] = "version", [TPL_BODY] = "body", \
	[TPL_UPDATED] = "updated", [TPL_TOTAL] = "total")

static const struct stmt tp_sql[TP__MAX] = {
	/* A page of customer $1's templates, newest first, before id $2;
	 * the body's first 200 characters. */
	[TP_LIST] = { "templates.list",
	    "SELECT t.id, t.name, t.version, left(v.body, 200) AS body, "
	    "to_char(t.updated_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI') AS updated, (SELECT count(*) FROM "
	    "templates x WHERE x.customer_id = $1::bigint) AS total "
	    TP_FROM "WHERE t.customer_id = $1::bigint AND ($2::bigint IS NULL "
	    "OR t.id < $2::bigint) ORDER BY t.id DESC LIMIT 51", 2, DB_RETRY,
	    TP_COL_NAMES },
	/* Template $1 of customer $2 with its current body. */
	[TP_GET] = { "templates.get",
	    "SELECT " TP_COLS "0 AS total " TP_FROM
	    "WHERE t.id = $1::bigint AND t.customer_id = $2::bigint", 2,
	    DB_RETRY, TP_COL_NAMES },
	/* Save template $2 (NULL: new) of customer $1: name $3, body $4. */
	[TP_SAVE] = { "templates.save",
	    "SELECT coalesce(tpl_id::text, '') AS id, "
	    "coalesce(tpl_version::text, '') AS version, "
	    "coalesce(problem, '') AS problem FROM wa_template_save("
	    "$1::bigint, $2::bigint, $3, $4)", 4, DB_ONCE,
	    DB_COLS(TPS__MAX, [TPS_ID] = "id", [TPS_VERSION] = "version",
	    [TPS_PROBLEM] = "problem") },
	/* The versions go with it; its messages keep the numbers. */
	[TP_DELETE] = { "templates.delete",
	    "WITH d AS (DELETE FROM templates WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING 1) "
	    "SELECT count(*) AS n FROM d", 2, DB_ONCE,
	    DB_COLS(TPN__MAX, [TPN_N] = "n") },
};

enum { TPF_ADDED, TPF_DELETED, TPF__MAX };

static const struct flash tp_flashes[TPF__MAX] = {
	[TPF_ADDED] = { "template_added", N_("The template is added."),
	    "success" },
	[TPF_DELETED] = { "template_deleted", N_("The template is deleted. "
	    "Messages sent from it keep its number and version."), "success" },
};

static const struct i18n_key tp_strings[] = {
	T_("tp_title", "Message templates"),
	T_("tp_lead", "Texts you send again and again, with the contact's "
	    "name, number and fields put in, and choices of words so that "
	    "no two messages are the same."),
	T_("tp_count", "templates of at most 200"),
	T_("tp_col_name", "Template"),
	T_("tp_col_version", "Version"),
	T_("tp_col_updated", "Saved"),
	T_("tp_empty", "No templates yet. Add one below."),
	T_("tp_new", "Add a template"),
	T_("tp_name", "Name"),
	T_("tp_body", "Text"),
	T_("tp_body_hint", "{{name}}, {{first_name}}, {{phone}} and "
	    "{{custom.key}} put the contact's values in; {{name|\"Customer\"}} "
	    "says what to write when the value is missing; {Hi|Hello} picks "
	    "one of the words for each contact. Write \\{ \\} \\| for the "
	    "characters themselves."),
	T_("tp_line", "Line"),
	T_("tp_column", "column"),
	T_("tp_add", "Add the template"),
	T_("tp_newest", "Newest templates"),
	T_("tp_older", "Older templates"),
	T_("tp_delete", "Delete the template"),
	T_("tp_delete_q", "Delete this template and its versions? Messages "
	    "already sent from it stay as they are."),
	T_("tp_delete_go", "Delete the template"),
	T_("tp_keep", "Keep it"),
	T_("tp_unknown", "Unknown variables: each is left empty, or its "
	    "fallback is written, in every message."),
};

const char tp_err_dup[] = N_("You have a template of this name already.");
const char tp_err_max[] =
    N_("You have 200 templates, the most there can be: delete some first.");
static const char tp_err_name[] =
    N_("A template's name is one line of 1 to 100 characters.");
static const char tp_err_empty[] = N_("Enter the template's text.");
static const char tp_err_long[] =
    N_("The text is too long: at most 65536 characters.");
static const char tp_err_ctrl[] =
    N_("The text holds control characters that cannot be sent.");

int
tp_parse(struct req *r, const char *body, struct aud_tpl *t)
{
	struct ct_ctx	 cx;
	const char	**keys;
	struct json_object *o;
	size_t		 i;
	int		 rc;

	if (ct_ctx_load(r, &cx) == -1) {
		memset(t, 0, sizeof(*t));
		return 503;
	}
	keys = xcalloc((size_t)cx.nfields + 1, sizeof(*keys));
	for (i = 0; i < (size_t)cx.nfields; i++) {
		o = json_object_array_get_idx(cx.fields, i);
		keys[i] = json_object_get_string(json_object_object_get(o,
		    "key"));
	}
	rc = aud_tpl_parse(t, body, strlen(body), keys, i);
	free(keys);
	ct_ctx_free(&cx);
	return rc;
}

/* The body's rule as a message text (CR LF made LF in place). */
static const char *
tp_body_check(char *s)
{
	size_t	 n = strlen(s), count;

	switch (valid_message_text(s, &n, &count)) {
	case MSGTEXT_OK:
		return NULL;
	case MSGTEXT_EMPTY:
		return tp_err_empty;
	case MSGTEXT_LONG:
		return tp_err_long;
	default:
		return tp_err_ctrl;
	}
}

int
tp_form_read(struct req *r, int name_in, int body_in, struct tp_form *f)
{
	struct aud_tpl	 t;
	char		*body;
	int		 rc;

	memset(f, 0, sizeof(*f));
	f->name = r->in[name_in].s != NULL ? r->in[name_in].s : "";
	body = req_strndup(r, r->in[body_in].s != NULL ? r->in[body_in].s :
	    "", r->in[body_in].s != NULL ? r->in[body_in].n : 0);
	f->body = body;
	if (*f->name == '\0' || text_field_ok(f->name, strlen(f->name),
	    TP_NAME_MAX, 0, NULL) != 0)
		f->name_err = tp_err_name;
	if ((f->body_err = tp_body_check(body)) == NULL) {
		if ((rc = tp_parse(r, body, &t)) == 503)
			return 503;
		if (rc == -1) {
			f->body_err = t.err.why;
			f->at = t.err;
		}
		aud_tpl_free(&t);
	}
	return f->name_err != NULL || f->body_err != NULL ? -1 : 0;
}

void
tp_form_view(struct req *r, const struct tp_form *f, struct json_object *v)
{
	json_object_object_add(v, "name", json_object_new_string(f->name));
	json_object_object_add(v, "body", json_object_new_string(f->body));
	if (f->name_err != NULL)
		json_object_object_add(v, "name_error", json_object_new_string(
		    req_tr(r, f->name_err)));
	if (f->body_err != NULL)
		json_object_object_add(v, "body_error", json_object_new_string(
		    req_tr(r, f->body_err)));
	if (f->body_err != NULL && f->at.line > 0) {
		json_object_object_add(v, "err_line", json_object_new_int(
		    (int)f->at.line));
		json_object_object_add(v, "err_col", json_object_new_int(
		    (int)f->at.col));
	}
}

void
tp_warnings(const char *body, const struct aud_tpl *t, struct json_object *v)
{
	struct json_object	*a, *o;
	size_t			 i;

	if (t->nunknown == 0)
		return;
	a = json_object_new_array();
	for (i = 0; i < t->nwarn; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "line", json_object_new_int(
		    (int)t->warn[i].line));
		json_object_object_add(o, "col", json_object_new_int(
		    (int)t->warn[i].col));
		json_object_object_add(o, "var", json_object_new_string_len(
		    body + t->warn[i].off, (int)t->warn[i].len));
		json_object_array_add(a, o);
	}
	json_object_object_add(v, "warnings", a);
	json_object_object_add(v, "unknown", json_object_new_int64(
	    (int64_t)t->nunknown));
}

/* A row of templates.list or templates.get as the template's object. */
static struct json_object *
tp_row(PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int			 c;

	for (c = TPL_ID; c <= TPL_UPDATED; c++)
		json_object_object_add(o, tp_sql[TP_LIST].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	return o;
}

/* The list's rows and pager into v; -1 when the database failed. */
static int
tp_list_view(struct req *r, const char *before, struct json_object *v)
{
	struct json_object	*rows;
	const char		*p[2] = { r->cid, before };
	PGresult		*res;
	char			 url[64];
	int			 i, n;

	if ((res = db_exec(&r->app->db, &tp_sql[TP_LIST], p)) == NULL)
		return -1;
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < TP_PAGE; i++)
		json_object_array_add(rows, tp_row(res, i));
	json_object_object_add(v, "templates", rows);
	json_object_object_add(v, "has_templates",
	    json_object_new_boolean(n > 0));
	json_object_object_add(v, "ntemplates", json_object_new_int64(n > 0 ?
	    db_getll(res, 0, TPL_TOTAL) : 0));
	if (n > TP_PAGE) {
		snprintf(url, sizeof(url), "/templates?before=%s",
		    db_get(res, TP_PAGE - 1, TPL_ID));
		json_object_object_add(v, "next_url",
		    json_object_new_string(url));
	}
	json_object_object_add(v, "paged", json_object_new_boolean(
	    before != NULL));
	PQclear(res);
	return 0;
}

/* The list page with the create form f. */
static int
tp_render(struct req *r, int status, const struct tp_form *f)
{
	struct json_object	*v = json_object_new_object();
	const char		*before = NULL;
	int			 rc;

	if (r->route->method == METHOD_GET)
		before = r->in[TP_IN_BEFORE].s;
	if (tp_list_view(r, before, v) == -1) {
		json_object_put(v);
		return 503;
	}
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Message templates")));
	json_object_object_add(v, "nav_templates",
	    json_object_new_boolean(1));
	tp_form_view(r, f, v);
	rc = resp_html(r, status, "templates", v);
	json_object_put(v);
	return rc;
}

/* GET /templates[?before=] */
static int
tp_list(struct req *r)
{
	struct tp_form	 f;

	memset(&f, 0, sizeof(f));
	f.name = f.body = "";
	return tp_render(r, 200, &f);
}

/* POST /templates: its first version, then its page. */
static int
tp_create(struct req *r)
{
	struct tp_form	 f;
	const char	*p[4], *problem;
	PGresult	*res;
	char		 loc[64];
	int		 rc;

	if ((rc = tp_form_read(r, TP_IN_NAME, TP_IN_BODY, &f)) != 0)
		return rc == -1 ? tp_render(r, 422, &f) : rc;
	p[0] = r->cid, p[1] = NULL, p[2] = f.name, p[3] = f.body;
	if ((res = db_exec(&r->app->db, &tp_sql[TP_SAVE], p)) == NULL)
		return 503;
	problem = db_get(res, 0, TPS_PROBLEM);
	if (*problem != '\0') {
		f.name_err = strcmp(problem, "dup") == 0 ? tp_err_dup :
		    tp_err_max;
		PQclear(res);
		return tp_render(r, 422, &f);
	}
	snprintf(loc, sizeof(loc), "/templates/%s", db_get(res, 0, TPS_ID));
	PQclear(res);
	flash_set(r, &tp_flashes[TPF_ADDED]);
	return resp_redirect(r, 303, loc);
}

/* GET and POST /templates/{id}/delete: ask, then delete. */
static int
tp_delete(struct req *r)
{
	const char		*p[2] = { r->args[0], r->cid };
	struct json_object	*v;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = req_owned(r, &tp_sql[TP_GET], &status)) == NULL)
		return status;
	if (r->route->method == METHOD_GET) {
		v = json_object_new_object();
		json_object_object_add(v, "title", json_object_new_string(
		    req_tr(r, "Delete the template")));
		json_object_object_add(v, "nav_templates",
		    json_object_new_boolean(1));
		json_object_object_add(v, "template", tp_row(res, 0));
		rc = resp_html(r, 200, "template_delete", v);
		json_object_put(v);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	if ((res = db_exec(&r->app->db, &tp_sql[TP_DELETE], p)) == NULL)
		return 503;
	PQclear(res);
	flash_set(r, &tp_flashes[TPF_DELETED]);
	return resp_redirect(r, 303, "/templates");
}

static const struct route tp_routes[] = {
	{ .method = METHOD_GET, .pattern = "/templates",
	    .handler = tp_list, .name = "templates", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(tp_in_list) },
	/* 65536 characters of up to 4 bytes, percent-encoded, fit in 1 MiB. */
	{ .method = METHOD_POST, .pattern = "/templates",
	    .handler = tp_create, .name = "template_add",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 1024 * 1024, .pass_invalid = 1, ROUTE_INPUTS(tp_in) },
	{ .method = METHOD_GET, .pattern = "/templates/{int}/delete",
	    .handler = tp_delete, .name = "template_delete_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/templates/{int}/delete",
	    .handler = tp_delete, .name = "template_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module templates_module = {
	.name = "templates",
	MODULE_ROUTES(tp_routes),
	MODULE_SQL(tp_sql),
	MODULE_STRINGS(tp_strings),
	MODULE_FLASHES(tp_flashes),
};
