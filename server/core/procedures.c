/* procedures.c -- the reference procedures and their fields (lĩnh vực). */
#include <stdlib.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/util.h"
#include "core/procedures.h"

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
