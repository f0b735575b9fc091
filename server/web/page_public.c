/* page_public.c -- /cong-khai: each unit's month for the public (ba công khai). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/report.h"
#include "core/units.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * No login, no comments, no counter or officer figures: a unit's totals
 * and its procedures', and none below n_min (a rating figure needs N >= n_min, a
 * dossier figure and its points D >= n_min; below that the page says
 * "chưa đủ dữ liệu").  Links carry the month so a page can be cited.
 * Lists name only the units with figures to show and count the others.
 * Numbers go through fmt.h; on a phone each row is a card (public.css).
 */

/* The month as people read it ("tháng 10/2026"), machine value beside. */
static void
month_span(struct ctx *c, int month)
{
	struct buf *b = &c->req->resp.body;
	char ms[8];

	figpage_period_value(c, month, ms);
	buf_printf(b, "<span data-k=\"month\" data-v=\"%s\">", ms);
	figpage_period_label(c, b, month);
	buf_puts(b, "</span>");
}

static void
public_begin(struct ctx *c, const char *title)
{
	struct buf *b = &c->req->resp.body;

	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	/* the same for everyone: a shared cache may keep it a while */
	c->req->resp.cache = "public, max-age=300";
	html_begin(b, c->lang, title, "/static/public.css");
	buf_puts(b, "<header class=\"pub\"><p><a href=\"/cong-khai");
	if (c->lang == LANG_EN)
		buf_puts(b, "?lang=en");
	buf_puts(b, "\">");
	buf_html(b,
	    TR(c, "Công khai kết quả đánh giá sự hài lòng",
		"Public results of satisfaction ratings"));
	buf_puts(b, "</a></p></header>\n<main class=\"pub\">\n<h1>");
	buf_html(b, title);
	buf_puts(b, "</h1>\n");
}

static void
public_end(struct ctx *c, int n_min)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "</main>\n<footer class=\"pub\"><p>");
	buf_html(b,
	    TR(c,
		"Kết quả tổng hợp từ các lượt đánh giá của người dân, doanh "
		"nghiệp tại các đơn vị, để mọi người cùng theo dõi; kết quả "
		"chấm điểm chính thức do cơ quan có thẩm quyền công bố.",
		"Results summed up from the ratings citizens and businesses "
		"gave at each office, for everyone to follow; the official "
		"scores are published by the competent authority."));
	buf_puts(b, " ");
	buf_html(b,
	    TR(c, "Chỉ công bố số liệu tổng hợp; số liệu dựa trên ít hơn",
		"Only aggregates are published; figures from fewer than"));
	buf_printf(b, " <span data-k=\"n_min\">%d</span> ", n_min);
	buf_html(b,
	    TR(c, "lượt đánh giá (hoặc hồ sơ) không được hiển thị.",
		"ratings (or dossiers) are not shown."));
	buf_printf(
	    b, " <a href=\"?lang=%s\">", c->lang == LANG_EN ? "vi" : "en");
	buf_html(b, tr(c->lang, M_LANG_SWITCH));
	buf_puts(b, "</a></p></footer>\n");
	html_end(b);
}

static const char *const heads[][2] = {
	{ "Đơn vị", "Unit" }, /* or the procedure */
	{ "Lượt đánh giá", "Ratings" },
	{ "Tỷ lệ hài lòng", "Satisfied" },
	{ "Hồ sơ", "Dossiers" },
	{ "Đúng hạn", "On time" },
	{ "Trực tuyến", "Online" },
	{ "Số hóa", "Digitised" },
	{ "Hài lòng xử lý hồ sơ", "Handling satisfaction" },
	{ "Điểm 766 (tối đa 36)", "766 points (of 36)" },
	{ "Hồ sơ được đánh giá", "Dossiers rated" },
	{ "Lượt không tính", "Ratings excluded" },
};
#define NHEADS (sizeof(heads) / sizeof(heads[0]))

/* A figure as people read it (fmt.h): "62,5 %", "1.234", "24,53". */
static void
pub_value(struct ctx *c, double v, enum figpage_kind k)
{
	struct buf *b = &c->req->resp.body;

	if (isnan(v))
		buf_puts(b, "—");
	else if (k == KIND_RATE)
		fmt_percent(b, c->lang, v, 1);
	else if (k == KIND_COUNT)
		fmt_count(b, c->lang, (int64_t)llround(v));
	else
		fmt_number(b, c->lang, v, 2);
}

/*
 * A cell of the public table: the figure (data-v keeps the machine
 * value), or "chưa đủ dữ liệu"; data-l names it on a phone's card.
 */
static void
pub_cell(struct ctx *c, const char *key, double v, enum figpage_kind k,
    bool enough, int col)
{
	struct buf *b = &c->req->resp.body;

	if (!enough) {
		buf_printf(b, "<td class=\"nodata\" data-k=\"%s\"", key);
	} else {
		buf_printf(b, "<td class=\"num\" data-k=\"%s\" data-v=\"", key);
		if (isnan(v))
			buf_puts(b, "null");
		else if (k == KIND_COUNT)
			buf_printf(b, "%.0f", v);
		else if (k == KIND_POINTS)
			buf_printf(b, "%.2f", v);
		else
			buf_printf(b, "%.4f", v);
		buf_puts(b, "\"");
	}
	if (col > 0) {
		buf_puts(b, " data-l=\"");
		buf_html(b, heads[col][c->lang == LANG_EN]);
		buf_puts(b, "\"");
	}
	buf_puts(b, ">");
	if (enough)
		pub_value(c, v, k);
	else
		buf_html(b, TR(c, "chưa đủ dữ liệu", "not enough data"));
	buf_puts(b, "</td>");
}

/* The table's head; its first column names units or procedures. */
static void
table_head(struct ctx *c, bool procedures)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<table class=\"pub figs\">\n<thead><tr>");
	for (size_t i = 0; i < NHEADS; i++) {
		buf_puts(b, i == 0 ? "<th>" : "<th class=\"num\">");
		if (i == 0 && procedures)
			buf_html(b, TR(c, "Thủ tục hành chính", "Procedure"));
		else
			buf_html(b, heads[i][c->lang == LANG_EN]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
}

/* Whether a row has some figure to show (enough ratings or dossiers). */
static bool
has_data(const struct metric_figures *f, int n_min)
{
	return f->ratings >= n_min || f->dossiers >= n_min;
}

/*
 * A row's figures, each masked below n_min; a row with none at all is
 * one sentence, not ten cells of "chưa đủ dữ liệu".
 */
static void
figure_cells(struct ctx *c, const struct metric_figures *f, int n_min)
{
	struct buf *b = &c->req->resp.body;
	bool rated = f->ratings >= n_min;
	bool handled = f->dossiers >= n_min;

	if (!rated && !handled) {
		buf_printf(b,
		    "<td class=\"nodata\" data-k=\"ratings\" colspan=\"%zu\">",
		    NHEADS - 1);
		buf_html(b,
		    TR(c, "Tháng này chưa đủ dữ liệu để công bố.",
			"Not enough data to publish this month."));
		buf_puts(b, "</td>");
		return;
	}
	pub_cell(c, "ratings", (double)f->ratings, KIND_COUNT, rated, 1);
	pub_cell(c, "satisfied_rate", f->satisfied_rate, KIND_RATE, rated, 2);
	if (!handled) {
		/* the dossiers' seven figures: one cell saying so */
		buf_puts(b,
		    "<td class=\"nodata\" data-k=\"dossiers\" "
		    "colspan=\"7\">");
		buf_html(b,
		    TR(c, "Hồ sơ: chưa đủ dữ liệu",
			"Dossiers: not enough data"));
		buf_puts(b, "</td>");
		pub_cell(c, "excluded", (double)figpage_excluded_total(f),
		    KIND_COUNT, true, 10);
		return;
	}
	pub_cell(c, "dossiers", (double)f->dossiers, KIND_COUNT, handled, 3);
	pub_cell(c, "on_time_rate", f->on_time_rate, KIND_RATE, handled, 4);
	pub_cell(c, "online_rate", f->online_rate, KIND_RATE, handled, 5);
	pub_cell(c, "digitized_rate", f->digitized_rate, KIND_RATE, handled, 6);
	pub_cell(c, "handling_satisfaction_rate", f->handling_satisfaction_rate,
	    KIND_RATE, handled, 7);
	pub_cell(c, "points_total", figpage_points_total(f), KIND_POINTS,
	    handled, 8);
	pub_cell(c, "coverage_rate", f->coverage_rate, KIND_RATE, handled, 9);
	/* a count of kept, uncounted ratings: no one's opinion */
	pub_cell(c, "excluded", (double)figpage_excluded_total(f), KIND_COUNT,
	    true, 10);
}

/* The unit's excluded ratings by status, and what coverage means. */
static void
excluded_table(struct ctx *c, const struct metric_figures *f, int n_min)
{
	static const char *const keys[EXCLUDED_COUNT] = { "excluded_burst",
		"excluded_duplicate", "excluded_misuse", "excluded_spam" };
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<h2>");
	buf_html(
	    b, TR(c, "Độ phủ và lượt không tính", "Coverage and exclusions"));
	buf_puts(b, "</h2>\n<p class=\"legend\">");
	buf_html(b,
	    TR(c,
		"“Hồ sơ được đánh giá”: tỷ lệ hồ sơ tiếp nhận trong tháng có "
		"ít nhất một lượt đánh giá. “Lượt không tính”: lượt được lưu "
		"nhưng không tính vào số liệu nào.",
		"“Dossiers rated”: the share of the month's dossiers with at "
		"least one rating. “Ratings excluded”: ratings kept but "
		"counted in no figure."));
	buf_puts(b,
	    "</p>\n<table class=\"pub excluded\" id=\"excluded\">\n"
	    "<tbody>\n<tr><th scope=\"row\">");
	buf_html(b, TR(c, "Hồ sơ được đánh giá", "Dossiers rated"));
	buf_puts(b, "</th>");
	pub_cell(c, "coverage_rate", f->coverage_rate, KIND_RATE,
	    f->dossiers >= n_min, 0);
	buf_puts(b, "</tr>\n");
	for (int i = 0; i < EXCLUDED_COUNT; i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		buf_html(b, TR(c, "Không tính — ", "Excluded — "));
		buf_html(b, figpage_excluded_label(c, i));
		buf_puts(b, "</th>");
		pub_cell(
		    c, keys[i], (double)f->excluded[i], KIND_COUNT, true, 0);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

static void
unit_row(struct ctx *c, const char *code, const char *name,
    const struct metrics *m, int month)
{
	struct buf *b = &c->req->resp.body;
	char ms[8];

	figpage_period_value(c, month, ms);
	buf_printf(b,
	    "<tr data-unit=\"%s\"><td><a href=\"/cong-khai/%s?month=%s%s\">",
	    code, code, ms, c->lang == LANG_EN ? "&amp;lang=en" : "");
	buf_html(b, name);
	buf_printf(b, "</a> <span class=\"code\">%s</span></td>", code);
	figure_cells(c, &m->total.fig, m->rules.n_min);
	buf_puts(b, "</tr>\n");
}

struct scope_ref {
	const struct metric_scope *s;
};

static int
by_code(const void *pa, const void *pb)
{
	const struct scope_ref *a = pa, *b = pb;

	return strcmp(a->s->code, b->s->code);
}

/*
 * The unit's procedures with enough ratings or dossiers to show a
 * figure, by code; how many others there were is said, not who.
 */
static void
procedure_rows(struct ctx *c, const struct metrics *m)
{
	struct buf *b = &c->req->resp.body;
	struct scope_ref *v = xcalloc(m->procedures.n + 1, sizeof(*v));
	size_t n = 0, hidden = 0;

	for (size_t i = 0; i < m->procedures.n; i++) {
		const struct metric_scope *s = &m->procedures.v[i];

		if (s->code[0] == '\0')
			continue;
		if (s->fig.ratings >= m->rules.n_min ||
		    s->fig.dossiers >= m->rules.n_min)
			v[n++].s = s;
		else
			hidden++;
	}
	qsort(v, n, sizeof(*v), by_code);
	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Theo thủ tục hành chính", "By procedure"));
	buf_puts(b, "</h2>\n");
	if (n > 0) {
		table_head(c, true);
		for (size_t i = 0; i < n; i++) {
			const struct metric_scope *p = v[i].s;

			buf_printf(
			    b, "<tr data-procedure=\"%s\"><td>", p->code);
			buf_html(b, p->name[0] != '\0' ? p->name : p->code);
			buf_printf(
			    b, " <span class=\"code\">%s</span></td>", p->code);
			figure_cells(c, &p->fig, m->rules.n_min);
			buf_puts(b, "</tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n");
	}
	if (hidden > 0 || n == 0) {
		buf_printf(b,
		    "<p class=\"none\" data-k=\"procedures_hidden\" "
		    "data-v=\"%zu\">",
		    hidden);
		if (n == 0 && hidden == 0)
			buf_html(b, TR(c, "Không có.", "None."));
		else {
			fmt_count(b, c->lang, (int64_t)hidden);
			buf_printf(b, " %s",
			    n > 0 ? TR(c,
					"thủ tục khác chưa đủ dữ liệu để "
					"công bố.",
					"other procedures have too little "
					"data to publish.")
				  : TR(c,
					"thủ tục, chưa thủ tục nào đủ dữ "
					"liệu để công bố.",
					"procedures, none with enough data "
					"to publish."));
		}
		buf_puts(b, "</p>\n");
	}
	free(v);
}

struct unit_ref {
	char code[41];
	char name[301];
};

#define PUBLIC_UNITS_MAX 2000

/*
 * The rows of these units (a query of code, name) that have figures to
 * show; the others are counted in one sentence.  Returns how many units
 * there were.
 */
static int
unit_rows(struct ctx *c, const char *sql, const char *parent, int month)
{
	struct db *db = ctx_db(c);
	struct buf *b = &c->req->resp.body;
	struct db_stmt *st;
	struct unit_ref *v = NULL;
	size_t n = 0, cap = 0, shown = 0, none = 0;

	st = parent != NULL ? db_query(db, sql, "t", parent)
			    : db_query(db, sql, "");
	while (st != NULL && db_step(st) == DB_ROW && n < PUBLIC_UNITS_MAX) {
		if (n == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		strlcpy_hl(v[n].code, db_col_text(st, 0), sizeof(v[n].code));
		strlcpy_hl(v[n].name, db_col_text(st, 1), sizeof(v[n].name));
		n++;
	}
	db_done(st);
	for (size_t i = 0; i < n; i++) {
		char err[256];
		struct metrics *m =
		    figpage_rollup(c, v[i].code, month, err, sizeof(err));

		if (m == NULL) {
			log_msg(LOG_ERROR, "public", "metrics: %s", err);
			continue;
		}
		if (!has_data(&m->total.fig, m->rules.n_min)) {
			none++;
		} else {
			if (shown++ == 0)
				table_head(c, false);
			unit_row(c, v[i].code, v[i].name, m, month);
		}
		metrics_free(m);
	}
	if (shown > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	if (none > 0) {
		buf_printf(b,
		    "<p class=\"none\" data-k=\"units_no_data\" "
		    "data-v=\"%zu\">",
		    none);
		if (shown == 0 && none == n)
			buf_html(b,
			    TR(c,
				"Chưa đơn vị nào đủ dữ liệu để công bố "
				"trong ",
				"No unit has enough data to publish for "));
		else {
			fmt_count(b, c->lang, (int64_t)none);
			buf_html(b,
			    TR(c,
				" đơn vị khác chưa đủ dữ liệu để công "
				"bố trong ",
				" other units do not have enough data to "
				"publish for "));
		}
		figpage_period_label(c, b, month);
		buf_puts(b, ".</p>\n");
	}
	free(v);
	return (int)n;
}

void
page_public(struct ctx *c)
{
	static const char *const allowed[] = { "month", NULL };
	struct metric_rules rules;
	struct buf *b;
	char err[256];
	int month;

	if (ctx_db(c) == NULL) {
		server_unavailable(c);
		return;
	}
	if (figpage_query(c, allowed) < 0 || figpage_month(c, &month) < 0)
		return;
	public_begin(c,
	    TR(c, "Kết quả đánh giá sự hài lòng theo đơn vị",
		"Satisfaction results by unit"));
	b = &c->req->resp.body;
	buf_puts(b, "<p class=\"lead\">");
	buf_html(b,
	    TR(c,
		"Kết quả đánh giá của người dân, doanh nghiệp về các "
		"đơn vị trong ",
		"What citizens and businesses said about each office "
		"in "));
	month_span(c, month);
	buf_puts(b, ".</p>\n");
	figpage_month_form(c, "/cong-khai", month);
	unit_rows(c,
	    "SELECT code, name FROM units WHERE parent IS NULL AND "
	    "active = 1 ORDER BY code LIMIT 2000",
	    NULL, month);
	(void)b;
	public_end(c,
	    rules_for_month(ctx_db(c), month, &rules, err, sizeof(err)) == 0
		? rules.n_min
		: 0);
}

void
page_public_unit(struct ctx *c)
{
	static const char *const allowed[] = { "month", NULL };
	const char *code = ctx_param(c, 0);
	struct db *db = ctx_db(c);
	struct unit_info info;
	struct buf *b, path = { 0 };
	struct metrics *m;
	char name[301] = "", parent[41] = "", ms[8], err[256];
	int month;

	if (db == NULL) {
		server_unavailable(c);
		return;
	}
	if (code == NULL || !is_unit_code(code, strlen(code))) {
		page_not_found(c);
		return;
	}
	if (units_get(db, code, &info) != 0 || !info.active) {
		page_not_found(c);
		return;
	}
	strlcpy_hl(name, info.name, sizeof(name));
	strlcpy_hl(parent, info.parent, sizeof(parent));
	if (figpage_query(c, allowed) < 0 || figpage_month(c, &month) < 0)
		return;
	m = figpage_rollup(c, code, month, err, sizeof(err));
	if (m == NULL) {
		server_unavailable(c);
		return;
	}
	public_begin(c, name);
	b = &c->req->resp.body;
	figpage_period_value(c, month, ms);
	buf_printf(
	    b, "<p class=\"lead\"><span class=\"code\">%s</span> · ", code);
	month_span(c, month);
	if (parent[0] != '\0')
		buf_printf(b,
		    " · <a href=\"/cong-khai/%s?month=%s%s\">↑ %s</a>", parent,
		    ms, c->lang == LANG_EN ? "&amp;lang=en" : "", parent);
	buf_puts(b, "</p>\n");
	buf_printf(&path, "/cong-khai/%s", code);
	figpage_month_form(c, buf_str(&path), month);
	buf_puts(b, "<h2>");
	buf_html(b,
	    TR(c, "Toàn đơn vị (gồm đơn vị trực thuộc)",
		"The whole unit (with the units below it)"));
	buf_puts(b, "</h2>\n");
	table_head(c, false);
	unit_row(c, code, name, m, month);
	buf_puts(b, "</tbody>\n</table>\n");
	{
		const struct metric_figures *f = &m->total.fig;
		bool handled = f->dossiers >= m->rules.n_min;
		static const struct {
			const char *key, *vi, *en;
			int point;
		} pts[] = {
			{ "points_2.1", "2.1 Đúng hạn (tối đa 20)",
			    "2.1 On time (of 20)", POINT_21 },
			{ "points_3.3", "3.3 Trực tuyến (tối đa 6)",
			    "3.3 Online (of 6)", POINT_33 },
			{ "points_4.2", "4.2 Số hóa (tối đa 4)",
			    "4.2 Digitised (of 4)", POINT_42 },
			{ "points_5.4", "5.4 Hài lòng xử lý hồ sơ (tối đa 6)",
			    "5.4 Handling satisfaction (of 6)", POINT_54 },
		};

		buf_puts(b, "<h2>");
		buf_html(b,
		    TR(c, "Điểm theo Quyết định 766/QĐ-TTg",
			"Points under Decision 766/QĐ-TTg"));
		buf_puts(b, "</h2>\n");
		if (!handled) {
			/* one sentence, not four cells saying the same */
			buf_puts(b, "<p class=\"none\" data-k=\"points\">");
			buf_html(b,
			    TR(c,
				"Điểm được tính từ hồ sơ của đơn vị; tháng "
				"này chưa đủ dữ liệu để công bố.",
				"Points come from the office's dossiers; not "
				"enough data this month."));
			buf_puts(b, "</p>\n");
		}
		if (handled)
			buf_puts(b, "<table class=\"pub points\">\n<tbody>\n");
		for (size_t i = 0; handled && i < 4; i++) {
			buf_puts(b, "<tr><th scope=\"row\">");
			buf_html(b, TR(c, pts[i].vi, pts[i].en));
			buf_puts(b, "</th>");
			pub_cell(c, pts[i].key, f->points[pts[i].point],
			    KIND_POINTS, handled, 0);
			buf_puts(b, "</tr>\n");
		}
		if (handled)
			buf_puts(b, "</tbody>\n</table>\n");
	}
	excluded_table(c, &m->total.fig, m->rules.n_min);
	procedure_rows(c, m);
	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Đơn vị trực thuộc", "Units below"));
	buf_puts(b, "</h2>\n");
	if (unit_rows(c,
		"SELECT code, name FROM units WHERE parent = ? AND active = 1 "
		"ORDER BY code LIMIT 2000",
		code, month) == 0) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b, TR(c, "Không có.", "None."));
		buf_puts(b, "</p>\n");
	}
	public_end(c, m->rules.n_min);
	buf_release(&path);
	metrics_free(m);
}
