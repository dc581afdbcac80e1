/* password.h: argon2id password hashing, verification, rehash checks and wiping. */
#ifndef WA_PASSWORD_H
#define WA_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN		8	/* characters */
#define PASSWORD_MAX		1024	/* characters */
#define PASSWORD_ENCODED_MAX	192	/* bytes of a PHC string, NUL included */

struct password_params {
	unsigned	 t;		/* passes */
	unsigned	 m_kib;		/* memory in KiB */
	unsigned	 p;		/* lanes */
};

int	password_length_ok(const char *, size_t);
int	password_hash(const struct password_params *, const char *, size_t,
	    char out[PASSWORD_ENCODED_MAX]);
int	password_verify(const char *encoded, const char *, size_t);
int	password_needs_rehash(const struct password_params *, const char *);
void	password_wipe(void *, size_t);

#endif
