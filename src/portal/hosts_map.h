/* hosts_map.h: place gateway hosts on a small equirectangular map: fit, graticule, markers, labels. */
#ifndef WA_HOSTS_MAP_H
#define WA_HOSTS_MAP_H

#include <stddef.h>

struct json_object;

#define HOSTS_MAP_W	640	/* viewBox width; the height follows the area */
/* A label's box per character and its height, room for the 18-unit text
 * of narrow screens (12 units elsewhere; waportal.css). */
#define HOSTS_MAP_CHAR_W 10.0
#define HOSTS_MAP_LINE_H 20.0

/* One host with a location; the caller fills lat, lon and label. */
struct hosts_map_pt {
	double		 lat, lon;	/* degrees */
	const char	*label;		/* the city ("" for none), not copied */
	double		 x, y;		/* the marker, in viewBox units */
	double		 lx, ly;	/* the label's anchor */
	int		 labelled;	/* 0: another marker carries its label */
	int		 label_end;	/* text-anchor="end" (left of the marker) */
};

/* The area shown: an equirectangular projection around its middle. */
struct hosts_map {
	double		 w, h;		/* viewBox size */
	double		 west, north;	/* degrees at the top-left corner */
	double		 s;		/* viewBox units per degree of latitude */
	double		 c;		/* cos(middle latitude): longitude scale */
	int		 step;		/* graticule step in degrees */
};

int	hosts_map_fit(struct hosts_map *, const struct hosts_map_pt *, size_t);
void	hosts_map_place(const struct hosts_map *, struct hosts_map_pt *,
	    size_t);
void	hosts_map_project(const struct hosts_map *, double lat, double lon,
	    double *x, double *y);
struct json_object *hosts_map_grid(const struct hosts_map *);
double	hosts_map_round(double);

#endif
