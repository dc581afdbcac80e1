/* 0080-apikey.c: API key format, offline checksum, randomness spread and the stored hash. */
#include <string.h>

#include "core/apikey.h"
#include "tap.h"

#define NKEYS	2000

/* A key made elsewhere (Python's zlib.crc32 and hashlib) with its hash. */
static const char	 known[] = "wap_0123456789ABCDEFGHIJKL1vLA8v";
static const char	 known_hash[] =
    "44d51dd8dca9a38cf3bf3fd97807e6ca1fe18f1fbb00c788802efcef8e04db05";

static const struct {
	const char		*key;
	enum apikey_error	 want;
} bad[] = {
	{ "", APIKEY_ERR_PREFIX },
	{ "wap", APIKEY_ERR_PREFIX },
	{ "WAP_0123456789ABCDEFGHIJKL1vLA8v", APIKEY_ERR_PREFIX },
	{ "sk_0123456789ABCDEFGHIJKL1vLA8vx", APIKEY_ERR_PREFIX },
	{ "wap_0123456789ABCDEFGHIJKL1vLA8", APIKEY_ERR_LENGTH },
	{ "wap_0123456789ABCDEFGHIJKL1vLA8vv", APIKEY_ERR_LENGTH },
	{ "wap_", APIKEY_ERR_LENGTH },
	{ "wap_0123456789ABCDEFGHIJK-1vLA8v", APIKEY_ERR_CHARSET },
	{ "wap_0123456789ABCDEFGHIJK 1vLA8v", APIKEY_ERR_CHARSET },
	{ "wap_0123456789ABCDEFGHIJK\xc3\xa9vLA8v", APIKEY_ERR_CHARSET },
	{ "wap_0123456789ABCDEFGHIJKL1vLA8w", APIKEY_ERR_CHECKSUM },
	{ "wap_1023456789ABCDEFGHIJKL1vLA8v", APIKEY_ERR_CHECKSUM },
	{ "wap_0123456789abcdefghijkl1vLA8v", APIKEY_ERR_CHECKSUM },
};

static void
test_known(void)
{
	char	 h[APIKEY_HASH_HEX + 1], v[APIKEY_VISIBLE_LEN + 1];
	size_t	 i;

	is_int(apikey_check(known, strlen(known)), APIKEY_OK,
	    "a key checksummed by another implementation is valid");
	ok(apikey_hash_hex(known, strlen(known), h) == 0, "hash made");
	is_str(h, known_hash, "SHA-256 hex matches another implementation");
	apikey_visible(known, v);
	is_str(v, "wap_012345", "visible part: prefix and 6 digits");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(apikey_check(bad[i].key, strlen(bad[i].key)), bad[i].want,
		    "bad key %zu refused: %s", i, apikey_error_words[bad[i].want]);
	/* A NUL inside the key must not pass the alphabet check. */
	is_int(apikey_check("wap_0123456789ABCDEFGHIJ\0L1vLA8v", APIKEY_LEN),
	    APIKEY_ERR_CHARSET, "embedded NUL refused");
}

/* Every single-character change and every adjacent swap is caught. */
static void
test_typos(const char *key)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz";
	char	 k[APIKEY_LEN + 1], c;
	size_t	 i, j, passed = 0, tried = 0;

	for (i = APIKEY_PREFIX_LEN; i < APIKEY_LEN; i++)
		for (j = 0; j < 62; j++) {
			if (digits[j] == key[i])
				continue;
			memcpy(k, key, sizeof(k));
			k[i] = digits[j];
			tried++;
			passed += apikey_check(k, APIKEY_LEN) == APIKEY_OK;
		}
	is_int((long long)passed, 0, "none of %zu one-character changes "
	    "passes the checksum", tried);
	passed = tried = 0;
	for (i = APIKEY_PREFIX_LEN; i + 1 < APIKEY_LEN; i++) {
		if (key[i] == key[i + 1])
			continue;
		memcpy(k, key, sizeof(k));
		c = k[i];
		k[i] = k[i + 1];
		k[i + 1] = c;
		tried++;
		passed += apikey_check(k, APIKEY_LEN) == APIKEY_OK;
	}
	is_int((long long)passed, 0, "none of %zu adjacent swaps passes", tried);
}

/*
 * NKEYS fresh keys: all valid, all different, and every base62 digit
 * about equally frequent in the random part (a bias such as byte % 62
 * without rejection would show up as a chi-square far above 61).
 */
static void
test_generate(void)
{
	static char	 keys[NKEYS][APIKEY_LEN + 1];
	const char	*digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz";
	long		 count[62] = { 0 };
	double		 expect, chi = 0;
	size_t		 i, j, valid = 0, dup = 0;

	for (i = 0; i < NKEYS; i++) {
		if (apikey_generate(keys[i]) != 0)
			break;
		valid += strlen(keys[i]) == APIKEY_LEN &&
		    apikey_check(keys[i], APIKEY_LEN) == APIKEY_OK;
		for (j = APIKEY_PREFIX_LEN; j < APIKEY_PREFIX_LEN +
		    APIKEY_RANDOM_LEN; j++)
			count[strchr(digits, keys[i][j]) - digits]++;
	}
	is_int((long long)valid, NKEYS, "%d generated keys are valid", NKEYS);
	for (i = 0; i < NKEYS; i++)
		for (j = i + 1; j < NKEYS; j++)
			dup += strcmp(keys[i], keys[j]) == 0;
	is_int((long long)dup, 0, "no two of them are equal");
	expect = (double)NKEYS * APIKEY_RANDOM_LEN / 62;
	for (i = 0; i < 62; i++)
		chi += (count[i] - expect) * (count[i] - expect) / expect;
	ok(chi < 150, "digits evenly spread (chi-square %.1f, 61 degrees of "
	    "freedom; 150 is far past p = 1e-8)", chi);
	test_typos(keys[0]);
}

int
main(void)
{
	test_known();
	test_generate();
	return done_testing();
}
