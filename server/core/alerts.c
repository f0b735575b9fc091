/* alerts.c -- events that reach people: subscriptions, outbox, sender. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include <jansson.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/log.h"
#include "hailong/rating.h"
#include "hailong/util.h"
#include "hailong/wire.h"
#include "core/alerts.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/fmt.h"
#include "core/instrument.h"
#include "core/mailer.h"
#include "core/metrics.h"
#include "core/report_status.h"
#include "core/store.h"
#include "core/units.h"

#define HANOI_OFFSET HL_TZ_OFFSET
/* Sent and failed deliveries, and events none waits for, kept this long. */
#define ALERT_KEEP_DAYS 90

static const struct {
	const char *code, *label;
} kinds[] = {
	{ "callback", "Yêu cầu gọi lại sau đánh giá thấp" },
	{ "flag_raised", "Cảnh báo mới" },
	{ "flag_cleared", "Hết cảnh báo" },
	{ "review_overdue", "Xem xét quá hạn" },
	{ "kiosk_offline", "Ki-ốt mất kết nối" },
	{ "kiosk_online", "Ki-ốt kết nối lại" },
	{ "kiosk_backlog", "Ki-ốt còn nhiều đánh giá chưa gửi" },
	{ "check_failed", "Kiểm tra hệ thống thất bại" },
	{ "disk_full", "Ổ đĩa sắp đầy" },
	{ "report_missing", "Đơn vị cấp dưới chưa gửi báo cáo" },
};

bool
alert_kind_is_valid(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(s, kinds[i].code) == 0)
			return true;
	return false;
}

const char *
alert_kind_label(const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i].code) == 0)
			return kinds[i].label;
	return kind;
}

bool
alert_events_are_valid(const char *s)
{
	char one[ALERT_KIND_MAX + 1];

	if (strcmp(s, "all") == 0)
		return true;
	if (*s == '\0' || strlen(s) >= 256)
		return false;
	while (*s) {
		size_t n = strcspn(s, ",");

		if (n == 0 || n > ALERT_KIND_MAX)
			return false;
		memcpy(one, s, n);
		one[n] = '\0';
		if (!alert_kind_is_valid(one))
			return false;
		s += n;
		if (*s == ',' && *++s == '\0')
			return false;
	}
	return true;
}

static const char *
flag_label(const char *flag)
{
	if (strcmp(flag, "LOW_SATISFACTION") == 0)
		return "Tỷ lệ hài lòng thấp";
	if (strcmp(flag, "HIGH_SUPPLEMENT") == 0)
		return "Nhiều hồ sơ phải bổ sung";
	if (strcmp(flag, "LOW_ONLINE") == 0)
		return "Ít hồ sơ trực tuyến";
	if (strcmp(flag, "LATE") == 0)
		return "Nhiều hồ sơ trễ hạn";
	return "Cảnh báo";
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "YYYY-MM-DD" of an instant in Hanoi, and its hour. */
static void
hanoi_day(int64_t t, char day[11], int *hour)
{
	int64_t local = t + HANOI_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(day, 11, "%04d-%02d-%02d", y, m, d);
	if (hour != NULL)
		*hour = (int)((local - days * 86400) / 3600);
}

/* --- events ---------------------------------------------------------------- */

int
alerts_event(struct db *db, const char *kind, const char *unit,
    const char *subject, const char *detail, int64_t now)
{
	int64_t id;

	if (db_run(db,
		"INSERT INTO alert_events(kind, unit, subject, detail, "
		"created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
		"ttttl", kind, unit, subject ? subject : "",
		detail ? detail : "{}", now) < 0)
		return -1;
	id = db_last_rowid(db);
	if (unit == NULL)
		/* the installation's own trouble: for its administrators */
		return db_run(db,
		    "INSERT INTO alert_deliveries(event_id, subscription_id, "
		    "next_attempt_at, idempotency_key) "
		    "SELECT ?1, s.id, ?2, 'hl-' || ?1 || '-' || s.id || '-' || "
		    "lower(hex(randomblob(6))) "
		    "FROM alert_subscriptions s "
		    "LEFT JOIN users u ON u.username = s.username "
		    "WHERE s.removed_at IS NULL AND s.mode = 'now' AND "
		    "(s.events = 'all' OR instr(',' || s.events || ',', "
		    "',' || ?3 || ',') > 0) AND "
		    "coalesce(u.role, s.role) = 'admin' AND "
		    "(s.username IS NULL OR u.active = 1)",
		    "llt", id, now * 1000, kind);
	/* the fan-out: every "now" subscription that wants it, whose
	 * account (if any) is active and sees the event's unit */
	if (db_run(db,
		"INSERT INTO alert_deliveries(event_id, subscription_id, "
		"next_attempt_at, idempotency_key) "
		"SELECT ?1, s.id, ?2, 'hl-' || ?1 || '-' || s.id || '-' || "
		"lower(hex(randomblob(6))) "
		"FROM alert_subscriptions s "
		"JOIN unit_tree t ON t.ancestor = s.unit AND "
		"t.descendant = ?3 "
		"LEFT JOIN users u ON u.username = s.username "
		"WHERE s.removed_at IS NULL AND s.mode = 'now' AND "
		"(s.events = 'all' OR instr(',' || s.events || ',', "
		"',' || ?4 || ',') > 0) AND "
		"(s.username IS NULL OR (u.active = 1 AND EXISTS (SELECT 1 "
		"FROM unit_tree t2 WHERE t2.ancestor = u.unit AND "
		"t2.descendant = ?3)))",
		"lltt", id, now * 1000, unit, kind) < 0)
		return -1;
	return 0;
}

int
alerts_on_rating(struct db *db, const struct rating *r, int64_t seq)
{
	char detail[256], subject[32];
	int64_t cb = 0;

	if (r->phone[0] == '\0' || r->level > 2 || r->status != STATUS_VALID)
		return 0;
	if (db_int(db, &cb, "SELECT id FROM callbacks WHERE rating_seq = ?1",
		"l", seq) < 0)
		return -1;
	snprintf(subject, sizeof(subject), "callback:%lld", (long long)cb);
	snprintf(detail, sizeof(detail),
	    "{\"callback\":%lld,\"rating\":%lld,\"level\":%d,"
	    "\"procedure\":\"%s\",\"counter\":%d,\"rated_at\":%lld}",
	    (long long)cb, (long long)seq, r->level, r->procedure, r->counter,
	    (long long)r->rated_at);
	return alerts_event(db, "callback", r->unit, subject, detail,
	    r->received_at > 0 ? r->received_at : hl_now());
}

/* What concerns the whole installation: no unit. */
static int
event_at_top(struct db *db, const char *kind, const char *subject,
    const char *detail, int64_t now)
{
	return alerts_event(db, kind, NULL, subject, detail, now);
}

int
alerts_check_failed(struct db *db, const char *check, const char *why)
{
	json_t *o = json_pack("{s:s, s:s}", "check", check, "why", why);
	char *detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
	bool own = !db_in_transaction(db);
	int rc = -1;

	if (detail == NULL)
		goto out;
	if (own && db_begin(db) < 0)
		goto out;
	if (event_at_top(db, "check_failed", check, detail, hl_now()) < 0) {
		if (own)
			db_rollback(db);
		goto out;
	}
	if (own && db_commit(db) < 0)
		goto out;
	rc = 0;
out:
	free(detail);
	json_decref(o);
	return rc;
}

void
alerts_check_failed_at(const char *dbpath, const char *check, const char *why)
{
	char err[512];
	struct db *db = store_open(dbpath, 0, err, sizeof(err));

	if (db == NULL || alerts_check_failed(db, check, why) < 0)
		log_msg(LOG_ERROR, "alerts", "cannot record the failed %s: %s",
		    check, db ? db_errmsg(db) : err);
	db_close(db);
}

int
alerts_user_email_get(struct db *db, const char *username, char out[255])
{
	struct db_stmt *st = db_query(db,
	    "SELECT coalesce(email, '') FROM users WHERE username = ?1", "t",
	    username);
	int rc = -1;

	out[0] = '\0';
	if (st == NULL)
		return -1;
	switch (db_step(st)) {
	case DB_ROW:
		strlcpy_hl(out, db_col_text(st, 0), 255);
		rc = 0;
		break;
	case DB_DONE: rc = 0; break;
	default: break;
	}
	db_done(st);
	return rc;
}

int
alerts_user_email(struct db *db, const char *username, const char *email,
    const char *actor, char *err, size_t errlen)
{
	char target[64];

	if (email[0] != '\0' && !mailer_address_is_valid(email)) {
		snprintf(err, errlen, "'%s' is not an e-mail address", email);
		return -1;
	}
	if (db_begin(db) < 0)
		goto dberr;
	if (db_run(db, "UPDATE users SET email = ?2 WHERE username = ?1", "tt",
		username, email[0] ? email : NULL) < 0)
		goto rollback;
	if (db_changes(db) == 0) {
		db_rollback(db);
		return 1;
	}
	snprintf(target, sizeof(target), "user:%s", username);
	if (audit_append(db, actor, "user.email", target, "") < 0 ||
	    db_commit(db) < 0)
		goto rollback;
	return 0;
rollback:
	snprintf(err, errlen, "%s", db_errmsg(db));
	db_rollback(db);
	return -1;
dberr:
	snprintf(err, errlen, "%s", db_errmsg(db));
	return -1;
}

/* --- subscriptions --------------------------------------------------------- */

void
alert_sub_init(struct alert_sub *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->role, "viewer");
	strcpy(s->events, "all");
	strcpy(s->mode, "now");
	s->digest_hour = 7;
}

static bool
webhook_url_ok(const char *u)
{
	return str_has_prefix(u, "https://") ||
	    str_has_prefix(u, "http://127.0.0.1:") ||
	    str_has_prefix(u, "http://127.0.0.1/") ||
	    str_has_prefix(u, "http://localhost:");
}

int
alerts_sub_add(struct db *db, struct alert_sub *s, const char *scope,
    const char *actor, char *err, size_t errlen)
{
	int who = (s->username[0] != '\0') + (s->email[0] != '\0') +
	    (s->webhook_url[0] != '\0');
	char target[32], detail[512];
	int rc = -1;

	if (who != 1) {
		snprintf(err, errlen,
		    "give exactly one of a staff account, an e-mail address "
		    "or a webhook URL");
		return -1;
	}
	if (!alert_events_are_valid(s->events)) {
		snprintf(err, errlen,
		    "events: '%s' is not 'all' or a list of callback, "
		    "flag_raised, flag_cleared, review_overdue, kiosk_offline, "
		    "kiosk_online, kiosk_backlog, check_failed, disk_full, "
		    "report_missing",
		    s->events);
		return -1;
	}
	if (strcmp(s->mode, "now") != 0 && strcmp(s->mode, "digest") != 0 &&
	    strcmp(s->mode, "weekly") != 0) {
		snprintf(err, errlen,
		    "mode: '%s' is not 'now', 'digest' or 'weekly'", s->mode);
		return -1;
	}
	if (s->digest_hour < 0 || s->digest_hour > 23) {
		snprintf(err, errlen, "digest hour: %d is not 0 to 23",
		    s->digest_hour);
		return -1;
	}
	if (strcmp(s->role, "admin") != 0 && strcmp(s->role, "manager") != 0 &&
	    strcmp(s->role, "reporter") != 0 &&
	    strcmp(s->role, "viewer") != 0) {
		snprintf(err, errlen,
		    "role: '%s' is not admin, manager, reporter or viewer",
		    s->role);
		return -1;
	}
	if (!store_has_unit(db, s->unit)) {
		snprintf(err, errlen, "no unit '%s'", s->unit);
		return -1;
	}
	if (scope != NULL && !store_unit_within(db, s->unit, scope)) {
		snprintf(
		    err, errlen, "unit '%s' is outside your units", s->unit);
		return -1;
	}
	if (s->username[0] != '\0') {
		int64_t ok = 0;
		int r = db_int(db, &ok,
		    "SELECT EXISTS (SELECT 1 FROM unit_tree WHERE "
		    "ancestor = u.unit AND descendant = ?2) "
		    "FROM users u WHERE u.username = ?1 AND u.active = 1",
		    "tt", s->username, s->unit);

		if (r < 0) {
			snprintf(err, errlen, "%s", db_errmsg(db));
			return -1;
		}
		if (r == 1) {
			snprintf(
			    err, errlen, "no active account '%s'", s->username);
			return -1;
		}
		if (!ok) {
			snprintf(err, errlen,
			    "unit '%s' is outside account '%s''s units",
			    s->unit, s->username);
			return -1;
		}
		strcpy(s->role, "viewer"); /* the account's own role applies */
	}
	if (s->email[0] != '\0' && !mailer_address_is_valid(s->email)) {
		snprintf(
		    err, errlen, "'%s' is not an e-mail address", s->email);
		return -1;
	}
	if (s->webhook_url[0] != '\0') {
		if (!webhook_url_ok(s->webhook_url)) {
			snprintf(err, errlen,
			    "webhook URL '%s' must start with https://",
			    s->webhook_url);
			return -1;
		}
		if (strlen(s->webhook_secret) < 16) {
			snprintf(err, errlen,
			    "a webhook needs a secret of 16 characters or "
			    "more (it signs each request)");
			return -1;
		}
		if (strcmp(s->mode, "now") != 0) {
			snprintf(err, errlen,
			    "webhooks get each event at once (mode now); "
			    "digests are e-mail only");
			return -1;
		}
	}
	if (db_begin(db) < 0)
		goto dberr;
	s->created_at = hl_now();
	strlcpy_hl(s->created_by, actor, sizeof(s->created_by));
	if (db_run(db,
		"INSERT INTO alert_subscriptions(username, email, webhook_url, "
		"webhook_secret, role, unit, events, mode, digest_hour, "
		"created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		"?8, ?9, ?10, ?11)",
		"ttttttttilt", s->username[0] ? s->username : NULL,
		s->email[0] ? s->email : NULL,
		s->webhook_url[0] ? s->webhook_url : NULL,
		s->webhook_url[0] ? s->webhook_secret : NULL, s->role, s->unit,
		s->events, s->mode, s->digest_hour, s->created_at, actor) < 0)
		goto rollback;
	s->id = db_last_rowid(db);
	snprintf(target, sizeof(target), "alert:%lld", (long long)s->id);
	snprintf(detail, sizeof(detail),
	    "{\"to\":\"%s\",\"unit\":\"%s\",\"events\":\"%s\","
	    "\"mode\":\"%s\",\"hour\":%d}",
	    s->username[0]    ? "account"
		: s->email[0] ? "address"
			      : "webhook",
	    s->unit, s->events, s->mode, s->digest_hour);
	if (audit_append(db, actor, "alert.add", target, detail) < 0)
		goto rollback;
	if (db_commit(db) < 0)
		goto dberr;
	rc = 0;
	goto out;
rollback:
	snprintf(err, errlen, "%s", db_errmsg(db));
	db_rollback(db);
	goto out;
dberr:
	snprintf(err, errlen, "%s", db_errmsg(db));
out:
	return rc;
}

int
alerts_sub_remove(
    struct db *db, int64_t id, const char *scope, const char *actor)
{
	char target[32];
	int64_t found;
	int r;

	if (db_begin(db) < 0)
		return -1;
	r = db_int(db, &found,
	    "SELECT id FROM alert_subscriptions s WHERE id = ?1 AND "
	    "removed_at IS NULL AND (?2 IS NULL OR EXISTS (SELECT 1 FROM "
	    "unit_tree WHERE ancestor = ?2 AND descendant = s.unit))",
	    "lt", id, scope);
	if (r != 0) {
		db_rollback(db);
		return r;
	}
	snprintf(target, sizeof(target), "alert:%lld", (long long)id);
	/* what is queued for it goes too: nobody wants it any more */
	if (db_run(db,
		"UPDATE alert_subscriptions SET removed_at = ?2 WHERE id = ?1",
		"ll", id, hl_now()) < 0 ||
	    db_run(db,
		"UPDATE alert_deliveries SET state = 'failed', "
		"last_error = 'subscription removed' WHERE "
		"subscription_id = ?1 AND state = 'pending'",
		"l", id) < 0 ||
	    audit_append(db, actor, "alert.remove", target, "") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

#define SUB_COLUMNS \
	"s.id, coalesce(s.username, ''), coalesce(s.email, ''), " \
	"coalesce(s.webhook_url, ''), coalesce(s.webhook_secret, ''), " \
	"s.role, s.unit, s.events, s.mode, s.digest_hour, s.created_at, " \
	"s.created_by"

static void
sub_read(struct db_stmt *st, struct alert_sub *s)
{
	alert_sub_init(s);
	s->id = db_col_int(st, 0);
	strlcpy_hl(s->username, db_col_text(st, 1), sizeof(s->username));
	strlcpy_hl(s->email, db_col_text(st, 2), sizeof(s->email));
	strlcpy_hl(s->webhook_url, db_col_text(st, 3), sizeof(s->webhook_url));
	strlcpy_hl(
	    s->webhook_secret, db_col_text(st, 4), sizeof(s->webhook_secret));
	strlcpy_hl(s->role, db_col_text(st, 5), sizeof(s->role));
	strlcpy_hl(s->unit, db_col_text(st, 6), sizeof(s->unit));
	strlcpy_hl(s->events, db_col_text(st, 7), sizeof(s->events));
	strlcpy_hl(s->mode, db_col_text(st, 8), sizeof(s->mode));
	s->digest_hour = (int)db_col_int(st, 9);
	s->created_at = db_col_int(st, 10);
	strlcpy_hl(s->created_by, db_col_text(st, 11), sizeof(s->created_by));
}

int
alerts_sub_list(
    struct db *db, const char *scope, struct alert_sub **out, size_t *n)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " SUB_COLUMNS " FROM alert_subscriptions s "
	    "WHERE s.removed_at IS NULL AND (?1 IS NULL OR EXISTS (SELECT 1 "
	    "FROM unit_tree WHERE ancestor = ?1 AND descendant = s.unit)) "
	    "ORDER BY s.id",
	    "t", scope);
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		sub_read(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int
sub_load(struct db *db, int64_t id, struct alert_sub *s)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " SUB_COLUMNS " FROM alert_subscriptions s WHERE id = ?1",
	    "l", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		sub_read(st, s);
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

/* --- periodic checks ------------------------------------------------------- */

/* The last state of key; 0 when never seen. */
static int64_t
state_get(struct db *db, const char *key)
{
	int64_t v = 0;

	if (db_int(db, &v, "SELECT value FROM alert_state WHERE key = ?1", "t",
		key) != 0)
		return 0;
	return v;
}

static int
state_set(struct db *db, const char *key, int64_t v, int64_t now)
{
	if (v == 0)
		return db_run(
		    db, "DELETE FROM alert_state WHERE key = ?1", "t", key);
	return db_run(db,
	    "INSERT INTO alert_state(key, value, since) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT(key) DO UPDATE SET value = ?2, since = ?3",
	    "tll", key, v, now);
}

static int
check_kiosks(struct db *db, const struct config *c, int64_t now)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id, unit, counter, coalesce(last_seen, enrolled_at), "
	    "coalesce(backlog, 0) FROM kiosks WHERE revoked_at IS NULL AND "
	    "enrolled_at IS NOT NULL ORDER BY id",
	    "");
	struct k {
		char id[24], unit[41];
		int counter;
		int64_t seen, backlog;
	} *ks = NULL;
	size_t n = 0;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		ks = xrealloc(ks, (n + 1) * sizeof(*ks));
		strlcpy_hl(ks[n].id, db_col_text(st, 0), sizeof(ks[n].id));
		strlcpy_hl(ks[n].unit, db_col_text(st, 1), sizeof(ks[n].unit));
		ks[n].counter = (int)db_col_int(st, 2);
		ks[n].seen = db_col_int(st, 3);
		ks[n].backlog = db_col_int(st, 4);
		n++;
	}
	db_done(st);
	rc = rc < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char key[64], subject[40], detail[200];
		bool off = now - ks[i].seen >
		    (int64_t)c->alert_kiosk_offline_minutes * 60;
		bool full = c->alert_kiosk_backlog > 0 &&
		    ks[i].backlog >= (int64_t)c->alert_kiosk_backlog;

		snprintf(subject, sizeof(subject), "kiosk:%s", ks[i].id);
		snprintf(detail, sizeof(detail),
		    "{\"kiosk\":\"%s\",\"counter\":%d,\"last_seen\":%lld,"
		    "\"backlog\":%lld}",
		    ks[i].id, ks[i].counter, (long long)ks[i].seen,
		    (long long)ks[i].backlog);
		snprintf(key, sizeof(key), "kiosk_offline:%s", ks[i].id);
		if ((state_get(db, key) != 0) != off)
			rc = state_set(db, key, off, now) < 0 ||
				alerts_event(db,
				    off ? "kiosk_offline" : "kiosk_online",
				    ks[i].unit, subject, detail, now) < 0
			    ? -1
			    : 0;
		snprintf(key, sizeof(key), "kiosk_backlog:%s", ks[i].id);
		if (rc == 0 && (state_get(db, key) != 0) != full)
			rc = state_set(db, key, full, now) < 0 ||
				(full &&
				    alerts_event(db, "kiosk_backlog",
					ks[i].unit, subject, detail, now) < 0)
			    ? -1
			    : 0;
	}
	free(ks);
	return rc;
}

/*
 * Subordinate units whose report of the last closed month is overdue
 * (report_status.h), for each unit somebody subscribed to: once each.
 */
static int
check_reports(struct db *db, int64_t now)
{
	struct db_stmt *st = db_query(db,
	    "SELECT DISTINCT unit FROM alert_subscriptions WHERE "
	    "removed_at IS NULL AND (events = 'all' OR instr(',' || events || "
	    "',', ',report_missing,') > 0 OR mode <> 'now') ORDER BY unit",
	    "");
	struct period p[24];
	char(*units)[41] = NULL;
	size_t n = 0;
	int np = 0, rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		units = xrealloc(units, (n + 1) * sizeof(*units));
		strlcpy_hl(units[n++], db_col_text(st, 0), 41);
	}
	db_done(st);
	rc = rc < 0 ? -1 : 0;
	report_status_last_months(now, 1, p, &np);
	for (size_t i = 0; rc == 0 && np == 1 && i < n; i++) {
		struct report_status rs;
		char err[256], per[PERIOD_TEXT_MAX];

		memset(&rs, 0, sizeof(rs));
		if (report_status_get(
			db, units[i], p, 1, now, &rs, err, sizeof(err)) < 0) {
			log_msg(LOG_WARN, "alerts", "reports of %s: %s",
			    units[i], err);
			continue;
		}
		period_format(&p[0], per);
		for (size_t r = 0; rc == 0 && r < rs.nrows; r++) {
			const struct report_cell *cell = &rs.rows[r].cells[0];
			char key[96], subject[64];
			json_t *o;
			char *detail;

			if (!cell->overdue)
				continue;
			snprintf(key, sizeof(key), "report_missing:%s:%s",
			    rs.rows[r].unit, per);
			if (state_get(db, key) != 0)
				continue;
			snprintf(subject, sizeof(subject), "report:%s:%s",
			    rs.rows[r].unit, per);
			o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "parent",
			    units[i], "child", rs.rows[r].unit, "name",
			    rs.rows[r].name, "period", per, "deadline",
			    (json_int_t)cell->deadline);
			detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
			rc = detail == NULL || state_set(db, key, 1, now) < 0 ||
				alerts_event(db, "report_missing",
				    rs.rows[r].unit, subject, detail, now) < 0
			    ? -1
			    : 0;
			free(detail);
			json_decref(o);
		}
		report_status_free(&rs);
	}
	free(units);
	return rc;
}

static int
check_reviews(struct db *db, int64_t now)
{
	char today[11];
	struct db_stmt *st;
	struct r {
		int64_t id;
		char unit[41], due[11];
	} *rs = NULL;
	size_t n = 0;
	int rc;

	hanoi_day(now, today, NULL);
	st = db_query(db,
	    "SELECT id, unit, due_date FROM reviews WHERE status <> "
	    "'resolved' AND due_date < ?1 AND NOT EXISTS (SELECT 1 FROM "
	    "alert_state WHERE key = 'review_overdue:' || reviews.id) "
	    "ORDER BY id",
	    "t", today);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		rs = xrealloc(rs, (n + 1) * sizeof(*rs));
		rs[n].id = db_col_int(st, 0);
		strlcpy_hl(rs[n].unit, db_col_text(st, 1), sizeof(rs[n].unit));
		strlcpy_hl(rs[n].due, db_col_text(st, 2), sizeof(rs[n].due));
		n++;
	}
	db_done(st);
	rc = rc < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char key[48], subject[40], detail[96];

		snprintf(key, sizeof(key), "review_overdue:%lld",
		    (long long)rs[i].id);
		snprintf(subject, sizeof(subject), "review:%lld",
		    (long long)rs[i].id);
		snprintf(detail, sizeof(detail),
		    "{\"review\":%lld,\"due\":\"%s\"}", (long long)rs[i].id,
		    rs[i].due);
		rc = state_set(db, key, 1, now) < 0 ||
			alerts_event(db, "review_overdue", rs[i].unit, subject,
			    detail, now) < 0
		    ? -1
		    : 0;
	}
	free(rs);
	return rc;
}

static int
check_disk(struct db *db, const struct config *c, int64_t now)
{
	struct statvfs sv;
	char dir[CONFIG_PATH_MAX], detail[64];
	char *slash;
	double used;
	bool full;

	strlcpy_hl(dir, c->db, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (statvfs(dir, &sv) < 0 || sv.f_blocks == 0)
		return 0; /* nothing to say; not a failure of the checks */
	used = 1.0 - (double)sv.f_bavail / (double)sv.f_blocks;
	full = used * 100.0 >= (double)c->alert_disk_percent;
	if ((state_get(db, "disk") != 0) == full)
		return 0;
	snprintf(detail, sizeof(detail), "{\"used\":%.4f}", used);
	if (state_set(db, "disk", full, now) < 0)
		return -1;
	return full ? event_at_top(db, "disk_full", "disk", detail, now) : 0;
}

/*
 * The flags raised now, found outside the write transaction (computing a
 * month's figures must not hold the writer up), applied inside it.
 */
struct flag_hit {
	char *key, *unit, *subject, *detail;
};

struct flag_hits {
	struct flag_hit *v;
	size_t n;
	char (*units)[41]; /* the units whose figures were computed */
	size_t nunits;
};

static void
flag_hits_release(struct flag_hits *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].key);
		free(h->v[i].unit);
		free(h->v[i].subject);
		free(h->v[i].detail);
	}
	free(h->v);
	free(h->units);
	memset(h, 0, sizeof(*h));
}

static const char *const scope_names[] = { "total", "procedure", "counter",
	"officer" };

static void
flag_scope(
    const struct metrics *m, const struct metric_scope *sc, struct flag_hits *h)
{
	const char *unit = sc->unit[0] ? sc->unit : m->unit;
	char code[64], month[8];

	if (sc->kind == SCOPE_COUNTER)
		snprintf(code, sizeof(code), "%s/%d", sc->unit, sc->counter);
	else
		strlcpy_hl(code, sc->code, sizeof(code));
	month_format(m->month, month);
	for (int i = 0; i < sc->fig.nflags; i++) {
		const char *flag = metric_flag_name(sc->fig.flags[i]);
		char key[200], subject[96];
		struct flag_hit *f;
		json_t *o;

		snprintf(key, sizeof(key), "flag:%s:%s:%s:%s", m->unit,
		    scope_names[sc->kind], code, flag);
		snprintf(subject, sizeof(subject), "%s:%s",
		    scope_names[sc->kind], code);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:f}", "scope",
		    scope_names[sc->kind], "code", code, "name", sc->name,
		    "flag", flag, "month", month, "ratings",
		    (json_int_t)sc->fig.ratings, "satisfied_rate",
		    isnan(sc->fig.satisfied_rate) ? -1.0
						  : sc->fig.satisfied_rate);
		h->v = xrealloc(h->v, (h->n + 1) * sizeof(*h->v));
		f = &h->v[h->n++];
		f->key = xstrdup(key);
		f->unit = xstrdup(unit);
		f->subject = xstrdup(subject);
		f->detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (f->detail == NULL)
			f->detail = xstrdup("{}");
		json_decref(o);
	}
}

/* This month's flags of each unit somebody subscribed to.  0 or -1. */
static int
flags_gather(struct db *db, int64_t now, struct flag_hits *h)
{
	struct db_stmt *st = db_query(db,
	    "SELECT DISTINCT unit FROM alert_subscriptions WHERE "
	    "removed_at IS NULL AND (events = 'all' OR instr(',' || events || "
	    "',', ',flag_') > 0 OR mode <> 'now') ORDER BY unit",
	    "");
	char(*units)[41] = NULL;
	size_t n = 0;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		units = xrealloc(units, (n + 1) * sizeof(*units));
		strlcpy_hl(units[n++], db_col_text(st, 0), 41);
	}
	db_done(st);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char err[256];
		struct metrics *m = metrics_compute(
		    db, units[i], month_of(now), now, 0, err, sizeof(err));
		const struct metric_list *lists[3];

		if (m == NULL) {
			/* its flags are left as they were, not cleared */
			log_msg(LOG_WARN, "alerts", "flags of %s: %s", units[i],
			    err);
			continue;
		}
		lists[0] = &m->procedures;
		lists[1] = &m->counters;
		lists[2] = &m->officers;
		for (int l = 0; l < 3; l++)
			for (size_t k = 0; k < lists[l]->n; k++)
				flag_scope(m, &lists[l]->v[k], h);
		h->units =
		    xrealloc(h->units, (h->nunits + 1) * sizeof(*h->units));
		strlcpy_hl(h->units[h->nunits++], units[i], 41);
		metrics_free(m);
	}
	free(units);
	return rc < 0 ? -1 : 0;
}

static bool
is_hit(const struct flag_hits *h, const char *key)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].key, key) == 0)
			return true;
	return false;
}

/* A flag raised before and not now, of `unit`: flag_cleared. */
static int
flags_clear_unit(
    struct db *db, const struct flag_hits *h, const char *unit, int64_t now)
{
	char prefix[64], **gone = NULL;
	size_t ngone = 0;
	struct db_stmt *st;
	int rc = -1, s;

	snprintf(prefix, sizeof(prefix), "flag:%s:", unit);
	st = db_query(db,
	    "SELECT key FROM alert_state WHERE substr(key, 1, ?2) = ?1", "ti",
	    prefix, (int)strlen(prefix));
	if (st == NULL)
		return -1;
	while ((s = db_step(st)) == DB_ROW)
		if (!is_hit(h, db_col_text(st, 0))) {
			gone = xrealloc(gone, (ngone + 1) * sizeof(*gone));
			gone[ngone++] = xstrdup(db_col_text(st, 0));
		}
	db_done(st);
	if (s < 0)
		goto out;
	for (size_t i = 0; i < ngone; i++) {
		/* flag:UNIT:SCOPE:CODE:FLAG */
		char *k = gone[i] + strlen(prefix), *flag = strrchr(k, ':');
		size_t klen = strcspn(k, ":"), clen;
		char subject[128], scope[16], code[64];
		char *detail;
		json_t *o;
		int r;

		if (flag == NULL || klen >= sizeof(scope) ||
		    flag <= k + klen + 1 ||
		    (clen = (size_t)(flag - k) - klen - 1) >= sizeof(code))
			continue;
		memcpy(scope, k, klen);
		scope[klen] = '\0';
		memcpy(code, k + klen + 1, clen);
		code[clen] = '\0';
		snprintf(subject, sizeof(subject), "%s:%s", scope, code);
		o = json_pack("{s:s, s:s, s:s}", "scope", scope, "code", code,
		    "flag", flag + 1);
		detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
		r = detail == NULL || state_set(db, gone[i], 0, now) < 0 ||
			alerts_event(
			    db, "flag_cleared", unit, subject, detail, now) < 0
		    ? -1
		    : 0;
		free(detail);
		json_decref(o);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < ngone; i++)
		free(gone[i]);
	free(gone);
	return rc;
}

/* In the write transaction: each change of a flag is one event. */
static int
flags_apply(struct db *db, const struct flag_hits *h, int64_t now)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct flag_hit *f = &h->v[i];

		if (state_get(db, f->key) != 0)
			continue;
		if (state_set(db, f->key, 1, now) < 0 ||
		    alerts_event(db, "flag_raised", f->unit, f->subject,
			f->detail, now) < 0)
			return -1;
	}
	for (size_t i = 0; i < h->nunits; i++)
		if (flags_clear_unit(db, h, h->units[i], now) < 0)
			return -1;
	return 0;
}

int
alerts_check(struct db *db, const struct config *c, int64_t now)
{
	struct flag_hits hits = { 0 };
	int rc = -1;

	if (flags_gather(db, now, &hits) < 0)
		goto out;
	if (db_begin(db) < 0)
		goto out;
	/* the outbox is not an archive: what is done goes after a while */
	if (db_run(db,
		"DELETE FROM alert_deliveries WHERE state IN ('sent', "
		"'failed') AND next_attempt_at < ?1",
		"l", (now - (int64_t)ALERT_KEEP_DAYS * 86400) * 1000) < 0 ||
	    db_run(db,
		"DELETE FROM alert_events WHERE created_at < ?1 AND NOT "
		"EXISTS (SELECT 1 FROM alert_deliveries d WHERE "
		"d.event_id = alert_events.id)",
		"l", now - (int64_t)ALERT_KEEP_DAYS * 86400) < 0) {
		db_rollback(db);
		goto out;
	}
	if (check_kiosks(db, c, now) < 0 || check_reviews(db, now) < 0 ||
	    check_reports(db, now) < 0 || check_disk(db, c, now) < 0 ||
	    flags_apply(db, &hits, now) < 0) {
		db_rollback(db);
		goto out;
	}
	rc = db_commit(db);
out:
	flag_hits_release(&hits);
	return rc;
}

/* --- what a message says ----------------------------------------------------- */

struct event {
	int64_t id;
	char kind[ALERT_KIND_MAX + 1];
	char unit[41];
	char subject[128];
	json_t *detail; /* owned */
	int64_t created_at;
};

static const char *
dstr(const struct event *e, const char *k)
{
	const char *s = json_string_value(json_object_get(e->detail, k));

	return s ? s : "";
}

static int64_t
dint(const struct event *e, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(e->detail, k));
}

static bool
may_see_phones(const char *role)
{
	return strcmp(role, "admin") == 0 || strcmp(role, "manager") == 0;
}

/* The console page of an event. */
static void
event_link(struct buf *b, const char *base, const struct event *e)
{
	if (e->unit[0] == '\0') {
		buf_printf(b, "%s/admin", base);
		return;
	}
	if (strcmp(e->kind, "report_missing") == 0) {
		/* the parent's page of who has not reported */
		buf_printf(b, "%s/admin/units/", base);
		buf_urlenc(b, dstr(e, "parent"));
		buf_puts(b, "/reports/status");
		return;
	}
	buf_printf(b, "%s/admin/units/", base);
	buf_urlenc(b, e->unit);
	if (strcmp(e->kind, "callback") == 0)
		buf_printf(
		    b, "/callbacks/%lld", (long long)dint(e, "callback"));
	else if (strcmp(e->kind, "review_overdue") == 0)
		buf_printf(b, "/reviews/%lld", (long long)dint(e, "review"));
	else if (str_has_prefix(e->kind, "kiosk_"))
		buf_puts(b, "/kiosks");

	else if (str_has_prefix(e->kind, "flag_")) {
		const char *scope = dstr(e, "scope");

		if (strcmp(scope, "procedure") == 0) {
			buf_puts(b, "/procedures/");
			buf_urlenc(b, dstr(e, "code"));
		} else if (strcmp(scope, "counter") == 0)
			buf_puts(b, "/counters");
		else
			buf_puts(b, "/officers");
	}
}

/*
 * One line saying what happened, in Vietnamese; the phone of a callback
 * only for a role that may see it.
 */
static void
event_line(
    struct db *db, struct buf *b, const struct event *e, const char *role)
{
	char pct[FMT_MAX];
	struct buf t = { 0 };

	if (strcmp(e->kind, "callback") == 0) {
		fmt_datetime(&t, LANG_VI, dint(e, "rated_at"));
		buf_printf(b,
		    "Đánh giá thấp (mức %lld/5) kèm yêu cầu gọi lại lúc %s",
		    (long long)dint(e, "level"), buf_str(&t));
		if (dstr(e, "procedure")[0])
			buf_printf(b, ", thủ tục %s", dstr(e, "procedure"));
		if (dint(e, "counter") > 0)
			buf_printf(
			    b, ", quầy %lld", (long long)dint(e, "counter"));
		buf_puts(b, ".");
		if (may_see_phones(role)) {
			struct db_stmt *st = db_query(db,
			    "SELECT phone FROM callbacks WHERE id = ?1 AND "
			    "phone IS NOT NULL",
			    "l", dint(e, "callback"));

			if (st != NULL && db_step(st) == DB_ROW)
				buf_printf(b, " Số điện thoại: %s.",
				    db_col_text(st, 0));
			db_done(st);
		}
	} else if (str_has_prefix(e->kind, "flag_")) {
		const char *scope = dstr(e, "scope");

		buf_printf(b, "%s: %s — %s %s%s%s%s",
		    strcmp(e->kind, "flag_raised") == 0 ? "Cảnh báo mới"
							: "Hết cảnh báo",
		    flag_label(dstr(e, "flag")),
		    strcmp(scope, "procedure") == 0     ? "thủ tục"
			: strcmp(scope, "counter") == 0 ? "quầy"
							: "cán bộ",
		    dstr(e, "name")[0] ? dstr(e, "name") : dstr(e, "code"),
		    dstr(e, "name")[0] ? " (" : "",
		    dstr(e, "name")[0] ? dstr(e, "code") : "",
		    dstr(e, "name")[0] ? ")" : "");
		if (strcmp(e->kind, "flag_raised") == 0 &&
		    json_real_value(
			json_object_get(e->detail, "satisfied_rate")) >= 0)
			buf_printf(b, ": hài lòng %s trên %lld đánh giá",
			    fmt_percent_s(pct, LANG_VI,
				json_real_value(json_object_get(
				    e->detail, "satisfied_rate")),
				1),
			    (long long)dint(e, "ratings"));
		buf_puts(b, ".");
	} else if (strcmp(e->kind, "review_overdue") == 0) {
		const char *due = dstr(e, "due");

		buf_printf(b,
		    "Xem xét số %lld đã quá hạn (hạn %.2s/%.2s/%.4s).",
		    (long long)dint(e, "review"),
		    strlen(due) == 10 ? due + 8 : "",
		    strlen(due) == 10 ? due + 5 : "", due);
	} else if (str_has_prefix(e->kind, "kiosk_")) {
		fmt_datetime(&t, LANG_VI, dint(e, "last_seen"));
		if (strcmp(e->kind, "kiosk_offline") == 0)
			buf_printf(b,
			    "Ki-ốt %s (quầy %lld) không liên lạc từ %s.",
			    dstr(e, "kiosk"), (long long)dint(e, "counter"),
			    buf_str(&t));
		else if (strcmp(e->kind, "kiosk_online") == 0)
			buf_printf(b, "Ki-ốt %s (quầy %lld) đã liên lạc lại.",
			    dstr(e, "kiosk"), (long long)dint(e, "counter"));
		else
			buf_printf(b,
			    "Ki-ốt %s (quầy %lld) còn %lld đánh giá chưa gửi "
			    "lên máy chủ.",
			    dstr(e, "kiosk"), (long long)dint(e, "counter"),
			    (long long)dint(e, "backlog"));
	} else if (strcmp(e->kind, "check_failed") == 0) {
		const char *c = dstr(e, "check");

		buf_printf(b, "%s thất bại: %s.",
		    strcmp(c, "backup") == 0          ? "Sao lưu"
			: strcmp(c, "retention") == 0 ? "Xoá dữ liệu hết hạn"
						      : "Kiểm tra chuỗi băm",
		    dstr(e, "why"));
	} else if (strcmp(e->kind, "report_missing") == 0) {
		fmt_datetime(&t, LANG_VI, dint(e, "deadline"));
		buf_printf(b,
		    "%s (%s) chưa gửi báo cáo kỳ %s; hạn đã qua lúc %s.",
		    dstr(e, "name")[0] ? dstr(e, "name") : dstr(e, "child"),
		    dstr(e, "child"), dstr(e, "period"), buf_str(&t));
	} else if (strcmp(e->kind, "disk_full") == 0) {
		buf_printf(b, "Ổ đĩa chứa cơ sở dữ liệu đã dùng %s.",
		    fmt_percent_s(pct, LANG_VI,
			json_real_value(json_object_get(e->detail, "used")),
			0));
	} else {
		buf_printf(b, "%s.", alert_kind_label(e->kind));
	}
	buf_release(&t);
}

static void
event_release(struct event *e)
{
	json_decref(e->detail);
	e->detail = NULL;
}

static int
event_load(struct db *db, int64_t id, struct event *e)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id, kind, coalesce(unit, ''), subject, detail, "
	    "created_at FROM "
	    "alert_events WHERE id = ?1",
	    "l", id);
	int rc;

	memset(e, 0, sizeof(*e));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		e->id = db_col_int(st, 0);
		strlcpy_hl(e->kind, db_col_text(st, 1), sizeof(e->kind));
		strlcpy_hl(e->unit, db_col_text(st, 2), sizeof(e->unit));
		strlcpy_hl(e->subject, db_col_text(st, 3), sizeof(e->subject));
		e->detail = json_loads(db_col_text(st, 4), 0, NULL);
		e->created_at = db_col_int(st, 5);
	}
	db_done(st);
	if (e->detail == NULL)
		e->detail = json_object();
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

/* --- the digest ---------------------------------------------------------- */

/* A reason's Vietnamese label in the questionnaire, or its code. */
static const char *
reason_label(const struct instrument *in, const char *code)
{
	for (int i = 0; in != NULL && i < in->nreasons; i++)
		if (strcmp(in->reason[i].code, code) == 0)
			return itext(&in->reason[i].label, LANG_VI);
	return code;
}

int
alerts_digest(struct db *db, const struct alert_sub *sub, const char *base_url,
    int64_t now, struct buf *subject, struct buf *text)
{
	struct buf name = { 0 }, t = { 0 };
	struct metrics *m = NULL;
	struct instrument *in = NULL;
	struct db_stmt *st;
	char err[256], pct[FMT_MAX], today[11], role[16];
	int64_t n = 0, overdue = 0, soon = 0, online = 0, total = 0;
	bool weekly = strcmp(sub->mode, "weekly") == 0;
	int shown = 0, rc = -1;

	strlcpy_hl(role, sub->role, sizeof(role));
	if (sub->username[0] != '\0') {
		st = db_query(db, "SELECT role FROM users WHERE username = ?1",
		    "t", sub->username);
		if (st != NULL && db_step(st) == DB_ROW)
			strlcpy_hl(role, db_col_text(st, 0), sizeof(role));
		db_done(st);
	}
	units_name(db, sub->unit, &name);
	fmt_date(&t, LANG_VI, now);
	buf_printf(subject, "Bản tin hài lòng %s%s: %s",
	    weekly ? "tuần đến " : "", buf_str(&t), buf_str(&name));
	buf_printf(text, "Bản tin %s của %s (%s), %s.\n\n",
	    weekly ? "hằng tuần" : "hằng ngày", buf_str(&name), sub->unit,
	    buf_str(&t));

	/* what changed since yesterday (last week): the events since */
	buf_puts(text,
	    weekly ? "THAY ĐỔI TRONG TUẦN QUA\n" : "THAY ĐỔI TỪ HÔM QUA\n");
	st = db_query(db,
	    "SELECT e.id FROM alert_events e WHERE "
	    "e.created_at > ?2 AND e.created_at <= ?3 AND "
	    "(?4 = 'all' OR instr(',' || ?4 || ',', ',' || e.kind || ',') "
	    "> 0) AND ((e.unit IS NULL AND ?5 = 'admin') OR EXISTS (SELECT "
	    "1 FROM unit_tree t WHERE t.ancestor = ?1 AND "
	    "t.descendant = e.unit)) ORDER BY e.id LIMIT 30",
	    "tlltt", sub->unit, now - (int64_t)(weekly ? 7 : 1) * 86400, now,
	    sub->events, role);
	if (st == NULL)
		goto out;
	{
		int64_t ids[30];
		int k = 0;

		while (k < 30 && db_step(st) == DB_ROW)
			ids[k++] = db_col_int(st, 0);
		db_done(st);
		for (int i = 0; i < k; i++) {
			struct event e;

			if (event_load(db, ids[i], &e) != 0)
				continue;
			buf_puts(text, "- ");
			event_line(db, text, &e, role);
			buf_puts(text, "\n  ");
			event_link(text, base_url, &e);
			buf_puts(text, "\n");
			event_release(&e);
		}
		if (k == 0)
			buf_puts(text, "- Không có thay đổi nào.\n");
	}

	/* the worst procedures of the month, flagged first */
	m = metrics_compute(
	    db, sub->unit, month_of(now), now, 0, err, sizeof(err));
	if (m != NULL) {
		in = instrument_load(db, err, sizeof(err)); /* NULL: codes */
		buf_reset(&t);
		fmt_month(&t, LANG_VI, m->month);
		buf_printf(text, "\nTHỦ TỤC CẦN CHÚ Ý (%s)\n", buf_str(&t));
		for (size_t i = 0; i < m->procedures.n && shown < 3; i++) {
			const struct metric_scope *p = &m->procedures.v[i];
			const struct metric_reason *top = NULL;

			if (p->fig.nflags == 0)
				continue;
			for (size_t r = 0; r < p->nreasons; r++)
				if (top == NULL || p->reasons[r].n > top->n)
					top = &p->reasons[r];
			buf_printf(text,
			    "%d. %s (%s): hài lòng %s trên %lld "
			    "đánh giá; %s",
			    ++shown, p->name[0] ? p->name : p->code, p->code,
			    fmt_percent_s(
				pct, LANG_VI, p->fig.satisfied_rate, 1),
			    (long long)p->fig.ratings,
			    flag_label(metric_flag_name(p->fig.flags[0])));
			if (top != NULL && top->n > 0)
				buf_printf(text, "; lý do hay gặp: %s (%lld)",
				    reason_label(in, top->code),
				    (long long)top->n);
			buf_printf(text, ".\n   %s/admin/units/", base_url);
			buf_urlenc(text, sub->unit);
			buf_puts(text, "/procedures/");
			buf_urlenc(text, p->code);
			buf_puts(text, "\n");
		}
		if (shown == 0)
			buf_puts(text, "- Không thủ tục nào bị cảnh báo.\n");
	}

	/* what waits for somebody */
	hanoi_day(now, today, NULL);
	if (db_int(db, &n,
		"SELECT count(*) FROM callbacks c JOIN ratings r ON "
		"r.seq = c.rating_seq JOIN unit_tree t ON t.ancestor = ?1 "
		"AND t.descendant = r.unit WHERE c.status = 'open'",
		"t", sub->unit) < 0 ||
	    db_int(db, &overdue,
		"SELECT count(*) FROM reviews v JOIN unit_tree t ON "
		"t.ancestor = ?1 AND t.descendant = v.unit WHERE v.status <> "
		"'resolved' AND v.due_date < ?2",
		"tt", sub->unit, today) < 0 ||
	    db_int(db, &soon,
		"SELECT count(*) FROM reviews v JOIN unit_tree t ON "
		"t.ancestor = ?1 AND t.descendant = v.unit WHERE v.status <> "
		"'resolved' AND v.due_date >= ?2 AND v.due_date <= "
		"date(?2, '+7 days')",
		"tt", sub->unit, today) < 0)
		goto out;
	buf_puts(text, "\nCẦN XỬ LÝ\n");
	buf_reset(&t);
	fmt_count(&t, LANG_VI, n);
	buf_printf(text, "- Yêu cầu gọi lại đang mở: %s\n  %s/admin/units/",
	    buf_str(&t), base_url);
	buf_urlenc(text, sub->unit);
	buf_printf(text,
	    "/comments\n- Xem xét quá hạn: %lld; đến hạn trong "
	    "7 ngày: %lld\n  %s/admin/units/",
	    (long long)overdue, (long long)soon, base_url);
	buf_urlenc(text, sub->unit);
	buf_puts(text, "/reviews\n");

	/* the kiosks' health */
	st = db_query(db,
	    "SELECT count(*), coalesce(sum(?2 - coalesce(k.last_seen, "
	    "k.enrolled_at) <= ?3), 0) FROM kiosks k JOIN unit_tree t ON "
	    "t.ancestor = ?1 AND t.descendant = k.unit WHERE "
	    "k.revoked_at IS NULL AND k.enrolled_at IS NOT NULL",
	    "tll", sub->unit, now, (int64_t)WIRE_OFFLINE_AFTER);
	if (st != NULL && db_step(st) == DB_ROW) {
		total = db_col_int(st, 0);
		online = db_col_int(st, 1);
	}
	db_done(st);
	buf_printf(text,
	    "\nKI-ỐT\n- Đang liên lạc: %lld/%lld; mất liên lạc: "
	    "%lld\n  %s/admin/units/",
	    (long long)online, (long long)total, (long long)(total - online),
	    base_url);
	buf_urlenc(text, sub->unit);
	buf_puts(text, "/kiosks\n");
	buf_puts(text,
	    "\n--\nThư tự động của hệ thống hài lòng (hailong). "
	    "Đổi hoặc huỷ đăng ký nhận tin: ");
	buf_printf(text, "%s/admin/units/", base_url);
	buf_urlenc(text, sub->unit);
	buf_puts(text, "/alerts\n");
	rc = buf_failed(text) || buf_failed(subject) ? -1 : 0;
out:
	instrument_free(in);
	metrics_free(m);
	buf_release(&name);
	buf_release(&t);
	return rc;
}

/* --- the sender ---------------------------------------------------------- */

int
alerts_outbox_counts(struct db *db, int64_t out[3])
{
	struct db_stmt *st = db_query(db,
	    "SELECT count(*) FILTER (WHERE state IN ('pending', 'sending')), "
	    "count(*) FILTER (WHERE state = 'sent'), "
	    "count(*) FILTER (WHERE state = 'failed') FROM alert_deliveries",
	    "");
	int rc = -1;

	if (st != NULL && db_step(st) == DB_ROW) {
		for (int i = 0; i < 3; i++)
			out[i] = db_col_int(st, i);
		rc = 0;
	}
	db_done(st);
	return rc;
}

struct alerts_sender {
	struct config cfg;
	char base_url[256];
	struct mailer mail;
	bool has_mail;
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	int64_t last_check;
};

/* The address of a subscription ("" when it has none: an account
 * without an e-mail) and the role that decides what it may read. */
static void
recipient(struct db *db, const struct alert_sub *s, char *to, size_t tolen,
    char *role, size_t rolelen)
{
	to[0] = '\0';
	strlcpy_hl(role, s->role, rolelen);
	if (s->username[0] == '\0') {
		strlcpy_hl(to, s->email, tolen);
		return;
	}
	struct db_stmt *st = db_query(db,
	    "SELECT coalesce(email, ''), role, active FROM users WHERE "
	    "username = ?1",
	    "t", s->username);

	if (st != NULL && db_step(st) == DB_ROW && db_col_int(st, 2) == 1) {
		strlcpy_hl(to, db_col_text(st, 0), tolen);
		strlcpy_hl(role, db_col_text(st, 1), rolelen);
	}
	db_done(st);
}

static int
send_webhook(struct alerts_sender *a, const struct alert_sub *s,
    const struct event *e, const char *key, int64_t delivery, char *err,
    size_t errlen)
{
	struct buf line = { 0 }, link = { 0 };
	struct httpc_response resp = { 0 };
	struct httpc_options ho = { 0 };
	struct httpc *h;
	json_t *o, *detail;
	char *body = NULL, at[26], now_s[26], ts[24];
	char sig[7 + 2 * SHA256_LEN + 1], hs[3][200];
	unsigned char mac[SHA256_LEN];
	const char *hdr[5];
	int rc = -1;

	event_line(a->db, &line, e, s->role);
	event_link(&link, a->base_url, e);
	detail = json_deep_copy(e->detail);
	if (strcmp(e->kind, "callback") == 0 && may_see_phones(s->role)) {
		struct db_stmt *st = db_query(a->db,
		    "SELECT phone FROM callbacks WHERE id = ?1 AND phone IS "
		    "NOT NULL",
		    "l", dint(e, "callback"));

		if (st != NULL && db_step(st) == DB_ROW)
			json_object_set_new(
			    detail, "phone", json_string(db_col_text(st, 0)));
		db_done(st);
	}
	rfc3339_format(e->created_at, at);
	rfc3339_format(hl_now(), now_s);
	o = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, "
		      "s:s}",
	    "idempotency_key", key, "delivery", (json_int_t)delivery, "event",
	    (json_int_t)e->id, "kind", e->kind, "unit", e->unit, "subject",
	    e->subject, "created_at", at, "detail", detail, "text",
	    buf_str(&line), "link", buf_str(&link), "sent_at", now_s);
	body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (body == NULL) {
		snprintf(err, errlen, "cannot encode the event");
		goto out;
	}
	hmac_sha256(s->webhook_secret, strlen(s->webhook_secret), body,
	    strlen(body), mac);
	snprintf(sig, sizeof(sig), "sha256=");
	hex_encode(mac, SHA256_LEN, sig + 7);
	snprintf(ts, sizeof(ts), "%lld", (long long)hl_now());
	snprintf(hs[0], sizeof(hs[0]), "X-Hailong-Signature: %s", sig);
	snprintf(hs[1], sizeof(hs[1]), "X-Hailong-Idempotency-Key: %s", key);
	snprintf(hs[2], sizeof(hs[2]), "X-Hailong-Timestamp: %s", ts);
	hdr[0] = "Content-Type: application/json";
	hdr[1] = hs[0];
	hdr[2] = hs[1];
	hdr[3] = hs[2];
	hdr[4] = NULL;
	ho.ca_file = a->cfg.alert_ca_file[0] ? a->cfg.alert_ca_file : NULL;
	ho.timeout_ms = 30000;
	ho.body_max = 65536;
	h = httpc_new(&ho);
	if (h == NULL) {
		snprintf(err, errlen, "cannot start the HTTP client");
		goto out;
	}
	if (httpc_request(h, "POST", s->webhook_url, hdr, body, strlen(body),
		&resp, err, errlen) == 0) {
		if (resp.status >= 200 && resp.status < 300)
			rc = 0;
		else
			snprintf(err, errlen, "the receiver answered %d",
			    resp.status);
	}
	httpc_response_release(&resp);
	httpc_free(h);
out:
	free(body);
	json_decref(o);
	buf_release(&line);
	buf_release(&link);
	return rc;
}

static int
send_email(struct alerts_sender *a, const char *to, const char *subject,
    const char *text, const char *key, char *err, size_t errlen)
{
	char msgid[200];

	if (!a->has_mail) {
		snprintf(err, errlen, "no mail server (smtp_url) configured");
		return -1;
	}
	/* one Message-ID per delivery: a resend is recognisable */
	snprintf(msgid, sizeof(msgid), "%s@hailong", key);
	return mailer_send(
	    &a->mail, to, subject, text, msgid, hl_now(), err, errlen);
}

/* Send one claimed delivery.  0 sent, -1 failed (err), 1 never can be. */
static int
deliver(struct alerts_sender *a, int64_t id, int64_t event_id, int64_t sub_id,
    const char *key, char *err, size_t errlen, const char **channel)
{
	struct alert_sub s;
	struct event e = { 0 };
	struct buf subject = { 0 }, text = { 0 };
	char to[255], role[16];
	int rc = -1;

	*channel = "email";
	if (sub_load(a->db, sub_id, &s) != 0) {
		snprintf(err, errlen, "no such subscription");
		return 1;
	}
	if (s.webhook_url[0] != '\0')
		*channel = "webhook";
	recipient(a->db, &s, to, sizeof(to), role, sizeof(role));
	strlcpy_hl(s.role, role, sizeof(s.role));
	if (s.webhook_url[0] == '\0' && to[0] == '\0') {
		snprintf(err, errlen, "account '%s' has no e-mail address",
		    s.username);
		return 1;
	}
	if (event_id == 0) {
		if (alerts_digest(a->db, &s, a->base_url, hl_now(), &subject,
			&text) < 0) {
			snprintf(err, errlen, "cannot write the digest");
			goto out;
		}
		rc = send_email(
		    a, to, buf_str(&subject), buf_str(&text), key, err, errlen);
		goto out;
	}
	if (event_load(a->db, event_id, &e) != 0) {
		snprintf(err, errlen, "no such event");
		rc = 1;
		goto out;
	}
	if (s.webhook_url[0] != '\0') {
		rc = send_webhook(a, &s, &e, key, id, err, errlen);
		goto out;
	}
	buf_printf(&subject, "[hailong] %s", alert_kind_label(e.kind));
	event_line(a->db, &text, &e, s.role);
	buf_puts(&text, "\n\nXem chi tiết: ");
	event_link(&text, a->base_url, &e);
	buf_puts(
	    &text, "\n\n--\nThư tự động của hệ thống hài lòng (hailong).\n");
	rc = send_email(
	    a, to, buf_str(&subject), buf_str(&text), key, err, errlen);
out:
	event_release(&e);
	buf_release(&subject);
	buf_release(&text);
	return rc;
}

/*
 * Claim the next due delivery (pending -> sending, attempts + 1) in its
 * own transaction, so a crash after the claim leaves a mark that the
 * next start turns back into pending.  1 claimed, 0 none, -1 error.
 */
static int
claim(struct db *db, int64_t *id, int64_t *event_id, int64_t *sub_id,
    char key[80], int *attempts)
{
	struct db_stmt *st;
	int rc;

	int64_t due;

	/* a read first: the write lock only when there is work */
	rc = db_int(db, &due,
	    "SELECT 1 FROM alert_deliveries WHERE state = 'pending' AND "
	    "next_attempt_at <= ?1 LIMIT 1",
	    "l", now_ms());
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (db_begin(db) < 0)
		return -1;
	st = db_query(db,
	    "SELECT id, coalesce(event_id, 0), subscription_id, "
	    "idempotency_key, attempts FROM alert_deliveries WHERE "
	    "state = 'pending' AND next_attempt_at <= ?1 ORDER BY "
	    "next_attempt_at, id LIMIT 1",
	    "l", now_ms());
	if (st == NULL) {
		db_rollback(db);
		return -1;
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*event_id = db_col_int(st, 1);
		*sub_id = db_col_int(st, 2);
		strlcpy_hl(key, db_col_text(st, 3), 80);
		*attempts = (int)db_col_int(st, 4) + 1;
	}
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(db);
		return rc < 0 ? -1 : 0;
	}
	if (db_run(db,
		"UPDATE alert_deliveries SET state = 'sending', attempts = "
		"attempts + 1, claimed_at = ?2 WHERE id = ?1",
		"ll", *id, hl_now()) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 1;
}

static void
mark(struct alerts_sender *a, int64_t id, int result, int attempts,
    const char *why)
{
	const struct config *c = &a->cfg;
	int64_t wait = c->alert_retry_ms;

	for (int i = 1; i < attempts && wait < (int64_t)c->alert_retry_max_ms;
	     i++)
		wait *= 2;
	if (wait > (int64_t)c->alert_retry_max_ms)
		wait = c->alert_retry_max_ms;
	if (result == 0)
		db_run(a->db,
		    "UPDATE alert_deliveries SET state = 'sent', "
		    "delivered_at = ?2, last_error = NULL WHERE id = ?1",
		    "ll", id, hl_now());
	else if (result > 0 || attempts >= (int)c->alert_max_attempts)
		db_run(a->db,
		    "UPDATE alert_deliveries SET state = 'failed', "
		    "last_error = ?2 WHERE id = ?1",
		    "lt", id, why);
	else
		db_run(a->db,
		    "UPDATE alert_deliveries SET state = 'pending', "
		    "next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
		    "llt", id, now_ms() + wait, why);
}

/*
 * The digests due now: one per subscription and Hanoi day, the weekly
 * ones on Mondays.
 */
static int
queue_digests(struct db *db, int64_t now)
{
	int64_t days = (now + HANOI_OFFSET) / 86400;
	char day[11];
	int hour;

	hanoi_day(now, day, &hour);
	return db_run(db,
	    "INSERT OR IGNORE INTO alert_deliveries(subscription_id, "
	    "digest_day, next_attempt_at, idempotency_key) "
	    "SELECT id, ?1, ?3, 'hl-digest-' || id || '-' || ?1 || '-' || "
	    "lower(hex(randomblob(6))) FROM alert_subscriptions s WHERE "
	    "removed_at IS NULL AND digest_hour <= ?2 AND (mode = 'digest' "
	    "OR (mode = 'weekly' AND ?4)) AND (username IS NULL OR EXISTS "
	    "(SELECT 1 FROM users u WHERE u.username = s.username AND "
	    "u.active = 1))",
	    "tili", day, hour, now * 1000, (days + 4) % 7 == 1);
}

static void *
sender_main(void *arg)
{
	struct alerts_sender *a = arg;
	char err[768];

	/* claimed by a process that died: send again, same key */
	if (db_run(a->db,
		"UPDATE alert_deliveries SET state = 'pending', "
		"next_attempt_at = ?1 WHERE state = 'sending'",
		"l", now_ms()) < 0)
		log_msg(LOG_ERROR, "alerts", "%s", db_errmsg(a->db));
	for (;;) {
		int64_t now = hl_now(), id, ev, sub;
		char key[80];
		const char *channel;
		int attempts, r;
		struct timespec until;

		pthread_mutex_lock(&a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		pthread_mutex_unlock(&a->mu);
		if (now - a->last_check >=
		    (int64_t)a->cfg.alert_check_seconds) {
			a->last_check = now;
			if (alerts_check(a->db, &a->cfg, now) < 0)
				log_msg(LOG_ERROR, "alerts", "checks: %s",
				    db_errmsg(a->db));
			if (queue_digests(a->db, now) < 0)
				log_msg(LOG_ERROR, "alerts", "digests: %s",
				    db_errmsg(a->db));
		}
		while (
		    (r = claim(a->db, &id, &ev, &sub, key, &attempts)) == 1) {
			err[0] = '\0';
			r = deliver(
			    a, id, ev, sub, key, err, sizeof(err), &channel);
			mark(a, id, r, attempts, err);
			/* who and what, never the content */
			log_kv(r == 0 ? LOG_INFO : LOG_WARN, "alert_send",
			    "delivery=%lld subscription=%lld event=%lld "
			    "channel=%s attempt=%d result=%s",
			    (long long)id, (long long)sub, (long long)ev,
			    channel, attempts, r == 0 ? "sent" : "failed");
			if (r != 0)
				log_msg(LOG_WARN, "alert_send", "%s", err);
			pthread_mutex_lock(&a->mu);
			r = a->stop;
			pthread_mutex_unlock(&a->mu);
			if (r)
				break;
		}
		if (r < 0)
			log_msg(
			    LOG_ERROR, "alerts", "claim: %s", db_errmsg(a->db));
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += a->cfg.alert_poll_ms / 1000;
		until.tv_nsec += (long)(a->cfg.alert_poll_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&a->mu);
		if (!a->stop)
			pthread_cond_timedwait(&a->cv, &a->mu, &until);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

struct alerts_sender *
alerts_sender_start(
    const struct config *c, const char *base_url, char *err, size_t errlen)
{
	struct alerts_sender *a = xcalloc(1, sizeof(*a));
	int r;

	a->cfg = *c;
	strlcpy_hl(a->base_url, base_url, sizeof(a->base_url));
	r = mailer_init(&a->mail, c, err, errlen);
	if (r < 0) {
		free(a);
		return NULL;
	}
	a->has_mail = r == 0;
	a->db = store_open(c->db, 0, err, errlen);
	if (a->db == NULL) {
		mailer_release(&a->mail);
		free(a);
		return NULL;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->thread, NULL, sender_main, a) != 0) {
		snprintf(err, errlen, "cannot start the alerts thread");
		db_close(a->db);
		mailer_release(&a->mail);
		free(a);
		return NULL;
	}
	return a;
}

void
alerts_sender_stop(struct alerts_sender *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	db_close(a->db);
	mailer_release(&a->mail);
	free(a);
}

int
alerts_send_test(
    const struct config *c, const char *to, char *err, size_t errlen)
{
	struct mailer m;
	char msgid[80], id[37];
	int r = mailer_init(&m, c, err, errlen);

	if (r != 0) {
		if (r > 0)
			snprintf(err, errlen,
			    "no mail server: set smtp_url (and smtp_from)");
		return -1;
	}
	uuid_v4(id);
	snprintf(msgid, sizeof(msgid), "test-%s@hailong", id);
	r = mailer_send(&m, to, "Thư thử của hệ thống hài lòng (hailong)",
	    "Xin chào,\n\nĐây là thư thử do lệnh \"hailong alert test\" gửi "
	    "đi. Nếu quý vị nhận được thư này, máy chủ thư đã được cấu hình "
	    "đúng và cảnh báo, bản tin hằng ngày sẽ đến được hộp thư.\n\n"
	    "Trân trọng,\nHệ thống đánh giá mức độ hài lòng (hailong)\n",
	    msgid, hl_now(), err, errlen);
	mailer_release(&m);
	return r;
}
