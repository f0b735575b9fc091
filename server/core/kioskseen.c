/* kioskseen.c -- the kiosks' replay guard and last contact, in memory. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/util.h"
#include "hailong/wire.h"
#include "core/kiosks.h"
#include "core/kioskseen.h"

struct seen {
	char id[WIRE_KIOSK_ID_LEN + 1]; /* "" for a free slot */
	int64_t nonce, last_seen, max_seq;
	bool dirty;
};

/* Open addressing, linear probing, at most half full. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen *slots;
static size_t cap, used, ndirty; /* ndirty: entries to write */

static void
mark(struct seen *s)
{
	if (!s->dirty) {
		s->dirty = true;
		ndirty++;
	}
}

static size_t
hash(const char *s)
{
	return (size_t)fnv1a(s, FNV1A_INIT);
}

static struct seen *
find(const char *id, bool make)
{
	if (cap > 0) {
		for (size_t i = hash(id) & (cap - 1);;
		     i = (i + 1) & (cap - 1)) {
			if (slots[i].id[0] == '\0')
				break;
			if (strcmp(slots[i].id, id) == 0)
				return &slots[i];
		}
	}
	if (!make)
		return NULL;
	if (2 * (used + 1) > cap) {
		size_t ncap = cap ? 2 * cap : 64;
		struct seen *n = calloc(ncap, sizeof(*n));

		if (n == NULL)
			return NULL;
		for (size_t j = 0; j < cap; j++) {
			size_t i;

			if (slots[j].id[0] == '\0')
				continue;
			for (i = hash(slots[j].id) & (ncap - 1); n[i].id[0];
			     i = (i + 1) & (ncap - 1))
				;
			n[i] = slots[j];
		}
		free(slots);
		slots = n;
		cap = ncap;
	}
	for (size_t i = hash(id) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (slots[i].id[0] == '\0') {
			strlcpy_hl(slots[i].id, id, sizeof(slots[i].id));
			slots[i].nonce = slots[i].last_seen = -1;
			slots[i].max_seq = 0;
			used++;
			return &slots[i];
		}
	}
}

int
kioskseen_nonce(
    const struct kiosk *k, int64_t nonce, int64_t now, int64_t *last)
{
	struct seen *s;
	int rc = 0;

	pthread_mutex_lock(&lock);
	s = find(k->id, true);
	if (s == NULL) {
		rc = -1;
	} else {
		int64_t high =
		    s->nonce > k->last_nonce ? s->nonce : k->last_nonce;

		if (nonce <= high) {
			*last = high;
			rc = 1;
		} else {
			s->nonce = nonce;
			s->last_seen = now;
			mark(s);
		}
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void
kioskseen_seq(const char *id, int64_t seq)
{
	struct seen *s;

	pthread_mutex_lock(&lock);
	s = find(id, true);
	if (s != NULL && seq > s->max_seq) {
		s->max_seq = seq;
		mark(s);
	}
	pthread_mutex_unlock(&lock);
}

int64_t
kioskseen_last_nonce(const char *id)
{
	const struct seen *s;
	int64_t n = -1;

	pthread_mutex_lock(&lock);
	s = find(id, false);
	if (s != NULL)
		n = s->nonce;
	pthread_mutex_unlock(&lock);
	return n;
}

int
kioskseen_flush(struct db *db)
{
	struct seen *copy = NULL;
	size_t n = 0;
	int rc = 0;

	/*
	 * Copy out what changed: no statement runs under the mutex.  Every
	 * batch of the writer comes here; most find nothing to write.
	 */
	pthread_mutex_lock(&lock);
	if (ndirty > 0 && (copy = malloc(ndirty * sizeof(*copy))) == NULL)
		rc = -1;
	for (size_t i = 0; copy != NULL && n < ndirty && i < cap; i++) {
		if (slots[i].dirty) {
			copy[n++] = slots[i];
			slots[i].dirty = false;
		}
	}
	ndirty = copy != NULL ? 0 : ndirty;
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* only ever raised: a flush never lowers what is on disk */
		rc = db_run(db,
		    "UPDATE kiosks SET last_nonce = max(last_nonce, ?1), "
		    "last_seen = CASE WHEN ?2 < 0 THEN last_seen "
		    "ELSE max(coalesce(last_seen, ?2), ?2) END, "
		    "max_seq = max(max_seq, ?3) WHERE id = ?4",
		    "lllt", copy[i].nonce, copy[i].last_seen, copy[i].max_seq,
		    copy[i].id);
	}
	free(copy);
	return rc;
}

void
kioskseen_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < cap; i++)
		if (slots[i].id[0] != '\0')
			mark(&slots[i]);
	pthread_mutex_unlock(&lock);
}

void
kioskseen_clear(void)
{
	pthread_mutex_lock(&lock);
	free(slots);
	slots = NULL;
	cap = used = ndirty = 0;
	pthread_mutex_unlock(&lock);
}
