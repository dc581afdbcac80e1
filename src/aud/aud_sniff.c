/* aud_sniff.c: read the start of an uploaded CSV with libcsv: refuse what is not text, detect the delimiter, keep the header and the first rows, and guess each column's contact field from its name. */
#include <ctype.h>
#include <string.h>

#include <csv.h>

#include "core/nls.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "aud_sniff.h"

/* What the parser's callbacks fill. */
struct sniff_ctx {
	struct aud_sniff	*s;
	char			*cells[AUD_SNIFF_COLS];
	size_t			 n;
	size_t			 extra;		/* cells past AUD_SNIFF_COLS */
	long long		 line;		/* current line of the file */
	long long		 start;		/* line the record began on */
	int			 header;	/* the header is read */
	int			 full;		/* enough rows: stop */
	int			 bad;		/* invalid UTF-8 in a cell */
};

/*
 * Column names a spreadsheet of contacts uses, in English and
 * Indonesian, for each target (docs/imports.md lists them). A name is
 * compared lower-cased, with spaces, dashes and dots read as '_'.
 */
static const struct {
	const char	*target;
	const char	*names[16];
} sniff_synonyms[] = {
	{ "phone", { "phone", "mobile", "whatsapp", "wa", "no_wa", "no_hp",
	    "nohp", "hp", "telepon", "telp", "no_telp", "nomor", "number",
	    "phone_number", "msisdn", "cell" } },
	{ "name", { "name", "nama", "full_name", "nama_lengkap", "contact",
	    "kontak", "customer", "pelanggan" } },
	{ "email", { "email", "e_mail", "mail", "surel", "alamat_email" } },
	{ "language", { "language", "lang", "bahasa" } },
	{ "notes", { "notes", "note", "catatan", "keterangan", "comment",
	    "komentar" } },
	{ "status", { "status", "subscription", "subscribed", "langganan",
	    "berlangganan" } },
	{ "consent_note", { "consent", "consent_source", "persetujuan",
	    "sumber" } },
	{ "tags", { "tags", "tag", "labels", "label", "group", "grup",
	    "kelompok" } },
};

/*
 * The target a column name suggests ("phone", "name", ...), or NULL
 * when none does.
 */
const char *
aud_sniff_target(const char *col)
{
	char	 key[64];
	size_t	 i, j, n = 0;

	for (; *col == ' ' && *col != '\0'; col++)
		;
	for (; *col != '\0' && n < sizeof(key) - 1; col++)
		key[n++] = (*col == ' ' || *col == '-' || *col == '.') ? '_' :
		    (char)tolower((unsigned char)*col);
	while (n > 0 && key[n - 1] == '_')
		n--;
	key[n] = '\0';
	for (i = 0; i < sizeof(sniff_synonyms) / sizeof(sniff_synonyms[0]);
	    i++)
		for (j = 0; j < 16 && sniff_synonyms[i].names[j] != NULL; j++)
			if (strcmp(key, sniff_synonyms[i].names[j]) == 0)
				return sniff_synonyms[i].target;
	return NULL;
}

/*
 * The delimiter of the first line: the one of ',', ';' and tab that
 * occurs most often outside quotes (',' when none does).
 */
char
aud_sniff_delim(const char *b, size_t n)
{
	size_t	 i, comma = 0, semi = 0, tab = 0;
	int	 quoted = 0;

	for (i = 0; i < n; i++) {
		if (b[i] == '"')
			quoted = !quoted;
		else if (!quoted && (b[i] == '\n' || b[i] == '\r'))
			break;
		else if (!quoted && b[i] == ',')
			comma++;
		else if (!quoted && b[i] == ';')
			semi++;
		else if (!quoted && b[i] == '\t')
			tab++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

/* libcsv trims only spaces: a tab may be the delimiter. */
static int
sniff_space(unsigned char c)
{
	return c == ' ';
}

/* A cell: keep it (cut at AUD_SNIFF_CELL bytes on a character edge). */
static void
sniff_cell(void *p, size_t len, void *data)
{
	struct sniff_ctx	*c = data;
	size_t			 keep = len;

	if (c->full)
		return;
	if (c->n == AUD_SNIFF_COLS) {
		c->extra++;
		return;
	}
	if (!utf8_valid(p, len))
		c->bad = 1;
	if (keep > AUD_SNIFF_CELL)
		keep = AUD_SNIFF_CELL;
	while (keep > 0 && keep < len &&
	    (((unsigned char *)p)[keep] & 0xc0) == 0x80)
		keep--;
	c->cells[c->n++] = xstrndup(p, keep);
}

/* Free the cells of the record being read. */
static void
sniff_drop(struct sniff_ctx *c)
{
	while (c->n > 0)
		free(c->cells[--c->n]);
	c->extra = 0;
}

/* The end of a record: the header first, then rows until the preview is full. */
static void
sniff_record(int term, void *data)
{
	struct sniff_ctx	*c = data;
	struct aud_sniff_row	*row;

	(void)term;
	if (c->full) {
		sniff_drop(c);
		return;
	}
	if (c->n == 1 && c->cells[0][0] == '\0') {
		sniff_drop(c);		/* an empty line */
		return;
	}
	if (!c->header) {
		memcpy(c->s->header, c->cells, c->n * sizeof(char *));
		c->s->ncols = c->n;
		c->header = c->extra == 0 ? 1 : -1;
		c->n = 0;
		return;
	}
	row = &c->s->rows[c->s->nrows++];
	memcpy(row->cells, c->cells, c->n * sizeof(char *));
	row->n = c->n;
	row->line = c->start;
	c->n = 0;
	if (c->s->nrows == AUD_SNIFF_ROWS)
		c->full = 1;
}

/*
 * Feed b[0..n) a line at a time, so each record knows the line it
 * began on; stop once the preview is full.
 */
static int
sniff_feed(struct csv_parser *p, struct sniff_ctx *c, const char *b,
    size_t n)
{
	size_t	 i = 0, e;

	while (i < n && !c->full) {
		for (e = i; e < n && b[e] != '\n'; e++)
			;
		if (e < n)
			e++;
		/* libcsv's public state: 0 (ROW_NOT_BEGUN) between records */
		if (c->n == 0 && p->pstate == 0)
			c->start = c->line;
		if (csv_parse(p, b + i, e - i, sniff_cell, sniff_record, c) !=
		    e - i)
			return -1;
		if (e > i && b[e - 1] == '\n')
			c->line++;
		i = e;
	}
	return 0;
}

/*
 * Whether the start of a file can be a CSV: no NUL byte, and valid
 * UTF-8 but for a character the cut at n may have split.
 */
static int
sniff_is_text(const char *b, size_t n, int complete)
{
	size_t	 cut = n;

	if (memchr(b, '\0', n) != NULL)
		return 0;
	if (!complete)
		while (cut > 0 && n - cut < 4 &&
		    ((unsigned char)b[cut - 1] & 0x80) != 0)
			cut--;
	return utf8_valid(b, cut);
}

/*
 * Read the first n bytes of a file (complete: they are the whole
 * file): its delimiter, header and up to AUD_SNIFF_ROWS rows. Returns
 * 0, or -1 with s->err saying why the file cannot be imported.
 */
int
aud_sniff(struct aud_sniff *s, const char *b, size_t n, int complete)
{
	struct csv_parser	 p;
	struct sniff_ctx	 c;
	int			 rc = 0;

	memset(s, 0, sizeof(*s));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.line = 1;
	s->complete = complete;
	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
		b += 3;
		n -= 3;
	}
	if (!sniff_is_text(b, n, complete)) {
		s->err = N_("This file is not a text file (CSV): save it from "
		    "your spreadsheet as CSV UTF-8 and upload that.");
		return -1;
	}
	s->delim = aud_sniff_delim(b, n);
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		s->err = N_("The file could not be read.");
		return -1;
	}
	csv_set_delim(&p, (unsigned char)s->delim);
	csv_set_space_func(&p, sniff_space);
	if (sniff_feed(&p, &c, b, n) == -1)
		rc = -1;
	else if (complete && !c.full)
		csv_fini(&p, sniff_cell, sniff_record, &c);
	sniff_drop(&c);
	csv_free(&p);
	if (rc == -1)
		s->err = N_("The file could not be read as CSV.");
	else if (s->ncols == 0)
		s->err = N_("The file is empty: its first line must name the "
		    "columns.");
	else if (c.header == -1)
		s->err = N_("The file has more than 100 columns.");
	else
		return 0;
	return -1;
}

/* Free what aud_sniff kept. */
void
aud_sniff_free(struct aud_sniff *s)
{
	size_t	 i, j;

	for (i = 0; i < s->ncols; i++)
		free(s->header[i]);
	for (i = 0; i < s->nrows; i++)
		for (j = 0; j < s->rows[i].n; j++)
			free(s->rows[i].cells[j]);
	memset(s, 0, sizeof(*s));
}
