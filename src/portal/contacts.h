/* contacts.h: what the contact pages share: the customer's tags, fields and counters loaded once, status words, tag chips and choices. */
#ifndef WA_CONTACTS_H
#define WA_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

struct json_object;
struct req;

/* The customer's contact context: counters, zone, tags, fields, lists. */
struct ct_ctx {
	int64_t			 total, subscribed;
	char			 tz[64];
	char			 country[3];	/* users.country */
	int64_t			 max_contacts;	/* the package's, 0: none */
	int			 ntags, nfields, nlists;
	struct json_object	*tags;		/* [{id, name, colour, contacts}] */
	struct json_object	*fields;	/* [{key, label, kind, choices}] */
	struct json_object	*lists;		/* [{id, name, members,
						   subscribed, unsubscribed}] */
	int64_t			*tag_ids;	/* the tags' ids, in their order */
};

int	 ct_ctx_load(struct req *, struct ct_ctx *);
void	 ct_ctx_free(struct ct_ctx *);

/* A subscription status's word in the reader's language. */
const char *ct_status_word(struct req *, const char *);

/* A row's tags ("{1,2}") as chips [{id, name, colour}], by name: the
 * context's own tag objects, shared (the view holds a reference). */
struct json_object *ct_tag_chips(const struct ct_ctx *, const char *);

/* Every tag once, marked {any, all} for the filter's checkboxes (the
 * context's objects, marked in place and shared). */
struct json_object *ct_tag_marked(const struct ct_ctx *, const int64_t *any,
	    size_t nany, const int64_t *all, size_t nall);

/* Every tag as [{id, name, colour, contacts, checked}]. */
struct json_object *ct_tag_choices(const struct ct_ctx *, const int64_t *,
	    size_t);

/* Every field as [{key, label, kind, selected}]. */
struct json_object *ct_field_choices(const struct ct_ctx *, const char *);

/* 1 when the SQL array arr ("{1,22}") holds the number id ("22"). */
int	 ct_array_has(const char *, const char *);

/* 1 when id is one of the customer's tags. */
int	 ct_tag_known(const struct ct_ctx *, int64_t);

/* The name of the customer's list id, or NULL when it is none of them. */
const char *ct_list_name(const struct ct_ctx *, int64_t);

/* The members of the customer's list id of a status ("" every one)
 * from its counters, or -1. */
int64_t	 ct_list_members(const struct ct_ctx *, int64_t, const char *);

/* The kind (enum aud_kind) of the customer's field key, or -1. */
int	 ct_field_kind(const struct ct_ctx *, const char *);

struct aud_filter;

/*
 * A filter from a query string s (the Contacts page's; cursors ignored),
 * its field and list checked against the context: 0, or -1 when some
 * parameter is not valid (f->err says which, when it is the filter's).
 */
int	 ct_filter_parse(const struct ct_ctx *, const char *,
	    struct aud_filter *);

/* n with thousands separators ("1,000,000"). */
void	 ct_number(int64_t, char *, size_t);

#endif
