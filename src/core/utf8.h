/* utf8.h: strict UTF-8 validation (no overlongs, surrogates or NUL). */
#ifndef WA_UTF8_H
#define WA_UTF8_H

#include <stddef.h>

int		utf8_valid(const char *, size_t);
unsigned long	utf8_decode(const char *, size_t *);

#endif
