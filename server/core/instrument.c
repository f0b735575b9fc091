/* instrument.c -- the rating form's wording, as the province set it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/instrument.h"
#include "core/jsonschema.h"
#include "core/setup.h"

extern const struct embed_file server_files[];

const char *
itext(const struct itext *t, enum lang lang)
{
	const char *s = t->t[lang == LANG_EN ? 1 : 0];

	if (s == NULL)
		s = t->t[0];
	return s != NULL ? s : "";
}

static void
itext_free(struct itext *t)
{
	free(t->t[0]);
	free(t->t[1]);
}

/* Read {"vi": ..., "en": ...} from obj (vi required). */
static int
get_itext(
    json_t *obj, struct itext *out, const char *where, char *err, size_t errlen)
{
	const char *keys[2] = { "vi", "en" };

	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(obj, keys[i]);
		const char *s;

		if (v == NULL && i == 1)
			continue;
		s = json_string_value(v);
		if (s == NULL || s[0] == '\0' || strlen(s) > 1000 ||
		    !text_has_no_controls(s, strlen(s))) {
			snprintf(err, errlen,
			    "%s.%s: a non-empty text of at "
			    "most 1000 bytes is required",
			    where, keys[i]);
			return -1;
		}
		out->t[i] = xstrdup(s);
	}
	return 0;
}

void
instrument_free(struct instrument *in)
{
	if (in == NULL)
		return;
	itext_free(&in->name);
	itext_free(&in->question);
	for (int i = 1; i <= 5; i++)
		itext_free(&in->level[i]);
	for (int i = 0; i < RATING_CRITERIA; i++) {
		itext_free(&in->criteria[i].label);
		for (int k = 0; k < in->criteria[i].nopts; k++)
			itext_free(&in->criteria[i].opt[k].label);
	}
	for (int i = 0; i < in->nreasons; i++)
		itext_free(&in->reason[i].label);
	itext_free(&in->consent);
	free(in);
}

/* "levels": the five faces' words, each level once. */
static int
parse_levels(json_t *a, struct instrument *in, char *err, size_t errlen)
{
	json_t *v;
	size_t i;
	char where[64];

	if (json_array_size(a) != 5) {
		snprintf(err, errlen, "levels: exactly five are required");
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		int level =
		    (int)json_integer_value(json_object_get(v, "level"));

		snprintf(where, sizeof(where), "levels[%zu]", i);
		if (level < 1 || level > 5 || in->level[level].t[0] != NULL) {
			snprintf(
			    err, errlen, "%s.level: each of 1..5 once", where);
			return -1;
		}
		if (get_itext(v, &in->level[level], where, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* "three_faces": the levels a three-face kiosk shows. */
static int
parse_three_faces(json_t *a, struct instrument *in, char *err, size_t errlen)
{
	json_t *v;
	size_t i;

	if (json_array_size(a) != 3) {
		snprintf(err, errlen, "three_faces: three levels are required");
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		in->three_faces[i] = (int)json_integer_value(v);
		if (in->three_faces[i] < 1 || in->three_faces[i] > 5) {
			snprintf(err, errlen, "three_faces: levels are 1..5");
			return -1;
		}
	}
	return 0;
}

/* One criterion: its label and its two or three scored options. */
static int
parse_criterion(json_t *v, size_t i, struct instrument_criterion *c, char *err,
    size_t errlen)
{
	json_t *opts = json_object_get(v, "options"), *o;
	size_t k;
	char where[64];

	snprintf(where, sizeof(where), "criteria[%zu]", i);
	if (get_itext(v, &c->label, where, err, errlen) < 0)
		return -1;
	if (json_array_size(opts) < 2 || json_array_size(opts) > 3) {
		snprintf(err, errlen,
		    "%s.options: two or three are "
		    "required",
		    where);
		return -1;
	}
	json_array_foreach(opts, k, o)
	{
		json_t *p = json_object_get(o, "points");

		snprintf(where, sizeof(where),
		    "criteria[%zu].options"
		    "[%zu]",
		    i, k);
		if (!json_is_integer(p) || json_integer_value(p) < 0 ||
		    json_integer_value(p) > 2) {
			snprintf(err, errlen, "%s.points: 0, 1 or 2", where);
			return -1;
		}
		c->opt[k].points = (int)json_integer_value(p);
		if (get_itext(o, &c->opt[k].label, where, err, errlen) < 0)
			return -1;
		c->nopts++;
	}
	return 0;
}

/* "criteria": the nine questions of the paper form (0-18 points). */
static int
parse_criteria(json_t *a, struct instrument *in, char *err, size_t errlen)
{
	json_t *v;
	size_t i;

	if (json_array_size(a) != RATING_CRITERIA) {
		snprintf(err, errlen, "criteria: exactly nine are required");
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		if (parse_criterion(v, i, &in->criteria[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* "reasons": what a low score may tick, at most six. */
static int
parse_reasons(json_t *a, struct instrument *in, char *err, size_t errlen)
{
	json_t *v;
	size_t i;
	char where[64];

	if (json_array_size(a) > RATING_REASONS_MAX) {
		snprintf(err, errlen, "reasons: at most six");
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		const char *code =
		    json_string_value(json_object_get(v, "code"));

		snprintf(where, sizeof(where), "reasons[%zu]", i);
		if (code == NULL || !reason_is_valid(code, strlen(code))) {
			snprintf(
			    err, errlen, "%s.code: 1-24 of a-z, 0-9, _", where);
			return -1;
		}
		strlcpy_hl(
		    in->reason[i].code, code, sizeof(in->reason[i].code));
		if (get_itext(v, &in->reason[i].label, where, err, errlen) < 0)
			return -1;
		in->nreasons++;
	}
	return 0;
}

/* "consent": the callback consent's text, version, purpose, retention. */
static int
parse_consent(json_t *consent, struct instrument *in, char *err, size_t errlen)
{
	json_t *v;

	in->consent_version =
	    (int)json_integer_value(json_object_get(consent, "version"));
	in->consent_retention_days =
	    (int)json_integer_value(json_object_get(consent, "retention_days"));
	v = json_object_get(consent, "purpose");
	if (in->consent_version < 1 || in->consent_retention_days < 1 ||
	    !json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) >= sizeof(in->consent_purpose)) {
		snprintf(err, errlen,
		    "consent: version, purpose and "
		    "retention_days are required");
		return -1;
	}
	strlcpy_hl(in->consent_purpose, json_string_value(v),
	    sizeof(in->consent_purpose));
	return get_itext(consent, &in->consent, "consent", err, errlen);
}

/* The instrument document's sections, in the file's order. */
static const struct {
	const char *key;
	int (*parse)(
	    json_t *v, struct instrument *in, char *err, size_t errlen);
} sections[] = {
	{ "levels", parse_levels },
	{ "three_faces", parse_three_faces },
	{ "criteria", parse_criteria },
	{ "reasons", parse_reasons },
	{ "consent", parse_consent },
};

static int
parse_body(json_t *root, struct instrument *in, char *err, size_t errlen)
{
	in->version = (int)json_integer_value(json_object_get(root, "version"));
	if (in->version < 1) {
		snprintf(
		    err, errlen, "version: a positive integer is required");
		return -1;
	}
	if (get_itext(json_object_get(root, "name"), &in->name, "name", err,
		errlen) < 0 ||
	    get_itext(json_object_get(root, "question"), &in->question,
		"question", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		if (sections[i].parse(json_object_get(root, sections[i].key),
			in, err, errlen) < 0)
			return -1;
	return 0;
}

struct instrument *
instrument_parse(const char *json, size_t len, char *err, size_t errlen)
{
	struct instrument *in = xcalloc(1, sizeof(*in));
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);

	if (root == NULL) {
		snprintf(err, errlen, "line %d: %s", je.line, je.text);
		goto fail;
	}
	if (parse_body(root, in, err, errlen) < 0)
		goto fail;
	json_decref(root);
	return in;
fail:
	json_decref(root);
	instrument_free(in);
	return NULL;
}

struct instrument *
instrument_load(struct db *db, char *err, size_t errlen)
{
	int64_t now = hl_now();

	return instrument_at(db, now, now, err, errlen);
}

struct instrument *
instrument_at(struct db *db, int64_t rated_at, int64_t received_at, char *err,
    size_t errlen)
{
	struct db_stmt *st = db_query(db,
	    "SELECT body FROM instruments "
	    "WHERE effective_from <= ? AND created_at <= ? "
	    "ORDER BY effective_from DESC, version DESC LIMIT 1",
	    "ll", rated_at, received_at);
	struct instrument *in = NULL;
	int rc;

	if (st == NULL) {
		snprintf(
		    err, errlen, "cannot read instruments: %s", db_errmsg(db));
		return NULL;
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		const char *body = db_col_text(st, 0);

		in = instrument_parse(body, strlen(body), err, errlen);
	} else if (rc == DB_DONE) {
		snprintf(err, errlen,
		    "no rating instrument in the database for that time; "
		    "run 'hailong init'");
	} else {
		snprintf(
		    err, errlen, "cannot read instruments: %s", db_errmsg(db));
	}
	db_done(st);
	return in;
}

/* Store a parsed version and its consent text; inside a transaction. */
static int
store_version(struct db *db, const struct instrument *in, const char *json,
    size_t len, int64_t from, int64_t created_at, const char *created_by)
{
	if (db_run(db,
		"INSERT INTO instruments(version, effective_from, body, "
		"created_at, created_by) VALUES (?, ?, ?, ?, ?)",
		"ilTlt", in->version, from, json, len, created_at,
		created_by) < 0)
		return -1;
	return db_run(db,
	    "INSERT OR IGNORE INTO consent_texts(version, purpose, "
	    "text_vi, text_en, retention_days, created_at) VALUES (?, ?, ?, "
	    "?, ?, ?)",
	    "itttll", in->consent_version, in->consent_purpose,
	    itext(&in->consent, LANG_VI), itext(&in->consent, LANG_EN),
	    (int64_t)in->consent_retention_days, hl_now());
}

int
instrument_install(struct db *db, const char *json, size_t len, int64_t from,
    char *err, size_t errlen)
{
	struct instrument *in = instrument_parse(json, len, err, errlen);
	int rc = -1;

	if (in == NULL)
		return -1;
	/* created at 0: installed by init, so in force for every rating,
	 * whenever it arrives (instrument_at()) */
	if (db_begin(db) < 0 ||
	    store_version(db, in, json, len, from, 0, "init") < 0 ||
	    db_commit(db) < 0) {
		snprintf(err, errlen, "cannot store instrument version %d: %s",
		    in->version, db_errmsg(db));
		db_rollback(db);
		goto out;
	}
	rc = 0;
out:
	instrument_free(in);
	return rc;
}

int
instrument_install_default(struct db *db, char *err, size_t errlen)
{
	const struct embed_file *f =
	    embed_find(server_files, "schemas/instrument.default.json");
	int64_t one;

	if (db_int(db, &one, "SELECT 1 FROM instruments LIMIT 1", "") == 0)
		return 0;
	if (f == NULL) {
		snprintf(err, errlen, "default instrument missing from build");
		return -1;
	}
	return instrument_install(
	    db, (const char *)f->data, f->len, 0, err, errlen);
}

bool
instrument_has_reason(const struct instrument *in, const char *code, size_t len)
{
	for (int i = 0; i < in->nreasons; i++)
		if (strlen(in->reason[i].code) == len &&
		    memcmp(in->reason[i].code, code, len) == 0)
			return true;
	return false;
}

/* ---- versions ------------------------------------------------------------ */

#define INSTRUMENT_BODY_MAX (256u << 10)
#define SCHEMA_NAME "schemas/instrument.schema.json"

/* The body against schemas/instrument.schema.json: 0, or SETUP_BAD. */
static int
check_schema(struct change *ch, json_t *doc)
{
	const struct embed_file *f = embed_find(server_files, SCHEMA_NAME);
	json_error_t je;
	json_t *schema = NULL;
	char why[400];
	int rc;

	if (f != NULL)
		schema = json_loadb((const char *)f->data, f->len, 0, &je);
	if (schema == NULL)
		return setup_bad(ch, "%s không có trong bản dựng",
		    "%s is missing from the build", SCHEMA_NAME);
	rc = jsonschema_validate(schema, doc, why, sizeof(why));
	json_decref(schema);
	if (rc == 0)
		return 0;
	return setup_bad(ch, "Phiếu không đúng %s: %s",
	    "the instrument does not follow %s: %s", SCHEMA_NAME, why);
}

/* Whether the consent text of in's consent version, if stored, is in's. */
static int
consent_matches(struct db *db, const struct instrument *in)
{
	struct db_stmt *st = db_query(db,
	    "SELECT purpose, text_vi, text_en, retention_days FROM "
	    "consent_texts WHERE version = ?",
	    "i", in->consent_version);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = strcmp(db_col_text(st, 0), in->consent_purpose) == 0 &&
			strcmp(db_col_text(st, 1),
			    itext(&in->consent, LANG_VI)) == 0 &&
			strcmp(db_col_text(st, 2),
			    itext(&in->consent, LANG_EN)) == 0 &&
			db_col_int(st, 3) == in->consent_retention_days
		    ? 1
		    : 0;
	else if (rc == DB_DONE)
		rc = 1;
	db_done(st);
	return rc;
}

/*
 * A reason code named by a rating given from `from` on that `in` does
 * not have: SETUP_BAD naming it, 0 when none, SETUP_DBERR.
 */
static int
check_dropped(
    struct db *db, struct change *ch, const struct instrument *in, int64_t from)
{
	struct db_stmt *st = db_query(db,
	    "SELECT DISTINCT reasons FROM ratings WHERE rated_at >= ? AND "
	    "reasons IS NOT NULL AND reasons <> ''",
	    "l", from);
	char code[RATING_REASON_MAX_LEN + 1] = "";
	int rc;

	if (st == NULL)
		return setup_dberr(ch, db);
	while ((rc = db_step(st)) == DB_ROW && code[0] == '\0') {
		const char *list = db_col_text(st, 0);

		while (*list != '\0') {
			size_t len = strcspn(list, ",");

			if (len > 0 && !instrument_has_reason(in, list, len)) {
				snprintf(code, sizeof(code), "%.*s",
				    (int)(len < sizeof(code)
					    ? len
					    : sizeof(code) - 1),
				    list);
				break;
			}
			list += len + (list[len] == ',');
		}
	}
	db_done(st);
	if (rc < 0)
		return setup_dberr(ch, db);
	if (code[0] == '\0')
		return 0;
	return setup_bad(ch,
	    "Phiếu mới bỏ lý do '%s' mà đã có đánh giá từ tháng hiệu lực "
	    "chọn; giữ lý do này trong danh sách reasons",
	    "the new version drops reason '%s', which ratings given since "
	    "its effective month name; keep it in \"reasons\"",
	    code);
}

int
instrument_add(struct db *db, struct change *ch, int effective,
    const char *json, size_t len, int *version)
{
	struct instrument *in = NULL;
	json_error_t je;
	json_t *doc = NULL;
	char *body = NULL, m[8], now_m[8], detail[96], target[32], why[256];
	int64_t next, from;
	int rc = SETUP_BAD, month_now = month_of(hl_now());

	*version = 0;
	month_format(effective, m);
	month_format(month_now, now_m);
	if (effective < month_now)
		return setup_bad(ch,
		    "Tháng hiệu lực %s đã qua: chọn từ tháng %s trở đi",
		    "the effective month %s is before the current month %s", m,
		    now_m);
	if (len > INSTRUMENT_BODY_MAX)
		return setup_bad(ch, "Tệp phiếu lớn hơn %u KiB",
		    "the instrument is larger than %u KiB",
		    INSTRUMENT_BODY_MAX >> 10);
	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		rc = setup_bad(ch, "JSON không hợp lệ, dòng %d: %s",
		    "not valid JSON: line %d: %s", je.line, je.text);
		goto out;
	}
	if ((rc = check_schema(ch, doc)) != 0)
		goto out;
	from = month_start(effective);
	if (db_begin(db) < 0)
		goto dberr;
	if (db_int(db, &next,
		"SELECT coalesce(max(version), 0) + 1 FROM instruments",
		"") != 0)
		goto dberr;
	/* the number is the database's, whatever the file said */
	json_object_set_new(doc, "version", json_integer(next));
	body = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	in = instrument_parse(body, strlen(body), why, sizeof(why));
	if (in == NULL) {
		rc = setup_bad(ch, "Phiếu không hợp lệ: %s",
		    "the instrument is not valid: %s", why);
		goto bad;
	}
	rc = consent_matches(db, in);
	if (rc < 0)
		goto dberr;
	if (rc == 0) {
		rc = setup_bad(ch,
		    "consent.version %d đã có với nội dung khác; lời đồng ý "
		    "mới cần số phiên bản mới",
		    "consent.version %d is stored with another text; a new "
		    "consent text needs a new version",
		    in->consent_version);
		goto bad;
	}
	rc = check_dropped(db, ch, in, from);
	if (rc == SETUP_BAD)
		goto bad;
	if (rc < 0)
		goto dbfail;
	if (store_version(
		db, in, body, strlen(body), from, hl_now(), ch->actor) < 0)
		goto dberr;
	snprintf(target, sizeof(target), "instrument:%lld", (long long)next);
	snprintf(detail, sizeof(detail), "{\"effective\":\"%s\"}", m);
	if (audit_append(db, ch->actor, "instrument.add", target, detail) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	*version = (int)next;
	rc = 0;
	goto out;
dberr:
	rc = setup_dberr(ch, db);
dbfail:
	db_rollback(db);
	goto out;
bad:
	db_rollback(db);
out:
	instrument_free(in);
	free(body);
	json_decref(doc);
	return rc;
}

/* ---- the running server's cache ------------------------------------------ */

struct cached_version {
	int version;
	int64_t from;
	struct instrument *in;
};

struct instrument_cache {
	pthread_mutex_t mu;
	struct cached_version *v; /* by version */
	size_t n, cap;
	int last;           /* the highest version read, kept or not */
	int64_t checked_ms; /* hl_mono_ms() of the last look, 0 for never */
};

#define CACHE_CHECK_MS 1000

struct instrument_cache *
instrument_cache_new(void)
{
	struct instrument_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void
instrument_cache_free(struct instrument_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		instrument_free(c->v[i].in);
	free(c->v);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void
instrument_cache_touch(struct instrument_cache *c)
{
	pthread_mutex_lock(&c->mu);
	c->checked_ms = 0;
	pthread_mutex_unlock(&c->mu);
}

/* Read the versions stored since the last look; under c->mu.  0 or -1. */
static int
cache_refresh(
    struct instrument_cache *c, struct db *db, char *err, size_t errlen)
{
	struct db_stmt *st = db_query(db,
	    "SELECT version, effective_from, body FROM instruments WHERE "
	    "version > ? ORDER BY version",
	    "i", c->last);
	int rc;

	if (st == NULL) {
		snprintf(
		    err, errlen, "cannot read instruments: %s", db_errmsg(db));
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		const char *body = db_col_text(st, 2);
		struct instrument *in =
		    instrument_parse(body, strlen(body), err, errlen);

		c->last = (int)db_col_int(st, 0);
		if (in == NULL) {
			/* stored only after the same check: a damaged row */
			log_kv(LOG_ERROR, "instrument",
			    "version=%lld unreadable: %s",
			    (long long)db_col_int(st, 0), err);
			continue;
		}
		if (c->n == c->cap) {
			c->cap = c->cap > 0 ? c->cap * 2 : 8;
			c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
		}
		c->v[c->n].version = (int)db_col_int(st, 0);
		c->v[c->n].from = db_col_int(st, 1);
		c->v[c->n].in = in;
		c->n++;
	}
	db_done(st);
	if (rc < 0) {
		snprintf(
		    err, errlen, "cannot read instruments: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

const struct instrument *
instrument_cache_at(struct instrument_cache *c, struct db *db, int64_t t,
    char *err, size_t errlen)
{
	const struct cached_version *best = NULL;
	int64_t now = hl_mono_ms();

	pthread_mutex_lock(&c->mu);
	if (c->checked_ms == 0 || now - c->checked_ms >= CACHE_CHECK_MS) {
		if (db != NULL && cache_refresh(c, db, err, errlen) == 0)
			c->checked_ms = now > 0 ? now : 1;
		else if (c->n == 0) {
			if (db == NULL)
				snprintf(err, errlen, "no database");
			pthread_mutex_unlock(&c->mu);
			return NULL;
		}
	}
	/* the latest effective start not after t; of those the newest */
	for (size_t i = 0; i < c->n; i++) {
		const struct cached_version *v = &c->v[i];

		if (v->from <= t &&
		    (best == NULL || v->from > best->from ||
			(v->from == best->from && v->version > best->version)))
			best = v;
	}
	pthread_mutex_unlock(&c->mu);
	if (best == NULL)
		snprintf(err, errlen,
		    "no rating instrument in force at that time; run "
		    "'hailong init'");
	return best != NULL ? best->in : NULL;
}

int
instrument_version_at(struct db *db, int64_t t, struct instrument_version *v)
{
	struct db_stmt *st = db_query(db,
	    "SELECT version, effective_from, created_at, created_by, body "
	    "FROM instruments WHERE effective_from <= ? AND created_at <= ? "
	    "ORDER BY effective_from DESC, version DESC LIMIT 1",
	    "ll", t, hl_now());
	int rc;

	memset(v, 0, sizeof(*v));
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		v->version = (int)db_col_int(st, 0);
		v->effective_from = db_col_int(st, 1);
		v->created_at = db_col_int(st, 2);
		strlcpy_hl(
		    v->created_by, db_col_text(st, 3), sizeof(v->created_by));
		v->body = xstrdup(db_col_text(st, 4));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}
