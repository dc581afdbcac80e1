/* hosts_land.c: the land under the hosts map: its polygons projected like the markers, clipped to the view, thinned to the scale, as SVG path data. */
#include <stdlib.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/xmalloc.h"
#include "hosts_land.h"
#include "hosts_map.h"

#define HL_PAD		8.0	/* clip this far outside the view: no cut edge shows */
#define HL_STEP		1.0	/* viewBox units between two points drawn */

/* Points in viewBox units, x and y interleaved. */
struct hl_pts {
	double	*xy;
	size_t	 n, cap;
};

static void
hl_push(struct hl_pts *p, double x, double y)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 256 : p->cap * 2;
		p->xy = xreallocarray(p->xy, p->cap, 2 * sizeof(double));
	}
	p->xy[2 * p->n] = x;
	p->xy[2 * p->n + 1] = y;
	p->n++;
}

/* 1 when point i of p is on the kept side of the bound on axis (0 x, 1 y). */
static int
hl_inside(const struct hl_pts *p, size_t i, int axis, double bound, int below)
{
	double	 v = p->xy[2 * i + (size_t)axis];

	return below ? v <= bound : v >= bound;
}

/*
 * One pass of Sutherland-Hodgman: the ring in, cut by one edge of the
 * clip rectangle, into out. Concave rings stay right; where a ring
 * leaves and comes back, the cut runs along the edge, outside the view.
 */
static void
hl_clip_edge(const struct hl_pts *in, struct hl_pts *out, int axis,
    double bound, int below)
{
	size_t	 i, j;
	int	 cin, pin;
	double	 t, a[2], b[2];

	out->n = 0;
	for (i = 0; i < in->n; i++) {
		j = i == 0 ? in->n - 1 : i - 1;
		cin = hl_inside(in, i, axis, bound, below);
		pin = hl_inside(in, j, axis, bound, below);
		if (cin != pin) {
			a[0] = in->xy[2 * j], a[1] = in->xy[2 * j + 1];
			b[0] = in->xy[2 * i], b[1] = in->xy[2 * i + 1];
			t = (bound - a[axis]) / (b[axis] - a[axis]);
			if (axis == 0)
				hl_push(out, bound, a[1] + t * (b[1] - a[1]));
			else
				hl_push(out, a[0] + t * (b[0] - a[0]), bound);
		}
		if (cin)
			hl_push(out, in->xy[2 * i], in->xy[2 * i + 1]);
	}
}

/* Clip the ring in p to the view and its pad; tmp is scratch. */
static void
hl_clip(const struct hosts_map *m, struct hl_pts *p, struct hl_pts *tmp)
{
	hl_clip_edge(p, tmp, 0, -HL_PAD, 0);
	hl_clip_edge(tmp, p, 0, m->w + HL_PAD, 1);
	hl_clip_edge(p, tmp, 1, -HL_PAD, 0);
	hl_clip_edge(tmp, p, 1, m->h + HL_PAD, 1);
}

/* A coordinate as the SVG gets it: one decimal at most, never "-0". */
static void
hl_num(struct buf *d, char sep, double v)
{
	buf_printf(d, "%c%g", sep, hosts_map_round(v) + 0.0);
}

/*
 * Append the ring as a subpath "Mx yLx y x y...Z", leaving out points
 * closer than HL_STEP to the last one drawn; nothing when fewer than
 * three are left (an island smaller than the scale shows).
 */
static void
hl_emit(struct buf *d, const struct hl_pts *p)
{
	size_t	 i, kept = 0, mark = d->len;
	double	 lx = 0, ly = 0, x, y, dx, dy;

	for (i = 0; i < p->n; i++) {
		x = p->xy[2 * i], y = p->xy[2 * i + 1];
		dx = x - lx, dy = y - ly;
		if (kept > 0 && dx * dx + dy * dy < HL_STEP * HL_STEP)
			continue;
		hl_num(d, kept == 0 ? 'M' : kept == 1 ? 'L' : ' ', x);
		hl_num(d, ' ', y);
		lx = x, ly = y, kept++;
	}
	if (kept < 3) {
		d->len = mark;
		if (d->data != NULL)
			d->data[mark] = '\0';
		return;
	}
	buf_putc(d, 'Z');
}

/* Ring r moved shift degrees east, projected, clipped, into d. */
static void
hl_ring(const struct hosts_map *m, size_t r, double shift, struct buf *d,
    struct hl_pts *p, struct hl_pts *tmp)
{
	const struct hosts_land_ring	*ring = &hosts_land_rings[r];
	const short			*pt = &hosts_land_pt[2 * ring->first];
	double				 x, y;
	unsigned			 i;

	p->n = 0;
	for (i = 0; i < ring->n; i++) {
		hosts_map_project(m, pt[2 * i + 1] / 10.0,
		    pt[2 * i] / 10.0 + shift, &x, &y);
		hl_push(p, x, y);
	}
	hl_clip(m, p, tmp);
	hl_emit(d, p);
}

/* 1 when ring r's box, moved shift degrees east, meets the view. */
static int
hl_meets(const struct hosts_map *m, size_t r, double shift)
{
	const struct hosts_land_ring	*ring = &hosts_land_rings[r];
	const short			*pt = &hosts_land_pt[2 * ring->first];
	double				 x0, y0, x1, y1, x, y;
	unsigned			 i;

	hosts_map_project(m, pt[1] / 10.0, pt[0] / 10.0 + shift, &x0, &y0);
	x1 = x0, y1 = y0;
	for (i = 1; i < ring->n; i++) {
		hosts_map_project(m, pt[2 * i + 1] / 10.0,
		    pt[2 * i] / 10.0 + shift, &x, &y);
		x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
		y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
	}
	return x1 >= 0 && x0 <= m->w && y1 >= 0 && y0 <= m->h;
}

/*
 * The land in view: [{d}], one path per polygon (its holes as more
 * subpaths, for fill-rule evenodd), each also drawn a turn east and a
 * turn west so a view across 180 degrees shows both sides. The path
 * data holds only M, L, Z, spaces and numbers. A new array the caller
 * puts.
 */
struct json_object *
hosts_land_paths(const struct hosts_map *m)
{
	static const double	 shifts[] = { -360, 0, 360 };
	struct json_object	*a = json_object_new_array(), *o;
	struct hl_pts		 p = { NULL, 0, 0 }, tmp = { NULL, 0, 0 };
	struct buf		 d = BUF_INIT;
	size_t			 r, h, s;

	for (r = 0; r < hosts_land_nrings; r++) {
		if (hosts_land_rings[r].hole)
			continue;
		for (s = 0; s < sizeof(shifts) / sizeof(shifts[0]); s++) {
			if (!hl_meets(m, r, shifts[s]))
				continue;
			buf_reset(&d);
			hl_ring(m, r, shifts[s], &d, &p, &tmp);
			for (h = r + 1; h < hosts_land_nrings &&
			    hosts_land_rings[h].hole; h++)
				if (d.len > 0)
					hl_ring(m, h, shifts[s], &d, &p, &tmp);
			if (d.len == 0)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "d",
			    json_object_new_string(buf_str(&d)));
			json_object_array_add(a, o);
		}
	}
	buf_free(&d);
	free(p.xy);
	free(tmp.xy);
	return a;
}
