/* officers.c -- the officers (cán bộ) who serve at a unit's counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/counters.h"
#include "core/officers.h"
#include "core/setup.h"

/* Append the audit entry of a change; detail is stolen.  0 or -1. */
static int
audit_change(struct db *db, const struct change *ch, const char *action,
    const char *target, json_t *detail)
{
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = audit_append(db, ch->actor, action, target, text ? text : "");

	free(text);
	json_decref(detail);
	return rc;
}

static int
fail_dberr(struct db *db, struct change *ch)
{
	setup_dberr(ch, db);
	db_rollback(db);
	return SETUP_DBERR;
}

static int
fail_bad(struct db *db)
{
	db_rollback(db);
	return SETUP_BAD;
}

static int
commit_or_fail(struct db *db, struct change *ch)
{
	if (db_commit(db) == 0)
		return 0;
	return fail_dberr(db, ch);
}

static int
bad_id(struct change *ch, const char *id)
{
	return setup_bad(ch,
	    "mã cán bộ '%.32s' không đúng dạng (1 đến 32 chữ cái, chữ số, "
	    "'.', '_' hoặc '-')",
	    "officer id '%.32s' is not an officer id (1 to 32 letters, digits, "
	    "'.', '_' or '-')",
	    id);
}

int
officers_state(struct db *db, const char *id, char unit[41])
{
	struct db_stmt *st = db_query(
	    db, "SELECT unit, active FROM officers WHERE id = ?", "t", id);
	int rc, state = 1;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		state = db_col_int(st, 1) ? 0 : 2;
		if (unit != NULL)
			strlcpy_hl(unit, db_col_text(st, 0), 41);
	}
	db_done(st);
	return rc < 0 ? -1 : state;
}

int
officers_add(struct db *db, struct change *ch, const char *unit, const char *id,
    const char *name, int counter)
{
	char other[41] = "";
	int64_t active;
	int rc;

	if (id == NULL || !is_officer_id(id, strlen(id)))
		return bad_id(ch, id ? id : "");
	if (unit == NULL || !is_unit_code(unit, strlen(unit)))
		return setup_bad(ch,
		    "mã đơn vị '%.40s' không đúng dạng (ví dụ H21.227)",
		    "unit '%.40s' is not a unit code (like H21.227)",
		    unit ? unit : "");
	if (name == NULL || strlen(name) > OFFICER_NAME_MAX)
		return setup_bad(ch, "tên cán bộ dài quá %d byte",
		    "officer name is longer than %d bytes", OFFICER_NAME_MAX);
	if (!text_is_clean_line(name, strlen(name), OFFICER_NAME_MAX))
		return setup_bad(ch,
		    "tên cán bộ trống, có ký tự điều khiển hoặc không phải "
		    "UTF-8%s",
		    "officer name is empty, has control characters or is not "
		    "UTF-8%s",
		    "");
	if (counter < 0 || counter > COUNTER_NUMBER_MAX)
		return setup_bad(ch, "số quầy phải từ 1 đến %d, không phải %d",
		    "counter number must be 1 to %d, not %d",
		    COUNTER_NUMBER_MAX, counter);
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = db_int(
	    db, &active, "SELECT active FROM units WHERE code = ?", "t", unit);
	if (rc < 0)
		return fail_dberr(db, ch);
	if (rc == 1) {
		setup_bad(ch, "không có đơn vị '%s'", "no unit '%s'", unit);
		return fail_bad(db);
	}
	if (!active) {
		setup_bad(ch, "đơn vị '%s' đã ngừng hoạt động",
		    "unit '%s' is disabled", unit);
		return fail_bad(db);
	}
	rc = officers_state(db, id, other);
	if (rc < 0)
		return fail_dberr(db, ch);
	if (rc != 1) {
		setup_bad(ch, "mã cán bộ '%s' đã có (đơn vị %s)",
		    "officer id '%s' is taken (unit %s)", id, other);
		return fail_bad(db);
	}
	if (counter > 0) {
		rc = counters_state(db, unit, counter, NULL);
		if (rc < 0)
			return fail_dberr(db, ch);
		if (rc == 1) {
			setup_bad(ch, "đơn vị '%s' không có quầy %d",
			    "unit '%s' has no counter %d", unit, counter);
			return fail_bad(db);
		}
		if (rc == 2) {
			setup_bad(ch, "quầy %d của '%s' đã ngừng hoạt động",
			    "counter %d of '%s' is disabled", counter, unit);
			return fail_bad(db);
		}
	}
	if (db_run(db,
		"INSERT INTO officers(id, unit, name, counter) VALUES "
		"(?, ?, ?, nullif(?, 0))",
		"ttti", id, unit, name, counter) < 0 ||
	    audit_change(db, ch, "officer.add", id,
		counter > 0
		    ? json_pack("{s:s, s:s, s:i}", "unit", unit, "name", name,
			  "counter", counter)
		    : json_pack("{s:s, s:s}", "unit", unit, "name", name)) < 0)
		return fail_dberr(db, ch);
	return commit_or_fail(db, ch);
}

int
officers_disable(struct db *db, struct change *ch, const char *id)
{
	int64_t now = hl_now();
	int rc;

	if (id == NULL || !is_officer_id(id, strlen(id)))
		return bad_id(ch, id ? id : "");
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = officers_state(db, id, NULL);
	if (rc < 0)
		return fail_dberr(db, ch);
	if (rc != 0) {
		if (rc == 1)
			setup_bad(
			    ch, "không có cán bộ '%s'", "no officer '%s'", id);
		else
			setup_bad(ch, "cán bộ '%s' đã ngừng hoạt động",
			    "officer '%s' is disabled already", id);
		return fail_bad(db);
	}
	if (db_run(db,
		"UPDATE officers SET active = 0, disabled_at = ? WHERE id = ?",
		"lt", now, id) < 0 ||
	    db_run(db,
		"UPDATE duty SET ended_at = max(?, started_at + 1), ended_by "
		"= ? WHERE officer = ? AND ended_at IS NULL",
		"ltt", now, ch->actor, id) < 0 ||
	    audit_change(db, ch, "officer.disable", id,
		json_pack("{s:I}", "disabled_at", (json_int_t)now)) < 0)
		return fail_dberr(db, ch);
	return commit_or_fail(db, ch);
}

int
officers_list(struct db *db, const char *unit,
    int (*fn)(void *arg, const struct officer_row *o), void *arg)
{
	struct db_stmt *st = db_query(db,
	    "SELECT o.id, o.unit, o.name, coalesce(o.counter, 0), o.active, "
	    "coalesce((SELECT d.counter FROM duty d WHERE d.officer = o.id "
	    "AND d.ended_at IS NULL), 0) FROM officers o WHERE ?1 IS NULL OR "
	    "o.unit = ?1 ORDER BY o.id",
	    "t", unit);
	struct officer_row o;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&o, 0, sizeof(o));
		strlcpy_hl(o.id, db_col_text(st, 0), sizeof(o.id));
		strlcpy_hl(o.unit, db_col_text(st, 1), sizeof(o.unit));
		strlcpy_hl(o.name, db_col_text(st, 2), sizeof(o.name));
		o.counter = (int)db_col_int(st, 3);
		o.active = db_col_int(st, 4) != 0;
		o.on_duty = (int)db_col_int(st, 5);
		if (fn(arg, &o) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
