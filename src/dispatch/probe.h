/* probe.h: the dispatcher's health checks of the gateway hosts. */
#ifndef WA_PROBE_H
#define WA_PROBE_H

struct db;
struct stmt_set;

#define PROBE_TIMEOUT_MS	3000

extern const struct stmt_set probe_stmts;

int	probe_hosts(struct db *, long interval);

#endif
