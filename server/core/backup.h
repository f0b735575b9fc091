/* backup.h -- copies of the database: make, rotate, verify, restore. */
#ifndef HAILONG_BACKUP_H
#define HAILONG_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * Copy the database `db` is connected to into `dest`, which must not
 * exist, online (SQLite's backup API: a server may go on writing): into
 * a temporary file beside `dest`, checked (quick_check), made one
 * self-contained file (journal_mode=DELETE), mode 0600, synced, then
 * linked into place, so `dest` is whole or absent.  Then records the
 * time in the source's meta table ("last_backup_at", read by GET
 * /metrics).  *bytes gets the size.  0 or -1 with err filled.
 */
int backup_make(
    struct db *db, const char *dest, int64_t *bytes, char *err, size_t errlen);

/*
 * The path of the backup made at `t`: "<dir>/hailong-YYYYMMDD-HHMMSS.db"
 * in +07:00, so names sort by date.
 */
void backup_name(const char *dir, int64_t t, char *out, size_t size);

/*
 * The last part of `path` as a logfmt value: bytes other than letters,
 * digits, '.', '-' and '_' become '_'.  Returns out.
 */
const char *backup_log_name(const char *path, char *out, size_t size);

/*
 * Delete the oldest backups in `dir` so that `keep` remain.  Only files
 * named as backup_name() makes them are touched.  *deleted gets how many
 * went.  0 or -1 with err filled.
 */
int backup_rotate(
    const char *dir, unsigned keep, int *deleted, char *err, size_t errlen);

/* What a verified copy holds. */
struct backup_info {
	int schema;          /* PRAGMA user_version */
	int64_t ratings;     /* rows of the ratings chain */
	int64_t audit;       /* entries of the audit chain */
	int64_t last_rating; /* received_at of the newest rating, 0: none */
	char head[65];       /* the ratings chain head, hex */
};

/*
 * Check a database as a restore would: PRAGMA integrity_check, the
 * ratings and audit hash chains, a token key.  0 (info filled) or -1
 * with err saying what is wrong.
 */
int backup_verify(
    struct db *db, struct backup_info *info, char *err, size_t errlen);

/*
 * Put the backup `from` in place of the database `path`, refusing while
 * anything uses it (hailong's own lock, then SQLite's: an exclusive
 * connection).  The backup is copied beside `path`, brought to this
 * binary's schema and verified with backup_verify() before anything is
 * touched; a backup newer than this binary is refused.  The current
 * database, when there is one, is first copied to kept
 * ("<path>.pre-restore-YYYYMMDD-HHMMSS", or ".damaged-..." when SQLite
 * cannot open it, then moved aside); *kept is "" when there was none.
 * 0 (info describes what is now in place) or -1 with err filled and the
 * current database unchanged.
 */
int backup_restore(const char *path, const char *from, char *kept,
    size_t keptsize, struct backup_info *info, char *err, size_t errlen);

#endif
