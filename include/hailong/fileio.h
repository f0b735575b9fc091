/* fileio.h -- whole files in and out, bounded and atomic. */
#ifndef HAILONG_FILEIO_H
#define HAILONG_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Read all of `path` ("-" is stdin) up to `max` bytes into a new
 * NUL-terminated buffer (free()); *len gets its size when not NULL.
 * NULL with err filled ("cannot read 'x': why", "'x' is larger than").
 */
char *
file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/*
 * Write data to path through a temporary file in the same directory,
 * fsync, rename, fsync the directory: readers see the old file or the new
 * one, never half.  `mode` for a new file (0600 for secrets).  0 or -1.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
    unsigned mode, char *err, size_t errlen);

/*
 * Whether a key file is private: refuses (false, err filled) a file that
 * group or others may read.
 */
bool file_is_private(const char *path, char *err, size_t errlen);

#endif
