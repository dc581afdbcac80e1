/* api_groups.c: /api/v1/contact-groups: list, create, get, update and delete the key's customer's contact groups (lists and segments, a list's double opt-in), add and remove a list's members up to 10,000 per call, list its members or its pending members with a cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "web/input.h"
#include "web/jsonbody.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AG_NAME_MAX	100	/* code points (sql/0021) */
#define AG_DESC_MAX	500
#define AG_FILTER_MAX	4096
#define AG_MAX		500	/* groups of a customer */
#define AG_IDS_MAX	10000	/* contact ids of one members call */
#define AG_PAGE_MAX	1000	/* members of one page */

/* One group of the API as JSON, from a row g of contact_groups. */
#define AG_JSON \
	"json_build_object('id', g.id, 'name', g.name, 'description', " \
	"g.description, 'kind', g.kind, 'filter', CASE WHEN g.kind = " \
	"'segment' THEN g.filter END, 'members', CASE WHEN g.kind = 'list' " \
	"THEN g.members END, 'subscribed', CASE WHEN g.kind = 'list' THEN " \
	"g.subscribed END, 'unsubscribed', CASE WHEN g.kind = 'list' THEN " \
	"g.unsubscribed END, 'confirm', g.confirm, 'pending', CASE WHEN " \
	"g.kind = 'list' THEN g.pending END, 'expired', CASE WHEN g.kind = " \
	"'list' THEN g.expired END, 'created_at', to_char(g.created_at AT TIME " \
	"ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))::text AS grp"

enum { AGL_LIST, AGL_NEXT, AGL__MAX };
enum { AGG_ID, AGG_GROUP, AGG_KIND, AGG__MAX };
enum { AGN_N, AGN__MAX };

enum {
	AG_LIST,
	AG_GET,
	AG_COUNT,
	AG_BY_NAME,
	AG_CREATE,
	AG_PATCH,
	AG_DELETE,
	AG_ADD,
	AG_REMOVE,
	AG_MEMBERS,
	AG_PENDING,
	AG_FIELD,
	AG_LIST_OK,
	AG__MAX
};

static const struct stmt ag_sql[AG__MAX] = {
	/* Customer $1's groups after id $2, $3 of them, as one JSON array,
	 * and the id to continue after ("" at the end). */
	[AG_LIST] = { "api_groups.list",
	    "WITH p AS (SELECT g.id, " AG_JSON " FROM contact_groups g "
	    "WHERE g.customer_id = $1::bigint AND g.id > $2::bigint "
	    "ORDER BY g.id LIMIT $3::int + 1), "
	    "s AS (SELECT * FROM p ORDER BY id LIMIT $3::int) "
	    "SELECT (SELECT coalesce(json_agg(s.grp::json ORDER BY s.id), "
	    "'[]') FROM s)::text AS list, CASE WHEN (SELECT count(*) FROM p) "
	    "> $3::int THEN (SELECT max(id) FROM s)::text ELSE '' END AS next",
	    3, DB_RETRY, DB_COLS(AGL__MAX, [AGL_LIST] = "list",
	    [AGL_NEXT] = "next") },
	[AG_GET] = { "api_groups.get",
	    "SELECT g.id, " AG_JSON ", g.kind FROM contact_groups g "
	    "WHERE g.customer_id = $1::bigint AND g.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(AGG__MAX, [AGG_ID] = "id", [AGG_GROUP] = "grp",
	    [AGG_KIND] = "kind") },
	[AG_COUNT] = { "api_groups.count",
	    "SELECT count(*) AS n FROM contact_groups "
	    "WHERE customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(AGN__MAX, [AGN_N] = "n") },
	/* The group named $2 in any case (the unique index's rule). */
	[AG_BY_NAME] = { "api_groups.by_name",
	    "SELECT id AS n FROM contact_groups WHERE customer_id = $1::bigint "
	    "AND lower(name) = lower($2)", 2, DB_RETRY,
	    DB_COLS(AGN__MAX, [AGN_N] = "n") },
	[AG_CREATE] = { "api_groups.create",
	    "INSERT INTO contact_groups AS g (customer_id, name, description, "
	    "kind, filter, confirm) VALUES ($1::bigint, $2, coalesce($3, ''), "
	    "$4, coalesce($5, ''), coalesce($6::boolean, false)) "
	    "RETURNING g.id, " AG_JSON ", g.kind", 6, DB_ONCE,
	    DB_COLS(AGG__MAX, [AGG_ID] = "id", [AGG_GROUP] = "grp",
	    [AGG_KIND] = "kind") },
	/* Name $3, description $4, a segment's filter $5, a list's
	 * confirmation rule $6; NULL keeps. */
	[AG_PATCH] = { "api_groups.patch",
	    "UPDATE contact_groups g SET name = coalesce($3, g.name), "
	    "description = coalesce($4, g.description), filter = CASE WHEN "
	    "g.kind = 'segment' THEN coalesce($5, g.filter) ELSE '' END, "
	    "confirm = g.kind = 'list' AND coalesce($6::boolean, g.confirm) "
	    "WHERE g.customer_id = $1::bigint AND g.id = $2::bigint "
	    "RETURNING g.id, " AG_JSON ", g.kind", 6, DB_ONCE,
	    DB_COLS(AGG__MAX, [AGG_ID] = "id", [AGG_GROUP] = "grp",
	    [AGG_KIND] = "kind") },
	[AG_DELETE] = { "api_groups.delete",
	    "DELETE FROM contact_groups WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint RETURNING id AS n", 2, DB_ONCE,
	    DB_COLS(AGN__MAX, [AGN_N] = "n") },
	[AG_ADD] = { "api_groups.add",
	    "SELECT wa_group_add($1::bigint, $2::bigint, $3::bigint[]) AS n",
	    3, DB_ONCE, DB_COLS(AGN__MAX, [AGN_N] = "n") },
	[AG_REMOVE] = { "api_groups.remove",
	    "SELECT wa_group_remove($1::bigint, $2::bigint, $3::bigint[]) "
	    "AS n", 3, DB_ONCE, DB_COLS(AGN__MAX, [AGN_N] = "n") },
	/* List $2's members after contact id $3, $4 of them (the primary
	 * key's order), as one JSON array, and the id to continue after. */
	[AG_MEMBERS] = { "api_groups.members",
	    "WITH p AS (SELECT m.contact_id, m.status, m.added_at FROM "
	    "contact_group_members m JOIN contact_groups g ON g.id = m.group_id "
	    "WHERE g.customer_id = $1::bigint AND m.group_id = $2::bigint "
	    "AND m.contact_id > $3::bigint ORDER BY m.contact_id "
	    "LIMIT $4::int + 1), s AS (SELECT * FROM p ORDER BY contact_id "
	    "LIMIT $4::int) SELECT (SELECT coalesce(json_agg(json_build_object("
	    "'id', c.id, 'phone', c.phone, 'name', c.name, 'status', s.status, "
	    "'state', 'member', 'added_at', to_char(s.added_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY s.contact_id), '[]') "
	    "FROM s JOIN contacts c ON c.id = s.contact_id)::text AS list, "
	    "CASE WHEN (SELECT count(*) FROM p) > $4::int THEN (SELECT "
	    "max(contact_id) FROM s)::text ELSE '' END AS next", 4, DB_RETRY,
	    DB_COLS(AGL__MAX, [AGL_LIST] = "list", [AGL_NEXT] = "next") },
	/* The same for list $2's pending members (double opt-in, sql/0025):
	 * the contact's status, the last confirmation and the expiry. */
	[AG_PENDING] = { "api_groups.pending",
	    "WITH p AS (SELECT m.contact_id, m.added_at, m.asked_at, "
	    "m.expires_at FROM contact_group_pending m JOIN contact_groups g "
	    "ON g.id = m.group_id WHERE g.customer_id = $1::bigint "
	    "AND m.group_id = $2::bigint AND m.contact_id > $3::bigint "
	    "ORDER BY m.contact_id LIMIT $4::int + 1), s AS (SELECT * FROM p "
	    "ORDER BY contact_id LIMIT $4::int) SELECT (SELECT coalesce("
	    "json_agg(json_build_object('id', c.id, 'phone', c.phone, 'name', "
	    "c.name, 'status', c.status, 'state', 'pending', 'added_at', "
	    "to_char(s.added_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'asked_at', to_char(s.asked_at "
	    "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "'expires_at', to_char(s.expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ORDER BY s.contact_id), '[]') "
	    "FROM s JOIN contacts c ON c.id = s.contact_id)::text AS list, "
	    "CASE WHEN (SELECT count(*) FROM p) > $4::int THEN (SELECT "
	    "max(contact_id) FROM s)::text ELSE '' END AS next", 4, DB_RETRY,
	    DB_COLS(AGL__MAX, [AGL_LIST] = "list", [AGL_NEXT] = "next") },
	/* The kind of customer $1's field $2 (a segment's filter). */
	[AG_FIELD] = { "api_groups.field",
	    "SELECT kind AS n FROM contact_fields WHERE customer_id = "
	    "$1::bigint AND key = $2", 2, DB_RETRY,
	    DB_COLS(AGN__MAX, [AGN_N] = "n") },
	/* Whether $2 is one of customer $1's lists (a filter's group). */
	[AG_LIST_OK] = { "api_groups.list_ok",
	    "SELECT id AS n FROM contact_groups WHERE customer_id = $1::bigint "
	    "AND id = $2::bigint AND kind = 'list'", 2, DB_RETRY,
	    DB_COLS(AGN__MAX, [AGN_N] = "n") },
};

/* The lists' query: cursor (a next_cursor, an id) and limit; the
 * members' state. */
enum { AG_IN_CURSOR, AG_IN_LIMIT, AG_IN_STATE, AG_IN__MAX };

static int	ag_in_limit(struct req *, struct field *);
static int	ag_in_members_limit(struct req *, struct field *);
static int	ag_in_state(struct req *, struct field *);

static const struct input ag_list_in[AG_IN_STATE] = {
	[AG_IN_CURSOR] = { "cursor", input_id, 0 },
	[AG_IN_LIMIT] = { "limit", ag_in_limit, 0 },
};
static const struct input ag_members_in[AG_IN__MAX] = {
	[AG_IN_CURSOR] = { "cursor", input_id, 0 },
	[AG_IN_LIMIT] = { "limit", ag_in_members_limit, 0 },
	[AG_IN_STATE] = { "state", ag_in_state, 0 },
};

/* "limit": 1 to max. */
static int
ag_limit_in(struct req *r, struct field *f, long long max, const char *err)
{
	if (input_id(r, f) == 0 && f->i <= max)
		return 0;
	f->err = err;
	return -1;
}

static int
ag_in_limit(struct req *r, struct field *f)
{
	return ag_limit_in(r, f, AG_MAX, "Not a number from 1 to 500.");
}

static int
ag_in_members_limit(struct req *r, struct field *f)
{
	return ag_limit_in(r, f, AG_PAGE_MAX, "Not a number from 1 to 1000.");
}

/* "state": member (the default) or pending (double opt-in). */
static int
ag_in_state(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "member") == 0 || strcmp(f->s, "pending") == 0)
		return 0;
	f->err = "Must be member or pending.";
	return -1;
}

/* A checked body. */
struct ag_body {
	const char		*name, *desc, *kind, *filter;
	const char		*confirm;	/* "true", "false" or NULL */
	struct buf		 ids;		/* "{1,2}" of contact_ids */
	size_t			 nids;
	struct json_object	*errors;
};

/* The one-row answer of statement s with params: the value or NULL. */
static char *
ag_one(struct req *r, int s, const char **params, int *failed)
{
	PGresult	*res;
	char		*v = NULL;

	if ((res = db_exec(&r->app->db, &ag_sql[s], params)) == NULL) {
		*failed = 1;
		return NULL;
	}
	if (PQntuples(res) == 1)
		v = req_strndup(r, db_get(res, 0, 0), strlen(db_get(res, 0, 0)));
	PQclear(res);
	return v;
}

/* A segment's filter: the Contacts filter's query string, every
 * parameter valid for the customer and at least one set; kept in its
 * canonical form (aud_filter_query). */
static void
ag_filter(struct req *r, struct ag_body *b, const char *s, int *failed)
{
	struct params		 q = PARAMS_INIT;
	struct buf		 canon = BUF_INIT;
	struct aud_filter	 f;
	const char		*p[2] = { r->cid, NULL };
	char			 id[24], *kind;
	size_t			 i;

	aud_filter_init(&f);
	if (strlen(s) > AG_FILTER_MAX || form_parse(&q, s, strlen(s), NULL)
	    == -1) {
		api_error_add(b->errors, "filter", "Must be a query string of "
		    "at most 4096 bytes.");
		return;
	}
	for (i = 0; i < q.n; i++)
		if (aud_filter_set(&f, q.v[i].name, q.v[i].value) != 0 ||
		    strcmp(q.v[i].name, "after") == 0 ||
		    strcmp(q.v[i].name, "before") == 0)
			f.nerr++;
	params_free(&q);
	aud_filter_check(&f);
	if (f.nerr == 0 && f.field[0] != '\0') {
		p[1] = f.field;
		if ((kind = ag_one(r, AG_FIELD, p, failed)) == NULL ||
		    aud_filter_kind(&f, aud_kind_parse(kind)) == -1)
			f.nerr++;
	}
	if (f.nerr == 0 && f.group > 0) {
		snprintf(id, sizeof(id), "%lld", (long long)f.group);
		p[1] = id;
		if (ag_one(r, AG_LIST_OK, p, failed) == NULL)
			f.nerr++;
	}
	if (f.nerr > 0)
		api_error_add(b->errors, "filter", "Must be the filters of "
		    "GET /api/v1/contacts, each valid, no cursor.");
	else if (aud_filter_empty(&f))
		api_error_add(b->errors, "filter", "A segment needs at least "
		    "one filter.");
	else {
		aud_filter_query(&f, &canon);
		b->filter = req_strndup(r, buf_str(&canon), canon.len);
		buf_free(&canon);
	}
}

/* A string field: trimmed, 1..max code points (0.. when may be empty),
 * one line unless multi. */
static const char *
ag_text(struct req *r, struct ag_body *b, const char *k,
    struct json_object *v, size_t max, int empty, int multi)
{
	const char	*s;
	size_t		 n;
	char		 why[96];

	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		text_trim(&s, &n);
		if ((n > 0 || empty) && memchr(s, '\0', n) == NULL &&
		    text_field_ok(s, n, max, multi, NULL) == 0)
			return req_strndup(r, s, n);
	}
	snprintf(why, sizeof(why), "Must be a string of %s to %zu characters%s.",
	    empty ? "0" : "1", max, multi ? "" : " on one line");
	api_error_add(b->errors, k, why);
	return NULL;
}

/* "contact_ids": 1 to 10,000 positive integers, into b->ids. */
static void
ag_ids(struct ag_body *b, struct json_object *v)
{
	struct json_object	*e;
	size_t			 i, n;

	n = json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 0;
	buf_putc(&b->ids, '{');
	for (i = 0; i < n && n <= AG_IDS_MAX; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_int) ||
		    json_object_get_int64(e) <= 0)
			break;
		buf_printf(&b->ids, "%s%lld", i > 0 ? "," : "",
		    (long long)json_object_get_int64(e));
	}
	buf_putc(&b->ids, '}');
	b->nids = i;
	if (n == 0 || n > AG_IDS_MAX || i < n)
		api_error_add(b->errors, "contact_ids", "Must be an array of "
		    "1 to 10000 contact ids.");
}

/* One field of a group's body (members: only contact_ids). */
static void
ag_field(struct req *r, struct ag_body *b, const char *k,
    struct json_object *v, int members, int *failed)
{
	if (members && strcmp(k, "contact_ids") == 0)
		ag_ids(b, v);
	else if (!members && strcmp(k, "name") == 0)
		b->name = ag_text(r, b, k, v, AG_NAME_MAX, 0, 0);
	else if (!members && strcmp(k, "description") == 0)
		b->desc = ag_text(r, b, k, v, AG_DESC_MAX, 1, 1);
	else if (!members && strcmp(k, "kind") == 0) {
		if (json_object_is_type(v, json_type_string) &&
		    (strcmp(json_object_get_string(v), "list") == 0 ||
		    strcmp(json_object_get_string(v), "segment") == 0))
			b->kind = json_object_get_string(v);
		else
			api_error_add(b->errors, k, "Must be list or segment.");
	} else if (!members && strcmp(k, "confirm") == 0) {
		if (json_object_is_type(v, json_type_boolean))
			b->confirm = json_object_get_boolean(v) ? "true" :
			    "false";
		else
			api_error_add(b->errors, k, "Must be true or false.");
	} else if (!members && strcmp(k, "filter") == 0) {
		if (json_object_is_type(v, json_type_string))
			ag_filter(r, b, json_object_get_string(v), failed);
		else
			api_error_add(b->errors, k, "Must be a string.");
	} else
		api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
		    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
}

/*
 * Check the body into b; *json owns the parse. The number of errors
 * in b->errors, or -1 when the database failed.
 */
static int
ag_body_check(struct req *r, struct ag_body *b, struct json_object **json,
    int members)
{
	struct parse_limits	 lim = parse_limits_default;
	int			 failed = 0;

	memset(b, 0, sizeof(*b));
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, val)
		ag_field(r, b, k, val, members, &failed);
	if (members && b->ids.len == 0)
		api_error_add(b->errors, "contact_ids", "Required.");
	return failed ? -1 : (int)json_object_array_length(b->errors);
}

static void
ag_body_free(struct ag_body *b, struct json_object *json)
{
	json_object_put(b->errors);
	json_object_put(json);
	buf_free(&b->ids);
}

/* Answer status with the group of res's row (404 when none). */
static int
ag_answer(struct req *r, int status, PGresult *res)
{
	return api_row_text(r, status, res, AGG_GROUP, AGG_ID,
	    "/api/v1/contact-groups", "contact group");
}

/* A page: {data, next_cursor} from a list statement's row. */
static int
ag_page(struct req *r, PGresult *res)
{
	struct json_object	*o = json_object_new_object(), *data;
	const char		*next = db_get(res, 0, AGL_NEXT);

	data = json_tokener_parse(db_get(res, 0, AGL_LIST));
	json_object_object_add(o, "data", data != NULL ? data :
	    json_object_new_array());
	json_object_object_add(o, "next_cursor", *next != '\0' ?
	    json_object_new_string(next) : NULL);
	PQclear(res);
	return api_json(r, 200, o);
}

/* The page's cursor ("0": the first) and limit (100 by default), from the
 * route's checked inputs. */
static void
ag_paging(struct req *r, char cursor[24], char limit[24])
{
	snprintf(cursor, 24, "%lld", r->in[AG_IN_CURSOR].s != NULL ?
	    (long long)r->in[AG_IN_CURSOR].i : 0LL);
	snprintf(limit, 24, "%lld", r->in[AG_IN_LIMIT].s != NULL ?
	    (long long)r->in[AG_IN_LIMIT].i : 100LL);
}

/* GET /api/v1/contact-groups?cursor=&limit= */
static int
ag_list(struct req *r)
{
	char		 cursor[24], limit[24];
	const char	*params[3] = { r->cid, cursor, limit };
	PGresult	*res;

	if (api_invalid_inputs(r))
		return 0;
	ag_paging(r, cursor, limit);
	if ((res = db_exec(&r->app->db, &ag_sql[AG_LIST], params)) == NULL)
		return 503;
	return ag_page(r, res);
}

/* GET /api/v1/contact-groups/{id} */
static int
ag_get(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &ag_sql[AG_GET], params)) == NULL)
		return 503;
	return ag_answer(r, 200, res);
}

/* 409 group-limit: the customer has AG_MAX groups. */
static int
ag_limit(struct req *r)
{
	return api_fail(r, 409, "group-limit", "A customer has at most 500 "
	    "contact groups: delete some first.");
}

/* A failed write: a taken name, or 503. */
static int
ag_write_failed(struct req *r, const char *name)
{
	if (strcmp(r->app->db.sqlstate, "23505") == 0 && name != NULL)
		return api_existing(r, &ag_sql[AG_BY_NAME], name,
		    "duplicate-group", "A contact group with this name "
		    "exists; existing_id names it.");
	return 503;
}

/* 1 when errors already name field k. */
static int
ag_has_error(struct json_object *errors, const char *k)
{
	struct json_object	*f;
	size_t			 i;

	for (i = 0; i < json_object_array_length(errors); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(errors,
		    i), "field", &f) && strcmp(json_object_get_string(f), k) ==
		    0)
			return 1;
	return 0;
}

static const char ag_err_confirm[] = "Only a list can require "
    "confirmation (double opt-in).";

/* The create body's required fields and their agreement. */
static void
ag_create_rules(struct ag_body *b)
{
	if (b->name == NULL && !ag_has_error(b->errors, "name"))
		api_error_add(b->errors, "name", "Required.");
	if (b->kind == NULL && !ag_has_error(b->errors, "kind"))
		api_error_add(b->errors, "kind", "Required.");
	if (b->kind != NULL && strcmp(b->kind, "segment") == 0 &&
	    b->filter == NULL && !ag_has_error(b->errors, "filter"))
		api_error_add(b->errors, "filter", "Required for a segment.");
	if (b->kind != NULL && strcmp(b->kind, "list") == 0 &&
	    b->filter != NULL)
		api_error_add(b->errors, "filter", "Only a segment has one.");
	if (b->kind != NULL && strcmp(b->kind, "segment") == 0 &&
	    b->confirm != NULL && strcmp(b->confirm, "true") == 0)
		api_error_add(b->errors, "confirm", ag_err_confirm);
}

/* POST /api/v1/contact-groups {name, description, kind, filter} */
static int
ag_create(struct req *r)
{
	struct ag_body		 b;
	struct json_object	*json = NULL;
	const char		*params[6];
	PGresult		*res;
	int			 rc, full;

	if ((rc = ag_body_check(r, &b, &json, 0)) == 0)
		ag_create_rules(&b);
	if (rc == -1)
		rc = 503;
	else if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else if ((full = api_count_reached(r, &ag_sql[AG_COUNT],
	    AG_MAX)) != 0)
		rc = full < 0 ? 503 : ag_limit(r);
	else {
		params[0] = r->cid, params[1] = b.name, params[2] = b.desc;
		params[3] = b.kind, params[4] = b.filter;
		params[5] = b.confirm;
		res = db_exec(&r->app->db, &ag_sql[AG_CREATE], params);
		rc = res == NULL ? ag_write_failed(r, b.name) :
		    ag_answer(r, 201, res);
	}
	ag_body_free(&b, json);
	return rc;
}

/* A patch's confirm true on a segment: 1 when refused, -1 when the
 * database failed. */
static int
ag_patch_confirm(struct req *r, struct ag_body *b)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;
	int		 bad;

	if (b->confirm == NULL || strcmp(b->confirm, "true") != 0)
		return 0;
	if ((res = db_exec(&r->app->db, &ag_sql[AG_GET], params)) == NULL)
		return -1;
	bad = PQntuples(res) == 1 && strcmp(db_get(res, 0, AGG_KIND),
	    "segment") == 0;
	PQclear(res);
	if (bad)
		api_error_add(b->errors, "confirm", ag_err_confirm);
	return bad;
}

/* PATCH /api/v1/contact-groups/{id} {name, description, filter,
 * confirm} */
static int
ag_patch(struct req *r)
{
	struct ag_body		 b;
	struct json_object	*json = NULL;
	const char		*params[6];
	PGresult		*res;
	int			 rc;

	if ((rc = ag_body_check(r, &b, &json, 0)) == 0 && b.kind != NULL)
		api_error_add(b.errors, "kind", "A group's kind never "
		    "changes.");
	if (rc == 0 && ag_patch_confirm(r, &b) == -1)
		rc = -1;
	if (rc == -1)
		rc = 503;
	else if (json_object_array_length(b.errors) > 0)
		rc = api_invalid(r, &b.errors);
	else {
		params[0] = r->cid, params[1] = r->args[0], params[2] = b.name;
		params[3] = b.desc, params[4] = b.filter;
		params[5] = b.confirm;
		res = db_exec(&r->app->db, &ag_sql[AG_PATCH], params);
		rc = res == NULL ? ag_write_failed(r, b.name) :
		    ag_answer(r, 200, res);
	}
	ag_body_free(&b, json);
	return rc;
}

/* DELETE /api/v1/contact-groups/{id}: the contacts stay. */
static int
ag_delete(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &ag_sql[AG_DELETE], params)) == NULL)
		return 503;
	return api_deleted(r, res, "contact group");
}

/* The group {id} must be the customer's list: 0, 404, 409 or 503. */
static int
ag_must_be_list(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;
	int		 rc = 0;

	if ((res = db_exec(&r->app->db, &ag_sql[AG_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1)
		rc = api_fail(r, 404, "not-found", "No such contact group.");
	else if (strcmp(db_get(res, 0, AGG_KIND), "list") != 0)
		rc = api_fail(r, 409, "group-is-segment", "A segment's members "
		    "are the contacts matching its filter: list them with "
		    "GET /api/v1/contacts and the filter's parameters.");
	PQclear(res);
	return rc;
}

/* POST .../members and .../members/remove {contact_ids}: how many. */
static int
ag_members_change(struct req *r, int s, const char *key)
{
	struct ag_body		 b;
	struct json_object	*json = NULL, *o;
	const char		*params[3];
	PGresult		*res;
	int			 rc;

	if ((rc = ag_must_be_list(r)) != 0)
		return rc;
	if ((rc = ag_body_check(r, &b, &json, 1)) == -1)
		rc = 503;
	else if (rc > 0)
		rc = api_invalid(r, &b.errors);
	else {
		params[0] = r->cid, params[1] = r->args[0];
		params[2] = buf_str(&b.ids);
		if ((res = db_exec(&r->app->db, &ag_sql[s], params)) == NULL)
			rc = 503;
		else {
			o = json_object_new_object();
			json_object_object_add(o, "id",
			    json_object_new_int64(r->argi[0]));
			json_object_object_add(o, key, json_object_new_int64(
			    db_getll(res, 0, AGN_N)));
			PQclear(res);
			rc = api_json(r, 200, o);
		}
	}
	ag_body_free(&b, json);
	return rc;
}

static int
ag_add(struct req *r)
{
	return ag_members_change(r, AG_ADD, "added");
}

static int
ag_remove(struct req *r)
{
	return ag_members_change(r, AG_REMOVE, "removed");
}

/* GET /api/v1/contact-groups/{id}/members?cursor=&limit=&state= */
static int
ag_members(struct req *r)
{
	char		 cursor[24], limit[24];
	const char	*params[4] = { r->cid, r->args[0], cursor, limit };
	PGresult	*res;
	int		 rc;

	if (api_invalid_inputs(r))
		return 0;
	if ((rc = ag_must_be_list(r)) != 0)
		return rc;
	ag_paging(r, cursor, limit);
	if ((res = db_exec(&r->app->db, &ag_sql[r->in[AG_IN_STATE].s != NULL &&
	    strcmp(r->in[AG_IN_STATE].s, "pending") == 0 ? AG_PENDING :
	    AG_MEMBERS], params)) == NULL)
		return 503;
	return ag_page(r, res);
}

/* A Bearer API key with the scope; the name is the usage endpoint. */
static const struct route ag_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/contact-groups",
	    .handler = ag_list, .name = "contact_groups.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(ag_list_in) },
	{ .method = METHOD_POST, .pattern = "/api/v1/contact-groups",
	    .handler = ag_create, .name = "contact_groups.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 16 * 1024 },
	{ .method = METHOD_GET, .pattern = "/api/v1/contact-groups/{int}",
	    .handler = ag_get, .name = "contact_groups.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/contact-groups/{int}",
	    .handler = ag_patch, .name = "contact_groups.update",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 16 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/contact-groups/{int}",
	    .handler = ag_delete, .name = "contact_groups.delete",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write" },
	{ .method = METHOD_GET,
	    .pattern = "/api/v1/contact-groups/{int}/members",
	    .handler = ag_members, .name = "contact_groups.members",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(ag_members_in) },
	{ .method = METHOD_POST,
	    .pattern = "/api/v1/contact-groups/{int}/members",
	    .handler = ag_add, .name = "contact_groups.members_add",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
	{ .method = METHOD_POST,
	    .pattern = "/api/v1/contact-groups/{int}/members/remove",
	    .handler = ag_remove, .name = "contact_groups.members_remove",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "contacts:write",
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
};

const struct module api_groups_module = {
	.name = "api_groups",
	MODULE_ROUTES(ag_routes),
	MODULE_SQL(ag_sql),
};
