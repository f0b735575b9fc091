/* dblock.c -- who may use a database file: a lock beside SQLite's own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "hailong/util.h"
#include "core/dblock.h"

struct dblock {
	int fd;
};

struct dblock *
dblock_take(const char *path, enum dblock_mode mode, char *err, size_t errlen)
{
	struct dblock *l;
	int fd, op;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen,
			    "cannot open database '%s': no such file "
			    "(create it with 'hailong init --db %s')",
			    path, path);
		else
			snprintf(err, errlen, "cannot open database '%s': %s",
			    path, strerror(errno));
		return NULL;
	}
	op = (mode == DBLOCK_EXCLUSIVE ? LOCK_EX : LOCK_SH) | LOCK_NB;
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && mode == DBLOCK_EXCLUSIVE)
			snprintf(err, errlen,
			    "database '%s' is in use (a hailong server or "
			    "command has it open); stop the server first "
			    "(systemctl stop hailong)",
			    path);
		else if (errno == EWOULDBLOCK)
			snprintf(err, errlen,
			    "database '%s' is being restored; try again "
			    "when 'hailong restore' has finished",
			    path);
		else
			snprintf(err, errlen, "cannot lock database '%s': %s",
			    path, strerror(errno));
		close(fd);
		return NULL;
	}
	l = xmalloc(sizeof(*l));
	l->fd = fd;
	return l;
}

void
dblock_release(struct dblock *l)
{
	if (l == NULL)
		return;
	close(l->fd); /* drops the flock */
	free(l);
}
