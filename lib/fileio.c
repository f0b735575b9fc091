/* fileio.c -- whole files in and out, bounded and atomic. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/buf.h"
#include "hailong/fileio.h"
#include "hailong/util.h"

char *
file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	struct buf b = { 0 };
	char chunk[65536];
	int fd;
	ssize_t n;

	fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(
		    err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read '%s': %s", path,
			    strerror(errno));
			goto fail;
		}
		if (buf_add(&b, chunk, (size_t)n) < 0) {
			snprintf(err, errlen, "'%s' is larger than %zu bytes",
			    path, max);
			goto fail;
		}
	}
	if (fd != 0)
		close(fd);
	return buf_detach(&b, len);
fail:
	if (fd != 0)
		close(fd);
	buf_release(&b);
	return NULL;
}

int
file_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
    char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	const char *p = data;
	int fd, dfd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path,
		(long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "path too long: '%s'", path);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0) {
		close(fd);
		goto fail_tmp;
	}
	if (close(fd) < 0)
		goto fail_tmp;
	if (rename(tmp, path) < 0)
		goto fail_tmp;
	strlcpy_hl(dir, path, sizeof(dir));
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail_fd:
	close(fd);
fail_tmp:
	unlink(tmp);
fail:
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
	return -1;
}

bool
file_is_private(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(
		    err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen,
		    "'%s' may be read by others (mode %03o); "
		    "a key must be private: chmod 600 '%s'",
		    path, (unsigned)(st.st_mode & 0777), path);
		return false;
	}
	return true;
}
