/* csvout.h: a CSV download streamed from one statement read in keyset pages, by the exports' writer (a BOM, RFC 4180, formula cells neutralised). */
#ifndef WA_CSVOUT_H
#define WA_CSVOUT_H

struct req;
struct stmt;

/*
 * The statement's parameters are params[0 .. nparams - 2] and, last, the
 * key to start after ("0" first); its column 0 is a row's key, columns 1
 * to ncols the cells, in the order of head; it returns at most page rows.
 */
struct csvout {
	const struct stmt	 *stmt;
	const char		**params;	/* nparams, the last set here */
	int			  nparams;
	const char *const	 *head;		/* ncols names */
	int			  ncols;
	int			  page;
	const char		 *filename;	/* of the attachment */
};

/*
 * Send it as the answer (200, the head row, every row): 0, or 503 when
 * the first page cannot be read (nothing sent yet).
 */
int	csvout_send(struct req *, const struct csvout *);

#endif
