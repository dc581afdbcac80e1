/* page_hook.c: POST /hooks/waha/{host}: verify the HMAC over the raw body, apply each event once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "gw.h"
#include "hmac.h"
#include "jsonbody.h"
#include "log.h"
#include "pages.h"
#include "req.h"
#include "resp.h"

/* A string member of o, or "" (never NULL). */
static const char *
hook_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/*
 * The host the path names, if the signature over the raw body is its.
 * Returns the host id, 0 when unknown or unsigned (the same answer for
 * both), -1 when the database failed.
 */
static long long
hook_host(struct req *r)
{
	const char	*params[2] = { r->args[0], "waha" };
	const char	*sig = req_header(r, "X-Webhook-Hmac");
	PGresult	*res;
	long long	 id = 0;

	if ((res = db_exec(&r->app->db, STMT_HOOK_HOST, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && sig != NULL &&
	    hmac_sha512_verify(PQgetvalue(res, 0, 1), r->body, r->bodysz, sig))
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

/* session.status: the instance on this host moves to the new state. */
static int
hook_session_status(struct req *r, const char *host, struct json_object *ev)
{
	struct json_object	*payload = NULL, *me = NULL;
	const char		*params[5];
	const char		*id;
	char			 phone[20] = "";
	enum inst_status	 st;

	json_object_object_get_ex(ev, "payload", &payload);
	json_object_object_get_ex(ev, "me", &me);
	st = waha_status(hook_str(payload, "status"));
	id = hook_str(me, "id");
	if (*id != '\0' && strspn(id, "0123456789") >= 8)
		snprintf(phone, sizeof(phone), "+%.*s",
		    (int)strspn(id, "0123456789"), id);
	params[0] = host;
	params[1] = hook_str(ev, "session");
	params[2] = inst_status_names[st];
	params[3] = phone;
	params[4] = hook_str(me, "pushName");
	return db_exec_cmd(&r->app->db, STMT_HOOK_SESSION_STATUS, params);
}

/*
 * Record the event id and apply the event in one transaction, so a
 * failure leaves it to the gateway's retry. Returns 1 applied, 0 a
 * replay (nothing done), -1 on a database error.
 */
static int
hook_apply(struct req *r, long long host, struct json_object *ev)
{
	struct db	*db = &r->app->db;
	char		 hid[24];
	const char	*event = hook_str(ev, "event");
	const char	*params[3] = { hid, hook_str(ev, "id"), event };
	PGresult	*res;
	int		 fresh, rc = 0;

	snprintf(hid, sizeof(hid), "%lld", host);
	if (db_exec_cmd(db, STMT_BEGIN, NULL) == -1)
		return -1;
	if ((res = db_exec(db, STMT_HOOK_EVENT_NEW, params)) == NULL)
		goto fail;
	fresh = PQntuples(res) == 1;
	PQclear(res);
	/* message and message.ack join with the messages table. */
	if (fresh && strcmp(event, "session.status") == 0)
		rc = hook_session_status(r, hid, ev);
	if (rc == -1 || db_exec_cmd(db, STMT_COMMIT, NULL) == -1)
		goto fail;
	return fresh;
fail:
	log_warnx("request %s: webhook: %s", r->id, db->errmsg);
	db_exec_cmd(db, STMT_ROLLBACK, NULL);
	return -1;
}

/* {"status": word} with 200. */
static int
hook_answer(struct req *r, const char *word)
{
	struct json_object	*o = json_object_new_object();
	int			 rc;

	json_object_object_add(o, "status", json_object_new_string(word));
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/*
 * POST /hooks/waha/{host}. Nothing is parsed before the signature is
 * checked in constant time over the raw body: unknown host or bad
 * signature is a 401 that stores nothing. Each event id is applied
 * once; a replay is a 200 that changes nothing; unknown events are
 * acknowledged and ignored.
 */
int
page_hook_waha(struct req *r)
{
	struct parse_limits	 lim = parse_limits_default;
	char			 err[128];
	long long		 host;
	int			 status = 400, rc;

	if ((host = hook_host(r)) == -1)
		return 503;
	if (host == 0)
		return 401;
	lim.max_total = r->bodysz;
	if (jsonbody_parse(&r->json, r->body, r->bodysz, &lim, &status, err,
	    sizeof(err)) == -1)
		return status;
	if (!json_object_is_type(r->json, json_type_object) ||
	    *hook_str(r->json, "id") == '\0' ||
	    strlen(hook_str(r->json, "id")) > 200 ||
	    strlen(hook_str(r->json, "event")) > 64)
		return 400;
	if ((rc = hook_apply(r, host, r->json)) == -1)
		return 503;
	return hook_answer(r, rc == 1 ? "ok" : "duplicate");
}
