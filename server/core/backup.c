/* backup.c -- copies of the database: make, rotate, verify, restore. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/backup.h"
#include "core/dblock.h"
#include "core/ratings.h"
#include "core/store.h"

#define BACKUP_PREFIX "hailong-"
#define BACKUP_SUFFIX ".db"
/* "hailong-" YYYYMMDD "-" HHMMSS ".db" */
#define BACKUP_NAME_LEN 26

/* "YYYYMMDD-HHMMSS" in +07:00; out holds 16. */
static void
stamp(int64_t t, char out[32])
{
	int64_t local = t + HL_TZ_OFFSET;
	int64_t days = local / 86400, secs = local % 86400;
	int y, m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d%02d%02d-%02d%02d%02d", y % 10000, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

void
backup_name(const char *dir, int64_t t, char *out, size_t size)
{
	char s[32];

	stamp(t, s);
	snprintf(out, size, "%s/" BACKUP_PREFIX "%s" BACKUP_SUFFIX, dir, s);
}

const char *
backup_log_name(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n = 0;

	for (const char *p = slash ? slash + 1 : path; *p && n + 1 < size;
	     p++) {
		char c = *p;

		out[n++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '-' ||
			c == '_'
		    ? c
		    : '_';
	}
	out[n] = '\0';
	return out;
}

/* fsync the directory that holds `path`, so a rename or link lasts. */
static int
sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (slash == NULL)
		strlcpy_hl(dir, ".", sizeof(dir));
	else if (slash == path)
		strlcpy_hl(dir, "/", sizeof(dir));
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Remove a database file's companions (and the file when `self`). */
static void
unlink_db(const char *path, bool self)
{
	static const char *const ext[] = { "-wal", "-shm", "-journal" };
	char p[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
	if (self)
		unlink(path);
}

/* The first row of a PRAGMA that answers "ok" when all is well. */
static int
pragma_ok(struct db *db, const char *pragma, char *err, size_t errlen)
{
	struct db_stmt *st = db_query(db, pragma, "");
	int rc = -1;

	if (st == NULL || db_step(st) != DB_ROW) {
		snprintf(err, errlen, "%s: %s", pragma, db_errmsg(db));
	} else if (!str_eq(db_col_text(st, 0), "ok")) {
		snprintf(err, errlen, "%s failed: %s", pragma,
		    db_col_text(st, 0) ? db_col_text(st, 0) : "?");
	} else {
		rc = 0;
	}
	db_done(st);
	return rc;
}

int
backup_make(
    struct db *db, const char *dest, int64_t *bytes, char *err, size_t errlen)
{
	char tmp[PATH_MAX], now[24], why[256];
	struct db *copy = NULL;
	struct stat st;
	int rc = -1;

	*bytes = 0;
	if (access(dest, F_OK) == 0) {
		snprintf(
		    err, errlen, "'%s' exists; refusing to overwrite it", dest);
		return -1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dest,
		(long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "'%s': path too long", dest);
		return -1;
	}
	unlink_db(tmp, true);
	if (db_backup(db, tmp, err, errlen) < 0)
		goto out;
	if (chmod(tmp, 0600) < 0) {
		snprintf(err, errlen, "chmod '%s': %s", tmp, strerror(errno));
		goto out;
	}
	/* one self-contained file, checked before it takes its name */
	copy = db_open(tmp, 0, err, errlen);
	if (copy == NULL)
		goto out;
	if (db_exec(copy, "PRAGMA journal_mode=DELETE") < 0) {
		snprintf(err, errlen, "'%s': %s", tmp, db_errmsg(copy));
		goto out;
	}
	if (pragma_ok(copy, "PRAGMA quick_check", why, sizeof(why)) < 0) {
		snprintf(err, errlen, "the copy does not check: %s", why);
		goto out;
	}
	db_close(copy);
	copy = NULL;
	if (sync_file(tmp) < 0 || link(tmp, dest) < 0 ||
	    sync_dir_of(dest) < 0) {
		snprintf(err, errlen, "cannot put the backup at '%s': %s", dest,
		    strerror(errno));
		goto out;
	}
	if (stat(dest, &st) == 0)
		*bytes = (int64_t)st.st_size;
	snprintf(now, sizeof(now), "%lld", (long long)hl_now());
	if (store_meta_set(db, "last_backup_at", now) < 0)
		log_msg(LOG_WARN, "backup",
		    "made '%s' but could not record it: %s", dest,
		    db_errmsg(db));
	rc = 0;
out:
	db_close(copy);
	unlink_db(tmp, true);
	return rc;
}

static bool
is_backup_name(const char *name)
{
	if (strlen(name) != BACKUP_NAME_LEN ||
	    !str_has_prefix(name, BACKUP_PREFIX) ||
	    strcmp(name + BACKUP_NAME_LEN - 3, BACKUP_SUFFIX) != 0 ||
	    name[16] != '-')
		return false;
	for (int i = 8; i < 23; i++)
		if (i != 16 && (name[i] < '0' || name[i] > '9'))
			return false;
	return true;
}

static int
cmp_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

int
backup_rotate(
    const char *dir, unsigned keep, int *deleted, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, cap = 0;
	int rc = -1;

	*deleted = 0;
	if (d == NULL) {
		snprintf(
		    err, errlen, "cannot read '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_backup_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* names sort as dates: newest first, and keep the first `keep` */
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_desc);
	for (size_t i = keep; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) < 0) {
			snprintf(err, errlen, "cannot delete '%s': %s", path,
			    strerror(errno));
			goto out;
		}
		(*deleted)++;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
backup_verify(struct db *db, struct backup_info *info, char *err, size_t errlen)
{
	unsigned char head[SHA256_LEN];
	struct chain_check cc;
	int64_t bad = 0, last = 0;
	int r;

	memset(info, 0, sizeof(*info));
	if (pragma_ok(db, "PRAGMA integrity_check", err, errlen) < 0)
		return -1;
	if (db_user_version(db, &info->schema) < 0) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	r = ratings_verify_chain(db, &cc);
	info->ratings = cc.rows;
	if (r != 0) {
		if (r == 1)
			snprintf(err, errlen,
			    "the ratings hash chain is broken at seq %lld: %s",
			    (long long)cc.bad_seq, cc.why);
		else
			snprintf(err, errlen, "cannot read the ratings: %s",
			    db_errmsg(db));
		return -1;
	}
	r = audit_verify(db, &info->audit, &bad);
	if (r != 0) {
		if (r == 1)
			snprintf(err, errlen,
			    "the audit hash chain is broken at seq %lld",
			    (long long)bad);
		else
			snprintf(err, errlen, "cannot read the audit log: %s",
			    db_errmsg(db));
		return -1;
	}
	if (store_current_kid(db) < 0) {
		snprintf(err, errlen,
		    "it has no key for QR tokens: not a database made by "
		    "'hailong init'");
		return -1;
	}
	if (ratings_chain_head(db, &last, head) < 0 ||
	    db_int(db, &info->last_rating,
		"SELECT coalesce(max(received_at), 0) FROM ratings", "") < 0) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	hex_encode(head, sizeof(head), info->head);
	return 0;
}

/* Copy a file byte for byte to a new private file, synced. */
static int
copy_file(const char *from, const char *to, char *err, size_t errlen)
{
	char chunk[65536];
	int in = -1, out = -1, rc = -1;
	struct stat st;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		snprintf(
		    err, errlen, "cannot read '%s': %s", from, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a file", from);
		goto out;
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		snprintf(
		    err, errlen, "cannot create '%s': %s", to, strerror(errno));
		goto out;
	}
	while ((n = read(in, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", from,
			    strerror(errno));
			goto out;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, chunk + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				snprintf(err, errlen, "cannot write '%s': %s",
				    to, strerror(errno));
				goto out;
			}
			off += w;
		}
	}
	if (fsync(out) < 0) {
		snprintf(
		    err, errlen, "cannot write '%s': %s", to, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* Whether the file starts like an SQLite database. */
static bool
looks_like_sqlite(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    memcmp(head, magic, sizeof(magic)) == 0;
	close(fd);
	return yes;
}

/* Open the copy of the backup, bring it to this schema, and check it. */
static struct db *
open_verified(const char *tmp, const char *from, struct backup_info *info,
    char *err, size_t errlen)
{
	char why[512];
	struct db *db;
	int have = 0;

	db = db_open(tmp, 0, why, sizeof(why));
	if (db == NULL || db_user_version(db, &have) < 0 || have < 1) {
		snprintf(err, errlen, "'%s' is not a hailong database%s%s",
		    from, db == NULL ? ": " : "", db == NULL ? why : "");
		db_close(db);
		return NULL;
	}
	db_close(db);
	db = store_open(tmp, 0, why, sizeof(why));
	if (db == NULL) {
		snprintf(err, errlen, "backup '%s': %s", from, why);
		return NULL;
	}
	if (backup_verify(db, info, why, sizeof(why)) < 0) {
		snprintf(err, errlen,
		    "backup '%s' does not verify: %s; nothing was changed",
		    from, why);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Move a damaged database and its companions aside, to `kept`. */
static int
move_aside(const char *path, const char *kept, char *err, size_t errlen)
{
	static const char *const ext[] = { "-wal", "-shm", "-journal" };
	char a[PATH_MAX], b[PATH_MAX];

	if (rename(path, kept) < 0) {
		snprintf(err, errlen, "cannot move '%s' aside: %s", path,
		    strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		snprintf(a, sizeof(a), "%s%s", path, ext[i]);
		snprintf(b, sizeof(b), "%s%s", kept, ext[i]);
		if (rename(a, b) < 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot move '%s' aside: %s", a,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

int
backup_restore(const char *path, const char *from, char *kept, size_t keptsize,
    struct backup_info *info, char *err, size_t errlen)
{
	struct dblock *lock = NULL;
	struct db *cur = NULL, *copy = NULL;
	char tmp[PATH_MAX], s[32], why[512];
	bool exists = access(path, F_OK) == 0, damaged = false;
	bool tmp_placed = false;
	int rc = -1;

	kept[0] = '\0';
	if (exists) {
		lock = dblock_take(path, DBLOCK_EXCLUSIVE, err, errlen);
		if (lock == NULL)
			return -1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restore-%ld", path,
		(long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "'%s': path too long", path);
		goto out;
	}
	unlink_db(tmp, true);
	if (copy_file(from, tmp, err, errlen) < 0)
		goto out;
	copy = open_verified(tmp, from, info, err, errlen);
	if (copy == NULL)
		goto out;
	stamp(hl_now(), s);
	if (exists) {
		cur = db_open(path, DB_EXCLUSIVE, why, sizeof(why));
		if (cur == NULL && looks_like_sqlite(path)) {
			snprintf(err, errlen, "%s", why);
			goto out;
		}
		damaged = cur == NULL;
	}
	if (cur != NULL) {
		snprintf(kept, keptsize, "%s.pre-restore-%s", path, s);
		if (db_backup(cur, kept, why, sizeof(why)) < 0) {
			/* pages SQLite cannot copy: keep the file itself */
			log_msg(LOG_WARN, "restore",
			    "cannot copy the current database (%s); moving "
			    "it aside",
			    why);
			db_close(cur);
			cur = NULL;
			damaged = true;
		} else {
			chmod(kept, 0600);
			if (db_restore(cur, copy, err, errlen) < 0)
				goto out;
		}
	}
	if (!exists || damaged) {
		/* the verified copy becomes the database, as one file */
		if (db_exec(copy, "PRAGMA journal_mode=DELETE") < 0) {
			snprintf(err, errlen, "%s", db_errmsg(copy));
			goto out;
		}
		db_close(copy);
		copy = NULL;
		if (damaged) {
			snprintf(kept, keptsize, "%s.damaged-%s", path, s);
			if (move_aside(path, kept, err, errlen) < 0)
				goto out;
		}
		if (rename(tmp, path) < 0) {
			snprintf(err, errlen, "cannot put '%s' in place: %s",
			    path, strerror(errno));
			goto out;
		}
		tmp_placed = true;
	}
	rc = 0;
out:
	db_close(copy);
	db_close(cur);
	if (!tmp_placed)
		unlink_db(tmp, true);
	sync_dir_of(path);
	dblock_release(lock);
	return rc;
}
