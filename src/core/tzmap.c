/* tzmap.c: a country's time zones from tzdata's zone1970.tab, and the zone its numbers get (the customer's own when it is one of them). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tzmap.h"
#include "xmalloc.h"

/* Append the row (cc, zone) to m. */
static void
tzmap_add(struct tzmap *m, const char *cc, int first, const char *zone,
    size_t *cap)
{
	struct tzmap_row	*r;

	if (m->n == *cap) {
		*cap = *cap == 0 ? 512 : *cap * 2;
		m->rows = xreallocarray(m->rows, *cap, sizeof(*m->rows));
	}
	r = &m->rows[m->n++];
	memcpy(r->cc, cc, 2);
	r->cc[2] = '\0';
	r->first = first;
	r->zone = xstrdup(zone);
}

/* One line of the table: "CC[,CC...]<TAB>coordinates<TAB>zone[...]". */
static void
tzmap_line(struct tzmap *m, char *line, size_t *cap)
{
	char	*codes, *zone, *cc;
	int	 first = 1;

	if (line[0] == '#' || (codes = strtok(line, "\t\n")) == NULL ||
	    strtok(NULL, "\t\n") == NULL || (zone = strtok(NULL, "\t\n")) ==
	    NULL || !tzmap_zone_ok(NULL, zone))
		return;
	for (cc = codes; cc != NULL; cc = strchr(cc, ',')) {
		if (*cc == ',')
			cc++;
		if (isupper((unsigned char)cc[0]) &&
		    isupper((unsigned char)cc[1]) &&
		    (cc[2] == ',' || cc[2] == '\0'))
			tzmap_add(m, cc, first, zone, cap);
		first = 0;
	}
}

int
tzmap_load(struct tzmap *m, const char *path)
{
	FILE	*f;
	char	 line[1024];
	size_t	 cap = 0;

	memset(m, 0, sizeof(*m));
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(m->err, sizeof(m->err), "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		tzmap_line(m, line, &cap);
	fclose(f);
	if (m->n == 0) {
		snprintf(m->err, sizeof(m->err), "%s: no zone", path);
		return -1;
	}
	return 0;
}

void
tzmap_free(struct tzmap *m)
{
	size_t	 i;

	for (i = 0; i < m->n; i++)
		free(m->rows[i].zone);
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

const char *
tzmap_zone(const struct tzmap *m, const char *region, const char *mine)
{
	const char	*any = NULL, *first = NULL;
	size_t		 i;

	if (region == NULL || strlen(region) != 2)
		return NULL;
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->rows[i].cc, region) != 0)
			continue;
		if (mine != NULL && strcmp(m->rows[i].zone, mine) == 0)
			return m->rows[i].zone;
		if (any == NULL)
			any = m->rows[i].zone;
		if (first == NULL && m->rows[i].first)
			first = m->rows[i].zone;
	}
	return first != NULL ? first : any;
}

int
tzmap_zone_ok(const char *dir, const char *zone)
{
	char	 path[512];
	size_t	 i, n;

	n = zone != NULL ? strlen(zone) : 0;
	if (n == 0 || n > TZMAP_ZONE_MAX || zone[0] == '/' ||
	    strstr(zone, "..") != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)zone[i]) &&
		    strchr("/_+-", zone[i]) == NULL)
			return 0;
	if (dir == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", dir, zone);
	return access(path, R_OK) == 0;
}
