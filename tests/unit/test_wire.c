/* test_wire.c -- the kiosk protocol's bodies: page posts, batches, codes. */
#include "hailong/util.h"
#include "hailong/wire.h"
#include "test.h"

#define NOW 1764000000 /* 2025-11-24T16:00:00Z */

static int
local(const char *json, struct wire_local *out)
{
	char why[256];

	return wire_local_parse(json, strlen(json), out, why, sizeof(why));
}

static void
local_posts(void)
{
	struct wire_local w;
	char why[256];

	CHECK_INT(local("{\"level\": 5}", &w), 0);
	CHECK_INT(w.level, 5);
	CHECK_STR(w.reasons, "");
	CHECK_STR(w.dossier, "");
	CHECK(!w.reasons_follow);
	CHECK_INT(local("{\"level\": 1, \"reasons\": [\"wait\", \"attitude\"],"
			" \"dossier\": \"H21.227-261008-0001\"}",
		      &w),
	    0);
	CHECK_STR(w.reasons, "wait,attitude");
	CHECK_STR(w.dossier, "H21.227-261008-0001");
	CHECK_INT(local("{\"level\": 2, \"reasons_follow\": true, \"dossier\": "
			"\"\"}",
		      &w),
	    0);
	CHECK(w.reasons_follow);

	/* refused, each with a sentence saying why */
	CHECK_INT(
	    wire_local_parse("{\"level\": 0}", 12, &w, why, sizeof(why)), -1);
	CHECK(strstr(why, "level") != NULL);
	CHECK_INT(local("{\"level\": 6}", &w), -1);
	CHECK_INT(local("{\"level\": \"3\"}", &w), -1);
	CHECK_INT(local("{\"level\": 3.0}", &w), -1);
	CHECK_INT(local("{}", &w), -1);
	CHECK_INT(local("[1]", &w), -1);
	CHECK_INT(local("{\"level\": 3", &w), -1);
	CHECK_INT(local("{\"level\": 3, \"level\": 4}", &w), -1);
	CHECK_INT(local("{\"level\": 3, \"phone\": \"0912345678\"}", &w), -1);
	/* reasons only for a low score, known shapes, no repeats, six at most */
	CHECK_INT(local("{\"level\": 4, \"reasons\": [\"wait\"]}", &w), -1);
	CHECK_INT(local("{\"level\": 5, \"reasons_follow\": true}", &w), -1);
	CHECK_INT(
	    local("{\"level\": 1, \"reasons\": [\"wait\", \"wait\"]}", &w), -1);
	CHECK_INT(local("{\"level\": 1, \"reasons\": [\"Wait\"]}", &w), -1);
	CHECK_INT(local("{\"level\": 1, \"reasons\": \"wait\"}", &w), -1);
	CHECK_INT(local("{\"level\": 1, \"reasons\": [\"a\", \"b\", \"c\", "
			"\"d\", \"e\", \"f\", \"g\"]}",
		      &w),
	    -1);
	CHECK_INT(local("{\"level\": 1, \"reasons\": [\"a\", \"b\", \"c\", "
			"\"d\", \"e\", \"f\"]}",
		      &w),
	    0);
	/* a mã hồ sơ with a real date */
	CHECK_INT(
	    local("{\"level\": 3, \"dossier\": \"H21.227-261332-0001\"}", &w),
	    -1);
	CHECK_INT(local("{\"level\": 3, \"dossier\": 42}", &w), -1);
	CHECK_INT(local("{\"level\": 3, \"reasons_follow\": 1}", &w), -1);
	CHECK_INT(
	    wire_local_parse("{\"level\": \"\xff\"}", 14, &w, why, sizeof(why)),
	    -1);
	CHECK(strstr(why, "UTF-8") != NULL);

	/* inclusion: optional requester and assisted mark */
	CHECK_INT(local("{\"level\": 5}", &w), 0);
	CHECK_INT(w.requester, REQUESTER_NONE);
	CHECK(!w.assisted);
	CHECK_INT(local("{\"level\": 4, \"requester\": \"business\", "
			"\"assisted\": true}",
		      &w),
	    0);
	CHECK_INT(w.requester, REQUESTER_BUSINESS);
	CHECK(w.assisted);
	CHECK_INT(local("{\"level\": 4, \"requester\": null, "
			"\"assisted\": false}",
		      &w),
	    0);
	CHECK_INT(w.requester, REQUESTER_NONE);
	CHECK(!w.assisted);
	CHECK_INT(local("{\"level\": 4, \"requester\": \"citizen\"}", &w), 0);
	CHECK_INT(w.requester, REQUESTER_CITIZEN);
	CHECK_INT(wire_local_parse("{\"level\": 4, \"requester\": \"nguoi\"}",
		      34, &w, why, sizeof(why)),
	    -1);
	CHECK(strstr(why, "requester") != NULL);
	CHECK_INT(local("{\"level\": 4, \"requester\": 1}", &w), -1);
	CHECK_INT(
	    local("{\"level\": 4, \"requester\": \"citizen\\u0000\"}", &w), -1);
	CHECK_INT(local("{\"level\": 4, \"assisted\": 1}", &w), -1);
	CHECK_INT(local("{\"level\": 4, \"assisted\": \"true\"}", &w), -1);
}

static void
reasons_post(void)
{
	char out[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)], why[128];
	const char *ok = "{\"reasons\": [\"guidance\", \"online\"]}";
	const char *empty = "{\"reasons\": []}";
	const char *extra = "{\"reasons\": [], \"level\": 1}";

	CHECK_INT(wire_reasons_parse(ok, strlen(ok), out, why, sizeof(why)), 0);
	CHECK_STR(out, "guidance,online");
	CHECK_INT(
	    wire_reasons_parse(empty, strlen(empty), out, why, sizeof(why)), 0);
	CHECK_STR(out, "");
	CHECK_INT(
	    wire_reasons_parse(extra, strlen(extra), out, why, sizeof(why)),
	    -1);
}

static int
batch(const char *json, struct wire_item **items, size_t *n)
{
	char why[256];

	return wire_batch_parse(
	    json, strlen(json), NOW, items, n, why, sizeof(why));
}

static void
batches(void)
{
	struct wire_item *it = NULL;
	struct buf big = { 0 };
	size_t n = 0;

	CHECK_INT(batch("{\"ratings\": ["
			"{\"id\": \"a1\", \"seq\": 1, \"level\": 2, "
			"\"reasons\": [\"wait\"], \"dossier\": "
			"\"H21.227-251124-0001\", \"rated_at\": "
			"\"2025-11-24T22:59:00+07:00\", \"burst\": true},"
			"{\"id\": \"a2\", \"seq\": 2, \"level\": 9, "
			"\"rated_at\": \"2025-11-24T15:59:00Z\"},"
			"7,"
			"{\"id\": \"a4\", \"seq\": 4, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:11:00Z\"},"
			"{\"id\": \"a5\", \"seq\": 5, \"level\": 4, "
			"\"rated_at\": \"2019-12-31T23:59:59Z\"},"
			"{\"id\": \"a6\", \"seq\": 0, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\"},"
			"{\"id\": \"a 7\", \"seq\": 7, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\"},"
			"{\"id\": \"a8\", \"seq\": 8, \"level\": 5, "
			"\"reasons\": [\"wait\"], "
			"\"rated_at\": \"2025-11-24T16:00:00Z\"},"
			"{\"id\": \"a9\", \"seq\": 9, \"level\": 5, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\", \"burst\": "
			"\"no\"}"
			"]}",
		      &it, &n),
	    0);
	CHECK_INT(n, 9);
	if (n == 9) {
		CHECK(it[0].bad == NULL);
		CHECK_STR(it[0].id, "a1");
		CHECK_INT(it[0].seq, 1);
		CHECK_INT(it[0].level, 2);
		CHECK_STR(it[0].reasons, "wait");
		CHECK_STR(it[0].dossier, "H21.227-251124-0001");
		CHECK_INT(it[0].rated_at, NOW - 60);
		CHECK(it[0].burst);
		CHECK_STR(it[1].bad, "level");
		CHECK_STR(it[2].bad, "item");
		/* 11 minutes ahead of the server's clock: a bad clock */
		CHECK_STR(it[3].bad, "rated_at");
		CHECK_STR(it[4].bad, "rated_at");
		CHECK_STR(it[5].bad, "seq");
		CHECK_STR(it[6].bad, "id");
		CHECK_STR(it[7].bad, "reasons");
		CHECK_STR(it[8].bad, "burst");
	}
	free(it);

	/* inclusion: both optional (an older kiosk sends neither) */
	CHECK_INT(batch("{\"ratings\": ["
			"{\"id\": \"b1\", \"seq\": 1, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\"},"
			"{\"id\": \"b2\", \"seq\": 2, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\", "
			"\"requester\": \"citizen\", \"assisted\": true},"
			"{\"id\": \"b3\", \"seq\": 3, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\", "
			"\"requester\": \"business\", \"assisted\": false},"
			"{\"id\": \"b4\", \"seq\": 4, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\", "
			"\"requester\": \"doanh nghiep\"},"
			"{\"id\": \"b5\", \"seq\": 5, \"level\": 4, "
			"\"rated_at\": \"2025-11-24T16:00:00Z\", "
			"\"assisted\": 1}"
			"]}",
		      &it, &n),
	    0);
	CHECK_INT(n, 5);
	if (n == 5) {
		CHECK(it[0].bad == NULL);
		CHECK_INT(it[0].requester, REQUESTER_NONE);
		CHECK(!it[0].assisted);
		CHECK(it[1].bad == NULL);
		CHECK_INT(it[1].requester, REQUESTER_CITIZEN);
		CHECK(it[1].assisted);
		CHECK(it[2].bad == NULL);
		CHECK_INT(it[2].requester, REQUESTER_BUSINESS);
		CHECK(!it[2].assisted);
		CHECK_STR(it[3].bad, "requester");
		CHECK_STR(it[4].bad, "assisted");
	}
	free(it);

	/* refused whole: not the shape, empty, too many */
	CHECK_INT(batch("{\"ratings\": []}", &it, &n), -1);
	CHECK(it == NULL);
	CHECK_INT(batch("{\"ratings\": {}}", &it, &n), -1);
	CHECK_INT(batch("{\"ratings\": [], \"x\": 1}", &it, &n), -1);
	CHECK_INT(batch("[]", &it, &n), -1);
	buf_puts(&big, "{\"ratings\": [");
	for (int i = 0; i <= WIRE_BATCH_MAX; i++)
		buf_puts(&big, i ? ",{}" : "{}");
	buf_puts(&big, "]}");
	CHECK_INT(batch(big.data, &it, &n), -1);
	buf_release(&big);
}

static void
heartbeats(void)
{
	struct wire_heartbeat hb;
	char why[128];
	const char *ok = "{\"version\": \"0.1.0\", \"outbox\": 12, "
			 "\"oldest_unsent\": \"2025-11-24T16:00:00Z\", "
			 "\"problems\": 1}";
	const char *none = "{\"version\": \"0.1.0\", \"outbox\": 0, "
			   "\"oldest_unsent\": null, \"problems\": 0}";
	const char *bad = "{\"version\": \"0.1 beta\", \"outbox\": 0, "
			  "\"problems\": 0}";
	const char *neg = "{\"version\": \"0.1\", \"outbox\": -1, "
			  "\"problems\": 0}";

	CHECK_INT(
	    wire_heartbeat_parse(ok, strlen(ok), &hb, why, sizeof(why)), 0);
	CHECK_STR(hb.version, "0.1.0");
	CHECK_INT(hb.outbox, 12);
	CHECK_INT(hb.oldest_unsent, NOW);
	CHECK_INT(hb.problems, 1);
	CHECK_INT(
	    wire_heartbeat_parse(none, strlen(none), &hb, why, sizeof(why)), 0);
	CHECK_INT(hb.oldest_unsent, -1);
	CHECK_INT(
	    wire_heartbeat_parse(bad, strlen(bad), &hb, why, sizeof(why)), -1);
	CHECK_INT(
	    wire_heartbeat_parse(neg, strlen(neg), &hb, why, sizeof(why)), -1);
}

static void
codes(void)
{
	char norm[WIRE_CODE_CHARS + 1], code[WIRE_CODE_LEN + 1];

	CHECK_INT(wire_code_normalize("ABCD-EFGH-JKMN-PQRS", 19, norm), 0);
	CHECK_STR(norm, "ABCDEFGHJKMNPQRS");
	/* as a person may type it: lower case, O for 0, I and L for 1 */
	CHECK_INT(wire_code_normalize("o1il efgh jkmn pqrs", 19, norm), 0);
	CHECK_STR(norm, "0111EFGHJKMNPQRS");
	CHECK_INT(wire_code_normalize("ABCD-EFGH-JKMN-PQR", 18, norm), -1);
	CHECK_INT(wire_code_normalize("ABCD-EFGH-JKMN-PQRST", 20, norm), -1);
	CHECK_INT(wire_code_normalize("ABCD-EFGH-JKMN-PQRU", 19, norm), -1);
	for (int i = 0; i < 50; i++) {
		wire_code_new(code);
		CHECK_INT(strlen(code), WIRE_CODE_LEN);
		CHECK(code[4] == '-' && code[9] == '-' && code[14] == '-');
		CHECK_INT(wire_code_normalize(code, strlen(code), norm), 0);
	}
	CHECK_STR(wire_status_name(WIRE_CONFLICT), "conflict");
}

/* The served dossier as the kiosk reads it, and the page's serial. */
static void
serving(void)
{
	struct wire_serving sv;
	struct wire_local w;
	char why[256];
	int64_t serial;
	static const char *const bad[] = { "", "[]", "{}",
		"{\"dossier\": null}", "{\"dossier\": null, \"serial\": 3}",
		"{\"dossier\": \"H21.227-261031-0001\"}",
		"{\"dossier\": \"H21.227-261031-0001\", \"serial\": 0}",
		"{\"dossier\": \"H21.227-261031-0001\", \"serial\": -1}",
		"{\"dossier\": \"H21.227-261031-0001\", \"serial\": 1.5}",
		"{\"dossier\": \"H21.227-261399-0001\", \"serial\": 1}",
		"{\"dossier\": \"\", \"serial\": 1}",
		"{\"dossier\": 5, \"serial\": 1}",
		"{\"dossier\": \"H21.227-261031-0001\", \"serial\": "
		"9007199254740993}" };

	{
		const char *none =
		    "{\"dossier\": null, \"serial\": 0, \"since\": null}";

		CHECK_INT(wire_serving_parse(
			      none, strlen(none), &sv, why, sizeof(why)),
		    0);
	}
	CHECK_STR(sv.dossier, "");
	CHECK_INT(sv.serial, 0);
	{
		const char *ok = "{\"dossier\": \"H21.227-261031-0001\", "
				 "\"serial\": 1764000000000001, \"since\": "
				 "\"2026-10-31T08:00:00+07:00\", \"new\": 1}";

		CHECK_INT(
		    wire_serving_parse(ok, strlen(ok), &sv, why, sizeof(why)),
		    0);
		CHECK_STR(sv.dossier, "H21.227-261031-0001");
		CHECK(sv.serial == 1764000000000001);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_INT(wire_serving_parse(
			      bad[i], strlen(bad[i]), &sv, why, sizeof(why)),
		    -1);
		CHECK_STR(sv.dossier, "");
	}
	CHECK_INT(wire_serial_parse(
		      "{\"serial\": 42}", 14, &serial, why, sizeof(why)),
	    0);
	CHECK(serial == 42);
	CHECK_INT(
	    wire_serial_parse("{\"serial\": 0}", 13, &serial, why, sizeof(why)),
	    -1);
	CHECK_INT(wire_serial_parse("{\"serial\": 1, \"x\": 1}", 21, &serial,
		      why, sizeof(why)),
	    -1);
	/* the page's rating names the serial it showed */
	CHECK_INT(local("{\"level\": 5, \"dossier\": \"H21.227-261031-0001\", "
			"\"serving\": 7}",
		      &w),
	    0);
	CHECK(w.serving == 7);
	CHECK_INT(local("{\"level\": 5, \"serving\": 0}", &w), -1);
	CHECK_INT(local("{\"level\": 5, \"serving\": \"7\"}", &w), -1);
}

int
main(void)
{
	RUN(local_posts);
	RUN(reasons_post);
	RUN(batches);
	RUN(heartbeats);
	RUN(codes);
	RUN(serving);
	return test_report("test_wire");
}
