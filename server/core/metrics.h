/* metrics.h -- the monthly figures of shared/METRICS.md, from counts. */
#ifndef HAILONG_METRICS_H
#define HAILONG_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/hltime.h"
#include "hailong/rating.h"
#include "core/counts.h"
#include "core/rules.h"

struct db;

/*
 * Every figure is a function of counts, and counts add: a parent unit's
 * figures are those of the sum of its own and its subordinates' counts,
 * never an average of their rates (METRICS.md, Roll-up).  So the engine
 * has three layers, each usable on its own:
 *
 *	struct metric_counts   numerators and denominators of one scope
 *	                       (metric_counts_add(): sums of counts)
 *	struct metric_figures  what METRICS.md defines, from counts and rules
 *	                       (metric_figures_compute())
 *	struct metrics         one unit's month: the total and the scopes
 *	                       per procedure, counter and officer
 *	                       (metrics_compute() from the database,
 *	                       metrics_merge() to add a subordinate's counts,
 *	                       metrics_to_json() the document of
 *	                       schemas/metrics.schema.json)
 *
 * A typical roll-up of signed subordinate reports (the reports issue):
 *
 *	m = metrics_compute(db, "H21", 202610, t, METRICS_UNIT_ONLY, ...);
 *	sub = metrics_from_json(signed_doc_of_H21_227, err, errlen);
 *	metrics_merge(m, sub);
 *	metrics_finish(m);      (figures, flags and order again)
 *	doc = metrics_to_json(m);
 */

/*
 * A rating's procedure in SQL (METRICS.md "Which procedure and officer a
 * rating counts for"), for a query over `ratings r`: its own, else that
 * of the dossier it names when the dossier was received before T (the
 * SQL parameter `T`, e.g. "?4") and is of the rating's unit or a unit
 * below it; NULL when neither.  The one text of that join: the raw
 * figures and the pages listing a procedure's ratings use it alike.
 */
#define METRICS_RATING_PROCEDURE_SQL(T) \
	"coalesce(r.procedure, (SELECT d.procedure FROM dossiers d " \
	"WHERE d.code = r.dossier AND d.received_at < " T " AND EXISTS " \
	"(SELECT 1 FROM unit_tree t WHERE t.ancestor = r.unit AND " \
	"t.descendant = d.unit)))"

/*
 * 3: "inclusion" (issue 18): by_requester and assisted, and their counts
 * (README "Metrics").  A document of version 2 has none: all its ratings
 * were "not said" and none assisted, which is what it counted.
 */
#define METRICS_DEFINITION_VERSION 3
/* The oldest version metrics_from_json() still reads (a child's report). */
#define METRICS_DEFINITION_OLDEST 1

/* The flags of METRICS.md; the enum order breaks ties of severity. */
enum metric_flag {
	FLAG_LOW_SATISFACTION,
	FLAG_HIGH_SUPPLEMENT,
	FLAG_LOW_ONLINE,
	FLAG_LATE,
	FLAG_COUNT
};
const char *metric_flag_name(enum metric_flag f);

/* The four 766 indicators hailong tracks, in this order. */
enum metric_point { POINT_21, POINT_33, POINT_42, POINT_54, POINT_COUNT };
extern const char *const metric_point_names[POINT_COUNT]; /* "2.1"... */

/*
 * The figures of one scope, as shown: rates rounded half away from zero
 * to 4 decimals, means to 4, points to 2 (exactly, from the counts).  A
 * figure whose denominator is 0 is NAN (shown as null); its points are 0.
 */
struct metric_figures {
	int64_t ratings; /* N */
	int64_t by_level[5];
	double satisfied_rate;
	double satisfied_ci[2]; /* Wilson 95% (rules z): lo, hi */
	double dissatisfied_rate;
	double mean_level;
	double ballot_score;
	double criteria_mean[RATING_CRITERIA];
	double officer_score;
	double reported_supplement_rate;
	double reported_online_error_rate;
	int64_t dossiers; /* D */
	double online_rate;
	double full_online_rate;
	double on_time_rate;
	double supplement_rate;
	double multi_supplement_rate;
	double correction_rate;
	double supplement_or_correction_rate;
	double digitized_rate;
	double handling_satisfaction_rate;
	/* why (METRICS.md version 2) */
	int64_t reasons_given;
	int64_t visits_answered;
	double visits_mean;
	double one_visit_rate;
	int64_t channel_ratings[CHANNEL_COUNT]; /* by enum rating_channel */
	double channel_satisfied_rate[CHANNEL_COUNT];
	double coverage_rate; /* NAN too when a part lacked its counts */
	int64_t excluded[EXCLUDED_COUNT]; /* burst, duplicate, misuse, spam */
	int64_t dchannel_dossiers[DCHANNEL_COUNT]; /* counter, online, post */
	double dchannel_on_time_rate[DCHANNEL_COUNT];
	double dchannel_soc_rate[DCHANNEL_COUNT];
	/* inclusion (version 3): citizen, business, not said */
	int64_t requester_ratings[REQUESTER_COUNT + 1];
	double requester_satisfied_rate[REQUESTER_COUNT + 1];
	int64_t assisted_ratings; /* entered by a community helper */
	double assisted_satisfied_rate;
	double points[POINT_COUNT];
	/* flags raised, most severe first; severity = distance from the
	 * (unrounded) Wilson bound to the threshold, > 0 */
	int nflags;
	enum metric_flag flags[FLAG_COUNT];
	double severity[FLAG_COUNT];
	bool enough_data; /* N >= n_min (officers below it show no figure) */
};

/* Figures of counts under rules.  Pure arithmetic. */
void metric_figures_compute(const struct metric_counts *c,
    const struct metric_rules *rules, struct metric_figures *f);

/* Round half away from zero num/den (num >= 0, den > 0) to `places`. */
double metric_round_ratio(int64_t num, int64_t den, int places);
/* The Wilson score interval of k successes in n (n > 0) at z. */
void metric_wilson(int64_t k, int64_t n, double z, double *lo, double *hi);

enum metric_scope_kind {
	SCOPE_TOTAL,
	SCOPE_PROCEDURE,
	SCOPE_COUNTER,
	SCOPE_OFFICER,
};

/*
 * One line of the month: the unit's total, a procedure (all units of
 * the subtree together), a counter (of one unit) or an officer.  The
 * one-stop feed names no counter or officer, so their dossier counts
 * are 0 and their dossier figures null.
 */
struct metric_scope {
	enum metric_scope_kind kind;
	char code[41];  /* procedure code or officer id; "" otherwise */
	char unit[41];  /* counters: their unit; officers: theirs, if known */
	int counter;    /* counters: the number */
	char name[512]; /* display name from the reference data, or "" */
	struct metric_counts counts;
	/* valid ratings naming each reason code (a variable set); owned */
	struct metric_reason *reasons;
	size_t nreasons, capreasons;
	/* a part merged in (a version-1 report) lacked the "why" counts */
	bool why_partial;
	struct metric_figures fig; /* valid after metrics_finish() */
};

/* One reason code and the valid ratings naming it. */
struct metric_reason {
	char code[RATING_REASON_MAX_LEN + 1];
	int64_t n;
};

/* Add n ratings naming `code` to s (adding the code when missing). */
void
metric_scope_add_reason(struct metric_scope *s, const char *code, int64_t n);
/* The ratings of s naming `code`, 0 when none. */
int64_t metric_scope_reason(const struct metric_scope *s, const char *code);

struct metric_list {
	struct metric_scope *v;
	size_t n, cap;
	/* the engine's lookup index */
	int32_t *slot;
	size_t nslots;
};

/* How metrics_compute() works. */
enum metrics_how {
	/* every figure from the raw rows, not the rollups (slow; a check) */
	METRICS_RECOMPUTE = 1 << 0,
	/* the unit's own data only, without its subordinate units */
	METRICS_UNIT_ONLY = 1 << 1,
};

/*
 * One unit's month as of an instant T:
 *   - ratings: VALID ratings (their status now) of the unit (and its
 *     subordinates) with rated_at in the month and before T;
 *   - dossiers: received in the month and before T; a dossier whose
 *     finished_at is not before T is open; on time and bad as METRICS.md
 *     says, with T for "now" (a low rating counts when rated before T).
 * Dossier attributes other than times (supplement counts, complaint)
 * are their latest reported values: the feed keeps no history.
 */
struct metrics {
	char unit[41];
	char unit_name[301];
	int month;            /* yyyymm: the period's first month */
	struct period period; /* the month, quarter or year (hltime.h) */
	int64_t as_of;        /* T */
	unsigned how;         /* enum metrics_how bits it was computed with */
	bool rollups;         /* rating counts came from the rollups */
	bool dossier_rollups; /* dossier counts came from the rollups */
	struct metric_rules rules;
	struct metric_scope total;
	struct metric_list procedures, counters, officers;
	/*
	 * The reason codes every scope shows (with 0 when none named
	 * them): the instrument's in force at the period's last instant
	 * before T, in its order (metrics_add_reason_code()); owned.
	 */
	char (*reason_codes)[RATING_REASON_MAX_LEN + 1];
	size_t nreason_codes;
	/*
	 * Units whose merged document (a version-1 report) had no "why"
	 * counts: the figures of "why" cover the others only; owned.
	 */
	char (*why_missing)[41];
	size_t nwhy_missing;
};

/* Add a reason code to m's list when it is not there yet. */
void metrics_add_reason_code(struct metrics *m, const char *code);

/*
 * Compute `unit`'s month (yyyymm) as of `as_of`.  Rating counts come
 * from the rollups, at the same cost for 10 or 10 million ratings,
 * whenever they can be exact: when T is at or after the month's end or
 * at or after the present (ratings are never dated in the future).  A
 * look back inside a running month (T in the past, before the month's
 * end), and METRICS_RECOMPUTE, read the raw rows instead.  Dossier
 * counts come from an indexed query over the month's dossiers
 * (METRICS_RECOMPUTE evaluates each dossier in C instead, a second
 * implementation the tests compare).  Rules: those for the month.
 * Figures, flags and the order of the lists are done (metrics_finish()).
 * New: metrics_free().  NULL with err filled: unknown unit (the caller
 * answers 404), no rules, a database error.
 */
struct metrics *metrics_compute(struct db *db, const char *unit, int month,
    int64_t as_of, unsigned how, char *err, size_t errlen);

/*
 * The same for a period (hltime.h: a month, a quarter or a year): the
 * figures of the sums of its months' counts (METRICS.md "Periods"),
 * each month read as metrics_compute() reads it (rollups when they hold),
 * names and reason codes once.  Rules: those of the period's last month.
 * NULL with err filled, as metrics_compute(), and also (err names it):
 *   - a period that ends before the database's first month (the earliest
 *     month of the rollups, folded counts and dossier rollups);
 *   - a month of it folded (fold.h) with T inside it: its rating figures
 *     need the raw rows that the fold deleted.
 */
struct metrics *
metrics_compute_period(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, unsigned how, char *err, size_t errlen);

/*
 * Whether the period p as of T can be computed in db: 0 yes; with err
 * naming what is wrong, 1 when the period ends before the database's
 * first month (*month: that first month) or 2 when a month of it is
 * folded and T inside it (*month: that month); -1 database error.
 * month may be NULL.
 */
int metrics_period_check(struct db *db, const struct period *p, int64_t as_of,
    char *err, size_t errlen);
int metrics_period_check_month(struct db *db, const struct period *p,
    int64_t as_of, int *month, char *err, size_t errlen);

/* An empty month (all counts 0) for building from other counts.  New. */
struct metrics *metrics_new(const char *unit, int month, int64_t as_of,
    const struct metric_rules *rules);
void metrics_free(struct metrics *m);

/*
 * The scope of that kind and key (procedures: code; counters: unit and
 * counter; officers: code), added with zero counts when missing; the
 * total for SCOPE_TOTAL.  Borrowed until the list next grows.
 */
struct metric_scope *
metrics_scope(struct metrics *m, enum metric_scope_kind kind, const char *code,
    const char *unit, int counter);

/*
 * Add c to m's total and, when `procedure` is not '', to that procedure's
 * scope: a row of counts by procedure (rollups, dossiers).
 */
void metrics_add_procedure(
    struct metrics *m, const char *procedure, const struct metric_counts *c);

/*
 * Add from's counts into m, scope by scope (the total into the total,
 * each procedure, counter and officer into its namesake, adding those m
 * lacks).  Names m lacks are taken from `from`.  Call metrics_finish()
 * after the last merge.
 */
void metrics_merge(struct metrics *m, const struct metrics *from);

/*
 * Compute every scope's figures under m->rules, order each scope's
 * flags (most severe first) and each list: flagged scopes first, by
 * their highest severity, then the others by key.
 */
void metrics_finish(struct metrics *m);

/*
 * The document of schemas/metrics.schema.json: definition and rules
 * versions, unit, month, as_of, the rules, "reason_codes",
 * "why_partial" and "why_missing", "total" and the lists "procedures",
 * "counters", "officers"; each scope carries every key of METRICS.md
 * (version 2, "Why" included), "points", "flags" and the "counts" behind
 * them (with "reasons": the codes named, n > 0).  Officers below n_min
 * carry "enough_data": false, their count of ratings and no other rating
 * figure or count.  New.
 */
json_t *metrics_to_json(const struct metrics *m);

/*
 * The canonical text of metrics_to_json(): the same inputs give the
 * same bytes.  `pretty` indents by 2.  New (free()).
 */
char *metrics_dumps(const struct metrics *m, bool pretty);

/*
 * The same document written to `f` as it is encoded, without the whole
 * text in memory (a province's month is megabytes).  0 or -1.
 */
int metrics_dumpf(const struct metrics *m, FILE *f, bool pretty);

/* The same, compact, appended to `b`. */
void metrics_dump_buf(const struct metrics *m, struct buf *b);

/*
 * Empty the counter and officer lists: what roles below manager may not
 * see of a month, whichever way they ask (console, API).
 */
void metrics_drop_staff_scopes(struct metrics *m);

/*
 * Rebuild a month from a document made by metrics_to_json() (a signed
 * report of a subordinate unit): unit, month, as_of, the rules and every
 * scope's counts; officers without counts (below n_min) are left out.
 * A document of definition version 1 has no counts of "why": they stay
 * 0, every scope is why_partial and the unit goes to why_missing.
 * Figures are computed again (metrics_finish() done).  New, or NULL
 * with err filled.
 */
struct metrics *metrics_from_json(const json_t *doc, char *err, size_t errlen);

#endif
