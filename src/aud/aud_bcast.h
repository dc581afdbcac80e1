/* aud_bcast.h: a broadcast's audience: its sources (lists, segments, tags, all subscribers) as the Contacts filter's query strings, the resolution's batch into broadcast_recipients, and the dry-run count of the distinct audience. */
#ifndef WA_AUD_BCAST_H
#define WA_AUD_BCAST_H

#include <stdint.h>

#include "core/buf.h"
#include "core/db.h"
#include "aud_export.h"

#define AUD_BCAST_SOURCES	20	/* sources of an audience (sql/0027) */
#define AUD_BCAST_DRY_MAX	2000000	/* ids a dry run collects at most */
/*
 * Ids a resolution's batch walks (one statement, one resume point; a
 * list's members are hashed once a statement, so fewer and larger
 * batches: docs/performance.md, "Sending a broadcast").
 */
#ifndef AUD_BCAST_BATCH
#define AUD_BCAST_BATCH		"20000"
#endif

enum aud_bcast_kind {
	AUD_BCAST_LIST,
	AUD_BCAST_SEGMENT,
	AUD_BCAST_TAG,
	AUD_BCAST_SUBSCRIBERS,
	AUD_BCAST__MAX
};

/* One source; filter: a segment's stored filter (sql/0021). */
struct aud_bcast_source {
	enum aud_bcast_kind	 kind;
	int64_t			 ref;	/* 0 for all subscribers */
	char			 filter[AUD_EXPORT_QUERY_MAX + 1];
};

extern const char *const aud_bcast_kinds[AUD_BCAST__MAX];
extern const struct stmt_set aud_bcast_stmts;

/* A time of day "HH:MM" (00:00 to 23:59) in s[0..n): its minutes from
 * midnight, or -1 (quiet hours: the form and the API). */
int	 aud_bcast_hhmm(const char *s, size_t n);

/* The kind named s, or -1. */
int	 aud_bcast_kind(const char *);

/*
 * The source's canonical query string into out: group=ID, the
 * segment's filter, any=ID, status=subscribed.
 */
void	 aud_bcast_query(const struct aud_bcast_source *, struct buf *);

/*
 * Sources s[0..n) as two SQL array literals, for an INSERT into
 * broadcast_sources: their kinds ({list,tag}) and ids ({12,0}: 0 for
 * all subscribers). The pages' and the API's create paths share it.
 */
void	 aud_bcast_arrays(const struct aud_bcast_source *, int n,
	    struct buf *kinds, struct buf *ids);

/*
 * Broadcast id's sources in order, their segments' filters read, into
 * s (at most AUD_BCAST_SOURCES): how many, or -1. A segment deleted
 * since keeps an empty filter with ref 0 (aud_bcast_query: nothing).
 */
int	 aud_bcast_sources(struct db *, const char *id,
	    struct aud_bcast_source *);

/*
 * Look source s up among the customer's (a list, a segment with its
 * filter, a tag): 0, 1 when it is not the customer's, -1.
 */
int	 aud_bcast_owned(struct db *, int64_t customer,
	    struct aud_bcast_source *);

/*
 * In the caller's transaction: the next batch of the selection v (an
 * aud_export's: $1..$18) after `after` (5,000 ids, as aud_bulk_next
 * walks, in one statement with the insert) into broadcast id's
 * recipients, each contact once, with the status rule (subscribed;
 * unknown only when the broadcast includes it; the rest as skipped with
 * the reason) and the sending number spread by the contact's id. The
 * batch's last id into through ("" when none is left), the rows added
 * into added; the batch's size, or -1.
 */
int64_t	 aud_bcast_batch(struct db *, const char *const *v, const char *id,
	    const char *after, char through[24], int64_t *added);

/*
 * The distinct contacts the n sources s of the customer would send to
 * (subscribed, and unknown when include_unknown): the count, -1 when
 * the database failed, -2 when a source is not the customer's or no
 * longer parses.
 */
int64_t	 aud_bcast_count(struct db *, int64_t customer,
	    struct aud_bcast_source *, int n, int include_unknown);

#endif
