/* page_login.c: sign in (throttled, constant answer for unknown accounts) and sign out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/password.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "web/session.h"
#include "throttle.h"

/* The inputs of POST /login; GET /login reads only the first. */
enum {
	LOGIN_IN_NEXT,
	LOGIN_IN_EMAIL,
	LOGIN_IN_PASSWORD,
	LOGIN_IN__MAX
};

static const struct input login_in[LOGIN_IN__MAX] = {
	[LOGIN_IN_NEXT] = { "next", input_local_path, 0 },
	[LOGIN_IN_EMAIL] = { "email", input_login_email, INPUT_REQUIRED },
	[LOGIN_IN_PASSWORD] = { "password", input_password, INPUT_REQUIRED },
};

/* The columns of LOGIN_USER. */
enum { LU_ID, LU_ROLE, LU_HASH, LU_DISABLED, LU__MAX };

enum {
	LOGIN_USER,
	LOGIN_REHASH,
	LOGIN__MAX
};

static const struct stmt login_sql[LOGIN__MAX] = {
	[LOGIN_USER] = { "login.user",
	    "SELECT id, role, password_hash, "
	    "disabled_at IS NOT NULL AS disabled "
	    "FROM users WHERE email = $1", 1, DB_RETRY,
	    DB_COLS(LU__MAX, [LU_ID] = "id", [LU_ROLE] = "role",
	    [LU_HASH] = "password_hash", [LU_DISABLED] = "disabled") },
	[LOGIN_REHASH] = { "login.rehash",
	    "UPDATE users SET password_hash = $2 WHERE id = $1", 2, DB_ONCE,
	    NULL },
};

/* The strings of login.mustache. */
enum { LS_TITLE, LS_LEAD, LS_PASSWORD, LS__MAX };

static const struct i18n_key login_strings[LS__MAX] = {
	[LS_TITLE] = T_("login_title", "Sign in to waportal"),
	[LS_LEAD] = T_("login_lead",
	    "Use the email address and password your dealer set up for you."),
	[LS_PASSWORD] = T_("password", "Password"),
};

enum { LF_SIGNED_IN, LF_SIGNED_OUT, LF__MAX };

static const struct flash login_flashes[LF__MAX] = {
	[LF_SIGNED_IN] = { "signed_in", N_("Welcome back."), "success" },
	[LF_SIGNED_OUT] = { "signed_out", N_("You have signed out."),
	    "success" },
};

/* What every failure but the throttle and the role says. */
static const char login_wrong[] =
    N_("The email address or password is incorrect.");

struct login {
	char		 email[255];	/* lower-cased as typed */
	char		*pw;		/* points into the form; wiped */
	size_t		 pwlen;
};

/*
 * Render the form (status 200, 401, 403 or 429) keeping the email; err
 * is an English sentence or NULL.
 */
static int
login_page(struct req *r, int status, const char *email, const char *err)
{
	struct json_object	*v = json_object_new_object();
	const struct field	*next = &r->in[LOGIN_IN_NEXT];
	int			 rc;

	json_object_object_add(v, "title", json_object_new_string(
	    req_t(r, &login_strings[LS_TITLE])));
	json_object_object_add(v, "email", json_object_new_string(email));
	json_object_object_add(v, "next", json_object_new_string(
	    next->s != NULL ? next->s : ""));
	if (err != NULL)
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, err)));
	resp_header(r, "Cache-Control", "no-store");
	rc = resp_html(r, status, "login", v);
	json_object_put(v);
	return rc;
}

static int
login_form(struct req *r)
{
	if (r->user != NULL && strcmp(r->user->role, "customer") == 0)
		return resp_redirect(r, 303, "/dashboard");
	return login_page(r, 200, "", NULL);
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
	if (db_exec_cmd(&r->app->db, &login_sql[LOGIN_REHASH], params) == -1)
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

	if ((res = db_exec(&r->app->db, &login_sql[LOGIN_USER], params)) ==
	    NULL)
		return -1;
	usable = PQntuples(res) == 1 && !db_isnull(res, 0, LU_HASH) &&
	    !db_getb(res, 0, LU_DISABLED);
	if (!usable) {
		password_verify(r->app->dummy_hash, l->pw, l->pwlen);
	} else if (password_verify(db_get(res, 0, LU_HASH), l->pw, l->pwlen)) {
		id = db_getll(res, 0, LU_ID);
		snprintf(role, 16, "%s", db_get(res, 0, LU_ROLE));
		login_rehash(r, db_get(res, 0, LU_ID), db_get(res, 0, LU_HASH),
		    l);
	}
	PQclear(res);
	return id;
}

/* Signed in: a fresh session, failures forgotten, back to next. */
static int
login_success(struct req *r, const struct login *l, long long id)
{
	const struct field	*next = &r->in[LOGIN_IN_NEXT];

	if (session_start(r, id) == -1)
		return 503;
	throttle_clear(r, l->email);
	req_set_customer(r, id);
	flash_set(r, &login_flashes[LF_SIGNED_IN]);
	return resp_redirect(r, 303, next->s != NULL ? next->s : "/dashboard");
}

/* Run the sign-in once the password is in l; the caller wipes it. */
static int
login_run(struct req *r, struct login *l)
{
	char		 role[16] = "";
	long		 secs;
	long long	 id;

	/* Past the limit (Retry-After set), even a right password waits. */
	if ((secs = throttle_wait(r, l->email)) == -1)
		return 503;
	if (secs > 0)
		return login_page(r, 429, l->email, N_("Too many failed "
		    "sign-ins. Please wait a few minutes and try again."));
	if ((id = login_check(r, l, role)) == -1)
		return 503;
	if (id == 0) {
		throttle_fail(r, l->email);
		return login_page(r, 401, l->email, login_wrong);
	}
	if (strcmp(role, "customer") != 0)
		return login_page(r, 403, l->email, N_("This portal is for "
		    "customers. Please use the dealer or admin tools."));
	return login_success(r, l, id);
}

/*
 * POST /login. Every outcome but success re-renders the form with the
 * email as typed; the password is wiped from the form and the raw body
 * before returning.
 */
static int
login_post(struct req *r)
{
	const struct field	*email = &r->in[LOGIN_IN_EMAIL];
	const struct field	*pw = &r->in[LOGIN_IN_PASSWORD];
	struct login		 l;
	size_t			 i;
	int			 rc;

	memset(&l, 0, sizeof(l));
	if (email->s == NULL || pw->s == NULL)
		rc = login_page(r, 401, email->s != NULL ? email->s : "",
		    login_wrong);
	else {
		for (i = 0; i < email->n && i < sizeof(l.email) - 1; i++)
			l.email[i] = (char)tolower((unsigned char)email->s[i]);
		l.pw = (char *)pw->s;
		l.pwlen = pw->n;
		rc = login_run(r, &l);
	}
	if (pw->raw != NULL)
		password_wipe((char *)pw->raw, pw->rawn);
	password_wipe(r->body, r->bodysz);
	return rc;
}

/* POST /logout: end the session, back to the sign-in page. */
static int
login_logout(struct req *r)
{
	session_end(r);
	flash_set(r, &login_flashes[LF_SIGNED_OUT]);
	return resp_redirect(r, 303, "/login");
}

static const struct route login_routes[] = {
	{ .method = METHOD_GET, .pattern = "/login", .handler = login_form,
	    .name = "login_form", .pass_invalid = 1, .inputs = login_in,
	    .ninputs = LOGIN_IN_NEXT + 1 },
	/* No session yet: the same-origin check guards it (docs/security.md). */
	{ .method = METHOD_POST, .pattern = "/login", .handler = login_post,
	    .name = "login", .csrf = 1, .body = BODY_FORM,
	    .max_body = 16 * 1024, .pass_invalid = 1, ROUTE_INPUTS(login_in) },
	{ .method = METHOD_POST, .pattern = "/logout", .handler = login_logout,
	    .name = "logout", .auth = AUTH_SESSION, .csrf = 1,
	    .body = BODY_FORM, .max_body = 4096 },
};

const struct module login_module = {
	.name = "login",
	MODULE_ROUTES(login_routes),
	MODULE_SQL(login_sql),
	MODULE_STRINGS(login_strings),
	MODULE_FLASHES(login_flashes),
};
