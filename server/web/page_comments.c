/* page_comments.c -- citizens' comments and spam marking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/labels.h"
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
 * consented to: its page (page_callbacks.c) shows the number and the
 * unmasked comment, and opening it is audited ("callback.open").
 * Officers have no account role at all, so they never reach a rating.
 * Flagging a comment as spam or misuse is a choice made on purpose:
 * nothing is pre-selected, the form is folded until opened, and the
 * server refuses a mark without a status.
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
		    "Tháng không hợp lệ: hãy chọn tháng trong ô Tháng.",
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
	    "<label>%s <input type=\"month\" name=\"month\" value=\"%s\" "
	    "min=\"2000-01\" max=\"2199-12\"></label>\n",
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
		/* nothing chosen until the person chooses (issue 18) */
		buf_printf(b,
		    "<details><summary>%s</summary>\n<fieldset><legend>%s"
		    "</legend>\n"
		    "<label><input type=\"radio\" name=\"status\" "
		    "value=\"spam\"> %s</label>\n"
		    "<label><input type=\"radio\" name=\"status\" "
		    "value=\"misuse\"> %s</label>\n</fieldset>\n"
		    "<label>%s <input name=\"reason\" maxlength=\"500\">"
		    "</label>\n"
		    "<button type=\"submit\">%s</button>\n</details>\n",
		    TR(c, "Đánh dấu góp ý này…", "Flag this comment…"),
		    TR(c, "Góp ý này là", "This comment is"),
		    TR(c, "Rác (spam): không tính vào số liệu",
			"Spam: left out of the figures"),
		    TR(c, "Lạm dụng: không tính vào số liệu",
			"Misuse: left out of the figures"),
		    TR(c, "Lý do", "Reason"),
		    TR(c, "Xác nhận đánh dấu", "Confirm the flag"));
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
		buf_puts(b, " · ");
		buf_html(b, label_channel(c->lang, db_col_text(st, 7)));
		buf_puts(b, " · ");
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
				? TR(c, "Đề nghị gọi lại (đã xong)",
				      "Callback request (done)")
				: TR(c, "Đề nghị gọi lại — đang chờ",
				      "Callback request — waiting"));
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
	if (status == NULL || status[0] == '\0') {
		console_error(c, &u, 400,
		    "Chưa chọn: hãy chọn rác (spam) hoặc lạm dụng rồi xác "
		    "nhận.",
		    "Nothing chosen: choose spam or misuse, then confirm.",
		    NULL);
		goto out;
	}
	if ((strcmp(status, "spam") != 0 && strcmp(status, "misuse") != 0 &&
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
