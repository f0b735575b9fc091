/* test_alerts.c -- alert events, their fan-out, subscriptions, the mail. */
#include <stdbool.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/rating.h"
#include "core/alerts.h"
#include "core/config.h"
#include "core/mailer.h"
#include "core/refdata.h"
#include "core/store.h"
#include "core/users.h"
#include "test.h"

/* Standard base64 decoding, for checking what mailer_build() wrote. */
static size_t
unb64(const char *s, size_t n, unsigned char *out)
{
	static const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
			       "vwxyz0123456789+/";
	unsigned v = 0;
	int bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(a, s[i]) : NULL;

		if (p == NULL)
			continue; /* '=', CR, LF */
		v = (v << 6) | (unsigned)(p - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	return k;
}

static void
base64(void)
{
	struct buf b = { 0 };

	mailer_base64(&b, "", 0, false);
	CHECK_STR(buf_str(&b), "");
	buf_reset(&b);
	mailer_base64(&b, "f", 1, false);
	CHECK_STR(buf_str(&b), "Zg==");
	buf_reset(&b);
	mailer_base64(&b, "foobar", 6, false);
	CHECK_STR(buf_str(&b), "Zm9vYmFy");
	buf_reset(&b);
	mailer_base64(&b, "\xff\xfe", 2, false);
	CHECK_STR(buf_str(&b), "//4=");
	/* lines of 76 with CRLF */
	buf_reset(&b);
	mailer_base64(&b,
	    "0123456789012345678901234567890123456789012345678901234567", 58,
	    true);
	CHECK_INT(strcspn(buf_str(&b), "\r"), 76);
	CHECK_STR(buf_str(&b) + 76, "\r\nNw==\r\n");
	buf_release(&b);
}

static void
addresses(void)
{
	CHECK(mailer_address_is_valid("lan@xa.example.gov.vn"));
	CHECK(!mailer_address_is_valid("lan"));
	CHECK(!mailer_address_is_valid("lan@local"));
	CHECK(!mailer_address_is_valid("a b@x.vn"));
	CHECK(!mailer_address_is_valid("a@x.vn>\r\nRCPT TO:<b@y.vn"));
	CHECK(!mailer_address_is_valid("a@b@c.vn"));
	CHECK(!mailer_address_is_valid("lân@x.vn"));
	CHECK(alert_events_are_valid("all"));
	CHECK(alert_events_are_valid("callback"));
	CHECK(alert_events_are_valid("callback,disk_full"));
	CHECK(!alert_events_are_valid(""));
	CHECK(!alert_events_are_valid("callback,"));
	CHECK(!alert_events_are_valid(",callback"));
	CHECK(!alert_events_are_valid("callback,,disk_full"));
	CHECK(!alert_events_are_valid("all,callback"));
	CHECK(!alert_events_are_valid("callbak"));
}

/* Every encoded word of the Subject decodes to whole UTF-8 text. */
static void
message(void)
{
	/* 40 two- or three-byte letters: several encoded words */
	const char *subject = "Bản tin hài lòng: thủ tục cấp giấy chứng "
			      "nhận quyền sử dụng đất ở Vân Canh";
	struct buf b = { 0 };
	const char *s, *body;
	unsigned char dec[512];
	char words[512] = "";
	size_t n;

	CHECK_INT(mailer_build(&b, "Hài lòng <h@x.vn>", "lan@x.vn", subject,
		      "Dòng một\nDòng hai\n", "hl-1-2-ab@hailong", 0),
	    0);
	s = buf_str(&b);
	CHECK(strstr(s, "From: =?UTF-8?B?") == s);
	CHECK(strstr(s, " <h@x.vn>\r\nTo: lan@x.vn\r\n") != NULL);
	CHECK(strstr(s, "Date: Thu, 01 Jan 1970 07:00:00 +0700\r\n") != NULL);
	CHECK(strstr(s, "Message-ID: <hl-1-2-ab@hailong>\r\n") != NULL);
	CHECK(strstr(s, "Content-Type: text/plain; charset=UTF-8\r\n") != NULL);
	CHECK(strstr(s, "Content-Transfer-Encoding: base64\r\n") != NULL);
	/* no raw 8-bit byte anywhere, no header line over 78 */
	for (const char *p = s; *p; p++)
		CHECK((unsigned char)*p < 128);
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, "\r");

		CHECK(len <= 78);
		p += len;
		if (*p)
			p += 2;
	}
	/* the subject's words, decoded and joined, are the subject */
	for (const char *p = strstr(s, "Subject: "); p != NULL;) {
		const char *w = strstr(p, "=?UTF-8?B?"), *e;

		if (w == NULL || w > strstr(s, "\r\nDate:"))
			break;
		w += 10;
		e = strstr(w, "?=");
		n = unb64(w, (size_t)(e - w), dec);
		dec[n] = '\0';
		/* each word is whole UTF-8: never ends inside a letter */
		CHECK(n == 0 || (dec[n - 1] & 0xC0) != 0xC0);
		strcat(words, (char *)dec);
		p = e;
	}
	CHECK_STR(words, subject);
	body = strstr(s, "\r\n\r\n") + 4;
	n = unb64(body, strlen(body), dec);
	dec[n] = '\0';
	CHECK_STR((char *)dec, "Dòng một\r\nDòng hai\r\n");
	buf_release(&b);
}

static struct db *
fresh(void)
{
	char path[128], err[256];
	struct db *db;

	snprintf(path, sizeof(path), "%s/t.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL || refdata_load_builtin(db, err, sizeof(err)) < 0 ||
	    refdata_load_demo(db, err, sizeof(err)) < 0) {
		FAIL_AT("cannot make a database: %s", err);
		db_close(db);
		return NULL;
	}
	return db;
}

static int64_t
count(struct db *db, const char *sql)
{
	int64_t n = -1;

	db_int(db, &n, sql, "");
	return n;
}

/* Who gets an event: unit scope, the kinds, accounts, admins only. */
static void
fanout(void)
{
	struct db *db = fresh();
	struct alert_sub s;
	char err[512];

	if (db == NULL)
		return;
	CHECK_INT(users_add(db, "lan", "H21.227", ROLE_MANAGER, "Lan",
		      "mật khẩu rất dài 1", false, err, sizeof(err)),
	    0);
	CHECK_INT(users_add(db, "hue", "H57", ROLE_ADMIN, "Huế",
		      "mật khẩu rất dài 1", false, err, sizeof(err)),
	    0);
	/* 1: lan, all of H21.227 */
	alert_sub_init(&s);
	strcpy(s.unit, "H21.227");
	strcpy(s.username, "lan");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), 0);
	/* lan cannot be subscribed to her province, hue not to H21 */
	strcpy(s.unit, "H21");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), -1);
	CHECK(strstr(err, "outside") != NULL);
	strcpy(s.username, "hue");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), -1);
	/* a console user of H21.227 cannot subscribe anyone to H21 */
	alert_sub_init(&s);
	strcpy(s.unit, "H21");
	strcpy(s.email, "a@x.vn");
	CHECK_INT(
	    alerts_sub_add(db, &s, "H21.227", "test", err, sizeof(err)), -1);
	/* 2: an address at the province, callbacks only */
	strcpy(s.events, "callback");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), 0);
	/* 3: an admin address at H57, every kind */
	alert_sub_init(&s);
	strcpy(s.unit, "H57");
	strcpy(s.email, "b@x.vn");
	strcpy(s.role, "admin");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), 0);
	/* 4: a digest: never a delivery per event */
	alert_sub_init(&s);
	strcpy(s.unit, "H21.227");
	strcpy(s.email, "c@x.vn");
	strcpy(s.mode, "digest");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), 0);
	/* webhooks: https, a secret, at once */
	alert_sub_init(&s);
	strcpy(s.unit, "H21.227");
	strcpy(s.webhook_url, "http://hook.example.vn/x");
	strcpy(s.webhook_secret, "0123456789abcdef");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), -1);
	strcpy(s.webhook_url, "https://hook.example.vn/x");
	strcpy(s.webhook_secret, "short");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), -1);

	CHECK_INT(db_begin(db), 0);
	CHECK_INT(
	    alerts_event(db, "callback", "H21.227", "callback:1", "{}", 1000),
	    0);
	CHECK_INT(alerts_event(
		      db, "kiosk_offline", "H21.227", "kiosk:k1", "{}", 1000),
	    0);
	CHECK_INT(
	    alerts_event(db, "callback", "H57", "callback:2", "{}", 1000), 0);
	CHECK_INT(alerts_event(db, "disk_full", NULL, "disk", "{}", 1000), 0);
	CHECK_INT(db_commit(db), 0);
	/* callback of H21.227: lan and the province's address; the
	 * kiosk: lan; H57's callback and the disk: the admin address */
	{
		struct db_stmt *st = db_query(db,
		    "SELECT event_id, group_concat(subscription_id) FROM "
		    "(SELECT * FROM alert_deliveries ORDER BY event_id, "
		    "subscription_id) GROUP BY event_id ORDER BY event_id",
		    "");
		const char *want[][2] = { { "1", "1,2" }, { "2", "1" },
			{ "3", "3" }, { "4", "3" } };
		int i = 0;

		while (st != NULL && db_step(st) == DB_ROW && i < 4) {
			CHECK_STR(db_col_text(st, 0), want[i][0]);
			CHECK_STR(db_col_text(st, 1), want[i][1]);
			i++;
		}
		CHECK_INT(i, 4);
		db_done(st);
	}
	/* a disabled account gets nothing more */
	CHECK_INT(db_exec(db,
		      "UPDATE users SET active = 0 WHERE "
		      "username = 'lan'"),
	    0);
	CHECK_INT(alerts_event(db, "callback", "H21.227", "", "{}", 1001), 0);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM alert_deliveries WHERE "
		      "event_id = 5"),
	    1);
	/* removed: nothing new, nothing left pending */
	CHECK_INT(alerts_sub_remove(db, 2, "H57", "test"), 1); /* scope */
	CHECK_INT(alerts_sub_remove(db, 2, NULL, "test"), 0);
	CHECK_INT(alerts_sub_remove(db, 2, NULL, "test"), 1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM alert_deliveries WHERE "
		      "subscription_id = 2 AND state = 'pending'"),
	    0);
	CHECK_INT(alerts_event(db, "callback", "H21.227", "", "{}", 1002), 0);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM alert_deliveries WHERE "
		      "event_id = 6"),
	    0);
	CHECK_INT(count(db,
		      "SELECT count(DISTINCT idempotency_key) = "
		      "count(*) FROM alert_deliveries"),
	    1);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM audit WHERE action IN "
		      "('alert.add', 'alert.remove')"),
	    5);
	db_close(db);
}

/* The writer's hook: only a low, valid rating with a phone. */
static void
on_rating(void)
{
	struct db *db = fresh();
	struct rating r;

	if (db == NULL)
		return;
	rating_init(&r);
	strcpy(r.unit, "H21.227");
	r.level = 4;
	strcpy(r.phone, "0912345678");
	CHECK_INT(alerts_on_rating(db, &r, 1), 0);
	r.level = 2;
	r.status = STATUS_BURST;
	CHECK_INT(alerts_on_rating(db, &r, 1), 0);
	r.status = STATUS_VALID;
	r.phone[0] = '\0';
	CHECK_INT(alerts_on_rating(db, &r, 1), 0);
	CHECK_INT(count(db, "SELECT count(*) FROM alert_events"), 0);
	strcpy(r.phone, "0912345678");
	CHECK_INT(alerts_on_rating(db, &r, 1), 0);
	CHECK_INT(count(db,
		      "SELECT count(*) FROM alert_events WHERE "
		      "kind = 'callback' AND instr(detail, '0912') = 0"),
	    1);
	rating_release(&r);
	db_close(db);
}

/* The digest's window: a day, or a week; the phone for managers only. */
static void
digest(void)
{
	struct db *db = fresh();
	struct alert_sub s;
	struct buf subject = { 0 }, text = { 0 };
	const int64_t now = 1796000000; /* 2026-11-30, a Monday */

	if (db == NULL)
		return;
	alert_sub_init(&s);
	strcpy(s.unit, "H21.227");
	strcpy(s.email, "a@x.vn");
	strcpy(s.mode, "digest");
	CHECK_INT(alerts_event(db, "kiosk_offline", "H21.227", "kiosk:k1",
		      "{\"kiosk\":\"k1\",\"counter\":2,\"last_seen\":1}",
		      now - 3 * 86400),
	    0);
	CHECK_INT(alerts_event(db, "review_overdue", "H21.227", "review:7",
		      "{\"review\":7,\"due\":\"2026-11-20\"}", now - 3600),
	    0);
	CHECK_INT(alerts_event(db, "review_overdue", "H57", "review:8",
		      "{\"review\":8,\"due\":\"2026-11-20\"}", now - 3600),
	    0);
	CHECK_INT(
	    alerts_digest(db, &s, "https://h.example.vn", now, &subject, &text),
	    0);
	CHECK(strstr(buf_str(&subject), "Bản tin hài lòng 30/11/2026") ==
	    buf_str(&subject));
	CHECK(strstr(buf_str(&text), "THAY ĐỔI TỪ HÔM QUA") != NULL);
	CHECK(strstr(buf_str(&text),
		  "Xem xét số 7 đã quá hạn (hạn 20/11/2026).\n  "
		  "https://h.example.vn/admin/units/H21.227/reviews/7\n") !=
	    NULL);
	CHECK(strstr(buf_str(&text), "số 8") == NULL);     /* another unit */
	CHECK(strstr(buf_str(&text), "Ki-ốt k1") == NULL); /* 3 days ago */
	buf_reset(&subject);
	buf_reset(&text);
	strcpy(s.mode, "weekly");
	CHECK_INT(
	    alerts_digest(db, &s, "https://h.example.vn", now, &subject, &text),
	    0);
	CHECK(strstr(buf_str(&subject), "tuần") != NULL);
	CHECK(strstr(buf_str(&text), "THAY ĐỔI TRONG TUẦN QUA") != NULL);
	CHECK(
	    strstr(buf_str(&text), "Ki-ốt k1 (quầy 2) không liên lạc") != NULL);
	buf_release(&subject);
	buf_release(&text);
	db_close(db);
}

/* The outbox forgets what is done after 90 days, never what waits. */
static void
cleanup(void)
{
	struct db *db = fresh();
	struct alert_sub s;
	struct config c;
	char err[512];
	const int64_t now = 1796000000, old = now - 91 * 86400;

	if (db == NULL)
		return;
	config_defaults(&c);
	c.alert_disk_percent = 100;
	alert_sub_init(&s);
	strcpy(s.unit, "H21.227");
	strcpy(s.email, "a@x.vn");
	strcpy(s.events, "callback");
	CHECK_INT(alerts_sub_add(db, &s, NULL, "test", err, sizeof(err)), 0);
	CHECK_INT(db_begin(db), 0);
	CHECK_INT(alerts_event(db, "callback", "H21.227", "", "{}", old), 0);
	CHECK_INT(alerts_event(db, "callback", "H21.227", "", "{}", old), 0);
	CHECK_INT(alerts_event(db, "callback", "H21.227", "", "{}", now), 0);
	CHECK_INT(db_commit(db), 0);
	/* 1: sent long ago; 2: still waiting; 3: sent today */
	CHECK_INT(db_exec(db,
		      "UPDATE alert_deliveries SET state = 'sent' "
		      "WHERE event_id IN (1, 3)"),
	    0);
	CHECK_INT(alerts_check(db, &c, now), 0);
	CHECK_INT(count(db,
		      "SELECT group_concat(event_id) = '2,3' FROM "
		      "(SELECT event_id FROM alert_deliveries ORDER BY 1)"),
	    1);
	CHECK_INT(count(db,
		      "SELECT group_concat(id) = '2,3' FROM "
		      "(SELECT id FROM alert_events ORDER BY 1)"),
	    1);
	db_close(db);
}

int
main(void)
{
	RUN(base64);
	RUN(addresses);
	RUN(message);
	RUN(fanout);
	RUN(on_rating);
	RUN(digest);
	RUN(cleanup);
	return test_report("test_alerts");
}
