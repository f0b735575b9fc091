/* fuzz_cookie.c -- libFuzzer: the Cookie header parser. */
#include <stdint.h>
#include <string.h>

#include "hailong/cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char v[44];

	if (cookie_get((const char *)data, size, "hl_session", v, sizeof(v)) ==
		0 &&
	    strlen(v) >= sizeof(v))
		__builtin_trap();
	cookie_get((const char *)data, size, "hl_login", v, 8);
	return 0;
}
