/* ratings.c -- ratings on disk: insert with the hash chain, load, verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "audit.h"
#include "ratings.h"
#include "rollup.h"

/* The stored columns, in the order row_to_rating() reads them. */
#define RATING_COLUMNS \
	"seq, id, unit, counter, officer, procedure, dossier, channel, " \
	"level, c1, c2, c3, c4, c5, c6, c7, c8, c9, supplement_reported, " \
	"online_error_reported, visits, reasons, rated_at, received_at, " \
	"initial_status, source, dossier_token, chain"

static void
chain_next(const unsigned char prev[SHA256_LEN], const struct rating *r,
    int64_t seq, unsigned char out[SHA256_LEN])
{
	struct buf b = { 0 };
	struct sha256 h;

	rating_canonical(r, seq, &b);
	sha256_init(&h);
	sha256_update(&h, prev, SHA256_LEN);
	sha256_update(&h, b.data, b.len);
	sha256_final(&h, out);
	buf_release(&b);
}

int
ratings_chain_head(struct db *db, int64_t *seq, unsigned char head[SHA256_LEN])
{
	struct db_stmt *st = db_query(db,
	    "SELECT seq, chain FROM ratings "
	    "ORDER BY seq DESC LIMIT 1",
	    "");
	int rc;

	if (st == NULL)
		return -1;
	*seq = 0;
	memset(head, 0, SHA256_LEN);
	rc = db_step(st);
	if (rc == DB_ROW) {
		size_t len;
		const void *p = db_col_blob(st, 1, &len);

		*seq = db_col_int(st, 0);
		if (len == SHA256_LEN)
			memcpy(head, p, SHA256_LEN);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static const char *
empty_null(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

int
ratings_insert(struct db *db, const struct rating *r, struct chain_cursor *cur,
    int64_t *seq)
{
	unsigned char chain[SHA256_LEN];
	struct db_stmt *st;
	int col = 1;

	if (!cur->known) {
		if (ratings_chain_head(db, &cur->seq, cur->head) < 0)
			return -1;
		cur->known = true;
	}
	*seq = cur->seq + 1;
	chain_next(cur->head, r, *seq, chain);
	st = db_prepare(db,
	    "INSERT INTO ratings(" RATING_COLUMNS ", status) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (st == NULL)
		return -1;
	db_bind_int(st, col++, *seq);
	db_bind_text(st, col++, r->id, -1);
	db_bind_text(st, col++, r->unit, -1);
	if (r->counter > 0)
		db_bind_int(st, col++, r->counter);
	else
		db_bind_null(st, col++);
	db_bind_text(st, col++, empty_null(r->officer), -1);
	db_bind_text(st, col++, empty_null(r->procedure), -1);
	db_bind_text(st, col++, empty_null(r->dossier), -1);
	db_bind_text(st, col++, rating_channel_name(r->channel), -1);
	db_bind_int(st, col++, r->level);
	for (int i = 0; i < RATING_CRITERIA; i++) {
		if (r->criteria[i] >= 0)
			db_bind_int(st, col++, r->criteria[i]);
		else
			db_bind_null(st, col++);
	}
	if (r->supplement_reported >= 0)
		db_bind_int(st, col++, r->supplement_reported);
	else
		db_bind_null(st, col++);
	if (r->online_error_reported >= 0)
		db_bind_int(st, col++, r->online_error_reported);
	else
		db_bind_null(st, col++);
	if (r->visits >= 0)
		db_bind_int(st, col++, r->visits);
	else
		db_bind_null(st, col++);
	db_bind_text(st, col++, empty_null(r->reasons), -1);
	db_bind_int(st, col++, r->rated_at);
	db_bind_int(st, col++, r->received_at);
	db_bind_text(st, col++, rating_status_name(r->status), -1);
	db_bind_text(st, col++, r->source, -1);
	db_bind_int(st, col++, r->dossier_token ? 1 : 0);
	db_bind_blob(st, col++, chain, sizeof(chain));
	db_bind_text(st, col++, rating_status_name(r->status), -1);
	if (db_step(st) < 0) {
		db_done(st);
		return -1;
	}
	db_done(st);
	if (r->comment != NULL && r->comment[0] != '\0' &&
	    db_run(db,
		"INSERT INTO rating_texts(seq, unit, rated_at, comment)"
		" VALUES (?, ?, ?, ?)",
		"ltlt", *seq, r->unit, r->rated_at, r->comment) < 0)
		return -1;
	if (r->phone[0] != '\0') {
		if (db_run(db,
			"INSERT INTO consents(rating_seq, purpose, "
			"text_version, channel, given_at) VALUES (?, "
			"'callback', "
			"?, ?, ?)",
			"litl", *seq, r->consent_version,
			rating_channel_name(r->channel), r->received_at) < 0)
			return -1;
		if (db_run(db,
			"INSERT INTO callbacks(rating_seq, consent_id, "
			"phone) VALUES (?, ?, ?)",
			"llt", *seq, db_last_rowid(db), r->phone) < 0)
			return -1;
	}
	cur->seq = *seq;
	memcpy(cur->head, chain, SHA256_LEN);
	return 0;
}

static void
copy_col(struct db_stmt *st, int i, char *dst, size_t size)
{
	const char *s = db_col_text(st, i);

	strlcpy_hl(dst, s != NULL ? s : "", size);
}

static int
opt_int(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? -1 : (int)db_col_int(st, i);
}

/* Read RATING_COLUMNS (from column 0) into r. */
static void
row_to_rating(struct db_stmt *st, struct rating *r, int64_t *seq)
{
	int col = 0;

	*seq = db_col_int(st, col++);
	copy_col(st, col++, r->id, sizeof(r->id));
	copy_col(st, col++, r->unit, sizeof(r->unit));
	r->counter = db_col_is_null(st, col) ? 0 : (int)db_col_int(st, col);
	col++;
	copy_col(st, col++, r->officer, sizeof(r->officer));
	copy_col(st, col++, r->procedure, sizeof(r->procedure));
	copy_col(st, col++, r->dossier, sizeof(r->dossier));
	if (rating_channel_parse(db_col_text(st, col++), &r->channel) < 0)
		r->channel = (enum rating_channel) - 1;
	r->level = (int)db_col_int(st, col++);
	for (int i = 0; i < RATING_CRITERIA; i++)
		r->criteria[i] = opt_int(st, col++);
	r->supplement_reported = opt_int(st, col++);
	r->online_error_reported = opt_int(st, col++);
	r->visits = opt_int(st, col++);
	copy_col(st, col++, r->reasons, sizeof(r->reasons));
	r->rated_at = db_col_int(st, col++);
	r->received_at = db_col_int(st, col++);
	if (rating_status_parse(db_col_text(st, col++), &r->status) < 0)
		r->status = (enum rating_status) - 1;
	copy_col(st, col++, r->source, sizeof(r->source));
	r->dossier_token = db_col_int(st, col++) != 0;
}

int
ratings_load(struct db *db, enum rating_channel channel, const char *id,
    struct rating *r, int64_t *seq)
{
	struct db_stmt *st;
	int rc;

	st = db_query(db,
	    "SELECT " RATING_COLUMNS ", "
	    "(SELECT comment FROM rating_texts t WHERE t.seq = ratings.seq) "
	    "FROM ratings WHERE channel = ? AND id = ?",
	    "tt", rating_channel_name(channel), id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *c;

		row_to_rating(st, r, seq);
		c = db_col_text(st, 28);
		if (c != NULL)
			r->comment = xstrdup(c);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

bool
ratings_dossier_used(struct db *db, const char *dossier)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM ratings WHERE dossier = ? "
		   "AND dossier_token = 1 AND status = 'valid' LIMIT 1",
		   "t", dossier) == 0;
}

int
ratings_verify_chain(struct db *db, int64_t *count, int64_t *bad_seq)
{
	unsigned char prev[SHA256_LEN] = { 0 }, want[SHA256_LEN];
	struct db_stmt *st;
	int64_t n = 0, expect = 1;
	int rc = 0, step;

	st = db_query(db,
	    "SELECT " RATING_COLUMNS " FROM ratings "
	    "ORDER BY seq",
	    "");
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct rating r;
		int64_t seq;
		size_t len;
		const void *chain;

		rating_init(&r);
		row_to_rating(st, &r, &seq);
		chain = db_col_blob(st, 27, &len);
		chain_next(prev, &r, seq, want);
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

int
ratings_set_status(struct db *db, int64_t seq, enum rating_status status,
    const char *actor, const char *reason)
{
	struct db_stmt *st;
	struct rating r;
	bool own = !db_in_transaction(db), was_valid, now_valid;
	char target[32], *detail = NULL;
	json_t *doc;
	int64_t rseq;
	int rc = -1, step;

	rating_init(&r);
	if ((unsigned)status > STATUS_SPAM ||
	    (reason != NULL &&
		(strlen(reason) > 500 ||
		    !utf8_is_valid(reason, strlen(reason)) ||
		    !text_has_no_controls(reason, strlen(reason)))))
		return -1;
	if (own && db_begin(db) < 0)
		return -1;
	st = db_query(db,
	    "SELECT " RATING_COLUMNS ", status FROM ratings WHERE seq = ?", "l",
	    seq);
	if (st == NULL)
		goto out;
	step = db_step(st);
	if (step == DB_ROW) {
		row_to_rating(st, &r, &rseq);
		/* the row's status now, not the one it was stored with */
		if (rating_status_parse(db_col_text(st, 28), &r.status) < 0)
			step = -1;
	}
	db_done(st);
	if (step != DB_ROW) {
		rc = step == DB_DONE ? 1 : -1;
		goto out;
	}
	if (r.status == status) {
		rc = 2;
		goto out;
	}
	was_valid = r.status == STATUS_VALID;
	now_valid = status == STATUS_VALID;
	if (db_run(db, "UPDATE ratings SET status = ? WHERE seq = ?", "tl",
		rating_status_name(status), seq) < 0)
		goto out;
	if (was_valid != now_valid &&
	    rollup_apply(db, &r, now_valid ? 1 : -1) < 0)
		goto out;
	snprintf(target, sizeof(target), "rating:%lld", (long long)seq);
	doc = json_pack("{s:s, s:s, s:s}", "from", rating_status_name(r.status),
	    "to", rating_status_name(status), "reason",
	    reason != NULL ? reason : "");
	detail = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (detail == NULL ||
	    audit_append(db, actor, "rating.status", target, detail) < 0)
		goto out;
	rc = 0;
out:
	if (own) {
		if (rc == 0 && db_commit(db) < 0)
			rc = -1;
		if (rc != 0)
			db_rollback(db);
	}
	free(detail);
	rating_release(&r);
	return rc;
}
