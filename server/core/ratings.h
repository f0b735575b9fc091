/* ratings.h -- ratings on disk: insert with the hash chain, load, verify. */
#ifndef HAILONG_RATINGS_H
#define HAILONG_RATINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "hailong/crypto.h"
#include "hailong/rating.h"

struct db;

/*
 * Where the chain ends, as known inside one write transaction: the
 * writer reads it once per batch instead of once per rating.  Start with
 * {0} (unknown: read from the table at the first insert).
 */
struct chain_cursor {
	bool known;
	int64_t seq;
	unsigned char head[SHA256_LEN];
};

/*
 * Insert `r` as the next row of the chain, with its comment, consent and
 * callback rows.  Must run inside a write transaction (the writer's): the
 * chain head is read under the write lock, so several processes can
 * append safely; `cur` carries it from one insert to the next of the same
 * transaction (a failed insert leaves it as it was).  Sets *seq.  0 or
 * -1 (db_error() tells why).
 */
int ratings_insert(struct db *db, const struct rating *r,
    struct chain_cursor *cur, int64_t *seq);

/*
 * Load the rating with this idempotency key (unique per channel and
 * unit: two communes both number their paper ballots from 0001) into *r
 * (rating_init() first; release it after).  0 found, 1 not found, -1
 * error.
 */
int ratings_load(struct db *db, enum rating_channel channel, const char *unit,
    const char *id, struct rating *r, int64_t *seq);

/*
 * Whether `sent` says what the stored `old` says (rating_same_content()):
 * a rating sent without an officer is compared without the stored one's,
 * which the writer chose (writer.h) from a duty log that may have
 * changed since.  May clear old->officer.
 */
bool ratings_same_as_stored(const struct rating *sent, struct rating *old);

/* Whether a valid rating came in through this dossier's token. */
bool ratings_dossier_used(struct db *db, const char *dossier);

/*
 * Whether a rating of `unit` may name `dossier` (METRICS.md "Bad": a
 * low rating makes its dossier bad): only a dossier of the unit or a
 * unit below it, by the stored dossier's unit, or while the dossier is
 * unknown by the unit its code's agency prefix names (a code without a
 * unit prefix passes).  0 it may ("" too), 1 it may not (the dossier's
 * unit goes to owner[41]), -1 a database error.  A prefix that names no
 * unit of this server's tree (a ministry's, another province's) passes.
 */
int ratings_dossier_foreign(
    struct db *db, const char *unit, const char *dossier, char owner[41]);

/*
 * Change the status of rating `seq` (staff marking spam or misuse,
 * clearing a burst flag...) in one transaction (the caller's when one is
 * open, else its own): the row's status, the monthly rollups both ways
 * (a rating counts in figures only while valid), and an audit entry
 * "rating.status" by `actor` with target "rating:<seq>" and detail
 * {"from":..,"to":..,"reason":..}.  `reason` (may be NULL) is at most
 * 500 bytes of UTF-8 without control characters, else -1.  0 changed,
 * 1 no such rating, 2 it already had that status (nothing written), -1
 * error (inside the caller's transaction, the caller must roll back).
 */
int ratings_set_status(struct db *db, int64_t seq, enum rating_status status,
    const char *actor, const char *reason);

/*
 * The end of the chain: the highest seq and its chain value, stored or
 * folded (fold.h: a folded rating keeps its link; the next rating
 * follows it).  0 and zeros when empty.  0 or -1.
 */
int
ratings_chain_head(struct db *db, int64_t *seq, unsigned char head[SHA256_LEN]);

/* What a walk of the chain found. */
struct chain_check {
	int64_t rows;    /* stored rows re-hashed and verified */
	int64_t folded;  /* folded links taken as given */
	int64_t bad_seq; /* broken: the first seq that does not verify */
	char why[200];   /* broken: what is wrong there */
};

/*
 * Re-walk the chain from seq 1: the rows of `ratings` and the links of
 * folded ratings (ratings_folded) merged by seq.  A stored row must hash,
 * from the link before it, to its own chain value; a folded link is taken
 * as given (its rating is gone) and becomes the link before the next.  A
 * seq missing from both, or in both, breaks the chain; so does a fold
 * whose links no longer give the count and digest recorded in
 * rating_folds and in its audit entry, or whose counts do not add up to
 * its valid ratings.  0 intact, 1 broken (out->bad_seq and out->why;
 * bad_seq 0 for a fold without links), -1 error.
 */
int ratings_verify_chain(struct db *db, struct chain_check *out);

#endif
