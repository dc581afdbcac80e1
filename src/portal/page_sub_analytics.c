/* page_sub_analytics.c: /contacts/subscriptions/analytics: daily opt-ins, opt-outs and net growth over 7, 30 or 90 days, of all contacts or of one list, as an SVG chart and a table, the totals and the top opt-out sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

/* The chart's box in the SVG's units: the plot inside its margins. */
#define SA_W		720
#define SA_H		260
#define SA_LEFT		56
#define SA_RIGHT	8
#define SA_TOP		12
#define SA_BOTTOM	28
#define SA_PW		(SA_W - SA_LEFT - SA_RIGHT)
#define SA_PH		(SA_H - SA_TOP - SA_BOTTOM)

static int	sa_in_days(struct req *, struct field *);
static int	sa_in_group(struct req *, struct field *);

enum { SA_IN_DAYS, SA_IN_GROUP, SA_IN__MAX };

/* A bad value reaches the handler (pass_invalid): the page says why, 400. */
static const struct input sa_in[SA_IN__MAX] = {
	[SA_IN_DAYS] = { "days", sa_in_days, 0 },
	[SA_IN_GROUP] = { "group", sa_in_group, 0 },
};

static const char sa_err_days[] = N_("The period must be 7, 30 or 90 days.");
static const char sa_err_group[] = N_("Choose one of your lists.");
static const char sa_err_segment[] = N_("Analytics are kept for lists: a "
    "segment's members are found when it is used and have no history. "
    "Choose a list.");
static const char sa_lbl_in[] = N_("Opt-ins");
static const char sa_lbl_out[] = N_("Opt-outs");

/* The column of SA_GET and SA_GROUP: the figures as JSON (sql/0022,
 * sql/0026); the columns of SA_LISTS. */
enum { SAG_ANALYTICS, SAG__MAX };
enum { SAL_ID, SAL_NAME, SAL__MAX };

enum { SA_GET, SA_GROUP, SA_LISTS, SA__MAX };

static const struct stmt sa_sql[SA__MAX] = {
	/* Customer $1's last $2 days in their time zone, from the slots. */
	[SA_GET] = { "sub_analytics.get",
	    "SELECT wa_consent_analytics($1::bigint, $2::integer)::text "
	    "AS analytics", 2, DB_RETRY,
	    DB_COLS(SAG__MAX, [SAG_ANALYTICS] = "analytics") },
	/* List $2 of customer $1 over its last $3 days: NULL when the
	 * customer has no such group, {kind: segment} for a segment. */
	[SA_GROUP] = { "sub_analytics.group",
	    "SELECT wa_group_analytics($1::bigint, $2::bigint, $3::integer)"
	    "::text AS analytics", 3, DB_RETRY,
	    DB_COLS(SAG__MAX, [SAG_ANALYTICS] = "analytics") },
	/* Customer $1's lists (at most 500) for the list switch, by name. */
	[SA_LISTS] = { "sub_analytics.lists",
	    "SELECT id, name FROM contact_groups WHERE customer_id = $1::bigint "
	    "AND kind = 'list' ORDER BY lower(name), id", 1, DB_RETRY,
	    DB_COLS(SAL__MAX, [SAL_ID] = "id", [SAL_NAME] = "name") },
};

static const struct i18n_key sa_strings[] = {
	T_("sa_title", "Subscription analytics"),
	T_("sa_lead", "Opt-ins, opt-outs and net growth per day, counted from "
	    "the consent log in your time zone."),
	T_("sa_link", "Analytics"),
	T_("sa_keywords", "Keywords and replies"),
	T_("sa_period", "Period"),
	T_("sa_days", "days"),
	T_("sa_zone", "Time zone:"),
	T_("sa_opt_ins", "Opt-ins"),
	T_("sa_opt_outs", "Opt-outs"),
	T_("sa_net", "Net growth"),
	T_("sa_from_to", "to"),
	T_("sa_chart", "Opt-ins and opt-outs per day"),
	T_("sa_chart_alt", "Bars above the line are opt-ins, bars below it "
	    "opt-outs; the line is the net growth of each day."),
	T_("sa_table", "The figures per day"),
	T_("sa_col_date", "Date"),
	T_("sa_total", "Total"),
	T_("sa_sources", "Where the opt-outs came from"),
	T_("sa_col_source", "Source"),
	T_("sa_col_count", "Opt-outs"),
	T_("sa_col_share", "Share"),
	T_("sa_no_outs", "No opt-outs in this period."),
	T_("sa_empty", "No subscription changes in this period."),
	T_("sa_empty_next", "Opt-ins and opt-outs appear here as contacts "
	    "write your keywords, are imported with a status or are changed "
	    "in the portal or through the API."),
	T_("sa_of", "Of"),
	T_("sa_all", "All contacts"),
	T_("sa_show", "Show"),
	T_("sa_group_lead", "The opt-ins and opt-outs of its members while "
	    "they are members, and the members who joined and left it."),
	T_("sa_joined", "Joined"),
	T_("sa_left", "Left"),
	T_("sa_group_page", "The list's page"),
};

/* The opt-out sources' words (contact_consents.source). */
static const struct {
	const char	*source;
	const char	*word;
} sa_sources[] = {
	{ "keyword", N_("Keywords (STOP)") },
	{ "import", N_("Imports") },
	{ "api", N_("The API") },
	{ "portal", N_("The portal") },
	{ "double_opt_in", N_("Double opt-in") },
	{ "complaint", N_("Complaints") },
};

/* A list's id; empty: all contacts (the switch's first choice). */
static int
sa_in_group(struct req *r, struct field *f)
{
	if (f->n == 0)
		return 0;
	if (input_id(r, f) == 0)
		return 0;
	f->err = sa_err_group;
	return -1;
}

/* The period: 7, 30 or 90 (days). */
static int
sa_in_days(struct req *r, struct field *f)
{
	(void)r;
	if (strcmp(f->s, "7") == 0 || strcmp(f->s, "30") == 0 ||
	    strcmp(f->s, "90") == 0)
		return 0;
	f->err = sa_err_days;
	return -1;
}

static const char *
sa_source_word(struct req *r, const char *source)
{
	size_t	 i;

	for (i = 0; i < sizeof(sa_sources) / sizeof(sa_sources[0]); i++)
		if (strcmp(source, sa_sources[i].source) == 0)
			return req_tr(r, sa_sources[i].word);
	return source;
}

static int64_t
sa_int(struct json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

static const char *
sa_str(struct json_object *o, const char *key)
{
	const char	*s = json_object_get_string(json_object_object_get(o, key));

	return s != NULL ? s : "";
}

/* A coordinate with one decimal, as the template's text. */
static struct json_object *
sa_num(double v)
{
	char	 s[32];

	snprintf(s, sizeof(s), "%.1f", v);
	return json_object_new_string(s);
}

/* "label: n" for a bar's tooltip: a translated label and a number. */
static struct json_object *
sa_tip(struct req *r, const char *date, const char *label, int64_t n)
{
	char	 s[160];

	snprintf(s, sizeof(s), "%s: %s %lld", date, req_tr(r, label),
	    (long long)n);
	return json_object_new_string(s);
}

/* One bar {x, y, w, h, tip} from the zero line: up (h > 0) or down. */
static struct json_object *
sa_bar(double x, double w, double zero, double h, struct json_object *tip)
{
	struct json_object	*b = json_object_new_object();

	if (h > -1 && h < 1)		/* a day with one stays visible */
		h = h < 0 ? -1 : 1;
	json_object_object_add(b, "x", sa_num(x));
	json_object_object_add(b, "y", sa_num(h > 0 ? zero - h : zero));
	json_object_object_add(b, "w", sa_num(w));
	json_object_object_add(b, "h", sa_num(h > 0 ? h : -h));
	json_object_object_add(b, "tip", tip);
	return b;
}

/* The largest opt-ins and opt-outs of one day. */
static void
sa_max(struct json_object *days, int64_t *in, int64_t *out)
{
	size_t	 i;
	int64_t	 a, b;

	*in = *out = 0;
	for (i = 0; i < json_object_array_length(days); i++) {
		a = sa_int(json_object_array_get_idx(days, i), "opt_ins");
		b = sa_int(json_object_array_get_idx(days, i), "opt_outs");
		*in = a > *in ? a : *in;
		*out = b > *out ? b : *out;
	}
}

/* The axis' figures {max_in, max_out, zero_y, bottom_y, mid_x...}. */
static void
sa_axes(struct json_object *c, int64_t in, int64_t out, double zero)
{
	json_object_object_add(c, "max_in", json_object_new_int64(in));
	json_object_object_add(c, "max_out", json_object_new_int64(out));
	json_object_object_add(c, "zero", sa_num(zero));
	json_object_object_add(c, "zero_text", sa_num(zero + 4));
	json_object_object_add(c, "top_text", sa_num(SA_TOP + 8));
	json_object_object_add(c, "bottom", sa_num(SA_TOP + SA_PH));
	json_object_object_add(c, "date_y", sa_num(SA_H - 8));
	json_object_object_add(c, "left", json_object_new_int(SA_LEFT));
	json_object_object_add(c, "label_x", json_object_new_int(SA_LEFT - 6));
	json_object_object_add(c, "right", json_object_new_int(SA_W - SA_RIGHT));
}

/*
 * The chart of days[] {date, opt_ins, opt_outs, net}: opt-ins as bars
 * up from the zero line, opt-outs down, each scaled so the largest of
 * either fills its side; the net as a line of points. Only numbers,
 * dates and translated labels: the template escapes them all.
 */
static struct json_object *
sa_chart(struct req *r, struct json_object *days)
{
	struct json_object	*c = json_object_new_object();
	struct json_object	*ins = json_object_new_array();
	struct json_object	*outs = json_object_new_array(), *d;
	struct buf		 line = BUF_INIT;
	size_t			 i, n = json_object_array_length(days);
	int64_t			 mi, mo;
	double			 k, zero, step, x;

	sa_max(days, &mi, &mo);
	k = mi + mo > 0 ? (double)SA_PH / (double)(mi + mo) : 0;
	zero = SA_TOP + mi * k;
	step = n > 0 ? (double)SA_PW / (double)n : SA_PW;
	for (i = 0; i < n; i++) {
		d = json_object_array_get_idx(days, i);
		x = SA_LEFT + i * step;
		if (sa_int(d, "opt_ins") > 0)
			json_object_array_add(ins, sa_bar(x + step * 0.15,
			    step * 0.7, zero, sa_int(d, "opt_ins") * k,
			    sa_tip(r, sa_str(d, "date"), sa_lbl_in,
			    sa_int(d, "opt_ins"))));
		if (sa_int(d, "opt_outs") > 0)
			json_object_array_add(outs, sa_bar(x + step * 0.15,
			    step * 0.7, zero, -sa_int(d, "opt_outs") * k,
			    sa_tip(r, sa_str(d, "date"), sa_lbl_out,
			    sa_int(d, "opt_outs"))));
		buf_printf(&line, "%s%.1f,%.1f", i > 0 ? " " : "",
		    x + step / 2, zero - sa_int(d, "net") * k);
	}
	json_object_object_add(c, "ins", ins);
	json_object_object_add(c, "outs", outs);
	json_object_object_add(c, "line", json_object_new_string(
	    buf_str(&line)));
	buf_free(&line);
	sa_axes(c, mi, mo, zero);
	return c;
}

/* The opt-out sources [{word, count, share}] with their share in % of
 * all the sources' opt-outs. */
static struct json_object *
sa_source_rows(struct req *r, struct json_object *src)
{
	struct json_object	*rows = json_object_new_array(), *s, *o;
	char			 pct[32];
	size_t			 i;
	int64_t			 outs = 0;

	for (i = 0; i < json_object_array_length(src); i++)
		outs += sa_int(json_object_array_get_idx(src, i), "count");
	for (i = 0; i < json_object_array_length(src); i++) {
		s = json_object_array_get_idx(src, i);
		o = json_object_new_object();
		snprintf(pct, sizeof(pct), "%.1f %%", outs > 0 ?
		    100.0 * sa_int(s, "count") / outs : 0.0);
		if (req_lang(r) == LANG_ID && strchr(pct, '.') != NULL)
			*strchr(pct, '.') = ',';
		json_object_object_add(o, "source", json_object_new_string(
		    sa_str(s, "source")));
		json_object_object_add(o, "word", json_object_new_string(
		    sa_source_word(r, sa_str(s, "source"))));
		json_object_object_add(o, "count",
		    json_object_new_int64(sa_int(s, "count")));
		json_object_object_add(o, "share", json_object_new_string(pct));
		json_object_array_add(rows, o);
	}
	return rows;
}

/* The period switch [{days, current}] for 7, 30 and 90. */
static struct json_object *
sa_periods(int days)
{
	static const int	 p[] = { 7, 30, 90 };
	struct json_object	*a = json_object_new_array(), *o;
	size_t			 i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "days", json_object_new_int(p[i]));
		json_object_object_add(o, "current",
		    json_object_new_boolean(p[i] == days));
		json_object_array_add(a, o);
	}
	return a;
}

/* The figures of the answer a (owned) into the view v; a list's joins
 * and leaves are changes too, though they draw no bar. */
static void
sa_view(struct req *r, struct json_object *v, struct json_object *a)
{
	struct json_object	*tot = json_object_object_get(a, "totals");
	struct json_object	*days = json_object_object_get(a, "days");
	int64_t			 ins = sa_int(tot, "opt_ins");
	int64_t			 outs = sa_int(tot, "opt_outs");
	int64_t			 moves = sa_int(tot, "joined") +
				    sa_int(tot, "left");

	json_object_object_add(v, "tz", json_object_new_string(
	    sa_str(a, "time_zone")));
	json_object_object_add(v, "from", json_object_new_string(
	    sa_str(a, "from")));
	json_object_object_add(v, "to", json_object_new_string(
	    sa_str(a, "to")));
	json_object_object_add(v, "totals", json_object_get(tot));
	json_object_object_add(v, "days", json_object_get(days));
	if (ins + outs + moves > 0) {
		json_object_object_add(v, "has_changes",
		    json_object_new_boolean(1));
		if (ins + outs > 0)
			json_object_object_add(v, "chart", sa_chart(r, days));
		json_object_object_add(v, "sources", sa_source_rows(r,
		    json_object_object_get(a, "opt_out_sources")));
		json_object_object_add(v, "has_outs",
		    json_object_new_boolean(outs > 0));
	}
	json_object_put(a);
}

/* The customer's lists [{id, name, selected}] for the switch; 0 or 503. */
static int
sa_lists(struct req *r, const char *group, struct json_object *v)
{
	const char		*params[1] = { r->cid };
	struct json_object	*a = json_object_new_array(), *o;
	PGresult		*res;
	int			 i;

	if ((res = db_exec(&r->app->db, &sa_sql[SA_LISTS], params)) == NULL) {
		json_object_put(a);
		return 503;
	}
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(
		    db_get(res, i, SAL_ID)));
		json_object_object_add(o, "name", json_object_new_string(
		    db_get(res, i, SAL_NAME)));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    group != NULL && strcmp(group, db_get(res, i, SAL_ID)) == 0));
		json_object_array_add(a, o);
	}
	PQclear(res);
	json_object_object_add(v, "lists", a);
	return 0;
}

/* A list's figures: 0, 404 (no such group of the customer), 400 (a
 * segment: the reason in v), 503 or 500. */
static int
sa_group_view(struct req *r, struct json_object *v, struct json_object *a)
{
	json_object_object_add(v, "group", json_object_get(
	    json_object_object_get(a, "group")));
	if (strcmp(sa_str(a, "kind"), "segment") == 0) {
		json_object_object_add(v, "error", json_object_new_string(
		    req_tr(r, sa_err_segment)));
		json_object_put(a);
		return 400;
	}
	sa_view(r, v, a);
	return 0;
}

/* The figures of the last days of all contacts or of list group (NULL:
 * all) for the view; 0, or an HTTP status as sa_group_view. */
static int
sa_load(struct req *r, const char *days, const char *group,
    struct json_object *v)
{
	const char		*all[2] = { r->cid, days };
	const char		*one[3] = { r->cid, group, days };
	struct json_object	*a;
	PGresult		*res;

	res = group == NULL ? db_exec(&r->app->db, &sa_sql[SA_GET], all) :
	    db_exec(&r->app->db, &sa_sql[SA_GROUP], one);
	if (res == NULL)
		return 503;
	if (PQntuples(res) == 1 && db_isnull(res, 0, SAG_ANALYTICS)) {
		PQclear(res);
		return 404;
	}
	a = PQntuples(res) == 1 ?
	    json_tokener_parse(db_get(res, 0, SAG_ANALYTICS)) : NULL;
	PQclear(res);
	if (a == NULL)
		return 500;
	if (group != NULL)
		return sa_group_view(r, v, a);
	sa_view(r, v, a);
	return 0;
}

/* The first bad input's reason into v; 0 when both are good. */
static int
sa_bad(struct req *r, struct json_object *v)
{
	const char	*err = r->in[SA_IN_DAYS].err != NULL ?
			    r->in[SA_IN_DAYS].err : r->in[SA_IN_GROUP].err;

	if (err == NULL)
		return 0;
	json_object_object_add(v, "error", json_object_new_string(
	    req_tr(r, err)));
	return -1;
}

/*
 * GET /contacts/subscriptions/analytics?days=7|30|90 (30 when absent)
 * &group=ID (a list; empty or absent: all contacts). A bad value or a
 * segment: the page with the reason and the switches, 400; another
 * customer's group or none: 404.
 */
static int
sa_show(struct req *r)
{
	struct field		*g = &r->in[SA_IN_GROUP];
	const char		*days = r->in[SA_IN_DAYS].s != NULL ?
				    r->in[SA_IN_DAYS].s : "30";
	const char		*group = g->s != NULL && g->n > 0 ? g->s : NULL;
	struct json_object	*v = json_object_new_object();
	int			 rc, status = 200;

	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Subscription analytics")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	if (sa_bad(r, v) == -1) {
		status = 400;
		days = r->in[SA_IN_DAYS].err != NULL ? "0" : days;
		rc = 0;
	} else if ((rc = sa_load(r, days, group, v)) == 400) {
		status = 400;
		rc = 0;
	}
	json_object_object_add(v, "period", json_object_new_int(atoi(days)));
	json_object_object_add(v, "periods", sa_periods(atoi(days)));
	if (rc == 0)
		rc = sa_lists(r, group, v);
	if (rc == 0)
		rc = resp_html(r, status, "sub_analytics", v);
	json_object_put(v);
	return rc;
}

static const struct route sa_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/subscriptions/analytics",
	    .handler = sa_show, .name = "sub_analytics", .auth = AUTH_SESSION,
	    .pass_invalid = 1, ROUTE_INPUTS(sa_in) },
};

const struct module sub_analytics_module = {
	.name = "sub_analytics",
	MODULE_ROUTES(sa_routes),
	MODULE_SQL(sa_sql),
	MODULE_STRINGS(sa_strings),
};
