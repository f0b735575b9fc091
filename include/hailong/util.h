/* util.h -- memory that never fails, and small string helpers. */
#ifndef HAILONG_UTIL_H
#define HAILONG_UTIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allocation that aborts with a message on failure.  Every size a client
 * controls is capped before it reaches these, so running out of memory is
 * the program's failure, not the request's.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy_hl(char *dst, const char *src, size_t size);

/* Parse a whole decimal integer in [min, max]; 0 on success, -1 otherwise. */
int
parse_int64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

bool str_eq(const char *a, const char *b);

/*
 * 64-bit FNV-1a of the string s, continuing from h: start a hash with
 * FNV1A_INIT, chain fields by passing the last result.  For in-memory
 * tables only; never stored.
 */
#define FNV1A_INIT 14695981039346656037ULL
uint64_t fnv1a(const char *s, uint64_t h);
/*
 * A block of memory per thread (a cache, a scratch table), zeroed when
 * first asked for and freed when the thread ends:
 *
 *	static struct thread_block cache = THREAD_BLOCK_INIT;
 *	struct entry *e = thread_block(&cache, N * sizeof(*e));
 *
 * The same `size` at every call for one block.
 */
struct thread_block {
	pthread_mutex_t lock;
	atomic_bool made;
	pthread_key_t key;
};
#define THREAD_BLOCK_INIT \
	{ \
		PTHREAD_MUTEX_INITIALIZER, false, 0 \
	}
void *thread_block(struct thread_block *tb, size_t size);

/* Sleep for ms milliseconds (restarted after signals). */
void sleep_ms(unsigned ms);
bool str_has_prefix(const char *s, const char *prefix);

#endif
