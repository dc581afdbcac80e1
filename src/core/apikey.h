/* apikey.h: API key format: prefix, 131 random bits in base62, CRC32 checksum; the stored SHA-256. */
#ifndef WA_APIKEY_H
#define WA_APIKEY_H

#include <stddef.h>

#define APIKEY_PREFIX		"wap_"
#define APIKEY_PREFIX_LEN	4
#define APIKEY_RANDOM_LEN	22	/* base62 digits: 22 * log2(62) = 131 bits */
#define APIKEY_CHECK_LEN	6	/* base62 CRC32: 62^6 > 2^32 */
#define APIKEY_LEN		(APIKEY_PREFIX_LEN + APIKEY_RANDOM_LEN + \
				    APIKEY_CHECK_LEN)
#define APIKEY_VISIBLE_LEN	(APIKEY_PREFIX_LEN + 6)	/* shown in lists */
#define APIKEY_HASH_HEX		64	/* SHA-256 as lower-case hex */

enum apikey_error {
	APIKEY_OK,
	APIKEY_ERR_PREFIX,	/* not a waportal key at all */
	APIKEY_ERR_LENGTH,
	APIKEY_ERR_CHARSET,
	APIKEY_ERR_CHECKSUM,	/* a typo or a truncated copy */
	APIKEY_ERR__MAX
};

extern const char *const apikey_error_words[APIKEY_ERR__MAX];

int		 apikey_generate(char out[APIKEY_LEN + 1]);
enum apikey_error apikey_check(const char *, size_t);
int		 apikey_hash_hex(const char *, size_t,
		    char out[APIKEY_HASH_HEX + 1]);
void		 apikey_visible(const char *, char out[APIKEY_VISIBLE_LEN + 1]);
void		 apikey_checksum(const char *, size_t,
		    char out[APIKEY_CHECK_LEN + 1]);

#endif
