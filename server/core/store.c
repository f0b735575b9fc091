/* store.c -- the server's database: open, migrate, settings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/store.h"

extern const struct embed_file server_files[];

/*
 * Migrations are the embedded files schemas/NNN_name.sql, N from 1.  A
 * number may be missing while branches that reserved it are apart; the
 * version is the highest number present.
 */
static const struct embed_file *
migration(int n)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "schemas/%03d_", n);
	for (const struct embed_file *f = server_files; f->name != NULL; f++) {
		size_t len = strlen(f->name);

		if (str_has_prefix(f->name, prefix) && len > 4 &&
		    strcmp(f->name + len - 4, ".sql") == 0)
			return f;
	}
	return NULL;
}

int
store_schema_version(void)
{
	int n = 0;

	for (int v = 1; v < 1000; v++)
		if (migration(v) != NULL)
			n = v;
	return n;
}

static int
migrate(struct db *db, char *err, size_t errlen)
{
	int have, want = store_schema_version();

	if (db_user_version(db, &have) < 0) {
		snprintf(err, errlen, "cannot read schema version: %s",
		    db_errmsg(db));
		return -1;
	}
	if (have > want) {
		snprintf(err, errlen,
		    "database '%s' has schema version %d but "
		    "this hailong knows only up to %d; use a newer hailong "
		    "(downgrades are not supported)",
		    db_path(db), have, want);
		return -1;
	}
	if (have == want)
		return 0;
	/*
	 * Foreign keys off while migrating, as SQLite's recipe for changing
	 * a table says (010 rebuilds `ratings`, which other tables
	 * reference), and checked whole before each COMMIT instead.  The
	 * pragma is a no-op inside a transaction: set it outside.
	 */
	if (db_exec(db, "PRAGMA foreign_keys=OFF") < 0) {
		snprintf(err, errlen, "cannot migrate: %s", db_errmsg(db));
		return -1;
	}
	for (int v = have + 1; v <= want; v++) {
		const struct embed_file *f = migration(v);
		int64_t broken = 0;

		if (f == NULL)
			continue;
		if (db_begin(db) < 0 ||
		    db_exec(db, (const char *)f->data) < 0 ||
		    db_int(db, &broken,
			"SELECT count(*) FROM pragma_foreign_key_check",
			"") < 0 ||
		    broken != 0 || db_set_user_version(db, v) < 0 ||
		    db_commit(db) < 0) {
			snprintf(err, errlen, "migration %s failed: %s",
			    f->name,
			    broken != 0 ? "it would break foreign keys"
					: db_errmsg(db));
			db_rollback(db);
			db_exec(db, "PRAGMA foreign_keys=ON");
			return -1;
		}
		log_kv(LOG_INFO, "migrate", "version=%d file=%s", v, f->name);
	}
	if (db_exec(db, "PRAGMA foreign_keys=ON") < 0) {
		snprintf(err, errlen, "cannot migrate: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

struct db *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	struct db *db;
	int dbflags = 0;

	if (flags & STORE_READONLY)
		dbflags |= DB_READONLY;
	if ((flags & STORE_CREATE) && access(path, F_OK) != 0) {
		/* create it private: it holds keys and phone numbers */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		if (fd < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create database '%s': %s",
			    path, strerror(errno));
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	db = db_open(path, dbflags, err, errlen);
	if (db == NULL)
		return NULL;
	if (!(flags & STORE_READONLY) && migrate(db, err, errlen) < 0) {
		db_close(db);
		return NULL;
	}
	if (flags & STORE_READONLY) {
		int have;

		if (db_user_version(db, &have) < 0 ||
		    have != store_schema_version()) {
			snprintf(err, errlen,
			    "database '%s' has schema version "
			    "%d, this hailong needs %d; run 'hailong init --db "
			    "%s' to migrate it",
			    path, have, store_schema_version(), path);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

char *
store_meta_get(struct db *db, const char *key)
{
	struct db_stmt *st =
	    db_query(db, "SELECT value FROM meta WHERE key = ?", "t", key);
	char *v = NULL;

	if (st != NULL && db_step(st) == DB_ROW)
		v = xstrdup(db_col_text(st, 0));
	db_done(st);
	return v;
}

int
store_meta_set(struct db *db, const char *key, const char *value)
{
	return db_run(db,
	    "INSERT INTO meta(key, value) VALUES (?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	    "tt", key, value);
}

int
store_token_key(struct db *db, int kid, unsigned char key[32])
{
	struct db_stmt *st = db_query(db,
	    "SELECT secret FROM token_keys "
	    "WHERE kid = ? AND retired_at IS NULL",
	    "i", kid);
	int rc = -1;

	if (st != NULL && db_step(st) == DB_ROW) {
		size_t len;
		const void *p = db_col_blob(st, 0, &len);

		if (len == 32) {
			memcpy(key, p, 32);
			rc = 0;
		}
	}
	db_done(st);
	return rc;
}

int
store_current_kid(struct db *db)
{
	int64_t kid;

	if (db_int(db, &kid,
		"SELECT max(kid) FROM token_keys "
		"WHERE retired_at IS NULL",
		"") != 0 ||
	    kid <= 0)
		return -1;
	return (int)kid;
}

int
store_new_token_key(struct db *db)
{
	unsigned char secret[32];
	int64_t kid;

	random_bytes(secret, sizeof(secret));
	if (db_int(db, &kid,
		"SELECT coalesce(max(kid), 0) + 1 "
		"FROM token_keys",
		"") != 0)
		return -1;
	if (db_run(db,
		"INSERT INTO token_keys(kid, secret, created_at) "
		"VALUES (?, ?, ?)",
		"lbl", kid, secret, sizeof(secret), hl_now()) < 0)
		return -1;
	return (int)kid;
}

static bool
exists(struct db *db, const char *sql, const char *types, const char *a, int b)
{
	int64_t one;

	if (types[1] == 'i')
		return db_int(db, &one, sql, types, a, b) == 0;
	return db_int(db, &one, sql, types, a) == 0;
}

bool
store_has_unit(struct db *db, const char *code)
{
	return exists(db, "SELECT 1 FROM units WHERE code = ?", "t", code, 0);
}

bool
store_has_procedure(struct db *db, const char *code)
{
	return exists(
	    db, "SELECT 1 FROM procedures WHERE code = ?", "t", code, 0);
}

bool
store_has_counter(struct db *db, const char *unit, int number)
{
	return exists(db,
	    "SELECT 1 FROM counters WHERE unit = ? AND "
	    "number = ?",
	    "ti", unit, number);
}

bool
store_code_within(struct db *db, const char *unit, const char *ancestor)
{
	if (strcmp(unit, ancestor) == 0)
		return true;
	if (store_has_unit(db, unit))
		return store_unit_within(db, unit, ancestor);
	return unit_code_is_within(unit, ancestor);
}

bool
store_code_is_local(struct db *db, const char *code)
{
	char up[41];
	char *dot;

	strlcpy_hl(up, code, sizeof(up));
	for (;;) {
		if (store_has_unit(db, up))
			return true;
		dot = strrchr(up, '.');
		if (dot == NULL)
			return false;
		*dot = '\0';
	}
}

bool
store_unit_within(struct db *db, const char *unit, const char *ancestor)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM unit_tree WHERE ancestor = ? "
		   "AND descendant = ?",
		   "tt", ancestor, unit) == 0;
}
