/* page_contact_bulk.c: what the Contacts page's selection does: add or remove a tag, add to or remove from a list, set the subscription, delete (after a confirmation stating the number), export as CSV; in the request up to WAPORTAL_BULK_SYNC_MAX (WAPORTAL_EXPORT_SYNC_MAX) contacts, else a runner job; set-based statements (src/aud) over the ticked ids or the whole filter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aud/aud_bulk.h"
#include "aud/aud_csv.h"
#include "aud/aud_export.h"
#include "aud/aud_filter.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/param.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "contacts.h"

#define BULK_IDS_MAX	1000	/* ticked boxes one form may send */

enum bulk_action {
	BA_TAG_ADD,
	BA_TAG_REMOVE,
	BA_GROUP_ADD,
	BA_GROUP_REMOVE,
	BA_SUBSCRIBED,
	BA_UNSUBSCRIBED,
	BA_UNKNOWN,
	BA_EXPORT,
	BA_DELETE,
	BA__MAX
};

static const char *const bulk_actions[BA__MAX] = {
	[BA_TAG_ADD] = "tag_add", [BA_TAG_REMOVE] = "tag_remove",
	[BA_GROUP_ADD] = "group_add", [BA_GROUP_REMOVE] = "group_remove",
	[BA_SUBSCRIBED] = "subscribed", [BA_UNSUBSCRIBED] = "unsubscribed",
	[BA_UNKNOWN] = "unknown", [BA_EXPORT] = "export",
	[BA_DELETE] = "delete",
};

enum { BN_N, BN__MAX };

enum {
	BULK_COUNT,
	BULK__MAX
};

static const struct stmt bulk_sql[BULK__MAX] = {
	/* The selection's exact number, up to $19 and one more. */
	[BULK_COUNT] = { "contact_bulk.count",
	    "SELECT count(*) AS n FROM (SELECT 1 FROM contacts c "
	    "WHERE " AUD_FILTER_WHERE
	    "AND ($18::bigint[] IS NULL OR c.id = ANY ($18::bigint[])) "
	    "LIMIT $19::bigint + 1) x", 19, DB_RETRY,
	    DB_COLS(BN__MAX, [BN_N] = "n") },
};

enum {
	BF_TAGGED,
	BF_UNTAGGED,
	BF_LISTED,
	BF_UNLISTED,
	BF_STATUS,
	BF_DELETED,
	BF_NONE,
	BF__MAX
};

static const struct flash bulk_flashes[BF__MAX] = {
	[BF_TAGGED] = { "contacts_tagged",
	    N_("The tag is on the selected contacts."), "success" },
	[BF_UNTAGGED] = { "contacts_untagged",
	    N_("The tag is off the selected contacts."), "success" },
	[BF_LISTED] = { "contacts_listed",
	    N_("The selected contacts are in the list."), "success" },
	[BF_UNLISTED] = { "contacts_unlisted",
	    N_("The selected contacts are out of the list."), "success" },
	[BF_STATUS] = { "contacts_status",
	    N_("The subscription of the selected contacts is set."),
	    "success" },
	[BF_DELETED] = { "contacts_deleted",
	    N_("The selected contacts are deleted. Their messages stay."),
	    "success" },
	[BF_NONE] = { "contacts_none",
	    N_("No contact was selected: tick some, or select all that match."),
	    "warning" },
};

/* The strings of contact_confirm.mustache. */
static const struct i18n_key bulk_strings[] = {
	T_("cb_delete_title", "Delete contacts"),
	T_("cb_delete_q", "Delete these contacts? This cannot be undone."),
	T_("cb_delete_n", "Contacts to delete"),
	T_("cb_delete_keep", "Their messages stay in your lists."),
	T_("cb_delete_go", "Delete them"),
	T_("cb_cancel", "Keep them"),
};

/* One bulk request: the selection and what to do with it. */
struct bulk {
	struct aud_filter	 f;
	struct aud_filter	 none;		/* the ticked ids': no filter */
	struct aud_bind		 b;
	struct buf		 ids;		/* "{1,2}" or empty: all */
	int			 nids;
	int			 all;
	enum bulk_action	 action;
	const char		*tag;		/* the form's tag or list id */
	const char		*v[AUD_NPARAMS + 2];
	char			 back[2048];	/* the list with the filter */
};

static int64_t	bulk_count(struct req *, struct bulk *, int64_t);

/* The form's value of name, or "". */
static const char *
bulk_form(struct req *r, const char *name)
{
	const struct param	*p = params_get(&r->form, name);

	return p != NULL ? p->value : "";
}

/* The filter of the form's "filter" (the list's query string). */
static int
bulk_filter(struct req *r, const struct ct_ctx *cx, struct bulk *k)
{
	return ct_filter_parse(cx, bulk_form(r, "filter"), &k->f);
}

/* The ticked ids "c.<id>" as an SQL array. */
static void
bulk_ticked(struct req *r, struct bulk *k)
{
	const char	*n;
	size_t		 i;

	buf_putc(&k->ids, '{');
	for (i = 0; i < r->form.n && k->nids < BULK_IDS_MAX; i++) {
		n = r->form.v[i].name;
		if (strncmp(n, "c.", 2) != 0 || n[2] == '\0' ||
		    strspn(n + 2, "0123456789") != strlen(n + 2) ||
		    strlen(n + 2) > 18)
			continue;
		buf_printf(&k->ids, "%s%s", k->nids++ > 0 ? "," : "", n + 2);
	}
	buf_putc(&k->ids, '}');
}

/*
 * Read the request: the filter, all or the ticked ids, the action.
 * Binds $1..$18 in k->v. 0, or 400.
 */
static int
bulk_read(struct req *r, const struct ct_ctx *cx, struct bulk *k)
{
	const char	*a = bulk_form(r, "action");
	struct buf	 q = BUF_INIT;
	int		 i;

	memset(k, 0, sizeof(*k));
	if (bulk_filter(r, cx, k) == -1)
		return 400;
	k->all = strcmp(bulk_form(r, "all"), "1") == 0;
	for (k->action = 0; k->action < BA__MAX; k->action++)
		if (strcmp(a, bulk_actions[k->action]) == 0)
			break;
	if (k->action == BA__MAX)
		return 400;
	k->tag = bulk_form(r, k->action == BA_GROUP_ADD ||
	    k->action == BA_GROUP_REMOVE ? "list" : "tag");
	if (!k->all)
		bulk_ticked(r, k);
	aud_filter_query(&k->f, &q);
	snprintf(k->back, sizeof(k->back), "/contacts%s%s", q.len > 0 ? "?" :
	    "", buf_str(&q));
	buf_free(&q);
	if (!k->all) {
		/* The ticked ids alone: only the customer's predicate. */
		aud_filter_init(&k->none);
		aud_filter_bind(&k->none, r->customer_id, &k->b);
	} else
		aud_filter_bind(&k->f, r->customer_id, &k->b);
	for (i = 0; i < AUD_NPARAMS; i++)
		k->v[i] = k->b.v[i];
	k->v[AUD_NPARAMS] = k->all ? NULL : buf_str(&k->ids);
	return 0;
}

static void
bulk_free(struct bulk *k)
{
	aud_bind_free(&k->b);
	buf_free(&k->ids);
}

/* Run statement s with $19 = extra; its one count, or -1. */
static int64_t
bulk_run(struct req *r, struct bulk *k, int s, const char *extra)
{
	PGresult	*res;
	int64_t		 n = -1;

	k->v[AUD_NPARAMS + 1] = extra;
	if ((res = aud_exec(&r->app->db, &bulk_sql[s], k->v)) != NULL &&
	    PQntuples(res) == 1)
		n = db_getll(res, 0, BN_N);
	PQclear(res);
	return n;
}

/*
 * The change of action a in its own transaction (aud_bulk_apply): the
 * number of contacts changed, or -1.
 */
static int64_t
bulk_change(struct req *r, struct bulk *k, enum aud_bulk_action a)
{
	struct db	*db = &r->app->db;
	int64_t		 n;

	if (db_begin(db) == -1)
		return -1;
	if ((n = aud_bulk_apply(db, k->v, a, k->tag, "0", NULL)) < 0) {
		db_rollback(db);
		return -1;
	}
	/* A failed COMMIT has rolled back. */
	return db_commit(db) == -1 ? -1 : n;
}

/* The change as a runner job (a large selection): its page. */
static int
bulk_job(struct req *r, struct bulk *k, enum aud_bulk_action a)
{
	struct buf	 q = BUF_INIT;
	char		 id[24], loc[64];
	int		 rc;

	aud_filter_query(&k->f, &q);
	rc = aud_bulk_create(&r->app->db, r->customer_id, a, k->tag,
	    k->all ? buf_str(&q) : "", k->all ? NULL : buf_str(&k->ids), id);
	buf_free(&q);
	if (rc == -1)
		return 503;
	snprintf(loc, sizeof(loc), "/contacts/bulk/%s", id);
	return resp_redirect(r, 303, loc);
}

/*
 * Apply action a (its flash f): in the request up to
 * WAPORTAL_BULK_SYNC_MAX contacts, else as a runner job.
 */
static int
bulk_apply(struct req *r, struct bulk *k, enum aud_bulk_action a,
    const struct flash *f)
{
	int64_t	 n, max = r->app->conf.num[CONF_BULK_SYNC_MAX];

	if ((n = bulk_count(r, k, max)) < 0)
		return 503;
	if (n > max)
		return bulk_job(r, k, a);
	if (bulk_change(r, k, a) < 0)
		return 503;
	flash_set(r, f);
	return resp_redirect(r, 303, k->back);
}

/* The selection's exact number up to max (max + 1: more), or -1. */
static int64_t
bulk_count(struct req *r, struct bulk *k, int64_t max)
{
	char	 lim[24];

	snprintf(lim, sizeof(lim), "%lld", (long long)max);
	return bulk_run(r, k, BULK_COUNT, lim);
}

/* A page of the bulk templates with the selection's hidden fields. */
static int
bulk_page(struct req *r, struct bulk *k, const char *tmpl, int64_t n)
{
	struct json_object	*v = json_object_new_object(), *h;
	char			 num[32];
	size_t			 i;
	int			 rc;

	h = json_object_new_array();
	for (i = 0; i < r->form.n; i++) {
		struct json_object *o;

		if (strcmp(r->form.v[i].name, "_csrf") == 0 ||
		    strcmp(r->form.v[i].name, "confirm") == 0)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(
		    r->form.v[i].name));
		json_object_object_add(o, "value", json_object_new_string(
		    r->form.v[i].value));
		json_object_array_add(h, o);
	}
	ct_number(n, num, sizeof(num));
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Contacts")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	json_object_object_add(v, "hidden", h);
	json_object_object_add(v, "count", json_object_new_string(num));
	json_object_object_add(v, "back", json_object_new_string(k->back));
	rc = resp_html(r, 200, tmpl, v);
	json_object_put(v);
	return rc;
}

/* Delete: ask first with the exact number, then delete. */
static int
bulk_delete(struct req *r, struct bulk *k)
{
	int64_t	 n;

	if (strcmp(bulk_form(r, "confirm"), "1") != 0) {
		if ((n = bulk_count(r, k, 1000000000000LL)) < 0)
			return 503;
		return bulk_page(r, k, "contact_confirm", n);
	}
	return bulk_apply(r, k, AUD_BULK_DELETE, &bulk_flashes[BF_DELETED]);
}

/* The selection as a background export: its page. */
static int
bulk_export_job(struct req *r, struct bulk *k)
{
	struct buf	 q = BUF_INIT;
	char		 id[24], loc[64];
	int		 rc;

	aud_filter_query(&k->f, &q);
	rc = aud_export_create(&r->app->db, r->customer_id, k->all ?
	    buf_str(&q) : "", k->all ? NULL : buf_str(&k->ids), id);
	buf_free(&q);
	if (rc == -1)
		return 503;
	snprintf(loc, sizeof(loc), "/contacts/exports/%s", id);
	return resp_redirect(r, 303, loc);
}

/*
 * Export: up to WAPORTAL_EXPORT_SYNC_MAX rows streamed a batch at a
 * time (memory stays flat, aud_export.c); beyond, a background export.
 */
static int
bulk_export(struct req *r, struct bulk *k)
{
	struct aud_export x;
	struct buf	 out = BUF_INIT, cols = BUF_INIT;
	struct aud_csv	 c;
	PGresult	*res;
	int64_t		 n, max = r->app->conf.num[CONF_EXPORT_SYNC_MAX];
	int		 i, rows;

	if (aud_export_columns(&r->app->db, r->customer_id, &cols) == -1 ||
	    aud_export_open(&x, k->all ? &k->f : &k->none, r->customer_id,
	    k->all ? NULL : buf_str(&k->ids), buf_str(&cols), 0) == -1) {
		buf_free(&cols);
		return 503;
	}
	buf_free(&cols);
	if ((n = aud_export_count(&r->app->db, &x, max)) < 0 || n > max) {
		aud_export_close(&x);
		return n < 0 ? 503 : bulk_export_job(r, k);
	}
	resp_status(r, 200);
	resp_header(r, "Content-Type", "text/csv; charset=utf-8");
	resp_header(r, "Content-Disposition",
	    "attachment; filename=\"contacts.csv\"");
	aud_csv_start(&c, &out);
	aud_export_head(&x, &c);
	do {
		if ((res = aud_export_next(&r->app->db, &x)) == NULL)
			break;
		rows = PQntuples(res);
		for (i = 0; i < rows; i++)
			aud_export_row(&x, &c, res, i);
		PQclear(res);
		resp_write(r, out.data, out.len);
		buf_reset(&out);
	} while (rows == AUD_EXPORT_BATCH);
	resp_finish(r);
	aud_export_close(&x);
	buf_free(&out);
	return 0;
}

/* 1 when the action's tag or list is missing or not the customer's. */
static int
bulk_ref_bad(const struct ct_ctx *cx, const struct bulk *k)
{
	int	 list = k->action == BA_GROUP_ADD || k->action == BA_GROUP_REMOVE;
	char	*end;
	long long id;

	if (!list && k->action != BA_TAG_ADD && k->action != BA_TAG_REMOVE)
		return 0;
	if (*k->tag == '\0' || strspn(k->tag, "0123456789") != strlen(k->tag)
	    || strlen(k->tag) > 18)
		return 1;
	id = strtoll(k->tag, &end, 10);
	/* Another customer's tag changes nothing (the statements check). */
	return list && ct_list_name(cx, id) == NULL;
}

/* POST /contacts/bulk */
static int
bulk_post(struct req *r)
{
	static const int flash_of[BA__MAX] = {
		[BA_TAG_ADD] = BF_TAGGED, [BA_TAG_REMOVE] = BF_UNTAGGED,
		[BA_GROUP_ADD] = BF_LISTED, [BA_GROUP_REMOVE] = BF_UNLISTED,
		[BA_SUBSCRIBED] = BF_STATUS, [BA_UNSUBSCRIBED] = BF_STATUS,
		[BA_UNKNOWN] = BF_STATUS,
	};
	struct ct_ctx	 cx;
	struct bulk	 k;
	int		 rc;

	if (ct_ctx_load(r, &cx) == -1)
		return 503;
	if ((rc = bulk_read(r, &cx, &k)) != 0)
		goto out;
	if (!k.all && k.nids == 0) {
		flash_set(r, &bulk_flashes[BF_NONE]);
		rc = resp_redirect(r, 303, k.back);
	} else if (k.action == BA_DELETE)
		rc = bulk_delete(r, &k);
	else if (k.action == BA_EXPORT)
		rc = bulk_export(r, &k);
	else if (bulk_ref_bad(&cx, &k))
		rc = 400;
	else
		rc = bulk_apply(r, &k, aud_bulk_action(bulk_actions[k.action]),
		    &bulk_flashes[flash_of[k.action]]);
out:
	bulk_free(&k);
	ct_ctx_free(&cx);
	return rc;
}

static const struct route bulk_routes[] = {
	{ .method = METHOD_POST, .pattern = "/contacts/bulk",
	    .handler = bulk_post, .name = "contact_bulk",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 64 * 1024 },
};

const struct module contact_bulk_module = {
	.name = "contact_bulk",
	MODULE_ROUTES(bulk_routes),
	MODULE_SQL(bulk_sql),
	MODULE_STRINGS(bulk_strings),
	MODULE_FLASHES(bulk_flashes),
};
