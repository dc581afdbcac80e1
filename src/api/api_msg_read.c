/* api_msg_read.c: GET /api/v1/messages (filters, cursor), GET and DELETE /api/v1/messages/{id}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "api.h"

#define API_LIMIT_DEFAULT	50

/* A valid input's value as a NUL-terminated copy in b, or "". */
static const char *
api_field(struct req *r, enum key k, char *b, size_t bsz)
{
	const struct field	*f = r->fields[k];

	if (f == NULL || f->n >= bsz)
		return "";
	memcpy(b, f->s, f->n);
	b[f->n] = '\0';
	return b;
}

/* The page's rows (one more than limit tells there is a next page). */
static struct json_object *
api_msg_page(PGresult *res, int limit, int64_t *next)
{
	struct json_object	*data = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);

	*next = 0;
	for (i = 0; i < n && i < limit; i++) {
		if ((o = json_tokener_parse(PQgetvalue(res, i, 1))) != NULL)
			json_object_array_add(data, o);
	}
	if (n > limit)
		*next = strtoll(PQgetvalue(res, limit - 1, 0), NULL, 10);
	return data;
}

/*
 * GET /api/v1/messages: the customer's messages, newest first, filtered
 * by status, instance_id, direction and since; limit 1..100 (50) per
 * page and next_cursor (the last id, opaque to clients) while more
 * follow.
 */
int
api_messages_list(struct req *r)
{
	char			 cid[24], st[16], inst[24], dir[8], since[64];
	char			 cur[24], lim[16];
	const char		*params[7];
	struct json_object	*o;
	PGresult		*res;
	int64_t			 next;
	int			 limit, rc;

	if (api_invalid_inputs(r))
		return 0;
	limit = r->fields[KEY_API_LIMIT] != NULL ?
	    (int)r->fields[KEY_API_LIMIT]->i : API_LIMIT_DEFAULT;
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	snprintf(cur, sizeof(cur), "%lld", r->fields[KEY_API_CURSOR] != NULL ?
	    (long long)r->fields[KEY_API_CURSOR]->i : 0LL);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	params[0] = cid;
	params[1] = api_field(r, KEY_API_STATUS, st, sizeof(st));
	params[2] = api_field(r, KEY_API_INSTANCE, inst, sizeof(inst));
	params[3] = api_field(r, KEY_API_DIRECTION, dir, sizeof(dir));
	params[4] = api_field(r, KEY_API_SINCE, since, sizeof(since));
	params[5] = cur;
	params[6] = lim;
	if ((res = db_exec(&r->app->db, LEGACY(STMT_API_MSG_LIST), params)) == NULL)
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
int
api_messages_get(struct req *r)
{
	char		 cid[24];
	const char	*params[2] = { cid, r->args[0] };
	PGresult	*res;
	int		 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_API_MSG_GET), params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such message.");
	}
	rc = api_json_text(r, 200, PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/*
 * DELETE /api/v1/messages/{id}: cancel a queued or scheduled message
 * (200 with its id and status), 409 too-late past that, 404 when it is
 * not one of the customer's outbound messages.
 */
int
api_messages_cancel(struct req *r)
{
	char			 cid[24];
	const char		*params[2] = { cid, r->args[0] }, *out;
	struct json_object	*o;
	PGresult		*res;
	int			 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_API_MSG_CANCEL), params)) == NULL)
		return 503;
	out = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
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
