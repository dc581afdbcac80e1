/* aud_import_db.c: an import's records the portal and the API share: the customer's custom fields, a draft with its file stored in pieces, its first piece read back, and the start and cancel functions of sql/0016. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "aud_import.h"
#include "aud_sniff.h"

enum { AF_KEY, AF_LABEL, AF_KIND, AF_CHOICES, AF__MAX };
enum { AN_ID, AN__MAX };
enum { AH_DATA, AH__MAX };
enum { AO_OUTCOME, AO__MAX };

enum {
	AUD_IMP_FIELDS,
	AUD_IMP_DRAFTS_GONE,
	AUD_IMP_CREATE,
	AUD_IMP_CHUNK,
	AUD_IMP_HEAD,
	AUD_IMP_START,
	AUD_IMP_CANCEL,
	AUD_IMP__MAX
};

static const struct stmt aud_imp_sql[AUD_IMP__MAX] = {
	[AUD_IMP_FIELDS] = { "aud_import.fields",
	    "SELECT key, label, kind, to_json(choices)::text AS choices "
	    "FROM contact_fields WHERE customer_id = $1 "
	    "ORDER BY lower(label), key", 1, DB_RETRY,
	    DB_COLS(AF__MAX, [AF_KEY] = "key", [AF_LABEL] = "label",
	    [AF_KIND] = "kind", [AF_CHOICES] = "choices") },
	/* Drafts nobody started within a day go with their file. */
	[AUD_IMP_DRAFTS_GONE] = { "aud_import.drafts_gone",
	    "DELETE FROM jobs WHERE customer_id = $1 AND kind = 'import' "
	    "AND state = 'draft' AND created_at < wa_now() - interval '1 day'",
	    1, DB_ONCE, NULL },
	[AUD_IMP_CREATE] = { "aud_import.create",
	    "WITH j AS (INSERT INTO jobs (customer_id, kind, state, total) "
	    "VALUES ($1, 'import', 'draft', $3) RETURNING id) "
	    "INSERT INTO imports (job_id, customer_id, file_name, file_size, "
	    "header, mapping, country, delimiter) "
	    "SELECT j.id, $1, $2, $3, $4::text[], $5::jsonb, $6, $7 FROM j "
	    "RETURNING job_id AS id", 7, DB_ONCE,
	    DB_COLS(AN__MAX, [AN_ID] = "id") },
	[AUD_IMP_CHUNK] = { "aud_import.chunk",
	    "INSERT INTO import_chunks (job_id, seq, data) "
	    "VALUES ($1, $2, $3::bytea)", 3, DB_ONCE, NULL },
	[AUD_IMP_HEAD] = { "aud_import.head",
	    "SELECT c.data FROM import_chunks c JOIN jobs j ON j.id = c.job_id "
	    "WHERE c.job_id = $1 AND j.customer_id = $2 AND c.seq = 0", 2,
	    DB_RETRY, DB_COLS(AH__MAX, [AH_DATA] = "data") },
	[AUD_IMP_START] = { "aud_import.start",
	    "SELECT wa_import_start($1, $2) AS outcome", 2, DB_ONCE,
	    DB_COLS(AO__MAX, [AO_OUTCOME] = "outcome") },
	[AUD_IMP_CANCEL] = { "aud_import.cancel",
	    "SELECT wa_job_cancel($1, $2) AS outcome", 2, DB_ONCE,
	    DB_COLS(AO__MAX, [AO_OUTCOME] = "outcome") },
};

const struct stmt_set aud_import_stmts = STMT_SET(aud_imp_sql);

/*
 * The customer's custom fields into fs (empty when there are none);
 * 0, or -1 when the database failed.
 */
int
aud_fields_load(struct db *db, const char *customer, struct aud_fields *fs)
{
	const char	*params[1] = { customer };
	PGresult	*res;
	int		 i;

	memset(fs, 0, sizeof(*fs));
	if ((res = db_exec(db, &aud_imp_sql[AUD_IMP_FIELDS], params)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		aud_fields_add(fs, db_get(res, i, AF_KEY),
		    db_get(res, i, AF_LABEL), db_get(res, i, AF_KIND),
		    db_get(res, i, AF_CHOICES));
	PQclear(res);
	return 0;
}

/* The header as a PostgreSQL text[] literal, each element quoted. */
static void
aud_header_array(const struct aud_sniff *s, struct buf *b)
{
	size_t		 i;
	const char	*p;

	buf_puts(b, "{");
	for (i = 0; i < s->ncols; i++) {
		buf_puts(b, i ? ",\"" : "\"");
		for (p = s->header[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	}
	buf_puts(b, "}");
}

/* Store the file in pieces of AUD_IMPORT_CHUNK bytes; 0 or -1. */
static int
aud_store_chunks(struct db *db, const char *job, const char *data, size_t n)
{
	const char	*params[3];
	char		 seq[16];
	int		 lens[3] = { 0, 0, 0 }, fmts[3] = { 0, 0, 1 };
	size_t		 off, len;
	PGresult	*res;
	int		 i;

	for (i = 0, off = 0; off < n; i++, off += len) {
		len = n - off < AUD_IMPORT_CHUNK ? n - off : AUD_IMPORT_CHUNK;
		snprintf(seq, sizeof(seq), "%d", i);
		params[0] = job;
		params[1] = seq;
		params[2] = data + off;
		lens[2] = (int)len;
		if ((res = db_exec_bin(db, &aud_imp_sql[AUD_IMP_CHUNK], params,
		    lens, fmts)) == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}

/*
 * Record a file (data[0..n), read by aud_sniff into s) as a draft
 * import of the customer with the mapping its header suggests, in one
 * transaction that also drops the customer's day-old drafts; the new
 * import's id in id. 0, or -1 (rolled back) with db->errmsg.
 */
int
aud_import_create(struct db *db, const char *customer, const char *name,
    const char *data, size_t n, const struct aud_sniff *s,
    const char *country, char id[24])
{
	struct aud_fields	 fs;
	struct json_object	*map;
	struct buf		 hdr = BUF_INIT;
	const char		*params[7];
	char			 size[24], delim[2] = { s->delim, '\0' };
	PGresult		*res = NULL;
	int			 rc = -1;

	if (aud_fields_load(db, customer, &fs) == -1)
		return -1;
	map = aud_map_propose(s, &fs);
	aud_fields_free(&fs);
	aud_header_array(s, &hdr);
	snprintf(size, sizeof(size), "%zu", n);
	params[0] = customer;
	params[1] = name;
	params[2] = size;
	params[3] = buf_str(&hdr);
	params[4] = json_object_to_json_string(map);
	params[5] = country;
	params[6] = delim;
	if (db_begin(db) == 0 &&
	    db_exec_cmd(db, &aud_imp_sql[AUD_IMP_DRAFTS_GONE], params) == 0 &&
	    (res = db_exec(db, &aud_imp_sql[AUD_IMP_CREATE], params)) != NULL) {
		snprintf(id, 24, "%s", db_get(res, 0, AN_ID));
		if (aud_store_chunks(db, id, data, n) == 0 && db_commit(db) == 0)
			rc = 0;
	}
	if (rc == -1)
		db_rollback(db);
	PQclear(res);
	buf_free(&hdr);
	json_object_put(map);
	return rc;
}

/*
 * Read the first piece of the customer's import id again into s (its
 * header and first rows; size is the file's): 0, 1 when it has no file
 * any more, or -1 when the database failed.
 */
int
aud_import_head(struct db *db, const char *customer, const char *id,
    long long size, struct aud_sniff *s)
{
	const char	*params[2] = { id, customer };
	unsigned char	*raw;
	size_t		 n;
	PGresult	*res;

	memset(s, 0, sizeof(*s));
	if ((res = db_exec(db, &aud_imp_sql[AUD_IMP_HEAD], params)) == NULL)
		return -1;
	if (PQntuples(res) != 1 || (raw = PQunescapeBytea(
	    (const unsigned char *)db_get(res, 0, AH_DATA), &n)) == NULL) {
		PQclear(res);
		return 1;
	}
	PQclear(res);
	if (aud_sniff(s, (const char *)raw, n, (long long)n == size) == -1) {
		PQfreemem(raw);
		return 1;
	}
	PQfreemem(raw);
	return 0;
}

/* Run one of the outcome functions; its word in out. 0 or -1. */
static int
aud_outcome(struct db *db, int which, const char *customer, const char *id,
    char out[16])
{
	const char	*params[2] = { customer, id };
	PGresult	*res;

	if ((res = db_exec(db, &aud_imp_sql[which], params)) == NULL)
		return -1;
	snprintf(out, 16, "%s", db_get(res, 0, AO_OUTCOME));
	PQclear(res);
	return 0;
}

/*
 * Start a draft (wa_import_start): out is started, busy, no_phone,
 * not_draft or not_found. 0, or -1 when the database failed.
 */
int
aud_import_start(struct db *db, const char *customer, const char *id,
    char out[16])
{
	return aud_outcome(db, AUD_IMP_START, customer, id, out);
}

/*
 * Cancel a job (wa_job_cancel): out is discarded, cancelled, asked,
 * over or not_found. 0, or -1 when the database failed.
 */
int
aud_job_cancel(struct db *db, const char *customer, const char *id,
    char out[16])
{
	return aud_outcome(db, AUD_IMP_CANCEL, customer, id, out);
}
