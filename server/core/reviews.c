/* reviews.c -- reviews of flagged procedures and counters: the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "core/audit.h"
#include "core/reviews.h"

static const char *const status_names[REVIEW_STATUS_COUNT] = {
	[REVIEW_OPEN] = "open",
	[REVIEW_IN_PROGRESS] = "in_progress",
	[REVIEW_RESOLVED] = "resolved",
};

const char *
review_status_name(enum review_status s)
{
	return (unsigned)s < REVIEW_STATUS_COUNT ? status_names[s] : "?";
}

int
review_status_parse(const char *s, enum review_status *out)
{
	for (int i = 0; s != NULL && i < REVIEW_STATUS_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum review_status)i;
			return 0;
		}
	return -1;
}

bool
review_can_move(enum review_status from, enum review_status to)
{
	return (from == REVIEW_OPEN && to == REVIEW_IN_PROGRESS) ||
	    (from == REVIEW_IN_PROGRESS && to == REVIEW_RESOLVED);
}

bool
review_text_is_valid(const char *s, size_t len)
{
	if (s == NULL || !utf8_is_valid(s, len) ||
	    utf8_count(s, len) > REVIEW_NOTES_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') ||
		    ch == 0x7f)
			return false;
	}
	return true;
}

int
review_date_parse(const char *s, size_t len, int64_t *days)
{
	int y, m, d, y2, m2, d2;

	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < len; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*days = days_from_civil(y, m, d);
	/* 31/02 comes back as a day of March: not a date */
	civil_from_days(*days, &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

int
reviews_owner_ok(struct db *db, const char *username, const char *unit)
{
	int64_t one;
	int rc = db_int(db, &one,
	    "SELECT 1 FROM users u JOIN unit_tree t ON t.ancestor = u.unit "
	    "WHERE u.username = ? AND u.active = 1 AND t.descendant = ?",
	    "tt", username, unit);

	return rc;
}

static int
audit_review(struct db *db, const char *actor, const char *action, int64_t id,
    json_t *detail)
{
	char target[32], *text;
	int rc;

	snprintf(target, sizeof(target), "review:%lld", (long long)id);
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (text == NULL)
		return -1;
	rc = audit_append(db, actor, action, target, text);
	free(text);
	return rc;
}

int
reviews_open(struct db *db, const struct review_new *r, const char *actor,
    int64_t now, int64_t *id)
{
	json_t *detail;

	if (db_begin(db) < 0)
		return -1;
	if (db_run(db,
		"INSERT INTO reviews(unit, procedure, counter, month, flags, "
		"owner, due_date, notes, created_at, created_by, updated_at) "
		"VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?)",
		"ttiittttltl", r->unit, r->procedure, r->counter, r->month,
		r->flags, r->owner, r->due, r->notes, now, actor, now) < 0)
		goto fail;
	*id = db_last_rowid(db);
	if (db_run(db,
		"INSERT INTO review_events(review, at, actor, to_status, note) "
		"VALUES (?, ?, ?, 'open', ?)",
		"llt"
		"t",
		*id, now, actor, r->notes) < 0)
		goto fail;
	detail =
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "unit", r->unit, "flags",
		r->flags, "owner", r->owner, "due", r->due, "status", "open");
	if (detail == NULL)
		goto fail;
	if (r->procedure != NULL)
		json_object_set_new(
		    detail, "procedure", json_string(r->procedure));
	else
		json_object_set_new(
		    detail, "counter", json_integer(r->counter));
	if (audit_review(db, actor, "review.open", *id, detail) < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
reviews_move(struct db *db, int64_t id, const char *scope,
    enum review_status to, const char *note, const char *action,
    const char *actor, int64_t now)
{
	struct db_stmt *st;
	enum review_status from = REVIEW_OPEN;
	char unit[41] = "";
	json_t *detail;
	int rc, result = -1;

	if (db_begin(db) < 0)
		return -1;
	st = db_query(db,
	    "SELECT r.status, r.unit FROM reviews r JOIN unit_tree t ON "
	    "t.descendant = r.unit WHERE r.id = ? AND t.ancestor = ?",
	    "lt", id, scope);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW) {
		if (review_status_parse(db_col_text(st, 0), &from) < 0)
			rc = -1;
		snprintf(unit, sizeof(unit), "%s", db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		goto out;
	if (rc == DB_DONE) {
		result = 2;
		goto out;
	}
	if (!review_can_move(from, to) ||
	    (to == REVIEW_RESOLVED && (action == NULL || action[0] == '\0'))) {
		result = 1;
		goto out;
	}
	/* the status read above is the one replaced (same transaction) */
	if (db_run(db,
		"UPDATE reviews SET status = ?, updated_at = ?, "
		"action = CASE WHEN ? = 'resolved' THEN ? ELSE action END, "
		"resolved_at = CASE WHEN ? = 'resolved' THEN ? ELSE "
		"resolved_at END WHERE id = ? AND status = ?",
		"tlttt"
		"llt",
		review_status_name(to), now, review_status_name(to),
		action != NULL ? action : "", review_status_name(to), now, id,
		review_status_name(from)) < 0)
		goto out;
	if (db_changes(db) != 1) {
		result = 1;
		goto out;
	}
	if (db_run(db,
		"INSERT INTO review_events(review, at, actor, from_status, "
		"to_status, note) VALUES (?, ?, ?, ?, ?, ?)",
		"lltttt", id, now, actor, review_status_name(from),
		review_status_name(to),
		to == REVIEW_RESOLVED ? action : (note != NULL ? note : "")) <
	    0)
		goto out;
	detail = json_pack("{s:s, s:s, s:s}", "unit", unit, "from",
	    review_status_name(from), "to", review_status_name(to));
	if (detail == NULL ||
	    audit_review(db, actor, "review.move", id, detail) < 0)
		goto out;
	if (db_commit(db) < 0)
		goto out;
	return 0;
out:
	db_rollback(db);
	return result;
}

/* --- reading ------------------------------------------------------------- */

#define REVIEW_COLUMNS \
	"r.id, r.unit, r.procedure, coalesce(p.name, ''), " \
	"coalesce(r.counter, 0), r.month, r.flags, r.owner, r.due_date, " \
	"r.status, r.action, r.notes, r.created_at, r.created_by"

int
reviews_list(struct db *db, struct review_cursor *cur, const char *scope,
    const char *status)
{
	cur->st = db_query(db,
	    "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN unit_tree t ON "
	    "t.descendant = r.unit LEFT JOIN procedures p ON "
	    "p.code = r.procedure WHERE t.ancestor = ? AND "
	    "(? IS NULL OR r.status = ?) "
	    "ORDER BY r.status = 'resolved', r.due_date, r.id LIMIT 500",
	    "ttt", scope, status, status);
	return cur->st != NULL ? 0 : -1;
}

int
reviews_get(
    struct db *db, struct review_cursor *cur, int64_t id, const char *scope)
{
	if (scope == NULL)
		cur->st = db_query(db,
		    "SELECT " REVIEW_COLUMNS " FROM reviews r LEFT JOIN "
		    "procedures p ON p.code = r.procedure WHERE r.id = ?",
		    "l", id);
	else
		cur->st = db_query(db,
		    "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN "
		    "unit_tree t ON t.descendant = r.unit LEFT JOIN "
		    "procedures p ON p.code = r.procedure WHERE "
		    "r.id = ? AND t.ancestor = ?",
		    "lt", id, scope);
	return cur->st != NULL ? 0 : -1;
}

int
review_events_list(struct db *db, struct review_cursor *cur, int64_t id)
{
	cur->st = db_query(db,
	    "SELECT at, actor, from_status, to_status, note FROM "
	    "review_events WHERE review = ? ORDER BY id",
	    "l", id);
	return cur->st != NULL ? 0 : -1;
}

int
reviews_owners_list(struct db *db, struct review_cursor *cur, const char *unit)
{
	cur->st = db_query(db,
	    "SELECT u.username, u.name FROM users u JOIN unit_tree t ON "
	    "t.ancestor = u.unit WHERE t.descendant = ? AND u.active = 1 "
	    "ORDER BY u.username LIMIT 500",
	    "t", unit);
	return cur->st != NULL ? 0 : -1;
}

bool
review_cursor_next(struct review_cursor *cur, struct review *r)
{
	struct db_stmt *st = cur->st;

	if (st == NULL || db_step(st) != DB_ROW)
		return false;
	r->id = db_col_int(st, 0);
	r->unit = db_col_text(st, 1);
	r->procedure = db_col_text(st, 2);
	r->procedure_name = db_col_text(st, 3);
	r->counter = (int)db_col_int(st, 4);
	r->month = (int)db_col_int(st, 5);
	r->flags = db_col_text(st, 6);
	r->owner = db_col_text(st, 7);
	r->due = db_col_text(st, 8);
	r->status = db_col_text(st, 9);
	r->action = db_col_text(st, 10);
	r->notes = db_col_text(st, 11);
	r->created_at = db_col_int(st, 12);
	r->created_by = db_col_text(st, 13);
	return true;
}

bool
review_cursor_next_event(struct review_cursor *cur, struct review_event *e)
{
	struct db_stmt *st = cur->st;

	if (st == NULL || db_step(st) != DB_ROW)
		return false;
	e->at = db_col_int(st, 0);
	e->actor = db_col_text(st, 1);
	e->from_status = db_col_text(st, 2);
	e->to_status = db_col_text(st, 3);
	e->note = db_col_text(st, 4);
	return true;
}

bool
review_cursor_next_owner(
    struct review_cursor *cur, const char **username, const char **name)
{
	struct db_stmt *st = cur->st;

	if (st == NULL || db_step(st) != DB_ROW)
		return false;
	*username = db_col_text(st, 0);
	*name = db_col_text(st, 1);
	return true;
}

void
review_cursor_close(struct review_cursor *cur)
{
	db_done(cur->st);
	cur->st = NULL;
}

int
reviews_recent_ids(struct db *db, const char *unit, const char *procedure,
    int counter, int64_t *ids, int max)
{
	struct db_stmt *st;
	int n = 0;

	if (procedure != NULL)
		st = db_query(db,
		    "SELECT r.id FROM reviews r JOIN unit_tree t ON "
		    "t.descendant = r.unit WHERE t.ancestor = ? AND "
		    "r.procedure = ? ORDER BY r.id DESC LIMIT 50",
		    "tt", unit, procedure);
	else if (counter > 0)
		st = db_query(db,
		    "SELECT id FROM reviews WHERE unit = ? AND counter = ? "
		    "ORDER BY id DESC LIMIT 50",
		    "ti", unit, counter);
	else
		st = db_query(db,
		    "SELECT id FROM reviews WHERE unit = ? AND counter IS NOT "
		    "NULL ORDER BY id DESC LIMIT 50",
		    "t", unit);
	while (st != NULL && db_step(st) == DB_ROW && n < max)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	return n;
}

bool
reviews_in_scope(struct db *db, int64_t id, const char *scope)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM reviews r JOIN unit_tree t ON "
		   "t.descendant = r.unit WHERE r.id = ? AND t.ancestor = ?",
		   "lt", id, scope) == 0;
}
