/* units.h -- the units and their counters, as pages and reports name them. */
#ifndef HAILONG_UNITS_H
#define HAILONG_UNITS_H

struct buf;
struct db;

/*
 * Append the name of unit `code` to name.  0, 1 when there is no such
 * unit (nothing appended), -1 on a database error.
 */
int units_name(struct db *db, const char *code, struct buf *name);

/* The same for counter `number` of `unit`. */
int units_counter_name(
    struct db *db, const char *unit, int number, struct buf *name);

#endif
