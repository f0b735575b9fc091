/* counters.c -- a unit's counters (quầy): add, rename, disable, list. */
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
fail_bad(struct db *db, int rc)
{
	db_rollback(db);
	return rc;
}

static int
commit_or_fail(struct db *db, struct change *ch)
{
	if (db_commit(db) == 0)
		return 0;
	return fail_dberr(db, ch);
}

/* Check the unit code, number and (when not NULL) name.  0 or SETUP_BAD. */
static int
check_args(struct change *ch, const char *unit, int number, const char *name)
{
	if (unit == NULL || !is_unit_code(unit, strlen(unit)))
		return setup_bad(ch,
		    "mã đơn vị '%.40s' không đúng dạng (ví dụ H21.227)",
		    "unit '%.40s' is not a unit code (like H21.227)",
		    unit ? unit : "");
	if (number < 1 || number > COUNTER_NUMBER_MAX)
		return setup_bad(ch, "số quầy phải từ 1 đến %d, không phải %d",
		    "counter number must be 1 to %d, not %d",
		    COUNTER_NUMBER_MAX, number);
	if (name == NULL)
		return 0;
	if (strlen(name) > COUNTER_NAME_MAX)
		return setup_bad(ch, "tên quầy dài quá %d byte",
		    "counter name is longer than %d bytes", COUNTER_NAME_MAX);
	if (!text_is_clean_line(name, strlen(name), COUNTER_NAME_MAX))
		return setup_bad(ch,
		    "tên quầy trống, có ký tự điều khiển hoặc không phải "
		    "UTF-8%s",
		    "counter name is empty, has control characters or is not "
		    "UTF-8%s",
		    "");
	return 0;
}

/* The unit must exist and be active.  0, SETUP_BAD or SETUP_DBERR. */
static int
check_unit_active(struct db *db, struct change *ch, const char *unit)
{
	int64_t active;
	int rc = db_int(
	    db, &active, "SELECT active FROM units WHERE code = ?", "t", unit);

	if (rc < 0)
		return setup_dberr(ch, db);
	if (rc == 1)
		return setup_bad(
		    ch, "không có đơn vị '%s'", "no unit '%s'", unit);
	if (!active)
		return setup_bad(ch, "đơn vị '%s' đã ngừng hoạt động",
		    "unit '%s' is disabled", unit);
	return 0;
}

int
counters_state(
    struct db *db, const char *unit, int number, int64_t *disabled_at)
{
	struct db_stmt *st = db_query(db,
	    "SELECT active, coalesce(disabled_at, 0) FROM counters WHERE "
	    "unit = ? AND number = ?",
	    "ti", unit, number);
	int rc, state = 1;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		state = db_col_int(st, 0) ? 0 : 2;
		if (state == 2 && disabled_at != NULL)
			*disabled_at = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? -1 : state;
}

/* The counter must exist (and be active when `active`). */
static int
check_counter(
    struct db *db, struct change *ch, const char *unit, int number, bool active)
{
	int rc = counters_state(db, unit, number, NULL);

	if (rc < 0)
		return setup_dberr(ch, db);
	if (rc == 1)
		return setup_bad(ch, "đơn vị '%s' không có quầy %d",
		    "unit '%s' has no counter %d", unit, number);
	if (rc == 2 && active)
		return setup_bad(ch, "quầy %d của '%s' đã ngừng hoạt động",
		    "counter %d of '%s' is disabled already", number, unit);
	return 0;
}

int
counters_add(struct db *db, struct change *ch, const char *unit, int number,
    const char *name)
{
	char target[64];
	int rc = check_args(ch, unit, number, name);

	if (rc != 0)
		return rc;
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = check_unit_active(db, ch, unit);
	if (rc != 0)
		return fail_bad(db, rc);
	rc = counters_state(db, unit, number, NULL);
	if (rc < 0)
		return fail_dberr(db, ch);
	if (rc != 1)
		return fail_bad(db,
		    setup_bad(ch, "đơn vị '%s' đã có quầy %d%s",
			"unit '%s' has a counter %d already%s", unit, number,
			rc == 2 ? (ch->lang == LANG_VI ? " (đã ngừng)"
						       : " (disabled)")
				: ""));
	snprintf(target, sizeof(target), "%s/%d", unit, number);
	if (db_run(db,
		"INSERT INTO counters(unit, number, name) VALUES (?, ?, ?)",
		"tit", unit, number, name) < 0 ||
	    audit_change(db, ch, "counter.add", target,
		json_pack("{s:s}", "name", name)) < 0)
		return fail_dberr(db, ch);
	return commit_or_fail(db, ch);
}

int
counters_rename(struct db *db, struct change *ch, const char *unit, int number,
    const char *name)
{
	char target[64];
	int rc = check_args(ch, unit, number, name);

	if (rc != 0)
		return rc;
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = check_counter(db, ch, unit, number, false);
	if (rc != 0)
		return fail_bad(db, rc);
	snprintf(target, sizeof(target), "%s/%d", unit, number);
	if (db_run(db,
		"UPDATE counters SET name = ? WHERE unit = ? AND number = ?",
		"tti", name, unit, number) < 0 ||
	    audit_change(db, ch, "counter.rename", target,
		json_pack("{s:s}", "name", name)) < 0)
		return fail_dberr(db, ch);
	return commit_or_fail(db, ch);
}

int
counters_disable(struct db *db, struct change *ch, const char *unit, int number)
{
	char target[64];
	int64_t now = hl_now();
	int rc = check_args(ch, unit, number, NULL);

	if (rc != 0)
		return rc;
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = check_counter(db, ch, unit, number, true);
	if (rc != 0)
		return fail_bad(db, rc);
	snprintf(target, sizeof(target), "%s/%d", unit, number);
	/* nobody serves at a closed counter: its open duty ends now */
	if (db_run(db,
		"UPDATE counters SET active = 0, disabled_at = ? WHERE unit = "
		"? AND number = ?",
		"lti", now, unit, number) < 0 ||
	    db_run(db,
		"UPDATE duty SET ended_at = max(?, started_at + 1), ended_by "
		"= ? WHERE unit = ? AND counter = ? AND ended_at IS NULL",
		"ltti", now, ch->actor, unit, number) < 0 ||
	    audit_change(db, ch, "counter.disable", target,
		json_pack("{s:I}", "disabled_at", (json_int_t)now)) < 0)
		return fail_dberr(db, ch);
	return commit_or_fail(db, ch);
}

int
counters_list(struct db *db, const char *unit,
    int (*fn)(void *arg, const struct counter_row *c), void *arg)
{
	struct db_stmt *st = db_query(db,
	    "SELECT c.unit, c.number, c.name, c.active, "
	    "coalesce(c.disabled_at, 0), (SELECT count(*) FROM kiosks k "
	    "WHERE k.unit = c.unit AND k.counter = c.number AND k.revoked_at "
	    "IS NULL), coalesce((SELECT d.officer FROM duty d WHERE d.unit = "
	    "c.unit AND d.counter = c.number AND d.ended_at IS NULL), '') "
	    "FROM counters c WHERE c.unit = ? ORDER BY c.number",
	    "t", unit);
	struct counter_row c;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&c, 0, sizeof(c));
		strlcpy_hl(c.unit, db_col_text(st, 0), sizeof(c.unit));
		c.number = (int)db_col_int(st, 1);
		strlcpy_hl(c.name, db_col_text(st, 2), sizeof(c.name));
		c.active = db_col_int(st, 3) != 0;
		c.disabled_at = db_col_int(st, 4);
		c.kiosks = (int)db_col_int(st, 5);
		strlcpy_hl(c.on_duty, db_col_text(st, 6), sizeof(c.on_duty));
		if (fn(arg, &c) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
