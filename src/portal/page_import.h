/* page_import.h: one contact import of the customer, as the import pages (page_import.c, page_import_run.c) read it. */
#ifndef WA_PAGE_IMPORT_H
#define WA_PAGE_IMPORT_H

#include <libpq-fe.h>

struct json_object;
struct req;

/* The columns of import_get's result. */
enum {
	IG_ID, IG_STATE, IG_PHASE, IG_DONE, IG_TOTAL, IG_ROWS, IG_ERROR,
	IG_CANCEL_ASKED, IG_CREATED, IG_ELAPSED, IG_FILE_NAME, IG_FILE_SIZE,
	IG_HEADER, IG_MAPPING, IG_COUNTRY, IG_EXISTING, IG_ADD_TAGS,
	IG_TOTAL_ROWS, IG_INSERTED, IG_UPDATED, IG_UNCHANGED, IG_DUPLICATES,
	IG_REJECTED, IG__MAX
};

PGresult		*import_get(struct req *, int *status);
struct json_object	*import_progress(struct req *, const PGresult *);

#endif
