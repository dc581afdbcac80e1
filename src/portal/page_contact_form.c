/* page_contact_form.c: add and edit a contact: phone in the customer's country, name, e-mail, language, notes, tags, subscription and every custom field by its kind; all errors at once, the package's max_contacts named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/contact_field.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"

#define CF_NAME_MAX	200	/* code points (contacts.name) */
#define CF_NOTES_MAX	2000
#define CF_TEXT_MAX	500	/* a text field's value */
#define CF_LANG_MAX	35

enum {
	CF_IN_PHONE,
	CF_IN_NAME,
	CF_IN_EMAIL,
	CF_IN_LANGUAGE,
	CF_IN_NOTES,
	CF_IN_STATUS,
	CF_IN__MAX
};


/* Every value reaches the handler (pass_invalid), which checks them all. */
static const struct input cf_in[CF_IN__MAX] = {
	[CF_IN_PHONE] = { "phone", input_trimmed, 0 },
	[CF_IN_NAME] = { "name", input_trimmed, 0 },
	[CF_IN_EMAIL] = { "email", input_trimmed, 0 },
	[CF_IN_LANGUAGE] = { "language", input_trimmed, 0 },
	[CF_IN_NOTES] = { "notes", input_trimmed, 0 },
	[CF_IN_STATUS] = { "status", input_trimmed, 0 },
};

static const char cf_err_phone[] = N_("Enter the contact's phone number.");
static const char cf_err_name[] =
    N_("A name is one line of at most 200 characters.");
static const char cf_err_lang[] =
    N_("Enter a language code such as id, en or pt-BR, or leave it empty.");
static const char cf_err_notes[] = N_("Notes are at most 2,000 characters.");
static const char cf_err_status[] =
    N_("Choose subscribed, unsubscribed or unknown.");
static const char cf_err_text[] =
    N_("At most 500 characters, on one line.");
static const char cf_err_dup[] =
    N_("A contact with this phone number exists already.");
static const char cf_err_limit[] =
    N_("Your package allows this many contacts, and you have them all:");
static const char cf_err_limit_hint[] =
    N_("Delete some, or ask your dealer for a bigger package.");

enum { CFI_ID, CFI__MAX };
enum {
	CFG_ID, CFG_PHONE, CFG_NAME, CFG_EMAIL, CFG_LANGUAGE, CFG_NOTES,
	CFG_TAGS, CFG_FIELDS, CFG_STATUS, CFG__MAX
};

enum {
	CF_GET,
	CF_INSERT,
	CF_UPDATE,
	CF__MAX
};

static const struct stmt cf_sql[CF__MAX] = {
	/* Contact $1 of customer $2, as the form shows it. */
	[CF_GET] = { "contact_form.get",
	    "SELECT id, phone, name, email, language, notes, tags::text AS tags, "
	    "fields::text AS fields, status FROM contacts "
	    "WHERE id = $1::bigint AND customer_id = $2::bigint", 2, DB_RETRY,
	    DB_COLS(CFG__MAX, [CFG_ID] = "id", [CFG_PHONE] = "phone",
	    [CFG_NAME] = "name", [CFG_EMAIL] = "email",
	    [CFG_LANGUAGE] = "language", [CFG_NOTES] = "notes",
	    [CFG_TAGS] = "tags", [CFG_FIELDS] = "fields",
	    [CFG_STATUS] = "status") },
	/*
	 * A new contact of customer $1 (phone $2, name $3, e-mail $4,
	 * language $5, notes $6, tags $7 kept to the customer's, fields $8,
	 * status $9); a status other than unknown is logged as the portal's.
	 */
	[CF_INSERT] = { "contact_form.insert",
	    "WITH c AS (INSERT INTO contacts (customer_id, phone, name, email, "
	    "language, notes, tags, fields, status, consent_source, consent_at) "
	    "VALUES ($1::bigint, $2, $3, $4, $5, $6, ARRAY(SELECT t.id FROM tags t "
	    "WHERE t.customer_id = $1::bigint AND t.id = ANY ($7::bigint[]) "
	    "ORDER BY t.id), $8::jsonb, $9, CASE WHEN $9 = 'unknown' THEN '' "
	    "ELSE 'portal' END, CASE WHEN $9 = 'unknown' THEN NULL "
	    "ELSE wa_now() END) RETURNING id, phone, status), "
	    "l AS (INSERT INTO contact_consents (customer_id, contact_id, phone, "
	    "status, source) SELECT $1::bigint, id, phone, status, 'portal' "
	    "FROM c WHERE status <> 'unknown') SELECT id FROM c", 9, DB_ONCE,
	    DB_COLS(CFI__MAX, [CFI_ID] = "id") },
	/* Contact $10 with the same values; a changed status is logged. */
	[CF_UPDATE] = { "contact_form.update",
	    "WITH o AS (SELECT id, status FROM contacts WHERE id = $10::bigint "
	    "AND customer_id = $1::bigint FOR UPDATE), "
	    "c AS (UPDATE contacts k SET phone = $2, name = $3, email = $4, "
	    "language = $5, notes = $6, tags = ARRAY(SELECT t.id FROM tags t "
	    "WHERE t.customer_id = $1::bigint AND t.id = ANY ($7::bigint[]) "
	    "ORDER BY t.id), fields = $8::jsonb, status = $9, "
	    "consent_source = CASE WHEN o.status <> $9 THEN 'portal' "
	    "ELSE k.consent_source END, consent_at = CASE WHEN o.status <> $9 "
	    "THEN wa_now() ELSE k.consent_at END FROM o WHERE k.id = o.id "
	    "RETURNING k.id, k.phone, k.status, o.status AS was), "
	    "l AS (INSERT INTO contact_consents (customer_id, contact_id, phone, "
	    "status, source) SELECT $1::bigint, id, phone, status, 'portal' "
	    "FROM c WHERE status <> was) SELECT id FROM c", 10, DB_ONCE,
	    DB_COLS(CFI__MAX, [CFI_ID] = "id") },
};

enum { CFF_ADDED, CFF_SAVED, CFF__MAX };

static const struct flash cf_flashes[CFF__MAX] = {
	[CFF_ADDED] = { "contact_added", N_("The contact is added."),
	    "success" },
	[CFF_SAVED] = { "contact_saved", N_("The contact is saved."),
	    "success" },
};

static const struct i18n_key cf_strings[] = {
	T_("cf_new", "Add a contact"),
	T_("cf_edit", "Edit the contact"),
	T_("cf_phone", "Phone number"),
	T_("cf_phone_hint",
	    "As you would dial it; numbers without a country code are read "
	    "in your profile's country."),
	T_("cf_email", "E-mail"),
	T_("cf_language", "Language"),
	T_("cf_language_hint", "A code such as id, en or pt-BR."),
	T_("cf_notes", "Notes"),
	T_("cf_tags", "Tags"),
	T_("cf_no_tags", "No tags yet."),
	T_("cf_manage_tags", "Manage tags"),
	T_("cf_fields", "Custom fields"),
	T_("cf_yes", "yes"),
	T_("cf_no", "no"),
	T_("cf_unset", "not set"),
	T_("cf_save", "Save"),
	T_("cf_add", "Add the contact"),
	T_("cf_cancel", "Cancel"),
	T_("cf_errors", "Some values need a change: see each field below."),
};

/* One submission: its values, errors and the view's copies. */
struct cf_form {
	const char	*val[CF_IN__MAX];
	const char	*err[CF_IN__MAX];
	char		 phone[PHONE_E164_MAX + 1];
	char		 email[EMAIL_MAX + 1];
	char		 language[CF_LANG_MAX + 1];
	struct buf	 notes;		/* CR LF as LF */
	struct buf	 tags;		/* "{1,2}" */
	struct json_object *fields;	/* {key: value} */
	struct json_object *ferr;	/* {key: reason} */
	struct json_object *fraw;	/* {key: as typed} */
	int		 nerr;
	const char	*form_err;	/* above the form, or NULL */
};

static const char *
cf_value(struct req *r, int i)
{
	return r->in[i].s != NULL ? r->in[i].s : "";
}

static void
cf_fail(struct cf_form *fm, int i, const char *why)
{
	fm->err[i] = why;
	fm->nerr++;
}

/* 1 when s is a language tag as sql/0012 has it; lower-cases the first part. */
static int
cf_language(const char *s, char out[CF_LANG_MAX + 1])
{
	size_t	 i, n = strlen(s), part = 0;

	if (n == 0 || n > CF_LANG_MAX)
		return n == 0 ? (out[0] = '\0', 1) : 0;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '-') {
			if (i == part || (part == 0 && (i < 2 || i > 3)) ||
			    (part > 0 && (i - part < 2 || i - part > 8)))
				return 0;
			part = i + 1;
		} else if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9' && part > 0)))
			return 0;
		out[i] = i < strcspn(s, "-") && s[i] >= 'A' && s[i] <= 'Z' ?
		    (char)(s[i] + 32) : s[i];
	}
	return 1;
}

/* The fixed values: phone, name, e-mail, language, notes, status. */
static void
cf_check_fixed(struct req *r, const struct ct_ctx *cx, struct cf_form *fm)
{
	const char	*s, *why;
	enum phone_why	 pw;
	size_t		 i;

	for (i = 0; i < CF_IN__MAX; i++)
		fm->val[i] = cf_value(r, (int)i);
	s = fm->val[CF_IN_PHONE];
	if (*s == '\0')
		cf_fail(fm, CF_IN_PHONE, cf_err_phone);
	else if (phone_parse(s, strlen(s), cx->country, PHONE_MOBILE,
	    fm->phone, &pw) == -1)
		cf_fail(fm, CF_IN_PHONE, phone_why_text(pw));
	s = fm->val[CF_IN_NAME];
	if (text_field_ok(s, strlen(s), CF_NAME_MAX, 0, NULL) == -1)
		cf_fail(fm, CF_IN_NAME, cf_err_name);
	s = fm->val[CF_IN_EMAIL];
	if (*s != '\0' && email_normalize(s, strlen(s), fm->email, &why) == -1)
		cf_fail(fm, CF_IN_EMAIL, why);
	if (!cf_language(fm->val[CF_IN_LANGUAGE], fm->language))
		cf_fail(fm, CF_IN_LANGUAGE, cf_err_lang);
	for (s = fm->val[CF_IN_NOTES]; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			buf_putc(&fm->notes, *s);
	buf_puts(&fm->notes, "");
	if (text_field_ok(fm->notes.data, fm->notes.len, CF_NOTES_MAX, 1,
	    NULL) == -1)
		cf_fail(fm, CF_IN_NOTES, cf_err_notes);
	s = fm->val[CF_IN_STATUS];
	if (strcmp(s, "subscribed") != 0 && strcmp(s, "unsubscribed") != 0 &&
	    strcmp(s, "unknown") != 0)
		cf_fail(fm, CF_IN_STATUS, cf_err_status);
}

/* The ticked tags "tag.<id>" that are the customer's, as an SQL array. */
static void
cf_check_tags(struct req *r, const struct ct_ctx *cx, struct cf_form *fm)
{
	const char	*n;
	int64_t		 id;
	size_t		 i;
	int		 k = 0;

	buf_putc(&fm->tags, '{');
	for (i = 0; i < r->form.n; i++) {
		n = r->form.v[i].name;
		if (strncmp(n, "tag.", 4) != 0 || strlen(n + 4) > 18 ||
		    strspn(n + 4, "0123456789") != strlen(n + 4) ||
		    (id = strtoll(n + 4, NULL, 10)) <= 0 ||
		    !ct_tag_known(cx, id))
			continue;
		buf_printf(&fm->tags, "%s%lld", k++ > 0 ? "," : "",
		    (long long)id);
	}
	buf_putc(&fm->tags, '}');
}

/*
 * One custom field's value v: its JSON value, or NULL with *why; the
 * rule of the import and the API (core/contact_field.h).
 */
static struct json_object *
cf_field_value(struct json_object *f, const char *v, const char **why)
{
	struct json_object	*c = json_object_object_get(f, "choices"), *val;
	const char		*choices[100];
	struct buf		 b = BUF_INIT;
	size_t			 i, n = 0;

	for (i = 0; c != NULL && i < json_object_array_length(c) && i < 100;
	    i++)
		choices[n++] = json_object_get_string(
		    json_object_array_get_idx(c, i));
	val = NULL;
	if (cfield_value(cfield_kind_parse(json_object_get_string(
	    json_object_object_get(f, "kind"))), choices, n, v, strlen(v), &b,
	    why) == 0 && (val = json_tokener_parse(buf_str(&b))) == NULL)
		*why = cf_err_text;
	buf_free(&b);
	return val;
}

/* Every custom field "f.<key>": typed values, or their reasons. */
static void
cf_check_fields(struct req *r, const struct ct_ctx *cx, struct cf_form *fm)
{
	struct json_object	*f, *val;
	const struct param	*p;
	const char		*key, *why;
	char			 name[64];
	int			 i;

	for (i = 0; i < cx->nfields; i++) {
		f = json_object_array_get_idx(cx->fields, (size_t)i);
		key = json_object_get_string(json_object_object_get(f, "key"));
		snprintf(name, sizeof(name), "f.%s", key);
		if ((p = params_get(&r->form, name)) == NULL ||
		    p->value[strspn(p->value, " ")] == '\0')
			continue;
		json_object_object_add(fm->fraw, key, json_object_new_string(
		    p->value));
		if (!utf8_valid(p->value, p->valsz))
			why = cf_err_text, val = NULL;
		else
			val = cf_field_value(f, p->value, &why);
		if (val != NULL)
			json_object_object_add(fm->fields, key, val);
		else {
			json_object_object_add(fm->ferr, key,
			    json_object_new_string(req_tr(r, why)));
			fm->nerr++;
		}
	}
}

static void
cf_form_init(struct cf_form *fm)
{
	memset(fm, 0, sizeof(*fm));
	fm->fields = json_object_new_object();
	fm->ferr = json_object_new_object();
	fm->fraw = json_object_new_object();
}

static void
cf_form_free(struct cf_form *fm)
{
	buf_free(&fm->notes);
	buf_free(&fm->tags);
	json_object_put(fm->fields);
	json_object_put(fm->ferr);
	json_object_put(fm->fraw);
}

/* The tags for the form's checkboxes, ticked as arr ("{1,2}") has them. */
static struct json_object *
cf_tag_boxes(const struct ct_ctx *cx, const char *arr)
{
	struct json_object	*out = ct_tag_choices(cx, NULL, 0), *t;
	char			 id[24];
	size_t			 i;

	for (i = 0; i < json_object_array_length(out); i++) {
		t = json_object_array_get_idx(out, i);
		snprintf(id, sizeof(id), "%lld", (long long)
		    json_object_get_int64(json_object_object_get(t, "id")));
		json_object_object_add(t, "checked", json_object_new_boolean(
		    ct_array_has(arr, id)));
	}
	return out;
}

/*
 * The custom fields for the form: [{key, label, kind, is_<kind>, value,
 * error, choices[{value, selected}], yes, no}] with the values of vals
 * ({key: value as text}) and the errors of errs.
 */
static struct json_object *
cf_field_inputs(const struct ct_ctx *cx, struct json_object *vals,
    struct json_object *errs)
{
	struct json_object	*out = json_object_new_array(), *f, *o, *ch, *c;
	const char		*key, *kind, *v;
	char			 is[32];
	size_t			 i, k;

	for (i = 0; i < (size_t)cx->nfields; i++) {
		f = json_object_array_get_idx(cx->fields, i);
		key = json_object_get_string(json_object_object_get(f, "key"));
		kind = json_object_get_string(json_object_object_get(f, "kind"));
		v = json_object_get_string(json_object_object_get(vals, key));
		v = v != NULL ? v : "";
		o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(key));
		json_object_object_add(o, "label", json_object_get(
		    json_object_object_get(f, "label")));
		snprintf(is, sizeof(is), "is_%s", kind);
		json_object_object_add(o, is, json_object_new_boolean(1));
		json_object_object_add(o, "value", json_object_new_string(v));
		json_object_object_add(o, "yes", json_object_new_boolean(
		    strcmp(v, "yes") == 0 || strcmp(v, "true") == 0));
		json_object_object_add(o, "no", json_object_new_boolean(
		    strcmp(v, "no") == 0 || strcmp(v, "false") == 0));
		if (json_object_object_get(errs, key) != NULL)
			json_object_object_add(o, "error", json_object_get(
			    json_object_object_get(errs, key)));
		ch = json_object_new_array();
		for (k = 0; k < json_object_array_length(json_object_object_get(
		    f, "choices")); k++) {
			const char *cv = json_object_get_string(
			    json_object_array_get_idx(json_object_object_get(f,
			    "choices"), k));

			c = json_object_new_object();
			json_object_object_add(c, "value",
			    json_object_new_string(cv));
			json_object_object_add(c, "selected",
			    json_object_new_boolean(strcmp(cv, v) == 0));
			json_object_array_add(ch, c);
		}
		json_object_object_add(o, "choices", ch);
		json_object_array_add(out, o);
	}
	return out;
}

/* A stored contact's fields JSON as {key: value as text} (yes/no). */
static struct json_object *
cf_stored_values(const char *json)
{
	struct json_object	*in = json_tokener_parse(json);
	struct json_object	*out = json_object_new_object();

	if (in == NULL)
		return out;
	json_object_object_foreach(in, key, val) {
		const char *s = json_object_is_type(val, json_type_boolean) ?
		    (json_object_get_boolean(val) ? "yes" : "no") :
		    json_object_get_string(val);

		json_object_object_add(out, key, json_object_new_string(s));
	}
	json_object_put(in);
	return out;
}

/*
 * Render the form: id 0 is a new contact; vals holds the fixed values
 * by input name, tags the ticked ones, fvals/ferrs the custom fields',
 * err the reasons by input (NULL: none) and the first wrong one gets
 * the focus.
 */
static int
cf_render(struct req *r, const struct ct_ctx *cx, int status,
    const char *id, const char *const *vals, const char *tags,
    struct json_object *fvals, struct json_object *ferrs,
    const char *const *err, const char *form_err)
{
	struct json_object	*v = json_object_new_object();
	struct json_object	*values = json_object_new_object();
	struct json_object	*errors = json_object_new_object();
	char			 key[32];
	int			 i, focus = 0, rc;

	for (i = 0; i < CF_IN__MAX; i++) {
		json_object_object_add(values, cf_in[i].name,
		    json_object_new_string(vals[i]));
		if (err != NULL && err[i] != NULL) {
			json_object_object_add(errors, cf_in[i].name,
			    json_object_new_string(req_tr(r, err[i])));
			if (!focus++) {
				snprintf(key, sizeof(key), "focus_%s",
				    cf_in[i].name);
				json_object_object_add(v, key,
				    json_object_new_boolean(1));
			}
		}
		snprintf(key, sizeof(key), "status_%s", vals[CF_IN_STATUS]);
	}
	json_object_object_add(values, key, json_object_new_boolean(1));
	json_object_object_add(v, "title", json_object_new_string(*id !=
	    '\0' ? req_tr(r, "Edit the contact") : req_tr(r, "Add a contact")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(id));
	json_object_object_add(v, "editing", json_object_new_boolean(*id != '\0'));
	json_object_object_add(v, "values", values);
	json_object_object_add(v, "errors", errors);
	json_object_object_add(v, "tags", cf_tag_boxes(cx, tags));
	json_object_object_add(v, "has_tags", json_object_new_boolean(
	    cx->ntags > 0));
	json_object_object_add(v, "fields", cf_field_inputs(cx, fvals, ferrs));
	json_object_object_add(v, "has_fields", json_object_new_boolean(
	    cx->nfields > 0));
	if (form_err != NULL)
		json_object_object_add(v, "form_error",
		    json_object_new_string(form_err));
	else if (err != NULL || json_object_object_length(ferrs) > 0)
		json_object_object_add(v, "has_errors",
		    json_object_new_boolean(1));
	rc = resp_html(r, status, "contact_form", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/new */
static int
cf_new(struct req *r)
{
	static const char *const vals[CF_IN__MAX] = { "", "", "", "", "",
	    "unknown" };
	struct json_object	*none = json_object_new_object();
	struct json_object	*noerr = json_object_new_object();
	struct ct_ctx		 cx;
	int			 rc;

	if (ct_ctx_load(r, &cx) == -1)
		return 503;
	rc = cf_render(r, &cx, 200, "", vals, "{}", none, noerr, NULL, NULL);
	json_object_put(none);
	json_object_put(noerr);
	ct_ctx_free(&cx);
	return rc;
}

/* GET /contacts/{id}/edit */
static int
cf_edit(struct req *r)
{
	const char		*vals[CF_IN__MAX];
	struct json_object	*fv, *noerr;
	struct ct_ctx		 cx;
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = req_owned(r, &cf_sql[CF_GET], &status)) == NULL)
		return status;
	if (ct_ctx_load(r, &cx) == -1) {
		PQclear(res);
		return 503;
	}
	vals[CF_IN_PHONE] = db_get(res, 0, CFG_PHONE);
	vals[CF_IN_NAME] = db_get(res, 0, CFG_NAME);
	vals[CF_IN_EMAIL] = db_get(res, 0, CFG_EMAIL);
	vals[CF_IN_LANGUAGE] = db_get(res, 0, CFG_LANGUAGE);
	vals[CF_IN_NOTES] = db_get(res, 0, CFG_NOTES);
	vals[CF_IN_STATUS] = db_get(res, 0, CFG_STATUS);
	fv = cf_stored_values(db_get(res, 0, CFG_FIELDS));
	noerr = json_object_new_object();
	rc = cf_render(r, &cx, 200, r->args[0], vals, db_get(res, 0, CFG_TAGS),
	    fv, noerr, NULL, NULL);
	json_object_put(fv);
	json_object_put(noerr);
	PQclear(res);
	ct_ctx_free(&cx);
	return rc;
}

/* The limit's message: "... them all: 1,000. Delete some, ..." */
static const char *
cf_limit_text(struct req *r, int64_t limit)
{
	char	 num[32];

	ct_number(limit, num, sizeof(num));
	return req_keep(r, xasprintf("%s %s. %s", req_tr(r, cf_err_limit), num,
	    req_tr(r, cf_err_limit_hint)));
}

/* Insert or update (id ""): 0 with out_id, or the form's error, or 503. */
static int
cf_store(struct req *r, const struct ct_ctx *cx, struct cf_form *fm,
    const char *id, char out_id[24])
{
	char		 cid[24];
	const char	*p[10];
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	p[0] = cid, p[1] = fm->phone, p[2] = fm->val[CF_IN_NAME];
	p[3] = fm->email[0] != '\0' ? fm->email : "";
	p[4] = fm->language, p[5] = fm->notes.data, p[6] = buf_str(&fm->tags);
	p[7] = json_object_to_json_string_ext(fm->fields,
	    JSON_C_TO_STRING_PLAIN);
	p[8] = fm->val[CF_IN_STATUS], p[9] = id;
	res = db_exec(&r->app->db, &cf_sql[*id != '\0' ? CF_UPDATE : CF_INSERT],
	    p);
	if (res == NULL && strcmp(r->app->db.sqlstate, "23505") == 0) {
		cf_fail(fm, CF_IN_PHONE, cf_err_dup);
		return 422;
	}
	if (res == NULL && strcmp(r->app->db.sqlstate, "WA001") == 0) {
		fm->form_err = cf_limit_text(r, cx->max_contacts);
		return 422;
	}
	if (res == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 404;
	}
	snprintf(out_id, 24, "%s", db_get(res, 0, CFI_ID));
	PQclear(res);
	return 0;
}

/* POST /contacts/new and /contacts/{id}/edit */
static int
cf_post(struct req *r)
{
	const char	*id = r->nargs > 0 ? r->args[0] : "";
	struct cf_form	 fm;
	struct ct_ctx	 cx;
	char		 new_id[24], loc[64];
	PGresult	*own = NULL;
	int		 rc = 0;

	/* Another customer's contact is 404 before anything is checked. */
	if (*id != '\0' && (own = req_owned(r, &cf_sql[CF_GET], &rc)) == NULL)
		return rc;
	PQclear(own);
	if (ct_ctx_load(r, &cx) == -1)
		return 503;
	cf_form_init(&fm);
	cf_check_fixed(r, &cx, &fm);
	cf_check_tags(r, &cx, &fm);
	cf_check_fields(r, &cx, &fm);
	if (*id == '\0' && cx.max_contacts <= cx.total)
		fm.form_err = cf_limit_text(r, cx.max_contacts);
	rc = fm.nerr > 0 || fm.form_err != NULL ? 422 :
	    cf_store(r, &cx, &fm, id, new_id);
	if (rc == 422)
		rc = cf_render(r, &cx, 422, id, fm.val, buf_str(&fm.tags),
		    fm.fraw, fm.ferr, fm.nerr > 0 ? fm.err : NULL, fm.form_err);
	else if (rc == 0) {
		flash_set(r, &cf_flashes[*id != '\0' ? CFF_SAVED : CFF_ADDED]);
		snprintf(loc, sizeof(loc), "/contacts/%s", new_id);
		rc = resp_redirect(r, 303, loc);
	}
	cf_form_free(&fm);
	ct_ctx_free(&cx);
	return rc;
}

static const struct route cf_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/new", .handler = cf_new,
	    .name = "contact_new", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/new",
	    .handler = cf_post, .name = "contact_add", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 64 * 1024,
	    .pass_invalid = 1, ROUTE_INPUTS(cf_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/{int}/edit",
	    .handler = cf_edit, .name = "contact_edit", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/{int}/edit",
	    .handler = cf_post, .name = "contact_save", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 64 * 1024,
	    .pass_invalid = 1, ROUTE_INPUTS(cf_in) },
};

const struct module contact_form_module = {
	.name = "contact_form",
	MODULE_ROUTES(cf_routes),
	MODULE_SQL(cf_sql),
	MODULE_STRINGS(cf_strings),
	MODULE_FLASHES(cf_flashes),
};
