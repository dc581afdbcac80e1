/* contact_field.c: check and normalise contact values: typed custom fields (text, number, date, boolean, choice), name, notes, language and status. */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "contact_field.h"
#include "nls.h"
#include "utf8.h"
#include "valid.h"

static const char *const cfield_names[CFIELD__MAX] = {
	[CFIELD_TEXT] = "text",
	[CFIELD_NUMBER] = "number",
	[CFIELD_DATE] = "date",
	[CFIELD_BOOLEAN] = "boolean",
	[CFIELD_CHOICE] = "choice",
};

const char *const contact_status_names[CSTATUS__MAX] = {
	[CSTATUS_SUBSCRIBED] = "subscribed",
	[CSTATUS_UNSUBSCRIBED] = "unsubscribed",
	[CSTATUS_UNKNOWN] = "unknown",
};

#define CF_NUMBER	N_("Enter a number such as 12, -3 or 4.75.")
#define CF_NUMBER_BIG	N_("The number is too large: at most 15 digits " \
	    "before the point and 6 after it.")
#define CF_DATE		N_("Enter a date as YYYY-MM-DD, DD/MM/YYYY or " \
	    "DD-MM-YYYY.")
#define CF_DATE_BAD	N_("That day does not exist in the calendar.")
#define CF_BOOLEAN	N_("Enter yes or no (also true/false, 1/0, " \
	    "ya/tidak).")
#define CF_CHOICE	N_("The value is not one of the field's choices.")
#define CF_LANGUAGE	N_("Enter a language code such as id, en or en-US.")
#define CF_STATUS	N_("The status must be subscribed, unsubscribed or " \
	    "unknown.")

/* Store msg in *why (why may be NULL); 0 for NULL msg, else -1. */
static int
cf_result(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return msg == NULL ? 0 : -1;
}

static int
cf_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
cf_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
cfield_kind_parse(const char *s)
{
	int	 k;

	for (k = 0; s != NULL && k < CFIELD__MAX; k++)
		if (strcmp(s, cfield_names[k]) == 0)
			return k;
	return -1;
}

const char *
cfield_kind_name(enum cfield_kind k)
{
	return k < CFIELD__MAX ? cfield_names[k] : "";
}

void
cfield_json_string(struct buf *out, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, from = 0;
	unsigned char		 c;

	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(out, s + from, i - from);
		from = i + 1;
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else {
			buf_puts(out, "\\u00");
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
	buf_append(out, s + from, n - from);
	buf_putc(out, '"');
}

/* Text: single-line UTF-8 without control characters, at most 500. */
static int
cf_text(const char *s, size_t n, struct buf *out, const char **why)
{
	if (text_field_ok(s, n, CFIELD_TEXT_MAX, 0, why) == -1)
		return -1;
	cfield_json_string(out, s, n);
	return cf_result(why, NULL);
}

/*
 * A decimal number: an optional sign, digits, an optional point and
 * digits ("12", "-3", "+4.50", ".5", "7."); written as JSON without the
 * plus sign, leading zeros or trailing zeros of its fraction.
 */
static int
cf_number(const char *s, size_t n, struct buf *out, const char **why)
{
	size_t	 i = 0, ib, ie, fb, fe;
	int	 neg = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (ib = i; i < n && cf_digit(s[i]); i++)
		;
	ie = i;
	fb = fe = i;
	if (i < n && s[i] == '.') {
		for (fb = ++i; i < n && cf_digit(s[i]); i++)
			;
		fe = i;
	}
	if (i != n || (ie == ib && fe == fb))
		return cf_result(why, CF_NUMBER);
	while (ib < ie && s[ib] == '0')
		ib++;
	while (fe > fb && s[fe - 1] == '0')
		fe--;
	if (ie - ib > CFIELD_INT_DIGITS || fe - fb > CFIELD_FRAC_DIGITS)
		return cf_result(why, CF_NUMBER_BIG);
	if (neg && (ie > ib || fe > fb))
		buf_putc(out, '-');
	if (ie == ib)
		buf_putc(out, '0');
	buf_append(out, s + ib, ie - ib);
	if (fe > fb) {
		buf_putc(out, '.');
		buf_append(out, s + fb, fe - fb);
	}
	return cf_result(why, NULL);
}

/* Read 1..max digits at s[*i]; -1 when there are none (or too many). */
static int
cf_num_at(const char *s, size_t n, size_t *i, size_t min, size_t max)
{
	size_t	 start = *i;
	int	 v = 0;

	while (*i < n && cf_digit(s[*i]) && *i - start < max)
		v = v * 10 + (s[(*i)++] - '0');
	if (*i - start < min || (*i < n && cf_digit(s[*i])))
		return -1;
	return v;
}

static int
cf_days_in(int y, int m)
{
	static const int	 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/*
 * Split a date into year, month, day: YYYY-MM-DD (ISO 8601), or
 * D/M/YYYY or D-M-YYYY (day first, as Indonesia writes it; one or two
 * digits for day and month). 0, or -1 when it has none of these shapes.
 */
static int
cf_date_parts(const char *s, size_t n, int *y, int *m, int *d)
{
	size_t	 i = 0;
	char	 sep;

	if (n >= 4 && cf_digit(s[0]) && cf_digit(s[1]) && cf_digit(s[2]) &&
	    cf_digit(s[3])) {
		*y = cf_num_at(s, n, &i, 4, 4);
		if (*y < 0 || i >= n || s[i++] != '-' ||
		    (*m = cf_num_at(s, n, &i, 2, 2)) < 0 || i >= n ||
		    s[i++] != '-' || (*d = cf_num_at(s, n, &i, 2, 2)) < 0)
			return -1;
		return i == n ? 0 : -1;
	}
	if ((*d = cf_num_at(s, n, &i, 1, 2)) < 0 || i >= n)
		return -1;
	sep = s[i++];
	if ((sep != '/' && sep != '-') ||
	    (*m = cf_num_at(s, n, &i, 1, 2)) < 0 || i >= n || s[i++] != sep ||
	    (*y = cf_num_at(s, n, &i, 4, 4)) < 0)
		return -1;
	return i == n ? 0 : -1;
}

/* A date of the calendar, written "YYYY-MM-DD". */
static int
cf_date(const char *s, size_t n, struct buf *out, const char **why)
{
	int	 y, m, d;

	if (cf_date_parts(s, n, &y, &m, &d) == -1)
		return cf_result(why, CF_DATE);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > cf_days_in(y, m))
		return cf_result(why, CF_DATE_BAD);
	buf_printf(out, "\"%04d-%02d-%02d\"", y, m, d);
	return cf_result(why, NULL);
}

/* Whether s[0..n) is word, ASCII case-insensitively. */
static int
cf_word(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static int
cf_boolean(const char *s, size_t n, struct buf *out, const char **why)
{
	static const char *const yes[] = { "true", "yes", "1", "ya" };
	static const char *const no[] = { "false", "no", "0", "tidak" };
	size_t			 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (cf_word(s, n, yes[i])) {
			buf_puts(out, "true");
			return cf_result(why, NULL);
		}
		if (cf_word(s, n, no[i])) {
			buf_puts(out, "false");
			return cf_result(why, NULL);
		}
	}
	return cf_result(why, CF_BOOLEAN);
}

/* One of the choices, ASCII case-insensitively, as the field spells it. */
static int
cf_choice(const char *const *choices, size_t nchoices, const char *s,
    size_t n, struct buf *out, const char **why)
{
	size_t	 i;

	for (i = 0; i < nchoices; i++)
		if (cf_word(s, n, choices[i])) {
			cfield_json_string(out, choices[i], strlen(choices[i]));
			return cf_result(why, NULL);
		}
	return cf_result(why, CF_CHOICE);
}

int
cfield_value(enum cfield_kind k, const char *const *choices,
    size_t nchoices, const char *s, size_t n, struct buf *out,
    const char **why)
{
	text_trim(&s, &n);
	if (n == 0)
		return cf_result(why, NULL);
	if (k != CFIELD_TEXT && (memchr(s, '\0', n) != NULL ||
	    !utf8_valid(s, n)))
		return text_field_ok(s, n, n, 0, why);
	switch (k) {
	case CFIELD_TEXT:
		return cf_text(s, n, out, why);
	case CFIELD_NUMBER:
		return cf_number(s, n, out, why);
	case CFIELD_DATE:
		return cf_date(s, n, out, why);
	case CFIELD_BOOLEAN:
		return cf_boolean(s, n, out, why);
	case CFIELD_CHOICE:
		return cf_choice(choices, nchoices, s, n, out, why);
	default:
		return cf_result(why, CF_CHOICE);
	}
}

int
contact_name_check(const char *s, size_t n, const char **why)
{
	text_trim(&s, &n);
	return text_field_ok(s, n, CONTACT_FULLNAME_MAX, 0, why);
}

int
contact_notes_check(const char *s, size_t n, const char **why)
{
	text_trim(&s, &n);
	return text_field_ok(s, n, CONTACT_NOTES_MAX, 1, why);
}

/*
 * One subtag of a language tag after the first: a script (4 letters,
 * title case), a region (2 letters upper-cased, or 3 digits), or any
 * other 2..8 letters and digits kept as written. -1 if none of these.
 */
static int
cf_subtag(char *t, size_t n)
{
	size_t	 i;
	int	 letters = 1;

	if (n < 2 || n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		if (!cf_alpha(t[i]) && !cf_digit(t[i]))
			return -1;
		letters &= cf_alpha(t[i]);
	}
	if (letters && (n == 2 || n == 4))
		for (i = 0; i < n; i++)
			t[i] = (char)((i == 0 || n == 2) ?
			    (t[i] & ~0x20) : (t[i] | 0x20));
	return 0;
}

int
contact_language(const char *s, size_t n, char out[CONTACT_LANG_MAX + 1],
    const char **why)
{
	size_t	 i, start;

	out[0] = '\0';
	text_trim(&s, &n);
	if (n == 0)
		return cf_result(why, NULL);
	if (n > CONTACT_LANG_MAX)
		return cf_result(why, CF_LANGUAGE);
	for (i = 0; i < n; i++)
		out[i] = s[i] == '_' ? '-' : s[i];
	out[n] = '\0';
	for (i = 0; i < n && out[i] != '-'; i++) {
		if (!cf_alpha(out[i]))
			break;
		out[i] |= 0x20;
	}
	if (i < 2 || i > 3 || (i < n && out[i] != '-'))
		goto bad;
	while (i < n) {
		start = ++i;
		while (i < n && out[i] != '-')
			i++;
		if (cf_subtag(out + start, i - start) == -1)
			goto bad;
	}
	return cf_result(why, NULL);
bad:
	out[0] = '\0';
	return cf_result(why, CF_LANGUAGE);
}

int
contact_status(const char *s, size_t n, const char **why)
{
	static const char *const id[CSTATUS__MAX] = {
		[CSTATUS_SUBSCRIBED] = "berlangganan",
		[CSTATUS_UNSUBSCRIBED] = "berhenti berlangganan",
		[CSTATUS_UNKNOWN] = "tidak diketahui",
	};
	int	 st;

	text_trim(&s, &n);
	for (st = 0; st < CSTATUS__MAX; st++)
		if (cf_word(s, n, contact_status_names[st]) ||
		    cf_word(s, n, id[st])) {
			cf_result(why, NULL);
			return st;
		}
	cf_result(why, CF_STATUS);
	return -1;
}
