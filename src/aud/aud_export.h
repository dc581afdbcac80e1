/* aud_export.h: a contact export's CSV, shared by the worker's export, the runner's background export and the API: the selection parsed from its stored form, the batch statement in id order, the header and the rows, and the background exports' records. */
#ifndef WA_AUD_EXPORT_H
#define WA_AUD_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/db.h"
#include "aud_csv.h"
#include "aud_filter.h"

#define AUD_EXPORT_BATCH	1000	/* rows one statement reads */
#define AUD_EXPORT_IDS_MAX	100000	/* ids a selection may tick */
#define AUD_EXPORT_QUERY_MAX	4096	/* bytes of a stored filter */
#define AUD_EXPORT_PIECE	1048576	/* bytes of a stored piece */
#define AUD_EXPORT_STATE_MAX	16	/* a job's state word and NUL */
#define AUD_EXPORT_NAME_MAX	256	/* a file name (sql/0017: 255) and NUL */

/*
 * One walk over a selection: the filter (a copy: the bound parameters
 * point into it) and the ticked ids ("{1,2}", NULL: all that match)
 * bound once; after: the last id read.
 */
struct aud_export {
	struct aud_filter	 f;
	char			*ids;		/* a copy, or NULL */
	struct aud_bind		 b;
	const char		*v[AUD_NPARAMS + 2];
	char			 after[24];
	struct json_object	*columns;	/* the fields' keys, in order */
	int			 ncolumns;
};

extern const struct stmt_set aud_export_stmts;

/*
 * Parse a stored selection's filter (the query string aud_filter_query
 * renders) as the Contacts page does: each parameter set, the checks,
 * the custom field's kind and the tags looked up among the customer's.
 * 0, -1 with f->err set, or -2 when the database failed.
 */
int	 aud_selection_parse(struct db *, int64_t customer, const char *query,
	    struct aud_filter *);

/* The customer's custom fields' keys as a JSON array (the columns). */
int	 aud_export_columns(struct db *, int64_t customer, struct buf *);

/* Bind f and ids ("{1,2}" or NULL); columns: the JSON of the keys. */
int	 aud_export_open(struct aud_export *, const struct aud_filter *,
	    int64_t customer, const char *ids, const char *columns,
	    int64_t after);
void	 aud_export_close(struct aud_export *);

/* How many contacts the selection holds, up to max + 1; -1 on failure. */
int64_t	 aud_export_count(struct db *, struct aud_export *, int64_t max);

/* The header row: the fixed columns, then each field's key. */
void	 aud_export_head(struct aud_export *, struct aud_csv *);

/* The next batch after x->after (AUD_EXPORT_BATCH rows at most). */
PGresult *aud_export_next(struct db *, struct aud_export *);

/* Row i of a batch as CSV; x->after becomes its id. */
void	 aud_export_row(struct aud_export *, struct aud_csv *, PGresult *,
	    int);

/*
 * A background export of the selection (filter as aud_filter_query
 * renders it, ids "{1,2}" or NULL), queued and notified: its job id in
 * id. 0 or -1.
 */
int	 aud_export_create(struct db *, int64_t customer, const char *filter,
	    const char *ids, char id[24]);

/*
 * A done export's file: "ok", "expired", "not_done", "not_found" into
 * state, its name into name; 0 or -1.
 */
int	 aud_export_file(struct db *, int64_t customer, const char *id,
	    char state[AUD_EXPORT_STATE_MAX],
	    char name[AUD_EXPORT_NAME_MAX]);

/*
 * Hand the file of export id to put, a stored piece at a time (memory
 * stays flat): 0, or -1 when the database failed midway.
 */
int	 aud_export_send(struct db *, const char *id,
	    void (*put)(void *, const char *, size_t), void *arg);

#endif
