/* aud_bulk.h: the Contacts page's bulk actions (tag, list, subscription, delete) over a selection, shared by the worker (a small selection in the request) and the runner (a large one in id-range batches, each its own transaction); the bulk jobs' record. */
#ifndef WA_AUD_BULK_H
#define WA_AUD_BULK_H

#include <stdint.h>

#include "core/db.h"
#include "aud_filter.h"

#define AUD_BULK_BATCH	5000	/* contacts a batch of the runner changes */

enum aud_bulk_action {
	AUD_BULK_TAG_ADD,
	AUD_BULK_TAG_REMOVE,
	AUD_BULK_GROUP_ADD,	/* to a list (contact group) */
	AUD_BULK_GROUP_REMOVE,
	AUD_BULK_SUBSCRIBED,
	AUD_BULK_UNSUBSCRIBED,
	AUD_BULK_UNKNOWN,
	AUD_BULK_DELETE,
	AUD_BULK__MAX
};

extern const char *const aud_bulk_actions[AUD_BULK__MAX];
extern const struct stmt_set aud_bulk_stmts;

/* The action named s, or -1. */
int	 aud_bulk_action(const char *);

/* 1 when action a takes a tag's or a list's id (its ref). */
int	 aud_bulk_has_ref(enum aud_bulk_action);

/*
 * In the caller's transaction: the longer timeout and custom plans, then
 * action a (ref: the tag's or the list's id) on the selection v ($1..$17: the filter
 * and the ids) whose ids are after `after` and up to `through` (NULL:
 * no bound). The contacts changed, or -1.
 */
int64_t	 aud_bulk_apply(struct db *, const char *const *v,
	    enum aud_bulk_action, const char *ref, const char *after,
	    const char *through);

/*
 * The next batch of the selection v after `after`: its last id into
 * through ("" when none is left) and its size; -1 on failure.
 */
int64_t	 aud_bulk_next(struct db *, const char *const *v, const char *after,
	    char through[24]);

/* How many contacts of the selection v come after `after`; -1. */
int64_t	 aud_bulk_left(struct db *, const char *const *v, const char *after);

/* A bulk job of the selection, queued and notified; its id. 0 or -1. */
int	 aud_bulk_create(struct db *, int64_t customer, enum aud_bulk_action,
	    const char *ref, const char *filter, const char *ids, char id[24]);

#endif
