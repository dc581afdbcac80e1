/* page_instance_limits.c: one number's sending limits: its daily cap and the warm-up of a new number (sql/0033), with what it sent in its day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "core/valid.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

#define IL_CAP_MAX	100000	/* instances.daily_cap's CHECK */

static int	il_in_cap(struct req *, struct field *);

enum { IL_IN_CAP, IL_IN_WARMUP, IL_IN__MAX };

static const struct input il_in[IL_IN__MAX] = {
	[IL_IN_CAP] = { "daily_cap", il_in_cap, INPUT_REQUIRED },
	[IL_IN_WARMUP] = { "warmup", input_trimmed, 0 },
};

enum { ILG_ID, ILG_NAME, ILG_CAP, ILG_WARMUP, ILG_SINCE, ILG_TODAY, ILG_SENT,
    ILG__MAX };
enum { ILS_ID, ILS__MAX };

enum {
	IL_GET,
	IL_SAVE,
	IL__MAX
};

static const struct stmt il_sql[IL__MAX] = {
	/*
	 * Instance $1 of customer $2: its cap, its warm-up (since, in the
	 * customer's zone), the most it may send in its day now, and what
	 * it sent in the day window still open (0 once it has ended).
	 */
	[IL_GET] = { "instance_limits.get",
	    "SELECT i.id, i.name, i.daily_cap, i.warmup_since IS NOT NULL "
	    "AS warmup, coalesce(to_char(i.warmup_since AT TIME ZONE "
	    "u.time_zone, 'YYYY-MM-DD'), '') AS since, "
	    "wa_instance_day_limit(i.daily_cap, i.warmup_since) AS today, "
	    "CASE WHEN i.day_started_at <= wa_now() - interval '1 day' "
	    "THEN 0 ELSE i.day_sent END AS sent FROM instances i "
	    "JOIN users u ON u.id = i.customer_id "
	    "WHERE i.id = $1::bigint AND i.customer_id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(ILG__MAX, [ILG_ID] = "id", [ILG_NAME] = "name",
	    [ILG_CAP] = "daily_cap", [ILG_WARMUP] = "warmup",
	    [ILG_SINCE] = "since", [ILG_TODAY] = "today",
	    [ILG_SENT] = "sent") },
	/* Cap $3 and warm-up $4 of instance $1 of customer $2; a warm-up
	 * already on keeps its first day. */
	[IL_SAVE] = { "instance_limits.save",
	    "UPDATE instances SET daily_cap = $3::int, warmup_since = CASE "
	    "WHEN $4::boolean THEN coalesce(warmup_since, wa_now()) END "
	    "WHERE id = $1::bigint AND customer_id = $2::bigint RETURNING id",
	    4, DB_ONCE, DB_COLS(ILS__MAX, [ILS_ID] = "id") },
};

enum { ILF_SAVED, ILF__MAX };

static const struct flash il_flashes[ILF__MAX] = {
	[ILF_SAVED] = { "limits_saved", N_("The sending limits are saved."),
	    "success" },
};

static const char il_cap_err[] = N_("Enter a whole number from 0 (no "
    "daily limit) to 100000.");

static const struct i18n_key il_strings[] = {
	T_("il_title", "Sending limits"),
	T_("il_lead",
	    "WhatsApp bans numbers that send too much too soon. These limits "
	    "hold this number's messages back; what waits is sent later, "
	    "nothing is lost. Replies to STOP, START and HELP are never held."),
	T_("il_cap", "Most messages a day"),
	T_("il_cap_hint",
	    "Counted over 24 hours from the first message of the day. 0: no "
	    "daily limit (the hourly limit still applies)."),
	T_("il_warmup", "Warm up this number"),
	T_("il_warmup_hint",
	    "For a new number: 20 messages on its first day, then twice as "
	    "many each day (40, 80, 160...) until the daily limit. Turning it "
	    "off and on starts again from day one."),
	T_("il_since", "Warming up since"),
	T_("il_today", "Most it may send in its day now"),
	T_("il_sent", "Sent in its day"),
	T_("il_no_limit", "no limit"),
	T_("il_link", "Sending limits"),
	T_("il_back", "Back to this number"),
};

/* A daily cap: digits only, 0 to IL_CAP_MAX. */
static int
il_in_cap(struct req *r, struct field *f)
{
	const char	*s = f->s;
	size_t		 n = f->n;

	(void)r;
	text_trim(&s, &n);
	if (n == 0 || n > 6 || strspn(s, "0123456789") != n ||
	    (f->i = strtoll(s, NULL, 10)) > IL_CAP_MAX) {
		f->err = il_cap_err;
		return -1;
	}
	return 0;
}

/* The page: the number's figures and the form (values as sent on 422). */
static int
il_render(struct req *r, int status, PGresult *res)
{
	struct json_object	*v = json_object_new_object();
	const struct field	*cap = &r->in[IL_IN_CAP];
	int			 rc, warmup = db_getb(res, 0, ILG_WARMUP);

	json_object_object_add(v, "title", json_object_new_string(
	    db_get(res, 0, ILG_NAME)));
	json_object_object_add(v, "nav_whatsapp", json_object_new_boolean(1));
	json_object_object_add(v, "id", json_object_new_string(
	    db_get(res, 0, ILG_ID)));
	json_object_object_add(v, "name", json_object_new_string(
	    db_get(res, 0, ILG_NAME)));
	json_object_object_add(v, "since", json_object_new_string(
	    db_get(res, 0, ILG_SINCE)));
	json_object_object_add(v, "today", json_object_new_string(
	    db_get(res, 0, ILG_TODAY)));
	json_object_object_add(v, "no_limit", json_object_new_boolean(
	    strcmp(db_get(res, 0, ILG_TODAY), "0") == 0));
	json_object_object_add(v, "sent", json_object_new_string(
	    db_get(res, 0, ILG_SENT)));
	if (status == 422) {
		json_object_object_add(v, "daily_cap", json_object_new_string(
		    cap->raw != NULL ? cap->raw : ""));
		json_object_object_add(v, "cap_error", json_object_new_string(
		    req_tr(r, cap->err != NULL ? cap->err : il_cap_err)));
		warmup = r->in[IL_IN_WARMUP].s != NULL &&
		    strcmp(r->in[IL_IN_WARMUP].s, "1") == 0;
	} else
		json_object_object_add(v, "daily_cap", json_object_new_string(
		    db_get(res, 0, ILG_CAP)));
	json_object_object_add(v, "warmup", json_object_new_boolean(warmup));
	rc = resp_html(r, status, "instance_limits", v);
	json_object_put(v);
	return rc;
}

/* GET /whatsapp/instances/{id}/limits: only the customer's own. */
static int
il_show(struct req *r)
{
	PGresult	*res;
	int		 status = 0, rc;

	if ((res = req_owned(r, &il_sql[IL_GET], &status)) == NULL)
		return status;
	rc = il_render(r, 200, res);
	PQclear(res);
	return rc;
}

/* POST /whatsapp/instances/{id}/limits: a bad cap changes nothing (the
 * page again, 422); a good one is saved by the UPDATE, which is also the
 * ownership check (404). */
static int
il_save(struct req *r)
{
	const struct field	*w = &r->in[IL_IN_WARMUP];
	const char		*params[4];
	char			 cid[24], cap[24], loc[64];
	PGresult		*res;
	int			 status = 0, rc;

	if (r->in[IL_IN_CAP].s == NULL) {
		if ((res = req_owned(r, &il_sql[IL_GET], &status)) == NULL)
			return status;
		rc = il_render(r, 422, res);
		PQclear(res);
		return rc;
	}
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	snprintf(cap, sizeof(cap), "%lld", (long long)r->in[IL_IN_CAP].i);
	params[0] = r->args[0];
	params[1] = cid;
	params[2] = cap;
	params[3] = w->s != NULL && strcmp(w->s, "1") == 0 ? "true" : "false";
	if ((res = db_exec(&r->app->db, &il_sql[IL_SAVE], params)) == NULL)
		return 503;
	rc = PQntuples(res);
	PQclear(res);
	if (rc != 1)
		return 404;
	flash_set(r, &il_flashes[ILF_SAVED]);
	snprintf(loc, sizeof(loc), "/whatsapp/instances/%s/limits", r->args[0]);
	return resp_redirect(r, 303, loc);
}

/* Before instance_action, whose {slug} matches these paths too. */
static const struct route il_routes[] = {
	{ .method = METHOD_GET, .pattern = "/whatsapp/instances/{int}/limits",
	    .handler = il_show, .name = "instance_limits",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/instances/{int}/limits",
	    .handler = il_save, .name = "instance_limits_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, ROUTE_INPUTS(il_in) },
};

const struct module instance_limits_module = {
	.name = "instance_limits",
	MODULE_ROUTES(il_routes),
	MODULE_SQL(il_sql),
	MODULE_STRINGS(il_strings),
	MODULE_FLASHES(il_flashes),
};
