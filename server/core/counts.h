/* counts.h -- the counts behind the monthly figures, which add. */
#ifndef HAILONG_COUNTS_H
#define HAILONG_COUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hailong/rating.h"

/*
 * The first layer of the figures (metrics.h): the rollups (rollup.h),
 * the folded months (fold.h) and the dossiers (dossiers.h) keep and
 * read these, and the figures are computed from them, so this file
 * depends on none of those.
 */

/* Rating channels (enum rating_channel), excluded statuses (enum
 * rating_status but STATUS_VALID) and dossier channels (1..3). */
#define CHANNEL_COUNT 4
#define EXCLUDED_COUNT 4
#define DCHANNEL_COUNT 3
/* Requesters said (enum rating_requester but REQUESTER_NONE). */
#define REQUESTER_COUNT 2

/*
 * The counts behind every figure of one scope and month.  Ratings are
 * VALID ratings only; dossiers are those received in the month (and
 * before as_of).  All are sums: add two scopes' counts field by field.
 */
struct metric_counts {
	/* ratings */
	int64_t by_level[5]; /* levels 1..5; N is their sum */
	int64_t ballot_n;    /* ratings that answered all nine criteria */
	int64_t ballot_sum;  /* the sum of their points (0..18 each) */
	int64_t criteria_n[RATING_CRITERIA];   /* ratings answering c<i> */
	int64_t criteria_sum[RATING_CRITERIA]; /* their points */
	int64_t officer_n;             /* answered c1, c2, c3, c4 and c7 */
	int64_t officer_sum;           /* the sum of those five (0..10) */
	int64_t supplement_answered;   /* supplement_reported 0 or 1 */
	int64_t supplement_yes;        /* supplement_reported 1 */
	int64_t online_error_answered; /* online_error_reported 0 or 1 */
	int64_t online_error_yes;      /* online_error_reported 1 */
	/* why (METRICS.md version 2) */
	int64_t reasons_given;   /* valid ratings naming a reason */
	int64_t visits_answered; /* valid ratings that answered visits */
	int64_t visits_sum;      /* the sum of their visits */
	int64_t visits_one;      /* of them, visits = 1 */
	int64_t channel_ratings[CHANNEL_COUNT];   /* by rating_channel */
	int64_t channel_satisfied[CHANNEL_COUNT]; /* of them, level >= 4 */
	int64_t excluded[EXCLUDED_COUNT];         /* not valid, by status - 1 */
	/* inclusion (definition version 3): by requester - 1 (citizen,
	 * business; "not said" is N minus them), and the assisted ones */
	int64_t requester_ratings[REQUESTER_COUNT];
	int64_t requester_satisfied[REQUESTER_COUNT]; /* of them, level >= 4 */
	int64_t assisted_ratings;   /* entered by a community helper */
	int64_t assisted_satisfied; /* of them, level >= 4 */
	/* dossiers */
	int64_t dossiers;         /* D */
	int64_t online;           /* channel 2 */
	int64_t full_online;      /* full_online = 1 */
	int64_t judged;           /* with due_at (on-time denominator) */
	int64_t on_time;          /* judged and on time */
	int64_t supplement;       /* supplement_requests >= 1 */
	int64_t multi_supplement; /* supplement_requests >= 2 */
	int64_t correction;       /* corrections >= 1 */
	int64_t supplement_or_correction; /* either of the two */
	int64_t digitized;                /* digitized = 1 */
	int64_t bad;                      /* bad (766 indicator 5.4) */
	/* dossiers: why (METRICS.md version 2) */
	int64_t covered; /* with a valid rating naming it, before T */
	/* by dossier channel 1 counter, 2 online, 3 post (index - 1) */
	int64_t dchannel_dossiers[DCHANNEL_COUNT];
	int64_t dchannel_judged[DCHANNEL_COUNT];
	int64_t dchannel_on_time[DCHANNEL_COUNT];
	int64_t dchannel_soc[DCHANNEL_COUNT]; /* supplement or correction */
};

/* into += from, field by field. */
void
metric_counts_add(struct metric_counts *into, const struct metric_counts *from);
/* Add one rating's counts (the caller decides it is valid). */
void metric_counts_add_rating(struct metric_counts *c, const struct rating *r);
/*
 * Add one rating whatever its status: a valid one's counts
 * (metric_counts_add_rating()), or one to excluded[] by its status.
 */
void metric_counts_add_any(struct metric_counts *c, const struct rating *r);
/* N: the number of valid ratings. */
int64_t metric_counts_ratings(const struct metric_counts *c);
bool metric_counts_is_zero(const struct metric_counts *c);

/*
 * The counts as a JSON object whose keys are the field names above
 * (arrays for by_level, criteria_n, criteria_sum and the by-channel and
 * excluded counts).  New.
 */
json_t *metric_counts_to_json(const struct metric_counts *c);
/*
 * Back from that object: every key required, integers >= 0, no others.
 * 0, or -1 with err naming the key.
 */
int metric_counts_from_json(
    const json_t *obj, struct metric_counts *c, char *err, size_t errlen);
/*
 * The same for a document of definition version `version`: version 1
 * lacks the "why" counts (they stay 0 and *partial is set true); the
 * key "reasons" is skipped (metrics.c reads it).  0 or -1.
 */
int metric_counts_from_json_v(const json_t *obj, int version,
    struct metric_counts *c, bool *partial, char *err, size_t errlen);

/* A JSON array of n integers.  New. */
json_t *metric_ints_to_json(const int64_t *v, int n);

#endif
