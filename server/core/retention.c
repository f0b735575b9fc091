/* retention.c -- contact data kept no longer than promised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/retention.h"
#include "core/store.h"

struct due {
	int64_t id, seq;
	bool expired; /* by the consent's promise, not by closing */
};

/* Mask or delete the comment of rating `seq`; *changed when it did. */
static int
scrub_comment(struct db *db, int64_t seq, bool delete, bool *changed)
{
	struct db_stmt *st;
	char *masked = NULL;
	int rc = -1;

	*changed = false;
	if (delete) {
		if (db_run(db, "DELETE FROM rating_texts WHERE seq = ?", "l",
			seq) < 0)
			return -1;
		*changed = db_changes(db) > 0;
		return 0;
	}
	st = db_query(
	    db, "SELECT comment FROM rating_texts WHERE seq = ?", "l", seq);
	if (st == NULL)
		return -1;
	switch (db_step(st)) {
	case DB_ROW: masked = text_mask_numbers(db_col_text(st, 0)); break;
	case DB_DONE: rc = 0; goto out; /* no comment */
	default: goto out;
	}
	*changed = strcmp(masked, db_col_text(st, 0)) != 0;
	db_done(st);
	st = NULL;
	if (*changed &&
	    db_run(db,
		"UPDATE rating_texts SET comment = ? "
		"WHERE seq = ?",
		"tl", masked, seq) < 0)
		goto out;
	rc = 0;
out:
	db_done(st);
	free(masked);
	return rc;
}

int
retention_run(struct db *db, const struct retention_policy *p,
    struct retention_result *out, char *err, size_t errlen)
{
	struct db_stmt *st;
	struct due *due = NULL;
	size_t n = 0, cap = 0;
	char detail[160], now[24];
	int rc = -1, r;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		goto dberr;
	st = db_query(db,
	    "SELECT cb.id, cb.rating_seq, "
	    "  c.given_at <= ?2 - t.retention_days * 86400 "
	    "FROM callbacks cb JOIN consents c ON c.id = cb.consent_id "
	    "JOIN consent_texts t ON t.version = c.text_version "
	    "WHERE cb.phone IS NOT NULL AND ("
	    "  (cb.status = 'closed' AND cb.closed_at <= ?1) "
	    "  OR c.given_at <= ?2 - t.retention_days * 86400) "
	    "ORDER BY cb.id",
	    "ll", p->now - (int64_t)p->closed_days * 86400, p->now);
	if (st == NULL)
		goto dberr;
	while ((r = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			due = xrealloc(due, cap * sizeof(*due));
		}
		due[n].id = db_col_int(st, 0);
		due[n].seq = db_col_int(st, 1);
		due[n].expired = db_col_int(st, 2) != 0;
		n++;
	}
	db_done(st);
	if (r < 0)
		goto dberr;
	for (size_t i = 0; i < n; i++) {
		bool changed = false;

		if (due[i].expired)
			out->expired++;
		else
			out->closed++;
		if (p->dry_run)
			continue;
		if (db_run(db,
			"UPDATE callbacks SET phone = NULL, erased_at = ? "
			"WHERE id = ?",
			"ll", p->now, due[i].id) < 0 ||
		    scrub_comment(
			db, due[i].seq, p->delete_comments, &changed) < 0)
			goto dberr;
		if (changed)
			out->comments++;
	}
	if (p->dry_run) {
		db_rollback(db);
		rc = 0;
		goto out;
	}
	if (n > 0) {
		snprintf(detail, sizeof(detail),
		    "{\"closed\":%lld,\"expired\":%lld,\"comments\":%lld,"
		    "\"comment_mode\":\"%s\",\"closed_days\":%u}",
		    (long long)out->closed, (long long)out->expired,
		    (long long)out->comments,
		    p->delete_comments ? "delete" : "redact", p->closed_days);
		if (audit_append(
			db, p->actor, "retention", "callbacks", detail) < 0)
			goto dberr;
	}
	snprintf(now, sizeof(now), "%lld", (long long)p->now);
	if (store_meta_set(db, "last_retention_at", now) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "retention: %s", db_errmsg(db));
	if (db_in_transaction(db))
		db_rollback(db);
	memset(out, 0, sizeof(*out));
out:
	free(due);
	return rc;
}
