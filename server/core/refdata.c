/* refdata.c -- units and procedures from CSV, and the demo data set. */
#include <stdio.h>
#include <string.h>

#include "hailong/csv.h"
#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/refdata.h"
#include "core/rollup.h"

extern const struct embed_file server_files[];

static const char *const unit_levels[] = { "province", "department", "commune",
	"centre", "other" };

bool
is_unit_level(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(unit_levels); i++)
		if (strcmp(s, unit_levels[i]) == 0)
			return true;
	return false;
}

/* Check the header row names exactly these columns. */
static int
check_header(struct csv *c, const char *const *cols, int ncols,
    const char *origin, char *err, size_t errlen)
{
	struct csv_record rec;

	if (csv_next(c, &rec) != 1 || rec.n != ncols) {
		snprintf(err, errlen, "%s:1: header must be %s,%s,%s,%s",
		    origin, cols[0], cols[1], cols[2], cols[3]);
		return -1;
	}
	for (int i = 0; i < ncols; i++) {
		if (strcmp(rec.f[i], cols[i]) != 0) {
			snprintf(err, errlen,
			    "%s:1: column %d must be '%s', "
			    "not '%s'",
			    origin, i + 1, cols[i], rec.f[i]);
			return -1;
		}
	}
	return 0;
}

int
refdata_rebuild_tree(struct db *db)
{
	/* depth < 16 stops a cycle that slipped in; then the ratings whose
	 * dossier's unit came under theirs or left it (rollup.h), and the
	 * sums over each unit's subtree, follow the new tree */
	if (rollup_tree_save(db) < 0 ||
	    db_exec(db,
		"DELETE FROM unit_tree;"
		"INSERT INTO unit_tree(ancestor, descendant, depth) "
		"WITH RECURSIVE t(a, d, depth) AS ("
		" SELECT code, code, 0 FROM units"
		" UNION ALL"
		" SELECT u.parent, t.d, t.depth + 1 FROM t"
		" JOIN units u ON u.code = t.a"
		" WHERE u.parent IS NOT NULL AND t.depth < 16)"
		" SELECT a, d, min(depth) FROM t GROUP BY a, d;") < 0 ||
	    rollup_tree_changed(db) < 0)
		return -1;
	return rollup_rebuild_subtree(db);
}

/*
 * One reference table in CSV: its four columns, what runs after BEGIN,
 * each row's check and write, and the message when the closing fails.
 */
struct ref_table {
	const char *cols[4];
	const char *begin_sql; /* after BEGIN, or NULL */
	/* check and store one row of four fields; -1 with err filled */
	int (*row)(struct db *db, const struct csv_record *rec,
	    const char *origin, char *err, size_t errlen);
	bool rebuild_tree;       /* refdata_rebuild_tree() before COMMIT */
	const char *close_error; /* before db_errmsg() when that fails */
};

static int
dberr(struct db *db, const char *origin, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", origin, db_errmsg(db));
	return -1;
}

static int
unit_row(struct db *db, const struct csv_record *rec, const char *origin,
    char *err, size_t errlen)
{
	if (!is_unit_code(rec->f[0], rec->len[0])) {
		snprintf(err, errlen,
		    "%s:%d: code: '%.40s' is not a "
		    "unit code (like H21 or H21.227)",
		    origin, rec->line, rec->f[0]);
		return -1;
	}
	if (!text_is_clean_line(rec->f[1], rec->len[1], 300)) {
		snprintf(err, errlen,
		    "%s:%d: name: empty, too long or "
		    "not UTF-8",
		    origin, rec->line);
		return -1;
	}
	if (!is_unit_level(rec->f[2])) {
		snprintf(err, errlen,
		    "%s:%d: level: '%.20s' is not one "
		    "of province, department, commune, centre, other",
		    origin, rec->line, rec->f[2]);
		return -1;
	}
	if (rec->len[3] > 0 && !is_unit_code(rec->f[3], rec->len[3])) {
		snprintf(err, errlen,
		    "%s:%d: parent_code: '%.40s' is "
		    "not a unit code",
		    origin, rec->line, rec->f[3]);
		return -1;
	}
	if (db_run(db,
		"INSERT INTO units(code, name, level, parent) "
		"VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, level = excluded.level, "
		"parent = excluded.parent",
		"tttt", rec->f[0], rec->f[1], rec->f[2],
		rec->len[3] ? rec->f[3] : NULL) < 0)
		return dberr(db, origin, err, errlen);
	return 0;
}

int
refdata_check_procedure(const struct csv_record *rec, const char *origin,
    enum lang lang, char *err, size_t errlen)
{
	bool vi = lang == LANG_VI;

	if (!is_procedure_code(rec->f[0], rec->len[0])) {
		snprintf(err, errlen,
		    vi ? "%s:%d: code: '%.40s' không phải mã TTHC (dạng "
			 "1.001193)"
		       : "%s:%d: code: '%.40s' is not a mã TTHC (like "
			 "1.001193)",
		    origin, rec->line, rec->f[0]);
		return -1;
	}
	if (!text_is_clean_line(rec->f[1], rec->len[1], 500)) {
		snprintf(err, errlen,
		    vi ? "%s:%d: name: trống, dài hơn 500 byte hoặc không "
			 "phải văn bản UTF-8 một dòng"
		       : "%s:%d: name: empty, over 500 bytes or not UTF-8 "
			 "text on one line",
		    origin, rec->line);
		return -1;
	}
	if (rec->len[2] > 0 &&
	    !text_is_clean_line(rec->f[2], rec->len[2], 200)) {
		snprintf(err, errlen,
		    vi ? "%s:%d: field: dài hơn 200 byte hoặc không phải văn "
			 "bản UTF-8 một dòng"
		       : "%s:%d: field: over 200 bytes or not UTF-8 text on "
			 "one line",
		    origin, rec->line);
		return -1;
	}
	if (rec->len[3] > 0 &&
	    !text_is_clean_line(rec->f[3], rec->len[3], 20)) {
		snprintf(err, errlen,
		    vi ? "%s:%d: level: dài hơn 20 byte hoặc không phải văn "
			 "bản UTF-8 một dòng"
		       : "%s:%d: level: over 20 bytes or not UTF-8 text on "
			 "one line",
		    origin, rec->line);
		return -1;
	}
	return 0;
}

static int
procedure_row(struct db *db, const struct csv_record *rec, const char *origin,
    char *err, size_t errlen)
{
	if (refdata_check_procedure(rec, origin, LANG_EN, err, errlen) < 0)
		return -1;
	if (db_run(db,
		"INSERT INTO procedures(code, name, field, level)"
		" VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
		"name = excluded.name, field = excluded.field, "
		"level = excluded.level",
		"tttt", rec->f[0], rec->f[1], rec->f[2], rec->f[3]) < 0)
		return dberr(db, origin, err, errlen);
	return 0;
}

static const struct ref_table units_table = {
	.cols = { "code", "name", "level", "parent_code" },
	.begin_sql = "PRAGMA defer_foreign_keys = ON",
	.row = unit_row,
	.rebuild_tree = true,
	.close_error = "a parent_code names no unit, or: ",
};

static const struct ref_table procedures_table = {
	.cols = { "code", "name", "field", "level" },
	.row = procedure_row,
	.close_error = "",
};

/* Load one table's CSV in one transaction: the number of rows, or -1. */
static int
load_table(struct db *db, const struct ref_table *t, const char *text,
    size_t len, const char *origin, char *err, size_t errlen)
{
	struct csv c;
	struct csv_record rec;
	int n = 0, rc;

	csv_init(&c, text, len);
	if (check_header(&c, t->cols, 4, origin, err, errlen) < 0)
		goto fail_nt;
	if (db_begin(db) < 0 ||
	    (t->begin_sql != NULL && db_exec(db, t->begin_sql) < 0)) {
		dberr(db, origin, err, errlen);
		goto fail;
	}
	while ((rc = csv_next(&c, &rec)) == 1) {
		if (rec.n == 1 && rec.len[0] == 0)
			continue;
		if (rec.n != 4) {
			snprintf(err, errlen,
			    "%s:%d: expected 4 fields, got %d", origin,
			    rec.line, rec.n);
			goto fail;
		}
		if (t->row(db, &rec, origin, err, errlen) < 0)
			goto fail;
		n++;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s:%d: %s", origin, rec.line, c.error);
		goto fail;
	}
	if ((t->rebuild_tree && refdata_rebuild_tree(db) < 0) ||
	    db_commit(db) < 0) {
		snprintf(err, errlen, "%s: %s%s", origin, t->close_error,
		    db_errmsg(db));
		goto fail;
	}
	csv_release(&c);
	return n;
fail:
	db_rollback(db);
fail_nt:
	csv_release(&c);
	return -1;
}

int
refdata_load_units(struct db *db, const char *text, size_t len,
    const char *origin, char *err, size_t errlen)
{
	return load_table(db, &units_table, text, len, origin, err, errlen);
}

int
refdata_load_procedures(struct db *db, const char *text, size_t len,
    const char *origin, char *err, size_t errlen)
{
	return load_table(
	    db, &procedures_table, text, len, origin, err, errlen);
}

int
refdata_load_builtin(struct db *db, char *err, size_t errlen)
{
	const struct embed_file *u = embed_find(server_files, "data/units.csv");
	const struct embed_file *p =
	    embed_find(server_files, "data/procedures.csv");

	if (u == NULL || p == NULL) {
		snprintf(err, errlen, "reference data missing from the build");
		return -1;
	}
	if (refdata_load_units(
		db, (const char *)u->data, u->len, u->name, err, errlen) < 0)
		return -1;
	if (refdata_load_procedures(
		db, (const char *)p->data, p->len, p->name, err, errlen) < 0)
		return -1;
	return 0;
}

int
refdata_load_demo(struct db *db, char *err, size_t errlen)
{
	static const struct {
		const char *id, *name;
		int counter;
	} officers[] = {
		{ "VC01", "Nguyễn Thị Lan", 1 },
		{ "VC02", "Trần Văn Hùng", 2 },
		{ "VC03", "Lê Thị Hoa", 3 },
		{ "VC04", "Phạm Minh Tuấn", 1 },
	};
	static const char *const counters[] = { "Quầy 1 — Hộ tịch, chứng thực",
		"Quầy 2 — Đất đai, xây dựng", "Quầy 3 — Chính sách xã hội" };

	if (db_begin(db) < 0)
		goto fail;
	for (int i = 0; i < 3; i++)
		if (db_run(db,
			"INSERT OR IGNORE INTO counters(unit, number, "
			"name) VALUES (?, ?, ?)",
			"tit", DEMO_UNIT, i + 1, counters[i]) < 0)
			goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(officers); i++)
		if (db_run(db,
			"INSERT OR IGNORE INTO officers(id, unit, name, "
			"counter) VALUES (?, ?, ?, ?)",
			"ttti", officers[i].id, DEMO_UNIT, officers[i].name,
			officers[i].counter) < 0)
			goto fail;
	/* the commune offers the commune-level procedures */
	if (db_run(db,
		"INSERT OR IGNORE INTO unit_procedures(unit, procedure)"
		" SELECT ?, code FROM procedures WHERE level = 'xa'",
		"t", DEMO_UNIT) < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "demo data: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}
