/* probe.h: the dispatcher's health checks of the gateway hosts. */
#ifndef WA_PROBE_H
#define WA_PROBE_H

struct db;

#define PROBE_TIMEOUT_MS	3000

int	probe_hosts(struct db *, long interval);

#endif
