/* page_overview.c -- a unit's month at a glance: figures, trends, flags. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/fmt.h"
#include "core/kiosks.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"

/* A headline figure: its key, words, kind, 766 indicator, scale. */
struct headline {
	const char *key;
	const char *vi, *en;
	enum figpage_kind kind;
	int point; /* enum metric_point, or -1 */
	double max;
	const char *hint_vi, *hint_en; /* what it is, in plain words */
};

static const struct headline headlines[] = {
	{ "ratings", "Số lượt đánh giá", "Ratings", KIND_COUNT, -1, 0,
	    "Lượt đánh giá hợp lệ trong tháng, qua mọi kênh.",
	    "Valid ratings of the month, every channel." },
	{ "satisfied_rate", "Tỷ lệ hài lòng", "Satisfied", KIND_RATE, -1, 1,
	    NULL, NULL },
	{ "dissatisfied_rate", "Tỷ lệ không hài lòng", "Dissatisfied",
	    KIND_RATE, -1,
	    1, "Tỷ lệ lượt đánh giá ở mức 1–2 (không hài lòng, rất không hài lòng).",
	    "The share of ratings at level 1–2." },
	{ "mean_level", "Mức hài lòng trung bình (1–5)", "Mean level (1–5)",
	    KIND_MEAN, -1, 5,
	    "Trung bình các mức đánh giá, từ 1 (rất không hài lòng) đến 5 (rất "
	    "hài lòng).",
	    "The mean of the levels, 1 (very dissatisfied) to 5 (very "
	    "satisfied)." },
	{ "ballot_score", "Điểm phiếu đánh giá (0–18)", "Ballot score (0–18)",
	    KIND_MEAN, -1, 18,
	    "Điểm trung bình của phiếu chín tiêu chí (mỗi tiêu chí 0–2 điểm), "
	    "trên các phiếu trả lời đủ chín tiêu chí.",
	    "The mean score of the nine-criteria ballot (0–2 each), over "
	    "ballots answering all nine." },
	{ "reported_supplement_rate", "Người dân báo phải bổ sung",
	    "Citizens report supplementing", KIND_RATE, -1, 1,
	    "Tỷ lệ người dân trả lời là đã phải bổ sung hồ sơ, trong số người "
	    "trả lời câu hỏi này.",
	    "The share who said they had to supplement their dossier, of those "
	    "who answered." },
	{ "dossiers", "Số hồ sơ tiếp nhận", "Dossiers received", KIND_COUNT, -1,
	    0, "Số hồ sơ tiếp nhận trong tháng (dữ liệu từ hệ thống một cửa).",
	    "Dossiers received in the month (from the one-stop system)." },
	{ "on_time_rate", "Tỷ lệ đúng hạn", "On time", KIND_RATE, POINT_21, 1,
	    "Tỷ lệ hồ sơ có hạn xử lý được trả đúng hạn.",
	    "The share of dossiers with a due date settled on time." },
	{ "online_rate", "Tỷ lệ hồ sơ trực tuyến", "Online dossiers", KIND_RATE,
	    POINT_33, 1, "Tỷ lệ hồ sơ nộp trực tuyến.",
	    "The share of dossiers filed online." },
	{ "full_online_rate", "Tỷ lệ trực tuyến toàn trình", "Fully online",
	    KIND_RATE, -1, 1, "Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình.",
	    "The share of dossiers handled fully online." },
	{ "digitized_rate", "Tỷ lệ số hóa hồ sơ", "Digitised", KIND_RATE,
	    POINT_42, 1, "Tỷ lệ hồ sơ được số hóa.",
	    "The share of dossiers digitised." },
	{ "handling_satisfaction_rate", "Mức độ hài lòng xử lý hồ sơ",
	    "Handling satisfaction", KIND_RATE, POINT_54, 1, NULL, NULL },
	{ "supplement_or_correction_rate", "Tỷ lệ phải bổ sung, sửa lỗi",
	    "Supplemented or corrected", KIND_RATE, -1, 1,
	    "Tỷ lệ hồ sơ phải bổ sung hoặc sửa lỗi (hệ thống ghi nhận).",
	    "The share of dossiers supplemented or corrected (recorded)." },
	{ NULL, NULL, NULL, KIND_COUNT, -1, 0, NULL, NULL },
};

static void
headline_table(struct ctx *c,
    struct metrics *const series[FIGPAGE_TREND_MONTHS],
    const struct metric_figures *f, int month)
{
	struct buf *b = &c->req->resp.body;
	int months[FIGPAGE_TREND_MONTHS];
	double v[FIGPAGE_TREND_MONTHS];

	for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++)
		months[i] = month_add(month, i - (FIGPAGE_TREND_MONTHS - 1));
	buf_puts(
	    b, "<table class=\"figures\" id=\"figures\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Chỉ số", "Figure"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Giá trị", "Value"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Điểm 766", "766 points"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "12 tháng", "12 months"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (const struct headline *h = headlines; h->key != NULL; h++) {
		const char *label = TR(c, h->vi, h->en);
		double max = h->max;

		buf_printf(b, "<tr data-row=\"%s\"><th scope=\"row\"", h->key);
		if (strcmp(h->key, "satisfied_rate") == 0) {
			buf_puts(b, " title=\"");
			buf_html(b, figpage_satisfied_hint(c));
			buf_puts(b, "\"");
		} else if (strcmp(h->key, "handling_satisfaction_rate") == 0) {
			buf_puts(b, " title=\"");
			buf_html(b, figpage_handling_hint(c));
			buf_puts(b, "\"");
		} else if (h->hint_vi != NULL) {
			buf_puts(b, " title=\"");
			buf_html(b, TR(c, h->hint_vi, h->hint_en));
			buf_puts(b, "\"");
		}
		buf_puts(b, ">");
		buf_html(b, label);
		buf_puts(b, "</th>");
		if (strcmp(h->key, "satisfied_rate") == 0)
			figpage_cell_ci(
			    c, h->key, f->satisfied_rate, f->satisfied_ci);
		else
			figpage_cell(
			    c, h->key, figpage_figure(f, h->key), h->kind);
		if (h->point >= 0) {
			char key[32];

			snprintf(key, sizeof(key), "points_%s",
			    metric_point_names[h->point]);
			figpage_cell(c, key, f->points[h->point], KIND_POINTS);
		} else
			buf_puts(b, "<td></td>");
		for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++) {
			v[i] = series[i] != NULL
			    ? figpage_figure(&series[i]->total.fig, h->key)
			    : NAN;
			if (h->kind == KIND_COUNT && !isnan(v[i]) && v[i] > max)
				max = v[i];
		}
		buf_puts(b, "<td>");
		figpage_trend(c, h->key, label, months, v, FIGPAGE_TREND_MONTHS,
		    max, h->kind);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "<tr data-row=\"points\"><th scope=\"row\">");
	buf_html(b,
	    TR(c, "Tổng điểm 766 theo dõi (tối đa 36)",
		"766 points tracked (of 36)"));
	buf_puts(b, "</th><td></td>");
	figpage_cell(c, "points_total", figpage_points_total(f), KIND_POINTS);
	for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++)
		v[i] = series[i] != NULL
		    ? figpage_points_total(&series[i]->total.fig)
		    : NAN;
	buf_puts(b, "<td>");
	figpage_trend(c, "points_total", TR(c, "Tổng điểm 766", "766 points"),
	    months, v, FIGPAGE_TREND_MONTHS, 36, KIND_POINTS);
	buf_puts(b, "</td></tr>\n</tbody>\n</table>\n");
	figpage_legend(c,
	    FIGPAGE_LEGEND_SATISFACTION | FIGPAGE_LEGEND_CI |
		FIGPAGE_LEGEND_POINTS);
}

static int
by_severity(const void *a, const void *b)
{
	const struct metric_scope *x = *(const struct metric_scope *const *)a;
	const struct metric_scope *y = *(const struct metric_scope *const *)b;

	if (x->fig.severity[0] != y->fig.severity[0])
		return x->fig.severity[0] > y->fig.severity[0] ? -1 : 1;
	return 0;
}

static void
flag_list(
    struct ctx *c, const struct console_unit *u, struct metrics *m, int month)
{
	struct buf *b = &c->req->resp.body;
	const struct metric_list *lists[3] = { &m->procedures, &m->counters,
		&m->officers };
	const struct metric_scope **v;
	size_t n = 0, cap = m->procedures.n + m->counters.n + m->officers.n;
	bool manager = figpage_is_manager(c);

	buf_puts(b, "<h2 id=\"flags\">");
	buf_html(b, TR(c, "Cảnh báo theo mức độ", "Flags by severity"));
	buf_puts(b, "</h2>\n");
	v = calloc(cap + 1, sizeof(const struct metric_scope *));
	if (v == NULL)
		abort();
	for (int l = 0; l < 3; l++) {
		/* counters and officers are for managers */
		if (l > 0 && !manager)
			continue;
		for (size_t i = 0; i < lists[l]->n; i++)
			if (lists[l]->v[i].fig.nflags > 0)
				v[n++] = &lists[l]->v[i];
	}
	if (n == 0) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Không có cảnh báo trong tháng.",
			"No flags this month."));
		buf_puts(b, "</p>\n");
		free(v);
		return;
	}
	qsort(v, n, sizeof(const struct metric_scope *), by_severity);
	buf_puts(b, "<table class=\"flaglist\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Đối tượng", "What"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Đánh giá", "Ratings"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Hồ sơ", "Dossiers"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "Cảnh báo", "Flags"));
	buf_puts(b, "</th><th class=\"num\" title=\"");
	buf_html(b, figpage_severity_hint(c));
	buf_puts(b, "\">");
	buf_html(b, TR(c, "Độ nghiêm trọng", "Severity"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct metric_scope *s = v[i];

		buf_puts(b, "<tr><td>");
		if (s->kind == SCOPE_PROCEDURE) {
			buf_printf(b, "<a href=\"/admin/units/%s/procedures/%s",
			    u->code, s->code);
			figpage_month_query(c, b, month);
			buf_printf(
			    b, "\"><span class=\"code\">%s</span> ", s->code);
			buf_html(b, s->name);
			buf_puts(b, "</a>");
		} else if (s->kind == SCOPE_COUNTER) {
			buf_printf(
			    b, "<a href=\"/admin/units/%s/counters", u->code);
			figpage_month_query(c, b, month);
			buf_puts(b, "\">");
			setup_counter_label(c, b, s->counter, s->name);
			buf_printf(
			    b, "</a> <span class=\"code\">%s</span>", s->unit);
		} else {
			buf_printf(
			    b, "<a href=\"/admin/units/%s/officers", u->code);
			figpage_month_query(c, b, month);
			buf_puts(b, "\">");
			buf_html(b, TR(c, "Cán bộ", "Officer"));
			buf_puts(b, " <span class=\"code\">");
			buf_html(b, s->code);
			buf_puts(b, "</span> ");
			buf_html(b, s->name);
			buf_puts(b, "</a>");
		}
		buf_puts(b, "</td>");
		figpage_cell(c, "ratings", (double)s->fig.ratings, KIND_COUNT);
		figpage_cell(
		    c, "dossiers", (double)s->fig.dossiers, KIND_COUNT);
		figpage_flags_cell(c, &s->fig);
		buf_printf(b,
		    "<td class=\"num\" data-k=\"severity\" "
		    "data-v=\"%.4f\">",
		    s->fig.severity[0]);
		figpage_severity(c, b, s->fig.severity[0]);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
	figpage_legend(c, FIGPAGE_LEGEND_SEVERITY);
	free(v);
}

static void
kiosks_offline(struct ctx *c, const struct console_unit *u)
{
	struct buf *b = &c->req->resp.body;
	json_t *list = kiosks_list_json(ctx_db(c), u->code, hl_now());
	json_t *k;
	size_t i;
	int n = 0;

	buf_puts(b, "<h2 id=\"kiosks\">");
	buf_html(b, TR(c, "Ki-ốt mất kết nối", "Kiosks offline"));
	buf_puts(b, "</h2>\n");
	if (list == NULL) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Không đọc được danh sách ki-ốt.",
			"The kiosk list could not be read."));
		buf_puts(b, "</p>\n");
		return;
	}
	json_array_foreach(list, i, k)
	{
		const char *state =
		    json_string_value(json_object_get(k, "state"));
		const char *seen =
		    json_string_value(json_object_get(k, "last_seen"));
		int64_t t = 0;
		bool known;

		if (state == NULL || strcmp(state, "active") != 0 ||
		    json_is_true(json_object_get(k, "online")))
			continue;
		if (n++ == 0) {
			buf_puts(
			    b, "<table class=\"kiosks\">\n<thead><tr><th>");
			buf_html(b, TR(c, "Ki-ốt", "Kiosk"));
			buf_puts(b, "</th><th>");
			buf_html(b, TR(c, "Đơn vị", "Unit"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b, TR(c, "Quầy", "Counter"));
			buf_puts(b, "</th><th>");
			buf_html(b, TR(c, "Liên lạc lần cuối", "Last seen"));
			buf_puts(b, "</th></tr></thead>\n<tbody>\n");
		}
		known =
		    seen != NULL && rfc3339_parse(seen, strlen(seen), &t) == 0;
		buf_puts(b, "<tr class=\"offline\"><td class=\"code\">");
		buf_html(b, json_string_value(json_object_get(k, "id")));
		buf_puts(b, "</td><td class=\"code\">");
		buf_html(b, json_string_value(json_object_get(k, "unit")));
		buf_printf(b, "</td><td class=\"num\">%lld</td><td>",
		    (long long)json_integer_value(
			json_object_get(k, "counter")));
		if (known)
			fmt_datetime(b, c->lang, t);
		else
			buf_puts(b, "—");
		buf_puts(b, "</td></tr>\n");
	}
	if (n > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	else {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Mọi ki-ốt đang hoạt động đều kết nối.",
			"Every active kiosk is online."));
		buf_puts(b, "</p>\n");
	}
	json_decref(list);
}

static void
subunits(struct ctx *c, const struct console_unit *u, int month)
{
	struct buf *b = &c->req->resp.body;
	struct db_stmt *st;
	bool any = false;

	st = db_query(ctx_db(c),
	    "SELECT code, name FROM units WHERE parent = ? ORDER BY code", "t",
	    u->code);
	while (st != NULL && db_step(st) == DB_ROW) {
		if (!any) {
			buf_puts(b, "<h2>");
			buf_html(b, tr(c->lang, M_NAV_SUBUNITS));
			buf_puts(b, "</h2>\n<ul class=\"units\">\n");
			any = true;
		}
		buf_printf(
		    b, "<li><a href=\"/admin/units/%s", db_col_text(st, 0));
		figpage_month_query(c, b, month);
		buf_puts(b, "\">");
		buf_html(b, db_col_text(st, 1));
		buf_printf(b, "</a> <span class=\"code\">%s</span></li>\n",
		    db_col_text(st, 0));
	}
	db_done(st);
	if (any)
		buf_puts(b, "</ul>\n");
}

void
page_admin_unit(struct ctx *c)
{
	static const char *const allowed[] = { "month", NULL };
	struct metrics *series[FIGPAGE_TREND_MONTHS] = { 0 };
	struct console_unit u;
	struct buf *b, path = { 0 };
	struct metrics *m;
	char ms[8];
	int month;

	if (console_unit(c, 0, &u) < 0 || figpage_query(c, allowed) < 0 ||
	    figpage_month(c, &month) < 0)
		return;
	m = figpage_metrics(c, u.code, month);
	if (m == NULL)
		return;
	figpage_series(c, u.code, month, series);
	console_begin(c, &u, u.name, "");
	b = &c->req->resp.body;
	buf_printf(&path, "/admin/units/%s", u.code);
	figpage_month_form(c, buf_str(&path), month);
	figpage_period_value(c, month, ms);
	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Số liệu", "Figures of"));
	buf_printf(b, " <span data-k=\"month\" data-v=\"%s\">", ms);
	figpage_period_label(c, b, month);
	buf_puts(b, "</span></h2>\n");
	headline_table(c, series, &m->total.fig, month);
	flag_list(c, &u, m, month);
	kiosks_offline(c, &u);
	subunits(c, &u, month);
	console_end(c);
	buf_release(&path);
	figpage_series_free(series);
	metrics_free(m);
}
