/* page_apikey_action.c: turn an API key on or off, rotate or delete it: a confirmation page, then the change. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/apikey.h"
#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "page_apikeys.h"

enum ak_action {
	AKA_TOGGLE,
	AKA_ROTATE,
	AKA_DELETE,
	AKA__MAX
};

static const struct ak_act {
	const char		*slug;		/* the last path segment */
	enum apikeys_button	 button;
	const char		*question;	/* English (N_) */
	int			 danger;
} ak_acts[AKA__MAX] = {
	[AKA_TOGGLE] = { "toggle", AKB_TURN_OFF, N_("Turn this key on or "
	    "off? Calls with an off key are refused until it is turned on "
	    "again."), 0 },
	[AKA_ROTATE] = { "rotate", AKB_ROTATE, N_("Rotate this key? A new "
	    "key with the same name and permissions is made and shown once; "
	    "the old one stops at the time you choose."), 0 },
	[AKA_DELETE] = { "delete", AKB_DELETE, N_("Delete this key for good? "
	    "Calls with it are refused at once."), 1 },
};

/* When a rotated key stops: the form's word, its interval, its label. */
static const struct {
	const char	*word;
	const char	*interval;
	const char	*label;		/* English (N_) */
} ak_whens[] = {
	{ "now", "0", N_("now") },
	{ "1h", "1 hour", N_("in 1 hour") },
	{ "24h", "24 hours", N_("in 24 hours") },
	{ "7d", "7 days", N_("in 7 days") },
};
#define AK_NWHENS	(sizeof(ak_whens) / sizeof(ak_whens[0]))

enum { AKA_IN_WHEN, AKA_IN__MAX };

static const char aka_when_bad[] = N_("Choose when the old key stops.");

static int	aka_in_when(struct req *, struct field *);

/* A bad "when" reaches the handler (pass_invalid): it asks again. */
static const struct input aka_in[AKA_IN__MAX] = {
	[AKA_IN_WHEN] = { "when", aka_in_when, 0 },
};

/* The columns of AKA_GET, AKA_TOGGLE, AKA_DELETE and AKA_ROTATE. */
enum { AKG_NAME, AKG_VISIBLE, AKG_ENABLED, AKG_ROTATED, AKG__MAX };
enum { AKT_ENABLED, AKT__MAX };
enum { AKD_ID, AKD__MAX };
enum { AKR_ID, AKR__MAX };

enum {
	AKA_GET,
	AKA_TOGGLE_KEY,
	AKA_DELETE_KEY,
	AKA_ROTATE_KEY,
	AKA_SQL__MAX
};

static const struct stmt aka_sql[AKA_SQL__MAX] = {
	/* Key $1 of customer $2: name, visible, enabled, rotated away. */
	[AKA_GET] = { "apikey_action.get",
	    "SELECT name, visible, enabled, retires_at IS NOT NULL AS rotated "
	    "FROM api_keys WHERE id = $1::bigint AND customer_id = $2::bigint",
	    2, DB_RETRY, DB_COLS(AKG__MAX, [AKG_NAME] = "name",
	    [AKG_VISIBLE] = "visible", [AKG_ENABLED] = "enabled",
	    [AKG_ROTATED] = "rotated") },
	[AKA_TOGGLE_KEY] = { "apikey_action.toggle",
	    "UPDATE api_keys SET enabled = NOT enabled WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING enabled", 2, DB_ONCE,
	    DB_COLS(AKT__MAX, [AKT_ENABLED] = "enabled") },
	[AKA_DELETE_KEY] = { "apikey_action.delete",
	    "DELETE FROM api_keys WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint RETURNING id", 2, DB_ONCE,
	    DB_COLS(AKD__MAX, [AKD_ID] = "id") },
	/*
	 * Rotate key $1 of customer $2 (not rotated before): a new key with
	 * hash $3 and visible $4 copying the rest; the old one retires in
	 * $5 and points to it. Returns the new id, or no row.
	 */
	[AKA_ROTATE_KEY] = { "apikey_action.rotate",
	    "WITH o AS (SELECT * FROM api_keys WHERE id = $1::bigint "
	    "AND customer_id = $2::bigint AND retires_at IS NULL FOR UPDATE), "
	    "n AS (INSERT INTO api_keys (customer_id, name, key_hash, visible, "
	    "scopes, allow_ips, rpm, expires_at, enabled) SELECT customer_id, "
	    "name, decode($3, 'hex'), $4, scopes, allow_ips, rpm, expires_at, "
	    "true FROM o RETURNING id) "
	    "UPDATE api_keys k SET retires_at = wa_now() + $5::interval, "
	    "replaced_by = n.id FROM n WHERE k.id = $1::bigint RETURNING n.id",
	    5, DB_ONCE, DB_COLS(AKR__MAX, [AKR_ID] = "id") },
};

/* The strings of apikey_confirm.mustache (its buttons: page_apikeys.c). */
static const struct i18n_key apikey_action_strings[] = {
	T_("ak_r_when", "The old key stops"),
	T_("ak_keep", "Cancel"),
};

/* "when": a word of ak_whens, cleaned into its interval. */
static int
aka_in_when(struct req *r, struct field *f)
{
	size_t	 i;

	(void)r;
	for (i = 0; i < AK_NWHENS; i++)
		if (strcmp(f->s, ak_whens[i].word) == 0) {
			f->s = ak_whens[i].interval;
			f->n = strlen(f->s);
			return 0;
		}
	f->err = aka_when_bad;
	return -1;
}

/* The action the path names, or AKA__MAX. */
static enum ak_action
aka_find(const char *slug)
{
	enum ak_action	 a;

	for (a = 0; a < AKA__MAX; a++)
		if (strcmp(slug, ak_acts[a].slug) == 0)
			return a;
	return AKA__MAX;
}

/* The rotation's choices for the confirm page. */
static struct json_object *
aka_when_view(const struct req *r)
{
	struct json_object	*a = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; i < AK_NWHENS; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "word",
		    json_object_new_string(ak_whens[i].word));
		json_object_object_add(o, "label", json_object_new_string(
		    req_tr(r, ak_whens[i].label)));
		json_object_object_add(o, "checked",
		    json_object_new_boolean(i == 1));
		json_object_array_add(a, o);
	}
	return a;
}

/* The confirm page of action a on the key in res, with status. */
static int
aka_render(struct req *r, enum ak_action a, const PGresult *res, int status,
    const char *error)
{
	struct json_object	*v = json_object_new_object();
	const char		*button;
	int			 rc;

	button = apikeys_button(r, a == AKA_TOGGLE &&
	    !db_getb(res, 0, AKG_ENABLED) ? AKB_TURN_ON : ak_acts[a].button);
	json_object_object_add(v, "title", json_object_new_string(button));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(r->args[0]));
	json_object_object_add(v, "action",
	    json_object_new_string(ak_acts[a].slug));
	json_object_object_add(v, "name",
	    json_object_new_string(db_get(res, 0, AKG_NAME)));
	json_object_object_add(v, "visible",
	    json_object_new_string(db_get(res, 0, AKG_VISIBLE)));
	json_object_object_add(v, "question",
	    json_object_new_string(req_tr(r, ak_acts[a].question)));
	json_object_object_add(v, "button", json_object_new_string(button));
	json_object_object_add(v, "danger",
	    json_object_new_boolean(ak_acts[a].danger));
	if (a == AKA_ROTATE) {
		json_object_object_add(v, "is_rotate",
		    json_object_new_boolean(1));
		json_object_object_add(v, "whens", aka_when_view(r));
	}
	if (error != NULL)
		json_object_object_add(v, "error",
		    json_object_new_string(error));
	rc = resp_html(r, status, "apikey_confirm", v);
	json_object_put(v);
	return rc;
}

/* GET /api-keys/{id}/{action}: ask first, naming the key. */
static int
aka_confirm(struct req *r)
{
	enum ak_action	 a = aka_find(r->args[1]);
	PGresult	*res;
	int		 status = 0, rc;

	if (a == AKA__MAX)
		return 404;
	if ((res = req_owned(r, &aka_sql[AKA_GET], &status)) == NULL)
		return status;
	rc = aka_render(r, a, res, 200, NULL);
	PQclear(res);
	return rc;
}

/*
 * Rotate: a new key shown once (200), the old one retiring. A key
 * rotated before is 409 (rotate its successor). Returns 0 or a status.
 */
static int
aka_rotate(struct req *r, const char *interval)
{
	char			 cid[24], key[APIKEY_LEN + 1];
	char			 hash[APIKEY_HASH_HEX + 1];
	char			 vis[APIKEY_VISIBLE_LEN + 1];
	const char		*params[5] = { r->args[0], cid, hash, vis,
				    interval };
	PGresult		*res;
	int			 n, rc;

	if (apikey_generate(key) == -1 ||
	    apikey_hash_hex(key, APIKEY_LEN, hash) == -1)
		return 503;
	apikey_visible(key, vis);
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &aka_sql[AKA_ROTATE_KEY], params)) ==
	    NULL) {
		log_warnx("request %s: rotate: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	n = PQntuples(res);
	PQclear(res);
	if (n != 1)
		return 409;
	rc = apikeys_shown(r, key);
	explicit_bzero(key, sizeof(key));
	return rc;
}

/* Toggle or delete, then back to the list; 0 or a status. */
static int
aka_simple(struct req *r, enum ak_action a)
{
	const char	*params[2] = { r->args[0], r->cid };
	PGresult	*res;
	int		 n;

	res = db_exec(&r->app->db, a == AKA_TOGGLE ?
	    &aka_sql[AKA_TOGGLE_KEY] : &aka_sql[AKA_DELETE_KEY], params);
	if (res == NULL)
		return 503;
	n = PQntuples(res);
	PQclear(res);
	return n == 1 ? resp_redirect(r, 303, "/api-keys") : 404;
}

/*
 * POST /api-keys/{id}/{action}: do it. Another customer's key is 404;
 * a rotation without a valid "when" shows the question again (422).
 */
static int
aka_do(struct req *r)
{
	enum ak_action		 a = aka_find(r->args[1]);
	const struct field	*when = &r->in[AKA_IN_WHEN];
	PGresult		*res;
	int			 status = 0;

	if (a == AKA__MAX)
		return 404;
	if ((res = req_owned(r, &aka_sql[AKA_GET], &status)) == NULL)
		return status;
	if (a == AKA_ROTATE && when->s == NULL) {
		status = aka_render(r, a, res, 422, req_tr(r, aka_when_bad));
		PQclear(res);
		return status;
	}
	PQclear(res);
	return a == AKA_ROTATE ? aka_rotate(r, when->s) : aka_simple(r, a);
}

/* {slug}: toggle | rotate | delete; GET asks, POST does it. */
static const struct route aka_routes[] = {
	{ .method = METHOD_GET, .pattern = "/api-keys/{int}/{slug}",
	    .handler = aka_confirm, .name = "apikey_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/api-keys/{int}/{slug}",
	    .handler = aka_do, .name = "apikey_action", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 4096, .pass_invalid = 1,
	    ROUTE_INPUTS(aka_in) },
};

const struct module apikey_action_module = {
	.name = "apikey_action",
	MODULE_ROUTES(aka_routes),
	MODULE_SQL(aka_sql),
	MODULE_STRINGS(apikey_action_strings),
};
