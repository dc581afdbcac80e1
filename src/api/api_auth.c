/* api_auth.c: API key authentication of /api/v1 routes: Bearer header, offline format check, wa_api_auth, usage count. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/apikey.h"
#include "core/db.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "api.h"

/* The columns of API_AUTH_CHECK: the verdict, then the key's figures. */
enum {
	AU_STATUS,
	AU_PROBLEM,
	AU_DETAIL,
	AU_AUTH,		/* API_AUTH_COLS from here */
	AU__MAX = AU_AUTH + AA__MAX
};

/* The column of API_AUTH_COUNT (wa_api_count returns void). */
enum { AC_COUNT, AC__MAX };

enum {
	API_AUTH_CHECK,
	API_AUTH_COUNT,
	API_AUTH__MAX
};

static const struct stmt api_auth_sql[API_AUTH__MAX] = {
	/* status, problem, detail, then API_AUTH_COLS. */
	[API_AUTH_CHECK] = { "api_auth.check",
	    "SELECT a.status, coalesce(a.problem, '') AS problem, "
	    "coalesce(a.detail, '') AS detail, "
	    API_AUTH_COLS("a") " FROM wa_api_auth(decode($1, 'hex'), "
	    "$2::inet, $3, $4) a", 4, DB_ONCE,
	    DB_COLS(AU__MAX, [AU_STATUS] = "status", [AU_PROBLEM] = "problem",
	    [AU_DETAIL] = "detail", API_AUTH_NAMES(AU_AUTH)) },
	[API_AUTH_COUNT] = { "api_auth.count",
	    "SELECT wa_api_count($1::bigint, $2, $3::integer)", 3, DB_ONCE,
	    DB_COLS(AC__MAX, [AC_COUNT] = "wa_api_count") },
};

/* Fixed words for a malformed key (never the key itself). */
static const char *const api_key_words[APIKEY_ERR__MAX] = {
	[APIKEY_OK] = "",
	[APIKEY_ERR_PREFIX] = "The key does not start with wap_.",
	[APIKEY_ERR_LENGTH] = "The key does not have 32 characters.",
	[APIKEY_ERR_CHARSET] = "The key holds characters other than "
	    "letters and digits.",
	[APIKEY_ERR_CHECKSUM] = "The key's checksum does not match: "
	    "a typo or a truncated copy.",
};

/* The caller's address as nginx saw it (never X-Forwarded-For). */
const char *
api_addr(const struct req *r)
{
	const char	*a = req_env(r, "REMOTE_ADDR");

	return a != NULL && *a != '\0' ? a : "0.0.0.0";
}

/*
 * The Authorization header's Bearer key, checked offline (prefix,
 * length, alphabet, checksum): a bad one is a 401 invalid-key before
 * any database call. Stores the key's SHA-256 in r->api.hash; returns
 * 0 or 401 with the problem recorded.
 */
int
api_key_header(struct req *r)
{
	const char		*h = req_header(r, "Authorization");
	enum apikey_error	 e;
	size_t			 n;

	if (h == NULL)
		return api_fail(r, 401, "invalid-key",
		    "No Authorization header: send Authorization: Bearer "
		    "<key>.");
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return api_fail(r, 401, "invalid-key",
		    "The Authorization header is not of the Bearer scheme.");
	for (h += 7; *h == ' '; h++)
		continue;
	n = strlen(h);
	while (n > 0 && h[n - 1] == ' ')
		n--;
	if ((e = apikey_check(h, n)) != APIKEY_OK)
		return api_fail(r, 401, "invalid-key", api_key_words[e]);
	if (apikey_hash_hex(h, n, r->api.hash) == -1)
		return 500;
	return 0;
}

/*
 * Take the key, customer and rate figures of a row whose API_AUTH_COLS
 * start at column c.
 */
void
api_auth_figures(struct req *r, const PGresult *res, int c)
{
	r->api.key_id = db_getll(res, 0, c + AA_KEY_ID);
	req_set_customer(r, db_getll(res, 0, c + AA_CUSTOMER_ID));
	r->api.rl_limit = db_geti(res, 0, c + AA_RL_LIMIT);
	r->api.rl_remaining = db_geti(res, 0, c + AA_RL_REMAINING);
	r->api.rl_reset = db_geti(res, 0, c + AA_RL_RESET);
	r->api.rl_next = db_geti(res, 0, c + AA_RL_NEXT);
	r->api.rl_c_limit = db_geti(res, 0, c + AA_RL_C_LIMIT);
	r->api.rl_c_remaining = db_geti(res, 0, c + AA_RL_C_REMAINING);
	r->api.rl_c_next = db_geti(res, 0, c + AA_RL_C_NEXT);
	r->api.rl_k_remaining = db_geti(res, 0, c + AA_RL_K_REMAINING);
	r->api.rl_k_next = db_geti(res, 0, c + AA_RL_K_NEXT);
}

/*
 * Authenticate an API-key route. The key's format first (offline);
 * routes marked self_auth (POST /api/v1/messages) authenticate in their
 * handler's one statement; the others call wa_api_auth with the
 * route's scope and name (the usage endpoint). Returns 0, or the HTTP
 * status with the problem recorded in r->api.
 */
int
api_auth(struct req *r)
{
	const char	*params[4];
	PGresult	*res;
	int		 status;

	if ((status = api_key_header(r)) != 0)
		return status;
	if (r->route->self_auth)
		return 0;
	params[0] = r->api.hash;
	params[1] = api_addr(r);
	params[2] = r->route->scope;
	params[3] = r->route->name;
	if ((res = db_exec(&r->app->db, &api_auth_sql[API_AUTH_CHECK],
	    params)) == NULL)
		return 503;
	api_auth_figures(r, res, AU_AUTH);
	status = db_geti(res, 0, AU_STATUS);
	if (status != 0) {
		r->api.problem = api_slug(db_get(res, 0, AU_PROBLEM));
		req_set_customer(r, 0);
	} else {
		r->api.count = 1;
		api_rate_headers(r);
	}
	PQclear(res);
	return status;
}

/*
 * Count the answered call of a key that passed wa_api_auth under the
 * route's name (refusals were counted by wa_api_auth itself).
 */
void
api_finish(struct req *r)
{
	char		 key[24], st[8];
	const char	*params[3] = { key, NULL, st };

	if (!r->api.count || r->api.key_id == 0)
		return;
	snprintf(key, sizeof(key), "%lld", (long long)r->api.key_id);
	snprintf(st, sizeof(st), "%d", r->resp.status);
	params[1] = r->route->name;
	(void)db_exec_cmd(&r->app->db, &api_auth_sql[API_AUTH_COUNT], params);
}

/* The statements of the key check and the usage count (no routes). */
const struct module api_auth_module = {
	.name = "api_auth",
	MODULE_SQL(api_auth_sql),
};
