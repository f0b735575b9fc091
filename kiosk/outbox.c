/* outbox.c -- the kiosk's durable queue of ratings, and its small state. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/rating.h"
#include "hailong/util.h"
#include "outbox.h"

/* "HLKO": what PRAGMA application_id says in every outbox file. */
#define OUTBOX_APP_ID 0x484c4b4f
#define OUTBOX_SCHEMA 2

static const char schema_v1[] =
    "CREATE TABLE outbox ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " id TEXT NOT NULL UNIQUE,"
    " level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
    " reasons TEXT NOT NULL DEFAULT '',"
    " dossier TEXT NOT NULL DEFAULT '',"
    " rated_ms INTEGER NOT NULL,"
    " burst INTEGER NOT NULL DEFAULT 0 CHECK (burst IN (0, 1)),"
    " hold_until INTEGER NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
    "  ('pending', 'sent', 'conflict', 'rejected')),"
    " reason TEXT,"
    " settled_at INTEGER"
    ") STRICT;"
    "CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';"
    "CREATE INDEX outbox_problems ON outbox(seq)"
    " WHERE state IN ('conflict', 'rejected');"
    "CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
    " STRICT;";

/* 2: who rated (README "Kiosks"): the requester type a citizen chose
 * (citizen, business, or '' for not said) and the assisted mark. */
static const char schema_v2[] =
    "ALTER TABLE outbox ADD COLUMN requester TEXT NOT NULL DEFAULT ''"
    " CHECK (requester IN ('', 'citizen', 'business'));"
    "ALTER TABLE outbox ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0"
    " CHECK (assisted IN (0, 1));";

#define ENTRY_COLUMNS \
	"seq, id, level, reasons, dossier, rated_ms, burst, requester, " \
	"assisted"

struct outbox {
	pthread_mutex_t lock;
	struct db *db;
};

static int
prepare_schema(struct db *db, const char *path, char *err, size_t errlen)
{
	int64_t app = 0;
	int version = 0;

	if (db_int(db, &app, "PRAGMA application_id", "") < 0 ||
	    db_user_version(db, &version) < 0)
		goto damaged;
	if (version == 0 && app == 0) {
		int64_t tables = 0;
		char pragma[64];

		if (db_int(db, &tables, "SELECT count(*) FROM sqlite_master",
			"") < 0)
			goto damaged;
		if (tables != 0)
			goto foreign;
		snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d",
		    OUTBOX_APP_ID);
		if (db_begin(db) < 0 || db_exec(db, schema_v1) < 0 ||
		    db_exec(db, schema_v2) < 0 || db_exec(db, pragma) < 0 ||
		    db_set_user_version(db, OUTBOX_SCHEMA) < 0 ||
		    db_commit(db) < 0) {
			snprintf(err, errlen,
			    "cannot create the outbox '%s': %s", path,
			    db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		return 0;
	}
	if (app != OUTBOX_APP_ID)
		goto foreign;
	if (version > OUTBOX_SCHEMA) {
		snprintf(err, errlen,
		    "the outbox '%s' was written by a newer hailong-kiosk "
		    "(schema %d); run that version",
		    path, version);
		return -1;
	}
	/* an outbox of the version before: its ratings keep, not said */
	if (version == 1 &&
	    (db_begin(db) < 0 || db_exec(db, schema_v2) < 0 ||
		db_set_user_version(db, OUTBOX_SCHEMA) < 0 ||
		db_commit(db) < 0)) {
		snprintf(err, errlen, "cannot upgrade the outbox '%s': %s",
		    path, db_errmsg(db));
		db_rollback(db);
		return -1;
	}
	return 0;
foreign:
	snprintf(err, errlen,
	    "'%s' is not a hailong-kiosk outbox; move it away and start "
	    "again",
	    path);
	return -1;
damaged:
	snprintf(err, errlen,
	    "the outbox '%s' is damaged (%s); keep the file for recovery, "
	    "move it aside and start with --new-outbox",
	    path, db_errmsg(db));
	return -1;
}

/* SQLite's own check of the file's structure. */
static int
quick_check(struct db *db, const char *path, char *err, size_t errlen)
{
	struct db_stmt *st = db_query(db, "PRAGMA quick_check", "");
	const char *res;
	int rc = -1;

	if (st == NULL || db_step(st) != DB_ROW) {
		snprintf(err, errlen,
		    "the outbox '%s' is damaged (%s); keep the file for "
		    "recovery, move it aside and start with --new-outbox",
		    path, db_errmsg(db));
		goto out;
	}
	res = db_col_text(st, 0);
	if (res == NULL || strcmp(res, "ok") != 0) {
		snprintf(err, errlen,
		    "the outbox '%s' is damaged (%.200s); keep the file for "
		    "recovery, move it aside and start with --new-outbox",
		    path, res ? res : "?");
		goto out;
	}
	rc = 0;
out:
	db_done(st);
	return rc;
}

struct outbox *
outbox_open(const char *dir, bool create, char *err, size_t errlen)
{
	struct outbox *ob = NULL;
	struct db *db = NULL;
	char path[1024], why[512];
	struct stat st;

	if (stat(dir, &st) < 0) {
		snprintf(err, errlen,
		    "the data directory '%s' %s; enrol the kiosk first: "
		    "hailong-kiosk enroll --server URL --code CODE --data %s",
		    dir, errno == ENOENT ? "does not exist" : "cannot be read",
		    dir);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a directory", dir);
		return NULL;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		snprintf(err, errlen,
		    "the data directory '%s' is not writable: %s", dir,
		    strerror(errno));
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, OUTBOX_FILE);
	if (!create && access(path, F_OK) != 0) {
		snprintf(err, errlen,
		    "the outbox '%s' is missing: ratings kept in it may be "
		    "lost.  Look for it; to start an empty outbox on "
		    "purpose, run with --new-outbox",
		    path);
		return NULL;
	}
	db = db_open(path, DB_CREATE, why, sizeof(why));
	if (db == NULL) {
		snprintf(err, errlen,
		    "the outbox '%s' cannot be opened: %s.  If it is "
		    "damaged, keep it for recovery, move it aside and start "
		    "with --new-outbox",
		    path, why);
		return NULL;
	}
	chmod(path, 0600);
	if (prepare_schema(db, path, err, errlen) < 0 ||
	    quick_check(db, path, err, errlen) < 0) {
		db_close(db);
		return NULL;
	}
	ob = xcalloc(1, sizeof(*ob));
	pthread_mutex_init(&ob->lock, NULL);
	ob->db = db;
	return ob;
}

bool
outbox_is_durable(struct outbox *ob)
{
	bool durable;

	pthread_mutex_lock(&ob->lock);
	durable = db_is_durable(ob->db);
	pthread_mutex_unlock(&ob->lock);
	return durable;
}

void
outbox_close(struct outbox *ob)
{
	if (ob == NULL)
		return;
	db_close(ob->db);
	pthread_mutex_destroy(&ob->lock);
	free(ob);
}

int
outbox_add(struct outbox *ob, const struct wire_local *in, int64_t now_ms,
    int64_t burst_ms, int64_t hold_until_ms, char id[OUTBOX_UUID_LEN + 1],
    int64_t *seq, bool *burst, char *err, size_t errlen)
{
	int64_t last = 0;
	int rc = -1, r;

	uuid_v7(id); /* time-ordered: appends to the server's key index */
	*burst = false;
	pthread_mutex_lock(&ob->lock);
	if (db_begin(ob->db) < 0)
		goto fail;
	r = db_int(ob->db, &last,
	    "SELECT rated_ms FROM outbox ORDER BY seq DESC LIMIT 1", "");
	if (r < 0)
		goto fail;
	/* a clock stepped back is not a burst */
	*burst = r == 0 && now_ms >= last && now_ms - last < burst_ms;
	if (db_run(ob->db,
		"INSERT INTO outbox(id, level, reasons, dossier, rated_ms, "
		"burst, hold_until, requester, assisted) VALUES (?, ?, ?, ?, "
		"?, ?, ?, ?, ?)",
		"tittliltl", id, in->level, in->reasons, in->dossier, now_ms,
		*burst ? 1 : 0, in->reasons_follow ? hold_until_ms : 0,
		rating_requester_name(in->requester),
		(int64_t)(in->assisted ? 1 : 0)) < 0)
		goto fail;
	*seq = db_last_rowid(ob->db);
	if (db_commit(ob->db) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	snprintf(
	    err, errlen, "the outbox cannot be written: %s", db_errmsg(ob->db));
	db_rollback(ob->db);
out:
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

int
outbox_set_reasons(
    struct outbox *ob, const char *id, const char *reasons, int64_t now_ms)
{
	int rc;

	pthread_mutex_lock(&ob->lock);
	rc = db_run(ob->db,
	    "UPDATE outbox SET reasons = ?, hold_until = 0 WHERE id = ? AND "
	    "state = 'pending' AND hold_until > ?",
	    "ttl", reasons, id, now_ms);
	if (rc == 0)
		rc = db_changes(ob->db) == 1 ? 0 : 1;
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

static void
row_to_entry(struct db_stmt *st, struct outbox_entry *e)
{
	const char *s;

	memset(e, 0, sizeof(*e));
	e->seq = db_col_int(st, 0);
	s = db_col_text(st, 1);
	strlcpy_hl(e->id, s ? s : "", sizeof(e->id));
	e->level = (int)db_col_int(st, 2);
	s = db_col_text(st, 3);
	strlcpy_hl(e->reasons, s ? s : "", sizeof(e->reasons));
	s = db_col_text(st, 4);
	strlcpy_hl(e->dossier, s ? s : "", sizeof(e->dossier));
	e->rated_ms = db_col_int(st, 5);
	e->burst = db_col_int(st, 6) != 0;
	s = db_col_text(st, 7);
	if (s == NULL || rating_requester_parse(s, &e->requester) < 0)
		e->requester = REQUESTER_NONE;
	e->assisted = db_col_int(st, 8) != 0;
}

int
outbox_pending(struct outbox *ob, int64_t now_ms, size_t max,
    struct outbox_entry *out, size_t *n, int64_t *next_hold_ms)
{
	struct db_stmt *st;
	int step = DB_DONE, rc = -1;

	*n = 0;
	*next_hold_ms = 0;
	pthread_mutex_lock(&ob->lock);
	st = db_query(ob->db,
	    "SELECT " ENTRY_COLUMNS " FROM outbox WHERE state = 'pending' "
	    "AND hold_until <= ? ORDER BY seq LIMIT ?",
	    "ll", now_ms, (int64_t)max);
	while (st != NULL && *n < max && (step = db_step(st)) == DB_ROW)
		row_to_entry(st, &out[(*n)++]);
	db_done(st);
	if (st == NULL || step < 0)
		goto out;
	if (db_int(ob->db, next_hold_ms,
		"SELECT coalesce(min(hold_until), 0) FROM outbox WHERE "
		"state = 'pending' AND hold_until > ?",
		"l", now_ms) < 0)
		goto out;
	rc = 0;
out:
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

int
outbox_settle(struct outbox *ob, const struct outbox_result *r, size_t n,
    int64_t now_ms, int64_t nonce)
{
	static const char *const states[] = { "sent", "sent", "conflict",
		"rejected" };
	char num[24];
	int rc = -1;

	snprintf(num, sizeof(num), "%lld", (long long)nonce);
	pthread_mutex_lock(&ob->lock);
	if (db_begin(ob->db) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)r[i].status > WIRE_REJECTED)
			goto fail;
		if (db_run(ob->db,
			"UPDATE outbox SET state = ?, reason = ?, settled_at = "
			"? WHERE seq = ? AND state = 'pending'",
			"ttll", states[r[i].status],
			r[i].status == WIRE_REJECTED ? r[i].reason
			    : r[i].status == WIRE_CONFLICT
			    ? "the server holds different content under this "
			      "id"
			    : NULL,
			now_ms, r[i].seq) < 0)
			goto fail;
	}
	if (db_run(ob->db,
		"INSERT INTO state(key, value) VALUES ('nonce', ?) ON "
		"CONFLICT(key) DO UPDATE SET value = excluded.value",
		"t", num) < 0 ||
	    db_commit(ob->db) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(ob->db);
out:
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

int
outbox_stats(struct outbox *ob, struct outbox_stats *st)
{
	struct db_stmt *q;
	int rc = -1, step = DB_DONE;

	memset(st, 0, sizeof(*st));
	st->oldest_ms = -1;
	pthread_mutex_lock(&ob->lock);
	q = db_query(
	    ob->db, "SELECT state, count(*) FROM outbox GROUP BY state", "");
	while (q != NULL && (step = db_step(q)) == DB_ROW) {
		const char *s = db_col_text(q, 0);
		int64_t c = db_col_int(q, 1);

		if (str_eq(s, "pending"))
			st->pending = c;
		else if (str_eq(s, "sent"))
			st->sent = c;
		else if (str_eq(s, "conflict"))
			st->conflict = c;
		else if (str_eq(s, "rejected"))
			st->rejected = c;
	}
	db_done(q);
	if (q == NULL || step < 0)
		goto out;
	if (st->pending > 0 &&
	    db_int(ob->db, &st->oldest_ms,
		"SELECT rated_ms FROM outbox WHERE state = 'pending' ORDER "
		"BY seq LIMIT 1",
		"") < 0)
		goto out;
	/* sqlite_sequence remembers the last seq even after pruning */
	if (db_int(ob->db, &st->last_seq,
		"SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name "
		"= 'outbox'), 0)",
		"") < 0)
		goto out;
	rc = 0;
out:
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

int
outbox_prune(struct outbox *ob, int64_t before_ms)
{
	int rc;

	pthread_mutex_lock(&ob->lock);
	rc = db_run(ob->db,
	    "DELETE FROM outbox WHERE state = 'sent' AND settled_at < ?", "l",
	    before_ms);
	pthread_mutex_unlock(&ob->lock);
	return rc;
}

int
outbox_problems(struct outbox *ob, size_t max, outbox_problem_fn fn, void *arg)
{
	struct db_stmt *st;
	int step = DB_DONE;

	pthread_mutex_lock(&ob->lock);
	st = db_query(ob->db,
	    "SELECT " ENTRY_COLUMNS ", state, reason FROM outbox WHERE "
	    "state IN ('conflict', 'rejected') ORDER BY seq LIMIT ?",
	    "l", (int64_t)max);
	while (st != NULL && (step = db_step(st)) == DB_ROW) {
		struct outbox_entry e;

		row_to_entry(st, &e);
		fn(&e, db_col_text(st, 9),
		    db_col_text(st, 10) ? db_col_text(st, 10) : "", arg);
	}
	db_done(st);
	pthread_mutex_unlock(&ob->lock);
	return st == NULL || step < 0 ? -1 : 0;
}

char *
outbox_get(struct outbox *ob, const char *key)
{
	struct db_stmt *st;
	char *v = NULL;

	pthread_mutex_lock(&ob->lock);
	st =
	    db_query(ob->db, "SELECT value FROM state WHERE key = ?", "t", key);
	if (st != NULL && db_step(st) == DB_ROW && db_col_text(st, 0))
		v = xstrdup(db_col_text(st, 0));
	db_done(st);
	pthread_mutex_unlock(&ob->lock);
	return v;
}

int
outbox_put(struct outbox *ob, const char *key, const char *value)
{
	int rc;

	pthread_mutex_lock(&ob->lock);
	rc = db_run(ob->db,
	    "INSERT INTO state(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
	    "UPDATE SET value = excluded.value",
	    "tt", key, value);
	pthread_mutex_unlock(&ob->lock);
	return rc;
}
