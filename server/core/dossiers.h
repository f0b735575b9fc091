/* dossiers.h -- the one-stop system's dossiers: read, judge, upsert. */
#ifndef HAILONG_DOSSIERS_H
#define HAILONG_DOSSIERS_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_stmt;
struct metric_counts;
struct record;

/* Bounds of the counts a feed may send. */
#define DOSSIER_COUNT_MAX 1000000
#define DOSSIER_SECONDS_MAX (20LL * 366 * 86400)

/* One dossier (hồ sơ), as the one-stop system reports it. */
struct dossier {
	char code[65];     /* mã hồ sơ, verbatim */
	char procedure[9]; /* mã TTHC */
	char unit[41];     /* the receiving unit */
	int channel;       /* 1 counter, 2 online, 3 post */
	int64_t received_at;
	bool has_due;
	int64_t due_at;
	bool has_finished; /* false while open */
	int64_t finished_at;
	int64_t supplement_requests;
	int64_t supplement_seconds;
	int64_t corrections;
	int full_online, digitized, complaint; /* 0/1 */
	int64_t updated_at;
};

/* The columns of an import file, in the order of enum dossier_key. */
enum dossier_key {
	DK_CODE,
	DK_PROCEDURE,
	DK_UNIT,
	DK_CHANNEL,
	DK_RECEIVED_AT,
	DK_DUE_AT,
	DK_FINISHED_AT,
	DK_SUPPLEMENT_REQUESTS,
	DK_SUPPLEMENT_SECONDS,
	DK_CORRECTIONS,
	DK_FULL_ONLINE,
	DK_DIGITIZED,
	DK_COMPLAINT,
	DK_UPDATED_AT,
	DK_COUNT
};
/* Their names, NULL-terminated (for records_parse()). */
extern const char *const dossier_keys[DK_COUNT + 1];

/*
 * Read a record of an import file into *d, checking everything that
 * needs no database: code a mã hồ sơ, procedure a mã TTHC, unit a unit
 * code (whether they exist is the caller's to check), channel 1/2/3,
 * times RFC 3339 with an offset (empty: absent), counts whole numbers
 * >= 0, flags 0/1, finished_at not before received_at; code, procedure,
 * unit, channel, received_at and updated_at required.  Problems go to
 * rec (record_error()).  Touches no database.  0 valid, -1 not.
 */
int dossier_from_record(struct record *rec, struct dossier *d);

/* Whether two versions say the same thing (every field). */
bool dossier_same(const struct dossier *a, const struct dossier *b);

/*
 * Add one dossier received in the month to c, judged as of T = as_of
 * (METRICS.md): it ends at finished_at when that is before T, else
 * (open) at the earlier of T and month_end; it is on time when it has
 * due_at, at most one supplement request, and end - supplement_seconds
 * <= due_at; bad when judged and not on time, or complaint, or
 * `low_rated` (a valid rating of level <= 2 carries its code).
 */
void dossier_count(const struct dossier *d, int64_t as_of, int64_t month_end,
    bool low_rated, struct metric_counts *c);

/* The stored columns, in the order dossier_from_row() reads them. */
#define DOSSIER_COLUMNS \
	"code, procedure, unit, channel, received_at, due_at, " \
	"finished_at, supplement_requests, supplement_seconds, corrections, " \
	"full_online, digitized, complaint, updated_at"
void dossier_from_row(struct db_stmt *st, struct dossier *d);

/* The stored dossier with this code: 0 found, 1 not found, -1 error. */
int dossier_load(struct db *db, const char *code, struct dossier *d);

/*
 * Insert d, or replace the stored version when d's updated_at is newer;
 * *old is the stored version it saw (when *had_old).  0 stored, 1 not
 * stored (the stored version is as new or newer), -1 error.  Inside the
 * caller's transaction.  The rollups do not follow: dossier_upsert()
 * (rollup.h) is the one to call.
 */
int dossier_put(
    struct db *db, const struct dossier *d, struct dossier *old, bool *had_old);

#endif
