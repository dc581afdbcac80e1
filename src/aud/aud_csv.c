/* aud_csv.c: the CSV writer of contact exports: RFC 4180 quoting, a UTF-8 BOM, formula cells neutralised. */
#include <string.h>

#include "core/buf.h"
#include "aud_csv.h"

void
aud_csv_start(struct aud_csv *c, struct buf *out)
{
	c->out = out;
	c->cells = 0;
	buf_append(out, "\xef\xbb\xbf", 3);
}

int
aud_csv_formula(const char *s, size_t n)
{
	return n > 0 && strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
}

void
aud_csv_cell(struct aud_csv *c, const char *s, size_t n)
{
	int	 quote = memchr(s, ',', n) != NULL || memchr(s, '"', n) != NULL
		    || memchr(s, '\r', n) != NULL || memchr(s, '\n', n) != NULL;
	size_t	 i, run = 0;

	if (c->cells++ > 0)
		buf_putc(c->out, ',');
	if (quote)
		buf_putc(c->out, '"');
	if (aud_csv_formula(s, n))
		buf_putc(c->out, '\'');
	for (i = 0; quote && i < n; i++)
		if (s[i] == '"') {
			buf_append(c->out, s + run, i + 1 - run);
			buf_putc(c->out, '"');
			run = i + 1;
		}
	buf_append(c->out, s + run, n - run);
	if (quote)
		buf_putc(c->out, '"');
}

void
aud_csv_cellz(struct aud_csv *c, const char *s)
{
	aud_csv_cell(c, s, strlen(s));
}

void
aud_csv_end(struct aud_csv *c)
{
	buf_append(c->out, "\r\n", 2);
	c->cells = 0;
}
