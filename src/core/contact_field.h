/* contact_field.h: the value rules of contacts shared by the form, the API and the import: typed custom fields, name, language, notes and status. */
#ifndef WA_CONTACT_FIELD_H
#define WA_CONTACT_FIELD_H

#include <stddef.h>

struct buf;

/* The kinds of a custom field (contact_fields.kind). */
enum cfield_kind {
	CFIELD_TEXT,
	CFIELD_NUMBER,
	CFIELD_DATE,
	CFIELD_BOOLEAN,
	CFIELD_CHOICE,
	CFIELD__MAX
};

#define CFIELD_TEXT_MAX		500	/* code points of a text value */
#define CFIELD_INT_DIGITS	15	/* digits of a number before its point */
#define CFIELD_FRAC_DIGITS	6	/* ... and after it */

#define CONTACT_FULLNAME_MAX	200	/* code points of contacts.name */
#define CONTACT_LANG_MAX	35	/* bytes of a language tag */
#define CONTACT_CONSENT_NOTE_MAX 200	/* code points of a consent note */
#define CONTACT_TAG_NAME_MAX	50	/* code points of a tag's name */

/* The kind named s ("text", "number", ...), or -1. */
int	 cfield_kind_parse(const char *);
const char *cfield_kind_name(enum cfield_kind);

/*
 * Clean one raw value s[0..n) for a field of this kind (choices for
 * CFIELD_CHOICE): appends the JSON value (a string, a number or
 * true/false; a date as "YYYY-MM-DD") to out; 0, or -1 with *why an
 * English N_() sentence. Spaces around the value are trimmed; empty
 * input: 0 and nothing appended.
 */
int	 cfield_value(enum cfield_kind, const char *const *choices,
	    size_t nchoices, const char *s, size_t n, struct buf *out,
	    const char **why);

/* s[0..n) as a JSON string (quotes and escapes) appended to out. */
void	 cfield_json_string(struct buf *, const char *, size_t);

/*
 * The other values of a contact, with the same (0, or -1 and *why)
 * convention; each trims spaces, and each accepts empty input (an
 * unset value) but contact_status.
 */
/* A name: one line, at most CONTACT_FULLNAME_MAX code points. */
int	 contact_name_check(const char *, size_t, const char **);
/* Notes: several lines, at most CONTACT_NOTES_MAX code points. */
int	 contact_notes_check(const char *, size_t, const char **);
/*
 * A BCP 47 language tag ("id", "en-US", "zh-Hant-TW"): written to out
 * with the language lower-cased, a region upper-cased and a script in
 * title case, the others kept.
 */
int	 contact_language(const char *, size_t, char [CONTACT_LANG_MAX + 1],
	    const char **);

/* A subscription status (contacts.status). */
enum contact_status {
	CSTATUS_SUBSCRIBED,
	CSTATUS_UNSUBSCRIBED,
	CSTATUS_UNKNOWN,
	CSTATUS__MAX
};

extern const char *const contact_status_names[CSTATUS__MAX];

/*
 * The status s[0..n) names (an enum contact_status), case-insensitively,
 * in English or Indonesian ("subscribed", "unsubscribed", "unknown";
 * "berlangganan", "berhenti berlangganan", "tidak diketahui"), or -1
 * with *why (empty input included).
 */
int	 contact_status(const char *, size_t, const char **);

#endif
