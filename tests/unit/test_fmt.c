/* test_fmt.c -- numbers, dates and months as people read them. */
#include <math.h>
#include <string.h>

#include "hailong/hltime.h"
#include "core/fmt.h"
#include "test.h"

static const char *
with(struct buf *b)
{
	return buf_str(b);
}

static void
numbers(void)
{
	char s[FMT_MAX];

	CHECK_STR(fmt_number_s(s, LANG_VI, 4.25, 2), "4,25");
	CHECK_STR(fmt_number_s(s, LANG_EN, 4.25, 2), "4.25");
	CHECK_STR(fmt_number_s(s, LANG_VI, 0.4481, 4), "0,4481");
	CHECK_STR(fmt_number_s(s, LANG_VI, 12345.678, 2), "12.345,68");
	CHECK_STR(fmt_number_s(s, LANG_EN, 12345.678, 2), "12,345.68");
	CHECK_STR(fmt_number_s(s, LANG_VI, 1234567, 0), "1.234.567");
	CHECK_STR(fmt_number_s(s, LANG_VI, 999, 0), "999");
	CHECK_STR(fmt_number_s(s, LANG_VI, 0.125, 2), "0,13"); /* half up */
	CHECK_STR(fmt_number_s(s, LANG_VI, 2.5, 0), "3");
	CHECK_STR(fmt_number_s(s, LANG_VI, -1.5, 1), "-1,5");
	CHECK_STR(fmt_number_s(s, LANG_VI, -0.001, 1), "0,0");
	CHECK_STR(fmt_number_s(s, LANG_VI, 0.999, 2), "1,00");
	CHECK_STR(fmt_number_s(s, LANG_VI, NAN, 2), "—");
	CHECK_STR(fmt_number_s(s, LANG_VI, INFINITY, 2), "—");
}

static void
percents(void)
{
	char s[FMT_MAX];

	CHECK_STR(fmt_percent_s(s, LANG_VI, 0.548, 1), "54,8\xc2\xa0%");
	CHECK_STR(fmt_percent_s(s, LANG_EN, 0.548, 1), "54.8%");
	CHECK_STR(fmt_percent_s(s, LANG_VI, 1, 1), "100,0\xc2\xa0%");
	CHECK_STR(fmt_percent_s(s, LANG_VI, 0.81255, 1), "81,3\xc2\xa0%");
	CHECK_STR(fmt_percent_s(s, LANG_VI, NAN, 1), "—");
}

static void
counts_dates_months(void)
{
	struct buf b = { 0 };
	char s[FMT_MAX];

	buf_init(&b, 1024);
	fmt_count(&b, LANG_VI, 23574);
	CHECK_STR(with(&b), "23.574");
	buf_reset(&b);
	fmt_count(&b, LANG_EN, -1234567);
	CHECK_STR(with(&b), "-1,234,567");
	buf_reset(&b);
	/* 2026-12-31T17:30:00Z is 01/01/2027 00:30 in Ha Noi */
	fmt_date(&b, LANG_VI, 1798738200);
	CHECK_STR(with(&b), "01/01/2027");
	buf_reset(&b);
	fmt_datetime(&b, LANG_EN, 1798738200);
	CHECK_STR(with(&b), "01/01/2027 00:30");
	buf_reset(&b);
	fmt_month(&b, LANG_VI, 202612);
	CHECK_STR(with(&b), "tháng 12/2026");
	buf_reset(&b);
	fmt_month_cap(&b, LANG_VI, 202603);
	CHECK_STR(with(&b), "Tháng 03/2026");
	buf_reset(&b);
	fmt_month(&b, LANG_EN, 202603);
	CHECK_STR(with(&b), "March 2026");
	CHECK_STR(fmt_month_s(s, LANG_VI, 202613), "—");
	buf_release(&b);
}

static void
periods(void)
{
	struct buf b = { 0 };
	char s[FMT_MAX];
	struct period q4 = period_holding(202611, 'q');
	struct period y = period_holding(202603, 'y');
	struct period m = period_of_month(202612);

	buf_init(&b, 256);
	CHECK_STR(fmt_period_s(s, LANG_VI, &q4), "quý 4/2026");
	CHECK_STR(fmt_period_s(s, LANG_VI, &y), "năm 2026");
	CHECK_STR(fmt_period_s(s, LANG_EN, &q4), "Q4 2026");
	CHECK_STR(fmt_period_s(s, LANG_EN, &y), "2026");
	CHECK_STR(fmt_period_s(s, LANG_VI, &m), "tháng 12/2026");
	CHECK_STR(fmt_period_s(s, LANG_EN, &m), "December 2026");
	fmt_period_cap(&b, LANG_VI, &q4);
	CHECK_STR(with(&b), "Quý 4/2026");
	buf_reset(&b);
	fmt_period_cap(&b, LANG_VI, &y);
	CHECK_STR(with(&b), "Năm 2026");
	buf_reset(&b);
	fmt_period(&b, LANG_VI, &m);
	CHECK_STR(with(&b), "tháng 12/2026");
	buf_release(&b);
}

int
main(void)
{
	RUN(periods);
	RUN(numbers);
	RUN(percents);
	RUN(counts_dates_months);
	return test_report("test_fmt");
}
