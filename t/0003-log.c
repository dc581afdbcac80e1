/* 0003-log: logfmt quoting keeps every record on one line. */
#include "core/buf.h"
#include "core/log.h"
#include "tap.h"

static const struct {
	const char	*val;
	const char	*want;
} cases[] = {
	{ "plain", " k=plain" },
	{ "", " k=\"\"" },
	{ "two words", " k=\"two words\"" },
	{ "a=b", " k=\"a=b\"" },
	{ "say \"hi\"", " k=\"say \\\"hi\\\"\"" },
	{ "back\\slash", " k=\"back\\\\slash\"" },
	{ "line\nbreak", " k=\"line\\nbreak\"" },
	{ "cr\rlf", " k=\"cr\\x0dlf\"" },
	{ "tab\tx", " k=\"tab\\x09x\"" },
	{ "del\x7f", " k=\"del\\x7f\"" },
	{ "caf\xc3\xa9", " k=caf\xc3\xa9" },
};

int
main(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		buf_puts(&b, "x=1");
		log_kv(&b, "k", cases[i].val);
		is_str(buf_str(&b) + 3, cases[i].want, "value %zu quoted", i);
	}
	buf_reset(&b);
	log_kv(&b, "first", "v");
	is_str(buf_str(&b), "first=v", "no leading space on an empty line");
	buf_free(&b);
	return done_testing();
}
