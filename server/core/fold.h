/* fold.h -- old raw ratings folded into monthly counts, their links kept. */
#ifndef HAILONG_FOLD_H
#define HAILONG_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/crypto.h"

struct db;
struct rollup_sink;

/*
 * Folding a month (schemas/009_fold.sql has the tables):
 *
 *   - every rating of the month is deleted with its comment, callback
 *     and consent, except the low ratings (level <= 2, any status) of a
 *     dossier, which the dossier figure "bad" needs, and a rating whose
 *     callback is still open, which waits for a later run;
 *   - the counts of the deleted VALID ratings go to folded_procedure and
 *     folded_staff (the rollups' columns and keys, and the fold), so
 *     metrics --recompute adds them to the rows that stay and still
 *     equals the rollups, which are not touched;
 *   - each deleted rating's seq, rated_at and chain go to
 *     ratings_folded: the chain walk takes a folded link as given and
 *     re-hashes the next stored row from it (ratings_verify_chain()), and
 *     a signed report's anchor (report.c) is found in either table;
 *   - one transaction per month (per 20,000 ratings of a larger month,
 *     so the server's writer never waits long for the lock), each
 *     recorded in rating_folds and audited ("ratings.fold", target
 *     "fold:<id>") with its counts and a digest of its folded links
 *     (fold_digest_row()).
 *
 * Only whole months strictly older than N months before the current
 * month (UTC+07:00) are folded, N >= FOLD_MONTHS_MIN.  Before folding,
 * the run moves the fold horizon (meta 'fold_through', yyyymm) to the
 * last such month, in its own audited transaction; from then on every
 * ingest path refuses a rating rated in or before the horizon
 * (fold_refuses(); the writer checks it inside its write transaction,
 * so a fold in another process is seen at once), because a folded
 * rating's idempotency key is gone and a copy sent again would be
 * counted twice.  The horizon never moves back.
 */

/*
 * The least N: the last 13 whole months and the current one stay raw,
 * so a year of comments can be read and of ratings marked as spam, and
 * a month can be compared with the same month a year before, rating by
 * rating.
 */
#define FOLD_MONTHS_MIN 13
#define FOLD_MONTHS_MAX 1200

struct fold_policy {
	int64_t now;
	unsigned months;   /* fold the months older than this many */
	bool dry_run;      /* count, change nothing (the horizon neither) */
	const char *actor; /* for the audit log ("cli:root") */
	unsigned chunk;    /* ratings per transaction; 0: 20,000 */
};

struct fold_result {
	int cutoff;      /* the last month this run may fold (yyyymm) */
	int horizon;     /* the horizon after the run; 0: none */
	int months;      /* months in which ratings were (would be) folded */
	int first, last; /* the first and last of them; 0 when none */
	int64_t folded;  /* ratings deleted, their links kept */
	int64_t valid;   /* of them valid: counted in folded_* */
	int64_t kept;    /* of those months, kept: dossier, level <= 2 */
	int64_t held;    /* of those months, kept for now: callback open */
	int64_t texts, callbacks, consents; /* deleted with them */
};

/*
 * Fold every month up to the cutoff (see above), oldest first, each in
 * its own transactions; a month with nothing left to fold is skipped.
 * p->months must be in [FOLD_MONTHS_MIN, FOLD_MONTHS_MAX].  A failure
 * leaves the months folded before it folded (a second run goes on).  0,
 * or -1 with err.
 */
int fold_run(struct db *db, const struct fold_policy *p,
    struct fold_result *out, char *err, size_t errlen);

/* The fold horizon (yyyymm), 0 when nothing was ever folded, -1 error. */
int fold_horizon(struct db *db);

/* Whether a rating rated at t must be refused under horizon h. */
bool fold_refuses(int horizon, int64_t t);

/*
 * Whether a month's figures as of T are lost to a fold under horizon h:
 * the month is folded and T falls inside it (a folded rating's other
 * fields are gone, so which were rated before T is unknown).  As of the
 * month's end or later they are whole.
 */
bool fold_hides(int horizon, int month, int64_t as_of);

/*
 * Add s->unit's folded counts of s->month (with its subordinate units
 * unless unit_only) to s's total and scopes, as rollup_read() maps the
 * rollups (struct rollup_sink, rollup.h): the raw path's (metrics.c, ratings_raw()) other half.  The
 * rating window [start, until) must hold the whole month when the month
 * is folded (a folded rating's time within it is not kept): else -1
 * with db_errmsg() saying so.  0 or -1.
 */
int fold_read(struct db *db, const struct rollup_sink *s, bool unit_only,
    int64_t start, int64_t until);

/*
 * One folded link into a fold's digest: seq and rated_at as 8-byte
 * big-endian integers, then the 32 bytes of chain; rows in seq order.
 */
void fold_digest_row(struct sha256 *h, int64_t seq, int64_t rated_at,
    const unsigned char chain[SHA256_LEN]);

#endif
