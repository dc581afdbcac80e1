/* input.c: input validators used by the route table's declared keys. */
#include <string.h>

#include "i18n.h"
#include "input.h"

#define VALID_PATH_MAX	512

/* A language the portal offers (see i18n.c). */
int
valid_lang(const char *s, size_t n)
{
	return i18n_lang_find(s, n) != LANG__MAX;
}

/*
 * A path on this site to redirect to: "/" then visible ASCII only, so
 * no CR/LF or space can reach a Location header, and not "//" or "/\"
 * which browsers read as another host.
 */
int
valid_local_path(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > VALID_PATH_MAX || s[0] != '/')
		return 0;
	if (n > 1 && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* A decimal number 0..999999999 without sign or leading zeros. */
int
valid_uint(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * What the sign-in form accepts as an email: 3 to 254 visible ASCII or
 * UTF-8 bytes with no control byte or space. It is only looked up, so
 * the strict rules of profile emails are not needed here.
 */
int
valid_login_email(const char *s, size_t n)
{
	size_t	 i;

	if (n < 3 || n > 254)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* A password as typed: 1 to 4096 bytes (length rules apply on change). */
int
valid_password_input(const char *s, size_t n)
{
	(void)s;
	return n >= 1 && n <= 4096;
}

/* A form text field before its own checks: at most 8 KiB. */
int
valid_form_text(const char *s, size_t n)
{
	(void)s;
	return n <= 8192;
}
