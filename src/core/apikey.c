/* apikey.c: make and check API keys offline (format, checksum) and hash them for storage. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <zlib.h>

#include "apikey.h"

static const char	 apikey_digits[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const char *const apikey_error_words[APIKEY_ERR__MAX] = {
	[APIKEY_OK] = "valid",
	[APIKEY_ERR_PREFIX] = "not a waportal API key (it starts with wap_)",
	[APIKEY_ERR_LENGTH] = "an API key is 32 characters long",
	[APIKEY_ERR_CHARSET] = "an API key holds only letters and digits "
	    "after wap_",
	[APIKEY_ERR_CHECKSUM] = "the API key's checksum does not match: "
	    "it was mistyped or cut short",
};

/*
 * The base62 CRC32 of the first n bytes of key (prefix and random part),
 * most significant digit first, zero-padded to APIKEY_CHECK_LEN.
 */
void
apikey_checksum(const char *key, size_t n, char out[APIKEY_CHECK_LEN + 1])
{
	unsigned long	 crc;
	int		 i;

	crc = crc32(crc32(0L, Z_NULL, 0), (const unsigned char *)key,
	    (unsigned int)n);
	for (i = APIKEY_CHECK_LEN - 1; i >= 0; i--) {
		out[i] = apikey_digits[crc % 62];
		crc /= 62;
	}
	out[APIKEY_CHECK_LEN] = '\0';
}

/*
 * A new key in out from the CSPRNG: each base62 digit from one random
 * byte below 248 (= 4 * 62), so every digit is equally likely.
 * Returns 0, or -1 when the random generator fails.
 */
int
apikey_generate(char out[APIKEY_LEN + 1])
{
	unsigned char	 r[64];
	size_t		 n = APIKEY_PREFIX_LEN, i;

	memcpy(out, APIKEY_PREFIX, APIKEY_PREFIX_LEN);
	while (n < APIKEY_PREFIX_LEN + APIKEY_RANDOM_LEN) {
		if (RAND_bytes(r, sizeof(r)) != 1)
			return -1;
		for (i = 0; i < sizeof(r) &&
		    n < APIKEY_PREFIX_LEN + APIKEY_RANDOM_LEN; i++)
			if (r[i] < 248)
				out[n++] = apikey_digits[r[i] % 62];
	}
	OPENSSL_cleanse(r, sizeof(r));
	apikey_checksum(out, n, out + n);
	return 0;
}

/* Whether the n bytes at s are all base62 digits. */
static int
apikey_base62(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(apikey_digits, s[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Check the n bytes at key offline: prefix, length, alphabet, checksum.
 * Nothing here touches the database, so a mistyped key costs nothing.
 */
enum apikey_error
apikey_check(const char *key, size_t n)
{
	char	 sum[APIKEY_CHECK_LEN + 1];

	if (n < APIKEY_PREFIX_LEN || memcmp(key, APIKEY_PREFIX,
	    APIKEY_PREFIX_LEN) != 0)
		return APIKEY_ERR_PREFIX;
	if (n != APIKEY_LEN)
		return APIKEY_ERR_LENGTH;
	if (!apikey_base62(key + APIKEY_PREFIX_LEN, n - APIKEY_PREFIX_LEN))
		return APIKEY_ERR_CHARSET;
	apikey_checksum(key, APIKEY_LEN - APIKEY_CHECK_LEN, sum);
	if (memcmp(sum, key + APIKEY_LEN - APIKEY_CHECK_LEN,
	    APIKEY_CHECK_LEN) != 0)
		return APIKEY_ERR_CHECKSUM;
	return APIKEY_OK;
}

/*
 * SHA-256 of the n bytes at key as lower-case hex: what the database
 * stores and looks keys up by. Returns 0, or -1 when OpenSSL fails.
 */
int
apikey_hash_hex(const char *key, size_t n, char out[APIKEY_HASH_HEX + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 len = 0, i;

	if (EVP_Digest(key, n, md, &len, EVP_sha256(), NULL) != 1 ||
	    len * 2 != APIKEY_HASH_HEX)
		return -1;
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[APIKEY_HASH_HEX] = '\0';
	return 0;
}

/* The part of a checked key lists show: the prefix and 6 digits. */
void
apikey_visible(const char *key, char out[APIKEY_VISIBLE_LEN + 1])
{
	memcpy(out, key, APIKEY_VISIBLE_LEN);
	out[APIKEY_VISIBLE_LEN] = '\0';
}
