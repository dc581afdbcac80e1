/* 0021-tmpl.c: template engine tests: rendering, errors, limits, files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "web/tmpl.h"
#include "tap.h"

struct render_case {
	const char	*tmpl;
	const char	*view;		/* JSON text */
	const char	*want;
	const char	*what;
};

static const struct render_case render_cases[] = {
	/* Escaping of each special character, and raw tags. */
	{ "{{x}}", "{\"x\":\"&\"}", "&amp;", "escape &" },
	{ "{{x}}", "{\"x\":\"<\"}", "&lt;", "escape <" },
	{ "{{x}}", "{\"x\":\">\"}", "&gt;", "escape >" },
	{ "{{x}}", "{\"x\":\"\\\"\"}", "&quot;", "escape \"" },
	{ "{{x}}", "{\"x\":\"'\"}", "&#39;", "escape '" },
	{ "<a title=\"{{x}}\">", "{\"x\":\"\\\" onmouseover=\\\"alert(1)\"}",
	    "<a title=\"&quot; onmouseover=&quot;alert(1)\">",
	    "attribute break-out escaped" },
	{ "{{x}}", "{\"x\":\"<script>alert(1)</script>\"}",
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "script escaped" },
	{ "{{x}}", "{\"x\":\"\xe3\x81\xad\xe3\x81\x93 O'Hara\"}",
	    "\xe3\x81\xad\xe3\x81\x93 O&#39;Hara",
	    "UTF-8 kept, quote escaped" },
	{ "{{{x}}}", "{\"x\":\"<b>&</b>\"}", "<b>&</b>",
	    "triple mustache raw" },
	{ "{{& x}}", "{\"x\":\"<b>&</b>\"}", "<b>&</b>", "ampersand raw" },
	{ "{{ x }}|{{{ x }}}", "{\"x\":\"<\"}", "&lt;|<", "padding in tags" },
	/* Value types. */
	{ "{{n}}", "{\"n\":42}", "42", "integer" },
	{ "{{n}}", "{\"n\":-7}", "-7", "negative integer" },
	{ "{{n}}", "{\"n\":9223372036854775807}", "9223372036854775807",
	    "int64 max" },
	{ "{{n}}", "{\"n\":18446744073709551615}", "18446744073709551615",
	    "uint64 max" },
	{ "{{n}}", "{\"n\":1.210}", "1.21", "double, shortest form" },
	{ "{{n}}", "{\"n\":0.1}", "0.1", "0.1 stays 0.1" },
	{ "{{n}}", "{\"n\":3.0}", "3", "integral double" },
	{ "{{b}}/{{c}}", "{\"b\":true,\"c\":false}", "true/false", "booleans" },
	{ "[{{z}}]", "{\"z\":null}", "[]", "null renders empty" },
	{ "[{{o}}{{a}}]", "{\"o\":{\"k\":1},\"a\":[1]}", "[]",
	    "objects and arrays render empty" },
	/* Missing keys and dotted names. */
	{ "[{{nope}}]", "{}", "[]", "missing key renders empty" },
	{ "[{{a.b.c}}]", "{\"a\":{\"x\":1}}", "[]", "broken dotted chain" },
	{ "{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"<d>\"}}}", "&lt;d&gt;",
	    "dotted name escaped" },
	{ "[{{x}}]", "null", "[]", "null view" },
	{ "[{{.}}]", "\"<top>\"", "[&lt;top&gt;]",
	    "implicit iterator at root" },
	/* Sections. */
	{ "{{#l}}<{{.}}>{{/l}}", "{\"l\":[1,\"&\",2.5]}", "<1><&amp;><2.5>",
	    "section over array" },
	{ "{{#l}}{{n}},{{/l}}", "{\"l\":[{\"n\":\"a\"},{\"n\":\"b\"}]}",
	    "a,b,", "section over array of objects" },
	{ "{{#o}}{{n}}{{/o}}", "{\"o\":{\"n\":\"<\"}}", "&lt;",
	    "section over object pushes context" },
	{ "{{#b}}yes{{/b}}", "{\"b\":true}", "yes", "true section" },
	{ "[{{#b}}yes{{/b}}]", "{\"b\":false}", "[]", "false section" },
	{ "[{{#b}}yes{{/b}}]", "{}", "[]", "missing section" },
	{ "[{{#b}}yes{{/b}}]", "{\"b\":null}", "[]", "null section" },
	{ "[{{#b}}yes{{/b}}]", "{\"b\":[]}", "[]", "empty array section" },
	{ "[{{#b}}yes{{/b}}]", "{\"b\":\"\"}", "[]", "empty string is falsey" },
	{ "[{{#b}}yes{{/b}}]", "{\"b\":0}", "[]", "zero is falsey" },
	{ "[{{#b}}{{b}}{{/b}}]", "{\"b\":\"s\"}", "[s]", "string section" },
	{ "{{#a}}{{#b}}{{x}}{{y}}{{/b}}{{/a}}",
	    "{\"x\":\"X\",\"a\":{\"b\":{\"y\":\"Y\"},\"x\":\"x\"}}", "xY",
	    "nested contexts: innermost wins" },
	{ "{{#a}}{{#b}}{{x}}{{/b}}{{/a}}",
	    "{\"x\":\"X\",\"a\":{\"b\":{\"y\":1}}}", "X",
	    "nested contexts: falls back to root" },
	{ "{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\":[[1,2],[\"a\"]]}",
	    "(12)(a)", "array of arrays" },
	{ "{{#a.b}}[{{c}}]{{/a.b}}", "{\"a\":{\"b\":{\"c\":1}}}", "[1]",
	    "dotted section" },
	/* Inverted sections. */
	{ "{{^l}}none{{/l}}", "{\"l\":[]}", "none", "inverted on empty array" },
	{ "{{^l}}none{{/l}}", "{}", "none", "inverted on missing" },
	{ "[{{^l}}none{{/l}}]", "{\"l\":[1]}", "[]", "inverted on array" },
	{ "[{{^b}}no{{/b}}]", "{\"b\":true}", "[]", "inverted on true" },
	{ "{{^b}}no{{/b}}", "{\"b\":\"\"}", "no", "inverted on empty string" },
	/* Comments, standalone lines, delimiters. */
	{ "a{{! no }}b", "{}", "ab", "inline comment" },
	{ "a\n  {{! multi\nline }}\nb\n", "{}", "a\nb\n",
	    "standalone multi-line comment" },
	{ "<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n",
	    "{\"l\":[1,2]}", "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n",
	    "standalone section lines removed" },
	{ "a\r\n{{#b}}\r\nx\r\n{{/b}}\r\nc", "{\"b\":1}", "a\r\nx\r\nc",
	    "CRLF standalone lines" },
	{ "{{=<% %>=}}<%x%> {{x}} <%={{ }}=%>{{x}}", "{\"x\":\"<\"}",
	    "&lt; {{x}} &lt;", "set delimiters" },
	{ "{{x}} }} {", "{\"x\":1}", "1 }} {", "stray braces are text" },
};

struct partial_case {
	const char	*parts[3][2];	/* {name, text}; NULL ends */
	const char	*tmpl;
	const char	*view;
	const char	*want;
	const char	*what;
};

static const struct partial_case partial_cases[] = {
	{ { { "p", "<{{x}}>" } }, "[{{>p}}]", "{\"x\":\"&\"}", "[<&amp;>]",
	    "partial escapes in caller's context" },
	{ { { NULL, NULL } }, "[{{>nope}}]", "{}", "[]",
	    "unknown partial renders empty" },
	{ { { "row", "<li>{{name}}</li>\n" } },
	    "<ul>\n  {{#l}}\n  {{>row}}\n  {{/l}}\n</ul>\n",
	    "{\"l\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}",
	    "<ul>\n  <li>a</li>\n  <li>&lt;b&gt;</li>\n</ul>\n",
	    "standalone partial indented, in a loop" },
	{ { { "head", "<h>{{t}}</h>\n" }, { "foot", "<f/>\n" } },
	    "{{> head}}\nbody\n{{> foot}}\n", "{\"t\":\"T\"}",
	    "<h>T</h>\nbody\n<f/>\n", "layout head/foot pattern" },
	{ { { "outer", "  {{>inner}}\n" }, { "inner", "a\nb\n" } },
	    "{{>outer}}", "{}", "  a\n  b\n", "nested partial indentation" },
	{ { { "p", "{{^l}}\n{{/l}}x" } }, "  {{>p}}", "{\"l\":[1]}", "x",
	    "no indent for a line that starts in a skipped section" },
	{ { { "mid", "a {{>in}}\n" }, { "in", "b\nc" } }, "  {{>mid}}\n", "{}",
	    "  a b\nc\n", "inline partial inside an indented one: no indent" },
	{ { { "p", "1\n{{x}}\n" } }, "\t{{>p}}\n", "{\"x\":\"<\\n>\"}",
	    "\t1\n\t&lt;\n&gt;\n", "indent before a tag, not inside values" },
};

struct error_case {
	const char	*tmpl;
	int		 line;
	const char	*msg;
};

static const struct error_case error_cases[] = {
	{ "{{#a}}\nx", 1, "section 'a' is never closed" },
	{ "a\n\n{{#a}}\n{{#b}}\n{{/b}}\n", 3, "section 'a' is never closed" },
	{ "x\n{{#a}}\n{{/b}}", 3, "closing tag 'b' does not match section 'a'"
	    " opened on line 2" },
	{ "x\n{{/a}}", 2, "closing tag 'a' without an open section" },
	{ "{{#a}}{{/a}}{{/a}}", 1, "without an open section" },
	{ "x\ny {{name", 2, "tag is never closed (missing '}}')" },
	{ "{{{x}}", 1, "tag is never closed (missing '}}}')" },
	{ "{{!\n\n comment", 1, "tag is never closed" },
	{ "{{=<% %>=}}\n<%x", 2, "tag is never closed (missing '%>')" },
	{ "\n\n{{}}", 3, "empty tag name" },
	{ "{{ }}", 1, "empty tag name" },
	{ "{{#}}{{/}}", 1, "empty tag name" },
	{ "{{{ }}}", 1, "empty tag name" },
	{ "{{& }}", 1, "empty tag name" },
	{ "\n{{> }}", 2, "empty tag name" },
	{ "{{a b}}", 1, "invalid tag name 'a b'" },
	{ "{{a..b}}", 1, "invalid tag name 'a..b'" },
	{ "{{.a}}", 1, "invalid tag name '.a'" },
	{ "{{a.}}", 1, "invalid tag name 'a.'" },
	{ "{{= x =}}", 1, "invalid delimiter change 'x'" },
	{ "\n{{=a b c=}}", 2, "invalid delimiter change 'a b c'" },
	{ "{{=<% %>=}}\n<%#a%>\n<%/b%>", 3, "does not match section 'a'" },
	{ "{{! a\nb\nc }}{{/x}}", 3,
	    "closing tag 'x' without an open section" },
	{ "ok\n\xff\n", 2, "not valid UTF-8" },
};

/* Parse JSON text for a case; NULL on a JSON error (a test bug). */
static struct json_object *
view_parse(const char *json)
{
	struct json_object	*v;

	if ((v = json_tokener_parse(json)) == NULL &&
	    strcmp(json, "null") != 0)
		diag("bad JSON in test table: %s", json);
	return v;
}

static void
test_render(void)
{
	struct tmpl_set		*set;
	struct json_object	*view;
	struct buf		 out = BUF_INIT;
	char			 err[256];
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(render_cases) / sizeof(render_cases[0]); i++) {
		set = tmpl_set_new();
		view = view_parse(render_cases[i].view);
		buf_reset(&out);
		rc = tmpl_set_add(set, "t", render_cases[i].tmpl,
		    strlen(render_cases[i].tmpl), NULL, err, sizeof(err));
		if (rc == -1)
			diag("%s", err);
		if (rc == 0)
			rc = tmpl_render(set, "t", view, &out);
		is_str(rc == 0 ? buf_str(&out) : err, render_cases[i].want,
		    "render: %s", render_cases[i].what);
		json_object_put(view);
		tmpl_set_free(set);
	}
	buf_free(&out);
}

/* Add a case's partials and template; returns 0 or -1. */
static int
partial_setup(struct tmpl_set *set, const struct partial_case *c)
{
	char	 err[256];
	size_t	 j;

	for (j = 0; j < 3 && c->parts[j][0] != NULL; j++)
		if (tmpl_set_add(set, c->parts[j][0], c->parts[j][1],
		    strlen(c->parts[j][1]), NULL, err, sizeof(err)) == -1) {
			diag("%s", err);
			return -1;
		}
	if (tmpl_set_add(set, "main", c->tmpl, strlen(c->tmpl), NULL,
	    err, sizeof(err)) == -1) {
		diag("%s", err);
		return -1;
	}
	return 0;
}

static void
test_partials(void)
{
	const struct partial_case	*c;
	struct tmpl_set			*set;
	struct json_object		*view;
	struct buf			 out = BUF_INIT;
	size_t				 i;
	int				 rc;

	for (i = 0; i < sizeof(partial_cases) / sizeof(partial_cases[0]);
	    i++) {
		c = &partial_cases[i];
		set = tmpl_set_new();
		view = view_parse(c->view);
		buf_reset(&out);
		if ((rc = partial_setup(set, c)) == 0)
			rc = tmpl_render(set, "main", view, &out);
		is_str(rc == 0 ? buf_str(&out) : "(error)", c->want,
		    "partial: %s", c->what);
		json_object_put(view);
		tmpl_set_free(set);
	}
	buf_free(&out);
}

static void
test_errors(void)
{
	struct tmpl_set	*set;
	char		 err[256], want[64];
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		set = tmpl_set_new();
		snprintf(err, sizeof(err), "(none)");
		rc = tmpl_set_add(set, "e", error_cases[i].tmpl,
		    strlen(error_cases[i].tmpl), "case.mustache", err,
		    sizeof(err));
		snprintf(want, sizeof(want), "case.mustache:%d: ",
		    error_cases[i].line);
		ok(rc == -1 && strncmp(err, want, strlen(want)) == 0 &&
		    strstr(err, error_cases[i].msg) != NULL &&
		    !tmpl_set_has(set, "e"),
		    "parse error line %d: %s", error_cases[i].line,
		    error_cases[i].msg);
		if (rc != -1 || strstr(err, error_cases[i].msg) == NULL ||
		    strncmp(err, want, strlen(want)) != 0)
			diag("got: %s", err);
		tmpl_set_free(set);
	}
}

/* Sections nested one level past the cap fail; at the cap they parse. */
static void
test_nesting(void)
{
	struct tmpl_set	*set = tmpl_set_new();
	struct buf	 t = BUF_INIT;
	char		 err[256];
	int		 i;

	for (i = 0; i < TMPL_MAX_NEST; i++)
		buf_puts(&t, "{{#a}}");
	for (i = 0; i < TMPL_MAX_NEST; i++)
		buf_puts(&t, "{{/a}}");
	is_int(tmpl_set_add(set, "ok", t.data, t.len, NULL, err, sizeof(err)),
	    0, "sections nested %d deep parse", TMPL_MAX_NEST);
	buf_reset(&t);
	for (i = 0; i <= TMPL_MAX_NEST; i++)
		buf_puts(&t, "{{#a}}\n");
	ok(tmpl_set_add(set, "deep", t.data, t.len, "deep", err,
	    sizeof(err)) == -1 &&
	    strstr(err, "deep:33: sections nested") != NULL,
	    "sections nested deeper than the cap: error on the line");
	buf_free(&t);
	tmpl_set_free(set);
}

/* Build {"n":{"n":{...{"n":false}}}} with depth objects around the last. */
static struct json_object *
deep_view(int depth)
{
	struct json_object	*v = json_object_new_object(), *o;
	int			 i;

	json_object_object_add(v, "n", json_object_new_boolean(0));
	for (i = 0; i < depth; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "n", v);
		v = o;
	}
	return v;
}

/*
 * A recursive partial whose list is found again in the parent context fans
 * out 4^32 times: the step budget must stop it and fail the render.
 */
static void
test_budget(struct tmpl_set *set, char *err, size_t errsz)
{
	struct json_object	*view = json_tokener_parse("{\"l\":[1,2,3,4]}");
	struct buf		 out = BUF_INIT;
	const char		*fan = "{{#l}}x{{>fan}}{{/l}}";

	is_int(tmpl_set_add(set, "fan", fan, strlen(fan), NULL, err, errsz), 0,
	    "recursive fan-out template parses");
	is_int(tmpl_render(set, "fan", view, &out), -1,
	    "exponential fan-out: render fails");
	ok(out.len <= TMPL_MAX_STEPS, "exponential fan-out: stopped by budget "
	    "(%zu bytes)", out.len);
	json_object_put(view);
	buf_free(&out);
}

/* Recursive partials stop at TMPL_MAX_PARTIAL_DEPTH. */
static void
test_recursion(void)
{
	struct tmpl_set		*set = tmpl_set_new();
	struct json_object	*view;
	struct buf		 out = BUF_INIT;
	char			 err[256];

	tmpl_set_add(set, "r", "x{{>r}}", 7, NULL, err, sizeof(err));
	tmpl_set_add(set, "tree", "({{#n}}{{>tree}}{{/n}})", 23, NULL, err,
	    sizeof(err));
	is_int(tmpl_render(set, "r", NULL, &out), 0, "self-recursive partial");
	is_int(out.len, TMPL_MAX_PARTIAL_DEPTH + 1,
	    "self recursion stops after %d partial levels",
	    TMPL_MAX_PARTIAL_DEPTH);
	buf_reset(&out);
	view = deep_view(10);
	tmpl_render(set, "tree", view, &out);
	is_str(buf_str(&out), "((((((((((()))))))))))",
	    "data-driven recursion below the cap renders fully");
	json_object_put(view);
	buf_reset(&out);
	view = deep_view(1000);
	is_int(tmpl_render(set, "tree", view, &out), 0,
	    "hostile 1000-deep view model renders");
	is_int(out.len, 2 * (TMPL_MAX_PARTIAL_DEPTH + 1),
	    "and stops at the cap");
	json_object_put(view);
	test_budget(set, err, sizeof(err));
	is_int(tmpl_render(set, "missing", NULL, &out), -1,
	    "render of an unknown template: -1");
	ok(tmpl_set_has(set, "r") && !tmpl_set_has(set, "R"),
	    "tmpl_set_has is exact");
	is_int(tmpl_set_add(set, "r", "y", 1, "r.mustache", err, sizeof(err)),
	    -1, "duplicate name rejected");
	is_str(err, "r.mustache: template 'r' is already defined",
	    "duplicate name message");
	buf_free(&out);
	tmpl_set_free(set);
}

/* Write text to dir/file. */
static void
put_file(const char *dir, const char *file, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((f = fopen(path, "w")) == NULL) {
		diag("cannot write %s", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void
rm_file(const char *dir, const char *file)
{
	char	 path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	unlink(path);
}

/* Load dir into a fresh set; return the result and the message. */
static int
load(const char *dir, char *err, size_t errsz, struct tmpl_set **setp)
{
	int	 rc;

	*setp = tmpl_set_new();
	err[0] = '\0';
	rc = tmpl_set_load_dir(*setp, dir, err, errsz);
	return rc;
}

static void
test_load_dir(void)
{
	char		 dir[] = "/tmp/waportal-tmpl-XXXXXX";
	char		 err[512], want[512];
	struct tmpl_set	*set;
	struct buf	 out = BUF_INIT;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	is_int(load(dir, err, sizeof(err), &set), -1, "empty dir: error");
	tmpl_set_free(set);
	put_file(dir, "a.mustache", "A{{>b}}");
	put_file(dir, "b.mustache", "B{{x}}");
	put_file(dir, "notes.txt", "{{#broken");
	put_file(dir, ".hidden.mustache", "{{#broken");
	is_int(load(dir, err, sizeof(err), &set), 0, "good dir loads");
	if (err[0] != '\0')
		diag("%s", err);
	ok(tmpl_set_has(set, "a") && tmpl_set_has(set, "b") &&
	    !tmpl_set_has(set, "notes") && !tmpl_set_has(set, ".hidden"),
	    "only visible *.mustache files, named without extension");
	tmpl_render(set, "a", NULL, &out);
	is_str(buf_str(&out), "AB", "loaded templates render with partials");
	tmpl_set_free(set);

	put_file(dir, "c.mustache", "line 1\n{{>missing}}\n");
	is_int(load(dir, err, sizeof(err), &set), -1, "unresolved partial");
	snprintf(want, sizeof(want), "%s/c.mustache:2: partial 'missing' "
	    "not found", dir);
	is_str(err, want, "unresolved partial: file and line");
	tmpl_set_free(set);
	rm_file(dir, "c.mustache");

	put_file(dir, "d.mustache", "ok\n\n{{#open}}\n");
	is_int(load(dir, err, sizeof(err), &set), -1, "broken file");
	snprintf(want, sizeof(want), "%s/d.mustache:3: section 'open' is "
	    "never closed", dir);
	is_str(err, want, "broken file: file and line");
	tmpl_set_free(set);
	rm_file(dir, "d.mustache");

	rm_file(dir, "a.mustache");
	rm_file(dir, "b.mustache");
	rm_file(dir, "notes.txt");
	rm_file(dir, ".hidden.mustache");
	is_int(rmdir(dir), 0, "temp dir cleaned up");
	is_int(load(dir, err, sizeof(err), &set), -1, "missing dir: error");
	ok(strstr(err, "No such file") != NULL, "missing dir: reason given");
	tmpl_set_free(set);
	buf_free(&out);
}

/* A view for the page templates, with markup in every kind of value. */
static const char sample_view[] =
    "{\"title\":\"<script>alert(1)</script>\",\"lang\":\"id\","
    "\"asset_version\":\"1\\\"><script>alert(2)</script>\","
    "\"status\":\"404\",\"reason\":\"Page not found\","
    "\"message\":\"<script>alert(3)</script>\","
    "\"flash\":[{\"kind\":\"info\",\"text\":\"<script>alert(4)</script>\"}],"
    "\"t\":{\"hero_title\":\"<script>alert(5)</script>\","
    "\"skip_to_content\":\"Skip to content\",\"sign_in\":\"Sign in\","
    "\"feature_api_text\":\"'><img src=x onerror=alert(6)>\"}}";

/* Load and render the real page templates from $top_srcdir/src/templates. */
static void
test_page_templates(void)
{
	const char		*top = getenv("top_srcdir");
	const char		*pages[] = { "home", "error" };
	char			 dir[1024], err[512];
	struct tmpl_set		*set;
	struct json_object	*view = json_tokener_parse(sample_view);
	struct buf		 out = BUF_INIT;
	size_t			 i;

	snprintf(dir, sizeof(dir), "%s/src/templates", top ? top : ".");
	is_int(load(dir, err, sizeof(err), &set), 0, "load %s", dir);
	if (err[0] != '\0')
		diag("%s", err);
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		buf_reset(&out);
		is_int(tmpl_render(set, pages[i], view, &out), 0, "render %s",
		    pages[i]);
		ok(strstr(buf_str(&out), "&lt;script&gt;") != NULL,
		    "%s: markup in values escaped", pages[i]);
		ok(strstr(buf_str(&out), "<script>alert") == NULL &&
		    strstr(buf_str(&out), "<img") == NULL,
		    "%s: no injected element", pages[i]);
		ok(strncmp(buf_str(&out), "<!DOCTYPE html>\n<html lang=\"id\">",
		    31) == 0, "%s: starts with the doctype and lang", pages[i]);
		ok(strstr(buf_str(&out), "{{") == NULL &&
		    strstr(buf_str(&out), "</html>\n") != NULL,
		    "%s: complete, no tags left", pages[i]);
	}
	ok(strstr(buf_str(&out),
	    "<p class=\"error-page__code\">404</p>") != NULL,
	    "error: status shown");
	json_object_put(view);
	buf_free(&out);
	tmpl_set_free(set);
}

int
main(void)
{
	test_render();
	test_partials();
	test_errors();
	test_nesting();
	test_recursion();
	test_load_dir();
	test_page_templates();
	return done_testing();
}
