/* test_instrument.c -- the rating form's wording: the shipped document,
 * and each section's check with the message it gives. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/util.h"
#include "core/instrument.h"
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

int
main(void)
{
	RUN(default_document);
	RUN(each_section_checked);
	return test_report("test_instrument");
}
