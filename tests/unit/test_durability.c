/* test_durability.c -- every connection that writes is synchronous=FULL. */
#include <sys/stat.h>

#include "hailong/db.h"
#include "hailong/log.h"
#include "core/dbpool.h"
#include "core/refdata.h"
#include "core/store.h"
#include "core/writer.h"
#include "outbox.h"
#include "test.h"

static char dir[64];
static char dbpath[128];

/* The connection's PRAGMA synchronous, read here (2: FULL). */
static int64_t
synchronous(struct db *db)
{
	int64_t v = -1;

	CHECK_INT(db_int(db, &v, "PRAGMA synchronous", ""), 0);
	return v;
}

/* A database as `hailong init` makes it. */
static void
setup(void)
{
	char err[256];
	struct db *db;

	snprintf(dir, sizeof(dir), "%s", test_tmpdir());
	snprintf(dbpath, sizeof(dbpath), "%s/t.db", dir);
	db = store_open(dbpath, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		exit(2);
	}
	CHECK_INT(synchronous(db), 2);
	CHECK(db_is_durable(db));
	db_close(db);
}

/* db_open() itself, each way a writer opens a file. */
static void
db_open_ways(void)
{
	static const int ways[] = { 0, DB_CREATE, DB_EXCLUSIVE };
	char err[256];

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		struct db *db = db_open(dbpath, ways[i], err, sizeof(err));

		CHECK(db != NULL);
		if (db == NULL)
			continue;
		CHECK_INT(synchronous(db), 2);
		CHECK(db_is_durable(db));
		db_close(db);
	}
}

/* The predicate sees a lowered setting (what db_open() refuses). */
static void
lowered_is_seen(void)
{
	char err[256];
	struct db *db = db_open(dbpath, 0, err, sizeof(err));

	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK(db_is_durable(db));
	CHECK_INT(db_exec(db, "PRAGMA synchronous=NORMAL"), 0);
	CHECK(!db_is_durable(db));
	CHECK_INT(db_exec(db, "PRAGMA synchronous=FULL"), 0);
	CHECK(db_is_durable(db));
	db_close(db);
}

/* store_open(): import, restore, init and the other commands. */
static void
store_opener(void)
{
	char err[256];
	struct db *db = store_open(dbpath, 0, err, sizeof(err));

	CHECK(db != NULL);
	if (db == NULL)
		return;
	CHECK_INT(synchronous(db), 2);
	CHECK(db_is_durable(db));
	db_close(db);
}

/* The server's writer: its connection and its checkpointer's. */
static void
server_writer(void)
{
	char err[256];
	struct writer *w = writer_start(dbpath, 10, NULL, err, sizeof(err));

	CHECK(w != NULL);
	if (w == NULL) {
		FAIL_AT("writer_start: %s", err);
		return;
	}
	CHECK(writer_is_durable(w));
	writer_free(w);
}

/* The server's per-thread connections (console actions, API imports). */
static void
server_pool(void)
{
	struct dbpool *p = dbpool_new(dbpath);
	struct db *db = dbpool_thread_db(p);

	CHECK(db != NULL);
	if (db != NULL) {
		CHECK_INT(synchronous(db), 2);
		CHECK(db_is_durable(db));
	}
	dbpool_free(p);
}

/* The kiosk's outbox. */
static void
kiosk_outbox(void)
{
	char err[512], path[128];
	struct outbox *ob;

	snprintf(path, sizeof(path), "%s/kiosk", dir);
	mkdir(path, 0700);
	ob = outbox_open(path, true, err, sizeof(err));
	CHECK(ob != NULL);
	if (ob == NULL) {
		FAIL_AT("outbox_open: %s", err);
		return;
	}
	CHECK(outbox_is_durable(ob));
	outbox_close(ob);
}

int
main(void)
{
	log_set_level(LOG_WARN);
	setup();
	RUN(db_open_ways);
	RUN(lowered_is_seen);
	RUN(store_opener);
	RUN(server_writer);
	RUN(server_pool);
	RUN(kiosk_outbox);
	return test_report("test_durability");
}
