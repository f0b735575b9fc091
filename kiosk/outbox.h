/* outbox.h -- the kiosk's durable queue of ratings, and its small state. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/wire.h"

/*
 * DIR/outbox.db, SQLite in WAL mode with synchronous=FULL: a rating is
 * in the outbox once outbox_add() returns 0, through crashes and power
 * cuts.  Entries move from "pending" to "sent" (the server accepted it,
 * or had it already), "conflict" or "rejected" (kept, with the server's
 * reason, and never sent again).  Sent entries are pruned after a week;
 * the others are never deleted.  seq is the kiosk's sequence number: it
 * only grows, also across pruning.
 *
 * One handle may be used by several threads (the page and the sender):
 * every call takes the handle's lock.
 */

#define OUTBOX_FILE "outbox.db"
#define OUTBOX_UUID_LEN 36

struct outbox;

struct outbox_entry {
	int64_t seq;
	char id[OUTBOX_UUID_LEN + 1];
	int level;
	char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char dossier[65];
	int64_t rated_ms; /* corrected wall clock, milliseconds */
	bool burst;
	enum rating_requester requester; /* REQUESTER_NONE: not said */
	bool assisted; /* a community helper entered it for the citizen */
};

/* What the server said about one entry. */
struct outbox_result {
	int64_t seq;
	enum wire_status status;
	char reason[128]; /* rejected: why */
};

struct outbox_stats {
	int64_t pending, sent, conflict, rejected;
	int64_t oldest_ms; /* rated_ms of the oldest pending, -1 none */
	int64_t last_seq;  /* 0 when empty */
};

/*
 * Open DIR/outbox.db.  DIR must exist.  The file must exist too, unless
 * `create` (enrolment, or an operator starting a new outbox on purpose).
 * A file that is not a hailong-kiosk outbox, or fails SQLite's
 * quick_check, is refused.  New: outbox_close().  NULL with err saying
 * what is wrong and what to do.
 */
struct outbox *
outbox_open(const char *dir, bool create, char *err, size_t errlen);
void outbox_close(struct outbox *ob);
/* Whether its connection is durable (synchronous FULL): a tap is on
 * the disk before the citizen is thanked.  outbox_open() refuses
 * otherwise (db_open()). */
bool outbox_is_durable(struct outbox *ob);

/*
 * Add a rating pressed at now_ms, committed before returning.  It is
 * flagged burst when the previous press came less than burst_ms before.
 * Who rated (in->requester, in->assisted) is kept with it.
 * With in->reasons_follow it is held back from the sender until
 * hold_until_ms, or until outbox_set_reasons() closes it.  Writes the new
 * entry's UUID (id) and seq; *burst says whether it was flagged.  0 or -1
 * (err filled: disk full, I/O error).
 */
int outbox_add(struct outbox *ob, const struct wire_local *in, int64_t now_ms,
    int64_t burst_ms, int64_t hold_until_ms, char id[OUTBOX_UUID_LEN + 1],
    int64_t *seq, bool *burst, char *err, size_t errlen);

/*
 * Give a held entry its reasons (the citizen's answer to "why?") and
 * release it to the sender.  0 done; 1 when the entry is unknown, was
 * not held, or its hold has passed (it may be on the server already);
 * -1 error.
 */
int outbox_set_reasons(
    struct outbox *ob, const char *id, const char *reasons, int64_t now_ms);

/*
 * Up to `max` pending entries not held at now_ms, oldest first, into out.
 * *n gets how many.  *next_hold_ms gets the earliest hold still running
 * (0 when none), so the caller knows when to look again.  0 or -1.
 */
int outbox_pending(struct outbox *ob, int64_t now_ms, size_t max,
    struct outbox_entry *out, size_t *n, int64_t *next_hold_ms);

/*
 * Record the server's answers in one transaction, together with the
 * last nonce used (state "nonce").  0 or -1.
 */
int outbox_settle(struct outbox *ob, const struct outbox_result *r, size_t n,
    int64_t now_ms, int64_t nonce);

int outbox_stats(struct outbox *ob, struct outbox_stats *st);

/* Delete sent entries settled before before_ms.  0 or -1. */
int outbox_prune(struct outbox *ob, int64_t before_ms);

/*
 * Call fn for each conflict or rejected entry, oldest first (at most
 * `max`).  0 or -1.
 */
typedef void (*outbox_problem_fn)(const struct outbox_entry *e,
    const char *state, const char *reason, void *arg);
int
outbox_problems(struct outbox *ob, size_t max, outbox_problem_fn fn, void *arg);

/*
 * Small persistent values beside the queue ("config", "config_etag",
 * "clock_offset_ms", "nonce").  get: a new string (free()) or NULL when
 * absent; put: 0 or -1.
 */
char *outbox_get(struct outbox *ob, const char *key);
int outbox_put(struct outbox *ob, const char *key, const char *value);

#endif
