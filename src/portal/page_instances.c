/* page_instances.c: the WhatsApp page's Instances tab: the customer's instances and the form that links a new number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "gw/gw.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "country.h"
#include "instance_gw.h"

#define INST_GW_TIMEOUT_MS	5000	/* a create waits at most this long */

/* The inputs of POST /whatsapp/instances. */
enum { INST_IN_NAME, INST_IN_HOST, INST_IN__MAX };

static int	instances_in_name(struct req *, struct field *);
static int	instances_in_host(struct req *, struct field *);

static const struct input instances_in[INST_IN__MAX] = {
	[INST_IN_NAME] = { "name", instances_in_name, 0 },
	[INST_IN_HOST] = { "host", instances_in_host, 0 },
};

/* What an absent field gets; an invalid one says why itself. */
static const char instances_no_name[] = N_("Enter a name.");
static const char instances_no_host[] = N_("Choose a host.");

/* The columns of each statement; INSTANCES_LIST's are the view's keys. */
enum { IL_ID, IL_NAME, IL_STATUS, IL_PHONE, IL_HOST, IL_CITY, IL_CHANGED,
    IL__MAX };
enum { IH_ID, IH_NAME, IH_CITY, IH_COUNTRY, IH_FREE, IH__MAX };
enum { IQ_MAX, IQ_HELD, IQ__MAX };
enum { HL_ID, HL_NAME, HL_DRIVER, HL_BASE_URL, HL_API_KEY, HL_SECRET,
    HL_CAPACITY, HL_HELD, HL__MAX };
enum { IC_ID, IC__MAX };

enum {
	INSTANCES_LIST,
	INSTANCES_HOST_CHOICES,
	INSTANCES_QUOTA,
	INSTANCES_HOST_LOCK,
	INSTANCES_CREATE,
	INSTANCES__MAX
};

static const struct stmt instances_sql[INSTANCES__MAX] = {
	/* The customer's instances, newest first. */
	[INSTANCES_LIST] = { "instances.list",
	    "SELECT i.id, i.name, i.status, i.phone, h.name AS host, h.city, "
	    "to_char(i.status_changed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD HH24:MI \"UTC\"') AS changed "
	    "FROM instances i JOIN hosts h ON h.id = i.host_id "
	    "WHERE i.customer_id = $1 ORDER BY i.id DESC LIMIT 200", 1,
	    DB_RETRY, DB_COLS(IL__MAX, [IL_ID] = "id", [IL_NAME] = "name",
	    [IL_STATUS] = "status", [IL_PHONE] = "phone", [IL_HOST] = "host",
	    [IL_CITY] = "city", [IL_CHANGED] = "changed") },
	/* Enabled hosts and how many instances each still takes. */
	[INSTANCES_HOST_CHOICES] = { "instances.host_choices",
	    "SELECT h.id, h.name, h.city, h.country, "
	    "h.capacity - count(i.id) AS free FROM hosts h "
	    "LEFT JOIN instances i ON i.host_id = h.id WHERE h.enabled "
	    "GROUP BY h.id ORDER BY h.country, h.city, h.name", 0, DB_RETRY,
	    DB_COLS(IH__MAX, [IH_ID] = "id", [IH_NAME] = "name",
	    [IH_CITY] = "city", [IH_COUNTRY] = "country",
	    [IH_FREE] = "free") },
	/*
	 * The customer's package allowance: instances allowed by the active,
	 * unexpired package (NULL without one) and instances held.
	 */
	[INSTANCES_QUOTA] = { "instances.quota",
	    "SELECT (SELECT p.max_instances FROM customer_packages cp "
	    "JOIN packages p ON p.id = cp.package_id WHERE cp.customer_id = $1 "
	    "AND cp.active AND cp.expires_at > wa_now()) AS max_instances, "
	    "(SELECT count(*) FROM instances WHERE customer_id = $1) AS held",
	    1, DB_ONCE, DB_COLS(IQ__MAX, [IQ_MAX] = "max_instances",
	    [IQ_HELD] = "held") },
	/* Lock an enabled host for a create and count what it holds. */
	[INSTANCES_HOST_LOCK] = { "instances.host_lock",
	    "SELECT h.id, h.name, h.driver, h.base_url, h.api_key, "
	    "h.webhook_secret, h.capacity, "
	    "(SELECT count(*) FROM instances i WHERE i.host_id = h.id) AS held "
	    "FROM hosts h WHERE h.id = $1 AND h.enabled FOR UPDATE", 1,
	    DB_ONCE, DB_COLS(HL__MAX, [HL_ID] = "id", [HL_NAME] = "name",
	    [HL_DRIVER] = "driver", [HL_BASE_URL] = "base_url",
	    [HL_API_KEY] = "api_key", [HL_SECRET] = "webhook_secret",
	    [HL_CAPACITY] = "capacity", [HL_HELD] = "held") },
	[INSTANCES_CREATE] = { "instances.create",
	    "INSERT INTO instances (customer_id, host_id, session, name, "
	    "status) VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, DB_ONCE,
	    DB_COLS(IC__MAX, [IC_ID] = "id") },
};

/* The strings of whatsapp.mustache. */
static const struct i18n_key instances_strings[] = {
	T_("whatsapp_lead",
	    "Your linked WhatsApp numbers, and where to link another."),
	T_("whatsapp_empty",
	    "No WhatsApp numbers yet. Link one below: pick a host and scan "
	    "the QR code with your phone."),
	T_("inst_status", "Status"),
	T_("inst_changed", "Last change"),
};

/* A name for the new number (name_ok), kept as typed. */
static int
instances_in_name(struct req *r, struct field *f)
{
	(void)r;
	return name_ok(f->s, f->n, &f->err);
}

/* A host from the list: an id (input_id). */
static int
instances_in_host(struct req *r, struct field *f)
{
	if (input_id(r, f) == 0)
		return 0;
	f->err = instances_no_host;
	return -1;
}

/* Column c of row as a JSON string member of o. */
static void
inst_col(struct json_object *o, const char *key, PGresult *res, int row, int c)
{
	json_object_object_add(o, key,
	    json_object_new_string(db_get(res, row, c)));
}

/* The instances table's rows: every column under its name. */
static struct json_object *
inst_rows(struct req *r, PGresult *res)
{
	const char *const	*cols = instances_sql[INSTANCES_LIST].cols;
	struct json_object	*list = json_object_new_array(), *o;
	int			 row, c;

	for (row = 0; row < PQntuples(res); row++) {
		o = json_object_new_object();
		for (c = 0; c < IL__MAX; c++)
			inst_col(o, cols[c], res, row, c);
		json_object_object_add(o, "status_word", json_object_new_string(
		    instance_status_word(r, db_get(res, row, IL_STATUS))));
		json_object_array_add(list, o);
	}
	return list;
}

/* The hosts to choose from; full ones are listed but disabled. */
static struct json_object *
inst_hosts(struct req *r, PGresult *res, const char *chosen)
{
	struct json_object	*list = json_object_new_array(), *o;
	const char		*cc;
	int			 row, left;

	for (row = 0; row < PQntuples(res); row++) {
		o = json_object_new_object();
		inst_col(o, "id", res, row, IH_ID);
		inst_col(o, "name", res, row, IH_NAME);
		inst_col(o, "city", res, row, IH_CITY);
		inst_col(o, "country", res, row, IH_COUNTRY);
		if (*(cc = db_get(res, row, IH_COUNTRY)) != '\0')
			json_object_object_add(o, "country_name",
			    json_object_new_string(country_name(req_lang(r), cc)));
		left = db_geti(res, row, IH_FREE);
		json_object_object_add(o, "free", json_object_new_int(left));
		json_object_object_add(o, "full", json_object_new_boolean(left <= 0));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    chosen != NULL &&
		    strcmp(chosen, db_get(res, row, IH_ID)) == 0));
		json_object_array_add(list, o);
	}
	return list;
}

/*
 * Render the WhatsApp page: the list, the form (keeping name and host
 * as typed) and an error for the form when err (English) is not NULL.
 */
static int
inst_page(struct req *r, int status, const char *name, const char *host,
    const char *err)
{
	struct json_object	*v;
	const char		*params[1] = { r->cid };
	PGresult		*list, *hosts;
	int			 rc;

	if ((list = db_exec(&r->app->db, &instances_sql[INSTANCES_LIST],
	    params)) == NULL)
		return 503;
	if ((hosts = db_exec(&r->app->db,
	    &instances_sql[INSTANCES_HOST_CHOICES], NULL)) == NULL) {
		PQclear(list);
		return 503;
	}
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "WhatsApp")));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "tab_instances", json_object_new_boolean(1));
	if (PQntuples(list) > 0) {
		json_object_object_add(v, "instances", inst_rows(r, list));
		json_object_object_add(v, "has_instances",
		    json_object_new_boolean(1));
	}
	if (PQntuples(hosts) > 0) {
		json_object_object_add(v, "hosts", inst_hosts(r, hosts, host));
		json_object_object_add(v, "has_hosts", json_object_new_boolean(1));
	}
	json_object_object_add(v, "name", json_object_new_string(name));
	if (err != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, err)));
	PQclear(list);
	PQclear(hosts);
	rc = resp_html(r, status, "whatsapp", v);
	json_object_put(v);
	return rc;
}

/* GET /whatsapp: the list and an empty form. */
static int
instances_page(struct req *r)
{
	return inst_page(r, 200, "", NULL, NULL);
}

/* NULL when the package allows one more instance, else why not. */
static const char *
inst_quota(struct req *r, int *dberr)
{
	const char	*params[1] = { r->cid }, *why = NULL;
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &instances_sql[INSTANCES_QUOTA],
	    params)) == NULL) {
		*dberr = 1;
		return NULL;
	}
	if (db_isnull(res, 0, IQ_MAX))
		why = N_("Your package has expired or none is active: ask your "
		    "dealer to renew it.");
	else if (db_getll(res, 0, IQ_HELD) >= db_getll(res, 0, IQ_MAX))
		why = N_("Your package's limit of WhatsApp numbers is "
		    "reached.");
	PQclear(res);
	return why;
}

/* The URL the gateway posts its webhooks to, for host hostname. */
static char *
inst_hook_url(struct req *r, const char *hostname)
{
	char	*base = req_base_url(r), *url;

	url = xasprintf("%s/hooks/waha/%s", base, hostname);
	free(base);
	return url;
}

/*
 * Record the instance the gateway made and commit. Returns the new id,
 * or -1 (the caller then deletes the session on the gateway again).
 */
static long long
inst_record(struct req *r, const char *hostid, const char *session,
    const char *name, enum inst_status status)
{
	const char	*params[5];
	PGresult	*ins;
	long long	 id = -1;

	params[0] = r->cid, params[1] = hostid, params[2] = session;
	params[3] = name, params[4] = inst_status_names[status];
	if ((ins = db_exec(&r->app->db, &instances_sql[INSTANCES_CREATE],
	    params)) != NULL) {
		id = db_getll(ins, 0, IC_ID);
		PQclear(ins);
	}
	/* The row and the session live or go together. */
	if (id <= 0 || db_commit(&r->app->db) == -1)
		return -1;
	return id;
}

/*
 * With the host row locked: check its room, create the session on the
 * gateway, record the instance and commit. Returns the new id (> 0),
 * 0 with *why set for the user, or -1 when the database failed (the
 * session is then deleted again on the gateway).
 */
static long long
inst_create_locked(struct req *r, const char *hostid, const char *name,
    const char **why)
{
	const char		*params[1] = { hostid };
	struct gw_host		 h;
	struct gw_result	 res;
	enum gw_driver		 d;
	PGresult		*host;
	char			 session[24], *hook;
	unsigned char		 rnd[8];
	long long		 id = -1;
	int			 i;

	if ((host = db_exec(&r->app->db, &instances_sql[INSTANCES_HOST_LOCK],
	    params)) == NULL)
		return -1;
	if (PQntuples(host) != 1 ||
	    (d = gw_driver_find(db_get(host, 0, HL_DRIVER))) == GW__MAX) {
		*why = N_("Choose one of the hosts listed.");
		PQclear(host);
		return 0;
	}
	if (db_getll(host, 0, HL_HELD) >= db_getll(host, 0, HL_CAPACITY)) {
		*why = N_("That host is full: choose another one.");
		PQclear(host);
		return 0;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
		PQclear(host);
		return -1;
	}
	strcpy(session, "wa_");
	for (i = 0; i < 8; i++)
		snprintf(session + 3 + 2 * i, 3, "%02x", rnd[i]);
	memset(&h, 0, sizeof(h));
	memset(&res, 0, sizeof(res));
	hook = inst_hook_url(r, db_get(host, 0, HL_NAME));
	h.base_url = db_get(host, 0, HL_BASE_URL);
	h.api_key = db_get(host, 0, HL_API_KEY);
	h.webhook_secret = db_get(host, 0, HL_SECRET);
	h.webhook_url = hook;
	h.timeout_ms = INST_GW_TIMEOUT_MS;
	if (gw_drivers[d]->session_create(&h, session, &res) == -1) {
		log_warnx("request %s: instance create: %s", r->id, res.errmsg);
		*why = N_("The gateway host did not accept the new number "
		    "right now; nothing was created. Try again or choose "
		    "another host.");
		id = 0;
	} else if ((id = inst_record(r, hostid, session, name,
	    res.status)) == -1) {
		gw_result_free(&res);
		gw_drivers[d]->session_delete(&h, session, &res);
	}
	gw_result_free(&res);
	free(hook);
	PQclear(host);
	return id;
}

/*
 * Check, then create in one transaction that inst_create_locked
 * commits once the gateway made the session (and undoes on the gateway
 * when the commit fails). Returns as inst_create_locked.
 */
static long long
inst_create(struct req *r, const char *hostid, const char *name,
    const char **why)
{
	struct db	*db = &r->app->db;
	long long	 id;

	if (db_begin(db) == -1)
		return -1;
	if ((id = inst_create_locked(r, hostid, name, why)) <= 0)
		db_rollback(db);
	return id;
}

/*
 * POST /whatsapp/instances: a name and a host with room, within the
 * package's limit; the session is created on the gateway in the same
 * transaction, so a gateway error or timeout leaves nothing behind.
 */
static int
instances_create(struct req *r)
{
	const struct field	*nf = &r->in[INST_IN_NAME];
	const struct field	*hf = &r->in[INST_IN_HOST];
	const char		*name = nf->raw != NULL ? nf->raw : "", *why;
	char			 loc[64];
	long long		 id;
	int			 dberr = 0;

	if (nf->s == NULL)
		return inst_page(r, 422, name, hf->s, nf->err != NULL ?
		    nf->err : instances_no_name);
	if (hf->s == NULL)
		return inst_page(r, 422, name, hf->s, instances_no_host);
	if ((why = inst_quota(r, &dberr)) != NULL)
		return inst_page(r, 422, name, hf->s, why);
	if (dberr)
		return 503;
	if ((id = inst_create(r, hf->s, name, &why)) == -1)
		return 503;
	if (id == 0)
		return inst_page(r, 422, name, hf->s, why);
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%lld", id);
	return resp_redirect(r, 303, loc);
}

static const struct route instances_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp",
	    .handler = instances_page, .name = "whatsapp",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/instances",
	    .handler = instances_create, .name = "instance_create",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(instances_in) },
};

const struct module instances_module = {
	.name = "instances",
	MODULE_ROUTES(instances_routes),
	MODULE_SQL(instances_sql),
	MODULE_STRINGS(instances_strings),
};
