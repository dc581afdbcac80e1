/* api_imports.c: /api/v1/contacts/imports: upload a CSV (a draft with its proposed mapping and preview, or started at once), change a draft's settings, start, follow, cancel, list, and read the rejected rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_import.h"
#include "aud/aud_sniff.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "api.h"

#define AI_LIMIT_DEFAULT	50
#define AI_LIMIT_MAX		100
#define AI_REJECTS_MAX		1000

/* The query of POST /api/v1/contacts/imports. */
enum {
	AI_IN_COUNTRY,
	AI_IN_EXISTING,
	AI_IN_NAME,
	AI_IN_START,
	AI_IN__MAX
};

/* The query of the lists: cursor and limit. */
enum {
	AI_LIST_CURSOR,
	AI_LIST_LIMIT,
	AI_LIST__MAX
};

static int	ai_in_country(struct req *, struct field *);
static int	ai_in_existing(struct req *, struct field *);
static int	ai_in_name(struct req *, struct field *);
static int	ai_in_bool(struct req *, struct field *);
static int	ai_in_limit(struct req *, struct field *);

static const struct input ai_create_in[AI_IN__MAX] = {
	[AI_IN_COUNTRY] = { "country", ai_in_country, 0 },
	[AI_IN_EXISTING] = { "existing", ai_in_existing, 0 },
	[AI_IN_NAME] = { "name", ai_in_name, 0 },
	[AI_IN_START] = { "start", ai_in_bool, 0 },
};

static const struct input ai_list_in[AI_LIST__MAX] = {
	[AI_LIST_CURSOR] = { "cursor", input_id, 0 },
	[AI_LIST_LIMIT] = { "limit", ai_in_limit, 0 },
};

enum { AJ_IMPORT, AJ_STATE, AJ_FILE_SIZE, AJ__MAX };
enum { AL_IMPORT, AL_ID, AL__MAX };
enum { AC_COUNTRY, AC__MAX };
enum { AR_REJECT, AR_LINE, AR__MAX };
enum { AS_OUTCOME, AS__MAX };

enum {
	AI_GET,
	AI_LIST,
	AI_COUNTRY,
	AI_SAVE,
	AI_REJECTS,
	AI__MAX
};

/* A timestamp in RFC 3339, UTC, or JSON null. */
#define AI_TIME(c) \
	"to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* One import as the API shows it (j: jobs, i: imports). */
#define AI_JSON \
	"json_build_object('id', j.id, 'state', j.state, " \
	"'file_name', i.file_name, 'file_size', i.file_size, " \
	"'created_at', " AI_TIME("j.created_at") ", " \
	"'started_at', " AI_TIME("j.started_at") ", " \
	"'finished_at', " AI_TIME("j.finished_at") ", " \
	"'country', i.country, 'existing', i.existing, " \
	"'header', i.header, 'mapping', i.mapping, 'add_tags', i.add_tags, " \
	"'progress', json_build_object('bytes_read', j.done, " \
	"'bytes_total', j.total, 'rows_read', j.rows, 'phase', j.phase), " \
	"'report', CASE WHEN j.state = 'done' THEN json_build_object(" \
	"'total', i.total, 'inserted', i.inserted, 'updated', i.updated, " \
	"'unchanged', i.unchanged, 'duplicates', i.duplicates, " \
	"'rejected', i.rejected) END, " \
	"'error', nullif(j.error, ''), 'cancel_requested', j.cancel_asked)"

static const struct stmt ai_sql[AI__MAX] = {
	[AI_GET] = { "api_imports.get",
	    "SELECT " AI_JSON "::text AS import, j.state, i.file_size "
	    "FROM jobs j JOIN imports i ON i.job_id = j.id "
	    "WHERE j.id = $1 AND j.customer_id = $2 AND j.kind = 'import'", 2,
	    DB_RETRY, DB_COLS(AJ__MAX, [AJ_IMPORT] = "import",
	    [AJ_STATE] = "state", [AJ_FILE_SIZE] = "file_size") },
	/* Newest first, from the cursor (an id) down; one row more. */
	[AI_LIST] = { "api_imports.list",
	    "SELECT " AI_JSON "::text AS import, j.id "
	    "FROM jobs j JOIN imports i ON i.job_id = j.id "
	    "WHERE j.customer_id = $1 AND j.kind = 'import' "
	    "AND ($2::bigint = 0 OR j.id < $2) ORDER BY j.id DESC LIMIT $3",
	    3, DB_RETRY, DB_COLS(AL__MAX, [AL_IMPORT] = "import",
	    [AL_ID] = "id") },
	[AI_COUNTRY] = { "api_imports.country",
	    "SELECT country FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(AC__MAX, [AC_COUNTRY] = "country") },
	/* Change a draft; a tag not the customer's is dropped. */
	[AI_SAVE] = { "api_imports.save",
	    "UPDATE imports i SET mapping = coalesce($3::jsonb, i.mapping), "
	    "country = coalesce($4, i.country), "
	    "existing = coalesce($5, i.existing), "
	    "add_tags = coalesce(ARRAY(SELECT t.id FROM tags t "
	    "WHERE t.customer_id = $1 AND t.id = ANY ($6::bigint[]) "
	    "ORDER BY t.id), i.add_tags) FROM jobs j "
	    "WHERE j.id = i.job_id AND j.id = $2 AND j.customer_id = $1 "
	    "AND j.state = 'draft' RETURNING i.job_id AS outcome", 6, DB_ONCE,
	    DB_COLS(AS__MAX, [AS_OUTCOME] = "outcome") },
	[AI_REJECTS] = { "api_imports.rejects",
	    "SELECT json_build_object('line', r.line, 'column', r.col, "
	    "'value', r.value, 'reason', r.reason)::text AS reject, r.line "
	    "FROM import_rejects r JOIN jobs j ON j.id = r.job_id "
	    "WHERE j.customer_id = $1 AND r.job_id = $2 AND r.line > $3 "
	    "ORDER BY r.line LIMIT $4", 4, DB_RETRY,
	    DB_COLS(AR__MAX, [AR_REJECT] = "reject", [AR_LINE] = "line") },
};

/* ------------------------------------------------------------ inputs */

/* "country": two capitals libphonenumber knows. */
static int
ai_in_country(struct req *r, struct field *f)
{
	(void)r;
	if (f->n == 2 && phone_region_ok(f->s))
		return 0;
	f->err = "Not a country code libphonenumber knows.";
	return -1;
}

/* "existing": skip, fill or overwrite. */
static int
ai_in_existing(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "skip") == 0 || strcmp(f->s, "fill") == 0 ||
	    strcmp(f->s, "overwrite") == 0)
		return 0;
	f->err = "Not skip, fill or overwrite.";
	return -1;
}

/* "name": the file's name, 1 to 255 bytes of one line. */
static int
ai_in_name(struct req *r, struct field *f)
{
	size_t	 i;

	(void)r;
	for (i = 0; i < f->n; i++)
		if ((unsigned char)f->s[i] < 0x20 || f->s[i] == 0x7f)
			break;
	if (f->n > 0 && f->n <= 255 && i == f->n)
		return 0;
	f->err = "Not a file name of 1 to 255 bytes.";
	return -1;
}

/* "start": true or false; f->i 1 or 0. */
static int
ai_in_bool(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "true") == 0 || strcmp(f->s, "false") == 0) {
		f->i = f->s[0] == 't';
		return 0;
	}
	f->err = "Not true or false.";
	return -1;
}

/* "limit": 1 to AI_LIMIT_MAX. */
static int
ai_in_limit(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0 && f->i <= AI_LIMIT_MAX)
		return 0;
	f->err = "Not a number from 1 to 100.";
	return -1;
}

/* ------------------------------------------------------------ helpers */

/*
 * The preview of a draft: its first rows as the import would store
 * them, {line, values: {target: value}, errors: {target: reason}}.
 */
static struct json_object *
ai_preview(struct req *r, const char *id, long long size,
    struct json_object *imp)
{
	struct json_object	*rows = json_object_new_array(), *row, *vals,
				*errs, *map, *ctry;
	struct aud_sniff	 s;
	struct aud_fields	 fs;
	struct buf		 b = BUF_INIT;
	const char		*why, *cell;
	size_t			 i;
	int			 c;

	if (aud_import_head(&r->app->db, r->cid, id, size, &s) != 0 ||
	    aud_fields_load(&r->app->db, r->cid, &fs) == -1) {
		aud_sniff_free(&s);
		return rows;
	}
	json_object_object_get_ex(imp, "mapping", &map);
	json_object_object_get_ex(imp, "country", &ctry);
	for (i = 0; i < s.nrows; i++) {
		row = json_object_new_object();
		vals = json_object_new_object();
		errs = json_object_new_object();
		json_object_object_add(row, "line", json_object_new_int64(
		    s.rows[i].line));
		json_object_object_foreach(map, target, col) {
			c = json_object_get_int(col);
			cell = c >= 0 && (size_t)c < s.rows[i].n ?
			    s.rows[i].cells[c] : "";
			buf_reset(&b);
			if (aud_cell_clean(target, cell, strlen(cell),
			    json_object_get_string(ctry), &fs, &b, &why) == 0)
				json_object_object_add(vals, target,
				    json_object_new_string(buf_str(&b)));
			else
				json_object_object_add(errs, target,
				    json_object_new_string(why));
		}
		json_object_object_add(row, "values", vals);
		json_object_object_add(row, "errors", errs);
		json_object_array_add(rows, row);
	}
	buf_free(&b);
	aud_fields_free(&fs);
	aud_sniff_free(&s);
	return rows;
}

/*
 * Answer status with the customer's import id (a draft with its
 * preview); 404 when it is not theirs.
 */
static int
ai_answer(struct req *r, int status, const char *id)
{
	const char		*params[2] = { id, r->cid };
	struct json_object	*o;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&r->app->db, &ai_sql[AI_GET], params)) == NULL)
		return 503;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return api_fail(r, 404, "not-found", "No such import.");
	}
	if ((o = json_tokener_parse(db_get(res, 0, AJ_IMPORT))) == NULL) {
		PQclear(res);
		return 500;
	}
	if (strcmp(db_get(res, 0, AJ_STATE), "draft") == 0)
		json_object_object_add(o, "preview", ai_preview(r, id,
		    db_getll(res, 0, AJ_FILE_SIZE), o));
	PQclear(res);
	api_rate_headers(r);
	rc = resp_json(r, status, o);
	json_object_put(o);
	return rc;
}

/* ------------------------------------------------------------ create */

/* The customer's default country into out; 0 or -1. */
static int
ai_default_country(struct req *r, char out[3])
{
	const char	*params[1] = { r->cid };
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &ai_sql[AI_COUNTRY], params)) ==
	    NULL || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	snprintf(out, 3, "%s", db_get(res, 0, AC_COUNTRY));
	PQclear(res);
	return 0;
}

/* Start a saved draft: 0 (started), or the problem answered. */
static int
ai_start_draft(struct req *r, const char *id, int *answered)
{
	char	 out[16];

	*answered = 1;
	if (aud_import_start(&r->app->db, r->cid, id, out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return api_fail(r, 404, "not-found", "No such import.");
	if (strcmp(out, "busy") == 0)
		return api_fail(r, 409, "import-running", "Another import of "
		    "the account is queued or running.");
	if (strcmp(out, "not_draft") == 0)
		return api_fail(r, 409, "not-draft", "The import has started "
		    "already.");
	if (strcmp(out, "no_phone") == 0) {
		struct json_object *e = json_object_new_array();

		api_error_add(e, "mapping", "No column is mapped to phone.");
		return api_problem(r, 422, "validation-failed", NULL, e);
	}
	*answered = 0;
	return 0;
}

/*
 * POST /api/v1/contacts/imports: the body is the CSV file (text/csv,
 * up to WAPORTAL_MAX_UPLOAD); 201 with the draft, its proposed mapping
 * and preview, or 202 once started (start=true).
 */
static int
ai_create(struct req *r)
{
	struct aud_sniff	 s;
	struct json_object	*e;
	const char		*name;
	char			 id[24], country[3], out[16];
	size_t			 head;
	int			 answered, rc;

	if (api_invalid_inputs(r))
		return 0;
	if (r->in[AI_IN_COUNTRY].s != NULL)
		snprintf(country, sizeof(country), "%s",
		    r->in[AI_IN_COUNTRY].s);
	else if (ai_default_country(r, country) == -1)
		return 503;
	name = r->in[AI_IN_NAME].s != NULL && utf8_valid(r->in[AI_IN_NAME].s,
	    r->in[AI_IN_NAME].n) ? r->in[AI_IN_NAME].s : "contacts.csv";
	head = r->bodysz < AUD_IMPORT_CHUNK ? r->bodysz : AUD_IMPORT_CHUNK;
	if (r->bodysz == 0 || aud_sniff(&s, r->body, head, head == r->bodysz)
	    == -1) {
		e = json_object_new_array();
		api_error_add(e, "body", r->bodysz == 0 ? "The file is empty." :
		    s.err);
		if (r->bodysz != 0)
			aud_sniff_free(&s);
		return api_problem(r, 422, "invalid-file", NULL, e);
	}
	rc = aud_import_create(&r->app->db, r->cid, name, r->body,
	    r->bodysz, &s, country, id);
	aud_sniff_free(&s);
	if (rc == -1)
		return 503;
	log_info("request %s: import %s uploaded through the API (%zu bytes)",
	    r->id, id, r->bodysz);
	if (r->in[AI_IN_EXISTING].s != NULL) {
		const char *params[6] = { r->cid, id, NULL, NULL,
		    r->in[AI_IN_EXISTING].s, NULL };
		PGresult *res;

		if ((res = db_exec(&r->app->db, &ai_sql[AI_SAVE], params)) ==
		    NULL)
			return 503;
		PQclear(res);
	}
	if (r->in[AI_IN_START].s != NULL && r->in[AI_IN_START].i) {
		if ((rc = ai_start_draft(r, id, &answered)) != 0 || answered) {
			/* A draft that cannot start is not kept. */
			aud_job_cancel(&r->app->db, r->cid, id, out);
			return rc;
		}
		return ai_answer(r, 202, id);
	}
	return ai_answer(r, 201, id);
}

/* ------------------------------------------------------------ a draft */

/*
 * The "mapping" member of a PATCH: {target: column index or name},
 * checked against the header and the custom fields into out (target ->
 * index); errors added to e. The number of errors.
 */
static int
ai_patch_mapping(struct req *r, struct json_object *m,
    struct json_object *hdr, struct json_object *out, struct json_object *e)
{
	struct aud_fields	 fs;
	char			 path[80];
	size_t			 i, n = json_object_array_length(hdr);
	int			 bad = 0, c;

	if (aud_fields_load(&r->app->db, r->cid, &fs) == -1)
		return -1;
	json_object_object_foreach(m, target, v) {
		snprintf(path, sizeof(path), "mapping.%.60s", target);
		c = -1;
		if (json_object_is_type(v, json_type_int))
			c = json_object_get_int(v);
		else if (json_object_is_type(v, json_type_string))
			for (i = 0; i < n && c < 0; i++)
				if (strcmp(json_object_get_string(v),
				    json_object_get_string(
				    json_object_array_get_idx(hdr, i))) == 0)
					c = (int)i;
		if (*target == '\0' || !aud_target_ok(target, &fs))
			api_error_add(e, path, "Not a target an import knows."),
			    bad++;
		else if (c < 0 || (size_t)c >= n)
			api_error_add(e, path, "Not a column of the file."),
			    bad++;
		else
			json_object_object_add(out, target,
			    json_object_new_int(c));
	}
	aud_fields_free(&fs);
	return bad;
}

/* A JSON string member of r->json, or NULL (an error added when it is
 * there but not a string). */
static const char *
ai_patch_str(struct req *r, const char *key, struct json_object *e)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(r->json, key, &v))
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		api_error_add(e, key, "Not a string.");
		return NULL;
	}
	return json_object_get_string(v);
}

/* "add_tags": an array of ids, as a bigint[] literal in b. 0 or -1. */
static int
ai_patch_tags(struct json_object *a, struct buf *b)
{
	size_t	 i;

	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) > 1000)
		return -1;
	buf_puts(b, "{");
	for (i = 0; i < json_object_array_length(a); i++) {
		if (!json_object_is_type(json_object_array_get_idx(a, i),
		    json_type_int))
			return -1;
		buf_printf(b, "%s%lld", i ? "," : "", (long long)
		    json_object_get_int64(json_object_array_get_idx(a, i)));
	}
	buf_puts(b, "}");
	return 0;
}

/* The header of the customer's import id as JSON; NULL if none. */
static struct json_object *
ai_header(struct req *r, const char *id, int *status)
{
	const char		*params[2] = { id, r->cid };
	struct json_object	*o, *h = NULL;
	PGresult		*res;

	if ((res = db_exec(&r->app->db, &ai_sql[AI_GET], params)) == NULL) {
		*status = 503;
		return NULL;
	}
	*status = 404;
	if (PQntuples(res) == 1 &&
	    (o = json_tokener_parse(db_get(res, 0, AJ_IMPORT))) != NULL) {
		if (json_object_object_get_ex(o, "header", &h))
			json_object_get(h);
		json_object_put(o);
		*status = strcmp(db_get(res, 0, AJ_STATE), "draft") == 0 ?
		    0 : 409;
	}
	PQclear(res);
	return h;
}

/*
 * PATCH /api/v1/contacts/imports/{id}: a draft's mapping, country,
 * existing and add_tags; 409 once it started.
 */
static int
ai_patch(struct req *r)
{
	struct json_object	*e = json_object_new_array(), *hdr, *m, *map,
				*v;
	struct buf		 tags = BUF_INIT;
	const char		*params[6], *country, *existing;
	PGresult		*res;
	int			 status, bad = 0;

	if ((hdr = ai_header(r, r->args[0], &status)) == NULL || status != 0) {
		json_object_put(hdr);
		json_object_put(e);
		if (status == 409)
			return api_fail(r, 409, "not-draft", "The import has "
			    "started: its settings can no longer change.");
		return status == 404 ? api_fail(r, 404, "not-found",
		    "No such import.") : status;
	}
	map = NULL;
	if (json_object_object_get_ex(r->json, "mapping", &m)) {
		map = json_object_new_object();
		if (!json_object_is_type(m, json_type_object))
			api_error_add(e, "mapping", "Not an object."), bad++;
		else if ((status = ai_patch_mapping(r, m, hdr, map, e)) < 0)
			bad = -1;
		else
			bad += status;
	}
	json_object_put(hdr);
	country = ai_patch_str(r, "country", e);
	existing = ai_patch_str(r, "existing", e);
	if (country != NULL && (strlen(country) != 2 ||
	    !phone_region_ok(country)))
		api_error_add(e, "country", "Not a country code libphonenumber "
		    "knows."), bad++;
	if (existing != NULL && strcmp(existing, "skip") != 0 &&
	    strcmp(existing, "fill") != 0 && strcmp(existing, "overwrite") != 0)
		api_error_add(e, "existing", "Not skip, fill or overwrite."),
		    bad++;
	if (json_object_object_get_ex(r->json, "add_tags", &v) &&
	    ai_patch_tags(v, &tags) == -1)
		api_error_add(e, "add_tags", "Not an array of at most 1,000 "
		    "tag ids."), bad++;
	if (bad < 0 || json_object_array_length(e) > 0) {
		json_object_put(map);
		buf_free(&tags);
		if (bad < 0) {
			json_object_put(e);
			return 503;
		}
		return api_problem(r, 422, "validation-failed", NULL, e);
	}
	json_object_put(e);
	params[0] = r->cid;
	params[1] = r->args[0];
	params[2] = map != NULL ? json_object_to_json_string(map) : NULL;
	params[3] = country;
	params[4] = existing;
	params[5] = tags.len > 0 ? buf_str(&tags) : NULL;
	res = db_exec(&r->app->db, &ai_sql[AI_SAVE], params);
	json_object_put(map);
	buf_free(&tags);
	if (res == NULL)
		return 503;
	status = PQntuples(res);
	PQclear(res);
	if (status != 1)
		return api_fail(r, 409, "not-draft", "The import has started: "
		    "its settings can no longer change.");
	return ai_answer(r, 200, r->args[0]);
}

/* POST /api/v1/contacts/imports/{id}/start: 202 with the import. */
static int
ai_start(struct req *r)
{
	int	 answered, rc;

	if ((rc = ai_start_draft(r, r->args[0], &answered)) != 0 || answered)
		return rc;
	return ai_answer(r, 202, r->args[0]);
}

/* GET /api/v1/contacts/imports/{id}. */
static int
ai_get(struct req *r)
{
	return ai_answer(r, 200, r->args[0]);
}

/*
 * DELETE /api/v1/contacts/imports/{id}: discard a draft, cancel a queued
 * one, ask a running one to stop; 200 with the import (404 once a draft
 * is discarded: it is gone), 409 when it has ended.
 */
static int
ai_delete(struct req *r)
{
	struct json_object	*o;
	char			 out[16];
	int			 rc;

	if (aud_job_cancel(&r->app->db, r->cid, r->args[0], out) == -1)
		return 503;
	if (strcmp(out, "not_found") == 0)
		return api_fail(r, 404, "not-found", "No such import.");
	if (strcmp(out, "over") == 0)
		return api_fail(r, 409, "conflict", "The import has ended.");
	if (strcmp(out, "discarded") != 0)
		return ai_answer(r, 200, r->args[0]);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->argi[0]));
	json_object_object_add(o, "state", json_object_new_string(
	    "discarded"));
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* ------------------------------------------------------------ lists */

/* A page of JSON texts in column col, and next_cursor from idcol. */
static int
ai_page(struct req *r, PGresult *res, int col, int idcol, int limit)
{
	struct json_object	*o = json_object_new_object(), *a;
	int			 i, n = PQntuples(res), rc;

	a = json_object_new_array();
	for (i = 0; i < n && i < limit; i++)
		json_object_array_add(a, json_tokener_parse(db_get(res, i,
		    col)));
	json_object_object_add(o, "data", a);
	json_object_object_add(o, "next_cursor", n > limit ?
	    json_object_new_string(db_get(res, limit - 1, idcol)) : NULL);
	api_rate_headers(r);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

/* The page size asked for, or dflt. */
static int
ai_limit(const struct req *r, int dflt)
{
	return r->in[AI_LIST_LIMIT].s != NULL ? (int)r->in[AI_LIST_LIMIT].i :
	    dflt;
}

/* GET /api/v1/contacts/imports: newest first, cursor paged. */
static int
ai_list(struct req *r)
{
	char		 cur[24], lim[16];
	const char	*params[3] = { r->cid, cur, lim };
	PGresult	*res;
	int		 limit, rc;

	if (api_invalid_inputs(r))
		return 0;
	limit = ai_limit(r, AI_LIMIT_DEFAULT);
	snprintf(cur, sizeof(cur), "%lld", r->in[AI_LIST_CURSOR].s != NULL ?
	    (long long)r->in[AI_LIST_CURSOR].i : 0LL);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	if ((res = db_exec(&r->app->db, &ai_sql[AI_LIST], params)) == NULL)
		return 503;
	rc = ai_page(r, res, AL_IMPORT, AL_ID, limit);
	PQclear(res);
	return rc;
}

/*
 * GET /api/v1/contacts/imports/{id}/rejects: the rejected rows in line
 * order, up to 1,000 a page; the cursor is a line number.
 */
static int
ai_rejects(struct req *r)
{
	char		 cur[24], lim[16];
	const char	*params[4] = { r->cid, r->args[0], cur, lim };
	PGresult	*res;
	int		 limit, rc, status = 0;

	if (api_invalid_inputs(r))
		return 0;
	if ((res = db_exec(&r->app->db, &ai_sql[AI_GET], (const char *[]){
	    r->args[0], r->cid })) == NULL)
		return 503;
	status = PQntuples(res) == 1 ? 0 : 404;
	PQclear(res);
	if (status == 404)
		return api_fail(r, 404, "not-found", "No such import.");
	limit = ai_limit(r, AI_REJECTS_MAX);
	snprintf(cur, sizeof(cur), "%lld", r->in[AI_LIST_CURSOR].s != NULL ?
	    (long long)r->in[AI_LIST_CURSOR].i : 0LL);
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	if ((res = db_exec(&r->app->db, &ai_sql[AI_REJECTS], params)) == NULL)
		return 503;
	rc = ai_page(r, res, AR_REJECT, AR_LINE, limit);
	PQclear(res);
	return rc;
}

static const struct route ai_routes[] = {
	{ .method = METHOD_POST, .pattern = "/api/v1/contacts/imports",
	    .handler = ai_create, .name = "imports.create", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:write", .body = BODY_CSV,
	    .pass_invalid = 1, ROUTE_INPUTS(ai_create_in) },
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts/imports",
	    .handler = ai_list, .name = "imports.list", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read", .pass_invalid = 1,
	    ROUTE_INPUTS(ai_list_in) },
	{ .method = METHOD_GET, .pattern = "/api/v1/contacts/imports/{int}",
	    .handler = ai_get, .name = "imports.get", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read" },
	{ .method = METHOD_PATCH, .pattern = "/api/v1/contacts/imports/{int}",
	    .handler = ai_patch, .name = "imports.update", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:write", .body = BODY_JSON,
	    .max_body = 64 * 1024 },
	{ .method = METHOD_DELETE, .pattern = "/api/v1/contacts/imports/{int}",
	    .handler = ai_delete, .name = "imports.delete", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:write" },
	{ .method = METHOD_POST,
	    .pattern = "/api/v1/contacts/imports/{int}/start",
	    .handler = ai_start, .name = "imports.start", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:write" },
	{ .method = METHOD_GET,
	    .pattern = "/api/v1/contacts/imports/{int}/rejects",
	    .handler = ai_rejects, .name = "imports.rejects", .kind = KIND_API,
	    .auth = AUTH_APIKEY, .scope = "contacts:read", .pass_invalid = 1,
	    ROUTE_INPUTS(ai_list_in) },
};

const struct module api_imports_module = {
	.name = "api_imports",
	MODULE_ROUTES(ai_routes),
	MODULE_SQL(ai_sql),
};
