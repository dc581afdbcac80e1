/* db.h: one lazily opened PostgreSQL connection; statements owned by their modules, prepared once per connection. */
#ifndef WA_DB_H
#define WA_DB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

/*
 * One SQL statement, defined by the module that runs it, beside the
 * code that reads its result. It is prepared on a connection the first
 * time it runs there, under its name. cols names the result columns in
 * their order, and the module's enum indexes them (DB_COLS keeps the
 * two aligned); the statement check (t/0091) compares name, parameter
 * count and columns with what PostgreSQL says of the prepared SQL.
 */
struct stmt {
	const char		*name;		/* "module.what", unique */
	const char		*sql;		/* $1.. placeholders, never formatted */
	int			 nparams;
	int			 retry;		/* DB_RETRY: read-only, resent once
						 * after a reconnect */
	const char *const	*cols;		/* result columns, NULL-ended;
						 * NULL: the statement returns none */
};

#define DB_ONCE		0
#define DB_RETRY	1

/* The columns of a statement: DB_COLS(X__MAX, [X_ID] = "id", ...). */
#define DB_COLS(n, ...)	((const char *const[(n) + 1]){ __VA_ARGS__ })

/* A module's statements, listed for the statement check. */
struct stmt_set {
	const struct stmt	*v;
	size_t			 n;
};

#define STMT_SET(a)	{ (a), sizeof(a) / sizeof((a)[0]) }

struct db {
	PGconn		*conn;		/* NULL until first use or after a drop */
	char		*conninfo;
	int		 connect_timeout;	/* seconds */
	int		 statement_timeout;	/* milliseconds */
	const struct stmt **prep;	/* prepared on this connection: an
					 * open-addressed set of pointers */
	size_t		 nprep, prepcap;
	int		 down;		/* last attempt found the server unreachable */
	char		 sqlstate[6];	/* of the last failed statement */
	const char	*step;		/* what failed: "connect", "query", ... */
	char		 errmsg[256];	/* "step: libpq's message" */
};

/* db.c's own: BEGIN, COMMIT, ROLLBACK. */
extern const struct stmt_set db_stmts;

void	 db_init(struct db *, const char *conninfo, int connect_timeout,
	    int statement_timeout);
int	 db_connect(struct db *);
int	 db_ready(struct db *, const struct stmt *);
PGresult *db_exec(struct db *, const struct stmt *, const char *const *params);
PGresult *db_exec_bin(struct db *, const struct stmt *, const char *const *,
	    const int *lens, const int *fmts);
int	 db_exec_cmd(struct db *, const struct stmt *, const char *const *);
int	 db_pipeline(struct db *, const struct stmt *const *, size_t,
	    const char *const *const *params, PGresult **res);
int	 db_copy_in(struct db *, const struct stmt *, const char *, size_t);
int	 db_run_script(struct db *, const char *sql);
void	 db_clear_error(struct db *);
void	 db_close(struct db *);
void	 db_free(struct db *);

/* Transactions: 0, or -1 with errmsg (a failed COMMIT has rolled back). */
int	 db_begin(struct db *);
int	 db_commit(struct db *);
void	 db_rollback(struct db *);
int	 db_end_open(struct db *);

/* Typed reads of a result's cell (an SQL NULL reads as "", 0, false). */
const char *db_get(const PGresult *, int row, int col);
int64_t	 db_getll(const PGresult *, int row, int col);
int	 db_geti(const PGresult *, int row, int col);
int	 db_getb(const PGresult *, int row, int col);
int	 db_isnull(const PGresult *, int row, int col);

#endif
