/* qr.c -- QR codes: libqrencode's matrix drawn as SVG or text. */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "hailong/qr.h"
#include "hailong/util.h"

struct qr *
qr_encode(const char *text)
{
	size_t len = strlen(text);
	QRcode *c;
	struct qr *q;

	if (len == 0 || len > QR_TEXT_MAX)
		return NULL;
	c = QRcode_encodeData(
	    (int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (c == NULL)
		return NULL;
	q = xcalloc(1, sizeof(*q));
	q->width = c->width;
	q->dark = xmalloc((size_t)c->width * (size_t)c->width);
	for (int i = 0; i < c->width * c->width; i++)
		q->dark[i] = c->data[i] & 1;
	QRcode_free(c);
	return q;
}

void
qr_free(struct qr *q)
{
	if (q == NULL)
		return;
	free(q->dark);
	free(q);
}

bool
qr_is_dark(const struct qr *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return false;
	return q->dark[y * q->width + x] != 0;
}

int
qr_svg(const struct qr *q, int px, struct buf *out)
{
	int size = (q->width + 2 * QR_QUIET) * px;

	buf_printf(out,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\">\n"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
	    "<path fill=\"#000\" d=\"",
	    size, size, size, size, size, size);
	/* one horizontal run per subpath keeps the file small */
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width; x++) {
			int run = 0;

			while (x + run < q->width && qr_is_dark(q, x + run, y))
				run++;
			if (run == 0)
				continue;
			buf_printf(out, "M%d %dh%dv%dh-%dz",
			    (x + QR_QUIET) * px, (y + QR_QUIET) * px, run * px,
			    px, run * px);
			x += run;
		}
	}
	buf_puts(out, "\"/>\n</svg>\n");
	return buf_failed(out) ? -1 : 0;
}

int
qr_txt(const struct qr *q, bool invert, struct buf *out)
{
	static const char *const glyph[4] = {
		" ",      /* neither half inked */
		"\u2580", /* upper half */
		"\u2584", /* lower half */
		"\u2588", /* full block */
	};
	int lo = -QR_QUIET / 2, hi = q->width + QR_QUIET / 2;

	for (int y = lo; y < hi; y += 2) {
		for (int x = lo; x < hi; x++) {
			bool top = qr_is_dark(q, x, y) == invert;
			bool bot = y + 1 < hi
			    ? qr_is_dark(q, x, y + 1) == invert
			    : false;

			/* outside the matrix every module is light */
			buf_puts(out, glyph[(top ? 1 : 0) | (bot ? 2 : 0)]);
		}
		buf_putc(out, '\n');
	}
	return buf_failed(out) ? -1 : 0;
}
