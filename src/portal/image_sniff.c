/* image_sniff.c: untrusted image bytes checked and measured before decoding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/xmalloc.h"
#include "image.h"
#include "image_priv.h"

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

static const unsigned char png_sig[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};
static const unsigned char png_iend[12] = {
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82
};

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

/* The CRC-32 (ISO 3309, as in PNG) of n bytes at p, by zlib. */
static uint32_t
png_crc(const unsigned char *p, size_t n)
{

	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
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
enum image_err
image_sniff_png_clean(const unsigned char *p, size_t n, unsigned char **out,
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


/*
 * Sniff the type by its magic bytes and read the header into h; refuse
 * what is too big before anything is decoded.
 */
enum image_err
image_sniff_probe(const unsigned char *p, size_t n, struct image_head *h)
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
		e = image_jpeg_probe(p, n, h);
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

