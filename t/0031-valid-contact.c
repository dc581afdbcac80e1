/* 0031-valid-contact: email, text and name validators with real-world, hostile and boundary inputs. */
#include <stdlib.h>
#include <string.h>

#include "core/valid.h"
#include "core/xmalloc.h"
#include "tap.h"

/* Error words: each case names the message it expects by a fragment. */
#define E_EMAIL_EMPTY	"Enter an email"
#define E_EMAIL_LONG	"address is too long"
#define E_EMAIL_CHARS	"spaces or characters"
#define E_EMAIL_AT	"exactly one @"
#define E_EMAIL_LOCAL	"before the @ is not valid"
#define E_EMAIL_LLONG	"before the @ is too long"
#define E_EMAIL_DOMAIN	"after the @"
#define E_TX_UTF8	"not valid UTF-8"
#define E_TX_CTRL	"control characters"
#define E_TX_LINE	"Line breaks"
#define E_TX_LONG	"text is too long"
#define E_NAME_EMPTY	"Enter a name"
#define E_NAME_LONG	"name is too long"

struct vcase {
	const char	*desc;
	const char	*in;
	size_t		 n;	/* 0: strlen(in) */
	const char	*want;	/* normal form; NULL: must fail */
	const char	*errword; /* when failing: fragment of the message */
};

static const struct vcase email_cases[] = {
	{ "plain", "user@example.com", 0, "user@example.com", NULL },
	{ "spaces trimmed", "  user@example.com  ", 0, "user@example.com",
	  NULL },
	{ "domain lower-cased, local kept", "John.Smith@Example.COM", 0,
	  "John.Smith@example.com", NULL },
	{ "plus addressing", "user+newsletter@example.com", 0,
	  "user+newsletter@example.com", NULL },
	{ "subdomains", "first.last@mail.sub.example.co.id", 0,
	  "first.last@mail.sub.example.co.id", NULL },
	{ "Indonesian ccTLD", "budi@perusahaan.co.id", 0,
	  "budi@perusahaan.co.id", NULL },
	{ "shortest sensible", "a@b.co", 0, "a@b.co", NULL },
	{ "punycode label", "user@xn--bcher-kva.example", 0,
	  "user@xn--bcher-kva.example", NULL },
	{ "punycode TLD", "info@xn--d1acufc.XN--P1AI", 0,
	  "info@xn--d1acufc.xn--p1ai", NULL },
	{ "apostrophe", "o'brien@example.ie", 0, "o'brien@example.ie", NULL },
	{ "every atext symbol", "!#$%&'*+/=?^_`{|}~-@example.com", 0,
	  "!#$%&'*+/=?^_`{|}~-@example.com", NULL },
	{ "digits and hyphen in labels", "x@123-abc.example.com", 0,
	  "x@123-abc.example.com", NULL },
	{ "underscore and dots in local", "first_name.last@example.org", 0,
	  "first_name.last@example.org", NULL },
	{ "TLD with a digit", "a@example.c0m", 0, "a@example.c0m", NULL },
	{ "SQL-looking local part is data", "x'or'1'='1@example.com", 0,
	  "x'or'1'='1@example.com", NULL },
	{ "empty", "", 0, NULL, E_EMAIL_EMPTY },
	{ "only spaces", "    ", 0, NULL, E_EMAIL_EMPTY },
	{ "no @", "userexample.com", 0, NULL, E_EMAIL_AT },
	{ "two @", "a@b@example.com", 0, NULL, E_EMAIL_AT },
	{ "@ at the end twice", "user@example.com@", 0, NULL, E_EMAIL_AT },
	{ "empty local part", "@example.com", 0, NULL, E_EMAIL_LOCAL },
	{ "leading dot", ".user@example.com", 0, NULL, E_EMAIL_LOCAL },
	{ "trailing dot in local", "user.@example.com", 0, NULL,
	  E_EMAIL_LOCAL },
	{ "double dot in local", "us..er@example.com", 0, NULL,
	  E_EMAIL_LOCAL },
	{ "space inside", "user name@example.com", 0, NULL, E_EMAIL_CHARS },
	{ "space in domain", "user@exa mple.com", 0, NULL, E_EMAIL_CHARS },
	{ "quoted local part", "\"user\"@example.com", 0, NULL,
	  E_EMAIL_LOCAL },
	{ "quoted with space", "\"a b\"@example.com", 0, NULL,
	  E_EMAIL_CHARS },
	{ "comment", "user(comment)@example.com", 0, NULL, E_EMAIL_LOCAL },
	{ "display name form", "User <user@example.com>", 0, NULL,
	  E_EMAIL_CHARS },
	{ "angle brackets", "<user@example.com>", 0, NULL, E_EMAIL_LOCAL },
	{ "script tag local", "<script>@x.com", 0, NULL, E_EMAIL_LOCAL },
	{ "script payload", "<script>alert(1)</script>@x.com", 0, NULL,
	  E_EMAIL_LOCAL },
	{ "backslash", "a\\b@example.com", 0, NULL, E_EMAIL_LOCAL },
	{ "comma list", "a@example.com,b@example.com", 0, NULL, E_EMAIL_AT },
	{ "semicolon", "a;b@example.com", 0, NULL, E_EMAIL_LOCAL },
	{ "no domain", "user@", 0, NULL, E_EMAIL_DOMAIN },
	{ "single label domain", "a@b", 0, NULL, E_EMAIL_DOMAIN },
	{ "localhost", "root@localhost", 0, NULL, E_EMAIL_DOMAIN },
	{ "label starts with hyphen", "a@-b.com", 0, NULL, E_EMAIL_DOMAIN },
	{ "label ends with hyphen", "a@b-.com", 0, NULL, E_EMAIL_DOMAIN },
	{ "double dot in domain", "a@b..com", 0, NULL, E_EMAIL_DOMAIN },
	{ "leading dot in domain", "a@.b.com", 0, NULL, E_EMAIL_DOMAIN },
	{ "trailing dot in domain", "a@b.com.", 0, NULL, E_EMAIL_DOMAIN },
	{ "one-letter TLD", "a@example.c", 0, NULL, E_EMAIL_DOMAIN },
	{ "numeric TLD", "a@1.2.3.4", 0, NULL, E_EMAIL_DOMAIN },
	{ "IP literal", "a@[192.168.0.1]", 0, NULL, E_EMAIL_DOMAIN },
	{ "underscore in domain", "a@b_c.example.com", 0, NULL,
	  E_EMAIL_DOMAIN },
	{ "markup after domain", "a@example.com<script>", 0, NULL,
	  E_EMAIL_DOMAIN },
	{ "percent-encoded @", "a%40b@example", 0, NULL, E_EMAIL_DOMAIN },
	{ "CRLF at end (header injection)", "a@b.com\r\nBcc: x@y.com", 0,
	  NULL, E_EMAIL_CHARS },
	{ "LF at end", "a@example.com\n", 0, NULL, E_EMAIL_CHARS },
	{ "tab inside", "a\tb@example.com", 0, NULL, E_EMAIL_CHARS },
	{ "NUL inside", "a\0b@example.com", 15, NULL, E_EMAIL_CHARS },
	{ "NUL at end", "a@example.com\0", 14, NULL, E_EMAIL_CHARS },
	{ "DEL", "a@example.com\x7f", 0, NULL, E_EMAIL_CHARS },
	{ "ESC", "\x1b[2Ja@example.com", 0, NULL, E_EMAIL_CHARS },
	{ "UTF-8 local part", "jos\xc3\xa9@example.com", 0, NULL,
	  E_EMAIL_CHARS },
	{ "UTF-8 domain (not punycode)", "user@b\xc3\xbc" "cher.example", 0,
	  NULL, E_EMAIL_CHARS },
	{ "full-width @", "user\xef\xbc\xa0" "example.com", 0, NULL,
	  E_EMAIL_CHARS },
	{ "invalid UTF-8 byte", "a\xff@example.com", 0, NULL, E_EMAIL_CHARS },
};

/* Text: field limit max, multiline flag, expected result. */
static const struct {
	const char	*desc;
	const char	*in;
	size_t		 n;	/* 0: strlen(in) */
	size_t		 max;
	int		 multiline;
	const char	*errword; /* NULL: must pass */
} text_cases[] = {
	{ "empty optional", "", 0, 500, 0, NULL },
	{ "empty with max 0", "", 0, 0, 0, NULL },
	{ "one char with max 0", "a", 0, 0, 0, E_TX_LONG },
	{ "plain", "Jl. Sudirman No. 1, Jakarta", 0, 500, 0, NULL },
	{ "Latin accents", "S\xc3\xa3o Paulo, R\xc3\xa9publique", 0, 500, 0,
	  NULL },
	{ "CJK", "\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 0, 500, 0, NULL },
	{ "Arabic", "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", 0, 500, 0,
	  NULL },
	{ "RLM mark allowed", "abc\xe2\x80\x8f", 0, 500, 0, NULL },
	{ "ZWJ emoji family", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	  "\xe2\x80\x8d\xf0\x9f\x91\xa7", 0, 5, 0, NULL },
	{ "ZWJ family is 5 code points", "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f"
	  "\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", 0, 4, 0, E_TX_LONG },
	{ "no-break space", "a\xc2\xa0" "b", 0, 500, 0, NULL },
	{ "SQL is data", "Robert'); DROP TABLE customers;--", 0, 500, 0,
	  NULL },
	{ "HTML is data", "<script>alert(1)</script>", 0, 500, 0, NULL },
	{ "attribute payload is data", "\"><img src=x onerror=alert(1)>", 0,
	  500, 0, NULL },
	{ "template syntax is data", "{{user}} {{{raw}}} ${jndi:ldap://x}",
	  0, 500, 0, NULL },
	{ "percent escapes are data", "%00%0d%0a", 0, 500, 0, NULL },
	{ "LF single-line", "line1\nline2", 0, 500, 0, E_TX_LINE },
	{ "CR single-line", "line1\rline2", 0, 500, 0, E_TX_LINE },
	{ "CRLF single-line", "line1\r\nline2", 0, 500, 0, E_TX_LINE },
	{ "trailing LF single-line", "Budi\n", 0, 500, 0, E_TX_LINE },
	{ "U+2028 single-line", "a\xe2\x80\xa8" "b", 0, 500, 0, E_TX_LINE },
	{ "U+2029 single-line", "a\xe2\x80\xa9" "b", 0, 500, 0, E_TX_LINE },
	{ "tab single-line", "a\tb", 0, 500, 0, E_TX_CTRL },
	{ "LF multi-line", "line1\nline2\n", 0, 500, 1, NULL },
	{ "CRLF multi-line", "line1\r\nline2\r\n", 0, 500, 1, NULL },
	{ "tab multi-line", "a\tb", 0, 500, 1, NULL },
	{ "lone CR multi-line", "line1\rline2", 0, 500, 1, E_TX_CTRL },
	{ "CR at end multi-line", "line1\r", 0, 500, 1, E_TX_CTRL },
	{ "CR CR LF multi-line", "a\r\r\nb", 0, 500, 1, E_TX_CTRL },
	{ "U+2028 multi-line", "a\xe2\x80\xa8" "b", 0, 500, 1, E_TX_CTRL },
	{ "NUL single-line", "a\0b", 3, 500, 0, E_TX_CTRL },
	{ "NUL multi-line", "a\0b", 3, 500, 1, E_TX_CTRL },
	{ "only NUL", "\0", 1, 500, 1, E_TX_CTRL },
	{ "SOH", "a\x01" "b", 0, 500, 1, E_TX_CTRL },
	{ "ESC sequence", "\x1b[31mred", 0, 500, 1, E_TX_CTRL },
	{ "backspace", "abc\b\b\b", 0, 500, 1, E_TX_CTRL },
	{ "form feed", "a\fb", 0, 500, 1, E_TX_CTRL },
	{ "vertical tab", "a\vb", 0, 500, 1, E_TX_CTRL },
	{ "DEL", "a\x7f", 0, 500, 1, E_TX_CTRL },
	{ "C1 NEL U+0085", "a\xc2\x85" "b", 0, 500, 1, E_TX_CTRL },
	{ "C1 CSI U+009B", "a\xc2\x9b" "31m", 0, 500, 1, E_TX_CTRL },
	{ "bidi override RLO", "invoice\xe2\x80\xae" "fdp.exe", 0, 500, 0,
	  E_TX_CTRL },
	{ "bidi isolate LRI", "a\xe2\x81\xa6" "b", 0, 500, 1, E_TX_CTRL },
	{ "bidi PDI", "a\xe2\x81\xa9", 0, 500, 1, E_TX_CTRL },
	{ "truncated UTF-8", "caf\xc3", 0, 500, 0, E_TX_UTF8 },
	{ "overlong slash", "\xc0\xaf", 0, 500, 0, E_TX_UTF8 },
	{ "surrogate", "\xed\xa0\x80", 0, 500, 0, E_TX_UTF8 },
	{ "Latin-1 byte", "caf\xe9", 0, 500, 0, E_TX_UTF8 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 0, 500, 0, E_TX_UTF8 },
};

static const struct vcase name_cases[] = {
	{ "plain", "Budi Santoso", 0, "", NULL },
	{ "trimmed spaces", "   Siti Nurhaliza   ", 0, "", NULL },
	{ "one letter", "X", 0, "", NULL },
	{ "accents", "\xc3\x91o\xc3\xb1o G\xc3\xb3mez", 0, "", NULL },
	{ "CJK", "\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99", 0, "", NULL },
	{ "apostrophe and hyphen", "Anne-Marie O'Neil", 0, "", NULL },
	{ "markup is data", "<b>Bold</b> & Co", 0, "", NULL },
	{ "empty", "", 0, NULL, E_NAME_EMPTY },
	{ "only spaces", "     ", 0, NULL, E_NAME_EMPTY },
	{ "tab only", "\t", 0, NULL, E_TX_CTRL },
	{ "newline inside", "Budi\nSantoso", 0, NULL, E_TX_LINE },
	{ "CRLF inside", "Budi\r\nSantoso", 0, NULL, E_TX_LINE },
	{ "NUL inside", "Budi\0Santoso", 12, NULL, E_TX_CTRL },
	{ "bidi override", "\xe2\x80\xae" "nimdA", 0, NULL, E_TX_CTRL },
	{ "invalid UTF-8", "Bud\xff", 0, NULL, E_TX_UTF8 },
};

/* Fill dst with k copies of unit, then tail; return the byte length. */
static size_t
repeat(char *dst, const char *unit, size_t k, const char *tail)
{
	size_t	 i, u = strlen(unit), n = 0;

	for (i = 0; i < k; i++, n += u)
		memcpy(dst + n, unit, u);
	strcpy(dst + n, tail);
	return n + strlen(tail);
}

/* Checks shared by every failing call: a message, and an empty result. */
static void
check_fail(const char *what, const char *desc, int rc,
    const char *const *errp, const char *errword, const char *out)
{
	const char	*err = *errp;	/* read after the call under test */

	is_int(rc, -1, "%s: %s: refused", what, desc);
	ok(err != NULL && strstr(err, errword) != NULL,
	    "%s: %s: message says \"%s\"", what, desc, errword);
	if (err != NULL && strstr(err, errword) == NULL)
		diag("message: %s", err);
	if (out != NULL)
		is_str(out, "", "%s: %s: output left empty", what, desc);
}

static void
test_email_table(void)
{
	char		 out[EMAIL_MAX + 1];
	const char	*err;
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < sizeof(email_cases) / sizeof(email_cases[0]); i++) {
		const struct vcase *c = &email_cases[i];

		n = c->n ? c->n : strlen(c->in);
		memset(out, 'X', sizeof(out));
		err = "unset";
		rc = email_normalize(c->in, n, out, &err);
		if (c->want != NULL) {
			is_int(rc, 0, "email: %s: accepted", c->desc);
			is_str(out, c->want, "email: %s: normal form", c->desc);
			ok(err == NULL, "email: %s: no message", c->desc);
		} else
			check_fail("email", c->desc, rc, &err, c->errword, out);
	}
}

/* 64 + "@" + 63 + "." + 63 + "." + last bytes, in capitals after the @. */
static size_t
email_long(char *in, size_t last)
{
	char	*p = in;

	p += repeat(p, "l", 64, "@");
	p += repeat(p, "A", 63, ".");
	p += repeat(p, "B", 63, ".");
	return p - in + repeat(p, "C", last, "");
}

/* Length limits: local part 64/65, label 63/64, whole 254/255. */
static void
test_email_limits(void)
{
	char		 in[6000], out[EMAIL_MAX + 1];
	const char	*err;
	size_t		 n;

	n = repeat(in, "a", 64, "@example.com");
	is_int(email_normalize(in, n, out, &err), 0, "email: 64-byte local");
	is_str(out, in, "email: 64-byte local kept");
	n = repeat(in, "a", 65, "@example.com");
	check_fail("email", "65-byte local", email_normalize(in, n, out, &err),
	    &err, E_EMAIL_LLONG, out);
	n = repeat(in, "b", 63, ".com");
	memmove(in + 2, in, n + 1);
	memcpy(in, "a@", 2);
	is_int(email_normalize(in, n + 2, out, &err), 0,
	    "email: 63-byte label");
	n = repeat(in, "b", 64, ".com");
	memmove(in + 2, in, n + 1);
	memcpy(in, "a@", 2);
	check_fail("email", "64-byte label",
	    email_normalize(in, n + 2, out, &err), &err, E_EMAIL_DOMAIN, out);

	n = email_long(in, 61);
	is_int(n, 254, "email: built a 254-byte address");
	is_int(email_normalize(in, n, out, &err), 0, "email: 254 bytes");
	is_int(strlen(out), 254, "email: 254 bytes fit the buffer");
	ok(out[65] == 'a' && out[253] == 'c', "email: long domain lower-cased");
	n = email_long(in, 62);
	is_int(n, 255, "email: built a 255-byte address");
	check_fail("email", "255 bytes", email_normalize(in, n, out, &err),
	    &err, E_EMAIL_LONG, out);
	n = repeat(in, "a", 5000, "@example.com");
	check_fail("email", "5000-byte local",
	    email_normalize(in, n, out, &err), &err, E_EMAIL_LONG, out);
	n = repeat(in, " ", 100, "a@example.com");
	n += repeat(in + n, " ", 200, "");
	is_int(email_normalize(in, n, out, &err), 0,
	    "email: 300 spaces around are trimmed, not counted");
	is_int(email_normalize(NULL, 0, out, NULL), -1,
	    "email: NULL input, NULL err");
}

static void
test_text_table(void)
{
	const char	*err;
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		n = text_cases[i].n ? text_cases[i].n :
		    strlen(text_cases[i].in);
		err = "unset";
		rc = text_field_ok(text_cases[i].in, n, text_cases[i].max,
		    text_cases[i].multiline, &err);
		if (text_cases[i].errword == NULL) {
			is_int(rc, 0, "text: %s: accepted", text_cases[i].desc);
			ok(err == NULL, "text: %s: no message",
			    text_cases[i].desc);
		} else
			check_fail("text", text_cases[i].desc, rc, &err,
			    text_cases[i].errword, NULL);
	}
}

/*
 * Limits counted in code points at exactly max and max + 1, for each
 * UTF-8 length, for the address and notes limits.
 */
static void
test_text_limits(void)
{
	static char	 in[4 * CONTACT_NOTES_MAX + 16];
	static const struct {
		const char	*unit;
		const char	*name;
	} units[] = {
		{ "a", "1-byte" }, { "\xc3\xa9", "2-byte" },
		{ "\xe6\x97\xa5", "3-byte" }, { "\xf0\x9f\x98\x80", "4-byte" },
	};
	const size_t	 maxes[] = { CONTACT_ADDRESS_MAX, CONTACT_NOTES_MAX };
	const char	*err;
	char		 desc[64];
	size_t		 i, j, n;

	for (j = 0; j < 2; j++)
		for (i = 0; i < 4; i++) {
			n = repeat(in, units[i].unit, maxes[j], "");
			is_int(text_field_ok(in, n, maxes[j], 1, &err), 0,
			    "text: %zu %s chars at max %zu", maxes[j],
			    units[i].name, maxes[j]);
			n = repeat(in, units[i].unit, maxes[j] + 1, "");
			snprintf(desc, sizeof(desc), "%zu %s chars at max %zu",
			    maxes[j] + 1, units[i].name, maxes[j]);
			check_fail("text", desc,
			    text_field_ok(in, n, maxes[j], 1, &err), &err,
			    E_TX_LONG, NULL);
		}
	n = repeat(in, "a\r\n", CONTACT_ADDRESS_MAX / 2, "");
	is_int(text_field_ok(in, n, CONTACT_ADDRESS_MAX, 1, &err), 0,
	    "text: CRLF counts as one character (%zu bytes)", n);
	n = repeat(in, "a\r\n", CONTACT_ADDRESS_MAX / 2, "b");
	check_fail("text", "CRLF text one over", text_field_ok(in, n,
	    CONTACT_ADDRESS_MAX, 1, &err), &err, E_TX_LONG, NULL);
	n = repeat(in, "\n", CONTACT_NOTES_MAX, "");
	is_int(text_field_ok(in, n, CONTACT_NOTES_MAX, 1, &err), 0,
	    "text: 2000 LF at max 2000");
	n = repeat(in, "a", 3 * CONTACT_NOTES_MAX, "\x01");
	check_fail("text", "way over the limit, control at the end",
	    text_field_ok(in, n, CONTACT_NOTES_MAX, 1, &err), &err, E_TX_LONG,
	    NULL);
	is_int(text_field_ok(NULL, 0, 10, 0, NULL), 0, "text: NULL empty");
}

static void
test_name(void)
{
	char		 in[1024];
	const char	*err;
	size_t		 i, n;

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		n = name_cases[i].n ? name_cases[i].n :
		    strlen(name_cases[i].in);
		err = "unset";
		if (name_cases[i].want != NULL) {
			is_int(name_ok(name_cases[i].in, n, &err), 0,
			    "name: %s: accepted", name_cases[i].desc);
			ok(err == NULL, "name: %s: no message",
			    name_cases[i].desc);
		} else
			check_fail("name", name_cases[i].desc,
			    name_ok(name_cases[i].in, n, &err), &err,
			    name_cases[i].errword, NULL);
	}
	n = repeat(in, "\xc3\xa4", CONTACT_NAME_MAX, "");
	is_int(name_ok(in, n, &err), 0, "name: 100 two-byte chars");
	n = repeat(in, "\xf0\x9f\x98\x80", CONTACT_NAME_MAX, "");
	is_int(name_ok(in, n, &err), 0, "name: 100 four-byte chars");
	n = repeat(in, "\xc3\xa4", CONTACT_NAME_MAX + 1, "");
	check_fail("name", "101 chars", name_ok(in, n, &err), &err,
	    E_NAME_LONG, NULL);
	n = repeat(in, " ", 50, "");
	n += repeat(in + n, "x", CONTACT_NAME_MAX, "");
	n += repeat(in + n, " ", 50, "");
	is_int(name_ok(in, n, &err), 0, "name: 100 chars inside 100 spaces");
	is_int(name_ok(NULL, 0, NULL), -1, "name: NULL empty, NULL err");
}

/* Message texts: one rule for the portal and the API (issue 10, 5). */
static void
test_message_text(void)
{
	static const struct {
		const char	*in;
		size_t		 n;
		enum msg_text	 want;
		const char	*out;
		size_t		 count;
	} cases[] = {
		{ "Hello", 5, MSGTEXT_OK, "Hello", 5 },
		{ "a\r\nb", 4, MSGTEXT_OK, "a\nb", 3 },
		{ "line\ttab\n", 9, MSGTEXT_OK, "line\ttab\n", 9 },
		{ "Terima kasih \xf0\x9f\x98\x80", 17, MSGTEXT_OK,
		    "Terima kasih \xf0\x9f\x98\x80", 14 },
		{ "", 0, MSGTEXT_EMPTY, "", 0 },
		{ " \t\r\n ", 5, MSGTEXT_EMPTY, NULL, 0 },
		{ "lone\rCR", 7, MSGTEXT_CONTROL, NULL, 0 },
		{ "bell\a", 5, MSGTEXT_CONTROL, NULL, 0 },
		{ "c1 \xc2\x85", 5, MSGTEXT_CONTROL, NULL, 0 },
		{ "nul\0byte", 8, MSGTEXT_UTF8, NULL, 0 },
		{ "bad \xff", 5, MSGTEXT_UTF8, NULL, 0 },
	};
	char	 buf[32], *big;
	size_t	 i, n, count;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(buf, cases[i].in, cases[i].n);
		n = cases[i].n;
		buf[n] = '\0';
		is_int(valid_message_text(buf, &n, &count), cases[i].want,
		    "message text %zu: verdict", i);
		if (cases[i].out != NULL)
			ok(n == strlen(cases[i].out) &&
			    strcmp(buf, cases[i].out) == 0 &&
			    count == cases[i].count,
			    "message text %zu: normalised, %zu characters", i,
			    cases[i].count);
	}
	big = xmalloc(MSG_TEXT_MAX + 2);
	memset(big, 'x', MSG_TEXT_MAX + 1);
	n = MSG_TEXT_MAX;
	big[n] = '\0';
	is_int(valid_message_text(big, &n, &count), MSGTEXT_OK,
	    "message text of 65536 characters");
	memset(big, 'x', MSG_TEXT_MAX + 1);
	n = MSG_TEXT_MAX + 1;
	big[n] = '\0';
	is_int(valid_message_text(big, &n, &count), MSGTEXT_LONG,
	    "message text of 65537 characters");
	is_int((int)count, MSG_TEXT_MAX + 1, "... counted");
	free(big);
}

int
main(void)
{
	test_email_table();
	test_email_limits();
	test_text_table();
	test_text_limits();
	test_name();
	test_message_text();
	return done_testing();
}
