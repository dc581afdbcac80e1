/* aud_tpl.c: the template parser (one pass, positions for errors and unknown variables) and renderer (ops over a bounded buffer, choices picked from a seed). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/nls.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "aud_tpl.h"

enum tpl_opkind { OP_LIT, OP_VAR, OP_SPIN };

/* One step of a compiled template; offsets are into t->text. */
struct aud_tpl_op {
	unsigned char	 kind;		/* enum tpl_opkind */
	unsigned char	 var;		/* OP_VAR: enum aud_tpl_var */
	unsigned char	 hasfb;		/* OP_VAR: a fallback was given */
	size_t		 off, len;	/* OP_LIT: text; OP_VAR: custom key */
	size_t		 chars;		/* OP_LIT, the fallback: code points */
	size_t		 fboff, fblen;	/* OP_VAR: the fallback */
	size_t		 alt, nalt;	/* OP_SPIN: t->alts[alt..alt+nalt] */
	size_t		 group;		/* OP_SPIN: its number, for the pick */
	size_t		 next;		/* OP_SPIN: the op after the choice */
};

/* An open choice of the parser. */
struct tpl_open {
	size_t		 op;		/* its OP_SPIN */
	size_t		 base;		/* its first option in p->pend */
	struct aud_tpl_issue at;
};

/* The parser's state. */
struct tpl_parse {
	struct aud_tpl	*t;
	const char	*s;
	size_t		 n, i;
	unsigned	 line, col;
	size_t		 chars;
	int		 lit;		/* the last op is an open literal */
	struct buf	 text;
	size_t		 opcap, altcap;
	size_t		*pend;		/* option starts of open choices */
	size_t		 npend, pendcap;
	struct tpl_open	 open[AUD_TPL_DEPTH];
	int		 depth;
	const char *const *keys;
	size_t		 nkeys;
};

static const char *const tpl_var_names[AUD_TPL__MAX] = {
	[AUD_TPL_NAME] = "name",
	[AUD_TPL_FIRST_NAME] = "first_name",
	[AUD_TPL_PHONE] = "phone",
	[AUD_TPL_CUSTOM] = "custom.",
	[AUD_TPL_UNKNOWN] = "",
};

enum aud_tpl_var
aud_tpl_var(const char *s, size_t n)
{
	int	 v;

	for (v = 0; v < AUD_TPL_CUSTOM; v++)
		if (strlen(tpl_var_names[v]) == n &&
		    memcmp(s, tpl_var_names[v], n) == 0)
			return v;
	if (n > 7 && memcmp(s, "custom.", 7) == 0)
		return AUD_TPL_CUSTOM;
	return AUD_TPL_UNKNOWN;
}

/* Code points of s[0..n) (UTF-8 checked before). */
static size_t
tpl_chars(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* Where p is now. */
static struct aud_tpl_issue
tpl_here(const struct tpl_parse *p)
{
	struct aud_tpl_issue	 at;

	memset(&at, 0, sizeof(at));
	at.off = p->i;
	at.line = p->line;
	at.col = p->col;
	return at;
}

/* Fail at `at` for why; -1. */
static int
tpl_fail(struct tpl_parse *p, struct aud_tpl_issue at, const char *why)
{
	at.why = why;
	p->t->err = at;
	return -1;
}

/* Step over k bytes, keeping the line, the column and the count. */
static void
tpl_adv(struct tpl_parse *p, size_t k)
{
	for (; k > 0 && p->i < p->n; k--, p->i++) {
		p->t->steps++;
		if (((unsigned char)p->s[p->i] & 0xc0) == 0x80)
			continue;
		p->chars++;
		if (p->s[p->i] == '\n') {
			p->line++;
			p->col = 1;
		} else
			p->col++;
	}
}

/* A new op of kind k, the literal closed. */
static struct aud_tpl_op *
tpl_op(struct tpl_parse *p, enum tpl_opkind k)
{
	struct aud_tpl	*t = p->t;
	struct aud_tpl_op *op;

	if (t->nops == p->opcap) {
		p->opcap = p->opcap ? p->opcap * 2 : 16;
		t->ops = xreallocarray(t->ops, p->opcap, sizeof(*t->ops));
	}
	op = &t->ops[t->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = k;
	p->lit = 0;
	t->steps++;
	return op;
}

/* Append the byte run s[0..n) of c code points to the open literal. */
static void
tpl_lit(struct tpl_parse *p, const char *s, size_t n, size_t c)
{
	struct aud_tpl_op *op;

	if (!p->lit) {
		op = tpl_op(p, OP_LIT);
		op->off = p->text.len;
		p->lit = 1;
	}
	op = &p->t->ops[p->t->nops - 1];
	buf_append(&p->text, s, n);
	op->len += n;
	op->chars += c;
}

/* Push the op index i as an option's start (or a choice's end). */
static void
tpl_pend(struct tpl_parse *p, size_t i)
{
	if (p->npend == p->pendcap) {
		p->pendcap = p->pendcap ? p->pendcap * 2 : 16;
		p->pend = xreallocarray(p->pend, p->pendcap, sizeof(*p->pend));
	}
	p->pend[p->npend++] = i;
}

/* Open a choice at '{'. */
static int
tpl_spin_open(struct tpl_parse *p)
{
	struct tpl_open	*o;
	struct aud_tpl_op *op;

	if (p->depth == AUD_TPL_DEPTH)
		return tpl_fail(p, tpl_here(p), N_("Choices are nested too "
		    "deeply: at most 3 levels of { } in one another."));
	o = &p->open[p->depth++];
	o->at = tpl_here(p);
	op = tpl_op(p, OP_SPIN);
	op->group = p->t->ngroups++;
	o->op = p->t->nops - 1;
	o->base = p->npend;
	tpl_pend(p, p->t->nops);
	tpl_adv(p, 1);
	return 0;
}

/* Close the innermost choice at '}': its options move to t->alts. */
static int
tpl_spin_close(struct tpl_parse *p)
{
	struct tpl_open	*o = &p->open[p->depth - 1];
	struct aud_tpl	*t = p->t;
	struct aud_tpl_op *op = &t->ops[o->op];
	size_t		 k = p->npend - o->base;

	if (k < 2)
		return tpl_fail(p, o->at, N_("A choice needs two or more "
		    "options separated by |, e.g. {Hi|Hello}; a variable is "
		    "written {{name}}."));
	tpl_pend(p, t->nops);
	if (t->nalts + k + 1 > p->altcap) {
		p->altcap = (t->nalts + k + 1) * 2;
		t->alts = xreallocarray(t->alts, p->altcap, sizeof(*t->alts));
	}
	op->alt = t->nalts;
	op->nalt = k;
	op->next = t->nops;
	memcpy(t->alts + t->nalts, p->pend + o->base, (k + 1) * sizeof(size_t));
	t->nalts += k + 1;
	p->npend = o->base;
	p->depth--;
	p->lit = 0;
	tpl_adv(p, 1);
	return 0;
}

/* Skip spaces and tabs. */
static void
tpl_space(struct tpl_parse *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		tpl_adv(p, 1);
}

/* 1 when the custom field key k[0..n) is one of p's (or p has none). */
static int
tpl_key_known(const struct tpl_parse *p, const char *k, size_t n)
{
	size_t	 i;

	if (p->keys == NULL)
		return 1;
	for (i = 0; i < p->nkeys; i++)
		if (strlen(p->keys[i]) == n && memcmp(p->keys[i], k, n) == 0)
			return 1;
	return 0;
}

/* 1 when k[0..n) has the form of a field key: [a-z][a-z0-9_]{0,39}. */
static int
tpl_key_form(const char *k, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 40 || k[0] < 'a' || k[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

/* Note the unknown variable at `at` of n bytes. */
static void
tpl_unknown(struct tpl_parse *p, struct aud_tpl_issue at, size_t n)
{
	struct aud_tpl	*t = p->t;

	t->nunknown++;
	if (t->nwarn == AUD_TPL_WARN_MAX)
		return;
	at.len = n;
	at.why = N_("Unknown variable: it is left empty (or its fallback) "
	    "in every message.");
	t->warn[t->nwarn++] = at;
}

/* 1 for a byte of a variable's name. */
static int
tpl_namec(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* The name at p->i into op; 0 or -1. */
static int
tpl_var_name(struct tpl_parse *p, struct aud_tpl_op *op)
{
	struct aud_tpl_issue at = tpl_here(p);
	const char	*nm = p->s + p->i;
	size_t		 n = 0;

	while (p->i + n < p->n && tpl_namec(nm[n]))
		n++;
	if (n == 0 || n > AUD_TPL_NAME_MAX)
		return tpl_fail(p, at, N_("A variable is a name of letters, "
		    "digits, _ and . between {{ and }}, e.g. {{first_name}} "
		    "or {{custom.city}}."));
	tpl_adv(p, n);
	op->var = aud_tpl_var(nm, n);
	if (op->var == AUD_TPL_CUSTOM && (!tpl_key_form(nm + 7, n - 7) ||
	    !tpl_key_known(p, nm + 7, n - 7)))
		op->var = AUD_TPL_UNKNOWN;
	if (op->var == AUD_TPL_UNKNOWN)
		tpl_unknown(p, at, n);
	/* The name, NUL-terminated: the caller's variables' key, and a
	 * custom field's key after its "custom.". */
	op->off = p->text.len;
	op->len = n;
	buf_append(&p->text, nm, n);
	buf_putc(&p->text, '\0');
	return 0;
}

/* The fallback "..." at p->i into op (\" and \\ escape); 0 or -1. */
static int
tpl_var_fallback(struct tpl_parse *p, struct aud_tpl_op *op)
{
	struct aud_tpl_issue at = tpl_here(p);

	if (p->i >= p->n || p->s[p->i] != '"')
		return tpl_fail(p, at, N_("A fallback is written in double "
		    "quotes after |, e.g. {{name|\"Customer\"}}."));
	tpl_adv(p, 1);
	op->hasfb = 1;
	op->fboff = p->text.len;
	while (p->i < p->n && p->s[p->i] != '"') {
		if (p->s[p->i] == '\\' && p->i + 1 < p->n &&
		    (p->s[p->i + 1] == '"' || p->s[p->i + 1] == '\\'))
			tpl_adv(p, 1);
		buf_putc(&p->text, p->s[p->i]);
		tpl_adv(p, 1);
	}
	if (p->i >= p->n)
		return tpl_fail(p, at, N_("The fallback's double quote is "
		    "not closed."));
	op->fblen = p->text.len - op->fboff;
	op->chars = tpl_chars(p->text.data + op->fboff, op->fblen);
	tpl_adv(p, 1);
	return 0;
}

/* A variable at "{{": name, optional fallback, "}}"; 0 or -1. */
static int
tpl_var(struct tpl_parse *p)
{
	struct aud_tpl_issue at = tpl_here(p);
	struct aud_tpl_op *op;

	op = tpl_op(p, OP_VAR);
	p->t->nvars++;
	tpl_adv(p, 2);
	tpl_space(p);
	if (tpl_var_name(p, op) == -1)
		return -1;
	tpl_space(p);
	if (p->i < p->n && p->s[p->i] == '|') {
		tpl_adv(p, 1);
		tpl_space(p);
		if (tpl_var_fallback(p, op) == -1)
			return -1;
		tpl_space(p);
	}
	if (p->i + 1 >= p->n || p->s[p->i] != '}' || p->s[p->i + 1] != '}')
		return tpl_fail(p, at, N_("A {{ is not closed by }} (a "
		    "variable is {{name}} or {{name|\"fallback\"}})."));
	tpl_adv(p, 2);
	return 0;
}

/* A backslash: \{ \} \| \\ are the character, any other is itself. */
static void
tpl_escape(struct tpl_parse *p)
{
	char	 c = p->i + 1 < p->n ? p->s[p->i + 1] : '\0';

	if (c == '{' || c == '}' || c == '|' || c == '\\') {
		tpl_adv(p, 1);
		tpl_lit(p, &c, 1, 1);
	} else
		tpl_lit(p, "\\", 1, 1);
	tpl_adv(p, 1);
}

/* A run of plain text up to the next special byte. */
static void
tpl_text(struct tpl_parse *p)
{
	size_t	 j = p->i, c0 = p->chars;

	while (p->i < p->n && p->s[p->i] != '{' && p->s[p->i] != '}' &&
	    p->s[p->i] != '\\' && (p->s[p->i] != '|' || p->depth == 0))
		tpl_adv(p, 1);
	tpl_lit(p, p->s + j, p->i - j, p->chars - c0);
}

/* The byte at p->i; 0 or -1. */
static int
tpl_step(struct tpl_parse *p)
{
	const char	*s = p->s + p->i;
	size_t		 left = p->n - p->i;

	if (s[0] == '{' && left >= 2 && s[1] == '{' &&
	    (left < 3 || s[2] != '{'))
		return tpl_var(p);
	if (s[0] == '{')
		return tpl_spin_open(p);
	if (s[0] == '}' && p->depth > 0)
		return tpl_spin_close(p);
	if (s[0] == '}')
		return tpl_fail(p, tpl_here(p), N_("A } without its {: write "
		    "\\} for a brace in the text."));
	if (s[0] == '|' && p->depth > 0) {
		tpl_pend(p, p->t->nops);
		p->lit = 0;
		tpl_adv(p, 1);
		return 0;
	}
	if (s[0] == '\\') {
		tpl_escape(p);
		return 0;
	}
	tpl_text(p);
	return 0;
}

/* The whole template; 0 or -1. */
static int
tpl_parse_all(struct tpl_parse *p)
{
	if (!utf8_valid(p->s, p->n))
		return tpl_fail(p, tpl_here(p), N_("The template is not valid "
		    "UTF-8 text."));
	while (p->i < p->n) {
		if (tpl_step(p) == -1)
			return -1;
		if (p->chars > AUD_TPL_MAX)
			return tpl_fail(p, tpl_here(p), N_("The template is "
			    "too long: at most 65536 characters."));
	}
	if (p->depth > 0)
		return tpl_fail(p, p->open[p->depth - 1].at, N_("A { is not "
		    "closed by }: write \\{ for a brace in the text."));
	return 0;
}

int
aud_tpl_parse(struct aud_tpl *t, const char *s, size_t n,
    const char *const *keys, size_t nkeys)
{
	struct tpl_parse p;
	int		 rc;

	memset(t, 0, sizeof(*t));
	memset(&p, 0, sizeof(p));
	p.t = t;
	p.s = s;
	p.n = n;
	p.line = p.col = 1;
	p.keys = keys;
	p.nkeys = nkeys;
	rc = tpl_parse_all(&p);
	t->chars = p.chars;
	t->textlen = p.text.len;
	t->text = buf_steal(&p.text);
	free(p.pend);
	return rc;
}

void
aud_tpl_free(struct aud_tpl *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t->ops);
	free(t->alts);
	memset(t, 0, sizeof(*t));
}

/* The renderer's state. */
struct tpl_render {
	const struct aud_tpl *t;
	const struct aud_tpl_vals *v;
	uint64_t	 seed;
	size_t		 max;
	struct buf	*out;
	struct aud_tpl_out *o;
};

/*
 * Append s[0..n) of c code points (SIZE_MAX: not counted yet, a value),
 * cut at the bound at a whole character. A value is scanned once and
 * no further than the bound: the work is the output's.
 */
static void
tpl_put(struct tpl_render *r, const char *s, size_t n, size_t c)
{
	size_t	 room = r->max - r->o->chars, i, k;

	if (r->o->cut)
		return;
	if (c <= room) {
		buf_append(r->out, s, n);
		r->o->chars += c;
		r->o->steps += n;
		return;
	}
	for (i = k = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && k++ == room)
			break;
	buf_append(r->out, s, i);
	r->o->steps += i;
	if (i < n) {
		r->o->chars += room;
		r->o->cut = 1;
	} else
		r->o->chars += k;
}

/* The first word of a name: (s, *n) cut at its first space. */
static const char *
tpl_first(const char *s, size_t *n)
{
	size_t	 i;

	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	for (i = 0; i < *n && s[i] != ' ' && s[i] != '\t'; i++)
		;
	*n = i;
	return s;
}

/* Member key of o as text: strings as stored, numbers as written,
 * booleans as true/false; NULL when missing, null or not a scalar. */
static const char *
tpl_json(struct json_object *o, const char *key, size_t *n)
{
	struct json_object *v;
	const char	*s;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string)) {
		*n = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	}
	if (json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	s = json_object_get_string(v);
	*n = strlen(s);
	return s;
}

/* The value of op's variable for r->v, or NULL; its length in *n. */
static const char *
tpl_value(const struct tpl_render *r, const struct aud_tpl_op *op,
    size_t *n)
{
	const char	*s = NULL;

	*n = 0;
	if ((s = tpl_json(r->v->vars, r->t->text + op->off, n)) != NULL &&
	    *n > 0)
		return s;
	switch (op->var) {
	case AUD_TPL_NAME:
	case AUD_TPL_FIRST_NAME:
		s = r->v->name;
		break;
	case AUD_TPL_PHONE:
		s = r->v->phone;
		break;
	case AUD_TPL_CUSTOM:
		return tpl_json(r->v->fields, r->t->text + op->off + 7, n);
	default:
		return NULL;
	}
	if (s == NULL)
		return NULL;
	*n = strlen(s);
	if (op->var == AUD_TPL_FIRST_NAME)
		s = tpl_first(s, n);
	return s;
}

/* One variable: its value, else its fallback, else nothing (missing). */
static void
tpl_put_var(struct tpl_render *r, const struct aud_tpl_op *op)
{
	const char	*s;
	size_t		 n;

	s = tpl_value(r, op, &n);
	if (s != NULL && n > 0)
		tpl_put(r, s, n, SIZE_MAX);
	else if (op->hasfb)
		tpl_put(r, r->t->text + op->fboff, op->fblen, op->chars);
	else
		r->o->missing++;
}

/* The option of choice g of k options for seed (splitmix64). */
static size_t
tpl_pick(uint64_t seed, size_t g, size_t k)
{
	uint64_t	 z = seed + 0x9e3779b97f4a7c15ULL * (g + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (size_t)(z % k);
}

/* The ops [a, b): each visited once; choices recurse, AUD_TPL_DEPTH deep. */
static void
tpl_range(struct tpl_render *r, size_t a, size_t b)
{
	const struct aud_tpl_op *op;
	const size_t	*alt;
	size_t		 i, k;

	for (i = a; i < b && !r->o->cut; ) {
		op = &r->t->ops[i];
		r->o->steps++;
		if (op->kind == OP_LIT)
			tpl_put(r, r->t->text + op->off, op->len, op->chars);
		else if (op->kind == OP_VAR)
			tpl_put_var(r, op);
		else {
			alt = r->t->alts + op->alt;
			k = tpl_pick(r->seed, op->group, op->nalt);
			tpl_range(r, alt[k], alt[k + 1]);
			i = op->next;
			continue;
		}
		i++;
	}
}

int
aud_tpl_render(const struct aud_tpl *t, const struct aud_tpl_vals *v,
    uint64_t seed, size_t max, struct buf *out, struct aud_tpl_out *o)
{
	static const struct aud_tpl_vals none;
	struct tpl_render r;

	memset(o, 0, sizeof(*o));
	r.t = t;
	r.v = v != NULL ? v : &none;
	r.seed = seed;
	r.max = max;
	r.out = out;
	r.o = o;
	buf_append(out, "", 0);
	tpl_range(&r, 0, t->nops);
	return o->cut ? -1 : 0;
}
