/* page_hosts.c: the gateway hosts by country and city, with capacity used and free and their health. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "i18n.h"
#include "pages.h"
#include "req.h"
#include "resp.h"

/* The health words and their badge classes, by the hosts.status value. */
static const struct {
	const char	*status, *badge;
	enum msg	 word;
} host_health[] = {
	{ "up", "connected", MSG_HOST_UP },
	{ "degraded", "qr_required", MSG_HOST_DEGRADED },
	{ "down", "failed", MSG_HOST_DOWN },
	{ "unknown", "cancelled", MSG_HOST_UNKNOWN },
};

/* One host's card: name, capacity used and free, health. */
static struct json_object *
hosts_one(struct req *r, PGresult *res, int row)
{
	struct json_object	*h = json_object_new_object();
	const char		*st = PQgetvalue(res, row, 5);
	int			 cap = atoi(PQgetvalue(res, row, 3));
	int			 used = atoi(PQgetvalue(res, row, 4));
	size_t			 i;

	json_object_object_add(h, "name",
	    json_object_new_string(PQgetvalue(res, row, 0)));
	json_object_object_add(h, "capacity", json_object_new_int(cap));
	json_object_object_add(h, "used", json_object_new_int(used));
	json_object_object_add(h, "free",
	    json_object_new_int(used < cap ? cap - used : 0));
	json_object_object_add(h, "full", json_object_new_boolean(used >= cap));
	for (i = 0; i < sizeof(host_health) / sizeof(host_health[0]); i++)
		if (strcmp(st, host_health[i].status) == 0) {
			json_object_object_add(h, "badge",
			    json_object_new_string(host_health[i].badge));
			json_object_object_add(h, "health", json_object_new_string(
			    i18n_text(req_lang(r), host_health[i].word)));
		}
	if (*PQgetvalue(res, row, 6) != '\0')
		json_object_object_add(h, "latency_ms",
		    json_object_new_string(PQgetvalue(res, row, 6)));
	if (*PQgetvalue(res, row, 7) != '\0')
		json_object_object_add(h, "checked_at",
		    json_object_new_string(PQgetvalue(res, row, 7)));
	return h;
}

/* Open a new group {key: label, list: []} in parent's array; return list. */
static struct json_object *
hosts_group(struct json_object *arr, const char *key, const char *label,
    const char *listkey)
{
	struct json_object	*g = json_object_new_object();
	struct json_object	*list = json_object_new_array();

	json_object_object_add(g, key, json_object_new_string(label));
	json_object_object_add(g, listkey, list);
	json_object_array_add(arr, g);
	return list;
}

/*
 * The rows come ordered by country, city, name: fold them into
 * countries[{country, cities[{city, hosts[...]}]}].
 */
static struct json_object *
hosts_tree(struct req *r, PGresult *res)
{
	struct json_object	*countries = json_object_new_array();
	struct json_object	*cities = NULL, *hosts = NULL;
	const char		*country, *city, *pc = NULL, *pcity = NULL;
	int			 row;

	for (row = 0; row < PQntuples(res); row++) {
		city = PQgetvalue(res, row, 1);
		country = PQgetvalue(res, row, 2);
		if (pc == NULL || strcmp(country, pc) != 0) {
			cities = hosts_group(countries, "country", *country ?
			    country : "—", "cities");
			pcity = NULL;
		}
		if (pcity == NULL || strcmp(city, pcity) != 0)
			hosts = hosts_group(cities, "city", *city ? city : "—",
			    "hosts");
		json_object_array_add(hosts, hosts_one(r, res, row));
		pc = country, pcity = city;
	}
	return countries;
}

/* GET /hosts: where an instance can be created and how full each host is. */
int
page_hosts(struct req *r)
{
	struct json_object	*v;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&r->app->db, STMT_HOSTS_PAGE, NULL)) == NULL)
		return 503;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_NAV_HOSTS)));
	json_object_object_add(v, "nav_hosts", json_object_new_boolean(1));
	if (PQntuples(res) > 0)
		json_object_object_add(v, "countries", hosts_tree(r, res));
	PQclear(res);
	rc = resp_html(r, 200, "hosts", v);
	json_object_put(v);
	return rc;
}
