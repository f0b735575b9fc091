/* units.c -- the units and their counters, as pages and reports name them. */
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/util.h"
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
