/* page_profile.c: view and edit the customer's profile and time zone; forms keep the input and show each field's error. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "core/nls.h"
#include "core/password.h"
#include "core/phone.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"
#include "web/session.h"
#include "country.h"
#include "profile.h"
#include "tzlist.h"


static int	profile_in_name(struct req *, struct field *);
static int	profile_in_email(struct req *, struct field *);
static int	profile_in_country(struct req *, struct field *);
static int	profile_in_phone(struct req *, struct field *);
static int	profile_in_language(struct req *, struct field *);
static int	profile_in_address(struct req *, struct field *);
static int	profile_in_notes(struct req *, struct field *);
static int	profile_in_tz(struct req *, struct field *);

/*
 * The inputs of POST /profile: the details in the order PROFILE_UPDATE
 * stores them ($2..$9), then the password an email change needs. The
 * country comes before the numbers it reads (profile_phones).
 */
enum {
	PF_NAME,
	PF_EMAIL,
	PF_COUNTRY,
	PF_MOBILE,
	PF_PHONE,
	PF_LANGUAGE,
	PF_ADDRESS,
	PF_NOTES,
	PF_CURRENT_PASSWORD,
	PF__MAX
};
#define PF_NDETAILS	PF_CURRENT_PASSWORD

static const struct input profile_in[PF__MAX] = {
	[PF_NAME] = { "name", profile_in_name, 0 },
	[PF_EMAIL] = { "email", profile_in_email, 0 },
	[PF_COUNTRY] = { "country", profile_in_country, 0 },
	[PF_MOBILE] = { "mobile", profile_in_phone, 0 },
	[PF_PHONE] = { "phone", profile_in_phone, 0 },
	[PF_LANGUAGE] = { "language", profile_in_language, 0 },
	[PF_ADDRESS] = { "address", profile_in_address, 0 },
	[PF_NOTES] = { "notes", profile_in_notes, 0 },
	[PF_CURRENT_PASSWORD] = { "current_password", input_password, 0 },
};

/* The input of POST /profile/time-zone. */
enum { TZ_IN_ZONE, TZ_IN__MAX };

static const struct input tz_in[TZ_IN__MAX] = {
	[TZ_IN_ZONE] = { "time_zone", profile_in_tz, 0 },
};

/* The columns of PROFILE_GET (the form's fields) and PROFILE_TZ. */
enum {
	PG_NAME,
	PG_EMAIL,
	PG_COUNTRY,
	PG_MOBILE,
	PG_PHONE,
	PG_LANGUAGE,
	PG_ADDRESS,
	PG_NOTES,
	PG__MAX
};
enum { PT_TIME_ZONE, PT__MAX };
enum { PC_COUNTRY, PC__MAX };

enum {
	PROFILE_GET,
	PROFILE_UPDATE,
	PROFILE_TZ,
	PROFILE_TZ_SET,
	PROFILE_COUNTRY,
	PROFILE__MAX
};

static const struct stmt profile_sql[PROFILE__MAX] = {
	[PROFILE_GET] = { "profile.get",
	    "SELECT name, email, country, mobile, phone, language, address, "
	    "notes FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(PG__MAX, [PG_NAME] = "name", [PG_EMAIL] = "email",
	    [PG_COUNTRY] = "country", [PG_MOBILE] = "mobile", [PG_PHONE] = "phone",
	    [PG_LANGUAGE] = "language", [PG_ADDRESS] = "address",
	    [PG_NOTES] = "notes") },
	[PROFILE_UPDATE] = { "profile.update",
	/* An empty country ($4: the form did not send one) keeps it. */
	    "UPDATE users SET name = $2, email = $3, "
	    "country = coalesce(nullif($4, ''), country), mobile = $5, "
	    "phone = $6, language = $7, address = $8, notes = $9 "
	    "WHERE id = $1", 9, DB_ONCE, NULL },
	[PROFILE_TZ] = { "profile.time_zone",
	    "SELECT time_zone FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(PT__MAX, [PT_TIME_ZONE] = "time_zone") },
	[PROFILE_TZ_SET] = { "profile.time_zone_set",
	    "UPDATE users SET time_zone = $2 WHERE id = $1", 2, DB_ONCE,
	    NULL },
	/* The stored country, for numbers sent without the country field. */
	[PROFILE_COUNTRY] = { "profile.country",
	    "SELECT country FROM users WHERE id = $1", 1, DB_RETRY,
	    DB_COLS(PC__MAX, [PC_COUNTRY] = "country") },
};

/* The strings of profile.mustache. */
static const struct i18n_key profile_strings[] = {
	T_("profile_lead", "Your details, your language and your password."),
	T_("profile_details", "Details"),
	T_("mobile", "Mobile"),
	T_("country", "Country for phone numbers"),
	T_("country_hint", "Numbers written without + and a country code, "
	    "here and on the other pages, are read as numbers of this "
	    "country."),
	T_("language", "Language"),
	T_("notes", "Notes"),
	T_("current_password", "Current password"),
	T_("email_change_hint",
	    "Needed only when you change your email address."),
	T_("phone_hint",
	    "International (+62 812 3456 7890) or national (0812 3456 7890)."),
	T_("save", "Save"),
	T_("change_password", "Change password"),
	T_("new_password", "New password"),
	T_("new_password_hint",
	    "8 to 1024 characters. Other sessions will be signed out."),
	T_("confirm_password", "New password again"),
	T_("avatar", "Picture"),
	T_("avatar_hint",
	    "PNG, JPEG or WebP, at most 2 MiB. It is cropped to a square."),
	T_("upload", "Upload"),
	T_("remove_avatar", "Remove picture"),
	T_("form_errors",
	    "Some fields need your attention. Nothing was saved."),
	T_("mp_tz_title", "Time zone"),
	T_("mp_tz_hint",
	    "Times on the message pages are shown in this zone, and send "
	    "times you enter are read in it."),
	T_("mp_tz_save", "Save time zone"),
};

enum { PFL_SAVED, PFL__MAX };

static const struct flash profile_flashes[PFL__MAX] = {
	[PFL_SAVED] = { "profile_saved", N_("Your profile is saved."),
	    "success" },
};

static const char profile_tz_wrong[] = N_("Choose a time zone from the list.");
static const char profile_country_wrong[] =
    N_("Choose a country from the list.");

/*
 * The page's fields that can show an error, in page order, with the
 * view's flags: the first wrong one gets the focus (autofocus), and the
 * banner goes in its form's card, next to the fields, not at the top.
 */
static const struct profile_slot {
	const char	*field;		/* its key under errors */
	const char	*focus;		/* its flag for autofocus */
	const char	*form;		/* its form's flag for the banner */
} profile_slots[] = {
	{ "name", "focus_name", "failed_details" },
	{ "email", "focus_email", "failed_details" },
	{ "country", "focus_country", "failed_details" },
	{ "current_password", "focus_cpe", "failed_details" },
	{ "mobile", "focus_mobile", "failed_details" },
	{ "phone", "focus_phone", "failed_details" },
	{ "language", "focus_language", "failed_details" },
	{ "address", "focus_address", "failed_details" },
	{ "notes", "focus_notes", "failed_details" },
	{ "time_zone", "focus_time_zone", "failed_tz" },
	{ "avatar", "focus_avatar", "failed_avatar" },
	{ "pw_current", "focus_pw_current", "failed_password" },
	{ "new_password", "focus_new_password", "failed_password" },
	{ "confirm_password", "focus_confirm_password", "failed_password" },
};

/* ------------------------------------------------------------ inputs */

/* Keep f's value with the spaces around it trimmed, in the request. */
static void
profile_trim(struct req *r, struct field *f)
{
	const char	*s = f->s;
	size_t		 n = f->n;

	text_trim(&s, &n);
	f->s = req_strndup(r, s, n);
	f->n = n;
}

/* A name: 1 to 100 code points on one line; cleaned: trimmed. */
static int
profile_in_name(struct req *r, struct field *f)
{
	if (name_ok(f->s, f->n, &f->err) == -1)
		return -1;
	profile_trim(r, f);
	return 0;
}

/* An email address; cleaned: trimmed, its domain lower-cased. */
static int
profile_in_email(struct req *r, struct field *f)
{
	char	 email[EMAIL_MAX + 1];

	if (email_normalize(f->s, f->n, email, &f->err) == -1)
		return -1;
	f->n = strlen(email);
	f->s = req_strndup(r, email, f->n);
	return 0;
}

/*
 * The country of national numbers: a region libphonenumber knows, or
 * "" (not sent: the stored one stays).
 */
static int
profile_in_country(struct req *r, struct field *f)
{
	profile_trim(r, f);
	if (f->n == 0 || (f->n == 2 && phone_region_ok(f->s)))
		return 0;
	f->err = profile_country_wrong;
	return -1;
}

/*
 * A phone number, trimmed; "" when left empty. Read in the country of
 * the same form, so profile_phones turns it into E.164.
 */
static int
profile_in_phone(struct req *r, struct field *f)
{
	profile_trim(r, f);
	return 0;
}

/* The portal's language: en or id, spaces around it trimmed. */
static int
profile_in_language(struct req *r, struct field *f)
{
	profile_trim(r, f);
	if (i18n_lang_find(f->s, f->n) == LANG__MAX) {
		f->err = N_("Choose English or Bahasa Indonesia.");
		return -1;
	}
	return 0;
}

/* Text of at most max code points, line breaks allowed; trimmed. */
static int
profile_text(struct req *r, struct field *f, size_t max)
{
	profile_trim(r, f);
	return text_field_ok(f->s, f->n, max, 1, &f->err);
}

static int
profile_in_address(struct req *r, struct field *f)
{
	return profile_text(r, f, CONTACT_ADDRESS_MAX);
}

static int
profile_in_notes(struct req *r, struct field *f)
{
	return profile_text(r, f, CONTACT_NOTES_MAX);
}

/*
 * The shape of an IANA zone name (tzlist_valid_name); whether the list
 * holds it is the handler's to ask, since that reads the database.
 */
static int
profile_in_tz(struct req *r, struct field *f)
{
	(void)r;
	if (!tzlist_valid_name(f->s, f->n)) {
		f->err = profile_tz_wrong;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ the page */

/* "values" from the database: what the form shows first; NULL on error. */
struct json_object *
profile_values(struct req *r)
{
	const struct stmt	*st = &profile_sql[PROFILE_GET];
	struct json_object	*vals;
	const char		*params[1] = { r->cid };
	PGresult		*res;
	int			 c;

	if ((res = db_exec(&r->app->db, st, params)) == NULL)
		return NULL;
	vals = json_object_new_object();
	for (c = 0; PQntuples(res) == 1 && c < PG__MAX; c++)
		json_object_object_add(vals, st->cols[c],
		    json_object_new_string(db_get(res, 0, c)));
	PQclear(res);
	return vals;
}

/*
 * The customer's stored time zone, a copy the request owns ("" when
 * there is no such user), or NULL when the database failed.
 */
static const char *
profile_tz_stored(struct req *r)
{
	const char	*params[1] = { r->cid }, *zone;
	PGresult	*res;

	if ((res = db_exec(&r->app->db, &profile_sql[PROFILE_TZ], params)) ==
	    NULL)
		return NULL;
	zone = PQntuples(res) == 1 ? db_get(res, 0, PT_TIME_ZONE) : "";
	zone = req_strndup(r, zone, strlen(zone));
	PQclear(res);
	return zone;
}

/*
 * Add the stored time zone to vals unless it holds one (as typed).
 * Returns 0, or -1 when the database failed.
 */
static int
profile_tz_value(struct req *r, struct json_object *vals)
{
	const char	*zone;

	if (json_object_object_get_ex(vals, "time_zone", NULL))
		return 0;
	if ((zone = profile_tz_stored(r)) == NULL)
		return -1;
	json_object_object_add(vals, "time_zone",
	    json_object_new_string(zone));
	return 0;
}

/* Countries by name in the reader's language. */
static int
profile_country_cmp(const void *a, const void *b)
{
	struct json_object *const	*ja = a, *const *jb = b;

	return strcmp(json_object_get_string(json_object_object_get(*ja,
	    "name")), json_object_get_string(json_object_object_get(*jb,
	    "name")));
}

/*
 * The country select: [{code, name, selected}] of every region
 * libphonenumber knows, by name in the reader's language (country.c).
 */
static struct json_object *
profile_countries(struct req *r, const char *selected)
{
	struct json_object	*list = json_object_new_array(), *c;
	char			 cc[3];

	cc[2] = '\0';
	for (cc[0] = 'A'; cc[0] <= 'Z'; cc[0]++)
		for (cc[1] = 'A'; cc[1] <= 'Z'; cc[1]++) {
			if (!phone_region_ok(cc))
				continue;
			c = json_object_new_object();
			json_object_object_add(c, "code",
			    json_object_new_string(cc));
			json_object_object_add(c, "name", json_object_new_string(
			    country_name(req_lang(r), cc)));
			json_object_object_add(c, "selected",
			    json_object_new_boolean(selected != NULL &&
			    strcmp(selected, cc) == 0));
			json_object_array_add(list, c);
		}
	json_object_array_sort(list, profile_country_cmp);
	return list;
}

/* Put every reason in errs (English) in the request's language. */
static void
profile_errs_tr(struct req *r, struct json_object *errs)
{
	const char	*en, *t;

	json_object_object_foreach(errs, key, val) {
		en = json_object_get_string(val);
		if (en != NULL && (t = req_tr(r, en)) != en)
			json_object_object_add(errs, key,
			    json_object_new_string(t));
	}
}

/* Flag in v the first field of errs in page order, and its form. */
static void
profile_focus(struct json_object *v, struct json_object *errs)
{
	size_t	 i;

	for (i = 0; i < sizeof(profile_slots) / sizeof(profile_slots[0]); i++)
		if (json_object_object_get_ex(errs, profile_slots[i].field,
		    NULL)) {
			json_object_object_add(v, profile_slots[i].focus,
			    json_object_new_boolean(1));
			json_object_object_add(v, profile_slots[i].form,
			    json_object_new_boolean(1));
			return;
		}
}

/*
 * Render the profile page with status, the values shown in the forms
 * (owned by the view afterwards), the errors by field, in English (may
 * be NULL; owned too) and what the banner of the failed form says
 * instead of its words for field errors (NULL for those). Returns 503
 * when the time zones cannot be read.
 */
int
profile_page_alert(struct req *r, int status, struct json_object *vals,
    struct json_object *errs, const char *alert)
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
	    req_tr(r, "Profile")));
	json_object_object_add(v, "nav_profile", json_object_new_boolean(1));
	json_object_object_add(v, "countries", profile_countries(r,
	    json_object_get_string(json_object_object_get(vals, "country"))));
	lang = json_object_object_get(vals, "language");
	json_object_object_add(v, json_object_get_string(lang) != NULL &&
	    strcmp(json_object_get_string(lang), "id") == 0 ? "lang_is_id" :
	    "lang_is_en", json_object_new_boolean(1));
	json_object_object_add(v, "values", vals);
	if (errs != NULL) {
		profile_errs_tr(r, errs);
		profile_focus(v, errs);
		json_object_object_add(v, "errors", errs);
	}
	if (alert != NULL)
		json_object_object_add(v, "alert", json_object_new_string(
		    req_tr(r, alert)));
	rc = resp_html(r, status, "profile", v);
	json_object_put(v);
	return rc;
}

/* The profile page as profile_page_alert, the banner's words the usual. */
int
profile_page(struct req *r, int status, struct json_object *vals,
    struct json_object *errs)
{
	return profile_page_alert(r, status, vals, errs, NULL);
}

/* GET /profile */
static int
profile_view(struct req *r)
{
	struct json_object	*vals;

	if ((vals = profile_values(r)) == NULL)
		return 503;
	return profile_page(r, 200, vals, NULL);
}

/* ------------------------------------------------------------ saving */

/* Record err for field under errs; returns -1 so callers can chain. */
static int
profile_err(struct json_object *errs, const char *field, const char *err)
{
	json_object_object_add(errs, field, json_object_new_string(err));
	return -1;
}

/*
 * An absent field is checked as an empty one, as the form (which sends
 * them all) would have it: a name, an email and a language are needed,
 * the rest may be empty.
 */
static void
profile_absent(struct req *r, size_t i)
{
	struct field	*f = &r->in[i];

	if (f->raw != NULL || f->err != NULL)
		return;
	f->s = "";
	f->n = 0;
	if (profile_in[i].valid(r, f) == -1)
		f->s = NULL;
}

/*
 * The country national numbers are read in: the form's, else the
 * stored one, copied to cc. Returns 0, or 503 when the database failed.
 */
static int
profile_region(struct req *r, char cc[3])
{
	const struct field	*f = &r->in[PF_COUNTRY];
	const char		*params[1] = { r->cid };
	PGresult		*res;

	if (f->s != NULL && f->n == 2) {
		memcpy(cc, f->s, 3);
		return 0;
	}
	if ((res = db_exec(&r->app->db, &profile_sql[PROFILE_COUNTRY],
	    params)) == NULL)
		return 503;
	snprintf(cc, 3, "%s", PQntuples(res) == 1 ?
	    db_get(res, 0, PC_COUNTRY) : "");
	PQclear(res);
	return 0;
}

/*
 * The mobile and phone numbers in val to E.164 (phone_parse, in the
 * customer's country); a wrong one's reason in errs. Any number is
 * fine here, a landline too. Returns 0, -1 or 503.
 */
static int
profile_phones(struct req *r, const char *val[PF_NDETAILS],
    struct json_object *errs)
{
	static const size_t	 nums[] = { PF_MOBILE, PF_PHONE };
	char			 cc[3], e164[PHONE_E164_MAX + 1];
	enum phone_why		 why;
	size_t			 i, k;
	int			 rc = 0;

	if (*val[PF_MOBILE] == '\0' && *val[PF_PHONE] == '\0')
		return 0;
	if (profile_region(r, cc) != 0)
		return 503;
	for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
		i = nums[k];
		if (*val[i] == '\0' || r->in[i].s == NULL)
			continue;
		if (phone_parse(val[i], strlen(val[i]), cc, 0, e164,
		    &why) == -1)
			rc = profile_err(errs, profile_in[i].name,
			    phone_why_text(why));
		else
			val[i] = req_strndup(r, e164, strlen(e164));
	}
	return rc;
}

/*
 * The cleaned details in val (PROFILE_UPDATE's order); the reason of
 * each wrong one under its name in errs. Returns 0 when all are good,
 * -1, or 503 when the database failed.
 */
static int
profile_collect(struct req *r, const char *val[PF_NDETAILS],
    struct json_object *errs)
{
	const struct field	*f;
	size_t			 i;
	int			 rc = 0, prc;

	for (i = 0; i < PF_NDETAILS; i++) {
		profile_absent(r, i);
		f = &r->in[i];
		if (f->err != NULL)
			rc = profile_err(errs, profile_in[i].name, f->err);
		val[i] = f->s != NULL ? f->s : "";
	}
	if ((prc = profile_phones(r, val, errs)) != 0)
		rc = prc;
	return rc;
}

/*
 * A changed email needs the current password, checked like a sign-in.
 * Returns 0 when the email is unchanged or the password is right, -1
 * (error recorded) when it is absent or wrong, 429 (error recorded,
 * *wait set) past the throttle's limit, 503 when the database failed.
 */
static int
profile_email_guard(struct req *r, const char *email, struct json_object *errs,
    const char **wait)
{
	int	 rc;

	*wait = NULL;
	if (strcasecmp(email, r->user->email) == 0 || *email == '\0')
		return 0;
	rc = password_current(r, &r->in[PF_CURRENT_PASSWORD], wait);
	if (rc == 0 || rc == 503)
		return rc;
	if (rc == 429) {
		profile_err(errs, "current_password", *wait);
		return 429;
	}
	return profile_err(errs, "current_password", N_("Enter your current "
	    "password to change your email address."));
}

/* Store the checked values; a taken email is a field error. */
static int
profile_store(struct req *r, const char *val[PF_NDETAILS],
    struct json_object *errs)
{
	const char	*params[1 + PF_NDETAILS];
	size_t		 i;

	params[0] = r->cid;
	for (i = 0; i < PF_NDETAILS; i++)
		params[i + 1] = val[i];
	if (db_exec_cmd(&r->app->db, &profile_sql[PROFILE_UPDATE], params) ==
	    0)
		return 0;
	if (strcmp(r->app->db.sqlstate, "23505") == 0)
		return profile_err(errs, "email", N_("This email address is "
		    "already used by another account."));
	log_warnx("request %s: profile update: %s", r->id, r->app->db.errmsg);
	return 503;
}

/* The form as submitted, for showing it again after an error. */
static struct json_object *
profile_submitted(struct req *r)
{
	struct json_object	*vals = json_object_new_object();
	const struct field	*f;
	size_t			 i;

	for (i = 0; i < PF_NDETAILS; i++) {
		f = &r->in[i];
		json_object_object_add(vals, profile_in[i].name,
		    json_object_new_string_len(f->raw != NULL ? f->raw : "",
		    (int)f->rawn));
	}
	return vals;
}

/*
 * POST /profile: check everything, then store it at once or not at
 * all. On any error the form comes back (422, or 429 past the
 * password throttle's limit) with the input as typed and a message
 * under each wrong field; nothing is changed.
 */
static int
profile_save(struct req *r)
{
	const struct field	*pw = &r->in[PF_CURRENT_PASSWORD];
	struct json_object	*errs = json_object_new_object();
	const char		*val[PF_NDETAILS], *wait = NULL;
	int			 rc;

	rc = profile_collect(r, val, errs);
	if (rc == 0)
		rc = profile_email_guard(r, val[PF_EMAIL], errs, &wait);
	if (rc == 0)
		rc = profile_store(r, val, errs);
	if (pw->raw != NULL)
		password_wipe((char *)pw->raw, pw->rawn);
	password_wipe(r->body, r->bodysz);	/* it may hold the password */
	if (rc == 0) {
		json_object_put(errs);
		flash_set(r, &profile_flashes[PFL_SAVED]);
		return resp_redirect(r, 303, "/profile");
	}
	if (rc > 0 && rc != 429) {
		json_object_put(errs);
		return rc;
	}
	return profile_page_alert(r, rc == 429 ? 429 : 422,
	    profile_submitted(r), errs, wait);
}

/* ------------------------------------------------------------ time zone */

/* 1 when tz is the customer's stored zone; -1 when the database failed. */
static int
profile_tz_is_current(struct req *r, const char *tz)
{
	const char	*zone;

	if ((zone = profile_tz_stored(r)) == NULL)
		return -1;
	return strcmp(zone, tz) == 0;
}

/* The page again (422) with the zone as typed and why it is wrong. */
static int
profile_tz_again(struct req *r, const struct field *f)
{
	struct json_object	*vals, *errs;

	if ((vals = profile_values(r)) == NULL)
		return 503;
	json_object_object_add(vals, "time_zone", json_object_new_string(
	    f->raw != NULL ? f->raw : ""));
	errs = json_object_new_object();
	profile_err(errs, "time_zone", f->err != NULL ? f->err :
	    profile_tz_wrong);
	return profile_page(r, 422, vals, errs);
}

/*
 * POST /profile/time-zone: an IANA name PostgreSQL knows, from the list
 * the page offers (or the stored one, kept). A bad one shows the page
 * again (422) with the name as typed; nothing is changed.
 */
static int
profile_tz_save(struct req *r)
{
	const struct field	*f = &r->in[TZ_IN_ZONE];
	const char		*params[2] = { r->cid, f->s };
	int			 ok;

	if (tzlist_load(&r->app->db) == -1)
		return 503;
	ok = f->s != NULL;
	if (ok && !tzlist_has(f->s) &&
	    (ok = profile_tz_is_current(r, f->s)) == -1)
		return 503;
	if (!ok)
		return profile_tz_again(r, f);
	if (db_exec_cmd(&r->app->db, &profile_sql[PROFILE_TZ_SET], params) ==
	    -1)
		return 503;
	flash_set(r, &profile_flashes[PFL_SAVED]);
	return resp_redirect(r, 303, "/profile");
}

static const struct route profile_routes[] = {
	{ .method = METHOD_GET, .pattern = "/profile", .handler = profile_view,
	    .name = "profile", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/profile",
	    .handler = profile_save, .name = "profile_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 64 * 1024, .pass_invalid = 1,
	    ROUTE_INPUTS(profile_in) },
	{ .method = METHOD_POST, .pattern = "/profile/time-zone",
	    .handler = profile_tz_save, .name = "profile_tz",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(tz_in) },
};

const struct module profile_module = {
	.name = "profile",
	MODULE_ROUTES(profile_routes),
	MODULE_SQL(profile_sql),
	MODULE_STRINGS(profile_strings),
	MODULE_FLASHES(profile_flashes),
};
