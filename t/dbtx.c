/* dbtx.c: the transaction API of core/db.c against a real database, as TAP: begin, commit, rollback, a failed commit, and the net that ends a transaction left open. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "tap.h"

enum { T_CREATE, T_INSERT, T_COUNT, T_FAIL, T__MAX };
enum { TC_N, TC__MAX };

static const struct stmt t_sql[T__MAX] = {
	[T_CREATE] = { "t.create",
	    "CREATE TABLE IF NOT EXISTS dbtx_probe (n int "
	    "UNIQUE DEFERRABLE INITIALLY DEFERRED)", 0, DB_ONCE, NULL },
	[T_INSERT] = { "t.insert", "INSERT INTO dbtx_probe VALUES ($1::int)",
	    1, DB_ONCE, NULL },
	[T_COUNT] = { "t.count", "SELECT count(*) AS n FROM dbtx_probe", 0,
	    DB_RETRY, DB_COLS(TC__MAX, [TC_N] = "n") },
	[T_FAIL] = { "t.fail", "SELECT 1 / 0 AS never", 0, DB_ONCE,
	    DB_COLS(1, "never") },
};

static long long
rows(struct db *db)
{
	PGresult	*res = db_exec(db, &t_sql[T_COUNT], NULL);
	long long	 n = -1;

	if (res != NULL)
		n = db_getll(res, 0, TC_N);
	PQclear(res);
	return n;
}

static int
idle(struct db *db)
{
	return db->conn != NULL &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE;
}

int
main(void)
{
	const char	*url = getenv("DATABASE_URL"), *one[] = { "1" };
	const char	*two[] = { "2" }, *three[] = { "3" };
	struct db	 db;

	if (url == NULL) {
		printf("1..0 # SKIP DATABASE_URL is not set\n");
		return 0;
	}
	db_init(&db, url, 5, 10000);
	ok(db_exec_cmd(&db, &t_sql[T_CREATE], NULL) == 0, "a scratch table");
	is_int(db_end_open(&db), 0, "no transaction: the net has nothing "
	    "to end");

	ok(db_begin(&db) == 0 && db_exec_cmd(&db, &t_sql[T_INSERT], one) == 0,
	    "begin, insert");
	ok(db_commit(&db) == 0 && idle(&db) && rows(&db) == 1,
	    "commit keeps the row");

	ok(db_begin(&db) == 0 && db_exec_cmd(&db, &t_sql[T_INSERT], two) == 0,
	    "begin, insert again");
	db_rollback(&db);
	ok(idle(&db) && rows(&db) == 1, "rollback drops it");

	/* A handler that forgot its transaction. */
	ok(db_begin(&db) == 0 && db_exec_cmd(&db, &t_sql[T_INSERT], three) == 0,
	    "begin, insert, and never commit");
	is_int(db_end_open(&db), 1, "the net finds the open transaction");
	ok(idle(&db) && rows(&db) == 1, "... rolls it back, and the "
	    "connection serves the next statement");

	/* A handler that gave up inside a failed transaction. */
	ok(db_begin(&db) == 0 && db_exec(&db, &t_sql[T_FAIL], NULL) == NULL &&
	    PQtransactionStatus(db.conn) == PQTRANS_INERROR,
	    "a statement fails inside a transaction");
	ok(strcmp(db.sqlstate, "22012") == 0, "its SQLSTATE is kept");
	is_int(db_end_open(&db), 1, "the net ends the failed transaction");
	ok(idle(&db) && rows(&db) == 1, "... and the connection works");

	/* A COMMIT a deferred check refuses has rolled back. */
	ok(db_begin(&db) == 0 && db_exec_cmd(&db, &t_sql[T_INSERT], two) == 0 &&
	    db_exec_cmd(&db, &t_sql[T_INSERT], one) == 0,
	    "rows a deferred unique check will refuse");
	ok(db_commit(&db) == -1 && strcmp(db.sqlstate, "23505") == 0,
	    "the commit fails with the check's SQLSTATE");
	ok(idle(&db) && rows(&db) == 1, "nothing of it stays");
	is_int(db_end_open(&db), 0, "and nothing is left open");

	/* ROLLBACK keeps the reason the caller gave up for. */
	ok(db_begin(&db) == 0 && db_exec(&db, &t_sql[T_FAIL], NULL) == NULL,
	    "a failure");
	db_rollback(&db);
	ok(strcmp(db.sqlstate, "22012") == 0 && db.step != NULL &&
	    strcmp(db.step, "query") == 0, "rollback keeps its step and "
	    "SQLSTATE for the log");
	db_free(&db);
	return done_testing();
}
