/* hltime.c -- instants, RFC 3339, and months in Asia/Ho_Chi_Minh. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hailong/hltime.h"

int64_t
hl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t
hl_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
hl_mono_ms(void)
{
	return hl_mono_ns() / 1000000;
}

/* Howard Hinnant's algorithms, valid for the whole int range we use. */
int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
month_days(int y, int m)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

int
rfc3339_parse(const char *s, size_t len, int64_t *out)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	size_t i;

	/* 2026-10-31T23:30:00 is 19 bytes; an offset follows */
	if (len < 20 || len > 40)
		return -1;
	if (s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	se = digits(s + 17, 2);
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 60)
		return -1;
	if (se == 60)
		se = 59; /* a leap second is the last second of its minute */
	i = 19;
	if (s[i] == '.') {
		size_t k = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == k || i - k > 9)
			return -1;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
		sign = 0;
	} else if (i < len && (s[i] == '+' || s[i] == '-') && len - i == 6 &&
	    s[i + 3] == ':') {
		sign = s[i] == '+' ? 1 : -1;
		oh = digits(s + i + 1, 2);
		om = digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
	} else {
		return -1;
	}
	*out = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + se - (int64_t)sign * (oh * 3600 + om * 60);
	return 0;
}

int
httpdate_parse(const char *s, size_t len, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char wdays[] = "ThuFriSatSunMonTueWed"; /* from 1970 */
	int y, mo = 0, d, h, mi, se;
	int64_t days;

	/* "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 bytes */
	if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    s[25] != ' ' || memcmp(s + 26, "GMT", 3) != 0)
		return -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(s + 8, months + (size_t)i * 3, 3) == 0)
			mo = i + 1;
	d = digits(s + 5, 2);
	y = digits(s + 12, 4);
	h = digits(s + 17, 2);
	mi = digits(s + 20, 2);
	se = digits(s + 23, 2);
	if (mo == 0 || y < 1970 || d < 1 || d > month_days(y, mo) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
		return -1;
	days = days_from_civil(y, mo, d);
	if (memcmp(s, wdays + 3 * (days % 7), 3) != 0)
		return -1;
	*out = ((days * 24 + h) * 60 + mi) * 60 + (se == 60 ? 59 : se);
	return 0;
}

static void
split_local(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t l = t + HL_TZ_OFFSET;
	int64_t days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
	int64_t sec = l - days * 86400;

	civil_from_days(days, y, mo, d);
	*h = (int)(sec / 3600);
	*mi = (int)(sec / 60 % 60);
	*s = (int)(sec % 60);
}

void
rfc3339_format(int64_t t, char out[26])
{
	int y, mo, d, h, mi, s;

	split_local(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 26, "%04u-%02u-%02uT%02u:%02u:%02u+07:00",
	    (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)d % 100u,
	    (unsigned)h % 100u, (unsigned)mi % 100u, (unsigned)s % 100u);
}

void
date_vn(int64_t t, char out[11])
{
	int y, mo, d, h, mi, s;

	split_local(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 11, "%02u/%02u/%04u", (unsigned)d % 100u,
	    (unsigned)mo % 100u, (unsigned)y % 10000u);
}

void
datetime_vn(int64_t t, char out[17])
{
	int y, mo, d, h, mi, s;

	split_local(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, 17, "%02u/%02u/%04u %02u:%02u", (unsigned)d % 100u,
	    (unsigned)mo % 100u, (unsigned)y % 10000u, (unsigned)h % 100u,
	    (unsigned)mi % 100u);
}

int
month_parse(const char *s, size_t len, int *out)
{
	int y, m;

	if (len != 7 || s[4] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	if (y < 2000 || y > 2199 || m < 1 || m > 12)
		return -1;
	*out = y * 100 + m;
	return 0;
}

void
month_format(int month, char out[8])
{
	snprintf(out, 8, "%04u-%02u", (unsigned)(month / 100) % 10000u,
	    (unsigned)month % 100u);
}

int
month_of(int64_t t)
{
	int y, mo, d, h, mi, s;

	split_local(t, &y, &mo, &d, &h, &mi, &s);
	return y * 100 + mo;
}

int64_t
month_start(int month)
{
	return days_from_civil(month / 100, month % 100, 1) * 86400 -
	    HL_TZ_OFFSET;
}

int
month_add(int month, int delta)
{
	int idx = (month / 100) * 12 + (month % 100 - 1) + delta;

	return (idx / 12) * 100 + idx % 12 + 1;
}

int64_t
month_end(int month)
{
	return month_start(month_add(month, 1));
}

struct period
period_of_month(int month)
{
	struct period p = { month, month, 'm' };

	return p;
}

struct period
period_holding(int month, char kind)
{
	int y = month / 100, m = month % 100;
	struct period p;

	switch (kind) {
	case 'q':
		p.first = y * 100 + (m - 1) / 3 * 3 + 1;
		p.last = p.first + 2;
		p.kind = 'q';
		return p;
	case 'y':
		p.first = y * 100 + 1;
		p.last = y * 100 + 12;
		p.kind = 'y';
		return p;
	default: return period_of_month(month);
	}
}

int
period_parse(
    const char *s, size_t len, struct period *out, char *why, size_t whylen)
{
	int y, n;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (s == NULL || (len != 4 && len != 7) || digits(s, 4) < 0 ||
	    (len == 7 && s[4] != '-')) {
		if (why != NULL)
			snprintf(why, whylen,
			    "a period is a month YYYY-MM, a quarter YYYY-Qn "
			    "(n 1 to 4) or a year YYYY");
		return -1;
	}
	y = digits(s, 4);
	if (y < 2000 || y > 2199) {
		if (why != NULL)
			snprintf(why, whylen,
			    "the year %.4s is outside 2000 to 2199", s);
		return -1;
	}
	if (len == 4) {
		*out = period_holding(y * 100 + 1, 'y');
		return 0;
	}
	if (s[5] == 'Q' || s[5] == 'q') {
		n = s[6] >= '0' && s[6] <= '9' ? s[6] - '0' : -1;
		if (n < 1 || n > 4) {
			if (why != NULL)
				snprintf(why, whylen,
				    "a quarter is Q1 to Q4, not Q%c",
				    s[6] >= 0x21 && s[6] < 0x7f ? s[6] : '?');
			return -1;
		}
		*out = period_holding(y * 100 + (n - 1) * 3 + 1, 'q');
		return 0;
	}
	n = digits(s + 5, 2);
	if (n < 1 || n > 12) {
		if (why != NULL)
			snprintf(why, whylen,
			    n < 0 ? "a period is a month YYYY-MM, a quarter "
				    "YYYY-Qn (n 1 to 4) or a year YYYY"
				  : "a month is 01 to 12, not %02d",
			    n);
		return -1;
	}
	*out = period_of_month(y * 100 + n);
	return 0;
}

void
period_format(const struct period *p, char out[PERIOD_TEXT_MAX])
{
	unsigned y = (unsigned)(p->first / 100) % 10000u;

	switch (p->kind) {
	case 'q':
		snprintf(out, PERIOD_TEXT_MAX, "%04u-Q%c", y,
		    (char)('1' + ((unsigned)(p->first % 100) - 1u) / 3u % 4u));
		break;
	case 'y': snprintf(out, PERIOD_TEXT_MAX, "%04u", y); break;
	default: month_format(p->first, out); break;
	}
}

int
period_months(const struct period *p)
{
	return (p->last / 100 - p->first / 100) * 12 + p->last % 100 -
	    p->first % 100 + 1;
}

int64_t
period_start(const struct period *p)
{
	return month_start(p->first);
}

int64_t
period_end(const struct period *p)
{
	return month_end(p->last);
}

struct period
period_add(const struct period *p, int delta)
{
	int n = period_months(p);

	return period_holding(month_add(p->first, delta * n), p->kind);
}
