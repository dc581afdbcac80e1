/* image.c: avatars decoded with libgd, cropped, turned upright and re-encoded as WebP. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>

#include "core/nls.h"
#include "core/xmalloc.h"
#include "image.h"
#include "image_priv.h"

const char *const image_mime[IMAGE__MAX] = {
	[IMAGE_PNG] = "image/png",
	[IMAGE_JPEG] = "image/jpeg",
	[IMAGE_WEBP] = "image/webp",
};

static const struct {
	int		 status;
	const char	*msg;
} image_errs[IMAGE_ERR__MAX] = {
	[IMAGE_OK] = { 0, "" },
	[IMAGE_EBYTES] = { 413, N_("The image is larger than 2 MiB.") },
	[IMAGE_EPIXELS] = { 413, N_("The image is too large: at most 16 "
	    "megapixels and 8192 pixels on a side.") },
	[IMAGE_ESCANS] = { 413, N_("The JPEG image is too complex to process; "
	    "save it again as an ordinary JPEG.") },
	[IMAGE_ETYPE] = { 415, N_("Use a PNG, JPEG or WebP image.") },
	[IMAGE_EANIM] = { 415, N_("Animated images are not supported; "
	    "use a still PNG, JPEG or WebP image.") },
	[IMAGE_ECORRUPT] = { 400, N_("The image is damaged or incomplete.") },
	[IMAGE_EENCODE] = { 500, N_("The image could not be processed.") },
};

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

/*
 * libgd's error method: libgd, libpng and libjpeg report through it. Their
 * messages can quote input bytes (chunk names) and a bad upload is the
 * client's problem, so they are dropped; the caller gets a status.
 */
static void
image_gd_quiet(int priority, const char *fmt, va_list ap)
{
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
	    (*e = image_sniff_png_clean(in, n, &clean, &n)) != IMAGE_OK)
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
	if ((e = image_sniff_probe(in, n, &h)) != IMAGE_OK)
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
