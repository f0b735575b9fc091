/* db.c -- the one door to SQLite: connections, cached statements, errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "hailong/db.h"
#include "hailong/log.h"
#include "hailong/util.h"

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	char *sql;
	bool busy; /* handed out and not yet given back */
	struct db_stmt *next;
};

struct db {
	sqlite3 *h;
	char *path;
	struct db_stmt *stmts; /* cache, most recently added first */
};

static enum db_error
map_error(int rc)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return DB_ERR_UNIQUE;
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return DB_OK;
	case SQLITE_FULL: return DB_ERR_FULL;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_ERR_BUSY;
	case SQLITE_CONSTRAINT: return DB_ERR_CONSTRAINT;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM: return DB_ERR_IO;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB: return DB_ERR_CORRUPT;
	default: return DB_ERR_OTHER;
	}
}

/* hl_fail(msg): the statement fails with msg (db_set_error()). */
static void
sql_fail(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *msg = sqlite3_value_text(argv[0]);

	(void)argc;
	sqlite3_result_error(
	    ctx, msg != NULL ? (const char *)msg : "failed", -1);
}

/* One integer or text PRAGMA's value into out (size bytes); -1 if none. */
static int
pragma_text(sqlite3 *h, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    sqlite3_column_text(st, 0) == NULL)
		goto out;
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/*
 * synchronous=FULL (2) or EXTRA (3): in WAL mode, each COMMIT syncs the
 * WAL before it returns.  (The journal mode is not asked for: FULL is
 * durable in either.)
 */
static bool
is_durable(sqlite3 *h)
{
	char sync[16];

	if (pragma_text(h, "PRAGMA synchronous", sync, sizeof(sync)) < 0)
		return false;
	return strcmp(sync, "2") == 0 || strcmp(sync, "3") == 0;
}

bool
db_is_durable(struct db *db)
{
	return is_durable(db->h);
}

struct db *
db_open(const char *path, int flags, char *err, size_t errlen)
{
	static const char setup[] = "PRAGMA foreign_keys=ON;"
				    "PRAGMA synchronous=FULL;"
				    "PRAGMA trusted_schema=OFF;"
				    "PRAGMA temp_store=MEMORY;";
	struct db *db = NULL;
	sqlite3 *h = NULL;
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	oflags |= (flags & DB_READONLY) ? SQLITE_OPEN_READONLY
					: SQLITE_OPEN_READWRITE;
	if (flags & DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (!(flags & DB_CREATE) && access(path, F_OK) != 0) {
		if (err != NULL)
			snprintf(err, errlen,
			    "cannot open database '%s': "
			    "no such file (create it with 'hailong init')",
			    path);
		return NULL;
	}
	rc = sqlite3_open_v2(path, &h, oflags, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_extended_result_codes(h, 1);
	if (flags & DB_EXCLUSIVE) {
		/*
		 * Before the first read, so that WAL runs without shared
		 * memory and the file lock is exclusive: it cannot be had
		 * while another connection holds the file open.
		 */
		rc = sqlite3_exec(h,
		    "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
		    "SELECT count(*) FROM sqlite_master; COMMIT",
		    NULL, NULL, NULL);
		if ((rc & 0xff) == SQLITE_BUSY ||
		    (rc & 0xff) == SQLITE_LOCKED) {
			if (err != NULL)
				snprintf(err, errlen,
				    "database '%s' is in use by another "
				    "program (a running hailong server?)",
				    path);
			sqlite3_close_v2(h);
			return NULL;
		}
		if (rc != SQLITE_OK)
			goto fail;
	}
	sqlite3_busy_timeout(h, 5000);
	/* Reading the schema catches a file that is not a database. */
	rc = sqlite3_exec(
	    h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if (!(flags & DB_READONLY)) {
		rc = sqlite3_exec(
		    h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
	}
	rc = sqlite3_exec(h, setup, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	/*
	 * A connection that writes must be durable: a commit is on the disk
	 * before anyone is told so.  A SQLite build or a later PRAGMA can
	 * lower it, and no crash test sees that (kill -9 keeps what the OS
	 * was given; only a power cut loses it), so read it back and refuse.
	 */
	if (!(flags & DB_READONLY) && !is_durable(h)) {
		if (err != NULL)
			snprintf(err, errlen,
			    "cannot open database '%s': synchronous is not "
			    "FULL, so a commit could be lost in a power cut; "
			    "refusing to write to it",
			    path);
		sqlite3_close_v2(h);
		return NULL;
	}
	/*
	 * A read-only open is a command that reads a month or a chain from
	 * a file that may be gigabytes: its pages are read from the page
	 * cache in place rather than copied by a pread() each (a third of
	 * a province's month).  The server's connections keep pread(): an
	 * I/O error is an error code there, not a SIGBUS.
	 */
	if (flags & DB_READONLY)
		sqlite3_exec(
		    h, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	/* db_set_error()'s way in; SQLITE_DIRECTONLY: no trigger or view
	 * in a file can call it */
	rc = sqlite3_create_function_v2(h, "hl_fail", 1,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, sql_fail, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	db = xcalloc(1, sizeof(*db));
	db->h = h;
	db->path = xstrdup(path);
	return db;
fail:
	if (err != NULL)
		snprintf(err, errlen, "cannot open database '%s': %s", path,
		    h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
	sqlite3_close_v2(h);
	return NULL;
}

void
db_release_memory(struct db *db)
{
	sqlite3_db_release_memory(db->h);
}

void
db_close(struct db *db)
{
	struct db_stmt *s, *next;

	if (db == NULL)
		return;
	for (s = db->stmts; s != NULL; s = next) {
		next = s->next;
		sqlite3_finalize(s->st);
		free(s->sql);
		free(s);
	}
	if (sqlite3_close(db->h) != SQLITE_OK)
		log_msg(LOG_ERROR, "db", "close %s: %s", db->path,
		    sqlite3_errmsg(db->h));
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

void
db_set_error(struct db *db, const char *msg)
{
	sqlite3_stmt *st;

	/* a statement that fails with msg: SQLite keeps it as the
	 * connection's last error, like any other */
	if (sqlite3_prepare_v2(db->h, "SELECT hl_fail(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, msg, -1, SQLITE_TRANSIENT);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

enum db_error
db_error(struct db *db)
{
	return map_error(sqlite3_extended_errcode(db->h));
}

int
db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_msg(LOG_ERROR, "db", "%s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt *s;
	sqlite3_stmt *st;

	for (s = db->stmts; s != NULL; s = s->next) {
		if (!s->busy && (s->sql == sql || strcmp(s->sql, sql) == 0)) {
			s->busy = true;
			return s;
		}
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
		NULL) != SQLITE_OK) {
		log_msg(LOG_ERROR, "db", "prepare: %s: %s",
		    sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->db = db;
	s->sql = xstrdup(sql);
	s->busy = true;
	s->next = db->stmts;
	db->stmts = s;
	return s;
}

static int
bind_check(struct db_stmt *st, int rc)
{
	if (rc != SQLITE_OK) {
		log_msg(LOG_ERROR, "db", "bind: %s", sqlite3_errmsg(st->db->h));
		return -1;
	}
	return 0;
}

int
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	return bind_check(st, sqlite3_bind_int64(st->st, i, v));
}

int
db_bind_double(struct db_stmt *st, int i, double v)
{
	return bind_check(st, sqlite3_bind_double(st->st, i, v));
}

int
db_bind_text(struct db_stmt *st, int i, const char *s, long len)
{
	if (s == NULL)
		return db_bind_null(st, i);
	return bind_check(
	    st, sqlite3_bind_text(st->st, i, s, (int)len, SQLITE_TRANSIENT));
}

int
db_bind_blob(struct db_stmt *st, int i, const void *p, size_t len)
{
	return bind_check(
	    st, sqlite3_bind_blob(st->st, i, p, (int)len, SQLITE_TRANSIENT));
}

int
db_bind_null(struct db_stmt *st, int i)
{
	return bind_check(st, sqlite3_bind_null(st->st, i));
}

static int
bind_va(struct db_stmt *st, const char *types, va_list ap)
{
	int rc = 0;

	for (int i = 0; types[i] != '\0' && rc == 0; i++) {
		const char *s;
		const void *p;
		size_t n;

		switch (types[i]) {
		case 'i': rc = db_bind_int(st, i + 1, va_arg(ap, int)); break;
		case 'l':
			rc = db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = db_bind_double(st, i + 1, va_arg(ap, double));
			break;
		case 't':
			rc = db_bind_text(
			    st, i + 1, va_arg(ap, const char *), -1);
			break;
		case 'T':
			s = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			rc = db_bind_text(st, i + 1, s, (long)n);
			break;
		case 'b':
			p = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			rc = db_bind_blob(st, i + 1, p, n);
			break;
		case 'n': rc = db_bind_null(st, i + 1); break;
		default:
			log_msg(
			    LOG_ERROR, "db", "bad bind type '%c'", types[i]);
			rc = -1;
		}
	}
	return rc;
}

static struct db_stmt *
query_va(struct db *db, const char *sql, const char *types, va_list ap)
{
	struct db_stmt *st = db_prepare(db, sql);

	if (st == NULL)
		return NULL;
	if (bind_va(st, types, ap) < 0) {
		db_done(st);
		return NULL;
	}
	return st;
}

struct db_stmt *
db_query(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = query_va(db, sql, types, ap);
	va_end(ap);
	return st;
}

int
db_run(struct db *db, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = query_va(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int
db_int(struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
	struct db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = query_va(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_col_int(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

int
db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->st);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	/* constraint failures are answers, not faults: callers decide */
	log_msg(map_error(sqlite3_extended_errcode(st->db->h)) ==
			DB_ERR_CONSTRAINT ||
		    map_error(sqlite3_extended_errcode(st->db->h)) ==
			DB_ERR_UNIQUE
		? LOG_DEBUG
		: LOG_ERROR,
	    "db", "%s: %.120s", sqlite3_errmsg(st->db->h), st->sql);
	return -1;
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

double
db_col_double(struct db_stmt *st, int i)
{
	return sqlite3_column_double(st->st, i);
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

const void *
db_col_blob(struct db_stmt *st, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, i);

	*len = (size_t)sqlite3_column_bytes(st->st, i);
	return p;
}

bool
db_col_is_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

void
db_done(struct db_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	st->busy = false;
}

int
db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int64_t
db_last_rowid(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int
db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return 0; /* SQLite already rolled back (e.g. SQLITE_FULL) */
	return db_exec(db, "ROLLBACK");
}

bool
db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int
db_user_version(struct db *db, int *out)
{
	int64_t v;

	if (db_int(db, &v, "PRAGMA user_version", "") != 0)
		return -1;
	*out = (int)v;
	return 0;
}

int
db_set_user_version(struct db *db, int v)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
	return db_exec(db, sql);
}

int
db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	sqlite3 *out = NULL;
	sqlite3_backup *bk = NULL;
	int rc = -1, src;

	if (access(dest, F_OK) == 0) {
		snprintf(
		    err, errlen, "'%s' exists; refusing to overwrite it", dest);
		return -1;
	}
	if (sqlite3_open_v2(dest, &out,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
		NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot create '%s': %s", dest,
		    sqlite3_errmsg(out));
		goto out;
	}
	bk = sqlite3_backup_init(out, "main", db->h, "main");
	if (bk == NULL) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(out));
		goto out;
	}
	do {
		src = sqlite3_backup_step(bk, 256);
		if (src == SQLITE_BUSY || src == SQLITE_LOCKED)
			sleep_ms(5);
	} while (
	    src == SQLITE_OK || src == SQLITE_BUSY || src == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	bk = NULL;
	if (src != SQLITE_DONE) {
		snprintf(err, errlen, "backup to '%s': %s", dest,
		    sqlite3_errstr(src));
		goto out;
	}
	rc = 0;
out:
	if (bk != NULL)
		sqlite3_backup_finish(bk);
	sqlite3_close(out);
	if (rc < 0)
		unlink(dest);
	return rc;
}

int
db_restore(struct db *db, struct db *from, char *err, size_t errlen)
{
	sqlite3_backup *bk;
	int rc;

	bk = sqlite3_backup_init(db->h, "main", from->h, "main");
	if (bk == NULL) {
		snprintf(err, errlen, "restore into '%s': %s", db->path,
		    sqlite3_errmsg(db->h));
		return -1;
	}
	/* all pages in one step: one write transaction on `db` */
	rc = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "restore into '%s': %s", db->path,
		    sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

const char *
db_lib_version(void)
{
	return sqlite3_libversion();
}
