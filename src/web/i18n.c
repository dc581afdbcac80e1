/* i18n.c: the languages the portal speaks, by their codes. */
#include <string.h>

#include "i18n.h"

const char *const i18n_lang_codes[LANG__MAX] = {
	[LANG_EN] = "en",
	[LANG_ID] = "id",
};

/* LANG__MAX when the n bytes name no language we offer. */
enum lang
i18n_lang_find(const char *s, size_t n)
{
	enum lang	 l;

	for (l = 0; l < LANG__MAX; l++)
		if (strlen(i18n_lang_codes[l]) == n &&
		    memcmp(i18n_lang_codes[l], s, n) == 0)
			return l;
	return LANG__MAX;
}
