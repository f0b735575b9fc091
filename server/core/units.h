/* units.h -- the units and their counters, as pages and reports name them. */
#ifndef HAILONG_UNITS_H
#define HAILONG_UNITS_H

#include <stdbool.h>
#include <stdint.h>

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

/* The same for officer `id` (officers.h), whatever their unit. */
int units_officer_name(struct db *db, const char *id, struct buf *name);

/*
 * Since when `unit`, and its counter `counter` when > 0, take no new
 * rating: *unit_at and *counter_at are the instants they were disabled
 * (1 for a unit inactive without a date), 0 while active.  A rating
 * given at t is refused when a non-zero one is <= t.  Unknown units and
 * counters count as active: the caller's other checks find them.  0, or
 * -1 on a database error.  One query, for the form and the kiosks.
 */
int units_closed_since(struct db *db, const char *unit, int counter,
    int64_t *unit_at, int64_t *counter_at);

/* ---- setup (issue 16): every change audited, see setup.h ---- */

struct change;

#define UNIT_NAME_MAX 300     /* bytes of UTF-8 */
#define UNIT_STAT_CODE_MAX 10 /* mã đơn vị hành chính: digits */

/* One row of `units`, as `unit list` prints it. */
struct unit_row {
	char code[41];
	char name[UNIT_NAME_MAX + 1];
	char level[12]; /* province, department, commune, centre, other */
	char parent[41];
	char stat_code[UNIT_STAT_CODE_MAX + 1];
	bool active;
	int depth; /* below the `under` of units_list(), 0 for it */
};

/*
 * Add a unit under an active parent (NULL or "" only for a top unit, and
 * only from the command line).  Checks: the code's shape (is_unit_code),
 * a name of 1..UNIT_NAME_MAX bytes of clean UTF-8, a known level, a
 * stat_code of digits (NULL or "" for none), no such code yet.  The
 * closure table and the subtree rollups follow.
 */
int
units_add(struct db *db, struct change *ch, const char *code, const char *name,
    const char *level, const char *parent, const char *stat_code);

/* What units_import() did. */
struct units_import_counts {
	int added, updated, skipped;
};

/*
 * Upsert units from CSV with the columns of data/units.csv
 * (code,name,level,parent_code) and an optional fifth, stat_code.  The
 * whole file is checked first (shapes, parents known in the database or
 * earlier in the file, no cycle, no disabled parent) and a bad line
 * refuses it all with "ORIGIN:LINE: column: what is wrong" -- unless
 * skip_bad, when bad lines are left out and counted.  `only` (NULL for
 * all) keeps the rows of that unit and its descendants in the file: a
 * province's part of the national list.  One transaction, one audit
 * entry with the counts.
 */
int units_import(struct db *db, struct change *ch, const char *csv, size_t len,
    const char *origin, const char *only, bool skip_bad,
    struct units_import_counts *counts);

/*
 * Call fn for `under` and every unit below it (all units when under is
 * NULL), parents before children, siblings by code.  fn returning
 * non-zero stops the walk.  0, 1 when `under` is unknown, -1 on a
 * database error.
 */
int units_list(struct db *db, const char *under,
    int (*fn)(void *arg, const struct unit_row *u), void *arg);

int units_rename(
    struct db *db, struct change *ch, const char *code, const char *name);

/*
 * Disable a unit: refused while it has active units below it.  Its
 * users keep their accounts, its figures stay; it takes no new rating.
 */
int units_disable(struct db *db, struct change *ch, const char *code);

#endif
