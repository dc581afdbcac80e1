/* page_dashboard.c: the signed-in customer's dashboard: live figures, quick actions, package and dealer cards. */
#include <stdio.h>

#include <json-c/json.h>

#include "core/db.h"
#include "web/i18n.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

#define DASH_EXPIRING_DAYS	14	/* "expiring soon" from here down */

/* The columns of DASH_PACKAGE: the package card's fields, then two. */
enum {
	DP_NAME,
	DP_MAX_INSTANCES,
	DP_MAX_CONTACTS,
	DP_MAX_MESSAGES,
	DP_MAX_API_KEYS,
	DP_API_RPM,
	DP_PRICE,
	DP_EXPIRES_AT,
	DP_EXPIRES_ON,
	DP_DAYS_LEFT,
	DP_EXPIRED,
	DP__MAX
};

/* The columns of DASH_DEALER: the dealer card's fields. */
enum {
	DD_NAME,
	DD_CONTACT,
	DD_EMAIL,
	DD_PHONE,
	DD_WHATSAPP,
	DD_ADDRESS,
	DD__MAX
};

/* The columns of DASH_FIGURES: the figures card's fields. */
enum {
	DF_CONNECTED,
	DF_INSTANCES,
	DF_MONTH_USED,
	DF_MONTH_LIMIT,
	DF_QUEUED,
	DF_SCHEDULED,
	DF_RECEIVED_TODAY,
	DF_SENT_MONTH,
	DF_CONTACTS,
	DF_SUBSCRIBED,
	DF_TZ,
	DF__MAX
};

enum {
	DASH_PACKAGE,
	DASH_DEALER,
	DASH_FIGURES,
	DASH__MAX
};

static const struct stmt dash_sql[DASH__MAX] = {
	[DASH_PACKAGE] = { "dashboard.package",
	    "SELECT p.name, p.max_instances, p.max_contacts, "
	    "p.max_messages_month, p.max_api_keys, p.api_rpm, p.price_text, "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at, "
	    "to_char(cp.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
	    "AS expires_on, "
	    "GREATEST(0, ceil(extract(epoch FROM cp.expires_at - wa_now()) "
	    "/ 86400))::int AS days_left, cp.expires_at <= wa_now() AS expired "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = $1 AND cp.active", 1, DB_RETRY,
	    DB_COLS(DP__MAX, [DP_NAME] = "name",
	    [DP_MAX_INSTANCES] = "max_instances",
	    [DP_MAX_CONTACTS] = "max_contacts",
	    [DP_MAX_MESSAGES] = "max_messages_month",
	    [DP_MAX_API_KEYS] = "max_api_keys", [DP_API_RPM] = "api_rpm",
	    [DP_PRICE] = "price_text", [DP_EXPIRES_AT] = "expires_at",
	    [DP_EXPIRES_ON] = "expires_on", [DP_DAYS_LEFT] = "days_left",
	    [DP_EXPIRED] = "expired") },
	[DASH_DEALER] = { "dashboard.dealer",
	    "SELECT d.name, d.contact_person, d.email, d.phone, d.whatsapp, "
	    "d.address FROM users u JOIN dealers d ON d.id = u.dealer_id "
	    "WHERE u.id = $1", 1, DB_RETRY,
	    DB_COLS(DD__MAX, [DD_NAME] = "name",
	    [DD_CONTACT] = "contact_person", [DD_EMAIL] = "email",
	    [DD_PHONE] = "phone", [DD_WHATSAPP] = "whatsapp",
	    [DD_ADDRESS] = "address") },
	/*
	 * The dashboard's figures: instances connected and all, quota places
	 * taken this month and the limit ('' without a package), queued now,
	 * scheduled, received today and sent this month (the customer's day
	 * and month), and the zone those are counted in.
	 */
	[DASH_FIGURES] = { "dashboard.figures",
	    "SELECT (SELECT count(*) FROM instances i "
	    "WHERE i.customer_id = u.id AND i.status = 'connected') "
	    "AS connected, "
	    "(SELECT count(*) FROM instances i WHERE i.customer_id = u.id) "
	    "AS instances, "
	    "coalesce((SELECT c.messages FROM message_counts c "
	    "WHERE c.customer_id = u.id "
	    "AND c.month = wa_customer_month(u.id)), 0) AS month_used, "
	    "coalesce((SELECT p.max_messages_month::text "
	    "FROM customer_packages cp JOIN packages p ON p.id = cp.package_id "
	    "WHERE cp.customer_id = u.id AND cp.active "
	    "AND cp.starts_at <= wa_now() AND cp.expires_at > wa_now()), '') "
	    "AS month_limit, "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status IN ('queued', 'sending')) AS queued, "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status = 'scheduled') AS scheduled, "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status = 'received' "
	    "AND coalesce(m.received_at, m.created_at) >= "
	    "(date_trunc('day', wa_now() AT TIME ZONE u.time_zone) "
	    "AT TIME ZONE u.time_zone)) AS received_today, "
	    "(SELECT count(*) FROM messages m WHERE m.customer_id = u.id "
	    "AND m.status IN ('sent', 'delivered', 'read') AND m.sent_at >= "
	    "(date_trunc('month', wa_now() AT TIME ZONE u.time_zone) "
	    "AT TIME ZONE u.time_zone)) AS sent_month, "
	    "coalesce(cc.total, 0) AS contacts, "
	    "coalesce(cc.subscribed, 0) AS subscribed, u.time_zone AS tz "
	    "FROM users u LEFT JOIN contact_counts cc ON cc.customer_id = u.id "
	    "WHERE u.id = $1::bigint", 1, DB_RETRY,
	    DB_COLS(DF__MAX, [DF_CONNECTED] = "connected",
	    [DF_INSTANCES] = "instances", [DF_MONTH_USED] = "month_used",
	    [DF_MONTH_LIMIT] = "month_limit", [DF_QUEUED] = "queued",
	    [DF_SCHEDULED] = "scheduled",
	    [DF_RECEIVED_TODAY] = "received_today",
	    [DF_SENT_MONTH] = "sent_month", [DF_CONTACTS] = "contacts",
	    [DF_SUBSCRIBED] = "subscribed", [DF_TZ] = "tz") },
};

/* The strings of dashboard.mustache. */
static const struct i18n_key dash_strings[] = {
	T_("package_title", "Your package"),
	T_("package_expired", "expired"),
	T_("package_expiring", "expiring soon"),
	T_("package_active", "active"),
	T_("package_expires", "Expires"),
	T_("days_left", "days left"),
	T_("limit_instances", "WhatsApp numbers"),
	T_("limit_contacts", "Contacts"),
	T_("limit_messages", "Messages per month"),
	T_("limit_api_keys", "API keys"),
	T_("limit_api_rpm", "API requests per minute"),
	T_("price", "Price"),
	T_("price_month", "/ month"),
	T_("no_package", "No active package. Ask your dealer to assign one."),
	T_("dealer_title", "Your dealer"),
	T_("dealer_contact", "Contact person"),
	T_("mp_dash_lead",
	    "Your numbers, messages, package and dealer at a glance."),
	T_("mp_fig_title", "Today at a glance"),
	T_("mp_fig_instances", "Numbers connected"),
	T_("mp_fig_month", "Messages this month / quota"),
	T_("mp_fig_no_quota", "no active package"),
	T_("mp_fig_sent", "sent so far"),
	T_("mp_fig_queued", "Waiting in the queue"),
	T_("mp_fig_scheduled", "Scheduled"),
	T_("mp_fig_received", "Received today"),
	T_("mp_quick", "Quick actions"),
	T_("mp_send_message", "Send a message"),
	T_("mp_fig_contacts", "Contacts"),
	T_("mp_fig_subscribed", "subscribed"),
	T_("mp_import_contacts", "Import contacts"),
};

/*
 * Row 0 of res as an object with the columns before ncols under their
 * names (as strings), or NULL when there is no single row.
 */
static struct json_object *
dash_row(PGresult *res, const struct stmt *st, int ncols)
{
	struct json_object	*o;
	int			 c;

	if (PQntuples(res) != 1)
		return NULL;
	o = json_object_new_object();
	for (c = 0; c < ncols; c++)
		json_object_object_add(o, st->cols[c],
		    json_object_new_string(db_get(res, 0, c)));
	return o;
}

/* The package card's model, or NULL when there is no active package. */
static struct json_object *
dash_package(PGresult *res)
{
	struct json_object	*p;
	int			 days, expired;

	if ((p = dash_row(res, &dash_sql[DASH_PACKAGE], DP_EXPIRED)) == NULL)
		return NULL;
	days = db_geti(res, 0, DP_DAYS_LEFT);
	expired = db_getb(res, 0, DP_EXPIRED);
	json_object_object_add(p, "expired", json_object_new_boolean(expired));
	json_object_object_add(p, "expiring", json_object_new_boolean(!expired
	    && days <= DASH_EXPIRING_DAYS));
	json_object_object_add(p, "ok", json_object_new_boolean(!expired &&
	    days > DASH_EXPIRING_DAYS));
	return p;
}

/* The three queries' results, or -1 with none left when one failed. */
static int
dash_load(struct req *r, PGresult *res[DASH__MAX])
{
	char			 id[24];
	const char		*params[1] = { id };
	int			 i;

	snprintf(id, sizeof(id), "%lld", (long long)r->customer_id);
	for (i = 0; i < DASH__MAX; i++)
		if ((res[i] = db_exec(&r->app->db, &dash_sql[i], params)) ==
		    NULL) {
			while (i-- > 0)
				PQclear(res[i]);
			return -1;
		}
	return 0;
}

/* GET /dashboard */
static int
dash_page(struct req *r)
{
	struct json_object	*v, *o;
	PGresult		*res[DASH__MAX];
	int			 rc, i;

	if (dash_load(r, res) == -1)
		return 503;
	v = json_object_new_object();
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Dashboard")));
	json_object_object_add(v, "nav_dashboard", json_object_new_boolean(1));
	if ((o = dash_package(res[DASH_PACKAGE])) != NULL)
		json_object_object_add(v, "package", o);
	if ((o = dash_row(res[DASH_DEALER], &dash_sql[DASH_DEALER],
	    DD__MAX)) != NULL)
		json_object_object_add(v, "dealer", o);
	if ((o = dash_row(res[DASH_FIGURES], &dash_sql[DASH_FIGURES],
	    DF__MAX)) != NULL)
		json_object_object_add(v, "figures", o);
	for (i = 0; i < DASH__MAX; i++)
		PQclear(res[i]);
	rc = resp_html(r, 200, "dashboard", v);
	json_object_put(v);
	return rc;
}

static const struct route dash_routes[] = {
	{ .method = METHOD_GET, .pattern = "/dashboard", .handler = dash_page,
	    .name = "dashboard", .auth = AUTH_SESSION },
};

const struct module dashboard_module = {
	.name = "dashboard",
	MODULE_ROUTES(dash_routes),
	MODULE_SQL(dash_sql),
	MODULE_STRINGS(dash_strings),
};
