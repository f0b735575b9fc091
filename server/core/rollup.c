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
 * The 11 count columns of dossier_rollup and dossier_rollup_subtree
 * (schemas/008_dossier_rollup.sql): metric_counts' dossier fields.
 */
/* clang-format off */
#define DC_COLUMNS(X) \
	X(dossiers) X(online) X(full_online) X(judged) X(on_time) \
	X(supplement) X(multi_supplement) X(correction) \
	X(supplement_or_correction) X(digitized) X(bad)
#define DC_N 11
#define DC_FIELD(c) offsetof(struct metric_counts, c),

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

static const size_t dc_field[DC_N] = { DC_COLUMNS(DC_FIELD) };

static int64_t *
dc_at(struct metric_counts *c, int i)
{
	return (int64_t *)(void *)((char *)c + dc_field[i]);
}

/*
 * Add (sign 1) or take away (-1) a dossier's counts as judged at the end
 * of time (dossier_count() with T = INT64_MAX): finished at finished_at,
 * open at the end of its month; `low`: a valid low rating carries its
 * code.
 */
static int
dossier_apply(struct db *db, const struct dossier *d, bool low, int sign)
{
	struct metric_counts c;
	int64_t v[DC_N];
	int month = month_of(d->received_at);
	char up[ANCESTORS_MAX][41];
	int n = ancestors(db, d->unit, up, ANCESTORS_MAX);

	memset(&c, 0, sizeof(c));
	dossier_count(d, INT64_MAX, month_end(month), low, &c);
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
 * The valid ratings of level <= 2 carrying `code` that count for it,
 * given by its unit `unit` or a unit above (METRICS.md "Bad"; another
 * unit's rating cannot make it bad): how many, the last.
 */
static int
low_ratings(struct db *db, const char *code, const char *unit, int64_t *n,
    int64_t *last)
{
	struct db_stmt *st = db_query(db,
	    "SELECT count(*), coalesce(max(rated_at), 0) FROM ratings "
	    "WHERE dossier = ? AND status = 'valid' AND level <= 2 AND "
	    "unit IN (SELECT ancestor FROM unit_tree WHERE descendant = ?)",
	    "tt", code, unit);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*n = db_col_int(st, 0);
		*last = db_col_int(st, 1);
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
	int64_t n, last, h = d->received_at + 1;

	if (old != NULL) {
		/* judged with its own unit's ratings when it was added */
		if (low_ratings(db, old->code, old->unit, &n, &last) < 0 ||
		    dossier_apply(db, old, n > 0, -1) < 0)
			return -1;
	}
	if (low_ratings(db, d->code, d->unit, &n, &last) < 0)
		return -1;
	if (dossier_apply(db, d, n > 0, 1) < 0)
		return -1;
	if (d->has_finished && d->finished_at + 1 > h)
		h = d->finished_at + 1;
	if (n > 0 && last + 1 > h)
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
	int64_t n, last;
	bool was, now;
	int rc;

	if (r->dossier[0] == '\0' || r->level > 2)
		return 0;
	rc = dossier_load(db, r->dossier, &d);
	if (rc != 0)
		return rc < 0 ? -1 : 0; /* not imported yet: counted then */
	if (!store_unit_within(db, d.unit, r->unit))
		return 0; /* another unit's rating: not for this dossier */
	/* the row's status has changed already: n counts it when valid */
	if (low_ratings(db, r->dossier, d.unit, &n, &last) < 0)
		return -1;
	was = sign > 0 ? n > 1 : true;
	now = sign > 0 ? true : n > 0;
	if (sign > 0 &&
	    horizon_raise(db, month_of(d.received_at), r->rated_at + 1) < 0)
		return -1;
	if (was == now)
		return 0;
	if (dossier_apply(db, &d, was, -1) < 0)
		return -1;
	return dossier_apply(db, &d, now, 1);
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

static int
counts_apply(struct db *db, const struct rating *r, int sign)
{
	struct metric_counts c;
	int64_t v[ROLLUP_N];
	int month = month_of(r->rated_at);
	char proc[9];

	if (rollup_procedure_of(db, r, proc) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	metric_counts_add_rating(&c, r);
	pack(&c, v);
	if (procedure_apply(db, v, sign, r->unit, month, proc) < 0)
		return -1;
	if (r->counter <= 0 && r->officer[0] == '\0')
		return 0;
	return upsert(db, UPSERT_STAFF, v, ROLLUP_N, sign, r->unit, month,
	    r->officer, r->counter > 0 ? r->counter : 0);
}

/*
 * Move counts v of a rating (or folded ratings) of `unit` and `month`
 * from the procedure the old version of a dossier lent them to the one
 * the new version lends.
 */
static int
move(struct db *db, const int64_t v[ROLLUP_N], const char *unit, int month,
    const struct dossier *old, const struct dossier *d)
{
	const char *from, *to;

	if (lent_procedure(db, old, unit, &from) < 0 ||
	    lent_procedure(db, d, unit, &to) < 0)
		return -1;
	if (strcmp(from, to) == 0)
		return 0;
	if (procedure_apply(db, v, -1, unit, month, from) < 0)
		return -1;
	return procedure_apply(db, v, 1, unit, month, to);
}

/*
 * The columns of a valid rating without a procedure that count (ratings
 * r), in the order lent_row() reads them.
 */
#define LENT_COLUMNS \
	"r.unit, r.rated_at, r.level, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, " \
	"r.c7, r.c8, r.c9, r.supplement_reported, r.online_error_reported, " \
	"r.visits, r.reasons, r.channel, r.dossier"
#define LENT_N 18

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

static void
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
	if (rating_channel_parse(db_col_text(st, col++), &r->channel) < 0)
		r->channel = CHANNEL_IMPORT;
	text_col(st, col, r->dossier, sizeof(r->dossier));
	r->status = STATUS_VALID;
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
		const char *u = db_col_text(st, ROLLUP_N);

		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			fs = xrealloc(fs, cap * sizeof(*fs));
		}
		memset(&c, 0, sizeof(c));
		rollup_unpack_add(st, 0, &c);
		pack(&c, fs[n].v);
		strlcpy_hl(fs[n].unit, u != NULL ? u : "", sizeof(fs[n].unit));
		fs[n].month = (int)db_col_int(st, ROLLUP_N + 1);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *to;

		if (move(db, fs[i].v, fs[i].unit, fs[i].month, old, d) < 0 ||
		    lent_procedure(db, d, fs[i].unit, &to) < 0)
			goto out;
		if (to[0] != '\0' && d->received_at >= month_end(fs[i].month) &&
		    attribution_raise(db, fs[i].month, d->received_at + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(fs);
	return rc;
}

/*
 * The dossier changed from `old` (NULL: new) to d: its valid ratings
 * without a procedure, and folded ones, move to the procedure it lends
 * them now (METRICS.md "Which procedure").  One indexed query each.
 */
static int
attribution_change(
    struct db *db, const struct dossier *old, const struct dossier *d)
{
	struct rating *rs = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int step, rc = -1;

	/* gathered first: the moves write while no query is open */
	st = db_query(db,
	    "SELECT " LENT_COLUMNS " FROM ratings r WHERE r.dossier = ? AND "
	    "r.procedure IS NULL AND r.status = 'valid'",
	    "t", d->code);
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			rs = xrealloc(rs, cap * sizeof(*rs));
		}
		lent_row(st, &rs[n++]);
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct metric_counts c;
		int64_t v[ROLLUP_N];
		const char *to;
		int month = month_of(rs[i].rated_at);

		memset(&c, 0, sizeof(c));
		metric_counts_add_rating(&c, &rs[i]);
		pack(&c, v);
		if (move(db, v, rs[i].unit, month, old, d) < 0 ||
		    lent_procedure(db, d, rs[i].unit, &to) < 0)
			goto out;
		if (to[0] != '\0' && d->received_at >= rs[i].rated_at &&
		    attribution_raise(db, month, d->received_at + 1) < 0)
			goto out;
	}
	rc = folded_change(db, old, d);
out:
	free(rs);
	return rc;
}

int
rollup_apply(struct db *db, const struct rating *r, int sign)
{
	if (counts_apply(db, r, sign) < 0)
		return -1;
	return rollup_dossier_rating(db, r, sign);
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
	if (r->status != STATUS_VALID)
		return 0;
	/* a low rating of a dossier: rare, written at once */
	if (rollup_dossier_rating(db, r, 1) < 0)
		return -1;
	/* a dossier's procedure: one lookup, only for those naming one */
	if (rollup_procedure_of(db, r, proc) < 0)
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
		metric_counts_add_rating(&slots[i]->c, r);
	return 0;
direct:
	/*
	 * More keys than the table holds: write what is gathered (the
	 * slots claimed for this rating are still zero) and this one
	 * directly.
	 */
	if (rollup_flush(b, db) < 0)
		return -1;
	return counts_apply(db, r, 1);
}

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

/* Whether a dossier of `d` was (t = unit_tree_before) or is below `r`. */
#define WITHIN(t, r, d) \
	"EXISTS (SELECT 1 FROM " t " w WHERE w.ancestor = " r " AND " \
	"w.descendant = " d ")"

/* One rating's (or folded counts') move, gathered before writing. */
struct retree_move {
	char unit[41];
	int month;
	char from[9], to[9];
	int64_t v[ROLLUP_N];
	int64_t received_at, rated_at;
};

static int
retree_apply(struct db *db, const struct retree_move *mv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct retree_move *x = &mv[i];

		if (procedure_apply(db, x->v, -1, x->unit, x->month, x->from) <
			0 ||
		    procedure_apply(db, x->v, 1, x->unit, x->month, x->to) < 0)
			return -1;
		if (x->to[0] != '\0' && x->received_at >= x->rated_at &&
		    attribution_raise(db, x->month, x->received_at + 1) < 0)
			return -1;
	}
	return 0;
}

/*
 * "Bad" counts a low rating of the dossier's unit or a unit above it
 * (low_ratings()): the dossiers with a valid low rating whose unit came
 * above the dossier's, or stopped being, are judged again.
 */
#define DOSSIER_NCOLUMNS 14 /* of DOSSIER_COLUMNS */
#define LOW_SQL(t) \
	"(SELECT max(r.rated_at) FROM ratings r WHERE r.dossier = d.code AND " \
	"r.status = 'valid' AND r.level <= 2 AND " WITHIN( \
	    t, "r.unit", "d.unit") ")"

static int
retree_bad(struct db *db)
{
	struct dossier *ds = NULL;
	int64_t *last = NULL;
	bool *was = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int step, rc = -1;

	st = db_query(db,
	    "SELECT " DOSSIER_COLUMNS ", b, a FROM (SELECT d.*, " LOW_SQL("temp"
									  ".uni"
									  "t_"
									  "tree"
									  "_bef"
									  "ore") " AS b, " LOW_SQL(
		"main.unit_tree") " AS a FROM dossiers d WHERE d.code IN "
				  "(SELECT dossier FROM ratings WHERE dossier "
				  "IS NOT NULL AND "
				  "status = 'valid' AND level <= 2)) "
				  "WHERE (b IS NULL) <> (a IS NULL)",
	    "");
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			ds = xrealloc(ds, cap * sizeof(*ds));
			last = xrealloc(last, cap * sizeof(*last));
			was = xrealloc(was, cap * sizeof(*was));
		}
		dossier_from_row(st, &ds[n]);
		was[n] = !db_col_is_null(st, DOSSIER_NCOLUMNS);
		last[n] = db_col_int(st, DOSSIER_NCOLUMNS + 1);
		n++;
	}
	db_done(st);
	if (step < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (dossier_apply(db, &ds[i], was[i], -1) < 0 ||
		    dossier_apply(db, &ds[i], !was[i], 1) < 0)
			goto out;
		if (!was[i] &&
		    horizon_raise(
			db, month_of(ds[i].received_at), last[i] + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ds);
	free(last);
	free(was);
	return rc;
}

int
rollup_tree_changed(struct db *db)
{
	struct retree_move *mv = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int step, rc = -1;

	/* ratings, then folded counts: those whose dossier's unit came
	 * under their unit, or left it */
	for (int pass = 0; pass < 2; pass++) {
		st = db_query(db,
		    pass == 0
			? "SELECT " LENT_COLUMNS
			  ", d.procedure, d.received_at, " WITHIN(
			      "temp.unit_tree_before", "r.unit",
			      "d.unit") " AS was, " WITHIN("main.unit_tree",
			      "r.unit",
			      "d.unit") " AS now FROM ratings r JOIN dossiers "
					"d ON d.code = r.dossier WHERE "
					"r.procedure IS NULL "
					"AND r.status = 'valid' AND was <> now"
			: "SELECT " ROLLUP_COLUMNS(
			      SUM) "f.unit, f.month, "
				   "d.procedure, d.received_at, " WITHIN(
				       "temp.unit_tree_before", "f.unit",
				       "d.unit") " AS was, " WITHIN("main.unit_"
								    "tree",
				       "f.unit",
				       "d.unit") " AS now FROM folded_dossier "
						 "f JOIN "
						 "dossiers d ON d.code = "
						 "f.dossier WHERE was <> now "
						 "GROUP BY f.unit, f.month, "
						 "d.code",
		    "");
		if (st == NULL)
			goto out;
		while ((step = db_step(st)) == DB_ROW) {
			struct retree_move *x;
			struct metric_counts c;
			int col;

			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				mv = xrealloc(mv, cap * sizeof(*mv));
			}
			x = &mv[n++];
			memset(x, 0, sizeof(*x));
			memset(&c, 0, sizeof(c));
			if (pass == 0) {
				struct rating r;

				lent_row(st, &r);
				metric_counts_add_rating(&c, &r);
				strlcpy_hl(x->unit, r.unit, sizeof(x->unit));
				x->month = month_of(r.rated_at);
				x->rated_at = r.rated_at;
				col = LENT_N;
			} else {
				rollup_unpack_add(st, 0, &c);
				text_col(
				    st, ROLLUP_N, x->unit, sizeof(x->unit));
				x->month = (int)db_col_int(st, ROLLUP_N + 1);
				/* known as of the month's end or later */
				x->rated_at = month_end(x->month);
				col = ROLLUP_N + 2;
			}
			pack(&c, x->v);
			/* was within (col + 2), so is not now; or the other
			 * way round: the dossier's procedure on one side */
			text_col(st, col,
			    db_col_int(st, col + 2) ? x->from : x->to,
			    sizeof(x->from));
			x->received_at = db_col_int(st, col + 1);
		}
		db_done(st);
		if (step < 0)
			goto out;
	}
	if (retree_apply(db, mv, n) < 0 || retree_bad(db) < 0)
		goto out;
	rc = 0;
out:
	free(mv);
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
#define BY_COUNTER(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) "unit, counter FROM rollup_staff " \
	"WHERE unit " F " AND month = ?2 AND counter > 0 " \
	"GROUP BY unit, counter"
#define BY_OFFICER(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) "officer FROM rollup_staff " \
	"WHERE unit " F " AND month = ?2 AND officer <> '' GROUP BY officer"
/* clang-format on */

int
rollup_add_rows(struct db *db, const struct rollup_sink *s,
    enum rollup_rows kind, const char *sql)
{
	struct db_stmt *st = db_query(db, sql, "ti", s->unit, s->month);
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *key = db_col_text(st, ROLLUP_N);
		struct metric_counts c;

		if (key == NULL)
			key = "";
		memset(&c, 0, sizeof(c));
		rollup_unpack_add(st, 0, &c);
		/*
		 * Every rating moved away (a status change, a dossier moving
		 * to another procedure): the raw rows have no such scope.
		 */
		if (metric_counts_is_zero(&c))
			continue;
		switch (kind) {
		case ROWS_PROCEDURE: s->add(s->ctx, key, &c); break;
		case ROWS_COUNTER:
			metric_counts_add(
			    s->counts(s->ctx, ROWS_COUNTER, key,
				(int)db_col_int(st, ROLLUP_N + 1)),
			    &c);
			break;
		case ROWS_OFFICER:
			metric_counts_add(
			    s->counts(s->ctx, ROWS_OFFICER, key, 0), &c);
			break;
		}
	}
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
	if (rollup_add_rows(db, s, ROWS_COUNTER,
		unit_only ? BY_COUNTER(ONLY) : BY_COUNTER(SUBTREE)) < 0)
		return -1;
	return rollup_add_rows(db, s, ROWS_OFFICER,
	    unit_only ? BY_OFFICER(ONLY) : BY_OFFICER(SUBTREE));
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
