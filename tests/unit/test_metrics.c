/* test_metrics.c -- METRICS.md rule by rule, on hand-computed fixtures. */
#include <math.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/dossiers.h"
#include "core/instrument.h"
#include "core/metrics.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/rollup.h"
#include "core/rules.h"
#include "core/store.h"
#include "core/writer.h"
#include "test.h"

#define CHECK_NUM(got, want) \
	do { \
		double g_ = (got), w_ = (want); \
		test_checks++; \
		if (!(g_ == w_ || (isnan(g_) && isnan(w_)))) \
			FAIL_AT("%s is %.17g, want %.17g", #got, g_, w_); \
	} while (0)

#define P1 "1.001193" /* Thủ tục đăng ký khai sinh */
#define P2 "1.003583"
#define P3 "1.004772"
#define OCT 202610
#define NOV 202611

static struct db *db;
static const char *dir;
static int ndb;

static int64_t
T(const char *s)
{
	int64_t t;

	if (rfc3339_parse(s, strlen(s), &t) < 0) {
		fprintf(stderr, "bad time in test: %s\n", s);
		exit(2);
	}
	return t;
}

/* A new database: schema, reference units and procedures, the demo. */
static void
fresh(void)
{
	char path[128], err[256];

	db_close(db);
	snprintf(path, sizeof(path), "%s/m%d.db", dir, ndb++);
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fresh: %s\n", err);
		exit(2);
	}
}

static void
dossier(const char *code, const char *proc, const char *unit, int channel,
    const char *received, const char *due, const char *finished, int supp,
    int64_t supp_sec, int corr, int full_online, int digitized, int complaint,
    const char *updated)
{
	struct dossier d;

	memset(&d, 0, sizeof(d));
	strcpy(d.code, code);
	strcpy(d.procedure, proc);
	strcpy(d.unit, unit);
	d.channel = channel;
	d.received_at = T(received);
	d.has_due = due != NULL;
	d.due_at = due ? T(due) : 0;
	d.has_finished = finished != NULL;
	d.finished_at = finished ? T(finished) : 0;
	d.supplement_requests = supp;
	d.supplement_seconds = supp_sec;
	d.corrections = corr;
	d.full_online = full_online;
	d.digitized = digitized;
	d.complaint = complaint;
	d.updated_at = T(updated ? updated : received);
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(dossier_upsert(db, &d), 0);
	CHECK_INT(db_commit(db), 0);
}

static void
noop_done(struct writer_job *job)
{
	(void)job;
}

/*
 * Store one rating through the writer's own path (writer_store_batch
 * with the rollup hook).  crit: nine characters '0'-'2' or '-'
 * (unanswered), or NULL for none.  yes/no: 1, 0 or -1.
 */
static int64_t
rating(const char *id, const char *unit, int counter, const char *officer,
    const char *proc, const char *dossier_code, int level, const char *crit,
    int supp, int online, const char *rated_at, enum rating_status st)
{
	struct writer_job job;
	struct rating *r = &job.rating;

	memset(&job, 0, sizeof(job));
	rating_init(r);
	strcpy(r->id, id);
	strcpy(r->unit, unit);
	r->counter = counter;
	strcpy(r->officer, officer ? officer : "");
	strcpy(r->procedure, proc ? proc : "");
	strcpy(r->dossier, dossier_code ? dossier_code : "");
	r->channel = CHANNEL_IMPORT;
	r->level = level;
	for (int i = 0; crit != NULL && i < RATING_CRITERIA; i++)
		r->criteria[i] = crit[i] == '-' ? -1 : crit[i] - '0';
	r->supplement_reported = supp;
	r->online_error_reported = online;
	r->rated_at = T(rated_at);
	r->received_at = r->rated_at + 60;
	r->status = st;
	r->client_time = true;
	strcpy(r->source, "test");
	job.done = noop_done;
	CHECK_INT(writer_store_batch(db, &job, &rollup_hooks), 0);
	CHECK_INT(job.result, WRITER_STORED);
	return job.seq;
}

static int64_t
r5(const char *id, const char *unit, int level, const char *when)
{
	return rating(id, unit, 0, NULL, P1, NULL, level, NULL, -1, -1, when,
	    STATUS_VALID);
}

/*
 * The month both ways: from the rollups and with METRICS_RECOMPUTE; the
 * two documents must be the same bytes.  Returns the first.
 */
static struct metrics *
both(const char *unit, int month, const char *as_of, unsigned how)
{
	char err[256];
	struct metrics *a, *b;
	char *ja, *jb;

	a = metrics_compute(db, unit, month, T(as_of), how, err, sizeof(err));
	b = metrics_compute(db, unit, month, T(as_of), how | METRICS_RECOMPUTE,
	    err, sizeof(err));
	if (a == NULL || b == NULL) {
		fprintf(stderr, "metrics_compute: %s\n", err);
		exit(2);
	}
	ja = metrics_dumps(a, false);
	jb = metrics_dumps(b, false);
	test_checks++;
	if (strcmp(ja, jb) != 0)
		FAIL_AT("incremental and --recompute differ for %s %d as of "
			"%s:\n  %s\n  %s",
		    unit, month, as_of, ja, jb);
	free(ja);
	free(jb);
	metrics_free(b);
	return a;
}

/* Whether the compact JSON of m contains `needle`. */
static bool
json_has(const struct metrics *m, const char *needle)
{
	char *s = metrics_dumps(m, false);
	bool yes = strstr(s, needle) != NULL;

	if (!yes)
		fprintf(stderr, "  (not found: %s)\n", needle);
	free(s);
	return yes;
}

/* --- Time ------------------------------------------------------------------ */

static void
time_zone_boundary(void)
{
	struct metrics *m;

	fresh();
	/* 23:30 +07:00 on 31/10 is October (16:30Z) */
	r5("tz1", "H21.227", 5, "2026-10-31T23:30:00+07:00");
	/* 17:30Z on 31/10 is 00:30 +07:00 on 1/11: November */
	r5("tz2", "H21.227", 5, "2026-10-31T17:30:00Z");
	/* 17:00Z on 30/9 is 00:00 +07:00 on 1/10: October's first second */
	r5("tz3", "H21.227", 5, "2026-09-30T17:00:00Z");
	/* one second earlier: September */
	r5("tz4", "H21.227", 5, "2026-09-30T16:59:59Z");
	/* dossiers belong to the month of received_at, the same way */
	dossier("H21.227-261031-0001", P1, "H21.227", 1, "2026-10-31T16:59:59Z",
	    NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	dossier("H21.227-261101-0002", P1, "H21.227", 1, "2026-10-31T17:00:00Z",
	    NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);

	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 2); /* tz1, tz3 */
	CHECK_INT(m->total.fig.dossiers, 1);
	metrics_free(m);
	m = both("H21.227", NOV, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 1); /* tz2 */
	CHECK_INT(m->total.fig.dossiers, 1);
	metrics_free(m);
	m = both("H21.227", 202609, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 1); /* tz4 */
	CHECK_INT(m->total.fig.dossiers, 0);
	metrics_free(m);
}

/* --- On time ------------------------------------------------------------------ */

static void
supplements_and_seconds(void)
{
	struct metrics *m;

	fresh();
	/* B1: finished a week early, but asked twice to supplement: late */
	dossier("H21.227-261001-0001", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-10-10T17:00:00+07:00",
	    "2026-10-02T08:00:00+07:00", 2, 0, 0, 0, 0, 0, NULL);
	/*
	 * B2: finished 2 days after due_at, but waited 2 days (172800 s)
	 * on the citizen: end - 172800 = 10/10 17:00 = due_at: on time
	 */
	dossier("H21.227-261001-0002", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-10-10T17:00:00+07:00",
	    "2026-10-12T17:00:00+07:00", 1, 172800, 0, 0, 0, 0, NULL);
	/* B3: the same with one second less of waiting: 1 s late */
	dossier("H21.227-261001-0003", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-10-10T17:00:00+07:00",
	    "2026-10-12T17:00:00+07:00", 1, 172799, 0, 0, 0, 0, NULL);
	/* B4: one request, finished before due_at: on time */
	dossier("H21.227-261001-0004", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-10-10T17:00:00+07:00",
	    "2026-10-09T17:00:00+07:00", 1, 0, 0, 0, 0, 0, NULL);

	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.counts.judged, 4);
	CHECK_INT(m->total.counts.on_time, 2);               /* B2, B4 */
	CHECK_NUM(m->total.fig.on_time_rate, 0.5);           /* 2/4 */
	CHECK_NUM(m->total.fig.supplement_rate, 1.0);        /* 4/4 */
	CHECK_NUM(m->total.fig.multi_supplement_rate, 0.25); /* B1: 1/4 */
	/* bad: B1 and B3 (late): (4 - 2) / 4 */
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 0.5);
	CHECK_NUM(m->total.fig.points[POINT_21], 10.0); /* 20 x 0.5 */
	/* 5.4: 0.5 < 0.90, so 6 x 0.5 / 0.9 = 3.3333.. -> 3.33 */
	CHECK_NUM(m->total.fig.points[POINT_54], 3.33);
	metrics_free(m);
}

static void
open_dossier_as_of(void)
{
	struct metrics *m;

	fresh();
	/* C1: open, due 20/10 */
	dossier("H21.227-261001-0001", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-10-20T17:00:00+07:00", NULL, 0,
	    0, 0, 0, 0, 0, NULL);
	/* C2: open, due 5/11, after the month's end */
	dossier("H21.227-261001-0002", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-11-05T17:00:00+07:00", NULL, 0,
	    0, 0, 0, 0, 0, NULL);
	/* C3: received 16/10, open, due 30/10 */
	dossier("H21.227-261016-0003", P1, "H21.227", 1,
	    "2026-10-16T08:00:00+07:00", "2026-10-30T17:00:00+07:00", NULL, 0,
	    0, 0, 0, 0, 0, NULL);

	/* as of 15/10 12:00: C3 not received yet; C1, C2 end at T: on time */
	m = both("H21.227", OCT, "2026-10-15T12:00:00+07:00", 0);
	CHECK_INT(m->total.fig.dossiers, 2);
	CHECK_NUM(m->total.fig.on_time_rate, 1.0); /* 2/2 */
	metrics_free(m);
	/* as of 25/10 12:00: C1 past due (late); C2, C3 not yet: 2/3 */
	m = both("H21.227", OCT, "2026-10-25T12:00:00+07:00", 0);
	CHECK_INT(m->total.fig.dossiers, 3);
	CHECK_NUM(m->total.fig.on_time_rate, 0.6667); /* 0.66666.. */
	metrics_free(m);
	/*
	 * as of the month's end: C1 late, C3 late (30/10 < 1/11), C2 ends
	 * at 1/11 00:00 <= 5/11: on time: 1/3
	 */
	m = both("H21.227", OCT, "2026-11-01T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.on_time_rate, 0.3333);
	metrics_free(m);
	/* later T changes nothing: an open dossier ends at the month's end */
	m = both("H21.227", OCT, "2026-11-10T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.on_time_rate, 0.3333);
	metrics_free(m);
	/* C2 finishes on 7/11, late against 5/11 (a newer version) */
	dossier("H21.227-261001-0002", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", "2026-11-05T17:00:00+07:00",
	    "2026-11-07T10:00:00+07:00", 0, 0, 0, 0, 0, 0,
	    "2026-11-07T10:00:00+07:00");
	/* as of 10/11 it is finished: end 7/11 > 5/11: late: 0/3 */
	m = both("H21.227", OCT, "2026-11-10T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.on_time_rate, 0.0);
	metrics_free(m);
	/* as of 6/11 it was still open: ends at the month's end: 1/3 */
	m = both("H21.227", OCT, "2026-11-06T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.on_time_rate, 0.3333);
	metrics_free(m);
}

static void
no_due_at(void)
{
	struct metrics *m;

	fresh();
	/* finished a month later, but without due_at it is never late */
	dossier("H21.227-261001-0001", P1, "H21.227", 2,
	    "2026-10-01T08:00:00+07:00", NULL, "2026-11-20T08:00:00+07:00", 0,
	    0, 0, 0, 0, 0, NULL);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.dossiers, 1);
	CHECK_INT(m->total.counts.judged, 0);
	CHECK_NUM(m->total.fig.on_time_rate, NAN);
	CHECK_NUM(m->total.fig.points[POINT_21], 0.0); /* null rate: 0 */
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 1.0); /* 1/1 */
	CHECK_NUM(m->total.fig.points[POINT_54], 6.0);
	CHECK(json_has(m, "\"on_time_rate\":null"));
	metrics_free(m);
}

/* --- Bad ------------------------------------------------------------------ */

static void
bad_by_low_rating_next_month(void)
{
	struct metrics *m;
	int64_t spam;

	fresh();
	/* E1: on time (finished 10/10, due 20/10) */
	dossier("H21.227-261005-0001", P1, "H21.227", 1,
	    "2026-10-05T08:00:00+07:00", "2026-10-20T17:00:00+07:00",
	    "2026-10-10T08:00:00+07:00", 0, 0, 0, 0, 0, 0, NULL);
	/* E2: no due_at */
	dossier("H21.227-261005-0002", P1, "H21.227", 1,
	    "2026-10-05T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	/* E1 rated 2 (Không hài lòng) in November */
	rating("e1", "H21.227", 0, NULL, P1, "H21.227-261005-0001", 2, NULL, -1,
	    -1, "2026-11-03T09:00:00+07:00", STATUS_VALID);
	/* E2 rated 3 (not low), and 1 by a rating staff mark as spam */
	rating("e2", "H21.227", 0, NULL, P1, "H21.227-261005-0002", 3, NULL, -1,
	    -1, "2026-10-06T09:00:00+07:00", STATUS_VALID);
	spam = rating("e3", "H21.227", 0, NULL, P1, "H21.227-261005-0002", 1,
	    NULL, -1, -1, "2026-10-06T09:05:00+07:00", STATUS_VALID);
	CHECK_INT(ratings_set_status(db, spam, STATUS_SPAM, "test", "spam"), 0);

	/* as of the month's end the November rating is not known: 2/2 */
	m = both("H21.227", OCT, "2026-11-01T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 1.0);
	CHECK_INT(m->total.fig.ratings, 1); /* e2; e3 is spam */
	metrics_free(m);
	/* as of 10/11: E1 is bad: (2 - 1) / 2 */
	m = both("H21.227", OCT, "2026-11-10T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 0.5);
	CHECK_INT(m->total.counts.bad, 1);
	CHECK_NUM(m->total.fig.points[POINT_54], 3.33); /* 6 x .5 / .9 */
	CHECK_INT(m->total.fig.ratings, 1); /* e1 is November's rating */
	metrics_free(m);
	m = both("H21.227", NOV, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 1);
	CHECK_INT(m->total.fig.by_level[1], 1);
	CHECK_INT(m->total.fig.dossiers, 0);
	metrics_free(m);
	/* the spam mark undone: E2 now has a valid level 1: both bad */
	CHECK_INT(ratings_set_status(db, spam, STATUS_VALID, "test", ""), 0);
	m = both("H21.227", OCT, "2026-11-10T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 0.0);
	metrics_free(m);
}

static void
complaint(void)
{
	struct metrics *m;

	fresh();
	/* on time, but a phản ánh kiến nghị: bad */
	dossier("H21.227-261005-0001", P1, "H21.227", 1,
	    "2026-10-05T08:00:00+07:00", "2026-10-20T17:00:00+07:00",
	    "2026-10-10T08:00:00+07:00", 0, 0, 0, 0, 0, 1, NULL);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.on_time_rate, 1.0);
	CHECK_NUM(m->total.fig.handling_satisfaction_rate, 0.0); /* 0/1 */
	CHECK_NUM(m->total.fig.points[POINT_54], 0.0);
	CHECK_NUM(m->total.fig.points[POINT_21], 20.0);
	metrics_free(m);
}

/* --- Which procedure a rating counts for ------------------------------------ */

/* The ratings of procedure `code` in m; -1 when m has no such scope. */
static int64_t
proc_ratings(const struct metrics *m, const char *code)
{
	for (size_t i = 0; i < m->procedures.n; i++)
		if (strcmp(m->procedures.v[i].code, code) == 0)
			return m->procedures.v[i].fig.ratings;
	return -1;
}

/*
 * A rating without a procedure that names a dossier counts for the
 * dossier's procedure once the dossier is known (received before T),
 * also when the dossier arrives a day after the rating; a rating's own
 * procedure wins.  October, H21.227:
 *
 *   a1  level 5, no procedure, dossier D1      -> P1 once D1 is known
 *   a2  level 1, P2, dossier D1                -> P2 always
 *   a3  level 4, no procedure, no dossier      -> none
 *   a4  level 2, no procedure, dossier D2, rated 31/10 20:00
 *   D1  P1, received 6/10 08:00 (the day after a1), sent on 7/10
 *   D2  P3, received 1/11 09:00: after October's end
 */
static void
procedure_from_late_dossier(void)
{
	struct metrics *m;

	fresh();
	rating("a1", "H21.227", 1, NULL, NULL, "H21.227-261006-0001", 5, NULL,
	    -1, -1, "2026-10-05T09:00:00+07:00", STATUS_VALID);
	rating("a2", "H21.227", 1, NULL, P2, "H21.227-261006-0001", 1, NULL, -1,
	    -1, "2026-10-05T10:00:00+07:00", STATUS_VALID);
	rating("a3", "H21.227", 1, NULL, NULL, NULL, 4, NULL, -1, -1,
	    "2026-10-05T11:00:00+07:00", STATUS_VALID);
	rating("a4", "H21.227", 1, NULL, NULL, "H21.227-261101-0002", 2, NULL,
	    -1, -1, "2026-10-31T20:00:00+07:00", STATUS_VALID);
	/* no dossier yet: a1 and a4 count for the unit only */
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK_INT(m->total.fig.ratings, 4);
	CHECK_INT(proc_ratings(m, P1), -1);
	CHECK_INT(proc_ratings(m, P2), 1);
	CHECK_INT(proc_ratings(m, P3), -1);
	metrics_free(m);

	dossier("H21.227-261006-0001", P1, "H21.227", 1,
	    "2026-10-06T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0,
	    "2026-10-07T08:00:00+07:00");
	dossier("H21.227-261101-0002", P3, "H21.227", 1,
	    "2026-11-01T09:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	/* as of a second before D1 was received: as if it were not there */
	m = both("H21.227", OCT, "2026-10-06T07:59:59+07:00", 0);
	CHECK_INT(proc_ratings(m, P1), -1);
	CHECK_INT(proc_ratings(m, P2), 1);
	metrics_free(m);
	/* from then on a1 is P1's: 1 rating, satisfied 1/1 */
	m = both("H21.227", OCT, "2026-10-06T08:00:01+07:00", 0);
	CHECK_INT(proc_ratings(m, P1), 1);
	CHECK_INT(proc_ratings(m, P2), 1);
	CHECK_INT(m->total.fig.ratings, 3);
	metrics_free(m);
	/*
	 * October as of its end: D2 is not known yet (received in
	 * November), so a4 has no procedure; the rollups cannot tell, the
	 * raw rows are read
	 */
	m = both("H21.227", OCT, "2026-11-01T00:00:00+07:00", 0);
	CHECK(!m->rollups);
	CHECK_INT(proc_ratings(m, P1), 1);
	CHECK_INT(proc_ratings(m, P3), -1);
	CHECK_INT(m->total.fig.ratings, 4);
	metrics_free(m);
	/* as of 2/11: a4 is P3's (level 2: dissatisfied 1/1), rollups */
	m = both("H21.227", OCT, "2026-11-02T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK_INT(proc_ratings(m, P1), 1);
	CHECK_INT(proc_ratings(m, P2), 1);
	CHECK_INT(proc_ratings(m, P3), 1);
	CHECK_INT(m->total.fig.ratings, 4);
	for (size_t i = 0; i < m->procedures.n; i++)
		if (strcmp(m->procedures.v[i].code, P3) == 0)
			CHECK_NUM(
			    m->procedures.v[i].fig.dissatisfied_rate, 1.0);
	metrics_free(m);
	/* the province above sees the same */
	m = both("H21", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(proc_ratings(m, P1), 1);
	CHECK_INT(proc_ratings(m, P3), 1);
	metrics_free(m);
}

/*
 * The feed re-sends D1 under P3 instead of P1: a1 moves from P1 to P3
 * with it (the rollups in the same transaction); a2 keeps its own P2.
 * Staff then mark a1 as spam: it leaves P3; valid again: back in P3.
 */
static void
procedure_moves_with_dossier(void)
{
	struct metrics *m;
	int64_t a1;

	fresh();
	dossier("H21.227-261006-0001", P1, "H21.227", 1,
	    "2026-10-04T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	a1 = rating("a1", "H21.227", 1, NULL, NULL, "H21.227-261006-0001", 5,
	    NULL, -1, -1, "2026-10-05T09:00:00+07:00", STATUS_VALID);
	rating("a2", "H21.227", 1, NULL, P2, "H21.227-261006-0001", 4, NULL, -1,
	    -1, "2026-10-05T10:00:00+07:00", STATUS_VALID);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK_INT(proc_ratings(m, P1), 1);
	CHECK_INT(proc_ratings(m, P2), 1);
	CHECK_INT(proc_ratings(m, P3), -1);
	metrics_free(m);
	/* re-sent under P3 */
	dossier("H21.227-261006-0001", P3, "H21.227", 1,
	    "2026-10-04T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0,
	    "2026-10-09T08:00:00+07:00");
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK(proc_ratings(m, P1) <= 0); /* nothing of P1 is left */
	CHECK_INT(proc_ratings(m, P2), 1);
	CHECK_INT(proc_ratings(m, P3), 1);
	CHECK_INT(m->total.fig.ratings, 2);
	metrics_free(m);
	CHECK_INT(ratings_set_status(db, a1, STATUS_SPAM, "test", "spam"), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(proc_ratings(m, P3) <= 0);
	CHECK_INT(m->total.fig.ratings, 1);
	metrics_free(m);
	CHECK_INT(ratings_set_status(db, a1, STATUS_VALID, "test", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(proc_ratings(m, P3), 1);
	metrics_free(m);
}

/*
 * Only a dossier of the rating's unit or a unit below it lends its
 * procedure (010_security.sql).  A code whose prefix names no unit here
 * passes every channel's check before the dossier is known; it then
 * arrives filed under H21.227.  H21.228's rating of it stays without a
 * procedure; the province's own rating (a unit above) takes P1.
 */
static void
foreign_dossier_not_attributed(void)
{
	struct metrics *m;

	fresh();
	rating("f1", "H21.228", 0, NULL, NULL, "000.00.12.H21-261005-0003", 5,
	    NULL, -1, -1, "2026-10-05T09:00:00+07:00", STATUS_VALID);
	rating("f2", "H21", 0, NULL, NULL, "000.00.12.H21-261005-0003", 4, NULL,
	    -1, -1, "2026-10-05T09:30:00+07:00", STATUS_VALID);
	dossier("000.00.12.H21-261005-0003", P1, "H21.227", 1,
	    "2026-10-05T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0,
	    "2026-10-06T08:00:00+07:00");
	m = both("H21.228", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK_INT(m->total.fig.ratings, 1);
	CHECK_INT(proc_ratings(m, P1), -1);
	metrics_free(m);
	/* the province: both ratings, only its own under P1 */
	m = both("H21", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 2);
	CHECK_INT(proc_ratings(m, P1), 1);
	metrics_free(m);
	m = both("H21", OCT, "2026-12-01T00:00:00+07:00", METRICS_UNIT_ONLY);
	CHECK_INT(m->total.fig.ratings, 1);
	CHECK_INT(proc_ratings(m, P1), 1);
	metrics_free(m);
	/* re-filed under H21.228: now f1's, and still f2's (above) */
	dossier("000.00.12.H21-261005-0003", P1, "H21.228", 1,
	    "2026-10-05T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0,
	    "2026-10-07T08:00:00+07:00");
	m = both("H21.228", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(proc_ratings(m, P1), 1);
	metrics_free(m);
	m = both("H21", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(proc_ratings(m, P1), 2);
	metrics_free(m);
}

/*
 * A kiosk's rating with a scanned dossier code, through the writer as
 * the kiosk API submits it (channel kiosk, a counter, the kiosk's
 * officer as the default): it lands under the dossier's procedure.
 * Also a micro-measurement of the lookup the writer's hook adds (printed
 * only; timing never decides a test).
 */
static void
kiosk_rating_with_dossier(void)
{
	static struct writer_job jobs[64];
	static const char *const what[3] = { "without a dossier",
		"naming one and its procedure", "naming one, no procedure" };
	struct metrics *m;
	int64_t t0;

	fresh();
	/* one dossier per rating, as at a counter */
	CHECK_INT(db_begin(db), 0);
	for (int i = 0; i < 2560; i++) {
		struct dossier d;

		memset(&d, 0, sizeof(d));
		snprintf(d.code, sizeof(d.code), "H21.227-261006-%04d", i);
		strcpy(d.procedure, P2);
		strcpy(d.unit, "H21.227");
		d.channel = 1;
		d.received_at = T("2026-10-06T08:00:00+07:00");
		d.updated_at = d.received_at;
		CHECK_INT(dossier_upsert(db, &d), 0);
	}
	CHECK_INT(db_commit(db), 0);
	fprintf(stderr, "  (1280 kiosk ratings in batches of 64:");
	for (int pass = 0; pass < 3; pass++) {
		t0 = hl_mono_ns();
		for (int b = 0; b < 20; b++) {
			for (int k = 0; k < 64; k++) {
				struct rating *r = &jobs[k].rating;

				memset(&jobs[k], 0, sizeof(jobs[k]));
				rating_init(r);
				snprintf(r->id, sizeof(r->id), "k%d-%d-%d",
				    pass, b, k);
				strcpy(r->unit, "H21.227");
				r->counter = 1;
				if (pass > 0)
					snprintf(r->dossier, sizeof(r->dossier),
					    "H21.227-261006-%04d",
					    (pass - 1) * 1280 + b * 64 + k);
				if (pass == 1)
					strcpy(r->procedure, P2);
				r->channel = CHANNEL_KIOSK;
				r->level = 5;
				r->rated_at =
				    T("2026-10-06T09:00:00+07:00") + b * 64 + k;
				r->received_at = r->rated_at + 1;
				r->status = STATUS_VALID;
				strcpy(r->source, "kiosk:test");
				strcpy(jobs[k].default_officer, "VC01");
				jobs[k].done = noop_done;
				jobs[k].next = k + 1 < 64 ? &jobs[k + 1] : NULL;
			}
			CHECK_INT(
			    writer_store_batch(db, jobs, &rollup_hooks), 0);
			CHECK_INT(jobs[63].result, WRITER_STORED);
		}
		fprintf(stderr, "%s %.1f ms %s", pass ? ";" : "",
		    (double)(hl_mono_ns() - t0) / 1e6, what[pass]);
	}
	fprintf(stderr, ")\n");
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK(m->rollups);
	CHECK_INT(m->total.fig.ratings, 3840);
	CHECK_INT(proc_ratings(m, P2), 2560);
	metrics_free(m);
}

/*
 * What the dossier feed pays for the attribution (printed only; timing
 * never decides a test): 1000 new dossiers that no rating names, then
 * 1000 each named by one kiosk rating without a procedure (their
 * counts move), then the latter re-sent under another procedure.
 */
static void
attribution_cost(void)
{
	static struct writer_job jobs[50];
	int64_t t[4];
	struct metrics *m;
	char code[40];

	fresh();
	for (int i = 0; i < 1000; i += 50) {
		for (int k = 0; k < 50; k++) {
			struct rating *r = &jobs[k].rating;

			memset(&jobs[k], 0, sizeof(jobs[k]));
			rating_init(r);
			snprintf(r->id, sizeof(r->id), "c%d", i + k);
			strcpy(r->unit, "H21.227");
			r->counter = 1;
			snprintf(r->dossier, sizeof(r->dossier),
			    "H21.227-261007-%04d", 5000 + i + k);
			r->channel = CHANNEL_KIOSK;
			r->level = 4;
			r->rated_at = T("2026-10-07T09:00:00+07:00") + i + k;
			r->received_at = r->rated_at;
			r->status = STATUS_VALID;
			strcpy(r->source, "kiosk:test");
			jobs[k].done = noop_done;
			jobs[k].next = k + 1 < 50 ? &jobs[k + 1] : NULL;
		}
		CHECK_INT(writer_store_batch(db, jobs, &rollup_hooks), 0);
	}
	for (int pass = 0; pass < 3; pass++) {
		t[pass] = hl_mono_ns();
		CHECK_INT(db_begin(db), 0);
		for (int i = 0; i < 1000; i++) {
			struct dossier d;

			memset(&d, 0, sizeof(d));
			snprintf(code, sizeof(code), "H21.227-261007-%04d",
			    pass == 0 ? i : 5000 + i);
			strcpy(d.code, code);
			strcpy(d.procedure, pass == 2 ? P3 : P1);
			strcpy(d.unit, "H21.227");
			d.channel = 1;
			d.received_at = T("2026-10-07T08:00:00+07:00");
			d.updated_at = d.received_at + pass;
			CHECK_INT(dossier_upsert(db, &d), 0);
		}
		CHECK_INT(db_commit(db), 0);
	}
	t[3] = hl_mono_ns();
	fprintf(stderr,
	    "  (1000 dossier upserts: %.1f ms none rated, %.1f ms each "
	    "rated once, %.1f ms moving their ratings)\n",
	    (double)(t[1] - t[0]) / 1e6, (double)(t[2] - t[1]) / 1e6,
	    (double)(t[3] - t[2]) / 1e6);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(proc_ratings(m, P3), 1000);
	CHECK(proc_ratings(m, P1) <= 0);
	metrics_free(m);
}

/* --- Ratings ------------------------------------------------------------------ */

static void
flagged_ratings_excluded(void)
{
	struct metrics *m;
	int64_t seq[5], burst, n;

	fresh();
	for (int i = 0; i < 5; i++) {
		char id[16];

		snprintf(id, sizeof(id), "g%d", i);
		seq[i] = r5(id, "H21.227", 5, "2026-10-10T09:00:00+07:00");
	}
	/* stored as burst (a kiosk's repeated press): counts in nothing */
	burst = rating("g9", "H21.227", 0, NULL, P1, NULL, 1, NULL, -1, -1,
	    "2026-10-10T09:00:02+07:00", STATUS_BURST);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 5);
	CHECK_NUM(m->total.fig.satisfied_rate, 1.0); /* 5/5 */
	metrics_free(m);

	/* staff mark one as spam: out of the rollups too */
	CHECK_INT(ratings_set_status(db, seq[0], STATUS_SPAM, "user:lan",
		      "the same person five times"),
	    0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 4);
	metrics_free(m);
	/* the burst judged genuine: it counts now: 4 x 5 and 1 x 1 */
	CHECK_INT(
	    ratings_set_status(db, burst, STATUS_VALID, "user:lan", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 5);
	CHECK_NUM(m->total.fig.satisfied_rate, 0.8);    /* 4/5 */
	CHECK_NUM(m->total.fig.dissatisfied_rate, 0.2); /* 1/5 */
	CHECK_NUM(m->total.fig.mean_level, 4.2);        /* (4x5 + 1) / 5 */
	metrics_free(m);
	/* the same status again: nothing; an unknown rating: 1 */
	CHECK_INT(
	    ratings_set_status(db, burst, STATUS_VALID, "user:lan", ""), 2);
	CHECK_INT(ratings_set_status(db, 999, STATUS_SPAM, "user:lan", ""), 1);
	/* spam -> misuse: both flagged, the rollups stay as they are */
	CHECK_INT(
	    ratings_set_status(db, seq[0], STATUS_MISUSE, "user:lan", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 5);
	metrics_free(m);
	/* every change is in the audit log */
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'rating.status'",
		      ""),
	    0);
	CHECK_INT(n, 3);
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'rating.status' AND target = 'rating:1' AND detail "
		      "LIKE '%\"from\":\"valid\",\"to\":\"spam\"%'",
		      ""),
	    0);
	CHECK_INT(n, 1);
}

static void
rating_figures(void)
{
	struct metrics *m;

	fresh();
	/*
	 * Three ratings at counter 1 by officer VC01:
	 *   a: level 5, c = 2 2 2 2 2 2 2 2 2 (18), supplement 1, online 0
	 *   b: level 4, c = 2 1 1 2 - 2 1 0 2 (c5 unanswered), supp. 0
	 *   c: level 2, c = 0 1 0 1 1 2 0 2 1 (8), online 1
	 * and one at counter 2 by VC02: d: level 3, no criteria.
	 */
	rating("a", "H21.227", 1, "VC01", P1, NULL, 5, "222222222", 1, 0,
	    "2026-10-02T09:00:00+07:00", STATUS_VALID);
	rating("b", "H21.227", 1, "VC01", P1, NULL, 4, "2112-2102", 0, -1,
	    "2026-10-03T09:00:00+07:00", STATUS_VALID);
	rating("c", "H21.227", 1, "VC01", P2, NULL, 2, "010112021", -1, 1,
	    "2026-10-04T09:00:00+07:00", STATUS_VALID);
	rating("d", "H21.227", 2, "VC02", NULL, NULL, 3, NULL, -1, -1,
	    "2026-10-05T09:00:00+07:00", STATUS_VALID);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 4);
	CHECK_INT(m->total.fig.by_level[0], 0);
	CHECK_INT(m->total.fig.by_level[1], 1);
	CHECK_INT(m->total.fig.by_level[2], 1);
	CHECK_INT(m->total.fig.by_level[3], 1);
	CHECK_INT(m->total.fig.by_level[4], 1);
	CHECK_NUM(m->total.fig.satisfied_rate, 0.5);     /* (1 + 1) / 4 */
	CHECK_NUM(m->total.fig.dissatisfied_rate, 0.25); /* 1 / 4 */
	CHECK_NUM(m->total.fig.mean_level, 3.5);         /* 14 / 4 */
	/* all nine answered: a (18) and c (0+1+0+1+1+2+0+2+1 = 8): 13 */
	CHECK_NUM(m->total.fig.ballot_score, 13.0);
	/* c1: (2 + 2 + 0) / 3 */
	CHECK_NUM(m->total.fig.criteria_mean[0], 1.3333);
	/* c5: only a and c answered: (2 + 1) / 2 */
	CHECK_NUM(m->total.fig.criteria_mean[4], 1.5);
	/* c8: (2 + 0 + 2) / 3 */
	CHECK_NUM(m->total.fig.criteria_mean[7], 1.3333);
	/*
	 * officer: c1+c2+c3+c4+c7: a 10, b 2+1+1+2+1 = 7, c 0+1+0+1+0 = 2:
	 * 19 / 3 = 6.3333
	 */
	CHECK_NUM(m->total.fig.officer_score, 6.3333);
	/* supplement answered by a (1) and b (0): 1/2 */
	CHECK_NUM(m->total.fig.reported_supplement_rate, 0.5);
	/* online error answered by a (0) and c (1): 1/2 */
	CHECK_NUM(m->total.fig.reported_online_error_rate, 0.5);
	/*
	 * Wilson for 2 of 4 (z 1.96): p = .5, z^2/n = .9604, centre =
	 * (.5 + .4802) / 1.9604 = .5, half = 1.96/1.9604 x sqrt(.0625 +
	 * .060025) = .99980 x .35004 = .34997: [.1500, .8500]
	 */
	CHECK_NUM(m->total.fig.satisfied_ci[0], 0.15);
	CHECK_NUM(m->total.fig.satisfied_ci[1], 0.85);
	/* procedures: P1 has a, b; P2 has c; d names none */
	CHECK_INT(m->procedures.n, 2);
	/* counters: (H21.227, 1): a, b, c; (H21.227, 2): d */
	CHECK_INT(m->counters.n, 2);
	CHECK_INT(m->counters.v[0].counter, 1);
	CHECK_INT(m->counters.v[0].fig.ratings, 3);
	CHECK_STR(m->counters.v[0].name, "Quầy 1 — Hộ tịch, chứng thực");
	/* officers below n_min = 10: not enough data, no figure shown */
	CHECK_INT(m->officers.n, 2);
	CHECK_STR(m->officers.v[0].code, "VC01");
	CHECK_STR(m->officers.v[0].unit, "H21.227");
	CHECK(!m->officers.v[0].fig.enough_data);
	CHECK(json_has(m,
	    "\"id\":\"VC01\",\"name\":\"Nguyễn Thị Lan\",\"unit\":"
	    "\"H21.227\",\"enough_data\":false,\"ratings\":3,\"by_level\":"
	    "null,\"satisfied_rate\":null,\"satisfied_rate_ci\":null"));
	metrics_free(m);
}

/* --- Roll-up ------------------------------------------------------------------ */

static void
rollup_is_sum_of_communes(void)
{
	struct metrics *h21, *a, *b, *own, *ma, *mb;
	char err[256], *s1, *s2;
	json_t *ja, *jb, *t1, *t2;

	fresh();
	/* H21.227: levels 5 and 2: 1 of 2 satisfied (0.5) */
	r5("a1", "H21.227", 5, "2026-10-10T09:00:00+07:00");
	r5("a2", "H21.227", 2, "2026-10-10T09:00:00+07:00");
	/* H21.228: nine 4s and a 1: 9 of 10 (0.9) */
	for (int i = 0; i < 10; i++) {
		char id[16];

		snprintf(id, sizeof(id), "b%d", i);
		r5(id, "H21.228", i < 9 ? 4 : 1, "2026-10-11T09:00:00+07:00");
	}
	/* dossiers: H21.227 2 online of 4; H21.228 1 of 1 */
	dossier("H21.227-261001-0001", P1, "H21.227", 2,
	    "2026-10-01T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	dossier("H21.227-261001-0002", P1, "H21.227", 2,
	    "2026-10-01T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	dossier("H21.227-261001-0003", P1, "H21.227", 1,
	    "2026-10-01T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	dossier("H21.227-261001-0004", P2, "H21.227", 3,
	    "2026-10-01T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	dossier("H21.228-261001-0001", P1, "H21.228", 2,
	    "2026-10-01T08:00:00+07:00", NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);

	h21 = both("H21", OCT, "2026-12-01T00:00:00+07:00", 0);
	a = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	b = both("H21.228", OCT, "2026-12-01T00:00:00+07:00", 0);
	/* sums of counts: (1 + 9) / (2 + 10), not (0.5 + 0.9) / 2 = 0.7 */
	CHECK_INT(h21->total.fig.ratings, 12);
	CHECK_NUM(h21->total.fig.satisfied_rate, 0.8333);
	/* online (2 + 1) / (4 + 1) = 0.6, not (0.5 + 1) / 2 = 0.75 */
	CHECK_NUM(h21->total.fig.online_rate, 0.6);
	/* P1 across both communes: ratings 12, dossiers 4 */
	CHECK_STR(h21->procedures.v[0].code, P1);
	CHECK_INT(h21->procedures.v[0].fig.ratings, 12);
	CHECK_INT(h21->procedures.v[0].fig.dossiers, 4);
	/* the province's own data alone: nothing */
	own = both("H21", OCT, "2026-12-01T00:00:00+07:00", METRICS_UNIT_ONLY);
	CHECK_INT(own->total.fig.ratings, 0);
	CHECK_INT(own->total.fig.dossiers, 0);

	/*
	 * The reports' way: the communes' documents (as signed) read back
	 * and added to the province's own counts give the same total.
	 */
	ja = metrics_to_json(a);
	jb = metrics_to_json(b);
	ma = metrics_from_json(ja, err, sizeof(err));
	mb = metrics_from_json(jb, err, sizeof(err));
	CHECK(ma != NULL && mb != NULL);
	if (ma != NULL && mb != NULL) {
		metrics_merge(own, ma);
		metrics_merge(own, mb);
		metrics_finish(own);
		t1 = metrics_to_json(own);
		t2 = metrics_to_json(h21);
		s1 = json_dumps(json_object_get(t1, "total"), JSON_COMPACT);
		s2 = json_dumps(json_object_get(t2, "total"), JSON_COMPACT);
		CHECK_STR(s1, s2);
		free(s1);
		free(s2);
		s1 =
		    json_dumps(json_object_get(t1, "procedures"), JSON_COMPACT);
		s2 =
		    json_dumps(json_object_get(t2, "procedures"), JSON_COMPACT);
		CHECK_STR(s1, s2);
		free(s1);
		free(s2);
		json_decref(t1);
		json_decref(t2);
	}
	json_decref(ja);
	json_decref(jb);
	metrics_free(ma);
	metrics_free(mb);
	metrics_free(own);
	metrics_free(a);
	metrics_free(b);
	metrics_free(h21);
}

/* --- Wilson and flags ------------------------------------------------------ */

static void
wilson(void)
{
	double lo, hi;

	/*
	 * 9 of 10, z 1.96: p = .9, z^2 = 3.8416, d = 1 + z^2/n = 1.38416;
	 * centre = (.9 + z^2/2n) / d = 1.09208 / 1.38416 = .788984;
	 * half = z/d x sqrt(p(1-p)/n + z^2/4n^2) = 1.416021 x
	 * sqrt(.009 + .009604) = 1.416021 x .136396 = .193140;
	 * [.595844, .982124]
	 */
	metric_wilson(9, 10, 1.96, &lo, &hi);
	CHECK(fabs(lo - 0.595844) < 1e-6);
	CHECK(fabs(hi - 0.982124) < 1e-6);
	/* 0 of 10: [0, z^2/n / d = .38416 / 1.38416 = .277540] */
	metric_wilson(0, 10, 1.96, &lo, &hi);
	CHECK_NUM(lo, 0.0);
	CHECK(fabs(hi - 0.277540) < 1e-6);
	/* 10 of 10: [1 - .277540, 1] */
	metric_wilson(10, 10, 1.96, &lo, &hi);
	CHECK(fabs(lo - 0.722460) < 1e-6);
	CHECK(fabs(hi - 1.0) < 1e-12);
}

static struct metric_figures
fig_of(const struct metric_counts *c)
{
	struct metric_rules r;
	struct metric_figures f;

	rules_defaults(&r);
	metric_figures_compute(c, &r, &f);
	return f;
}

static void
flag_thresholds(void)
{
	struct metric_counts c;
	struct metric_figures f;

	/*
	 * LOW_SATISFACTION: N >= 10 and Wilson upper < 0.90.  84 of 100:
	 * upper .899048 (flag, severity .000952); 85 of 100: .906941 (none)
	 */
	memset(&c, 0, sizeof(c));
	c.by_level[4] = 84;
	c.by_level[2] = 16;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 1);
	CHECK_INT(f.flags[0], FLAG_LOW_SATISFACTION);
	CHECK(fabs(f.severity[0] - 0.000952) < 1e-6);
	c.by_level[4] = 85;
	c.by_level[2] = 15;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 0);
	/* n_min: nine dissatisfied ratings are never "low"; ten are */
	memset(&c, 0, sizeof(c));
	c.by_level[0] = 9;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 0);
	c.by_level[0] = 10;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 1);
	CHECK_INT(f.flags[0], FLAG_LOW_SATISFACTION);
	CHECK(fabs(f.severity[0] - (0.9 - 0.277540)) < 1e-6);

	/*
	 * HIGH_SUPPLEMENT: D >= 10 and Wilson lower of supplement or
	 * correction > 0.20.  28 of 100: lower .201396 (flag); 27: .192695
	 */
	memset(&c, 0, sizeof(c));
	c.dossiers = 100;
	c.online = 100;
	c.supplement_or_correction = 28;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 1);
	CHECK_INT(f.flags[0], FLAG_HIGH_SUPPLEMENT);
	CHECK(fabs(f.severity[0] - 0.001396) < 1e-6);
	c.supplement_or_correction = 27;
	CHECK_INT(fig_of(&c).nflags, 0);
	/* and below n_min: 9 of 9 is not flagged */
	memset(&c, 0, sizeof(c));
	c.dossiers = 9;
	c.online = 9;
	c.supplement_or_correction = 9;
	CHECK_INT(fig_of(&c).nflags, 0);

	/* LOW_ONLINE: Wilson upper < 0.50.  40 of 100: .497999; 41: .507987 */
	memset(&c, 0, sizeof(c));
	c.dossiers = 100;
	c.online = 40;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 1);
	CHECK_INT(f.flags[0], FLAG_LOW_ONLINE);
	CHECK(fabs(f.severity[0] - (0.5 - 0.497999)) < 1e-6);
	c.online = 41;
	CHECK_INT(fig_of(&c).nflags, 0);

	/* LATE: judged >= 10 and Wilson upper < 0.90: 84 / 100 vs 85 */
	memset(&c, 0, sizeof(c));
	c.dossiers = 100;
	c.online = 100;
	c.judged = 100;
	c.on_time = 84;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 1);
	CHECK_INT(f.flags[0], FLAG_LATE);
	CHECK(fabs(f.severity[0] - 0.000952) < 1e-6);
	c.on_time = 85;
	CHECK_INT(fig_of(&c).nflags, 0);
	/* judged counts, not D: 9 judged of 100 dossiers, none on time */
	c.judged = 9;
	c.on_time = 0;
	CHECK_INT(fig_of(&c).nflags, 0);

	/*
	 * Order by severity: satisfied 0/10 (.9 - .2775 = .6225), online
	 * 0/100 (.5 - .0370 = .4630), on time 84/100 (.00095).
	 */
	memset(&c, 0, sizeof(c));
	c.by_level[0] = 10;
	c.dossiers = 100;
	c.judged = 100;
	c.on_time = 84;
	f = fig_of(&c);
	CHECK_INT(f.nflags, 3);
	CHECK_INT(f.flags[0], FLAG_LOW_SATISFACTION);
	CHECK_INT(f.flags[1], FLAG_LOW_ONLINE);
	CHECK_INT(f.flags[2], FLAG_LATE);
	CHECK(fabs(f.severity[0] - 0.622460) < 1e-6);
	CHECK(fabs(f.severity[1] - (0.5 - 0.036995)) < 1e-6);
	CHECK(fabs(f.severity[2] - 0.000952) < 1e-6);
}

static void
flagged_lists_sorted(void)
{
	struct metrics *m;
	char id[16], code[32];

	fresh();
	/* P1: ten ratings of 1: LOW_SATISFACTION, severity .6225 */
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "p1-%d", i);
		rating(id, "H21.227", 0, NULL, P1, NULL, 1, NULL, -1, -1,
		    "2026-10-10T09:00:00+07:00", STATUS_VALID);
	}
	/* P2: ten ratings of 5: no flag */
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "p2-%d", i);
		rating(id, "H21.227", 0, NULL, P2, NULL, 5, NULL, -1, -1,
		    "2026-10-10T09:00:00+07:00", STATUS_VALID);
	}
	/* P3: ten dossiers at the counter: LOW_ONLINE, severity .2225 */
	for (int i = 0; i < 10; i++) {
		snprintf(code, sizeof(code), "H21.227-261010-%04d", i);
		dossier(code, P3, "H21.227", 1, "2026-10-10T08:00:00+07:00",
		    NULL, NULL, 0, 0, 0, 0, 0, 0, NULL);
	}
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->procedures.n, 3);
	CHECK_STR(m->procedures.v[0].code, P1);
	CHECK_STR(m->procedures.v[1].code, P3);
	CHECK_STR(m->procedures.v[2].code, P2);
	/*
	 * the total: online 0/10 (severity .2225) before satisfied 10/20
	 * (upper .7007, severity .1993)
	 */
	CHECK_INT(m->total.fig.nflags, 2);
	CHECK(json_has(m, "\"flags\":[\"LOW_ONLINE\",\"LOW_SATISFACTION\"]"));
	metrics_free(m);

	/* a rules version effective from November with n_min 20 */
	{
		const char *body =
		    "{\"n_min\":20,\"z\":1.96,\"flags\":{"
		    "\"LOW_SATISFACTION\":0.9,\"HIGH_SUPPLEMENT\":0.2,"
		    "\"LOW_ONLINE\":0.5,\"LATE\":0.9},\"points\":{\"2.1\":{"
		    "\"max\":20},\"3.3\":{\"max\":6,\"target\":0.5},\"4.2\":{"
		    "\"max\":4},\"5.4\":{\"max\":6,\"full_at\":0.9}}}";
		struct metric_rules r;
		char err[256];
		int v = 0;

		CHECK_INT(rules_add(db, NOV, body, strlen(body), "test", &v,
			      err, sizeof(err)),
		    0);
		CHECK_INT(v, 2);
		CHECK_INT(rules_for_month(db, OCT, &r, err, sizeof(err)), 0);
		CHECK_INT(r.version, 1);
		CHECK_INT(r.n_min, 10);
		CHECK_INT(rules_for_month(db, NOV, &r, err, sizeof(err)), 0);
		CHECK_INT(r.version, 2);
		CHECK_INT(r.n_min, 20);
		/* October keeps its flags under version 1 */
		m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
		CHECK_INT(m->rules.version, 1);
		CHECK_INT(m->procedures.v[0].fig.nflags, 1);
		metrics_free(m);
	}
}

/* --- Nulls and rounding ---------------------------------------------------- */

static void
null_cases(void)
{
	struct metrics *m;

	fresh();
	/* nothing at all */
	m = both("H21.228", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 0);
	CHECK_NUM(m->total.fig.satisfied_rate, NAN);
	CHECK_NUM(m->total.fig.mean_level, NAN);
	CHECK_NUM(m->total.fig.online_rate, NAN);
	for (int i = 0; i < POINT_COUNT; i++)
		CHECK_NUM(m->total.fig.points[i], 0.0);
	CHECK(json_has(m,
	    "\"total\":{\"ratings\":0,\"by_level\":[0,0,0,0,0],"
	    "\"satisfied_rate\":null,\"satisfied_rate_ci\":null,"
	    "\"dissatisfied_rate\":null,\"mean_level\":null,"
	    "\"ballot_score\":null,\"criteria_mean\":[null,null,null,null,"
	    "null,null,null,null,null],\"officer_score\":null,"
	    "\"reported_supplement_rate\":null,"
	    "\"reported_online_error_rate\":null,\"dossiers\":0,"
	    "\"online_rate\":null,\"full_online_rate\":null,"
	    "\"on_time_rate\":null,\"supplement_rate\":null,"
	    "\"multi_supplement_rate\":null,\"correction_rate\":null,"
	    "\"supplement_or_correction_rate\":null,"
	    "\"digitized_rate\":null,\"handling_satisfaction_rate\":null,"
	    "\"reasons\":{},\"reasons_given\":0,\"visits_answered\":0,"
	    "\"visits_mean\":null,\"one_visit_rate\":null,"
	    "\"by_channel\":{\"kiosk\":{\"ratings\":0,\"satisfied_rate\":"
	    "null},\"qr\":{\"ratings\":0,\"satisfied_rate\":null},"
	    "\"web\":{\"ratings\":0,\"satisfied_rate\":null},\"import\":{"
	    "\"ratings\":0,\"satisfied_rate\":null}},\"coverage_rate\":null,"
	    "\"excluded\":{\"burst\":0,\"duplicate\":0,\"misuse\":0,"
	    "\"spam\":0},\"dossier_by_channel\":{\"counter\":{\"dossiers\":"
	    "0,\"on_time_rate\":null,\"supplement_or_correction_rate\":null},"
	    "\"online\":{\"dossiers\":0,\"on_time_rate\":null,"
	    "\"supplement_or_correction_rate\":null},\"post\":{\"dossiers\":"
	    "0,\"on_time_rate\":null,\"supplement_or_correction_rate\":null}},"
	    "\"by_requester\":{\"citizen\":{\"ratings\":0,"
	    "\"satisfied_rate\":null},\"business\":{\"ratings\":0,"
	    "\"satisfied_rate\":null},\"unspecified\":{\"ratings\":0,"
	    "\"satisfied_rate\":null}},\"assisted\":{\"ratings\":0,"
	    "\"satisfied_rate\":null},"
	    "\"points\":{\"2.1\":0.0,\"3.3\":0.0,\"4.2\":0.0,\"5.4\":0.0},"
	    "\"flags\":[]"));
	metrics_free(m);
	/*
	 * One rating, level 4, c1..c8 answered and c9 not, no yes/no: a
	 * ballot needs all nine (null); the officer's five are there.
	 */
	rating("n1", "H21.228", 0, NULL, NULL, NULL, 4, "12121212-", -1, -1,
	    "2026-10-10T09:00:00+07:00", STATUS_VALID);
	m = both("H21.228", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_NUM(m->total.fig.satisfied_rate, 1.0);
	CHECK_NUM(m->total.fig.ballot_score, NAN);
	CHECK_NUM(m->total.fig.criteria_mean[0], 1.0);
	CHECK_NUM(m->total.fig.criteria_mean[8], NAN);
	CHECK_NUM(m->total.fig.officer_score, 7.0); /* 1+2+1+2+1 */
	CHECK_NUM(m->total.fig.reported_supplement_rate, NAN);
	CHECK_NUM(m->total.fig.on_time_rate, NAN);
	CHECK_INT(m->procedures.n, 0); /* it named no procedure */
	metrics_free(m);
}

/* --- Why (METRICS.md version 2) --------------------------------------------- */

/* A rating with a channel, visits (-1 none) and reasons ("a,b" or ""). */
static int64_t
why_rating(const char *id, int counter, const char *officer,
    const char *dossier_code, enum rating_channel channel, int level,
    int visits, const char *reasons, const char *rated_at,
    enum rating_status st)
{
	struct writer_job job;
	struct rating *r = &job.rating;

	memset(&job, 0, sizeof(job));
	rating_init(r);
	strcpy(r->id, id);
	strcpy(r->unit, "H21.227");
	r->counter = counter;
	strcpy(r->officer, officer ? officer : "");
	strcpy(r->procedure, P1);
	strcpy(r->dossier, dossier_code ? dossier_code : "");
	r->channel = channel;
	r->level = level;
	r->visits = visits;
	strcpy(r->reasons, reasons);
	r->rated_at = T(rated_at);
	r->received_at = r->rated_at + 60;
	r->status = st;
	r->client_time = true;
	strcpy(r->source, "test");
	job.done = noop_done;
	CHECK_INT(writer_store_batch(db, &job, &rollup_hooks), 0);
	CHECK_INT(job.result, WRITER_STORED);
	return job.seq;
}

#define D1 "H21.227-261001-0001"
#define D2 "H21.227-261002-0002"
#define D3 "H21.227-261003-0003"
#define D4 "H21.227-261004-0004"
#define OCT_DAY(d) "2026-10-" d "T09:00:00+07:00"

/*
 * Four dossiers of October, each channel, and seven ratings:
 *   a kiosk, level 2, 2 visits, "wait,attitude", D1, counter 1, VC01
 *   b kiosk, level 5, 1 visit, D1 again (a dossier rated twice), counter 1
 *   c qr, level 4, 1 visit
 *   d web, level 1, visits not answered, "wait", D3
 *   e import, level 3, 3 visits, "supplement"
 *   f kiosk, level 5, D4, counter 1: stored as burst
 *   g qr, level 1, "wait": then marked spam by staff
 * Valid: a..e, N = 5.
 */
static void
why_figures(void)
{
	char err[256];
	struct metrics *m;
	const struct metric_figures *f;
	const struct metric_scope *s;
	int64_t g;

	fresh();
	CHECK_INT(instrument_install_default(db, err, sizeof(err)), 0);
	/* D1 counter, on time; D2 counter, late, a correction; D3 online,
	 * no due_at, a supplement; D4 post, on time */
	dossier(D1, P1, "H21.227", 1, OCT_DAY("01"), OCT_DAY("20"),
	    OCT_DAY("15"), 0, 0, 0, 0, 0, 0, NULL);
	dossier(D2, P1, "H21.227", 1, OCT_DAY("02"), OCT_DAY("10"),
	    OCT_DAY("12"), 0, 0, 1, 0, 0, 0, NULL);
	dossier(D3, P1, "H21.227", 2, OCT_DAY("03"), NULL, OCT_DAY("09"), 1,
	    3600, 0, 1, 1, 0, NULL);
	dossier(D4, P1, "H21.227", 3, OCT_DAY("04"), OCT_DAY("30"),
	    OCT_DAY("20"), 0, 0, 0, 0, 0, 0, NULL);
	why_rating("a", 1, "VC01", D1, CHANNEL_KIOSK, 2, 2, "wait,attitude",
	    OCT_DAY("16"), STATUS_VALID);
	why_rating("b", 1, NULL, D1, CHANNEL_KIOSK, 5, 1, "", OCT_DAY("16"),
	    STATUS_VALID);
	why_rating("c", 0, NULL, NULL, CHANNEL_QR, 4, 1, "", OCT_DAY("17"),
	    STATUS_VALID);
	why_rating("d", 0, NULL, D3, CHANNEL_WEB, 1, -1, "wait", OCT_DAY("18"),
	    STATUS_VALID);
	why_rating("e", 0, NULL, NULL, CHANNEL_IMPORT, 3, 3, "supplement",
	    OCT_DAY("19"), STATUS_VALID);
	why_rating("f", 1, NULL, D4, CHANNEL_KIOSK, 5, 1, "", OCT_DAY("21"),
	    STATUS_BURST);
	g = why_rating("g", 0, NULL, NULL, CHANNEL_QR, 1, 1, "wait",
	    OCT_DAY("22"), STATUS_VALID);
	CHECK_INT(
	    ratings_set_status(db, g, STATUS_SPAM, "user:lan", "test"), 0);

	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	f = &m->total.fig;
	CHECK_INT(f->ratings, 5);
	/* reasons: wait a, d (g is spam); attitude a; supplement e */
	CHECK_INT(m->nreason_codes, 6);
	CHECK_INT(metric_scope_reason(&m->total, "wait"), 2);
	CHECK_INT(metric_scope_reason(&m->total, "attitude"), 1);
	CHECK_INT(metric_scope_reason(&m->total, "supplement"), 1);
	CHECK(json_has(m,
	    "\"reasons\":{\"wait\":2,\"attitude\":1,\"supplement\":1,"
	    "\"guidance\":0,\"online\":0,\"facilities\":0},"
	    "\"reasons_given\":3,"));
	CHECK_INT(f->reasons_given, 3); /* a, d, e */
	/* visits: a 2, b 1, c 1, e 3: mean 7/4, one visit 2/4 */
	CHECK_INT(f->visits_answered, 4);
	CHECK_NUM(f->visits_mean, 1.75);
	CHECK_NUM(f->one_visit_rate, 0.5);
	/* channels: kiosk a (2), b (5); qr c (4); web d (1); import e (3) */
	CHECK_INT(f->channel_ratings[CHANNEL_KIOSK], 2);
	CHECK_NUM(f->channel_satisfied_rate[CHANNEL_KIOSK], 0.5);
	CHECK_INT(f->channel_ratings[CHANNEL_QR], 1);
	CHECK_NUM(f->channel_satisfied_rate[CHANNEL_QR], 1.0);
	CHECK_INT(f->channel_ratings[CHANNEL_WEB], 1);
	CHECK_NUM(f->channel_satisfied_rate[CHANNEL_WEB], 0.0);
	CHECK_INT(f->channel_ratings[CHANNEL_IMPORT], 1);
	CHECK_NUM(f->channel_satisfied_rate[CHANNEL_IMPORT], 0.0);
	/* excluded: f burst, g spam */
	CHECK_INT(f->excluded[STATUS_BURST - 1], 1);
	CHECK_INT(f->excluded[STATUS_DUPLICATE - 1], 0);
	CHECK_INT(f->excluded[STATUS_MISUSE - 1], 0);
	CHECK_INT(f->excluded[STATUS_SPAM - 1], 1);
	/* coverage: D1 (twice, counted once) and D3; D4 only by a burst */
	CHECK_INT(m->total.counts.covered, 2);
	CHECK_NUM(f->coverage_rate, 0.5);
	/* counter: D1 on time, D2 late and corrected; online: D3, no due,
	 * a supplement; post: D4 on time */
	CHECK_INT(f->dchannel_dossiers[0], 2);
	CHECK_NUM(f->dchannel_on_time_rate[0], 0.5);
	CHECK_NUM(f->dchannel_soc_rate[0], 0.5);
	CHECK_INT(f->dchannel_dossiers[1], 1);
	CHECK_NUM(f->dchannel_on_time_rate[1], NAN);
	CHECK_NUM(f->dchannel_soc_rate[1], 1.0);
	CHECK_INT(f->dchannel_dossiers[2], 1);
	CHECK_NUM(f->dchannel_on_time_rate[2], 1.0);
	CHECK_NUM(f->dchannel_soc_rate[2], 0.0);
	/* the procedure holds them all */
	CHECK_INT(m->procedures.n, 1);
	CHECK_NUM(m->procedures.v[0].fig.coverage_rate, 0.5);
	CHECK_INT(metric_scope_reason(&m->procedures.v[0], "wait"), 2);
	/* counter 1: a and b, f excluded; no dossiers of its own */
	CHECK_INT(m->counters.n, 1);
	s = &m->counters.v[0];
	CHECK_INT(metric_scope_reason(s, "wait"), 1);
	CHECK_INT(metric_scope_reason(s, "attitude"), 1);
	CHECK_INT(s->fig.visits_answered, 2);
	CHECK_NUM(s->fig.visits_mean, 1.5);
	CHECK_NUM(s->fig.one_visit_rate, 0.5);
	CHECK_INT(s->fig.channel_ratings[CHANNEL_KIOSK], 2);
	CHECK_INT(s->fig.excluded[STATUS_BURST - 1], 1);
	CHECK_NUM(s->fig.coverage_rate, NAN);
	/* officer VC01: one rating, below n_min: no figure of "why" */
	CHECK(json_has(m,
	    "\"reasons\":null,\"reasons_given\":null,\"visits_answered\":null,"
	    "\"visits_mean\":null,\"one_visit_rate\":null,\"by_channel\":null,"
	    "\"coverage_rate\":null,\"excluded\":null,"));
	metrics_free(m);

	/* staff find the spam genuine: g counts again, its reason too */
	CHECK_INT(ratings_set_status(db, g, STATUS_VALID, "user:lan", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(metric_scope_reason(&m->total, "wait"), 3);
	CHECK_INT(m->total.fig.excluded[STATUS_SPAM - 1], 0);
	CHECK_INT(m->total.fig.channel_ratings[CHANNEL_QR], 2);
	metrics_free(m);
	/* the burst judged a duplicate: from one excluded status to another */
	CHECK_INT(
	    ratings_set_status(db, 6, STATUS_DUPLICATE, "user:lan", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.excluded[STATUS_BURST - 1], 0);
	CHECK_INT(m->total.fig.excluded[STATUS_DUPLICATE - 1], 1);
	CHECK_INT(m->total.fig.ratings, 6);
	metrics_free(m);
	/* as of before d was given (the 18th), D3 was not covered yet */
	m = both("H21.227", OCT, "2026-10-18T08:00:00+07:00", 0);
	CHECK_INT(m->total.counts.covered, 1);
	CHECK_INT(m->total.fig.ratings, 3); /* a, b, c */
	metrics_free(m);
}

/* Strip a scope of what definition version 1 did not have. */
static void
to_version_1(json_t *o)
{
	static const char *const keys[] = { "reasons", "reasons_given",
		"visits_answered", "visits_mean", "one_visit_rate",
		"by_channel", "coverage_rate", "excluded", "dossier_by_channel",
		"why_partial", "by_requester", "assisted" };
	static const char *const counts[] = { "reasons", "reasons_given",
		"visits_answered", "visits_sum", "visits_one", "covered",
		"channel_ratings", "channel_satisfied", "excluded",
		"dchannel_dossiers", "dchannel_judged", "dchannel_on_time",
		"dchannel_soc", "requester_ratings", "requester_satisfied",
		"assisted_ratings", "assisted_satisfied" };
	json_t *c = json_object_get(o, "counts");

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		json_object_del(o, keys[i]);
	for (size_t i = 0; c != NULL && i < ARRAY_SIZE(counts); i++)
		json_object_del(c, counts[i]);
}

/*
 * A child that has not upgraded sends a document of definition version
 * 1: its counts add to every figure it has; those of "why" cover the
 * parent's own data only, and the document says which unit lacks them.
 */
static void
version_1_rolls_up(void)
{
	char err[256] = "";
	struct metrics *own, *child, *back;
	json_t *doc;
	char *text;

	fresh();
	CHECK_INT(instrument_install_default(db, err, sizeof(err)), 0);
	why_rating("a", 1, NULL, NULL, CHANNEL_KIOSK, 2, 2, "wait",
	    OCT_DAY("16"), STATUS_VALID);
	dossier(D1, P1, "H21.227", 1, OCT_DAY("01"), OCT_DAY("20"),
	    OCT_DAY("15"), 0, 0, 0, 0, 0, 0, NULL);
	rating("k1", "H21.228", 0, NULL, P1, NULL, 5, NULL, -1, -1,
	    OCT_DAY("10"), STATUS_VALID);
	rating("k2", "H21.228", 0, NULL, P1, NULL, 4, NULL, -1, -1,
	    OCT_DAY("11"), STATUS_VALID);
	own =
	    metrics_compute(db, "H21.227", OCT, T("2026-12-01T00:00:00+07:00"),
		METRICS_UNIT_ONLY, err, sizeof(err));
	child = metrics_compute(db, "H21.228", OCT,
	    T("2026-12-01T00:00:00+07:00"), 0, err, sizeof(err));
	CHECK(own != NULL && child != NULL);
	if (own == NULL || child == NULL)
		return;
	doc = metrics_to_json(child);
	json_object_set_new(doc, "definition_version", json_integer(1));
	json_object_del(doc, "reason_codes");
	json_object_del(doc, "why_partial");
	json_object_del(doc, "why_missing");
	to_version_1(json_object_get(doc, "total"));
	for (size_t i = 0;
	     i < json_array_size(json_object_get(doc, "procedures")); i++)
		to_version_1(
		    json_array_get(json_object_get(doc, "procedures"), i));
	back = metrics_from_json(doc, err, sizeof(err));
	if (back == NULL)
		fprintf(stderr, "  metrics_from_json: %s\n", err);
	CHECK(back != NULL);
	json_decref(doc);
	if (back == NULL)
		goto out;
	CHECK(back->total.why_partial);
	CHECK_INT(back->total.counts.by_level[4], 1);
	metrics_merge(own, back);
	metrics_finish(own);
	CHECK_INT(own->total.fig.ratings, 3);             /* 1 + 2 */
	CHECK_NUM(own->total.fig.satisfied_rate, 0.6667); /* 2/3 */
	CHECK_INT(own->total.fig.visits_answered, 1);     /* the parent's */
	CHECK_INT(metric_scope_reason(&own->total, "wait"), 1);
	CHECK_INT(own->total.fig.channel_ratings[CHANNEL_KIOSK], 1);
	CHECK_NUM(own->total.fig.coverage_rate, NAN); /* D is partial */
	CHECK_INT(own->nwhy_missing, 1);
	CHECK(json_has(
	    own, "\"why_partial\":true,\"why_missing\":[\"H21.228\"]"));
	/* and a parent above reads it back, still partial */
	text = metrics_dumps(own, false);
	doc = json_loads(text, 0, NULL);
	free(text);
	metrics_free(back);
	back = metrics_from_json(doc, err, sizeof(err));
	json_decref(doc);
	CHECK(
	    back != NULL && back->nwhy_missing == 1 && back->total.why_partial);
	metrics_free(back);
out:
	metrics_free(own);
	metrics_free(child);
}

/* --- Inclusion (definition version 3) ---------------------------------- */

static int64_t
incl_rating(const char *id, const char *unit, int counter, int level,
    enum rating_requester q, bool assisted, const char *rated_at,
    enum rating_status st)
{
	struct writer_job job;
	struct rating *r = &job.rating;

	memset(&job, 0, sizeof(job));
	rating_init(r);
	strcpy(r->id, id);
	strcpy(r->unit, unit);
	r->counter = counter;
	strcpy(r->procedure, P1);
	r->channel = CHANNEL_KIOSK;
	r->level = level;
	r->requester = q;
	r->assisted = assisted;
	r->rated_at = T(rated_at);
	r->received_at = r->rated_at + 60;
	r->status = st;
	r->client_time = true;
	strcpy(r->source, "test");
	job.done = noop_done;
	CHECK_INT(writer_store_batch(db, &job, &rollup_hooks), 0);
	CHECK_INT(job.result, WRITER_STORED);
	return job.seq;
}

/*
 * by_requester and assisted, by hand.  Of H21.227's October:
 *   i1 citizen  5 assisted  counter 1
 *   i2 citizen  2           counter 1
 *   i3 business 4
 *   i4 -        4 assisted
 *   i5 -        1
 *   i6 business 5           burst: counts in nothing
 *   i7 citizen  4 assisted  marked spam afterwards: counts in nothing
 * valid N = 5, satisfied i1 i3 i4.  citizen 2 (1 satisfied: 0.5),
 * business 1 (1: 1.0), not said 2 (i4: 0.5), assisted 2 (2: 1.0).
 * Counter 1: citizen 2 (0.5), business 0 (null), not said 0, assisted
 * 1 (1.0).
 */
static void
inclusion_figures(void)
{
	struct metrics *m;
	const struct metric_scope *c1 = NULL;
	int64_t i7;

	fresh();
	incl_rating("i1", "H21.227", 1, 5, REQUESTER_CITIZEN, true,
	    OCT_DAY("02"), STATUS_VALID);
	incl_rating("i2", "H21.227", 1, 2, REQUESTER_CITIZEN, false,
	    OCT_DAY("03"), STATUS_VALID);
	incl_rating("i3", "H21.227", 0, 4, REQUESTER_BUSINESS, false,
	    OCT_DAY("04"), STATUS_VALID);
	incl_rating("i4", "H21.227", 0, 4, REQUESTER_NONE, true, OCT_DAY("05"),
	    STATUS_VALID);
	incl_rating("i5", "H21.227", 0, 1, REQUESTER_NONE, false, OCT_DAY("06"),
	    STATUS_VALID);
	incl_rating("i6", "H21.227", 0, 5, REQUESTER_BUSINESS, false,
	    OCT_DAY("07"), STATUS_BURST);
	i7 = incl_rating("i7", "H21.227", 0, 4, REQUESTER_CITIZEN, true,
	    OCT_DAY("08"), STATUS_VALID);
	CHECK_INT(ratings_set_status(db, i7, STATUS_SPAM, "test", "spam"), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.ratings, 5);
	CHECK_INT(m->total.fig.requester_ratings[0], 2);
	CHECK_NUM(m->total.fig.requester_satisfied_rate[0], 0.5);
	CHECK_INT(m->total.fig.requester_ratings[1], 1);
	CHECK_NUM(m->total.fig.requester_satisfied_rate[1], 1.0);
	CHECK_INT(m->total.fig.requester_ratings[2], 2);
	CHECK_NUM(m->total.fig.requester_satisfied_rate[2], 0.5);
	CHECK_INT(m->total.fig.assisted_ratings, 2);
	CHECK_NUM(m->total.fig.assisted_satisfied_rate, 1.0);
	CHECK(json_has(m,
	    "\"by_requester\":{\"citizen\":{\"ratings\":2,"
	    "\"satisfied_rate\":0.5},\"business\":{\"ratings\":1,"
	    "\"satisfied_rate\":1.0},\"unspecified\":{\"ratings\":2,"
	    "\"satisfied_rate\":0.5}},\"assisted\":{\"ratings\":2,"
	    "\"satisfied_rate\":1.0}"));
	CHECK(json_has(
	    m, "\"requester_ratings\":[2,1],\"requester_satisfied\":[1,1]"));
	CHECK(json_has(m, "\"assisted_ratings\":2,\"assisted_satisfied\":2"));
	for (size_t i = 0; i < m->counters.n; i++)
		if (m->counters.v[i].counter == 1)
			c1 = &m->counters.v[i];
	CHECK(c1 != NULL);
	if (c1 != NULL) {
		CHECK_INT(c1->fig.requester_ratings[0], 2);
		CHECK_NUM(c1->fig.requester_satisfied_rate[0], 0.5);
		CHECK_INT(c1->fig.requester_ratings[1], 0);
		CHECK_NUM(c1->fig.requester_satisfied_rate[1], NAN);
		CHECK_INT(c1->fig.requester_ratings[2], 0);
		CHECK_INT(c1->fig.assisted_ratings, 1);
		CHECK_NUM(c1->fig.assisted_satisfied_rate, 1.0);
	}
	metrics_free(m);
	/* the spam mark lifted: i7 counts again (citizen, assisted) */
	CHECK_INT(ratings_set_status(db, i7, STATUS_VALID, "test", ""), 0);
	m = both("H21.227", OCT, "2026-12-01T00:00:00+07:00", 0);
	CHECK_INT(m->total.fig.requester_ratings[0], 3);
	CHECK_NUM(m->total.fig.requester_satisfied_rate[0], 0.6667);
	CHECK_INT(m->total.fig.assisted_ratings, 3);
	metrics_free(m);
}

/*
 * A child on definition version 2 kept no requester: its ratings roll
 * up as "not said" and none assisted, and its document is accepted.
 */
static void
version_2_rolls_up(void)
{
	char err[256] = "";
	struct metrics *own, *child, *back;
	json_t *doc;

	fresh();
	incl_rating("p1", "H21.227", 0, 5, REQUESTER_BUSINESS, true,
	    OCT_DAY("02"), STATUS_VALID);
	incl_rating("c1", "H21.228", 0, 5, REQUESTER_NONE, false, OCT_DAY("03"),
	    STATUS_VALID);
	incl_rating("c2", "H21.228", 0, 2, REQUESTER_NONE, false, OCT_DAY("04"),
	    STATUS_VALID);
	own =
	    metrics_compute(db, "H21.227", OCT, T("2026-12-01T00:00:00+07:00"),
		METRICS_UNIT_ONLY, err, sizeof(err));
	child = metrics_compute(db, "H21.228", OCT,
	    T("2026-12-01T00:00:00+07:00"), 0, err, sizeof(err));
	CHECK(own != NULL && child != NULL);
	if (own == NULL || child == NULL)
		return;
	doc = metrics_to_json(child);
	json_object_set_new(doc, "definition_version", json_integer(2));
	{
		json_t *t = json_object_get(doc, "total");
		json_t *c = json_object_get(t, "counts");

		json_object_del(t, "by_requester");
		json_object_del(t, "assisted");
		json_object_del(c, "requester_ratings");
		json_object_del(c, "requester_satisfied");
		json_object_del(c, "assisted_ratings");
		json_object_del(c, "assisted_satisfied");
		for (size_t i = 0;
		     i < json_array_size(json_object_get(doc, "procedures"));
		     i++) {
			t = json_array_get(
			    json_object_get(doc, "procedures"), i);
			c = json_object_get(t, "counts");
			json_object_del(t, "by_requester");
			json_object_del(t, "assisted");
			json_object_del(c, "requester_ratings");
			json_object_del(c, "requester_satisfied");
			json_object_del(c, "assisted_ratings");
			json_object_del(c, "assisted_satisfied");
		}
	}
	back = metrics_from_json(doc, err, sizeof(err));
	if (back == NULL)
		fprintf(stderr, "  metrics_from_json: %s\n", err);
	CHECK(back != NULL);
	/* a version-3 document lacking them is refused */
	json_object_set_new(doc, "definition_version", json_integer(3));
	CHECK(metrics_from_json(doc, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "requester_ratings") != NULL ||
	    strstr(err, "assisted") != NULL);
	json_decref(doc);
	if (back == NULL)
		goto out;
	CHECK(!back->total.why_partial);
	metrics_merge(own, back);
	metrics_finish(own);
	CHECK_INT(own->total.fig.ratings, 3);
	CHECK_INT(own->total.fig.requester_ratings[1], 1); /* the parent's */
	CHECK_INT(own->total.fig.requester_ratings[2], 2); /* the child's */
	CHECK_NUM(own->total.fig.requester_satisfied_rate[2], 0.5);
	CHECK_INT(own->total.fig.assisted_ratings, 1);
	metrics_free(back);
out:
	metrics_free(own);
	metrics_free(child);
}

static void
rounding(void)
{
	struct metric_counts c;
	struct metric_figures f;

	/* 2469 / 20000 = .12345: half away from zero -> .1235 (the double
	 * nearest .12345 is below it, so naive rounding gives .1234) */
	CHECK_NUM(metric_round_ratio(2469, 20000, 4), 0.1235);
	/* 1/8 = .125 to 2 decimals: .13 (half to even would give .12) */
	CHECK_NUM(metric_round_ratio(1, 8, 2), 0.13);
	CHECK_NUM(metric_round_ratio(3, 8, 2), 0.38);
	CHECK_NUM(metric_round_ratio(2, 3, 4), 0.6667);
	CHECK_NUM(metric_round_ratio(1, 3, 4), 0.3333);

	/* satisfied 2469 of 20000 */
	memset(&c, 0, sizeof(c));
	c.by_level[4] = 2469;
	c.by_level[0] = 20000 - 2469;
	f = fig_of(&c);
	CHECK_NUM(f.satisfied_rate, 0.1235);
	/* mean: (2469 x 5 + 17531 x 1) / 20000 = 29876 / 20000 = 1.4938 */
	CHECK_NUM(f.mean_level, 1.4938);

	/* points, 2 decimals */
	memset(&c, 0, sizeof(c));
	c.dossiers = 4000;
	c.judged = 4000;
	c.on_time = 1;   /* 2.1: 20 x 1/4000 = .005 -> .01 */
	c.digitized = 5; /* 4.2: 4 x 5/4000 = .005 -> .01 */
	c.online = 1;    /* 3.3: 6 x (1/4000)/.5 = .003 -> .00 */
	c.bad = 0;       /* 5.4: rate 1 >= .9: 6 */
	f = fig_of(&c);
	CHECK_NUM(f.points[POINT_21], 0.01);
	CHECK_NUM(f.points[POINT_42], 0.01);
	CHECK_NUM(f.points[POINT_33], 0.0);
	CHECK_NUM(f.points[POINT_54], 6.0);
	/* 3.3 caps at 6 from 50% online; 5.4 exactly at 90% is full */
	c.online = 2000;
	c.bad = 400; /* (4000 - 400) / 4000 = .9 */
	f = fig_of(&c);
	CHECK_NUM(f.points[POINT_33], 6.0);
	CHECK_NUM(f.points[POINT_54], 6.0);
	/* 3.3 at 25%: 6 x .25 / .5 = 3; 5.4 at 89.975%: 6 x .89975 / .9 =
	 * 5.99833.. -> 6.00 but not "full" by the rule */
	c.online = 1000;
	c.bad = 401;
	f = fig_of(&c);
	CHECK_NUM(f.points[POINT_33], 3.0);
	CHECK_NUM(f.points[POINT_54], 6.0);
	CHECK_NUM(f.handling_satisfaction_rate, 0.8998); /* .89975 -> up */
}

static void
counts_json_round_trip(void)
{
	struct metric_counts c, back;
	char err[128];
	json_t *j;

	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < sizeof(c) / sizeof(int64_t); i++)
		((int64_t *)(void *)&c)[i] = (int64_t)(i * 7 + 1);
	j = metric_counts_to_json(&c);
	CHECK_INT(metric_counts_from_json(j, &back, err, sizeof(err)), 0);
	CHECK(memcmp(&c, &back, sizeof(c)) == 0);
	/* an unknown key or a negative count is refused */
	json_object_set_new(j, "dossiers", json_integer(-1));
	CHECK_INT(metric_counts_from_json(j, &back, err, sizeof(err)), -1);
	CHECK(strstr(err, "dossiers") != NULL);
	json_object_set_new(j, "dossiers", json_integer(1));
	json_object_set_new(j, "extra", json_integer(1));
	CHECK_INT(metric_counts_from_json(j, &back, err, sizeof(err)), -1);
	json_decref(j);
}

static void
default_rules_are_metrics_md(void)
{
	struct metric_rules stored, def;
	char err[256];

	fresh();
	CHECK_INT(rules_for_month(db, OCT, &stored, err, sizeof(err)), 0);
	rules_defaults(&def);
	CHECK_INT(stored.version, 1);
	CHECK_INT(stored.effective_month, 200001);
	CHECK_INT(stored.n_min, def.n_min);
	CHECK_NUM(stored.z, def.z);
	CHECK_INT(stored.satisfied_min, 900000);
	CHECK_INT(stored.supplement_max, 200000);
	CHECK_INT(stored.online_min, 500000);
	CHECK_INT(stored.on_time_min, 900000);
	CHECK_INT(stored.p21_max, 2000);
	CHECK_INT(stored.p33_max, 600);
	CHECK_INT(stored.p33_target, 500000);
	CHECK_INT(stored.p42_max, 400);
	CHECK_INT(stored.p54_max, 600);
	CHECK_INT(stored.p54_full_at, 900000);
	CHECK(stored.satisfied_min == def.satisfied_min &&
	    stored.p54_full_at == def.p54_full_at);
	/* a body with a fraction out of range is refused, naming it */
	CHECK_INT(
	    rules_parse("{\"n_min\":10}", 12, &def, err, sizeof(err)), -1);
	CHECK(strstr(err, "z") != NULL);
}

int
main(void)
{
	log_set_level(LOG_WARN);
	dir = test_tmpdir();
	RUN(time_zone_boundary);
	RUN(supplements_and_seconds);
	RUN(open_dossier_as_of);
	RUN(no_due_at);
	RUN(bad_by_low_rating_next_month);
	RUN(complaint);
	RUN(flagged_ratings_excluded);
	RUN(procedure_from_late_dossier);
	RUN(procedure_moves_with_dossier);
	RUN(foreign_dossier_not_attributed);
	RUN(kiosk_rating_with_dossier);
	RUN(attribution_cost);
	RUN(rating_figures);
	RUN(rollup_is_sum_of_communes);
	RUN(wilson);
	RUN(flag_thresholds);
	RUN(flagged_lists_sorted);
	RUN(null_cases);
	RUN(why_figures);
	RUN(version_1_rolls_up);
	RUN(inclusion_figures);
	RUN(version_2_rolls_up);
	RUN(rounding);
	RUN(counts_json_round_trip);
	RUN(default_rules_are_metrics_md);
	db_close(db);
	return test_report("test_metrics");
}
