/* page_msg_valid.c: the message pages' input rules: the lists' declared inputs (ids, days, filter words) and local times. */
#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/input.h"
#include "web/req.h"
#include "web/route.h"
#include "page_msg.h"

static int	msglist_in_id(struct req *, struct field *);
static int	msglist_in_day(struct req *, struct field *);
static int	msglist_in_status(struct req *, struct field *);
static int	msglist_in_word(struct req *, struct field *);
static int	msglist_in_ids(struct req *, struct field *);
static int	msglist_in_since(struct req *, struct field *);

const struct input msglist_in[MSGLIST_IN__MAX] = {
	[MSGLIST_IN_DONE] = { "done", msglist_in_word, 0 },
	[MSGLIST_IN_INSTANCE] = { "instance", msglist_in_id, 0 },
	[MSGLIST_IN_STATUS] = { "status", msglist_in_status, 0 },
	[MSGLIST_IN_FROM] = { "from", msglist_in_day, 0 },
	[MSGLIST_IN_TO] = { "to", msglist_in_day, 0 },
	[MSGLIST_IN_BEFORE] = { "before", msglist_in_id, 0 },
	[MSGLIST_IN_AFTER] = { "after", msglist_in_id, 0 },
	[MSGLIST_IN_IDS] = { "ids", msglist_in_ids, 0 },
	[MSGLIST_IN_SINCE] = { "since", msglist_in_since, 0 },
};

/*
 * Input i of the lists when the request's route declares it (a list
 * tab, or the detail page for the notice), else NULL: the add form's
 * POST and the dashboard show a list without filters.
 */
const struct field *
msglist_input(const struct req *r, enum msglist_in i)
{
	if (r->route == NULL || r->route->inputs != msglist_in ||
	    (size_t)i >= r->route->ninputs)
		return NULL;
	return &r->in[i];
}

/* 1 when f is empty: no filter, so its cleaned value is none. */
static int
msglist_in_none(struct field *f)
{
	if (f->n > 0)
		return 0;
	f->s = NULL;
	return 1;
}

/* An id to filter or page by (input_id), or "": none. */
static int
msglist_in_id(struct req *r, struct field *f)
{
	if (msglist_in_none(f))
		return 0;
	return input_id(r, f);
}

/* 1 when the n bytes at s are an id as input_id takes it. */
static int
msglist_id_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 18 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * The ids a live list shows, "1,2,3" (at most a page of them), cleaned
 * to the SQL array "{1,2,3}"; "" is none.
 */
static int
msglist_in_ids(struct req *r, struct field *f)
{
	const char	*p, *end, *comma;
	struct buf	 b = BUF_INIT;
	size_t		 n = 0;

	if (msglist_in_none(f))
		return 0;
	for (p = f->s, end = f->s + f->n; p <= end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if (!msglist_id_ok(p, (size_t)(comma - p)) ||
		    ++n > MSGLIST_PAGE) {
			f->err = N_("Not a list of message ids.");
			return -1;
		}
	}
	buf_putc(&b, '{');
	buf_append(&b, f->s, f->n);
	buf_putc(&b, '}');
	f->n = b.len;
	f->s = req_keep(r, buf_steal(&b));
	return 0;
}

/* The newest id a live list's first page shows: 0 (none) or an id. */
static int
msglist_in_since(struct req *r, struct field *f)
{
	(void)r;
	if (msglist_in_none(f) || (f->n == 1 && f->s[0] == '0') ||
	    msglist_id_ok(f->s, f->n))
		return 0;
	f->err = N_("Not a valid id.");
	return -1;
}

/* n digits at s as a number, or -1 when one is not a digit. */
static int
msglist_num(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* 1 when s holds a real calendar day as YYYY-MM-DD, year 1970..9999. */
static int
msglist_day_ok(const char *s)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, m, d;

	if (s[4] != '-' || s[7] != '-')
		return 0;
	y = msglist_num(s, 4);
	m = msglist_num(s + 5, 2);
	d = msglist_num(s + 8, 2);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
}

/* A day as <input type="date"> sends it (YYYY-MM-DD), or "": none. */
static int
msglist_in_day(struct req *r, struct field *f)
{
	(void)r;
	if (msglist_in_none(f) || (f->n == 10 && msglist_day_ok(f->s)))
		return 0;
	f->err = N_("Enter a day like 2025-03-31.");
	return -1;
}

/*
 * A known message status, or "": none (msglist_filter_read refuses one
 * its tab does not list).
 */
static int
msglist_in_status(struct req *r, struct field *f)
{
	(void)r;
	if (msglist_in_none(f) ||
	    valid_message_status(f->s, f->n) != MSGST__MAX)
		return 0;
	f->err = N_("Choose a status from the list.");
	return -1;
}

/*
 * A notice's name: a short word of [a-z_], or "" (unknown ones are
 * ignored by the page).
 */
static int
msglist_in_word(struct req *r, struct field *f)
{
	size_t	 i;

	(void)r;
	if (f->n > 32)
		goto bad;
	for (i = 0; i < f->n; i++)
		if ((f->s[i] < 'a' || f->s[i] > 'z') && f->s[i] != '_')
			goto bad;
	return 0;
bad:
	f->err = N_("Not a notice name.");
	return -1;
}

/*
 * A time as <input type="datetime-local"> sends it: YYYY-MM-DDTHH:MM,
 * seconds optional, a space allowed for the T (typed by hand).
 */
int
msglist_local_time_ok(const char *s, size_t n)
{
	int	 h, mi, sec = 0;

	if ((n != 16 && n != 19) || !msglist_day_ok(s) ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return 0;
	h = msglist_num(s + 11, 2);
	mi = msglist_num(s + 14, 2);
	if (n == 19 && (s[16] != ':' || (sec = msglist_num(s + 17, 2)) < 0))
		return 0;
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec <= 59;
}
