/* page_setup_duty.c -- setup: today's duty board and the day's log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/duty.h"
#include "core/officers.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Per active counter: who is on duty, a "start" with the unit's active
 * officers (the counter's usual ones first) and an "end".  Both act now;
 * the log of the day (Asia/Ho_Chi_Minh) follows, times dd/mm/yyyy HH:MM.
 */

#define BOARD_OFFICERS_MAX 300 /* officers offered on the board */

/* The active officers of the unit, for the board's selects. */
struct officer_set {
	char id[BOARD_OFFICERS_MAX][33];
	char name[BOARD_OFFICERS_MAX][OFFICER_NAME_MAX + 1];
	int counter[BOARD_OFFICERS_MAX];
	int n;
};

static int
officer_keep(void *arg, const struct officer_row *r)
{
	struct officer_set *s = arg;

	if (!r->active)
		return 0;
	if (s->n == BOARD_OFFICERS_MAX)
		return 1;
	strlcpy_hl(s->id[s->n], r->id, sizeof(s->id[0]));
	strlcpy_hl(s->name[s->n], r->name, sizeof(s->name[0]));
	s->counter[s->n] = r->counter;
	s->n++;
	return 0;
}

struct board {
	struct ctx *c;
	const struct console_unit *u;
	const struct officer_set *officers;
	int n;
};

static void
duty_button(struct ctx *c, struct buf *b, const struct console_unit *u)
{
	buf_puts(b, "<form class=\"setup row\" method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_DUTY);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
}

static int
board_item(void *arg, const struct counter_row *r)
{
	struct board *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &c->req->resp.body;
	const struct officer_set *o = w->officers;

	if (!r->active)
		return 0;
	if (w->n++ == 0) {
		buf_puts(b, "<h2>");
		buf_html(b, TR(c, "Các quầy hôm nay", "Counters today"));
		buf_puts(b, "</h2>\n<ul class=\"cards\" id=\"board\">\n");
	}
	buf_printf(b,
	    "<li class=\"card\" id=\"duty-%d\" data-counter=\"%d\">\n<h3>",
	    r->number, r->number);
	setup_counter_label(c, b, r->number, r->name);
	buf_printf(
	    b, "</h3>\n<p class=\"duty\">%s: ", TR(c, "Đang trực", "On duty"));
	if (r->on_duty[0] != '\0') {
		buf_puts(b, "<strong data-officer=\"");
		buf_html(b, r->on_duty);
		buf_puts(b, "\"><span class=\"code\">");
		buf_html(b, r->on_duty);
		buf_puts(b, "</span>");
		setup_officer_name(c, b, r->on_duty);
		buf_puts(b, "</strong>");
	} else {
		buf_html(b, TR(c, "không có ai", "nobody"));
	}
	buf_puts(b, "</p>\n");
	if (o->n > 0) {
		duty_button(c, b, w->u);
		buf_printf(b,
		    "<input type=\"hidden\" name=\"action\" value=\"start\">"
		    "<input type=\"hidden\" name=\"counter\" value=\"%d\">\n"
		    "<label>%s <select name=\"officer\">\n",
		    r->number, TR(c, "Cán bộ", "Officer"));
		/* the counter's usual officers first */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < o->n; i++) {
				if ((o->counter[i] == r->number) != (pass == 0))
					continue;
				buf_puts(b, "<option value=\"");
				buf_html(b, o->id[i]);
				buf_printf(b, "\"%s>",
				    strcmp(o->id[i], r->on_duty) == 0
					? " selected"
					: "");
				buf_html(b, o->id[i]);
				buf_puts(b, " — ");
				buf_html(b, o->name[i]);
				buf_puts(b, "</option>\n");
			}
		buf_printf(b,
		    "</select></label> <button type=\"submit\">%s</button>\n"
		    "</form>\n",
		    TR(c, "Vào trực", "Start duty"));
	}
	if (r->on_duty[0] != '\0') {
		duty_button(c, b, w->u);
		buf_printf(b,
		    "<input type=\"hidden\" name=\"action\" value=\"end\">"
		    "<input type=\"hidden\" name=\"counter\" value=\"%d\">\n"
		    "<button type=\"submit\">%s</button>\n</form>\n",
		    r->number, TR(c, "Kết thúc ca trực", "End the duty"));
	}
	buf_puts(b, "</li>\n");
	return 0;
}

struct log_walk {
	struct ctx *c;
	int n;
};

static int
log_row(void *arg, const struct duty_row *d)
{
	struct log_walk *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &c->req->resp.body;

	if (w->n++ == 0)
		buf_printf(b,
		    "<table class=\"dutylog\">\n<thead><tr><th>%s</th><th>%s"
		    "</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		    TR(c, "Quầy", "Counter"), TR(c, "Cán bộ", "Officer"),
		    TR(c, "Từ", "From"), TR(c, "Đến", "Until"));
	buf_printf(b, "<tr><td>%d</td><td><span class=\"code\">", d->counter);
	buf_html(b, d->officer);
	buf_puts(b, "</span>");
	setup_officer_name(c, b, d->officer);
	buf_puts(b, "</td><td>");
	console_when(b, (long long)d->started_at);
	buf_puts(b, "</td><td>");
	if (d->ended_at > 0)
		console_when(b, (long long)d->ended_at);
	else
		buf_html(b, TR(c, "đang trực", "on duty"));
	buf_puts(b, "</td></tr>\n");
	return 0;
}

static void
duty_render(
    struct ctx *c, const struct console_unit *u, int status, const char *alert)
{
	struct officer_set *o = xcalloc(1, sizeof(*o));
	struct board w = { .c = c, .u = u, .officers = o };
	struct log_walk lw = { .c = c };
	struct buf *b;
	int64_t now = hl_now();
	int64_t day = (now + HL_TZ_OFFSET) / 86400 * 86400 - HL_TZ_OFFSET;
	char date[11];

	(void)officers_list(ctx_db(c), u->code, officer_keep, o);
	setup_begin(c, u, SETUP_DUTY, status, alert);
	b = &c->req->resp.body;
	if (o->n == 0)
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Đơn vị chưa có cán bộ: thêm cán bộ trước.",
			"The unit has no officers: add them first."));
	if (counters_list(ctx_db(c), u->code, board_item, &w) < 0)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    TR(c, "Không đọc được danh sách quầy.",
			"The counters could not be read."));
	if (w.n > 0)
		buf_puts(b, "</ul>\n");
	else
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Đơn vị chưa có quầy đang hoạt động.",
			"The unit has no active counters."));
	date_vn(now, date);
	buf_printf(b, "<h2>%s %s</h2>\n",
	    TR(c, "Nhật ký trực ngày", "Duty log of"), date);
	if (duty_list(ctx_db(c), u->code, day, day + 86400, log_row, &lw) < 0)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    TR(c, "Không đọc được nhật ký trực.",
			"The duty log could not be read."));
	if (lw.n > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	else
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Hôm nay chưa có ca trực nào.",
			"No duty today yet."));
	console_end(c);
	free(o);
}

void
page_setup_duty(struct ctx *c)
{
	struct console_unit u;

	if (setup_unit(c, SETUP_DUTY, &u) < 0)
		return;
	duty_render(c, &u, 200, NULL);
}

void
page_setup_duty_post(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct setup_call s;
	const char *action, *officer;
	char what[16];
	int counter, rc;
	bool start;

	if (setup_unit(c, SETUP_DUTY, &u) < 0 || console_form(c, &u, &form) < 0)
		return;
	action = form_get(&form, "action");
	officer = form_get(&form, "officer");
	start = action != NULL && strcmp(action, "start") == 0;
	if (action == NULL || (!start && strcmp(action, "end") != 0)) {
		duty_render(c, &u, 400,
		    TR(c, "Hãy dùng nút “Vào trực” hoặc “Kết thúc ca trực”.",
			"Use the “Start duty” or “End the duty” button."));
		goto out;
	}
	if (setup_number(form_get(&form, "counter"), &counter) < 0) {
		duty_render(c, &u, 400,
		    TR(c, "Số quầy phải là một số từ 1 đến 999.",
			"The counter number must be a number from 1 to 999."));
		goto out;
	}
	setup_call_init(c, &s);
	rc = start ? duty_start(ctx_db(c), &s.ch, u.code, counter,
			 officer != NULL ? officer : "", hl_now())
		   : duty_end(ctx_db(c), &s.ch, u.code, counter, hl_now());
	if (rc == SETUP_BAD) {
		duty_render(c, &u, 400, s.err);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		snprintf(what, sizeof(what), "%s %d", TR(c, "Quầy", "Counter"),
		    counter);
		setup_done(c, u.code, SETUP_DUTY,
		    start ? "duty.start" : "duty.end", what, "");
	}
out:
	form_release(&form);
}
