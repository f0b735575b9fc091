/* duty.c -- the duty log: which officer sits at which counter, when. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/duty.h"
#include "core/setup.h"

/*
 * Spans are half-open, [started_at, ended_at): a rating given exactly
 * when a shift changes counts for the officer who comes.  Every change
 * at a counter or of an officer comes at or after the one before it, so
 * the spans of a counter never overlap and the one that started last
 * at or before t is the only one that can hold t: duty_officer_at() is
 * one step down the index duty_counter.
 */

#define DUTY_COLUMNS \
	"id, unit, counter, officer, started_at, ended_at, started_by, " \
	"coalesce(ended_by, '')"

static void
copy_text(struct db_stmt *st, int i, char *out, size_t size)
{
	const char *s = db_col_text(st, i);

	strlcpy_hl(out, s != NULL ? s : "", size);
}

static void
row_to_duty(struct db_stmt *st, struct duty_row *d)
{
	memset(d, 0, sizeof(*d));
	d->id = db_col_int(st, 0);
	copy_text(st, 1, d->unit, sizeof(d->unit));
	d->counter = (int)db_col_int(st, 2);
	copy_text(st, 3, d->officer, sizeof(d->officer));
	d->started_at = db_col_int(st, 4);
	d->ended_at = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	copy_text(st, 6, d->started_by, sizeof(d->started_by));
	copy_text(st, 7, d->ended_by, sizeof(d->ended_by));
}

/* An instant for a message: RFC 3339 in English, "HH:MM:SS dd/mm/yyyy"
 * in Vietnamese (both in +07:00); seconds matter in a shift change. */
static const char *
when(const struct change *ch, int64_t t, char out[32])
{
	char d[11];
	int64_t s = t + HL_TZ_OFFSET;
	int64_t sec = s % 86400 < 0 ? s % 86400 + 86400 : s % 86400;

	if (ch->lang != LANG_VI) {
		rfc3339_format(t, out);
		return out;
	}
	date_vn(t, d);
	snprintf(out, 32, "%02d:%02d:%02d %s", (int)(sec / 3600),
	    (int)(sec / 60 % 60), (int)(sec % 60), d);
	return out;
}

static int
refuse(struct duty_request *req, enum duty_refusal why)
{
	req->why = why;
	return SETUP_BAD;
}

/* The open span at the counter: 0 found, 1 none, -1 error. */
int
duty_open_at(struct db *db, const char *unit, int counter, struct duty_row *d)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " DUTY_COLUMNS " FROM duty WHERE unit = ? AND counter = "
	    "? AND ended_at IS NULL",
	    "ti", unit, counter);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		row_to_duty(st, d);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The open span of the officer, anywhere: 0 found, 1 none, -1 error. */
static int
open_of_officer(struct db *db, const char *officer, struct duty_row *d)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " DUTY_COLUMNS " FROM duty WHERE officer = ? AND "
	    "ended_at IS NULL",
	    "t", officer);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		row_to_duty(st, d);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* End span d at `at` by ch->actor, with its audit entry.  0 or -1. */
static int
end_span(struct db *db, struct change *ch, const struct duty_row *d, int64_t at)
{
	char target[64], detail[160], s[26], e[26];

	if (db_run(db,
		"UPDATE duty SET ended_at = ?, ended_by = ? WHERE id = ? AND "
		"ended_at IS NULL",
		"ltl", at, ch->actor, d->id) < 0 ||
	    db_changes(db) != 1)
		return -1;
	rfc3339_format(d->started_at, s);
	rfc3339_format(at, e);
	snprintf(target, sizeof(target), "%s/%d", d->unit, d->counter);
	snprintf(detail, sizeof(detail),
	    "{\"officer\":\"%s\",\"started_at\":\"%s\",\"ended_at\":\"%s\"}",
	    d->officer, s, e);
	return audit_append(db, ch->actor, "duty.end", target, detail);
}

/* The latest instant of the log at the counter, or of the officer when
 * officer is not NULL: ended_at, or started_at of an open span.  0 when
 * none.  -1 error. */
static int
last_change(struct db *db, const char *unit, int counter, const char *officer,
    int64_t *out)
{
	if (officer != NULL)
		return db_int(db, out,
		    "SELECT coalesce(max(coalesce(ended_at, started_at)), 0) "
		    "FROM duty WHERE officer = ?",
		    "t", officer);
	return db_int(db, out,
	    "SELECT coalesce(max(coalesce(ended_at, started_at)), 0) FROM "
	    "duty WHERE unit = ? AND counter = ?",
	    "ti", unit, counter);
}

/*
 * The unit and the counter, active; the officer (start), active and of
 * the unit.  0, SETUP_BAD or SETUP_DBERR.  Inside the transaction.
 */
static int
check_parties(struct db *db, struct change *ch, struct duty_request *req)
{
	struct db_stmt *st;
	int64_t active;
	int rc;

	rc = db_int(db, &active, "SELECT active FROM units WHERE code = ?", "t",
	    req->unit);
	if (rc < 0)
		return setup_dberr(ch, db);
	if (rc == 1) {
		setup_bad(
		    ch, "Không có đơn vị '%s'", "no unit '%s'", req->unit);
		return refuse(req, DUTY_NO_COUNTER);
	}
	if (active == 0) {
		setup_bad(ch, "Đơn vị %s đã ngừng hoạt động",
		    "unit %s is disabled", req->unit);
		return refuse(req, DUTY_CONFLICT);
	}
	rc = db_int(db, &active,
	    "SELECT active FROM counters WHERE unit = ? AND number = ?", "ti",
	    req->unit, req->counter);
	if (rc < 0)
		return setup_dberr(ch, db);
	if (rc == 1) {
		setup_bad(ch, "Đơn vị %s không có quầy %d",
		    "unit %s has no counter %d", req->unit, req->counter);
		return refuse(req, DUTY_NO_COUNTER);
	}
	if (active == 0) {
		setup_bad(ch, "Quầy %d của %s đã ngừng hoạt động",
		    "counter %d of %s is disabled", req->counter, req->unit);
		return refuse(req, DUTY_CONFLICT);
	}
	if (!req->start)
		return 0;
	st = db_query(db, "SELECT unit, active FROM officers WHERE id = ?", "t",
	    req->officer);
	if (st == NULL)
		return setup_dberr(ch, db);
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *u = db_col_text(st, 0);
		bool same = u != NULL && strcmp(u, req->unit) == 0;

		active = db_col_int(st, 1);
		if (!same)
			setup_bad(ch,
			    "Cán bộ '%s' thuộc đơn vị %s, không phải %s",
			    "officer '%s' is of unit %s, not %s", req->officer,
			    u != NULL ? u : "?", req->unit);
		else if (active == 0)
			setup_bad(ch, "Cán bộ '%s' đã ngừng công tác",
			    "officer '%s' is disabled", req->officer);
		db_done(st);
		return !same || active == 0 ? refuse(req, DUTY_BAD_OFFICER) : 0;
	}
	db_done(st);
	if (rc < 0)
		return setup_dberr(ch, db);
	setup_bad(ch, "Không có cán bộ '%s'", "no officer '%s'", req->officer);
	return refuse(req, DUTY_BAD_OFFICER);
}

/* `at` against the log: never before its last change at the counter or
 * of the officer (start).  0, SETUP_BAD or SETUP_DBERR. */
static int
check_order(struct db *db, struct change *ch, struct duty_request *req)
{
	char w1[32], w2[32];
	int64_t last;

	if (last_change(db, req->unit, req->counter, NULL, &last) != 0)
		return setup_dberr(ch, db);
	if (req->at < last) {
		setup_bad(ch,
		    "Thời điểm %s trước lần thay đổi cuối ở quầy %d (%s)",
		    "the time %s is before the last change at counter %d "
		    "(%s)",
		    when(ch, req->at, w1), req->counter, when(ch, last, w2));
		return refuse(req, DUTY_CONFLICT);
	}
	if (!req->start)
		return 0;
	if (last_change(db, NULL, 0, req->officer, &last) != 0)
		return setup_dberr(ch, db);
	if (req->at < last) {
		setup_bad(ch,
		    "Thời điểm %s trước lần thay đổi cuối của cán bộ '%s' "
		    "(%s)",
		    "the time %s is before the last change of officer '%s' "
		    "(%s)",
		    when(ch, req->at, w1), req->officer, when(ch, last, w2));
		return refuse(req, DUTY_CONFLICT);
	}
	return 0;
}

/* A span would end when it starts: say so rather than break the CHECK. */
static int
same_instant(
    struct change *ch, struct duty_request *req, const struct duty_row *d)
{
	char w[32];

	setup_bad(ch,
	    "Cán bộ '%s' vừa nhận quầy %d của %s đúng lúc %s; hãy ghi một "
	    "thời điểm sau đó",
	    "officer '%s' went on duty at counter %d of %s at %s, that very "
	    "second; give a later time",
	    d->officer, d->counter, d->unit, when(ch, d->started_at, w));
	return refuse(req, DUTY_CONFLICT);
}

static int
start_locked(
    struct db *db, struct change *ch, struct duty_request *req, bool *changed)
{
	struct duty_row here, mine;
	char target[64], detail[128], s[26];
	int rc_here, rc_mine, rc;

	rc_here = duty_open_at(db, req->unit, req->counter, &here);
	if (rc_here < 0)
		return setup_dberr(ch, db);
	if (rc_here == 0 && strcmp(here.officer, req->officer) == 0)
		return 0; /* on duty there already: nothing changes */
	rc = check_order(db, ch, req);
	if (rc != 0)
		return rc;
	rc_mine = open_of_officer(db, req->officer, &mine);
	if (rc_mine < 0)
		return setup_dberr(ch, db);
	if (rc_here == 0 && here.started_at == req->at)
		return same_instant(ch, req, &here);
	if (rc_mine == 0 && mine.started_at == req->at)
		return same_instant(ch, req, &mine);
	if ((rc_here == 0 && end_span(db, ch, &here, req->at) < 0) ||
	    (rc_mine == 0 && end_span(db, ch, &mine, req->at) < 0))
		return setup_dberr(ch, db);
	if (db_run(db,
		"INSERT INTO duty(unit, counter, officer, started_at, "
		"started_by) VALUES (?, ?, ?, ?, ?)",
		"titlt", req->unit, req->counter, req->officer, req->at,
		ch->actor) < 0)
		return setup_dberr(ch, db);
	rfc3339_format(req->at, s);
	snprintf(target, sizeof(target), "%s/%d", req->unit, req->counter);
	snprintf(detail, sizeof(detail),
	    "{\"officer\":\"%s\",\"started_at\":\"%s\"}", req->officer, s);
	if (audit_append(db, ch->actor, "duty.start", target, detail) < 0)
		return setup_dberr(ch, db);
	*changed = true;
	return 0;
}

static int
end_locked(
    struct db *db, struct change *ch, struct duty_request *req, bool *changed)
{
	struct duty_row here;
	int rc = duty_open_at(db, req->unit, req->counter, &here);

	if (rc < 0)
		return setup_dberr(ch, db);
	if (rc == 1) {
		setup_bad(ch, "Không có cán bộ nào đang trực ở quầy %d của %s",
		    "nobody is on duty at counter %d of %s", req->counter,
		    req->unit);
		return refuse(req, DUTY_CONFLICT);
	}
	rc = check_order(db, ch, req);
	if (rc != 0)
		return rc;
	if (here.started_at == req->at)
		return same_instant(ch, req, &here);
	if (end_span(db, ch, &here, req->at) < 0)
		return setup_dberr(ch, db);
	*changed = true;
	return 0;
}

int
duty_apply(struct db *db, struct change *ch, struct duty_request *req)
{
	char w[32];
	bool changed = false;
	int rc;

	req->why = DUTY_OK;
	if (req->unit == NULL || !is_unit_code(req->unit, strlen(req->unit))) {
		setup_bad(ch, "Mã đơn vị '%s' không đúng dạng",
		    "'%s' is not a unit code", req->unit ? req->unit : "");
		return refuse(req, DUTY_NO_COUNTER);
	}
	if (req->counter < 1 || req->counter > 999) {
		setup_bad(ch, "Số quầy %d không nằm trong 1..999",
		    "counter %d is not within 1..999", req->counter);
		return refuse(req, DUTY_NO_COUNTER);
	}
	if (req->start &&
	    (req->officer == NULL ||
		!is_officer_id(req->officer, strlen(req->officer)))) {
		setup_bad(ch, "Mã cán bộ '%s' không đúng dạng",
		    "'%s' is not an officer id (1-32 letters, digits, '.', "
		    "'_' or '-')",
		    req->officer ? req->officer : "");
		return refuse(req, DUTY_BAD_OFFICER);
	}
	if (req->at > hl_now()) {
		setup_bad(ch, "Thời điểm %s ở tương lai",
		    "the time %s is in the future", when(ch, req->at, w));
		return refuse(req, DUTY_BAD_TIME);
	}
	if (db_begin(db) < 0) {
		req->why = DUTY_DB;
		return setup_dberr(ch, db);
	}
	rc = check_parties(db, ch, req);
	if (rc == 0)
		rc = req->start ? start_locked(db, ch, req, &changed)
				: end_locked(db, ch, req, &changed);
	if (rc == 0 && changed && db_commit(db) < 0)
		rc = setup_dberr(ch, db);
	if (rc != 0 || !changed)
		db_rollback(db);
	if (rc == SETUP_DBERR)
		req->why = DUTY_DB;
	return rc;
}

int
duty_start(struct db *db, struct change *ch, const char *unit, int counter,
    const char *officer, int64_t at)
{
	struct duty_request req = { .start = true,
		.unit = unit,
		.counter = counter,
		.officer = officer,
		.at = at };

	return duty_apply(db, ch, &req);
}

int
duty_end(
    struct db *db, struct change *ch, const char *unit, int counter, int64_t at)
{
	struct duty_request req = {
		.unit = unit, .counter = counter, .at = at
	};

	return duty_apply(db, ch, &req);
}

int
duty_officer_at(
    struct db *db, const char *unit, int counter, int64_t t, char officer[33])
{
	/* a cached statement: the writer asks once per rating */
	struct db_stmt *st = db_prepare(db,
	    "SELECT officer, ended_at FROM duty WHERE unit = ?1 AND "
	    "counter = ?2 AND started_at <= ?3 ORDER BY started_at DESC "
	    "LIMIT 1");
	int rc, found = 1;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, unit, -1);
	db_bind_int(st, 2, counter);
	db_bind_int(st, 3, t);
	rc = db_step(st);
	if (rc == DB_ROW && (db_col_is_null(st, 1) || db_col_int(st, 1) > t)) {
		copy_text(st, 0, officer, 33);
		found = 0;
	}
	db_done(st);
	return rc < 0 ? -1 : found;
}

int
duty_list(struct db *db, const char *unit, int64_t from, int64_t until,
    int (*fn)(void *arg, const struct duty_row *d), void *arg)
{
	struct db_stmt *st = db_query(db,
	    "SELECT " DUTY_COLUMNS " FROM duty WHERE unit = ? AND "
	    "started_at < ? AND (ended_at IS NULL OR ended_at > ?) "
	    "ORDER BY started_at DESC, id DESC",
	    "tll", unit, until, from);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct duty_row d;

		row_to_duty(st, &d);
		if (fn(arg, &d) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
