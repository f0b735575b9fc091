/* callbacks.c -- citizens' callback requests: queue, due times, done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/callbacks.h"

#define DAY ((int64_t)86400)

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Day 0 (1970-01-01) was a Thursday: 0 is Sunday, 6 Saturday. */
static bool
is_working_day(int64_t day)
{
	int64_t wd = ((day + 4) % 7 + 7) % 7;

	return wd >= 1 && wd <= 5;
}

int64_t
callbacks_due_at(int64_t requested_at)
{
	int64_t day = floor_div(requested_at + HL_TZ_OFFSET, DAY);

	for (int left = CALLBACK_WORKING_DAYS; left > 0;) {
		day++;
		if (is_working_day(day))
			left--;
	}
	return (day + 1) * DAY - HL_TZ_OFFSET;
}

bool
callback_is_callable(const struct callback *cb)
{
	return !cb->closed && cb->has_phone && !cb->withdrawn;
}

void
callback_release(struct callback *cb)
{
	if (cb == NULL)
		return;
	free(cb->comment);
	cb->comment = NULL;
}

void
callbacks_free(struct callback *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		callback_release(&v[i]);
	free(v);
}

/* The columns row() reads, from cb, r (ratings), co (consents), un
 * (units) and t (rating_texts). */
#define CALLBACK_COLUMNS \
	"cb.id, cb.rating_seq, co.given_at, coalesce(cb.closed_at, 0), " \
	"r.unit, un.name, r.level, coalesce(r.counter, 0), " \
	"cb.phone, cb.phone IS NOT NULL, co.withdrawn_at IS NOT NULL, " \
	"cb.status = 'closed', t.comment "
#define CALLBACK_FROM \
	"FROM callbacks cb JOIN ratings r ON r.seq = cb.rating_seq " \
	"JOIN unit_tree ut ON ut.descendant = r.unit AND ut.ancestor = ?1 " \
	"JOIN consents co ON co.id = cb.consent_id " \
	"JOIN units un ON un.code = r.unit " \
	"LEFT JOIN rating_texts t ON t.seq = cb.rating_seq "

static void
row(struct db_stmt *st, struct callback *cb)
{
	memset(cb, 0, sizeof(*cb));
	cb->id = db_col_int(st, 0);
	cb->seq = db_col_int(st, 1);
	cb->requested_at = db_col_int(st, 2);
	cb->due_at = callbacks_due_at(cb->requested_at);
	cb->closed_at = db_col_int(st, 3);
	strlcpy_hl(cb->unit, db_col_text(st, 4), sizeof(cb->unit));
	strlcpy_hl(cb->unit_name, db_col_text(st, 5), sizeof(cb->unit_name));
	cb->level = (int)db_col_int(st, 6);
	cb->counter = (int)db_col_int(st, 7);
	cb->has_phone = db_col_int(st, 9) != 0;
	if (cb->has_phone)
		strlcpy_hl(cb->phone, db_col_text(st, 8), sizeof(cb->phone));
	cb->withdrawn = db_col_int(st, 10) != 0;
	cb->closed = db_col_int(st, 11) != 0;
	if (!db_col_is_null(st, 12))
		cb->comment = xstrdup(db_col_text(st, 12));
}

int
callbacks_get(struct db *db, const char *unit, int64_t id, struct callback *cb)
{
	struct db_stmt *st;
	int rc;

	memset(cb, 0, sizeof(*cb));
	st = db_query(db,
	    "SELECT " CALLBACK_COLUMNS CALLBACK_FROM "WHERE cb.id = ?2", "tl",
	    unit, id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		row(st, cb);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
callbacks_list(struct db *db, const char *unit, enum callback_list which,
    int offset, int limit, struct callback **out, size_t *n)
{
	struct db_stmt *st;
	struct callback *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (which == CALLBACKS_OPEN)
		st = db_query(db,
		    "SELECT " CALLBACK_COLUMNS CALLBACK_FROM
		    "WHERE cb.status = 'open' "
		    "ORDER BY co.given_at, cb.id LIMIT ?2 OFFSET ?3",
		    "tii", unit, limit, offset);
	else
		st = db_query(db,
		    "SELECT " CALLBACK_COLUMNS CALLBACK_FROM
		    "WHERE cb.status = 'closed' "
		    "ORDER BY cb.closed_at DESC, cb.id DESC LIMIT ?2 OFFSET ?3",
		    "tii", unit, limit, offset);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		row(st, &v[(*n)++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		callbacks_free(v, *n);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
callbacks_count(struct db *db, const char *unit, int64_t now, int64_t *due,
    int64_t *overdue)
{
	struct db_stmt *st;
	int rc;

	*due = *overdue = 0;
	st = db_query(db,
	    "SELECT co.given_at FROM callbacks cb "
	    "JOIN ratings r ON r.seq = cb.rating_seq "
	    "JOIN unit_tree ut ON ut.descendant = r.unit AND ut.ancestor = ? "
	    "JOIN consents co ON co.id = cb.consent_id "
	    "WHERE cb.status = 'open' AND cb.phone IS NOT NULL "
	    "AND co.withdrawn_at IS NULL",
	    "t", unit);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		(*due)++;
		if (callbacks_due_at(db_col_int(st, 0)) <= now)
			(*overdue)++;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

bool
callback_note_is_valid(const char *note)
{
	size_t len = note != NULL ? strlen(note) : 0;

	return len <= CALLBACK_NOTE_MAX &&
	    utf8_is_valid(note ? note : "", len) &&
	    text_has_no_controls(note ? note : "", len);
}

int
callbacks_mark(struct db *db, int64_t id, bool done, const char *actor,
    const char *note, int64_t now)
{
	char target[40], *masked = NULL, *detail = NULL;
	bool own = !db_in_transaction(db);
	json_t *doc;
	int64_t closed;
	int rc = -1, got;

	if (!callback_note_is_valid(note))
		return -1;
	if (own && db_begin(db) < 0)
		return -1;
	got = db_int(db, &closed,
	    "SELECT status = 'closed' FROM callbacks WHERE id = ?", "l", id);
	if (got != 0)
		goto out;
	if (closed) {
		rc = 1;
		goto out;
	}
	if (done &&
	    db_run(db,
		"UPDATE callbacks SET status = 'closed', closed_at = ? "
		"WHERE id = ? AND status = 'open'",
		"ll", now, id) < 0)
		goto out;
	/* the audit log never holds a phone number (audit.h) */
	masked = text_mask_numbers(note != NULL ? note : "");
	doc = json_pack("{s:s}", "note", masked);
	detail = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	snprintf(target, sizeof(target), "callback:%lld", (long long)id);
	if (detail == NULL ||
	    audit_append(db, actor,
		done ? "callback.closed" : "callback.contacted", target,
		masked[0] != '\0' ? detail : "") < 0)
		goto out;
	rc = 0;
out:
	if (own) {
		if (rc == 0 && db_commit(db) < 0)
			rc = -1;
		if (rc != 0)
			db_rollback(db);
	}
	free(detail);
	free(masked);
	return rc;
}

int
callbacks_history(
    struct db *db, int64_t id, struct callback_event **out, size_t *n)
{
	struct db_stmt *st;
	struct callback_event *v = NULL;
	size_t cap = 0;
	char target[40];
	int rc;

	*out = NULL;
	*n = 0;
	snprintf(target, sizeof(target), "callback:%lld", (long long)id);
	st = db_query(db,
	    "SELECT at, actor, action, detail FROM audit WHERE target = ? AND "
	    "action IN ('callback.contacted', 'callback.closed') ORDER BY seq",
	    "t", target);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct callback_event *e;
		const char *detail = db_col_text(st, 3);
		json_t *doc;

		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		e = &v[(*n)++];
		memset(e, 0, sizeof(*e));
		e->at = db_col_int(st, 0);
		strlcpy_hl(e->actor, db_col_text(st, 1), sizeof(e->actor));
		e->closed = strcmp(db_col_text(st, 2), "callback.closed") == 0;
		doc = detail != NULL && detail[0] != '\0'
		    ? json_loads(detail, 0, NULL)
		    : NULL;
		if (json_is_string(json_object_get(doc, "note")))
			strlcpy_hl(e->note,
			    json_string_value(json_object_get(doc, "note")),
			    sizeof(e->note));
		json_decref(doc);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}
