/* test_instrument.c -- the rating form's wording: the shipped document,
 * and each section's check with the message it gives. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/instrument.h"
#include "core/jsonschema.h"
#include "core/setup.h"
#include "core/store.h"
#include "test.h"

#define DEFAULT "schemas/instrument.default.json"

static char *
shipped(size_t *len)
{
	json_error_t je;
	json_t *root = json_load_file(DEFAULT, 0, &je);
	char *s;

	CHECK(root != NULL);
	if (root == NULL)
		return NULL;
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	*len = strlen(s);
	return s;
}

/* The shipped document, read section by section. */
static void
default_document(void)
{
	char err[256] = "", *json;
	size_t len;
	struct instrument *in;

	json = shipped(&len);
	if (json == NULL)
		return;
	in = instrument_parse(json, len, err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK(in->version >= 1);
		for (int level = 1; level <= 5; level++)
			CHECK(itext(&in->level[level], LANG_VI)[0] != '\0');
		CHECK_INT(in->three_faces[0], 5);
		CHECK_INT(in->three_faces[1], 4);
		CHECK_INT(in->three_faces[2], 2);
		for (int i = 0; i < RATING_CRITERIA; i++)
			CHECK(in->criteria[i].nopts >= 2 &&
			    in->criteria[i].nopts <= 3);
		CHECK_INT(in->nreasons, 6);
		CHECK(instrument_has_reason(
		    in, in->reason[0].code, strlen(in->reason[0].code)));
		CHECK(!instrument_has_reason(in, "nope", 4));
		CHECK(in->consent_version >= 1);
		CHECK(in->consent_retention_days >= 1);
		CHECK(in->consent_purpose[0] != '\0');
		/* English where given, Vietnamese where not */
		CHECK(strcmp(itext(&in->question, LANG_EN),
			  itext(&in->question, LANG_VI)) != 0);
	}
	instrument_free(in);
	free(json);
}

/* The shipped document, changed by `change`: refused with `want`. */
static void
refused_after(void (*change)(json_t *root), const char *want)
{
	json_error_t je;
	json_t *root = json_load_file(DEFAULT, 0, &je);
	char err[256] = "", *json;
	struct instrument *in;

	CHECK(root != NULL);
	if (root == NULL)
		return;
	change(root);
	json = json_dumps(root, JSON_COMPACT);
	in = instrument_parse(json, strlen(json), err, sizeof(err));
	CHECK(in == NULL);
	if (strstr(err, want) == NULL)
		CHECK_STR(err, want);
	instrument_free(in);
	free(json);
	json_decref(root);
}

/* One top-level key set to value (taken). */
static json_t *new_value;
static const char *new_key;

static void
set_key(json_t *root)
{
	json_object_set_new(root, new_key, new_value);
}

static void
refused(const char *key, json_t *value, const char *want)
{
	new_key = key;
	new_value = value;
	refused_after(set_key, want);
}

static void
level_twice(json_t *root)
{
	json_t *levels = json_object_get(root, "levels");

	json_object_set_new(
	    json_array_get(levels, 1), "level", json_integer(1));
}

static void
three_points(json_t *root)
{
	json_t *c = json_array_get(json_object_get(root, "criteria"), 8);

	json_object_set_new(json_array_get(json_object_get(c, "options"), 0),
	    "points", json_integer(3));
}

static void
each_section_checked(void)
{
	refused("version", json_integer(0),
	    "version: a positive integer is required");
	refused("question", json_object(),
	    "question.vi: a non-empty text of at most 1000 bytes is required");
	refused("levels", json_array(), "levels: exactly five are required");
	refused("three_faces", json_pack("[i,i]", 5, 4),
	    "three_faces: three levels are required");
	refused("three_faces", json_pack("[i,i,i]", 5, 4, 9),
	    "three_faces: levels are 1..5");
	refused(
	    "criteria", json_array(), "criteria: exactly nine are required");
	refused("reasons",
	    json_pack("[{s:s,s:s}]", "code", "Bad Code", "vi", "x"),
	    "reasons[0].code: 1-24 of a-z, 0-9, _");
	refused("consent", json_pack("{s:i}", "version", 1),
	    "consent: version, purpose and retention_days are required");
	refused_after(level_twice, "levels[4].level: each of 1..5 once");
	refused_after(three_points, "criteria[8].options[0].points: 0, 1 or 2");
}

/* ---- versions --------------------------------------------------------- */

#define DAY ((int64_t)86400)
/* 1 Oct 2026 00:00 ICT and 1 Nov 2026 00:00 ICT */
#define OCT ((int64_t)1790787600)
#define NOV (OCT + 31 * DAY)

static struct db *
fresh_db(void)
{
	static char path[160];
	char err[256] = "";
	struct db *db;

	snprintf(path, sizeof(path), "%s/i.db", test_tmpdir());
	db = store_open(path, STORE_CREATE, err, sizeof(err));
	if (db == NULL ||
	    instrument_install_default(db, err, sizeof(err)) < 0) {
		fprintf(stderr, "fresh_db: %s\n", err);
		exit(2);
	}
	return db;
}

/* Store version v (question "v<N>"), effective `from`, created at `at`. */
static void
put_version(struct db *db, int v, int64_t from, int64_t at)
{
	json_error_t je;
	json_t *root = json_load_file(DEFAULT, 0, &je);
	char q[16], *json;

	snprintf(q, sizeof(q), "v%d", v);
	json_object_set_new(root, "version", json_integer(v));
	json_object_set_new(
	    json_object_get(root, "question"), "vi", json_string(q));
	json = json_dumps(root, JSON_COMPACT);
	CHECK(db_run(db,
		  "INSERT INTO instruments(version, effective_from, body, "
		  "created_at, created_by) VALUES (?, ?, ?, ?, 'test')",
		  "iltl", v, from, json, at) == 0);
	free(json);
	json_decref(root);
}

/* The question of the version instrument_at() picks: "v2", or the
 * default's (version 1) as "v1", or "none". */
static const char *
picked(struct db *db, int64_t rated_at, int64_t received_at)
{
	static char out[16];
	char err[256];
	struct instrument *in =
	    instrument_at(db, rated_at, received_at, err, sizeof(err));

	if (in == NULL)
		return "none";
	snprintf(out, sizeof(out), "v%d", in->version);
	if (in->version > 1)
		CHECK_STR(itext(&in->question, LANG_VI), out);
	instrument_free(in);
	return out;
}

/*
 * instrument_at() chooses by rated_at (the latest effective start not
 * after it) among the versions created by received_at: a rating given in
 * November that arrived before November's version was added keeps the
 * version it was given under.
 */
static void
at_by_rated_and_received(void)
{
	struct db *db = fresh_db();

	/* v2 from October, added 20 Sept; v3 from November, added 10 Nov */
	put_version(db, 2, OCT, OCT - 11 * DAY);
	put_version(db, 3, NOV, NOV + 9 * DAY);
	/* the default is created at 0: in force before any other */
	CHECK_STR(picked(db, OCT - 1, OCT - 1), "v1");
	CHECK_STR(picked(db, 0, 0), "v1");
	/* rated in October: v2, however late it arrives */
	CHECK_STR(picked(db, OCT, OCT), "v2");
	CHECK_STR(picked(db, NOV - 1, NOV + 30 * DAY), "v2");
	/* rated 5 Nov: v3 is effective, but arrived before it existed */
	CHECK_STR(picked(db, NOV + 4 * DAY, NOV + 5 * DAY), "v2");
	/* the same rating arriving after v3 was added: v3 */
	CHECK_STR(picked(db, NOV + 4 * DAY, NOV + 9 * DAY), "v3");
	CHECK_STR(picked(db, NOV + 4 * DAY, NOV + 12 * DAY), "v3");
	/* rated in October, arriving after v3: still v2 */
	CHECK_STR(picked(db, NOV - 60, NOV + 12 * DAY), "v2");
	/* received before v2 was created: the default, whatever rated_at */
	CHECK_STR(picked(db, OCT + DAY, OCT - 12 * DAY), "v1");
	/* two versions of one month: the later number wins */
	put_version(db, 4, NOV, NOV + 10 * DAY);
	CHECK_STR(picked(db, NOV + 4 * DAY, NOV + 12 * DAY), "v4");
	CHECK_STR(picked(db, NOV + 4 * DAY, NOV + 9 * DAY + 1), "v3");
	db_close(db);
}

/* The cache: the version in force at t among all stored, new ones read. */
static void
cache_follows_the_table(void)
{
	struct db *db = fresh_db();
	struct instrument_cache *c = instrument_cache_new();
	const struct instrument *a, *b;
	char err[256];

	a = instrument_cache_at(c, db, NOV, err, sizeof(err));
	CHECK(a != NULL && a->version == 1);
	CHECK(instrument_cache_at(c, NULL, -1, err, sizeof(err)) == NULL);
	put_version(db, 2, OCT, OCT);
	/* within the second: not yet looked for; touched: at once */
	instrument_cache_touch(c);
	b = instrument_cache_at(c, db, NOV, err, sizeof(err));
	CHECK(b != NULL && b->version == 2);
	/* the old one is still there, for ratings given before */
	CHECK(instrument_cache_at(c, db, OCT - 1, err, sizeof(err)) == a);
	/* no database at all: what it has */
	instrument_cache_touch(c);
	CHECK(instrument_cache_at(c, NULL, NOV, err, sizeof(err)) == b);
	instrument_cache_free(c);
	instrument_cache_free(NULL);
	db_close(db);
}

/* schemas/instrument.schema.json takes the default and names a bad path. */
static void
schema_checks_the_default(void)
{
	extern const struct embed_file server_files[];
	const struct embed_file *f =
	    embed_find(server_files, "schemas/instrument.schema.json");
	json_error_t je;
	json_t *schema, *doc = json_load_file(DEFAULT, 0, &je);
	char err[256] = "";

	CHECK(f != NULL && doc != NULL);
	if (f == NULL || doc == NULL)
		return;
	schema = json_loadb((const char *)f->data, f->len, 0, &je);
	CHECK(schema != NULL);
	CHECK_INT(jsonschema_validate(schema, doc, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	json_object_set_new(json_array_get(json_object_get(doc, "reasons"), 2),
	    "code", json_string("Bad Code"));
	CHECK_INT(jsonschema_validate(schema, doc, err, sizeof(err)), 1);
	CHECK_STR(err, "/reasons/2/code: does not have the required form");
	json_decref(schema);
	json_decref(doc);
}

/* instrument_add(): the month, the schema, the number, the audit. */
static void
add_refuses_and_numbers(void)
{
	struct db *db = fresh_db();
	char err[512] = "", actor[] = "test:unit";
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	json_error_t je;
	json_t *root = json_load_file(DEFAULT, 0, &je);
	char *json = json_dumps(root, JSON_COMPACT);
	int now = month_of(hl_now()), version = -1;
	int64_t n;

	CHECK_INT(instrument_add(db, &ch, month_add(now, -1), json,
		      strlen(json), &version),
	    SETUP_BAD);
	CHECK(strstr(err, "is before the current month") != NULL);
	CHECK_INT(instrument_add(db, &ch, now, "{", 1, &version), SETUP_BAD);
	CHECK(strstr(err, "not valid JSON") != NULL);
	ch.lang = LANG_VI;
	CHECK_INT(instrument_add(db, &ch, now, "{}", 2, &version), SETUP_BAD);
	CHECK_STR(err,
	    "Phiếu không đúng schemas/instrument.schema.json: /: the key "
	    "\"version\" is required");
	ch.lang = LANG_EN;
	CHECK_INT(db_int(db, &n, "SELECT count(*) FROM instruments", ""), 0);
	CHECK_INT(n, 1);
	CHECK_INT(
	    instrument_add(db, &ch, now, json, strlen(json), &version), 0);
	CHECK_INT(version, 2);
	CHECK_INT(db_int(db, &n,
		      "SELECT count(*) FROM audit WHERE action = "
		      "'instrument.add' AND actor = 'test:unit' AND target = "
		      "'instrument:2'",
		      ""),
	    0);
	CHECK_INT(n, 1);
	CHECK_INT(
	    db_int(db, &n,
		"SELECT effective_from FROM instruments WHERE version = 2", ""),
	    0);
	CHECK_INT(n, month_start(now));
	free(json);
	json_decref(root);
	db_close(db);
}

int
main(void)
{
	RUN(default_document);
	RUN(each_section_checked);
	RUN(at_by_rated_and_received);
	RUN(cache_follows_the_table);
	RUN(schema_checks_the_default);
	RUN(add_refuses_and_numbers);
	return test_report("test_instrument");
}
