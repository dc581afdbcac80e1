/* flash.c: set a flash key before a redirect; the next page shows its text once and clears it. */
#include <string.h>

#include <json-c/json.h>

#include "flash.h"
#include "i18n.h"
#include "req.h"
#include "resp.h"

#define FLASH_COOKIE	"flash"

static const struct flash_def {
	const char	*key;		/* the cookie value */
	enum msg	 msg;
	const char	*kind;		/* success | info | warning | error */
} flash_defs[FLASH__MAX] = {
	[FLASH_SIGNED_OUT] = { "signed_out", MSG_FLASH_SIGNED_OUT, "success" },
	[FLASH_SIGNED_IN] = { "signed_in", MSG_FLASH_SIGNED_IN, "success" },
	[FLASH_PROFILE_SAVED] = { "profile_saved", MSG_FLASH_PROFILE_SAVED,
	    "success" },
	[FLASH_PASSWORD_CHANGED] = { "password_changed",
	    MSG_FLASH_PASSWORD_CHANGED, "success" },
	[FLASH_AVATAR_SAVED] = { "avatar_saved", MSG_FLASH_AVATAR_SAVED,
	    "success" },
	[FLASH_AVATAR_REMOVED] = { "avatar_removed", MSG_FLASH_AVATAR_REMOVED,
	    "success" },
	[FLASH_INST_RESTARTED] = { "inst_restarted", MSG_FLASH_INST_RESTARTED,
	    "success" },
	[FLASH_INST_LOGGED_OUT] = { "inst_logged_out",
	    MSG_FLASH_INST_LOGGED_OUT, "success" },
	[FLASH_INST_DELETED] = { "inst_deleted", MSG_FLASH_INST_DELETED,
	    "success" },
	[FLASH_GATEWAY_ERROR] = { "gateway_error", MSG_FLASH_GATEWAY_ERROR,
	    "error" },
};

void
flash_set(struct req *r, enum flash f)
{
	resp_cookie(r, FLASH_COOKIE, flash_defs[f].key, 60);
}

/*
 * When the request carries a known flash key, add "flash": [{kind,
 * text}] to the view and clear the cookie; unknown keys are ignored.
 */
void
flash_view(struct req *r, struct json_object *view)
{
	const struct param	*p = params_get(&r->cookies, FLASH_COOKIE);
	struct json_object	*list, *item;
	enum flash		 f;

	if (p == NULL)
		return;
	resp_cookie(r, FLASH_COOKIE, "", 0);
	for (f = 0; f < FLASH__MAX; f++)
		if (strcmp(p->value, flash_defs[f].key) == 0)
			break;
	if (f == FLASH__MAX)
		return;
	item = json_object_new_object();
	json_object_object_add(item, "kind",
	    json_object_new_string(flash_defs[f].kind));
	json_object_object_add(item, "text",
	    json_object_new_string(i18n_text(req_lang(r), flash_defs[f].msg)));
	list = json_object_new_array();
	json_object_array_add(list, item);
	json_object_object_add(view, "flash", list);
}
