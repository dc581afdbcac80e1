/* tzlist.c: the IANA time zones the profile offers, read from PostgreSQL once per worker and kept sorted. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/xmalloc.h"
#include "web/module.h"
#include "tzlist.h"

/* The column of TZ_NAMES. */
enum { TZN_NAME, TZN__MAX };

enum { TZ_NAMES, TZ__MAX };

static const struct stmt tzlist_sql[TZ__MAX] = {
	/* The zones the profile offers: IANA area/location names and UTC. */
	[TZ_NAMES] = { "tzlist.names",
	    "SELECT name FROM pg_timezone_names WHERE name ~ "
	    "'^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|"
	    "Europe|Indian|Pacific)/[A-Za-z]' OR name = 'UTC' ORDER BY name",
	    0, DB_RETRY, DB_COLS(TZN__MAX, [TZN_NAME] = "name") },
};

/* The statement for the check: the list is read by the profile page. */
const struct module tzlist_module = {
	.name = "tzlist",
	MODULE_SQL(tzlist_sql),
};

/* The worker's list: loaded on first use, kept for its life. */
static struct {
	char	**names;
	size_t	  n;
} tz_cache;

static int
tzlist_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Load the zones PostgreSQL knows (area/location names and UTC) unless
 * this worker has them already. pg_timezone_names reads the whole zone
 * database, so it runs once per worker. Returns 0, or -1 when the
 * database failed (the next call tries again).
 */
int
tzlist_load(struct db *db)
{
	PGresult	*res;
	size_t		 i;

	if (tz_cache.names != NULL)
		return 0;
	if ((res = db_exec(db, &tzlist_sql[TZ_NAMES], NULL)) == NULL)
		return -1;
	tz_cache.n = (size_t)PQntuples(res);
	tz_cache.names = xcalloc(tz_cache.n + 1, sizeof(char *));
	for (i = 0; i < tz_cache.n; i++)
		tz_cache.names[i] = xstrdup(db_get(res, (int)i, TZN_NAME));
	PQclear(res);
	/* strcmp order for bsearch, whatever the database's collation. */
	qsort(tz_cache.names, tz_cache.n, sizeof(char *), tzlist_cmp);
	return 0;
}

/* 1 when name is in the loaded list. */
int
tzlist_has(const char *name)
{
	if (tz_cache.names == NULL)
		return 0;
	return bsearch(&name, tz_cache.names, tz_cache.n, sizeof(char *),
	    tzlist_cmp) != NULL;
}

static int
tzlist_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * The shape of an IANA name: parts of [A-Za-z0-9_+-] that start with a
 * letter, joined by '/', at most TZ_NAME_MAX bytes. No dot, so no path
 * tricks; membership in the list is checked apart.
 */
int
tzlist_valid_name(const char *s, size_t n)
{
	size_t	 i;
	int	 start = 1;
	char	 c;

	if (n == 0 || n > TZ_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (start && !tzlist_alpha(c))
			return 0;
		start = c == '/';
		if (!start && !tzlist_alpha(c) && !(c >= '0' && c <= '9') &&
		    c != '_' && c != '+' && c != '-')
			return 0;
	}
	return !start;
}

/* The area of a name: what comes before the first '/', or the name. */
static struct json_object *
tzlist_area(const char *name)
{
	const char	*slash = strchr(name, '/');

	return json_object_new_string_len(name, slash != NULL ?
	    (int)(slash - name) : (int)strlen(name));
}

/* A new group {area, zones: []} appended to groups; returns its zones. */
static struct json_object *
tzlist_group(struct json_object *groups, const char *name)
{
	struct json_object	*g = json_object_new_object(), *zones;

	zones = json_object_new_array();
	json_object_object_add(g, "area", tzlist_area(name));
	json_object_object_add(g, "zones", zones);
	json_object_array_add(groups, g);
	return zones;
}

static void
tzlist_zone(struct json_object *zones, const char *name, int selected)
{
	struct json_object	*z = json_object_new_object();

	json_object_object_add(z, "name", json_object_new_string(name));
	json_object_object_add(z, "selected",
	    json_object_new_boolean(selected));
	json_object_array_add(zones, z);
}

/*
 * The loaded zones as <optgroup>s for the templates: [{area, zones:
 * [{name, selected}]}], with selected marked. A selected name not in
 * the list (set by an administrator) comes first, so a save keeps it.
 * The caller owns the result.
 */
struct json_object *
tzlist_groups(const char *selected)
{
	struct json_object	*groups = json_object_new_array();
	struct json_object	*zones = NULL;
	size_t			 i, alen, plen = 0;
	const char		*name, *prev = NULL;

	if (selected != NULL && *selected != '\0' && !tzlist_has(selected))
		tzlist_zone(tzlist_group(groups, selected), selected, 1);
	for (i = 0; i < tz_cache.n; i++) {
		name = tz_cache.names[i];
		alen = strcspn(name, "/");
		if (prev == NULL || alen != plen ||
		    memcmp(name, prev, alen) != 0)
			zones = tzlist_group(groups, name);
		tzlist_zone(zones, name, selected != NULL &&
		    strcmp(name, selected) == 0);
		prev = name;
		plen = alen;
	}
	return groups;
}
