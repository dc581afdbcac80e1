/* db.c: connect lazily, prepare the statement table, execute (alone or pipelined), reconnect after drops. */
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

static void	db_stmt_name(enum stmt, char[16]);

/*
 * Prepare statement s on this connection the first time it is used:
 * once per connection, and a statement on a table that a pending
 * migration creates cannot break the connection for the others.
 */
static int
db_prepare(struct db *db, enum stmt s)
{
	PGresult	*res;
	char		 name[16];
	int		 rc = 0;

	if (db->prepared[s])
		return 0;
	db_stmt_name(s, name);
	res = PQprepare(db->conn, name, db_stmts[s].sql, db_stmts[s].nparams,
	    NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_seterr_res(db, "prepare", res);
		rc = -1;
	} else
		db->prepared[s] = 1;
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
	memset(db->prepared, 0, sizeof(db->prepared));
	db->down = 0;
	return 0;
}

/* The name statement s is prepared under on every connection. */
static void
db_stmt_name(enum stmt s, char name[16])
{
	snprintf(name, 16, "s%d", (int)s);
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

/* Connect and prepare statement s; 0, or -1 with errmsg. */
static int
db_ready(struct db *db, enum stmt s)
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
db_exec_once(struct db *db, enum stmt s, const char *const *params)
{
	PGresult	*res;
	ExecStatusType	 st;
	char		 name[16];

	if (db_ready(db, s) == -1)
		return NULL;
	db_stmt_name(s, name);
	res = PQexecPrepared(db->conn, name, db_stmts[s].nparams, params,
	    NULL, NULL, 0);
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
db_exec(struct db *db, enum stmt s, const char *const *params)
{
	PGresult	*res;
	int		 had_conn = (db->conn != NULL), may_retry;

	/* Resending inside a transaction would run it outside that one. */
	may_retry = db_stmts[s].retry &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	res = db_exec_once(db, s, params);
	if (res == NULL && had_conn && db->conn == NULL && may_retry)
		res = db_exec_once(db, s, params);
	return res;
}

/* Send statements stmts[0..n) each followed by a sync: n transactions. */
static int
db_pipe_send(struct db *db, const enum stmt *stmts, size_t n,
    const char *const *const *params)
{
	char	 name[16];
	size_t	 i;

	if (PQenterPipelineMode(db->conn) != 1)
		return -1;
	for (i = 0; i < n; i++) {
		db_stmt_name(stmts[i], name);
		if (PQsendQueryPrepared(db->conn, name,
		    db_stmts[stmts[i]].nparams, params[i], NULL, NULL, 0) != 1 ||
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
db_pipeline(struct db *db, const enum stmt *stmts, size_t n,
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

/* Execute a statement whose result is not needed; 0 or -1. */
int
db_exec_cmd(struct db *db, enum stmt s, const char *const *params)
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
}
