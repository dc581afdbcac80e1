/* session.c: create, find and end sessions; the cookie holds a token, the database its SHA-256. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/db.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "module.h"
#include "req.h"
#include "resp.h"
#include "session.h"

/* The columns of SESSION_TOUCH: the user a live session belongs to. */
enum {
	ST_ID,
	ST_ROLE,
	ST_NAME,
	ST_EMAIL,
	ST_LANGUAGE,
	ST_CSRF,
	ST_AVATAR,
	ST__MAX
};

enum {
	SESSION_TOUCH,
	SESSION_CREATE,
	SESSION_DELETE,
	SESSION_END_OTHERS,
	SESSION__MAX
};

static const struct stmt session_sql[SESSION__MAX] = {
	/*
	 * A live session: not idle longer than $2 s, not older than $3 s,
	 * its user not disabled. Its idle clock is moved on at most once a
	 * minute, so page views do not each write a row. Harmless to
	 * repeat.
	 */
	[SESSION_TOUCH] = { "session.touch",
	    "WITH live AS (SELECT u.id, u.role, u.name, u.email, u.language, "
	    "s.csrf_token, s.token_hash, s.last_seen_at "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = decode($1, 'hex') AND u.disabled_at IS NULL "
	    "AND s.last_seen_at > wa_now() - make_interval(secs => $2::int) "
	    "AND s.created_at > wa_now() - make_interval(secs => $3::int)), "
	    "touch AS (UPDATE sessions SET last_seen_at = wa_now() "
	    "WHERE token_hash = (SELECT token_hash FROM live "
	    "WHERE last_seen_at < wa_now() - interval '60 seconds')) "
	    "SELECT id, role, name, email, language, csrf_token, "
	    "COALESCE((SELECT a.version FROM avatars a "
	    "WHERE a.user_id = live.id), 0) AS avatar_version FROM live", 3,
	    DB_RETRY, DB_COLS(ST__MAX, [ST_ID] = "id", [ST_ROLE] = "role",
	    [ST_NAME] = "name", [ST_EMAIL] = "email",
	    [ST_LANGUAGE] = "language", [ST_CSRF] = "csrf_token",
	    [ST_AVATAR] = "avatar_version") },
	[SESSION_CREATE] = { "session.create",
	    "INSERT INTO sessions (token_hash, user_id, csrf_token) "
	    "VALUES (decode($1, 'hex'), $2, $3)", 3, DB_ONCE, NULL },
	[SESSION_DELETE] = { "session.delete",
	    "DELETE FROM sessions WHERE token_hash = decode($1, 'hex')", 1,
	    DB_ONCE, NULL },
	[SESSION_END_OTHERS] = { "session.end_others",
	    "DELETE FROM sessions WHERE user_id = $1 "
	    "AND token_hash <> decode($2, 'hex')", 2, DB_ONCE, NULL },
};

/* The statements for the check (modules.c lists web's own). */
const struct module session_module = {
	.name = "session",
	MODULE_SQL(session_sql),
};

/* The cookie: __Host-sid (Secure) unless WAPORTAL_SECURE_COOKIES=0. */
const char *
session_cookie_name(const struct req *r)
{
	return r->app->conf.num[CONF_SECURE_COOKIES] ? "__Host-sid" : "sid";
}

/*
 * Fill out with base64url (no padding) of 32 random bytes: 43
 * characters, 256 bits. Returns 0, or -1 when the CSPRNG fails.
 */
int
session_random(char *out, size_t outsz)
{
	unsigned char	 raw[32], b64[48];
	int		 n, i;

	if (outsz < SESSION_TOKEN_LEN + 1 || RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	n = EVP_EncodeBlock(b64, raw, sizeof(raw));
	for (i = 0; i < n && i < SESSION_TOKEN_LEN; i++)
		out[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : (char)b64[i];
	out[i] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/* Hex SHA-256 of the token: what the database stores and looks up. */
static void
session_hash(const char *token, char hex[65])
{
	unsigned char	 md[32];
	unsigned int	 mdlen = 0;
	unsigned int	 i;

	EVP_Digest(token, strlen(token), md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The token from the cookie when it has the right shape, else NULL. */
static const char *
session_token(const struct req *r)
{
	const struct param	*p;
	size_t			 i;

	p = params_get(&r->cookies, session_cookie_name(r));
	if (p == NULL || p->valsz != SESSION_TOKEN_LEN)
		return NULL;
	for (i = 0; i < p->valsz; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-_", p->value[i]) == NULL)
			return NULL;
	return p->value;
}

static int	session_forget(struct req *);

static void
session_copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src);
}

/*
 * Find the live session of the request's cookie and refresh its idle
 * time. Returns 1 with r->user set, 0 when there is none (absent,
 * unknown, expired, user disabled), -1 when the database failed.
 */
int
session_load(struct req *r)
{
	const char	*token = session_token(r);
	const char	*params[3];
	char		 hex[65], idle[16], max[16];
	PGresult	*res;
	struct user	*u;

	if (token == NULL)
		return 0;
	session_hash(token, hex);
	snprintf(idle, sizeof(idle), "%lld", r->app->conf.num[CONF_SESSION_IDLE]);
	snprintf(max, sizeof(max), "%lld", r->app->conf.num[CONF_SESSION_MAX]);
	params[0] = hex, params[1] = idle, params[2] = max;
	if ((res = db_exec(&r->app->db, &session_sql[SESSION_TOUCH], params)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	u = r->user = xcalloc(1, sizeof(*u));
	u->id = db_getll(res, 0, ST_ID);
	session_copy(u->role, sizeof(u->role), db_get(res, 0, ST_ROLE));
	u->name = xstrdup(db_get(res, 0, ST_NAME));
	u->email = xstrdup(db_get(res, 0, ST_EMAIL));
	session_copy(u->language, sizeof(u->language),
	    db_get(res, 0, ST_LANGUAGE));
	session_copy(u->csrf, sizeof(u->csrf), db_get(res, 0, ST_CSRF));
	u->avatar_version = db_geti(res, 0, ST_AVATAR);
	PQclear(res);
	return 1;
}

/*
 * Start a new session for user_id: a fresh token (never reused, so a
 * planted cookie is worthless after sign-in) and CSRF token; the old
 * session of this request, if any, is deleted. Sets the cookie.
 * Returns 0 or -1.
 */
int
session_start(struct req *r, int64_t user_id)
{
	char		 token[SESSION_TOKEN_LEN + 1], csrf[SESSION_CSRF_LEN + 1];
	char		 hex[65], uid[24];
	const char	*params[3];
	int		 rc;

	session_forget(r);
	if (session_random(token, sizeof(token)) == -1 ||
	    session_random(csrf, sizeof(csrf)) == -1)
		return -1;
	session_hash(token, hex);
	snprintf(uid, sizeof(uid), "%lld", (long long)user_id);
	params[0] = hex, params[1] = uid, params[2] = csrf;
	rc = db_exec_cmd(&r->app->db, &session_sql[SESSION_CREATE], params);
	if (rc == 0)
		rc = resp_cookie(r, session_cookie_name(r), token, -1);
	OPENSSL_cleanse(token, sizeof(token));
	return rc;
}

/* Delete the session of this request's cookie, if any. */
static int
session_forget(struct req *r)
{
	const char	*token = session_token(r);
	const char	*params[1];
	char		 hex[65];

	if (token == NULL)
		return 0;
	session_hash(token, hex);
	params[0] = hex;
	return db_exec_cmd(&r->app->db, &session_sql[SESSION_DELETE], params);
}

/* Sign out: delete the session and clear the cookie. */
int
session_end(struct req *r)
{
	resp_cookie(r, session_cookie_name(r), "", 0);
	return session_forget(r);
}

/* End every other session of the signed-in user (password change). */
int
session_end_others(struct req *r)
{
	const char	*token = session_token(r);
	const char	*params[2];
	char		 hex[65], uid[24];

	if (token == NULL || r->user == NULL)
		return -1;
	session_hash(token, hex);
	snprintf(uid, sizeof(uid), "%lld", (long long)r->user->id);
	params[0] = uid, params[1] = hex;
	return db_exec_cmd(&r->app->db, &session_sql[SESSION_END_OTHERS], params);
}

void
user_free(struct user *u)
{
	if (u == NULL)
		return;
	free(u->name);
	free(u->email);
	free(u);
}
