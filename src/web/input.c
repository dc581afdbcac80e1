/* input.c: the validators of declared inputs every module shares: each cleans a value or says why it is wrong. */
#include <stdlib.h>
#include <string.h>

#include "core/nls.h"
#include "core/valid.h"
#include "i18n.h"
#include "input.h"
#include "req.h"

#define INPUT_PATH_MAX	512
#define INPUT_TEXT_MAX	8192

/*
 * The validators of struct input (input.h): each reads f->s (f->n
 * bytes, the value as sent, NUL-terminated and valid UTF-8), cleans
 * it in place or into memory the request owns, and returns 0; or sets
 * f->err to an English sentence (N_, translated when a page shows it)
 * and returns -1.
 */

/*
 * A path on this site to go back to: "/" then visible ASCII only, so
 * no CR/LF or space can reach a Location header, and not "//" or "/\"
 * which browsers read as another host. 1 when n bytes at s are one.
 */
int
input_path_is_local(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > INPUT_PATH_MAX || s[0] != '/')
		return 0;
	if (n > 1 && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

/* A form's text before a module's own rule: at most 8 KiB. */
int
input_text(struct req *r, struct field *f)
{
	(void)r;
	if (f->n > INPUT_TEXT_MAX) {
		f->err = N_("The text is too long.");
		return -1;
	}
	return 0;
}

/*
 * A value kept as sent but for the spaces around it, every check the
 * handler's (a form that re-renders with its own reasons).
 */
int
input_trimmed(struct req *r, struct field *f)
{
	const char	*s = f->s;
	size_t		 n = f->n;

	text_trim(&s, &n);
	f->s = req_strndup(r, s, n);
	f->n = n;
	return 0;
}

/* A row id: 1 to 18 digits without a leading zero; f->i its value. */
int
input_id(struct req *r, struct field *f)
{
	size_t	 i;

	(void)r;
	if (f->n == 0 || f->n > 18 || f->s[0] == '0')
		goto bad;
	for (i = 0; i < f->n; i++)
		if (f->s[i] < '0' || f->s[i] > '9')
			goto bad;
	f->i = strtoll(f->s, NULL, 10);
	return 0;
bad:
	f->err = N_("Not a valid id.");
	return -1;
}

/* A language the portal offers (i18n.c), by its code. */
int
input_lang(struct req *r, struct field *f)
{
	(void)r;
	if (i18n_lang_find(f->s, f->n) == LANG__MAX) {
		f->err = N_("Choose a language from the list.");
		return -1;
	}
	return 0;
}

/* A path on this site to go back to (input_path_is_local). */
int
input_local_path(struct req *r, struct field *f)
{
	(void)r;
	if (!input_path_is_local(f->s, f->n)) {
		f->err = N_("Not a path on this site.");
		return -1;
	}
	return 0;
}

/*
 * What the sign-in form accepts as an email: 3 to 254 visible ASCII or
 * UTF-8 bytes with no control byte or space. It is only looked up, so
 * the strict rules of profile emails are not needed here.
 */
int
input_login_email(struct req *r, struct field *f)
{
	size_t	 i;

	(void)r;
	if (f->n < 3 || f->n > 254)
		goto bad;
	for (i = 0; i < f->n; i++)
		if ((unsigned char)f->s[i] <= 0x20 || f->s[i] == 0x7f)
			goto bad;
	return 0;
bad:
	f->err = N_("Enter an email address.");
	return -1;
}

/* A password as typed: 1 to 4096 bytes (length rules apply on change). */
int
input_password(struct req *r, struct field *f)
{
	(void)r;
	if (f->n < 1 || f->n > 4096) {
		f->err = N_("Enter a password.");
		return -1;
	}
	return 0;
}
