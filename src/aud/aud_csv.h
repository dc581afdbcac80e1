/* aud_csv.h: the CSV writer of contact exports: RFC 4180 quoting, a UTF-8 BOM for spreadsheets, formula cells neutralised. */
#ifndef WA_AUD_CSV_H
#define WA_AUD_CSV_H

#include <stddef.h>

#include "core/buf.h"

/*
 * A row is built cell by cell into a buffer the caller flushes (to the
 * response or a file) whenever it likes: the writer keeps no state but
 * whether the row has a cell yet.
 */
struct aud_csv {
	struct buf	*out;
	int		 cells;		/* cells in the current row */
};

/* Start a file: the UTF-8 byte order mark, so spreadsheets read UTF-8. */
void	aud_csv_start(struct aud_csv *, struct buf *);

/*
 * One cell of n bytes. A cell starting with = + - @ tab or CR gets a
 * leading apostrophe (a spreadsheet would run it as a formula); a cell
 * holding a comma, a double quote, CR or LF is quoted, its quotes
 * doubled (RFC 4180).
 */
void	aud_csv_cell(struct aud_csv *, const char *, size_t);
void	aud_csv_cellz(struct aud_csv *, const char *);

/* End the row with CRLF (RFC 4180). */
void	aud_csv_end(struct aud_csv *);

/* 1 when a spreadsheet would read the cell as a formula. */
int	aud_csv_formula(const char *, size_t);

#endif
