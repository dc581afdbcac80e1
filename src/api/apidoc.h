/* apidoc.h: the OpenAPI document turned into the view of the API docs pages. */
#ifndef WA_APIDOC_H
#define WA_APIDOC_H

#include "web/i18n.h"

struct json_object;

/*
 * What the examples fill in: the base URL and ids of the reader's own;
 * and the reader's language, that of the document's prose.
 */
struct apidoc_ctx {
	const char	*base;		/* e.g. https://portal.example.com */
	long long	 msg_id;	/* a message of the reader's, or 1 */
	long long	 inst_id;	/* an instance of the reader's, or 1 */
	enum lang	 lang;		/* LANG_EN: the document as written */
	long long	 contact_id;	/* the reader's latest contact, or 1 */
	long long	 tag_id;	/* ... latest tag, or 1 */
	long long	 field_id;	/* ... latest custom field, or 1 */
	long long	 tag_first;	/* ... oldest tag, or 1 */
};

/* apidoc.c */
struct json_object *apidoc_load(const char *path);
const char *apidoc_str(struct json_object *, const char *key);
struct json_object *apidoc_groups(struct json_object *doc,
	    const struct apidoc_ctx *);
struct json_object *apidoc_problems(enum lang);
int	apidoc_try_default(struct json_object *groups, const char *scopes);

/* apidoc_ex.c */
void	apidoc_examples(struct json_object *op, const struct apidoc_ctx *,
	    const char *method, const char *path, int body,
	    const char *example);

#endif
