/* import_csv.c: read a CSV file fed in pieces with libcsv: BOM, delimiter, quoted fields over lines, the line each record starts at, empty lines skipped, memory bounded. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "import.h"

/* Only the space trims unquoted fields (a tab may be the delimiter). */
static int
csvr_space(unsigned char c)
{
	return c == ' ';
}

static int
csvr_term(unsigned char c)
{
	return c == '\n' || c == '\r';
}

/* A field ended: keep it when its column is kept. */
static void
csvr_field(void *s, size_t len, void *arg)
{
	struct csvr	*r = arg;

	if (!r->in_record) {
		r->in_record = 1;
		r->rec.line = r->line;
	}
	if (r->rec.nfields < r->rec.ncols && len > 0)
		buf_append(&r->rec.cols[r->rec.nfields], s, len);
	if (len > 0)
		r->nonempty = 1;
	r->rec.nfields++;
}

/* A record ended: hand it over unless all its fields were empty. */
static void
csvr_row(int c, void *arg)
{
	struct csvr	*r = arg;
	size_t		 i;

	(void)c;
	if (r->nonempty)
		r->cb(r->arg, &r->rec);
	for (i = 0; i < r->rec.ncols; i++)
		buf_reset(&r->rec.cols[i]);
	r->rec.nfields = 0;
	r->nonempty = 0;
	r->in_record = 0;
	r->rec_bytes = 0;
}

void
csvr_init(struct csvr *r, char delim, size_t ncols, csvr_cb cb, void *arg)
{
	memset(r, 0, sizeof(*r));
	csv_init(&r->p, 0);
	csv_set_delim(&r->p, (unsigned char)delim);
	csv_set_space_func(&r->p, csvr_space);
	csv_set_term_func(&r->p, csvr_term);
	csv_set_realloc_func(&r->p, xrealloc);
	csv_set_free_func(&r->p, free);
	r->cb = cb;
	r->arg = arg;
	r->line = 1;
	r->rec.ncols = ncols;
	r->rec.cols = xcalloc(ncols > 0 ? ncols : 1, sizeof(*r->rec.cols));
}

/*
 * Feed one line (up to and including its LF, or the end of the piece)
 * to libcsv, noting where a record begins and how long it grows.
 */
static int
csvr_segment(struct csvr *r, const char *s, size_t n)
{
	int	 blank = n <= 2 && (s[0] == '\n' || s[0] == '\r');

	if (!r->in_record && !blank) {
		r->in_record = 1;
		r->rec.line = r->line;
	}
	if (r->in_record && (r->rec_bytes += n) > CSVR_RECORD_MAX) {
		r->too_long = 1;
		return -1;
	}
	if (csv_parse(&r->p, s, n, csvr_field, csvr_row, r) != n)
		return -1;
	if (s[n - 1] == '\n')
		r->line++;
	return 0;
}

/*
 * Feed the next n bytes of the file. Returns 0, or -1 when a record
 * grew past CSVR_RECORD_MAX (too_long) or libcsv failed.
 */
int
csvr_feed(struct csvr *r, const char *s, size_t n)
{
	const char	*nl;
	size_t		 len;

	if (!r->started && n > 0) {
		r->started = 1;
		if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
	}
	while (n > 0) {
		nl = memchr(s, '\n', n);
		len = nl != NULL ? (size_t)(nl - s) + 1 : n;
		if (csvr_segment(r, s, len) == -1)
			return -1;
		s += len;
		n -= len;
	}
	return 0;
}

/* The end of the file: the last record without a line break. */
int
csvr_finish(struct csvr *r)
{
	return csv_fini(&r->p, csvr_field, csvr_row, r) == 0 ? 0 : -1;
}

void
csvr_free(struct csvr *r)
{
	size_t	 i;

	if (r->rec.cols == NULL)
		return;
	csv_free(&r->p);
	for (i = 0; i < r->rec.ncols; i++)
		buf_free(&r->rec.cols[i]);
	free(r->rec.cols);
	r->rec.cols = NULL;
}
