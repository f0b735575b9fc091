/*
 * figpage_incl.c -- inclusion on the staff pages (issue 18): who rated
 * (người dân / doanh nghiệp / not said) and the ratings a helper of the
 * community digital-technology team entered, as a small table.
 */
#include <math.h>
#include <stdio.h>

#include "core/fmt.h"
#include "web/figpage.h"
#include "web/server.h"

/* A count and a share as two cells; data-v keeps the machine values. */
static void
incl_cells(struct ctx *c, const char *what, int64_t n, double rate)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b,
	    "<td class=\"num\" data-k=\"ratings_%s\" "
	    "data-v=\"%lld\">",
	    what, (long long)n);
	fmt_count(b, c->lang, n);
	buf_printf(b,
	    "</td><td class=\"num\" data-k=\"satisfied_rate_%s\" "
	    "data-v=\"",
	    what);
	if (isnan(rate))
		buf_puts(b, "null\">—");
	else {
		buf_printf(b, "%.4f\">", rate);
		fmt_percent(b, c->lang, rate, 1);
	}
	buf_puts(b, "</td>");
}

void
figpage_incl(struct ctx *c, const struct metric_figures *f)
{
	static const char *const keys[REQUESTER_COUNT + 1] = { "citizen",
		"business", "unspecified" };
	struct buf *b = &c->req->resp.body;
	const char *labels[REQUESTER_COUNT + 1] = {
		TR(c, "Người dân", "Citizens"),
		TR(c, "Doanh nghiệp", "Businesses"),
		TR(c, "Không cho biết", "Not said"),
	};

	buf_puts(b, "<h3>");
	buf_html(b, TR(c, "Người đánh giá", "Who rated"));
	buf_puts(b,
	    "</h3>\n<table class=\"channels inclusion\">\n<thead><tr>"
	    "<th>");
	buf_html(b, TR(c, "Nhóm", "Group"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Số lượt", "Ratings"));
	buf_puts(b, "</th><th class=\"num\">");
	buf_html(b, TR(c, "Hài lòng", "Satisfied"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i <= REQUESTER_COUNT; i++) {
		buf_printf(
		    b, "<tr data-requester=\"%s\"><th scope=\"row\">", keys[i]);
		buf_html(b, labels[i]);
		buf_puts(b, "</th>");
		incl_cells(c, keys[i], f->requester_ratings[i],
		    f->requester_satisfied_rate[i]);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "<tr data-assisted=\"1\"><th scope=\"row\">");
	buf_html(b, TR(c, "Có người hỗ trợ", "Assisted"));
	buf_puts(b, "</th>");
	incl_cells(
	    c, "assisted", f->assisted_ratings, f->assisted_satisfied_rate);
	buf_puts(b, "</tr>\n</tbody>\n</table>\n<p class=\"legend\">");
	buf_html(b,
	    TR(c,
		"Hài lòng: tỷ lệ đánh giá mức 4–5 trong từng nhóm; “Có người "
		"hỗ trợ”: do thành viên tổ công nghệ số cộng đồng nhập giúp, "
		"vẫn được tính trong mọi số liệu khác.",
		"Satisfied: the share of levels 4–5 in each group; “Assisted”: "
		"entered for the citizen by a community digital-technology "
		"team member, also counted in every other figure."));
	buf_puts(b, "</p>\n");
}
