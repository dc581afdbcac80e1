/* db.c: connect lazily, prepare each statement once per connection, execute (alone or pipelined), transactions, reconnect after drops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "xmalloc.h"

/*
 * Keep what failed (a static string) and libpq's message (one line, no
 * trailing newline) in db->errmsg.
 */
static void
db_seterr(struct db *db, const char *what, const char *pqmsg)
{
	size_t	 n;

	db->step = what;
	snprintf(db->errmsg, sizeof(db->errmsg), "%s: %s", what,
	    pqmsg != NULL && *pqmsg != '\0' ? pqmsg : "unknown error");
	n = strcspn(db->errmsg, "\n");
	db->errmsg[n] = '\0';
}

/* Keep a failed result's message and SQLSTATE. */
static void
db_seterr_res(struct db *db, const char *what, const PGresult *res)
{
	const char	*state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	db_seterr(db, what, PQresultErrorMessage(res));
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s",
	    state != NULL ? state : "");
}

void
db_init(struct db *db, const char *conninfo, int connect_timeout,
    int statement_timeout)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = xstrdup(conninfo);
	db->connect_timeout = connect_timeout;
	db->statement_timeout = statement_timeout;
}

/* The transaction statements every program uses. */
enum {
	DB_BEGIN,
	DB_COMMIT,
	DB_ROLLBACK,
	DB__MAX
};

static const struct stmt db_sql[DB__MAX] = {
	[DB_BEGIN] = { "db.begin", "BEGIN", 0, DB_ONCE, NULL },
	[DB_COMMIT] = { "db.commit", "COMMIT", 0, DB_ONCE, NULL },
	[DB_ROLLBACK] = { "db.rollback", "ROLLBACK", 0, DB_ONCE, NULL },
};

const struct stmt_set db_stmts = STMT_SET(db_sql);

/* Where s is in the prepared set, or the empty slot it would take. */
static size_t
db_prep_slot(const struct db *db, const struct stmt *s)
{
	size_t	 i = (size_t)((uintptr_t)s / sizeof(*s)) & (db->prepcap - 1);

	while (db->prep[i] != NULL && db->prep[i] != s)
		i = (i + 1) & (db->prepcap - 1);
	return i;
}

/* Add s to the prepared set, doubling it past half full. */
static void
db_prep_add(struct db *db, const struct stmt *s)
{
	const struct stmt	**old = db->prep;
	size_t			  oldcap = db->prepcap, i;

	if (2 * (db->nprep + 1) > db->prepcap) {
		db->prepcap = oldcap == 0 ? 64 : 2 * oldcap;
		db->prep = xcalloc(db->prepcap, sizeof(*db->prep));
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				db->prep[db_prep_slot(db, old[i])] = old[i];
		free(old);
	}
	db->prep[db_prep_slot(db, s)] = s;
	db->nprep++;
}

/* Forget every prepared statement (a new connection has none). */
static void
db_prep_clear(struct db *db)
{
	if (db->prep != NULL)
		memset(db->prep, 0, db->prepcap * sizeof(*db->prep));
	db->nprep = 0;
}

/*
 * Prepare statement s on this connection the first time it is used:
 * once per connection, and a statement on a table that a pending
 * migration creates cannot break the connection for the others.
 */
static int
db_prepare(struct db *db, const struct stmt *s)
{
	PGresult	*res;
	int		 rc = 0;

	if (db->prepcap != 0 && db->prep[db_prep_slot(db, s)] == s)
		return 0;
	res = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_seterr_res(db, "prepare", res);
		rc = -1;
	} else
		db_prep_add(db, s);
	PQclear(res);
	return rc;
}

/*
 * Open the connection if there is none (or it went bad).
 * Returns 0, or -1 with db->errmsg set and db->down.
 */
int
db_connect(struct db *db)
{
	const char	*keys[] = { "dbname", "connect_timeout", "options",
			    "application_name", NULL };
	const char	*vals[5];
	char		 timeout[16], options[64];

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	db_close(db);
	snprintf(timeout, sizeof(timeout), "%d", db->connect_timeout);
	snprintf(options, sizeof(options), "-c statement_timeout=%d "
	    "-c client_min_messages=warning",
	    db->statement_timeout);
	vals[0] = db->conninfo;
	vals[1] = timeout;
	vals[2] = options;
	vals[3] = "waportal";
	vals[4] = NULL;
	/* expand_dbname=1: the conninfo or URI in "dbname" sets the rest. */
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_seterr(db, "connect", PQerrorMessage(db->conn));
		db_close(db);
		db->down = 1;
		return -1;
	}
	db_prep_clear(db);
	db->down = 0;
	return 0;
}

/* Drop a connection that broke; a failed statement keeps it. */
static void
db_check_conn(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) != CONNECTION_OK) {
		db_close(db);
		db->down = 1;
	}
}

/*
 * Connect and prepare statement s; 0, or -1 with errmsg. Afterwards
 * s->name can be sent on db->conn (the dispatcher sends without
 * waiting).
 */
int
db_ready(struct db *db, const struct stmt *s)
{
	if (db_connect(db) == -1)
		return -1;
	if (db_prepare(db, s) == -1) {
		db_check_conn(db);
		return -1;
	}
	return 0;
}

/* Execute one prepared statement once; NULL on failure with errmsg set. */
static PGresult *
db_exec_once(struct db *db, const struct stmt *s, const char *const *params,
    const int *lens, const int *fmts)
{
	PGresult	*res;
	ExecStatusType	 st;

	if (db_ready(db, s) == -1)
		return NULL;
	res = PQexecPrepared(db->conn, s->name, s->nparams, params, lens,
	    fmts, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	db_seterr_res(db, "query", res);
	PQclear(res);
	db_check_conn(db);
	return NULL;
}

/*
 * Execute statement s with its parameters (text format). A connection
 * found dead is re-opened; read-only statements outside a transaction
 * are then sent once more, so the first request after a database
 * restart succeeds.
 * Returns the result (caller PQclear()s it) or NULL with db->errmsg.
 */
PGresult *
db_exec(struct db *db, const struct stmt *s, const char *const *params)
{
	PGresult	*res;
	int		 had_conn = (db->conn != NULL), may_retry;

	/* Resending inside a transaction would run it outside that one. */
	may_retry = s->retry &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	res = db_exec_once(db, s, params, NULL, NULL);
	if (res == NULL && had_conn && db->conn == NULL && may_retry)
		res = db_exec_once(db, s, params, NULL, NULL);
	return res;
}

/*
 * Execute statement s once with parameters of the given lengths and
 * formats (1: binary, e.g. the bytes of a bytea): a write, never
 * resent. Returns the result or NULL with db->errmsg, as db_exec.
 */
PGresult *
db_exec_bin(struct db *db, const struct stmt *s, const char *const *params,
    const int *lens, const int *fmts)
{
	return db_exec_once(db, s, params, lens, fmts);
}

/* Send statements stmts[0..n) each followed by a sync: n transactions. */
static int
db_pipe_send(struct db *db, const struct stmt *const *stmts, size_t n,
    const char *const *const *params)
{
	size_t	 i;

	if (PQenterPipelineMode(db->conn) != 1)
		return -1;
	for (i = 0; i < n; i++) {
		if (PQsendQueryPrepared(db->conn, stmts[i]->name,
		    stmts[i]->nparams, params[i], NULL, NULL, 0) != 1 ||
		    PQpipelineSync(db->conn) != 1)
			return -1;
	}
	return 0;
}

/*
 * One statement's result, then the end of its results and its sync.
 * Returns the result (TUPLES_OK or COMMAND_OK, or NULL for a failed
 * statement, with errmsg), or -1 when the connection broke.
 */
static int
db_pipe_result(struct db *db, PGresult **out)
{
	PGresult	*res, *extra;
	ExecStatusType	 st;

	*out = NULL;
	if ((res = PQgetResult(db->conn)) == NULL)
		return -1;
	while ((extra = PQgetResult(db->conn)) != NULL)
		PQclear(extra);
	extra = PQgetResult(db->conn);
	st = PQresultStatus(extra);
	PQclear(extra);
	if (st != PGRES_PIPELINE_SYNC) {
		PQclear(res);
		return -1;
	}
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		*out = res;
	else {
		db_seterr_res(db, "query", res);
		PQclear(res);
	}
	return 0;
}

/*
 * Execute statements stmts[0..n), with params[i] for stmts[i], in one
 * round trip, each in its own transaction (libpq pipeline mode): a
 * statement that fails leaves the others to run. res[i] gets each
 * result (the caller PQclear()s them), NULL for one that failed (errmsg
 * holds the last failure). Returns 0, or -1 with errmsg when the
 * connection could not be used or broke (it is then closed, and a
 * statement may or may not have run). Never retried.
 */
int
db_pipeline(struct db *db, const struct stmt *const *stmts, size_t n,
    const char *const *const *params, PGresult **res)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n; i++)
		res[i] = NULL;
	for (i = 0; i < n; i++)
		if (db_ready(db, stmts[i]) == -1)
			return -1;
	if (db_pipe_send(db, stmts, n, params) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		rc = db_pipe_result(db, &res[i]);
	if (rc == -1 || PQexitPipelineMode(db->conn) != 1) {
		db_seterr(db, "pipeline", PQerrorMessage(db->conn));
		for (i = 0; i < n; i++) {
			PQclear(res[i]);
			res[i] = NULL;
		}
		db->down = PQstatus(db->conn) != CONNECTION_OK;
		db_close(db);
		return -1;
	}
	return 0;
}

/*
 * Run s, a COPY ... FROM STDIN without parameters, with data[0..n) as
 * its input (the COPY's format, whole rows), in one statement: all the
 * rows or, on failure, none. Returns 0, or -1 with errmsg.
 */
int
db_copy_in(struct db *db, const struct stmt *s, const char *data, size_t n)
{
	PGresult	*res;
	size_t		 part;
	int		 ok = 1;

	if (db_ready(db, s) == -1)
		return -1;
	res = PQexecPrepared(db->conn, s->name, 0, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_seterr_res(db, "copy", res);
		PQclear(res);
		db_check_conn(db);
		return -1;
	}
	PQclear(res);
	while (ok && n > 0) {
		part = n < 1048576 ? n : 1048576;
		ok = PQputCopyData(db->conn, data, (int)part) == 1;
		data += part;
		n -= part;
	}
	if (PQputCopyEnd(db->conn, ok ? NULL : "client failed") != 1)
		ok = 0;
	res = PQgetResult(db->conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_seterr_res(db, "copy", res);
		ok = 0;
	}
	PQclear(res);
	while ((res = PQgetResult(db->conn)) != NULL)
		PQclear(res);
	if (!ok)
		db_check_conn(db);
	return ok ? 0 : -1;
}

/* Execute a statement whose result is not needed; 0 or -1. */
int
db_exec_cmd(struct db *db, const struct stmt *s, const char *const *params)
{
	PGresult	*res;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * Run a trusted multi-statement script (a migration file installed with
 * the program, never request data). Returns 0 or -1 with errmsg.
 */
int
db_run_script(struct db *db, const char *sql)
{
	PGresult	*res;
	int		 rc = 0;

	if (db_connect(db) == -1)
		return -1;
	res = PQexec(db->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_seterr_res(db, "script", res);
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* Forget the last failure (it was reported with its request). */
void
db_clear_error(struct db *db)
{
	db->step = NULL;
	db->sqlstate[0] = '\0';
	db->errmsg[0] = '\0';
}

/* Drop the connection; the next db_connect opens a new one. */
void
db_close(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

void
db_free(struct db *db)
{
	db_close(db);
	free(db->conninfo);
	db->conninfo = NULL;
	free(db->prep);
	db->prep = NULL;
	db->nprep = db->prepcap = 0;
}

int
db_begin(struct db *db)
{
	return db_exec_cmd(db, &db_sql[DB_BEGIN], NULL);
}

/* COMMIT; a failed one (a deferred check, say) has rolled back. */
int
db_commit(struct db *db)
{
	if (db_exec_cmd(db, &db_sql[DB_COMMIT], NULL) == 0)
		return 0;
	if (db->conn != NULL &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		db_rollback(db);
	return -1;
}

/* ROLLBACK, keeping the error that made the caller give up. */
void
db_rollback(struct db *db)
{
	char		 errmsg[sizeof(db->errmsg)], state[sizeof(db->sqlstate)];
	const char	*step = db->step;

	if (db->conn == NULL)
		return;
	memcpy(errmsg, db->errmsg, sizeof(errmsg));
	memcpy(state, db->sqlstate, sizeof(state));
	if (db_exec_cmd(db, &db_sql[DB_ROLLBACK], NULL) == -1)
		db_close(db);
	db->step = step;
	memcpy(db->errmsg, errmsg, sizeof(errmsg));
	memcpy(db->sqlstate, state, sizeof(state));
}

/*
 * The safety net after each request or command: a transaction its code
 * left open is rolled back (or the connection dropped when it cannot
 * be), so it cannot hold locks or swallow the next request's writes.
 * Returns 1 when there was one to end, else 0.
 */
int
db_end_open(struct db *db)
{
	PGTransactionStatusType	 st;

	if (db->conn == NULL)
		return 0;
	st = PQtransactionStatus(db->conn);
	if (st == PQTRANS_IDLE)
		return 0;
	if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR)
		db_rollback(db);
	if (db->conn != NULL &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		db_close(db);
	return 1;
}

const char *
db_get(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

int64_t
db_getll(const PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int
db_geti(const PGresult *res, int row, int col)
{
	return atoi(PQgetvalue(res, row, col));
}

/* PostgreSQL's text form of a boolean: "t" or "f". */
int
db_getb(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

int
db_isnull(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}
