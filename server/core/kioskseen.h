/* kioskseen.h -- the kiosks' replay guard and last contact, in memory. */
#ifndef HAILONG_KIOSKSEEN_H
#define HAILONG_KIOSKSEEN_H

#include <stdint.h>

struct db;
struct kiosk;

/*
 * Every signed kiosk request raises the kiosk's nonce, and a batch its
 * highest sequence number.  Written at once, each would be a commit of
 * its own (an fsync per request, beside the writer's); instead they are
 * decided here, under a mutex, and written in the writer's next
 * transaction (kioskseen_flush() is part of the writer's hooks) and by
 * each heartbeat.  So a batch's nonce is on disk in the same transaction
 * as its ratings: after a crash, a request whose ratings were
 * acknowledged is still a replay, and one whose ratings were not may be
 * sent again, which is what the kiosk does anyway (duplicates are
 * answered as such).
 */

/*
 * Accept `nonce` for kiosk k (as read from the database, whose
 * last_nonce counts too) only when it is above every nonce accepted
 * before; note the kiosk as seen at `now`.  0 accepted, 1 replay (*last
 * gets the highest accepted), -1 out of memory.
 */
int kioskseen_nonce(
    const struct kiosk *k, int64_t nonce, int64_t now, int64_t *last);

/* Raise the kiosk's highest sequence number seen. */
void kioskseen_seq(const char *id, int64_t seq);

/* The kiosk's newest accepted nonce in memory, or -1. */
int64_t kioskseen_last_nonce(const char *id);

/*
 * Write what changed since the last flush, in the caller's transaction
 * (the writer's: it is its flush hook).  0 or -1.
 */
int kioskseen_flush(struct db *db);

/* The transaction that held a flush failed: write it all again. */
void kioskseen_reset(void);

/* Forget everything (tests; a server that stopped). */
void kioskseen_clear(void);

#endif
