/* import.c: the import job: read the uploaded file chunk by chunk through the CSV reader into import_rows with COPY (progress, cancel, resume), then apply it in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "import.h"
#include "runner.h"

enum {
	IMPORT_LOAD,
	IMPORT_RESET,
	IMPORT_CHUNK,
	IMPORT_CANCEL,
	IMPORT_COPY_ROWS,
	IMPORT_COPY_REJECTS,
	IMPORT_STAGED,
	IMPORT_APPLY,
	IMPORT__MAX
};

enum { LOAD_SIZE, LOAD_HEADER, LOAD_MAPPING, LOAD_COUNTRY, LOAD_DELIMITER,
    LOAD_READ_DONE, LOAD_FIELDS, LOAD__MAX };
enum { CHUNK_SEQ, CHUNK_DATA, CHUNK__MAX };
enum { APPLY_TOTAL, APPLY_INSERTED, APPLY_UPDATED, APPLY_UNCHANGED,
    APPLY_DUPLICATES, APPLY_REJECTED, APPLY__MAX };

static const struct stmt import_sql[IMPORT__MAX] = {
	/* The import's options; whether its read is whole; the fields. */
	[IMPORT_LOAD] = { "import.load",
	    "SELECT i.file_size, array_to_json(i.header)::text AS header, "
	    "i.mapping::text AS mapping, i.country, i.delimiter, "
	    "i.staged IS NOT NULL AND (i.staged = 0 OR EXISTS (SELECT "
	    "FROM import_rows r WHERE r.job_id = i.job_id)) AS read_done, "
	    "(SELECT coalesce(json_agg(json_build_object('key', f.key, "
	    "'kind', f.kind, 'choices', f.choices)), '[]')::text "
	    "FROM contact_fields f WHERE f.customer_id = i.customer_id) "
	    "AS fields "
	    "FROM imports i WHERE i.job_id = $1", 1, DB_ONCE,
	    DB_COLS(LOAD__MAX, [LOAD_SIZE] = "file_size",
	    [LOAD_HEADER] = "header", [LOAD_MAPPING] = "mapping",
	    [LOAD_COUNTRY] = "country", [LOAD_DELIMITER] = "delimiter",
	    [LOAD_READ_DONE] = "read_done", [LOAD_FIELDS] = "fields") },
	[IMPORT_RESET] = { "import.reset", "SELECT wa_import_reset($1)", 1,
	    DB_ONCE, DB_COLS(1, "wa_import_reset") },
	/* The next piece of the file after seq $2. */
	[IMPORT_CHUNK] = { "import.chunk",
	    "SELECT seq, data FROM import_chunks "
	    "WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT 1", 2, DB_ONCE,
	    DB_COLS(CHUNK__MAX, [CHUNK_SEQ] = "seq", [CHUNK_DATA] = "data") },
	[IMPORT_CANCEL] = { "import.cancel_asked",
	    "SELECT cancel_asked FROM jobs "
	    "WHERE id = $1 AND lease_owner = $2 AND state = 'running'", 2,
	    DB_ONCE, DB_COLS(1, "cancel_asked") },
	[IMPORT_COPY_ROWS] = { "import.copy_rows",
	    "COPY import_rows (job_id, line, phone, name, email, language, "
	    "notes, fields, status, consent_note, tags) FROM STDIN", 0,
	    DB_ONCE, NULL },
	[IMPORT_COPY_REJECTS] = { "import.copy_rejects",
	    "COPY import_rejects (job_id, line, col, value, reason) "
	    "FROM STDIN", 0, DB_ONCE, NULL },
	[IMPORT_STAGED] = { "import.staged",
	    "UPDATE imports SET staged = $2 WHERE job_id = $1", 2, DB_ONCE,
	    NULL },
	/* sql/0014_runner.sql: the apply, in the caller's transaction. */
	[IMPORT_APPLY] = { "import.apply",
	    "SELECT total, inserted, updated, unchanged, duplicates, rejected "
	    "FROM wa_import_apply($1, $2)", 2, DB_ONCE,
	    DB_COLS(APPLY__MAX, [APPLY_TOTAL] = "total",
	    [APPLY_INSERTED] = "inserted", [APPLY_UPDATED] = "updated",
	    [APPLY_UNCHANGED] = "unchanged",
	    [APPLY_DUPLICATES] = "duplicates",
	    [APPLY_REJECTED] = "rejected") },
};

const struct stmt_set import_stmts = STMT_SET(import_sql);

/* Why an import fails (jobs.error, shown translated). */
#define IMP_BINARY	N_("The file is not a CSV text file: it holds " \
	    "binary data.")
#define IMP_ENCODING	N_("The file is not UTF-8 text: save it from the " \
	    "spreadsheet as \"CSV UTF-8\".")
#define IMP_LONG_ROW	N_("A row of the file is longer than 1 MiB: a " \
	    "quote is probably never closed.")
#define IMP_INCOMPLETE	N_("The uploaded file is incomplete; upload it " \
	    "again.")
#define IMP_FAILED	N_("The import failed because of an internal " \
	    "error; try again later.")

/* An import in hand. */
struct import {
	struct runner	*r;
	struct job	*j;
	struct imap	 map;
	struct irows	 rows;
	struct csvr	 csv;
	struct buf	 data;		/* the chunk, decoded */
	int64_t		 file_size, bytes;
	int64_t		 records;	/* the header included */
	int		 read_done;
	const char	*fail;		/* why the file is refused */
};

/* Outcomes of the steps beside the enum job_end values. */
#define STEP_ON		-1	/* go on */
#define STEP_REREAD	-2	/* the staged rows are gone: read again */
#define STEP_EOF	-3	/* the file is read */

/* The reader's record: the header first (checked), then the rows. */
static void
import_record(void *arg, const struct csvr_record *rec)
{
	struct import	*im = arg;
	size_t		 i;

	if (im->records++ > 0) {
		irow_check(&im->map, &im->rows, rec);
		return;
	}
	for (i = 0; i < rec->ncols; i++)
		if (!utf8_valid(rec->cols[i].data != NULL ?
		    rec->cols[i].data : "", rec->cols[i].len))
			im->fail = IMP_ENCODING;
}

/* End the job as failed with why; JOB_DONE, or JOB_DB. */
static int
import_fail(struct import *im, const char *why)
{
	log_info("job %s import: failed: %s", im->j->idstr, why);
	im->r->nfailed++;
	return job_finish(im->r, im->j, "failed", why) == 0 ? JOB_DONE : JOB_DB;
}

/* The customer asked to cancel: end the job so; JOB_DONE or JOB_DB. */
static int
import_cancelled(struct import *im)
{
	log_info("job %s import: cancelled", im->j->idstr);
	return job_finish(im->r, im->j, "cancelled", "") == 0 ? JOB_DONE :
	    JOB_DB;
}

/* Load the import's options and the customer's fields. */
static int
import_load(struct import *im)
{
	const char	*params[1] = { im->j->idstr }, *why;
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&im->r->db, &import_sql[IMPORT_LOAD], params)) ==
	    NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return import_fail(im, IMP_FAILED);
	}
	im->file_size = db_getll(res, 0, LOAD_SIZE);
	im->read_done = db_getb(res, 0, LOAD_READ_DONE);
	snprintf(im->map.country, sizeof(im->map.country), "%s",
	    db_get(res, 0, LOAD_COUNTRY));
	im->map.delim = db_get(res, 0, LOAD_DELIMITER)[0];
	rc = imap_parse(&im->map, db_get(res, 0, LOAD_MAPPING),
	    db_get(res, 0, LOAD_HEADER), db_get(res, 0, LOAD_FIELDS), &why);
	PQclear(res);
	return rc == 0 ? STEP_ON : import_fail(im, why);
}

static int
import_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* bytea's text form ("\x" and hex digits) decoded into b; 0 or -1. */
static int
import_unhex(struct buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 hi, lo;

	buf_reset(b);
	if (n < 2 || s[0] != '\\' || s[1] != 'x' || n % 2 != 0)
		return -1;
	buf_append(b, "", 0);
	if (b->cap < n / 2 + 1) {
		b->data = xrealloc(b->data, n / 2 + 1);
		b->cap = n / 2 + 1;
	}
	for (i = 2; i < n; i += 2) {
		if ((hi = import_hexval(s[i])) < 0 ||
		    (lo = import_hexval(s[i + 1])) < 0)
			return -1;
		b->data[b->len++] = (char)(hi << 4 | lo);
	}
	b->data[b->len] = '\0';
	return 0;
}

/* Send the batch: its rows, then its rejects, each one COPY. */
static int
import_flush(struct import *im)
{
	struct db	*db = &im->r->db;

	if (im->rows.nrows > 0 && db_copy_in(db,
	    &import_sql[IMPORT_COPY_ROWS], im->rows.rows.data,
	    im->rows.rows.len) == -1)
		return -1;
	if (im->rows.nrejects > 0 && db_copy_in(db,
	    &import_sql[IMPORT_COPY_REJECTS], im->rows.rejects.data,
	    im->rows.rejects.len) == -1)
		return -1;
	irows_clear(&im->rows);
	return 0;
}

/* Renew the lease with the progress (job_renew). */
static int
import_progress(struct import *im, const char *phase, int force)
{
	struct job_progress	 p;

	p.done = im->bytes;
	p.total = im->file_size;
	p.rows = im->records > 0 || !im->read_done ?
	    im->rows.staged + im->rows.rejected : -1;
	p.phase = phase;
	return job_renew(im->r, im->j, &p, force);
}

/*
 * Between two batches: a stop gives the job back, a cancel ends it, a
 * lost lease drops it; the progress is written now and then.
 */
static int
import_between(struct import *im)
{
	struct runner	*r = im->r;
	const char	*params[2] = { im->j->idstr, r->owner };
	PGresult	*res;
	int		 rc;

	if (*r->stop) {
		r->nreleased++;
		log_info("job %s import: released at %lld of %lld bytes",
		    im->j->idstr, (long long)im->bytes,
		    (long long)im->file_size);
		return job_release(r, im->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	rc = import_progress(im, "reading", 0);
	if (rc == RENEW_SKIPPED) {
		if ((res = db_exec(&r->db, &import_sql[IMPORT_CANCEL],
		    params)) == NULL)
			return JOB_DB;
		rc = PQntuples(res) != 1 ? RENEW_LOST :
		    db_getb(res, 0, 0) ? RENEW_CANCEL : RENEW_OK;
		PQclear(res);
	}
	if (rc == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL)
		return import_cancelled(im);
	return STEP_ON;
}

/* Read and check the next chunk: STEP_ON, STEP_EOF or how the job ended. */
static int
import_chunk(struct import *im, int64_t *seq)
{
	char		 last[24];
	const char	*params[2] = { im->j->idstr, last };
	PGresult	*res;
	int		 rc;

	snprintf(last, sizeof(last), "%lld", (long long)*seq);
	if ((res = db_exec(&im->r->db, &import_sql[IMPORT_CHUNK], params)) ==
	    NULL)
		return JOB_DB;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return STEP_EOF;
	}
	*seq = db_getll(res, 0, CHUNK_SEQ);
	rc = import_unhex(&im->data, db_get(res, 0, CHUNK_DATA),
	    (size_t)PQgetlength(res, 0, CHUNK_DATA));
	PQclear(res);
	if (rc == -1)
		return import_fail(im, IMP_FAILED);
	im->bytes += (int64_t)im->data.len;
	if (memchr(im->data.data, '\0', im->data.len) != NULL)
		return import_fail(im, IMP_BINARY);
	if (csvr_feed(&im->csv, im->data.data, im->data.len) == -1)
		return import_fail(im, im->csv.too_long ? IMP_LONG_ROW :
		    IMP_FAILED);
	if (im->fail != NULL)
		return import_fail(im, im->fail);
	return STEP_ON;
}

/* Read the whole file into import_rows and import_rejects. */
static int
import_read(struct import *im)
{
	const char	*params[2] = { im->j->idstr, NULL };
	char		 staged[24];
	int64_t		 seq = -1;
	int		 rc;

	if (db_exec_cmd(&im->r->db, &import_sql[IMPORT_RESET], params) == -1)
		return JOB_DB;
	if ((rc = import_progress(im, "reading", 1)) != RENEW_OK)
		return rc == -1 ? JOB_DB : rc == RENEW_LOST ? JOB_LOST :
		    import_cancelled(im);
	csvr_init(&im->csv, im->map.delim, im->map.ncols, import_record, im);
	while ((rc = import_chunk(im, &seq)) == STEP_ON) {
		if (import_flush(im) == -1)
			return JOB_DB;
		job_pause(im->r, "read");
		if ((rc = import_between(im)) != STEP_ON)
			return rc;
	}
	if (rc != STEP_EOF)
		return rc;
	if (csvr_finish(&im->csv) == -1 || im->bytes != im->file_size)
		return import_fail(im, IMP_INCOMPLETE);
	if (im->fail != NULL)
		return import_fail(im, im->fail);
	if (import_flush(im) == -1)
		return JOB_DB;
	snprintf(staged, sizeof(staged), "%lld", (long long)im->rows.staged);
	params[1] = staged;
	if (db_exec_cmd(&im->r->db, &import_sql[IMPORT_STAGED], params) == -1)
		return JOB_DB;
	return STEP_ON;
}

/* The apply failed: say what to do with the job. */
static int
import_apply_failed(struct import *im)
{
	struct db	*db = &im->r->db;
	char		 state[6];

	memcpy(state, db->sqlstate, sizeof(state));
	if (db->conn == NULL)
		return JOB_DB;
	log_warnx("job %s import: apply: %s", im->j->idstr, db->errmsg);
	db_rollback(db);
	if (strcmp(state, "WA003") == 0)
		return STEP_REREAD;
	if (strcmp(state, "WA002") == 0)
		return JOB_LOST;
	if (db->conn == NULL)
		return JOB_DB;
	return import_fail(im, IMP_FAILED);
}

/* Apply the staged rows in one transaction (wa_import_apply). */
static int
import_apply(struct import *im)
{
	struct runner	*r = im->r;
	const char	*params[2] = { im->j->idstr, r->owner };
	PGresult	*res;
	int		 rc;

	im->bytes = im->file_size;
	rc = import_progress(im, "applying", 1);
	if (rc == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL)
		return import_cancelled(im);
	if (db_begin(&r->db) == -1)
		return JOB_DB;
	if ((res = db_exec(&r->db, &import_sql[IMPORT_APPLY], params)) == NULL)
		return import_apply_failed(im);
	job_pause(r, "apply");
	if (db_commit(&r->db) == -1) {
		PQclear(res);
		return import_apply_failed(im);
	}
	log_info("job %s import: done: total=%s inserted=%s updated=%s "
	    "unchanged=%s duplicates=%s rejected=%s", im->j->idstr,
	    db_get(res, 0, APPLY_TOTAL), db_get(res, 0, APPLY_INSERTED),
	    db_get(res, 0, APPLY_UPDATED), db_get(res, 0, APPLY_UNCHANGED),
	    db_get(res, 0, APPLY_DUPLICATES), db_get(res, 0, APPLY_REJECTED));
	PQclear(res);
	r->ndone++;
	return JOB_DONE;
}

static void
import_free(struct import *im)
{
	imap_free(&im->map);
	irows_free(&im->rows);
	csvr_free(&im->csv);
	buf_free(&im->data);
}

/*
 * Run an import job: read the file (again, unless a complete read is
 * staged), then apply it; a read found gone at the apply is redone
 * once. Returns how the job's turn ended.
 */
enum job_end
import_run(struct runner *r, struct job *j)
{
	struct import	 im;
	int		 rc, tries;

	memset(&im, 0, sizeof(im));
	im.r = r;
	im.j = j;
	im.rows.job = j->idstr;
	if ((rc = import_load(&im)) != STEP_ON)
		goto out;
	for (tries = 0; tries < 2; tries++) {
		if (!im.read_done && (rc = import_read(&im)) != STEP_ON)
			goto out;
		if ((rc = import_apply(&im)) != STEP_REREAD)
			goto out;
		csvr_free(&im.csv);
		im.rows.staged = im.rows.rejected = 0;
		im.bytes = im.records = 0;
		im.read_done = 0;
	}
	rc = import_fail(&im, IMP_FAILED);
out:
	import_free(&im);
	return (enum job_end)rc;
}
