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
	/* Browsers post CSP violation reports; no CSRF check, no cookies. */
	{ METHOD_POST, "/csp-report", KIND_API, AUTH_NONE, NULL, 0, BODY_JSON,
	    64 * 1024, 0, NULL, page_csp_report, "csp_report" },
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);
