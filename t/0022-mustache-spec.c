/* 0022-mustache-spec.c: run the Mustache spec's test cases through tmpl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "web/tmpl.h"
#include "tap.h"

/* The spec files run, in order. */
static const char *const spec_files[] = {
	"comments.json",
	"interpolation.json",
	"sections.json",
	"inverted.json",
	"partials.json",
	"delimiters.json",
};

/* Cases skipped on purpose; keep in step with docs/templates.md. */
static const struct {
	const char	*file;
	const char	*name;
	const char	*reason;
} spec_skips[] = {
	{ NULL, NULL, NULL },
};

static const char *
spec_skip_reason(const char *file, const char *name)
{
	size_t	 i;

	for (i = 0; spec_skips[i].file != NULL; i++)
		if (strcmp(spec_skips[i].file, file) == 0 &&
		    strcmp(spec_skips[i].name, name) == 0)
			return spec_skips[i].reason;
	return NULL;
}

/*
 * The spec's JSON files, shipped with the tests under t/mustache-spec
 * (github.com/mustache/spec, MIT licence in its LICENSE): the directory
 * under $top_srcdir (make check sets it; "." when run by hand from the
 * source tree). Returns 0, or -1 when it does not fit in tmp.
 */
static int
spec_dir(char *tmp, size_t sz)
{
	const char	*top;

	if ((top = getenv("top_srcdir")) == NULL || *top == '\0')
		top = ".";
	return snprintf(tmp, sz, "%s/t/mustache-spec", top) < (int)sz ? 0 : -1;
}

/* Add each partial of a case to set; returns 0 or -1 (reported). */
static int
spec_add_partials(struct tmpl_set *set, struct json_object *partials)
{
	char	 err[512];

	if (partials == NULL)
		return 0;
	json_object_object_foreach(partials, key, val) {
		if (tmpl_set_add(set, key, json_object_get_string(val),
		    (size_t)json_object_get_string_len(val), key,
		    err, sizeof(err)) == -1) {
			diag("partial %s: %s", key, err);
			return -1;
		}
	}
	return 0;
}

/* Run one case: parse partials and template, render, compare. */
static void
spec_case(const char *file, struct json_object *tc)
{
	struct json_object	*name, *data, *tmpl, *want, *partials = NULL;
	struct tmpl_set		*set;
	struct buf		 out = BUF_INIT;
	const char		*reason, *n;
	char			 err[512];
	int			 rc;

	json_object_object_get_ex(tc, "name", &name);
	json_object_object_get_ex(tc, "data", &data);
	json_object_object_get_ex(tc, "template", &tmpl);
	json_object_object_get_ex(tc, "expected", &want);
	json_object_object_get_ex(tc, "partials", &partials);
	n = json_object_get_string(name);
	if ((reason = spec_skip_reason(file, n)) != NULL) {
		skip(reason, "%s: %s", file, n);
		return;
	}
	set = tmpl_set_new();
	rc = spec_add_partials(set, partials);
	if (rc == 0 && (rc = tmpl_set_add(set, "spec-case",
	    json_object_get_string(tmpl),
	    (size_t)json_object_get_string_len(tmpl), "template",
	    err, sizeof(err))) == -1)
		diag("template: %s", err);
	if (rc == 0)
		rc = tmpl_render(set, "spec-case", data, &out);
	if (rc == 0)
		is_str(buf_str(&out), json_object_get_string(want), "%s: %s",
		    file, n);
	else
		ok(0, "%s: %s", file, n);
	buf_free(&out);
	tmpl_set_free(set);
}

/* Run every case of one spec file. */
static void
spec_file(const char *dir, const char *file)
{
	struct json_object	*doc = NULL, *tests;
	char			 path[4096];
	size_t			 i;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path) || (doc = json_object_from_file(path)) == NULL ||
	    !json_object_object_get_ex(doc, "tests", &tests)) {
		ok(0, "%s: readable spec file", file);
		json_object_put(doc);
		return;
	}
	for (i = 0; i < json_object_array_length(tests); i++)
		spec_case(file, json_object_array_get_idx(tests, i));
	json_object_put(doc);
}

int
main(void)
{
	char		 dir[4096];
	size_t		 i;

	if (spec_dir(dir, sizeof(dir)) == -1) {
		ok(0, "the spec's directory: top_srcdir is too long");
		return done_testing();
	}
	diag("mustache spec from %s", dir);
	for (i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++)
		spec_file(dir, spec_files[i]);
	return done_testing();
}
