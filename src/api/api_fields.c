/* api_fields.c: /api/v1/contact-fields: list, create, get, relabel, delete the key's customer's custom field definitions. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/contact_field.h"
#include "core/db.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AF_KEY_MAX	40	/* bytes of a key (sql/0012) */
#define AF_LABEL_MAX	100	/* code points of a label */
#define AF_CHOICES_MAX	100	/* choices of a one-of list */
#define AF_MAX		100	/* fields of a customer */

/* One field of the API as JSON, from a row f of contact_fields. */
#define AF_JSON \
	"json_build_object('id', f.id, 'key', f.key, 'label', f.label, " \
	"'kind', f.kind, 'choices', to_json(f.choices), 'created_at', " \
	"to_char(f.created_at AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))::text AS field"

enum { AFL_LIST, AFL__MAX };
enum { AFF_ID, AFF_FIELD, AFF__MAX };
enum { AFN_N, AFN__MAX };

enum {
	AF_LIST,
	AF_GET,
	AF_COUNT,
	AF_BY_KEY,
	AF_CREATE,
	AF_PATCH,
	AF_DELETE,
	AF__MAX
};

static const struct stmt af_sql[AF__MAX] = {
	[AF_LIST] = { "api_fields.list",
	    "SELECT coalesce(json_agg(x.field::json ORDER BY x.id), '[]')::text "
	    "AS list FROM (SELECT f.id, " AF_JSON " FROM contact_fields f "
	    "WHERE f.customer_id = $1::bigint) x", 1, DB_RETRY,
	    DB_COLS(AFL__MAX, [AFL_LIST] = "list") },
	[AF_GET] = { "api_fields.get",
	    "SELECT f.id, " AF_JSON " FROM contact_fields f "
	    "WHERE f.customer_id = $1::bigint AND f.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(AFF__MAX, [AFF_ID] = "id",
	    [AFF_FIELD] = "field") },
	[AF_COUNT] = { "api_fields.count",
	    "SELECT count(*) AS n FROM contact_fields "
	    "WHERE customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(AFN__MAX, [AFN_N] = "n") },
	[AF_BY_KEY] = { "api_fields.by_key",
	    "SELECT id AS n FROM contact_fields WHERE customer_id = $1::bigint "
	    "AND key = $2", 2, DB_RETRY, DB_COLS(AFN__MAX, [AFN_N] = "n") },
	[AF_CREATE] = { "api_fields.create",
	    "INSERT INTO contact_fields AS f (customer_id, key, label, kind, "
	    "choices) VALUES ($1::bigint, $2, $3, $4, $5::text[]) "
	    "RETURNING f.id, " AF_JSON, 5, DB_ONCE,
	    DB_COLS(AFF__MAX, [AFF_ID] = "id", [AFF_FIELD] = "field") },
	/* A new label ($3) or list of choices ($4); NULL keeps. */
	[AF_PATCH] = { "api_fields.patch",
	    "UPDATE contact_fields f SET label = coalesce($3, f.label), "
	    "choices = coalesce($4::text[], f.choices) "
	    "WHERE f.customer_id = $1::bigint AND f.id = $2::bigint "
	    "RETURNING f.id, " AF_JSON, 4, DB_ONCE,
	    DB_COLS(AFF__MAX, [AFF_ID] = "id", [AFF_FIELD] = "field") },
	/* The field and every contact's value of it. */
	[AF_DELETE] = { "api_fields.delete",
	    "WITH d AS (DELETE FROM contact_fields WHERE customer_id = "
	    "$1::bigint AND id = $2::bigint RETURNING customer_id, key), "
	    "u AS (UPDATE contacts c SET fields = c.fields - d.key FROM d "
	    "WHERE c.customer_id = d.customer_id AND c.fields ? d.key "
	    "RETURNING c.id) SELECT 1 AS n FROM d", 2, DB_ONCE, DB_COLS(AFN__MAX, [AFN_N] = "n") },
};

/* GET /api/v1/contact-fields: every custom field, oldest first. */
static int
af_list(struct req *r)
{
	const char	*params[1] = { r->cid };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &af_sql[AF_LIST], params)) == NULL)
		return 503;
	return api_list_text(r, res, AFL_LIST);
}

/* Answer status with the field of res's row (404 when none). */
static int
af_answer(struct req *r, int status, PGresult *res)
{
	return api_row_text(r, status, res, AFF_FIELD, AFF_ID,
	    "/api/v1/contact-fields", "field");
}

/* GET /api/v1/contact-fields/{id} */
static int
af_get(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &af_sql[AF_GET], params)) == NULL)
		return 503;
	return af_answer(r, 200, res);
}

/* A checked field body; NULL when not given. */
struct af_body {
	const char		*key;
	const char		*label;
	const char		*kind;
	const char		*choices;	/* a text[] literal */
	struct buf		 cb;
	struct json_object	*errors;
};

/* "key": [a-z][a-z0-9_]{0,39}. */
static void
af_key(struct af_body *b, struct json_object *v)
{
	const char	*s = json_object_get_string(v);
	size_t		 i, n = (size_t)json_object_get_string_len(v);

	for (i = 0; json_object_is_type(v, json_type_string) && i < n &&
	    n <= AF_KEY_MAX; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (i > 0 &&
		    ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))))
			break;
	if (!json_object_is_type(v, json_type_string) || n == 0 ||
	    n > AF_KEY_MAX || i != n) {
		api_error_add(b->errors, "key", "Must be 1 to 40 of a-z, 0-9 "
		    "and _, starting with a letter.");
		return;
	}
	b->key = s;
}

/* "label": 1..100 code points on one line, trimmed. */
static void
af_label(struct req *r, struct af_body *b, struct json_object *v)
{
	const char	*s, *why = NULL;
	size_t		 n;

	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (json_object_is_type(v, json_type_string))
		text_trim(&s, &n);
	if (!json_object_is_type(v, json_type_string) || n == 0 ||
	    memchr(s, '\0', n) != NULL ||
	    text_field_ok(s, n, AF_LABEL_MAX, 0, &why) == -1) {
		api_error_add(b->errors, "label", "Must be 1 to 100 characters "
		    "on one line.");
		return;
	}
	b->label = req_strndup(r, s, n);
}

/* "kind": text, number, date, boolean or choice. */
static void
af_kind(struct af_body *b, struct json_object *v)
{
	int	 k;

	if (!json_object_is_type(v, json_type_string) ||
	    (k = cfield_kind_parse(json_object_get_string(v))) < 0) {
		api_error_add(b->errors, "kind", "Must be text, number, date, "
		    "boolean or choice.");
		return;
	}
	b->kind = cfield_kind_name(k);
}

/* One choice into the text[] literal: quoted, \ and " escaped. */
static int
af_choice(struct af_body *b, struct json_object *c, size_t i)
{
	const char	*s = json_object_get_string(c), *why = NULL;
	size_t		 n = (size_t)json_object_get_string_len(c), j;

	if (!json_object_is_type(c, json_type_string) || n == 0 ||
	    memchr(s, '\0', n) != NULL ||
	    text_field_ok(s, n, AF_LABEL_MAX, 0, &why) == -1)
		return -1;
	buf_puts(&b->cb, i > 0 ? ",\"" : "\"");
	for (j = 0; j < n; j++) {
		if (s[j] == '"' || s[j] == '\\')
			buf_putc(&b->cb, '\\');
		buf_putc(&b->cb, s[j]);
	}
	buf_putc(&b->cb, '"');
	return 0;
}

/* "choices": 1..100 strings of 1..100 characters, for kind choice. */
static void
af_choices(struct af_body *b, struct json_object *v)
{
	size_t	 i, n;

	if (!json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) == 0 || n > AF_CHOICES_MAX)
		goto bad;
	buf_putc(&b->cb, '{');
	for (i = 0; i < n; i++)
		if (af_choice(b, json_object_array_get_idx(v, i), i) == -1)
			goto bad;
	buf_putc(&b->cb, '}');
	b->choices = buf_str(&b->cb);
	return;
bad:
	api_error_add(b->errors, "choices", "Must be 1 to 100 strings of 1 "
	    "to 100 characters.");
}

/* Check the body into b; with patch only label and choices. */
static size_t
af_body_check(struct req *r, struct af_body *b, struct json_object **json,
    int patch)
{
	struct parse_limits	 lim = parse_limits_default;

	memset(b, 0, sizeof(*b));
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, v) {
		if (!patch && strcmp(k, "key") == 0)
			af_key(b, v);
		else if (!patch && strcmp(k, "kind") == 0)
			af_kind(b, v);
		else if (strcmp(k, "label") == 0)
			af_label(r, b, v);
		else if (strcmp(k, "choices") == 0)
			af_choices(b, v);
		else
			api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", patch &&
			    (strcmp(k, "key") == 0 || strcmp(k, "kind") == 0) ?
			    "Cannot be changed." : "Unknown field.");
	}
	return json_object_array_length(b->errors);
}

/* The rules across members of a new field: all given, choices iff choice. */
static void
af_create_rules(struct af_body *b, struct json_object *json)
{
	static const char *const need[] = { "key", "label", "kind" };
	size_t			 i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!json_object_object_get_ex(json, need[i], NULL))
			api_error_add(b->errors, need[i], "Required.");
	if (b->kind != NULL && (strcmp(b->kind, "choice") == 0) !=
	    (b->choices != NULL))
		api_error_add(b->errors, "choices", "Given for a field of kind "
		    "choice, and only for one.");
}

static void
af_body_free(struct af_body *b)
{
	buf_free(&b->cb);
	json_object_put(b->errors);
}

static int
af_limit(struct req *r)
{
	return api_fail(r, 409, "field-limit", "A customer has at most 100 "
	    "custom fields: delete one first.");
}

/* Insert the checked field: 201, 409 or 503. */
static int
af_insert(struct req *r, const struct af_body *b)
{
	const char	*params[5];
	PGresult	*res;

	params[0] = r->cid;
	params[1] = b->key;
	params[2] = b->label;
	params[3] = b->kind;
	params[4] = b->choices != NULL ? b->choices : "{}";
	if ((res = db_exec(&r->app->db, &af_sql[AF_CREATE], params)) != NULL)
		return af_answer(r, 201, res);
	if (strcmp(r->app->db.sqlstate, "23505") == 0)
		return api_existing(r, &af_sql[AF_BY_KEY], b->key,
		    "duplicate-field", "A custom field with this key exists; "
		    "existing_id names it.");
	if (strcmp(r->app->db.sqlstate, "23514") == 0)
		return af_limit(r);
	return 503;
}

/*
 * POST /api/v1/contact-fields {key, label, kind, choices}: 201, 409
 * duplicate-field or field-limit, 422.
 */
static int
af_create(struct req *r)
{
	struct af_body		 b;
	struct json_object	*json = NULL;
	int			 rc, full;

	if (af_body_check(r, &b, &json, 0) == 0)
		af_create_rules(&b, json);
	if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else if ((full = api_count_reached(r, &af_sql[AF_COUNT],
	    AF_MAX)) != 0)
		rc = full < 0 ? 503 : af_limit(r);
	else
		rc = af_insert(r, &b);
	af_body_free(&b);
	json_object_put(json);
	return rc;
}

/*
 * PATCH /api/v1/contact-fields/{id} {label, choices}: the key and the
 * kind stay (the contacts' values are of that kind); a field that is
 * not a one-of list takes no choices (422).
 */
static int
af_patch(struct req *r)
{
	struct af_body		 b;
	struct json_object	*json = NULL;
	const char		*params[4];
	PGresult		*res;
	int			 rc;

	if (af_body_check(r, &b, &json, 1) > 0)
		rc = api_invalid(r, &b.errors);
	else {
		params[0] = r->cid;
		params[1] = r->args[0];
		params[2] = b.label;
		params[3] = b.choices;
		if ((res = db_exec(&r->app->db, &af_sql[AF_PATCH], params)) !=
		    NULL)
			rc = af_answer(r, 200, res);
		else if (strcmp(r->app->db.sqlstate, "23514") == 0) {
			api_error_add(b.errors, "choices", "Only a field of "
			    "kind choice has choices.");
			rc = api_invalid(r, &b.errors);
		} else
			rc = 503;
	}
	af_body_free(&b);
	json_object_put(json);
	return rc;
}

/* DELETE /api/v1/contact-fields/{id}: with every contact's value of it. */
static int
af_delete(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &af_sql[AF_DELETE], params)) == NULL)
		return 503;
	return api_deleted(r, res, "field");
}

/* A Bearer API key with the scope; the name is the usage endpoint. */
static const struct route af_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/contact-fields",
	    .handler = af_list, .name = "fields.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_POST, .pattern = "/api/v1/contact-fields",
	    .handler = af_create, .name = "fields.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 64 * 1024 },
	{ .method = METHOD_GET, .pattern = "/api/v1/contact-fields/{int}",
	    .handler = af_get, .name = "fields.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/contact-fields/{int}",
	    .handler = af_patch, .name = "fields.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 64 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/contact-fields/{int}",
	    .handler = af_delete, .name = "fields.delete",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write" },
};

const struct module api_fields_module = {
	.name = "api_fields",
	MODULE_ROUTES(af_routes),
	MODULE_SQL(af_sql),
};
