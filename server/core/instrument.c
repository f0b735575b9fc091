/* instrument.c -- the rating form's wording, as the province set it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/instrument.h"

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
	struct db_stmt *st = db_query(db,
	    "SELECT body FROM instruments "
	    "WHERE effective_from <= strftime('%s', 'now') "
	    "ORDER BY effective_from DESC, version DESC LIMIT 1",
	    "");
	struct instrument *in = NULL;

	if (st == NULL) {
		snprintf(
		    err, errlen, "cannot read instruments: %s", db_errmsg(db));
		return NULL;
	}
	if (db_step(st) == DB_ROW) {
		const char *body = db_col_text(st, 0);

		in = instrument_parse(body, strlen(body), err, errlen);
	} else {
		snprintf(err, errlen,
		    "no rating instrument in the database; "
		    "run 'hailong init'");
	}
	db_done(st);
	return in;
}

int
instrument_install(struct db *db, const char *json, size_t len, int64_t from,
    char *err, size_t errlen)
{
	struct instrument *in = instrument_parse(json, len, err, errlen);
	int rc = -1;

	if (in == NULL)
		return -1;
	if (db_begin(db) < 0)
		goto dberr;
	if (db_run(db,
		"INSERT INTO instruments(version, effective_from, body) "
		"VALUES (?, ?, ?)",
		"ilT", in->version, from, json, len) < 0)
		goto dberr;
	if (db_run(db,
		"INSERT OR IGNORE INTO consent_texts(version, purpose, "
		"text_vi, text_en, retention_days, created_at) VALUES (?, ?, "
		"?, "
		"?, ?, strftime('%s', 'now'))",
		"itttl", in->consent_version, in->consent_purpose,
		itext(&in->consent, LANG_VI), itext(&in->consent, LANG_EN),
		(int64_t)in->consent_retention_days) < 0)
		goto dberr;
	if (db_commit(db) < 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "cannot store instrument version %d: %s",
	    in->version, db_errmsg(db));
	db_rollback(db);
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
