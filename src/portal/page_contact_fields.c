/* page_contact_fields.c: the customer's custom fields: the list, create (key, label, kind, choices), rename the label, delete with its values; at most 100. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"

#define FD_LABEL_MAX	100
#define FD_KEY_MAX	40
#define FD_CHOICES_MAX	100
#define FD_CHOICE_MAX	100	/* characters of one choice */

static const char *const fd_kinds[] = { "text", "number", "date", "boolean",
    "choice" };
#define FD_NKINDS	(sizeof(fd_kinds) / sizeof(fd_kinds[0]))

enum { FD_IN_KEY, FD_IN_LABEL, FD_IN_KIND, FD_IN_CHOICES, FD_IN__MAX };


static const struct input fd_in[FD_IN__MAX] = {
	[FD_IN_KEY] = { "key", input_trimmed, 0 },
	[FD_IN_LABEL] = { "label", input_trimmed, 0 },
	[FD_IN_KIND] = { "kind", input_trimmed, 0 },
	[FD_IN_CHOICES] = { "choices", input_trimmed, 0 },
};

static const char fd_err_key[] = N_("A key is 1 to 40 small letters, digits "
    "and _, starting with a letter (it names the column of imports and "
    "exports).");
static const char fd_err_label[] =
    N_("A display name is one line of 1 to 100 characters.");
static const char fd_err_kind[] = N_("Choose a kind of the list.");
static const char fd_err_choices[] = N_("A list has 1 to 100 choices, one a "
    "line, each of at most 100 characters, none twice.");
static const char fd_err_dup[] = N_("You have a field with this key already.");
static const char fd_err_max[] =
    N_("You have 100 custom fields, the most there can be: delete one first.");

enum { FDL_ID, FDL_KEY, FDL_LABEL, FDL_KIND, FDL_CHOICES, FDL_USED, FDL__MAX };
enum { FDN_N, FDN__MAX };

enum {
	FD_LIST,
	FD_GET,
	FD_CREATE,
	FD_RENAME,
	FD_DELETE,
	FD__MAX
};

#define FD_COLS \
	DB_COLS(FDL__MAX, [FDL_ID] = "id", [FDL_KEY] = "key", \
	[FDL_LABEL] = "label", [FDL_KIND] = "kind", \
	[FDL_CHOICES] = "choices", [FDL_USED] = "used")

static const struct stmt fd_sql[FD__MAX] = {
	/* Customer $1's fields by label (at most 100: one page). */
	[FD_LIST] = { "contact_fields.list",
	    "SELECT id, key, label, kind, array_to_string(choices, ', ') "
	    "AS choices, 0::bigint AS used FROM contact_fields "
	    "WHERE customer_id = $1::bigint ORDER BY lower(label), id", 1,
	    DB_RETRY, FD_COLS },
	/* Field $1 of customer $2, with how many contacts have a value. */
	[FD_GET] = { "contact_fields.get",
	    "SELECT f.id, f.key, f.label, f.kind, array_to_string(f.choices, "
	    "', ') AS choices, (SELECT count(*) FROM contacts c "
	    "WHERE c.customer_id = f.customer_id AND c.fields ? f.key) AS used "
	    "FROM contact_fields f WHERE f.id = $1::bigint "
	    "AND f.customer_id = $2::bigint", 2, DB_RETRY, FD_COLS },
	[FD_CREATE] = { "contact_fields.create",
	    "INSERT INTO contact_fields (customer_id, key, label, kind, choices) "
	    "VALUES ($1::bigint, $2, $3, $4, $5::text[]) RETURNING 1 AS n", 5,
	    DB_ONCE, DB_COLS(FDN__MAX, [FDN_N] = "n") },
	[FD_RENAME] = { "contact_fields.rename",
	    "WITH u AS (UPDATE contact_fields SET label = $3 WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING 1) SELECT count(*) AS n "
	    "FROM u", 3, DB_ONCE, DB_COLS(FDN__MAX, [FDN_N] = "n") },
	/* The field and its value on every contact. */
	[FD_DELETE] = { "contact_fields.delete",
	    "WITH f AS (DELETE FROM contact_fields WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING key), "
	    "u AS (UPDATE contacts c SET fields = c.fields - f.key FROM f "
	    "WHERE c.customer_id = $2::bigint AND c.fields ? f.key RETURNING 1) "
	    "SELECT count(*) AS n FROM u", 2, DB_ONCE,
	    DB_COLS(FDN__MAX, [FDN_N] = "n") },
};

#undef FD_COLS

enum { FDF_ADDED, FDF_SAVED, FDF_DELETED, FDF__MAX };

static const struct flash fd_flashes[FDF__MAX] = {
	[FDF_ADDED] = { "field_added", N_("The custom field is added."),
	    "success" },
	[FDF_SAVED] = { "field_saved", N_("The custom field is saved."),
	    "success" },
	[FDF_DELETED] = { "field_deleted",
	    N_("The custom field is deleted, with its values."), "success" },
};

static const struct i18n_key fd_strings[] = {
	T_("fd_title", "Custom fields"),
	T_("fd_lead", "Your own columns for contacts: text, numbers, dates, "
	    "yes or no, or one of a list."),
	T_("fd_count", "fields of at most 100"),
	T_("fd_col_label", "Display name"),
	T_("fd_col_key", "Key"),
	T_("fd_col_kind", "Kind"),
	T_("fd_col_choices", "Choices"),
	T_("fd_empty", "No custom fields yet. Add one below."),
	T_("fd_new", "Add a custom field"),
	T_("fd_key", "Key"),
	T_("fd_key_hint", "Small letters, digits and _, such as city or "
	    "birth_date: the column name in CSV files. It cannot change."),
	T_("fd_label", "Display name"),
	T_("fd_kind", "Kind"),
	T_("fd_choices", "Choices (for a list: one a line)"),
	T_("fd_add", "Add the field"),
	T_("fd_edit", "Rename"),
	T_("fd_save", "Save"),
	T_("fd_delete", "Delete"),
	T_("fd_delete_q", "Delete this custom field? Its value goes from "
	    "every contact that has one."),
	T_("fd_used", "Contacts with a value"),
	T_("fd_delete_go", "Delete the field"),
	T_("fd_keep", "Keep it"),
	T_("k_text", "text"),
	T_("k_number", "number"),
	T_("k_date", "date"),
	T_("k_boolean", "yes or no"),
	T_("k_choice", "one of a list"),
};

static const char *
fd_val(struct req *r, int i)
{
	return r->in[i].s != NULL ? r->in[i].s : "";
}

/* The kinds for a select, with selected. */
static struct json_object *
fd_kind_options(const char *selected)
{
	struct json_object	*out = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; i < FD_NKINDS; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(
		    fd_kinds[i]));
		json_object_object_add(o, fd_kinds[i],
		    json_object_new_boolean(1));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    strcmp(selected, fd_kinds[i]) == 0));
		json_object_array_add(out, o);
	}
	return out;
}

static struct json_object *
fd_row(PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int			 c;

	for (c = 0; c < FDL__MAX; c++)
		json_object_object_add(o, fd_sql[FD_LIST].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	json_object_object_add(o, db_get(res, i, FDL_KIND),
	    json_object_new_boolean(1));
	return o;
}

/* The list and the create form with its errors (by input, English). */
static int
fd_render(struct req *r, int status, const char *const *err)
{
	struct json_object	*v, *rows, *vals, *errs;
	const char		*p[1] = { r->cid };
	PGresult		*res;
	int			 i, rc, focus = 0;

	if ((res = db_exec(&r->app->db, &fd_sql[FD_LIST], p)) == NULL)
		return 503;
	v = json_object_new_object();
	rows = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(rows, fd_row(res, i));
	json_object_object_add(v, "fields", rows);
	json_object_object_add(v, "has_fields", json_object_new_boolean(
	    PQntuples(res) > 0));
	json_object_object_add(v, "nfields", json_object_new_int(
	    PQntuples(res)));
	PQclear(res);
	vals = json_object_new_object();
	errs = json_object_new_object();
	for (i = 0; i < FD_IN__MAX; i++) {
		json_object_object_add(vals, fd_in[i].name,
		    json_object_new_string(fd_val(r, i)));
		if (err != NULL && err[i] != NULL) {
			json_object_object_add(errs, fd_in[i].name,
			    json_object_new_string(req_tr(r, err[i])));
			if (!focus++)
				json_object_object_add(errs, "focus",
				    json_object_new_string(fd_in[i].name));
		}
	}
	json_object_object_add(v, "values", vals);
	json_object_object_add(v, "errors", errs);
	json_object_object_add(v, "kinds", fd_kind_options(
	    *fd_val(r, FD_IN_KIND) != '\0' ? fd_val(r, FD_IN_KIND) : "text"));
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Custom fields")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	rc = resp_html(r, status, "contact_fields", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/fields */
static int
fd_list(struct req *r)
{
	return fd_render(r, 200, NULL);
}

/* 1 when s is a key as sql/0012 allows it. */
static int
fd_key_ok(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= FD_KEY_MAX && s[0] >= 'a' && s[0] <= 'z' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/*
 * The choices, one a line, as a text[] literal in out ("{}" for none):
 * 0, or -1 when one is too long, repeated, or there are too many.
 */
static int
fd_choices(const char *s, struct buf *out)
{
	struct buf	 seen = BUF_INIT;
	const char	*e;
	size_t		 n, i, k = 0;
	int		 rc = 0;

	buf_putc(out, '{');
	for (; *s != '\0' && rc == 0; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		n = (size_t)(e - s);
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		while (n > 0 && *s == ' ')
			s++, n--;
		if (n == 0)
			continue;
		buf_printf(&seen, "\n%.*s\n", (int)n, s);
		if (++k > FD_CHOICES_MAX || text_field_ok(s, n, FD_CHOICE_MAX,
		    0, NULL) == -1 || strstr(seen.data, seen.data +
		    seen.len - n - 2) != seen.data + seen.len - n - 2) {
			rc = -1;
			break;
		}
		buf_puts(out, k > 1 ? ",\"" : "\"");
		for (i = 0; i < n; i++) {
			if (s[i] == '"' || s[i] == '\\')
				buf_putc(out, '\\');
			buf_putc(out, s[i]);
		}
		buf_putc(out, '"');
	}
	buf_putc(out, '}');
	buf_free(&seen);
	return rc == 0 && (k > 0 || out->len == 2) ? 0 : -1;
}

/* Check the create form into err; the choices literal into choices. */
static int
fd_check(struct req *r, const char **err, struct buf *choices)
{
	const char	*label = fd_val(r, FD_IN_LABEL), *kind = fd_val(r,
			    FD_IN_KIND);
	size_t		 i;
	int		 bad = 0, list;

	if (!fd_key_ok(fd_val(r, FD_IN_KEY)))
		err[FD_IN_KEY] = fd_err_key, bad++;
	if (*label == '\0' || text_field_ok(label, strlen(label), FD_LABEL_MAX,
	    0, NULL) == -1)
		err[FD_IN_LABEL] = fd_err_label, bad++;
	for (i = 0; i < FD_NKINDS && strcmp(kind, fd_kinds[i]) != 0; i++)
		;
	if (i == FD_NKINDS)
		err[FD_IN_KIND] = fd_err_kind, bad++;
	list = strcmp(kind, "choice") == 0;
	if (fd_choices(list ? fd_val(r, FD_IN_CHOICES) : "", choices) == -1 ||
	    (list && choices->len <= 2))
		err[FD_IN_CHOICES] = fd_err_choices, bad++;
	return bad;
}

/* POST /contacts/fields */
static int
fd_create(struct req *r)
{
	const char	*err[FD_IN__MAX] = { NULL };
	struct buf	 choices = BUF_INIT;
	const char	*p[5];
	PGresult	*res;
	int		 rc;

	if (fd_check(r, err, &choices) > 0) {
		buf_free(&choices);
		return fd_render(r, 422, err);
	}
	p[0] = r->cid, p[1] = fd_val(r, FD_IN_KEY), p[2] = fd_val(r, FD_IN_LABEL);
	p[3] = fd_val(r, FD_IN_KIND), p[4] = buf_str(&choices);
	res = db_exec(&r->app->db, &fd_sql[FD_CREATE], p);
	buf_free(&choices);
	if (res == NULL && strcmp(r->app->db.sqlstate, "23505") == 0)
		err[FD_IN_KEY] = fd_err_dup;
	else if (res == NULL && strcmp(r->app->db.sqlstate, "23514") == 0)
		err[FD_IN_KEY] = fd_err_max;
	else if (res == NULL)
		return 503;
	if (res == NULL)
		return fd_render(r, 422, err);
	PQclear(res);
	flash_set(r, &fd_flashes[FDF_ADDED]);
	rc = resp_redirect(r, 303, "/contacts/fields");
	return rc;
}

/* One field's page (rename the display name) or its delete confirmation. */
static int
fd_one(struct req *r, const char *tmpl, int status, const char *label_err)
{
	struct json_object	*v;
	PGresult		*res;
	int			 st = 0, rc;

	if ((res = req_owned(r, &fd_sql[FD_GET], &st)) == NULL)
		return st;
	v = json_object_new_object();
	json_object_object_add(v, "field", fd_row(res, 0));
	json_object_object_add(v, "label", json_object_new_string(
	    label_err != NULL ? fd_val(r, FD_IN_LABEL) :
	    db_get(res, 0, FDL_LABEL)));
	if (label_err != NULL)
		json_object_object_add(v, "label_error",
		    json_object_new_string(req_tr(r, label_err)));
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Custom fields")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	PQclear(res);
	rc = resp_html(r, status, tmpl, v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/fields/{id} */
static int
fd_edit(struct req *r)
{
	return fd_one(r, "contact_field", 200, NULL);
}

/* POST /contacts/fields/{id}: a new label. */
static int
fd_save(struct req *r)
{
	const char	*label = fd_val(r, FD_IN_LABEL);
	const char	*p[3] = { r->args[0], r->cid, label };
	PGresult	*res;
	int64_t		 n;

	if (*label == '\0' || text_field_ok(label, strlen(label), FD_LABEL_MAX,
	    0, NULL) == -1)
		return fd_one(r, "contact_field", 422, fd_err_label);
	if ((res = db_exec(&r->app->db, &fd_sql[FD_RENAME], p)) == NULL)
		return 503;
	n = db_getll(res, 0, FDN_N);
	PQclear(res);
	if (n == 0)
		return 404;
	flash_set(r, &fd_flashes[FDF_SAVED]);
	return resp_redirect(r, 303, "/contacts/fields");
}

/* GET and POST /contacts/fields/{id}/delete */
static int
fd_delete(struct req *r)
{
	const char	*p[2] = { r->args[0], r->cid };
	PGresult	*res;
	int		 status = 0;

	if (r->route->method == METHOD_GET)
		return fd_one(r, "contact_field_delete", 200, NULL);
	if ((res = req_owned(r, &fd_sql[FD_GET], &status)) == NULL)
		return status;
	PQclear(res);
	if ((res = db_exec(&r->app->db, &fd_sql[FD_DELETE], p)) == NULL)
		return 503;
	PQclear(res);
	flash_set(r, &fd_flashes[FDF_DELETED]);
	return resp_redirect(r, 303, "/contacts/fields");
}

static const struct route fd_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/fields",
	    .handler = fd_list, .name = "contact_fields",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/fields",
	    .handler = fd_create, .name = "contact_field_add",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 32 * 1024, .pass_invalid = 1, ROUTE_INPUTS(fd_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/fields/{int}",
	    .handler = fd_edit, .name = "contact_field",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/fields/{int}",
	    .handler = fd_save, .name = "contact_field_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(fd_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/fields/{int}/delete",
	    .handler = fd_delete, .name = "contact_field_delete_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/fields/{int}/delete",
	    .handler = fd_delete, .name = "contact_field_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module contact_fields_module = {
	.name = "contact_fields",
	MODULE_ROUTES(fd_routes),
	MODULE_SQL(fd_sql),
	MODULE_STRINGS(fd_strings),
	MODULE_FLASHES(fd_flashes),
};
