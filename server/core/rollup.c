/* rollup.c -- monthly rating counts kept beside the ratings, by the writer. */
#include <stddef.h>
#include <stdint.h>
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
	return horizon_raise(db, month_of(d->received_at), h);
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
reasons_apply(struct db *db, const struct rating *r, int sign)
{
	const char *p = r->reasons;
	int month = month_of(r->rated_at);

	if (r->status != STATUS_VALID)
		return 0;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		if (len > 0 &&
		    db_run(db, UPSERT_REASON, "tititTl", r->unit, month,
			r->procedure, r->counter > 0 ? r->counter : 0,
			r->officer, p, len, (int64_t)sign) < 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The rows of rollup_procedure, rollup_subtree and rollup_staff. */
static int
count_rows_apply(struct db *db, const struct rating *r, int sign)
{
	struct metric_counts c;
	int64_t v[ROLLUP_N];
	int month = month_of(r->rated_at);
	char up[ANCESTORS_MAX][41];
	int n = ancestors(db, r->unit, up, ANCESTORS_MAX);

	memset(&c, 0, sizeof(c));
	metric_counts_add_any(&c, r);
	pack(&c, v);
	if (upsert(db, UPSERT_PROCEDURE, v, ROLLUP_N, sign, r->unit, month,
		r->procedure, -1) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (upsert(db, UPSERT_SUBTREE, v, ROLLUP_N, sign, up[i], month,
			r->procedure, -1) < 0)
			return -1;
	if (r->counter <= 0 && r->officer[0] == '\0')
		return 0;
	return upsert(db, UPSERT_STAFF, v, ROLLUP_N, sign, r->unit, month,
	    r->officer, r->counter > 0 ? r->counter : 0);
}

/* Every rating rollup row of r: counts (or excluded) and reasons. */
static int
counts_apply(struct db *db, const struct rating *r, int sign)
{
	if (reasons_apply(db, r, sign) < 0)
		return -1;
	return count_rows_apply(db, r, sign);
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
	int month, n = 0;

	(void)seq;
	/* a rating of a dossier, or naming reasons: written at once */
	if (r->status == STATUS_VALID &&
	    (rollup_dossier_rating(db, r, 1) < 0 ||
		reasons_apply(db, r, 1) < 0))
		return -1;
	month = month_of(r->rated_at);
	line = unit_line(db, b, r->unit);
	if (line == NULL)
		goto direct;
	slots[n++] =
	    batch_slot(b, SLOT_PROCEDURE, r->unit, month, r->procedure, -1);
	if (r->counter > 0 || r->officer[0] != '\0')
		slots[n++] = batch_slot(b, SLOT_STAFF, r->unit, month,
		    r->officer, r->counter > 0 ? r->counter : 0);
	for (int i = 0; i < line->n; i++)
		slots[n++] = batch_slot(
		    b, SLOT_SUBTREE, line->up[i], month, r->procedure, -1);
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
	return count_rows_apply(db, r, 1);
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

		if (key == NULL)
			key = "";
		switch (kind) {
		case ROWS_PROCEDURE: {
			struct metric_counts c;

			memset(&c, 0, sizeof(c));
			rollup_unpack_add(st, 0, &c);
			s->add(s->ctx, key, &c);
			break;
		}
		case ROWS_COUNTER:
			rollup_unpack_add(st, 0,
			    s->counts(s->ctx, ROWS_COUNTER, key,
				(int)db_col_int(st, ROLLUP_N + 1)));
			break;
		case ROWS_OFFICER:
			rollup_unpack_add(
			    st, 0, s->counts(s->ctx, ROWS_OFFICER, key, 0));
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
	if (rollup_add_rows(db, s, ROWS_OFFICER,
		unit_only ? BY_OFFICER(ONLY) : BY_OFFICER(SUBTREE)) < 0)
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
