/* qr.h: a QR code as inline SVG (libqrencode), for the instance linking page. */
#ifndef WA_QR_H
#define WA_QR_H

struct buf;

#define QR_MAX_INPUT	2048	/* bytes; WhatsApp's QR values are ~250 */

int	qr_svg(struct buf *, const char *text, const char *title);

#endif
