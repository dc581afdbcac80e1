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

/*
 * Every route: method, pattern, error kind, auth, scope, CSRF check,
 * body kind, body limit, pass_invalid, inputs, handler, log name.
 * Checks run centrally in serve.c before any handler.
 */
const struct route routes[] = {
	{ .method = METHOD_GET, .pattern = "/dashboard",
	    .handler = page_dashboard, .name = "dashboard",
	    .auth = AUTH_SESSION },
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
	/* nginx allows this location 3 MiB (nginx/waportal.conf). */
	{ .method = METHOD_POST, .pattern = "/profile/avatar",
	    .handler = page_avatar_upload, .name = "avatar_upload",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_MULTIPART,
	    .max_body = 3 * 1024 * 1024, .pass_invalid = 1 },
	{ .method = METHOD_POST, .pattern = "/profile/avatar/delete",
	    .handler = page_avatar_delete, .name = "avatar_delete",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_GET, .pattern = "/whatsapp",
	    .handler = page_instances, .name = "whatsapp",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/instances",
	    .handler = page_instance_create, .name = "instance_create",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, .keys = in_instance },
	{ .method = METHOD_GET, .pattern = "/whatsapp/instances/{int}",
	    .handler = page_instance, .name = "instance",
	    .auth = AUTH_SESSION },
	/* Listed before the {slug} actions, which would match it too. */
	{ .method = METHOD_POST,
	    .pattern = "/whatsapp/instances/{int}/pairing-code",
	    .handler = page_instance_pairing, .name = "instance_pairing",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, .keys = in_pairing },
	/* --- block: live refresh --- (listed before the {slug} actions) */
	/* The pages' own scripts poll these (docs/live.md); a '.' keeps
	 * them out of {slug}'s reach, so other methods get a JSON 405. */
	{ .method = METHOD_GET,
	    .pattern = "/whatsapp/instances/{int}/live.json",
	    .handler = page_instance_live, .name = "instance_live",
	    .kind = KIND_API, .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/hosts/live.json",
	    .handler = page_hosts_live, .name = "hosts_live", .kind = KIND_API,
	    .auth = AUTH_SESSION },
	/* --- end block: live refresh --- */
	/* {slug}: restart | logout | delete; GET asks, POST does it. */
	{ .method = METHOD_GET, .pattern = "/whatsapp/instances/{int}/{slug}",
	    .handler = page_inst_confirm, .name = "instance_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/instances/{int}/{slug}",
	    .handler = page_inst_action, .name = "instance_action",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	/* --- block: message pages --- */
	{ .method = METHOD_GET, .pattern = "/whatsapp/queue",
	    .handler = page_msg_queue, .name = "msg_queue",
	    .auth = AUTH_SESSION, .keys = in_msg_list },
	/* 65536 characters of up to 4 bytes, percent-encoded, fit in 1 MiB. */
	{ .method = METHOD_POST, .pattern = "/whatsapp/queue",
	    .handler = page_msg_add, .name = "msg_add", .auth = AUTH_SESSION,
	    .csrf = 1, .body = BODY_FORM, .max_body = 1024 * 1024,
	    .pass_invalid = 1, .keys = in_msg_add },
	{ .method = METHOD_GET, .pattern = "/whatsapp/sent",
	    .handler = page_msg_sent, .name = "msg_sent", .auth = AUTH_SESSION,
	    .keys = in_msg_list },
	{ .method = METHOD_GET, .pattern = "/whatsapp/received",
	    .handler = page_msg_received, .name = "msg_received",
	    .auth = AUTH_SESSION, .keys = in_msg_list },
	{ .method = METHOD_GET, .pattern = "/whatsapp/scheduled",
	    .handler = page_msg_scheduled, .name = "msg_scheduled",
	    .auth = AUTH_SESSION, .keys = in_msg_list },
	{ .method = METHOD_GET, .pattern = "/whatsapp/messages/{int}",
	    .handler = page_msg_detail, .name = "msg_detail",
	    .auth = AUTH_SESSION, .keys = in_msg_detail },
	/* GET asks, POST cancels. */
	{ .method = METHOD_GET, .pattern = "/whatsapp/messages/{int}/cancel",
	    .handler = page_msg_cancel_confirm, .name = "msg_cancel_confirm",
	    .auth = AUTH_SESSION },
	{ .method = METHOD_POST, .pattern = "/whatsapp/messages/{int}/cancel",
	    .handler = page_msg_cancel, .name = "msg_cancel",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096 },
	{ .method = METHOD_POST, .pattern = "/profile/time-zone",
	    .handler = page_profile_tz, .name = "profile_tz",
	    .auth = AUTH_SESSION, .csrf = 1, .body = BODY_FORM,
	    .max_body = 4096, .pass_invalid = 1, .keys = in_time_zone },
	/* --- end block: message pages --- */
	{ .method = METHOD_GET, .pattern = "/hosts", .handler = page_hosts,
	    .name = "hosts", .auth = AUTH_SESSION },
	{ .method = METHOD_GET, .pattern = "/avatar/{int}",
	    .handler = page_avatar, .name = "avatar", .auth = AUTH_SESSION },
	/* Gateway webhooks: no session, no CSRF; the handler checks the
	 * HMAC over the raw body before anything is parsed. */
	{ .method = METHOD_POST, .pattern = "/hooks/waha/{slug}",
	    .handler = page_hook_waha, .name = "hook_waha", .kind = KIND_API,
	    .body = BODY_RAW_JSON, .max_body = 256 * 1024 },
};

const size_t routes_len = sizeof(routes) / sizeof(routes[0]);

/* The table above as one module, listed last in modules.c. */
const struct module legacy_module = {
	.name = "legacy",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
