/* writer.h -- the one thread that stores ratings, many per fsync. */
#ifndef HAILONG_WRITER_H
#define HAILONG_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/rating.h"
#include "core/writer_hooks.h"

struct db;
struct writer;

enum writer_result {
	WRITER_STORED,       /* committed: on disk */
	WRITER_DUPLICATE,    /* same id, same content: already on disk */
	WRITER_CONFLICT,     /* same id, different content: refused */
	WRITER_DOSSIER_USED, /* the dossier token was used already */
	WRITER_REJECTED,     /* the database refused it (unknown unit...) */
	WRITER_UNAVAILABLE,  /* not stored: disk full, I/O error, stopping */
	/*
	 * refused: rated in a month folded into counts (fold.h), and not
	 * stored already (a rating kept raw sent again is a DUPLICATE)
	 */
	WRITER_FOLDED,
};

struct writer_job;
typedef void (*writer_done_fn)(struct writer_job *job);

/*
 * One rating on its way to disk.  The submitter owns the job and must
 * keep it alive until done() is called: from the writer thread, after
 * the transaction that decides it has committed (or failed).  done()
 * should be quick (it delays the next batch): set a flag, resume a
 * connection.
 */
struct writer_job {
	struct rating rating; /* the submitter's; not modified */
	/*
	 * The officer a rating at a counter counts for when it names none
	 * and the duty log has nobody at its counter when it was given (a
	 * kiosk's registered officer); "" for none.  The writer settles
	 * the officer as it stores the rating: the rating's own, else the
	 * one on duty (duty.h), else this one.
	 */
	char default_officer[33];
	enum writer_result result;
	int64_t seq; /* the row, when STORED or DUPLICATE */
	writer_done_fn done;
	void *arg;
	struct writer_job *next; /* the writer's */
};

/*
 * Histogram buckets of the stats: bucket i counts the batches with a
 * size (or a COMMIT time) of at most WRITER_BATCH_BOUNDS[i] (or
 * WRITER_COMMIT_BOUNDS_US[i] microseconds) and above the bound before
 * it; the last bucket has no bound.  Not cumulative.
 */
#define WRITER_HIST 12
#define WRITER_BATCH_BOUNDS \
	{ \
		1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024 \
	}
#define WRITER_COMMIT_BOUNDS_US \
	{ \
		250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, \
		    250000, 1000000 \
	}
#define WRITER_CHANNELS 4 /* enum rating_channel */

struct writer_stats {
	uint64_t batches, stored, duplicates, failed;
	uint64_t commit_ns_total; /* time spent in COMMIT */
	unsigned last_batch, max_batch;
	bool disk_full; /* the last batch failed on a full disk */
	uint64_t jobs;  /* jobs in committed batches (sum of batch sizes) */
	uint64_t stored_by_channel[WRITER_CHANNELS];
	uint64_t batch_hist[WRITER_HIST];
	uint64_t commit_hist[WRITER_HIST];
};

/*
 * Open its own connection to `path` and start the thread.  `queue_max`
 * jobs may wait; beyond that writer_submit() refuses (backpressure).
 * NULL with err filled.
 */
struct writer *writer_start(const char *path, size_t queue_max,
    const struct writer_hooks *hooks, char *err, size_t errlen);
/*
 * Queue a job.  0, or -1 when the queue is full or the writer is
 * stopping (done() is then not called).
 */
int writer_submit(struct writer *w, struct writer_job *job);
/*
 * Store everything queued, commit and stop the thread; later submits are
 * refused.  Idempotent; accepts NULL.
 */
void writer_stop(struct writer *w);
/* Stop (if not yet) and free.  Accepts NULL. */
void writer_free(struct writer *w);
void writer_get_stats(struct writer *w, struct writer_stats *out);
/*
 * Whether the writer's connections were durable (synchronous FULL)
 * when its threads started; writer_start() refuses to start otherwise.
 */
bool writer_is_durable(const struct writer *w);
size_t writer_queue_depth(struct writer *w);

/*
 * Store jobs synchronously on the caller's connection in one
 * transaction, exactly as the thread does (CLI imports use this so that
 * every rating goes through one code path).  Calls done() for each.
 * 0, or -1 when the transaction failed (each job then UNAVAILABLE).
 */
int writer_store_batch(
    struct db *db, struct writer_job *jobs, const struct writer_hooks *hooks);

#endif
