/* procedures.h -- the reference procedures and their fields (lĩnh vực). */
#ifndef HAILONG_PROCEDURES_H
#define HAILONG_PROCEDURES_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct db;

/* A set of procedure codes, sorted.  The zero value is empty. */
struct procedure_codes {
	char **v;
	size_t n;
};

/*
 * Append procedure code's name to name, and its field to field (when
 * not NULL).  0, 1 when there is no such procedure (nothing appended),
 * -1 on a database error.
 */
int procedures_get(
    struct db *db, const char *code, struct buf *name, struct buf *field);

/* Whether some procedure is of `field`. */
bool procedures_has_field(struct db *db, const char *field);

/*
 * Call fn for each field some procedure has (not ""), in order.  0, or
 * -1 on a database error (after the fields read so far).
 */
int procedures_each_field(
    struct db *db, void (*fn)(void *arg, const char *field), void *arg);

/*
 * The codes of the procedures of `field`, in one query, into *out
 * (procedure_codes_release() it).  0, or -1 on a database error (*out
 * holds those read so far).
 */
int procedures_of_field(
    struct db *db, const char *field, struct procedure_codes *out);

/* Whether code is in the set. */
bool procedure_codes_has(const struct procedure_codes *set, const char *code);

void procedure_codes_release(struct procedure_codes *set);

/* ---- setup (issue 16): every change audited, see setup.h ---- */

struct change;

/*
 * Upsert the catalogue from CSV with the columns of data/procedures.csv
 * (code,name,field,level), checked whole first; a bad line refuses the
 * file with "ORIGIN:LINE: column: what is wrong".  *rows gets the number
 * of rows.  One transaction, one audit entry.
 */
int procedures_import(struct db *db, struct change *ch, const char *csv,
    size_t len, const char *origin, int *rows);

/*
 * Which procedures a unit handles (counter 0), or one of its counters
 * (counter > 0: within the unit's, or any when the unit lists none).
 * `codes` (n of them, may be 0) and every procedure of `field` (NULL
 * for none) are assigned, or unassigned.  An unknown code or field
 * refuses the whole call.  *changed gets the rows added or removed.
 */
int procedures_assign(struct db *db, struct change *ch, const char *unit,
    int counter, const char *const *codes, size_t n, const char *field,
    int *changed);
int procedures_unassign(struct db *db, struct change *ch, const char *unit,
    int counter, const char *const *codes, size_t n, const char *field,
    int *changed);

struct procedure_row {
	char code[33];
	char name[1001];
	char field[201];
	char level[21];
	bool assigned; /* to the unit (or counter) asked about */
};

/*
 * The procedures assigned to `unit` (counter 0) or to one of its
 * counters, by field then code; with `all`, the whole catalogue with
 * `assigned` set.  `q` (NULL for none) keeps those whose code, name or
 * field contains it (case-insensitive for ASCII, diacritics as typed).
 * fn returning non-zero stops.  0 or -1.
 */
int procedures_list(struct db *db, const char *unit, int counter, bool all,
    const char *q, int (*fn)(void *arg, const struct procedure_row *p),
    void *arg);

/* ---- what a citizen may rate (the form) ---- */

/*
 * Whether `unit` offers procedure `code`: a procedure of the catalogue
 * that the unit lists, or any when the unit lists none.
 */
bool procedures_offered_by(struct db *db, const char *unit, const char *code);

/*
 * The procedures `unit` offers (every one when it lists none), by field
 * then code, filtered by `q` as procedures_list() does.  A counter's own
 * are procedures_list(db, unit, counter, false, ...).  0 or -1.
 */
int procedures_offered(struct db *db, const char *unit, const char *q,
    int (*fn)(void *arg, const struct procedure_row *p), void *arg);

#endif
