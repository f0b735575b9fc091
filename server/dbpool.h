/* dbpool.h -- read connections shared by the HTTP threads. */
#ifndef HAILONG_DBPOOL_H
#define HAILONG_DBPOOL_H

#include <stddef.h>

struct db;
struct dbpool;

/* A pool of up to `max` connections to path, opened on demand.  New. */
struct dbpool *dbpool_new(const char *path, unsigned max);
/* Close every connection; none may be out.  Accepts NULL. */
void dbpool_free(struct dbpool *p);
/*
 * A connection for this request alone (blocks while all `max` are out).
 * NULL when the database cannot be opened (logged).  Give it back with
 * dbpool_put(); it comes back with no transaction open.
 */
struct db *dbpool_get(struct dbpool *p);
void dbpool_put(struct dbpool *p, struct db *db);

#endif
