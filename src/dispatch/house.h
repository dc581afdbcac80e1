/* house.h: the dispatcher's LISTEN and housekeeping round, and the list of its statement sets. */
#ifndef WA_HOUSE_H
#define WA_HOUSE_H

struct conf;
struct db;
struct stmt_set;

/* house.c's, probe.c's and send_claim.c's sets; NULL-ended. */
extern const struct stmt_set *const dispatch_stmts[];

int	house_listen(struct db *);
int	house_round(const struct conf *, struct db *, const char *owner);
int	house_gone(struct db *, const char *owner);

#endif
