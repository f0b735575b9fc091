/* page_comments.c -- citizens' comments, spam marking, consented callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/metrics.h"
#include "core/ratings.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Who sees what: comments are for managers and admins (the route's
 * least role); every phone or ID-card number in them is masked
 * (text_mask_numbers()).  The one exception is a callback the citizen
 * consented to: its page shows the number and the unmasked comment, and
 * opening it is audited ("callback.open").  Officers have no account
 * role at all, so they never reach a rating.
 */

/* The filters of the list, validated. */
struct filter {
	int month;         /* yyyymm, 0: every month */
	char procedure[9]; /* "" for all */
	int level;         /* 1-5, 0 for all */
	int page;
};

static int
read_filter(struct ctx *c, const struct console_unit *u, struct filter *f)
{
	const char *month = form_get(&c->query, "month");
	const char *proc = form_get(&c->query, "procedure");
	const char *level = form_get(&c->query, "level");
	int64_t n;

	memset(f, 0, sizeof(*f));
	if (month != NULL && month[0] != '\0' &&
	    month_parse(month, strlen(month), &f->month) < 0) {
		console_error(c, u, 400,
		    "Tháng không hợp lệ: cần dạng YYYY-MM, ví dụ 2026-10.",
		    "Bad month: use YYYY-MM, e.g. 2026-10.", NULL);
		return -1;
	}
	if (proc != NULL && proc[0] != '\0') {
		if (!is_procedure_code(proc, strlen(proc))) {
			console_error(c, u, 400,
			    "Mã thủ tục không hợp lệ: cần dạng 1.001193.",
			    "Bad procedure code: use the form 1.001193.", NULL);
			return -1;
		}
		strlcpy_hl(f->procedure, proc, sizeof(f->procedure));
	}
	if (level != NULL && level[0] != '\0') {
		if (parse_int64(level, strlen(level), 1, 5, &n) < 0) {
			console_error(c, u, 400,
			    "Mức độ hài lòng không hợp lệ: chọn từ 1 đến 5.",
			    "Bad satisfaction level: choose 1 to 5.", NULL);
			return -1;
		}
		f->level = (int)n;
	}
	if (console_page(c, &f->page) < 0) {
		console_error(c, u, 400, "Số trang không hợp lệ.",
		    "Bad page number.", NULL);
		return -1;
	}
	return 0;
}

static const char *const level_vi[] = { "", "Rất không hài lòng",
	"Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng" };
static const char *const level_en[] = { "", "Very dissatisfied", "Dissatisfied",
	"Neutral", "Satisfied", "Very satisfied" };

static const char *
level_word(struct ctx *c, int level)
{
	if (level < 1 || level > 5)
		return "?";
	return TR(c, level_vi[level], level_en[level]);
}

static const char *
status_word(struct ctx *c, const char *status)
{
	if (strcmp(status, "spam") == 0)
		return TR(c, "Đã đánh dấu: rác (spam)", "Flagged: spam");
	if (strcmp(status, "misuse") == 0)
		return TR(c, "Đã đánh dấu: lạm dụng", "Flagged: misuse");
	if (strcmp(status, "burst") == 0)
		return TR(c, "Gửi dồn dập (không tính)", "Burst (not counted)");
	if (strcmp(status, "duplicate") == 0)
		return TR(
		    c, "Trùng lặp (không tính)", "Duplicate (not counted)");
	return "";
}

static void
filter_form(struct ctx *c, const struct console_unit *u, const struct filter *f)
{
	struct buf *b = &c->req->resp.body;
	char month[8] = "";

	if (f->month != 0)
		month_format(f->month, month);
	buf_printf(b,
	    "<form class=\"filters\" method=\"get\" "
	    "action=\"/admin/units/%s/comments\">\n",
	    u->code);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_printf(b,
	    "<label>%s <input name=\"month\" value=\"%s\" "
	    "placeholder=\"YYYY-MM\" maxlength=\"7\"></label>\n",
	    TR(c, "Tháng", "Month"), month);
	buf_printf(b,
	    "<label>%s <input name=\"procedure\" value=\"%s\" "
	    "placeholder=\"1.001193\" maxlength=\"8\"></label>\n",
	    TR(c, "Thủ tục", "Procedure"), f->procedure);
	buf_printf(b,
	    "<label>%s <select name=\"level\">\n<option value=\"\">%s"
	    "</option>\n",
	    TR(c, "Mức độ", "Level"), TR(c, "Tất cả", "All"));
	for (int l = 5; l >= 1; l--)
		buf_printf(b, "<option value=\"%d\"%s>%d — %s</option>\n", l,
		    l == f->level ? " selected" : "", l, level_word(c, l));
	buf_printf(b,
	    "</select></label>\n<button type=\"submit\">%s</button>\n"
	    "</form>\n",
	    TR(c, "Lọc", "Filter"));
}

/* The list's base URL for the pager, filters kept. */
static void
list_base(const struct console_unit *u, const struct filter *f, struct buf *q)
{
	char month[8];

	buf_printf(q, "/admin/units/%s/comments?", u->code);
	if (f->month != 0) {
		month_format(f->month, month);
		buf_printf(q, "month=%s&", month);
	}
	if (f->procedure[0] != '\0')
		buf_printf(q, "procedure=%s&", f->procedure);
	if (f->level != 0)
		buf_printf(q, "level=%d&", f->level);
}

static void
mark_form(struct ctx *c, const struct console_unit *u, long long seq,
    const char *status)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b,
	    "<form class=\"mark\" method=\"post\" "
	    "action=\"/admin/units/%s/comments/%lld/status",
	    u->code, seq);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	if (strcmp(status, "valid") == 0) {
		buf_printf(b,
		    "<select name=\"status\"><option value=\"spam\">%s</option>"
		    "<option value=\"misuse\">%s</option></select>\n"
		    "<input name=\"reason\" maxlength=\"500\" "
		    "placeholder=\"%s\">\n"
		    "<button type=\"submit\">%s</button>\n",
		    TR(c, "Rác (spam)", "Spam"), TR(c, "Lạm dụng", "Misuse"),
		    TR(c, "Lý do", "Reason"), TR(c, "Đánh dấu", "Flag"));
	} else {
		buf_printf(b,
		    "<input type=\"hidden\" name=\"status\" value=\"valid\">\n"
		    "<button type=\"submit\">%s</button>\n",
		    TR(c, "Bỏ đánh dấu (tính lại)", "Unflag (count again)"));
	}
	buf_puts(b, "</form>\n");
}

void
page_comments(struct ctx *c)
{
	struct console_unit u;
	struct filter f;
	struct db_stmt *st;
	struct buf *b, base = { 0 };
	int64_t from = 0, to = 0;
	int rows = 0;
	bool more = false;

	if (console_unit(c, 0, &u) < 0 || read_filter(c, &u, &f) < 0)
		return;
	if (f.month != 0) {
		from = month_start(f.month);
		to = month_end(f.month);
	}
	console_begin(c, &u, TR(c, "Góp ý của người dân", "Citizens' comments"),
	    "comments");
	b = &c->req->resp.body;
	buf_printf(b, "<p class=\"note\">%s</p>\n",
	    TR(c,
		"Số điện thoại và số CCCD/CMND trong góp ý được che. Góp ý mới "
		"nhất ở trên.",
		"Phone and ID-card numbers in comments are masked. Newest "
		"first."));
	filter_form(c, &u, &f);
	st = db_query(ctx_db(c),
	    "SELECT t.seq, t.rated_at, t.comment, r.level, "
	    "coalesce(" METRICS_RATING_PROCEDURE_SQL(
		"?8") ", ''), "
		      "coalesce(r.counter, 0), r.status, "
		      "r.channel, t.unit, coalesce(cb.id, 0), "
		      "coalesce(cb.status, '') "
		      "FROM rating_texts t JOIN ratings r ON r.seq = t.seq "
		      "LEFT JOIN callbacks cb ON cb.rating_seq = t.seq "
		      "WHERE t.unit IN (SELECT descendant FROM unit_tree "
		      "WHERE ancestor = ?1) "
		      "AND (?2 = 0 OR (t.rated_at >= ?2 AND t.rated_at < ?3)) "
		      "AND (?4 = '' OR " METRICS_RATING_PROCEDURE_SQL(
			  "?8") " = ?4) "
				"AND (?5 = 0 OR r.level = ?5) "
				"ORDER BY t.rated_at DESC, t.seq DESC LIMIT ?6 "
				"OFFSET ?7",
	    "tlltiill", u.code, from, to, f.procedure, f.level,
	    CONSOLE_ROWS + 1, (int64_t)(f.page - 1) * CONSOLE_ROWS, hl_now());
	while (st != NULL && db_step(st) == DB_ROW) {
		long long seq = (long long)db_col_int(st, 0);
		const char *status = db_col_text(st, 6);
		bool flagged = strcmp(status, "valid") != 0;
		char *masked;

		if (rows == CONSOLE_ROWS) {
			more = true;
			break;
		}
		if (rows++ == 0)
			buf_puts(b, "<ol class=\"comments\">\n");
		buf_printf(b, "<li id=\"r%lld\"%s>\n<p class=\"meta\">", seq,
		    flagged ? " class=\"flagged\"" : "");
		console_when(b, (long long)db_col_int(st, 1));
		buf_printf(b, " · %d — ", (int)db_col_int(st, 3));
		buf_html(b, level_word(c, (int)db_col_int(st, 3)));
		if (db_col_text(st, 4)[0] != '\0')
			buf_printf(b, " · %s %s", TR(c, "Thủ tục", "Procedure"),
			    db_col_text(st, 4));
		if (db_col_int(st, 5) > 0)
			buf_printf(b, " · %s %d", TR(c, "Quầy", "Counter"),
			    (int)db_col_int(st, 5));
		buf_printf(b, " · %s · ", db_col_text(st, 7));
		buf_html(b, db_col_text(st, 8));
		buf_printf(b, " · #%lld", seq);
		if (flagged) {
			buf_puts(b, " <strong class=\"flag\">");
			buf_html(b, status_word(c, status));
			buf_puts(b, "</strong>");
		}
		buf_puts(b, "</p>\n<blockquote>");
		masked = text_mask_numbers(db_col_text(st, 2));
		buf_html(b, masked);
		free(masked);
		buf_puts(b, "</blockquote>\n");
		if (db_col_int(st, 9) > 0) {
			buf_printf(b,
			    "<p class=\"callback\"><a href=\"/admin/units/%s/"
			    "callbacks/%lld",
			    u.code, (long long)db_col_int(st, 9));
			console_lang_suffix(c, b, false);
			buf_puts(b, "\">");
			buf_html(b,
			    strcmp(db_col_text(st, 10), "closed") == 0
				? TR(c, "Đề nghị liên hệ lại (đã đóng)",
				      "Callback request (closed)")
				: TR(c, "Đề nghị liên hệ lại — mở",
				      "Callback request — open"));
			buf_puts(b, "</a></p>\n");
		}
		if (strcmp(status, "valid") == 0 ||
		    strcmp(status, "spam") == 0 ||
		    strcmp(status, "misuse") == 0)
			mark_form(c, &u, seq, status);
		buf_puts(b, "</li>\n");
	}
	db_done(st);
	if (rows == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Không có góp ý nào.", "No comments."));
	else
		buf_puts(b, "</ol>\n");
	list_base(&u, &f, &base);
	console_pager(c, b, buf_str(&base), f.page, more);
	buf_release(&base);
	console_end(c);
}

/* Whether rating seq belongs to u or a unit below it. */
static bool
rating_in_unit(struct db *db, const char *unit, int64_t seq)
{
	int64_t one;

	return db_int(db, &one,
		   "SELECT 1 FROM ratings r JOIN unit_tree t ON "
		   "t.descendant = r.unit AND t.ancestor = ? WHERE r.seq = ?",
		   "tl", unit, seq) == 0;
}

static int
param_id(struct ctx *c, int i, int64_t *out)
{
	const char *v = ctx_param(c, i);

	return v != NULL && parse_int64(v, strlen(v), 1, INT64_MAX, out) == 0
	    ? 0
	    : -1;
}

void
page_comment_status(struct ctx *c)
{
	struct console_unit u;
	struct form f = { 0 };
	struct buf loc = { 0 };
	enum rating_status to;
	const char *status, *reason;
	char actor[80];
	int64_t seq;
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (param_id(c, 1, &seq) < 0 ||
	    !rating_in_unit(ctx_db(c), u.code, seq)) {
		page_not_found(c);
		return;
	}
	if (console_form(c, &u, &f) < 0)
		return;
	status = form_get(&f, "status");
	reason = form_get(&f, "reason");
	if (status == NULL ||
	    (strcmp(status, "spam") != 0 && strcmp(status, "misuse") != 0 &&
		strcmp(status, "valid") != 0) ||
	    rating_status_parse(status, &to) < 0) {
		console_error(c, &u, 400,
		    "Trạng thái không hợp lệ: chọn rác (spam), lạm dụng hoặc "
		    "bỏ đánh dấu.",
		    "Bad status: choose spam, misuse or unflag.", NULL);
		goto out;
	}
	if (reason != NULL &&
	    (strlen(reason) > 500 || !utf8_is_valid(reason, strlen(reason)) ||
		!text_has_no_controls(reason, strlen(reason)))) {
		console_error(c, &u, 400,
		    "Lý do quá dài (tối đa 500 ký tự) hoặc có ký tự không hợp "
		    "lệ.",
		    "The reason is too long (500 characters at most) or has "
		    "characters that are not allowed.",
		    NULL);
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = ratings_set_status(ctx_db(c), seq, to, actor, reason);
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	/* 2: it had that status already; nothing to do, show the list */
	buf_printf(&loc, "/admin/units/%s/comments", u.code);
	console_lang_suffix(c, &loc, false);
	buf_printf(&loc, "#r%lld", (long long)seq);
	http_redirect(c->req, buf_str(&loc));
out:
	buf_release(&loc);
	form_release(&f);
}

/* One callback, if it is of a rating of u's subtree. */
struct callback {
	int64_t id, seq, rated_at, closed_at;
	char phone[16];
	bool has_phone, withdrawn, closed;
	int level;
	char *comment;
};

static int
load_callback(struct db *db, const char *unit, int64_t id, struct callback *cb)
{
	struct db_stmt *st;
	int rc;

	memset(cb, 0, sizeof(*cb));
	st = db_query(db,
	    "SELECT cb.id, cb.rating_seq, r.rated_at, coalesce(cb.closed_at, "
	    "0), "
	    "cb.phone, cb.phone IS NOT NULL, co.withdrawn_at IS NOT NULL, "
	    "cb.status = 'closed', r.level, t.comment "
	    "FROM callbacks cb JOIN ratings r ON r.seq = cb.rating_seq "
	    "JOIN unit_tree u ON u.descendant = r.unit AND u.ancestor = ? "
	    "JOIN consents co ON co.id = cb.consent_id "
	    "LEFT JOIN rating_texts t ON t.seq = cb.rating_seq "
	    "WHERE cb.id = ?",
	    "tl", unit, id);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		cb->id = db_col_int(st, 0);
		cb->seq = db_col_int(st, 1);
		cb->rated_at = db_col_int(st, 2);
		cb->closed_at = db_col_int(st, 3);
		cb->has_phone = db_col_int(st, 5) != 0;
		if (cb->has_phone)
			strlcpy_hl(
			    cb->phone, db_col_text(st, 4), sizeof(cb->phone));
		cb->withdrawn = db_col_int(st, 6) != 0;
		cb->closed = db_col_int(st, 7) != 0;
		cb->level = (int)db_col_int(st, 8);
		if (!db_col_is_null(st, 9))
			cb->comment = xstrdup(db_col_text(st, 9));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

void
page_callback(struct ctx *c)
{
	struct console_unit u;
	struct callback cb;
	struct db_stmt *st;
	struct buf *b;
	struct db *db = ctx_db(c);
	char actor[80], target[40];
	int64_t id;
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (param_id(c, 1, &id) < 0 ||
	    (rc = load_callback(db, u.code, id, &cb)) == 1) {
		page_not_found(c);
		return;
	}
	if (rc < 0) {
		server_unavailable(c);
		return;
	}
	snprintf(target, sizeof(target), "callback:%lld", (long long)cb.id);
	ctx_actor(c, actor, sizeof(actor));
	/* who looked at a citizen's number, and when */
	if (audit_append(db, actor, "callback.open", target, "") < 0) {
		free(cb.comment);
		server_unavailable(c);
		return;
	}
	console_begin(c, &u, TR(c, "Đề nghị liên hệ lại", "Callback request"),
	    "comments");
	b = &c->req->resp.body;
	buf_puts(b, "<dl class=\"callback\">\n<dt>");
	buf_html(b, TR(c, "Thời điểm đánh giá", "Rated at"));
	buf_puts(b, "</dt><dd>");
	console_when(b, (long long)cb.rated_at);
	buf_printf(b, " · #%lld · %d — ", (long long)cb.seq, cb.level);
	buf_html(b, level_word(c, cb.level));
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Số điện thoại", "Phone number"));
	buf_puts(b, "</dt><dd class=\"phone\">");
	if (cb.withdrawn)
		buf_html(b,
		    TR(c, "Người dân đã rút lại sự đồng ý.",
			"The citizen withdrew consent."));
	else if (!cb.has_phone)
		buf_html(b,
		    TR(c, "Đã xóa theo thời hạn lưu giữ.",
			"Erased after the retention period."));
	else
		buf_html(b, cb.phone);
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Góp ý", "Comment"));
	buf_puts(b, "</dt><dd><blockquote>");
	if (cb.comment != NULL) {
		if (cb.withdrawn) {
			char *m = text_mask_numbers(cb.comment);

			buf_html(b, m);
			free(m);
		} else {
			buf_html(b, cb.comment);
		}
	}
	buf_puts(b, "</blockquote></dd>\n<dt>");
	buf_html(b, TR(c, "Trạng thái", "State"));
	buf_puts(b, "</dt><dd class=\"state\">");
	if (cb.closed) {
		buf_html(b, TR(c, "Đã đóng", "Closed"));
		buf_puts(b, " ");
		console_when(b, (long long)cb.closed_at);
	} else {
		buf_html(b, TR(c, "Đang mở", "Open"));
	}
	buf_puts(b, "</dd>\n</dl>\n");
	/* the callback's history is its audit trail */
	buf_printf(b, "<h2>%s</h2>\n<ul class=\"history\">\n",
	    TR(c, "Lịch sử xử lý", "History"));
	st = db_query(db,
	    "SELECT at, actor, action FROM audit WHERE target = ? AND "
	    "action IN ('callback.contacted', 'callback.closed') ORDER BY seq",
	    "t", target);
	while (st != NULL && db_step(st) == DB_ROW) {
		buf_puts(b, "<li>");
		console_when(b, (long long)db_col_int(st, 0));
		buf_puts(b, " · ");
		buf_html(b, db_col_text(st, 1));
		buf_puts(b, " · ");
		buf_html(b,
		    strcmp(db_col_text(st, 2), "callback.closed") == 0
			? TR(c, "đã đóng", "closed")
			: TR(c, "đã liên hệ", "contacted"));
		buf_puts(b, "</li>\n");
	}
	db_done(st);
	buf_puts(b, "</ul>\n");
	if (!cb.closed) {
		buf_printf(b,
		    "<form method=\"post\" action=\"/admin/units/%s/callbacks/"
		    "%lld",
		    u.code, (long long)cb.id);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">\n");
		session_csrf_field(c, b);
		buf_printf(b,
		    "<button name=\"action\" value=\"contacted\">%s</button>\n"
		    "<button name=\"action\" value=\"closed\">%s</button>\n"
		    "</form>\n",
		    TR(c, "Đã liên hệ", "Mark contacted"),
		    TR(c, "Đóng (xong)", "Close (done)"));
	}
	free(cb.comment);
	console_end(c);
}

void
page_callback_post(struct ctx *c)
{
	struct console_unit u;
	struct callback cb;
	struct form f = { 0 };
	struct buf loc = { 0 };
	struct db *db = ctx_db(c);
	const char *action;
	char actor[80], target[40];
	int64_t id;
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (param_id(c, 1, &id) < 0 ||
	    (rc = load_callback(db, u.code, id, &cb)) == 1) {
		page_not_found(c);
		return;
	}
	free(cb.comment);
	if (rc < 0) {
		server_unavailable(c);
		return;
	}
	if (console_form(c, &u, &f) < 0)
		return;
	action = form_get(&f, "action");
	if (action == NULL ||
	    (strcmp(action, "contacted") != 0 &&
		strcmp(action, "closed") != 0)) {
		console_error(c, &u, 400,
		    "Thao tác không hợp lệ: chọn \"đã liên hệ\" hoặc \"đóng\".",
		    "Bad action: choose contacted or closed.", NULL);
		goto out;
	}
	if (cb.closed) {
		console_error(c, &u, 409, "Đề nghị này đã được đóng.",
		    "This callback request is closed already.", NULL);
		goto out;
	}
	snprintf(target, sizeof(target), "callback:%lld", (long long)cb.id);
	ctx_actor(c, actor, sizeof(actor));
	rc = -1;
	if (db_begin(db) == 0) {
		if ((strcmp(action, "closed") != 0 ||
			db_run(db,
			    "UPDATE callbacks SET status = 'closed', "
			    "closed_at = ? WHERE id = ? AND status = 'open'",
			    "ll", hl_now(), cb.id) == 0) &&
		    audit_append(db, actor,
			strcmp(action, "closed") == 0 ? "callback.closed"
						      : "callback.contacted",
			target, "") == 0 &&
		    db_commit(db) == 0)
			rc = 0;
		else
			db_rollback(db);
	}
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	buf_printf(
	    &loc, "/admin/units/%s/callbacks/%lld", u.code, (long long)cb.id);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
out:
	buf_release(&loc);
	form_release(&f);
}
