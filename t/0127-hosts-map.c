/* 0127-hosts-map: the hosts map: fit, one scale for both axes, shared spots spread, labels apart and inside, graticule, land. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "portal/hosts_land.h"
#include "portal/hosts_map.h"
#include "tap.h"

struct place {
	const char	*city;
	double		 lat, lon;
};

static const struct place indonesia[] = {
	{ "Jakarta", -6.2088, 106.8456 },
	{ "Bandung", -6.9175, 107.6191 },
	{ "Surabaya", -7.2575, 112.7521 },
	{ "Medan", 3.5952, 98.6722 },
	{ "Singapore", 1.3521, 103.8198 },
};

static const struct place world[] = {
	{ "Jakarta", -6.2088, 106.8456 },
	{ "London", 51.5074, -0.1278 },
	{ "New York", 40.7128, -74.0060 },
	{ "Sydney", -33.8688, 151.2093 },
	{ "São Paulo", -23.5505, -46.6333 },
};

static const struct place stacked[] = {
	{ "Jakarta", -6.2, 106.8 }, { "Jakarta", -6.2, 106.8 },
	{ "Jakarta", -6.2, 106.8 }, { "Jakarta", -6.2, 106.8 },
	{ "Jakarta", -6.2, 106.8 }, { "Jakarta", -6.2, 106.8 },
	{ "Jakarta", -6.2, 106.8 }, { "Jakarta", -6.2, 106.8 },
	{ "Bekasi", -6.2, 106.8 },
};

static size_t
load(struct hosts_map_pt *p, const struct place *pl, size_t n)
{
	size_t	 i;

	memset(p, 0, n * sizeof(*p));
	for (i = 0; i < n; i++) {
		p[i].lat = pl[i].lat;
		p[i].lon = pl[i].lon;
		p[i].label = pl[i].city;
	}
	return n;
}

static double
dabs(double a)
{
	return a < 0 ? -a : a;
}

/* The label box as hosts_map.c estimates it. */
static void
box(const struct hosts_map_pt *p, double b[4])
{
	double	 w = 0;
	const char *s;

	for (s = p->label; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w += HOSTS_MAP_CHAR_W;
	b[0] = p->label_end ? p->lx - w : p->lx;
	b[2] = p->label_end ? p->lx : p->lx + w;
	b[1] = p->ly - HOSTS_MAP_LINE_H + 3;
	b[3] = p->ly + 3;
}

/* Every marker and label inside the map, no two labels over each other. */
static void
check_layout(const char *name, const struct hosts_map *m,
    const struct hosts_map_pt *p, size_t n)
{
	double	 a[4], b[4];
	size_t	 i, j;
	int	 inside = 1, apart = 1;

	for (i = 0; i < n; i++) {
		if (p[i].x < 8 || p[i].x > m->w - 8 || p[i].y < 8 ||
		    p[i].y > m->h - 8)
			inside = 0;
		if (!p[i].labelled)
			continue;
		box(&p[i], a);
		if (a[0] < 0 || a[2] > m->w || a[1] < 0 || a[3] > m->h)
			inside = 0;
		for (j = 0; j < i; j++) {
			if (!p[j].labelled)
				continue;
			box(&p[j], b);
			if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
				apart = 0;
		}
	}
	ok(inside, "%s: every marker and label inside the %gx%g map", name,
	    m->w, m->h);
	ok(apart, "%s: no label over another", name);
}

static void
test_indonesia(void)
{
	struct hosts_map_pt	 p[5];
	struct hosts_map	 m;
	size_t			 n = load(p, indonesia, 5), i;
	double			 kx, ky;
	int			 labelled = 0;

	is_int(hosts_map_fit(&m, p, n), 0, "indonesia: fits");
	hosts_map_place(&m, p, n);
	is_int((int)m.w, HOSTS_MAP_W, "indonesia: the fixed width");
	ok(m.h >= 220 && m.h <= 360, "indonesia: a height in range (%g)", m.h);
	ok(p[3].x < p[4].x && p[4].x < p[0].x && p[0].x < p[1].x &&
	    p[1].x < p[2].x, "indonesia: west to east: Medan, Singapore, "
	    "Jakarta, Bandung, Surabaya");
	ok(p[3].y < p[4].y && p[4].y < p[0].y && p[0].y < p[1].y &&
	    p[1].y < p[2].y, "indonesia: north to south likewise");
	/* One scale: a degree of latitude is 1/cos(mid) longitude degrees. */
	kx = (p[2].x - p[3].x) / (indonesia[2].lon - indonesia[3].lon);
	ky = (p[2].y - p[3].y) / (indonesia[3].lat - indonesia[2].lat);
	ok(dabs(kx / ky - 0.99975) < 0.003, "indonesia: equirectangular "
	    "around the middle latitude (kx/ky %.4f)", kx / ky);
	for (i = 0; i < n; i++)
		labelled += p[i].labelled;
	is_int(labelled, 5, "indonesia: five cities, five labels");
	check_layout("indonesia", &m, p, n);
}

static void
test_world(void)
{
	struct hosts_map_pt	 p[5];
	struct hosts_map	 m;
	size_t			 n = load(p, world, 5);

	is_int(hosts_map_fit(&m, p, n), 0, "world: fits");
	hosts_map_place(&m, p, n);
	ok(p[2].x < p[1].x && p[1].x < p[0].x && p[0].x < p[3].x,
	    "world: New York, London, Jakarta, Sydney west to east");
	ok(m.step >= 30, "world: a coarse graticule (%d degrees)", m.step);
	check_layout("world", &m, p, n);
}

static void
test_single(void)
{
	struct hosts_map_pt	 p[1];
	struct hosts_map	 m;

	load(p, indonesia, 1);
	is_int(hosts_map_fit(&m, p, 0), -1, "no points: no map");
	is_int(hosts_map_fit(&m, p, 1), 0, "one point: a map");
	hosts_map_place(&m, p, 1);
	ok(dabs(p[0].x - m.w / 2) < 0.1 && dabs(p[0].y - m.h / 2) < 0.1,
	    "one point: in the middle (%g, %g)", p[0].x, p[0].y);
	ok(p[0].labelled && !p[0].label_end && p[0].lx > p[0].x,
	    "one point: labelled on its right");
	ok(m.s * m.c <= (m.w - 72) / 8 + 0.01,
	    "one point: not zoomed closer than 8 degrees across");
}

static void
test_stacked(void)
{
	struct hosts_map_pt	 p[9];
	struct hosts_map	 m;
	size_t			 n = load(p, stacked, 9), i, j;
	double			 d, dmin = 1e9;

	hosts_map_fit(&m, p, n);
	hosts_map_place(&m, p, n);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			d = dabs(p[i].x - p[j].x) + dabs(p[i].y - p[j].y);
			if (d < dmin)
				dmin = d;
		}
	ok(dmin >= 12, "nine hosts on one spot: spread apart (closest %g)",
	    dmin);
	ok(p[0].x == hosts_map_round(m.w / 2), "the first stays on the spot");
	ok(p[0].labelled, "the spot's first Jakarta is labelled");
	for (i = 1, j = 0; i < 8; i++)
		j += p[i].labelled;
	is_int(j, 0, "the other Jakartas are not labelled again");
	ok(p[8].labelled, "Bekasi on the same spot gets its own label");
	ok(p[0].lx - p[0].x > 13, "the label clears the ring of markers");
	check_layout("stacked", &m, p, n);
}

/* A graticule line whose text is want, or NULL. */
static struct json_object *
grid_find(struct json_object *grid, const char *want)
{
	struct json_object	*l, *t;
	size_t			 i;

	for (i = 0; i < json_object_array_length(grid); i++) {
		l = json_object_array_get_idx(grid, i);
		if (json_object_object_get_ex(l, "text", &t) &&
		    strcmp(json_object_get_string(t), want) == 0)
			return l;
	}
	return NULL;
}

static void
test_grid(void)
{
	struct hosts_map_pt	 p[5];
	struct hosts_map	 m;
	struct json_object	*g, *l, *v;

	load(p, indonesia, 5);
	hosts_map_fit(&m, p, 5);
	g = hosts_map_grid(&m);
	is_int(m.step, 5, "indonesia: a line every 5 degrees");
	ok((l = grid_find(g, "105\xc2\xb0" "E")) != NULL, "a meridian 105°E");
	ok(l != NULL && json_object_object_get_ex(l, "x1", &v) &&
	    json_object_get_double(v) > 0 && json_object_get_double(v) < m.w,
	    "... inside the map");
	ok(grid_find(g, "5\xc2\xb0S") != NULL, "a parallel 5°S");
	ok((l = grid_find(g, "0\xc2\xb0")) != NULL &&
	    json_object_object_get_ex(l, "equator", NULL), "the equator, marked");
	ok(grid_find(g, "100\xc2\xb0" "E") != NULL &&
	    grid_find(g, "90\xc2\xb0" "E") == NULL &&
	    grid_find(g, "120\xc2\xb0" "E") == NULL,
	    "meridians only where the map is");
	json_object_put(g);
}

static void
test_round(void)
{
	static const struct {
		double	 in, want;
	} t[] = {
		{ 1.25, 1.3 }, { -1.25, -1.3 }, { 0.04, 0 }, { 319.99, 320 },
		{ -0.06, -0.1 }, { 12.3, 12.3 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ok(dabs(hosts_map_round(t[i].in) - t[i].want) < 1e-9,
		    "round %g -> %g", t[i].in, t[i].want);
}

static void
test_edges(void)
{
	static const struct place far[] = {
		{ "North", 89.9, 179.9 }, { "South", -89.9, -179.9 },
	};
	struct hosts_map_pt	 p[2];
	struct hosts_map	 m;
	struct json_object	*g;

	load(p, far, 2);
	is_int(hosts_map_fit(&m, p, 2), 0, "the poles and the antimeridian fit");
	hosts_map_place(&m, p, 2);
	check_layout("poles", &m, p, 2);
	g = hosts_map_grid(&m);
	ok(grid_find(g, "180\xc2\xb0" "E") != NULL &&
	    grid_find(g, "210\xc2\xb0" "E") == NULL, "no meridian past 180°");
	ok(grid_find(g, "90\xc2\xb0N") != NULL || grid_find(g, "60\xc2\xb0N") != NULL,
	    "parallels up to the pole");
	json_object_put(g);
}

/* The path data of land[i]. */
static const char *
land_d(struct json_object *land, size_t i)
{
	struct json_object	*d;

	if (!json_object_object_get_ex(json_object_array_get_idx(land, i), "d",
	    &d))
		return "";
	return json_object_get_string(d);
}

/*
 * 1 when (x, y) is inside path data d under fill-rule evenodd: a ray to
 * the east crosses its edges an odd number of times. d is "Mx yLx y x
 * y...Z", one or more times.
 */
static int
land_inside(const char *d, double x, double y)
{
	double	 x0 = 0, y0 = 0, px = 0, py = 0, cx, cy;
	int	 in = 0, n = 0;
	char	*end;

	while (*d != '\0') {
		if (*d == 'Z') {
			cx = x0, cy = y0, n = 0;
			d++;
		} else {
			if (*d == 'M' || *d == 'L' || *d == ' ')
				d++;
			cx = strtod(d, &end);
			cy = strtod(end + 1, &end);
			d = end;
			if (n++ == 0) {
				x0 = px = cx, y0 = py = cy;
				continue;
			}
		}
		if ((py > y) != (cy > y) &&
		    x < px + (y - py) * (cx - px) / (cy - py))
			in = !in;
		px = cx, py = cy;
	}
	return in;
}

/* 1 when the place is on land in one of the paths. */
static int
land_at(const struct hosts_map *m, struct json_object *land, double lat,
    double lon)
{
	double	 x, y;
	size_t	 i;

	hosts_map_project(m, lat, lon, &x, &y);
	for (i = 0; i < json_object_array_length(land); i++)
		if (land_inside(land_d(land, i), x, y))
			return 1;
	return 0;
}

/* Every path is numbers, spaces and M L Z only, inside the view's pad. */
static void
check_land(const char *name, const struct hosts_map *m,
    struct json_object *land)
{
	regex_t		 re;
	const char	*d, *q;
	char		*end;
	double		 v;
	size_t		 i;
	int		 clean = 1, inside = 1, axis;

	regcomp(&re, "^(M-?[0-9.]+ -?[0-9.]+L-?[0-9.]+ -?[0-9.]+"
	    "( -?[0-9.]+ -?[0-9.]+)+Z)+$", REG_EXTENDED | REG_NOSUB);
	for (i = 0; i < json_object_array_length(land); i++) {
		d = land_d(land, i);
		if (regexec(&re, d, 0, NULL, 0) != 0) {
			clean = 0;
			diag("%s: path %zu: %.60s", name, i, d);
		}
		for (q = d, axis = 0; *q != '\0'; axis = !axis, q = end) {
			while (*q == 'M' || *q == 'L' || *q == 'Z' || *q == ' ')
				q++;
			if (*q == '\0')
				break;
			v = strtod(q, &end);
			if (end == q)
				break;
			if (v < -8.05 || v > (axis ? m->h : m->w) + 8.05)
				inside = 0;
		}
	}
	regfree(&re);
	ok(clean, "%s: land paths are numbers and M, L, Z only", name);
	ok(inside, "%s: clipped to the view", name);
}

static void
test_land(void)
{
	static const struct place chukotka[] = { { "", 65, -178 } };
	struct hosts_map_pt	 p[5];
	struct hosts_map	 m;
	struct json_object	*land;

	ok(hosts_land_nrings > 100, "the land: %zu rings", hosts_land_nrings);
	load(p, indonesia, 5);
	hosts_map_fit(&m, p, 5);
	land = hosts_land_paths(&m);
	ok(json_object_array_length(land) >= 4,
	    "indonesia: land paths drawn (%zu)", json_object_array_length(land));
	check_land("indonesia", &m, land);
	ok(land_at(&m, land, 0.5, 114), "indonesia: Borneo is land");
	ok(land_at(&m, land, -6.9, 107.6), "indonesia: Bandung is land");
	ok(land_at(&m, land, -1, 102), "indonesia: Sumatra is land");
	ok(!land_at(&m, land, -5, 110), "indonesia: the Java Sea is not");
	ok(!land_at(&m, land, -10, 100), "indonesia: the Indian Ocean is not");
	ok(strlen(json_object_to_json_string(land)) < 16000,
	    "indonesia: the land is small (%zu bytes)",
	    strlen(json_object_to_json_string(land)));
	json_object_put(land);

	load(p, world, 5);
	hosts_map_fit(&m, p, 5);
	land = hosts_land_paths(&m);
	check_land("world", &m, land);
	ok(land_at(&m, land, 51.5, -0.1) && land_at(&m, land, 23, 10) &&
	    land_at(&m, land, 40.7, -74) && land_at(&m, land, -33.9, 151.2),
	    "world: London, the Sahara, New York, Sydney are land");
	ok(!land_at(&m, land, 30, -40) && !land_at(&m, land, 0, -150),
	    "world: the Atlantic and the Pacific are not");
	json_object_put(land);

	/* A view across 180 degrees, on the Gulf of Anadyr: the land of
	 * both sides (Asia's polygon drawn a turn west, ne_110m_land.txt
	 * keeps its longitudes continuous past 180). */
	load(p, chukotka, 1);
	hosts_map_fit(&m, p, 1);
	land = hosts_land_paths(&m);
	check_land("chukotka", &m, land);
	ok(land_at(&m, land, 66.3, -185) && land_at(&m, land, 66.3, -172),
	    "across 180: land west and east of it (%g to %g)", m.west,
	    m.west + m.w / (m.s * m.c));
	ok(!land_at(&m, land, 65, -178), "... the gulf between is not");
	json_object_put(land);
}

int
main(void)
{
	test_single();
	test_indonesia();
	test_world();
	test_stacked();
	test_grid();
	test_round();
	test_edges();
	test_land();
	return done_testing();
}
