/* apidoc.c: docs/openapi.json read and turned into the API docs pages' view: operations by tag, parameters, body fields, responses, problem types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "api.h"
#include "apidoc.h"

/* The methods in the order the page shows them. */
static const char *const apidoc_methods[] = {
	"get", "post", "put", "patch", "delete"
};

#define APIDOC_NMETHODS	(sizeof(apidoc_methods) / sizeof(apidoc_methods[0]))

/*
 * The parsed OpenAPI document at path, or NULL (logged) when it cannot
 * be read or is not a JSON object. The caller puts it.
 */
struct json_object *
apidoc_load(const char *path)
{
	struct json_object	*doc = json_object_from_file(path);

	if (doc != NULL && json_object_is_type(doc, json_type_object))
		return doc;
	log_warnx("api docs: %s: %.*s", path, doc == NULL ?
	    (int)strcspn(json_util_get_last_err(), "\n") : 17, doc == NULL ?
	    json_util_get_last_err() : "not a JSON object");
	json_object_put(doc);
	return NULL;
}

/* The string member key of o, or "". */
const char *
apidoc_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

/* Follow a local "$ref" of o within doc; o itself when it has none. */
static struct json_object *
apidoc_deref(struct json_object *doc, struct json_object *o)
{
	const char		*ref = apidoc_str(o, "$ref");
	struct json_object	*cur = doc;
	char			*copy, *part, *save;

	if (strncmp(ref, "#/", 2) != 0)
		return o;
	copy = xstrdup(ref + 2);
	for (part = strtok_r(copy, "/", &save); part != NULL && cur != NULL;
	    part = strtok_r(NULL, "/", &save))
		if (!json_object_object_get_ex(cur, part, &cur))
			cur = NULL;
	free(copy);
	return cur != NULL ? cur : o;
}

/* Add s under key to o. */
static void
apidoc_put(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

/*
 * Add prose s of the document (a summary, a description, a tag's name)
 * under key to o, in the reader's language: the catalog holds the document's prose
 * (po/openapi-pot.jq puts it there); code and names stay as written.
 */
static void
apidoc_prose(struct json_object *o, const char *key, const char *s,
    const struct apidoc_ctx *ctx)
{
	apidoc_put(o, key, i18n_tr(ctx->lang, s));
}

/* Add list a under name to o with has_<name> saying it is not empty. */
static void
apidoc_list(struct json_object *o, const char *name, struct json_object *a)
{
	char	*has = xasprintf("has_%s", name);

	json_object_object_add(o, has,
	    json_object_new_boolean(json_object_array_length(a) > 0));
	json_object_object_add(o, name, a);
	free(has);
}

/* The parameters of operation o: [{name, in, required, desc}]. */
static struct json_object *
apidoc_params(struct json_object *doc, struct json_object *o,
    const struct apidoc_ctx *ctx)
{
	struct json_object	*list, *out = json_object_new_array(), *p, *x;
	size_t			 i;

	if (!json_object_object_get_ex(o, "parameters", &list) ||
	    !json_object_is_type(list, json_type_array))
		return out;
	for (i = 0; i < json_object_array_length(list); i++) {
		p = apidoc_deref(doc, json_object_array_get_idx(list, i));
		x = json_object_new_object();
		apidoc_put(x, "name", apidoc_str(p, "name"));
		apidoc_put(x, "in", apidoc_str(p, "in"));
		apidoc_prose(x, "desc", apidoc_str(p, "description"), ctx);
		json_object_object_add(x, "required", json_object_new_boolean(
		    json_object_get_boolean(json_object_object_get(p,
		    "required"))));
		json_object_array_add(out, x);
	}
	return out;
}

/* Whether property name is in the "required" list of schema s. */
static int
apidoc_required(struct json_object *s, const char *name)
{
	struct json_object	*req;
	size_t			 i;

	if (!json_object_object_get_ex(s, "required", &req) ||
	    !json_object_is_type(req, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(req); i++)
		if (json_object_is_type(json_object_array_get_idx(req, i),
		    json_type_string) && strcmp(json_object_get_string(
		    json_object_array_get_idx(req, i)), name) == 0)
			return 1;
	return 0;
}

/* The JSON body's fields of operation o: [{name, type, required, desc}]. */
static struct json_object *
apidoc_fields(struct json_object *doc, struct json_object *o,
    const struct apidoc_ctx *ctx)
{
	struct json_object	*out = json_object_new_array(), *s, *props, *x;
	struct json_object	*rb;

	if (!json_object_object_get_ex(o, "requestBody", &rb))
		return out;
	s = json_object_object_get(json_object_object_get(
	    json_object_object_get(apidoc_deref(doc, rb), "content"),
	    "application/json"), "schema");
	s = apidoc_deref(doc, s);
	if (!json_object_object_get_ex(s, "properties", &props) ||
	    !json_object_is_type(props, json_type_object))
		return out;
	json_object_object_foreach(props, name, prop) {
		x = json_object_new_object();
		apidoc_put(x, "name", name);
		apidoc_put(x, "type", apidoc_str(prop, "type"));
		apidoc_prose(x, "desc", apidoc_str(prop, "description"), ctx);
		json_object_object_add(x, "required",
		    json_object_new_boolean(apidoc_required(s, name)));
		json_object_array_add(out, x);
	}
	return out;
}

/* json_object_array_sort order of two responses: by status code. */
static int
apidoc_code_cmp(const void *a, const void *b)
{
	struct json_object *const *x = a, *const *y = b;

	return strcmp(apidoc_str(*x, "code"), apidoc_str(*y, "code"));
}

/* The responses of operation o by code: [{code, desc, is_problem}]. */
static struct json_object *
apidoc_responses(struct json_object *doc, struct json_object *o,
    const struct apidoc_ctx *ctx)
{
	struct json_object	*out = json_object_new_array(), *rs, *x, *r;

	if (!json_object_object_get_ex(o, "responses", &rs) ||
	    !json_object_is_type(rs, json_type_object))
		return out;
	json_object_object_foreach(rs, code, resp) {
		r = apidoc_deref(doc, resp);
		x = json_object_new_object();
		apidoc_put(x, "code", code);
		apidoc_prose(x, "desc", apidoc_str(r, "description"), ctx);
		json_object_object_add(x, "is_problem", json_object_new_boolean(
		    json_object_object_get(json_object_object_get(r,
		    "content"), "application/problem+json") != NULL));
		json_object_array_add(out, x);
	}
	json_object_array_sort(out, apidoc_code_cmp);
	return out;
}

/* The fragment id of an operation: op-get-api-v1-messages-id. */
static char *
apidoc_anchor(const char *method, const char *path)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	buf_printf(&b, "op-%s", method);
	for (p = path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			buf_putc(&b, *p);
		else if (*p == '/' || *p == '.')
			buf_putc(&b, '-');
	}
	return buf_steal(&b);
}

/* Whether operation o (or else doc) says no key is needed: security []. */
static int
apidoc_keyless(struct json_object *doc, struct json_object *o)
{
	struct json_object	*sec;

	if (!json_object_object_get_ex(o, "security", &sec) &&
	    !json_object_object_get_ex(doc, "security", &sec))
		return 1;
	return json_object_is_type(sec, json_type_array) &&
	    json_object_array_length(sec) == 0;
}

/* Operation o (method on path) as the template's object. */
static struct json_object *
apidoc_op(struct json_object *doc, struct json_object *o, const char *method,
    const char *path, const struct apidoc_ctx *ctx)
{
	struct json_object	*op = json_object_new_object();
	const char		*scope = apidoc_str(o, "x-scope");
	char			 up[8], *anchor;
	size_t			 i;

	for (i = 0; i < sizeof(up) - 1 && method[i] != '\0'; i++)
		up[i] = method[i] - 'a' + 'A';
	up[i] = '\0';
	apidoc_put(op, "method", up);
	apidoc_put(op, "method_lc", method);
	apidoc_put(op, "path", path);
	apidoc_prose(op, "summary", apidoc_str(o, "summary"), ctx);
	apidoc_prose(op, "desc", apidoc_str(o, "description"), ctx);
	if (*scope != '\0')
		apidoc_put(op, "scope", scope);
	json_object_object_add(op, "keyless",
	    json_object_new_boolean(apidoc_keyless(doc, o)));
	apidoc_put(op, "anchor", anchor = apidoc_anchor(method, path));
	free(anchor);
	apidoc_list(op, "params", apidoc_params(doc, o, ctx));
	apidoc_list(op, "fields", apidoc_fields(doc, o, ctx));
	json_object_object_add(op, "responses", apidoc_responses(doc, o, ctx));
	apidoc_examples(op, ctx, method, path, o);
	return op;
}

/* The description of tag in doc's "tags", or "". */
static const char *
apidoc_tag_desc(struct json_object *doc, const char *tag)
{
	struct json_object	*tags, *t;
	size_t			 i;

	if (!json_object_object_get_ex(doc, "tags", &tags) ||
	    !json_object_is_type(tags, json_type_array))
		return "";
	for (i = 0; i < json_object_array_length(tags); i++) {
		t = json_object_array_get_idx(tags, i);
		if (strcmp(apidoc_str(t, "name"), tag) == 0)
			return apidoc_str(t, "description");
	}
	return "";
}

/* The first tag of operation o, or "other". */
static const char *
apidoc_tag(struct json_object *o)
{
	struct json_object	*tags, *t;

	if (!json_object_object_get_ex(o, "tags", &tags) ||
	    !json_object_is_type(tags, json_type_array) ||
	    json_object_array_length(tags) == 0)
		return "other";
	t = json_object_array_get_idx(tags, 0);
	return json_object_is_type(t, json_type_string) ?
	    json_object_get_string(t) : "other";
}

/* The operation list of tag in groups, the group added when new. */
static struct json_object *
apidoc_group(struct json_object *doc, struct json_object *groups,
    const char *tag, const struct apidoc_ctx *ctx)
{
	struct json_object	*g;
	size_t			 i;

	for (i = 0; i < json_object_array_length(groups); i++) {
		g = json_object_array_get_idx(groups, i);
		if (strcmp(apidoc_str(g, "tag"), tag) == 0)
			return json_object_object_get(g, "ops");
	}
	g = json_object_new_object();
	apidoc_put(g, "tag", tag);
	apidoc_prose(g, "tag_name", tag, ctx);
	apidoc_prose(g, "tag_desc", apidoc_tag_desc(doc, tag), ctx);
	json_object_object_add(g, "ops", json_object_new_array());
	json_object_array_add(groups, g);
	return json_object_object_get(g, "ops");
}

/*
 * The operations of doc grouped by their first tag, in the document's
 * order: [{tag, tag_name, tag_desc, ops[]}]. The caller puts it.
 */
struct json_object *
apidoc_groups(struct json_object *doc, const struct apidoc_ctx *ctx)
{
	struct json_object	*groups = json_object_new_array(), *paths, *o;
	size_t			 m;

	if (!json_object_object_get_ex(doc, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_object))
		return groups;
	json_object_object_foreach(paths, path, item) {
		for (m = 0; m < APIDOC_NMETHODS; m++) {
			if (!json_object_object_get_ex(item,
			    apidoc_methods[m], &o))
				continue;
			json_object_array_add(apidoc_group(doc, groups,
			    apidoc_tag(o), ctx), apidoc_op(doc, o,
			    apidoc_methods[m], path, ctx));
		}
	}
	return groups;
}

/* Whether scopes (space-separated) hold scope. */
static int
apidoc_has_scope(const char *scopes, const char *scope)
{
	size_t		 n = strlen(scope), w;

	for (; *scopes != '\0'; scopes += w) {
		scopes += strspn(scopes, " ");
		w = strcspn(scopes, " ");
		if (w == n && strncmp(scopes, scope, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Mark with try_default the operation the try-it panel starts at: the
 * first it can send (try_path) that a key with scopes (space-separated;
 * NULL: no key known) may call, one without a scope or, with a key
 * known, with a scope the key has. Returns whether one was marked.
 */
int
apidoc_try_default(struct json_object *groups, const char *scopes)
{
	struct json_object	*ops, *op;
	const char		*scope;
	size_t			 g, i;

	for (g = 0; g < json_object_array_length(groups); g++) {
		ops = json_object_object_get(json_object_array_get_idx(groups,
		    g), "ops");
		for (i = 0; i < json_object_array_length(ops); i++) {
			op = json_object_array_get_idx(ops, i);
			scope = apidoc_str(op, "scope");
			if (*apidoc_str(op, "try_path") == '\0' ||
			    (*scope != '\0' && (scopes == NULL ||
			    !apidoc_has_scope(scopes, scope))))
				continue;
			json_object_object_add(op, "try_default",
			    json_object_new_boolean(1));
			return 1;
		}
	}
	return 0;
}

/*
 * Every problem type the API answers with (api.c's table), each with
 * its status and detail (in lang; the API answers in English):
 * [{slug, status, detail}]. The caller puts it.
 */
struct json_object *
apidoc_problems(enum lang lang)
{
	struct json_object	*out = json_object_new_array(), *x;
	const char		*slug, *detail;
	char			 code[8];
	int			 status;
	size_t			 i;

	for (i = 0; (slug = api_type_at(i, &status, &detail)) != NULL; i++) {
		x = json_object_new_object();
		snprintf(code, sizeof(code), "%d", status);
		apidoc_put(x, "slug", slug);
		apidoc_put(x, "status", code);
		apidoc_put(x, "detail", i18n_tr(lang, detail));
		json_object_array_add(out, x);
	}
	return out;
}
