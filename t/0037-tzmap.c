/* 0037-tzmap: a number's region (phone_region) and its zone from a zone1970.tab (tzmap_zone): the customer's zone when it is the country's, else the country's first, a shared row, unknown countries and bad names; then tzdata's own table. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/phone.h"
#include "core/tzmap.h"
#include "tap.h"

/* A small table in the file's format: comments, shared rows, junk. */
static const char table[] =
    "# tzdb timezone descriptions\n"
    "#codes\tcoordinates\tTZ\tcomments\n"
    "CH,DE,LI\t+4723+00832\tEurope/Zurich\tBusingen\n"
    "DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of Germany\n"
    "GB,GG,IM,JE\t+513030-0000731\tEurope/London\n"
    "ID\t-0610+10648\tAsia/Jakarta\tJava, Sumatra\n"
    "ID\t-0507+11924\tAsia/Makassar\tBorneo (east, south)\n"
    "US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)\n"
    "US\t+340308-1181434\tAmerica/Los_Angeles\tPacific\n"
    "XY\tbad\n"
    "ZZ\t+0000+00000\t../etc/passwd\n";

struct rcase {
	const char	*e164, *want;	/* "" when no region */
};

static const struct rcase regions[] = {
	{ "+6281234567890", "ID" },
	{ "+442079460958", "GB" },
	{ "+12125550123", "US" },
	{ "+14165550123", "CA" },
	{ "+4930123456", "DE" },
	{ "+79161234567", "RU" },
	{ "+77011234567", "KZ" },
	{ "+999123", "" },
	{ "6281234567890", "" },
	{ "+", "" },
	{ "+x1", "" },
	{ "", "" },
};

struct zcase {
	const char	*region, *mine, *want;	/* want NULL: unknown */
};

static const struct zcase zones[] = {
	{ "ID", "Asia/Jakarta", "Asia/Jakarta" },
	{ "ID", "Asia/Makassar", "Asia/Makassar" },	/* the customer's */
	{ "ID", "Europe/London", "Asia/Jakarta" },	/* not ID's: the first */
	{ "ID", NULL, "Asia/Jakarta" },
	{ "US", "Asia/Jakarta", "America/New_York" },
	{ "US", "America/Los_Angeles", "America/Los_Angeles" },
	{ "DE", NULL, "Europe/Berlin" },	/* the row it leads, not CH's */
	{ "DE", "Europe/Zurich", "Europe/Zurich" },
	{ "SE", NULL, "Europe/Berlin" },	/* only in a shared row */
	{ "JE", "Asia/Jakarta", "Europe/London" },
	{ "FR", "Asia/Jakarta", NULL },		/* not in the table */
	{ "XY", NULL, NULL },			/* its row has no zone */
	{ "ZZ", NULL, NULL },			/* a path is no zone */
	{ "", NULL, NULL },
	{ "IDN", NULL, NULL },
};

int
main(void)
{
	struct tzmap	 m;
	char		 path[] = "/tmp/0037-tzmap.XXXXXX", cc[3];
	const char	*z;
	size_t		 i;
	int		 fd;

	for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		phone_region(regions[i].e164, cc);
		is_str(cc, regions[i].want, "phone_region(%s)",
		    regions[i].e164);
	}
	ok(phone_region(NULL, cc) == -1 && cc[0] == '\0', "no number");

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, table, sizeof(table) - 1) != (ssize_t)sizeof(table) - 1)
		return 1;
	close(fd);
	ok(tzmap_load(&m, path) == 0, "the small table read");
	unlink(path);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		z = tzmap_zone(&m, zones[i].region, zones[i].mine);
		is_str(z != NULL ? z : "(none)", zones[i].want != NULL ?
		    zones[i].want : "(none)", "tzmap_zone(%s, %s)",
		    zones[i].region, zones[i].mine ? zones[i].mine : "NULL");
	}
	tzmap_free(&m);
	tzmap_free(&m);
	ok(tzmap_load(&m, "/nonexistent/zone1970.tab") == -1 &&
	    strstr(m.err, "/nonexistent/zone1970.tab") != NULL,
	    "a missing table: -1 and why");
	tzmap_free(&m);

	ok(tzmap_zone_ok(NULL, "America/Argentina/Buenos_Aires"), "a name");
	ok(tzmap_zone_ok(NULL, "Etc/GMT+7"), "a name with +");
	ok(!tzmap_zone_ok(NULL, "Asia/../../etc/passwd"), "no ..");
	ok(!tzmap_zone_ok(NULL, "/etc/passwd"), "no absolute path");
	ok(!tzmap_zone_ok(NULL, "Asia/Jakarta;drop"), "no other character");
	ok(!tzmap_zone_ok(NULL, ""), "not empty");
	ok(!tzmap_zone_ok(NULL, NULL), "not NULL");

	/* tzdata's own table (a runtime dependency). */
	if (tzmap_load(&m, TZMAP_DIR "/" TZMAP_TAB) == -1) {
		skip("no tzdata", "tzdata's table");
		tzmap_free(&m);
		return done_testing();
	}
	is_str(tzmap_zone(&m, "ID", "Asia/Jakarta"), "Asia/Jakarta",
	    "tzdata: ID, a customer in Jakarta");
	is_str(tzmap_zone(&m, "ID", "Asia/Jayapura"), "Asia/Jayapura",
	    "tzdata: ID, a customer in Jayapura");
	is_str(tzmap_zone(&m, "GB", "Asia/Jakarta"), "Europe/London",
	    "tzdata: GB");
	is_str(tzmap_zone(&m, "US", "Asia/Jakarta"), "America/New_York",
	    "tzdata: US, its first zone");
	z = tzmap_zone(&m, "DE", NULL);
	is_str(z, "Europe/Berlin", "tzdata: DE");
	ok(tzmap_zone_ok(TZMAP_DIR, "Asia/Jakarta"), "tzdata has Jakarta");
	ok(!tzmap_zone_ok(TZMAP_DIR, "Asia/Nowhere"), "... and no Nowhere");
	tzmap_free(&m);
	return done_testing();
}
