/* page_setup.c -- the console's setup tab: its frame, the unit and sub-units. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/units.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Who may do what (issue 16): an admin sets up any unit of the subtree
 * (units, counters, officers, procedures, duty); a manager only the
 * counters, officers, procedures and duty of the manager's own unit; the
 * questionnaire is the province's, set by an admin of a top unit.  The
 * routes let managers and admins through (viewers and reporters get 403
 * there); console_unit() answers 404 outside the scope, before any role
 * check here, so that a 403 tells nothing about units one cannot see.
 *
 * Every change is a POST with the session's CSRF token (checked before
 * the handler), calls the core function with a struct change, and
 * answers 303 to the page with ?done= (post/redirect/get); a refused
 * input (SETUP_BAD) shows the form again, 400, with the message and the
 * values typed.  Stopping something that takes ratings (a unit, a
 * counter, an officer) asks for a confirmation first: a GET page whose
 * form posts confirm=1.
 */

static const struct {
	const char *path; /* after /admin/units/CODE/setup */
	const char *vi, *en;
} subs[] = {
	[SETUP_UNIT] = { "", "Đơn vị", "Unit" },
	[SETUP_COUNTERS] = { "/counters", "Quầy", "Counters" },
	[SETUP_OFFICERS] = { "/officers", "Cán bộ", "Officers" },
	[SETUP_PROCEDURES] = { "/procedures", "Thủ tục", "Procedures" },
	[SETUP_DUTY] = { "/duty", "Trực quầy", "Duty" },
	[SETUP_INSTRUMENT] = { "/instrument", "Bảng hỏi", "Questionnaire" },
};

#define NSUBS ((int)(sizeof(subs) / sizeof(subs[0])))

/* The messages of ?done=KEY after a change. */
static const struct {
	const char *key, *vi, *en;
} dones[] = {
	{ "unit.add", "Đã thêm đơn vị", "Unit added" },
	{ "unit.rename", "Đã đổi tên đơn vị", "Unit renamed" },
	{ "unit.disable", "Đã ngừng hoạt động đơn vị", "Unit disabled" },
	{ "counter.add", "Đã thêm quầy", "Counter added" },
	{ "counter.rename", "Đã đổi tên quầy", "Counter renamed" },
	{ "counter.disable",
	    "Đã ngừng quầy; quầy không nhận đánh giá mới từ bây giờ",
	    "Counter disabled; it takes no new rating from now on" },
	{ "officer.add", "Đã thêm cán bộ", "Officer added" },
	{ "officer.disable", "Đã ngừng cán bộ", "Officer disabled" },
	{ "procedure.assign", "Đã gán thủ tục, số thay đổi",
	    "Procedures assigned, changes" },
	{ "procedure.unassign", "Đã bỏ gán thủ tục, số thay đổi",
	    "Procedures unassigned, changes" },
	{ "duty.start", "Đã ghi nhận cán bộ vào trực",
	    "The officer is on duty" },
	{ "duty.end", "Đã kết thúc ca trực", "The duty has ended" },
	{ "instrument.add", "Đã thêm phiên bản bảng hỏi",
	    "Questionnaire version added" },
};

void
setup_call_init(struct ctx *c, struct setup_call *s)
{
	memset(s, 0, sizeof(*s));
	ctx_actor(c, s->actor, sizeof(s->actor));
	s->ch.actor = s->actor;
	s->ch.lang = c->lang;
	s->ch.err = s->err;
	s->ch.errlen = sizeof(s->err);
}

bool
setup_may(struct ctx *c, const struct console_unit *u, enum setup_sub sub)
{
	if (c->who.kind != PRINCIPAL_USER || c->who.role < ROLE_MANAGER)
		return false;
	switch (sub) {
	case SETUP_UNIT: return c->who.role >= ROLE_ADMIN;
	case SETUP_INSTRUMENT:
		return c->who.role >= ROLE_ADMIN && u->parent[0] == '\0';
	case SETUP_COUNTERS:
	case SETUP_OFFICERS:
	case SETUP_PROCEDURES:
	case SETUP_DUTY: break;
	}
	return c->who.role >= ROLE_ADMIN || strcmp(c->who.unit, u->code) == 0;
}

int
setup_unit(struct ctx *c, enum setup_sub sub, struct console_unit *u)
{
	if (console_unit(c, 0, u) < 0)
		return -1;
	if (!setup_may(c, u, sub)) {
		page_message(c, 403, M_FORBIDDEN_TITLE, M_FORBIDDEN_TEXT);
		return -1;
	}
	return 0;
}

void
setup_path(struct buf *b, const char *unit, enum setup_sub sub)
{
	buf_printf(b, "/admin/units/%s/setup%s", unit, subs[sub].path);
}

/* The message of ?done=KEY&what=VALUE, when the key is one of ours. */
static void
done_message(struct ctx *c, struct buf *b)
{
	const char *key = form_get(&c->query, "done");
	const char *what = form_get(&c->query, "what");

	if (key == NULL)
		return;
	for (size_t i = 0; i < sizeof(dones) / sizeof(dones[0]); i++) {
		if (strcmp(key, dones[i].key) != 0)
			continue;
		buf_puts(b, "<p class=\"done\" role=\"status\">");
		buf_html(b, TR(c, dones[i].vi, dones[i].en));
		/* the URL is anyone's to write: the value is shown escaped,
		 * short, and only when it is clean text */
		if (what != NULL &&
		    text_is_clean_line(what, strlen(what), 80)) {
			buf_puts(b, ": <strong>");
			buf_html(b, what);
			buf_puts(b, "</strong>");
		}
		buf_puts(b, ".</p>\n");
		return;
	}
}

static void message_html(struct buf *b, const char *msg);

void
setup_begin(struct ctx *c, const struct console_unit *u, enum setup_sub sub,
    int status, const char *alert)
{
	struct buf *b = &c->req->resp.body;
	struct buf title = { 0 };

	buf_printf(&title, "%s — %s", TR(c, "Thiết lập", "Setup"),
	    TR(c, subs[sub].vi, subs[sub].en));
	console_begin(c, u, buf_str(&title), "setup");
	buf_release(&title);
	c->req->resp.status = status;
	buf_puts(b, "<nav class=\"subnav\" aria-label=\"");
	buf_html(b, TR(c, "Các phần thiết lập", "Setup sections"));
	buf_puts(b, "\">\n");
	for (int i = 0; i < NSUBS; i++) {
		if (!setup_may(c, u, (enum setup_sub)i))
			continue;
		buf_puts(b, "<a href=\"");
		setup_path(b, u->code, (enum setup_sub)i);
		console_lang_suffix(c, b, false);
		buf_printf(
		    b, "\"%s>", i == (int)sub ? " aria-current=\"page\"" : "");
		buf_html(b, TR(c, subs[i].vi, subs[i].en));
		buf_puts(b, "</a>\n");
	}
	buf_puts(b, "</nav>\n");
	done_message(c, b);
	if (alert != NULL) {
		buf_puts(b, "<p class=\"error\" role=\"alert\">");
		message_html(b, alert);
		buf_puts(b, "</p>\n");
	}
}

void
setup_done(struct ctx *c, const char *unit, enum setup_sub sub, const char *key,
    const char *what, const char *more)
{
	struct buf loc = { 0 };

	setup_path(&loc, unit, sub);
	buf_printf(&loc, "?done=%s", key);
	if (what != NULL) {
		buf_puts(&loc, "&what=");
		buf_urlenc(&loc, what);
	}
	if (more != NULL && more[0] != '\0')
		buf_printf(&loc, "&%s", more);
	console_lang_suffix(c, &loc, true);
	http_redirect(c->req, buf_str(&loc));
	buf_release(&loc);
}

int
setup_unavailable(struct ctx *c, const struct setup_call *s)
{
	(void)s;
	server_unavailable(c);
	return -1;
}

void
setup_value(struct buf *b, const char *v)
{
	buf_puts(b, " value=\"");
	if (v != NULL && utf8_is_valid(v, strlen(v)))
		buf_html(b, v);
	buf_puts(b, "\"");
}

/*
 * A message of the core, escaped, as a sentence: the core's messages
 * may start in lower case ("mã đơn vị 'X' đã có"); the first letter is
 * raised when it is ASCII or 'đ', the two that start them.
 */
static void
message_html(struct buf *b, const char *msg)
{
	char first[3] = { 0 };
	size_t skip = 0;

	if (msg[0] >= 'a' && msg[0] <= 'z') {
		first[0] = (char)(msg[0] - 'a' + 'A');
		skip = 1;
	} else if (strncmp(msg, "đ", 2) == 0) {
		strlcpy_hl(first, "Đ", sizeof(first));
		skip = 2;
	}
	buf_puts(b, first);
	buf_html(b, msg + skip);
}

void
setup_field_error(struct buf *b, const char *msg)
{
	if (msg == NULL)
		return;
	buf_puts(b, "<span class=\"field-error\" role=\"alert\">");
	message_html(b, msg);
	buf_puts(b, "</span>");
}

int
setup_number(const char *v, int *n)
{
	int64_t x;

	if (v == NULL || parse_int64(v, strlen(v), 1, 999, &x) < 0)
		return -1;
	*n = (int)x;
	return 0;
}

bool
setup_confirmed(const struct form *f)
{
	const char *v = form_get(f, "confirm");

	return v != NULL && strcmp(v, "1") == 0;
}

void
setup_officer_name(struct ctx *c, struct buf *b, const char *id)
{
	struct buf name = { 0 };

	if (units_officer_name(ctx_db(c), id, &name) == 0) {
		buf_puts(b, " ");
		buf_html(b, buf_str(&name));
	}
	buf_release(&name);
}

void
setup_counter_label(struct ctx *c, struct buf *b, int number, const char *name)
{
	const char *const words[] = { "Quầy", "Counter" };
	char head[32];

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = (size_t)snprintf(
		    head, sizeof(head), "%s %d", words[i], number);

		/* "Quầy 1" or "Quầy 1 — Một cửa", not "Quầy 12" */
		if (strncmp(name, head, n) == 0 &&
		    (name[n] == '\0' || name[n] == ' ' || name[n] == ',' ||
			name[n] == ':')) {
			buf_html(b, name);
			return;
		}
	}
	buf_printf(b, "%s %d", TR(c, "Quầy", "Counter"), number);
	if (name != NULL && name[0] != '\0') {
		buf_puts(b, " — ");
		buf_html(b, name);
	}
}

/* ---- the unit and its sub-units (admins) ---- */

static const struct {
	const char *level, *vi, *en;
} levels[] = {
	{ "province", "Tỉnh, thành phố", "Province" },
	{ "department", "Sở, ban, ngành", "Department" },
	{ "commune", "Xã, phường, đặc khu", "Commune" },
	{ "centre", "Trung tâm phục vụ hành chính công", "Service centre" },
	{ "other", "Khác", "Other" },
};

static const char *
level_word(struct ctx *c, const char *level)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(levels[i].level, level) == 0)
			return TR(c, levels[i].vi, levels[i].en);
	return level;
}

/* What a refused form shows again: the values typed and the message. */
struct unit_form {
	const char *code, *name, *level, *stat_code; /* add */
	const char *rename;                          /* rename */
	const char *err_add, *err_rename;
};

/* The walk of units_list(): the unit's own row, its children listed. */
struct unit_walk {
	struct ctx *c;
	struct unit_row self;
	struct buf list;
	int children;
};

static int
unit_child(void *arg, const struct unit_row *r)
{
	struct unit_walk *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &w->list;

	if (r->depth == 0) {
		w->self = *r;
		return 0;
	}
	if (r->depth != 1)
		return 0;
	if (w->children++ == 0)
		buf_puts(b, "<ul class=\"subunits\">\n");
	buf_printf(b, "<li%s><a href=\"", r->active ? "" : " class=\"off\"");
	setup_path(b, r->code, SETUP_UNIT);
	console_lang_suffix(c, b, false);
	buf_printf(b, "\"><span class=\"code\">%s</span> ", r->code);
	buf_html(b, r->name);
	buf_puts(b, "</a> <span class=\"meta\">");
	buf_html(b, level_word(c, r->level));
	if (r->stat_code[0] != '\0')
		buf_printf(
		    b, " · %s %s", TR(c, "mã TK", "stat."), r->stat_code);
	if (!r->active) {
		buf_puts(b, " · ");
		buf_html(b, TR(c, "đã ngừng", "disabled"));
	}
	buf_puts(b, "</span></li>\n");
	return 0;
}

static void
unit_add_form(
    struct ctx *c, const struct console_unit *u, const struct unit_form *f)
{
	struct buf *b = &c->req->resp.body;
	const char *lv = f->level != NULL ? f->level : "commune";

	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"setup\" method=\"post\" action=\"",
	    TR(c, "Thêm đơn vị trực thuộc", "Add a sub-unit"));
	setup_path(b, u->code, SETUP_UNIT);
	buf_puts(b, "/units");
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	setup_field_error(b, f->err_add);
	buf_printf(b,
	    "<label>%s <input name=\"code\" id=\"unit-code\" maxlength=\"40\" "
	    "required placeholder=\"%s.300\" autocomplete=\"off\"",
	    TR(c, "Mã định danh", "Code"), u->code);
	setup_value(b, f->code);
	buf_printf(b,
	    "></label>\n<label>%s <input name=\"name\" id=\"unit-name\" "
	    "maxlength=\"300\" required",
	    TR(c, "Tên đơn vị", "Name"));
	setup_value(b, f->name);
	buf_printf(b,
	    "></label>\n<label>%s <select name=\"level\" "
	    "id=\"unit-level\">\n",
	    TR(c, "Cấp", "Level"));
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		buf_printf(b, "<option value=\"%s\"%s>", levels[i].level,
		    strcmp(lv, levels[i].level) == 0 ? " selected" : "");
		buf_html(b, TR(c, levels[i].vi, levels[i].en));
		buf_puts(b, "</option>\n");
	}
	buf_printf(b,
	    "</select></label>\n<label>%s <input name=\"stat_code\" "
	    "id=\"unit-stat\" maxlength=\"10\" inputmode=\"numeric\"",
	    TR(c, "Mã thống kê (không bắt buộc)",
		"Statistical code (optional)"));
	setup_value(b, f->stat_code);
	buf_printf(b,
	    "></label>\n<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Thêm đơn vị", "Add the unit"));
}

static void
unit_render(struct ctx *c, const struct console_unit *u, int status,
    const struct unit_form *f)
{
	struct unit_walk w = { .c = c };
	struct buf *b;

	if (units_list(ctx_db(c), u->code, unit_child, &w) != 0) {
		buf_release(&w.list);
		server_unavailable(c);
		return;
	}
	/* a disabled unit shows no add form: its error goes on top */
	setup_begin(
	    c, u, SETUP_UNIT, status, w.self.active ? NULL : f->err_add);
	b = &c->req->resp.body;
	buf_printf(b, "<h2>%s</h2>\n<dl class=\"facts\">\n",
	    TR(c, "Đơn vị này", "This unit"));
	buf_printf(b, "<dt>%s</dt><dd class=\"code\">%s</dd>\n",
	    TR(c, "Mã định danh", "Code"), u->code);
	buf_printf(b, "<dt>%s</dt><dd>", TR(c, "Tên", "Name"));
	buf_html(b, u->name);
	buf_printf(b, "</dd>\n<dt>%s</dt><dd>", TR(c, "Cấp", "Level"));
	buf_html(b, level_word(c, w.self.level));
	buf_printf(b, "</dd>\n<dt>%s</dt><dd>%s</dd>\n",
	    TR(c, "Mã thống kê", "Statistical code"),
	    w.self.stat_code[0] != '\0' ? w.self.stat_code : "—");
	buf_printf(b, "<dt>%s</dt><dd>%s</dd>\n</dl>\n",
	    TR(c, "Trạng thái", "State"),
	    w.self.active ? TR(c, "Đang hoạt động", "Active")
			  : TR(c, "Đã ngừng", "Disabled"));
	buf_puts(b, "<form class=\"setup\" method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_UNIT);
	buf_puts(b, "/rename");
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	setup_field_error(b, f->err_rename);
	buf_printf(b,
	    "<label>%s <input name=\"name\" id=\"rename-unit\" "
	    "maxlength=\"300\" required",
	    TR(c, "Tên mới", "New name"));
	setup_value(b, f->rename != NULL ? f->rename : u->name);
	buf_printf(b,
	    "></label>\n<button type=\"submit\">%s</button>\n"
	    "</form>\n",
	    TR(c, "Đổi tên", "Rename"));
	/* one cannot stop one's own unit, nor a top one, here */
	if (w.self.active && u->parent[0] != '\0' &&
	    strcmp(u->code, c->who.unit) != 0) {
		buf_puts(b, "<p><a class=\"danger\" href=\"");
		setup_path(b, u->code, SETUP_UNIT);
		buf_puts(b, "/disable");
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		buf_html(b,
		    TR(c, "Ngừng hoạt động đơn vị này…", "Disable this unit…"));
		buf_puts(b, "</a></p>\n");
	}
	/* the form before the list: a province lists a hundred units */
	if (w.self.active)
		unit_add_form(c, u, f);
	buf_printf(b, "<h2>%s</h2>\n", TR(c, "Đơn vị trực thuộc", "Sub-units"));
	if (w.children > 0) {
		buf_puts(b, buf_str(&w.list));
		buf_puts(b, "</ul>\n");
	} else {
		buf_puts(b, "<p class=\"none\">");
		buf_html(b,
		    TR(c, "Chưa có đơn vị trực thuộc.", "No sub-units yet."));
		buf_puts(b, "</p>\n");
	}
	buf_release(&w.list);
	console_end(c);
}

void
page_setup(struct ctx *c)
{
	struct console_unit u;
	struct unit_form f = { 0 };

	if (console_unit(c, 0, &u) < 0)
		return;
	/* a manager's setup starts at the counters */
	if (!setup_may(c, &u, SETUP_UNIT)) {
		page_setup_counters(c);
		return;
	}
	unit_render(c, &u, 200, &f);
}

void
page_setup_unit_add(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct unit_form f = { 0 };
	struct setup_call s;
	int rc;

	if (setup_unit(c, SETUP_UNIT, &u) < 0 || console_form(c, &u, &form) < 0)
		return;
	f.code = form_get(&form, "code");
	f.name = form_get(&form, "name");
	f.level = form_get(&form, "level");
	f.stat_code = form_get(&form, "stat_code");
	setup_call_init(c, &s);
	rc = units_add(ctx_db(c), &s.ch, f.code != NULL ? f.code : "",
	    f.name != NULL ? f.name : "", f.level != NULL ? f.level : "",
	    u.code, f.stat_code);
	if (rc == SETUP_BAD) {
		f.err_add = s.err;
		unit_render(c, &u, 400, &f);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		setup_done(c, u.code, SETUP_UNIT, "unit.add", f.code, "");
	}
	form_release(&form);
}

void
page_setup_unit_rename(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct unit_form f = { 0 };
	struct setup_call s;
	int rc;

	if (setup_unit(c, SETUP_UNIT, &u) < 0 || console_form(c, &u, &form) < 0)
		return;
	f.rename = form_get(&form, "name");
	setup_call_init(c, &s);
	rc = units_rename(
	    ctx_db(c), &s.ch, u.code, f.rename != NULL ? f.rename : "");
	if (rc == SETUP_BAD) {
		f.err_rename = s.err;
		unit_render(c, &u, 400, &f);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		setup_done(c, u.code, SETUP_UNIT, "unit.rename", u.code, "");
	}
	form_release(&form);
}

/* The confirmation page before a unit is disabled. */
static void
unit_confirm(
    struct ctx *c, const struct console_unit *u, int status, const char *alert)
{
	struct buf *b;

	setup_begin(c, u, SETUP_UNIT, status, alert);
	b = &c->req->resp.body;
	buf_puts(b, "<section class=\"confirm\">\n<p>");
	buf_html(b,
	    TR(c,
		"Ngừng hoạt động đơn vị này? Đơn vị sẽ không nhận đánh giá "
		"mới (mã QR báo đã ngừng, ki-ốt bị từ chối); số liệu và tài "
		"khoản được giữ nguyên.",
		"Disable this unit? It takes no new rating (its QR codes say "
		"so, its kiosks are refused); its figures and users stay."));
	buf_printf(b, "</p>\n<p><strong class=\"code\">%s</strong> ", u->code);
	buf_html(b, u->name);
	buf_puts(b, "</p>\n<form method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_UNIT);
	buf_puts(b, "/disable");
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n"
	    "<button type=\"submit\" class=\"danger\">%s</button> <a href=\"",
	    TR(c, "Ngừng hoạt động", "Disable"));
	setup_path(b, u->code, SETUP_UNIT);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">%s</a>\n</form>\n</section>\n", TR(c, "Hủy", "Cancel"));
	console_end(c);
}

/* Not one's own unit (one would lose the console), nor a top one. */
static bool
unit_may_disable(struct ctx *c, const struct console_unit *u)
{
	if (strcmp(u->code, c->who.unit) == 0 || u->parent[0] == '\0') {
		console_error(c, u, 400,
		    "Không thể ngừng đơn vị của chính mình hoặc đơn vị cấp "
		    "cao nhất tại đây; hãy nhờ quản trị viên cấp trên.",
		    "You cannot disable your own unit or a top unit here; ask "
		    "an administrator above it.",
		    NULL);
		return false;
	}
	return true;
}

void
page_setup_unit_disable_get(struct ctx *c)
{
	struct console_unit u;

	if (setup_unit(c, SETUP_UNIT, &u) < 0 || !unit_may_disable(c, &u))
		return;
	unit_confirm(c, &u, 200, NULL);
}

void
page_setup_unit_disable(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct setup_call s;
	int rc;

	if (setup_unit(c, SETUP_UNIT, &u) < 0 || !unit_may_disable(c, &u) ||
	    console_form(c, &u, &form) < 0)
		return;
	if (!setup_confirmed(&form)) {
		unit_confirm(c, &u, 400,
		    TR(c, "Hãy xác nhận trước khi ngừng đơn vị.",
			"Confirm before disabling the unit."));
		goto out;
	}
	setup_call_init(c, &s);
	rc = units_disable(ctx_db(c), &s.ch, u.code);
	if (rc == SETUP_BAD)
		unit_confirm(c, &u, 400, s.err);
	else if (rc < 0)
		setup_unavailable(c, &s);
	else
		setup_done(c, u.parent, SETUP_UNIT, "unit.disable", u.code, "");
out:
	form_release(&form);
}
