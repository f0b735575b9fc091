/* test_store.c -- migrations, the ratings chain, the writer, the audit log. */
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/encode.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/ratings.h"
#include "core/refdata.h"
#include "core/store.h"
#include "core/writer.h"
#include "test.h"

extern const struct embed_file server_files[];

static char dbpath[128];

/* A database with the reference data, fresh for each test. */
static struct db *
fresh_db(void)
{
	char err[256];
	struct db *db;

	snprintf(dbpath, sizeof(dbpath), "%s/t.db", test_tmpdir());
	db = store_open(dbpath, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fresh_db: %s\n", err);
		exit(2);
	}
	return db;
}

static void
golden_rating(struct rating *r)
{
	rating_init(r);
	strcpy(r->id, "golden-0001");
	strcpy(r->unit, "H21.227");
	r->counter = 1;
	strcpy(r->officer, "VC01");
	strcpy(r->procedure, "1.001193");
	strcpy(r->dossier, "H21.227-261008-0001");
	r->channel = CHANNEL_KIOSK;
	r->level = 4;
	r->criteria[0] = 2;
	r->criteria[1] = 1;
	r->criteria[3] = 0;
	r->criteria[6] = 2;
	r->supplement_reported = 1;
	r->visits = 2;
	strcpy(r->reasons, "wait,attitude");
	r->rated_at = 1793464200;
	r->received_at = 1793464260;
	strcpy(r->source, "kiosk:k1");
	r->client_time = true;
}

static void
migrations(void)
{
	struct db *db = fresh_db();
	struct stat st;
	char err[256];
	int v = -1;

	CHECK_INT(db_user_version(db, &v), 0);
	CHECK_INT(v, store_schema_version());
	CHECK(store_schema_version() >= 1);
	CHECK_INT(stat(dbpath, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	db_close(db);
	/* again: nothing to do, still fine */
	db = store_open(dbpath, 0, err, sizeof(err));
	CHECK(db != NULL);
	/* a database from a newer hailong is refused, untouched */
	db_set_user_version(db, 99);
	db_close(db);
	db = store_open(dbpath, 0, err, sizeof(err));
	CHECK(db == NULL);
	CHECK(strstr(err, "schema version 99") != NULL);
	CHECK(strstr(err, "newer hailong") != NULL);
	/* read-only opens never migrate: an old schema is named */
	db = db_open(dbpath, 0, err, sizeof(err));
	db_set_user_version(db, 0);
	db_close(db);
	db = store_open(dbpath, STORE_READONLY, err, sizeof(err));
	CHECK(db == NULL);
	CHECK(strstr(err, "hailong init") != NULL);
	db = store_open(dbpath, STORE_CREATE, err, sizeof(err));
	CHECK(db == NULL); /* 001 on top of existing tables fails cleanly */
	CHECK(strstr(err, "migration") != NULL);
}

static int done_calls;

static void
count_done(struct writer_job *j)
{
	(void)j;
	done_calls++;
}

/* Store ratings through the writer's synchronous path; returns results. */
static void
store(struct db *db, struct writer_job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		jobs[i].done = count_done;
		jobs[i].next = i + 1 < n ? &jobs[i + 1] : NULL;
	}
	writer_store_batch(db, jobs, NULL);
}

static void
canonical_and_chain(void)
{
	static const char want[] =
	    "hailong-rating-v1\nseq=1\nid=golden-0001\n"
	    "unit=H21.227\ncounter=1\nofficer=VC01\nprocedure=1.001193\n"
	    "dossier=H21.227-261008-0001\nchannel=kiosk\nlevel=4\n"
	    "criteria=2,1,,0,,,2,,\nsupplement_reported=1\n"
	    "online_error_reported=\nvisits=2\nreasons=wait,attitude\n"
	    "rated_at=1793464200\nreceived_at=1793464260\nstatus=valid\n"
	    "source=kiosk:k1\n";
	/* sha256(32 zero bytes || want), computed apart with Python hashlib */
	static const char want_chain[] = "cb4921cec27a9e5ff1022b0553eb6017"
					 "40da12ec3d39d97c3ad478e275973d6b";
	struct db *db = fresh_db();
	struct writer_job jobs[5];
	unsigned char head[SHA256_LEN];
	char hex[65];
	struct buf b = { 0 };
	struct chain_check cc;
	int64_t seq;

	memset(jobs, 0, sizeof(jobs));
	golden_rating(&jobs[0].rating);
	CHECK(rating_check(&jobs[0].rating) == NULL);
	rating_canonical(&jobs[0].rating, 1, &b);
	CHECK_STR(buf_str(&b), want);
	buf_release(&b);

	for (int i = 1; i < 5; i++) {
		golden_rating(&jobs[i].rating);
		snprintf(
		    jobs[i].rating.id, sizeof(jobs[i].rating.id), "r-%d", i);
		jobs[i].rating.level = i;
	}
	done_calls = 0;
	store(db, jobs, 5);
	CHECK_INT(done_calls, 5);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(jobs[i].result, WRITER_STORED);
		CHECK_INT(jobs[i].seq, i + 1);
	}
	/* the first row's chain is exactly the independent computation */
	{
		struct db_stmt *st = db_query(
		    db, "SELECT hex(chain) FROM ratings WHERE seq = 1", "");

		CHECK(st != NULL && db_step(st) == DB_ROW);
		for (int i = 0; i < 64; i++)
			hex[i] = (char)(db_col_text(st, 0)[i] | 0x20);
		hex[64] = '\0';
		db_done(st);
		CHECK_STR(hex, want_chain);
	}
	CHECK_INT(ratings_verify_chain(db, &cc), 0);
	CHECK_INT(cc.rows, 5);
	CHECK_INT(cc.folded, 0);
	CHECK_INT(ratings_chain_head(db, &seq, head), 0);
	CHECK_INT(seq, 5);

	/* an edited level is found at its row */
	db_exec(db, "DROP TRIGGER ratings_immutable");
	db_exec(db, "UPDATE ratings SET level = 5 WHERE seq = 3");
	CHECK_INT(ratings_verify_chain(db, &cc), 1);
	CHECK_INT(cc.bad_seq, 3);
	CHECK_INT(cc.rows, 2);
	db_exec(db, "UPDATE ratings SET level = 2 WHERE seq = 3");
	CHECK_INT(ratings_verify_chain(db, &cc), 0);
	/* so is a deleted row: its seq is missing */
	db_exec(db, "DROP TRIGGER ratings_no_delete");
	db_exec(db, "DELETE FROM ratings WHERE seq = 2");
	CHECK_INT(ratings_verify_chain(db, &cc), 1);
	CHECK_INT(cc.bad_seq, 2);
	CHECK(strstr(cc.why, "missing") != NULL);
	db_close(db);
}

/*
 * The requester and the assisted mark (schema 015) enter the chain only
 * when set: a rating without them has the bytes of before, so old links
 * verify; one with them differs by its own lines, and an edit of either
 * is found at its row.
 */
static void
inclusion_in_chain(void)
{
	struct db *db = fresh_db();
	struct writer_job jobs[3];
	struct buf plain = { 0 }, with = { 0 };
	struct chain_check cc;

	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 3; i++) {
		golden_rating(&jobs[i].rating);
		snprintf(
		    jobs[i].rating.id, sizeof(jobs[i].rating.id), "q-%d", i);
	}
	rating_canonical(&jobs[0].rating, 1, &plain);
	jobs[1].rating.requester = REQUESTER_BUSINESS;
	jobs[1].rating.assisted = true;
	jobs[2].rating.requester = REQUESTER_CITIZEN;
	rating_canonical(&jobs[1].rating, 1, &with);
	/* the same id for the comparison: only the new lines differ */
	CHECK(with.len > plain.len);
	CHECK(strstr(buf_str(&plain), "requester=") == NULL);
	CHECK(strstr(buf_str(&with),
		  "\nsource=kiosk:k1\nrequester=business\n"
		  "assisted=1\n") != NULL);
	CHECK(!rating_same_content(&jobs[0].rating, &jobs[1].rating));
	buf_release(&plain);
	buf_release(&with);
	store(db, jobs, 3);
	for (int i = 0; i < 3; i++)
		CHECK_INT(jobs[i].result, WRITER_STORED);
	CHECK_INT(ratings_verify_chain(db, &cc), 0);
	CHECK_INT(cc.rows, 3);
	/* the database keeps them as 015 says: NULL / 1 / 2 and 0 / 1 */
	{
		int64_t n = -1;

		CHECK_INT(
		    db_int(db, &n,
			"SELECT count(*) FROM ratings WHERE "
			"(seq = 1 AND requester IS NULL AND assisted = 0) "
			"OR (seq = 2 AND requester = 2 AND assisted = 1) "
			"OR (seq = 3 AND requester = 1 AND assisted = 0)",
			""),
		    0);
		CHECK_INT(n, 3);
	}
	db_exec(db, "DROP TRIGGER ratings_immutable");
	db_exec(db, "UPDATE ratings SET assisted = 1 WHERE seq = 3");
	CHECK_INT(ratings_verify_chain(db, &cc), 1);
	CHECK_INT(cc.bad_seq, 3);
	db_exec(db,
	    "UPDATE ratings SET assisted = 0, requester = 2 "
	    "WHERE seq = 3");
	CHECK_INT(ratings_verify_chain(db, &cc), 1);
	CHECK_INT(cc.bad_seq, 3);
	/* and the schema refuses another code */
	CHECK(
	    db_exec(db, "UPDATE ratings SET requester = 3 WHERE seq = 3") < 0);
	db_close(db);
}

static void
outcomes(void)
{
	struct db *db = fresh_db();
	struct writer_job a[4], b[3];
	int64_t n;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	for (int i = 0; i < 4; i++)
		golden_rating(&a[i].rating);
	strcpy(a[1].rating.id, "second");
	/* a dossier token's first use */
	strcpy(a[2].rating.id, "dt-1");
	a[2].rating.dossier_token = true;
	a[2].rating.channel = CHANNEL_QR;
	/* an unknown unit: the database refuses this one row only */
	strcpy(a[3].rating.id, "bad-unit");
	strcpy(a[3].rating.unit, "H99.999");
	store(db, a, 4);
	CHECK_INT(a[0].result, WRITER_STORED);
	CHECK_INT(a[1].result, WRITER_STORED);
	CHECK_INT(a[2].result, WRITER_STORED);
	CHECK_INT(a[3].result, WRITER_REJECTED);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM ratings", ""), 0);
	CHECK_INT(n, 3);

	/* the same id and content again: a duplicate, stored once */
	golden_rating(&b[0].rating);
	/* the same id, another level: a conflict */
	golden_rating(&b[1].rating);
	strcpy(b[1].rating.id, "second");
	b[1].rating.level = 1;
	/* the same dossier through its token, a new id: refused */
	golden_rating(&b[2].rating);
	strcpy(b[2].rating.id, "dt-2");
	b[2].rating.dossier_token = true;
	b[2].rating.channel = CHANNEL_QR;
	store(db, b, 3);
	CHECK_INT(b[0].result, WRITER_DUPLICATE);
	CHECK_INT(b[0].seq, a[0].seq);
	CHECK_INT(b[1].result, WRITER_CONFLICT);
	CHECK_INT(b[2].result, WRITER_DOSSIER_USED);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM ratings", ""), 0);
	CHECK_INT(n, 3);
	/* the same key on another channel is another rating */
	memset(b, 0, sizeof(b));
	golden_rating(&b[0].rating);
	b[0].rating.channel = CHANNEL_IMPORT;
	store(db, b, 1);
	CHECK_INT(b[0].result, WRITER_STORED);
	db_close(db);
}

static void
all_or_nothing(void)
{
	struct db *db = fresh_db();
	struct writer_job jobs[3];
	int64_t n;

	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 3; i++) {
		golden_rating(&jobs[i].rating);
		snprintf(
		    jobs[i].rating.id, sizeof(jobs[i].rating.id), "aon-%d", i);
	}
	/* the middle one's consent names a text version that does not
	 * exist: its consent row fails after its rating row went in */
	jobs[1].rating.comment = strdup("gọi lại giúp tôi");
	strcpy(jobs[1].rating.phone, "0912345678");
	jobs[1].rating.consent_version = 99;
	store(db, jobs, 3);
	CHECK_INT(jobs[0].result, WRITER_STORED);
	CHECK_INT(jobs[1].result, WRITER_REJECTED);
	CHECK_INT(jobs[2].result, WRITER_STORED);
	/* no trace of the refused one: no rating, no comment, no callback */
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM ratings WHERE id = "
		      "'aon-1'",
		      ""),
	    0);
	CHECK_INT(n, 0);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM rating_texts", ""), 0);
	CHECK_INT(n, 0);
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM callbacks", ""), 0);
	CHECK_INT(n, 0);
	/* and the chain runs straight through the two that were stored */
	CHECK_INT(jobs[2].seq, jobs[0].seq + 1);
	{
		struct chain_check cc;

		CHECK_INT(ratings_verify_chain(db, &cc), 0);
		CHECK_INT(cc.rows, 2);
	}
	rating_release(&jobs[1].rating);
	db_close(db);
}

struct submitter {
	struct writer *w;
	int base;
	struct writer_job jobs[50];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int thread_done;

static void
thread_job_done(struct writer_job *j)
{
	(void)j;
	pthread_mutex_lock(&mu);
	thread_done++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static void *
submit_all(void *arg)
{
	struct submitter *s = arg;

	for (int i = 0; i < 50; i++) {
		golden_rating(&s->jobs[i].rating);
		snprintf(s->jobs[i].rating.id, sizeof(s->jobs[i].rating.id),
		    "t%d-%d", s->base, i);
		s->jobs[i].rating.level = 1 + (s->base + i) % 5;
		s->jobs[i].done = thread_job_done;
		if (writer_submit(s->w, &s->jobs[i]) < 0)
			thread_job_done(&s->jobs[i]);
	}
	return NULL;
}

static void
writer_thread(void)
{
	struct db *db = fresh_db();
	static struct submitter subs[4];
	struct writer_stats ws;
	struct writer_job late = { 0 };
	pthread_t th[4];
	char err[256];
	struct chain_check cc;
	int64_t n, sum;
	struct writer *w;

	db_close(db);
	w = writer_start(dbpath, 1000, NULL, err, sizeof(err));
	CHECK(w != NULL);
	thread_done = 0;
	for (int i = 0; i < 4; i++) {
		subs[i].w = w;
		subs[i].base = i * 100;
		pthread_create(&th[i], NULL, submit_all, &subs[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_lock(&mu);
	while (thread_done < 200)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 50; k++)
			CHECK_INT(subs[i].jobs[k].result, WRITER_STORED);
	writer_get_stats(w, &ws);
	CHECK_INT(ws.stored, 200);
	CHECK(ws.batches >= 1 && ws.batches <= 200);
	writer_stop(w);
	/* after stop nothing more is taken */
	golden_rating(&late.rating);
	CHECK_INT(writer_submit(w, &late), -1);
	writer_free(w);

	db = store_open(dbpath, 0, err, sizeof(err));
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM ratings", ""), 0);
	CHECK_INT(n, 200);
	/* each level 1..5 forty times: (base + i) % 5 over 4 x 50 */
	CHECK_INT(db_int(db, &sum, "SELECT sum(level) FROM ratings", ""), 0);
	CHECK_INT(sum, 40 * (1 + 2 + 3 + 4 + 5));
	CHECK_INT(ratings_verify_chain(db, &cc), 0);
	CHECK_INT(cc.rows, 200);
	db_close(db);
}

static void
audit_chain(void)
{
	struct db *db = fresh_db();
	int64_t count = -1, bad = -1;

	CHECK_INT(audit_append(db, "cli:test", "init", "t.db", ""), 0);
	CHECK_INT(audit_append(db, "user:lan", "rating.flag", "seq:7",
		      "{\"status\":\"spam\"}"),
	    0);
	CHECK_INT(
	    audit_append(db, "user:lan", "review.open", "1.001193", ""), 0);
	CHECK_INT(audit_verify(db, &count, &bad), 0);
	CHECK_INT(count, 3);
	/* append-only: the database itself refuses edits */
	CHECK_INT(
	    db_exec(db, "UPDATE audit SET actor = 'x' WHERE seq = 2"), -1);
	CHECK_INT(db_exec(db, "DELETE FROM audit WHERE seq = 2"), -1);
	/* and an edit behind its back is found */
	db_exec(db, "DROP TRIGGER audit_no_update");
	db_exec(db, "UPDATE audit SET detail = '{}' WHERE seq = 2");
	CHECK_INT(audit_verify(db, &count, &bad), 1);
	CHECK_INT(bad, 2);
	db_close(db);
}

static void
rating_fields(void)
{
	struct rating r;

	golden_rating(&r);
	CHECK(rating_check(&r) == NULL);
#define BAD(field_expr, name) \
	do { \
		golden_rating(&r); \
		field_expr; \
		CHECK_STR(rating_check(&r), name); \
	} while (0)
	BAD(r.id[0] = '\0', "id");
	BAD(strcpy(r.id, "has space"), "id");
	BAD(strcpy(r.unit, "H2"), "unit");
	BAD(r.counter = 1000, "counter");
	BAD(strcpy(r.officer, "a b"), "officer");
	BAD(strcpy(r.procedure, "1.0011"), "procedure");
	BAD(strcpy(r.dossier, "H21-261308-0001"), "dossier");
	BAD(r.level = 0, "level");
	BAD(r.level = 6, "level");
	BAD(r.criteria[4] = 3, "c5");
	BAD(r.criteria[8] = -2, "c9");
	BAD(r.supplement_reported = 2, "supplement_reported");
	BAD(r.online_error_reported = 5, "online_error_reported");
	BAD(r.visits = 0, "visits");
	BAD(r.visits = 100, "visits");
	BAD(strcpy(r.reasons, "wait,,x"), "reasons");
	BAD(strcpy(r.reasons, "a,b,c,d,e,f,g"), "reasons");
	BAD(strcpy(r.reasons, "Wait"), "reasons");
	BAD(strcpy(r.phone, "0912345678"), "consent");
	BAD(strcpy(r.phone, "091234567a"), "phone");
	BAD(r.rated_at = 0, "rated_at");
	BAD(r.comment = strdup("\xc3"), "comment");
	rating_release(&r);
#undef BAD
}

/* The two CSV loaders: what they load, and the error of each kind. */
static void
refdata_csv(void)
{
	struct db *db = fresh_db();
	char err[256];
	int64_t n;

#define LOAD(fn, text) fn(db, text, strlen(text), "t.csv", err, sizeof(err))
	CHECK(LOAD(refdata_load_units,
		  "code,name,level,parent_code\r\nH99,Tỉnh thử,province,\r\n"
		  "\r\nH99.001,Xã thử,commune,H99\r\n") == 2);
	CHECK(LOAD(refdata_load_procedures,
		  "code,name,field,level\n9.000001,Thủ tục thử,,\n") == 1);
	CHECK(LOAD(refdata_load_units, "code,name,level\n") < 0);
	CHECK_STR(err, "t.csv:1: header must be code,name,level,parent_code");
	CHECK(LOAD(refdata_load_procedures, "code,name,field,lvl\n") < 0);
	CHECK_STR(err, "t.csv:1: column 4 must be 'level', not 'lvl'");
	CHECK(LOAD(refdata_load_units,
		  "code,name,level,parent_code\nH99,a,province\n") < 0);
	CHECK_STR(err, "t.csv:2: expected 4 fields, got 3");
	CHECK(LOAD(refdata_load_units,
		  "code,name,level,parent_code\nH99,a,city,\n") < 0);
	CHECK_STR(err,
	    "t.csv:2: level: 'city' is not one of province, department, "
	    "commune, centre, other");
	CHECK(LOAD(refdata_load_units,
		  "code,name,level,parent_code\nH98,a,province,H97\n") < 0);
	CHECK(str_has_prefix(err, "t.csv: a parent_code names no unit, or: "));
	CHECK(LOAD(refdata_load_procedures,
		  "code,name,field,level\n9.1,a,,\n") < 0);
	CHECK_STR(err, "t.csv:2: code: '9.1' is not a mã TTHC (like 1.001193)");
	CHECK(LOAD(refdata_load_procedures,
		  "code,name,field,level\n9.000002,,,\n") < 0);
	CHECK_STR(err,
	    "t.csv:2: name: empty, over 500 bytes or not UTF-8 text on one "
	    "line");
	CHECK(LOAD(refdata_load_procedures,
		  "code,name,field,level\n9.000003,\"a,,\n") < 0);
	CHECK(str_has_prefix(err, "t.csv:"));
#undef LOAD
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM units WHERE code IN "
		      "('H98', 'H99', 'H99.001')",
		      ""),
	    0);
	CHECK_INT(n, 2);
	db_close(db);
}

/*
 * No two migrations share a number: the loader takes the first file of a
 * number and would never run the other (branches that each took the
 * next number meet at a merge).
 */
static void
migration_numbers(void)
{
	int seen[1000] = { 0 };

	for (const struct embed_file *f = server_files; f->name != NULL; f++) {
		int n;

		if (sscanf(f->name, "schemas/%3d_", &n) != 1 || n < 1 ||
		    n >= 1000)
			continue;
		if (seen[n]++ != 0)
			fprintf(stderr, "  two migrations numbered %03d (%s)\n",
			    n, f->name);
		CHECK_INT(seen[n], 1);
	}
	CHECK(seen[1] == 1 && seen[11] == 1);
}

int
main(void)
{
	RUN(migration_numbers);
	RUN(migrations);
	RUN(canonical_and_chain);
	RUN(inclusion_in_chain);
	RUN(outcomes);
	RUN(all_or_nothing);
	RUN(writer_thread);
	RUN(audit_chain);
	RUN(rating_fields);
	RUN(refdata_csv);
	return test_report("test_store");
}
