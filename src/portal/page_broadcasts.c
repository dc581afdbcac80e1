/* page_broadcasts.c: the customer's broadcasts: the list (pages of 50, newest first), a broadcast's page (state, progress refreshing itself, rate and estimated finish), pause, resume and cancel (after a confirmation), its recipients (pages of 50, the message's status joined) and their CSV export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "bcast_state.h"
#include "csvout.h"
#include "job_page.h"
#include "page_msg.h"

#define BC_PAGE		50
#define BC_CSV_PAGE	1000

enum { BC_IN_BEFORE, BC_IN_LIST__MAX };
enum { BC_IN_AFTER, BC_IN_SHOW__MAX };

static const struct input bc_in_list[BC_IN_LIST__MAX] = {
	[BC_IN_BEFORE] = { "before", input_id, 0 },
};
static const struct input bc_in_show[BC_IN_SHOW__MAX] = {
	[BC_IN_AFTER] = { "after", input_id, 0 },
};

enum { BCL_ID, BCL_NAME, BCL_STATE, BCL_RECIPIENTS, BCL_SENT, BCL_CREATED,
    BCL_TOTAL, BCL__MAX };
enum {
	BCG_ID, BCG_NAME, BCG_STATE, BCG_PAUSE, BCG_FAIL, BCG_RECIPIENTS,
	BCG_SKIPPED, BCG_QUEUED, BCG_CREATED, BCG_START, BCG_TEMPLATE,
	BCG_VERSION, BCG_UNKNOWN, BCG_MISSING, BCG_NUMBERS, BCG_ELAPSED,
	BCG_WHY, BCG_WHY1, BCG_WHY2, BCG_WHY3, BCG_WHY4, BCG_SENT,
	BCG_DELIVERED, BCG_READ, BCG_FAILED, BCG_REPLIED, BCG_OPTED_OUT,
	BCG_QUIET, BCG__MAX
};
/* The figures of BC_GET, in order, shown with a rate of the sent. */
#define BCG_FIRST_FIGURE	BCG_SENT
#define BCG_LAST_FIGURE		BCG_OPTED_OUT
enum { BCN_NAME, BCN_SENT, BCN_DELIVERED, BCN_READ, BCN_FAILED, BCN__MAX };
enum { BCH_HOUR, BCH_SENT, BCH__MAX };
enum { BCR_KEY, BCR_PHONE, BCR_NAME, BCR_STATUS, BCR_REASON, BCR_MSG,
    BCR_HELD, BCR__MAX };
enum { BCA_CHANGED, BCA__MAX };

enum {
	BC_LIST, BC_GET, BC_RECIPIENTS, BC_CSV, BC_PAUSE, BC_RESUME,
	BC_CANCEL, BC_NUMBERS, BC_HOURS, BC__MAX
};

/* A local time of column c in the customer's zone u.time_zone, ''. */
#define BC_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"

static const struct stmt bc_sql[BC__MAX] = {
	/* A page of customer $1's broadcasts, newest first, before id $2. */
	[BC_LIST] = { "broadcasts.list",
	    "SELECT b.id, b.name, b.state, b.recipients, b.sent, "
	    BC_LOCAL("b.created_at") " AS created, (SELECT count(*) FROM "
	    "broadcasts x WHERE x.customer_id = $1::bigint) AS total "
	    "FROM broadcasts b JOIN users u ON u.id = b.customer_id "
	    "WHERE b.customer_id = $1::bigint AND ($2::bigint IS NULL OR "
	    "b.id < $2::bigint) ORDER BY b.id DESC LIMIT 51", 2, DB_RETRY,
	    DB_COLS(BCL__MAX, [BCL_ID] = "id", [BCL_NAME] = "name",
	    [BCL_STATE] = "state", [BCL_RECIPIENTS] = "recipients",
	    [BCL_SENT] = "sent", [BCL_CREATED] = "created",
	    [BCL_TOTAL] = "total") },
	/* Broadcast $2 of customer $1 with its template's name and the
	 * seconds since it started (0 before), why it is paused or failed
	 * as a code and up to 4 figures (sql/0036; '' for an older row or
	 * a pause by hand), its counters (sql/0029). */
	[BC_GET] = { "broadcasts.get",
	    "SELECT b.id, b.name, b.state, b.pause_reason, "
	    "b.fail_reason, b.recipients, b.skipped, b.queued, "
	    BC_LOCAL("b.created_at") " AS created, "
	    BC_LOCAL("b.start_at") " AS start_at, "
	    "coalesce(t.name, '') AS template, "
	    "coalesce(b.template_version::text, '') AS version, "
	    "b.include_unknown, b.missing, cardinality(b.instance_ids) AS "
	    "numbers, coalesce(extract(epoch FROM wa_now() - b.started_at)"
	    "::bigint, 0) AS elapsed, w.code AS why, "
	    "coalesce(w.args[1], '') AS why1, coalesce(w.args[2], '') AS why2, "
	    "coalesce(w.args[3], '') AS why3, coalesce(w.args[4], '') AS why4, "
	    "b.sent, b.delivered, b.read, b.failed, "
	    "b.replied, b.opted_out, CASE WHEN b.quiet_from IS NOT NULL THEN "
	    "wa_hhmm(b.quiet_from) || '–' || wa_hhmm(b.quiet_to) ELSE '' END "
	    "AS quiet "
	    "FROM broadcasts b "
	    "JOIN users u ON u.id = b.customer_id "
	    "LEFT JOIN templates t ON t.id = b.template_id "
	    "CROSS JOIN LATERAL (SELECT CASE b.state WHEN 'paused' THEN "
	    "b.pause_code WHEN 'failed' THEN b.fail_code ELSE '' END AS code, "
	    "CASE b.state WHEN 'paused' THEN b.pause_args ELSE b.fail_args END "
	    "AS args) w "
	    "WHERE b.customer_id = $1::bigint AND b.id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(BCG__MAX, [BCG_ID] = "id", [BCG_NAME] = "name",
	    [BCG_STATE] = "state", [BCG_PAUSE] = "pause_reason",
	    [BCG_FAIL] = "fail_reason", [BCG_RECIPIENTS] = "recipients",
	    [BCG_SKIPPED] = "skipped", [BCG_QUEUED] = "queued",
	    [BCG_CREATED] = "created", [BCG_START] = "start_at",
	    [BCG_TEMPLATE] = "template", [BCG_VERSION] = "version",
	    [BCG_UNKNOWN] = "include_unknown", [BCG_MISSING] = "missing",
	    [BCG_NUMBERS] = "numbers", [BCG_ELAPSED] = "elapsed",
	    [BCG_WHY] = "why", [BCG_WHY1] = "why1", [BCG_WHY2] = "why2",
	    [BCG_WHY3] = "why3", [BCG_WHY4] = "why4",
	    [BCG_SENT] = "sent", [BCG_DELIVERED] = "delivered",
	    [BCG_READ] = "read", [BCG_FAILED] = "failed",
	    [BCG_REPLIED] = "replied", [BCG_OPTED_OUT] = "opted_out",
	    [BCG_QUIET] = "quiet") },
	/* A page of broadcast $2's recipients (customer $1's) after contact
	 * $3, the contact's name and the message's status joined. */
	[BC_RECIPIENTS] = { "broadcasts.recipients",
	    "SELECT r.contact_id AS key, r.phone, coalesce(c.name, '') AS name, "
	    "r.status, r.reason, coalesce(m.status, '') AS message_status, "
	    "coalesce(CASE WHEN m.status = 'scheduled' AND r.tz IS NOT NULL "
	    "AND m.send_at > coalesce(b.start_at, '-infinity') THEN "
	    "to_char(m.send_at AT TIME ZONE r.tz, 'YYYY-MM-DD HH24:MI') || "
	    "' ' || r.tz END, '') AS held "
	    "FROM broadcasts b JOIN broadcast_recipients r "
	    "ON r.broadcast_id = b.id LEFT JOIN contacts c ON c.id = "
	    "r.contact_id AND c.customer_id = b.customer_id LEFT JOIN "
	    "messages m ON m.id = r.message_id AND m.customer_id = "
	    "b.customer_id WHERE b.customer_id = $1::bigint AND b.id = "
	    "$2::bigint AND r.contact_id > $3::bigint ORDER BY r.contact_id "
	    "LIMIT 51", 3, DB_RETRY, DB_COLS(BCR__MAX, [BCR_KEY] = "key",
	    [BCR_PHONE] = "phone", [BCR_NAME] = "name",
	    [BCR_STATUS] = "status", [BCR_REASON] = "reason",
	    [BCR_MSG] = "message_status", [BCR_HELD] = "held") },
	/* The same for the CSV, 1,000 a page. */
	[BC_CSV] = { "broadcasts.csv",
	    "SELECT r.contact_id AS key, r.phone, coalesce(c.name, '') AS name, "
	    "r.status, r.reason, coalesce(m.status, '') AS message_status, "
	    "coalesce(CASE WHEN m.status = 'scheduled' AND r.tz IS NOT NULL "
	    "AND m.send_at > coalesce(b.start_at, '-infinity') THEN "
	    "to_char(m.send_at AT TIME ZONE r.tz, 'YYYY-MM-DD HH24:MI') || "
	    "' ' || r.tz END, '') AS held "
	    "FROM broadcasts b JOIN broadcast_recipients r "
	    "ON r.broadcast_id = b.id LEFT JOIN contacts c ON c.id = "
	    "r.contact_id AND c.customer_id = b.customer_id LEFT JOIN "
	    "messages m ON m.id = r.message_id AND m.customer_id = "
	    "b.customer_id WHERE b.customer_id = $1::bigint AND b.id = "
	    "$2::bigint AND r.contact_id > $3::bigint ORDER BY r.contact_id "
	    "LIMIT 1000", 3, DB_RETRY, DB_COLS(BCR__MAX, [BCR_KEY] = "key",
	    [BCR_PHONE] = "phone", [BCR_NAME] = "name",
	    [BCR_STATUS] = "status", [BCR_REASON] = "reason",
	    [BCR_MSG] = "message_status", [BCR_HELD] = "held") },
	[BC_PAUSE] = { "broadcasts.pause",
	    "SELECT wa_broadcast_pause($1::bigint, $2::bigint, '') AS changed",
	    2, DB_ONCE, DB_COLS(BCA__MAX, [BCA_CHANGED] = "changed") },
	[BC_RESUME] = { "broadcasts.resume",
	    "SELECT wa_broadcast_resume($1::bigint, $2::bigint) AS changed",
	    2, DB_ONCE, DB_COLS(BCA__MAX, [BCA_CHANGED] = "changed") },
	[BC_CANCEL] = { "broadcasts.cancel",
	    "SELECT wa_broadcast_cancel($1::bigint, $2::bigint) AS changed",
	    2, DB_ONCE, DB_COLS(BCA__MAX, [BCA_CHANGED] = "changed") },
	/* Broadcast $2's (customer $1's) figures per sending number. */
	[BC_NUMBERS] = { "broadcasts.numbers",
	    "SELECT coalesce(i.name, '#' || h.instance_id) AS name, "
	    "sum(h.sent) AS sent, sum(h.delivered) AS delivered, "
	    "sum(h.read) AS read, sum(h.failed) AS failed "
	    "FROM broadcasts b JOIN broadcast_hours h ON h.broadcast_id = b.id "
	    "LEFT JOIN instances i ON i.id = h.instance_id AND i.customer_id = "
	    "b.customer_id WHERE b.customer_id = $1::bigint AND b.id = "
	    "$2::bigint GROUP BY h.instance_id, i.name ORDER BY h.instance_id",
	    2, DB_RETRY, DB_COLS(BCN__MAX, [BCN_NAME] = "name",
	    [BCN_SENT] = "sent", [BCN_DELIVERED] = "delivered",
	    [BCN_READ] = "read", [BCN_FAILED] = "failed") },
	/* Its sent messages by hour (the customer's zone), the last 72. */
	[BC_HOURS] = { "broadcasts.hours",
	    "SELECT to_char(x.hour AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:00') AS hour, x.sent FROM (SELECT h.hour, "
	    "sum(h.sent) AS sent FROM broadcasts b JOIN broadcast_hours h "
	    "ON h.broadcast_id = b.id WHERE b.customer_id = $1::bigint AND "
	    "b.id = $2::bigint GROUP BY h.hour ORDER BY h.hour DESC LIMIT 72) "
	    "x JOIN users u ON u.id = $1::bigint ORDER BY x.hour", 2,
	    DB_RETRY, DB_COLS(BCH__MAX, [BCH_HOUR] = "hour",
	    [BCH_SENT] = "sent") },
};

enum { BCF_PAUSED, BCF_RESUMED, BCF_CANCELLED, BCF_UNCHANGED, BCF__MAX };

static const struct flash bc_flashes[BCF__MAX] = {
	[BCF_PAUSED] = { "broadcast_paused", N_("The broadcast is paused: no "
	    "more of its messages are sent until you resume it."), "success" },
	[BCF_RESUMED] = { "broadcast_resumed", N_("The broadcast goes on "
	    "again."), "success" },
	[BCF_CANCELLED] = { "broadcast_cancelled", N_("The broadcast is "
	    "cancelled: its unsent messages are cancelled and their quota "
	    "given back."), "success" },
	[BCF_UNCHANGED] = { "broadcast_unchanged", N_("Nothing changed: the "
	    "broadcast is no longer in a state that allows it."), "warning" },
};

static const struct i18n_key bc_strings[] = {
	T_("bc_title", "Broadcasts"),
	T_("bc_lead", "One template sent to many contacts, spread over your "
	    "numbers."),
	T_("bc_new", "New broadcast"),
	T_("bc_count", "broadcasts of at most 1,000"),
	T_("bc_col_name", "Broadcast"),
	T_("bc_col_state", "State"),
	T_("bc_col_recipients", "Recipients"),
	T_("bc_col_sent", "Sent"),
	T_("bc_col_created", "Created"),
	T_("bc_empty", "No broadcasts yet. Send a template to a list, a "
	    "segment or a tag with a new broadcast."),
	T_("bc_newest", "Newest broadcasts"),
	T_("bc_older", "Older broadcasts"),
	T_("bc_back", "All broadcasts"),
	T_("bc_progress", "Progress"),
	T_("bc_recipients", "Recipients"),
	T_("bc_skipped", "Left out"),
	T_("bc_queued", "Queued"),
	T_("bc_rate", "Rate"),
	T_("bc_per_min", "a minute"),
	T_("bc_eta", "Estimated time left"),
	T_("bc_template", "Template"),
	T_("bc_version", "version"),
	T_("bc_numbers", "Sending numbers"),
	T_("bc_start_at", "Starts at"),
	T_("bc_unknown", "Contacts with unknown status"),
	T_("bc_unknown_yes", "included"),
	T_("bc_unknown_no", "left out"),
	T_("bc_missing", "Missing values"),
	T_("bc_quiet", "Quiet hours"),
	T_("bc_quiet_where", "in each contact's time zone"),
	T_("bc_quiet_until", "Quiet hours: waits until"),
	T_("bc_paused_why", "Paused"),
	T_("bc_failed_why", "Failed"),
	T_("bc_pause", "Pause"),
	T_("bc_resume", "Resume"),
	T_("bc_cancel", "Cancel the broadcast"),
	T_("bc_cancel_q", "Cancel this broadcast? Its messages not sent yet "
	    "are cancelled and their quota given back; the ones sent stay "
	    "sent. This cannot be undone."),
	T_("bc_keep", "Keep it"),
	T_("bc_list", "Recipients"),
	T_("bc_col_contact", "Contact"),
	T_("bc_col_status", "Status"),
	T_("bc_col_reason", "Reason"),
	T_("bc_no_recipients", "No recipients yet: the audience is frozen "
	    "when the broadcast starts."),
	T_("bc_first", "First recipients"),
	T_("bc_next", "Next recipients"),
	T_("bc_csv", "Download the recipients (CSV)"),
	T_("bc_sent", "Sent"),
	T_("bc_delivered", "Delivered"),
	T_("bc_read", "Read"),
	T_("bc_failed", "Failed"),
	T_("bc_replied", "Replied"),
	T_("bc_opted_out", "Opted out"),
	T_("bc_of_sent", "of the sent"),
	T_("bc_timeline", "Sent by hour"),
	T_("bc_timeline_chart", "Messages sent each hour, your time zone."),
	T_("bc_timeline_table", "Sent by hour as a table"),
	T_("bc_hour", "Hour"),
	T_("bc_per_number", "By sending number"),
	T_("bc_number", "Number"),
};

/* A stored value and its words (English, translated when shown). */
struct bc_word {
	const char	*key;
	const char	*word;
};

/* The state's word. */
static const struct bc_word bc_states[] = {
	{ "draft", N_("Draft") },
	{ "resolving", N_("Preparing the audience") },
	{ "checking", N_("Checking the numbers are on WhatsApp") },
	{ "ready", N_("Ready") },
	{ "sending", N_("Sending") },
	{ "paused", N_("Paused") },
	{ "done", N_("Done") },
	{ "cancelled", N_("Cancelled") },
	{ "failed", N_("Failed") },
	{ NULL, NULL }
};

/* A recipient's freezing status and a skip's reason, as words. */
static const struct bc_word bc_rwords[] = {
	{ "pending", N_("waiting") },
	{ "queued", N_("queued") },
	{ "skipped", N_("left out") },
	{ "cancelled", N_("cancelled") },
	{ "unknown", N_("unknown status") },
	{ "unsubscribed", N_("unsubscribed") },
	{ "missing variable", N_("missing variable") },
	{ "not on WhatsApp", N_("not on WhatsApp") },
	{ "deleted", N_("contact deleted") },
	{ "blank message", N_("blank message") },
	{ "broadcast cancelled", N_("broadcast cancelled") },
	{ "broadcast failed", N_("broadcast failed") },
	{ NULL, NULL }
};

/* Why a broadcast paused or failed (sql/0036's codes), {1}..{4} its
 * figures; the label before says "Paused" or "Failed". */
static const struct bc_word bc_whys[] = {
	{ "failures", N_("{1} of the last {2} sends failed ({3} %, limit "
	    "{4} %)") },
	{ "rate_limit", N_("the gateway refused {1} sends in a row as too many "
	    "(rate limit, limit {2})") },
	{ "optouts", N_("{1} of {2} recipients opted out ({3} %, limit "
	    "{4} %)") },
	{ "number_down", N_("number {1} disconnected") },
	{ "quota", N_("it needs {1} messages, {2} are left this month") },
	{ "missing_variable", N_("{1} recipients miss a template variable") },
	{ "job_failed", N_("preparing or queueing it stopped again and again "
	    "and was given up") },
	{ NULL, NULL }
};

/* The missing-variable policy's word. */
static const struct bc_word bc_policies[] = {
	{ "fallback", N_("the fallback is written") },
	{ "skip", N_("the contact is skipped") },
	{ "block", N_("the broadcast stops before sending") },
	{ NULL, NULL }
};

/* s's word in table t (NULL-ended), in the reader's language; s itself
 * when the table does not know it. */
static const char *
bc_word(struct req *r, const struct bc_word *t, const char *s)
{
	for (; t->key != NULL; t++)
		if (strcmp(t->key, s) == 0)
			return req_tr(r, t->word);
	return s;
}

/* bcast_state.h: also the group page's (page_groups.c). */
const char *
bc_state_word(struct req *r, const char *s)
{
	return bc_word(r, bc_states, s);
}

/* Why broadcast res paused or failed in the reader's language, its
 * figures in place of {1}..{4}; NULL when it has no code (an older row,
 * a pause by hand: its text is shown as stored). */
static const char *
bc_why(struct req *r, PGresult *res)
{
	const char	*code = db_get(res, 0, BCG_WHY), *f, *a;
	char		 b[512];
	size_t		 n = 0, k;

	if (*code == '\0' || (f = bc_word(r, bc_whys, code)) == code)
		return NULL;
	for (; *f != '\0' && n < sizeof(b) - 1; f++) {
		if (f[0] == '{' && f[1] >= '1' && f[1] <= '4' && f[2] == '}') {
			a = db_get(res, 0, BCG_WHY1 + (f[1] - '1'));
			k = strlen(a);
			if (k > sizeof(b) - 1 - n)
				k = sizeof(b) - 1 - n;
			memcpy(b + n, a, k);
			n += k;
			f += 2;
		} else
			b[n++] = *f;
	}
	return req_strndup(r, b, n);
}

/* 1 when state s is final. */
static int
bc_final(const char *s)
{
	return strcmp(s, "done") == 0 || strcmp(s, "cancelled") == 0 ||
	    strcmp(s, "failed") == 0;
}

/* A list row as {id, name, state, state_word, recipients, sent, created}. */
static struct json_object *
bc_list_row(struct req *r, PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int			 c;

	for (c = BCL_ID; c < BCL_TOTAL; c++)
		json_object_object_add(o, bc_sql[BC_LIST].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	json_object_object_add(o, "state_word", json_object_new_string(
	    bc_state_word(r, db_get(res, i, BCL_STATE))));
	return o;
}

/* GET /broadcasts[?before=] */
static int
bc_list(struct req *r)
{
	const char		*p[2] = { r->cid, r->in[BC_IN_BEFORE].s };
	struct json_object	*v, *rows;
	PGresult		*res;
	char			 url[64];
	int			 i, n, rc;

	if ((res = db_exec(&r->app->db, &bc_sql[BC_LIST], p)) == NULL)
		return 503;
	v = json_object_new_object();
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < BC_PAGE; i++)
		json_object_array_add(rows, bc_list_row(r, res, i));
	json_object_object_add(v, "broadcasts", rows);
	json_object_object_add(v, "has_broadcasts",
	    json_object_new_boolean(n > 0));
	json_object_object_add(v, "nbroadcasts", json_object_new_int64(n > 0 ?
	    db_getll(res, 0, BCL_TOTAL) : 0));
	if (n > BC_PAGE) {
		snprintf(url, sizeof(url), "/broadcasts?before=%s",
		    db_get(res, BC_PAGE - 1, BCL_ID));
		json_object_object_add(v, "next_url",
		    json_object_new_string(url));
	}
	json_object_object_add(v, "paged", json_object_new_boolean(p[1] !=
	    NULL));
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Broadcasts")));
	json_object_object_add(v, "nav_broadcasts", json_object_new_boolean(1));
	PQclear(res);
	rc = resp_html(r, 200, "broadcasts", v);
	json_object_put(v);
	return rc;
}

/* The broadcast {id} of the customer, or NULL with *status (404). */
static PGresult *
bc_get(struct req *r, int *status)
{
	return job_get(r, &bc_sql[BC_GET], status);
}

/* Its progress as JSON: the page's view and the live.json. */
static struct json_object *
bc_progress(struct req *r, PGresult *res)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(res, 0, BCG_STATE);
	long long		 sent = db_getll(res, 0, BCG_SENT),
				 done = sent + db_getll(res, 0, BCG_FAILED),
				 total = db_getll(res, 0, BCG_RECIPIENTS),
				 elapsed = db_getll(res, 0, BCG_ELAPSED), eta;

	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "state_word", json_object_new_string(
	    bc_state_word(r, st)));
	json_object_object_add(o, "rows", json_object_new_int64(sent));
	json_object_object_add(o, "queued", json_object_new_int64(
	    db_getll(res, 0, BCG_QUEUED)));
	json_object_object_add(o, "total", json_object_new_int64(total));
	json_object_object_add(o, "skipped", json_object_new_int64(
	    db_getll(res, 0, BCG_SKIPPED)));
	json_object_object_add(o, "percent", json_object_new_int(total > 0 ?
	    (int)(done * 100 / total) : 0));
	if (elapsed > 0 && sent > 0)
		json_object_object_add(o, "rate", json_object_new_int64(
		    sent * 60 / elapsed));
	eta = job_eta(done, total, elapsed);
	if (strcmp(st, "sending") == 0 && eta >= 0)
		json_object_object_add(o, "eta_s", json_object_new_int64(eta));
	json_object_object_add(o, "over", json_object_new_boolean(
	    bc_final(st)));
	return o;
}

/* n of of as a percentage with one decimal ("" when of is 0). */
static struct json_object *
bc_pct(long long n, long long of)
{
	char	 b[32];

	if (of <= 0)
		return json_object_new_string("");
	snprintf(b, sizeof(b), "%lld.%lld", n * 100 / of, n * 1000 / of % 10);
	return json_object_new_string(b);
}

/* The counters (sql/0029) with their rates of the sent into b. */
static void
bc_figures(PGresult *res, struct json_object *b)
{
	long long	 sent = db_getll(res, 0, BCG_SENT), n, of;
	char		 key[32];
	int		 c;

	for (c = BCG_FIRST_FIGURE; c <= BCG_LAST_FIGURE; c++) {
		n = db_getll(res, 0, c);
		json_object_object_add(b, bc_sql[BC_GET].cols[c],
		    json_object_new_int64(n));
		of = c == BCG_FAILED ? sent + n : sent;
		snprintf(key, sizeof(key), "%s_pct", bc_sql[BC_GET].cols[c]);
		if (c != BCG_SENT)
			json_object_object_add(b, key, bc_pct(n, of));
	}
}

/* The sent by hour as SVG bars {x, y, w, h} of a 600 x 120 box, and
 * the hours' table rows, into v. */
static void
bc_hours_view(PGresult *res, struct json_object *v)
{
	struct json_object	*bars = json_object_new_array(), *rows, *o;
	long long		 max = 1, n;
	int			 i, k = PQntuples(res), w;

	rows = json_object_new_array();
	for (i = 0; i < k; i++)
		if ((n = db_getll(res, i, BCH_SENT)) > max)
			max = n;
	w = k > 0 ? 600 / k : 600;
	for (i = 0; i < k; i++) {
		n = db_getll(res, i, BCH_SENT);
		o = json_object_new_object();
		json_object_object_add(o, "x", json_object_new_int(i * w));
		json_object_object_add(o, "w", json_object_new_int(w > 2 ?
		    w - 1 : w));
		json_object_object_add(o, "h", json_object_new_int((int)(n *
		    120 / max)));
		json_object_object_add(o, "y", json_object_new_int(120 -
		    (int)(n * 120 / max)));
		json_object_array_add(bars, o);
		o = json_object_new_object();
		json_object_object_add(o, "hour", json_object_new_string(
		    db_get(res, i, BCH_HOUR)));
		json_object_object_add(o, "sent", json_object_new_int64(n));
		json_object_array_add(rows, o);
	}
	json_object_object_add(v, "bars", bars);
	json_object_object_add(v, "hours", rows);
	json_object_object_add(v, "has_hours", json_object_new_boolean(k > 0));
}

/* The per-number rows into v. */
static void
bc_numbers_view(PGresult *res, struct json_object *v)
{
	struct json_object	*rows = json_object_new_array(), *o;
	int			 i, c;

	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		for (c = BCN_NAME; c < BCN__MAX; c++)
			json_object_object_add(o, bc_sql[BC_NUMBERS].cols[c],
			    json_object_new_string(db_get(res, i, c)));
		json_object_array_add(rows, o);
	}
	json_object_object_add(v, "per_number", rows);
	json_object_object_add(v, "has_numbers", json_object_new_boolean(
	    PQntuples(res) > 0));
}

/* The timeline and the per-number table into v: 0, or -1. */
static int
bc_breakdown(struct req *r, struct json_object *v)
{
	const char	*p[2] = { r->cid, r->args[0] };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &bc_sql[BC_HOURS], p)) == NULL)
		return -1;
	bc_hours_view(res, v);
	PQclear(res);
	if ((res = db_exec(&r->app->db, &bc_sql[BC_NUMBERS], p)) == NULL)
		return -1;
	bc_numbers_view(res, v);
	PQclear(res);
	return 0;
}

/* The facts of the broadcast's page into b. */
static void
bc_facts(struct req *r, PGresult *res, struct json_object *b)
{
	static const int cols[] = { BCG_ID, BCG_NAME, BCG_PAUSE, BCG_FAIL,
	    BCG_CREATED, BCG_START, BCG_TEMPLATE, BCG_VERSION, BCG_NUMBERS,
	    BCG_QUIET };
	const char	*st = db_get(res, 0, BCG_STATE), *why;
	size_t		 i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		json_object_object_add(b, bc_sql[BC_GET].cols[cols[i]],
		    json_object_new_string(db_get(res, 0, cols[i])));
	if ((why = bc_why(r, res)) != NULL)
		json_object_object_add(b, bc_sql[BC_GET].cols[strcmp(st,
		    "paused") == 0 ? BCG_PAUSE : BCG_FAIL],
		    json_object_new_string(why));
	json_object_object_add(b, "include_unknown", json_object_new_boolean(
	    db_getb(res, 0, BCG_UNKNOWN)));
	json_object_object_add(b, "missing_word", json_object_new_string(
	    bc_word(r, bc_policies, db_get(res, 0, BCG_MISSING))));
	json_object_object_add(b, "can_pause", json_object_new_boolean(
	    strcmp(st, "sending") == 0 || strcmp(st, "checking") == 0));
	json_object_object_add(b, "can_resume", json_object_new_boolean(
	    strcmp(st, "paused") == 0));
	json_object_object_add(b, "can_cancel", json_object_new_boolean(
	    !bc_final(st)));
	json_object_object_add(b, "is_paused", json_object_new_boolean(
	    strcmp(st, "paused") == 0));
}

/* A recipient row as {contact, phone, name, status, status_word, reason}. */
static struct json_object *
bc_recipient(struct req *r, PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	const char		*m = db_get(res, i, BCR_MSG);
	const char		*st = *m != '\0' ? m : db_get(res, i, BCR_STATUS);

	json_object_object_add(o, "contact", json_object_new_string(
	    db_get(res, i, BCR_KEY)));
	json_object_object_add(o, "phone", json_object_new_string(
	    db_get(res, i, BCR_PHONE)));
	json_object_object_add(o, "name", json_object_new_string(
	    db_get(res, i, BCR_NAME)));
	json_object_object_add(o, "status", json_object_new_string(st));
	json_object_object_add(o, "status_word", json_object_new_string(
	    *m != '\0' ? msglist_status_word(req_lang(r), m) :
	    bc_word(r, bc_rwords, db_get(res, i, BCR_STATUS))));
	json_object_object_add(o, "reason", json_object_new_string(
	    bc_word(r, bc_rwords, db_get(res, i, BCR_REASON))));
	json_object_object_add(o, "held", json_object_new_string(
	    db_get(res, i, BCR_HELD)));
	return o;
}

/* A page of recipients after `after` into v: 0, or -1. */
static int
bc_recipients_view(struct req *r, const char *after, struct json_object *v)
{
	const char		*p[3] = { r->cid, r->args[0], after };
	struct json_object	*rows;
	PGresult		*res;
	char			 url[96];
	int			 i, n;

	if ((res = db_exec(&r->app->db, &bc_sql[BC_RECIPIENTS], p)) == NULL)
		return -1;
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < BC_PAGE; i++)
		json_object_array_add(rows, bc_recipient(r, res, i));
	json_object_object_add(v, "recipients", rows);
	json_object_object_add(v, "has_recipients",
	    json_object_new_boolean(n > 0));
	if (n > BC_PAGE) {
		snprintf(url, sizeof(url), "/broadcasts/%s?after=%s#recipients",
		    r->args[0], db_get(res, BC_PAGE - 1, BCR_KEY));
		json_object_object_add(v, "next_url",
		    json_object_new_string(url));
	}
	json_object_object_add(v, "paged", json_object_new_boolean(
	    strcmp(after, "0") != 0));
	PQclear(res);
	return 0;
}

/* GET /broadcasts/{id}[?after=], and its cancel's confirmation (tmpl). */
static int
bc_page(struct req *r, const char *tmpl)
{
	struct json_object	*v, *b, *p;
	const char		*after = "0";
	PGresult		*res;
	int			 status = 0, rc;

	if ((res = bc_get(r, &status)) == NULL)
		return status;
	v = json_object_new_object();
	b = json_object_new_object();
	p = bc_progress(r, res);
	bc_facts(r, res, b);
	bc_figures(res, p);
	if (!bc_final(db_get(res, 0, BCG_STATE)))
		json_object_object_add(v, "refresh", json_object_new_int(10));
	PQclear(res);
	json_object_object_add(b, "progress", p);
	json_object_object_add(v, "broadcast", b);
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Broadcasts")));
	json_object_object_add(v, "nav_broadcasts", json_object_new_boolean(1));
	if (r->route->ninputs > 0 && r->in[BC_IN_AFTER].s != NULL)
		after = r->in[BC_IN_AFTER].s;
	if (strcmp(tmpl, "broadcast") == 0 &&
	    (bc_recipients_view(r, after, v) == -1 ||
	    bc_breakdown(r, v) == -1)) {
		json_object_put(v);
		return 503;
	}
	rc = resp_html(r, 200, tmpl, v);
	json_object_put(v);
	return rc;
}

static int
bc_show(struct req *r)
{
	return bc_page(r, "broadcast");
}

static int
bc_cancel_ask(struct req *r)
{
	return bc_page(r, "broadcast_cancel");
}

/* GET /broadcasts/{id}/live.json */
static int
bc_live(struct req *r)
{
	struct json_object	*o;
	PGresult		*res;
	int			 status = 0;

	if ((res = bc_get(r, &status)) == NULL)
		return status;
	o = bc_progress(r, res);
	bc_figures(res, o);
	PQclear(res);
	return job_live_answer(r, o);
}

/* POST /broadcasts/{id}/pause, resume, cancel: statement s, then the
 * page with flash f (or that nothing changed); 404 when not theirs. */
static int
bc_act(struct req *r, int s, int f)
{
	const char	*p[2] = { r->cid, r->args[0] };
	PGresult	*res, *own;
	char		 loc[64];
	int		 status = 0, changed;

	if ((own = bc_get(r, &status)) == NULL)
		return status;
	PQclear(own);
	if ((res = db_exec(&r->app->db, &bc_sql[s], p)) == NULL)
		return 503;
	changed = db_getb(res, 0, BCA_CHANGED);
	PQclear(res);
	flash_set(r, &bc_flashes[changed ? f : BCF_UNCHANGED]);
	snprintf(loc, sizeof(loc), "/broadcasts/%s", r->args[0]);
	return resp_redirect(r, 303, loc);
}

static int
bc_pause(struct req *r)
{
	return bc_act(r, BC_PAUSE, BCF_PAUSED);
}

static int
bc_resume(struct req *r)
{
	return bc_act(r, BC_RESUME, BCF_RESUMED);
}

static int
bc_cancel(struct req *r)
{
	return bc_act(r, BC_CANCEL, BCF_CANCELLED);
}

/* GET /broadcasts/{id}/recipients.csv: every recipient, streamed. */
static int
bc_csv(struct req *r)
{
	static const char *const head[] = { "phone", "name", "status",
	    "reason", "message_status" };
	const char	*p[3] = { r->cid, r->args[0], NULL };
	struct csvout	 c;
	PGresult	*own;
	char		 file[64];
	int		 status = 0;

	if ((own = bc_get(r, &status)) == NULL)
		return status;
	PQclear(own);
	snprintf(file, sizeof(file), "broadcast-%s-recipients.csv",
	    r->args[0]);
	memset(&c, 0, sizeof(c));
	c.stmt = &bc_sql[BC_CSV], c.params = p, c.nparams = 3;
	c.head = head, c.ncols = 5, c.page = BC_CSV_PAGE, c.filename = file;
	return csvout_send(r, &c);
}

static const struct route bc_routes[] = {
	{ .method = METHOD_GET, .pattern = "/broadcasts",
	    .handler = bc_list, .name = "broadcasts", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(bc_in_list) },
	{ .method = METHOD_GET, .pattern = "/broadcasts/{int}",
	    .handler = bc_show, .name = "broadcast", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(bc_in_show) },
	{ .method = METHOD_GET, .pattern = "/broadcasts/{int}/live.json",
	    .handler = bc_live, .name = "broadcast_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/broadcasts/{int}/recipients.csv",
	    .handler = bc_csv, .name = "broadcast_csv", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/broadcasts/{int}/pause",
	    .handler = bc_pause, .name = "broadcast_pause",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_POST, .pattern = "/broadcasts/{int}/resume",
	    .handler = bc_resume, .name = "broadcast_resume",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_GET, .pattern = "/broadcasts/{int}/cancel",
	    .handler = bc_cancel_ask, .name = "broadcast_cancel_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/broadcasts/{int}/cancel",
	    .handler = bc_cancel, .name = "broadcast_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module broadcasts_module = {
	.name = "broadcasts",
	MODULE_ROUTES(bc_routes),
	MODULE_SQL(bc_sql),
	MODULE_STRINGS(bc_strings),
	MODULE_FLASHES(bc_flashes),
};
