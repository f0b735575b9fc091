/* dbpool.c -- read connections shared by the HTTP threads. */
#include <pthread.h>
#include <stdlib.h>

#include "hailong/db.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "dbpool.h"

struct dbpool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	char *path;
	unsigned max, open, nfree;
	struct db **free;
};

struct dbpool *
dbpool_new(const char *path, unsigned max)
{
	struct dbpool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->path = xstrdup(path);
	p->max = max ? max : 8;
	p->free = xcalloc(p->max, sizeof(*p->free));
	return p;
}

void
dbpool_free(struct dbpool *p)
{
	if (p == NULL)
		return;
	for (unsigned i = 0; i < p->nfree; i++)
		db_close(p->free[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p->free);
	free(p->path);
	free(p);
}

struct db *
dbpool_get(struct dbpool *p)
{
	struct db *db = NULL;
	char err[256];

	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0 && p->open >= p->max)
		pthread_cond_wait(&p->freed, &p->lock);
	if (p->nfree > 0) {
		db = p->free[--p->nfree];
		pthread_mutex_unlock(&p->lock);
		return db;
	}
	p->open++;
	pthread_mutex_unlock(&p->lock);
	db = db_open(p->path, 0, err, sizeof(err));
	if (db == NULL) {
		log_msg(LOG_ERROR, "db", "%s", err);
		pthread_mutex_lock(&p->lock);
		p->open--;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
	}
	return db;
}

void
dbpool_put(struct dbpool *p, struct db *db)
{
	if (db == NULL)
		return;
	if (db_in_transaction(db))
		db_rollback(db);
	pthread_mutex_lock(&p->lock);
	p->free[p->nfree++] = db;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}
