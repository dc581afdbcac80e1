/* csp.c: receive Content-Security-Policy violation reports and log them. */
#include <stdlib.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

#define CSP_FIELD_MAX	200

/* Append key=value for a string member of o, cut to CSP_FIELD_MAX. */
static void
csp_field(struct buf *b, struct json_object *o, const char *member,
    const char *key)
{
	struct json_object	*v;
	char			*s;

	if (!json_object_object_get_ex(o, member, &v) ||
	    !json_object_is_type(v, json_type_string))
		return;
	s = xstrndup(json_object_get_string(v), CSP_FIELD_MAX);
	log_kv(b, key, s);
	free(s);
}

/*
 * Log the directive and the blocked address of a report in the legacy
 * {"csp-report": {...}} form or the Reporting API's [{"body": {...}}].
 * Only those fields are logged, cut short; the page URL is left out
 * since it may carry a query string with private data.
 */
static int
csp_report(struct req *r)
{
	struct json_object	*rep = NULL, *item;
	struct buf		 b = BUF_INIT;

	if (json_object_is_type(r->json, json_type_object))
		json_object_object_get_ex(r->json, "csp-report", &rep);
	else if (json_object_array_length(r->json) > 0) {
		item = json_object_array_get_idx(r->json, 0);
		json_object_object_get_ex(item, "body", &rep);
	}
	if (rep == NULL || !json_object_is_type(rep, json_type_object))
		return 400;
	log_prefix(&b, "warn");
	log_kv(&b, "req", r->id);
	log_kv(&b, "msg", "csp violation");
	csp_field(&b, rep, "violated-directive", "directive");
	csp_field(&b, rep, "effectiveDirective", "directive");
	csp_field(&b, rep, "blocked-uri", "blocked");
	csp_field(&b, rep, "blockedURL", "blocked");
	log_line(&b);
	buf_free(&b);
	resp_status(r, 204);
	resp_finish(r);
	return 0;
}

/* Browsers post the reports: no CSRF check, no cookies. */
static const struct route csp_routes[] = {
	{ .method = METHOD_POST, .pattern = "/csp-report", .handler = csp_report,
	    .name = "csp_report", .kind = KIND_API, .body = BODY_JSON,
	    .max_body = 64 * 1024 },
};

const struct module csp_module = {
	.name = "csp",
	MODULE_ROUTES(csp_routes),
};
