/* 0033-aud-filter: the contact list filter: every parameter parsed or refused with its reason, the query string round trip, cursors and the bound parameters. */
#include <stdlib.h>
#include <string.h>

#include "aud/aud_filter.h"
#include "core/buf.h"
#include "tap.h"

/* Parse "name=value" pairs (value already decoded), then check. */
static int
parse(struct aud_filter *f, const char *const *kv)
{
	char	 name[64];
	const char *eq;
	int	 rc = 0;

	aud_filter_init(f);
	for (; *kv != NULL; kv++) {
		eq = strchr(*kv, '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq - *kv), *kv);
		if (aud_filter_set(f, name, eq + 1) == -1)
			rc = -1;
	}
	if (aud_filter_check(f) == -1)
		rc = -1;
	return rc;
}

static char *
query(const struct aud_filter *f)
{
	struct buf	 b = BUF_INIT;

	aud_filter_query(f, &b);
	buf_puts(&b, "");
	return buf_steal(&b);
}

static void
test_parse_ok(void)
{
	struct aud_filter	 f;
	char			*q;

	ok(parse(&f, (const char *const[]){ "q=  Budi  ", "any=3,5,3",
	    "all=7", "status=subscribed", "field=city", "eq=Jakarta",
	    "from=2026-01-01", "to=2026-12-31", "never=1", "sort=name_asc",
	    "page=2", NULL }) == 0, "a full filter parses");
	is_str(f.q, "Budi", "search trimmed");
	is_int(f.nany, 2, "any: repeated id kept once");
	is_int(f.any[1], 5, "any: order kept");
	is_int(f.nall, 1, "all: one id");
	is_str(f.status, "subscribed", "status");
	is_int(f.never, 1, "never messaged");
	is_int(f.sort, AUD_SORT_NAME_ASC, "sort");
	ok(aud_filter_set(&f, "page", "2") == 1, "another parameter is not the filter's");
	q = query(&f);
	is_str(q, "q=Budi&any=3,5&all=7&status=subscribed&field=city&eq=Jakarta"
	    "&from=2026-01-01&to=2026-12-31&never=1&sort=name_asc",
	    "rendered back in the canonical order");
	free(q);
	ok(parse(&f, (const char *const[]){ "any.9=on", "any.4=1", "all.2=x",
	    NULL }) == 0, "one checkbox per tag");
	q = query(&f);
	is_str(q, "any=9,4&all=2", "checkboxes render as lists");
	free(q);
	ok(parse(&f, (const char *const[]){ "q=", "status=", "sort=", NULL })
	    == 0 && aud_filter_empty(&f), "empty values are unset filters");
	q = query(&f);
	is_str(q, "", "nothing to render");
	free(q);
	ok(parse(&f, (const char *const[]){ "q=a&b=c 100% _x_", NULL }) == 0,
	    "hostile search parses");
	q = query(&f);
	is_str(q, "q=a%26b%3Dc%20100%25%20_x_", "and is encoded");
	free(q);
}

/* One refused parameter: its reason names what to do. */
struct bad {
	const char	*kv[4];
	enum aud_param	 p;
	const char	*word;
};

static void
test_parse_bad(void)
{
	static const struct bad cases[] = {
		{ { "any=3,x", NULL }, AUD_P_ANY, "Choose tags" },
		{ { "any=0", NULL }, AUD_P_ANY, "Choose tags" },
		{ { "all=3,,4", NULL }, AUD_P_ALL, "Choose tags" },
		{ { "any.x=1", NULL }, AUD_P_ANY, "Choose tags" },
		{ { "status=gone", NULL }, AUD_P_STATUS, "subscribed" },
		{ { "field=City", NULL }, AUD_P_FIELD, "custom field" },
		{ { "field=a;drop", NULL }, AUD_P_FIELD, "custom field" },
		{ { "eq=x", NULL }, AUD_P_FIELD, "this value is for" },
		{ { "field=age", "eq=1", "min=2", NULL }, AUD_P_EQ, "not both" },
		{ { "from=2026-02-30", NULL }, AUD_P_FROM, "YYYY-MM-DD" },
		{ { "to=yesterday", NULL }, AUD_P_TO, "YYYY-MM-DD" },
		{ { "from=2026-03-01", "to=2026-02-01", NULL }, AUD_P_TO,
		  "first day" },
		{ { "never=yes", NULL }, AUD_P_NEVER, "Never" },
		{ { "sort=phone", NULL }, AUD_P_SORT, "created_desc" },
		{ { "after=abc", NULL }, AUD_P_AFTER, "out of date" },
		{ { "q=\xff", NULL }, AUD_P_Q, "not valid text" },
	};
	struct aud_filter	 f;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(parse(&f, cases[i].kv) == -1, "%s refused", cases[i].kv[0]);
		ok(f.err[cases[i].p] != NULL && strstr(f.err[cases[i].p],
		    cases[i].word) != NULL, "%s: the reason says '%s'",
		    cases[i].kv[0], cases[i].word);
	}
	/* 101 code points of search: too long; 100 fit. */
	{
		char	 q[512] = "q=";
		int	 k;

		for (k = 0; k < 100; k++)
			strcat(q, "\xc3\xa9");
		ok(parse(&f, (const char *const[]){ q, NULL }) == 0,
		    "100 characters of search fit");
		strcat(q, "e");
		ok(parse(&f, (const char *const[]){ q, NULL }) == -1 &&
		    strstr(f.err[AUD_P_Q], "100") != NULL, "101 do not");
	}
	{
		char	 tags[512] = "any=";
		int	 k;

		for (k = 1; k <= 51; k++)
			sprintf(tags + strlen(tags), "%s%d", k > 1 ? "," : "", k);
		ok(parse(&f, (const char *const[]){ tags, NULL }) == -1 &&
		    strstr(f.err[AUD_P_ANY], "50") != NULL, "51 tags refused");
	}
}

static void
test_kinds(void)
{
	struct aud_filter	 f;
	struct aud_bind		 b;

	parse(&f, (const char *const[]){ "field=age", "min=18", "max=030.5",
	    NULL });
	ok(aud_filter_kind(&f, AUD_KIND_NUMBER) == 0, "a number range");
	aud_filter_bind(&f, 7, &b);
	is_str(b.v[0], "7", "$1 customer");
	is_str(b.v[6], "age", "$7 the range's field");
	is_str(b.v[7], "18", "$8 number min");
	is_str(b.v[8], "030.5", "$9 number max");
	ok(b.v[9] == NULL && b.v[10] == NULL && b.v[5] == NULL,
	    "no date bounds, no equality");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "field=age", "min=30", "max=18",
	    NULL });
	ok(aud_filter_kind(&f, AUD_KIND_NUMBER) == -1 &&
	    strstr(f.err[AUD_P_MAX], "lowest") != NULL, "a turned range");
	parse(&f, (const char *const[]){ "field=age", "eq=1e9", NULL });
	ok(aud_filter_kind(&f, AUD_KIND_NUMBER) == -1 &&
	    strstr(f.err[AUD_P_EQ], "number") != NULL, "no exponents");
	parse(&f, (const char *const[]){ "field=age", "eq=-007.50", NULL });
	ok(aud_filter_kind(&f, AUD_KIND_NUMBER) == 0, "a negative number");
	aud_filter_bind(&f, 7, &b);
	is_str(b.v[5], "{\"age\":-7.50}", "$6 equality as a JSON number");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "field=born", "min=2000-01-01",
	    NULL });
	ok(aud_filter_kind(&f, AUD_KIND_DATE) == 0, "a date from");
	aud_filter_bind(&f, 7, &b);
	ok(b.v[7] == NULL && strcmp(b.v[9], "2000-01-01") == 0 &&
	    b.v[10] == NULL, "$10 date min only");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "field=vip", "eq=yes", NULL });
	ok(aud_filter_kind(&f, AUD_KIND_BOOLEAN) == 0, "a boolean");
	aud_filter_bind(&f, 7, &b);
	is_str(b.v[5], "{\"vip\":true}", "as JSON true");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "field=vip", "min=1", NULL });
	ok(aud_filter_kind(&f, AUD_KIND_BOOLEAN) == -1 &&
	    strstr(f.err[AUD_P_MIN], "number and date") != NULL,
	    "no range of booleans");
	parse(&f, (const char *const[]){ "field=city", "eq=\"a\\\"}", NULL });
	ok(aud_filter_kind(&f, AUD_KIND_TEXT) == 0, "hostile text");
	aud_filter_bind(&f, 7, &b);
	is_str(b.v[5], "{\"city\":\"\\\"a\\\\\\\"}\"}", "JSON-escaped");
	aud_bind_free(&b);
	is_int(aud_kind_parse("choice"), AUD_KIND_CHOICE, "kind names");
	is_int(aud_kind_parse("blob"), -1, "unknown kind");
}

static void
test_bind(void)
{
	struct aud_filter	 f;
	struct aud_bind		 b;
	int			 i;

	parse(&f, (const char *const[]){ NULL });
	aud_filter_bind(&f, 42, &b);
	for (i = 1; i < AUD_NPARAMS; i++)
		if (b.v[i] != NULL)
			break;
	is_int(i, AUD_NPARAMS, "no filter: every parameter but $1 NULL");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "q=50%_off\\", "any=1,2", "all=3",
	    "never=1", "from=2026-01-02", NULL });
	aud_filter_bind(&f, 42, &b);
	is_str(b.v[1], "%50\\%\\_off\\\\%", "LIKE pattern escaped");
	is_str(b.v[2], "{1,2}", "any as an array");
	is_str(b.v[3], "{3}", "all as an array");
	is_str(b.v[11], "2026-01-02", "from");
	is_str(b.v[13], "t", "never");
	ok(b.v[15] == NULL, "a search with letters is no number");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "q=+62 (812) 34-5", NULL });
	aud_filter_bind(&f, 42, &b);
	ok(b.v[1] == NULL && b.v[15] != NULL && strcmp(b.v[15], "+62812345%")
	    == 0, "an international number: the start of the phone, $16");
	aud_bind_free(&b);
	parse(&f, (const char *const[]){ "q=0812", NULL });
	aud_filter_bind(&f, 42, &b);
	ok(b.v[15] == NULL && strcmp(b.v[1], "%0812%") == 0,
	    "a national number's leading 0: a substring");
	aud_bind_free(&b);
}

static void
test_cursor(void)
{
	struct buf		 b = BUF_INIT;
	struct aud_cursor	 c;
	struct aud_filter	 f;
	char			 bad[AUD_CURSOR_MAX + 8], kv[AUD_CURSOR_MAX + 16];
	size_t			 i;
	int			 refused = 0;

	aud_cursor_encode(AUD_SORT_NAME_ASC, 123456789012LL,
	    "o'brien, \xc3\xa9mile.x", &b);
	ok(strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == b.len, "URL-safe");
	ok(aud_cursor_decode(b.data, AUD_SORT_NAME_ASC, &c) == 0 &&
	    c.id == 123456789012LL && strcmp(c.key, "o'brien, \xc3\xa9mile.x")
	    == 0, "round trip");
	ok(aud_cursor_decode(b.data, AUD_SORT_NAME_DESC, &c) == -1,
	    "another sort's cursor refused");
	for (i = 0; i < b.len; i++) {
		snprintf(bad, sizeof(bad), "%s", b.data);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		refused += aud_cursor_decode(bad, AUD_SORT_NAME_ASC, &c) == -1;
	}
	is_int(refused, b.len, "every one-character edit refused");
	snprintf(bad, sizeof(bad), "%.*s", (int)b.len - 2, b.data);
	ok(aud_cursor_decode(bad, AUD_SORT_NAME_ASC, &c) == -1, "truncated");
	ok(aud_cursor_decode("", AUD_SORT_NAME_ASC, &c) == -1, "empty");
	buf_reset(&b);
	aud_cursor_encode(AUD_SORT_CREATED_DESC, 5, "1767225600123456", &b);
	snprintf(kv, sizeof(kv), "after=%s", b.data);
	ok(parse(&f, (const char *const[]){ kv, NULL }) == 0 && f.has_after &&
	    f.after.id == 5 && strcmp(f.after.key, "1767225600123456") == 0,
	    "an after cursor of the default sort");
	ok(parse(&f, (const char *const[]){ kv, "sort=created_asc", NULL })
	    == -1 && f.err[AUD_P_AFTER] != NULL, "refused after a sort change");
	snprintf(kv, sizeof(kv), "before=%s", b.data);
	ok(parse(&f, (const char *const[]){ kv, NULL }) == 0 &&
	    aud_list_reversed(&f), "a before cursor turns the page");
	buf_reset(&b);
	aud_cursor_encode(AUD_SORT_CREATED_DESC, 5, "12x", &b);
	ok(aud_cursor_decode(b.data, AUD_SORT_CREATED_DESC, &c) == -1,
	    "a time key must be a number, even with a good check");
	buf_free(&b);
}

int
main(void)
{
	test_parse_ok();
	test_parse_bad();
	test_kinds();
	test_bind();
	test_cursor();
	return done_testing();
}
