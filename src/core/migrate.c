/* migrate.c: apply sql/NNNN_name.sql files in order, once each, under an advisory lock; notice an applied file that changed. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apikey.h"
#include "buf.h"
#include "db.h"
#include "migrate.h"
#include "xmalloc.h"

/* The columns of MIGRATE_APPLIED. */
enum { MA_NAME, MA_APPLIED_AT, MA_SHA256, MA__MAX };

enum {
	MIGRATE_LOCK,
	MIGRATE_UNLOCK,
	MIGRATE_BOOTSTRAP,
	MIGRATE_BOOTSTRAP_SUM,
	MIGRATE_APPLIED,
	MIGRATE_RECORD,
	MIGRATE_SUM_FILL,
	MIGRATE__MAX
};

static const struct stmt migrate_sql[MIGRATE__MAX] = {
	/* One fixed key (hex "waportal") serialises concurrent migrators. */
	[MIGRATE_LOCK] = { "migrate.lock",
	    "SELECT pg_advisory_lock(7800502929437057377) AS locked", 0,
	    DB_ONCE, DB_COLS(1, "locked") },
	[MIGRATE_UNLOCK] = { "migrate.unlock",
	    "SELECT pg_advisory_unlock(7800502929437057377) AS unlocked", 0,
	    DB_ONCE, DB_COLS(1, "unlocked") },
	[MIGRATE_BOOTSTRAP] = { "migrate.bootstrap",
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " name text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now(),"
	    " sha256 text)", 0, DB_ONCE, NULL },
	/* The file's SHA-256 (hex) came later than the table. */
	[MIGRATE_BOOTSTRAP_SUM] = { "migrate.bootstrap_sum",
	    "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS sha256 "
	    "text", 0, DB_ONCE, NULL },
	/* Name, time, SHA-256 ('' when not recorded, also before the
	 * column exists: /readyz of a new release before its migrate). */
	[MIGRATE_APPLIED] = { "migrate.applied",
	    "SELECT name, to_char(applied_at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF') "
	    "AS applied_at, coalesce(to_jsonb(s)->>'sha256', '') AS sha256 "
	    "FROM schema_migrations s ORDER BY name", 0, DB_RETRY,
	    DB_COLS(MA__MAX, [MA_NAME] = "name",
	    [MA_APPLIED_AT] = "applied_at", [MA_SHA256] = "sha256") },
	[MIGRATE_RECORD] = { "migrate.record",
	    "INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)", 2,
	    DB_ONCE, NULL },
	/* A row applied before sums were kept takes its file's sum. */
	[MIGRATE_SUM_FILL] = { "migrate.sum_fill",
	    "UPDATE schema_migrations SET sha256 = $2 "
	    "WHERE name = $1 AND sha256 IS NULL", 2, DB_ONCE, NULL },
};

const struct stmt_set migrate_stmts = STMT_SET(migrate_sql);

#define MIGRATE_MAX_FILE	(4 * 1024 * 1024)

/* A migration file is four digits, '_', [a-z0-9_]+, ".sql". */
int
migrate_name_valid(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n < 10 || strcmp(s + n - 4, ".sql") != 0 || s[4] != '_')
		return 0;
	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	for (i = 5; i < n - 4; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int
migration_cmp(const void *a, const void *b)
{
	return strcmp(((const struct migration *)a)->name,
	    ((const struct migration *)b)->name);
}

static struct migration *
migration_add(struct migrations *m, const char *name)
{
	struct migration	*e;

	m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
	e = &m->v[m->n++];
	e->name = xstrdup(name);
	e->applied_at = NULL;
	e->sum = NULL;
	e->on_disk = 0;
	e->changed = 0;
	return e;
}

static struct migration *
migration_find(struct migrations *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, name) == 0)
			return &m->v[i];
	return NULL;
}

/* Add every valid file name in dir; other files are ignored. */
static int
migrate_scan(struct migrations *m, const char *dir)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (migrate_name_valid(de->d_name))
			migration_add(m, de->d_name)->on_disk = 1;
	closedir(d);
	return 0;
}

/* Merge the applied rows of schema_migrations into m. */
static int
migrate_merge_applied(struct migrations *m, struct db *db)
{
	PGresult		*res;
	struct migration	*e;
	int			 i;

	if ((res = db_exec(db, &migrate_sql[MIGRATE_APPLIED], NULL)) == NULL) {
		/* undefined_table: nothing has been applied yet. */
		if (strcmp(db->sqlstate, "42P01") == 0)
			return 0;
		snprintf(m->errmsg, sizeof(m->errmsg), "%s", db->errmsg);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if ((e = migration_find(m, db_get(res, i, MA_NAME))) == NULL)
			e = migration_add(m, db_get(res, i, MA_NAME));
		e->applied_at = xstrdup(db_get(res, i, MA_APPLIED_AT));
		e->sum = xstrdup(db_get(res, i, MA_SHA256));
	}
	PQclear(res);
	return 0;
}

/* Read a whole migration file (bounded); NULL with m->errmsg. */
static char *
migrate_read(struct migrations *m, const char *path)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    b.len <= MIGRATE_MAX_FILE)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.len > MIGRATE_MAX_FILE) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: over %d bytes",
		    path, MIGRATE_MAX_FILE);
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/*
 * The SHA-256 (hex) of migration file name in dir into out. Returns 0,
 * or -1 with m->errmsg.
 */
static int
migrate_sum(struct migrations *m, const char *dir, const char *name,
    char out[APIKEY_HASH_HEX + 1])
{
	char	*path, *sql;
	int	 rc = -1;

	path = xasprintf("%s/%s", dir, name);
	if ((sql = migrate_read(m, path)) != NULL &&
	    (rc = apikey_hash_hex(sql, strlen(sql), out)) == -1)
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: no SHA-256", name);
	free(sql);
	free(path);
	return rc;
}

/* Mark the applied files whose SHA-256 differs from the one recorded. */
static int
migrate_compare(struct migrations *m, const char *dir)
{
	char	 sum[APIKEY_HASH_HEX + 1];
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].applied_at == NULL || !m->v[i].on_disk ||
		    m->v[i].sum == NULL || m->v[i].sum[0] == '\0')
			continue;
		if (migrate_sum(m, dir, m->v[i].name, sum) == -1)
			return -1;
		if (strcmp(sum, m->v[i].sum) != 0) {
			m->v[i].changed = 1;
			m->changed++;
		}
	}
	return 0;
}

/*
 * Fill m with every migration on disk and in the database, sorted by
 * name, and count the pending ones and the applied ones whose file
 * changed since. Read-only: a database without the table yet counts
 * every file as pending. Returns 0 or -1 with m->errmsg.
 */
int
migrate_status(struct migrations *m, struct db *db, const char *dir)
{
	size_t	 i;

	memset(m, 0, sizeof(*m));
	if (migrate_scan(m, dir) == -1)
		return -1;
	if (migrate_merge_applied(m, db) == -1)
		return -1;
	qsort(m->v, m->n, sizeof(*m->v), migration_cmp);
	for (i = 0; i < m->n; i++)
		if (m->v[i].applied_at == NULL)
			m->pending++;
	return migrate_compare(m, dir);
}

/* Apply one file and record it, in one transaction. */
static int
migrate_one(struct migrations *m, struct db *db, const char *dir,
    const char *name)
{
	char		 sum[APIKEY_HASH_HEX + 1];
	const char	*params[2] = { name, sum };
	char		*path, *sql;
	int		 rc = -1;

	path = xasprintf("%s/%s", dir, name);
	if ((sql = migrate_read(m, path)) == NULL)
		goto out;
	if (apikey_hash_hex(sql, strlen(sql), sum) == -1) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: no SHA-256", name);
		goto out;
	}
	if (db_begin(db) == -1)
		goto dberr;
	if (db_run_script(db, sql) == -1 ||
	    db_exec_cmd(db, &migrate_sql[MIGRATE_RECORD], params) == -1) {
		db_rollback(db);
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: %s", name,
		    db->errmsg);
		goto out;
	}
	if (db_commit(db) == -1) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s: %s", name,
		    db->errmsg);
		goto out;
	}
	rc = 0;
	goto out;
dberr:
	snprintf(m->errmsg, sizeof(m->errmsg), "%s", db->errmsg);
out:
	free(sql);
	free(path);
	return rc;
}

/*
 * Record the file's SHA-256 for the applied rows that have none (applied
 * before sums were kept): from now on a change to them is noticed.
 */
static int
migrate_fill_sums(struct migrations *m, struct db *db, const char *dir)
{
	char		 sum[APIKEY_HASH_HEX + 1];
	const char	*params[2] = { NULL, sum };
	size_t		 i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].applied_at == NULL || !m->v[i].on_disk ||
		    (m->v[i].sum != NULL && m->v[i].sum[0] != '\0'))
			continue;
		if (migrate_sum(m, dir, m->v[i].name, sum) == -1)
			return -1;
		params[0] = m->v[i].name;
		if (db_exec_cmd(db, &migrate_sql[MIGRATE_SUM_FILL], params) == -1) {
			snprintf(m->errmsg, sizeof(m->errmsg), "%s", db->errmsg);
			return -1;
		}
	}
	return 0;
}

/*
 * A file that changed after it was applied is never applied again: say
 * which, and what to do. Returns 0 when none did, else -1.
 */
static int
migrate_refuse_changed(struct migrations *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].changed) {
			snprintf(m->errmsg, sizeof(m->errmsg), "%s changed "
			    "since it was applied (%s); a migration is applied "
			    "once: restore the file and put the change in a new "
			    "one (a development database: start over)",
			    m->v[i].name, m->v[i].applied_at);
			return -1;
		}
	return 0;
}

/*
 * Apply every pending migration in name order, each in its own
 * transaction, holding a session advisory lock so concurrent runs
 * serialise; the status is read again after the lock is held.
 * Progress lines go to progress when not NULL. Returns 0 or -1.
 */
int
migrate_apply(struct migrations *m, struct db *db, const char *dir,
    FILE *progress)
{
	size_t	 i;
	int	 rc = 0;

	memset(m, 0, sizeof(*m));
	if (db_exec_cmd(db, &migrate_sql[MIGRATE_LOCK], NULL) == -1) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s", db->errmsg);
		return -1;
	}
	if (db_exec_cmd(db, &migrate_sql[MIGRATE_BOOTSTRAP], NULL) == -1 ||
	    db_exec_cmd(db, &migrate_sql[MIGRATE_BOOTSTRAP_SUM], NULL) == -1) {
		snprintf(m->errmsg, sizeof(m->errmsg), "%s", db->errmsg);
		rc = -1;
	} else if (migrate_status(m, db, dir) == -1 ||
	    migrate_fill_sums(m, db, dir) == -1 ||
	    migrate_refuse_changed(m) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < m->n; i++) {
		if (m->v[i].applied_at != NULL)
			continue;
		if ((rc = migrate_one(m, db, dir, m->v[i].name)) == 0) {
			m->v[i].applied_at = xstrdup("now");
			m->pending--;
			if (progress != NULL)
				fprintf(progress, "applied  %s\n",
				    m->v[i].name);
		}
	}
	db_exec_cmd(db, &migrate_sql[MIGRATE_UNLOCK], NULL);
	return rc;
}

void
migrations_free(struct migrations *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].applied_at);
		free(m->v[i].sum);
	}
	free(m->v);
	m->v = NULL;
	m->n = m->pending = m->changed = 0;
}
