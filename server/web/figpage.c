/* figpage.c -- what the figure pages share: queries, numbers, charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/log.h"
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

int
figpage_month(struct ctx *c, int *month)
{
	const char *s = form_get(&c->query, "month");

	if (s == NULL || s[0] == '\0') {
		*month = month_of(hl_now());
		return 0;
	}
	if (month_parse(s, strlen(s), month) < 0) {
		console_error(c, NULL, 400,
		    "Tháng không hợp lệ; cần dạng YYYY-MM (ví dụ 2026-10):",
		    "Not a valid month; use YYYY-MM (e.g. 2026-10):", s);
		return -1;
	}
	return 0;
}

void
figpage_month_query(struct ctx *c, struct buf *b, int month)
{
	char ms[8];

	month_format(month, ms);
	buf_printf(b, "?month=%s", ms);
	if (c->lang == LANG_EN)
		buf_puts(b, "&amp;lang=en");
}

void
figpage_month_form(struct ctx *c, const char *path, int month)
{
	struct buf *b = &c->req->resp.body;
	char ms[8];

	month_format(month, ms);
	buf_puts(b, "<form class=\"month\" method=\"get\" action=\"");
	buf_html(b, path);
	buf_puts(b, "\">\n<label for=\"month\">");
	buf_html(b, TR(c, "Tháng", "Month"));
	buf_printf(b,
	    "</label>\n<input type=\"month\" id=\"month\" name=\"month\" "
	    "value=\"%s\" min=\"2000-01\" max=\"2199-12\" required>\n",
	    ms);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, TR(c, "Xem", "Show"));
	buf_puts(b, "</button>\n</form>\n");
}

struct metrics *
figpage_metrics(struct ctx *c, const char *unit, int month)
{
	char err[256];
	struct metrics *m;
	struct db *db = ctx_db(c);

	if (db == NULL) {
		server_unavailable(c);
		return NULL;
	}
	m = report_rollup(db, unit, month, hl_now(), NULL, err, sizeof(err));
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
	char text[64];

	if (isnan(v)) {
		buf_puts(b, "—");
		return;
	}
	switch (k) {
	case KIND_RATE:
		snprintf(
		    text, sizeof(text), "%.1f%%", round_places(v * 100, 1));
		break;
	case KIND_MEAN:
	case KIND_POINTS:
		snprintf(text, sizeof(text), "%.2f", round_places(v, 2));
		break;
	case KIND_COUNT:
	default: snprintf(text, sizeof(text), "%.0f", v); break;
	}
	if (c->lang == LANG_VI)
		for (char *p = text; *p != '\0'; p++)
			if (*p == '.')
				*p = ',';
	buf_puts(b, text);
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
		buf_puts(b, " <span class=\"ci\">[");
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
	switch (f) {
	case FLAG_LOW_SATISFACTION:
		return TR(c, "Hài lòng thấp", "Low satisfaction");
	case FLAG_HIGH_SUPPLEMENT:
		return TR(c, "Bổ sung, sửa lỗi nhiều", "Many supplements");
	case FLAG_LOW_ONLINE: return TR(c, "Trực tuyến thấp", "Little online");
	case FLAG_LATE: return TR(c, "Trễ hạn", "Late");
	case FLAG_COUNT:
	default: return "?";
	}
}

void
figpage_flags_cell(struct ctx *c, const struct metric_figures *f)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<td class=\"flags\">");
	for (int i = 0; i < f->nflags; i++) {
		buf_printf(b, "<span class=\"flag\" data-flag=\"%s\" title=\"",
		    metric_flag_name(f->flags[i]));
		buf_html(b, TR(c, "độ nghiêm trọng", "severity"));
		buf_printf(b, " %.4f\">", f->severity[i]);
		buf_html(b, figpage_flag_label(c, f->flags[i]));
		buf_puts(b, "</span> ");
	}
	buf_puts(b, "</td>");
}

double
figpage_points_total(const struct metric_figures *f)
{
	double t = 0;

	for (int i = 0; i < POINT_COUNT; i++)
		t += f->points[i];
	return round_places(t, 2);
}

#define CHART_W 240
#define CHART_H 64
#define CHART_PAD 6

void
figpage_trend(struct ctx *c, const char *key, const char *title,
    const int *months, const double *v, int n, double max, enum figpage_kind k)
{
	struct buf *b = &c->req->resp.body;
	double step = n > 1 ? (double)(CHART_W - 2 * CHART_PAD) / (n - 1) : 0;
	bool open = false;
	char m0[8], m1[8];

	if (n <= 0)
		return;
	if (!(max > 0))
		max = 1;
	month_format(months[0], m0);
	month_format(months[n - 1], m1);
	buf_printf(b,
	    "<figure class=\"trend\" data-k=\"%s\">\n<svg "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
	    key, CHART_W, CHART_H + 14, CHART_W, CHART_H + 14);
	buf_html(b, title);
	buf_puts(b, "\">\n<title>");
	buf_html(b, title);
	buf_printf(b,
	    "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
	    "fill=\"#ffffff\" stroke=\"#ccd3da\"/>\n"
	    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#e2e6ea\"/>\n",
	    CHART_W, CHART_H, CHART_PAD, CHART_H / 2, CHART_W - CHART_PAD,
	    CHART_H / 2);
	/* the line: one polyline per run of months with a value */
	for (int i = 0; i <= n; i++) {
		bool has = i < n && !isnan(v[i]);

		if (has && !open) {
			buf_puts(b,
			    "<polyline fill=\"none\" stroke=\"#b71c1c\" "
			    "stroke-width=\"2\" points=\"");
			open = true;
		}
		if (has) {
			double x = CHART_PAD + step * i;
			double y = CHART_H - CHART_PAD -
			    (fmin(v[i], max) / max) * (CHART_H - 2 * CHART_PAD);

			buf_printf(b, "%.1f,%.1f ", x, y);
		}
		if (!has && open) {
			buf_puts(b, "\"/>\n");
			open = false;
		}
	}
	for (int i = 0; i < n; i++) {
		char ms[8];
		double x, y;

		if (isnan(v[i]))
			continue;
		x = CHART_PAD + step * i;
		y = CHART_H - CHART_PAD -
		    (fmin(v[i], max) / max) * (CHART_H - 2 * CHART_PAD);
		month_format(months[i], ms);
		buf_printf(b,
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
		    "fill=\"#b71c1c\"><title>%s: ",
		    x, y, ms);
		figpage_value(c, b, v[i], k);
		buf_puts(b, "</title></circle>\n");
	}
	buf_printf(b,
	    "<text x=\"%d\" y=\"%d\" font-size=\"10\" "
	    "fill=\"#555555\">%s</text>\n<text x=\"%d\" y=\"%d\" "
	    "font-size=\"10\" fill=\"#555555\" text-anchor=\"end\">%s</text>\n"
	    "</svg>\n<figcaption>",
	    CHART_PAD, CHART_H + 12, m0, CHART_W - CHART_PAD, CHART_H + 12, m1);
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
