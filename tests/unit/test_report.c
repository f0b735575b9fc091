/* test_report.c -- a received report's check, canonical bytes, renderings. */
#include <jansson.h>

#include "hailong/buf.h"
#include "hailong/fileio.h"
#include "core/report.h"
#include "core/report_pdf.h"
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
	/* a row of Vietnamese words, then the machine keys */
	CHECK(memcmp(csv.data, "\xEF\xBB\xBFPh\xE1\xBA\xA1m vi,", 13) == 0);
	CHECK(strstr(csv.data, "\r\nscope,code,unit,counter,name,") != NULL);
	CHECK(strstr(csv.data,
		  "\r\ntotal,,H21.227,,\"<b>Vân & \"\"Canh\"\"\",") != NULL);
	CHECK_INT(report_html(doc, &html), 0);
	CHECK(strstr(html.data, "&lt;b&gt;Vân &amp; &quot;Canh&quot;") != NULL);
	CHECK(strstr(html.data, "<b>Vân") == NULL);
	buf_release(&csv);
	buf_release(&html);
	json_decref(doc);
}

/* A report's period in the words of its renderings. */
static void
period_words(void)
{
	char out[FMT_MAX];

	CHECK_STR(report_period_words("2026-10", out), "tháng 10/2026");
	CHECK_STR(report_period_words("2026-Q4", out), "quý 4/2026");
	CHECK_STR(report_period_words("2026", out), "năm 2026");
	CHECK_STR(report_period_words(NULL, out), "");
	CHECK_STR(report_flag_label("LOW_SATISFACTION"), "Hài lòng thấp");
	CHECK_STR(report_reason_label("wait"), "Phải chờ lâu");
	CHECK_STR(report_reason_label("nonsense"), "Lý do khác");
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

/* Every scope of a report document, the total and the lists. */
static void
strip_inclusion(json_t *doc)
{
	static const char *const lists[] = { "procedures", "counters",
		"officers" };
	static const char *const figs[] = { "by_requester", "assisted" };
	static const char *const counts[] = { "requester_ratings",
		"requester_satisfied", "assisted_ratings",
		"assisted_satisfied" };
	json_t *scopes = json_array();

	json_array_append(scopes, json_object_get(doc, "total"));
	for (size_t l = 0; l < 3; l++)
		json_array_extend(scopes, json_object_get(doc, lists[l]));
	for (size_t i = 0; i < json_array_size(scopes); i++) {
		json_t *o = json_array_get(scopes, i);

		for (size_t k = 0; k < 2; k++)
			json_object_del(o, figs[k]);
		for (size_t k = 0; k < 4; k++)
			json_object_del(
			    json_object_get(o, "counts"), counts[k]);
	}
	json_decref(scopes);
}

/*
 * Version 3 (by_requester, assisted) is checked like the others; a
 * report of version 2, which has neither, is still accepted; a stated
 * figure of inclusion that its counts do not give is refused.
 */
static void
inclusion_versions(void)
{
	char err[512] = "", *text, *v3;
	size_t len;
	json_t *doc;

	v3 = file_read("tests/fuzz/corpus/report/commune-v3-inclusion.json",
	    REPORT_JSON_MAX, &len, err, sizeof(err));
	CHECK(v3 != NULL);
	if (v3 == NULL)
		return;
	CHECK_INT(report_check(v3, len, NULL, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	/* the same as version 2 */
	doc = json_loadb(v3, len, 0, NULL);
	json_object_set_new(doc, "definition_version", json_integer(2));
	json_object_set_new(doc, "report_version", json_integer(2));
	strip_inclusion(doc);
	text = report_dumps(doc, &len);
	json_decref(doc);
	err[0] = '\0';
	CHECK_INT(report_check(text, len, NULL, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	free(text);
	/* version 3 without them: refused */
	doc = json_loadb(v3, strlen(v3), 0, NULL);
	strip_inclusion(doc);
	text = report_dumps(doc, &len);
	json_decref(doc);
	CHECK_INT(report_check(text, len, NULL, err, sizeof(err)), -1);
	free(text);
	/* a stated share its counts do not give: refused */
	doc = json_loadb(v3, strlen(v3), 0, NULL);
	json_object_set_new(
	    json_object_get(
		json_object_get(json_object_get(doc, "total"), "by_requester"),
		"citizen"),
	    "ratings", json_integer(99));
	text = report_dumps(doc, &len);
	json_decref(doc);
	CHECK_INT(report_check(text, len, NULL, err, sizeof(err)), -1);
	CHECK(strstr(err, "do not match") != NULL);
	free(text);
	free(v3);
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
	RUN(period_words);
	RUN(csv_neutralises_formulas);
	RUN(names_are_checked);
	RUN(inclusion_versions);
	free(seed);
	return test_report("test_report");
}
