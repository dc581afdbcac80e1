/* ctl_host.h: waportalctl host add|list|update|disable|enable: the gateway servers. */
#ifndef WA_CTL_HOST_H
#define WA_CTL_HOST_H

#include "ctl.h"

struct stmt_set;

extern const struct stmt_set ctl_host_stmts;

extern const char ctl_host_usage[];

int	ctl_host(struct ctl *, int, char **);

#endif
