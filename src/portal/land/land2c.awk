# land2c.awk: turn the map's land (ne_110m_land.txt) into the C tables of hosts_land.h: awk -f land2c.awk ne_110m_land.txt.
#
# A line "o|h lon,lat ..." is one ring (README.md beside this file);
# the points go into one array of shorts, each ring into a row {first
# point, count, hole}. Anything else but a comment stops the build.

BEGIN {
	print "/* hosts_land_data.c: made from src/portal/land/ne_110m_land.txt by src/portal/land/land2c.awk; edit neither (README.md there). */"
	print "#include <stddef.h>"
	print ""
	print "#include \"portal/hosts_land.h\""
	print ""
	print "const short hosts_land_pt[] = {"
	npt = 0; nring = 0
}

/^#/ || /^[ \t]*$/ { next }

$1 == "o" || $1 == "h" {
	if (NF < 4 || ($1 == "h" && nring == 0)) { bad = NR; exit 1 }
	first[nring] = npt; count[nring] = NF - 1; hole[nring] = $1 == "h"
	line = "\t"
	for (i = 2; i <= NF; i++) {
		if ($i !~ /^-?[0-9]+,-?[0-9]+$/) { bad = NR; exit 1 }
		line = line $i ","
		if (length(line) > 64) { print line; line = "\t" }
		npt++
	}
	if (line != "\t")
		print line
	nring++
	next
}

{ bad = NR; exit 1 }

END {
	if (bad) {
		printf "land2c.awk: line %d is not a ring\n", bad >"/dev/stderr"
		exit 1
	}
	print "};"
	print ""
	print "const struct hosts_land_ring hosts_land_rings[] = {"
	for (i = 0; i < nring; i++)
		printf "\t{ %d, %d, %d },\n", first[i], count[i], hole[i]
	print "};"
	print ""
	printf "const size_t hosts_land_nrings = %d;\n", nring
}
