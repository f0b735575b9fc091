/* served.c -- the dossier the kiosk's counter serves now, as it knows it. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/log.h"
#include "hailong/util.h"
#include "hailong/wire.h"
#include "outbox.h"
#include "served.h"

#define CONSUMED_KEY "serving_consumed"

struct served {
	struct outbox *ob;
	pthread_mutex_t lock;
	char dossier[65]; /* "" for none */
	int64_t serial;   /* 0 for none */
	int64_t consumed; /* the highest serial used */
	int64_t seen;     /* the highest serial the server gave */
};

struct served *
served_new(struct outbox *ob)
{
	struct served *s = xcalloc(1, sizeof(*s));
	char *v = outbox_get(ob, CONSUMED_KEY);

	s->ob = ob;
	pthread_mutex_init(&s->lock, NULL);
	if (v != NULL)
		parse_int64(v, strlen(v), 0, INT64_MAX, &s->consumed);
	free(v);
	return s;
}

void
served_free(struct served *s)
{
	if (s == NULL)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void
served_update(struct served *s, const struct wire_serving *w)
{
	pthread_mutex_lock(&s->lock);
	if (w->serial > s->consumed && w->dossier[0] != '\0') {
		if (w->serial != s->serial)
			log_kv(
			    LOG_INFO, "serving", "serial=%" PRId64, w->serial);
		strlcpy_hl(s->dossier, w->dossier, sizeof(s->dossier));
		s->serial = w->serial;
		if (w->serial > s->seen)
			s->seen = w->serial;
	} else {
		s->dossier[0] = '\0';
		s->serial = 0;
	}
	pthread_mutex_unlock(&s->lock);
}

void
served_lost(struct served *s)
{
	pthread_mutex_lock(&s->lock);
	s->dossier[0] = '\0';
	s->serial = 0;
	pthread_mutex_unlock(&s->lock);
}

bool
served_get(struct served *s, char dossier[65], int64_t *serial)
{
	bool has;

	pthread_mutex_lock(&s->lock);
	has = s->serial != 0;
	memcpy(dossier, s->dossier, sizeof(s->dossier));
	*serial = s->serial;
	pthread_mutex_unlock(&s->lock);
	return has;
}

void
served_consume(struct served *s, int64_t serial)
{
	char num[24];
	bool save = false;

	pthread_mutex_lock(&s->lock);
	/* only a serial the server gave: the page cannot skip ahead */
	if (serial > s->consumed && serial <= s->seen) {
		s->consumed = serial;
		save = true;
		snprintf(num, sizeof(num), "%" PRId64, serial);
	}
	if (s->serial != 0 && s->serial <= s->consumed) {
		s->dossier[0] = '\0';
		s->serial = 0;
	}
	pthread_mutex_unlock(&s->lock);
	/* lost on a failed write: at worst shown once more after a restart */
	if (save && outbox_put(s->ob, CONSUMED_KEY, num) < 0)
		log_kv(LOG_WARN, "serving", "save=failed");
}
