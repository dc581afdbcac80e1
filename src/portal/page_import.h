/* page_import.h: what the contact import pages (page_import.c, page_import_map.c, page_import_run.c) share: one import of the customer, its view, its progress. */
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

struct field;

/* page_import.c: what the import pages share. */
struct json_object	*import_view(struct req *);
struct json_object	*import_size(long long);
const char		*import_state_word(struct req *, const char *);
int			 import_valid_country(struct req *, struct field *);

/* page_import_map.c: one import of the customer. */
PGresult		*import_get(struct req *, int *status);

/* page_import_run.c: a started import's page and progress. */
int			 import_job_page(struct req *, const PGresult *);
struct json_object	*import_progress(struct req *, const PGresult *);

#endif
