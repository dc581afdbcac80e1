/* page_login.c: sign in (throttled, constant answer for unknown accounts) and sign out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "core/password.h"
#include "web/flash.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/session.h"

/* Throttling (docs/security.md): failures counted in a sliding window. */
#define LOGIN_WINDOW		900	/* seconds */
#define LOGIN_MAX_ACCOUNT	10	/* failures per account per window */
#define LOGIN_MAX_ADDR		50	/* failures per client address */

struct login {
	char		 email[255];	/* lower-cased as typed */
	const char	*addr;
	char		*pw;		/* points into the form; wiped */
	size_t		 pwlen;
};

/* Render the form (status 200, 401, 403 or 429) keeping the email. */
static int
login_page(struct req *r, int status, const char *email, enum msg err)
{
	struct json_object	*v = json_object_new_object();
	const struct field	*next = r->fields[KEY_NEXT];
	int			 rc;

	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_LOGIN_TITLE)));
	json_object_object_add(v, "email", json_object_new_string(email));
	json_object_object_add(v, "next", json_object_new_string(
	    next != NULL ? next->s : ""));
	if (err != MSG__MAX)
		json_object_object_add(v, "error", json_object_new_string(
		    i18n_text(req_lang(r), err)));
	resp_header(r, "Cache-Control", "no-store");
	rc = resp_html(r, status, "login", v);
	json_object_put(v);
	return rc;
}

int
page_login_form(struct req *r)
{
	if (r->user != NULL && strcmp(r->user->role, "customer") == 0)
		return resp_redirect(r, 303, "/dashboard");
	return login_page(r, 200, "", MSG__MAX);
}

/*
 * How long this account or address must wait: 0 when it may try, else
 * seconds for Retry-After. -1 when the database failed.
 */
static long
login_throttled(struct req *r, const struct login *l)
{
	const char	*params[3];
	char		 window[16];
	PGresult	*res;
	long		 wait = 0;

	snprintf(window, sizeof(window), "%d", LOGIN_WINDOW);
	params[0] = l->email, params[1] = l->addr, params[2] = window;
	if ((res = db_exec(&r->app->db, LEGACY(STMT_LOGIN_THROTTLE), params)) == NULL)
		return -1;
	if (atol(PQgetvalue(res, 0, 0)) >= LOGIN_MAX_ACCOUNT)
		wait = atol(PQgetvalue(res, 0, 2));
	if (atol(PQgetvalue(res, 0, 1)) >= LOGIN_MAX_ADDR &&
	    atol(PQgetvalue(res, 0, 3)) > wait)
		wait = atol(PQgetvalue(res, 0, 3));
	PQclear(res);
	return wait > 0 ? wait : (wait < 0 ? 1 : 0);
}

/* Store a stronger hash when the configured parameters rose. */
static void
login_rehash(struct req *r, const char *uid, const char *encoded,
    const struct login *l)
{
	struct password_params	 pp;
	char			 out[PASSWORD_ENCODED_MAX];
	const char		*params[2];

	pp.t = (unsigned)r->app->conf.num[CONF_ARGON2_T];
	pp.m_kib = (unsigned)r->app->conf.num[CONF_ARGON2_M];
	pp.p = 1;
	if (!password_needs_rehash(&pp, encoded) ||
	    password_hash(&pp, l->pw, l->pwlen, out) == -1)
		return;
	params[0] = uid, params[1] = out;
	if (db_exec_cmd(&r->app->db, LEGACY(STMT_PASSWORD_REHASH), params) == -1)
		log_warnx("request %s: rehash: %s", r->id, r->app->db.errmsg);
}

/*
 * Check the password of the account l->email. Returns the user id
 * (> 0) on success, 0 on failure (unknown, disabled, no password,
 * wrong password: all the same), -1 when the database failed. *role
 * receives the role of a successful match.
 */
static long long
login_check(struct req *r, const struct login *l, char role[16])
{
	const char	*params[1] = { l->email };
	PGresult	*res;
	long long	 id = 0;
	int		 usable;

	if ((res = db_exec(&r->app->db, LEGACY(STMT_LOGIN_USER), params)) == NULL)
		return -1;
	usable = PQntuples(res) == 1 && !PQgetisnull(res, 0, 2) &&
	    strcmp(PQgetvalue(res, 0, 3), "f") == 0;
	if (!usable) {
		password_verify(r->app->dummy_hash, l->pw, l->pwlen);
	} else if (password_verify(PQgetvalue(res, 0, 2), l->pw, l->pwlen)) {
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		snprintf(role, 16, "%s", PQgetvalue(res, 0, 1));
		login_rehash(r, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2),
		    l);
	}
	PQclear(res);
	return id;
}

/* Record a failure for the account and the address. */
static void
login_failed(struct req *r, const struct login *l)
{
	const char	*params[2] = { l->email, l->addr };

	if (db_exec_cmd(&r->app->db, LEGACY(STMT_LOGIN_FAIL), params) == -1)
		log_warnx("request %s: login failure not recorded: %s", r->id,
		    r->app->db.errmsg);
}

/* Signed in: a fresh session, failures forgotten, back to next. */
static int
login_success(struct req *r, const struct login *l, long long id)
{
	const struct field	*next = r->fields[KEY_NEXT];
	const char		*params[1] = { l->email };

	if (session_start(r, id) == -1)
		return 503;
	db_exec_cmd(&r->app->db, LEGACY(STMT_LOGIN_CLEAR), params);
	r->customer_id = id;
	flash_set(r, FLASH_SIGNED_IN);
	return resp_redirect(r, 303, next != NULL ? next->s : "/dashboard");
}

/* Run the sign-in once the password is in l; the caller wipes it. */
static int
login_run(struct req *r, struct login *l)
{
	char		 role[16] = "", wait[24];
	long		 secs;
	long long	 id;

	if ((secs = login_throttled(r, l)) == -1)
		return 503;
	if (secs > 0) {
		snprintf(wait, sizeof(wait), "%ld", secs);
		resp_header(r, "Retry-After", wait);
		return login_page(r, 429, l->email, MSG_LOGIN_THROTTLED);
	}
	if ((id = login_check(r, l, role)) == -1)
		return 503;
	if (id == 0) {
		login_failed(r, l);
		return login_page(r, 401, l->email, MSG_LOGIN_FAILED);
	}
	if (strcmp(role, "customer") != 0)
		return login_page(r, 403, l->email, MSG_LOGIN_ROLE);
	return login_success(r, l, id);
}

/*
 * POST /login. Every outcome but success re-renders the form with the
 * email as typed; the password is wiped from the form and the raw body
 * before returning.
 */
int
page_login(struct req *r)
{
	const struct field	*email = r->fields[KEY_EMAIL];
	const struct field	*pw = r->fields[KEY_PASSWORD];
	struct login		 l;
	size_t			 i;
	int			 rc;

	memset(&l, 0, sizeof(l));
	if (email == NULL || pw == NULL)
		rc = login_page(r, 401, email != NULL ? email->s : "",
		    MSG_LOGIN_FAILED);
	else {
		for (i = 0; i < email->n && i < sizeof(l.email) - 1; i++)
			l.email[i] = (char)tolower((unsigned char)email->s[i]);
		l.addr = req_env(r, "REMOTE_ADDR");
		if (l.addr == NULL)
			l.addr = "";
		l.pw = (char *)pw->s;
		l.pwlen = pw->n;
		rc = login_run(r, &l);
	}
	if (pw != NULL)
		password_wipe((char *)pw->s, pw->n);
	password_wipe(r->body, r->bodysz);
	return rc;
}

/* POST /logout: end the session, back to the sign-in page. */
int
page_logout(struct req *r)
{
	session_end(r);
	flash_set(r, FLASH_SIGNED_OUT);
	return resp_redirect(r, 303, "/login");
}
