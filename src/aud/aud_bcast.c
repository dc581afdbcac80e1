/* aud_bcast.c: a broadcast's audience: its sources as the Contacts filter's query strings, the resolution's set-based batch into broadcast_recipients (the next 20,000 ids) (the status rule and the number spread in the statement), and the dry-run count of the distinct audience. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/xmalloc.h"
#include "aud_bcast.h"
#include "aud_export.h"
#include "aud_filter.h"

/* The selection: the filter ($1..$17), the ticked ids $18 (NULL: all). */
#define BCAST_SEL \
	"WHERE " AUD_FILTER_WHERE \
	"AND ($18::bigint[] IS NULL OR c.id = ANY ($18::bigint[])) "

/* A contact the broadcast sends to (b: the broadcast). */
#define BCAST_SENDS \
	"(c.status = 'subscribed' OR (c.status = 'unknown' " \
	"AND b.include_unknown))"

enum { BS_KIND, BS_REF, BS_FILTER, BS_FOUND, BS__MAX };
enum { BO_FILTER, BO__MAX };
enum { BB_LAST, BB_WALKED, BB_ADDED, BB__MAX };
enum { BI_ID, BI__MAX };
enum { BT_TIMEOUT, BT_PLAN, BT__MAX };

enum {
	BCAST_SETTINGS,
	BCAST_SOURCES,
	BCAST_OWNED,
	BCAST_BATCH,
	BCAST_IDS,
	BCAST__MAX
};

const char *const aud_bcast_kinds[AUD_BCAST__MAX] = {
	[AUD_BCAST_LIST] = "list", [AUD_BCAST_SEGMENT] = "segment",
	[AUD_BCAST_TAG] = "tag", [AUD_BCAST_SUBSCRIBERS] = "subscribers",
};

static const struct stmt bcast_sql[BCAST__MAX] = {
	/* In a batch's transaction: a longer timeout, custom plans. */
	[BCAST_SETTINGS] = { "aud_bcast.settings",
	    "SELECT set_config('statement_timeout', '120000', true) AS timeout, "
	    "set_config('plan_cache_mode', 'force_custom_plan', true) AS plan",
	    0, DB_ONCE, DB_COLS(BT__MAX, [BT_TIMEOUT] = "timeout",
	    [BT_PLAN] = "plan") },
	/*
	 * Broadcast $1's sources in order; found: false for a segment or
	 * a tag deleted since (the source then selects nothing).
	 */
	[BCAST_SOURCES] = { "aud_bcast.sources",
	    "SELECT s.kind, coalesce(s.ref_id, 0) AS ref_id, "
	    "coalesce(g.filter, '') AS filter, (s.kind IN ('list', "
	    "'subscribers') OR g.id IS NOT NULL OR t.id IS NOT NULL) AS found "
	    "FROM broadcast_sources s "
	    "LEFT JOIN contact_groups g ON s.kind = 'segment' "
	    "AND g.id = s.ref_id AND g.kind = 'segment' "
	    "LEFT JOIN tags t ON s.kind = 'tag' AND t.id = s.ref_id "
	    "WHERE s.broadcast_id = $1::bigint ORDER BY s.pos LIMIT 20", 1,
	    DB_RETRY, DB_COLS(BS__MAX, [BS_KIND] = "kind",
	    [BS_REF] = "ref_id", [BS_FILTER] = "filter",
	    [BS_FOUND] = "found") },
	/* Source $2 of kind $3 among customer $1's: one row, its filter. */
	[BCAST_OWNED] = { "aud_bcast.owned",
	    "SELECT g.filter FROM contact_groups g WHERE g.id = $2::bigint "
	    "AND g.customer_id = $1::bigint AND g.kind = $3::text "
	    "UNION ALL SELECT '' FROM tags t WHERE t.id = $2::bigint "
	    "AND t.customer_id = $1::bigint AND $3::text = 'tag'", 3,
	    DB_RETRY, DB_COLS(BO__MAX, [BO_FILTER] = "filter") },
	/*
	 * The next batch of the selection after $20 (AUD_BCAST_BATCH
	 * ids) into broadcast $19's recipients: the ones it
	 * sends to pending, the others skipped with their status as the
	 * reason; the number: instance_ids[hash(contact id) mod n + 1]. The
	 * broadcast's row locked (sql/0035: no foreign key checks each row;
	 * a deletion waits for the commit, then removes the rows). The
	 * batch's last id ('' when none is left), its size, the rows added.
	 */
	[BCAST_BATCH] = { "aud_bcast.batch",
	    "WITH b AS (SELECT id, instance_ids, include_unknown "
	    "FROM broadcasts WHERE id = $19::bigint "
	    "AND customer_id = $1::bigint AND cardinality(instance_ids) > 0 "
	    "FOR KEY SHARE), "
	    "s AS (SELECT b.id AS bid, b.instance_ids, c.id, c.phone, c.status, "
	    BCAST_SENDS " AS sends FROM b, contacts c " BCAST_SEL
	    "AND c.id > $20::bigint ORDER BY c.id LIMIT " AUD_BCAST_BATCH "), "
	    "i AS (INSERT INTO broadcast_recipients (broadcast_id, contact_id, "
	    "phone, instance_id, status, reason) "
	    "SELECT s.bid, s.id, s.phone, s.instance_ids[1 + "
	    "((hashint8(s.id)::bigint + 2147483648) "
	    "% cardinality(s.instance_ids))::int], "
	    "CASE WHEN s.sends THEN 'pending' ELSE 'skipped' END, "
	    "CASE WHEN s.sends THEN '' ELSE s.status END "
	    "FROM s ORDER BY s.id ON CONFLICT DO NOTHING RETURNING 1) "
	    "SELECT coalesce((SELECT max(id) FROM s)::text, '') AS last, "
	    "(SELECT count(*) FROM s) AS walked, "
	    "(SELECT count(*) FROM i) AS added", 20, DB_ONCE,
	    DB_COLS(BB__MAX, [BB_LAST] = "last", [BB_WALKED] = "walked",
	    [BB_ADDED] = "added") },
	/* A dry run: the next 5,000 ids after $20 sent to ($19: unknown). */
	[BCAST_IDS] = { "aud_bcast.ids",
	    "SELECT c.id FROM contacts c, (SELECT $19::boolean AS "
	    "include_unknown) b " BCAST_SEL "AND c.id > $20::bigint "
	    "AND " BCAST_SENDS " ORDER BY c.id LIMIT 5000", 20, DB_RETRY,
	    DB_COLS(BI__MAX, [BI_ID] = "id") },
};

const struct stmt_set aud_bcast_stmts = STMT_SET(bcast_sql);

/* Sources s[0..n) as SQL arrays of kinds and ids (aud_bcast.h). */
void
aud_bcast_arrays(const struct aud_bcast_source *s, int n, struct buf *kinds,
    struct buf *ids)
{
	int	 i;

	buf_putc(kinds, '{');
	buf_putc(ids, '{');
	for (i = 0; i < n; i++) {
		buf_printf(kinds, "%s%s", i > 0 ? "," : "",
		    aud_bcast_kinds[s[i].kind]);
		buf_printf(ids, "%s%lld", i > 0 ? "," : "",
		    (long long)s[i].ref);
	}
	buf_putc(kinds, '}');
	buf_putc(ids, '}');
}

int
aud_bcast_hhmm(const char *s, size_t n)
{
	int	 h, m;

	if (s == NULL || n != 5 || s[2] != ':' ||
	    s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 ? h * 60 + m : -1;
}

int
aud_bcast_kind(const char *s)
{
	int	 k;

	for (k = 0; k < AUD_BCAST__MAX; k++)
		if (strcmp(s, aud_bcast_kinds[k]) == 0)
			return k;
	return -1;
}

void
aud_bcast_query(const struct aud_bcast_source *s, struct buf *out)
{
	buf_reset(out);
	switch (s->kind) {
	case AUD_BCAST_LIST:
		buf_printf(out, "group=%lld", (long long)s->ref);
		break;
	case AUD_BCAST_SEGMENT:
		buf_puts(out, s->filter);
		break;
	case AUD_BCAST_TAG:
		buf_printf(out, "any=%lld", (long long)s->ref);
		break;
	default:
		buf_puts(out, "status=subscribed");
		break;
	}
}

/* Row i of the sources into s; a source gone gets ref 0. */
static void
bcast_source_row(PGresult *res, int i, struct aud_bcast_source *s)
{
	int	 k = aud_bcast_kind(db_get(res, i, BS_KIND));

	memset(s, 0, sizeof(*s));
	s->kind = k < 0 ? AUD_BCAST_SUBSCRIBERS : (enum aud_bcast_kind)k;
	s->ref = db_getb(res, i, BS_FOUND) ? db_getll(res, i, BS_REF) : 0;
	snprintf(s->filter, sizeof(s->filter), "%s",
	    db_get(res, i, BS_FILTER));
}

int
aud_bcast_sources(struct db *db, const char *id, struct aud_bcast_source *s)
{
	PGresult	*res;
	int		 i, n;

	if ((res = db_exec(db, &bcast_sql[BCAST_SOURCES],
	    (const char *const[]){ id })) == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n && i < AUD_BCAST_SOURCES; i++)
		bcast_source_row(res, i, &s[i]);
	PQclear(res);
	return i;
}

int
aud_bcast_owned(struct db *db, int64_t customer, struct aud_bcast_source *s)
{
	char		 cid[24], ref[24];
	const char	*p[3] = { cid, ref, aud_bcast_kinds[s->kind] };
	PGresult	*res;
	int		 rc;

	if (s->kind == AUD_BCAST_SUBSCRIBERS)
		return 0;
	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	snprintf(ref, sizeof(ref), "%lld", (long long)s->ref);
	if ((res = db_exec(db, &bcast_sql[BCAST_OWNED], p)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 ? 0 : 1;
	if (rc == 0)
		snprintf(s->filter, sizeof(s->filter), "%s",
		    db_get(res, 0, BO_FILTER));
	PQclear(res);
	return rc;
}

int64_t
aud_bcast_batch(struct db *db, const char *const *v, const char *id,
    const char *after, char through[24], int64_t *added)
{
	const char	*p[AUD_NPARAMS + 3];
	PGresult	*res;
	int64_t		 n = -1;

	memcpy(p, v, sizeof(p[0]) * (AUD_NPARAMS + 1));
	p[AUD_NPARAMS + 1] = id;
	p[AUD_NPARAMS + 2] = after;
	if (db_exec_cmd(db, &bcast_sql[BCAST_SETTINGS], NULL) == -1)
		return -1;
	if ((res = db_exec(db, &bcast_sql[BCAST_BATCH], p)) != NULL &&
	    PQntuples(res) == 1) {
		n = db_getll(res, 0, BB_WALKED);
		*added = db_getll(res, 0, BB_ADDED);
		snprintf(through, 24, "%s", db_get(res, 0, BB_LAST));
	}
	PQclear(res);
	return n;
}

/* The ids being counted: appended, then sorted and made unique. */
struct bcast_ids {
	int64_t		*v;
	size_t		 n, cap;
};

/* Every id source x sends to into ids; 0, -1 (database), -2 (too many). */
static int
bcast_collect(struct db *db, struct aud_export *x, const char *unknown,
    struct bcast_ids *ids)
{
	const char	*p[AUD_NPARAMS + 3];
	PGresult	*res;
	int		 i, n;

	memcpy(p, x->v, sizeof(p[0]) * (AUD_NPARAMS + 1));
	p[AUD_NPARAMS + 1] = unknown;
	p[AUD_NPARAMS + 2] = x->after;
	do {
		if ((res = db_exec(db, &bcast_sql[BCAST_IDS], p)) == NULL)
			return -1;
		if (ids->n + (size_t)(n = PQntuples(res)) > AUD_BCAST_DRY_MAX) {
			PQclear(res);
			return -2;
		}
		if (ids->n + (size_t)n > ids->cap) {
			ids->cap = ids->cap * 2 + (size_t)n;
			ids->v = xreallocarray(ids->v, ids->cap, sizeof(int64_t));
		}
		for (i = 0; i < n; i++)
			ids->v[ids->n++] = db_getll(res, i, BI_ID);
		if (n > 0)
			snprintf(x->after, sizeof(x->after), "%s",
			    db_get(res, n - 1, BI_ID));
		PQclear(res);
	} while (n == 5000);
	return 0;
}

static int
bcast_cmp(const void *a, const void *b)
{
	int64_t	 x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Source s's contacts into ids: 0, -1 (database), -2 (refused). */
static int
bcast_count_source(struct db *db, int64_t customer,
    struct aud_bcast_source *s, const char *unknown, struct bcast_ids *ids)
{
	struct aud_filter	 f;
	struct aud_export	 x;
	struct buf		 q = { 0 };
	int			 rc;

	if ((rc = aud_bcast_owned(db, customer, s)) != 0)
		return rc == 1 ? -2 : -1;
	aud_bcast_query(s, &q);
	rc = aud_selection_parse(db, customer, buf_str(&q), &f);
	buf_free(&q);
	if (rc != 0)
		return rc == -2 ? -1 : -2;
	if (aud_export_open(&x, &f, customer, NULL, "[]", 0) != 0)
		return -2;
	rc = bcast_collect(db, &x, unknown, ids);
	aud_export_close(&x);
	return rc;
}

int64_t
aud_bcast_count(struct db *db, int64_t customer, struct aud_bcast_source *s,
    int n, int include_unknown)
{
	struct bcast_ids	 ids = { NULL, 0, 0 };
	int64_t			 count = 0;
	size_t			 i;
	int			 k, rc = 0;

	if (db_begin(db) == -1)
		return -1;
	if (db_exec_cmd(db, &bcast_sql[BCAST_SETTINGS], NULL) == -1)
		rc = -1;
	for (k = 0; rc == 0 && k < n; k++)
		rc = bcast_count_source(db, customer, &s[k],
		    include_unknown ? "true" : "false", &ids);
	if (rc == 0 && db_commit(db) == -1)
		rc = -1;
	else if (rc != 0)
		db_rollback(db);
	if (ids.n > 0)
		qsort(ids.v, ids.n, sizeof(int64_t), bcast_cmp);
	for (i = 0; i < ids.n; i++)
		count += i == 0 || ids.v[i] != ids.v[i - 1];
	free(ids.v);
	return rc == 0 ? count : rc;
}
