/* buf.h -- growable byte buffers with a size cap. */
#ifndef HAILONG_BUF_H
#define HAILONG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A buffer of bytes that is always NUL-terminated and never grows past
 * `max` bytes of content (0 means BUF_DEFAULT_MAX).  The zero value is an
 * empty buffer ready to use:
 *
 *	struct buf b = {0};
 *	buf_puts(&b, "xin chào");
 *	...
 *	buf_release(&b);
 *
 * When an append would pass the cap, the buffer is marked `failed`, the
 * append does nothing, and every later append does nothing either, so a
 * sequence of appends can be checked once at the end with buf_failed().
 * Out of memory aborts (see xmalloc).
 */
struct buf {
	char *data;  /* NUL-terminated content, or NULL when never grown */
	size_t len;  /* bytes of content, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* cap on len; 0 means BUF_DEFAULT_MAX */
	bool failed; /* an append was refused because of the cap */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

/* Set the content cap; it never shrinks existing content. */
void buf_init(struct buf *b, size_t max);
/* Free the content; the buffer is empty and usable again. */
void buf_release(struct buf *b);
/* Forget the content but keep the allocation and the cap. */
void buf_reset(struct buf *b);
/*
 * Hand the content over to the caller (new, free() it) and leave the
 * buffer empty.  Never NULL: an empty buffer yields "".
 */
char *buf_detach(struct buf *b, size_t *len);

int buf_add(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Append `s` escaped for HTML text and double-quoted attribute values. */
int buf_html(struct buf *b, const char *s);
/* Append `s` percent-encoded for a URL component (RFC 3986 unreserved). */
int buf_urlenc(struct buf *b, const char *s);

/* Return the content as a C string; "" when empty.  Borrowed. */
const char *buf_str(const struct buf *b);
bool buf_failed(const struct buf *b);

#endif
