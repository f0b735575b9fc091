/* fuzz_ballots.c -- libFuzzer: ratings files, CSV and JSON, row by row. */
#include <stdint.h>
#include <string.h>

#include "hailong/rating.h"
#include "hailong/text.h"
#include "core/ballots.h"
#include "core/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
row(void *arg, struct record *rec)
{
	struct rating r;

	(void)arg;
	rating_init(&r);
	if (ballot_from_record(rec, &r) == 0) {
		/* a valid row passes the model's own check too */
		r.received_at = r.rated_at;
		if (rating_check(&r) != NULL)
			__builtin_trap();
	}
	rating_release(&r);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];

	records_parse((const char *)data, size, RECORDS_CSV, ballot_keys, row,
	    NULL, err, sizeof(err));
	records_parse((const char *)data, size, RECORDS_JSON, ballot_keys, row,
	    NULL, err, sizeof(err));
	return 0;
}
