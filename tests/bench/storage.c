/* storage.c -- the storage ceiling: the writer's path, no HTTP. */
/*
 * The same rows as the form benchmark (tests/bench/form.lua: a QR rating
 * at a counter of one procedure, level cycling 1..5, the comment
 * "bench", an id of the form's nonce shape) through the same code the
 * server's form posts take once parsed: writer_start() with the server's
 * hooks (the rollups, the kiosks' nonces), its thread, its group commit,
 * its checkpointer, synchronous=FULL.  What is left out is HTTP and the
 * form: parsing, rendering, suspending and resuming connections.
 *
 * Batches are BATCH ratings each, the size the server's writer sees at
 * 64 connections (bench.py reads it from /metrics during the form run):
 * this thread fills the next batch while the writer stores the current
 * one, and the current one's last done() queues it whole before the
 * writer looks for work again, so every transaction holds exactly BATCH
 * jobs (avg_batch, from the writer's stats, says whether it did).
 *
 * usage: storage DB UNIT COUNTER PROCEDURE SECONDS BATCH
 * prints one JSON line: rows, seconds, rows_per_s, batches, avg_batch,
 * commit_ms_avg, max_batch_ms (the longest between two batches done).
 * DB must exist (hailong init --demo) and hold UNIT, its COUNTER and
 * PROCEDURE.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hailong/hltime.h"
#include "hailong/rating.h"
#include "core/kioskseen.h"
#include "core/rollup.h"
#include "core/writer.h"

#define BATCH_MAX 1024

/* The server's hooks (server/web/server.c): rollups and kiosk nonces. */
static int
hooks_flush(void *ctx, struct db *db)
{
	if (rollup_flush(ctx, db) < 0)
		return -1;
	return kioskseen_flush(db);
}

static void
hooks_reset(void *ctx)
{
	rollup_reset(ctx);
	kioskseen_reset();
}

static const struct writer_hooks hooks = { rollup_batch_new, rollup_batch_free,
	rollup_hook, hooks_flush, hooks_reset };

static const char alphabet[] =
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/*
 * A group of jobs queued together: one batch.  A group is FILLED by the
 * main thread, QUEUED whole, then DONE when the writer has decided its
 * last job.
 */
enum group_state { G_DONE, G_FILLED, G_QUEUED };

struct group {
	struct writer_job jobs[BATCH_MAX];
	int n, left, failed;
	enum group_state state;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct writer *writer;
static struct group groups[2];
static bool queued; /* a group is queued or being stored */

/* Under the lock. */
static void
queue(struct group *g)
{
	g->state = G_QUEUED;
	g->left = g->n;
	g->failed = 0;
	queued = true;
	for (int i = 0; i < g->n; i++)
		if (writer_submit(writer, &g->jobs[i]) < 0)
			abort(); /* 10,000 slots, at most BATCH_MAX used */
}

/*
 * The writer thread, after a batch's COMMIT.  The next group is queued
 * here, before the writer looks for more work: it finds the whole group
 * and takes it as one batch, as it takes what 64 connections queued
 * while it committed.
 */
static void
job_done(struct writer_job *job)
{
	struct group *g = job->arg;

	pthread_mutex_lock(&lock);
	if (job->result != WRITER_STORED)
		g->failed++;
	if (--g->left == 0) {
		struct group *other = g == &groups[0] ? &groups[1] : &groups[0];

		g->state = G_DONE;
		queued = false;
		if (other->state == G_FILLED)
			queue(other);
		pthread_cond_broadcast(&cond);
	}
	pthread_mutex_unlock(&lock);
}

/* The form's nonce: 8 characters of milliseconds, then 14 random. */
static void
nonce(char *out)
{
	struct timespec ts;
	int64_t ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

	for (int i = 7; i >= 0; i--) {
		out[i] = alphabet[ms % 64];
		ms /= 64;
	}
	for (int i = 8; i < 22; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		out[i] = alphabet[rng % 64];
	}
	out[22] = '\0';
}

static void
fill(struct group *g, int n, const char *unit, int counter,
    const char *procedure, unsigned *count)
{
	g->n = n;
	for (int i = 0; i < n; i++) {
		struct writer_job *j = &g->jobs[i];
		struct rating *r = &j->rating;

		free(r->comment);
		rating_init(r);
		nonce(r->id);
		snprintf(r->unit, sizeof(r->unit), "%s", unit);
		r->counter = counter;
		snprintf(r->procedure, sizeof(r->procedure), "%s", procedure);
		r->channel = CHANNEL_QR;
		r->level = (int)(++*count % 5) + 1;
		r->comment = strdup("bench");
		r->rated_at = r->received_at = hl_now();
		r->status = STATUS_VALID;
		snprintf(r->source, sizeof(r->source), "token:C:k1");
		j->default_officer[0] = '\0';
		j->result = WRITER_UNAVAILABLE;
		j->done = job_done;
		j->arg = g;
	}
}

int
main(int argc, char **argv)
{
	struct writer_stats st0, st;
	struct writer *w;
	char err[256];
	unsigned count = 0;
	uint64_t rows = 0;
	int64_t t0, t1, until, last, max_ns = 0;
	double secs;
	int batch, cur = 0;

	if (argc != 7) {
		fprintf(stderr,
		    "usage: storage DB UNIT COUNTER PROCEDURE "
		    "SECONDS BATCH\n");
		return 2;
	}
	batch = atoi(argv[6]);
	if (batch < 1 || batch > BATCH_MAX) {
		fprintf(stderr, "storage: BATCH is 1..%d\n", BATCH_MAX);
		return 2;
	}
	w = writer = writer_start(argv[1], 10000, &hooks, err, sizeof(err));
	if (w == NULL) {
		fprintf(stderr, "storage: %s\n", err);
		return 1;
	}
	writer_get_stats(w, &st0);
	t0 = last = hl_mono_ns();
	until = t0 + (int64_t)(atof(argv[5]) * 1e9);
	/*
	 * Two groups: while the writer stores one, this thread fills the
	 * other, which job_done() queues the moment the first is done.
	 */
	for (;;) {
		bool more = hl_mono_ns() < until;
		struct group *g;

		pthread_mutex_lock(&lock);
		while (groups[cur].state == G_QUEUED)
			pthread_cond_wait(&cond, &lock);
		g = &groups[cur];
		if (g->failed) {
			fprintf(stderr, "storage: %d not stored\n", g->failed);
			return 1;
		}
		if (g->n > 0) {
			int64_t now = hl_mono_ns();

			rows += (uint64_t)g->n;
			/* the longest a batch took, queued to done */
			if (now - last > max_ns)
				max_ns = now - last;
			last = now;
		}
		g->n = 0;
		pthread_mutex_unlock(&lock);
		if (!more) {
			pthread_mutex_lock(&lock);
			while (queued)
				pthread_cond_wait(&cond, &lock);
			if (groups[1 - cur].failed) {
				fprintf(stderr, "storage: not stored\n");
				return 1;
			}
			rows += (uint64_t)groups[1 - cur].n;
			pthread_mutex_unlock(&lock);
			break;
		}
		fill(g, batch, argv[2], atoi(argv[3]), argv[4], &count);
		pthread_mutex_lock(&lock);
		if (queued)
			g->state = G_FILLED;
		else
			queue(g);
		pthread_mutex_unlock(&lock);
		cur = 1 - cur;
	}
	t1 = hl_mono_ns();
	writer_get_stats(w, &st);
	writer_free(w);
	secs = (double)(t1 - t0) / 1e9;
	printf("{\"rows\": %llu, \"seconds\": %.3f, \"rows_per_s\": %.0f, "
	       "\"batches\": %llu, \"avg_batch\": %.2f, "
	       "\"commit_ms_avg\": %.3f, \"max_batch_ms\": %.1f}\n",
	    (unsigned long long)rows, secs, (double)rows / secs,
	    (unsigned long long)(st.batches - st0.batches),
	    (double)(st.jobs - st0.jobs) /
		(double)(st.batches - st0.batches ? st.batches - st0.batches
						  : 1),
	    (double)(st.commit_ns_total - st0.commit_ns_total) / 1e6 /
		(double)(st.batches - st0.batches ? st.batches - st0.batches
						  : 1),
	    (double)max_ns / 1e6);
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < BATCH_MAX; k++)
			free(groups[i].jobs[k].rating.comment);
	return 0;
}
