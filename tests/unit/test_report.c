/* test_report.c -- a received report's check, canonical bytes, renderings. */
#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/fileio.h"
#include "core/report.h"
#include "test.h"

/* A report built by `hailong report build` (the fuzzer's seed). */
#define SEED "tests/fuzz/corpus/report/commune.json"

static char *seed;
static size_t seed_len;

static int
check_text(const char *text, char *err, size_t errlen)
{
	return report_check(text, strlen(text), NULL, err, errlen);
}

/* Replace the first `from` of the seed with `to`; new. */
static char *
edited(const char *from, const char *to)
{
	const char *at = strstr(seed, from);
	struct buf b = { 0 };

	if (at == NULL) {
		FAIL_AT("'%s' is not in the seed", from);
		return strdup(seed);
	}
	buf_add(&b, seed, (size_t)(at - seed));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	return buf_detach(&b, NULL);
}

static void
accepts_a_built_report(void)
{
	char err[512] = "";
	json_t *doc = NULL;

	CHECK_INT(report_check(seed, seed_len, &doc, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(doc != NULL);
	CHECK_STR(json_string_value(json_object_get(doc, "unit")), "H21.227");
	/* the seed was built by report version 1: a child not upgraded yet
	 * is still accepted (definition version 1, no figures of "why") */
	CHECK_INT(
	    json_integer_value(json_object_get(doc, "report_version")), 1);
	CHECK(
	    json_object_get(json_object_get(doc, "total"), "reasons") == NULL);
	json_decref(doc);
}

static void
canonical_round_trip(void)
{
	json_error_t je;
	json_t *doc = json_loadb(seed, seed_len, 0, &je);
	size_t len;
	char *again = report_dumps(doc, &len);

	/* sorted keys, the same numbers: parse and print give the bytes */
	CHECK_INT(len, seed_len);
	CHECK(memcmp(again, seed, seed_len) == 0);
	free(again);
	json_decref(doc);
}

static void
refusals_say_why(void)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{ "\"report_version\": 1", "\"report_version\": 4",
		    "/report_version" },
		{ "\"generator\": \"hailong", "\"generator\": \"excel",
		    "/generator" },
		{ "\"unit\": \"H21.227\"", "\"unit\": \"H21.227\", \"unit\": 1",
		    "duplicate object key" },
		{ "\"head\": \"", "\"head\": \"x", "/ratings_chain/head" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = edited(cases[i].from, cases[i].to);

		err[0] = '\0';
		CHECK_INT(check_text(t, err, sizeof(err)), -1);
		if (strstr(err, cases[i].want) == NULL)
			FAIL_AT("case %zu: '%s' does not say '%s'", i, err,
			    cases[i].want);
		free(t);
	}
	{
		/* stated figures that the counts do not give */
		json_error_t je;
		json_t *doc = json_loadb(seed, seed_len, 0, &je);
		char *t;

		json_object_set_new(
		    json_object_get(doc, "total"), "ratings", json_integer(4));
		t = report_dumps(doc, NULL);
		CHECK_INT(check_text(t, err, sizeof(err)), -1);
		CHECK_STR(err,
		    "report.json: the total's figures do not match its "
		    "counts");
		free(t);
		json_decref(doc);
	}
	CHECK_INT(check_text("", err, sizeof(err)), -1);
	CHECK_INT(check_text("[]", err, sizeof(err)), -1);
	CHECK_INT(
	    report_check("{\"unit\":\"\xff\"}", 13, NULL, err, sizeof(err)),
	    -1);
	CHECK_STR(err, "report.json: not UTF-8");
	CHECK_INT(
	    report_check(seed, REPORT_JSON_MAX + 1, NULL, err, sizeof(err)),
	    -1);
}

static void
renderings(void)
{
	json_error_t je;
	json_t *doc = json_loadb(seed, seed_len, 0, &je);
	struct buf csv = { 0 }, html = { 0 };

	json_object_set_new(doc, "unit_name", json_string("<b>Vân & \"Canh\""));
	CHECK_INT(report_csv(doc, &csv), 0);
	CHECK(memcmp(csv.data, "\xEF\xBB\xBFscope,", 9) == 0);
	CHECK(strstr(csv.data,
		  "\r\ntotal,,H21.227,,\"<b>Vân & \"\"Canh\"\"\",") != NULL);
	CHECK_INT(report_html(doc, &html), 0);
	CHECK(strstr(html.data, "&lt;b&gt;Vân &amp; &quot;Canh&quot;") != NULL);
	CHECK(strstr(html.data, "<b>Vân") == NULL);
	buf_release(&csv);
	buf_release(&html);
	json_decref(doc);
}

/* Text cells that a spreadsheet would run as formulas are neutralised. */
static void
csv_neutralises_formulas(void)
{
	json_error_t je;
	json_t *doc = json_loadb(seed, seed_len, 0, &je);
	json_t *p = json_array_get(json_object_get(doc, "procedures"), 0);
	json_t *k = json_array_get(json_object_get(doc, "counters"), 0);
	json_t *k2 = json_array_get(json_object_get(doc, "counters"), 1);
	struct buf csv = { 0 }, again = { 0 };

	json_object_set_new(doc, "unit_name",
	    json_string("=HYPERLINK(\"http://x.example/\",\"bấm\")"));
	json_object_set_new(p, "name", json_string("@SUM(1+1)"));
	json_object_set_new(k, "name", json_string("-2+3"));
	json_object_set_new(k2, "name", json_string("\t+cmd"));
	/* a number stays a number, even negative */
	json_object_set_new(
	    json_object_get(doc, "total"), "dossiers", json_integer(-7));
	CHECK_INT(report_csv(doc, &csv), 0);
	CHECK(strstr(csv.data,
		  ",\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"bấm\"\")\",") !=
	    NULL);
	CHECK(strstr(csv.data, ",\"'@SUM(1+1)\",") != NULL);
	CHECK(strstr(csv.data, ",\"'-2+3\",") != NULL);
	CHECK(strstr(csv.data, ",\"'\t+cmd\",") != NULL);
	CHECK(strstr(csv.data, ",=") == NULL);
	CHECK(strstr(csv.data, ",@") == NULL);
	CHECK(strstr(csv.data, ",-7,") != NULL);
	/* the same data, the same bytes */
	CHECK_INT(report_csv(doc, &again), 0);
	CHECK_INT(again.len, csv.len);
	CHECK(memcmp(again.data, csv.data, csv.len) == 0);
	buf_release(&csv);
	buf_release(&again);
	json_decref(doc);
}

/* Names of a received report obey the rules of local names. */
static void
names_are_checked(void)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{ "\"unit_name\": \"", "\"unit_name\": \"\\u0007",
		    "unit_name" },
		{ "\"name\": \"Thủ tục", "\"name\": \"\\nThủ tục",
		    "procedures[0].name" },
		{ "\"name\": \"Quầy 1", "\"name\": \"\\u001bQuầy 1",
		    "counters[0].name" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = edited(cases[i].from, cases[i].to);

		err[0] = '\0';
		CHECK_INT(check_text(t, err, sizeof(err)), -1);
		if (strstr(err, cases[i].want) == NULL)
			FAIL_AT("case %zu: '%s' does not say '%s'", i, err,
			    cases[i].want);
		free(t);
	}
}

int
main(void)
{
	char err[256];

	seed = file_read(SEED, REPORT_JSON_MAX, &seed_len, err, sizeof(err));
	if (seed == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	RUN(accepts_a_built_report);
	RUN(canonical_round_trip);
	RUN(refusals_say_why);
	RUN(renderings);
	RUN(csv_neutralises_formulas);
	RUN(names_are_checked);
	free(seed);
	return test_report("test_report");
}
