/* rollup.c -- monthly rating counts kept beside the ratings, by the writer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/counts.h"
#include "core/dossiers.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/writer_hooks.h"

/* Levels of units above a unit (a commune has one or two). */
#define ANCESTORS_MAX 8

#define COL(c) #c ", "
#define QM(c) "?, "
#define ADD(c) #c " = " #c " + excluded." #c ", "
#define SUM(c) "sum(" #c "), "

/* The two UPSERTs of the writer's hook (the last SET is a no-op). */
#define UPSERT_PROCEDURE \
	"INSERT INTO rollup_procedure(" ROLLUP_COLUMNS( \
	    COL) "unit, month, " \
		 "procedure) VALUES (" ROLLUP_COLUMNS( \
		     QM) "?, ?, ?) " \
			 "ON CONFLICT(unit, month, procedure) DO UPDATE " \
			 "SET " ROLLUP_COLUMNS(ADD) "month = month"
#define UPSERT_STAFF \
	"INSERT INTO rollup_staff(" ROLLUP_COLUMNS( \
	    COL) "unit, month, counter, " \
		 "officer) VALUES (" ROLLUP_COLUMNS( \
		     QM) "?, ?, ?, ?) " \
			 "ON CONFLICT(unit, month, counter, officer) DO " \
			 "UPDATE SET " ROLLUP_COLUMNS(ADD) "month = month"
#define UPSERT_SUBTREE \
	"INSERT INTO rollup_subtree(" ROLLUP_COLUMNS( \
	    COL) "ancestor, month, " \
		 "procedure) VALUES (" ROLLUP_COLUMNS( \
		     QM) "?, ?, ?) " \
			 "ON CONFLICT(ancestor, month, procedure) DO UPDATE " \
			 "SET " ROLLUP_COLUMNS(ADD) "month = month"
/* clang-format on */

static void
pack(const struct metric_counts *c, int64_t v[ROLLUP_N])
{
	int k = 0;

	for (int i = 0; i < 5; i++)
		v[k++] = c->by_level[i];
	v[k++] = c->ballot_n;
	v[k++] = c->ballot_sum;
	for (int i = 0; i < RATING_CRITERIA; i++)
		v[k++] = c->criteria_n[i];
	for (int i = 0; i < RATING_CRITERIA; i++)
		v[k++] = c->criteria_sum[i];
	v[k++] = c->officer_n;
	v[k++] = c->officer_sum;
	v[k++] = c->supplement_answered;
	v[k++] = c->supplement_yes;
	v[k++] = c->online_error_answered;
	v[k++] = c->online_error_yes;
	v[k++] = c->reasons_given;
	v[k++] = c->visits_answered;
	v[k++] = c->visits_sum;
	v[k++] = c->visits_one;
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		v[k++] = c->channel_ratings[i];
		v[k++] = c->channel_satisfied[i];
	}
	for (int i = 0; i < EXCLUDED_COUNT; i++)
		v[k++] = c->excluded[i];
	for (int i = 0; i < REQUESTER_COUNT; i++) {
		v[k++] = c->requester_ratings[i];
		v[k++] = c->requester_satisfied[i];
	}
	v[k++] = c->assisted_ratings;
	v[k++] = c->assisted_satisfied;
}

void
rollup_unpack_add(struct db_stmt *st, int col, struct metric_counts *c)
{
	struct metric_counts x;

	memset(&x, 0, sizeof(x));
	for (int i = 0; i < 5; i++)
		x.by_level[i] = db_col_int(st, col++);
	x.ballot_n = db_col_int(st, col++);
	x.ballot_sum = db_col_int(st, col++);
	for (int i = 0; i < RATING_CRITERIA; i++)
		x.criteria_n[i] = db_col_int(st, col++);
	for (int i = 0; i < RATING_CRITERIA; i++)
		x.criteria_sum[i] = db_col_int(st, col++);
	x.officer_n = db_col_int(st, col++);
	x.officer_sum = db_col_int(st, col++);
	x.supplement_answered = db_col_int(st, col++);
	x.supplement_yes = db_col_int(st, col++);
	x.online_error_answered = db_col_int(st, col++);
	x.online_error_yes = db_col_int(st, col++);
	x.reasons_given = db_col_int(st, col++);
	x.visits_answered = db_col_int(st, col++);
	x.visits_sum = db_col_int(st, col++);
	x.visits_one = db_col_int(st, col++);
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		x.channel_ratings[i] = db_col_int(st, col++);
		x.channel_satisfied[i] = db_col_int(st, col++);
	}
	for (int i = 0; i < EXCLUDED_COUNT; i++)
		x.excluded[i] = db_col_int(st, col++);
	for (int i = 0; i < REQUESTER_COUNT; i++) {
		x.requester_ratings[i] = db_col_int(st, col++);
		x.requester_satisfied[i] = db_col_int(st, col++);
	}
	x.assisted_ratings = db_col_int(st, col++);
	x.assisted_satisfied = db_col_int(st, col++);
	metric_counts_add(c, &x);
}

/* Add sign * v[0..n) to the row of the key; key_int < 0: no such key. */
static int
upsert(struct db *db, const char *sql, const int64_t *v, int n, int64_t sign,
    const char *unit, int month, const char *key_text, int key_int)
{
	struct db_stmt *st = db_prepare(db, sql);
	int col = 1, rc;

	if (st == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		db_bind_int(st, col++, sign * v[i]);
	db_bind_text(st, col++, unit, -1);
	db_bind_int(st, col++, month);
	if (key_int >= 0)
		db_bind_int(st, col++, key_int);
	db_bind_text(st, col++, key_text, -1);
	rc = db_step(st) < 0 ? -1 : 0;
	db_done(st);
	return rc;
}

/* Every unit above `unit` (not itself); how many. */
static int
ancestors(struct db *db, const char *unit, char up[][41], int max)
{
	struct db_stmt *st = db_query(db,
	    "SELECT ancestor FROM unit_tree "
	    "WHERE descendant = ? AND depth > 0 ORDER BY depth",
	    "t", unit);
	int n = 0;

	while (st != NULL && n < max && db_step(st) == DB_ROW)
		strlcpy_hl(up[n++], db_col_text(st, 0), sizeof(up[0]));
	db_done(st);
	return n;
}

/* --- dossiers ----------------------------------------------------------------- */

/*
 * The 24 count columns of dossier_rollup and dossier_rollup_subtree
 * (schemas/008_dossier_rollup.sql, 012_why.sql): metric_counts' dossier
 * fields, in the order of dc_field[].
 */
/* clang-format off */
#define DC_COLUMNS(X) \
	X(dossiers) X(online) X(full_online) X(judged) X(on_time) \
	X(supplement) X(multi_supplement) X(correction) \
	X(supplement_or_correction) X(digitized) X(bad) X(covered) \
	X(counter_dossiers) X(counter_judged) X(counter_on_time) \
	X(counter_soc) X(online_dossiers) X(online_judged) \
	X(online_on_time) X(online_soc) X(post_dossiers) X(post_judged) \
	X(post_on_time) X(post_soc)
#define DC_N 24
#define DC_FIELD(c) offsetof(struct metric_counts, c)
#define DC_AT(f, k) \
	(offsetof(struct metric_counts, f) + (size_t)(k) * sizeof(int64_t))
#define DC_CHANNEL(k) \
	DC_AT(dchannel_dossiers, k), DC_AT(dchannel_judged, k), \
	DC_AT(dchannel_on_time, k), DC_AT(dchannel_soc, k)

#define UPSERT_DOSSIER \
	"INSERT INTO dossier_rollup(" DC_COLUMNS(COL) "unit, month, " \
	"procedure) VALUES (" DC_COLUMNS(QM) "?, ?, ?) " \
	"ON CONFLICT(unit, month, procedure) DO UPDATE SET " \
	DC_COLUMNS(ADD) "month = month"
#define UPSERT_DOSSIER_SUBTREE \
	"INSERT INTO dossier_rollup_subtree(" DC_COLUMNS(COL) "ancestor, " \
	"month, procedure) VALUES (" DC_COLUMNS(QM) "?, ?, ?) " \
	"ON CONFLICT(ancestor, month, procedure) DO UPDATE SET " \
	DC_COLUMNS(ADD) "month = month"
/* clang-format on */

static const size_t dc_field[DC_N] = { DC_FIELD(dossiers), DC_FIELD(online),
	DC_FIELD(full_online), DC_FIELD(judged), DC_FIELD(on_time),
	DC_FIELD(supplement), DC_FIELD(multi_supplement), DC_FIELD(correction),
	DC_FIELD(supplement_or_correction), DC_FIELD(digitized), DC_FIELD(bad),
	DC_FIELD(covered), DC_CHANNEL(0), DC_CHANNEL(1), DC_CHANNEL(2) };

static int64_t *
dc_at(struct metric_counts *c, int i)
{
	return (int64_t *)(void *)((char *)c + dc_field[i]);
}

/*
 * Add (sign 1) or take away (-1) a dossier's counts as judged at the end
 * of time (dossier_count() with T = INT64_MAX): finished at finished_at,
 * open at the end of its month; `low`: a valid low rating carries its
 * code; `rated`: a valid rating carries it (coverage).
 */
static int
dossier_apply(
    struct db *db, const struct dossier *d, bool low, bool rated, int sign)
{
	struct metric_counts c;
	int64_t v[DC_N];
	int month = month_of(d->received_at);
	char up[ANCESTORS_MAX][41];
	int n = ancestors(db, d->unit, up, ANCESTORS_MAX);

	memset(&c, 0, sizeof(c));
	dossier_count(d, INT64_MAX, month_end(month), low, &c);
	c.covered = rated;
	for (int i = 0; i < DC_N; i++)
		v[i] = *dc_at(&c, i);
	if (upsert(db, UPSERT_DOSSIER, v, DC_N, sign, d->unit, month,
		d->procedure, -1) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (upsert(db, UPSERT_DOSSIER_SUBTREE, v, DC_N, sign, up[i],
			month, d->procedure, -1) < 0)
			return -1;
	return 0;
}

/* The month's rollups hold at T >= t from now on. */
static int
horizon_raise(struct db *db, int month, int64_t t)
{
	return db_run(db,
	    "INSERT INTO dossier_horizon(month, horizon) VALUES (?, ?) "
	    "ON CONFLICT(month) DO UPDATE SET "
	    "horizon = max(horizon, excluded.horizon)",
	    "il", month, t);
}

/*
 * The valid ratings carrying `code` that count for it, given by its unit
 * `unit` or a unit above (METRICS.md "Bad"; another unit's rating cannot
 * make it bad, nor cover it): how many of level <= 2, how many in all,
 * the last one's time.
 */
static int
dossier_ratings(struct db *db, const char *code, const char *unit, int64_t *low,
    int64_t *all, int64_t *last)
{
	struct db_stmt *st = db_query(db,
	    "SELECT coalesce(sum(level <= 2), 0), count(*), "
	    "coalesce(max(rated_at), 0) FROM ratings "
	    "WHERE dossier = ? AND status = 'valid' AND "
	    "unit IN (SELECT ancestor FROM unit_tree WHERE descendant = ?)",
	    "tt", code, unit);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*low = db_col_int(st, 0);
		*all = db_col_int(st, 1);
		*last = db_col_int(st, 2);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int attribution_change(
    struct db *db, const struct dossier *old, const struct dossier *d);

int
rollup_dossier_change(
    struct db *db, const struct dossier *old, const struct dossier *d)
{
	int64_t n, all, last, h = d->received_at + 1;

	if (old != NULL) {
		/* judged with its own unit's ratings when it was added */
		if (dossier_ratings(db, old->code, old->unit, &n, &all, &last) <
			0 ||
		    dossier_apply(db, old, n > 0, all > 0, -1) < 0)
			return -1;
	}
	if (dossier_ratings(db, d->code, d->unit, &n, &all, &last) < 0)
		return -1;
	if (dossier_apply(db, d, n > 0, all > 0, 1) < 0)
		return -1;
	if (d->has_finished && d->finished_at + 1 > h)
		h = d->finished_at + 1;
	if (all > 0 && last + 1 > h)
		h = last + 1;
	if (horizon_raise(db, month_of(d->received_at), h) < 0)
		return -1;
	return attribution_change(db, old, d);
}

int
dossier_upsert(struct db *db, const struct dossier *d)
{
	struct dossier old;
	bool had = false;
	int rc = dossier_put(db, d, &old, &had);

	if (rc != 0)
		return rc;
	return rollup_dossier_change(db, had ? &old : NULL, d) < 0 ? -1 : 0;
}

int
rollup_dossier_rating(struct db *db, const struct rating *r, int sign)
{
	struct dossier d;
	int64_t n, all, last;
	bool was, now, was_rated, now_rated;
	int rc;

	if (r->dossier[0] == '\0')
		return 0;
	rc = dossier_load(db, r->dossier, &d);
	if (rc != 0)
		return rc < 0 ? -1 : 0; /* not imported yet: counted then */
	if (!store_unit_within(db, d.unit, r->unit))
		return 0; /* another unit's rating: not for this dossier */
	/* the row's status has changed already: n, all count it if valid */
	if (dossier_ratings(db, r->dossier, d.unit, &n, &all, &last) < 0)
		return -1;
	if (r->level <= 2) {
		was = sign > 0 ? n > 1 : true;
		now = sign > 0 ? true : n > 0;
	} else {
		was = now = n > 0;
	}
	was_rated = sign > 0 ? all > 1 : true;
	now_rated = sign > 0 ? true : all > 0;
	if (sign > 0 &&
	    horizon_raise(db, month_of(d.received_at), r->rated_at + 1) < 0)
		return -1;
	if (was == now && was_rated == now_rated)
		return 0;
	if (dossier_apply(db, &d, was, was_rated, -1) < 0)
		return -1;
	return dossier_apply(db, &d, now, now_rated, 1);
}

int
rollup_dossier_horizon(struct db *db, int month, int64_t *horizon)
{
	*horizon = 0;
	return db_int(db, horizon,
		   "SELECT horizon FROM dossier_horizon WHERE month = ?", "i",
		   month) < 0
	    ? -1
	    : 0;
}

/* Whether `unit` is `ancestor` or below it: 1 yes, 0 no, -1 error. */
static int
unit_within(struct db *db, const char *unit, const char *ancestor)
{
	int64_t one;
	int rc = db_int(db, &one,
	    "SELECT 1 FROM unit_tree WHERE ancestor = ? AND descendant = ?",
	    "tt", ancestor, unit);

	return rc < 0 ? -1 : rc == 0;
}

/* The procedure dossier d lends to a rating of `unit`: '' none. */
static int
lent_procedure(
    struct db *db, const struct dossier *d, const char *unit, const char **proc)
{
	int rc;

	*proc = "";
	if (d == NULL)
		return 0;
	rc = unit_within(db, d->unit, unit);
	if (rc < 0)
		return -1;
	if (rc == 1)
		*proc = d->procedure;
	return 0;
}

/* The rating rollups of `month` hold the attribution at T >= t. */
static int
attribution_raise(struct db *db, int month, int64_t t)
{
	return db_run(db,
	    "INSERT INTO attribution_horizon(month, horizon) VALUES (?, ?) "
	    "ON CONFLICT(month) DO UPDATE SET "
	    "horizon = max(horizon, excluded.horizon)",
	    "il", month, t);
}

int
rollup_attribution_horizon(struct db *db, int month, int64_t *horizon)
{
	*horizon = 0;
	return db_int(db, horizon,
		   "SELECT horizon FROM attribution_horizon WHERE month = ?",
		   "i", month) < 0
	    ? -1
	    : 0;
}

int
rollup_procedure_of(struct db *db, const struct rating *r, char proc[9])
{
	struct dossier d;
	const char *p;
	int rc;

	strlcpy_hl(proc, r->procedure, 9);
	if (r->procedure[0] != '\0' || r->dossier[0] == '\0')
		return 0;
	rc = dossier_load(db, r->dossier, &d);
	if (rc != 0)
		return rc < 0 ? -1 : 0; /* not known yet: moved when it comes */
	if (lent_procedure(db, &d, r->unit, &p) < 0)
		return -1;
	strlcpy_hl(proc, p, 9);
	/*
	 * A dossier received after the rating: "as of" a T before it, the
	 * rating has no procedure yet, and the rollups cannot tell.
	 */
	if (p[0] != '\0' && d.received_at >= r->rated_at &&
	    attribution_raise(db, month_of(r->rated_at), d.received_at + 1) < 0)
		return -1;
	return 0;
}

/* Add sign * v to the rows of (unit, month, procedure) and its subtree's. */
static int
procedure_apply(struct db *db, const int64_t v[ROLLUP_N], int64_t sign,
    const char *unit, int month, const char *procedure)
{
	char up[ANCESTORS_MAX][41];
	int n = ancestors(db, unit, up, ANCESTORS_MAX);

	if (upsert(db, UPSERT_PROCEDURE, v, ROLLUP_N, sign, unit, month,
		procedure, -1) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (upsert(db, UPSERT_SUBTREE, v, ROLLUP_N, sign, up[i], month,
			procedure, -1) < 0)
			return -1;
	return 0;
}

#define UPSERT_REASON \
	"INSERT INTO rollup_reason(unit, month, procedure, counter, officer, " \
	"reason, n) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(unit, month, " \
	"procedure, counter, officer, reason) DO UPDATE SET n = n + " \
	"excluded.n"

/*
 * Add sign to the rows of a valid rating's reason codes ("a,b"); other
 * ratings name none that counts.
 */
static int
reasons_apply(
    struct db *db, const struct rating *r, const char *procedure, int sign)
{
	const char *p = r->reasons;
	int month = month_of(r->rated_at);

	if (r->status != STATUS_VALID)
		return 0;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		if (len > 0 &&
		    db_run(db, UPSERT_REASON, "tititTl", r->unit, month,
			procedure, r->counter > 0 ? r->counter : 0, r->officer,
			p, len, (int64_t)sign) < 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * The rows of rollup_procedure and rollup_subtree (under `procedure`,
 * rollup_procedure_of()) and rollup_staff.
 */
static int
count_rows_apply(
    struct db *db, const struct rating *r, const char *proc, int sign)
{
	struct metric_counts c;
	int64_t v[ROLLUP_N];
	int month = month_of(r->rated_at);

	memset(&c, 0, sizeof(c));
	metric_counts_add_any(&c, r);
	pack(&c, v);
	if (procedure_apply(db, v, sign, r->unit, month, proc) < 0)
		return -1;
	if (r->counter <= 0 && r->officer[0] == '\0')
		return 0;
	return upsert(db, UPSERT_STAFF, v, ROLLUP_N, sign, r->unit, month,
	    r->officer, r->counter > 0 ? r->counter : 0);
}

/* Move counts v of `unit` and `month` from procedure `from` to `to`. */
static int
move_counts(struct db *db, const int64_t v[ROLLUP_N], const char *unit,
    int month, const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return 0;
	if (procedure_apply(db, v, -1, unit, month, from) < 0)
		return -1;
	return procedure_apply(db, v, 1, unit, month, to);
}

/* The same for a rating, whatever its status: counts and reasons. */
static int
move_rating(
    struct db *db, const struct rating *r, const char *from, const char *to)
{
	struct metric_counts c;
	int64_t v[ROLLUP_N];

	if (strcmp(from, to) == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	metric_counts_add_any(&c, r);
	pack(&c, v);
	if (move_counts(db, v, r->unit, month_of(r->rated_at), from, to) < 0 ||
	    reasons_apply(db, r, from, -1) < 0)
		return -1;
	return reasons_apply(db, r, to, 1);
}

/*
 * The columns of a rating without a procedure that names a dossier
 * (ratings r), in the order lent_row() reads them.
 */
#define LENT_COLUMNS \
	"r.unit, r.rated_at, r.level, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, " \
	"r.c7, r.c8, r.c9, r.supplement_reported, r.online_error_reported, " \
	"r.visits, r.reasons, r.channel, r.status, r.counter, r.officer, " \
	"r.dossier, coalesce(r.requester, 0), r.assisted"
#define LENT_N 23

static int
opt_col(struct db_stmt *st, int col)
{
	return db_col_is_null(st, col) ? -1 : (int)db_col_int(st, col);
}

static void
text_col(struct db_stmt *st, int col, char *out, size_t size)
{
	const char *s = db_col_text(st, col);

	strlcpy_hl(out, s != NULL ? s : "", size);
}

/* 0, or -1 for a row of unknown channel or status (counted nowhere). */
static int
lent_row(struct db_stmt *st, struct rating *r)
{
	int col = 3;

	rating_init(r);
	text_col(st, 0, r->unit, sizeof(r->unit));
	r->rated_at = db_col_int(st, 1);
	r->level = (int)db_col_int(st, 2);
	for (int i = 0; i < RATING_CRITERIA; i++)
		r->criteria[i] = opt_col(st, col++);
	r->supplement_reported = opt_col(st, col++);
	r->online_error_reported = opt_col(st, col++);
	r->visits = opt_col(st, col++);
	text_col(st, col++, r->reasons, sizeof(r->reasons));
	if (rating_channel_parse(db_col_text(st, col++), &r->channel) < 0 ||
	    rating_status_parse(db_col_text(st, col++), &r->status) < 0)
		return -1;
	r->counter = opt_col(st, col++);
	if (r->counter < 0)
		r->counter = 0;
	text_col(st, col++, r->officer, sizeof(r->officer));
	text_col(st, col++, r->dossier, sizeof(r->dossier));
	r->requester = (enum rating_requester)db_col_int(st, col++);
	if ((unsigned)r->requester > REQUESTER_BUSINESS)
		r->requester = REQUESTER_NONE;
	r->assisted = db_col_int(st, col) != 0;
	return 0;
}

/* Gather the rows of `st` (LENT_COLUMNS first) into *rs.  0 or -1. */
static int
lent_rows(struct db *db, struct db_stmt *st, struct rating **rs, size_t *n)
{
	size_t cap = 0;
	int step;

	*rs = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			*rs = xrealloc(*rs, cap * sizeof(**rs));
		}
		if (lent_row(st, &(*rs)[*n]) < 0) {
			db_set_error(
			    db, "a rating of unknown channel or status");
			step = -1;
			break;
		}
		(*n)++;
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

/*
 * Move the reasons of folded ratings that named dossier `code`
 * (folded_dossier_reason) from the procedure `old` lent them (NULL:
 * none) to the one d lends them.
 */
static int
folded_reasons_move(struct db *db, const char *code, const struct dossier *old,
    const struct dossier *d)
{
	struct fold_reason {
		char unit[41], officer[33], reason[33];
		int month, counter;
		int64_t n;
	} *fr = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int step, rc = -1;

	st = db_query(db,
	    "SELECT unit, month, counter, officer, reason, sum(n) FROM "
	    "folded_dossier_reason WHERE dossier = ? GROUP BY unit, month, "
	    "counter, officer, reason HAVING sum(n) <> 0",
	    "t", code);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			fr = xrealloc(fr, cap * sizeof(*fr));
		}
		text_col(st, 0, fr[n].unit, sizeof(fr[n].unit));
		fr[n].month = (int)db_col_int(st, 1);
		fr[n].counter = (int)db_col_int(st, 2);
		text_col(st, 3, fr[n].officer, sizeof(fr[n].officer));
		text_col(st, 4, fr[n].reason, sizeof(fr[n].reason));
		fr[n].n = db_col_int(st, 5);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *from, *to;

		if (lent_procedure(db, old, fr[i].unit, &from) < 0 ||
		    lent_procedure(db, d, fr[i].unit, &to) < 0)
			goto out;
		if (strcmp(from, to) == 0)
			continue;
		if (db_run(db, UPSERT_REASON, "tititTl", fr[i].unit,
			fr[i].month, from, fr[i].counter, fr[i].officer,
			fr[i].reason, strlen(fr[i].reason), -fr[i].n) < 0 ||
		    db_run(db, UPSERT_REASON, "tititTl", fr[i].unit,
			fr[i].month, to, fr[i].counter, fr[i].officer,
			fr[i].reason, strlen(fr[i].reason), fr[i].n) < 0)
			goto out;
	}
	rc = 0;
out:
	free(fr);
	return rc;
}

/*
 * The same for the counts of folded ratings that named the dossier
 * (folded_dossier, 013_attribution.sql).  Their month is known as of its
 * end or later: the horizon matters only for a dossier received after.
 */
static int
folded_change(struct db *db, const struct dossier *old, const struct dossier *d)
{
	struct fold_row {
		char unit[41];
		int month;
		int64_t v[ROLLUP_N];
	} *fs = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int step, rc = -1;

	st = db_query(db,
	    "SELECT " ROLLUP_COLUMNS(
		SUM) "unit, month FROM folded_dossier "
		     "WHERE dossier = ? GROUP BY unit, month",
	    "t", d->code);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct metric_counts c;

		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			fs = xrealloc(fs, cap * sizeof(*fs));
		}
		memset(&c, 0, sizeof(c));
		rollup_unpack_add(st, 0, &c);
		pack(&c, fs[n].v);
		text_col(st, ROLLUP_N, fs[n].unit, sizeof(fs[n].unit));
		fs[n].month = (int)db_col_int(st, ROLLUP_N + 1);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *from, *to;

		if (lent_procedure(db, old, fs[i].unit, &from) < 0 ||
		    lent_procedure(db, d, fs[i].unit, &to) < 0 ||
		    move_counts(
			db, fs[i].v, fs[i].unit, fs[i].month, from, to) < 0)
			goto out;
		if (to[0] != '\0' && d->received_at >= month_end(fs[i].month) &&
		    attribution_raise(db, fs[i].month, d->received_at + 1) < 0)
			goto out;
	}
	rc = folded_reasons_move(db, d->code, old, d);
out:
	free(fs);
	return rc;
}

/*
 * The dossier changed from `old` (NULL: new) to d: its ratings without a
 * procedure (whatever their status: a flagged one counts as excluded
 * under its procedure), and folded ones, move to the procedure it lends
 * them now (METRICS.md "Which procedure").  One indexed query each.
 */
static int
attribution_change(
    struct db *db, const struct dossier *old, const struct dossier *d)
{
	struct rating *rs = NULL;
	size_t n = 0;
	int rc = -1;

	/* gathered first: the moves write while no query is open */
	if (lent_rows(db,
		db_query(db,
		    "SELECT " LENT_COLUMNS " FROM ratings r WHERE "
		    "r.dossier = ? AND r.procedure IS NULL",
		    "t", d->code),
		&rs, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *from, *to;

		if (lent_procedure(db, old, rs[i].unit, &from) < 0 ||
		    lent_procedure(db, d, rs[i].unit, &to) < 0 ||
		    move_rating(db, &rs[i], from, to) < 0)
			goto out;
		if (to[0] != '\0' && d->received_at >= rs[i].rated_at &&
		    attribution_raise(
			db, month_of(rs[i].rated_at), d->received_at + 1) < 0)
			goto out;
	}
	rc = folded_change(db, old, d);
out:
	free(rs);
	return rc;
}

/* Every rating rollup row of r: counts (or excluded) and reasons. */
static int
counts_apply(struct db *db, const struct rating *r, int sign)
{
	char proc[9];

	if (rollup_procedure_of(db, r, proc) < 0 ||
	    reasons_apply(db, r, proc, sign) < 0)
		return -1;
	return count_rows_apply(db, r, proc, sign);
}

int
rollup_apply(struct db *db, const struct rating *r, int sign)
{
	if (counts_apply(db, r, sign) < 0)
		return -1;
	if (r->status != STATUS_VALID)
		return 0;
	return rollup_dossier_rating(db, r, sign);
}

int
rollup_status_change(
    struct db *db, const struct rating *r, enum rating_status to)
{
	struct rating now = *r;

	now.comment = NULL; /* a copy: not owned */
	now.status = to;
	if (rollup_apply(db, r, -1) < 0)
		return -1;
	return rollup_apply(db, &now, 1);
}

/*
 * A batch's counts, gathered by rollup_hook() and written by
 * rollup_flush(): the ratings of one batch mostly share a few (unit,
 * month, procedure) and (counter, officer) keys, and the sums of their
 * units' subtrees a few (ancestor, month, procedure) keys, so one UPSERT
 * per distinct key replaces three or more per rating.  The writer's
 * hook context: each writer (the server's thread, an import's batch)
 * has its own.
 */
#define BATCH_SLOTS 8192 /* > the keys of the writer's largest batch */

/* The rollup table a slot goes to. */
enum slot_kind { SLOT_PROCEDURE, SLOT_STAFF, SLOT_SUBTREE };

struct batch_slot {
	bool used;
	enum slot_kind kind;
	char unit[41]; /* the unit, or the ancestor (subtree) */
	int month;
	char key_text[33]; /* procedure, or officer */
	int key_int;       /* counter (staff) */
	struct metric_counts c;
};

/* A unit's ancestors, looked up once per batch. */
#define UNITS_PER_BATCH 64

struct unit_line {
	char unit[41];
	int n;
	char up[ANCESTORS_MAX][41];
};

struct rollup_batch {
	unsigned used;
	unsigned which[BATCH_SLOTS / 2]; /* the slots in use, to clear */
	struct batch_slot slot[BATCH_SLOTS];
	int nunits;
	struct unit_line units[UNITS_PER_BATCH];
};

static uint64_t
slot_hash(
    enum slot_kind kind, const char *unit, int month, const char *text, int n)
{
	uint64_t h =
	    fnv1a(text, fnv1a(unit, FNV1A_INIT + (uint64_t)kind * 7919));

	h ^= (uint64_t)month * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)(unsigned)n * 0xc2b2ae3d27d4eb4fULL;
	return h;
}

/* The slot of a key (claimed when new), or NULL when the table is full. */
static struct batch_slot *
batch_slot(struct rollup_batch *b, enum slot_kind kind, const char *unit,
    int month, const char *text, int n)
{
	uint64_t h = slot_hash(kind, unit, month, text, n);

	for (unsigned i = 0; i < BATCH_SLOTS; i++) {
		unsigned at = (unsigned)((h + i) % BATCH_SLOTS);
		struct batch_slot *s = &b->slot[at];

		if (!s->used) {
			if (b->used * 2 >= BATCH_SLOTS)
				return NULL;
			b->which[b->used] = at;
			s->used = true;
			s->kind = kind;
			strlcpy_hl(s->unit, unit, sizeof(s->unit));
			s->month = month;
			strlcpy_hl(s->key_text, text, sizeof(s->key_text));
			s->key_int = n;
			b->used++;
			return s;
		}
		if (s->kind == kind && s->month == month && s->key_int == n &&
		    strcmp(s->unit, unit) == 0 &&
		    strcmp(s->key_text, text) == 0)
			return s;
	}
	return NULL;
}

void *
rollup_batch_new(void)
{
	return xcalloc(1, sizeof(struct rollup_batch));
}

void
rollup_batch_free(void *batch)
{
	free(batch);
}

void
rollup_reset(void *batch)
{
	struct rollup_batch *b = batch;

	for (unsigned i = 0; i < b->used; i++)
		memset(&b->slot[b->which[i]], 0, sizeof(b->slot[0]));
	b->used = 0;
	b->nunits = 0;
}

int
rollup_flush(void *batch, struct db *db)
{
	struct rollup_batch *b = batch;
	int rc = 0;

	for (unsigned i = 0; i < b->used && rc == 0; i++) {
		struct batch_slot *s = &b->slot[b->which[i]];
		int64_t v[ROLLUP_N];

		if (!s->used)
			continue;
		pack(&s->c, v);
		rc = upsert(db,
		    s->kind == SLOT_STAFF         ? UPSERT_STAFF
			: s->kind == SLOT_SUBTREE ? UPSERT_SUBTREE
						  : UPSERT_PROCEDURE,
		    v, ROLLUP_N, 1, s->unit, s->month, s->key_text,
		    s->kind == SLOT_STAFF ? s->key_int : -1);
	}
	rollup_reset(b);
	return rc;
}

/* The unit's line of ancestors, looked up once per batch; NULL: too many
 * units in one batch (the caller writes directly). */
static struct unit_line *
unit_line(struct db *db, struct rollup_batch *b, const char *unit)
{
	struct unit_line *l;

	for (int i = 0; i < b->nunits; i++)
		if (strcmp(b->units[i].unit, unit) == 0)
			return &b->units[i];
	if (b->nunits == UNITS_PER_BATCH)
		return NULL;
	l = &b->units[b->nunits++];
	strlcpy_hl(l->unit, unit, sizeof(l->unit));
	l->n = ancestors(db, unit, l->up, ANCESTORS_MAX);
	return l;
}

int
rollup_hook(void *batch, struct db *db, const struct rating *r, int64_t seq)
{
	struct rollup_batch *b = batch;
	struct batch_slot *slots[2 + ANCESTORS_MAX];
	struct unit_line *line;
	char proc[9];
	int month, n = 0;

	(void)seq;
	/* a dossier's procedure: one lookup, only for those naming one */
	if (rollup_procedure_of(db, r, proc) < 0)
		return -1;
	/* a rating of a dossier, or naming reasons: written at once */
	if (r->status == STATUS_VALID &&
	    (rollup_dossier_rating(db, r, 1) < 0 ||
		reasons_apply(db, r, proc, 1) < 0))
		return -1;
	month = month_of(r->rated_at);
	line = unit_line(db, b, r->unit);
	if (line == NULL)
		goto direct;
	slots[n++] = batch_slot(b, SLOT_PROCEDURE, r->unit, month, proc, -1);
	if (r->counter > 0 || r->officer[0] != '\0')
		slots[n++] = batch_slot(b, SLOT_STAFF, r->unit, month,
		    r->officer, r->counter > 0 ? r->counter : 0);
	for (int i = 0; i < line->n; i++)
		slots[n++] =
		    batch_slot(b, SLOT_SUBTREE, line->up[i], month, proc, -1);
	for (int i = 0; i < n; i++)
		if (slots[i] == NULL)
			goto direct;
	for (int i = 0; i < n; i++)
		metric_counts_add_any(&slots[i]->c, r);
	return 0;
direct:
	/*
	 * More keys than the table holds: write what is gathered (the
	 * slots claimed for this rating are still zero) and this one
	 * directly.
	 */
	if (rollup_flush(b, db) < 0)
		return -1;
	return count_rows_apply(db, r, proc, 1);
}

/*
 * Whether the unit d was (t = temp.unit_tree_before) or is
 * (main.unit_tree) the unit r or below it.
 */
/* clang-format off */
#define WITHIN(t, r, d) \
	"EXISTS (SELECT 1 FROM " t " w WHERE w.ancestor = " r " AND " \
	"w.descendant = " d ")"
#define BEFORE "temp.unit_tree_before"
#define NOW "main.unit_tree"

/* The ratings, folded counts and folded reasons whose dossier's unit
 * came under their unit, or left it: then d.procedure, d.received_at,
 * and whether it was within. */
#define RETREE_RATINGS \
	"SELECT " LENT_COLUMNS ", d.procedure, d.received_at, " \
	WITHIN(BEFORE, "r.unit", "d.unit") " AS was, " \
	WITHIN(NOW, "r.unit", "d.unit") " AS now " \
	"FROM ratings r JOIN dossiers d ON d.code = r.dossier " \
	"WHERE r.procedure IS NULL AND was <> now"
#define RETREE_FOLDED \
	"SELECT " ROLLUP_COLUMNS(SUM) "f.unit, f.month, d.procedure, " \
	"d.received_at, " WITHIN(BEFORE, "f.unit", "d.unit") " AS was, " \
	WITHIN(NOW, "f.unit", "d.unit") " AS now " \
	"FROM folded_dossier f JOIN dossiers d ON d.code = f.dossier " \
	"WHERE was <> now GROUP BY f.unit, f.month, d.code"
#define RETREE_REASONS \
	"SELECT f.unit, f.month, f.counter, f.officer, f.reason, sum(f.n), " \
	"d.procedure, " WITHIN(BEFORE, "f.unit", "d.unit") " AS was, " \
	WITHIN(NOW, "f.unit", "d.unit") " AS now " \
	"FROM folded_dossier_reason f JOIN dossiers d ON d.code = f.dossier " \
	"WHERE was <> now GROUP BY f.unit, f.month, f.counter, f.officer, " \
	"f.reason, d.code"

/* "Bad" and "covered" count the ratings of the dossier's unit or a unit
 * above it (dossier_ratings()): the last low one and the last one, each
 * tree. */
#define LAST_RATED(t, low) \
	"(SELECT max(r.rated_at) FROM ratings r WHERE r.dossier = d.code " \
	"AND r.status = 'valid' " low " AND " WITHIN(t, "r.unit", "d.unit") ")"
#define RETREE_DOSSIERS \
	"SELECT " DOSSIER_COLUMNS ", low_b, low_a, any_b, any_a FROM " \
	"(SELECT d.*, " LAST_RATED(BEFORE, "AND r.level <= 2") " AS low_b, " \
	LAST_RATED(NOW, "AND r.level <= 2") " AS low_a, " \
	LAST_RATED(BEFORE, "") " AS any_b, " LAST_RATED(NOW, "") " AS any_a " \
	"FROM dossiers d WHERE d.code IN (SELECT dossier FROM ratings " \
	"WHERE dossier IS NOT NULL AND status = 'valid')) " \
	"WHERE (low_b IS NULL) <> (low_a IS NULL) OR " \
	"(any_b IS NULL) <> (any_a IS NULL)"
#define DOSSIER_NCOLUMNS 14 /* of DOSSIER_COLUMNS */
/* clang-format on */

int
rollup_tree_save(struct db *db)
{
	return db_exec(db,
	    "CREATE TEMP TABLE IF NOT EXISTS unit_tree_before(ancestor TEXT, "
	    "descendant TEXT, PRIMARY KEY (ancestor, descendant)) "
	    "WITHOUT ROWID;"
	    "DELETE FROM temp.unit_tree_before;"
	    "INSERT INTO temp.unit_tree_before SELECT ancestor, descendant "
	    "FROM main.unit_tree");
}

/* The dossier's procedure (column col) on the side it is within. */
static void
retree_sides(struct db_stmt *st, int col, bool was, char from[9], char to[9])
{
	from[0] = to[0] = '\0';
	text_col(st, col, was ? from : to, 9);
}

static int
retree_ratings(struct db *db)
{
	struct retree_rating {
		struct rating r;
		char from[9], to[9];
		int64_t received_at;
	} *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db, RETREE_RATINGS, "");
	int step, rc = -1;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		if (lent_row(st, &v[n].r) < 0)
			continue; /* counted nowhere */
		retree_sides(st, LENT_N, db_col_int(st, LENT_N + 2) != 0,
		    v[n].from, v[n].to);
		v[n].received_at = db_col_int(st, LENT_N + 1);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct retree_rating *x = &v[i];

		if (move_rating(db, &x->r, x->from, x->to) < 0)
			goto out;
		if (x->to[0] != '\0' && x->received_at >= x->r.rated_at &&
		    attribution_raise(
			db, month_of(x->r.rated_at), x->received_at + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(v);
	return rc;
}

static int
retree_folded(struct db *db)
{
	struct retree_fold {
		char unit[41], from[9], to[9];
		int month;
		int64_t v[ROLLUP_N], received_at;
	} *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db, RETREE_FOLDED, "");
	int step, rc = -1;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct metric_counts c;

		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		memset(&c, 0, sizeof(c));
		rollup_unpack_add(st, 0, &c);
		pack(&c, v[n].v);
		text_col(st, ROLLUP_N, v[n].unit, sizeof(v[n].unit));
		v[n].month = (int)db_col_int(st, ROLLUP_N + 1);
		retree_sides(st, ROLLUP_N + 2,
		    db_col_int(st, ROLLUP_N + 4) != 0, v[n].from, v[n].to);
		v[n].received_at = db_col_int(st, ROLLUP_N + 3);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (move_counts(db, v[i].v, v[i].unit, v[i].month, v[i].from,
			v[i].to) < 0)
			goto out;
		/* a folded month is known as of its end or later */
		if (v[i].to[0] != '\0' &&
		    v[i].received_at >= month_end(v[i].month) &&
		    attribution_raise(db, v[i].month, v[i].received_at + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(v);
	return rc;
}

static int
retree_reasons(struct db *db)
{
	struct retree_reason {
		char unit[41], officer[33], reason[33], from[9], to[9];
		int month, counter;
		int64_t n;
	} *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db, RETREE_REASONS, "");
	int step, rc = -1;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct retree_reason *x;

		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		x = &v[n++];
		text_col(st, 0, x->unit, sizeof(x->unit));
		x->month = (int)db_col_int(st, 1);
		x->counter = (int)db_col_int(st, 2);
		text_col(st, 3, x->officer, sizeof(x->officer));
		text_col(st, 4, x->reason, sizeof(x->reason));
		x->n = db_col_int(st, 5);
		retree_sides(st, 6, db_col_int(st, 7) != 0, x->from, x->to);
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct retree_reason *x = &v[i];

		if (db_run(db, UPSERT_REASON, "tititTl", x->unit, x->month,
			x->from, x->counter, x->officer, x->reason,
			strlen(x->reason), -x->n) < 0 ||
		    db_run(db, UPSERT_REASON, "tititTl", x->unit, x->month,
			x->to, x->counter, x->officer, x->reason,
			strlen(x->reason), x->n) < 0)
			goto out;
	}
	rc = 0;
out:
	free(v);
	return rc;
}

/* The dossiers whose "bad" or "covered" changed with the tree. */
static int
retree_dossiers(struct db *db)
{
	struct retree_dossier {
		struct dossier d;
		bool low_b, low_a, any_b, any_a;
		int64_t last;
	} *v = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db, RETREE_DOSSIERS, "");
	int step, rc = -1;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct retree_dossier *x;
		int col = DOSSIER_NCOLUMNS;

		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		x = &v[n++];
		dossier_from_row(st, &x->d);
		x->low_b = !db_col_is_null(st, col);
		x->low_a = !db_col_is_null(st, col + 1);
		x->any_b = !db_col_is_null(st, col + 2);
		x->any_a = !db_col_is_null(st, col + 3);
		x->last = db_col_int(st, col + 3);
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct retree_dossier *x = &v[i];

		if (dossier_apply(db, &x->d, x->low_b, x->any_b, -1) < 0 ||
		    dossier_apply(db, &x->d, x->low_a, x->any_a, 1) < 0)
			goto out;
		if (x->any_a &&
		    horizon_raise(db, month_of(x->d.received_at), x->last + 1) <
			0)
			goto out;
	}
	rc = 0;
out:
	free(v);
	return rc;
}

int
rollup_tree_changed(struct db *db)
{
	int rc = retree_ratings(db) < 0 || retree_folded(db) < 0 ||
		retree_reasons(db) < 0 || retree_dossiers(db) < 0
	    ? -1
	    : 0;

	db_exec(db, "DROP TABLE IF EXISTS temp.unit_tree_before");
	return rc;
}

int
rollup_rebuild_subtree(struct db *db)
{
	/* clang-format off */
	return db_exec(db, "DELETE FROM rollup_subtree;"
	    "INSERT INTO rollup_subtree(" ROLLUP_COLUMNS(COL)
	    "ancestor, month, procedure) "
	    "SELECT " ROLLUP_COLUMNS(SUM) "t.ancestor, r.month, r.procedure "
	    "FROM rollup_procedure r "
	    "JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0 "
	    "GROUP BY t.ancestor, r.month, r.procedure;"
	    "DELETE FROM dossier_rollup_subtree;"
	    "INSERT INTO dossier_rollup_subtree(" DC_COLUMNS(COL)
	    "ancestor, month, procedure) "
	    "SELECT " DC_COLUMNS(SUM) "t.ancestor, r.month, r.procedure "
	    "FROM dossier_rollup r "
	    "JOIN unit_tree t ON t.descendant = r.unit AND t.depth > 0 "
	    "GROUP BY t.ancestor, r.month, r.procedure");
	/* clang-format on */
}

const struct writer_hooks rollup_hooks = { rollup_batch_new, rollup_batch_free,
	rollup_hook, rollup_flush, rollup_reset };

#define SUBTREE "IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1)"
#define ONLY "= ?1"

/* Sums grouped by a key; the sums come first, then the key columns. */
/* clang-format off */
#define BY_PROCEDURE_ONLY \
	"SELECT " ROLLUP_COLUMNS(COL) "procedure FROM rollup_procedure " \
	"WHERE unit = ?1 AND month = ?2"
#define BY_PROCEDURE_SUBTREE \
	"SELECT " ROLLUP_COLUMNS(COL) "procedure FROM rollup_subtree " \
	"WHERE ancestor = ?1 AND month = ?2"
/*
 * A unit's staff rows of a month as they are, in the key's order: each
 * row adds to its counter (unit, counter) and to its officer, each
 * summed in C as GROUP BY unit, counter and GROUP BY officer would (53
 * SQL sum() calls a row cost several times what reading the columns
 * does, and one read serves both: a year reads twelve months of them).
 */
#define STAFF(F) \
	"SELECT " ROLLUP_COLUMNS(COL) "unit, counter, officer FROM " \
	"rollup_staff WHERE unit " F " AND month = ?2 " \
	"AND (counter > 0 OR officer <> '') ORDER BY unit, counter"
/* clang-format on */

/* Add the sums of one key's rows (c) to s, as one GROUP BY row. */
static void
add_group(const struct rollup_sink *s, enum rollup_rows kind, const char *key,
    int counter, const struct metric_counts *c)
{
	/*
	 * Every rating moved away (a status change, a dossier moving
	 * to another procedure): the raw rows have no such scope.
	 */
	if (metric_counts_is_zero(c))
		return;
	switch (kind) {
	case ROWS_PROCEDURE: s->add(s->ctx, key, c); break;
	case ROWS_COUNTER:
		metric_counts_add(
		    s->counts(s->ctx, ROWS_COUNTER, key, counter), c);
		break;
	case ROWS_OFFICER:
		metric_counts_add(s->counts(s->ctx, ROWS_OFFICER, key, 0), c);
		break;
	}
}

/*
 * Rows with the same key next to each other (a GROUP BY's rows, or rows
 * ORDER BY the key) are summed into one group first: the same sums and
 * the same zero test as GROUP BY in SQL.
 */
int
rollup_add_rows(struct db *db, const struct rollup_sink *s,
    enum rollup_rows kind, const char *sql)
{
	struct db_stmt *st = db_query(db, sql, "ti", s->unit, s->month);
	struct metric_counts c;
	char key[64] = "";
	int counter = 0, step;
	bool open = false;

	if (st == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	while ((step = db_step(st)) == DB_ROW) {
		const char *k = db_col_text(st, ROLLUP_N);
		int n = kind == ROWS_COUNTER ? (int)db_col_int(st, ROLLUP_N + 1)
					     : 0;

		if (k == NULL)
			k = "";
		if (open && (strcmp(k, key) != 0 || n != counter)) {
			add_group(s, kind, key, counter, &c);
			memset(&c, 0, sizeof(c));
		}
		strlcpy_hl(key, k, sizeof(key));
		counter = n;
		open = true;
		rollup_unpack_add(st, 0, &c);
	}
	if (open && step >= 0)
		add_group(s, kind, key, counter, &c);
	db_done(st);
	return step < 0 ? -1 : 0;
}

/* The officers' sums of one read of staff rows, by officer. */
struct officer_group {
	char key[64];
	struct metric_counts c;
};

struct officer_groups {
	struct officer_group *v;
	size_t n, cap;
	size_t *slot; /* nslot entries: index + 1 into v, 0 when free */
	size_t nslot;
};

static struct metric_counts *
officer_group(struct officer_groups *g, const char *key)
{
	size_t i;

	if (2 * (g->n + 1) > g->nslot) {
		size_t nslot = g->nslot ? 2 * g->nslot : 256;

		free(g->slot);
		g->slot = xcalloc(nslot, sizeof(*g->slot));
		g->nslot = nslot;
		for (size_t k = 0; k < g->n; k++) {
			i = fnv1a(g->v[k].key, FNV1A_INIT) & (nslot - 1);
			while (g->slot[i] != 0)
				i = (i + 1) & (nslot - 1);
			g->slot[i] = k + 1;
		}
	}
	i = fnv1a(key, FNV1A_INIT) & (g->nslot - 1);
	while (g->slot[i] != 0) {
		if (strcmp(g->v[g->slot[i] - 1].key, key) == 0)
			return &g->v[g->slot[i] - 1].c;
		i = (i + 1) & (g->nslot - 1);
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	strlcpy_hl(g->v[g->n].key, key, sizeof(g->v[g->n].key));
	g->slot[i] = ++g->n;
	return &g->v[g->n - 1].c;
}

/*
 * The staff rows of `sql` (ROLLUP_N counts, unit, counter, officer, in
 * (unit, counter) order) into s's counters and officers.  A key too long
 * for a group's key (none is: codes are at most 40) is not grouped.
 */
static int
read_staff(struct db *db, const struct rollup_sink *s, const char *sql)
{
	struct db_stmt *st = db_query(db, sql, "ti", s->unit, s->month);
	struct officer_groups og = { 0 };
	struct metric_counts c, row;
	char unit[64] = "";
	int counter = 0, step;
	bool open = false;

	if (st == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	while ((step = db_step(st)) == DB_ROW) {
		const char *u = db_col_text(st, ROLLUP_N);
		const char *off = db_col_text(st, ROLLUP_N + 2);
		int n = (int)db_col_int(st, ROLLUP_N + 1);

		if (u == NULL)
			u = "";
		memset(&row, 0, sizeof(row));
		rollup_unpack_add(st, 0, &row);
		if (n > 0) {
			if (open && (strcmp(u, unit) != 0 || n != counter)) {
				add_group(s, ROWS_COUNTER, unit, counter, &c);
				memset(&c, 0, sizeof(c));
			}
			strlcpy_hl(unit, u, sizeof(unit));
			counter = n;
			open = true;
			metric_counts_add(&c, &row);
		}
		if (off != NULL && off[0] != '\0') {
			if (strlen(off) < sizeof(og.v[0].key))
				metric_counts_add(
				    officer_group(&og, off), &row);
			else
				add_group(s, ROWS_OFFICER, off, 0, &row);
		}
	}
	if (step >= 0) {
		if (open)
			add_group(s, ROWS_COUNTER, unit, counter, &c);
		for (size_t i = 0; i < og.n; i++)
			add_group(s, ROWS_OFFICER, og.v[i].key, 0, &og.v[i].c);
	}
	free(og.v);
	free(og.slot);
	db_done(st);
	return step < 0 ? -1 : 0;
}

int
rollup_read(struct db *db, const struct rollup_sink *s, bool unit_only)
{
	/*
	 * The unit's own rows, then (with its subordinates) the sums over
	 * every unit below it, kept beside them: at most one row per
	 * procedure each, however many units and ratings there are.
	 */
	if (rollup_add_rows(db, s, ROWS_PROCEDURE, BY_PROCEDURE_ONLY) < 0 ||
	    (!unit_only &&
		rollup_add_rows(db, s, ROWS_PROCEDURE, BY_PROCEDURE_SUBTREE) <
		    0))
		return -1;
	if (read_staff(db, s, unit_only ? STAFF(ONLY) : STAFF(SUBTREE)) < 0)
		return -1;
	return rollup_read_reasons(db, s, unit_only, false);
}

/* clang-format off */
#define REASONS(T, F) \
	"SELECT procedure, unit, counter, officer, reason, sum(n) FROM " T \
	" WHERE unit " F " AND month = ?2 " \
	"GROUP BY procedure, unit, counter, officer, reason HAVING sum(n) <> 0"
/* clang-format on */

int
rollup_read_reasons(
    struct db *db, const struct rollup_sink *s, bool unit_only, bool folded)
{
	const char *sql = folded
	    ? (unit_only ? REASONS("folded_reason", ONLY)
			 : REASONS("folded_reason", SUBTREE))
	    : (unit_only ? REASONS("rollup_reason", ONLY)
			 : REASONS("rollup_reason", SUBTREE));
	struct db_stmt *st = db_query(db, sql, "ti", s->unit, s->month);
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *proc = db_col_text(st, 0),
			   *unit = db_col_text(st, 1);
		const char *off = db_col_text(st, 3),
			   *code = db_col_text(st, 4);

		if (s->reason != NULL && code != NULL)
			s->reason(s->ctx, proc ? proc : "", unit ? unit : "",
			    (int)db_col_int(st, 2), off ? off : "", code,
			    db_col_int(st, 5));
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

#define DOSSIERS_ONLY \
	"SELECT " DC_COLUMNS(COL) "procedure FROM dossier_rollup " \
				  "WHERE unit = ?1 AND month = ?2"
#define DOSSIERS_SUBTREE \
	"SELECT " DC_COLUMNS(COL) "procedure FROM dossier_rollup_subtree " \
				  "WHERE ancestor = ?1 AND month = ?2"

int
rollup_read_dossiers(struct db *db, const struct rollup_sink *s, bool unit_only)
{
	for (int pass = 0; pass < (unit_only ? 1 : 2); pass++) {
		struct db_stmt *st =
		    db_query(db, pass == 0 ? DOSSIERS_ONLY : DOSSIERS_SUBTREE,
			"ti", s->unit, s->month);
		int step;

		if (st == NULL)
			return -1;
		while ((step = db_step(st)) == DB_ROW) {
			const char *proc = db_col_text(st, DC_N);
			struct metric_counts c;

			memset(&c, 0, sizeof(c));
			for (int i = 0; i < DC_N; i++)
				*dc_at(&c, i) = db_col_int(st, i);
			if (metric_counts_is_zero(&c))
				continue; /* every dossier moved away */
			s->add(s->ctx, proc != NULL ? proc : "", &c);
		}
		db_done(st);
		if (step < 0)
			return -1;
	}
	return 0;
}
