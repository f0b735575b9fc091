/* units.h -- the units and their counters, as pages and reports name them. */
#ifndef HAILONG_UNITS_H
#define HAILONG_UNITS_H

#include <stdbool.h>

struct buf;
struct db;

/* A unit as the console shows it. */
struct unit_info {
	char code[41];
	char name[301];  /* cut to 300 bytes */
	char parent[41]; /* "" at the top */
	bool active;
};

/* Unit code into *u.  0, 1 when there is no such unit, -1 on error. */
int units_get(struct db *db, const char *code, struct unit_info *u);

/*
 * Append the name of unit `code` to name.  0, 1 when there is no such
 * unit (nothing appended), -1 on a database error.
 */
int units_name(struct db *db, const char *code, struct buf *name);

/* The same for counter `number` of `unit`. */
int units_counter_name(
    struct db *db, const char *unit, int number, struct buf *name);

#endif
