/* gen.c -- a province of realistic data for the figures benchmark. */
/*
 * usage: gen DB [RATINGS] [DOSSIERS] [nation]
 *        (default 10,000,000 and 1,000,000)
 *
 * Writes a new database: the reference units and procedures, grown to 100
 * units under H21 (the real departments and communes, then synthetic
 * communes H21.9001...) and 2,000 procedures (the real ones, then
 * synthetic codes 9.000001...), three counters and two officers per
 * commune, RATINGS ratings and DOSSIERS dossiers spread over the twelve
 * months 2025-12 .. 2026-11.  Ratings go through ratings_insert() and the
 * writer's rollup hooks, so the hash chain and the rollups are exactly
 * what the server would have made; only durability is off (one
 * transaction per 100,000 rows, synchronous=OFF) because this is a
 * fixture, not ingest.  Distributions: units and procedures skewed (a few
 * busy ones, a long tail), levels 55/30/8/5/2 % from 5 down to 1, the
 * ballot's criteria answered by a third, a dossier code on one rating in
 * ten; dossiers 45 % online, most with a due date, some late, some
 * supplemented or corrected.  Deterministic: the same seed, the same
 * database.
 *
 * With "nation": one month, 2025-10 (old enough to fold), of the whole
 * country instead: 3,321 synthetic communes spread over the 34
 * provinces (H01.9001...), the ratings spread evenly over them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/rating.h"
#include "core/dossiers.h"
#include "core/instrument.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/rollup.h"
#include "core/store.h"

#define PROVINCE_UNITS 100
#define NATION_COMMUNES 3321
#define PROCEDURES 2000
#define TXN_ROWS 100000

/* units: the communes (and departments), then the province's own */
static int UNITS = PROVINCE_UNITS;
static int FIRST_MONTH = 202512;
static int MONTHS = 12;
static bool nation;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
below(int n)
{
	return (int)(next() % (uint64_t)n);
}

/* Skewed towards 0: the square of a uniform draw. */
static int
skewed(int n)
{
	double u = (double)(next() % 1000000) / 1000000.0;

	return (int)(u * u * n);
}

static char (*unit_codes)[16];
static char proc_codes[PROCEDURES][9];

static void
die(struct db *db, const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, db ? db_errmsg(db) : "");
	exit(1);
}

/* The province's departments and communes, grown to UNITS - 1, then H21. */
static void
province_units(struct db *db)
{
	struct db_stmt *st;
	int n = 0;

	st = db_query(db,
	    "SELECT code FROM units WHERE parent = 'H21' "
	    "ORDER BY code",
	    "");
	while (n < UNITS - 1 && st != NULL && db_step(st) == DB_ROW)
		snprintf(unit_codes[n++], sizeof(unit_codes[0]), "%s",
		    db_col_text(st, 0));
	db_done(st);
	for (int i = 9001; n < UNITS - 1; i++, n++) {
		char name[64];

		snprintf(unit_codes[n], sizeof(unit_codes[0]), "H21.%d", i);
		snprintf(name, sizeof(name), "UBND xã Thử nghiệm %d", i);
		if (db_run(db,
			"INSERT INTO units(code, name, level, parent) "
			"VALUES (?, ?, 'commune', 'H21')",
			"tt", unit_codes[n], name) < 0)
			die(db, "unit");
	}
	snprintf(unit_codes[n], sizeof(unit_codes[0]), "H21");
}

/* UNITS - 1 communes dealt round the provinces, then the first province. */
static void
nation_units(struct db *db)
{
	char prov[64][8];
	struct db_stmt *st;
	int np = 0, n;

	st = db_query(db,
	    "SELECT code FROM units WHERE level = 'province' ORDER BY code",
	    "");
	while (np < 64 && st != NULL && db_step(st) == DB_ROW)
		snprintf(prov[np++], sizeof(prov[0]), "%s", db_col_text(st, 0));
	db_done(st);
	if (np == 0)
		die(db, "no provinces");
	for (n = 0; n < UNITS - 1; n++) {
		char name[64];
		const char *p = prov[n % np];

		snprintf(unit_codes[n], sizeof(unit_codes[0]), "%s.%d", p,
		    9001 + n / np);
		snprintf(name, sizeof(name), "UBND xã Thử nghiệm %d", n);
		if (db_run(db,
			"INSERT INTO units(code, name, level, parent) "
			"VALUES (?, ?, 'commune', ?)",
			"ttt", unit_codes[n], name, p) < 0)
			die(db, "unit");
	}
	snprintf(unit_codes[n], sizeof(unit_codes[0]), "%s", prov[0]);
}

static void
units_and_procedures(struct db *db)
{
	struct db_stmt *st;
	int n;

	if (db_begin(db) < 0)
		die(db, "begin");
	if (nation)
		nation_units(db);
	else
		province_units(db);
	for (int u = 0; u < UNITS - 1; u++) {
		for (int k = 1; k <= 3; k++)
			if (db_run(db,
				"INSERT OR IGNORE INTO counters(unit, "
				"number, name) VALUES (?, ?, ?)",
				"tit", unit_codes[u], k, "Quầy") < 0)
				die(db, "counter");
		for (int k = 1; k <= 2; k++) {
			char id[32];

			snprintf(id, sizeof(id), "O%d-%d", u, k);
			if (db_run(db,
				"INSERT OR IGNORE INTO officers(id, unit, "
				"name, counter) VALUES (?, ?, ?, ?)",
				"ttti", id, unit_codes[u], "Cán bộ", k) < 0)
				die(db, "officer");
		}
	}
	n = 0;
	st = db_query(db, "SELECT code FROM procedures ORDER BY code", "");
	while (n < PROCEDURES && st != NULL && db_step(st) == DB_ROW)
		snprintf(proc_codes[n++], sizeof(proc_codes[0]), "%s",
		    db_col_text(st, 0));
	db_done(st);
	for (int i = 1; n < PROCEDURES; i++, n++) {
		char name[64];

		snprintf(proc_codes[n], sizeof(proc_codes[0]), "9.%06d", i);
		snprintf(name, sizeof(name), "Thủ tục thử nghiệm %d", i);
		if (db_run(db,
			"INSERT INTO procedures(code, name, field, level) "
			"VALUES (?, ?, 'Thử nghiệm', 'xa')",
			"tt", proc_codes[n], name) < 0)
			die(db, "procedure");
	}
	if (refdata_rebuild_tree(db) < 0 || db_commit(db) < 0)
		die(db, "commit");
}

/* The dossier code of dossier i (received in its month, at its unit). */
static void
dossier_code(int64_t i, int64_t received, char out[40])
{
	int y, m, d;

	civil_from_days((received + HL_TZ_OFFSET) / 86400, &y, &m, &d);
	snprintf(out, 40, "H21.G%02d-%02d%02d%02d-%06lld", (int)(i % 97),
	    y % 100, m, d, (long long)(i % 1000000));
}

static int64_t
random_instant(int month_index)
{
	int month = month_add(FIRST_MONTH, month_index);
	int64_t start = month_start(month), end = month_end(month);

	return start + (int64_t)(next() % (uint64_t)(end - start));
}

static void
dossiers(struct db *db, int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t received = random_instant((int)(i % MONTHS));
		int64_t due = received + (5 + below(11)) * 86400;
		int64_t finished = received + (1 + below(16)) * 86400;
		struct dossier d;
		int supp = below(100) < 18 ? (below(100) < 25 ? 2 : 1) : 0;

		if (i % TXN_ROWS == 0 && (i == 0 || db_commit(db) == 0) &&
		    db_begin(db) < 0)
			die(db, "begin");
		memset(&d, 0, sizeof(d));
		dossier_code(i, received, d.code);
		snprintf(d.procedure, sizeof(d.procedure), "%s",
		    proc_codes[skewed(PROCEDURES)]);
		snprintf(d.unit, sizeof(d.unit), "%s",
		    unit_codes[skewed(UNITS - 1)]);
		d.channel = below(100) < 45 ? 2 : 1;
		d.received_at = received;
		d.has_due = true;
		d.due_at = due;
		d.has_finished = true;
		d.finished_at = finished;
		d.supplement_requests = supp;
		d.supplement_seconds = supp ? 86400 * supp : 0;
		d.corrections = below(100) < 7 ? 1 : 0;
		d.full_online = below(100) < 30 ? 1 : 0;
		d.digitized = below(100) < 85 ? 1 : 0;
		d.complaint = below(1000) < 4 ? 1 : 0;
		d.updated_at = finished;
		/* as the feed's: the dossier rollups too */
		if (dossier_upsert(db, &d) < 0)
			die(db, "dossier");
	}
	if (n > 0 && db_commit(db) < 0)
		die(db, "commit");
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void
ratings(struct db *db, int64_t n, int64_t ndossiers)
{
	int block[1000];

	static const int level_cut[5] = { 2, 7, 15, 45, 100 }; /* 1..5 */
	struct chain_cursor cur = { 0 };
	void *batch = rollup_batch_new();

	for (int64_t i = 0; i < n; i++) {
		struct rating r;
		int64_t seq;
		int pct = below(100), u;

		/* the server's batches are small; so are the hook's here */
		if (i % 1000 == 0 && i % TXN_ROWS != 0 &&
		    rollup_flush(batch, db) < 0)
			die(db, "rollup");
		if (i % TXN_ROWS == 0) {
			if (i > 0 &&
			    (rollup_flush(batch, db) < 0 || db_commit(db) < 0))
				die(db, "commit");
			if (db_begin(db) < 0)
				die(db, "begin");
			fprintf(stderr, "\rgen: %lld of %lld ratings",
			    (long long)i, (long long)n);
		}
		/* a server receives a centre's ratings together: blocks of
		 * 1,000 in arrival order, grouped by unit */
		if (i % 1000 == 0) {
			for (int k = 0; k < 1000; k++)
				block[k] = nation ? below(UNITS - 1)
						  : skewed(UNITS - 1);
			qsort(block, 1000, sizeof(block[0]), cmp_int);
		}
		rating_init(&r);
		snprintf(r.id, sizeof(r.id), "g%012lld", (long long)i);
		u = block[i % 1000];
		snprintf(r.unit, sizeof(r.unit), "%s", unit_codes[u]);
		r.counter = 1 + below(3);
		snprintf(
		    r.officer, sizeof(r.officer), "O%d-%d", u, 1 + below(2));
		snprintf(r.procedure, sizeof(r.procedure), "%s",
		    proc_codes[skewed(PROCEDURES)]);
		r.channel = below(100) < 60 ? CHANNEL_KIOSK : CHANNEL_QR;
		for (r.level = 1; pct >= level_cut[r.level - 1]; r.level++)
			;
		if (below(3) == 0)
			for (int k = 0; k < RATING_CRITERIA; k++)
				r.criteria[k] = below(10) < 7 ? 2 : below(2);
		if (below(4) == 0)
			r.supplement_reported = below(5) == 0;
		if (below(10) == 0 && ndossiers > 0) {
			int64_t d = (int64_t)(next() % (uint64_t)ndossiers);

			/* the code of an existing dossier, any month */
			dossier_code(
			    d, random_instant((int)(d % MONTHS)), r.dossier);
		}
		/* rated in order, month after month, as a server sees them */
		r.rated_at = month_start(FIRST_MONTH) +
		    (month_end(month_add(FIRST_MONTH, MONTHS - 1)) -
			month_start(FIRST_MONTH)) *
			i / n;
		r.received_at = r.rated_at + below(30);
		snprintf(r.source, sizeof(r.source), "gen");
		if (ratings_insert(db, &r, &cur, &seq) < 0 ||
		    rollup_hook(batch, db, &r, seq) < 0)
			die(db, "rating");
	}
	if (n > 0 && (rollup_flush(batch, db) < 0 || db_commit(db) < 0))
		die(db, "commit");
	rollup_batch_free(batch);
	fprintf(stderr, "\rgen: %lld of %lld ratings\n", (long long)n,
	    (long long)n);
}

int
main(int argc, char **argv)
{
	int64_t nr = argc > 2 ? atoll(argv[2]) : 10000000;
	int64_t nd = argc > 3 ? atoll(argv[3]) : 1000000;
	char err[512];
	struct db *db;
	time_t t0 = time(NULL);

	if (argc < 2) {
		fprintf(
		    stderr, "usage: gen DB [RATINGS] [DOSSIERS] [nation]\n");
		return 2;
	}
	if (argc > 4 && strcmp(argv[4], "nation") == 0) {
		nation = true;
		UNITS = NATION_COMMUNES + 1;
		FIRST_MONTH = 202510;
		MONTHS = 1;
	}
	unit_codes = calloc((size_t)UNITS, sizeof(unit_codes[0]));
	if (unit_codes == NULL)
		return 1;
	db = store_open(argv[1], STORE_CREATE, err, sizeof(err));
	/* what 'hailong init' gives, so that 'hailong serve' takes it */
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    (store_current_kid(db) < 0 && store_new_token_key(db) < 0) ||
	    instrument_install_default(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "gen: %s\n", err);
		return 1;
	}
	/* a fixture, not ingest: no fsync, no checks of known parents */
	db_exec(db, "PRAGMA synchronous = OFF");
	db_exec(db, "PRAGMA foreign_keys = OFF");
	db_exec(db, "PRAGMA cache_size = -262144");
	units_and_procedures(db);
	dossiers(db, nd);
	ratings(db, nr, nd);
	db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	db_exec(db, "ANALYZE");
	db_close(db);
	fprintf(stderr,
	    "gen: %s: %lld ratings, %lld dossiers, %d units, %d "
	    "procedures in %lds\n",
	    argv[1], (long long)nr, (long long)nd, UNITS, PROCEDURES,
	    (long)(time(NULL) - t0));
	return 0;
}
