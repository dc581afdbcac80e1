/* ctl_check.h: waportalctl check: one command that says whether a deployment works. */
#ifndef WA_CTL_CHECK_H
#define WA_CTL_CHECK_H

#include "ctl.h"

struct stmt_set;

extern const struct stmt_set ctl_check_stmts;

extern const char ctl_check_usage[];

int	ctl_check(struct ctl *, int, char **);

#endif
