/* image.h: avatar uploads checked by their bytes, decoded and re-encoded with libgd. */
#ifndef WA_IMAGE_H
#define WA_IMAGE_H

#include <stddef.h>

/* Limits; docs/avatars.md says why each has its value. */
#define IMAGE_MAX_BYTES		(2 * 1024 * 1024)	/* input, 413 above */
#define IMAGE_MAX_PIXELS	(4096L * 4096L)		/* 16 Mpx, 413 above */
#define IMAGE_MAX_SIDE		8192			/* either side, 413 above */
#define IMAGE_MAX_JPEG_SCANS	64			/* SOS markers, 413 above */
#define IMAGE_AVATAR_SIDE	256			/* output is always this square */
#define IMAGE_WEBP_QUALITY	85			/* lossy WebP, 0..100 */

enum image_type {
	IMAGE_PNG,
	IMAGE_JPEG,
	IMAGE_WEBP,
	IMAGE__MAX
};

/* "image/png", "image/jpeg", "image/webp". */
extern const char *const image_mime[IMAGE__MAX];

struct image {
	unsigned char	*data;		/* re-encoded bytes; free with image_free */
	size_t		 size;
	enum image_type	 type;		/* type of data (always IMAGE_WEBP) */
	char		 errmsg[128];	/* on failure: fit to show the user */
	int		 status;	/* on failure: 400, 413 or 415 */
};

int	image_avatar(struct image *, const void *in, size_t n);
void	image_free(struct image *);

#endif
