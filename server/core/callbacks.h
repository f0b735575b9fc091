/*
 * callbacks.h -- citizens' callback requests: the queue of what is due,
 * due times, and marking one contacted or done.
 *
 * A callback is asked with a rating, behind its own consent (rating.c
 * stores both).  It is "callable" while it is open, its number is kept
 * and the consent is not withdrawn; only callable requests are due.
 * Every function that takes a unit works on that unit's subtree: a
 * request of another unit is "not found", never an error.
 */
#ifndef HAILONG_CALLBACKS_H
#define HAILONG_CALLBACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A request is due by the end of this many working days after its day. */
#define CALLBACK_WORKING_DAYS 2
/* A note on a callback: bytes of UTF-8 text, at most. */
#define CALLBACK_NOTE_MAX 500

/*
 * The due time of a request made at `requested_at`: the end (24:00 in
 * Asia/Ho_Chi_Minh) of the CALLBACK_WORKING_DAYS-th working day after
 * the day of the request.  Working days are Monday to Friday; public
 * holidays are not known here and count as working days.  A request
 * of Friday (or Saturday, or Sunday) is due by the end of Tuesday.
 */
int64_t callbacks_due_at(int64_t requested_at);

enum callback_list {
	CALLBACKS_OPEN,   /* open ones, oldest request first */
	CALLBACKS_CLOSED, /* closed ones, last closed first */
};

/* One request, with what the console shows of it. */
struct callback {
	int64_t id;
	int64_t seq;          /* the rating's */
	int64_t requested_at; /* when the consent was given */
	int64_t due_at;       /* callbacks_due_at(requested_at) */
	int64_t closed_at;    /* 0 while open */
	char unit[41];        /* the rating's unit */
	char unit_name[301];
	int level;
	int counter; /* 0: none */
	char phone[16];
	bool has_phone; /* false once erased */
	bool withdrawn; /* the consent was withdrawn */
	bool closed;
	char *comment; /* new, NULL when none; unmasked */
};

/* Whether cb can be called: open, a number kept, consent standing. */
bool callback_is_callable(const struct callback *cb);

/* Free what cb owns (its comment); cb itself is the caller's. */
void callback_release(struct callback *cb);

/*
 * Load request `id` if it is of a rating of `unit`'s subtree.  0, 1 when
 * there is no such request there, -1 on a database error.  Release *cb
 * with callback_release() after 0.
 */
int
callbacks_get(struct db *db, const char *unit, int64_t id, struct callback *cb);

/*
 * Up to `limit` requests of `unit`'s subtree, `offset` skipped, in the
 * order of `which`.  *out is new (callbacks_free(*out, *n)); 0 or -1.
 */
int callbacks_list(struct db *db, const char *unit, enum callback_list which,
    int offset, int limit, struct callback **out, size_t *n);
void callbacks_free(struct callback *v, size_t n);

/*
 * How many callable requests of `unit`'s subtree are due (*due: every
 * callable one) and past their due time at `now` (*overdue).  0 or -1.
 */
int callbacks_count(struct db *db, const char *unit, int64_t now, int64_t *due,
    int64_t *overdue);

/* Whether a note is acceptable: at most CALLBACK_NOTE_MAX bytes of UTF-8
 * without control characters but newlines ("" and NULL are). */
bool callback_note_is_valid(const char *note);

/*
 * Record that request `id` was contacted (`done` false) or is done and
 * closed (`done` true), by `actor`, with `note` (may be NULL or "";
 * phone and ID numbers in it are masked before it is kept).  Audited as
 * callback.contacted or callback.closed on "callback:<id>" with the
 * note in the detail ({"note": "..."}), in one transaction with the
 * change.  0, 1 when the request is closed already (nothing changed),
 * -1 on a bad note or a database error.
 */
int callbacks_mark(struct db *db, int64_t id, bool done, const char *actor,
    const char *note, int64_t now);

/* One entry of a request's history: its audit trail. */
struct callback_event {
	int64_t at;
	char actor[80];
	bool closed; /* callback.closed; else callback.contacted */
	char note[CALLBACK_NOTE_MAX + 1];
};

/*
 * The contacted/closed history of request `id`, oldest first.  *out is
 * new (free()); 0 or -1.
 */
int callbacks_history(
    struct db *db, int64_t id, struct callback_event **out, size_t *n);

#endif
