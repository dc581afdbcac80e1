/* bcast_queue.c: a broadcast's queueing, in its job after the resolution: the quota reserved for every recipient at once (or the broadcast failed), then each pending recipient rendered (aud_tpl, seeded by its contact id) and its message inserted in batches, each with its resume point under the job's lease. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_tpl.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/tzmap.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "runner.h"

#define STEP_ON		-1	/* go on */
#define STEP_END	-2	/* no pending recipient left */
#define QUEUE_BATCH	"10000"	/* recipients a batch reads */

enum { QG_ID, QG_STATE, QG_BODY, QG_MISSING, QG_AFTER, QG_RECIPIENTS,
	QG_QUEUED, QG_QUIET, QG_TZ, QG__MAX };
enum { QR_OK, QR_NEEDED, QR_REMAINING, QR__MAX };
enum { QP_CONTACT, QP_NAME, QP_PHONE, QP_FIELDS, QP_STATUS, QP__MAX };
enum { QB_OWNED, QB_QUEUED, QB_SKIPPED, QB_WOKEN, QB__MAX };

enum {
	QUEUE_GET,
	QUEUE_RESERVE,
	QUEUE_BLOCK,
	QUEUE_PAGE,
	QUEUE_PUT,
	QUEUE__MAX
};

static const struct stmt queue_sql[QUEUE__MAX] = {
	/* Job $1's broadcast: its state, template and resume point. */
	[QUEUE_GET] = { "bcast_queue.get",
	    "SELECT id, state, coalesce(template_body, '') AS template_body, "
	    "missing, queue_after, recipients, queued, "
	    "quiet_from IS NOT NULL AS quiet, (SELECT u.time_zone FROM users u "
	    "WHERE u.id = customer_id) AS tz FROM broadcasts "
	    "WHERE job_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(QG__MAX, [QG_ID] = "id", [QG_STATE] = "state",
	    [QG_BODY] = "template_body", [QG_MISSING] = "missing",
	    [QG_AFTER] = "queue_after", [QG_RECIPIENTS] = "recipients",
	    [QG_QUEUED] = "queued", [QG_QUIET] = "quiet", [QG_TZ] = "tz") },
	/* Broadcast $1's quota reserved (sending) or refused (failed). */
	[QUEUE_RESERVE] = { "bcast_queue.reserve",
	    "SELECT ok, needed, remaining FROM wa_broadcast_reserve($1::bigint)",
	    1, DB_ONCE, DB_COLS(QR__MAX, [QR_OK] = "ok",
	    [QR_NEEDED] = "needed", [QR_REMAINING] = "remaining") },
	/* Broadcast $1, ready, fails before queueing: $2 miss a variable
	 * (the code missing_variable and its English, sql/0036). */
	[QUEUE_BLOCK] = { "bcast_queue.block",
	    "UPDATE broadcasts SET state = 'failed', finished_at = wa_now(), "
	    "fail_code = 'missing_variable', "
	    "fail_args = ARRAY[$2::bigint::text], "
	    "fail_reason = wa_broadcast_reason('missing_variable', "
	    "ARRAY[$2::bigint::text]) WHERE id = $1::bigint "
	    "AND state = 'ready'", 2, DB_ONCE, NULL },
	/* Broadcast $1's next $3 pending recipients after contact $2. */
	[QUEUE_PAGE] = { "bcast_queue.page",
	    "SELECT r.contact_id, coalesce(c.name, '') AS name, r.phone, "
	    "coalesce(c.fields::text, '{}') AS fields, "
	    "coalesce(c.status, 'deleted') AS status "
	    "FROM broadcast_recipients r LEFT JOIN contacts c "
	    "ON c.id = r.contact_id WHERE r.broadcast_id = $1::bigint "
	    "AND r.status = 'pending' AND r.contact_id > $2::bigint "
	    "ORDER BY r.contact_id LIMIT $3::int", 3, DB_RETRY,
	    DB_COLS(QP__MAX, [QP_CONTACT] = "contact_id", [QP_NAME] = "name",
	    [QP_PHONE] = "phone", [QP_FIELDS] = "fields",
	    [QP_STATUS] = "status") },
	/*
	 * A batch of broadcast $1 under job $2's lease (owner $3), while
	 * it sends or is paused: the messages of contacts $5 with the
	 * bodies $6 inserted (send_at: start_at or now, past the quiet
	 * hours in the zones $9 when it has them), their recipients queued
	 * (their zone frozen); contacts $7 skipped with the reasons $8, their places
	 * given back; the resume point $4; the dispatchers woken. owned 0:
	 * the lease or the state was lost, nothing changed. The row lock
	 * of b stands for messages.broadcast_id's foreign key (sql/0035).
	 */
	[QUEUE_PUT] = { "bcast_queue.put",
	    "WITH b AS (SELECT x.id, x.customer_id, x.template_id, "
	    "x.template_version, x.reserved_month, x.quiet_from, x.quiet_to, "
	    "greatest(coalesce(x.start_at, wa_now()), wa_now()) AS at "
	    "FROM broadcasts x JOIN jobs j ON j.id = x.job_id "
	    "WHERE x.id = $1::bigint AND j.id = $2::bigint "
	    "AND j.lease_owner = $3 AND j.state = 'running' "
	    "AND x.state IN ('sending', 'paused') FOR NO KEY UPDATE OF x), "
	    "n AS MATERIALIZED (SELECT r.contact_id, r.instance_id, r.phone, "
	    "u.body, nextval(pg_get_serial_sequence('messages', 'id')) AS mid, "
	    "u.tz, CASE WHEN u.tz IS NULL THEN b.at ELSE wa_quiet_end(u.tz, "
	    "b.quiet_from, b.quiet_to, b.at) END AS at FROM b CROSS JOIN "
	    "unnest($5::bigint[], $6::text[], $9::text[]) AS u (cid, body, tz) "
	    "JOIN broadcast_recipients r ON r.broadcast_id = b.id "
	    "AND r.contact_id = u.cid AND r.status = 'pending'), "
	    "m AS (INSERT INTO messages (id, customer_id, instance_id, "
	    "direction, status, source, peer, peer_phone, body, send_at, "
	    "due_at, broadcast_id, template_id, template_version) "
	    "OVERRIDING SYSTEM VALUE SELECT n.mid, b.customer_id, "
	    "n.instance_id, 'out', CASE WHEN n.at > wa_now() THEN 'scheduled' "
	    "ELSE 'queued' END, 'broadcast', n.phone, n.phone, n.body, n.at, "
	    "n.at, b.id, b.template_id, b.template_version FROM b, n "
	    "ORDER BY n.mid RETURNING 1), "
	    "q AS (UPDATE broadcast_recipients r SET status = 'queued', "
	    "message_id = n.mid, tz = n.tz FROM n "
	    "WHERE r.broadcast_id = $1::bigint "
	    "AND r.contact_id = n.contact_id RETURNING 1), "
	    "s AS (UPDATE broadcast_recipients r SET status = 'skipped', "
	    "reason = u.why FROM b, unnest($7::bigint[], $8::text[]) "
	    "AS u (cid, why) WHERE r.broadcast_id = b.id "
	    "AND r.contact_id = u.cid AND r.status = 'pending' RETURNING 1), "
	    "g AS (UPDATE message_counts mc SET messages = "
	    "greatest(mc.messages - (SELECT count(*) FROM s), 0) FROM b "
	    "WHERE mc.customer_id = b.customer_id "
	    "AND mc.month = b.reserved_month RETURNING 1), "
	    "u AS (UPDATE broadcasts x SET queue_after = $4::bigint, "
	    "queued = x.queued + (SELECT count(*) FROM n), "
	    "reserved = greatest(x.reserved - (SELECT count(*) FROM s), 0) "
	    "FROM b WHERE x.id = b.id RETURNING 1) "
	    "SELECT (SELECT count(*) FROM u) AS owned, "
	    "(SELECT count(*) FROM m) AS queued, "
	    "(SELECT count(*) FROM s) AS skipped, "
	    "(SELECT count(*) FROM b CROSS JOIN LATERAL "
	    "pg_notify('waportal_dispatch', '') AS w) AS woken", 9, DB_ONCE,
	    DB_COLS(QB__MAX, [QB_OWNED] = "owned", [QB_QUEUED] = "queued",
	    [QB_SKIPPED] = "skipped", [QB_WOKEN] = "woken") },
};

const struct stmt_set bcast_queue_stmts = STMT_SET(queue_sql);

/* The recipients' zones: tzdata's table, the customer's zone, and the
 * zone found for each region ("AA" to "ZZ"; NULL: not looked up). */
struct bq_zones {
	struct tzmap	 map;
	char		 mine[TZMAP_ZONE_MAX + 1];	/* "" when not valid */
	const char	*by[26 * 26];
	unsigned char	 seen[26 * 26];
};

/* One broadcast queueing. */
struct bqueue {
	struct runner	*r;
	struct job	*j;
	char		 id[24];
	char		 after[24];	/* the resume point: a contact id */
	char		 missing[16];	/* fallback, skip, block */
	int64_t		 recipients, queued, skipped;
	struct aud_tpl	 t;
	struct buf	 ids, bodies, sids, whys;	/* a batch's arrays */
	int64_t		 nput, nskip;
	int		 quiet;		/* quiet hours: the zones wanted */
	struct bq_zones	*z;		/* then: the zones by region */
	struct buf	 tzs;		/* the batch's recipients' zones */
};

/* Append s to the array literal b as one quoted element. */
static void
bq_elem(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	buf_putc(b, b->len == 0 ? '{' : ',');
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

/* The array literal b closed ("{}" when empty). */
static const char *
bq_array(struct buf *b)
{
	if (b->len == 0)
		buf_putc(b, '{');
	buf_putc(b, '}');
	return buf_str(b);
}

/* Start a batch's arrays afresh. */
static void
bq_reset(struct bqueue *q)
{
	buf_reset(&q->ids);
	buf_reset(&q->bodies);
	buf_reset(&q->sids);
	buf_reset(&q->whys);
	buf_reset(&q->tzs);
	q->nput = q->nskip = 0;
}

/* Recipient id skipped for why. */
static void
bq_skip(struct bqueue *q, const char *id, const char *why)
{
	bq_elem(&q->sids, id, strlen(id));
	bq_elem(&q->whys, why, strlen(why));
	q->nskip++;
}

/*
 * Render row i of page res into out; 1 when a variable had no value
 * (nor fallback), 0, or -1 when the message is not one to send.
 */
static int
bq_render(struct bqueue *q, const PGresult *res, int i, struct buf *out)
{
	struct aud_tpl_vals	 v;
	struct aud_tpl_out	 o;
	size_t			 n, count;

	memset(&v, 0, sizeof(v));
	v.name = db_get(res, i, QP_NAME);
	v.phone = db_get(res, i, QP_PHONE);
	v.fields = json_tokener_parse(db_get(res, i, QP_FIELDS));
	buf_reset(out);
	aud_tpl_render(&q->t, &v, (uint64_t)db_getll(res, i, QP_CONTACT),
	    MSG_TEXT_MAX, out, &o);
	json_object_put(v.fields);
	buf_putc(out, '\0');
	n = out->len - 1;
	if (valid_message_text(out->data, &n, &count) != MSGTEXT_OK)
		return -1;
	out->len = n;
	return o.missing > 0;
}

/*
 * The zone of phone appended to the batch's zones: its region's
 * (tzmap_zone, cached by region), else the customer's; NULL (no quiet
 * hours for it) when neither is known.
 */
static void
bq_zone(struct bqueue *q, const char *phone)
{
	struct bq_zones	*z = q->z;
	const char	*tz = NULL;
	char		 cc[3];
	int		 k;

	if (phone_region(phone, cc) == 0 && cc[0] >= 'A' && cc[0] <= 'Z' &&
	    cc[1] >= 'A' && cc[1] <= 'Z') {
		k = (cc[0] - 'A') * 26 + (cc[1] - 'A');
		if (!z->seen[k]) {
			z->by[k] = tzmap_zone(&z->map, cc, z->mine);
			z->seen[k] = 1;
		}
		tz = z->by[k];
	}
	if (tz == NULL && z->mine[0] != '\0')
		tz = z->mine;
	if (tz != NULL)
		bq_elem(&q->tzs, tz, strlen(tz));
	else {
		buf_putc(&q->tzs, q->tzs.len == 0 ? '{' : ',');
		buf_puts(&q->tzs, "NULL");
	}
}

/* Row i of the page: its message, or skipped with the reason. */
static void
bq_row(struct bqueue *q, const PGresult *res, int i, struct buf *out)
{
	const char	*id = db_get(res, i, QP_CONTACT);
	const char	*st = db_get(res, i, QP_STATUS);
	int		 rc;

	if (strcmp(st, "unsubscribed") == 0 || strcmp(st, "deleted") == 0) {
		bq_skip(q, id, st);
		return;
	}
	rc = bq_render(q, res, i, out);
	if (rc == -1)
		bq_skip(q, id, "blank message");
	else if (rc == 1 && strcmp(q->missing, "skip") == 0)
		bq_skip(q, id, "missing variable");
	else {
		bq_elem(&q->ids, id, strlen(id));
		bq_elem(&q->bodies, out->data, out->len);
		if (q->quiet)
			bq_zone(q, db_get(res, i, QP_PHONE));
		q->nput++;
	}
}

/* The next page of pending recipients; its rows, or NULL. */
static PGresult *
bq_page(struct bqueue *q)
{
	const char	*p[3] = { q->id, q->after, QUEUE_BATCH };

	return db_exec(&q->r->db, &queue_sql[QUEUE_PAGE], p);
}

/* The batch put: STEP_ON, JOB_LOST (lease or state lost), JOB_DB. */
static int
bq_put(struct bqueue *q)
{
	const char	*p[9] = { q->id, q->j->idstr, q->r->owner, q->after,
	    bq_array(&q->ids), bq_array(&q->bodies), bq_array(&q->sids),
	    bq_array(&q->whys), bq_array(&q->tzs) };
	PGresult	*res;
	int		 owned;

	if ((res = db_exec(&q->r->db, &queue_sql[QUEUE_PUT], p)) == NULL)
		return JOB_DB;
	owned = db_geti(res, 0, QB_OWNED) == 1;
	if (owned) {
		q->queued += db_getll(res, 0, QB_QUEUED);
		q->skipped += db_getll(res, 0, QB_SKIPPED);
	}
	PQclear(res);
	return owned ? STEP_ON : JOB_LOST;
}

/* The next batch: read, render, put; STEP_ON, STEP_END or JOB_*. */
static int
bq_batch(struct bqueue *q)
{
	struct buf	 out = BUF_INIT;
	PGresult	*res;
	int		 i, n;

	if ((res = bq_page(q)) == NULL)
		return JOB_DB;
	if ((n = PQntuples(res)) == 0) {
		PQclear(res);
		return STEP_END;
	}
	bq_reset(q);
	for (i = 0; i < n; i++)
		bq_row(q, res, i, &out);
	snprintf(q->after, sizeof(q->after), "%s",
	    db_get(res, n - 1, QP_CONTACT));
	PQclear(res);
	buf_free(&out);
	return bq_put(q);
}

/* Renew the lease with the messages queued; RENEW_* or -1. */
static int
bq_progress(struct bqueue *q, int force)
{
	struct job_progress	 p;

	p.done = q->queued + q->skipped;
	p.total = q->recipients;
	p.rows = q->queued;
	p.phase = "queueing";
	return job_renew(q->r, q->j, &p, force);
}

/* The job ends as state (done, failed, cancelled) with error. */
static int
bq_finish(struct bqueue *q, const char *state, const char *error)
{
	if (job_finish(q->r, q->j, state, error) == -1)
		return JOB_DB;
	if (strcmp(state, "failed") == 0)
		q->r->nfailed++;
	else if (strcmp(state, "done") == 0)
		q->r->ndone++;
	return JOB_DONE;
}

/* After a batch: the test pause, a stop, the lease, a cancel. */
static int
bq_between(struct bqueue *q)
{
	int	 rc;

	job_pause(q->r, "queue");
	if (*q->r->stop) {
		q->r->nreleased++;
		log_info("job %s broadcast %s: released queueing after "
		    "contact %s", q->j->idstr, q->id, q->after);
		return job_release(q->r, q->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	if ((rc = bq_progress(q, 0)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL) {
		log_info("job %s broadcast %s: cancelled while queueing",
		    q->j->idstr, q->id);
		return bq_finish(q, "cancelled", "");
	}
	return STEP_ON;
}

/* A batch refused: the broadcast cancelled (the job ends) or lost. */
static int
bq_lost(struct bqueue *q)
{
	PGresult	*res;
	int		 gone;

	if ((res = db_exec(&q->r->db, &queue_sql[QUEUE_GET],
	    (const char *const[]){ q->j->idstr })) == NULL)
		return JOB_DB;
	gone = PQntuples(res) == 1 && (strcmp(db_get(res, 0, QG_STATE),
	    "cancelled") == 0 || strcmp(db_get(res, 0, QG_STATE),
	    "failed") == 0);
	PQclear(res);
	if (!gone)
		return JOB_LOST;
	log_info("job %s broadcast %s: cancelled while queueing",
	    q->j->idstr, q->id);
	return bq_finish(q, "cancelled", "");
}

/* Every batch; the job done at the end. */
static int
bq_walk(struct bqueue *q)
{
	int	 rc;

	for (;;) {
		rc = bq_batch(q);
		if (rc == STEP_END)
			break;
		if (rc == JOB_LOST)
			return bq_lost(q);
		if (rc != STEP_ON || (rc = bq_between(q)) != STEP_ON)
			return rc;
	}
	log_info("job %s broadcast %s: queued %lld, skipped %lld",
	    q->j->idstr, q->id, (long long)q->queued, (long long)q->skipped);
	return bq_finish(q, "done", "");
}

/*
 * The block rule: how many pending recipients miss a variable (all
 * read and rendered once, nothing written), or -1.
 */
static int64_t
bq_count_missing(struct bqueue *q)
{
	struct buf	 out = BUF_INIT;
	PGresult	*res;
	int64_t		 k = 0;
	int		 i, n;

	snprintf(q->after, sizeof(q->after), "0");
	do {
		if ((res = bq_page(q)) == NULL) {
			buf_free(&out);
			return -1;
		}
		n = PQntuples(res);
		for (i = 0; i < n; i++)
			k += bq_render(q, res, i, &out) == 1;
		if (n > 0)
			snprintf(q->after, sizeof(q->after), "%s",
			    db_get(res, n - 1, QP_CONTACT));
		PQclear(res);
	} while (n > 0);
	buf_free(&out);
	snprintf(q->after, sizeof(q->after), "0");
	return k;
}

/* The quota reserved: STEP_ON (sending), or the job's end. */
static int
bq_reserve(struct bqueue *q)
{
	char		 why[160];
	PGresult	*res;
	int		 ok, none;

	if ((res = db_exec(&q->r->db, &queue_sql[QUEUE_RESERVE],
	    (const char *const[]){ q->id })) == NULL)
		return JOB_DB;
	none = PQntuples(res) != 1 || db_isnull(res, 0, QR_OK);
	ok = !none && db_getb(res, 0, QR_OK);
	if (!none && !ok)
		snprintf(why, sizeof(why), "needs %s messages, %s left this "
		    "month", db_get(res, 0, QR_NEEDED),
		    db_get(res, 0, QR_REMAINING));
	PQclear(res);
	if (none)
		return bq_finish(q, "cancelled", "");
	if (!ok) {
		log_info("job %s broadcast %s: %s", q->j->idstr, q->id, why);
		return bq_finish(q, "failed", why);
	}
	return STEP_ON;
}

/* A ready broadcast: the block rule, then the reservation. */
static int
bq_ready(struct bqueue *q)
{
	char		 n[24];
	const char	*p[2] = { q->id, n };
	int64_t		 k;

	if (strcmp(q->missing, "block") == 0) {
		if ((k = bq_count_missing(q)) < 0)
			return JOB_DB;
		if (k > 0) {
			snprintf(n, sizeof(n), "%lld", (long long)k);
			if (db_exec_cmd(&q->r->db, &queue_sql[QUEUE_BLOCK],
			    p) == -1)
				return JOB_DB;
			log_info("job %s broadcast %s: %s recipients miss a "
			    "variable", q->j->idstr, q->id, n);
			return bq_finish(q, "failed", "recipients miss a "
			    "template variable");
		}
	}
	return bq_reserve(q);
}

/* The zones' table read and the customer's zone mine checked: 0, or -1
 * (logged: the recipients then get no zone, so no quiet hours). */
static int
bq_zones(struct bqueue *q, const char *mine)
{
	struct bq_zones	*z = xcalloc(1, sizeof(*z));

	if (tzmap_load(&z->map, TZMAP_DIR "/" TZMAP_TAB) == -1) {
		log_warnx("job %s broadcast %s: quiet hours without zones: %s",
		    q->j->idstr, q->id, z->map.err);
		tzmap_free(&z->map);
		free(z);
		return -1;
	}
	if (tzmap_zone_ok(TZMAP_DIR, mine))
		snprintf(z->mine, sizeof(z->mine), "%s", mine);
	q->z = z;
	return 0;
}

/* The broadcast of the job: STEP_ON with its state in state, JOB_*. */
static int
bq_load(struct bqueue *q, char *state, size_t size)
{
	PGresult	*res;
	const char	*body;

	if ((res = db_exec(&q->r->db, &queue_sql[QUEUE_GET],
	    (const char *const[]){ q->j->idstr })) == NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return bq_finish(q, "done", "");
	}
	snprintf(q->id, sizeof(q->id), "%s", db_get(res, 0, QG_ID));
	snprintf(state, size, "%s", db_get(res, 0, QG_STATE));
	snprintf(q->missing, sizeof(q->missing), "%s",
	    db_get(res, 0, QG_MISSING));
	snprintf(q->after, sizeof(q->after), "%s", db_get(res, 0, QG_AFTER));
	q->recipients = db_getll(res, 0, QG_RECIPIENTS);
	q->queued = db_getll(res, 0, QG_QUEUED);
	if ((q->quiet = db_getb(res, 0, QG_QUIET)) && q->z == NULL &&
	    bq_zones(q, db_get(res, 0, QG_TZ)) == -1)
		q->quiet = 0;
	body = db_get(res, 0, QG_BODY);
	aud_tpl_parse(&q->t, body, strlen(body), NULL, 0);
	PQclear(res);
	return STEP_ON;
}

/* Reserve if ready, then queue from the resume point; JOB_*. */
static int
bq_run(struct bqueue *q)
{
	char	 state[16];
	int	 rc;

	if ((rc = bq_load(q, state, sizeof(state))) != STEP_ON)
		return rc;
	if (strcmp(state, "ready") == 0) {
		if ((rc = bcast_precheck(q->r, q->j, q->id)) != 0)
			return rc == 1 ? bq_finish(q, "done", "") : JOB_DB;
		if ((rc = bq_ready(q)) != STEP_ON)
			return rc;
	} else if (strcmp(state, "sending") != 0 &&
	    strcmp(state, "paused") != 0)
		return bq_finish(q, strcmp(state, "cancelled") == 0 ?
		    "cancelled" : "done", "");
	if ((rc = bq_progress(q, 1)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	return bq_walk(q);
}

enum job_end
bcast_queue_run(struct runner *r, struct job *j)
{
	struct bqueue	*q = xcalloc(1, sizeof(*q));
	int		 rc;

	q->r = r;
	q->j = j;
	rc = bq_run(q);
	aud_tpl_free(&q->t);
	buf_free(&q->ids);
	buf_free(&q->bodies);
	buf_free(&q->sids);
	buf_free(&q->whys);
	buf_free(&q->tzs);
	if (q->z != NULL)
		tzmap_free(&q->z->map);
	free(q->z);
	free(q);
	return (enum job_end)rc;
}
