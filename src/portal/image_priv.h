/* image_priv.h: the header sniffer's verdict and byte readers shared by image.c, image_sniff.c and image_jpeg.c. */
#ifndef WA_IMAGE_PRIV_H
#define WA_IMAGE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/*
 * Why an image was refused; image_errs in image.c gives the status and
 * the sentence.
 */
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

/* What the header says, read before anything is decoded. */
struct image_head {
	enum image_type	 type;
	uint32_t	 w;
	uint32_t	 h;
	int		 orient;	/* EXIF orientation 1..8, 1 is upright */
	int		 animated;
	unsigned int	 scans;		/* JPEG: SOS markers seen */
};

/*
 * Sniff the type of the n bytes at p by their magic bytes and read the
 * header into h (type, size, EXIF orientation, animation, JPEG scans);
 * refuse what is too big, damaged or animated before anything is decoded.
 * Return IMAGE_OK or why the image is refused.
 */
enum image_err	 image_sniff_probe(const unsigned char *, size_t,
		    struct image_head *);

/*
 * Rebuild the PNG of n bytes at p (already probed) from its IHDR, PLTE,
 * tRNS and IDAT chunks only, checking every chunk's length, type and CRC.
 * Return IMAGE_OK with the copy in *out (xmalloc'd, the caller frees it)
 * and its length in *outn, or why the PNG is refused.
 */
enum image_err	 image_sniff_png_clean(const unsigned char *, size_t,
		    unsigned char **, size_t *);

/* Big- and little-endian readers of untrusted bytes (bounds checked by the caller). */
static inline uint32_t
be16(const unsigned char *p)
{

	return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t
be32(const unsigned char *p)
{

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
le16(const unsigned char *p)
{

	return (uint32_t)p[1] << 8 | p[0];
}

static inline uint32_t
le24(const unsigned char *p)
{

	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint32_t
le32(const unsigned char *p)
{

	return (uint32_t)p[3] << 24 | le24(p);
}

/*
 * Walk the JPEG of n bytes at p (image_jpeg.c) from SOI to EOI into h:
 * frame size, EXIF orientation, scans. Return IMAGE_OK or why it is
 * refused.
 */
enum image_err	 image_jpeg_probe(const unsigned char *, size_t,
		    struct image_head *);

#endif
