/* fuzz_jsonbody.c -- libFuzzer: a JSON request body as every JSON handler
 * first reads it (server/web/jsonapi.c json_body_parse: UTF-8, depth, no
 * duplicate keys), then the kiosk enrolment body {"code": ...}. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/text.h"
#include "hailong/wire.h"
#include "web/jsonapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[256], code[WIRE_CODE_CHARS + 1];
	json_t *doc, *again;
	const char *s;
	char *text;

	doc = json_body_parse((const char *)data, size, why, sizeof(why));
	if (doc == NULL) {
		if (why[0] == '\0' || strlen(why) >= sizeof(why))
			__builtin_trap();
		return 0;
	}
	/* what was accepted was valid UTF-8 and survives a round trip */
	if (!utf8_is_valid((const char *)data, size))
		__builtin_trap();
	text = json_dumps(doc, JSON_ENCODE_ANY | JSON_COMPACT);
	if (text == NULL)
		__builtin_trap();
	again = json_body_parse(text, strlen(text), why, sizeof(why));
	if (again == NULL || !json_equal(doc, again))
		__builtin_trap();
	json_decref(again);
	free(text);
	/* the enrolment body */
	s = json_string_value(json_object_get(doc, WIRE_K_CODE));
	if (s != NULL && wire_code_normalize(s, strlen(s), code) == 0 &&
	    strlen(code) != WIRE_CODE_CHARS)
		__builtin_trap();
	json_decref(doc);
	return 0;
}
