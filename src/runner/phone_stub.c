/* phone_stub.c: TEMPORARY stand-in for the phone helper's libphonenumber shim (src/core/phone.cc), deleted once main has it. */
#include <string.h>

#include "core/nls.h"
#include "core/phone.h"

static const char *const stub_codes[PHONE_WHY__MAX] = {
	[PHONE_OK] = "ok", [PHONE_EMPTY] = "empty",
	[PHONE_NOT_NUMBER] = "not-a-number", [PHONE_BAD_COUNTRY] = "bad-country",
	[PHONE_TOO_SHORT] = "too-short", [PHONE_TOO_LONG] = "too-long",
	[PHONE_INVALID_FOR_REGION] = "invalid-for-region",
	[PHONE_NOT_MOBILE] = "not-mobile",
};

static const char *
stub_cc(const char *region)
{
	static const char *const map[][2] = { { "ID", "62" }, { "US", "1" },
	    { "IN", "91" }, { "BR", "55" }, { "DE", "49" }, { "SG", "65" },
	    { "MY", "60" }, { "GB", "44" } };
	size_t	 i;

	for (i = 0; region != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], region) == 0)
			return map[i][1];
	return NULL;
}

/* Digits of s[0..n) with cc in front as the forms say; a PHONE_ code. */
static enum phone_why
stub_digits(const char *s, size_t n, const char *cc, char *d, size_t max)
{
	size_t	 i, k = 0;
	int	 plus = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (k + 4 >= max)
				return PHONE_TOO_LONG;
			d[k++] = s[i];
		} else if (s[i] == '+' && k == 0)
			plus = 1;
		else if (strchr(" .-()'", s[i]) == NULL)
			return PHONE_NOT_NUMBER;
	}
	d[k] = '\0';
	if (k == 0)
		return PHONE_NOT_NUMBER;
	if (!plus && d[0] == '0' && d[1] == '0')
		memmove(d, d + 2, k - 1);
	else if (!plus && d[0] == '0') {
		memmove(d + strlen(cc), d + 1, k);
		memcpy(d, cc, strlen(cc));
	} else if (!plus && strncmp(d, cc, strlen(cc)) != 0) {
		memmove(d + strlen(cc), d, k + 1);
		memcpy(d, cc, strlen(cc));
	}
	return PHONE_OK;
}

int
phone_parse(const char *s, size_t n, const char *region, int flags,
    char out[PHONE_E164_MAX + 1], enum phone_why *why)
{
	const char	*cc = stub_cc(region);
	char		 d[80];

	out[0] = '\0';
	while (n > 0 && (*s == ' ' || *s == '\'')) {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		*why = PHONE_EMPTY;
	else if (cc == NULL)
		*why = PHONE_BAD_COUNTRY;
	else if ((*why = stub_digits(s, n, cc, d, sizeof(d))) != PHONE_OK)
		;
	else if (strlen(d) < 8)
		*why = PHONE_TOO_SHORT;
	else if (strlen(d) > 15)
		*why = PHONE_TOO_LONG;
	else if ((flags & PHONE_MOBILE) && strncmp(d, "62", 2) == 0 &&
	    d[2] != '8')
		*why = PHONE_NOT_MOBILE;
	else {
		out[0] = '+';
		memcpy(out + 1, d, strlen(d) + 1);
	}
	return *why == PHONE_OK ? 0 : -1;
}

const char *
phone_why_text(enum phone_why w)
{
	(void)w;
	return "The phone number is not valid.";
}

const char *
phone_why_code(enum phone_why w)
{
	return w < PHONE_WHY__MAX ? stub_codes[w] : "";
}

int
phone_region_ok(const char *region)
{
	return stub_cc(region) != NULL;
}
