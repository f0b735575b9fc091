/* units.c -- the units and their counters, as pages and reports name them. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/csv.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/refdata.h"
#include "core/setup.h"
#include "core/units.h"

int
units_get(struct db *db, const char *code, struct unit_info *u)
{
	struct db_stmt *st = db_query(db,
	    "SELECT code, name, coalesce(parent, ''), active FROM units "
	    "WHERE code = ?",
	    "t", code);
	int rc;

	memset(u, 0, sizeof(*u));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		strlcpy_hl(u->code, db_col_text(st, 0), sizeof(u->code));
		strlcpy_hl(u->name, db_col_text(st, 1), sizeof(u->name));
		strlcpy_hl(u->parent, db_col_text(st, 2), sizeof(u->parent));
		u->active = db_col_int(st, 3) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

/* Step st once: its first column appended to out.  0, 1 no row, -1. */
static int
first_name(struct db_stmt *st, struct buf *out)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW && db_col_text(st, 0) != NULL)
		buf_puts(out, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

int
units_name(struct db *db, const char *code, struct buf *name)
{
	return first_name(
	    db_query(db, "SELECT name FROM units WHERE code = ?", "t", code),
	    name);
}

int
units_counter_name(
    struct db *db, const char *unit, int number, struct buf *name)
{
	return first_name(db_query(db,
			      "SELECT name FROM counters WHERE unit = ? AND "
			      "number = ?",
			      "ti", unit, number),
	    name);
}

int
units_officer_name(struct db *db, const char *id, struct buf *name)
{
	return first_name(
	    db_query(db, "SELECT name FROM officers WHERE id = ?", "t", id),
	    name);
}

int
units_closed_since(struct db *db, const char *unit, int counter,
    int64_t *unit_at, int64_t *counter_at)
{
	struct db_stmt *st = db_query(db,
	    "SELECT u.active, coalesce(u.disabled_at, 1), c.active, "
	    "coalesce(c.disabled_at, 1) FROM units u LEFT JOIN counters c "
	    "ON c.unit = u.code AND c.number = ? WHERE u.code = ?",
	    "it", counter, unit);
	int rc;

	*unit_at = *counter_at = 0;
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		/* inactive without a date (merged in 2025): closed since ever */
		if (db_col_int(st, 0) == 0)
			*unit_at = db_col_int(st, 1);
		if (!db_col_is_null(st, 2) && db_col_int(st, 2) == 0)
			*counter_at = db_col_int(st, 3);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- setup ---------------------------------------------------------------- */

static bool
is_stat_code(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > UNIT_STAT_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
bad_code(struct change *ch, const char *code)
{
	return setup_bad(ch,
	    "mã đơn vị '%.40s' không đúng dạng (ví dụ H21 hoặc H21.227)",
	    "code '%.40s' is not a unit code (like H21 or H21.227)", code);
}

static int
bad_name(struct change *ch, const char *name, size_t max)
{
	if (strlen(name) > max)
		return setup_bad(ch, "tên dài quá %zu byte",
		    "name is longer than %zu bytes", max);
	return setup_bad(ch,
	    "tên trống, có ký tự điều khiển hoặc không phải UTF-8%s",
	    "name is empty, has control characters or is not UTF-8%s", "");
}

/* Check a unit's fields but the parent.  0 or SETUP_BAD. */
static int
check_unit_fields(struct change *ch, const char *code, const char *name,
    const char *level, const char *stat_code)
{
	if (code == NULL || !is_unit_code(code, strlen(code)))
		return bad_code(ch, code ? code : "");
	if (name == NULL ||
	    !text_is_clean_line(name, strlen(name), UNIT_NAME_MAX))
		return bad_name(ch, name ? name : "", UNIT_NAME_MAX);
	if (level == NULL || !is_unit_level(level))
		return setup_bad(ch,
		    "cấp '%.20s' không phải một trong province, department, "
		    "commune, centre, other",
		    "level '%.20s' is not one of province, department, "
		    "commune, centre, other",
		    level ? level : "");
	if (stat_code != NULL && stat_code[0] != '\0' &&
	    !is_stat_code(stat_code))
		return setup_bad(ch,
		    "mã thống kê '%.20s' phải là 1 đến %d chữ số",
		    "stat_code '%.20s' must be 1 to %d digits", stat_code,
		    UNIT_STAT_CODE_MAX);
	return 0;
}

/* 0 active, 1 unknown, 2 disabled, -1 error. */
static int
unit_state(struct db *db, const char *code)
{
	int64_t active;
	int rc = db_int(
	    db, &active, "SELECT active FROM units WHERE code = ?", "t", code);

	if (rc != 0)
		return rc;
	return active ? 0 : 2;
}

int
units_add(struct db *db, struct change *ch, const char *code, const char *name,
    const char *level, const char *parent, const char *stat_code)
{
	bool top = parent == NULL || parent[0] == '\0';
	bool has_stat = stat_code != NULL && stat_code[0] != '\0';
	int rc;

	rc = check_unit_fields(ch, code, name, level, stat_code);
	if (rc != 0)
		return rc;
	if (!top && !is_unit_code(parent, strlen(parent)))
		return setup_bad(ch,
		    "đơn vị cấp trên '%.40s' không đúng dạng mã đơn vị",
		    "parent '%.40s' is not a unit code", parent);
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = unit_state(db, code);
	if (rc < 0)
		return setup_fail(db, ch);
	if (rc != 1) {
		db_rollback(db);
		return setup_bad(ch, "mã đơn vị '%s' đã có",
		    "unit code '%s' is taken", code);
	}
	if (!top) {
		rc = unit_state(db, parent);
		if (rc < 0)
			return setup_fail(db, ch);
		if (rc == 1) {
			db_rollback(db);
			return setup_bad(ch, "không có đơn vị cấp trên '%s'",
			    "no parent unit '%s'", parent);
		}
		if (rc == 2) {
			db_rollback(db);
			return setup_bad(ch,
			    "đơn vị cấp trên '%s' đã ngừng hoạt động",
			    "parent unit '%s' is disabled", parent);
		}
	}
	if (db_run(db,
		"INSERT INTO units(code, name, level, parent, stat_code) "
		"VALUES (?, ?, ?, ?, ?)",
		"ttttt", code, name, level, top ? NULL : parent,
		has_stat ? stat_code : NULL) < 0 ||
	    refdata_rebuild_tree(db) < 0 ||
	    setup_audit(db, ch, "unit.add", code,
		json_pack("{s:s, s:s, s:s?, s:s?}", "name", name, "level",
		    level, "parent", top ? NULL : parent, "stat_code",
		    has_stat ? stat_code : NULL)) < 0)
		return setup_fail(db, ch);
	return setup_commit(db, ch);
}

int
units_rename(
    struct db *db, struct change *ch, const char *code, const char *name)
{
	struct unit_info u;
	int rc;

	if (code == NULL || !is_unit_code(code, strlen(code)))
		return bad_code(ch, code ? code : "");
	if (name == NULL ||
	    !text_is_clean_line(name, strlen(name), UNIT_NAME_MAX))
		return bad_name(ch, name ? name : "", UNIT_NAME_MAX);
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = units_get(db, code, &u);
	if (rc < 0)
		return setup_fail(db, ch);
	if (rc == 1) {
		db_rollback(db);
		return setup_bad(
		    ch, "không có đơn vị '%s'", "no unit '%s'", code);
	}
	if (db_run(db, "UPDATE units SET name = ? WHERE code = ?", "tt", name,
		code) < 0 ||
	    setup_audit(db, ch, "unit.rename", code,
		json_pack("{s:s, s:s}", "name", name, "old", u.name)) < 0)
		return setup_fail(db, ch);
	return setup_commit(db, ch);
}

int
units_disable(struct db *db, struct change *ch, const char *code)
{
	struct db_stmt *st;
	struct buf below = { 0 };
	int64_t now = hl_now();
	int rc, n = 0;

	if (code == NULL || !is_unit_code(code, strlen(code)))
		return bad_code(ch, code ? code : "");
	if (db_begin(db) < 0)
		return setup_dberr(ch, db);
	rc = unit_state(db, code);
	if (rc < 0)
		return setup_fail(db, ch);
	if (rc != 0) {
		db_rollback(db);
		return rc == 1 ? setup_bad(ch, "không có đơn vị '%s'",
				     "no unit '%s'", code)
			       : setup_bad(ch, "đơn vị '%s' đã ngừng hoạt động",
				     "unit '%s' is disabled already", code);
	}
	st = db_query(db,
	    "SELECT code FROM units WHERE parent = ? AND active = 1 "
	    "ORDER BY code",
	    "t", code);
	if (st == NULL)
		return setup_fail(db, ch);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ < 3)
			buf_printf(&below, "%s%s", n > 1 ? ", " : "",
			    db_col_text(st, 0));
	}
	db_done(st);
	if (rc < 0) {
		buf_release(&below);
		return setup_fail(db, ch);
	}
	if (n > 0) {
		db_rollback(db);
		setup_bad(ch,
		    "đơn vị '%s' còn đơn vị trực thuộc đang hoạt động "
		    "(%s%s): hãy ngừng chúng trước",
		    "unit '%s' has active units below it (%s%s): disable "
		    "them first",
		    code, buf_str(&below), n > 3 ? ", ..." : "");
		buf_release(&below);
		return SETUP_BAD;
	}
	buf_release(&below);
	/* its counters' open duties end with it: nobody serves there now */
	if (db_run(db,
		"UPDATE units SET active = 0, disabled_at = ? WHERE code = ?",
		"lt", now, code) < 0 ||
	    db_run(db,
		"UPDATE duty SET ended_at = max(?, started_at + 1), "
		"ended_by = ? WHERE unit = ? AND ended_at IS NULL",
		"ltt", now, ch->actor, code) < 0 ||
	    setup_audit(db, ch, "unit.disable", code,
		json_pack("{s:I}", "disabled_at", (json_int_t)now)) < 0)
		return setup_fail(db, ch);
	return setup_commit(db, ch);
}

int
units_list(struct db *db, const char *under,
    int (*fn)(void *arg, const struct unit_row *u), void *arg)
{
	struct db_stmt *st;
	struct unit_row u;
	int rc;

	if (under != NULL) {
		rc = unit_state(db, under);
		if (rc < 0 || rc == 1)
			return rc;
	}
	/* the path orders parents before children, siblings by code */
	st = db_query(db,
	    "WITH RECURSIVE t(code, depth, path) AS ("
	    " SELECT code, 0, code FROM units"
	    "  WHERE (?1 IS NULL AND parent IS NULL) OR code = ?1"
	    " UNION ALL"
	    " SELECT u.code, t.depth + 1, t.path || char(1) || u.code"
	    "  FROM units u JOIN t ON u.parent = t.code WHERE t.depth < 32)"
	    " SELECT u.code, u.name, u.level, coalesce(u.parent, ''),"
	    " coalesce(u.stat_code, ''), u.active, t.depth"
	    " FROM t JOIN units u ON u.code = t.code ORDER BY t.path",
	    "t", under);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&u, 0, sizeof(u));
		strlcpy_hl(u.code, db_col_text(st, 0), sizeof(u.code));
		strlcpy_hl(u.name, db_col_text(st, 1), sizeof(u.name));
		strlcpy_hl(u.level, db_col_text(st, 2), sizeof(u.level));
		strlcpy_hl(u.parent, db_col_text(st, 3), sizeof(u.parent));
		strlcpy_hl(
		    u.stat_code, db_col_text(st, 4), sizeof(u.stat_code));
		u.active = db_col_int(st, 5) != 0;
		u.depth = (int)db_col_int(st, 6);
		if (fn(arg, &u) != 0) {
			rc = DB_DONE;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- import --------------------------------------------------------------- */

#define IMPORT_ROWS_MAX 200000
#define IMPORT_ERR 320

/* One line of the file. */
struct imp_row {
	int line;
	char *f[5]; /* code, name, level, parent_code, stat_code; "" absent */
	char *err;  /* "ORIGIN:LINE: column: what", NULL while good */
	bool keep;  /* within --only */
	bool exists, db_active;
};

/* A unit of the final graph: the database's, overridden by the file. */
struct imp_node {
	const char *code, *parent; /* borrowed; parent "" at the top */
	bool active;
	int row; /* index in the file, -1 for the database's */
};

struct imp {
	struct change *ch;
	const char *origin;
	struct imp_row *rows;
	size_t n, cap;
	struct imp_node *db; /* the database's units, by code */
	size_t ndb;
	struct imp_node *nodes; /* the final graph, by code */
	size_t nnodes;
};

static const char *const import_cols[5] = { "code", "name", "level",
	"parent_code", "stat_code" };

/* Say what is wrong with a row, in the change's language. */
static void row_bad(struct imp *im, struct imp_row *r, const char *col,
    const char *vi, const char *en, ...) __attribute__((format(printf, 4, 6)));

static void
row_bad(struct imp *im, struct imp_row *r, const char *col, const char *vi,
    const char *en, ...)
{
	va_list ap;
	int n;

	if (r->err != NULL)
		return;
	r->err = xmalloc(IMPORT_ERR);
	n = snprintf(r->err, IMPORT_ERR, "%s:%d: %s%s", im->origin, r->line,
	    col != NULL ? col : "", col != NULL ? ": " : "");
	if (n < 0 || n >= IMPORT_ERR)
		return;
	va_start(ap, en);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(r->err + n, IMPORT_ERR - (size_t)n,
	    im->ch->lang == LANG_VI ? vi : en, ap);
#pragma GCC diagnostic pop
	va_end(ap);
}

static int
node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct imp_node *)a)->code,
	    ((const struct imp_node *)b)->code);
}

static struct imp_node *
node_find(struct imp_node *nodes, size_t n, const char *code)
{
	struct imp_node key = { code, NULL, false, -1 };

	return n == 0 ? NULL : bsearch(&key, nodes, n, sizeof(key), node_cmp);
}

/* Read the whole file into im->rows.  0, or SETUP_BAD for the header. */
static int
import_read(struct imp *im, const char *csv, size_t len)
{
	struct csv c;
	struct csv_record rec;
	int ncols, rc;

	csv_init(&c, csv, len);
	if (csv_next(&c, &rec) != 1 || rec.n < 4 || rec.n > 5)
		goto bad_header;
	for (int i = 0; i < rec.n; i++)
		if (strcmp(rec.f[i], import_cols[i]) != 0)
			goto bad_header;
	ncols = rec.n;
	while ((rc = csv_next(&c, &rec)) != 0) {
		struct imp_row *r;

		if (rc == 1 && rec.n == 1 && rec.len[0] == 0)
			continue;
		if (im->n == im->cap) {
			im->cap = im->cap ? 2 * im->cap : 64;
			im->rows = xrealloc(im->rows, im->cap * sizeof(*r));
		}
		r = &im->rows[im->n++];
		memset(r, 0, sizeof(*r));
		r->line = rec.line;
		r->keep = true;
		if (rc < 0) {
			row_bad(im, r, NULL, "%s", "%s", c.error);
		} else if (rec.n != ncols) {
			row_bad(im, r, NULL, "cần %d trường, có %d",
			    "expected %d fields, got %d", ncols, rec.n);
		}
		for (int i = 0; i < 5; i++)
			r->f[i] = xstrdup(
			    rc == 1 && i < rec.n && i < ncols ? rec.f[i] : "");
		if (im->n > IMPORT_ROWS_MAX) {
			csv_release(&c);
			return setup_bad(im->ch, "%s: hơn %d dòng",
			    "%s: more than %d lines", im->origin,
			    IMPORT_ROWS_MAX);
		}
	}
	csv_release(&c);
	return 0;
bad_header:
	csv_release(&c);
	return setup_bad(im->ch,
	    "%s:1: dòng tiêu đề phải là code,name,level,parent_code "
	    "(và stat_code nếu có)",
	    "%s:1: the header must be code,name,level,parent_code "
	    "(and optionally stat_code)",
	    im->origin);
}

/* Load the database's units into im->db.  0 or -1. */
static int
import_load_db(struct imp *im, struct db *db)
{
	struct db_stmt *st = db_query(
	    db, "SELECT code, coalesce(parent, ''), active FROM units", "");
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (im->ndb == cap) {
			cap = cap ? 2 * cap : 256;
			im->db = xrealloc(im->db, cap * sizeof(*im->db));
		}
		im->db[im->ndb].code = xstrdup(db_col_text(st, 0));
		im->db[im->ndb].parent = xstrdup(db_col_text(st, 1));
		im->db[im->ndb].active = db_col_int(st, 2) != 0;
		im->db[im->ndb].row = -1;
		im->ndb++;
	}
	db_done(st);
	if (im->ndb > 0)
		qsort(im->db, im->ndb, sizeof(*im->db), node_cmp);
	return rc < 0 ? -1 : 0;
}

/* The final graph: the database's units, then the good kept rows. */
static void
import_graph(struct imp *im)
{
	size_t n = 0;

	free(im->nodes);
	im->nodes = xcalloc(im->ndb + im->n + 1, sizeof(*im->nodes));
	for (size_t i = 0; i < im->ndb; i++)
		im->nodes[n++] = im->db[i];
	for (size_t i = 0; i < im->n; i++) {
		struct imp_row *r = &im->rows[i];
		struct imp_node *d;

		if (!r->keep || r->err != NULL)
			continue;
		d = node_find(im->db, im->ndb, r->f[0]);
		/* a unit of the database keeps its state; a new one is active */
		im->nodes[n].code = r->f[0];
		im->nodes[n].parent = r->f[3];
		im->nodes[n].active = d != NULL ? d->active : true;
		im->nodes[n].row = (int)i;
		n++;
	}
	qsort(im->nodes, n, sizeof(*im->nodes), node_cmp);
	/* a row replaces the database's unit of the same code */
	im->nnodes = 0;
	for (size_t i = 0; i < n; i++) {
		if (im->nnodes > 0 &&
		    strcmp(im->nodes[im->nnodes - 1].code, im->nodes[i].code) ==
			0) {
			if (im->nodes[i].row >= 0)
				im->nodes[im->nnodes - 1] = im->nodes[i];
			continue;
		}
		im->nodes[im->nnodes++] = im->nodes[i];
	}
}

/* --only: keep the rows of `only` and of the units below it in the file. */
static void
import_only(struct imp *im, const char *only)
{
	struct imp_node *byrow = xcalloc(im->n + 1, sizeof(*byrow));
	size_t n = 0;

	for (size_t i = 0; i < im->n; i++)
		byrow[n++] = (struct imp_node){ im->rows[i].f[0],
			im->rows[i].f[3], true, (int)i };
	qsort(byrow, n, sizeof(*byrow), node_cmp);
	for (size_t i = 0; i < im->n; i++) {
		const char *code = im->rows[i].f[0];
		const char *parent = im->rows[i].f[3];
		size_t steps = 0;

		im->rows[i].keep = false;
		for (;;) {
			struct imp_node *p;

			if (strcmp(code, only) == 0) {
				im->rows[i].keep = true;
				break;
			}
			if (parent[0] == '\0' || ++steps > im->n)
				break;
			p = node_find(byrow, n, parent);
			if (p == NULL) {
				im->rows[i].keep = strcmp(parent, only) == 0;
				break;
			}
			code = p->code;
			parent = p->parent;
		}
	}
	free(byrow);
}

/* The checks of one row alone (import_cols[] name the columns). */
static void
import_check_row(struct imp *im, struct imp_row *r)
{
	const char *const *f = (const char *const *)r->f;

	if (!is_unit_code(f[0], strlen(f[0])))
		row_bad(im, r, "code",
		    "'%.40s' không đúng dạng mã đơn vị (ví dụ H21 hoặc "
		    "H21.227)",
		    "'%.40s' is not a unit code (like H21 or H21.227)", f[0]);
	else if (strlen(f[1]) > UNIT_NAME_MAX)
		row_bad(im, r, "name", "dài quá %d byte",
		    "longer than %d bytes", UNIT_NAME_MAX);
	else if (!text_is_clean_line(f[1], strlen(f[1]), UNIT_NAME_MAX))
		row_bad(im, r, "name",
		    "trống, có ký tự điều khiển hoặc không phải UTF-8%s",
		    "empty, with control characters or not UTF-8%s", "");
	else if (!is_unit_level(f[2]))
		row_bad(im, r, "level",
		    "'%.20s' không phải một trong province, department, "
		    "commune, centre, other",
		    "'%.20s' is not one of province, department, commune, "
		    "centre, other",
		    f[2]);
	else if (f[3][0] != '\0' && !is_unit_code(f[3], strlen(f[3])))
		row_bad(im, r, "parent_code",
		    "'%.40s' không đúng dạng mã đơn vị",
		    "'%.40s' is not a unit code", f[3]);
	else if (strcmp(f[0], f[3]) == 0)
		row_bad(im, r, "parent_code",
		    "một đơn vị không thể là cấp trên của chính nó%s",
		    "a unit cannot be its own parent%s", "");
	else if (f[4][0] != '\0' && !is_stat_code(f[4]))
		row_bad(im, r, "stat_code", "'%.20s' phải là 1 đến %d chữ số",
		    "'%.20s' must be 1 to %d digits", f[4], UNIT_STAT_CODE_MAX);
}

/* Duplicate codes among the kept rows: the later line is bad. */
static void
import_check_duplicates(struct imp *im)
{
	struct imp_node *byrow = xcalloc(im->n + 1, sizeof(*byrow));
	size_t n = 0;

	for (size_t i = 0; i < im->n; i++)
		if (im->rows[i].keep && im->rows[i].err == NULL)
			byrow[n++] = (struct imp_node){ im->rows[i].f[0], "",
				true, (int)i };
	qsort(byrow, n, sizeof(*byrow), node_cmp);
	for (size_t i = 1; i < n; i++) {
		struct imp_row *a = &im->rows[byrow[i - 1].row];
		struct imp_row *b = &im->rows[byrow[i].row];

		if (strcmp(a->f[0], b->f[0]) != 0)
			continue;
		if (a->line > b->line) {
			struct imp_row *t = a;

			a = b;
			b = t;
		}
		row_bad(im, b, "code", "'%s' đã có ở dòng %d",
		    "'%s' is also on line %d", b->f[0], a->line);
	}
	free(byrow);
}

/*
 * The checks of the final graph: every parent known and active, no
 * cycle.  The number of rows found bad.
 */
static int
import_check_graph(struct imp *im)
{
	int bad = 0;

	import_graph(im);
	for (size_t i = 0; i < im->n; i++) {
		struct imp_row *r = &im->rows[i];
		struct imp_node *p;
		const char *at;
		size_t steps = 0;

		if (!r->keep || r->err != NULL || r->f[3][0] == '\0')
			continue;
		p = node_find(im->nodes, im->nnodes, r->f[3]);
		if (p == NULL) {
			row_bad(im, r, "parent_code",
			    "không có đơn vị '%s' trong cơ sở dữ liệu hay "
			    "trong tệp",
			    "no unit '%s' in the database or the file",
			    r->f[3]);
			bad++;
			continue;
		}
		if (!p->active) {
			row_bad(im, r, "parent_code",
			    "đơn vị '%s' đã ngừng hoạt động",
			    "unit '%s' is disabled", r->f[3]);
			bad++;
			continue;
		}
		for (at = p->parent; at[0] != '\0' && steps <= im->nnodes;
		     steps++) {
			if (strcmp(at, r->f[0]) == 0) {
				row_bad(im, r, "parent_code",
				    "'%s' tạo thành vòng lặp: '%s' nằm dưới "
				    "'%s'",
				    "'%s' makes a cycle: '%s' is below '%s'",
				    r->f[3], r->f[3], r->f[0]);
				bad++;
				break;
			}
			p = node_find(im->nodes, im->nnodes, at);
			if (p == NULL)
				break;
			at = p->parent;
		}
	}
	return bad;
}

static void
import_release(struct imp *im)
{
	for (size_t i = 0; i < im->n; i++) {
		for (int j = 0; j < 5; j++)
			free(im->rows[i].f[j]);
		free(im->rows[i].err);
	}
	free(im->rows);
	for (size_t i = 0; i < im->ndb; i++) {
		free((char *)(uintptr_t)im->db[i].code);
		free((char *)(uintptr_t)im->db[i].parent);
	}
	free(im->db);
	free(im->nodes);
}

/* Write the good kept rows.  0 or -1. */
static int
import_write(struct imp *im, struct db *db, struct units_import_counts *counts)
{
	for (size_t i = 0; i < im->n; i++) {
		struct imp_row *r = &im->rows[i];

		if (!r->keep)
			continue;
		if (r->err != NULL) {
			counts->skipped++;
			continue;
		}
		if (node_find(im->db, im->ndb, r->f[0]) != NULL)
			counts->updated++;
		else
			counts->added++;
		/* an empty stat_code keeps the one known */
		if (db_run(db,
			"INSERT INTO units(code, name, level, parent, "
			"stat_code) VALUES (?, ?, ?, ?, ?) ON CONFLICT(code) "
			"DO UPDATE SET name = excluded.name, level = "
			"excluded.level, parent = excluded.parent, stat_code = "
			"coalesce(excluded.stat_code, stat_code)",
			"ttttt", r->f[0], r->f[1], r->f[2],
			r->f[3][0] ? r->f[3] : NULL,
			r->f[4][0] ? r->f[4] : NULL) < 0)
			return -1;
	}
	return 0;
}

int
units_import(struct db *db, struct change *ch, const char *csv, size_t len,
    const char *origin, const char *only, bool skip_bad,
    struct units_import_counts *counts)
{
	struct imp im = { .ch = ch, .origin = origin };
	struct imp_row *first = NULL;
	size_t kept = 0;
	int rc;

	memset(counts, 0, sizeof(*counts));
	if (only != NULL && !is_unit_code(only, strlen(only)))
		return bad_code(ch, only);
	rc = import_read(&im, csv, len);
	if (rc != 0)
		goto out;
	if (only != NULL)
		import_only(&im, only);
	for (size_t i = 0; i < im.n; i++) {
		if (!im.rows[i].keep)
			continue;
		kept++;
		import_check_row(&im, &im.rows[i]);
	}
	if (kept == 0) {
		rc = only != NULL
		    ? setup_bad(ch, "%s: không có đơn vị '%s' trong tệp",
			  "%s: no unit '%s' in the file", origin, only)
		    : setup_bad(ch, "%s: tệp không có đơn vị nào",
			  "%s: the file has no unit", origin);
		goto out;
	}
	import_check_duplicates(&im);
	if (db_begin(db) < 0) {
		rc = setup_dberr(ch, db);
		goto out;
	}
	if (import_load_db(&im, db) < 0)
		goto dberr;
	/* a row left out may leave its children without a parent */
	while (import_check_graph(&im) > 0 && skip_bad)
		;
	for (size_t i = 0; i < im.n; i++)
		if (im.rows[i].keep && im.rows[i].err != NULL &&
		    (first == NULL || im.rows[i].line < first->line))
			first = &im.rows[i];
	if (first != NULL && !skip_bad) {
		db_rollback(db);
		strlcpy_hl(ch->err, first->err, ch->errlen);
		rc = SETUP_BAD;
		goto out;
	}
	if (db_exec(db, "PRAGMA defer_foreign_keys = ON") < 0 ||
	    import_write(&im, db, counts) < 0 || refdata_rebuild_tree(db) < 0)
		goto dberr;
	if (counts->added + counts->updated == 0) {
		/* every line was bad: say which came first */
		db_rollback(db);
		rc = SETUP_BAD;
		strlcpy_hl(
		    ch->err, first != NULL ? first->err : origin, ch->errlen);
		goto out;
	}
	if (setup_audit(db, ch, "unit.import", only != NULL ? only : "",
		json_pack("{s:s, s:s?, s:i, s:i, s:i}", "file", origin, "only",
		    only, "added", counts->added, "updated", counts->updated,
		    "skipped", counts->skipped)) < 0)
		goto dberr;
	rc = setup_commit(db, ch);
	/* what was left out, for the caller to show */
	if (rc == 0 && first != NULL)
		strlcpy_hl(ch->err, first->err, ch->errlen);
	else if (rc == 0 && ch->errlen > 0)
		ch->err[0] = '\0';
	goto out;
dberr:
	rc = setup_fail(db, ch);
out:
	if (rc != 0)
		memset(counts, 0, sizeof(*counts));
	import_release(&im);
	return rc;
}
