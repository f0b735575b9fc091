/* import.c -- dossier and rating imports: check it all, then write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/ballots.h"
#include "core/dossiers.h"
#include "core/fold.h"
#include "core/import.h"
#include "core/instrument.h"
#include "core/ratings.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/writer.h"

static const char *const status_names[IMPORT_STATUS_COUNT] = { "accepted",
	"duplicate", "stale", "conflict", "rejected", "unavailable" };

const char *
import_status_name(enum import_status s)
{
	return (unsigned)s < IMPORT_STATUS_COUNT ? status_names[s] : "?";
}

/* --- keys seen earlier in the input ---------------------------------------- */

struct seen_entry {
	char *key;
	int64_t updated_at;
	unsigned char hash[SHA256_LEN];
};

struct seen {
	struct seen_entry *v;
	size_t n, cap; /* cap a power of two */
};

static struct seen_entry *
seen_slot(struct seen *s, const char *key)
{
	size_t i = (size_t)fnv1a(key, FNV1A_INIT) & (s->cap - 1);

	while (s->v[i].key != NULL && strcmp(s->v[i].key, key) != 0)
		i = (i + 1) & (s->cap - 1);
	return &s->v[i];
}

static struct seen_entry *
seen_get(struct seen *s, const char *key)
{
	struct seen_entry *e;

	if (s->cap == 0)
		return NULL;
	e = seen_slot(s, key);
	return e->key != NULL ? e : NULL;
}

static void
seen_put(struct seen *s, const char *key, int64_t updated_at,
    const unsigned char hash[SHA256_LEN])
{
	struct seen_entry *e;

	if (2 * (s->n + 1) > s->cap) {
		struct seen grown = { NULL, 0, s->cap ? 2 * s->cap : 1024 };

		grown.v = xcalloc(grown.cap, sizeof(*grown.v));
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].key != NULL)
				*seen_slot(&grown, s->v[i].key) = s->v[i];
		grown.n = s->n;
		free(s->v);
		*s = grown;
	}
	e = seen_slot(s, key);
	if (e->key == NULL) {
		e->key = xstrdup(key);
		s->n++;
	}
	e->updated_at = updated_at;
	memcpy(e->hash, hash, SHA256_LEN);
}

static void
seen_free(struct seen *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i].key);
	free(s->v);
	free(s);
}

/* --- the import ------------------------------------------------------------ */

struct import *
import_new(
    enum import_kind kind, const char *buf, size_t len, enum records_format fmt)
{
	struct import *im = xcalloc(1, sizeof(*im));

	im->kind = kind;
	im->buf = buf;
	im->len = len;
	im->fmt = fmt;
	im->now = hl_now();
	return im;
}

void
import_free(struct import *im)
{
	if (im == NULL)
		return;
	for (size_t i = 0; i < im->n; i++)
		free(im->items[i].errors);
	free(im->items);
	seen_free(im->seen);
	free(im);
}

void
import_set_status(
    struct import *im, struct import_item *item, enum import_status s)
{
	im->counts[item->status]--;
	item->status = s;
	im->counts[s]++;
}

size_t
import_bad(const struct import *im)
{
	return im->counts[IMPORT_REJECTED] + im->counts[IMPORT_CONFLICT];
}

static void
item_error(struct import_item *item, const char *column, const char *msg)
{
	struct field_error *e;

	item->errors = xrealloc(
	    item->errors, (size_t)(item->nerrors + 1) * sizeof(*item->errors));
	e = &item->errors[item->nerrors++];
	strlcpy_hl(e->column, column, sizeof(e->column));
	strlcpy_hl(e->message, msg, sizeof(e->message));
}

static void
dossier_hash(const struct dossier *d, unsigned char out[SHA256_LEN])
{
	char text[512];
	int n = snprintf(text, sizeof(text),
	    "%s\n%s\n%s\n%d\n%lld\n%d:%lld\n%d:%lld\n%lld\n%lld\n%lld\n%d%d%d\n"
	    "%lld",
	    d->code, d->procedure, d->unit, d->channel,
	    (long long)d->received_at, d->has_due, (long long)d->due_at,
	    d->has_finished, (long long)d->finished_at,
	    (long long)d->supplement_requests, (long long)d->supplement_seconds,
	    (long long)d->corrections, d->full_online, d->digitized,
	    d->complaint, (long long)d->updated_at);

	sha256(text, n > 0 ? (size_t)n : 0, out);
}

/* What rating_same_content() compares, hashed. */
static void
rating_hash(const struct rating *r, unsigned char out[SHA256_LEN])
{
	struct buf b = { 0 };

	buf_printf(&b, "%s\n%s\n%d\n%s\n%s\n%s\n%d\n", r->id, r->unit,
	    r->counter, r->officer, r->procedure, r->dossier, r->level);
	for (int i = 0; i < RATING_CRITERIA; i++)
		buf_printf(&b, "%d,", r->criteria[i]);
	buf_printf(&b, "\n%d\n%d\n%d\n%s\n%lld\n", r->supplement_reported,
	    r->online_error_reported, r->visits, r->reasons,
	    (long long)r->rated_at);
	buf_puts(&b, r->comment != NULL ? r->comment : "");
	buf_printf(&b, "\n%d\n%d", (int)r->requester, r->assisted ? 1 : 0);
	sha256(b.data, b.len, out);
	buf_release(&b);
}

/* The check's state: the database and a memo of the last lookups. */
struct check {
	struct import *im;
	struct db *db;
	char unit_ok[41], proc_ok[9];
	struct instrument *inst; /* the last version reasons were checked on */
	int horizon; /* ratings rated up to this month are refused */
	int failed;  /* a database error */
};

static bool
unit_allowed(struct check *ck, const char *unit)
{
	bool ok;

	if (strcmp(unit, ck->unit_ok) == 0)
		return true;
	ok = ck->im->scope[0] != '\0'
	    ? store_unit_within(ck->db, unit, ck->im->scope)
	    : store_has_unit(ck->db, unit);
	if (ok)
		strlcpy_hl(ck->unit_ok, unit, sizeof(ck->unit_ok));
	return ok;
}

static bool
procedure_known(struct check *ck, const char *code)
{
	if (strcmp(code, ck->proc_ok) == 0)
		return true;
	if (!store_has_procedure(ck->db, code))
		return false;
	strlcpy_hl(ck->proc_ok, code, sizeof(ck->proc_ok));
	return true;
}

static void
refs_check(struct check *ck, struct record *rec, const char *unit,
    const char *procedure)
{
	if (unit[0] != '\0' && !unit_allowed(ck, unit))
		record_error(rec, "unit",
		    ck->im->scope[0] != '\0'
			? "'%s' is not a unit this key may write to"
			: "unknown unit '%s'",
		    unit);
	if (procedure[0] != '\0' && !procedure_known(ck, procedure))
		record_error(
		    rec, "procedure", "unknown procedure '%s'", procedure);
}

/*
 * A code whose agency prefix is a unit code of this server's tree
 * ("H21.227-261203-0777") belongs to that unit: it is filed under it, or
 * written by a key of it or of a unit above it (a province's feed, a
 * dossier of a merged unit).  Otherwise one unit's key could take
 * another's codes before the real dossiers arrive, 10,000 a request.
 * Codes of agencies elsewhere (a ministry's portal passing a dossier on)
 * are not checked: no unit here owns them.  The CLI (no scope) is the
 * operator and may file any code anywhere.
 */
static void
agency_check(struct check *ck, struct record *rec, const struct dossier *d)
{
	char agency[41];

	if (!dossier_code_unit(d->code, agency) ||
	    strcmp(agency, d->unit) == 0 || ck->im->scope[0] == '\0' ||
	    !store_code_is_local(ck->db, agency) ||
	    store_code_within(ck->db, agency, ck->im->scope))
		return;
	record_error(rec, "code",
	    "'%s' is a dossier of %s: it can be filed under %s, or under "
	    "another unit only by a key of %s or a unit above it",
	    d->code, agency, agency, agency);
}

static enum import_status
check_dossier(struct check *ck, struct record *rec)
{
	struct import *im = ck->im;
	struct dossier d, old;
	struct seen_entry *e;
	unsigned char hash[SHA256_LEN], old_hash[SHA256_LEN];
	int rc;

	if (dossier_from_record(rec, &d) < 0)
		return IMPORT_REJECTED;
	refs_check(ck, rec, d.unit, d.procedure);
	if (rec->nerrors == 0)
		agency_check(ck, rec, &d);
	if (rec->nerrors > 0)
		return IMPORT_REJECTED;
	dossier_hash(&d, hash);
	e = seen_get(im->seen, d.code);
	if (e != NULL) {
		if (d.updated_at < e->updated_at)
			return IMPORT_STALE;
		if (d.updated_at == e->updated_at) {
			if (memcmp(hash, e->hash, SHA256_LEN) == 0)
				return IMPORT_DUPLICATE;
			record_error(rec, "updated_at",
			    "an earlier line has another version of this "
			    "dossier with the same updated_at");
			return IMPORT_REJECTED;
		}
		seen_put(im->seen, d.code, d.updated_at, hash);
		return IMPORT_ACCEPTED;
	}
	rc = dossier_load(ck->db, d.code, &old);
	if (rc < 0) {
		ck->failed = 1;
		return IMPORT_UNAVAILABLE;
	}
	if (rc == 0) {
		if (im->scope[0] != '\0' &&
		    !store_unit_within(ck->db, old.unit, im->scope)) {
			record_error(rec, "code",
			    "this dossier belongs to a unit this key may not "
			    "write to");
			return IMPORT_REJECTED;
		}
		dossier_hash(&old, old_hash);
		if (d.updated_at < old.updated_at) {
			seen_put(im->seen, d.code, old.updated_at, old_hash);
			return IMPORT_STALE;
		}
		if (d.updated_at == old.updated_at) {
			if (memcmp(hash, old_hash, SHA256_LEN) != 0) {
				record_error(rec, "updated_at",
				    "another version of this dossier with the "
				    "same updated_at is stored; send the "
				    "change with a later updated_at");
				return IMPORT_REJECTED;
			}
			seen_put(im->seen, d.code, d.updated_at, hash);
			return IMPORT_DUPLICATE;
		}
	}
	seen_put(im->seen, d.code, d.updated_at, hash);
	return IMPORT_ACCEPTED;
}

/*
 * Each reason a rating names is one of the questionnaire's in force when
 * it was given (instrument_at(): the version effective at rated_at among
 * those known by now).  Parsed again only when the version changes.  0,
 * or -1 on a database error.
 */
static int
reasons_check(struct check *ck, struct record *rec, const struct rating *r)
{
	int64_t version;
	char err[200], *list = NULL;
	const char *p = r->reasons;
	int rc;

	if (r->reasons[0] == '\0')
		return 0;
	rc = db_int(ck->db, &version,
	    "SELECT version FROM instruments WHERE effective_from <= ? AND "
	    "created_at <= ? ORDER BY effective_from DESC, version DESC "
	    "LIMIT 1",
	    "ll", r->rated_at, ck->im->now);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		record_error(rec, "reasons",
		    "no questionnaire was in force when it was given, so no "
		    "reason can be named");
		return 0;
	}
	if (ck->inst == NULL || ck->inst->version != version) {
		instrument_free(ck->inst);
		ck->inst = instrument_at(
		    ck->db, r->rated_at, ck->im->now, err, sizeof(err));
		if (ck->inst == NULL) {
			db_set_error(ck->db, err);
			return -1;
		}
	}
	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		if (!instrument_has_reason(ck->inst, p, len)) {
			struct buf codes = { 0 };

			for (int i = 0; i < ck->inst->nreasons; i++)
				buf_printf(&codes, "%s%s", i ? "; " : "",
				    ck->inst->reason[i].code);
			list = buf_detach(&codes, NULL);
			record_error(rec, "reasons",
			    "unknown reason '%.*s': the questionnaire "
			    "(version %d) in force when it was given has %s",
			    (int)len, p, ck->inst->version,
			    list != NULL && list[0] != '\0' ? list : "none");
			free(list);
			return 0;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static enum import_status
check_rating(struct check *ck, struct record *rec)
{
	struct import *im = ck->im;
	struct rating r, old;
	struct seen_entry *e;
	unsigned char hash[SHA256_LEN];
	char key[sizeof(r.unit) + sizeof(r.id) + 1];
	enum import_status st = IMPORT_ACCEPTED;
	const char *bad;
	int64_t seq;
	int rc;

	rating_init(&r);
	rating_init(&old);
	rc = ballot_from_record(rec, &r);
	if (rc == 0 && r.rated_at > im->now + IMPORT_FUTURE_SKEW)
		record_error(rec, "rated_at", "is in the future");
	refs_check(ck, rec, r.unit, r.procedure);
	if (rec->nerrors == 0 && r.dossier[0] != '\0') {
		char owner[41];

		rc = ratings_dossier_foreign(ck->db, r.unit, r.dossier, owner);
		if (rc < 0) {
			ck->failed = 1;
			st = IMPORT_UNAVAILABLE;
			goto out;
		}
		if (rc > 0)
			record_error(rec, "dossier",
			    "'%s' is a dossier of %s: a rating of %s may name "
			    "only a dossier of %s or a unit below it",
			    r.dossier, owner, r.unit, r.unit);
	}
	if (rec->nerrors == 0 && reasons_check(ck, rec, &r) < 0) {
		ck->failed = 1;
		st = IMPORT_UNAVAILABLE;
		goto out;
	}
	r.received_at = im->now;
	strlcpy_hl(r.source, im->source, sizeof(r.source));
	if (rec->nerrors == 0 && (bad = rating_check(&r)) != NULL)
		record_error(rec, bad, "not acceptable");
	if (rec->nerrors > 0) {
		st = IMPORT_REJECTED;
		goto out;
	}
	rating_hash(&r, hash);
	/* keyed per unit, as in the database */
	snprintf(key, sizeof(key), "%s\n%s", r.unit, r.id);
	e = seen_get(im->seen, key);
	if (e != NULL) {
		if (memcmp(hash, e->hash, SHA256_LEN) == 0)
			goto dup;
		record_error(rec, "id",
		    "an earlier line has a different rating with this id");
		st = IMPORT_CONFLICT;
		goto out;
	}
	seen_put(im->seen, key, 0, hash);
	rc = ratings_load(ck->db, CHANNEL_IMPORT, r.unit, r.id, &old, &seq);
	if (rc < 0) {
		ck->failed = 1;
		st = IMPORT_UNAVAILABLE;
	} else if (rc == 0) {
		if (ratings_same_as_stored(&r, &old))
			goto dup;
		record_error(rec, "id",
		    "a different rating with this id is already stored");
		st = IMPORT_CONFLICT;
	} else if (fold_refuses(ck->horizon, r.rated_at)) {
		char mo[8], through[8];

		month_format(month_of(r.rated_at), mo);
		month_format(ck->horizon, through);
		record_error(rec, "rated_at",
		    "is in %s: ratings of %s and before are folded into "
		    "monthly counts (hailong retention --fold-months) and "
		    "can no longer be added",
		    mo, through);
		st = IMPORT_REJECTED;
	}
	goto out;
dup:
	st = IMPORT_DUPLICATE;
out:
	rating_release(&r);
	rating_release(&old);
	return st;
}

static int
check_one(void *arg, struct record *rec)
{
	struct check *ck = arg;
	struct import *im = ck->im;
	struct import_item *item;
	enum import_status st;
	const char *key;

	if (im->max_items > 0 && im->n >= im->max_items) {
		im->too_many = true;
		snprintf(im->error, sizeof(im->error),
		    "more than %zu items; send them in several requests",
		    im->max_items);
		return -1;
	}
	if (im->n == im->cap) {
		im->cap = im->cap ? 2 * im->cap : 256;
		im->items = xrealloc(im->items, im->cap * sizeof(*im->items));
	}
	item = &im->items[im->n++];
	memset(item, 0, sizeof(*item));
	item->line = rec->line;
	item->index = rec->index;
	/* the key as sent, even a bad one, so the sender finds the line */
	key = rec->value[im->kind == IMPORT_DOSSIERS ? DK_CODE : BK_ID];
	strlcpy_hl(item->key, key ? key : "", sizeof(item->key));
	if (rec->nerrors > 0) {
		st = IMPORT_REJECTED;
	} else {
		st = im->kind == IMPORT_DOSSIERS ? check_dossier(ck, rec)
						 : check_rating(ck, rec);
	}
	item->status = st;
	im->counts[st]++;
	for (int i = 0; i < rec->nerrors && i < RECORD_MAX_ERRORS; i++)
		item_error(item, rec->errors[i].column, rec->errors[i].message);
	if (im->progress != NULL && im->n % 1000 == 0 && rec->end < im->len)
		im->progress(im->progress_arg, "check", rec->end, im->len);
	return ck->failed ? -1 : 0;
}

int
import_check(struct import *im, struct db *db)
{
	struct check ck;
	bool own = !db_in_transaction(db);
	char err[200];
	int rc;

	memset(&ck, 0, sizeof(ck));
	ck.im = im;
	ck.db = db;
	seen_free(im->seen);
	im->seen = xcalloc(1, sizeof(struct seen));
	/* one read transaction: one snapshot, and fast */
	if (own && db_exec(db, "BEGIN") < 0) {
		snprintf(im->error, sizeof(im->error), "database: %s",
		    db_errmsg(db));
		return -1;
	}
	ck.horizon = fold_horizon(db);
	if (ck.horizon < 0) {
		snprintf(im->error, sizeof(im->error), "database: %s",
		    db_errmsg(db));
		if (own)
			db_exec(db, "ROLLBACK");
		return -1;
	}
	rc = records_parse(im->buf, im->len, im->fmt,
	    im->kind == IMPORT_DOSSIERS ? dossier_keys : ballot_keys, check_one,
	    &ck, err, sizeof(err));
	if (ck.failed)
		snprintf(im->error, sizeof(im->error), "database: %s",
		    db_errmsg(db));
	else if (rc < 0 && !im->too_many)
		snprintf(im->error, sizeof(im->error), "%s", err);
	instrument_free(ck.inst);
	if (own)
		db_exec(db, "COMMIT");
	if (rc >= 0 && im->progress != NULL)
		im->progress(im->progress_arg, "check", im->len, im->len);
	return rc < 0 ? -1 : 0;
}

/* --- the second pass ----------------------------------------------------- */

struct each {
	struct import *im;
	import_each_fn fn;
	void *arg;
};

static int
each_one(void *arg, struct record *rec)
{
	struct each *e = arg;
	struct import *im = e->im;
	struct import_item *item;
	struct dossier d;
	struct rating r;
	int rc;

	if ((size_t)rec->index >= im->n)
		return -1; /* the input changed under us */
	item = &im->items[rec->index];
	if (item->status != IMPORT_ACCEPTED)
		return 0;
	if (im->kind == IMPORT_DOSSIERS) {
		if (dossier_from_record(rec, &d) < 0)
			return -1;
		return e->fn(e->arg, item, &d, NULL);
	}
	rating_init(&r);
	if (ballot_from_record(rec, &r) < 0) {
		rating_release(&r);
		return -1;
	}
	r.received_at = im->now;
	strlcpy_hl(r.source, im->source, sizeof(r.source));
	rc = e->fn(e->arg, item, NULL, &r);
	rating_release(&r);
	return rc;
}

int
import_each(struct import *im, import_each_fn fn, void *arg)
{
	struct each e = { im, fn, arg };
	char err[200];

	return records_parse(im->buf, im->len, im->fmt,
		   im->kind == IMPORT_DOSSIERS ? dossier_keys : ballot_keys,
		   each_one, &e, err, sizeof(err)) < 0
	    ? -1
	    : 0;
}

int
import_audit(
    struct import *im, struct db *db, const char *actor, const char *target)
{
	char detail[400];

	snprintf(detail, sizeof(detail),
	    "{\"format\":\"%s\",\"records\":%zu,\"accepted\":%zu,"
	    "\"duplicate\":%zu,\"stale\":%zu,\"conflict\":%zu,"
	    "\"rejected\":%zu,\"unavailable\":%zu}",
	    im->fmt == RECORDS_JSON ? "json" : "csv", im->n,
	    im->counts[IMPORT_ACCEPTED], im->counts[IMPORT_DUPLICATE],
	    im->counts[IMPORT_STALE], im->counts[IMPORT_CONFLICT],
	    im->counts[IMPORT_REJECTED], im->counts[IMPORT_UNAVAILABLE]);
	return audit_append(db, actor,
	    im->kind == IMPORT_DOSSIERS ? "import.dossiers" : "import.ratings",
	    target, detail);
}

/* Accepted items after `from` that were never reached: unavailable. */
static void
rest_unavailable(struct import *im, size_t from)
{
	for (size_t i = from; i < im->n; i++)
		if (im->items[i].status == IMPORT_ACCEPTED)
			import_set_status(
			    im, &im->items[i], IMPORT_UNAVAILABLE);
}

struct dossier_writer {
	struct import *im;
	struct db *db;
	struct import_item *chunk[IMPORT_CHUNK];
	size_t n, done, total;
	size_t reached; /* items[] before this index were passed to us */
	bool failed;
};

static int
write_dossier(void *arg, struct import_item *item, const struct dossier *d,
    struct rating *r)
{
	struct dossier_writer *w = arg;
	int rc;

	(void)r;
	w->reached = (size_t)item->index + 1;
	if (w->n == 0 && db_begin(w->db) < 0)
		goto fail;
	rc = dossier_upsert(w->db, d);
	if (rc < 0)
		goto fail;
	w->chunk[w->n++] = item;
	if (rc == 1) /* a newer version arrived meanwhile */
		import_set_status(w->im, item, IMPORT_STALE);
	if (w->n == IMPORT_CHUNK) {
		if (db_commit(w->db) < 0)
			goto fail;
		w->done += w->n;
		w->n = 0;
		if (w->im->progress != NULL)
			w->im->progress(
			    w->im->progress_arg, "write", w->done, w->total);
	}
	return 0;
fail:
	w->failed = true;
	return -1;
}

int
import_write_dossiers(
    struct import *im, struct db *db, const char *actor, const char *target)
{
	struct dossier_writer *w = xcalloc(1, sizeof(*w));
	int rc = -1;

	w->im = im;
	w->db = db;
	w->total = im->counts[IMPORT_ACCEPTED];
	if (import_each(im, write_dossier, w) < 0 || w->failed)
		goto fail;
	if (w->n == 0 && db_begin(db) < 0)
		goto fail;
	if (import_audit(im, db, actor, target) < 0 || db_commit(db) < 0)
		goto fail;
	if (im->progress != NULL)
		im->progress(im->progress_arg, "write", w->total, w->total);
	rc = 0;
	goto out;
fail:
	snprintf(im->error, sizeof(im->error), "database: %s", db_errmsg(db));
	db_rollback(db);
	/* the chunks committed before stay accepted; this one is lost */
	for (size_t i = 0; i < w->n; i++)
		if (w->chunk[i]->status == IMPORT_ACCEPTED)
			import_set_status(im, w->chunk[i], IMPORT_UNAVAILABLE);
	rest_unavailable(im, w->reached);
	import_audit(im, db, actor, target);
out:
	free(w);
	return rc;
}

struct rating_writer {
	struct import *im;
	struct db *db;
	struct writer_job *jobs; /* IMPORT_CHUNK of them */
	size_t n, done, total;
	size_t reached; /* items[] before this index were passed to us */
	bool failed;
};

static void
job_done(struct writer_job *job)
{
	(void)job; /* the results are read after writer_store_batch() */
}

void
import_job_result(struct import *im, struct writer_job *job)
{
	struct import_item *item = job->arg;

	switch (job->result) {
	case WRITER_STORED: break;
	case WRITER_DUPLICATE:
		import_set_status(im, item, IMPORT_DUPLICATE);
		break;
	case WRITER_CONFLICT:
		item_error(item, "id",
		    "a different rating with this id is already stored");
		import_set_status(im, item, IMPORT_CONFLICT);
		break;
	case WRITER_REJECTED:
	case WRITER_DOSSIER_USED:
		item_error(item, "row", "the database refused it");
		import_set_status(im, item, IMPORT_REJECTED);
		break;
	case WRITER_FOLDED: /* folded since the check */
		item_error(item, "rated_at", IMPORT_FOLDED_MESSAGE);
		import_set_status(im, item, IMPORT_REJECTED);
		break;
	case WRITER_UNAVAILABLE:
	default: import_set_status(im, item, IMPORT_UNAVAILABLE); break;
	}
}

static int
flush_ratings(struct rating_writer *w)
{
	int rc;

	if (w->n == 0)
		return 0;
	for (size_t i = 0; i + 1 < w->n; i++)
		w->jobs[i].next = &w->jobs[i + 1];
	w->jobs[w->n - 1].next = NULL;
	rc = writer_store_batch(w->db, w->jobs, &rollup_hooks);
	for (size_t i = 0; i < w->n; i++) {
		import_job_result(w->im, &w->jobs[i]);
		rating_release(&w->jobs[i].rating);
	}
	w->done += w->n;
	w->n = 0;
	if (w->im->progress != NULL)
		w->im->progress(
		    w->im->progress_arg, "write", w->done, w->total);
	return rc;
}

static int
queue_rating(void *arg, struct import_item *item, const struct dossier *d,
    struct rating *r)
{
	struct rating_writer *w = arg;
	struct writer_job *job = &w->jobs[w->n++];

	(void)d;
	w->reached = (size_t)item->index + 1;
	memset(job, 0, sizeof(*job));
	job->rating = *r;
	r->comment = NULL; /* the job owns it now */
	job->done = job_done;
	job->arg = item;
	job->result = WRITER_UNAVAILABLE;
	if (w->n == IMPORT_CHUNK && flush_ratings(w) < 0) {
		w->failed = true;
		return -1;
	}
	return 0;
}

int
import_write_ratings(
    struct import *im, struct db *db, const char *actor, const char *target)
{
	struct rating_writer w;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.im = im;
	w.db = db;
	w.total = im->counts[IMPORT_ACCEPTED];
	w.jobs = xcalloc(IMPORT_CHUNK, sizeof(*w.jobs));
	if (import_each(im, queue_rating, &w) < 0 || w.failed ||
	    flush_ratings(&w) < 0) {
		/* a failed batch's items are unavailable (import_job_result()) */
		snprintf(im->error, sizeof(im->error), "database: %s",
		    db_errmsg(db));
		for (size_t i = 0; i < w.n; i++) { /* queued, never sent */
			import_set_status(
			    im, w.jobs[i].arg, IMPORT_UNAVAILABLE);
			rating_release(&w.jobs[i].rating);
		}
		rest_unavailable(im, w.reached);
		import_audit(im, db, actor, target);
		goto out;
	}
	if (import_audit(im, db, actor, target) < 0)
		goto out;
	rc = 0;
out:
	free(w.jobs);
	return rc;
}
