/* procedures.c -- the reference procedures and their fields (lĩnh vực). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/csv.h"
#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/procedures.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/units.h"

int
procedures_get(
    struct db *db, const char *code, struct buf *name, struct buf *field)
{
	struct db_stmt *st = db_query(
	    db, "SELECT name, field FROM procedures WHERE code = ?", "t", code);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		if (db_col_text(st, 0) != NULL)
			buf_puts(name, db_col_text(st, 0));
		if (field != NULL && db_col_text(st, 1) != NULL)
			buf_puts(field, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

bool
procedures_has_field(struct db *db, const char *field)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM procedures WHERE field = ? LIMIT 1", "t",
		   field) == 0;
}

int
procedures_each_field(
    struct db *db, void (*fn)(void *arg, const char *field), void *arg)
{
	struct db_stmt *st = db_query(db,
	    "SELECT DISTINCT field FROM procedures WHERE field <> '' "
	    "ORDER BY field",
	    "");
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fn(arg, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int
procedures_of_field(
    struct db *db, const char *field, struct procedure_codes *out)
{
	struct db_stmt *st = db_query(db,
	    "SELECT code FROM procedures WHERE field = ? ORDER BY code", "t",
	    field);
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->n == cap) {
			cap = cap > 0 ? cap * 2 : 64;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n++] = xstrdup(db_col_text(st, 0));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int
code_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

bool
procedure_codes_has(const struct procedure_codes *set, const char *code)
{
	return set->n > 0 &&
	    bsearch(code, set->v, set->n, sizeof(*set->v), code_cmp) != NULL;
}

void
procedure_codes_release(struct procedure_codes *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/* ---- setup: the catalogue ---------------------------------------------- */

static const char *const catalogue_cols[4] = { "code", "name", "field",
	"level" };

/* A code of the file and its line, to find one given twice. */
struct code_line {
	char code[33];
	int line;
};

static int
code_line_cmp(const void *a, const void *b)
{
	const struct code_line *x = a, *y = b;
	int d = strcmp(x->code, y->code);

	return d != 0 ? d : (x->line > y->line) - (x->line < y->line);
}

/* No code twice in the file: 0, or SETUP_BAD naming the second line. */
static int
catalogue_no_twice(
    struct change *ch, const char *origin, struct code_line *v, size_t n)
{
	qsort(v, n, sizeof(*v), code_line_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i - 1].code, v[i].code) == 0)
			return setup_bad(ch,
			    "%s:%d: code: '%s' đã có ở dòng %d",
			    "%s:%d: code: '%s' is on line %d already", origin,
			    v[i].line, v[i].code, v[i - 1].line);
	return 0;
}

/* The header row, then every row checked; the rows counted.  0 or -1. */
static int
catalogue_check(struct change *ch, const char *csv, size_t len,
    const char *origin, int *rows)
{
	struct csv c;
	struct csv_record rec;
	struct code_line *seen = NULL;
	size_t cap = 0;
	int rc, n = 0, ret = -1;

	csv_init(&c, csv, len);
	rc = csv_next(&c, &rec);
	if (rc != 1 || rec.n != 4) {
		setup_bad(ch,
		    "%s:1: dòng tiêu đề phải là code,name,field,level",
		    "%s:1: the header must be code,name,field,level", origin);
		goto out;
	}
	for (int i = 0; i < 4; i++)
		if (strcmp(rec.f[i], catalogue_cols[i]) != 0) {
			setup_bad(ch,
			    "%s:1: cột %d phải là '%s', không phải '%.40s'",
			    "%s:1: column %d must be '%s', not '%.40s'", origin,
			    i + 1, catalogue_cols[i], rec.f[i]);
			goto out;
		}
	while ((rc = csv_next(&c, &rec)) == 1) {
		if (rec.n == 1 && rec.len[0] == 0)
			continue;
		if (rec.n != 4) {
			setup_bad(ch, "%s:%d: cần 4 cột, có %d",
			    "%s:%d: expected 4 fields, got %d", origin,
			    rec.line, rec.n);
			goto out;
		}
		if (refdata_check_procedure(
			&rec, origin, ch->lang, ch->err, ch->errlen) < 0)
			goto out;
		if ((size_t)n == cap) {
			cap = cap > 0 ? cap * 2 : 256;
			seen = xrealloc(seen, cap * sizeof(*seen));
		}
		/* a mã TTHC is short: is_procedure_code() checked it */
		strlcpy_hl(seen[n].code, rec.f[0], sizeof(seen[n].code));
		seen[n].line = rec.line;
		n++;
	}
	if (rc < 0) {
		setup_bad(
		    ch, "%s:%d: %s", "%s:%d: %s", origin, rec.line, c.error);
		goto out;
	}
	if (n == 0) {
		setup_bad(ch, "%s: không có thủ tục nào",
		    "%s: no procedure in it", origin);
		goto out;
	}
	if (catalogue_no_twice(ch, origin, seen, (size_t)n) != 0)
		goto out;
	*rows = n;
	ret = 0;
out:
	free(seen);
	csv_release(&c);
	return ret;
}

int
procedures_import(struct db *db, struct change *ch, const char *csv, size_t len,
    const char *origin, int *rows)
{
	struct csv c;
	struct csv_record rec;
	char detail[600];
	int n = 0, added = 0, rc;

	*rows = 0;
	if (catalogue_check(ch, csv, len, origin, &n) < 0)
		return SETUP_BAD;
	/* checked whole: every row is good, so write them all */
	csv_init(&c, csv, len);
	if (db_begin(db) < 0)
		goto dberr;
	(void)csv_next(&c, &rec); /* the header */
	while (csv_next(&c, &rec) == 1) {
		int64_t known;

		if (rec.n != 4)
			continue;
		rc = db_int(db, &known,
		    "SELECT 1 FROM procedures WHERE code = ?", "t", rec.f[0]);
		if (rc < 0 ||
		    db_run(db,
			"INSERT INTO procedures(code, name, field, level) "
			"VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
			"name = excluded.name, field = excluded.field, "
			"level = excluded.level",
			"tttt", rec.f[0], rec.f[1], rec.f[2], rec.f[3]) < 0)
			goto dberr;
		added += rc == 1;
	}
	{
		json_t *d = json_pack("{s:s, s:i, s:i}", "file", origin, "rows",
		    n, "added", added);
		char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);

		strlcpy_hl(detail, s != NULL ? s : "", sizeof(detail));
		free(s);
		json_decref(d);
	}
	if (audit_append(
		db, ch->actor, "procedure.import", "procedures", detail) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	csv_release(&c);
	*rows = n;
	return 0;
dberr:
	rc = setup_dberr(ch, db);
	db_rollback(db);
	csv_release(&c);
	return rc;
}

/* ---- setup: which procedures a unit or a counter handles --------------- */

/* One assign or unassign call. */
struct pick {
	struct db *db;
	struct change *ch;
	const char *unit;
	int counter;       /* 0: the unit itself */
	bool unit_lists;   /* the unit lists procedures of its own */
	bool assign;       /* or unassign */
	const char *field; /* NULL for none */
	int changed;
};

/* The unit, the counter and the unit's list; SETUP_BAD when unknown. */
static int
pick_target(struct pick *pk)
{
	struct unit_info u;
	int64_t v;
	int rc;

	if (pk->unit == NULL || (rc = units_get(pk->db, pk->unit, &u)) == 1)
		return setup_bad(pk->ch, "Không có đơn vị '%.40s'",
		    "no unit '%.40s'", pk->unit != NULL ? pk->unit : "");
	if (rc < 0)
		return SETUP_DBERR;
	if (pk->assign && !u.active)
		return setup_bad(pk->ch, "Đơn vị %s đã ngừng hoạt động",
		    "unit %s is disabled", u.code);
	if (pk->counter < 0 || pk->counter > 999)
		return setup_bad(pk->ch, "Số quầy phải từ 1 đến 999",
		    "a counter number is 1-999");
	if (pk->counter > 0) {
		rc = db_int(pk->db, &v,
		    "SELECT active FROM counters WHERE unit = ? AND number = ?",
		    "ti", pk->unit, pk->counter);
		if (rc < 0)
			return SETUP_DBERR;
		if (rc == 1)
			return setup_bad(pk->ch, "Đơn vị %s không có quầy %d",
			    "unit %s has no counter %d", pk->unit, pk->counter);
		if (pk->assign && v == 0)
			return setup_bad(pk->ch,
			    "Quầy %d của %s đã ngừng hoạt động",
			    "counter %d of %s is disabled", pk->counter,
			    pk->unit);
	}
	rc = db_int(pk->db, &v,
	    "SELECT 1 FROM unit_procedures WHERE unit = ? LIMIT 1", "t",
	    pk->unit);
	if (rc < 0)
		return SETUP_DBERR;
	pk->unit_lists = rc == 0;
	return 0;
}

/* Whether the unit lists code (a counter's list stays within it). */
static int
unit_has(struct pick *pk, const char *code)
{
	int64_t one;

	return db_int(pk->db, &one,
	    "SELECT 1 FROM unit_procedures WHERE unit = ? AND procedure = ?",
	    "tt", pk->unit, code);
}

/* Every code known (and within the unit's for a counter), and the field. */
static int
pick_check(struct pick *pk, const char *const *codes, size_t n)
{
	int64_t one, count;
	int rc;

	if (n == 0 && pk->field == NULL)
		return setup_bad(pk->ch,
		    "Chưa chọn thủ tục: nhập mã thủ tục hoặc lĩnh vực",
		    "no procedure given: name codes or a field");
	for (size_t i = 0; i < n; i++) {
		const char *code = codes[i];

		if (!is_procedure_code(code, strlen(code)))
			return setup_bad(pk->ch,
			    "'%.40s' không phải mã TTHC (dạng 1.001193)",
			    "'%.40s' is not a mã TTHC (like 1.001193)", code);
		rc = db_int(pk->db, &one,
		    "SELECT 1 FROM procedures WHERE code = ?", "t", code);
		if (rc < 0)
			return SETUP_DBERR;
		if (rc == 1)
			return setup_bad(pk->ch,
			    "Không có thủ tục '%s' trong danh mục",
			    "no procedure '%s' in the catalogue", code);
		if (pk->assign && pk->counter > 0 && pk->unit_lists) {
			rc = unit_has(pk, code);
			if (rc < 0)
				return SETUP_DBERR;
			if (rc == 1)
				return setup_bad(pk->ch,
				    "Thủ tục %s chưa được giao cho đơn vị %s; "
				    "giao cho đơn vị trước",
				    "procedure %s is not assigned to unit %s; "
				    "assign it to the unit first",
				    code, pk->unit);
		}
	}
	if (pk->field == NULL)
		return 0;
	if (!procedures_has_field(pk->db, pk->field))
		return setup_bad(pk->ch,
		    "Không có lĩnh vực '%.200s' trong danh mục",
		    "no field '%.200s' in the catalogue", pk->field);
	if (pk->assign && pk->counter > 0 && pk->unit_lists) {
		rc = db_int(pk->db, &count,
		    "SELECT count(*) FROM procedures p JOIN unit_procedures u "
		    "ON u.procedure = p.code WHERE u.unit = ? AND p.field = ?",
		    "tt", pk->unit, pk->field);
		if (rc != 0)
			return SETUP_DBERR;
		if (count == 0)
			return setup_bad(pk->ch,
			    "Đơn vị %s chưa được giao thủ tục nào của lĩnh vực "
			    "'%.200s'",
			    "unit %s has no procedure of field '%.200s' "
			    "assigned",
			    pk->unit, pk->field);
	}
	return 0;
}

/* Run one statement; its rows go to pk->changed when `count`.  0 or -1. */
static int
pick_run(struct pick *pk, bool count, const char *sql, const char *code)
{
	if (db_run(pk->db, sql, "tit", pk->unit, pk->counter,
		code != NULL ? code : pk->field) < 0)
		return -1;
	if (count)
		pk->changed += db_changes(pk->db);
	return 0;
}

/* ?1 unit, ?2 counter, ?3 the code or the field. */
#define IN_FIELD "(SELECT code FROM procedures WHERE field = ?3)"
#define IN_UNIT_FIELD \
	"(SELECT p.code FROM procedures p WHERE p.field = ?3 AND (NOT EXISTS " \
	"(SELECT 1 FROM unit_procedures WHERE unit = ?1) OR EXISTS (SELECT 1 " \
	"FROM unit_procedures u WHERE u.unit = ?1 AND u.procedure = p.code)))"

/* The rows of one code (code != NULL) or of pk->field.  0 or -1. */
static int
pick_write(struct pick *pk, const char *code)
{
	bool f = code == NULL;

	if (pk->assign && pk->counter == 0)
		return pick_run(pk, true,
		    f ? "INSERT OR IGNORE INTO unit_procedures(unit, "
			"procedure) "
			"SELECT ?1, code FROM " IN_FIELD " WHERE ?2 = 0"
		      : "INSERT OR IGNORE INTO unit_procedures(unit, "
			"procedure) "
			"SELECT ?1, ?3 WHERE ?2 = 0",
		    code);
	if (pk->assign)
		return pick_run(pk, true,
		    f ? "INSERT OR IGNORE INTO counter_procedures(unit, "
			"counter, procedure) SELECT ?1, ?2, code "
			"FROM " IN_UNIT_FIELD
		      : "INSERT OR IGNORE INTO counter_procedures(unit, "
			"counter, procedure) VALUES (?1, ?2, ?3)",
		    code);
	if (pk->counter > 0)
		return pick_run(pk, true,
		    f ? "DELETE FROM counter_procedures WHERE unit = ?1 AND "
			"counter = ?2 AND procedure IN " IN_FIELD
		      : "DELETE FROM counter_procedures WHERE unit = ?1 AND "
			"counter = ?2 AND procedure = ?3",
		    code);
	/* from the unit, and so from each of its counters */
	if (pick_run(pk, true,
		f ? "DELETE FROM unit_procedures WHERE unit = ?1 AND ?2 = 0 "
		    "AND procedure IN " IN_FIELD
		  : "DELETE FROM unit_procedures WHERE unit = ?1 AND ?2 = 0 "
		    "AND procedure = ?3",
		code) < 0)
		return -1;
	return pick_run(pk, false,
	    f ? "DELETE FROM counter_procedures WHERE unit = ?1 AND ?2 = 0 AND "
		"procedure IN " IN_FIELD
	      : "DELETE FROM counter_procedures WHERE unit = ?1 AND ?2 = 0 AND "
		"procedure = ?3",
	    code);
}

/* The audit entry's detail: what was asked and what it changed.  New. */
static char *
pick_detail(const struct pick *pk, const char *const *codes, size_t n)
{
	json_t *d = json_object(), *a = json_array();
	char *s;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(codes[i]));
	json_object_set_new(d, "codes", a);
	if (pk->field != NULL)
		json_object_set_new(d, "field", json_string(pk->field));
	json_object_set_new(d, "changed", json_integer(pk->changed));
	s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	return s != NULL ? s : xstrdup("");
}

static int
pick(struct pick *pk, const char *const *codes, size_t n, int *changed)
{
	char target[48], *detail = NULL;
	int rc;

	*changed = 0;
	if (pk->field != NULL && pk->field[0] == '\0')
		pk->field = NULL;
	if (db_begin(pk->db) < 0)
		return setup_dberr(pk->ch, pk->db);
	rc = pick_target(pk);
	if (rc == 0)
		rc = pick_check(pk, codes, n);
	if (rc == SETUP_BAD) {
		db_rollback(pk->db);
		return SETUP_BAD;
	}
	if (rc < 0)
		goto dberr;
	for (size_t i = 0; i < n; i++)
		if (pick_write(pk, codes[i]) < 0)
			goto dberr;
	if (pk->field != NULL && pick_write(pk, NULL) < 0)
		goto dberr;
	if (pk->counter > 0)
		snprintf(
		    target, sizeof(target), "%s/%d", pk->unit, pk->counter);
	else
		snprintf(target, sizeof(target), "%s", pk->unit);
	detail = pick_detail(pk, codes, n);
	if (audit_append(pk->db, pk->ch->actor,
		pk->assign ? "procedure.assign" : "procedure.unassign", target,
		detail) < 0 ||
	    db_commit(pk->db) < 0)
		goto dberr;
	free(detail);
	*changed = pk->changed;
	return 0;
dberr:
	rc = setup_dberr(pk->ch, pk->db);
	db_rollback(pk->db);
	free(detail);
	return rc;
}

int
procedures_assign(struct db *db, struct change *ch, const char *unit,
    int counter, const char *const *codes, size_t n, const char *field,
    int *changed)
{
	struct pick pk = { db, ch, unit, counter, false, true, field, 0 };

	return pick(&pk, codes, n, changed);
}

int
procedures_unassign(struct db *db, struct change *ch, const char *unit,
    int counter, const char *const *codes, size_t n, const char *field,
    int *changed)
{
	struct pick pk = { db, ch, unit, counter, false, false, field, 0 };

	return pick(&pk, codes, n, changed);
}

/* ---- setup: the lists ---------------------------------------------------- */

/* ?1 unit, ?2 counter, ?3 q (NULL for all): the rows' filter. */
#define Q_FILTER \
	" (?3 IS NULL OR instr(lower(p.code), lower(?3)) > 0 OR " \
	"instr(lower(p.name), lower(?3)) > 0 OR " \
	"instr(lower(p.field), lower(?3)) > 0) "
#define ASSIGNED \
	"CASE WHEN ?2 = 0 THEN EXISTS (SELECT 1 FROM unit_procedures u " \
	"WHERE u.unit = ?1 AND u.procedure = p.code) ELSE EXISTS (SELECT 1 " \
	"FROM counter_procedures k WHERE k.unit = ?1 AND k.counter = ?2 " \
	"AND k.procedure = p.code) END"

int
procedures_list(struct db *db, const char *unit, int counter, bool all,
    const char *q, int (*fn)(void *arg, const struct procedure_row *p),
    void *arg)
{
	struct db_stmt *st;
	struct procedure_row row;
	int rc;

	if (q != NULL && q[0] == '\0')
		q = NULL;
	st = db_query(db,
	    all ? "SELECT p.code, p.name, p.field, p.level, " ASSIGNED
		  " FROM procedures p WHERE" Q_FILTER "ORDER BY p.field, p.code"
		: "SELECT p.code, p.name, p.field, p.level, 1 FROM procedures "
		  "p "
		  "WHERE " ASSIGNED " AND" Q_FILTER "ORDER BY p.field, p.code",
	    "tit", unit, counter, q);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&row, 0, sizeof(row));
		strlcpy_hl(row.code, db_col_text(st, 0), sizeof(row.code));
		strlcpy_hl(row.name, db_col_text(st, 1), sizeof(row.name));
		strlcpy_hl(row.field, db_col_text(st, 2), sizeof(row.field));
		strlcpy_hl(row.level, db_col_text(st, 3), sizeof(row.level));
		row.assigned = db_col_int(st, 4) != 0;
		if (fn(arg, &row) != 0)
			break;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- what a citizen may rate (the form) ----------------------------------- */

/* Whether `unit` lists its procedures (none listed: it offers every one). */
static bool
unit_lists_procedures(struct db *db, const char *unit)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM unit_procedures WHERE unit = ? LIMIT 1", "t",
		   unit) == 0;
}

bool
procedures_offered_by(struct db *db, const char *unit, const char *code)
{
	int64_t one;

	if (db_int(db, &one, "SELECT 1 FROM procedures WHERE code = ?", "t",
		code) != 0)
		return false;
	if (!unit_lists_procedures(db, unit))
		return true;
	return db_int(db, &one,
		   "SELECT 1 FROM unit_procedures WHERE unit = ? "
		   "AND procedure = ?",
		   "tt", unit, code) == 0;
}

int
procedures_offered(struct db *db, const char *unit, const char *q,
    int (*fn)(void *arg, const struct procedure_row *p), void *arg)
{
	return procedures_list(
	    db, unit, 0, !unit_lists_procedures(db, unit), q, fn, arg);
}
