/* page_msg_valid.c: the message pages' input rules: ids, days, local times, filter words, message texts. */
#include <stddef.h>
#include <string.h>

#include "core/utf8.h"
#include "web/pages.h"
#include "page_msg.h"

#define MSGLIST_ID_MAX	18	/* digits of a bigint id we accept */

/* An id of up to 18 digits without a leading zero, or "" (no value). */
int
msglist_valid_id(const char *s, size_t n)
{
	size_t	 i;

	if (n > MSGLIST_ID_MAX || (n > 0 && s[0] == '0'))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
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

/* A day as <input type="date"> sends it (YYYY-MM-DD), or "". */
int
msglist_valid_date(const char *s, size_t n)
{
	return n == 0 || (n == 10 && msglist_day_ok(s));
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

/* A short word of [a-z_] (unknown ones are ignored by the handler). */
int
msglist_valid_word(const char *s, size_t n)
{
	size_t	 i;

	if (n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] < 'a' || s[i] > 'z') && s[i] != '_')
			return 0;
	return 1;
}

/* A message text before its own checks: at most 1 MiB. */
int
msglist_valid_text(const char *s, size_t n)
{
	(void)s;
	return n <= 1024 * 1024;
}
