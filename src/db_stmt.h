/* db_stmt.h: the one table of SQL statements, prepared once per connection. */
#ifndef WA_DB_STMT_H
#define WA_DB_STMT_H

enum stmt {
	STMT_PING,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_MIGRATE_LOCK,
	STMT_MIGRATE_UNLOCK,
	STMT_MIGRATE_BOOTSTRAP,
	STMT_MIGRATIONS_APPLIED,
	STMT_MIGRATION_RECORD,
	STMT_DISPATCH_LISTEN,
	/* --- block: waportalctl account statements --- */
	/* --- end block: waportalctl account statements --- */
	/* --- block: sessions and sign-in --- */
	/* --- end block: sessions and sign-in --- */
	STMT__MAX
};

struct stmt_def {
	const char	*sql;		/* $1.. placeholders only, never formatted */
	int		 nparams;
	int		 retry;		/* read-only: safe to resend after reconnect */
};

extern const struct stmt_def db_stmts[STMT__MAX];

#endif
