/* page_bcast_brakes.c: the customer's broadcast brakes: the failure, opt-out and complaint rates and the rate-limit answers in a row at which a sending broadcast pauses itself. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/nls.h"
#include "web/flash.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

static int	brk_in_pct(struct req *, struct field *);
static int	brk_in_window(struct req *, struct field *);
static int	brk_in_count(struct req *, struct field *);

/* The form's inputs, in the order of BRK_SAVE's $2.. and BRK_GET's columns. */
enum {
	BRK_IN_FAIL,
	BRK_IN_WINDOW,
	BRK_IN_OPTOUT,
	BRK_IN_COMPLAINT,
	BRK_IN_LIMITED,
	BRK_IN__MAX
};

static const struct input brk_in[BRK_IN__MAX] = {
	[BRK_IN_FAIL] = { "fail_pct", brk_in_pct, INPUT_REQUIRED },
	[BRK_IN_WINDOW] = { "fail_window", brk_in_window, INPUT_REQUIRED },
	[BRK_IN_OPTOUT] = { "optout_pct", brk_in_pct, INPUT_REQUIRED },
	[BRK_IN_COMPLAINT] = { "complaint_pct", brk_in_pct, INPUT_REQUIRED },
	[BRK_IN_LIMITED] = { "rate_limited", brk_in_count, INPUT_REQUIRED },
};

static const char brk_err_pct[] = N_("A percentage from 0 to 100, with "
    "at most two decimals (0 turns this brake off).");
static const char brk_err_window[] = N_("A whole number of sends from 20 "
    "to 1000.");
static const char brk_err_count[] = N_("A whole number from 0 to 1000 "
    "(0 turns this brake off).");

enum { BRK_GET, BRK_SAVE, BRK__MAX };

static const struct stmt brk_sql[BRK__MAX] = {
	/* Customer $1's brakes, the defaults without a row. */
	[BRK_GET] = { "bcast_brakes.get",
	    "SELECT trim_scale(fail_pct)::text AS fail_pct, fail_window, "
	    "trim_scale(optout_pct)::text AS optout_pct, "
	    "trim_scale(complaint_pct)::text AS complaint_pct, rate_limited "
	    "FROM wa_broadcast_brakes($1::bigint)", 1, DB_RETRY,
	    DB_COLS(BRK_IN__MAX, [BRK_IN_FAIL] = "fail_pct",
	    [BRK_IN_WINDOW] = "fail_window", [BRK_IN_OPTOUT] = "optout_pct",
	    [BRK_IN_COMPLAINT] = "complaint_pct",
	    [BRK_IN_LIMITED] = "rate_limited") },
	/* Store customer $1's brakes $2..$6 (checked). */
	[BRK_SAVE] = { "bcast_brakes.save",
	    "INSERT INTO broadcast_brakes AS b (customer_id, fail_pct, "
	    "fail_window, optout_pct, complaint_pct, rate_limited) VALUES "
	    "($1::bigint, $2::numeric, $3::integer, $4::numeric, $5::numeric, "
	    "$6::integer) ON CONFLICT (customer_id) DO UPDATE SET "
	    "fail_pct = EXCLUDED.fail_pct, fail_window = EXCLUDED.fail_window, "
	    "optout_pct = EXCLUDED.optout_pct, "
	    "complaint_pct = EXCLUDED.complaint_pct, "
	    "rate_limited = EXCLUDED.rate_limited", 6, DB_ONCE, NULL },
};

enum { BRKF_SAVED, BRKF__MAX };

static const struct flash brk_flashes[BRKF__MAX] = {
	[BRKF_SAVED] = { "brakes_saved", N_("The broadcast brakes are "
	    "saved."), "success" },
};

static const struct i18n_key brk_strings[] = {
	T_("bk_title", "Broadcast brakes"),
	T_("bk_lead", "A sending broadcast pauses itself, saying why, when one "
	    "of these limits is reached; you resume it once the cause is "
	    "fixed. A number that disconnects pauses the broadcasts sending "
	    "from it."),
	T_("bk_fail", "Failed sends (%)"),
	T_("bk_fail_hint", "Share of the last sends that failed; judged from "
	    "20 sends on."),
	T_("bk_window", "Over the last sends"),
	T_("bk_optout", "Opt-outs (%)"),
	T_("bk_optout_hint", "Recipients who answered with an opt-out word, "
	    "of those sent to; judged from 100 sent on."),
	T_("bk_complaint", "Complaints (%)"),
	T_("bk_complaint_hint", "Kept for the complaints' reports, which are "
	    "not counted yet."),
	T_("bk_limited", "Rate-limit answers in a row"),
	T_("bk_limited_hint", "The gateway answering \"too many\" (429) to "
	    "this many sends in a row, with no send between."),
	T_("bk_save", "Save"),
	T_("bk_link", "Broadcast brakes"),
};

/* A percentage 0 to 100 with at most two decimals ("12.5", "0,3"): f->i in hundredths. */
static int
brk_in_pct(struct req *r, struct field *f)
{
	const char	*s = f->s;
	long		 whole = 0, frac = 0;
	int		 digits = 0, d = 0;

	(void)r;
	if (strlen(f->s) != f->n)
		digits = -9;
	for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
		whole = whole * 10 + (*s - '0');
	if (digits > 0 && (*s == '.' || *s == ',')) {
		for (s++; *s >= '0' && *s <= '9' && d < 2; s++, d++)
			frac = frac * 10 + (*s - '0');
		if (d == 0)
			digits = 0;
		for (; d < 2; d++)
			frac *= 10;
	}
	f->i = whole * 100 + frac;
	if (digits <= 0 || *s != '\0' || f->i > 10000) {
		f->err = brk_err_pct;
		return -1;
	}
	return 0;
}

/* A whole number lo..hi of at most 5 digits into f->i: 0, else -1 with err. */
static int
brk_int(struct field *f, long lo, long hi, const char *err)
{
	const char	*s = f->s;
	int		 digits = 0;

	f->i = 0;
	for (; *s >= '0' && *s <= '9' && digits < 5; s++, digits++)
		f->i = f->i * 10 + (*s - '0');
	if (digits == 0 || *s != '\0' || (size_t)(s - f->s) != f->n ||
	    f->i < lo || f->i > hi) {
		f->err = err;
		return -1;
	}
	return 0;
}

static int
brk_in_window(struct req *r, struct field *f)
{
	(void)r;
	return brk_int(f, 20, 1000, brk_err_window);
}

static int
brk_in_count(struct req *r, struct field *f)
{
	(void)r;
	return brk_int(f, 0, 1000, brk_err_count);
}

/* The form's values: as stored (res) or, after a post, as typed. */
static struct json_object *
brk_values(struct req *r, PGresult *res, int posted)
{
	struct json_object	*vals = json_object_new_object();
	int			 i;

	for (i = 0; i < BRK_IN__MAX; i++)
		json_object_object_add(vals, brk_in[i].name, !posted ?
		    json_object_new_string(db_get(res, 0, i)) :
		    json_object_new_string_len(r->in[i].raw != NULL ?
		    r->in[i].raw : "", (int)r->in[i].rawn));
	return vals;
}

/* The errors by input name, translated, with the first one's focus. */
static struct json_object *
brk_errors(struct req *r)
{
	struct json_object	*errs = json_object_new_object();
	int			 i, focus = 0;

	for (i = 0; i < BRK_IN__MAX; i++) {
		if (r->in[i].err == NULL)
			continue;
		json_object_object_add(errs, brk_in[i].name,
		    json_object_new_string(req_tr(r, r->in[i].err)));
		if (!focus++)
			json_object_object_add(errs, "focus",
			    json_object_new_string(brk_in[i].name));
	}
	return errs;
}

/* The page: the brakes (stored, or as posted with their errors). */
static int
brk_render(struct req *r, int status, int posted)
{
	struct json_object	*v;
	char			 cid[24];
	const char		*p[1] = { cid };
	PGresult		*res;
	int			 rc;

	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	if ((res = db_exec(&r->app->db, &brk_sql[BRK_GET], p)) == NULL)
		return 503;
	v = json_object_new_object();
	json_object_object_add(v, "values", brk_values(r, res, posted));
	PQclear(res);
	json_object_object_add(v, "errors", posted ? brk_errors(r) :
	    json_object_new_object());
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Broadcast brakes")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	rc = resp_html(r, status, "bcast_brakes", v);
	json_object_put(v);
	return rc;
}

/* GET /broadcasts/brakes */
static int
brk_show(struct req *r)
{
	return brk_render(r, 200, 0);
}

/* A percentage in hundredths as numeric text ("12.50"). */
static void
brk_pct_text(char *buf, size_t len, long long hundredths)
{
	snprintf(buf, len, "%lld.%02lld", hundredths / 100, hundredths % 100);
}

/* POST /broadcasts/brakes: stored and redirected, or 422 with every error. */
static int
brk_post(struct req *r)
{
	char		 cid[24], v[BRK_IN__MAX][24];
	const char	*params[1 + BRK_IN__MAX] = { cid };
	int		 i;

	for (i = 0; i < BRK_IN__MAX; i++)
		if (r->in[i].err != NULL)
			return brk_render(r, 422, 1);
	snprintf(cid, sizeof(cid), "%lld", (long long)r->customer_id);
	for (i = 0; i < BRK_IN__MAX; i++) {
		if (i == BRK_IN_WINDOW || i == BRK_IN_LIMITED)
			snprintf(v[i], sizeof(v[i]), "%lld",
			    (long long)r->in[i].i);
		else
			brk_pct_text(v[i], sizeof(v[i]), r->in[i].i);
		params[i + 1] = v[i];
	}
	if (db_exec_cmd(&r->app->db, &brk_sql[BRK_SAVE], params) == -1)
		return 503;
	flash_set(r, &brk_flashes[BRKF_SAVED]);
	return resp_redirect(r, 303, "/broadcasts/brakes");
}

static const struct route brk_routes[] = {
	{ .method = METHOD_GET, .pattern = "/broadcasts/brakes",
	    .handler = brk_show, .name = "bcast_brakes",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/broadcasts/brakes",
	    .handler = brk_post, .name = "bcast_brakes_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4 * 1024, .pass_invalid = 1, ROUTE_INPUTS(brk_in) },
};

const struct module bcast_brakes_module = {
	.name = "bcast_brakes",
	MODULE_ROUTES(brk_routes),
	MODULE_SQL(brk_sql),
	MODULE_STRINGS(brk_strings),
	MODULE_FLASHES(brk_flashes),
};
