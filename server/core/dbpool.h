/* dbpool.h -- one database connection per HTTP thread. */
#ifndef HAILONG_DBPOOL_H
#define HAILONG_DBPOOL_H

struct db;
struct dbpool;

/*
 * Connections to `path`, one per thread that asks, opened on first use
 * and kept for the thread's life.  A request uses its thread's
 * connection only while its handler runs, so a request waiting for the
 * writer (suspended) holds none, and no request ever waits for one.
 * New: dbpool_free().
 */
struct dbpool *dbpool_new(const char *path);
/* Close every connection; only after the threads that used them ended. */
void dbpool_free(struct dbpool *p);
/* This thread's connection; NULL when the file cannot be opened (logged). */
struct db *dbpool_thread_db(struct dbpool *p);
/* Roll back a transaction a handler left open (a bug, but never a lock). */
void dbpool_release(struct db *db);

#endif
