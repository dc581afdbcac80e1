/* 0060-image.c: image_avatar on images made with libgd at run time, crafted headers and hostile bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gd.h>
#include <zlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND	0
#endif

#include "core/buf.h"
#include "core/log.h"
#include "core/xmalloc.h"
#include "portal/image.h"
#include "tap.h"

#define SIDE	IMAGE_AVATAR_SIDE
#define HTML	"<html><script>alert(1)</script></html>"

/* How a test image is encoded. */
enum enc {
	ENC_PNG,
	ENC_PNG_PALETTE,
	ENC_PNG_INTERLACED,
	ENC_JPEG,
	ENC_JPEG_PROGRESSIVE,
	ENC_WEBP,
	ENC_WEBP_LOSSLESS,
	ENC_GIF,
	ENC_BMP,
	ENC__MAX
};

/*
 * What a test image shows, chosen so the avatar can be checked:
 * PAT_CROP has a blue centre square and red margins, so a right centre
 * crop is all blue; PAT_ALPHA is transparent on the left and opaque green
 * on the right; PAT_QUAD has red, green, blue and white quadrants.
 */
enum pat {
	PAT_CROP,
	PAT_ALPHA,
	PAT_QUAD,
	PAT__MAX
};

static const int red = 0xff0000, green = 0x00ff00, blue = 0x0000ff,
    white = 0xffffff;

/* The colour of pixel (x, y) of a w x h image showing pat. */
static int
pat_colour(enum pat pat, int w, int h, int x, int y)
{
	int	 s = w < h ? w : h;

	switch (pat) {
	case PAT_CROP:
		if (x < (w - s) / 2 || x >= (w - s) / 2 + s ||
		    y < (h - s) / 2 || y >= (h - s) / 2 + s)
			return red;
		return blue;
	case PAT_ALPHA:
		return x < w / 2 ? gdTrueColorAlpha(0, 0, 0, 127) : green;
	default:
		if (y < h / 2)
			return x < w / 2 ? red : green;
		return x < w / 2 ? blue : white;
	}
}

/* Return a new truecolor w x h image showing pat. */
static gdImagePtr
pat_image(enum pat pat, int w, int h)
{
	gdImagePtr	 im;
	int		 x, y;

	im = gdImageCreateTrueColor(w, h);
	gdImageAlphaBlending(im, 0);
	gdImageSaveAlpha(im, 1);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			im->tpixels[y][x] = pat_colour(pat, w, h, x, y);
	return im;
}

/* Append the *n bytes a libgd ...Ptr function returned, and free them. */
static void
take(struct buf *b, void *p, const int *n)
{

	if (p != NULL)
		buf_append(b, p, *n);
	gdFree(p);
}

/* Encode im as a palette PNG whose colour 0 is transparent (tRNS). */
static void
encode_palette(struct buf *b, gdImagePtr im)
{
	gdImagePtr	 pal;
	int		 x, y, c, n;

	pal = gdImageCreate(gdImageSX(im), gdImageSY(im));
	gdImageColorTransparent(pal, gdImageColorAllocate(pal, 0, 0, 0));
	for (y = 0; y < gdImageSY(im); y++)
		for (x = 0; x < gdImageSX(im); x++) {
			c = im->tpixels[y][x];
			if (gdTrueColorGetAlpha(c) == gdAlphaTransparent)
				continue;
			gdImageSetPixel(pal, x, y, gdImageColorResolve(pal,
			    gdTrueColorGetRed(c), gdTrueColorGetGreen(c),
			    gdTrueColorGetBlue(c)));
		}
	take(b, gdImagePngPtr(pal, &n), &n);
	gdImageDestroy(pal);
}

/* Encode im the way enc says into b. */
static void
encode(struct buf *b, gdImagePtr im, enum enc enc)
{
	int	 n = 0;

	switch (enc) {
	case ENC_PNG:
		take(b, gdImagePngPtr(im, &n), &n);
		break;
	case ENC_PNG_PALETTE:
		encode_palette(b, im);
		break;
	case ENC_PNG_INTERLACED:
		gdImageInterlace(im, 1);
		take(b, gdImagePngPtr(im, &n), &n);
		break;
	case ENC_JPEG_PROGRESSIVE:
		gdImageInterlace(im, 1);
		/* FALLTHROUGH */
	case ENC_JPEG:
		take(b, gdImageJpegPtr(im, &n, 90), &n);
		break;
	case ENC_WEBP:
		take(b, gdImageWebpPtrEx(im, &n, 90), &n);
		break;
	case ENC_WEBP_LOSSLESS:
		take(b, gdImageWebpPtrEx(im, &n, gdWebpLossless), &n);
		break;
	case ENC_GIF:
		take(b, gdImageGifPtr(im, &n), &n);
		break;
	default:
		take(b, gdImageBmpPtr(im, &n, 0), &n);
		break;
	}
}

/* Make a w x h image showing pat, encoded as enc, into b. */
static void
make(struct buf *b, enum enc enc, enum pat pat, int w, int h)
{
	gdImagePtr	 im;

	im = pat_image(pat, w, h);
	encode(b, im, enc);
	gdImageDestroy(im);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
put_be32(unsigned char *p, uint32_t v)
{

	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
put_le(unsigned char *p, uint32_t v, int bytes)
{
	int	 i;

	for (i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

static unsigned char *
u(struct buf *b)
{

	return (unsigned char *)b->data;
}

/* Return 1 if the needle occurs in the n bytes at p. */
static int
has(const void *p, size_t n, const char *needle, size_t len)
{

	return p != NULL && memmem(p, n, needle, len) != NULL;
}

/* ------------------------------------------------------------ crafting */

/* Append a PNG chunk with its CRC (zlib's crc32). */
static void
png_chunk(struct buf *b, const char *type, const void *data, size_t len)
{
	unsigned char	 hdr[8], crc[4];
	uLong		 c;

	put_be32(hdr, len);
	memcpy(hdr + 4, type, 4);
	c = crc32(0, hdr + 4, 4);
	c = crc32(c, data, len);
	put_be32(crc, c);
	buf_append(b, hdr, 8);
	buf_append(b, data, len);
	buf_append(b, crc, 4);
}

/* A PNG that is only a signature, an RGBA IHDR of w x h and an IEND. */
static void
png_header(struct buf *b, uint32_t w, uint32_t h)
{
	unsigned char	 ihdr[13] = { 0, 0, 0, 0, 0, 0, 0, 0, 8, 6, 0, 0, 0 };

	put_be32(ihdr, w);
	put_be32(ihdr + 4, h);
	buf_append(b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(b, "IEND", "", 0);
}

/* Rewrite the IHDR size of the PNG in b, with a correct CRC. */
static void
png_resize(struct buf *b, uint32_t w, uint32_t h)
{

	put_be32(u(b) + 16, w);
	put_be32(u(b) + 20, h);
	put_be32(u(b) + 29, crc32(0, u(b) + 12, 17));
}

/* Insert the n bytes at p into b at offset at. */
static void
insert(struct buf *b, size_t at, const void *p, size_t n)
{
	struct buf	 o = BUF_INIT;

	buf_append(&o, b->data, at);
	buf_append(&o, p, n);
	buf_append(&o, b->data + at, b->len - at);
	buf_free(b);
	*b = o;
}

/* A PNG with a tEXt chunk holding HTML right after its IHDR. */
static void
png_with_text(struct buf *b)
{
	struct buf	 c = BUF_INIT;

	make(b, ENC_PNG, PAT_CROP, 40, 30);
	png_chunk(&c, "tEXt", "Comment\0" HTML, sizeof("Comment\0" HTML) - 1);
	insert(b, 33, c.data, c.len);
	buf_free(&c);
}

/* Append a ZIP archive holding one stored file. */
static void
zip_one(struct buf *b, const char *name, const char *data)
{
	unsigned char	 lh[30] = "PK\3\4\24", cd[46] = "PK\1\2\24\0\24",
			 end[22] = "PK\5\6";
	size_t		 nl = strlen(name), dl = strlen(data);
	uint32_t	 c = crc32(0, (const unsigned char *)data, dl);

	put_le(lh + 14, c, 4);
	put_le(lh + 18, dl, 4);
	put_le(lh + 22, dl, 4);
	put_le(lh + 26, nl, 2);
	memcpy(cd + 16, lh + 14, 12);
	put_le(cd + 28, nl, 2);
	put_le(end + 8, 1, 2);
	put_le(end + 10, 1, 2);
	put_le(end + 12, sizeof(cd) + nl, 4);
	put_le(end + 16, sizeof(lh) + nl + dl, 4);
	buf_append(b, lh, sizeof(lh));
	buf_append(b, name, nl);
	buf_append(b, data, dl);
	buf_append(b, cd, sizeof(cd));
	buf_append(b, name, nl);
	buf_append(b, end, sizeof(end));
}

/* Offset of the first marker m (0xff, m) in the JPEG in b, or 0. */
static size_t
jpeg_find(struct buf *b, int m)
{
	size_t	 i;

	for (i = 2; i + 1 < b->len; i++)
		if (u(b)[i] == 0xff && u(b)[i + 1] == m)
			return i;
	return 0;
}

/* Offset of the last SOS marker in the JPEG in b. */
static size_t
jpeg_last_sos(struct buf *b)
{
	size_t	 i;

	for (i = b->len - 2; i > 2; i--)
		if (u(b)[i] == 0xff && u(b)[i + 1] == 0xda)
			return i;
	return 0;
}

/* Insert a segment with marker m and payload p after the JPEG's SOI. */
static void
jpeg_segment(struct buf *b, int m, const void *p, size_t n)
{
	unsigned char	 hdr[4] = { 0xff, m, (n + 2) >> 8, (n + 2) & 0xff };
	struct buf	 s = BUF_INIT;

	buf_append(&s, hdr, 4);
	buf_append(&s, p, n);
	insert(b, 2, s.data, s.len);
	buf_free(&s);
}

/* Rewrite the frame size of the JPEG in b. */
static void
jpeg_resize(struct buf *b, unsigned h, unsigned w)
{
	size_t	 sof = jpeg_find(b, 0xc0);

	if (sof == 0)
		sof = jpeg_find(b, 0xc2);
	u(b)[sof + 5] = h >> 8;
	u(b)[sof + 6] = h;
	u(b)[sof + 7] = w >> 8;
	u(b)[sof + 8] = w;
}

/* A JPEG with an EXIF APP1 giving orientation o, in byte order le or not. */
static void
jpeg_exif(struct buf *b, enum pat pat, int o, int le)
{
	static const unsigned char mm[] = "Exif\0\0MM\0*\0\0\0\10\0\1"
	    "\1\22\0\3\0\0\0\1\0\0\0\0\0\0\0\0";
	static const unsigned char ii[] = "Exif\0\0II*\0\10\0\0\0\1\0"
	    "\22\1\3\0\1\0\0\0\0\0\0\0\0\0\0\0";
	unsigned char	 app[sizeof(mm) - 1];

	memcpy(app, le ? ii : mm, sizeof(app));
	app[6 + 8 + 2 + 8 + (le ? 0 : 1)] = o;
	make(b, ENC_JPEG, pat, 64, 64);
	jpeg_segment(b, 0xe1, app, sizeof(app));
}

/*
 * A 30x20 lossy WebP in the extended format: a VP8X chunk with flags and
 * a canvas of cw x ch, the VP8 chunk, then an optional chunk with data.
 */
static void
webp_extended(struct buf *b, int flags, uint32_t cw, uint32_t ch,
    const char *chunk, const char *data)
{
	struct buf	 in = BUF_INIT;
	unsigned char	 x[18] = "VP8X\12\0\0\0", c[8];
	size_t		 dl = data == NULL ? 0 : strlen(data);

	make(&in, ENC_WEBP, PAT_CROP, 30, 20);
	x[8] = flags;
	put_le(x + 12, cw - 1, 3);
	put_le(x + 15, ch - 1, 3);
	buf_append(b, "RIFF\0\0\0\0WEBP", 12);
	buf_append(b, x, sizeof(x));
	buf_append(b, in.data + 12, in.len - 12);
	if (chunk != NULL) {
		memcpy(c, chunk, 4);
		put_le(c + 4, dl, 4);
		buf_append(b, c, 8);
		buf_append(b, data, dl);
		if (dl % 2)
			buf_putc(b, '\0');
	}
	put_le(u(b) + 4, b->len - 8, 4);
	buf_free(&in);
}

/* ------------------------------------------------------------ accepted */

struct vcase {
	const char	*desc;
	enum enc	 enc;
	enum pat	 pat;
	int		 w, h;
	int		 big;	/* slow under valgrind */
};

static const struct vcase valid[] = {
	{ "PNG 1x1", ENC_PNG, PAT_CROP, 1, 1, 0 },
	{ "PNG 300x200", ENC_PNG, PAT_CROP, 300, 200, 0 },
	{ "PNG 200x300", ENC_PNG, PAT_CROP, 200, 300, 0 },
	{ "PNG 4000x3000", ENC_PNG, PAT_CROP, 4000, 3000, 1 },
	{ "PNG with alpha", ENC_PNG, PAT_ALPHA, 300, 200, 0 },
	{ "palette PNG with a transparent colour", ENC_PNG_PALETTE,
	  PAT_ALPHA, 120, 90, 0 },
	{ "interlaced PNG with alpha", ENC_PNG_INTERLACED, PAT_ALPHA,
	  200, 300, 0 },
	{ "PNG 8192x8 (side limit)", ENC_PNG, PAT_CROP, 8192, 8, 0 },
	{ "JPEG 1x1", ENC_JPEG, PAT_CROP, 1, 1, 0 },
	{ "JPEG 300x200", ENC_JPEG, PAT_CROP, 300, 200, 0 },
	{ "JPEG 200x300", ENC_JPEG, PAT_CROP, 200, 300, 0 },
	{ "JPEG 4000x3000", ENC_JPEG, PAT_CROP, 4000, 3000, 1 },
	{ "progressive JPEG 300x200", ENC_JPEG_PROGRESSIVE, PAT_CROP,
	  300, 200, 0 },
	{ "WebP 1x1", ENC_WEBP, PAT_CROP, 1, 1, 0 },
	{ "WebP 300x200", ENC_WEBP, PAT_CROP, 300, 200, 0 },
	{ "WebP 200x300", ENC_WEBP, PAT_CROP, 200, 300, 0 },
	{ "WebP 4000x3000", ENC_WEBP, PAT_CROP, 4000, 3000, 1 },
	{ "WebP with alpha", ENC_WEBP, PAT_ALPHA, 300, 200, 0 },
	{ "lossless WebP 300x200", ENC_WEBP_LOSSLESS, PAT_CROP, 300, 200, 0 },
	{ "lossless WebP with alpha", ENC_WEBP_LOSSLESS, PAT_ALPHA,
	  200, 300, 0 },
};

/* Return 1 if colour c is within tol of want on every channel and opaque. */
static int
near(int c, int want, int tol)
{

	return abs(gdTrueColorGetRed(c) - (want >> 16 & 0xff)) <= tol &&
	    abs(gdTrueColorGetGreen(c) - (want >> 8 & 0xff)) <= tol &&
	    abs(gdTrueColorGetBlue(c) - (want & 0xff)) <= tol &&
	    gdTrueColorGetAlpha(c) == 0;
}

/*
 * Return 1 if the avatar shows what a centre crop of pat looks like,
 * sampled on a grid kept 24 pixels away from edges and boundaries.
 */
static int
pat_check(gdImagePtr out, enum pat pat)
{
	int	 x, y, c;

	for (y = 24; y < SIDE - 24; y += 26)
		for (x = 24; x < SIDE - 24; x += 26) {
			if (x > SIDE / 2 - 24 && x < SIDE / 2 + 24)
				continue;
			c = gdImageGetTrueColorPixel(out, x, y);
			if (pat == PAT_CROP && !near(c, blue, 40))
				return 0;
			if (pat == PAT_ALPHA && x < SIDE / 2 &&
			    gdTrueColorGetAlpha(c) < 120)
				return 0;
			if (pat == PAT_ALPHA && x > SIDE / 2 &&
			    !near(c, green, 40))
				return 0;
		}
	return 1;
}

/* Decode an avatar; NULL unless it is a WebP of SIDE x SIDE. */
static gdImagePtr
avatar_decode(const struct image *img)
{
	gdImagePtr	 im;

	if (img->data == NULL || img->size < 12 ||
	    memcmp(img->data, "RIFF", 4) != 0 ||
	    memcmp(img->data + 8, "WEBP", 4) != 0)
		return NULL;
	im = gdImageCreateFromWebpPtr(img->size, img->data);
	if (im != NULL && (gdImageSX(im) != SIDE || gdImageSY(im) != SIDE)) {
		gdImageDestroy(im);
		im = NULL;
	}
	return im;
}

static void
test_valid_one(const struct vcase *v)
{
	struct buf	 b = BUF_INIT;
	struct image	 img;
	gdImagePtr	 out;
	double		 t;
	int		 rc;

	make(&b, v->enc, v->pat, v->w, v->h);
	t = now();
	rc = image_avatar(&img, b.data, b.len);
	t = now() - t;
	is_int(rc, 0, "%s: accepted", v->desc);
	if (rc != 0)
		diag("status %d: %s", img.status, img.errmsg);
	if (v->big)
		diag("%s: %zu bytes in, %zu out, %.0f ms", v->desc, b.len,
		    img.size, t * 1e3);
	ok(img.type == IMAGE_WEBP && strcmp(image_mime[img.type],
	    "image/webp") == 0, "%s: output type is WebP", v->desc);
	out = avatar_decode(&img);
	ok(out != NULL, "%s: output decodes to %dx%d", v->desc, SIDE, SIDE);
	ok(out != NULL && pat_check(out, v->pat),
	    "%s: output is the centre square", v->desc);
	if (out != NULL)
		gdImageDestroy(out);
	image_free(&img);
	image_free(&img);
	ok(img.data == NULL, "%s: image_free twice", v->desc);
	buf_free(&b);
}

static void
test_valid(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		if (valid[i].big && RUNNING_ON_VALGRIND) {
			skip("slow under valgrind", "%s", valid[i].desc);
			continue;
		}
		test_valid_one(&valid[i]);
	}
}

/* ------------------------------------------------------------ EXIF */

/*
 * Quadrants (top left, top right, bottom left, bottom right) of the
 * avatar of a PAT_QUAD JPEG (red, green, blue, white) tagged with each
 * EXIF orientation: how a browser would show the photo.
 */
static const struct {
	int	 o;
	int	 le;
	int	 q[4];
} turns[] = {
	{ 1, 0, { red, green, blue, white } },
	{ 2, 0, { green, red, white, blue } },
	{ 3, 0, { white, blue, green, red } },
	{ 4, 0, { blue, white, red, green } },
	{ 5, 0, { red, blue, green, white } },
	{ 6, 0, { blue, red, white, green } },
	{ 7, 0, { white, green, blue, red } },
	{ 8, 0, { green, white, red, blue } },
	{ 6, 1, { blue, red, white, green } },
	{ 8, 1, { green, white, red, blue } },
	{ 9, 0, { red, green, blue, white } },	/* invalid: as stored */
	{ 0, 1, { red, green, blue, white } },
};

static void
test_exif(void)
{
	struct buf	 b;
	struct image	 img;
	gdImagePtr	 out;
	size_t		 i;
	int		 q, good;

	for (i = 0; i < sizeof(turns) / sizeof(turns[0]); i++) {
		b = (struct buf)BUF_INIT;
		jpeg_exif(&b, PAT_QUAD, turns[i].o, turns[i].le);
		is_int(image_avatar(&img, b.data, b.len), 0,
		    "EXIF orientation %d (%s): accepted", turns[i].o,
		    turns[i].le ? "II" : "MM");
		good = (out = avatar_decode(&img)) != NULL;
		for (q = 0; good && q < 4; q++)
			good = near(gdImageGetTrueColorPixel(out,
			    q % 2 ? SIDE * 3 / 4 : SIDE / 4,
			    q / 2 ? SIDE * 3 / 4 : SIDE / 4), turns[i].q[q], 40);
		ok(good, "EXIF orientation %d (%s): shown upright",
		    turns[i].o, turns[i].le ? "II" : "MM");
		if (out != NULL)
			gdImageDestroy(out);
		image_free(&img);
		buf_free(&b);
	}
}

/* Malformed EXIF is ignored: the image is used as stored. */
static const struct {
	const char	*desc;
	size_t		 len;
	const char	*app;
} badexif[] = {
	{ "IFD offset past the end", 20, "Exif\0\0MM\0*\377\377\377\377\0\1"
	  "\1\22\0\3" },
	{ "IFD count past the end", 20, "Exif\0\0II*\0\10\0\0\0\377\377"
	  "\22\1\3\0" },
	{ "orientation as LONG", 32, "Exif\0\0MM\0*\0\0\0\10\0\1"
	  "\1\22\0\4\0\0\0\1\0\6\0\0\0\0\0\0" },
	{ "no TIFF header", 10, "Exif\0\0XX\0*" },
	{ "only Exif", 6, "Exif\0\0" },
	{ "XMP, not EXIF", 29, "http://ns.adobe.com/xap/1.0/\0" },
};

static void
test_badexif(void)
{
	struct buf	 b;
	struct image	 img;
	gdImagePtr	 out;
	size_t		 i;

	for (i = 0; i < sizeof(badexif) / sizeof(badexif[0]); i++) {
		b = (struct buf)BUF_INIT;
		make(&b, ENC_JPEG, PAT_QUAD, 64, 64);
		jpeg_segment(&b, 0xe1, badexif[i].app, badexif[i].len);
		is_int(image_avatar(&img, b.data, b.len), 0,
		    "bad EXIF, %s: accepted", badexif[i].desc);
		out = avatar_decode(&img);
		ok(out != NULL && near(gdImageGetTrueColorPixel(out, SIDE / 4,
		    SIDE / 4), red, 40), "bad EXIF, %s: as stored",
		    badexif[i].desc);
		if (out != NULL)
			gdImageDestroy(out);
		image_free(&img);
		buf_free(&b);
	}
}

/* ------------------------------------------------------------ polyglots */

static void
poly_png_script(struct buf *b)
{

	make(b, ENC_PNG, PAT_CROP, 40, 30);
	buf_puts(b, HTML);
}

static void
poly_png_zip(struct buf *b)
{

	make(b, ENC_PNG, PAT_CROP, 40, 30);
	zip_one(b, "x.html", HTML);
}

static void
poly_jpeg_com(struct buf *b)
{

	make(b, ENC_JPEG, PAT_CROP, 40, 30);
	jpeg_segment(b, 0xfe, HTML, strlen(HTML));
}

static void
poly_jpeg_exif(struct buf *b)
{
	static const char app[] = "Exif\0\0MM\0*\0\0\0\10\0\1"
	    "\1\16\0\2\0\0\0\60\0\0\0\32\0\0\0\0" HTML " GPS 51.5N";

	make(b, ENC_JPEG, PAT_CROP, 40, 30);
	jpeg_segment(b, 0xe1, app, sizeof(app) - 1);
}

static void
poly_jpeg_zip(struct buf *b)
{

	make(b, ENC_JPEG, PAT_CROP, 40, 30);
	zip_one(b, "x.html", HTML);
}

static void
poly_webp_exif(struct buf *b)
{

	webp_extended(b, 0x08, 30, 20, "EXIF", "Exif GPS 51.5N " HTML);
}

static void
poly_webp_xmp(struct buf *b)
{

	webp_extended(b, 0x04, 30, 20, "XMP ", "<x:xmpmeta>" HTML);
}

static void
poly_webp_trailer(struct buf *b)
{

	make(b, ENC_WEBP, PAT_CROP, 40, 30);
	buf_puts(b, HTML);
}

static const struct {
	const char	*desc;
	void		(*make)(struct buf *);
} polys[] = {
	{ "HTML after a PNG's IEND", poly_png_script },
	{ "ZIP after a PNG's IEND", poly_png_zip },
	{ "PNG tEXt chunk with HTML", png_with_text },
	{ "JPEG COM segment with HTML", poly_jpeg_com },
	{ "JPEG EXIF with HTML and GPS", poly_jpeg_exif },
	{ "ZIP after a JPEG's EOI", poly_jpeg_zip },
	{ "WebP EXIF chunk with HTML", poly_webp_exif },
	{ "WebP XMP chunk with HTML", poly_webp_xmp },
	{ "HTML after a WebP", poly_webp_trailer },
};

static void
test_polyglots(void)
{
	struct buf	 b;
	struct image	 img;
	size_t		 i;

	for (i = 0; i < sizeof(polys) / sizeof(polys[0]); i++) {
		b = (struct buf)BUF_INIT;
		polys[i].make(&b);
		ok(has(b.data, b.len, "<script>", 8),
		    "%s: the input holds the payload", polys[i].desc);
		is_int(image_avatar(&img, b.data, b.len), 0, "%s: accepted",
		    polys[i].desc);
		ok(img.data != NULL && !has(img.data, img.size, "<script", 7) &&
		    !has(img.data, img.size, "alert", 5) &&
		    !has(img.data, img.size, "PK\3\4", 4) &&
		    !has(img.data, img.size, "PK\5\6", 4) &&
		    !has(img.data, img.size, "Exif", 4) &&
		    !has(img.data, img.size, "GPS", 3) &&
		    !has(img.data, img.size, "xmpmeta", 7),
		    "%s: no payload or metadata in the output", polys[i].desc);
		image_free(&img);
		buf_free(&b);
	}
}

/* ------------------------------------------------------------ refused */

/* Makers for the refusal table: fill b, parametrised by a and c. */
static void
m_text(struct buf *b, long a, long c)
{
	static const char *const texts[] = {
		"<!DOCTYPE html>" HTML,
		"<?php system($_GET['c']); ?>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)"
		    "</script></svg>",
		"II*\0\10\0\0\0",			/* TIFF */
		"\0\0\0\34ftypavif\0\0\0\0avifmif1",	/* AVIF */
		"\0\0\0\30ftypheic\0\0\0\0mif1heic",	/* HEIC */
		"RIFF\44\0\0\0WAVEfmt \20\0\0\0",
		"RIFF\44\0\0\0WEBPVP8 ",		/* header cut */
		"\x89PNG\r\n\x1a\n",			/* signature only */
		"\x89PNG\r\n\x1a\n\0\0\0\15IHDR\0\0",	/* IHDR cut */
		"\xff\xd8\xff\xe0\0\20JFIF",		/* APP0 cut */
		"\xff\xd8\xff<html>",			/* no marker */
		"\x89PNG\r\n\x1a\n\0\0\0\15IDAT\0\0\0\1\0\0\0\1\10\6\0\0\0"
		    "\0\0\0\0",				/* IDAT first */
		"\x3a\x91\x07\xee\x5c\x42\xb8",		/* 7 random bytes */
	};
	static const size_t lens[] = { 0, 0, 0, 8, 24, 24, 20, 16, 8, 18, 10,
	    0, 33, 7 };

	buf_append(b, texts[a], lens[a] ? lens[a] : strlen(texts[a]));
}

static void
m_empty(struct buf *b, long a, long c)
{
}

static void
m_gd(struct buf *b, long enc, long c)
{

	make(b, enc, PAT_CROP, 30, 20);
}

/* A real image of enc cut to c percent of its length. */
static void
m_cut(struct buf *b, long enc, long c)
{

	make(b, enc, PAT_QUAD, 300, 200);
	b->len = b->len * c / 100;
}

static void
m_png_header(struct buf *b, long w, long h)
{

	png_header(b, w, h);
}

/* A real 300x200 PNG whose IHDR says w x h (CRC fixed). */
static void
m_png_resize(struct buf *b, long w, long h)
{

	make(b, ENC_PNG, PAT_QUAD, 300, 200);
	png_resize(b, w, h);
}

/* A real PNG with one IDAT byte changed, so its CRC fails. */
static void
m_png_flip(struct buf *b, long a, long c)
{

	make(b, ENC_PNG, PAT_QUAD, 300, 200);
	u(b)[b->len / 2] ^= 0x55;
}

static void
m_png_real(struct buf *b, long w, long h)
{

	make(b, ENC_PNG, PAT_CROP, w, h);
}

/* A real 300x200 JPEG whose frame header says w x h. */
static void
m_jpeg_resize(struct buf *b, long w, long h)
{

	make(b, ENC_JPEG, PAT_QUAD, 300, 200);
	jpeg_resize(b, h, w);
}

/* A real JPEG with its SOF marker changed to m. */
static void
m_jpeg_sof(struct buf *b, long m, long c)
{

	make(b, ENC_JPEG, PAT_QUAD, 30, 20);
	u(b)[jpeg_find(b, 0xc0) + 1] = m;
}

/* A real JPEG with junk (a == 0) or a copy of its SOF (a == 1) before it. */
static void
m_jpeg_junk(struct buf *b, long a, long c)
{
	size_t	 sof;

	make(b, ENC_JPEG, PAT_QUAD, 30, 20);
	sof = jpeg_find(b, 0xc0);
	if (a == 0)
		insert(b, sof, "junk", 4);
	else
		insert(b, sof, b->data + sof, 2 + (u(b)[sof + 2] << 8 |
		    u(b)[sof + 3]));
}

/*
 * A real JPEG that the marker walk passes but libjpeg fails on with a
 * fatal error (its longjmp back into libgd): a 12-bit precision (a == 0),
 * a sampling factor of 0 (a == 1), or a scan of a component the frame
 * does not have (a == 2).
 */
static void
m_jpeg_fatal(struct buf *b, long a, long c)
{
	size_t	 sof;

	make(b, ENC_JPEG, PAT_QUAD, 30, 20);
	sof = jpeg_find(b, 0xc0);
	if (a == 0)
		u(b)[sof + 4] = 12;
	else if (a == 1)
		u(b)[sof + 11] = 0x00;
	else
		u(b)[jpeg_find(b, 0xda) + 5] = 7;
}

/* A progressive JPEG with its last scan repeated until it has n scans. */
static void
m_jpeg_scans(struct buf *b, long n, long c)
{
	struct buf	 s = BUF_INIT;
	size_t		 last, i, have = 0;

	make(b, ENC_JPEG_PROGRESSIVE, PAT_QUAD, 300, 200);
	for (i = 2; i + 1 < b->len; i++)
		if (u(b)[i] == 0xff && u(b)[i + 1] == 0xda)
			have++;
	last = jpeg_last_sos(b);
	buf_append(&s, b->data + last, b->len - 2 - last);
	b->len -= 2;
	for (; have < (size_t)n; have++)
		buf_append(b, s.data, s.len);
	buf_append(b, "\xff\xd9", 2);
	buf_free(&s);
}

static void
m_webp_canvas(struct buf *b, long w, long h)
{

	webp_extended(b, 0, w, h, NULL, NULL);
}

/* A real lossy (c == 0) or lossless WebP whose bitstream says w x h. */
static void
m_webp_resize(struct buf *b, long w, long c)
{

	make(b, c ? ENC_WEBP_LOSSLESS : ENC_WEBP, PAT_QUAD, 30, 20);
	if (c) {
		put_le(u(b) + 21, (w - 1) | (w - 1) << 14, 4);
		return;
	}
	put_le(u(b) + 26, w, 2);
	put_le(u(b) + 28, w, 2);
}

static void
m_webp_anim(struct buf *b, long a, long c)
{

	webp_extended(b, 0x02, 30, 20, NULL, NULL);
}

static void
m_webp_badstart(struct buf *b, long a, long c)
{

	make(b, ENC_WEBP, PAT_QUAD, 30, 20);
	u(b)[24] = 0;
}

/* A valid PNG padded after IEND to n bytes. */
static void
m_padded(struct buf *b, long n, long c)
{

	make(b, ENC_PNG, PAT_CROP, 30, 20);
	while (b->len < (size_t)n)
		buf_putc(b, 'A');
}

/* Extras m_png_raw can add to the PNG it writes. */
#define RAW_TRNS	0x001	/* a valid tRNS */
#define RAW_TRNS_BAD	0x002	/* a tRNS with a sample out of range */
#define RAW_PLTE	0x004	/* a suggested palette in a truecolour PNG */
#define RAW_ADLER	0x008	/* a wrong zlib checksum (CRC right) */
#define RAW_ZTXT	0x010	/* a zTXt that inflates to 4 MiB */
#define RAW_ACTL	0x020	/* an acTL: animated */
#define RAW_CRITICAL	0x040	/* an unknown critical chunk */
#define RAW_BADTYPE	0x080	/* a chunk type that is not letters */
#define RAW_IHDR2	0x100	/* a second IHDR */
#define RAW_NOIEND	0x200	/* no IEND */
#define RAW_EXTRA	0x400	/* more image data than the IHDR needs */
#define RAW_NOPLTE	0x800	/* no PLTE, even for a palette image */

/* The IDAT payload of a 40x30 PNG of colour type t and bit depth d. */
static void
png_raw_idat(struct buf *z, int t, int d, int extra)
{
	static const int chans[7] = { 1, 0, 3, 1, 2, 0, 4 };
	struct buf	 raw = BUF_INIT;
	size_t		 rb = (40 * chans[t] * d + 7) / 8, i;
	uLongf		 zn;
	int		 y;

	for (y = 0; y < 30 + extra; y++) {
		buf_putc(&raw, 0);	/* filter: none */
		for (i = 0; i < rb; i++)
			buf_putc(&raw, t == 3 ? 0 : (char)(i * 7 + y * 3));
	}
	zn = compressBound(raw.len);
	z->data = xmalloc(zn);
	compress2((Bytef *)z->data, &zn, (Bytef *)raw.data, raw.len, 9);
	z->len = zn;
	buf_free(&raw);
}

/* The ancillary and odd chunks m_png_raw adds before the IDAT. */
static void
png_raw_extras(struct buf *b, int t, int d, long f)
{
	static const unsigned char trns[6] = { 0, 1, 0, 2, 0, 3 };
	static const unsigned char bad[6] = { 1, 0, 1, 0, 1, 0 };
	unsigned char	 plte[6] = { 0, 0, 0, 255, 255, 255 }, actl[8] = { 0 };
	struct buf	 z = BUF_INIT, raw = BUF_INIT;
	uLongf		 zn;

	if ((t == 3 && !(f & RAW_NOPLTE)) || (f & RAW_PLTE))
		png_chunk(b, "PLTE", plte, sizeof(plte));
	if (f & (RAW_TRNS | RAW_TRNS_BAD))
		png_chunk(b, "tRNS", f & RAW_TRNS ? trns : bad,
		    t == 0 ? 2 : t == 2 ? 6 : 1);
	if (f & RAW_ACTL)
		png_chunk(b, "acTL", actl, sizeof(actl));
	if (f & RAW_CRITICAL)
		png_chunk(b, "ABCD", "x", 1);
	if (f & RAW_BADTYPE)
		png_chunk(b, "ab<d", "x", 1);
	if (f & RAW_ZTXT) {
		raw.data = xcalloc(1, 4 << 20);
		raw.len = 4 << 20;
		zn = compressBound(raw.len);
		buf_puts(&z, "Comment");
		buf_append(&z, "\0\0", 2);
		z.data = xrealloc(z.data, z.len + zn);
		compress2((Bytef *)z.data + z.len, &zn, (Bytef *)raw.data,
		    raw.len, 9);
		png_chunk(b, "zTXt", z.data, z.len + zn);
		buf_free(&raw);
		buf_free(&z);
	}
}

/*
 * A 40x30 PNG written by hand, colour type and bit depth in spec (type *
 * 100 + depth), with the RAW_ extras in f; exercises libpng paths and the
 * chunk walk that libgd's encoder never produces.
 */
static void
m_png_raw(struct buf *b, long spec, long f)
{
	unsigned char	 ihdr[13] = { 0, 0, 0, 40, 0, 0, 0, 30 };
	struct buf	 z = BUF_INIT;
	int		 t = spec / 100, d = spec % 100;

	ihdr[8] = d;
	ihdr[9] = t;
	buf_append(b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
	if (f & RAW_IHDR2)
		png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
	png_raw_extras(b, t, d, f);
	png_raw_idat(&z, t, d, f & RAW_EXTRA ? 10 : 0);
	if (f & RAW_ADLER)
		z.data[z.len - 1] ^= 1;
	png_chunk(b, "IDAT", z.data, z.len);
	if (!(f & RAW_NOIEND))
		png_chunk(b, "IEND", "", 0);
	buf_free(&z);
}

struct rcase {
	const char	*desc;
	void		(*make)(struct buf *, long, long);
	long		 a, c;
	int		 status;	/* -1: 0 or 400, never a crash */
};

static const struct rcase refused[] = {
	{ "HTML", m_text, 0, 0, 415 },
	{ "PHP", m_text, 1, 0, 415 },
	{ "SVG", m_text, 2, 0, 415 },
	{ "TIFF", m_text, 3, 0, 415 },
	{ "AVIF", m_text, 4, 0, 415 },
	{ "HEIC", m_text, 5, 0, 415 },
	{ "RIFF WAVE", m_text, 6, 0, 415 },
	{ "WebP header cut", m_text, 7, 0, 415 },
	{ "PNG signature only", m_text, 8, 0, 415 },
	{ "PNG IHDR cut", m_text, 9, 0, 415 },
	{ "JPEG APP0 cut", m_text, 10, 0, 415 },
	{ "7 random bytes", m_text, 13, 0, 415 },
	{ "empty", m_empty, 0, 0, 415 },
	{ "GIF", m_gd, ENC_GIF, 0, 415 },
	{ "BMP", m_gd, ENC_BMP, 0, 415 },
	{ "lossless JPEG (SOF3)", m_jpeg_sof, 0xc3, 0, 415 },
	{ "hierarchical JPEG (SOF5)", m_jpeg_sof, 0xc5, 0, 415 },
	{ "animated WebP", m_webp_anim, 0, 0, 415 },
	{ "JPEG SOI then HTML", m_text, 11, 0, 400 },
	{ "PNG with IDAT first", m_text, 12, 0, 400 },
	{ "PNG cut in half", m_cut, ENC_PNG, 50, 400 },
	{ "PNG cut at 90%", m_cut, ENC_PNG, 90, 400 },
	{ "JPEG cut in half", m_cut, ENC_JPEG, 50, 400 },
	{ "progressive JPEG cut in half", m_cut, ENC_JPEG_PROGRESSIVE, 50,
	  400 },
	{ "JPEG without EOI", m_cut, ENC_JPEG, 99, 400 },
	{ "WebP cut in half", m_cut, ENC_WEBP, 50, 400 },
	{ "lossless WebP cut in half", m_cut, ENC_WEBP_LOSSLESS, 50, 400 },
	{ "PNG IDAT CRC wrong", m_png_flip, 0, 0, 400 },
	{ "PNG width 0", m_png_header, 0, 10, 400 },
	{ "PNG height 2^31", m_png_header, 10, 0x80000000L, 400 },
	{ "PNG IHDR larger than its data", m_png_resize, 600, 400, 400 },
	{ "PNG IHDR smaller than its data", m_png_resize, 30, 20, -1 },
	{ "JPEG height 0", m_jpeg_resize, 300, 0, 400 },
	{ "12-bit JPEG (libjpeg error)", m_jpeg_fatal, 0, 0, 400 },
	{ "JPEG sampling factor 0 (libjpeg error)", m_jpeg_fatal, 1, 0, 400 },
	{ "JPEG scan of a missing component (libjpeg error)", m_jpeg_fatal,
	  2, 0, 400 },
	{ "JPEG junk between segments", m_jpeg_junk, 0, 0, 400 },
	{ "JPEG with two frame headers", m_jpeg_junk, 1, 0, 400 },
	{ "JPEG SOF smaller than its data", m_jpeg_resize, 30, 20, -1 },
	{ "JPEG SOF larger than its data", m_jpeg_resize, 600, 400, -1 },
	{ "WebP canvas not the frame's size", m_webp_canvas, 100, 100, 400 },
	{ "WebP VP8 start code wrong", m_webp_badstart, 0, 0, 400 },
	{ "WebP VP8 larger than its data", m_webp_resize, 3000, 0, 400 },
	{ "gray 1-bit PNG", m_png_raw, 1, 0, 0 },
	{ "gray 8-bit PNG with tRNS", m_png_raw, 8, RAW_TRNS, 0 },
	{ "gray 8-bit PNG with tRNS out of range", m_png_raw, 8,
	  RAW_TRNS_BAD, 0 },
	{ "gray 16-bit PNG", m_png_raw, 16, 0, 0 },
	{ "gray+alpha 8-bit PNG", m_png_raw, 408, 0, 0 },
	{ "gray+alpha 16-bit PNG with tRNS", m_png_raw, 416, RAW_TRNS, 0 },
	{ "RGB 16-bit PNG with tRNS", m_png_raw, 216, RAW_TRNS, 0 },
	{ "RGB 8-bit PNG with a suggested PLTE", m_png_raw, 208, RAW_PLTE, 0 },
	{ "RGBA 16-bit PNG", m_png_raw, 616, 0, 0 },
	{ "palette 4-bit PNG with tRNS", m_png_raw, 304, RAW_TRNS, 0 },
	{ "PNG with a 4 MiB zTXt bomb", m_png_raw, 208, RAW_ZTXT, 0 },
	{ "PNG with a wrong zlib checksum", m_png_raw, 208, RAW_ADLER, -1 },
	{ "PNG with more data than its IHDR", m_png_raw, 208, RAW_EXTRA, -1 },
	{ "animated PNG", m_png_raw, 208, RAW_ACTL, 415 },
	{ "PNG with an unknown critical chunk", m_png_raw, 208, RAW_CRITICAL,
	  400 },
	{ "PNG with a chunk type not letters", m_png_raw, 208, RAW_BADTYPE,
	  400 },
	{ "PNG with two IHDRs", m_png_raw, 208, RAW_IHDR2, 400 },
	{ "PNG without IEND", m_png_raw, 208, RAW_NOIEND, 400 },
	{ "palette PNG without PLTE", m_png_raw, 304, RAW_NOPLTE, 400 },
	{ "gray PNG with bit depth 3", m_png_raw, 3, 0, 400 },
	{ "PNG claiming 100000x100000", m_png_header, 100000, 100000, 413 },
	{ "PNG claiming 4097x4096", m_png_header, 4097, 4096, 413 },
	{ "PNG claiming 4096x4097", m_png_header, 4096, 4097, 413 },
	{ "PNG claiming 8193x1", m_png_header, 8193, 1, 413 },
	{ "PNG claiming 1x8193", m_png_header, 1, 8193, 413 },
	{ "real PNG 9000x10", m_png_real, 9000, 10, 413 },
	{ "JPEG claiming 65535x65535", m_jpeg_resize, 65535, 65535, 413 },
	{ "JPEG claiming 8193x100", m_jpeg_resize, 8193, 100, 413 },
	{ "WebP VP8X canvas 16384x16384", m_webp_canvas, 16384, 16384, 413 },
	{ "WebP VP8X canvas 2^24 x 2^24", m_webp_canvas, 1L << 24, 1L << 24,
	  413 },
	{ "WebP VP8 claiming 16383x16383", m_webp_resize, 16383, 0, 413 },
	{ "WebP VP8L claiming 16384x16384", m_webp_resize, 16384, 1, 413 },
	{ "input of 2 MiB + 1", m_padded, IMAGE_MAX_BYTES + 1, 0, 413 },
	{ "input of exactly 2 MiB", m_padded, IMAGE_MAX_BYTES, 0, 0 },
	{ "JPEG with 64 scans", m_jpeg_scans, IMAGE_MAX_JPEG_SCANS, 0, 0 },
	{ "JPEG with 65 scans", m_jpeg_scans, IMAGE_MAX_JPEG_SCANS + 1, 0,
	  413 },
};

static const char *const messages[] = {
	"The image is larger than 2 MiB.",
	"The image is too large: at most 16 megapixels and 8192 pixels on "
	    "a side.",
	"The JPEG image is too complex to process; save it again as an "
	    "ordinary JPEG.",
	"Use a PNG, JPEG or WebP image.",
	"Animated images are not supported; use a still PNG, JPEG or WebP "
	    "image.",
	"The image is damaged or incomplete.",
};

/* Return 1 if s is one of the known messages. */
static int
known_message(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (strcmp(s, messages[i]) == 0)
			return 1;
	return 0;
}

static void
test_refused_one(const struct rcase *r, struct buf *b)
{
	struct image	 img;
	double		 t;
	int		 rc, want = r->status;

	t = now();
	rc = image_avatar(&img, b->data, b->len);
	t = now() - t;
	if (want == -1) {
		ok((rc == 0 && img.data != NULL) ||
		    (rc == -1 && img.status == 400), "%s: 0 or 400 (%d)",
		    r->desc, rc == 0 ? 0 : img.status);
	} else if (want == 0) {
		is_int(rc, 0, "%s: accepted", r->desc);
	} else {
		ok(rc == -1 && img.data == NULL, "%s: refused", r->desc);
		is_int(img.status, want, "%s: status", r->desc);
		ok(known_message(img.errmsg), "%s: message '%s'", r->desc,
		    img.errmsg);
	}
	if (want == 413 && r->make != m_padded && r->make != m_jpeg_scans &&
	    r->make != m_png_real)
		ok(t < 0.05, "%s: refused before decoding (%.2f ms)",
		    r->desc, t * 1e3);
	image_free(&img);
}

static void
test_refused(void)
{
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		b = (struct buf)BUF_INIT;
		refused[i].make(&b, refused[i].a, refused[i].c);
		test_refused_one(&refused[i], &b);
		buf_free(&b);
	}
}

/* NULL with no bytes is an empty upload, not a crash. */
static void
test_null(void)
{
	struct image	 img;

	ok(image_avatar(&img, NULL, 0) == -1 && img.status == 415,
	    "NULL, 0: 415");
	image_free(&img);
}

/* ------------------------------------------------------------ robustness */

static uint32_t rng = 0x60;

static uint32_t
xorshift(void)
{

	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Return 1 if the outcome of image_avatar is one it documents. */
static int
sane(int rc, const struct image *img)
{

	if (rc == 0)
		return img->data != NULL && img->size > 0;
	return rc == -1 && img->data == NULL && known_message(img->errmsg) &&
	    (img->status == 400 || img->status == 413 || img->status == 415);
}

/* Give every chunk of the PNG in b a correct CRC again. */
static void
png_fix_crcs(struct buf *b)
{
	size_t		 pos;
	uint32_t	 len;

	for (pos = 8; b->len - pos >= 12; pos += 12 + (size_t)len) {
		len = (uint32_t)u(b)[pos] << 24 | u(b)[pos + 1] << 16 |
		    u(b)[pos + 2] << 8 | u(b)[pos + 3];
		if (len > b->len - pos - 12)
			break;
		put_be32(u(b) + pos + 8 + len, crc32(0, u(b) + pos + 4,
		    4 + len));
	}
}

/*
 * Every prefix (in steps) and many mutants of a small image of each kind
 * give a documented outcome; ASan and valgrind watch the rest. PNG
 * mutants get their CRCs fixed, so they reach libpng. Valgrind gets a
 * thirtieth of the mutants: ASan sees them all.
 */
static void
test_mutants(enum enc enc, const char *name)
{
	struct buf	 b = BUF_INIT, m = BUF_INIT;
	struct image	 img;
	size_t		 n, i, bad = 0, tries = 0, step = 1, many = 300;
	int		 rc, k;

	if (RUNNING_ON_VALGRIND) {
		step = 16;
		many = 10;
	}
	make(&b, enc, PAT_QUAD, 48, 32);
	if (b.len < 64)
		fatalx("%s: libgd made %zu bytes", name, b.len);
	for (n = 0; n <= b.len; n += n < 128 ? step : 13 * step, tries++) {
		rc = image_avatar(&img, b.data, n);
		bad += !sane(rc, &img) || (n < b.len - 2 && rc == 0);
		image_free(&img);
	}
	for (i = 0; i < many; i++, tries++) {
		buf_reset(&m);
		buf_append(&m, b.data, b.len);
		for (k = 1 + xorshift() % 4; k > 0; k--)
			u(&m)[xorshift() % (i % 2 ? 64 : m.len)] = xorshift();
		if (enc == ENC_PNG)
			png_fix_crcs(&m);
		rc = image_avatar(&img, m.data, m.len);
		bad += !sane(rc, &img);
		image_free(&img);
	}
	is_int(bad, 0, "%s: %zu prefixes and mutants all 0, 400, 413 or 415",
	    name, tries);
	buf_free(&m);
	buf_free(&b);
}

/* Random byte strings are never taken for an image. */
static void
test_random(void)
{
	unsigned char	 p[64];
	struct image	 img;
	size_t		 i, n, j, bad = 0;

	for (i = 0; i < 1000; i++) {
		n = xorshift() % sizeof(p);
		for (j = 0; j < n; j++)
			p[j] = xorshift();
		bad += image_avatar(&img, p, n) != -1 || !sane(-1, &img);
		image_free(&img);
	}
	is_int(bad, 0, "1000 random byte strings refused");
}

/* zlib's crc32 agrees with the IHDR CRC libpng wrote. */
static void
test_crc(void)
{
	struct buf	 b = BUF_INIT;
	unsigned char	 want[4];

	make(&b, ENC_PNG, PAT_CROP, 30, 20);
	put_be32(want, crc32(0, u(&b) + 12, 17));
	ok(b.len > 33 && memcmp(u(&b) + 29, want, 4) == 0,
	    "crafted IHDR CRCs are computed as libpng does");
	buf_free(&b);
}

/*
 * Debian's libgd 2.3.3 leaves libpng's warning handler at its default,
 * which prints. After image.c's chunk walk two kinds of line remain, both
 * fixed text: the interlace notice (libgd never asks libpng to handle
 * interlacing) and a zlib or libpng message about the image data.
 */
static int
libpng_line(const char *s)
{
	static const char interlace[] = "libpng warning: Interlace handling "
	    "should be turned on when using png_read_image";
	static const char idat[] = "libpng warning: IDAT: ";

	if (strcmp(s, interlace) == 0)
		return 1;
	if (strncmp(s, idat, sizeof(idat) - 1) != 0)
		return 0;
	s += sizeof(idat) - 1;
	return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ /") == strlen(s);
}

/* Check what the libraries printed to the file f during the tests. */
static void
test_stderr(FILE *f)
{
	char	 line[512];
	size_t	 n = 0, other = 0;

	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (libpng_line(line))
			n++;
		else if (other++ < 5)
			diag("stderr: %.100s", line);
	}
	is_int(other, 0, "stderr: only fixed libpng lines, never input bytes");
	diag("stderr: %zu fixed libpng lines", n);
}

/*
 * Run everything with stderr sent to a file in the current directory, then
 * check it. The file is removed on success and kept after a crash, as it
 * then holds the sanitizer's report.
 */
int
main(void)
{
	const char	*path = "0060-image.stderr";
	FILE		*tmp;
	int		 saved;

	tmp = fopen(path, "w+");
	saved = dup(STDERR_FILENO);
	if (tmp == NULL || saved == -1 ||
	    dup2(fileno(tmp), STDERR_FILENO) == -1)
		return 99;
	diag("stderr goes to %s until the end", path);
	test_crc();
	test_valid();
	test_exif();
	test_badexif();
	test_polyglots();
	test_refused();
	test_null();
	test_mutants(ENC_PNG, "PNG");
	test_mutants(ENC_JPEG, "JPEG");
	test_mutants(ENC_JPEG_PROGRESSIVE, "progressive JPEG");
	test_mutants(ENC_WEBP, "WebP");
	test_mutants(ENC_WEBP_LOSSLESS, "lossless WebP");
	test_random();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	test_stderr(tmp);
	fclose(tmp);
	unlink(path);
	return done_testing();
}
