/* page_staff.c -- counters and officers of a unit's month (managers). */
#include <string.h>

#include "hailong/hltime.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * Counters and officers are managers' business: a viewer or reporter of
 * the unit gets 403 (the page exists, the role may not see it); a unit
 * outside the caller's scope is 404 whatever the role, checked first.
 * A scope with fewer than n_min ratings shows its count and "chưa đủ dữ
 * liệu" in place of every figure.
 */
static void
staff_table(struct ctx *c, const struct console_unit *u,
    const struct metrics *m, bool counters, int month)
{
	struct buf *b = &c->req->resp.body;
	const struct metric_list *l = counters ? &m->counters : &m->officers;
	size_t shown = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct metric_scope *s = &l->v[i];
		const struct metric_figures *f = &s->fig;

		/* ratings that named no counter or officer */
		if ((counters && s->counter == 0) ||
		    (!counters && s->code[0] == '\0'))
			continue;
		if (shown++ == 0) {
			buf_printf(b,
			    "<table class=\"staff\" id=\"%s\">\n<thead><tr>"
			    "<th>",
			    counters ? "counters" : "officers");
			buf_html(b,
			    counters ? TR(c, "Quầy", "Counter")
				     : TR(c, "Cán bộ", "Officer"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b, TR(c, "Đánh giá", "Ratings"));
			buf_puts(b, "</th><th class=\"num\" title=\"");
			buf_html(b, figpage_ci_hint(c));
			buf_puts(b, "\">");
			buf_html(b,
			    TR(c, "Hài lòng [khoảng tin cậy]",
				"Satisfied [confidence interval]"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b, TR(c, "Không hài lòng", "Dissatisfied"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b, TR(c, "Mức trung bình", "Mean level"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b,
			    TR(c, "Điểm cán bộ (0–10)",
				"Officer score (0–10)"));
			buf_puts(b, "</th><th class=\"num\">");
			buf_html(b,
			    TR(c, "Người dân báo bổ sung",
				"Citizens report supplementing"));
			buf_puts(b, "</th><th class=\"num\" title=\"");
			buf_html(b,
			    TR(c, "Tỷ lệ người dân chỉ phải đến một lần",
				"Share who came only once"));
			buf_puts(b, "\">");
			buf_html(b,
			    TR(c, "Xong trong một lần", "Done in one visit"));
			buf_puts(b, "</th><th title=\"");
			buf_html(b,
			    TR(c, "Lý do người dân nêu nhiều nhất (số lượt)",
				"Reasons citizens named most (ratings)"));
			buf_puts(b, "\">");
			buf_html(b, TR(c, "Lý do chính", "Main reasons"));
			buf_puts(b, "</th><th>");
			buf_html(b, TR(c, "Kênh", "Channels"));
			buf_puts(b, "</th><th class=\"num\" title=\"");
			buf_html(b,
			    TR(c,
				"Lượt đánh giá lưu lại nhưng không tính: bấm "
				"liên tiếp, trùng lặp, dùng sai mục đích, rác",
				"Ratings kept but not counted: repeats, "
				"duplicates, misuse, spam"));
			buf_puts(b, "\">");
			buf_html(b, TR(c, "Không tính", "Excluded"));
			buf_puts(b, "</th><th>");
			buf_html(b, TR(c, "Cảnh báo", "Flags"));
			buf_puts(b, "</th>");
			if (counters && figpage_is_manager(c)) {
				buf_puts(b, "<th><span class=\"vh\">");
				buf_html(b, TR(c, "Rà soát", "Review"));
				buf_puts(b, "</span></th>");
			}
			buf_puts(b, "</tr></thead>\n<tbody>\n");
		}
		if (counters)
			buf_printf(b,
			    "<tr data-unit=\"%s\" data-counter=\"%d\"><td>",
			    s->unit, s->counter);
		else {
			buf_puts(b, "<tr data-officer=\"");
			buf_html(b, s->code);
			buf_puts(b, "\"><td>");
		}
		if (counters) {
			setup_counter_label(c, b, s->counter, s->name);
			if (strcmp(s->unit, u->code) != 0)
				buf_printf(b, " <span class=\"code\">%s</span>",
				    s->unit);
		} else {
			buf_puts(b, "<span class=\"code\">");
			buf_html(b, s->code);
			buf_puts(b, "</span> ");
			buf_html(b, s->name);
		}
		buf_puts(b, "</td>");
		figpage_cell(c, "ratings", (double)f->ratings, KIND_COUNT);
		if (f->enough_data) {
			figpage_cell_ci(c, "satisfied_rate", f->satisfied_rate,
			    f->satisfied_ci);
			figpage_cell(c, "dissatisfied_rate",
			    f->dissatisfied_rate, KIND_RATE);
			figpage_cell(c, "mean_level", f->mean_level, KIND_MEAN);
			figpage_cell(
			    c, "officer_score", f->officer_score, KIND_MEAN);
			figpage_cell(c, "reported_supplement_rate",
			    f->reported_supplement_rate, KIND_RATE);
			figpage_cell(
			    c, "one_visit_rate", f->one_visit_rate, KIND_RATE);
			figpage_reasons_cell(c, m, s, 3);
			figpage_channels_cell(c, f);
			figpage_cell(c, "excluded",
			    (double)figpage_excluded_total(f), KIND_COUNT);
			figpage_flags_cell(c, f);
		} else {
			figpage_cell_masked(c, "satisfied_rate");
			figpage_cell_masked(c, "dissatisfied_rate");
			figpage_cell_masked(c, "mean_level");
			figpage_cell_masked(c, "officer_score");
			figpage_cell_masked(c, "reported_supplement_rate");
			figpage_cell_masked(c, "one_visit_rate");
			figpage_cell_masked(c, "reasons");
			figpage_cell_masked(c, "by_channel");
			figpage_cell_masked(c, "excluded");
			buf_puts(b, "<td class=\"flags\"></td>");
		}
		if (counters && figpage_is_manager(c)) {
			buf_puts(b, "<td>");
			if (f->enough_data && f->nflags > 0 &&
			    strcmp(s->unit, u->code) == 0) {
				buf_printf(b,
				    "<a href=\"/admin/units/%s/reviews/new",
				    u->code);
				figpage_month_query(c, b, month);
				buf_printf(b, "&amp;counter=%d\">", s->counter);
				buf_html(
				    b, TR(c, "Mở rà soát", "Open a review"));
				buf_puts(b, "</a>");
			}
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	if (shown > 0) {
		buf_puts(b, "</tbody>\n</table>\n");
		figpage_legend(c, FIGPAGE_LEGEND_CI | FIGPAGE_LEGEND_SEVERITY);
	} else {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Không có đánh giá nào trong tháng.",
			"No ratings this month."));
		buf_puts(b, "</p>\n");
	}
}

static void
staff_page(struct ctx *c, bool counters)
{
	static const char *const allowed[] = { "month", NULL };
	struct console_unit u;
	struct metrics *m;
	struct buf *b, path = { 0 };
	int month;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (!figpage_is_manager(c)) {
		figpage_forbidden(c);
		return;
	}
	if (figpage_query(c, allowed) < 0 || figpage_month(c, &month) < 0)
		return;
	m = figpage_metrics(c, u.code, month);
	if (m == NULL)
		return;
	console_begin(c, &u,
	    counters ? TR(c, "Quầy", "Counters") : TR(c, "Cán bộ", "Officers"),
	    counters ? "counters" : "officers");
	b = &c->req->resp.body;
	buf_printf(&path, "/admin/units/%s/%s", u.code,
	    counters ? "counters" : "officers");
	figpage_month_form(c, buf_str(&path), month);
	buf_puts(b, "<p class=\"lead\">");
	buf_html(
	    b, TR(c, "Số liệu chỉ hiện khi có từ", "Figures are shown from"));
	buf_printf(b, " <span data-k=\"n_min\">%d</span> ", m->rules.n_min);
	buf_html(b,
	    TR(c, "lượt đánh giá trở lên; ít hơn: “chưa đủ dữ liệu”.",
		"ratings up; below that: “not enough data”."));
	buf_puts(b, "</p>\n<p class=\"legend\">");
	buf_html(b,
	    TR(c,
		"“Xong trong một lần”: tỷ lệ người dân chỉ phải đến một lần. "
		"“Lý do chính”: lý do được nêu nhiều nhất, kèm số lượt. "
		"“Không tính”: lượt lưu lại nhưng không tính vào số liệu.",
		"“Done in one visit”: the share who came once. “Main "
		"reasons”: the reasons named most, with their counts. "
		"“Excluded”: ratings kept but counted in no figure."));
	buf_puts(b, "</p>\n");
	staff_table(c, &u, m, counters, month);
	if (counters)
		console_review_history(c, &u, NULL, 0);
	console_end(c);
	buf_release(&path);
	metrics_free(m);
}

void
page_counters(struct ctx *c)
{
	staff_page(c, true);
}

void
page_officers(struct ctx *c)
{
	staff_page(c, false);
}
