/*
 * fmt.h -- how people read numbers, dates and months, in one place.
 *
 * Every page, report and message a person reads writes its figures
 * through these, so the console, the public page and the report agree:
 *
 *   Vietnamese: 1.234 · 4,25 · 54,8 % · 03/12/2026 · 03/12/2026 14:05 ·
 *               tháng 12/2026 · quý 4/2026 · năm 2026
 *   English:    1,234 · 4.25 · 54.8% · 03/12/2026 · 03/12/2026 14:05 ·
 *               December 2026 · Q4 2026 · 2026
 *
 * Dates are dd/mm/yyyy in Asia/Ho_Chi_Minh in both languages.  Machine
 * formats (data-v attributes, JSON, CSV values, query strings) never use
 * these: they keep "0.5480", "2026-12" and RFC 3339.
 */
#ifndef HAILONG_FMT_H
#define HAILONG_FMT_H

#include <stdint.h>

#include "hailong/buf.h"
#include "core/i18n.h"

/* The longest text any of these writes, with its NUL. */
#define FMT_MAX 48

/*
 * v rounded half away from zero to `places` (0-6) decimals, with the
 * language's decimal mark and thousands grouping ("12.345,67" /
 * "12,345.67").  NaN and infinities are "—".
 */
void fmt_number(struct buf *b, enum lang lang, double v, int places);
/* An integer count with grouping: "1.234" / "1,234". */
void fmt_count(struct buf *b, enum lang lang, int64_t n);
/* A share 0..1 as a percentage: "54,8 %" (a no-break space, U+00A0) /
 * "54.8%"; NaN is "—". */
void fmt_percent(struct buf *b, enum lang lang, double share, int places);
/* dd/mm/yyyy of an instant, in +07:00. */
void fmt_date(struct buf *b, enum lang lang, int64_t t);
/* dd/mm/yyyy HH:MM of an instant, in +07:00. */
void fmt_datetime(struct buf *b, enum lang lang, int64_t t);
/* A month yyyymm: "tháng 12/2026" / "December 2026". */
void fmt_month(struct buf *b, enum lang lang, int month);
/* The same, capitalised to start a heading or a cell: "Tháng 12/2026". */
void fmt_month_cap(struct buf *b, enum lang lang, int month);
/*
 * A period (hltime.h): a month as fmt_month(), a quarter "quý 4/2026" /
 * "Q4 2026", a year "năm 2026" / "2026"; _cap starts with a capital.
 */
struct period;
void fmt_period(struct buf *b, enum lang lang, const struct period *p);
void fmt_period_cap(struct buf *b, enum lang lang, const struct period *p);
const char *
fmt_period_s(char out[FMT_MAX], enum lang lang, const struct period *p);

/* The same into a fixed array (out holds FMT_MAX), for printf-style use. */
const char *
fmt_number_s(char out[FMT_MAX], enum lang lang, double v, int places);
const char *
fmt_percent_s(char out[FMT_MAX], enum lang lang, double share, int places);
const char *fmt_month_s(char out[FMT_MAX], enum lang lang, int month);

#endif
