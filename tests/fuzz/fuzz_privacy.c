/* fuzz_privacy.c -- libFuzzer: finding a phone number in a comment. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/text.h"
#include "core/privacy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The first line names the number (when it is one), the rest is the
 * comment.  Whatever privacy_text_has_phone() finds, text_mask_numbers()
 * must remove: 'privacy erase' relies on it.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	char phone[11] = "0912345678";
	char *text, *masked;
	size_t len;

	if (nl != NULL) {
		if (!phone_normalize(buf, (size_t)(nl - buf), phone))
			memcpy(phone, "0912345678", 11);
		len = size - (size_t)(nl + 1 - buf);
		buf = nl + 1;
	} else {
		len = size;
	}
	privacy_text_has_phone(buf, len, phone);
	/* the masking side works on C strings: stop at a NUL */
	text = strndup(buf, len);
	if (text == NULL)
		return 0;
	masked = text_mask_numbers(text);
	if (strlen(masked) != strlen(text))
		__builtin_trap();
	if (privacy_text_has_phone(text, strlen(text), phone) &&
	    privacy_text_has_phone(masked, strlen(masked), phone))
		__builtin_trap();
	free(masked);
	free(text);
	return 0;
}
