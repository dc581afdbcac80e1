/* qrsvg: print the SVG qr_svg makes for TEXT, so a test can scan it back with zbarimg. */
#include <stdio.h>

#include "core/buf.h"
#include "portal/qr.h"

int
main(int argc, char *argv[])
{
	struct buf	 b = BUF_INIT;

	if (argc != 2) {
		fprintf(stderr, "usage: qrsvg TEXT\n");
		return 2;
	}
	if (qr_svg(&b, argv[1], "QR") == -1)
		return 1;
	puts(buf_str(&b));
	buf_free(&b);
	return 0;
}
