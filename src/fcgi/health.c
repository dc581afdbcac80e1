/* health.c: /healthz (the process answers) and /readyz (database and schema ready; the dispatcher's heartbeat reported). */
#include <stdio.h>

#include <json-c/json.h>

#include "core/beat.h"
#include "core/log.h"
#include "core/migrate.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

/*
 * Answer {"status": status[, "reason": reason][, "dispatcher": {...}]}
 * and free d.
 */
static int
health_answer(struct req *r, int code, const char *status, const char *reason,
    struct json_object *d)
{
	struct json_object	*o = json_object_new_object();
	int			 rc;

	json_object_object_add(o, "status", json_object_new_string(status));
	if (reason != NULL)
		json_object_object_add(o, "reason",
		    json_object_new_string(reason));
	if (d != NULL)
		json_object_object_add(o, "dispatcher", d);
	rc = resp_json(r, code, o);
	json_object_put(o);
	return rc;
}

static int
health_live(struct req *r)
{
	return health_answer(r, 200, "ok", NULL, NULL);
}

/*
 * {"state": "alive"|"late"|"none", "beat_age_s": N|null}: reported, not
 * a reason to be unready (a worker serves pages without a dispatcher,
 * and a load balancer must not drop every worker when it stops).
 */
static struct json_object *
health_dispatcher(struct req *r)
{
	struct json_object	*d;
	struct beat		 b;

	if (beat_dispatch(&r->app->db, &r->app->conf, &b) == -1)
		return NULL;
	d = json_object_new_object();
	json_object_object_add(d, "state", json_object_new_string(
	    beat_state_names[b.state]));
	json_object_object_add(d, "beat_age_s", b.age_s < 0 ? NULL :
	    json_object_new_int64(b.age_s));
	return d;
}

/*
 * Ready when the database answers, no migration in the SQL directory is
 * pending and none that was applied has changed since. The reason names
 * the problem, not the details (those go to the log).
 */
static int
health_ready(struct req *r)
{
	struct migrations	 m;
	char			 reason[64];
	int			 rc;

	if (migrate_status(&m, &r->app->db, r->app->conf.str[CONF_SQL_DIR])
	    == -1) {
		log_warnx("request %s: readyz: %s", r->id, m.errmsg);
		migrations_free(&m);
		return health_answer(r, 503, "unavailable", r->app->db.down ?
		    "database unreachable" : "database error", NULL);
	}
	if (m.changed > 0)
		rc = health_answer(r, 503, "unavailable",
		    "a migration file changed since it was applied", NULL);
	else if (m.pending > 0) {
		snprintf(reason, sizeof(reason), "%zu pending migration%s",
		    m.pending, m.pending == 1 ? "" : "s");
		rc = health_answer(r, 503, "unavailable", reason, NULL);
	} else
		rc = health_answer(r, 200, "ready", NULL,
		    health_dispatcher(r));
	migrations_free(&m);
	return rc;
}

static const struct route health_routes[] = {
	{ .method = METHOD_GET, .pattern = "/healthz", .handler = health_live,
	    .name = "healthz", .kind = KIND_API },
	{ .method = METHOD_GET, .pattern = "/readyz", .handler = health_ready,
	    .name = "readyz", .kind = KIND_API },
};

const struct module health_module = {
	.name = "health",
	MODULE_ROUTES(health_routes),
};
