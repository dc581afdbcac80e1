/* import_row.c: an import's column mapping, and each row of the file checked by the shared rules into a COPY row of import_rows or a reject with its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/contact_field.h"
#include "core/nls.h"
#include "core/phone.h"
#include "core/utf8.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "import.h"

const char *const imap_targets[IMAP__MAX] = {
	[IMAP_PHONE] = "phone",
	[IMAP_NAME] = "name",
	[IMAP_EMAIL] = "email",
	[IMAP_LANGUAGE] = "language",
	[IMAP_NOTES] = "notes",
	[IMAP_STATUS] = "status",
	[IMAP_CONSENT_NOTE] = "consent_note",
	[IMAP_TAGS] = "tags",
};

#define IMAP_COLS_MAX		10000	/* columns a mapping may point at */
#define IMPORT_VALUE_MAX	1000	/* code points of a reject's value */
#define IMPORT_COL_MAX		255	/* ... of a reject's column name */
#define CONSENT_NOTE_MAX	CONTACT_CONSENT_NOTE_MAX
#define TAG_NAME_MAX		CONTACT_TAG_NAME_MAX
#define TAGS_PER_CELL_MAX	1000

#define IMAP_NO_PHONE	N_("The column mapping has no phone column.")
#define IMAP_BAD	N_("The column mapping is not valid.")
#define IMAP_NO_FIELD	N_("The column mapping names a custom field that " \
	    "does not exist.")

/* The strings of a JSON array of strings, NULL-ended in *v. */
static size_t
imap_strings(struct json_object *a, char ***v)
{
	size_t	 i, n = json_object_is_type(a, json_type_array) ?
	    json_object_array_length(a) : 0;

	*v = xcalloc(n + 1, sizeof(**v));
	for (i = 0; i < n; i++)
		(*v)[i] = xstrdup(json_object_get_string(
		    json_object_array_get_idx(a, i)));
	return n;
}

/* The custom field key among the customer's fields ([{key,kind,choices}]). */
static int
imap_field(struct imap *m, struct json_object *defs, const char *key, int col)
{
	struct json_object	*d, *v;
	struct imap_field	*f;
	size_t			 i, n = json_object_array_length(defs);

	for (i = 0; i < n; i++) {
		d = json_object_array_get_idx(defs, i);
		if (!json_object_object_get_ex(d, "key", &v) ||
		    strcmp(json_object_get_string(v), key) != 0)
			continue;
		m->fields = xreallocarray(m->fields, m->nfields + 1,
		    sizeof(*m->fields));
		f = &m->fields[m->nfields++];
		f->key = xstrdup(key);
		f->col = col;
		json_object_object_get_ex(d, "kind", &v);
		f->kind = cfield_kind_parse(json_object_get_string(v));
		json_object_object_get_ex(d, "choices", &v);
		f->nchoices = imap_strings(v, &f->choices);
		return f->kind == (enum cfield_kind)-1 ? -1 : 0;
	}
	return -1;
}

/* One "target": column pair of the mapping. */
static const char *
imap_entry(struct imap *m, struct json_object *defs, const char *target,
    struct json_object *v)
{
	int	 col, t;

	if (!json_object_is_type(v, json_type_int) ||
	    (col = json_object_get_int(v)) < 0 || col >= IMAP_COLS_MAX)
		return IMAP_BAD;
	if ((size_t)col + 1 > m->ncols)
		m->ncols = (size_t)col + 1;
	if (strncmp(target, "field:", 6) == 0)
		return imap_field(m, defs, target + 6, col) == 0 ? NULL :
		    IMAP_NO_FIELD;
	for (t = 0; t < IMAP__MAX; t++)
		if (strcmp(target, imap_targets[t]) == 0) {
			m->col[t] = col;
			return NULL;
		}
	return IMAP_BAD;
}

/*
 * Read the mapping ({"phone": 0, "field:city": 3, ...}), the header
 * (a JSON array of names) and the customer's fields (a JSON array of
 * {key, kind, choices}) into m. 0, or -1 with *why (English, N_()).
 */
int
imap_parse(struct imap *m, const char *mapping, const char *header,
    const char *fields, const char **why)
{
	struct json_object	*map, *hdr, *defs;
	int			 t;

	*why = NULL;
	for (t = 0; t < IMAP__MAX; t++)
		m->col[t] = -1;
	map = json_tokener_parse(mapping);
	hdr = json_tokener_parse(header);
	defs = json_tokener_parse(fields);
	if (!json_object_is_type(map, json_type_object) ||
	    !json_object_is_type(defs, json_type_array))
		*why = IMAP_BAD;
	else {
		json_object_object_foreach(map, k, v) {
			if (*why == NULL)
				*why = imap_entry(m, defs, k, v);
		}
	}
	m->nheader = imap_strings(hdr, &m->header);
	if (*why == NULL && m->col[IMAP_PHONE] < 0)
		*why = IMAP_NO_PHONE;
	json_object_put(map);
	json_object_put(hdr);
	json_object_put(defs);
	return *why == NULL ? 0 : -1;
}

static void
imap_strv_free(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
imap_free(struct imap *m)
{
	size_t	 i;

	for (i = 0; i < m->nfields; i++) {
		free(m->fields[i].key);
		imap_strv_free(m->fields[i].choices);
	}
	free(m->fields);
	imap_strv_free(m->header);
	m->fields = NULL;
	m->header = NULL;
	m->nfields = m->nheader = 0;
}

/* ------------------------------------------------------------ COPY text */

/* s[0..n) as one field of COPY's text format. */
static void
copy_text(struct buf *b, const char *s, size_t n)
{
	size_t	 i, from = 0;
	char	 e;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\': e = '\\'; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		default: continue;
		}
		buf_append(b, s + from, i - from);
		buf_putc(b, '\\');
		buf_putc(b, e);
		from = i + 1;
	}
	buf_append(b, s + from, n - from);
}

/* A field (NULL when empty), then the separator. */
static void
copy_field(struct buf *b, const char *s, size_t n, char sep)
{
	if (n == 0)
		buf_puts(b, "\\N");
	else
		copy_text(b, s, n);
	buf_putc(b, sep);
}

/*
 * s[0..n) made storable, at most max code points: invalid UTF-8 and
 * NUL bytes become U+FFFD.
 */
static void
safe_text(struct buf *b, const char *s, size_t n, size_t max)
{
	size_t	 i = 0, len, count = 0;

	while (i < n && count < max) {
		for (len = 1; len <= 4 && i + len <= n; len++)
			if (utf8_valid(s + i, len))
				break;
		if (len > 4 || i + len > n) {
			buf_puts(b, "\xef\xbf\xbd");
			len = 1;
		} else
			buf_append(b, s + i, len);
		i += len;
		count++;
	}
}

/* ------------------------------------------------------------ rows */

/* A cell of the record, "" when the record is short of it. */
static const struct buf *
irow_cell(const struct csvr_record *rec, int col, size_t *n)
{
	static const struct buf	 empty = BUF_INIT;
	const struct buf	*b = col >= 0 && (size_t)col < rec->ncols ?
	    &rec->cols[col] : &empty;

	*n = b->len;
	return b;
}

static const char *
irow_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* Refuse the row: one reject line (line, column, value, reason). */
static void
irow_reject(const struct imap *m, struct irows *r,
    const struct csvr_record *rec, int col, const char *reason)
{
	const struct buf	*cell;
	const char		*name = "";
	size_t			 n;
	char			 line[24];

	if (col >= 0 && (size_t)col < m->nheader)
		name = m->header[col];
	cell = irow_cell(rec, col, &n);
	snprintf(line, sizeof(line), "%lld", (long long)rec->line);
	buf_printf(&r->rejects, "%s\t%s\t", r->job, line);
	buf_reset(&r->tmp);
	safe_text(&r->tmp, name, strlen(name), IMPORT_COL_MAX);
	copy_text(&r->rejects, irow_str(&r->tmp), r->tmp.len);
	buf_putc(&r->rejects, '\t');
	buf_reset(&r->tmp);
	safe_text(&r->tmp, irow_str(cell), n, IMPORT_VALUE_MAX);
	copy_text(&r->rejects, irow_str(&r->tmp), r->tmp.len);
	buf_printf(&r->rejects, "\t%s\n", reason);
	r->nrejects++;
	r->rejected++;
}

/* The first mapped column that is not UTF-8, or -1. */
static int
irow_utf8(const struct imap *m, const struct csvr_record *rec)
{
	const struct buf	*c;
	size_t			 i, n;

	for (i = 0; i < IMAP__MAX; i++) {
		c = irow_cell(rec, m->col[i], &n);
		if (m->col[i] >= 0 && !utf8_valid(irow_str(c), n))
			return m->col[i];
	}
	for (i = 0; i < m->nfields; i++) {
		c = irow_cell(rec, m->fields[i].col, &n);
		if (!utf8_valid(irow_str(c), n))
			return m->fields[i].col;
	}
	return -1;
}

/* The cell of target t, trimmed, in *s and *n (empty when unmapped). */
static void
irow_get(const struct imap *m, const struct csvr_record *rec, int t,
    const char **s, size_t *n)
{
	const struct buf	*c = irow_cell(rec, m->col[t], n);

	*s = irow_str(c);
	text_trim(s, n);
}

/*
 * The tags cell: names separated by ',' or ';', each trimmed, 1..50
 * characters of one line; as a COPY field of a text[] ({"a","b"}).
 * 0, or -1 when a name breaks the rules.
 */
static int
irow_tags(struct irows *r, const char *s, size_t n)
{
	size_t	 i = 0, len, k, count = 0;
	const char *t;

	buf_reset(&r->json);
	buf_putc(&r->json, '{');
	while (i < n) {
		t = s + i;
		for (len = 0; i + len < n && t[len] != ',' && t[len] != ';';
		    len++)
			;
		i += len + 1;
		text_trim(&t, &len);
		if (len == 0)
			continue;
		if (text_field_ok(t, len, TAG_NAME_MAX, 0, NULL) == -1 ||
		    ++count > TAGS_PER_CELL_MAX)
			return -1;
		if (count > 1)
			buf_putc(&r->json, ',');
		buf_putc(&r->json, '"');
		for (k = 0; k < len; k++) {
			if (t[k] == '"' || t[k] == '\\')
				buf_putc(&r->json, '\\');
			buf_putc(&r->json, t[k]);
		}
		buf_putc(&r->json, '"');
	}
	buf_putc(&r->json, '}');
	if (count == 0)
		buf_reset(&r->json);
	return 0;
}

/* The custom fields as a JSON object in r->json; the bad column or -1. */
static int
irow_fields(const struct imap *m, struct irows *r,
    const struct csvr_record *rec)
{
	const struct imap_field	*f;
	const struct buf	*c;
	const char		*why;
	size_t			 i, n, before;
	int			 any = 0;

	buf_reset(&r->json);
	buf_putc(&r->json, '{');
	for (i = 0; i < m->nfields; i++) {
		f = &m->fields[i];
		c = irow_cell(rec, f->col, &n);
		before = r->json.len;
		if (any)
			buf_putc(&r->json, ',');
		cfield_json_string(&r->json, f->key, strlen(f->key));
		buf_putc(&r->json, ':');
		if (cfield_value(f->kind, (const char *const *)f->choices,
		    f->nchoices, irow_str(c), n, &r->json, &why) == -1)
			return f->col;
		if (r->json.data[r->json.len - 1] == ':') {
			r->json.len = before;	/* empty: no value */
			r->json.data[before] = '\0';
		} else
			any = 1;
	}
	buf_putc(&r->json, '}');
	if (!any)
		buf_reset(&r->json);
	return -1;
}

/* A row's refusal: the column and the reason code. */
struct irow_bad {
	int		 col;
	const char	*reason;
};

static int
irow_bad(struct irow_bad *bad, int col, const char *reason)
{
	bad->col = col;
	bad->reason = reason;
	return -1;
}

/*
 * Check the name, e-mail, language, notes, status and consent note;
 * 0, or -1 with *bad.
 */
static int
irow_values(const struct imap *m, const struct csvr_record *rec,
    char email[EMAIL_MAX + 1], char lang[CONTACT_LANG_MAX + 1], int *status,
    struct irow_bad *bad)
{
	const char	*s;
	size_t		 n;

	irow_get(m, rec, IMAP_NAME, &s, &n);
	if (contact_name_check(s, n, NULL) == -1)
		return irow_bad(bad, m->col[IMAP_NAME], "name-invalid");
	irow_get(m, rec, IMAP_EMAIL, &s, &n);
	email[0] = '\0';
	if (n > 0 && email_normalize(s, n, email, NULL) == -1)
		return irow_bad(bad, m->col[IMAP_EMAIL], "email-invalid");
	irow_get(m, rec, IMAP_LANGUAGE, &s, &n);
	if (contact_language(s, n, lang, NULL) == -1)
		return irow_bad(bad, m->col[IMAP_LANGUAGE], "language-invalid");
	irow_get(m, rec, IMAP_NOTES, &s, &n);
	if (contact_notes_check(s, n, NULL) == -1)
		return irow_bad(bad, m->col[IMAP_NOTES], "notes-invalid");
	irow_get(m, rec, IMAP_STATUS, &s, &n);
	*status = n == 0 ? CSTATUS_UNKNOWN : contact_status(s, n, NULL);
	if (*status < 0)
		return irow_bad(bad, m->col[IMAP_STATUS], "status-invalid");
	irow_get(m, rec, IMAP_CONSENT_NOTE, &s, &n);
	if (text_field_ok(s, n, CONSENT_NOTE_MAX, 0, NULL) == -1)
		return irow_bad(bad, m->col[IMAP_CONSENT_NOTE],
		    "consent-note-invalid");
	return 0;
}

/* Write the staged row: job, line, phone, values, fields, status, tags. */
static void
irow_stage(const struct imap *m, struct irows *r,
    const struct csvr_record *rec, const char *phone, const char *email,
    const char *lang, int status, const struct buf *tags)
{
	const char	*s;
	size_t		 n;

	buf_printf(&r->rows, "%s\t%lld\t%s\t", r->job, (long long)rec->line,
	    phone);
	irow_get(m, rec, IMAP_NAME, &s, &n);
	copy_field(&r->rows, s, n, '\t');
	copy_field(&r->rows, email, strlen(email), '\t');
	copy_field(&r->rows, lang, strlen(lang), '\t');
	irow_get(m, rec, IMAP_NOTES, &s, &n);
	copy_field(&r->rows, s, n, '\t');
	copy_field(&r->rows, irow_str(&r->json), r->json.len, '\t');
	s = status == CSTATUS_UNKNOWN ? "" : contact_status_names[status];
	copy_field(&r->rows, s, strlen(s), '\t');
	irow_get(m, rec, IMAP_CONSENT_NOTE, &s, &n);
	copy_field(&r->rows, s, n, '\t');
	copy_field(&r->rows, irow_str(tags), tags->len, '\n');
	r->nrows++;
	r->staged++;
}

/*
 * Check one record's cells in order: UTF-8, the phone number, the other
 * values, the tags, the custom fields. 0, or -1 with *bad.
 */
static int
irow_cells(const struct imap *m, struct irows *r,
    const struct csvr_record *rec, char phone[PHONE_E164_MAX + 1],
    char email[EMAIL_MAX + 1], char lang[CONTACT_LANG_MAX + 1], int *status,
    struct irow_bad *bad)
{
	const char	*s;
	enum phone_why	 pw;
	size_t		 n;
	int		 col;

	if ((col = irow_utf8(m, rec)) >= 0)
		return irow_bad(bad, col, "utf8");
	irow_get(m, rec, IMAP_PHONE, &s, &n);
	if (phone_parse(s, n, m->country, PHONE_MOBILE, phone, &pw) == -1) {
		snprintf(r->reason, sizeof(r->reason), "phone-%s",
		    phone_why_code(pw));
		return irow_bad(bad, m->col[IMAP_PHONE], r->reason);
	}
	if (irow_values(m, rec, email, lang, status, bad) == -1)
		return -1;
	irow_get(m, rec, IMAP_TAGS, &s, &n);
	if (irow_tags(r, s, n) == -1)
		return irow_bad(bad, m->col[IMAP_TAGS], "tag-invalid");
	buf_reset(&r->tags);
	buf_append(&r->tags, irow_str(&r->json), r->json.len);
	if ((col = irow_fields(m, r, rec)) >= 0)
		return irow_bad(bad, col, "field-invalid");
	return 0;
}

/*
 * Check one record of the file (not the header) and append it to the
 * batch: a row of import_rows, or a reject with the column and reason.
 */
void
irow_check(const struct imap *m, struct irows *r,
    const struct csvr_record *rec)
{
	char		 phone[PHONE_E164_MAX + 1], email[EMAIL_MAX + 1];
	char		 lang[CONTACT_LANG_MAX + 1];
	struct irow_bad	 bad;
	int		 status;

	if (irow_cells(m, r, rec, phone, email, lang, &status, &bad) == -1)
		irow_reject(m, r, rec, bad.col, bad.reason);
	else
		irow_stage(m, r, rec, phone, email, lang, status, &r->tags);
}

/* Empty the batch's buffers (after they were sent). */
void
irows_clear(struct irows *r)
{
	buf_reset(&r->rows);
	buf_reset(&r->rejects);
	r->nrows = r->nrejects = 0;
}

void
irows_free(struct irows *r)
{
	buf_free(&r->rows);
	buf_free(&r->rejects);
	buf_free(&r->tmp);
	buf_free(&r->json);
	buf_free(&r->tags);
}
