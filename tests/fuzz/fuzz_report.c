/* fuzz_report.c -- libFuzzer: a received report.json, checked whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	json_t *doc = NULL;

	err[0] = '\0';
	if (report_check((const char *)data, size, &doc, err, sizeof(err)) ==
	    0) {
		/* what was accepted is a report: it has a unit and renders */
		struct buf b = { 0 };
		const char *unit =
		    json_string_value(json_object_get(doc, "unit"));

		if (doc == NULL || unit == NULL || report_csv(doc, &b) < 0 ||
		    report_html(doc, &b) < 0)
			__builtin_trap();
		buf_release(&b);
		json_decref(doc);
	} else if (err[0] == '\0' || doc != NULL) {
		/* a refusal always says why, and hands nothing back */
		__builtin_trap();
	}
	return 0;
}
