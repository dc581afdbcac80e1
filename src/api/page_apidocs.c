/* page_apidocs.c: the API docs pages (/api-docs signed in, /docs/api public) and GET /api/v1/openapi.json, all from WAPORTAL_OPENAPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "apidoc.h"

/*
 * The signed-in customer's package limits into v (rpm and quota, absent
 * without a package) and the ids their examples use into ctx. Returns
 * 0, or -1 when the database failed.
 */
static int
ad_customer(struct req *r, struct json_object *v, struct apidoc_ctx *ctx)
{
	char		 cid[24];
	const char	*params[1] = { cid };
	PGresult	*res;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_AD_CONTEXT), params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		if (*PQgetvalue(res, 0, 0) != '\0') {
			json_object_object_add(v, "rpm", json_object_new_string(
			    PQgetvalue(res, 0, 0)));
			json_object_object_add(v, "quota",
			    json_object_new_string(PQgetvalue(res, 0, 1)));
		}
		ctx->msg_id = atoll(PQgetvalue(res, 0, 2));
		ctx->inst_id = atoll(PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return 0;
}

/*
 * Render the reference with template tmpl; signed in, with the
 * customer's limits and ids. Returns 0, or 503 when the document or
 * the database fails.
 */
static int
ad_render(struct req *r, const char *tmpl, int signed_in)
{
	struct apidoc_ctx	 ctx = { NULL, 1, 1 };
	struct json_object	*doc, *v;
	int			 rc = 503;

	if ((doc = apidoc_load(r->app->conf.str[CONF_OPENAPI])) == NULL)
		return 503;
	v = json_object_new_object();
	if (signed_in && ad_customer(r, v, &ctx) == -1)
		goto out;
	ctx.msg_id = ctx.msg_id > 0 ? ctx.msg_id : 1;
	ctx.inst_id = ctx.inst_id > 0 ? ctx.inst_id : 1;
	ctx.base = req_base_url(r);
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_AD_TITLE)));
	json_object_object_add(v, "nav_api_docs", json_object_new_boolean(1));
	json_object_object_add(v, "signed_in",
	    json_object_new_boolean(signed_in));
	json_object_object_add(v, "base", json_object_new_string(ctx.base));
	json_object_object_add(v, "version", json_object_new_string(
	    apidoc_str(json_object_object_get(doc, "info"), "version")));
	json_object_object_add(v, "groups", apidoc_groups(doc, &ctx));
	json_object_object_add(v, "problems", apidoc_problems());
	rc = resp_html(r, 200, tmpl, v);
	free((char *)ctx.base);
out:
	json_object_put(v);
	json_object_put(doc);
	return rc;
}

/* GET /api-docs: the reference inside the portal. */
int
page_apidocs(struct req *r)
{
	return ad_render(r, "apidocs", 1);
}

/* GET /docs/api: the reference for anyone; problem types link here. */
int
page_docs_api(struct req *r)
{
	return ad_render(r, "apidocs_public", 0);
}

/*
 * GET /api/v1/openapi.json: the document itself, for anyone (a client
 * generator needs no key), cacheable for five minutes.
 */
int
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
