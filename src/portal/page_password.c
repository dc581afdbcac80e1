/* page_password.c: change the password (current one required, checks throttled like sign-in) and end every other session. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/password.h"
#include "core/xmalloc.h"
#include "web/flash.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "web/session.h"
#include "profile.h"
#include "throttle.h"

static int	password_in_new(struct req *, struct field *);

/* The inputs of POST /profile/password. */
enum {
	PW_IN_CURRENT,
	PW_IN_NEW,
	PW_IN_CONFIRM,
	PW_IN__MAX
};

static const struct input password_in[PW_IN__MAX] = {
	[PW_IN_CURRENT] = { "current_password", input_password, 0 },
	[PW_IN_NEW] = { "new_password", password_in_new, 0 },
	[PW_IN_CONFIRM] = { "confirm_password", input_password, 0 },
};

/* The column of PASSWORD_GET. */
enum { PG_HASH, PG__MAX };

enum {
	PASSWORD_GET,
	PASSWORD_SET,
	PASSWORD__MAX
};

static const struct stmt password_sql[PASSWORD__MAX] = {
	[PASSWORD_GET] = { "password.get",
	    "SELECT password_hash FROM users WHERE id = $1 "
	    "AND password_hash IS NOT NULL", 1, DB_RETRY,
	    DB_COLS(PG__MAX, [PG_HASH] = "password_hash") },
	[PASSWORD_SET] = { "password.set",
	    "UPDATE users SET password_hash = $2 WHERE id = $1", 2, DB_ONCE,
	    NULL },
};

enum { PWF_CHANGED, PWF__MAX };

static const struct flash password_flashes[PWF__MAX] = {
	[PWF_CHANGED] = { "password_changed", N_("Your password is changed. "
	    "Every other session has been signed out."), "success" },
};

/* What a new password that is absent or of the wrong length gets. */
static const char password_length[] = N_("Use 8 to 1024 characters.");

/* What a current password past the throttle's limit gets, then minutes. */
static const char password_wait[] = N_("Too many wrong passwords, so "
    "nothing was saved. Minutes until you can try again:");

/* A new password: 8 to 1024 characters (password_length_ok). */
static int
password_in_new(struct req *r, struct field *f)
{
	(void)r;
	if (!password_length_ok(f->s, f->n)) {
		f->err = password_length;
		return -1;
	}
	return 0;
}

/* 1 when cur is the signed-in customer's password, 0 not, -1 database. */
static int
password_verify_current(struct req *r, const struct field *cur)
{
	const char	*params[1] = { r->cid };
	PGresult	*res;
	int		 ok;

	if ((res = db_exec(&r->app->db, &password_sql[PASSWORD_GET],
	    params)) == NULL)
		return -1;
	ok = PQntuples(res) == 1 &&
	    password_verify(db_get(res, 0, PG_HASH), cur->s, cur->n);
	PQclear(res);
	return ok;
}

/*
 * Check the signed-in customer's current password (cur->s NULL when
 * absent or not a password), counted like a sign-in (throttle.c).
 * Returns 0 when it is right (the account's failures forgotten); 422
 * when it is absent (not counted) or wrong (counted); 429 past the
 * limit, not checked, with Retry-After set and *wait saying when to try
 * again; 503 when the database failed. Also used by page_profile.c.
 */
int
password_current(struct req *r, const struct field *cur, const char **wait)
{
	const char	*email = r->user->email;
	long		 secs;
	int		 ok;

	*wait = NULL;
	if (cur->s == NULL)
		return 422;
	if ((secs = throttle_wait(r, email)) == -1)
		return 503;
	if (secs > 0) {
		*wait = req_keep(r, xasprintf("%s %ld.",
		    req_tr(r, password_wait), (secs + 59) / 60));
		return 429;
	}
	if ((ok = password_verify_current(r, cur)) == -1)
		return 503;
	if (!ok) {
		throttle_fail(r, email);
		return 422;
	}
	throttle_clear(r, email);
	return 0;
}

/* Hash and store the new password and end the other sessions, at once. */
static int
password_store(struct req *r, const struct field *pw)
{
	struct password_params	 pp;
	char			 enc[PASSWORD_ENCODED_MAX], id[24];
	const char		*params[2] = { id, enc };
	struct db		*db = &r->app->db;

	pp.t = (unsigned)r->app->conf.num[CONF_ARGON2_T];
	pp.m_kib = (unsigned)r->app->conf.num[CONF_ARGON2_M];
	pp.p = 1;
	if (password_hash(&pp, pw->s, pw->n, enc) == -1)
		return 500;
	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if (db_begin(db) == -1)
		return 503;
	if (db_exec_cmd(db, &password_sql[PASSWORD_SET], params) == -1 ||
	    session_end_others(r) == -1) {
		db_rollback(db);
		log_warnx("request %s: password change: %s", r->id, db->errmsg);
		return 503;
	}
	if (db_commit(db) == -1) {
		log_warnx("request %s: password change: %s", r->id, db->errmsg);
		return 503;
	}
	return 0;
}

/* Record problem under field in errs; returns 1, for counting. */
static int
password_err(struct json_object *errs, const char *field, const char *problem)
{
	json_object_object_add(errs, field, json_object_new_string(problem));
	return 1;
}

/*
 * Every problem of the form at once, each under its field in errs: the
 * current password by cur (password_current's answer; wait past the
 * throttle's limit), the new one's length, and whether the copy differs
 * from it as typed. Returns how many there are.
 */
static int
password_problems(struct req *r, int cur, const char *wait,
    struct json_object *errs)
{
	const struct field	*pw = &r->in[PW_IN_NEW];
	const struct field	*again = &r->in[PW_IN_CONFIRM];
	int			 n = 0;

	if (cur == 429)
		n += password_err(errs, "pw_current", wait);
	else if (cur != 0)
		n += password_err(errs, "pw_current",
		    r->in[PW_IN_CURRENT].rawn == 0 ?
		    N_("Enter your current password.") :
		    N_("The current password is not right."));
	if (pw->s == NULL)
		n += password_err(errs, "new_password",
		    pw->err != NULL ? pw->err : password_length);
	if (again->rawn != pw->rawn || (pw->rawn > 0 &&
	    CRYPTO_memcmp(again->raw, pw->raw, pw->rawn) != 0))
		n += password_err(errs, "confirm_password",
		    N_("The two new passwords differ."));
	return n;
}

/* Wipe every copy of the passwords this request holds. */
static void
password_wipe_all(struct req *r)
{
	size_t	 i;

	for (i = 0; i < PW_IN__MAX; i++)
		if (r->in[i].raw != NULL)
			password_wipe((char *)r->in[i].raw, r->in[i].rawn);
	password_wipe(r->body, r->bodysz);
}

/*
 * POST /profile/password: current password, new one twice. Every
 * problem is shown at once at its field (422, or 429 past the
 * throttle's limit, when the current one is not checked). On success
 * every other session of the user ends; this one stays.
 */
static int
password_change(struct req *r)
{
	struct json_object	*errs, *vals;
	const char		*wait;
	int			 cur, rc;

	if ((cur = password_current(r, &r->in[PW_IN_CURRENT], &wait)) == 503) {
		password_wipe_all(r);
		return 503;
	}
	errs = json_object_new_object();
	if (password_problems(r, cur, wait, errs) > 0) {
		password_wipe_all(r);
		if ((vals = profile_values(r)) == NULL) {
			json_object_put(errs);
			return 503;
		}
		return profile_page_alert(r, cur == 429 ? 429 : 422, vals,
		    errs, cur == 429 ? wait : NULL);
	}
	json_object_put(errs);
	rc = password_store(r, &r->in[PW_IN_NEW]);
	password_wipe_all(r);
	if (rc != 0)
		return rc;
	flash_set(r, &password_flashes[PWF_CHANGED]);
	return resp_redirect(r, 303, "/profile");
}

static const struct route password_routes[] = {
	{ .method = METHOD_POST, .pattern = "/profile/password",
	    .handler = password_change, .name = "password",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 16 * 1024, .pass_invalid = 1,
	    ROUTE_INPUTS(password_in) },
};

const struct module password_module = {
	.name = "password",
	MODULE_ROUTES(password_routes),
	MODULE_SQL(password_sql),
	MODULE_FLASHES(password_flashes),
};
