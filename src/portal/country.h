/* country.h: ISO 3166-1 country names in the portal's languages, from Debian's iso-codes. */
#ifndef WA_COUNTRY_H
#define WA_COUNTRY_H

#include "web/i18n.h"

struct json_object;

const char	*country_name(enum lang, const char *code);
struct json_object *country_options(enum lang, const char *selected);
int		 country_known(const char *code);

#endif
