/* phone.cc: the extern "C" shim over libphonenumber: any written form of a number to E.164, or the reason it is refused. */
#include <string.h>

#include <list>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

extern "C" {
#include "nls.h"
#include "phone.h"
#include "utf8.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/* Raw input and digits beyond these are too long whatever the country. */
#define PHONE_RAW_MAX		256
#define PHONE_DIGITS_MAX	20

static const char *const phone_texts[PHONE_WHY__MAX] = {
	"",
	N_("Enter a phone number."),
	N_("Use only digits, spaces, dots, dashes, brackets and a leading +."),
	N_("Start with + and a valid country code."),
	N_("The phone number is too short."),
	N_("The phone number is too long."),
	N_("This is not a valid phone number for its country."),
	N_("This is not a mobile number."),
};

static const char *const phone_codes[PHONE_WHY__MAX] = {
	"ok", "empty", "not-a-number", "bad-country", "too-short",
	"too-long", "invalid-for-region", "not-mobile",
};

/* The input's digits (ASCII), whether a '+' came first, and its count. */
struct phone_clean {
	char	 d[PHONE_DIGITS_MAX + 2];
	size_t	 nd;
	int	 plus;
};

/* Separators people and spreadsheets put between digits: ignored. */
static int
phone_separator(unsigned long c)
{
	switch (c) {
	case ' ': case '\t': case '-': case '.': case '(': case ')':
	case '/': case 0xa0: case 0x202f: case 0x205f: case 0x2060:
	case 0x2212: case 0x3000: case 0xfeff: case 0xff08: case 0xff09:
	case 0xff0d: case 0xff0e: case 0xff0f:
		return 1;
	}
	return (c >= 0x2000 && c <= 0x200b) || (c >= 0x2010 && c <= 0x2015);
}

/* The ASCII digit of an ASCII or full-width digit, else -1. */
static int
phone_digit(unsigned long c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xff10 && c <= 0xff19)
		return (int)(c - 0xff10);
	return -1;
}

/* One code point into pc: a digit, the leading plus, a separator. */
static enum phone_why
phone_take(struct phone_clean *pc, unsigned long c, int first)
{
	int	 dg;

	if ((dg = phone_digit(c)) >= 0) {
		if (pc->nd >= PHONE_DIGITS_MAX)
			return PHONE_TOO_LONG;
		pc->d[pc->nd++] = (char)('0' + dg);
		return PHONE_OK;
	}
	if ((c == '+' || c == 0xff0b) && pc->nd == 0 && !pc->plus) {
		pc->plus = 1;
		return PHONE_OK;
	}
	if ((c == '\'' || c == 0x2019) && first)
		return PHONE_OK;
	return phone_separator(c) ? PHONE_OK : PHONE_NOT_NUMBER;
}

/* Reduce s[0..n) to a '+' and digits; EMPTY when nothing is there. */
static enum phone_why
phone_tidy(const char *s, size_t n, struct phone_clean *pc)
{
	enum phone_why	 e;
	size_t		 i, len;
	unsigned long	 c;
	int		 first = 1;

	pc->nd = 0;
	pc->plus = 0;
	if (n > PHONE_RAW_MAX)
		return PHONE_TOO_LONG;
	if (n > 0 && (memchr(s, '\0', n) != NULL || !utf8_valid(s, n)))
		return PHONE_NOT_NUMBER;
	for (i = 0; i < n; i += len) {
		c = utf8_decode(s + i, &len);
		if ((e = phone_take(pc, c, first)) != PHONE_OK)
			return e;
		if (c != ' ' && c != '\t' && c != 0xa0 && c != 0x3000)
			first = 0;
	}
	pc->d[pc->nd] = '\0';
	if (pc->nd == 0)
		return pc->plus ? PHONE_NOT_NUMBER : PHONE_EMPTY;
	return PHONE_OK;
}

static enum phone_why
phone_parse_error(PhoneNumberUtil::ErrorType e)
{
	switch (e) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		return PHONE_BAD_COUNTRY;
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return PHONE_TOO_SHORT;
	case PhoneNumberUtil::TOO_LONG_NSN:
		return PHONE_TOO_LONG;
	default:
		return PHONE_NOT_NUMBER;
	}
}

/* Why a parsed number is not valid: its length, else its digits. */
static enum phone_why
phone_invalid(const PhoneNumberUtil *u, const PhoneNumber &pn)
{
	switch (u->IsPossibleNumberWithReason(pn)) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return PHONE_BAD_COUNTRY;
	case PhoneNumberUtil::TOO_SHORT:
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return PHONE_TOO_SHORT;
	case PhoneNumberUtil::TOO_LONG:
		return PHONE_TOO_LONG;
	default:
		return PHONE_INVALID_FOR_REGION;
	}
}

/* One reading of the digits: num ("+..." or national) with region. */
static enum phone_why
phone_reading(const PhoneNumberUtil *u, const std::string &num,
    const char *region, PhoneNumber *pn)
{
	PhoneNumberUtil::ErrorType	 e;

	pn->Clear();
	e = u->Parse(num, region != NULL ? region : "ZZ", pn);
	if (e != PhoneNumberUtil::NO_PARSING_ERROR)
		return phone_parse_error(e);
	return u->IsValidNumber(*pn) ? PHONE_OK : phone_invalid(u, *pn);
}

/*
 * The readings of pc in order: "+" as written; "00" as "+" then the
 * region's own international prefix; a national number, then (when it
 * is invalid and starts with the region's country code) the same
 * digits as international.  The first valid one wins, else the reason
 * of the first.
 */
static enum phone_why
phone_read(const PhoneNumberUtil *u, const struct phone_clean *pc,
    const char *region, PhoneNumber *pn)
{
	std::string	 plus("+"), digits(pc->d, pc->nd);
	std::string	 cc;
	enum phone_why	 e;

	if (pc->plus)
		return phone_reading(u, plus + digits, region, pn);
	if (pc->nd > 2 && pc->d[0] == '0' && pc->d[1] == '0') {
		e = phone_reading(u, plus + digits.substr(2), NULL, pn);
		if (e == PHONE_OK || region == NULL ||
		    phone_reading(u, digits, region, pn) != PHONE_OK)
			return e;
		return PHONE_OK;
	}
	if (region == NULL)
		return PHONE_BAD_COUNTRY;
	if ((e = phone_reading(u, digits, region, pn)) == PHONE_OK)
		return e;
	cc = std::to_string(u->GetCountryCodeForRegion(region));
	if (digits.compare(0, cc.size(), cc) == 0 &&
	    phone_reading(u, plus + digits, NULL, pn) == PHONE_OK)
		return PHONE_OK;
	return e;
}

/* Whether a valid number can be a mobile one (for PHONE_MOBILE). */
static int
phone_mobile(const PhoneNumberUtil *u, const PhoneNumber &pn)
{
	switch (u->GetNumberType(pn)) {
	case PhoneNumberUtil::MOBILE:
	case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
	case PhoneNumberUtil::VOIP:
	case PhoneNumberUtil::PERSONAL_NUMBER:
		return 1;
	default:
		return 0;
	}
}

static enum phone_why
phone_parse_cxx(const char *s, size_t n, const char *region, int flags,
    char out[PHONE_E164_MAX + 1])
{
	const PhoneNumberUtil	*u = PhoneNumberUtil::GetInstance();
	struct phone_clean	 pc;
	PhoneNumber		 pn;
	std::string		 e164;
	enum phone_why		 e;

	if ((e = phone_tidy(s, n, &pc)) != PHONE_OK)
		return e;
	if (region != NULL && !phone_region_ok(region))
		region = NULL;
	if ((e = phone_read(u, &pc, region, &pn)) != PHONE_OK)
		return e;
	if ((flags & PHONE_MOBILE) && !phone_mobile(u, pn))
		return PHONE_NOT_MOBILE;
	u->Format(pn, PhoneNumberUtil::E164, &e164);
	if (e164.size() > PHONE_E164_MAX)
		return PHONE_TOO_LONG;
	memcpy(out, e164.c_str(), e164.size() + 1);
	return PHONE_OK;
}

int
phone_parse(const char *s, size_t n, const char *region, int flags,
    char out[PHONE_E164_MAX + 1], enum phone_why *why)
{
	enum phone_why	 e;

	out[0] = '\0';
	try {
		e = phone_parse_cxx(s, n, region, flags, out);
	} catch (...) {
		e = PHONE_NOT_NUMBER;
	}
	if (e != PHONE_OK)
		out[0] = '\0';
	if (why != NULL)
		*why = e;
	return e == PHONE_OK ? 0 : -1;
}

const char *
phone_why_text(enum phone_why e)
{
	return (unsigned)e < PHONE_WHY__MAX ? phone_texts[e] : phone_texts[0];
}

const char *
phone_why_code(enum phone_why e)
{
	return (unsigned)e < PHONE_WHY__MAX ? phone_codes[e] : phone_codes[0];
}

/* phone_region without the exception guard. */
static int
phone_region_cxx(const char *e164, char out[3])
{
	const PhoneNumberUtil	*u = PhoneNumberUtil::GetInstance();
	std::string		 r;
	std::list<std::string>	 all;
	PhoneNumber		 pn;
	int			 i, cc = 0;

	/* the calling codes are prefix-free: the first known is it */
	for (i = 1; i <= 3 && all.empty(); i++) {
		if (e164[i] < '0' || e164[i] > '9')
			return -1;
		cc = cc * 10 + (e164[i] - '0');
		u->GetRegionCodesForCountryCallingCode(cc, &all);
	}
	if (all.size() == 1)
		r = all.front();
	else if (u->Parse(e164, "ZZ", &pn) == PhoneNumberUtil::NO_PARSING_ERROR)
		u->GetRegionCodeForNumber(pn, &r);
	if (r.size() != 2 || r == "ZZ" || r == "001")
		return -1;
	memcpy(out, r.c_str(), 3);
	return 0;
}

int
phone_region(const char *e164, char out[3])
{
	int	 rc;

	out[0] = '\0';
	if (e164 == NULL || e164[0] != '+')
		return -1;
	try {
		rc = phone_region_cxx(e164, out);
	} catch (...) {
		rc = -1;
	}
	if (rc == -1)
		out[0] = '\0';
	return rc;
}

int
phone_region_ok(const char *region)
{
	if (region == NULL || strlen(region) != 2 ||
	    region[0] < 'A' || region[0] > 'Z' ||
	    region[1] < 'A' || region[1] > 'Z')
		return 0;
	try {
		return PhoneNumberUtil::GetInstance()->
		    GetCountryCodeForRegion(region) != 0;
	} catch (...) {
		return 0;
	}
}
