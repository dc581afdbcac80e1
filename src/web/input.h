/* input.h: validators for declared inputs: each returns 1 for a good value, else 0. */
#ifndef WA_INPUT_H
#define WA_INPUT_H

#include <stddef.h>

int	valid_lang(const char *, size_t);
int	valid_local_path(const char *, size_t);
int	valid_uint(const char *, size_t);
int	valid_login_email(const char *, size_t);
int	valid_password_input(const char *, size_t);
int	valid_form_text(const char *, size_t);

#endif
