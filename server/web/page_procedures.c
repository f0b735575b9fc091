/* page_procedures.c -- the procedures of a unit's month: table and page. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/procedures.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

/* --- the table ---------------------------------------------------------- */

/* The columns one may sort by: query value, figure key (NULL: special). */
static const struct sort_key {
	const char *name;
	const char *figure;
} sort_keys[] = {
	{ "severity", NULL },
	{ "code", NULL },
	{ "ratings", "ratings" },
	{ "satisfied", "satisfied_rate" },
	{ "supplement", "supplement_or_correction_rate" },
	{ "reported", "reported_supplement_rate" },
	{ "online", "online_rate" },
	{ "on_time", "on_time_rate" },
	{ "dossiers", "dossiers" },
	{ NULL, NULL },
};

struct row {
	const struct metric_scope *s;
	double key;
	bool desc;
};

static int
row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int r;

	/* figures without a value go last, whatever the direction */
	if (isnan(a->key) != isnan(b->key))
		return isnan(a->key) ? 1 : -1;
	if (!isnan(a->key) && a->key != b->key)
		r = a->key < b->key ? -1 : 1;
	else
		r = strcmp(a->s->code, b->s->code);
	return a->desc ? -r : r;
}

static double
severity(const struct metric_scope *s)
{
	return s->fig.nflags > 0 ? s->fig.severity[0] : 0;
}

/* A column header that sorts by `key` (the other way when it already does). */
static void
sort_header(struct ctx *c, const char *unit, int month, const char *key,
    const char *label, const char *cur, bool desc, const char *flag,
    const char *field)
{
	struct buf *b = &c->req->resp.body;
	bool on = strcmp(cur, key) == 0;

	buf_printf(b,
	    "<th class=\"num\"%s><a href=\"/admin/units/%s/procedures",
	    on ? (desc ? " aria-sort=\"descending\""
		       : " aria-sort=\"ascending\"")
	       : "",
	    unit);
	figpage_month_query(c, b, month);
	buf_printf(
	    b, "&amp;sort=%s&amp;dir=%s", key, on && !desc ? "desc" : "asc");
	if (flag != NULL) {
		buf_puts(b, "&amp;flag=");
		buf_urlenc(b, flag);
	}
	if (field != NULL) {
		buf_puts(b, "&amp;field=");
		buf_urlenc(b, field);
	}
	buf_puts(b, "\">");
	buf_html(b, label);
	if (on)
		buf_puts(b, desc ? " ▼" : " ▲");
	buf_puts(b, "</a></th>");
}

/* The field filter's options: the one chosen (or NULL) is selected. */
struct field_option {
	struct ctx *c;
	const char *chosen;
};

static void
field_option(void *arg, const char *f)
{
	const struct field_option *fo = arg;
	struct buf *b = &fo->c->req->resp.body;

	buf_puts(b, "<option value=\"");
	buf_html(b, f);
	buf_printf(b, "\"%s>",
	    fo->chosen != NULL && strcmp(fo->chosen, f) == 0 ? " selected"
							     : "");
	buf_html(b, f);
	buf_puts(b, "</option>\n");
}

static void
filter_form(struct ctx *c, const char *unit, int month, const char *flag,
    const char *field)
{
	struct buf *b = &c->req->resp.body;
	struct field_option fo = { c, field };
	char ms[8];

	figpage_period_value(c, month, ms);
	buf_printf(b,
	    "<form class=\"filters\" method=\"get\" "
	    "action=\"/admin/units/%s/procedures\">\n"
	    "<input type=\"hidden\" name=\"month\" value=\"%s\">\n",
	    unit, ms);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_puts(b, "<label for=\"flag\">");
	buf_html(b, TR(c, "Cảnh báo", "Flag"));
	buf_puts(
	    b, "</label>\n<select id=\"flag\" name=\"flag\">\n<option value=\"\">");
	buf_html(b, TR(c, "— Tất cả —", "— All —"));
	buf_printf(b, "</option>\n<option value=\"any\"%s>",
	    flag != NULL && strcmp(flag, "any") == 0 ? " selected" : "");
	buf_html(b, TR(c, "Có cảnh báo", "Any flag"));
	buf_puts(b, "</option>\n");
	for (int i = 0; i < FLAG_COUNT; i++) {
		const char *name = metric_flag_name((enum metric_flag)i);

		buf_printf(b, "<option value=\"%s\"%s>", name,
		    flag != NULL && strcmp(flag, name) == 0 ? " selected" : "");
		buf_html(b, figpage_flag_label(c, (enum metric_flag)i));
		buf_puts(b, "</option>\n");
	}
	buf_puts(b, "</select>\n<label for=\"field\">");
	buf_html(b, TR(c, "Lĩnh vực", "Field"));
	buf_puts(b,
	    "</label>\n<select id=\"field\" name=\"field\">\n<option "
	    "value=\"\">");
	buf_html(b, TR(c, "— Tất cả —", "— All —"));
	buf_puts(b, "</option>\n");
	procedures_each_field(ctx_db(c), field_option, &fo);
	buf_puts(b, "</select>\n<button type=\"submit\">");
	buf_html(b, TR(c, "Lọc", "Filter"));
	buf_puts(b, "</button>\n</form>\n");
}

static bool
has_flag(const struct metric_figures *f, const char *flag)
{
	if (strcmp(flag, "any") == 0)
		return f->nflags > 0;
	for (int i = 0; i < f->nflags; i++)
		if (strcmp(metric_flag_name(f->flags[i]), flag) == 0)
			return true;
	return false;
}

/* The table's query: sort, direction, filters, checked. */
struct table_query {
	const struct sort_key *sk;
	const char *sort, *flag, *field; /* flag, field: NULL for all */
	bool desc;
	int month;
};

static int
parse_sort(struct ctx *c, struct table_query *q)
{
	const char *dir = form_get(&c->query, "dir");

	q->sort = form_get(&c->query, "sort");
	if (q->sort == NULL || q->sort[0] == '\0')
		q->sort = "severity";
	for (const struct sort_key *k = sort_keys; k->name != NULL; k++)
		if (strcmp(k->name, q->sort) == 0)
			q->sk = k;
	if (q->sk == NULL) {
		/* the codes are the links of the table's headers */
		console_error(c, NULL, 400,
		    "Không sắp xếp được theo cột này; hãy bấm vào tên cột "
		    "trong bảng thủ tục. Giá trị nhận được:",
		    "Cannot sort by that. Use one of: severity, code, ratings, "
		    "satisfied, supplement, reported, online, on_time, "
		    "dossiers:",
		    q->sort);
		return -1;
	}
	if (dir != NULL && dir[0] != '\0' && strcmp(dir, "asc") != 0 &&
	    strcmp(dir, "desc") != 0) {
		console_error(c, NULL, 400,
		    "Chiều sắp xếp phải là tăng dần hoặc giảm dần; hãy bấm vào "
		    "tên cột trong bảng thủ tục. Giá trị nhận được:",
		    "The direction must be asc or desc:", dir);
		return -1;
	}
	/* severity: most severe first unless asked otherwise */
	q->desc = dir != NULL && dir[0] != '\0'
	    ? strcmp(dir, "desc") == 0
	    : strcmp(q->sort, "severity") == 0;
	return 0;
}

static int
parse_flag(struct ctx *c, struct table_query *q)
{
	bool known = false;

	q->flag = form_get(&c->query, "flag");
	if (q->flag != NULL && q->flag[0] == '\0')
		q->flag = NULL;
	if (q->flag == NULL || strcmp(q->flag, "any") == 0)
		return 0;
	for (int i = 0; i < FLAG_COUNT; i++)
		known = known ||
		    strcmp(q->flag, metric_flag_name((enum metric_flag)i)) == 0;
	if (known)
		return 0;
	console_error(c, NULL, 400,
	    "Cảnh báo không hợp lệ; hãy chọn trong danh sách “Cảnh báo” "
	    "của trang thủ tục. Giá trị nhận được:",
	    "Unknown flag. Use any, LOW_SATISFACTION, "
	    "HIGH_SUPPLEMENT, LOW_ONLINE or LATE:",
	    q->flag);
	return -1;
}

static int
parse_field(struct ctx *c, struct table_query *q)
{
	const char *field = form_get(&c->query, "field");

	q->field = field != NULL && field[0] != '\0' ? field : NULL;
	if (q->field == NULL)
		return 0;
	if (strlen(field) <= 300 && utf8_is_valid(field, strlen(field)) &&
	    procedures_has_field(ctx_db(c), field))
		return 0;
	console_error(c, NULL, 400, "Không có lĩnh vực thủ tục này:",
	    "There is no such field of procedures:",
	    utf8_is_valid(field, strlen(field)) ? field : "?");
	return -1;
}

/*
 * The rows the filters keep, into rows (room for every procedure), with
 * their sort keys; sorted.  Their number.
 */
static size_t
table_rows(struct ctx *c, const struct metrics *m, const struct table_query *q,
    struct row *rows)
{
	struct procedure_codes in_field = { 0 };
	size_t n = 0;

	if (q->field != NULL)
		procedures_of_field(ctx_db(c), q->field, &in_field);
	for (size_t i = 0; i < m->procedures.n; i++) {
		const struct metric_scope *s = &m->procedures.v[i];

		if (s->code[0] == '\0')
			continue; /* ratings that named no procedure */
		if (q->flag != NULL && !has_flag(&s->fig, q->flag))
			continue;
		if (q->field != NULL &&
		    !procedure_codes_has(&in_field, s->code))
			continue;
		rows[n].s = s;
		rows[n].desc = q->desc;
		if (q->sk->figure != NULL)
			rows[n].key = figpage_figure(&s->fig, q->sk->figure);
		else if (strcmp(q->sk->name, "severity") == 0)
			rows[n].key = severity(s);
		else
			rows[n].key = 0; /* code: ties broken by code */
		n++;
	}
	procedure_codes_release(&in_field);
	qsort(rows, n, sizeof(*rows), row_cmp);
	return n;
}

static void
table_head(struct ctx *c, const char *unit, const struct table_query *q)
{
	static const struct {
		const char *key, *vi, *en;
	} cols[] = {
		{ "code", "Thủ tục", "Procedure" },
		{ "ratings", "Đánh giá", "Ratings" },
		{ "satisfied", "Hài lòng [khoảng tin cậy]",
		    "Satisfied [confidence interval]" },
		{ "supplement", "Bổ sung, sửa lỗi",
		    "Supplemented or corrected" },
		{ "reported", "Người dân báo bổ sung",
		    "Citizens report supplementing" },
		{ "online", "Trực tuyến", "Online" },
		{ "on_time", "Đúng hạn", "On time" },
		{ "dossiers", "Hồ sơ", "Dossiers" },
		{ "severity", "Cảnh báo", "Flags" },
	};
	struct buf *b = &c->req->resp.body;

	buf_puts(b,
	    "<table class=\"procedures\" id=\"procedures\">\n"
	    "<thead><tr>");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		sort_header(c, unit, q->month, cols[i].key,
		    TR(c, cols[i].vi, cols[i].en), q->sort, q->desc, q->flag,
		    q->field);
	buf_puts(b, "</tr></thead>\n<tbody>\n");
}

static void
table_row(
    struct ctx *c, const char *unit, int month, const struct metric_scope *s)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b,
	    "<tr data-procedure=\"%s\"><td><a "
	    "href=\"/admin/units/%s/procedures/%s",
	    s->code, unit, s->code);
	figpage_month_query(c, b, month);
	buf_printf(b, "\"><span class=\"code\">%s</span> ", s->code);
	buf_html(b, s->name);
	buf_puts(b, "</a></td>");
	figpage_cell(c, "ratings", (double)s->fig.ratings, KIND_COUNT);
	figpage_cell_ci(
	    c, "satisfied_rate", s->fig.satisfied_rate, s->fig.satisfied_ci);
	figpage_cell(c, "supplement_or_correction_rate",
	    s->fig.supplement_or_correction_rate, KIND_RATE);
	figpage_cell(c, "reported_supplement_rate",
	    s->fig.reported_supplement_rate, KIND_RATE);
	figpage_cell(c, "online_rate", s->fig.online_rate, KIND_RATE);
	figpage_cell(c, "on_time_rate", s->fig.on_time_rate, KIND_RATE);
	figpage_cell(c, "dossiers", (double)s->fig.dossiers, KIND_COUNT);
	figpage_flags_cell(c, &s->fig);
	buf_puts(b, "</tr>\n");
}

/* The month form, the filters and the table (or "none"). */
static void
table_page(struct ctx *c, const char *unit, const struct table_query *q,
    const struct row *rows, size_t n)
{
	struct buf *b = &c->req->resp.body;
	struct buf path = { 0 };

	buf_printf(&path, "/admin/units/%s/procedures", unit);
	figpage_month_form(c, buf_str(&path), q->month);
	buf_release(&path);
	filter_form(c, unit, q->month, q->flag, q->field);
	if (n == 0) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c,
			"Không có thủ tục nào có số liệu trong tháng "
			"(theo bộ lọc).",
			"No procedure has figures this month (with these "
			"filters)."));
		buf_puts(b, "</p>\n");
		return;
	}
	table_head(c, unit, q);
	for (size_t i = 0; i < n; i++)
		table_row(c, unit, q->month, rows[i].s);
	buf_puts(b, "</tbody>\n</table>\n");
	figpage_legend(c, FIGPAGE_LEGEND_CI | FIGPAGE_LEGEND_SEVERITY);
}

void
page_procedures(struct ctx *c)
{
	static const char *const allowed[] = { "month", "sort", "dir", "flag",
		"field", NULL };
	struct console_unit u;
	struct table_query q = { 0 };
	struct metrics *m;
	struct row *rows;
	size_t n;

	if (console_unit(c, 0, &u) < 0 || figpage_query(c, allowed) < 0 ||
	    figpage_month(c, &q.month) < 0 || parse_sort(c, &q) < 0 ||
	    parse_flag(c, &q) < 0 || parse_field(c, &q) < 0)
		return;
	m = figpage_metrics(c, u.code, q.month);
	if (m == NULL)
		return;
	rows = calloc(m->procedures.n + 1, sizeof(*rows));
	if (rows == NULL)
		abort();
	n = table_rows(c, m, &q, rows);
	console_begin(c, &u, TR(c, "Thủ tục", "Procedures"), "procedures");
	table_page(c, u.code, &q, rows, n);
	console_end(c);
	free(rows);
	metrics_free(m);
}

/* --- one procedure ------------------------------------------------------ */

/* The nine criteria of the one-stop ballot (Thông tư 01/2018), short. */
static const char *const criteria[RATING_CRITERIA][2] = {
	{ "Tổng thời gian giải quyết so với quy định",
	    "Total handling time against the legal limit" },
	{ "Thời gian của từng cơ quan", "Time taken by each office" },
	{ "Số lần phải liên hệ", "Contacts needed to complete the dossier" },
	{ "Số cơ quan phải liên hệ", "Offices the citizen had to contact" },
	{ "Tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa",
	    "Reception, handling and return at the one-stop desk" },
	{ "Công khai thủ tục hành chính", "Publicity of the procedure" },
	{ "Thái độ của cán bộ", "Attitude of the officers" },
	{ "Tiếp nhận, trả lời phản ánh, kiến nghị",
	    "Reception of and answers to feedback" },
	{ "Tiến độ, chất lượng dịch vụ công trực tuyến",
	    "Progress and quality of the online service" },
};

static const char *const level_names[5][2] = {
	{ "Rất không hài lòng", "Very dissatisfied" },
	{ "Không hài lòng", "Dissatisfied" },
	{ "Bình thường", "Neutral" },
	{ "Hài lòng", "Satisfied" },
	{ "Rất hài lòng", "Very satisfied" },
};

struct trend_def {
	const char *key, *vi, *en;
	enum figpage_kind kind;
	double max;
};

static const struct trend_def proc_trends[] = {
	{ "ratings", "Số lượt đánh giá", "Ratings", KIND_COUNT, 0 },
	{ "satisfied_rate", "Tỷ lệ hài lòng", "Satisfied", KIND_RATE, 1 },
	{ "supplement_or_correction_rate", "Tỷ lệ phải bổ sung, sửa lỗi",
	    "Supplemented or corrected", KIND_RATE, 1 },
	{ "online_rate", "Tỷ lệ trực tuyến", "Online", KIND_RATE, 1 },
	{ "on_time_rate", "Tỷ lệ đúng hạn", "On time", KIND_RATE, 1 },
	{ "handling_satisfaction_rate", "Mức độ hài lòng xử lý hồ sơ",
	    "Handling satisfaction", KIND_RATE, 1 },
	{ NULL, NULL, NULL, KIND_COUNT, 0 },
};

/* The procedure's figures in m (zero counts when it has no data). */
static void
proc_figures(const struct metrics *m, const char *code,
    struct metric_figures *f, struct metric_counts *counts)
{
	const struct metric_scope *s =
	    figpage_find(&m->procedures, code, NULL, 0);
	struct metric_counts zero = { 0 };

	if (s != NULL) {
		*f = s->fig;
		if (counts != NULL)
			*counts = s->counts;
		return;
	}
	metric_figures_compute(&zero, &m->rules, f);
	if (counts != NULL)
		*counts = zero;
}

static void
proc_trends_table(struct ctx *c,
    struct metrics *const series[FIGPAGE_TREND_MONTHS], const char *code,
    int month)
{
	struct buf *b = &c->req->resp.body;
	struct metric_figures f[FIGPAGE_TREND_MONTHS];
	int months[FIGPAGE_TREND_MONTHS];
	double v[FIGPAGE_TREND_MONTHS];

	for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++) {
		months[i] = month_add(month, i - (FIGPAGE_TREND_MONTHS - 1));
		if (series[i] != NULL)
			proc_figures(series[i], code, &f[i], NULL);
	}
	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Xu hướng 12 tháng", "12-month trends"));
	buf_puts(b, "</h2>\n<div class=\"trends\">\n");
	for (const struct trend_def *t = proc_trends; t->key != NULL; t++) {
		double max = t->max;

		for (int i = 0; i < FIGPAGE_TREND_MONTHS; i++) {
			v[i] = series[i] != NULL ? figpage_figure(&f[i], t->key)
						 : NAN;
			if (t->kind == KIND_COUNT && !isnan(v[i]) && v[i] > max)
				max = v[i];
		}
		figpage_trend(c, t->key, TR(c, t->vi, t->en), months, v,
		    FIGPAGE_TREND_MONTHS, max, t->kind);
	}
	buf_puts(b, "</div>\n");
}

static void
levels_table(struct ctx *c, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Phân bố mức hài lòng", "Distribution of levels"));
	buf_puts(b,
	    "</h2>\n<table class=\"levels\" id=\"levels\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Mức", "Level"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Số lượt", "Count"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Tỷ lệ", "Share"));
	/* the bars' scale: a share of the month's ratings, 0 to 100 % */
	buf_puts(b, "</th><th class=\"rbar\"><span class=\"axis\" title=\"");
	buf_html(b,
	    TR(c,
		"Thang đo của các thanh: tỷ lệ trong số lượt đánh "
		"giá của tháng",
		"The bars' scale: the share of the month's ratings"));
	buf_puts(b, "\"><span>");
	fmt_percent(b, c->lang, 0, 0);
	buf_puts(b, "</span><span>");
	fmt_percent(b, c->lang, 1, 0);
	buf_puts(b, "</span></span></th></tr></thead>\n<tbody>\n");
	for (int l = 5; l >= 1; l--) {
		int64_t k = f->by_level[l - 1];
		double share =
		    f->ratings > 0 ? metric_round_ratio(k, f->ratings, 4) : NAN;
		char key[32];

		buf_printf(
		    b, "<tr data-level=\"%d\"><th scope=\"row\">%d · ", l, l);
		buf_html(b, level_names[l - 1][c->lang == LANG_EN]);
		buf_puts(b, "</th>");
		snprintf(key, sizeof(key), "n%d", l);
		figpage_cell(c, key, (double)k, KIND_COUNT);
		snprintf(key, sizeof(key), "share%d", l);
		figpage_cell(c, key, share, KIND_RATE);
		buf_printf(b,
		    "<td class=\"rbar\"><svg "
		    "xmlns=\"http://www.w3.org/2000/svg\" "
		    "width=\"160\" "
		    "height=\"12\" viewBox=\"0 0 160 12\" "
		    "preserveAspectRatio=\"none\" aria-hidden=\"true\">"
		    "<rect x=\"0\" y=\"1\" width=\"%.1f\" height=\"10\" "
		    "fill=\"%s\"/></svg></td></tr>\n",
		    isnan(share) ? 0.0 : share * 160,
		    l >= 4 ? "#2e7d32" : (l == 3 ? "#9e9e9e" : "#b71c1c"));
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

static void
criteria_table(struct ctx *c, const struct metric_figures *f,
    const struct metric_counts *k)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h2>");
	buf_html(
	    b, TR(c, "Chín tiêu chí (0–2 điểm)", "The nine criteria (0–2)"));
	buf_puts(b,
	    "</h2>\n<table class=\"criteria\" "
	    "id=\"criteria\">\n<thead><tr><th>");
	buf_html(b, TR(c, "Tiêu chí", "Criterion"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Số trả lời", "Answers"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Điểm trung bình", "Mean points"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < RATING_CRITERIA; i++) {
		char key[40];

		buf_printf(b,
		    "<tr data-criterion=\"%d\"><th scope=\"row\">%d. ", i + 1,
		    i + 1);
		buf_html(b, criteria[i][c->lang == LANG_EN]);
		buf_puts(b, "</th>");
		snprintf(key, sizeof(key), "criteria_n_%d", i + 1);
		figpage_cell(c, key, (double)k->criteria_n[i], KIND_COUNT);
		snprintf(key, sizeof(key), "criteria_mean_%d", i + 1);
		figpage_cell(c, key, f->criteria_mean[i], KIND_MEAN);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "<tr><th scope=\"row\">");
	buf_html(b,
	    TR(c, "Điểm phiếu (đủ 9 tiêu chí, 0–18)",
		"Ballot score (all nine, 0–18)"));
	buf_puts(b, "</th>");
	figpage_cell(c, "ballot_n", (double)k->ballot_n, KIND_COUNT);
	figpage_cell(c, "ballot_score", f->ballot_score, KIND_MEAN);
	buf_puts(b, "</tr>\n</tbody>\n</table>\n");
}

static void
supplement_table(struct ctx *c, const struct metric_figures *f,
    const struct metric_counts *k)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h2>");
	buf_html(b,
	    TR(c, "Bổ sung hồ sơ: người dân báo và hệ thống ghi nhận",
		"Supplements: reported by citizens and recorded"));
	buf_puts(b,
	    "</h2>\n<table class=\"sidebyside\" id=\"supplement\">\n"
	    "<thead><tr><th><span class=\"vh\">");
	buf_html(b, TR(c, "Chỉ số", "Figure"));
	buf_puts(b, "</span></th><th class=\"num\">");
	buf_html(b, TR(c, "Người dân báo", "Citizens report"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Hệ thống ghi nhận", "Recorded"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Tỷ lệ phải bổ sung", "Had to supplement"));
	buf_puts(b, "</th>");
	figpage_cell(c, "reported_supplement_rate", f->reported_supplement_rate,
	    KIND_RATE);
	figpage_cell(c, "supplement_rate", f->supplement_rate, KIND_RATE);
	buf_puts(b, "</tr>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Trên tổng số", "Out of"));
	buf_puts(b, "</th>");
	figpage_cell(c, "supplement_answered", (double)k->supplement_answered,
	    KIND_COUNT);
	figpage_cell(c, "dossiers", (double)f->dossiers, KIND_COUNT);
	buf_puts(b, "</tr>\n<tr><th scope=\"row\">");
	buf_html(b,
	    TR(c, "Bổ sung hoặc sửa lỗi (ghi nhận)",
		"Supplemented or corrected (recorded)"));
	buf_puts(b, "</th><td></td>");
	figpage_cell(c, "supplement_or_correction_rate",
	    f->supplement_or_correction_rate, KIND_RATE);
	buf_puts(b, "</tr>\n</tbody>\n</table>\n");
}

static void
dossier_table(struct ctx *c, const struct metric_figures *f,
    const struct metric_counts *k)
{
	static const struct {
		const char *key, *vi, *en;
		int point;
	} rows[] = {
		{ "online_rate", "Trực tuyến", "Online", POINT_33 },
		{ "full_online_rate", "Trực tuyến toàn trình", "Fully online",
		    -1 },
		{ "on_time_rate", "Đúng hạn", "On time", POINT_21 },
		{ "supplement_rate", "Phải bổ sung", "Supplemented", -1 },
		{ "multi_supplement_rate", "Bổ sung từ 2 lần",
		    "Supplemented twice or more", -1 },
		{ "correction_rate", "Phải sửa lỗi", "Corrected", -1 },
		{ "digitized_rate", "Số hóa", "Digitised", POINT_42 },
		{ "handling_satisfaction_rate", "Hài lòng xử lý hồ sơ",
		    "Handling satisfaction", POINT_54 },
		{ NULL, NULL, NULL, -1 },
	};
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Hồ sơ", "Dossiers"));
	buf_puts(b,
	    "</h2>\n<table class=\"dossiers\" id=\"dossiers\">\n"
	    "<thead><tr><th><span class=\"vh\">");
	buf_html(b, TR(c, "Chỉ số", "Figure"));
	buf_puts(b, "</span></th><th class=\"num\">");
	buf_html(b, TR(c, "Giá trị", "Value"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Điểm 766", "766 points"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Hồ sơ tiếp nhận", "Received"));
	buf_puts(b, "</th>");
	figpage_cell(c, "dossiers", (double)f->dossiers, KIND_COUNT);
	buf_puts(b, "<td></td></tr>\n<tr><th scope=\"row\">");
	buf_html(b,
	    TR(c, "Có hạn xử lý (được xét đúng hạn)",
		"With a due date (judged)"));
	buf_puts(b, "</th>");
	figpage_cell(c, "judged", (double)k->judged, KIND_COUNT);
	buf_puts(b, "<td></td></tr>\n");
	for (int i = 0; rows[i].key != NULL; i++) {
		buf_puts(b, "<tr><th scope=\"row\"");
		if (strcmp(rows[i].key, "handling_satisfaction_rate") == 0) {
			buf_puts(b, " title=\"");
			buf_html(b, figpage_handling_hint(c));
			buf_puts(b, "\"");
		}
		buf_puts(b, ">");
		buf_html(b, TR(c, rows[i].vi, rows[i].en));
		buf_puts(b, "</th>");
		figpage_cell(
		    c, rows[i].key, figpage_figure(f, rows[i].key), KIND_RATE);
		if (rows[i].point >= 0) {
			char key[32];

			snprintf(key, sizeof(key), "points_%s",
			    metric_point_names[rows[i].point]);
			figpage_cell(
			    c, key, f->points[rows[i].point], KIND_POINTS);
		} else
			buf_puts(b, "<td></td>");
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

#define COMMENTS_MAX 100

static void
comments(
    struct ctx *c, const struct console_unit *u, const char *code, int month)
{
	struct buf *b = &c->req->resp.body;
	struct db_stmt *st;
	int n = 0;

	buf_puts(b, "<h2 id=\"comments\">");
	buf_html(b, TR(c, "Góp ý của người dân", "What citizens wrote"));
	buf_puts(b, "</h2>\n");
	if (!figpage_is_manager(c)) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Góp ý chỉ dành cho quản lý và quản trị viên.",
			"Comments are for managers and administrators."));
		buf_puts(b, "</p>\n");
		return;
	}
	st = db_query(ctx_db(c),
	    "SELECT r.rated_at, r.level, t.comment, r.status "
	    "FROM ratings r JOIN rating_texts t ON t.seq = r.seq "
	    "JOIN unit_tree ut ON ut.descendant = r.unit "
	    "WHERE ut.ancestor = ?1 AND r.rated_at >= ?3 AND r.rated_at < ?4 "
	    "AND " METRICS_RATING_PROCEDURE_SQL(
		"?6") " = ?2 "
		      "ORDER BY r.rated_at DESC, r.seq DESC LIMIT ?5",
	    "ttllil", u->code, code, month_start(month), month_end(month),
	    COMMENTS_MAX, hl_now());
	while (st != NULL && db_step(st) == DB_ROW) {
		char *masked = text_mask_numbers(db_col_text(st, 2));
		const char *status = db_col_text(st, 3);

		if (n++ == 0)
			buf_puts(b, "<ul class=\"comments\">\n");
		buf_printf(b,
		    "<li%s><p class=\"meta\"><span class=\"level "
		    "l%d\">%d</span> ",
		    strcmp(status, "valid") != 0 ? " class=\"flagged\"" : "",
		    (int)db_col_int(st, 1), (int)db_col_int(st, 1));
		fmt_datetime(b, c->lang, db_col_int(st, 0));
		if (strcmp(status, "valid") != 0) {
			buf_puts(b, " <span class=\"status\" data-status=\"");
			buf_html(b, status);
			buf_puts(b, "\">");
			buf_html(b, figpage_status_label(c, status));
			buf_puts(b, "</span>");
		}
		buf_puts(b, "</p>\n<blockquote>");
		buf_html(b, masked != NULL ? masked : "");
		buf_puts(b, "</blockquote></li>\n");
		free(masked);
	}
	db_done(st);
	if (n > 0)
		buf_puts(b, "</ul>\n");
	else {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Không có góp ý trong tháng.",
			"No comments this month."));
		buf_puts(b, "</p>\n");
	}
}

void
page_procedure(struct ctx *c)
{
	static const char *const allowed[] = { "month", NULL };
	struct metrics *series[FIGPAGE_TREND_MONTHS] = { 0 };
	const char *code = ctx_param(c, 1);
	struct console_unit u;
	struct metric_figures f;
	struct metric_counts k;
	struct metrics *m;
	struct buf *b, title = { 0 }, path = { 0 }, nb = { 0 }, fb = { 0 };
	char name[512] = "", field[301] = "", ms[8];
	int month, rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (code == NULL || !is_procedure_code(code, strlen(code))) {
		page_not_found(c);
		return;
	}
	rc = procedures_get(ctx_db(c), code, &nb, &fb);
	strlcpy_hl(name, buf_str(&nb), sizeof(name));
	strlcpy_hl(field, buf_str(&fb), sizeof(field));
	buf_release(&nb);
	buf_release(&fb);
	if (rc != 0) {
		page_not_found(c);
		return;
	}
	if (figpage_query(c, allowed) < 0 || figpage_month(c, &month) < 0)
		return;
	m = figpage_metrics(c, u.code, month);
	if (m == NULL)
		return;
	proc_figures(m, code, &f, &k);
	figpage_series(c, u.code, month, series);
	buf_printf(&title, "%s %s", code, name);
	console_begin(c, &u, buf_str(&title), "procedures");
	b = &c->req->resp.body;
	figpage_period_value(c, month, ms);
	buf_puts(b, "<p class=\"lead\">");
	if (field[0] != '\0') {
		buf_html(b, TR(c, "Lĩnh vực", "Field"));
		buf_puts(b, ": ");
		buf_html(b, field);
		buf_puts(b, " · ");
	}
	buf_printf(b, "<span data-k=\"month\" data-v=\"%s\">", ms);
	figpage_period_label_cap(c, b, month);
	buf_puts(b, "</span></p>\n");
	buf_printf(&path, "/admin/units/%s/procedures/%s", u.code, code);
	figpage_month_form(c, buf_str(&path), month);

	/* the month's headline */
	buf_puts(b,
	    "<table class=\"figures\" id=\"figures\">\n<tbody>\n<tr><th "
	    "scope=\"row\">");
	buf_html(b, TR(c, "Số lượt đánh giá", "Ratings"));
	buf_puts(b, "</th>");
	figpage_cell(c, "ratings", (double)f.ratings, KIND_COUNT);
	buf_puts(b, "</tr>\n<tr><th scope=\"row\" title=\"");
	buf_html(b, figpage_satisfied_hint(c));
	buf_puts(b, "\">");
	buf_html(b,
	    TR(c, "Tỷ lệ hài lòng [khoảng tin cậy 95 %]",
		"Satisfied [95% confidence interval]"));
	buf_puts(b, "</th>");
	figpage_cell_ci(c, "satisfied_rate", f.satisfied_rate, f.satisfied_ci);
	buf_puts(b, "</tr>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Mức trung bình (1–5)", "Mean level (1–5)"));
	buf_puts(b, "</th>");
	figpage_cell(c, "mean_level", f.mean_level, KIND_MEAN);
	buf_puts(b, "</tr>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Cảnh báo", "Flags"));
	buf_puts(b, "</th>");
	figpage_flags_cell(c, &f);
	buf_puts(b, "</tr>\n</tbody>\n</table>\n");
	figpage_legend(c,
	    FIGPAGE_LEGEND_CI | (f.nflags > 0 ? FIGPAGE_LEGEND_SEVERITY : 0));
	figpage_why(c, m, figpage_find(&m->procedures, code, NULL, 0), true);

	proc_trends_table(c, series, code, month);
	levels_table(c, &f);
	criteria_table(c, &f, &k);
	supplement_table(c, &f, &k);
	dossier_table(c, &f, &k);
	figpage_legend(c, FIGPAGE_LEGEND_SATISFACTION | FIGPAGE_LEGEND_POINTS);
	comments(c, &u, code, month);

	console_review_history(c, &u, code, 0);
	if (f.nflags > 0 && figpage_is_manager(c))
		console_review_form(c, &u, code, 0, month);
	console_end(c);
	buf_release(&title);
	buf_release(&path);
	figpage_series_free(series);
	metrics_free(m);
}
