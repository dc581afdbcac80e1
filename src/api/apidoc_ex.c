/* apidoc_ex.c: the code examples of one API operation in curl, Python, JavaScript and PHP; each prints the status and the body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "apidoc.h"

/* The body every POST example sends, written in each language. */
#define EX_TO		"+6281234567890"
#define EX_TEXT		"Hello from the API"

/* One operation as the examples see it. */
struct ex_op {
	const char	*url;		/* base + path with its id filled in */
	char		 method[8];	/* upper case */
	int		 get;		/* method is GET */
	int		 body;		/* sends the JSON body */
	int		 key;		/* sends the key */
	const char	*example;	/* the body as JSON; NULL: a message */
};

static void
ex_curl(struct buf *b, const struct ex_op *o)
{
	buf_printf(b, "curl -sS%s%s \"%s\"", o->get ? "" : " -X ",
	    o->get ? "" : o->method, o->url);
	if (o->key)
		buf_puts(b, " \\\n  -H \"Authorization: Bearer $WAPORTAL_KEY\"");
	if (o->body && o->example != NULL)
		buf_printf(b, " \\\n  -H \"Content-Type: application/json\" "
		    "\\\n  -d '%s'", o->example);
	else if (o->body)
		buf_puts(b, " \\\n  -H \"Content-Type: application/json\" \\\n"
		    "  -d '{\"to\": \"" EX_TO "\", \"text\": \"" EX_TEXT "\"}'");
}

static void
ex_python(struct buf *b, const struct ex_op *o)
{
	char	*m = xstrdup(o->method), *p;

	for (p = m; *p != '\0'; p++)
		*p = *p - 'A' + 'a';
	buf_printf(b, "import os\nimport requests\n\nr = requests.%s(\n"
	    "    \"%s\",\n", m, o->url);
	if (o->key)
		buf_printf(b, "    headers={\"Authorization\": \"Bearer \" + "
		    "os.environ[\"WAPORTAL_KEY\"]%s},\n", o->body &&
		    o->example != NULL ? ",\n             \"Content-Type\": "
		    "\"application/json\"" : "");
	if (o->body && o->example != NULL)
		buf_printf(b, "    data='%s',\n", o->example);
	else if (o->body)
		buf_puts(b, "    json={\"to\": \"" EX_TO "\", \"text\": \""
		    EX_TEXT "\"},\n");
	buf_puts(b, "    timeout=30,\n)\nprint(r.status_code, r.text)");
	free(m);
}

static void
ex_js(struct buf *b, const struct ex_op *o)
{
	buf_printf(b, "// Node.js 18 or later, as an ES module (.mjs)\n"
	    "const r = await fetch(\"%s\", {\n  method: \"%s\",\n"
	    "  headers: {\n", o->url, o->method);
	if (o->key)
		buf_puts(b, "    \"Authorization\": \"Bearer \" + "
		    "process.env.WAPORTAL_KEY,\n");
	if (o->body)
		buf_puts(b, "    \"Content-Type\": \"application/json\",\n");
	buf_puts(b, "  },\n");
	if (o->body && o->example != NULL)
		buf_printf(b, "  body: JSON.stringify(%s),\n", o->example);
	else if (o->body)
		buf_puts(b, "  body: JSON.stringify({ to: \"" EX_TO "\", "
		    "text: \"" EX_TEXT "\" }),\n");
	buf_puts(b, "});\nconsole.log(r.status, await r.text());");
}

static void
ex_php(struct buf *b, const struct ex_op *o)
{
	buf_printf(b, "<?php\n$ch = curl_init(\"%s\");\n"
	    "curl_setopt_array($ch, [\n"
	    "    CURLOPT_CUSTOMREQUEST => \"%s\",\n"
	    "    CURLOPT_HTTPHEADER => [\n", o->url, o->method);
	if (o->key)
		buf_puts(b, "        \"Authorization: Bearer \" . "
		    "getenv(\"WAPORTAL_KEY\"),\n");
	if (o->body)
		buf_puts(b, "        \"Content-Type: application/json\",\n");
	buf_puts(b, "    ],\n");
	if (o->body && o->example != NULL)
		buf_printf(b, "    CURLOPT_POSTFIELDS => '%s',\n", o->example);
	else if (o->body)
		buf_puts(b, "    CURLOPT_POSTFIELDS => json_encode([\"to\" => \""
		    EX_TO "\", \"text\" => \"" EX_TEXT "\"]),\n");
	buf_puts(b, "    CURLOPT_RETURNTRANSFER => true,\n]);\n"
	    "$body = curl_exec($ch);\n"
	    "echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), \" \", $body, "
	    "\"\\n\";");
}

/* The four writers under the view names the template uses. */
static const struct ex_lang {
	const char	*name;
	void		(*write)(struct buf *, const struct ex_op *);
} ex_langs[] = {
	{ "ex_curl", ex_curl },
	{ "ex_python", ex_python },
	{ "ex_js", ex_js },
	{ "ex_php", ex_php },
};

/* The reader's own id for path's {id}: its message, instance, ... */
static long long
ex_id(const struct apidoc_ctx *ctx, const char *path)
{
	if (strstr(path, "/instances/") != NULL)
		return ctx->inst_id;
	if (strstr(path, "/contacts/") != NULL)
		return ctx->contact_id;
	if (strstr(path, "/tags/") != NULL && strstr(path, "/merge") != NULL)
		return ctx->tag_first;
	if (strstr(path, "/tags/") != NULL)
		return ctx->tag_id;
	if (strstr(path, "/contact-fields/") != NULL)
		return ctx->field_id;
	return ctx->msg_id;
}

/*
 * ctx->base + path with its {id} replaced by the reader's own message,
 * instance, contact, tag or field id, so that the example answers with
 * something real.
 */
static char *
ex_url(const struct apidoc_ctx *ctx, const char *path)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	long long	 id;

	id = ex_id(ctx, path);
	buf_puts(&b, ctx->base);
	for (p = path; *p != '\0'; p++) {
		if (*p != '{') {
			buf_putc(&b, *p);
			continue;
		}
		buf_printf(&b, "%lld", id);
		while (p[1] != '\0' && *p != '}')
			p++;
	}
	return buf_steal(&b);
}

/*
 * The body example with "{tag_id}" (a string in the document) as the
 * reader's latest tag id: a merge's target. Freed by the caller.
 */
static char *
ex_body(const struct apidoc_ctx *ctx, const char *example)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *mark = "\"{tag_id}\"";

	if (example == NULL)
		return NULL;
	while ((p = strstr(example, mark)) != NULL) {
		buf_append(&b, example, (size_t)(p - example));
		buf_printf(&b, "%lld", ctx->tag_id);
		example = p + strlen(mark);
	}
	buf_puts(&b, example);
	return buf_steal(&b);
}

/*
 * Add ex_curl, ex_python, ex_js and ex_php to op: method (lower case)
 * on path, with the JSON body example (the document's; NULL: a new
 * message) when body is set; a GET also gets try_path, its path for
 * the try-it panel.
 */
void
apidoc_examples(struct json_object *op, const struct apidoc_ctx *ctx,
    const char *method, const char *path, int body, const char *example)
{
	struct ex_op	 o;
	struct buf	 b;
	char		*url = ex_url(ctx, path), *body_text;
	size_t		 i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < sizeof(o.method) - 1 && method[i] != '\0'; i++)
		o.method[i] = method[i] - 'a' + 'A';
	o.url = url;
	o.get = strcmp(method, "get") == 0;
	o.body = body;
	o.example = body_text = ex_body(ctx, example);
	o.key = !json_object_get_boolean(json_object_object_get(op,
	    "keyless"));
	for (i = 0; i < sizeof(ex_langs) / sizeof(ex_langs[0]); i++) {
		b = (struct buf)BUF_INIT;
		ex_langs[i].write(&b, &o);
		json_object_object_add(op, ex_langs[i].name,
		    json_object_new_string(buf_str(&b)));
		buf_free(&b);
	}
	if (o.get)
		json_object_object_add(op, "try_path",
		    json_object_new_string(url + strlen(ctx->base)));
	free(body_text);
	free(url);
}
