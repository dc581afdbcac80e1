/* 0002-utf8: strict UTF-8 validation, table-driven with hostile sequences. */
#include <string.h>

#include "core/utf8.h"
#include "tap.h"

static const struct {
	const char	*s;
	size_t		 n;
	int		 want;
	const char	*what;
} cases[] = {
	{ "", 0, 1, "empty" },
	{ "plain ascii", 11, 1, "ASCII" },
	{ "caf\xc3\xa9", 5, 1, "2-byte e-acute" },
	{ "\xe2\x82\xac", 3, 1, "3-byte euro sign" },
	{ "\xf0\x9f\x98\x80", 4, 1, "4-byte emoji" },
	{ "\xef\xbf\xbf", 3, 1, "U+FFFF" },
	{ "\xf4\x8f\xbf\xbf", 4, 1, "U+10FFFF, the last code point" },
	{ "a\0b", 3, 0, "NUL byte" },
	{ "\xc0\xaf", 2, 0, "overlong slash" },
	{ "\xc1\xbf", 2, 0, "overlong 2-byte" },
	{ "\xe0\x80\xaf", 3, 0, "overlong 3-byte" },
	{ "\xf0\x80\x80\xaf", 4, 0, "overlong 4-byte" },
	{ "\xed\xa0\x80", 3, 0, "lone high surrogate" },
	{ "\xed\xbf\xbf", 3, 0, "lone low surrogate" },
	{ "\xf4\x90\x80\x80", 4, 0, "above U+10FFFF" },
	{ "\xf5\x80\x80\x80", 4, 0, "F5 lead byte" },
	{ "\xff", 1, 0, "FF byte" },
	{ "\x80", 1, 0, "lone continuation byte" },
	{ "\xe2\x82", 2, 0, "truncated 3-byte" },
	{ "\xc3", 1, 0, "truncated 2-byte at end" },
	{ "\xc3\x28", 2, 0, "bad continuation" },
	{ "\xe2\x28\xa1", 3, 0, "bad second byte of 3" },
};

int
main(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(utf8_valid(cases[i].s, cases[i].n), cases[i].want,
		    "%s", cases[i].what);
	return done_testing();
}
