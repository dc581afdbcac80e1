/* ctl_table.c: waportalctl's tables: aligned columns, stored text shown so it cannot drive the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "ctl_account.h"

/* Bytes of the UTF-8 sequence that starts with lead byte c (1 if bad). */
static size_t
ctl_seqlen(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	return c >= 0xc2 ? 2 : 1;
}

/*
 * Append the cell s to out as a terminal may show it: invalid UTF-8,
 * control characters and bidirectional overrides become '?', an empty
 * cell "-".  Returns its width in code points.
 */
static size_t
ctl_cell(const char *s, struct buf *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n = strlen(s), len, w = 0;
	unsigned long		 cp;

	if (n == 0) {
		buf_putc(out, '-');
		return 1;
	}
	for (; i < n; i += len, w++) {
		len = ctl_seqlen(p[i]);
		if (len > n - i || !utf8_valid(s + i, len)) {
			buf_putc(out, '?');
			len = 1;
			continue;
		}
		cp = utf8_decode(s + i, &len);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			buf_putc(out, '?');
		else
			buf_append(out, s + i, len);
	}
	return w;
}

/* Print s to stdout as ctl_cell shows it. */
void
ctl_print_safe(const char *s)
{
	struct buf	 b = BUF_INIT;

	ctl_cell(s, &b);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
}

/* Print one row: cells padded to the column widths, two spaces apart. */
static void
ctl_table_row(const PGresult *res, int row, const char *const *head,
    const size_t *width, int ncol)
{
	struct buf	 line = BUF_INIT;
	size_t		 w;
	int		 j;

	for (j = 0; j < ncol; j++) {
		w = ctl_cell(row < 0 ? head[j] : PQgetvalue(res, row, j),
		    &line);
		while (j + 1 < ncol && w++ < width[j] + 2)
			buf_putc(&line, ' ');
	}
	printf("%s\n", buf_str(&line));
	buf_free(&line);
}

/*
 * Print res as a table under the headings head (one per column):
 * every value sanitised by ctl_cell, so stored text cannot drive the
 * terminal.
 */
void
ctl_table_print(const PGresult *res, const char *const *head)
{
	struct buf	 scratch = BUF_INIT;
	size_t		*width, w;
	int		 i, j, ncol = PQnfields(res);

	width = xcalloc((size_t)ncol, sizeof(*width));
	for (i = -1; i < PQntuples(res); i++)
		for (j = 0; j < ncol; j++) {
			w = ctl_cell(i < 0 ? head[j] : PQgetvalue(res, i, j),
			    &scratch);
			buf_reset(&scratch);
			if (w > width[j])
				width[j] = w;
		}
	for (i = -1; i < PQntuples(res); i++)
		ctl_table_row(res, i, head, width, ncol);
	free(width);
	buf_free(&scratch);
}
