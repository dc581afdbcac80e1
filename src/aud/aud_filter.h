/* aud_filter.h: the contact list's filter, shared by the portal, the API and the runner: parsed from query parameters, rendered back, bound to static statements. */
#ifndef WA_AUD_FILTER_H
#define WA_AUD_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "core/buf.h"
#include "core/db.h"

#define AUD_Q_MAX	100	/* code points of a search */
#define AUD_Q_MIN	3	/* fewer have no trigram to look up */
#define AUD_TAGS_MAX	50	/* tag ids in each of any and all */
#define AUD_FVAL_MAX	200	/* bytes of a custom field's value */
#define AUD_KEY_MAX	40	/* a custom field's key (sql/0012) */
#define AUD_PAGE	50	/* rows of a list page */
#define AUD_COUNT_MAX	10000	/* counted exactly up to this, then "more" */
#define AUD_SEARCH_COUNT_MAX 1000 /* the same for a search (q): its matches
				   * are rechecked in the heap one by one */
#define AUD_WALK_MAX	10000	/* index entries a filtered walk reads */
#define AUD_CURSOR_MAX	1200	/* bytes of an encoded cursor */
#define AUD_NAMEKEY_MAX	800	/* bytes of a name sort key (200 code points) */
#define AUD_DAYS_MAX	366	/* a date range's days looked up one by one */
#define AUD_WHOLE_MAX	366	/* a number range's whole numbers, the same */

/* The query parameters of a filter, in the order a URL renders them. */
enum aud_param {
	AUD_P_Q,	/* search in name, phone, e-mail */
	AUD_P_ANY,	/* tag ids, comma-separated: any of them */
	AUD_P_ALL,	/* tag ids: all of them */
	AUD_P_STATUS,	/* subscribed, unsubscribed, unknown */
	AUD_P_FIELD,	/* a custom field's key */
	AUD_P_EQ,	/* its value equals */
	AUD_P_MIN,	/* number or date at least */
	AUD_P_MAX,	/* number or date at most */
	AUD_P_FROM,	/* created on or after this day (YYYY-MM-DD) */
	AUD_P_TO,	/* created on or before this day */
	AUD_P_NEVER,	/* 1: never messaged */
	AUD_P_GROUP,	/* a list's id: its members */
	AUD_P_SORT,	/* created_desc (default), created_asc, name_asc, name_desc */
	AUD_P_AFTER,	/* cursor: the page after this row */
	AUD_P_BEFORE,	/* cursor: the page before this row */
	AUD_P__MAX
};

extern const char *const aud_param_names[AUD_P__MAX];

enum aud_sort {
	AUD_SORT_CREATED_DESC,
	AUD_SORT_CREATED_ASC,
	AUD_SORT_NAME_ASC,
	AUD_SORT_NAME_DESC,
	AUD_SORT__MAX
};

extern const char *const aud_sort_names[AUD_SORT__MAX];

/* The kinds of custom fields (contact_fields.kind), as the filter reads them. */
enum aud_kind {
	AUD_KIND_TEXT,
	AUD_KIND_NUMBER,
	AUD_KIND_DATE,
	AUD_KIND_BOOLEAN,
	AUD_KIND_CHOICE,
	AUD_KIND__MAX
};

/* A decoded keyset cursor: the row's sort key and id, for one sort. */
struct aud_cursor {
	enum aud_sort	 sort;
	int64_t		 id;
	char		 key[AUD_NAMEKEY_MAX + 1];	/* micros or lower(name) */
};

struct aud_filter {
	char		 q[AUD_Q_MAX * 4 + 1];		/* as typed, trimmed */
	int64_t		 any[AUD_TAGS_MAX];
	size_t		 nany;
	int64_t		 all[AUD_TAGS_MAX];
	size_t		 nall;
	char		 status[16];			/* "" for every status */
	char		 field[AUD_KEY_MAX + 1];	/* "" for none */
	char		 eq[AUD_FVAL_MAX + 1];
	char		 min[AUD_FVAL_MAX + 1];
	char		 max[AUD_FVAL_MAX + 1];
	char		 from[11], to[11];		/* YYYY-MM-DD or "" */
	int		 never;
	int64_t		 group;				/* 0 for none */
	enum aud_sort	 sort;
	int		 has_after, has_before;
	struct aud_cursor after, before;
	/* The custom field's kind, once aud_filter_kind() checked the values. */
	int		 kind_set;
	enum aud_kind	 kind;
	/* Why a parameter is refused (English, N_), or NULL. */
	const char	*err[AUD_P__MAX];
	int		 nerr;
};

void	 aud_filter_init(struct aud_filter *);

/*
 * Set one query parameter: 0, 1 when the name is none of the filter's
 * (ignored), or -1 with f->err[param] saying why. The tag lists also
 * take one name per id, "any.<id>" and "all.<id>" with any value (what
 * the page's checkboxes send, since a query may not repeat a name).
 */
int	 aud_filter_set(struct aud_filter *, const char *name,
	    const char *value);

/* Refuse parameter p with its usual reason (a field or a tag the
 * customer has not). */
void	 aud_filter_fail(struct aud_filter *, enum aud_param);

/* The checks between parameters, once all are set: 0 or -1 (f->err). */
int	 aud_filter_check(struct aud_filter *);

/*
 * The custom field's kind (looked up by the caller from the field's
 * key): checks eq, min and max against it (a range only for numbers and
 * dates). 0 or -1 (f->err).
 */
int	 aud_filter_kind(struct aud_filter *, enum aud_kind);
int	 aud_kind_parse(const char *);

/* 1 when no predicate is set (sort and cursors aside). */
int	 aud_filter_empty(const struct aud_filter *);

/* 1 when a list (group) is the only predicate, with a status or not:
 * its members' number is the list's counter, known without a count. */
int	 aud_filter_group_only(const struct aud_filter *);

/*
 * Append the filter as a query string ("q=a&status=subscribed", no '?'
 * and no cursor; the sort only when it is not the default), each value
 * URL-encoded.
 */
void	 aud_filter_query(const struct aud_filter *, struct buf *);

/* A cursor: encode a row's key and id for a sort, decode and check one. */
void	 aud_cursor_encode(enum aud_sort, int64_t id, const char *key,
	    struct buf *);
int	 aud_cursor_decode(const char *, enum aud_sort, struct aud_cursor *);

/*
 * The statements' parameters, $1..$AUD_NPARAMS of AUD_FILTER_WHERE (the
 * caller's own statements add theirs after). The strings live in b.
 */
#define AUD_NPARAMS	17

struct aud_bind {
	char		 cid[24];
	char		 group[24];
	char		 like[AUD_Q_MAX * 8 + 3];
	char		 phone[AUD_Q_MAX + 3];
	char		 any[AUD_TAGS_MAX * 21 + 3];
	char		 all[AUD_TAGS_MAX * 21 + 3];
	struct buf	 eq;		/* {"key": value} */
	struct buf	 days;		/* a date range's days as a jsonpath */
	const char	*v[AUD_NPARAMS];
};

void	 aud_filter_bind(const struct aud_filter *, int64_t customer,
	    struct aud_bind *);
void	 aud_bind_free(struct aud_bind *);

/* The contacts with a number that is not whole in a field: sql/0019's
 * index's predicate, word for word (the planner matches the text). */
#define AUD_FRACTION \
	"jsonb_path_exists(c.fields, " \
	"'$.* ? (@.type() == \"number\" && @ != @.floor())')"

/*
 * The filter's predicate over contacts c; $1 customer, $2 search
 * pattern, $3 any, $4 all, $5 status, $6 field equality, $7 the field
 * of a range, $8 $9 its number bounds (with both, compared as jsonb: a
 * number sorts after every string and null and before every boolean,
 * array and object, so only numbers fall between two numbers, and one
 * comparison costs less than a cast; with one, the value's type is
 * checked), $10 $11 its date bounds, $12 $13
 * the creation days in the customer's zone, $14 never messaged, $15 a
 * date range's every day as a jsonpath of equalities (what the index of
 * contacts.fields can look up; at most AUD_DAYS_MAX days), or a number
 * range's every whole number (at most AUD_WHOLE_MAX), its other values
 * then found by AUD_FRACTION (sql/0019's partial index), $16 a search
 * of digits as the start of the phone number ('+62812%', sql/0015's
 * index; $2 is then NULL: digits have too few trigrams), $17 a list's
 * members (contact_group_members; another customer's list has none of
 * this customer's contacts). Each is
 * NULL when unset; the statements run with custom plans (the session's
 * plan_cache_mode, aud_session_sql), so the unset ones fold away.
 */
#define AUD_FILTER_WHERE \
	"c.customer_id = $1::bigint " \
	"AND ($2::text IS NULL OR " \
	"wa_contact_haystack(c.name, c.phone, c.email) LIKE lower($2::text)) " \
	"AND ($3::bigint[] IS NULL OR c.tags && $3::bigint[]) " \
	"AND ($4::bigint[] IS NULL OR c.tags @> $4::bigint[]) " \
	"AND ($5::text IS NULL OR c.status = $5::text) " \
	"AND ($6::jsonb IS NULL OR c.fields @> $6::jsonb) " \
	"AND ($8::numeric IS NULL OR $9::numeric IS NULL OR " \
	"(c.fields -> $7::text >= $8::numeric::text::jsonb AND " \
	"c.fields -> $7::text <= $9::numeric::text::jsonb)) " \
	"AND ($8::numeric IS NULL OR $9::numeric IS NOT NULL OR " \
	"CASE WHEN jsonb_typeof(c.fields -> $7::text) = 'number' " \
	"THEN (c.fields -> $7::text)::numeric END >= $8::numeric) " \
	"AND ($9::numeric IS NULL OR $8::numeric IS NOT NULL OR " \
	"CASE WHEN jsonb_typeof(c.fields -> $7::text) = 'number' " \
	"THEN (c.fields -> $7::text)::numeric END <= $9::numeric) " \
	"AND ($10::text IS NULL OR " \
	"c.fields ->> $7::text >= $10::text COLLATE \"C\") " \
	"AND ($11::text IS NULL OR " \
	"c.fields ->> $7::text <= $11::text COLLATE \"C\") " \
	"AND ($12::date IS NULL OR c.created_at >= ($12::date::timestamp " \
	"AT TIME ZONE (SELECT uz.time_zone FROM users uz " \
	"WHERE uz.id = $1::bigint))) " \
	"AND ($13::date IS NULL OR c.created_at < (($13::date + 1)::timestamp " \
	"AT TIME ZONE (SELECT uz.time_zone FROM users uz " \
	"WHERE uz.id = $1::bigint))) " \
	"AND ($14::boolean IS NULL OR c.last_out_at IS NULL) " \
	"AND ($15::jsonpath IS NULL OR c.fields @@ $15::jsonpath OR " \
	"($8::numeric IS NOT NULL AND " AUD_FRACTION ")) " \
	"AND ($16::text IS NULL OR c.phone LIKE $16::text) " \
	"AND ($17::bigint IS NULL OR EXISTS (SELECT 1 FROM " \
	"contact_group_members gm WHERE gm.group_id = $17::bigint " \
	"AND gm.contact_id = c.id)) "

/* The columns of a list page's rows (aud_list). */
enum aud_col {
	AC_ID,
	AC_PHONE,
	AC_NAME,
	AC_EMAIL,
	AC_STATUS,
	AC_TAGS,	/* '{1,2}' */
	AC_CREATED,	/* local "YYYY-MM-DD HH:MM" */
	AC_CREATED_ISO,
	AC_LAST,	/* the last message in or out, local, or "" */
	AC_LAST_ISO,
	AC_KEY,		/* the row's sort key for a cursor */
	AC_TOTAL,	/* matches (gathered pages), else NULL */
	AC__MAX
};

/*
 * Run a caller's statement over AUD_FILTER_WHERE with a custom plan (its
 * unset predicates folded away), in one round trip; NULL on failure.
 * Not inside a transaction: each statement runs in its own.
 */
PGresult *aud_exec(struct db *, const struct stmt *, const char *const *);

/* How many contacts match, up to AUD_COUNT_MAX + 1; -1 on failure. */
int64_t	 aud_count(struct db *, const struct aud_filter *, int64_t customer);

/*
 * One page of the list and one row more, in the filter's order (the
 * caller shows it reversed after a "before" cursor: aud_list_reversed),
 * and the number of matches, up to max + 1 ("more than max"): max is
 * AUD_SEARCH_COUNT_MAX with a search, else AUD_COUNT_MAX.
 * res's first rows are the page (read with enum aud_col). known: the
 * number of matches when the caller has it from counters (the
 * customer's contacts for no filter, a list's members for a list
 * alone), else -1. 0, or -1 when the database failed.
 */
struct aud_page {
	PGresult	*res;
	int		 rows;
	int64_t		 total;
	int64_t		 max;	/* counted exactly up to this */
};

int	 aud_page(struct db *, const struct aud_filter *, int64_t customer,
	    int64_t known, struct aud_page *);
void	 aud_page_free(struct aud_page *);
int	 aud_list_reversed(const struct aud_filter *);

extern const struct stmt_set aud_filter_stmts;

#endif
