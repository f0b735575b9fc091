/* fuzz_csv.c -- libFuzzer: RFC 4180 records. */
#include <stdint.h>
#include <string.h>

#include "hailong/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c;
	struct csv_record r;
	int rc, guard = 0;

	csv_init(&c, (const char *)data, size);
	while ((rc = csv_next(&c, &r)) != 0) {
		/* every call makes progress: at most one record per byte */
		if (++guard > (int)size + 1)
			__builtin_trap();
		if (rc == 1)
			for (int i = 0; i < r.n; i++)
				if (strlen(r.f[i]) > r.len[i] ||
				    r.len[i] > CSV_MAX_FIELD)
					__builtin_trap();
	}
	if (csv_offset(&c) > size)
		__builtin_trap();
	csv_release(&c);
	return 0;
}
