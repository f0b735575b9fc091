/* dblock.h -- who may use a database file: a lock beside SQLite's own. */
#ifndef HAILONG_DBLOCK_H
#define HAILONG_DBLOCK_H

#include <stddef.h>

struct dblock;

enum dblock_mode {
	DBLOCK_SHARED,    /* the server and commands that read or write */
	DBLOCK_EXCLUSIVE, /* restore: nobody else at all */
};

/*
 * Take an advisory lock (flock(2)) on the database file itself, without
 * waiting.  Every hailong process that works on a database holds it
 * shared; `hailong restore` needs it exclusive, so it cannot swap a file
 * that a server is using, and a server cannot start on a file being
 * restored.  It is independent of SQLite's own (fcntl) locks, and works
 * even when the file is too damaged for SQLite to open.
 *
 * New: dblock_release().  NULL with err filled: the file is missing
 * ("run 'hailong init'"), or in use (who would conflict is named).
 */
struct dblock *
dblock_take(const char *path, enum dblock_mode mode, char *err, size_t errlen);

/* Drop the lock; accepts NULL. */
void dblock_release(struct dblock *l);

#endif
