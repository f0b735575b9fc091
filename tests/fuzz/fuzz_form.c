/* fuzz_form.c -- libFuzzer: the urlencoded form and query parser. */
#include <stdint.h>
#include <string.h>

#include "hailong/form.h"
#include "hailong/rating.h"
#include "hailong/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f;

	if (form_parse(&f, (const char *)data, size) == 0) {
		for (int i = 0; i < f.n; i++) {
			/* values are NUL-free and their length is right */
			if (strlen(f.f[i].value) != f.f[i].len)
				__builtin_trap();
			utf8_is_valid(f.f[i].value, f.f[i].len);
			form_get(&f, f.f[i].name);
		}
		{
			/* the form's requester: a known word names itself */
			const char *q = form_get(&f, "requester");
			enum rating_requester r;

			if (q != NULL && rating_requester_parse(q, &r) == 0 &&
			    strcmp(rating_requester_name(r), q) != 0)
				__builtin_trap();
		}
		form_release(&f);
	}
	return 0;
}
