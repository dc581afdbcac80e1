/* aud_export.c: a contact export's CSV, shared by the worker's export, the runner's background export and the API: the stored selection parsed as the page parses it, the batch in id order, the header and the rows, and the background exports' records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/xmalloc.h"
#include "aud_csv.h"
#include "aud_export.h"
#include "aud_filter.h"

/* The selection: the filter ($1..$17) and the ticked ids ($18). */
#define AEX_SEL \
	"WHERE " AUD_FILTER_WHERE \
	"AND ($18::bigint[] IS NULL OR c.id = ANY ($18::bigint[])) "

enum { AK_KIND, AK__MAX };
enum { AN_N, AN__MAX };
enum { ACOL_COLUMNS, ACOL__MAX };
enum { ACR_ID, ACR_NOTIFY, ACR__MAX };
enum { AFI_STATE, AFI_NAME, AFI__MAX };
enum { AP_DATA, AP__MAX };
enum {
	BE_ID, BE_PHONE, BE_NAME, BE_EMAIL, BE_LANGUAGE, BE_STATUS,
	BE_SOURCE, BE_CONSENT_AT, BE_CREATED, BE_TAGS, BE_FIELDS, BE_NOTES,
	BE__MAX
};

enum {
	AEX_KIND,
	AEX_TAGS,
	AEX_COLUMNS,
	AEX_COUNT,
	AEX_BATCH,
	AEX_CREATE,
	AEX_FILE,
	AEX_PIECE,
	AEX__MAX
};

static const struct stmt aex_sql[AEX__MAX] = {
	[AEX_KIND] = { "aud_export.kind",
	    "SELECT kind FROM contact_fields WHERE customer_id = $1::bigint "
	    "AND key = $2", 2, DB_RETRY, DB_COLS(AK__MAX, [AK_KIND] = "kind") },
	/* How many of the ids $2 are tags of customer $1. */
	[AEX_TAGS] = { "aud_export.tags",
	    "SELECT count(*) AS n FROM tags WHERE customer_id = $1::bigint "
	    "AND id = ANY ($2::bigint[])", 2, DB_RETRY,
	    DB_COLS(AN__MAX, [AN_N] = "n") },
	/* The columns after the fixed ones: the fields by label. */
	[AEX_COLUMNS] = { "aud_export.columns",
	    "SELECT coalesce(jsonb_agg(key ORDER BY lower(label), id), "
	    "'[]')::text AS columns FROM contact_fields "
	    "WHERE customer_id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(ACOL__MAX, [ACOL_COLUMNS] = "columns") },
	/* The selection's exact number, up to $19 and one more. */
	[AEX_COUNT] = { "aud_export.count",
	    "SELECT count(*) AS n FROM (SELECT 1 FROM contacts c " AEX_SEL
	    "LIMIT $19::bigint + 1) x", 19, DB_RETRY,
	    DB_COLS(AN__MAX, [AN_N] = "n") },
	/* A batch: ids after $19, tags by name, in id order. */
	[AEX_BATCH] = { "aud_export.batch",
	    "SELECT c.id, c.phone, c.name, c.email, c.language, c.status, "
	    "c.consent_source, coalesce(to_char(c.consent_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS consent_at, "
	    "to_char(c.created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created, "
	    "coalesce((SELECT string_agg(t.name, '; ' ORDER BY lower(t.name)) "
	    "FROM tags t WHERE t.id = ANY (c.tags)), '') AS tags, "
	    "c.fields::text AS fields, c.notes FROM contacts c " AEX_SEL
	    "AND c.id > $19::bigint ORDER BY c.id LIMIT 1000", 19, DB_RETRY,
	    DB_COLS(BE__MAX, [BE_ID] = "id", [BE_PHONE] = "phone",
	    [BE_NAME] = "name", [BE_EMAIL] = "email",
	    [BE_LANGUAGE] = "language", [BE_STATUS] = "status",
	    [BE_SOURCE] = "consent_source", [BE_CONSENT_AT] = "consent_at",
	    [BE_CREATED] = "created", [BE_TAGS] = "tags",
	    [BE_FIELDS] = "fields", [BE_NOTES] = "notes") },
	/* A background export queued, the runner woken. */
	[AEX_CREATE] = { "aud_export.create",
	    "WITH j AS (INSERT INTO jobs (customer_id, kind) "
	    "VALUES ($1::bigint, 'export') RETURNING id), "
	    "e AS (INSERT INTO exports (job_id, customer_id, filter, ids, "
	    "file_name) SELECT j.id, $1::bigint, $2, $3::bigint[], "
	    "'contacts-' || to_char(wa_now() AT TIME ZONE 'UTC', "
	    "'YYYYMMDD-HH24MISS') || '.csv' FROM j) "
	    "SELECT id, pg_notify('waportal_jobs', id::text)::text AS notify "
	    "FROM j", 3, DB_ONCE,
	    DB_COLS(ACR__MAX, [ACR_ID] = "id", [ACR_NOTIFY] = "notify") },
	[AEX_FILE] = { "aud_export.file",
	    "SELECT CASE WHEN j.state <> 'done' THEN 'not_done' "
	    "WHEN e.expired OR e.expires_at <= wa_now() THEN 'expired' "
	    "ELSE 'ok' END AS state, e.file_name FROM jobs j "
	    "JOIN exports e ON e.job_id = j.id WHERE j.id = $1::bigint "
	    "AND j.customer_id = $2::bigint AND j.kind = 'export'", 2,
	    DB_RETRY, DB_COLS(AFI__MAX, [AFI_STATE] = "state",
	    [AFI_NAME] = "file_name") },
	[AEX_PIECE] = { "aud_export.piece",
	    "SELECT data FROM export_chunks WHERE job_id = $1::bigint "
	    "AND seq = $2::int", 2, DB_RETRY,
	    DB_COLS(AP__MAX, [AP_DATA] = "data") },
};

const struct stmt_set aud_export_stmts = STMT_SET(aex_sql);

static int
aex_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a query string's component (%XX, '+') into out. */
static void
aex_unescape(const char *s, size_t n, struct buf *out)
{
	size_t	 i;

	buf_reset(out);
	buf_append(out, "", 0);
	for (i = 0; i < n; i++)
		if (s[i] == '+')
			buf_putc(out, ' ');
		else if (s[i] == '%' && i + 2 < n && aex_hex(s[i + 1]) >= 0 &&
		    aex_hex(s[i + 2]) >= 0) {
			buf_putc(out, (char)(aex_hex(s[i + 1]) << 4 |
			    aex_hex(s[i + 2])));
			i += 2;
		} else
			buf_putc(out, s[i]);
}

/* Set each name=value of query on f (cursors left out). */
static void
aex_query_set(struct aud_filter *f, const char *query)
{
	struct buf	 name = BUF_INIT, value = BUF_INIT;
	const char	*p = query, *amp, *eq;

	while (*p != '\0') {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		aex_unescape(p, (size_t)(eq - p), &name);
		aex_unescape(eq < amp ? eq + 1 : amp, (size_t)(amp -
		    (eq < amp ? eq + 1 : amp)), &value);
		if (name.len > 0 && strcmp(buf_str(&name), "after") != 0 &&
		    strcmp(buf_str(&name), "before") != 0)
			aud_filter_set(f, buf_str(&name), buf_str(&value));
		p = *amp == '&' ? amp + 1 : amp;
	}
	buf_free(&name);
	buf_free(&value);
}

/* The field's kind looked up: 0, -1 (not the customer's), -2. */
static int
aex_field_kind(struct db *db, int64_t customer, struct aud_filter *f)
{
	char		 cid[24];
	const char	*params[2] = { cid, f->field };
	PGresult	*res;
	int		 kind = -1;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	if ((res = db_exec(db, &aex_sql[AEX_KIND], params)) == NULL)
		return -2;
	if (PQntuples(res) == 1)
		kind = aud_kind_parse(db_get(res, 0, AK_KIND));
	PQclear(res);
	if (kind < 0) {
		aud_filter_fail(f, AUD_P_FIELD);
		return -1;
	}
	return aud_filter_kind(f, kind);
}

/* Each tag of a list is the customer's: 0, -1 (f->err), -2. */
static int
aex_tags_known(struct db *db, int64_t customer, struct aud_filter *f,
    const int64_t *ids, size_t n, enum aud_param p)
{
	struct buf	 arr = BUF_INIT;
	char		 cid[24];
	const char	*params[2];
	PGresult	*res;
	size_t		 i;
	int64_t		 found;

	if (n == 0)
		return 0;
	buf_putc(&arr, '{');
	for (i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i > 0 ? "," : "", (long long)ids[i]);
	buf_putc(&arr, '}');
	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	params[0] = cid;
	params[1] = buf_str(&arr);
	res = db_exec(db, &aex_sql[AEX_TAGS], params);
	buf_free(&arr);
	if (res == NULL)
		return -2;
	found = db_getll(res, 0, AN_N);
	PQclear(res);
	if (found == (int64_t)n)
		return 0;
	aud_filter_fail(f, p);
	return -1;
}

int
aud_selection_parse(struct db *db, int64_t customer, const char *query,
    struct aud_filter *f)
{
	int	 rc;

	aud_filter_init(f);
	if (strlen(query) > AUD_EXPORT_QUERY_MAX) {
		aud_filter_fail(f, AUD_P_Q);
		return -1;
	}
	aex_query_set(f, query);
	aud_filter_check(f);
	if (f->field[0] != '\0' && f->err[AUD_P_FIELD] == NULL &&
	    (rc = aex_field_kind(db, customer, f)) == -2)
		return -2;
	if ((rc = aex_tags_known(db, customer, f, f->any, f->nany,
	    AUD_P_ANY)) == -2 || (rc = aex_tags_known(db, customer, f, f->all,
	    f->nall, AUD_P_ALL)) == -2)
		return -2;
	return f->nerr > 0 ? -1 : 0;
}

int
aud_export_columns(struct db *db, int64_t customer, struct buf *out)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	if ((res = db_exec(db, &aex_sql[AEX_COLUMNS], params)) == NULL)
		return -1;
	buf_reset(out);
	buf_puts(out, db_get(res, 0, ACOL_COLUMNS));
	PQclear(res);
	return 0;
}

int
aud_export_open(struct aud_export *x, const struct aud_filter *f,
    int64_t customer, const char *ids, const char *columns, int64_t after)
{
	memset(x, 0, sizeof(*x));
	x->f = *f;
	aud_filter_bind(&x->f, customer, &x->b);
	memcpy(x->v, x->b.v, sizeof(x->b.v));
	x->ids = ids != NULL ? xstrdup(ids) : NULL;
	x->v[AUD_NPARAMS] = x->ids;
	snprintf(x->after, sizeof(x->after), "%lld", (long long)after);
	x->columns = json_tokener_parse(columns);
	if (!json_object_is_type(x->columns, json_type_array)) {
		json_object_put(x->columns);
		x->columns = NULL;
		aud_export_close(x);
		return -1;
	}
	x->ncolumns = (int)json_object_array_length(x->columns);
	return 0;
}

void
aud_export_close(struct aud_export *x)
{
	json_object_put(x->columns);
	x->columns = NULL;
	free(x->ids);
	x->ids = NULL;
	aud_bind_free(&x->b);
}

int64_t
aud_export_count(struct db *db, struct aud_export *x, int64_t max)
{
	char		 lim[24];
	PGresult	*res;
	int64_t		 n = -1;

	snprintf(lim, sizeof(lim), "%lld", (long long)max);
	x->v[AUD_NPARAMS + 1] = lim;
	if ((res = aud_exec(db, &aex_sql[AEX_COUNT], x->v)) != NULL &&
	    PQntuples(res) == 1)
		n = db_getll(res, 0, AN_N);
	PQclear(res);
	x->v[AUD_NPARAMS + 1] = NULL;
	return n;
}

/* The key of column i (a custom field). */
static const char *
aex_key(const struct aud_export *x, int i)
{
	const char	*k = json_object_get_string(json_object_array_get_idx(
			    x->columns, (size_t)i));

	return k != NULL ? k : "";
}

void
aud_export_head(struct aud_export *x, struct aud_csv *c)
{
	static const char *const cols[] = { "phone", "name", "email",
	    "language", "status", "consent_source", "consent_at", "created_at",
	    "tags", "notes" };
	size_t	 i;
	int	 k;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		aud_csv_cellz(c, cols[i]);
	for (k = 0; k < x->ncolumns; k++)
		aud_csv_cellz(c, aex_key(x, k));
	aud_csv_end(c);
}

PGresult *
aud_export_next(struct db *db, struct aud_export *x)
{
	x->v[AUD_NPARAMS + 1] = x->after;
	return aud_exec(db, &aex_sql[AEX_BATCH], x->v);
}

void
aud_export_row(struct aud_export *x, struct aud_csv *c, PGresult *res, int i)
{
	static const int cols[] = { BE_PHONE, BE_NAME, BE_EMAIL, BE_LANGUAGE,
	    BE_STATUS, BE_SOURCE, BE_CONSENT_AT, BE_CREATED, BE_TAGS,
	    BE_NOTES };
	struct json_object	*fields, *fv;
	size_t			 k;
	int			 j;

	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
		aud_csv_cellz(c, db_get(res, i, cols[k]));
	fields = json_tokener_parse(db_get(res, i, BE_FIELDS));
	for (j = 0; j < x->ncolumns; j++) {
		fv = fields != NULL ? json_object_object_get(fields,
		    aex_key(x, j)) : NULL;
		aud_csv_cellz(c, fv != NULL ? json_object_get_string(fv) : "");
	}
	json_object_put(fields);
	aud_csv_end(c);
	snprintf(x->after, sizeof(x->after), "%s", db_get(res, i, BE_ID));
}

int
aud_export_create(struct db *db, int64_t customer, const char *filter,
    const char *ids, char id[24])
{
	char		 cid[24];
	const char	*params[3] = { cid, filter, ids };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	if ((res = db_exec(db, &aex_sql[AEX_CREATE], params)) == NULL)
		return -1;
	snprintf(id, 24, "%s", db_get(res, 0, ACR_ID));
	PQclear(res);
	return 0;
}

int
aud_export_file(struct db *db, int64_t customer, const char *id,
    char state[AUD_EXPORT_STATE_MAX], char name[AUD_EXPORT_NAME_MAX])
{
	char		 cid[24];
	const char	*params[2] = { id, cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	if ((res = db_exec(db, &aex_sql[AEX_FILE], params)) == NULL)
		return -1;
	snprintf(state, AUD_EXPORT_STATE_MAX, "%s", PQntuples(res) == 1 ?
	    db_get(res, 0, AFI_STATE) : "not_found");
	snprintf(name, AUD_EXPORT_NAME_MAX, "%s", PQntuples(res) == 1 ?
	    db_get(res, 0, AFI_NAME) : "");
	PQclear(res);
	return 0;
}

int
aud_export_send(struct db *db, const char *id,
    void (*put)(void *, const char *, size_t), void *arg)
{
	char		 seq[16];
	const char	*params[2] = { id, seq };
	unsigned char	*raw;
	size_t		 n;
	PGresult	*res;
	int		 i;

	for (i = 0;; i++) {
		snprintf(seq, sizeof(seq), "%d", i);
		if ((res = db_exec(db, &aex_sql[AEX_PIECE], params)) == NULL)
			return -1;
		if (PQntuples(res) != 1) {
			PQclear(res);
			return 0;
		}
		raw = PQunescapeBytea((const unsigned char *)db_get(res, 0,
		    AP_DATA), &n);
		PQclear(res);
		if (raw == NULL)
			return -1;
		put(arg, (const char *)raw, n);
		PQfreemem(raw);
	}
}
