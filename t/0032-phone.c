/* 0032-phone: phone_parse over local forms of ID, IN, BR, DE and US numbers, each to its E.164 form or its reason. */
#include <string.h>

#include "core/phone.h"
#include "tap.h"

#define M	PHONE_MOBILE

struct pcase {
	const char	*region;	/* NULL: international forms only */
	int		 flags;
	const char	*in;
	const char	*want;		/* E.164, or the reason's code */
};

static const struct pcase cases[] = {
	/* Indonesia: every form of one mobile number. */
	{ "ID", M, "0812-3456-7890", "+6281234567890" },
	{ "ID", M, "0812 3456 7890", "+6281234567890" },
	{ "ID", M, "0812.3456.7890", "+6281234567890" },
	{ "ID", M, "(0812) 3456-7890", "+6281234567890" },
	{ "ID", M, "081234567890", "+6281234567890" },
	{ "ID", M, "62 812 3456 7890", "+6281234567890" },
	{ "ID", M, "6281234567890", "+6281234567890" },
	{ "ID", M, "+62 (812) 3456-7890", "+6281234567890" },
	{ "ID", M, "(+62) 812 3456 7890", "+6281234567890" },
	{ "ID", M, "00 62 812 3456 7890", "+6281234567890" },
	{ "ID", M, "0062812 3456 7890", "+6281234567890" },
	{ "ID", M, "'081234567890", "+6281234567890" },
	{ "ID", M, "'+6281234567890", "+6281234567890" },
	{ "ID", M, "  0812 3456 7890  ", "+6281234567890" },
	{ "ID", M, "+62 0812 3456 7890", "+6281234567890" },
	{ "ID", M, "+62 (0)812 3456 7890", "+6281234567890" },
	{ "ID", M, "0812\xc2\xa0" "3456\xc2\xa0" "7890", "+6281234567890" },
	{ "ID", M, "\xef\xbc\x90\xef\xbc\x98\xef\xbc\x91\xef\xbc\x92"
	    "\xe3\x80\x80\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96"
	    "\xef\xbc\x8d\xef\xbc\x97\xef\xbc\x98\xef\xbc\x99\xef\xbc\x90",
	    "+6281234567890" },
	{ "ID", M, "0812\xe2\x80\x93" "3456\xe2\x80\x93" "7890",
	    "+6281234567890" },
	{ "ID", 0, "(021) 5550 1234", "+622155501234" },
	{ "ID", M, "(021) 5550 1234", "not-mobile" },
	{ "ID", M, "0812", "too-short" },
	{ "ID", M, "0812 3456 7890 1234 5", "too-long" },
	{ "ID", M, "+62 812 CALL NOW", "not-a-number" },
	{ "ID", M, "0812' OR 1=1--", "not-a-number" },
	{ "ID", M, "<script>0812</script>", "not-a-number" },
	{ "ID", M, "+62+812 3456 7890", "not-a-number" },
	{ "ID", M, "0812 3456 7890 ext. 12", "not-a-number" },
	{ "ID", M, "", "empty" },
	{ "ID", M, "   ", "empty" },
	{ "ID", M, "+", "not-a-number" },
	{ "ID", M, "+999 1234 5678", "bad-country" },
	{ "ID", M, "+62 812", "too-short" },
	{ "ID", M, "+1234567890123456", "too-long" },
	{ "XX", M, "0812 3456 7890", "bad-country" },
	{ "XX", M, "+62 812 3456 7890", "+6281234567890" },
	{ NULL, M, "0812 3456 7890", "bad-country" },
	{ NULL, M, "+62 812-3456-7890", "+6281234567890" },
	{ NULL, M, "0062 812 3456 7890", "+6281234567890" },

	/* India. */
	{ "IN", M, "98765 43210", "+919876543210" },
	{ "IN", M, "098765 43210", "+919876543210" },
	{ "IN", M, "+91 98765-43210", "+919876543210" },
	{ "IN", M, "0091 98765 43210", "+919876543210" },
	{ "IN", M, "919876543210", "+919876543210" },
	{ "IN", M, "'9876543210", "+919876543210" },
	{ "IN", 0, "011 2345 6789", "+911123456789" },
	{ "IN", M, "011 2345 6789", "not-mobile" },
	{ "IN", M, "98765 4321", "invalid-for-region" },

	/* Brazil. */
	{ "BR", M, "(11) 91234-5678", "+5511912345678" },
	{ "BR", M, "11 9 1234 5678", "+5511912345678" },
	{ "BR", M, "+55 11 91234-5678", "+5511912345678" },
	{ "BR", M, "0055 11 91234 5678", "+5511912345678" },
	{ "BR", M, "011 91234-5678", "+5511912345678" },
	{ "BR", 0, "(11) 3456-7890", "+551134567890" },
	{ "BR", M, "(11) 3456-7890", "not-mobile" },

	/* Germany: trunk zeros, a landline with and without PHONE_MOBILE. */
	{ "DE", M, "0151 23456789", "+4915123456789" },
	{ "DE", M, "+49 151 23456789", "+4915123456789" },
	{ "DE", M, "+49 (0)151 23456789", "+4915123456789" },
	{ "DE", M, "0049 151 2345 6789", "+4915123456789" },
	/* National first: 0491 is Leer's area code, so this is Leer's. */
	{ "DE", 0, "4915123456789", "+494915123456789" },
	{ "DE", 0, "030 12345678", "+493012345678" },
	{ "DE", 0, "+49 (0)30 12345678", "+493012345678" },
	{ "DE", M, "030 12345678", "not-mobile" },
	{ "DE", M, "0180 1234567", "not-mobile" },

	/* United States. */
	{ "US", M, "(201) 555-0123", "+12015550123" },
	{ "US", M, "201.555.0123", "+12015550123" },
	{ "US", M, "1 201 555 0123", "+12015550123" },
	{ "US", M, "+1 (201) 555-0123", "+12015550123" },
	{ "US", M, "011 49 151 23456789", "+4915123456789" },
	{ "US", M, "(800) 234-5678", "not-mobile" },
	{ "US", 0, "(800) 234-5678", "+18002345678" },
	{ "US", M, "1-800-FLOWERS", "not-a-number" },
	{ "US", M, "201 555 012", "too-short" },
	{ "US", M, "(201) 555-01234", "too-long" },
	{ "US", M, "(123) 555-0123", "invalid-for-region" },

	/* Another country's number typed with the + under ID. */
	{ "ID", M, "+44 7911 123456", "+447911123456" },
	{ "ID", M, "+44 (0)7911 123456", "+447911123456" },
};

/*
 * The table of the rules before libphonenumber (t/0031 had it), read in
 * Indonesia, any kind of number: where the answer changed it is rightly
 * different (docs/validation.md: bare digits, no-break spaces, tabs and
 * slashes are read now; lengths are the country's, not 8 to 15).
 */
static const struct {
	const char	*desc;
	const char	*in;
	size_t		 n;		/* 0: strlen(in) */
	const char	*want;
} old_cases[] = {
	{ "international, dashes", "+62 812-3456-7890", 0, "+6281234567890" },
	{ "international, brackets", "+62 (812) 3456 7890", 0, "+6281234567890" },
	{ "00 prefix", "0062812 3456 7890", 0, "+6281234567890" },
	{ "national with trunk 0", "0812 3456 7890", 0, "+6281234567890" },
	{ "national, dots", "0812.3456.7890", 0, "+6281234567890" },
	{ "national, brackets", "(0812) 3456-7890", 0, "+6281234567890" },
	{ "national, no separators", "081234567890", 0, "+6281234567890" },
	{ "+62 then trunk 0 dropped", "+62 0812 3456 7890", 0, "+6281234567890" },
	{ "+62 (0) notation", "+62 (0)812 3456 7890", 0, "+6281234567890" },
	{ "0062 then trunk 0", "0062 0812 3456 7890", 0, "+6281234567890" },
	{ "bracketed +62", "(+62) 812 3456 7890", 0, "+6281234567890" },
	{ "spaces around", " +62 812 3456 7890 ", 0, "+6281234567890" },
	{ "Jakarta landline", "(021) 5550 1234", 0, "+622155501234" },
	{ "USA", "+1 (415) 555-2671", 0, "+14155552671" },
	{ "USA, 1- form", "+1-800-555-0199", 0, "+18005550199" },
	{ "UK", "+44 20 7946 0958", 0, "+442079460958" },
	{ "UK (0) notation", "+44 (0)20 7946 0958", 0, "+442079460958" },
	{ "UK 0044 (0)", "0044 (0)20 7946 0958", 0, "+442079460958" },
	{ "Germany (0)", "+49 (0)30 1234567", 0, "+49301234567" },
	{ "Italy keeps its 0", "+39 06 6982 1234", 0, "+390669821234" },
	{ "Italy (0) keeps its 0", "+39 (0)6 6982 1234", 0, "+390669821234" },
	{ "Cote d'Ivoire", "+225 07 07 12 34 56", 0, "+2250707123456" },
	{ "Australia mobile", "+61 4 1234 5678", 0, "+61412345678" },
	{ "China mobile", "+86 138 0013 8000", 0, "+8613800138000" },
	{ "India", "+91 98765 43210", 0, "+919876543210" },
	{ "Singapore, 8 digits after cc", "+65 6123 4567", 0, "+6561234567" },
	{ "8 digits total", "+12345678", 0, "too-short" },
	{ "15 digits total", "+123456789012345", 0, "too-long" },
	{ "empty is allowed", "", 0, "empty" },
	{ "only spaces is empty", " ", 0, "empty" },
	{ "7 digits total", "+1234567", 0, "too-short" },
	{ "16 digits total", "+1234567890123456", 0, "too-long" },
	{ "national too long", "0812 3456 7890 1234", 0, "too-long" },
	{ "too short", "+62 812", 0, "too-short" },
	{ "national too short", "0812", 0, "too-short" },
	{ "plus alone", "+", 0, "not-a-number" },
	{ "brackets alone", "()", 0, "empty" },
	{ "dash alone", "-", 0, "empty" },
	{ "00 alone", "00", 0, "too-short" },
	{ "+0", "+0 812 3456 7890", 0, "bad-country" },
	{ "000", "000 812 3456 7890", 0, "bad-country" },
	{ "two zeros after +62", "+62 00812 3456 7890", 0, "invalid-for-region" },
	{ "national 0 then +62-style 0", "0062 0 0812 3456 7890", 0, "invalid-for-region" },
	{ "(0) then a typed trunk 0", "+62 (0)0812 3456 7890", 0, "invalid-for-region" },
	{ "(0) right after +", "+(0)812 3456 7890", 0, "bad-country" },
	{ "bare cc digits", "62 812 3456 7890", 0, "+6281234567890" },
	{ "bare national digits", "812 3456 7890", 0, "+6281234567890" },
	{ "letters", "+62 812 CALL NOW", 0, "not-a-number" },
	{ "vanity number", "1-800-FLOWERS", 0, "not-a-number" },
	{ "extension", "+62 21 5550 1234 ext. 12", 0, "not-a-number" },
	{ "x extension", "+62 21 5550 1234 x12", 0, "not-a-number" },
	{ "double plus", "++62 812 3456 7890", 0, "not-a-number" },
	{ "plus in the middle", "+62+812 3456 7890", 0, "not-a-number" },
	{ "plus after digits", "0812+3456", 0, "not-a-number" },
	{ "slash", "+62/812/3456/7890", 0, "+6281234567890" },
	{ "tab", "+62\t812 3456 7890", 0, "+6281234567890" },
	{ "LF", "+62 812\n3456 7890", 0, "not-a-number" },
	{ "NUL", "+62 812\0 3456 7890", 18, "not-a-number" },
	{ "no-break space", "+62\xc2\xa0" "812 3456 7890", 0, "+6281234567890" },
	{ "full-width digits", "\xef\xbc\x90\xef\xbc\x98\xef\xbc\x91\xef\xbc" "\x92", 0, "too-short" },
	{ "Arabic-Indic digits", "\xd9\xa0\xd9\xa8", 0, "not-a-number" },
	{ "script tag", "<script>alert(1)</script>", 0, "not-a-number" },
	{ "SQL", "0812' OR 1=1--", 0, "not-a-number" },
	{ "tel: URI", "tel:+6281234567890", 0, "not-a-number" },
};

/* The old table: every case in ID, flags 0. */
static void
test_old_table(void)
{
	char		 out[PHONE_E164_MAX + 1];
	enum phone_why	 why;
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < sizeof(old_cases) / sizeof(old_cases[0]); i++) {
		n = old_cases[i].n ? old_cases[i].n : strlen(old_cases[i].in);
		rc = phone_parse(old_cases[i].in, n, "ID", 0, out, &why);
		is_str(rc == 0 ? out : phone_why_code(why), old_cases[i].want,
		    "old table: %s", old_cases[i].desc);
	}
}

/* 256 bytes of input (separators count) are read, one more is too long. */
static void
test_input_limit(void)
{
	char		 in[300], out[PHONE_E164_MAX + 1];
	enum phone_why	 why;
	size_t		 n = 256 - 14;

	memset(in, '-', n);
	memcpy(in + n, "0812 3456 7890", 14);
	n += 14;
	is_int(phone_parse(in, n, "ID", 0, out, &why), 0, "256 bytes read");
	is_str(out, "+6281234567890", "... separators dropped");
	in[n] = ' ';
	is_int(phone_parse(in, n + 1, "ID", 0, out, &why), -1,
	    "257 bytes refused");
	is_str(phone_why_code(why), "too-long", "... too long");
}

int
main(void)
{
	char		 out[PHONE_E164_MAX + 1];
	enum phone_why	 why, w;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = phone_parse(cases[i].in, strlen(cases[i].in),
		    cases[i].region, cases[i].flags, out, &why);
		is_str(rc == 0 ? out : phone_why_code(why), cases[i].want,
		    "%s%s %s", cases[i].region ? cases[i].region : "-",
		    cases[i].flags ? " mobile" : "", cases[i].in);
		ok((rc == 0) == (why == PHONE_OK) && (rc == 0 || *out == '\0'),
		    "... rc, why and out agree");
	}
	rc = phone_parse("0812\0" "3456", 9, "ID", 0, out, &why);
	is_str(phone_why_code(why), "not-a-number", "NUL inside");
	rc = phone_parse("0812\xff" "34567890", 13, "ID", 0, out, &why);
	is_str(phone_why_code(why), "not-a-number", "invalid UTF-8");
	is_int(phone_parse(NULL, 0, "ID", 0, out, NULL), -1, "NULL, 0: -1");
	ok(phone_region_ok("ID") && phone_region_ok("DE") &&
	    !phone_region_ok("XX") && !phone_region_ok("id") &&
	    !phone_region_ok("") && !phone_region_ok(NULL) &&
	    !phone_region_ok("IDN"), "phone_region_ok");
	for (w = 0; w < PHONE_WHY__MAX; w++)
		ok(phone_why_code(w)[0] != '\0' &&
		    (w == PHONE_OK) == (phone_why_text(w)[0] == '\0'),
		    "reason %d has a code and a text", (int)w);
	test_old_table();
	test_input_limit();
	return done_testing();
}
