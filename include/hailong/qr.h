/* qr.h -- QR codes: libqrencode's matrix drawn as SVG, PNG or text. */
#ifndef HAILONG_QR_H
#define HAILONG_QR_H

#include <stdbool.h>
#include <stddef.h>

#include "hailong/buf.h"

#define QR_TEXT_MAX 1024 /* longer text is refused */
#define QR_QUIET 4       /* quiet zone in modules, as the standard asks */

struct qr {
	int width;           /* modules per side, without the quiet zone */
	unsigned char *dark; /* width*width, 1 where the module is dark */
};

/*
 * Encode `text` (8-bit mode, error correction level M, the smallest
 * version that fits).  New: free with qr_free().  NULL on failure.
 */
struct qr *qr_encode(const char *text);
void qr_free(struct qr *q);
bool qr_is_dark(const struct qr *q, int x, int y);

/* An SVG document, one path, `px` user units per module. */
int qr_svg(const struct qr *q, int px, struct buf *out);
/* A grey-scale PNG, `px` pixels per module (1-40).  0 or -1. */
int qr_png(const struct qr *q, int px, struct buf *out);
/*
 * Text for a terminal: two module rows per line with Unicode half blocks,
 * light modules drawn as ink (as `qrencode -t UTF8` does), so it scans on
 * a dark terminal.  `invert` draws dark modules as ink instead.
 */
int qr_txt(const struct qr *q, bool invert, struct buf *out);

#endif
