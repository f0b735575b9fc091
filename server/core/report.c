/* report.c -- the monthly report document, its check, and the roll-up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "hailong/version.h"
#include "core/audit.h"
#include "core/cms.h"
#include "core/jsonschema.h"
#include "core/metrics.h"
#include "core/ratings.h"
#include "core/report.h"

extern const struct embed_file server_files[];

void
report_children_release(struct report_children *l)
{
	if (l == NULL)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct report_child *
children_push(struct report_children *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static bool
is_below(struct db *db, const char *anc, const char *desc)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM unit_tree WHERE ancestor = ? AND "
		   "descendant = ? AND depth >= 1",
		   "tt", anc, desc) == 0;
}

/*
 * The current accepted report (the latest received before as_of) of
 * every unit strictly below `unit`, without those covered by a reported
 * unit above them.  0 or -1.
 */
static int
reported_below(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, struct report_children *out)
{
	char kind[2] = { p->kind, '\0' };
	struct report_children all = { 0 };
	struct db_stmt *st;
	int rc;

	st = db_query(db,
	    "SELECT r.id, r.unit, u.name, r.sha256, r.received_at, r.as_of, "
	    "r.signer FROM reports_received r "
	    "JOIN unit_tree t ON t.descendant = r.unit AND t.ancestor = ? "
	    "AND t.depth >= 1 JOIN units u ON u.code = r.unit "
	    "WHERE r.month = ? AND r.kind = ? AND r.received_at <= ? AND "
	    "r.id = (SELECT max(id) FROM reports_received x WHERE x.unit = "
	    "r.unit AND x.month = r.month AND x.kind = r.kind AND "
	    "x.received_at <= ?) ORDER BY r.unit",
	    "titll", unit, p->first, kind, as_of, as_of);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_child *c = children_push(&all);

		c->id = db_col_int(st, 0);
		strlcpy_hl(c->unit, db_col_text(st, 1), sizeof(c->unit));
		strlcpy_hl(
		    c->unit_name, db_col_text(st, 2), sizeof(c->unit_name));
		strlcpy_hl(c->sha256, db_col_text(st, 3), sizeof(c->sha256));
		c->received_at = db_col_int(st, 4);
		rfc3339_format(db_col_int(st, 5), c->as_of);
		strlcpy_hl(c->signer, db_col_text(st, 6), sizeof(c->signer));
		period_format(p, c->period);
	}
	db_done(st);
	if (rc < 0) {
		report_children_release(&all);
		return -1;
	}
	for (size_t i = 0; i < all.n; i++) {
		bool covered = false;

		for (size_t j = 0; j < all.n && !covered; j++)
			covered = j != i &&
			    is_below(db, all.v[j].unit, all.v[i].unit);
		if (!covered)
			*children_push(out) = all.v[i];
	}
	report_children_release(&all);
	return 0;
}

static const struct report_child *
find_child(const struct report_children *l, const char *unit)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].unit, unit) == 0)
			return &l->v[i];
	return NULL;
}

static bool
has_reported_below(
    struct db *db, const struct report_children *l, const char *unit)
{
	for (size_t i = 0; i < l->n; i++)
		if (is_below(db, unit, l->v[i].unit))
			return true;
	return false;
}

/* Add the counts of the stored report `id` into m.  0 or -1. */
static int
merge_report(
    struct db *db, struct metrics *m, int64_t id, char *err, size_t errlen)
{
	struct db_stmt *st;
	struct metrics *sub = NULL;
	json_t *doc = NULL;
	json_error_t je;
	const void *data;
	size_t len;
	int rc = -1;

	st = db_query(
	    db, "SELECT json FROM reports_received WHERE id = ?", "l", id);
	if (st == NULL || db_step(st) != DB_ROW) {
		db_done(st);
		snprintf(err, errlen, "cannot read report %lld: %s",
		    (long long)id, db_errmsg(db));
		return -1;
	}
	data = db_col_blob(st, 0, &len);
	doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	db_done(st);
	if (doc == NULL) {
		snprintf(err, errlen, "stored report %lld is not JSON",
		    (long long)id);
		return -1;
	}
	sub = metrics_from_json(doc, err, errlen);
	if (sub == NULL)
		goto out;
	metrics_merge(m, sub);
	rc = 0;
out:
	metrics_free(sub);
	json_decref(doc);
	return rc;
}

static int rollup_unit(struct db *db, struct metrics *m, const char *unit,
    const struct report_children *rep, char *err, size_t errlen);

/* Add each direct subordinate of unit into m.  0 or -1. */
static int
rollup_children(struct db *db, struct metrics *m, const char *unit,
    const struct report_children *rep, char *err, size_t errlen)
{
	struct db_stmt *st;
	char(*kids)[41] = NULL;
	size_t nkids = 0, cap = 0;
	int rc = 0;

	/* listed first: the recursion reuses the cached statement */
	st = db_query(db,
	    "SELECT code FROM units WHERE parent = ? ORDER BY code", "t", unit);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (nkids == cap) {
			cap = cap ? 2 * cap : 16;
			kids = xrealloc(kids, cap * sizeof(*kids));
		}
		strlcpy_hl(kids[nkids++], db_col_text(st, 0), sizeof(kids[0]));
	}
	db_done(st);
	if (rc < 0)
		snprintf(err, errlen, "cannot list units: %s", db_errmsg(db));
	for (size_t i = 0; i < nkids && rc == 0; i++) {
		const struct report_child *c = find_child(rep, kids[i]);

		/* id 0: covered by a report merged elsewhere (a period's) */
		rc = c != NULL
		    ? (c->id > 0 ? merge_report(db, m, c->id, err, errlen) : 0)
		    : rollup_unit(db, m, kids[i], rep, err, errlen);
	}
	free(kids);
	return rc < 0 ? -1 : 0;
}

/*
 * Add unit's figures (it is not itself reported) into m: all its subtree
 * from this database when no reported unit is below it, else its own
 * rows and each subordinate's roll-up.  0 or -1.
 */
static int
rollup_unit(struct db *db, struct metrics *m, const char *unit,
    const struct report_children *rep, char *err, size_t errlen)
{
	bool split = has_reported_below(db, rep, unit);
	struct metrics *own;

	own = metrics_compute(db, unit, m->month, m->as_of,
	    split ? METRICS_UNIT_ONLY : 0, err, errlen);
	if (own == NULL)
		return -1;
	metrics_merge(m, own);
	metrics_free(own);
	return split ? rollup_children(db, m, unit, rep, err, errlen) : 0;
}

/*
 * One month of unit with the reports rep (the month's, and those of a
 * longer period with id 0: their subtrees are left out here) into a new
 * metrics.  NULL with err.
 */
static struct metrics *
rollup_month(struct db *db, const char *unit, int month, int64_t as_of,
    const struct report_children *rep, char *err, size_t errlen)
{
	struct metrics *m;

	/* the unit's own rows first: its name, rules and as_of lead */
	m = metrics_compute(db, unit, month, as_of,
	    rep->n > 0 ? METRICS_UNIT_ONLY : 0, err, errlen);
	if (m == NULL)
		return NULL;
	if (rep->n > 0) {
		m->how &= ~(unsigned)METRICS_UNIT_ONLY;
		if (rollup_children(db, m, unit, rep, err, errlen) < 0) {
			metrics_free(m);
			return NULL;
		}
		metrics_finish(m);
	}
	return m;
}

/* Whether u is one of l's units or below one of them. */
static bool
at_or_below(struct db *db, const struct report_children *l, const char *u)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].unit, u) == 0 ||
		    is_below(db, l->v[i].unit, u))
			return true;
	return false;
}

/*
 * A quarter or a year: each month rolled up with the month's reports,
 * except below the units that sent a report of the whole period, whose
 * reports are merged once.  Every report used goes to *used.
 */
static struct metrics *
rollup_long(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, struct report_children *used, char *err, size_t errlen)
{
	struct report_children whole = { 0 }, any = { 0 };
	struct metrics *m = NULL, *mm = NULL;
	bool none = true;

	if (reported_below(db, unit, p, as_of, &whole) < 0)
		goto dberr;
	/* nothing reported below for the period or any month: one pass */
	none = whole.n == 0;
	for (int mo = p->first; none && mo <= p->last; mo = month_add(mo, 1)) {
		struct period pm = period_of_month(mo);

		if (reported_below(db, unit, &pm, as_of, &any) < 0)
			goto dberr;
		none = any.n == 0;
	}
	report_children_release(&any);
	if (none) {
		m = metrics_compute_period(db, unit, p, as_of, 0, err, errlen);
		goto out;
	}
	for (int mo = p->first; mo <= p->last; mo = month_add(mo, 1)) {
		struct period pm = period_of_month(mo);
		struct report_children month = { 0 }, rep = { 0 };

		if (reported_below(db, unit, &pm, as_of, &month) < 0) {
			report_children_release(&month);
			goto dberr;
		}
		for (size_t i = 0; i < whole.n; i++) {
			*children_push(&rep) = whole.v[i];
			rep.v[rep.n - 1].id = 0;
		}
		for (size_t i = 0; i < month.n; i++) {
			/* neither inside nor above a unit reported whole */
			bool skip = at_or_below(db, &whole, month.v[i].unit);

			for (size_t j = 0; j < whole.n && !skip; j++)
				skip = is_below(
				    db, month.v[i].unit, whole.v[j].unit);
			if (skip)
				continue;
			*children_push(&rep) = month.v[i];
			if (used != NULL)
				*children_push(used) = month.v[i];
		}
		report_children_release(&month);
		mm = rollup_month(db, unit, mo, as_of, &rep, err, errlen);
		report_children_release(&rep);
		if (mm == NULL)
			goto fail;
		if (m == NULL) {
			m = mm;
			m->period = *p;
			m->month = p->first;
		} else {
			metrics_merge(m, mm);
			metrics_free(mm);
		}
		mm = NULL;
	}
	if (m == NULL) { /* p->first > p->last: period_parse() never gives it */
		snprintf(err, errlen, "an empty period");
		goto fail;
	}
	/* the period's rules, reason codes and name: its last month's */
	{
		struct metrics *last = metrics_compute_period(db, unit,
		    &(struct period){ p->last, p->last, 'm' }, as_of,
		    METRICS_UNIT_ONLY, err, errlen);

		if (last == NULL)
			goto fail;
		m->rules = last->rules;
		for (size_t i = 0; i < last->nreason_codes; i++)
			metrics_add_reason_code(m, last->reason_codes[i]);
		metrics_free(last);
	}
	for (size_t i = 0; i < whole.n; i++) {
		if (merge_report(db, m, whole.v[i].id, err, errlen) < 0)
			goto fail;
		if (used != NULL)
			*children_push(used) = whole.v[i];
	}
	metrics_finish(m);
out:
	report_children_release(&whole);
	return m;
dberr:
	snprintf(err, errlen, "cannot compute the roll-up: %s", db_errmsg(db));
fail:
	report_children_release(&whole);
	metrics_free(m);
	return NULL;
}

struct metrics *
report_rollup_period(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, struct report_children *used, char *err, size_t errlen)
{
	struct report_children rep = { 0 };
	struct metrics *m = NULL;
	bool own_txn = false;
	int rc;

	if (unit == NULL || !is_unit_code(unit, strlen(unit))) {
		snprintf(err, errlen, "unknown unit");
		return NULL;
	}
	if (!db_in_transaction(db)) {
		if (db_exec(db, "BEGIN") < 0)
			goto dberr;
		own_txn = true;
	}
	if (p->kind != 'm') {
		rc = metrics_period_check(db, p, as_of, err, errlen);
		if (rc < 0)
			goto dberr;
		if (rc > 0)
			goto fail;
		m = rollup_long(db, unit, p, as_of, &rep, err, errlen);
	} else {
		if (reported_below(db, unit, p, as_of, &rep) < 0)
			goto dberr;
		m = rollup_month(db, unit, p->first, as_of, &rep, err, errlen);
	}
	if (m == NULL)
		goto fail;
	if (own_txn)
		db_exec(db, "COMMIT");
	if (used != NULL)
		*used = rep;
	else
		report_children_release(&rep);
	return m;
dberr:
	snprintf(err, errlen, "cannot compute the roll-up: %s", db_errmsg(db));
fail:
	if (own_txn)
		db_exec(db, "ROLLBACK");
	report_children_release(&rep);
	metrics_free(m);
	return NULL;
}

struct metrics *
report_rollup(struct db *db, const char *unit, int month, int64_t as_of,
    struct report_children *used, char *err, size_t errlen)
{
	struct period p = period_of_month(month);

	return report_rollup_period(db, unit, &p, as_of, used, err, errlen);
}

/* --- the document -------------------------------------------------------- */

static json_t *
time_json(int64_t t)
{
	char s[26];

	rfc3339_format(t, s);
	return json_string(s);
}

/*
 * The ratings chain up to the last rating rated before `at` (the end of
 * the period, or as_of when earlier): that rating's chain value commits
 * to every rating the figures count, and to all stored before it.  A
 * rating folded into counts since (fold.h) keeps its seq, rated_at and
 * chain value in ratings_folded, so the anchor of a month is the same
 * before and after a fold.  0 or -1.
 */
static int
chain_at(struct db *db, int64_t at, int64_t *seq, int64_t *count,
    unsigned char head[SHA256_LEN])
{
	struct db_stmt *st;
	int rc;

	*seq = 0;
	*count = 0;
	memset(head, 0, SHA256_LEN);
	st = db_query(db,
	    "SELECT seq, chain FROM (SELECT seq, chain FROM ratings "
	    "WHERE rated_at < ?1 UNION ALL SELECT seq, chain FROM "
	    "ratings_folded WHERE rated_at < ?1) ORDER BY seq DESC LIMIT 1",
	    "l", at);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		size_t len;
		const void *h = db_col_blob(st, 1, &len);

		*seq = db_col_int(st, 0);
		if (h != NULL && len == SHA256_LEN)
			memcpy(head, h, SHA256_LEN);
	}
	db_done(st);
	if (rc < 0 ||
	    db_int(db, count,
		"SELECT (SELECT count(*) FROM ratings WHERE seq <= ?1) + "
		"(SELECT count(*) FROM ratings_folded WHERE seq <= ?1)",
		"l", *seq) < 0)
		return -1;
	return 0;
}

static int
chain_json(struct db *db, int64_t at, json_t *doc)
{
	unsigned char head[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	int64_t seq, count;

	if (chain_at(db, at, &seq, &count, head) < 0)
		return -1;
	hex_encode(head, SHA256_LEN, hex);
	json_object_set_new(doc, "ratings_chain",
	    json_pack("{s:s, s:I, s:I, s:o}", "head", hex, "seq",
		(json_int_t)seq, "ratings", (json_int_t)count, "at",
		time_json(at)));
	return 0;
}

int
report_check_anchor(struct db *db, const json_t *doc, char *err, size_t errlen)
{
	const json_t *chain = json_object_get(doc, "ratings_chain");
	const char *head_s = json_string_value(json_object_get(chain, "head"));
	const char *at_s = json_string_value(json_object_get(chain, "at"));
	json_int_t seq_d = json_integer_value(json_object_get(chain, "seq"));
	json_int_t count_d =
	    json_integer_value(json_object_get(chain, "ratings"));
	unsigned char head[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	int64_t at, seq, count;

	if (!json_is_object(chain) || head_s == NULL || at_s == NULL ||
	    !json_is_integer(json_object_get(chain, "seq")) ||
	    !json_is_integer(json_object_get(chain, "ratings")) ||
	    rfc3339_parse(at_s, strlen(at_s), &at) < 0) {
		snprintf(
		    err, errlen, "report.json has no readable ratings_chain");
		return 1;
	}
	if (chain_at(db, at, &seq, &count, head) < 0) {
		snprintf(
		    err, errlen, "cannot read the ratings: %s", db_errmsg(db));
		return -1;
	}
	hex_encode(head, SHA256_LEN, hex);
	if (seq != seq_d || count != count_d || strcmp(hex, head_s) != 0) {
		snprintf(err, errlen,
		    "the report's anchor is seq %lld, %lld ratings, head "
		    "%.16s...; this database has seq %lld, %lld ratings, head "
		    "%.16s... before %s",
		    (long long)seq_d, (long long)count_d, head_s,
		    (long long)seq, (long long)count, hex, at_s);
		return 1;
	}
	return 0;
}

json_t *
report_build(struct db *db, const char *unit, int month, int64_t as_of,
    char *err, size_t errlen)
{
	struct period p = period_of_month(month);

	return report_build_period(db, unit, &p, as_of, err, errlen);
}

json_t *
report_build_period(struct db *db, const char *unit, const struct period *p,
    int64_t as_of, char *err, size_t errlen)
{
	struct report_children used = { 0 };
	struct metrics *m = NULL;
	struct db_stmt *st;
	json_t *doc = NULL, *inc, *miss;
	int64_t end = period_end(p);
	bool own_txn = false;
	int rc;

	if (!db_in_transaction(db)) {
		if (db_exec(db, "BEGIN") < 0)
			goto dberr;
		own_txn = true;
	}
	m = report_rollup_period(db, unit, p, as_of, &used, err, errlen);
	if (m == NULL)
		goto fail;
	doc = metrics_to_json(m);
	json_object_set_new(
	    doc, "report_version", json_integer(REPORT_VERSION));
	json_object_set_new(
	    doc, "generator", json_string("hailong " HAILONG_VERSION));
	st = db_query(db,
	    "SELECT level, parent, stat_code FROM units WHERE code = ?", "t",
	    unit);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW) {
		json_object_set_new(
		    doc, "unit_level", json_string(db_col_text(st, 0)));
		json_object_set_new(doc, "parent_unit",
		    db_col_is_null(st, 1) ? json_null()
					  : json_string(db_col_text(st, 1)));
		json_object_set_new(doc, "unit_codes",
		    json_pack("{s:s, s:o}", "agency", unit, "statistical",
			db_col_is_null(st, 2) || db_col_text(st, 2)[0] == '\0'
			    ? json_null()
			    : json_string(db_col_text(st, 2))));
	}
	db_done(st);
	if (rc != DB_ROW)
		goto dberr;
	json_object_set_new(doc, "period",
	    json_pack("{s:o, s:o}", "start", time_json(period_start(p)), "end",
		time_json(end)));
	json_object_set_new(
	    doc, "dossiers", json_integer(m->total.counts.dossiers));
	if (chain_json(db, as_of < end ? as_of : end, doc) < 0)
		goto dberr;
	inc = json_array();
	for (size_t i = 0; i < used.n; i++) {
		const struct report_child *c = &used.v[i];

		json_array_append_new(inc,
		    json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "unit",
			c->unit, "unit_name", c->unit_name, "month", c->period,
			"sha256", c->sha256, "received_at",
			time_json(c->received_at), "as_of", c->as_of, "signer",
			c->signer));
	}
	json_object_set_new(doc, "included_reports", inc);
	miss = json_array();
	st = db_query(db,
	    "SELECT code, name FROM units WHERE parent = ? AND active = 1 "
	    "ORDER BY code",
	    "t", unit);
	while (st != NULL && (rc = db_step(st)) == DB_ROW) {
		char ps[PERIOD_TEXT_MAX];
		bool whole = false;
		int months = 0;

		/* a report of the period, or one of each of its months */
		period_format(p, ps);
		for (size_t i = 0; i < used.n; i++) {
			if (strcmp(used.v[i].unit, db_col_text(st, 0)) != 0)
				continue;
			whole = whole || strcmp(used.v[i].period, ps) == 0;
			months++;
		}
		if (!whole && months < period_months(p))
			json_array_append_new(miss,
			    json_pack("{s:s, s:s}", "unit", db_col_text(st, 0),
				"unit_name", db_col_text(st, 1)));
	}
	db_done(st);
	json_object_set_new(doc, "missing_reports", miss);
	if (st == NULL || rc < 0)
		goto dberr;
	if (own_txn)
		db_exec(db, "COMMIT");
	metrics_free(m);
	report_children_release(&used);
	return doc;
dberr:
	snprintf(err, errlen, "cannot build the report: %s", db_errmsg(db));
fail:
	if (own_txn)
		db_exec(db, "ROLLBACK");
	json_decref(doc);
	metrics_free(m);
	report_children_release(&used);
	return NULL;
}

char *
report_dumps(const json_t *doc, size_t *len)
{
	/* the metrics document's number format: 0.1235 prints "0.1235" */
	size_t flags =
	    JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(15);
	char *s = json_dumps(doc, flags), *out;
	size_t n;

	if (s == NULL) {
		fprintf(stderr, "hailong: out of memory encoding JSON\n");
		abort();
	}
	n = strlen(s);
	out = xmalloc(n + 2);
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	free(s);
	if (len != NULL)
		*len = n + 1;
	return out;
}

/* --- checking what a subordinate sent ----------------------------------- */

static json_t *
report_schema(char *err, size_t errlen)
{
	const struct embed_file *f =
	    embed_find(server_files, "schemas/report.schema.json");
	json_error_t je;
	json_t *s;

	if (f == NULL) {
		snprintf(err, errlen, "the report schema is not built in");
		return NULL;
	}
	s = json_loadb((const char *)f->data, f->len, 0, &je);
	if (s == NULL)
		snprintf(err, errlen, "the report schema: %s", je.text);
	return s;
}

/* A name of a scope: "" (none known), or a clean line as stored here. */
static bool
is_scope_name(const char *s, size_t max)
{
	return s != NULL &&
	    (s[0] == '\0' || text_is_clean_line(s, strlen(s), max));
}

/*
 * The names of a received report, held to the rules of local ones
 * (refdata.c): a subordinate's names reach this server's report files.
 * The schema says only "a string".  0, or -1 with why.
 */
static int
check_names(const json_t *doc, char *why, size_t whylen)
{
	static const char *const lists[] = { "procedures", "counters",
		"officers" };
	const json_t *inc = json_object_get(doc, "included_reports");
	const char *un = json_string_value(json_object_get(doc, "unit_name"));

	if (un == NULL || !text_is_clean_line(un, strlen(un), 300)) {
		snprintf(why, whylen,
		    "unit_name: empty, longer than 300 bytes or holds a "
		    "control character");
		return -1;
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		const json_t *a = json_object_get(doc, lists[l]);

		for (size_t i = 0; i < json_array_size(a); i++) {
			json_t *n =
			    json_object_get(json_array_get(a, i), "name");

			if (!is_scope_name(json_string_value(n), 511)) {
				snprintf(why, whylen,
				    "%s[%zu].name: longer than 511 bytes or "
				    "holds a control character",
				    lists[l], i);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < json_array_size(inc); i++) {
		const char *n = json_string_value(
		    json_object_get(json_array_get(inc, i), "unit_name"));

		if (!is_scope_name(n, 300)) {
			snprintf(why, whylen,
			    "included_reports[%zu].unit_name: longer than 300 "
			    "bytes or holds a control character",
			    i);
			return -1;
		}
	}
	return 0;
}

/*
 * Whether the figures a report states (`stated`) are those computed
 * again from its counts (`computed`, a document of this version): all
 * of them, or for a report of an older definition version (`old`: 1,
 * which has none of "why", or 2, none of "inclusion"), the figures and
 * counts it has.
 */
static bool
stated_as_computed(const json_t *stated, const json_t *computed, bool old)
{
	const char *key;
	json_t *v;

	if (json_equal(stated, computed))
		return true;
	if (!old || !json_is_object(stated) || !json_is_object(computed))
		return false; /* this version: every key, equal */
	/* json_object_foreach needs a non-const object; it only reads */
	json_object_foreach((json_t *)(uintptr_t)stated, key, v)
	{
		const json_t *c = json_object_get(computed, key);

		if (strcmp(key, "counts") == 0 ? !stated_as_computed(v, c, old)
					       : !json_equal(v, c))
			return false;
	}
	return true;
}

int
report_check(
    const char *data, size_t len, json_t **out, char *err, size_t errlen)
{
	json_t *doc = NULL, *schema = NULL, *again = NULL;
	json_t *total;
	struct metrics *m = NULL;
	json_error_t je;
	char why[256];
	int rc = -1;

	if (out != NULL)
		*out = NULL;
	if (len > REPORT_JSON_MAX) {
		snprintf(err, errlen, "report.json: more than %zu bytes",
		    REPORT_JSON_MAX);
		return -1;
	}
	if (!utf8_is_valid(data, len)) {
		snprintf(err, errlen, "report.json: not UTF-8");
		return -1;
	}
	doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		snprintf(err, errlen, "report.json: not JSON: line %d: %s",
		    je.line, je.text);
		return -1;
	}
	schema = report_schema(err, errlen);
	if (schema == NULL)
		goto out;
	switch (jsonschema_validate(schema, doc, why, sizeof(why))) {
	case 0: break;
	case 1:
		snprintf(err, errlen,
		    "report.json does not follow "
		    "schemas/report.schema.json: %s",
		    why);
		goto out;
	default: snprintf(err, errlen, "the report schema: %s", why); goto out;
	}
	if (check_names(doc, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "report.json: %s", why);
		goto out;
	}
	m = metrics_from_json(doc, why, sizeof(why));
	if (m == NULL) {
		snprintf(err, errlen, "report.json: %s", why);
		goto out;
	}
	/* the stated figures are those of the counts */
	total = json_object_get(doc, "total");
	again = metrics_to_json(m);
	if (!stated_as_computed(total, json_object_get(again, "total"),
		json_integer_value(json_object_get(doc, "definition_version")) <
		    METRICS_DEFINITION_VERSION) ||
	    json_integer_value(json_object_get(doc, "dossiers")) !=
		m->total.counts.dossiers) {
		snprintf(err, errlen,
		    "report.json: the total's figures do not match its "
		    "counts");
		goto out;
	}
	if (out != NULL) {
		*out = doc;
		doc = NULL;
	}
	rc = 0;
out:
	json_decref(again);
	metrics_free(m);
	json_decref(schema);
	json_decref(doc);
	return rc;
}

/*
 * Store the accepted report and its audit entry in one transaction.
 * Fills *id and replaces (the earlier current report's SHA-256, or "").
 * 0, -1, or 1 when the report is not newer than the current one (its
 * as_of is not later): replaying an older signed report must not roll
 * the parent's figures back.  *held is then the current one's as_of.
 */
int
report_received_store(struct db *db, const struct report_in *in, int64_t *id,
    char replaces[65], int64_t *held)
{
	char target[64], mo[PERIOD_TEXT_MAX], *detail, kind[2] = { 'm', 0 };
	struct db_stmt *st;
	json_t *d;
	int rc;

	replaces[0] = '\0';
	if (db_begin(db) < 0)
		return -1;
	kind[0] = in->kind != 0 ? in->kind : 'm';
	st = db_query(db,
	    "SELECT sha256, as_of FROM reports_received WHERE unit = ? AND "
	    "month = ? AND kind = ? ORDER BY id DESC LIMIT 1",
	    "tit", in->unit, in->month, kind);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW) {
		strlcpy_hl(replaces, db_col_text(st, 0), 65);
		*held = db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	if (rc == DB_ROW && in->as_of <= *held) {
		db_rollback(db);
		return 1;
	}
	if (db_run(db,
		"INSERT INTO reports_received(unit, month, kind, json, p7s, "
		"sha256, as_of, signer, signer_fingerprint, received_at, "
		"actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"titbbtlttlt", in->unit, in->month, kind, in->json, in->len,
		in->p7s, in->plen, in->sha256, in->as_of, in->signer->subject,
		in->signer->fingerprint, in->at, in->actor) < 0)
		goto fail;
	*id = db_last_rowid(db);
	{
		struct period per = period_holding(in->month, kind[0]);

		period_format(&per, mo);
	}
	snprintf(target, sizeof(target), "report:%s:%s", in->unit, mo);
	d = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)*id, "sha256",
	    in->sha256, "signer", in->signer->fingerprint, "replaces",
	    replaces);
	detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	rc = audit_append(db, in->actor, "report.receive", target, detail);
	free(detail);
	if (rc < 0 || db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}
