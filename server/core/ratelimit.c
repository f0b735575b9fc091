/* ratelimit.c -- at most N events per key per window, in bounded memory. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/util.h"
#include "core/ratelimit.h"

#define KEY_MAX 64
#define PROBE 8 /* slots looked at per key */

struct slot {
	char key[KEY_MAX]; /* "" when free */
	int64_t window_start;
	unsigned count;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned limit, window, nslots;
	struct slot *slots;
};

struct ratelimit *
ratelimit_new(unsigned limit, unsigned window, unsigned slots)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));

	pthread_mutex_init(&rl->lock, NULL);
	rl->limit = limit;
	rl->window = window ? window : 60;
	rl->nslots = slots < PROBE ? PROBE : slots;
	rl->slots = xcalloc(rl->nslots, sizeof(*rl->slots));
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

/* The slot of key, or the best one to take over.  Lock held. */
static struct slot *
lookup(struct ratelimit *rl, const char *key, int64_t now)
{
	uint64_t h = fnv1a(key, FNV1A_INIT);
	struct slot *victim = NULL;

	for (unsigned i = 0; i < PROBE; i++) {
		struct slot *s = &rl->slots[(h + i) % rl->nslots];

		if (strcmp(s->key, key) == 0)
			return s;
		if (victim == NULL || s->key[0] == '\0' ||
		    (victim->key[0] != '\0' &&
			s->window_start < victim->window_start))
			victim = s;
	}
	strlcpy_hl(victim->key, key, sizeof(victim->key));
	victim->window_start = now;
	victim->count = 0;
	return victim;
}

bool
ratelimit_hit(
    struct ratelimit *rl, const char *key, int64_t now, unsigned *retry_after)
{
	struct slot *s;
	bool ok;

	if (rl == NULL || rl->limit == 0)
		return true;
	pthread_mutex_lock(&rl->lock);
	s = lookup(rl, key, now);
	if (now - s->window_start >= rl->window) {
		s->window_start = now;
		s->count = 0;
	}
	ok = s->count < rl->limit;
	if (ok)
		s->count++;
	else if (retry_after != NULL)
		*retry_after = (unsigned)(s->window_start + rl->window - now);
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

bool
ratelimit_check(
    struct ratelimit *rl, const char *key, int64_t now, unsigned *retry_after)
{
	uint64_t h;
	bool ok = true;

	if (rl == NULL || rl->limit == 0)
		return true;
	h = fnv1a(key, FNV1A_INIT);
	pthread_mutex_lock(&rl->lock);
	for (unsigned i = 0; i < PROBE; i++) {
		struct slot *s = &rl->slots[(h + i) % rl->nslots];

		if (strcmp(s->key, key) == 0 &&
		    now - s->window_start < rl->window &&
		    s->count >= rl->limit) {
			ok = false;
			if (retry_after != NULL)
				*retry_after = (unsigned)(s->window_start +
				    rl->window - now);
		}
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

void
ratelimit_clear(struct ratelimit *rl, const char *key)
{
	uint64_t h;

	if (rl == NULL)
		return;
	h = fnv1a(key, FNV1A_INIT);
	pthread_mutex_lock(&rl->lock);
	for (unsigned i = 0; i < PROBE; i++) {
		struct slot *s = &rl->slots[(h + i) % rl->nslots];

		if (strcmp(s->key, key) == 0)
			memset(s, 0, sizeof(*s));
	}
	pthread_mutex_unlock(&rl->lock);
}
