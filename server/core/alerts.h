/* alerts.h -- events that reach people: subscriptions, outbox, sender. */
#ifndef HAILONG_ALERTS_H
#define HAILONG_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

struct db;
struct rating;
struct config;

/*
 * Events (alert_events, schemas/019_alerts.sql) are written in the
 * transaction of what caused them and fanned out there into one
 * delivery per matching subscription (the outbox).  A sender thread
 * claims each due delivery, sends it (e-mail or webhook) and marks it
 * sent, or sets its next attempt with a doubling back-off.  A delivery
 * left claimed by a crash is sent again with the same idempotency key
 * (webhooks) and the same Message-ID (e-mail).
 *
 * The kinds, as stored and as subscribed to:
 *	callback	a low rating (1 or 2 of 5) with a callback asked for
 *	flag_raised	a flag of METRICS.md newly raised this month for a
 *	flag_cleared	procedure, counter or officer, or no longer raised
 *	review_overdue	a review past its due date, not resolved
 *	kiosk_offline	a kiosk silent beyond alert_kiosk_offline_minutes
 *	kiosk_online	the same kiosk heard again
 *	kiosk_backlog	a kiosk's outbox at alert_kiosk_backlog or more
 *	check_failed	a backup, retention run or chain check that failed
 *	disk_full	the database's disk at alert_disk_percent or more
 *	report_missing	a subordinate unit's report of the last closed month
 *			not received by its deadline (report_status.h)
 */
#define ALERT_KIND_MAX 16

/* Whether s is one of the kinds above. */
bool alert_kind_is_valid(const char *s);
/* Whether s is "all" or a comma-separated list of kinds. */
bool alert_events_are_valid(const char *s);
/* The kind's Vietnamese name ("Yêu cầu gọi lại"); the code if unknown. */
const char *alert_kind_label(const char *kind);

/*
 * Record one event of `unit` and queue it for every subscription that
 * wants it ("now" subscriptions whose unit is the event's or above it,
 * whose account is active and sees the unit).  `unit` NULL: the whole
 * installation's (a failed backup, the disk), for admin subscriptions.  In the caller's
 * transaction.  `detail` is compact JSON (never a phone number or a
 * comment's text).  0 or -1.
 */
int alerts_event(struct db *db, const char *kind, const char *unit,
    const char *subject, const char *detail, int64_t now);

/*
 * The writer's hook (every stored rating, in its batch's transaction):
 * a valid rating of 1 or 2 with a phone number makes a callback event.
 * 0 or -1.
 */
int alerts_on_rating(struct db *db, const struct rating *r, int64_t seq);

/*
 * A backup, retention run or chain check (`check`: "backup",
 * "retention", "chain") failed: one check_failed event for each top
 * unit, in its own transaction.  `why` is the operator's message (no
 * personal data).  0 or -1.
 */
int alerts_check_failed(struct db *db, const char *check, const char *why);

/*
 * The same for a command that may have failed to open the database:
 * opens `dbpath` itself.  Failures are logged, never returned: the
 * command's own failure is what the operator must see.
 */
void
alerts_check_failed_at(const char *dbpath, const char *check, const char *why);

/*
 * Set (or with "" clear) a staff account's e-mail address, audited.
 * 0, 1 when there is no such account, -1 with err filled.
 */
/* The address a staff account's mail goes to ("" when none set) into
 * out (255 bytes).  0, or -1 on a database error. */
int alerts_user_email_get(struct db *db, const char *username, char out[255]);
int alerts_user_email(struct db *db, const char *username, const char *email,
    const char *actor, char *err, size_t errlen);

/* A subscription. */
struct alert_sub {
	int64_t id;
	char username[33];     /* a staff account, or "" */
	char email[255];       /* a bare address, or "" */
	char webhook_url[512]; /* or a webhook, with its secret */
	char webhook_secret[129];
	char role[16]; /* for an address or webhook; "viewer" */
	char unit[41];
	char events[256]; /* "all" or "kind,kind" */
	char mode[8];     /* "now", "digest" or "weekly" (Mondays) */
	int digest_hour;  /* 0-23, Asia/Ho_Chi_Minh */
	int64_t created_at;
	char created_by[64];
};

/* The zero subscription: role viewer, events all, mode now, hour 7. */
void alert_sub_init(struct alert_sub *s);

/*
 * Add s (its id is set).  Checks: exactly one of account, address and
 * webhook; the unit exists and, when `scope` is not NULL (the console
 * user's unit), lies within it; an account is active and the unit lies
 * within the account's own unit; an address is an address, a webhook
 * URL starts with https:// (http:// only to 127.0.0.1) and has a secret
 * of 16 bytes or more; webhooks are "now" only.  Audited (without the
 * secret).  0, or -1 with err filled in English for the CLI.
 */
int alerts_sub_add(struct db *db, struct alert_sub *s, const char *scope,
    const char *actor, char *err, size_t errlen);

/*
 * Remove subscription id when it lies within scope (NULL: any).  0, 1
 * when there is no such subscription (or it is out of scope), -1.
 */
int alerts_sub_remove(
    struct db *db, int64_t id, const char *scope, const char *actor);

/*
 * The active subscriptions within scope (NULL: all), oldest first.
 * New: *out, free() it.  0 or -1.
 */
int alerts_sub_list(
    struct db *db, const char *scope, struct alert_sub **out, size_t *n);

/*
 * The outbox by state, for /metrics: out[0] pending (and sending), out[1]
 * sent, out[2] failed.  0 or -1.
 */
int alerts_outbox_counts(struct db *db, int64_t out[3]);

/*
 * The sender: a thread that runs the periodic checks (flags, reviews,
 * kiosks, disk) every alert_check_seconds, queues the digests due, and
 * delivers what is due every alert_poll_ms.  `base_url` starts every
 * link to the console.  New: alerts_sender_stop().  NULL with err.
 */
struct alerts_sender;
struct alerts_sender *alerts_sender_start(
    const struct config *c, const char *base_url, char *err, size_t errlen);
/* Stop the thread (the delivery in hand finishes) and free; NULL ok. */
void alerts_sender_stop(struct alerts_sender *s);

/*
 * The periodic checks once, now (each change of state is one event).
 * 0 or -1.
 */
int alerts_check(struct db *db, const struct config *c, int64_t now);

/*
 * One Vietnamese test e-mail to `to` through the configured server.
 * 0 when accepted; -1 with err holding the server's answer.
 */
int alerts_send_test(
    const struct config *c, const char *to, char *err, size_t errlen);

/*
 * Write subscription `sub`'s digest for the day (mode "weekly": the
 * week) ending at `now` into subject/text (Vietnamese, short enough for
 * a phone).  0 or -1.
 */
int alerts_digest(struct db *db, const struct alert_sub *sub,
    const char *base_url, int64_t now, struct buf *subject, struct buf *text);

#endif
