/* fuzz_kiosksig.c -- libFuzzer: the kiosk signature header and HTTP dates. */
#include <stdint.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/kiosksig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kiosksig s, again;
	char header[KIOSKSIG_HEADER_MAX];
	static const unsigned char key[32];
	int64_t t;

	if (kiosksig_parse((const char *)data, size, &s) == 0) {
		/* whatever parses is well formed and reads back the same */
		if (!kiosk_id_is_valid(s.kiosk, strlen(s.kiosk)) ||
		    s.time <= 0 || s.nonce <= 0)
			__builtin_trap();
		kiosksig_format(&s, header);
		if (kiosksig_parse(header, strlen(header), &again) != 0 ||
		    memcmp(&s, &again, sizeof(s)) != 0)
			__builtin_trap();
		kiosksig_verify(
		    &s, key, sizeof(key), "POST", "/p", NULL, data, size);
	}
	if (httpdate_parse((const char *)data, size, &t) == 0 && t < 0)
		__builtin_trap();
	return 0;
}
