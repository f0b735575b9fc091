/* csv.h -- RFC 4180 records from a buffer: quotes, CRLF, an optional BOM. */
#ifndef HAILONG_CSV_H
#define HAILONG_CSV_H

#include <stddef.h>

#include "hailong/buf.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 8192 /* bytes per field */

struct csv_record {
	int n;                         /* fields in this record */
	const char *f[CSV_MAX_FIELDS]; /* NUL-terminated, borrowed */
	size_t len[CSV_MAX_FIELDS];
	int line; /* line where the record starts (1-based) */
};

/*
 * A reader over buf[0..len) (borrowed; must outlive the reader).  The
 * zero value is not usable: call csv_init().  A UTF-8 BOM at the start
 * is skipped.
 */
struct csv {
	const char *p;
	size_t len, pos;
	int line;
	struct buf store; /* the current record's unquoted fields */
	char error[96];   /* why csv_next() returned -1 */
};

void csv_init(struct csv *c, const char *buf, size_t len);
void csv_release(struct csv *c);
/*
 * Read the next record.  Returns 1 with *rec filled (valid until the next
 * call), 0 at the end of input, -1 on a malformed record (an unclosed or
 * stray quote, too many fields, a field too long): c->error says why and
 * rec->line where; the reader resumes at the next line.  A blank line is
 * a record with one empty field.
 */
int csv_next(struct csv *c, struct csv_record *rec);
/* Byte offset reached, for progress bars. */
size_t csv_offset(const struct csv *c);

#endif
