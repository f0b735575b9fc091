/* writer.c -- the one thread that stores ratings, many per fsync. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "ratings.h"
#include "writer.h"

#define BATCH_MAX 1024

_Static_assert(CHANNEL_IMPORT + 1 == WRITER_CHANNELS,
    "writer_stats counts every rating channel");

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct writer_job *head, *tail; /* FIFO */
	size_t depth, queue_max;
	bool stopping;
	struct db *db;
	writer_hook_fn hook;
	struct writer_stats stats;
};

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Decide and (maybe) insert one job; the transaction is open. -1: fatal. */
static int
store_one(struct db *db, struct writer_job *job, writer_hook_fn hook)
{
	const struct rating *r = &job->rating;
	struct rating old;
	int64_t seq;
	int rc;

	rating_init(&old);
	rc = ratings_load(db, r->channel, r->id, &old, &seq);
	if (rc < 0)
		goto fatal;
	if (rc == 0) {
		job->seq = seq;
		job->result = rating_same_content(r, &old) ? WRITER_DUPLICATE
							   : WRITER_CONFLICT;
		rating_release(&old);
		return 0;
	}
	if (r->dossier_token && r->status == STATUS_VALID &&
	    ratings_dossier_used(db, r->dossier)) {
		job->result = WRITER_DOSSIER_USED;
		return 0;
	}
	if (ratings_insert(db, r, &seq) < 0) {
		if (db_error(db) == DB_ERR_CONSTRAINT) {
			/* statement-level rollback: the batch goes on */
			job->result = WRITER_REJECTED;
			return 0;
		}
		goto fatal;
	}
	if (hook != NULL && hook(db, r, seq) < 0)
		goto fatal;
	job->seq = seq;
	job->result = WRITER_STORED;
	return 0;
fatal:
	rating_release(&old);
	return -1;
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
store_batch(struct db *db, struct writer_job *jobs, writer_hook_fn hook,
    struct batch_outcome *o)
{
	struct writer_job *j;
	int64_t t0;

	memset(o, 0, sizeof(*o));
	if (db_begin(db) < 0)
		goto fail;
	for (j = jobs; j != NULL; j = j->next) {
		o->n++;
		if (store_one(db, j, hook) < 0)
			goto fail;
	}
	t0 = mono_ns();
	if (db_commit(db) < 0)
		goto fail;
	o->commit_ns = (uint64_t)(mono_ns() - t0);
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
	log_msg(LOG_ERROR, "writer", "batch not stored: %s", db_errmsg(db));
	db_rollback(db);
	/* every job of the batch, also those after the failing one */
	o->n = 0;
	for (j = jobs; j != NULL; j = j->next) {
		j->result = WRITER_UNAVAILABLE;
		o->n++;
	}
}

int
writer_store_batch(struct db *db, struct writer_job *jobs, writer_hook_fn hook)
{
	struct batch_outcome o;

	store_batch(db, jobs, hook, &o);
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

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	for (;;) {
		struct writer_job *batch, *last;
		struct batch_outcome o;
		unsigned n = 0;
		bool stop;

		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
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
		store_batch(w->db, batch, w->hook, &o);
		pthread_mutex_lock(&w->lock);
		apply_outcome(&w->stats, &o);
		pthread_mutex_unlock(&w->lock);
		finish_all(batch);
	}
	return NULL;
}

struct writer *
writer_start(const char *path, size_t queue_max, writer_hook_fn hook, char *err,
    size_t errlen)
{
	struct writer *w = xcalloc(1, sizeof(*w));

	w->db = db_open(path, 0, err, errlen);
	if (w->db == NULL) {
		free(w);
		return NULL;
	}
	w->queue_max = queue_max ? queue_max : 10000;
	w->hook = hook;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		db_close(w->db);
		free(w);
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
	pthread_mutex_unlock(&w->lock);
	if (join)
		pthread_join(w->thread, NULL);
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	writer_stop(w);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
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
