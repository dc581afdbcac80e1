/* check.h: the dispatcher's pre-check loop: the recipients of broadcasts in 'checking' asked of the gateway (check-exists), paced like sends. */
#ifndef WA_CHECK_H
#define WA_CHECK_H

struct db;
struct send_conf;
struct stmt_set;

#define CHECK_BATCH	16	/* most checks one pass claims (one per number) */
#define CHECK_RETRY_S	30	/* a failed check's first wait, doubled after */

extern const struct stmt_set check_stmts;

int	check_pass(const struct send_conf *, struct db *);

#endif
