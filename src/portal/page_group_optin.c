/* page_group_optin.c: a double opt-in list's pending members (50 a page) with what was sent to each, resending the confirmation to one of them or, after a confirmation, to all as a runner job (one per contact per 24 hours); a contact's pending lists for its page. */
#include <stdio.h>
#include <stdlib.h>
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
#include "contacts.h"
#include "groups.h"

#define GO_PAGE		50

enum { GO_IN_AFTER, GO_IN_LIST__MAX };
enum { GO_IN_CONTACT, GO_IN_ONE__MAX };

static const struct input go_in_list[GO_IN_LIST__MAX] = {
	[GO_IN_AFTER] = { "after", input_id, 0 },
};
static const struct input go_in_one[GO_IN_ONE__MAX] = {
	[GO_IN_CONTACT] = { "contact", input_id, INPUT_REQUIRED },
};

enum { GOG_ID, GOG_NAME, GOG_CONFIRM, GOG_PENDING, GOG_EXPIRED,
    GOG_CONNECTED, GOG__MAX };
enum { GOP_ID, GOP_PHONE, GOP_NAME, GOP_STATUS, GOP_ADDED, GOP_ASKED,
    GOP_EXPIRES, GOP_SENDS, GOP_RECENT, GOP__MAX };
enum { GON_N, GON__MAX };
enum { GOJ_JOB, GOJ__MAX };
enum { GOC_ID, GOC_NAME, GOC_ASKED, GOC_EXPIRES, GOC_RECENT, GOC__MAX };

enum {
	GO_GET,
	GO_PAGE_ROWS,
	GO_ONE,
	GO_RESEND,
	GO_CONTACT,
	GO_START,
	GO__MAX
};

static const struct stmt go_sql[GO__MAX] = {
	/* List $1 of customer $2: its counters, and whether a connected
	 * instance can send the confirmations (sql/0025). */
	[GO_GET] = { "group_optin.get",
	    "SELECT g.id, g.name, g.confirm, g.pending, g.expired, "
	    "wa_optin_instance(g.customer_id) IS NOT NULL AS connected "
	    "FROM contact_groups g WHERE g.id = $1::bigint "
	    "AND g.customer_id = $2::bigint AND g.kind = 'list'", 2,
	    DB_RETRY, DB_COLS(GOG__MAX, [GOG_ID] = "id", [GOG_NAME] = "name",
	    [GOG_CONFIRM] = "confirm", [GOG_PENDING] = "pending",
	    [GOG_EXPIRED] = "expired", [GOG_CONNECTED] = "connected") },
	/* List $1's pending members after contact id $2, in id order, in
	 * the zone of its customer $3; recent: asked in the last 24 h. */
	[GO_PAGE_ROWS] = { "group_optin.page",
	    "SELECT p.contact_id, c.phone, c.name, c.status, "
	    "to_char(p.added_at AT TIME ZONE u.time_zone, 'YYYY-MM-DD HH24:MI') "
	    "AS added, coalesce(to_char(p.asked_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI'), '') AS asked, to_char(p.expires_at AT "
	    "TIME ZONE u.time_zone, 'YYYY-MM-DD HH24:MI') AS expires, p.sends, "
	    "coalesce(p.asked_at > wa_now() - interval '24 hours', false) "
	    "AS recent FROM contact_group_pending p "
	    "JOIN contacts c ON c.id = p.contact_id "
	    "JOIN users u ON u.id = c.customer_id "
	    "WHERE p.group_id = $1::bigint AND p.contact_id > $2::bigint "
	    "AND c.customer_id = $3::bigint ORDER BY p.contact_id LIMIT 51",
	    3, DB_RETRY, DB_COLS(GOP__MAX, [GOP_ID] = "contact_id",
	    [GOP_PHONE] = "phone", [GOP_NAME] = "name",
	    [GOP_STATUS] = "status", [GOP_ADDED] = "added",
	    [GOP_ASKED] = "asked", [GOP_EXPIRES] = "expires",
	    [GOP_SENDS] = "sends", [GOP_RECENT] = "recent") },
	/* Whether contact $2 is pending in list $1 (already the customer's). */
	[GO_ONE] = { "group_optin.one",
	    "SELECT count(*) AS n FROM contact_group_pending "
	    "WHERE group_id = $1::bigint AND contact_id = $2::bigint", 2,
	    DB_RETRY, DB_COLS(GON__MAX, [GON_N] = "n") },
	/* Resend to contacts $3 of list $1 of customer $2: how many were
	 * queued. */
	[GO_RESEND] = { "group_optin.resend",
	    "SELECT wa_optin_resend($2::bigint, $1::bigint, $3::bigint[]) "
	    "AS n", 3, DB_ONCE, DB_COLS(GON__MAX, [GON_N] = "n") },
	/* The lists where contact $1 of customer $2 is pending, by name. */
	[GO_CONTACT] = { "group_optin.contact",
	    "SELECT g.id, g.name, coalesce(to_char(p.asked_at AT TIME ZONE "
	    "u.time_zone, 'YYYY-MM-DD HH24:MI'), '') AS asked, "
	    "to_char(p.expires_at AT TIME ZONE u.time_zone, "
	    "'YYYY-MM-DD HH24:MI') AS expires, coalesce(p.asked_at > wa_now() "
	    "- interval '24 hours', false) AS recent "
	    "FROM contact_group_pending p JOIN contact_groups g ON "
	    "g.id = p.group_id JOIN users u ON u.id = g.customer_id "
	    "WHERE p.contact_id = $1::bigint AND g.customer_id = $2::bigint "
	    "ORDER BY g.name, g.id LIMIT 500", 2, DB_RETRY,
	    DB_COLS(GOC__MAX, [GOC_ID] = "id", [GOC_NAME] = "name",
	    [GOC_ASKED] = "asked", [GOC_EXPIRES] = "expires",
	    [GOC_RECENT] = "recent") },
	/* Resend to all pending of list $1 of customer $2 as a runner job
	 * (sql/0030; the one under way if any): its id, 0 when the list is
	 * not theirs. */
	[GO_START] = { "group_optin.start",
	    "SELECT coalesce(wa_optin_resend_start($2::bigint, $1::bigint), 0) "
	    "AS job", 2, DB_ONCE, DB_COLS(GOJ__MAX, [GOJ_JOB] = "job") },
};

enum { GOF_SENT, GOF_NOT_SENT, GOF__MAX };

static const struct flash go_flashes[GOF__MAX] = {
	[GOF_SENT] = { "optin_resent", N_("The confirmation is sent again."),
	    "success" },
	[GOF_NOT_SENT] = { "optin_not_resent", N_("Nothing was sent: this "
	    "contact had a confirmation in the last 24 hours, is "
	    "unsubscribed, or there is no connected number or monthly "
	    "quota left."), "warning" },
};

static const struct i18n_key go_strings[] = {
	T_("go_title", "Pending confirmation"),
	T_("go_lead", "These contacts were added to the list but have not "
	    "confirmed yet: nothing sent to the list reaches them. A reply "
	    "YES (or one of your opt-in words) confirms them; after 7 days "
	    "unconfirmed they leave the list."),
	T_("go_back", "Back to the list"),
	T_("go_off", "This list no longer asks new members to confirm; those "
	    "below stay pending until they confirm or expire."),
	T_("go_no_number", "None of your numbers is connected: the "
	    "confirmations are not sent and the members stay pending. Connect "
	    "a number, then resend."),
	T_("go_from", "Confirmations go from your first connected number, "
	    "one per contact per 24 hours at most, and never to an "
	    "unsubscribed contact."),
	T_("go_contact", "Contact"),
	T_("go_status", "Subscription"),
	T_("go_added", "Added"),
	T_("go_asked", "Last confirmation"),
	T_("go_expires", "Expires"),
	T_("go_not_sent", "not sent"),
	T_("go_never", "unsubscribed: never messaged"),
	T_("go_resend", "Resend"),
	T_("go_recent", "sent in the last 24 hours"),
	T_("go_resend_all", "Resend to all pending"),
	T_("go_resend_all_q", "Send the confirmation again to every pending "
	    "member of this list who had none in the last 24 hours? Each "
	    "message counts in your monthly quota."),
	T_("go_resend_all_go", "Resend to all pending"),
	T_("go_keep", "Do not send"),
	T_("go_empty", "Nobody is pending."),
	T_("go_more", "Next pending members"),
	T_("go_contact_title", "Lists waiting for this contact's confirmation"),
	T_("go_contact_list", "List"),
};

/* One pending member as the template's row. */
static struct json_object *
go_row(struct req *r, PGresult *res, int i)
{
	struct json_object	*o = json_object_new_object();
	int			 c;

	for (c = GOP_ID; c <= GOP_SENDS; c++)
		json_object_object_add(o, go_sql[GO_PAGE_ROWS].cols[c],
		    json_object_new_string(db_get(res, i, c)));
	json_object_object_add(o, "status_word", json_object_new_string(
	    ct_status_word(r, db_get(res, i, GOP_STATUS))));
	json_object_object_add(o, "recent", json_object_new_boolean(
	    db_getb(res, i, GOP_RECENT)));
	json_object_object_add(o, "unsubscribed", json_object_new_boolean(
	    strcmp(db_get(res, i, GOP_STATUS), "unsubscribed") == 0));
	return o;
}

/* The group's header values into v. */
static void
go_group_view(PGresult *grp, struct json_object *v)
{
	char	 num[32];

	json_object_object_add(v, "gid", json_object_new_string(db_get(grp, 0,
	    GOG_ID)));
	json_object_object_add(v, "name", json_object_new_string(db_get(grp,
	    0, GOG_NAME)));
	json_object_object_add(v, "confirm", json_object_new_boolean(
	    db_getb(grp, 0, GOG_CONFIRM)));
	json_object_object_add(v, "connected", json_object_new_boolean(
	    db_getb(grp, 0, GOG_CONNECTED)));
	ct_number(db_getll(grp, 0, GOG_PENDING), num, sizeof(num));
	json_object_object_add(v, "pending", json_object_new_string(num));
	ct_number(db_getll(grp, 0, GOG_EXPIRED), num, sizeof(num));
	json_object_object_add(v, "expired", json_object_new_string(num));
}

/* The page's rows after r's "after" into v: 0 or 503. */
static int
go_rows(struct req *r, struct json_object *v)
{
	const char		*p[3] = { r->args[0], r->in[GO_IN_AFTER].s,
				    r->cid };
	struct json_object	*rows;
	PGresult		*res;
	char			 url[96];
	int			 i, n;

	if (p[1] == NULL)
		p[1] = "0";
	if ((res = db_exec(&r->app->db, &go_sql[GO_PAGE_ROWS], p)) == NULL)
		return 503;
	rows = json_object_new_array();
	n = PQntuples(res);
	for (i = 0; i < n && i < GO_PAGE; i++)
		json_object_array_add(rows, go_row(r, res, i));
	json_object_object_add(v, "rows", rows);
	json_object_object_add(v, "has_rows", json_object_new_boolean(n > 0));
	if (n > GO_PAGE) {
		snprintf(url, sizeof(url), "/contacts/groups/%s/pending?after=%s",
		    r->args[0], db_get(res, GO_PAGE - 1, GOP_ID));
		json_object_object_add(v, "next_url", json_object_new_string(
		    url));
	}
	PQclear(res);
	return 0;
}

/* GET /contacts/groups/{id}/pending[?after=] */
static int
go_show(struct req *r)
{
	struct json_object	*v;
	PGresult		*grp;
	int			 status = 0, rc;

	if ((grp = req_owned(r, &go_sql[GO_GET], &status)) == NULL)
		return status;
	v = json_object_new_object();
	go_group_view(grp, v);
	PQclear(grp);
	if ((rc = go_rows(r, v)) != 0) {
		json_object_put(v);
		return rc;
	}
	json_object_object_add(v, "title", json_object_new_string(
	    req_tr(r, "Pending confirmation")));
	json_object_object_add(v, "nav_contacts", json_object_new_boolean(1));
	rc = resp_html(r, 200, "group_pending", v);
	json_object_put(v);
	return rc;
}

/* Resend to ids ("{n}") of list {id}: the number queued, or -1 when the
 * database failed. */
static long long
go_resend_ids(struct req *r, const char *ids)
{
	const char	*p[3] = { r->args[0], r->cid, ids };
	PGresult	*res;
	long long	 n;

	if ((res = db_exec(&r->app->db, &go_sql[GO_RESEND], p)) == NULL)
		return -1;
	n = db_getll(res, 0, GON_N);
	PQclear(res);
	return n;
}

/* Back to the pending page with flash f. */
static int
go_back(struct req *r, const struct flash *f)
{
	char	 loc[64];

	flash_set(r, f);
	snprintf(loc, sizeof(loc), "/contacts/groups/%s/pending", r->args[0]);
	return resp_redirect(r, 303, loc);
}

/* POST /contacts/groups/{id}/pending/resend (contact): one contact
 * pending in the list (else 404). */
static int
go_resend(struct req *r)
{
	const char	*p[2] = { r->args[0], r->in[GO_IN_CONTACT].s };
	PGresult	*grp, *res;
	char		 ids[32];
	long long	 n;
	int		 status = 0, pending;

	if ((grp = req_owned(r, &go_sql[GO_GET], &status)) == NULL)
		return status;
	PQclear(grp);
	if ((res = db_exec(&r->app->db, &go_sql[GO_ONE], p)) == NULL)
		return 503;
	pending = db_getll(res, 0, GON_N) > 0;
	PQclear(res);
	if (!pending)
		return 404;
	snprintf(ids, sizeof(ids), "{%s}", p[1]);
	if ((n = go_resend_ids(r, ids)) < 0)
		return 503;
	return go_back(r, &go_flashes[n > 0 ? GOF_SENT : GOF_NOT_SENT]);
}

/* Start the runner's resend to all pending of list {id} and go to its
 * page (the job under way when there is one). */
static int
go_start(struct req *r)
{
	const char	*p[2] = { r->args[0], r->cid };
	PGresult	*res;
	char		 loc[64];
	long long	 job;

	if ((res = db_exec(&r->app->db, &go_sql[GO_START], p)) == NULL)
		return 503;
	job = db_getll(res, 0, GOJ_JOB);
	PQclear(res);
	if (job <= 0)
		return 404;
	snprintf(loc, sizeof(loc), "/contacts/optin/%lld", job);
	return resp_redirect(r, 303, loc);
}

/* GET and POST /contacts/groups/{id}/pending/resend-all: ask, then
 * resend to every pending member not asked in the last 24 hours, in the
 * background (an 'optin' job, src/runner/optin.c). */
static int
go_resend_all(struct req *r)
{
	struct json_object	*v;
	PGresult		*grp;
	int			 status = 0, rc;

	if ((grp = req_owned(r, &go_sql[GO_GET], &status)) == NULL)
		return status;
	if (r->route->method == METHOD_GET) {
		v = json_object_new_object();
		go_group_view(grp, v);
		PQclear(grp);
		json_object_object_add(v, "title", json_object_new_string(
		    req_tr(r, "Resend to all pending")));
		json_object_object_add(v, "nav_contacts",
		    json_object_new_boolean(1));
		rc = resp_html(r, 200, "group_resend", v);
		json_object_put(v);
		return rc;
	}
	PQclear(grp);
	return go_start(r);
}

int
gr_contact_pending(struct req *r, const char *id, struct json_object *v)
{
	const char		*p[2] = { id, r->cid };
	struct json_object	*rows, *o;
	PGresult		*res;
	int			 i, c;

	if ((res = db_exec(&r->app->db, &go_sql[GO_CONTACT], p)) == NULL)
		return -1;
	rows = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		for (c = GOC_ID; c <= GOC_EXPIRES; c++)
			json_object_object_add(o, go_sql[GO_CONTACT].cols[c],
			    json_object_new_string(db_get(res, i, c)));
		json_object_object_add(o, "recent", json_object_new_boolean(
		    db_getb(res, i, GOC_RECENT)));
		json_object_array_add(rows, o);
	}
	json_object_object_add(v, "optin_pending", rows);
	json_object_object_add(v, "optin_contact", json_object_new_string(id));
	json_object_object_add(v, "has_optin_pending",
	    json_object_new_boolean(PQntuples(res) > 0));
	PQclear(res);
	return 0;
}

static const struct route go_routes[] = {
	{ .method = METHOD_GET, .pattern = "/contacts/groups/{int}/pending",
	    .handler = go_show, .name = "group_pending",
	    .auth = AUTH_SESSION, ROUTE_INPUTS(go_in_list) },
	{ .method = METHOD_POST,
	    .pattern = "/contacts/groups/{int}/pending/resend",
	    .handler = go_resend, .name = "group_pending_resend",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, ROUTE_INPUTS(go_in_one) },
	{ .method = METHOD_GET,
	    .pattern = "/contacts/groups/{int}/pending/resend-all",
	    .handler = go_resend_all, .name = "group_pending_resend_ask",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST,
	    .pattern = "/contacts/groups/{int}/pending/resend-all",
	    .handler = go_resend_all, .name = "group_pending_resend_all",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
};

const struct module group_optin_module = {
	.name = "group_optin",
	MODULE_ROUTES(go_routes),
	MODULE_SQL(go_sql),
	MODULE_STRINGS(go_strings),
	MODULE_FLASHES(go_flashes),
};
