/* test.h -- the unit tests' few macros: checks that say what differed. */
#ifndef HAILONG_TEST_H
#define HAILONG_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_checks, test_failed;
static const char *test_current = "?";

#define FAIL_AT(...) \
	do { \
		test_failed++; \
		fprintf( \
		    stderr, "%s:%d: %s: ", __FILE__, __LINE__, test_current); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} while (0)

#define CHECK(cond) \
	do { \
		test_checks++; \
		if (!(cond)) \
			FAIL_AT("CHECK(%s) failed", #cond); \
	} while (0)

#define CHECK_INT(got, want) \
	do { \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		test_checks++; \
		if (g_ != w_) \
			FAIL_AT("%s is %lld, want %lld", #got, g_, w_); \
	} while (0)

#define CHECK_STR(got, want) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		test_checks++; \
		if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_)) \
			FAIL_AT("%s is \"%s\", want \"%s\"", #got, \
			    g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

#define RUN(fn) \
	do { \
		test_current = #fn; \
		fn(); \
	} while (0)

/* The last line the runner reads: "# <file> checks=N failed=M". */
static inline int
test_report(const char *file)
{
	printf("# %s checks=%d failed=%d\n", file, test_checks, test_failed);
	return test_failed ? 1 : 0;
}

/* A fresh temporary directory path (mkdtemp); static storage. */
static inline const char *
test_tmpdir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/hailong-unit-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	return dir;
}

#endif
