/* api_tags.c: /api/v1/tags: list, create, get, rename or recolour, delete and merge the key's customer's tags. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

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

#define AT_NAME_MAX	50	/* code points of a tag's name (sql/0012) */
#define AT_MAX		1000	/* tags of a customer */

/* One tag of the API as JSON, from a row t of tags. */
#define AT_JSON \
	"json_build_object('id', t.id, 'name', t.name, 'colour', t.colour, " \
	"'contacts', t.contacts, 'created_at', to_char(t.created_at AT TIME " \
	"ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))::text AS tag"

/* The palette of sql/0012 (docs/contacts.md). */
static const char *const at_colours[] = {
	"grey", "red", "orange", "yellow", "green", "teal", "blue", "purple",
	"pink",
};

enum { ATL_LIST, ATL__MAX };
enum { ATT_ID, ATT_TAG, ATT__MAX };
enum { ATN_N, ATN__MAX };
enum { ATM_SRC, ATM_DST, ATM_MOVED, ATM__MAX };

enum {
	AT_LIST,
	AT_GET,
	AT_COUNT,
	AT_BY_NAME,
	AT_CREATE,
	AT_PATCH,
	AT_DELETE,
	AT_MERGE,
	AT__MAX
};

static const struct stmt at_sql[AT__MAX] = {
	/* Customer $1's tags by name, as one JSON array. */
	[AT_LIST] = { "api_tags.list",
	    "SELECT coalesce(json_agg(x.tag::json ORDER BY x.name, x.id), "
	    "'[]')::text AS list FROM (SELECT t.id, lower(t.name) AS name, "
	    AT_JSON " FROM tags t WHERE t.customer_id = $1::bigint) x", 1,
	    DB_RETRY, DB_COLS(ATL__MAX, [ATL_LIST] = "list") },
	[AT_GET] = { "api_tags.get",
	    "SELECT t.id, " AT_JSON " FROM tags t "
	    "WHERE t.customer_id = $1::bigint AND t.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(ATT__MAX, [ATT_ID] = "id", [ATT_TAG] = "tag") },
	[AT_COUNT] = { "api_tags.count",
	    "SELECT count(*) AS n FROM tags WHERE customer_id = $1::bigint", 1,
	    DB_RETRY, DB_COLS(ATN__MAX, [ATN_N] = "n") },
	/* The tag named $2 in any case (the unique index's rule). */
	[AT_BY_NAME] = { "api_tags.by_name",
	    "SELECT id AS n FROM tags WHERE customer_id = $1::bigint "
	    "AND lower(name) = lower($2)", 2, DB_RETRY,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
	[AT_CREATE] = { "api_tags.create",
	    "INSERT INTO tags AS t (customer_id, name, colour) "
	    "VALUES ($1::bigint, $2, coalesce($3, 'grey')) "
	    "RETURNING t.id, " AT_JSON, 3, DB_ONCE,
	    DB_COLS(ATT__MAX, [ATT_ID] = "id", [ATT_TAG] = "tag") },
	/* Rename ($3) or recolour ($4) tag $2; NULL keeps. */
	[AT_PATCH] = { "api_tags.patch",
	    "UPDATE tags t SET name = coalesce($3, t.name), "
	    "colour = coalesce($4, t.colour) WHERE t.customer_id = $1::bigint "
	    "AND t.id = $2::bigint RETURNING t.id, " AT_JSON, 4, DB_ONCE,
	    DB_COLS(ATT__MAX, [ATT_ID] = "id", [ATT_TAG] = "tag") },
	/* The contacts that carried it lose it (trigger tags_gone). */
	[AT_DELETE] = { "api_tags.delete",
	    "DELETE FROM tags WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint RETURNING id AS n", 2, DB_ONCE,
	    DB_COLS(ATN__MAX, [ATN_N] = "n") },
	/*
	 * Merge tag $2 into tag $3 (both customer $1's, not the same): its
	 * contacts get $3 instead (once), then $2 is deleted. src and dst
	 * say whether each exists; moved how many contacts changed.
	 */
	[AT_MERGE] = { "api_tags.merge",
	    "WITH src AS (SELECT id FROM tags WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint), dst AS (SELECT id FROM tags "
	    "WHERE customer_id = $1::bigint AND id = $3::bigint "
	    "AND id <> $2::bigint), "
	    "upd AS (UPDATE contacts c SET tags = CASE WHEN c.tags @> "
	    "ARRAY[dst.id] THEN array_remove(c.tags, src.id) "
	    "ELSE array_replace(c.tags, src.id, dst.id) END FROM src, dst "
	    "WHERE c.customer_id = $1::bigint AND c.tags @> ARRAY[src.id] "
	    "RETURNING c.id), del AS (DELETE FROM tags t USING src, dst "
	    "WHERE t.id = src.id RETURNING t.id) "
	    "SELECT (SELECT count(*) FROM src) AS src, "
	    "(SELECT count(*) FROM dst) AS dst, "
	    "(SELECT count(*) FROM upd) AS moved", 3, DB_ONCE, DB_COLS(ATM__MAX, [ATM_SRC] = "src",
	    [ATM_DST] = "dst", [ATM_MOVED] = "moved") },
};

/* GET /api/v1/tags: every tag of the customer, by name. */
static int
at_list(struct req *r)
{
	const char	*params[1] = { r->cid };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &at_sql[AT_LIST], params)) == NULL)
		return 503;
	return api_list_text(r, res, ATL_LIST);
}

/* Answer status with the tag of res's row (404 when none). */
static int
at_answer(struct req *r, int status, PGresult *res)
{
	return api_row_text(r, status, res, ATT_TAG, ATT_ID, "/api/v1/tags",
	    "tag");
}

/* GET /api/v1/tags/{id} */
static int
at_get(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &at_sql[AT_GET], params)) == NULL)
		return 503;
	return at_answer(r, 200, res);
}

/* A checked tag body: name and colour, NULL when not given. */
struct at_body {
	const char		*name;
	const char		*colour;
	long long		 into;
	struct json_object	*errors;
};

/* "name": 1..50 code points on one line, trimmed; cleaned into b. */
static void
at_name(struct req *r, struct at_body *b, struct json_object *v)
{
	const char	*s, *why = NULL;
	size_t		 n;

	if (!json_object_is_type(v, json_type_string)) {
		api_error_add(b->errors, "name", "Must be a string.");
		return;
	}
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	text_trim(&s, &n);
	if (n == 0 || memchr(s, '\0', n) != NULL ||
	    text_field_ok(s, n, AT_NAME_MAX, 0, &why) == -1) {
		api_error_add(b->errors, "name", "Must be 1 to 50 characters "
		    "on one line.");
		return;
	}
	b->name = req_strndup(r, s, n);
}

/* "colour": one of the palette's names. */
static void
at_colour(struct at_body *b, struct json_object *v)
{
	size_t	 i;

	for (i = 0; json_object_is_type(v, json_type_string) &&
	    i < sizeof(at_colours) / sizeof(at_colours[0]); i++)
		if (strcmp(json_object_get_string(v), at_colours[i]) == 0) {
			b->colour = at_colours[i];
			return;
		}
	api_error_add(b->errors, "colour", "Must be grey, red, orange, "
	    "yellow, green, teal, blue, purple or pink.");
}

/*
 * Check the body (name, colour; with merge, only into) into b; *json
 * owns the parse. Returns the number of errors in b->errors.
 */
static size_t
at_body_check(struct req *r, struct at_body *b, struct json_object **json,
    int merge)
{
	struct parse_limits	 lim = parse_limits_default;
	struct json_object	*v;

	memset(b, 0, sizeof(*b));
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, val) {
		if (merge && strcmp(k, "into") == 0) {
			if (json_object_is_type(val, json_type_int) &&
			    json_object_get_int64(val) > 0)
				b->into = json_object_get_int64(val);
			else
				api_error_add(b->errors, "into",
				    "Must be a tag id.");
		} else if (!merge && strcmp(k, "name") == 0)
			at_name(r, b, val);
		else if (!merge && strcmp(k, "colour") == 0)
			at_colour(b, val);
		else
			api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
			    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
	}
	if (merge && b->into == 0 && !json_object_object_get_ex(*json,
	    "into", &v))
		api_error_add(b->errors, "into", "Required.");
	return json_object_array_length(b->errors);
}

/* 409 tag-limit: the customer has AT_MAX tags. */
static int
at_limit(struct req *r)
{
	return api_fail(r, 409, "tag-limit", "A customer has at most 1000 "
	    "tags: merge or delete some first.");
}

/* A failed write: a taken name, the limit, or 503. */
static int
at_write_failed(struct req *r, const char *name)
{
	if (strcmp(r->app->db.sqlstate, "23505") == 0 && name != NULL)
		return api_existing(r, &at_sql[AT_BY_NAME], name,
		    "duplicate-tag", "A tag with this name exists; "
		    "existing_id names it.");
	if (strcmp(r->app->db.sqlstate, "23514") == 0)
		return at_limit(r);
	return 503;
}

/* POST /api/v1/tags: a new tag {name, colour}; 201, 409, 422. */
static int
at_create(struct req *r)
{
	struct at_body		 b;
	struct json_object	*json = NULL;
	const char		*params[3];
	PGresult		*res;
	int			 rc, full;

	if (at_body_check(r, &b, &json, 0) == 0 && b.name == NULL)
		api_error_add(b.errors, "name", "Required.");
	if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else if ((full = api_count_reached(r, &at_sql[AT_COUNT],
	    AT_MAX)) != 0)
		rc = full < 0 ? 503 : at_limit(r);
	else {
		params[0] = r->cid;
		params[1] = b.name;
		params[2] = b.colour;
		res = db_exec(&r->app->db, &at_sql[AT_CREATE], params);
		rc = res == NULL ? at_write_failed(r, b.name) :
		    at_answer(r, 201, res);
	}
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* PATCH /api/v1/tags/{id}: rename, recolour; 200, 404, 409, 422. */
static int
at_patch(struct req *r)
{
	struct at_body		 b;
	struct json_object	*json = NULL;
	const char		*params[4];
	PGresult		*res;
	int			 rc;

	if (at_body_check(r, &b, &json, 0) > 0)
		rc = api_invalid(r, &b.errors);
	else {
		params[0] = r->cid;
		params[1] = r->args[0];
		params[2] = b.name;
		params[3] = b.colour;
		res = db_exec(&r->app->db, &at_sql[AT_PATCH], params);
		rc = res == NULL ? at_write_failed(r, b.name) :
		    at_answer(r, 200, res);
	}
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* DELETE /api/v1/tags/{id}: its contacts lose it; 200 or 404. */
static int
at_delete(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &at_sql[AT_DELETE], params)) == NULL)
		return 503;
	return api_deleted(r, res, "tag");
}

/* Run the merge of tag {id} into b->into: 200, 404 or 422. */
static int
at_merge_run(struct req *r, const struct at_body *b)
{
	char			 into[24];
	const char		*params[3] = { r->cid, r->args[0], into };
	struct json_object	*o, *errors;
	PGresult		*res;
	int			 src, dst, rc;
	long long		 moved;

	snprintf(into, sizeof(into), "%lld", b->into);
	if ((res = db_exec(&r->app->db, &at_sql[AT_MERGE], params)) == NULL)
		return 503;
	src = (int)db_getll(res, 0, ATM_SRC);
	dst = (int)db_getll(res, 0, ATM_DST);
	moved = (long long)db_getll(res, 0, ATM_MOVED);
	PQclear(res);
	if (src == 0)
		return api_fail(r, 404, "not-found", "No such tag.");
	if (dst == 0) {
		errors = json_object_new_array();
		api_error_add(errors, "into", "Must be another of your tags.");
		api_problem(r, 422, "validation-failed", NULL, errors);
		return 0;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->argi[0]));
	json_object_object_add(o, "merged_into",
	    json_object_new_int64(b->into));
	json_object_object_add(o, "contacts_moved",
	    json_object_new_int64(moved));
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/*
 * POST /api/v1/tags/{id}/merge {into}: the contacts tagged {id} are
 * tagged into instead, and {id} is deleted; 200 {id, merged_into}.
 */
static int
at_merge(struct req *r)
{
	struct at_body		 b;
	struct json_object	*json = NULL;
	int			 rc;

	if (at_body_check(r, &b, &json, 1) > 0)
		rc = api_invalid(r, &b.errors);
	else if (b.into == r->argi[0]) {
		api_error_add(b.errors, "into", "Must be another tag.");
		rc = api_invalid(r, &b.errors);
	} else
		rc = at_merge_run(r, &b);
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* A Bearer API key with the scope; the name is the usage endpoint. */
static const struct route at_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/tags",
	    .handler = at_list, .name = "tags.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_POST, .pattern = "/api/v1/tags",
	    .handler = at_create, .name = "tags.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 16 * 1024 },
	{ .method = METHOD_GET, .pattern = "/api/v1/tags/{int}",
	    .handler = at_get, .name = "tags.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/tags/{int}",
	    .handler = at_patch, .name = "tags.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 16 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/tags/{int}",
	    .handler = at_delete, .name = "tags.delete",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write" },
	{ .method = METHOD_POST, .pattern = "/api/v1/tags/{int}/merge",
	    .handler = at_merge, .name = "tags.merge",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 16 * 1024 },
};

const struct module api_tags_module = {
	.name = "api_tags",
	MODULE_ROUTES(at_routes),
	MODULE_SQL(at_sql),
};
