/* page.h -- the touch page and its local API, served on 127.0.0.1. */
#ifndef KIOSK_PAGE_H
#define KIOSK_PAGE_H

#include <stddef.h>

struct outbox;
struct page;
struct sender;
struct served;

/*
 * Serves kiosk/ui/ (built into the binary) and the local API of
 * include/hailong/wire.h to the full-screen browser on the device,
 * through lib/http.c like the server.  A rating is answered 201 only
 * after outbox_add() committed it; the page never learns or shows more
 * than "thank you", so the officer at the counter sees nothing of it.
 */
struct page_config {
	const char *listen;    /* "127.0.0.1:PORT" (port 0: any free one) */
	struct outbox *ob;     /* borrowed */
	struct sender *sender; /* borrowed, may be NULL: kicked on a rating */
	struct served *served; /* borrowed, may be NULL: no served dossier */
	unsigned reset_s;      /* idle seconds before the page starts over */
	unsigned burst_s;      /* a press this soon after the last: burst */
};

/* Start serving.  New: page_stop().  NULL with err filled. */
struct page *
page_start(const struct page_config *cfg, char *err, size_t errlen);

/* "http://ADDR:PORT" as bound.  Borrowed. */
const char *page_url(const struct page *p);

/* Finish the requests in flight and stop.  Accepts NULL. */
void page_stop(struct page *p);

#endif
