/* fuzz_query.c -- libFuzzer: query strings as the handlers read them: the
 * decoded pairs, then every value check a handler applies to them (the
 * metrics API's unit/month/as_of, ?lang). */
#include <stdint.h>
#include <string.h>

#include "hailong/form.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "core/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form q;
	const char *v;
	int64_t t;
	int month;
	enum lang l;

	if (form_parse(&q, (const char *)data, size) < 0)
		return 0;
	if ((v = form_get(&q, "unit")) != NULL)
		is_unit_code(v, strlen(v));
	if ((v = form_get(&q, "month")) != NULL &&
	    month_parse(v, strlen(v), &month) == 0 &&
	    (month % 100 < 1 || month % 100 > 12))
		__builtin_trap();
	if ((v = form_get(&q, "as_of")) != NULL)
		rfc3339_parse(v, strlen(v), &t);
	l = lang_parse(form_get(&q, "lang"));
	if (l != LANG_VI && l != LANG_EN)
		__builtin_trap();
	for (int i = 0; i < q.n; i++) {
		if (strlen(q.f[i].name) > size || q.f[i].len > size)
			__builtin_trap();
		form_count(&q, q.f[i].name);
	}
	form_release(&q);
	return 0;
}
