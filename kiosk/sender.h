/* sender.h -- the background thread that delivers the outbox to the server. */
#ifndef KIOSK_SENDER_H
#define KIOSK_SENDER_H

#include <stddef.h>

struct ident;
struct outbox;
struct sender;
struct served;

/*
 * The sender posts pending entries in batches (one keep-alive connection,
 * every request signed), records the server's answer for each entry in
 * one outbox transaction, sends a heartbeat every heartbeat_s seconds,
 * and fetches and caches the kiosk's configuration (outbox state
 * "config").  While the server cannot be reached it waits with
 * exponential back-off and jitter, from retry_min_ms up to retry_max_ms,
 * so it resumes within retry_max_ms of the server's return.  With
 * `served`, it also asks every serving_ms which dossier the counter
 * serves (WIRE_PATH_SERVING) and records it there (served.h); a server
 * that does not know the path (404) is asked again at that pace, with
 * no back-off: it only means no dossier is served.
 */
struct sender_config {
	struct outbox *ob;      /* borrowed; outlives the sender */
	const struct ident *id; /* copied */
	const char *ca_file;    /* NULL: the system's CAs */
	unsigned batch_max;     /* 0: 500 (at most WIRE_BATCH_MAX) */
	unsigned heartbeat_s;   /* 0: WIRE_HEARTBEAT_EVERY */
	unsigned retry_min_ms;  /* 0: 500 */
	unsigned retry_max_ms;  /* 0: 10000 */
	unsigned timeout_ms;    /* per request; 0: 30000 */
	struct served *served;  /* borrowed; NULL: never ask */
	unsigned serving_ms;    /* 0: WIRE_SERVING_EVERY seconds */
};

/* Start the thread.  New: sender_stop().  NULL with err filled. */
struct sender *
sender_start(const struct sender_config *cfg, char *err, size_t errlen);

/* A new entry is in the outbox: look now (any thread; cheap). */
void sender_kick(struct sender *s);

/*
 * Stop: abandon a request in flight (its entries stay pending), join
 * the thread, free.  Accepts NULL.
 */
void sender_stop(struct sender *s);

#endif
