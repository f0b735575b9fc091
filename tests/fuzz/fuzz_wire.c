/* fuzz_wire.c -- libFuzzer: the kiosk protocol's JSON bodies and codes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/text.h"
#include "hailong/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char why[256],
	    reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char code[WIRE_CODE_CHARS + 1];
	struct wire_local w;
	struct wire_heartbeat hb;
	struct wire_serving sv;
	struct wire_item *items = NULL;
	int64_t serial;
	size_t n = 0;

	if (wire_local_parse(buf, size, &w, why, sizeof(why)) == 0) {
		if (w.level < 1 || w.level > 5 ||
		    (w.reasons[0] && w.level > WIRE_LOW_LEVEL_MAX) ||
		    (w.dossier[0] &&
			!is_dossier_code(w.dossier, strlen(w.dossier))) ||
		    (unsigned)w.requester > REQUESTER_BUSINESS)
			__builtin_trap();
	}
	/* the served dossier: a code with a serial, or neither */
	if (wire_serving_parse(buf, size, &sv, why, sizeof(why)) == 0 &&
	    ((sv.serial == 0) != (sv.dossier[0] == '\0') ||
		(sv.dossier[0] &&
		    !is_dossier_code(sv.dossier, strlen(sv.dossier)))))
		__builtin_trap();
	if (wire_serial_parse(buf, size, &serial, why, sizeof(why)) == 0 &&
	    serial < 1)
		__builtin_trap();
	wire_reasons_parse(buf, size, reasons, why, sizeof(why));
	wire_heartbeat_parse(buf, size, &hb, why, sizeof(why));
	if (wire_batch_parse(
		buf, size, 1764000000, &items, &n, why, sizeof(why)) == 0) {
		if (n == 0 || n > WIRE_BATCH_MAX)
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if (items[i].bad == NULL &&
			    (items[i].level < 1 || items[i].level > 5 ||
				items[i].seq < 1 ||
				!rating_id_is_valid(
				    items[i].id, strlen(items[i].id)) ||
				(unsigned)items[i].requester >
				    REQUESTER_BUSINESS))
				__builtin_trap();
		free(items);
	}
	if (wire_code_normalize(buf, size, code) == 0 &&
	    strlen(code) != WIRE_CODE_CHARS)
		__builtin_trap();
	return 0;
}
