/* metrics_text.c -- a month's figures as a Vietnamese table for a terminal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/text.h"
#include "core/metrics.h"
#include "core/metrics_text.h"

static const char *const flags_vi[FLAG_COUNT] = { "hài lòng thấp",
	"bổ sung/sửa lỗi nhiều", "trực tuyến thấp", "trễ hạn" };

const char *
metrics_flag_vi(int flag)
{
	return flag >= 0 && flag < FLAG_COUNT ? flags_vi[flag] : "?";
}

/* 1234567 as "1.234.567". */
static void
fmt_int(int64_t v, char *out, size_t size)
{
	char digits[32] = "";
	size_t n, k = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
	n = strlen(digits);
	if (v < 0 && k + 1 < size)
		out[k++] = '-';
	for (size_t i = 0; i < n && k + 2 < size; i++) {
		out[k++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			out[k++] = '.';
	}
	out[k] = '\0';
}

/* x with `places` decimals and a decimal comma; "—" for null. */
static void
fmt_dec(double x, int places, const char *suffix, char *out, size_t size)
{
	char *comma;

	if (isnan(x)) {
		snprintf(out, size, "—");
		return;
	}
	snprintf(out, size, "%.*f%s", places, x, suffix);
	comma = strchr(out, '.');
	if (comma != NULL)
		*comma = ',';
}

/* A rate (0..1, 4 decimals) as a percentage with 2 decimals. */
static void
fmt_pct(double rate, char *out, size_t size)
{
	fmt_dec(isnan(rate) ? rate : rate * 100, 2, "%", out, size);
}

/* Pad (or cut) UTF-8 text to `width` characters, left or right aligned. */
static void
cell(struct buf *b, const char *s, int width, bool right)
{
	size_t len = strlen(s), chars = 0, cut = len;

	/* one pass: count characters, and note where width-1 of them end */
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if ((int)chars == width - 1)
			cut = i;
		chars++;
	}
	if ((int)chars > width)
		chars = (size_t)width; /* width-1 characters and "…" */
	else
		cut = len;
	if (right)
		for (int i = (int)chars; i < width; i++)
			buf_putc(b, ' ');
	buf_add(b, s, cut);
	if (cut < len)
		buf_puts(b, "…");
	if (!right)
		for (int i = (int)chars; i < width; i++)
			buf_putc(b, ' ');
}

static void
line(struct buf *b, const char *label, const char *value, const char *note)
{
	buf_puts(b, "  ");
	cell(b, label, 34, false);
	cell(b, value, 10, true);
	if (note != NULL && note[0] != '\0') {
		buf_puts(b, "   ");
		buf_puts(b, note);
	}
	buf_putc(b, '\n');
}

static void
rate_line(
    struct buf *b, const char *label, double rate, int64_t num, int64_t den)
{
	char v[32], n1[32], n2[32], note[80] = "";

	fmt_pct(rate, v, sizeof(v));
	if (den > 0) {
		fmt_int(num, n1, sizeof(n1));
		fmt_int(den, n2, sizeof(n2));
		snprintf(note, sizeof(note), "(%s/%s)", n1, n2);
	}
	line(b, label, v, note);
}

static void
flags_text(struct buf *b, const struct metric_figures *f)
{
	for (int i = 0; i < f->nflags; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		buf_puts(b, metrics_flag_vi(f->flags[i]));
	}
}

/* The figures of "why" (METRICS.md version 2) of the unit's total. */
static void
why_text(const struct metrics *m, struct buf *b)
{
	static const char *const channels[CHANNEL_COUNT] = { "ki-ốt", "QR",
		"web", "nhập" };
	static const char *const dchannels[DCHANNEL_COUNT] = { "tại quầy",
		"trực tuyến", "bưu chính" };
	const struct metric_figures *f = &m->total.fig;
	const struct metric_counts *c = &m->total.counts;
	char v[64], n[32];

	buf_puts(b, "\nVÌ SAO (lý do, số lần đi lại, kênh)\n");
	buf_puts(b, "  Lý do được chọn:");
	for (size_t i = 0; i < m->nreason_codes; i++)
		buf_printf(b, "%s %s %lld", i > 0 ? "," : "",
		    m->reason_codes[i],
		    (long long)metric_scope_reason(
			&m->total, m->reason_codes[i]));
	for (size_t i = 0; i < m->total.nreasons; i++) {
		const struct metric_reason *r = &m->total.reasons[i];
		bool listed = false;

		for (size_t k = 0; k < m->nreason_codes; k++)
			listed |= strcmp(m->reason_codes[k], r->code) == 0;
		if (!listed && r->n != 0)
			buf_printf(b, ", %s %lld", r->code, (long long)r->n);
	}
	buf_putc(b, '\n');
	fmt_int(f->reasons_given, v, sizeof(v));
	line(b, "Phiếu có nêu lý do", v, NULL);
	rate_line(b, "Xong trong một lần đi", f->one_visit_rate, c->visits_one,
	    c->visits_answered);
	fmt_dec(f->visits_mean, 4, "", v, sizeof(v));
	line(b, "Số lần đi lại trung bình", v, NULL);
	buf_puts(b, "  Hài lòng theo kênh:");
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		fmt_pct(f->channel_satisfied_rate[i], v, sizeof(v));
		fmt_int(f->channel_ratings[i], n, sizeof(n));
		buf_printf(b, "%s %s %s (%s phiếu)", i > 0 ? "," : "",
		    channels[i], v, n);
	}
	buf_putc(b, '\n');
	buf_puts(b, "  Hài lòng theo người đánh giá:");
	for (int i = 0; i <= REQUESTER_COUNT; i++) {
		static const char *const who[REQUESTER_COUNT + 1] = {
			"người dân", "doanh nghiệp", "không cho biết"
		};

		fmt_pct(f->requester_satisfied_rate[i], v, sizeof(v));
		fmt_int(f->requester_ratings[i], n, sizeof(n));
		buf_printf(
		    b, "%s %s %s (%s phiếu)", i > 0 ? "," : "", who[i], v, n);
	}
	fmt_pct(f->assisted_satisfied_rate, v, sizeof(v));
	fmt_int(f->assisted_ratings, n, sizeof(n));
	buf_printf(
	    b, "\n  Có người hỗ trợ nhập: %s phiếu, hài lòng %s\n", n, v);
	rate_line(b, "Hồ sơ có người đánh giá", f->coverage_rate, c->covered,
	    c->dossiers);
	buf_printf(b,
	    "  Phiếu không tính: bấm liên tiếp %lld, trùng %lld, sử dụng "
	    "sai %lld, rác %lld\n",
	    (long long)f->excluded[0], (long long)f->excluded[1],
	    (long long)f->excluded[2], (long long)f->excluded[3]);
	for (int i = 0; i < DCHANNEL_COUNT; i++) {
		char label[64], t[32], sc[32], note[120];

		snprintf(label, sizeof(label), "Hồ sơ nộp %s", dchannels[i]);
		fmt_int(f->dchannel_dossiers[i], v, sizeof(v));
		fmt_pct(f->dchannel_on_time_rate[i], t, sizeof(t));
		fmt_pct(f->dchannel_soc_rate[i], sc, sizeof(sc));
		snprintf(note, sizeof(note),
		    "(đúng hạn %s, bổ sung hoặc sửa lỗi %s)", t, sc);
		line(b, label, v, note);
	}
	if (m->nwhy_missing > 0) {
		buf_puts(b, "  Thiếu số liệu \"vì sao\" của:");
		for (size_t i = 0; i < m->nwhy_missing; i++)
			buf_printf(b, " %s", m->why_missing[i]);
		buf_puts(b, " (báo cáo phiên bản 1)\n");
	}
}

static void
total_text(const struct metrics *m, struct buf *b)
{
	const struct metric_figures *f = &m->total.fig;
	const struct metric_counts *c = &m->total.counts;
	char v[64], w[64], lo[32], hi[32], note[200];

	buf_puts(b, "ĐÁNH GIÁ (phiếu hợp lệ)\n");
	fmt_int(f->ratings, v, sizeof(v));
	snprintf(note, sizeof(note),
	    "(mức 1→5: %lld / %lld / %lld / %lld / %lld)",
	    (long long)f->by_level[0], (long long)f->by_level[1],
	    (long long)f->by_level[2], (long long)f->by_level[3],
	    (long long)f->by_level[4]);
	line(b, "Số phiếu", v, note);
	fmt_pct(f->satisfied_rate, v, sizeof(v));
	note[0] = '\0';
	if (!isnan(f->satisfied_ci[0])) {
		fmt_pct(f->satisfied_ci[0], lo, sizeof(lo));
		fmt_pct(f->satisfied_ci[1], hi, sizeof(hi));
		snprintf(note, sizeof(note), "(khoảng tin cậy 95%%: %s – %s)",
		    lo, hi);
	}
	line(b, "Tỷ lệ hài lòng (mức 4–5)", v, note);
	rate_line(b, "Tỷ lệ không hài lòng (mức 1–2)", f->dissatisfied_rate,
	    c->by_level[0] + c->by_level[1], f->ratings);
	fmt_dec(f->mean_level, 4, "", v, sizeof(v));
	line(b, "Mức trung bình (1–5)", v, NULL);
	fmt_dec(f->ballot_score, 4, "", v, sizeof(v));
	snprintf(note, sizeof(note), "(%lld phiếu trả lời đủ 9 tiêu chí)",
	    (long long)c->ballot_n);
	line(b, "Điểm phiếu (0–18)", v, note);
	fmt_dec(f->officer_score, 4, "", v, sizeof(v));
	line(b, "Điểm cán bộ (0–10)", v, NULL);
	buf_puts(b, "  Điểm từng tiêu chí (0–2):");
	for (int i = 0; i < RATING_CRITERIA; i++) {
		fmt_dec(f->criteria_mean[i], 4, "", v, sizeof(v));
		buf_printf(b, " %d: %s", i + 1, v);
	}
	buf_putc(b, '\n');
	rate_line(b, "Phải bổ sung (người dân cho biết)",
	    f->reported_supplement_rate, c->supplement_yes,
	    c->supplement_answered);
	rate_line(b, "Lỗi dịch vụ trực tuyến", f->reported_online_error_rate,
	    c->online_error_yes, c->online_error_answered);

	buf_puts(b, "\nHỒ SƠ (tiếp nhận trong tháng)\n");
	fmt_int(f->dossiers, v, sizeof(v));
	line(b, "Số hồ sơ", v, NULL);
	rate_line(b, "Nộp trực tuyến", f->online_rate, c->online, c->dossiers);
	rate_line(b, "Trực tuyến toàn trình", f->full_online_rate,
	    c->full_online, c->dossiers);
	rate_line(
	    b, "Giải quyết đúng hạn", f->on_time_rate, c->on_time, c->judged);
	rate_line(
	    b, "Phải bổ sung", f->supplement_rate, c->supplement, c->dossiers);
	rate_line(b, "Bổ sung từ 2 lần", f->multi_supplement_rate,
	    c->multi_supplement, c->dossiers);
	rate_line(
	    b, "Phải sửa lỗi", f->correction_rate, c->correction, c->dossiers);
	rate_line(b, "Bổ sung hoặc sửa lỗi", f->supplement_or_correction_rate,
	    c->supplement_or_correction, c->dossiers);
	rate_line(
	    b, "Số hóa hồ sơ", f->digitized_rate, c->digitized, c->dossiers);
	rate_line(b, "Hài lòng về xử lý hồ sơ", f->handling_satisfaction_rate,
	    c->dossiers - c->bad, c->dossiers);
	why_text(m, b);

	buf_puts(b, "\nĐIỂM THEO QĐ 766 (tham khảo):");
	{
		const int64_t max[POINT_COUNT] = { m->rules.p21_max,
			m->rules.p33_max, m->rules.p42_max, m->rules.p54_max };

		for (int i = 0; i < POINT_COUNT; i++) {
			fmt_dec(f->points[i], 2, "", v, sizeof(v));
			fmt_dec((double)max[i] / 100, max[i] % 100 ? 2 : 0, "",
			    w, sizeof(w));
			buf_printf(
			    b, "  %s: %s/%s", metric_point_names[i], v, w);
		}
	}
	buf_puts(b, "\nCẢNH BÁO: ");
	if (f->nflags == 0)
		buf_puts(b, "không có");
	else
		flags_text(b, f);
	buf_putc(b, '\n');
}

static void
procedures_text(const struct metrics *m, struct buf *b)
{
	char v[32] = "";

	buf_puts(b, "\nTHEO THỦ TỤC\n  ");
	cell(b, "Mã", 9, false);
	cell(b, "Thủ tục", 30, false);
	cell(b, "Phiếu", 7, true);
	cell(b, "Hài lòng", 9, true);
	cell(b, "Hồ sơ", 7, true);
	cell(b, "Tr.tuyến", 9, true);
	cell(b, "Đúng hạn", 9, true);
	cell(b, "BS/SL", 8, true);
	buf_puts(b, "  Cảnh báo\n");
	if (m->procedures.n == 0)
		buf_puts(b, "  (không có dữ liệu)\n");
	for (size_t i = 0; i < m->procedures.n; i++) {
		const struct metric_scope *s = &m->procedures.v[i];
		const struct metric_figures *f = &s->fig;

		buf_puts(b, "  ");
		cell(b, s->code, 9, false);
		cell(b, s->name[0] ? s->name : "—", 30, false);
		fmt_int(f->ratings, v, sizeof(v));
		cell(b, v, 7, true);
		fmt_pct(f->satisfied_rate, v, sizeof(v));
		cell(b, v, 9, true);
		fmt_int(f->dossiers, v, sizeof(v));
		cell(b, v, 7, true);
		fmt_pct(f->online_rate, v, sizeof(v));
		cell(b, v, 9, true);
		fmt_pct(f->on_time_rate, v, sizeof(v));
		cell(b, v, 9, true);
		fmt_pct(f->supplement_or_correction_rate, v, sizeof(v));
		cell(b, v, 8, true);
		buf_puts(b, "  ");
		flags_text(b, f);
		buf_putc(b, '\n');
	}
}

static void
staff_text(const struct metric_list *l, bool officers, struct buf *b)
{
	char v[32] = "";

	buf_puts(b, officers ? "\nTHEO CÁN BỘ\n  " : "\nTHEO QUẦY\n  ");
	cell(b, officers ? "Mã" : "Đơn vị", 12, false);
	cell(b, officers ? "Họ tên" : "Quầy", 28, false);
	cell(b, "Phiếu", 7, true);
	cell(b, "Hài lòng", 9, true);
	cell(b, "Mức TB", 7, true);
	cell(b, officers ? "Điểm CB" : "Điểm phiếu", 11, true);
	buf_puts(b, "  Cảnh báo\n");
	if (l->n == 0)
		buf_puts(b, "  (không có dữ liệu)\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct metric_scope *s = &l->v[i];
		const struct metric_figures *f = &s->fig;
		char name[600];

		buf_puts(b, "  ");
		if (officers) {
			cell(b, s->code, 12, false);
			cell(b, s->name[0] ? s->name : "—", 28, false);
		} else {
			cell(b, s->unit, 12, false);
			snprintf(name, sizeof(name), "%d%s%s", s->counter,
			    s->name[0] ? " — " : "", s->name);
			cell(b, name, 28, false);
		}
		fmt_int(f->ratings, v, sizeof(v));
		cell(b, v, 7, true);
		if (officers && !f->enough_data) {
			buf_puts(b, "  chưa đủ dữ liệu\n");
			continue;
		}
		fmt_pct(f->satisfied_rate, v, sizeof(v));
		cell(b, v, 9, true);
		fmt_dec(f->mean_level, 4, "", v, sizeof(v));
		cell(b, v, 7, true);
		fmt_dec(officers ? f->officer_score : f->ballot_score, 4, "", v,
		    sizeof(v));
		cell(b, v, 11, true);
		buf_puts(b, "  ");
		flags_text(b, f);
		buf_putc(b, '\n');
	}
}

void
metrics_text(const struct metrics *m, struct buf *b)
{
	char month[8], as_of[17], head[32];

	month_format(m->month, month);
	datetime_vn(m->as_of, as_of);
	/* the period: a month, "QUÝ 4/2026" or "NĂM 2026" */
	if (m->period.kind == 'q')
		snprintf(head, sizeof(head), "QUÝ %d/%.4s",
		    (m->period.first % 100 - 1) / 3 % 4 + 1, month);
	else if (m->period.kind == 'y')
		snprintf(head, sizeof(head), "NĂM %.4s", month);
	else
		snprintf(head, sizeof(head), "THÁNG %s/%.4s", month + 5, month);
	buf_printf(b, "CHỈ SỐ %s — %s (%s)%s\n", head,
	    m->unit_name[0] ? m->unit_name : m->unit, m->unit,
	    (m->how & METRICS_UNIT_ONLY) ? ", riêng đơn vị"
					 : ", gồm các đơn vị trực thuộc");
	buf_printf(b,
	    "Tính đến %s (giờ Việt Nam). Theo dõi nội bộ — định nghĩa "
	    "phiên bản %d, quy tắc phiên bản %d; cảnh báo cần ít nhất %d "
	    "phiếu/hồ sơ.\n\n",
	    as_of, METRICS_DEFINITION_VERSION, m->rules.version,
	    m->rules.n_min);
	total_text(m, b);
	procedures_text(m, b);
	staff_text(&m->counters, false, b);
	staff_text(&m->officers, true, b);
}
