/* page_ballots.c -- typing in a paper phiếu đánh giá, as an import of one. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/util.h"
#include "core/ballots.h"
#include "core/import.h"
#include "core/instrument.h"
#include "core/writer.h"
#include "web/console.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * A paper ballot typed in by a manager is exactly one record of
 * `hailong import ratings`: the form's fields become a one-item JSON
 * array with the page's unit, which import_check() validates with the
 * importer's own rules (ballot_from_record(), the unit and procedure
 * known, the id not stored with other content), and an accepted ballot
 * goes through the server's writer (the hash chain, the rollups) like
 * POST /api/v1/ratings, then the audit entry import.ratings.  Channel
 * import; the ballot's number is its id, so typing the same ballot twice
 * stores it once.  A rejected ballot shows the form again with each
 * field's problem.
 */

struct bfield {
	const char *key; /* the importer's column */
	const char *vi, *en;
	const char *err_vi; /* what a bad value needs, in Vietnamese */
	int kind;           /* below */
};

enum { F_TEXT, F_LEVEL, F_POINTS, F_YESNO, F_AREA, F_DATE };

static const struct bfield fields[] = {
	{ "id", "Số phiếu", "Ballot number",
	    "Nhập số phiếu: 1–64 ký tự chữ, số, '.', '-', '_'; mỗi phiếu một "
	    "số "
	    "riêng.",
	    F_TEXT },
	{ "rated_at", "Ngày đánh giá (dd/mm/yyyy)", "Date rated (dd/mm/yyyy)",
	    "Nhập ngày đánh giá dạng dd/mm/yyyy, không ở tương lai.", F_DATE },
	{ "level", "Mức độ hài lòng", "Satisfaction",
	    "Chọn mức độ hài lòng từ 1 đến 5.", F_LEVEL },
	{ "procedure", "Mã thủ tục", "Procedure code",
	    "Mã thủ tục dạng 1.001193, có trong danh mục.", F_TEXT },
	{ "counter", "Quầy", "Counter", "Số quầy từ 1 đến 999.", F_TEXT },
	{ "officer", "Mã cán bộ", "Officer id",
	    "Mã cán bộ: chữ, số, '.', '_', '-' (tối đa 32 ký tự).", F_TEXT },
	{ "dossier", "Mã hồ sơ", "Dossier code",
	    "Mã hồ sơ dạng H21.227-261008-0975.", F_TEXT },
	{ "c1", "1. Thời gian giải quyết so với quy định",
	    "1. Total handling time against the limit",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c2", "2. Thời gian của từng cơ quan", "2. Time taken by each office",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c3", "3. Số lần phải liên hệ", "3. Contacts needed",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c4", "4. Số cơ quan phải liên hệ", "4. Offices contacted",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c5", "5. Tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa",
	    "5. Reception and return at the one-stop desk",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c6", "6. Công khai thủ tục", "6. Publicity of the procedure",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c7", "7. Thái độ của cán bộ", "7. Attitude of the officers",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c8", "8. Tiếp nhận, trả lời phản ánh", "8. Answers to feedback",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "c9", "9. Dịch vụ công trực tuyến", "9. The online service",
	    "Chọn 0, 1 hoặc 2 điểm.", F_POINTS },
	{ "supplement_reported", "Phải bổ sung, sửa đổi hồ sơ?",
	    "Had to supplement or correct?", "Chọn Có, Không hoặc để trống.",
	    F_YESNO },
	{ "online_error_reported", "Dịch vụ trực tuyến bị lỗi?",
	    "Online service failed?", "Chọn Có, Không hoặc để trống.",
	    F_YESNO },
	{ "visits", "Số lần phải đến", "Visits needed", "Số lần từ 1 đến 99.",
	    F_TEXT },
	{ "comment", "Góp ý ghi trên phiếu", "Comment on the ballot",
	    "Góp ý tối đa 1000 ký tự, không có ký tự điều khiển.", F_AREA },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The form as posted, and its problems, to show again. */
struct ballot_form {
	const char *value[NFIELDS];
	const char *error[NFIELDS]; /* NULL when fine */
	const char *notice;         /* above the form */
	bool notice_ok;
};

static int
field_index(const char *key)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].key, key) == 0)
			return (int)i;
	return -1;
}

static void
option(struct buf *b, const char *value, const char *label, const char *cur)
{
	buf_printf(b, "<option value=\"%s\"%s>", value,
	    cur != NULL && strcmp(cur, value) == 0 ? " selected" : "");
	buf_html(b, label);
	buf_puts(b, "</option>");
}

/* Criterion field fd's options, worded as the instrument in force has them. */
static void
points_options(struct ctx *c, struct buf *b, const struct instrument *ins,
    const struct bfield *fd, const char *v)
{
	int i = fd->key[1] - '1'; /* "c1".."c9" */
	const struct instrument_criterion *cr =
	    ins != NULL ? &ins->criteria[i] : NULL;

	option(b, "", "—", v);
	for (int points = 2; points >= 0; points--) {
		char val[2] = { (char)('0' + points), '\0' }, label[1100];
		const char *words = NULL;

		for (int k = 0; cr != NULL && k < cr->nopts; k++)
			if (cr->opt[k].points == points)
				words = itext(&cr->opt[k].label, c->lang);
		if (words != NULL)
			snprintf(
			    label, sizeof(label), "%d — %s", points, words);
		else
			snprintf(label, sizeof(label), "%d", points);
		option(b, val, label, v);
	}
}

/* Field fd's label: a criterion's as the instrument in force words it. */
static void
field_label(struct ctx *c, struct buf *b, const struct instrument *ins,
    const struct bfield *fd)
{
	if (fd->kind == F_POINTS && ins != NULL) {
		int i = fd->key[1] - '1';

		buf_printf(b, "%d. ", i + 1);
		buf_html(b, itext(&ins->criteria[i].label, c->lang));
		return;
	}
	buf_html(b, TR(c, fd->vi, fd->en));
}

static void
render(struct ctx *c, const struct console_unit *u, int status,
    const struct ballot_form *f)
{
	struct buf *b;
	static const char *const lv_vi[] = { "Rất không hài lòng",
		"Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng" };
	static const char *const lv_en[] = { "Very dissatisfied",
		"Dissatisfied", "Neutral", "Satisfied", "Very satisfied" };
	/* a paper ballot is worded as the questionnaire in force */
	const struct instrument *ins = instrument_cache_at(
	    c->srv->instruments, ctx_db(c), hl_now(), NULL, 0);

	console_begin(c, u,
	    TR(c, "Nhập phiếu đánh giá giấy", "Enter a paper ballot"),
	    "ballots");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	if (f->notice != NULL) {
		buf_printf(b, "<p class=\"%s\" role=\"status\">",
		    f->notice_ok ? "ok" : "error");
		buf_html(b, f->notice);
		buf_puts(b, "</p>\n");
	}
	buf_printf(b,
	    "<form class=\"ballot\" method=\"post\" "
	    "action=\"/admin/units/%s/ballots",
	    u->code);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct bfield *fd = &fields[i];
		const char *v = f->value[i];

		buf_printf(b, "<p class=\"field%s\"><label for=\"%s\">",
		    f->error[i] != NULL ? " invalid" : "", fd->key);
		field_label(c, b, ins, fd);
		buf_puts(b, "</label> ");
		switch (fd->kind) {
		case F_LEVEL:
			buf_printf(b, "<select id=\"%s\" name=\"%s\">", fd->key,
			    fd->key);
			option(b, "", "—", v);
			for (int l = 5; l >= 1; l--) {
				char val[2] = { (char)('0' + l), '\0' };

				option(b, val,
				    ins != NULL
					? itext(&ins->level[l], c->lang)
					: TR(c, lv_vi[l - 1], lv_en[l - 1]),
				    v);
			}
			buf_puts(b, "</select>");
			break;
		case F_POINTS:
			buf_printf(b, "<select id=\"%s\" name=\"%s\">", fd->key,
			    fd->key);
			points_options(c, b, ins, fd, v);
			buf_puts(b, "</select>");
			break;
		case F_YESNO:
			buf_printf(b, "<select id=\"%s\" name=\"%s\">", fd->key,
			    fd->key);
			option(b, "", "—", v);
			option(b, "1", TR(c, "Có", "Yes"), v);
			option(b, "0", TR(c, "Không", "No"), v);
			buf_puts(b, "</select>");
			break;
		case F_AREA:
			buf_printf(b,
			    "<textarea id=\"%s\" name=\"%s\" "
			    "maxlength=\"1000\" rows=\"4\">",
			    fd->key, fd->key);
			buf_html(b, v != NULL ? v : "");
			buf_puts(b, "</textarea>");
			break;
		default:
			buf_printf(b,
			    "<input id=\"%s\" name=\"%s\" maxlength=\"64\" "
			    "value=\"",
			    fd->key, fd->key);
			buf_html(b, v != NULL ? v : "");
			buf_puts(b, "\">");
		}
		if (f->error[i] != NULL) {
			buf_puts(b,
			    " <span class=\"field-error\" "
			    "role=\"alert\">");
			buf_html(b, f->error[i]);
			buf_puts(b, "</span>");
		}
		buf_puts(b, "</p>\n");
	}
	buf_printf(b, "<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Lưu phiếu", "Store the ballot"));
	console_end(c);
}

void
page_ballots(struct ctx *c)
{
	struct console_unit u;
	struct ballot_form f;

	if (console_unit(c, 0, &u) < 0)
		return;
	memset(&f, 0, sizeof(f));
	render(c, &u, 200, &f);
}

/* dd/mm/yyyy (or yyyy-mm-dd) to RFC 3339 at noon, +07:00; false if not. */
static bool
date_to_rfc3339(const char *s, char out[32])
{
	int d, m, y;
	char tail;

	if (s == NULL)
		return false;
	if (sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
		if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
			return false;
		snprintf(out, 32, "%04d-%02d-%02dT12:00:00+07:00", y, m, d);
		return true;
	}
	return false;
}

/* A ballot on its way through the writer. */
struct ballot_post {
	struct writer_job job; /* first: the writer hands this back */
	struct ctx *c;
	struct import *im;
	char *json;
	struct console_unit u;
	struct ballot_form f;
	struct form form; /* the values f points into */
	bool has_job;
};

static void
ballot_post_free(void *p)
{
	struct ballot_post *bp = p;

	if (bp->has_job)
		rating_release(&bp->job.rating);
	import_free(bp->im);
	free(bp->json);
	form_release(&bp->form);
	free(bp);
}

static void
ballot_done(struct writer_job *job)
{
	struct ballot_post *bp = (struct ballot_post *)(void *)job;

	http_resume(bp->c->req);
}

static int
take_job(void *arg, struct import_item *item, const struct dossier *d,
    struct rating *r)
{
	struct ballot_post *bp = arg;

	(void)d;
	bp->job.rating = *r;
	r->comment = NULL; /* the job owns it now */
	bp->job.arg = item;
	bp->job.result = WRITER_UNAVAILABLE;
	bp->job.done = ballot_done;
	bp->has_job = true;
	return 0;
}

/* After the check or the writer: the answer page, and the audit entry. */
static void
ballot_answer(struct ctx *c)
{
	struct ballot_post *bp = c->state;
	struct import_item *it = bp->im->n > 0 ? &bp->im->items[0] : NULL;
	struct ballot_form *f = &bp->f;
	struct db *db = ctx_db(c);
	char actor[80], target[64];
	int status = 200;

	if (bp->has_job)
		import_job_result(bp->im, &bp->job);
	ctx_actor(c, actor, sizeof(actor));
	snprintf(target, sizeof(target), "console:%s", bp->u.code);
	if (it == NULL || it->status == IMPORT_UNAVAILABLE) {
		server_unavailable(c);
		return;
	}
	switch (it->status) {
	case IMPORT_ACCEPTED:
		if (db == NULL || import_audit(bp->im, db, actor, target) < 0) {
			server_unavailable(c);
			return;
		}
		memset(f->value, 0, sizeof(f->value));
		f->notice = TR(c, "Đã lưu phiếu. Có thể nhập phiếu tiếp theo.",
		    "Ballot stored. You can enter the next one.");
		f->notice_ok = true;
		break;
	case IMPORT_DUPLICATE:
		f->notice = TR(c,
		    "Phiếu này đã được nhập trước đó với cùng nội dung; không "
		    "lưu lại lần nữa.",
		    "This ballot was entered before with the same content; not "
		    "stored twice.");
		f->notice_ok = true;
		break;
	default:
		status = it->status == IMPORT_CONFLICT ? 409 : 400;
		f->notice =
		    TR(c, "Phiếu chưa được lưu: xem các ô được đánh dấu.",
			"The ballot was not stored: see the marked fields.");
		for (int k = 0; k < it->nerrors && k < RECORD_MAX_ERRORS; k++) {
			const struct field_error *e = &it->errors[k];
			int i = field_index(e->column);

			if (i < 0)
				i = 0; /* the record as a whole: the number */
			if (it->status == IMPORT_CONFLICT && i == 0)
				f->error[i] = TR(c,
				    "Số phiếu này đã dùng cho một phiếu khác.",
				    e->message);
			else if (strcmp(e->column, "rated_at") == 0 &&
			    strstr(e->message, "folded") != NULL)
				f->error[i] = TR(c,
				    "Ngày này thuộc một tháng đã được tổng "
				    "hợp thành số liệu (hết thời hạn lưu phiếu "
				    "gốc); không thể nhập thêm phiếu của tháng "
				    "đó.",
				    e->message);
			else
				f->error[i] =
				    TR(c, fields[i].err_vi, e->message);
		}
	}
	render(c, &bp->u, status, f);
}

void
page_ballots_post(struct ctx *c)
{
	struct ballot_post *bp = xcalloc(1, sizeof(*bp));
	struct db *db = ctx_db(c);
	json_t *doc, *item;
	char when[32];
	bool bad = false;

	if (console_unit(c, 0, &bp->u) < 0 ||
	    console_form(c, &bp->u, &bp->form) < 0) {
		free(bp);
		return;
	}
	bp->c = c;
	c->state = bp;
	c->state_free = ballot_post_free;
	item = json_object();
	json_object_set_new(item, "unit", json_string(bp->u.code));
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *v = form_get(&bp->form, fields[i].key);

		bp->f.value[i] = v;
		if (v == NULL || v[0] == '\0')
			continue;
		/* not a date: passed as typed, for the importer to refuse */
		if (fields[i].kind == F_DATE && date_to_rfc3339(v, when))
			v = when;
		/* the importer reads text; jansson checks it is UTF-8 */
		if (json_object_set_new(item, fields[i].key, json_string(v)) <
		    0) {
			bp->f.error[i] =
			    TR(c, fields[i].err_vi, "Not UTF-8 text.");
			bad = true;
		}
	}
	if (bad) {
		json_decref(item);
		bp->f.notice =
		    TR(c, "Phiếu chưa được lưu: xem các ô được đánh dấu.",
			"The ballot was not stored: see the marked fields.");
		render(c, &bp->u, 400, &bp->f);
		return;
	}
	doc = json_array();
	json_array_append_new(doc, item);
	bp->json = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	bp->im = import_new(
	    IMPORT_RATINGS, bp->json, strlen(bp->json), RECORDS_JSON);
	strlcpy_hl(bp->im->scope, bp->u.code, sizeof(bp->im->scope));
	snprintf(bp->im->source, sizeof(bp->im->source), "import:console:%.30s",
	    c->who.name);
	bp->im->max_items = 1;
	if (import_check(bp->im, db) < 0) {
		server_unavailable(c);
		return;
	}
	import_each(bp->im, take_job, bp);
	if (!bp->has_job) {
		ballot_answer(c);
		return;
	}
	c->resumed = ballot_answer;
	http_suspend(c->req);
	if (writer_submit(c->srv->writer, &bp->job) < 0)
		http_resume(c->req); /* queue full or stopping: unavailable */
}
