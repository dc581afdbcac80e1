/* multipart.c: strict, bounded multipart/form-data parsing (RFC 7578). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "core/xmalloc.h"
#include "param.h"

#define MP_BOUNDARY_MAX	70	/* RFC 2046 section 5.1.1 */
#define MP_LINE_MAX	1024	/* bytes per part header line, CRLF excluded */
#define MP_HEADERS_MAX	8	/* header lines per part */

/* One parse: the body, how far it has been read, and the delimiter. */
struct mp {
	struct params			*p;
	const struct parse_limits	*lim;
	const char			*body;
	size_t				 n;
	size_t				 pos;
	size_t				 part;	/* parts begun, for messages */
	char				 delim[4 + MP_BOUNDARY_MAX + 1];
	size_t				 dlen;	/* CRLF "--" boundary */
};

/* What the header lines of one part said. */
struct mp_head {
	int	 disp;		/* a Content-Disposition line was seen */
	int	 hasname;
	int	 hasfile;
	int	 hastype;
	char	 name[MP_LINE_MAX + 1];
	char	 filename[MP_LINE_MAX + 1];
	char	 ctype[MP_LINE_MAX + 1];
};

/* Return 1 if the n bytes at s equal lit, ignoring ASCII case. */
static int
mp_ieq(const char *s, size_t n, const char *lit)
{

	return n == strlen(lit) && strncasecmp(s, lit, n) == 0;
}

/* Return 1 if c is a token character (RFC 9110 section 5.6.2). */
static int
mp_tchar(char c)
{

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Return 1 if the n bytes at s are UTF-8 without controls other than HTAB. */
static int
mp_line_ok(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return 0;
	return utf8_valid(s, n);
}

/* Move *s past spaces and tabs, not beyond e. */
static void
mp_ows(const char **s, const char *e)
{

	while (*s < e && (**s == ' ' || **s == '\t'))
		(*s)++;
}

/*
 * Read a parameter value at *sp (before e): a quoted string, where
 * only \" and \\ are escapes (other backslashes stay, as in Windows
 * paths), or a run of visible characters.  Copy it NUL-terminated into
 * out (outsz bytes) and move *sp past it.  Return 0, or -1 if it is
 * empty and unquoted, has no closing quote or does not fit.
 */
static int
mp_value(const char **sp, const char *e, char *out, size_t outsz)
{
	const char	*s = *sp;
	size_t		 o = 0;

	if (s < e && *s == '"') {
		for (s++; s < e && *s != '"'; s++) {
			if (*s == '\\' && e - s > 1 &&
			    (s[1] == '"' || s[1] == '\\'))
				s++;
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *s;
		}
		if (s == e)
			return -1;
		s++;
	} else {
		for (; s < e && (unsigned char)*s > ' ' && *s != 0x7f &&
		    *s != ';' && *s != '"' && *s != '\\'; s++) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *s;
		}
		if (o == 0)
			return -1;
	}
	out[o] = '\0';
	*sp = s;
	return 0;
}

/*
 * Read one "; name=value" parameter at *sp (before e), the name as a
 * span in *name and *nlen, the value into out.  Return 1 and move *sp
 * past it, 0 at the end (a trailing ';' is allowed), or -1 if it is
 * malformed.
 */
static int
mp_param(const char **sp, const char *e, const char **name, size_t *nlen,
    char *out, size_t outsz)
{
	const char	*s = *sp;

	mp_ows(&s, e);
	if (s == e)
		return 0;
	if (*s++ != ';')
		return -1;
	mp_ows(&s, e);
	if (s == e)
		return 0;
	for (*name = s; s < e && mp_tchar(*s); s++)
		continue;
	if ((*nlen = (size_t)(s - *name)) == 0)
		return -1;
	mp_ows(&s, e);
	if (s == e || *s++ != '=')
		return -1;
	mp_ows(&s, e);
	if (mp_value(&s, e, out, outsz) == -1)
		return -1;
	*sp = s;
	return 1;
}

/* Return 1 if the n bytes at b are a boundary allowed by RFC 2046. */
static int
mp_bchars_ok(const char *b, size_t n)
{
	size_t	 i;

	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++)
		if (!((b[i] >= 'a' && b[i] <= 'z') ||
		    (b[i] >= 'A' && b[i] <= 'Z') ||
		    (b[i] >= '0' && b[i] <= '9') ||
		    strchr("'()+_,-./:=? ", b[i]) != NULL))
			return 0;
	return 1;
}

/*
 * Take the boundary from the Content-Type value ct into m->delim as
 * CRLF "--" boundary.  Return 0, or -1 with the list's error set.
 */
static int
mp_boundary(struct mp *m, const char *ct)
{
	static const char	 type[] = "multipart/form-data";
	const char		*s, *e, *pn;
	char			 val[MP_LINE_MAX + 1];
	size_t			 n, pnl, blen = 0;
	int			 r;

	if (ct == NULL || (n = strnlen(ct, MP_LINE_MAX + 1)) > MP_LINE_MAX ||
	    !mp_line_ok(ct, n))
		return params_fail(m->p, 400, "bad or too long Content-Type");
	s = ct;
	e = ct + n;
	mp_ows(&s, e);
	if ((size_t)(e - s) < sizeof(type) - 1 ||
	    strncasecmp(s, type, sizeof(type) - 1) != 0)
		return params_fail(m->p, 400, "not multipart/form-data");
	s += sizeof(type) - 1;
	while ((r = mp_param(&s, e, &pn, &pnl, val, sizeof(val))) == 1) {
		if (!mp_ieq(pn, pnl, "boundary"))
			continue;
		if (blen != 0)
			return params_fail(m->p, 400,
			    "two boundary parameters");
		if (!mp_bchars_ok(val, blen = strlen(val)))
			return params_fail(m->p, 400, "invalid boundary");
		memcpy(m->delim + 4, val, blen);
	}
	if (r == -1)
		return params_fail(m->p, 400, "malformed Content-Type");
	if (blen == 0)
		return params_fail(m->p, 400, "no boundary in Content-Type");
	memcpy(m->delim, "\r\n--", 4);
	m->dlen = 4 + blen;
	return 0;
}

/*
 * Read the Content-Disposition value of a part (s before e) into h:
 * "form-data" with name and filename parameters, others ignored.
 * Return 0, or -1 with the list's error set.
 */
static int
mp_disposition(struct mp *m, struct mp_head *h, const char *s,
    const char *e)
{
	static const char	 fd[] = "form-data";
	const char		*pn;
	char			 val[MP_LINE_MAX + 1], *dst;
	size_t			 pnl;
	int			 r, *seen;

	if (h->disp)
		return params_fail(m->p, 400, "part %zu: two "
		    "Content-Disposition headers", m->part);
	h->disp = 1;
	if ((size_t)(e - s) < sizeof(fd) - 1 ||
	    strncasecmp(s, fd, sizeof(fd) - 1) != 0)
		return params_fail(m->p, 400, "part %zu: disposition is not "
		    "form-data", m->part);
	s += sizeof(fd) - 1;
	while ((r = mp_param(&s, e, &pn, &pnl, val, sizeof(val))) == 1) {
		if (mp_ieq(pn, pnl, "name")) {
			dst = h->name;
			seen = &h->hasname;
		} else if (mp_ieq(pn, pnl, "filename")) {
			dst = h->filename;
			seen = &h->hasfile;
		} else
			continue;
		if (*seen)
			return params_fail(m->p, 400, "part %zu: repeated "
			    "disposition parameter", m->part);
		*seen = 1;
		memcpy(dst, val, strlen(val) + 1);
	}
	if (r == -1)
		return params_fail(m->p, 400, "part %zu: malformed "
		    "Content-Disposition", m->part);
	return 0;
}

/*
 * Read one header line of a part (n bytes at s, CRLF excluded) into h.
 * Headers other than Content-Disposition and Content-Type are ignored.
 * Return 0, or -1 with the list's error set.
 */
static int
mp_header(struct mp *m, struct mp_head *h, const char *s, size_t n)
{
	const char	*colon, *v, *e = s + n;
	size_t		 i, namelen;

	colon = memchr(s, ':', n);
	namelen = colon != NULL ? (size_t)(colon - s) : 0;
	for (i = 0; i < namelen && mp_tchar(s[i]); i++)
		continue;
	if (!mp_line_ok(s, n) || namelen == 0 || i < namelen)
		return params_fail(m->p, 400, "part %zu: malformed header "
		    "line", m->part);
	v = colon + 1;
	mp_ows(&v, e);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (mp_ieq(s, namelen, "Content-Disposition"))
		return mp_disposition(m, h, v, e);
	if (!mp_ieq(s, namelen, "Content-Type"))
		return 0;
	if (h->hastype)
		return params_fail(m->p, 400, "part %zu: two Content-Type "
		    "headers", m->part);
	h->hastype = 1;
	memcpy(h->ctype, v, (size_t)(e - v));
	h->ctype[e - v] = '\0';
	return 0;
}

/*
 * Read the header lines of a part, from m->pos to the empty line, into
 * h.  Return 0 with m->pos at the part's first content byte, or -1.
 */
static int
mp_headers(struct mp *m, struct mp_head *h)
{
	const char	*line, *eol;
	size_t		 left, k;

	for (k = 0;; k++) {
		line = m->body + m->pos;
		left = m->n - m->pos;
		eol = left < 2 ? NULL : memmem(line,
		    left < MP_LINE_MAX + 2 ? left : MP_LINE_MAX + 2, "\r\n", 2);
		if (eol == NULL && left < MP_LINE_MAX + 2)
			return params_fail(m->p, 400, "part %zu: headers not "
			    "terminated", m->part);
		if (eol == NULL)
			return params_fail(m->p, 400, "part %zu: header line "
			    "over %d bytes", m->part, MP_LINE_MAX);
		m->pos += (size_t)(eol - line) + 2;
		if (eol == line)
			return 0;
		if (k == MP_HEADERS_MAX)
			return params_fail(m->p, 400, "part %zu: over %d "
			    "header lines", m->part, MP_HEADERS_MAX);
		if (mp_header(m, h, line, (size_t)(eol - line)) == -1)
			return -1;
	}
}

/* Check the headers of a part: return 0, or -1 with the error set. */
static int
mp_head_check(struct mp *m, const struct mp_head *h)
{

	if (!h->disp)
		return params_fail(m->p, 400, "part %zu: no "
		    "Content-Disposition", m->part);
	if (!h->hasname || h->name[0] == '\0')
		return params_fail(m->p, 400, "part %zu: no name", m->part);
	if (strlen(h->name) > m->lim->max_name)
		return params_fail(m->p, 413, "part %zu: name longer than "
		    "max_name (%zu)", m->part, m->lim->max_name);
	if (params_get(m->p, h->name) != NULL)
		return params_fail(m->p, 400, "part %zu: duplicate name",
		    m->part);
	return 0;
}

/*
 * Check the content of a part, len bytes at s: file parts may hold any
 * bytes, text parts must be UTF-8 without NUL.  Return 0, or -1.
 */
static int
mp_content_check(struct mp *m, const struct mp_head *h, const char *s,
    size_t len)
{

	if (h->hasfile && len > m->lim->max_file)
		return params_fail(m->p, 413, "part %zu: file longer than "
		    "max_file (%zu)", m->part, m->lim->max_file);
	if (!h->hasfile && len > m->lim->max_value)
		return params_fail(m->p, 413, "part %zu: value longer than "
		    "max_value (%zu)", m->part, m->lim->max_value);
	if (!h->hasfile && !utf8_valid(s, len))
		return params_fail(m->p, 400, "part %zu: invalid UTF-8 or "
		    "NUL", m->part);
	return 0;
}

/*
 * Parse the part starting at m->pos (past its delimiter line) and add
 * it to the list.  Return 0 with m->pos just past the next delimiter,
 * or -1 with the list emptied and its error set.
 */
static int
mp_part(struct mp *m)
{
	struct mp_head	 h;
	const char	*start, *end;
	char		*value;
	size_t		 len;

	m->part++;
	if (m->p->n >= m->lim->max_params)
		return params_fail(m->p, 413, "more than max_params (%zu) "
		    "parts", m->lim->max_params);
	memset(&h, 0, sizeof(h));
	if (mp_headers(m, &h) == -1 || mp_head_check(m, &h) == -1)
		return -1;
	start = m->body + m->pos;
	end = m->pos == m->n ? NULL :
	    memmem(start, m->n - m->pos, m->delim, m->dlen);
	if (end == NULL)
		return params_fail(m->p, 400, "part %zu: no closing boundary",
		    m->part);
	len = (size_t)(end - start);
	if (mp_content_check(m, &h, start, len) == -1)
		return -1;
	if (h.hasfile && m->lim->file_ref)
		value = (char *)start;
	else {
		value = xmalloc(len + 1);
		memcpy(value, start, len);
		value[len] = '\0';
	}
	params_push(m->p, xstrdup(h.name), value, len,
	    h.hasfile ? xstrdup(h.filename) : NULL,
	    h.hastype ? xstrdup(h.ctype) : NULL);
	m->p->v[m->p->n - 1].borrowed = h.hasfile && m->lim->file_ref;
	m->pos = (size_t)(end - m->body) + m->dlen;
	return 0;
}

/*
 * At m->pos, just past a "--boundary": return 1 if "--" closes the
 * body, 0 if transport padding and CRLF follow (m->pos moved past
 * them), or -1 with the error set.
 */
static int
mp_delim_end(struct mp *m)
{
	const char	*b = m->body;

	if (m->n - m->pos >= 2 && b[m->pos] == '-' && b[m->pos + 1] == '-')
		return 1;
	while (m->pos < m->n && (b[m->pos] == ' ' || b[m->pos] == '\t'))
		m->pos++;
	if (m->n - m->pos < 2 || b[m->pos] != '\r' || b[m->pos + 1] != '\n')
		return params_fail(m->p, 400, "malformed boundary line after "
		    "part %zu", m->part);
	m->pos += 2;
	return 0;
}

/*
 * Parse a multipart/form-data body of n bytes, its boundary taken from
 * the Content-Type value ct, into p (whose old content is freed).
 * Preamble and epilogue are ignored; lines end in CRLF only.  Return 0,
 * or -1 with p empty, p->status 400 or 413 and p->errmsg set.
 */
int
multipart_parse(struct params *p, const char *ct, const char *body,
    size_t n, const struct parse_limits *lim)
{
	struct mp	 m;
	const char	*first;
	int		 r;

	params_reset(p);
	memset(&m, 0, sizeof(m));
	m.p = p;
	m.lim = params_limits(lim);
	m.body = body;
	m.n = n;
	if (n > m.lim->max_total)
		return params_fail(p, 413, "input longer than max_total "
		    "(%zu)", m.lim->max_total);
	if (mp_boundary(&m, ct) == -1)
		return -1;
	if (n >= m.dlen - 2 && memcmp(body, m.delim + 2, m.dlen - 2) == 0)
		m.pos = m.dlen - 2;
	else if (n > 0 && (first = memmem(body, n, m.delim, m.dlen)) != NULL)
		m.pos = (size_t)(first - body) + m.dlen;
	else
		return params_fail(p, 400, "no boundary in body");
	while ((r = mp_delim_end(&m)) == 0)
		if (mp_part(&m) == -1)
			return -1;
	return r == 1 ? 0 : -1;
}
