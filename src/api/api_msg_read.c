/* api_msg_read.c: GET /api/v1/messages (filters, cursor), GET and DELETE /api/v1/messages/{id}. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/valid.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define API_LIMIT_DEFAULT	50
#define API_LIMIT_MAX		100
#define API_SINCE_MAX		64	/* bytes of an RFC 3339 date-time */

/* The filters and cursor of GET /api/v1/messages, in their error order. */
enum {
	AMR_IN_STATUS,
	AMR_IN_INSTANCE,
	AMR_IN_DIRECTION,
	AMR_IN_SINCE,
	AMR_IN_CURSOR,
	AMR_IN_LIMIT,
	AMR_IN__MAX
};

/*
 * The validators of the API's own filters. Their reasons are English
 * and never translated (the API answers "Not a valid value." for each).
 */

/* "status": a message status, or empty for all. */
static int
amr_in_status(struct req *r, struct field *f)
{
	(void)r;
	if (f->n == 0 || valid_message_status(f->s, f->n) != MSGST__MAX)
		return 0;
	f->err = "Not a message status.";
	return -1;
}

/* "direction": in or out. */
static int
amr_in_direction(struct req *r, struct field *f)
{
	(void)r;
	if ((f->n == 2 && memcmp(f->s, "in", 2) == 0) ||
	    (f->n == 3 && memcmp(f->s, "out", 3) == 0))
		return 0;
	f->err = "Not in or out.";
	return -1;
}

/* "since": an RFC 3339 date-time (api_rfc3339). */
static int
amr_in_since(struct req *r, struct field *f)
{
	(void)r;
	if (f->n > 0 && f->n < API_SINCE_MAX &&
	    memchr(f->s, '\0', f->n) == NULL && api_rfc3339(f->s))
		return 0;
	f->err = "Not an RFC 3339 date-time.";
	return -1;
}

/* "limit": a page size of 1 to API_LIMIT_MAX; f->i its value. */
static int
amr_in_limit(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0 && f->i <= API_LIMIT_MAX)
		return 0;
	f->err = "Not a number from 1 to 100.";
	return -1;
}

/* Bad values reach the handler (pass_invalid): a 422 naming them. */
static const struct input amr_list_in[AMR_IN__MAX] = {
	[AMR_IN_STATUS] = { "status", amr_in_status, 0 },
	[AMR_IN_INSTANCE] = { "instance_id", input_id, 0 },
	[AMR_IN_DIRECTION] = { "direction", amr_in_direction, 0 },
	[AMR_IN_SINCE] = { "since", amr_in_since, 0 },
	[AMR_IN_CURSOR] = { "cursor", input_id, 0 },
	[AMR_IN_LIMIT] = { "limit", amr_in_limit, 0 },
};

/* The columns of AMR_LIST, AMR_GET and AMR_CANCEL. */
enum { AML_ID, AML_MESSAGE, AML__MAX };
enum { AMG_MESSAGE, AMG__MAX };
enum { AMC_OUTCOME, AMC__MAX };

enum {
	AMR_LIST,
	AMR_GET,
	AMR_CANCEL,
	AMR__MAX
};

/* A timestamp as RFC 3339 in UTC, or JSON null. */
#define API_TS(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* One message of the API as a JSON object. */
#define API_MSG_JSON \
	"json_build_object('id', m.id, 'instance_id', m.instance_id, " \
	"'direction', m.direction, 'status', m.status, 'source', m.source, " \
	"'transactional', m.transactional, 'peer', m.peer, " \
	"'template_id', m.template_id, " \
	"'template_version', m.template_version, " \
	"'phone', m.peer_phone, 'text', m.body, " \
	"'send_at', " API_TS("m.send_at") ", 'created_at', " \
	API_TS("m.created_at") ", 'error', m.last_error"

static const struct stmt amr_sql[AMR__MAX] = {
	/* The customer's ($1) messages, newest first, below the cursor $6
	 * (0: none); filters '' when not given; $7 rows. */
	[AMR_LIST] = { "api_msg_read.list",
	    "SELECT m.id, " API_MSG_JSON ")::text AS message FROM messages m "
	    "WHERE m.customer_id = $1::bigint AND ($2 = '' OR m.status = $2) "
	    "AND ($3 = '' OR m.instance_id = nullif($3, '')::bigint) "
	    "AND ($4 = '' OR m.direction = $4) "
	    "AND ($5 = '' OR m.created_at >= nullif($5, '')::timestamptz) "
	    "AND ($6::bigint = 0 OR m.id < $6::bigint) "
	    "ORDER BY m.id DESC LIMIT $7::integer", 7, DB_RETRY,
	    DB_COLS(AML__MAX, [AML_ID] = "id", [AML_MESSAGE] = "message") },
	/* One message ($2) of the customer ($1) with its status history. */
	[AMR_GET] = { "api_msg_read.get",
	    "SELECT " API_MSG_JSON ", 'history', (SELECT coalesce(json_agg("
	    "json_build_object('status', h.s, 'at', " API_TS("h.t") ") "
	    "ORDER BY h.t, h.o), '[]') FROM (VALUES "
	    "(1, 'created', m.created_at), "
	    "(2, 'sending', m.sending_at), (3, 'sent', m.sent_at), "
	    "(4, 'delivered', m.delivered_at), (5, 'read', m.read_at), "
	    "(6, 'failed', m.failed_at), (7, 'cancelled', m.cancelled_at), "
	    "(8, 'received', m.received_at)) h(o, s, t) "
	    "WHERE h.t IS NOT NULL))::text AS message FROM messages m "
	    "WHERE m.customer_id = $1::bigint AND m.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(AMG__MAX, [AMG_MESSAGE] = "message") },
	[AMR_CANCEL] = { "api_msg_read.cancel",
	    "SELECT wa_message_cancel($1::bigint, $2::bigint) AS outcome", 2,
	    DB_ONCE, DB_COLS(AMC__MAX, [AMC_OUTCOME] = "outcome") },
};

/* A filter's cleaned value, or "" when not given. */
static const char *
amr_value(const struct field *f)
{
	return f->s != NULL ? f->s : "";
}

/* The page's rows (one more than limit tells there is a next page). */
static struct json_object *
api_msg_page(const PGresult *res, int limit, int64_t *next)
{
	struct json_object	*data = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);

	*next = 0;
	for (i = 0; i < n && i < limit; i++) {
		if ((o = json_tokener_parse(db_get(res, i, AML_MESSAGE))) !=
		    NULL)
			json_object_array_add(data, o);
	}
	if (n > limit)
		*next = db_getll(res, limit - 1, AML_ID);
	return data;
}

/*
 * GET /api/v1/messages: the customer's messages, newest first, filtered
 * by status, instance_id, direction and since; limit 1..100 (50) per
 * page and next_cursor (the last id, opaque to clients) while more
 * follow.
 */
static int
api_messages_list(struct req *r)
{
	const struct field	*in = r->in;
	char			 cid[24], cur[24], lim[16];
	const char		*params[7];
	struct json_object	*o;
	PGresult		*res;
	int64_t			 next;
	int			 limit, rc;

	if (api_invalid_inputs(r))
		return 0;
	limit = in[AMR_IN_LIMIT].s != NULL ? (int)in[AMR_IN_LIMIT].i :
	    API_LIMIT_DEFAULT;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	snprintf(cur, sizeof(cur), "%lld", in[AMR_IN_CURSOR].s != NULL ?
	    (long long)in[AMR_IN_CURSOR].i : 0LL);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	params[0] = cid;
	params[1] = amr_value(&in[AMR_IN_STATUS]);
	params[2] = amr_value(&in[AMR_IN_INSTANCE]);
	params[3] = amr_value(&in[AMR_IN_DIRECTION]);
	params[4] = amr_value(&in[AMR_IN_SINCE]);
	params[5] = cur;
	params[6] = lim;
	if ((res = db_exec(&r->app->db, &amr_sql[AMR_LIST], params)) == NULL)
		return 503;
	o = json_object_new_object();
	json_object_object_add(o, "data", api_msg_page(res, limit, &next));
	PQclear(res);
	if (next != 0) {
		snprintf(cur, sizeof(cur), "%lld", (long long)next);
		json_object_object_add(o, "next_cursor",
		    json_object_new_string(cur));
	} else
		json_object_object_add(o, "next_cursor", NULL);
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* GET /api/v1/messages/{id}: one of the customer's, with its history. */
static int
api_messages_get(struct req *r)
{
	const char	*params[2] = { r->cid, r->args[0] };
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&r->app->db, &amr_sql[AMR_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such message.");
	}
	rc = api_json_text(r, 200, db_get(res, 0, AMG_MESSAGE));
	PQclear(res);
	return rc;
}

/*
 * DELETE /api/v1/messages/{id}: cancel a queued or scheduled message
 * (200 with its id and status), 409 too-late past that, 404 when it is
 * not one of the customer's outbound messages.
 */
static int
api_messages_cancel(struct req *r)
{
	const char		*params[2] = { r->cid, r->args[0] }, *out;
	struct json_object	*o;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&r->app->db, &amr_sql[AMR_CANCEL], params)) ==
	    NULL)
		return 503;
	out = PQntuples(res) == 1 ? db_get(res, 0, AMC_OUTCOME) : "";
	rc = strcmp(out, "cancelled") == 0 ? 0 :
	    strcmp(out, "too_late") == 0 ? 409 : 404;
	PQclear(res);
	if (rc == 409)
		return api_fail(r, 409, "too-late",
		    "The message is past cancelling.");
	if (rc == 404)
		return api_fail(r, 404, "not-found", "No such message.");
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->argi[0]));
	json_object_object_add(o, "status", json_object_new_string(
	    "cancelled"));
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* A Bearer API key with the scope; the name is the usage endpoint. */
static const struct route amr_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api/v1/messages",
	    .handler = api_messages_list, .name = "messages.list",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "messages:read",
	    .pass_invalid = 1, ROUTE_INPUTS(amr_list_in) },
	{ .method = METHOD_GET, .pattern = "/api/v1/messages/{int}",
	    .handler = api_messages_get, .name = "messages.get",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "messages:read" },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/messages/{int}",
	    .handler = api_messages_cancel, .name = "messages.cancel",
	    .kind = KIND_API, .auth = AUTH_APIKEY, .scope = "messages:send" },
};

const struct module api_msg_read_module = {
	.name = "api_msg_read",
	MODULE_ROUTES(amr_routes),
	MODULE_SQL(amr_sql),
};
