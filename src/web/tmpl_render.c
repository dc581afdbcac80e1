/* tmpl_render.c: render a parsed template over a json-c view, escaping. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/log.h"
#include "html.h"
#include "tmpl.h"
#include "tmpl_priv.h"

/* One entry of the context stack; entries live on the C stack. */
struct tmpl_ctx {
	struct json_object	*obj;
	const struct tmpl_ctx	*up;
};

struct tmpl_render {
	const struct tmpl_set	*set;
	struct buf		*out;
	const char		*indent;	/* standalone partial indent */
	size_t			 indentlen;
	size_t			 start;		/* out->len when we began */
	size_t			 steps;		/* nodes visited */
	int			 depth;		/* partials being rendered */
	int			 cut;		/* recursion cap reached */
	int			 stop;		/* budget spent: render fails */
};

static void	tr_nodes(struct tmpl_render *, const struct tmpl_node *,
		    const struct tmpl_ctx *);

/* Write s[0..n), HTML-escaped or raw. */
static void
tr_emit(struct tmpl_render *r, const char *s, size_t n, int escape)
{
	if (escape)
		html_escape(r->out, s, n);
	else
		buf_append(r->out, s, n);
}

/*
 * Resolve a node's name against the context stack: "." is the top; the
 * first dotted part is searched from the top down, the rest only inside
 * the previous result. Returns 1 and sets *v when found (*v may be NULL
 * for a JSON null), 0 when missing.
 */
static int
tr_lookup(const struct tmpl_node *n, const struct tmpl_ctx *c,
    struct json_object **v)
{
	const char	*part = n->path;
	size_t		 i;

	if (n->path == NULL) {
		*v = c->obj;
		return 1;
	}
	for (; c != NULL; c = c->up)
		if (json_object_is_type(c->obj, json_type_object) &&
		    json_object_object_get_ex(c->obj, part, v))
			break;
	if (c == NULL)
		return 0;
	for (i = 1; i < n->npath; i++) {
		part += strlen(part) + 1;
		if (!json_object_is_type(*v, json_type_object) ||
		    !json_object_object_get_ex(*v, part, v))
			return 0;
	}
	return 1;
}

/* Falsey: null, false, 0, NaN, "", []; everything else is truthy. */
static int
tr_truthy(struct json_object *v)
{
	double	 d;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		d = json_object_get_double(v);
		return d != 0 && !isnan(d);
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	default:
		return 1;
	}
}

/* Shortest "%g" form of d that reads back as the same double. */
static void
tr_double(char *s, size_t sz, double d)
{
	int	 prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(s, sz, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			return;
	}
	snprintf(s, sz, "%.17g", d);
}

/*
 * Interpolate v: strings as they are, numbers in their shortest form,
 * booleans as true/false; null, objects and arrays render nothing.
 */
static void
tr_value(struct tmpl_render *r, struct json_object *v, int escape)
{
	char	 num[64];
	int64_t	 i;

	switch (json_object_get_type(v)) {
	case json_type_string:
		tr_emit(r, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), escape);
		return;
	case json_type_int:
		i = json_object_get_int64(v);
		if (i == INT64_MAX)
			snprintf(num, sizeof(num), "%llu",
			    (unsigned long long)json_object_get_uint64(v));
		else
			snprintf(num, sizeof(num), "%lld", (long long)i);
		break;
	case json_type_double:
		tr_double(num, sizeof(num), json_object_get_double(v));
		break;
	case json_type_boolean:
		snprintf(num, sizeof(num), "%s",
		    json_object_get_boolean(v) ? "true" : "false");
		break;
	default:
		return;
	}
	tr_emit(r, num, strlen(num), escape);
}

/* Render a section's body once with v pushed on the context stack. */
static void
tr_push(struct tmpl_render *r, const struct tmpl_node *n,
    struct json_object *v, const struct tmpl_ctx *c)
{
	struct tmpl_ctx	 top = { v, c };

	tr_nodes(r, n, &top);
}

/* {{#name}}: iterate arrays, render truthy values once, skip falsey ones. */
static void
tr_section(struct tmpl_render *r, const struct tmpl_node *n,
    const struct tmpl_ctx *c)
{
	struct json_object	*v = NULL;
	size_t			 i, len;

	if (!tr_lookup(n, c, &v) || !tr_truthy(v))
		return;
	if (!json_object_is_type(v, json_type_array)) {
		tr_push(r, n, v, c);
		return;
	}
	len = json_object_array_length(v);
	for (i = 0; i < len && !r->stop; i++)
		tr_push(r, n, json_object_array_get_idx(v, i), c);
}

/*
 * {{> name}}: render another template of the set in the same context.
 * A standalone partial adds the tag's indentation to the current one and
 * puts it at each of its line starts; an inline partial is not indented.
 * Past TMPL_MAX_PARTIAL_DEPTH nested partials nothing more is rendered.
 */
static void
tr_partial(struct tmpl_render *r, const struct tmpl_node *n,
    const struct tmpl_ctx *c)
{
	const struct tmpl	*t;
	struct buf		 ind = BUF_INIT;
	const char		*oind = r->indent;
	size_t			 olen = r->indentlen;

	if ((t = tmpl_set_find(r->set, n->name)) == NULL)
		return;
	if (r->depth >= TMPL_MAX_PARTIAL_DEPTH) {
		r->cut = 1;
		return;
	}
	if (n->standalone && n->len > 0) {
		buf_append(&ind, r->indent, r->indentlen);
		buf_append(&ind, n->str, n->len);
		r->indent = ind.data;
		r->indentlen = ind.len;
	} else if (!n->standalone) {
		r->indent = "";
		r->indentlen = 0;
	}
	r->depth++;
	tr_nodes(r, &t->root, c);
	r->depth--;
	r->indent = oind;
	r->indentlen = olen;
	buf_free(&ind);
}

/* Count one node visit; returns 0 once the render budget is spent. */
static int
tr_budget(struct tmpl_render *r)
{
	if (++r->steps > TMPL_MAX_STEPS ||
	    r->out->len - r->start > TMPL_MAX_OUTPUT)
		r->stop = 1;
	return !r->stop;
}

/* Render the children of n in context c. */
static void
tr_nodes(struct tmpl_render *r, const struct tmpl_node *n,
    const struct tmpl_ctx *c)
{
	const struct tmpl_node	*k;
	struct json_object	*v;
	size_t			 i;

	for (i = 0; i < n->nkids && tr_budget(r); i++) {
		k = &n->kids[i];
		switch (k->kind) {
		case TMPL_TEXT:
			buf_append(r->out, k->str, k->len);
			break;
		case TMPL_INDENT:
			buf_append(r->out, r->indent, r->indentlen);
			break;
		case TMPL_VAR:
		case TMPL_RAW:
			if (tr_lookup(k, c, &v))
				tr_value(r, v, k->kind == TMPL_VAR);
			break;
		case TMPL_SECTION:
			tr_section(r, k, c);
			break;
		case TMPL_INVERTED:
			if (!tr_lookup(k, c, &v) || !tr_truthy(v))
				tr_nodes(r, k, c);
			break;
		case TMPL_PARTIAL:
			tr_partial(r, k, c);
			break;
		default:
			break;
		}
	}
}

/*
 * Render template name with view as the root context, appending to out.
 * Returns 0, or -1 if the set holds no template of that name or if the
 * render ran past TMPL_MAX_STEPS or TMPL_MAX_OUTPUT (out then holds a
 * truncated page the caller must discard).
 */
int
tmpl_render(const struct tmpl_set *set, const char *name,
    struct json_object *view, struct buf *out)
{
	const struct tmpl	*t;
	struct tmpl_render	 r;
	struct tmpl_ctx		 root = { view, NULL };

	if ((t = tmpl_set_find(set, name)) == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.indent = "";
	r.start = out->len;
	tr_nodes(&r, &t->root, &root);
	if (r.cut)
		log_warnx("template %s: partials nested deeper than %d levels "
		    "were not rendered", name, TMPL_MAX_PARTIAL_DEPTH);
	if (r.stop) {
		log_warnx("template %s: render stopped after %zu nodes and "
		    "%zu bytes", name, r.steps, out->len - r.start);
		return -1;
	}
	return 0;
}
