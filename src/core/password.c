/* password.c: argon2id (libargon2) with 16-byte random salts, PHC strings, and wiping. */
#include <stdio.h>
#include <string.h>

#include <argon2.h>
#include <openssl/rand.h>

#include "password.h"
#include "utf8.h"

#define PASSWORD_SALT	16
#define PASSWORD_TAG	32

/*
 * 1 when the n bytes are valid UTF-8 of PASSWORD_MIN to PASSWORD_MAX
 * characters (code points, not bytes), else 0. No composition rules.
 */
int
password_length_ok(const char *s, size_t n)
{
	size_t	 i, chars = 0;

	if (n > 4 * PASSWORD_MAX || !utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	return chars >= PASSWORD_MIN && chars <= PASSWORD_MAX;
}

/*
 * Hash the n bytes of pw into out as an argon2id PHC string
 * ("$argon2id$v=19$m=…,t=…,p=…$salt$tag"). Returns 0 or -1.
 * The caller wipes pw (password_wipe) as soon as it is done with it.
 */
int
password_hash(const struct password_params *pp, const char *pw, size_t n,
    char out[PASSWORD_ENCODED_MAX])
{
	unsigned char	 salt[PASSWORD_SALT];
	int		 rc;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return -1;
	if (argon2_encodedlen(pp->t, pp->m_kib, pp->p, sizeof(salt),
	    PASSWORD_TAG, Argon2_id) > PASSWORD_ENCODED_MAX)
		return -1;
	rc = argon2id_hash_encoded(pp->t, pp->m_kib, pp->p, pw, n, salt,
	    sizeof(salt), PASSWORD_TAG, out, PASSWORD_ENCODED_MAX);
	password_wipe(salt, sizeof(salt));
	return rc == ARGON2_OK ? 0 : -1;
}

/* 1 when pw matches the encoded hash, 0 when not (or it is malformed). */
int
password_verify(const char *encoded, const char *pw, size_t n)
{
	if (strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, pw, n) == ARGON2_OK;
}

/*
 * 1 when encoded was made with weaker parameters than pp (or is not
 * argon2id v=19), so a successful sign-in should store a new hash.
 */
int
password_needs_rehash(const struct password_params *pp, const char *encoded)
{
	unsigned	 m, t, p;

	if (sscanf(encoded, "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p)
	    != 3)
		return 1;
	return m < pp->m_kib || t < pp->t || p < pp->p;
}

/* Overwrite secrets in a way the compiler may not drop. */
void
password_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}
