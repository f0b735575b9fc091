/* page_report_status.c -- who has not reported: the parent's view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/report_status.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * /admin/units/CODE/reports/status?period=P or ?last=N (reporter and
 * above, under the reports tab): each active direct subordinate unit of
 * CODE against each period -- a month; a quarter's or a year's months and
 * the period itself; or the last N closed months -- with what this
 * server received (report_status.h): verified, received (provisional),
 * late, missing.  Each cell gives the receipt time and the signer.
 * The same as GET /api/v1/reports/status.
 */

static const struct {
	const char *cls, *vi, *en;
} states[] = {
	[RSTATE_MISSING] = { "missing", "Chưa nộp", "Missing" },
	[RSTATE_LATE] = { "late", "Nộp muộn", "Late" },
	[RSTATE_RECEIVED] = { "received", "Đã nhận (tạm thời)",
	    "Received (provisional)" },
	[RSTATE_VERIFIED] = { "verified", "Đã nhận, đã xác minh", "Verified" },
};

static void
cell(struct ctx *c, struct buf *b, const struct report_cell *x)
{
	const char *cls = states[x->state].cls;

	if (x->state == RSTATE_MISSING && !x->overdue)
		cls = "pending";
	buf_printf(b, "<td class=\"rs-%s\" data-status=\"%s\">", cls,
	    report_state_code(x->state));
	buf_puts(b, "<strong>");
	if (x->state == RSTATE_MISSING && !x->overdue)
		buf_html(b, TR(c, "Chưa nộp (còn hạn)", "Not yet (not due)"));
	else
		buf_html(b, TR(c, states[x->state].vi, states[x->state].en));
	buf_puts(b, "</strong>");
	if (x->state != RSTATE_MISSING) {
		buf_puts(b, "<br><span class=\"when\">");
		fmt_datetime(b, c->lang, x->received_at);
		buf_puts(b, "</span><br><span class=\"signer\">");
		buf_html(b, x->signer);
		buf_puts(b, "</span>");
	} else {
		buf_puts(b, "<br><span class=\"when\">");
		buf_html(b, TR(c, "Hạn: ", "Due: "));
		/* due before the deadline: the last minute is its eve */
		fmt_datetime(b, c->lang, x->deadline - 60);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</td>");
}

static void
picker(struct ctx *c, struct buf *b, const char *unit, const struct period *sel,
    int last)
{
	static const int lasts[] = { 3, 6, 12, 24 };

	buf_printf(b,
	    "<form class=\"month\" method=\"get\" "
	    "action=\"/admin/units/%s/reports/status\">\n"
	    "<label for=\"period\">",
	    unit);
	buf_html(
	    b, TR(c, "Kỳ (tháng, quý, năm)", "Period (month, quarter, year)"));
	buf_puts(b, "</label>\n");
	figpage_period_select(c, b, "period", sel);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, TR(c, "Xem", "Show"));
	buf_puts(b, "</button>\n</form>\n<p class=\"lasts\">");
	buf_html(b, TR(c, "Hoặc các tháng gần nhất:", "Or the last months:"));
	for (size_t i = 0; i < ARRAY_SIZE(lasts); i++) {
		buf_printf(b,
		    " <a href=\"/admin/units/%s/reports/status?last=%d%s\"%s>",
		    unit, lasts[i], c->lang == LANG_EN ? "&amp;lang=en" : "",
		    last == lasts[i] ? " aria-current=\"page\"" : "");
		buf_printf(b, "%d %s</a>", lasts[i], TR(c, "tháng", "months"));
	}
	buf_puts(b, "</p>\n");
}

void
page_report_status_get(struct ctx *c)
{
	static const char *const allowed[] = { "period", "last", NULL };
	struct console_unit u;
	struct report_status rs;
	struct period sel, cols[24];
	const char *last_s = form_get(&c->query, "last");
	char err[256], title[200];
	struct buf *b;
	int n = 0, last = 0;

	if (console_unit(c, 0, &u) < 0 || figpage_query(c, allowed) < 0)
		return;
	if (last_s != NULL && form_get(&c->query, "period") != NULL) {
		console_error(c, &u, 400,
		    "Chọn một kỳ hoặc số tháng gần nhất, không cả hai:",
		    "Choose a period or the last months, not both:", last_s);
		return;
	}
	if (last_s != NULL) {
		char *end;
		long k = strtol(last_s, &end, 10);

		if (end == last_s || *end != '\0' || k < 1 || k > 24) {
			console_error(c, &u, 400,
			    "Số tháng gần nhất phải từ 1 đến 24:",
			    "The last months must be 1 to 24:", last_s);
			return;
		}
		last = (int)k;
		report_status_last_months(hl_now(), last, cols, &n);
		sel = cols[n - 1];
	} else {
		const char *ps = form_get(&c->query, "period");

		if (ps == NULL || ps[0] == '\0') {
			/* the latest closed quarter's months */
			sel = period_holding(
			    month_add(month_of(hl_now()), -1), 'q');
		} else if (figpage_period_parse(c, "period", &sel) < 0) {
			return;
		}
		report_status_periods(&sel, cols, &n);
	}
	if (ctx_db(c) == NULL) {
		server_unavailable(c);
		return;
	}
	if (report_status_get(ctx_db(c), u.code, cols, n, hl_now(), &rs, err,
		sizeof(err)) < 0) {
		report_status_free(&rs);
		console_error(c, &u, 500, "Không đọc được báo cáo đã nhận.",
		    "Cannot read the reports received.", NULL);
		return;
	}
	snprintf(title, sizeof(title), "%s",
	    TR(c, "Tình hình nộp báo cáo của đơn vị cấp dưới",
		"Reports of the subordinate units"));
	console_begin(c, &u, title, "reports");
	b = &c->req->resp.body;
	buf_printf(b, "<p><a href=\"/admin/units/%s/reports%s\">", u.code,
	    c->lang == LANG_EN ? "?lang=en" : "");
	buf_html(b, TR(c, "← Báo cáo của đơn vị", "← This unit's reports"));
	buf_puts(b, "</a></p>\n");
	picker(c, b, u.code, &sel, last);
	buf_puts(b, "<p class=\"summary\" data-missing=\"");
	buf_printf(b, "%d\" data-late=\"%d\">", rs.missing, rs.late);
	buf_html(b, TR(c, "Quá hạn chưa nộp: ", "Overdue, missing: "));
	fmt_count(b, c->lang, rs.missing);
	buf_html(b, TR(c, " · Nộp muộn: ", " · Late: "));
	fmt_count(b, c->lang, rs.late);
	buf_html(b, TR(c, " · Hạn nộp: ", " · Due: "));
	fmt_count(b, c->lang, rs.nperiods > 0 ? rs.deadline_days[0] : 0);
	buf_html(
	    b, TR(c, " ngày sau khi hết kỳ.", " days after the period's end."));
	buf_puts(b, "</p>\n");
	if (rs.nrows == 0) {
		buf_puts(b, "<p>");
		buf_html(b,
		    TR(c, "Đơn vị này không có đơn vị cấp dưới.",
			"This unit has no subordinate units."));
		buf_puts(b, "</p>\n");
	} else {
		buf_puts(b,
		    "<div class=\"table-scroll\">\n"
		    "<table class=\"report-status\">\n<thead><tr><th "
		    "scope=\"col\">");
		buf_html(b, TR(c, "Đơn vị", "Unit"));
		buf_puts(b, "</th>");
		for (int j = 0; j < rs.nperiods; j++) {
			char ps[PERIOD_TEXT_MAX];

			period_format(&rs.periods[j], ps);
			buf_printf(
			    b, "<th scope=\"col\" data-period=\"%s\">", ps);
			fmt_period_cap(b, c->lang, &rs.periods[j]);
			buf_puts(b, "</th>");
		}
		buf_puts(b, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < rs.nrows; i++) {
			buf_printf(b, "<tr data-unit=\"%s\"><th scope=\"row\">",
			    rs.rows[i].unit);
			buf_html(b, rs.rows[i].name);
			buf_printf(b, " <code>%s</code></th>", rs.rows[i].unit);
			for (int j = 0; j < rs.nperiods; j++)
				cell(c, b, &rs.rows[i].cells[j]);
			buf_puts(b, "</tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n</div>\n");
	}
	buf_puts(b, "<p class=\"legend\">");
	buf_html(b,
	    TR(c,
		"Đã xác minh: nộp đúng hạn, chữ ký số hợp lệ và số liệu khớp "
		"khi nhận, báo cáo tính đến hết kỳ. Đã nhận (tạm thời): nộp "
		"đúng hạn nhưng lập trước khi hết kỳ. Nộp muộn: lần nộp đầu "
		"tiên sau hạn. Chưa nộp: chưa nhận được báo cáo nào.",
		"Verified: on time, its signature and figures checked when "
		"received, as of the period's end. Received (provisional): on "
		"time but built before the period ended. Late: first sent "
		"after the deadline. Missing: none received."));
	buf_puts(b, "</p>\n");
	console_end(c);
	report_status_free(&rs);
}
