/* util.c -- memory that never fails, and small string helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "hailong/util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "hailong: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t
strlcpy_hl(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int
parse_int64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;
	bool neg = false;
	size_t i = 0;

	if (len == 0 || len > 20)
		return -1;
	if (s[0] == '-') {
		neg = true;
		i = 1;
		if (len == 1)
			return -1;
	}
	for (; i < len; i++) {
		int d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = s[i] - '0';
		if (v > (INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

uint64_t
fnv1a(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

bool
str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void
sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
		(long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void *
thread_block(struct thread_block *tb, size_t size)
{
	void *p;

	if (!atomic_load(&tb->made)) {
		pthread_mutex_lock(&tb->lock);
		if (!atomic_load(&tb->made)) {
			if (pthread_key_create(&tb->key, free) != 0) {
				fprintf(
				    stderr, "hailong: out of thread keys\n");
				abort();
			}
			atomic_store(&tb->made, true);
		}
		pthread_mutex_unlock(&tb->lock);
	}
	p = pthread_getspecific(tb->key);
	if (p == NULL) {
		p = xcalloc(1, size);
		pthread_setspecific(tb->key, p);
	}
	return p;
}
