/* valid.c: check and normalise email and free text: the rules of the profile, waportalctl and every later form (phone numbers: phone.cc). */
#include <string.h>

#include "nls.h"
#include "utf8.h"
#include "valid.h"

enum email_err {
	EMAIL_OK,
	EMAIL_EMPTY,
	EMAIL_LONG,
	EMAIL_CHARS,
	EMAIL_AT,
	EMAIL_LOCAL,
	EMAIL_LOCAL_LONG,
	EMAIL_DOMAIN,
	EMAIL__MAX
};

static const char *const email_msgs[EMAIL__MAX] = {
	[EMAIL_OK] = NULL,
	[EMAIL_EMPTY] = N_("Enter an email address."),
	[EMAIL_LONG] = N_("The email address is too long."),
	[EMAIL_CHARS] = N_("The email address contains spaces or characters "
	    "that are not allowed."),
	[EMAIL_AT] = N_("An email address needs exactly one @."),
	[EMAIL_LOCAL] = N_("The part before the @ is not valid."),
	[EMAIL_LOCAL_LONG] = N_("The part before the @ is too long."),
	[EMAIL_DOMAIN] = N_("The part after the @ is not a valid domain name."),
};

enum text_err {
	TEXT_OK,
	TEXT_ENCODING,
	TEXT_CONTROL,
	TEXT_NEWLINE,
	TEXT_LONG,
	TEXT__MAX
};

static const char *const text_msgs[TEXT__MAX] = {
	[TEXT_OK] = NULL,
	[TEXT_ENCODING] = N_("The text is not valid UTF-8."),
	[TEXT_CONTROL] = N_("The text contains control characters that are "
	    "not allowed."),
	[TEXT_NEWLINE] = N_("Line breaks are not allowed here."),
	[TEXT_LONG] = N_("The text is too long."),
};

#define NAME_MSG_EMPTY	N_("Enter a name.")
#define NAME_MSG_LONG	N_("The name is too long.")

/* Store msg in *err (when err is not NULL); return 0 for NULL msg, else -1. */
static int
vc_result(const char **err, const char *msg)
{
	if (err != NULL)
		*err = msg;
	return msg == NULL ? 0 : -1;
}

static int
vc_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
vc_alnum(unsigned char c)
{
	return vc_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void
text_trim(const char **s, size_t *n)
{
	while (*n > 0 && (*s)[0] == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] == ' ')
		(*n)--;
}

/* ------------------------------------------------------------ email */

/* One character of an RFC 5322 atom (atext). */
static int
email_atext(unsigned char c)
{
	return vc_alnum(c) ||
	    (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/* The local part: a dot-atom of 1..EMAIL_LOCAL_MAX bytes. */
static enum email_err
email_local_check(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return EMAIL_LOCAL;
	if (n > EMAIL_LOCAL_MAX)
		return EMAIL_LOCAL_LONG;
	if (s[0] == '.' || s[n - 1] == '.')
		return EMAIL_LOCAL;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return EMAIL_LOCAL;
		if (s[i] != '.' && !email_atext(s[i]))
			return EMAIL_LOCAL;
	}
	return EMAIL_OK;
}

/* A host name label: 1..63 of [A-Za-z0-9-], no hyphen at either end. */
static int
email_label_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > EMAIL_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!vc_alnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* The last label: at least two characters, not all digits. */
static int
email_tld_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n < 2)
		return 0;
	for (i = 0; i < n; i++)
		if (!vc_digit(s[i]))
			return 1;
	return 0;
}

/* The domain: two or more good labels and a good top-level label. */
static int
email_domain_ok(const char *s, size_t n)
{
	size_t	 i, start = 0, labels = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (!email_label_ok(s + start, i - start))
			return 0;
		labels++;
		if (i < n)
			start = i + 1;
	}
	return labels >= 2 && email_tld_ok(s + start, n - start);
}

/*
 * Check the trimmed address s[0..n) and store the length of its local
 * part in *nlocal.  Return EMAIL_OK or the first rule broken.
 */
static enum email_err
email_check(const char *s, size_t n, size_t *nlocal)
{
	const char	*at;
	enum email_err	 e;
	size_t		 i;

	if (n == 0)
		return EMAIL_EMPTY;
	if (n > EMAIL_MAX)
		return EMAIL_LONG;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return EMAIL_CHARS;
	at = memchr(s, '@', n);
	if (at == NULL || memchr(at + 1, '@', n - (at - s) - 1) != NULL)
		return EMAIL_AT;
	*nlocal = at - s;
	if ((e = email_local_check(s, *nlocal)) != EMAIL_OK)
		return e;
	if (!email_domain_ok(at + 1, n - *nlocal - 1))
		return EMAIL_DOMAIN;
	return EMAIL_OK;
}

/*
 * Validate an email address and write its normal form to out: spaces
 * around it trimmed, the domain lower-cased (ASCII), the local part
 * kept as typed.  Return 0, or -1 with *err set and out empty.
 */
int
email_normalize(const char *in, size_t n, char out[EMAIL_MAX + 1],
    const char **err)
{
	enum email_err	 e;
	size_t		 i, nlocal = 0;

	out[0] = '\0';
	text_trim(&in, &n);
	if ((e = email_check(in, n, &nlocal)) != EMAIL_OK)
		return vc_result(err, email_msgs[e]);
	memcpy(out, in, n);
	for (i = nlocal + 1; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] += 'a' - 'A';
	out[n] = '\0';
	return vc_result(err, NULL);
}

/* ------------------------------------------------------------ text */

/*
 * Whether code point c may appear: TEXT_NEWLINE for a line break in a
 * single-line field, TEXT_CONTROL for C0/C1 controls (bar LF and tab
 * in multi-line fields), DEL, lone CR, U+2028/U+2029 in multi-line
 * fields and the bidirectional embedding, override and isolate marks.
 */
static enum text_err
text_cp_check(unsigned long c, int multiline)
{
	if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) {
		if (!multiline)
			return TEXT_NEWLINE;
		return c == '\n' ? TEXT_OK : TEXT_CONTROL;
	}
	if (c == '\t')
		return multiline ? TEXT_OK : TEXT_CONTROL;
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return TEXT_CONTROL;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return TEXT_CONTROL;
	return TEXT_OK;
}

/*
 * Check s[0..n) against the text rules with at most max code points;
 * CR LF (multi-line only) counts as one, as in an HTML textarea's
 * maxlength.  Return TEXT_OK or the first rule broken.
 */
static enum text_err
text_scan(const char *s, size_t n, size_t max, int multiline)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, len, count = 0;
	enum text_err		 e;

	if (n / 4 > max)
		return TEXT_LONG;
	if (n > 0 && memchr(s, '\0', n) != NULL)
		return TEXT_CONTROL;
	if (!utf8_valid(s, n))
		return TEXT_ENCODING;
	while (i < n) {
		if (multiline && p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
			len = 2;
		else if ((e = text_cp_check(utf8_decode(s + i, &len),
		    multiline)) != TEXT_OK)
			return e;
		if (++count > max)
			return TEXT_LONG;
		i += len;
	}
	return TEXT_OK;
}

int
text_field_ok(const char *in, size_t n, size_t max_chars, int multiline,
    const char **err)
{
	return vc_result(err, text_msgs[text_scan(in, n, max_chars,
	    multiline)]);
}

int
name_ok(const char *in, size_t n, const char **err)
{
	enum text_err	 e;

	text_trim(&in, &n);
	if (n == 0)
		return vc_result(err, NAME_MSG_EMPTY);
	e = text_scan(in, n, CONTACT_NAME_MAX, 0);
	return vc_result(err, e == TEXT_LONG ? NAME_MSG_LONG : text_msgs[e]);
}

/*
 * Normalise a message text in place (CR LF becomes LF, as WhatsApp and
 * the database count it; *n shrinks) and check it: UTF-8 without NUL,
 * not blank, at most MSG_TEXT_MAX code points (*count), no control
 * character but tab and line feed (a CR alone is one). s must have
 * room for its NUL at s[*n].
 */
enum msg_text
valid_message_text(char *s, size_t *n, size_t *count)
{
	unsigned long	 c;
	size_t		 i, j, len;
	int		 blank = 1, control = 0;

	*count = 0;
	if (!utf8_valid(s, *n))
		return MSGTEXT_UTF8;
	for (i = j = 0; i < *n; i++)
		if (s[i] != '\r' || i + 1 >= *n || s[i + 1] != '\n')
			s[j++] = s[i];
	*n = j;
	s[j] = '\0';
	for (i = 0; i < *n; i += len, (*count)++) {
		c = utf8_decode(s + i, &len);
		if (c != ' ' && c != '\t' && c != '\n')
			blank = 0;
		if ((c < 0x20 && c != '\t' && c != '\n') ||
		    (c >= 0x7f && c <= 0x9f))
			control = 1;
	}
	if (blank)
		return MSGTEXT_EMPTY;
	if (*count > MSG_TEXT_MAX)
		return MSGTEXT_LONG;
	return control ? MSGTEXT_CONTROL : MSGTEXT_OK;
}

const char *const msg_status_names[MSGST__MAX] = {
	[MSGST_QUEUED] = "queued",
	[MSGST_SCHEDULED] = "scheduled",
	[MSGST_SENDING] = "sending",
	[MSGST_SENT] = "sent",
	[MSGST_DELIVERED] = "delivered",
	[MSGST_READ] = "read",
	[MSGST_FAILED] = "failed",
	[MSGST_CANCELLED] = "cancelled",
	[MSGST_RECEIVED] = "received",
};

enum msg_status
valid_message_status(const char *s, size_t n)
{
	enum msg_status	 st;

	for (st = 0; st < MSGST__MAX; st++)
		if (strlen(msg_status_names[st]) == n &&
		    memcmp(msg_status_names[st], s, n) == 0)
			return st;
	return MSGST__MAX;
}
