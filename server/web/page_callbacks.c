/* page_callbacks.c -- the queue of callback requests, one request, done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/callbacks.h"
#include "core/labels.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Who sees what.  The queue (every role of the unit's subtree) says how
 * many citizens wait for a call, since when and by when they are due
 * (callbacks_due_at(): the end of the second working day after the
 * request), so that a late answer shows.  It never shows a phone number
 * and shows comments only to managers and admins, masked, as the
 * comment list does.  A request's own page (managers and admins, the
 * route's least role) shows the number and the unmasked comment, and
 * opening it is audited ("callback.open"): who looked at a citizen's
 * number, and when, stays on record.  Marking a request contacted or
 * done (closed, with a note) is audited with the note, numbers in it
 * masked (callbacks_mark()).
 */

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

/* "2 ngày 5 giờ", "3 giờ", "12 phút": a span a person reads. */
static void
span_words(struct ctx *c, struct buf *b, int64_t secs)
{
	int64_t d, h, m;

	if (secs < 0)
		secs = 0;
	d = secs / 86400;
	h = secs % 86400 / 3600;
	m = secs % 3600 / 60;
	if (d > 0) {
		buf_printf(b, "%lld %s", (long long)d,
		    TR(c, "ngày", d == 1 ? "day" : "days"));
		if (h > 0)
			buf_printf(b, " %lld %s", (long long)h,
			    TR(c, "giờ", h == 1 ? "hour" : "hours"));
	} else if (h > 0) {
		buf_printf(b, "%lld %s", (long long)h,
		    TR(c, "giờ", h == 1 ? "hour" : "hours"));
	} else {
		buf_printf(b, "%lld %s", (long long)m,
		    TR(c, "phút", m == 1 ? "minute" : "minutes"));
	}
}

/* A due time is the end of a day: "hết ngày 08/12/2026". */
static void
due_words(struct ctx *c, struct buf *b, int64_t due_at)
{
	char d[11];

	date_vn(due_at - 1, d);
	buf_printf(b, "%s %s", TR(c, "hết ngày", "end of"), d);
}

static int
param_id(struct ctx *c, int i, int64_t *out)
{
	const char *v = ctx_param(c, i);

	return v != NULL && parse_int64(v, strlen(v), 1, INT64_MAX, out) == 0
	    ? 0
	    : -1;
}

static void
queue_path(struct ctx *c, struct buf *b, const char *unit, bool closed)
{
	buf_printf(b, "/admin/units/%s/callbacks", unit);
	if (closed)
		buf_puts(b, "?state=closed");
	console_lang_suffix(c, b, closed);
}

static void
one_path(struct ctx *c, struct buf *b, const char *unit, int64_t id)
{
	buf_printf(b, "/admin/units/%s/callbacks/%lld", unit, (long long)id);
	console_lang_suffix(c, b, false);
}

/* The state of an open request, in words, and its row's class. */
static const char *
open_state(
    struct ctx *c, const struct callback *cb, int64_t now, const char **cls)
{
	if (cb->withdrawn) {
		*cls = "gone";
		return TR(c, "Người dân đã rút lại sự đồng ý — không gọi",
		    "Consent withdrawn — do not call");
	}
	if (!cb->has_phone) {
		*cls = "gone";
		return TR(c, "Số điện thoại đã bị xóa — không gọi được",
		    "Number erased — cannot call");
	}
	if (cb->due_at <= now) {
		*cls = "overdue";
		return TR(c, "Quá hạn", "Overdue");
	}
	*cls = "due";
	return TR(c, "Trong hạn", "Within time");
}

static void
th(struct ctx *c, struct buf *b, const char *vi, const char *en)
{
	buf_puts(b, "<th scope=\"col\">");
	buf_html(b, TR(c, vi, en));
	buf_puts(b, "</th>");
}

/* <td data-label="..."> for the table stacked on a phone. */
static void
td(struct ctx *c, struct buf *b, const char *vi, const char *en)
{
	buf_puts(b, "<td data-label=\"");
	buf_html(b, TR(c, vi, en));
	buf_puts(b, "\">");
}

static void
unit_cell(struct ctx *c, struct buf *b, const struct callback *cb)
{
	td(c, b, "Đơn vị", "Unit");
	buf_html(b, cb->unit_name);
	if (cb->counter > 0)
		buf_printf(
		    b, " · %s %d", TR(c, "Quầy", "Counter"), cb->counter);
	buf_puts(b, "</td>");
}

static void
comment_cell(struct ctx *c, struct buf *b, const struct callback *cb)
{
	char *masked;

	td(c, b, "Góp ý", "Comment");
	if (cb->comment == NULL) {
		buf_puts(b, "—</td>");
		return;
	}
	/* the number is on the request's own page, where a look is audited */
	masked = text_mask_numbers(cb->comment);
	buf_puts(b, "<span class=\"excerpt\">");
	buf_html(b, masked);
	buf_puts(b, "</span></td>");
	free(masked);
}

static void
open_rows(struct ctx *c, const struct console_unit *u, const struct callback *v,
    size_t n, int64_t now, bool manager)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<table class=\"stack callbacks\">\n<thead><tr>");
	th(c, b, "Số", "No.");
	th(c, b, "Gửi lúc", "Asked at");
	th(c, b, "Đã chờ", "Waiting for");
	th(c, b, "Hạn gọi lại", "Due by");
	th(c, b, "Tình trạng", "State");
	th(c, b, "Đơn vị", "Unit");
	th(c, b, "Mức độ", "Level");
	if (manager) {
		th(c, b, "Góp ý", "Comment");
		th(c, b, "Xử lý", "Action");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct callback *cb = &v[i];
		const char *cls, *state = open_state(c, cb, now, &cls);

		buf_printf(b, "<tr id=\"cb%lld\" class=\"%s\">",
		    (long long)cb->id, cls);
		td(c, b, "Số", "No.");
		buf_printf(b, "#%lld</td>", (long long)cb->id);
		td(c, b, "Gửi lúc", "Asked at");
		console_when(b, (long long)cb->requested_at);
		buf_puts(b, "</td>");
		td(c, b, "Đã chờ", "Waiting for");
		span_words(c, b, now - cb->requested_at);
		buf_puts(b, "</td>");
		td(c, b, "Hạn gọi lại", "Due by");
		due_words(c, b, cb->due_at);
		buf_puts(b, "</td>");
		td(c, b, "Tình trạng", "State");
		buf_printf(b, "<strong class=\"state %s\">", cls);
		buf_html(b, state);
		buf_puts(b, "</strong>");
		if (strcmp(cls, "overdue") == 0) {
			buf_puts(b, " (");
			span_words(c, b, now - cb->due_at);
			buf_puts(b, ")");
		}
		buf_puts(b, "</td>");
		unit_cell(c, b, cb);
		td(c, b, "Mức độ", "Level");
		buf_printf(b, "%d — ", cb->level);
		buf_html(b, level_word(c, cb->level));
		buf_puts(b, "</td>");
		if (manager) {
			comment_cell(c, b, cb);
			td(c, b, "Xử lý", "Action");
			buf_puts(b, "<a href=\"");
			one_path(c, b, u->code, cb->id);
			buf_puts(b, "\">");
			buf_html(b,
			    callback_is_callable(cb)
				? TR(c, "Xem số và gọi lại", "Open and call")
				: TR(c, "Mở để đóng", "Open to close"));
			buf_puts(b, "</a></td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

static void
closed_rows(struct ctx *c, const struct console_unit *u,
    const struct callback *v, size_t n, bool manager)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "<table class=\"stack callbacks\">\n<thead><tr>");
	th(c, b, "Số", "No.");
	th(c, b, "Gửi lúc", "Asked at");
	th(c, b, "Xong lúc", "Done at");
	th(c, b, "So với hạn", "Against the due time");
	th(c, b, "Đơn vị", "Unit");
	th(c, b, "Mức độ", "Level");
	if (manager)
		th(c, b, "Chi tiết", "Details");
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct callback *cb = &v[i];
		bool late = cb->closed_at > cb->due_at;

		buf_printf(b, "<tr id=\"cb%lld\" class=\"%s\">",
		    (long long)cb->id, late ? "was-late" : "on-time");
		td(c, b, "Số", "No.");
		buf_printf(b, "#%lld</td>", (long long)cb->id);
		td(c, b, "Gửi lúc", "Asked at");
		console_when(b, (long long)cb->requested_at);
		buf_puts(b, "</td>");
		td(c, b, "Xong lúc", "Done at");
		console_when(b, (long long)cb->closed_at);
		buf_puts(b, "</td>");
		td(c, b, "So với hạn", "Against the due time");
		if (late) {
			buf_puts(b, "<strong class=\"late\">");
			buf_html(b, TR(c, "Trễ hạn", "Late by"));
			buf_puts(b, " ");
			span_words(c, b, cb->closed_at - cb->due_at);
			buf_puts(b, "</strong>");
		} else {
			buf_html(b, TR(c, "Đúng hạn", "On time"));
		}
		buf_puts(b, "</td>");
		unit_cell(c, b, cb);
		td(c, b, "Mức độ", "Level");
		buf_printf(b, "%d — ", cb->level);
		buf_html(b, level_word(c, cb->level));
		buf_puts(b, "</td>");
		if (manager) {
			td(c, b, "Chi tiết", "Details");
			buf_puts(b, "<a href=\"");
			one_path(c, b, u->code, cb->id);
			buf_puts(b, "\">");
			buf_html(b, TR(c, "Xem", "Open"));
			buf_puts(b, "</a></td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
}

void
page_callbacks(struct ctx *c)
{
	struct console_unit u;
	struct callback *v = NULL;
	struct buf *b, base = { 0 };
	struct db *db;
	const char *state = form_get(&c->query, "state");
	const char *done = form_get(&c->query, "done");
	bool closed, manager = c->who.role >= ROLE_MANAGER, more = false;
	int64_t now = hl_now(), due = 0, overdue = 0, done_id = 0;
	size_t n = 0;
	int page;

	if (console_unit(c, 0, &u) < 0)
		return;
	db = ctx_db(c);
	if (state != NULL && state[0] != '\0' && strcmp(state, "open") != 0 &&
	    strcmp(state, "closed") != 0) {
		console_error(c, &u, 400,
		    "Trạng thái không hợp lệ: chọn đang chờ hoặc đã xong.",
		    "Bad state: choose open or closed.", state);
		return;
	}
	closed = state != NULL && strcmp(state, "closed") == 0;
	if (console_page(c, &page) < 0) {
		console_error(c, &u, 400, "Số trang không hợp lệ.",
		    "Bad page number.", NULL);
		return;
	}
	if (done != NULL &&
	    parse_int64(done, strlen(done), 1, INT64_MAX, &done_id) < 0)
		done_id = 0;
	if (callbacks_count(db, u.code, now, &due, &overdue) < 0 ||
	    callbacks_list(db, u.code,
		closed ? CALLBACKS_CLOSED : CALLBACKS_OPEN,
		(page - 1) * CONSOLE_ROWS, CONSOLE_ROWS + 1, &v, &n) < 0) {
		server_unavailable(c);
		return;
	}
	if (n > CONSOLE_ROWS) {
		more = true;
		n = CONSOLE_ROWS;
	}
	console_begin(
	    c, &u, TR(c, "Đề nghị gọi lại", "Callback requests"), "callbacks");
	b = &c->req->resp.body;
	if (done_id > 0)
		buf_printf(b,
		    "<p class=\"done\" role=\"status\">%s #%lld.</p>\n",
		    TR(c, "Đã đóng đề nghị gọi lại", "Closed callback request"),
		    (long long)done_id);
	buf_printf(b, "<p class=\"summary\"><strong>%s: %lld</strong> · ",
	    TR(c, "Cần gọi lại", "To call back"), (long long)due);
	buf_printf(b, "<strong%s>%s: %lld</strong></p>\n",
	    overdue > 0 ? " class=\"late\"" : "", TR(c, "Quá hạn", "Overdue"),
	    (long long)overdue);
	buf_puts(b, "<p class=\"legend\">");
	buf_html(b,
	    TR(c,
		"Người dân đồng ý để lại số điện thoại khi đánh giá và đề nghị "
		"được gọi lại. Hạn gọi lại: hết ngày làm việc thứ hai sau ngày "
		"gửi đề nghị (không tính thứ Bảy, Chủ nhật; ngày lễ chưa được "
		"trừ). Đề nghị cũ nhất ở trên.",
		"Citizens who left a number when rating, and asked to be "
		"called back. Due by the end of the second working day after "
		"the day of the request (Saturdays and Sundays not counted; "
		"public holidays are not known). Oldest first."));
	if (!manager) {
		buf_puts(b, " ");
		buf_html(b,
		    TR(c,
			"Số điện thoại và nội dung góp ý chỉ cán bộ quản lý "
			"và quản trị xem được.",
			"Numbers and comments are for managers and "
			"administrators only."));
	}
	buf_puts(b, "</p>\n<nav class=\"subnav\" aria-label=\"");
	buf_html(b, TR(c, "Lọc đề nghị", "Filter requests"));
	buf_puts(b, "\"><a href=\"");
	queue_path(c, b, u.code, false);
	buf_printf(b, "\"%s>", closed ? "" : " aria-current=\"page\"");
	buf_html(b, TR(c, "Đang chờ", "Waiting"));
	buf_puts(b, "</a><a href=\"");
	queue_path(c, b, u.code, true);
	buf_printf(b, "\"%s>", closed ? " aria-current=\"page\"" : "");
	buf_html(b, TR(c, "Đã xong", "Done"));
	buf_puts(b, "</a></nav>\n");
	if (n == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    closed ? TR(c, "Chưa có đề nghị nào đã xong.",
				 "No request is done yet.")
			   : TR(c, "Không có đề nghị nào đang chờ.",
				 "No request is waiting."));
	else if (closed)
		closed_rows(c, &u, v, n, manager);
	else
		open_rows(c, &u, v, n, now, manager);
	buf_printf(&base, "/admin/units/%s/callbacks?%s", u.code,
	    closed ? "state=closed&" : "");
	console_pager(c, b, buf_str(&base), page, more);
	buf_release(&base);
	callbacks_free(v, n + (more ? 1 : 0));
	console_end(c);
}

/* The request of the route's :id, within the unit; else 404 (answered). */
static int
load(struct ctx *c, const struct console_unit *u, struct callback *cb)
{
	int64_t id;
	int rc;

	if (param_id(c, 1, &id) < 0 ||
	    (rc = callbacks_get(ctx_db(c), u->code, id, cb)) == 1) {
		page_not_found(c);
		return -1;
	}
	if (rc < 0) {
		server_unavailable(c);
		return -1;
	}
	return 0;
}

static void
history(struct ctx *c, const struct callback *cb)
{
	struct buf *b = &c->req->resp.body;
	struct callback_event *ev = NULL;
	size_t n = 0;

	buf_printf(b, "<h2>%s</h2>\n", TR(c, "Lịch sử xử lý", "History"));
	if (callbacks_history(ctx_db(c), cb->id, &ev, &n) < 0 || n == 0) {
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Chưa có ai xử lý đề nghị này.",
			"Nobody has handled this request yet."));
		free(ev);
		return;
	}
	buf_puts(b, "<ul class=\"history\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "<li>");
		console_when(b, (long long)ev[i].at);
		buf_puts(b, " · ");
		label_actor(b, c->lang, ev[i].actor);
		buf_puts(b, " · ");
		buf_html(b,
		    ev[i].closed
			? TR(c, "đã xong, đóng đề nghị", "done, closed")
			: TR(c, "đã liên hệ", "contacted"));
		if (ev[i].note[0] != '\0') {
			buf_puts(b, "<blockquote>");
			buf_html(b, ev[i].note);
			buf_puts(b, "</blockquote>");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
	free(ev);
}

static void
mark_form(struct ctx *c, const struct console_unit *u,
    const struct callback *cb, const char *err)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"setup callback\" "
	    "method=\"post\" action=\"",
	    TR(c, "Ghi kết quả", "Record the outcome"));
	one_path(c, b, u->code, cb->id);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<label>%s <textarea name=\"note\" rows=\"3\" maxlength=\"%d\""
	    "%s></textarea></label>\n",
	    TR(c, "Ghi chú (bắt buộc khi đóng): đã gọi lúc nào, kết quả ra sao",
		"Note (needed to close): when you called, what came of it"),
	    CALLBACK_NOTE_MAX, err != NULL ? " aria-invalid=\"true\"" : "");
	if (err != NULL) {
		buf_puts(b, "<span class=\"field-error\" role=\"alert\">");
		buf_html(b, err);
		buf_puts(b, "</span>\n");
	}
	buf_printf(b,
	    "<p class=\"note\">%s</p>\n"
	    "<button type=\"submit\" name=\"action\" value=\"contacted\">%s"
	    "</button>\n"
	    "<button type=\"submit\" name=\"action\" value=\"closed\">%s"
	    "</button>\n</form>\n",
	    TR(c,
		"Đóng đề nghị khi đã xử lý xong. Đề nghị đã đóng không mở lại "
		"được; số điện thoại sẽ được xóa theo thời hạn lưu giữ. Không "
		"ghi số điện thoại vào ghi chú (nếu có sẽ bị che).",
		"Close the request once it is handled. A closed request cannot "
		"be opened again; the number is erased after the retention "
		"period. Do not put numbers in the note (they are masked)."),
	    TR(c, "Đã liên hệ, chưa xong", "Contacted, not done"),
	    TR(c, "Xong — đóng đề nghị", "Done — close the request"));
}

static void
render_one(struct ctx *c, const struct console_unit *u,
    const struct callback *cb, int status, const char *err)
{
	struct buf *b;
	int64_t now = hl_now();

	console_begin(
	    c, u, TR(c, "Đề nghị gọi lại", "Callback request"), "callbacks");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	buf_puts(b, "<p><a href=\"");
	queue_path(c, b, u->code, false);
	buf_puts(b, "\">");
	buf_html(b, TR(c, "← Về hàng đợi gọi lại", "← Back to the queue"));
	buf_puts(b, "</a></p>\n<dl class=\"facts callback\">\n<dt>");
	buf_html(b, TR(c, "Số đề nghị", "Request"));
	buf_printf(b, "</dt><dd>#%lld</dd>\n<dt>", (long long)cb->id);
	buf_html(b, TR(c, "Gửi lúc", "Asked at"));
	buf_puts(b, "</dt><dd>");
	console_when(b, (long long)cb->requested_at);
	buf_puts(b, " · ");
	buf_html(b, TR(c, "đánh giá", "rating"));
	buf_printf(b, " #%lld · %d — ", (long long)cb->seq, cb->level);
	buf_html(b, level_word(c, cb->level));
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Đơn vị", "Unit"));
	buf_puts(b, "</dt><dd>");
	buf_html(b, cb->unit_name);
	if (cb->counter > 0)
		buf_printf(
		    b, " · %s %d", TR(c, "Quầy", "Counter"), cb->counter);
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Hạn gọi lại", "Due by"));
	buf_puts(b, "</dt><dd>");
	due_words(c, b, cb->due_at);
	if (!cb->closed && callback_is_callable(cb) && cb->due_at <= now) {
		buf_printf(b, " <strong class=\"late\">%s ",
		    TR(c, "Quá hạn", "Overdue by"));
		span_words(c, b, now - cb->due_at);
		buf_puts(b, "</strong>");
	}
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Số điện thoại", "Phone number"));
	buf_puts(b, "</dt><dd class=\"phone\">");
	if (cb->withdrawn)
		buf_html(b,
		    TR(c, "Người dân đã rút lại sự đồng ý.",
			"The citizen withdrew consent."));
	else if (!cb->has_phone)
		buf_html(b,
		    TR(c, "Đã xóa theo thời hạn lưu giữ.",
			"Erased after the retention period."));
	else
		buf_html(b, cb->phone);
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Góp ý", "Comment"));
	buf_puts(b, "</dt><dd><blockquote>");
	if (cb->comment != NULL) {
		if (cb->withdrawn) {
			char *m = text_mask_numbers(cb->comment);

			buf_html(b, m);
			free(m);
		} else {
			buf_html(b, cb->comment);
		}
	}
	buf_puts(b, "</blockquote></dd>\n<dt>");
	buf_html(b, TR(c, "Trạng thái", "State"));
	buf_puts(b, "</dt><dd class=\"state\">");
	if (cb->closed) {
		buf_html(b, TR(c, "Đã đóng", "Closed"));
		buf_puts(b, " ");
		console_when(b, (long long)cb->closed_at);
	} else {
		buf_html(b, TR(c, "Đang mở", "Open"));
	}
	buf_puts(b, "</dd>\n</dl>\n");
	history(c, cb);
	if (!cb->closed)
		mark_form(c, u, cb, err);
	console_end(c);
}

void
page_callback(struct ctx *c)
{
	struct console_unit u;
	struct callback cb;
	char actor[80], target[40];

	if (console_unit(c, 0, &u) < 0 || load(c, &u, &cb) < 0)
		return;
	snprintf(target, sizeof(target), "callback:%lld", (long long)cb.id);
	ctx_actor(c, actor, sizeof(actor));
	/* who looked at a citizen's number, and when */
	if (audit_append(ctx_db(c), actor, "callback.open", target, "") < 0) {
		callback_release(&cb);
		server_unavailable(c);
		return;
	}
	render_one(c, &u, &cb, 200, NULL);
	callback_release(&cb);
}

void
page_callback_post(struct ctx *c)
{
	struct console_unit u;
	struct callback cb;
	struct form f = { 0 };
	struct buf loc = { 0 };
	const char *action, *note;
	char actor[80];
	bool done;
	int rc;

	if (console_unit(c, 0, &u) < 0 || load(c, &u, &cb) < 0)
		return;
	if (console_form(c, &u, &f) < 0)
		goto out;
	action = form_get(&f, "action");
	note = form_get(&f, "note");
	if (action == NULL ||
	    (strcmp(action, "contacted") != 0 &&
		strcmp(action, "closed") != 0)) {
		console_error(c, &u, 400,
		    "Thao tác không hợp lệ: chọn \"đã liên hệ\" hoặc \"xong\".",
		    "Bad action: choose contacted or done.", NULL);
		goto out;
	}
	done = strcmp(action, "closed") == 0;
	if (cb.closed) {
		console_error(c, &u, 409, "Đề nghị này đã được đóng.",
		    "This callback request is closed already.", NULL);
		goto out;
	}
	if (!callback_note_is_valid(note)) {
		render_one(c, &u, &cb, 400,
		    TR(c,
			"Ghi chú quá dài (tối đa 500 byte) hoặc có ký tự không "
			"hợp lệ.",
			"The note is too long (500 bytes at most) or has "
			"characters that are not allowed."));
		goto out;
	}
	if (done && (note == NULL || strspn(note, " \t\r\n") == strlen(note))) {
		render_one(c, &u, &cb, 400,
		    TR(c, "Ghi lại kết quả trước khi đóng đề nghị.",
			"Write what came of it before closing the request."));
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = callbacks_mark(ctx_db(c), cb.id, done, actor, note, hl_now());
	if (rc == 1) {
		console_error(c, &u, 409, "Đề nghị này đã được đóng.",
		    "This callback request is closed already.", NULL);
		goto out;
	}
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	if (done) {
		buf_printf(&loc, "/admin/units/%s/callbacks?done=%lld", u.code,
		    (long long)cb.id);
		console_lang_suffix(c, &loc, true);
	} else {
		one_path(c, &loc, u.code, cb.id);
	}
	http_redirect(c->req, buf_str(&loc));
out:
	callback_release(&cb);
	buf_release(&loc);
	form_release(&f);
}
