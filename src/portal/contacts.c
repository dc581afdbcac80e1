/* contacts.c: what the contact pages share: the customer's tags, fields and counters in one statement, status words, tag chips and choices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "core/db.h"
#include "web/param.h"
#include "core/xmalloc.h"
#include "core/nls.h"
#include "web/module.h"
#include "web/req.h"
#include "contacts.h"

enum {
	CX_TOTAL,
	CX_SUBSCRIBED,
	CX_TZ,
	CX_MAX_CONTACTS,
	CX_COUNTRY,
	CX_FIELDS,
	CX_LISTS,
	CX__MAX
};

enum { CXT_ID, CXT_NAME, CXT_COLOUR, CXT_CONTACTS, CXT__MAX };

enum { CTX_GET, CTX_TAGS, CTX__MAX };

static const struct stmt ctx_sql[CTX__MAX] = {
	/* Customer $1's counters, zone, package limit, fields (by label)
	 * and lists (contact groups of kind list, by name), as JSON arrays. */
	[CTX_GET] = { "contacts_ctx.get",
	    "SELECT coalesce(cc.total, 0) AS total, "
	    "coalesce(cc.subscribed, 0) AS subscribed, u.time_zone AS tz, "
	    "wa_contact_limit(u.id) AS max_contacts, u.country, "
	    "(SELECT coalesce(json_agg(json_build_object('key', f.key, "
	    "'label', f.label, 'kind', f.kind, 'choices', f.choices) "
	    "ORDER BY lower(f.label), f.id), '[]') FROM contact_fields f "
	    "WHERE f.customer_id = u.id) AS fields, "
	    "(SELECT coalesce(json_agg(json_build_object('id', g.id, "
	    "'name', g.name, 'members', g.members, 'subscribed', "
	    "g.subscribed, 'unsubscribed', g.unsubscribed) ORDER BY "
	    "lower(g.name), g.id), '[]') "
	    "FROM contact_groups g WHERE g.customer_id = u.id "
	    "AND g.kind = 'list') AS lists "
	    "FROM users u LEFT JOIN contact_counts cc ON cc.customer_id = u.id "
	    "WHERE u.id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(CX__MAX, [CX_TOTAL] = "total",
	    [CX_SUBSCRIBED] = "subscribed", [CX_TZ] = "tz",
	    [CX_MAX_CONTACTS] = "max_contacts", [CX_COUNTRY] = "country",
	    [CX_FIELDS] = "fields", [CX_LISTS] = "lists") },
	/* Its tags by name, as rows: up to 1,000 of them, which as JSON
	 * would cost PostgreSQL an object each and the worker a parse. */
	[CTX_TAGS] = { "contacts_ctx.tags",
	    "SELECT t.id, t.name, t.colour, t.contacts FROM tags t "
	    "WHERE t.customer_id = $1::bigint ORDER BY lower(t.name), t.id",
	    1, DB_RETRY, DB_COLS(CXT__MAX, [CXT_ID] = "id",
	    [CXT_NAME] = "name", [CXT_COLOUR] = "colour",
	    [CXT_CONTACTS] = "contacts") },
};

/* The statement for the check; the contact pages call in. */
const struct module contacts_ctx_module = {
	.name = "contacts_ctx",
	MODULE_SQL(ctx_sql),
};

static const struct {
	const char	*status;
	const char	*word;
} ct_statuses[] = {
	{ "subscribed", N_("subscribed") },
	{ "unsubscribed", N_("unsubscribed") },
	{ "unknown", N_("unknown") },
};

static void	 ct_tag_index(struct ct_ctx *);

/* The tags' rows as [{id, name, colour, contacts}]. */
static struct json_object *
ct_tags_json(PGresult *res)
{
	struct json_object	*out = json_object_new_array(), *o;
	int			 i;

	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(
		    db_getll(res, i, CXT_ID)));
		json_object_object_add(o, "name", json_object_new_string(
		    db_get(res, i, CXT_NAME)));
		json_object_object_add(o, "colour", json_object_new_string(
		    db_get(res, i, CXT_COLOUR)));
		json_object_object_add(o, "contacts", json_object_new_int64(
		    db_getll(res, i, CXT_CONTACTS)));
		json_object_array_add(out, o);
	}
	return out;
}

/* The context's row (and the tags' rows): 0, or -1 when not whole. */
static int
ct_ctx_fill(struct ct_ctx *cx, PGresult *res, PGresult *tags)
{
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
	    PQresultStatus(tags) != PGRES_TUPLES_OK)
		return -1;
	cx->total = db_getll(res, 0, CX_TOTAL);
	cx->subscribed = db_getll(res, 0, CX_SUBSCRIBED);
	cx->max_contacts = db_getll(res, 0, CX_MAX_CONTACTS);
	snprintf(cx->tz, sizeof(cx->tz), "%s", db_get(res, 0, CX_TZ));
	snprintf(cx->country, sizeof(cx->country), "%s",
	    db_get(res, 0, CX_COUNTRY));
	cx->tags = ct_tags_json(tags);
	cx->fields = json_tokener_parse(db_get(res, 0, CX_FIELDS));
	cx->lists = json_tokener_parse(db_get(res, 0, CX_LISTS));
	return cx->fields == NULL || cx->lists == NULL ? -1 : 0;
}

/* Both statements in one round trip. */
int
ct_ctx_load(struct req *r, struct ct_ctx *cx)
{
	const struct stmt *const stmts[2] = { &ctx_sql[CTX_GET],
	    &ctx_sql[CTX_TAGS] };
	char		 cid[24];
	const char	*params[1] = { cid };
	const char *const *pv[2] = { params, params };
	PGresult	*res[2];
	int		 rc;

	memset(cx, 0, sizeof(*cx));
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if (db_pipeline(&r->app->db, stmts, 2, pv, res) == -1)
		return -1;
	rc = ct_ctx_fill(cx, res[0], res[1]);
	PQclear(res[0]);
	PQclear(res[1]);
	if (rc == -1) {
		ct_ctx_free(cx);
		return -1;
	}
	cx->ntags = (int)json_object_array_length(cx->tags);
	cx->nfields = (int)json_object_array_length(cx->fields);
	cx->nlists = (int)json_object_array_length(cx->lists);
	ct_tag_index(cx);
	return 0;
}

void
ct_ctx_free(struct ct_ctx *cx)
{
	json_object_put(cx->tags);
	json_object_put(cx->fields);
	json_object_put(cx->lists);
	cx->tags = cx->fields = cx->lists = NULL;
	free(cx->tag_ids);
	cx->tag_ids = NULL;
}

const char *
ct_status_word(struct req *r, const char *status)
{
	size_t	 i;

	for (i = 0; i < sizeof(ct_statuses) / sizeof(ct_statuses[0]); i++)
		if (strcmp(status, ct_statuses[i].status) == 0)
			return req_tr(r, ct_statuses[i].word);
	return status;
}

static const char *
ct_str(struct json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

static int64_t
ct_int(struct json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

int
ct_array_has(const char *arr, const char *id)
{
	size_t		 n = strlen(id);
	const char	*p = arr;

	while ((p = strstr(p, id)) != NULL) {
		if ((p[-1] == '{' || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '}'))
			return 1;
		p += n;
	}
	return 0;
}

/* A tag as its chip {id, name, colour}. */
static struct json_object *
ct_chip(struct json_object *t)
{
	struct json_object	*o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(ct_int(t, "id")));
	json_object_object_add(o, "name", json_object_new_string(
	    ct_str(t, "name")));
	json_object_object_add(o, "colour", json_object_new_string(
	    ct_str(t, "colour")));
	return o;
}

/* The tags' ids in their (name) order: a row's chips look them up. */
static void
ct_tag_index(struct ct_ctx *cx)
{
	int	 i;

	cx->tag_ids = xcalloc((size_t)cx->ntags + 1, sizeof(*cx->tag_ids));
	for (i = 0; i < cx->ntags; i++)
		cx->tag_ids[i] = ct_int(json_object_array_get_idx(cx->tags,
		    (size_t)i), "id");
}

/* The place of tag id in the context's order, or -1. */
static int
ct_tag_at(const struct ct_ctx *cx, int64_t id)
{
	int	 i;

	for (i = 0; i < cx->ntags; i++)
		if (cx->tag_ids[i] == id)
			return i;
	return -1;
}

/* Insert v into the sorted at[0..n): the chips keep the tags' order. */
static void
ct_sorted_add(int *at, size_t n, int v)
{
	size_t	 i = n;

	for (; i > 0 && at[i - 1] > v; i--)
		at[i] = at[i - 1];
	at[i] = v;
}

/*
 * A row's SQL array "{3,5,8}" read once, each id found in the context
 * (a row carries a few tags; the account up to 1,000): the cost is the
 * row's tags, not the account's (docs/performance.md, "Contacts list").
 */
struct json_object *
ct_tag_chips(const struct ct_ctx *cx, const char *arr)
{
	struct json_object	*out = json_object_new_array();
	int			*at = xcalloc((size_t)cx->ntags + 1, sizeof(*at));
	size_t			 n = 0, i;
	const char		*p = arr;
	char			*end;
	long long		 id;
	int			 k;

	while (*p == '{' || *p == ',') {
		id = strtoll(p + 1, &end, 10);
		if (end == p + 1)
			break;
		if ((k = ct_tag_at(cx, id)) >= 0 && n < (size_t)cx->ntags)
			ct_sorted_add(at, n++, k);
		p = end;
	}
	for (i = 0; i < n; i++)
		json_object_array_add(out, json_object_get(
		    json_object_array_get_idx(cx->tags, (size_t)at[i])));
	free(at);
	return out;
}

/* 1 when id is one of the n of v. */
static int
ct_id_in(int64_t id, const int64_t *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

struct json_object *
ct_tag_marked(const struct ct_ctx *cx, const int64_t *any, size_t nany,
    const int64_t *all, size_t nall)
{
	struct json_object	*t;
	int			 i;

	for (i = 0; i < cx->ntags; i++) {
		t = json_object_array_get_idx(cx->tags, (size_t)i);
		json_object_object_add(t, "any", json_object_new_boolean(
		    ct_id_in(cx->tag_ids[i], any, nany)));
		json_object_object_add(t, "all", json_object_new_boolean(
		    ct_id_in(cx->tag_ids[i], all, nall)));
	}
	return json_object_get(cx->tags);
}

struct json_object *
ct_tag_choices(const struct ct_ctx *cx, const int64_t *ids, size_t n)
{
	struct json_object	*out = json_object_new_array(), *t, *o;
	size_t			 j;
	int			 i, checked;

	for (i = 0; i < cx->ntags; i++) {
		t = json_object_array_get_idx(cx->tags, (size_t)i);
		o = ct_chip(t);
		for (checked = 0, j = 0; j < n; j++)
			checked |= ids[j] == ct_int(t, "id");
		json_object_object_add(o, "checked",
		    json_object_new_boolean(checked));
		json_object_object_add(o, "contacts", json_object_new_int64(
		    ct_int(t, "contacts")));
		json_object_array_add(out, o);
	}
	return out;
}

struct json_object *
ct_field_choices(const struct ct_ctx *cx, const char *key)
{
	struct json_object	*out = json_object_new_array(), *f, *o;
	int			 i;

	for (i = 0; i < cx->nfields; i++) {
		f = json_object_array_get_idx(cx->fields, (size_t)i);
		o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(
		    ct_str(f, "key")));
		json_object_object_add(o, "label", json_object_new_string(
		    ct_str(f, "label")));
		json_object_object_add(o, "kind", json_object_new_string(
		    ct_str(f, "kind")));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    key != NULL && strcmp(key, ct_str(f, "key")) == 0));
		json_object_array_add(out, o);
	}
	return out;
}

int
ct_tag_known(const struct ct_ctx *cx, int64_t id)
{
	return ct_tag_at(cx, id) >= 0;
}

/* The customer's list id from the context, or NULL. */
static struct json_object *
ct_list_find(const struct ct_ctx *cx, int64_t id)
{
	struct json_object	*g;
	int			 i;

	for (i = 0; i < cx->nlists; i++) {
		g = json_object_array_get_idx(cx->lists, (size_t)i);
		if (ct_int(g, "id") == id)
			return g;
	}
	return NULL;
}

int64_t
ct_list_members(const struct ct_ctx *cx, int64_t id, const char *status)
{
	struct json_object	*g = ct_list_find(cx, id);

	if (g == NULL)
		return -1;
	if (*status == '\0')
		return ct_int(g, "members");
	if (strcmp(status, "unknown") == 0)
		return ct_int(g, "members") - ct_int(g, "subscribed") -
		    ct_int(g, "unsubscribed");
	return ct_int(g, status);
}

const char *
ct_list_name(const struct ct_ctx *cx, int64_t id)
{
	struct json_object	*g = ct_list_find(cx, id);

	return g != NULL ? ct_str(g, "name") : NULL;
}

int
ct_field_kind(const struct ct_ctx *cx, const char *key)
{
	struct json_object	*f;
	int			 i;

	for (i = 0; i < cx->nfields; i++) {
		f = json_object_array_get_idx(cx->fields, (size_t)i);
		if (strcmp(ct_str(f, "key"), key) == 0)
			return aud_kind_parse(ct_str(f, "kind"));
	}
	return -1;
}

void
ct_number(int64_t n, char *out, size_t outsz)
{
	char	 digits[32];
	size_t	 len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%lld", (long long)n);
	for (i = 0; i < len && o + 2 < outsz; i++) {
		if (i > 0 && digits[i - 1] != '-' && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

int
ct_filter_parse(const struct ct_ctx *cx, const char *s, struct aud_filter *f)
{
	struct params	 q = PARAMS_INIT;
	size_t		 i;
	int		 kind;

	aud_filter_init(f);
	if (form_parse(&q, s, strlen(s), NULL) == -1)
		return -1;
	for (i = 0; i < q.n; i++)
		if (strcmp(q.v[i].name, "after") != 0 &&
		    strcmp(q.v[i].name, "before") != 0)
			aud_filter_set(f, q.v[i].name, q.v[i].value);
	params_free(&q);
	if (aud_filter_check(f) == -1)
		return -1;
	if (f->group > 0 && ct_list_name(cx, f->group) == NULL)
		return -1;
	if (f->field[0] != '\0') {
		if ((kind = ct_field_kind(cx, f->field)) < 0)
			return -1;
		aud_filter_kind(f, kind);
	}
	return f->nerr > 0 ? -1 : 0;
}
