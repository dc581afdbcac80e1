/* 0012-password: argon2id hashes, verification, the rehash rule and the length rule. */
#include <string.h>

#include "core/password.h"
#include "tap.h"

static const struct {
	const char	*pw;
	int		 ok;
	const char	*what;
} lengths[] = {
	{ "1234567", 0, "7 characters" },
	{ "12345678", 1, "8 characters" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 0,
	    "7 two-byte characters (14 bytes)" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 1,
	    "8 two-byte characters" },
	{ "abc\xff" "defgh", 0, "invalid UTF-8" },
	{ "", 0, "empty" },
};

int
main(void)
{
	struct password_params	 pp = { 2, 19456, 1 }, stronger = { 3, 19456, 1 };
	struct password_params	 more_mem = { 2, 32768, 1 };
	char			 enc[PASSWORD_ENCODED_MAX], enc2[PASSWORD_ENCODED_MAX];
	char			 big[1100 * 4 + 1];
	size_t			 i;

	is_int(password_hash(&pp, "hunter2 hunter2", 15, enc), 0, "hash");
	ok(strncmp(enc, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0,
	    "PHC string with the OWASP parameters: %s", enc);
	ok(password_verify(enc, "hunter2 hunter2", 15), "the right password verifies");
	ok(!password_verify(enc, "hunter2 hunter3", 15), "a wrong one does not");
	ok(!password_verify(enc, "hunter2 hunter2", 14), "nor a prefix");
	ok(!password_verify("$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
	    "x", 1), "only argon2id is accepted");
	ok(!password_verify("garbage", "x", 1), "garbage never verifies");
	is_int(password_hash(&pp, "hunter2 hunter2", 15, enc2), 0, "hash again");
	ok(strcmp(enc, enc2) != 0, "a new salt every time");
	is_int(password_needs_rehash(&pp, enc), 0, "same parameters: no rehash");
	is_int(password_needs_rehash(&stronger, enc), 1, "more passes: rehash");
	is_int(password_needs_rehash(&more_mem, enc), 1, "more memory: rehash");
	is_int(password_needs_rehash(&pp, "$2y$10$abc"), 1, "bcrypt: rehash");
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
		is_int(password_length_ok(lengths[i].pw, strlen(lengths[i].pw)),
		    lengths[i].ok, "length rule: %s", lengths[i].what);
	memset(big, 'a', 1024);
	is_int(password_length_ok(big, 1024), 1, "1024 characters");
	memset(big, 'a', 1025);
	is_int(password_length_ok(big, 1025), 0, "1025 characters");
	memcpy(big, "secret", 6);
	password_wipe(big, 6);
	ok(memcmp(big, "\0\0\0\0\0\0", 6) == 0, "wipe zeroes the bytes");
	return done_testing();
}
