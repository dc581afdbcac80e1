/* page_import.c: import contacts from a CSV file: the imports' page (upload form, the one running, the history) and the upload, spooled and stored as a draft for the mapping page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_import.h"
#include "aud/aud_sniff.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "country.h"
#include "page_import.h"

#define IMPORT_PAGE	20		/* imports per page of the history */

/* The inputs of the upload: the country of national numbers. */
static const struct input imp_up_in[] = {
	{ "country", import_valid_country, INPUT_REQUIRED },
};
#define IMP_IN_COUNTRY	0

/* The history page reads only its cursor. */
static const struct input imp_list_in[] = {
	{ "before", input_id, 0 },
};

/* The columns of the statements. */
enum { IL_ID, IL_STATE, IL_FILE_NAME, IL_CREATED, IL_TOTAL, IL_INSERTED,
	IL_UPDATED, IL_REJECTED, IL__MAX };
enum { IC_COUNTRY, IC_ACTIVE, IC__MAX };

enum {
	IMP_LIST,
	IMP_CONTEXT,
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
const char *
import_state_word(struct req *r, const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(imp_states) / sizeof(imp_states[0]); i++)
		if (strcmp(imp_states[i].state, s) == 0)
			return req_tr(r, imp_states[i].word);
	return s;
}

/* "country": a country libphonenumber and iso-codes know. */
int
import_valid_country(struct req *r, struct field *f)
{
	(void)r;
	if (f->n != 2 || !country_known(f->s) || !phone_region_ok(f->s)) {
		f->err = N_("Choose a country from the list.");
		return -1;
	}
	return 0;
}


/* A new view with the frame's title and the Contacts entry current. */
struct json_object *
import_view(struct req *r)
{
	struct json_object	*v = json_object_new_object();

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Import contacts")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	return v;
}

/* A file size in the customer's words: "12.3 MB", "800 KB", "17 bytes". */
struct json_object *
import_size(long long n)
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
	    import_state_word(r, st)));
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
	char			 next[24];
	PGresult		*res;
	int			 i, n;

	params[0] = r->cid;
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
	struct json_object	*v = import_view(r);
	const char		*params[1];
	PGresult		*res;
	int			 rc;

	params[0] = r->cid;
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
	head = f.valsz < AUD_IMPORT_CHUNK ? f.valsz : AUD_IMPORT_CHUNK;
	if (aud_sniff(&s, f.value, head, head == f.valsz) == -1) {
		why = s.err;
		aud_sniff_free(&s);
		return imp_page(r, 422, r->in[IMP_IN_COUNTRY].s, why, NULL);
	}
	if (aud_import_create(&r->app->db, r->cid, f.filename,
	    f.value, f.valsz, &s, r->in[IMP_IN_COUNTRY].s, id) == -1) {
		aud_sniff_free(&s);
		return 503;
	}
	aud_sniff_free(&s);
	log_info("request %s: import %s uploaded (%zu bytes)", r->id, id,
	    f.valsz);
	snprintf(loc, sizeof(loc), "/contacts/import/%s", id);
	return resp_redirect(r, 303, loc);
}

static const struct route imp_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/import",
	    .handler = imp_get, .name = "import_list", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(imp_list_in) },
	{ .method = METHOD_POST, .pattern = "/contacts/import",
	    .handler = imp_upload, .name = "import_upload",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_UPLOAD,
	    .pass_invalid = 1, ROUTE_INPUTS(imp_up_in) },
};

const struct module import_module = {
	.name = "import",
	MODULE_ROUTES(imp_routes),
	MODULE_SQL(imp_sql),
	MODULE_STRINGS(imp_strings),
};
