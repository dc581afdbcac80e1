/* 0034-aud-csv: the export's CSV writer: BOM, RFC 4180 quoting, CRLF rows and formula cells neutralised. */
#include <string.h>

#include "aud/aud_csv.h"
#include "core/buf.h"
#include "tap.h"

struct cell {
	const char	*in;
	const char	*out;
	const char	*desc;
};

static void
test_cells(void)
{
	static const struct cell cases[] = {
		{ "Budi", "Budi", "plain" },
		{ "", "", "empty" },
		{ "a,b", "\"a,b\"", "comma quoted" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"", "quotes doubled" },
		{ "two\nlines", "\"two\nlines\"", "LF quoted" },
		{ "cr\rhere", "\"cr\rhere\"", "CR quoted" },
		{ "=1+2", "'=1+2", "= neutralised" },
		{ "+6281234567890", "'+6281234567890", "+ neutralised" },
		{ "-5", "'-5", "- neutralised" },
		{ "@SUM(A1)", "'@SUM(A1)", "@ neutralised" },
		{ "\tx", "'\tx", "tab neutralised" },
		{ "\rx", "\"'\rx\"", "CR neutralised and quoted" },
		{ "=HYPERLINK(\"http://x\",\"y\")",
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
		  "a formula with quotes: neutralised inside the quotes" },
		{ "a=b", "a=b", "= inside kept" },
		{ "'quoted", "'quoted", "an apostrophe already there kept" },
		{ "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9", "UTF-8 as is" },
		{ "<b>x</b>", "<b>x</b>", "HTML as is" },
	};
	struct buf	 b = BUF_INIT;
	struct aud_csv	 c;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		c.out = &b, c.cells = 0;
		aud_csv_cellz(&c, cases[i].in);
		buf_puts(&b, "");
		is_str(b.data, cases[i].out, "%s", cases[i].desc);
	}
	buf_free(&b);
}

static void
test_file(void)
{
	struct buf	 b = BUF_INIT;
	struct aud_csv	 c;

	aud_csv_start(&c, &b);
	aud_csv_cellz(&c, "phone");
	aud_csv_cellz(&c, "name");
	aud_csv_end(&c);
	aud_csv_cellz(&c, "+62811");
	aud_csv_cell(&c, "a\0b", 3);
	aud_csv_end(&c);
	ok(b.len == 3 + 12 + 13 && memcmp(b.data, "\xef\xbb\xbfphone,name\r\n"
	    "'+62811,a\0b\r\n", b.len) == 0, "BOM, header, CRLF rows; bytes kept");
	ok(aud_csv_formula("=", 1) && !aud_csv_formula("", 0) &&
	    !aud_csv_formula("x=", 2), "what a formula cell is");
	buf_free(&b);
}

int
main(void)
{
	test_cells();
	test_file();
	return done_testing();
}
