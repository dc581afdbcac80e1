/* page_profile.c: view and edit the customer's profile and time zone; forms keep the input and show each field's error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "core/log.h"
#include "core/password.h"
#include "core/valid.h"
#include "core/xmalloc.h"
#include "web/flash.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/session.h"
#include "tzlist.h"

#define PROFILE_CC	"62"	/* national numbers are Indonesian */

/* The profile columns, in LEGACY(STMT_PROFILE_GET)'s order, and their keys. */
static const struct profile_col {
	const char	*name;
	enum key	 key;
} profile_cols[] = {
	{ "name", KEY_NAME },
	{ "email", KEY_PROFILE_EMAIL },
	{ "mobile", KEY_MOBILE },
	{ "phone", KEY_PHONE },
	{ "language", KEY_LANGUAGE },
	{ "address", KEY_ADDRESS },
	{ "notes", KEY_NOTES },
};
#define PROFILE_NCOLS	(sizeof(profile_cols) / sizeof(profile_cols[0]))

/* "values" from the database: what the form shows first; NULL on error. */
struct json_object *
profile_values(struct req *r)
{
	struct json_object	*vals;
	char			 id[24];
	const char		*params[1] = { id };
	PGresult		*res;
	size_t			 c;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_PROFILE_GET), params)) == NULL)
		return NULL;
	vals = json_object_new_object();
	for (c = 0; PQntuples(res) == 1 && c < PROFILE_NCOLS; c++)
		json_object_object_add(vals, profile_cols[c].name,
		    json_object_new_string(PQgetvalue(res, 0, (int)c)));
	PQclear(res);
	return vals;
}

/*
 * Add the stored time zone to vals unless it holds one (as typed).
 * Returns 0, or -1 when the database failed.
 */
static int
profile_tz_value(struct req *r, struct json_object *vals)
{
	char		 id[24];
	const char	*params[1] = { id };
	PGresult	*res;

	if (json_object_object_get_ex(vals, "time_zone", NULL))
		return 0;
	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_USER_TZ), params)) == NULL)
		return -1;
	json_object_object_add(vals, "time_zone", json_object_new_string(
	    PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : ""));
	PQclear(res);
	return 0;
}

/*
 * Render the profile page with status, the values shown in the forms
 * (owned by the view afterwards) and the errors by field (may be NULL;
 * owned too). Returns 503 when the time zones cannot be read.
 */
int
profile_page(struct req *r, int status, struct json_object *vals,
    struct json_object *errs)
{
	struct json_object	*v = json_object_new_object(), *lang;
	int			 rc;

	if (tzlist_load(&r->app->db) == -1 || profile_tz_value(r, vals) == -1) {
		json_object_put(v);
		json_object_put(vals);
		json_object_put(errs);
		return 503;
	}
	json_object_object_add(v, "time_zones", tzlist_groups(
	    json_object_get_string(json_object_object_get(vals, "time_zone"))));
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_NAV_PROFILE)));
	json_object_object_add(v, "nav_profile", json_object_new_boolean(1));
	lang = json_object_object_get(vals, "language");
	json_object_object_add(v, json_object_get_string(lang) != NULL &&
	    strcmp(json_object_get_string(lang), "id") == 0 ? "lang_is_id" :
	    "lang_is_en", json_object_new_boolean(1));
	json_object_object_add(v, "values", vals);
	i18n_fixed_object(req_lang(r), errs);
	if (errs != NULL) {
		json_object_object_add(v, "errors", errs);
		json_object_object_add(v, "has_errors",
		    json_object_new_boolean(1));
	}
	rc = resp_html(r, status, "profile", v);
	json_object_put(v);
	return rc;
}

int
page_profile(struct req *r)
{
	struct json_object	*vals;

	if ((vals = profile_values(r)) == NULL)
		return 503;
	return profile_page(r, 200, vals, NULL);
}

/* The submitted text of key k, trimmed, or "" when absent. */
static void
profile_input(struct req *r, enum key k, const char **s, size_t *n)
{
	const struct field	*f = r->fields[k];

	*s = f != NULL ? f->s : "";
	*n = f != NULL ? f->n : 0;
	text_trim(s, n);
}

/* Record err for field under errs; returns -1 so callers can chain. */
static int
profile_err(struct json_object *errs, const char *field, const char *err)
{
	json_object_object_add(errs, field, json_object_new_string(err));
	return -1;
}

/*
 * Validate and normalise every field into out[] (malloc'd strings in
 * profile_cols order); errors go to errs. Returns 0 when all are good.
 */
static int
profile_check(struct req *r, char *out[PROFILE_NCOLS], struct json_object *errs)
{
	char		 email[EMAIL_MAX + 1], e164[E164_MAX + 1];
	const char	*s, *err;
	size_t		 n;
	int		 rc = 0;

	profile_input(r, KEY_NAME, &s, &n);
	if (name_ok(s, n, &err) == -1)
		rc = profile_err(errs, "name", err);
	out[0] = xstrndup(s, n);
	profile_input(r, KEY_PROFILE_EMAIL, &s, &n);
	if (email_normalize(s, n, email, &err) == -1) {
		rc = profile_err(errs, "email", err);
		email[0] = '\0';
	}
	out[1] = xstrdup(email);
	profile_input(r, KEY_MOBILE, &s, &n);
	if (phone_e164(s, n, PROFILE_CC, e164, &err) == -1) {
		rc = profile_err(errs, "mobile", err);
		e164[0] = '\0';
	}
	out[2] = xstrdup(e164);
	profile_input(r, KEY_PHONE, &s, &n);
	if (phone_e164(s, n, PROFILE_CC, e164, &err) == -1) {
		rc = profile_err(errs, "phone", err);
		e164[0] = '\0';
	}
	out[3] = xstrdup(e164);
	profile_input(r, KEY_LANGUAGE, &s, &n);
	if (i18n_lang_find(s, n) == LANG__MAX)
		rc = profile_err(errs, "language", "Choose English or "
		    "Bahasa Indonesia.");
	out[4] = xstrndup(s, n);
	profile_input(r, KEY_ADDRESS, &s, &n);
	if (text_field_ok(s, n, CONTACT_ADDRESS_MAX, 1, &err) == -1)
		rc = profile_err(errs, "address", err);
	out[5] = xstrndup(s, n);
	profile_input(r, KEY_NOTES, &s, &n);
	if (text_field_ok(s, n, CONTACT_NOTES_MAX, 1, &err) == -1)
		rc = profile_err(errs, "notes", err);
	out[6] = xstrndup(s, n);
	return rc;
}

/*
 * A changed email needs the current password. Returns 0 when the
 * email is unchanged or the password is right, -1 (error recorded)
 * otherwise, 503 when the database failed.
 */
static int
profile_email_guard(struct req *r, const char *email, struct json_object *errs)
{
	const struct field	*pw = r->fields[KEY_CURRENT_PASSWORD];
	int			 ok;

	if (strcasecmp(email, r->user->email) == 0 || *email == '\0')
		return 0;
	if ((ok = password_current_ok(r, pw)) == -1)
		return 503;
	if (pw != NULL)
		password_wipe((char *)pw->s, pw->n);
	if (ok)
		return 0;
	return profile_err(errs, "current_password", "Enter your current "
	    "password to change your email address.");
}

/* Store the checked values; a taken email is a field error. */
static int
profile_store(struct req *r, char *val[PROFILE_NCOLS], struct json_object *errs)
{
	const char	*params[1 + PROFILE_NCOLS];
	char		 id[24];
	size_t		 c;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	params[0] = id;
	for (c = 0; c < PROFILE_NCOLS; c++)
		params[c + 1] = val[c];
	if (db_exec_cmd(&r->app->db, LEGACY(STMT_PROFILE_UPDATE), params) == 0)
		return 0;
	if (strcmp(r->app->db.sqlstate, "23505") == 0)
		return profile_err(errs, "email", "This email address is "
		    "already used by another account.");
	log_warnx("request %s: profile update: %s", r->id, r->app->db.errmsg);
	return 503;
}

/* The form as submitted, for re-rendering after an error. */
static struct json_object *
profile_submitted(struct req *r)
{
	struct json_object	*vals = json_object_new_object();
	const struct field	*f;
	size_t			 c;

	for (c = 0; c < PROFILE_NCOLS; c++) {
		f = r->fields[profile_cols[c].key];
		json_object_object_add(vals, profile_cols[c].name,
		    json_object_new_string_len(f != NULL ? f->s : "",
		    f != NULL ? (int)f->n : 0));
	}
	return vals;
}

/*
 * POST /profile: validate everything, then store it at once or not at
 * all. On any error the form comes back (422) with the input as typed
 * and a message under each wrong field; nothing is changed.
 */
int
page_profile_save(struct req *r)
{
	struct json_object	*errs = json_object_new_object();
	char			*val[PROFILE_NCOLS];
	size_t			 c;
	int			 rc;

	rc = profile_check(r, val, errs);
	if (rc == 0)
		rc = profile_email_guard(r, val[1], errs);
	if (rc == 0)
		rc = profile_store(r, val, errs);
	for (c = 0; c < PROFILE_NCOLS; c++)
		free(val[c]);
	password_wipe(r->body, r->bodysz);	/* it may hold the password */
	if (rc == 0) {
		json_object_put(errs);
		flash_set(r, &flash_legacy[FLASH_PROFILE_SAVED]);
		return resp_redirect(r, 303, "/profile");
	}
	if (rc > 0) {
		json_object_put(errs);
		return rc;
	}
	return profile_page(r, 422, profile_submitted(r), errs);
}

/* 1 when tz is the customer's stored zone; -1 when the database failed. */
static int
profile_tz_is_current(struct req *r, const char *tz)
{
	char		 id[24];
	const char	*params[1] = { id };
	PGresult	*res;
	int		 same;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, LEGACY(STMT_USER_TZ), params)) == NULL)
		return -1;
	same = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), tz) == 0;
	PQclear(res);
	return same;
}

/*
 * POST /profile/time-zone: an IANA name PostgreSQL knows, from the list
 * the page offers (or the stored one, kept). A bad one shows the page
 * again (422) with the name as typed; nothing is changed.
 */
int
page_profile_tz(struct req *r)
{
	const struct field	*f = r->fields[KEY_TIME_ZONE];
	struct json_object	*vals, *errs;
	char			 id[24];
	const char		*tz = f != NULL ? f->s : "";
	const char		*params[2] = { id, tz };
	int			 ok;

	if (tzlist_load(&r->app->db) == -1)
		return 503;
	ok = tzlist_valid_name(tz, f != NULL ? f->n : 0);
	if (ok && !tzlist_has(tz) && (ok = profile_tz_is_current(r, tz)) == -1)
		return 503;
	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	if (ok) {
		if (db_exec_cmd(&r->app->db, LEGACY(STMT_USER_TZ_SET), params) == -1)
			return 503;
		flash_set(r, &flash_legacy[FLASH_PROFILE_SAVED]);
		return resp_redirect(r, 303, "/profile");
	}
	if ((vals = profile_values(r)) == NULL)
		return 503;
	json_object_object_add(vals, "time_zone", json_object_new_string(tz));
	errs = json_object_new_object();
	json_object_object_add(errs, "time_zone", json_object_new_string(
	    i18n_text(req_lang(r), MSG_MP_ERR_TZ)));
	return profile_page(r, 422, vals, errs);
}
