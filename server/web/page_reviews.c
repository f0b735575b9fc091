/* page_reviews.c -- reviews: list, one review, open one, move it on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/form.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/labels.h"
#include "core/reviews.h"
#include "core/store.h"
#include "core/users.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

static const char *
status_label(struct ctx *c, const char *status)
{
	if (strcmp(status, "open") == 0)
		return TR(c, "Mới mở", "Open");
	if (strcmp(status, "in_progress") == 0)
		return TR(c, "Đang xử lý", "In progress");
	if (strcmp(status, "resolved") == 0)
		return TR(c, "Đã xử lý xong", "Resolved");
	return status;
}

/* Today in Asia/Ho_Chi_Minh as YYYY-MM-DD, and its day number. */
static int64_t
today(char out[11])
{
	int64_t days = (hl_now() + HL_TZ_OFFSET) / 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u);
	return days;
}

/* "2026-12-05" as 05/12/2026. */
static void
date_text(struct buf *b, const char *ymd)
{
	if (ymd == NULL || strlen(ymd) != 10) {
		buf_puts(b, "—");
		return;
	}
	buf_printf(b, "%.2s/%.2s/%.4s", ymd + 8, ymd + 5, ymd);
}

/* Stored flag codes ("LOW_SATISFACTION,LATE") as their names. */
static void
flags_text(struct ctx *c, struct buf *b, const char *flags)
{
	const char *p = flags != NULL ? flags : "";
	int n = 0;

	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char code[64];

		if (len > 0 && len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = '\0';
			buf_puts(b, n++ > 0 ? ", " : "");
			buf_puts(b, "<span data-flag=\"");
			buf_html(b, code);
			buf_puts(b, "\">");
			label_code_html(b, label_flag(c->lang, code), code);
			buf_puts(b, "</span>");
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (n == 0)
		buf_puts(b, "—");
}

static void
review_what(struct ctx *c, struct buf *b, const char *unit,
    const char *procedure, const char *pname, int counter)
{
	if (procedure != NULL) {
		buf_printf(b, "<span class=\"code\">%s</span> ", procedure);
		buf_html(b, pname != NULL ? pname : "");
	} else {
		buf_html(b, TR(c, "Quầy", "Counter"));
		buf_printf(
		    b, " %d <span class=\"code\">%s</span>", counter, unit);
	}
}

static void
history(struct ctx *c, int64_t id)
{
	struct buf *b = &c->req->resp.body;
	struct review_cursor cur = { 0 };
	struct review_event e;

	review_events_list(ctx_db(c), &cur, id);
	buf_printf(
	    b, "<ol class=\"history\" data-review=\"%lld\">\n", (long long)id);
	while (review_cursor_next_event(&cur, &e)) {
		struct buf who = { 0 };

		buf_printf(b, "<li data-to=\"%s\" data-actor=\"", e.to_status);
		buf_html(b, e.actor);
		buf_puts(b, "\">");
		fmt_datetime(b, c->lang, e.at);
		buf_puts(b, " ");
		label_actor(&who, c->lang, e.actor);
		buf_html(b, buf_str(&who));
		buf_release(&who);
		buf_puts(b, ": ");
		if (e.from_status[0] != '\0') {
			buf_html(b, status_label(c, e.from_status));
			buf_puts(b, " → ");
		}
		buf_puts(b, "<strong>");
		buf_html(b, status_label(c, e.to_status));
		buf_puts(b, "</strong>");
		if (e.note[0] != '\0') {
			buf_puts(b, "<blockquote class=\"note\">");
			buf_html(b, e.note);
			buf_puts(b, "</blockquote>");
		}
		buf_puts(b, "</li>\n");
	}
	review_cursor_close(&cur);
	buf_puts(b, "</ol>\n");
}

/* Whether a review is past its due date and not resolved. */
static bool
is_overdue(const struct review *r, const char *now)
{
	return strcmp(r->status, "resolved") != 0 && strcmp(r->due, now) < 0;
}

/* One review of the history list, without its events. */
static void
history_item(struct ctx *c, const struct console_unit *u,
    const struct review *r, bool say_counter, const char *now)
{
	struct buf *b = &c->req->resp.body;
	char ms[8];

	month_format(r->month, ms);
	buf_printf(b,
	    "<li class=\"review %s%s\" data-review=\"%lld\"><a "
	    "href=\"/admin/units/%s/reviews/%lld",
	    r->status, is_overdue(r, now) ? " overdue" : "", (long long)r->id,
	    u->code, (long long)r->id);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">#%lld</a> <span data-month=\"%s\">", (long long)r->id, ms);
	fmt_month_cap(b, c->lang, r->month);
	buf_puts(b, "</span> · ");
	if (say_counter) {
		/* every counter's: say which */
		review_what(c, b, u->code, NULL, "", r->counter);
		buf_puts(b, " · ");
	}
	buf_html(b, status_label(c, r->status));
	buf_puts(b, " · ");
	buf_html(b, TR(c, "phụ trách", "owner"));
	buf_puts(b, " ");
	buf_html(b, r->owner);
	buf_puts(b, " · ");
	buf_html(b, TR(c, "hạn", "due"));
	buf_puts(b, " ");
	date_text(b, r->due);
	if (r->action[0] != '\0') {
		buf_puts(b, "<p class=\"action\">");
		buf_html(b, TR(c, "Biện pháp đã thực hiện:", "Action taken:"));
		buf_puts(b, " ");
		buf_html(b, r->action);
		buf_puts(b, "</p>");
	}
}

void
console_review_history(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter)
{
	struct buf *b = &c->req->resp.body;
	int64_t ids[50];
	int n;
	char now[11];

	today(now);
	buf_puts(b, "<h2 id=\"reviews\">");
	buf_html(b, TR(c, "Lịch sử rà soát", "Review history"));
	buf_puts(b, "</h2>\n");
	n = reviews_recent_ids(ctx_db(c), u->code, procedure, counter, ids, 50);
	if (n == 0) {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b, TR(c, "Chưa có rà soát nào.", "No reviews yet."));
		buf_puts(b, "</p>\n");
		return;
	}
	buf_puts(b, "<ul class=\"reviews\">\n");
	for (int i = 0; i < n; i++) {
		struct review_cursor cur = { 0 };
		struct review r;

		reviews_get(ctx_db(c), &cur, ids[i], NULL);
		if (!review_cursor_next(&cur, &r)) {
			review_cursor_close(&cur);
			continue;
		}
		history_item(c, u, &r, procedure == NULL && counter == 0, now);
		review_cursor_close(&cur);
		history(c, ids[i]);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

void
console_review_form(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter, int month)
{
	struct buf *b = &c->req->resp.body;
	struct review_cursor cur = { 0 };
	const char *name, *full;
	char ms[8], now[11];

	month_format(month, ms);
	today(now);
	buf_puts(b, "<h2 id=\"open-review\">");
	buf_html(b, TR(c, "Mở rà soát", "Open a review"));
	buf_printf(b,
	    "</h2>\n<form class=\"review\" method=\"post\" "
	    "action=\"/admin/units/%s/reviews",
	    u->code);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	if (procedure != NULL)
		buf_printf(b,
		    "<input type=\"hidden\" name=\"procedure\" value=\"%s\">\n",
		    procedure);
	else
		buf_printf(b,
		    "<input type=\"hidden\" name=\"counter\" value=\"%d\">\n",
		    counter);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"month\" value=\"%s\">\n<div "
	    "class=\"field\"><label for=\"owner\">",
	    ms);
	buf_html(b, TR(c, "Người phụ trách", "Owner"));
	buf_puts(
	    b, "</label>\n<select id=\"owner\" name=\"owner\" required>\n");
	reviews_owners_list(ctx_db(c), &cur, u->code);
	while (review_cursor_next_owner(&cur, &name, &full)) {
		buf_puts(b, "<option value=\"");
		buf_html(b, name);
		buf_printf(b, "\"%s>",
		    strcmp(name, c->who.name) == 0 ? " selected" : "");
		/* "Nguyễn Thị Lan (lan)", or "lan" when that is all */
		if (full != NULL && full[0] != '\0' &&
		    strcmp(full, name) != 0) {
			buf_html(b, full);
			buf_puts(b, " (");
			buf_html(b, name);
			buf_puts(b, ")");
		} else
			buf_html(b, name);
		buf_puts(b, "</option>\n");
	}
	review_cursor_close(&cur);
	buf_puts(
	    b, "</select></div>\n<div class=\"field\"><label for=\"due\">");
	buf_html(b, TR(c, "Hạn hoàn thành", "Due date"));
	/* dd/mm/yyyy typed, as the ballots take it: a browser's date
	 * picker follows its own locale (mm/dd/yyyy in an English one) */
	buf_printf(b,
	    "</label>\n<input id=\"due\" name=\"due\" inputmode=\"numeric\" "
	    "maxlength=\"10\" placeholder=\"dd/mm/yyyy\" "
	    "aria-describedby=\"due-hint\" data-min=\"%s\" required>\n"
	    "<small id=\"due-hint\">",
	    now);
	buf_html(b, TR(c, "Ngày/tháng/năm, ví dụ ", "Day/month/year, e.g. "));
	date_text(b, now);
	buf_puts(b,
	    "</small></div>\n<div class=\"field\"><label "
	    "for=\"notes\">");
	buf_html(b, TR(c, "Ghi chú", "Notes"));
	buf_printf(b,
	    "</label>\n<textarea id=\"notes\" name=\"notes\" rows=\"3\" "
	    "maxlength=\"%d\"></textarea></div>\n<button type=\"submit\">",
	    REVIEW_NOTES_MAX);
	buf_html(b, TR(c, "Mở rà soát", "Open the review"));
	buf_puts(b, "</button>\n</form>\n");
}

/* --- the list ------------------------------------------------------------ */

/* The status filter's links. */
static void
list_filters(struct ctx *c, const struct console_unit *u)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<p class=\"filters\"><a href=\"/admin/units/%s/reviews",
	    u->code);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">");
	buf_html(b, TR(c, "Tất cả", "All"));
	buf_puts(b, "</a>");
	for (int i = 0; i < REVIEW_STATUS_COUNT; i++) {
		const char *name = review_status_name((enum review_status)i);

		buf_printf(b, " · <a href=\"/admin/units/%s/reviews?status=%s",
		    u->code, name);
		if (c->lang == LANG_EN)
			buf_puts(b, "&amp;lang=en");
		buf_puts(b, "\">");
		buf_html(b, status_label(c, name));
		buf_puts(b, "</a>");
	}
	buf_puts(b, "</p>\n");
}

static void
list_head(struct ctx *c, struct buf *b)
{
	buf_puts(b,
	    "<table class=\"reviews\" id=\"reviews\">\n"
	    "<thead><tr><th>#</th><th>");
	buf_html(b, TR(c, "Đối tượng", "What"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "Tháng", "Month"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "Người phụ trách", "Owner"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "Hạn", "Due"));
	buf_puts(b, "</th><th>");
	buf_html(b, TR(c, "Trạng thái", "Status"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
}

static void
list_row(struct ctx *c, const struct console_unit *u, const struct review *r,
    const char *now)
{
	struct buf *b = &c->req->resp.body;
	bool overdue = is_overdue(r, now);
	char ms[8];

	month_format(r->month, ms);
	buf_printf(b,
	    "<tr data-review=\"%lld\" data-status=\"%s\"%s><td><a "
	    "href=\"/admin/units/%s/reviews/%lld",
	    (long long)r->id, r->status, overdue ? " class=\"overdue\"" : "",
	    u->code, (long long)r->id);
	console_lang_suffix(c, b, false);
	buf_printf(b, "\">#%lld</a></td><td>", (long long)r->id);
	review_what(c, b, r->unit, r->procedure, r->procedure_name, r->counter);
	buf_printf(b, "</td><td data-month=\"%s\">", ms);
	fmt_month_cap(b, c->lang, r->month);
	buf_puts(b, "</td><td>");
	buf_html(b, r->owner);
	buf_puts(b, "</td><td>");
	date_text(b, r->due);
	if (overdue) {
		buf_puts(b, " <strong class=\"late\">");
		buf_html(b, TR(c, "Quá hạn", "Overdue"));
		buf_puts(b, "</strong>");
	}
	buf_puts(b, "</td><td>");
	buf_html(b, status_label(c, r->status));
	buf_puts(b, "</td></tr>\n");
}

void
page_reviews(struct ctx *c)
{
	static const char *const allowed[] = { "status", NULL };
	struct console_unit u;
	enum review_status want = REVIEW_OPEN;
	struct review_cursor cur = { 0 };
	struct review r;
	const char *status;
	struct buf *b;
	char now[11];
	int n = 0;

	if (console_unit(c, 0, &u) < 0 || figpage_query(c, allowed) < 0)
		return;
	status = form_get(&c->query, "status");
	if (status != NULL && status[0] == '\0')
		status = NULL;
	if (status != NULL && review_status_parse(status, &want) < 0) {
		console_error(c, NULL, 400,
		    "Trạng thái phải là open, in_progress hoặc resolved:",
		    "The status must be open, in_progress or resolved:",
		    status);
		return;
	}
	today(now);
	console_begin(c, &u, TR(c, "Rà soát", "Reviews"), "reviews");
	b = &c->req->resp.body;
	list_filters(c, &u);
	reviews_list(ctx_db(c), &cur, u.code, status);
	while (review_cursor_next(&cur, &r)) {
		if (n++ == 0)
			list_head(c, b);
		list_row(c, &u, &r, now);
	}
	review_cursor_close(&cur);
	if (n > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	else {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b, TR(c, "Chưa có rà soát nào.", "No reviews yet."));
		buf_puts(b, "</p>\n");
	}
	console_end(c);
}

/* --- one review ---------------------------------------------------------- */

/* The :id of the route: 1 to 10^15.  0 when it is not one. */
static int64_t
review_id(struct ctx *c, int i)
{
	const char *s = ctx_param(c, i);
	int64_t v = 0;

	if (s == NULL || s[0] == '\0' || strlen(s) > 15)
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

static void
move_form(struct ctx *c, const struct console_unit *u, int64_t id,
    enum review_status to)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b,
	    "<form class=\"review\" method=\"post\" "
	    "action=\"/admin/units/%s/reviews/%lld",
	    u->code, (long long)id);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b, "<input type=\"hidden\" name=\"to\" value=\"%s\">\n",
	    review_status_name(to));
	if (to == REVIEW_RESOLVED) {
		buf_puts(b, "<div class=\"field\"><label for=\"action\">");
		buf_html(b, TR(c, "Biện pháp đã thực hiện", "Action taken"));
		buf_printf(b,
		    "</label>\n<textarea id=\"action\" name=\"action\" "
		    "rows=\"3\" maxlength=\"%d\" required></textarea></div>\n",
		    REVIEW_NOTES_MAX);
	} else {
		buf_puts(b, "<div class=\"field\"><label for=\"note\">");
		buf_html(b, TR(c, "Ghi chú", "Note"));
		buf_printf(b,
		    "</label>\n<textarea id=\"note\" name=\"note\" rows=\"2\" "
		    "maxlength=\"%d\"></textarea></div>\n",
		    REVIEW_NOTES_MAX);
	}
	buf_printf(b, "<button type=\"submit\" name=\"go\" value=\"%s\">",
	    review_status_name(to));
	buf_html(b,
	    to == REVIEW_RESOLVED
		? TR(c, "Đánh dấu đã xử lý xong", "Mark resolved")
		: TR(c, "Bắt đầu xử lý", "Start work"));
	buf_puts(b, "</button>\n</form>\n");
}

/* The review's fields as a definition list. */
static void
review_details(struct ctx *c, const struct console_unit *u,
    const struct review *r, bool overdue)
{
	struct buf *b = &c->req->resp.body;
	char ms[8];

	month_format(r->month, ms);
	buf_printf(b, "<dl class=\"review%s\" data-status=\"%s\">\n<dt>",
	    overdue ? " overdue" : "", r->status);
	buf_html(b, TR(c, "Đối tượng", "What"));
	buf_puts(b, "</dt><dd>");
	if (r->procedure != NULL) {
		buf_printf(b, "<a href=\"/admin/units/%s/procedures/%s",
		    u->code, r->procedure);
		figpage_month_query(c, b, r->month);
		buf_puts(b, "\">");
	}
	review_what(c, b, r->unit, r->procedure, r->procedure_name, r->counter);
	if (r->procedure != NULL)
		buf_puts(b, "</a>");
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Tháng có cảnh báo", "Month flagged"));
	buf_printf(b, "</dt><dd><span data-month=\"%s\">", ms);
	fmt_month_cap(b, c->lang, r->month);
	buf_puts(b, "</span> · ");
	flags_text(c, b, r->flags);
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Người phụ trách", "Owner"));
	buf_puts(b, "</dt><dd>");
	buf_html(b, r->owner);
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Hạn", "Due"));
	buf_puts(b, "</dt><dd>");
	date_text(b, r->due);
	if (overdue) {
		buf_puts(b, " <strong class=\"late\">");
		buf_html(b, TR(c, "Quá hạn", "Overdue"));
		buf_puts(b, "</strong>");
	}
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Trạng thái", "Status"));
	buf_printf(
	    b, "</dt><dd class=\"status\" data-status=\"%s\">", r->status);
	buf_html(b, status_label(c, r->status));
	buf_puts(b, "</dd>\n<dt>");
	buf_html(b, TR(c, "Ghi chú", "Notes"));
	buf_puts(b, "</dt><dd class=\"notes\">");
	buf_html(b, r->notes);
	buf_puts(b, "</dd>\n");
	if (r->action[0] != '\0') {
		buf_puts(b, "<dt>");
		buf_html(b, TR(c, "Biện pháp đã thực hiện", "Action taken"));
		buf_puts(b, "</dt><dd class=\"action\">");
		buf_html(b, r->action);
		buf_puts(b, "</dd>\n");
	}
	buf_puts(b, "</dl>\n");
}

void
page_review(struct ctx *c)
{
	static const char *const allowed[] = { NULL };
	struct console_unit u;
	struct review_cursor cur = { 0 };
	struct review r;
	int64_t id;
	struct buf *b, title = { 0 };
	enum review_status status = REVIEW_OPEN;
	char now[11];

	if (console_unit(c, 0, &u) < 0)
		return;
	id = review_id(c, 1);
	if (id <= 0 || reviews_get(ctx_db(c), &cur, id, u.code) < 0 ||
	    !review_cursor_next(&cur, &r)) {
		review_cursor_close(&cur);
		page_not_found(c);
		return;
	}
	if (figpage_query(c, allowed) < 0) {
		review_cursor_close(&cur);
		return;
	}
	today(now);
	review_status_parse(r.status, &status);
	buf_printf(
	    &title, "%s #%lld", TR(c, "Rà soát", "Review"), (long long)id);
	console_begin(c, &u, buf_str(&title), "reviews");
	b = &c->req->resp.body;
	review_details(
	    c, &u, &r, status != REVIEW_RESOLVED && strcmp(r.due, now) < 0);
	review_cursor_close(&cur);
	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Diễn biến", "History"));
	buf_puts(b, "</h2>\n");
	history(c, id);
	if (figpage_is_manager(c) && status != REVIEW_RESOLVED)
		move_form(c, &u, id,
		    status == REVIEW_OPEN ? REVIEW_IN_PROGRESS
					  : REVIEW_RESOLVED);
	console_end(c);
	buf_release(&title);
}

/* --- opening and moving ---------------------------------------------------- */

/* Check a POSTed form: only these names, once each.  0, or 400 and -1. */
static int
check_fields(struct ctx *c, const struct form *f, const char *const *allowed)
{
	for (int i = 0; i < f->n; i++) {
		bool ok = false;

		for (int j = 0; !ok && allowed[j] != NULL; j++)
			ok = strcmp(f->f[i].name, allowed[j]) == 0;
		if (!ok) {
			console_error(c, NULL, 400, "Trường không được hỗ trợ:",
			    "Unsupported field:", f->f[i].name);
			return -1;
		}
		if (form_count(f, f->f[i].name) > 1) {
			console_error(c, NULL, 400, "Trường bị lặp lại:",
			    "Field given more than once:", f->f[i].name);
			return -1;
		}
	}
	return 0;
}

static void
redirect_review(struct ctx *c, const struct console_unit *u, int64_t id)
{
	struct buf loc = { 0 };

	buf_printf(
	    &loc, "/admin/units/%s/reviews/%lld", u->code, (long long)id);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
	buf_release(&loc);
}

/* The flags the scope raised in the month, "A,B"; 0 when some, 1 none. */
static int
scope_flags(struct ctx *c, const struct console_unit *u, const char *procedure,
    int counter, int month, char *out, size_t size)
{
	struct metrics *m = figpage_metrics(c, u->code, month);
	const struct metric_scope *s;
	int rc = -1;

	if (m == NULL)
		return -1;
	s = procedure != NULL
	    ? figpage_find(&m->procedures, procedure, NULL, 0)
	    : figpage_find(&m->counters, NULL, u->code, counter);
	out[0] = '\0';
	rc = s != NULL && s->fig.nflags > 0 ? 0 : 1;
	for (int i = 0; rc == 0 && i < s->fig.nflags; i++) {
		size_t len = strlen(out);

		snprintf(out + len, size - len, "%s%s", i > 0 ? "," : "",
		    metric_flag_name(s->fig.flags[i]));
	}
	metrics_free(m);
	return rc;
}

/*
 * The review's object from the form: a known procedure, or a counter of
 * the unit.  0, or answers 400 and returns -1.
 */
static int
post_target(struct ctx *c, const struct console_unit *u, const struct form *f,
    struct review_new *r)
{
	const char *proc = form_get(f, "procedure");
	const char *counter_s = form_get(f, "counter");
	char *end;
	long v;

	if (proc != NULL && proc[0] == '\0')
		proc = NULL;
	if (counter_s != NULL && counter_s[0] == '\0')
		counter_s = NULL;
	if ((proc == NULL) == (counter_s == NULL)) {
		console_error(c, NULL, 400,
		    "Chọn đúng một đối tượng: một thủ tục hoặc một quầy.",
		    "Name exactly one procedure or one counter.", NULL);
		return -1;
	}
	if (proc != NULL) {
		if (!is_procedure_code(proc, strlen(proc)) ||
		    !store_has_procedure(ctx_db(c), proc)) {
			console_error(c, NULL, 400, "Không có thủ tục này:",
			    "There is no such procedure:", proc);
			return -1;
		}
		r->procedure = proc;
		return 0;
	}
	v = strtol(counter_s, &end, 10);
	if (*end != '\0' || v < 1 || v > 999 || counter_s[0] == '+' ||
	    counter_s[0] == '-' || counter_s[0] == ' ' ||
	    !store_has_counter(ctx_db(c), u->code, (int)v)) {
		console_error(c, NULL, 400, "Đơn vị không có quầy này:",
		    "The unit has no such counter:", counter_s);
		return -1;
	}
	r->counter = (int)v;
	return 0;
}

/*
 * The month, owner, due date and notes from the form.  0, or answers
 * 400 and returns -1.
 */
static int
post_details(struct ctx *c, const struct console_unit *u, const struct form *f,
    struct review_new *r)
{
	const char *month_s = form_get(f, "month");
	size_t notes_len = 0;
	const char *notes = form_get_len(f, "notes", &notes_len);
	int64_t due_days, today_days;
	char now[11];

	r->owner = form_get(f, "owner");
	r->due = form_get(f, "due");
	/* dd/mm/yyyy as yyyy-mm-dd (the same length: rewritten in place) */
	if (r->due != NULL && strlen(r->due) == 10 && r->due[2] == '/' &&
	    r->due[5] == '/') {
		char *d = (char *)(uintptr_t)r->due, iso[11];

		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", d + 6, d + 3, d);
		memcpy(d, iso, 10);
	}
	if (month_s == NULL ||
	    month_parse(month_s, strlen(month_s), &r->month) < 0) {
		console_error(c, NULL, 400,
		    "Tháng không hợp lệ; cần dạng YYYY-MM:",
		    "Not a valid month; use YYYY-MM:", month_s);
		return -1;
	}
	if (r->owner == NULL || !username_is_valid(r->owner) ||
	    reviews_owner_ok(ctx_db(c), r->owner, u->code) != 0) {
		console_error(c, NULL, 400,
		    "Người phụ trách phải là một tài khoản đang hoạt động "
		    "của đơn vị này hoặc cấp trên:",
		    "The owner must be an active account of this unit or one "
		    "above it:",
		    r->owner);
		return -1;
	}
	today_days = today(now);
	if (r->due == NULL ||
	    review_date_parse(r->due, strlen(r->due), &due_days) < 0 ||
	    due_days < today_days || due_days > today_days + 366) {
		console_error(c, NULL, 400,
		    "Hạn hoàn thành phải là một ngày (dd/mm/yyyy) từ hôm nay "
		    "đến một năm sau:",
		    "The due date must be a date (dd/mm/yyyy) from today to a "
		    "year ahead:",
		    r->due);
		return -1;
	}
	if (notes == NULL) {
		notes = "";
		notes_len = 0;
	}
	if (!review_text_is_valid(notes, notes_len)) {
		console_error(c, NULL, 400,
		    "Ghi chú dài quá 2000 ký tự hoặc có ký tự không hợp lệ.",
		    "The notes are longer than 2000 characters or hold "
		    "invalid characters.",
		    NULL);
		return -1;
	}
	r->notes = notes;
	r->unit = u->code;
	return 0;
}

/* 400: the scope raised no flag that month. */
static void
not_flagged(struct ctx *c)
{
	console_error(c, NULL, 400,
	    "Chỉ mở rà soát cho thủ tục hoặc quầy có cảnh báo trong "
	    "tháng đó.",
	    "A review is opened only for a procedure or counter "
	    "flagged in that month.",
	    NULL);
}

void
page_reviews_post(struct ctx *c)
{
	static const char *const fields[] = { "csrf", "procedure", "counter",
		"month", "owner", "due", "notes", NULL };
	struct console_unit u;
	struct form f = { 0 };
	struct review_new r = { 0 };
	char actor[96], flags[128];
	int64_t id;
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (!figpage_is_manager(c)) {
		figpage_forbidden(c);
		return;
	}
	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
		console_error(c, NULL, 400, "Biểu mẫu không đọc được.",
		    "The form could not be read.", NULL);
		return;
	}
	if (check_fields(c, &f, fields) < 0 || post_target(c, &u, &f, &r) < 0 ||
	    post_details(c, &u, &f, &r) < 0)
		goto out;
	rc = scope_flags(
	    c, &u, r.procedure, r.counter, r.month, flags, sizeof(flags));
	if (rc < 0)
		goto out;
	if (rc == 1) {
		not_flagged(c);
		goto out;
	}
	r.flags = flags;
	ctx_actor(c, actor, sizeof(actor));
	if (reviews_open(ctx_db(c), &r, actor, hl_now(), &id) < 0) {
		server_unavailable(c);
		goto out;
	}
	redirect_review(c, &u, id);
out:
	form_release(&f);
}

void
page_review_post(struct ctx *c)
{
	static const char *const fields[] = { "csrf", "to", "note", "action",
		"go", NULL };
	struct console_unit u;
	struct form f = { 0 };
	enum review_status to;
	const char *to_s, *note, *action;
	size_t note_len = 0, action_len = 0;
	char actor[96];
	int64_t id;
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	id = review_id(c, 1);
	/* a review outside the unit's subtree is 404 whatever the role */
	if (id <= 0 || !reviews_in_scope(ctx_db(c), id, u.code)) {
		page_not_found(c);
		return;
	}
	if (!figpage_is_manager(c)) {
		figpage_forbidden(c);
		return;
	}
	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
		console_error(c, NULL, 400, "Biểu mẫu không đọc được.",
		    "The form could not be read.", NULL);
		return;
	}
	if (check_fields(c, &f, fields) < 0)
		goto out;
	to_s = form_get(&f, "to");
	note = form_get_len(&f, "note", &note_len);
	action = form_get_len(&f, "action", &action_len);
	if (review_status_parse(to_s, &to) < 0) {
		console_error(c, NULL, 400,
		    "Trạng thái mới phải là in_progress hoặc resolved:",
		    "The new status must be in_progress or resolved:", to_s);
		goto out;
	}
	if ((note != NULL && !review_text_is_valid(note, note_len)) ||
	    (action != NULL && !review_text_is_valid(action, action_len))) {
		console_error(c, NULL, 400,
		    "Nội dung dài quá 2000 ký tự hoặc có ký tự không hợp lệ.",
		    "The text is longer than 2000 characters or holds invalid "
		    "characters.",
		    NULL);
		goto out;
	}
	if (to == REVIEW_RESOLVED &&
	    (action == NULL || strspn(action, " \t\r\n") == action_len)) {
		console_error(c, NULL, 400,
		    "Để kết thúc rà soát, hãy ghi biện pháp đã thực hiện.",
		    "To resolve a review, write the action taken.", NULL);
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = reviews_move(
	    ctx_db(c), id, u.code, to, note, action, actor, hl_now());
	if (rc == 2) {
		page_not_found(c);
		goto out;
	}
	if (rc == 1) {
		c->req->resp.body.len = 0;
		console_error(c, NULL, 400,
		    "Không chuyển được rà soát sang trạng thái này: rà soát đi "
		    "theo thứ tự mới mở → đang xử lý → đã xử lý xong, không "
		    "bỏ bước, không quay lại.",
		    "The review cannot move to that status: it goes open → in "
		    "progress → resolved, no step skipped, never back.",
		    to_s);
		c->req->resp.status = 409;
		goto out;
	}
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	redirect_review(c, &u, id);
out:
	form_release(&f);
}

void
page_review_new(struct ctx *c)
{
	static const char *const allowed[] = { "counter", "procedure", "month",
		NULL };
	struct console_unit u;
	const char *proc, *counter_s;
	char flags[128];
	int month, counter = 0, rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (!figpage_is_manager(c)) {
		figpage_forbidden(c);
		return;
	}
	if (figpage_query(c, allowed) < 0 || figpage_month(c, &month) < 0)
		return;
	proc = form_get(&c->query, "procedure");
	counter_s = form_get(&c->query, "counter");
	if ((proc == NULL) == (counter_s == NULL)) {
		console_error(c, NULL, 400,
		    "Chọn đúng một đối tượng: procedure=MÃ hoặc counter=SỐ.",
		    "Name exactly one: procedure=CODE or counter=NUMBER.",
		    NULL);
		return;
	}
	if (proc != NULL && !is_procedure_code(proc, strlen(proc))) {
		console_error(c, NULL, 400,
		    "Mã thủ tục không hợp lệ:", "Not a procedure code:", proc);
		return;
	}
	if (counter_s != NULL) {
		char *end;
		long v = strtol(counter_s, &end, 10);

		if (*end != '\0' || v < 1 || v > 999 || counter_s[0] < '0' ||
		    counter_s[0] > '9') {
			console_error(c, NULL, 400,
			    "Số quầy phải từ 1 đến 999:",
			    "A counter number is 1 to 999:", counter_s);
			return;
		}
		counter = (int)v;
	}
	rc = scope_flags(c, &u, proc, counter, month, flags, sizeof(flags));
	if (rc < 0)
		return;
	if (rc == 1) {
		not_flagged(c);
		return;
	}
	console_begin(c, &u, TR(c, "Mở rà soát", "Open a review"), "reviews");
	{
		struct buf *b = &c->req->resp.body;

		buf_puts(b, "<p class=\"lead\">");
		review_what(c, b, u.code, proc, "", counter);
		buf_puts(b, " · ");
		fmt_month_cap(b, c->lang, month);
		buf_puts(b, " · ");
		flags_text(c, b, flags);
		buf_puts(b, "</p>\n");
	}
	console_review_form(c, &u, proc, counter, month);
	console_end(c);
}
