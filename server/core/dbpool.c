/* dbpool.c -- one database connection per HTTP thread. */
#include <pthread.h>
#include <stdlib.h>

#include "hailong/db.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/dbpool.h"

#define DBPOOL_MAX 64

struct dbpool {
	pthread_mutex_t lock;
	char *path;
	unsigned n;
	struct db *all[DBPOOL_MAX]; /* to close them at the end */
};

/* The connection of this thread, for the one pool a process has. */
static _Thread_local struct db *thread_db;
static _Thread_local struct dbpool *thread_pool;

struct dbpool *
dbpool_new(const char *path)
{
	struct dbpool *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->lock, NULL);
	p->path = xstrdup(path);
	return p;
}

void
dbpool_free(struct dbpool *p)
{
	if (p == NULL)
		return;
	for (unsigned i = 0; i < p->n; i++)
		db_close(p->all[i]);
	pthread_mutex_destroy(&p->lock);
	free(p->path);
	free(p);
}

struct db *
dbpool_thread_db(struct dbpool *p)
{
	char err[256];
	struct db *db;

	if (thread_db != NULL && thread_pool == p)
		return thread_db;
	pthread_mutex_lock(&p->lock);
	if (p->n == DBPOOL_MAX) {
		pthread_mutex_unlock(&p->lock);
		log_kv(LOG_ERROR, "db", "too_many_threads max=%d", DBPOOL_MAX);
		return NULL;
	}
	db = db_open(p->path, 0, err, sizeof(err));
	if (db != NULL)
		p->all[p->n++] = db;
	pthread_mutex_unlock(&p->lock);
	if (db == NULL) {
		log_msg(LOG_ERROR, "db", "%s", err);
		return NULL;
	}
	thread_db = db;
	thread_pool = p;
	return db;
}

void
dbpool_release(struct db *db)
{
	if (db != NULL && db_in_transaction(db)) {
		log_kv(LOG_ERROR, "db", "transaction_left_open rolled_back=1");
		db_rollback(db);
	}
}
