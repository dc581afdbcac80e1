/* page_instances.c: the WhatsApp page's Instances tab: the customer's instances and the form that links a new number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "gw/gw.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"

#define INST_GW_TIMEOUT_MS	5000	/* a create waits at most this long */

/* Column c of row as a JSON string member of o. */
static void
inst_col(struct json_object *o, const char *key, PGresult *res, int row, int c)
{
	json_object_object_add(o, key,
	    json_object_new_string(PQgetvalue(res, row, c)));
}

/* The instances table's rows. */
static struct json_object *
inst_rows(struct req *r, PGresult *res)
{
	static const char *const cols[] = { "id", "name", "status", "phone",
	    "host", "city", "changed" };
	struct json_object	*list = json_object_new_array(), *o;
	int			 row, c;

	for (row = 0; row < PQntuples(res); row++) {
		o = json_object_new_object();
		for (c = 0; c < 7; c++)
			inst_col(o, cols[c], res, row, c);
		json_object_object_add(o, "status_word", json_object_new_string(
		    i18n_inst_status(req_lang(r), PQgetvalue(res, row, 2))));
		json_object_array_add(list, o);
	}
	return list;
}

/* The hosts to choose from; full ones are listed but disabled. */
static struct json_object *
inst_hosts(PGresult *res, const char *chosen)
{
	struct json_object	*list = json_object_new_array(), *o;
	int			 row, left;

	for (row = 0; row < PQntuples(res); row++) {
		o = json_object_new_object();
		inst_col(o, "id", res, row, 0);
		inst_col(o, "name", res, row, 1);
		inst_col(o, "city", res, row, 2);
		inst_col(o, "country", res, row, 3);
		left = atoi(PQgetvalue(res, row, 4));
		json_object_object_add(o, "free", json_object_new_int(left));
		json_object_object_add(o, "full", json_object_new_boolean(left <= 0));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    chosen != NULL && strcmp(chosen, PQgetvalue(res, row, 0)) == 0));
		json_object_array_add(list, o);
	}
	return list;
}

/*
 * Render the WhatsApp page: the list, the form (keeping name and host
 * as typed) and an error for the form when err is not NULL.
 */
static int
inst_page(struct req *r, int status, const char *name, const char *host,
    const char *err)
{
	struct json_object	*v;
	char			 id[24];
	const char		*params[1] = { id };
	PGresult		*list, *hosts;
	int			 rc;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((list = db_exec(&r->app->db, LEGACY(STMT_INST_LIST), params)) == NULL)
		return 503;
	if ((hosts = db_exec(&r->app->db, LEGACY(STMT_INST_HOST_CHOICES), NULL)) == NULL) {
		PQclear(list);
		return 503;
	}
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_NAV_WHATSAPP)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "tab_instances", json_object_new_boolean(1));
	if (PQntuples(list) > 0) {
		json_object_object_add(v, "instances", inst_rows(r, list));
		json_object_object_add(v, "has_instances",
		    json_object_new_boolean(1));
	}
	if (PQntuples(hosts) > 0) {
		json_object_object_add(v, "hosts", inst_hosts(hosts, host));
		json_object_object_add(v, "has_hosts", json_object_new_boolean(1));
	}
	json_object_object_add(v, "name", json_object_new_string(name));
	if (err != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    i18n_fixed(req_lang(r), err)));
	PQclear(list);
	PQclear(hosts);
	rc = resp_html(r, status, "whatsapp", v);
	json_object_put(v);
	return rc;
}

int
page_instances(struct req *r)
{
	return inst_page(r, 200, "", NULL, NULL);
}

/* NULL when the package allows one more instance, else why not. */
static const char *
inst_quota(struct req *r, int *dberr)
{
	char		 id[24];
	const char	*params[1] = { id }, *why = NULL;
	PGresult	*res;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_INST_QUOTA), params)) == NULL) {
		*dberr = 1;
		return NULL;
	}
	if (PQgetisnull(res, 0, 0))
		why = "Your package has expired or none is active: ask your "
		    "dealer to renew it.";
	else if (atol(PQgetvalue(res, 0, 1)) >= atol(PQgetvalue(res, 0, 0)))
		why = "Your package's limit of WhatsApp numbers is reached.";
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
 * With the host row locked: check its room, create the session on the
 * gateway, record the instance and commit. Returns the new id (> 0),
 * 0 with *why set for the user, or -1 when the database failed (the
 * session is then deleted again on the gateway).
 */
static long long
inst_create_locked(struct req *r, const char *hostid, const char *name,
    const char **why)
{
	const char		*params[5];
	struct gw_host		 h;
	struct gw_result	 res;
	enum gw_driver		 d;
	PGresult		*host, *ins;
	char			 cid[24], session[24], *hook;
	unsigned char		 rnd[8];
	long long		 id = -1;
	int			 i;

	params[0] = hostid;
	if ((host = db_exec(&r->app->db, LEGACY(STMT_INST_HOST_LOCK), params)) == NULL)
		return -1;
	if (PQntuples(host) != 1 ||
	    (d = gw_driver_find(PQgetvalue(host, 0, 2))) == GW__MAX) {
		*why = "Choose one of the hosts listed.";
		PQclear(host);
		return 0;
	}
	if (atol(PQgetvalue(host, 0, 7)) >= atol(PQgetvalue(host, 0, 6))) {
		*why = "That host is full: choose another one.";
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
	hook = inst_hook_url(r, PQgetvalue(host, 0, 1));
	h.base_url = PQgetvalue(host, 0, 3);
	h.api_key = PQgetvalue(host, 0, 4);
	h.webhook_secret = PQgetvalue(host, 0, 5);
	h.webhook_url = hook;
	h.timeout_ms = INST_GW_TIMEOUT_MS;
	if (gw_drivers[d]->session_create(&h, session, &res) == -1) {
		log_warnx("request %s: instance create: %s", r->id, res.errmsg);
		*why = "The gateway host did not accept the new number right "
		    "now; nothing was created. Try again or choose another host.";
		id = 0;
	} else {
		snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
		params[0] = cid, params[1] = hostid, params[2] = session;
		params[3] = name, params[4] = inst_status_names[res.status];
		if ((ins = db_exec(&r->app->db, LEGACY(STMT_INST_CREATE), params)) != NULL) {
			id = strtoll(PQgetvalue(ins, 0, 0), NULL, 10);
			PQclear(ins);
		}
		/* The row and the session live or go together. */
		if (id <= 0 || db_commit(&r->app->db) == -1) {
			gw_result_free(&res);
			gw_drivers[d]->session_delete(&h, session, &res);
			id = -1;
		}
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
int
page_instance_create(struct req *r)
{
	const struct field	*nf = r->fields[KEY_NAME];
	const struct field	*hf = r->fields[KEY_HOST];
	const char		*name = nf != NULL ? nf->s : "", *why, *err;
	const char		*host = hf != NULL ? hf->s : NULL;
	char			 loc[64];
	long long		 id;
	int			 dberr = 0;

	if (name_ok(name, strlen(name), &err) == -1)
		return inst_page(r, 422, name, host, err);
	if (host == NULL)
		return inst_page(r, 422, name, host, "Choose a host.");
	if ((why = inst_quota(r, &dberr)) != NULL)
		return inst_page(r, 422, name, host, why);
	if (dberr)
		return 503;
	if ((id = inst_create(r, host, name, &why)) == -1)
		return 503;
	if (id == 0)
		return inst_page(r, 422, name, host, why);
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%lld", id);
	return resp_redirect(r, 303, loc);
}
