/* 0071-hmac: HMAC-SHA512 against RFC 4231's test vectors, and the verifier's refusals. */
#include <string.h>

#include "core/hmac.h"
#include "tap.h"

int
main(void)
{
	char	 hex[HMAC_SHA512_HEX + 1], upper[HMAC_SHA512_HEX + 1];
	char	 key20[21];
	size_t	 i;
	const char *body = "{\"event\":\"message\"}";

	/* RFC 4231 test case 2: key "Jefe". */
	is_int(hmac_sha512_hex("Jefe", "what do ya want for nothing?", 28, hex),
	    0, "hmac of test case 2");
	is_str(hex, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7"
	    "ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e07"
	    "0a38bce737", "RFC 4231 case 2");
	/* RFC 4231 test case 1: key 0x0b x 20, data "Hi There". */
	memset(key20, 0x0b, 20);
	key20[20] = '\0';
	hmac_sha512_hex(key20, "Hi There", 8, hex);
	is_str(hex, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545"
	    "e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c20"
	    "3a126854", "RFC 4231 case 1");

	hmac_sha512_hex("secret", body, strlen(body), hex);
	ok(hmac_sha512_verify("secret", body, strlen(body), hex),
	    "the right signature verifies");
	for (i = 0; i <= HMAC_SHA512_HEX; i++)
		upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ?
		    hex[i] - 32 : hex[i]);
	ok(hmac_sha512_verify("secret", body, strlen(body), upper),
	    "upper-case hex verifies too");
	ok(!hmac_sha512_verify("secreT", body, strlen(body), hex),
	    "another key fails");
	ok(!hmac_sha512_verify("secret", body, strlen(body) - 1, hex),
	    "a changed body fails");
	hex[HMAC_SHA512_HEX - 1] ^= 1;
	ok(!hmac_sha512_verify("secret", body, strlen(body), hex),
	    "one changed digit fails");
	hex[HMAC_SHA512_HEX - 1] = '\0';
	ok(!hmac_sha512_verify("secret", body, strlen(body), hex),
	    "a short signature fails");
	ok(!hmac_sha512_verify("secret", body, strlen(body), ""),
	    "an empty signature fails");
	ok(!hmac_sha512_verify("secret", body, strlen(body), NULL),
	    "a missing signature fails");
	return done_testing();
}
