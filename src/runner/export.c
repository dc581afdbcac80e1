/* export.c: the runner's background contact export: the stored selection walked in id batches into CSV pieces of 1 MiB, each stored with the last contact it holds so that a killed runner resumes after it; the sweep of expired files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aud/aud_csv.h"
#include "aud/aud_export.h"
#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "runner.h"

#define STEP_ON		-1	/* go on */

/* The error of a selection that no longer parses (shown translated). */
#define EXPORT_BAD	N_("The selection of this export is no longer " \
	    "valid (a custom field or a tag of its filter was deleted).")

enum { EG_FILTER, EG_IDS, EG_COLUMNS, EG_ROWS, EG_LAST, EG_PIECES, EG__MAX };
enum { EP_STORED, EP__MAX };
enum { ED_DONE, ED__MAX };
enum { ES_EXPORTS, ES_PIECES, ES__MAX };

enum {
	EXPORT_GET,
	EXPORT_PIECE,
	EXPORT_DONE,
	EXPORT_SWEEP,
	EXPORT__MAX
};

static const struct stmt export_sql[EXPORT__MAX] = {
	/* The selection and what a previous attempt stored of the file. */
	[EXPORT_GET] = { "export.get",
	    "SELECT e.filter, e.ids::text AS ids, e.columns::text AS columns, "
	    "e.rows, e.last_id, (SELECT count(*) FROM export_chunks c "
	    "WHERE c.job_id = e.job_id) AS pieces FROM exports e "
	    "WHERE e.job_id = $1", 1, DB_RETRY,
	    DB_COLS(EG__MAX, [EG_FILTER] = "filter", [EG_IDS] = "ids",
	    [EG_COLUMNS] = "columns", [EG_ROWS] = "rows",
	    [EG_LAST] = "last_id", [EG_PIECES] = "pieces") },
	/* $1 job, $2 owner, $3 seq, $4 data (binary), $5 rows, $6 last id,
	 * $7 columns: sql/0017_exports.sql. */
	[EXPORT_PIECE] = { "export.piece",
	    "SELECT wa_export_piece($1, $2, $3::int, $4::bytea, $5::bigint, "
	    "$6::bigint, $7::jsonb) AS stored", 7, DB_ONCE,
	    DB_COLS(EP__MAX, [EP_STORED] = "stored") },
	[EXPORT_DONE] = { "export.done",
	    "SELECT wa_export_done($1, $2, $3::int) AS done", 3, DB_ONCE,
	    DB_COLS(ED__MAX, [ED_DONE] = "done") },
	/* Files past their expiry: marked, their pieces deleted. */
	[EXPORT_SWEEP] = { "export.sweep",
	    "WITH e AS (UPDATE exports SET expired = true WHERE NOT expired "
	    "AND expires_at <= wa_now() RETURNING job_id), "
	    "d AS (DELETE FROM export_chunks c USING e "
	    "WHERE c.job_id = e.job_id RETURNING 1) "
	    "SELECT (SELECT count(*) FROM e) AS exports, "
	    "(SELECT count(*) FROM d) AS pieces", 0, DB_ONCE,
	    DB_COLS(ES__MAX, [ES_EXPORTS] = "exports",
	    [ES_PIECES] = "pieces") },
};

const struct stmt_set export_stmts = STMT_SET(export_sql);

/* One export in hand. */
struct export {
	struct runner		*r;
	struct job		*j;
	struct aud_export	 x;
	struct aud_csv		 csv;
	struct buf		 out;		/* the piece being filled */
	struct buf		 row;		/* the row being written */
	struct buf		 columns;
	int64_t			 stored;	/* rows in stored pieces */
	int64_t			 total;
	int64_t			 out_rows;
	int			 seq;		/* the next piece's number */
	char			 out_last[24];	/* the last id in out */
};

/* Renew the lease with the rows written; RENEW_* or -1. */
static int
export_progress(struct export *e, int force)
{
	struct job_progress	 p;

	p.done = e->stored + e->out_rows;
	p.total = e->total > p.done ? e->total : p.done;
	p.rows = p.done;
	p.phase = "writing";
	return job_renew(e->r, e->j, &p, force);
}

/* Store out (whole rows) as the next pieces in one transaction. */
static int
export_store(struct export *e)
{
	struct db	*db = &e->r->db;
	char		 seq[16], rows[24];
	const char	*params[7] = { e->j->idstr, e->r->owner, seq, NULL,
	    rows, e->out_last, buf_str(&e->columns) };
	int		 lens[7] = { 0 }, fmts[7] = { 0 }, ok = 1;
	size_t		 off = 0, n;
	PGresult	*res;

	if (db_begin(db) == -1)
		return JOB_DB;
	do {
		n = e->out.len - off > AUD_EXPORT_PIECE ? AUD_EXPORT_PIECE :
		    e->out.len - off;
		snprintf(seq, sizeof(seq), "%d", e->seq++);
		snprintf(rows, sizeof(rows), "%lld", off + n == e->out.len ?
		    (long long)e->out_rows : 0LL);
		params[3] = e->out.data + off;
		lens[3] = (int)n;
		fmts[3] = 1;
		if ((res = db_exec_bin(db, &export_sql[EXPORT_PIECE], params,
		    lens, fmts)) == NULL)
			return JOB_DB;
		ok = db_getb(res, 0, EP_STORED);
		PQclear(res);
		off += n;
	} while (ok && off < e->out.len);
	if (!ok) {
		db_rollback(db);
		return JOB_LOST;
	}
	if (db_commit(db) == -1)
		return JOB_DB;
	e->stored += e->out_rows;
	e->out_rows = 0;
	buf_reset(&e->out);
	return STEP_ON;
}

/* The customer cancelled: the job ends, its pieces go (sql/0017). */
static int
export_cancelled(struct export *e)
{
	log_info("job %s export: cancelled at %lld rows", e->j->idstr,
	    (long long)e->stored);
	if (job_finish(e->r, e->j, "cancelled", "") == -1)
		return JOB_DB;
	return JOB_DONE;
}

/* After a stored piece: the pause of the tests, a stop, the lease. */
static int
export_between(struct export *e)
{
	int	 rc;

	job_pause(e->r, "export");
	if (*e->r->stop) {
		e->r->nreleased++;
		log_info("job %s export: released at %lld rows", e->j->idstr,
		    (long long)e->stored);
		return job_release(e->r, e->j) == 0 ? JOB_RELEASED : JOB_DB;
	}
	if ((rc = export_progress(e, 1)) == -1)
		return JOB_DB;
	if (rc == RENEW_LOST)
		return JOB_LOST;
	if (rc == RENEW_CANCEL)
		return export_cancelled(e);
	return STEP_ON;
}

/* Row i into the piece; a full piece stored first. */
static int
export_row(struct export *e, PGresult *res, int i)
{
	int	 rc;

	buf_reset(&e->row);
	e->csv.out = &e->row;
	aud_export_row(&e->x, &e->csv, res, i);
	if (e->out.len > 0 && e->out.len + e->row.len > AUD_EXPORT_PIECE) {
		if ((rc = export_store(e)) != STEP_ON ||
		    (rc = export_between(e)) != STEP_ON)
			return rc;
	}
	buf_append(&e->out, e->row.data, e->row.len);
	e->out_rows++;
	snprintf(e->out_last, sizeof(e->out_last), "%s", e->x.after);
	return STEP_ON;
}

/* Walk the batches to the end of the selection. */
static int
export_walk(struct export *e)
{
	PGresult	*res;
	int		 i, n, rc;

	do {
		if ((res = aud_export_next(&e->r->db, &e->x)) == NULL)
			return JOB_DB;
		n = PQntuples(res);
		for (i = 0, rc = STEP_ON; i < n && rc == STEP_ON; i++)
			rc = export_row(e, res, i);
		PQclear(res);
		if (rc != STEP_ON)
			return rc;
		if ((rc = export_progress(e, 0)) == -1)
			return JOB_DB;
		if (rc == RENEW_LOST)
			return JOB_LOST;
		if (rc == RENEW_CANCEL)
			return export_cancelled(e);
	} while (n == AUD_EXPORT_BATCH);
	return STEP_ON;
}

/* The last piece (the header alone for an empty file), then done. */
static int
export_end(struct export *e)
{
	char		 ttl[24];
	const char	*params[3] = { e->j->idstr, e->r->owner, ttl };
	PGresult	*res;
	int		 rc, done;

	if ((e->out.len > 0 || e->seq == 0) &&
	    (rc = export_store(e)) != STEP_ON)
		return rc;
	snprintf(ttl, sizeof(ttl), "%lld",
	    (long long)e->r->conf->num[CONF_EXPORT_TTL]);
	if ((res = db_exec(&e->r->db, &export_sql[EXPORT_DONE], params)) ==
	    NULL)
		return JOB_DB;
	done = db_getb(res, 0, ED_DONE);
	PQclear(res);
	if (!done)
		return JOB_LOST;
	log_info("job %s export: done: %lld rows", e->j->idstr,
	    (long long)e->stored);
	e->r->ndone++;
	return JOB_DONE;
}

/* The selection failed to parse: the job fails with a record. */
static int
export_bad(struct export *e)
{
	log_warnx("job %s export: its selection no longer parses",
	    e->j->idstr);
	e->r->nfailed++;
	return job_finish(e->r, e->j, "failed", EXPORT_BAD) == -1 ? JOB_DB :
	    JOB_DONE;
}

/* The record, the selection, the columns; resume where it stopped. */
static int
export_load(struct export *e)
{
	struct aud_filter	 f;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&e->r->db, &export_sql[EXPORT_GET],
	    (const char *const[]){ e->j->idstr })) == NULL)
		return JOB_DB;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return export_bad(e);
	}
	if ((rc = aud_selection_parse(&e->r->db, e->j->customer_id,
	    db_get(res, 0, EG_FILTER), &f)) != 0) {
		PQclear(res);
		return rc == -2 ? JOB_DB : export_bad(e);
	}
	if (!db_isnull(res, 0, EG_COLUMNS))
		buf_puts(&e->columns, db_get(res, 0, EG_COLUMNS));
	else if (aud_export_columns(&e->r->db, e->j->customer_id,
	    &e->columns) == -1) {
		PQclear(res);
		return JOB_DB;
	}
	e->stored = db_getll(res, 0, EG_ROWS);
	e->seq = db_geti(res, 0, EG_PIECES);
	rc = aud_export_open(&e->x, &f, e->j->customer_id, db_isnull(res, 0,
	    EG_IDS) ? NULL : db_get(res, 0, EG_IDS), buf_str(&e->columns),
	    db_getll(res, 0, EG_LAST));
	PQclear(res);
	return rc == 0 ? STEP_ON : export_bad(e);
}

/*
 * Run an export job: count the selection, write the header unless a
 * piece is stored, walk the rest, store the last piece, done.
 */
enum job_end
export_run(struct runner *r, struct job *j)
{
	struct export	 e;
	int		 rc;

	memset(&e, 0, sizeof(e));
	e.r = r;
	e.j = j;
	if ((rc = export_load(&e)) != STEP_ON) {
		buf_free(&e.columns);
		return (enum job_end)rc;
	}
	if ((e.total = aud_export_count(&r->db, &e.x, INT64_MAX - 1)) < 0) {
		rc = JOB_DB;
		goto out;
	}
	if ((rc = export_progress(&e, 1)) != RENEW_OK) {
		rc = rc == -1 ? JOB_DB : rc == RENEW_LOST ? JOB_LOST :
		    export_cancelled(&e);
		goto out;
	}
	if (e.seq == 0) {
		aud_csv_start(&e.csv, &e.out);
		aud_export_head(&e.x, &e.csv);
	}
	if ((rc = export_walk(&e)) == STEP_ON)
		rc = export_end(&e);
out:
	aud_export_close(&e.x);
	buf_free(&e.out);
	buf_free(&e.row);
	buf_free(&e.columns);
	return (enum job_end)rc;
}

/*
 * Delete the pieces of the files past their expiry (at most once a
 * minute, and at the runner's start); -1 when the database failed.
 */
int
export_sweep(struct runner *r)
{
	PGresult	*res;
	long long	 now = runner_now_ms();

	if (r->swept_ms != 0 && now - r->swept_ms < 60000)
		return 0;
	if ((res = db_exec(&r->db, &export_sql[EXPORT_SWEEP], NULL)) == NULL)
		return -1;
	r->swept_ms = now;
	if (db_getll(res, 0, ES_EXPORTS) > 0)
		log_info("expired exports: %s, their %s pieces deleted",
		    db_get(res, 0, ES_EXPORTS), db_get(res, 0, ES_PIECES));
	PQclear(res);
	return 0;
}
