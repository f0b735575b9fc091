/* counters.h -- a unit's counters (quầy): add, rename, disable, list. */
#ifndef HAILONG_COUNTERS_H
#define HAILONG_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

struct change;
struct db;

#define COUNTER_NUMBER_MAX 999
#define COUNTER_NAME_MAX 100 /* bytes of UTF-8 */

struct counter_row {
	char unit[41];
	int number;
	char name[COUNTER_NAME_MAX + 1];
	bool active;
	int64_t disabled_at; /* 0 while active */
	int kiosks;          /* active (not revoked) kiosks at it */
	char on_duty[33];    /* officer on duty now, "" when none */
};

/*
 * Add counter `number` (1..COUNTER_NUMBER_MAX) named `name` (1..
 * COUNTER_NAME_MAX bytes of clean UTF-8) to an active unit.  SETUP_BAD
 * when the unit is unknown or disabled or the number taken.
 */
int counters_add(struct db *db, struct change *ch, const char *unit, int number,
    const char *name);

int counters_rename(struct db *db, struct change *ch, const char *unit,
    int number, const char *name);

/*
 * Disable a counter: no new rating from `now` on (QR tokens naming it
 * answer 410 with a Vietnamese page, its kiosks' config says so and
 * their later ratings are rejected "counter_disabled"); an open duty at
 * it ends.  History and figures stay.
 */
int counters_disable(
    struct db *db, struct change *ch, const char *unit, int number);

/* 0 active, 1 unknown, 2 disabled (*disabled_at set), -1 error. */
int counters_state(
    struct db *db, const char *unit, int number, int64_t *disabled_at);

/*
 * Call fn for each counter of `unit`, by number.  fn returning non-zero
 * stops.  0, or -1 on a database error.
 */
int counters_list(struct db *db, const char *unit,
    int (*fn)(void *arg, const struct counter_row *c), void *arg);

#endif
