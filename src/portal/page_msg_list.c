/* page_msg_list.c: the message lists' filters and keyset pages, one message's row, their statements and the words several message pages share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "page_msg.h"

/* Every status's badge word (English, N_). */
static const char *const msg_status_words[MSGST__MAX] = {
	[MSGST_QUEUED] = N_("queued"),
	[MSGST_SCHEDULED] = N_("scheduled"),
	[MSGST_SENDING] = N_("sending"),
	[MSGST_SENT] = N_("sent"),
	[MSGST_DELIVERED] = N_("delivered"),
	[MSGST_READ] = N_("read"),
	[MSGST_FAILED] = N_("failed"),
	[MSGST_CANCELLED] = N_("cancelled"),
	[MSGST_RECEIVED] = N_("received"),
};

/* The columns of the lists' statements and MSGLIST_GET. */
enum msg_col {
	MC_ID,
	MC_INST_ID,
	MC_INST_NAME,
	MC_STATUS,
	MC_PEER,
	MC_PEER_PHONE,
	MC_BODY,
	MC_LONG,
	MC_ATTEMPTS,
	MC_ERROR,
	MC_CREATED,		/* each time: local, then UTC */
	MC_CREATED_ISO,
	MC_SEND_AT,
	MC_SEND_AT_ISO,
	MC_SENT,
	MC_SENT_ISO,
	MC_DELIVERED,
	MC_DELIVERED_ISO,
	MC_READ,
	MC_READ_ISO,
	MC_FAILED,
	MC_FAILED_ISO,
	MC_CANCELLED,
	MC_CANCELLED_ISO,
	MC_RECEIVED,
	MC_RECEIVED_ISO,
	MC_DIRECTION,
	MC_TZ,
	MC_MOVING,
	MC_BCAST_ID,		/* its broadcast's, "" for none */
	MC_BCAST_NAME,
	MC__MAX
};

/* The times each row carries: the view's key, their columns, and
 * whether the live JSON carries it (the steps of an outbound message). */
static const struct msg_time {
	const char	*key;		/* and key_iso; live: key_at, key_text */
	int		 local, utc;
	int		 live;
} msg_times[] = {
	{ "created", MC_CREATED, MC_CREATED_ISO, 1 },
	{ "send_at", MC_SEND_AT, MC_SEND_AT_ISO, 0 },
	{ "sent", MC_SENT, MC_SENT_ISO, 1 },
	{ "delivered", MC_DELIVERED, MC_DELIVERED_ISO, 1 },
	{ "read", MC_READ, MC_READ_ISO, 1 },
	{ "failed", MC_FAILED, MC_FAILED_ISO, 1 },
	{ "cancelled", MC_CANCELLED, MC_CANCELLED_ISO, 1 },
	{ "received", MC_RECEIVED, MC_RECEIVED_ISO, 0 },
};
#define MSG_NTIMES	(sizeof(msg_times) / sizeof(msg_times[0]))

/* A time in the customer's zone for the page, to the second (the steps
 * of a message often share a minute), and in UTC for <time>. */
#define MSG_TIME(c, name) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI:SS'), '') AS " name ", coalesce(to_char(" c \
	" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS " \
	name "_iso, "
/*
 * A message still waiting for its next step, which its pages watch:
 * queued or sending, or sent or delivered in the last ten minutes (a
 * read receipt may never come: the phone is off, or receipts are off).
 */
#define MSG_MOVING \
	"(m.status IN ('queued', 'sending') OR (m.status IN ('sent', " \
	"'delivered') AND coalesce(m.delivered_at, m.sent_at) > " \
	"wa_now() - interval '10 minutes'))"
/* The columns msglist_row reads (enum msg_col); lists show 120 code
 * points of the text, the detail page all of it. */
#define MSG_COLS(body) \
	"SELECT m.id, coalesce(m.instance_id::text, '') AS instance_id, " \
	"coalesce(i.name, '') AS instance, " \
	"m.status, m.peer, m.peer_phone, " body " AS body, " \
	"length(m.body) > 120 AS text_long, " \
	"m.attempts, m.last_error, " MSG_TIME("m.created_at", "created") \
	MSG_TIME("m.send_at", "send_at") MSG_TIME("m.sent_at", "sent") \
	MSG_TIME("m.delivered_at", "delivered") \
	MSG_TIME("m.read_at", "read") MSG_TIME("m.failed_at", "failed") \
	MSG_TIME("m.cancelled_at", "cancelled") \
	MSG_TIME("m.received_at", "received") "m.direction, u.time_zone, " \
	MSG_MOVING " AS moving, " \
	"coalesce(m.broadcast_id::text, '') AS broadcast_id, " \
	"coalesce(b.name, '') AS broadcast " \
	"FROM messages m JOIN users u ON u.id = m.customer_id " \
	"LEFT JOIN instances i ON i.id = m.instance_id " \
	"AND i.customer_id = m.customer_id " \
	"LEFT JOIN broadcasts b ON b.id = m.broadcast_id " \
	"AND b.customer_id = m.customer_id "
/* The moment a list's date range applies to. */
#define MSG_LIST_AT \
	"(CASE WHEN m.status = 'scheduled' THEN m.send_at " \
	"WHEN m.direction = 'in' THEN coalesce(m.received_at, m.created_at) " \
	"ELSE m.created_at END)"
/*
 * $1 customer, $2 statuses ('{a,b}'), $3 instance or NULL, $4 and $5
 * the first and last day (in the customer's zone) or NULL, $6 cursor.
 */
#define MSG_LIST_WHERE \
	"WHERE m.customer_id = $1::bigint AND m.status = ANY ($2::text[]) " \
	"AND ($3::bigint IS NULL OR m.instance_id = $3::bigint) " \
	"AND ($4::date IS NULL OR " MSG_LIST_AT " >= " \
	"($4::date::timestamp AT TIME ZONE u.time_zone)) " \
	"AND ($5::date IS NULL OR " MSG_LIST_AT " < " \
	"(($5::date + 1)::timestamp AT TIME ZONE u.time_zone)) "
#define MSG_COL_NAMES \
	[MC_ID] = "id", [MC_INST_ID] = "instance_id", \
	[MC_INST_NAME] = "instance", [MC_STATUS] = "status", \
	[MC_PEER] = "peer", [MC_PEER_PHONE] = "peer_phone", \
	[MC_BODY] = "body", [MC_LONG] = "text_long", \
	[MC_ATTEMPTS] = "attempts", [MC_ERROR] = "last_error", \
	[MC_CREATED] = "created", [MC_CREATED_ISO] = "created_iso", \
	[MC_SEND_AT] = "send_at", [MC_SEND_AT_ISO] = "send_at_iso", \
	[MC_SENT] = "sent", [MC_SENT_ISO] = "sent_iso", \
	[MC_DELIVERED] = "delivered", [MC_DELIVERED_ISO] = "delivered_iso", \
	[MC_READ] = "read", [MC_READ_ISO] = "read_iso", \
	[MC_FAILED] = "failed", [MC_FAILED_ISO] = "failed_iso", \
	[MC_CANCELLED] = "cancelled", [MC_CANCELLED_ISO] = "cancelled_iso", \
	[MC_RECEIVED] = "received", [MC_RECEIVED_ISO] = "received_iso", \
	[MC_DIRECTION] = "direction", [MC_TZ] = "time_zone", \
	[MC_MOVING] = "moving", [MC_BCAST_ID] = "broadcast_id", \
	[MC_BCAST_NAME] = "broadcast"

enum {
	MSGLIST_OLDER,
	MSGLIST_NEWER,
	MSGLIST_GET,
	MSGLIST_LIVE,
	MSGLIST_NEWER_COUNT,
	MSGLIST__MAX
};

/* The column of msg_list.newer_count. */
enum { MNC_N, MNC__MAX };

static const struct stmt msglist_sql[MSGLIST__MAX] = {
	/* One page (MSGLIST_PAGE) and one row more, newest first, older
	 * than $6 if set. */
	[MSGLIST_OLDER] = { "msg_list.older",
	    MSG_COLS("left(m.body, 120)") MSG_LIST_WHERE
	    "AND ($6::bigint IS NULL OR m.id < $6::bigint) "
	    "ORDER BY m.id DESC LIMIT 51", 6, DB_RETRY,
	    DB_COLS(MC__MAX, MSG_COL_NAMES) },
	/* The page just newer than $6, oldest first (the caller turns it). */
	[MSGLIST_NEWER] = { "msg_list.newer",
	    MSG_COLS("left(m.body, 120)") MSG_LIST_WHERE
	    "AND m.id > $6::bigint ORDER BY m.id ASC LIMIT 51", 6, DB_RETRY,
	    DB_COLS(MC__MAX, MSG_COL_NAMES) },
	/* One message $1 of customer $2, with its whole text. */
	[MSGLIST_GET] = { "msg_list.get",
	    MSG_COLS("m.body") "WHERE m.id = $1::bigint "
	    "AND m.customer_id = $2::bigint", 2, DB_RETRY,
	    DB_COLS(MC__MAX, MSG_COL_NAMES) },
	/* The messages $2 ('{1,2}') of customer $1, whatever their status
	 * now, newest first: a live page's rows, without their text. */
	[MSGLIST_LIVE] = { "msg_list.live",
	    MSG_COLS("''::text") "WHERE m.customer_id = $1::bigint "
	    "AND m.id = ANY ($2::bigint[]) ORDER BY m.id DESC", 2, DB_RETRY,
	    DB_COLS(MC__MAX, MSG_COL_NAMES) },
	/* How many rows a first page's filter matches newer than $6, up to
	 * MSGLIST_NEWER_MAX. */
	[MSGLIST_NEWER_COUNT] = { "msg_list.newer_count",
	    "SELECT count(*) AS n FROM (SELECT 1 FROM messages m "
	    "JOIN users u ON u.id = m.customer_id " MSG_LIST_WHERE
	    "AND m.id > $6::bigint LIMIT 100) x", 6, DB_RETRY,
	    DB_COLS(MNC__MAX, [MNC_N] = "n") },
};

#undef MSG_TIME
#undef MSG_MOVING
#undef MSG_COLS
#undef MSG_LIST_AT
#undef MSG_LIST_WHERE
#undef MSG_COL_NAMES

/* The strings several message templates share (messages, msg_detail,
 * msg_confirm). */
static const struct i18n_key msg_list_strings[] = {
	T_("mp_col_number", "Your number"),
	T_("mp_col_status", "Status"),
	T_("mp_t_send_at", "Send at"),
	T_("mp_cancel_msg", "Cancel message"),
	T_("mp_back", "Back to the list"),
	T_("mp_broadcast", "Broadcast"),
};

/* The statements for the check; the message pages call in. */
const struct module msg_list_module = {
	.name = "msg_list",
	MODULE_SQL(msglist_sql),
	MODULE_STRINGS(msg_list_strings),
};

static int	msglist_tab_has(enum msg_tab, const char *);

/* The badge word of a status, or the status itself if unknown. */
const char *
msglist_status_word(enum lang l, const char *status)
{
	enum msg_status	 st = valid_message_status(status, strlen(status));

	return st == MSGST__MAX ? status : i18n_tr(l, msg_status_words[st]);
}

/* The tab that lists a message of this status. */
enum msg_tab
msglist_tab_of(const char *status)
{
	enum msg_tab	 t;

	for (t = 0; t < MSGTAB__MAX; t++)
		if (msglist_tab_has(t, status))
			return t;
	return MSGTAB_SENT;
}

/* A filter's cleaned value, or NULL when absent, empty or undeclared. */
static const char *
msglist_arg(struct req *r, enum msglist_in i)
{
	const struct field	*f = msglist_input(r, i);

	return f != NULL ? f->s : NULL;
}

/* 1 when status is one the tab lists. */
static int
msglist_tab_has(enum msg_tab tab, const char *status)
{
	const char *const	*s;

	for (s = msg_tabs[tab].statuses; *s != NULL; s++)
		if (strcmp(*s, status) == 0)
			return 1;
	return 0;
}

/*
 * Read the list's filters and cursor from the checked query. Returns 0,
 * or 400 for a status the tab does not list or two cursors at once.
 */
int
msglist_filter_read(struct req *r, enum msg_tab tab, struct msglist_filter *f)
{
	const char *const	*s;
	struct buf		 b = BUF_INIT;

	memset(f, 0, sizeof(*f));
	f->tab = tab;
	f->instance = msglist_arg(r, MSGLIST_IN_INSTANCE);
	f->status = msglist_arg(r, MSGLIST_IN_STATUS);
	f->from = msglist_arg(r, MSGLIST_IN_FROM);
	f->to = msglist_arg(r, MSGLIST_IN_TO);
	f->before = msglist_arg(r, MSGLIST_IN_BEFORE);
	f->after = msglist_arg(r, MSGLIST_IN_AFTER);
	if ((f->status != NULL && !msglist_tab_has(tab, f->status)) ||
	    (f->before != NULL && f->after != NULL))
		return 400;
	/* YYYY-MM-DD compares as text. */
	f->bad_range = f->from != NULL && f->to != NULL &&
	    strcmp(f->from, f->to) > 0;
	buf_putc(&b, '{');
	for (s = msg_tabs[tab].statuses; *s != NULL; s++)
		if (f->status == NULL || strcmp(*s, f->status) == 0)
			buf_printf(&b, "%s%s", b.len > 1 ? "," : "", *s);
	buf_putc(&b, '}');
	snprintf(f->statuses, sizeof(f->statuses), "%s", buf_str(&b));
	buf_free(&b);
	return 0;
}

/*
 * Run statement which of the lists with the filter f's five parameters
 * (customer, statuses, instance, from, to) and last as the sixth.
 */
static PGresult *
msglist_query(struct req *r, const struct msglist_filter *f, int which,
    const char *last)
{
	char		 cid[24];
	const char	*params[6];

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	params[0] = cid;
	params[1] = f->statuses;
	params[2] = f->instance;
	params[3] = f->from;
	params[4] = f->to;
	params[5] = last;
	return db_exec(&r->app->db, &msglist_sql[which], params);
}

/*
 * One page of the list and one row more (to know whether there are
 * more): newest first, or, after a "newer" cursor, oldest first. The
 * caller PQclear()s it; NULL when the database failed.
 */
PGresult *
msglist_fetch(struct req *r, const struct msglist_filter *f)
{
	return msglist_query(r, f, f->after != NULL ? MSGLIST_NEWER :
	    MSGLIST_OLDER, f->after != NULL ? f->after : f->before);
}

/*
 * The customer's message the path's id names, with its whole text; the
 * caller PQclear()s it. NULL with *status 404 (none of theirs) or 503.
 */
PGresult *
msglist_get(struct req *r, int *status)
{
	return req_owned(r, &msglist_sql[MSGLIST_GET], status);
}

static void
msglist_add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

/* Column c of row as a string member key of o. */
static void
msglist_col(struct json_object *o, const char *key, PGresult *res, int row,
    int c)
{
	msglist_add_str(o, key, db_get(res, row, c));
}

/*
 * The row's times: "sent" (local, to the second), "sent_min" (the same
 * to the minute, where the order does not matter: the Scheduled tab)
 * and "sent_iso" (UTC), "" if none.
 */
static void
msglist_row_times(struct json_object *o, PGresult *res, int row)
{
	char		 key[32];
	const char	*local;
	size_t		 t;

	for (t = 0; t < MSG_NTIMES; t++) {
		local = db_get(res, row, msg_times[t].local);
		msglist_add_str(o, msg_times[t].key, local);
		snprintf(key, sizeof(key), "%s_min", msg_times[t].key);
		/* "YYYY-MM-DD HH:MM" of "YYYY-MM-DD HH:MM:SS" */
		json_object_object_add(o, key, json_object_new_string_len(local,
		    (int)(strlen(local) > 16 ? 16 : strlen(local))));
		snprintf(key, sizeof(key), "%s_iso", msg_times[t].key);
		msglist_col(o, key, res, row, msg_times[t].utc);
	}
}

/*
 * The row's "error": last_error as stored, but the suppression's reason
 * (wa_message_suppress: 'unsubscribed') in the reader's words.
 */
static void
msglist_error(struct req *r, struct json_object *o, PGresult *res, int row)
{
	if (strcmp(db_get(res, row, MC_STATUS), "cancelled") == 0 &&
	    strcmp(db_get(res, row, MC_ERROR), "unsubscribed") == 0)
		msglist_add_str(o, "error", req_tr(r, N_("Cancelled: the "
		    "recipient unsubscribed.")));
	else
		msglist_col(o, "error", res, row, MC_ERROR);
}

/*
 * One message row of a list or the detail page for the templates; the
 * caller owns it. "peer" is the E.164 number, or the sender's opaque
 * JID when it holds none.
 */
struct json_object *
msglist_row(struct req *r, PGresult *res, int row)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(res, row, MC_STATUS);
	const char		*phone = db_get(res, row, MC_PEER_PHONE);
	int			 out;

	out = strcmp(db_get(res, row, MC_DIRECTION), "out") == 0;
	msglist_col(o, "id", res, row, MC_ID);
	msglist_col(o, "instance_id", res, row, MC_INST_ID);
	msglist_col(o, "instance", res, row, MC_INST_NAME);
	msglist_col(o, "status", res, row, MC_STATUS);
	msglist_add_str(o, "status_word", msglist_status_word(req_lang(r), st));
	msglist_add_str(o, "peer", *phone != '\0' ? phone :
	    db_get(res, row, MC_PEER));
	json_object_object_add(o, "peer_is_jid", json_object_new_boolean(
	    *phone == '\0'));
	msglist_col(o, "text", res, row, MC_BODY);
	json_object_object_add(o, "text_long", json_object_new_boolean(
	    db_getb(res, row, MC_LONG)));
	json_object_object_add(o, "attempts", json_object_new_int(
	    db_geti(res, row, MC_ATTEMPTS)));
	msglist_error(r, o, res, row);
	msglist_row_times(o, res, row);
	json_object_object_add(o, "outbound", json_object_new_boolean(out));
	json_object_object_add(o, "cancellable", json_object_new_boolean(
	    strcmp(st, "queued") == 0 || strcmp(st, "scheduled") == 0));
	json_object_object_add(o, "instance_gone", json_object_new_boolean(
	    *db_get(res, row, MC_INST_ID) == '\0'));
	msglist_col(o, "tz", res, row, MC_TZ);
	json_object_object_add(o, "moving", json_object_new_boolean(
	    db_getb(res, row, MC_MOVING)));
	msglist_col(o, "broadcast_id", res, row, MC_BCAST_ID);
	msglist_col(o, "broadcast", res, row, MC_BCAST_NAME);
	return o;
}

/* 1 when the row's message still waits for its next step (MSG_MOVING). */
int
msglist_moving(PGresult *res, int row)
{
	return db_getb(res, row, MC_MOVING);
}

/*
 * The customer's messages whose ids are the SQL array ids ("{1,2}"),
 * newest first, without their text; the caller PQclear()s it. NULL
 * when the database failed.
 */
PGresult *
msglist_live(struct req *r, const char *ids)
{
	char		 cid[24];
	const char	*params[2] = { cid, ids };

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	return db_exec(&r->app->db, &msglist_sql[MSGLIST_LIVE], params);
}

/*
 * How many rows the filter f matches that are newer than the id since,
 * at most MSGLIST_NEWER_MAX; -1 when the database failed.
 */
int
msglist_newer(struct req *r, const struct msglist_filter *f,
    const char *since)
{
	PGresult	*res;
	int		 n;

	if (f->bad_range)
		return 0;
	if ((res = msglist_query(r, f, MSGLIST_NEWER_COUNT, since)) == NULL)
		return -1;
	n = PQntuples(res) == 1 ? db_geti(res, 0, MNC_N) : 0;
	PQclear(res);
	return n;
}

/* A live time: key_at (UTC) and key_text (the customer's zone), or nulls. */
static void
msglist_live_time(struct json_object *o, const struct msg_time *t,
    PGresult *res, int row)
{
	char		 key[32];
	const char	*iso = db_get(res, row, t->utc);
	int		 set = *iso != '\0';

	snprintf(key, sizeof(key), "%s_at", t->key);
	json_object_object_add(o, key, set ? json_object_new_string(iso) :
	    NULL);
	snprintf(key, sizeof(key), "%s_text", t->key);
	json_object_object_add(o, key, set ? json_object_new_string(
	    db_get(res, row, t->local)) : NULL);
}

/*
 * One row of a live list's JSON: {id, status, status_word, attempts,
 * error, cancellable, moving} and each step's *_at and *_text. No text,
 * number or peer: the page has them.
 */
struct json_object *
msglist_live_row(struct req *r, PGresult *res, int row)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(res, row, MC_STATUS);
	size_t			 t;

	json_object_object_add(o, "id", json_object_new_int64(
	    db_getll(res, row, MC_ID)));
	msglist_add_str(o, "status", st);
	msglist_add_str(o, "status_word", msglist_status_word(req_lang(r), st));
	json_object_object_add(o, "attempts", json_object_new_int(
	    db_geti(res, row, MC_ATTEMPTS)));
	msglist_error(r, o, res, row);
	json_object_object_add(o, "cancellable", json_object_new_boolean(
	    strcmp(st, "queued") == 0 || strcmp(st, "scheduled") == 0));
	json_object_object_add(o, "moving", json_object_new_boolean(
	    db_getb(res, row, MC_MOVING)));
	for (t = 0; t < MSG_NTIMES; t++)
		if (msg_times[t].live)
			msglist_live_time(o, &msg_times[t], res, row);
	return o;
}

/* The status of a row of the lists or msglist_get. */
const char *
msglist_status(PGresult *res, int row)
{
	return db_get(res, row, MC_STATUS);
}

/* 1 when the row is an outbound message. */
int
msglist_outbound(PGresult *res, int row)
{
	return strcmp(db_get(res, row, MC_DIRECTION), "out") == 0;
}

/* "key=value&" of a set filter, URL-encoded. */
static void
msglist_url_arg(struct buf *b, const char *key, const char *val)
{
	if (val == NULL)
		return;
	buf_printf(b, "%s=", key);
	html_url_arg(b, val, strlen(val));
	buf_putc(b, '&');
}

/*
 * The list's URL with its filters and, when cursor is not NULL, the
 * cursor key=id; the caller frees it.
 */
static char *
msglist_url(const struct msglist_filter *f, const char *cursor,
    const char *id)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s?", msg_tabs[f->tab].path);
	msglist_url_arg(&b, "instance", f->instance);
	msglist_url_arg(&b, "status", f->status);
	msglist_url_arg(&b, "from", f->from);
	msglist_url_arg(&b, "to", f->to);
	if (cursor != NULL)
		msglist_url_arg(&b, cursor, id);
	b.data[--b.len] = '\0';		/* the last '&' or a lone '?' */
	return buf_steal(&b);
}

static void
msglist_add_url(struct json_object *v, const char *key, char *url)
{
	msglist_add_str(v, key, url);
	free(url);
}

/*
 * The "Newer" and "Older" links. After a "newer" cursor there is always
 * an older page (the cursor's row), and a newer one when the fetch
 * found more than a page; otherwise the reverse. A page left empty by
 * a cursor links back to the first page.
 */
static void
msglist_pager(const struct msglist_filter *f, int n, const char *first,
    const char *last, struct json_object *v)
{
	int	 more = n > MSGLIST_PAGE, older, newer;

	older = f->after != NULL ? 1 : more;
	newer = f->after != NULL ? more : f->before != NULL;
	if (n == 0) {
		if (f->before == NULL && f->after == NULL)
			return;
		msglist_add_url(v, "newer_url", msglist_url(f, NULL, NULL));
		json_object_object_add(v, "has_pager",
		    json_object_new_boolean(1));
		return;
	}
	if (newer)
		msglist_add_url(v, "newer_url", msglist_url(f, "after", first));
	if (older)
		msglist_add_url(v, "older_url", msglist_url(f, "before", last));
	if (newer || older)
		json_object_object_add(v, "has_pager",
		    json_object_new_boolean(1));
}

/*
 * Add the fetched page to the view: "rows" newest first (at most a
 * page; res may be NULL for none), the pager links and "filtered".
 */
void
msglist_view(struct req *r, const struct msglist_filter *f, PGresult *res,
    struct json_object *v)
{
	struct json_object	*rows = json_object_new_array();
	int			 n = res != NULL ? PQntuples(res) : 0;
	int			 shown = n > MSGLIST_PAGE ? MSGLIST_PAGE : n, i;
	const char		*first = NULL, *last = NULL;

	for (i = 0; i < shown; i++)
		json_object_array_add(rows, msglist_row(r, res,
		    f->after != NULL ? shown - 1 - i : i));
	if (shown > 0 && f->after != NULL) {
		first = db_get(res, shown - 1, MC_ID);
		last = db_get(res, 0, MC_ID);
	} else if (shown > 0) {
		first = db_get(res, 0, MC_ID);
		last = db_get(res, shown - 1, MC_ID);
	}
	json_object_object_add(v, "rows", rows);
	msglist_pager(f, n, first, last, v);
	json_object_object_add(v, "filtered", json_object_new_boolean(
	    f->instance != NULL || f->status != NULL || f->from != NULL ||
	    f->to != NULL));
}

/*
 * Add what a live tab's page needs to poll its rows (docs/live.md):
 * "live_url" (the tab's live.json with the filters, the ids shown and,
 * on a first page, the newest of them as since), "page_url" (this
 * page, to reload it), "first_url" on a first page, "poll" and
 * "moving" (a row still moves). Call after msglist_view.
 */
void
msglist_live_view(const struct msglist_filter *f, struct json_object *v)
{
	struct json_object	*rows = json_object_object_get(v, "rows");
	struct json_object	*row;
	struct buf		 b = BUF_INIT, ids = BUF_INIT;
	const char		*since = "0";
	int			 first = f->before == NULL && f->after == NULL;
	int			 moving = 0;
	size_t			 i, n = json_object_array_length(rows);
	char			*url;

	for (i = 0; i < n; i++) {
		row = json_object_array_get_idx(rows, i);
		buf_printf(&ids, "%s%s", i > 0 ? "," : "",
		    json_object_get_string(json_object_object_get(row, "id")));
		moving |= json_object_get_boolean(json_object_object_get(row,
		    "moving"));
	}
	if (n > 0)
		since = json_object_get_string(json_object_object_get(
		    json_object_array_get_idx(rows, 0), "id"));
	msglist_add_url(v, "page_url", f->before != NULL ?
	    msglist_url(f, "before", f->before) : f->after != NULL ?
	    msglist_url(f, "after", f->after) : msglist_url(f, NULL, NULL));
	url = msglist_url(f, NULL, NULL);
	buf_printf(&b, "%s/live.json?", msg_tabs[f->tab].path);
	/* The filters, as msglist_url wrote them after its '?'. */
	if (strchr(url, '?') != NULL)
		buf_printf(&b, "%s&", strchr(url, '?') + 1);
	/* Digits and commas: nothing to encode. */
	if (n > 0)
		buf_printf(&b, "ids=%s&", buf_str(&ids));
	if (first)
		buf_printf(&b, "since=%s&", since);
	b.data[--b.len] = '\0';
	msglist_add_str(v, "live_url", buf_str(&b));
	if (first)
		msglist_add_url(v, "first_url", url);
	else
		free(url);
	json_object_object_add(v, "poll", json_object_new_int(
	    MSGLIST_POLL_SECS));
	json_object_object_add(v, "moving", json_object_new_boolean(moving));
	buf_free(&b);
	buf_free(&ids);
}
