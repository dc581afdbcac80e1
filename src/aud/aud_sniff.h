/* aud_sniff.h: the start of an uploaded CSV file: is it text, its delimiter, its header, its first rows, and the contact field each column name suggests. */
#ifndef WA_AUD_SNIFF_H
#define WA_AUD_SNIFF_H

#include <stddef.h>

#define AUD_SNIFF_ROWS	20	/* rows a preview shows */
#define AUD_SNIFF_COLS	100	/* columns a file may have */
#define AUD_SNIFF_CELL	1000	/* bytes of a cell a preview keeps */

struct aud_sniff_row {
	long long	 line;		/* the file's line the row starts on */
	size_t		 n;
	char		*cells[AUD_SNIFF_COLS];
};

struct aud_sniff {
	char			 delim;		/* ',', ';' or '\t' */
	size_t			 ncols;
	char			*header[AUD_SNIFF_COLS];
	size_t			 nrows;
	struct aud_sniff_row	 rows[AUD_SNIFF_ROWS];
	int			 complete;	/* the whole file was read */
	const char		*err;		/* English (N_) after -1 */
};

int		 aud_sniff(struct aud_sniff *, const char *, size_t, int);
void		 aud_sniff_free(struct aud_sniff *);
char		 aud_sniff_delim(const char *, size_t);
const char	*aud_sniff_target(const char *);

#endif
