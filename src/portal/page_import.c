/* page_import.c: import contacts from a CSV file: the upload (spooled, stored in pieces for the runner), the proposed column mapping, the preview of the first rows as they would be stored, and the start. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_sniff.h"
#include "core/buf.h"
#include "core/contact_field.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "country.h"
#include "page_import.h"

#define IMPORT_CHUNK	(1024 * 1024)	/* bytes per import_chunks row */
#define IMPORT_PAGE	20		/* imports per page of the history */

/* The inputs of the upload and the mapping: a country, what to do with
 * existing contacts, the button pressed. */
enum {
	IMP_IN_COUNTRY,
	IMP_IN_EXISTING,
	IMP_IN_ACTION,
	IMP_IN__MAX
};

static int	imp_valid_country(struct req *, struct field *);
static int	imp_valid_existing(struct req *, struct field *);
static int	imp_valid_action(struct req *, struct field *);

static const struct input imp_in[IMP_IN__MAX] = {
	[IMP_IN_COUNTRY] = { "country", imp_valid_country, INPUT_REQUIRED },
	[IMP_IN_EXISTING] = { "existing", imp_valid_existing, 0 },
	[IMP_IN_ACTION] = { "action", imp_valid_action, 0 },
};

/* The history page reads only its cursor. */
static const struct input imp_list_in[] = {
	{ "before", input_id, 0 },
};

/* The columns of the statements. */
enum { IL_ID, IL_STATE, IL_FILE_NAME, IL_CREATED, IL_TOTAL, IL_INSERTED,
	IL_UPDATED, IL_REJECTED, IL__MAX };
enum { IC_COUNTRY, IC_ACTIVE, IC__MAX };
enum { IN_ID, IN__MAX };
enum { IH_DATA, IH__MAX };
enum { IT_ID, IT_NAME, IT_COLOUR, IT__MAX };
enum { IF_KEY, IF_LABEL, IF_KIND, IF_CHOICES, IF__MAX };
enum { IS_OUTCOME, IS__MAX };

enum {
	IMP_LIST,
	IMP_CONTEXT,
	IMP_DRAFTS_GONE,
	IMP_CREATE,
	IMP_CHUNK,
	IMP_GET,
	IMP_HEAD,
	IMP_SAVE,
	IMP_START,
	IMP_TAGS,
	IMP_FIELDS,
	IMP__MAX
};

/* A timestamp in the customer's zone u.time_zone, '' for NULL. */
#define IMP_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"

static const struct stmt imp_sql[IMP__MAX] = {
	[IMP_LIST] = { "import.list",
	    "SELECT j.id, j.state, i.file_name, " IMP_LOCAL("j.created_at")
	    " AS created, i.total, i.inserted, i.updated, i.rejected "
	    "FROM jobs j JOIN imports i ON i.job_id = j.id "
	    "JOIN users u ON u.id = j.customer_id "
	    "WHERE j.customer_id = $1 AND j.kind = 'import' "
	    "AND ($2::bigint IS NULL OR j.id < $2) "
	    "ORDER BY j.id DESC LIMIT 21", 2, DB_RETRY,
	    DB_COLS(IL__MAX, [IL_ID] = "id", [IL_STATE] = "state",
	    [IL_FILE_NAME] = "file_name", [IL_CREATED] = "created",
	    [IL_TOTAL] = "total", [IL_INSERTED] = "inserted",
	    [IL_UPDATED] = "updated", [IL_REJECTED] = "rejected") },
	/* The default country, and the import queued or running, if any. */
	[IMP_CONTEXT] = { "import.context",
	    "SELECT u.country, (SELECT j.id FROM jobs j "
	    "WHERE j.customer_id = u.id AND j.kind = 'import' "
	    "AND j.state IN ('queued', 'running') LIMIT 1) AS active "
	    "FROM users u WHERE u.id = $1", 1, DB_RETRY,
	    DB_COLS(IC__MAX, [IC_COUNTRY] = "country",
	    [IC_ACTIVE] = "active") },
	/* Drafts nobody started within a day go with their file. */
	[IMP_DRAFTS_GONE] = { "import.drafts_gone",
	    "DELETE FROM jobs WHERE customer_id = $1 AND kind = 'import' "
	    "AND state = 'draft' AND created_at < wa_now() - interval '1 day'",
	    1, DB_ONCE, NULL },
	[IMP_CREATE] = { "import.create",
	    "WITH j AS (INSERT INTO jobs (customer_id, kind, state, total) "
	    "VALUES ($1, 'import', 'draft', $3) RETURNING id) "
	    "INSERT INTO imports (job_id, customer_id, file_name, file_size, "
	    "header, mapping, country, delimiter) "
	    "SELECT j.id, $1, $2, $3, $4::text[], $5::jsonb, $6, $7 FROM j "
	    "RETURNING job_id AS id", 7, DB_ONCE,
	    DB_COLS(IN__MAX, [IN_ID] = "id") },
	[IMP_CHUNK] = { "import.chunk",
	    "INSERT INTO import_chunks (job_id, seq, data) "
	    "VALUES ($1, $2, $3::bytea)", 3, DB_ONCE, NULL },
	/* One import of the customer; its header and mapping as JSON. */
	[IMP_GET] = { "import.get",
	    "SELECT j.id, j.state, j.phase, j.done, j.total, j.rows, j.error, "
	    "j.cancel_asked, " IMP_LOCAL("j.created_at") " AS created, "
	    "coalesce(extract(epoch FROM (coalesce(j.finished_at, wa_now()) - "
	    "j.started_at))::bigint, 0) AS elapsed, i.file_name, i.file_size, "
	    "to_json(i.header)::text AS header, i.mapping::text AS mapping, "
	    "i.country, i.existing, to_json(i.add_tags)::text AS add_tags, "
	    "i.total AS total_rows, i.inserted, i.updated, i.unchanged, "
	    "i.duplicates, i.rejected "
	    "FROM jobs j JOIN imports i ON i.job_id = j.id "
	    "JOIN users u ON u.id = j.customer_id "
	    "WHERE j.id = $1 AND j.customer_id = $2 AND j.kind = 'import'", 2,
	    DB_RETRY, DB_COLS(IG__MAX, [IG_ID] = "id", [IG_STATE] = "state",
	    [IG_PHASE] = "phase", [IG_DONE] = "done", [IG_TOTAL] = "total",
	    [IG_ROWS] = "rows", [IG_ERROR] = "error",
	    [IG_CANCEL_ASKED] = "cancel_asked", [IG_CREATED] = "created",
	    [IG_ELAPSED] = "elapsed", [IG_FILE_NAME] = "file_name",
	    [IG_FILE_SIZE] = "file_size", [IG_HEADER] = "header",
	    [IG_MAPPING] = "mapping", [IG_COUNTRY] = "country",
	    [IG_EXISTING] = "existing", [IG_ADD_TAGS] = "add_tags",
	    [IG_TOTAL_ROWS] = "total_rows", [IG_INSERTED] = "inserted",
	    [IG_UPDATED] = "updated", [IG_UNCHANGED] = "unchanged",
	    [IG_DUPLICATES] = "duplicates", [IG_REJECTED] = "rejected") },
	[IMP_HEAD] = { "import.head",
	    "SELECT data FROM import_chunks WHERE job_id = $1 AND seq = 0",
	    1, DB_RETRY, DB_COLS(IH__MAX, [IH_DATA] = "data") },
	[IMP_SAVE] = { "import.save",
	    "UPDATE imports i SET mapping = $3::jsonb, country = $4, "
	    "existing = $5, add_tags = ARRAY(SELECT t.id FROM tags t "
	    "WHERE t.customer_id = $1 AND t.id = ANY ($6::bigint[]) "
	    "ORDER BY t.id) FROM jobs j "
	    "WHERE j.id = i.job_id AND j.id = $2 AND j.customer_id = $1 "
	    "AND j.state = 'draft'", 6, DB_ONCE, NULL },
	[IMP_START] = { "import.start",
	    "SELECT wa_import_start($1, $2) AS outcome", 2, DB_ONCE,
	    DB_COLS(IS__MAX, [IS_OUTCOME] = "outcome") },
	[IMP_TAGS] = { "import.tags",
	    "SELECT id, name, colour FROM tags WHERE customer_id = $1 "
	    "ORDER BY lower(name), id LIMIT 1000", 1, DB_RETRY,
	    DB_COLS(IT__MAX, [IT_ID] = "id", [IT_NAME] = "name",
	    [IT_COLOUR] = "colour") },
	[IMP_FIELDS] = { "import.fields",
	    "SELECT key, label, kind, to_json(choices)::text AS choices "
	    "FROM contact_fields WHERE customer_id = $1 "
	    "ORDER BY lower(label), key", 1, DB_RETRY,
	    DB_COLS(IF__MAX, [IF_KEY] = "key", [IF_LABEL] = "label",
	    [IF_KIND] = "kind", [IF_CHOICES] = "choices") },
};

/* The strings of import.mustache and import_job.mustache. */
static const struct i18n_key imp_strings[] = {
	T_("im_title", "Import contacts"),
	T_("im_lead", "Upload a CSV file of up to 50 MB with one contact per "
	    "row and the column names on its first line. You choose which "
	    "column holds what, and see the first rows as they will be "
	    "stored, before anything is imported."),
	T_("im_file", "CSV file"),
	T_("im_file_hint", "Comma, semicolon or tab separated, UTF-8 (as "
	    "\"CSV UTF-8\" from a spreadsheet); up to 50 MB."),
	T_("im_country", "Country of numbers without a country code"),
	T_("im_upload", "Upload"),
	T_("im_active", "An import is running:"),
	T_("im_history", "Imports"),
	T_("im_col_file", "File"),
	T_("im_col_uploaded", "Uploaded"),
	T_("im_col_state", "State"),
	T_("im_col_rows", "Rows"),
	T_("im_col_inserted", "New"),
	T_("im_col_updated", "Updated"),
	T_("im_col_rejected", "Rejected"),
	T_("im_empty", "No imports yet. Upload a CSV file above to add many "
	    "contacts at once."),
	T_("im_older", "Older imports"),
	T_("im_newest", "Newest imports"),
	T_("im_map_title", "Choose what each column holds"),
	T_("im_map_lead", "The columns are matched by their names; change "
	    "any that are wrong. Only the phone number is required."),
	T_("im_col_column", "Column in the file"),
	T_("im_col_target", "Import as"),
	T_("im_col_sample", "First value"),
	T_("im_existing", "Contacts that already exist (same phone number)"),
	T_("im_existing_skip", "Leave them as they are"),
	T_("im_existing_fill", "Fill in only their empty fields"),
	T_("im_existing_overwrite", "Overwrite them with the file's values"),
	T_("im_add_tags", "Add these tags to every imported contact"),
	T_("im_no_tags", "You have no tags yet."),
	T_("im_preview", "Update the preview"),
	T_("im_start", "Start the import"),
	T_("im_discard", "Discard this file"),
	T_("im_preview_title", "Preview: the first rows as they will be "
	    "stored"),
	T_("im_col_line", "Line"),
	T_("im_no_rows", "The file has no rows under its header."),
	T_("im_progress", "Progress"),
	T_("im_rows_read", "rows read"),
	T_("im_time_left", "Time left"),
	T_("im_cancel", "Cancel the import"),
	T_("im_report", "Report"),
	T_("im_r_total", "Rows in the file"),
	T_("im_r_inserted", "New contacts"),
	T_("im_r_updated", "Contacts updated"),
	T_("im_r_unchanged", "Unchanged"),
	T_("im_r_duplicates", "Duplicates in the file"),
	T_("im_r_rejected", "Rejected"),
	T_("im_rejects_csv", "Download the rejected rows (CSV)"),
	T_("im_to_contacts", "See your contacts"),
	T_("im_another", "Import another file"),
	T_("im_cancel_confirm", "Cancel this import? Nothing of it will be "
	    "saved: your contacts stay as they are."),
	T_("im_keep", "Keep importing"),
	T_("im_back", "Back to imports"),
};

/* What a column may be imported as, in the order the selects list it. */
static const struct {
	const char	*target;
	const char	*label;		/* English (N_) */
} imp_targets[] = {
	{ "", N_("Do not import") },
	{ "phone", N_("Phone number") },
	{ "name", N_("Name") },
	{ "email", N_("E-mail") },
	{ "language", N_("Language") },
	{ "notes", N_("Notes") },
	{ "status", N_("Subscription status") },
	{ "consent_note", N_("Consent (where it was given)") },
	{ "tags", N_("Tags (names separated by commas)") },
};
#define IMP_NTARGETS	(sizeof(imp_targets) / sizeof(imp_targets[0]))

/* The states of a job, as words. */
static const struct {
	const char	*state;
	const char	*word;		/* English (N_) */
} imp_states[] = {
	{ "draft", N_("Not started") },
	{ "queued", N_("Waiting") },
	{ "running", N_("Running") },
	{ "done", N_("Done") },
	{ "failed", N_("Failed") },
	{ "cancelled", N_("Cancelled") },
};

/* The word of state s in the reader's language. */
static const char *
imp_state_word(struct req *r, const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(imp_states) / sizeof(imp_states[0]); i++)
		if (strcmp(imp_states[i].state, s) == 0)
			return req_tr(r, imp_states[i].word);
	return s;
}

/* ------------------------------------------------------------ inputs */

static int
imp_valid_country(struct req *r, struct field *f)
{
	(void)r;
	if (f->n != 2 || !country_known(f->s) || !phone_region_ok(f->s)) {
		f->err = N_("Choose a country from the list.");
		return -1;
	}
	return 0;
}

static int
imp_valid_existing(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "skip") != 0 && strcmp(f->s, "fill") != 0 &&
	    strcmp(f->s, "overwrite") != 0) {
		f->err = N_("Choose what to do with existing contacts.");
		return -1;
	}
	return 0;
}

static int
imp_valid_action(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "preview") != 0 && strcmp(f->s, "start") != 0) {
		f->err = N_("Unknown action.");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* The customer's id as a parameter. */
static const char *
imp_cid(struct req *r, char buf[24])
{
	snprintf(buf, 24, "%lld", (long long)r->customer_id);
	return buf;
}

/* A new view with the frame's title and the Contacts entry current. */
static struct json_object *
imp_view(struct req *r, const char *title)
{
	struct json_object	*v = json_object_new_object();

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, title)));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	return v;
}

/* A file size in the customer's words: "12.3 MB", "800 KB", "17 bytes". */
static struct json_object *
imp_size(long long n)
{
	char	 s[32];

	if (n >= 1000 * 1000)
		snprintf(s, sizeof(s), "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(s, sizeof(s), "%lld KB", (n + 999) / 1000);
	else
		snprintf(s, sizeof(s), "%lld B", n);
	return json_object_new_string(s);
}

/*
 * The customer's import the path names (the caller PQclear()s it), or
 * NULL with *status 404 (not theirs) or 503.
 */
PGresult *
import_get(struct req *r, int *status)
{
	return req_owned(r, &imp_sql[IMP_GET], status);
}

/* ------------------------------------------------------------ the list */

/* One import of the history as the view's row. */
static struct json_object *
imp_list_row(struct req *r, const PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(res, i, IL_STATE);

	json_object_object_add(o, "id", json_object_new_int64(
	    db_getll(res, i, IL_ID)));
	json_object_object_add(o, "file_name", json_object_new_string(
	    db_get(res, i, IL_FILE_NAME)));
	json_object_object_add(o, "created", json_object_new_string(
	    db_get(res, i, IL_CREATED)));
	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "state_word", json_object_new_string(
	    imp_state_word(r, st)));
	if (strcmp(st, "done") == 0) {
		json_object_object_add(o, "done", json_object_new_boolean(1));
		json_object_object_add(o, "total", json_object_new_int64(
		    db_getll(res, i, IL_TOTAL)));
		json_object_object_add(o, "inserted", json_object_new_int64(
		    db_getll(res, i, IL_INSERTED)));
		json_object_object_add(o, "updated", json_object_new_int64(
		    db_getll(res, i, IL_UPDATED)));
		json_object_object_add(o, "rejected", json_object_new_int64(
		    db_getll(res, i, IL_REJECTED)));
	}
	return o;
}

/* The history's rows (20 a page, newest first) and its pager. */
static int
imp_list_add(struct req *r, struct json_object *v, const char *before)
{
	struct json_object	*rows = json_object_new_array();
	const char		*params[2];
	char			 cid[24], next[24];
	PGresult		*res;
	int			 i, n;

	params[0] = imp_cid(r, cid);
	params[1] = before;
	if ((res = db_exec(&r->app->db, &imp_sql[IMP_LIST], params)) ==
	    NULL) {
		json_object_put(rows);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n && i < IMPORT_PAGE; i++)
		json_object_array_add(rows, imp_list_row(r, res, i));
	if (n > IMPORT_PAGE) {
		snprintf(next, sizeof(next), "%lld",
		    (long long)db_getll(res, IMPORT_PAGE - 1, IL_ID));
		json_object_object_add(v, "older", json_object_new_string(next));
	}
	PQclear(res);
	json_object_object_add(v, "has_imports", json_object_new_boolean(
	    n > 0));
	json_object_object_add(v, "paged", json_object_new_boolean(
	    before != NULL));
	json_object_object_add(v, "imports", rows);
	return 0;
}

/*
 * The upload page: the form (with err, the reason the last upload was
 * refused), the import running if any, and the history.
 */
static int
imp_page(struct req *r, int status, const char *country, const char *err,
    const char *before)
{
	struct json_object	*v = imp_view(r, N_("Import contacts"));
	const char		*params[1];
	char			 cid[24];
	PGresult		*res;
	int			 rc;

	params[0] = imp_cid(r, cid);
	if ((res = db_exec(&r->app->db, &imp_sql[IMP_CONTEXT], params)) ==
	    NULL || PQntuples(res) != 1 ||
	    imp_list_add(r, v, before) == -1) {
		PQclear(res);
		json_object_put(v);
		return 503;
	}
	if (country == NULL)
		country = db_get(res, 0, IC_COUNTRY);
	json_object_object_add(v, "countries", country_options(req_lang(r),
	    country));
	if (!db_isnull(res, 0, IC_ACTIVE))
		json_object_object_add(v, "active", json_object_new_int64(
		    db_getll(res, 0, IC_ACTIVE)));
	PQclear(res);
	if (err != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, err)));
	rc = resp_html(r, status, "import", v);
	json_object_put(v);
	return rc;
}

/* GET /contacts/import. */
static int
imp_get(struct req *r)
{
	return imp_page(r, 200, NULL, NULL, r->in[0].s);
}

/* ------------------------------------------------------------ upload */

/* The mapping proposed from the header: {"phone": 0, "name": 2, ...}. */
static struct json_object *
imp_propose(struct req *r, const struct aud_sniff *s)
{
	struct json_object	*m = json_object_new_object();
	const char		*t, *params[1];
	char			 cid[24], key[80];
	PGresult		*res;
	size_t			 i;
	int			 j;

	params[0] = imp_cid(r, cid);
	res = db_exec(&r->app->db, &imp_sql[IMP_FIELDS], params);
	for (i = 0; i < s->ncols; i++) {
		t = aud_sniff_target(s->header[i]);
		for (j = 0; t == NULL && res != NULL && j < PQntuples(res);
		    j++)
			if (strcasecmp(s->header[i], db_get(res, j, IF_KEY)) ==
			    0 || strcasecmp(s->header[i],
			    db_get(res, j, IF_LABEL)) == 0) {
				snprintf(key, sizeof(key), "field:%s",
				    db_get(res, j, IF_KEY));
				t = key;
			}
		if (t != NULL && !json_object_object_get_ex(m, t, NULL))
			json_object_object_add(m, t,
			    json_object_new_int((int)i));
	}
	PQclear(res);
	return m;
}

/* The header as a PostgreSQL text[] literal's elements, quoted. */
static void
imp_header_array(const struct aud_sniff *s, struct buf *b)
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

/* Store the file's pieces; 0 or -1 (the caller rolls back). */
static int
imp_store_chunks(struct req *r, const char *job, const struct param *f)
{
	const char	*params[3];
	char		 seq[16];
	int		 lens[3] = { 0, 0, 0 }, fmts[3] = { 0, 0, 1 };
	size_t		 off, n;
	PGresult	*res;
	int		 i;

	for (i = 0, off = 0; off < f->valsz; i++, off += n) {
		n = f->valsz - off < IMPORT_CHUNK ? f->valsz - off :
		    IMPORT_CHUNK;
		snprintf(seq, sizeof(seq), "%d", i);
		params[0] = job;
		params[1] = seq;
		params[2] = f->value + off;
		lens[2] = (int)n;
		if ((res = db_exec_bin(&r->app->db, &imp_sql[IMP_CHUNK],
		    params, lens, fmts)) == NULL)
			return -1;
		PQclear(res);
	}
	return 0;
}

/*
 * Record the upload as a draft import with its pieces, in one
 * transaction; the new job's id in id. 0 or -1.
 */
static int
imp_store(struct req *r, const struct param *f, const struct aud_sniff *s,
    char id[24])
{
	struct json_object	*map = imp_propose(r, s);
	struct buf		 hdr = BUF_INIT;
	const char		*params[7];
	char			 cid[24], size[24], delim[2] = { s->delim, '\0' };
	PGresult		*res = NULL;
	int			 rc = -1;

	imp_header_array(s, &hdr);
	snprintf(size, sizeof(size), "%zu", f->valsz);
	params[0] = imp_cid(r, cid);
	params[1] = f->filename;
	params[2] = size;
	params[3] = buf_str(&hdr);
	params[4] = json_object_to_json_string(map);
	params[5] = r->in[IMP_IN_COUNTRY].s;
	params[6] = delim;
	if (db_begin(&r->app->db) == 0 &&
	    db_exec_cmd(&r->app->db, &imp_sql[IMP_DRAFTS_GONE], params) == 0 &&
	    (res = db_exec(&r->app->db, &imp_sql[IMP_CREATE], params)) !=
	    NULL) {
		snprintf(id, 24, "%s", db_get(res, 0, IN_ID));
		if (imp_store_chunks(r, id, f) == 0 &&
		    db_commit(&r->app->db) == 0)
			rc = 0;
	}
	if (rc == -1)
		db_rollback(&r->app->db);
	PQclear(res);
	buf_free(&hdr);
	json_object_put(map);
	return rc;
}

/* The file name to keep: its last path part, valid UTF-8, at most 255 bytes. */
static const char *
imp_file_name(struct req *r, const char *name)
{
	const char	*p;
	size_t		 n;

	if (name == NULL || *name == '\0')
		return NULL;
	if ((p = strrchr(name, '/')) != NULL && p[1] != '\0')
		name = p + 1;
	if ((p = strrchr(name, '\\')) != NULL && p[1] != '\0')
		name = p + 1;
	n = strlen(name);
	if (n > 255)
		n = 255;
	while (n > 0 && !utf8_valid(name, n))
		n--;
	return n > 0 ? req_strndup(r, name, n) : NULL;
}

/*
 * POST /contacts/import: the file is checked (text, a header) and
 * stored as a draft; then the mapping page. A refused file re-renders
 * the form with why (422).
 */
static int
imp_upload(struct req *r)
{
	const struct param	*fp = params_get(&r->form, "file");
	struct param		 f;
	struct aud_sniff	 s;
	const char		*why;
	char			 id[24], loc[64];
	size_t			 head;

	if (r->in[IMP_IN_COUNTRY].s == NULL)
		return imp_page(r, 422, NULL, r->in[IMP_IN_COUNTRY].err, NULL);
	if (fp == NULL || fp->filename == NULL || *fp->filename == '\0')
		return imp_page(r, 422, r->in[IMP_IN_COUNTRY].s,
		    N_("Choose a CSV file to upload."), NULL);
	if (fp->valsz == 0)
		return imp_page(r, 422, r->in[IMP_IN_COUNTRY].s,
		    N_("The file is empty: its first line must name the "
		    "columns."), NULL);
	if (fp->valsz > (size_t)r->app->conf.num[CONF_MAX_UPLOAD])
		return imp_page(r, 422, r->in[IMP_IN_COUNTRY].s,
		    N_("The file is larger than 50 MB: split it into several "
		    "files."), NULL);
	f = *fp;
	if ((f.filename = (char *)imp_file_name(r, fp->filename)) == NULL)
		f.filename = "contacts.csv";
	head = f.valsz < IMPORT_CHUNK ? f.valsz : IMPORT_CHUNK;
	if (aud_sniff(&s, f.value, head, head == f.valsz) == -1) {
		why = s.err;
		aud_sniff_free(&s);
		return imp_page(r, 422, r->in[IMP_IN_COUNTRY].s, why, NULL);
	}
	if (imp_store(r, &f, &s, id) == -1) {
		aud_sniff_free(&s);
		return 503;
	}
	aud_sniff_free(&s);
	log_info("request %s: import %s uploaded (%zu bytes)", r->id, id,
	    f.valsz);
	snprintf(loc, sizeof(loc), "/contacts/import/%s", id);
	return resp_redirect(r, 303, loc);
}

/* ------------------------------------------------------------ mapping */

/* The targets a select offers: the fixed ones, then the custom fields. */
static struct json_object *
imp_target_options(struct req *r, const PGresult *fields, const char *sel)
{
	struct json_object	*a = json_object_new_array(), *o;
	char			 key[80];
	size_t			 i;
	int			 j;

	for (i = 0; i < IMP_NTARGETS; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(
		    imp_targets[i].target));
		json_object_object_add(o, "label", json_object_new_string(
		    req_tr(r, imp_targets[i].label)));
		if (strcmp(sel, imp_targets[i].target) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	for (j = 0; fields != NULL && j < PQntuples(fields); j++) {
		snprintf(key, sizeof(key), "field:%s", db_get(fields, j,
		    IF_KEY));
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(key));
		json_object_object_add(o, "label", json_object_new_string(
		    db_get(fields, j, IF_LABEL)));
		if (strcmp(sel, key) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

/* The target mapping m gives column i, "" for none. */
static const char *
imp_target_of(struct json_object *m, size_t i)
{
	json_object_object_foreach(m, k, val) {
		if (json_object_get_int(val) == (int)i)
			return k;
	}
	return "";
}

/* Whether target t is one a column may be mapped to. */
static int
imp_target_ok(const char *t, const PGresult *fields)
{
	size_t	 i;
	int	 j;

	for (i = 0; i < IMP_NTARGETS; i++)
		if (strcmp(t, imp_targets[i].target) == 0)
			return 1;
	if (strncmp(t, "field:", 6) != 0)
		return 0;
	for (j = 0; fields != NULL && j < PQntuples(fields); j++)
		if (strcmp(t + 6, db_get(fields, j, IF_KEY)) == 0)
			return 1;
	return 0;
}

/*
 * A custom field's value as the import would store it, shown as text:
 * 0 with the text in *out, or -1 with *why.
 */
static int
imp_field_cell(struct req *r, const PGresult *fields, const char *key,
    const char *s, size_t n, const char **out, const char **why)
{
	struct json_object	*ch, *val;
	const char		*choices[100];
	struct buf		 b = BUF_INIT;
	size_t			 i, nch = 0;
	int			 j, rc;

	for (j = 0; j < PQntuples(fields); j++)
		if (strcmp(db_get(fields, j, IF_KEY), key) == 0)
			break;
	if (j == PQntuples(fields))
		return -1;
	ch = json_tokener_parse(db_get(fields, j, IF_CHOICES));
	for (i = 0; ch != NULL && i < json_object_array_length(ch) &&
	    i < 100; i++)
		choices[nch++] = json_object_get_string(
		    json_object_array_get_idx(ch, i));
	rc = cfield_value(cfield_kind_parse(db_get(fields, j, IF_KIND)),
	    choices, nch, s, n, &b, why);
	if (rc == 0 && b.len > 0 && (val = json_tokener_parse(buf_str(&b))) !=
	    NULL) {
		*out = req_strndup(r, json_object_get_string(val),
		    strlen(json_object_get_string(val)));
		json_object_put(val);
	} else
		*out = "";
	json_object_put(ch);
	buf_free(&b);
	return rc;
}

/*
 * A cell as the preview shows it: the value the import would store, or
 * the value as written and why it is refused. The rules are the ones
 * of the runner (core/phone.h, core/valid.h, core/contact_field.h).
 */
static struct json_object *
imp_cell(struct req *r, const char *target, const char *v,
    const char *country, const PGresult *fields)
{
	struct json_object	*o = json_object_new_object();
	char			 e164[PHONE_E164_MAX + 1], mail[EMAIL_MAX + 1],
				 lang[CONTACT_LANG_MAX + 1];
	const char		*why = NULL, *s = v;
	size_t			 n = strlen(v);
	enum phone_why		 pw;
	int			 st;

	text_trim(&s, &n);
	if (strcmp(target, "phone") == 0) {
		if (phone_parse(s, n, country, PHONE_MOBILE, e164, &pw) == 0)
			s = e164;
		else
			why = phone_why_text(pw);
	} else if (n == 0)
		s = "";
	else if (strcmp(target, "email") == 0) {
		if (email_normalize(s, n, mail, &why) == 0)
			s = mail;
	} else if (strcmp(target, "language") == 0) {
		if (contact_language(s, n, lang, &why) == 0)
			s = lang;
	} else if (strcmp(target, "status") == 0) {
		if ((st = contact_status(s, n, &why)) >= 0)
			s = contact_status_names[st];
	} else if (strncmp(target, "field:", 6) == 0)
		imp_field_cell(r, fields, target + 6, s, n, &s, &why);
	else if ((strcmp(target, "name") == 0 &&
	    contact_name_check(s, n, &why) == -1) ||
	    (strcmp(target, "notes") == 0 &&
	    contact_notes_check(s, n, &why) == -1))
		;
	else
		s = req_strndup(r, s, n);
	json_object_object_add(o, "value", json_object_new_string(
	    why == NULL ? s : v));
	if (why != NULL)
		json_object_object_add(o, "error", json_object_new_string(
		    req_tr(r, why)));
	return o;
}

/* The preview: a header of the mapped targets and up to 20 rows. */
static void
imp_preview(struct req *r, struct json_object *v, const struct aud_sniff *s,
    struct json_object *m, const char *country, const PGresult *fields)
{
	struct json_object	*cols = json_object_new_array(), *rows, *row,
				*cells;
	size_t			 i, c;
	const char		*t;

	for (c = 0; c < s->ncols; c++)
		if (*(t = imp_target_of(m, c)) != '\0')
			json_object_array_add(cols, json_object_new_string(
			    s->header[c]));
	rows = json_object_new_array();
	for (i = 0; i < s->nrows; i++) {
		row = json_object_new_object();
		cells = json_object_new_array();
		json_object_object_add(row, "line", json_object_new_int64(
		    s->rows[i].line));
		for (c = 0; c < s->ncols; c++)
			if (*(t = imp_target_of(m, c)) != '\0')
				json_object_array_add(cells, imp_cell(r, t,
				    c < s->rows[i].n ? s->rows[i].cells[c] :
				    "", country, fields));
		json_object_object_add(row, "cells", cells);
		json_object_array_add(rows, row);
	}
	json_object_object_add(v, "preview_cols", cols);
	json_object_object_add(v, "preview_rows", rows);
	json_object_object_add(v, "has_rows", json_object_new_boolean(
	    s->nrows > 0));
}

/* The file's first piece read again (its header and first rows). */
static int
imp_sniff_again(struct req *r, const PGresult *imp, struct aud_sniff *s)
{
	const char	*params[1] = { db_get(imp, 0, IG_ID) };
	unsigned char	*raw;
	size_t		 n;
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&r->app->db, &imp_sql[IMP_HEAD], params)) == NULL ||
	    PQntuples(res) != 1 || (raw = PQunescapeBytea((const unsigned char *)
	    db_get(res, 0, IH_DATA), &n)) == NULL) {
		PQclear(res);
		return -1;
	}
	PQclear(res);
	rc = aud_sniff(s, (const char *)raw, n,
	    (long long)n == db_getll(imp, 0, IG_FILE_SIZE));
	PQfreemem(raw);
	return rc;
}

/* The tags to add, each with whether the import adds it. */
static int
imp_tags_add(struct req *r, struct json_object *v, struct json_object *sel)
{
	struct json_object	*a = json_object_new_array(), *o;
	const char		*params[1];
	char			 cid[24];
	PGresult		*res;
	size_t			 k;
	int			 i;

	params[0] = imp_cid(r, cid);
	if ((res = db_exec(&r->app->db, &imp_sql[IMP_TAGS], params)) ==
	    NULL) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(
		    db_getll(res, i, IT_ID)));
		json_object_object_add(o, "name", json_object_new_string(
		    db_get(res, i, IT_NAME)));
		json_object_object_add(o, "colour", json_object_new_string(
		    db_get(res, i, IT_COLOUR)));
		for (k = 0; sel != NULL && k < json_object_array_length(sel);
		    k++)
			if (json_object_get_int64(json_object_array_get_idx(
			    sel, k)) == db_getll(res, i, IT_ID))
				json_object_object_add(o, "checked",
				    json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	PQclear(res);
	json_object_object_add(v, "tags", a);
	json_object_object_add(v, "has_tags", json_object_new_boolean(
	    json_object_array_length(a) > 0));
	return 0;
}

/* What the mapping form shows and keeps between previews. */
struct imp_form {
	struct json_object	*map;		/* target -> column */
	const char		*country;
	const char		*existing;
	struct json_object	*tags;		/* ids to add */
	struct json_object	*errors;	/* column index -> why */
	const char		*error;		/* for the whole form */
};

/* The columns with their select and first value. */
static struct json_object *
imp_columns(struct req *r, const struct aud_sniff *s, const PGresult *fields,
    const struct imp_form *f)
{
	struct json_object	*a = json_object_new_array(), *o, *e;
	char			 k[32];
	size_t			 c;

	for (c = 0; c < s->ncols; c++) {
		o = json_object_new_object();
		json_object_object_add(o, "i", json_object_new_int((int)c));
		json_object_object_add(o, "name", json_object_new_string(
		    s->header[c]));
		json_object_object_add(o, "sample", json_object_new_string(
		    s->nrows > 0 && c < s->rows[0].n ? s->rows[0].cells[c] :
		    ""));
		json_object_object_add(o, "options", imp_target_options(r,
		    fields, imp_target_of(f->map, c)));
		snprintf(k, sizeof(k), "%zu", c);
		if (f->errors != NULL &&
		    json_object_object_get_ex(f->errors, k, &e))
			json_object_object_add(o, "error",
			    json_object_get(e));
		json_object_array_add(a, o);
	}
	return a;
}

/* The draft's page: the mapping form and the preview. */
static int
imp_draft_page(struct req *r, int status, const PGresult *imp,
    const struct imp_form *f)
{
	struct json_object	*v = imp_view(r, N_("Import contacts"));
	struct aud_sniff	 s;
	const char		*params[1];
	char			 cid[24];
	PGresult		*fields;
	int			 rc;

	params[0] = imp_cid(r, cid);
	if (imp_sniff_again(r, imp, &s) == -1 || (fields = db_exec(
	    &r->app->db, &imp_sql[IMP_FIELDS], params)) == NULL) {
		aud_sniff_free(&s);
		json_object_put(v);
		return 503;
	}
	json_object_object_add(v, "id", json_object_new_string(
	    db_get(imp, 0, IG_ID)));
	json_object_object_add(v, "file_name", json_object_new_string(
	    db_get(imp, 0, IG_FILE_NAME)));
	json_object_object_add(v, "file_size", imp_size(
	    db_getll(imp, 0, IG_FILE_SIZE)));
	json_object_object_add(v, "draft", json_object_new_boolean(1));
	json_object_object_add(v, "columns", imp_columns(r, &s, fields, f));
	json_object_object_add(v, "countries", country_options(req_lang(r),
	    f->country));
	json_object_object_add(v, f->existing[0] == 'f' ? "existing_fill" :
	    f->existing[0] == 'o' ? "existing_overwrite" : "existing_skip",
	    json_object_new_boolean(1));
	if (f->error != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, f->error)));
	imp_preview(r, v, &s, f->map, f->country, fields);
	PQclear(fields);
	aud_sniff_free(&s);
	if (imp_tags_add(r, v, f->tags) == -1) {
		json_object_put(v);
		return 503;
	}
	rc = resp_html(r, status, "import_job", v);
	json_object_put(v);
	return rc;
}

/* ------------------------------------------------------------ job page */

/* Seconds left at the rate so far, or -1 when there is no rate yet. */
static long long
imp_eta(long long done, long long total, long long elapsed)
{
	if (done <= 0 || elapsed <= 0 || total <= done)
		return -1;
	return (long long)((double)elapsed * (double)(total - done) /
	    (double)done + 0.5);
}

/*
 * An import's progress and report as JSON: the page's view and the
 * live.json share it.
 */
struct json_object *
import_progress(struct req *r, const PGresult *imp)
{
	struct json_object	*o = json_object_new_object();
	const char		*st = db_get(imp, 0, IG_STATE);
	long long		 done = db_getll(imp, 0, IG_DONE),
				 total = db_getll(imp, 0, IG_TOTAL), eta;
	static const struct { const char *key; int col; } counts[] = {
		{ "total", IG_TOTAL_ROWS }, { "inserted", IG_INSERTED },
		{ "updated", IG_UPDATED }, { "unchanged", IG_UNCHANGED },
		{ "duplicates", IG_DUPLICATES }, { "rejected", IG_REJECTED },
	};
	size_t			 i;

	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "state_word", json_object_new_string(
	    imp_state_word(r, st)));
	json_object_object_add(o, "done", json_object_new_int64(done));
	json_object_object_add(o, "size", json_object_new_int64(total));
	json_object_object_add(o, "percent", json_object_new_int(total > 0 ?
	    (int)(done * 100 / total) : 0));
	json_object_object_add(o, "rows", json_object_new_int64(
	    db_getll(imp, 0, IG_ROWS)));
	json_object_object_add(o, "phase", json_object_new_string(
	    db_get(imp, 0, IG_PHASE)));
	eta = imp_eta(done, total, db_getll(imp, 0, IG_ELAPSED));
	if (strcmp(st, "running") == 0 && eta >= 0)
		json_object_object_add(o, "eta_s", json_object_new_int64(eta));
	json_object_object_add(o, "over", json_object_new_boolean(
	    strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 ||
	    strcmp(st, "cancelled") == 0));
	if (strcmp(st, "done") == 0)
		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			json_object_object_add(o, counts[i].key,
			    json_object_new_int64(db_getll(imp, 0,
			    counts[i].col)));
	if (*db_get(imp, 0, IG_ERROR) != '\0')
		json_object_object_add(o, "error", json_object_new_string(
		    db_get(imp, 0, IG_ERROR)));
	json_object_object_add(o, "cancel_asked", json_object_new_boolean(
	    db_getb(imp, 0, IG_CANCEL_ASKED)));
	return o;
}

/* A started import's page: progress while it runs, then its report. */
static int
imp_job_page(struct req *r, const PGresult *imp)
{
	struct json_object	*v = imp_view(r, N_("Import contacts"));
	struct json_object	*p = import_progress(r, imp);
	struct json_object	*over;
	int			 rc;

	json_object_object_add(v, "id", json_object_new_string(
	    db_get(imp, 0, IG_ID)));
	json_object_object_add(v, "file_name", json_object_new_string(
	    db_get(imp, 0, IG_FILE_NAME)));
	json_object_object_add(v, "file_size", imp_size(
	    db_getll(imp, 0, IG_FILE_SIZE)));
	json_object_object_add(v, "created", json_object_new_string(
	    db_get(imp, 0, IG_CREATED)));
	json_object_object_get_ex(p, "over", &over);
	if (!json_object_get_boolean(over))
		json_object_object_add(v, "refresh", json_object_new_int(5));
	json_object_object_add(v, "job", p);
	rc = resp_html(r, 200, "import_job", v);
	json_object_put(v);
	return rc;
}

/* The saved form of a draft: its mapping, country, choice and tags. */
static void
imp_form_saved(const PGresult *imp, struct imp_form *f)
{
	memset(f, 0, sizeof(*f));
	f->map = json_tokener_parse(db_get(imp, 0, IG_MAPPING));
	f->tags = json_tokener_parse(db_get(imp, 0, IG_ADD_TAGS));
	f->country = db_get(imp, 0, IG_COUNTRY);
	f->existing = db_get(imp, 0, IG_EXISTING);
}

static void
imp_form_free(struct imp_form *f)
{
	json_object_put(f->map);
	json_object_put(f->tags);
	json_object_put(f->errors);
}

/* GET /contacts/import/{id}: the mapping of a draft, else the job. */
static int
imp_job(struct req *r)
{
	struct imp_form	 f;
	PGresult	*imp;
	int		 status = 0, rc;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	if (strcmp(db_get(imp, 0, IG_STATE), "draft") != 0) {
		rc = imp_job_page(r, imp);
		PQclear(imp);
		return rc;
	}
	imp_form_saved(imp, &f);
	rc = imp_draft_page(r, 200, imp, &f);
	imp_form_free(&f);
	PQclear(imp);
	return rc;
}

/* ------------------------------------------------------------ save, start */

/*
 * Read the posted mapping (map_0 .. map_N for the header's columns)
 * into f->map; each bad or repeated target gets its column an error.
 * Returns the number of errors.
 */
static int
imp_form_read_map(struct req *r, const PGresult *imp, const PGresult *fields,
    struct imp_form *f)
{
	struct json_object	*hdr = json_tokener_parse(db_get(imp, 0,
				    IG_HEADER));
	const struct param	*p;
	char			 name[32], k[32];
	size_t			 c, nc;
	int			 bad = 0;

	f->map = json_object_new_object();
	f->errors = json_object_new_object();
	nc = hdr != NULL ? json_object_array_length(hdr) : 0;
	json_object_put(hdr);
	for (c = 0; c < nc; c++) {
		snprintf(name, sizeof(name), "map_%zu", c);
		snprintf(k, sizeof(k), "%zu", c);
		if ((p = params_get(&r->form, name)) == NULL || *p->value == '\0')
			continue;
		if (!imp_target_ok(p->value, fields)) {
			json_object_object_add(f->errors, k,
			    json_object_new_string(req_tr(r,
			    N_("Choose from the list."))));
			bad++;
		} else if (json_object_object_get_ex(f->map, p->value, NULL)) {
			json_object_object_add(f->errors, k,
			    json_object_new_string(req_tr(r,
			    N_("Another column is already imported as this."))));
			bad++;
		} else
			json_object_object_add(f->map, p->value,
			    json_object_new_int((int)c));
	}
	return bad;
}

/* The tags checked (tag_<id> = 1), as a JSON array of ids. */
static void
imp_form_read_tags(struct req *r, struct imp_form *f)
{
	size_t		 i;
	const char	*n;
	char		*end;
	long long	 id;

	f->tags = json_object_new_array();
	for (i = 0; i < r->form.n; i++) {
		n = r->form.v[i].name;
		if (strncmp(n, "tag_", 4) != 0 || !isdigit((unsigned char)n[4]))
			continue;
		id = strtoll(n + 4, &end, 10);
		if (*end == '\0' && id > 0 && json_object_array_length(f->tags) <
		    1000)
			json_object_array_add(f->tags,
			    json_object_new_int64(id));
	}
}

/* The tag ids as a PostgreSQL bigint[] literal. */
static void
imp_tags_array(struct json_object *tags, struct buf *b)
{
	size_t	 i;

	buf_puts(b, "{");
	for (i = 0; i < json_object_array_length(tags); i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)
		    json_object_get_int64(json_object_array_get_idx(tags, i)));
	buf_puts(b, "}");
}

/* Save the draft's form (tags not the customer's are dropped); 0, 1
 * when it is no longer a draft, or -1. */
static int
imp_save(struct req *r, const PGresult *imp, const struct imp_form *f)
{
	struct buf	 tags = BUF_INIT;
	const char	*params[6];
	char		 cid[24];
	PGresult	*res;
	int		 rc;

	imp_tags_array(f->tags, &tags);
	params[0] = imp_cid(r, cid);
	params[1] = db_get(imp, 0, IG_ID);
	params[2] = json_object_to_json_string(f->map);
	params[3] = f->country;
	params[4] = f->existing;
	params[5] = buf_str(&tags);
	res = db_exec(&r->app->db, &imp_sql[IMP_SAVE], params);
	buf_free(&tags);
	if (res == NULL)
		return -1;
	rc = strcmp(PQcmdTuples(res), "1") == 0 ? 0 : 1;
	PQclear(res);
	return rc;
}

/* Start the saved draft: the redirect to follow it, or the form's error. */
static int
imp_start(struct req *r, const PGresult *imp, struct imp_form *f)
{
	const char	*params[2], *out;
	char		 cid[24], loc[64];
	PGresult	*res;
	int		 busy;

	params[0] = imp_cid(r, cid);
	params[1] = db_get(imp, 0, IG_ID);
	if ((res = db_exec(&r->app->db, &imp_sql[IMP_START], params)) == NULL)
		return 503;
	out = db_get(res, 0, IS_OUTCOME);
	busy = strcmp(out, "busy") == 0;
	if (strcmp(out, "no_phone") == 0 || busy) {
		f->error = busy ? N_("Another import is running: wait for it "
		    "to end, or cancel it, then start this one.") :
		    N_("Choose the column that holds the phone numbers.");
		PQclear(res);
		return imp_draft_page(r, 422, imp, f);
	}
	PQclear(res);
	snprintf(loc, sizeof(loc), "/contacts/import/%s", params[1]);
	return resp_redirect(r, 303, loc);
}

/*
 * POST /contacts/import/{id}: save the mapping, country, choice and
 * tags; then show the preview again, or start.
 */
static int
imp_post(struct req *r)
{
	struct imp_form	 f;
	const char	*params[1];
	char		 cid[24], loc[64];
	PGresult	*imp, *fields;
	int		 status = 0, bad, rc;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	params[0] = imp_cid(r, cid);
	if ((fields = db_exec(&r->app->db, &imp_sql[IMP_FIELDS], params)) ==
	    NULL) {
		PQclear(imp);
		return 503;
	}
	memset(&f, 0, sizeof(f));
	bad = imp_form_read_map(r, imp, fields, &f);
	PQclear(fields);
	imp_form_read_tags(r, &f);
	f.country = r->in[IMP_IN_COUNTRY].s != NULL ?
	    r->in[IMP_IN_COUNTRY].s : db_get(imp, 0, IG_COUNTRY);
	f.existing = r->in[IMP_IN_EXISTING].s != NULL ?
	    r->in[IMP_IN_EXISTING].s : "skip";
	if (r->in[IMP_IN_COUNTRY].s == NULL || r->in[IMP_IN_EXISTING].err ||
	    r->in[IMP_IN_ACTION].err || bad > 0) {
		f.error = r->in[IMP_IN_COUNTRY].err != NULL ?
		    r->in[IMP_IN_COUNTRY].err : r->in[IMP_IN_EXISTING].err !=
		    NULL ? r->in[IMP_IN_EXISTING].err :
		    N_("Some columns need another choice.");
		rc = strcmp(db_get(imp, 0, IG_STATE), "draft") == 0 ?
		    imp_draft_page(r, 422, imp, &f) : 409;
	} else if ((rc = imp_save(r, imp, &f)) == -1)
		rc = 503;
	else if (rc == 1) {
		snprintf(loc, sizeof(loc), "/contacts/import/%s",
		    db_get(imp, 0, IG_ID));
		rc = resp_redirect(r, 303, loc);
	} else if (r->in[IMP_IN_ACTION].s != NULL &&
	    strcmp(r->in[IMP_IN_ACTION].s, "start") == 0)
		rc = imp_start(r, imp, &f);
	else
		rc = imp_draft_page(r, 200, imp, &f);
	imp_form_free(&f);
	PQclear(imp);
	return rc;
}

static const struct route imp_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/import",
	    .handler = imp_get, .name = "import_list", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(imp_list_in) },
	{ .method = METHOD_POST, .pattern = "/contacts/import",
	    .handler = imp_upload, .name = "import_upload",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_UPLOAD,
	    .pass_invalid = 1, ROUTE_INPUTS(imp_in) },
	{ .method = METHOD_GET, .pattern = "/contacts/import/{int}",
	    .handler = imp_job, .name = "import_job", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/import/{int}",
	    .handler = imp_post, .name = "import_map", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 64 * 1024,
	    .pass_invalid = 1, ROUTE_INPUTS(imp_in) },
};

const struct module import_module = {
	.name = "import",
	MODULE_ROUTES(imp_routes),
	MODULE_SQL(imp_sql),
	MODULE_STRINGS(imp_strings),
};
