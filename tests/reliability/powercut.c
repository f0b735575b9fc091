/* powercut.c -- LD_PRELOAD: each file's content as of its last fsync. */
/*
 * A power cut loses what a process wrote but did not sync; kill -9 does
 * not (the kernel keeps the page cache).  Preloaded into a process, this
 * keeps, for every regular file under $HL_POWERCUT_DIR that the process
 * changes (pwrite, write, ftruncate), a copy FILE.durable of what the
 * disk would hold after a power cut: the content when the process first
 * changed it, then the content at each fsync() or fdatasync() of it.
 * After killing the process, replacing each FILE by FILE.durable (and
 * dropping the -shm index, which SQLite rebuilds) gives the files as a
 * power cut at that moment would have left them.
 *
 * The model is kinder than a real disk (a file's writes before its last
 * sync are all kept, none reordered or torn) and ignores directory
 * syncs; it is exactly what tells synchronous=FULL, which syncs the WAL
 * at each COMMIT, from NORMAL, which syncs it only at checkpoints.
 *
 * With $HL_POWERCUT_DELAY_US, each change to such a file first waits that
 * many microseconds: a slow disk (an SD card, a busy VM), which widens
 * the moment between a server's answer and the COMMIT it answered for,
 * should it answer first (test_crash.py).
 *
 * Memory-mapped writes are not seen: the server's connections that write
 * use pwrite() (lib/db.c maps read-only connections only), and the -shm
 * file, the one SQLite maps, is left out.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define SEEN_MAX 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[SEEN_MAX][PATH_MAX];
static int nseen;

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The path of fd when it is a regular file we keep; else false. */
static bool
tracked(int fd, char *path, size_t size)
{
	const char *dir = getenv("HL_POWERCUT_DIR");
	char link[64];
	struct stat st;
	ssize_t n;

	if (dir == NULL || *dir == '\0')
		return false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, size - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	return strncmp(path, dir, strlen(dir)) == 0 &&
	    path[strlen(dir)] == '/' && !has_suffix(path, "-shm") &&
	    !has_suffix(path, ".durable") && !has_suffix(path, ".durable.tmp");
}

/* Copy the file at `path` to path.durable, whole, through a temp name. */
static void
keep(const char *path)
{
	char tmp[PATH_MAX + 16], dst[PATH_MAX + 16], buf[65536];
	int in, out;
	ssize_t n;
	off_t off = 0;

	snprintf(tmp, sizeof(tmp), "%s.durable.tmp", path);
	snprintf(dst, sizeof(dst), "%s.durable", path);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return;
	}
	while ((n = pread(in, buf, sizeof(buf), off)) > 0) {
		/* the raw system call: our own pwrite() is not re-entered */
		if (syscall(SYS_pwrite64, out, buf, (size_t)n, off) != n) {
			fprintf(stderr, "powercut: cannot copy %s\n", path);
			abort();
		}
		off += n;
	}
	close(in);
	close(out);
	rename(tmp, dst);
}

/* Before fd's file changes: the first time, keep what it holds now. */
static void
before_change(int fd)
{
	char path[PATH_MAX];
	int i;

	if (!tracked(fd, path, sizeof(path)))
		return;
	if (getenv("HL_POWERCUT_DELAY_US") != NULL)
		usleep((useconds_t)atoi(getenv("HL_POWERCUT_DELAY_US")));
	pthread_mutex_lock(&lock);
	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i], path) == 0)
			break;
	if (i == nseen && nseen < SEEN_MAX) {
		char dst[PATH_MAX + 16];

		snprintf(seen[nseen++], PATH_MAX, "%s", path);
		snprintf(dst, sizeof(dst), "%s.durable", path);
		if (access(dst, F_OK) != 0)
			keep(path);
	}
	pthread_mutex_unlock(&lock);
}

/* fd was synced: what it holds now survives a power cut. */
static void
synced(int fd)
{
	char path[PATH_MAX];

	if (!tracked(fd, path, sizeof(path)))
		return;
	pthread_mutex_lock(&lock);
	keep(path);
	pthread_mutex_unlock(&lock);
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (real_##name == NULL) \
	real_##name = (__typeof__(name) *)(uintptr_t)dlsym(RTLD_NEXT, #name)

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	before_change(fd);
	return real_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite64);
	before_change(fd);
	return real_pwrite64(fd, buf, n, off);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(write);
	before_change(fd);
	return real_write(fd, buf, n);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	REAL(writev);
	before_change(fd);
	return real_writev(fd, iov, n);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	before_change(fd);
	return real_ftruncate(fd, len);
}

int
ftruncate64(int fd, off_t len)
{
	REAL(ftruncate64);
	before_change(fd);
	return real_ftruncate64(fd, len);
}

int
fsync(int fd)
{
	int rc;

	REAL(fsync);
	rc = real_fsync(fd);
	if (rc == 0)
		synced(fd);
	return rc;
}

int
fdatasync(int fd)
{
	int rc;

	REAL(fdatasync);
	rc = real_fdatasync(fd);
	if (rc == 0)
		synced(fd);
	return rc;
}
