/* figpage.c -- what the figure pages share: queries, numbers, charts. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/log.h"
#include "core/fmt.h"
#include "core/instrument.h"
#include "core/labels.h"
#include "core/metrics.h"
#include "core/report.h"
#include "core/users.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/server.h"

void
figpage_forbidden(struct ctx *c)
{
	page_message(c, 403, M_FORBIDDEN_TITLE, M_FORBIDDEN_TEXT);
}

bool
figpage_is_manager(struct ctx *c)
{
	return c->who.kind == PRINCIPAL_USER && c->who.role >= ROLE_MANAGER;
}

int
figpage_query(struct ctx *c, const char *const *allowed)
{
	const struct form *q = &c->query;

	for (int i = 0; i < q->n; i++) {
		const char *name = q->f[i].name;
		bool ok = strcmp(name, "lang") == 0;

		for (int j = 0; !ok && allowed[j] != NULL; j++)
			ok = strcmp(name, allowed[j]) == 0;
		if (!ok) {
			console_error(c, NULL, 400,
			    "Tham số không được hỗ trợ:",
			    "Unsupported parameter:", name);
			return -1;
		}
		if (form_count(q, name) > 1) {
			console_error(c, NULL, 400, "Tham số bị lặp lại:",
			    "Parameter given more than once:", name);
			return -1;
		}
	}
	return 0;
}

/*
 * The period of the request being served (figpage_month() parses it):
 * per thread, keyed by the request, so figpage_metrics() and the forms
 * of the same request see it and another request never does.
 */
static _Thread_local struct {
	const struct ctx *c;
	struct period p;
} current;

/* What is wrong with a period text, in the page's language. */
static void
period_error(struct ctx *c, const char *s, const char *why)
{
	if (strncmp(why, "a quarter", 9) == 0)
		console_error(c, NULL, 400, "Quý phải từ 1 đến 4 (Q1 đến Q4):",
		    "A quarter is Q1 to Q4:", s);
	else if (strncmp(why, "a month", 7) == 0)
		console_error(c, NULL, 400,
		    "Tháng phải từ 01 đến 12:", "A month is 01 to 12:", s);
	else if (strncmp(why, "the year", 8) == 0)
		console_error(c, NULL, 400, "Năm phải từ 2000 đến 2199:",
		    "The year must be 2000 to 2199:", s);
	else
		console_error(c, NULL, 400,
		    "Kỳ không hợp lệ; cần dạng YYYY-MM (tháng), YYYY-Qn (quý, "
		    "n từ 1 đến 4) hoặc YYYY (năm), ví dụ 2026-10, 2026-Q4, "
		    "2026:",
		    "Not a valid period; use YYYY-MM (a month), YYYY-Qn (a "
		    "quarter, n 1 to 4) or YYYY (a year), e.g. 2026-10, "
		    "2026-Q4, 2026:",
		    s);
}

int
figpage_period_parse(struct ctx *c, const char *name, struct period *p)
{
	const char *s = form_get(&c->query, name);
	char why[160];
	struct db *db;
	int bad = 0, rc;

	if (s == NULL || s[0] == '\0') {
		*p = period_of_month(month_of(hl_now()));
		return 0;
	}
	if (period_parse(s, strlen(s), p, why, sizeof(why)) < 0) {
		period_error(c, s, why);
		return -1;
	}
	if (p->kind == 'm' || (db = ctx_db(c)) == NULL)
		return 0;
	rc =
	    metrics_period_check_month(db, p, hl_now(), &bad, why, sizeof(why));
	if (rc == 1) {
		char text[200], first[FMT_MAX], ps[FMT_MAX];

		fmt_period_s(ps, LANG_VI, p);
		fmt_month_s(first, LANG_VI, bad);
		snprintf(text, sizeof(text),
		    "Kỳ %s kết thúc trước tháng đầu tiên có dữ liệu (%s):", ps,
		    first);
		console_error(c, NULL, 400, text,
		    "The period ends before the database's first month:", s);
		return -1;
	}
	if (rc == 2) {
		char text[300], mo[FMT_MAX];

		fmt_month_s(mo, LANG_VI, bad);
		snprintf(text, sizeof(text),
		    "Đánh giá của %s đã được gộp thành số đếm theo tháng; các "
		    "chỉ số về đánh giá của kỳ này cần dữ liệu gốc đã bị "
		    "xóa:",
		    mo);
		console_error(c, NULL, 400, text,
		    "The ratings of a month of this period are folded into "
		    "counts; its rating figures need the raw rows:",
		    s);
		return -1;
	}
	return rc < 0 ? (server_unavailable(c), -1) : 0;
}

int
figpage_month(struct ctx *c, int *month)
{
	struct period p;

	if (figpage_period_parse(c, "month", &p) < 0)
		return -1;
	current.c = c;
	current.p = p;
	/* the pages' trends and lists end with the period's last month */
	*month = p.last;
	return 0;
}

struct period
figpage_period(struct ctx *c, int month)
{
	if (current.c == c && current.p.last == month)
		return current.p;
	return period_of_month(month);
}

void
figpage_period_label(struct ctx *c, struct buf *b, int month)
{
	struct period p = figpage_period(c, month);

	fmt_period(b, c->lang, &p);
}

void
figpage_period_label_cap(struct ctx *c, struct buf *b, int month)
{
	struct period p = figpage_period(c, month);

	fmt_period_cap(b, c->lang, &p);
}

void
figpage_period_value(struct ctx *c, int month, char out[8])
{
	struct period p = figpage_period(c, month);

	period_format(&p, out);
}

void
figpage_month_query(struct ctx *c, struct buf *b, int month)
{
	struct period p = figpage_period(c, month);
	char ps[PERIOD_TEXT_MAX];

	period_format(&p, ps);
	buf_printf(b, "?month=%s", ps);
	if (c->lang == LANG_EN)
		buf_puts(b, "&amp;lang=en");
}

/* One <option> of the period picker. */
static void
period_option(struct ctx *c, struct buf *b, const struct period *p,
    const struct period *sel)
{
	char ps[PERIOD_TEXT_MAX];

	period_format(p, ps);
	buf_printf(b, "<option value=\"%s\"%s>", ps,
	    p->first == sel->first && p->kind == sel->kind ? " selected" : "");
	fmt_period_cap(b, c->lang, p);
	buf_puts(b, "</option>\n");
}

void
figpage_period_select(
    struct ctx *c, struct buf *b, const char *name, const struct period *sel)
{
	static const struct {
		char kind;
		int n;
		const char *vi, *en;
	} groups[] = {
		{ 'm', 24, "Tháng", "Months" },
		{ 'q', 8, "Quý", "Quarters" },
		{ 'y', 5, "Năm", "Years" },
	};
	int now = month_of(hl_now());

	buf_printf(b, "<select id=\"%s\" name=\"%s\">\n", name, name);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct period p = period_holding(now, groups[g].kind);
		bool seen = false;

		buf_puts(b, "<optgroup label=\"");
		buf_html(b, TR(c, groups[g].vi, groups[g].en));
		buf_puts(b, "\">\n");
		/* the selection when it is older than the list offers */
		if (sel->kind == groups[g].kind &&
		    sel->first < period_add(&p, -(groups[g].n - 1)).first)
			period_option(c, b, sel, sel);
		for (int i = 0; i < groups[g].n; i++) {
			struct period q = period_add(&p, -i);

			seen = seen ||
			    (q.first == sel->first && q.kind == sel->kind);
			period_option(c, b, &q, sel);
		}
		/* a selection in the future */
		if (!seen && sel->kind == groups[g].kind &&
		    sel->first > p.first)
			period_option(c, b, sel, sel);
		buf_puts(b, "</optgroup>\n");
	}
	buf_puts(b, "</select>\n");
}

void
figpage_month_form(struct ctx *c, const char *path, int month)
{
	struct buf *b = &c->req->resp.body;
	struct period p = figpage_period(c, month);

	buf_puts(b, "<form class=\"month\" method=\"get\" action=\"");
	buf_html(b, path);
	buf_puts(b, "\">\n<label for=\"month\">");
	buf_html(
	    b, TR(c, "Kỳ (tháng, quý, năm)", "Period (month, quarter, year)"));
	buf_puts(b, "</label>\n");
	figpage_period_select(c, b, "month", &p);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, TR(c, "Xem", "Show"));
	buf_puts(b, "</button>\n</form>\n");
}

struct metrics *
figpage_rollup(
    struct ctx *c, const char *unit, int month, char *err, size_t errlen)
{
	struct period p = figpage_period(c, month);
	struct db *db = ctx_db(c);

	if (db == NULL) {
		snprintf(err, errlen, "the database is not available");
		return NULL;
	}
	return report_rollup_period(db, unit, &p, hl_now(), NULL, err, errlen);
}

struct metrics *
figpage_metrics(struct ctx *c, const char *unit, int month)
{
	struct period p = figpage_period(c, month);
	char err[256];
	struct metrics *m;
	struct db *db = ctx_db(c);

	if (db == NULL) {
		server_unavailable(c);
		return NULL;
	}
	m = report_rollup_period(
	    db, unit, &p, hl_now(), NULL, err, sizeof(err));
	if (m == NULL) {
		log_msg(LOG_ERROR, "console", "metrics: %s", err);
		c->req->resp.body.len = 0;
		page_message(c, 500, M_BUSY_TITLE, M_BUSY_TEXT);
	}
	return m;
}

/* Round half away from zero to `places` decimals, for display. */
static double
round_places(double v, int places)
{
	double f = pow(10, places);

	return round(v * f) / f;
}

void
figpage_value(struct ctx *c, struct buf *b, double v, enum figpage_kind k)
{
	if (isnan(v)) {
		buf_puts(b, "—");
		return;
	}
	switch (k) {
	case KIND_RATE: fmt_percent(b, c->lang, v, 1); break;
	case KIND_MEAN:
	case KIND_POINTS: fmt_number(b, c->lang, v, 2); break;
	case KIND_COUNT:
	default: fmt_number(b, c->lang, v, 0); break;
	}
}

static void
data_value(struct buf *b, double v, enum figpage_kind k)
{
	if (isnan(v))
		buf_puts(b, "null");
	else if (k == KIND_COUNT)
		buf_printf(b, "%.0f", v);
	else if (k == KIND_POINTS)
		buf_printf(b, "%.2f", v);
	else
		buf_printf(b, "%.4f", v);
}

void
figpage_cell(struct ctx *c, const char *key, double v, enum figpage_kind k)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<td class=\"num\" data-k=\"%s\" data-v=\"", key);
	data_value(b, v, k);
	buf_puts(b, "\">");
	figpage_value(c, b, v, k);
	buf_puts(b, "</td>");
}

void
figpage_cell_masked(struct ctx *c, const char *key)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<td class=\"nodata\" data-k=\"%s\">", key);
	buf_html(b, TR(c, "chưa đủ dữ liệu", "not enough data"));
	buf_puts(b, "</td>");
}

void
figpage_cell_ci(struct ctx *c, const char *key, double v, const double ci[2])
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<td class=\"num\" data-k=\"%s\" data-v=\"", key);
	data_value(b, v, KIND_RATE);
	buf_puts(b, "\" data-lo=\"");
	data_value(b, ci[0], KIND_RATE);
	buf_puts(b, "\" data-hi=\"");
	data_value(b, ci[1], KIND_RATE);
	buf_puts(b, "\">");
	figpage_value(c, b, v, KIND_RATE);
	if (!isnan(v)) {
		buf_puts(b, " <span class=\"ci\" title=\"");
		buf_html(b, figpage_ci_hint(c));
		buf_puts(b, "\">[");
		figpage_value(c, b, ci[0], KIND_RATE);
		buf_puts(b, "–");
		figpage_value(c, b, ci[1], KIND_RATE);
		buf_puts(b, "]</span>");
	}
	buf_puts(b, "</td>");
}

const char *
figpage_flag_label(struct ctx *c, enum metric_flag f)
{
	return label_flag(c->lang, metric_flag_name(f));
}

const char *
figpage_ci_hint(struct ctx *c)
{
	return TR(c,
	    "Khoảng tin cậy 95 %: với số lượt đánh giá đã có, tỷ lệ thật gần "
	    "như chắc chắn nằm trong khoảng này. Càng ít lượt đánh giá, "
	    "khoảng càng rộng.",
	    "95% confidence interval: with the ratings there are, the true "
	    "share almost surely lies in it. The fewer the ratings, the wider "
	    "it is.");
}

const char *
figpage_severity_hint(struct ctx *c)
{
	return TR(c,
	    "Khoảng tin cậy nằm ngoài ngưỡng cảnh báo bao nhiêu điểm phần "
	    "trăm. Càng lớn càng đáng lo; cảnh báo chỉ bật khi vượt ngưỡng "
	    "không phải do ngẫu nhiên.",
	    "How many percentage points the confidence interval "
	    "lies beyond the flag's threshold. The larger, the worse; a "
	    "flag is raised only when chance cannot explain it.");
}

void
figpage_severity(struct ctx *c, struct buf *b, double severity)
{
	fmt_number(b, c->lang, severity * 100, 1);
	buf_puts(b, TR(c, " điểm", " pts"));
}

void
figpage_flags_cell(struct ctx *c, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<td class=\"flags\">");
	for (int i = 0; i < f->nflags; i++) {
		const char *code = metric_flag_name(f->flags[i]);

		buf_printf(b,
		    "<span class=\"flag\" data-flag=\"%s\" "
		    "data-severity=\"%.4f\" title=\"",
		    code, f->severity[i]);
		buf_html(b, label_flag_help(c->lang, code));
		buf_puts(b, " ");
		buf_html(b, TR(c, "Độ nghiêm trọng", "Severity"));
		buf_puts(b, ": ");
		figpage_severity(c, b, f->severity[i]);
		buf_puts(b, ".\">");
		buf_html(b, figpage_flag_label(c, f->flags[i]));
		buf_puts(b, "</span> ");
	}
	buf_puts(b, "</td>");
}

void
figpage_legend(struct ctx *c, unsigned what)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<dl class=\"legend\">\n");
	if (what & FIGPAGE_LEGEND_SATISFACTION) {
		buf_puts(b, "<dt>");
		buf_html(b, TR(c, "Tỷ lệ hài lòng", "Satisfied"));
		buf_puts(b, "</dt><dd>");
		buf_html(b, figpage_satisfied_hint(c));
		buf_puts(b, "</dd>\n<dt>");
		buf_html(b,
		    TR(c, "Mức độ hài lòng xử lý hồ sơ (766)",
			"Handling satisfaction (766)"));
		buf_puts(b, "</dt><dd>");
		buf_html(b, figpage_handling_hint(c));
		buf_puts(b, "</dd>\n");
	}
	if (what & FIGPAGE_LEGEND_POINTS) {
		buf_puts(b, "<dt>");
		buf_html(b, TR(c, "Điểm 766", "766 points"));
		buf_puts(b, "</dt><dd>");
		buf_html(b,
		    TR(c,
			"Điểm theo Quyết định 766/QĐ-TTg của bốn chỉ số "
			"hailong "
			"theo dõi (đúng hạn, trực tuyến, số hóa, hài lòng xử "
			"lý "
			"hồ sơ), tối đa 36; không phải điểm chấm chính thức.",
			"Points under Decision 766/QĐ-TTg of the four "
			"indicators "
			"hailong tracks (on time, online, digitised, handling "
			"satisfaction), at most 36; not the official score."));
		buf_puts(b, "</dd>\n");
	}
	if (what & FIGPAGE_LEGEND_CI) {
		buf_puts(b, "<dt>[a–b]</dt><dd>");
		buf_html(b, figpage_ci_hint(c));
		buf_puts(b, "</dd>\n");
	}
	if (what & FIGPAGE_LEGEND_SEVERITY) {
		buf_puts(b, "<dt>");
		buf_html(b, TR(c, "Độ nghiêm trọng", "Severity"));
		buf_puts(b, "</dt><dd>");
		buf_html(b, figpage_severity_hint(c));
		buf_puts(b, " ");
		buf_html(b,
		    TR(c, "Di chuột lên một cảnh báo để xem giải thích.",
			"Hover over a flag for what it means."));
		buf_puts(b, "</dd>\n");
	}
	buf_puts(b, "</dl>\n");
}

const char *
figpage_satisfied_hint(struct ctx *c)
{
	return TR(c,
	    "Ý kiến của người dân: tỷ lệ lượt đánh giá hợp lệ ở mức 4–5 "
	    "(hài lòng, rất hài lòng) trên ki-ốt, mã QR, trực tuyến và phiếu "
	    "giấy.",
	    "What citizens said: the share of valid ratings at level 4–5 "
	    "(satisfied, very satisfied) by kiosk, QR code, web and paper.");
}

const char *
figpage_handling_hint(struct ctx *c)
{
	return TR(c,
	    "Chỉ số của Quyết định 766 về giải quyết hồ sơ: tính trên hồ sơ, "
	    "không phải trên lượt đánh giá — tỷ lệ hồ sơ không bị khiếu nại, "
	    "không trễ hạn và không có đánh giá mức 1–2 gắn với mã hồ sơ đó. "
	    "Đánh giá không ghi mã hồ sơ không tính vào đây, nên chỉ số này "
	    "có thể cao dù tỷ lệ hài lòng của người dân thấp.",
	    "The Decision 766 indicator of handling: computed on dossiers, not "
	    "on "
	    "ratings — the share of dossiers without a complaint, not late and "
	    "without a level 1–2 rating naming the dossier. Ratings that name "
	    "no dossier do not count here, so it may be high while citizens' "
	    "satisfaction is low.");
}

double
figpage_points_total(const struct metric_figures *f)
{
	double t = 0;

	for (int i = 0; i < POINT_COUNT; i++)
		t += f->points[i];
	return round_places(t, 2);
}

/*
 * The chart: a plot CHART_PW x CHART_PH at (CHART_L, CHART_T), the scale
 * (0 and max) at its left, the first and last month under it.
 */
#define CHART_L 40
#define CHART_T 6
#define CHART_PW 210
#define CHART_PH 56
#define CHART_PAD 4
#define CHART_W (CHART_L + CHART_PW + 4)
#define CHART_H (CHART_T + CHART_PH + 16)

static double
chart_y(double v, double max)
{
	return CHART_T + CHART_PH - CHART_PAD -
	    (fmin(v, max) / max) * (CHART_PH - 2 * CHART_PAD);
}

void
figpage_trend(struct ctx *c, const char *key, const char *title,
    const int *months, const double *v, int n, double max, enum figpage_kind k)
{
	struct buf *b = &c->req->resp.body;
	double step = n > 1 ? (double)(CHART_PW - 2 * CHART_PAD) / (n - 1) : 0;
	bool open = false;
	char m0[FMT_MAX], m1[FMT_MAX];

	if (n <= 0)
		return;
	if (!(max > 0))
		max = 1;
	fmt_month_s(m0, c->lang, months[0]);
	fmt_month_s(m1, c->lang, months[n - 1]);
	buf_printf(b,
	    "<figure class=\"trend\" data-k=\"%s\">\n<svg "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
	    key, CHART_W, CHART_H, CHART_W, CHART_H);
	buf_html(b, title);
	buf_printf(b, ", %s – %s", m0, m1);
	buf_puts(b, "\">\n<title>");
	buf_html(b, title);
	buf_printf(b, ", %s – %s", m0, m1);
	buf_printf(b,
	    "</title>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"#ffffff\" stroke=\"#ccd3da\"/>\n"
	    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
	    "stroke=\"#e2e6ea\"/>\n",
	    CHART_L, CHART_T, CHART_PW, CHART_PH, CHART_L,
	    chart_y(max / 2, max), CHART_L + CHART_PW, chart_y(max / 2, max));
	/* the scale: 0, the middle and the top, at the left */
	for (int i = 0; i <= 2; i++) {
		double at = max * i / 2;

		buf_printf(b,
		    "<text class=\"scale\" x=\"%d\" y=\"%.1f\" "
		    "font-size=\"9\" fill=\"#555555\" text-anchor=\"end\">",
		    CHART_L - 3, chart_y(at, max) + 3);
		if (k == KIND_RATE)
			fmt_percent(b, c->lang, at, 0);
		else
			fmt_number(b, c->lang, at,
			    k == KIND_COUNT || at == floor(at) ? 0 : 1);
		buf_puts(b, "</text>\n");
	}
	/* the line: one polyline per run of months with a value */
	for (int i = 0; i <= n; i++) {
		bool has = i < n && !isnan(v[i]);

		if (has && !open) {
			buf_puts(b,
			    "<polyline fill=\"none\" stroke=\"#b71c1c\" "
			    "stroke-width=\"2\" points=\"");
			open = true;
		}
		if (has)
			buf_printf(b, "%.1f,%.1f ",
			    CHART_L + CHART_PAD + step * i, chart_y(v[i], max));
		if (!has && open) {
			buf_puts(b, "\"/>\n");
			open = false;
		}
	}
	for (int i = 0; i < n; i++) {
		char ms[FMT_MAX];

		if (isnan(v[i]))
			continue;
		fmt_month_s(ms, c->lang, months[i]);
		buf_printf(b,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
		    "fill=\"#b71c1c\"><title>%s: ",
		    CHART_L + CHART_PAD + step * i, chart_y(v[i], max), ms);
		figpage_value(c, b, v[i], k);
		buf_puts(b, "</title></circle>\n");
	}
	buf_printf(b,
	    "<text class=\"from\" x=\"%d\" y=\"%d\" font-size=\"9\" "
	    "fill=\"#555555\">%s</text>\n<text class=\"to\" x=\"%d\" "
	    "y=\"%d\" font-size=\"9\" fill=\"#555555\" "
	    "text-anchor=\"end\">%s</text>\n</svg>\n<figcaption>",
	    CHART_L, CHART_H - 3, m0, CHART_L + CHART_PW, CHART_H - 3, m1);
	buf_html(b, title);
	buf_puts(b, ": ");
	figpage_value(c, b, v[n - 1], k);
	buf_puts(b, "</figcaption>\n</figure>\n");
}

void
figpage_series(struct ctx *c, const char *unit, int month,
    struct metrics *out[FIGPAGE_TREND_MONTHS])
{
	struct db *db = ctx_db(c);
	int64_t now = hl_now();
	char err[256];

	for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++) {
		int mo = month_add(month, i - (FIGPAGE_TREND_MONTHS - 1));

		/* before 2000-01 there is nothing (and no rules): a gap */
		out[i] = NULL;
		if (mo < 200001)
			continue;
		out[i] = db != NULL
		    ? report_rollup(db, unit, mo, now, NULL, err, sizeof(err))
		    : NULL;
		if (db != NULL && out[i] == NULL)
			log_msg(LOG_ERROR, "console", "metrics: %s", err);
	}
}

void
figpage_series_free(struct metrics *s[FIGPAGE_TREND_MONTHS])
{
	for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++) {
		metrics_free(s[i]);
		s[i] = NULL;
	}
}

const struct metric_scope *
figpage_find(const struct metric_list *l, const char *code, const char *unit,
    int counter)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct metric_scope *s = &l->v[i];

		if (code != NULL && strcmp(s->code, code) == 0)
			return s;
		if (code == NULL && s->counter == counter &&
		    strcmp(s->unit, unit) == 0)
			return s;
	}
	return NULL;
}

double
figpage_figure(const struct metric_figures *f, const char *key)
{
	if (strcmp(key, "ratings") == 0)
		return (double)f->ratings;
	if (strcmp(key, "satisfied_rate") == 0)
		return f->satisfied_rate;
	if (strcmp(key, "dissatisfied_rate") == 0)
		return f->dissatisfied_rate;
	if (strcmp(key, "mean_level") == 0)
		return f->mean_level;
	if (strcmp(key, "ballot_score") == 0)
		return f->ballot_score;
	if (strcmp(key, "officer_score") == 0)
		return f->officer_score;
	if (strcmp(key, "reported_supplement_rate") == 0)
		return f->reported_supplement_rate;
	if (strcmp(key, "reported_online_error_rate") == 0)
		return f->reported_online_error_rate;
	if (strcmp(key, "dossiers") == 0)
		return (double)f->dossiers;
	if (strcmp(key, "on_time_rate") == 0)
		return f->on_time_rate;
	if (strcmp(key, "online_rate") == 0)
		return f->online_rate;
	if (strcmp(key, "full_online_rate") == 0)
		return f->full_online_rate;
	if (strcmp(key, "digitized_rate") == 0)
		return f->digitized_rate;
	if (strcmp(key, "handling_satisfaction_rate") == 0)
		return f->handling_satisfaction_rate;
	if (strcmp(key, "supplement_rate") == 0)
		return f->supplement_rate;
	if (strcmp(key, "multi_supplement_rate") == 0)
		return f->multi_supplement_rate;
	if (strcmp(key, "correction_rate") == 0)
		return f->correction_rate;
	if (strcmp(key, "supplement_or_correction_rate") == 0)
		return f->supplement_or_correction_rate;
	return NAN;
}

/* --- why (METRICS.md version 2) ------------------------------------------ */

static const char *const excluded_keys[EXCLUDED_COUNT] = { "burst", "duplicate",
	"misuse", "spam" };

const char *
figpage_reason_label(struct ctx *c, const struct metrics *m, const char *code)
{
	const struct instrument *in;
	int64_t t = month_end(m->month) - 1;

	if (m->as_of < t)
		t = m->as_of;
	in = instrument_cache_at(c->srv->instruments, ctx_db(c), t, NULL, 0);
	for (int i = 0; in != NULL && i < in->nreasons; i++)
		if (strcmp(in->reason[i].code, code) == 0)
			return itext(&in->reason[i].label, c->lang);
	return code;
}

const char *
figpage_channel_label(struct ctx *c, int ch)
{
	return label_channel(
	    c->lang, rating_channel_name((enum rating_channel)ch));
}

const char *
figpage_excluded_label(struct ctx *c, int i)
{
	switch (i) {
	case 0: return TR(c, "Bấm liên tiếp", "Rapid repeat presses");
	case 1: return TR(c, "Trùng lặp", "Duplicates");
	case 2: return TR(c, "Dùng sai mục đích", "Misuse");
	case 3: return TR(c, "Rác, quảng cáo", "Spam");
	default: return "?";
	}
}

const char *
figpage_status_label(struct ctx *c, const char *status)
{
	if (strcmp(status, "valid") == 0)
		return TR(c, "Hợp lệ", "Valid");
	for (int i = 0; i < EXCLUDED_COUNT; i++)
		if (strcmp(status, excluded_keys[i]) == 0)
			return figpage_excluded_label(c, i);
	return TR(c, "Trạng thái khác", "Other status");
}

int64_t
figpage_excluded_total(const struct metric_figures *f)
{
	int64_t n = 0;

	for (int i = 0; i < EXCLUDED_COUNT; i++)
		n += f->excluded[i];
	return n;
}

/* A short legend under a figure: what it means, in plain words. */
static void
legend(struct ctx *c, const char *vi, const char *en)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<p class=\"legend\">");
	buf_html(b, TR(c, vi, en));
	buf_puts(b, "</p>\n");
}

/* A row header with a hover text. */
static void
row_head(struct ctx *c, const char *label, const char *hint)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<th scope=\"row\" title=\"");
	buf_html(b, hint);
	buf_puts(b, "\">");
	buf_html(b, label);
	buf_puts(b, "</th>");
}

#define BAR_W 160

static void
why_reasons(struct ctx *c, const struct metrics *m,
    const struct metric_scope *s, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;
	int64_t max = 1;

	buf_puts(b, "<h3>");
	buf_html(b, TR(c, "Lý do người dân nêu", "Reasons citizens gave"));
	buf_puts(b, "</h3>\n");
	legend(c,
	    "Mỗi thanh là số lượt đánh giá hợp lệ có nêu lý do đó; một lượt "
	    "có thể nêu nhiều lý do.",
	    "Each bar counts the valid ratings naming that reason; a rating "
	    "may name several.");
	if (m->nreason_codes == 0) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Bảng hỏi không có danh sách lý do.",
			"The questionnaire lists no reasons."));
		buf_puts(b, "</p>\n");
		return;
	}
	for (size_t i = 0; i < m->nreason_codes; i++) {
		int64_t n =
		    s != NULL ? metric_scope_reason(s, m->reason_codes[i]) : 0;

		if (n > max)
			max = n;
	}
	buf_puts(b, "<table class=\"reasons\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Lý do", "Reason"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Số lượt", "Ratings"));
	/* the bars' scale: 0 at the left, the longest bar's count at the
	 * right */
	buf_puts(b, "</th><th class=\"rbar\"><span class=\"axis\" title=\"");
	buf_html(b,
	    TR(c,
		"Thang đo của các thanh: từ 0 đến lý do được nêu "
		"nhiều nhất",
		"The bars' scale: from 0 to the most named reason"));
	buf_puts(b, "\"><span>0</span><span>");
	fmt_count(b, c->lang, max);
	buf_puts(b, "</span></span></th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < m->nreason_codes; i++) {
		const char *code = m->reason_codes[i];
		int64_t n = s != NULL ? metric_scope_reason(s, code) : 0;
		struct buf key = { 0 };

		buf_puts(b, "<tr data-reason=\"");
		buf_html(b, code);
		buf_puts(b, "\"><th scope=\"row\">");
		buf_html(b, figpage_reason_label(c, m, code));
		buf_puts(b, "</th>");
		buf_puts(&key, "reason_");
		buf_html(&key, code);
		figpage_cell(c, buf_str(&key), (double)n, KIND_COUNT);
		buf_release(&key);
		buf_printf(b,
		    "<td class=\"rbar\"><svg "
		    "xmlns=\"http://www.w3.org/2000/svg\" "
		    "width=\"%d\" height=\"12\" viewBox=\"0 0 %d 12\" "
		    "preserveAspectRatio=\"none\" "
		    "aria-hidden=\"true\"><rect x=\"0\" y=\"0\" width=\"%d\" "
		    "height=\"12\" fill=\"#eef1f4\"/><rect x=\"0\" y=\"1\" "
		    "width=\"%.1f\" height=\"10\" fill=\"#b71c1c\"/></svg></td>"
		    "</tr>\n",
		    BAR_W, BAR_W, BAR_W, (double)n * BAR_W / (double)max);
	}
	buf_puts(b, "<tr>");
	row_head(c, TR(c, "Có nêu ít nhất một lý do", "Naming any reason"),
	    TR(c, "Số lượt đánh giá hợp lệ có nêu ít nhất một lý do",
		"Valid ratings naming at least one reason"));
	figpage_cell(c, "reasons_given", (double)f->reasons_given, KIND_COUNT);
	buf_puts(b, "<td></td></tr>\n</tbody>\n</table>\n");
}

static void
why_visits_channels(
    struct ctx *c, const struct metric_figures *f, bool dossiers)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h3>");
	buf_html(b,
	    TR(c, "Số lần đi lại, kênh đánh giá, độ phủ",
		"Trips, channels, coverage"));
	buf_puts(b, "</h3>\n<table class=\"why\">\n<tbody>\n<tr>");
	row_head(c, TR(c, "Xong trong một lần", "Done in one visit"),
	    TR(c,
		"Tỷ lệ người dân chỉ phải đến một lần, trong số người trả lời "
		"câu hỏi số lần đi lại",
		"Share who came once, of those who answered the question on "
		"visits"));
	figpage_cell(c, "one_visit_rate", f->one_visit_rate, KIND_RATE);
	buf_puts(b, "</tr>\n<tr>");
	row_head(c, TR(c, "Số người trả lời số lần đi lại", "Answered visits"),
	    TR(c, "Số lượt đánh giá hợp lệ có trả lời số lần đi lại",
		"Valid ratings that answered the question on visits"));
	figpage_cell(
	    c, "visits_answered", (double)f->visits_answered, KIND_COUNT);
	buf_puts(b, "</tr>\n<tr>");
	row_head(c, TR(c, "Số lần đi lại trung bình", "Mean visits"),
	    TR(c, "Trung bình số lần phải đến", "Mean number of visits"));
	figpage_cell(c, "visits_mean", f->visits_mean, KIND_MEAN);
	buf_puts(b, "</tr>\n");
	if (dossiers) {
		buf_puts(b, "<tr>");
		row_head(c, TR(c, "Hồ sơ được đánh giá", "Dossiers rated"),
		    TR(c,
			"Tỷ lệ hồ sơ tiếp nhận trong tháng có ít nhất một lượt "
			"đánh giá hợp lệ",
			"Share of the month's dossiers with at least one "
			"valid rating"));
		buf_printf(b,
		    "<td class=\"num\" data-k=\"coverage_rate\" "
		    "data-v=\"");
		if (isnan(f->coverage_rate))
			buf_puts(b, "null\">—");
		else {
			buf_printf(b, "%.4f\">", f->coverage_rate);
			figpage_value(c, b, f->coverage_rate, KIND_RATE);
			buf_puts(b, " ");
			buf_html(b,
			    TR(c, "hồ sơ được đánh giá", "of dossiers rated"));
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");

	buf_puts(b, "<table class=\"channels\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Kênh", "Channel"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Số lượt", "Ratings"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Hài lòng", "Satisfied"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		char key[48];

		buf_printf(b, "<tr data-channel=\"%s\"><th scope=\"row\">",
		    rating_channel_name((enum rating_channel)i));
		buf_html(b, figpage_channel_label(c, i));
		buf_puts(b, "</th>");
		snprintf(key, sizeof(key), "ratings_%s",
		    rating_channel_name((enum rating_channel)i));
		figpage_cell(c, key, (double)f->channel_ratings[i], KIND_COUNT);
		snprintf(key, sizeof(key), "satisfied_rate_%s",
		    rating_channel_name((enum rating_channel)i));
		figpage_cell(c, key, f->channel_satisfied_rate[i], KIND_RATE);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
	legend(c,
	    "Hài lòng theo kênh: tỷ lệ đánh giá mức 4–5 trong số đánh giá "
	    "qua kênh đó.",
	    "Satisfied by channel: the share of level 4–5 among that "
	    "channel's ratings.");
}

static void
why_excluded(struct ctx *c, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h3>");
	buf_html(b, TR(c, "Không tính vào số liệu", "Excluded from figures"));
	buf_puts(b, "</h3>\n<table class=\"excluded\">\n<tbody>\n");
	for (int i = 0; i < EXCLUDED_COUNT; i++) {
		char key[32];

		buf_printf(b, "<tr data-status=\"%s\"><th scope=\"row\">",
		    excluded_keys[i]);
		buf_html(b, figpage_excluded_label(c, i));
		buf_puts(b, "</th>");
		snprintf(key, sizeof(key), "excluded_%s", excluded_keys[i]);
		figpage_cell(c, key, (double)f->excluded[i], KIND_COUNT);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
	legend(c,
	    "Lượt đánh giá được lưu nhưng không tính vào tỷ lệ nào: bấm liên "
	    "tiếp, trùng lặp, dùng sai mục đích hoặc rác.",
	    "Ratings kept but counted in no figure: rapid repeat presses, "
	    "duplicates, misuse or spam.");
}

void
figpage_why(struct ctx *c, const struct metrics *m,
    const struct metric_scope *s, bool dossiers)
{
	struct buf *b = &c->req->resp.body;
	struct metric_figures zero_f;
	struct metric_counts zero = { 0 };
	const struct metric_figures *f;

	if (s != NULL)
		f = &s->fig;
	else {
		metric_figures_compute(&zero, &m->rules, &zero_f);
		f = &zero_f;
	}
	buf_puts(b, "<section class=\"why\" id=\"why\">\n<h2>");
	buf_html(b, TR(c, "Vì sao", "Why"));
	buf_puts(b, "</h2>\n");
	why_reasons(c, m, s, f);
	why_visits_channels(c, f, dossiers);
	why_excluded(c, f);
	figpage_incl(c, f);
	buf_puts(b, "</section>\n");
}

void
figpage_reasons_cell(struct ctx *c, const struct metrics *m,
    const struct metric_scope *s, int max)
{
	struct buf *b = &c->req->resp.body;
	bool used[RATING_REASONS_MAX * 8] = { false };
	size_t nc = m->nreason_codes;
	int shown = 0;

	if (nc > sizeof(used) / sizeof(used[0]))
		nc = sizeof(used) / sizeof(used[0]);
	buf_puts(b, "<td class=\"reasons\" data-k=\"reasons\">");
	while (shown < max) {
		int64_t best = 0;
		size_t bi = 0;

		for (size_t i = 0; i < nc; i++) {
			int64_t n = used[i]
			    ? 0
			    : metric_scope_reason(s, m->reason_codes[i]);

			if (n > best) {
				best = n;
				bi = i;
			}
		}
		if (best == 0)
			break;
		used[bi] = true;
		buf_puts(b, shown > 0 ? "<br>" : "");
		buf_puts(b, "<span data-reason=\"");
		buf_html(b, m->reason_codes[bi]);
		buf_printf(b, "\" data-v=\"%lld\">", (long long)best);
		buf_html(b, figpage_reason_label(c, m, m->reason_codes[bi]));
		buf_printf(b, " (%lld)</span>", (long long)best);
		shown++;
	}
	if (shown == 0)
		buf_puts(b, "—");
	buf_puts(b, "</td>");
}

void
figpage_channels_cell(struct ctx *c, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;
	int shown = 0;

	buf_puts(b, "<td class=\"channels\" data-k=\"by_channel\">");
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		if (f->channel_ratings[i] == 0)
			continue;
		buf_puts(b, shown++ > 0 ? " · " : "");
		buf_printf(b, "<span data-channel=\"%s\" data-v=\"%lld\">",
		    rating_channel_name((enum rating_channel)i),
		    (long long)f->channel_ratings[i]);
		buf_html(b, figpage_channel_label(c, i));
		buf_printf(b, " %lld</span>", (long long)f->channel_ratings[i]);
	}
	if (shown == 0)
		buf_puts(b, "—");
	buf_puts(b, "</td>");
}
