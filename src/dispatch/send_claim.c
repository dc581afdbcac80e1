/* send_claim.c: the dispatcher's one statement, sent without waiting: record a batch of outcomes, claim due messages into sends. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "gw/gw.h"
#include "send.h"

/* The columns the step returns. */
enum send_col {
	SC_ID,
	SC_INSTANCE,
	SC_ATTEMPTS,
	SC_PEER,
	SC_BODY,
	SC_SESSION,
	SC_DRIVER,
	SC_BASE_URL,
	SC_API_KEY,
	SC_RECORDED,		/* last row only, as SC_NEXT_DUE */
	SC_NEXT_DUE,
	SC__MAX
};

enum {
	SEND_STEP,
	SEND__MAX
};

static const struct stmt send_sql[SEND__MAX] = {
	/* Record outcomes ($2), then claim up to $3 due messages with a
	 * lease of $4 s, paced per instance ($5 gap, $6 jitter, $8 an
	 * hour); each row one send; the last says recorded and next due. */
	[SEND_STEP] = { "send.step",
	    "SELECT id, instance_id, attempts, peer, body, session, driver, "
	    "base_url, api_key, recorded, next_due FROM wa_dispatch_step($1, "
	    "$2::json, $3::int, $4::int, $5::int, $6::int, $7::int, $8::int)",
	    8, DB_ONCE, DB_COLS(SC__MAX, [SC_ID] = "id",
	    [SC_INSTANCE] = "instance_id", [SC_ATTEMPTS] = "attempts",
	    [SC_PEER] = "peer", [SC_BODY] = "body", [SC_SESSION] = "session",
	    [SC_DRIVER] = "driver", [SC_BASE_URL] = "base_url",
	    [SC_API_KEY] = "api_key", [SC_RECORDED] = "recorded",
	    [SC_NEXT_DUE] = "next_due") },
};

const struct stmt_set send_stmts = STMT_SET(send_sql);

/* What wa_dispatch_record calls each verdict. */
static const char *const send_kinds[GW_VERDICT__MAX] = {
	[GW_OK] = "sent",
	[GW_RETRY] = "retry",
	[GW_FAIL] = "failed",
};

static long long
send_col_ll(const PGresult *r, int row, enum send_col c)
{
	return strtoll(PQgetvalue(r, row, c), NULL, 10);
}

/* Make a job of claimed row i and start its send. */
static void
send_claimed(struct sender *s, const PGresult *r, int i)
{
	struct send_job	*j = xcalloc(1, sizeof(*j));
	struct gw_host	 h;
	enum gw_driver	 d;

	j->id = send_col_ll(r, i, SC_ID);
	j->instance_id = send_col_ll(r, i, SC_INSTANCE);
	j->attempts = (int)send_col_ll(r, i, SC_ATTEMPTS);
	d = gw_driver_find(PQgetvalue(r, i, SC_DRIVER));
	if (d == GW__MAX || gw_drivers[d]->send_prepare == NULL) {
		snprintf(j->res.errmsg, sizeof(j->res.errmsg), "this kind of "
		    "gateway cannot send messages yet");
		j->rc = -1;
		send_done(s, j);
		return;
	}
	j->ops = gw_drivers[d];
	memset(&h, 0, sizeof(h));
	h.base_url = PQgetvalue(r, i, SC_BASE_URL);
	h.api_key = PQgetvalue(r, i, SC_API_KEY);
	h.timeout_ms = (long)s->conf.timeout_ms;
	send_start(s, j, &h, PQgetvalue(r, i, SC_SESSION),
	    PQgetvalue(r, i, SC_PEER), PQgetvalue(r, i, SC_BODY));
}

/* A gateway id fit to store: 1-256 bytes of UTF-8, else NULL. */
static struct json_object *
send_gateway_id(const char *id)
{
	size_t	 n;

	if (id == NULL || (n = strlen(id)) == 0 || n > 256 ||
	    !utf8_valid(id, n))
		return NULL;
	return json_object_new_string(id);
}

/* Count a recorded outcome and log it: sent, or why not. */
static void
send_tally(struct sender *s, const struct send_job *j)
{
	char	 why[300];

	if (j->verdict == GW_OK) {
		s->stats.sent++;
		log_info("message %lld (instance %lld): sent", j->id,
		    j->instance_id);
		return;
	}
	gw_fail_text(why, sizeof(why), &j->res, j->verdict, j->attempts);
	if (j->verdict == GW_RETRY) {
		s->stats.retried++;
		log_warnx("message %lld (instance %lld): attempt %d: %s; "
		    "retry in %lld ms", j->id, j->instance_id, j->attempts,
		    why, j->delay_ms);
	} else {
		s->stats.failed++;
		log_warnx("message %lld (instance %lld): failed: %s", j->id,
		    j->instance_id, why);
	}
}

/*
 * The outcome of j as one element of wa_dispatch_record's array; the
 * verdict and the retry delay are kept in j.
 */
static struct json_object *
send_outcome(const struct sender *s, struct send_job *j)
{
	const struct send_conf	*c = &s->conf;
	struct json_object	*o = json_object_new_object();
	char			 why[300];

	j->verdict = gw_verdict(j->rc, &j->res, j->attempts,
	    (int)c->max_attempts);
	j->delay_ms = 0;
	json_object_object_add(o, "id", json_object_new_int64(j->id));
	json_object_object_add(o, "i", json_object_new_int64(j->instance_id));
	json_object_object_add(o, "k",
	    json_object_new_string(send_kinds[j->verdict]));
	json_object_object_add(o, "r",
	    json_object_new_int64(j->res.http_status == 429 ||
	    j->res.http_status == 503 ? j->res.retry_after : 0));
	if (j->verdict == GW_OK) {
		json_object_object_add(o, "g", send_gateway_id(j->res.value));
		return o;
	}
	gw_fail_text(why, sizeof(why), &j->res, j->verdict, j->attempts);
	if (j->verdict == GW_RETRY)
		j->delay_ms = gw_backoff_ms(j->attempts, c->backoff_ms,
		    c->backoff_max_ms, arc4random() / 4294967296.0,
		    j->res.retry_after);
	json_object_object_add(o, "e", json_object_new_string(why));
	json_object_object_add(o, "d", json_object_new_int64(j->delay_ms));
	return o;
}

/* Copy libpq's message (first line) into db->errmsg. */
static void
send_db_error(struct db *db, const char *what, const char *msg)
{
	snprintf(db->errmsg, sizeof(db->errmsg), "%s: %.*s", what,
	    (int)strcspn(msg, "\n"), msg);
}

/* The outcomes of the finished sends as wa_dispatch_record's array. */
static char *
send_outcomes(struct sender *s)
{
	struct json_object	*a = json_object_new_array();
	char			*text;
	int			 i;

	for (i = 0; i < s->nrecording; i++)
		json_object_array_add(a, send_outcome(s, s->recording[i]));
	text = xstrdup(json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(a);
	return text;
}

/*
 * Send one step without waiting for it: the outcomes of every finished
 * send, and a claim of up to n more (0: none). Returns 0, or -1 when
 * the database failed (db->errmsg; the outcomes stay to be sent again).
 */
int
send_db_send(struct sender *s, struct db *db, int n)
{
	const struct send_conf	*c = &s->conf;
	const char		*params[8];
	char			 v[6][24], *outcomes;
	int			 i, rc;

	if (db_ready(db, &send_sql[SEND_STEP]) == -1)
		return -1;
	memcpy(s->recording, s->done, (size_t)s->ndone * sizeof(*s->done));
	s->nrecording = s->ndone;
	s->ndone = 0;
	outcomes = send_outcomes(s);
	snprintf(v[0], sizeof(v[0]), "%d", n);
	snprintf(v[1], sizeof(v[1]), "%lld", c->lease_s);
	snprintf(v[2], sizeof(v[2]), "%lld", c->gap_ms);
	snprintf(v[3], sizeof(v[3]), "%lld", c->jitter_ms);
	snprintf(v[4], sizeof(v[4]), "%lld", c->timeout_ms);
	snprintf(v[5], sizeof(v[5]), "%lld", c->hourly_cap);
	params[0] = s->owner;
	params[1] = outcomes;
	for (i = 0; i < 6; i++)
		params[i + 2] = v[i];
	rc = PQsendQueryPrepared(db->conn, send_sql[SEND_STEP].name,
	    send_sql[SEND_STEP].nparams, params, NULL, NULL, 0);
	free(outcomes);
	if (rc == 0) {
		send_db_error(db, "query", PQerrorMessage(db->conn));
		send_db_lost(s);
		return -1;
	}
	s->claiming = n;
	s->pending = 1;
	return 0;
}

/* The recorded outcomes: count them, say why some were not sent, free. */
static void
send_recorded(struct sender *s, int recorded)
{
	int	 i;

	if (recorded < s->nrecording) {
		log_warnx("%d outcome(s) not recorded: the lease ran out first",
		    s->nrecording - recorded);
		s->stats.lost += (unsigned long long)(s->nrecording - recorded);
	}
	for (i = 0; i < s->nrecording; i++) {
		send_tally(s, s->recording[i]);
		send_job_free(s->recording[i]);
	}
	s->nrecording = 0;
}

/*
 * When to claim next after a step that claimed got of the claiming
 * asked for: at once when it was full (more may wait) or only recorded
 * (turns and due times moved); else when the next is due, within the
 * dispatch interval and, if nothing came, not in a busy loop while
 * another dispatcher holds what is due.
 */
static void
send_next_claim(struct sender *s, int got, long long due)
{
	if (s->claiming == 0 || got == s->claiming) {
		s->claim_at = 0;
		return;
	}
	if (due > s->conf.interval_ms)
		due = s->conf.interval_ms;
	if (got == 0 && due < SEND_IDLE_MS)
		due = SEND_IDLE_MS;
	s->claim_at = send_now_ms() + (due < 0 ? 0 : due);
}

/* Start the claimed sends of a step's result and take its last row. */
static void
send_step_result(struct sender *s, const PGresult *r)
{
	long long	 due = LLONG_MAX;
	int		 i, got = 0, recorded = 0;

	for (i = 0; i < PQntuples(r); i++) {
		if (!PQgetisnull(r, i, SC_ID)) {
			send_claimed(s, r, i);
			got++;
			continue;
		}
		recorded = (int)send_col_ll(r, i, SC_RECORDED);
		if (!PQgetisnull(r, i, SC_NEXT_DUE))
			due = send_col_ll(r, i, SC_NEXT_DUE);
	}
	send_recorded(s, recorded);
	send_next_claim(s, got, due);
}

/*
 * Read what the database sent. Returns 1 when the step in flight was
 * answered and handled, 0 while it is still working (or none is in
 * flight), -1 when the database failed (db->errmsg).
 */
int
send_db_read(struct sender *s, struct db *db)
{
	PGresult	*r;
	int		 ok = 1;

	if (PQconsumeInput(db->conn) == 0) {
		send_db_error(db, "connection lost", PQerrorMessage(db->conn));
		send_db_lost(s);
		return -1;
	}
	if (!s->pending || PQisBusy(db->conn))
		return 0;
	while ((r = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(r) == PGRES_TUPLES_OK && ok)
			send_step_result(s, r);
		else if (ok) {
			send_db_error(db, "query", PQresultErrorMessage(r));
			ok = 0;
		}
		PQclear(r);
	}
	s->pending = 0;
	if (!ok) {
		send_db_lost(s);
		return -1;
	}
	return 1;
}

/*
 * The connection failed or went: the outcomes of the step in flight
 * go back to be sent again (a lease check makes a second record of one
 * that did commit a no-op).
 */
void
send_db_lost(struct sender *s)
{
	int	 i;

	for (i = 0; i < s->nrecording; i++)
		s->done[s->ndone++] = s->recording[i];
	s->nrecording = 0;
	s->pending = 0;
	s->claiming = 0;
}
