/* flash.c: set a flash key before a redirect; the next page shows its text once and clears it. */
#include <string.h>

#include <json-c/json.h>

#include "flash.h"
#include "i18n.h"
#include "module.h"
#include "req.h"
#include "resp.h"

#define FLASH_COOKIE	"flash"

void
flash_set(struct req *r, const struct flash *f)
{
	resp_cookie(r, FLASH_COOKIE, f->key, 60);
}

/* The message whose key is key, among the modules' own; or NULL. */
static const struct flash *
flash_find(const struct req *r, const char *key)
{
	const struct module *const *m;
	size_t			 i;

	for (m = r->app->modules; m != NULL && *m != NULL; m++)
		for (i = 0; i < (*m)->nflashes; i++)
			if (strcmp(key, (*m)->flashes[i].key) == 0)
				return &(*m)->flashes[i];
	return NULL;
}

/*
 * When the request carries a known flash key, add "flash": [{kind,
 * text}] to the view and clear the cookie; unknown keys are ignored.
 */
void
flash_view(struct req *r, struct json_object *view)
{
	const struct param	*p = params_get(&r->cookies, FLASH_COOKIE);
	const struct flash	*f;
	struct json_object	*list, *item;

	if (p == NULL)
		return;
	resp_cookie(r, FLASH_COOKIE, "", 0);
	if ((f = flash_find(r, p->value)) == NULL)
		return;
	item = json_object_new_object();
	json_object_object_add(item, "kind", json_object_new_string(f->kind));
	json_object_object_add(item, "text",
	    json_object_new_string(req_tr(r, f->text)));
	list = json_object_new_array();
	json_object_array_add(list, item);
	json_object_object_add(view, "flash", list);
}
