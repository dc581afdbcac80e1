/* page_hosts.c: the gateway hosts by country and city, on a map, with capacity used and free and their health; their live figures as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/xmalloc.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "country.h"
#include "hosts_land.h"
#include "hosts_map.h"

#define HOSTS_POLL_SECS	15	/* the script polls; live_hosts_on says 15 */

/* The columns of HOSTS_LIVE. */
enum host_col {
	HOST_COL_ID,
	HOST_COL_NAME,
	HOST_COL_CITY,
	HOST_COL_COUNTRY,
	HOST_COL_CAPACITY,
	HOST_COL_USED,
	HOST_COL_STATUS,
	HOST_COL_LATENCY,
	HOST_COL_CHECKED_TEXT,
	HOST_COL_CHECKED_ISO,
	HOST_COL_LAT,
	HOST_COL_LON,
	HOST_COL_TZ,
	HOST_COL__MAX
};

enum { HOSTS_LIVE, HOSTS__MAX };

static const struct stmt hosts_sql[HOSTS__MAX] = {
	/*
	 * The Hosts page and its live figures, for customer $1: when each
	 * host was last checked in the customer's time zone for the page
	 * (as the message lists show times) and in UTC for <time>. Enabled
	 * hosts only; never base_url, api_key or webhook_secret.
	 */
	[HOSTS_LIVE] = { "hosts.live",
	    "SELECT h.id, h.name, h.city, h.country, h.capacity, "
	    "count(i.id) AS used, h.status, "
	    "COALESCE(h.latency_ms::text, '') AS latency_ms, "
	    "COALESCE(to_char(h.checked_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI'), '') AS checked_text, "
	    "COALESCE(to_char(h.checked_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') AS checked_iso, "
	    "COALESCE(h.latitude::text, '') AS latitude, "
	    "COALESCE(h.longitude::text, '') AS longitude, u.time_zone "
	    "FROM hosts h JOIN users u ON u.id = $1::bigint "
	    "LEFT JOIN instances i ON i.host_id = h.id "
	    "WHERE h.enabled GROUP BY h.id, u.id "
	    "ORDER BY h.country, h.city, h.name, h.id", 1, DB_RETRY,
	    DB_COLS(HOST_COL__MAX, [HOST_COL_ID] = "id",
	    [HOST_COL_NAME] = "name", [HOST_COL_CITY] = "city",
	    [HOST_COL_COUNTRY] = "country", [HOST_COL_CAPACITY] = "capacity",
	    [HOST_COL_USED] = "used", [HOST_COL_STATUS] = "status",
	    [HOST_COL_LATENCY] = "latency_ms",
	    [HOST_COL_CHECKED_TEXT] = "checked_text",
	    [HOST_COL_CHECKED_ISO] = "checked_iso",
	    [HOST_COL_LAT] = "latitude", [HOST_COL_LON] = "longitude",
	    [HOST_COL_TZ] = "time_zone") },
};

/* The strings of hosts.mustache; the C code reads the health words. */
enum { HS_UP, HS_DEGRADED, HS_DOWN, HS_UNKNOWN };

static const struct i18n_key hosts_strings[] = {
	[HS_UP] = T_("host_up", "up"),
	[HS_DEGRADED] = T_("host_degraded", "degraded"),
	[HS_DOWN] = T_("host_down", "down"),
	[HS_UNKNOWN] = T_("host_unknown", "not checked yet"),
	T_("hosts_lead",
	    "The gateway servers your WhatsApp numbers can run on, and how "
	    "much room each has."),
	T_("host_used", "Numbers in use"),
	T_("host_full", "full"),
	T_("host_latency", "Latency"),
	T_("host_checked", "Last checked"),
	T_("live_hosts_on", "The figures update every 15 seconds."),
	T_("live_changed",
	    "Hosts were added or removed: refresh the page to see them."),
	T_("map_title", "Where the hosts are"),
	T_("map_of", "of"),
	T_("map_caption",
	    "hosts are on the map; hosts without a location are only in the "
	    "list below."),
	T_("map_legend", "Legend"),
};

/* The health words and their badge classes, by the hosts.status value. */
static const struct {
	const char	*status, *badge;
	int		 word;		/* in hosts_strings */
} host_health[] = {
	{ "up", "connected", HS_UP },
	{ "degraded", "qr_required", HS_DEGRADED },
	{ "down", "failed", HS_DOWN },
	{ "unknown", "cancelled", HS_UNKNOWN },
};

static const char *
hosts_col(PGresult *res, int row, enum host_col c)
{
	return db_get(res, row, c);
}

/* The health of a status: its index in host_health (unknown if odd). */
static size_t
hosts_health(const char *status)
{
	size_t	 i;

	for (i = 0; i < sizeof(host_health) / sizeof(host_health[0]); i++)
		if (strcmp(status, host_health[i].status) == 0)
			return i;
	return i - 1;
}

/*
 * One host's live figures, the same for the page and for its script:
 * {id, used, capacity, free, full, status, status_word, badge,
 * latency_ms (null until probed), latency_text, checked_at (ISO 8601,
 * null until probed), checked_at_text}. Never a URL or a secret.
 */
static struct json_object *
hosts_figures(struct req *r, PGresult *res, int row)
{
	struct json_object	*h = json_object_new_object();
	const char		*lat = hosts_col(res, row, HOST_COL_LATENCY);
	const char		*iso = hosts_col(res, row, HOST_COL_CHECKED_ISO);
	int			 cap = db_geti(res, row, HOST_COL_CAPACITY);
	int			 used = db_geti(res, row, HOST_COL_USED);
	size_t			 hi;
	char			 ms[32];

	hi = hosts_health(hosts_col(res, row, HOST_COL_STATUS));
	json_object_object_add(h, "id", json_object_new_int64(
	    db_getll(res, row, HOST_COL_ID)));
	json_object_object_add(h, "used", json_object_new_int(used));
	json_object_object_add(h, "capacity", json_object_new_int(cap));
	json_object_object_add(h, "free",
	    json_object_new_int(used < cap ? cap - used : 0));
	json_object_object_add(h, "full", json_object_new_boolean(used >= cap));
	json_object_object_add(h, "status",
	    json_object_new_string(host_health[hi].status));
	json_object_object_add(h, "status_word", json_object_new_string(
	    req_t(r, &hosts_strings[host_health[hi].word])));
	json_object_object_add(h, "badge",
	    json_object_new_string(host_health[hi].badge));
	snprintf(ms, sizeof(ms), "%s ms", lat);
	json_object_object_add(h, "latency_ms", *lat == '\0' ? NULL :
	    json_object_new_int(db_geti(res, row, HOST_COL_LATENCY)));
	json_object_object_add(h, "latency_text",
	    json_object_new_string(*lat == '\0' ? "\xe2\x80\x94" : ms));
	json_object_object_add(h, "checked_at", *iso == '\0' ? NULL :
	    json_object_new_string(iso));
	json_object_object_add(h, "checked_at_text", json_object_new_string(
	    *iso == '\0' ? "\xe2\x80\x94" :
	    hosts_col(res, row, HOST_COL_CHECKED_TEXT)));
	return h;
}

/* Open a new group {key: label, list: []} in parent's array; return it. */
static struct json_object *
hosts_group(struct json_object *arr, const char *key, const char *label,
    const char *listkey)
{
	struct json_object	*g = json_object_new_object();

	json_object_object_add(g, key, json_object_new_string(label));
	json_object_object_add(g, listkey, json_object_new_array());
	json_object_array_add(arr, g);
	return g;
}

/* A group's member key, as a string. */
static const char *
hosts_group_str(struct json_object *g, const char *key)
{
	return json_object_get_string(json_object_object_get(g, key));
}

/* The name of a host's country in the visitor's language, "—" for none. */
static const char *
hosts_country(struct req *r, const char *code)
{
	return *code != '\0' ? country_name(req_lang(r), code) : "\xe2\x80\x94";
}

/* Countries in name order; the one of hosts without a country last. */
static int
hosts_country_cmp(const void *a, const void *b)
{
	struct json_object	*ga = *(struct json_object *const *)a;
	struct json_object	*gb = *(struct json_object *const *)b;
	const char		*ca = hosts_group_str(ga, "country");
	const char		*cb = hosts_group_str(gb, "country");

	if ((*ca == '\0') != (*cb == '\0'))
		return *ca == '\0' ? 1 : -1;
	return strcmp(hosts_group_str(ga, "country_name"),
	    hosts_group_str(gb, "country_name"));
}

/*
 * The rows come ordered by country code, city, name: fold them into
 * countries[{country (the code), country_name, cities[{city,
 * hosts[...]}]}], the countries then in the order of their names.
 */
static struct json_object *
hosts_tree(struct req *r, PGresult *res)
{
	struct json_object	*countries = json_object_new_array();
	struct json_object	*cities = NULL, *hosts = NULL, *g, *h;
	const char		*country, *city, *pc = NULL, *pcity = NULL;
	int			 row;

	for (row = 0; row < PQntuples(res); row++) {
		city = hosts_col(res, row, HOST_COL_CITY);
		country = hosts_col(res, row, HOST_COL_COUNTRY);
		if (pc == NULL || strcmp(country, pc) != 0) {
			g = hosts_group(countries, "country", country,
			    "cities");
			json_object_object_add(g, "country_name",
			    json_object_new_string(hosts_country(r, country)));
			cities = json_object_object_get(g, "cities");
			pcity = NULL;
		}
		if (pcity == NULL || strcmp(city, pcity) != 0)
			hosts = json_object_object_get(hosts_group(cities,
			    "city", *city ? city : "\xe2\x80\x94", "hosts"),
			    "hosts");
		h = hosts_figures(r, res, row);
		json_object_object_add(h, "name", json_object_new_string(
		    hosts_col(res, row, HOST_COL_NAME)));
		json_object_array_add(hosts, h);
		pc = country, pcity = city;
	}
	json_object_array_sort(countries, hosts_country_cmp);
	return countries;
}

/* "jkt-1 · Jakarta, Indonesia": what a map marker is, before its health. */
static char *
hosts_map_label(struct req *r, PGresult *res, int row)
{
	const char	*city = hosts_col(res, row, HOST_COL_CITY);
	const char	*cc = hosts_col(res, row, HOST_COL_COUNTRY);

	if (*cc != '\0')
		cc = country_name(req_lang(r), cc);
	return xasprintf("%s%s%s%s%s", hosts_col(res, row, HOST_COL_NAME),
	    *city || *cc ? " \xc2\xb7 " : "", city, *city && *cc ? ", " : "",
	    cc);
}

/* One marker {id, x, y, status, label, title, city, lx, ly, end}. */
static struct json_object *
hosts_marker(struct req *r, PGresult *res, int row,
    const struct hosts_map_pt *p)
{
	struct json_object	*o = json_object_new_object();
	size_t			 hi;
	char			*label, *title;

	hi = hosts_health(hosts_col(res, row, HOST_COL_STATUS));
	label = hosts_map_label(r, res, row);
	title = xasprintf("%s: %s", label,
	    req_t(r, &hosts_strings[host_health[hi].word]));
	json_object_object_add(o, "id", json_object_new_string(
	    hosts_col(res, row, HOST_COL_ID)));
	json_object_object_add(o, "x", json_object_new_double(p->x));
	json_object_object_add(o, "y", json_object_new_double(p->y));
	json_object_object_add(o, "status",
	    json_object_new_string(host_health[hi].status));
	json_object_object_add(o, "label", json_object_new_string(label));
	json_object_object_add(o, "title", json_object_new_string(title));
	if (p->labelled) {
		json_object_object_add(o, "city",
		    json_object_new_string(p->label));
		json_object_object_add(o, "lx", json_object_new_double(p->lx));
		json_object_object_add(o, "ly", json_object_new_double(p->ly));
		json_object_object_add(o, "end",
		    json_object_new_boolean(p->label_end));
	}
	free(label);
	free(title);
	return o;
}

/*
 * The map's view: {w, h, land[], grid[], markers[], shown, total}, or
 * NULL when no host has a location. Hosts without one are simply not on
 * it.
 */
static struct json_object *
hosts_map(struct req *r, PGresult *res)
{
	struct hosts_map_pt	*p;
	struct hosts_map	 m;
	struct json_object	*v = NULL, *mk;
	int			*rows, row, n = 0, i;

	p = xcalloc((size_t)PQntuples(res) + 1, sizeof(*p));
	rows = xcalloc((size_t)PQntuples(res) + 1, sizeof(*rows));
	for (row = 0; row < PQntuples(res); row++) {
		if (*hosts_col(res, row, HOST_COL_LAT) == '\0')
			continue;
		p[n].lat = strtod(hosts_col(res, row, HOST_COL_LAT), NULL);
		p[n].lon = strtod(hosts_col(res, row, HOST_COL_LON), NULL);
		p[n].label = hosts_col(res, row, HOST_COL_CITY);
		rows[n++] = row;
	}
	if (hosts_map_fit(&m, p, (size_t)n) == 0) {
		hosts_map_place(&m, p, (size_t)n);
		v = json_object_new_object();
		json_object_object_add(v, "w", json_object_new_double(m.w));
		json_object_object_add(v, "h", json_object_new_double(m.h));
		json_object_object_add(v, "land", hosts_land_paths(&m));
		json_object_object_add(v, "grid", hosts_map_grid(&m));
		mk = json_object_new_array();
		for (i = 0; i < n; i++)
			json_object_array_add(mk, hosts_marker(r, res, rows[i],
			    &p[i]));
		json_object_object_add(v, "markers", mk);
		json_object_object_add(v, "shown", json_object_new_int(n));
		json_object_object_add(v, "total",
		    json_object_new_int(PQntuples(res)));
	}
	free(p);
	free(rows);
	return v;
}

/* The rows of HOSTS_LIVE for the signed-in customer, or NULL (a 503). */
static PGresult *
hosts_rows(struct req *r)
{
	const char	*params[1] = { r->cid };

	return db_exec(&r->app->db, &hosts_sql[HOSTS_LIVE], params);
}

/* GET /hosts: where an instance can be created and how full each host is. */
static int
hosts_page(struct req *r)
{
	struct json_object	*v, *map;
	PGresult		*res;
	int			 rc;

	if ((res = hosts_rows(r)) == NULL)
		return 503;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Hosts")));
	json_object_object_add(v, "nav_hosts", json_object_new_boolean(1));
	json_object_object_add(v, "poll", json_object_new_int(HOSTS_POLL_SECS));
	if (PQntuples(res) > 0) {
		json_object_object_add(v, "countries", hosts_tree(r, res));
		json_object_object_add(v, "tz", json_object_new_string(
		    hosts_col(res, 0, HOST_COL_TZ)));
	}
	if ((map = hosts_map(r, res)) != NULL)
		json_object_object_add(v, "map", map);
	PQclear(res);
	rc = resp_html(r, 200, "hosts", v);
	json_object_put(v);
	return rc;
}

/*
 * GET /hosts/live.json: the figures of every host the page lists, for
 * its script: {"refresh": seconds, "hosts": [hosts_figures...]}.
 */
static int
hosts_live(struct req *r)
{
	struct json_object	*o, *a;
	PGresult		*res;
	int			 row, rc;

	if ((res = hosts_rows(r)) == NULL)
		return 503;
	o = json_object_new_object();
	a = json_object_new_array();
	for (row = 0; row < PQntuples(res); row++)
		json_object_array_add(a, hosts_figures(r, res, row));
	PQclear(res);
	json_object_object_add(o, "refresh",
	    json_object_new_int(HOSTS_POLL_SECS));
	json_object_object_add(o, "hosts", a);
	rc = resp_json(r, 200, o);
	json_object_put(o);
	return rc;
}

static const struct route hosts_routes[] = {
	{ .method = METHOD_GET, .pattern = "/hosts", .handler = hosts_page,
	    .name = "hosts", .auth = AUTH_SESSION },
	/* Its script polls this (docs/live.md); other methods get a JSON
	 * 405. */
	{ .method = METHOD_GET, .pattern = "/hosts/live.json",
	    .handler = hosts_live, .name = "hosts_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
};

const struct module hosts_module = {
	.name = "hosts",
	MODULE_ROUTES(hosts_routes),
	MODULE_SQL(hosts_sql),
	MODULE_STRINGS(hosts_strings),
};
