/* aud_bulk.c: the bulk actions of the Contacts page's selection (tag, list, subscription, delete) as set-based statements over an id range, shared by the worker and the runner; the bulk jobs' record. */
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "aud_bulk.h"
#include "aud_filter.h"

/*
 * The selection of every statement: the filter's predicate ($1..$17),
 * the ticked ids $18 (NULL: all that match), the ids after $20 and up
 * to $21 (NULL: no bound).
 */
#define BULK_SEL \
	"WHERE " AUD_FILTER_WHERE \
	"AND ($18::bigint[] IS NULL OR c.id = ANY ($18::bigint[])) " \
	"AND c.id > $20::bigint " \
	"AND ($21::bigint IS NULL OR c.id <= $21::bigint) "

enum { BN_N, BN__MAX };
enum { BT_TIMEOUT, BT_PLAN, BT__MAX };
enum { BX_LAST, BX_N, BX__MAX };
enum { BC_ID, BC_NOTIFY, BC__MAX };

enum {
	BULK_SETTINGS,
	BULK_TAG_ADD,
	BULK_TAG_REMOVE,
	BULK_GROUP_ADD,
	BULK_GROUP_REMOVE,
	BULK_STATUS,
	BULK_DELETE,
	BULK_NEXT,
	BULK_COUNT,
	BULK_CREATE,
	BULK__MAX
};

const char *const aud_bulk_actions[AUD_BULK__MAX] = {
	[AUD_BULK_TAG_ADD] = "tag_add", [AUD_BULK_TAG_REMOVE] = "tag_remove",
	[AUD_BULK_GROUP_ADD] = "group_add",
	[AUD_BULK_GROUP_REMOVE] = "group_remove",
	[AUD_BULK_SUBSCRIBED] = "subscribed",
	[AUD_BULK_UNSUBSCRIBED] = "unsubscribed",
	[AUD_BULK_UNKNOWN] = "unknown", [AUD_BULK_DELETE] = "delete",
};

static const struct stmt bulk_sql[BULK__MAX] = {
	/*
	 * In a change's transaction: more time than a page's statement (a
	 * tag on 100,000 contacts rewrites them and their seven indexes:
	 * docs/performance.md), and a custom plan for the optional filter.
	 */
	[BULK_SETTINGS] = { "aud_bulk.settings",
	    "SELECT set_config('statement_timeout', '120000', true) AS timeout, "
	    "set_config('plan_cache_mode', 'force_custom_plan', true) AS plan",
	    0, DB_ONCE, DB_COLS(BT__MAX, [BT_TIMEOUT] = "timeout",
	    [BT_PLAN] = "plan") },
	/* Tag $19 (the customer's) on the selection: the contacts changed. */
	[BULK_TAG_ADD] = { "aud_bulk.tag_add",
	    "WITH t AS (SELECT id FROM tags WHERE id = $19::bigint "
	    "AND customer_id = $1::bigint), u AS (UPDATE contacts c "
	    "SET tags = c.tags || t.id FROM t " BULK_SEL
	    "AND NOT c.tags @> ARRAY[t.id] AND cardinality(c.tags) < 1000 "
	    "RETURNING 1) SELECT count(*) AS n FROM u", 21, DB_ONCE,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
	[BULK_TAG_REMOVE] = { "aud_bulk.tag_remove",
	    "WITH u AS (UPDATE contacts c SET tags = array_remove(c.tags, "
	    "$19::bigint) " BULK_SEL "AND c.tags @> ARRAY[$19::bigint] "
	    "RETURNING 1) SELECT count(*) AS n FROM u", 21, DB_ONCE,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
	/*
	 * Add the selection to list $19 (the customer's): the members
	 * added (wa_group_add, sql/0021 and 0025: it locks the contacts FOR
	 * SHARE, and a list that requires confirmation keeps them pending
	 * and asks them).
	 */
	[BULK_GROUP_ADD] = { "aud_bulk.group_add",
	    "SELECT wa_group_add($1::bigint, $19::bigint, ARRAY(SELECT c.id "
	    "FROM contacts c " BULK_SEL ")) AS n",
	    21, DB_ONCE, DB_COLS(BN__MAX, [BN_N] = "n") },
	/* Remove the selection from list $19, members and pending alike. */
	[BULK_GROUP_REMOVE] = { "aud_bulk.group_remove",
	    "SELECT wa_group_remove($1::bigint, $19::bigint, ARRAY(SELECT c.id "
	    "FROM contacts c " BULK_SEL ")) AS n", 21, DB_ONCE,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
	/* Status $19 on the selection, each change in the consent log. */
	[BULK_STATUS] = { "aud_bulk.status",
	    "WITH u AS (UPDATE contacts c SET status = $19::text, "
	    "consent_source = 'portal', consent_at = wa_now() " BULK_SEL
	    "AND c.status <> $19::text RETURNING c.id, c.customer_id, c.phone), "
	    "l AS (INSERT INTO contact_consents (customer_id, contact_id, "
	    "phone, status, source) SELECT customer_id, id, phone, $19::text, "
	    "'portal' FROM u RETURNING 1) SELECT count(*) AS n FROM l", 21,
	    DB_ONCE, DB_COLS(BN__MAX, [BN_N] = "n") },
	[BULK_DELETE] = { "aud_bulk.delete",
	    "WITH d AS (DELETE FROM contacts c " BULK_SEL "AND $19::text "
	    "IS NULL RETURNING 1) SELECT count(*) AS n FROM d", 21, DB_ONCE,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
	/* The next batch after $20: its last id and its size. */
	[BULK_NEXT] = { "aud_bulk.next",
	    "SELECT coalesce(max(id)::text, '') AS last, count(*) AS n "
	    "FROM (SELECT c.id FROM contacts c " BULK_SEL
	    "AND $19::text IS NULL ORDER BY c.id LIMIT 5000) x", 21, DB_RETRY,
	    DB_COLS(BX__MAX, [BX_LAST] = "last", [BX_N] = "n") },
	/* What is left of the selection after $20. */
	[BULK_COUNT] = { "aud_bulk.count",
	    "SELECT count(*) AS n FROM contacts c " BULK_SEL
	    "AND $19::text IS NULL", 21, DB_RETRY,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
	[BULK_CREATE] = { "aud_bulk.create",
	    "WITH j AS (INSERT INTO jobs (customer_id, kind) "
	    "VALUES ($1::bigint, 'bulk') RETURNING id), "
	    "b AS (INSERT INTO bulks (job_id, customer_id, action, tag_id, "
	    "group_id, filter, ids) SELECT j.id, $1::bigint, $2, $3::bigint, "
	    "$6::bigint, $4, $5::bigint[] FROM j) "
	    "SELECT id, pg_notify('waportal_jobs', id::text)::text AS notify "
	    "FROM j", 6, DB_ONCE,
	    DB_COLS(BC__MAX, [BC_ID] = "id", [BC_NOTIFY] = "notify") },
};

const struct stmt_set aud_bulk_stmts = STMT_SET(bulk_sql);

int
aud_bulk_action(const char *s)
{
	int	 a;

	for (a = 0; a < AUD_BULK__MAX; a++)
		if (strcmp(s, aud_bulk_actions[a]) == 0)
			return a;
	return -1;
}

/* The statement of action a. */
static int
bulk_stmt(enum aud_bulk_action a)
{
	switch (a) {
	case AUD_BULK_TAG_ADD:
		return BULK_TAG_ADD;
	case AUD_BULK_TAG_REMOVE:
		return BULK_TAG_REMOVE;
	case AUD_BULK_GROUP_ADD:
		return BULK_GROUP_ADD;
	case AUD_BULK_GROUP_REMOVE:
		return BULK_GROUP_REMOVE;
	case AUD_BULK_DELETE:
		return BULK_DELETE;
	default:
		return BULK_STATUS;
	}
}

int
aud_bulk_has_ref(enum aud_bulk_action a)
{
	return a == AUD_BULK_TAG_ADD || a == AUD_BULK_TAG_REMOVE ||
	    a == AUD_BULK_GROUP_ADD || a == AUD_BULK_GROUP_REMOVE;
}

int64_t
aud_bulk_apply(struct db *db, const char *const *v, enum aud_bulk_action a,
    const char *ref, const char *after, const char *through)
{
	const char	*p[AUD_NPARAMS + 4];
	PGresult	*res;
	int64_t		 n = -1;

	memcpy(p, v, sizeof(p[0]) * (AUD_NPARAMS + 1));
	p[AUD_NPARAMS + 1] = aud_bulk_has_ref(a) ? ref :
	    a == AUD_BULK_DELETE ? NULL : aud_bulk_actions[a];
	p[AUD_NPARAMS + 2] = after;
	p[AUD_NPARAMS + 3] = through;
	if (db_exec_cmd(db, &bulk_sql[BULK_SETTINGS], NULL) == -1)
		return -1;
	if ((res = db_exec(db, &bulk_sql[bulk_stmt(a)], p)) != NULL &&
	    PQntuples(res) == 1)
		n = db_getll(res, 0, BN_N);
	PQclear(res);
	return n;
}

/*
 * The parameters of a statement over the contacts after id after: the
 * selection's v ($1 .. $AUD_NPARAMS + 1), no action's value, after, no
 * upper bound.
 */
static void
bulk_after_params(const char **p, const char *const *v, const char *after)
{
	memcpy(p, v, sizeof(p[0]) * (AUD_NPARAMS + 1));
	p[AUD_NPARAMS + 1] = NULL;
	p[AUD_NPARAMS + 2] = after;
	p[AUD_NPARAMS + 3] = NULL;
}

int64_t
aud_bulk_left(struct db *db, const char *const *v, const char *after)
{
	const char	*p[AUD_NPARAMS + 4];
	PGresult	*res;
	int64_t		 n;

	bulk_after_params(p, v, after);
	if ((res = aud_exec(db, &bulk_sql[BULK_COUNT], p)) == NULL)
		return -1;
	n = db_getll(res, 0, BN_N);
	PQclear(res);
	return n;
}

int64_t
aud_bulk_next(struct db *db, const char *const *v, const char *after,
    char through[24])
{
	const char	*p[AUD_NPARAMS + 4];
	PGresult	*res;
	int64_t		 n;

	bulk_after_params(p, v, after);
	if ((res = aud_exec(db, &bulk_sql[BULK_NEXT], p)) == NULL)
		return -1;
	snprintf(through, 24, "%s", db_get(res, 0, BX_LAST));
	n = db_getll(res, 0, BX_N);
	PQclear(res);
	return n;
}

int
aud_bulk_create(struct db *db, int64_t customer, enum aud_bulk_action a,
    const char *ref, const char *filter, const char *ids, char id[24])
{
	int		 group = a == AUD_BULK_GROUP_ADD ||
			    a == AUD_BULK_GROUP_REMOVE;
	char		 cid[24];
	const char	*params[6] = { cid, aud_bulk_actions[a],
	    aud_bulk_has_ref(a) && !group ? ref : NULL, filter, ids,
	    group ? ref : NULL };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	if ((res = db_exec(db, &bulk_sql[BULK_CREATE], params)) == NULL)
		return -1;
	snprintf(id, 24, "%s", db_get(res, 0, BC_ID));
	PQclear(res);
	return 0;
}
