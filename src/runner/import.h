/* import.h: the parts of a contact import: the CSV reader (libcsv, line numbers, flat memory) and the row checker that writes COPY rows and rejects. */
#ifndef WA_IMPORT_H
#define WA_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <csv.h>

#include "core/buf.h"
#include "core/contact_field.h"

/* A record longer than this (an unclosed quote?) fails the import. */
#define CSVR_RECORD_MAX	(1024 * 1024)

/* One record: the kept columns (the others are only counted). */
struct csvr_record {
	int64_t		 line;		/* the file's line where it starts */
	struct buf	*cols;		/* [ncols]; absent ones are empty */
	size_t		 ncols;
	size_t		 nfields;	/* fields the record had */
};

typedef void (*csvr_cb)(void *, const struct csvr_record *);

/* The reader: fed the file in pieces, it calls back once per record. */
struct csvr {
	struct csv_parser p;
	csvr_cb		 cb;
	void		*arg;
	struct csvr_record rec;
	int64_t		 line;		/* line of the next byte fed */
	size_t		 rec_bytes;	/* bytes fed since the record began */
	int		 in_record;
	int		 nonempty;	/* the record has a non-empty field */
	int		 started;	/* some byte fed (the BOM is checked) */
	int		 too_long;	/* a record passed CSVR_RECORD_MAX */
};

void	 csvr_init(struct csvr *, char delim, size_t ncols, csvr_cb, void *);
int	 csvr_feed(struct csvr *, const char *, size_t);
int	 csvr_finish(struct csvr *);
void	 csvr_free(struct csvr *);

/* What each column of the file becomes. */
enum imap_target {
	IMAP_PHONE,
	IMAP_NAME,
	IMAP_EMAIL,
	IMAP_LANGUAGE,
	IMAP_NOTES,
	IMAP_STATUS,
	IMAP_CONSENT_NOTE,
	IMAP_TAGS,
	IMAP__MAX
};

/* A custom field mapped to a column. */
struct imap_field {
	char		*key;
	int		 col;
	enum cfield_kind kind;
	char		**choices;
	size_t		 nchoices;
};

/* The import's options, from the imports row. */
struct imap {
	int		 col[IMAP__MAX];	/* -1: not in the file */
	struct imap_field *fields;
	size_t		 nfields;
	char		**header;
	size_t		 nheader;
	char		 country[3];
	char		 delim;
	size_t		 ncols;			/* highest column used + 1 */
};

extern const char *const imap_targets[IMAP__MAX];

/* The rows of one batch: COPY text of import_rows and import_rejects. */
struct irows {
	const char	*job;			/* the job id, as text */
	struct buf	 rows, rejects;
	int64_t		 nrows, nrejects;	/* in the buffers */
	int64_t		 staged, rejected;	/* in all */
	struct buf	 tmp, json, tags;	/* scratch */
	char		 reason[48];
};

int	 imap_parse(struct imap *, const char *mapping, const char *header,
	    const char *fields, const char **why);
void	 imap_free(struct imap *);
void	 irow_check(const struct imap *, struct irows *,
	    const struct csvr_record *);
void	 irows_clear(struct irows *);
void	 irows_free(struct irows *);

#endif
