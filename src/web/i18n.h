/* i18n.h: the languages the portal speaks, the compiled catalogs and the template strings modules declare. */
#ifndef WA_I18N_H
#define WA_I18N_H

#include <stddef.h>

enum lang {
	LANG_EN,
	LANG_ID,
	LANG__MAX
};

struct json_object;
struct module;

/* One entry of a compiled catalog (po/<lang>.po through po/po2c.awk). */
struct i18n_entry {
	const char	*ctx;		/* a template key, or NULL */
	const char	*msgid;		/* the English */
	const char	*msgstr;	/* its translation */
};

extern const struct i18n_entry i18n_catalog_id[];

/*
 * A string a module's templates use as {{t.key}}, with its English;
 * po/<lang>.po holds the translations under msgctxt key (xgettext
 * reads T_ as -kT_:1c,2).
 */
struct i18n_key {
	const char	*key;
	const char	*en;
};

#define T_(key, en)	{ (key), (en) }

extern const char *const i18n_lang_codes[LANG__MAX];

void		 i18n_init(const struct module *const *);
void		 i18n_free(void);
const char	*i18n_tr(enum lang, const char *);
const char	*i18n_key_tr(enum lang, const char *, const char *);

enum lang	 i18n_lang_find(const char *, size_t);
struct json_object *i18n_strings(enum lang);

#endif
