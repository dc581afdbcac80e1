/* receipt.h: the dispatcher's receipts reconciliation: acks looked up on the gateway when their webhook never came. */
#ifndef WA_RECEIPT_H
#define WA_RECEIPT_H

struct conf;
struct db;
struct stmt_set;

#define RECEIPT_TIMEOUT_MS	3000	/* one lookup, connect included */
#define RECEIPT_HOSTS_MAX	64	/* hosts a pass remembers as failing */

extern const struct stmt_set receipt_stmts;

int	receipt_pass(const struct conf *, struct db *);

#endif
