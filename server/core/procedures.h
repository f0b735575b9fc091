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

#endif
