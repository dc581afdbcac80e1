/* db.h: one lazily opened PostgreSQL connection with prepared statements. */
#ifndef WA_DB_H
#define WA_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "db_stmt.h"

struct db {
	PGconn		*conn;		/* NULL until first use or after a drop */
	char		*conninfo;
	int		 connect_timeout;	/* seconds */
	int		 statement_timeout;	/* milliseconds */
	char		 prepared[STMT__MAX];	/* on this connection */
	int		 down;		/* last attempt found the server unreachable */
	char		 sqlstate[6];	/* of the last failed statement */
	const char	*step;		/* what failed: "connect", "query", ... */
	char		 errmsg[256];	/* "step: libpq's message" */
};

void	 db_init(struct db *, const char *conninfo, int connect_timeout,
	    int statement_timeout);
int	 db_connect(struct db *);
PGresult *db_exec(struct db *, enum stmt, const char *const *params);
int	 db_exec_cmd(struct db *, enum stmt, const char *const *params);
int	 db_pipeline(struct db *, const enum stmt *, size_t,
	    const char *const *const *params, PGresult **res);
int	 db_run_script(struct db *, const char *sql);
void	 db_clear_error(struct db *);
void	 db_close(struct db *);
void	 db_free(struct db *);

#endif
