/* hmac.h: HMAC-SHA512 of raw bytes as hex, and a constant-time check of a hex signature. */
#ifndef WA_HMAC_H
#define WA_HMAC_H

#include <stddef.h>

#define HMAC_SHA512_HEX	128	/* hex digits of a signature */

int	hmac_sha512_hex(const char *key, const void *, size_t,
	    char out[HMAC_SHA512_HEX + 1]);
int	hmac_sha512_verify(const char *key, const void *, size_t,
	    const char *sig);

#endif
