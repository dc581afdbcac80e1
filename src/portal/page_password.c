/* page_password.c: change the password (current one required) and end every other session. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "core/password.h"
#include "web/flash.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/session.h"

/*
 * Check the signed-in customer's current password (cur may be NULL);
 * 1 right, 0 wrong, -1 database error. Also used by page_profile.c.
 */
int
password_current_ok(struct req *r, const struct field *cur)
{
	char		 id[24];
	const char	*params[1] = { id };
	PGresult	*res;
	int		 ok;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_USER_PASSWORD), params)) == NULL)
		return -1;
	ok = cur != NULL && PQntuples(res) == 1 &&
	    password_verify(PQgetvalue(res, 0, 0), cur->s, cur->n);
	PQclear(res);
	return ok;
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
	if (db_exec_cmd(db, LEGACY(STMT_PASSWORD_SET), params) == -1 ||
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

/* Which field is wrong, or NULL when the change may go ahead. */
static const char *
password_problem(struct req *r, int cur_ok, const char **field)
{
	const struct field	*pw = r->fields[KEY_NEW_PASSWORD];
	const struct field	*again = r->fields[KEY_CONFIRM_PASSWORD];

	*field = "pw_current";
	if (!cur_ok)
		return "The current password is not right.";
	*field = "new_password";
	if (pw == NULL || !password_length_ok(pw->s, pw->n))
		return "Use 8 to 1024 characters.";
	*field = "confirm_password";
	if (again == NULL || again->n != pw->n ||
	    CRYPTO_memcmp(again->s, pw->s, pw->n) != 0)
		return "The two new passwords differ.";
	return NULL;
}

/* Wipe every copy of the passwords this request holds. */
static void
password_wipe_all(struct req *r)
{
	static const enum key	 keys[] = { KEY_CURRENT_PASSWORD,
	    KEY_NEW_PASSWORD, KEY_CONFIRM_PASSWORD };
	size_t			 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (r->fields[keys[i]] != NULL)
			password_wipe((char *)r->fields[keys[i]]->s,
			    r->fields[keys[i]]->n);
	password_wipe(r->body, r->bodysz);
}

/*
 * POST /profile/password: current password, new one twice. On success
 * every other session of the user ends; this one stays.
 */
int
page_password(struct req *r)
{
	struct json_object	*errs, *vals;
	const char		*problem, *field;
	int			 cur, rc;

	if ((cur = password_current_ok(r, r->fields[KEY_CURRENT_PASSWORD]))
	    == -1)
		rc = 503;
	else if ((problem = password_problem(r, cur, &field)) != NULL) {
		errs = json_object_new_object();
		json_object_object_add(errs, field,
		    json_object_new_string(problem));
		password_wipe_all(r);
		if ((vals = profile_values(r)) == NULL) {
			json_object_put(errs);
			return 503;
		}
		return profile_page(r, 422, vals, errs);
	} else
		rc = password_store(r, r->fields[KEY_NEW_PASSWORD]);
	password_wipe_all(r);
	if (rc != 0)
		return rc;
	flash_set(r, &flash_legacy[FLASH_PASSWORD_CHANGED]);
	return resp_redirect(r, 303, "/profile");
}
