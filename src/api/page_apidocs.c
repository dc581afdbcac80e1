/* page_apidocs.c: the API docs pages (/api-docs signed in, /docs/api public) and GET /api/v1/openapi.json, all from WAPORTAL_OPENAPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "apidoc.h"

/* The columns of APIDOCS_CONTEXT and APIDOCS_KEYS. */
enum { ADC_RPM, ADC_QUOTA, ADC_MSG_ID, ADC_INST_ID, ADC_IMP_ID,
	ADC_IMP_OLDER_ID, ADC_CONTACT_ID, ADC_TAG_ID, ADC_TAG_OLDEST_ID,
	ADC_FIELD_ID, ADC_EXP_ID, ADC_EXP_DONE_ID, ADC_GROUP_ID, ADC_TEMPLATE_ID,
	ADC_BCAST_ID, ADC_CONN_ID, ADC_TPL_OLDEST_ID, ADC__MAX };
enum { ADK_NAME, ADK_VISIBLE, ADK_SCOPES, ADK_SCOPES_SHOWN, ADK__MAX };

enum {
	APIDOCS_CONTEXT,
	APIDOCS_KEYS,
	APIDOCS__MAX
};

static const struct stmt apidocs_sql[APIDOCS__MAX] = {
	/*
	 * Customer $1's package limits ('' without an active package) and
	 * the ids the examples use: the latest outbound message, the first
	 * instance, the latest import and the one before it, the latest
	 * contact, the latest and the oldest tag, the latest custom field,
	 * the latest contact group that is a list, the latest template, the
	 * latest broadcast, the first connected instance, the oldest
	 * template (0: none).
	 */
	[APIDOCS_CONTEXT] = { "apidocs.context",
	    "SELECT coalesce(p.api_rpm::text, '') AS rpm, "
	    "coalesce(p.max_messages_month::text, '') AS quota, "
	    "coalesce((SELECT max(m.id) FROM messages m WHERE "
	    "m.customer_id = u.id AND m.direction = 'out'), 0) AS msg_id, "
	    "coalesce((SELECT min(i.id) FROM instances i WHERE "
	    "i.customer_id = u.id), 0) AS inst_id, "
	    "coalesce((SELECT max(j.id) FROM jobs j WHERE j.customer_id = u.id "
	    "AND j.kind = 'import'), 0) AS imp_id, "
	    "coalesce((SELECT j.id FROM jobs j WHERE j.customer_id = u.id "
	    "AND j.kind = 'import' ORDER BY j.id DESC OFFSET 1 LIMIT 1), 0) "
	    "AS imp_older_id, "
	    "coalesce((SELECT max(c.id) FROM contacts c WHERE "
	    "c.customer_id = u.id), 0) AS contact_id, "
	    "coalesce((SELECT max(t.id) FROM tags t WHERE "
	    "t.customer_id = u.id), 0) AS tag_id, "
	    "coalesce((SELECT min(t.id) FROM tags t WHERE "
	    "t.customer_id = u.id), 0) AS tag_oldest_id, "
	    "coalesce((SELECT max(f.id) FROM contact_fields f WHERE "
	    "f.customer_id = u.id), 0) AS field_id, "
	    "coalesce((SELECT max(j.id) FROM jobs j WHERE j.customer_id = u.id "
	    "AND j.kind = 'export'), 0) AS exp_id, "
	    "coalesce((SELECT max(j.id) FROM jobs j WHERE j.customer_id = u.id "
	    "AND j.kind = 'export' AND j.state = 'done'), 0) AS exp_done_id, "
	    "coalesce((SELECT max(g.id) FROM contact_groups g WHERE "
	    "g.customer_id = u.id AND g.kind = 'list'), 0) AS group_id, "
	    "coalesce((SELECT max(t.id) FROM templates t WHERE "
	    "t.customer_id = u.id), 0) AS template_id, "
	    "coalesce((SELECT max(b.id) FROM broadcasts b WHERE "
	    "b.customer_id = u.id), 0) AS bcast_id, "
	    "coalesce((SELECT min(i.id) FROM instances i WHERE "
	    "i.customer_id = u.id AND i.status = 'connected'), 0) AS conn_id, "
	    "coalesce((SELECT min(t.id) FROM templates t WHERE "
	    "t.customer_id = u.id), 0) AS tpl_oldest_id "
	    "FROM users u "
	    "LEFT JOIN LATERAL (SELECT pk.api_rpm, pk.max_messages_month "
	    "FROM customer_packages cp "
	    "JOIN packages pk ON pk.id = cp.package_id "
	    "WHERE cp.customer_id = u.id AND cp.active "
	    "AND cp.starts_at <= wa_now() "
	    "AND cp.expires_at > wa_now() ORDER BY cp.expires_at DESC LIMIT 1) p "
	    "ON true WHERE u.id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(ADC__MAX, [ADC_RPM] = "rpm", [ADC_QUOTA] = "quota",
	    [ADC_MSG_ID] = "msg_id", [ADC_INST_ID] = "inst_id",
	    [ADC_IMP_ID] = "imp_id", [ADC_IMP_OLDER_ID] = "imp_older_id",
	    [ADC_CONTACT_ID] = "contact_id", [ADC_TAG_ID] = "tag_id",
	    [ADC_TAG_OLDEST_ID] = "tag_oldest_id",
	    [ADC_FIELD_ID] = "field_id", [ADC_EXP_ID] = "exp_id",
	    [ADC_EXP_DONE_ID] = "exp_done_id", [ADC_GROUP_ID] = "group_id",
	    [ADC_TEMPLATE_ID] = "template_id", [ADC_BCAST_ID] = "bcast_id",
	    [ADC_CONN_ID] = "conn_id", [ADC_TPL_OLDEST_ID] = "tpl_oldest_id") },
	/*
	 * Customer $1's keys that work now, newest first, for the try-it
	 * panel: name, the visible start, the scopes (space- and
	 * comma-separated). Never the key itself (only its hash is kept).
	 */
	[APIDOCS_KEYS] = { "apidocs.keys",
	    "SELECT k.name, k.visible, "
	    "array_to_string(k.scopes, ' ') AS scopes, "
	    "array_to_string(k.scopes, ', ') AS scopes_shown "
	    "FROM api_keys k WHERE k.customer_id = $1::bigint AND k.enabled "
	    "AND (k.expires_at IS NULL OR k.expires_at > wa_now()) "
	    "AND (k.retires_at IS NULL OR k.retires_at > wa_now()) "
	    "ORDER BY k.id DESC LIMIT 100", 1, DB_RETRY,
	    DB_COLS(ADK__MAX, [ADK_NAME] = "name", [ADK_VISIBLE] = "visible",
	    [ADK_SCOPES] = "scopes", [ADK_SCOPES_SHOWN] = "scopes_shown") },
};

/* The strings of apidocs_body.mustache (both pages). */
enum { ADS_TITLE };

static const struct i18n_key apidocs_strings[] = {
	[ADS_TITLE] = T_("ad_title", "API documentation"),
	T_("ad_intro",
	    "The REST API lets your own software send and read WhatsApp "
	    "messages. Send your key in the Authorization header as a Bearer "
	    "token."),
	T_("ad_base", "Base URL"),
	T_("ad_rpm", "Rate limit of your package (requests a minute)"),
	T_("ad_quota", "Messages a month"),
	T_("ad_no_package",
	    "You have no active package: the API answers 403 until you have "
	    "one."),
	T_("ad_key_hint",
	    "The examples read your key from the WAPORTAL_KEY environment "
	    "variable; create one on the API keys page."),
	T_("ad_scope", "Permission"),
	T_("ad_any_key", "any key"),
	T_("ad_params", "Parameters"),
	T_("ad_body", "Request body (JSON)"),
	T_("ad_responses", "Responses"),
	T_("ad_col_name", "Name"),
	T_("ad_col_in", "In"),
	T_("ad_col_type", "Type"),
	T_("ad_col_desc", "Description"),
	T_("ad_col_status", "Status"),
	T_("ad_required", "required"),
	T_("ad_examples", "Examples"),
	T_("ad_try", "Try it"),
	T_("ad_try_intro",
	    "Paste a key and send a request from your browser. The key is not "
	    "stored."),
	T_("ad_try_nojs",
	    "Trying requests here needs JavaScript; use the curl examples "
	    "instead."),
	T_("ad_try_key", "API key"),
	T_("ad_try_which", "Which of your keys"),
	T_("ad_try_other", "Another key"),
	T_("ad_try_req", "Request"),
	T_("ad_try_req_hint",
	    "Each request shows the permission it needs; the first one the "
	    "chosen key may call is selected."),
	T_("ad_try_send", "Send"),
	T_("ad_try_result", "Answer"),
	T_("ad_problems", "Problem types"),
	T_("ad_problems_intro",
	    "Every refusal is application/problem+json. Its type is a link to "
	    "its row below, /docs/api#problem-SLUG; the slug is stable: "
	    "switch on it, not on the title or detail."),
	T_("ad_no_key", "no key needed"),
	T_("ad_sign_in",
	    "Signed in, this page also shows your package's limits and fills "
	    "the examples with your own ids."),
};

/*
 * The signed-in customer's working keys into v as try_keys[] (name,
 * visible, scopes, scopes_shown) and try_has_keys. Returns the scopes
 * of the newest, the one the panel starts with (kept by v), NULL
 * without a key, or "" with *err set when the database failed.
 */
static const char *
ad_keys(struct req *r, struct json_object *v, const char *cid, int *err)
{
	const char		*params[1] = { cid };
	struct json_object	*keys, *k;
	PGresult		*res;
	int			 i, n;

	if ((res = db_exec(&r->app->db, &apidocs_sql[APIDOCS_KEYS],
	    params)) == NULL) {
		*err = 1;
		return "";
	}
	keys = json_object_new_array();
	for (i = 0, n = PQntuples(res); i < n; i++) {
		k = json_object_new_object();
		json_object_object_add(k, "name",
		    json_object_new_string(db_get(res, i, ADK_NAME)));
		json_object_object_add(k, "visible",
		    json_object_new_string(db_get(res, i, ADK_VISIBLE)));
		json_object_object_add(k, "scopes",
		    json_object_new_string(db_get(res, i, ADK_SCOPES)));
		json_object_object_add(k, "scopes_shown",
		    json_object_new_string(db_get(res, i, ADK_SCOPES_SHOWN)));
		json_object_array_add(keys, k);
	}
	PQclear(res);
	json_object_object_add(v, "try_keys", keys);
	json_object_object_add(v, "try_has_keys",
	    json_object_new_boolean(n > 0));
	if (n == 0)
		return NULL;
	return json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(keys, 0), "scopes"));
}

/*
 * The signed-in customer's package limits into v (rpm and quota, absent
 * without a package), their keys for the try-it panel (ad_keys) and
 * the ids their examples use into ctx; *scopes: those of the key the
 * panel starts with, NULL without one. Returns 0, or -1 when the
 * database failed.
 */
static int
ad_customer(struct req *r, struct json_object *v, struct apidoc_ctx *ctx,
    const char **scopes)
{
	const char	*params[1] = { r->cid };
	PGresult	*res;
	int		 err = 0;

	if ((res = db_exec(&r->app->db, &apidocs_sql[APIDOCS_CONTEXT],
	    params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		if (*db_get(res, 0, ADC_RPM) != '\0') {
			json_object_object_add(v, "rpm", json_object_new_string(
			    db_get(res, 0, ADC_RPM)));
			json_object_object_add(v, "quota",
			    json_object_new_string(db_get(res, 0, ADC_QUOTA)));
		}
		ctx->ids[APIDOC_ID_MESSAGE] = db_getll(res, 0, ADC_MSG_ID);
		ctx->ids[APIDOC_ID_INSTANCE] = db_getll(res, 0, ADC_INST_ID);
		ctx->ids[APIDOC_ID_IMPORT] = db_getll(res, 0, ADC_IMP_ID);
		ctx->ids[APIDOC_ID_IMPORT_OLDER] = db_getll(res, 0,
		    ADC_IMP_OLDER_ID);
		ctx->ids[APIDOC_ID_CONTACT] = db_getll(res, 0, ADC_CONTACT_ID);
		ctx->ids[APIDOC_ID_TAG] = db_getll(res, 0, ADC_TAG_ID);
		ctx->ids[APIDOC_ID_TAG_OLDEST] = db_getll(res, 0,
		    ADC_TAG_OLDEST_ID);
		ctx->ids[APIDOC_ID_FIELD] = db_getll(res, 0, ADC_FIELD_ID);
		ctx->ids[APIDOC_ID_EXPORT] = db_getll(res, 0, ADC_EXP_ID);
		ctx->ids[APIDOC_ID_EXPORT_DONE] = db_getll(res, 0,
		    ADC_EXP_DONE_ID);
		ctx->ids[APIDOC_ID_GROUP] = db_getll(res, 0, ADC_GROUP_ID);
		ctx->ids[APIDOC_ID_TEMPLATE] = db_getll(res, 0,
		    ADC_TEMPLATE_ID);
		ctx->ids[APIDOC_ID_BROADCAST] = db_getll(res, 0, ADC_BCAST_ID);
		ctx->ids[APIDOC_ID_CONNECTED] = db_getll(res, 0, ADC_CONN_ID);
		ctx->ids[APIDOC_ID_TEMPLATE_OLDEST] = db_getll(res, 0,
		    ADC_TPL_OLDEST_ID);
	}
	PQclear(res);
	*scopes = ad_keys(r, v, r->cid, &err);
	return err ? -1 : 0;
}

/*
 * Render the reference with template tmpl; signed in, with the
 * customer's limits and ids. Returns 0, or 503 when the document or
 * the database fails.
 */
static int
ad_render(struct req *r, const char *tmpl, int signed_in)
{
	struct apidoc_ctx	 ctx = { .base = NULL, .lang = req_lang(r) };
	struct json_object	*doc, *v, *groups;
	const char		*scopes = NULL;
	int			 rc = 503, i;

	if ((doc = apidoc_load(r->app->conf.str[CONF_OPENAPI])) == NULL)
		return 503;
	v = json_object_new_object();
	if (signed_in && ad_customer(r, v, &ctx, &scopes) == -1)
		goto out;
	for (i = 0; i < APIDOC_ID__MAX; i++)
		ctx.ids[i] = ctx.ids[i] > 0 ? ctx.ids[i] : 1;
	ctx.base = req_base_url(r);
	json_object_object_add(v, "title", json_object_new_string(
	    req_t(r, &apidocs_strings[ADS_TITLE])));
	json_object_object_add(v, "nav_api_docs", json_object_new_boolean(1));
	json_object_object_add(v, "signed_in",
	    json_object_new_boolean(signed_in));
	json_object_object_add(v, "base", json_object_new_string(ctx.base));
	json_object_object_add(v, "version", json_object_new_string(
	    apidoc_str(json_object_object_get(doc, "info"), "version")));
	groups = apidoc_groups(doc, &ctx);
	apidoc_try_default(groups, scopes);
	json_object_object_add(v, "groups", groups);
	json_object_object_add(v, "problems", apidoc_problems(ctx.lang));
	rc = resp_html(r, 200, tmpl, v);
	free((char *)ctx.base);
out:
	json_object_put(v);
	json_object_put(doc);
	return rc;
}

/* GET /api-docs: the reference inside the portal. */
static int
page_apidocs(struct req *r)
{
	return ad_render(r, "apidocs", 1);
}

/* GET /docs/api: the reference for anyone; problem types link here. */
static int
page_docs_api(struct req *r)
{
	return ad_render(r, "apidocs_public", 0);
}

/*
 * GET /api/v1/openapi.json: the document itself, for anyone (a client
 * generator needs no key), cacheable for five minutes.
 */
static int
api_openapi(struct req *r)
{
	struct json_object	*doc;
	const char		*s;
	size_t			 n;
	int			 rc;

	if ((doc = apidoc_load(r->app->conf.str[CONF_OPENAPI])) == NULL)
		return 503;
	s = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	resp_header_replace(r, "Cache-Control", "public, max-age=300");
	resp_header(r, "Access-Control-Allow-Origin", "*");
	rc = resp_body(r, 200, "application/json", s, n);
	json_object_put(doc);
	return rc;
}

/*
 * The API reference: with the customer's limits and ids inside the
 * portal, public for the problem-type links of API answers.
 */
static const struct route apidocs_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api-docs",
	    .handler = page_apidocs, .name = "apidocs", .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/docs/api",
	    .handler = page_docs_api, .name = "docs_api" },
	{ .method = METHOD_GET, .pattern = "/api/v1/openapi.json",
	    .handler = api_openapi, .name = "openapi.get", .kind = KIND_API },
};

const struct module apidocs_module = {
	.name = "apidocs",
	MODULE_ROUTES(apidocs_routes),
	MODULE_SQL(apidocs_sql),
	MODULE_STRINGS(apidocs_strings),
};
