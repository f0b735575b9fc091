/* reviews.h -- reviews of flagged procedures and counters: the model. */
#ifndef HAILONG_REVIEWS_H
#define HAILONG_REVIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

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

/*
 * A review as read from the store, with its procedure's name.  The
 * strings belong to the cursor that read it: valid until the next
 * review_cursor_next() or review_cursor_close().
 */
struct review {
	int64_t id;
	const char *unit;
	const char *procedure;      /* NULL for a counter's review */
	const char *procedure_name; /* "" for a counter's review */
	int counter;                /* 0 for a procedure's review */
	int month;
	const char *flags, *owner, *due, *status, *action, *notes;
	int64_t created_at;
	const char *created_by;
};

/* One history row of a review. */
struct review_event {
	int64_t at;
	const char *actor;
	const char *from_status; /* "" for the first row */
	const char *to_status;
	const char *note;
};

/* A read in progress: reviews, review events or owners.  Zero is closed. */
struct review_cursor {
	struct db_stmt *st;
};

/*
 * Open a cursor (0, or -1 on error; close it either way):
 *  - reviews_list(): the reviews of units in scope's subtree, with
 *    `status` or every status (NULL), unresolved first, by due date (500);
 *  - reviews_get(): review id, of a unit in scope's subtree (scope NULL:
 *    of any unit);
 *  - review_events_list(): review id's history, oldest first;
 *  - reviews_owners_list(): the active accounts that may own a review of
 *    unit (its own and those above it), by username (500).
 */
int reviews_list(struct db *db, struct review_cursor *cur, const char *scope,
    const char *status);
int reviews_get(
    struct db *db, struct review_cursor *cur, int64_t id, const char *scope);
int review_events_list(struct db *db, struct review_cursor *cur, int64_t id);
int
reviews_owners_list(struct db *db, struct review_cursor *cur, const char *unit);

/* The next row into *r (*e; username and name), or false at the end. */
bool review_cursor_next(struct review_cursor *cur, struct review *r);
bool
review_cursor_next_event(struct review_cursor *cur, struct review_event *e);
bool review_cursor_next_owner(
    struct review_cursor *cur, const char **username, const char **name);
void review_cursor_close(struct review_cursor *cur);

/*
 * The ids of the newest reviews (at most max), newest first, into ids:
 * of procedure (a code) in unit's subtree; or of unit's counter
 * (procedure NULL); or of all unit's counters (procedure NULL, counter
 * 0).  The count.
 */
int reviews_recent_ids(struct db *db, const char *unit, const char *procedure,
    int counter, int64_t *ids, int max);

/* Whether review id is of a unit in scope's subtree. */
bool reviews_in_scope(struct db *db, int64_t id, const char *scope);

#endif
