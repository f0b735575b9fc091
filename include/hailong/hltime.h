/* hltime.h -- instants, RFC 3339, and months in Asia/Ho_Chi_Minh. */
#ifndef HAILONG_HLTIME_H
#define HAILONG_HLTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Instants are Unix seconds (int64).  The reporting zone is
 * Asia/Ho_Chi_Minh: UTC+07:00 all year, no daylight saving, so it is a
 * fixed offset and needs no tz database.
 */
#define HL_TZ_OFFSET ((int64_t)7 * 3600)

/* Seconds since the epoch now (CLOCK_REALTIME). */
int64_t hl_now(void);
/* Nanoseconds of CLOCK_MONOTONIC: for durations, never for dates. */
int64_t hl_mono_ns(void);
int64_t hl_mono_ms(void);

/*
 * Parse RFC 3339 with an offset ("2026-10-31T23:30:00+07:00",
 * "2026-10-31T16:30:00Z", fractional seconds dropped).  A time without
 * an offset is refused.  0 on success, -1 otherwise.
 */
int rfc3339_parse(const char *s, size_t len, int64_t *out);
/*
 * Parse an HTTP date in the IMF-fixdate form every current server sends
 * ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110), weekday checked.  0 or -1.
 */
int httpdate_parse(const char *s, size_t len, int64_t *out);
/* Format in +07:00: "2026-10-31T23:30:00+07:00".  out must hold 26. */
void rfc3339_format(int64_t t, char out[26]);
/* dd/mm/yyyy in +07:00.  out must hold 11. */
void date_vn(int64_t t, char out[11]);
/* dd/mm/yyyy HH:MM in +07:00.  out must hold 17. */
void datetime_vn(int64_t t, char out[17]);

/*
 * A month is an int yyyymm (202610).  month_parse() reads "YYYY-MM"
 * (years 2000-2199); 0 or -1.  month_format() writes "YYYY-MM" (8 bytes).
 */
int month_parse(const char *s, size_t len, int *out);
void month_format(int month, char out[8]);
/* The month an instant belongs to in +07:00. */
int month_of(int64_t t);
/* First instant of the month, and of the next: [start, end). */
int64_t month_start(int month);
int64_t month_end(int month);
int month_add(int month, int delta);

/*
 * A period: a month "YYYY-MM", a quarter "YYYY-Qn" (Q1 = January to
 * March) or a year "YYYY" (years 2000-2199), the half-open interval of
 * its months in +07:00.  first and last are yyyymm; kind 'm', 'q', 'y'.
 */
struct period {
	int first;
	int last;
	char kind;
};
#define PERIOD_TEXT_MAX 8 /* "2026-Q4", "2026-12" and the NUL */
/*
 * Parse a period.  0, or -1 with why (may be NULL) naming what is wrong:
 * "a quarter is 1 to 4, not Q5", "2026-13: a month is 01 to 12", or the
 * shapes accepted.
 */
int period_parse(
    const char *s, size_t len, struct period *out, char *why, size_t whylen);
/* "2026-12", "2026-Q4" or "2026" (out holds PERIOD_TEXT_MAX). */
void period_format(const struct period *p, char out[PERIOD_TEXT_MAX]);
/* The period of one month. */
struct period period_of_month(int month);
/* Months in it (1, 3 or 12). */
int period_months(const struct period *p);
/* [start, end) in instants. */
int64_t period_start(const struct period *p);
int64_t period_end(const struct period *p);
/* The period of the same kind before/after (delta periods). */
struct period period_add(const struct period *p, int delta);
/* The period of kind 'm', 'q' or 'y' holding a month. */
struct period period_holding(int month, char kind);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
