/* fuzz_token.c -- libFuzzer: the QR token parser and verifier. */
#include <stdint.h>
#include <string.h>

#include "hailong/token.h"

static int
key(int kid, unsigned char k[TOKEN_KEY_LEN], void *arg)
{
	(void)arg;
	memset(k, kid, TOKEN_KEY_LEN);
	return kid == 1 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token t, back;
	unsigned char mac[TOKEN_MAC_LEN], mac2[TOKEN_MAC_LEN];
	char again[TOKEN_MAX_LEN + 1];

	if (token_parse((const char *)data, size, &t, mac) == 0) {
		/* whatever parses is well formed and encodes again */
		if (token_check(&t) != NULL)
			__builtin_trap();
		if (token_encode(&t, mac, sizeof(mac), again) != 0)
			__builtin_trap();
		/* and reads back the same, version 1 or 2 */
		if (token_parse(again, strlen(again), &back, mac2) != 0 ||
		    memcmp(&t, &back, sizeof(t)) != 0)
			__builtin_trap();
	}
	token_verify((const char *)data, size, key, NULL, &t);
	return 0;
}
