/* routes.c: the one route table and the table of declared input keys. */
#include <stddef.h>

#include "web/input.h"
#include "web/module.h"
#include "web/pages.h"
#include "web/route.h"

const struct key_def key_defs[KEY__MAX] = {
	[KEY_LANG_SET] = { "set", KEY_TYPE_TEXT, valid_lang },
	[KEY_NEXT] = { "next", KEY_TYPE_TEXT, valid_local_path },
	[KEY_EMAIL] = { "email", KEY_TYPE_TEXT, valid_login_email },
	[KEY_PASSWORD] = { "password", KEY_TYPE_TEXT, valid_password_input },
	/* Profile fields: checked field by field in page_profile.c. */
	[KEY_NAME] = { "name", KEY_TYPE_TEXT, valid_form_text },
	[KEY_PROFILE_EMAIL] = { "email", KEY_TYPE_TEXT, valid_form_text },
	[KEY_MOBILE] = { "mobile", KEY_TYPE_TEXT, valid_form_text },
	[KEY_PHONE] = { "phone", KEY_TYPE_TEXT, valid_form_text },
	[KEY_LANGUAGE] = { "language", KEY_TYPE_TEXT, valid_form_text },
	[KEY_ADDRESS] = { "address", KEY_TYPE_TEXT, valid_form_text },
	[KEY_NOTES] = { "notes", KEY_TYPE_TEXT, valid_form_text },
	[KEY_CURRENT_PASSWORD] = { "current_password", KEY_TYPE_TEXT,
	    valid_password_input },
	[KEY_NEW_PASSWORD] = { "new_password", KEY_TYPE_TEXT,
	    valid_password_input },
	[KEY_CONFIRM_PASSWORD] = { "confirm_password", KEY_TYPE_TEXT,
	    valid_password_input },
	[KEY_HOST] = { "host", KEY_TYPE_INT, valid_uint },
	/* --- block: message pages --- */
	/* The add form and the time zone: checked in their handlers. */
	[KEY_TIME_ZONE] = { "time_zone", KEY_TYPE_TEXT, valid_form_text },
	/* --- end block: message pages --- */
};

/* --- block: message pages inputs --- */
static const struct route_input in_time_zone[] = {
	{ KEY_TIME_ZONE, 0 },
	{ KEY__MAX, 0 },
};
/* --- end block: message pages inputs --- */

static const struct route_input in_profile[] = {
	{ KEY_NAME, 0 }, { KEY_PROFILE_EMAIL, 0 }, { KEY_MOBILE, 0 },
	{ KEY_PHONE, 0 }, { KEY_LANGUAGE, 0 }, { KEY_ADDRESS, 0 },
	{ KEY_NOTES, 0 }, { KEY_CURRENT_PASSWORD, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_password[] = {
	{ KEY_CURRENT_PASSWORD, 0 }, { KEY_NEW_PASSWORD, 0 },
	{ KEY_CONFIRM_PASSWORD, 0 },
	{ KEY__MAX, 0 },
};

/*
 * Every route: method, pattern, error kind, auth, scope, CSRF check,
 * body kind, body limit, pass_invalid, inputs, handler, log name.
 * Checks run centrally in serve.c before any handler.
 */
const struct route routes[] = {
	{ .method = METHOD_GET, .pattern = "/profile", .handler = page_profile,
	    .name = "profile", .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/profile",
	    .handler = page_profile_save, .name = "profile_save",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 64 * 1024, .pass_invalid = 1, .keys = in_profile },
	{ .method = METHOD_POST, .pattern = "/profile/password",
	    .handler = page_password, .name = "password", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 16 * 1024,
	    .pass_invalid = 1, .keys = in_password },
	/* --- block: message pages --- */
	{ .method = METHOD_POST, .pattern = "/profile/time-zone",
	    .handler = page_profile_tz, .name = "profile_tz",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, .keys = in_time_zone },
	/* --- end block: message pages --- */
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);

/* The table above as one module, listed last in modules.c. */
const struct module legacy_module = {
	.name = "legacy",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
