/* page_home.c: the public landing page and the language switch. */
#include <string.h>

#include <json-c/json.h>

#include "web/i18n.h"
#include "web/input.h"
#include "web/module.h"
#include "web/req.h"
#include "web/resp.h"
#include "web/route.h"

#define LANG_COOKIE_AGE	(365L * 24 * 3600)

enum { LANG_IN_SET, LANG_IN_NEXT, LANG_IN__MAX };

static const struct input lang_in[LANG_IN__MAX] = {
	[LANG_IN_SET] = { "set", input_lang, INPUT_REQUIRED },
	[LANG_IN_NEXT] = { "next", input_local_path, 0 },
};

/* The strings of home.mustache: only what works, then what comes. */
enum { HS_TITLE };

static const struct i18n_key home_strings[] = {
	[HS_TITLE] = T_("hero_title", "WhatsApp messaging for your business"),
	T_("hero_lead",
	    "Link your numbers by scanning a QR code, then send and schedule "
	    "messages from the browser or through a REST API, and follow each "
	    "one until it is read."),
	T_("learn_more", "See what it does"),
	T_("language_label", "Language"),
	T_("features_title", "Everything in one portal"),
	T_("feature_link_title", "Link numbers by QR"),
	T_("feature_link_text",
	    "Pick a gateway host with free capacity in the location you want "
	    "and scan the code with WhatsApp."),
	T_("feature_schedule_title", "Queue and schedule"),
	T_("feature_schedule_text",
	    "Messages go out paced per number, at the time you choose, in "
	    "your time zone."),
	T_("feature_status_title", "Delivery you can see"),
	T_("feature_status_text",
	    "Follow each message from queued to sent, delivered and read, and "
	    "see replies as they arrive."),
	T_("feature_api_title", "REST API with scoped keys"),
	T_("feature_api_text",
	    "Send from your own systems with API keys that carry permissions, "
	    "expiry and rate limits."),
	T_("coming_title", "Coming next"),
	T_("coming_text",
	    "Contacts with tags, groups and CSV import, opt-in and opt-out, "
	    "and broadcasts to your subscribers."),
	T_("cta_title", "Already a customer?"),
	T_("cta_text",
	    "Sign in with the account your dealer created for you."),
};

static int
home_page(struct req *r)
{
	struct json_object	*v = json_object_new_object();
	int			 rc;

	json_object_object_add(v, "title",
	    json_object_new_string(req_t(r, &home_strings[HS_TITLE])));
	rc = resp_html(r, 200, "home", v);
	json_object_put(v);
	return rc;
}

/*
 * GET /lang?set=id&next=/path: remember the language in a cookie and
 * go back. A missing or unsafe next (another host, control bytes)
 * goes to "/" instead, so nothing from the query reaches a header
 * unchecked.
 */
static int
home_lang(struct req *r)
{
	const struct field	*set = &r->in[LANG_IN_SET];
	const struct field	*next = &r->in[LANG_IN_NEXT];

	if (set->s == NULL)
		return 400;
	if (resp_cookie(r, "lang", set->s, LANG_COOKIE_AGE) == -1)
		return 500;
	return resp_redirect(r, 303, next->s != NULL ? next->s : "/");
}

static const struct route home_routes[] = {
	{ .method = METHOD_GET, .pattern = "/", .handler = home_page,
	    .name = "home" },
	{ .method = METHOD_GET, .pattern = "/lang", .handler = home_lang,
	    .name = "lang", .pass_invalid = 1, ROUTE_INPUTS(lang_in) },
};

const struct module home_module = {
	.name = "home",
	MODULE_ROUTES(home_routes),
	MODULE_STRINGS(home_strings),
};
