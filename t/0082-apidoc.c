/* 0082-apidoc.c: the API docs model: loading the document, operations by tag, keyless operations, the examples of each language, the problem types, the prose in Indonesian. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "api/apidoc.h"
#include "core/xmalloc.h"
#include "tap.h"

static const struct apidoc_ctx ctx = { "https://p.example",
	{ [APIDOC_ID_MESSAGE] = 42, [APIDOC_ID_INSTANCE] = 7,
	[APIDOC_ID_IMPORT] = 5, [APIDOC_ID_IMPORT_OLDER] = 4 }, LANG_EN };

/* The operation method on path in groups, or NULL. */
static struct json_object *
find_op(struct json_object *groups, const char *method, const char *path)
{
	struct json_object	*ops, *op;
	size_t			 g, i;

	for (g = 0; g < json_object_array_length(groups); g++) {
		ops = json_object_object_get(json_object_array_get_idx(groups,
		    g), "ops");
		for (i = 0; i < json_object_array_length(ops); i++) {
			op = json_object_array_get_idx(ops, i);
			if (strcmp(apidoc_str(op, "method"), method) == 0 &&
			    strcmp(apidoc_str(op, "path"), path) == 0)
				return op;
		}
	}
	return NULL;
}

/* A file in /tmp holding s; the caller frees the name. */
static char *
tmp_file(const char *s)
{
	char	*path = xasprintf("/tmp/apidoc-test.%ld.json", (long)getpid());
	FILE	*f = fopen(path, "w");

	if (f != NULL) {
		fputs(s, f);
		fclose(f);
	}
	return path;
}

static void
test_load(void)
{
	const char	*bad[] = { "[1, 2]", "{\"a\": ", "" };
	char		*p;
	size_t		 i;

	ok(apidoc_load("/nonexistent/openapi.json") == NULL,
	    "a missing document: NULL");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = tmp_file(bad[i]);
		ok(apidoc_load(p) == NULL, "not a JSON object: NULL (%s)",
		    bad[i]);
		unlink(p);
		free(p);
	}
	p = tmp_file("{\"paths\": {\"/x\": {\"get\": {\"summary\": 3, "
	    "\"tags\": 5, \"parameters\": {}, \"responses\": []}}}}");
	{
		struct json_object *doc = apidoc_load(p), *g;

		g = apidoc_groups(doc, &ctx);
		is_int(json_object_array_length(g), 1,
		    "odd member types: one group, no crash");
		is_str(apidoc_str(json_object_array_get_idx(g, 0), "tag"),
		    "other", "... named other without a tag");
		json_object_put(g);
		json_object_put(doc);
	}
	unlink(p);
	free(p);
}

static void
test_ops(struct json_object *groups)
{
	struct json_object	*op;

	op = find_op(groups, "POST", "/api/v1/messages");
	ok(op != NULL, "POST /api/v1/messages is there");
	is_str(apidoc_str(op, "scope"), "messages:send", "... with its scope");
	is_str(apidoc_str(op, "anchor"), "op-post-api-v1-messages",
	    "... and its anchor");
	ok(json_object_get_boolean(json_object_object_get(op, "has_fields")),
	    "... and its body fields");
	ok(!json_object_get_boolean(json_object_object_get(op, "keyless")),
	    "... needs a key");
	op = find_op(groups, "GET", "/api/v1/openapi.json");
	ok(op != NULL && json_object_get_boolean(json_object_object_get(op,
	    "keyless")), "GET /api/v1/openapi.json needs no key");
	ok(strstr(apidoc_str(op, "ex_curl"), "Authorization") == NULL,
	    "... so its examples send none");
	op = find_op(groups, "GET", "/api/v1/messages/{id}");
	is_str(apidoc_str(op, "try_path"), "/api/v1/messages/42",
	    "a GET's try-it path has the reader's message id");
	op = find_op(groups, "GET", "/api/v1/instances/{id}");
	is_str(apidoc_str(op, "try_path"), "/api/v1/instances/7",
	    "... or instance id");
}

/* The operation the try-it panel starts at for a key of each scopes. */
static const struct {
	const char	*scopes;	/* NULL: no key known */
	const char	*path;
} try_defaults[] = {
	{ "messages:send", "/api/v1/usage" },
	{ NULL, "/api/v1/usage" },
	{ "", "/api/v1/usage" },
	{ "messages:send messages:read instances:read", "/api/v1/messages" },
	{ "instances:read", "/api/v1/instances" },
	{ "messages:send  instances:read", "/api/v1/instances" },
	{ "messages:readx instances:rea", "/api/v1/usage" },
};

static void
test_try_default(struct json_object *doc)
{
	struct json_object	*groups, *op;
	size_t			 i, marked;

	for (i = 0; i < sizeof(try_defaults) / sizeof(try_defaults[0]); i++) {
		groups = apidoc_groups(doc, &ctx);
		ok(apidoc_try_default(groups, try_defaults[i].scopes),
		    "try-it: a key of '%s' may call one",
		    try_defaults[i].scopes ? try_defaults[i].scopes : "(none known)");
		op = find_op(groups, "GET", try_defaults[i].path);
		ok(json_object_get_boolean(json_object_object_get(op,
		    "try_default")), "... it starts at GET %s",
		    try_defaults[i].path);
		marked = strstr(json_object_to_json_string(groups),
		    "\"try_default\"") != NULL;
		json_object_object_del(op, "try_default");
		ok(marked && strstr(json_object_to_json_string(groups),
		    "\"try_default\"") == NULL, "... and no other");
		json_object_put(groups);
	}
	groups = apidoc_groups(doc, &ctx);
	json_object_object_del(find_op(groups, "GET", "/api/v1/usage"),
	    "try_path");
	json_object_object_del(find_op(groups, "GET", "/api/v1/openapi.json"),
	    "try_path");
	ok(!apidoc_try_default(groups, "messages:send"),
	    "try-it: nothing a send-only key may call: none marked");
	json_object_put(groups);
}

/* Each language's example of POST /api/v1/messages and its pieces. */
static const struct {
	const char	*lang;
	const char	*want[4];
} posts[] = {
	{ "ex_curl", { "curl -sS -X POST \"https://p.example/api/v1/messages\"",
	    "Bearer $WAPORTAL_KEY", "Content-Type: application/json",
	    "-d '{\"to\": \"+6281234567890\"" } },
	{ "ex_python", { "requests.post(", "os.environ[\"WAPORTAL_KEY\"]",
	    "json={\"to\": ", "print(r.status_code, r.text)" } },
	{ "ex_js", { "await fetch(\"https://p.example/api/v1/messages\"",
	    "method: \"POST\"", "process.env.WAPORTAL_KEY",
	    "JSON.stringify({ to: " } },
	{ "ex_php", { "curl_init(\"https://p.example/api/v1/messages\")",
	    "CURLOPT_CUSTOMREQUEST => \"POST\"", "getenv(\"WAPORTAL_KEY\")",
	    "CURLINFO_RESPONSE_CODE" } },
};

static void
test_examples(struct json_object *groups)
{
	struct json_object	*post, *del, *get;
	size_t			 i, k;

	post = find_op(groups, "POST", "/api/v1/messages");
	for (i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		for (k = 0; k < 4; k++)
			ok(strstr(apidoc_str(post, posts[i].lang),
			    posts[i].want[k]) != NULL, "%s of a POST has %s",
			    posts[i].lang, posts[i].want[k]);
	del = find_op(groups, "DELETE", "/api/v1/messages/{id}");
	ok(strncmp(apidoc_str(del, "ex_curl"), "curl -sS -X DELETE "
	    "\"https://p.example/api/v1/messages/42\"", 57) == 0,
	    "a DELETE names its method and the reader's message id");
	ok(strstr(apidoc_str(del, "ex_curl"), "Content-Type") == NULL,
	    "... and sends no body");
	get = find_op(groups, "GET", "/api/v1/instances");
	is_str(apidoc_str(get, "ex_curl"), "curl -sS \"https://p.example"
	    "/api/v1/instances\" \\\n  -H \"Authorization: Bearer "
	    "$WAPORTAL_KEY\"", "a GET in curl: the whole example");
}

static void
test_problems(void)
{
	struct json_object	*p = apidoc_problems(LANG_EN), *x;
	size_t			 i;
	int			 found = 0;

	ok(json_object_array_length(p) >= 20, "the problem types (%zu)",
	    json_object_array_length(p));
	for (i = 0; i < json_object_array_length(p); i++) {
		x = json_object_array_get_idx(p, i);
		if (strcmp(apidoc_str(x, "slug"), "rate-limited") == 0)
			found = strcmp(apidoc_str(x, "status"), "429") == 0;
	}
	ok(found, "rate-limited is among them with 429");
	json_object_put(p);
}

/*
 * In Indonesian the prose is the catalog's (po/id.po), names and code
 * as written: the tag's id, the path, the examples, the slugs.
 */
static void
test_lang(struct json_object *doc, struct json_object *en)
{
	struct apidoc_ctx	 idc = ctx;
	struct json_object	*id, *g, *a, *b, *p, *pe;
	const char		*ea, *eb;

	idc.lang = LANG_ID;
	id = apidoc_groups(doc, &idc);
	g = json_object_array_get_idx(id, 0);
	is_str(apidoc_str(g, "tag"), "messages", "Indonesian: the tag's id as "
	    "written");
	is_str(apidoc_str(g, "tag_name"), "pesan", "... its name translated");
	a = find_op(en, "GET", "/api/v1/messages");
	b = find_op(id, "GET", "/api/v1/messages");
	ok(a != NULL && b != NULL && strcmp(apidoc_str(a, "summary"),
	    apidoc_str(b, "summary")) != 0 && *apidoc_str(b, "summary") != '\0',
	    "... the summary translated (%s)", apidoc_str(b, "summary"));
	is_str(apidoc_str(b, "ex_curl"), apidoc_str(a, "ex_curl"),
	    "... the examples as written");
	p = apidoc_problems(LANG_ID);
	pe = apidoc_problems(LANG_EN);
	ea = apidoc_str(json_object_array_get_idx(pe, 0), "detail");
	eb = apidoc_str(json_object_array_get_idx(p, 0), "detail");
	ok(strcmp(ea, eb) != 0 && strcmp(apidoc_str(json_object_array_get_idx(
	    pe, 0), "slug"), apidoc_str(json_object_array_get_idx(p, 0),
	    "slug")) == 0, "... a problem's detail translated (%s), its slug "
	    "not", eb);
	json_object_put(pe);
	json_object_put(p);
	json_object_put(id);
}

int
main(void)
{
	const char		*top = getenv("top_srcdir");
	struct json_object	*doc, *groups;
	char			*path;

	test_load();
	path = xasprintf("%s/docs/openapi.json", top != NULL ? top : ".");
	doc = apidoc_load(path);
	ok(doc != NULL, "docs/openapi.json loads");
	if (doc != NULL) {
		groups = apidoc_groups(doc, &ctx);
		is_str(apidoc_str(json_object_array_get_idx(groups, 0), "tag"),
		    "messages", "the first group is the first tag met");
		test_ops(groups);
		test_examples(groups);
		test_lang(doc, groups);
		test_try_default(doc);
		json_object_put(groups);
		json_object_put(doc);
	}
	free(path);
	test_problems();
	return done_testing();
}
