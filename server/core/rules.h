/* rules.h -- the versioned thresholds and 766 point rules of the figures. */
#ifndef HAILONG_RULES_H
#define HAILONG_RULES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct db;

/*
 * What shared/METRICS.md leaves to configuration, because the official
 * rules change.  Stored as data (table metric_rules), versioned, each
 * version effective from a month: the version that applies to month M is
 * the one with the greatest effective month <= M (the highest version
 * among equals).  Version 1 (migration 002) is METRICS.md's defaults.
 *
 * Fractions are kept exactly, in parts per million, and points in
 * hundredths, so that comparisons ("rate >= 0.90") and the points
 * (rounded to 2 decimals) are exact rational arithmetic on counts.
 *
 * The stored body is JSON:
 *	{"n_min": 10, "z": 1.96,
 *	 "flags": {"LOW_SATISFACTION": 0.90, "HIGH_SUPPLEMENT": 0.20,
 *	           "LOW_ONLINE": 0.50, "LATE": 0.90},
 *	 "points": {"2.1": {"max": 20}, "3.3": {"max": 6, "target": 0.50},
 *	            "4.2": {"max": 4}, "5.4": {"max": 6, "full_at": 0.90}}}
 * Every key is required; fractions have at most 6 decimals and lie in
 * (0, 1]; maxima at most 2 decimals in [0, 100].
 */
struct metric_rules {
	int version;         /* 0: not stored (rules_defaults()) */
	int effective_month; /* yyyymm */
	int n_min;           /* flags need at least this many (1..1000000) */
	double z;            /* Wilson interval's z (0 < z <= 10) */
	/* flag thresholds, ppm */
	int64_t satisfied_min;  /* LOW_SATISFACTION: upper bound below it */
	int64_t supplement_max; /* HIGH_SUPPLEMENT: lower bound above it */
	int64_t online_min;     /* LOW_ONLINE: upper bound below it */
	int64_t on_time_min;    /* LATE: upper bound below it */
	/* 766 points: maxima in hundredths, fractions in ppm */
	int64_t p21_max;     /* 2.1: max x on_time_rate */
	int64_t p33_max;     /* 3.3: max x min(1, online_rate / target) */
	int64_t p33_target;  /*      ppm */
	int64_t p42_max;     /* 4.2: max x digitized_rate */
	int64_t p54_max;     /* 5.4: max if rate >= full_at, */
	int64_t p54_full_at; /*      else max x rate / full_at; ppm */
};

/* METRICS.md's defaults (version 0, effective 2000-01). */
void rules_defaults(struct metric_rules *r);

/*
 * Parse a body (see above) into *r; version and effective_month are
 * left as they were.  Touches no database.  0, or -1 with err naming
 * the bad key.
 */
int rules_parse(const char *json, size_t len, struct metric_rules *r, char *err,
    size_t errlen);

/* The body of r as JSON (the format above).  New. */
json_t *rules_to_json(const struct metric_rules *r);

/*
 * The rules that apply to `month` (yyyymm).  0, or -1 with err filled
 * (none applies, a stored body does not parse, a database error).
 */
int rules_for_month(
    struct db *db, int month, struct metric_rules *r, char *err, size_t errlen);

/*
 * Store a new version effective from `effective_month`, audited as
 * "rules.add" by `actor`; it governs every month from then on, past
 * months included when effective_month lies in the past (so a change is
 * normally made effective from the next month).  Sets *version.  0, or
 * -1 with err filled (a body that does not parse, a database error).
 */
int rules_add(struct db *db, int effective_month, const char *json, size_t len,
    const char *actor, int *version, char *err, size_t errlen);

/*
 * The deadline of subordinates' reports (schemas/016_periods.sql): a
 * report of a period is due `days` days after the period's end, later
 * it is late.  Versioned like the rules above; the version that applies
 * to a period is the one effective at its last month.  Default 5.
 */
#define REPORT_DEADLINE_DAYS_DEFAULT 5
/* The days that apply to a period whose last month is `month`.  0 or -1. */
int rules_report_deadline(
    struct db *db, int month, int *days, char *err, size_t errlen);
/* Store a new version (audited "rules.report_deadline").  0 or -1. */
int rules_report_deadline_add(struct db *db, int effective_month, int days,
    const char *actor, int *version, char *err, size_t errlen);

#endif
