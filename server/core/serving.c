/* serving.c -- the dossier each counter serves now, in memory. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hailong/util.h"
#include "hailong/wire.h"
#include "core/serving.h"

struct entry {
	char unit[41];
	int counter;
	struct serving s;
};

/* A few hundred counters at most in a province's server: a plain array. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries;
static size_t n, cap;
static int64_t last_serial;

static int64_t
next_serial(void)
{
	struct timespec ts;
	int64_t us;

	clock_gettime(CLOCK_REALTIME, &ts);
	us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	last_serial = us > last_serial ? us : last_serial + 1;
	return last_serial;
}

static struct entry *
find(const char *unit, int counter)
{
	for (size_t i = 0; i < n; i++)
		if (entries[i].counter == counter &&
		    strcmp(entries[i].unit, unit) == 0)
			return &entries[i];
	return NULL;
}

static void
drop(struct entry *e)
{
	*e = entries[--n];
}

/* Forget entries older than WIRE_SERVING_TTL, so the table stays small. */
static void
expire(int64_t now)
{
	for (size_t i = 0; i < n;)
		if (entries[i].s.since + WIRE_SERVING_TTL < now)
			drop(&entries[i]);
		else
			i++;
}

int
serving_set(const char *unit, int counter, const char *dossier, int64_t now,
    struct serving *out)
{
	struct entry *e;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&lock);
	e = find(unit, counter);
	if (dossier == NULL) {
		if (e != NULL)
			drop(e);
		rc = 0;
		goto out;
	}
	if (e == NULL) {
		expire(now);
		if (n == SERVING_MAX)
			goto out;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			entries = xrealloc(entries, cap * sizeof(*entries));
		}
		e = &entries[n++];
		memset(e, 0, sizeof(*e));
		strlcpy_hl(e->unit, unit, sizeof(e->unit));
		e->counter = counter;
	}
	strlcpy_hl(e->s.dossier, dossier, sizeof(e->s.dossier));
	e->s.serial = next_serial();
	e->s.since = now;
	*out = e->s;
	rc = 0;
out:
	pthread_mutex_unlock(&lock);
	return rc;
}

int
serving_get(const char *unit, int counter, int64_t now, struct serving *out)
{
	struct entry *e;
	int rc = 1;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&lock);
	e = find(unit, counter);
	if (e != NULL && e->s.since + WIRE_SERVING_TTL < now)
		drop(e);
	else if (e != NULL) {
		*out = e->s;
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void
serving_reset(void)
{
	pthread_mutex_lock(&lock);
	free(entries);
	entries = NULL;
	n = cap = 0;
	pthread_mutex_unlock(&lock);
}
