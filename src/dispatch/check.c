/* check.c: the pre-check loop: claim the unchecked recipients of broadcasts in 'checking', one per sending number whose turn has come (the sends' gap and jitter), ask the gateway whether each number is on WhatsApp and record the answer (sql/0032's wa_number_check_record). */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/log.h"
#include "gw/gw.h"
#include "check.h"
#include "send.h"

/* The columns of CHECK_CLAIM. */
enum {
	CC_BROADCAST,
	CC_CONTACT,
	CC_PHONE,
	CC_INSTANCE,
	CC_SESSION,
	CC_DRIVER,
	CC_BASE_URL,
	CC_API_KEY,
	CC__MAX
};

enum { CR_STATE, CR__MAX };

enum {
	CHECK_CLAIM,
	CHECK_RECORD,
	CHECK__MAX
};

static const struct stmt check_sql[CHECK__MAX] = {
	/*
	 * Claim up to $1 recipients to check, one per connected number of
	 * a broadcast in 'checking' whose turn has come (next_send_at,
	 * the instance locked SKIP LOCKED as the sends' claim does) and
	 * that has none of its own messages due (they go first), the
	 * oldest due first: each is leased for $2 s (check_due moves), and
	 * with a gap $3 (ms) the number's turn is held for the call ($5
	 * ms) plus the gap and up to $4 ms of jitter. The hourly send cap
	 * is neither asked nor counted.
	 */
	[CHECK_CLAIM] = { "check.claim",
	    "WITH t AS (SELECT i.id FROM instances i "
	    "JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.id IN (SELECT u.iid FROM broadcasts b "
	    "CROSS JOIN LATERAL unnest(b.instance_ids) AS u (iid) "
	    "WHERE b.state = 'checking' AND EXISTS (SELECT 1 "
	    "FROM broadcast_recipients r WHERE r.broadcast_id = b.id "
	    "AND r.instance_id = u.iid AND r.check_due <= wa_now())) "
	    "AND i.status = 'connected' AND h.enabled "
	    "AND i.next_send_at <= wa_now() AND NOT EXISTS (SELECT 1 "
	    "FROM messages m WHERE m.instance_id = i.id "
	    "AND m.broadcast_id IS NULL AND m.status IN ('queued', "
	    "'scheduled') AND m.due_at <= wa_now()) "
	    "ORDER BY i.next_send_at, i.id LIMIT $1::int "
	    "FOR NO KEY UPDATE OF i SKIP LOCKED), "
	    "c AS (SELECT t.id AS iid, x.broadcast_id, x.contact_id, x.phone "
	    "FROM t CROSS JOIN LATERAL (SELECT r.broadcast_id, r.contact_id, "
	    "r.phone FROM broadcast_recipients r "
	    "WHERE r.broadcast_id IN (SELECT b.id FROM broadcasts b "
	    "WHERE b.state = 'checking' AND t.id = ANY (b.instance_ids)) "
	    "AND r.instance_id = t.id AND r.check_due <= wa_now() "
	    "ORDER BY r.check_due, r.broadcast_id, r.contact_id LIMIT 1 "
	    "FOR NO KEY UPDATE OF r SKIP LOCKED) x), "
	    "k AS (UPDATE broadcast_recipients r SET check_due = wa_now() + "
	    "make_interval(secs => $2::int) FROM c "
	    "WHERE r.broadcast_id = c.broadcast_id "
	    "AND r.contact_id = c.contact_id RETURNING 1), "
	    "p AS (UPDATE instances i SET next_send_at = wa_now() + "
	    "($5::int + $3::int + random() * $4::int) * "
	    "interval '1 millisecond' FROM c WHERE i.id = c.iid "
	    "AND $3::int > 0 RETURNING 1) "
	    "SELECT c.broadcast_id, c.contact_id, c.phone, "
	    "c.iid AS instance_id, i.session, h.driver, h.base_url, h.api_key "
	    "FROM c JOIN instances i ON i.id = c.iid "
	    "JOIN hosts h ON h.id = i.host_id", 5, DB_ONCE,
	    DB_COLS(CC__MAX, [CC_BROADCAST] = "broadcast_id",
	    [CC_CONTACT] = "contact_id", [CC_PHONE] = "phone",
	    [CC_INSTANCE] = "instance_id", [CC_SESSION] = "session",
	    [CC_DRIVER] = "driver", [CC_BASE_URL] = "base_url",
	    [CC_API_KEY] = "api_key") },
	/*
	 * The answer about recipient $2 of broadcast $1: on WhatsApp $3
	 * (NULL: the call failed, tried again after $7 s doubled), chat id
	 * $4; the number's next turn after gap $5 and jitter $6 (ms). The
	 * broadcast's state after: 'ready' when it was the last check.
	 */
	[CHECK_RECORD] = { "check.record",
	    "SELECT wa_number_check_record($1::bigint, $2::bigint, "
	    "$3::boolean, $4, $5::int, $6::int, $7::int) AS state", 7,
	    DB_ONCE, DB_COLS(CR__MAX, [CR_STATE] = "state") },
};

const struct stmt_set check_stmts = STMT_SET(check_sql);

/* Record the outcome of claimed row i: exists "t", "f" or NULL (failed). */
static int
check_record(const struct send_conf *c, struct db *db, const PGresult *rows,
    int i, const char *exists, const char *chat)
{
	char		 gap[24], jitter[24], retry[24];
	const char	*p[7] = { db_get(rows, i, CC_BROADCAST),
	    db_get(rows, i, CC_CONTACT), exists, chat, gap, jitter, retry };
	PGresult	*res;

	snprintf(gap, sizeof(gap), "%lld", c->gap_ms);
	snprintf(jitter, sizeof(jitter), "%lld", c->jitter_ms);
	snprintf(retry, sizeof(retry), "%d", CHECK_RETRY_S);
	if ((res = db_exec(db, &check_sql[CHECK_RECORD], p)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && strcmp(db_get(res, 0, CR_STATE),
	    "ready") == 0)
		log_info("broadcast %s: pre-check done; its job queued",
		    p[0]);
	PQclear(res);
	return 0;
}

/* Ask the gateway about claimed row i and record what came back. */
static int
check_one(const struct send_conf *c, struct db *db, const PGresult *rows,
    int i)
{
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 res;
	enum gw_driver		 d;
	int			 rc;

	d = gw_driver_find(db_get(rows, i, CC_DRIVER));
	ops = d == GW__MAX ? NULL : gw_drivers[d];
	memset(&h, 0, sizeof(h));
	memset(&res, 0, sizeof(res));
	h.base_url = db_get(rows, i, CC_BASE_URL);
	h.api_key = db_get(rows, i, CC_API_KEY);
	h.timeout_ms = (long)c->timeout_ms;
	if (ops == NULL || ops->number_check == NULL) {
		log_warnx("broadcast %s: this kind of gateway cannot check "
		    "numbers", db_get(rows, i, CC_BROADCAST));
		rc = check_record(c, db, rows, i, NULL, NULL);
	} else if (ops->number_check(&h, db_get(rows, i, CC_SESSION),
	    db_get(rows, i, CC_PHONE), &res) == 0)
		rc = check_record(c, db, rows, i, res.exists ? "t" : "f",
		    res.value != NULL ? res.value : "");
	else {
		log_warnx("broadcast %s contact %s (instance %s): number "
		    "check failed: %s; tried again later",
		    db_get(rows, i, CC_BROADCAST), db_get(rows, i, CC_CONTACT),
		    db_get(rows, i, CC_INSTANCE), res.errmsg);
		rc = check_record(c, db, rows, i, NULL, NULL);
	}
	gw_result_free(&res);
	return rc;
}

/*
 * One pass: claim what is due, ask each in turn, record each answer.
 * Returns the checks claimed, or -1 when the database failed (the
 * caller reconnects; what was claimed is taken again after its lease).
 */
int
check_pass(const struct send_conf *c, struct db *db)
{
	char		 v[5][24];
	const char	*p[5] = { v[0], v[1], v[2], v[3], v[4] };
	PGresult	*rows;
	int		 i, n, rc = 0;

	snprintf(v[0], sizeof(v[0]), "%d", CHECK_BATCH);
	snprintf(v[1], sizeof(v[1]), "%lld", c->lease_s);
	snprintf(v[2], sizeof(v[2]), "%lld", c->gap_ms);
	snprintf(v[3], sizeof(v[3]), "%lld", c->jitter_ms);
	snprintf(v[4], sizeof(v[4]), "%lld", c->timeout_ms);
	if ((rows = db_exec(db, &check_sql[CHECK_CLAIM], p)) == NULL)
		return -1;
	n = PQntuples(rows);
	for (i = 0; i < n && rc == 0; i++)
		rc = check_one(c, db, rows, i);
	if (n > 0)
		log_info("pre-check: %d numbers asked", n);
	PQclear(rows);
	return rc == -1 ? -1 : n;
}
