/* receipt.c: receipts reconciliation: look up on the gateway the ack of messages left "sent" or "delivered" past a threshold and apply it as the webhook would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "gw/gw.h"
#include "receipt.h"

/* The columns of RECEIPT_CLAIM. */
enum {
	RC_ID,
	RC_INSTANCE,
	RC_GATEWAY_ID,
	RC_PEER,
	RC_SESSION,
	RC_HOST,
	RC_DRIVER,
	RC_BASE_URL,
	RC_API_KEY,
	RC__MAX
};

enum {
	RECEIPT_CLAIM,
	RECEIPT_APPLY,
	RECEIPT_UNKNOWN,
	RECEIPT_RELEASE,
	RECEIPT__MAX
};

static const struct stmt receipt_sql[RECEIPT__MAX] = {
	/*
	 * Claim up to $3 outbound messages, at most $4 per host, oldest
	 * first, waiting for an ack with no progress for $1 s, not looked
	 * up for $1 s, sent less than $2 s ago, on an enabled host: the
	 * lookup time is the claim (another dispatcher skips them), and
	 * what to look up comes back. Each instance's are read in
	 * the order of messages_ack_due and stop at $4, so a pass reads
	 * at most $4 a number however many wait.
	 */
	[RECEIPT_CLAIM] = { "receipt.claim",
	    "WITH r AS (SELECT x.id, x.sent_at, row_number() OVER "
	    "(PARTITION BY i.host_id ORDER BY x.sent_at, x.id) AS n "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id AND h.enabled "
	    "CROSS JOIN LATERAL (SELECT m.id, m.sent_at FROM messages m "
	    "WHERE m.instance_id = i.id AND m.direction = 'out' "
	    "AND m.status IN ('sent', 'delivered') "
	    "AND m.gateway_id IS NOT NULL AND NOT m.ack_unknown "
	    "AND m.sent_at >= wa_now() - make_interval(secs => $2::int) "
	    "AND greatest(m.sent_at, m.delivered_at) < "
	    "wa_now() - make_interval(secs => $1::int) "
	    "AND (m.ack_checked_at IS NULL OR m.ack_checked_at < "
	    "wa_now() - make_interval(secs => $1::int)) "
	    "ORDER BY m.sent_at, m.id LIMIT $4::int) x), "
	    "c AS (SELECT m.id FROM messages m WHERE m.id IN (SELECT r.id "
	    "FROM r WHERE r.n <= $4::int ORDER BY r.sent_at, r.id "
	    "LIMIT $3::int) AND m.status IN ('sent', 'delivered') "
	    "AND (m.ack_checked_at IS NULL OR m.ack_checked_at < "
	    "wa_now() - make_interval(secs => $1::int)) "
	    "FOR UPDATE SKIP LOCKED) "
	    "UPDATE messages m SET ack_checked_at = wa_now() "
	    "FROM c, instances i, hosts h WHERE m.id = c.id "
	    "AND i.id = m.instance_id AND h.id = i.host_id "
	    "RETURNING m.id, m.instance_id, m.gateway_id, m.peer, i.session, "
	    "h.id AS host_id, h.driver, h.base_url, h.api_key", 4, DB_ONCE,
	    DB_COLS(RC__MAX, [RC_ID] = "id", [RC_INSTANCE] = "instance_id",
	    [RC_GATEWAY_ID] = "gateway_id", [RC_PEER] = "peer",
	    [RC_SESSION] = "session", [RC_HOST] = "host_id",
	    [RC_DRIVER] = "driver", [RC_BASE_URL] = "base_url",
	    [RC_API_KEY] = "api_key") },
	/*
	 * The looked-up ack $3 ('delivered', 'read', 'failed') of message
	 * $2 of instance $1, by the webhook's own function: it only moves
	 * forward. Whether the status moved.
	 */
	[RECEIPT_APPLY] = { "receipt.apply",
	    "SELECT wa_message_ack($1::bigint, $2::text, $3::text, wa_now()) "
	    "AS acked", 3, DB_ONCE, DB_COLS(1, "acked") },
	/* The gateway does not know message $1: never looked up again. */
	[RECEIPT_UNKNOWN] = { "receipt.unknown",
	    "UPDATE messages SET ack_unknown = true WHERE id = $1::bigint", 1,
	    DB_ONCE, NULL },
	/* The lookup of message $1 failed: the next pass tries again. */
	[RECEIPT_RELEASE] = { "receipt.release",
	    "UPDATE messages SET ack_checked_at = NULL WHERE id = $1::bigint",
	    1, DB_ONCE, NULL },
};

const struct stmt_set receipt_stmts = STMT_SET(receipt_sql);

/* Hosts whose lookups failed in this pass: the rest of theirs wait. */
struct receipt_pass {
	char	 down[RECEIPT_HOSTS_MAX][24];
	int	 ndown;
	int	 looked;	/* lookups made */
	int	 repaired;
};

static int
receipt_host_down(const struct receipt_pass *p, const char *host)
{
	int	 i;

	for (i = 0; i < p->ndown; i++)
		if (strcmp(p->down[i], host) == 0)
			return 1;
	return 0;
}

static void
receipt_mark_down(struct receipt_pass *p, const char *host)
{
	if (p->ndown < RECEIPT_HOSTS_MAX && !receipt_host_down(p, host))
		snprintf(p->down[p->ndown++], sizeof(p->down[0]), "%s", host);
}

/* Our status for a gateway's ack, or NULL when it says no more than "sent". */
static const char *
receipt_status(int ack)
{
	switch (ack) {
	case GW_ACK_ERROR:
		return "failed";
	case GW_ACK_DEVICE:
		return "delivered";
	case GW_ACK_READ:
	case GW_ACK_PLAYED:
		return "read";
	default:
		return NULL;
	}
}

/* Apply the ack of claimed row i; logs the message's id when it moved. */
static int
receipt_apply(struct db *db, PGresult *rows, int i, int ack,
    struct receipt_pass *p)
{
	const char	*params[3];
	PGresult	*r;
	int		 moved;

	if ((params[2] = receipt_status(ack)) == NULL)
		return 0;	/* looked up again after the threshold */
	params[0] = db_get(rows, i, RC_INSTANCE);
	params[1] = db_get(rows, i, RC_GATEWAY_ID);
	if ((r = db_exec(db, &receipt_sql[RECEIPT_APPLY], params)) == NULL)
		return -1;
	moved = PQntuples(r) == 1 && atoi(db_get(r, 0, 0)) > 0;
	PQclear(r);
	if (moved) {
		p->repaired++;
		log_info("message %s: receipt repaired: %s",
		    db_get(rows, i, RC_ID), params[2]);
	}
	return 0;
}

/*
 * The lookup of claimed row i failed. A 404 marks the message unknown.
 * A host that did not answer, failed (5xx, 429) or refused our key
 * (401, 403) gives it back for the next pass, and the rest of that
 * host's claimed messages wait with it. Anything else (422: the number
 * is not connected) is about this message: asked again after the
 * threshold.
 */
static int
receipt_failed(struct db *db, PGresult *rows, int i,
    const struct gw_result *res, struct receipt_pass *p)
{
	const char	*params[1] = { db_get(rows, i, RC_ID) };

	if (res->http_status == 404) {
		log_info("message %s: the gateway does not know it; its "
		    "receipt is left as it is", params[0]);
		return db_exec_cmd(db, &receipt_sql[RECEIPT_UNKNOWN], params);
	}
	log_warnx("message %s: receipt lookup failed: %s", params[0],
	    res->errmsg);
	if (!res->transient && res->http_status != 401 &&
	    res->http_status != 403)
		return 0;
	receipt_mark_down(p, db_get(rows, i, RC_HOST));
	return db_exec_cmd(db, &receipt_sql[RECEIPT_RELEASE], params);
}

/* Look up claimed row i on its host and record what came back. */
static int
receipt_one(struct db *db, PGresult *rows, int i, struct receipt_pass *p)
{
	const char		*params[1] = { db_get(rows, i, RC_ID) };
	const struct gw_ops	*ops;
	struct gw_host		 h;
	struct gw_result	 res;
	enum gw_driver		 d;
	int			 rc;

	d = gw_driver_find(db_get(rows, i, RC_DRIVER));
	ops = d == GW__MAX ? NULL : gw_drivers[d];
	if (ops == NULL || ops->message_ack == NULL ||
	    receipt_host_down(p, db_get(rows, i, RC_HOST)))
		return db_exec_cmd(db, &receipt_sql[RECEIPT_RELEASE], params);
	memset(&h, 0, sizeof(h));
	memset(&res, 0, sizeof(res));
	h.base_url = db_get(rows, i, RC_BASE_URL);
	h.api_key = db_get(rows, i, RC_API_KEY);
	h.timeout_ms = RECEIPT_TIMEOUT_MS;
	p->looked++;
	if (ops->message_ack(&h, db_get(rows, i, RC_SESSION),
	    db_get(rows, i, RC_PEER), db_get(rows, i, RC_GATEWAY_ID), &res) == 0)
		rc = receipt_apply(db, rows, i, res.ack, p);
	else
		rc = receipt_failed(db, rows, i, &res, p);
	gw_result_free(&res);
	return rc;
}

/*
 * One pass: claim what is due (WAPORTAL_RECEIPT_*), look each up, one
 * at a time, and apply the answers. Returns 0, or -1 when the database
 * failed (the caller reconnects; what was claimed is looked up again
 * after the threshold).
 */
int
receipt_pass(const struct conf *conf, struct db *db)
{
	struct receipt_pass	 p;
	char			 v[4][24];
	const char		*params[4] = { v[0], v[1], v[2], v[3] };
	PGresult		*rows;
	int			 i, rc = 0;

	if (conf->num[CONF_RECEIPT_BATCH] == 0)
		return 0;
	snprintf(v[0], sizeof(v[0]), "%lld", conf->num[CONF_RECEIPT_AFTER]);
	snprintf(v[1], sizeof(v[1]), "%lld", conf->num[CONF_RECEIPT_GIVE_UP]);
	snprintf(v[2], sizeof(v[2]), "%lld", conf->num[CONF_RECEIPT_BATCH]);
	snprintf(v[3], sizeof(v[3]), "%lld", conf->num[CONF_RECEIPT_HOST_MAX]);
	if ((rows = db_exec(db, &receipt_sql[RECEIPT_CLAIM], params)) == NULL)
		return -1;
	memset(&p, 0, sizeof(p));
	for (i = 0; i < PQntuples(rows) && rc == 0; i++)
		rc = receipt_one(db, rows, i, &p);
	if (PQntuples(rows) > 0)
		log_info("receipts: %d claimed, %d looked up, %d repaired",
		    PQntuples(rows), p.looked, p.repaired);
	PQclear(rows);
	return rc;
}
