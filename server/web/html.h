/* html.h -- the frame of every page, and the simple message pages. */
#ifndef HAILONG_HTML_H
#define HAILONG_HTML_H

#include "hailong/buf.h"
#include "core/i18n.h"

struct ctx;

/*
 * Start a document: doctype, <head> with the title (escaped), the
 * stylesheet at `css` (a /static/ path), and open <body>.
 */
void
html_begin(struct buf *b, enum lang lang, const char *title, const char *css);
void html_end(struct buf *b);

/*
 * A page with a heading and a paragraph (message texts of i18n.h), with
 * status.  Used for thanks, refusals and errors alike.
 */
void page_message(struct ctx *c, int status, enum msg title, enum msg text);
void page_not_found(struct ctx *c);

#endif
