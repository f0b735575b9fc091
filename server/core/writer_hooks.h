/* writer_hooks.h -- what the writer calls in each batch's transaction. */
#ifndef HAILONG_WRITER_HOOKS_H
#define HAILONG_WRITER_HOOKS_H

#include <stdint.h>

struct db;
struct rating;

/*
 * Apart from writer.h so that a hook's module (rollup.c) needs nothing
 * of the writer, which stands above it (writer.c reads fold.h, fold.c
 * reads rollup.h).
 *
 * Optional work in the same transaction as the ratings it stores (the
 * monthly rollups): add() for each stored rating, flush() once before
 * COMMIT, reset() after a batch that failed (nothing of it is kept).
 * Each gets the context open() made: the writer thread opens one when
 * it starts and closes it when it stops; writer_store_batch() opens one
 * per call.  So each caller's state is its own, whatever the thread.
 * Each may be NULL (open: the context is NULL).  add() and flush()
 * return 0 or -1; -1 fails the whole batch.
 */
typedef int (*writer_hook_fn)(
    void *ctx, struct db *db, const struct rating *r, int64_t seq);

struct writer_hooks {
	void *(*open)(void); /* new: close() */
	void (*close)(void *ctx);
	writer_hook_fn add;
	int (*flush)(void *ctx, struct db *db);
	void (*reset)(void *ctx);
};

#endif
