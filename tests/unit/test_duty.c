/* test_duty.c -- the duty log, and the officer the writer gives a rating. */
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/duty.h"
#include "core/officers.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/store.h"
#include "core/writer.h"
#include "test.h"

#define U "H21.227"

static char err[512];
static struct change ch = { "test:duty", LANG_EN, err, sizeof(err) };
/* a day ago, on the hour: every time of the tests is in the past */
static int64_t base;

static struct db *
fresh_db(void)
{
	char path[128], e[256];
	struct db *db;

	snprintf(path, sizeof(path), "%s/t.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, e, sizeof(e));
	if (db == NULL || refdata_load_builtin(db, e, sizeof(e)) < 0 ||
	    refdata_load_demo(db, e, sizeof(e)) < 0) {
		fprintf(stderr, "fresh_db: %s\n", e);
		exit(2);
	}
	return db;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	if (db_int(db, &n, sql, "") != 0)
		return -1;
	return n;
}

/* The officer at counter c at t, "" for none ("?" on an error). */
static const char *
at(struct db *db, int c, int64_t t)
{
	static char officer[33];
	int rc = duty_officer_at(db, U, c, t, officer);

	if (rc != 0)
		strcpy(officer, rc == 1 ? "" : "?");
	return officer;
}

static void
shift_change_at_one_counter(void)
{
	struct db *db = fresh_db();
	struct duty_row d;

	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base), 0);
	CHECK_INT(duty_start(db, &ch, U, 1, "VC04", base + 3600), 0);
	CHECK_STR(at(db, 1, base - 1), "");
	/* a rating exactly at started_at counts; exactly at ended_at not */
	CHECK_STR(at(db, 1, base), "VC01");
	CHECK_STR(at(db, 1, base + 3599), "VC01");
	CHECK_STR(at(db, 1, base + 3600), "VC04");
	CHECK_STR(at(db, 1, base + 86000), "VC04");
	CHECK_STR(at(db, 2, base + 100), "");
	CHECK_INT(duty_open_at(db, U, 1, &d), 0);
	CHECK_STR(d.officer, "VC04");
	CHECK_INT(d.ended_at, 0);
	CHECK_STR(d.started_by, "test:duty");
	/* VC01's span ended by the change, with its audit entry */
	CHECK_INT(
	    count(db, "SELECT ended_at FROM duty WHERE officer = 'VC01'") -
		base,
	    3600);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'duty.start' AND target = 'H21.227/1'"),
	    2);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action = 'duty.end' "
		      "AND target = 'H21.227/1' AND detail LIKE "
		      "'%\"officer\":\"VC01\"%'"),
	    1);
	/* the end of the day: nobody from then on */
	CHECK_INT(duty_end(db, &ch, U, 1, base + 7200), 0);
	CHECK_STR(at(db, 1, base + 7199), "VC04");
	CHECK_STR(at(db, 1, base + 7200), "");
	CHECK_INT(duty_open_at(db, U, 1, &d), 1);
	/* and a new shift may start right where the last one ended */
	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base + 7200), 0);
	CHECK_STR(at(db, 1, base + 7200), "VC01");
	CHECK_STR(at(db, 1, base + 7199), "VC04");
	db_close(db);
}

static void
officer_moves_counters(void)
{
	struct db *db = fresh_db();

	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base), 0);
	CHECK_INT(duty_start(db, &ch, U, 2, "VC02", base), 0);
	/* VC01 takes counter 2: VC02 leaves it, counter 1 is left empty */
	CHECK_INT(duty_start(db, &ch, U, 2, "VC01", base + 600), 0);
	CHECK_STR(at(db, 1, base + 599), "VC01");
	CHECK_STR(at(db, 1, base + 600), "");
	CHECK_STR(at(db, 2, base + 599), "VC02");
	CHECK_STR(at(db, 2, base + 600), "VC01");
	CHECK_INT(
	    count(db, "SELECT count(*) FROM duty WHERE ended_at IS NULL"), 1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'duty.end'"),
	    2);
	/* the same officer again where they are: nothing changes */
	CHECK_INT(duty_start(db, &ch, U, 2, "VC01", base + 900), 0);
	CHECK_INT(count(db, "SELECT count(*) FROM duty"), 3);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action LIKE "
		      "'duty.%'"),
	    5);
	db_close(db);
}

static int
collect(void *arg, const struct duty_row *d)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%d:%s ", d->counter, d->officer);
	return 0;
}

static void
list_a_day(void)
{
	struct db *db = fresh_db();
	char got[256] = "";

	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base), 0);
	CHECK_INT(duty_end(db, &ch, U, 1, base + 100), 0);
	CHECK_INT(duty_start(db, &ch, U, 3, "VC03", base + 50), 0);
	CHECK_INT(duty_start(db, &ch, U, 1, "VC04", base + 200), 0);
	/* newest first; a span touching [from, until) is in */
	CHECK_INT(duty_list(db, U, base, base + 1000, collect, got), 0);
	CHECK_STR(got, "1:VC04 3:VC03 1:VC01 ");
	got[0] = '\0';
	CHECK_INT(duty_list(db, U, base + 100, base + 200, collect, got), 0);
	CHECK_STR(got, "3:VC03 ");
	got[0] = '\0';
	CHECK_INT(duty_list(db, "H21.228", base, base + 1000, collect, got), 0);
	CHECK_STR(got, "");
	db_close(db);
}

/* A refusal: SETUP_BAD, the message, the kind, and nothing written. */
static void
refused(struct db *db, struct duty_request *req, enum duty_refusal why,
    const char *says)
{
	int64_t rows = count(db, "SELECT count(*) FROM duty");
	int64_t open = count(db,
	    "SELECT count(*) FROM duty WHERE ended_at "
	    "IS NULL");
	int64_t audit = count(db, "SELECT count(*) FROM audit");

	err[0] = '\0';
	CHECK_INT(duty_apply(db, &ch, req), SETUP_BAD);
	CHECK_INT(req->why, why);
	if (strstr(err, says) == NULL)
		FAIL_AT("message \"%s\" does not say \"%s\"", err, says);
	CHECK_INT(count(db, "SELECT count(*) FROM duty"), rows);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM duty WHERE ended_at IS "
		      "NULL"),
	    open);
	CHECK_INT(count(db, "SELECT count(*) FROM audit"), audit);
	CHECK(!db_in_transaction(db));
}

static void
refusals(void)
{
	struct db *db = fresh_db();
	struct duty_request r;

#define START(c, o, t) \
	(r = (struct duty_request){ .start = true, \
	     .unit = U, \
	     .counter = (c), \
	     .officer = (o), \
	     .at = (t) }, \
	    &r)
#define END(c, t) \
	(r = (struct duty_request){ .unit = U, .counter = (c), .at = (t) }, &r)

	CHECK_INT(
	    officers_add(db, &ch, "H21.228", "VN01", "Người xã khác", 0), 0);
	CHECK_INT(counters_add(db, &ch, U, 7, "Quầy 7"), 0);
	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base + 100), 0);
	refused(db, START(2, "VC02", hl_now() + 120), DUTY_BAD_TIME,
	    "in the future");
	refused(db, START(1, "VC04", base + 99), DUTY_CONFLICT,
	    "before the last change at counter 1");
	/* VC01's last change is at base+100, counter 2's log is empty */
	refused(db, START(2, "VC01", base + 50), DUTY_CONFLICT,
	    "before the last change of officer 'VC01'");
	refused(db, START(2, "VC09", base + 200), DUTY_BAD_OFFICER,
	    "no officer 'VC09'");
	refused(db, START(2, "VN01", base + 200), DUTY_BAD_OFFICER,
	    "officer 'VN01' is of unit H21.228, not H21.227");
	refused(db, START(2, "bad id!", base + 200), DUTY_BAD_OFFICER,
	    "not an officer id");
	refused(db, START(9, "VC02", base + 200), DUTY_NO_COUNTER,
	    "unit H21.227 has no counter 9");
	refused(db, END(9, base + 200), DUTY_NO_COUNTER, "has no counter 9");
	r = (struct duty_request){
		.start = true, .unit = "H99", .counter = 1, .officer = "VC02"
	};
	refused(db, &r, DUTY_NO_COUNTER, "no unit 'H99'");
	refused(db, END(2, base + 200), DUTY_CONFLICT,
	    "nobody is on duty at counter 2");
	/* a span would end when it starts */
	refused(db, START(1, "VC04", base + 100), DUTY_CONFLICT,
	    "that very second");
	refused(db, END(1, base + 100), DUTY_CONFLICT, "that very second");
	refused(db, START(2, "VC01", base + 100), DUTY_CONFLICT,
	    "that very second");
	CHECK_INT(officers_disable(db, &ch, "VC03"), 0);
	refused(db, START(3, "VC03", base + 200), DUTY_BAD_OFFICER,
	    "officer 'VC03' is disabled");
	CHECK_INT(counters_disable(db, &ch, U, 7), 0);
	refused(db, START(7, "VC02", base + 200), DUTY_CONFLICT,
	    "counter 7 of H21.227 is disabled");
	/* in Vietnamese for the console */
	ch.lang = LANG_VI;
	refused(db, END(2, base + 200), DUTY_CONFLICT,
	    "Không có cán bộ nào đang trực ở quầy 2 của H21.227");
	refused(db, START(2, "VC09", base + 200), DUTY_BAD_OFFICER,
	    "Không có cán bộ 'VC09'");
	{
		/* a time in words people read: HH:MM:SS dd/mm/yyyy */
		char want[80], d[11];
		int64_t t = base + 86400 + 7200 + 3 * 60 + 4;

		date_vn(t, d);
		snprintf(want, sizeof(want),
		    "Thời điểm %02d:03:04 %s ở tương lai",
		    (int)((t + HL_TZ_OFFSET) / 3600 % 24), d);
		refused(db, START(2, "VC02", t), DUTY_BAD_TIME, want);
	}
	ch.lang = LANG_EN;
	/* after all that, the one span stands as it was */
	CHECK_STR(at(db, 1, base + 100), "VC01");
	CHECK_INT(count(db, "SELECT count(*) FROM duty"), 1);
#undef START
#undef END
	db_close(db);
}

static void
job_done(struct writer_job *j)
{
	(void)j;
}

static void
job(struct writer_job *j, const char *id, int counter, const char *officer,
    int64_t rated_at, const char *fallback)
{
	memset(j, 0, sizeof(*j));
	rating_init(&j->rating);
	strlcpy_hl(j->rating.id, id, sizeof(j->rating.id));
	strcpy(j->rating.unit, U);
	j->rating.counter = counter;
	strlcpy_hl(j->rating.officer, officer, sizeof(j->rating.officer));
	j->rating.channel = CHANNEL_KIOSK;
	j->rating.level = 4;
	j->rating.rated_at = rated_at;
	j->rating.received_at = hl_now();
	j->rating.client_time = true;
	strcpy(j->rating.source, "kiosk:k1");
	strlcpy_hl(j->default_officer, fallback, sizeof(j->default_officer));
	j->done = job_done;
}

static void
store(struct db *db, struct writer_job *jobs, int n)
{
	for (int i = 0; i < n; i++)
		jobs[i].next = i + 1 < n ? &jobs[i + 1] : NULL;
	CHECK_INT(writer_store_batch(db, jobs, NULL), 0);
}

/* The stored officer of rating `id`, "" for none. */
static const char *
stored_officer(struct db *db, const char *id)
{
	static char out[33];
	struct db_stmt *st = db_query(db,
	    "SELECT coalesce(officer, '') FROM ratings WHERE id = ?", "t", id);

	strcpy(out, "?");
	if (st != NULL && db_step(st) == DB_ROW)
		strlcpy_hl(out, db_col_text(st, 0), sizeof(out));
	db_done(st);
	return out;
}

static void
writer_attributes(void)
{
	struct db *db = fresh_db();
	struct writer_job j[6];

	/* a rating stored before any duty keeps what it got */
	job(&j[0], "early", 1, "", base + 30, "");
	store(db, j, 1);
	CHECK_INT(j[0].result, WRITER_STORED);
	CHECK_STR(stored_officer(db, "early"), "");
	CHECK_INT(duty_start(db, &ch, U, 1, "VC01", base), 0);
	CHECK_INT(duty_start(db, &ch, U, 1, "VC04", base + 3600), 0);
	job(&j[0], "a", 1, "", base + 10, "");       /* VC01's shift */
	job(&j[1], "b", 1, "", base + 3600, "VC03"); /* VC04's, exactly */
	job(&j[2], "c", 1, "VC02", base + 10, "");   /* its own officer */
	job(&j[3], "d", 1, "", base - 10, "VC03");   /* before any duty */
	job(&j[4], "e", 2, "", base + 10, "");       /* nobody at 2 */
	job(&j[5], "f", 0, "", base + 10, "VC03");   /* no counter */
	store(db, j, 6);
	for (int i = 0; i < 6; i++)
		CHECK_INT(j[i].result, WRITER_STORED);
	CHECK_STR(stored_officer(db, "a"), "VC01");
	CHECK_STR(stored_officer(db, "b"), "VC04");
	CHECK_STR(stored_officer(db, "c"), "VC02");
	CHECK_STR(stored_officer(db, "d"), "VC03");
	CHECK_STR(stored_officer(db, "e"), "");
	CHECK_STR(stored_officer(db, "f"), "");
	CHECK_STR(stored_officer(db, "early"), "");
	/* the chain covers the officer the writer chose */
	{
		struct chain_check cc;

		CHECK_INT(ratings_verify_chain(db, &cc), 0);
	}
	/* sent again after the log changed: still the same rating */
	CHECK_INT(duty_start(db, &ch, U, 1, "VC02", base + 7200), 0);
	job(&j[0], "b", 1, "", base + 3600, "");
	job(&j[1], "a", 1, "VC03", base + 10, "");
	store(db, j, 2);
	CHECK_INT(j[0].result, WRITER_DUPLICATE);
	CHECK_INT(j[1].result, WRITER_CONFLICT);
	CHECK_STR(stored_officer(db, "b"), "VC04");
	db_close(db);
}

int
main(void)
{
	base = (hl_now() - 86400) / 3600 * 3600;
	RUN(shift_change_at_one_counter);
	RUN(officer_moves_counters);
	RUN(list_a_day);
	RUN(refusals);
	RUN(writer_attributes);
	return test_report("test_duty");
}
