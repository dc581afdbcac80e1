/* health.c: /healthz (the process answers) and /readyz (database and schema ready). */
#include <stdio.h>

#include <json-c/json.h>

#include "core/log.h"
#include "core/migrate.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

/* Answer {"status": status[, "reason": reason]} and free it. */
static int
health_answer(struct req *r, int code, const char *status, const char *reason)
{
	struct json_object	*o = json_object_new_object();
	int			 rc;

	json_object_object_add(o, "status", json_object_new_string(status));
	if (reason != NULL)
		json_object_object_add(o, "reason",
		    json_object_new_string(reason));
	rc = resp_json(r, code, o);
	json_object_put(o);
	return rc;
}

static int
health_live(struct req *r)
{
	return health_answer(r, 200, "ok", NULL);
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
		    "database unreachable" : "database error");
	}
	if (m.changed > 0)
		rc = health_answer(r, 503, "unavailable",
		    "a migration file changed since it was applied");
	else if (m.pending > 0) {
		snprintf(reason, sizeof(reason), "%zu pending migration%s",
		    m.pending, m.pending == 1 ? "" : "s");
		rc = health_answer(r, 503, "unavailable", reason);
	} else
		rc = health_answer(r, 200, "ready", NULL);
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
