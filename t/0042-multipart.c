/* 0042-multipart.c: multipart_parse: browser, malformed, hostile bodies. */
#include <string.h>

#include "core/buf.h"
#include "web/param.h"
#include "tap.h"

#define CT	"multipart/form-data; boundary=XyZ"
#define CD(n)	"Content-Disposition: form-data; name=\"" n "\"\r\n"
#define PART(n)	"--XyZ\r\n" CD(n) "\r\n"
#define NEXT	"\r\n--XyZ\r\n"
#define END	"\r\n--XyZ--\r\n"
#define NOWANT	{ { NULL, NULL, NULL, NULL } }

struct mwant {
	const char	*name;
	const char	*value;
	const char	*filename;
	const char	*ctype;
};

struct mcase {
	const char	*desc;
	const char	*ct;
	const char	*body;
	int		 status;	/* 0: must parse */
	const char	*errword;	/* must appear in errmsg */
	struct mwant	 want[4];	/* up to a NULL name */
};

/* Small limits so every boundary is cheap to reach. */
static const struct parse_limits small = {
	.max_params = 2, .max_name = 4, .max_value = 5,
	.max_file = 8, .max_total = 4096, .max_depth = 4,
};

static const struct mcase cases[] = {
	{ "one field", CT, PART("a") "hello" END, 0, NULL,
	  { { "a", "hello", NULL, NULL } } },
	{ "field and file", CT, PART("a") "1" NEXT
	  "Content-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n"
	  "Content-Type: image/png\r\n\r\nPNG" END, 0, NULL,
	  { { "a", "1", NULL, NULL }, { "f", "PNG", "x.png", "image/png" } } },
	{ "quoted boundary with space", "multipart/form-data; "
	  "boundary=\"a b:c\"", "--a b:c\r\n" CD("a") "\r\nv\r\n--a b:c--",
	  0, NULL, { { "a", "v", NULL, NULL } } },
	{ "case-insensitive type", "Multipart/Form-Data; BOUNDARY=XyZ; "
	  "charset=utf-8", PART("a") "v" END, 0, NULL,
	  { { "a", "v", NULL, NULL } } },
	{ "preamble and epilogue", CT, "preamble\r\n" PART("a") "v" END
	  "epilogue \xff\x00", 0, NULL, { { "a", "v", NULL, NULL } } },
	{ "preamble holding the boundary", CT, "x--XyZ\r\n" PART("a") "v" END,
	  0, NULL, { { "a", "v", NULL, NULL } } },
	{ "no CRLF after closing", CT, PART("a") "v\r\n--XyZ--", 0, NULL,
	  { { "a", "v", NULL, NULL } } },
	{ "transport padding", CT, "--XyZ \t\r\n" CD("a") "\r\nv"
	  "\r\n--XyZ  \r\n" CD("b") "\r\nw" END, 0, NULL,
	  { { "a", "v", NULL, NULL }, { "b", "w", NULL, NULL } } },
	{ "no parts at all", CT, "--XyZ--\r\n", 0, NULL, NOWANT },
	{ "empty value", CT, PART("a") END, 0, NULL,
	  { { "a", "", NULL, NULL } } },
	{ "empty file input", CT, "--XyZ\r\nContent-Disposition: form-data; "
	  "name=\"f\"; filename=\"\"\r\nContent-Type: "
	  "application/octet-stream\r\n\r\n" END, 0, NULL,
	  { { "f", "", "", "application/octet-stream" } } },
	{ "header case and spacing", CT, "--XyZ\r\ncontent-disposition:"
	  "FORM-DATA ;NAME = \"a\" ; FileName=b.txt \r\ncontent-type:  "
	  "text/plain \r\n\r\nv" END, 0, NULL,
	  { { "a", "v", "b.txt", "text/plain" } } },
	{ "unquoted name", CT, "--XyZ\r\nContent-Disposition: form-data; "
	  "name=a\r\n\r\nv" END, 0, NULL, { { "a", "v", NULL, NULL } } },
	{ "unknown headers ignored", CT, "--XyZ\r\nX-Foo: bar\r\n" CD("a")
	  "Content-Transfer-Encoding: 8bit\r\n\r\nv" END, 0, NULL,
	  { { "a", "v", NULL, NULL } } },
	{ "unknown parameters ignored", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\"; filename*=UTF-8''x; size=3\r\n\r\nv" END,
	  0, NULL, { { "a", "v", NULL, NULL } } },
	{ "escaped quote in name", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\\\"b\"\r\n\r\nv" END, 0, NULL,
	  { { "a\"b", "v", NULL, NULL } } },
	{ "escaped backslash", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"a\\\\b\"\r\n\r\nv" END, 0, NULL,
	  { { "f", "v", "a\\b", NULL } } },
	{ "Windows path kept", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"C:\\tmp\\x.txt\"\r\n\r\nv" END,
	  0, NULL, { { "f", "v", "C:\\tmp\\x.txt", NULL } } },
	{ "percent-encoded filename kept", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"%22x%22.txt\"\r\n\r\nv" END,
	  0, NULL, { { "f", "v", "%22x%22.txt", NULL } } },
	{ "UTF-8 filename kept", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"\xc3\xa9t\xc3\xa9.txt\"\r\n\r\nv"
	  END, 0, NULL, { { "f", "v", "\xc3\xa9t\xc3\xa9.txt", NULL } } },
	{ "traversal filename kept as data", CT, "--XyZ\r\n"
	  "Content-Disposition: form-data; name=\"f\"; "
	  "filename=\"../../etc/passwd\"\r\n\r\nv" END, 0, NULL,
	  { { "f", "v", "../../etc/passwd", NULL } } },
	{ "CRLF in a text value", CT, PART("t") "l1\r\nl2\r\n" END, 0, NULL,
	  { { "t", "l1\r\nl2\r\n", NULL, NULL } } },
	{ "SQL and HTML kept", CT, PART("q") "' OR 1=1--<script>x</script>"
	  END, 0, NULL, { { "q", "' OR 1=1--<script>x</script>", NULL,
	  NULL } } },
	{ "boundary not at line start", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"f\"\r\n\r\nab--XyZ\r\ncd--XyZ--"
	  "\r\n\n--XyZ\r--XyZ" END, 0, NULL,
	  { { "f", "ab--XyZ\r\ncd--XyZ--\r\n\n--XyZ\r--XyZ", "f", NULL } } },
	{ "content starting with the boundary", CT, PART("a") "--XyZ--x" END,
	  0, NULL, { { "a", "--XyZ--x", NULL, NULL } } },
	{ "file with invalid UTF-8", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"b\"\r\n\r\n\xc0\xaf\xed\xa0\x80"
	  END, 0, NULL, { { "f", "\xc0\xaf\xed\xa0\x80", "b", NULL } } },

	{ "no Content-Type", NULL, PART("a") "v" END, 400, "Content-Type",
	  NOWANT },
	{ "urlencoded type", "application/x-www-form-urlencoded",
	  PART("a") "v" END, 400, "multipart", NOWANT },
	{ "mixed type", "multipart/mixed; boundary=XyZ", PART("a") "v" END,
	  400, "multipart", NOWANT },
	{ "type prefix only", "multipart/form-datax; boundary=XyZ",
	  PART("a") "v" END, 400, "malformed", NOWANT },
	{ "no boundary parameter", "multipart/form-data", PART("a") "v" END,
	  400, "no boundary", NOWANT },
	{ "boundary without value", "multipart/form-data; boundary",
	  PART("a") "v" END, 400, "malformed", NOWANT },
	{ "empty boundary", "multipart/form-data; boundary=\"\"",
	  PART("a") "v" END, 400, "invalid boundary", NOWANT },
	{ "boundary ending in space", "multipart/form-data; boundary=\"ab \"",
	  "--ab \r\n" CD("a") "\r\nv\r\n--ab --", 400, "invalid boundary",
	  NOWANT },
	{ "boundary with bad char", "multipart/form-data; boundary=a<b",
	  "--a<b\r\n" CD("a") "\r\nv\r\n--a<b--", 400, "invalid boundary",
	  NOWANT },
	{ "unterminated quote", "multipart/form-data; boundary=\"XyZ",
	  PART("a") "v" END, 400, "malformed", NOWANT },
	{ "two boundaries", CT "; boundary=XyZ", PART("a") "v" END, 400,
	  "two boundary", NOWANT },
	{ "control char in type", "multipart/form-data;\x01 boundary=XyZ",
	  PART("a") "v" END, 400, "Content-Type", NOWANT },
	{ "empty body", CT, "", 400, "no boundary in body", NOWANT },
	{ "body without delimiter", CT, "a=1&b=2", 400, "no boundary in body",
	  NOWANT },
	{ "closing delimiter missing", CT, PART("a") "hello", 400,
	  "no closing boundary", NOWANT },
	{ "closing delimiter missing, CRLF", CT, PART("a") "hello\r\n", 400,
	  "no closing boundary", NOWANT },
	{ "closing delimiter cut", CT, PART("a") "hello\r\n--XyZ", 400,
	  "malformed boundary line", NOWANT },
	{ "closing delimiter half", CT, PART("a") "hello\r\n--XyZ-", 400,
	  "malformed boundary line", NOWANT },
	{ "longer boundary in content", CT, PART("a") "x\r\n--XyZW\r\n" END,
	  400, "malformed boundary line", NOWANT },
	{ "LF-only lines", CT, "--XyZ\n" CD("a") "\nv\n--XyZ--\n", 400,
	  "malformed boundary line", NOWANT },
	{ "headers not terminated", CT, "--XyZ\r\n" CD("a"), 400,
	  "not terminated", NOWANT },
	{ "no Content-Disposition", CT, "--XyZ\r\nContent-Type: text/plain"
	  "\r\n\r\nv" END, 400, "no Content-Disposition", NOWANT },
	{ "no headers", CT, "--XyZ\r\n\r\nv" END, 400,
	  "no Content-Disposition", NOWANT },
	{ "attachment disposition", CT, "--XyZ\r\nContent-Disposition: "
	  "attachment; name=\"a\"\r\n\r\nv" END, 400, "form-data",
	  NOWANT },
	{ "no name", CT, "--XyZ\r\nContent-Disposition: form-data; "
	  "filename=\"x\"\r\n\r\nv" END, 400, "no name", NOWANT },
	{ "empty name", CT, PART("") "v" END, 400, "no name", NOWANT },
	{ "duplicate names", CT, PART("a") "1" NEXT CD("a") "\r\n2" END, 400,
	  "duplicate name", NOWANT },
	{ "two dispositions", CT, "--XyZ\r\n" CD("a") CD("b") "\r\nv" END,
	  400, "two Content-Disposition", NOWANT },
	{ "two types", CT, "--XyZ\r\n" CD("a") "Content-Type: a/b\r\n"
	  "Content-Type: c/d\r\n\r\nv" END, 400, "two Content-Type",
	  NOWANT },
	{ "repeated name parameter", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\"; name=\"b\"\r\n\r\nv" END, 400, "repeated",
	  NOWANT },
	{ "bad disposition parameters", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\" junk\r\n\r\nv" END, 400,
	  "malformed Content-Disposition", NOWANT },
	{ "unterminated name quote", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\r\n\r\nv" END, 400,
	  "malformed Content-Disposition", NOWANT },
	{ "header without colon", CT, "--XyZ\r\n" CD("a") "junk\r\n\r\nv" END,
	  400, "malformed header", NOWANT },
	{ "space before colon", CT, "--XyZ\r\nContent-Disposition : "
	  "form-data; name=\"a\"\r\n\r\nv" END, 400, "malformed header",
	  NOWANT },
	{ "folded header", CT, "--XyZ\r\nContent-Disposition: form-data;\r\n"
	  " name=\"a\"\r\n\r\nv" END, 400, "malformed header", NOWANT },
	{ "control char in header", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\x01\"\r\n\r\nv" END, 400, "malformed header",
	  NOWANT },
	{ "lone CR in header", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"a\rb\"\r\n\r\nv" END, 400, "malformed header",
	  NOWANT },
	{ "invalid UTF-8 filename", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"\xff\"\r\n\r\nv" END, 400,
	  "malformed header", NOWANT },
	{ "overlong name", CT, PART("\xc0\xaf") "v" END, 400,
	  "malformed header", NOWANT },
	{ "text: overlong slash", CT, PART("a") "\xc0\xaf" END, 400, "UTF-8",
	  NOWANT },
	{ "text: lone surrogate", CT, PART("a") "\xed\xa0\x80" END, 400,
	  "UTF-8", NOWANT },
	{ "text: truncated sequence", CT, PART("a") "x\xe2\x82" END, 400,
	  "UTF-8", NOWANT },
	{ "text: second part bad", CT, PART("a") "ok" NEXT CD("b") "\r\n\xff"
	  END, 400, "part 2", NOWANT },
};

/* Limit boundaries, parsed with the small limits above. */
static const struct mcase smallcases[] = {
	{ "max_params exactly", CT, PART("a") "1" NEXT CD("b") "\r\n2" END,
	  0, NULL, { { "a", "1", NULL, NULL }, { "b", "2", NULL, NULL } } },
	{ "max_params + 1", CT, PART("a") "1" NEXT CD("b") "\r\n2" NEXT
	  CD("c") "\r\n3" END, 413, "max_params", NOWANT },
	{ "max_name exactly", CT, PART("abcd") "v" END, 0, NULL,
	  { { "abcd", "v", NULL, NULL } } },
	{ "max_name + 1", CT, PART("abcde") "v" END, 413, "max_name",
	  NOWANT },
	{ "max_value exactly", CT, PART("a") "12345" END, 0, NULL,
	  { { "a", "12345", NULL, NULL } } },
	{ "max_value + 1", CT, PART("a") "123456" END, 413, "max_value",
	  NOWANT },
	{ "max_file exactly", CT, "--XyZ\r\nContent-Disposition: form-data; "
	  "name=\"f\"; filename=\"x\"\r\n\r\n12345678" END, 0, NULL,
	  { { "f", "12345678", "x", NULL } } },
	{ "max_file + 1", CT, "--XyZ\r\nContent-Disposition: form-data; "
	  "name=\"f\"; filename=\"x\"\r\n\r\n123456789" END, 413, "max_file",
	  NOWANT },
	{ "file is not held to max_value", CT, "--XyZ\r\nContent-Disposition: "
	  "form-data; name=\"f\"; filename=\"x\"\r\n\r\n1234567" END, 0, NULL,
	  { { "f", "1234567", "x", NULL } } },
};

/*
 * Return 1 if errmsg holds none of the 8-byte runs of the input, but
 * for runs of the protocol words that messages name on purpose.
 */
static int
noecho(const char *errmsg, const char *in, size_t n)
{
	static const char	 words[] = "Content-Disposition Content-Type "
	    "multipart/form-data";
	size_t			 i;

	for (i = 0; i + 8 <= n; i++)
		if (memmem(errmsg, strlen(errmsg), in + i, 8) != NULL &&
		    memmem(words, sizeof(words) - 1, in + i, 8) == NULL)
			return 0;
	return 1;
}

/* Compare one parsed part with what was wanted. */
static void
checkpart(const char *desc, const struct param *got, const struct mwant *w)
{

	is_str(got->name, w->name, "%s: name", desc);
	is_str(got->value, w->value, "%s: value", desc);
	is_int(got->valsz, strlen(w->value), "%s: valsz", desc);
	is_str(got->filename, w->filename, "%s: filename", desc);
	is_str(got->ctype, w->ctype, "%s: ctype", desc);
}

/* Check one parse result against its case; n 0 means strlen. */
static void
check(const struct mcase *c, size_t n, const struct parse_limits *lim)
{
	struct params	 p = PARAMS_INIT;
	size_t		 i, want = 0;
	int		 rc;

	while (want < 4 && c->want[want].name != NULL)
		want++;
	if (n == 0)
		n = strlen(c->body);
	rc = multipart_parse(&p, c->ct, c->body, n, lim);
	if (c->status != 0) {
		is_int(rc, -1, "%s: fails", c->desc);
		is_int(p.status, c->status, "%s: status", c->desc);
		ok(p.n == 0 && p.v == NULL, "%s: list empty", c->desc);
		ok(strstr(p.errmsg, c->errword) != NULL, "%s: errmsg says "
		    "'%s' (%s)", c->desc, c->errword, p.errmsg);
		ok(noecho(p.errmsg, c->body, n), "%s: errmsg holds no input",
		    c->desc);
		return;
	}
	is_int(rc, 0, "%s: parses (%s)", c->desc, p.errmsg);
	is_int(p.n, want, "%s: %zu parts", c->desc, want);
	for (i = 0; i < want && i < p.n; i++)
		checkpart(c->desc, &p.v[i], &c->want[i]);
	params_free(&p);
}

/* A file part holding NUL, CR, LF and high bytes comes back exact. */
static void
binary(void)
{
	static const char	 data[] = "\0\x01\xff\r\n\0--XyZ\0\r";
	struct params		 p = PARAMS_INIT;
	struct buf		 b = BUF_INIT;
	const struct param	*f;

	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"a.bin\"\r\nContent-Type: application/octet-stream"
	    "\r\n\r\n");
	buf_append(&b, data, sizeof(data) - 1);
	buf_puts(&b, END);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), 0, "binary part");
	f = params_get(&p, "f");
	ok(f != NULL && f->valsz == sizeof(data) - 1 &&
	    memcmp(f->value, data, sizeof(data) - 1) == 0,
	    "binary: %zu bytes exact", sizeof(data) - 1);
	ok(f != NULL && f->value[f->valsz] == '\0', "binary: NUL-terminated");
	buf_reset(&b);
	buf_puts(&b, PART("t"));
	buf_append(&b, data, sizeof(data) - 1);
	buf_puts(&b, END);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), -1, "same bytes "
	    "in a text part fail");
	is_int(p.status, 400, "text part with NUL: 400");
	buf_free(&b);
	params_free(&p);
}

/* Fill b with a part whose Content-Disposition line is len bytes. */
static void
longline(struct buf *b, size_t len)
{
	buf_reset(b);
	buf_puts(b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
	    "filename=\"");
	while (b->len < 7 + len - 1)
		buf_putc(b, 'x');
	buf_puts(b, "\"\r\n\r\nv" END);
}

/* Header line and header count limits, exactly at and one over. */
static void
headerlimits(void)
{
	struct params	 p = PARAMS_INIT;
	struct buf	 b = BUF_INIT;
	int		 i;

	longline(&b, 1024);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), 0,
	    "1024-byte header line");
	ok(p.n == 1 && strlen(p.v[0].filename) == 1024 - 53,
	    "1024-byte line: filename whole");
	longline(&b, 1025);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), -1,
	    "1025-byte header line");
	ok(p.status == 400 && strstr(p.errmsg, "1024"), "1025 bytes: 400 "
	    "(%s)", p.errmsg);
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD("a"));
	for (i = 0; i < 7; i++)
		buf_puts(&b, "X-A: b\r\n");
	buf_puts(&b, "\r\nv" END);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), 0,
	    "8 header lines");
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n" CD("a"));
	for (i = 0; i < 8; i++)
		buf_puts(&b, "X-A: b\r\n");
	buf_puts(&b, "\r\nv" END);
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), -1,
	    "9 header lines");
	ok(p.status == 400 && strstr(p.errmsg, "header lines"), "9 lines: "
	    "400 (%s)", p.errmsg);
	buf_free(&b);
	params_free(&p);
}

/* Boundary of 70 characters passes, 71 fails. */
static void
boundarylen(void)
{
	struct params	 p = PARAMS_INIT;
	struct buf	 ct = BUF_INIT, b = BUF_INIT;
	char		 bd[72];

	memset(bd, 'b', 70);
	bd[70] = '\0';
	buf_printf(&ct, "multipart/form-data; boundary=%s", bd);
	buf_printf(&b, "--%s\r\n" CD("a") "\r\nv\r\n--%s--", bd, bd);
	is_int(multipart_parse(&p, ct.data, b.data, b.len, NULL), 0,
	    "70-char boundary");
	memset(bd, 'b', 71);
	bd[71] = '\0';
	buf_reset(&ct);
	buf_reset(&b);
	buf_printf(&ct, "multipart/form-data; boundary=%s", bd);
	buf_printf(&b, "--%s\r\n" CD("a") "\r\nv\r\n--%s--", bd, bd);
	is_int(multipart_parse(&p, ct.data, b.data, b.len, NULL), -1,
	    "71-char boundary");
	is_int(p.status, 400, "71-char boundary: 400");
	buf_free(&ct);
	buf_free(&b);
	params_free(&p);
}

/* max_total at the body's exact size, one under it, and 10k parts. */
static void
totals(void)
{
	struct parse_limits	 lim = parse_limits_default;
	struct params		 p = PARAMS_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	buf_puts(&b, PART("a") "v" END);
	lim.max_total = b.len;
	is_int(multipart_parse(&p, CT, b.data, b.len, &lim), 0,
	    "body of max_total");
	lim.max_total = b.len - 1;
	is_int(multipart_parse(&p, CT, b.data, b.len, &lim), -1,
	    "body over max_total");
	ok(p.status == 413 && strstr(p.errmsg, "max_total"),
	    "over max_total: 413 (%s)", p.errmsg);
	buf_reset(&b);
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "--XyZ\r\n" CD("p%zu") "\r\nv\r\n", i);
	buf_puts(&b, "--XyZ--\r\n");
	is_int(multipart_parse(&p, CT, b.data, b.len, NULL), -1, "10k parts");
	ok(p.status == 413 && strstr(p.errmsg, "max_params"),
	    "10k parts: 413 (%s)", p.errmsg);
	buf_free(&b);
	params_free(&p);
}

/* A file of exactly the default max_file, within a raised max_total. */
static void
bigfile(void)
{
	struct parse_limits	 lim = parse_limits_default;
	struct params		 p = PARAMS_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i, head;

	lim.max_total = 3 * 1024 * 1024;
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"big\"\r\n\r\n");
	head = b.len;
	for (i = 0; i < lim.max_file; i++)
		buf_putc(&b, (char)(i % 251));
	buf_puts(&b, END);
	is_int(multipart_parse(&p, CT, b.data, b.len, &lim), 0,
	    "file of max_file");
	ok(p.n == 1 && p.v[0].valsz == lim.max_file &&
	    memcmp(p.v[0].value, b.data + head, lim.max_file) == 0,
	    "max_file bytes exact");
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
	    "filename=\"big\"\r\n\r\n");
	for (i = 0; i <= lim.max_file; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, END);
	is_int(multipart_parse(&p, CT, b.data, b.len, &lim), -1,
	    "file over max_file");
	is_int(p.status, 413, "file over max_file: 413");
	buf_free(&b);
	params_free(&p);
}

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i], 0, NULL);
	for (i = 0; i < sizeof(smallcases) / sizeof(smallcases[0]); i++)
		check(&smallcases[i], 0, &small);
	check(&cases[4], strlen(cases[4].body) + 2, NULL);
	binary();
	headerlimits();
	boundarylen();
	totals();
	bigfile();
	return done_testing();
}
