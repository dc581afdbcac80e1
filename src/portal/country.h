/* country.h: ISO 3166-1 country names in the portal's languages, from Debian's iso-codes. */
#ifndef WA_COUNTRY_H
#define WA_COUNTRY_H

#include "web/i18n.h"

const char	*country_name(enum lang, const char *code);

#endif
