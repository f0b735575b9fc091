/* fuzz_dossiers.c -- libFuzzer: dossier files, CSV and JSON, row by row. */
#include <stdint.h>
#include <string.h>

#include "hailong/text.h"
#include "core/dossiers.h"
#include "core/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
row(void *arg, struct record *rec)
{
	struct dossier d;

	(void)arg;
	for (int i = 0; i < DK_COUNT; i++) {
		const char *v = rec->value[i];

		/* values are non-empty UTF-8 without NUL, within the cap */
		if (v != NULL && (v[0] == '\0' || !utf8_is_valid(v, strlen(v))))
			__builtin_trap();
	}
	if (dossier_from_record(rec, &d) == 0) {
		/* a valid row holds what the validator promised */
		if (!is_dossier_code(d.code, strlen(d.code)) || d.channel < 1 ||
		    d.channel > 3 ||
		    (d.has_finished && d.finished_at < d.received_at) ||
		    d.supplement_requests < 0 || d.corrections < 0)
			__builtin_trap();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];

	records_parse((const char *)data, size, RECORDS_CSV, dossier_keys, row,
	    NULL, err, sizeof(err));
	records_parse((const char *)data, size, RECORDS_JSON, dossier_keys, row,
	    NULL, err, sizeof(err));
	return 0;
}
