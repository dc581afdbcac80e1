/* hmac.c: HMAC-SHA512 (OpenSSL) for webhook signatures, compared in constant time. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hmac.h"

/*
 * Lower-case hex HMAC-SHA512 of the n bytes at p keyed with key.
 * Returns 0, or -1 when OpenSSL fails.
 */
int
hmac_sha512_hex(const char *key, const void *p, size_t n,
    char out[HMAC_SHA512_HEX + 1])
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 len = 0, i;

	if (HMAC(EVP_sha512(), key, (int)strlen(key), p, n, md, &len) == NULL ||
	    len * 2 != HMAC_SHA512_HEX)
		return -1;
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

/*
 * 1 when sig (hex, either case) is the HMAC-SHA512 of the n bytes at p
 * under key, else 0. The comparison takes the same time wherever the
 * first difference is; a signature of the wrong length fails at once
 * (its length is no secret).
 */
int
hmac_sha512_verify(const char *key, const void *p, size_t n, const char *sig)
{
	char	 want[HMAC_SHA512_HEX + 1], got[HMAC_SHA512_HEX + 1];
	size_t	 i;
	int	 ok;

	if (sig == NULL || strlen(sig) != HMAC_SHA512_HEX ||
	    hmac_sha512_hex(key, p, n, want) == -1)
		return 0;
	for (i = 0; i < HMAC_SHA512_HEX; i++)
		got[i] = (char)tolower((unsigned char)sig[i]);
	got[HMAC_SHA512_HEX] = '\0';
	ok = CRYPTO_memcmp(want, got, HMAC_SHA512_HEX) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}
