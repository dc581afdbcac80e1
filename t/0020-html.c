/* 0020-html.c: table-driven tests of html_escape and html_url_arg. */
#include <string.h>

#include "core/buf.h"
#include "web/html.h"
#include "tap.h"

struct html_case {
	const char	*in;
	size_t		 n;	/* 0: use strlen(in) */
	const char	*want;
	const char	*what;
};

static const struct html_case escape_cases[] = {
	{ "", 0, "", "empty string" },
	{ "plain text", 0, "plain text", "nothing to escape" },
	{ "&", 0, "&amp;", "ampersand" },
	{ "<", 0, "&lt;", "less-than" },
	{ ">", 0, "&gt;", "greater-than" },
	{ "\"", 0, "&quot;", "double quote" },
	{ "'", 0, "&#39;", "single quote" },
	{ "&<>\"'", 0, "&amp;&lt;&gt;&quot;&#39;", "all five in a row" },
	{ "a&b", 0, "a&amp;b", "escape in the middle" },
	{ "&amp;", 0, "&amp;amp;", "entities are escaped again" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 0,
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "UTF-8 untouched" },
	{ "\xe2\x80\x9c<b>\xe2\x80\x9d", 0,
	    "\xe2\x80\x9c&lt;b&gt;\xe2\x80\x9d", "UTF-8 around markup" },
	{ "<script>alert(1)</script>", 0,
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "script element" },
	{ "\" onmouseover=\"alert(1)", 0,
	    "&quot; onmouseover=&quot;alert(1)",
	    "double-quoted attribute break" },
	{ "'><img src=x onerror=alert(1)>", 0,
	    "&#39;&gt;&lt;img src=x onerror=alert(1)&gt;",
	    "single-quoted attribute break" },
	{ "javascript:alert(1)", 0, "javascript:alert(1)",
	    "no markup characters: unchanged" },
	{ "\t\r\n/=`", 0, "\t\r\n/=`", "other ASCII untouched" },
	{ "a<b>c", 2, "a&lt;", "only n bytes are read" },
	{ "x\0<y", 4, "x", "embedded NUL copied (checked by length)" },
};

static const struct html_case url_cases[] = {
	{ "", 0, "", "empty string" },
	{ "AZaz09-._~", 0, "AZaz09-._~", "unreserved untouched" },
	{ " ", 0, "%20", "space" },
	{ "a b&c=d", 0, "a%20b%26c%3Dd", "query separators" },
	{ "/?#[]@", 0, "%2F%3F%23%5B%5D%40", "gen-delims" },
	{ "!$&'()*+,;=", 0, "%21%24%26%27%28%29%2A%2B%2C%3B%3D", "sub-delims" },
	{ "%", 0, "%25", "percent" },
	{ "<\">'", 0, "%3C%22%3E%27", "HTML specials" },
	{ "caf\xc3\xa9", 0, "caf%C3%A9", "UTF-8 bytes encoded" },
	{ "\x01\x7f\xff", 0, "%01%7F%FF", "control and high bytes" },
	{ "next=/home?x=1", 5, "next%3D", "only n bytes are read" },
	{ "a\0b", 3, "a%00b", "embedded NUL" },
};

/* Run one table through an escaper; name is the escaper's name. */
static void
html_run(const char *name, void (*fn)(struct buf *, const char *, size_t),
    const struct html_case *tab, size_t ntab)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n;

	for (i = 0; i < ntab; i++) {
		n = tab[i].n ? tab[i].n : strlen(tab[i].in);
		buf_reset(&b);
		fn(&b, tab[i].in, n);
		is_str(buf_str(&b), tab[i].want, "%s: %s", name, tab[i].what);
	}
	buf_free(&b);
}

/* The escaper appends: existing content stays and the length is exact. */
static void
html_append_check(void)
{
	struct buf	 b = BUF_INIT;
	const char	 in[] = "x\0<y>";

	buf_puts(&b, "pre:");
	html_escape(&b, in, sizeof(in) - 1);
	is_int(b.len, 4 + 1 + 1 + 4 + 1 + 4,
	    "html_escape: exact length with NUL");
	ok(memcmp(b.data, "pre:x\0&lt;y&gt;", b.len) == 0,
	    "html_escape: exact bytes with NUL, appended after prefix");
	buf_reset(&b);
	html_url_arg(&b, "<", 1);
	html_url_arg(&b, "a", 1);
	is_str(buf_str(&b), "%3Ca", "html_url_arg: appends");
	buf_free(&b);
}

int
main(void)
{
	html_run("html_escape", html_escape, escape_cases,
	    sizeof(escape_cases) / sizeof(escape_cases[0]));
	html_run("html_url_arg", html_url_arg, url_cases,
	    sizeof(url_cases) / sizeof(url_cases[0]));
	html_append_check();
	return done_testing();
}
