/* i18n_cat.c: the compiled catalogs of po/: a string by its English (and template key), and the strings templates read as {{t.key}}, built once per worker. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/xmalloc.h"
#include "i18n.h"
#include "module.h"

/* Each language's catalog; English is the source and has none. */
static const struct i18n_entry *const i18n_catalogs[LANG__MAX] = {
	[LANG_EN] = NULL,
	[LANG_ID] = i18n_catalog_id,
};

/* A catalog's entries by (context, English): open addressing. */
static struct i18n_index {
	const struct i18n_entry	**slot;
	size_t			  cap;
} i18n_index[LANG__MAX];

static const struct module *const *i18n_mods;
static struct json_object *i18n_t[LANG__MAX];

/* FNV-1a of the context (or nothing), a separator and the English. */
static uint64_t
i18n_hash(const char *ctx, const char *msgid)
{
	uint64_t	 h = 14695981039346656037ULL;
	const char	*p;

	for (p = ctx != NULL ? ctx : ""; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 4) * 1099511628211ULL;
	for (p = msgid; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static int
i18n_same(const struct i18n_entry *e, const char *ctx, const char *msgid)
{
	if ((e->ctx == NULL) != (ctx == NULL))
		return 0;
	return (ctx == NULL || strcmp(e->ctx, ctx) == 0) &&
	    strcmp(e->msgid, msgid) == 0;
}

/* The slot of (ctx, msgid) in ix: its entry's, or the empty one. */
static size_t
i18n_slot(const struct i18n_index *ix, const char *ctx, const char *msgid)
{
	size_t	 i = (size_t)i18n_hash(ctx, msgid) & (ix->cap - 1);

	while (ix->slot[i] != NULL && !i18n_same(ix->slot[i], ctx, msgid))
		i = (i + 1) & (ix->cap - 1);
	return i;
}

/* Index language l's catalog (once); the first of duplicates wins. */
static struct i18n_index *
i18n_indexed(enum lang l)
{
	struct i18n_index	*ix = &i18n_index[l];
	const struct i18n_entry	*e;
	size_t			 n = 0, i;

	if (ix->cap != 0 || i18n_catalogs[l] == NULL)
		return ix;
	for (e = i18n_catalogs[l]; e->msgid != NULL; e++)
		n++;
	for (ix->cap = 16; ix->cap < 2 * n; ix->cap *= 2)
		continue;
	ix->slot = xcalloc(ix->cap, sizeof(*ix->slot));
	for (e = i18n_catalogs[l]; e->msgid != NULL; e++) {
		i = i18n_slot(ix, e->ctx, e->msgid);
		if (ix->slot[i] == NULL)
			ix->slot[i] = e;
	}
	return ix;
}

/* The translation of (ctx, msgid) in l, or NULL. */
static const char *
i18n_find(enum lang l, const char *ctx, const char *msgid)
{
	const struct i18n_index	*ix;
	const struct i18n_entry	*e;

	if (l >= LANG__MAX || msgid == NULL || i18n_catalogs[l] == NULL)
		return NULL;
	ix = i18n_indexed(l);
	e = ix->slot[i18n_slot(ix, ctx, msgid)];
	return e != NULL ? e->msgstr : NULL;
}

/* An English sentence (N_ or a literal) in language l. */
const char *
i18n_tr(enum lang l, const char *msgid)
{
	const char	*t = i18n_find(l, NULL, msgid);

	return t != NULL ? t : msgid;
}

/* A template string, by its key and English, in language l. */
const char *
i18n_key_tr(enum lang l, const char *key, const char *en)
{
	const char	*t = i18n_find(l, key, en);

	return t != NULL ? t : en;
}

/* The modules whose strings the templates read (NULL-ended). */
void
i18n_init(const struct module *const *mods)
{
	i18n_mods = mods;
}

/*
 * The object templates read as "t" in language l: every key of every
 * module, translated. Built on first use and kept for the worker's
 * life; a view takes a reference (json_object_get).
 */
struct json_object *
i18n_strings(enum lang l)
{
	const struct i18n_key	*k;
	size_t			 i, j;

	if (i18n_t[l] != NULL)
		return i18n_t[l];
	i18n_t[l] = json_object_new_object();
	for (i = 0; i18n_mods != NULL && i18n_mods[i] != NULL; i++)
		for (j = 0; j < i18n_mods[i]->nstrings; j++) {
			k = &i18n_mods[i]->strings[j];
			json_object_object_add(i18n_t[l], k->key,
			    json_object_new_string(i18n_key_tr(l, k->key,
			    k->en)));
		}
	return i18n_t[l];
}

/* Free what the catalogs and strings hold (at exit, for valgrind). */
void
i18n_free(void)
{
	enum lang	 l;

	for (l = 0; l < LANG__MAX; l++) {
		if (i18n_t[l] != NULL)
			json_object_put(i18n_t[l]);
		i18n_t[l] = NULL;
		free(i18n_index[l].slot);
		i18n_index[l].slot = NULL;
		i18n_index[l].cap = 0;
	}
}
