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
#include "core/fmt.h"
#include "core/labels.h"
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
	/* inclusion (definition version 3; empty for an older report) */
	{ "by_requester.citizen.ratings", "Đánh giá của người dân", K_COUNT },
	{ "by_requester.citizen.satisfied_rate", "Tỷ lệ hài lòng: người dân",
	    K_RATE },
	{ "by_requester.business.ratings", "Đánh giá của doanh nghiệp",
	    K_COUNT },
	{ "by_requester.business.satisfied_rate",
	    "Tỷ lệ hài lòng: doanh nghiệp", K_RATE },
	{ "by_requester.unspecified.ratings",
	    "Đánh giá không cho biết người đánh giá", K_COUNT },
	{ "by_requester.unspecified.satisfied_rate",
	    "Tỷ lệ hài lòng: không cho biết người đánh giá", K_RATE },
	{ "assisted.ratings", "Đánh giá có người hỗ trợ nhập", K_COUNT },
	{ "assisted.satisfied_rate", "Tỷ lệ hài lòng: có người hỗ trợ nhập",
	    K_RATE },
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
static const char *const count_labels[] = { "Số phiếu chấm điểm",
	"Tổng điểm phiếu", "Số đánh giá chấm điểm cán bộ", "Tổng điểm cán bộ",
	"Số trả lời về việc phải bổ sung", "Số trả lời đã phải bổ sung",
	"Số trả lời về lỗi trực tuyến", "Số trả lời gặp lỗi trực tuyến",
	"Số hồ sơ trực tuyến", "Số hồ sơ trực tuyến toàn trình",
	"Số hồ sơ có hạn giải quyết", "Số hồ sơ đúng hạn",
	"Số hồ sơ phải bổ sung", "Số hồ sơ bổ sung từ 2 lần",
	"Số hồ sơ phải sửa lỗi", "Số hồ sơ bổ sung hoặc sửa lỗi",
	"Số hồ sơ được số hóa", "Số hồ sơ không hài lòng (chỉ số 5.4)" };

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

/* "Phải chờ lâu"; an unknown code: "Lý do khác (code)". */
static void
reason_label(const char *code, char *out, size_t size)
{
	const char *l = report_reason_label(code);

	if (strcmp(l, "Lý do khác") == 0)
		snprintf(out, size, "%s (%s)", l, code ? code : "");
	else
		snprintf(out, size, "%s", l);
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
		char key[64], label[160], words[120];

		if (code == NULL || strlen(code) > 24)
			continue;
		snprintf(key, sizeof(key), "reasons.%s", code);
		reason_label(code, words, sizeof(words));
		snprintf(label, sizeof(label), "Lý do: %s", words);
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

/*
 * Two header rows.  The first, in Vietnamese words, is what a person
 * opening the file in a spreadsheet reads; the second holds the stable
 * machine keys ("satisfied_rate", "by_level[4]", "reasons.wait") that
 * programs read (skip one line, then read a CSV with a header: Python's
 * csv.DictReader after next(f)).  The values stay machine values
 * ("0.5480", codes of flags), as in report.json: the CSV is the data,
 * the HTML and the PDF are what people read.
 */
int
report_csv(const json_t *doc, struct buf *b)
{
	const json_t *d = doc;
	struct colset cs;

	colset_init(&cs, doc);
	/* the BOM makes Excel read UTF-8 (Vietnamese) rather than ANSI */
	buf_puts(b, "\xEF\xBB\xBF");
	buf_puts(b, "Phạm vi,Mã,Đơn vị,Quầy,Tên");
	for (size_t i = 0; i < cs.n; i++) {
		buf_putc(b, ',');
		csv_field(b, cs.v[i].label);
	}
	buf_puts(b, ",Cảnh báo (mã)");
	for (size_t i = 0; i < ARRAY_SIZE(count_keys); i++) {
		buf_putc(b, ',');
		csv_field(b, count_labels[i]);
	}
	buf_puts(b, "\r\n");
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

/*
 * The HTML is what a province reads on screen or prints: every figure
 * through fmt.h ("54,8 %", "3,40", "1.234", dd/mm/yyyy), codes in words
 * (labels.h), the levels and the 12-month trend as inline SVG (no
 * script; presentation attributes, no style attribute).
 *
 * Signed state: report.html is written by `report build`, before any
 * signature, and is never itself signed.  It therefore never says
 * "signed": it says that it carries no signature and where the
 * signatures are (report.signed.pdf, report.json.p7s).  The signed
 * document a unit files is the PDF.
 */

static void
h_val(struct buf *b, json_t *v, enum col_kind k)
{
	if (v == NULL || json_is_null(v) || !json_is_number(v)) {
		if (json_is_string(v))
			buf_html(b, json_string_value(v));
		else
			buf_puts(b, "—");
		return;
	}
	switch (k) {
	case K_RATE: fmt_percent(b, LANG_VI, json_number_value(v), 1); break;
	case K_MEAN:
	case K_POINTS: fmt_number(b, LANG_VI, json_number_value(v), 2); break;
	case K_COUNT:
	case K_TEXT:
	default:
		if (json_is_integer(v))
			fmt_count(b, LANG_VI, json_integer_value(v));
		else
			fmt_number(b, LANG_VI, json_number_value(v), 2);
		break;
	}
}

static void
h_row(struct buf *b, const char *label, json_t *v, enum col_kind k)
{
	buf_puts(b, "<tr><td>");
	buf_html(b, label);
	buf_puts(b, "</td><td class=\"n\">");
	h_val(b, v, k);
	buf_puts(b, "</td></tr>\n");
}

static int64_t
h_time(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	int64_t t = 0;

	if (s == NULL || rfc3339_parse(s, strlen(s), &t) < 0)
		return 0;
	return t;
}

static void
h_flags(struct buf *b, const json_t *scope)
{
	json_t *f = json_object_get(scope, "flags");

	for (size_t i = 0; i < json_array_size(f); i++) {
		const char *code = json_string_value(json_array_get(f, i));

		if (i > 0)
			buf_puts(b, "; ");
		buf_printf(b, "<span class=\"flag\" data-flag=\"");
		buf_html(b, code ? code : "");
		buf_puts(b, "\">");
		buf_html(b, report_flag_label(code));
		buf_puts(b, "</span>");
	}
}

static const char html_style[] =
    "@page{size:A4;margin:15mm}"
    "body{font:10pt/1.4 'DejaVu Sans','Noto Sans',Arial,sans-serif;"
    "color:#111;max-width:180mm;margin:0 auto;padding:0 8px}"
    ".lh{display:flex;justify-content:space-between;gap:12px;"
    "text-align:center;font-size:10pt;margin:8pt 0 14pt}"
    ".lh div{flex:1}"
    "h1{font-size:16pt;margin:0;text-align:center}"
    ".sub{text-align:center;font-weight:bold;margin:2pt 0 10pt}"
    "h2{font-size:12pt;margin:16pt 0 4pt;break-after:avoid}"
    "table{border-collapse:collapse;width:100%;margin:4pt 0}"
    "th,td{border:1px solid #999;padding:2pt 4pt;text-align:left;"
    "vertical-align:top}th{background:#e8edf5}td.n,th.n{text-align:right;"
    "white-space:nowrap}tr{break-inside:avoid}.meta td:first-child{width:40%}"
    "tr.sum td{font-weight:bold;background:#e8edf5}"
    ".note{color:#333;font-size:9pt;border-left:3px solid #c60;"
    "padding:2pt 6pt}code{word-break:break-all}"
    "svg{max-width:100%;height:auto;display:block}"
    ".wrap{overflow-x:auto}"
    "@media (max-width:600px){.lh{flex-direction:column}}";

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
svg_text(struct buf *b, double x, double y, const char *anchor, int size,
    const char *s)
{
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s%s%s>", x,
	    y, size, anchor ? " text-anchor=\"" : "", anchor ? anchor : "",
	    anchor ? "\"" : "");
	buf_html(b, s);
	buf_puts(b, "</text>");
}

/* The ratings at each level, 5 to 1, as horizontal bars. */
static void
svg_levels(struct buf *b, const json_t *total)
{
	static const char *const names[] = { "Rất không hài lòng",
		"Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng" };
	static const char *const colour[] = { "#b8402e", "#b8402e", "#8c8c8c",
		"#29784d", "#29784d" };
	const json_t *lv = json_object_get(total, "by_level");
	int64_t n = json_integer_value(json_object_get(total, "ratings"));
	int64_t max = 1;

	for (int i = 0; i < 5; i++)
		if (json_integer_value(json_array_get(lv, (size_t)i)) > max)
			max = json_integer_value(json_array_get(lv, (size_t)i));
	buf_puts(b,
	    "<svg viewBox=\"0 0 640 120\" role=\"img\" aria-label=\"Số đánh "
	    "giá theo mức độ\" font-family=\"DejaVu Sans, sans-serif\">\n");
	for (int i = 4, row = 0; i >= 0; i--, row++) {
		int64_t k = json_integer_value(json_array_get(lv, (size_t)i));
		double y = 4 + row * 23;
		char lab[64], sh[FMT_MAX];
		struct buf v = { 0 };

		snprintf(lab, sizeof(lab), "%s (%d)", names[i], i + 1);
		svg_text(b, 0, y + 13, NULL, 12, lab);
		buf_printf(b,
		    "<rect x=\"170\" y=\"%.1f\" width=\"360\" height=\"16\" "
		    "fill=\"#e6e6e6\"/><rect x=\"170\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"16\" fill=\"%s\"/>",
		    y, y, 360.0 * (double)k / (double)max, colour[i]);
		fmt_count(&v, LANG_VI, k);
		if (n > 0)
			buf_printf(&v, " (%s)",
			    fmt_percent_s(
				sh, LANG_VI, (double)k / (double)n, 1));
		svg_text(b, 536, y + 13, NULL, 12, buf_str(&v));
		buf_release(&v);
		buf_puts(b, "\n");
	}
	buf_puts(b, "</svg>\n");
}

/* The satisfied share of each month, with a 0-100 % axis. */
static void
svg_trend(struct buf *b, const struct report_extra *x)
{
	const double x0 = 48, w = 588, top = 10, h = 150;
	const double cw = w / REPORT_TREND_MONTHS;

	buf_puts(b,
	    "<svg viewBox=\"0 0 640 190\" role=\"img\" aria-label=\"Tỷ lệ "
	    "hài lòng 12 tháng\" font-family=\"DejaVu Sans, sans-serif\">\n");
	for (int g = 0; g <= 4; g++) {
		char lab[FMT_MAX];
		double gy = top + h - h * g / 4.0;

		fmt_percent_s(lab, LANG_VI, g / 4.0, 0);
		svg_text(b, x0 - 6, gy + 4, "end", 11, lab);
		buf_printf(b,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#ccc\" stroke-width=\"1\"/>\n",
		    x0, gy, x0 + w, gy);
	}
	for (int i = 0; i < x->ntrend; i++) {
		const struct report_trend_month *t = &x->trend[i];
		double bx = x0 + cw * (REPORT_TREND_MONTHS - x->ntrend + i);
		char lab[16], v[FMT_MAX];

		snprintf(lab, sizeof(lab), "%02d/%04d", t->month % 100,
		    t->month / 100);
		svg_text(b, bx + cw / 2, top + h + 16, "middle", 10, lab);
		if (isnan(t->satisfied_rate)) {
			svg_text(
			    b, bx + cw / 2, top + h - 4, "middle", 11, "—");
			continue;
		}
		buf_printf(b,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" "
		    "fill=\"#33669f\"><title>",
		    bx + cw * 0.2, top + h - h * t->satisfied_rate, cw * 0.6,
		    h * t->satisfied_rate);
		fmt_percent_s(v, LANG_VI, t->satisfied_rate, 1);
		buf_printf(b, "%s", v);
		buf_puts(b, "</title></rect>");
		svg_text(b, bx + cw / 2, top + h - h * t->satisfied_rate - 3,
		    "middle", 10,
		    fmt_percent_s(v, LANG_VI, t->satisfied_rate, 0));
		buf_puts(b, "\n");
	}
	buf_puts(b,
	    "</svg>\n<p class=\"note\">Tỷ lệ người đánh giá hài lòng "
	    "hoặc rất hài lòng của từng tháng (—: tháng không có đánh "
	    "giá).</p>\n");
}

static void
html_scope_table(struct buf *b, json_t *a, const char *kind)
{
	buf_puts(b,
	    "<div class=\"wrap\"><table>\n<tr><th>Mã</th><th>Tên</th>"
	    "<th class=\"n\">Đánh giá</th><th class=\"n\">Tỷ lệ hài lòng</th>"
	    "<th class=\"n\">Hồ sơ</th><th class=\"n\">Đúng hạn</th>"
	    "<th class=\"n\">Trực tuyến</th><th>Cảnh báo</th></tr>\n");
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *s = json_array_get(a, i);
		char code[64];

		if (strcmp(kind, "counter") == 0)
			snprintf(code, sizeof(code), "%s, quầy %lld",
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
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(s, "ratings"), K_COUNT);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(s, "satisfied_rate"), K_RATE);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(s, "dossiers"), K_COUNT);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(s, "on_time_rate"), K_RATE);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(s, "online_rate"), K_RATE);
		buf_puts(b, "</td><td>");
		h_flags(b, s);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table></div>\n");
}

static void
html_points(struct buf *b, const json_t *d, json_t *total)
{
	static const struct {
		const char *key, *label;
	} pts[] = {
		{ "2.1", "2.1 Hồ sơ giải quyết đúng hạn" },
		{ "3.3", "3.3 Hồ sơ nộp trực tuyến" },
		{ "4.2", "4.2 Hồ sơ được số hóa" },
		{ "5.4", "5.4 Hài lòng về xử lý hồ sơ" },
	};
	json_t *pv = json_object_get(total, "points");
	json_t *rp = json_object_get(json_object_get(d, "rules"), "points");
	double sum = 0, max = 0;

	buf_puts(b,
	    "<table>\n<tr><th>Chỉ số (Bộ chỉ số 766)</th>"
	    "<th class=\"n\">Điểm</th><th class=\"n\">Tối đa</th></tr>\n");
	for (size_t i = 0; i < ARRAY_SIZE(pts); i++) {
		json_t *m =
		    json_object_get(json_object_get(rp, pts[i].key), "max");

		sum += json_number_value(json_object_get(pv, pts[i].key));
		max += json_number_value(m);
		buf_puts(b, "<tr><td>");
		buf_html(b, pts[i].label);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, json_object_get(pv, pts[i].key), K_POINTS);
		buf_puts(b, "</td><td class=\"n\">");
		h_val(b, m, K_COUNT);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "<tr class=\"sum\"><td>Tổng điểm</td><td class=\"n\">");
	fmt_number(b, LANG_VI, sum, 2);
	buf_puts(b, "</td><td class=\"n\">");
	fmt_number(b, LANG_VI, max, 0);
	buf_puts(b, "</td></tr>\n</table>\n");
}

static void
html_flags(struct buf *b, const json_t *d)
{
	static const struct {
		const char *key, *word;
	} fl_lists[] = {
		{ "procedures", "Thủ tục" },
		{ "counters", "Quầy" },
		{ "officers", "Cán bộ" },
	};
	json_t *total = json_object_get(d, "total");
	bool any = false, ul = false;

	if (json_array_size(json_object_get(total, "flags")) > 0) {
		buf_puts(b, "<p>Toàn đơn vị: ");
		h_flags(b, total);
		buf_puts(b, "</p>\n");
		any = true;
	}
	for (size_t l = 0; l < ARRAY_SIZE(fl_lists); l++) {
		json_t *a = json_object_get(d, fl_lists[l].key);

		for (size_t i = 0; i < json_array_size(a); i++) {
			json_t *s = json_array_get(a, i);

			if (json_array_size(json_object_get(s, "flags")) == 0)
				continue;
			if (!ul)
				buf_puts(b, "<ul>\n");
			ul = any = true;
			buf_printf(b, "<li>%s ", fl_lists[l].word);
			if (strcmp(fl_lists[l].key, "counters") == 0)
				buf_printf(b, "%lld (",
				    (long long)json_integer_value(
					json_object_get(s, "counter")));
			buf_html(b,
			    str_of(s,
				strcmp(fl_lists[l].key, "counters") == 0
				    ? "unit"
				    : strcmp(fl_lists[l].key, "officers") == 0
				    ? "id"
				    : "code"));
			buf_puts(b,
			    strcmp(fl_lists[l].key, "counters") == 0 ? ") "
								     : " ");
			buf_html(b, str_of(s, "name"));
			buf_puts(b, ": ");
			h_flags(b, s);
			buf_puts(b, "</li>\n");
		}
	}
	if (ul)
		buf_puts(b, "</ul>\n");
	if (!any)
		buf_puts(b, "<p>Không có cảnh báo nào trong kỳ.</p>\n");
}

static void
html_reviews(struct buf *b, const struct report_extra *x)
{
	if (x == NULL || x->reviews == NULL) {
		buf_puts(b,
		    "<p>Không có dữ liệu rà soát kèm theo (báo cáo "
		    "hiển thị lại từ report.json).</p>\n");
		return;
	}
	if (json_array_size(x->reviews) == 0) {
		buf_puts(b,
		    "<p>Không có rà soát nào được mở hoặc kết thúc "
		    "trong kỳ.</p>\n");
		return;
	}
	buf_puts(b,
	    "<div class=\"wrap\"><table>\n<tr><th>Số</th>"
	    "<th>Đối tượng, cảnh báo</th><th>Người phụ trách</th>"
	    "<th>Mở</th><th>Kết thúc</th><th>Trạng thái, biện pháp</th>"
	    "</tr>\n");
	for (size_t i = 0; i < json_array_size(x->reviews); i++) {
		json_t *r = json_array_get(x->reviews, i);
		const char *fl = str_of(r, "flags"), *st = str_of(r, "status");
		int64_t res =
		    json_integer_value(json_object_get(r, "resolved_at"));

		buf_printf(b, "<tr><td>%lld</td><td>",
		    (long long)json_integer_value(json_object_get(r, "id")));
		if (str_of(r, "procedure")[0] != '\0') {
			buf_puts(b, "Thủ tục ");
			buf_html(b, str_of(r, "procedure"));
			buf_putc(b, ' ');
			buf_html(b, str_of(r, "procedure_name"));
		} else {
			buf_printf(b, "Quầy %lld (",
			    (long long)json_integer_value(
				json_object_get(r, "counter")));
			buf_html(b, str_of(r, "unit"));
			buf_putc(b, ')');
		}
		while (*fl != '\0') {
			const char *e = strchr(fl, ',');
			size_t n = e ? (size_t)(e - fl) : strlen(fl);
			char code[40];

			snprintf(code, sizeof(code), "%.*s", (int)n, fl);
			buf_puts(b, "; ");
			buf_html(b, report_flag_label(code));
			fl += n + (e != NULL);
		}
		buf_puts(b, "</td><td>");
		buf_html(b, str_of(r, "owner"));
		buf_puts(b, "</td><td>");
		fmt_date(b, LANG_VI,
		    json_integer_value(json_object_get(r, "opened_at")));
		buf_puts(b, "</td><td>");
		if (res > 0)
			fmt_date(b, LANG_VI, res);
		else
			buf_puts(b, "—");
		buf_puts(b, "</td><td>");
		buf_puts(b,
		    strcmp(st, "open") == 0              ? "Mới mở"
			: strcmp(st, "in_progress") == 0 ? "Đang xử lý"
							 : "Đã xử lý xong");
		if (str_of(r, "action")[0] != '\0') {
			buf_puts(b, ": ");
			buf_html(b, str_of(r, "action"));
		}
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table></div>\n");
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
	json_t *total = json_object_get(d, "total"), *a;
	json_t *chain = json_object_get(d, "ratings_chain");
	const json_t *codes = json_object_get(d, "unit_codes");
	const char *mo = str_of(d, "month"), *stat;
	struct colset cs;
	char title[600], period[FMT_MAX];
	struct buf t = { 0 };

	report_period_words(mo, period);
	snprintf(title, sizeof(title), "Báo cáo %s — %s", period,
	    str_of(d, "unit_name"));
	buf_puts(b,
	    "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	buf_html(b, title);
	buf_printf(
	    b, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
	buf_puts(b, "<div class=\"lh\"><div><b>");
	buf_html(b, str_of(d, "unit_name"));
	buf_puts(b, "</b><br>Mã định danh: ");
	buf_html(b, str_of(d, "unit"));
	buf_puts(b,
	    "</div><div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>"
	    "<b>Độc lập - Tự do - Hạnh phúc</b></div></div>\n"
	    "<h1>BÁO CÁO</h1>\n<p class=\"sub\">Kết quả đánh giá sự hài "
	    "lòng của người dân, doanh nghiệp về giải quyết thủ tục hành "
	    "chính — ");
	buf_html(b, period);
	buf_puts(b,
	    "</p>\n<p class=\"note\">Bản HTML này không mang chữ ký số. Bản "
	    "có chữ ký số là <code>report.signed.pdf</code> (chữ ký số PDF) "
	    "và <code>report.json</code> kèm <code>report.json.p7s</code>, "
	    "do lệnh <code>hailong report sign</code> tạo; kiểm tra bằng "
	    "<code>hailong report verify</code> hoặc <code>pdfsig</code>. "
	    "Số liệu theo dõi nội bộ, không phải điểm chính thức.</p>\n"
	    "<table class=\"meta\">\n");
	meta_row(b, "Đơn vị", str_of(d, "unit_name"));
	meta_row(b, "Mã định danh", str_of(d, "unit"));
	stat = str_of(codes, "statistical");
	meta_row(b, "Mã đơn vị hành chính",
	    stat[0] != '\0' ? stat : "chưa khai báo");
	meta_row(b, "Kỳ báo cáo", period);
	buf_puts(&t, "từ ");
	fmt_date(&t, LANG_VI, h_time(json_object_get(d, "period"), "start"));
	buf_puts(&t, " đến hết ");
	fmt_date(&t, LANG_VI, h_time(json_object_get(d, "period"), "end") - 1);
	meta_row(b, "Thời gian", buf_str(&t));
	buf_reset(&t);
	fmt_datetime(&t, LANG_VI, h_time(d, "as_of"));
	meta_row(b, "Số liệu tính đến", buf_str(&t));
	buf_reset(&t);
	meta_row(b, "Chương trình lập báo cáo", str_of(d, "generator"));
	buf_puts(b, "</table>\n");

	buf_puts(b, "<h2>1. Kết quả đánh giá</h2>\n<table>\n");
	h_row(b, "Số đánh giá hợp lệ", json_object_get(total, "ratings"),
	    K_COUNT);
	h_row(b, "Tỷ lệ hài lòng (mức 4 và 5)",
	    json_object_get(total, "satisfied_rate"), K_RATE);
	a = json_object_get(total, "satisfied_rate_ci");
	if (json_array_size(a) == 2) {
		buf_puts(b,
		    "<tr><td>Khoảng tin cậy 95 % của tỷ lệ hài lòng"
		    "</td><td class=\"n\">");
		h_val(b, json_array_get(a, 0), K_RATE);
		buf_puts(b, " – ");
		h_val(b, json_array_get(a, 1), K_RATE);
		buf_puts(b, "</td></tr>\n");
	}
	h_row(b, "Tỷ lệ không hài lòng (mức 1 và 2)",
	    json_object_get(total, "dissatisfied_rate"), K_RATE);
	h_row(b, "Mức trung bình (1–5)", json_object_get(total, "mean_level"),
	    K_MEAN);
	h_row(b, "Số hồ sơ tiếp nhận", json_object_get(total, "dossiers"),
	    K_COUNT);
	h_row(b, "Tỷ lệ hồ sơ giải quyết đúng hạn",
	    json_object_get(total, "on_time_rate"), K_RATE);
	h_row(b, "Tỷ lệ hồ sơ nộp trực tuyến",
	    json_object_get(total, "online_rate"), K_RATE);
	h_row(b, "Tỷ lệ hài lòng về xử lý hồ sơ (chỉ số 5.4)",
	    json_object_get(total, "handling_satisfaction_rate"), K_RATE);
	buf_puts(b,
	    "</table>\n<p class=\"note\">Tỷ lệ hài lòng là ý kiến "
	    "của người đánh giá; chỉ số 5.4 của Bộ chỉ số 766 tính trên "
	    "hồ sơ đã giải quyết, nên hai tỷ lệ có thể khác nhau.</p>\n");

	buf_puts(b, "<h2>2. Số đánh giá theo mức độ</h2>\n");
	svg_levels(b, total);
	buf_puts(b, "<h2>3. Tỷ lệ hài lòng 12 tháng</h2>\n");
	if (x != NULL && x->ntrend > 0)
		svg_trend(b, x);
	else
		buf_puts(b,
		    "<p>Không có số liệu các tháng trước kèm theo "
		    "(báo cáo hiển thị lại từ report.json).</p>\n");
	buf_puts(b, "<h2>4. Điểm theo Bộ chỉ số 766</h2>\n");
	html_points(b, d, total);
	buf_puts(b, "<h2>5. Cảnh báo</h2>\n");
	html_flags(b, d);
	buf_puts(b, "<h2>6. Vì sao: lý do và kênh đánh giá</h2>\n");
	if (json_integer_value(json_object_get(d, "definition_version")) < 2) {
		buf_puts(b,
		    "<p>Báo cáo theo định nghĩa phiên bản 1: không có "
		    "số liệu về lý do.</p>\n");
	} else {
		json_t *rc = json_object_get(d, "reason_codes");
		json_t *rs = json_object_get(total, "reasons");
		json_t *bc = json_object_get(total, "by_channel");
		static const char *const ch[] = { "kiosk", "qr", "web",
			"import" };

		buf_puts(b,
		    "<table>\n<tr><th>Lý do người dân nêu</th>"
		    "<th class=\"n\">Số đánh giá</th></tr>\n");
		for (size_t i = 0; i < json_array_size(rc); i++) {
			const char *c =
			    json_string_value(json_array_get(rc, i));
			char lab[200];

			reason_label(c, lab, sizeof(lab));
			h_row(b, lab, json_object_get(rs, c ? c : ""), K_COUNT);
		}
		buf_puts(b, "</table>\n<table>\n");
		h_row(b, "Số đánh giá có nêu lý do",
		    json_object_get(total, "reasons_given"), K_COUNT);
		h_row(b, "Số lần đi lại trung bình",
		    json_object_get(total, "visits_mean"), K_MEAN);
		h_row(b, "Tỷ lệ xong trong một lần đi",
		    json_object_get(total, "one_visit_rate"), K_RATE);
		buf_puts(b,
		    "</table>\n<table>\n<tr><th>Kênh đánh giá</th>"
		    "<th class=\"n\">Số đánh giá</th>"
		    "<th class=\"n\">Tỷ lệ hài lòng</th></tr>\n");
		for (size_t i = 0; i < ARRAY_SIZE(ch); i++) {
			json_t *o = json_object_get(bc, ch[i]);

			buf_puts(b, "<tr><td>");
			buf_html(b, label_channel(LANG_VI, ch[i]));
			buf_puts(b, "</td><td class=\"n\">");
			h_val(b, json_object_get(o, "ratings"), K_COUNT);
			buf_puts(b, "</td><td class=\"n\">");
			h_val(b, json_object_get(o, "satisfied_rate"), K_RATE);
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</table>\n");
	}
	buf_puts(b, "<h2>7. Rà soát mở và kết thúc trong kỳ</h2>\n");
	html_reviews(b, x);

	buf_puts(
	    b, "<h2>8. Phạm vi số liệu và phần không tính</h2>\n<table>\n");
	h_row(b, "Tỷ lệ hồ sơ được người dân đánh giá",
	    json_object_get(total, "coverage_rate"), K_RATE);
	{
		json_t *ex = json_object_get(total, "excluded");

		h_row(b, "Không tính: bấm liên tiếp trong vài giây",
		    json_object_get(ex, "burst"), K_COUNT);
		h_row(b, "Không tính: gửi trùng lặp",
		    json_object_get(ex, "duplicate"), K_COUNT);
		h_row(b, "Không tính: sử dụng sai mục đích",
		    json_object_get(ex, "misuse"), K_COUNT);
		h_row(b, "Không tính: nội dung rác",
		    json_object_get(ex, "spam"), K_COUNT);
	}
	buf_puts(b,
	    "</table>\n<h3>Báo cáo của đơn vị cấp dưới đã tổng hợp"
	    "</h3>\n");
	a = json_object_get(d, "included_reports");
	if (json_array_size(a) == 0)
		buf_puts(b, "<p>Không có.</p>\n");
	else
		buf_puts(b,
		    "<div class=\"wrap\"><table>\n<tr><th>Đơn vị</th>"
		    "<th>Nhận lúc</th><th>SHA-256 của report.json</th></tr>\n");
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *r = json_array_get(a, i);

		buf_puts(b, "<tr><td>");
		buf_html(b, str_of(r, "unit_name"));
		buf_puts(b, " (");
		buf_html(b, str_of(r, "unit"));
		buf_puts(b, ")</td><td>");
		fmt_datetime(b, LANG_VI, h_time(r, "received_at"));
		buf_puts(b, "</td><td><code>");
		buf_html(b, str_of(r, "sha256"));
		buf_puts(b, "</code></td></tr>\n");
	}
	if (json_array_size(a) > 0)
		buf_puts(b, "</table></div>\n");
	buf_puts(b, "<h3>Đơn vị cấp dưới chưa có báo cáo</h3>\n");
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

	buf_puts(b, "<h2>9. Toàn bộ chỉ số của đơn vị</h2>\n<table>\n");
	colset_init(&cs, doc);
	for (size_t i = 0; i < cs.n; i++)
		h_row(b, cs.v[i].label, col_value(total, cs.v[i].key),
		    cs.v[i].kind);
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
	buf_puts(b,
	    "<h2>Neo chuỗi băm đánh giá</h2>\n<p>Chuỗi băm các đánh "
	    "giá tại thời điểm ");
	fmt_datetime(b, LANG_VI, h_time(chain, "at"));
	buf_puts(b, ": ");
	h_val(b, json_object_get(chain, "ratings"), K_COUNT);
	buf_puts(b, " bản ghi, số thứ tự cuối ");
	h_val(b, json_object_get(chain, "seq"), K_COUNT);
	buf_puts(b, ", mã băm đầu chuỗi (SHA-256): <code>");
	buf_html(b, str_of(chain, "head"));
	buf_puts(b, "</code>. Phiên bản định nghĩa chỉ số: ");
	h_val(b, json_object_get(d, "definition_version"), K_COUNT);
	buf_puts(b, ".</p>\n</body>\n</html>\n");
	buf_release(&t);
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
	for (size_t i = 0; i < ARRAY_SIZE(count_keys); i++)
		worksheet_write_string(ws, 0, c++, count_labels[i], x->wrap);
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
		for (size_t k = 0;
		     k < json_array_size(json_object_get(s, "flags")); k++) {
			if (k > 0)
				buf_puts(&fl, "; ");
			buf_puts(&fl,
			    report_flag_label(json_string_value(json_array_get(
				json_object_get(s, "flags"), k))));
		}
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
	char v[64], title[512], author[] = "hailong", period[FMT_MAX];
	char as_of_vn[17] = "";
	struct buf tflags = { 0 };
	const char *as_of, *stat;

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
	report_period_words(str_of(d, "month"), period);
	snprintf(title, sizeof(title), "Báo cáo %s — %s", period,
	    str_of(d, "unit_name"));
	props.title = title;
	props.author = author;
	as_of = str_of(d, "as_of");
	/* the report's own instant, not the clock: same data, same file */
	if (rfc3339_parse(as_of, strlen(as_of), &t) == 0) {
		props.created = (time_t)t;
		datetime_vn(t, as_of_vn);
	}
	stat = str_of(json_object_get(d, "unit_codes"), "statistical");
	for (size_t k = 0; k < json_array_size(json_object_get(
				   json_object_get(d, "total"), "flags"));
	     k++) {
		if (k > 0)
			buf_puts(&tflags, "; ");
		buf_puts(&tflags,
		    report_flag_label(json_string_value(json_array_get(
			json_object_get(json_object_get(d, "total"), "flags"),
			k))));
	}
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
			    stat[0] != '\0' ? stat : "chưa khai báo" },
			{ "Kỳ báo cáo", period },
			{ "Số liệu tính đến", as_of_vn },
			{ "Cảnh báo",
			    tflags.len > 0 ? buf_str(&tflags) : "không có" },
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
	buf_release(&tflags);
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
