/* aud_tpl.h: message templates: {{variables}} with fallbacks and {spin|tax} choices, parsed once into a compiled form and rendered per recipient into a bounded buffer; a substitution grammar, nothing executes (docs/message-templates.md). */
#ifndef WA_AUD_TPL_H
#define WA_AUD_TPL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct json_object;

#define AUD_TPL_MAX		65536	/* code points of a template (a message's) */
#define AUD_TPL_DEPTH		3	/* choices nested in choices, at most */
#define AUD_TPL_NAME_MAX	64	/* bytes of a variable's name */
#define AUD_TPL_WARN_MAX	16	/* unknown variables kept, with positions */

/* The variables; AUD_TPL_UNKNOWN renders as missing (its fallback). */
enum aud_tpl_var {
	AUD_TPL_NAME,
	AUD_TPL_FIRST_NAME,
	AUD_TPL_PHONE,
	AUD_TPL_CUSTOM,		/* custom.<key>: contacts.fields */
	AUD_TPL_UNKNOWN,
	AUD_TPL__MAX
};

/* Where in the template something is, and what. */
struct aud_tpl_issue {
	size_t		 off;	/* byte offset */
	size_t		 len;	/* bytes of the variable (a warning's) */
	unsigned	 line;	/* 1-based */
	unsigned	 col;	/* 1-based, in code points */
	const char	*why;	/* an English N_() sentence */
};

struct aud_tpl_op;

/* A compiled template: read-only once parsed, shareable by threads. */
struct aud_tpl {
	char		*text;		/* literals, keys and fallbacks */
	size_t		 textlen;
	struct aud_tpl_op *ops;
	size_t		 nops;
	size_t		*alts;		/* each choice's option starts, then its end */
	size_t		 nalts;
	size_t		 ngroups;	/* choices */
	size_t		 nvars;
	size_t		 chars;		/* code points of the template */
	struct aud_tpl_issue err;	/* why parsing failed */
	struct aud_tpl_issue warn[AUD_TPL_WARN_MAX]; /* unknown variables */
	size_t		 nwarn;		/* kept in warn */
	size_t		 nunknown;	/* all of them */
	uint64_t	 steps;		/* parsing's work: bytes and ops */
};

/*
 * A recipient's values; any may be NULL (missing). vars: values given
 * with the message (the API's "variables"), by the variable's whole name
 * ("first_name", "custom.city", "order"): they win over the contact's.
 */
struct aud_tpl_vals {
	const char	*name;		/* contacts.name */
	const char	*phone;		/* E.164 */
	struct json_object *fields;	/* contacts.fields, an object */
	struct json_object *vars;	/* an object, or NULL */
};

/* What one rendering did. */
struct aud_tpl_out {
	size_t		 chars;		/* code points written */
	size_t		 missing;	/* variables without a value or fallback */
	int		 cut;		/* 1: the bound cut the message */
	uint64_t	 steps;		/* ops visited and bytes copied */
};

/*
 * Compile s[0..n) into t (zeroed first; free it with aud_tpl_free
 * whatever the result). keys: the customer's custom field keys, so that
 * {{custom.x}} of no field is an unknown variable; NULL: any key of the
 * right form is taken. 0, or -1 with t->err. Unknown variables are not
 * errors: t->warn and t->nunknown.
 */
int	 aud_tpl_parse(struct aud_tpl *, const char *, size_t,
	    const char *const *keys, size_t nkeys);

/*
 * Append t rendered for v to out: the choices picked from seed (the same
 * seed, the same message), at most max code points, a cut at a whole
 * character. Values are copied verbatim, never parsed. 0, or -1 when the
 * bound cut it (o->cut; out holds the part before the bound).
 */
int	 aud_tpl_render(const struct aud_tpl *, const struct aud_tpl_vals *,
	    uint64_t seed, size_t max, struct buf *out, struct aud_tpl_out *o);

void	 aud_tpl_free(struct aud_tpl *);

/* The variable "name" of n bytes names (AUD_TPL_UNKNOWN if none). */
enum aud_tpl_var aud_tpl_var(const char *, size_t);

#endif
