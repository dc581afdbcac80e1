/* ctl_host_priv.h: host validators and secret readers shared by ctl_host.c. */
#ifndef WA_CTL_HOST_PRIV_H
#define WA_CTL_HOST_PRIV_H

#include <stddef.h>

#include "ctl_account.h"

/*
 * Each validator checks in (trimmed in place) and on success stores
 * the value to keep in *out (the caller frees it) and returns 0; on
 * failure it returns -1 with a static message in *err that never
 * quotes the value.
 */
int	ctl_host_check_name(char *, char **, const char **);
int	ctl_host_check_driver(char *, char **, const char **);
int	ctl_host_check_url(char *, char **, const char **);
int	ctl_host_check_city(char *, char **, const char **);
int	ctl_host_check_country(char *, char **, const char **);
int	ctl_host_check_lat(char *, char **, const char **);
int	ctl_host_check_lon(char *, char **, const char **);
int	ctl_host_check_capacity(char *, char **, const char **);

/*
 * The secret for option opt: from the file path names, or stdin if
 * path is NULL.  Returns one line of min..max printable ASCII bytes
 * (the caller wipes and frees it), or NULL after a message (status 1)
 * that never quotes it.
 */
char	*ctl_host_secret_read(struct ctl_run *, const char *, const char *,
	    size_t, size_t);

/*
 * A new webhook secret: 32 random bytes in hex (the caller frees it),
 * or NULL if no random bytes came.
 */
char	*ctl_host_secret_new(void);

#endif
