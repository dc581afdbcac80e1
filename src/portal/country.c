/* country.c: ISO 3166-1 country names in each language the portal speaks, read once per worker from Debian's iso-codes (its JSON, its gettext catalogs). */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/log.h"
#include "core/nls.h"
#include "core/xmalloc.h"
#include "country.h"

/* Where iso-codes is installed: configure asks its pkg-config file. */
#ifndef WA_ISO_CODES
#error "WA_ISO_CODES (iso-codes' share directory) comes from configure"
#endif
#define CC_JSON		WA_ISO_CODES "/iso-codes/json/iso_3166-1.json"
#define CC_LOCALEDIR	WA_ISO_CODES "/locale"
#define CC_DOMAIN	"iso_3166-1"

/* GNU gettext's counter of catalog changes (glibc): bumped after a change
 * of LANGUAGE so that dgettext looks again instead of using its cache. */
extern int	 _nl_msg_cat_cntr;

struct cc_entry {
	char	 code[3];
	char	*name[LANG__MAX];
};

/* The worker's table, sorted by code: loaded on first use, kept for its
 * life; loaded stays set when iso-codes could not be read (the code
 * shows then, logged once). */
static struct {
	struct cc_entry	*e;
	size_t		 n;
	int		 loaded;
} cc_cache;

static int
cc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cc_entry *)a)->code,
	    ((const struct cc_entry *)b)->code);
}

/* A string member of o, or NULL. */
static const char *
cc_str(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/*
 * The codes and English names of iso_3166-1.json, the short name where
 * it has one ("Bolivia", "South Korea", "Taiwan"). Returns 0, or -1 when
 * the file cannot be read.
 */
static int
cc_read(const char *path)
{
	struct json_object	*root, *list, *c;
	const char		*code, *name;
	size_t			 i, n;

	if ((root = json_object_from_file(path)) == NULL)
		return -1;
	if (!json_object_object_get_ex(root, "3166-1", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		return -1;
	}
	n = json_object_array_length(list);
	cc_cache.e = xcalloc(n + 1, sizeof(*cc_cache.e));
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(list, i);
		code = cc_str(c, "alpha_2");
		if ((name = cc_str(c, "common_name")) == NULL)
			name = cc_str(c, "name");
		if (code == NULL || strlen(code) != 2 || name == NULL)
			continue;
		memcpy(cc_cache.e[cc_cache.n].code, code, 3);
		cc_cache.e[cc_cache.n++].name[LANG_EN] = xstrdup(name);
	}
	json_object_put(root);
	qsort(cc_cache.e, cc_cache.n, sizeof(*cc_cache.e), cc_cmp);
	return 0;
}

/*
 * Names iso-codes leaves in English in a language the portal speaks:
 * translated by the portal's own catalog instead (po/id.po).
 */
static const char *const cc_gaps[] = {
	N_("Bonaire, Sint Eustatius and Saba"),
};

/* The portal's translation of an English name iso-codes did not give. */
static const char *
cc_gap(enum lang l, const char *en)
{
	size_t	 i;

	for (i = 0; i < sizeof(cc_gaps) / sizeof(cc_gaps[0]); i++)
		if (strcmp(en, cc_gaps[i]) == 0)
			return i18n_tr(l, en);
	return en;
}

/* Every entry's English name looked up in language l's catalog. */
static void
cc_translate_lang(enum lang l)
{
	const char	*en, *t;
	size_t		 i;

	setenv("LANGUAGE", i18n_lang_codes[l], 1);
	++_nl_msg_cat_cntr;
	for (i = 0; i < cc_cache.n; i++) {
		en = cc_cache.e[i].name[LANG_EN];
		if ((t = dgettext(CC_DOMAIN, en)) == en || strcmp(t, en) == 0)
			t = cc_gap(l, en);
		cc_cache.e[i].name[l] = xstrdup(t);
	}
}

/*
 * The names in the other languages, from iso-codes' catalogs. The worker
 * runs in the C locale, where gettext translates nothing, so for this
 * only LC_MESSAGES is C.UTF-8 (part of Debian's libc) and LANGUAGE picks
 * each catalog in turn; both are put back after. Without C.UTF-8 every
 * language gets the English names.
 */
static void
cc_translate(void)
{
	const char	*env;
	char		*old_locale, *old_language;
	size_t		 i;
	int		 l;

	old_locale = xstrdup(setlocale(LC_MESSAGES, NULL));
	old_language = (env = getenv("LANGUAGE")) != NULL ? xstrdup(env) :
	    NULL;
	if (setlocale(LC_MESSAGES, "C.UTF-8") != NULL) {
		bindtextdomain(CC_DOMAIN, CC_LOCALEDIR);
		bind_textdomain_codeset(CC_DOMAIN, "UTF-8");
		for (l = LANG_EN + 1; l < LANG__MAX; l++)
			cc_translate_lang((enum lang)l);
	} else
		log_warnx("country names: no C.UTF-8 locale, English only");
	for (l = LANG_EN + 1; l < LANG__MAX; l++)
		for (i = 0; i < cc_cache.n; i++)
			if (cc_cache.e[i].name[l] == NULL)
				cc_cache.e[i].name[l] =
				    xstrdup(cc_cache.e[i].name[LANG_EN]);
	if (old_language != NULL)
		setenv("LANGUAGE", old_language, 1);
	else
		unsetenv("LANGUAGE");
	++_nl_msg_cat_cntr;
	setlocale(LC_MESSAGES, old_locale);
	free(old_language);
	free(old_locale);
}

/* Load the table unless this worker has tried already. */
static void
cc_load(void)
{
	if (cc_cache.loaded)
		return;
	cc_cache.loaded = 1;
	if (cc_read(CC_JSON) == -1) {
		log_warnx("country names: cannot read %s: codes shown "
		    "(apt-get install iso-codes)", CC_JSON);
		return;
	}
	cc_translate();
}

/*
 * The name of the country with ISO 3166-1 alpha-2 code (upper case) in
 * language l: "Indonesia", "Jerman". The code itself when it is not a
 * country iso-codes knows, or iso-codes is missing.
 */
const char *
country_name(enum lang l, const char *code)
{
	struct cc_entry		 key, *e;

	cc_load();
	if (cc_cache.n == 0 || strlen(code) != 2 || (unsigned)l >= LANG__MAX)
		return code;
	memcpy(key.code, code, 3);
	e = bsearch(&key, cc_cache.e, cc_cache.n, sizeof(*cc_cache.e), cc_cmp);
	return e != NULL ? e->name[l] : code;
}
