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
struct writer_hooks;

/*
 * Where the readers below put the rows of one unit's month: add() a
 * procedure's counts (the key '' for none) to the total and to that
 * procedure; counts() the counts of a counter (ROWS_COUNTER: its unit
 * and number) or an officer (ROWS_OFFICER: the id) to add a row to.
 * metrics.c's sink fills a struct metrics.
 */
enum rollup_rows { ROWS_PROCEDURE, ROWS_COUNTER, ROWS_OFFICER };
struct rollup_sink {
	const char *unit; /* ?1 of the queries */
	int month;        /* ?2 */
	void (*add)(
	    void *ctx, const char *procedure, const struct metric_counts *c);
	struct metric_counts *(*counts)(
	    void *ctx, enum rollup_rows kind, const char *key, int counter);
	void *ctx;
	/* n valid ratings of that procedure ('' none), unit, counter (0
	 * none) and officer ('' none) name reason `code` */
	void (*reason)(void *ctx, const char *procedure, const char *unit,
	    int counter, const char *officer, const char *code, int64_t n);
	int64_t as_of; /* T: dossiers received before it lend procedures */
};

/*
 * The 53 count columns of rollup_procedure, rollup_staff, rollup_subtree
 * (schemas/003_metrics.sql, 012_why.sql, 015_inclusion.sql) and of the
 * folded counts (009_fold.sql, 013_attribution.sql), in the order rollup_unpack_add() reads them.
 */
/* clang-format off */
#define ROLLUP_COLUMNS(X) \
	X(n1) X(n2) X(n3) X(n4) X(n5) X(ballot_n) X(ballot_sum) \
	X(c1_n) X(c2_n) X(c3_n) X(c4_n) X(c5_n) X(c6_n) X(c7_n) X(c8_n) \
	X(c9_n) X(c1_sum) X(c2_sum) X(c3_sum) X(c4_sum) X(c5_sum) \
	X(c6_sum) X(c7_sum) X(c8_sum) X(c9_sum) X(officer_n) \
	X(officer_sum) X(supplement_answered) X(supplement_yes) \
	X(online_error_answered) X(online_error_yes) \
	X(reasons_given) X(visits_answered) X(visits_sum) X(visits_one) \
	X(kiosk_n) X(kiosk_sat) X(qr_n) X(qr_sat) X(web_n) X(web_sat) \
	X(import_n) X(import_sat) \
	X(x_burst) X(x_duplicate) X(x_misuse) X(x_spam) \
	X(citizen_n) X(citizen_sat) X(business_n) X(business_sat) \
	X(assisted_n) X(assisted_sat)
#define ROLLUP_N 53
/* clang-format on */

/* Add the ROLLUP_N counts of a row, from column `col` on, to c. */
void rollup_unpack_add(struct db_stmt *st, int col, struct metric_counts *c);

/*
 * Run `sql` (?1 s->unit, ?2 s->month), whose rows are the ROLLUP_N sums
 * then a key, and add each row to s: ROWS_PROCEDURE to the total and to
 * the procedure named by the key (none when ''), ROWS_COUNTER to the
 * counter (unit, number), ROWS_OFFICER to the officer.  0 or -1.
 */
int rollup_add_rows(struct db *db, const struct rollup_sink *s,
    enum rollup_rows kind, const char *sql);

/*
 * The writer's hooks (struct writer_hooks, writer_hooks.h), whose context
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
 * Add (sign 1) or take away (sign -1) one rating's counts, as its status
 * says (a valid rating's counts and reasons, another's as excluded by
 * its status); must run inside the caller's write transaction.  0 or -1.
 */
int rollup_apply(struct db *db, const struct rating *r, int sign);

/*
 * The procedure rating r counts for (METRICS.md "Which procedure and
 * officer a rating counts for"), into proc[9]: its own; else, when it
 * names a dossier that is stored and of its unit or a unit below it
 * (ratings_dossier_foreign()), that dossier's; else '' (none); whatever
 * its status (a flagged rating is "excluded" under it).  The rating row
 * keeps no procedure: when the dossier arrives or moves to another
 * procedure, dossier_upsert() moves the rating's counts in the rollups
 * keyed by procedure (rollup_procedure, rollup_subtree, rollup_reason;
 * folded ones too) in the same transaction.  When the dossier was
 * received at or after the
 * rating, raises the month's attribution horizon (below).  For the
 * writer's hook and rollup_apply(); in the caller's transaction.  0 or
 * -1.
 */
int rollup_procedure_of(struct db *db, const struct rating *r, char proc[9]);

/*
 * The earliest T at which the rating rollups of `month` hold the
 * procedures of their ratings "as of" T (attribution_horizon,
 * schemas/013_attribution.sql: after the received_at of every dossier
 * that lent its procedure to a rating of the month it followed; 0 when
 * none).  0 or -1.
 */
int rollup_attribution_horizon(struct db *db, int month, int64_t *horizon);

/*
 * Rating r (r->status: its status before) now has status `to`, its row
 * already updated: take it out of the rollups under the old status and
 * put it back under the new one (ratings_set_status()).  0 or -1.
 */
int rollup_status_change(
    struct db *db, const struct rating *r, enum rating_status to);

/*
 * Read s->unit's month of reason counts (rollup_reason, or the folded
 * ones: `folded`) into s->reason.  0 or -1.
 */
int rollup_read_reasons(
    struct db *db, const struct rollup_sink *s, bool unit_only, bool folded);

/*
 * The dossier rollups (schemas/008_dossier_rollup.sql), in the caller's
 * write transaction.  rollup_dossier_change(): dossier_put() changed
 * the row of `d`, which was `old` (NULL: new).  rollup_dossier_rating():
 * rating r became valid (sign 1) or stopped being valid (-1), its row
 * already updated; it matters only when it carries a dossier code (a
 * low one makes the dossier bad, any one covers it).  rollup_apply()
 * and rollup_hook() call it.  0 or -1.
 */
int rollup_dossier_change(
    struct db *db, const struct dossier *old, const struct dossier *d);
int rollup_dossier_rating(struct db *db, const struct rating *r, int sign);

/*
 * Store a dossier (dossier_put(), dossiers.h: 0 stored, 1 not stored
 * because the stored version is as new or newer, -1 error) and change
 * the dossier rollups with it, in the caller's transaction; the valid
 * ratings naming it without a procedure (and folded ones) move to the
 * procedure it lends them now (rollup_procedure_of()).  Here, not
 * in dossiers.c, because the rollups sit above the dossiers they count.
 */
int dossier_upsert(struct db *db, const struct dossier *d);

/*
 * The earliest T at which the dossier rollups of `month` are its figures
 * (dossier_horizon; 0 when the month has no dossier).  0 or -1.
 */
int rollup_dossier_horizon(struct db *db, int month, int64_t *horizon);

/*
 * Read s->unit's month of dossier counts from the dossier rollups into
 * s's total and procedures, as rollup_read() does the ratings'.  Valid
 * as of the month's end and its horizon, or later.
 */
int rollup_read_dossiers(
    struct db *db, const struct rollup_sink *s, bool unit_only);

/*
 * The unit tree is about to change (refdata_rebuild_tree()):
 * rollup_tree_save() keeps a copy of it (a temporary table of this
 * connection), and rollup_tree_changed(), once the new unit_tree is in
 * place, moves the ratings (and folded counts) whose dossier's unit came
 * under the rating's unit, or left it, to the procedure the dossier lends
 * them now (rollup_procedure_of()), then drops the copy.  Before
 * rollup_rebuild_subtree(), in the caller's transaction.  0 or -1.
 */
int rollup_tree_save(struct db *db);
int rollup_tree_changed(struct db *db);

/*
 * Recompute rollup_subtree and dossier_rollup_subtree (every unit's sums
 * over its subtree) from rollup_procedure, dossier_rollup and unit_tree:
 * after the unit tree changed.  In the
 * caller's transaction if any.  0 or -1.
 */
int rollup_rebuild_subtree(struct db *db);

/*
 * Read s->unit's month from the rollups into s's total and its
 * procedures, counters and officers (adding to what is there).
 * `unit_only`: without the subordinate units.  Runs in the caller's read
 * transaction if any.  0 or -1.
 */
int rollup_read(struct db *db, const struct rollup_sink *s, bool unit_only);

#endif
