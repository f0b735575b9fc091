/* rollup.h -- monthly rating counts kept beside the ratings, by the writer. */
#ifndef HAILONG_ROLLUP_H
#define HAILONG_ROLLUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/rating.h"

struct db;
struct metrics;

/*
 * The writer's hooks (struct writer_hooks, see writer.h): in the
 * transaction that stores a batch, rollup_hook() gathers each valid
 * rating's counts (a rating stored as burst counts in nothing) by (unit,
 * month, procedure) and by (unit, month, counter, officer), and
 * rollup_flush(), before COMMIT, adds them with one prepared UPSERT per
 * distinct key; rollup_reset() forgets a failed batch.  The gathered
 * counts are the calling thread's own.  0 or -1 (the batch then fails).
 */
int rollup_hook(struct db *db, const struct rating *r, int64_t seq);
int rollup_flush(struct db *db);
void rollup_reset(void);
extern const struct writer_hooks rollup_hooks;

/*
 * Add (sign 1) or take away (sign -1) one rating's counts, whatever its
 * status; must run inside the caller's write transaction.  Used when a
 * rating's status changes (ratings_set_status()).  0 or -1.
 */
int rollup_apply(struct db *db, const struct rating *r, int sign);

/*
 * Recompute rollup_subtree (every unit's sums over its subtree) from
 * rollup_procedure and unit_tree: after the unit tree changed.  In the
 * caller's transaction if any.  0 or -1.
 */
int rollup_rebuild_subtree(struct db *db);

/*
 * Read m->unit's month from the rollups into m's total and its
 * procedure, counter and officer scopes (adding to what is there).
 * `unit_only`: without the subordinate units.  Runs in the caller's read
 * transaction if any.  0 or -1.
 */
int rollup_read(struct db *db, struct metrics *m, bool unit_only);

#endif
