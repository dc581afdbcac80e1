/* qr.c: encode text as a QR code with libqrencode and draw it as one SVG path (no inline style). */
#include <string.h>

#include <qrencode.h>

#include "core/buf.h"
#include "web/html.h"
#include "qr.h"

#define QR_QUIET	4	/* modules of white border, as the standard asks */

/* One "h" run per row of dark modules: a compact path of unit squares. */
static void
qr_path(struct buf *b, const QRcode *q)
{
	int	 x, y, run;

	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; x += run ? run : 1) {
			run = 0;
			while (x + run < q->width &&
			    (q->data[y * q->width + x + run] & 1))
				run++;
			if (run)
				buf_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET,
				    y + QR_QUIET, run, run);
		}
}

/*
 * Append an <svg> of text as a QR code (error correction M, 8-bit
 * mode), with a <title> for screen readers. The title is escaped;
 * the text never appears in the output. Returns 0, or -1 when the
 * text is empty, too long, or cannot be encoded.
 */
int
qr_svg(struct buf *b, const char *text, const char *title)
{
	QRcode	*q;
	size_t	 n = strlen(text);
	int	 side;

	if (n == 0 || n > QR_MAX_INPUT)
		return -1;
	if ((q = QRcode_encodeData((int)n, (const unsigned char *)text, 0,
	    QR_ECLEVEL_M)) == NULL)
		return -1;
	side = q->width + 2 * QR_QUIET;
	buf_printf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" shape-rendering=\"crispEdges\">"
	    "<title>", side, side);
	html_escape(b, title, strlen(title));
	buf_printf(b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", side, side);
	qr_path(b, q);
	buf_puts(b, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
