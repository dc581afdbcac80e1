/* page_msg.h: the message pages' tabs, list filters, keyset cursor and input rules, shared by their handlers. */
#ifndef WA_PAGE_MSG_H
#define WA_PAGE_MSG_H

#include <stddef.h>

#include <libpq-fe.h>

#include "web/i18n.h"
#include "web/input.h"

/* Rows per page; the lists' statements fetch one more (LIMIT 51) and
 * show the first 120 code points of each text. */
#define MSGLIST_PAGE		50
/* The live lists (docs/live.md): the script polls every MSGLIST_POLL_SECS,
 * without it a page reloads every MSGLIST_REFRESH_SECS while a row moves;
 * the count of newer rows stops at MSGLIST_NEWER_MAX. */
#define MSGLIST_POLL_SECS	5
#define MSGLIST_REFRESH_SECS	10
#define MSGLIST_NEWER_MAX	100

struct req;
struct buf;
struct json_object;

/* The WhatsApp page's message tabs (the instances tab is page_instances.c). */
enum msg_tab {
	MSGTAB_QUEUE,
	MSGTAB_SENT,
	MSGTAB_RECEIVED,
	MSGTAB_SCHEDULED,
	MSGTAB__MAX
};

struct msg_tab_def {
	const char		*path;	/* "/whatsapp/queue" */
	const char		*flag;	/* the view's "tab_queue" */
	const struct i18n_key	*title;	/* page_messages.c's string */
	const char		*lead, *empty;	/* English (N_) */
	const char		*statuses[6];	/* it lists; NULL ends */
	int			 live;	/* its rows move: {path}/live.json */
};

extern const struct msg_tab_def msg_tabs[MSGTAB__MAX];

/*
 * The inputs of the lists (page_msg_valid.c): a notice, the filters and
 * the cursor; the live lists' JSON also the ids a page shows and the
 * newest id of a first page. The list tabs declare them up to the
 * cursor, the detail page the first only. An empty filter or cursor is
 * none (its field's s is NULL); a bad one is a 400.
 */
enum msglist_in {
	MSGLIST_IN_DONE,
	MSGLIST_IN_INSTANCE,
	MSGLIST_IN_STATUS,
	MSGLIST_IN_FROM,
	MSGLIST_IN_TO,
	MSGLIST_IN_BEFORE,
	MSGLIST_IN_AFTER,
	MSGLIST_IN_IDS,		/* "1,2,3", cleaned to the SQL array "{1,2,3}" */
	MSGLIST_IN_SINCE,	/* 0 or an id */
	MSGLIST_IN__MAX
};

extern const struct input msglist_in[MSGLIST_IN__MAX];

const struct field *msglist_input(const struct req *, enum msglist_in);

/* A list request: the tab, its checked filters and the cursor. */
struct msglist_filter {
	enum msg_tab	 tab;
	const char	*instance;	/* an id, or NULL: every instance */
	const char	*status;	/* one of the tab's, or NULL: all */
	const char	*from, *to;	/* YYYY-MM-DD in the customer's zone */
	const char	*before;	/* older than this id */
	const char	*after;		/* newer than this id */
	int		 bad_range;	/* from is after to: nothing listed */
	char		 statuses[96];	/* the SQL array '{a,b}' */
};

int	 msglist_filter_read(struct req *, enum msg_tab,
	    struct msglist_filter *);
PGresult *msglist_fetch(struct req *, const struct msglist_filter *);
PGresult *msglist_get(struct req *, int *);
void	 msglist_view(struct req *, const struct msglist_filter *,
	    PGresult *, struct json_object *);
void	 msglist_live_view(const struct msglist_filter *,
	    struct json_object *);
PGresult *msglist_live(struct req *, const char *);
int	 msglist_newer(struct req *, const struct msglist_filter *,
	    const char *);
struct json_object *msglist_live_row(struct req *, PGresult *, int);
int	 msglist_moving(PGresult *, int);
struct json_object *msglist_row(struct req *, PGresult *, int);
const char *msglist_status(PGresult *, int);
int	 msglist_outbound(PGresult *, int);
const char *msglist_status_word(enum lang, const char *);

enum msg_tab msglist_tab_of(const char *);
int	 msglist_local_time_ok(const char *, size_t);

/* The columns of msgpage_context's rows. */
enum ctx_col {
	CTX_TZ,
	CTX_ID,
	CTX_NAME,
	CTX_STATUS,
	CTX_PHONE,
	CTX__MAX
};

/* page_messages.c: what the message pages share. */
PGresult *msgpage_context(struct req *);
struct json_object *msgpage_instances(struct req *, PGresult *,
	    const char *);
int	 msgpage_render(struct req *, enum msg_tab, int, struct json_object *);
void	 msgpage_common(struct req *, struct json_object *, enum msg_tab);

#endif
