/* page_apikey_action.c: turn an API key on or off, rotate or delete it: a confirmation page, then the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/apikey.h"
#include "core/db_stmt.h"
#include "core/log.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"

enum ak_action {
	AKA_TOGGLE,
	AKA_ROTATE,
	AKA_DELETE,
	AKA__MAX
};

static const struct ak_act {
	const char	*slug;		/* the last path segment */
	enum msg	 button, question;
	int		 danger;
} ak_acts[AKA__MAX] = {
	[AKA_TOGGLE] = { "toggle", MSG_AK_TURN_OFF, MSG_AK_Q_TOGGLE, 0 },
	[AKA_ROTATE] = { "rotate", MSG_AK_ROTATE, MSG_AK_Q_ROTATE, 0 },
	[AKA_DELETE] = { "delete", MSG_AK_DELETE, MSG_AK_Q_DELETE, 1 },
};

/* When a rotated key stops: the form's word and its interval. */
static const struct {
	const char	*word;
	const char	*interval;
	enum msg	 label;
} ak_whens[] = {
	{ "now", "0", MSG_AK_R_NOW },
	{ "1h", "1 hour", MSG_AK_R_1H },
	{ "24h", "24 hours", MSG_AK_R_24H },
	{ "7d", "7 days", MSG_AK_R_7D },
};
#define AK_NWHENS	(sizeof(ak_whens) / sizeof(ak_whens[0]))

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
aka_when_view(enum lang l)
{
	struct json_object	*a = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; i < AK_NWHENS; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "word",
		    json_object_new_string(ak_whens[i].word));
		json_object_object_add(o, "label", json_object_new_string(
		    i18n_text(l, ak_whens[i].label)));
		json_object_object_add(o, "checked",
		    json_object_new_boolean(i == 1));
		json_object_array_add(a, o);
	}
	return a;
}

/* The confirm page of action a on the key in res, with status. */
static int
aka_render(struct req *r, enum ak_action a, PGresult *res, int status,
    const char *error)
{
	struct json_object	*v = json_object_new_object();
	enum lang		 l = req_lang(r);
	enum msg		 button = ak_acts[a].button;
	int			 rc;

	if (a == AKA_TOGGLE && strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		button = MSG_AK_TURN_ON;
	json_object_object_add(v, "title",
	    json_object_new_string(i18n_text(l, button)));
	json_object_object_add(v, "nav_api_keys", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(r->args[0]));
	json_object_object_add(v, "action",
	    json_object_new_string(ak_acts[a].slug));
	json_object_object_add(v, "name",
	    json_object_new_string(PQgetvalue(res, 0, 0)));
	json_object_object_add(v, "visible",
	    json_object_new_string(PQgetvalue(res, 0, 1)));
	json_object_object_add(v, "question",
	    json_object_new_string(i18n_text(l, ak_acts[a].question)));
	json_object_object_add(v, "button",
	    json_object_new_string(i18n_text(l, button)));
	json_object_object_add(v, "danger",
	    json_object_new_boolean(ak_acts[a].danger));
	if (a == AKA_ROTATE) {
		json_object_object_add(v, "is_rotate",
		    json_object_new_boolean(1));
		json_object_object_add(v, "whens", aka_when_view(l));
	}
	if (error != NULL)
		json_object_object_add(v, "error",
		    json_object_new_string(error));
	rc = resp_html(r, status, "apikey_confirm", v);
	json_object_put(v);
	return rc;
}

/* GET /api-keys/{id}/{action}: ask first, naming the key. */
int
page_apikey_confirm(struct req *r)
{
	enum ak_action	 a = aka_find(r->args[1]);
	PGresult	*res;
	int		 status = 0, rc;

	if (a == AKA__MAX)
		return 404;
	if ((res = req_owned(r, LEGACY(STMT_AK_GET), &status)) == NULL)
		return status;
	rc = aka_render(r, a, res, 200, NULL);
	PQclear(res);
	return rc;
}

/* The interval of the form's "when", or NULL. */
static const char *
aka_interval(struct req *r)
{
	const struct field	*f = r->fields[KEY_AK_WHEN];
	size_t			 i;

	for (i = 0; f != NULL && i < AK_NWHENS; i++)
		if (strcmp(f->s, ak_whens[i].word) == 0)
			return ak_whens[i].interval;
	return NULL;
}

/*
 * Rotate: a new key shown once (200), the old one retiring. A key
 * rotated before is 409 (rotate its successor). Returns 0 or a status.
 */
static int
aka_rotate(struct req *r, const char *interval)
{
	struct json_object	*v;
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
	if ((res = db_exec(&r->app->db, LEGACY(STMT_AK_ROTATE), params)) == NULL) {
		log_warnx("request %s: rotate: %s", r->id, r->app->db.errmsg);
		return 503;
	}
	n = PQntuples(res);
	PQclear(res);
	if (n != 1)
		return 409;
	v = apikey_shown_view(r, key);
	rc = resp_html(r, 200, "apikey_shown", v);
	json_object_put(v);
	explicit_bzero(key, sizeof(key));
	return rc;
}

/* Toggle or delete, then back to the list; 0 or a status. */
static int
aka_simple(struct req *r, enum ak_action a)
{
	char		 cid[24];
	const char	*params[2] = { r->args[0], cid };
	PGresult	*res;
	int		 n;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	res = db_exec(&r->app->db, a == AKA_TOGGLE ? LEGACY(STMT_AK_TOGGLE) :
	    LEGACY(STMT_AK_DELETE), params);
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
int
page_apikey_action(struct req *r)
{
	enum ak_action	 a = aka_find(r->args[1]);
	const char	*interval = NULL;
	PGresult	*res;
	int		 status = 0;

	if (a == AKA__MAX)
		return 404;
	if ((res = req_owned(r, LEGACY(STMT_AK_GET), &status)) == NULL)
		return status;
	if (a == AKA_ROTATE && (interval = aka_interval(r)) == NULL) {
		status = aka_render(r, a, res, 422,
		    i18n_text(req_lang(r), MSG_AK_ERR_WHEN));
		PQclear(res);
		return status;
	}
	PQclear(res);
	return a == AKA_ROTATE ? aka_rotate(r, interval) : aka_simple(r, a);
}
