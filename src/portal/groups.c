/* groups.c: what the contact group pages share: the group form's view and reasons, the link to the members on the Contacts page, the growth chart's bars (the template draws them as SVG). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/db.h"
#include "core/nls.h"
#include "web/html.h"
#include "web/req.h"
#include "groups.h"

const char gr_err_dup[] = N_("You have a group of this name already.");
const char gr_err_max[] =
    N_("You have 500 groups, the most there can be: delete some first.");
const char gr_err_name[] =
    N_("A group's name is one line of 1 to 100 characters.");
const char gr_err_desc[] =
    N_("A description is text of at most 500 characters.");
const char gr_err_kind[] = N_("Choose list or segment.");
const char gr_err_filter[] =
    N_("These filters are not valid: open the Contacts page, filter, and "
    "save the filters from there.");
const char gr_err_no_filter[] =
    N_("A segment needs at least one filter.");

/* The chart's box, in SVG user units (group.mustache's viewBox). */
#define GR_CHART_W	600
#define GR_CHART_H	120
#define GR_CHART_PAD	4

static void
gr_reason(struct req *r, struct json_object *v, const char *key,
    const char *err)
{
	if (err != NULL)
		json_object_object_add(v, key, json_object_new_string(
		    req_tr(r, err)));
}

void
gr_form_view(struct req *r, const struct gr_form *g, struct json_object *v)
{
	json_object_object_add(v, "name", json_object_new_string(g->name));
	json_object_object_add(v, "description", json_object_new_string(
	    g->desc));
	json_object_object_add(v, "filter", json_object_new_string(g->filter));
	json_object_object_add(v, "confirm", json_object_new_boolean(
	    g->confirm));
	json_object_object_add(v, strcmp(g->kind, "segment") == 0 ?
	    "kind_segment" : "kind_list", json_object_new_boolean(1));
	gr_reason(r, v, "name_error", g->name_err);
	gr_reason(r, v, "desc_error", g->desc_err);
	gr_reason(r, v, "kind_error", g->kind_err);
	gr_reason(r, v, "filter_error", g->filter_err);
}

void
gr_members_url(const char *id, const char *kind, const char *filter,
    struct json_object *v)
{
	struct buf	 b = BUF_INIT;

	if (strcmp(kind, "list") == 0)
		buf_printf(&b, "/contacts?group=%s", id);
	else
		buf_printf(&b, "/contacts?%s", filter);
	json_object_object_add(v, "members_url", json_object_new_string(
	    buf_str(&b)));
	buf_free(&b);
}

/* The largest value of column col, at least 1. */
static long long
gr_chart_max(PGresult *res, int col)
{
	long long	 max = 1, x;
	int		 i;

	for (i = 0; i < PQntuples(res); i++)
		if ((x = db_getll(res, i, col)) > max)
			max = x;
	return max;
}

/* A number with one decimal, as the template's string. */
static void
gr_num(struct json_object *o, const char *key, double x)
{
	char	 v[32];

	snprintf(v, sizeof(v), "%.1f", x);
	json_object_object_add(o, key, json_object_new_string(v));
}

struct json_object *
gr_chart(PGresult *res, int col)
{
	struct json_object	*bars = json_object_new_array(), *o;
	int			 i, n = PQntuples(res);
	long long		 max = gr_chart_max(res, col), x;
	double			 bw = n > 0 ? (double)GR_CHART_W / n :
				    GR_CHART_W, h;

	for (i = 0; i < n; i++) {
		x = db_getll(res, i, col);
		h = (double)(GR_CHART_H - GR_CHART_PAD) * (double)(x < 0 ? 0 :
		    x) / (double)max;
		o = json_object_new_object();
		gr_num(o, "x", i * bw + 1);
		gr_num(o, "y", GR_CHART_H - h);
		gr_num(o, "w", bw > 2 ? bw - 2 : bw);
		gr_num(o, "h", h);
		json_object_array_add(bars, o);
	}
	return bars;
}
