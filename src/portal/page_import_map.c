/* page_import_map.c: a draft import's page: the mapping of its columns, the country, what to do with existing contacts and the tags to add, with the preview of its first rows as they would be stored; then the start. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_import.h"
#include "aud/aud_sniff.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "country.h"
#include "page_import.h"

/* The inputs of the mapping form: a country, what to do with existing
 * contacts, the button pressed (the columns and tags are read from the
 * form by their numbered names). */
enum {
	MAP_IN_COUNTRY,
	MAP_IN_EXISTING,
	MAP_IN_ACTION,
	MAP_IN__MAX
};

static int	map_valid_existing(struct req *, struct field *);
static int	map_valid_action(struct req *, struct field *);

static const struct input map_in[MAP_IN__MAX] = {
	[MAP_IN_COUNTRY] = { "country", import_valid_country, INPUT_REQUIRED },
	[MAP_IN_EXISTING] = { "existing", map_valid_existing, 0 },
	[MAP_IN_ACTION] = { "action", map_valid_action, 0 },
};

enum { IT_ID, IT_NAME, IT_COLOUR, IT__MAX };

enum {
	IMP_GET,
	IMP_SAVE,
	IMP_TAGS,
	IMP__MAX
};

/* A timestamp in the customer's zone u.time_zone, '' for NULL. */
#define IMP_LOCAL(c) \
	"coalesce(to_char(" c " AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI'), '')"

static const struct stmt imp_sql[IMP__MAX] = {
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
	[IMP_SAVE] = { "import.save",
	    "UPDATE imports i SET mapping = $3::jsonb, country = $4, "
	    "existing = $5, add_tags = ARRAY(SELECT t.id FROM tags t "
	    "WHERE t.customer_id = $1 AND t.id = ANY ($6::bigint[]) "
	    "ORDER BY t.id) FROM jobs j "
	    "WHERE j.id = i.job_id AND j.id = $2 AND j.customer_id = $1 "
	    "AND j.state = 'draft'", 6, DB_ONCE, NULL },
	[IMP_TAGS] = { "import.tags",
	    "SELECT id, name, colour FROM tags WHERE customer_id = $1 "
	    "ORDER BY lower(name), id LIMIT 1000", 1, DB_RETRY,
	    DB_COLS(IT__MAX, [IT_ID] = "id", [IT_NAME] = "name",
	    [IT_COLOUR] = "colour") },
};

static int
map_valid_existing(struct req *r, struct field *f)
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
map_valid_action(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "preview") != 0 && strcmp(f->s, "start") != 0) {
		f->err = N_("Unknown action.");
		return -1;
	}
	return 0;
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

/* The targets a select offers: the fixed ones, then the custom fields. */
static struct json_object *
imp_target_options(struct req *r, const struct aud_fields *fs,
    const char *sel)
{
	struct json_object	*a = json_object_new_array(), *o;
	char			 key[80];
	size_t			 i;

	for (i = 0; i < aud_ntargets + fs->n; i++) {
		if (i < aud_ntargets)
			snprintf(key, sizeof(key), "%s", aud_targets[i].target);
		else
			snprintf(key, sizeof(key), "field:%s",
			    fs->v[i - aud_ntargets].key);
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(key));
		json_object_object_add(o, "label", json_object_new_string(
		    i < aud_ntargets ? req_tr(r, aud_targets[i].label) :
		    fs->v[i - aud_ntargets].label));
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

/*
 * A cell as the preview shows it: the value the import would store, or
 * the value as written and why it is refused (aud_cell_clean, the
 * runner's rules).
 */
static struct json_object *
imp_cell(struct req *r, const char *target, const char *v,
    const char *country, const struct aud_fields *fs)
{
	struct json_object	*o = json_object_new_object();
	struct buf		 b = BUF_INIT;
	const char		*why;

	if (aud_cell_clean(target, v, strlen(v), country, fs, &b, &why) == 0)
		json_object_object_add(o, "value", json_object_new_string(
		    buf_str(&b)));
	else {
		json_object_object_add(o, "value", json_object_new_string(v));
		json_object_object_add(o, "error", json_object_new_string(
		    req_tr(r, why)));
	}
	buf_free(&b);
	return o;
}

/* The preview: a header of the mapped targets and up to 20 rows. */
static void
imp_preview(struct req *r, struct json_object *v, const struct aud_sniff *s,
    struct json_object *m, const char *country, const struct aud_fields *fs)
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
				    "", country, fs));
		json_object_object_add(row, "cells", cells);
		json_object_array_add(rows, row);
	}
	json_object_object_add(v, "preview_cols", cols);
	json_object_object_add(v, "preview_rows", rows);
	json_object_object_add(v, "has_rows", json_object_new_boolean(
	    s->nrows > 0));
}

/* The tags to add, each with whether the import adds it. */
static int
imp_tags_add(struct req *r, struct json_object *v, struct json_object *sel)
{
	struct json_object	*a = json_object_new_array(), *o;
	const char		*params[1];
	PGresult		*res;
	size_t			 k;
	int			 i;

	params[0] = r->cid;
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
imp_columns(struct req *r, const struct aud_sniff *s, const struct aud_fields *fs,
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
		    fs, imp_target_of(f->map, c)));
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
	struct json_object	*v = import_view(r);
	struct aud_sniff	 s;
	struct aud_fields	 fs;
	int			 rc;

	if (aud_import_head(&r->app->db, r->cid, db_get(imp, 0, IG_ID),
	    db_getll(imp, 0, IG_FILE_SIZE), &s) != 0) {
		aud_sniff_free(&s);
		json_object_put(v);
		return 503;
	}
	if (aud_fields_load(&r->app->db, r->cid, &fs) == -1) {
		aud_sniff_free(&s);
		json_object_put(v);
		return 503;
	}
	json_object_object_add(v, "id", json_object_new_string(
	    db_get(imp, 0, IG_ID)));
	json_object_object_add(v, "file_name", json_object_new_string(
	    db_get(imp, 0, IG_FILE_NAME)));
	json_object_object_add(v, "file_size", import_size(
	    db_getll(imp, 0, IG_FILE_SIZE)));
	json_object_object_add(v, "draft", json_object_new_boolean(1));
	json_object_object_add(v, "columns", imp_columns(r, &s, &fs, f));
	json_object_object_add(v, "countries", country_options(req_lang(r),
	    f->country));
	json_object_object_add(v, f->existing[0] == 'f' ? "existing_fill" :
	    f->existing[0] == 'o' ? "existing_overwrite" : "existing_skip",
	    json_object_new_boolean(1));
	if (f->error != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, f->error)));
	imp_preview(r, v, &s, f->map, f->country, &fs);
	aud_fields_free(&fs);
	aud_sniff_free(&s);
	if (imp_tags_add(r, v, f->tags) == -1) {
		json_object_put(v);
		return 503;
	}
	rc = resp_html(r, status, "import_job", v);
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
		rc = import_job_page(r, imp);
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
imp_form_read_map(struct req *r, const PGresult *imp, const struct aud_fields *fs,
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
		if (!aud_target_ok(p->value, fs)) {
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
	PGresult	*res;
	int		 rc;

	imp_tags_array(f->tags, &tags);
	params[0] = r->cid;
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
	char		 loc[64], out[16];
	int		 busy;

	if (aud_import_start(&r->app->db, r->cid,
	    db_get(imp, 0, IG_ID), out) == -1)
		return 503;
	busy = strcmp(out, "busy") == 0;
	if (strcmp(out, "no_phone") == 0 || busy) {
		f->error = busy ? N_("Another import is running: wait for it "
		    "to end, or cancel it, then start this one.") :
		    N_("Choose the column that holds the phone numbers.");
		return imp_draft_page(r, 422, imp, f);
	}
	snprintf(loc, sizeof(loc), "/contacts/import/%s",
	    db_get(imp, 0, IG_ID));
	return resp_redirect(r, 303, loc);
}

/*
 * POST /contacts/import/{id}: save the mapping, country, choice and
 * tags; then show the preview again, or start.
 */
static int
imp_post(struct req *r)
{
	struct imp_form		 f;
	struct aud_fields	 fs;
	char			 loc[64];
	PGresult		*imp;
	int			 status = 0, bad, rc;

	if ((imp = import_get(r, &status)) == NULL)
		return status;
	if (aud_fields_load(&r->app->db, r->cid, &fs) == -1) {
		PQclear(imp);
		return 503;
	}
	memset(&f, 0, sizeof(f));
	bad = imp_form_read_map(r, imp, &fs, &f);
	aud_fields_free(&fs);
	imp_form_read_tags(r, &f);
	f.country = r->in[MAP_IN_COUNTRY].s != NULL ?
	    r->in[MAP_IN_COUNTRY].s : db_get(imp, 0, IG_COUNTRY);
	f.existing = r->in[MAP_IN_EXISTING].s != NULL ?
	    r->in[MAP_IN_EXISTING].s : "skip";
	if (r->in[MAP_IN_COUNTRY].s == NULL || r->in[MAP_IN_EXISTING].err ||
	    r->in[MAP_IN_ACTION].err || bad > 0) {
		f.error = r->in[MAP_IN_COUNTRY].err != NULL ?
		    r->in[MAP_IN_COUNTRY].err : r->in[MAP_IN_EXISTING].err !=
		    NULL ? r->in[MAP_IN_EXISTING].err :
		    N_("Some columns need another choice.");
		rc = strcmp(db_get(imp, 0, IG_STATE), "draft") == 0 ?
		    imp_draft_page(r, 422, imp, &f) : 409;
	} else if ((rc = imp_save(r, imp, &f)) == -1)
		rc = 503;
	else if (rc == 1) {
		snprintf(loc, sizeof(loc), "/contacts/import/%s",
		    db_get(imp, 0, IG_ID));
		rc = resp_redirect(r, 303, loc);
	} else if (r->in[MAP_IN_ACTION].s != NULL &&
	    strcmp(r->in[MAP_IN_ACTION].s, "start") == 0)
		rc = imp_start(r, imp, &f);
	else
		rc = imp_draft_page(r, 200, imp, &f);
	imp_form_free(&f);
	PQclear(imp);
	return rc;
}

static const struct route map_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/import/{int}",
	    .handler = imp_job, .name = "import_job", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/contacts/import/{int}",
	    .handler = imp_post, .name = "import_map", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 64 * 1024,
	    .pass_invalid = 1, ROUTE_INPUTS(map_in) },
};

const struct module import_map_module = {
	.name = "import_map",
	MODULE_ROUTES(map_routes),
	MODULE_SQL(imp_sql),
};
