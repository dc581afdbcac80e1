/* api_auth.c: API key authentication of /api/v1 routes: Bearer header, offline format check, wa_api_auth, usage count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/apikey.h"
#include "core/db_stmt.h"
#include "web/req.h"
#include "web/resp.h"
#include "api.h"

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

/* Take the key, customer and rate figures of a row from column c on. */
void
api_auth_figures(struct req *r, PGresult *res, int c)
{
	r->api.key_id = strtoll(PQgetvalue(res, 0, c), NULL, 10);
	r->customer_id = strtoll(PQgetvalue(res, 0, c + 1), NULL, 10);
	r->api.rl_limit = atoi(PQgetvalue(res, 0, c + 2));
	r->api.rl_remaining = atoi(PQgetvalue(res, 0, c + 3));
	r->api.rl_reset = atoi(PQgetvalue(res, 0, c + 4));
}

/*
 * Authenticate an API-key route. The key's format first (offline);
 * routes with a raw JSON body (POST /api/v1/messages) authenticate in
 * their handler's one statement; the others call wa_api_auth with the
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
	if (r->route->body == BODY_RAW_JSON)
		return 0;
	params[0] = r->api.hash;
	params[1] = api_addr(r);
	params[2] = r->route->scope;
	params[3] = r->route->name;
	if ((res = db_exec(&r->app->db, LEGACY(STMT_API_AUTH), params)) == NULL)
		return 503;
	api_auth_figures(r, res, 3);
	status = atoi(PQgetvalue(res, 0, 0));
	if (status != 0) {
		r->api.problem = api_slug(PQgetvalue(res, 0, 1));
		r->customer_id = 0;
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
	(void)db_exec_cmd(&r->app->db, LEGACY(STMT_API_COUNT), params);
}
