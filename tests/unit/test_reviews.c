/* test_reviews.c -- the reviews' state machine, its checks and its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/audit.h"
#include "core/refdata.h"
#include "core/reviews.h"
#include "core/store.h"
#include "core/users.h"
#include "test.h"

static void
steps(void)
{
	/* exactly two steps are allowed, each one forward */
	for (int f = 0; f < REVIEW_STATUS_COUNT; f++)
		for (int t = 0; t < REVIEW_STATUS_COUNT; t++)
			CHECK_INT(review_can_move((enum review_status)f,
				      (enum review_status)t),
			    (f == REVIEW_OPEN && t == REVIEW_IN_PROGRESS) ||
				(f == REVIEW_IN_PROGRESS &&
				    t == REVIEW_RESOLVED));
	for (int s = 0; s < REVIEW_STATUS_COUNT; s++) {
		enum review_status back;

		CHECK_INT(review_status_parse(
			      review_status_name((enum review_status)s), &back),
		    0);
		CHECK_INT(back, s);
	}
	{
		enum review_status x;

		CHECK_INT(review_status_parse("Open", &x), -1);
		CHECK_INT(review_status_parse("", &x), -1);
		CHECK_INT(review_status_parse(NULL, &x), -1);
		CHECK_INT(review_status_parse("resolved ", &x), -1);
	}
}

static void
dates(void)
{
	int64_t d;

	CHECK_INT(review_date_parse("2026-12-05", 10, &d), 0);
	CHECK_INT(d, days_from_civil(2026, 12, 5));
	CHECK_INT(review_date_parse("2028-02-29", 10, &d), 0);
	CHECK_INT(review_date_parse("2026-02-29", 10, &d), -1);
	CHECK_INT(review_date_parse("2026-02-30", 10, &d), -1);
	CHECK_INT(review_date_parse("2026-13-01", 10, &d), -1);
	CHECK_INT(review_date_parse("2026-00-10", 10, &d), -1);
	CHECK_INT(review_date_parse("05/12/2026", 10, &d), -1);
	CHECK_INT(review_date_parse("2026-1-5", 8, &d), -1);
	CHECK_INT(review_date_parse("2026-12-5 ", 10, &d), -1);
	CHECK_INT(review_date_parse("1999-12-31", 10, &d), -1);
	CHECK_INT(review_date_parse("2026-12-05", 9, &d), -1);
}

static void
texts(void)
{
	char *long_ok = malloc(REVIEW_NOTES_MAX * 3 + 1);

	CHECK(review_text_is_valid("", 0));
	CHECK(review_text_is_valid("Xem lại\r\nquầy 1\t.", 18));
	CHECK(!review_text_is_valid("a\001b", 3));
	CHECK(!review_text_is_valid("a\177b", 3));
	CHECK(!review_text_is_valid("\xc3", 1));
	/* the limit is in characters, not bytes: 2000 × "ệ" is fine */
	for (int i = 0; i < REVIEW_NOTES_MAX; i++)
		memcpy(long_ok + 3 * i, "\xe1\xbb\x87", 3);
	CHECK(review_text_is_valid(long_ok, 3 * REVIEW_NOTES_MAX));
	memset(long_ok, 'x', REVIEW_NOTES_MAX + 1);
	CHECK(!review_text_is_valid(long_ok, REVIEW_NOTES_MAX + 1));
	CHECK(review_text_is_valid(long_ok, REVIEW_NOTES_MAX));
	free(long_ok);
}

/* What the console reads of review id (resolved by lifecycle()). */
static void
reading(struct db *db, int64_t id)
{
	struct review_cursor cur = { 0 };
	struct review r;
	struct review_event e;
	const char *name, *full;
	int64_t ids[50];
	int n = 0;

	CHECK_INT(reviews_get(db, &cur, id, "H21"), 0);
	CHECK(review_cursor_next(&cur, &r));
	CHECK_INT(r.id, id);
	CHECK_STR(r.unit, "H21.227");
	CHECK_STR(r.procedure, "1.001193");
	CHECK(r.procedure_name[0] != '\0');
	CHECK_INT(r.counter, 0);
	CHECK_INT(r.month, 202610);
	CHECK_STR(r.status, "resolved");
	CHECK_STR(r.action, "niêm yết lại");
	CHECK_STR(r.notes, "xem lại");
	CHECK_STR(r.due, "2026-12-05");
	CHECK(!review_cursor_next(&cur, &r));
	review_cursor_close(&cur);
	/* out of scope: no row; without a scope: the row */
	CHECK_INT(reviews_get(db, &cur, id, "H57"), 0);
	CHECK(!review_cursor_next(&cur, &r));
	review_cursor_close(&cur);
	CHECK_INT(reviews_get(db, &cur, id, NULL), 0);
	CHECK(review_cursor_next(&cur, &r));
	review_cursor_close(&cur);
	CHECK(reviews_in_scope(db, id, "H21"));
	CHECK(!reviews_in_scope(db, id, "H57"));
	CHECK(!reviews_in_scope(db, id + 99, "H21"));
	/* the list by status */
	CHECK_INT(reviews_list(db, &cur, "H21", "resolved"), 0);
	while (review_cursor_next(&cur, &r))
		n++;
	review_cursor_close(&cur);
	CHECK_INT(n, 1);
	CHECK_INT(reviews_list(db, &cur, "H21", "open"), 0);
	CHECK(!review_cursor_next(&cur, &r));
	review_cursor_close(&cur);
	/* the history, oldest first */
	CHECK_INT(review_events_list(db, &cur, id), 0);
	CHECK(review_cursor_next_event(&cur, &e));
	CHECK_STR(e.from_status, "");
	CHECK_STR(e.to_status, "open");
	CHECK(review_cursor_next_event(&cur, &e));
	CHECK_STR(e.to_status, "in_progress");
	CHECK_STR(e.note, "bắt đầu");
	CHECK(review_cursor_next_event(&cur, &e));
	CHECK_STR(e.to_status, "resolved");
	CHECK(!review_cursor_next_event(&cur, &e));
	review_cursor_close(&cur);
	/* the procedure's reviews in the subtree; no counter has one */
	CHECK_INT(reviews_recent_ids(db, "H21", "1.001193", 0, ids, 50), 1);
	CHECK_INT(ids[0], id);
	CHECK_INT(reviews_recent_ids(db, "H21.227", NULL, 0, ids, 50), 0);
	CHECK_INT(reviews_recent_ids(db, "H21.227", NULL, 1, ids, 50), 0);
	/* owners: the unit's and those above it, by username */
	n = 0;
	CHECK_INT(reviews_owners_list(db, &cur, "H21.227"), 0);
	while (review_cursor_next_owner(&cur, &name, &full)) {
		CHECK(strcmp(name, "hue") != 0);
		n++;
	}
	review_cursor_close(&cur);
	CHECK_INT(n, 2);
}

static void
lifecycle(void)
{
	char path[128], err[256];
	struct db *db;
	struct review_new r = { 0 };
	int64_t id = 0, n = -1, bad = -1;

	snprintf(path, sizeof(path), "%s/t.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		FAIL_AT("cannot make a database: %s", err);
		db_close(db);
		return;
	}
	CHECK_INT(users_add(db, "lan", "H21.227", ROLE_MANAGER, "Lan",
		      "mật khẩu rất dài 1", false, err, sizeof(err)),
	    0);
	CHECK_INT(users_add(db, "hue", "H57", ROLE_MANAGER, "Huế",
		      "mật khẩu rất dài 1", false, err, sizeof(err)),
	    0);
	CHECK_INT(users_add(db, "tinh", "H21", ROLE_VIEWER, "Tỉnh",
		      "mật khẩu rất dài 1", false, err, sizeof(err)),
	    0);
	CHECK_INT(reviews_owner_ok(db, "lan", "H21.227"), 0);
	CHECK_INT(reviews_owner_ok(db, "tinh", "H21.227"), 0); /* above */
	CHECK_INT(reviews_owner_ok(db, "hue", "H21.227"), 1);  /* elsewhere */
	CHECK_INT(reviews_owner_ok(db, "lan", "H21"), 1);      /* below it */
	CHECK_INT(reviews_owner_ok(db, "nobody", "H21.227"), 1);

	r.unit = "H21.227";
	r.procedure = "1.001193";
	r.month = 202610;
	r.flags = "LOW_SATISFACTION";
	r.owner = "lan";
	r.due = "2026-12-05";
	r.notes = "xem lại";
	CHECK_INT(reviews_open(db, &r, "user:lan", 1000, &id), 0);
	CHECK(id > 0);
	/* out of order, out of scope, missing: refused, nothing written */
	CHECK_INT(reviews_move(db, id, "H21.227", REVIEW_RESOLVED, NULL, "x",
		      "user:lan", 1001),
	    1);
	CHECK_INT(reviews_move(db, id, "H57", REVIEW_IN_PROGRESS, NULL, NULL,
		      "user:hue", 1001),
	    2);
	CHECK_INT(reviews_move(db, id + 99, "H21.227", REVIEW_IN_PROGRESS, NULL,
		      NULL, "user:lan", 1001),
	    2);
	CHECK_INT(reviews_move(db, id, "H21", REVIEW_IN_PROGRESS, "bắt đầu",
		      NULL, "user:tinh", 1002),
	    0);
	CHECK_INT(reviews_move(db, id, "H21.227", REVIEW_IN_PROGRESS, NULL,
		      NULL, "user:lan", 1003),
	    1);
	CHECK_INT(reviews_move(db, id, "H21.227", REVIEW_RESOLVED, NULL, "",
		      "user:lan", 1004),
	    1);
	CHECK_INT(reviews_move(db, id, "H21.227", REVIEW_RESOLVED, NULL,
		      "niêm yết lại", "user:lan", 1005),
	    0);
	CHECK_INT(reviews_move(db, id, "H21.227", REVIEW_OPEN, NULL, NULL,
		      "user:lan", 1006),
	    1);
	CHECK_INT(
	    db_int(db, &n,
		"SELECT count(*) FROM review_events WHERE review = ?", "l", id),
	    0);
	CHECK_INT(n, 3);
	CHECK_INT(db_int(db, &n,
		      "SELECT resolved_at FROM reviews WHERE id = ? AND "
		      "status = 'resolved' AND action = 'niêm yết lại'",
		      "l", id),
	    0);
	CHECK_INT(n, 1005);
	CHECK_INT(
	    db_int(db, &n,
		"SELECT count(*) FROM audit WHERE action LIKE 'review.%'", ""),
	    0);
	CHECK_INT(n, 3);
	CHECK_INT(audit_verify(db, &n, &bad), 0);
	/* the history cannot be rewritten */
	CHECK(db_exec(db, "DELETE FROM review_events") < 0);
	CHECK(db_exec(db, "UPDATE review_events SET note = 'x'") < 0);
	/* a resolved review without an action cannot be stored */
	CHECK(db_exec(db,
		  "UPDATE reviews SET action = '' WHERE status = 'resolved'") <
	    0);
	reading(db, id);
	db_close(db);
}

int
main(void)
{
	RUN(steps);
	RUN(dates);
	RUN(texts);
	RUN(lifecycle);
	return test_report("test_reviews");
}
