/* i18n.h: the languages the portal speaks and its translated strings. */
#ifndef WA_I18N_H
#define WA_I18N_H

#include <stddef.h>

enum lang {
	LANG_EN,
	LANG_ID,
	LANG__MAX
};

/* Every translated string; the table in i18n.c holds the texts. */
enum msg {
	MSG_HOME_TITLE,
	MSG_SKIP,
	MSG_BRAND_HOME,
	MSG_NAV_LABEL,
	MSG_NAV_FEATURES,
	MSG_NAV_SIGN_IN,
	MSG_NAV_HOME,
	MSG_HERO_TITLE,
	MSG_HERO_LEAD,
	MSG_SIGN_IN,
	MSG_LEARN_MORE,
	MSG_LANGUAGE_LABEL,
	MSG_FEATURES_TITLE,
	MSG_F_LINK_TITLE,
	MSG_F_LINK_TEXT,
	MSG_F_CONTACTS_TITLE,
	MSG_F_CONTACTS_TEXT,
	MSG_F_SCHEDULE_TITLE,
	MSG_F_SCHEDULE_TEXT,
	MSG_F_BROADCAST_TITLE,
	MSG_F_BROADCAST_TEXT,
	MSG_F_STATUS_TITLE,
	MSG_F_STATUS_TEXT,
	MSG_F_API_TITLE,
	MSG_F_API_TEXT,
	MSG_CTA_TITLE,
	MSG_CTA_TEXT,
	MSG_FOOTER_NAV,
	MSG_BACK_HOME,
	MSG__MAX
};

struct json_object;

extern const char *const i18n_lang_codes[LANG__MAX];

enum lang	 i18n_lang_find(const char *, size_t);
const char	*i18n_text(enum lang, enum msg);
struct json_object *i18n_strings(enum lang);

#endif
