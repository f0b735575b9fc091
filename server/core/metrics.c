/* metrics.c -- the monthly figures of shared/METRICS.md, from counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/dossiers.h"
#include "core/fold.h"
#include "core/instrument.h"
#include "core/metrics.h"
#include "core/rollup.h"
#include "core/units.h"

#define PPM 1000000

__extension__ typedef unsigned __int128 u128;

static const char *const flag_names[FLAG_COUNT] = { "LOW_SATISFACTION",
	"HIGH_SUPPLEMENT", "LOW_ONLINE", "LATE" };

const char *const metric_point_names[POINT_COUNT] = { "2.1", "3.3", "4.2",
	"5.4" };

const char *
metric_flag_name(enum metric_flag f)
{
	return (unsigned)f < FLAG_COUNT ? flag_names[f] : "?";
}

/* --- figures --------------------------------------------------------------- */

static u128
pow10u(int places)
{
	u128 p = 1;

	while (places-- > 0)
		p *= 10;
	return p;
}

/* Exact half-away-from-zero rounding of num/den (both >= 0, den > 0). */
static double
round_u128(u128 num, u128 den, int places)
{
	u128 scale = pow10u(places);
	u128 q = (num * scale * 2 + den) / (den * 2);

	return (double)q / (double)scale;
}

double
metric_round_ratio(int64_t num, int64_t den, int places)
{
	if (den <= 0 || num < 0)
		return NAN;
	return round_u128((u128)num, (u128)den, places);
}

void
metric_wilson(int64_t k, int64_t n, double z, double *lo, double *hi)
{
	double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
	double denom = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / denom;
	double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));

	*lo = centre - half;
	*hi = centre + half;
	if (*lo < 0)
		*lo = 0;
	if (*hi > 1)
		*hi = 1;
}

static double
rate(int64_t num, int64_t den)
{
	return den > 0 ? metric_round_ratio(num, den, 4) : NAN;
}

static double
round4(double x)
{
	return round(x * 10000) / 10000;
}

static void
raise_flag(struct metric_figures *f, enum metric_flag flag, double severity)
{
	int i = f->nflags++;

	/* insertion: most severe first, the enum order among equals */
	while (i > 0 && f->severity[i - 1] < severity) {
		f->flags[i] = f->flags[i - 1];
		f->severity[i] = f->severity[i - 1];
		i--;
	}
	f->flags[i] = flag;
	f->severity[i] = severity;
}

static void
points(const struct metric_counts *c, const struct metric_rules *r,
    struct metric_figures *f)
{
	int64_t d = c->dossiers, good = c->dossiers - c->bad;

	for (int i = 0; i < POINT_COUNT; i++)
		f->points[i] = 0;
	/* 2.1: max x on_time_rate */
	if (c->judged > 0)
		f->points[POINT_21] =
		    round_u128((u128)r->p21_max * (u128)c->on_time,
			(u128)c->judged, 0) /
		    100;
	if (d <= 0)
		return;
	/* 3.3: max x min(1, online_rate / target) */
	if ((u128)c->online * PPM >= (u128)r->p33_target * (u128)d)
		f->points[POINT_33] = (double)r->p33_max / 100;
	else
		f->points[POINT_33] =
		    round_u128((u128)r->p33_max * (u128)c->online * PPM,
			(u128)r->p33_target * (u128)d, 0) /
		    100;
	/* 4.2: max x digitized_rate */
	f->points[POINT_42] =
	    round_u128((u128)r->p42_max * (u128)c->digitized, (u128)d, 0) / 100;
	/* 5.4: max if the rate reaches full_at, else max x rate / full_at */
	if ((u128)good * PPM >= (u128)r->p54_full_at * (u128)d)
		f->points[POINT_54] = (double)r->p54_max / 100;
	else
		f->points[POINT_54] =
		    round_u128((u128)r->p54_max * (u128)good * PPM,
			(u128)r->p54_full_at * (u128)d, 0) /
		    100;
}

static void
flags(const struct metric_counts *c, const struct metric_rules *r,
    struct metric_figures *f)
{
	int64_t n = metric_counts_ratings(c);
	double lo, hi, t;

	f->nflags = 0;
	if (n >= r->n_min) {
		metric_wilson(
		    c->by_level[3] + c->by_level[4], n, r->z, &lo, &hi);
		t = (double)r->satisfied_min / PPM;
		if (hi < t)
			raise_flag(f, FLAG_LOW_SATISFACTION, t - hi);
	}
	if (c->dossiers >= r->n_min) {
		metric_wilson(
		    c->supplement_or_correction, c->dossiers, r->z, &lo, &hi);
		t = (double)r->supplement_max / PPM;
		if (lo > t)
			raise_flag(f, FLAG_HIGH_SUPPLEMENT, lo - t);
		metric_wilson(c->online, c->dossiers, r->z, &lo, &hi);
		t = (double)r->online_min / PPM;
		if (hi < t)
			raise_flag(f, FLAG_LOW_ONLINE, t - hi);
	}
	if (c->judged >= r->n_min) {
		metric_wilson(c->on_time, c->judged, r->z, &lo, &hi);
		t = (double)r->on_time_min / PPM;
		if (hi < t)
			raise_flag(f, FLAG_LATE, t - hi);
	}
}

void
metric_figures_compute(const struct metric_counts *c,
    const struct metric_rules *rules, struct metric_figures *f)
{
	int64_t n = metric_counts_ratings(c), d = c->dossiers, level_sum = 0;

	memset(f, 0, sizeof(*f));
	f->ratings = n;
	for (int i = 0; i < 5; i++) {
		f->by_level[i] = c->by_level[i];
		level_sum += (int64_t)(i + 1) * c->by_level[i];
	}
	f->satisfied_rate = rate(c->by_level[3] + c->by_level[4], n);
	f->satisfied_ci[0] = f->satisfied_ci[1] = NAN;
	if (n > 0) {
		double lo, hi;

		metric_wilson(
		    c->by_level[3] + c->by_level[4], n, rules->z, &lo, &hi);
		f->satisfied_ci[0] = round4(lo);
		f->satisfied_ci[1] = round4(hi);
	}
	f->dissatisfied_rate = rate(c->by_level[0] + c->by_level[1], n);
	f->mean_level = rate(level_sum, n);
	f->ballot_score = rate(c->ballot_sum, c->ballot_n);
	for (int i = 0; i < RATING_CRITERIA; i++)
		f->criteria_mean[i] =
		    rate(c->criteria_sum[i], c->criteria_n[i]);
	f->officer_score = rate(c->officer_sum, c->officer_n);
	f->reported_supplement_rate =
	    rate(c->supplement_yes, c->supplement_answered);
	f->reported_online_error_rate =
	    rate(c->online_error_yes, c->online_error_answered);
	f->dossiers = d;
	f->online_rate = rate(c->online, d);
	f->full_online_rate = rate(c->full_online, d);
	f->on_time_rate = rate(c->on_time, c->judged);
	f->supplement_rate = rate(c->supplement, d);
	f->multi_supplement_rate = rate(c->multi_supplement, d);
	f->correction_rate = rate(c->correction, d);
	f->supplement_or_correction_rate = rate(c->supplement_or_correction, d);
	f->digitized_rate = rate(c->digitized, d);
	f->handling_satisfaction_rate = rate(d - c->bad, d);
	f->reasons_given = c->reasons_given;
	f->visits_answered = c->visits_answered;
	f->visits_mean = rate(c->visits_sum, c->visits_answered);
	f->one_visit_rate = rate(c->visits_one, c->visits_answered);
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		f->channel_ratings[i] = c->channel_ratings[i];
		f->channel_satisfied_rate[i] =
		    rate(c->channel_satisfied[i], c->channel_ratings[i]);
	}
	f->coverage_rate = rate(c->covered, d);
	for (int i = 0; i < EXCLUDED_COUNT; i++)
		f->excluded[i] = c->excluded[i];
	for (int i = 0; i < DCHANNEL_COUNT; i++) {
		f->dchannel_dossiers[i] = c->dchannel_dossiers[i];
		f->dchannel_on_time_rate[i] =
		    rate(c->dchannel_on_time[i], c->dchannel_judged[i]);
		f->dchannel_soc_rate[i] =
		    rate(c->dchannel_soc[i], c->dchannel_dossiers[i]);
	}
	{
		/* "not said": the valid ratings that are neither */
		int64_t left = n, left_sat = c->by_level[3] + c->by_level[4];

		for (int i = 0; i < REQUESTER_COUNT; i++) {
			f->requester_ratings[i] = c->requester_ratings[i];
			f->requester_satisfied_rate[i] = rate(
			    c->requester_satisfied[i], c->requester_ratings[i]);
			left -= c->requester_ratings[i];
			left_sat -= c->requester_satisfied[i];
		}
		if (left < 0) /* inconsistent counts: never a negative */
			left = 0;
		if (left_sat < 0 || left_sat > left)
			left_sat = left_sat < 0 ? 0 : left;
		f->requester_ratings[REQUESTER_COUNT] = left;
		f->requester_satisfied_rate[REQUESTER_COUNT] =
		    rate(left_sat, left);
		f->assisted_ratings = c->assisted_ratings;
		f->assisted_satisfied_rate =
		    rate(c->assisted_satisfied, c->assisted_ratings);
	}
	points(c, rules, f);
	flags(c, rules, f);
	f->enough_data = n >= rules->n_min;
}

/* --- scopes ---------------------------------------------------------------- */

static uint64_t
scope_hash(const char *code, const char *unit, int counter)
{
	uint64_t h = fnv1a(code, FNV1A_INIT);

	h = fnv1a("\x1f", h);
	h = fnv1a(unit, h);
	return h ^ (uint64_t)(unsigned)counter * 0x9e3779b97f4a7c15ULL;
}

/* The unit is part of a counter's key only (officers carry one too). */
static const char *
key_unit(const struct metric_scope *s)
{
	return s->kind == SCOPE_COUNTER ? s->unit : "";
}

static bool
scope_is(const struct metric_scope *s, const char *code, const char *unit,
    int counter)
{
	return s->counter == counter && strcmp(s->code, code) == 0 &&
	    strcmp(key_unit(s), unit) == 0;
}

static void
index_put(struct metric_list *l, size_t i)
{
	const struct metric_scope *s = &l->v[i];
	size_t k = (size_t)scope_hash(s->code, key_unit(s), s->counter);

	while (l->slot[k & (l->nslots - 1)] != 0)
		k++;
	l->slot[k & (l->nslots - 1)] = (int32_t)i + 1;
}

static void
index_rebuild(struct metric_list *l, size_t nslots)
{
	free(l->slot);
	l->nslots = nslots;
	l->slot = xcalloc(nslots, sizeof(*l->slot));
	for (size_t i = 0; i < l->n; i++)
		index_put(l, i);
}

static struct metric_scope *
list_get(struct metric_list *l, enum metric_scope_kind kind, const char *code,
    const char *unit, int counter)
{
	struct metric_scope *s;
	size_t k;

	if (l->nslots > 0) {
		k = (size_t)scope_hash(code, unit, counter);
		for (;; k++) {
			int32_t i = l->slot[k & (l->nslots - 1)];

			if (i == 0)
				break;
			if (scope_is(&l->v[i - 1], code, unit, counter))
				return &l->v[i - 1];
		}
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	strlcpy_hl(s->code, code, sizeof(s->code));
	strlcpy_hl(s->unit, unit, sizeof(s->unit));
	s->counter = counter;
	/* keep the index at most half full */
	if (2 * l->n > l->nslots)
		index_rebuild(l, l->nslots ? 2 * l->nslots : 64);
	else
		index_put(l, l->n - 1);
	return s;
}

static void
list_release(struct metric_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].reasons);
	free(l->v);
	free(l->slot);
	memset(l, 0, sizeof(*l));
}

struct metrics *
metrics_new(const char *unit, int month, int64_t as_of,
    const struct metric_rules *rules)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	strlcpy_hl(m->unit, unit, sizeof(m->unit));
	m->month = month;
	m->period = period_of_month(month);
	m->as_of = as_of;
	m->rules = *rules;
	m->total.kind = SCOPE_TOTAL;
	strlcpy_hl(m->total.unit, unit, sizeof(m->total.unit));
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	list_release(&m->procedures);
	list_release(&m->counters);
	list_release(&m->officers);
	free(m->total.reasons);
	free(m->reason_codes);
	free(m->why_missing);
	free(m);
}

/* --- reasons --------------------------------------------------------------- */

void
metric_scope_add_reason(struct metric_scope *s, const char *code, int64_t n)
{
	struct metric_reason *r;

	for (size_t i = 0; i < s->nreasons; i++)
		if (strcmp(s->reasons[i].code, code) == 0) {
			s->reasons[i].n += n;
			return;
		}
	if (s->nreasons == s->capreasons) {
		s->capreasons = s->capreasons ? 2 * s->capreasons : 8;
		s->reasons =
		    xrealloc(s->reasons, s->capreasons * sizeof(*s->reasons));
	}
	r = &s->reasons[s->nreasons++];
	strlcpy_hl(r->code, code, sizeof(r->code));
	r->n = n;
}

int64_t
metric_scope_reason(const struct metric_scope *s, const char *code)
{
	for (size_t i = 0; i < s->nreasons; i++)
		if (strcmp(s->reasons[i].code, code) == 0)
			return s->reasons[i].n;
	return 0;
}

void
metrics_add_reason_code(struct metrics *m, const char *code)
{
	for (size_t i = 0; i < m->nreason_codes; i++)
		if (strcmp(m->reason_codes[i], code) == 0)
			return;
	m->reason_codes = xrealloc(
	    m->reason_codes, (m->nreason_codes + 1) * sizeof(*m->reason_codes));
	strlcpy_hl(m->reason_codes[m->nreason_codes++], code,
	    sizeof(m->reason_codes[0]));
}

static void
merge_reasons(struct metric_scope *s, const struct metric_scope *from)
{
	for (size_t i = 0; i < from->nreasons; i++)
		metric_scope_add_reason(
		    s, from->reasons[i].code, from->reasons[i].n);
	s->why_partial |= from->why_partial;
}

static void
add_why_missing(struct metrics *m, const char *unit)
{
	for (size_t i = 0; i < m->nwhy_missing; i++)
		if (strcmp(m->why_missing[i], unit) == 0)
			return;
	m->why_missing = xrealloc(
	    m->why_missing, (m->nwhy_missing + 1) * sizeof(*m->why_missing));
	strlcpy_hl(
	    m->why_missing[m->nwhy_missing++], unit, sizeof(m->why_missing[0]));
}

void
metrics_drop_staff_scopes(struct metrics *m)
{
	list_release(&m->counters);
	list_release(&m->officers);
}

struct metric_scope *
metrics_scope(struct metrics *m, enum metric_scope_kind kind, const char *code,
    const char *unit, int counter)
{
	switch (kind) {
	case SCOPE_PROCEDURE:
		return list_get(&m->procedures, kind, code, "", 0);
	case SCOPE_COUNTER:
		return list_get(&m->counters, kind, "", unit, counter);
	case SCOPE_OFFICER: return list_get(&m->officers, kind, code, "", 0);
	case SCOPE_TOTAL:
	default: return &m->total;
	}
}

void
metrics_add_procedure(
    struct metrics *m, const char *procedure, const struct metric_counts *c)
{
	metric_counts_add(&m->total.counts, c);
	if (procedure[0] != '\0')
		metric_counts_add(
		    &metrics_scope(m, SCOPE_PROCEDURE, procedure, "", 0)->counts,
		    c);
}

static void
merge_list(struct metrics *m, const struct metric_list *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct metric_scope *f = &from->v[i];
		struct metric_scope *s =
		    metrics_scope(m, f->kind, f->code, key_unit(f), f->counter);

		metric_counts_add(&s->counts, &f->counts);
		merge_reasons(s, f);
		if (s->name[0] == '\0')
			strlcpy_hl(s->name, f->name, sizeof(s->name));
		if (f->kind == SCOPE_OFFICER && s->unit[0] == '\0')
			strlcpy_hl(s->unit, f->unit, sizeof(s->unit));
	}
}

void
metrics_merge(struct metrics *m, const struct metrics *from)
{
	metric_counts_add(&m->total.counts, &from->total.counts);
	merge_reasons(&m->total, &from->total);
	for (size_t i = 0; i < from->nreason_codes; i++)
		metrics_add_reason_code(m, from->reason_codes[i]);
	for (size_t i = 0; i < from->nwhy_missing; i++)
		add_why_missing(m, from->why_missing[i]);
	merge_list(m, &from->procedures);
	merge_list(m, &from->counters);
	merge_list(m, &from->officers);
}

static int
scope_key_cmp(const struct metric_scope *a, const struct metric_scope *b)
{
	int c = strcmp(a->unit, b->unit);

	if (a->kind == SCOPE_COUNTER) {
		if (c != 0)
			return c;
		return (a->counter > b->counter) - (a->counter < b->counter);
	}
	return strcmp(a->code, b->code);
}

static int
scope_cmp(const void *pa, const void *pb)
{
	const struct metric_scope *a = pa, *b = pb;
	double sa = a->fig.nflags ? a->fig.severity[0] : -1;
	double sb = b->fig.nflags ? b->fig.severity[0] : -1;

	if (sa != sb)
		return sa > sb ? -1 : 1;
	return scope_key_cmp(a, b);
}

static void
scope_finish(struct metric_scope *s, const struct metric_rules *rules)
{
	metric_figures_compute(&s->counts, rules, &s->fig);
	/* a part without the counts of "why" still has its dossiers in D */
	if (s->why_partial)
		s->fig.coverage_rate = NAN;
}

static void
finish_list(struct metric_list *l, const struct metric_rules *rules)
{
	for (size_t i = 0; i < l->n; i++)
		scope_finish(&l->v[i], rules);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), scope_cmp);
	if (l->nslots > 0)
		index_rebuild(l, l->nslots);
}

void
metrics_finish(struct metrics *m)
{
	scope_finish(&m->total, &m->rules);
	finish_list(&m->procedures, &m->rules);
	finish_list(&m->counters, &m->rules);
	finish_list(&m->officers, &m->rules);
}

/* --- computing from the database ------------------------------------------ */

/* The unit filter of every query: ?1 is the unit. */
#define SUBTREE "IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1)"
#define ONLY "= ?1"

/* The readers of rollup.h and fold.h fill m through this sink. */
static void
sink_add(void *ctx, const char *procedure, const struct metric_counts *c)
{
	metrics_add_procedure(ctx, procedure, c);
}

static struct metric_counts *
sink_counts(void *ctx, enum rollup_rows kind, const char *key, int counter)
{
	struct metrics *m = ctx;

	if (kind == ROWS_COUNTER)
		return &metrics_scope(m, SCOPE_COUNTER, "", key, counter)
			    ->counts;
	return &metrics_scope(m, SCOPE_OFFICER, key, "", 0)->counts;
}

/*
 * n valid ratings naming reason `code`, to the total and the scopes the
 * rating counts for, as add_rating_scopes() adds its counts.
 */
static void
add_reason_scopes(struct metrics *m, const char *procedure, const char *unit,
    int counter, const char *officer, const char *code, int64_t n)
{
	metric_scope_add_reason(&m->total, code, n);
	if (procedure[0] != '\0')
		metric_scope_add_reason(
		    metrics_scope(m, SCOPE_PROCEDURE, procedure, "", 0), code,
		    n);
	if (counter > 0)
		metric_scope_add_reason(
		    metrics_scope(m, SCOPE_COUNTER, "", unit, counter), code,
		    n);
	if (officer[0] != '\0')
		metric_scope_add_reason(
		    metrics_scope(m, SCOPE_OFFICER, officer, "", 0), code, n);
}

static void
sink_reason(void *ctx, const char *procedure, const char *unit, int counter,
    const char *officer, const char *code, int64_t n)
{
	add_reason_scopes(ctx, procedure, unit, counter, officer, code, n);
}

static struct rollup_sink
sink_of_month(struct metrics *m, int month)
{
	struct rollup_sink s = { m->unit, month, sink_add, sink_counts, m,
		sink_reason, m->as_of };

	return s;
}

static struct rollup_sink
sink_of(struct metrics *m)
{
	struct rollup_sink s = sink_of_month(m, m->month);

	return s;
}

/* Each code of a rating's reasons ("a,b"), once. */
static void
add_rating_reasons(struct metrics *m, const struct rating *r)
{
	const char *p = r->reasons;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char code[RATING_REASON_MAX_LEN + 1];

		if (len > 0 && len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = '\0';
			add_reason_scopes(m, r->procedure, r->unit, r->counter,
			    r->officer, code, 1);
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

/* A rating of any status: valid ones' counts, the others' as excluded. */
static void
add_rating_scopes(struct metrics *m, const struct rating *r)
{
	metric_counts_add_any(&m->total.counts, r);
	if (r->procedure[0] != '\0')
		metric_counts_add_any(
		    &metrics_scope(m, SCOPE_PROCEDURE, r->procedure, "", 0)
			 ->counts,
		    r);
	if (r->counter > 0)
		metric_counts_add_any(
		    &metrics_scope(m, SCOPE_COUNTER, "", r->unit, r->counter)
			 ->counts,
		    r);
	if (r->officer[0] != '\0')
		metric_counts_add_any(
		    &metrics_scope(m, SCOPE_OFFICER, r->officer, "", 0)->counts,
		    r);
	if (r->status == STATUS_VALID)
		add_rating_reasons(m, r);
}

static void
col_str(struct db_stmt *st, int i, char *out, size_t size)
{
	const char *s = db_col_text(st, i);

	strlcpy_hl(out, s != NULL ? s : "", size);
}

/*
 * A rating's procedure (METRICS.md "Which procedure and officer a rating
 * counts for"): its own, else that of the dossier it names when the
 * dossier was received before T (?4) and is of the rating's unit or a
 * unit below it.  The rollups keep the same (rollup_procedure_of()).
 */
#define RAW_PROCEDURE METRICS_RATING_PROCEDURE_SQL("?4")
#define RAW_SQL(FILTER) \
	"SELECT r.unit, r.counter, r.officer, " RAW_PROCEDURE ", r.level, " \
	"r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8, r.c9, " \
	"r.supplement_reported, r.online_error_reported, r.visits, " \
	"r.reasons, r.channel, r.status, coalesce(r.requester, 0), " \
	"r.assisted FROM ratings r " \
	"WHERE r.unit " FILTER " AND r.rated_at >= ?2 AND r.rated_at < ?3"

/*
 * Rating counts from the raw rows: valid, rated in [start, until), and
 * those of the month's folded ratings (fold.h).
 */
static int
ratings_raw(struct db *db, struct metrics *m, bool unit_only, int64_t start,
    int64_t until)
{
	struct rollup_sink sink = sink_of(m);
	struct db_stmt *st;
	int step;

	/* every status: the valid ones count, the others are excluded */
	st = db_query(db, unit_only ? RAW_SQL(ONLY) : RAW_SQL(SUBTREE), "tlll",
	    m->unit, start, until, m->as_of);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct rating r;
		int col = 5;

		rating_init(&r);
		col_str(st, 0, r.unit, sizeof(r.unit));
		r.counter = db_col_is_null(st, 1) ? 0 : (int)db_col_int(st, 1);
		col_str(st, 2, r.officer, sizeof(r.officer));
		col_str(st, 3, r.procedure, sizeof(r.procedure));
		r.level = (int)db_col_int(st, 4);
		for (int i = 0; i < RATING_CRITERIA; i++, col++)
			r.criteria[i] = db_col_is_null(st, col)
			    ? -1
			    : (int)db_col_int(st, col);
		r.supplement_reported =
		    db_col_is_null(st, col) ? -1 : (int)db_col_int(st, col);
		col++;
		r.online_error_reported =
		    db_col_is_null(st, col) ? -1 : (int)db_col_int(st, col);
		col++;
		r.visits =
		    db_col_is_null(st, col) ? -1 : (int)db_col_int(st, col);
		col++;
		col_str(st, col++, r.reasons, sizeof(r.reasons));
		if (rating_channel_parse(db_col_text(st, col++), &r.channel) <
			0 ||
		    rating_status_parse(db_col_text(st, col++), &r.status) <
			0) {
			db_set_error(
			    db, "a rating of unknown channel or status");
			step = -1;
			break;
		}
		{
			int64_t q = db_col_int(st, col++);

			r.requester = q >= 0 && q <= REQUESTER_BUSINESS
			    ? (enum rating_requester)q
			    : REQUESTER_NONE;
		}
		r.assisted = db_col_int(st, col++) != 0;
		add_rating_scopes(m, &r);
	}
	db_done(st);
	if (step < 0)
		return -1;
	/* the month's folded ratings: their counts, their rows are gone */
	return fold_read(db, &sink, unit_only, start, until);
}

/*
 * A low rating r counts for a dossier when its unit is the dossier's or
 * one above it (METRICS.md "Bad"): the dossier d's unit, or a parameter.
 */
#define LOW_COUNTS_D \
	"r.unit IN (SELECT ancestor FROM unit_tree WHERE descendant = d.unit)"
#define LOW_COUNTS_PARAM \
	"r.unit IN (SELECT ancestor FROM unit_tree WHERE descendant = ?)"

/* A dossier channel's dossiers, judged, on time, supplement or correction. */
#define DCHANNEL_SQL(K) \
	"sum(channel = " K "), sum(channel = " K " AND due_at IS NOT NULL), " \
	"sum(channel = " K " AND on_time), sum(channel = " K " AND " \
	"(supplement_requests >= 1 OR corrections >= 1))"

/*
 * Dossier counts by procedure in one indexed query (dossiers by unit and
 * received_at).  ?2..?3 the received window, ?4 T, ?5 the end an open
 * dossier is judged at (the earlier of T and the month's end).  A CASE
 * keeps the rating lookup for the dossiers not already bad.
 */
#define DOSSIER_SQL(FILTER) \
	"SELECT procedure, count(*), sum(channel = 2), sum(full_online), " \
	"sum(due_at IS NOT NULL), sum(on_time), " \
	"sum(supplement_requests >= 1), sum(supplement_requests >= 2), " \
	"sum(corrections >= 1), " \
	"sum(supplement_requests >= 1 OR corrections >= 1), " \
	"sum(digitized), " \
	"sum(CASE WHEN complaint = 1 OR (due_at IS NOT NULL AND NOT on_time) " \
	"THEN 1 WHEN EXISTS (SELECT 1 FROM ratings r WHERE r.dossier = " \
	"d.code AND r.status = 'valid' AND r.level <= 2 AND r.rated_at < ?4 " \
	"AND " LOW_COUNTS_D ") THEN 1 ELSE 0 END), " \
	"sum(EXISTS (SELECT 1 FROM ratings r WHERE r.dossier = d.code AND " \
	"r.status = 'valid' AND r.rated_at < ?4 AND " LOW_COUNTS_D \
	")), " DCHANNEL_SQL("1") ", " DCHANNEL_SQL("2") ", " DCHANNEL_SQL( \
	    "3") " " \
		 "FROM (SELECT code, unit, procedure, channel, full_online, " \
		 "due_at, " \
		 "supplement_requests, corrections, digitized, complaint, " \
		 "(due_at IS NOT NULL AND supplement_requests <= 1 AND " \
		 "(CASE WHEN finished_at IS NOT NULL AND finished_at < ?4 " \
		 "THEN finished_at ELSE ?5 END) - supplement_seconds <= " \
		 "due_at) " \
		 "AS on_time FROM dossiers WHERE unit " FILTER \
		 " AND received_at >= ?2 AND received_at < ?3) d GROUP BY " \
		 "procedure"

static int
dossiers_sql(struct db *db, struct metrics *m, bool unit_only, int64_t start,
    int64_t until, int64_t open_end)
{
	struct db_stmt *st;
	int step;

	st = db_query(db, unit_only ? DOSSIER_SQL(ONLY) : DOSSIER_SQL(SUBTREE),
	    "tllll", m->unit, start, until, m->as_of, open_end);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct metric_counts c;
		char code[16];

		memset(&c, 0, sizeof(c));
		col_str(st, 0, code, sizeof(code));
		c.dossiers = db_col_int(st, 1);
		c.online = db_col_int(st, 2);
		c.full_online = db_col_int(st, 3);
		c.judged = db_col_int(st, 4);
		c.on_time = db_col_int(st, 5);
		c.supplement = db_col_int(st, 6);
		c.multi_supplement = db_col_int(st, 7);
		c.correction = db_col_int(st, 8);
		c.supplement_or_correction = db_col_int(st, 9);
		c.digitized = db_col_int(st, 10);
		c.bad = db_col_int(st, 11);
		c.covered = db_col_int(st, 12);
		for (int k = 0; k < DCHANNEL_COUNT; k++) {
			c.dchannel_dossiers[k] = db_col_int(st, 13 + 4 * k);
			c.dchannel_judged[k] = db_col_int(st, 14 + 4 * k);
			c.dchannel_on_time[k] = db_col_int(st, 15 + 4 * k);
			c.dchannel_soc[k] = db_col_int(st, 16 + 4 * k);
		}
		metrics_add_procedure(m, code, &c);
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

/*
 * While the month runs (T before its end, after its dossier horizon), the
 * rollups judge an open dossier at the month's end; the raw rows at T.
 * The difference: open dossiers with due_at and at most one supplement
 * request, due (with the time they waited on the citizen) between T and
 * the end, are on time at T, and bad only for a complaint or a low
 * rating.  ?2..?3 the month, ?4 T.
 */
#define OPEN_SQL(FILTER) \
	"SELECT procedure, count(*), sum(complaint = 0 AND NOT EXISTS " \
	"(SELECT 1 FROM ratings r WHERE r.dossier = d.code AND " \
	"r.status = 'valid' AND r.level <= 2 AND " LOW_COUNTS_D ")), " \
	"sum(channel = 1), sum(channel = 2), sum(channel = 3) " \
	"FROM dossiers d WHERE unit " FILTER " AND received_at >= ?2 AND " \
	"received_at < ?3 AND finished_at IS NULL AND due_at IS NOT NULL AND " \
	"supplement_requests <= 1 AND due_at + supplement_seconds >= ?4 " \
	"AND due_at + supplement_seconds < ?3 GROUP BY procedure"

static int
dossiers_open_at(struct db *db, struct metrics *m, bool unit_only,
    int64_t start, int64_t end)
{
	struct db_stmt *st =
	    db_query(db, unit_only ? OPEN_SQL(ONLY) : OPEN_SQL(SUBTREE), "tlll",
		m->unit, start, end, m->as_of);
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct metric_counts c;
		char code[16];

		memset(&c, 0, sizeof(c));
		col_str(st, 0, code, sizeof(code));
		c.on_time = db_col_int(st, 1);
		c.bad = -db_col_int(st, 2);
		for (int k = 0; k < DCHANNEL_COUNT; k++)
			c.dchannel_on_time[k] = db_col_int(st, 3 + k);
		metrics_add_procedure(m, code, &c);
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

/* The same counts, each dossier judged in C (dossier_count()). */
static int
dossiers_raw(struct db *db, struct metrics *m, bool unit_only, int64_t start,
    int64_t until)
{
	struct db_stmt *st;
	int step;

	st = db_query(db,
	    unit_only
		? "SELECT " DOSSIER_COLUMNS " FROM dossiers WHERE unit " ONLY
		  " AND received_at >= ?2 AND received_at < ?3"
		: "SELECT " DOSSIER_COLUMNS " FROM dossiers WHERE unit " SUBTREE
		  " AND received_at >= ?2 AND received_at < ?3",
	    "tll", m->unit, start, until);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct metric_counts c;
		struct dossier d;
		int64_t one;
		int low = 1, rated;

		dossier_from_row(st, &d);
		if (d.complaint == 0)
			low = db_int(db, &one,
			    "SELECT 1 FROM ratings r WHERE dossier = ? AND "
			    "status = 'valid' AND level <= 2 AND rated_at < ? "
			    "AND " LOW_COUNTS_PARAM " LIMIT 1",
			    "tlt", d.code, m->as_of, d.unit);
		if (low < 0)
			break;
		/* coverage: any valid rating naming it, as "bad" counts them */
		rated = db_int(db, &one,
		    "SELECT 1 FROM ratings r WHERE dossier = ? AND "
		    "status = 'valid' AND rated_at < ? AND " LOW_COUNTS_PARAM
		    " LIMIT 1",
		    "tlt", d.code, m->as_of, d.unit);
		if (rated < 0)
			break;
		memset(&c, 0, sizeof(c));
		dossier_count(&d, m->as_of, month_end(m->month), low == 0, &c);
		c.covered = rated == 0;
		metrics_add_procedure(m, d.procedure, &c);
	}
	db_done(st);
	return step != DB_DONE ? -1 : 0;
}

/* Names (and officers' units) from the reference tables. */
static void
names(struct db *db, struct metrics *m)
{
	struct db_stmt *st;

	for (size_t i = 0; i < m->procedures.n; i++) {
		struct metric_scope *s = &m->procedures.v[i];

		st = db_query(db, "SELECT name FROM procedures WHERE code = ?",
		    "t", s->code);
		if (st != NULL && db_step(st) == DB_ROW)
			col_str(st, 0, s->name, sizeof(s->name));
		db_done(st);
	}
	for (size_t i = 0; i < m->counters.n; i++) {
		struct metric_scope *s = &m->counters.v[i];

		st = db_query(db,
		    "SELECT name FROM counters WHERE unit = ? AND "
		    "number = ?",
		    "ti", s->unit, s->counter);
		if (st != NULL && db_step(st) == DB_ROW)
			col_str(st, 0, s->name, sizeof(s->name));
		db_done(st);
	}
	for (size_t i = 0; i < m->officers.n; i++) {
		struct metric_scope *s = &m->officers.v[i];

		st =
		    db_query(db, "SELECT name, unit FROM officers WHERE id = ?",
			"t", s->code);
		if (st != NULL && db_step(st) == DB_ROW) {
			col_str(st, 0, s->name, sizeof(s->name));
			col_str(st, 1, s->unit, sizeof(s->unit));
		}
		db_done(st);
	}
}

/*
 * The reason codes of the instrument in force at t (known by T): every
 * scope shows them, with 0 when no rating named them.  Without an
 * instrument (a database never initialised) only the codes ratings
 * named are shown: the figures do not depend on it.
 */
static void
reason_codes(struct db *db, struct metrics *m, int64_t t)
{
	char err[256];
	struct instrument *in =
	    instrument_at(db, t, m->as_of, err, sizeof(err));

	if (in == NULL)
		return;
	for (int i = 0; i < in->nreasons; i++)
		metrics_add_reason_code(m, in->reason[i].code);
	instrument_free(in);
}

/*
 * Add the counts of `month` into m (m->month is set to it while they are
 * read: the readers take the month from there).  m->rollups and
 * m->dossier_rollups become false when this month read the raw rows.
 * 0 or -1 (database error).
 */
static int
month_counts(struct db *db, struct metrics *m, int month, unsigned how)
{
	bool unit_only = (how & METRICS_UNIT_ONLY) != 0, rollups, drollups;
	struct rollup_sink sink;
	int64_t start, end, until, attributed;
	int keep = m->month, rc = -1;

	m->month = month;
	sink = sink_of(m);
	start = month_start(month);
	end = month_end(month);
	until = m->as_of < end ? m->as_of : end;
	/* the attribution to dossiers' procedures too (rollup.h) */
	if (rollup_attribution_horizon(db, month, &attributed) < 0)
		goto out;
	rollups = !(how & METRICS_RECOMPUTE) &&
	    (m->as_of >= end || m->as_of >= hl_now()) && m->as_of >= attributed;
	if (rollups ? rollup_read(db, &sink, unit_only) < 0
		    : ratings_raw(db, m, unit_only, start, until) < 0)
		goto out;
	drollups = false;
	if (how & METRICS_RECOMPUTE) {
		if (dossiers_raw(db, m, unit_only, start, until) < 0)
			goto out;
	} else {
		int64_t horizon;

		/* the dossier rollups hold after all the month holds */
		if (rollup_dossier_horizon(db, month, &horizon) < 0)
			goto out;
		drollups = m->as_of >= horizon;
		if (!drollups) {
			if (dossiers_sql(
				db, m, unit_only, start, until, until) < 0)
				goto out;
		} else if (rollup_read_dossiers(db, &sink, unit_only) < 0 ||
		    (m->as_of < end &&
			dossiers_open_at(db, m, unit_only, start, end) < 0)) {
			goto out;
		}
	}
	m->rollups = m->rollups && rollups;
	m->dossier_rollups = m->dossier_rollups && drollups;
	rc = 0;
out:
	m->month = keep;
	return rc;
}

/* Compute p (a month or longer) of unit as of as_of into a new metrics. */
static struct metrics *
compute(struct db *db, const char *unit, const struct period *p, int64_t as_of,
    unsigned how, char *err, size_t errlen)
{
	struct metrics *m = NULL;
	struct metric_rules rules;
	bool own_txn = false;
	char unit_name[301] = "";
	struct buf name = { 0 };
	int64_t start, end, until;
	int step;

	if (unit == NULL || !is_unit_code(unit, strlen(unit))) {
		snprintf(err, errlen, "unknown unit");
		return NULL;
	}
	if (p->first < 200001 || p->last > 219912 || p->first % 100 < 1 ||
	    p->first % 100 > 12 || p->last % 100 < 1 || p->last % 100 > 12 ||
	    p->last < p->first) {
		snprintf(err, errlen, "month must be YYYY-MM");
		return NULL;
	}
	/* one snapshot for every query */
	if (!db_in_transaction(db)) {
		if (db_exec(db, "BEGIN") < 0)
			goto dberr;
		own_txn = true;
	}
	step = units_name(db, unit, &name);
	strlcpy_hl(unit_name, buf_str(&name), sizeof(unit_name));
	buf_release(&name);
	if (step < 0)
		goto dberr;
	if (step > 0) {
		snprintf(err, errlen, "unknown unit '%s'", unit);
		goto fail;
	}
	/* a period's rules: those of its last month */
	if (rules_for_month(db, p->last, &rules, err, errlen) < 0)
		goto fail;
	m = metrics_new(unit, p->first, as_of, &rules);
	m->period = *p;
	strlcpy_hl(m->unit_name, unit_name, sizeof(m->unit_name));
	m->how = how;
	m->rollups = m->dossier_rollups = true;
	for (int mo = p->first; mo <= p->last; mo = month_add(mo, 1))
		if (month_counts(db, m, mo, how) < 0)
			goto dberr;
	names(db, m);
	start = period_start(p);
	end = period_end(p);
	until = as_of < end ? as_of : end;
	reason_codes(db, m, until > start ? until - 1 : start);
	if (own_txn)
		db_exec(db, "COMMIT");
	metrics_finish(m);
	return m;
dberr:
	snprintf(err, errlen, "cannot compute the figures: %s", db_errmsg(db));
fail:
	if (own_txn)
		db_exec(db, "ROLLBACK");
	metrics_free(m);
	return NULL;
}

struct metrics *
metrics_compute(struct db *db, const char *unit, int month, int64_t as_of,
    unsigned how, char *err, size_t errlen)
{
	struct period p = period_of_month(month);

	return compute(db, unit, &p, as_of, how, err, errlen);
}

int
metrics_period_check(struct db *db, const struct period *p, int64_t as_of,
    char *err, size_t errlen)
{
	return metrics_period_check_month(db, p, as_of, NULL, err, errlen);
}

int
metrics_period_check_month(struct db *db, const struct period *p, int64_t as_of,
    int *month, char *err, size_t errlen)
{
	char ps[PERIOD_TEXT_MAX], mo[8], first_s[8], t[26];
	int64_t first = 0, early = 0;
	int horizon;

	period_format(p, ps);
	/*
	 * Some unit's rollups of the period's last month or before: the
	 * period does not end before the first month, whichever it is (a
	 * seek or two; the first month's query below touches a page of each
	 * unit's rows of three tables, ~10 ms of a cold province's year).
	 */
	if (db_int(db, &early,
		"SELECT EXISTS (SELECT 1 FROM units u WHERE EXISTS (SELECT 1 "
		"FROM rollup_procedure r WHERE r.unit = u.code AND "
		"r.month <= ?1))",
		"i", p->last) < 0)
		return -1;
	/*
	 * The earliest month holding counts: rollups, folds, dossiers; unit
	 * by unit, each a seek in the tables' (unit, month, ...) keys (a
	 * scan of a province's rollups would cost more than its year).
	 */
	if (!early &&
	    db_int(db, &first,
		"SELECT coalesce(min(m), 0) FROM (SELECT (SELECT min(month) "
		"FROM rollup_procedure r WHERE r.unit = u.code) AS m FROM "
		"units u UNION ALL SELECT (SELECT min(month) FROM "
		"folded_procedure f WHERE f.unit = u.code) FROM units u "
		"UNION ALL SELECT (SELECT min(month) FROM dossier_rollup d "
		"WHERE d.unit = u.code) FROM units u)",
		"") < 0)
		return -1;
	if (first > 0 && p->last < first) {
		month_format((int)first, first_s);
		snprintf(err, errlen,
		    "the period %s ends before the database's first month "
		    "%s: it holds no data of %s",
		    ps, first_s, ps);
		if (month != NULL)
			*month = (int)first;
		return 1;
	}
	horizon = fold_horizon(db);
	if (horizon < 0)
		return -1;
	for (int m = p->first; m <= p->last; m = month_add(m, 1))
		if (fold_hides(horizon, m, as_of)) {
			month_format(m, mo);
			rfc3339_format(month_end(m), t);
			snprintf(err, errlen,
			    "the ratings of %s are folded into monthly counts "
			    "and their raw rows are gone: the rating figures "
			    "of %s (satisfied_rate and every figure of the "
			    "ratings) as of a time inside %s need them; ask "
			    "as of %s or later",
			    mo, ps, mo, t);
			if (month != NULL)
				*month = m;
			return 2;
		}
	return 0;
}

struct metrics *
metrics_compute_period(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, unsigned how, char *err, size_t errlen)
{
	bool own_txn = false;
	struct metrics *m;
	int rc;

	if (!db_in_transaction(db)) {
		if (db_exec(db, "BEGIN") < 0) {
			snprintf(err, errlen, "cannot compute the figures: %s",
			    db_errmsg(db));
			return NULL;
		}
		own_txn = true;
	}
	rc = metrics_period_check(db, p, as_of, err, errlen);
	if (rc < 0)
		snprintf(err, errlen, "cannot compute the figures: %s",
		    db_errmsg(db));
	m = rc == 0 ? compute(db, unit, p, as_of, how, err, errlen) : NULL;
	if (own_txn)
		db_exec(db, m != NULL ? "COMMIT" : "ROLLBACK");
	return m;
}

/* --- the document ------------------------------------------------------------- */

static json_t *
real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *
ci_json(const struct metric_figures *f, bool hide)
{
	if (hide || isnan(f->satisfied_ci[0]))
		return json_null();
	return json_pack("[f, f]", f->satisfied_ci[0], f->satisfied_ci[1]);
}

static const char *const channel_keys[CHANNEL_COUNT] = { "kiosk", "qr", "web",
	"import" };
static const char *const excluded_keys[EXCLUDED_COUNT] = { "burst", "duplicate",
	"misuse", "spam" };
static const char *const requester_keys[REQUESTER_COUNT + 1] = { "citizen",
	"business", "unspecified" };
static const char *const dchannel_keys[DCHANNEL_COUNT] = { "counter", "online",
	"post" };

static int
reason_cmp(const void *pa, const void *pb)
{
	const struct metric_reason *a = pa, *b = pb;

	return strcmp(a->code, b->code);
}

static bool
is_listed(const struct metrics *m, const char *code)
{
	for (size_t i = 0; i < m->nreason_codes; i++)
		if (strcmp(m->reason_codes[i], code) == 0)
			return true;
	return false;
}

/*
 * The reasons of a scope: the instrument's codes in its order, each
 * present (0 when none), then other codes ratings named (an older
 * version's), by code; a count of 0 of those is not shown, whichever
 * way (rollups, raw rows) it was reached.  `listed`: with the
 * instrument's codes (the figure) or not (the counts: n > 0 only).
 */
static json_t *
reasons_json(const struct metrics *m, const struct metric_scope *s, bool listed)
{
	json_t *o = json_object();
	struct metric_reason *v = NULL;
	size_t n = 0;

	for (size_t i = 0; listed && i < m->nreason_codes; i++)
		json_object_set_new(o, m->reason_codes[i],
		    json_integer(metric_scope_reason(s, m->reason_codes[i])));
	if (s->nreasons > 0)
		v = xcalloc(s->nreasons, sizeof(*v));
	for (size_t i = 0; i < s->nreasons; i++)
		if (s->reasons[i].n != 0 &&
		    !(listed && is_listed(m, s->reasons[i].code)))
			v[n++] = s->reasons[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), reason_cmp);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, v[i].code, json_integer(v[i].n));
	free(v);
	return o;
}

/* The figures of "why" (METRICS.md version 2) of one scope. */
static void
why_json(
    json_t *o, const struct metrics *m, const struct metric_scope *s, bool hide)
{
	const struct metric_figures *f = &s->fig;
	json_t *a;

	json_object_set_new(
	    o, "reasons", hide ? json_null() : reasons_json(m, s, true));
	json_object_set_new(o, "reasons_given",
	    hide ? json_null() : json_integer(f->reasons_given));
	json_object_set_new(o, "visits_answered",
	    hide ? json_null() : json_integer(f->visits_answered));
	json_object_set_new(
	    o, "visits_mean", real_or_null(hide ? NAN : f->visits_mean));
	json_object_set_new(
	    o, "one_visit_rate", real_or_null(hide ? NAN : f->one_visit_rate));
	if (hide) {
		json_object_set_new(o, "by_channel", json_null());
	} else {
		a = json_object();
		for (int i = 0; i < CHANNEL_COUNT; i++)
			json_object_set_new(a, channel_keys[i],
			    json_pack("{s:I, s:o}", "ratings",
				(json_int_t)f->channel_ratings[i],
				"satisfied_rate",
				real_or_null(f->channel_satisfied_rate[i])));
		json_object_set_new(o, "by_channel", a);
	}
	json_object_set_new(o, "coverage_rate", real_or_null(f->coverage_rate));
	if (hide) {
		json_object_set_new(o, "excluded", json_null());
	} else {
		a = json_object();
		for (int i = 0; i < EXCLUDED_COUNT; i++)
			json_object_set_new(
			    a, excluded_keys[i], json_integer(f->excluded[i]));
		json_object_set_new(o, "excluded", a);
	}
	a = json_object();
	for (int i = 0; i < DCHANNEL_COUNT; i++)
		json_object_set_new(a, dchannel_keys[i],
		    json_pack("{s:I, s:o, s:o}", "dossiers",
			(json_int_t)f->dchannel_dossiers[i], "on_time_rate",
			real_or_null(f->dchannel_on_time_rate[i]),
			"supplement_or_correction_rate",
			real_or_null(f->dchannel_soc_rate[i])));
	json_object_set_new(o, "dossier_by_channel", a);
	/* inclusion (version 3) */
	if (hide) {
		json_object_set_new(o, "by_requester", json_null());
		json_object_set_new(o, "assisted", json_null());
	} else {
		a = json_object();
		for (int i = 0; i <= REQUESTER_COUNT; i++)
			json_object_set_new(a, requester_keys[i],
			    json_pack("{s:I, s:o}", "ratings",
				(json_int_t)f->requester_ratings[i],
				"satisfied_rate",
				real_or_null(f->requester_satisfied_rate[i])));
		json_object_set_new(o, "by_requester", a);
		json_object_set_new(o, "assisted",
		    json_pack("{s:I, s:o}", "ratings",
			(json_int_t)f->assisted_ratings, "satisfied_rate",
			real_or_null(f->assisted_satisfied_rate)));
	}
	if (s->why_partial)
		json_object_set_new(o, "why_partial", json_true());
}

static json_t *
scope_json(const struct metrics *m, const struct metric_scope *s)
{
	const struct metric_figures *f = &s->fig;
	bool hide = s->kind == SCOPE_OFFICER && !f->enough_data;
	json_t *o = json_object(), *a;

#define R(v) real_or_null(hide ? NAN : (v))
	switch (s->kind) {
	case SCOPE_PROCEDURE:
		json_object_set_new(o, "code", json_string(s->code));
		json_object_set_new(o, "name", json_string(s->name));
		break;
	case SCOPE_COUNTER:
		json_object_set_new(o, "unit", json_string(s->unit));
		json_object_set_new(o, "counter", json_integer(s->counter));
		json_object_set_new(o, "name", json_string(s->name));
		break;
	case SCOPE_OFFICER:
		json_object_set_new(o, "id", json_string(s->code));
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "unit", json_string(s->unit));
		json_object_set_new(o, "enough_data", json_boolean(!hide));
		break;
	case SCOPE_TOTAL:
	default: break;
	}
	json_object_set_new(o, "ratings", json_integer(f->ratings));
	json_object_set_new(o, "by_level",
	    hide ? json_null() : metric_ints_to_json(f->by_level, 5));
	json_object_set_new(o, "satisfied_rate", R(f->satisfied_rate));
	json_object_set_new(o, "satisfied_rate_ci", ci_json(f, hide));
	json_object_set_new(o, "dissatisfied_rate", R(f->dissatisfied_rate));
	json_object_set_new(o, "mean_level", R(f->mean_level));
	json_object_set_new(o, "ballot_score", R(f->ballot_score));
	a = json_array();
	for (int i = 0; i < RATING_CRITERIA; i++)
		json_array_append_new(a, R(f->criteria_mean[i]));
	json_object_set_new(o, "criteria_mean", a);
	json_object_set_new(o, "officer_score", R(f->officer_score));
	json_object_set_new(
	    o, "reported_supplement_rate", R(f->reported_supplement_rate));
	json_object_set_new(
	    o, "reported_online_error_rate", R(f->reported_online_error_rate));
#undef R
	json_object_set_new(o, "dossiers", json_integer(f->dossiers));
	json_object_set_new(o, "online_rate", real_or_null(f->online_rate));
	json_object_set_new(
	    o, "full_online_rate", real_or_null(f->full_online_rate));
	json_object_set_new(o, "on_time_rate", real_or_null(f->on_time_rate));
	json_object_set_new(
	    o, "supplement_rate", real_or_null(f->supplement_rate));
	json_object_set_new(
	    o, "multi_supplement_rate", real_or_null(f->multi_supplement_rate));
	json_object_set_new(
	    o, "correction_rate", real_or_null(f->correction_rate));
	json_object_set_new(o, "supplement_or_correction_rate",
	    real_or_null(f->supplement_or_correction_rate));
	json_object_set_new(
	    o, "digitized_rate", real_or_null(f->digitized_rate));
	json_object_set_new(o, "handling_satisfaction_rate",
	    real_or_null(f->handling_satisfaction_rate));
	why_json(o, m, s, hide);
	a = json_object();
	for (int i = 0; i < POINT_COUNT; i++)
		json_object_set_new(
		    a, metric_point_names[i], json_real(f->points[i]));
	json_object_set_new(o, "points", a);
	a = json_array();
	for (int i = 0; i < f->nflags; i++)
		json_array_append_new(
		    a, json_string(metric_flag_name(f->flags[i])));
	json_object_set_new(o, "flags", a);
	if (!hide) {
		json_t *c = metric_counts_to_json(&s->counts);

		json_object_set_new(c, "reasons", reasons_json(m, s, false));
		json_object_set_new(o, "counts", c);
	}
	return o;
}

static json_t *
list_json(const struct metrics *m, const struct metric_list *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, scope_json(m, &l->v[i]));
	return a;
}

json_t *
metrics_to_json(const struct metrics *m)
{
	json_t *doc = json_object(), *rules, *codes;
	char month[PERIOD_TEXT_MAX], as_of[26], eff[8];

	period_format(&m->period, month);
	month_format(m->rules.effective_month, eff);
	rfc3339_format(m->as_of, as_of);
	rules = rules_to_json(&m->rules);
	json_object_set_new(rules, "version", json_integer(m->rules.version));
	json_object_set_new(rules, "effective_from", json_string(eff));
	json_object_set_new(doc, "definition_version",
	    json_integer(METRICS_DEFINITION_VERSION));
	json_object_set_new(
	    doc, "rules_version", json_integer(m->rules.version));
	json_object_set_new(doc, "unit", json_string(m->unit));
	json_object_set_new(doc, "unit_name", json_string(m->unit_name));
	json_object_set_new(doc, "month", json_string(month));
	json_object_set_new(doc, "as_of", json_string(as_of));
	json_object_set_new(
	    doc, "subordinates", json_boolean(!(m->how & METRICS_UNIT_ONLY)));
	json_object_set_new(doc, "rules", rules);
	codes = json_array();
	for (size_t i = 0; i < m->nreason_codes; i++)
		json_array_append_new(codes, json_string(m->reason_codes[i]));
	json_object_set_new(doc, "reason_codes", codes);
	json_object_set_new(
	    doc, "why_partial", json_boolean(m->nwhy_missing > 0));
	codes = json_array();
	for (size_t i = 0; i < m->nwhy_missing; i++)
		json_array_append_new(codes, json_string(m->why_missing[i]));
	json_object_set_new(doc, "why_missing", codes);
	json_object_set_new(doc, "total", scope_json(m, &m->total));
	json_object_set_new(doc, "procedures", list_json(m, &m->procedures));
	json_object_set_new(doc, "counters", list_json(m, &m->counters));
	json_object_set_new(doc, "officers", list_json(m, &m->officers));
	return doc;
}

/* 15 significant digits print 0.1235 as "0.1235", never 0.12349... */
#define DUMP_FLAGS(pretty) \
	(JSON_REAL_PRECISION(15) | ((pretty) ? JSON_INDENT(2) : JSON_COMPACT))

int
metrics_dumpf(const struct metrics *m, FILE *f, bool pretty)
{
	json_t *doc = metrics_to_json(m);
	int rc = json_dumpf(doc, f, DUMP_FLAGS(pretty));

	json_decref(doc);
	return rc;
}

static int
to_buf(const char *s, size_t n, void *b)
{
	return buf_add(b, s, n);
}

void
metrics_dump_buf(const struct metrics *m, struct buf *b)
{
	json_t *doc = metrics_to_json(m);

	json_dump_callback(doc, to_buf, b, DUMP_FLAGS(false));
	json_decref(doc);
}

char *
metrics_dumps(const struct metrics *m, bool pretty)
{
	json_t *doc = metrics_to_json(m);
	char *s = json_dumps(doc, DUMP_FLAGS(pretty));

	json_decref(doc);
	if (s == NULL) {
		fprintf(stderr, "hailong: out of memory encoding JSON\n");
		abort();
	}
	return s;
}

static const char *
str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/*
 * A scope's counts (object `c`) of a document of `version`: version 1
 * has none of "why", which the scope then says (why_partial).
 */
static int
scope_from_json(struct metric_scope *s, const json_t *o, const json_t *c,
    int version, char *err, size_t errlen)
{
	const json_t *reasons = json_object_get(c, "reasons"), *v;
	bool partial = false;
	const char *code;

	if (metric_counts_from_json_v(
		c, version, &s->counts, &partial, err, errlen) < 0)
		return -1;
	s->why_partial =
	    partial || json_is_true(json_object_get(o, "why_partial"));
	if (version < 2)
		return 0;
	if (!json_is_object(reasons)) {
		snprintf(err, errlen, "counts.reasons: must be an object");
		return -1;
	}
	json_object_foreach((json_t *)(uintptr_t)reasons, code, v)
	{
		if (!reason_is_valid(code, strlen(code)) ||
		    !json_is_integer(v) || json_integer_value(v) < 0) {
			snprintf(err, errlen,
			    "counts.reasons: codes of a-z, 0-9, _ and counts "
			    ">= 0");
			return -1;
		}
		metric_scope_add_reason(s, code, json_integer_value(v));
	}
	return 0;
}

static int
scopes_from_json(struct metrics *m, const json_t *doc, const char *key,
    enum metric_scope_kind kind, int version, char *err, size_t errlen)
{
	const json_t *a = json_object_get(doc, key);
	char sub[128];

	if (!json_is_array(a)) {
		snprintf(err, errlen, "%s: must be an array", key);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i), *c;
		struct metric_scope *s;
		const char *code = "", *unit = "";
		int counter = 0;

		c = json_object_get(o, "counts");
		if (kind == SCOPE_OFFICER && c == NULL)
			continue; /* below n_min: its counts were withheld */
		if (kind == SCOPE_PROCEDURE) {
			code = str_of(o, "code");
			if (!is_procedure_code(code, strlen(code)))
				goto bad;
		} else if (kind == SCOPE_COUNTER) {
			json_int_t n =
			    json_integer_value(json_object_get(o, "counter"));

			unit = str_of(o, "unit");
			if (!is_unit_code(unit, strlen(unit)) || n < 1 ||
			    n > 999)
				goto bad;
			counter = (int)n;
		} else {
			code = str_of(o, "id");
			if (!is_officer_id(code, strlen(code)))
				goto bad;
		}
		s = metrics_scope(m, kind, code, unit, counter);
		if (scope_from_json(s, o, c, version, sub, sizeof(sub)) < 0) {
			snprintf(err, errlen, "%s[%zu].%s", key, i, sub);
			return -1;
		}
		strlcpy_hl(s->name, str_of(o, "name"), sizeof(s->name));
		if (kind == SCOPE_OFFICER)
			strlcpy_hl(s->unit, str_of(o, "unit"), sizeof(s->unit));
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: an entry without a valid key", key);
	return -1;
}

struct metrics *
metrics_from_json(const json_t *doc, char *err, size_t errlen)
{
	const char *unit = str_of(doc, "unit"), *month = str_of(doc, "month");
	const char *as_of = str_of(doc, "as_of");
	const json_t *jr = json_object_get(doc, "rules");
	struct metric_rules rules;
	struct metrics *m = NULL;
	char *rtext = NULL, sub[128];
	json_int_t version =
	    json_integer_value(json_object_get(doc, "definition_version"));
	const json_t *a;
	struct period per;
	int64_t t;

	if (!json_is_object(doc) || version < METRICS_DEFINITION_OLDEST ||
	    version > METRICS_DEFINITION_VERSION) {
		snprintf(err, errlen,
		    "not a metrics document of definition "
		    "version %d to %d",
		    METRICS_DEFINITION_OLDEST, METRICS_DEFINITION_VERSION);
		return NULL;
	}
	if (!is_unit_code(unit, strlen(unit)) ||
	    period_parse(month, strlen(month), &per, NULL, 0) < 0 ||
	    rfc3339_parse(as_of, strlen(as_of), &t) < 0 ||
	    !json_is_object(jr)) {
		snprintf(err, errlen, "unit, month, as_of or rules missing");
		return NULL;
	}
	rules_defaults(&rules);
	rtext = json_dumps(jr, JSON_COMPACT);
	if (rtext == NULL ||
	    rules_parse(rtext, strlen(rtext), &rules, err, errlen) < 0)
		goto fail;
	rules.version = (int)json_integer_value(json_object_get(jr, "version"));
	{
		const char *eff = str_of(jr, "effective_from");

		if (month_parse(eff, strlen(eff), &rules.effective_month) < 0)
			rules.effective_month = 200001;
	}
	m = metrics_new(unit, per.first, t, &rules);
	m->period = per;
	strlcpy_hl(
	    m->unit_name, str_of(doc, "unit_name"), sizeof(m->unit_name));
	if (json_is_false(json_object_get(doc, "subordinates")))
		m->how |= METRICS_UNIT_ONLY;
	if (scope_from_json(&m->total, json_object_get(doc, "total"),
		json_object_get(json_object_get(doc, "total"), "counts"),
		(int)version, sub, sizeof(sub)) < 0) {
		snprintf(err, errlen, "total.%s", sub);
		goto fail;
	}
	if (scopes_from_json(m, doc, "procedures", SCOPE_PROCEDURE,
		(int)version, err, errlen) < 0 ||
	    scopes_from_json(m, doc, "counters", SCOPE_COUNTER, (int)version,
		err, errlen) < 0 ||
	    scopes_from_json(m, doc, "officers", SCOPE_OFFICER, (int)version,
		err, errlen) < 0)
		goto fail;
	/* a version-1 document: its unit's "why" is missing */
	if (version < 2)
		add_why_missing(m, unit);
	a = json_object_get(doc, "reason_codes");
	for (size_t i = 0; version >= 2 && i < json_array_size(a); i++) {
		const char *code = json_string_value(json_array_get(a, i));

		if (code == NULL || !reason_is_valid(code, strlen(code))) {
			snprintf(err, errlen, "reason_codes: not reason codes");
			goto fail;
		}
		metrics_add_reason_code(m, code);
	}
	a = json_object_get(doc, "why_missing");
	for (size_t i = 0; version >= 2 && i < json_array_size(a); i++) {
		const char *u = json_string_value(json_array_get(a, i));

		if (u == NULL || !is_unit_code(u, strlen(u))) {
			snprintf(err, errlen, "why_missing: not unit codes");
			goto fail;
		}
		add_why_missing(m, u);
	}
	free(rtext);
	metrics_finish(m);
	return m;
fail:
	free(rtext);
	metrics_free(m);
	return NULL;
}
