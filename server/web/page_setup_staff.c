/* page_setup_staff.c -- setup: a unit's counters, officers and duty board. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/duty.h"
#include "core/officers.h"
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
 * Disabling a counter or an officer stops ratings or attribution, so it
 * goes through a confirmation page.  The duty board starts and ends
 * duties now; the day's log is shown in Asia/Ho_Chi_Minh time.
 */

/* Append officer id's name, escaped, or nothing when unknown. */
static void
officer_name(struct ctx *c, struct buf *b, const char *id)
{
	struct db_stmt *st = db_query(
	    ctx_db(c), "SELECT name FROM officers WHERE id = ?", "t", id);

	if (st != NULL && db_step(st) == DB_ROW) {
		buf_puts(b, " ");
		buf_html(b, db_col_text(st, 0));
	}
	db_done(st);
}

/* ---- counters ---- */

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

static void
counter_kiosks(struct ctx *c, struct buf *b, const char *unit, int number)
{
	struct db_stmt *st;
	int n = 0;

	st = db_query(ctx_db(c),
	    "SELECT id FROM kiosks WHERE unit = ? AND counter = ? AND "
	    "revoked_at IS NULL ORDER BY id LIMIT 50",
	    "ti", unit, number);
	buf_printf(b, "<p class=\"meta\">%s: ", TR(c, "Kiosk", "Kiosks"));
	while (st != NULL && db_step(st) == DB_ROW) {
		buf_printf(b, "%s<a href=\"/admin/units/%s/kiosks",
		    n++ ? ", " : "", unit);
		console_lang_suffix(c, b, false);
		buf_puts(b, "#");
		buf_html(b, db_col_text(st, 0));
		buf_puts(b, "\">");
		buf_html(b, db_col_text(st, 0));
		buf_puts(b, "</a>");
	}
	db_done(st);
	if (n == 0)
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
		buf_printf(b,
		    "</a> · <a href=\"/qr/%s.png\" download>PNG</a> · "
		    "<a href=\"/admin/units/%s/qr?counter=%d",
		    tok, unit, number);
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

	if (w->n++ == 0)
		buf_puts(b, "<ul class=\"cards\" id=\"counters\">\n");
	if (r->number > w->max)
		w->max = r->number;
	buf_printf(b,
	    "<li class=\"card%s\" id=\"counter-%d\" data-counter=\"%d\">\n"
	    "<h3>%s %d — ",
	    r->active ? "" : " off", r->number, r->number,
	    TR(c, "Quầy", "Counter"), r->number);
	buf_html(b, r->name);
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
		officer_name(c, b, r->on_duty);
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
		"báo “Quầy này đã ngừng nhận đánh giá”, kiosk của quầy hiện "
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

/* ---- officers ---- */

struct officer_form {
	const char *id, *name, *counter, *err;
};

/* <option>s of the unit's active counters, `sel` selected; 0 "none". */
struct counter_opts {
	struct ctx *c;
	int sel;
	int n;
};

static int
counter_option(void *arg, const struct counter_row *r)
{
	struct counter_opts *o = arg;
	struct buf *b = &o->c->req->resp.body;

	if (!r->active)
		return 0;
	o->n++;
	buf_printf(b, "<option value=\"%d\"%s>%s %d — ", r->number,
	    r->number == o->sel ? " selected" : "", TR(o->c, "Quầy", "Counter"),
	    r->number);
	buf_html(b, r->name);
	buf_puts(b, "</option>\n");
	return 0;
}

struct officer_walk {
	struct ctx *c;
	const struct console_unit *u;
	int n;
};

static int
officer_item(void *arg, const struct officer_row *r)
{
	struct officer_walk *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &c->req->resp.body;

	if (w->n++ == 0)
		buf_puts(b, "<ul class=\"cards\" id=\"officers\">\n");
	buf_printf(
	    b, "<li class=\"card%s\" data-officer=\"", r->active ? "" : " off");
	buf_html(b, r->id);
	buf_puts(b, "\">\n<h3><span class=\"code\">");
	buf_html(b, r->id);
	buf_puts(b, "</span> ");
	buf_html(b, r->name);
	buf_puts(b, "</h3>\n<p class=\"meta\">");
	if (r->counter > 0)
		buf_printf(b, "%s %d",
		    TR(c, "Quầy thường trực", "Usual counter"), r->counter);
	else
		buf_html(b, TR(c, "Chưa gán quầy", "No usual counter"));
	if (r->on_duty > 0)
		buf_printf(b, " · <strong>%s %d</strong>",
		    TR(c, "đang trực quầy", "on duty at counter"), r->on_duty);
	if (!r->active)
		buf_printf(b, " · %s", TR(c, "đã ngừng", "disabled"));
	buf_puts(b, "</p>\n");
	if (r->active && is_officer_id(r->id, strlen(r->id))) {
		buf_puts(b, "<p><a class=\"danger\" href=\"");
		setup_path(b, w->u->code, SETUP_OFFICERS);
		buf_printf(b, "/%s/disable", r->id);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		buf_html(b, TR(c, "Ngừng cán bộ…", "Disable…"));
		buf_puts(b, "</a></p>\n");
	}
	buf_puts(b, "</li>\n");
	return 0;
}

static void
officers_render(struct ctx *c, const struct console_unit *u, int status,
    const struct officer_form *f)
{
	struct officer_walk w = { .c = c, .u = u };
	struct counter_opts o = { .c = c };
	struct buf *b;
	int sel = 0;

	setup_begin(c, u, SETUP_OFFICERS, status, NULL);
	b = &c->req->resp.body;
	if (officers_list(ctx_db(c), u->code, officer_item, &w) < 0)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    TR(c, "Không đọc được danh sách cán bộ.",
			"The officers could not be read."));
	if (w.n > 0)
		buf_puts(b, "</ul>\n");
	else
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    TR(c, "Đơn vị chưa có cán bộ nào.",
			"This unit has no officers yet."));
	if (f->counter != NULL)
		(void)setup_number(f->counter, &sel);
	o.sel = sel;
	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"setup\" method=\"post\" "
	    "action=\"",
	    TR(c, "Thêm cán bộ", "Add an officer"));
	setup_path(b, u->code, SETUP_OFFICERS);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	setup_field_error(b, f->err);
	buf_printf(b,
	    "<label>%s <input name=\"id\" id=\"officer-id\" maxlength=\"32\" "
	    "required autocomplete=\"off\"",
	    TR(c, "Mã cán bộ", "Officer id"));
	setup_value(b, f->id);
	buf_printf(b,
	    "></label>\n<label>%s <input name=\"name\" id=\"officer-name\" "
	    "maxlength=\"100\" required",
	    TR(c, "Họ và tên", "Full name"));
	setup_value(b, f->name);
	buf_printf(b,
	    "></label>\n<label>%s <select name=\"counter\" "
	    "id=\"officer-counter\">\n<option value=\"\">%s</option>\n",
	    TR(c, "Quầy thường trực", "Usual counter"),
	    TR(c, "— không —", "— none —"));
	(void)counters_list(ctx_db(c), u->code, counter_option, &o);
	buf_printf(b,
	    "</select></label>\n<p class=\"note\">%s</p>\n"
	    "<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c,
		"Mã cán bộ gồm chữ, số, '.', '_', '-' (tối đa 32 ký tự), "
		"không trùng với cán bộ nào khác trong hệ thống.",
		"An officer id is letters, digits, '.', '_', '-' (32 at "
		"most), unique in the whole system."),
	    TR(c, "Thêm cán bộ", "Add the officer"));
	console_end(c);
}

void
page_setup_officers(struct ctx *c)
{
	struct console_unit u;
	struct officer_form f = { 0 };

	if (setup_unit(c, SETUP_OFFICERS, &u) < 0)
		return;
	officers_render(c, &u, 200, &f);
}

void
page_setup_officer_add(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct officer_form f = { 0 };
	struct setup_call s;
	int counter = 0, rc;

	if (setup_unit(c, SETUP_OFFICERS, &u) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	f.id = form_get(&form, "id");
	f.name = form_get(&form, "name");
	f.counter = form_get(&form, "counter");
	if (f.counter != NULL && f.counter[0] != '\0' &&
	    setup_number(f.counter, &counter) < 0) {
		f.err = TR(c, "Chọn quầy trong danh sách.",
		    "Choose a counter from the list.");
		officers_render(c, &u, 400, &f);
		goto out;
	}
	setup_call_init(c, &s);
	rc = officers_add(ctx_db(c), &s.ch, u.code, f.id != NULL ? f.id : "",
	    f.name != NULL ? f.name : "", counter);
	if (rc == SETUP_BAD) {
		f.err = s.err;
		officers_render(c, &u, 400, &f);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		setup_done(c, u.code, SETUP_OFFICERS, "officer.add", f.id, "");
	}
out:
	form_release(&form);
}

/* The route's :officer, an officer of u: 0, or -1 after answering 404. */
static int
route_officer(
    struct ctx *c, const struct console_unit *u, const char **id, bool *active)
{
	const char *v = ctx_param(c, 1);
	char unit[41];
	int rc;

	if (v == NULL || !is_officer_id(v, strlen(v))) {
		page_not_found(c);
		return -1;
	}
	rc = officers_state(ctx_db(c), v, unit);
	if (rc < 0) {
		server_unavailable(c);
		return -1;
	}
	/* the unit of a disabled officer is read from the list */
	if (rc == 2) {
		int64_t one;

		if (db_int(ctx_db(c), &one,
			"SELECT 1 FROM officers WHERE id = ? AND unit = ?",
			"tt", v, u->code) != 0) {
			page_not_found(c);
			return -1;
		}
	} else if (rc != 0 || strcmp(unit, u->code) != 0) {
		page_not_found(c);
		return -1;
	}
	*id = v;
	*active = rc == 0;
	return 0;
}

static void
officer_confirm(struct ctx *c, const struct console_unit *u, const char *id,
    int status, const char *alert)
{
	struct buf *b;

	setup_begin(c, u, SETUP_OFFICERS, status, alert);
	b = &c->req->resp.body;
	buf_printf(b,
	    "<section class=\"confirm\">\n<h2>%s <span "
	    "class=\"code\">",
	    TR(c, "Ngừng cán bộ", "Disable officer"));
	buf_html(b, id);
	buf_puts(b, "</span>");
	officer_name(c, b, id);
	buf_puts(b, "</h2>\n<p>");
	buf_html(b,
	    TR(c,
		"Cán bộ bị ngừng không thể vào trực hay gán cho kiosk mới; ca "
		"trực đang mở kết thúc. Số liệu cũ được giữ nguyên.",
		"A disabled officer takes no new duty and no new kiosk; an "
		"open duty ends. Past figures stay."));
	buf_puts(b, "</p>\n<form method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_OFFICERS);
	buf_printf(b, "/%s/disable", id);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n"
	    "<button type=\"submit\" class=\"danger\">%s</button> <a href=\"",
	    TR(c, "Ngừng cán bộ", "Disable the officer"));
	setup_path(b, u->code, SETUP_OFFICERS);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">%s</a>\n</form>\n</section>\n", TR(c, "Hủy", "Cancel"));
	console_end(c);
}

void
page_setup_officer_disable_get(struct ctx *c)
{
	struct console_unit u;
	const char *id;
	bool active;

	if (setup_unit(c, SETUP_OFFICERS, &u) < 0 ||
	    route_officer(c, &u, &id, &active) < 0)
		return;
	officer_confirm(c, &u, id, 200,
	    active ? NULL
		   : TR(c, "Cán bộ này đã bị ngừng.",
			 "This officer is disabled already."));
}

void
page_setup_officer_disable(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct setup_call s;
	const char *id;
	bool active;
	int rc;

	if (setup_unit(c, SETUP_OFFICERS, &u) < 0 ||
	    route_officer(c, &u, &id, &active) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	if (!setup_confirmed(&form)) {
		officer_confirm(c, &u, id, 400,
		    TR(c, "Hãy xác nhận trước khi ngừng cán bộ.",
			"Confirm before disabling the officer."));
		goto out;
	}
	setup_call_init(c, &s);
	rc = officers_disable(ctx_db(c), &s.ch, id);
	if (rc == SETUP_BAD)
		officer_confirm(c, &u, id, 400, s.err);
	else if (rc < 0)
		setup_unavailable(c, &s);
	else
		setup_done(
		    c, u.code, SETUP_OFFICERS, "officer.disable", id, "");
out:
	form_release(&form);
}

/* ---- the duty board ---- */

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
	if (w->n++ == 0)
		buf_puts(b, "<ul class=\"cards\" id=\"board\">\n");
	buf_printf(b,
	    "<li class=\"card\" id=\"duty-%d\" data-counter=\"%d\">\n<h3>%s "
	    "%d — ",
	    r->number, r->number, TR(c, "Quầy", "Counter"), r->number);
	buf_html(b, r->name);
	buf_printf(
	    b, "</h3>\n<p class=\"duty\">%s: ", TR(c, "Đang trực", "On duty"));
	if (r->on_duty[0] != '\0') {
		buf_puts(b, "<strong data-officer=\"");
		buf_html(b, r->on_duty);
		buf_puts(b, "\"><span class=\"code\">");
		buf_html(b, r->on_duty);
		buf_puts(b, "</span>");
		officer_name(c, b, r->on_duty);
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
	officer_name(c, b, d->officer);
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
