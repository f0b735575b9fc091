/* records.h -- flat records from CSV or a JSON array: the import files. */
#ifndef HAILONG_RECORDS_H
#define HAILONG_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "hailong/buf.h"

/*
 * Import files (dossiers, ratings) are tables of named values, as CSV
 * (UTF-8, RFC 4180, a header row, an optional BOM) or as a JSON array of
 * flat objects.  This reader turns either into records whose values sit
 * at the index of their name in the caller's list of known names.  It
 * parses untrusted bytes and touches neither network nor database.
 */

#define RECORD_MAX_KEYS 32
#define RECORD_MAX_ERRORS 8
#define RECORD_VALUE_MAX 8192 /* bytes per value */

enum records_format { RECORDS_CSV, RECORDS_JSON };

/*
 * A problem with one value, or (column "row") with the record as a whole
 * (a CSV line with the wrong number of fields, a JSON item that is not
 * an object).  An unknown JSON key is reported under its own name.
 */
struct field_error {
	char column[32];
	char message[160];
};

struct record {
	int line;   /* where it starts, 1-based */
	int index;  /* 0-based among the file's records (data rows) */
	size_t end; /* byte offset just after it (for progress bars) */
	/*
	 * value[i] is the value named keys[i]: NUL-terminated UTF-8 without
	 * NUL bytes, surrounding spaces trimmed; NULL when absent, empty or
	 * JSON null.  JSON integers come as decimal text, true/false as
	 * "1"/"0".  Borrowed until the callback returns.
	 */
	const char *value[RECORD_MAX_KEYS];
	/*
	 * Problems found (the record is then unusable): nerrors counts all
	 * of them, errors[] keeps the first RECORD_MAX_ERRORS.
	 */
	int nerrors;
	struct field_error errors[RECORD_MAX_ERRORS];
};

/*
 * Called for each record; it may add problems of its own to rec with
 * record_error().  Return 0 to go on, -1 to stop.
 */
typedef int (*record_fn)(void *arg, struct record *rec);

/*
 * JSON when `name` ends in ".json", CSV when in ".csv"; otherwise JSON
 * when the first byte after a BOM and white space is '[', else CSV.
 */
enum records_format
records_guess(const char *name, const char *buf, size_t len);

/*
 * Read buf[0..len) as `fmt`, with `keys` the known names (NULL-ended, at
 * most RECORD_MAX_KEYS), and call fn for each record in order.  A CSV
 * header names columns in any order, each known and at most once; blank
 * lines are skipped.  A JSON array holds objects with known keys only.
 * Returns the number of records, or -1 with err "LINE: what" when the
 * file as a whole is unreadable (no header, an unknown column, JSON that
 * is not an array or breaks off): records before that point may have
 * been passed to fn already.  -1 too when fn stops (err then "").
 */
int records_parse(const char *buf, size_t len, enum records_format fmt,
    const char *const *keys, record_fn fn, void *arg, char *err, size_t errlen);

/* Add a problem to rec (counted always, kept if among the first few). */
void record_error(struct record *rec, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
