/* test_jsonschema.c -- the schema checker: what passes, what fails, where. */
#include <jansson.h>

#include "core/jsonschema.h"
#include "test.h"

static const char schema_text[] =
    "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
    " \"type\":\"object\", \"additionalProperties\":false,"
    " \"required\":[\"unit\",\"month\",\"rate\",\"by_level\",\"scopes\"],"
    " \"properties\":{"
    "  "
    "\"unit\":{\"type\":\"string\",\"pattern\":\"^[HG][0-9]{2}(\\\\.[0-9]{1,4})"
    "*$\"},"
    "  \"month\":{\"type\":\"string\",\"minLength\":7,\"maxLength\":7},"
    "  \"rate\":{\"$ref\":\"#/$defs/rate\"},"
    "  \"by_level\":{\"type\":\"array\",\"minItems\":5,\"maxItems\":5,"
    "    \"items\":{\"type\":\"integer\",\"minimum\":0}},"
    "  \"kind\":{\"enum\":[\"commune\",\"province\"]},"
    "  \"v\":{\"const\":1},"
    "  \"name\":{\"type\":\"string\",\"maxLength\":3},"
    "  "
    "\"scopes\":{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/"
    "$defs/rate\"}},"
    "  \"either\":{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]},"
    "  \"nostr\":{\"not\":{\"type\":\"string\"}}"
    " },"
    " \"$defs\":{\"rate\":{\"type\":[\"number\",\"null\"],\"minimum\":0,"
    "\"maximum\":1}}}";

static int
check(const char *doc_text, char *err, size_t errlen)
{
	json_error_t je;
	json_t *schema = json_loads(schema_text, 0, &je);
	json_t *doc = json_loads(doc_text, 0, &je);
	int rc;

	if (schema == NULL || doc == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", je.text);
		exit(2);
	}
	rc = jsonschema_validate(schema, doc, err, errlen);
	json_decref(schema);
	json_decref(doc);
	return rc;
}

#define GOOD \
	"\"unit\":\"H21.227\",\"month\":\"2026-10\",\"rate\":0.5," \
	"\"by_level\":[0,1,2,3,4],\"scopes\":{}"

static void
valid(void)
{
	char err[256];

	CHECK_INT(check("{" GOOD "}", err, sizeof(err)), 0);
	CHECK_INT(
	    check("{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":null,"
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{\"a\":1,\"b\":null},"
		  "\"kind\":\"province\",\"v\":1,\"name\":\"Huế\",\"either\":3,"
		  "\"nostr\":4}",
		err, sizeof(err)),
	    0);
	/* 1.0 is an integer value */
	CHECK_INT(check("{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":1,"
			"\"by_level\":[1.0,0,0,0,0],\"scopes\":{}}",
		      err, sizeof(err)),
	    0);
}

static void
invalid(void)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "{\"month\":\"2026-10\",\"rate\":0,\"by_level\":[0,0,0,0,0],"
		  "\"scopes\":{}}",
		    "/: the key \"unit\" is required" },
		{ "{" GOOD ",\"extra\":1}",
		    "/: the key \"extra\" is not allowed here" },
		{ "{\"unit\":\"X21\",\"month\":\"2026-10\",\"rate\":0,"
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{}}",
		    "/unit: does not have the required form" },
		{ "{\"unit\":\"H21.227\",\"month\":\"2026-1\",\"rate\":0,"
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{}}",
		    "/month: too short" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":1.5,"
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{}}",
		    "/rate: must be at most 1" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":\"0.5\","
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{}}",
		    "/rate: must be number or null" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":0,"
		  "\"by_level\":[0,0,0,0],\"scopes\":{}}",
		    "/by_level: too few items" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":0,"
		  "\"by_level\":[0,0,-1,0,0],\"scopes\":{}}",
		    "/by_level/2: must be at least 0" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":0,"
		  "\"by_level\":[0,0,0.5,0,0],\"scopes\":{}}",
		    "/by_level/2: must be an integer" },
		{ "{" GOOD ",\"kind\":\"city\"}",
		    "/kind: is not one of the allowed values" },
		{ "{" GOOD ",\"v\":2}", "/v: has the wrong value" },
		{ "{" GOOD ",\"name\":\"Hà Nội\"}", "/name: too long" },
		{ "{\"unit\":\"H21\",\"month\":\"2026-10\",\"rate\":0,"
		  "\"by_level\":[0,0,0,0,0],\"scopes\":{\"a/b\":2}}",
		    "/scopes/a~1b: must be at most 1" },
		{ "{" GOOD ",\"either\":true}",
		    "/either: matches none of the allowed forms" },
		{ "{" GOOD ",\"nostr\":\"x\"}",
		    "/nostr: has a form that is not allowed" },
		{ "[]", "/: must be an object" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CHECK_INT(check(cases[i].doc, err, sizeof(err)), 1);
		CHECK_STR(err, cases[i].want);
	}
}

static void
broken_schemas(void)
{
	static const char *const schemas[] = {
		"{\"type\":\"text\"}",
		"{\"$ref\":\"#/$defs/missing\"}",
		"{\"typo\":1}",
		"{\"pattern\":\"(\"}",
		"3",
		"{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}},"
		"\"$ref\":\"#/$defs/a\"}",
	};
	json_error_t je;
	json_t *doc = json_string("x");
	char err[256];

	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		json_t *s = json_loads(schemas[i], JSON_DECODE_ANY, &je);

		CHECK(s != NULL);
		CHECK_INT(jsonschema_validate(s, doc, err, sizeof(err)), -1);
		CHECK(strncmp(err, "schema at ", 10) == 0);
		json_decref(s);
	}
	json_decref(doc);
}

/* uniqueItems: repeats found wherever they are; long arrays refused. */
static void
unique_items(void)
{
	json_error_t je;
	json_t *s =
	    json_loads("{\"type\":\"array\",\"uniqueItems\":true}", 0, &je);
	json_t *ok = json_loads("[1, \"1\", [1], {\"a\":1}, 2]", 0, &je);
	json_t *rep = json_loads("[{\"a\":1}, 2, {\"a\":1}]", 0, &je);
	json_t *lng = json_array();
	char err[256];

	for (int i = 0; i <= JSONSCHEMA_UNIQUE_MAX; i++)
		json_array_append_new(lng, json_integer(i));
	CHECK_INT(jsonschema_validate(s, ok, err, sizeof(err)), 0);
	CHECK_INT(jsonschema_validate(s, rep, err, sizeof(err)), 1);
	CHECK_STR(err, "/: items repeat");
	CHECK_INT(jsonschema_validate(s, lng, err, sizeof(err)), 1);
	CHECK_STR(err, "/: too many items to be unique");
	json_decref(s);
	json_decref(ok);
	json_decref(rep);
	json_decref(lng);
}

int
main(void)
{
	RUN(valid);
	RUN(invalid);
	RUN(broken_schemas);
	RUN(unique_items);
	return test_report("test_jsonschema");
}
