/* fmt.c -- numbers, dates and months as people read them (fmt.h). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "core/fmt.h"

static const char *const month_en[12] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* Digits of n (>= 0) grouped by three with `sep`, into out. */
static void
grouped(char *out, size_t size, unsigned long long n, char sep)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", n);
	size_t o = 0;

	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = sep;
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

const char *
fmt_number_s(char out[FMT_MAX], enum lang lang, double v, int places)
{
	char whole[32];
	double scale, r;
	unsigned long long ip, fp;

	if (!isfinite(v) || fabs(v) >= 1e15) {
		snprintf(out, FMT_MAX, "—");
		return out;
	}
	if (places < 0)
		places = 0;
	if (places > 6)
		places = 6;
	scale = pow(10, places);
	r = round(fabs(v) * scale); /* half away from zero */
	ip = (unsigned long long)(r / scale);
	fp = (unsigned long long)(r - (double)ip * scale + 0.5);
	grouped(whole, sizeof(whole), ip, lang == LANG_EN ? ',' : '.');
	if (places == 0)
		snprintf(
		    out, FMT_MAX, "%s%s", v < 0 && r > 0 ? "-" : "", whole);
	else
		snprintf(out, FMT_MAX, "%s%s%c%0*llu",
		    v < 0 && r > 0 ? "-" : "", whole,
		    lang == LANG_EN ? '.' : ',', places, fp);
	return out;
}

void
fmt_number(struct buf *b, enum lang lang, double v, int places)
{
	char s[FMT_MAX];

	buf_puts(b, fmt_number_s(s, lang, v, places));
}

void
fmt_count(struct buf *b, enum lang lang, int64_t n)
{
	char s[32];

	grouped(s, sizeof(s),
	    n < 0 ? (unsigned long long)(-(n + 1)) + 1 : (unsigned long long)n,
	    lang == LANG_EN ? ',' : '.');
	if (n < 0)
		buf_putc(b, '-');
	buf_puts(b, s);
}

const char *
fmt_percent_s(char out[FMT_MAX], enum lang lang, double share, int places)
{
	char n[FMT_MAX];

	if (!isfinite(share)) {
		snprintf(out, FMT_MAX, "—");
		return out;
	}
	fmt_number_s(n, lang, share * 100, places);
	/* Vietnamese sets the sign apart, as TCVN and the plans write it,
	 * with a no-break space (U+00A0): "54,8" and "%" never part at the
	 * end of a line, in a narrow cell or in the PDF. */
	snprintf(out, FMT_MAX, lang == LANG_EN ? "%s%%" : "%s\xc2\xa0%%", n);
	return out;
}

void
fmt_percent(struct buf *b, enum lang lang, double share, int places)
{
	char s[FMT_MAX];

	buf_puts(b, fmt_percent_s(s, lang, share, places));
}

void
fmt_date(struct buf *b, enum lang lang, int64_t t)
{
	char s[11];

	(void)lang;
	date_vn(t, s);
	buf_puts(b, s);
}

void
fmt_datetime(struct buf *b, enum lang lang, int64_t t)
{
	char s[17];

	(void)lang;
	datetime_vn(t, s);
	buf_puts(b, s);
}

static const char *
month_text(char out[FMT_MAX], enum lang lang, int month, bool cap)
{
	int y = month / 100, m = month % 100;

	if (m < 1 || m > 12) {
		snprintf(out, FMT_MAX, "—");
		return out;
	}
	if (lang == LANG_EN)
		snprintf(out, FMT_MAX, "%s %d", month_en[m - 1], y);
	else
		snprintf(
		    out, FMT_MAX, "%s %02d/%d", cap ? "Tháng" : "tháng", m, y);
	return out;
}

const char *
fmt_month_s(char out[FMT_MAX], enum lang lang, int month)
{
	return month_text(out, lang, month, false);
}

void
fmt_month(struct buf *b, enum lang lang, int month)
{
	char s[FMT_MAX];

	buf_puts(b, month_text(s, lang, month, false));
}

void
fmt_month_cap(struct buf *b, enum lang lang, int month)
{
	char s[FMT_MAX];

	buf_puts(b, month_text(s, lang, month, true));
}

static const char *
period_text(char out[FMT_MAX], enum lang lang, const struct period *p, bool cap)
{
	int y = p->first / 100;

	switch (p->kind) {
	case 'q':
		if (lang == LANG_EN)
			snprintf(out, FMT_MAX, "Q%d %d",
			    (p->first % 100 - 1) / 3 + 1, y);
		else
			snprintf(out, FMT_MAX, "%s %d/%d", cap ? "Quý" : "quý",
			    (p->first % 100 - 1) / 3 + 1, y);
		return out;
	case 'y':
		if (lang == LANG_EN)
			snprintf(out, FMT_MAX, "%d", y);
		else
			snprintf(out, FMT_MAX, "%s %d", cap ? "Năm" : "năm", y);
		return out;
	default: return month_text(out, lang, p->first, cap);
	}
}

const char *
fmt_period_s(char out[FMT_MAX], enum lang lang, const struct period *p)
{
	return period_text(out, lang, p, false);
}

void
fmt_period(struct buf *b, enum lang lang, const struct period *p)
{
	char s[FMT_MAX];

	buf_puts(b, period_text(s, lang, p, false));
}

void
fmt_period_cap(struct buf *b, enum lang lang, const struct period *p)
{
	char s[FMT_MAX];

	buf_puts(b, period_text(s, lang, p, true));
}
