/* ratings.c -- ratings on disk: insert with the hash chain, load, verify. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/fold.h"
#include "core/ratings.h"
#include "core/rollup.h"
#include "core/store.h"

/* The stored columns, in the order row_to_rating() reads them. */
#define RATING_COLUMNS \
	"seq, id, unit, counter, officer, procedure, dossier, channel, " \
	"level, c1, c2, c3, c4, c5, c6, c7, c8, c9, supplement_reported, " \
	"online_error_reported, visits, reasons, rated_at, received_at, " \
	"initial_status, source, dossier_token, chain, requester, assisted"
/* The column after them (the index of the first one a query adds). */
#define RATING_NCOLS 30
#define RATING_CHAIN_COL 27

static void
chain_next(const unsigned char prev[SHA256_LEN], const struct rating *r,
    int64_t seq, unsigned char out[SHA256_LEN])
{
	struct buf b = { 0 };

	rating_canonical(r, seq, &b);
	sha256_chain(prev, b.data, b.len, out);
	buf_release(&b);
}

int
ratings_chain_head(struct db *db, int64_t *seq, unsigned char head[SHA256_LEN])
{
	/* a late rating of an old month may have been the last row, and be
	 * folded: the next seq follows whichever is higher */
	struct db_stmt *st = db_query(db,
	    "SELECT seq, chain FROM (SELECT seq, chain FROM ratings "
	    "ORDER BY seq DESC LIMIT 1) UNION ALL "
	    "SELECT seq, chain FROM (SELECT seq, chain FROM ratings_folded "
	    "ORDER BY seq DESC LIMIT 1) ORDER BY seq DESC LIMIT 1",
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
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
	if (r->requester != REQUESTER_NONE)
		db_bind_int(st, col++, (int64_t)r->requester);
	else
		db_bind_null(st, col++);
	db_bind_int(st, col++, r->assisted ? 1 : 0);
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
	col++; /* chain */
	{
		int64_t q = db_col_is_null(st, col) ? 0 : db_col_int(st, col);

		r->requester = q >= 0 && q <= REQUESTER_BUSINESS
		    ? (enum rating_requester)q
		    : (enum rating_requester) - 1;
		col++;
	}
	r->assisted = db_col_int(st, col++) != 0;
}

int
ratings_load(struct db *db, enum rating_channel channel, const char *unit,
    const char *id, struct rating *r, int64_t *seq)
{
	struct db_stmt *st;
	int rc;

	st = db_query(db,
	    "SELECT " RATING_COLUMNS ", "
	    "(SELECT comment FROM rating_texts t WHERE t.seq = ratings.seq) "
	    "FROM ratings WHERE channel = ? AND unit = ? AND id = ?",
	    "ttt", rating_channel_name(channel), unit, id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *c;

		row_to_rating(st, r, seq);
		c = db_col_text(st, RATING_NCOLS);
		if (c != NULL)
			r->comment = xstrdup(c);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

int
ratings_dossier_foreign(
    struct db *db, const char *unit, const char *dossier, char owner[41])
{
	struct db_stmt *st;
	int rc;

	owner[0] = '\0';
	if (dossier[0] == '\0')
		return 0;
	st = db_query(
	    db, "SELECT unit FROM dossiers WHERE code = ?", "t", dossier);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW)
		strlcpy_hl(owner, db_col_text(st, 0), 41);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == DB_ROW)
		return store_unit_within(db, owner, unit) ? 0 : 1;
	if (!dossier_code_unit(dossier, owner) ||
	    !store_code_is_local(db, owner))
		return 0; /* no unit of ours owns it */
	return store_code_within(db, owner, unit) ? 0 : 1;
}

bool
ratings_same_as_stored(const struct rating *sent, struct rating *old)
{
	if (sent->officer[0] == '\0')
		old->officer[0] = '\0';
	return rating_same_content(sent, old);
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

/* A fold as the walk checks it (rating_folds, fold.h). */
struct fold_check {
	int64_t id, folded, valid;
	int month;
	unsigned char digest[SHA256_LEN];
	/* what the walk and the other tables give */
	struct sha256 h;
	int64_t links, first_seq, counted, staff;
	bool audited;
};

struct walk {
	struct fold_check *v;
	size_t n;
};

static void
walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		unsigned char drop[SHA256_LEN];

		sha256_final(&w->v[i].h, drop);
	}
	free(w->v);
}

static struct fold_check *
walk_fold(struct walk *w, int64_t id)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) { /* ids ascend */
		size_t mid = lo + (hi - lo) / 2;

		if (w->v[mid].id == id)
			return &w->v[mid];
		if (w->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
walk_load(struct db *db, struct walk *w)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id, month, folded, valid, digest FROM rating_folds "
	    "ORDER BY id",
	    "");
	size_t cap = 0;
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		struct fold_check *f;
		size_t len;
		const void *d = db_col_blob(st, 4, &len);

		if (w->n == cap) {
			cap = cap ? 2 * cap : 16;
			w->v = xrealloc(w->v, cap * sizeof(*w->v));
		}
		f = &w->v[w->n++];
		memset(f, 0, sizeof(*f));
		f->id = db_col_int(st, 0);
		f->month = (int)db_col_int(st, 1);
		f->folded = db_col_int(st, 2);
		f->valid = db_col_int(st, 3);
		if (d != NULL && len == SHA256_LEN)
			memcpy(f->digest, d, SHA256_LEN);
		sha256_init(&f->h);
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

static int broken(struct chain_check *out, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
broken(struct chain_check *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	out->bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(out->why, sizeof(out->why), fmt, ap);
	va_end(ap);
	return 1;
}

/* The links: both tables merged by seq.  0, 1 broken, -1 error. */
static int
walk_links(struct db *db, struct walk *w, struct chain_check *out)
{
	unsigned char prev[SHA256_LEN] = { 0 }, want[SHA256_LEN];
	struct db_stmt *st, *ft;
	int64_t expect = 1;
	int rs, fs, rc = 0;

	st = db_query(
	    db, "SELECT " RATING_COLUMNS " FROM ratings ORDER BY seq", "");
	if (st == NULL)
		return -1;
	ft = db_query(db,
	    "SELECT seq, rated_at, fold, chain FROM ratings_folded "
	    "ORDER BY seq",
	    "");
	if (ft == NULL) {
		db_done(st);
		return -1;
	}
	rs = db_step(st);
	fs = db_step(ft);
	while (rc == 0 && (rs == DB_ROW || fs == DB_ROW)) {
		int64_t rseq = rs == DB_ROW ? db_col_int(st, 0) : INT64_MAX;
		int64_t fseq = fs == DB_ROW ? db_col_int(ft, 0) : INT64_MAX;
		int64_t seq = rseq < fseq ? rseq : fseq;
		const void *chain;
		size_t len;

		if (rseq == fseq) {
			rc = broken(out, seq,
			    "seq %lld is both stored and folded",
			    (long long)seq);
			break;
		}
		if (seq != expect) {
			rc = broken(out, expect,
			    "seq %lld is missing: neither stored nor folded",
			    (long long)expect);
			break;
		}
		if (rseq < fseq) {
			struct rating r;
			int64_t s;

			rating_init(&r);
			row_to_rating(st, &r, &s);
			chain = db_col_blob(st, RATING_CHAIN_COL, &len);
			chain_next(prev, &r, s, want);
			if (len != SHA256_LEN ||
			    memcmp(chain, want, SHA256_LEN) != 0) {
				rc = broken(out, s,
				    "the row does not hash to its chain "
				    "value: edited, or a row before it was");
				break;
			}
			memcpy(prev, chain, SHA256_LEN);
			out->rows++;
			rs = db_step(st);
		} else {
			struct fold_check *f = walk_fold(w, db_col_int(ft, 2));
			int64_t rated_at = db_col_int(ft, 1);

			chain = db_col_blob(ft, 3, &len);
			if (f == NULL || len != SHA256_LEN ||
			    month_of(rated_at) != f->month) {
				rc = broken(out, fseq,
				    "the folded link names no fold of its "
				    "month");
				break;
			}
			fold_digest_row(&f->h, fseq, rated_at, chain);
			if (f->links++ == 0)
				f->first_seq = fseq;
			memcpy(prev, chain, SHA256_LEN);
			out->folded++;
			fs = db_step(ft);
		}
		expect++;
	}
	if (rc == 0 && (rs < 0 || fs < 0))
		rc = -1;
	db_done(ft);
	db_done(st);
	return rc;
}

/* Each fold against its audit entry and its counts.  0, 1, -1. */
static int
walk_folds(struct db *db, struct walk *w, struct chain_check *out)
{
	struct db_stmt *st;
	int step;

	for (size_t i = 0; i < w->n; i++) {
		struct fold_check *f = &w->v[i];
		unsigned char got[SHA256_LEN];

		sha256_final(&f->h, got);
		sha256_init(&f->h); /* walk_release() finalizes it again */
		if (f->links != f->folded ||
		    memcmp(got, f->digest, SHA256_LEN) != 0)
			return broken(out, f->first_seq,
			    "fold %lld: its links are not the %lld it "
			    "recorded (count and digest)",
			    (long long)f->id, (long long)f->folded);
	}
	if (w->n == 0)
		return 0;
	/* one pass over the audit log (no index on action) */
	st = db_query(db,
	    "SELECT target, json_extract(detail, '$.digest'), "
	    "json_extract(detail, '$.folded'), "
	    "json_extract(detail, '$.valid') FROM audit "
	    "WHERE action = 'ratings.fold' AND json_valid(detail)",
	    "");
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *t = db_col_text(st, 0), *d = db_col_text(st, 1);
		struct fold_check *f;
		char hex[2 * SHA256_LEN + 1];
		int64_t id;

		if (t == NULL || !str_has_prefix(t, "fold:") || d == NULL ||
		    parse_int64(t + 5, strlen(t + 5), 1, INT64_MAX, &id) < 0)
			continue;
		f = walk_fold(w, id);
		if (f == NULL)
			continue;
		hex_encode(f->digest, SHA256_LEN, hex);
		if (strcmp(d, hex) == 0 && db_col_int(st, 2) == f->folded &&
		    db_col_int(st, 3) == f->valid)
			f->audited = true;
	}
	db_done(st);
	if (step < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		st = db_query(db,
		    k == 0 ? "SELECT fold, sum(n) FROM (SELECT fold, "
			     "n1 + n2 + n3 + n4 + n5 AS n FROM "
			     "folded_procedure UNION ALL SELECT fold, "
			     "n1 + n2 + n3 + n4 + n5 FROM folded_dossier) "
			     "GROUP BY fold"
			   : "SELECT fold, sum(n1 + n2 + n3 + n4 + n5) FROM "
			     "folded_staff GROUP BY fold",
		    "");
		if (st == NULL)
			return -1;
		while ((step = db_step(st)) == DB_ROW) {
			struct fold_check *f = walk_fold(w, db_col_int(st, 0));

			if (f == NULL) {
				db_done(st);
				return broken(out, 0,
				    "counts of fold %lld, which does not "
				    "exist",
				    (long long)db_col_int(st, 0));
			}
			if (k == 0)
				f->counted = db_col_int(st, 1);
			else
				f->staff = db_col_int(st, 1);
		}
		db_done(st);
		if (step < 0)
			return -1;
	}
	for (size_t i = 0; i < w->n; i++) {
		struct fold_check *f = &w->v[i];

		if (!f->audited)
			return broken(out, f->first_seq,
			    "fold %lld has no audit entry with its count "
			    "and digest",
			    (long long)f->id);
		if (f->counted != f->valid || f->staff > f->valid)
			return broken(out, f->first_seq,
			    "fold %lld: its counts are not those of its "
			    "%lld valid ratings",
			    (long long)f->id, (long long)f->valid);
	}
	return 0;
}

int
ratings_verify_chain(struct db *db, struct chain_check *out)
{
	struct walk w = { NULL, 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = walk_load(db, &w);
	if (rc == 0)
		rc = walk_links(db, &w, out);
	if (rc == 0)
		rc = walk_folds(db, &w, out);
	walk_release(&w);
	return rc;
}

int
ratings_set_status(struct db *db, int64_t seq, enum rating_status status,
    const char *actor, const char *reason)
{
	struct db_stmt *st;
	struct rating r;
	bool own = !db_in_transaction(db);
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
		if (rating_status_parse(
			db_col_text(st, RATING_NCOLS), &r.status) < 0)
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
	if (db_run(db, "UPDATE ratings SET status = ? WHERE seq = ?", "tl",
		rating_status_name(status), seq) < 0)
		goto out;
	/* from one status to another: counts, or excluded by status */
	if (rollup_status_change(db, &r, status) < 0)
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
