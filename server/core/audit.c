/* audit.c -- the append-only, hash-chained log of what people did. */
#include <stdio.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "core/audit.h"

static void
put(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "%s=%zu:%s\n", name, strlen(value), value);
}

static void
audit_hash(const unsigned char prev[SHA256_LEN], int64_t seq, int64_t at,
    const char *actor, const char *action, const char *target,
    const char *detail, unsigned char out[SHA256_LEN])
{
	struct buf b = { 0 };
	char num[24];

	buf_puts(&b, "hailong-audit-v1\n");
	snprintf(num, sizeof(num), "%lld", (long long)seq);
	put(&b, "seq", num);
	snprintf(num, sizeof(num), "%lld", (long long)at);
	put(&b, "at", num);
	put(&b, "actor", actor);
	put(&b, "action", action);
	put(&b, "target", target);
	put(&b, "detail", detail);
	sha256_chain(prev, b.data, b.len, out);
	buf_release(&b);
}

int
audit_append(struct db *db, const char *actor, const char *action,
    const char *target, const char *detail)
{
	unsigned char prev[SHA256_LEN] = { 0 }, chain[SHA256_LEN];
	struct db_stmt *st;
	bool own = !db_in_transaction(db);
	int64_t seq = 1, at = hl_now();
	int rc = -1;

	if (own && db_begin(db) < 0)
		return -1;
	st = db_query(db,
	    "SELECT seq, chain FROM audit "
	    "ORDER BY seq DESC LIMIT 1",
	    "");
	if (st == NULL)
		goto out;
	if (db_step(st) == DB_ROW) {
		size_t len;
		const void *p = db_col_blob(st, 1, &len);

		seq = db_col_int(st, 0) + 1;
		if (len == SHA256_LEN)
			memcpy(prev, p, SHA256_LEN);
	}
	db_done(st);
	audit_hash(prev, seq, at, actor, action, target, detail, chain);
	if (db_run(db,
		"INSERT INTO audit(seq, at, actor, action, target, "
		"detail, chain) VALUES (?, ?, ?, ?, ?, ?, ?)",
		"llttttb", seq, at, actor, action, target, detail, chain,
		sizeof(chain)) < 0)
		goto out;
	rc = 0;
out:
	if (own) {
		if (rc == 0 && db_commit(db) < 0)
			rc = -1;
		if (rc < 0)
			db_rollback(db);
	}
	if (rc < 0)
		log_kv(LOG_ERROR, "audit", "append_failed action=%s", action);
	return rc;
}

int
audit_verify(struct db *db, int64_t *count, int64_t *bad_seq)
{
	unsigned char prev[SHA256_LEN] = { 0 }, want[SHA256_LEN];
	struct db_stmt *st;
	int64_t n = 0, expect = 1;
	int rc = 0, step;

	st = db_query(db,
	    "SELECT seq, at, actor, action, target, detail, "
	    "chain FROM audit ORDER BY seq",
	    "");
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_int(st, 0);
		size_t len;
		const void *chain = db_col_blob(st, 6, &len);

		audit_hash(prev, seq, db_col_int(st, 1), db_col_text(st, 2),
		    db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5),
		    want);
		if (seq != expect || len != SHA256_LEN ||
		    memcmp(chain, want, SHA256_LEN) != 0) {
			*bad_seq = seq;
			rc = 1;
			break;
		}
		memcpy(prev, chain, SHA256_LEN);
		expect++;
		n++;
	}
	if (step < 0)
		rc = -1;
	db_done(st);
	*count = n;
	return rc;
}
