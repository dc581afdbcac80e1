/* routes.c: the one route table and the table of declared input keys. */
#include <stddef.h>

#include "pages.h"
#include "route.h"
#include "valid.h"

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
	/* --- end block: message pages --- */
};

/* --- block: message pages inputs --- */
/* --- end block: message pages inputs --- */

static const struct route_input in_pairing[] = {
	{ KEY_PHONE, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_instance[] = {
	{ KEY_NAME, 0 }, { KEY_HOST, 0 },
	{ KEY__MAX, 0 },
};

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

static const struct route_input in_login_form[] = {
	{ KEY_NEXT, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_login[] = {
	{ KEY_EMAIL, 1 },
	{ KEY_PASSWORD, 1 },
	{ KEY_NEXT, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_lang[] = {
	{ KEY_LANG_SET, 1 },
	{ KEY_NEXT, 0 },
	{ KEY__MAX, 0 },
};

/*
 * Every route: method, pattern, error kind, auth, scope, CSRF check,
 * body kind, body limit, pass_invalid, inputs, handler, log name.
 * Checks run centrally in serve.c before any handler.
 */
const struct route routes[] = {
	{ METHOD_GET, "/", KIND_HTML, AUTH_NONE, NULL, 0, BODY_NONE, 0, 0,
	    NULL, page_home, "home" },
	{ METHOD_GET, "/lang", KIND_HTML, AUTH_NONE, NULL, 0, BODY_NONE, 0, 1,
	    in_lang, page_lang, "lang" },
	{ METHOD_GET, "/healthz", KIND_API, AUTH_NONE, NULL, 0, BODY_NONE, 0,
	    0, NULL, page_healthz, "healthz" },
	{ METHOD_GET, "/readyz", KIND_API, AUTH_NONE, NULL, 0, BODY_NONE, 0,
	    0, NULL, page_readyz, "readyz" },
	{ METHOD_GET, "/login", KIND_HTML, AUTH_NONE, NULL, 0, BODY_NONE, 0, 1,
	    in_login_form, page_login_form, "login_form" },
	/* No session yet: the same-origin check guards it (docs/security.md). */
	{ METHOD_POST, "/login", KIND_HTML, AUTH_NONE, NULL, 1, BODY_FORM,
	    16 * 1024, 1, in_login, page_login, "login" },
	{ METHOD_POST, "/logout", KIND_HTML, AUTH_SESSION, NULL, 1, BODY_FORM,
	    4096, 0, NULL, page_logout, "logout" },
	{ METHOD_GET, "/dashboard", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, NULL, page_dashboard, "dashboard" },
	{ METHOD_GET, "/profile", KIND_HTML, AUTH_SESSION, NULL, 0, BODY_NONE,
	    0, 0, NULL, page_profile, "profile" },
	{ METHOD_POST, "/profile", KIND_HTML, AUTH_SESSION, NULL, 1, BODY_FORM,
	    64 * 1024, 1, in_profile, page_profile_save, "profile_save" },
	{ METHOD_POST, "/profile/password", KIND_HTML, AUTH_SESSION, NULL, 1,
	    BODY_FORM, 16 * 1024, 1, in_password, page_password,
	    "password" },
	/* nginx allows this location 3 MiB (nginx/waportal.conf). */
	{ METHOD_POST, "/profile/avatar", KIND_HTML, AUTH_SESSION, NULL, 1,
	    BODY_MULTIPART, 3 * 1024 * 1024, 1, NULL, page_avatar_upload,
	    "avatar_upload" },
	{ METHOD_POST, "/profile/avatar/delete", KIND_HTML, AUTH_SESSION, NULL,
	    1, BODY_FORM, 4096, 0, NULL, page_avatar_delete, "avatar_delete" },
	{ METHOD_GET, "/whatsapp", KIND_HTML, AUTH_SESSION, NULL, 0, BODY_NONE,
	    0, 0, NULL, page_instances, "whatsapp" },
	{ METHOD_POST, "/whatsapp/instances", KIND_HTML, AUTH_SESSION, NULL, 1,
	    BODY_FORM, 4096, 1, in_instance, page_instance_create,
	    "instance_create" },
	{ METHOD_GET, "/whatsapp/instances/{int}", KIND_HTML, AUTH_SESSION,
	    NULL, 0, BODY_NONE, 0, 0, NULL, page_instance, "instance" },
	/* Listed before the {slug} actions, which would match it too. */
	{ METHOD_POST, "/whatsapp/instances/{int}/pairing-code", KIND_HTML,
	    AUTH_SESSION, NULL, 1, BODY_FORM, 4096, 1, in_pairing,
	    page_instance_pairing, "instance_pairing" },
	/* --- block: live refresh --- (listed before the {slug} actions) */
	/* --- end block: live refresh --- */
	/* {slug}: restart | logout | delete; GET asks, POST does it. */
	{ METHOD_GET, "/whatsapp/instances/{int}/{slug}", KIND_HTML,
	    AUTH_SESSION, NULL, 0, BODY_NONE, 0, 0, NULL, page_inst_confirm,
	    "instance_confirm" },
	{ METHOD_POST, "/whatsapp/instances/{int}/{slug}", KIND_HTML,
	    AUTH_SESSION, NULL, 1, BODY_FORM, 4096, 0, NULL, page_inst_action,
	    "instance_action" },
	/* --- block: message pages --- */
	/* --- end block: message pages --- */
	{ METHOD_GET, "/hosts", KIND_HTML, AUTH_SESSION, NULL, 0, BODY_NONE, 0,
	    0, NULL, page_hosts, "hosts" },
	{ METHOD_GET, "/avatar/{int}", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, NULL, page_avatar, "avatar" },
	/* Gateway webhooks: no session, no CSRF; the handler checks the
	 * HMAC over the raw body before anything is parsed. */
	{ METHOD_POST, "/hooks/waha/{slug}", KIND_API, AUTH_NONE, NULL, 0,
	    BODY_RAW_JSON, 256 * 1024, 0, NULL, page_hook_waha, "hook_waha" },
	/* Browsers post CSP violation reports; no CSRF check, no cookies. */
	{ METHOD_POST, "/csp-report", KIND_API, AUTH_NONE, NULL, 0, BODY_JSON,
	    64 * 1024, 0, NULL, page_csp_report, "csp_report" },
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
