/* fold.c -- old raw ratings folded into monthly counts, their links kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/counts.h"
#include "core/fold.h"
#include "core/rollup.h"
#include "core/store.h"

#define COL(c) #c ", "
#define SUM(c) "sum(" #c "), "

/*
 * The counts of a set of ratings, as the writer's rollups count them
 * (metric_counts_add_any(); the same expressions as the backfills of
 * schemas/003_metrics.sql and 012_why.sql): from the folded rows, the
 * valid ones' counts and the others' as excluded by status.
 */
#define COUNT_EXPRS \
	"sum(valid AND level = 1), sum(valid AND level = 2), " \
	"sum(valid AND level = 3), sum(valid AND level = 4), " \
	"sum(valid AND level = 5), " \
	"sum(valid AND nine), sum(CASE WHEN valid AND nine THEN c1 + c2 + " \
	"c3 + c4 + c5 + c6 + c7 + c8 + c9 ELSE 0 END), " \
	"sum(valid AND c1 IS NOT NULL), sum(valid AND c2 IS NOT NULL), " \
	"sum(valid AND c3 IS NOT NULL), sum(valid AND c4 IS NOT NULL), " \
	"sum(valid AND c5 IS NOT NULL), sum(valid AND c6 IS NOT NULL), " \
	"sum(valid AND c7 IS NOT NULL), sum(valid AND c8 IS NOT NULL), " \
	"sum(valid AND c9 IS NOT NULL), " \
	"sum(valid * coalesce(c1, 0)), sum(valid * coalesce(c2, 0)), " \
	"sum(valid * coalesce(c3, 0)), sum(valid * coalesce(c4, 0)), " \
	"sum(valid * coalesce(c5, 0)), sum(valid * coalesce(c6, 0)), " \
	"sum(valid * coalesce(c7, 0)), sum(valid * coalesce(c8, 0)), " \
	"sum(valid * coalesce(c9, 0)), " \
	"sum(valid AND five), sum(CASE WHEN valid AND five THEN c1 + c2 + " \
	"c3 + c4 + c7 ELSE 0 END), " \
	"sum(valid AND supplement_reported IS NOT NULL), " \
	"sum(valid * coalesce(supplement_reported, 0)), " \
	"sum(valid AND online_error_reported IS NOT NULL), " \
	"sum(valid * coalesce(online_error_reported, 0)), " \
	"sum(valid AND coalesce(reasons, '') <> ''), " \
	"sum(valid AND visits IS NOT NULL), " \
	"sum(valid * coalesce(visits, 0)), sum(valid AND coalesce(visits, 0) " \
	"= 1), " \
	"sum(valid AND channel = 'kiosk'), " \
	"sum(valid AND channel = 'kiosk' AND level >= 4), " \
	"sum(valid AND channel = 'qr'), " \
	"sum(valid AND channel = 'qr' AND level >= 4), " \
	"sum(valid AND channel = 'web'), " \
	"sum(valid AND channel = 'web' AND level >= 4), " \
	"sum(valid AND channel = 'import'), " \
	"sum(valid AND channel = 'import' AND level >= 4), " \
	"sum(status = 'burst'), sum(status = 'duplicate'), " \
	"sum(status = 'misuse'), sum(status = 'spam'), " \
	"sum(valid AND coalesce(requester, 0) = 1), " \
	"sum(valid AND coalesce(requester, 0) = 1 AND level >= 4), " \
	"sum(valid AND coalesce(requester, 0) = 2), " \
	"sum(valid AND coalesce(requester, 0) = 2 AND level >= 4), " \
	"sum(valid AND assisted = 1), " \
	"sum(valid AND assisted = 1 AND level >= 4) "
#define FOLDED \
	"(SELECT *, status = 'valid' AS valid, " \
	"(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND " \
	"c4 IS NOT NULL AND c5 IS NOT NULL AND c6 IS NOT NULL AND " \
	"c7 IS NOT NULL AND c8 IS NOT NULL AND c9 IS NOT NULL) AS nine, " \
	"(c1 IS NOT NULL AND c2 IS NOT NULL AND c3 IS NOT NULL AND " \
	"c4 IS NOT NULL AND c7 IS NOT NULL) AS five " \
	"FROM ratings WHERE seq IN (SELECT seq FROM temp.fold_rows))"

/*
 * ?1 the fold, ?2 the month.  A rating without a procedure that names a
 * dossier counts for the dossier's (rollup.h, rollup_procedure_of()),
 * which may come or change later: its counts are kept by dossier code.
 */
#define LENT "(procedure IS NULL AND dossier IS NOT NULL)"
#define INSERT_PROCEDURE \
	"INSERT INTO folded_procedure(" ROLLUP_COLUMNS( \
	    COL) "unit, month, " \
		 "procedure, fold) SELECT " COUNT_EXPRS ", unit, ?2, " \
		 "coalesce(procedure, ''), ?1 FROM " FOLDED " WHERE NOT " LENT \
		 " GROUP BY unit, coalesce(procedure, '')"
#define INSERT_DOSSIER \
	"INSERT INTO folded_dossier(" ROLLUP_COLUMNS( \
	    COL) "unit, month, " \
		 "dossier, fold) SELECT " COUNT_EXPRS ", unit, ?2, " \
		 "dossier, ?1 FROM " FOLDED " WHERE " LENT \
		 " GROUP BY unit, dossier"
/* The same for the reasons of those ratings. */
#define INSERT_DOSSIER_REASON \
	"INSERT INTO folded_dossier_reason(unit, month, dossier, counter, " \
	"officer, reason, fold, n) SELECT r.unit, ?2, r.dossier, " \
	"coalesce(r.counter, 0), coalesce(r.officer, ''), j.value, ?1, " \
	"count(*) FROM ratings r, " \
	"json_each('[\"' || replace(r.reasons, ',', '\",\"') || '\"]') j " \
	"WHERE r.seq IN (SELECT seq FROM temp.fold_rows) AND " \
	"r.status = 'valid' AND coalesce(r.reasons, '') <> '' AND " \
	"r.procedure IS NULL AND r.dossier IS NOT NULL " \
	"GROUP BY r.unit, r.dossier, coalesce(r.counter, 0), " \
	"coalesce(r.officer, ''), j.value"
#define INSERT_STAFF \
	"INSERT INTO folded_staff(" ROLLUP_COLUMNS( \
	    COL) "unit, month, counter, " \
		 "officer, fold) SELECT " COUNT_EXPRS ", unit, ?2, " \
		 "coalesce(counter, 0), coalesce(officer, ''), ?1 " \
		 "FROM " FOLDED \
		 " WHERE counter IS NOT NULL OR officer IS NOT NULL " \
		 "GROUP BY unit, coalesce(counter, 0), coalesce(officer, '')"
/* The valid folded ratings' reasons ("a,b": codes of a-z, 0-9, _). */
#define INSERT_REASON \
	"INSERT INTO folded_reason(unit, month, procedure, counter, " \
	"officer, reason, fold, n) SELECT r.unit, ?2, " \
	"coalesce(r.procedure, ''), coalesce(r.counter, 0), " \
	"coalesce(r.officer, ''), j.value, ?1, count(*) FROM ratings r, " \
	"json_each('[\"' || replace(r.reasons, ',', '\",\"') || '\"]') j " \
	"WHERE r.seq IN (SELECT seq FROM temp.fold_rows) AND " \
	"r.status = 'valid' AND coalesce(r.reasons, '') <> '' AND " \
	"NOT (r.procedure IS NULL AND r.dossier IS NOT NULL) " \
	"GROUP BY r.unit, coalesce(r.procedure, ''), " \
	"coalesce(r.counter, 0), coalesce(r.officer, ''), j.value"
/* clang-format on */

/* Ratings folded in one transaction at most (p->chunk 0): about half a
 * second of the write lock on this project's 2-core test machine. */
#define FOLD_CHUNK 20000

/* KiB of page cache while folding (the writer's is 8 MiB). */
#define FOLD_CACHE_KIB "65536"

/* The month of rated_at in +07:00, in SQL (as schemas/003 computes it). */
#define MONTH_OF_SQL \
	"CAST(strftime('%Y%m', rated_at + 25200, 'unixepoch') AS INTEGER)"

int
fold_horizon(struct db *db)
{
	int64_t v = 0;
	int rc = db_int(db, &v,
	    "SELECT CAST(value AS INTEGER) FROM meta "
	    "WHERE key = 'fold_through'",
	    "");

	if (rc < 0)
		return -1;
	return rc == 0 ? (int)v : 0;
}

bool
fold_refuses(int horizon, int64_t t)
{
	return horizon > 0 && month_of(t) <= horizon;
}

bool
fold_hides(int horizon, int month, int64_t as_of)
{
	return horizon > 0 && month <= horizon && as_of > month_start(month) &&
	    as_of < month_end(month);
}

void
fold_digest_row(struct sha256 *h, int64_t seq, int64_t rated_at,
    const unsigned char chain[SHA256_LEN])
{
	unsigned char b[16];

	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
		b[8 + i] = (unsigned char)((uint64_t)rated_at >> (56 - 8 * i));
	}
	sha256_update(h, b, sizeof(b));
	sha256_update(h, chain, SHA256_LEN);
}

/* --- the run ---------------------------------------------------------- */

/* One month's fold, its counts gathered before anything is written. */
struct fold_month {
	int month;
	int64_t folded, valid, kept, held, texts, callbacks, consents;
	unsigned char digest[SHA256_LEN];
};

/* A count(*) with the month as ?1, or without parameters (month 0). */
static int
count_of(struct db *db, int64_t *out, const char *sql, int month)
{
	return db_int(db, out, sql, month != 0 ? "i" : "", month) == 0 ? 0 : -1;
}

/*
 * The month's rows to fold into temp.fold_rows, and every count, inside
 * the caller's transaction.  The candidates (temp.fold_all) were listed
 * once for the whole run; a row is re-read here, so one deleted since
 * (another run) is skipped and a callback closed since is seen.
 */
static int
fold_gather(struct db *db, struct fold_month *f, int64_t limit, bool first)
{
	struct db_stmt *st;
	struct sha256 h;
	int step;

	if (db_exec(db, "DELETE FROM temp.fold_rows") < 0 ||
	    db_run(db,
		"INSERT INTO temp.fold_rows(seq, rated_at, chain) "
		"SELECT r.seq, r.rated_at, r.chain FROM temp.fold_all a "
		"JOIN ratings r ON r.seq = a.seq "
		"WHERE a.month = ?1 AND a.keep = 0 AND NOT EXISTS (SELECT 1 "
		"FROM callbacks cb WHERE cb.rating_seq = r.seq "
		"AND cb.status = 'open') ORDER BY r.seq LIMIT ?2",
		"il", f->month, limit) < 0)
		return -1;
	if (count_of(db, &f->folded, "SELECT count(*) FROM temp.fold_rows", 0) <
		0 ||
	    count_of(db, &f->valid,
		"SELECT count(*) FROM ratings WHERE status = 'valid' AND "
		"seq IN (SELECT seq FROM temp.fold_rows)",
		0) < 0 ||
	    (first &&
		count_of(db, &f->held,
		    "SELECT count(*) FROM temp.fold_all a JOIN ratings r "
		    "ON r.seq = a.seq WHERE a.month = ?1 AND a.keep = 0 AND "
		    "EXISTS (SELECT 1 FROM callbacks cb WHERE cb.rating_seq = "
		    "r.seq AND cb.status = 'open')",
		    f->month) < 0) ||
	    (first &&
		count_of(db, &f->kept,
		    "SELECT count(*) FROM temp.fold_all a JOIN ratings r "
		    "ON r.seq = a.seq WHERE a.month = ?1 AND a.keep = 1",
		    f->month) < 0) ||
	    count_of(db, &f->texts,
		"SELECT count(*) FROM rating_texts "
		"WHERE seq IN (SELECT seq FROM temp.fold_rows)",
		0) < 0 ||
	    count_of(db, &f->callbacks,
		"SELECT count(*) FROM callbacks "
		"WHERE rating_seq IN (SELECT seq FROM temp.fold_rows)",
		0) < 0 ||
	    count_of(db, &f->consents,
		"SELECT count(*) FROM consents "
		"WHERE rating_seq IN (SELECT seq FROM temp.fold_rows)",
		0) < 0)
		return -1;
	st = db_query(db,
	    "SELECT seq, rated_at, chain FROM temp.fold_rows ORDER BY seq", "");
	if (st == NULL)
		return -1;
	sha256_init(&h);
	while ((step = db_step(st)) == DB_ROW) {
		size_t len;
		const void *chain = db_col_blob(st, 2, &len);
		unsigned char c[SHA256_LEN] = { 0 };

		if (chain != NULL && len == SHA256_LEN)
			memcpy(c, chain, SHA256_LEN);
		fold_digest_row(&h, db_col_int(st, 0), db_col_int(st, 1), c);
	}
	db_done(st);
	sha256_final(&h, f->digest);
	return step < 0 ? -1 : 0;
}

/* Delete `sql`'s rows and check they are the `want` counted before. */
static int
delete_counted(struct db *db, const char *sql, int64_t want)
{
	if (db_exec(db, sql) < 0)
		return -1;
	if (db_changes(db) != want) {
		db_set_error(db, "the rows to fold changed while folding");
		return -1;
	}
	return 0;
}

/* Write one gathered month: its fold, links, counts; then delete. */
static int
fold_write(
    struct db *db, const struct fold_policy *p, const struct fold_month *f)
{
	char mo[8], hex[2 * SHA256_LEN + 1], target[32], detail[512];
	int64_t fold, open_left;

	if (db_run(db,
		"INSERT INTO rating_folds(month, at, actor, folded, valid, "
		"kept, held, texts, callbacks, consents, digest) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iltlllllllb", f->month, p->now, p->actor, f->folded, f->valid,
		f->kept, f->held, f->texts, f->callbacks, f->consents,
		f->digest, (size_t)SHA256_LEN) < 0)
		return -1;
	fold = db_last_rowid(db);
	/* the order the foreign keys and the delete trigger need */
	if (db_run(db,
		"INSERT INTO ratings_fold_open(fold, month) "
		"VALUES (?, ?)",
		"li", fold, f->month) < 0 ||
	    db_run(db,
		"INSERT INTO ratings_folded(seq, rated_at, fold, chain) "
		"SELECT seq, rated_at, ?, chain FROM temp.fold_rows",
		"l", fold) < 0 ||
	    db_run(db, INSERT_PROCEDURE, "li", fold, f->month) < 0 ||
	    db_run(db, INSERT_DOSSIER, "li", fold, f->month) < 0 ||
	    db_run(db, INSERT_STAFF, "li", fold, f->month) < 0 ||
	    db_run(db, INSERT_REASON, "li", fold, f->month) < 0 ||
	    db_run(db, INSERT_DOSSIER_REASON, "li", fold, f->month) < 0 ||
	    delete_counted(db,
		"DELETE FROM rating_texts "
		"WHERE seq IN (SELECT seq FROM temp.fold_rows)",
		f->texts) < 0 ||
	    delete_counted(db,
		"DELETE FROM callbacks "
		"WHERE rating_seq IN (SELECT seq FROM temp.fold_rows)",
		f->callbacks) < 0 ||
	    delete_counted(db,
		"DELETE FROM consents "
		"WHERE rating_seq IN (SELECT seq FROM temp.fold_rows)",
		f->consents) < 0 ||
	    delete_counted(db,
		"DELETE FROM ratings "
		"WHERE seq IN (SELECT seq FROM temp.fold_rows)",
		f->folded) < 0 ||
	    db_exec(db, "DELETE FROM ratings_fold_open") < 0 ||
	    db_int(db, &open_left, "SELECT count(*) FROM ratings_fold_open",
		"") < 0)
		return -1;
	if (open_left != 0) {
		db_set_error(db, "a fold was left open");
		return -1;
	}
	month_format(f->month, mo);
	hex_encode(f->digest, SHA256_LEN, hex);
	snprintf(target, sizeof(target), "fold:%lld", (long long)fold);
	snprintf(detail, sizeof(detail),
	    "{\"fold\":%lld,\"month\":\"%s\",\"folded\":%lld,\"valid\":%lld,"
	    "\"kept\":%lld,\"held\":%lld,\"texts\":%lld,\"callbacks\":%lld,"
	    "\"consents\":%lld,\"digest\":\"%s\"}",
	    (long long)fold, mo, (long long)f->folded, (long long)f->valid,
	    (long long)f->kept, (long long)f->held, (long long)f->texts,
	    (long long)f->callbacks, (long long)f->consents, hex);
	return audit_append(db, p->actor, "ratings.fold", target, detail);
}

/*
 * One month: one transaction, or one per p->chunk ratings of a large
 * month, so that the server's writer (5 s of busy timeout) never waits
 * long; each is a whole fold of its own.  A dry run reads the month in
 * one read transaction and rolls it back.
 */
static int
fold_month(struct db *db, const struct fold_policy *p, int month,
    struct fold_result *out)
{
	struct fold_month f;
	int64_t limit = p->dry_run ? INT64_MAX
	    : p->chunk > 0         ? (int64_t)p->chunk
				   : FOLD_CHUNK;
	bool first = true, any = false;

	memset(&f, 0, sizeof(f));
	f.month = month;
	for (;;) {
		if ((p->dry_run ? db_exec(db, "BEGIN") : db_begin(db)) < 0 ||
		    fold_gather(db, &f, limit, first) < 0)
			goto fail;
		if (first) {
			out->kept += f.kept;
			out->held += f.held;
		}
		first = false;
		if (f.folded == 0) {
			db_rollback(db);
			break;
		}
		if (!p->dry_run &&
		    (fold_write(db, p, &f) < 0 || db_commit(db) < 0))
			goto fail;
		if (p->dry_run)
			db_rollback(db);
		any = true;
		out->folded += f.folded;
		out->valid += f.valid;
		out->texts += f.texts;
		out->callbacks += f.callbacks;
		out->consents += f.consents;
		if (f.folded < limit)
			break;
	}
	if (any) {
		out->months++;
		if (out->first == 0)
			out->first = month;
		out->last = month;
	}
	return 0;
fail:
	if (db_in_transaction(db))
		db_rollback(db);
	return -1;
}

/* Move the horizon forward to `to` (never back), audited.  0 or -1. */
static int
move_horizon(struct db *db, const struct fold_policy *p, int to, int *now)
{
	char from_s[8], to_s[8], value[16], detail[128];
	int h;

	if (db_begin(db) < 0)
		return -1;
	h = fold_horizon(db);
	if (h < 0)
		goto fail;
	if (to <= h) {
		*now = h;
		db_rollback(db);
		return 0;
	}
	month_format(to, to_s);
	if (h > 0)
		month_format(h, from_s);
	snprintf(value, sizeof(value), "%d", to);
	snprintf(detail, sizeof(detail),
	    "{\"from\":%s%s%s,\"to\":\"%s\",\"fold_months\":%u}",
	    h > 0 ? "\"" : "", h > 0 ? from_s : "null", h > 0 ? "\"" : "", to_s,
	    p->months);
	if (store_meta_set(db, "fold_through", value) < 0 ||
	    audit_append(
		db, p->actor, "ratings.fold_horizon", "ratings", detail) < 0 ||
	    db_commit(db) < 0)
		goto fail;
	*now = to;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
fold_run(struct db *db, const struct fold_policy *p, struct fold_result *out,
    char *err, size_t errlen)
{
	struct db_stmt *st;
	int *months = NULL, step, rc = -1;
	int64_t cache = -2000;
	size_t n = 0, cap = 0;
	char pragma[48];

	memset(out, 0, sizeof(*out));
	if (p->months < FOLD_MONTHS_MIN || p->months > FOLD_MONTHS_MAX) {
		snprintf(err, errlen,
		    "fold: %u months is not from %d to %d (a year of raw "
		    "ratings is always kept)",
		    p->months, FOLD_MONTHS_MIN, FOLD_MONTHS_MAX);
		return -1;
	}
	out->cutoff = month_add(month_of(p->now), -(int)p->months - 1);
	out->horizon = fold_horizon(db);
	if (out->horizon < 0)
		goto dberr;
	/*
	 * The horizon first, committed: from here on no rating of those
	 * months can come in, so the candidates listed below stay the
	 * candidates (rated_at, dossier and level never change).
	 */
	if (!p->dry_run && move_horizon(db, p, out->cutoff, &out->horizon) < 0)
		goto dberr;
	/*
	 * A month's rows are spread over the table as late ratings came in:
	 * a larger page cache for this connection while it folds, so that
	 * each page is read once per month rather than once per row.
	 */
	if (db_int(db, &cache, "PRAGMA cache_size", "") < 0 ||
	    db_exec(db, "PRAGMA cache_size = -" FOLD_CACHE_KIB) < 0)
		goto dberr;
	if (db_exec(db,
		"CREATE TEMP TABLE IF NOT EXISTS fold_all(month INTEGER, "
		"seq INTEGER, keep INTEGER, PRIMARY KEY (month, seq)) "
		"WITHOUT ROWID;"
		"CREATE TEMP TABLE IF NOT EXISTS fold_rows(seq INTEGER "
		"PRIMARY KEY, rated_at INTEGER, chain BLOB);"
		"DELETE FROM temp.fold_all; DELETE FROM temp.fold_rows") < 0)
		goto dberr;
	/* one scan of the table (rated_at has no index: the insert path
	 * pays for every index), then each month by its seqs */
	if (db_run(db,
		"INSERT INTO temp.fold_all(month, seq, keep) "
		"SELECT " MONTH_OF_SQL ", seq, "
		"dossier IS NOT NULL AND level <= 2 FROM ratings "
		"WHERE rated_at < ?",
		"l", month_end(out->cutoff)) < 0)
		goto dberr;
	st = db_query(db,
	    "SELECT DISTINCT month FROM temp.fold_all WHERE keep = 0 "
	    "ORDER BY month",
	    "");
	if (st == NULL)
		goto dberr;
	while ((step = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			months = xrealloc(months, cap * sizeof(*months));
		}
		months[n++] = (int)db_col_int(st, 0);
	}
	db_done(st);
	if (step < 0)
		goto dberr;
	for (size_t i = 0; i < n; i++)
		if (fold_month(db, p, months[i], out) < 0)
			goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "fold: %s", db_errmsg(db));
out:
	db_exec(db,
	    "DROP TABLE IF EXISTS temp.fold_all;"
	    "DROP TABLE IF EXISTS temp.fold_rows");
	snprintf(pragma, sizeof(pragma), "PRAGMA cache_size = %lld",
	    (long long)cache);
	db_exec(db, pragma);
	free(months);
	return rc;
}

/* --- reading ---------------------------------------------------------- */

#define SUBTREE "IN (SELECT descendant FROM unit_tree WHERE ancestor = ?1)"
#define ONLY "= ?1"

/* clang-format off */
#define BY_PROCEDURE(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) "procedure FROM folded_procedure " \
	"WHERE unit " F " AND month = ?2 GROUP BY procedure"
/* ?3 T: the dossier lends its procedure when received before it. */
#define LENT_PROCEDURE \
	"coalesce((SELECT d.procedure FROM " \
	"dossiers d WHERE d.code = f.dossier AND d.received_at < ?3 AND " \
	"EXISTS (SELECT 1 FROM unit_tree t WHERE t.ancestor = f.unit AND " \
	"t.descendant = d.unit)), '')"
#define BY_DOSSIER(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) LENT_PROCEDURE " AS p FROM " \
	"folded_dossier f WHERE f.unit " F " AND f.month = ?2 GROUP BY p"
#define BY_COUNTER(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) "unit, counter FROM folded_staff " \
	"WHERE unit " F " AND month = ?2 AND counter > 0 " \
	"GROUP BY unit, counter"
#define BY_OFFICER(F) \
	"SELECT " ROLLUP_COLUMNS(SUM) "officer FROM folded_staff " \
	"WHERE unit " F " AND month = ?2 AND officer <> '' GROUP BY officer"
/* clang-format on */

/* The reasons of those, the same way. */
#define LENT_REASONS(F) \
	"SELECT " LENT_PROCEDURE " AS p, f.unit, f.counter, f.officer, " \
	"f.reason, sum(f.n) FROM folded_dossier_reason f WHERE f.unit " F \
	" AND f.month = ?2 GROUP BY p, f.unit, f.counter, f.officer, " \
	"f.reason HAVING sum(f.n) <> 0"

static int
read_lent_reasons(struct db *db, const struct rollup_sink *s, bool unit_only)
{
	struct db_stmt *st =
	    db_query(db, unit_only ? LENT_REASONS(ONLY) : LENT_REASONS(SUBTREE),
		"til", s->unit, s->month, s->as_of);
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *p = db_col_text(st, 0), *u = db_col_text(st, 1);
		const char *o = db_col_text(st, 3), *code = db_col_text(st, 4);

		if (s->reason != NULL && code != NULL)
			s->reason(s->ctx, p ? p : "", u ? u : "",
			    (int)db_col_int(st, 2), o ? o : "", code,
			    db_col_int(st, 5));
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

/* The folded counts kept by dossier code, under the dossiers' procedures. */
static int
read_lent(struct db *db, const struct rollup_sink *s, bool unit_only)
{
	struct db_stmt *st =
	    db_query(db, unit_only ? BY_DOSSIER(ONLY) : BY_DOSSIER(SUBTREE),
		"til", s->unit, s->month, s->as_of);
	int step;

	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		const char *p = db_col_text(st, ROLLUP_N);
		struct metric_counts c;

		memset(&c, 0, sizeof(c));
		rollup_unpack_add(st, 0, &c);
		s->add(s->ctx, p != NULL ? p : "", &c);
	}
	db_done(st);
	return step < 0 ? -1 : 0;
}

int
fold_read(struct db *db, const struct rollup_sink *s, bool unit_only,
    int64_t start, int64_t until)
{
	char mo[8], msg[256];
	int h = fold_horizon(db);

	if (h < 0)
		return -1;
	if (s->month > h || until <= start)
		return 0; /* nothing folded, or nothing rated before T */
	if (start != month_start(s->month) || until != month_end(s->month)) {
		month_format(s->month, mo);
		snprintf(msg, sizeof(msg),
		    "the ratings of %s are folded into monthly counts: its "
		    "figures exist as of its end or later, not as of a time "
		    "inside it",
		    mo);
		db_set_error(db, msg);
		return -1;
	}
	if (rollup_add_rows(db, s, ROWS_PROCEDURE,
		unit_only ? BY_PROCEDURE(ONLY) : BY_PROCEDURE(SUBTREE)) < 0 ||
	    read_lent(db, s, unit_only) < 0 ||
	    rollup_add_rows(db, s, ROWS_COUNTER,
		unit_only ? BY_COUNTER(ONLY) : BY_COUNTER(SUBTREE)) < 0)
		return -1;
	if (rollup_add_rows(db, s, ROWS_OFFICER,
		unit_only ? BY_OFFICER(ONLY) : BY_OFFICER(SUBTREE)) < 0)
		return -1;
	if (rollup_read_reasons(db, s, unit_only, true) < 0)
		return -1;
	return read_lent_reasons(db, s, unit_only);
}
