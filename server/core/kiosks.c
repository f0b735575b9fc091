/* kiosks.c -- the kiosks table: register, enrol, revoke, guard, list. */
#include <stdio.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/kiosksig.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/kiosks.h"

#define KIOSK_COLUMNS \
	"rowid, id, unit, counter, officer, faces, created_at, " \
	"code_expires, enrolled_at, revoked_at, last_nonce, last_seen, " \
	"heartbeat_at, backlog, oldest_unsent, problems, max_seq, version, " \
	"secret"

/* The stored form of a code: SHA-256 of its normalized characters. */
static int
code_hash(const char *code, unsigned char out[SHA256_LEN])
{
	char norm[WIRE_CODE_CHARS + 1], text[64];
	int n;

	if (wire_code_normalize(code, strlen(code), norm) < 0)
		return -1;
	n = snprintf(text, sizeof(text), "hailong-enrol-v1:%s", norm);
	sha256(text, (size_t)n, out);
	return 0;
}

static int64_t
opt_int(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? -1 : db_col_int(st, i);
}

static void
copy_text(struct db_stmt *st, int i, char *out, size_t size)
{
	const char *s = db_col_text(st, i);

	strlcpy_hl(out, s != NULL ? s : "", size);
}

static void
row_to_kiosk(struct db_stmt *st, struct kiosk *k)
{
	const void *secret;
	size_t len = 0;

	memset(k, 0, sizeof(*k));
	k->rowid = db_col_int(st, 0);
	copy_text(st, 1, k->id, sizeof(k->id));
	copy_text(st, 2, k->unit, sizeof(k->unit));
	k->counter = (int)db_col_int(st, 3);
	copy_text(st, 4, k->officer, sizeof(k->officer));
	k->faces = (int)db_col_int(st, 5);
	k->created_at = db_col_int(st, 6);
	k->code_expires = db_col_int(st, 7);
	k->enrolled_at = opt_int(st, 8);
	k->revoked_at = opt_int(st, 9);
	k->last_nonce = db_col_int(st, 10);
	k->last_seen = opt_int(st, 11);
	k->heartbeat_at = opt_int(st, 12);
	k->backlog = opt_int(st, 13);
	k->oldest_unsent = opt_int(st, 14);
	k->problems = opt_int(st, 15);
	k->max_seq = db_col_int(st, 16);
	copy_text(st, 17, k->version, sizeof(k->version));
	secret = db_col_blob(st, 18, &len);
	if (secret != NULL && len == WIRE_SECRET_LEN) {
		memcpy(k->secret, secret, WIRE_SECRET_LEN);
		k->has_secret = true;
	}
}

int
kiosks_load(struct db *db, const char *id, struct kiosk *k)
{
	struct db_stmt *st = db_query(
	    db, "SELECT " KIOSK_COLUMNS " FROM kiosks WHERE id = ?", "t", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		row_to_kiosk(st, k);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
kiosks_add(struct db *db, const char *unit, int counter, const char *officer,
    int faces, int64_t now, char id[WIRE_KIOSK_ID_LEN + 1],
    char code[WIRE_CODE_LEN + 1], char *err, size_t errlen)
{
	unsigned char raw[5], hash[SHA256_LEN];
	int64_t one;

	if (db_int(db, &one, "SELECT active FROM units WHERE code = ?", "t",
		unit) != 0) {
		snprintf(err, errlen, "no unit '%s' in the database", unit);
		return -1;
	}
	if (one == 0) {
		snprintf(err, errlen,
		    "unit '%s' is disabled: it takes no new kiosk", unit);
		return -1;
	}
	if (db_int(db, &one,
		"SELECT active FROM counters WHERE unit = ? AND number = ?",
		"ti", unit, counter) != 0) {
		snprintf(err, errlen,
		    "unit '%s' has no counter %d (add it first with "
		    "'hailong counter add --unit %s --number %d --name NAME')",
		    unit, counter, unit, counter);
		return -1;
	}
	if (one == 0) {
		snprintf(err, errlen,
		    "counter %d of unit '%s' is disabled: it takes no new "
		    "kiosk",
		    counter, unit);
		return -1;
	}
	if (officer != NULL && officer[0] != '\0' &&
	    db_int(db, &one,
		"SELECT active FROM officers WHERE id = ? AND unit = ?", "tt",
		officer, unit) != 0) {
		snprintf(err, errlen,
		    "no active officer '%s' in unit '%s' (add one with "
		    "'hailong officer add')",
		    officer, unit);
		return -1;
	}
	if (officer != NULL && officer[0] != '\0' && one == 0) {
		snprintf(err, errlen,
		    "officer '%s' is disabled: no new kiosk names them",
		    officer);
		return -1;
	}
	if (faces != 3 && faces != 5) {
		snprintf(err, errlen, "a kiosk shows 3 or 5 faces");
		return -1;
	}
	random_bytes(raw, sizeof(raw));
	id[0] = 'k';
	hex_encode(raw, sizeof(raw), id + 1);
	wire_code_new(code);
	code_hash(code, hash);
	if (db_run(db,
		"INSERT INTO kiosks(id, unit, counter, officer, faces, "
		"created_at, code_hash, code_expires) VALUES (?, ?, ?, ?, "
		"?, ?, ?, ?)",
		"ttitilbl", id, unit, counter,
		officer != NULL && officer[0] != '\0' ? officer : NULL, faces,
		now, hash, sizeof(hash), now + WIRE_CODE_TTL) < 0) {
		snprintf(
		    err, errlen, "cannot add the kiosk: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

enum kiosks_enrol
kiosks_enrol(struct db *db, const char *code, int64_t now, struct kiosk *k)
{
	unsigned char hash[SHA256_LEN];
	enum kiosks_enrol result = KIOSKS_ERROR;
	struct db_stmt *st;
	char actor[64];
	int step;

	if (code_hash(code, hash) < 0)
		return KIOSKS_CODE_UNKNOWN;
	if (db_begin(db) < 0)
		return KIOSKS_ERROR;
	st = db_query(db,
	    "SELECT " KIOSK_COLUMNS " FROM kiosks WHERE code_hash = ?", "b",
	    hash, sizeof(hash));
	if (st == NULL)
		goto out;
	step = db_step(st);
	if (step == DB_ROW)
		row_to_kiosk(st, k);
	db_done(st);
	if (step < 0)
		goto out;
	if (step == DB_DONE) {
		result = KIOSKS_CODE_UNKNOWN;
		goto out;
	}
	/* used beats revoked beats expired: say what happened first */
	if (k->enrolled_at >= 0) {
		result = KIOSKS_CODE_USED;
		goto out;
	}
	if (k->revoked_at >= 0) {
		result = KIOSKS_REVOKED;
		goto out;
	}
	if (now >= k->code_expires) {
		result = KIOSKS_CODE_EXPIRED;
		goto out;
	}
	random_bytes(k->secret, sizeof(k->secret));
	k->has_secret = true;
	k->enrolled_at = now;
	snprintf(actor, sizeof(actor), "kiosk:%s", k->id);
	if (db_run(db,
		"UPDATE kiosks SET enrolled_at = ?, secret = ? WHERE id = ? "
		"AND enrolled_at IS NULL",
		"lbt", now, k->secret, sizeof(k->secret), k->id) < 0 ||
	    db_changes(db) != 1 ||
	    audit_append(db, actor, "kiosk.enrol", k->id, "") < 0 ||
	    db_commit(db) < 0)
		goto out;
	return KIOSKS_ENROLLED;
out:
	db_rollback(db);
	if (result != KIOSKS_ENROLLED)
		memset(k->secret, 0, sizeof(k->secret));
	return result;
}

int
kiosks_revoke(struct db *db, const char *id, int64_t now)
{
	if (db_run(db,
		"UPDATE kiosks SET revoked_at = ? WHERE id = ? AND "
		"revoked_at IS NULL",
		"lt", now, id) < 0)
		return -1;
	return db_changes(db) == 1 ? 0 : 1;
}

int
kiosks_heartbeat(struct db *db, const char *id, const char *version,
    int64_t backlog, int64_t oldest_unsent, int64_t problems, int64_t nonce,
    int64_t now)
{
	struct db_stmt *st = db_prepare(db,
	    "UPDATE kiosks SET heartbeat_at = ?1, version = ?2, backlog = ?3, "
	    "oldest_unsent = ?4, problems = ?5, last_seen = ?1, "
	    "last_nonce = max(last_nonce, ?7) WHERE id = ?6");
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, version, -1);
	db_bind_int(st, 3, backlog);
	if (oldest_unsent >= 0)
		db_bind_int(st, 4, oldest_unsent);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, problems);
	db_bind_text(st, 6, id, -1);
	db_bind_int(st, 7, nonce);
	rc = db_step(st);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

const char *
kiosk_state(const struct kiosk *k, int64_t now)
{
	if (k->revoked_at >= 0)
		return "revoked";
	if (k->enrolled_at >= 0)
		return "active";
	return now >= k->code_expires ? "expired" : "pending";
}

bool
kiosk_is_online(const struct kiosk *k, int64_t now)
{
	return k->revoked_at < 0 && k->enrolled_at >= 0 && k->last_seen >= 0 &&
	    now - k->last_seen <= WIRE_OFFLINE_AFTER;
}

static json_t *
time_or_null(int64_t t)
{
	char s[26];

	if (t < 0)
		return json_null();
	rfc3339_format(t, s);
	return json_string(s);
}

static json_t *
int_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *
kiosk_json(const struct kiosk *k, int64_t now)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(k->id));
	json_object_set_new(o, "unit", json_string(k->unit));
	json_object_set_new(o, "counter", json_integer(k->counter));
	json_object_set_new(o, "officer",
	    k->officer[0] ? json_string(k->officer) : json_null());
	json_object_set_new(o, "faces", json_integer(k->faces));
	json_object_set_new(o, "state", json_string(kiosk_state(k, now)));
	json_object_set_new(o, "online", json_boolean(kiosk_is_online(k, now)));
	json_object_set_new(o, "created_at", time_or_null(k->created_at));
	json_object_set_new(o, "code_expires",
	    k->enrolled_at < 0 ? time_or_null(k->code_expires) : json_null());
	json_object_set_new(o, "enrolled_at", time_or_null(k->enrolled_at));
	json_object_set_new(o, "revoked_at", time_or_null(k->revoked_at));
	json_object_set_new(o, "last_seen", time_or_null(k->last_seen));
	json_object_set_new(o, "heartbeat_at", time_or_null(k->heartbeat_at));
	json_object_set_new(o, "version",
	    k->version[0] ? json_string(k->version) : json_null());
	json_object_set_new(o, "backlog", int_or_null(k->backlog));
	json_object_set_new(o, "oldest_unsent", time_or_null(k->oldest_unsent));
	json_object_set_new(o, "problems", int_or_null(k->problems));
	json_object_set_new(o, "last_seq", json_integer(k->max_seq));
	return o;
}

json_t *
kiosks_list_json(struct db *db, const char *scope, int64_t now)
{
	struct db_stmt *st;
	json_t *a = json_array();
	int step;

	if (scope != NULL)
		st = db_query(db,
		    "SELECT " KIOSK_COLUMNS " FROM kiosks WHERE unit IN "
		    "(SELECT descendant FROM unit_tree WHERE ancestor = ?) "
		    "ORDER BY unit, counter, id",
		    "t", scope);
	else
		st = db_query(db,
		    "SELECT " KIOSK_COLUMNS " FROM kiosks "
		    "ORDER BY unit, counter, id",
		    "");
	if (st == NULL) {
		json_decref(a);
		return NULL;
	}
	while ((step = db_step(st)) == DB_ROW) {
		struct kiosk k;

		row_to_kiosk(st, &k);
		json_array_append_new(a, kiosk_json(&k, now));
	}
	db_done(st);
	if (step < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int
kiosks_at_counter(struct db *db, const char *unit, int counter, int max,
    void (*fn)(void *arg, const char *id), void *arg)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id FROM kiosks WHERE unit = ? AND counter = ? AND "
	    "revoked_at IS NULL ORDER BY id LIMIT ?",
	    "tii", unit, counter, max);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		fn(arg, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}
