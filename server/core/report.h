/* report.h -- the signed monthly report: built, checked, rolled up. */
#ifndef HAILONG_REPORT_H
#define HAILONG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/hltime.h"

struct cms_signer;
struct db;
struct metrics;

/*
 * A unit's monthly report is report.json (schemas/report.schema.json):
 * the metrics document of GET /api/v1/metrics plus the unit's codes and
 * level, the period, the generator, the ratings hash-chain head at the
 * end of the period, and the subordinate units' signed reports it rolls
 * up.  report.csv, report.xlsx and report.html are renderings of
 * report.json (report_files.c); report.json.p7s is a CMS detached
 * signature over the exact bytes of report.json (cms.h).
 *
 * Roll-up (METRICS.md): a unit's figures are the sums of the counts of
 * its own data and of each subordinate unit's.  When this database holds
 * an accepted signed report of a subordinate unit for the month (POST
 * /api/v1/reports), that report's counts stand for the unit's whole
 * subtree and the database's own rows of that subtree are left out: the
 * signed figures are the ones the subordinate answers for, and nothing
 * is counted twice when its raw ratings are also here.  The report used
 * is the latest accepted before as_of (a resubmission replaces an earlier
 * one from the moment it is received).  A reported unit below another
 * reported unit is covered by the upper report.
 */

#define REPORT_VERSION 3 /* 3: by_requester and assisted (issue 18) */
/*
 * Bytes of report.json.  A province of 10 million ratings a year (2,000
 * procedures, 100 units with their counters and officers) makes about
 * 5 MiB a month; 32 MiB leaves room for a larger one.
 */
#define REPORT_JSON_MAX ((size_t)32 << 20)
#define REPORT_P7S_MAX ((size_t)64 << 10) /* bytes of the signature */
#define REPORT_FILES_MAX 6

/* The accepted report of one subordinate unit that a roll-up used. */
struct report_child {
	int64_t id; /* reports_received.id */
	char unit[41];
	char unit_name[301];
	char sha256[65];
	int64_t received_at;
	char as_of[26];
	char signer[512];
	char period[8]; /* the report's period: "2026-10", "2026-Q4" */
};

struct report_children {
	struct report_child *v;
	size_t n, cap;
};

void report_children_release(struct report_children *l);

/*
 * `unit`'s figures for the month as of as_of with the roll-up above:
 * like metrics_compute(db, unit, month, as_of, 0, ...) when no accepted
 * report is in the way.  The reports used go to *used (may be NULL).
 * New, or NULL with err filled (unknown unit: "unknown unit ...").
 */
struct metrics *report_rollup(struct db *db, const char *unit, int month,
    int64_t as_of, struct report_children *used, char *err, size_t errlen);

/*
 * The same for a period (hltime.h).  A quarter or a year rolls up, for
 * each subordinate unit, its accepted report of the same period when
 * there is one, else its accepted reports of each month (counts, never
 * rates), else this database's rows, month by month.  Fails like
 * metrics_compute_period() for a period it cannot give (before the
 * database's first month, a folded month).
 */
struct metrics *
report_rollup_period(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, struct report_children *used, char *err, size_t errlen);
json_t *report_build_period(struct db *db, const char *unit,
    const struct period *p, int64_t as_of, char *err, size_t errlen);

/*
 * The whole report.json document of `unit`'s month as of as_of.  New, or
 * NULL with err filled.
 */
json_t *report_build(struct db *db, const char *unit, int month, int64_t as_of,
    char *err, size_t errlen);

/*
 * Whether doc's ratings_chain (head, seq, ratings before `at`) is what
 * this database gives for the same `at`, counting the ratings folded
 * into counts since (fold.h) by their kept links.  It says the database
 * still holds the chain the report was anchored to; whether every row
 * still hashes to it is ratings_verify_chain()'s question.  0 the same,
 * 1 different or unreadable (err says how), -1 database error (err).
 */
int
report_check_anchor(struct db *db, const json_t *doc, char *err, size_t errlen);

/* The canonical bytes of a report document (sorted keys, newline). */
char *report_dumps(const json_t *doc, size_t *len);

/*
 * Check received bytes as report.json (untrusted; no database, no
 * network: the fuzzers call it): at most REPORT_JSON_MAX bytes, UTF-8
 * JSON without duplicate keys, valid against schemas/report.schema.json,
 * its counts readable (metrics_from_json()) and its totals consistent
 * with them.  0 with *doc (new; may be NULL when not wanted), or -1 with
 * err saying what is wrong (a JSON pointer for schema failures).
 */
int report_check(
    const char *data, size_t len, json_t **doc, char *err, size_t errlen);

/*
 * The renderings.  report_csv(): UTF-8 with a BOM, CRLF lines, one row
 * per scope with every figure and count.  report_html(): a printable A4
 * page, everything escaped.  report_xlsx(): a workbook written to path
 * (a summary sheet, then one sheet per scope kind, percentages
 * formatted).  0 or -1 (err).
 */
int report_csv(const json_t *doc, struct buf *out);
int report_html(const json_t *doc, struct buf *out);
int report_xlsx(const json_t *doc, const char *path, char *err, size_t errlen);

/*
 * Write report.json, report.csv, report.xlsx and report.html of doc into
 * dir (made if missing), each atomically.  0 or -1 (err).
 */
int
report_write_dir(const json_t *doc, const char *dir, char *err, size_t errlen);

/* A subordinate's signed report, checked, as it is stored. */
struct report_in {
	const char *unit;
	int month; /* YYYYMM: the period's first month */
	char kind; /* 'm', 'q', 'y' (0: 'm') */
	int64_t as_of;
	const char *json, *p7s;
	size_t len, plen;
	const char *sha256; /* of json, hex */
	const struct cms_signer *signer;
	int64_t at; /* received */
	const char *actor;
};

/*
 * Store the report and its audit entry in one transaction.  Fills *id and
 * replaces (the earlier current report's SHA-256, or "").  0, -1, or 1
 * when it is not newer than the current one (its as_of is not later):
 * replaying an older signed report must not roll the parent's figures
 * back.  *held is then the current one's as_of.
 */
int report_received_store(struct db *db, const struct report_in *in,
    int64_t *id, char replaces[65], int64_t *held);

#endif
