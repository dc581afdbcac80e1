/* db_stmt.c: every SQL statement the programs run, indexed by enum stmt. */
#include "db_stmt.h"

const struct stmt_def db_stmts[STMT__MAX] = {
	[STMT_PING] = { "SELECT 1", 0, 1 },
	[STMT_BEGIN] = { "BEGIN", 0, 0 },
	[STMT_COMMIT] = { "COMMIT", 0, 0 },
	[STMT_ROLLBACK] = { "ROLLBACK", 0, 0 },
	/* One fixed key (hex "waportal") serialises concurrent migrators. */
	[STMT_MIGRATE_LOCK] = {
	    "SELECT pg_advisory_lock(7800502929437057377)", 0, 0 },
	[STMT_MIGRATE_UNLOCK] = {
	    "SELECT pg_advisory_unlock(7800502929437057377)", 0, 0 },
	[STMT_MIGRATE_BOOTSTRAP] = {
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " name text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0, 0 },
	[STMT_MIGRATIONS_APPLIED] = {
	    "SELECT name, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF') "
	    "FROM schema_migrations ORDER BY name", 0, 1 },
	[STMT_MIGRATION_RECORD] = {
	    "INSERT INTO schema_migrations (name) VALUES ($1)", 1, 0 },
	[STMT_DISPATCH_LISTEN] = { "LISTEN waportal_dispatch", 0, 0 },
	/* --- block: waportalctl account statements --- */
	/* --- end block: waportalctl account statements --- */
	/* --- block: sessions and sign-in --- */
	/* --- end block: sessions and sign-in --- */
};
