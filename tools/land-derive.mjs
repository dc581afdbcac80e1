// land-derive.mjs: make src/portal/land/ne_110m_land.txt, the hosts map's land, from Natural Earth's 1:110m land as the npm package world-atlas ships it.
//
// Run once by hand when the source changes (src/portal/land/README.md):
//   npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//   node tools/land-derive.mjs package/land-110m.json >src/portal/land/ne_110m_land.txt
// Node's standard library only; the same input gives the same output.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const TOLERANCE = 0.1;	// Douglas-Peucker, degrees
const UNIT = 0.1;	// the output's precision, degrees

// The rings of a TopoJSON MultiPolygon object, each [[lon, lat]...],
// grouped by polygon (outer ring first, then its holes).
function polygons(topo, name) {
	const [sx, sy] = topo.transform.scale;
	const [tx, ty] = topo.transform.translate;
	const arcs = topo.arcs.map((a) => {
		let x = 0, y = 0;
		return a.map(([dx, dy]) => {
			x += dx, y += dy;
			return [x * sx + tx, y * sy + ty];
		});
	});
	const arc = (i) => (i < 0 ? arcs[~i].slice().reverse() : arcs[i]);
	const ring = (ids) => ids.reduce((pts, i) =>
	    pts.concat(pts.length ? arc(i).slice(1) : arc(i)), []);
	return topo.objects[name].geometries.flatMap((g) =>
	    g.type === "Polygon" ? [g.arcs] : g.arcs)
	    .map((poly) => poly.map(ring));
}

// Make longitudes continuous along the ring (a ring crossing 180 goes on
// past it instead of jumping to -180), then move it by whole turns so
// the middle of its span is in [-180, 180); a ring around a pole, which
// ends 360 degrees from where it began, is closed along that pole.
function unwrap(ring) {
	const out = [[ring[0][0], ring[0][1]]];
	let shift = 0;
	for (let i = 1; i < ring.length; i++) {
		const d = ring[i][0] - ring[i - 1][0];
		if (d > 180)
			shift -= 360;
		else if (d < -180)
			shift += 360;
		out.push([ring[i][0] + shift, ring[i][1]]);
	}
	if (shift !== 0) {
		const pole = out.reduce((s, p) => s + p[1], 0) < 0 ? -90 : 90;
		out.push([out[out.length - 1][0], pole], [out[0][0], pole],
		    [out[0][0], out[0][1]]);
	}
	const lons = out.map((p) => p[0]);
	const mid = (Math.min(...lons) + Math.max(...lons)) / 2;
	const turn = 360 * Math.floor((mid + 180) / 360);
	return out.map(([lon, lat]) => [lon - turn, lat]);
}

// The distance from p to the segment a-b, in degrees.
function distance(p, a, b) {
	const dx = b[0] - a[0], dy = b[1] - a[1], l = dx * dx + dy * dy;
	const u = l === 0 ? 0 : Math.max(0, Math.min(1,
	    ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l));
	return Math.hypot(p[0] - a[0] - u * dx, p[1] - a[1] - u * dy);
}

// Douglas-Peucker: the points that keep the line within tol of itself.
function simplify(pts, tol) {
	const keep = new Uint8Array(pts.length);
	const todo = [[0, pts.length - 1]];
	keep[0] = keep[pts.length - 1] = 1;
	while (todo.length > 0) {
		const [a, b] = todo.pop();
		let far = -1, at = -1;
		for (let i = a + 1; i < b; i++) {
			const d = distance(pts[i], pts[a], pts[b]);
			if (d > far)
				far = d, at = i;
		}
		if (far > tol)
			keep[at] = 1, todo.push([a, at], [at, b]);
	}
	return pts.filter((_, i) => keep[i]);
}

// A ring in whole units, repeated points and the closing one dropped;
// null when fewer than three points are left.
function quantize(ring) {
	const q = [];
	for (const [lon, lat] of ring) {
		const p = [Math.round(lon / UNIT), Math.round(lat / UNIT)];
		const last = q[q.length - 1];
		if (!last || last[0] !== p[0] || last[1] !== p[1])
			q.push(p);
	}
	if (q.length > 1 && q[0][0] === q[q.length - 1][0] &&
	    q[0][1] === q[q.length - 1][1])
		q.pop();
	return q.length >= 3 ? q : null;
}

const file = process.argv[2];
if (!file) {
	console.error("usage: node tools/land-derive.mjs land-110m.json");
	process.exit(2);
}
const bytes = readFileSync(file);
const sha = createHash("sha256").update(bytes).digest("hex");
const lines = [];
let npoints = 0;
for (const poly of polygons(JSON.parse(bytes), "land")) {
	const rings = poly.map((r) => quantize(simplify(unwrap(r), TOLERANCE)));
	if (rings[0] === null)
		continue;
	rings.forEach((r, i) => {
		if (r === null)
			return;
		npoints += r.length;
		lines.push((i === 0 ? "o " : "h ") +
		    r.map((p) => p.join(",")).join(" "));
	});
}
process.stdout.write(
    "# ne_110m_land.txt: the land of the hosts map, made by " +
    "tools/land-derive.mjs; do not edit (src/portal/land/README.md).\n" +
    `# From ${basename(file)} (sha256 ${sha}),\n` +
    "# Natural Earth 1:110m land 4.1.0 (public domain) as the npm " +
    "package world-atlas 2.0.2 ships it.\n" +
    `# Longitudes continuous across 180, simplified to ${TOLERANCE} ` +
    `degree, rounded to ${UNIT} degree: ${lines.length} rings, ` +
    `${npoints} points.\n` +
    "# A line is a ring: \"o\" the outer ring of a polygon, \"h\" a hole " +
    "in the polygon above; then its points \"lon,lat\" in tenths of a " +
    "degree, the last joining the first.\n" +
    lines.join("\n") + "\n");
