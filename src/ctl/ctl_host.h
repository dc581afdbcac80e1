/* ctl_host.h: waportalctl host add|list|update|disable|enable: the gateway servers. */
#ifndef WA_CTL_HOST_H
#define WA_CTL_HOST_H

#include "ctl.h"

extern const char ctl_host_usage[];

int	ctl_host(struct ctl *, int, char **);

#endif
