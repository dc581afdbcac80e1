/* page_msg_list.c: the message lists' tabs, filters and keyset pages and their rows for the templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db_stmt.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/req.h"
#include "page_msg.h"

const struct msg_tab_def msg_tabs[MSGTAB__MAX] = {
	[MSGTAB_QUEUE] = { "/whatsapp/queue", "tab_queue", MSG_MP_TAB_QUEUE,
	    MSG_MP_QUEUE_LEAD, MSG_MP_QUEUE_EMPTY,
	    { "queued", "sending", NULL } },
	/* Everything that left the queue for good, cancelled included. */
	[MSGTAB_SENT] = { "/whatsapp/sent", "tab_sent", MSG_MP_TAB_SENT,
	    MSG_MP_SENT_LEAD, MSG_MP_SENT_EMPTY,
	    { "sent", "delivered", "read", "failed", "cancelled", NULL } },
	[MSGTAB_RECEIVED] = { "/whatsapp/received", "tab_received",
	    MSG_MP_TAB_RECEIVED, MSG_MP_RECEIVED_LEAD, MSG_MP_RECEIVED_EMPTY,
	    { "received", NULL } },
	[MSGTAB_SCHEDULED] = { "/whatsapp/scheduled", "tab_scheduled",
	    MSG_MP_TAB_SCHEDULED, MSG_MP_SCHEDULED_LEAD, MSG_MP_SCHEDULED_EMPTY,
	    { "scheduled", NULL } },
};

/* Every status (sql/0006_messages.sql) and its badge word. */
static const struct msg_status_word {
	const char	*status;
	enum msg	 word;
} msg_status_words[] = {
	{ "queued", MSG_MP_ST_QUEUED },
	{ "scheduled", MSG_MP_ST_SCHEDULED },
	{ "sending", MSG_MP_ST_SENDING },
	{ "sent", MSG_MP_ST_SENT },
	{ "delivered", MSG_MP_ST_DELIVERED },
	{ "read", MSG_MP_ST_READ },
	{ "failed", MSG_MP_ST_FAILED },
	{ "cancelled", MSG_MP_ST_CANCELLED },
	{ "received", MSG_MP_ST_RECEIVED },
};
#define MSG_NSTATUS	(sizeof(msg_status_words) / sizeof(msg_status_words[0]))

/* The columns of LEGACY(STMT_MSG_LIST_)* and LEGACY(STMT_MSG_GET) (db_stmt.c). */
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
	MC_TIMES,		/* MSG_NTIMES pairs: local, then UTC */
	MC_DIRECTION = MC_TIMES + 16,
	MC_TZ
};

/* The times each row carries, in MC_TIMES order. */
static const char *const msg_times[] = { "created", "send_at", "sent",
    "delivered", "read", "failed", "cancelled", "received" };
#define MSG_NTIMES	(sizeof(msg_times) / sizeof(msg_times[0]))

static int	msglist_tab_has(enum msg_tab, const char *);

/* The badge word of a status, or the status itself if unknown. */
const char *
msglist_status_word(enum lang l, const char *status)
{
	size_t	 i;

	for (i = 0; i < MSG_NSTATUS; i++)
		if (strcmp(status, msg_status_words[i].status) == 0)
			return i18n_text(l, msg_status_words[i].word);
	return status;
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

/* A known status word, or "". */
int
msglist_valid_status(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 1;
	for (i = 0; i < MSG_NSTATUS; i++)
		if (strlen(msg_status_words[i].status) == n &&
		    memcmp(msg_status_words[i].status, s, n) == 0)
			return 1;
	return 0;
}

/* A filter's value, or NULL when absent or empty. */
static const char *
msglist_arg(struct req *r, enum key k)
{
	const struct field	*f = r->fields[k];

	return f != NULL && f->n > 0 ? f->s : NULL;
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
	f->instance = msglist_arg(r, KEY_MSG_F_INSTANCE);
	f->status = msglist_arg(r, KEY_MSG_F_STATUS);
	f->from = msglist_arg(r, KEY_MSG_F_FROM);
	f->to = msglist_arg(r, KEY_MSG_F_TO);
	f->before = msglist_arg(r, KEY_MSG_BEFORE);
	f->after = msglist_arg(r, KEY_MSG_AFTER);
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
 * One page of the list and one row more (to know whether there are
 * more): newest first, or, after a "newer" cursor, oldest first. The
 * caller PQclear()s it; NULL when the database failed.
 */
PGresult *
msglist_fetch(struct req *r, const struct msglist_filter *f)
{
	char		 cid[24];
	const char	*params[6];

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	params[0] = cid;
	params[1] = f->statuses;
	params[2] = f->instance;
	params[3] = f->from;
	params[4] = f->to;
	params[5] = f->after != NULL ? f->after : f->before;
	return db_exec(&r->app->db, f->after != NULL ? LEGACY(STMT_MSG_LIST_NEWER) :
	    LEGACY(STMT_MSG_LIST_OLDER), params);
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
	msglist_add_str(o, key, PQgetvalue(res, row, c));
}

/* The row's times: "sent" (local) and "sent_iso" (UTC), "" if none. */
static void
msglist_row_times(struct json_object *o, PGresult *res, int row)
{
	char	 key[32];
	size_t	 t;

	for (t = 0; t < MSG_NTIMES; t++) {
		msglist_col(o, msg_times[t], res, row, MC_TIMES + 2 * (int)t);
		snprintf(key, sizeof(key), "%s_iso", msg_times[t]);
		msglist_col(o, key, res, row, MC_TIMES + 2 * (int)t + 1);
	}
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
	const char		*st = PQgetvalue(res, row, MC_STATUS);
	const char		*phone = PQgetvalue(res, row, MC_PEER_PHONE);
	int			 out;

	out = strcmp(PQgetvalue(res, row, MC_DIRECTION), "out") == 0;
	msglist_col(o, "id", res, row, MC_ID);
	msglist_col(o, "instance_id", res, row, MC_INST_ID);
	msglist_col(o, "instance", res, row, MC_INST_NAME);
	msglist_col(o, "status", res, row, MC_STATUS);
	msglist_add_str(o, "status_word", msglist_status_word(req_lang(r), st));
	msglist_add_str(o, "peer", *phone != '\0' ? phone :
	    PQgetvalue(res, row, MC_PEER));
	json_object_object_add(o, "peer_is_jid", json_object_new_boolean(
	    *phone == '\0'));
	msglist_col(o, "text", res, row, MC_BODY);
	json_object_object_add(o, "text_long", json_object_new_boolean(
	    *PQgetvalue(res, row, MC_LONG) == 't'));
	json_object_object_add(o, "attempts", json_object_new_int(
	    atoi(PQgetvalue(res, row, MC_ATTEMPTS))));
	msglist_col(o, "error", res, row, MC_ERROR);
	msglist_row_times(o, res, row);
	json_object_object_add(o, "outbound", json_object_new_boolean(out));
	json_object_object_add(o, "cancellable", json_object_new_boolean(
	    strcmp(st, "queued") == 0 || strcmp(st, "scheduled") == 0));
	json_object_object_add(o, "instance_gone", json_object_new_boolean(
	    *PQgetvalue(res, row, MC_INST_ID) == '\0'));
	msglist_col(o, "tz", res, row, MC_TZ);
	return o;
}

/* The status of a row of LEGACY(STMT_MSG_LIST_)* or LEGACY(STMT_MSG_GET). */
const char *
msglist_status(PGresult *res, int row)
{
	return PQgetvalue(res, row, MC_STATUS);
}

/* 1 when the row is an outbound message. */
int
msglist_outbound(PGresult *res, int row)
{
	return strcmp(PQgetvalue(res, row, MC_DIRECTION), "out") == 0;
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
		first = PQgetvalue(res, shown - 1, MC_ID);
		last = PQgetvalue(res, 0, MC_ID);
	} else if (shown > 0) {
		first = PQgetvalue(res, 0, MC_ID);
		last = PQgetvalue(res, shown - 1, MC_ID);
	}
	json_object_object_add(v, "rows", rows);
	msglist_pager(f, n, first, last, v);
	json_object_object_add(v, "filtered", json_object_new_boolean(
	    f->instance != NULL || f->status != NULL || f->from != NULL ||
	    f->to != NULL));
}
