/* phone.h: phone numbers to E.164 through libphonenumber, with a reason for each number refused. */
#ifndef WA_PHONE_H
#define WA_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHONE_E164_MAX	16	/* '+' and up to 15 digits; buffers are 17 */

enum phone_why {
	PHONE_OK,
	PHONE_EMPTY,
	PHONE_NOT_NUMBER,
	PHONE_BAD_COUNTRY,
	PHONE_TOO_SHORT,
	PHONE_TOO_LONG,
	PHONE_INVALID_FOR_REGION,
	PHONE_NOT_MOBILE,
	PHONE_WHY__MAX
};

#define PHONE_MOBILE	0x1	/* refuse numbers that cannot be mobile */

/*
 * Parse s[0..n) (any form a person writes: national with the trunk 0,
 * "+", "00", separators, a spreadsheet's apostrophe) with the ISO 3166
 * region (e.g. "ID"; NULL: international forms only) and write its
 * E.164 form to out.  Return 0, or -1 with *why set and out "".
 * docs/validation.md has the rules.
 */
int	phone_parse(const char *s, size_t n, const char *region, int flags,
	    char out[PHONE_E164_MAX + 1], enum phone_why *why);

/* English sentence, N_()-marked: shown translated (i18n_tr). */
const char	*phone_why_text(enum phone_why);

/* Stable code for the API: "too-short", "invalid-for-region", ... */
const char	*phone_why_code(enum phone_why);

/*
 * The region (ISO 3166, e.g. "ID") of the E.164 number e164 into out:
 * 0, or -1 (not a number, or no single region: out ""). A calling code
 * shared by several regions (+1, +7, +44...) reads the whole number.
 */
int	phone_region(const char *e164, char out[3]);

/* 1 if libphonenumber knows the region (two upper-case letters). */
int	phone_region_ok(const char *region);

#ifdef __cplusplus
}
#endif

#endif
