/* refdata.h -- units and procedures from CSV, and the demo data set. */
#ifndef HAILONG_REFDATA_H
#define HAILONG_REFDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/i18n.h"

struct csv_record;
struct db;

/*
 * Load units.csv (code,name,level,parent_code) or procedures.csv
 * (code,name,field,level), inserting new rows and updating names of
 * existing ones, in one transaction; the units' closure table is rebuilt.
 * `origin` names the input in errors ("data/units.csv:12: code: ...").
 * Returns the number of rows, or -1 with err filled.
 */
int refdata_load_units(struct db *db, const char *csv, size_t len,
    const char *origin, char *err, size_t errlen);
int refdata_load_procedures(struct db *db, const char *csv, size_t len,
    const char *origin, char *err, size_t errlen);

/*
 * Check one row of procedures.csv (code,name,field,level), as read by
 * csv.h: a mã TTHC, a name of 1..500 bytes, a field of at most 200 and a
 * level of at most 20, each clean UTF-8 on one line.  0, or -1 with
 * "ORIGIN:LINE: column: what is wrong" in err, in `lang`.
 */
int refdata_check_procedure(const struct csv_record *rec, const char *origin,
    enum lang lang, char *err, size_t errlen);

/* The copies of data/units.csv and data/procedures.csv in the binary. */
int refdata_load_builtin(struct db *db, char *err, size_t errlen);

/* One of the levels units.level allows: province, department, commune,
 * centre, other. */
bool is_unit_level(const char *s);

/* Rebuild unit_tree from units.parent.  0 or -1. */
int refdata_rebuild_tree(struct db *db);

#define DEMO_UNIT "H21.227"

/*
 * The demo: counters 1-3 and four officers of H21.227 (UBND xã Vân
 * Canh) and its procedure list (the commune-level ones).  Idempotent.
 */
int refdata_load_demo(struct db *db, char *err, size_t errlen);

#endif
