/* db.h -- the one door to SQLite: connections, cached statements, errors. */
#ifndef HAILONG_DB_H
#define HAILONG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_open_flags {
	DB_READONLY = 1 << 0, /* open read-only */
	DB_CREATE = 1 << 1,   /* create the file if missing */
	/*
	 * this connection alone: locking_mode=EXCLUSIVE taken before the
	 * first read, no busy wait; fails with DB_ERR_BUSY (err says "in
	 * use") while any other connection has the file open
	 */
	DB_EXCLUSIVE = 1 << 2,
};

/* What went wrong, for callers that answer differently (disk full: 503). */
enum db_error {
	DB_OK,
	DB_ERR_FULL,       /* SQLITE_FULL: disk or quota full */
	DB_ERR_BUSY,       /* locked by another writer past the timeout */
	DB_ERR_CONSTRAINT, /* FOREIGN KEY, CHECK, NOT NULL */
	DB_ERR_UNIQUE,     /* a UNIQUE or PRIMARY KEY collision */
	DB_ERR_IO,         /* SQLITE_IOERR, SQLITE_CANTOPEN, read-only */
	DB_ERR_CORRUPT,    /* SQLITE_CORRUPT, SQLITE_NOTADB */
	DB_ERR_OTHER,
};

#define DB_ROW 1
#define DB_DONE 0

/*
 * Open a connection with the house settings: WAL, synchronous=FULL,
 * foreign keys on, a 5 s busy timeout, trusted_schema off.  Returns NULL
 * and writes "cannot open database 'x': why" into err (if not NULL,
 * errlen bytes) on failure.  New: close with db_close().
 */
struct db *db_open(const char *path, int flags, char *err, size_t errlen);
/*
 * Whether the connection's commits reach the disk before they return:
 * synchronous FULL (or EXTRA).  db_open() refuses
 * a connection that writes and is not; tests ask it of each opener.
 */
bool db_is_durable(struct db *db);
/* Finalize every cached statement and close; accepts NULL. */
void db_close(struct db *db);
/* Free what of the connection's page cache no statement holds (the
 * connection's own thread, or while no other uses it). */
void db_release_memory(struct db *db);
/* The path the connection was opened with.  Borrowed. */
const char *db_path(const struct db *db);

/* The last error of this connection. */
const char *db_errmsg(struct db *db);
enum db_error db_error(struct db *db);
/*
 * Make `msg` the connection's last error (DB_ERR_OTHER), as if a
 * statement had failed with it: for a check made in C inside code whose
 * caller reports db_errmsg().  The next failing call replaces it.
 */
void db_set_error(struct db *db, const char *msg);

/* Run one or more statements with no parameters and no rows. */
int db_exec(struct db *db, const char *sql);

/*
 * A prepared statement from the connection's cache (prepared on first
 * use).  It comes reset and without bindings; give it back with
 * db_done() before preparing the same SQL again.  NULL on failure
 * (logged).  Borrowed: the connection owns it.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql);

/*
 * Prepare and bind in one call.  `types` has one letter per parameter:
 *	i int		l int64_t	d double
 *	t const char * (NULL binds NULL)
 *	T const char *, size_t (text with a length)
 *	b const void *, size_t (blob)
 *	n nothing: binds NULL
 * NULL on failure (logged).
 */
struct db_stmt *
db_query(struct db *db, const char *sql, const char *types, ...);
/* db_query(), step once, db_done(): for statements without rows. */
int db_run(struct db *db, const char *sql, const char *types, ...);
/*
 * Run a query expected to return one integer.  Returns 0 and sets *out
 * when there is a row, 1 when there is none, -1 on error.
 */
int
db_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

int db_bind_int(struct db_stmt *st, int i, int64_t v);
int db_bind_double(struct db_stmt *st, int i, double v);
/* len < 0: strlen.  s NULL binds NULL.  The text is copied. */
int db_bind_text(struct db_stmt *st, int i, const char *s, long len);
int db_bind_blob(struct db_stmt *st, int i, const void *p, size_t len);
int db_bind_null(struct db_stmt *st, int i);

/* DB_ROW, DB_DONE, or -1 (logged). */
int db_step(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_double(struct db_stmt *st, int i);
/* NULL for SQL NULL.  Borrowed until the next step or db_done(). */
const char *db_col_text(struct db_stmt *st, int i);
const void *db_col_blob(struct db_stmt *st, int i, size_t *len);
bool db_col_is_null(struct db_stmt *st, int i);
/* Reset and clear the bindings; accepts NULL. */
void db_done(struct db_stmt *st);

/* Rows changed by the last statement, and the last inserted rowid. */
int db_changes(struct db *db);
int64_t db_last_rowid(struct db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

/* PRAGMA user_version. */
int db_user_version(struct db *db, int *out);
int db_set_user_version(struct db *db, int v);

/*
 * Copy the whole database into a new file at `dest` with SQLite's online
 * backup, a few pages at a time so writers are not held up.  0 or -1
 * with err filled.
 */
int db_backup(struct db *db, const char *dest, char *err, size_t errlen);

/*
 * Replace the whole content of `db` with that of `from` (SQLite's online
 * backup, in one step, as one transaction of `db`): `db` then holds a
 * page-for-page copy.  Both connections stay open and are the caller's.
 * 0 or -1 with err filled; on failure `db` is unchanged.
 */
int db_restore(struct db *db, struct db *from, char *err, size_t errlen);

/* The SQLite library version ("3.40.1"). */
const char *db_lib_version(void);

#endif
