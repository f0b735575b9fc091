/* test_fold.c -- old months folded: rows gone, figures, links and anchors kept. */
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/dossiers.h"
#include "core/fold.h"
#include "core/counters.h"
#include "core/metrics.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/report.h"
#include "core/rollup.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/writer.h"
#include "test.h"

static struct db *db;
static uint64_t rng = 0x2545f4914f6cdd1dULL;

/*
 * The fold runs "on" 15/11/2026: N = 13 folds up to 09/2025.  In SQL
 * below, 1751302800, 1753981200, 1756659600 and 1759251600 are the
 * first instants of 07, 08, 09 and 10/2025 in +07:00.
 */
#define NOW_S "2026-11-15T12:00:00+07:00"
#define CUTOFF 202509

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

static int64_t
at(const char *s)
{
	int64_t t = 0;

	if (rfc3339_parse(s, strlen(s), &t) < 0)
		abort();
	return t;
}

static const char *const units[] = { "H21.227", "H21.228", "H21.01" };
static const char *const procs[] = { "1.001193", "1.003583", "1.004772" };
static const char *const officers[] = { "", "VC01", "VC02", "X9" };
/* months of the random data; 2025-07 has neither dossiers nor open
 * callbacks, so its fold takes every row and equals its rollups */
static const int months[] = { 202506, 202507, 202509, 202510, 202511 };

static void
noop(struct writer_job *job)
{
	(void)job;
}

/* Store n ratings in one batch through the writer's own path. */
static void
store(struct writer_job *jobs, int n)
{
	for (int k = 0; k < n; k++) {
		jobs[k].done = noop;
		jobs[k].next = k + 1 < n ? &jobs[k + 1] : NULL;
	}
	CHECK_INT(writer_store_batch(db, jobs, &rollup_hooks), 0);
}

static void
base(struct rating *r, const char *id, const char *unit, int level,
    int64_t rated_at)
{
	rating_init(r);
	strlcpy_hl(r->id, id, sizeof(r->id));
	strlcpy_hl(r->unit, unit, sizeof(r->unit));
	r->channel = CHANNEL_IMPORT;
	r->level = level;
	r->rated_at = rated_at;
	r->received_at = rated_at + 60;
	r->client_time = true;
	r->status = STATUS_VALID;
	strcpy(r->source, "test");
}

/* Random ratings over the months above, some with comments, phones,
 * dossiers and flags. */
static void
random_ratings(int n)
{
	static struct writer_job jobs[50];
	static int made;

	for (int i = 0; i < n; i += 50) {
		for (int k = 0; k < 50; k++) {
			struct rating *r = &jobs[k].rating;
			int month = months[pick(5)];
			int64_t t = month_start(month) +
			    pick((int)(month_end(month) - month_start(month)));
			char id[32];

			memset(&jobs[k], 0, sizeof(jobs[k]));
			snprintf(id, sizeof(id), "rnd-%d", made++);
			base(r, id, units[pick(3)], 1 + pick(5), t);
			r->counter = pick(4);
			strcpy(r->officer, officers[pick(4)]);
			if (pick(5) != 0)
				strcpy(r->procedure, procs[pick(3)]);
			if (month != 202507 && pick(4) == 0)
				snprintf(r->dossier, sizeof(r->dossier),
				    "H21.227-2508%02d-%04d", 1 + pick(28),
				    pick(40));
			for (int c = 0; c < RATING_CRITERIA; c++)
				r->criteria[c] = pick(4) - 1;
			r->supplement_reported = pick(3) - 1;
			r->online_error_reported = pick(3) - 1;
			r->visits = pick(3) == 0 ? 1 + pick(4) : -1;
			/* what "why" counts: channels and reasons */
			r->channel = (enum rating_channel)pick(4);
			/* inclusion, from what was drawn (no new draws: the
			 * sequence, and the counts below, stay as they were) */
			r->requester =
			    (enum rating_requester)((r->criteria[0] + 1) % 3);
			r->assisted = r->criteria[1] == 2;
			if (r->level <= 3 && pick(2) == 0)
				strcpy(r->reasons,
				    pick(2) ? "wait,attitude" : "online");
			if (pick(3) == 0)
				r->comment = xstrdup("ý kiến 0912 345 678");
			if (pick(6) == 0) {
				strcpy(r->phone, "0912345678");
				r->consent_version = 1;
			}
			r->status = pick(12) == 0 ? STATUS_BURST : STATUS_VALID;
		}
		store(jobs, 50);
		for (int k = 0; k < 50; k++) {
			CHECK_INT(jobs[k].result, WRITER_STORED);
			rating_release(&jobs[k].rating);
		}
	}
}

/*
 * 2025-08 by hand, with what each row must become:
 *   a1 valid 5, comment                    deleted, comment too
 *   a2 valid 4, callback closed            deleted, callback, consent
 *   a3 spam 1 (marked later), comment      deleted, not counted
 *   a4 valid 2, dossier D1                 kept: a dossier's low rating
 *   a5 spam 1, dossier D2 (marked later)   kept: whatever its status
 *   a6 valid 4, dossier D3                 deleted: not low
 *   a7 valid 3, callback open              held until closed
 *   a8 burst 5                             deleted, not counted
 *   a9 valid 5, stored last of all         deleted (the last seq)
 */
static int64_t seq_of[10];

static void
hand_month(bool last)
{
	static struct writer_job jobs[9];
	int64_t t = at("2025-08-10T09:00:00+07:00");
	int n = 0;

	memset(jobs, 0, sizeof(jobs));
	if (last) {
		base(&jobs[0].rating, "a9", "H21.227", 5, t + 9 * 3600);
		store(jobs, 1);
		CHECK_INT(jobs[0].result, WRITER_STORED);
		seq_of[9] = jobs[0].seq;
		rating_release(&jobs[0].rating);
		return;
	}
	base(&jobs[n].rating, "a1", "H21.227", 5, t + 1 * 3600);
	jobs[n].rating.counter = 1;
	strcpy(jobs[n].rating.officer, "VC01");
	strcpy(jobs[n].rating.procedure, "1.001193");
	jobs[n++].rating.comment = xstrdup("rất tốt");
	base(&jobs[n].rating, "a2", "H21.227", 4, t + 2 * 3600);
	strcpy(jobs[n].rating.phone, "0912345678");
	jobs[n++].rating.consent_version = 1;
	base(&jobs[n].rating, "a3", "H21.227", 1, t + 3 * 3600);
	jobs[n++].rating.comment = xstrdup("quảng cáo");
	base(&jobs[n].rating, "a4", "H21.227", 2, t + 4 * 3600);
	strcpy(jobs[n++].rating.dossier, "H21.227-250810-0001");
	base(&jobs[n].rating, "a5", "H21.227", 1, t + 5 * 3600);
	strcpy(jobs[n++].rating.dossier, "H21.227-250810-0002");
	base(&jobs[n].rating, "a6", "H21.227", 4, t + 6 * 3600);
	strcpy(jobs[n++].rating.dossier, "H21.227-250810-0003");
	base(&jobs[n].rating, "a7", "H21.227", 3, t + 7 * 3600);
	strcpy(jobs[n].rating.phone, "0987654321");
	jobs[n++].rating.consent_version = 1;
	base(&jobs[n].rating, "a8", "H21.227", 5, t + 8 * 3600);
	jobs[n++].rating.status = STATUS_BURST;
	store(jobs, n);
	for (int k = 0; k < n; k++) {
		CHECK_INT(jobs[k].result, WRITER_STORED);
		seq_of[k + 1] = jobs[k].seq;
		rating_release(&jobs[k].rating);
	}
	CHECK_INT(ratings_set_status(db, seq_of[3], STATUS_SPAM, "t", "x"), 0);
	CHECK_INT(ratings_set_status(db, seq_of[5], STATUS_SPAM, "t", "x"), 0);
	CHECK_INT(db_run(db,
		      "UPDATE callbacks SET status = 'closed', "
		      "closed_at = 1 WHERE rating_seq = ?",
		      "l", seq_of[2]),
	    0);
}

static int64_t
count(const char *sql)
{
	int64_t n = -1;

	CHECK_INT(db_int(db, &n, sql, ""), 0);
	return n;
}

static bool
exists(const char *table, int64_t seq)
{
	int64_t one;
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE seq = ?", table);
	return db_int(db, &one, sql, "l", seq) == 0;
}

static char *
figures(const char *unit, int month, int64_t as_of, unsigned how)
{
	char err[256];
	struct metrics *m =
	    metrics_compute(db, unit, month, as_of, how, err, sizeof(err));
	char *s;

	if (m == NULL) {
		FAIL_AT("metrics_compute %s %d: %s", unit, month, err);
		return xstrdup("");
	}
	s = metrics_dumps(m, false);
	metrics_free(m);
	return s;
}

/* Every unit, month and T: its figures (both paths), in one string. */
#define NSNAP 7
static char *
snapshot(void)
{
	static const char *const scopes[] = { "H21", "H21.227", "H21.228",
		"H21.01" };
	static const int all[NSNAP] = { 202506, 202507, 202508, 202509, 202510,
		202511, 202512 };
	struct buf b = { 0 };

	for (size_t u = 0; u < ARRAY_SIZE(scopes); u++)
		for (int k = 0; k < NSNAP; k++) {
			int64_t end = month_end(all[k]);
			const int64_t ts[] = { end, end + 86400 * 3,
				end + 86400 * 500 };

			for (size_t t = 0; t < ARRAY_SIZE(ts); t++)
				for (unsigned how = 0; how < 4; how++) {
					char *a = figures(
					    scopes[u], all[k], ts[t], how);

					buf_puts(&b, a);
					buf_putc(&b, '\n');
					free(a);
				}
		}
	return buf_detach(&b, NULL);
}

/* Rollups and raw rows (with folded counts) agree, scope by scope. */
static void
paths_agree(void)
{
	static const char *const scopes[] = { "H21", "H21.227", "H21.228",
		"H21.01" };

	for (size_t u = 0; u < ARRAY_SIZE(scopes); u++)
		for (int month = 202506; month <= 202512; month++)
			for (unsigned only = 0; only < 2; only++) {
				int64_t t = month_end(month) + 86400;
				unsigned how = only ? METRICS_UNIT_ONLY : 0;
				char *a = figures(scopes[u], month, t, how);
				char *b = figures(scopes[u], month, t,
				    how | METRICS_RECOMPUTE);

				test_checks++;
				if (strcmp(a, b) != 0)
					FAIL_AT("%s %d only %u: rollups and "
						"raw differ:\n%s\n%s",
					    scopes[u], month, only, a, b);
				free(a);
				free(b);
			}
}

static void
chain_intact(int64_t rows, int64_t folded)
{
	struct chain_check cc;
	int rc = ratings_verify_chain(db, &cc);

	CHECK_INT(rc, 0);
	if (rc != 0)
		fprintf(stderr, "  broken at %lld: %s\n", (long long)cc.bad_seq,
		    cc.why);
	if (rows >= 0)
		CHECK_INT(cc.rows, rows);
	if (folded >= 0)
		CHECK_INT(cc.folded, folded);
}

static void
chain_broken(int64_t bad_seq, const char *why)
{
	struct chain_check cc;

	CHECK_INT(ratings_verify_chain(db, &cc), 1);
	if (bad_seq >= 0)
		CHECK_INT(cc.bad_seq, bad_seq);
	if (strstr(cc.why, why) == NULL)
		FAIL_AT("broken because '%s', want '%s'", cc.why, why);
	test_checks++;
}

static char *
report_of(const char *unit, int month)
{
	char err[256];
	json_t *doc = report_build(
	    db, unit, month, month_end(month) + 86400 * 10, err, sizeof(err));
	size_t len;
	char *s;

	if (doc == NULL) {
		FAIL_AT("report_build: %s", err);
		return xstrdup("");
	}
	s = report_dumps(doc, &len);
	json_decref(doc);
	return s;
}

static void
fold_everything(void)
{
	struct fold_policy p = { 0 };
	struct fold_result dry, r, again;
	char err[256], *before, *after, *rep_before[3], *rep_after;
	static const int rep_months[3] = { 202507, 202508, 202509 };
	int64_t n_ratings, n_texts, n_callbacks, n_consents, seq;
	unsigned char head_before[SHA256_LEN], head[SHA256_LEN];
	int64_t head_seq_before, kept_raw, in_rollups;
	char cerr[256];
	struct change ch = { "test", LANG_EN, cerr, sizeof(cerr) };

	db_exec(db,
	    "INSERT INTO consent_texts VALUES (1, 'callback', 'vi', 'en', 90, "
	    "0)");
	for (int i = 0; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof(name), "Quầy %d", 1 + i % 3);
		CHECK_INT(counters_add(db, &ch, i < 3 ? "H21.228" : "H21.01",
			      1 + i % 3, name),
		    0);
	}
	random_ratings(1500);
	hand_month(false);
	random_ratings(500);
	/* every random callback of 2025-07 is closed: that month folds whole */
	CHECK_INT(db_exec(db,
		      "UPDATE callbacks SET status = 'closed', closed_at = 1 "
		      "WHERE rating_seq IN (SELECT seq FROM ratings WHERE "
		      "rated_at >= 1751302800 AND rated_at < 1753981200)"),
	    0);
	/* staff mark some as spam and clear some flags */
	for (int i = 0; i < 200; i++) {
		int64_t s =
		    1 + pick((int)count("SELECT max(seq) FROM ratings"));

		ratings_set_status(
		    db, s, pick(3) ? STATUS_SPAM : STATUS_VALID, "t", "x");
	}
	hand_month(true); /* a late rating of 2025-08: the highest seq */
	CHECK_INT(ratings_chain_head(db, &head_seq_before, head_before), 0);
	CHECK_INT(head_seq_before, seq_of[9]);

	paths_agree();
	before = snapshot();
	for (int i = 0; i < 3; i++)
		rep_before[i] = report_of("H21", rep_months[i]);
	n_ratings = count("SELECT count(*) FROM ratings");
	n_texts = count("SELECT count(*) FROM rating_texts");
	n_callbacks = count("SELECT count(*) FROM callbacks");
	n_consents = count("SELECT count(*) FROM consents");
	chain_intact(n_ratings, 0);

	/* the least N is 13 */
	p.now = at(NOW_S);
	p.actor = "cli:test";
	p.months = 12;
	CHECK_INT(fold_run(db, &p, &r, err, sizeof(err)), -1);
	CHECK(strstr(err, "from 13") != NULL);

	/* a dry run counts and changes nothing, the horizon neither */
	p.months = 13;
	p.dry_run = true;
	CHECK_INT(fold_run(db, &p, &dry, err, sizeof(err)), 0);
	CHECK_INT(dry.cutoff, CUTOFF);
	CHECK_INT(fold_horizon(db), 0);
	CHECK_INT(count("SELECT count(*) FROM ratings"), n_ratings);
	CHECK_INT(count("SELECT count(*) FROM ratings_folded"), 0);
	CHECK_INT(count("SELECT count(*) FROM rating_folds"), 0);

	/* the run, in folds of 97 ratings at most: large months take
	 * several transactions, the dry run (one read) said the same */
	p.dry_run = false;
	p.chunk = 97;
	kept_raw = count(
	    "SELECT count(*) FROM ratings WHERE rated_at < 1759251600 AND "
	    "dossier IS NOT NULL AND level <= 2");
	CHECK_INT(fold_run(db, &p, &r, err, sizeof(err)), 0);
	if (err[0] != '\0' && r.folded == 0)
		fprintf(stderr, "  fold: %s\n", err);
	CHECK_INT(r.cutoff, CUTOFF);
	CHECK_INT(r.horizon, CUTOFF);
	CHECK_INT(fold_horizon(db), CUTOFF);
	CHECK_INT(r.first, 202506);
	CHECK_INT(r.last, 202509);
	CHECK_INT(r.months, 4);
	/* the dry run said exactly this */
	CHECK_INT(dry.folded, r.folded);
	CHECK_INT(dry.valid, r.valid);
	CHECK_INT(dry.kept, r.kept);
	CHECK_INT(dry.held, r.held);
	CHECK_INT(dry.texts, r.texts);
	CHECK_INT(dry.callbacks, r.callbacks);
	CHECK_INT(dry.consents, r.consents);
	CHECK_INT(r.kept, kept_raw);
	CHECK(r.held >= 1); /* a7 at least */
	CHECK(count("SELECT count(*) FROM rating_folds WHERE month = 202507") >
	    2);
	CHECK_INT(count("SELECT max(folded) FROM rating_folds"), 97);
	/* the folded ratings' reasons and excluded ones are counted too */
	CHECK(count("SELECT count(*) FROM folded_reason") > 10);
	CHECK(count("SELECT sum(x_burst) FROM folded_procedure") > 5);

	/* rows: what the counts say went, went, and nothing else */
	CHECK_INT(count("SELECT count(*) FROM ratings"), n_ratings - r.folded);
	CHECK_INT(count("SELECT count(*) FROM ratings_folded"), r.folded);
	CHECK_INT(
	    count("SELECT count(*) FROM rating_texts"), n_texts - r.texts);
	CHECK_INT(
	    count("SELECT count(*) FROM callbacks"), n_callbacks - r.callbacks);
	CHECK_INT(
	    count("SELECT count(*) FROM consents"), n_consents - r.consents);
	CHECK_INT(count("SELECT count(*) FROM ratings WHERE rated_at < "
			"1759251600 AND NOT (dossier IS NOT NULL AND level <= "
			"2) AND NOT EXISTS (SELECT 1 FROM callbacks c WHERE "
			"c.rating_seq = ratings.seq AND c.status = 'open')"),
	    0);
	CHECK_INT(count("SELECT count(*) FROM ratings WHERE rated_at < "
			"1759251600 AND dossier IS NOT NULL AND level <= 2"),
	    kept_raw);
	CHECK_INT(count("SELECT count(*) FROM ratings WHERE rated_at >= "
			"1759251600 AND seq IN (SELECT seq FROM "
			"ratings_folded)"),
	    0);
	/* the hand-made month, row by row */
	CHECK(!exists("ratings", seq_of[1]) &&
	    exists("ratings_folded", seq_of[1]));
	CHECK(!exists("rating_texts", seq_of[1]));
	CHECK(!exists("ratings", seq_of[2]));
	CHECK_INT(count("SELECT count(*) FROM callbacks c JOIN ratings_folded "
			"f ON f.seq = c.rating_seq"),
	    0);
	CHECK(!exists("ratings", seq_of[3]) &&
	    !exists("rating_texts", seq_of[3]));
	CHECK(exists("ratings", seq_of[4]) &&
	    !exists("ratings_folded", seq_of[4]));
	CHECK(exists("ratings", seq_of[5]));
	CHECK(!exists("ratings", seq_of[6]));
	CHECK(exists("ratings", seq_of[7]) &&
	    !exists("ratings_folded", seq_of[7]));
	CHECK(!exists("ratings", seq_of[8]));
	CHECK(!exists("ratings", seq_of[9]) &&
	    exists("ratings_folded", seq_of[9]));
	/* 2025-07 folded whole: its counts are its rollups' */
	CHECK_INT(count("SELECT count(*) FROM ratings WHERE rated_at >= "
			"1751302800 AND rated_at < 1753981200"),
	    0);
	CHECK_INT(
	    count("SELECT count(*) FROM (SELECT " /* folded minus rollup */
		  "unit, month, procedure, sum(n1), sum(n2), sum(n3), "
		  "sum(n4), sum(n5), sum(ballot_n), sum(ballot_sum), "
		  "sum(c1_n), sum(c9_sum), sum(officer_n), "
		  "sum(officer_sum), sum(supplement_yes), "
		  "sum(online_error_answered) FROM folded_procedure "
		  "WHERE month = 202507 GROUP BY unit, month, procedure "
		  "EXCEPT SELECT unit, month, procedure, n1, n2, n3, n4, "
		  "n5, ballot_n, ballot_sum, c1_n, c9_sum, officer_n, "
		  "officer_sum, supplement_yes, online_error_answered "
		  "FROM rollup_procedure WHERE month = 202507)"),
	    0);
	CHECK_INT(
	    count("SELECT count(*) FROM (SELECT unit, month, procedure, "
		  "n1, n2, n3, n4, n5, ballot_n, ballot_sum, c1_n, "
		  "c9_sum, officer_n, officer_sum, supplement_yes, "
		  "online_error_answered FROM rollup_procedure WHERE "
		  "month = 202507 AND n1 + n2 + n3 + n4 + n5 > 0 EXCEPT "
		  "SELECT unit, month, procedure, sum(n1), sum(n2), "
		  "sum(n3), sum(n4), sum(n5), sum(ballot_n), "
		  "sum(ballot_sum), sum(c1_n), sum(c9_sum), "
		  "sum(officer_n), sum(officer_sum), sum(supplement_yes), "
		  "sum(online_error_answered) FROM folded_procedure "
		  "WHERE month = 202507 GROUP BY unit, month, procedure)"),
	    0);
	CHECK_INT(
	    count("SELECT count(*) FROM (SELECT unit, counter, officer, "
		  "sum(n1), sum(n5), sum(c4_sum), sum(officer_n) FROM "
		  "folded_staff WHERE month = 202507 GROUP BY unit, "
		  "counter, officer EXCEPT SELECT unit, counter, officer, "
		  "n1, n5, c4_sum, officer_n FROM rollup_staff WHERE "
		  "month = 202507)"),
	    0);
	in_rollups = count("SELECT sum(n1 + n2 + n3 + n4 + n5) FROM "
			   "rollup_procedure WHERE month = 202507");
	CHECK(in_rollups > 50);
	CHECK_INT(count("SELECT sum(n1 + n2 + n3 + n4 + n5) FROM "
			"folded_procedure WHERE month = 202507"),
	    in_rollups);
	/* 2025-08's H21.227 by hand: a1 5, a2 4, a4 2, a6 4, a7 3, a9 5 are
	 * valid, a3 a5 spam, a8 burst: N = 6, levels 0 1 1 2 2 (plus the
	 * random ones) -- the folded part is a1 a2 a6 a9 */
	CHECK_INT(count("SELECT count(*) FROM rating_folds WHERE month = "
			"202508"),
	    1);
	CHECK_INT(count("SELECT folded - (SELECT count(*) FROM ratings_folded "
			"WHERE fold = f.id) FROM rating_folds f WHERE month = "
			"202508"),
	    0);

	/* every figure, both paths, every T: the same bytes as before */
	after = snapshot();
	CHECK_STR(after, before);
	paths_agree();
	/* the signed reports' anchors: rebuilt, the same bytes */
	for (int i = 0; i < 3; i++) {
		rep_after = report_of("H21", rep_months[i]);
		CHECK_STR(rep_after, rep_before[i]);
		free(rep_after);
	}
	/* one of them was anchored on a rating folded now */
	CHECK_INT(count("SELECT count(*) FROM ratings_folded WHERE seq = "
			"(SELECT max(seq) FROM ratings_folded WHERE rated_at < "
			"1756659600)"),
	    1);
	/* a T inside a folded month is refused, with the reason */
	{
		struct metrics *m = metrics_compute(db, "H21.227", 202508,
		    at("2025-08-20T00:00:00+07:00"), 0, err, sizeof(err));

		CHECK(m == NULL);
		CHECK(strstr(err, "2025-08 are folded") != NULL);
		metrics_free(m);
		/* before the month began: nothing was rated yet */
		m = metrics_compute(db, "H21.227", 202508,
		    at("2025-07-20T00:00:00+07:00"), 0, err, sizeof(err));
		CHECK(m != NULL && m->total.counts.by_level[4] == 0);
		metrics_free(m);
	}
	/* the chain: every stored row and folded link */
	chain_intact(n_ratings - r.folded, r.folded);
	CHECK_INT(ratings_chain_head(db, &seq, head), 0);
	CHECK_INT(seq, head_seq_before);
	CHECK(memcmp(head, head_before, SHA256_LEN) == 0);

	/* the same run again finds nothing new */
	CHECK_INT(fold_run(db, &p, &again, err, sizeof(err)), 0);
	CHECK_INT(again.folded, 0);
	CHECK_INT(again.months, 0);
	CHECK_INT(again.held, r.held);

	/* a7's callback closed: the next run folds it too, a second fold of
	 * 2025-08 */
	CHECK_INT(db_run(db,
		      "UPDATE callbacks SET status = 'closed', closed_at = 1 "
		      "WHERE rating_seq = ?",
		      "l", seq_of[7]),
	    0);
	CHECK_INT(fold_run(db, &p, &again, err, sizeof(err)), 0);
	CHECK(again.folded >= 1);
	CHECK(!exists("ratings", seq_of[7]));
	CHECK_INT(count("SELECT count(*) FROM rating_folds WHERE month = "
			"202508"),
	    2);
	chain_intact(-1, r.folded + again.folded);
	paths_agree();
	free(after);
	after = snapshot();
	CHECK_STR(after, before);
	free(after);
	free(before);
	for (int i = 0; i < 3; i++)
		free(rep_before[i]);
}

/* After the fold: what the writer takes and refuses. */
static void
ingest_after(void)
{
	struct writer_job jobs[4];
	struct chain_check cc;
	int64_t head_seq;
	unsigned char head[SHA256_LEN];

	CHECK_INT(ratings_chain_head(db, &head_seq, head), 0);
	memset(jobs, 0, sizeof(jobs));
	/* a new rating of a folded month */
	base(&jobs[0].rating, "late-2", "H21.227", 4,
	    at("2025-09-30T23:59:59+07:00"));
	/* a1 sent again: its key is gone with it, so it cannot be a
	 * duplicate -- refused, not counted twice */
	base(&jobs[1].rating, "a1", "H21.227", 5,
	    at("2025-08-10T10:00:00+07:00"));
	jobs[1].rating.counter = 1;
	strcpy(jobs[1].rating.officer, "VC01");
	strcpy(jobs[1].rating.procedure, "1.001193");
	jobs[1].rating.comment = xstrdup("rất tốt");
	/* a4 sent again: kept raw, so a duplicate as ever */
	base(&jobs[2].rating, "a4", "H21.227", 2,
	    at("2025-08-10T13:00:00+07:00"));
	strcpy(jobs[2].rating.dossier, "H21.227-250810-0001");
	/* the first month after the horizon is open */
	base(&jobs[3].rating, "new-1", "H21.227", 5,
	    at("2025-10-01T00:00:00+07:00"));
	store(jobs, 4);
	CHECK_INT(jobs[0].result, WRITER_FOLDED);
	CHECK_INT(jobs[1].result, WRITER_FOLDED);
	CHECK_INT(jobs[2].result, WRITER_DUPLICATE);
	CHECK_INT(jobs[2].seq, seq_of[4]);
	CHECK_INT(jobs[3].result, WRITER_STORED);
	/* after a folded last row, the next seq still follows the chain */
	CHECK_INT(jobs[3].seq, head_seq + 1);
	for (int k = 0; k < 4; k++)
		rating_release(&jobs[k].rating);
	CHECK_INT(ratings_verify_chain(db, &cc), 0);
	/* a kept row's status can still change, a folded one's cannot */
	CHECK_INT(ratings_set_status(db, seq_of[4], STATUS_SPAM, "t", "x"), 0);
	CHECK_INT(ratings_set_status(db, seq_of[1], STATUS_SPAM, "t", "x"), 1);
	paths_agree();
}

/* The ratings (valid or excluded) of procedure `proc` in H21.227's own
 * month. */
static int64_t
proc_in(int month, const char *proc, int64_t as_of, unsigned how, bool *rollups)
{
	char err[256];
	struct metrics *m = metrics_compute(db, "H21.227", month, as_of,
	    how | METRICS_UNIT_ONLY, err, sizeof(err));
	int64_t n = 0;

	if (m == NULL) {
		FAIL_AT("metrics_compute: %s", err);
		return -1;
	}
	/* valid or not: a flagged rating is "excluded" under it */
	for (size_t i = 0; i < m->procedures.n; i++) {
		const struct metric_scope *sc = &m->procedures.v[i];

		if (strcmp(sc->code, proc) != 0)
			continue;
		n = sc->fig.ratings;
		for (int k = 0; k < EXCLUDED_COUNT; k++)
			n += sc->counts.excluded[k];
	}
	if (rollups != NULL)
		*rollups = m->rollups;
	metrics_free(m);
	return n;
}

static int64_t
august(const char *proc, int64_t as_of, unsigned how, bool *rollups)
{
	return proc_in(202508, proc, as_of, how, rollups);
}

static void
send_dossier(
    const char *code, const char *proc, const char *received, int64_t version)
{
	struct dossier d;

	memset(&d, 0, sizeof(d));
	strcpy(d.code, code);
	strcpy(d.procedure, proc);
	strcpy(d.unit, "H21.227");
	d.channel = 1;
	d.received_at = at(received);
	d.updated_at = 1900000000 + version;
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(dossier_upsert(db, &d), 0);
	CHECK_INT(db_commit(db), 0);
}

/*
 * A folded rating without a procedure still follows its dossier
 * (folded_dossier): a6 (valid 4, D3, H21.227, folded) counts for P1 when
 * D3 arrives after the fold under P1, for P2 when it is re-sent under
 * P2; a dossier received after the month's end lends nothing "as of" the
 * end.  Each time rollups and raw rows (with folded counts) agree.
 */
static void
dossier_after_fold(void)
{
	static const char d3[] = "H21.227-250810-0003";
	int64_t lent, p1, p2, t = month_end(202508) + 86400 * 20;
	char late[40] = "", when[26];
	int month = 0;
	bool rollups;
	struct db_stmt *st;

	CHECK(!exists("ratings", seq_of[6]));
	/* what D3 will lend: folded rows, and any raw row kept */
	lent = count("SELECT coalesce(sum(n1 + n2 + n3 + n4 + n5 + x_burst + "
		     "x_duplicate + x_misuse + x_spam), 0) FROM "
		     "folded_dossier WHERE unit = 'H21.227' AND "
		     "dossier = 'H21.227-250810-0003'") +
	    count("SELECT count(*) FROM ratings WHERE unit = 'H21.227' AND "
		  "dossier = 'H21.227-250810-0003' AND procedure IS NULL AND "
		  "rated_at < 1756659600");
	CHECK(lent >= 1); /* a6 */
	p1 = august(procs[0], t, 0, NULL);
	p2 = august(procs[1], t, 0, NULL);
	send_dossier(d3, procs[0], "2025-08-09T08:00:00+07:00", 1);
	CHECK_INT(august(procs[0], t, 0, &rollups), p1 + lent);
	CHECK(rollups);
	CHECK_INT(august(procs[0], t, METRICS_RECOMPUTE, NULL), p1 + lent);
	CHECK_INT(august(procs[1], t, 0, NULL), p2);
	paths_agree();
	send_dossier(d3, procs[1], "2025-08-09T08:00:00+07:00", 2);
	CHECK_INT(august(procs[0], t, 0, NULL), p1);
	CHECK_INT(august(procs[1], t, 0, NULL), p2 + lent);
	CHECK_INT(august(procs[1], t, METRICS_RECOMPUTE, NULL), p2 + lent);
	paths_agree();
	/* another folded code, its dossier received after its month */
	st = db_query(db,
	    "SELECT dossier, month FROM folded_dossier WHERE unit = "
	    "'H21.227' AND dossier <> ? ORDER BY month, dossier LIMIT 1",
	    "t", d3);
	if (st != NULL && db_step(st) == DB_ROW) {
		strlcpy_hl(late, db_col_text(st, 0), sizeof(late));
		month = (int)db_col_int(st, 1);
	}
	db_done(st);
	CHECK(late[0] != '\0');
	if (late[0] == '\0')
		return;
	t = month_end(month) + 86400 * 20;
	p1 = proc_in(month, procs[2], t, 0, NULL);
	rfc3339_format(month_end(month) + 86400 * 4, when);
	send_dossier(late, procs[2], when, 3);
	CHECK(proc_in(month, procs[2], t, 0, &rollups) > p1);
	CHECK(rollups);
	/* as of the month's end: not known yet, from the raw rows */
	CHECK_INT(proc_in(month, procs[2], month_end(month), 0, &rollups), p1);
	CHECK(!rollups);
	CHECK_INT(
	    proc_in(month, procs[2], month_end(month), METRICS_RECOMPUTE, NULL),
	    p1);
	paths_agree();
}

/* What the delete trigger lets through: nothing but a fold. */
static void
no_delete(void)
{
	int64_t n = count("SELECT count(*) FROM ratings"), fold;

	CHECK_INT(db_exec(db, "DELETE FROM ratings"), -1);
	CHECK_INT(
	    db_run(db, "DELETE FROM ratings WHERE seq = ?", "l", seq_of[4] + 1),
	    -1);
	/* an open fold alone is not enough: the link must be kept first */
	fold = count("SELECT max(id) FROM rating_folds");
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(db_run(db, "INSERT INTO ratings_fold_open VALUES (?, 202508)",
		      "l", fold),
	    0);
	CHECK_INT(db_exec(db,
		      "DELETE FROM ratings WHERE rated_at < "
		      "1759251600"),
	    -1);
	/* and even with its link kept, a dossier's low rating stays */
	CHECK_INT(db_run(db,
		      "INSERT INTO ratings_folded SELECT seq, rated_at, ?, "
		      "chain FROM ratings WHERE seq = ?",
		      "ll", fold, seq_of[4]),
	    0);
	CHECK_INT(
	    db_run(db, "DELETE FROM ratings WHERE seq = ?", "l", seq_of[4]),
	    -1);
	db_rollback(db);
	CHECK_INT(count("SELECT count(*) FROM ratings"), n);
	CHECK_INT(count("SELECT count(*) FROM ratings_fold_open"), 0);
	/* folded links and counts are kept as they are */
	CHECK_INT(db_exec(db, "DELETE FROM ratings_folded"), -1);
	CHECK_INT(db_exec(db, "UPDATE ratings_folded SET fold = fold"), -1);
	CHECK_INT(db_exec(db, "DELETE FROM folded_procedure"), -1);
	CHECK_INT(db_exec(db, "UPDATE folded_staff SET n1 = n1 + 1"), -1);
	CHECK_INT(db_exec(db, "DELETE FROM rating_folds"), -1);
}

/* Tampering the tests above did not: each is found. */
static void
tamper(void)
{
	int64_t kept = seq_of[5], f = seq_of[1], fold, last;
	char sql[256], err[256];
	json_t *doc;

	chain_intact(-1, -1);
	/* a kept row edited */
	db_exec(db, "DROP TRIGGER ratings_immutable");
	CHECK_INT(
	    db_run(db, "UPDATE ratings SET level = 3 WHERE seq = ?", "l", kept),
	    0);
	chain_broken(kept, "does not hash");
	CHECK_INT(
	    db_run(db, "UPDATE ratings SET level = 1 WHERE seq = ?", "l", kept),
	    0);
	chain_intact(-1, -1);

	/* a folded link deleted: its seq is missing */
	db_exec(db, "DROP TRIGGER ratings_folded_no_delete");
	db_exec(db, "DROP TRIGGER ratings_folded_no_update");
	db_exec(db, "CREATE TEMP TABLE saved AS SELECT * FROM ratings_folded");
	CHECK_INT(
	    db_run(db, "DELETE FROM ratings_folded WHERE seq = ?", "l", f), 0);
	chain_broken(f, "missing");
	CHECK_INT(db_run(db,
		      "INSERT INTO ratings_folded SELECT * FROM temp.saved "
		      "WHERE seq = ?",
		      "l", f),
	    0);
	chain_intact(-1, -1);

	/* a fake folded link where a stored row is */
	fold = count("SELECT max(id) FROM rating_folds");
	CHECK_INT(db_run(db,
		      "INSERT INTO ratings_folded SELECT seq, rated_at, ?, "
		      "chain FROM ratings WHERE seq = ?",
		      "ll", fold, kept),
	    0);
	chain_broken(kept, "both stored and folded");
	CHECK_INT(
	    db_run(db, "DELETE FROM ratings_folded WHERE seq = ?", "l", kept),
	    0);
	/* a fake folded link after the last row, under a real fold: the
	 * fold's count and digest give it away */
	last = count("SELECT max(seq) FROM ratings");
	snprintf(sql, sizeof(sql),
	    "INSERT INTO ratings_folded VALUES (%lld, %lld, (SELECT id FROM "
	    "rating_folds WHERE month = 202508 LIMIT 1), zeroblob(32))",
	    (long long)last + 1, (long long)at("2025-08-01T00:00:00+07:00"));
	CHECK_INT(db_exec(db, sql), 0);
	chain_broken(-1, "its links are not");
	snprintf(sql, sizeof(sql),
	    "DELETE FROM ratings_folded WHERE seq = %lld", (long long)last + 1);
	db_exec(db, sql);
	/* under no fold at all */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO ratings_folded VALUES (%lld, %lld, 999, "
	    "zeroblob(32))",
	    (long long)last + 1, (long long)at("2025-08-01T00:00:00+07:00"));
	db_exec(db, "PRAGMA foreign_keys = OFF");
	CHECK_INT(db_exec(db, sql), 0);
	chain_broken(last + 1, "names no fold");
	snprintf(sql, sizeof(sql),
	    "DELETE FROM ratings_folded WHERE seq = %lld", (long long)last + 1);
	db_exec(db, sql);
	db_exec(db, "PRAGMA foreign_keys = ON");
	chain_intact(-1, -1);

	/* a folded chain value changed in the middle of a run of links:
	 * the next stored row may not see it, the digest does */
	CHECK_INT(db_run(db,
		      "UPDATE ratings_folded SET chain = zeroblob(32) "
		      "WHERE seq = (SELECT min(seq) FROM ratings_folded f "
		      "WHERE f.seq + 1 IN (SELECT seq FROM ratings_folded))",
		      ""),
	    0);
	chain_broken(-1, "its links are not");
	/* ... and the anchor of a report on it no longer matches */
	db_exec(db, "DELETE FROM ratings_folded");
	db_exec(db, "INSERT INTO ratings_folded SELECT * FROM temp.saved");
	chain_intact(-1, -1);
	doc = report_build(
	    db, "H21", 202508, month_end(202508) + 86400, err, sizeof(err));
	CHECK(doc != NULL);
	CHECK_INT(report_check_anchor(db, doc, err, sizeof(err)), 0);
	CHECK_INT(db_run(db,
		      "UPDATE ratings_folded SET chain = zeroblob(32) WHERE "
		      "seq = ?",
		      "l",
		      json_integer_value(json_object_get(
			  json_object_get(doc, "ratings_chain"), "seq"))),
	    0);
	CHECK_INT(report_check_anchor(db, doc, err, sizeof(err)), 1);
	CHECK(strstr(err, "anchor") != NULL);
	json_decref(doc);
	db_exec(db, "DELETE FROM ratings_folded");
	db_exec(db, "INSERT INTO ratings_folded SELECT * FROM temp.saved");
	chain_intact(-1, -1);

	/* a fold's record changed: its digest, or its audit entry */
	db_exec(db, "DROP TRIGGER rating_folds_no_update");
	db_exec(db, "CREATE TEMP TABLE saved_f AS SELECT * FROM rating_folds");
	CHECK_INT(db_exec(db,
		      "UPDATE rating_folds SET valid = valid + 1 "
		      "WHERE id = 1"),
	    0);
	chain_broken(-1, "no audit entry");
	db_exec(db, "UPDATE rating_folds SET valid = valid - 1 WHERE id = 1");
	chain_intact(-1, -1);
	/* counts added to a fold */
	db_exec(db, "DROP TRIGGER folded_procedure_no_update");
	CHECK_INT(db_exec(db,
		      "UPDATE folded_procedure SET n5 = n5 + 1 WHERE "
		      "fold = (SELECT min(fold) FROM folded_procedure) "
		      "AND procedure = (SELECT min(procedure) FROM "
		      "folded_procedure)"),
	    0);
	chain_broken(-1, "counts are not");
}

static void
run(void)
{
	char err[256], path[128];

	snprintf(path, sizeof(path), "%s/fold.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		exit(2);
	}
	fold_everything();
	ingest_after();
	dossier_after_fold();
	no_delete();
	tamper();
	db_close(db);
}

int
main(void)
{
	log_set_level(LOG_WARN);
	RUN(run);
	return test_report("test_fold");
}
