/* routes.c: the one route table and the table of declared input keys. */
#include <stddef.h>

#include "web/input.h"
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
	/* --- block: api keys --- */
	/* The create form: checked field by field in page_apikeys.c. */
	[KEY_AK_NAME] = { "name", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_SEND] = { "scope_messages_send", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_READ] = { "scope_messages_read", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_INST] = { "scope_instances_read", KEY_TYPE_TEXT,
	    valid_form_text },
	[KEY_AK_EXPIRES] = { "expires", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_ALLOW] = { "allow_ips", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_RPM] = { "rpm", KEY_TYPE_TEXT, valid_form_text },
	[KEY_AK_WHEN] = { "when", KEY_TYPE_TEXT, valid_form_text },
	/* --- end block: api keys --- */
	/* --- block: api v1 --- */
	/* Bad values reach the handler (pass_invalid): a 422 naming them. */
	[KEY_API_STATUS] = { "status", KEY_TYPE_TEXT, msglist_valid_status },
	[KEY_API_INSTANCE] = { "instance_id", KEY_TYPE_INT, api_valid_id },
	[KEY_API_DIRECTION] = { "direction", KEY_TYPE_TEXT,
	    api_valid_direction },
	[KEY_API_SINCE] = { "since", KEY_TYPE_TEXT, api_valid_since },
	[KEY_API_CURSOR] = { "cursor", KEY_TYPE_INT, api_valid_id },
	[KEY_API_LIMIT] = { "limit", KEY_TYPE_INT, api_valid_limit },
	/* --- end block: api v1 --- */
	/* --- block: message pages --- */
	/* The add form and the time zone: checked in their handlers. */
	[KEY_MSG_INSTANCE] = { "instance", KEY_TYPE_TEXT, valid_form_text },
	[KEY_MSG_RECIPIENT] = { "recipient", KEY_TYPE_TEXT, valid_form_text },
	[KEY_MSG_TEXT] = { "text", KEY_TYPE_TEXT, msglist_valid_text },
	[KEY_MSG_SEND_AT] = { "send_at", KEY_TYPE_TEXT, valid_form_text },
	[KEY_TIME_ZONE] = { "time_zone", KEY_TYPE_TEXT, valid_form_text },
	/* The lists' filters and cursor: empty means none; bad is a 400. */
	[KEY_MSG_F_INSTANCE] = { "instance", KEY_TYPE_TEXT, msglist_valid_id },
	[KEY_MSG_F_STATUS] = { "status", KEY_TYPE_TEXT, msglist_valid_status },
	[KEY_MSG_F_FROM] = { "from", KEY_TYPE_TEXT, msglist_valid_date },
	[KEY_MSG_F_TO] = { "to", KEY_TYPE_TEXT, msglist_valid_date },
	[KEY_MSG_BEFORE] = { "before", KEY_TYPE_TEXT, msglist_valid_id },
	[KEY_MSG_AFTER] = { "after", KEY_TYPE_TEXT, msglist_valid_id },
	[KEY_MSG_DONE] = { "done", KEY_TYPE_TEXT, msglist_valid_word },
	/* --- end block: message pages --- */
};

/* --- block: api keys inputs --- */
static const struct route_input in_apikey_create[] = {
	{ KEY_AK_NAME, 0 }, { KEY_AK_SEND, 0 }, { KEY_AK_READ, 0 },
	{ KEY_AK_INST, 0 }, { KEY_AK_EXPIRES, 0 }, { KEY_AK_ALLOW, 0 },
	{ KEY_AK_RPM, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_apikey_action[] = {
	{ KEY_AK_WHEN, 0 },
	{ KEY__MAX, 0 },
};
/* --- end block: api keys inputs --- */
/* --- block: api v1 inputs --- */
static const struct route_input in_api_msg_list[] = {
	{ KEY_API_STATUS, 0 }, { KEY_API_INSTANCE, 0 },
	{ KEY_API_DIRECTION, 0 }, { KEY_API_SINCE, 0 },
	{ KEY_API_CURSOR, 0 }, { KEY_API_LIMIT, 0 },
	{ KEY__MAX, 0 },
};
/* --- end block: api v1 inputs --- */
/* --- block: message pages inputs --- */
static const struct route_input in_msg_list[] = {
	{ KEY_MSG_F_INSTANCE, 0 }, { KEY_MSG_F_STATUS, 0 },
	{ KEY_MSG_F_FROM, 0 }, { KEY_MSG_F_TO, 0 },
	{ KEY_MSG_BEFORE, 0 }, { KEY_MSG_AFTER, 0 }, { KEY_MSG_DONE, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_msg_add[] = {
	{ KEY_MSG_INSTANCE, 0 }, { KEY_MSG_RECIPIENT, 0 },
	{ KEY_MSG_TEXT, 0 }, { KEY_MSG_SEND_AT, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_msg_detail[] = {
	{ KEY_MSG_DONE, 0 },
	{ KEY__MAX, 0 },
};

static const struct route_input in_time_zone[] = {
	{ KEY_TIME_ZONE, 0 },
	{ KEY__MAX, 0 },
};
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
	/* The pages' own scripts poll these (docs/live.md); a '.' keeps
	 * them out of {slug}'s reach, so other methods get a JSON 405. */
	{ METHOD_GET, "/whatsapp/instances/{int}/live.json", KIND_API,
	    AUTH_SESSION, NULL, 0, BODY_NONE, 0, 0, NULL, page_instance_live,
	    "instance_live" },
	{ METHOD_GET, "/hosts/live.json", KIND_API, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, NULL, page_hosts_live, "hosts_live" },
	/* --- end block: live refresh --- */
	/* {slug}: restart | logout | delete; GET asks, POST does it. */
	{ METHOD_GET, "/whatsapp/instances/{int}/{slug}", KIND_HTML,
	    AUTH_SESSION, NULL, 0, BODY_NONE, 0, 0, NULL, page_inst_confirm,
	    "instance_confirm" },
	{ METHOD_POST, "/whatsapp/instances/{int}/{slug}", KIND_HTML,
	    AUTH_SESSION, NULL, 1, BODY_FORM, 4096, 0, NULL, page_inst_action,
	    "instance_action" },
	/* --- block: message pages --- */
	{ METHOD_GET, "/whatsapp/queue", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, in_msg_list, page_msg_queue, "msg_queue" },
	/* 65536 characters of up to 4 bytes, percent-encoded, fit in 1 MiB. */
	{ METHOD_POST, "/whatsapp/queue", KIND_HTML, AUTH_SESSION, NULL, 1,
	    BODY_FORM, 1024 * 1024, 1, in_msg_add, page_msg_add, "msg_add" },
	{ METHOD_GET, "/whatsapp/sent", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, in_msg_list, page_msg_sent, "msg_sent" },
	{ METHOD_GET, "/whatsapp/received", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, in_msg_list, page_msg_received, "msg_received" },
	{ METHOD_GET, "/whatsapp/scheduled", KIND_HTML, AUTH_SESSION, NULL, 0,
	    BODY_NONE, 0, 0, in_msg_list, page_msg_scheduled, "msg_scheduled" },
	{ METHOD_GET, "/whatsapp/messages/{int}", KIND_HTML, AUTH_SESSION, NULL,
	    0, BODY_NONE, 0, 0, in_msg_detail, page_msg_detail, "msg_detail" },
	/* GET asks, POST cancels. */
	{ METHOD_GET, "/whatsapp/messages/{int}/cancel", KIND_HTML,
	    AUTH_SESSION, NULL, 0, BODY_NONE, 0, 0, NULL,
	    page_msg_cancel_confirm, "msg_cancel_confirm" },
	{ METHOD_POST, "/whatsapp/messages/{int}/cancel", KIND_HTML,
	    AUTH_SESSION, NULL, 1, BODY_FORM, 4096, 0, NULL, page_msg_cancel,
	    "msg_cancel" },
	{ METHOD_POST, "/profile/time-zone", KIND_HTML, AUTH_SESSION, NULL, 1,
	    BODY_FORM, 4096, 1, in_time_zone, page_profile_tz, "profile_tz" },
	/* --- end block: message pages --- */
	/* --- block: api docs routes --- */
	/* The API reference: with the customer's limits and ids inside the
	 * portal, public for the problem-type links of API answers. */
	{ METHOD_GET, "/api-docs", KIND_HTML, AUTH_SESSION, NULL, 0, BODY_NONE,
	    0, 0, NULL, page_apidocs, "apidocs" },
	{ METHOD_GET, "/docs/api", KIND_HTML, AUTH_NONE, NULL, 0, BODY_NONE,
	    0, 0, NULL, page_docs_api, "docs_api" },
	{ METHOD_GET, "/api/v1/openapi.json", KIND_API, AUTH_NONE, NULL, 0,
	    BODY_NONE, 0, 0, NULL, api_openapi, "openapi.get" },
	/* --- end block: api docs routes --- */
	/* --- block: api keys routes --- */
	{ METHOD_GET, "/api-keys", KIND_HTML, AUTH_SESSION, NULL, 0, BODY_NONE,
	    0, 0, NULL, page_apikeys, "apikeys" },
	{ METHOD_POST, "/api-keys", KIND_HTML, AUTH_SESSION, NULL, 1, BODY_FORM,
	    16384, 1, in_apikey_create, page_apikey_create, "apikey_create" },
	/* {slug}: toggle | rotate | delete; GET asks, POST does it. */
	{ METHOD_GET, "/api-keys/{int}/{slug}", KIND_HTML, AUTH_SESSION, NULL,
	    0, BODY_NONE, 0, 0, NULL, page_apikey_confirm, "apikey_confirm" },
	{ METHOD_POST, "/api-keys/{int}/{slug}", KIND_HTML, AUTH_SESSION, NULL,
	    1, BODY_FORM, 4096, 1, in_apikey_action, page_apikey_action,
	    "apikey_action" },
	/* --- end block: api keys routes --- */
	/* --- block: api v1 routes --- */
	/* REST API v1 (src/api*.c, docs/api-http.md): a Bearer API key with
	 * the scope; the name is the usage endpoint. POST messages reads its
	 * body raw and authenticates in its one statement (wa_api_send). */
	{ METHOD_POST, "/api/v1/messages", KIND_API, AUTH_APIKEY,
	    "messages:send", 0, BODY_RAW_JSON, 512 * 1024, 0, NULL,
	    api_messages_create, "messages.create" },
	{ METHOD_GET, "/api/v1/messages", KIND_API, AUTH_APIKEY,
	    "messages:read", 0, BODY_NONE, 0, 1, in_api_msg_list,
	    api_messages_list, "messages.list" },
	{ METHOD_GET, "/api/v1/messages/{int}", KIND_API, AUTH_APIKEY,
	    "messages:read", 0, BODY_NONE, 0, 0, NULL, api_messages_get,
	    "messages.get" },
	{ METHOD_DELETE, "/api/v1/messages/{int}", KIND_API, AUTH_APIKEY,
	    "messages:send", 0, BODY_NONE, 0, 0, NULL, api_messages_cancel,
	    "messages.cancel" },
	{ METHOD_GET, "/api/v1/instances", KIND_API, AUTH_APIKEY,
	    "instances:read", 0, BODY_NONE, 0, 0, NULL, api_instances_list,
	    "instances.list" },
	{ METHOD_GET, "/api/v1/instances/{int}", KIND_API, AUTH_APIKEY,
	    "instances:read", 0, BODY_NONE, 0, 0, NULL, api_instances_get,
	    "instances.get" },
	/* Any valid key sees its own usage: no scope. */
	{ METHOD_GET, "/api/v1/usage", KIND_API, AUTH_APIKEY, NULL, 0,
	    BODY_NONE, 0, 0, NULL, api_usage, "usage.get" },
	/* --- end block: api v1 routes --- */
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
