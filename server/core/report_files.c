/* report_files.c -- report.json rendered as CSV, XLSX and printable HTML. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/report.h"
#include "core/report_pdf.h"

/* How a column is shown. */
enum col_kind { K_TEXT, K_COUNT, K_RATE, K_MEAN, K_POINTS };

/*
 * One column of a scope row: the key in the scope object ("a.b" reads
 * b inside a, "a[i]" the i-th of array a), its Vietnamese header.
 */
struct col {
	const char *key;
	const char *label;
	enum col_kind kind;
};

static const struct col cols[] = {
	{ "ratings", "Số đánh giá hợp lệ", K_COUNT },
	{ "by_level[4]", "Rất hài lòng (5)", K_COUNT },
	{ "by_level[3]", "Hài lòng (4)", K_COUNT },
	{ "by_level[2]", "Bình thường (3)", K_COUNT },
	{ "by_level[1]", "Không hài lòng (2)", K_COUNT },
	{ "by_level[0]", "Rất không hài lòng (1)", K_COUNT },
	{ "satisfied_rate", "Tỷ lệ hài lòng", K_RATE },
	{ "satisfied_rate_ci[0]", "Tỷ lệ hài lòng: cận dưới 95%", K_RATE },
	{ "satisfied_rate_ci[1]", "Tỷ lệ hài lòng: cận trên 95%", K_RATE },
	{ "dissatisfied_rate", "Tỷ lệ không hài lòng", K_RATE },
	{ "mean_level", "Mức trung bình (1-5)", K_MEAN },
	{ "ballot_score", "Điểm phiếu (0-18)", K_MEAN },
	{ "officer_score", "Điểm cán bộ (0-10)", K_MEAN },
	{ "reported_supplement_rate", "Tỷ lệ phải bổ sung (người dân báo)",
	    K_RATE },
	{ "reported_online_error_rate", "Tỷ lệ lỗi trực tuyến (người dân báo)",
	    K_RATE },
	{ "dossiers", "Số hồ sơ tiếp nhận", K_COUNT },
	{ "online_rate", "Tỷ lệ hồ sơ trực tuyến", K_RATE },
	{ "full_online_rate", "Tỷ lệ trực tuyến toàn trình", K_RATE },
	{ "on_time_rate", "Tỷ lệ đúng hạn", K_RATE },
	{ "supplement_rate", "Tỷ lệ yêu cầu bổ sung", K_RATE },
	{ "multi_supplement_rate", "Tỷ lệ bổ sung từ 2 lần", K_RATE },
	{ "correction_rate", "Tỷ lệ sửa lỗi", K_RATE },
	{ "supplement_or_correction_rate", "Tỷ lệ bổ sung hoặc sửa lỗi",
	    K_RATE },
	{ "digitized_rate", "Tỷ lệ số hóa", K_RATE },
	{ "handling_satisfaction_rate", "Tỷ lệ hài lòng xử lý hồ sơ (5.4)",
	    K_RATE },
	{ "points.2.1", "Điểm 2.1", K_POINTS },
	{ "points.3.3", "Điểm 3.3", K_POINTS },
	{ "points.4.2", "Điểm 4.2", K_POINTS },
	{ "points.5.4", "Điểm 5.4", K_POINTS },
	/* why (definition version 2; empty for a version-1 report) */
	{ "reasons_given", "Số đánh giá nêu lý do", K_COUNT },
	{ "visits_answered", "Số đánh giá trả lời số lần đi lại", K_COUNT },
	{ "visits_mean", "Số lần đi lại trung bình", K_MEAN },
	{ "one_visit_rate", "Tỷ lệ xong trong một lần đi", K_RATE },
	{ "by_channel.kiosk.ratings", "Đánh giá tại ki-ốt", K_COUNT },
	{ "by_channel.kiosk.satisfied_rate", "Tỷ lệ hài lòng tại ki-ốt",
	    K_RATE },
	{ "by_channel.qr.ratings", "Đánh giá qua mã QR", K_COUNT },
	{ "by_channel.qr.satisfied_rate", "Tỷ lệ hài lòng qua mã QR", K_RATE },
	{ "by_channel.web.ratings", "Đánh giá trên cổng trực tuyến", K_COUNT },
	{ "by_channel.web.satisfied_rate",
	    "Tỷ lệ hài lòng trên cổng trực tuyến", K_RATE },
	{ "by_channel.import.ratings", "Đánh giá nhập từ phiếu, hệ thống khác",
	    K_COUNT },
	{ "by_channel.import.satisfied_rate",
	    "Tỷ lệ hài lòng (phiếu, hệ thống khác)", K_RATE },
	{ "coverage_rate", "Tỷ lệ hồ sơ được đánh giá", K_RATE },
	{ "excluded.burst", "Không tính: bấm liên tiếp", K_COUNT },
	{ "excluded.duplicate", "Không tính: trùng lặp", K_COUNT },
	{ "excluded.misuse", "Không tính: sử dụng sai", K_COUNT },
	{ "excluded.spam", "Không tính: rác (spam)", K_COUNT },
	{ "dossier_by_channel.counter.dossiers", "Hồ sơ nộp tại quầy",
	    K_COUNT },
	{ "dossier_by_channel.counter.on_time_rate",
	    "Tỷ lệ đúng hạn: nộp tại quầy", K_RATE },
	{ "dossier_by_channel.counter.supplement_or_correction_rate",
	    "Tỷ lệ bổ sung hoặc sửa lỗi: nộp tại quầy", K_RATE },
	{ "dossier_by_channel.online.dossiers", "Hồ sơ nộp trực tuyến",
	    K_COUNT },
	{ "dossier_by_channel.online.on_time_rate",
	    "Tỷ lệ đúng hạn: nộp trực tuyến", K_RATE },
	{ "dossier_by_channel.online.supplement_or_correction_rate",
	    "Tỷ lệ bổ sung hoặc sửa lỗi: nộp trực tuyến", K_RATE },
	{ "dossier_by_channel.post.dossiers", "Hồ sơ nộp qua bưu chính",
	    K_COUNT },
	{ "dossier_by_channel.post.on_time_rate",
	    "Tỷ lệ đúng hạn: nộp qua bưu chính", K_RATE },
	{ "dossier_by_channel.post.supplement_or_correction_rate",
	    "Tỷ lệ bổ sung hoặc sửa lỗi: nộp qua bưu chính", K_RATE },
};

/* The counts behind the figures, in the CSV and the sheets. */
static const char *const count_keys[] = { "ballot_n", "ballot_sum", "officer_n",
	"officer_sum", "supplement_answered", "supplement_yes",
	"online_error_answered", "online_error_yes", "online", "full_online",
	"judged", "on_time", "supplement", "multi_supplement", "correction",
	"supplement_or_correction", "digitized", "bad" };

static const struct {
	const char *key;   /* the list in report.json */
	const char *kind;  /* the CSV's "scope" column */
	const char *sheet; /* the XLSX sheet */
	const char *title; /* the HTML heading */
} lists[] = {
	{ "procedures", "procedure", "Thủ tục", "Theo thủ tục hành chính" },
	{ "counters", "counter", "Quầy", "Theo quầy" },
	{ "officers", "officer", "Cán bộ", "Theo cán bộ" },
};

/* The value at `key` of a scope (see struct col), or NULL. */
static json_t *
col_value(json_t *scope, const char *key)
{
	const char *br = strchr(key, '['), *dot;
	char name[64];

	if (br != NULL) {
		size_t n = (size_t)(br - key);

		if (n >= sizeof(name))
			return NULL;
		memcpy(name, key, n);
		name[n] = '\0';
		return json_array_get(
		    json_object_get(scope, name), (size_t)atoi(br + 1));
	}
	dot = strchr(key, '.');
	if (dot != NULL && strncmp(key, "points", 6) == 0)
		return json_object_get(
		    json_object_get(scope, "points"), dot + 1);
	/* "a.b.c": objects within objects (by_channel.kiosk.ratings) */
	while (dot != NULL && scope != NULL) {
		size_t n = (size_t)(dot - key);

		if (n >= sizeof(name))
			return NULL;
		memcpy(name, key, n);
		name[n] = '\0';
		scope = json_object_get(scope, name);
		key = dot + 1;
		dot = strchr(key, '.');
	}
	return json_object_get(scope, key);
}

/*
 * The columns of one report: the fixed ones, then one per reason code
 * of the questionnaire the report names (reason_codes; a version-1
 * report names none).
 */
struct colset {
	struct col *v;
	size_t n;
};

static void
colset_init(struct colset *cs, const json_t *doc)
{
	const json_t *codes = json_object_get(doc, "reason_codes");
	size_t extra = json_array_size(codes);

	cs->n = 0;
	cs->v = xcalloc(ARRAY_SIZE(cols) + extra, sizeof(*cs->v));
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		cs->v[cs->n++] = cols[i];
	for (size_t i = 0; i < extra; i++) {
		const char *code = json_string_value(json_array_get(codes, i));
		char key[64], label[80];

		if (code == NULL || strlen(code) > 24)
			continue;
		snprintf(key, sizeof(key), "reasons.%s", code);
		snprintf(label, sizeof(label), "Lý do: %s", code);
		cs->v[cs->n].key = xstrdup(key);
		cs->v[cs->n].label = xstrdup(label);
		cs->v[cs->n++].kind = K_COUNT;
	}
}

static void
colset_release(struct colset *cs)
{
	for (size_t i = ARRAY_SIZE(cols); i < cs->n; i++) {
		free((char *)(uintptr_t)cs->v[i].key);
		free((char *)(uintptr_t)cs->v[i].label);
	}
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

/* The scope's own key columns: code, unit, counter, name. */
static const char *
str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A number as report.json prints it; "" for null. */
static void
num_text(json_t *v, char *out, size_t size)
{
	char *s;

	out[0] = '\0';
	if (v == NULL || json_is_null(v))
		return;
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	if (s != NULL) {
		strlcpy_hl(out, s, size);
		free(s);
	}
}

/*
 * A text cell.  One that starts with '=', '+', '-', '@', a tab or a CR
 * would be read by a spreadsheet as a formula (names come from
 * subordinates' signed reports, not only from this server): such a cell
 * is written with a leading apostrophe, so it shows as the text it is.
 * Numbers are not written through here and stay numbers.
 */
static void
csv_field(struct buf *b, const char *s)
{
	bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
flags_text(const json_t *scope, struct buf *b)
{
	json_t *f = json_object_get(scope, "flags");

	for (size_t i = 0; i < json_array_size(f); i++) {
		if (i > 0)
			buf_putc(b, ' ');
		buf_puts(b, json_string_value(json_array_get(f, i)));
	}
}

static void
csv_row(struct buf *b, const struct colset *cs, const char *kind, json_t *scope,
    const json_t *doc)
{
	json_t *counts = json_object_get(scope, "counts");
	struct buf fl = { 0 };
	char num[64], ctr[16] = "";

	csv_field(b, kind);
	buf_putc(b, ',');
	if (strcmp(kind, "total") == 0) {
		buf_putc(b, ',');
		csv_field(b, str_of(doc, "unit"));
		buf_puts(b, ",,");
		csv_field(b, str_of(doc, "unit_name"));
	} else {
		csv_field(b,
		    str_of(
			scope, strcmp(kind, "officer") == 0 ? "id" : "code"));
		buf_putc(b, ',');
		csv_field(b, str_of(scope, "unit"));
		buf_putc(b, ',');
		if (json_is_integer(json_object_get(scope, "counter")))
			snprintf(ctr, sizeof(ctr), "%lld",
			    (long long)json_integer_value(
				json_object_get(scope, "counter")));
		buf_puts(b, ctr);
		buf_putc(b, ',');
		csv_field(b, str_of(scope, "name"));
	}
	for (size_t i = 0; i < cs->n; i++) {
		num_text(col_value(scope, cs->v[i].key), num, sizeof(num));
		buf_putc(b, ',');
		buf_puts(b, num);
	}
	buf_putc(b, ',');
	flags_text(scope, &fl);
	csv_field(b, buf_str(&fl));
	buf_release(&fl);
	for (size_t i = 0; i < ARRAY_SIZE(count_keys); i++) {
		num_text(
		    json_object_get(counts, count_keys[i]), num, sizeof(num));
		buf_putc(b, ',');
		buf_puts(b, num);
	}
	buf_puts(b, "\r\n");
}

int
report_csv(const json_t *doc, struct buf *b)
{
	const json_t *d = doc;
	struct colset cs;

	colset_init(&cs, doc);
	/* the BOM makes Excel read UTF-8 (Vietnamese) rather than ANSI */
	buf_puts(b, "\xEF\xBB\xBF");
	buf_puts(b, "scope,code,unit,counter,name");
	for (size_t i = 0; i < cs.n; i++) {
		buf_putc(b, ',');
		csv_field(b, cs.v[i].key);
	}
	buf_puts(b, ",flags");
	for (size_t i = 0; i < ARRAY_SIZE(count_keys); i++)
		buf_printf(b, ",counts.%s", count_keys[i]);
	buf_puts(b, "\r\n");
	csv_row(b, &cs, "total", json_object_get(d, "total"), doc);
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		json_t *a = json_object_get(d, lists[l].key);

		for (size_t i = 0; i < json_array_size(a); i++)
			csv_row(
			    b, &cs, lists[l].kind, json_array_get(a, i), doc);
	}
	colset_release(&cs);
	return buf_failed(b) ? -1 : 0;
}

/* --- HTML ----------------------------------------------------------------- */

/* A figure for people: 87.5 %, 4.25, 12; "—" for null. */
static void
human(json_t *v, enum col_kind k, char *out, size_t size)
{
	if (v == NULL || json_is_null(v)) {
		strlcpy_hl(out, "—", size);
		return;
	}
	switch (k) {
	case K_RATE:
		snprintf(out, size, "%.2f %%", 100.0 * json_number_value(v));
		break;
	case K_MEAN: snprintf(out, size, "%.4f", json_number_value(v)); break;
	case K_POINTS: snprintf(out, size, "%.2f", json_number_value(v)); break;
	case K_COUNT:
	case K_TEXT:
	default: num_text(v, out, size); break;
	}
}

static const char html_style[] =
    "@page{size:A4;margin:15mm}"
    "body{font:10pt/1.35 'Noto Sans','DejaVu Sans',Arial,sans-serif;"
    "color:#111;max-width:180mm;margin:0 auto}"
    "h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:14pt 0 4pt;"
    "break-after:avoid}table{border-collapse:collapse;width:100%;"
    "margin:4pt 0}th,td{border:1px solid #999;padding:2pt 4pt;"
    "text-align:left;vertical-align:top}td.n{text-align:right}"
    "tr{break-inside:avoid}.meta td:first-child{width:45%}"
    ".note{color:#444;font-size:9pt}code{word-break:break-all}";

static void
meta_row(struct buf *b, const char *label, const char *value)
{
	buf_puts(b, "<tr><td>");
	buf_html(b, label);
	buf_puts(b, "</td><td>");
	buf_html(b, value);
	buf_puts(b, "</td></tr>\n");
}

static void
html_scope_table(struct buf *b, json_t *a, const char *kind)
{
	buf_puts(b,
	    "<table>\n<tr><th>Mã</th><th>Tên</th><th>Đánh giá</th>"
	    "<th>Tỷ lệ hài lòng</th><th>Hồ sơ</th><th>Đúng hạn</th>"
	    "<th>Trực tuyến</th><th>Cảnh báo</th></tr>\n");
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);
		struct buf fl = { 0 };
		char v[64], code[64];

		if (strcmp(kind, "counter") == 0)
			snprintf(code, sizeof(code), "%s #%lld",
			    str_of(s, "unit"),
			    (long long)json_integer_value(
				json_object_get(s, "counter")));
		else
			strlcpy_hl(code,
			    str_of(s,
				strcmp(kind, "officer") == 0 ? "id" : "code"),
			    sizeof(code));
		buf_puts(b, "<tr><td>");
		buf_html(b, code);
		buf_puts(b, "</td><td>");
		buf_html(b, str_of(s, "name"));
		human(json_object_get(s, "ratings"), K_COUNT, v, sizeof(v));
		buf_printf(b, "</td><td class=\"n\">%s", v);
		human(
		    json_object_get(s, "satisfied_rate"), K_RATE, v, sizeof(v));
		buf_printf(b, "</td><td class=\"n\">%s", v);
		human(json_object_get(s, "dossiers"), K_COUNT, v, sizeof(v));
		buf_printf(b, "</td><td class=\"n\">%s", v);
		human(json_object_get(s, "on_time_rate"), K_RATE, v, sizeof(v));
		buf_printf(b, "</td><td class=\"n\">%s", v);
		human(json_object_get(s, "online_rate"), K_RATE, v, sizeof(v));
		buf_printf(b, "</td><td class=\"n\">%s</td><td>", v);
		flags_text(s, &fl);
		buf_html(b, buf_str(&fl));
		buf_release(&fl);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n");
}

int
report_html(const json_t *doc, struct buf *b)
{
	return report_html_ex(doc, NULL, b);
}

int
report_html_ex(const json_t *doc, const struct report_extra *x, struct buf *b)
{
	const json_t *d = doc;
	json_t *total, *a;
	json_t *chain = json_object_get(d, "ratings_chain");
	struct colset cs;
	char title[512], v[64];

	(void)x;
	snprintf(title, sizeof(title), "Báo cáo tháng %s — %s",
	    str_of(d, "month"), str_of(d, "unit_name"));
	buf_puts(b,
	    "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>");
	buf_html(b, title);
	buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
	    html_style);
	buf_html(b, title);
	buf_puts(b,
	    "</h1>\n<p class=\"note\">Số liệu theo dõi nội bộ "
	    "(không phải điểm chính thức). Báo cáo có chữ ký số: "
	    "report.json.p7s trên đúng các byte của report.json.</p>\n"
	    "<table class=\"meta\">\n");
	meta_row(b, "Đơn vị", str_of(d, "unit_name"));
	meta_row(b, "Mã định danh", str_of(d, "unit"));
	meta_row(b, "Mã đơn vị hành chính",
	    str_of(json_object_get(d, "unit_codes"), "statistical"));
	meta_row(b, "Kỳ báo cáo", str_of(d, "month"));
	meta_row(b, "Từ", str_of(json_object_get(d, "period"), "start"));
	meta_row(
	    b, "Đến (không gồm)", str_of(json_object_get(d, "period"), "end"));
	meta_row(b, "Số liệu tính đến", str_of(d, "as_of"));
	meta_row(b, "Chương trình", str_of(d, "generator"));
	num_text(json_object_get(d, "definition_version"), v, sizeof(v));
	meta_row(b, "Phiên bản định nghĩa chỉ số", v);
	meta_row(b, "Chuỗi băm đánh giá (đầu chuỗi)", str_of(chain, "head"));
	num_text(json_object_get(chain, "ratings"), v, sizeof(v));
	meta_row(b, "Số bản ghi đánh giá trong chuỗi", v);
	buf_puts(b, "</table>\n<h2>Tổng hợp</h2>\n<table>\n");
	total = json_object_get(d, "total");
	colset_init(&cs, doc);
	for (size_t i = 0; i < cs.n; i++) {
		human(
		    col_value(total, cs.v[i].key), cs.v[i].kind, v, sizeof(v));
		buf_puts(b, "<tr><td>");
		buf_html(b, cs.v[i].label);
		buf_printf(b, "</td><td class=\"n\">%s</td></tr>\n", v);
	}
	colset_release(&cs);
	buf_puts(b, "</table>\n");
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		a = json_object_get(d, lists[l].key);
		if (json_array_size(a) == 0)
			continue;
		buf_puts(b, "<h2>");
		buf_html(b, lists[l].title);
		buf_puts(b, "</h2>\n");
		html_scope_table(b, a, lists[l].kind);
	}
	buf_puts(b, "<h2>Báo cáo của đơn vị cấp dưới đã tổng hợp</h2>\n");
	a = json_object_get(d, "included_reports");
	if (json_array_size(a) == 0)
		buf_puts(b, "<p>Không có.</p>\n");
	else
		buf_puts(b,
		    "<table>\n<tr><th>Đơn vị</th><th>Nhận lúc</th>"
		    "<th>SHA-256 của report.json</th></tr>\n");
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *r = json_array_get(a, i);

		buf_puts(b, "<tr><td>");
		buf_html(b, str_of(r, "unit_name"));
		buf_puts(b, " (");
		buf_html(b, str_of(r, "unit"));
		buf_puts(b, ")</td><td>");
		buf_html(b, str_of(r, "received_at"));
		buf_puts(b, "</td><td><code>");
		buf_html(b, str_of(r, "sha256"));
		buf_puts(b, "</code></td></tr>\n");
	}
	if (json_array_size(a) > 0)
		buf_puts(b, "</table>\n");
	buf_puts(b, "<h2>Đơn vị cấp dưới chưa có báo cáo</h2>\n");
	a = json_object_get(d, "missing_reports");
	if (json_array_size(a) == 0)
		buf_puts(b, "<p>Không có.</p>\n");
	else
		buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *r = json_array_get(a, i);

		buf_puts(b, "<li>");
		buf_html(b, str_of(r, "unit_name"));
		buf_puts(b, " (");
		buf_html(b, str_of(r, "unit"));
		buf_puts(b, ")</li>\n");
	}
	if (json_array_size(a) > 0)
		buf_puts(b, "</ul>\n");
	buf_puts(b, "</body>\n</html>\n");
	return buf_failed(b) ? -1 : 0;
}

/* --- XLSX ------------------------------------------------------------------ */

struct xlsx {
	lxw_workbook *wb;
	lxw_format *bold, *pct, *mean, *pts, *wrap;
	struct colset cols;
};

static lxw_format *
col_format(struct xlsx *x, enum col_kind k)
{
	switch (k) {
	case K_RATE: return x->pct;
	case K_MEAN: return x->mean;
	case K_POINTS: return x->pts;
	case K_COUNT:
	case K_TEXT:
	default: return NULL;
	}
}

static void
cell(struct xlsx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v,
    enum col_kind k)
{
	if (v == NULL || json_is_null(v))
		return;
	if (json_is_number(v))
		worksheet_write_number(
		    ws, r, c, json_number_value(v), col_format(x, k));
	else if (json_is_string(v))
		worksheet_write_string(ws, r, c, json_string_value(v), NULL);
}

static void
scope_sheet(struct xlsx *x, json_t *a, const char *kind, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	lxw_col_t c = 0;

	worksheet_write_string(ws, 0, c++, "Mã", x->bold);
	worksheet_write_string(ws, 0, c++, "Đơn vị", x->bold);
	if (strcmp(kind, "counter") == 0)
		worksheet_write_string(ws, 0, c++, "Quầy", x->bold);
	worksheet_write_string(ws, 0, c++, "Tên", x->bold);
	for (size_t i = 0; i < x->cols.n; i++)
		worksheet_write_string(ws, 0, c++, x->cols.v[i].label, x->wrap);
	worksheet_write_string(ws, 0, c++, "Cảnh báo", x->bold);
	for (size_t i = 0; i < ARRAY_SIZE(count_keys); i++) {
		char h[64];

		snprintf(h, sizeof(h), "counts.%s", count_keys[i]);
		worksheet_write_string(ws, 0, c++, h, x->bold);
	}
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 12, NULL);
	worksheet_set_column(ws, 2, 3, 36, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);
		lxw_row_t r = (lxw_row_t)(i + 1);
		struct buf fl = { 0 };

		c = 0;
		worksheet_write_string(ws, r, c++,
		    str_of(s, strcmp(kind, "officer") == 0 ? "id" : "code"),
		    NULL);
		worksheet_write_string(ws, r, c++, str_of(s, "unit"), NULL);
		if (strcmp(kind, "counter") == 0)
			cell(x, ws, r, c++, json_object_get(s, "counter"),
			    K_COUNT);
		worksheet_write_string(ws, r, c++, str_of(s, "name"), NULL);
		for (size_t k = 0; k < x->cols.n; k++, c++)
			cell(x, ws, r, c, col_value(s, x->cols.v[k].key),
			    x->cols.v[k].kind);
		flags_text(s, &fl);
		worksheet_write_string(ws, r, c++, buf_str(&fl), NULL);
		buf_release(&fl);
		for (size_t k = 0; k < ARRAY_SIZE(count_keys); k++, c++)
			cell(x, ws, r, c,
			    json_object_get(
				json_object_get(s, "counts"), count_keys[k]),
			    K_COUNT);
	}
}

int
report_xlsx(const json_t *doc, const char *path, char *err, size_t errlen)
{
	const json_t *d = doc;
	json_t *total, *chain, *a;
	lxw_doc_properties props = { 0 };
	lxw_workbook_options wopts = { 0 };
	lxw_worksheet *ws;
	struct xlsx x = { 0 };
	lxw_error e;
	lxw_row_t r = 0;
	int64_t t;
	char v[64], title[512], author[] = "hailong";
	const char *as_of;

	wopts.tmpdir = NULL;
	colset_init(&x.cols, doc);
	x.wb = workbook_new_opt(path, &wopts);
	if (x.wb == NULL) {
		colset_release(&x.cols);
		snprintf(err, errlen, "cannot create '%s'", path);
		return -1;
	}
	x.bold = workbook_add_format(x.wb);
	format_set_bold(x.bold);
	x.wrap = workbook_add_format(x.wb);
	format_set_bold(x.wrap);
	format_set_text_wrap(x.wrap);
	x.pct = workbook_add_format(x.wb);
	format_set_num_format(x.pct, "0.00%");
	x.mean = workbook_add_format(x.wb);
	format_set_num_format(x.mean, "0.0000");
	x.pts = workbook_add_format(x.wb);
	format_set_num_format(x.pts, "0.00");
	snprintf(title, sizeof(title), "Báo cáo tháng %s — %s",
	    str_of(d, "month"), str_of(d, "unit_name"));
	props.title = title;
	props.author = author;
	as_of = str_of(d, "as_of");
	/* the report's own instant, not the clock: same data, same file */
	if (rfc3339_parse(as_of, strlen(as_of), &t) == 0)
		props.created = (time_t)t;
	workbook_set_properties(x.wb, &props);

	ws = workbook_add_worksheet(x.wb, "Tổng hợp");
	worksheet_set_column(ws, 0, 0, 44, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_write_string(ws, r++, 0, title, x.bold);
	chain = json_object_get(d, "ratings_chain");
	{
		const struct {
			const char *label, *value;
		} meta[] = {
			{ "Đơn vị", str_of(d, "unit_name") },
			{ "Mã định danh", str_of(d, "unit") },
			{ "Mã đơn vị hành chính",
			    str_of(json_object_get(d, "unit_codes"),
				"statistical") },
			{ "Kỳ báo cáo", str_of(d, "month") },
			{ "Số liệu tính đến", as_of },
			{ "Chương trình", str_of(d, "generator") },
			{ "Đầu chuỗi băm đánh giá", str_of(chain, "head") },
		};

		for (size_t i = 0; i < ARRAY_SIZE(meta); i++, r++) {
			worksheet_write_string(ws, r, 0, meta[i].label, NULL);
			worksheet_write_string(ws, r, 1, meta[i].value, NULL);
		}
	}
	r++;
	total = json_object_get(d, "total");
	for (size_t i = 0; i < x.cols.n; i++, r++) {
		worksheet_write_string(ws, r, 0, x.cols.v[i].label, NULL);
		cell(&x, ws, r, 1, col_value(total, x.cols.v[i].key),
		    x.cols.v[i].kind);
	}
	r++;
	worksheet_write_string(
	    ws, r++, 0, "Báo cáo cấp dưới đã tổng hợp", x.bold);
	a = json_object_get(d, "included_reports");
	for (size_t i = 0; i < json_array_size(a); i++, r++) {
		json_t *o = json_array_get(a, i);

		snprintf(v, sizeof(v), "%s", str_of(o, "unit"));
		worksheet_write_string(ws, r, 0, str_of(o, "unit_name"), NULL);
		worksheet_write_string(ws, r, 1, v, NULL);
		worksheet_write_string(ws, r, 2, str_of(o, "sha256"), NULL);
	}
	worksheet_write_string(ws, r++, 0, "Cấp dưới chưa có báo cáo", x.bold);
	a = json_object_get(d, "missing_reports");
	for (size_t i = 0; i < json_array_size(a); i++, r++) {
		json_t *o = json_array_get(a, i);

		worksheet_write_string(ws, r, 0, str_of(o, "unit_name"), NULL);
		worksheet_write_string(ws, r, 1, str_of(o, "unit"), NULL);
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		scope_sheet(&x, json_object_get(d, lists[l].key), lists[l].kind,
		    lists[l].sheet);
	e = workbook_close(x.wb);
	colset_release(&x.cols);
	if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
		    lxw_strerror(e));
		return -1;
	}
	return 0;
}

/* --- the directory ---------------------------------------------------------- */

int
report_write_dir(const json_t *doc, const char *dir, char *err, size_t errlen)
{
	return report_write_files(doc, NULL, dir, err, errlen);
}

int
report_write_files(const json_t *doc, const struct report_extra *x,
    const char *dir, char *err, size_t errlen)
{
	struct buf csv = { 0 }, html = { 0 }, pdf = { 0 };
	char path[1024], tmp[1100];
	char *json;
	size_t len;
	int rc = -1;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	json = report_dumps(doc, &len);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	if (file_write_atomic(path, json, len, 0644, err, errlen) < 0)
		goto out;
	if (report_csv(doc, &csv) < 0 || report_html_ex(doc, x, &html) < 0) {
		snprintf(err, errlen, "the report is too large to render");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/report.csv", dir);
	if (file_write_atomic(path, csv.data, csv.len, 0644, err, errlen) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (file_write_atomic(path, html.data, html.len, 0644, err, errlen) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/report.xlsx", dir);
	snprintf(tmp, sizeof(tmp), "%s/.report.xlsx.tmp", dir);
	if (report_xlsx(doc, tmp, err, errlen) < 0)
		goto out;
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	buf_init(&pdf, REPORT_JSON_MAX);
	if (report_pdf(doc, x, &pdf, err, errlen) < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	if (file_write_atomic(path, pdf.data, pdf.len, 0644, err, errlen) < 0)
		goto out;
	/* signatures of an earlier report no longer apply */
	snprintf(path, sizeof(path), "%s/report.json.p7s", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/report.signed.pdf", dir);
	unlink(path);
	rc = 0;
out:
	buf_release(&pdf);
	buf_release(&csv);
	buf_release(&html);
	free(json);
	return rc;
}
