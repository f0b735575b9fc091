/*
 * report_pdf.c -- report.pdf: the report as a Vietnamese office files it.
 *
 * Why cairo and pango (Debian's libcairo2 and libpango-1.0): pango shapes
 * the text (HarfBuzz) and wraps it, so Vietnamese with its stacked marks
 * ("ệ", "ữ") comes out right whatever the font's precomposed coverage;
 * cairo's PDF surface embeds subsets of the fonts with ToUnicode maps, so
 * the text stays selectable and searchable (pdftotext gives the
 * diacritics back), and draws the charts as vectors.  Both are mature,
 * packaged, and need no other service.  libharu has no shaping; writing
 * PDF by hand would mean subsetting fonts by hand.
 *
 * Same bytes for the same document: cairo 1.16 writes the CreationDate
 * of the clock unless told (CAIRO_PDF_METADATA_CREATE_DATE: the report's
 * as_of), names font subsets from their glyphs, and writes no /ID; the
 * font is asked by family ("DejaVu Sans", fonts-dejavu-core), and nothing
 * else in the file depends on the time or the machine.
 *
 * Only this file includes cairo and pango (README "One door per library").
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/labels.h"
#include "core/metrics.h"
#include "core/report.h"
#include "core/report_pdf.h"

/* A4 in points, margins as an office letter: 20 mm left, 15 mm else. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define M_LEFT 56.7
#define M_RIGHT 42.5
#define M_TOP 42.5
#define M_BOTTOM 56.7
#define TEXT_W (PAGE_W - M_LEFT - M_RIGHT)
#define FONT "DejaVu Sans"

/*
 * fontconfig keeps its configuration and font lists for the life of the
 * process, and pango 1.50 loads them from a thread of its own, so FcFini()
 * cannot be called safely at any point; AddressSanitizer's leak check
 * would report them at exit.  This is LeakSanitizer's documented hook
 * (sanitizer/lsan_interface.h) for suppressions built into the program:
 * only fontconfig's own allocations, nothing of hailong's.  Without ASan
 * nothing calls it.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

const char *
report_period_words(const char *s, char out[FMT_MAX])
{
	size_t n = s != NULL ? strlen(s) : 0;
	int month;

	if (n == 7 && month_parse(s, n, &month) == 0)
		return fmt_month_s(out, LANG_VI, month);
	if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4')
		snprintf(out, FMT_MAX, "quý %c/%.4s", s[6], s);
	else if (n == 4)
		snprintf(out, FMT_MAX, "năm %.4s", s);
	else
		snprintf(out, FMT_MAX, "%.*s", FMT_MAX - 1, s != NULL ? s : "");
	return out;
}

/* --- words for codes -------------------------------------------------------- */

/* The console's words (labels.h), so the report and the screens agree. */
const char *
report_flag_label(const char *code)
{
	return label_flag(LANG_VI, code != NULL ? code : "");
}

const char *
report_reason_label(const char *code)
{
	/* the default questionnaire's words (schemas/instrument.default.json) */
	static const struct {
		const char *code, *vi;
	} t[] = {
		{ "wait", "Phải chờ lâu" },
		{ "attitude", "Thái độ cán bộ chưa tốt" },
		{ "supplement", "Phải bổ sung hồ sơ nhiều lần" },
		{ "guidance", "Hướng dẫn chưa rõ ràng" },
		{ "online", "Dịch vụ công trực tuyến bị lỗi" },
		{ "facilities", "Cơ sở vật chất chưa tốt" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (code != NULL && strcmp(code, t[i].code) == 0)
			return t[i].vi;
	return "Lý do khác";
}

/* --- what the database adds ------------------------------------------------- */

void
report_extra_release(struct report_extra *x)
{
	json_decref(x->reviews);
	memset(x, 0, sizeof(*x));
}

static int64_t
time_of(const json_t *doc, const char *a, const char *b)
{
	const json_t *v = json_object_get(doc, a);
	const char *s;
	int64_t t = 0;

	if (b != NULL)
		v = json_object_get(v, b);
	s = json_string_value(v);
	if (s == NULL || rfc3339_parse(s, strlen(s), &t) < 0)
		return 0;
	return t;
}

int
report_extra_load(struct db *db, const json_t *doc, struct report_extra *x,
    char *err, size_t errlen)
{
	const char *unit = json_string_value(json_object_get(doc, "unit"));
	const char *mo = json_string_value(json_object_get(doc, "month"));
	int64_t as_of = time_of(doc, "as_of", NULL);
	int64_t start = time_of(doc, "period", "start");
	int64_t end = time_of(doc, "period", "end");
	struct db_stmt *st;
	int month, rc;

	memset(x, 0, sizeof(*x));
	if (unit == NULL) {
		snprintf(err, errlen, "the report names no unit");
		return -1;
	}
	/* the twelve months ending with the period's last (a month, the
	 * last of a quarter or a year) */
	(void)mo;
	month = end > 0 ? month_of(end - 1) : 0;
	if (month > 0) {
		for (int i = REPORT_TREND_MONTHS - 1; i >= 0; i--) {
			int m = month_add(month, -i);
			struct metrics *mt;
			struct report_trend_month *t = &x->trend[x->ntrend];

			if (month_start(m) > as_of)
				continue;
			mt = report_rollup(
			    db, unit, m, as_of, NULL, err, errlen);
			if (mt == NULL)
				return -1;
			t->month = m;
			t->ratings = mt->total.fig.ratings;
			t->satisfied_rate = mt->total.fig.satisfied_rate;
			x->ntrend++;
			metrics_free(mt);
		}
	}
	/* reviews of the subtree opened or resolved within the period */
	x->reviews = json_array();
	st = db_query(db,
	    "WITH RECURSIVE sub(code) AS (SELECT ? UNION "
	    "SELECT u.code FROM units u JOIN sub ON u.parent = sub.code) "
	    "SELECT r.id, r.unit, coalesce(r.procedure, ''), "
	    "coalesce(r.counter, 0), r.month, r.flags, r.owner, r.status, "
	    "r.created_at, coalesce(r.resolved_at, 0), r.action, "
	    "coalesce(p.name, '') FROM reviews r "
	    "LEFT JOIN procedures p ON p.code = r.procedure "
	    "WHERE r.unit IN (SELECT code FROM sub) AND r.created_at <= ? AND "
	    "((r.created_at >= ? AND r.created_at < ?) OR "
	    "(r.resolved_at >= ? AND r.resolved_at < ? AND "
	    "r.resolved_at <= ?)) ORDER BY r.id",
	    "tllllll", unit, as_of, start, end, start, end, as_of);
	while (st != NULL && (rc = db_step(st)) == DB_ROW) {
		int64_t resolved = db_col_int(st, 9);

		json_array_append_new(x->reviews,
		    json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I, "
			      "s:I, s:s, s:s}",
			"id", (json_int_t)db_col_int(st, 0), "unit",
			db_col_text(st, 1), "procedure", db_col_text(st, 2),
			"counter", (json_int_t)db_col_int(st, 3), "month",
			(json_int_t)db_col_int(st, 4), "flags",
			db_col_text(st, 5), "owner", db_col_text(st, 6),
			"status",
			resolved > as_of ? "in_progress" : db_col_text(st, 7),
			"opened_at", (json_int_t)db_col_int(st, 8),
			"resolved_at",
			(json_int_t)(resolved > as_of ? 0 : resolved), "action",
			resolved > as_of ? "" : db_col_text(st, 10),
			"procedure_name", db_col_text(st, 11)));
	}
	db_done(st);
	if (st == NULL || rc < 0) {
		snprintf(
		    err, errlen, "cannot read the reviews: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

/* --- drawing ------------------------------------------------------------------ */

struct pdf {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoFontMap *fm; /* our own, released with the document */
	PangoContext *pc;
	double y;
	int page;
	char footer[512];
};

enum align { LEFT, RIGHT, CENTER };

/*
 * Lay out text in width at size (bold or not); draw it at x, y when draw.
 * The height it takes.
 */
static double
text_at(struct pdf *p, double x, double y, double width, const char *s,
    double size, bool bold, enum align al, bool draw)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_new();
	int w, h;

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(
	    fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l,
	    al == RIGHT        ? PANGO_ALIGN_RIGHT
		: al == CENTER ? PANGO_ALIGN_CENTER
			       : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &w, &h);
	if (draw) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	pango_font_description_free(fd);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

static void
footer(struct pdf *p)
{
	char n[64];

	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	text_at(p, M_LEFT, PAGE_H - M_BOTTOM + 14, TEXT_W * 0.8, p->footer, 7.5,
	    false, LEFT, true);
	snprintf(n, sizeof(n), "Trang %d", p->page);
	text_at(p, M_LEFT, PAGE_H - M_BOTTOM + 14, TEXT_W, n, 7.5, false, RIGHT,
	    true);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void
new_page(struct pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = M_TOP;
}

/* Room for h more points on this page, else a new one. */
static void
need(struct pdf *p, double h)
{
	if (p->y + h > PAGE_H - M_BOTTOM)
		new_page(p);
}

static void
para(struct pdf *p, const char *s, double size, bool bold, enum align al)
{
	double h = text_at(p, M_LEFT, p->y, TEXT_W, s, size, bold, al, false);

	need(p, h);
	text_at(p, M_LEFT, p->y, TEXT_W, s, size, bold, al, true);
	p->y += h + 3;
}

static void
heading(struct pdf *p, const char *s)
{
	need(p, 60); /* a heading never ends a page */
	p->y += 8;
	para(p, s, 11.5, true, LEFT);
	p->y += 1;
}

/* A table: ncols columns of the given widths (fractions of TEXT_W). */
struct table {
	int ncols;
	const double *w;
	const enum align *al;
	const char *const *head;
};

static double
row_height(struct pdf *p, const struct table *t, const char *const *cells,
    double size, bool bold)
{
	double h = 0;

	for (int i = 0; i < t->ncols; i++) {
		double ch = text_at(p, 0, 0, t->w[i] * TEXT_W - 6, cells[i],
		    size, bold, t->al[i], false);

		if (ch > h)
			h = ch;
	}
	return h + 5;
}

static void
row_draw(struct pdf *p, const struct table *t, const char *const *cells,
    double size, bool bold, bool shade)
{
	double h = row_height(p, t, cells, size, bold), x = M_LEFT;

	if (shade) {
		cairo_set_source_rgb(p->cr, 0.91, 0.93, 0.96);
		cairo_rectangle(p->cr, M_LEFT, p->y, TEXT_W, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	cairo_set_line_width(p->cr, 0.5);
	cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
	for (int i = 0; i < t->ncols; i++) {
		cairo_rectangle(p->cr, x, p->y, t->w[i] * TEXT_W, h);
		x += t->w[i] * TEXT_W;
	}
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	x = M_LEFT;
	for (int i = 0; i < t->ncols; i++) {
		text_at(p, x + 3, p->y + 2.5, t->w[i] * TEXT_W - 6, cells[i],
		    size, bold, t->al[i], true);
		x += t->w[i] * TEXT_W;
	}
	p->y += h;
}

static void
table_head(struct pdf *p, const struct table *t)
{
	if (t->head != NULL)
		row_draw(p, t, t->head, 8.5, true, true);
}

static void
table_row(struct pdf *p, const struct table *t, const char *const *cells)
{
	double h = row_height(p, t, cells, 8.5, false);

	if (p->y + h > PAGE_H - M_BOTTOM) {
		new_page(p);
		table_head(p, t);
	}
	row_draw(p, t, cells, 8.5, false, false);
}

/* --- numbers ----------------------------------------------------------------- */

static const char *
str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A share as "54,8 %", "—" for null. */
static const char *
pct(char out[FMT_MAX], const json_t *v)
{
	if (!json_is_number(v))
		return snprintf(out, FMT_MAX, "—"), out;
	return fmt_percent_s(out, LANG_VI, json_number_value(v), 1);
}

static const char *
num(char out[FMT_MAX], const json_t *v, int places)
{
	if (!json_is_number(v))
		return snprintf(out, FMT_MAX, "—"), out;
	return fmt_number_s(out, LANG_VI, json_number_value(v), places);
}

static const char *
count(char out[FMT_MAX], const json_t *v)
{
	struct buf b = { 0 };

	fmt_count(&b, LANG_VI, json_integer_value(v));
	strlcpy_hl(out, buf_str(&b), FMT_MAX);
	buf_release(&b);
	return out;
}

static const char *
when(char out[FMT_MAX], int64_t t, bool with_time)
{
	struct buf b = { 0 };

	if (with_time)
		fmt_datetime(&b, LANG_VI, t);
	else
		fmt_date(&b, LANG_VI, t);
	strlcpy_hl(out, buf_str(&b), FMT_MAX);
	buf_release(&b);
	return out;
}

/* --- the sections ----------------------------------------------------------- */

/*
 * The letterhead: the unit on the left, the national motto on the right,
 * then the title and the period.
 */
static void
letterhead(struct pdf *p, const json_t *d, const char *period)
{
	char up[400], t[600], t_date[64];
	double h1, h2;

	snprintf(up, sizeof(up), "%s", str_of(d, "unit_name"));
	h1 =
	    text_at(p, M_LEFT, p->y, TEXT_W * 0.42, up, 10, true, CENTER, true);
	snprintf(t, sizeof(t), "Mã định danh: %s", str_of(d, "unit"));
	h1 += text_at(
	    p, M_LEFT, p->y + h1, TEXT_W * 0.42, t, 8.5, false, CENTER, true);
	h2 = text_at(p, M_LEFT + TEXT_W * 0.42, p->y, TEXT_W * 0.58,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 10, true, CENTER, true);
	h2 += text_at(p, M_LEFT + TEXT_W * 0.42, p->y + h2, TEXT_W * 0.58,
	    "Độc lập - Tự do - Hạnh phúc", 10, true, CENTER, true);
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, M_LEFT + TEXT_W * 0.42 + TEXT_W * 0.58 / 2 - 70,
	    p->y + h2 + 5);
	cairo_rel_line_to(p->cr, 140, 0);
	cairo_stroke(p->cr);
	{
		int64_t at = time_of(d, "as_of", NULL) + HL_TZ_OFFSET;
		int yy, mm, dd;

		civil_from_days(at / 86400, &yy, &mm, &dd);
		snprintf(t_date, sizeof(t_date),
		    "ngày %02d tháng %02d năm %04d", dd, mm, yy);
		h2 += 12 +
		    text_at(p, M_LEFT + TEXT_W * 0.42, p->y + h2 + 12,
			TEXT_W * 0.58, t_date, 9.5, false, CENTER, true);
	}
	p->y += (h1 > h2 ? h1 : h2) + 14;
	para(p, "BÁO CÁO", 15, true, CENTER);
	snprintf(t, sizeof(t),
	    "Kết quả đánh giá sự hài lòng của người dân, doanh nghiệp "
	    "về giải quyết thủ tục hành chính — %s",
	    period);
	para(p, t, 11, true, CENTER);
	p->y += 6;
}

static void
meta(struct pdf *p, const json_t *d, const char *period)
{
	static const double w[] = { 0.38, 0.62 };
	static const enum align al[] = { LEFT, LEFT };
	const struct table t = { 2, w, al, NULL };
	const json_t *codes = json_object_get(d, "unit_codes");
	char a[FMT_MAX], b[FMT_MAX], c[FMT_MAX], range[128];
	const char *stat = str_of(codes, "statistical");

	snprintf(range, sizeof(range), "từ %s đến hết %s",
	    when(a, time_of(d, "period", "start"), false),
	    when(b, time_of(d, "period", "end") - 1, false));
	{
		const char *rows[][2] = {
			{ "Đơn vị", str_of(d, "unit_name") },
			{ "Mã định danh", str_of(d, "unit") },
			{ "Mã đơn vị hành chính",
			    stat[0] != '\0' ? stat : "chưa khai báo" },
			{ "Kỳ báo cáo", period },
			{ "Thời gian", range },
			{ "Số liệu tính đến",
			    when(c, time_of(d, "as_of", NULL), true) },
			{ "Chương trình lập báo cáo", str_of(d, "generator") },
		};

		for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
			table_row(p, &t, rows[i]);
	}
}

/* Horizontal bars: the ratings at each level, 5 to 1. */
static void
levels_chart(struct pdf *p, const json_t *total)
{
	static const char *const names[] = { "Rất không hài lòng",
		"Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng" };
	const json_t *lv = json_object_get(total, "by_level");
	int64_t n = json_integer_value(json_object_get(total, "ratings")),
		max = 1;
	double x0 = M_LEFT + 130, bw = TEXT_W - 130 - 90;

	for (int i = 0; i < 5; i++)
		if (json_integer_value(json_array_get(lv, (size_t)i)) > max)
			max = json_integer_value(json_array_get(lv, (size_t)i));
	need(p, 5 * 16 + 6);
	for (int i = 4; i >= 0; i--) {
		int64_t k = json_integer_value(json_array_get(lv, (size_t)i));
		char lab[64], cnt[FMT_MAX], sh[FMT_MAX], v[96];

		snprintf(lab, sizeof(lab), "%s (%d)", names[i], i + 1);
		text_at(p, M_LEFT, p->y + 1, 128, lab, 8.5, false, LEFT, true);
		cairo_set_source_rgb(p->cr, 0.90, 0.90, 0.90);
		cairo_rectangle(p->cr, x0, p->y + 2, bw, 10);
		cairo_fill(p->cr);
		if (i >= 3)
			cairo_set_source_rgb(p->cr, 0.16, 0.47, 0.30);
		else if (i == 2)
			cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
		else
			cairo_set_source_rgb(p->cr, 0.75, 0.25, 0.18);
		cairo_rectangle(
		    p->cr, x0, p->y + 2, bw * (double)k / (double)max, 10);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		count(cnt, json_array_get(lv, (size_t)i));
		if (n > 0)
			snprintf(v, sizeof(v), "%s (%s)", cnt,
			    fmt_percent_s(
				sh, LANG_VI, (double)k / (double)n, 1));
		else
			snprintf(v, sizeof(v), "%s", cnt);
		text_at(
		    p, x0 + bw + 4, p->y + 1, 86, v, 8.5, false, LEFT, true);
		p->y += 16;
	}
	p->y += 4;
}

/* Columns: the satisfied share of each month, 0-100 % on the axis. */
static void
trend_chart(struct pdf *p, const struct report_extra *x)
{
	double h = 90, x0 = M_LEFT + 34, w = TEXT_W - 40, top;
	double cw = w / REPORT_TREND_MONTHS;

	need(p, h + 40);
	top = p->y + 4;
	cairo_set_line_width(p->cr, 0.4);
	for (int g = 0; g <= 4; g++) {
		char lab[FMT_MAX];
		double gy = top + h - h * g / 4.0;

		fmt_percent_s(lab, LANG_VI, g / 4.0, 0);
		text_at(p, M_LEFT, gy - 5, 30, lab, 7, false, RIGHT, true);
		cairo_set_source_rgb(p->cr, 0.8, 0.8, 0.8);
		cairo_move_to(p->cr, x0, gy);
		cairo_line_to(p->cr, x0 + w, gy);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	for (int i = 0; i < x->ntrend; i++) {
		const struct report_trend_month *t = &x->trend[i];
		double bx = x0 + cw * (REPORT_TREND_MONTHS - x->ntrend + i);
		char lab[32], v[FMT_MAX];

		snprintf(lab, sizeof(lab), "%02d/%04d", t->month % 100,
		    t->month / 100);
		text_at(p, bx, top + h + 3, cw, lab, 6.5, false, CENTER, true);
		if (isnan(t->satisfied_rate)) {
			text_at(p, bx, top + h - 12, cw, "—", 7, false, CENTER,
			    true);
			continue;
		}
		cairo_set_source_rgb(p->cr, 0.20, 0.40, 0.65);
		cairo_rectangle(p->cr, bx + cw * 0.2,
		    top + h - h * t->satisfied_rate, cw * 0.6,
		    h * t->satisfied_rate);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		fmt_percent_s(v, LANG_VI, t->satisfied_rate, 0);
		text_at(p, bx, top + h - h * t->satisfied_rate - 10, cw, v, 6.5,
		    false, CENTER, true);
	}
	p->y = top + h + 16;
	para(p,
	    "Tỷ lệ người đánh giá hài lòng hoặc rất hài lòng của từng tháng "
	    "(—: tháng không có đánh giá).",
	    7.5, false, LEFT);
}

static void
figures(struct pdf *p, const json_t *total)
{
	static const double w[] = { 0.68, 0.32 };
	static const enum align al[] = { LEFT, RIGHT };
	static const char *const head[] = { "Chỉ số", "Giá trị" };
	const struct table t = { 2, w, al, head };
	const json_t *ci = json_object_get(total, "satisfied_rate_ci");
	char v[24][FMT_MAX + 40], lo[FMT_MAX], hi[FMT_MAX];
	int k = 0;

	table_head(p, &t);
#define ROW(label, value) \
	do { \
		const char *r_[2] = { (label), (value) }; \
		table_row(p, &t, r_); \
	} while (0)
	ROW("Số đánh giá hợp lệ",
	    count(v[k++], json_object_get(total, "ratings")));
	ROW("Tỷ lệ hài lòng (mức 4 và 5)",
	    pct(v[k++], json_object_get(total, "satisfied_rate")));
	if (json_array_size(ci) == 2) {
		snprintf(v[k], sizeof(v[k]), "%s – %s",
		    pct(lo, json_array_get(ci, 0)),
		    pct(hi, json_array_get(ci, 1)));
		ROW("Khoảng tin cậy 95 % của tỷ lệ hài lòng", v[k]);
		k++;
	}
	ROW("Tỷ lệ không hài lòng (mức 1 và 2)",
	    pct(v[k++], json_object_get(total, "dissatisfied_rate")));
	ROW("Mức trung bình (1–5)",
	    num(v[k++], json_object_get(total, "mean_level"), 2));
	ROW("Số hồ sơ tiếp nhận",
	    count(v[k++], json_object_get(total, "dossiers")));
	ROW("Tỷ lệ hồ sơ giải quyết đúng hạn",
	    pct(v[k++], json_object_get(total, "on_time_rate")));
	ROW("Tỷ lệ hồ sơ nộp trực tuyến",
	    pct(v[k++], json_object_get(total, "online_rate")));
	ROW("Tỷ lệ hồ sơ phải bổ sung hoặc sửa lỗi",
	    pct(v[k++],
		json_object_get(total, "supplement_or_correction_rate")));
	ROW("Tỷ lệ hồ sơ được số hóa",
	    pct(v[k++], json_object_get(total, "digitized_rate")));
	ROW("Tỷ lệ hài lòng về xử lý hồ sơ (chỉ số 5.4)",
	    pct(v[k++], json_object_get(total, "handling_satisfaction_rate")));
}

static void
points(struct pdf *p, const json_t *d, const json_t *total)
{
	static const double w[] = { 0.58, 0.21, 0.21 };
	static const enum align al[] = { LEFT, RIGHT, RIGHT };
	static const char *const head[] = { "Chỉ số (Bộ chỉ số 766)", "Điểm",
		"Tối đa" };
	static const struct {
		const char *key, *label;
	} pts[] = {
		{ "2.1", "2.1 Hồ sơ giải quyết đúng hạn" },
		{ "3.3", "3.3 Hồ sơ nộp trực tuyến" },
		{ "4.2", "4.2 Hồ sơ được số hóa" },
		{ "5.4", "5.4 Hài lòng về xử lý hồ sơ" },
	};
	const struct table t = { 3, w, al, head };
	const json_t *pv = json_object_get(total, "points");
	const json_t *rp =
	    json_object_get(json_object_get(d, "rules"), "points");
	double sum = 0, max = 0;
	char a[FMT_MAX], b[FMT_MAX];

	table_head(p, &t);
	for (size_t i = 0; i < ARRAY_SIZE(pts); i++) {
		const json_t *m =
		    json_object_get(json_object_get(rp, pts[i].key), "max");
		const char *r[3] = { pts[i].label,
			num(a, json_object_get(pv, pts[i].key), 2),
			num(b, m, 0) };

		sum += json_number_value(json_object_get(pv, pts[i].key));
		max += json_number_value(m);
		table_row(p, &t, r);
	}
	{
		const char *r[3] = { "Tổng điểm",
			fmt_number_s(a, LANG_VI, sum, 2),
			fmt_number_s(b, LANG_VI, max, 0) };

		row_draw(p, &t, r, 8.5, true, true);
	}
}

static void
flags(struct pdf *p, const json_t *d)
{
	static const double w[] = { 0.22, 0.50, 0.28 };
	static const enum align al[] = { LEFT, LEFT, LEFT };
	static const char *const head[] = { "Phạm vi", "Tên", "Cảnh báo" };
	const struct table t = { 3, w, al, head };
	static const struct {
		const char *key, *word;
	} lists[] = {
		{ "procedures", "Thủ tục" },
		{ "counters", "Quầy" },
		{ "officers", "Cán bộ" },
	};
	const json_t *tf =
	    json_object_get(json_object_get(d, "total"), "flags");
	bool any = false, headed = false;

	if (json_array_size(tf) > 0) {
		struct buf b = { 0 };

		buf_puts(&b, "Toàn đơn vị: ");
		for (size_t i = 0; i < json_array_size(tf); i++) {
			if (i > 0)
				buf_puts(&b, "; ");
			buf_puts(&b,
			    report_flag_label(
				json_string_value(json_array_get(tf, i))));
		}
		para(p, buf_str(&b), 9, false, LEFT);
		buf_release(&b);
		any = true;
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		const json_t *a = json_object_get(d, lists[l].key);

		for (size_t i = 0; i < json_array_size(a); i++) {
			const json_t *s = json_array_get(a, i);
			const json_t *f = json_object_get(s, "flags");
			struct buf b = { 0 }, who = { 0 };

			if (json_array_size(f) == 0)
				continue;
			if (!headed)
				table_head(p, &t);
			headed = any = true;
			for (size_t k = 0; k < json_array_size(f); k++) {
				if (k > 0)
					buf_puts(&b, "; ");
				buf_puts(&b,
				    report_flag_label(json_string_value(
					json_array_get(f, k))));
			}
			if (strcmp(lists[l].key, "counters") == 0)
				buf_printf(&who, "%s %lld (%s)", lists[l].word,
				    (long long)json_integer_value(
					json_object_get(s, "counter")),
				    str_of(s, "unit"));
			else
				buf_printf(&who, "%s %s", lists[l].word,
				    str_of(s,
					strcmp(lists[l].key, "officers") == 0
					    ? "id"
					    : "code"));
			{
				const char *r[3] = { buf_str(&who),
					str_of(s, "name"), buf_str(&b) };

				table_row(p, &t, r);
			}
			buf_release(&b);
			buf_release(&who);
		}
	}
	if (!any)
		para(p, "Không có cảnh báo nào trong kỳ.", 9, false, LEFT);
}

static void
why(struct pdf *p, const json_t *d, const json_t *total)
{
	static const double w[] = { 0.68, 0.32 };
	static const enum align al[] = { LEFT, RIGHT };
	static const char *const head[] = { "Lý do người dân nêu",
		"Số đánh giá" };
	const struct table t = { 2, w, al, head };
	const json_t *codes = json_object_get(d, "reason_codes");
	const json_t *rs = json_object_get(total, "reasons");
	char a[FMT_MAX], b[FMT_MAX], line[256];

	if (json_integer_value(json_object_get(d, "definition_version")) < 2) {
		para(p,
		    "Báo cáo theo định nghĩa phiên bản 1: không có số liệu về "
		    "lý do.",
		    9, false, LEFT);
		return;
	}
	{
		char one[FMT_MAX], s[300];

		snprintf(s, sizeof(s),
		    "%s đánh giá có nêu lý do. Số lần đi lại trung bình: %s "
		    "(%s đánh giá trả lời). Tỷ lệ xong trong một lần đi: %s.",
		    count(a, json_object_get(total, "reasons_given")),
		    num(b, json_object_get(total, "visits_mean"), 2),
		    count(line, json_object_get(total, "visits_answered")),
		    pct(one, json_object_get(total, "one_visit_rate")));
		para(p, s, 9, false, LEFT);
	}
	table_head(p, &t);
	for (size_t i = 0; i < json_array_size(codes); i++) {
		const char *c = json_string_value(json_array_get(codes, i));
		char lab[160];
		const char *r[2];

		snprintf(lab, sizeof(lab), "%s",
		    strcmp(report_reason_label(c), "Lý do khác") == 0
			? c
			: report_reason_label(c));
		r[0] = lab;
		r[1] = count(a, json_object_get(rs, c));
		table_row(p, &t, r);
	}
	{
		static const double w2[] = { 0.46, 0.27, 0.27 };
		static const enum align al2[] = { LEFT, RIGHT, RIGHT };
		static const char *const head2[] = { "Kênh đánh giá",
			"Số đánh giá", "Tỷ lệ hài lòng" };
		static const char *const ch[] = { "kiosk", "qr", "web",
			"import" };
		const struct table t2 = { 3, w2, al2, head2 };
		const json_t *bc = json_object_get(total, "by_channel");

		p->y += 6;
		table_head(p, &t2);
		for (size_t i = 0; i < ARRAY_SIZE(ch); i++) {
			const json_t *o = json_object_get(bc, ch[i]);
			const char *r[3] = { label_channel(LANG_VI, ch[i]),
				count(a, json_object_get(o, "ratings")),
				pct(b, json_object_get(o, "satisfied_rate")) };

			table_row(p, &t2, r);
		}
	}
	/* who rated (definition version 3: requester, helped) */
	if (json_object_get(total, "by_requester") != NULL) {
		static const double w3[] = { 0.46, 0.27, 0.27 };
		static const enum align al3[] = { LEFT, RIGHT, RIGHT };
		static const char *const head3[] = { "Người đánh giá",
			"Số đánh giá", "Tỷ lệ hài lòng" };
		static const struct {
			const char *key, *vi;
		} rq[] = {
			{ "citizen", "Người dân" },
			{ "business", "Doanh nghiệp" },
			{ "unspecified", "Không cho biết" },
		};
		const struct table t3 = { 3, w3, al3, head3 };
		const json_t *br = json_object_get(total, "by_requester");
		const json_t *as = json_object_get(total, "assisted");

		p->y += 6;
		table_head(p, &t3);
		for (size_t i = 0; i < ARRAY_SIZE(rq); i++) {
			const json_t *o = json_object_get(br, rq[i].key);
			const char *r[3] = { rq[i].vi,
				count(a, json_object_get(o, "ratings")),
				pct(b, json_object_get(o, "satisfied_rate")) };

			table_row(p, &t3, r);
		}
		if (as != NULL) {
			const char *r[3] = { "Có người hỗ trợ nhập đánh giá",
				count(a, json_object_get(as, "ratings")),
				pct(b, json_object_get(as, "satisfied_rate")) };

			table_row(p, &t3, r);
		}
	}
}

static const char *
status_vi(const char *s)
{
	if (strcmp(s, "open") == 0)
		return "Mới mở";
	if (strcmp(s, "in_progress") == 0)
		return "Đang xử lý";
	if (strcmp(s, "resolved") == 0)
		return "Đã xử lý xong";
	return "Trạng thái khác";
}

static void
reviews(struct pdf *p, const struct report_extra *x)
{
	static const double w[] = { 0.07, 0.30, 0.13, 0.13, 0.37 };
	static const enum align al[] = { LEFT, LEFT, LEFT, LEFT, LEFT };
	static const char *const head[] = { "Số", "Đối tượng, cảnh báo",
		"Người phụ trách", "Mở / đóng", "Trạng thái, biện pháp" };
	const struct table t = { 5, w, al, head };

	if (x == NULL || x->reviews == NULL) {
		para(p, "Không có dữ liệu rà soát kèm theo.", 9, false, LEFT);
		return;
	}
	if (json_array_size(x->reviews) == 0) {
		para(p, "Không có rà soát nào được mở hoặc kết thúc trong kỳ.",
		    9, false, LEFT);
		return;
	}
	table_head(p, &t);
	for (size_t i = 0; i < json_array_size(x->reviews); i++) {
		const json_t *r = json_array_get(x->reviews, i);
		struct buf what = { 0 }, st = { 0 };
		char id[24], dates[64], a[FMT_MAX], b[FMT_MAX];
		const char *fl = str_of(r, "flags");
		const char *cells[5];

		snprintf(id, sizeof(id), "%lld",
		    (long long)json_integer_value(json_object_get(r, "id")));
		if (str_of(r, "procedure")[0] != '\0')
			buf_printf(&what, "Thủ tục %s %s",
			    str_of(r, "procedure"),
			    str_of(r, "procedure_name"));
		else
			buf_printf(&what, "Quầy %lld (%s)",
			    (long long)json_integer_value(
				json_object_get(r, "counter")),
			    str_of(r, "unit"));
		/* the flags, "A,B", in words */
		while (*fl != '\0') {
			const char *e = strchr(fl, ',');
			size_t n = e ? (size_t)(e - fl) : strlen(fl);
			char code[40];

			snprintf(code, sizeof(code), "%.*s", (int)n, fl);
			buf_printf(&what, "; %s", report_flag_label(code));
			fl += n + (e != NULL);
		}
		when(a, json_integer_value(json_object_get(r, "opened_at")),
		    false);
		if (json_integer_value(json_object_get(r, "resolved_at")) > 0)
			snprintf(dates, sizeof(dates), "%s – %s", a,
			    when(b,
				json_integer_value(
				    json_object_get(r, "resolved_at")),
				false));
		else
			snprintf(dates, sizeof(dates), "%s –", a);
		buf_puts(&st, status_vi(str_of(r, "status")));
		if (str_of(r, "action")[0] != '\0')
			buf_printf(&st, ": %s", str_of(r, "action"));
		cells[0] = id;
		cells[1] = buf_str(&what);
		cells[2] = str_of(r, "owner");
		cells[3] = dates;
		cells[4] = buf_str(&st);
		table_row(p, &t, cells);
		buf_release(&what);
		buf_release(&st);
	}
}

static void
coverage(struct pdf *p, const json_t *d, const json_t *total)
{
	static const double w[] = { 0.68, 0.32 };
	static const enum align al[] = { LEFT, RIGHT };
	const struct table t = { 2, w, al, NULL };
	const json_t *ex = json_object_get(total, "excluded");
	char a[FMT_MAX], b[FMT_MAX], c[FMT_MAX], e[FMT_MAX], f[FMT_MAX];
	const char *rows[][2] = {
		{ "Tỷ lệ hồ sơ được người dân đánh giá",
		    pct(a, json_object_get(total, "coverage_rate")) },
		{ "Không tính: bấm liên tiếp trong vài giây",
		    count(b, json_object_get(ex, "burst")) },
		{ "Không tính: gửi trùng lặp",
		    count(c, json_object_get(ex, "duplicate")) },
		{ "Không tính: sử dụng sai mục đích",
		    count(e, json_object_get(ex, "misuse")) },
		{ "Không tính: nội dung rác",
		    count(f, json_object_get(ex, "spam")) },
	};
	const json_t *inc = json_object_get(d, "included_reports");
	const json_t *miss = json_object_get(d, "missing_reports");

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		table_row(p, &t, rows[i]);
	p->y += 6;
	if (json_array_size(inc) == 0) {
		para(p, "Báo cáo của đơn vị cấp dưới đã tổng hợp: không có.", 9,
		    false, LEFT);
	} else {
		para(p, "Báo cáo của đơn vị cấp dưới đã tổng hợp:", 9, true,
		    LEFT);
		for (size_t i = 0; i < json_array_size(inc); i++) {
			const json_t *r = json_array_get(inc, i);
			const char *s = str_of(r, "received_at");
			char line[700], dt[FMT_MAX];
			int64_t tt = 0;

			rfc3339_parse(s, strlen(s), &tt);
			snprintf(line, sizeof(line),
			    "• %s (%s), nhận lúc %s, SHA-256 %s",
			    str_of(r, "unit_name"), str_of(r, "unit"),
			    when(dt, tt, true), str_of(r, "sha256"));
			para(p, line, 8, false, LEFT);
		}
	}
	if (json_array_size(miss) == 0) {
		para(p, "Đơn vị cấp dưới chưa có báo cáo: không có.", 9, false,
		    LEFT);
	} else {
		para(p, "Đơn vị cấp dưới chưa có báo cáo:", 9, true, LEFT);
		for (size_t i = 0; i < json_array_size(miss); i++) {
			const json_t *r = json_array_get(miss, i);
			char line[400];

			snprintf(line, sizeof(line), "• %s (%s)",
			    str_of(r, "unit_name"), str_of(r, "unit"));
			para(p, line, 8, false, LEFT);
		}
	}
}

static void
anchor(struct pdf *p, const json_t *d)
{
	const json_t *c = json_object_get(d, "ratings_chain");
	char line[600], a[FMT_MAX], b[FMT_MAX], t[FMT_MAX];

	snprintf(line, sizeof(line),
	    "Chuỗi băm các đánh giá tại thời điểm %s: %s bản ghi, số thứ tự "
	    "cuối %s, mã băm đầu chuỗi (SHA-256):",
	    when(t, time_of(c, "at", NULL), true),
	    count(a, json_object_get(c, "ratings")),
	    count(b, json_object_get(c, "seq")));
	para(p, line, 9, false, LEFT);
	para(p, str_of(c, "head"), 8, false, LEFT);
	para(p,
	    "Lệnh kiểm tra: hailong report verify THƯ_MỤC --ca CA.pem --db "
	    "CSDL (chuỗi của cơ sở dữ liệu phải khớp mã băm trên).",
	    8, false, LEFT);
}

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR
					       : CAIRO_STATUS_SUCCESS;
}

/* "2026-11-01T00:00:00+07:00" as cairo wants it: the same, RFC 3339 */
int
report_pdf(const json_t *doc, const struct report_extra *x, struct buf *out,
    char *err, size_t errlen)
{
	const json_t *total = json_object_get(doc, "total");
	struct pdf p = { 0 };
	char period[FMT_MAX], title[600], as_of[32];
	cairo_status_t s;
	const char *mo = str_of(doc, "month");

	report_period_words(mo, period);
	p.surf =
	    cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(p.surf, CAIRO_PDF_VERSION_1_5);
	/* the report's own instant, not the clock: same data, same bytes */
	strlcpy_hl(as_of, str_of(doc, "as_of"), sizeof(as_of));
	cairo_pdf_surface_set_metadata(
	    p.surf, CAIRO_PDF_METADATA_CREATE_DATE, as_of);
	snprintf(title, sizeof(title), "Báo cáo %s — %s", period,
	    str_of(doc, "unit_name"));
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(
	    p.surf, CAIRO_PDF_METADATA_AUTHOR, str_of(doc, "unit_name"));
	cairo_pdf_surface_set_metadata(
	    p.surf, CAIRO_PDF_METADATA_CREATOR, str_of(doc, "generator"));
	p.cr = cairo_create(p.surf);
	p.fm = pango_cairo_font_map_new();
	p.pc = pango_font_map_create_context(p.fm);
	pango_cairo_update_context(p.cr, p.pc);
	p.page = 1;
	p.y = M_TOP;
	snprintf(p.footer, sizeof(p.footer), "%s (%s) — %s",
	    str_of(doc, "unit_name"), str_of(doc, "unit"), period);

	letterhead(&p, doc, period);
	meta(&p, doc, period);
	heading(&p, "1. Kết quả đánh giá");
	figures(&p, total);
	heading(&p, "2. Số đánh giá theo mức độ");
	levels_chart(&p, total);
	if (x != NULL && x->ntrend > 0) {
		heading(&p, "3. Tỷ lệ hài lòng 12 tháng");
		trend_chart(&p, x);
	} else {
		heading(&p, "3. Tỷ lệ hài lòng 12 tháng");
		para(&p, "Không có số liệu các tháng trước kèm theo.", 9, false,
		    LEFT);
	}
	need(&p, 130); /* the heading and the whole table together */
	heading(&p, "4. Điểm theo Bộ chỉ số 766");
	points(&p, doc, total);
	heading(&p, "5. Cảnh báo");
	flags(&p, doc);
	heading(&p, "6. Vì sao: lý do và kênh đánh giá");
	why(&p, doc, total);
	heading(&p, "7. Rà soát mở và kết thúc trong kỳ");
	reviews(&p, x);
	heading(&p, "8. Phạm vi số liệu và phần không tính");
	coverage(&p, doc, total);
	heading(&p, "9. Neo chuỗi băm đánh giá");
	anchor(&p, doc);
	p.y += 10;
	need(&p, 70);
	text_at(&p, M_LEFT + TEXT_W * 0.5, p.y, TEXT_W * 0.5,
	    "THỦ TRƯỞNG ĐƠN VỊ", 10, true, CENTER, true);
	text_at(&p, M_LEFT + TEXT_W * 0.5, p.y + 15, TEXT_W * 0.5, "(Ký số)", 9,
	    false, CENTER, true);
	p.y += 40;
	para(&p,
	    "Báo cáo có giá trị khi được ký số: chữ ký số PDF (tệp "
	    "report.signed.pdf, cùng khóa và chứng thư với report.json.p7s), "
	    "kiểm tra bằng pdfsig hoặc phần mềm đọc PDF. Bản chưa ký không có "
	    "giá trị nộp.",
	    8, false, LEFT);
	footer(&p);
	cairo_show_page(p.cr);
	g_object_unref(p.pc);
	g_object_unref(p.fm);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surf);
	s = cairo_surface_status(p.surf);
	cairo_surface_destroy(p.surf);
	if (s != CAIRO_STATUS_SUCCESS || buf_failed(out)) {
		snprintf(err, errlen, "cannot write the PDF: %s",
		    cairo_status_to_string(s));
		return -1;
	}
	return 0;
}
