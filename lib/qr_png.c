/* qr_png.c -- QR codes as PNG: libpng's one door, apart from qr.c. */
#include <stdlib.h>

#include <png.h>

#include "hailong/qr.h"
#include "hailong/util.h"

static void
png_write_buf(png_structp p, png_bytep data, png_size_t len)
{
	struct buf *out = png_get_io_ptr(p);

	if (buf_add(out, data, len) < 0)
		png_error(p, "output too large");
}

static void
png_flush_none(png_structp p)
{
	(void)p;
}

int
qr_png(const struct qr *q, int px, struct buf *out)
{
	png_structp p = NULL;
	png_infop info = NULL;
	unsigned char *volatile row = NULL;
	int size;
	volatile int rc = -1;

	if (px < 1 || px > 40)
		return -1;
	size = (q->width + 2 * QR_QUIET) * px;
	p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (p == NULL)
		return -1;
	info = png_create_info_struct(p);
	if (info == NULL)
		goto out;
	if (setjmp(png_jmpbuf(p)))
		goto out;
	row = xmalloc((size_t)size);
	png_set_write_fn(p, out, png_write_buf, png_flush_none);
	png_set_IHDR(p, info, (png_uint_32)size, (png_uint_32)size, 8,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p, info);
	for (int y = 0; y < size; y++) {
		int my = y / px - QR_QUIET;

		for (int x = 0; x < size; x++)
			row[x] = qr_is_dark(q, x / px - QR_QUIET, my) ? 0 : 255;
		png_write_row(p, row);
	}
	png_write_end(p, NULL);
	rc = 0;
out:
	free(row);
	png_destroy_write_struct(&p, &info);
	return rc;
}
