/* api_broadcasts.c: /api/v1/broadcasts: create and start a broadcast (or its dry run: the audience's size against the month's quota, nothing stored), list (cursor), get one with its figures, pause, resume, cancel, and its recipients (cursor) with their messages' status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_bcast.h"
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

#define AB_NAME_MAX	100	/* code points (sql/0027) */
#define AB_INST_MAX	50	/* sending numbers (sql/0027) */
#define AB_LIST_MAX	200	/* a page of the lists */

/* One broadcast of the API as JSON, from broadcasts b. */
#define AB_TIME(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* Minutes of the day c as "HH:MM". */
#define AB_JSON \
	"json_build_object('id', b.id, 'name', b.name, 'state', b.state, " \
	"'pause_reason', b.pause_reason, 'pause_code', b.pause_code, " \
	"'pause_args', b.pause_args, 'fail_reason', b.fail_reason, " \
	"'fail_code', b.fail_code, 'fail_args', b.fail_args, " \
	"'template_id', b.template_id, " \
	"'template_version', b.template_version, 'instance_ids', " \
	"b.instance_ids, 'include_unknown', b.include_unknown, " \
	"'precheck', b.precheck, 'missing', " \
	"b.missing, 'start_at', " AB_TIME("b.start_at") ", 'quiet_hours', " \
	"CASE WHEN b.quiet_from IS NOT NULL THEN json_build_object('from', " \
	"wa_hhmm(b.quiet_from), 'to', wa_hhmm(b.quiet_to)) END, " \
	"'audience', " \
	"(SELECT coalesce(json_agg(json_build_object('kind', s.kind, 'id', " \
	"s.ref_id) ORDER BY s.pos), '[]') FROM broadcast_sources s WHERE " \
	"s.broadcast_id = b.id), 'statistics', json_build_object(" \
	"'recipients', b.recipients, 'skipped', b.skipped, 'queued', " \
	"b.queued, 'sent', b.sent, 'delivered', b.delivered, 'read', " \
	"b.read, 'failed', b.failed, 'cancelled', b.cancelled, 'replied', " \
	"b.replied, 'opted_out', b.opted_out), 'created_at', " \
	AB_TIME("b.created_at") \
	", 'started_at', " AB_TIME("b.started_at") ", 'finished_at', " \
	AB_TIME("b.finished_at") ")"

enum { ABL_LIST, ABL_NEXT, ABL__MAX };
enum { ABG_JSON, ABG__MAX };
enum { ABQ_USED, ABQ_LIMIT, ABQ__MAX };
enum { ABI_ID, ABI__MAX };
enum { ABS_JOB, ABS__MAX };
enum { ABA_CHANGED, ABA__MAX };
enum { ABO_N, ABO__MAX };

enum {
	AB_LIST, AB_GET, AB_RECIPIENTS, AB_QUOTA, AB_OWNED, AB_INSERT,
	AB_SOURCES, AB_START, AB_PAUSE, AB_RESUME, AB_CANCEL, AB__MAX
};

#define AB_LIST_COLS \
	DB_COLS(ABL__MAX, [ABL_LIST] = "list", [ABL_NEXT] = "next")
#define AB_ACT_COLS \
	DB_COLS(ABA__MAX, [ABA_CHANGED] = "changed")

static const struct stmt ab_sql[AB__MAX] = {
	/* Customer $1's broadcasts after id $2, $3 of them, as one JSON
	 * array, and the id to continue after ("" at the end). */
	[AB_LIST] = { "api_broadcasts.list",
	    "WITH p AS (SELECT b.id, " AB_JSON "::text AS o FROM broadcasts b "
	    "WHERE b.customer_id = $1::bigint AND b.id > $2::bigint "
	    "ORDER BY b.id LIMIT $3::int + 1), "
	    "s AS (SELECT * FROM p ORDER BY id LIMIT $3::int) "
	    "SELECT (SELECT coalesce(json_agg(s.o::json ORDER BY s.id), "
	    "'[]') FROM s)::text AS list, CASE WHEN (SELECT count(*) FROM p) "
	    "> $3::int THEN (SELECT max(id) FROM s)::text ELSE '' END AS next",
	    3, DB_RETRY, AB_LIST_COLS },
	/* Customer $1's broadcast $2. */
	[AB_GET] = { "api_broadcasts.get",
	    "SELECT " AB_JSON "::text AS o FROM broadcasts b "
	    "WHERE b.customer_id = $1::bigint AND b.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(ABG__MAX, [ABG_JSON] = "o") },
	/* Customer $1's broadcast $2's recipients after contact $3, $4 of
	 * them, with their message's status. */
	[AB_RECIPIENTS] = { "api_broadcasts.recipients",
	    "WITH p AS (SELECT r.contact_id AS id, json_build_object("
	    "'contact_id', r.contact_id, 'phone', r.phone, 'instance_id', "
	    "r.instance_id, 'time_zone', r.tz, 'status', r.status, "
	    "'reason', r.reason, "
	    "'message_id', r.message_id, 'message_status', m.status)::text "
	    "AS o FROM broadcasts b JOIN broadcast_recipients r ON "
	    "r.broadcast_id = b.id LEFT JOIN messages m ON m.id = "
	    "r.message_id AND m.customer_id = b.customer_id "
	    "WHERE b.customer_id = $1::bigint AND b.id = $2::bigint AND "
	    "r.contact_id > $3::bigint ORDER BY r.contact_id "
	    "LIMIT $4::int + 1), s AS (SELECT * FROM p ORDER BY id "
	    "LIMIT $4::int) SELECT (SELECT coalesce(json_agg(s.o::json "
	    "ORDER BY s.id), '[]') FROM s)::text AS list, CASE WHEN (SELECT "
	    "count(*) FROM p) > $4::int THEN (SELECT max(id) FROM s)::text "
	    "ELSE '' END AS next", 4, DB_RETRY, AB_LIST_COLS },
	/* This month's quota: places taken, and the package's limit ('' when
	 * no active unexpired package). */
	[AB_QUOTA] = { "api_broadcasts.quota",
	    "SELECT coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = $1::bigint "
	    "AND c.month = wa_customer_month($1::bigint)), 0) AS used, "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1::bigint AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now() "
	    "ORDER BY cp.expires_at DESC LIMIT 1), '') AS quota", 1, DB_RETRY,
	    DB_COLS(ABQ__MAX, [ABQ_USED] = "used", [ABQ_LIMIT] = "quota") },
	/* Of ids $3 (kind $2: 'template' or 'instance'), how many are
	 * customer $1's (numbers: connected). */
	[AB_OWNED] = { "api_broadcasts.owned",
	    "SELECT CASE $2 WHEN 'template' THEN (SELECT count(*) FROM "
	    "templates t WHERE t.customer_id = $1::bigint AND t.id = ANY "
	    "($3::bigint[])) ELSE (SELECT count(*) FROM instances i WHERE "
	    "i.customer_id = $1::bigint AND i.status = 'connected' AND i.id = "
	    "ANY ($3::bigint[])) END AS n", 3, DB_RETRY,
	    DB_COLS(ABO__MAX, [ABO_N] = "n") },
	/* The draft of customer $1: name $2, unknown contacts $3, template
	 * $4, numbers $5, start $6 (NULL: now), policy $7, pre-check $8,
	 * quiet hours $9 to $10 (minutes; NULL: none); none past 1,000
	 * broadcasts. */
	[AB_INSERT] = { "api_broadcasts.insert",
	    "INSERT INTO broadcasts (customer_id, name, include_unknown, "
	    "unknown_ack_by, unknown_ack_at, template_id, instance_ids, "
	    "start_at, missing, precheck, quiet_from, quiet_to) SELECT "
	    "$1::bigint, $2, $3::boolean, "
	    "CASE WHEN $3::boolean THEN $1::bigint END, CASE WHEN $3::boolean "
	    "THEN wa_now() END, $4::bigint, $5::bigint[], $6::timestamptz, $7, "
	    "$8::boolean, $9::smallint, $10::smallint WHERE (SELECT count(*) "
	    "FROM broadcasts b WHERE "
	    "b.customer_id = $1::bigint) < 1000 RETURNING id", 10, DB_ONCE,
	    DB_COLS(ABI__MAX, [ABI_ID] = "id") },
	/* Broadcast $1's sources in order: kinds $2, ids $3 (0: none). */
	[AB_SOURCES] = { "api_broadcasts.sources",
	    "INSERT INTO broadcast_sources (broadcast_id, pos, kind, ref_id) "
	    "SELECT $1::bigint, s.o - 1, s.k, nullif(s.r, 0) FROM "
	    "unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS s (k, r, o)",
	    3, DB_ONCE, NULL },
	/* Start draft $2 of customer $1: its job's id, '' when refused. */
	[AB_START] = { "api_broadcasts.start",
	    "SELECT coalesce(wa_broadcast_start($1::bigint, $2::bigint)::text, "
	    "'') AS job", 2, DB_ONCE, DB_COLS(ABS__MAX, [ABS_JOB] = "job") },
	[AB_PAUSE] = { "api_broadcasts.pause",
	    "SELECT wa_broadcast_pause($1::bigint, $2::bigint, '') AS changed",
	    2, DB_ONCE, AB_ACT_COLS },
	[AB_RESUME] = { "api_broadcasts.resume",
	    "SELECT wa_broadcast_resume($1::bigint, $2::bigint) AS changed",
	    2, DB_ONCE, AB_ACT_COLS },
	[AB_CANCEL] = { "api_broadcasts.cancel",
	    "SELECT wa_broadcast_cancel($1::bigint, $2::bigint) AS changed",
	    2, DB_ONCE, AB_ACT_COLS },
};

/* The lists' query: cursor (a next_cursor, an id) and limit. */
enum { AB_IN_CURSOR, AB_IN_LIMIT, AB_IN__MAX };

static int	ab_in_limit(struct req *, struct field *);

static const struct input ab_list_in[AB_IN__MAX] = {
	[AB_IN_CURSOR] = { "cursor", input_id, 0 },
	[AB_IN_LIMIT] = { "limit", ab_in_limit, 0 },
};

/* "limit": 1 to 200. */
static int
ab_in_limit(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0 && f->i <= AB_LIST_MAX)
		return 0;
	f->err = "Not a number from 1 to 200.";
	return -1;
}

/* A checked create body. */
struct ab_body {
	const char		*name, *missing, *start_at;
	struct aud_bcast_source	 src[AUD_BCAST_SOURCES];
	int			 nsrc, unknown, ack, dry_run, precheck;
	int			 qf, qt;	/* quiet hours; -1: none */
	int64_t			 tpl, inst[AB_INST_MAX];
	int			 ninst;
	struct json_object	*errors;
};

/* "name": trimmed, 1 to 100 characters on one line. */
static void
ab_name(struct req *r, struct ab_body *b, struct json_object *v)
{
	const char	*s;
	size_t		 n;

	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		text_trim(&s, &n);
		if (n > 0 && memchr(s, '\0', n) == NULL &&
		    text_field_ok(s, n, AB_NAME_MAX, 0, NULL) == 0) {
			b->name = req_strndup(r, s, n);
			return;
		}
	}
	api_error_add(b->errors, "name", "Must be a string of 1 to 100 "
	    "characters on one line.");
}

/* A positive integer JSON value, or 0. */
static int64_t
ab_int(struct json_object *v)
{
	int64_t	 n;

	if (!json_object_is_type(v, json_type_int))
		return 0;
	n = json_object_get_int64(v);
	return n > 0 && n < INT64_MAX ? n : 0;
}

/* One audience source {kind, id}: 0, -1. */
static int
ab_source(struct json_object *e, struct aud_bcast_source *s)
{
	struct json_object	*k, *id;
	int			 kind;

	memset(s, 0, sizeof(*s));
	if (!json_object_is_type(e, json_type_object) ||
	    !json_object_object_get_ex(e, "kind", &k) ||
	    !json_object_is_type(k, json_type_string) ||
	    (kind = aud_bcast_kind(json_object_get_string(k))) < 0 ||
	    json_object_object_length(e) > 2)
		return -1;
	s->kind = (enum aud_bcast_kind)kind;
	if (!json_object_object_get_ex(e, "id", &id))
		return kind == AUD_BCAST_SUBSCRIBERS ? 0 : -1;
	if (kind == AUD_BCAST_SUBSCRIBERS)
		return json_object_is_type(id, json_type_null) ? 0 : -1;
	return (s->ref = ab_int(id)) > 0 ? 0 : -1;
}

/* "audience": 1 to 20 distinct sources. */
static void
ab_audience(struct ab_body *b, struct json_object *v)
{
	struct aud_bcast_source	 s;
	size_t			 i, n;
	int			 j;

	n = json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 0;
	if (n == 0 || n > AUD_BCAST_SOURCES) {
		api_error_add(b->errors, "audience", "Must be an array of 1 to "
		    "20 sources {\"kind\", \"id\"}.");
		return;
	}
	for (i = 0; i < n; i++) {
		if (ab_source(json_object_array_get_idx(v, i), &s) == -1) {
			api_error_add(b->errors, "audience", "Each source is "
			    "{\"kind\": list, segment or tag, \"id\": its id}, "
			    "or {\"kind\": \"subscribers\"}.");
			return;
		}
		for (j = 0; j < b->nsrc; j++)
			if (b->src[j].kind == s.kind && b->src[j].ref == s.ref)
				break;
		if (j == b->nsrc)
			b->src[b->nsrc++] = s;
	}
}

/* "instance_ids": 1 to 50 distinct ids. */
static void
ab_instances(struct ab_body *b, struct json_object *v)
{
	size_t	 i, n;
	int64_t	 id;
	int	 j;

	n = json_object_is_type(v, json_type_array) ?
	    json_object_array_length(v) : 0;
	for (i = 0; i < n && n <= AB_INST_MAX; i++) {
		if ((id = ab_int(json_object_array_get_idx(v, i))) == 0)
			break;
		for (j = 0; j < b->ninst && b->inst[j] != id; j++)
			continue;
		if (j == b->ninst)
			b->inst[b->ninst++] = id;
	}
	if (n == 0 || n > AB_INST_MAX || i < n) {
		b->ninst = 0;
		api_error_add(b->errors, "instance_ids", "Must be an array of "
		    "1 to 50 ids of your connected numbers.");
	}
}

/* A boolean field into *out. */
static void
ab_bool(struct ab_body *b, const char *k, struct json_object *v, int *out)
{
	if (json_object_is_type(v, json_type_boolean))
		*out = json_object_get_boolean(v);
	else
		api_error_add(b->errors, k, "Must be true or false.");
}

/* "missing" and "start_at". */
static void
ab_text(struct ab_body *b, const char *k, struct json_object *v)
{
	const char	*s = json_object_is_type(v, json_type_string) ?
			    json_object_get_string(v) : NULL;

	if (strcmp(k, "missing") == 0) {
		if (s != NULL && (strcmp(s, "fallback") == 0 ||
		    strcmp(s, "skip") == 0 || strcmp(s, "block") == 0))
			b->missing = s;
		else
			api_error_add(b->errors, k, "Must be fallback, skip or "
			    "block.");
	} else if (json_object_is_type(v, json_type_null))
		b->start_at = NULL;
	else if (s != NULL && api_rfc3339(s))
		b->start_at = s;
	else
		api_error_add(b->errors, k, "Must be an RFC 3339 date-time, "
		    "e.g. 2026-01-31T09:00:00+07:00, or null (now).");
}

/* One time of the quiet hours: its minutes, or -1. */
static int
ab_hhmm(struct json_object *o, const char *k)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return -1;
	return aud_bcast_hhmm(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
}

/* "quiet_hours": null, or {"from": "HH:MM", "to": "HH:MM"}, different. */
static void
ab_quiet(struct ab_body *b, struct json_object *v)
{
	int	 f = -1, t = -1;

	if (json_object_is_type(v, json_type_null))
		return;
	if (json_object_is_type(v, json_type_object) &&
	    json_object_object_length(v) == 2) {
		f = ab_hhmm(v, "from");
		t = ab_hhmm(v, "to");
	}
	if (f >= 0 && t >= 0 && f != t) {
		b->qf = f, b->qt = t;
		return;
	}
	api_error_add(b->errors, "quiet_hours", "Must be null or {\"from\": "
	    "\"HH:MM\", \"to\": \"HH:MM\"}, two different times of day "
	    "(00:00 to 23:59), e.g. {\"from\": \"21:00\", \"to\": "
	    "\"08:00\"}.");
}

/* One field k of the body. */
static void
ab_field(struct req *r, struct ab_body *b, const char *k,
    struct json_object *v)
{
	if (strcmp(k, "name") == 0)
		ab_name(r, b, v);
	else if (strcmp(k, "audience") == 0)
		ab_audience(b, v);
	else if (strcmp(k, "template_id") == 0) {
		if ((b->tpl = ab_int(v)) == 0)
			api_error_add(b->errors, k, "Must be a template's id.");
	} else if (strcmp(k, "instance_ids") == 0)
		ab_instances(b, v);
	else if (strcmp(k, "include_unknown") == 0)
		ab_bool(b, k, v, &b->unknown);
	else if (strcmp(k, "unknown_acknowledged") == 0)
		ab_bool(b, k, v, &b->ack);
	else if (strcmp(k, "dry_run") == 0)
		ab_bool(b, k, v, &b->dry_run);
	else if (strcmp(k, "precheck") == 0)
		ab_bool(b, k, v, &b->precheck);
	else if (strcmp(k, "missing") == 0 || strcmp(k, "start_at") == 0)
		ab_text(b, k, v);
	else if (strcmp(k, "quiet_hours") == 0)
		ab_quiet(b, v);
	else
		api_error_add(b->errors, utf8_valid(k, strlen(k)) &&
		    strlen(k) <= 64 ? k : "(name)", "Unknown field.");
}

/* Required fields not given (and not refused already). */
static void
ab_required(struct ab_body *b, struct json_object *o)
{
	static const char *const req[] = { "name", "audience", "template_id",
	    "instance_ids" };
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (!json_object_object_get_ex(o, req[i], &v))
			api_error_add(b->errors, req[i], "Required.");
	if (b->unknown && !b->ack)
		api_error_add(b->errors, "unknown_acknowledged", "Must be true "
		    "to include contacts with unknown status: you confirm "
		    "they agreed to receive your messages.");
}

/* Check the request's JSON into b; *json owns the parse. The number of
 * errors in b->errors. */
static int
ab_body_check(struct req *r, struct ab_body *b, struct json_object **json)
{
	struct parse_limits	 lim = parse_limits_default;

	memset(b, 0, sizeof(*b));
	b->missing = "fallback";
	b->qf = b->qt = -1;
	b->errors = json_object_new_array();
	lim.max_total = lim.max_value = r->bodysz + 1;
	if (jsonbody_parse(json, r->body, r->bodysz, &lim, NULL, NULL, 0) ==
	    -1 || !json_object_is_type(*json, json_type_object)) {
		api_error_add(b->errors, "body", "Must be one JSON object.");
		return 1;
	}
	json_object_object_foreach(*json, k, val)
		ab_field(r, b, k, val);
	ab_required(b, *json);
	return (int)json_object_array_length(b->errors);
}

/* ids as an SQL array into out. */
static void
ab_array(const int64_t *ids, int n, struct buf *out)
{
	int	 i;

	buf_putc(out, '{');
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%lld", i > 0 ? "," : "", (long long)ids[i]);
	buf_putc(out, '}');
}

/* How many of n ids of kind are the customer's: -1 when the database
 * failed. */
static int
ab_owned(struct req *r, const char *kind, const int64_t *ids, int n)
{
	struct buf	 a = BUF_INIT;
	const char	*p[3] = { r->cid, kind, NULL };
	PGresult	*res;
	int		 k = -1;

	ab_array(ids, n, &a);
	p[2] = buf_str(&a);
	if ((res = db_exec(&r->app->db, &ab_sql[AB_OWNED], p)) != NULL) {
		k = db_geti(res, 0, ABO_N);
		PQclear(res);
	}
	buf_free(&a);
	return k;
}

/* The template, numbers and sources are the customer's: 0, 1 (errors
 * added), -1 when the database failed. */
static int
ab_refs(struct req *r, struct ab_body *b)
{
	int	 i, rc, bad = 0;

	if ((rc = ab_owned(r, "template", &b->tpl, 1)) == -1)
		return -1;
	if (rc != 1 && (bad = 1))
		api_error_add(b->errors, "template_id", "Not one of your "
		    "templates.");
	if ((rc = ab_owned(r, "instance", b->inst, b->ninst)) == -1)
		return -1;
	if (rc != b->ninst && (bad = 1))
		api_error_add(b->errors, "instance_ids", "Not all are your "
		    "connected numbers.");
	for (i = 0; i < b->nsrc; i++) {
		if ((rc = aud_bcast_owned(&r->app->db, r->customer_id,
		    &b->src[i])) == -1)
			return -1;
		if (rc == 1) {
			api_error_add(b->errors, "audience", "Not all are your "
			    "lists, segments or tags.");
			return 1;
		}
	}
	return bad;
}

/* The dry run's answer: the audience and the quota figures. */
static int
ab_dry_run(struct req *r, struct ab_body *b)
{
	const char		*p[1] = { r->cid };
	struct json_object	*o, *q;
	PGresult		*res;
	int64_t			 n, used, limit;

	n = aud_bcast_count(&r->app->db, r->customer_id, b->src, b->nsrc,
	    b->unknown);
	if (n == -1)
		return 503;
	if (n == -2) {
		api_error_add(b->errors, "audience", "A segment's filter no "
		    "longer parses (a field or tag of it was deleted).");
		return api_invalid(r, &b->errors);
	}
	if ((res = db_exec(&r->app->db, &ab_sql[AB_QUOTA], p)) == NULL)
		return 503;
	o = json_object_new_object(), q = json_object_new_object();
	json_object_object_add(o, "dry_run", json_object_new_boolean(1));
	json_object_object_add(o, "audience", json_object_new_int64(n));
	used = db_getll(res, 0, ABQ_USED);
	limit = *db_get(res, 0, ABQ_LIMIT) != '\0' ?
	    db_getll(res, 0, ABQ_LIMIT) : -1;
	json_object_object_add(q, "used", json_object_new_int64(used));
	json_object_object_add(q, "limit", limit >= 0 ?
	    json_object_new_int64(limit) : NULL);
	json_object_object_add(q, "left", json_object_new_int64(limit > used ?
	    limit - used : 0));
	json_object_object_add(o, "quota", q);
	json_object_object_add(o, "fits", json_object_new_boolean(limit >= 0 &&
	    n <= limit - used));
	PQclear(res);
	return api_json(r, 200, o);
}

/* In the caller's transaction: b stored and started; its id into id:
 * 0, 1 at the 1,000 limit, -1. */
static int
ab_store(struct req *r, const struct ab_body *b, char id[24])
{
	struct buf	 k = BUF_INIT, ids = BUF_INIT, inst = BUF_INIT;
	const char	*p[10];
	char		 tpl[24], qf[8], qt[8];
	PGresult	*res;
	int		 rc = -1;

	snprintf(tpl, sizeof(tpl), "%lld", (long long)b->tpl);
	ab_array(b->inst, b->ninst, &inst);
	aud_bcast_arrays(b->src, b->nsrc, &k, &ids);
	p[0] = r->cid, p[1] = b->name, p[2] = b->unknown ? "t" : "f";
	p[3] = tpl, p[4] = buf_str(&inst), p[5] = b->start_at;
	p[6] = b->missing, p[7] = b->precheck ? "t" : "f";
	snprintf(qf, sizeof(qf), "%d", b->qf);
	snprintf(qt, sizeof(qt), "%d", b->qt);
	p[8] = b->qf >= 0 ? qf : NULL, p[9] = b->qf >= 0 ? qt : NULL;
	if ((res = db_exec(&r->app->db, &ab_sql[AB_INSERT], p)) != NULL) {
		rc = PQntuples(res) == 1 ? 0 : 1;
		snprintf(id, 24, "%s", rc == 0 ? db_get(res, 0, ABI_ID) : "");
		PQclear(res);
	}
	p[0] = id, p[1] = buf_str(&k), p[2] = buf_str(&ids);
	if (rc == 0 && db_exec_cmd(&r->app->db, &ab_sql[AB_SOURCES], p) == -1)
		rc = -1;
	p[0] = r->cid, p[1] = id;
	if (rc == 0 && (res = db_exec(&r->app->db, &ab_sql[AB_START], p)) !=
	    NULL) {
		rc = *db_get(res, 0, ABS_JOB) != '\0' ? 0 : -1;
		PQclear(res);
	} else if (rc == 0)
		rc = -1;
	buf_free(&k), buf_free(&ids), buf_free(&inst);
	return rc;
}

/* Answer status with customer's broadcast id (404 when none). */
static int
ab_answer(struct req *r, int status, const char *id)
{
	const char	*p[2] = { r->cid, id };
	PGresult	*res;
	char		 loc[64];
	int		 rc;

	if ((res = db_exec(&r->app->db, &ab_sql[AB_GET], p)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such broadcast.");
	}
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/broadcasts/%s", id);
		resp_header(r, "Location", loc);
	}
	rc = api_json_text(r, status, db_get(res, 0, ABG_JSON));
	PQclear(res);
	return rc;
}

/* Store and start b in one transaction, then answer 201 with it. */
static int
ab_create_run(struct req *r, struct ab_body *b)
{
	char	 id[24];
	int	 rc;

	if (db_begin(&r->app->db) == -1)
		return 503;
	if ((rc = ab_store(r, b, id)) != 0) {
		db_rollback(&r->app->db);
		return rc == 1 ? api_fail(r, 409, "broadcast-limit", "A "
		    "customer has at most 1,000 broadcasts.") : 503;
	}
	if (db_commit(&r->app->db) == -1)
		return 503;
	return ab_answer(r, 201, id);
}

/* POST /api/v1/broadcasts: a dry run, or create and start. */
static int
ab_create(struct req *r)
{
	struct ab_body		 b;
	struct json_object	*json = NULL;
	int			 rc;

	if ((rc = ab_body_check(r, &b, &json)) == 0 &&
	    (rc = ab_refs(r, &b)) == -1)
		rc = 503;
	else if (rc > 0)
		rc = api_invalid(r, &b.errors);
	else if (b.dry_run)
		rc = ab_dry_run(r, &b);
	else
		rc = ab_create_run(r, &b);
	json_object_put(b.errors);
	json_object_put(json);
	return rc;
}

/* A list (statement s, extra parameter id or NULL) with its cursor. */
static int
ab_page(struct req *r, int s, const char *id)
{
	struct json_object	*o, *data;
	char			 cursor[24], limit[24];
	const char		*p[4] = { r->cid, cursor, limit, NULL }, *next;
	PGresult		*res;

	if (api_invalid_inputs(r))
		return 0;
	snprintf(cursor, sizeof(cursor), "%lld", r->in[AB_IN_CURSOR].s !=
	    NULL ? (long long)r->in[AB_IN_CURSOR].i : 0LL);
	snprintf(limit, sizeof(limit), "%lld", r->in[AB_IN_LIMIT].s != NULL ?
	    (long long)r->in[AB_IN_LIMIT].i : 50LL);
	if (id != NULL)
		p[1] = id, p[2] = cursor, p[3] = limit;
	if ((res = db_exec(&r->app->db, &ab_sql[s], p)) == NULL)
		return 503;
	o = json_object_new_object();
	data = json_tokener_parse(db_get(res, 0, ABL_LIST));
	next = db_get(res, 0, ABL_NEXT);
	json_object_object_add(o, "data", data != NULL ? data :
	    json_object_new_array());
	json_object_object_add(o, "next_cursor", *next != '\0' ?
	    json_object_new_string(next) : NULL);
	PQclear(res);
	return api_json(r, 200, o);
}

/* GET /api/v1/broadcasts?cursor=&limit= */
static int
ab_list(struct req *r)
{
	return ab_page(r, AB_LIST, NULL);
}

/* GET /api/v1/broadcasts/{id} */
static int
ab_get(struct req *r)
{
	return ab_answer(r, 200, r->args[0]);
}

/* GET /api/v1/broadcasts/{id}/recipients?cursor=&limit= */
static int
ab_recipients(struct req *r)
{
	const char	*p[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &ab_sql[AB_GET], p)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such broadcast.");
	}
	PQclear(res);
	return ab_page(r, AB_RECIPIENTS, r->args[0]);
}

/* POST /api/v1/broadcasts/{id}/pause, resume, cancel (statement s):
 * 200 with it, 409 when its state does not allow it, 404. */
static int
ab_act(struct req *r, int s)
{
	const char	*p[2] = { r->cid, r->args[0] };
	PGresult	*res;
	int		 changed;

	if ((res = db_exec(&r->app->db, &ab_sql[AB_GET], p)) == NULL)
		return 503;
	changed = PQntuples(res);
	PQclear(res);
	if (changed != 1)
		return api_fail(r, 404, "not-found", "No such broadcast.");
	if ((res = db_exec(&r->app->db, &ab_sql[s], p)) == NULL)
		return 503;
	changed = db_getb(res, 0, ABA_CHANGED);
	PQclear(res);
	if (!changed)
		return api_fail(r, 409, "broadcast-state", "The broadcast's "
		    "state does not allow it: pause a sending or checking one, "
		    "resume a paused one, cancel one not finished.");
	return ab_answer(r, 200, r->args[0]);
}

static int
ab_pause(struct req *r)
{
	return ab_act(r, AB_PAUSE);
}

static int
ab_resume(struct req *r)
{
	return ab_act(r, AB_RESUME);
}

static int
ab_cancel(struct req *r)
{
	return ab_act(r, AB_CANCEL);
}

/* A Bearer API key with the broadcasts scopes; the name is the usage
 * endpoint. 20 sources and 50 numbers fit in 16 KiB. */
static const struct route ab_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/broadcasts",
	    .handler = ab_list, .name = "broadcasts.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "broadcasts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(ab_list_in) },
	{ .method = METHOD_POST, .pattern = "/api/v1/broadcasts",
	    .handler = ab_create, .name = "broadcasts.create",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "broadcasts:write",
	    .body = BODY_RAW_JSON, .max_body = 16384 },
	{ .method = METHOD_GET, .pattern = "/api/v1/broadcasts/{int}",
	    .handler = ab_get, .name = "broadcasts.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "broadcasts:read" },
	{ .method = METHOD_GET,
	    .pattern = "/api/v1/broadcasts/{int}/recipients",
	    .handler = ab_recipients, .name = "broadcasts.recipients",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "broadcasts:read",
	    .pass_invalid = 1, ROUTE_INPUTS(ab_list_in) },
	{ .method = METHOD_POST, .pattern = "/api/v1/broadcasts/{int}/pause",
	    .handler = ab_pause, .name = "broadcasts.pause",
	    .kind = KIND_API, .auth = AUTH_APIKEY,
	    .scope = "broadcasts:write" },
	{ .method = METHOD_POST, .pattern = "/api/v1/broadcasts/{int}/resume",
	    .handler = ab_resume, .name = "broadcasts.resume",
	    .kind = KIND_API, .auth = AUTH_APIKEY,
	    .scope = "broadcasts:write" },
	{ .method = METHOD_POST, .pattern = "/api/v1/broadcasts/{int}/cancel",
	    .handler = ab_cancel, .name = "broadcasts.cancel",
	    .kind = KIND_API, .auth = AUTH_APIKEY,
	    .scope = "broadcasts:write" },
};

const struct module api_broadcasts_module = {
	.name = "api_broadcasts",
	MODULE_ROUTES(ab_routes),
	MODULE_SQL(ab_sql),
};
