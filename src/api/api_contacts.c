/* api_contacts.c: /api/v1/contacts: list (search, status, tags, cursor), get, create, update, delete one contact of the key's customer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/contact_field.h"
#include "core/db.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/input.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "aud/aud_filter.h"
#include "api.h"

#define AC_LIMIT_DEFAULT	50
#define AC_LIMIT_MAX		100
#define AC_Q_MAX		400	/* bytes of a search */
#define AC_FILTER_TAGS		50	/* tag ids in a filter */
#define AC_TAGS_MAX		1000	/* tags of a contact (sql/0012) */

/* A timestamp as RFC 3339 in UTC, or JSON null. */
#define AC_TS(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* One contact of the API as JSON, from a row c of contacts. */
#define AC_JSON \
	"json_build_object('id', c.id, 'phone', c.phone, 'name', c.name, " \
	"'email', c.email, 'language', c.language, 'notes', c.notes, " \
	"'status', c.status, 'consent_source', c.consent_source, " \
	"'consent_at', " AC_TS("c.consent_at") ", 'tags', to_json(c.tags), " \
	"'fields', c.fields, 'last_in_at', " AC_TS("c.last_in_at") ", " \
	"'last_out_at', " AC_TS("c.last_out_at") ", 'created_at', " \
	AC_TS("c.created_at") ", 'updated_at', " AC_TS("c.updated_at") \
	")::text AS contact"

/* The columns of the statements. */
enum { ACL_ID, ACL_CONTACT, ACL_KEY, ACL__MAX };
enum { ACO_ID, ACO_CONTACT, ACO__MAX };		/* one contact */
enum { ACX_COUNTRY, ACX_LIMIT, ACX_TOTAL, ACX_TAGS, ACX_FIELDS, ACX__MAX };
enum { ACP_ID, ACP__MAX };
enum { ACB_I, ACB_RESULT, ACB_ID, ACB__MAX };

enum {
	AC_LIST_CREATED_DESC,	/* one per aud_sort, in its order */
	AC_LIST_CREATED_ASC,
	AC_LIST_NAME_ASC,
	AC_LIST_NAME_DESC,
	AC_GET,
	AC_CTX,
	AC_CREATE,
	AC_BY_PHONE,
	AC_PATCH,
	AC_DELETE,
	AC_BULK,
	ACS__MAX
};

#define AC_BULK_MAX	1000	/* contacts of one bulk call */

/*
 * A page of contacts matching the shared filter (AUD_FILTER_WHERE,
 * $1..$17) past the cursor's key $18 and id $19, in the order of col
 * (its cursor form key, at $18's value), $20 rows; as the portal's
 * list walks them (src/aud/aud_filter.c), so its cursors are the same.
 */
#define AC_LIST(name, col, key, at, op, ord) { name, \
	"SELECT c.id, " AC_JSON ", " key "::text AS sort_key FROM contacts c " \
	"WHERE " AUD_FILTER_WHERE "AND ($19::bigint IS NULL OR (" col \
	", c.id) " op " (" at ", $19::bigint)) ORDER BY " col " " ord \
	", c.id " ord " LIMIT $20::integer", 20, DB_RETRY, \
	DB_COLS(ACL__MAX, [ACL_ID] = "id", [ACL_CONTACT] = "contact", \
	[ACL_KEY] = "sort_key") }
#define AC_MICROS	"(extract(epoch FROM c.created_at) * 1000000)::bigint"
#define AC_AT_MICROS \
	"('epoch'::timestamptz + $18::bigint * interval '1 microsecond')"

static const struct stmt ac_sql[ACS__MAX] = {
	[AC_LIST_CREATED_DESC] = AC_LIST("api_contacts.list_created_desc",
	    "c.created_at", AC_MICROS, AC_AT_MICROS, "<", "DESC"),
	[AC_LIST_CREATED_ASC] = AC_LIST("api_contacts.list_created_asc",
	    "c.created_at", AC_MICROS, AC_AT_MICROS, ">", "ASC"),
	[AC_LIST_NAME_ASC] = AC_LIST("api_contacts.list_name_asc",
	    "lower(c.name)", "lower(c.name)", "$18::text", ">", "ASC"),
	[AC_LIST_NAME_DESC] = AC_LIST("api_contacts.list_name_desc",
	    "lower(c.name)", "lower(c.name)", "$18::text", "<", "DESC"),
	[AC_GET] = { "api_contacts.get",
	    "SELECT c.id, " AC_JSON " FROM contacts c "
	    "WHERE c.customer_id = $1::bigint AND c.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(ACO__MAX, [ACO_ID] = "id",
	    [ACO_CONTACT] = "contact") },
	/* What a contact of customer $1 is checked against: the country of
	 * national numbers, the package's limit and the contacts so far,
	 * the tag ids and the custom fields [{key, kind, choices}]. */
	[AC_CTX] = { "api_contacts.context",
	    "SELECT u.country, wa_contact_limit(u.id) AS max_contacts, "
	    "coalesce((SELECT n.total FROM contact_counts n "
	    "WHERE n.customer_id = u.id), 0) AS total, "
	    "coalesce((SELECT json_agg(t.id) FROM tags t "
	    "WHERE t.customer_id = u.id), '[]')::text AS tags, "
	    "coalesce((SELECT json_agg(json_build_object('key', f.key, "
	    "'kind', f.kind, 'choices', f.choices)) FROM contact_fields f "
	    "WHERE f.customer_id = u.id), '[]')::text AS fields "
	    "FROM users u WHERE u.id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(ACX__MAX, [ACX_COUNTRY] = "country",
	    [ACX_LIMIT] = "max_contacts", [ACX_TOTAL] = "total",
	    [ACX_TAGS] = "tags", [ACX_FIELDS] = "fields") },
	/* A new contact; a status other than unknown is a consent of the
	 * API's, logged. No row: the phone is taken. */
	[AC_CREATE] = { "api_contacts.create",
	    "WITH ins AS (INSERT INTO contacts (customer_id, phone, name, "
	    "email, language, notes, status, consent_source, consent_at, "
	    "tags, fields) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, "
	    "CASE WHEN $7 <> 'unknown' THEN 'api' ELSE '' END, "
	    "CASE WHEN $7 <> 'unknown' THEN wa_now() END, $8::bigint[], "
	    "$9::jsonb) ON CONFLICT (customer_id, phone) DO NOTHING "
	    "RETURNING *), con AS (INSERT INTO contact_consents (customer_id, "
	    "contact_id, phone, status, source) SELECT i.customer_id, i.id, "
	    "i.phone, i.status, 'api' FROM ins i WHERE i.status <> 'unknown') "
	    "SELECT c.id, " AC_JSON " FROM ins c", 9, DB_ONCE,
	    DB_COLS(ACO__MAX, [ACO_ID] = "id", [ACO_CONTACT] = "contact") },
	[AC_BY_PHONE] = { "api_contacts.by_phone",
	    "SELECT id FROM contacts WHERE customer_id = $1::bigint "
	    "AND phone = $2", 2, DB_RETRY, DB_COLS(ACP__MAX, [ACP_ID] = "id") },
	/* Contact $2 of customer $1 with the values given (NULL: kept);
	 * fields: $10 merged in, the keys $11 removed. A change of status
	 * is a consent of the API's, logged. */
	[AC_PATCH] = { "api_contacts.patch",
	    "WITH old AS (SELECT id, status FROM contacts "
	    "WHERE customer_id = $1::bigint AND id = $2::bigint FOR UPDATE), "
	    "upd AS (UPDATE contacts c SET phone = coalesce($3, c.phone), "
	    "name = coalesce($4, c.name), email = coalesce($5, c.email), "
	    "language = coalesce($6, c.language), "
	    "notes = coalesce($7, c.notes), status = coalesce($8, c.status), "
	    "consent_source = CASE WHEN $8 IS NOT NULL AND $8 <> c.status "
	    "THEN 'api' ELSE c.consent_source END, "
	    "consent_at = CASE WHEN $8 IS NOT NULL AND $8 <> c.status "
	    "THEN wa_now() ELSE c.consent_at END, "
	    "tags = coalesce($9::bigint[], c.tags), "
	    "fields = (c.fields || coalesce($10::jsonb, '{}')) - "
	    "coalesce($11::text[], '{}') FROM old WHERE c.id = old.id "
	    "RETURNING c.*), con AS (INSERT INTO contact_consents "
	    "(customer_id, contact_id, phone, status, source) "
	    "SELECT u.customer_id, u.id, u.phone, u.status, 'api' FROM upd u "
	    "JOIN old o ON o.id = u.id WHERE u.status <> o.status) "
	    "SELECT c.id, " AC_JSON " FROM upd c", 11, DB_ONCE,
	    DB_COLS(ACO__MAX, [ACO_ID] = "id", [ACO_CONTACT] = "contact") },
	[AC_DELETE] = { "api_contacts.delete",
	    "DELETE FROM contacts WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint RETURNING id", 2, DB_ONCE,
	    DB_COLS(ACP__MAX, [ACP_ID] = "id") },
	/*
	 * Upsert the checked items $2 ([{i, phone, name, ..., tags, set,
	 * rm}], a member absent: kept, or its default for a new contact) of
	 * customer $1 by phone, at most $3 new ones (the package's room).
	 * A row per item: i, result (created, updated, unchanged, limit)
	 * and the contact's id; a change of status is logged.
	 */
	[AC_BULK] = { "api_contacts.bulk",
	    "WITH input AS (SELECT (e->>'i')::int AS i, e->>'phone' AS phone, "
	    "e->>'name' AS name, e->>'email' AS email, "
	    "e->>'language' AS language, e->>'notes' AS notes, "
	    "e->>'status' AS status, CASE WHEN e ? 'tags' THEN ARRAY(SELECT "
	    "jsonb_array_elements_text(e->'tags'))::bigint[] END AS tags, "
	    "coalesce(e->'set', '{}') AS fset, ARRAY(SELECT "
	    "jsonb_array_elements_text(coalesce(e->'rm', '[]'))) AS frm "
	    "FROM jsonb_array_elements($2::jsonb) e), "
	    "old AS (SELECT c.id, c.phone, c.name, c.email, c.language, "
	    "c.notes, c.status, c.tags, c.fields FROM contacts c "
	    "WHERE c.customer_id = $1::bigint AND c.phone IN "
	    "(SELECT phone FROM input) FOR UPDATE), "
	    "chg AS (SELECT x.*, o.id AS cid, o.status AS ostatus "
	    "FROM input x JOIN old o ON o.phone = x.phone "
	    "WHERE (coalesce(x.name, o.name), coalesce(x.email, o.email), "
	    "coalesce(x.language, o.language), coalesce(x.notes, o.notes), "
	    "coalesce(x.status, o.status), coalesce(x.tags, o.tags), "
	    "(o.fields || x.fset) - x.frm) IS DISTINCT FROM (o.name, o.email, "
	    "o.language, o.notes, o.status, o.tags, o.fields)), "
	    "upd AS (UPDATE contacts c SET name = coalesce(x.name, c.name), "
	    "email = coalesce(x.email, c.email), "
	    "language = coalesce(x.language, c.language), "
	    "notes = coalesce(x.notes, c.notes), "
	    "status = coalesce(x.status, c.status), "
	    "consent_source = CASE WHEN x.status <> c.status THEN 'api' "
	    "ELSE c.consent_source END, consent_at = CASE WHEN "
	    "x.status <> c.status THEN wa_now() ELSE c.consent_at END, "
	    "tags = coalesce(x.tags, c.tags), "
	    "fields = (c.fields || x.fset) - x.frm FROM chg x "
	    "WHERE c.id = x.cid RETURNING c.id, x.i), "
	    "new AS (SELECT x.*, row_number() OVER (ORDER BY x.i) AS rn "
	    "FROM input x WHERE NOT EXISTS (SELECT 1 FROM old o "
	    "WHERE o.phone = x.phone)), "
	    "ins AS (INSERT INTO contacts (customer_id, phone, name, email, "
	    "language, notes, status, consent_source, consent_at, tags, "
	    "fields) SELECT $1::bigint, n.phone, coalesce(n.name, ''), "
	    "coalesce(n.email, ''), coalesce(n.language, ''), "
	    "coalesce(n.notes, ''), coalesce(n.status, 'unknown'), "
	    "CASE WHEN coalesce(n.status, 'unknown') <> 'unknown' THEN 'api' "
	    "ELSE '' END, CASE WHEN coalesce(n.status, 'unknown') <> "
	    "'unknown' THEN wa_now() END, coalesce(n.tags, '{}'), "
	    "n.fset - n.frm FROM new n WHERE n.rn <= $3::bigint "
	    "ON CONFLICT (customer_id, phone) DO NOTHING "
	    "RETURNING id, phone, status), "
	    "con AS (INSERT INTO contact_consents (customer_id, contact_id, "
	    "phone, status, source) SELECT $1::bigint, i.id, i.phone, "
	    "i.status, 'api' FROM ins i WHERE i.status <> 'unknown' "
	    "UNION ALL SELECT $1::bigint, x.cid, x.phone, x.status, 'api' "
	    "FROM chg x WHERE x.status <> x.ostatus) "
	    "SELECT x.i, CASE WHEN u.id IS NOT NULL THEN 'updated' "
	    "WHEN n.id IS NOT NULL THEN 'created' "
	    "WHEN o.id IS NOT NULL THEN 'unchanged' "
	    "WHEN w.rn > $3::bigint THEN 'limit' ELSE 'conflict' END "
	    "AS result, coalesce(u.id, n.id, o.id, 0) AS id FROM input x "
	    "LEFT JOIN upd u ON u.i = x.i LEFT JOIN ins n ON n.phone = x.phone "
	    "LEFT JOIN old o ON o.phone = x.phone LEFT JOIN new w ON w.i = x.i "
	    "ORDER BY x.i", 3, DB_ONCE, DB_COLS(ACB__MAX, [ACB_I] = "i",
	    [ACB_RESULT] = "result", [ACB_ID] = "id") },
};

/* GET /api/v1/contacts/{id}: one of the customer's contacts. */
static int
ac_get(struct req *r)
{
	char		 cid[24];
	const char	*params[2] = { cid, r->args[0] };
	PGresult	*res;
	int		 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &ac_sql[AC_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such contact.");
	}
	rc = api_json_text(r, 200, db_get(res, 0, ACL_CONTACT));
	PQclear(res);
	return rc;
}

/* ------------------------------------------------------------ a body */

/* What a contact is checked against (AC_CTX), owned by the request. */
struct ac_ctx {
	char			 country[3];
	long long		 max;
	long long		 total;
	struct json_object	*tags;		/* [id] */
	struct json_object	*fields;	/* [{key, kind, choices}] */
};

/*
 * A checked body: each value NULL when not given (PATCH keeps it), the
 * tags as a bigint[] literal, the fields to set as a JSON object and
 * the keys to remove as a text[] literal (NULL: none).
 */
struct ac_body {
	const char	*v[8];
	char		 phone[PHONE_E164_MAX + 1];
	char		 email[EMAIL_MAX + 1];
	char		 language[CONTACT_LANG_MAX + 1];
	struct buf	 tags;
	struct buf	 set;
	struct buf	 rm;
	int		 nset, nrm;
	struct json_object *errors;
};

/* The body's members, in the order of ac_body's v. */
enum {
	AB_PHONE,
	AB_NAME,
	AB_EMAIL,
	AB_LANGUAGE,
	AB_NOTES,
	AB_STATUS,
	AB_TAGS,
	AB_FIELDS,
	AB__MAX
};

static const char *const ac_members[AB__MAX] = {
	"phone", "name", "email", "language", "notes", "status", "tags",
	"fields",
};

static void
ac_ctx_free(struct ac_ctx *x)
{
	json_object_put(x->tags);
	json_object_put(x->fields);
}

/* The customer's context; 0, or 503. */
static int
ac_ctx_load(struct req *r, struct ac_ctx *x)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	memset(x, 0, sizeof(*x));
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &ac_sql[AC_CTX], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 503;
	}
	snprintf(x->country, sizeof(x->country), "%s",
	    db_get(res, 0, ACX_COUNTRY));
	x->max = db_getll(res, 0, ACX_LIMIT);
	x->total = db_getll(res, 0, ACX_TOTAL);
	x->tags = json_tokener_parse(db_get(res, 0, ACX_TAGS));
	x->fields = json_tokener_parse(db_get(res, 0, ACX_FIELDS));
	PQclear(res);
	return 0;
}

/* A string member's trimmed value in *s, *n; -1 (error added) if not one. */
static int
ac_string(struct ac_body *b, struct json_object *v, const char *name,
    const char **s, size_t *n)
{
	if (!json_object_is_type(v, json_type_string)) {
		api_error_add(b->errors, name, "Must be a string.");
		return -1;
	}
	*s = json_object_get_string(v);
	*n = (size_t)json_object_get_string_len(v);
	if (memchr(*s, '\0', *n) != NULL) {
		api_error_add(b->errors, name, "Must not hold NUL.");
		return -1;
	}
	text_trim(s, n);
	return 0;
}

/* "phone": read by phone_parse in the customer's country, mobile. */
static void
ac_phone(struct ac_body *b, struct json_object *v, const struct ac_ctx *x)
{
	enum phone_why	 why;
	const char	*s;
	size_t		 n;

	if (ac_string(b, v, "phone", &s, &n) == -1)
		return;
	if (phone_parse(s, n, x->country, PHONE_MOBILE, b->phone, &why) == -1)
		api_error_code_add(b->errors, "phone", phone_why_text(why),
		    phone_why_code(why));
	else
		b->v[AB_PHONE] = b->phone;
}

/* name, email, language, notes: each by its rule; "" unsets. */
static void
ac_text(struct req *r, struct ac_body *b, int m, struct json_object *v)
{
	const char	*s, *why = NULL;
	size_t		 n;
	int		 rc;

	if (ac_string(b, v, ac_members[m], &s, &n) == -1)
		return;
	if (m == AB_NAME)
		rc = contact_name_check(s, n, &why);
	else if (m == AB_NOTES)
		rc = contact_notes_check(s, n, &why);
	else if (m == AB_LANGUAGE)
		rc = contact_language(s, n, b->language, &why);
	else if (n == 0)
		rc = 0;		/* b->email is "": unset */
	else
		rc = email_normalize(s, n, b->email, &why);
	if (rc == -1) {
		api_error_add(b->errors, ac_members[m], why);
		return;
	}
	b->v[m] = m == AB_LANGUAGE ? b->language : m == AB_EMAIL ? b->email :
	    req_strndup(r, s, n);
}

/* "status": subscribed, unsubscribed or unknown. */
static void
ac_status(struct ac_body *b, struct json_object *v)
{
	const char	*s = json_object_get_string(v);
	size_t		 i;

	for (i = 0; json_object_is_type(v, json_type_string) &&
	    i < CSTATUS__MAX; i++)
		if (strcmp(s, contact_status_names[i]) == 0) {
			b->v[AB_STATUS] = contact_status_names[i];
			return;
		}
	api_error_add(b->errors, "status",
	    "Must be subscribed, unsubscribed or unknown.");
}

/* Whether id is one of the customer's tags. */
static int
ac_tag_known(const struct ac_ctx *x, int64_t id)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(x->tags); i++)
		if (json_object_get_int64(json_object_array_get_idx(x->tags,
		    i)) == id)
			return 1;
	return 0;
}

/* "tags": an array of the customer's tag ids (replaces the contact's). */
static void
ac_tags(struct ac_body *b, struct json_object *v, const struct ac_ctx *x)
{
	struct json_object	*t;
	size_t			 i, n;

	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) > AC_TAGS_MAX) {
		api_error_add(b->errors, "tags",
		    "Must be an array of at most 1000 tag ids.");
		return;
	}
	buf_putc(&b->tags, '{');
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(v, i);
		if (!json_object_is_type(t, json_type_int) ||
		    !ac_tag_known(x, json_object_get_int64(t))) {
			api_error_add(b->errors, "tags",
			    "Holds an id that is not one of your tags.");
			return;
		}
		buf_printf(&b->tags, "%s%lld", i > 0 ? "," : "",
		    (long long)json_object_get_int64(t));
	}
	buf_putc(&b->tags, '}');
	b->v[AB_TAGS] = buf_str(&b->tags);
}

/* The definition of custom field key, or NULL. */
static struct json_object *
ac_field_def(const struct ac_ctx *x, const char *key)
{
	struct json_object	*d;
	size_t			 i;

	for (i = 0; i < json_object_array_length(x->fields); i++) {
		d = json_object_array_get_idx(x->fields, i);
		if (strcmp(json_object_get_string(json_object_object_get(d,
		    "key")), key) == 0)
			return d;
	}
	return NULL;
}

/* One value's text as cfield_value reads it; NULL if no such kind. */
static const char *
ac_field_raw(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double))
		return json_object_get_string(v);
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? "true" : "false";
	return NULL;
}

/* Clean value v of field def d into b->set, or remove it (null, ""). */
static void
ac_field(struct ac_body *b, const char *key, struct json_object *d,
    struct json_object *v)
{
	struct json_object	*ch = json_object_object_get(d, "choices");
	const char		*choices[100], *raw, *why = NULL;
	size_t			 i, nch, mark = b->set.len;
	int			 kind;

	kind = cfield_kind_parse(json_object_get_string(
	    json_object_object_get(d, "kind")));
	nch = json_object_array_length(ch);
	for (i = 0; i < nch && i < 100; i++)
		choices[i] = json_object_get_string(
		    json_object_array_get_idx(ch, i));
	buf_printf(&b->set, "%s", b->nset > 0 ? "," : "");
	cfield_json_string(&b->set, key, strlen(key));
	buf_putc(&b->set, ':');
	if (v != NULL && (raw = ac_field_raw(v)) != NULL && kind >= 0 &&
	    cfield_value(kind, choices, nch, raw, strlen(raw), &b->set,
	    &why) == -1) {
		api_error_add(b->errors, "fields", why);
		return;
	}
	if (v != NULL && ac_field_raw(v) == NULL) {
		api_error_add(b->errors, "fields", "A value must be a string, "
		    "a number, true, false or null.");
		return;
	}
	if (b->set.len > mark + strlen(key) + 3 + (b->nset > 0)) {
		b->nset++;
		return;
	}
	b->set.len = mark;	/* nothing appended: remove the key */
	b->set.data[mark] = '\0';
	buf_printf(&b->rm, "%s\"%s\"", b->nrm++ > 0 ? "," : "", key);
}

/* "fields": {key: value} of the customer's custom fields. */
static void
ac_fields(struct ac_body *b, struct json_object *v, const struct ac_ctx *x)
{
	struct json_object	*d;

	if (!json_object_is_type(v, json_type_object)) {
		api_error_add(b->errors, "fields", "Must be an object.");
		return;
	}
	buf_putc(&b->set, '{');
	json_object_object_foreach(v, key, val) {
		if ((d = ac_field_def(x, key)) == NULL) {
			api_error_add(b->errors, "fields",
			    "Holds a key that is not one of your fields.");
			return;
		}
		ac_field(b, key, d, val);
	}
	buf_putc(&b->set, '}');
	b->v[AB_FIELDS] = buf_str(&b->set);
}

/* Refuse members the body may not have. */
static void
ac_unknown(struct ac_body *b, struct json_object *o)
{
	size_t	 i;

	json_object_object_foreach(o, k, v) {
		(void)v;
		for (i = 0; i < AB__MAX; i++)
			if (strcmp(k, ac_members[i]) == 0)
				break;
		if (i == AB__MAX)
			api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
	}
}

/* Check the contact object o into b against x (errors in b->errors). */
static void
ac_obj_check(struct req *r, struct ac_body *b, const struct ac_ctx *x,
    struct json_object *o)
{
	struct json_object	*v;
	int			 m;

	ac_unknown(b, o);
	for (m = 0; m < AB__MAX; m++) {
		if (!json_object_object_get_ex(o, ac_members[m], &v))
			continue;
		if (m == AB_PHONE)
			ac_phone(b, v, x);
		else if (m == AB_STATUS)
			ac_status(b, v);
		else if (m == AB_TAGS)
			ac_tags(b, v, x);
		else if (m == AB_FIELDS)
			ac_fields(b, v, x);
		else
			ac_text(r, b, m, v);
	}
}

/* The request body as JSON in *json (the caller's); -1: not parsed. */
static int
ac_parse(struct req *r, struct json_object **json)
{
	struct parse_limits	 lim = parse_limits_default;

	lim.max_total = lim.max_value = r->bodysz + 1;
	return jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0);
}

/*
 * Check the request body into b against x; *json owns the parsed body.
 * Returns 0 when it is one JSON object (errors may be in b->errors).
 */
static int
ac_body_check(struct req *r, struct ac_body *b, const struct ac_ctx *x,
    struct json_object **json)
{
	b->errors = json_object_new_array();
	if (ac_parse(r, json) == -1 ||
	    !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return -1;
	}
	ac_obj_check(r, b, x, *json);
	return 0;
}

static void
ac_body_free(struct ac_body *b)
{
	buf_free(&b->tags);
	buf_free(&b->set);
	buf_free(&b->rm);
	json_object_put(b->errors);
}

/* 403 contact-limit naming the package's limit. */
static int
ac_limit(struct req *r, long long max)
{
	char	 d[96];

	snprintf(d, sizeof(d), "The package allows at most %lld contacts.",
	    max);
	return api_fail(r, 403, "contact-limit", d);
}

/* 409 duplicate-contact with the id of the contact that has phone. */
static int
ac_duplicate(struct req *r, const char *phone)
{
	char		 cid[24];
	const char	*params[2] = { cid, phone };
	PGresult	*res;
	long long	 id;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &ac_sql[AC_BY_PHONE], params)) ==
	    NULL)
		return 503;
	id = PQntuples(res) == 1 ? (long long)db_getll(res, 0, ACP_ID) : 0;
	PQclear(res);
	return api_problem_id(r, 409, "duplicate-contact",
	    "A contact with this phone number exists; existing_id names it.",
	    "existing_id", id);
}

/* A failed write: the package's limit, a taken phone, or 503. */
static int
ac_write_failed(struct req *r, const struct ac_ctx *x, const char *phone)
{
	if (strcmp(r->app->db.sqlstate, "WA001") == 0)
		return ac_limit(r, x->max);
	if (strcmp(r->app->db.sqlstate, "23505") == 0 && phone != NULL)
		return ac_duplicate(r, phone);
	return 503;
}

/* Answer status with the contact of res's first row, with Location. */
static int
ac_answer(struct req *r, int status, PGresult *res)
{
	char	 loc[64];
	int	 rc;

	snprintf(loc, sizeof(loc), "/api/v1/contacts/%lld",
	    (long long)db_getll(res, 0, ACL_ID));
	if (status == 201)
		resp_header(r, "Location", loc);
	rc = api_json_text(r, status, db_get(res, 0, ACL_CONTACT));
	PQclear(res);
	return rc;
}

/* The create statement's parameters from a checked body. */
static void
ac_create_params(struct req *r, const struct ac_body *b, char *cid,
    const char *params[9])
{
	int	 m;

	snprintf(cid, 24, "%lld", (long long)r->customer_id);
	params[0] = cid;
	for (m = AB_PHONE; m <= AB_STATUS; m++)
		params[1 + m] = b->v[m] != NULL ? b->v[m] : "";
	if (b->v[AB_STATUS] == NULL)
		params[6] = "unknown";
	params[7] = b->v[AB_TAGS] != NULL ? b->v[AB_TAGS] : "{}";
	params[8] = b->v[AB_FIELDS] != NULL ? b->v[AB_FIELDS] : "{}";
}

/* Insert the checked contact: 201, 403, 409 or 503. */
static int
ac_insert(struct req *r, const struct ac_body *b, const struct ac_ctx *x)
{
	char		 cid[24];
	const char	*params[9];
	PGresult	*res;

	ac_create_params(r, b, cid, params);
	if ((res = db_exec(&r->app->db, &ac_sql[AC_CREATE], params)) == NULL)
		return ac_write_failed(r, x, NULL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return ac_duplicate(r, b->phone);
	}
	return ac_answer(r, 201, res);
}

/*
 * POST /api/v1/contacts: a new contact (phone required); 201 with it,
 * 409 duplicate-contact with the existing id, 403 contact-limit.
 */
static int
ac_create(struct req *r)
{
	struct ac_body		 b;
	struct ac_ctx		 x;
	struct json_object	*json = NULL;
	int			 rc;

	memset(&b, 0, sizeof(b));
	if (ac_ctx_load(r, &x) != 0)
		return 503;
	ac_body_check(r, &b, &x, &json);
	if (json_object_is_type(json, json_type_object) &&
	    !json_object_object_get_ex(json, "phone", NULL))
		api_error_add(b.errors, "phone", "Required.");
	if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else if (x.total >= x.max)
		rc = ac_limit(r, x.max);
	else
		rc = ac_insert(r, &b, &x);
	ac_body_free(&b);
	ac_ctx_free(&x);
	json_object_put(json);
	return rc;
}

/* Update the checked values of contact {id}: 200, 404, 409 or 503. */
static int
ac_update(struct req *r, struct ac_body *b, const struct ac_ctx *x)
{
	char		 cid[24];
	const char	*params[11];
	PGresult	*res;
	int		 m;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	params[0] = cid;
	params[1] = r->args[0];
	for (m = AB_PHONE; m <= AB_TAGS; m++)
		params[2 + m] = b->v[m];
	params[9] = b->v[AB_FIELDS];
	params[10] = NULL;
	if (b->nrm > 0)
		params[10] = req_keep(r, xasprintf("{%s}", buf_str(&b->rm)));
	if ((res = db_exec(&r->app->db, &ac_sql[AC_PATCH], params)) == NULL)
		return ac_write_failed(r, x, b->v[AB_PHONE]);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such contact.");
	}
	return ac_answer(r, 200, res);
}

/*
 * PATCH /api/v1/contacts/{id}: the members given replace the contact's
 * (tags: the whole list; fields: merged, null removes one); 200 with
 * the contact, 404, 409 duplicate-contact on a taken phone.
 */
static int
ac_patch(struct req *r)
{
	struct ac_body		 b;
	struct ac_ctx		 x;
	struct json_object	*json = NULL;
	int			 rc;

	memset(&b, 0, sizeof(b));
	if (ac_ctx_load(r, &x) != 0)
		return 503;
	ac_body_check(r, &b, &x, &json);
	if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else
		rc = ac_update(r, &b, &x);
	ac_body_free(&b);
	ac_ctx_free(&x);
	json_object_put(json);
	return rc;
}

/*
 * DELETE /api/v1/contacts/{id}: 200 {id, deleted: true}; its messages
 * and its consent log stay.
 */
static int
ac_delete(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &ac_sql[AC_DELETE], params)) == NULL)
		return 503;
	return api_deleted(r, res, "contact");
}

/* ------------------------------------------------------------ bulk */

/* A bracketed list "{...}" or items "a,b" as a JSON array "[...]". */
static struct json_object *
ac_array(const char *list, int braces)
{
	struct json_object	*a;
	char			*s;

	s = xasprintf("[%.*s]", (int)strlen(list) - (braces ? 2 : 0),
	    list + (braces ? 1 : 0));
	a = json_tokener_parse(s);
	free(s);
	return a != NULL ? a : json_object_new_array();
}

/* A checked item i as the bulk statement reads it, appended to in. */
static void
ac_bulk_item(struct buf *in, size_t i, const struct ac_body *b)
{
	struct json_object	*o = json_object_new_object();
	int			 m;

	json_object_object_add(o, "i", json_object_new_int64((int64_t)i));
	for (m = AB_PHONE; m <= AB_STATUS; m++)
		if (b->v[m] != NULL)
			json_object_object_add(o, ac_members[m],
			    json_object_new_string(b->v[m]));
	if (b->v[AB_TAGS] != NULL)
		json_object_object_add(o, "tags", ac_array(b->v[AB_TAGS], 1));
	if (b->v[AB_FIELDS] != NULL) {
		json_object_object_add(o, "set",
		    json_tokener_parse(b->v[AB_FIELDS]));
		json_object_object_add(o, "rm", ac_array(buf_str(&b->rm), 0));
	}
	buf_puts(in, in->len > 1 ? "," : "");
	buf_puts(in, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* The result of item i: {index, result} and its errors or id. */
static struct json_object *
ac_result(size_t i, const char *result, struct json_object *errors,
    long long id)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int64((int64_t)i));
	json_object_object_add(o, "result", json_object_new_string(result));
	if (errors != NULL)
		json_object_object_add(o, "errors", errors);
	else
		json_object_object_add(o, "id", json_object_new_int64(id));
	return o;
}

/* An item's one error: field, detail and code (may be NULL). */
static struct json_object *
ac_item_error(const char *field, const char *detail, const char *code)
{
	struct json_object	*e = json_object_new_array();

	api_error_code_add(e, field, detail, code);
	return e;
}

/*
 * Check item i of the bulk call: its result (an error) in results, or
 * appended to in. seen holds the phones of the items before it.
 */
static void
ac_bulk_check(struct req *r, const struct ac_ctx *x, struct json_object *it,
    size_t i, char (*seen)[PHONE_E164_MAX + 1], struct buf *in,
    struct json_object *results)
{
	struct ac_body	 b;
	size_t		 k;

	memset(&b, 0, sizeof(b));
	b.errors = json_object_new_array();
	if (!json_object_is_type(it, json_type_object))
		api_error_add(b.errors, "body", "Must be one JSON object.");
	else {
		ac_obj_check(r, &b, x, it);
		if (!json_object_object_get_ex(it, "phone", NULL))
			api_error_add(b.errors, "phone", "Required.");
	}
	for (k = 0; b.v[AB_PHONE] != NULL && k < i; k++)
		if (strcmp(seen[k], b.phone) == 0) {
			api_error_add(b.errors, "phone", "The same number is "
			    "in an earlier item of this call.");
			break;
		}
	if (b.v[AB_PHONE] != NULL)
		memcpy(seen[i], b.phone, sizeof(seen[i]));
	if (json_object_array_length(b.errors) > 0) {
		json_object_array_put_idx(results, i, ac_result(i, "error",
		    b.errors, 0));
		b.errors = NULL;
	} else
		ac_bulk_item(in, i, &b);
	ac_body_free(&b);
}

/* The statement's row for each item it had, into results. */
static void
ac_bulk_results(const PGresult *res, const struct ac_ctx *x,
    struct json_object *results)
{
	const char	*what;
	char		 d[96];
	size_t		 i;
	int		 row;

	snprintf(d, sizeof(d), "The package allows at most %lld contacts.",
	    x->max);
	for (row = 0; row < PQntuples(res); row++) {
		i = (size_t)db_getll(res, row, ACB_I);
		what = db_get(res, row, ACB_RESULT);
		if (strcmp(what, "limit") == 0)
			json_object_array_put_idx(results, i, ac_result(i,
			    "error", ac_item_error("phone", d,
			    "contact-limit"), 0));
		else if (strcmp(what, "conflict") == 0)
			json_object_array_put_idx(results, i, ac_result(i,
			    "error", ac_item_error("phone", "Another call "
			    "added this number at the same time: send it "
			    "again.", "conflict"), 0));
		else
			json_object_array_put_idx(results, i, ac_result(i,
			    what, NULL, (long long)db_getll(res, row, ACB_ID)));
	}
}

/* Run the upsert of the checked items in (a JSON array): 0, 403, 503. */
static int
ac_bulk_run(struct req *r, const struct ac_ctx *x, const struct buf *in,
    struct json_object *results)
{
	char		 cid[24], room[24];
	const char	*params[3] = { cid, buf_str(in), room };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	snprintf(room, sizeof(room), "%lld", x->max > x->total ?
	    x->max - x->total : 0LL);
	if ((res = db_exec(&r->app->db, &ac_sql[AC_BULK], params)) == NULL)
		return strcmp(r->app->db.sqlstate, "WA001") == 0 ?
		    ac_limit(r, x->max) : 503;
	ac_bulk_results(res, x, results);
	PQclear(res);
	return 0;
}

/* 200 {results, created, updated, unchanged, failed}. */
static int
ac_bulk_answer(struct req *r, struct json_object *results)
{
	static const char *const counts[] = { "created", "updated",
	    "unchanged", "error" };
	struct json_object	*o = json_object_new_object();
	long long		 n[4] = { 0, 0, 0, 0 };
	const char		*res;
	size_t			 i, k;
	int			 rc;

	for (i = 0; i < json_object_array_length(results); i++) {
		res = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(results, i), "result"));
		for (k = 0; k < 4; k++)
			if (res != NULL && strcmp(res, counts[k]) == 0)
				n[k]++;
	}
	json_object_object_add(o, "results", json_object_get(results));
	for (k = 0; k < 3; k++)
		json_object_object_add(o, counts[k], json_object_new_int64(n[k]));
	json_object_object_add(o, "failed", json_object_new_int64(n[3]));
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* The "contacts" array of the bulk body, or NULL after a 422. */
static struct json_object *
ac_bulk_list(struct req *r, struct json_object *json)
{
	struct json_object	*list, *errors;

	if (json_object_is_type(json, json_type_object) &&
	    json_object_object_get_ex(json, "contacts", &list) &&
	    json_object_is_type(list, json_type_array) &&
	    json_object_array_length(list) >= 1 &&
	    json_object_array_length(list) <= AC_BULK_MAX &&
	    json_object_object_length(json) == 1)
		return list;
	errors = json_object_new_array();
	api_error_add(errors, "contacts", "Must be the only member: an array "
	    "of 1 to 1000 contacts.");
	api_problem(r, 422, "validation-failed", NULL, errors);
	return NULL;
}

/*
 * POST /api/v1/contacts/bulk {contacts: [...]}: up to 1,000 contacts,
 * each created, or updated by its phone (the members it has), or left
 * unchanged, or refused with its errors; 200 with a result per item in
 * order. Past the package's limit the new ones beyond it are refused.
 */
static int
ac_bulk(struct req *r)
{
	struct ac_ctx		 x;
	struct json_object	*json = NULL, *list, *results;
	struct buf		 in = BUF_INIT;
	char			(*seen)[PHONE_E164_MAX + 1];
	size_t			 i, n;
	int			 rc = 0;

	if (ac_ctx_load(r, &x) != 0)
		return 503;
	if (ac_parse(r, &json) == -1) {
		json_object_put(json);
		json = NULL;
	}
	if ((list = ac_bulk_list(r, json)) == NULL) {
		ac_ctx_free(&x);
		json_object_put(json);
		return 0;
	}
	n = json_object_array_length(list);
	seen = xcalloc(n, sizeof(*seen));
	results = json_object_new_array();
	buf_putc(&in, '[');
	for (i = 0; i < n; i++)
		ac_bulk_check(r, &x, json_object_array_get_idx(list, i), i,
		    seen, &in, results);
	buf_putc(&in, ']');
	if (in.len > 2)
		rc = ac_bulk_run(r, &x, &in, results);
	if (rc == 0)
		rc = ac_bulk_answer(r, results);
	json_object_put(results);
	buf_free(&in);
	free(seen);
	ac_ctx_free(&x);
	json_object_put(json);
	return rc;
}

/* ------------------------------------------------------------ the list */

/* The page's contacts; the cursor of its last row in next ("" none). */
static struct json_object *
ac_page(const PGresult *res, int limit, enum aud_sort sort, struct buf *next)
{
	struct json_object	*data = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);

	for (i = 0; i < n && i < limit; i++)
		if ((o = json_tokener_parse(db_get(res, i, ACL_CONTACT))) !=
		    NULL)
			json_object_array_add(data, o);
	if (n > limit)
		aud_cursor_encode(sort, db_getll(res, limit - 1, ACL_ID),
		    db_get(res, limit - 1, ACL_KEY), next);
	return data;
}

/* "limit": 1 to AC_LIMIT_MAX; -1 when it is not. */
static int
ac_limit_param(const char *s)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && *end == '\0' && v >= 1 &&
	    v <= AC_LIMIT_MAX ? (int)v : -1;
}

/*
 * The filter from the query as the portal's list reads it (q, any,
 * all, status, field with eq or min and max, from, to, never, sort)
 * with the API's cursor and limit; the field's kind from x. A whole
 * national number searches as its E.164 form. *limit -1 when bad.
 */
static void
ac_filter_read(struct req *r, const struct ac_ctx *x, struct aud_filter *f,
    int *limit)
{
	char		 e164[PHONE_E164_MAX + 1];
	const char	*kind = NULL;
	enum phone_why	 why;
	size_t		 i;
	struct json_object *d;

	aud_filter_init(f);
	*limit = AC_LIMIT_DEFAULT;
	for (i = 0; i < r->query.n; i++)
		if (strcmp(r->query.v[i].name, "limit") == 0)
			*limit = ac_limit_param(r->query.v[i].value);
		else if (strcmp(r->query.v[i].name, "cursor") == 0)
			aud_filter_set(f, "after", r->query.v[i].value);
		else if (strcmp(r->query.v[i].name, "after") != 0 &&
		    strcmp(r->query.v[i].name, "before") != 0)
			aud_filter_set(f, r->query.v[i].name,
			    r->query.v[i].value);
	aud_filter_check(f);
	if (f->q[0] == '0' && phone_parse(f->q, strlen(f->q), x->country, 0,
	    e164, &why) == 0)
		snprintf(f->q, sizeof(f->q), "%s", e164);
	if (f->field[0] == '\0' || f->err[AUD_P_FIELD] != NULL)
		return;
	if ((d = ac_field_def(x, f->field)) != NULL)
		kind = json_object_get_string(json_object_object_get(d,
		    "kind"));
	if (kind == NULL || aud_kind_parse(kind) < 0)
		aud_filter_fail(f, AUD_P_FIELD);
	else
		aud_filter_kind(f, aud_kind_parse(kind));
}

/* 422 naming each refused parameter (the cursor as "cursor"). */
static int
ac_filter_invalid(struct req *r, const struct aud_filter *f, int limit)
{
	struct json_object	*errors = json_object_new_array();
	int			 p;

	for (p = 0; p < AUD_P__MAX; p++)
		if (f->err[p] != NULL)
			api_error_add(errors, p == AUD_P_AFTER ? "cursor" :
			    aud_param_names[p], f->err[p]);
	if (limit < 0)
		api_error_add(errors, "limit", "Not a number from 1 to 100.");
	return api_problem(r, 422, "validation-failed", NULL, errors);
}

/* The page after f's cursor, its next cursor in next; 0 or 503. */
static int
ac_list_run(struct req *r, const struct aud_filter *f, int limit,
    struct json_object *o)
{
	struct aud_bind		 b;
	struct buf		 next = BUF_INIT;
	const char		*v[AUD_NPARAMS + 3];
	char			 id[24], lim[16];
	PGresult		*res;

	aud_filter_bind(f, r->customer_id, &b);
	memcpy(v, b.v, sizeof(b.v));
	snprintf(id, sizeof(id), "%lld", (long long)f->after.id);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	v[AUD_NPARAMS] = f->has_after ? f->after.key : NULL;
	v[AUD_NPARAMS + 1] = f->has_after ? id : NULL;
	v[AUD_NPARAMS + 2] = lim;
	res = aud_exec(&r->app->db, &ac_sql[AC_LIST_CREATED_DESC + f->sort],
	    v);
	aud_bind_free(&b);
	if (res == NULL)
		return 503;
	json_object_object_add(o, "data", ac_page(res, limit, f->sort, &next));
	PQclear(res);
	json_object_object_add(o, "next_cursor", next.len > 0 ?
	    json_object_new_string(buf_str(&next)) : NULL);
	buf_free(&next);
	return 0;
}

/*
 * GET /api/v1/contacts: the customer's contacts matching the shared
 * filter of the portal's list, newest first (or by sort); limit 1..100
 * (50) a page, next_cursor while more follow.
 */
static int
ac_list(struct req *r)
{
	struct ac_ctx		 x;
	struct aud_filter	 f;
	struct json_object	*o;
	int			 limit, rc;

	if (ac_ctx_load(r, &x) != 0)
		return 503;
	ac_filter_read(r, &x, &f, &limit);
	ac_ctx_free(&x);
	if (f.nerr > 0 || limit < 0)
		return ac_filter_invalid(r, &f, limit);
	o = json_object_new_object();
	if ((rc = ac_list_run(r, &f, limit, o)) == 0) {
		api_rate_headers(r);
		rc = resp_json(r, 200, o);
	}
	json_object_put(o);
	return rc;
}

/* A Bearer API key with the scope; the name is the usage endpoint. */
static const struct route ac_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts",
	    .handler = ac_list, .name = "contacts.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts/{int}",
	    .handler = ac_get, .name = "contacts.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_POST, .pattern = "/api/v1/contacts",
	    .handler = ac_create, .name = "contacts.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
	{ .method = METHOD_POST, .pattern = "/api/v1/contacts/bulk",
	    .handler = ac_bulk, .name = "contacts.bulk",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 1024 * 1024 },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/contacts/{int}",
	    .handler = ac_patch, .name = "contacts.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/contacts/{int}",
	    .handler = ac_delete, .name = "contacts.delete",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write" },
};

const struct module api_contacts_module = {
	.name = "api_contacts",
	MODULE_ROUTES(ac_routes),
	MODULE_SQL(ac_sql),
};
