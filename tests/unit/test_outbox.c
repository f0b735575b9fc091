/* test_outbox.c -- the kiosk's outbox: durability, bursts, holds, answers. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/db.h"
#include "outbox.h"
#include "test.h"

#define T0 1764000000000LL /* ms */

static char dir[64];

static struct wire_local
press(int level, bool follow)
{
	struct wire_local w;

	memset(&w, 0, sizeof(w));
	w.level = level;
	w.reasons_follow = follow;
	return w;
}

static int64_t
add(struct outbox *ob, int level, int64_t at, bool follow, bool *burst,
    char id[OUTBOX_UUID_LEN + 1])
{
	struct wire_local w = press(level, follow);
	char err[256];
	int64_t seq = -1;

	if (outbox_add(ob, &w, at, 5000, at + 35000, id, &seq, burst, err,
		sizeof(err)) < 0)
		FAIL_AT("outbox_add: %s", err);
	return seq;
}

static void
open_errors(void)
{
	char err[512], path[128];
	struct outbox *ob;
	int fd;

	ob = outbox_open("/nonexistent/hailong-kiosk", false, err, sizeof(err));
	CHECK(ob == NULL);
	CHECK(strstr(err, "does not exist") != NULL);
	CHECK(strstr(err, "hailong-kiosk enroll") != NULL);
	/* no outbox yet: refused unless asked to create one */
	ob = outbox_open(dir, false, err, sizeof(err));
	CHECK(ob == NULL);
	CHECK(strstr(err, "missing") != NULL);
	CHECK(strstr(err, "--new-outbox") != NULL);

	/* a damaged file is never mistaken for an empty outbox */
	snprintf(path, sizeof(path), "%s/garbage", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/garbage/%s", dir, OUTBOX_FILE);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "this is not a database, not at all, no.......", 45) ==
	    45);
	close(fd);
	snprintf(path, sizeof(path), "%s/garbage", dir);
	ob = outbox_open(path, false, err, sizeof(err));
	CHECK(ob == NULL);
	CHECK(strstr(err, "outbox") != NULL);
	CHECK(strstr(err, "not a database") != NULL);

	/* another program's SQLite file */
	snprintf(path, sizeof(path), "%s/foreign", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/foreign/%s", dir, OUTBOX_FILE);
	{
		struct db *db = db_open(path, DB_CREATE, err, sizeof(err));

		CHECK(db != NULL);
		db_exec(db, "CREATE TABLE t(x)");
		db_close(db);
	}
	snprintf(path, sizeof(path), "%s/foreign", dir);
	ob = outbox_open(path, false, err, sizeof(err));
	CHECK(ob == NULL);
	CHECK(strstr(err, "not a hailong-kiosk outbox") != NULL);
}

static void
bursts_and_order(void)
{
	char err[512], id[OUTBOX_UUID_LEN + 1], first[OUTBOX_UUID_LEN + 1];
	struct outbox_entry e[8];
	struct outbox_stats st;
	struct outbox *ob = outbox_open(dir, true, err, sizeof(err));
	int64_t hold = -1;
	size_t n = 0;
	bool burst = true;

	CHECK(ob != NULL);
	if (ob == NULL)
		return;
	CHECK_INT(add(ob, 5, T0, false, &burst, first), 1);
	CHECK(!burst);
	/* 4.999 s later: within the 5 s response interval */
	CHECK_INT(add(ob, 5, T0 + 4999, false, &burst, id), 2);
	CHECK(burst);
	/* measured from the previous press, burst or not */
	CHECK_INT(add(ob, 1, T0 + 9000, false, &burst, id), 3);
	CHECK(burst);
	CHECK_INT(add(ob, 4, T0 + 14000, false, &burst, id), 4);
	CHECK(!burst);
	/* a clock stepped back is not a burst */
	CHECK_INT(add(ob, 3, T0 + 1000, false, &burst, id), 5);
	CHECK(!burst);
	CHECK(strcmp(first, id) != 0);
	CHECK_INT(strlen(id), 36);

	CHECK_INT(outbox_pending(ob, T0 + 20000, 3, e, &n, &hold), 0);
	CHECK_INT(n, 3);
	CHECK_INT(e[0].seq, 1);
	CHECK_STR(e[0].id, first);
	CHECK_INT(e[0].level, 5);
	CHECK_INT(e[0].rated_ms, T0);
	CHECK(!e[0].burst);
	CHECK(e[1].burst);
	CHECK_INT(e[2].level, 1);
	CHECK_INT(hold, 0);
	CHECK_INT(outbox_stats(ob, &st), 0);
	CHECK_INT(st.pending, 5);
	CHECK_INT(st.oldest_ms, T0);
	CHECK_INT(st.last_seq, 5);
	outbox_close(ob);
}

static void
holds(void)
{
	char err[512], id[OUTBOX_UUID_LEN + 1], late[OUTBOX_UUID_LEN + 1];
	struct outbox_entry e[16];
	struct outbox *ob = outbox_open(dir, false, err, sizeof(err));
	int64_t hold = 0, t = T0 + 100000;
	size_t n = 0;
	bool burst;

	CHECK(ob != NULL);
	if (ob == NULL)
		return;
	/* a low score whose reasons are asked next: held back 35 s */
	CHECK_INT(add(ob, 2, t, true, &burst, id), 6);
	CHECK_INT(add(ob, 1, t + 10000, true, &burst, late), 7);
	CHECK_INT(outbox_pending(ob, t + 1, 16, e, &n, &hold), 0);
	CHECK_INT(n, 5);
	CHECK_INT(hold, t + 35000);
	CHECK_INT(outbox_set_reasons(ob, id, "wait,attitude", t + 20000), 0);
	CHECK_INT(outbox_pending(ob, t + 20001, 16, e, &n, &hold), 0);
	CHECK_INT(n, 6);
	CHECK_INT(e[5].seq, 6);
	CHECK_STR(e[5].reasons, "wait,attitude");
	CHECK_INT(hold, t + 45000);
	/* once released it cannot change any more */
	CHECK_INT(outbox_set_reasons(ob, id, "guidance", t + 20002), 1);
	/* the hold passes: sent without reasons; late reasons refused */
	CHECK_INT(outbox_set_reasons(ob, late, "wait", t + 45000), 1);
	CHECK_INT(outbox_pending(ob, t + 45000, 16, e, &n, &hold), 0);
	CHECK_INT(n, 7);
	CHECK_STR(e[6].reasons, "");
	CHECK_INT(hold, 0);
	CHECK_INT(outbox_set_reasons(ob, "no-such-id", "wait", t), 1);
	outbox_close(ob);
}

struct seen {
	int n;
	char what[256];
};

static void
problem(const struct outbox_entry *e, const char *state, const char *reason,
    void *arg)
{
	struct seen *s = arg;
	size_t len = strlen(s->what);

	snprintf(s->what + len, sizeof(s->what) - len, "%lld:%s:%s;",
	    (long long)e->seq, state, reason);
	s->n++;
}

static void
settle_and_prune(void)
{
	char err[512], id[OUTBOX_UUID_LEN + 1], *nonce;
	struct outbox_entry e[16];
	struct outbox_result r[4];
	struct outbox_stats st;
	struct outbox *ob = outbox_open(dir, false, err, sizeof(err));
	struct seen seen = { 0, "" };
	int64_t hold;
	size_t n;
	bool burst;

	CHECK(ob != NULL);
	if (ob == NULL)
		return;
	memset(r, 0, sizeof(r));
	r[0].seq = 1;
	r[0].status = WIRE_ACCEPTED;
	r[1].seq = 2;
	r[1].status = WIRE_DUPLICATE;
	r[2].seq = 3;
	r[2].status = WIRE_CONFLICT;
	r[3].seq = 4;
	r[3].status = WIRE_REJECTED;
	strcpy(r[3].reason, "reasons");
	CHECK_INT(outbox_settle(ob, r, 4, T0 + 50000, 1764000000123456), 0);
	nonce = outbox_get(ob, "nonce");
	CHECK_STR(nonce, "1764000000123456");
	free(nonce);
	CHECK_INT(outbox_stats(ob, &st), 0);
	CHECK_INT(st.sent, 2);
	CHECK_INT(st.conflict, 1);
	CHECK_INT(st.rejected, 1);
	CHECK_INT(st.pending, 3);
	/* settled entries are never offered again */
	CHECK_INT(outbox_pending(ob, T0 + 1000000, 16, e, &n, &hold), 0);
	CHECK_INT(n, 3);
	CHECK_INT(e[0].seq, 5);
	CHECK_INT(outbox_problems(ob, 10, problem, &seen), 0);
	CHECK_INT(seen.n, 2);
	CHECK(strstr(seen.what, "3:conflict:") != NULL);
	CHECK(strstr(seen.what, "4:rejected:reasons;") != NULL);

	/* sent entries go after a while; the problems stay; seq goes on */
	r[0].seq = 5;
	r[0].status = WIRE_ACCEPTED;
	r[1].seq = 6;
	r[1].status = WIRE_ACCEPTED;
	r[2].seq = 7;
	r[2].status = WIRE_ACCEPTED;
	CHECK_INT(outbox_settle(ob, r, 3, T0 + 60000, 1764000000123457), 0);
	CHECK_INT(outbox_prune(ob, T0 + 70000), 0);
	CHECK_INT(outbox_stats(ob, &st), 0);
	CHECK_INT(st.sent, 0);
	CHECK_INT(st.pending, 0);
	CHECK_INT(st.conflict + st.rejected, 2);
	CHECK_INT(st.oldest_ms, -1);
	CHECK_INT(st.last_seq, 7);
	outbox_close(ob);

	/* reopened: everything is still there, and seq continues */
	ob = outbox_open(dir, false, err, sizeof(err));
	CHECK(ob != NULL);
	if (ob == NULL)
		return;
	CHECK_INT(add(ob, 4, T0 + 200000, false, &burst, id), 8);
	CHECK_INT(outbox_put(ob, "config", "{\"faces\": 3}"), 0);
	outbox_close(ob);
	ob = outbox_open(dir, false, err, sizeof(err));
	if (ob == NULL)
		return;
	nonce = outbox_get(ob, "config");
	CHECK_STR(nonce, "{\"faces\": 3}");
	free(nonce);
	CHECK(outbox_get(ob, "nothing") == NULL);
	CHECK_INT(outbox_stats(ob, &st), 0);
	CHECK_INT(st.pending, 1);
	CHECK_INT(st.last_seq, 8);
	outbox_close(ob);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "%s", test_tmpdir());
	RUN(open_errors);
	RUN(bursts_and_order);
	RUN(holds);
	RUN(settle_and_prune);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return test_report("test_outbox");
}
