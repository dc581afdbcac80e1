/* apidoc.h: the OpenAPI document turned into the view of the API docs pages. */
#ifndef WA_APIDOC_H
#define WA_APIDOC_H

#include "web/i18n.h"

struct json_object;

/*
 * The ids an example's path may name, the reader's own: an operation
 * says which with "x-example-id", else the path's segment before {id}
 * does ("instances": an instance, "imports": an import, "contacts",
 * "tags", "contact-fields": theirs, else a message).
 */
enum apidoc_id {
	APIDOC_ID_MESSAGE,	/* the latest outbound message */
	APIDOC_ID_INSTANCE,	/* the first instance */
	APIDOC_ID_IMPORT,	/* the latest import */
	APIDOC_ID_IMPORT_OLDER,	/* the one before it */
	APIDOC_ID_CONTACT,	/* the latest contact */
	APIDOC_ID_TAG,		/* the latest tag */
	APIDOC_ID_TAG_OLDEST,	/* the oldest tag */
	APIDOC_ID_FIELD,	/* the latest custom field */
	APIDOC_ID_EXPORT,	/* the latest export */
	APIDOC_ID_EXPORT_DONE,	/* the latest export that is done */
	APIDOC_ID_GROUP,	/* the latest contact group that is a list */
	APIDOC_ID_TEMPLATE,	/* the latest message template */
	APIDOC_ID_BROADCAST,	/* the latest broadcast */
	APIDOC_ID_CONNECTED,	/* the first connected instance */
	APIDOC_ID_TEMPLATE_OLDEST, /* the oldest message template */
	APIDOC_ID__MAX
};

extern const char *const apidoc_id_names[APIDOC_ID__MAX];

/*
 * What the examples fill in: the base URL and ids of the reader's own
 * (1 where the reader has none); and the reader's language, that of
 * the document's prose.
 */
struct apidoc_ctx {
	const char	*base;		/* e.g. https://portal.example.com */
	long long	 ids[APIDOC_ID__MAX];
	enum lang	 lang;		/* LANG_EN: the document as written */
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
	    const char *method, const char *path, struct json_object *o);

#endif
