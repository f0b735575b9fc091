/* ratelimit.h -- at most N events per key per window, in bounded memory. */
#ifndef HAILONG_RATELIMIT_H
#define HAILONG_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit;

/*
 * `limit` events per key in each `window` seconds (fixed windows).  At
 * most `slots` keys are tracked; when the table is full the stalest key
 * in a key's neighbourhood is forgotten, so memory never grows with the
 * number of clients.  limit 0 allows everything.  New: ratelimit_free().
 */
struct ratelimit *
ratelimit_new(unsigned limit, unsigned window, unsigned slots);
void ratelimit_free(struct ratelimit *rl);

/*
 * Count one event for `key` (at most 63 bytes are used) at time `now`.
 * True when allowed; false when over the limit, with *retry_after the
 * seconds until the window ends.  Thread-safe.
 */
bool ratelimit_hit(
    struct ratelimit *rl, const char *key, int64_t now, unsigned *retry_after);

/*
 * Whether `key` is over the limit now, without counting an event (a
 * login checks first and counts only its failures).  True when allowed.
 */
bool ratelimit_check(
    struct ratelimit *rl, const char *key, int64_t now, unsigned *retry_after);

/* Forget a key (a successful login clears its failures). */
void ratelimit_clear(struct ratelimit *rl, const char *key);

#endif
