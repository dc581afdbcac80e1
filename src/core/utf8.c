/* utf8.c: strict UTF-8 validation per RFC 3629, rejecting NUL bytes too. */
#include "utf8.h"

/*
 * Return 1 if the n bytes are well-formed UTF-8 without NUL, else 0.
 * Overlong forms, UTF-16 surrogates and code points above U+10FFFF
 * are rejected (the table in RFC 3629 section 4).
 */
int
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k, len;
	unsigned char		 lo, hi;

	while (i < n) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80, hi = 0xbf;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			len = 2;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			len = 3;
			if (p[i] == 0xe0)
				lo = 0xa0;
			else if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			len = 4;
			if (p[i] == 0xf0)
				lo = 0x90;
			else if (p[i] == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (n - i < len)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k < len; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return 0;
		i += len;
	}
	return 1;
}

/*
 * The code point of the UTF-8 sequence at p, which the caller has
 * checked with utf8_valid; its length in bytes goes to *len.
 */
unsigned long
utf8_decode(const char *s, size_t *len)
{
	const unsigned char	*p = (const unsigned char *)s;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] < 0xe0) {
		*len = 2;
		return (p[0] & 0x1fUL) << 6 | (p[1] & 0x3f);
	}
	if (p[0] < 0xf0) {
		*len = 3;
		return (p[0] & 0x0fUL) << 12 | (p[1] & 0x3fUL) << 6 |
		    (p[2] & 0x3f);
	}
	*len = 4;
	return (p[0] & 0x07UL) << 18 | (p[1] & 0x3fUL) << 12 |
	    (p[2] & 0x3fUL) << 6 | (p[3] & 0x3f);
}
