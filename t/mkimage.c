/* mkimage: write a test image (png, jpeg or webp, W x H, a gradient) to stdout for the black-box tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>

int
main(int argc, char *argv[])
{
	gdImagePtr	 im;
	void		*out = NULL;
	int		 w, h, x, y, size = 0;

	if (argc != 4 || (w = atoi(argv[2])) < 1 || (h = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: mkimage png|jpeg|webp W H >file\n");
		return 2;
	}
	if ((im = gdImageCreateTrueColor(w, h)) == NULL)
		return 1;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			gdImageSetPixel(im, x, y, gdTrueColor(x * 255 / w,
			    y * 255 / h, 128));
	if (strcmp(argv[1], "png") == 0)
		out = gdImagePngPtr(im, &size);
	else if (strcmp(argv[1], "jpeg") == 0)
		out = gdImageJpegPtr(im, &size, 90);
	else if (strcmp(argv[1], "webp") == 0)
		out = gdImageWebpPtr(im, &size);
	gdImageDestroy(im);
	if (out == NULL)
		return 1;
	fwrite(out, 1, (size_t)size, stdout);
	gdFree(out);
	return 0;
}
