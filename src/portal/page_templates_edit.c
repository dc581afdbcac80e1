/* page_templates_edit.c: a message template's page: its current text with the unknown variables flagged, edit (each new text a new version), the older versions read-only, and the preview against a chosen contact and 5 random subscribed contacts of a list, of a segment (its filter as the Contacts page reads it) or of all contacts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_filter.h"
#include "aud/aud_tpl.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"
#include "page_templates.h"

#define TE_SAMPLE	5	/* random contacts of the preview */

enum { TE_IN_NAME, TE_IN_BODY, TE_IN__MAX };
enum { TE_IN_CONTACT, TE_IN_SAMPLE, TE_IN_SHOW__MAX };

static const struct input te_in[TE_IN__MAX] = {
	[TE_IN_NAME] = { "name", input_trimmed, 0 },
	[TE_IN_BODY] = { "body", input_trimmed, 0 },
};
static const struct input te_in_show[TE_IN_SHOW__MAX] = {
	[TE_IN_CONTACT] = { "contact", input_trimmed, 0 },
	[TE_IN_SAMPLE] = { "sample", input_trimmed, 0 },
};

enum { TEG_ID, TEG_NAME, TEG_VERSION, TEG_BODY, TEG_UPDATED, TEG__MAX };
enum { TEV_VERSION, TEV_BODY, TEV_CREATED, TEV__MAX };
enum { TEC_ID, TEC_PHONE, TEC_NAME, TEC_FIELDS, TEC__MAX };
enum { TESG_ID, TESG_NAME, TESG_FILTER, TESG__MAX };
enum { TES_ID, TES_VERSION, TES_PROBLEM, TES__MAX };

enum { TE_GET, TE_VERSIONS, TE_CONTACT, TE_SAMPLE_ALL, TE_SAMPLE_LIST,
    TE_SAVE, TE_SEGMENTS, TE_SAMPLE_SEG, TE__MAX };

#define TE_CONTACT_COLS \
	DB_COLS(TEC__MAX, [TEC_ID] = "id", [TEC_PHONE] = "phone", \
	[TEC_NAME] = "name", [TEC_FIELDS] = "fields")

/*
 * A random sample of TE_SAMPLE ids of a range: 20 probes at random
 * points between the range's first and last id, each the next id at or
 * after it (an index probe, however many contacts), topped up with the
 * range's first ids when the probes found fewer (a small range).
 */
static const struct stmt te_sql[TE__MAX] = {
	/* Template $1 of customer $2 with its current body. */
	[TE_GET] = { "template_edit.get",
	    "SELECT t.id, t.name, t.version, v.body, to_char(t.updated_at "
	    "AT TIME ZONE u.time_zone, 'YYYY-MM-DD HH24:MI') AS updated "
	    "FROM templates t JOIN template_versions v ON v.template_id = "
	    "t.id AND v.version = t.version JOIN users u ON u.id = "
	    "t.customer_id WHERE t.id = $1::bigint AND t.customer_id = "
	    "$2::bigint", 2, DB_RETRY,
	    DB_COLS(TEG__MAX, [TEG_ID] = "id", [TEG_NAME] = "name",
	    [TEG_VERSION] = "version", [TEG_BODY] = "body",
	    [TEG_UPDATED] = "updated") },
	/* The kept versions of template $1 (of customer $2), newest first. */
	[TE_VERSIONS] = { "template_edit.versions",
	    "SELECT v.version, v.body, to_char(v.created_at AT TIME ZONE "
	    "u.time_zone, 'YYYY-MM-DD HH24:MI') AS created FROM "
	    "template_versions v JOIN templates t ON t.id = v.template_id "
	    "JOIN users u ON u.id = t.customer_id WHERE v.template_id = "
	    "$1::bigint AND t.customer_id = $2::bigint ORDER BY v.version "
	    "DESC", 2, DB_RETRY,
	    DB_COLS(TEV__MAX, [TEV_VERSION] = "version", [TEV_BODY] = "body",
	    [TEV_CREATED] = "created") },
	/* Customer $1's contact of id $2 or number $3 (the number first). */
	[TE_CONTACT] = { "template_edit.contact",
	    "SELECT id, phone, name, fields::text AS fields FROM contacts "
	    "WHERE customer_id = $1::bigint AND (id = $2::bigint OR "
	    "phone = $3) ORDER BY phone = $3 DESC LIMIT 1", 3, DB_RETRY,
	    TE_CONTACT_COLS },
	/* TE_SAMPLE random subscribed contacts of customer $1. */
	[TE_SAMPLE_ALL] = { "template_edit.sample_all",
	    "WITH b AS (SELECT min(id) AS lo, max(id) AS hi FROM contacts "
	    "WHERE customer_id = $1::bigint AND status = 'subscribed'), "
	    "p AS (SELECT DISTINCT x.id FROM b, generate_series(1, 20) g, "
	    "LATERAL (SELECT c.id FROM contacts c WHERE c.customer_id = "
	    "$1::bigint AND c.status = 'subscribed' AND c.id >= b.lo + "
	    "floor(random() * (b.hi - b.lo + 1))::bigint + 0 * g "
	    "ORDER BY c.id LIMIT 1) x), "
	    "f AS (SELECT c.id FROM contacts c WHERE c.customer_id = "
	    "$1::bigint AND c.status = 'subscribed' AND (SELECT count(*) "
	    "FROM p) < 5 ORDER BY c.id LIMIT 5), "
	    "s AS (SELECT id FROM p UNION SELECT id FROM f) "
	    "SELECT c.id, c.phone, c.name, c.fields::text AS fields FROM "
	    "(SELECT id FROM s ORDER BY random() LIMIT 5) s JOIN contacts c "
	    "ON c.id = s.id ORDER BY c.id", 1, DB_RETRY, TE_CONTACT_COLS },
	/* TE_SAMPLE random subscribed members of customer $1's list $2. */
	[TE_SAMPLE_LIST] = { "template_edit.sample_list",
	    "WITH g0 AS (SELECT id FROM contact_groups WHERE id = $2::bigint "
	    "AND customer_id = $1::bigint AND kind = 'list'), "
	    "b AS (SELECT min(m.contact_id) AS lo, max(m.contact_id) AS hi "
	    "FROM contact_group_members m, g0 WHERE m.group_id = g0.id AND "
	    "m.status = 'subscribed'), "
	    "p AS (SELECT DISTINCT x.contact_id AS id FROM b, g0, "
	    "generate_series(1, 20) g, LATERAL (SELECT m.contact_id FROM "
	    "contact_group_members m WHERE m.group_id = g0.id AND m.status = "
	    "'subscribed' AND m.contact_id >= b.lo + floor(random() * "
	    "(b.hi - b.lo + 1))::bigint + 0 * g ORDER BY m.contact_id "
	    "LIMIT 1) x), "
	    "f AS (SELECT m.contact_id AS id FROM contact_group_members m, g0 "
	    "WHERE m.group_id = g0.id AND m.status = 'subscribed' AND "
	    "(SELECT count(*) FROM p) < 5 ORDER BY m.contact_id LIMIT 5), "
	    "s AS (SELECT id FROM p UNION SELECT id FROM f) "
	    "SELECT c.id, c.phone, c.name, c.fields::text AS fields FROM "
	    "(SELECT id FROM s ORDER BY random() LIMIT 5) s JOIN contacts c "
	    "ON c.id = s.id AND c.customer_id = $1::bigint ORDER BY c.id", 2,
	    DB_RETRY, TE_CONTACT_COLS },
	/* Save template $2 of customer $1: name $3, body $4. */
	[TE_SAVE] = { "template_edit.save",
	    "SELECT coalesce(tpl_id::text, '') AS id, "
	    "coalesce(tpl_version::text, '') AS version, "
	    "coalesce(problem, '') AS problem FROM wa_template_save("
	    "$1::bigint, $2::bigint, $3, $4)", 4, DB_ONCE,
	    DB_COLS(TES__MAX, [TES_ID] = "id", [TES_VERSION] = "version",
	    [TES_PROBLEM] = "problem") },
	/* Customer $1's segments for the sample's choice, by name. */
	[TE_SEGMENTS] = { "template_edit.segments",
	    "SELECT id, name, filter FROM contact_groups WHERE customer_id = "
	    "$1::bigint AND kind = 'segment' ORDER BY lower(name), id "
	    "LIMIT 1000", 1, DB_RETRY,
	    DB_COLS(TESG__MAX, [TESG_ID] = "id", [TESG_NAME] = "name",
	    [TESG_FILTER] = "filter") },
	/* TE_SAMPLE random subscribed contacts matching a segment's filter
	 * ($1..$17, AUD_FILTER_WHERE; run by aud_exec), probed as above. */
	[TE_SAMPLE_SEG] = { "template_edit.sample_segment",
	    "WITH b AS (SELECT min(id) AS lo, max(id) AS hi FROM contacts "
	    "WHERE customer_id = $1::bigint AND status = 'subscribed'), "
	    "p AS (SELECT DISTINCT x.id FROM b, generate_series(1, 20) g, "
	    "LATERAL (SELECT c.id FROM contacts c WHERE " AUD_FILTER_WHERE
	    "AND c.status = 'subscribed' AND c.id >= b.lo + floor(random() * "
	    "(b.hi - b.lo + 1))::bigint + 0 * g ORDER BY c.id LIMIT 1) x), "
	    "f AS (SELECT c.id FROM contacts c WHERE " AUD_FILTER_WHERE
	    "AND c.status = 'subscribed' AND (SELECT count(*) FROM p) < 5 "
	    "ORDER BY c.id LIMIT 5), "
	    "s AS (SELECT id FROM p UNION SELECT id FROM f) "
	    "SELECT c.id, c.phone, c.name, c.fields::text AS fields FROM "
	    "(SELECT id FROM s ORDER BY random() LIMIT 5) s JOIN contacts c "
	    "ON c.id = s.id AND c.customer_id = $1::bigint ORDER BY c.id",
	    AUD_NPARAMS, DB_RETRY, TE_CONTACT_COLS },
};

enum { TEF_SAVED, TEF_SAME, TEF__MAX };

static const struct flash te_flashes[TEF__MAX] = {
	[TEF_SAVED] = { "template_saved", N_("The template is saved as a "
	    "new version."), "success" },
	[TEF_SAME] = { "template_same", N_("The template is saved; its text "
	    "is unchanged, so its version is too."), "success" },
};

static const struct i18n_key te_strings[] = {
	T_("te_back", "All templates"),
	T_("te_version", "Version"),
	T_("te_saved", "saved"),
	T_("te_edit", "Edit the template"),
	T_("te_edit_hint", "Saving a new text makes a new version; the "
	    "older ones stay below, and each message records the version it "
	    "came from."),
	T_("te_save", "Save"),
	T_("te_versions", "Older versions"),
	T_("te_versions_none", "No older versions."),
	T_("te_preview", "Preview"),
	T_("te_preview_hint", "The current version rendered for real "
	    "contacts, each with its length; choices are picked as they will "
	    "be for that contact."),
	T_("te_contact", "A contact's number or id"),
	T_("te_sample", "5 random subscribed contacts of"),
	T_("te_sample_none", "nobody"),
	T_("te_sample_all", "all contacts"),
	T_("te_segments", "Segments"),
	T_("te_show", "Show the preview"),
	T_("te_chars", "characters"),
	T_("te_missing", "variables without a value"),
	T_("te_cut", "too long: cut at 65536 characters"),
	T_("te_no_sample", "No subscribed contacts to show."),
	T_("te_delete", "Delete the template"),
};

/* A sample of no list or segment of the customer's; a contact of none. */
static const char te_err_sample[] = N_("Choose one of your lists or "
    "segments.");
static const char te_err_contact[] =
    N_("No contact of yours has this number or id.");

/* The contact's values of row i of res rendered by t, as an object. */
static struct json_object *
te_render_row(const struct aud_tpl *t, PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	struct aud_tpl_vals	 v;
	struct aud_tpl_out	 out;
	struct buf		 b = BUF_INIT;

	v.name = db_get(res, i, TEC_NAME);
	v.phone = db_get(res, i, TEC_PHONE);
	v.fields = json_tokener_parse(db_get(res, i, TEC_FIELDS));
	v.vars = NULL;
	aud_tpl_render(t, &v, (uint64_t)db_getll(res, i, TEC_ID),
	    MSG_TEXT_MAX, &b, &out);
	json_object_object_add(o, "id", json_object_new_string(
	    db_get(res, i, TEC_ID)));
	json_object_object_add(o, "phone", json_object_new_string(v.phone));
	json_object_object_add(o, "cname", json_object_new_string(v.name));
	json_object_object_add(o, "text", json_object_new_string_len(
	    buf_str(&b), (int)b.len));
	json_object_object_add(o, "chars", json_object_new_int64(
	    (int64_t)out.chars));
	json_object_object_add(o, "missing", json_object_new_int64(
	    (int64_t)out.missing));
	json_object_object_add(o, "cut", json_object_new_boolean(out.cut));
	json_object_put(v.fields);
	buf_free(&b);
	return o;
}

/* res's contacts rendered by t as the array key of v. */
static void
te_render_rows(const struct aud_tpl *t, PGresult *res, const char *key,
    struct json_object *v)
{
	struct json_object	*a = json_object_new_array();
	int			 i;

	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, te_render_row(t, res, i));
	json_object_object_add(v, key, a);
}

/* The contact of the form's number or id, rendered; -1: the database. */
static int
te_preview_contact(struct req *r, const struct ct_ctx *cx,
    const struct aud_tpl *t, const char *s, struct json_object *v)
{
	const char	*p[3] = { r->cid, NULL, s };
	char		 e164[PHONE_E164_MAX + 1];
	enum phone_why	 why;
	PGresult	*res;
	size_t		 i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (s[i] == '\0' && i > 0 && i <= 18)
		p[1] = s;
	if (phone_parse(s, strlen(s), cx->country[0] != '\0' ? cx->country :
	    NULL, 0, e164, &why) == 0)
		p[2] = e164;
	if ((res = db_exec(&r->app->db, &te_sql[TE_CONTACT], p)) == NULL)
		return -1;
	if (PQntuples(res) == 0)
		json_object_object_add(v, "no_contact", json_object_new_string(
		    req_tr(r, te_err_contact)));
	else
		te_render_rows(t, res, "contact_rows", v);
	PQclear(res);
	return 0;
}

/* The row of segment s (an id) among segs, or -1. */
static int
te_segment_row(const PGresult *segs, const char *s)
{
	int	 i;

	for (i = 0; segs != NULL && i < PQntuples(segs); i++)
		if (strcmp(db_get(segs, i, TESG_ID), s) == 0)
			return i;
	return -1;
}

/*
 * The sample of segment row i of segs: its filter read as the Contacts
 * page reads it, the subscribed among its matches (a filter on another
 * status: nobody). NULL when the database failed; *none set when
 * nobody can match (nothing asked).
 */
static PGresult *
te_segment_sample(struct req *r, const struct ct_ctx *cx,
    const PGresult *segs, int i, int *none)
{
	struct aud_filter	 f;
	struct aud_bind		 b;
	PGresult		*res;

	*none = ct_filter_parse(cx, db_get(segs, i, TESG_FILTER), &f) == -1 ||
	    (f.status[0] != '\0' && strcmp(f.status, "subscribed") != 0);
	if (*none)
		return NULL;
	aud_filter_bind(&f, r->customer_id, &b);
	res = aud_exec(&r->app->db, &te_sql[TE_SAMPLE_SEG], b.v);
	aud_bind_free(&b);
	return res;
}

/* The sample of the form ("all", a list's or a segment's id, segs the
 * customer's segments), rendered; -1: the database. A list or segment
 * that is not the customer's: sample_error. */
static int
te_preview_sample(struct req *r, const struct ct_ctx *cx,
    const PGresult *segs, const struct aud_tpl *t, const char *s,
    struct json_object *v)
{
	const char	*p[2] = { r->cid, s };
	int		 all = strcmp(s, "all") == 0, seg = -1, none = 0;
	long long	 id = 0;
	PGresult	*res;

	if (!all && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 18)
		id = strtoll(s, NULL, 10);
	if (!all && id > 0 && ct_list_name(cx, id) == NULL)
		seg = te_segment_row(segs, s);
	if (!all && (id == 0 || (ct_list_name(cx, id) == NULL && seg < 0))) {
		json_object_object_add(v, "sample_error",
		    json_object_new_string(req_tr(r, te_err_sample)));
		return 0;
	}
	if (seg >= 0)
		res = te_segment_sample(r, cx, segs, seg, &none);
	else
		res = db_exec(&r->app->db, &te_sql[all ? TE_SAMPLE_ALL :
		    TE_SAMPLE_LIST], p);
	if (none) {
		json_object_object_add(v, "no_sample", json_object_new_boolean(1));
		json_object_object_add(v, "has_sample", json_object_new_boolean(1));
		return 0;
	}
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		json_object_object_add(v, "no_sample", json_object_new_boolean(1));
	te_render_rows(t, res, "sample_rows", v);
	json_object_object_add(v, "has_sample", json_object_new_boolean(1));
	PQclear(res);
	return 0;
}

/* The customer's segments (segs) for the sample's choice, the chosen one
 * marked. */
static void
te_segments_view(const PGresult *segs, const char *sample,
    struct json_object *v)
{
	struct json_object	*a = json_object_new_array(), *o;
	int			 i;

	for (i = 0; i < PQntuples(segs); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(
		    db_get(segs, i, TESG_ID)));
		json_object_object_add(o, "sname", json_object_new_string(
		    db_get(segs, i, TESG_NAME)));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    strcmp(db_get(segs, i, TESG_ID), sample) == 0));
		json_object_array_add(a, o);
	}
	json_object_object_add(v, "segments", a);
	json_object_object_add(v, "has_segments", json_object_new_boolean(
	    PQntuples(segs) > 0));
}

/* The customer's lists for the sample's choice, the chosen one marked. */
static void
te_lists_view(const struct ct_ctx *cx, const char *sample,
    struct json_object *v)
{
	struct json_object	*a = json_object_new_array(), *o, *l;
	int			 i;

	for (i = 0; i < cx->nlists; i++) {
		l = json_object_array_get_idx(cx->lists, i);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_get(
		    json_object_object_get(l, "id")));
		json_object_object_add(o, "lname", json_object_get(
		    json_object_object_get(l, "name")));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    strcmp(json_object_get_string(json_object_object_get(l,
		    "id")), sample) == 0));
		json_object_array_add(a, o);
	}
	json_object_object_add(v, "lists", a);
	json_object_object_add(v, "sample_all", json_object_new_boolean(
	    strcmp(sample, "all") == 0));
}

/* The preview of the current text t into v (the form's choices). */
static int
te_preview(struct req *r, const struct aud_tpl *t, struct json_object *v)
{
	const char	*c = r->in[TE_IN_CONTACT].s, *s = r->in[TE_IN_SAMPLE].s;
	const char	*p[1] = { r->cid };
	struct ct_ctx	 cx;
	PGresult	*segs;
	int		 rc = 0;

	c = c != NULL ? c : "";
	s = s != NULL ? s : "";
	if ((segs = db_exec(&r->app->db, &te_sql[TE_SEGMENTS], p)) == NULL)
		return -1;
	if (ct_ctx_load(r, &cx) == -1) {
		PQclear(segs);
		return -1;
	}
	te_lists_view(&cx, s, v);
	te_segments_view(segs, s, v);
	json_object_object_add(v, "contact", json_object_new_string(c));
	if (r->route->method == METHOD_GET && *c != '\0')
		rc = te_preview_contact(r, &cx, t, c, v);
	if (rc == 0 && r->route->method == METHOD_GET && *s != '\0')
		rc = te_preview_sample(r, &cx, segs, t, s, v);
	ct_ctx_free(&cx);
	PQclear(segs);
	return rc;
}

/* The versions of the template into v, the current one left out. */
static int
te_versions_view(struct req *r, struct json_object *v)
{
	const char		*p[2] = { r->args[0], r->cid };
	struct json_object	*a = json_object_new_array(), *o;
	PGresult		*res;
	int			 i;

	if ((res = db_exec(&r->app->db, &te_sql[TE_VERSIONS], p)) == NULL) {
		json_object_put(a);
		return -1;
	}
	for (i = 1; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "version", json_object_new_string(
		    db_get(res, i, TEV_VERSION)));
		json_object_object_add(o, "vbody", json_object_new_string(
		    db_get(res, i, TEV_BODY)));
		json_object_object_add(o, "created", json_object_new_string(
		    db_get(res, i, TEV_CREATED)));
		json_object_array_add(a, o);
	}
	json_object_object_add(v, "versions", a);
	json_object_object_add(v, "has_versions", json_object_new_boolean(
	    PQntuples(res) > 1));
	PQclear(res);
	return 0;
}

/* The template's facts, warnings, versions and preview into v. */
static int
te_view(struct req *r, PGresult *tpl, struct json_object *v)
{
	struct aud_tpl	 t;
	const char	*body = db_get(tpl, 0, TEG_BODY);
	int		 c, rc;

	for (c = TEG_ID; c <= TEG_UPDATED; c++)
		if (c != TEG_BODY)
			json_object_object_add(v, te_sql[TE_GET].cols[c],
			    json_object_new_string(db_get(tpl, 0, c)));
	json_object_object_add(v, "current", json_object_new_string(body));
	if ((rc = tp_parse(r, body, &t)) == 503)
		return -1;
	if (rc == 0)
		tp_warnings(body, &t, v);
	rc = rc == 0 ? te_preview(r, &t, v) : 0;
	aud_tpl_free(&t);
	if (rc == -1 || te_versions_view(r, v) == -1)
		return -1;
	json_object_object_add(v, "title", json_object_new_string(
	    db_get(tpl, 0, TEG_NAME)));
	json_object_object_add(v, "nav_templates", json_object_new_boolean(1));
	return 0;
}

/* A template's page with the edit form f. */
static int
te_page(struct req *r, int status, PGresult *tpl, const struct tp_form *f)
{
	struct json_object	*v = json_object_new_object();
	int			 rc;

	if (te_view(r, tpl, v) == -1) {
		json_object_put(v);
		return 503;
	}
	tp_form_view(r, f, v);
	rc = resp_html(r, status, "template", v);
	json_object_put(v);
	return rc;
}

/* GET /templates/{id}[?contact=][&sample=] */
static int
te_show(struct req *r)
{
	struct tp_form	 f;
	PGresult	*tpl;
	int		 status = 0, rc;

	if ((tpl = req_owned(r, &te_sql[TE_GET], &status)) == NULL)
		return status;
	memset(&f, 0, sizeof(f));
	f.name = db_get(tpl, 0, TEG_NAME);
	f.body = db_get(tpl, 0, TEG_BODY);
	rc = te_page(r, 200, tpl, &f);
	PQclear(tpl);
	return rc;
}

/* Save f as template r->args[0]: 0 (saved, flashed), -1 (f's reasons). */
static int
te_store(struct req *r, PGresult *tpl, struct tp_form *f)
{
	const char	*p[4] = { r->cid, r->args[0], f->name, f->body };
	const char	*problem, *ver;
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(&r->app->db, &te_sql[TE_SAVE], p)) == NULL)
		return 503;
	problem = db_get(res, 0, TES_PROBLEM);
	ver = db_get(res, 0, TES_VERSION);
	if (strcmp(problem, "missing") == 0) {
		PQclear(res);
		return 404;
	}
	rc = *problem != '\0' ? -1 : 0;
	if (rc == -1)
		f->name_err = tp_err_dup;
	else
		flash_set(r, &te_flashes[strcmp(ver, db_get(tpl, 0,
		    TEG_VERSION)) == 0 ? TEF_SAME : TEF_SAVED]);
	PQclear(res);
	return rc;
}

/* POST /templates/{id}: the name and the text (a new text: a new
 * version). */
static int
te_save(struct req *r)
{
	struct tp_form	 f;
	PGresult	*tpl;
	char		 loc[64];
	int		 status = 0, rc;

	if ((tpl = req_owned(r, &te_sql[TE_GET], &status)) == NULL)
		return status;
	rc = tp_form_read(r, TE_IN_NAME, TE_IN_BODY, &f);
	if (rc == 0)
		rc = te_store(r, tpl, &f);
	if (rc == 0) {
		PQclear(tpl);
		snprintf(loc, sizeof(loc), "/templates/%s", r->args[0]);
		return resp_redirect(r, 303, loc);
	}
	if (rc == -1)
		rc = te_page(r, 422, tpl, &f);
	PQclear(tpl);
	return rc;
}

static const struct route te_routes[] = {
	{ .method = METHOD_GET, .pattern = "/templates/{int}",
	    .handler = te_show, .name = "template", .auth = AUTH_SESSION,
	    ROUTE_INPUTS(te_in_show) },
	/* 65536 characters of up to 4 bytes, percent-encoded, fit in 1 MiB. */
	{ .method = METHOD_POST, .pattern = "/templates/{int}",
	    .handler = te_save, .name = "template_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 1024 * 1024, .pass_invalid = 1, ROUTE_INPUTS(te_in) },
};

const struct module template_edit_module = {
	.name = "template_edit",
	MODULE_ROUTES(te_routes),
	MODULE_SQL(te_sql),
	MODULE_STRINGS(te_strings),
	MODULE_FLASHES(te_flashes),
};
