/*
 * labels.h -- the words a person reads for the codes the code base
 * stores: roles ("manager"), rating channels ("qr"), metric flags
 * ("LOW_SATISFACTION"), audit actions ("import.ratings") and audit
 * actors ("cli:root").  Vietnamese first, English for the switch.
 *
 * Every function returns a label for every code hailong writes (a unit
 * test walks the enums and the list of audit actions).  An unknown code
 * gets a generic word of its kind ("Vai trò khác", "Thao tác khác"),
 * never the bare code: label_is_fallback() says so, and
 * label_code_html() then adds the code in <code> for the curious.
 * Codes stay as they are in attributes, JSON, CSV and query strings.
 */
#ifndef HAILONG_LABELS_H
#define HAILONG_LABELS_H

#include <stdbool.h>

#include "hailong/buf.h"
#include "core/i18n.h"

/* "viewer", "reporter", "manager", "admin": "Người xem", ... */
const char *label_role(enum lang lang, const char *role);
/* "kiosk", "qr", "web", "import": "Ki-ốt", "Mã QR", ... */
const char *label_channel(enum lang lang, const char *channel);
/* "LOW_SATISFACTION", ...: "Hài lòng thấp", ... */
const char *label_flag(enum lang lang, const char *flag);
/* A longer sentence saying what the flag means (for a title= or a legend). */
const char *label_flag_help(enum lang lang, const char *flag);
/* "import.ratings": "Nhập đánh giá", ... */
const char *label_audit_action(enum lang lang, const char *action);

/*
 * Who did it, as plain text (the caller escapes it): "cli:root" ->
 * "Dòng lệnh (root)", "user:lan" -> "Tài khoản lan", "apikey:3" ->
 * "Khóa API số 3", "kiosk:ID" -> "Ki-ốt ID", "public" -> "Khách (chưa
 * đăng nhập)", "system" -> "Hệ thống".  Anything else: "Khác: <actor>".
 */
void label_actor(struct buf *b, enum lang lang, const char *actor);

/* True when `label` is one of the generic words for an unknown code. */
bool label_is_fallback(const char *label);

/*
 * `label` escaped, and when it is a fallback, " <code>code</code>"
 * (escaped) after it: what a page shows in a cell.
 */
void label_code_html(struct buf *b, const char *label, const char *code);

/* Every audit action hailong writes, NULL-terminated (for tests, filters). */
extern const char *const label_audit_actions[];

#endif
