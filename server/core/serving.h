/* serving.h -- the dossier each counter serves now, in memory. */
#ifndef HAILONG_SERVING_H
#define HAILONG_SERVING_H

#include <stdint.h>

/*
 * The one-stop system says which dossier a counter is serving (POST
 * /api/v1/counters/{unit}/{number}/serving); the counter's kiosk asks
 * every few seconds (GET WIRE_PATH_SERVING, wire.h), shows the code and
 * binds the next rating to it.  The table lives in the server's memory
 * only: a restart forgets what every counter serves, and the kiosks
 * then show none until the one-stop system says again, which it does at
 * the next citizen.  That is the safe side: a stale dossier bound to a
 * rating would attribute it to the wrong citizen's procedure, a missing
 * one only leaves the rating unbound, as every kiosk rating was before.
 * An entry older than WIRE_SERVING_TTL is forgotten too (a counter left
 * "serving" overnight).
 *
 * Each assignment has a serial, strictly increasing across restarts
 * (microseconds of the wall clock, or one above the last), so that a
 * kiosk that consumed serial N (a rating bound to it, or the page's
 * idle reset) never shows it again, and shows the same dossier given a
 * second time.  Thread-safe.
 */

#define SERVING_MAX 8192 /* counters with a dossier at one time */

struct serving {
	char dossier[65]; /* a mã hồ sơ */
	int64_t serial;   /* > 0 */
	int64_t since;    /* Unix seconds */
};

/*
 * Counter `counter` of `unit` serves `dossier` from `now`, or nothing
 * (dossier NULL).  *out gets the new entry (serial 0 when cleared).  0,
 * or -1 when the table is full (SERVING_MAX).
 */
int serving_set(const char *unit, int counter, const char *dossier, int64_t now,
    struct serving *out);

/* What the counter serves at `now`: 0 and *out, or 1 for nothing. */
int
serving_get(const char *unit, int counter, int64_t now, struct serving *out);

/* Forget every counter (tests). */
void serving_reset(void);

#endif
