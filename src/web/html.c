/* html.c: escape bytes for HTML text and attributes, and for URL arguments. */
#include <stddef.h>

#include "core/buf.h"
#include "html.h"

/* Entity for each byte that HTML escaping replaces; NULL means copy as is. */
static const char *const html_entity[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;",
};

/*
 * Append s[0..n) to b with & < > " ' replaced by entities, so the result is
 * safe both as element text and inside a single- or double-quoted attribute.
 * Every other byte, UTF-8 sequences included, is copied unchanged.
 */
void
html_escape(struct buf *b, const char *s, size_t n)
{
	const char	*ent;
	size_t		 i, run = 0;

	for (i = 0; i < n; i++) {
		ent = html_entity[(unsigned char)s[i]];
		if (ent == NULL)
			continue;
		if (i > run)
			buf_append(b, s + run, i - run);
		buf_puts(b, ent);
		run = i + 1;
	}
	if (n > run)
		buf_append(b, s + run, n - run);
}

/* RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int
html_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * Append s[0..n) to b percent-encoded (upper-case hex) except for the
 * unreserved characters, for use as one query argument name or value.
 */
void
html_url_arg(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 pct[3];
	unsigned char		 c;
	size_t			 i, run = 0;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (html_unreserved(c))
			continue;
		if (i > run)
			buf_append(b, s + run, i - run);
		pct[0] = '%';
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 0xf];
		buf_append(b, pct, sizeof(pct));
		run = i + 1;
	}
	if (n > run)
		buf_append(b, s + run, n - run);
}
