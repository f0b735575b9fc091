/* test_time.c -- RFC 3339, months in UTC+07:00, Vietnamese dates. */
#include "hailong/hltime.h"
#include "test.h"

static int64_t
parse(const char *s)
{
	int64_t t = -1;

	if (rfc3339_parse(s, strlen(s), &t) < 0)
		return -1;
	return t;
}

static void
parsing(void)
{
	/* 2026-10-31T16:30:00Z = 1793464200 (date -u -d ... +%s) */
	CHECK_INT(parse("2026-10-31T16:30:00Z"), 1793464200);
	CHECK_INT(parse("2026-10-31T23:30:00+07:00"), 1793464200);
	CHECK_INT(parse("2026-10-31T09:30:00-07:00"), 1793464200);
	CHECK_INT(parse("2026-10-31T16:30:00.999Z"), 1793464200);
	CHECK_INT(parse("2026-10-31t16:30:00z"), 1793464200);
	CHECK_INT(parse("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(parse("2024-02-29T00:00:00Z"), 1709164800);
	CHECK_INT(parse("2026-10-31T16:30:00"), -1); /* no offset */
	CHECK_INT(parse("2026-10-31"), -1);
	CHECK_INT(parse("2025-02-29T00:00:00Z"), -1); /* not leap */
	CHECK_INT(parse("2026-13-01T00:00:00Z"), -1);
	CHECK_INT(parse("2026-10-31T24:00:00Z"), -1);
	CHECK_INT(parse("2026-10-31T16:30:00+0700"), -1); /* needs colon */
	CHECK_INT(parse("2026-10-31T16:30:00+24:00"), -1);
	CHECK_INT(parse("2026-10-31T16:30:00.Z"), -1);
	CHECK_INT(parse("2026-10-31T16:30:00Zjunk"), -1);
	CHECK_INT(parse("x026-10-31T16:30:00Z"), -1);
}

static void
formatting(void)
{
	char s[26], d[11], dt[17];

	rfc3339_format(1793464200, s);
	CHECK_STR(s, "2026-10-31T23:30:00+07:00");
	rfc3339_format(0, s);
	CHECK_STR(s, "1970-01-01T07:00:00+07:00");
	date_vn(1793464200, d);
	CHECK_STR(d, "31/10/2026");
	/* 17:30Z on the 31st is already 1 November in Hà Nội */
	date_vn(parse("2026-10-31T17:30:00Z"), d);
	CHECK_STR(d, "01/11/2026");
	datetime_vn(1793464200, dt);
	CHECK_STR(dt, "31/10/2026 23:30");
}

static void
months(void)
{
	char m[8];
	int mo = 0;

	/* METRICS.md: 23:30+07:00 on the 31st is October, 17:30Z November */
	CHECK_INT(month_of(parse("2026-10-31T23:30:00+07:00")), 202610);
	CHECK_INT(month_of(parse("2026-10-31T17:30:00Z")), 202611);
	CHECK_INT(month_start(202610), parse("2026-10-01T00:00:00+07:00"));
	CHECK_INT(month_end(202610), parse("2026-11-01T00:00:00+07:00"));
	CHECK_INT(month_end(202612), parse("2027-01-01T00:00:00+07:00"));
	/* the half-open interval: the end belongs to the next month */
	CHECK_INT(month_of(month_end(202610)), 202611);
	CHECK_INT(month_of(month_end(202610) - 1), 202610);
	CHECK_INT(month_add(202612, 1), 202701);
	CHECK_INT(month_add(202601, -1), 202512);
	CHECK_INT(month_add(202610, -12), 202510);
	CHECK_INT(month_parse("2026-10", 7, &mo), 0);
	CHECK_INT(mo, 202610);
	CHECK_INT(month_parse("2026-13", 7, &mo), -1);
	CHECK_INT(month_parse("2026-1", 6, &mo), -1);
	CHECK_INT(month_parse("1999-12", 7, &mo), -1);
	month_format(202603, m);
	CHECK_STR(m, "2026-03");
}

static void
periods(void)
{
	struct period p, q;
	char t[PERIOD_TEXT_MAX], why[128];

	CHECK_INT(period_parse("2026-Q4", 7, &p, why, sizeof(why)), 0);
	CHECK_INT(p.first, 202610);
	CHECK_INT(p.last, 202612);
	CHECK_INT(p.kind, 'q');
	CHECK_INT(period_months(&p), 3);
	CHECK_INT(period_start(&p), parse("2026-10-01T00:00:00+07:00"));
	CHECK_INT(period_end(&p), parse("2027-01-01T00:00:00+07:00"));
	period_format(&p, t);
	CHECK_STR(t, "2026-Q4");
	q = period_add(&p, 1);
	period_format(&q, t);
	CHECK_STR(t, "2027-Q1");
	CHECK_INT(period_parse("2026", 4, &p, why, sizeof(why)), 0);
	CHECK_INT(p.first, 202601);
	CHECK_INT(p.last, 202612);
	CHECK_INT(period_months(&p), 12);
	period_format(&p, t);
	CHECK_STR(t, "2026");
	CHECK_INT(period_parse("2026-02", 7, &p, why, sizeof(why)), 0);
	CHECK_INT(p.first, 202602);
	CHECK_INT(p.last, 202602);
	CHECK_INT(p.kind, 'm');
	q = period_add(&p, -2);
	CHECK_INT(q.first, 202512);
	CHECK_INT(period_parse("2026-Q5", 7, &p, why, sizeof(why)), -1);
	CHECK_STR(why, "a quarter is Q1 to Q4, not Q5");
	CHECK_INT(period_parse("2026-13", 7, &p, why, sizeof(why)), -1);
	CHECK_STR(why, "a month is 01 to 12, not 13");
	CHECK_INT(period_parse("1999", 4, &p, why, sizeof(why)), -1);
	CHECK_STR(why, "the year 1999 is outside 2000 to 2199");
	CHECK_INT(period_parse("26-Q1", 5, &p, why, sizeof(why)), -1);
	CHECK_STR(why,
	    "a period is a month YYYY-MM, a quarter YYYY-Qn (n 1 to 4) or a "
	    "year YYYY");
	CHECK_INT(period_parse("2026-Qx", 7, &p, NULL, 0), -1);
	q = period_holding(202608, 'q');
	CHECK_INT(q.first, 202607);
	CHECK_INT(q.last, 202609);
}

static void
civil(void)
{
	int y, m, d;

	/* round trip over 400 years of days */
	for (int64_t z = -1000; z < 146097 + 1000; z += 7) {
		civil_from_days(z, &y, &m, &d);
		if (days_from_civil(y, m, d) != z) {
			CHECK_INT(days_from_civil(y, m, d), z);
			break;
		}
	}
	CHECK_INT(days_from_civil(2026, 10, 31), 20757);
}

int
main(void)
{
	RUN(parsing);
	RUN(formatting);
	RUN(months);
	RUN(periods);
	RUN(civil);
	return test_report("test_time");
}
