/* reviews.h -- reviews of flagged procedures and counters: the model. */
#ifndef HAILONG_REVIEWS_H
#define HAILONG_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * A review moves open -> in_progress -> resolved, one step at a time and
 * never back; resolving needs the action taken.  Table reviews and its
 * history review_events (schemas/006_reviews.sql).
 */
enum review_status {
	REVIEW_OPEN,
	REVIEW_IN_PROGRESS,
	REVIEW_RESOLVED,
	REVIEW_STATUS_COUNT
};

#define REVIEW_NOTES_MAX 2000 /* characters of notes, note, action */
#define REVIEW_OWNER_MAX 32   /* a username */

/* "open", "in_progress", "resolved". */
const char *review_status_name(enum review_status s);
/* 0, or -1 for anything else. */
int review_status_parse(const char *s, enum review_status *out);
/* Whether a review may go from `from` to `to` (the next step only). */
bool review_can_move(enum review_status from, enum review_status to);

/*
 * A staff text (notes, note, action): UTF-8, at most REVIEW_NOTES_MAX
 * characters, no control characters but newline, CR and tab.
 */
bool review_text_is_valid(const char *s, size_t len);

/*
 * A due date "YYYY-MM-DD" (a real calendar date); *days gets days since
 * 1970-01-01.  0 or -1.
 */
int review_date_parse(const char *s, size_t len, int64_t *days);

/* What opens a review.  Exactly one of procedure and counter (> 0). */
struct review_new {
	const char *unit;
	const char *procedure; /* or NULL */
	int counter;           /* or 0 */
	int month;             /* yyyymm whose figures raised the flags */
	const char *flags;     /* "LOW_SATISFACTION,LATE" */
	const char *owner;     /* username of an active user seeing unit */
	const char *due;       /* YYYY-MM-DD */
	const char *notes;     /* may be "" */
};

/*
 * Whether `username` is an active account that sees `unit` (its own unit
 * or one above it).  0 yes, 1 no, -1 error.
 */
int reviews_owner_ok(struct db *db, const char *username, const char *unit);

/*
 * Store a new open review with its first history row and an audit entry
 * ("review.open", by actor), in one transaction.  The caller has
 * validated every field.  0 with *id set, or -1.
 */
int reviews_open(struct db *db, const struct review_new *r, const char *actor,
    int64_t now, int64_t *id);

/*
 * Move review `id` (of a unit in `scope`'s subtree) to `to`, with a note
 * and, to resolve, the action taken; history row and audit entry
 * ("review.move") in the same transaction.  The step is checked against
 * the status stored at that moment, so two managers cannot both move it.
 * 0 done, 1 not allowed from its status now (or no action to resolve),
 * 2 no such review in scope, -1 error.
 */
int reviews_move(struct db *db, int64_t id, const char *scope,
    enum review_status to, const char *note, const char *action,
    const char *actor, int64_t now);

#endif
