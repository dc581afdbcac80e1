/* image.c: avatar images sniffed and bounded by their headers, then re-encoded with libgd. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>

#include "image.h"
#include "xmalloc.h"

const char *const image_mime[IMAGE__MAX] = {
	[IMAGE_PNG] = "image/png",
	[IMAGE_JPEG] = "image/jpeg",
	[IMAGE_WEBP] = "image/webp",
};

/* Why an image was refused; image_errs gives the status and the sentence. */
enum image_err {
	IMAGE_OK,
	IMAGE_EBYTES,
	IMAGE_EPIXELS,
	IMAGE_ESCANS,
	IMAGE_ETYPE,
	IMAGE_EANIM,
	IMAGE_ECORRUPT,
	IMAGE_EENCODE,
	IMAGE_ERR__MAX
};

static const struct {
	int		 status;
	const char	*msg;
} image_errs[IMAGE_ERR__MAX] = {
	[IMAGE_OK] = { 0, "" },
	[IMAGE_EBYTES] = { 413, "The image is larger than 2 MiB." },
	[IMAGE_EPIXELS] = { 413, "The image is too large: at most 16 megapixels "
	    "and 8192 pixels on a side." },
	[IMAGE_ESCANS] = { 413, "The JPEG image is too complex to process; "
	    "save it again as an ordinary JPEG." },
	[IMAGE_ETYPE] = { 415, "Use a PNG, JPEG or WebP image." },
	[IMAGE_EANIM] = { 415, "Animated images are not supported; "
	    "use a still PNG, JPEG or WebP image." },
	[IMAGE_ECORRUPT] = { 400, "The image is damaged or incomplete." },
	[IMAGE_EENCODE] = { 500, "The image could not be processed." },
};

/* What the header says, read before anything is decoded. */
struct image_head {
	enum image_type	 type;
	uint32_t	 w;
	uint32_t	 h;
	int		 orient;	/* EXIF orientation 1..8, 1 is upright */
	int		 animated;
	unsigned int	 scans;		/* JPEG: SOS markers seen */
};

/* A PNG walked chunk by chunk into a copy holding only what is decoded. */
struct png_walk {
	const unsigned char	*p;
	size_t			 n;
	size_t			 pos;
	unsigned char		*out;	/* xmalloc'd, n + 12 bytes */
	size_t			 len;
	int			 depth;	/* IHDR bit depth */
	int			 ctype;	/* IHDR colour type */
	uint32_t		 plte;	/* palette entries kept */
	int			 trns;	/* a tRNS chunk was kept */
	int			 idat;	/* an IDAT chunk was kept */
};

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

static const unsigned char png_sig[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};
static const unsigned char png_iend[12] = {
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82
};
static uint32_t png_crc_table[256];

/*
 * The eight EXIF orientations as a map from an upright pixel (x, y) of a
 * square with last index e to the stored one: sx = x*xx + y*xy + e*xe,
 * sy = x*yx + y*yy + e*ye.
 */
static const struct {
	int	 xx, xy, xe, yx, yy, ye;
} exif_turn[9] = {
	[1] = { 1, 0, 0, 0, 1, 0 },	/* upright */
	[2] = { -1, 0, 1, 0, 1, 0 },	/* mirrored */
	[3] = { -1, 0, 1, 0, -1, 1 },	/* turned 180 */
	[4] = { 1, 0, 0, 0, -1, 1 },	/* flipped */
	[5] = { 0, 1, 0, 1, 0, 0 },	/* transposed */
	[6] = { 0, 1, 0, -1, 0, 1 },	/* turn 90 clockwise */
	[7] = { 0, -1, 1, -1, 0, 1 },	/* transversed */
	[8] = { 0, -1, 1, 1, 0, 0 },	/* turn 90 anticlockwise */
};

static uint32_t
be16(const unsigned char *p)
{

	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le16(const unsigned char *p)
{

	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le24(const unsigned char *p)
{

	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le32(const unsigned char *p)
{

	return (uint32_t)p[3] << 24 | le24(p);
}

/*
 * libgd's error method: libgd, libpng and libjpeg report through it. Their
 * messages can quote input bytes (chunk names) and a bad upload is the
 * client's problem, so they are dropped; the caller gets a status.
 */
static void
image_gd_quiet(int priority, const char *fmt, va_list ap)
{
}

/* Return 1 if bit depth d is allowed for PNG colour type t. */
static int
png_depth_ok(int t, int d)
{

	switch (t) {
	case 0:
		return d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
	case 3:
		return d == 1 || d == 2 || d == 4 || d == 8;
	case 2:
	case 4:
	case 6:
		return d == 8 || d == 16;
	default:
		return 0;
	}
}

/*
 * Read the PNG IHDR, which must be the first chunk, and check every field
 * (libpng would print a warning for each bad one before failing).
 */
static enum image_err
png_probe(const unsigned char *p, size_t n, struct image_head *h)
{

	if (n < 8 + 8 + 13 + 4)
		return IMAGE_ETYPE;
	if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return IMAGE_ECORRUPT;
	h->w = be32(p + 16);
	h->h = be32(p + 20);
	if (h->w > INT32_MAX || h->h > INT32_MAX ||
	    !png_depth_ok(p[25], p[24]) || p[26] != 0 || p[27] != 0 ||
	    p[28] > 1)
		return IMAGE_ECORRUPT;
	return IMAGE_OK;
}

static void
png_crc_init(void)
{
	uint32_t	 c;
	int		 i, k;

	for (i = 0; i < 256; i++) {
		for (c = i, k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ c >> 1 : c >> 1;
		png_crc_table[i] = c;
	}
}

/* Return the CRC-32 (ISO 3309, as in PNG and zlib) of n bytes at p. */
static uint32_t
png_crc(const unsigned char *p, size_t n)
{
	uint32_t	 c = 0xffffffff;
	size_t		 i;

	if (png_crc_table[1] == 0)
		png_crc_init();
	for (i = 0; i < n; i++)
		c = png_crc_table[(c ^ p[i]) & 0xff] ^ c >> 8;
	return c ^ 0xffffffff;
}

/*
 * Return 1 if the tRNS payload t of len bytes is one libpng takes without
 * a warning: the right length for the colour type, samples in range.
 */
static int
png_trns_ok(const struct png_walk *w, const unsigned char *t, uint32_t len)
{
	uint32_t	 max = w->depth == 16 ? 0xffff : (1U << w->depth) - 1;

	if (w->trns || w->idat)
		return 0;
	if (w->ctype == 0)
		return len == 2 && be16(t) <= max;
	if (w->ctype == 2)
		return len == 6 && be16(t) <= max && be16(t + 2) <= max &&
		    be16(t + 4) <= max;
	return w->ctype == 3 && len >= 1 && len <= w->plte;
}

/* Append the whole chunk c (length, type, data and CRC) to the copy. */
static enum image_err
png_copy(struct png_walk *w, const unsigned char *c, uint32_t len)
{

	memcpy(w->out + w->len, c, 12 + (size_t)len);
	w->len += 12 + (size_t)len;
	return IMAGE_OK;
}

/*
 * Decide about the chunk c: keep what the decoder needs (PLTE of a palette
 * image, a valid tRNS, IDAT), drop the other ancillary chunks (metadata,
 * colour profiles, text), refuse animation and unknown critical chunks.
 */
static enum image_err
png_keep(struct png_walk *w, const unsigned char *c, uint32_t len)
{
	const unsigned char	*type = c + 4, *data = c + 8;

	if (memcmp(type, "IDAT", 4) == 0) {
		w->idat = 1;
		return png_copy(w, c, len);
	}
	if (memcmp(type, "PLTE", 4) == 0 && w->ctype == 3) {
		if (w->plte || w->idat || len % 3 != 0 || len == 0 ||
		    len > 3 * 256)
			return IMAGE_ECORRUPT;
		w->plte = len / 3 < (1U << w->depth) ? len / 3 :
		    1U << w->depth;
		return png_copy(w, c, len);
	}
	if (memcmp(type, "tRNS", 4) == 0) {
		if (!png_trns_ok(w, data, len))
			return IMAGE_OK;
		w->trns = 1;
		return png_copy(w, c, len);
	}
	if (memcmp(type, "acTL", 4) == 0)
		return IMAGE_EANIM;
	if ((type[0] & 0x20) == 0 && memcmp(type, "PLTE", 4) != 0)
		return IMAGE_ECORRUPT;	/* IHDR again, unknown critical */
	return IMAGE_OK;
}

/* Return 1 if the four bytes at t are a chunk type: ASCII letters. */
static int
png_type_ok(const unsigned char *t)
{
	int	 i;

	for (i = 0; i < 4; i++)
		if ((t[i] < 'A' || t[i] > 'Z') && (t[i] < 'a' || t[i] > 'z'))
			return 0;
	return 1;
}

/*
 * Walk the chunks after the IHDR to the IEND, checking lengths, types and
 * CRCs, and copy what png_keep keeps. libgd's libpng prints its warnings
 * itself, so this leaves it almost nothing to warn about; it also means
 * metadata never reaches libpng, and a PNG cut short is refused.
 */
static enum image_err
png_walk(struct png_walk *w)
{
	const unsigned char	*c;
	uint32_t		 len;
	enum image_err		 e;

	for (w->pos = 33; w->n - w->pos >= 12; w->pos += 12 + (size_t)len) {
		c = w->p + w->pos;
		len = be32(c);
		if (len > INT32_MAX || w->n - w->pos - 12 < len)
			return IMAGE_ECORRUPT;
		if (!png_type_ok(c + 4) ||
		    png_crc(c + 4, 4 + (size_t)len) != be32(c + 8 + len))
			return IMAGE_ECORRUPT;
		if (memcmp(c + 4, "IEND", 4) == 0)
			return w->idat ? IMAGE_OK : IMAGE_ECORRUPT;
		if ((e = png_keep(w, c, len)) != IMAGE_OK)
			return e;
	}
	return IMAGE_ECORRUPT;
}

/*
 * Return in *out (xmalloc'd, the caller frees it) and *outn a PNG of the
 * IHDR, PLTE, tRNS and IDAT chunks of the n bytes at p, or an error.
 */
static enum image_err
png_clean(const unsigned char *p, size_t n, unsigned char **out,
    size_t *outn)
{
	struct png_walk	 w;
	enum image_err	 e;

	memset(&w, 0, sizeof(w));
	w.p = p;
	w.n = n;
	w.depth = p[24];
	w.ctype = p[25];
	w.out = xmalloc(n + sizeof(png_iend));
	memcpy(w.out, p, 33);	/* signature, IHDR */
	w.len = 33;
	if ((e = png_walk(&w)) != IMAGE_OK) {
		free(w.out);
		return e;
	}
	memcpy(w.out + w.len, png_iend, sizeof(png_iend));
	*out = w.out;
	*outn = w.len + sizeof(png_iend);
	return IMAGE_OK;
}

/*
 * Read the dimensions of a WebP from its first chunk: a lossy 'VP8 ' key
 * frame, a lossless 'VP8L' bitstream or an extended 'VP8X' canvas.
 */
static enum image_err
webp_probe(const unsigned char *p, size_t n, struct image_head *h)
{
	const unsigned char	*c = p + 20;	/* first chunk's payload */

	if (n < 30)
		return IMAGE_ETYPE;
	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if ((c[0] & 1) != 0 || memcmp(c + 3, "\x9d\x01\x2a", 3) != 0)
			return IMAGE_ECORRUPT;
		h->w = le16(c + 6) & 0x3fff;
		h->h = le16(c + 8) & 0x3fff;
	} else if (memcmp(p + 12, "VP8L", 4) == 0) {
		if (c[0] != 0x2f)
			return IMAGE_ECORRUPT;
		h->w = (le32(c + 1) & 0x3fff) + 1;
		h->h = (le32(c + 1) >> 14 & 0x3fff) + 1;
	} else if (memcmp(p + 12, "VP8X", 4) == 0) {
		h->animated = (c[0] & 0x02) != 0;
		h->w = le24(c + 4) + 1;
		h->h = le24(c + 7) + 1;
	} else
		return IMAGE_ECORRUPT;
	return IMAGE_OK;
}

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
static enum image_err
jpeg_probe(const unsigned char *p, size_t n, struct image_head *h)
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

/*
 * Sniff the type by its magic bytes and read the header into h; refuse
 * what is too big before anything is decoded.
 */
static enum image_err
image_probe(const unsigned char *p, size_t n, struct image_head *h)
{
	enum image_err	 e;

	memset(h, 0, sizeof(*h));
	if (n > IMAGE_MAX_BYTES)
		return IMAGE_EBYTES;
	if (n >= 8 && memcmp(p, png_sig, 8) == 0) {
		h->type = IMAGE_PNG;
		e = png_probe(p, n, h);
	} else if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0) {
		h->type = IMAGE_JPEG;
		e = jpeg_probe(p, n, h);
	} else if (n >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0) {
		h->type = IMAGE_WEBP;
		e = webp_probe(p, n, h);
	} else
		return IMAGE_ETYPE;
	if (e != IMAGE_OK)
		return e;
	if (h->w == 0 || h->h == 0)
		return IMAGE_ECORRUPT;
	if (h->w > IMAGE_MAX_SIDE || h->h > IMAGE_MAX_SIDE ||
	    (uint64_t)h->w * h->h > IMAGE_MAX_PIXELS)
		return IMAGE_EPIXELS;
	return h->animated ? IMAGE_EANIM : IMAGE_OK;
}

/* Decode with libgd; NULL if it fails or the size is not the header's. */
static gdImagePtr
image_decode(const struct image_head *h, const void *in, size_t n)
{
	gdImagePtr	 im = NULL;
	void		*p = (void *)(uintptr_t)in;	/* libgd only reads */

	gdSetErrorMethod(image_gd_quiet);
	if (h->type == IMAGE_PNG)
		im = gdImageCreateFromPngPtr((int)n, p);
	else if (h->type == IMAGE_JPEG)
		im = gdImageCreateFromJpegPtrEx((int)n, p, 1);
	else if (h->type == IMAGE_WEBP)
		im = gdImageCreateFromWebpPtr((int)n, p);
	if (im != NULL && (gdImageSX(im) != (int)h->w ||
	    gdImageSY(im) != (int)h->h)) {
		gdImageDestroy(im);
		im = NULL;
	}
	return im;
}

/*
 * Return a copy of the square im turned upright for EXIF orientation o
 * (2..8); the caller destroys both. A centre crop commutes with these
 * turns and flips, so they are done on the small square.
 */
static gdImagePtr
image_orient(gdImagePtr im, int o)
{
	gdImagePtr	 out;
	int		 x, y, sx, sy, e = gdImageSX(im) - 1;

	if ((out = gdImageCreateTrueColor(e + 1, e + 1)) == NULL)
		return NULL;
	gdImageAlphaBlending(out, 0);
	gdImageSaveAlpha(out, 1);
	for (y = 0; y <= e; y++)
		for (x = 0; x <= e; x++) {
			sx = x * exif_turn[o].xx + y * exif_turn[o].xy +
			    e * exif_turn[o].xe;
			sy = x * exif_turn[o].yx + y * exif_turn[o].yy +
			    e * exif_turn[o].ye;
			out->tpixels[y][x] = im->tpixels[sy][sx];
		}
	return out;
}

/*
 * Return the centre square of src resampled to IMAGE_AVATAR_SIDE on a side,
 * alpha kept, turned upright; NULL if libgd cannot allocate it.
 */
static gdImagePtr
image_square(gdImagePtr src, int orient)
{
	gdImagePtr	 sq, up;
	int		 w = gdImageSX(src), h = gdImageSY(src);
	int		 s = w < h ? w : h;

	sq = gdImageCreateTrueColor(IMAGE_AVATAR_SIDE, IMAGE_AVATAR_SIDE);
	if (sq == NULL)
		return NULL;
	gdImageAlphaBlending(sq, 0);
	gdImageSaveAlpha(sq, 1);
	gdImageCopyResampled(sq, src, 0, 0, (w - s) / 2, (h - s) / 2,
	    IMAGE_AVATAR_SIDE, IMAGE_AVATAR_SIDE, s, s);
	if (orient <= 1)
		return sq;
	up = image_orient(sq, orient);
	gdImageDestroy(sq);
	return up;
}

/* Encode sq as lossy WebP into img->data (an xmalloc'd copy). */
static enum image_err
image_encode(struct image *img, gdImagePtr sq)
{
	void	*out;
	int	 size;

	out = gdImageWebpPtrEx(sq, &size, IMAGE_WEBP_QUALITY);
	if (out == NULL || size <= 0) {
		gdFree(out);
		return IMAGE_EENCODE;
	}
	img->data = xmalloc(size);
	memcpy(img->data, out, size);
	img->size = size;
	img->type = IMAGE_WEBP;
	gdFree(out);
	return IMAGE_OK;
}

/* Record e in img; return -1. */
static int
image_fail(struct image *img, enum image_err e)
{

	img->status = image_errs[e].status;
	snprintf(img->errmsg, sizeof(img->errmsg), "%s", image_errs[e].msg);
	return -1;
}

/*
 * Decode the n bytes at in, whose header h describes; a PNG is decoded
 * from its cleaned copy. Return NULL with *e set if that fails.
 */
static gdImagePtr
image_load(const struct image_head *h, const void *in, size_t n,
    enum image_err *e)
{
	unsigned char	*clean = NULL;
	gdImagePtr	 im;

	if (h->type == IMAGE_PNG &&
	    (*e = png_clean(in, n, &clean, &n)) != IMAGE_OK)
		return NULL;
	im = image_decode(h, clean != NULL ? clean : in, n);
	free(clean);
	*e = im != NULL ? IMAGE_OK : IMAGE_ECORRUPT;
	return im;
}

/*
 * Turn the n bytes at in into an avatar: a IMAGE_AVATAR_SIDE square WebP
 * cut from the middle of a PNG, JPEG or WebP, with no metadata and no
 * byte of the input carried over. Return 0 with img->data set (free it
 * with image_free), or -1 with img->status and img->errmsg set.
 */
int
image_avatar(struct image *img, const void *in, size_t n)
{
	struct image_head	 h;
	gdImagePtr		 src, sq;
	enum image_err		 e;

	memset(img, 0, sizeof(*img));
	if ((e = image_probe(in, n, &h)) != IMAGE_OK)
		return image_fail(img, e);
	if ((src = image_load(&h, in, n, &e)) == NULL)
		return image_fail(img, e);
	sq = image_square(src, h.orient);
	gdImageDestroy(src);
	if (sq == NULL)
		return image_fail(img, IMAGE_EENCODE);
	e = image_encode(img, sq);
	gdImageDestroy(sq);
	return e == IMAGE_OK ? 0 : image_fail(img, e);
}

/* Free the encoded bytes; safe to call twice. */
void
image_free(struct image *img)
{

	free(img->data);
	img->data = NULL;
	img->size = 0;
}
