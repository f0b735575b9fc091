/* writer.c -- the one thread that stores ratings, many per fsync. */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/duty.h"
#include "core/fold.h"
#include "core/ratings.h"
#include "core/writer.h"

#define BATCH_MAX 1024

_Static_assert(CHANNEL_IMPORT + 1 == WRITER_CHANNELS,
    "writer_stats counts every rating channel");

/*
 * Checkpoints (copying the WAL back into the database file, with its own
 * fsync) run on a thread of their own with a connection of their own, as
 * PASSIVE checkpoints that never block the writer: an automatic
 * checkpoint inside a COMMIT would stall every rating of that batch for
 * milliseconds.  Under sustained load a passive checkpoint can never
 * catch the tail, so when the WAL passes WAL_RESTART_BYTES the writer
 * itself restarts it between two batches.
 */
#define CHECKPOINT_EVERY_MS 200
/* Seconds without a batch after which the writer frees its page cache. */
#define WRITER_IDLE_S 1
#define WAL_RESTART_BYTES ((off_t)64 << 20)
#define WAL_CHECK_EVERY 64 /* batches */
/*
 * = WAL_RESTART_BYTES: a restarted WAL is cut back to it, no further (a
 * WAL that grows again makes every fdatasync write the inode too)
 */
#define JOURNAL_LIMIT "67108864"

struct writer {
	pthread_t thread;
	pthread_t checkpointer;
	bool has_checkpointer;
	struct db *ckpt_db;
	char *wal_path;
	unsigned batches_since_check;
	pthread_mutex_t lock;
	pthread_cond_t wake;            /* the writer: jobs, or stopping */
	pthread_cond_t tick;            /* the checkpointer: stopping */
	struct writer_job *head, *tail; /* FIFO */
	size_t depth, queue_max;
	bool stopping;
	struct db *db;
	const struct writer_hooks *hooks;
	struct writer_stats stats;
	bool durable; /* both connections, as the threads start */
};

/* The stored rating with job's key, compared: a duplicate or a conflict. */
static int
decide_existing(struct db *db, struct writer_job *job)
{
	struct rating old;
	int64_t seq;
	int rc;

	rating_init(&old);
	rc = ratings_load(db, job->rating.channel, job->rating.unit,
	    job->rating.id, &old, &seq);
	if (rc == 0) {
		job->seq = seq;
		job->result = ratings_same_as_stored(&job->rating, &old)
		    ? WRITER_DUPLICATE
		    : WRITER_CONFLICT;
	}
	rating_release(&old);
	return rc;
}

/*
 * The officer a rating at a counter counts for, when it names none
 * (METRICS.md "Which procedure and officer"): the one on duty at its
 * counter when it was given, else the job's default.  Settled once, here:
 * a stored rating is never attributed again.  r is job->rating, or *att
 * with the officer filled in.  0 or -1.
 */
static int
attribute(struct db *db, const struct writer_job *job, const struct rating **r,
    struct rating *att)
{
	char officer[33];
	int rc;

	*r = &job->rating;
	if (job->rating.counter <= 0 || job->rating.officer[0] != '\0')
		return 0;
	rc = duty_officer_at(db, job->rating.unit, job->rating.counter,
	    job->rating.rated_at, officer);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (job->default_officer[0] == '\0')
			return 0;
		strlcpy_hl(officer, job->default_officer, sizeof(officer));
	}
	/* a shallow copy: the comment stays the submitter's */
	*att = job->rating;
	strlcpy_hl(att->officer, officer, sizeof(att->officer));
	*r = att;
	return 0;
}

/*
 * Decide and (maybe) insert one job; the transaction is open.  -1: fatal
 * (the batch fails).  The insert comes first and the stored twin is read
 * only when the key collides: duplicates are rare, a lookup per rating is
 * not free.  A dossier token is checked first instead, so that the same
 * form sent twice is a duplicate, not a second rating of the dossier.
 */
static int
store_one(struct db *db, struct writer_job *job,
    const struct writer_hooks *hooks, void *ctx, struct chain_cursor *cur,
    int horizon)
{
	const struct rating *r = &job->rating;
	struct rating att;
	/* a comment or a phone: more rows, all or none of them */
	bool extras = (r->comment != NULL && r->comment[0] != '\0') ||
	    r->phone[0] != '\0';
	int64_t seq;
	int rc;

	if (fold_refuses(horizon, r->rated_at)) {
		/* the month is folded: only a row kept raw can answer */
		rc = decide_existing(db, job);
		if (rc == 1)
			job->result = WRITER_FOLDED;
		return rc < 0 ? -1 : 0;
	}
	if (r->dossier_token) {
		rc = decide_existing(db, job);
		if (rc <= 0)
			return rc; /* found (decided), or an error */
		if (r->status == STATUS_VALID &&
		    ratings_dossier_used(db, r->dossier)) {
			job->result = WRITER_DOSSIER_USED;
			return 0;
		}
	}
	if (attribute(db, job, &r, &att) < 0)
		return -1;
	if (extras && db_exec(db, "SAVEPOINT rating") < 0)
		return -1;
	if (ratings_insert(db, r, cur, &seq) < 0) {
		enum db_error e = db_error(db);

		if (extras &&
		    (db_exec(db, "ROLLBACK TO rating") < 0 ||
			db_exec(db, "RELEASE rating") < 0))
			return -1;
		if (e == DB_ERR_UNIQUE && !r->dossier_token)
			return decide_existing(db, job) == 0 ? 0 : -1;
		if (e == DB_ERR_CONSTRAINT || e == DB_ERR_UNIQUE) {
			/* statement-level rollback: the batch goes on */
			job->result = WRITER_REJECTED;
			return 0;
		}
		return -1;
	}
	if (extras && db_exec(db, "RELEASE rating") < 0)
		return -1;
	if (hooks != NULL && hooks->add != NULL &&
	    hooks->add(ctx, db, r, seq) < 0)
		return -1;
	job->seq = seq;
	job->result = WRITER_STORED;
	return 0;
}

static void
finish_all(struct writer_job *jobs)
{
	struct writer_job *j, *next;

	for (j = jobs; j != NULL; j = next) {
		next = j->next; /* done() may free the job */
		j->done(j);
	}
}

/* What one batch did, applied to the stats under the lock. */
struct batch_outcome {
	unsigned n, stored, duplicates;
	unsigned by_channel[WRITER_CHANNELS];
	uint64_t commit_ns;
	bool ok, disk_full;
};

/*
 * The transaction for one batch.  A failed batch (disk full, I/O error)
 * is answered UNAVAILABLE at once rather than retried here: the client
 * keeps the rating (the kiosk's outbox, the citizen's form) and the next
 * batch tries the disk again, so nothing waits on a disk that may not
 * recover and nothing acknowledged is lost.
 */
static void
store_batch(struct db *db, struct writer_job *jobs,
    const struct writer_hooks *hooks, void *ctx, struct batch_outcome *o)
{
	struct chain_cursor cur = { 0 };
	struct writer_job *j;
	int64_t t0;
	int horizon;

	memset(o, 0, sizeof(*o));
	if (db_begin(db) < 0)
		goto fail;
	/*
	 * Read under the write lock, once per batch: a fold run by another
	 * process has either committed its horizon before this batch (and
	 * is seen) or waits for it (and folds what it stores).
	 */
	horizon = fold_horizon(db);
	if (horizon < 0)
		goto fail;
	for (j = jobs; j != NULL; j = j->next) {
		o->n++;
		if (store_one(db, j, hooks, ctx, &cur, horizon) < 0)
			goto fail;
	}
	if (hooks != NULL && hooks->flush != NULL && hooks->flush(ctx, db) < 0)
		goto fail;
	t0 = hl_mono_ns();
	if (db_commit(db) < 0)
		goto fail;
	o->commit_ns = (uint64_t)(hl_mono_ns() - t0);
	for (j = jobs; j != NULL; j = j->next) {
		if (j->result == WRITER_STORED) {
			o->stored++;
			if ((unsigned)j->rating.channel < WRITER_CHANNELS)
				o->by_channel[j->rating.channel]++;
		} else if (j->result == WRITER_DUPLICATE)
			o->duplicates++;
	}
	o->ok = true;
	return;
fail:
	o->disk_full = db_error(db) == DB_ERR_FULL;
	if (hooks != NULL && hooks->reset != NULL)
		hooks->reset(ctx);
	log_msg(LOG_ERROR, "writer", "batch not stored: %s", db_errmsg(db));
	db_rollback(db);
	/* every job of the batch, also those after the failing one */
	o->n = 0;
	for (j = jobs; j != NULL; j = j->next) {
		j->result = WRITER_UNAVAILABLE;
		o->n++;
	}
}

static void *
hooks_open(const struct writer_hooks *hooks)
{
	return hooks != NULL && hooks->open != NULL ? hooks->open() : NULL;
}

static void
hooks_close(const struct writer_hooks *hooks, void *ctx)
{
	if (hooks != NULL && hooks->close != NULL)
		hooks->close(ctx);
}

int
writer_store_batch(
    struct db *db, struct writer_job *jobs, const struct writer_hooks *hooks)
{
	struct batch_outcome o;
	void *ctx = hooks_open(hooks);

	store_batch(db, jobs, hooks, ctx, &o);
	hooks_close(hooks, ctx);
	finish_all(jobs);
	return o.ok ? 0 : -1;
}

/* The bucket of v among n ascending bounds; n when above them all. */
static int
bucket(uint64_t v, const uint64_t *bounds, int n)
{
	int i = 0;

	while (i < n && v > bounds[i])
		i++;
	return i;
}

static void
apply_outcome(struct writer_stats *s, const struct batch_outcome *o)
{
	static const uint64_t batch_bounds[] = WRITER_BATCH_BOUNDS;
	static const uint64_t commit_bounds[] = WRITER_COMMIT_BOUNDS_US;

	if (o->ok) {
		s->jobs += o->n;
		for (int i = 0; i < WRITER_CHANNELS; i++)
			s->stored_by_channel[i] += o->by_channel[i];
		s->batch_hist[bucket(o->n, batch_bounds, WRITER_HIST - 1)]++;
		s->commit_hist[bucket(
		    o->commit_ns / 1000, commit_bounds, WRITER_HIST - 1)]++;
		s->batches++;
		s->commit_ns_total += o->commit_ns;
		s->stored += o->stored;
		s->duplicates += o->duplicates;
		s->last_batch = o->n;
		if (o->n > s->max_batch)
			s->max_batch = o->n;
	} else {
		s->failed += o->n;
	}
	s->disk_full = o->disk_full;
}

/* Between batches: restart a WAL that outgrew what passive checkpoints
 * could keep up with (they chase a tail that never stops moving). */
static void
wal_guard(struct writer *w)
{
	struct stat st;

	if (w->wal_path == NULL || ++w->batches_since_check < WAL_CHECK_EVERY)
		return;
	w->batches_since_check = 0;
	if (stat(w->wal_path, &st) == 0 && st.st_size > WAL_RESTART_BYTES) {
		log_kv(LOG_INFO, "checkpoint", "restart=1 wal_bytes=%lld",
		    (long long)st.st_size);
		db_exec(w->db, "PRAGMA wal_checkpoint(RESTART)");
	}
}

static void *
checkpointer_main(void *arg)
{
	struct writer *w = arg;
	struct timespec until;
	uint64_t last_batches = 0;
	bool trimmed = true;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)CHECKPOINT_EVERY_MS * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&w->tick, &w->lock, &until);
		if (w->stopping)
			break;
		/*
		 * A tick without a batch after busy ones: give the memory the
		 * busy threads freed back to the system (glibc keeps it in
		 * each thread's arena otherwise), so an idle server is small.
		 */
		bool idle = w->stats.batches == last_batches;

		last_batches = w->stats.batches;
		pthread_mutex_unlock(&w->lock);
		db_exec(w->ckpt_db, "PRAGMA wal_checkpoint(PASSIVE)");
		if (idle && !trimmed)
			malloc_trim(0);
		trimmed = idle;
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	bool busy = false; /* batches since the memory was handed back */
	void *ctx = hooks_open(w->hooks); /* this thread's, for its life */

	for (;;) {
		struct writer_job *batch, *last;
		struct batch_outcome o;
		unsigned n = 0;
		bool stop;

		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && !w->stopping) {
			struct timespec until;

			if (!busy) {
				pthread_cond_wait(&w->wake, &w->lock);
				continue;
			}
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += WRITER_IDLE_S;
			if (pthread_cond_timedwait(
				&w->wake, &w->lock, &until) == 0 ||
			    w->head != NULL || w->stopping)
				continue;
			/*
			 * Idle after batches: the page cache (up to 8 MiB)
			 * holds pages the next batch reads again cheaply
			 * from the OS; hand its memory back.
			 */
			pthread_mutex_unlock(&w->lock);
			db_release_memory(w->db);
			malloc_trim(0);
			pthread_mutex_lock(&w->lock);
			busy = false;
		}
		stop = w->stopping && w->head == NULL;
		batch = last = w->head;
		while (last != NULL && ++n < BATCH_MAX && last->next != NULL)
			last = last->next;
		if (last != NULL) {
			w->head = last->next;
			if (w->head == NULL)
				w->tail = NULL;
			last->next = NULL;
			w->depth -= n;
		}
		pthread_mutex_unlock(&w->lock);
		if (stop)
			break;
		store_batch(w->db, batch, w->hooks, ctx, &o);
		busy = true;
		pthread_mutex_lock(&w->lock);
		apply_outcome(&w->stats, &o);
		pthread_mutex_unlock(&w->lock);
		finish_all(batch);
		wal_guard(w);
	}
	hooks_close(w->hooks, ctx);
	return NULL;
}

struct writer *
writer_start(const char *path, size_t queue_max,
    const struct writer_hooks *hooks, char *err, size_t errlen)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->db = db_open(path, 0, err, errlen);
	if (w->db == NULL) {
		free(w);
		return NULL;
	}
	w->queue_max = queue_max ? queue_max : 10000;
	w->hooks = hooks;
	/* an 8 MiB page cache: fewer reads of the pages a batch touches */
	db_exec(w->db, "PRAGMA cache_size = -8192");
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->tick, NULL);
	w->ckpt_db = db_open(path, 0, NULL, 0);
	/*
	 * db_open() refuses a connection that is not durable; this reads it
	 * again after the writer's own PRAGMAs, the last word before a
	 * rating is acknowledged on the strength of a COMMIT (and before a
	 * checkpoint's fsync of the database file).
	 */
	w->durable = db_is_durable(w->db) &&
	    (w->ckpt_db == NULL || db_is_durable(w->ckpt_db));
	if (!w->durable) {
		snprintf(err, errlen,
		    "the writer's connection to '%s' is not durable "
		    "(synchronous is not FULL)",
		    path);
		db_close(w->ckpt_db);
		db_close(w->db);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		pthread_cond_destroy(&w->tick);
		free(w);
		return NULL;
	}
	/*
	 * A restarted WAL keeps its size on disk unless SQLite may truncate
	 * it: without a limit, wal_guard() would find it past
	 * WAL_RESTART_BYTES after every restart and restart it again every
	 * WAL_CHECK_EVERY batches (each a checkpoint and an fsync of the
	 * database on the writer's thread).  With it, the file passes
	 * WAL_RESTART_BYTES again only when that much was written since.
	 */
	db_exec(w->db, "PRAGMA journal_size_limit = " JOURNAL_LIMIT);
	if (w->ckpt_db != NULL &&
	    db_exec(w->db, "PRAGMA wal_autocheckpoint = 0") == 0 &&
	    pthread_create(&w->checkpointer, NULL, checkpointer_main, w) == 0) {
		w->has_checkpointer = true;
		w->wal_path = xmalloc(strlen(path) + 5);
		sprintf(w->wal_path, "%s-wal", path);
	} else {
		/* no thread of its own: SQLite checkpoints in the commits */
		db_exec(w->db, "PRAGMA wal_autocheckpoint = 1000");
		db_close(w->ckpt_db);
		w->ckpt_db = NULL;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		writer_free(w);
		return NULL;
	}
	return w;
}

int
writer_submit(struct writer *w, struct writer_job *job)
{
	int rc = -1;

	job->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (!w->stopping && w->depth < w->queue_max) {
		if (w->tail != NULL)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		w->depth++;
		rc = 0;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void
writer_stop(struct writer *w)
{
	bool join;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	join = !w->stopping;
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_cond_signal(&w->tick);
	pthread_mutex_unlock(&w->lock);
	if (join) {
		pthread_join(w->thread, NULL);
		if (w->has_checkpointer) {
			pthread_join(w->checkpointer, NULL);
			w->has_checkpointer = false;
			/* leave a short WAL behind */
			db_exec(w->db, "PRAGMA wal_checkpoint(TRUNCATE)");
		}
	}
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_stop(w);
	db_close(w->ckpt_db);
	free(w->wal_path);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->tick);
	free(w);
}

bool
writer_is_durable(const struct writer *w)
{
	return w->durable;
}

void
writer_get_stats(struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
}

size_t
writer_queue_depth(struct writer *w)
{
	size_t n;

	pthread_mutex_lock(&w->lock);
	n = w->depth;
	pthread_mutex_unlock(&w->lock);
	return n;
}
