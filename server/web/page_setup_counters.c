/* page_setup_counters.c -- setup: a unit's counters, their kiosks and posters. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/kiosks.h"
#include "core/qrlink.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * A counter is listed with its kiosks, its poster (the public
 * /poster/TOKEN page, as the QR tab makes it) and who is on duty.
 * Disabling one stops its ratings, so it goes through a confirmation
 * page first.
 */

struct counter_form {
	const char *number, *name, *err_add; /* add */
	int rename_number;                   /* the row whose rename failed */
	const char *rename_name, *err_rename;
};

struct counter_walk {
	struct ctx *c;
	const struct console_unit *u;
	const struct counter_form *f;
	int n, max;
};

struct kiosk_links {
	struct ctx *c;
	struct buf *b;
	const char *unit;
	int n;
};

static void
kiosk_link(void *arg, const char *id)
{
	struct kiosk_links *k = arg;

	buf_printf(k->b, "%s<a href=\"/admin/units/%s/kiosks",
	    k->n++ ? ", " : "", k->unit);
	console_lang_suffix(k->c, k->b, false);
	buf_puts(k->b, "#");
	buf_html(k->b, id);
	buf_puts(k->b, "\">");
	buf_html(k->b, id);
	buf_puts(k->b, "</a>");
}

static void
counter_kiosks(struct ctx *c, struct buf *b, const char *unit, int number)
{
	struct kiosk_links k = { c, b, unit, 0 };

	buf_printf(b, "<p class=\"meta\">%s: ", TR(c, "Ki-ốt", "Kiosks"));
	kiosks_at_counter(ctx_db(c), unit, number, 50, kiosk_link, &k);
	if (k.n == 0)
		buf_html(b, TR(c, "chưa có", "none"));
	buf_puts(b, "</p>\n");
}

static void
counter_poster(struct ctx *c, struct buf *b, const char *unit, int number)
{
	struct token t;
	char tok[TOKEN_MAX_LEN + 1], err[256];

	memset(&t, 0, sizeof(t));
	t.kind = TOKEN_COUNTER;
	strlcpy_hl(t.unit, unit, sizeof(t.unit));
	t.counter = number;
	buf_puts(b, "<p class=\"meta\">");
	if (qrlink_token(ctx_db(c), &t, tok, err, sizeof(err)) == 0) {
		buf_printf(b, "<a class=\"poster\" href=\"/poster/%s", tok);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		buf_html(b, TR(c, "Áp phích QR", "QR poster"));
		buf_printf(b, "</a> · <a href=\"/qr/%s.png\" download>", tok);
		buf_html(b, TR(c, "Tải ảnh PNG", "PNG image"));
		buf_printf(b, "</a> · <a href=\"/admin/units/%s/qr?counter=%d",
		    unit, number);
		console_lang_suffix(c, b, true);
		buf_puts(b, "\">");
		buf_html(b, TR(c, "Mã QR theo thủ tục", "QR by procedure"));
		buf_puts(b, "</a>");
	} else {
		buf_html(b, err);
	}
	buf_puts(b, "</p>\n");
}

static int
counter_item(void *arg, const struct counter_row *r)
{
	struct counter_walk *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &c->req->resp.body;
	const struct counter_form *f = w->f;
	bool failed = f->rename_number == r->number;

	if (w->n++ == 0) {
		buf_puts(b, "<h2>");
		buf_html(b, TR(c, "Các quầy", "Counters"));
		buf_puts(b, "</h2>\n<ul class=\"cards\" id=\"counters\">\n");
	}
	if (r->number > w->max)
		w->max = r->number;
	buf_printf(b,
	    "<li class=\"card%s\" id=\"counter-%d\" data-counter=\"%d\">\n"
	    "<h3>",
	    r->active ? "" : " off", r->number, r->number);
	setup_counter_label(c, b, r->number, r->name);
	buf_puts(b, "</h3>\n");
	if (!r->active) {
		buf_puts(b, "<p class=\"meta\">");
		buf_html(b, TR(c, "Đã ngừng từ", "Disabled since"));
		buf_puts(b, " ");
		console_when(b, (long long)r->disabled_at);
		buf_puts(b, "</p>\n</li>\n");
		return 0;
	}
	buf_printf(
	    b, "<p class=\"meta duty\">%s: ", TR(c, "Đang trực", "On duty"));
	if (r->on_duty[0] != '\0') {
		buf_puts(b, "<span class=\"code\">");
		buf_html(b, r->on_duty);
		buf_puts(b, "</span>");
		setup_officer_name(c, b, r->on_duty);
	} else {
		buf_html(b, TR(c, "không có ai", "nobody"));
	}
	buf_puts(b, "</p>\n");
	counter_kiosks(c, b, w->u->code, r->number);
	counter_poster(c, b, w->u->code, r->number);
	buf_puts(b, "<form class=\"setup row\" method=\"post\" action=\"");
	setup_path(b, w->u->code, SETUP_COUNTERS);
	buf_printf(b, "/%d/rename", r->number);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	if (failed)
		setup_field_error(b, f->err_rename);
	buf_printf(b,
	    "<label>%s <input name=\"name\" maxlength=\"100\" required",
	    TR(c, "Tên quầy", "Name"));
	setup_value(b, failed ? f->rename_name : r->name);
	buf_printf(b,
	    "></label> <button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Đổi tên", "Rename"));
	buf_puts(b, "<p><a class=\"danger\" href=\"");
	setup_path(b, w->u->code, SETUP_COUNTERS);
	buf_printf(b, "/%d/disable", r->number);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">");
	buf_html(b, TR(c, "Ngừng quầy…", "Disable…"));
	buf_puts(b, "</a></p>\n</li>\n");
	return 0;
}

static void
counters_render(struct ctx *c, const struct console_unit *u, int status,
    const struct counter_form *f)
{
	struct counter_walk w = { .c = c, .u = u, .f = f };
	struct buf *b;
	char next[16];

	setup_begin(c, u, SETUP_COUNTERS, status, NULL);
	b = &c->req->resp.body;
	if (counters_list(ctx_db(c), u->code, counter_item, &w) < 0)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    TR(c, "Không đọc được danh sách quầy.",
			"The counters could not be read."));
	if (w.n > 0)
		buf_puts(b, "</ul>\n");
	else
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Đơn vị chưa có quầy nào.",
			"This unit has no counters yet."));
	snprintf(next, sizeof(next), "%d", w.max < 999 ? w.max + 1 : 999);
	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"setup\" method=\"post\" "
	    "action=\"",
	    TR(c, "Thêm quầy", "Add a counter"));
	setup_path(b, u->code, SETUP_COUNTERS);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	setup_field_error(b, f->err_add);
	buf_printf(b,
	    "<label>%s <input name=\"number\" id=\"counter-number\" "
	    "inputmode=\"numeric\" maxlength=\"3\" required",
	    TR(c, "Số quầy (1–999)", "Number (1–999)"));
	setup_value(b, f->number != NULL ? f->number : next);
	buf_printf(b,
	    "></label>\n<label>%s <input name=\"name\" id=\"counter-name\" "
	    "maxlength=\"100\" required",
	    TR(c, "Tên quầy", "Name"));
	setup_value(b, f->name);
	buf_printf(b,
	    "></label>\n<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Thêm quầy", "Add the counter"));
	console_end(c);
}

void
page_setup_counters(struct ctx *c)
{
	struct console_unit u;
	struct counter_form f = { 0 };

	if (setup_unit(c, SETUP_COUNTERS, &u) < 0)
		return;
	counters_render(c, &u, 200, &f);
}

void
page_setup_counter_add(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct counter_form f = { 0 };
	struct setup_call s;
	char what[16];
	int number = 0, rc;

	if (setup_unit(c, SETUP_COUNTERS, &u) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	f.number = form_get(&form, "number");
	f.name = form_get(&form, "name");
	if (setup_number(f.number, &number) < 0) {
		f.err_add = TR(c, "Số quầy phải là một số từ 1 đến 999.",
		    "The counter number must be a number from 1 to 999.");
		counters_render(c, &u, 400, &f);
		goto out;
	}
	setup_call_init(c, &s);
	rc = counters_add(
	    ctx_db(c), &s.ch, u.code, number, f.name != NULL ? f.name : "");
	if (rc == SETUP_BAD) {
		f.err_add = s.err;
		counters_render(c, &u, 400, &f);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		snprintf(what, sizeof(what), "%d", number);
		setup_done(c, u.code, SETUP_COUNTERS, "counter.add", what, "");
	}
out:
	form_release(&form);
}

/* The route's :number, a counter of u: 0, or -1 after answering 404. */
static int
route_counter(
    struct ctx *c, const struct console_unit *u, int *number, bool *active)
{
	int64_t at;
	int rc;

	if (setup_number(ctx_param(c, 1), number) < 0) {
		page_not_found(c);
		return -1;
	}
	rc = counters_state(ctx_db(c), u->code, *number, &at);
	if (rc < 0) {
		server_unavailable(c);
		return -1;
	}
	if (rc == 1) {
		page_not_found(c);
		return -1;
	}
	*active = rc == 0;
	return 0;
}

void
page_setup_counter_rename(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct counter_form f = { 0 };
	struct setup_call s;
	char what[16];
	int number, rc;
	bool active;

	if (setup_unit(c, SETUP_COUNTERS, &u) < 0 ||
	    route_counter(c, &u, &number, &active) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	f.rename_number = number;
	f.rename_name = form_get(&form, "name");
	setup_call_init(c, &s);
	rc = counters_rename(ctx_db(c), &s.ch, u.code, number,
	    f.rename_name != NULL ? f.rename_name : "");
	if (rc == SETUP_BAD) {
		f.err_rename = s.err;
		counters_render(c, &u, 400, &f);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		snprintf(what, sizeof(what), "%d", number);
		setup_done(
		    c, u.code, SETUP_COUNTERS, "counter.rename", what, "");
	}
	form_release(&form);
}

static void
counter_confirm(struct ctx *c, const struct console_unit *u, int number,
    int status, const char *alert)
{
	struct buf *b;

	setup_begin(c, u, SETUP_COUNTERS, status, alert);
	b = &c->req->resp.body;
	buf_printf(b, "<section class=\"confirm\">\n<h2>%s %d</h2>\n<p>",
	    TR(c, "Ngừng quầy", "Disable counter"), number);
	buf_html(b,
	    TR(c,
		"Sau khi ngừng, quầy không nhận đánh giá mới: mã QR của quầy "
		"báo “Quầy này đã ngừng nhận đánh giá”, ki-ốt của quầy hiện "
		"màn hình đóng, ca trực đang mở kết thúc. Đánh giá và số "
		"liệu cũ được giữ nguyên. Không thể mở lại quầy này.",
		"Once disabled, the counter takes no new rating: its QR codes "
		"say it no longer takes ratings, its kiosks show a closed "
		"screen, an open duty ends. Its ratings and figures stay. It "
		"cannot be opened again."));
	buf_puts(b, "</p>\n<form method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_COUNTERS);
	buf_printf(b, "/%d/disable", number);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n"
	    "<button type=\"submit\" class=\"danger\">%s</button> <a href=\"",
	    TR(c, "Ngừng quầy", "Disable the counter"));
	setup_path(b, u->code, SETUP_COUNTERS);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">%s</a>\n</form>\n</section>\n", TR(c, "Hủy", "Cancel"));
	console_end(c);
}

void
page_setup_counter_disable_get(struct ctx *c)
{
	struct console_unit u;
	int number;
	bool active;

	if (setup_unit(c, SETUP_COUNTERS, &u) < 0 ||
	    route_counter(c, &u, &number, &active) < 0)
		return;
	counter_confirm(c, &u, number, 200,
	    active ? NULL
		   : TR(c, "Quầy này đã ngừng.",
			 "This counter is disabled already."));
}

void
page_setup_counter_disable(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct setup_call s;
	char what[16];
	int number, rc;
	bool active;

	if (setup_unit(c, SETUP_COUNTERS, &u) < 0 ||
	    route_counter(c, &u, &number, &active) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	if (!setup_confirmed(&form)) {
		counter_confirm(c, &u, number, 400,
		    TR(c, "Hãy xác nhận trước khi ngừng quầy.",
			"Confirm before disabling the counter."));
		goto out;
	}
	setup_call_init(c, &s);
	rc = counters_disable(ctx_db(c), &s.ch, u.code, number);
	if (rc == SETUP_BAD) {
		counter_confirm(c, &u, number, 400, s.err);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		snprintf(what, sizeof(what), "%d", number);
		setup_done(
		    c, u.code, SETUP_COUNTERS, "counter.disable", what, "");
	}
out:
	form_release(&form);
}
