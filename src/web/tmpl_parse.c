/* tmpl_parse.c: parse Mustache text once into a node tree. */
#include <string.h>

#include "core/xmalloc.h"
#include "tmpl.h"
#include "tmpl_priv.h"

#define TMPL_DELIM_MAX	16	/* longest delimiter {{=a b=}} may set */

struct tmpl_parser {
	const char	*src;
	size_t		 len;
	size_t		 pos;		/* next byte to consume */
	const char	*file;
	const char	*otag;		/* current open delimiter */
	size_t		 olen;
	const char	*ctag;		/* current close delimiter */
	size_t		 clen;
	int		 line;		/* line number of lpos */
	size_t		 lpos;
	struct tmpl_node *stack[TMPL_MAX_NEST + 1];	/* [0] is the root */
	size_t		 depth;
	char		*err;
	size_t		 errsz;
};

struct tmpl_tag {
	size_t		 start;		/* offset of the open delimiter */
	size_t		 end;		/* offset past the close delimiter */
	int		 line;
	char		 sigil;		/* {&#^/!>= or 0 for a variable */
	const char	*name;		/* trimmed content after the sigil */
	size_t		 nlen;
};

/* Line number (1-based) of offset off; offsets must be asked in order. */
static int
tp_line(struct tmpl_parser *p, size_t off)
{
	for (; p->lpos < off; p->lpos++)
		if (p->src[p->lpos] == '\n')
			p->line++;
	return p->line;
}

static int
tp_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* Offset of the first needle at or after from, or (size_t)-1. */
static size_t
tp_find(const struct tmpl_parser *p, size_t from, const char *needle,
    size_t nlen)
{
	const char	*hit;

	if (from > p->len)
		return (size_t)-1;
	hit = memmem(p->src + from, p->len - from, needle, nlen);
	return hit != NULL ? (size_t)(hit - p->src) : (size_t)-1;
}

/*
 * Read the tag whose open delimiter starts at start into t.
 * Returns 0, or -1 with err set when the close delimiter is missing.
 */
static int
tp_scan_tag(struct tmpl_parser *p, size_t start, struct tmpl_tag *t)
{
	char	 needle[TMPL_DELIM_MAX + 1];
	size_t	 c, close, nlen = 0;

	memset(t, 0, sizeof(*t));
	t->start = start;
	t->line = tp_line(p, start);
	c = start + p->olen;
	if (c < p->len && strchr("{&#^/!>=", p->src[c]) != NULL)
		t->sigil = p->src[c++];
	if (t->sigil == '{')
		needle[nlen++] = '}';
	else if (t->sigil == '=')
		needle[nlen++] = '=';
	memcpy(needle + nlen, p->ctag, p->clen);
	nlen += p->clen;
	if ((close = tp_find(p, c, needle, nlen)) == (size_t)-1) {
		tmpl_errf(p->err, p->errsz, p->file, t->line,
		    "tag is never closed (missing '%.*s')", (int)nlen, needle);
		return -1;
	}
	t->end = close + nlen;
	while (c < close && tp_space(p->src[c]))
		c++;
	while (close > c && tp_space(p->src[close - 1]))
		close--;
	t->name = p->src + c;
	t->nlen = close - c;
	return 0;
}

/*
 * Check that a tag name is a non-empty run of non-space bytes whose dotted
 * parts are all non-empty (or exactly "."). Returns 0 or -1 with err set.
 */
static int
tp_check_name(struct tmpl_parser *p, const struct tmpl_tag *t)
{
	size_t	 i;

	if (t->nlen == 0) {
		tmpl_errf(p->err, p->errsz, p->file, t->line, "empty tag name");
		return -1;
	}
	if (t->nlen == 1 && t->name[0] == '.')
		return 0;
	for (i = 0; i < t->nlen; i++) {
		if (tp_space(t->name[i]) || (t->name[i] == '.' &&
		    (i == 0 || i + 1 == t->nlen || t->name[i + 1] == '.'))) {
			tmpl_errf(p->err, p->errsz, p->file, t->line,
			    "invalid tag name '%.*s'", (int)t->nlen, t->name);
			return -1;
		}
	}
	return 0;
}

/*
 * Decide whether tag t stands alone on its line (only blanks around it).
 * If so, store the offset where its line starts in *ls and the offset past
 * its line ending in *next, and return 1.
 */
static int
tp_standalone(const struct tmpl_parser *p, const struct tmpl_tag *t,
    size_t *ls, size_t *next)
{
	size_t	 b = t->start, e = t->end;

	if (strchr("#^/!>=", t->sigil) == NULL || t->sigil == 0)
		return 0;
	while (b > p->pos && (p->src[b - 1] == ' ' || p->src[b - 1] == '\t'))
		b--;
	if (b > 0 && p->src[b - 1] != '\n')
		return 0;
	while (e < p->len && (p->src[e] == ' ' || p->src[e] == '\t'))
		e++;
	if (e < p->len && p->src[e] == '\r' && e + 1 < p->len &&
	    p->src[e + 1] == '\n')
		e++;
	if (e < p->len && p->src[e] != '\n')
		return 0;
	*ls = b;
	*next = e < p->len ? e + 1 : e;
	return 1;
}

/* Append a zeroed node of kind k to the innermost open section. */
static struct tmpl_node *
tp_add(struct tmpl_parser *p, enum tmpl_kind k, int line)
{
	struct tmpl_node	*top = p->stack[p->depth], *n;

	if (top->nkids == top->capkids) {
		top->capkids = top->capkids ? top->capkids * 2 : 4;
		top->kids = xreallocarray(top->kids, top->capkids,
		    sizeof(*top->kids));
	}
	n = &top->kids[top->nkids++];
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->line = line;
	return n;
}

/* Append literal bytes, merged into the previous node if that is text. */
static void
tp_bytes(struct tmpl_parser *p, size_t from, size_t to)
{
	struct tmpl_node	*top = p->stack[p->depth], *n;

	if (to <= from)
		return;
	if (top->nkids > 0 && top->kids[top->nkids - 1].kind == TMPL_TEXT)
		n = &top->kids[top->nkids - 1];
	else
		n = tp_add(p, TMPL_TEXT, 0);
	n->str = xrealloc(n->str, n->len + (to - from) + 1);
	memcpy(n->str + n->len, p->src + from, to - from);
	n->len += to - from;
	n->str[n->len] = '\0';
}

/*
 * Append the text [from, to) with an indentation marker at each line
 * start in it, and at to itself when at_end (a tag that stays follows).
 * The markers are where a standalone partial's indentation goes: the
 * spec indents every line of the partial's source that is not removed.
 */
static void
tp_text(struct tmpl_parser *p, size_t from, size_t to, int at_end)
{
	const char	*nl;
	size_t		 q;

	if ((from == 0 || p->src[from - 1] == '\n') && (from < to || at_end))
		tp_add(p, TMPL_INDENT, 0);
	while (from < to) {
		nl = memchr(p->src + from, '\n', to - from);
		q = nl != NULL ? (size_t)(nl - p->src) + 1 : to;
		tp_bytes(p, from, q);
		if (nl != NULL && (q < to || at_end))
			tp_add(p, TMPL_INDENT, 0);
		from = q;
	}
}

/* Add a named node (variable, section, partial) for tag t. */
static struct tmpl_node *
tp_named(struct tmpl_parser *p, enum tmpl_kind k, const struct tmpl_tag *t)
{
	struct tmpl_node	*n;
	size_t			 i;

	n = tp_add(p, k, t->line);
	n->name = xstrndup(t->name, t->nlen);
	if (k == TMPL_PARTIAL || strcmp(n->name, ".") == 0)
		return n;
	n->path = xstrndup(t->name, t->nlen);
	n->npath = 1;
	for (i = 0; i < t->nlen; i++) {
		if (n->path[i] == '.') {
			n->path[i] = '\0';
			n->npath++;
		}
	}
	return n;
}

/* {{=open close=}}: switch delimiters. Returns 0 or -1 with err set. */
static int
tp_delims(struct tmpl_parser *p, const struct tmpl_tag *t)
{
	size_t	 i = 0, o, c;

	while (i < t->nlen && !tp_space(t->name[i]) && t->name[i] != '=')
		i++;
	o = i;
	while (i < t->nlen && tp_space(t->name[i]))
		i++;
	c = i;
	while (i < t->nlen && !tp_space(t->name[i]) && t->name[i] != '=')
		i++;
	if (o == 0 || c == o || i == c || i != t->nlen ||
	    o > TMPL_DELIM_MAX || i - c > TMPL_DELIM_MAX) {
		tmpl_errf(p->err, p->errsz, p->file, t->line,
		    "invalid delimiter change '%.*s'", (int)t->nlen, t->name);
		return -1;
	}
	p->otag = t->name;
	p->olen = o;
	p->ctag = t->name + c;
	p->clen = i - c;
	return 0;
}

/* {{#name}} or {{^name}}: open a section. Returns 0 or -1 with err set. */
static int
tp_open(struct tmpl_parser *p, enum tmpl_kind k, const struct tmpl_tag *t)
{
	struct tmpl_node	*n;

	if (p->depth == TMPL_MAX_NEST) {
		tmpl_errf(p->err, p->errsz, p->file, t->line,
		    "sections nested deeper than %d", TMPL_MAX_NEST);
		return -1;
	}
	n = tp_named(p, k, t);
	p->stack[++p->depth] = n;
	return 0;
}

/* {{/name}}: close the innermost section. Returns 0 or -1 with err set. */
static int
tp_close(struct tmpl_parser *p, const struct tmpl_tag *t)
{
	const struct tmpl_node	*top = p->stack[p->depth];

	if (p->depth == 0) {
		tmpl_errf(p->err, p->errsz, p->file, t->line,
		    "closing tag '%.*s' without an open section",
		    (int)t->nlen, t->name);
		return -1;
	}
	if (strlen(top->name) != t->nlen ||
	    memcmp(top->name, t->name, t->nlen) != 0) {
		tmpl_errf(p->err, p->errsz, p->file, t->line,
		    "closing tag '%.*s' does not match section '%s' "
		    "opened on line %d", (int)t->nlen, t->name, top->name,
		    top->line);
		return -1;
	}
	p->depth--;
	return 0;
}

/* Turn one scanned tag into nodes. Returns 0 or -1 with err set. */
static int
tp_tag(struct tmpl_parser *p, const struct tmpl_tag *t, int alone, size_t ls)
{
	struct tmpl_node	*n;

	if (t->sigil == '!')
		return 0;
	if (t->sigil == '=')
		return tp_delims(p, t);
	if (tp_check_name(p, t) == -1)
		return -1;
	switch (t->sigil) {
	case '#':
		return tp_open(p, TMPL_SECTION, t);
	case '^':
		return tp_open(p, TMPL_INVERTED, t);
	case '/':
		return tp_close(p, t);
	case '>':
		n = tp_named(p, TMPL_PARTIAL, t);
		n->standalone = alone;
		if (alone && t->start > ls) {
			n->str = xstrndup(p->src + ls, t->start - ls);
			n->len = t->start - ls;
		}
		return 0;
	case '{':
	case '&':
		tp_named(p, TMPL_RAW, t);
		return 0;
	default:
		tp_named(p, TMPL_VAR, t);
		return 0;
	}
}

/* Consume one tag at offset start and the text before it. */
static int
tp_step(struct tmpl_parser *p, size_t start)
{
	struct tmpl_tag	 t;
	size_t		 ls = 0, next = 0;
	int		 alone;

	if (tp_scan_tag(p, start, &t) == -1)
		return -1;
	alone = tp_standalone(p, &t, &ls, &next);
	tp_text(p, p->pos, alone ? ls : start, !alone);
	if (tp_tag(p, &t, alone, ls) == -1)
		return -1;
	p->pos = alone ? next : t.end;
	return 0;
}

/*
 * Parse len bytes of text into t->root. Returns 0, or -1 with
 * "FILE:LINE: message" in err; the caller frees t either way.
 */
int
tmpl_parse(struct tmpl *t, const char *text, size_t len, char *err,
    size_t errsz)
{
	struct tmpl_parser	 p;
	const struct tmpl_node	*open;
	size_t			 start;

	memset(&p, 0, sizeof(p));
	p.src = text;
	p.len = len;
	p.file = t->file;
	p.otag = "{{";
	p.ctag = "}}";
	p.olen = p.clen = 2;
	p.line = 1;
	p.err = err;
	p.errsz = errsz;
	p.stack[0] = &t->root;
	while ((start = tp_find(&p, p.pos, p.otag, p.olen)) != (size_t)-1)
		if (tp_step(&p, start) == -1)
			return -1;
	tp_text(&p, p.pos, p.len, 0);
	if (p.depth > 0) {
		open = p.stack[p.depth];
		tmpl_errf(err, errsz, p.file, open->line,
		    "section '%s' is never closed", open->name);
		return -1;
	}
	return 0;
}
