/* hosts_map.c: place gateway hosts on a small equirectangular map: fit, graticule, markers, labels. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "hosts_map.h"

#define HM_PI		3.14159265358979323846
#define HM_MARGIN	36.0	/* room for edge labels, viewBox units */
#define HM_MIN_H	220.0
#define HM_MAX_H	360.0
#define HM_MIN_DU	8.0	/* degrees of projected width, at most zoom */
#define HM_MIN_DV	3.0	/* degrees of latitude, at most zoom */
#define HM_SAME		3.0	/* markers closer than this share a spot */
#define HM_RING		15.0	/* radius of the ring shared spots spread on */
#define HM_LABEL_GAP	10.0
#define HM_CHAR_W	HOSTS_MAP_CHAR_W
#define HM_LINE_H	HOSTS_MAP_LINE_H

/* x rounded to one decimal: short, stable numbers in the SVG. */
double
hosts_map_round(double x)
{
	return round(x * 10) / 10;
}

/* The way to spot sixth (0-5) of a ring, clockwise from straight up,
 * every other ring turned half a spot further. */
static void
hm_dir(int sixth, int half, double *dx, double *dy)
{
	double	 a = ((2 * sixth + half) * 30 - 90) * HM_PI / 180;

	*dx = cos(a);
	*dy = sin(a);
}

/* The graticule step: the smallest that draws at most 7 meridians. */
static int
hm_step(double degrees_wide)
{
	static const int steps[] = { 1, 2, 5, 10, 15, 30, 45, 90 };
	size_t		 i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) - 1; i++)
		if (degrees_wide / steps[i] <= 7)
			break;
	return steps[i];
}

/*
 * Choose the area for n >= 1 points: all of them inside the margins,
 * at one scale for both axes around their middle latitude, never
 * closer than HM_MIN_DU x HM_MIN_DV degrees. Returns 0, or -1 for none.
 */
int
hosts_map_fit(struct hosts_map *m, const struct hosts_map_pt *p, size_t n)
{
	double	 lat0, lat1, lon0, lon1, du, dv, mid;
	size_t	 i;

	if (n == 0)
		return -1;
	lat0 = lat1 = p[0].lat;
	lon0 = lon1 = p[0].lon;
	for (i = 1; i < n; i++) {
		lat0 = fmin(lat0, p[i].lat), lat1 = fmax(lat1, p[i].lat);
		lon0 = fmin(lon0, p[i].lon), lon1 = fmax(lon1, p[i].lon);
	}
	mid = (lat0 + lat1) / 2;
	m->c = fmax(cos(mid * HM_PI / 180), 0.3);
	du = fmax((lon1 - lon0) * m->c, HM_MIN_DU);
	dv = fmax(lat1 - lat0, HM_MIN_DV);
	m->w = HOSTS_MAP_W;
	m->s = fmin((m->w - 2 * HM_MARGIN) / du, (HM_MAX_H - 2 * HM_MARGIN) /
	    dv);
	m->h = floor(fmax(dv * m->s + 2 * HM_MARGIN, HM_MIN_H) + 0.5);
	m->west = (lon0 + lon1) / 2 - m->w / 2 / (m->s * m->c);
	m->north = mid + m->h / 2 / m->s;
	m->step = hm_step(m->w / (m->s * m->c));
	return 0;
}

/* Where a place is on the map, in viewBox units. */
void
hosts_map_project(const struct hosts_map *m, double lat, double lon,
    double *x, double *y)
{
	*x = (lon - m->west) * m->s * m->c;
	*y = (m->north - lat) * m->s;
}

/* How wide a label's text is, in viewBox units (UTF-8 code points). */
static double
hm_text_w(const char *s)
{
	double	 w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w += HM_CHAR_W;
	return w;
}

struct hm_box {
	double	 x0, y0, x1, y1;
};

static struct hm_box
hm_label_box(double lx, double ly, int end, double w)
{
	struct hm_box	 b;

	b.x0 = end ? lx - w : lx;
	b.x1 = end ? lx : lx + w;
	b.y0 = ly - HM_LINE_H + 3;
	b.y1 = ly + 3;
	return b;
}

static int
hm_overlap(const struct hm_box *a, const struct hm_box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 &&
	    b->y0 < a->y1;
}

/*
 * Put point i's label beside its spot (x0, y0), which gap away from
 * the spot's markers: right, left, below or above, the first that
 * stays inside and misses the labels placed before it.
 */
static void
hm_label(const struct hosts_map *m, struct hosts_map_pt *p, size_t i,
    double x0, double y0, double gap)
{
	const double	 dx[] = { gap, -gap, -gap / 2, -gap / 2 };
	const double	 dy[] = { 4, 4, gap + 12, -gap };
	const int	 end[] = { 0, 1, 0, 0 };
	double		 w = hm_text_w(p[i].label);
	struct hm_box	 b, o;
	size_t		 c, j;

	for (c = 0; c < 4; c++) {
		b = hm_label_box(x0 + dx[c], y0 + dy[c], end[c], w);
		if (b.x0 < 2 || b.x1 > m->w - 2 || b.y0 < 2 || b.y1 > m->h - 2)
			continue;
		for (j = 0; j < i; j++) {
			if (!p[j].labelled)
				continue;
			o = hm_label_box(p[j].lx, p[j].ly, p[j].label_end,
			    hm_text_w(p[j].label));
			if (hm_overlap(&b, &o))
				break;
		}
		if (j == i)
			break;
	}
	if (c == 4)	/* nowhere free: the side with room */
		c = x0 + gap + w > m->w - 2 ? 1 : 0;
	p[i].lx = hosts_map_round(x0 + dx[c]);
	p[i].ly = hosts_map_round(y0 + dy[c]);
	p[i].label_end = end[c];
}

/*
 * Project every point. Points on one spot (a city's hosts) keep the
 * first at the spot and ring the others around it; the first of each
 * spot and city is labelled.
 */
void
hosts_map_place(const struct hosts_map *m, struct hosts_map_pt *p, size_t n)
{
	double	 x0, y0, xj, yj, dx, dy, r;
	size_t	 i, j, k, size;

	for (i = 0; i < n; i++) {
		hosts_map_project(m, p[i].lat, p[i].lon, &x0, &y0);
		p[i].labelled = p[i].label[0] != '\0';
		for (j = 0, k = 0, size = 0; j < n; j++) {
			hosts_map_project(m, p[j].lat, p[j].lon, &xj, &yj);
			if (fabs(xj - x0) >= HM_SAME ||
			    fabs(yj - y0) >= HM_SAME)
				continue;
			size++;
			if (j >= i)
				continue;
			k++;
			if (strcmp(p[j].label, p[i].label) == 0)
				p[i].labelled = 0;
		}
		dx = dy = 0;
		if (k > 0) {
			r = HM_RING * (double)(1 + (k - 1) / 6);
			hm_dir((int)((k - 1) % 6), (int)((k - 1) / 6 % 2), &dx, &dy);
			dx *= r, dy *= r;
		}
		p[i].x = hosts_map_round(x0 + dx);
		p[i].y = hosts_map_round(y0 + dy);
		if (p[i].labelled)
			hm_label(m, p, i, x0, y0, HM_LABEL_GAP +
			    (size > 1 ? HM_RING * (double)(1 + (size - 2) / 6) :
			    0));
	}
}

/* "105°E", "6°S", "0°". */
static struct json_object *
hm_deg(int deg, const char *pos, const char *neg)
{
	char	 s[16];

	snprintf(s, sizeof(s), "%d\xc2\xb0%s", deg < 0 ? -deg : deg,
	    deg > 0 ? pos : deg < 0 ? neg : "");
	return json_object_new_string(s);
}

/* One graticule line {x1, y1, x2, y2, tx, ty, text, equator}. */
static struct json_object *
hm_line(double x1, double y1, double x2, double y2, double tx, double ty,
    struct json_object *text)
{
	struct json_object	*l = json_object_new_object();

	json_object_object_add(l, "x1", json_object_new_double(
	    hosts_map_round(x1)));
	json_object_object_add(l, "y1", json_object_new_double(
	    hosts_map_round(y1)));
	json_object_object_add(l, "x2", json_object_new_double(
	    hosts_map_round(x2)));
	json_object_object_add(l, "y2", json_object_new_double(
	    hosts_map_round(y2)));
	json_object_object_add(l, "tx", json_object_new_double(
	    hosts_map_round(tx)));
	json_object_object_add(l, "ty", json_object_new_double(
	    hosts_map_round(ty)));
	json_object_object_add(l, "text", text);
	return l;
}

/*
 * The graticule: meridians labelled along the bottom edge and parallels
 * along the left, each every m->step degrees, inside the world; the
 * equator is marked. Returns a new array the caller puts.
 */
struct json_object *
hosts_map_grid(const struct hosts_map *m)
{
	struct json_object	*a = json_object_new_array(), *l;
	double			 x, y, east = m->west + m->w / (m->s * m->c);
	double			 south = m->north - m->h / m->s;
	int			 d;

	for (d = (int)floor(m->west / m->step) * m->step; d <= east;
	    d += m->step) {
		hosts_map_project(m, 0, d, &x, &y);
		if (d < -180 || d > 180 || x < 1 || x > m->w - 1)
			continue;
		json_object_array_add(a, hm_line(x, 0, x, m->h, x + 3,
		    m->h - 6, hm_deg(d, "E", "W")));
	}
	for (d = (int)floor(south / m->step) * m->step; d <= m->north;
	    d += m->step) {
		hosts_map_project(m, d, m->west, &x, &y);
		if (d < -90 || d > 90 || y < 1 || y > m->h - 1)
			continue;
		l = hm_line(0, y, m->w, y, 4, y - 4, hm_deg(d, "N", "S"));
		if (d == 0)
			json_object_object_add(l, "equator",
			    json_object_new_boolean(1));
		json_object_array_add(a, l);
	}
	return a;
}
