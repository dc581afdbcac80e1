/* page_dashboard.c: the signed-in customer's dashboard: live figures, quick actions, package and dealer cards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db_stmt.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"

#define DASH_EXPIRING_DAYS	14	/* "expiring soon" from here down */

/* Add column c of row 0 under key as a string. */
static void
dash_str(struct json_object *o, const char *key, PGresult *res, int c)
{
	json_object_object_add(o, key,
	    json_object_new_string(PQgetvalue(res, 0, c)));
}

/* The package card's model, or NULL when there is no active package. */
static struct json_object *
dash_package(PGresult *res)
{
	static const char *const cols[] = { "name", "max_instances",
	    "max_contacts", "max_messages_month", "max_api_keys", "api_rpm",
	    "price_text", "expires_at", "expires_on", "days_left" };
	struct json_object	*p;
	int			 c, days, expired;

	if (PQntuples(res) != 1)
		return NULL;
	p = json_object_new_object();
	for (c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++)
		dash_str(p, cols[c], res, c);
	days = atoi(PQgetvalue(res, 0, 9));
	expired = strcmp(PQgetvalue(res, 0, 10), "t") == 0;
	json_object_object_add(p, "expired", json_object_new_boolean(expired));
	json_object_object_add(p, "expiring", json_object_new_boolean(!expired
	    && days <= DASH_EXPIRING_DAYS));
	json_object_object_add(p, "ok", json_object_new_boolean(!expired &&
	    days > DASH_EXPIRING_DAYS));
	return p;
}

/* The dealer card's model, or NULL. */
static struct json_object *
dash_dealer(PGresult *res)
{
	static const char *const cols[] = { "name", "contact_person", "email",
	    "phone", "whatsapp", "address" };
	struct json_object	*d;
	int			 c;

	if (PQntuples(res) != 1)
		return NULL;
	d = json_object_new_object();
	for (c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++)
		dash_str(d, cols[c], res, c);
	return d;
}

/*
 * The figures card's model from LEGACY(STMT_MSG_DASH): instances connected and
 * all, this month's quota places taken and the limit ("" without a
 * package), queued now, scheduled, received today, sent this month,
 * and the zone "today" and "this month" are counted in.
 */
static struct json_object *
dash_figures(PGresult *res)
{
	static const char *const cols[] = { "connected", "instances",
	    "month_used", "month_limit", "queued", "scheduled",
	    "received_today", "sent_month", "tz" };
	struct json_object	*f;
	int			 c;

	if (PQntuples(res) != 1)
		return NULL;
	f = json_object_new_object();
	for (c = 0; c < (int)(sizeof(cols) / sizeof(cols[0])); c++)
		dash_str(f, cols[c], res, c);
	return f;
}

/* The three queries' results, or -1 with none left when one failed. */
static int
dash_load(struct req *r, PGresult *res[3])
{
	static const struct stmt *const stmts[3] = { LEGACY(STMT_DASH_PACKAGE),
	    LEGACY(STMT_DASH_DEALER), LEGACY(STMT_MSG_DASH) };
	char			 id[24];
	const char		*params[1] = { id };
	int			 i;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	for (i = 0; i < 3; i++)
		if ((res[i] = db_exec(&r->app->db, stmts[i], params)) == NULL) {
			while (i-- > 0)
				PQclear(res[i]);
			return -1;
		}
	return 0;
}

int
page_dashboard(struct req *r)
{
	struct json_object	*v, *o;
	PGresult		*res[3];
	int			 rc, i;

	if (dash_load(r, res) == -1)
		return 503;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    i18n_text(req_lang(r), MSG_NAV_DASHBOARD)));
	json_object_object_add(v, "nav_dashboard", json_object_new_boolean(1));
	if ((o = dash_package(res[0])) != NULL)
		json_object_object_add(v, "package", o);
	if ((o = dash_dealer(res[1])) != NULL)
		json_object_object_add(v, "dealer", o);
	if ((o = dash_figures(res[2])) != NULL)
		json_object_object_add(v, "figures", o);
	for (i = 0; i < 3; i++)
		PQclear(res[i]);
	rc = resp_html(r, 200, "dashboard", v);
	json_object_put(v);
	return rc;
}
