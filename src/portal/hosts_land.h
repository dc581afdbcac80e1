/* hosts_land.h: the land under the hosts map (Natural Earth 1:110m, src/portal/land/) drawn as SVG paths in the map's projection. */
#ifndef WA_HOSTS_LAND_H
#define WA_HOSTS_LAND_H

#include <stddef.h>

struct hosts_map;
struct json_object;

/* One ring of the land: hosts_land_pt[2 * first ...], lon and lat in
 * tenths of a degree; a hole belongs to the outer ring before it. */
struct hosts_land_ring {
	unsigned	 first;
	unsigned	 n;
	int		 hole;
};

/* The tables land2c.awk compiles from src/portal/land/ne_110m_land.txt. */
extern const short hosts_land_pt[];
extern const struct hosts_land_ring hosts_land_rings[];
extern const size_t hosts_land_nrings;

struct json_object *hosts_land_paths(const struct hosts_map *);

#endif
