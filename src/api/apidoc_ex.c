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
	int		 body;		/* sends the new message's JSON body */
	const char	*raw;		/* or this body ("x-example-body") */
	const char	*ctype;		/* ... of this media type */
	int		 key;		/* sends the key */
};

const char *const apidoc_id_names[APIDOC_ID__MAX] = {
	[APIDOC_ID_MESSAGE] = "message",
	[APIDOC_ID_INSTANCE] = "instance",
	[APIDOC_ID_IMPORT] = "import",
	[APIDOC_ID_IMPORT_OLDER] = "import_older",
	[APIDOC_ID_CONTACT] = "contact",
	[APIDOC_ID_TAG] = "tag",
	[APIDOC_ID_TAG_OLDEST] = "tag_oldest",
	[APIDOC_ID_FIELD] = "field",
	[APIDOC_ID_GROUP] = "group",
	[APIDOC_ID_TEMPLATE] = "template",
	[APIDOC_ID_BROADCAST] = "broadcast",
	[APIDOC_ID_CONNECTED] = "connected",
	[APIDOC_ID_TEMPLATE_OLDEST] = "template_oldest",
	[APIDOC_ID_EXPORT] = "export",
	[APIDOC_ID_EXPORT_DONE] = "export_done",
};

/*
 * s as a double-quoted string literal of JSON, which Python, JavaScript
 * and PHP read alike for the bodies the document gives (ASCII without
 * '$' or '\\', t/0051 checks).
 */
static void
ex_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++)
		if (*s == '"')
			buf_puts(b, "\\\"");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	buf_putc(b, '"');
}

/* s for printf's format in single quotes: newlines as \n, '%' doubled. */
static void
ex_printf_arg(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '%')
			buf_puts(b, "%%");
		else
			buf_putc(b, *s);
	buf_putc(b, '\'');
}

static void
ex_curl(struct buf *b, const struct ex_op *o)
{
	if (o->raw != NULL) {
		buf_puts(b, "printf ");
		ex_printf_arg(b, o->raw);
		buf_puts(b, " |\n  ");
	}
	buf_printf(b, "curl -sS%s%s \"%s\"", o->get ? "" : " -X ",
	    o->get ? "" : o->method, o->url);
	if (o->key)
		buf_puts(b, " \\\n  -H \"Authorization: Bearer $WAPORTAL_KEY\"");
	if (o->body)
		buf_puts(b, " \\\n  -H \"Content-Type: application/json\" \\\n"
		    "  -d '{\"to\": \"" EX_TO "\", \"text\": \"" EX_TEXT "\"}'");
	if (o->raw != NULL)
		buf_printf(b, " \\\n  -H \"Content-Type: %s\" --data-binary @-",
		    o->ctype);
}

static void
ex_python(struct buf *b, const struct ex_op *o)
{
	char	*m = xstrdup(o->method), *p;

	for (p = m; *p != '\0'; p++)
		*p = *p - 'A' + 'a';
	buf_printf(b, "import os\nimport requests\n\nr = requests.%s(\n"
	    "    \"%s\",\n", m, o->url);
	if (o->key && o->raw == NULL)
		buf_puts(b, "    headers={\"Authorization\": \"Bearer \" + "
		    "os.environ[\"WAPORTAL_KEY\"]},\n");
	if (o->body)
		buf_puts(b, "    json={\"to\": \"" EX_TO "\", \"text\": \""
		    EX_TEXT "\"},\n");
	if (o->raw != NULL) {
		buf_printf(b, "    headers={\"Authorization\": \"Bearer \" + "
		    "os.environ[\"WAPORTAL_KEY\"],\n"
		    "             \"Content-Type\": \"%s\"},\n    data=", o->ctype);
		ex_quoted(b, o->raw);
		buf_puts(b, ",\n");
	}
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
	if (o->raw != NULL)
		buf_printf(b, "    \"Content-Type\": \"%s\",\n", o->ctype);
	buf_puts(b, "  },\n");
	if (o->body)
		buf_puts(b, "  body: JSON.stringify({ to: \"" EX_TO "\", "
		    "text: \"" EX_TEXT "\" }),\n");
	if (o->raw != NULL) {
		buf_puts(b, "  body: ");
		ex_quoted(b, o->raw);
		buf_puts(b, ",\n");
	}
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
	if (o->raw != NULL)
		buf_printf(b, "        \"Content-Type: %s\",\n", o->ctype);
	buf_puts(b, "    ],\n");
	if (o->body)
		buf_puts(b, "    CURLOPT_POSTFIELDS => json_encode([\"to\" => \""
		    EX_TO "\", \"text\" => \"" EX_TEXT "\"]),\n");
	if (o->raw != NULL) {
		buf_puts(b, "    CURLOPT_POSTFIELDS => ");
		ex_quoted(b, o->raw);
		buf_puts(b, ",\n");
	}
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

/*
 * Which of the reader's ids an example of path uses: the operation's
 * "x-example-id", else the path's segment before {id}.
 */
static enum apidoc_id
ex_id(struct json_object *o, const char *path)
{
	struct json_object	*v;
	int			 i;

	if (json_object_object_get_ex(o, "x-example-id", &v))
		for (i = 0; i < APIDOC_ID__MAX; i++)
			if (strcmp(json_object_get_string(v),
			    apidoc_id_names[i]) == 0)
				return (enum apidoc_id)i;
	if (strstr(path, "/broadcasts/") != NULL)
		return APIDOC_ID_BROADCAST;
	if (strstr(path, "/instances/") != NULL)
		return APIDOC_ID_INSTANCE;
	if (strstr(path, "/imports/") != NULL)
		return APIDOC_ID_IMPORT;
	if (strstr(path, "/exports/") != NULL)
		return APIDOC_ID_EXPORT;
	if (strstr(path, "/contacts/") != NULL)
		return APIDOC_ID_CONTACT;
	if (strstr(path, "/tags/") != NULL)
		return APIDOC_ID_TAG;
	if (strstr(path, "/contact-fields/") != NULL)
		return APIDOC_ID_FIELD;
	if (strstr(path, "/contact-groups/") != NULL)
		return APIDOC_ID_GROUP;
	if (strstr(path, "/templates/") != NULL)
		return APIDOC_ID_TEMPLATE;
	return APIDOC_ID_MESSAGE;
}

/*
 * ctx->base + path with its {id} replaced by the reader's own id (ex_id),
 * so that the example answers with something real.
 */
static char *
ex_url(const struct apidoc_ctx *ctx, const char *path, long long id)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

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
 * The body's media type o's requestBody names first, or NULL without a
 * body.
 */
static const char *
ex_ctype(struct json_object *o)
{
	struct json_object	*rb, *content;

	if (!json_object_object_get_ex(o, "requestBody", &rb) ||
	    !json_object_object_get_ex(rb, "content", &content))
		return NULL;
	json_object_object_foreach(content, k, v) {
		(void)v;
		return k;
	}
	return NULL;
}

/*
 * The body of an "x-example-body" with "{tag}" as the reader's latest
 * tag id (a merge's target), "{contact}" as their latest contact's,
 * "{template}" and "{instance}" as their oldest template's and first
 * connected number's (a broadcast's: the examples before it delete the
 * latest template); the caller frees it.
 */
static char *
ex_raw(const struct apidoc_ctx *ctx, const char *raw)
{
	static const struct {
		const char	*name;
		enum apidoc_id	 id;
	} marks[] = {
		{ "{tag}", APIDOC_ID_TAG },
		{ "{contact}", APIDOC_ID_CONTACT },
		{ "{template}", APIDOC_ID_TEMPLATE_OLDEST },
		{ "{instance}", APIDOC_ID_CONNECTED },
	};
	struct buf	 b = BUF_INIT;
	const char	*p;
	size_t		 i;

	while ((p = strchr(raw, '{')) != NULL) {
		for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
			if (strncmp(p, marks[i].name, strlen(marks[i].name))
			    == 0)
				break;
		if (i == sizeof(marks) / sizeof(marks[0])) {
			buf_append(&b, raw, (size_t)(p - raw) + 1);
			raw = p + 1;
			continue;
		}
		buf_append(&b, raw, (size_t)(p - raw));
		buf_printf(&b, "%lld", ctx->ids[marks[i].id]);
		raw = p + strlen(marks[i].name);
	}
	buf_puts(&b, raw);
	return buf_steal(&b);
}

/*
 * Add ex_curl, ex_python, ex_js and ex_php to op: method (lower case)
 * on path, the document's operation doc_op; with its "x-example-body"
 * when it has a requestBody, else the JSON body of a new message; a GET
 * also gets try_path, its path for the try-it panel.
 */
void
apidoc_examples(struct json_object *op, const struct apidoc_ctx *ctx,
    const char *method, const char *path, struct json_object *doc_op)
{
	struct json_object	*raw;
	struct ex_op		 o;
	struct buf		 b;
	char			*url, *body = NULL;
	size_t			 i;

	url = ex_url(ctx, path, ctx->ids[ex_id(doc_op, path)]);
	memset(&o, 0, sizeof(o));
	for (i = 0; i < sizeof(o.method) - 1 && method[i] != '\0'; i++)
		o.method[i] = method[i] - 'a' + 'A';
	o.url = url;
	o.get = strcmp(method, "get") == 0;
	if ((o.ctype = ex_ctype(doc_op)) != NULL &&
	    json_object_object_get_ex(doc_op, "x-example-body", &raw))
		o.raw = body = ex_raw(ctx, json_object_get_string(raw));
	else
		o.body = o.ctype != NULL;
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
	free(body);
	free(url);
}
