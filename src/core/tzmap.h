/* tzmap.h: a country's time zones from tzdata's zone1970.tab, and the zone its numbers get (the customer's own when it is one of them). */
#ifndef WA_TZMAP_H
#define WA_TZMAP_H

#include <stddef.h>

#define TZMAP_DIR	"/usr/share/zoneinfo"	/* tzdata (Debian: tzdata) */
#define TZMAP_TAB	"zone1970.tab"
#define TZMAP_ZONE_MAX	64	/* broadcast_recipients.tz (sql/0034) */

/* One row of the table: a country of a zone's row. */
struct tzmap_row {
	char	 cc[3];		/* ISO 3166, e.g. "ID" */
	int	 first;		/* the row's first country */
	char	*zone;		/* "Asia/Jakarta", owned by the row */
};

struct tzmap {
	struct tzmap_row	*rows;
	size_t			 n;
	char			 err[128];	/* why tzmap_load failed */
};

/* Read the table at path (e.g. TZMAP_DIR "/" TZMAP_TAB): 0, or -1 with
 * m->err set. Free with tzmap_free, also after a failure. */
int		 tzmap_load(struct tzmap *m, const char *path);
void		 tzmap_free(struct tzmap *m);

/*
 * The zone for a number of region (e.g. "ID"): mine (the customer's)
 * when it is one of that country's zones; else the first zone of a row
 * that lists the country first; else the first row that lists it; NULL
 * when the table does not know the country. Points into m or is mine.
 */
const char	*tzmap_zone(const struct tzmap *m, const char *region,
		    const char *mine);

/* 1 when zone is a zone name (letters, digits, "/_+-", no "..", at
 * most TZMAP_ZONE_MAX) whose file is in dir (e.g. TZMAP_DIR; NULL: the
 * name alone); else 0. */
int		 tzmap_zone_ok(const char *dir, const char *zone);

#endif
