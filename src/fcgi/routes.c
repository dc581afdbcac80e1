/* routes.c: the legacy table of input keys (enum key) and its module, which has no routes left; the lead removes both. */
#include <stddef.h>

#include "web/input.h"
#include "web/module.h"
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

/*
 * The legacy route table's module: every route is now a module's own,
 * so it has none; the key table above stays until the lead removes it.
 */
const struct module legacy_module = {
	.name = "legacy",
};
