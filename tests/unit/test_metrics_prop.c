/* test_metrics_prop.c -- rollups == --recompute; the edges by hand. */
#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/dossiers.h"
#include "core/instrument.h"
#include "core/counters.h"
#include "core/metrics.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/rollup.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/writer.h"
#include "test.h"

extern const struct embed_file server_files[];

static struct db *db;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same data on every run */
static uint64_t
next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int
pick(int n)
{
	return (int)(next() % (uint64_t)n);
}

static const char *const units[] = { "H21.227", "H21.228", "H21.01",
	"H21.101" };
static const char *const procs[] = { "1.001193", "1.003583", "1.004772" };
static const char *const officers[] = { "", "", "VC01", "VC02", "VC03", "X9" };
#define REASON_A "wait"
#define REASON_B "attitude"
#define REASON_C "supplement"
static const char *const reason_sets[] = { REASON_A, REASON_A "," REASON_B,
	REASON_B, "old_reason", REASON_B "," REASON_C };

#define NDOSSIERS 700
#define NRATINGS 2500
#define LATE_DOSSIERS 100 /* imported after the ratings carrying them */
static char codes[NDOSSIERS][40];
static int64_t seqs[NRATINGS];
static int dossier_rollup_reads; /* comparisons through dossier rollups */
static int attributed_reads;     /* rating rollups of a month with a
				    dossier received after its rating */
static int running_reads;        /* of them, before the month's end */

/* An instant from 25/8 to 10/12/2026, often close to a month's edge. */
static int64_t
when(void)
{
	static const char *const edges[] = { "2026-09-01T00:00:00+07:00",
		"2026-10-01T00:00:00+07:00", "2026-11-01T00:00:00+07:00",
		"2026-12-01T00:00:00+07:00" };
	int64_t t;

	if (pick(4) == 0) {
		const char *e = edges[pick(4)];

		rfc3339_parse(e, strlen(e), &t);
		return t + pick(7200) - 3600;
	}
	rfc3339_parse("2026-08-25T00:00:00+07:00", 25, &t);
	return t + pick(107 * 86400);
}

static void
make_dossier(int i, int version)
{
	struct dossier d;

	memset(&d, 0, sizeof(d));
	strcpy(d.code, codes[i]);
	strcpy(d.procedure, procs[pick(3)]);
	strcpy(d.unit, units[pick(4)]);
	d.channel = 1 + pick(3);
	d.received_at = when();
	d.has_due = pick(5) != 0;
	d.due_at = d.received_at + pick(20 * 86400);
	d.has_finished = pick(3) != 0;
	d.finished_at = d.received_at + pick(30 * 86400);
	d.supplement_requests = pick(4) == 0 ? pick(4) : 0;
	d.supplement_seconds = d.supplement_requests ? pick(5 * 86400) : 0;
	d.corrections = pick(5) == 0 ? 1 + pick(2) : 0;
	d.full_online = pick(2);
	d.digitized = pick(2);
	d.complaint = pick(10) == 0;
	d.updated_at = 1800000000 + version;
	CHECK(dossier_upsert(db, &d) >= 0);
}

static void
noop(struct writer_job *job)
{
	(void)job;
}

static void
make_ratings(void)
{
	static struct writer_job jobs[50];

	for (int i = 0; i < NRATINGS; i += 50) {
		for (int k = 0; k < 50; k++) {
			struct rating *r = &jobs[k].rating;

			memset(&jobs[k], 0, sizeof(jobs[k]));
			rating_init(r);
			snprintf(r->id, sizeof(r->id), "prop-%d", i + k);
			/*
			 * Some from the province: a low rating makes a dossier
			 * bad only from its own unit or one above it (the
			 * others name dossiers of other units, as ratings
			 * stored before schema 010 or before their dossier
			 * arrived may).
			 */
			strcpy(r->unit, pick(8) == 0 ? "H21" : units[pick(4)]);
			r->counter = pick(4);
			strcpy(r->officer, officers[pick(6)]);
			if (pick(5) != 0)
				strcpy(r->procedure, procs[pick(3)]);
			if (pick(3) == 0)
				strcpy(r->dossier,
				    pick(6) ? codes[pick(NDOSSIERS)]
					    : "H21.1-260101-0001");
			r->channel = (enum rating_channel)pick(4);
			r->level = 1 + pick(5);
			r->visits = pick(3) == 0 ? -1 : 1 + pick(3);
			/* the instrument's codes, and one it no longer has */
			if (r->level <= 3 && pick(2) == 0)
				strcpy(r->reasons, reason_sets[pick(5)]);
			for (int c = 0; c < RATING_CRITERIA; c++)
				r->criteria[c] = pick(4) - 1;
			if (pick(2))
				for (int c = 0; c < RATING_CRITERIA; c++)
					r->criteria[c] = pick(3);
			r->supplement_reported = pick(3) - 1;
			r->online_error_reported = pick(3) - 1;
			/* inclusion, from what was drawn (no new draws) */
			r->requester = (enum rating_requester)(
			    (r->criteria[0] + r->level + 1) % 3);
			r->assisted = r->criteria[2] == 1;
			r->rated_at = when();
			r->received_at = r->rated_at;
			r->status = pick(10) == 0 ? STATUS_BURST : STATUS_VALID;
			strcpy(r->source, "prop");
			jobs[k].done = noop;
			jobs[k].next = k + 1 < 50 ? &jobs[k + 1] : NULL;
		}
		CHECK_INT(writer_store_batch(db, jobs, &rollup_hooks), 0);
		for (int k = 0; k < 50; k++) {
			CHECK_INT(jobs[k].result, WRITER_STORED);
			seqs[i + k] = jobs[k].seq;
		}
	}
}

static void
compare(const char *unit, int month, int64_t as_of, unsigned how)
{
	char err[256];
	struct metrics *a =
	    metrics_compute(db, unit, month, as_of, how, err, sizeof(err));
	struct metrics *b = metrics_compute(
	    db, unit, month, as_of, how | METRICS_RECOMPUTE, err, sizeof(err));
	char *ja, *jb;

	if (a == NULL || b == NULL) {
		FAIL_AT("metrics_compute: %s", err);
		metrics_free(a);
		metrics_free(b);
		return;
	}
	dossier_rollup_reads += a->dossier_rollups;
	if (a->rollups) {
		int64_t h;

		CHECK_INT(rollup_attribution_horizon(db, month, &h), 0);
		attributed_reads += h > 0;
	}
	running_reads += a->dossier_rollups && as_of < month_end(month);
	CHECK(!b->dossier_rollups);
	ja = metrics_dumps(a, false);
	jb = metrics_dumps(b, false);
	test_checks++;
	if (strcmp(ja, jb) != 0)
		FAIL_AT("%s %d as of %lld how %u: rollups and raw rows "
			"differ:\n%s\n%s",
		    unit, month, (long long)as_of, how, ja, jb);
	free(ja);
	free(jb);
	metrics_free(a);
	metrics_free(b);
}

/* Every unit, month and kind of T: the two ways give the same bytes. */
static void
compare_all(void)
{
	static const char *const scopes[] = { "H21", "H21.227", "H21.228",
		"H21.01", "H21.101" };
	static const int months[] = { 202608, 202609, 202610, 202611, 202612 };

	for (size_t u = 0; u < ARRAY_SIZE(scopes); u++) {
		for (size_t k = 0; k < ARRAY_SIZE(months); k++) {
			int64_t end = month_end(months[k]), h;
			int64_t ts[6] = { month_start(months[k]) + 86400 * 12,
				end, end + 86400 * 3, end + 86400 * 400 };

			/* just before and at the dossier rollups' horizon */
			CHECK_INT(rollup_dossier_horizon(db, months[k], &h), 0);
			ts[4] = (h > end ? h : end) - 1;
			ts[5] = h > end ? h : end;

			for (size_t t = 0; t < ARRAY_SIZE(ts); t++) {
				compare(scopes[u], months[k], ts[t], 0);
				compare(scopes[u], months[k], ts[t],
				    METRICS_UNIT_ONLY);
			}
		}
	}
}

/*
 * January 2027 while it runs: dossiers received in its first ten days
 * (and one on the 21st), some finished within three days, some open and due before or after the
 * month's end, some with a complaint or a low rating given by the 13th.
 * From the month's horizon to its end, the rollups with the correction
 * for open dossiers give the raw rows' figures.
 */
static void
running_month(void)
{
	static const char *const scopes[] = { "H21", "H21.227", "H21.101" };
	static struct writer_job jobs[30];
	int64_t t0 = month_start(202701), end = month_end(202701), h;
	char code[40];

	CHECK_INT(db_begin(db), 0);
	for (int i = 0; i < 80; i++) {
		struct dossier d;

		memset(&d, 0, sizeof(d));
		snprintf(
		    code, sizeof(code), "H21.227-2701%02d-%04d", 1 + i % 10, i);
		strcpy(d.code, code);
		strcpy(d.procedure, procs[pick(3)]);
		strcpy(d.unit, units[pick(4)]);
		d.channel = 1 + pick(3);
		/* the last arrives on the 21st: no earlier T may count it */
		d.received_at =
		    i < 79 ? t0 + pick(10 * 86400) : t0 + 20 * 86400;
		d.has_due = pick(5) != 0;
		d.due_at = d.received_at + pick(25 * 86400);
		d.has_finished = i < 79 && pick(2) == 0;
		d.finished_at = d.received_at + pick(3 * 86400);
		d.supplement_requests = pick(4) == 0 ? pick(3) : 0;
		d.supplement_seconds = d.supplement_requests ? pick(86400) : 0;
		d.complaint = pick(8) == 0;
		d.updated_at = 1800000000;
		CHECK(dossier_upsert(db, &d) >= 0);
	}
	CHECK_INT(db_commit(db), 0);
	for (int k = 0; k < 30; k++) {
		struct rating *r = &jobs[k].rating;

		memset(&jobs[k], 0, sizeof(jobs[k]));
		rating_init(r);
		snprintf(r->id, sizeof(r->id), "run-%d", k);
		strcpy(r->unit, units[pick(4)]);
		snprintf(r->dossier, sizeof(r->dossier),
		    "H21.227-2701%02d-%04d", 1 + k * 3 % 10, k * 3 % 80);
		r->channel = CHANNEL_IMPORT;
		r->level = 1 + pick(5);
		/*
		 * The rating rollups take T >= now to mean every rating is
		 * before T, and this month is in the test's future: the
		 * others are rated before any low one, which set the horizon.
		 */
		r->rated_at =
		    t0 + 11 * 86400 + (r->level <= 2 ? 1 + pick(2 * 86400) : 0);
		r->received_at = r->rated_at;
		r->status = STATUS_VALID;
		strcpy(r->source, "prop");
		jobs[k].done = noop;
		jobs[k].next = k + 1 < 30 ? &jobs[k + 1] : NULL;
	}
	CHECK_INT(writer_store_batch(db, jobs, &rollup_hooks), 0);
	CHECK_INT(rollup_dossier_horizon(db, 202701, &h), 0);
	CHECK_INT(h, t0 + 20 * 86400 + 1);
	running_reads = 0;
	for (int64_t t = h; t < end + 2 * 86400; t += 86400 / 3)
		for (size_t u = 0; u < ARRAY_SIZE(scopes); u++) {
			compare(scopes[u], 202701, t, 0);
			compare(scopes[u], 202701, t, METRICS_UNIT_ONLY);
		}
	/* at the very second an open dossier stops being on time */
	{
		struct db_stmt *st = db_query(db,
		    "SELECT DISTINCT due_at + supplement_seconds FROM dossiers "
		    "WHERE finished_at IS NULL AND due_at IS NOT NULL AND "
		    "supplement_requests <= 1 AND received_at >= ?1 AND "
		    "due_at + supplement_seconds BETWEEN ?2 AND ?3 LIMIT 12",
		    "lll", t0, h, end - 1);
		int n = 0;

		while (st != NULL && db_step(st) == DB_ROW) {
			int64_t t = db_col_int(st, 0);

			n++;
			compare("H21", 202701, t, 0);
			compare("H21", 202701, t + 1, 0);
		}
		db_done(st);
		CHECK(n > 3);
	}
	/* the correction was used */
	CHECK(running_reads > 100);
}

/* How many valid ratings without a procedure a dossier lends one to. */
static int64_t
lent_count(bool within)
{
	int64_t n = -1;

	CHECK_INT(
	    db_int(db, &n,
		within ? "SELECT count(*) FROM ratings r JOIN dossiers d "
			 "ON d.code = r.dossier WHERE r.procedure IS NULL "
			 "AND r.status = 'valid' AND EXISTS (SELECT 1 FROM "
			 "unit_tree t WHERE t.ancestor = r.unit AND "
			 "t.descendant = d.unit)"
		       : "SELECT count(*) FROM ratings r JOIN dossiers d "
			 "ON d.code = r.dossier WHERE r.procedure IS NULL "
			 "AND r.status = 'valid' AND NOT EXISTS (SELECT 1 "
			 "FROM unit_tree t WHERE t.ancestor = r.unit AND "
			 "t.descendant = d.unit)",
		""),
	    0);
	return n;
}

/*
 * METRICS.md "Which procedure": the ratings without a procedure follow
 * their dossier.  The feed re-sends the dossiers those ratings name:
 * under another procedure only, under another unit (in and out of the
 * ratings' units), and received later than the ratings (some after
 * their month's end, so that "as of" the month's end they have no
 * procedure yet); staff flag some of those ratings; new ratings name
 * dossiers the feed sends a day later.  After each step the rollups are
 * still the raw rows.
 */
static void
attribution_moves(void)
{
	static struct writer_job jobs[40];
	int version = 0, moved = 0;
	int64_t start;
	struct db_stmt *st;
	char(*named)[40] = xcalloc(NRATINGS, sizeof(*named));
	int nnamed = 0;

	/* the property's data attribute some, and refuse some */
	CHECK(lent_count(true) > 20);
	CHECK(lent_count(false) > 5);
	st = db_query(db,
	    "SELECT DISTINCT dossier FROM ratings WHERE procedure IS NULL "
	    "AND dossier IS NOT NULL ORDER BY dossier",
	    "");
	while (st != NULL && db_step(st) == DB_ROW && nnamed < NRATINGS)
		strlcpy_hl(
		    named[nnamed++], db_col_text(st, 0), sizeof(named[0]));
	db_done(st);
	CHECK(nnamed > 20);

	for (int round = 0; round < 3; round++) {
		CHECK_INT(db_begin(db), 0);
		for (int i = 0; i < nnamed; i++) {
			struct dossier d;

			if (pick(2) || dossier_load(db, named[i], &d) != 0)
				continue;
			switch (round) {
			case 0: /* another procedure, nothing else */
				strcpy(d.procedure,
				    procs[(strcmp(d.procedure, procs[0]) == 0) +
					pick(2)]);
				break;
			case 1: /* another unit */
				strcpy(d.unit, units[pick(4)]);
				break;
			default: /* received later: after the month, often */
				d.received_at += pick(40 * 86400);
				if (d.has_finished &&
				    d.finished_at < d.received_at)
					d.finished_at = d.received_at;
				break;
			}
			d.updated_at = 1900000000 + version++;
			CHECK_INT(dossier_upsert(db, &d), 0);
			moved++;
		}
		CHECK_INT(db_commit(db), 0);
		compare_all();
	}
	CHECK(moved > 30);
	/* staff flag and unflag ratings that a dossier attributes */
	st = db_query(db,
	    "SELECT seq FROM ratings WHERE procedure IS NULL AND dossier IS "
	    "NOT NULL ORDER BY seq",
	    "");
	start = 0;
	while (st != NULL && db_step(st) == DB_ROW)
		seqs[start++ % NRATINGS] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < 60 && start > 0; i++) {
		static const enum rating_status sts[] = { STATUS_VALID,
			STATUS_SPAM, STATUS_VALID, STATUS_MISUSE };

		CHECK(
		    ratings_set_status(db,
			seqs[pick((int)(start < NRATINGS ? start : NRATINGS))],
			sts[pick(4)], "prop", "test") >= 0);
	}
	compare_all();

	/* ratings first, their dossiers a day later, the next month too */
	for (int k = 0; k < 40; k++) {
		struct rating *r = &jobs[k].rating;

		memset(&jobs[k], 0, sizeof(jobs[k]));
		rating_init(r);
		snprintf(r->id, sizeof(r->id), "late-%d", k);
		strcpy(r->unit, k % 5 == 0 ? "H21" : units[pick(4)]);
		snprintf(
		    r->dossier, sizeof(r->dossier), "H21.227-261130-%04d", k);
		r->channel = CHANNEL_KIOSK;
		r->counter = pick(3);
		r->level = 1 + pick(5);
		r->rated_at = month_end(202611) - 86400 * 3 + pick(4 * 86400);
		r->received_at = r->rated_at;
		r->status = STATUS_VALID;
		strcpy(r->source, "prop");
		jobs[k].done = noop;
		jobs[k].next = k + 1 < 40 ? &jobs[k + 1] : NULL;
	}
	CHECK_INT(writer_store_batch(db, jobs, &rollup_hooks), 0);
	compare_all();
	CHECK_INT(db_begin(db), 0);
	for (int k = 0; k < 40; k++) {
		struct dossier d;

		memset(&d, 0, sizeof(d));
		strcpy(d.code, jobs[k].rating.dossier);
		strcpy(d.procedure, procs[pick(3)]);
		strcpy(d.unit, units[pick(4)]);
		d.channel = 1;
		d.received_at = jobs[k].rating.rated_at + 86400;
		d.updated_at = 1900000000 + version++;
		CHECK_INT(dossier_upsert(db, &d), 0);
	}
	CHECK_INT(db_commit(db), 0);
	compare_all();
	/* between the rating and its dossier: raw rows; at or after: both */
	for (int k = 0; k < 40; k += 7) {
		int64_t t = jobs[k].rating.rated_at + 86400;

		compare("H21", 202611, t, 0);
		compare("H21", 202611, t + 1, 0);
		compare(jobs[k].rating.unit, 202611, t, METRICS_UNIT_ONLY);
	}
	CHECK(attributed_reads > 20);
	free(named);
}

static void subtree_matches(const char *table, const char *nonzero);

/*
 * The unit tree changes (a unit import moving H21.228 under H21.227, as
 * the 2025 mergers did, then back): H21.227's ratings naming H21.228's
 * dossiers take their procedures, then give them back.
 */
static void
tree_changes(void)
{
	int64_t before = lent_count(true), moved;

	for (int way = 0; way < 2; way++) {
		CHECK_INT(db_begin(db), 0);
		CHECK_INT(
		    db_run(db, "UPDATE units SET parent = ? WHERE code = ?",
			"tt", way == 0 ? "H21.227" : "H21", "H21.228"),
		    0);
		CHECK_INT(refdata_rebuild_tree(db), 0);
		CHECK_INT(db_commit(db), 0);
		moved = lent_count(true);
		if (way == 0)
			CHECK(moved > before);
		else
			CHECK_INT(moved, before);
		compare_all();
		subtree_matches("rollup_subtree", "n1 + n2 + n3 + n4 + n5 > 0");
	}
}

/* The province is the sum of its parts, scope by scope. */
static void
parts_add_up(void)
{
	char err[256];
	int64_t t = month_end(202610) + 86400 * 10;
	struct metrics *whole =
	    metrics_compute(db, "H21", 202610, t, 0, err, sizeof(err));
	struct metrics *sum = metrics_compute(
	    db, "H21", 202610, t, METRICS_UNIT_ONLY, err, sizeof(err));
	char *a, *b;

	for (size_t u = 0; u < ARRAY_SIZE(units); u++) {
		struct metrics *part = metrics_compute(db, units[u], 202610, t,
		    METRICS_UNIT_ONLY, err, sizeof(err));

		metrics_merge(sum, part);
		metrics_free(part);
	}
	metrics_finish(sum);
	sum->how = 0; /* the merged one covers the subtree now */
	a = metrics_dumps(whole, false);
	b = metrics_dumps(sum, false);
	CHECK_STR(b, a);
	free(a);
	free(b);
	metrics_free(whole);
	metrics_free(sum);
}

/* Queries a and b give the same set of rows, each way. */
static void
same_rows(const char *a, const char *b)
{
	char sql[512];
	int64_t n = -1;

	for (int way = 0; way < 2; way++) {
		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM (%s EXCEPT %s)", way ? b : a,
		    way ? a : b);
		test_checks++;
		if (db_int(db, &n, sql, "") != 0 || n != 0)
			FAIL_AT("%lld rows of '%s' are not in '%s'",
			    (long long)n, way ? b : a, way ? a : b);
	}
}

/*
 * The sums over each unit's subtree (rollup_subtree, or
 * dossier_rollup_subtree), kept by the writer's hooks, status changes and
 * the dossier upsert, are exactly what rebuilding them from the units'
 * own rows gives (all-zero rows aside: `nonzero` picks the others).
 */
static void
subtree_matches(const char *table, const char *nonzero)
{
	char kept[512], live[256];
	int64_t n;

	snprintf(
	    live, sizeof(live), "SELECT * FROM %s WHERE %s", table, nonzero);
	snprintf(kept, sizeof(kept),
	    "DROP TABLE IF EXISTS kept_%s; CREATE TEMP TABLE kept_%s AS %s",
	    table, table, live);
	CHECK_INT(db_exec(db, kept), 0);
	snprintf(kept, sizeof(kept), "SELECT count(*) FROM kept_%s", table);
	CHECK_INT(db_int(db, &n, kept, ""), 0);
	CHECK(n > 10);
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(rollup_rebuild_subtree(db), 0);
	CHECK_INT(db_commit(db), 0);
	snprintf(kept, sizeof(kept), "SELECT * FROM kept_%s", table);
	same_rows(kept, live);
}

/* The text between a migration's backfill markers. */
static char *
backfill_sql(const char *suffix)
{
	const struct embed_file *f = NULL;
	const char *a, *b;

	for (const struct embed_file *e = server_files; e->name; e++)
		if (strstr(e->name, suffix) != NULL)
			f = e;
	CHECK(f != NULL);
	if (f == NULL)
		return NULL;
	a = strstr((const char *)f->data, "-- backfill begin");
	b = strstr((const char *)f->data, "-- backfill end");
	CHECK(a != NULL && b != NULL && a < b);
	if (a == NULL || b == NULL)
		return NULL;
	return xstrndup(a, (size_t)(b - a));
}

/*
 * Migration 012's backfill (for dossiers stored before it; 010's had
 * neither coverage nor channels, 008's judged "bad" with any unit's
 * ratings) gives the dossier rollups the writer and the feed keep, and
 * a horizon no later than theirs (which only ever grows); read at or
 * after it, the figures are still the raw rows'.
 */
static void
dossier_backfill_matches(void)
{
	char *sql = backfill_sql("012_why.sql");
	int64_t n, used;

	if (sql == NULL)
		return;
	CHECK_INT(db_exec(db,
		      "CREATE TEMP TABLE kept_d AS SELECT * FROM "
		      "dossier_rollup WHERE dossiers > 0;"
		      "CREATE TEMP TABLE kept_dts AS SELECT * FROM "
		      "dossier_rollup_subtree WHERE dossiers > 0;"
		      "CREATE TEMP TABLE kept_h AS SELECT * FROM "
		      "dossier_horizon;"
		      "DELETE FROM dossier_rollup;"
		      "DELETE FROM dossier_rollup_subtree;"
		      "DELETE FROM dossier_horizon;"
		      /* 012 also writes the rating rollups as they were
		       * before 013 (backfill_matches() checks those) */
		      "CREATE TEMP TABLE keep_rp AS SELECT * FROM "
		      "rollup_procedure;"
		      "CREATE TEMP TABLE keep_rs AS SELECT * FROM rollup_staff;"
		      "CREATE TEMP TABLE keep_rt AS SELECT * FROM "
		      "rollup_subtree;"
		      "CREATE TEMP TABLE keep_rr AS SELECT * FROM "
		      "rollup_reason;"),
	    0);
	CHECK_INT(db_exec(db, sql), 0);
	free(sql);
	CHECK_INT(db_exec(db,
		      "DELETE FROM rollup_procedure; DELETE FROM rollup_staff;"
		      "DELETE FROM rollup_subtree; DELETE FROM rollup_reason;"
		      "INSERT INTO rollup_procedure SELECT * FROM keep_rp;"
		      "INSERT INTO rollup_staff SELECT * FROM keep_rs;"
		      "INSERT INTO rollup_subtree SELECT * FROM keep_rt;"
		      "INSERT INTO rollup_reason SELECT * FROM keep_rr;"),
	    0);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM kept_d", ""), 0);
	CHECK(n > 20);
	same_rows("SELECT * FROM kept_d", "SELECT * FROM dossier_rollup");
	same_rows(
	    "SELECT * FROM kept_dts", "SELECT * FROM dossier_rollup_subtree");
	/* the same months; none later than the kept one */
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM dossier_horizon h LEFT JOIN "
		      "kept_h k USING (month) WHERE k.horizon IS NULL OR "
		      "h.horizon > k.horizon",
		      ""),
	    0);
	CHECK_INT(n, 0);
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM kept_h WHERE month NOT IN "
		      "(SELECT month FROM dossier_horizon)",
		      ""),
	    0);
	CHECK_INT(n, 0);
	used = dossier_rollup_reads;
	compare_all();
	CHECK(dossier_rollup_reads > used);
}

/* Every count column of 012_why.sql, each set to 0. */
#define WHY_ZERO \
	"reasons_given = 0, visits_answered = 0, visits_sum = 0, " \
	"visits_one = 0, kiosk_n = 0, kiosk_sat = 0, qr_n = 0, qr_sat = 0, " \
	"web_n = 0, web_sat = 0, import_n = 0, import_sat = 0, " \
	"x_burst = 0, x_duplicate = 0, x_misuse = 0, x_spam = 0"
/* 015_inclusion.sql's columns: 0 in a database of before it. */
#define INCL_ZERO \
	"citizen_n = 0, citizen_sat = 0, business_n = 0, business_sat = 0, " \
	"assisted_n = 0, assisted_sat = 0"
#define ANY_RATING \
	"n1 + n2 + n3 + n4 + n5 + x_burst + x_duplicate + x_misuse + " \
	"x_spam > 0"

/*
 * Migration 012's backfill (for ratings stored before it) gives the
 * counts of "why", the excluded ratings and the reasons the writer and
 * status changes keep, on top of the valid ratings' counts (003's
 * backfill wrote those into the columns it knew; it cannot run on this
 * schema): all-zero rows aside.
 */
static void
backfill_matches(void)
{
	char *why = backfill_sql("012_why.sql");
	int64_t n;

	if (why == NULL)
		return;
	/*
	 * The database as it was before 013: the ratings without a
	 * procedure under '' (no dossier's unit is within any for a
	 * moment: rollup_tree_changed() takes them back), the dossier
	 * rollups kept aside (judged with that empty tree meanwhile).
	 */
	CHECK_INT(db_exec(db,
		      "CREATE TEMP TABLE kept_p AS SELECT * FROM "
		      "rollup_procedure WHERE " ANY_RATING ";"
		      "CREATE TEMP TABLE kept_s AS SELECT * FROM rollup_staff "
		      "WHERE " ANY_RATING ";"
		      "CREATE TEMP TABLE kept_r AS SELECT * FROM rollup_reason "
		      "WHERE n > 0;"
		      "CREATE TEMP TABLE kept_t AS SELECT * FROM "
		      "rollup_subtree WHERE " ANY_RATING ";"
		      "CREATE TEMP TABLE kept_tree AS SELECT * FROM unit_tree;"
		      "CREATE TEMP TABLE kept_dr AS SELECT * FROM "
		      "dossier_rollup;"
		      "CREATE TEMP TABLE kept_drs AS SELECT * FROM "
		      "dossier_rollup_subtree;"
		      "CREATE TEMP TABLE kept_dh AS SELECT * FROM "
		      "dossier_horizon;"),
	    0);
	/*
	 * Ratings stored before 012 had no requester (015): the counts of
	 * 015 are 0 in such a database, and these backfills leave them so.
	 * The rollups as they are now come back after the comparisons.
	 */
	CHECK_INT(db_exec(db,
		      "CREATE TEMP TABLE full_p AS SELECT * FROM "
		      "rollup_procedure;"
		      "CREATE TEMP TABLE full_s AS SELECT * FROM rollup_staff;"
		      "CREATE TEMP TABLE full_t AS SELECT * FROM "
		      "rollup_subtree;"
		      "UPDATE kept_p SET " INCL_ZERO ";"
		      "UPDATE kept_s SET " INCL_ZERO ";"
		      "UPDATE kept_t SET " INCL_ZERO ";"),
	    0);
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(rollup_tree_save(db), 0);
	CHECK_INT(db_exec(db, "DELETE FROM unit_tree"), 0);
	CHECK_INT(rollup_tree_changed(db), 0);
	CHECK_INT(
	    db_exec(db, "INSERT INTO unit_tree SELECT * FROM kept_tree"), 0);
	CHECK_INT(db_commit(db), 0);
	CHECK(lent_count(true) > 20);
	CHECK_INT(
	    db_exec(db,
		"DELETE FROM rollup_procedure WHERE "
		"n1 + n2 + n3 + n4 + n5 = 0;"
		"DELETE FROM rollup_staff WHERE n1 + n2 + n3 + n4 + n5 = 0;"
		"UPDATE rollup_procedure SET " WHY_ZERO ", " INCL_ZERO ";"
		"UPDATE rollup_staff SET " WHY_ZERO ", " INCL_ZERO ";"
		"DELETE FROM rollup_reason; DELETE FROM rollup_subtree;"),
	    0);
	CHECK_INT(db_exec(db, why), 0);
	free(why);
	/* then 013's: the ratings without a procedure move to their
	 * dossiers' (and the subtree sums are rebuilt) */
	why = backfill_sql("013_attribution.sql");
	if (why == NULL)
		return;
	CHECK_INT(db_exec(db, why), 0);
	free(why);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM kept_p", ""), 0);
	CHECK(n > 20);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM kept_r", ""), 0);
	CHECK(n > 20);
	same_rows("SELECT * FROM kept_p",
	    "SELECT * FROM rollup_procedure WHERE " ANY_RATING);
	same_rows("SELECT * FROM kept_s",
	    "SELECT * FROM rollup_staff WHERE " ANY_RATING);
	same_rows(
	    "SELECT * FROM kept_r", "SELECT * FROM rollup_reason WHERE n > 0");
	same_rows("SELECT * FROM kept_t",
	    "SELECT * FROM rollup_subtree WHERE " ANY_RATING);
	CHECK_INT(
	    db_exec(db,
		"DELETE FROM dossier_rollup; "
		"INSERT INTO dossier_rollup SELECT * FROM kept_dr; "
		"DELETE FROM dossier_rollup_subtree; "
		"INSERT INTO dossier_rollup_subtree SELECT * FROM kept_drs; "
		"DELETE FROM dossier_horizon; "
		"INSERT INTO dossier_horizon SELECT * FROM kept_dh; "
		"DELETE FROM rollup_procedure; "
		"INSERT INTO rollup_procedure SELECT * FROM full_p; "
		"DELETE FROM rollup_staff; "
		"INSERT INTO rollup_staff SELECT * FROM full_s; "
		"DELETE FROM rollup_subtree; "
		"INSERT INTO rollup_subtree SELECT * FROM full_t"),
	    0);
	compare_all();
}

/*
 * A feed's older (or as old) version of a dossier never replaces the
 * stored one: the import checks in one transaction and writes in another,
 * so only dossier_upsert()'s own guard stops a version older than one
 * written in between.  The rows stay, and the rollups stay equal to the
 * raw rows.
 */
static void
older_never_overwrites(void)
{
	int replaced = 0;

	CHECK_INT(db_begin(db), 0);
	for (int i = 0; i < NDOSSIERS; i += 7) {
		struct dossier now, older, after;

		if (dossier_load(db, codes[i], &now) != 0) {
			FAIL_AT("dossier %s not stored", codes[i]);
			continue;
		}
		/* everything different, so a replacement shows */
		older = now;
		strcpy(older.procedure,
		    strcmp(now.procedure, procs[0]) ? procs[0] : procs[1]);
		strcpy(older.unit,
		    strcmp(now.unit, units[0]) ? units[0] : units[1]);
		older.channel = now.channel % 3 + 1;
		older.received_at = now.received_at - 86400;
		older.has_due = true;
		older.due_at = older.received_at + 3600;
		older.has_finished = !now.has_finished;
		older.finished_at = older.received_at + 86400 * 40;
		older.supplement_requests = now.supplement_requests + 2;
		older.complaint = !now.complaint;
		/* older, then as old */
		older.updated_at = now.updated_at - 1 - pick(1000);
		CHECK_INT(dossier_upsert(db, &older), 1);
		older.updated_at = now.updated_at;
		CHECK_INT(dossier_upsert(db, &older), 1);
		CHECK_INT(dossier_load(db, codes[i], &after), 0);
		test_checks++;
		if (!dossier_same(&after, &now)) {
			replaced++;
			FAIL_AT("dossier %s: an older version replaced the "
				"stored one",
			    codes[i]);
		}
	}
	CHECK_INT(db_commit(db), 0);
	CHECK_INT(replaced, 0);
	compare_all();
}

/* The on-time counts of a month of hand-made dossiers (H21.101 alone). */
static void
on_time_counts(int64_t as_of, unsigned how, int64_t dossiers, int64_t judged,
    int64_t on_time, bool *sql_used)
{
	char err[256];
	struct metrics *m = metrics_compute(db, "H21.101", 202705, as_of,
	    how | METRICS_UNIT_ONLY, err, sizeof(err));

	if (m == NULL) {
		FAIL_AT("metrics_compute: %s", err);
		return;
	}
	test_checks++;
	if (m->total.counts.dossiers != dossiers ||
	    m->total.counts.judged != judged ||
	    m->total.counts.on_time != on_time)
		FAIL_AT("as of %lld how %u: dossiers %lld judged %lld on time "
			"%lld, want %lld %lld %lld",
		    (long long)as_of, how, (long long)m->total.counts.dossiers,
		    (long long)m->total.counts.judged,
		    (long long)m->total.counts.on_time, (long long)dossiers,
		    (long long)judged, (long long)on_time);
	if (!(how & METRICS_RECOMPUTE) && !m->dossier_rollups)
		*sql_used = true;
	metrics_free(m);
}

/*
 * METRICS.md's on-time rule at its boundary, against counts worked out
 * by hand rather than against the other implementation: a dossier is on
 * time when end - supplement_seconds <= due_at.  May 2027, H21.101:
 *
 *   A  finished at due + 3600, 1 request, 3600 s supplement   on time
 *   B  finished at due + 3601, 1 request, 3600 s supplement   late
 *   C  finished at due, no supplement                          on time
 *   D  finished at due + 1, no supplement                      late
 *   E  finished before due, 2 requests                         late
 *   F  no due_at                                               not judged
 *   G  open, due the 11th, 1 request, 600 s supplement: on time as of
 *      due + 600, late as of due + 601 and at the month's end
 *   H  received the 25th, no due_at (the SQL path reads T before it)
 *
 * Each T is read by the SQL of metrics_compute() (or the dossier
 * rollups) and by METRICS_RECOMPUTE's C.
 */
static void
on_time_boundary(void)
{
	int64_t t0 = month_start(202705), due = t0 + 5 * 86400;
	int64_t gdue = t0 + 10 * 86400;
	static const struct {
		int64_t fin_off; /* finished_at - due_at */
		int64_t requests, seconds;
		bool has_due;
	} rows[] = {
		{ 3600, 1, 3600, true },
		{ 3601, 1, 3600, true },
		{ 0, 0, 0, true },
		{ 1, 0, 0, true },
		{ -100, 2, 0, true },
		{ 0, 0, 0, false },
	};
	bool sql_used = false;
	struct dossier d;
	int i;

	CHECK_INT(db_begin(db), 0);
	for (i = 0; i < (int)ARRAY_SIZE(rows); i++) {
		memset(&d, 0, sizeof(d));
		snprintf(d.code, sizeof(d.code), "H21.101-270501-%04d", i);
		strcpy(d.procedure, procs[0]);
		strcpy(d.unit, "H21.101");
		d.channel = 1;
		d.received_at = t0 + 86400;
		d.has_due = rows[i].has_due;
		d.due_at = due;
		d.has_finished = true;
		d.finished_at = due + rows[i].fin_off;
		d.supplement_requests = rows[i].requests;
		d.supplement_seconds = rows[i].seconds;
		d.updated_at = 1800000000;
		CHECK_INT(dossier_upsert(db, &d), 0);
	}
	memset(&d, 0, sizeof(d)); /* G */
	strcpy(d.code, "H21.101-270502-0100");
	strcpy(d.procedure, procs[1]);
	strcpy(d.unit, "H21.101");
	d.channel = 2;
	d.received_at = t0 + 2 * 86400;
	d.has_due = true;
	d.due_at = gdue;
	d.supplement_requests = 1;
	d.supplement_seconds = 600;
	d.updated_at = 1800000000;
	CHECK_INT(dossier_upsert(db, &d), 0);
	memset(&d, 0, sizeof(d)); /* H */
	strcpy(d.code, "H21.101-270525-0101");
	strcpy(d.procedure, procs[2]);
	strcpy(d.unit, "H21.101");
	d.channel = 1;
	d.received_at = t0 + 24 * 86400;
	d.updated_at = 1800000000;
	CHECK_INT(dossier_upsert(db, &d), 0);
	CHECK_INT(db_commit(db), 0);

	for (unsigned how = 0; how <= METRICS_RECOMPUTE; how++) {
		/* A..G received; G open and just on time, then just late */
		on_time_counts(gdue + 600, how, 7, 6, 3, &sql_used);
		on_time_counts(gdue + 601, how, 7, 6, 2, &sql_used);
		/*
		 * B still open (finished_at not before T): on time as of
		 * due + 3600, late as of due + 3601 (A, C, G on time)
		 */
		on_time_counts(due + 3600, how, 7, 6, 4, &sql_used);
		on_time_counts(due + 3601, how, 7, 6, 3, &sql_used);
		/* all eight; G open at the month's end: late */
		on_time_counts(
		    month_end(202705) + 10 * 86400, how, 8, 6, 2, &sql_used);
	}
	/* the SQL was read, not only the rollups */
	CHECK(sql_used);
}

/* The comparisons above covered every kind of count of "why". */
static void
why_was_counted(void)
{
	char err[256];
	struct metrics *m = metrics_compute(
	    db, "H21", 202610, month_end(202610) + 86400, 0, err, sizeof(err));
	const struct metric_figures *f;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	f = &m->total.fig;
	CHECK(m->nreason_codes == 6); /* the default instrument's */
	CHECK(metric_scope_reason(&m->total, REASON_A) > 10);
	CHECK(metric_scope_reason(&m->total, "old_reason") > 0);
	CHECK(f->reasons_given > 10 && f->visits_answered > 10);
	for (int i = 0; i < CHANNEL_COUNT; i++)
		CHECK(f->channel_ratings[i] > 10);
	CHECK(f->excluded[0] > 0);
	CHECK(m->total.counts.covered > 10);
	for (int i = 0; i < DCHANNEL_COUNT; i++)
		CHECK(f->dchannel_dossiers[i] > 10);
	metrics_free(m);
}

static void
property(void)
{
	char err[256], path[128];
	char cerr[256];
	struct change ch = { "test", LANG_EN, cerr, sizeof(cerr) };

	snprintf(path, sizeof(path), "%s/prop.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0 ||
	    instrument_install_default(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		exit(2);
	}
	CHECK_INT(counters_add(db, &ch, "H21.228", 1, "Quầy 1"), 0);
	CHECK_INT(counters_add(db, &ch, "H21.228", 2, "Quầy 2"), 0);
	CHECK_INT(db_begin(db), 0);
	for (int i = 0; i < NDOSSIERS; i++) {
		snprintf(codes[i], sizeof(codes[i]), "H21.227-2610%02d-%04d",
		    1 + i % 28, i);
		if (i < NDOSSIERS - LATE_DOSSIERS)
			make_dossier(i, 1);
	}
	CHECK_INT(db_commit(db), 0);
	make_ratings();
	/* the feed brings dossiers that ratings already carry */
	CHECK_INT(db_begin(db), 0);
	for (int i = NDOSSIERS - LATE_DOSSIERS; i < NDOSSIERS; i++)
		make_dossier(i, 1);
	CHECK_INT(db_commit(db), 0);
	compare_all();
	/* well after every month, the dossier rollups were read */
	CHECK(dossier_rollup_reads >= 40);
	why_was_counted();

	/* staff change statuses both ways; feeds send newer versions */
	for (int i = 0; i < 300; i++) {
		static const enum rating_status st[] = { STATUS_VALID,
			STATUS_SPAM, STATUS_MISUSE, STATUS_DUPLICATE,
			STATUS_BURST };

		CHECK(ratings_set_status(db, seqs[pick(NRATINGS)], st[pick(5)],
			  "prop", "test") >= 0);
	}
	CHECK_INT(db_begin(db), 0);
	for (int i = 0; i < 200; i++)
		make_dossier(pick(NDOSSIERS), 2 + i);
	CHECK_INT(db_commit(db), 0);
	compare_all();
	attribution_moves();
	tree_changes();
	running_month();
	parts_add_up();
	subtree_matches("rollup_subtree", "n1 + n2 + n3 + n4 + n5 > 0");
	subtree_matches("dossier_rollup_subtree", "dossiers > 0");
	older_never_overwrites();
	on_time_boundary();
	dossier_backfill_matches();
	backfill_matches();
	db_close(db);
}

int
main(void)
{
	log_set_level(LOG_WARN);
	RUN(property);
	return test_report("test_metrics_prop");
}
