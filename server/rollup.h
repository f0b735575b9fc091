/* rollup.h -- monthly rating counts kept beside the ratings, by the writer. */
#ifndef HAILONG_ROLLUP_H
#define HAILONG_ROLLUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/rating.h"

struct db;
struct metrics;

/*
 * The writer's hook (writer_hook_fn, see writer.h): in the transaction
 * that stores rating `r`, add it to its unit's monthly rollups when it
 * is valid (a rating stored as burst counts in nothing).  Two prepared,
 * cached UPSERTs at most: one by procedure, one by counter and officer
 * (only when the rating names either).  0 or -1 (the batch then fails).
 */
int rollup_hook(struct db *db, const struct rating *r, int64_t seq);

/*
 * Add (sign 1) or take away (sign -1) one rating's counts, whatever its
 * status; must run inside the caller's write transaction.  Used when a
 * rating's status changes (ratings_set_status()).  0 or -1.
 */
int rollup_apply(struct db *db, const struct rating *r, int sign);

/*
 * Read m->unit's month from the rollups into m's total and its
 * procedure, counter and officer scopes (adding to what is there).
 * `unit_only`: without the subordinate units.  Runs in the caller's read
 * transaction if any.  0 or -1.
 */
int rollup_read(struct db *db, struct metrics *m, bool unit_only);

#endif
