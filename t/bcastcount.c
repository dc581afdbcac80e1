/* bcastcount.c: test tool: the dry-run count of a broadcast's audience (aud_bcast_count) on $DATABASE_URL: bcastcount CUSTOMER UNKNOWN(0|1) KIND:REF... prints the count, "refused" or "error". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aud/aud_bcast.h"
#include "core/db.h"

/* "kind:ref" into s; 0 or -1. */
static int
parse_source(const char *a, struct aud_bcast_source *s)
{
	const char	*colon = strchr(a, ':');
	char		 kind[16];
	int		 k;

	if (colon == NULL || (size_t)(colon - a) >= sizeof(kind))
		return -1;
	memcpy(kind, a, (size_t)(colon - a));
	kind[colon - a] = '\0';
	if ((k = aud_bcast_kind(kind)) < 0)
		return -1;
	memset(s, 0, sizeof(*s));
	s->kind = (enum aud_bcast_kind)k;
	s->ref = strtoll(colon + 1, NULL, 10);
	return 0;
}

int
main(int argc, char **argv)
{
	struct aud_bcast_source	 s[AUD_BCAST_SOURCES];
	const char		*url = getenv("DATABASE_URL");
	struct db		 db;
	int64_t			 n;
	int			 i;

	if (url == NULL || argc < 3 || argc - 3 > AUD_BCAST_SOURCES) {
		fprintf(stderr, "usage: bcastcount CUSTOMER UNKNOWN "
		    "KIND:REF...\n");
		return 2;
	}
	for (i = 3; i < argc; i++)
		if (parse_source(argv[i], &s[i - 3]) == -1) {
			printf("refused\n");
			return 0;
		}
	db_init(&db, url, 5, 30000);
	n = aud_bcast_count(&db, strtoll(argv[1], NULL, 10), s, argc - 3,
	    strcmp(argv[2], "1") == 0);
	if (n == -2)
		printf("refused\n");
	else if (n < 0)
		printf("error\n");
	else
		printf("%lld\n", (long long)n);
	db_free(&db);
	return n == -1;
}
