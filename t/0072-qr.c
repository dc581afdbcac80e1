/* 0072-qr: QR codes as SVG: shape, escaping, limits, and that the text is not in the output. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "portal/qr.h"
#include "tap.h"

int
main(void)
{
	struct buf	 b = BUF_INIT;
	const char	*v = "2@abcDEF123+/=,secret-qr-value,AbCdEfGh==,1";
	char		*big;

	is_int(qr_svg(&b, v, "Scan <me> & \"link\""), 0, "a WhatsApp-like value encodes");
	ok(strncmp(buf_str(&b), "<svg class=\"qr\"", 15) == 0, "an <svg> element");
	ok(strstr(buf_str(&b), "viewBox=\"0 0 ") != NULL, "with a viewBox");
	ok(strstr(buf_str(&b), "<title>Scan &lt;me&gt; &amp; &quot;link&quot;</title>")
	    != NULL, "the title is escaped");
	ok(strstr(buf_str(&b), "secret-qr-value") == NULL,
	    "the encoded text itself is not in the markup");
	ok(strstr(buf_str(&b), "style") == NULL, "no style attribute (strict CSP)");
	ok(strstr(buf_str(&b), "M4 4h7v1h-7z") != NULL,
	    "the top-left finder pattern starts at the quiet zone");
	ok(strcmp(buf_str(&b) + b.len - 6, "</svg>") == 0, "closed");
	buf_reset(&b);
	is_int(qr_svg(&b, "", "t"), -1, "empty text is refused");
	big = malloc(QR_MAX_INPUT + 2);
	memset(big, 'a', QR_MAX_INPUT + 1);
	big[QR_MAX_INPUT + 1] = '\0';
	is_int(qr_svg(&b, big, "t"), -1, "text over the limit is refused");
	big[QR_MAX_INPUT] = '\0';
	is_int(qr_svg(&b, big, "t"), 0, "text at the limit encodes");
	free(big);
	buf_free(&b);
	return done_testing();
}
