/* tzlist.h: the IANA time zones the profile offers, read from PostgreSQL once per worker. */
#ifndef WA_TZLIST_H
#define WA_TZLIST_H

#include <stddef.h>

struct db;
struct json_object;

#define TZ_NAME_MAX	64	/* users.time_zone's CHECK */

int	tzlist_load(struct db *);
int	tzlist_has(const char *);
int	tzlist_valid_name(const char *, size_t);
struct json_object *tzlist_groups(const char *);

#endif
