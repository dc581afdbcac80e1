/* image_jpeg.c: a JPEG walked marker by marker before decoding: frame size, EXIF orientation, scans. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "image.h"
#include "image_priv.h"

/* A JPEG walked marker by marker. */
struct jpeg_walk {
	const unsigned char	*p;
	size_t			 n;
	size_t			 pos;
	struct image_head	*h;
	int			 sof;	/* the frame header has been read */
};

#define JPEG_END	(-1)	/* the buffer ended where a marker was due */
#define JPEG_JUNK	(-2)	/* something other than a marker was there */

static uint32_t
tiff16(const unsigned char *p, int le)
{

	return le ? le16(p) : be16(p);
}

/*
 * Return the orientation (1..8) in the EXIF APP1 payload s, or 1 if there
 * is none or the TIFF structure around it is out of bounds.
 */
static int
exif_orientation(const unsigned char *s, size_t n)
{
	size_t		 ifd, off, cnt, i;
	uint32_t	 v;
	int		 le;

	if (n < 6 + 8 || memcmp(s, "Exif\0\0", 6) != 0)
		return 1;
	s += 6;
	n -= 6;
	if (memcmp(s, "II*\0", 4) == 0)
		le = 1;
	else if (memcmp(s, "MM\0*", 4) == 0)
		le = 0;
	else
		return 1;
	ifd = le ? le32(s + 4) : be32(s + 4);
	if (ifd >= n || n - ifd < 2)
		return 1;
	cnt = tiff16(s + ifd, le);
	for (i = 0; i < cnt; i++) {
		off = ifd + 2 + i * 12;
		if (off > n || n - off < 12)
			return 1;
		if (tiff16(s + off, le) != 0x0112)
			continue;
		v = tiff16(s + off + 8, le);
		return tiff16(s + off + 2, le) == 3 && v >= 1 && v <= 8 ?
		    (int)v : 1;
	}
	return 1;
}

/* The buffer ended early: a header cut short (415) or data cut short (400). */
static enum image_err
jpeg_short(const struct jpeg_walk *w)
{

	return w->sof ? IMAGE_ECORRUPT : IMAGE_ETYPE;
}

/* Return the marker code at w->pos and step past it, JPEG_END or JPEG_JUNK. */
static int
jpeg_marker(struct jpeg_walk *w)
{

	if (w->pos >= w->n)
		return JPEG_END;
	if (w->p[w->pos] != 0xff)
		return JPEG_JUNK;
	while (w->pos < w->n && w->p[w->pos] == 0xff)
		w->pos++;		/* fill bytes */
	if (w->pos >= w->n)
		return JPEG_END;
	if (w->p[w->pos] == 0x00)
		return JPEG_JUNK;
	return w->p[w->pos++];
}

/* Step over the segment at w->pos; its payload goes to *seg and *len. */
static enum image_err
jpeg_segment(struct jpeg_walk *w, const unsigned char **seg, size_t *len)
{
	size_t	 l;

	if (w->n - w->pos < 2)
		return jpeg_short(w);
	if ((l = be16(w->p + w->pos)) < 2)
		return IMAGE_ECORRUPT;
	if (w->n - w->pos < l)
		return jpeg_short(w);
	*seg = w->p + w->pos + 2;
	*len = l - 2;
	w->pos += l;
	return IMAGE_OK;
}

/*
 * Step over entropy-coded data to the next real marker, past stuffed
 * 0xff00 bytes and RST0..RST7; data that runs to the end is truncated.
 */
static enum image_err
jpeg_entropy(struct jpeg_walk *w)
{
	const unsigned char	*q;
	size_t			 i = w->pos;

	while ((q = memchr(w->p + i, 0xff, w->n - i)) != NULL) {
		i = q - w->p;
		if (i + 1 >= w->n)
			break;
		if (q[1] != 0x00 && q[1] != 0xff &&
		    (q[1] < 0xd0 || q[1] > 0xd7)) {
			w->pos = i;
			return IMAGE_OK;
		}
		i++;
	}
	return IMAGE_ECORRUPT;
}

/* Read a frame header; only the types libjpeg decodes are accepted. */
static enum image_err
jpeg_sof(struct jpeg_walk *w, int m)
{
	const unsigned char	*s;
	size_t			 len;
	enum image_err		 e;

	if (w->sof)
		return IMAGE_ECORRUPT;
	if ((e = jpeg_segment(w, &s, &len)) != IMAGE_OK)
		return e;
	if (len < 6)
		return IMAGE_ECORRUPT;
	if (m != 0xc0 && m != 0xc1 && m != 0xc2 && m != 0xc9 && m != 0xca)
		return IMAGE_ETYPE;	/* lossless, hierarchical */
	w->h->h = be16(s + 1);
	w->h->w = be16(s + 3);
	w->sof = 1;
	return IMAGE_OK;
}

/* Handle the marker m just read: a scan, a frame header or a segment. */
static enum image_err
jpeg_do(struct jpeg_walk *w, int m)
{
	const unsigned char	*s;
	size_t			 len;
	enum image_err		 e;

	if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
		return IMAGE_OK;	/* TEM, RSTn: no payload */
	if (m < 0xc0 || m == 0xd8)
		return IMAGE_ECORRUPT;	/* reserved, second SOI */
	if (m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
		return jpeg_sof(w, m);
	if (m == 0xda && !w->sof)
		return IMAGE_ECORRUPT;
	if ((e = jpeg_segment(w, &s, &len)) != IMAGE_OK)
		return e;
	if (m == 0xda) {
		if (++w->h->scans > IMAGE_MAX_JPEG_SCANS)
			return IMAGE_ESCANS;
		return jpeg_entropy(w);
	}
	if (m == 0xe1 && !w->sof && w->h->orient == 0)
		w->h->orient = exif_orientation(s, len);
	return IMAGE_OK;
}

/*
 * Walk a JPEG from SOI to EOI as libjpeg does, skipping segments by their
 * lengths and scans to their next marker. It reads the frame size and the
 * EXIF orientation, counts scans, and needs an EOI after at least one
 * scan, so a file cut short is refused rather than decoded half grey.
 */
enum image_err
image_jpeg_probe(const unsigned char *p, size_t n, struct image_head *h)
{
	struct jpeg_walk	 w = { p, n, 2, h, 0 };
	enum image_err		 e;
	int			 m;

	for (;;) {
		if ((m = jpeg_marker(&w)) == JPEG_END)
			return jpeg_short(&w);
		if (m == JPEG_JUNK)
			return IMAGE_ECORRUPT;
		if (m == 0xd9)
			return w.sof && h->scans > 0 ? IMAGE_OK :
			    IMAGE_ECORRUPT;
		if ((e = jpeg_do(&w, m)) != IMAGE_OK)
			return e;
	}
}
