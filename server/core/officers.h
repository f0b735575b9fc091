/* officers.h -- the officers (cán bộ) who serve at a unit's counters. */
#ifndef HAILONG_OFFICERS_H
#define HAILONG_OFFICERS_H

#include <stdbool.h>

struct change;
struct db;

#define OFFICER_NAME_MAX 100 /* bytes of UTF-8 */

struct officer_row {
	char id[33];
	char unit[41];
	char name[OFFICER_NAME_MAX + 1];
	int counter; /* the usual counter, 0 for none */
	bool active;
	int on_duty; /* counter where on duty now, 0 when not */
};

/*
 * Add officer `id` (is_officer_id(): unique across units) named `name`
 * to an active unit, with an optional usual counter (0 for none; must be
 * an active counter of the unit).
 */
int officers_add(struct db *db, struct change *ch, const char *unit,
    const char *id, const char *name, int counter);

/* Disable: no new duty, no new kiosk; an open duty ends; figures stay. */
int officers_disable(struct db *db, struct change *ch, const char *id);

/* 0 active, 2 disabled (either way its unit copied to unit when not
 * NULL), 1 unknown, -1 error. */
int officers_state(struct db *db, const char *id, char unit[41]);

/*
 * Each officer of `unit` (all units when NULL), by id; fn returning
 * non-zero stops.  0 or -1.
 */
int officers_list(struct db *db, const char *unit,
    int (*fn)(void *arg, const struct officer_row *o), void *arg);

#endif
