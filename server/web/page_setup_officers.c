/* page_setup_officers.c -- setup: a unit's officers (cán bộ). */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "core/counters.h"
#include "core/officers.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Officers with their usual counter and where they are on duty now.
 * Disabling one ends the open duty and takes the officer out of the
 * duty board, so it goes through a confirmation page first.
 */

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
	buf_printf(b, "<option value=\"%d\"%s>", r->number,
	    r->number == o->sel ? " selected" : "");
	setup_counter_label(o->c, b, r->number, r->name);
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

	if (w->n++ == 0) {
		buf_puts(b, "<h2>");
		buf_html(b, TR(c, "Cán bộ của đơn vị", "The unit's officers"));
		buf_puts(b, "</h2>\n<ul class=\"cards\" id=\"officers\">\n");
	}
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
	/* officers_state() names the unit of a disabled officer too */
	if ((rc != 0 && rc != 2) || strcmp(unit, u->code) != 0) {
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
	setup_officer_name(c, b, id);
	buf_puts(b, "</h2>\n<p>");
	buf_html(b,
	    TR(c,
		"Cán bộ bị ngừng không thể vào trực hay gán cho ki-ốt mới; ca "
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
