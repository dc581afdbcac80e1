/* page_home.c: the public landing page and the language switch. */
#include <string.h>

#include <json-c/json.h>

#include "web/pages.h"
#include "web/req.h"
#include "web/resp.h"

#define LANG_COOKIE_AGE	(365L * 24 * 3600)

int
page_home(struct req *r)
{
	struct json_object	*v = json_object_new_object();
	int			 rc;

	json_object_object_add(v, "title",
	    json_object_new_string(i18n_text(req_lang(r), MSG_HOME_TITLE)));
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
int
page_lang(struct req *r)
{
	const struct field	*set = r->fields[KEY_LANG_SET];
	const struct field	*next = r->fields[KEY_NEXT];

	if (set == NULL)
		return 400;
	if (resp_cookie(r, "lang", set->s, LANG_COOKIE_AGE) == -1)
		return 500;
	return resp_redirect(r, 303, next != NULL ? next->s : "/");
}
