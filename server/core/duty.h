/* duty.h -- the duty log: which officer sits at which counter, when. */
#ifndef HAILONG_DUTY_H
#define HAILONG_DUTY_H

#include <stdint.h>

struct change;
struct db;

struct duty_row {
	int64_t id;
	char unit[41];
	int counter;
	char officer[33];
	int64_t started_at, ended_at; /* ended_at 0 while on duty */
	char started_by[64], ended_by[64];
};

/*
 * Officer `officer` (active, of `unit`) takes counter `counter` (active)
 * at `at` (Unix seconds; not in the future, not before the last change
 * at that counter or of that officer).  Whoever was on duty there ends
 * at `at`, and so does the officer's open duty at another counter (a
 * change of shift is one call).  Starting the same officer again at the
 * same counter changes nothing and returns 0.
 */
int duty_start(struct db *db, struct change *ch, const char *unit, int counter,
    const char *officer, int64_t at);

/* End the open duty at the counter at `at`.  SETUP_BAD when none. */
int duty_end(struct db *db, struct change *ch, const char *unit, int counter,
    int64_t at);

/*
 * The officer on duty at the counter at instant t into officer (33
 * bytes).  0 found, 1 none, -1 error.  A prepared-statement lookup for
 * the writer's hot path.
 */
int duty_officer_at(
    struct db *db, const char *unit, int counter, int64_t t, char officer[33]);

/*
 * The log of `unit` for spans touching [from, until), newest first;
 * fn returning non-zero stops.  0 or -1.
 */
int duty_list(struct db *db, const char *unit, int64_t from, int64_t until,
    int (*fn)(void *arg, const struct duty_row *d), void *arg);

#endif
