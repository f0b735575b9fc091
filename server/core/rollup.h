/* rollup.h -- monthly rating counts kept beside the ratings, by the writer. */
#ifndef HAILONG_ROLLUP_H
#define HAILONG_ROLLUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/rating.h"

struct db;
struct db_stmt;
struct dossier;
struct metric_counts;
struct metrics;

/*
 * The 31 count columns of rollup_procedure, rollup_staff, rollup_subtree
 * (schemas/003_metrics.sql) and of the folded counts (009_fold.sql), in
 * the order rollup_unpack_add() reads them.
 */
/* clang-format off */
#define ROLLUP_COLUMNS(X) \
	X(n1) X(n2) X(n3) X(n4) X(n5) X(ballot_n) X(ballot_sum) \
	X(c1_n) X(c2_n) X(c3_n) X(c4_n) X(c5_n) X(c6_n) X(c7_n) X(c8_n) \
	X(c9_n) X(c1_sum) X(c2_sum) X(c3_sum) X(c4_sum) X(c5_sum) \
	X(c6_sum) X(c7_sum) X(c8_sum) X(c9_sum) X(officer_n) \
	X(officer_sum) X(supplement_answered) X(supplement_yes) \
	X(online_error_answered) X(online_error_yes)
#define ROLLUP_N 31
/* clang-format on */

/* Add the ROLLUP_N counts of a row, from column `col` on, to c. */
void rollup_unpack_add(struct db_stmt *st, int col, struct metric_counts *c);

/*
 * Run `sql` (?1 m->unit, ?2 m->month), whose rows are the ROLLUP_N sums
 * then a key, and add each row to m: ROWS_PROCEDURE to the total and to
 * the procedure named by the key (none when ''), ROWS_COUNTER to the
 * counter (unit, number), ROWS_OFFICER to the officer.  0 or -1.
 */
enum rollup_rows { ROWS_PROCEDURE, ROWS_COUNTER, ROWS_OFFICER };
int rollup_add_rows(
    struct db *db, struct metrics *m, enum rollup_rows kind, const char *sql);

/*
 * The writer's hooks (struct writer_hooks, see writer.h), whose context
 * is a batch from rollup_batch_new() (new: rollup_batch_free()): in the
 * transaction that stores a batch, rollup_hook() gathers each valid
 * rating's counts (a rating stored as burst counts in nothing) by (unit,
 * month, procedure) and by (unit, month, counter, officer), and
 * rollup_flush(), before COMMIT, adds them with one prepared UPSERT per
 * distinct key and empties the batch; rollup_reset() forgets a failed
 * batch.  0 or -1 (the batch then fails).
 */
void *rollup_batch_new(void);
void rollup_batch_free(void *batch);
int
rollup_hook(void *batch, struct db *db, const struct rating *r, int64_t seq);
int rollup_flush(void *batch, struct db *db);
void rollup_reset(void *batch);
extern const struct writer_hooks rollup_hooks;

/*
 * Add (sign 1) or take away (sign -1) one rating's counts, whatever its
 * status; must run inside the caller's write transaction.  Used when a
 * rating's status changes (ratings_set_status()).  0 or -1.
 */
int rollup_apply(struct db *db, const struct rating *r, int sign);

/*
 * The dossier rollups (schemas/008_dossier_rollup.sql), in the caller's
 * write transaction.  rollup_dossier_change(): dossier_upsert() changed
 * the row of `d`, which was `old` (NULL: new).  rollup_dossier_rating():
 * rating r became valid (sign 1) or stopped being valid (-1), its row
 * already updated; it matters only when it carries a dossier code and
 * has level <= 2.  rollup_apply() and rollup_hook() call it.  0 or -1.
 */
int rollup_dossier_change(
    struct db *db, const struct dossier *old, const struct dossier *d);
int rollup_dossier_rating(struct db *db, const struct rating *r, int sign);

/*
 * The earliest T at which the dossier rollups of `month` are its figures
 * (dossier_horizon; 0 when the month has no dossier).  0 or -1.
 */
int rollup_dossier_horizon(struct db *db, int month, int64_t *horizon);

/*
 * Read m->unit's month of dossier counts from the dossier rollups into
 * m's total and procedure scopes, as rollup_read() does the ratings'.
 * Valid for m->as_of at or after the month's end and its horizon.
 */
int rollup_read_dossiers(struct db *db, struct metrics *m, bool unit_only);

/*
 * Recompute rollup_subtree and dossier_rollup_subtree (every unit's sums
 * over its subtree) from rollup_procedure, dossier_rollup and unit_tree:
 * after the unit tree changed.  In the
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
