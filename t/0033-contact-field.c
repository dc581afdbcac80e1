/* 0033-contact-field: custom field values of every kind, and the name, notes, language and status rules of contacts, with real, hostile and boundary inputs. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/contact_field.h"
#include "core/xmalloc.h"
#include "tap.h"

/* Error words: each failing case names the message it expects. */
#define E_UTF8		"not valid UTF-8"
#define E_CTRL		"control characters"
#define E_LINE		"Line breaks"
#define E_LONG		"too long"
#define E_NUM		"Enter a number"
#define E_NUM_BIG	"too large"
#define E_DATE		"Enter a date"
#define E_DAY		"does not exist"
#define E_BOOL		"Enter yes or no"
#define E_CHOICE	"not one of"

struct fcase {
	enum cfield_kind kind;
	const char	*in;
	size_t		 n;	/* 0: strlen(in) */
	const char	*want;	/* the JSON appended; NULL: must fail */
	const char	*errword;
};

static const char *const sizes[] = { "Small", "Medium", "Large",
    "Extra \"Large\"" };

static const struct fcase cases[] = {
	/* text */
	{ CFIELD_TEXT, "Jakarta", 0, "\"Jakarta\"", NULL },
	{ CFIELD_TEXT, "  trimmed  ", 0, "\"trimmed\"", NULL },
	{ CFIELD_TEXT, "", 0, "", NULL },
	{ CFIELD_TEXT, "   ", 0, "", NULL },
	{ CFIELD_TEXT, "say \"hi\" \\ bye", 0, "\"say \\\"hi\\\" \\\\ bye\"",
	  NULL },
	{ CFIELD_TEXT, "<script>alert(1)</script>", 0,
	  "\"<script>alert(1)</script>\"", NULL },
	{ CFIELD_TEXT, "=HYPERLINK(\"x\")", 0, "\"=HYPERLINK(\\\"x\\\")\"",
	  NULL },
	{ CFIELD_TEXT, "'); DROP TABLE contacts;--", 0,
	  "\"'); DROP TABLE contacts;--\"", NULL },
	{ CFIELD_TEXT, "Surabaya \xf0\x9f\x8c\xb4", 0,
	  "\"Surabaya \xf0\x9f\x8c\xb4\"", NULL },
	{ CFIELD_TEXT, "two\nlines", 0, NULL, E_LINE },
	{ CFIELD_TEXT, "tab\there", 0, NULL, E_CTRL },
	{ CFIELD_TEXT, "bell\a", 0, NULL, E_CTRL },
	{ CFIELD_TEXT, "nul\0x", 5, NULL, E_CTRL },
	{ CFIELD_TEXT, "bad \xc3\x28", 0, NULL, E_UTF8 },
	{ CFIELD_TEXT, "overlong \xc0\xaf", 0, NULL, E_UTF8 },
	/* number */
	{ CFIELD_NUMBER, "12", 0, "12", NULL },
	{ CFIELD_NUMBER, "-3", 0, "-3", NULL },
	{ CFIELD_NUMBER, "+4.50", 0, "4.5", NULL },
	{ CFIELD_NUMBER, "007", 0, "7", NULL },
	{ CFIELD_NUMBER, ".5", 0, "0.5", NULL },
	{ CFIELD_NUMBER, "7.", 0, "7", NULL },
	{ CFIELD_NUMBER, "-0", 0, "0", NULL },
	{ CFIELD_NUMBER, "-0.000", 0, "0", NULL },
	{ CFIELD_NUMBER, " 42 ", 0, "42", NULL },
	{ CFIELD_NUMBER, "999999999999999", 0, "999999999999999", NULL },
	{ CFIELD_NUMBER, "0.123456", 0, "0.123456", NULL },
	{ CFIELD_NUMBER, "1.1234560", 0, "1.123456", NULL },
	{ CFIELD_NUMBER, "1000000000000000", 0, NULL, E_NUM_BIG },
	{ CFIELD_NUMBER, "0.1234567", 0, NULL, E_NUM_BIG },
	{ CFIELD_NUMBER, "NaN", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "inf", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "-Infinity", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "1e5", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "0x1F", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "1,5", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "1 000", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, ".", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "-", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "--1", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "1.2.3", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "=1+1", 0, NULL, E_NUM },
	{ CFIELD_NUMBER, "\xff", 0, NULL, E_UTF8 },
	/* date */
	{ CFIELD_DATE, "2024-02-29", 0, "\"2024-02-29\"", NULL },
	{ CFIELD_DATE, "29/02/2024", 0, "\"2024-02-29\"", NULL },
	{ CFIELD_DATE, "29-02-2024", 0, "\"2024-02-29\"", NULL },
	{ CFIELD_DATE, "5/3/2025", 0, "\"2025-03-05\"", NULL },
	{ CFIELD_DATE, "1-1-2000", 0, "\"2000-01-01\"", NULL },
	{ CFIELD_DATE, "2000-02-29", 0, "\"2000-02-29\"", NULL },
	{ CFIELD_DATE, "2024-12-31", 0, "\"2024-12-31\"", NULL },
	{ CFIELD_DATE, "2023-02-29", 0, NULL, E_DAY },
	{ CFIELD_DATE, "1900-02-29", 0, NULL, E_DAY },
	{ CFIELD_DATE, "2024-04-31", 0, NULL, E_DAY },
	{ CFIELD_DATE, "2024-13-01", 0, NULL, E_DAY },
	{ CFIELD_DATE, "2024-00-10", 0, NULL, E_DAY },
	{ CFIELD_DATE, "32/01/2024", 0, NULL, E_DAY },
	{ CFIELD_DATE, "0000-01-01", 0, NULL, E_DAY },
	{ CFIELD_DATE, "2024-1-5", 0, NULL, E_DATE },
	{ CFIELD_DATE, "29/02-2024", 0, NULL, E_DATE },
	{ CFIELD_DATE, "29.02.2024", 0, NULL, E_DATE },
	{ CFIELD_DATE, "2024/02/29", 0, NULL, E_DATE },
	{ CFIELD_DATE, "24-02-29", 0, NULL, E_DATE },
	{ CFIELD_DATE, "2024-02-29T10:00", 0, NULL, E_DATE },
	{ CFIELD_DATE, "123/1/2024", 0, NULL, E_DATE },
	{ CFIELD_DATE, "1/1/20245", 0, NULL, E_DATE },
	{ CFIELD_DATE, "tomorrow", 0, NULL, E_DATE },
	/* boolean */
	{ CFIELD_BOOLEAN, "true", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "TRUE", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "Yes", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "1", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "ya", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "YA", 0, "true", NULL },
	{ CFIELD_BOOLEAN, "false", 0, "false", NULL },
	{ CFIELD_BOOLEAN, "No", 0, "false", NULL },
	{ CFIELD_BOOLEAN, "0", 0, "false", NULL },
	{ CFIELD_BOOLEAN, "Tidak", 0, "false", NULL },
	{ CFIELD_BOOLEAN, " no ", 0, "false", NULL },
	{ CFIELD_BOOLEAN, "y", 0, NULL, E_BOOL },
	{ CFIELD_BOOLEAN, "2", 0, NULL, E_BOOL },
	{ CFIELD_BOOLEAN, "yess", 0, NULL, E_BOOL },
	{ CFIELD_BOOLEAN, "nein", 0, NULL, E_BOOL },
	/* choice (sizes) */
	{ CFIELD_CHOICE, "Small", 0, "\"Small\"", NULL },
	{ CFIELD_CHOICE, "medium", 0, "\"Medium\"", NULL },
	{ CFIELD_CHOICE, "LARGE", 0, "\"Large\"", NULL },
	{ CFIELD_CHOICE, "extra \"large\"", 0, "\"Extra \\\"Large\\\"\"",
	  NULL },
	{ CFIELD_CHOICE, "Huge", 0, NULL, E_CHOICE },
	{ CFIELD_CHOICE, "Smal", 0, NULL, E_CHOICE },
	{ CFIELD_CHOICE, "Small,Large", 0, NULL, E_CHOICE },
};

static void
test_values(void)
{
	struct buf	 out = BUF_INIT;
	const char	*why;
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fcase *c = &cases[i];

		n = c->n ? c->n : strlen(c->in);
		buf_reset(&out);
		buf_puts(&out, "");
		why = "unset";
		rc = cfield_value(c->kind, sizes, 4, c->in, n, &out, &why);
		if (c->want != NULL) {
			ok(rc == 0 && why == NULL, "%s %zu: accepted",
			    cfield_kind_name(c->kind), i);
			is_str(buf_str(&out), c->want, "%s %zu: as JSON",
			    cfield_kind_name(c->kind), i);
		} else {
			ok(rc == -1 && why != NULL &&
			    strstr(why, c->errword) != NULL,
			    "%s %zu: refused (%s)", cfield_kind_name(c->kind),
			    i, c->errword);
			if (rc == 0 || why == NULL || strstr(why, c->errword)
			    == NULL)
				diag("got %d, %s", rc, why ? why : "(null)");
			is_int(out.len, 0, "%s %zu: nothing appended",
			    cfield_kind_name(c->kind), i);
		}
	}
	buf_free(&out);
}

/* A value appends to what the buffer holds: an object can be built. */
static void
test_append(void)
{
	struct buf	 out = BUF_INIT;
	const char	*why;

	buf_puts(&out, "{\"n\":");
	cfield_value(CFIELD_NUMBER, NULL, 0, "1.50", 4, &out, &why);
	buf_puts(&out, ",\"d\":");
	cfield_value(CFIELD_DATE, NULL, 0, "01/02/2003", 10, &out, &why);
	buf_putc(&out, '}');
	is_str(buf_str(&out), "{\"n\":1.5,\"d\":\"2003-02-01\"}",
	    "values append to a JSON object");
	buf_reset(&out);
	cfield_json_string(&out, "a\x01\x1f\"\\b", 6);
	is_str(buf_str(&out), "\"a\\u0001\\u001f\\\"\\\\b\"",
	    "control bytes are escaped as \\u00XX");
	buf_free(&out);
}

static void
test_text_limit(void)
{
	struct buf	 out = BUF_INIT;
	const char	*why;
	char		*s;
	size_t		 i;

	s = xmalloc(CFIELD_TEXT_MAX * 2 + 2);
	for (i = 0; i < CFIELD_TEXT_MAX; i++)
		memcpy(s + i * 2, "\xc3\xa9", 2);	/* é: 2 bytes */
	ok(cfield_value(CFIELD_TEXT, NULL, 0, s, CFIELD_TEXT_MAX * 2, &out,
	    &why) == 0, "text of 500 characters (1000 bytes)");
	memcpy(s + CFIELD_TEXT_MAX * 2, "x", 1);
	buf_reset(&out);
	ok(cfield_value(CFIELD_TEXT, NULL, 0, s, CFIELD_TEXT_MAX * 2 + 1,
	    &out, &why) == -1 && strstr(why, E_LONG) != NULL,
	    "text of 501 characters is too long");
	free(s);
	buf_free(&out);
}

static void
test_kinds(void)
{
	int	 k;

	for (k = 0; k < CFIELD__MAX; k++)
		is_int(cfield_kind_parse(cfield_kind_name(k)), k,
		    "kind %s round-trips", cfield_kind_name(k));
	is_int(cfield_kind_parse("Text"), -1, "kind names are exact");
	is_int(cfield_kind_parse("list"), -1, "unknown kind");
	is_int(cfield_kind_parse(NULL), -1, "no kind");
	is_str(cfield_kind_name(CFIELD__MAX), "", "no name past the kinds");
}

static void
test_language(void)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: refused */
	} lc[] = {
		{ "id", "id" }, { "EN", "en" }, { "en-us", "en-US" },
		{ "en_GB", "en-GB" }, { "zh-hant-tw", "zh-Hant-TW" },
		{ "es-419", "es-419" }, { " jv ", "jv" }, { "", "" },
		{ "ind", "ind" }, { "e", NULL }, { "english", NULL },
		{ "en-", NULL }, { "en--US", NULL }, { "en-U", NULL },
		{ "en-US-toolongsubtag", NULL }, { "1d", NULL },
		{ "en US", NULL }, { "<b>", NULL },
	};
	char		 out[CONTACT_LANG_MAX + 1];
	const char	*why;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(lc) / sizeof(lc[0]); i++) {
		rc = contact_language(lc[i].in, strlen(lc[i].in), out, &why);
		if (lc[i].want != NULL)
			is_str(rc == 0 ? out : "(refused)", lc[i].want,
			    "language '%s'", lc[i].in);
		else
			ok(rc == -1 && out[0] == '\0' &&
			    strstr(why, "language code") != NULL,
			    "language '%s' refused", lc[i].in);
	}
}

static void
test_contact_rules(void)
{
	const char	*why;
	char		 name[CONTACT_FULLNAME_MAX + 2];

	memset(name, 'a', sizeof(name));
	ok(contact_name_check(name, CONTACT_FULLNAME_MAX, &why) == 0,
	    "a name of 200 characters");
	ok(contact_name_check(name, CONTACT_FULLNAME_MAX + 1, &why) == -1 &&
	    strstr(why, E_LONG) != NULL, "a name of 201 is too long");
	ok(contact_name_check("", 0, &why) == 0, "a name may be empty");
	ok(contact_name_check("a\nb", 3, &why) == -1 &&
	    strstr(why, E_LINE) != NULL, "a name is one line");
	ok(contact_notes_check("a\nb\tc", 5, &why) == 0,
	    "notes hold lines and tabs");
	ok(contact_notes_check("a\x01", 2, &why) == -1,
	    "notes hold no control character");
	is_int(contact_status("subscribed", 10, &why), CSTATUS_SUBSCRIBED,
	    "status subscribed");
	is_int(contact_status(" Unsubscribed", 13, &why),
	    CSTATUS_UNSUBSCRIBED, "status Unsubscribed");
	is_int(contact_status("UNKNOWN", 7, &why), CSTATUS_UNKNOWN,
	    "status UNKNOWN");
	is_int(contact_status("berlangganan", 12, &why), CSTATUS_SUBSCRIBED,
	    "status berlangganan");
	is_int(contact_status("berhenti berlangganan", 21, &why),
	    CSTATUS_UNSUBSCRIBED, "status berhenti berlangganan");
	ok(contact_status("yes", 3, &why) == -1 &&
	    strstr(why, "subscribed, unsubscribed") != NULL,
	    "status yes refused");
	is_int(contact_status("", 0, &why), -1, "an empty status is none");
}

int
main(void)
{
	test_values();
	test_append();
	test_text_limit();
	test_kinds();
	test_language();
	test_contact_rules();
	return done_testing();
}
