/* apikeygen.c: test tool: print a fresh valid API key and its SHA-256 (hex) on one line. */
#include <stdio.h>
#include <string.h>

#include "core/apikey.h"

int
main(void)
{
	char	 key[APIKEY_LEN + 1], hash[APIKEY_HASH_HEX + 1];

	if (apikey_generate(key) == -1 ||
	    apikey_hash_hex(key, strlen(key), hash) == -1) {
		fprintf(stderr, "apikeygen: cannot make a key\n");
		return 1;
	}
	printf("%s %s\n", key, hash);
	return 0;
}
