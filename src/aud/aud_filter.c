/* aud_filter.c: the contact list's filter: parameters checked with reasons, the canonical query string, keyset cursors and the list and count statements. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "core/utf8.h"
#include "aud_filter.h"

const char *const aud_param_names[AUD_P__MAX] = {
	[AUD_P_Q] = "q", [AUD_P_ANY] = "any", [AUD_P_ALL] = "all",
	[AUD_P_STATUS] = "status", [AUD_P_FIELD] = "field",
	[AUD_P_EQ] = "eq", [AUD_P_MIN] = "min", [AUD_P_MAX] = "max",
	[AUD_P_FROM] = "from", [AUD_P_TO] = "to", [AUD_P_NEVER] = "never",
	[AUD_P_GROUP] = "group",
	[AUD_P_SORT] = "sort", [AUD_P_AFTER] = "after",
	[AUD_P_BEFORE] = "before",
};

const char *const aud_sort_names[AUD_SORT__MAX] = {
	[AUD_SORT_CREATED_DESC] = "created_desc",
	[AUD_SORT_CREATED_ASC] = "created_asc",
	[AUD_SORT_NAME_ASC] = "name_asc",
	[AUD_SORT_NAME_DESC] = "name_desc",
};

static const char *const aud_kind_names[AUD_KIND__MAX] = {
	[AUD_KIND_TEXT] = "text", [AUD_KIND_NUMBER] = "number",
	[AUD_KIND_DATE] = "date", [AUD_KIND_BOOLEAN] = "boolean",
	[AUD_KIND_CHOICE] = "choice",
};

/* The reasons, English (N_): the pages translate them. */
#define E_Q_LONG	N_("Search for at most 100 characters.")
#define E_Q_SHORT	N_("Type at least 3 characters to search.")
#define E_TEXT		N_("This value is not valid text.")
#define E_TAGS		N_("Choose tags from the list.")
#define E_TAGS_MANY	N_("Choose at most 50 tags.")
#define E_STATUS	N_("Choose subscribed, unsubscribed or unknown.")
#define E_FIELD		N_("Choose a custom field from the list.")
#define E_FVAL_LONG	N_("The value is too long (at most 200 characters).")
#define E_NOFIELD	N_("Choose the custom field this value is for.")
#define E_EQ_RANGE	N_("Give either a value or a range, not both.")
#define E_NUMBER	N_("Enter a number, such as 42 or 3.5.")
#define E_DATE		N_("Enter a date as YYYY-MM-DD.")
#define E_BOOLEAN	N_("Enter yes or no.")
#define E_RANGE_KIND	N_("A range works for number and date fields only.")
#define E_RANGE_ORDER	N_("The lowest value comes first.")
#define E_DAY		N_("Enter a day as YYYY-MM-DD.")
#define E_DAY_ORDER	N_("The first day comes before the last.")
#define E_NEVER		N_("Never messaged is on (1) or off.")
#define E_GROUP		N_("Choose a list from your contact groups.")
#define E_SORT		N_("Sort by created_desc, created_asc, name_asc or name_desc.")
#define E_CURSOR	N_("This page link is out of date: start from the first page.")
#define E_CURSORS	N_("Give one cursor, after or before.")

/* The statements; the list's parameters are AUD_FILTER_WHERE's, then
 * $18 and $19 a cursor's key and id, and $20 the gather's bound. */
enum {
	AUD_S_WALK_CREATED_DESC,	/* walk the sort's index (many matches) */
	AUD_S_WALK_CREATED_ASC,
	AUD_S_WALK_NAME_ASC,
	AUD_S_WALK_NAME_DESC,
	AUD_S_GATHER_CREATED_DESC,	/* gather the matches, count, sort */
	AUD_S_GATHER_CREATED_ASC,
	AUD_S_GATHER_NAME_ASC,
	AUD_S_GATHER_NAME_DESC,
	AUD_S_BWALK_CREATED_DESC,	/* walk at most $20 entries of it */
	AUD_S_BWALK_CREATED_ASC,
	AUD_S_BWALK_NAME_ASC,
	AUD_S_BWALK_NAME_DESC,
	AUD_S_SPAN_CREATED_DESC,	/* how many entries that walk had */
	AUD_S_SPAN_CREATED_ASC,
	AUD_S_SPAN_NAME_ASC,
	AUD_S_SPAN_NAME_DESC,
	AUD_S_FIRST_CREATED_DESC,	/* the whole list's first page */
	AUD_S_FIRST_CREATED_ASC,
	AUD_S_FIRST_NAME_ASC,
	AUD_S_FIRST_NAME_DESC,
	AUD_S_COUNT,
	AUD_S_PLAN_CUSTOM,
	AUD_S_PLAN_WALK,
	AUD_S_PLAN_AUTO,
	AUD_S__MAX
};

enum { ACN_N, ACN__MAX };
enum { APW_MODE, APW_BITMAP, APW_SORT, APW__MAX };

/* The row of a list page (enum aud_col) from contacts c and users u.
 * The sort key of the created orders is the creation time in
 * microseconds since 1970 (exact). */
#define AUD_COLS \
	"c.id, c.phone, c.name, c.email, c.status, c.tags::text AS tags, " \
	"to_char(c.created_at AT TIME ZONE u.time_zone, " \
	"'YYYY-MM-DD HH24:MI') AS created, to_char(c.created_at AT TIME ZONE " \
	"'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_iso, " \
	"coalesce(to_char(greatest(c.last_in_at, c.last_out_at) AT TIME ZONE " \
	"u.time_zone, 'YYYY-MM-DD HH24:MI'), '') AS last, " \
	"coalesce(to_char(greatest(c.last_in_at, c.last_out_at) AT TIME ZONE " \
	"'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS last_iso, "
#define AUD_MICROS \
	"(extract(epoch FROM c.created_at) * 1000000)::bigint"
#define AUD_NAMEKEY	"lower(c.name)"
#define AUD_COL_NAMES \
	DB_COLS(AC__MAX, [AC_ID] = "id", [AC_PHONE] = "phone", \
	[AC_NAME] = "name", [AC_EMAIL] = "email", [AC_STATUS] = "status", \
	[AC_TAGS] = "tags", [AC_CREATED] = "created", \
	[AC_CREATED_ISO] = "created_iso", [AC_LAST] = "last", \
	[AC_LAST_ISO] = "last_iso", [AC_KEY] = "sort_key", \
	[AC_TOTAL] = "total")

/*
 * Walk: a page and one row more past the cursor in the order of the
 * index on (customer_id, col, id); key is the cursor's form of col,
 * at its value of the cursor's key $18.
 */
#define AUD_WALK(name, col, key, at, op, ord) { name, \
	"SELECT " AUD_COLS key " AS sort_key, NULL::bigint AS total " \
	"FROM contacts c JOIN users u ON u.id = c.customer_id WHERE " \
	AUD_FILTER_WHERE "AND ($19::bigint IS NULL OR (" col ", c.id) " op \
	" (" at ", $19::bigint)) ORDER BY " col " " ord ", c.id " ord \
	" LIMIT 51", 19, DB_RETRY, AUD_COL_NAMES }
#define AUD_AT_MICROS \
	"('epoch'::timestamptz + $18::bigint * interval '1 microsecond')"
#define AUD_AT_MICROS_2 \
	"('epoch'::timestamptz + $2::bigint * interval '1 microsecond')"

/*
 * Gather: the matches (at most $20, none for all), by the filters'
 * indexes; their number, and a page and one row more of them past the
 * cursor, sorted. Always one row: with no page, its columns are NULL.
 */
#define AUD_GATHER(name, key, cast, op, ord) { name, \
	"WITH m AS MATERIALIZED (SELECT c.id, " key " AS k FROM contacts c " \
	"WHERE " AUD_FILTER_WHERE "LIMIT $20::bigint), " \
	"p AS (SELECT m.id, m.k FROM m WHERE ($19::bigint IS NULL OR " \
	"(m.k, m.id) " op " ($18::" cast ", $19::bigint)) " \
	"ORDER BY m.k " ord ", m.id " ord " LIMIT 51) " \
	"SELECT " AUD_COLS "p.k AS sort_key, t.total " \
	"FROM (SELECT count(*) AS total FROM m) t LEFT JOIN (p " \
	"JOIN contacts c ON c.id = p.id JOIN users u ON u.id = c.customer_id) " \
	"ON true ORDER BY p.k " ord ", p.id " ord, 20, DB_RETRY, \
	AUD_COL_NAMES }

/*
 * Bounded walk: the same, over at most $20 entries of the sort's index
 * past the cursor (the subquery's LIMIT keeps the filters out of it).
 * Span: how many entries that was ($1 customer, $2 $3 the cursor's key
 * and id, $4 the bound): fewer than $4 when the walk met the list's end.
 */
#define AUD_BWALK_FROM(col, at, op, ord, p1, pid, pn) \
	"FROM (SELECT c.*, " col " AS wk FROM contacts c WHERE " \
	"c.customer_id = " p1 "::bigint AND (" pid "::bigint IS NULL OR (" \
	col ", c.id) " op " (" at ", " pid "::bigint)) ORDER BY " col " " \
	ord ", c.id " ord " LIMIT " pn "::bigint) c "
#define AUD_BWALK(name, col, key, at, op, ord) { name, \
	"SELECT " AUD_COLS key " AS sort_key, NULL::bigint AS total " \
	AUD_BWALK_FROM(col, at, op, ord, "$1", "$19", "$20") \
	"JOIN users u ON u.id = c.customer_id WHERE " AUD_FILTER_WHERE \
	"ORDER BY c.wk " ord ", c.id " ord " LIMIT 51", 20, DB_RETRY, \
	AUD_COL_NAMES }
#define AUD_SPAN(name, col, at, op, ord) { name, \
	"SELECT count(*) AS n " \
	AUD_BWALK_FROM(col, at, op, ord, "$1", "$3", "$4"), 4, \
	DB_RETRY, DB_COLS(ACN__MAX, [ACN_N] = "n") }

/*
 * First: the whole list's first page ($1 the customer alone), the most
 * asked page; one plan for every customer (no custom plan to make per
 * request, no settings around it).
 */
#define AUD_FIRST(name, col, key, ord) { name, \
	"SELECT " AUD_COLS key " AS sort_key, NULL::bigint AS total " \
	"FROM contacts c JOIN users u ON u.id = c.customer_id WHERE " \
	"c.customer_id = $1::bigint ORDER BY " col " " ord ", c.id " ord \
	" LIMIT 51", 1, DB_RETRY, AUD_COL_NAMES }

#define AUD_SET(k, v) "set_config('" k "', '" v "', false)"

static const struct stmt aud_sql[AUD_S__MAX] = {
	[AUD_S_WALK_CREATED_DESC] = AUD_WALK("aud.walk_created_desc",
	    "c.created_at", AUD_MICROS, AUD_AT_MICROS, "<", "DESC"),
	[AUD_S_WALK_CREATED_ASC] = AUD_WALK("aud.walk_created_asc",
	    "c.created_at", AUD_MICROS, AUD_AT_MICROS, ">", "ASC"),
	[AUD_S_WALK_NAME_ASC] = AUD_WALK("aud.walk_name_asc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "$18::text", ">", "ASC"),
	[AUD_S_WALK_NAME_DESC] = AUD_WALK("aud.walk_name_desc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "$18::text", "<", "DESC"),
	[AUD_S_GATHER_CREATED_DESC] = AUD_GATHER("aud.gather_created_desc",
	    AUD_MICROS, "bigint", "<", "DESC"),
	[AUD_S_GATHER_CREATED_ASC] = AUD_GATHER("aud.gather_created_asc",
	    AUD_MICROS, "bigint", ">", "ASC"),
	[AUD_S_GATHER_NAME_ASC] = AUD_GATHER("aud.gather_name_asc",
	    AUD_NAMEKEY, "text", ">", "ASC"),
	[AUD_S_GATHER_NAME_DESC] = AUD_GATHER("aud.gather_name_desc",
	    AUD_NAMEKEY, "text", "<", "DESC"),
	[AUD_S_BWALK_CREATED_DESC] = AUD_BWALK("aud.bwalk_created_desc",
	    "c.created_at", AUD_MICROS, AUD_AT_MICROS, "<", "DESC"),
	[AUD_S_BWALK_CREATED_ASC] = AUD_BWALK("aud.bwalk_created_asc",
	    "c.created_at", AUD_MICROS, AUD_AT_MICROS, ">", "ASC"),
	[AUD_S_BWALK_NAME_ASC] = AUD_BWALK("aud.bwalk_name_asc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "$18::text", ">", "ASC"),
	[AUD_S_BWALK_NAME_DESC] = AUD_BWALK("aud.bwalk_name_desc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "$18::text", "<", "DESC"),
	[AUD_S_SPAN_CREATED_DESC] = AUD_SPAN("aud.span_created_desc",
	    "c.created_at", AUD_AT_MICROS_2, "<", "DESC"),
	[AUD_S_SPAN_CREATED_ASC] = AUD_SPAN("aud.span_created_asc",
	    "c.created_at", AUD_AT_MICROS_2, ">", "ASC"),
	[AUD_S_SPAN_NAME_ASC] = AUD_SPAN("aud.span_name_asc",
	    AUD_NAMEKEY, "$2::text", ">", "ASC"),
	[AUD_S_SPAN_NAME_DESC] = AUD_SPAN("aud.span_name_desc",
	    AUD_NAMEKEY, "$2::text", "<", "DESC"),
	[AUD_S_FIRST_CREATED_DESC] = AUD_FIRST("aud.first_created_desc",
	    "c.created_at", AUD_MICROS, "DESC"),
	[AUD_S_FIRST_CREATED_ASC] = AUD_FIRST("aud.first_created_asc",
	    "c.created_at", AUD_MICROS, "ASC"),
	[AUD_S_FIRST_NAME_ASC] = AUD_FIRST("aud.first_name_asc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "ASC"),
	[AUD_S_FIRST_NAME_DESC] = AUD_FIRST("aud.first_name_desc",
	    AUD_NAMEKEY, AUD_NAMEKEY, "DESC"),
	/* The matches, counted up to AUD_COUNT_MAX and one more. */
	[AUD_S_COUNT] = { "aud.count",
	    "SELECT count(*) AS n FROM (SELECT 1 FROM contacts c WHERE "
	    AUD_FILTER_WHERE "LIMIT 10001) x", AUD_NPARAMS, DB_RETRY,
	    DB_COLS(ACN__MAX, [ACN_N] = "n") },
	/* The optional predicates fold away only in a custom plan. */
	[AUD_S_PLAN_CUSTOM] = { "aud.plan_custom",
	    "SELECT " AUD_SET("plan_cache_mode", "force_custom_plan")
	    " AS mode, " AUD_SET("enable_bitmapscan", "on") " AS bitmap, "
	    AUD_SET("enable_sort", "on") " AS sort", 0, DB_RETRY,
	    DB_COLS(APW__MAX, [APW_MODE] = "mode", [APW_BITMAP] = "bitmap",
	    [APW_SORT] = "sort") },
	/* Many matches: walk the sort's index, whatever the estimates. */
	[AUD_S_PLAN_WALK] = { "aud.plan_walk",
	    "SELECT " AUD_SET("plan_cache_mode", "force_custom_plan")
	    " AS mode, " AUD_SET("enable_bitmapscan", "off") " AS bitmap, "
	    AUD_SET("enable_sort", "off") " AS sort", 0, DB_RETRY,
	    DB_COLS(APW__MAX, [APW_MODE] = "mode", [APW_BITMAP] = "bitmap",
	    [APW_SORT] = "sort") },
	[AUD_S_PLAN_AUTO] = { "aud.plan_auto",
	    "SELECT " AUD_SET("plan_cache_mode", "auto") " AS mode, "
	    AUD_SET("enable_bitmapscan", "on") " AS bitmap, "
	    AUD_SET("enable_sort", "on") " AS sort", 0, DB_RETRY,
	    DB_COLS(APW__MAX, [APW_MODE] = "mode", [APW_BITMAP] = "bitmap",
	    [APW_SORT] = "sort") },
};

const struct stmt_set aud_filter_stmts = STMT_SET(aud_sql);

#undef AUD_COLS
#undef AUD_MICROS
#undef AUD_NAMEKEY
#undef AUD_COL_NAMES
#undef AUD_WALK
#undef AUD_AT_MICROS
#undef AUD_GATHER
#undef AUD_BWALK_FROM
#undef AUD_BWALK
#undef AUD_SPAN
#undef AUD_FIRST
#undef AUD_AT_MICROS_2
#undef AUD_SET

void
aud_filter_init(struct aud_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->sort = AUD_SORT_CREATED_DESC;
}

/* Record why parameter p is refused; returns -1. */
static int
aud_fail(struct aud_filter *f, enum aud_param p, const char *why)
{
	if (f->err[p] == NULL)
		f->nerr++;
	f->err[p] = why;
	return -1;
}

/* Copy s trimmed of ASCII spaces into dst (room bytes): 0, or -1 if too long. */
static int
aud_copy(char *dst, size_t room, const char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= room)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* Code points of valid UTF-8 s. */
static size_t
aud_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A positive decimal id of at most 18 digits; 0 when it is none. */
static int64_t
aud_id(const char *s, size_t n)
{
	int64_t	 v = 0;
	size_t	 i;

	if (n == 0 || n > 18 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Add id to a tag list without repeating it: 0, or -1 when full. */
static int
aud_tag_add(int64_t *v, size_t *n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (v[i] == id)
			return 0;
	if (*n == AUD_TAGS_MAX)
		return -1;
	v[(*n)++] = id;
	return 0;
}

/* "3,5,8" into a tag list. */
static int
aud_set_tags(struct aud_filter *f, enum aud_param p, const char *s)
{
	int64_t		*v = p == AUD_P_ANY ? f->any : f->all;
	size_t		*n = p == AUD_P_ANY ? &f->nany : &f->nall;
	const char	*e;
	int64_t		 id;

	while (*s != '\0') {
		e = s + strcspn(s, ",");
		if ((id = aud_id(s, (size_t)(e - s))) == 0)
			return aud_fail(f, p, E_TAGS);
		if (aud_tag_add(v, n, id) == -1)
			return aud_fail(f, p, E_TAGS_MANY);
		s = *e == ',' ? e + 1 : e;
	}
	return 0;
}

/* "any.<id>" or "all.<id>": one checkbox of the page's form. */
static int
aud_set_tag_box(struct aud_filter *f, const char *name)
{
	enum aud_param	 p = name[1] == 'n' ? AUD_P_ANY : AUD_P_ALL;
	int64_t		 id = aud_id(name + 4, strlen(name + 4));

	if (id == 0)
		return aud_fail(f, p, E_TAGS);
	if (aud_tag_add(p == AUD_P_ANY ? f->any : f->all, p == AUD_P_ANY ?
	    &f->nany : &f->nall, id) == -1)
		return aud_fail(f, p, E_TAGS_MANY);
	return 0;
}

/* 1 when s is a day YYYY-MM-DD that exists. */
static int
aud_day_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
}

/* A sort's name. */
static int
aud_sort_parse(const char *s)
{
	int	 i;

	for (i = 0; i < AUD_SORT__MAX; i++)
		if (strcmp(s, aud_sort_names[i]) == 0)
			return i;
	return -1;
}

/* A custom field's key as sql/0012 allows it. */
static int
aud_key_ok(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > AUD_KEY_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The parameter named name, or AUD_P__MAX. */
static enum aud_param
aud_param_of(const char *name)
{
	int	 i;

	for (i = 0; i < AUD_P__MAX; i++)
		if (strcmp(name, aud_param_names[i]) == 0)
			return i;
	return AUD_P__MAX;
}

/* A free-text parameter: search or a field's value. */
static int
aud_set_text(struct aud_filter *f, enum aud_param p, const char *v)
{
	char	*dst = p == AUD_P_Q ? f->q : p == AUD_P_EQ ? f->eq :
		    p == AUD_P_MIN ? f->min : f->max;
	size_t	 room = p == AUD_P_Q ? sizeof(f->q) : sizeof(f->eq);

	if (aud_copy(dst, room, v) == -1)
		return aud_fail(f, p, p == AUD_P_Q ? E_Q_LONG : E_FVAL_LONG);
	if (p == AUD_P_Q && aud_chars(dst) > AUD_Q_MAX) {
		*dst = '\0';
		return aud_fail(f, p, E_Q_LONG);
	}
	if (p == AUD_P_Q && aud_chars(dst) < AUD_Q_MIN) {
		*dst = '\0';
		return aud_fail(f, p, E_Q_SHORT);
	}
	return 0;
}

/* The cursor parameters. */
static int
aud_set_cursor(struct aud_filter *f, enum aud_param p, const char *v)
{
	struct aud_cursor	*c = p == AUD_P_AFTER ? &f->after : &f->before;

	/* Checked against the sort in aud_filter_check (any order). */
	if (aud_cursor_decode(v, AUD_SORT__MAX, c) == -1)
		return aud_fail(f, p, E_CURSOR);
	*(p == AUD_P_AFTER ? &f->has_after : &f->has_before) = 1;
	return 0;
}

/* The parameters that are one word or day. */
static int
aud_set_word(struct aud_filter *f, enum aud_param p, const char *v)
{
	int	 s;

	switch (p) {
	case AUD_P_STATUS:
		if (strcmp(v, "subscribed") != 0 && strcmp(v, "unsubscribed")
		    != 0 && strcmp(v, "unknown") != 0)
			return aud_fail(f, p, E_STATUS);
		snprintf(f->status, sizeof(f->status), "%s", v);
		return 0;
	case AUD_P_FIELD:
		if (!aud_key_ok(v))
			return aud_fail(f, p, E_FIELD);
		snprintf(f->field, sizeof(f->field), "%s", v);
		return 0;
	case AUD_P_FROM:
	case AUD_P_TO:
		if (!aud_day_ok(v))
			return aud_fail(f, p, E_DAY);
		snprintf(p == AUD_P_FROM ? f->from : f->to, sizeof(f->from),
		    "%s", v);
		return 0;
	case AUD_P_NEVER:
		if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
			return aud_fail(f, p, E_NEVER);
		f->never = v[0] == '1';
		return 0;
	case AUD_P_GROUP:
		if ((f->group = aud_id(v, strlen(v))) == 0)
			return aud_fail(f, p, E_GROUP);
		return 0;
	default:
		if ((s = aud_sort_parse(v)) == -1)
			return aud_fail(f, p, E_SORT);
		f->sort = s;
		return 0;
	}
}

int
aud_filter_set(struct aud_filter *f, const char *name, const char *value)
{
	enum aud_param	 p;

	if ((strncmp(name, "any.", 4) == 0 || strncmp(name, "all.", 4) == 0))
		return aud_set_tag_box(f, name);
	if ((p = aud_param_of(name)) == AUD_P__MAX)
		return 1;
	if (!utf8_valid(value, strlen(value)))
		return aud_fail(f, p, E_TEXT);
	/* An empty value is an unset filter: what a form sends. */
	if (*value == '\0')
		return 0;
	switch (p) {
	case AUD_P_Q:
	case AUD_P_EQ:
	case AUD_P_MIN:
	case AUD_P_MAX:
		return aud_set_text(f, p, value);
	case AUD_P_ANY:
	case AUD_P_ALL:
		return aud_set_tags(f, p, value);
	case AUD_P_AFTER:
	case AUD_P_BEFORE:
		return aud_set_cursor(f, p, value);
	default:
		return aud_set_word(f, p, value);
	}
}

void
aud_filter_fail(struct aud_filter *f, enum aud_param p)
{
	aud_fail(f, p, p == AUD_P_FIELD ? E_FIELD : p == AUD_P_ANY ||
	    p == AUD_P_ALL ? E_TAGS : p == AUD_P_GROUP ? E_GROUP : E_TEXT);
}

int
aud_filter_check(struct aud_filter *f)
{
	if (f->field[0] == '\0' && (f->eq[0] != '\0' || f->min[0] != '\0' ||
	    f->max[0] != '\0'))
		aud_fail(f, AUD_P_FIELD, E_NOFIELD);
	if (f->eq[0] != '\0' && (f->min[0] != '\0' || f->max[0] != '\0'))
		aud_fail(f, AUD_P_EQ, E_EQ_RANGE);
	/* YYYY-MM-DD compares as text. */
	if (f->from[0] != '\0' && f->to[0] != '\0' &&
	    strcmp(f->from, f->to) > 0)
		aud_fail(f, AUD_P_TO, E_DAY_ORDER);
	if (f->has_after && f->has_before)
		aud_fail(f, AUD_P_BEFORE, E_CURSORS);
	if (f->has_after && f->after.sort != f->sort)
		aud_fail(f, AUD_P_AFTER, E_CURSOR);
	if (f->has_before && f->before.sort != f->sort)
		aud_fail(f, AUD_P_BEFORE, E_CURSOR);
	return f->nerr > 0 ? -1 : 0;
}

int
aud_kind_parse(const char *s)
{
	int	 i;

	for (i = 0; i < AUD_KIND__MAX; i++)
		if (strcmp(s, aud_kind_names[i]) == 0)
			return i;
	return -1;
}

/* A JSON number as a person types it: -12, 3.5 (no exponent, no hex). */
static int
aud_number_ok(const char *s)
{
	int	 digits = 0, dot = 0;

	if (*s == '-')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !dot && digits > 0)
			dot = 1;
		else
			return 0;
	}
	return digits > 0 && s[-1] != '.' && digits <= 30;
}

/* A value of a field of kind k: 1 when it is well formed. */
static int
aud_value_ok(enum aud_kind k, const char *v)
{
	switch (k) {
	case AUD_KIND_NUMBER:
		return aud_number_ok(v);
	case AUD_KIND_DATE:
		return aud_day_ok(v);
	case AUD_KIND_BOOLEAN:
		return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
	default:
		return 1;
	}
}

static const char *
aud_kind_err(enum aud_kind k)
{
	return k == AUD_KIND_NUMBER ? E_NUMBER : k == AUD_KIND_DATE ? E_DATE :
	    E_BOOLEAN;
}

int
aud_filter_kind(struct aud_filter *f, enum aud_kind k)
{
	int	 range = k == AUD_KIND_NUMBER || k == AUD_KIND_DATE;

	f->kind = k;
	f->kind_set = 1;
	if (f->eq[0] != '\0' && !aud_value_ok(k, f->eq))
		aud_fail(f, AUD_P_EQ, aud_kind_err(k));
	if ((f->min[0] != '\0' || f->max[0] != '\0') && !range)
		aud_fail(f, AUD_P_MIN, E_RANGE_KIND);
	else {
		if (f->min[0] != '\0' && !aud_value_ok(k, f->min))
			aud_fail(f, AUD_P_MIN, aud_kind_err(k));
		if (f->max[0] != '\0' && !aud_value_ok(k, f->max))
			aud_fail(f, AUD_P_MAX, aud_kind_err(k));
	}
	if (f->err[AUD_P_MIN] == NULL && f->err[AUD_P_MAX] == NULL &&
	    f->min[0] != '\0' && f->max[0] != '\0' && (k == AUD_KIND_DATE ?
	    strcmp(f->min, f->max) > 0 : strtod(f->min, NULL) >
	    strtod(f->max, NULL)))
		aud_fail(f, AUD_P_MAX, E_RANGE_ORDER);
	return f->nerr > 0 ? -1 : 0;
}

int
aud_filter_group_only(const struct aud_filter *f)
{
	struct aud_filter	 g = *f;

	g.group = 0;
	g.status[0] = '\0';
	return f->group > 0 && aud_filter_empty(&g);
}

int
aud_filter_empty(const struct aud_filter *f)
{
	return f->q[0] == '\0' && f->nany == 0 && f->nall == 0 &&
	    f->status[0] == '\0' && f->field[0] == '\0' && f->from[0] == '\0'
	    && f->to[0] == '\0' && !f->never && f->group == 0;
}

/* Percent-encode s as a query value (RFC 3986 unreserved and commas kept). */
static void
aud_url_value(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == ',')
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 0xf]);
	}
}

static void
aud_query_arg(struct buf *b, enum aud_param p, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	if (b->len > 0 && b->data[b->len - 1] != '&' &&
	    b->data[b->len - 1] != '?')
		buf_putc(b, '&');
	buf_printf(b, "%s=", aud_param_names[p]);
	aud_url_value(b, v);
}

static void
aud_query_tags(struct buf *b, enum aud_param p, const int64_t *v, size_t n)
{
	struct buf	 t = BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_printf(&t, "%s%lld", i > 0 ? "," : "", (long long)v[i]);
	aud_query_arg(b, p, buf_str(&t));
	buf_free(&t);
}

void
aud_filter_query(const struct aud_filter *f, struct buf *b)
{
	char	 group[24];

	buf_puts(b, "");
	aud_query_arg(b, AUD_P_Q, f->q);
	aud_query_tags(b, AUD_P_ANY, f->any, f->nany);
	aud_query_tags(b, AUD_P_ALL, f->all, f->nall);
	aud_query_arg(b, AUD_P_STATUS, f->status);
	aud_query_arg(b, AUD_P_FIELD, f->field);
	aud_query_arg(b, AUD_P_EQ, f->eq);
	aud_query_arg(b, AUD_P_MIN, f->min);
	aud_query_arg(b, AUD_P_MAX, f->max);
	aud_query_arg(b, AUD_P_FROM, f->from);
	aud_query_arg(b, AUD_P_TO, f->to);
	aud_query_arg(b, AUD_P_NEVER, f->never ? "1" : NULL);
	snprintf(group, sizeof(group), "%lld", (long long)f->group);
	aud_query_arg(b, AUD_P_GROUP, f->group > 0 ? group : NULL);
	aud_query_arg(b, AUD_P_SORT, f->sort != AUD_SORT_CREATED_DESC ?
	    aud_sort_names[f->sort] : NULL);
}

/* FNV-1a, 32 bits: the cursor's check against edits and truncation. */
static uint32_t
aud_fnv(const char *s, size_t n)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static const char aud_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url without padding. */
static void
aud_b64_put(struct buf *b, const char *s, size_t n)
{
	unsigned long	 v;
	size_t		 i, k;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)(unsigned char)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)(unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		for (k = 0; k < 4 && k <= n - i; k++)
			buf_putc(b, aud_b64[(v >> (18 - 6 * k)) & 0x3f]);
	}
}

/* Decode base64url into out (room bytes): its length, or -1. */
static long
aud_b64_get(const char *s, char *out, size_t room)
{
	unsigned long	 v = 0;
	size_t		 bits = 0, n = 0;
	const char	*p;

	for (; *s != '\0'; s++) {
		if ((p = strchr(aud_b64, *s)) == NULL)
			return -1;
		v = (v << 6) | (unsigned long)(p - aud_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == room)
				return -1;
			out[n++] = (char)((v >> bits) & 0xff);
		}
	}
	/* Leftover bits must be zero padding of fewer than 8 bits. */
	if ((v & ((1ul << bits) - 1)) != 0)
		return -1;
	return (long)n;
}

/* The payload "<sort>.<id>.<key>", then ".<fnv hex>", base64url. */
void
aud_cursor_encode(enum aud_sort sort, int64_t id, const char *key,
    struct buf *b)
{
	struct buf	 p = BUF_INIT;

	buf_printf(&p, "%d.%lld.%s", (int)sort, (long long)id, key);
	buf_printf(&p, ".%08x", (unsigned)aud_fnv(p.data, p.len));
	aud_b64_put(b, p.data, p.len);
	buf_free(&p);
}

/* The key of a sort: an integer (micros) or a name's lower case. */
static int
aud_cursor_key_ok(enum aud_sort sort, const char *k, size_t n)
{
	size_t	 i = k[0] == '-' ? 1 : 0;

	if (sort == AUD_SORT_NAME_ASC || sort == AUD_SORT_NAME_DESC)
		return n <= AUD_NAMEKEY_MAX && memchr(k, '\0', n) == NULL &&
		    utf8_valid(k, n);
	if (n == i || n - i > 18)
		return 0;
	for (; i < n; i++)
		if (k[i] < '0' || k[i] > '9')
			return 0;
	return 1;
}

/* Split payload p (n bytes, its check removed) into c: 0 or -1. */
static int
aud_cursor_fields(const char *p, size_t n, struct aud_cursor *c)
{
	const char	*d1, *d2, *end = p + n;

	if ((d1 = memchr(p, '.', n)) == NULL || d1 - p != 1 ||
	    p[0] < '0' || p[0] >= '0' + AUD_SORT__MAX)
		return -1;
	c->sort = p[0] - '0';
	if ((d2 = memchr(d1 + 1, '.', (size_t)(end - d1 - 1))) == NULL ||
	    (c->id = aud_id(d1 + 1, (size_t)(d2 - d1 - 1))) == 0)
		return -1;
	if (!aud_cursor_key_ok(c->sort, d2 + 1, (size_t)(end - d2 - 1)))
		return -1;
	memcpy(c->key, d2 + 1, (size_t)(end - d2 - 1));
	c->key[end - d2 - 1] = '\0';
	return 0;
}

int
aud_cursor_decode(const char *s, enum aud_sort sort, struct aud_cursor *c)
{
	char		 p[AUD_CURSOR_MAX];
	char		 hex[9];
	long		 n;

	memset(c, 0, sizeof(*c));
	if (strlen(s) > AUD_CURSOR_MAX || (n = aud_b64_get(s, p,
	    sizeof(p) - 1)) < 10 || p[n - 9] != '.')
		return -1;
	snprintf(hex, sizeof(hex), "%08x", (unsigned)aud_fnv(p, (size_t)n - 9));
	if (memcmp(hex, p + n - 8, 8) != 0 ||
	    aud_cursor_fields(p, (size_t)n - 9, c) == -1)
		return -1;
	if (sort != AUD_SORT__MAX && c->sort != sort)
		return -1;
	return 0;
}

/* A tag list as an SQL array "{3,5}" into dst. */
static void
aud_array(char *dst, size_t room, const int64_t *v, size_t n)
{
	size_t	 i, len = 0;

	len += (size_t)snprintf(dst + len, room - len, "{");
	for (i = 0; i < n && len < room; i++)
		len += (size_t)snprintf(dst + len, room - len, "%s%lld",
		    i > 0 ? "," : "", (long long)v[i]);
	if (len < room)
		snprintf(dst + len, room - len, "}");
}

/*
 * A search of a number written internationally ("+62 812-34", "62812"):
 * "+<digits>%" in out, the start of contacts.phone; 0 for any other
 * search (letters, or a national number's leading 0).
 */
static int
aud_phone_prefix(const char *q, char *out, size_t room)
{
	size_t	 n = 0, digits = 0;

	if (strspn(q, "+0123456789 -.()") != strlen(q))
		return 0;
	out[n++] = '+';
	for (; *q != '\0' && n + 2 < room; q++)
		if (*q >= '0' && *q <= '9') {
			if (digits++ == 0 && *q == '0')
				return 0;
			out[n++] = *q;
		}
	out[n++] = '%';
	out[n] = '\0';
	return digits >= AUD_Q_MIN;
}

/* The LIKE pattern of a search: %q%, with \ % _ escaped. */
static void
aud_like(char *dst, size_t room, const char *q)
{
	size_t	 n = 0;

	dst[n++] = '%';
	for (; *q != '\0' && n + 3 < room; q++) {
		if (*q == '\\' || *q == '%' || *q == '_')
			dst[n++] = '\\';
		dst[n++] = *q;
	}
	dst[n++] = '%';
	dst[n] = '\0';
}

/* A checked number without leading zeros: "-007.50" is "-7.50". */
static void
aud_number_canon(const char *s, char *dst, size_t room)
{
	const char	*neg = *s == '-' ? "-" : "";

	s += *neg != '\0';
	while (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		s++;
	snprintf(dst, room, "%s%s", neg, s);
}

/* The custom field equality: {"key": value} in the field's JSON type. */
static void
aud_eq_json(const struct aud_filter *f, struct buf *b)
{
	struct json_object	*o = json_object_new_object(), *v;
	char			 num[AUD_FVAL_MAX + 2];
	int			 yes;

	switch (f->kind) {
	case AUD_KIND_NUMBER:
		aud_number_canon(f->eq, num, sizeof(num));
		v = json_object_new_double_s(strtod(num, NULL), num);
		break;
	case AUD_KIND_BOOLEAN:
		yes = strcmp(f->eq, "yes") == 0 || strcmp(f->eq, "true") == 0;
		v = json_object_new_boolean(yes);
		break;
	default:
		v = json_object_new_string(f->eq);
	}
	json_object_object_add(o, f->field, v);
	buf_puts(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/*
 * The days of a checked date range min..max as one jsonpath,
 * '$."key" == "2020-01-01" || ...': 0, or -1 past AUD_DAYS_MAX days
 * (the range is then only checked row by row).
 */
static int
aud_days(const struct aud_filter *f, struct buf *b)
{
	struct tm	 tm;
	time_t		 t, end;
	char		 day[11];
	int		 n = 0;

	memset(&tm, 0, sizeof(tm));
	if (strptime(f->max, "%Y-%m-%d", &tm) == NULL)
		return -1;
	tm.tm_hour = 12;
	end = timegm(&tm);
	memset(&tm, 0, sizeof(tm));
	if (strptime(f->min, "%Y-%m-%d", &tm) == NULL)
		return -1;
	tm.tm_hour = 12;
	for (t = timegm(&tm); t <= end; t += 86400) {
		if (++n > AUD_DAYS_MAX)
			return -1;
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		buf_printf(b, "%s$.\"%s\" == \"%s\"", n > 1 ? " || " : "",
		    f->field, day);
	}
	return 0;
}

/*
 * The whole numbers of a checked number range min..max as one jsonpath,
 * '$."key" == 20 || $."key" == 21 ...': 0, or -1 when there are none or
 * more than AUD_WHOLE_MAX (the range is then checked row by row). The
 * bounds are read as doubles: rounding can only add a number outside
 * the range (|x| < 2^53), which the exact check of $8 $9 then drops.
 */
static int
aud_wholes(const struct aud_filter *f, struct buf *b)
{
	double		 min = strtod(f->min, NULL), max = strtod(f->max, NULL);
	long long	 lo, hi, k;

	if (min < -1e15 || min > 1e15 || max < -1e15 || max > 1e15)
		return -1;
	lo = (long long)min, hi = (long long)max;	/* toward 0 */
	lo += (double)lo < min;				/* up */
	hi -= (double)hi > max;				/* down */
	if (lo > hi || hi - lo >= AUD_WHOLE_MAX)
		return -1;
	for (k = lo; k <= hi; k++)
		buf_printf(b, "%s$.\"%s\" == %lld", k > lo ? " || " : "",
		    f->field, k);
	return 0;
}

void
aud_filter_bind(const struct aud_filter *f, int64_t customer,
    struct aud_bind *b)
{
	int	 num = f->kind_set && f->kind == AUD_KIND_NUMBER;
	int	 date = f->kind_set && f->kind == AUD_KIND_DATE;

	memset(b, 0, sizeof(*b));
	snprintf(b->cid, sizeof(b->cid), "%lld", (long long)customer);
	b->v[0] = b->cid;
	if (aud_phone_prefix(f->q, b->phone, sizeof(b->phone)))
		b->v[15] = b->phone;
	else if (f->q[0] != '\0') {
		aud_like(b->like, sizeof(b->like), f->q);
		b->v[1] = b->like;
	}
	if (f->nany > 0) {
		aud_array(b->any, sizeof(b->any), f->any, f->nany);
		b->v[2] = b->any;
	}
	if (f->nall > 0) {
		aud_array(b->all, sizeof(b->all), f->all, f->nall);
		b->v[3] = b->all;
	}
	b->v[4] = f->status[0] != '\0' ? f->status : NULL;
	if (f->field[0] != '\0' && f->eq[0] != '\0' && f->kind_set) {
		aud_eq_json(f, &b->eq);
		b->v[5] = buf_str(&b->eq);
	}
	b->v[6] = f->field[0] != '\0' ? f->field : NULL;
	b->v[7] = num && f->min[0] != '\0' ? f->min : NULL;
	b->v[8] = num && f->max[0] != '\0' ? f->max : NULL;
	b->v[9] = date && f->min[0] != '\0' ? f->min : NULL;
	b->v[10] = date && f->max[0] != '\0' ? f->max : NULL;
	b->v[11] = f->from[0] != '\0' ? f->from : NULL;
	b->v[12] = f->to[0] != '\0' ? f->to : NULL;
	b->v[13] = f->never ? "t" : NULL;
	if (f->group > 0) {
		snprintf(b->group, sizeof(b->group), "%lld",
		    (long long)f->group);
		b->v[16] = b->group;
	}
	if (date && f->min[0] != '\0' && f->max[0] != '\0' &&
	    aud_days(f, &b->days) == 0)
		b->v[14] = buf_str(&b->days);
	/* $15 with $8 set: the fractions' index is the rest ($8 and $9). */
	if (num && b->v[7] != NULL && b->v[8] != NULL &&
	    aud_wholes(f, &b->days) == 0)
		b->v[14] = buf_str(&b->days);
}

void
aud_bind_free(struct aud_bind *b)
{
	buf_free(&b->eq);
	buf_free(&b->days);
}

/* The order of the page: the filter's, turned for a "before" page. */
static int
aud_order(const struct aud_filter *f)
{
	static const int turned[AUD_SORT__MAX] = {
		[AUD_SORT_CREATED_DESC] = AUD_SORT_CREATED_ASC,
		[AUD_SORT_CREATED_ASC] = AUD_SORT_CREATED_DESC,
		[AUD_SORT_NAME_ASC] = AUD_SORT_NAME_DESC,
		[AUD_SORT_NAME_DESC] = AUD_SORT_NAME_ASC,
	};

	return f->has_before ? turned[f->sort] : (int)f->sort;
}

int
aud_list_reversed(const struct aud_filter *f)
{
	return f->has_before;
}

/* Run s after the plan settings set, then back to the defaults, in one
 * round trip (each its own transaction: the reset runs even if s fails). */
static PGresult *
aud_run(struct db *db, int set, const struct stmt *s, const char *const *v)
{
	const struct stmt *const stmts[3] = { &aud_sql[set], s,
	    &aud_sql[AUD_S_PLAN_AUTO] };
	const char *const *params[3] = { NULL, v, NULL };
	PGresult	*res[3];

	if (db_pipeline(db, stmts, 3, params, res) == -1)
		return NULL;
	PQclear(res[0]);
	PQclear(res[2]);
	return res[1];
}

PGresult *
aud_exec(struct db *db, const struct stmt *s, const char *const *v)
{
	return aud_run(db, AUD_S_PLAN_CUSTOM, s, v);
}

/* The cursor of the page, or NULL for the first. */
static const struct aud_cursor *
aud_page_cursor(const struct aud_filter *f)
{
	return f->has_before ? &f->before : f->has_after ? &f->after : NULL;
}

/*
 * Run list statement base (AUD_S_WALK_*, AUD_S_GATHER_*, AUD_S_BWALK_*:
 * the page's order picks one of the four) with $20 bound ("" none).
 */
static PGresult *
aud_list_run(struct db *db, const struct aud_filter *f, int64_t customer,
    int base, const char *bound)
{
	struct aud_bind		 b;
	const struct aud_cursor	*c = aud_page_cursor(f);
	const char		*v[AUD_NPARAMS + 3];
	char			 id[24];
	PGresult		*res;

	aud_filter_bind(f, customer, &b);
	memcpy(v, b.v, sizeof(b.v));
	v[AUD_NPARAMS] = c != NULL ? c->key : NULL;
	snprintf(id, sizeof(id), "%lld", c != NULL ? (long long)c->id : 0LL);
	v[AUD_NPARAMS + 1] = c != NULL ? id : NULL;
	v[AUD_NPARAMS + 2] = *bound != '\0' ? bound : NULL;
	res = aud_run(db, base == AUD_S_GATHER_CREATED_DESC ?
	    AUD_S_PLAN_CUSTOM : AUD_S_PLAN_WALK, &aud_sql[base + aud_order(f)],
	    v);
	aud_bind_free(&b);
	return res;
}

/* How many index entries a bounded walk of bound had: -1 on failure. */
static int64_t
aud_span(struct db *db, const struct aud_filter *f, int64_t customer,
    const char *bound)
{
	const struct aud_cursor	*c = aud_page_cursor(f);
	char			 cid[24], id[24];
	const char		*v[4] = { cid, c != NULL ? c->key : NULL,
				    c != NULL ? id : NULL, bound };
	PGresult		*res;
	int64_t			 n = -1;

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	snprintf(id, sizeof(id), "%lld", c != NULL ? (long long)c->id : 0LL);
	res = aud_run(db, AUD_S_PLAN_WALK, &aud_sql[AUD_S_SPAN_CREATED_DESC +
	    aud_order(f)], v);
	if (res != NULL && PQntuples(res) == 1)
		n = db_getll(res, 0, ACN_N);
	PQclear(res);
	return n;
}

/*
 * 1 when the walk's index itself starts at the filter's matches: the
 * creation days (from, to) bound the index of the creation order (its
 * condition, not a filter), where a bounded walk, whose window ignores
 * them, would look in the wrong place.
 */
static int
aud_walk_ranged(const struct aud_filter *f)
{
	return (f->from[0] != '\0' || f->to[0] != '\0') &&
	    (f->sort == AUD_SORT_CREATED_DESC || f->sort == AUD_SORT_CREATED_ASC);
}

/* The whole list's first page in the filter's order. */
static PGresult *
aud_first(struct db *db, const struct aud_filter *f, int64_t customer)
{
	char		 cid[24];
	const char	*v[1] = { cid };

	snprintf(cid, sizeof(cid), "%lld", (long long)customer);
	return db_exec(db, &aud_sql[AUD_S_FIRST_CREATED_DESC + f->sort], v);
}

/*
 * Many matches, a filter: walk at most AUD_WALK_MAX entries of the
 * sort's index. A page found there, or the list's end met, is the page;
 * otherwise the matches sit farther on (a number's start matching the
 * oldest contacts, with the newest first) and crossing the rest would
 * cost up to the whole account, so they are gathered and sorted.
 */
static PGresult *
aud_walk_bounded(struct db *db, const struct aud_filter *f,
    int64_t customer)
{
	char		 bound[24];
	PGresult	*res;
	int64_t		 span;

	snprintf(bound, sizeof(bound), "%d", AUD_WALK_MAX);
	res = aud_list_run(db, f, customer, AUD_S_BWALK_CREATED_DESC, bound);
	if (res == NULL || PQntuples(res) > AUD_PAGE)
		return res;
	if ((span = aud_span(db, f, customer, bound)) == -1) {
		PQclear(res);
		return NULL;
	}
	if (span < AUD_WALK_MAX)
		return res;
	PQclear(res);
	return aud_list_run(db, f, customer, AUD_S_GATHER_CREATED_DESC, "");
}

/*
 * The page and the count in one pass where it can: the matches are
 * gathered by the filters' indexes, up to p->max and one (a search's
 * matches are each rechecked in the heap, so it counts ten times fewer:
 * docs/performance.md, "The group page with a search"); with
 * no more, that one statement counts them and sorts a page of them.
 * With more, they are dense enough on average for a walk of the sort's
 * index to meet a page of them soon, where gathering them all could
 * cost the whole account (the planner's estimates of a search or of
 * several filters at once are often far off, so the walk is forced);
 * but a filter's walk is bounded (aud_walk_bounded). A search sorted by
 * name would walk past every name before its own (its matches share
 * their place in that order): it gathers them all. The whole list (no
 * filter) needs no count: known is the counters' total (-1: unknown);
 * its first page, the most asked, is one plain statement (aud_first).
 * Nor does a list alone: known is its members' counter.
 * docs/contacts.md has the figures.
 */
int
aud_page(struct db *db, const struct aud_filter *f, int64_t customer,
    int64_t known, struct aud_page *p)
{
	char	 bound[24];
	int	 name_search = f->q[0] != '\0' &&
		    (f->sort == AUD_SORT_NAME_ASC || f->sort == AUD_SORT_NAME_DESC);

	memset(p, 0, sizeof(*p));
	p->max = f->q[0] != '\0' ? AUD_SEARCH_COUNT_MAX : AUD_COUNT_MAX;
	snprintf(bound, sizeof(bound), "%lld", (long long)p->max + 1);
	if ((aud_filter_empty(f) || aud_filter_group_only(f)) && known >= 0)
		p->total = known;
	else {
		if ((p->res = aud_list_run(db, f, customer,
		    AUD_S_GATHER_CREATED_DESC, bound)) == NULL)
			return -1;
		p->total = PQntuples(p->res) > 0 ? db_getll(p->res, 0,
		    AC_TOTAL) : 0;
	}
	if (p->total > p->max || (p->res == NULL && p->total > 0)) {
		PQclear(p->res);
		if (aud_filter_empty(f) && aud_page_cursor(f) == NULL)
			p->res = aud_first(db, f, customer);
		else if (p->total <= p->max || name_search)
			p->res = aud_list_run(db, f, customer,
			    AUD_S_GATHER_CREATED_DESC, "");
		else if (aud_filter_empty(f) || aud_walk_ranged(f))
			p->res = aud_list_run(db, f, customer,
			    AUD_S_WALK_CREATED_DESC, "");
		else
			p->res = aud_walk_bounded(db, f, customer);
		if (p->res == NULL)
			return -1;
	}
	p->rows = p->res != NULL ? PQntuples(p->res) : 0;
	if (p->rows == 1 && db_isnull(p->res, 0, AC_ID))
		p->rows = 0;
	return 0;
}

void
aud_page_free(struct aud_page *p)
{
	PQclear(p->res);
	p->res = NULL;
}

int64_t
aud_count(struct db *db, const struct aud_filter *f, int64_t customer)
{
	struct aud_bind	 b;
	PGresult	*res;
	int64_t		 n = -1;

	aud_filter_bind(f, customer, &b);
	res = aud_run(db, AUD_S_PLAN_CUSTOM, &aud_sql[AUD_S_COUNT], b.v);
	if (res != NULL && PQntuples(res) == 1)
		n = db_getll(res, 0, ACN_N);
	PQclear(res);
	aud_bind_free(&b);
	return n;
}
