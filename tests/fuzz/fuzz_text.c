/* fuzz_text.c -- libFuzzer: times, identifiers, phones, base64url. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	unsigned char out[256];
	char phone[11], back[26], *copy;
	int64_t t;
	int month;
	long n;

	if (rfc3339_parse(s, size, &t) == 0) {
		/* whatever parses formats and parses back to the instant */
		int64_t again;

		rfc3339_format(t, back);
		if (rfc3339_parse(back, strlen(back), &again) != 0 ||
		    again != t)
			__builtin_trap();
	}
	month_parse(s, size, &month);
	is_dossier_code(s, size);
	is_unit_code(s, size);
	is_procedure_code(s, size);
	is_officer_id(s, size);
	if (phone_normalize(s, size, phone) &&
	    (strlen(phone) != 10 || phone[0] != '0'))
		__builtin_trap();
	if (utf8_is_valid(s, size))
		utf8_count(s, size);
	n = b64url_decode(s, size, out, sizeof(out));
	if (n > (long)sizeof(out))
		__builtin_trap();
	copy = malloc(size + 1);
	memcpy(copy, s, size);
	copy[size] = '\0';
	free(text_mask_numbers(copy));
	free(copy);
	return 0;
}
