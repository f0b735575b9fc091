/* console.c -- the frame of every staff page and what its pages share. */
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/callbacks.h"
#include "core/labels.h"
#include "core/units.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

int
console_unit(struct ctx *c, int i, struct console_unit *u)
{
	const char *code = ctx_param(c, i);
	struct db *db = ctx_db(c);
	struct unit_info info;

	memset(u, 0, sizeof(*u));
	if (db == NULL) {
		server_unavailable(c);
		return -1;
	}
	if (code == NULL || !is_unit_code(code, strlen(code)) ||
	    !ctx_sees_unit(c, code)) {
		page_not_found(c);
		return -1;
	}
	if (units_get(db, code, &info) != 0) {
		page_not_found(c);
		return -1;
	}
	strlcpy_hl(u->code, info.code, sizeof(u->code));
	strlcpy_hl(u->name, info.name, sizeof(u->name));
	strlcpy_hl(u->parent, info.parent, sizeof(u->parent));
	return 0;
}

void
console_lang_suffix(struct ctx *c, struct buf *b, bool more)
{
	if (c->lang == LANG_EN)
		buf_puts(b, more ? "&lang=en" : "?lang=en");
}

/*
 * The page itself in the other language: its query kept (escaped),
 * lang replaced.
 */
static void
lang_switch_href(struct ctx *c, struct buf *b)
{
	const char *sep = "?";

	for (int i = 0; i < c->query.n; i++) {
		if (strcmp(c->query.f[i].name, "lang") == 0)
			continue;
		buf_puts(b, sep);
		buf_urlenc(b, c->query.f[i].name);
		buf_putc(b, '=');
		buf_urlenc(b, c->query.f[i].value);
		sep = "&amp;";
	}
	buf_printf(b, "%slang=%s", sep, c->lang == LANG_EN ? "vi" : "en");
}

/*
 * The console's tabs, in order: path after /admin/units/CODE, words,
 * the least role that sees the tab, and whether a role below admin sees
 * it only on its own unit (setup: a manager sets up the manager's unit).
 */
struct console_tab {
	const char *path;
	const char *vi, *en;
	int role;
	bool own;
};

static const struct console_tab console_tabs[] = {
	{ "", "Tổng quan", "Overview", ROLE_VIEWER, false },
	{ "procedures", "Thủ tục", "Procedures", ROLE_VIEWER, false },
	{ "counters", "Quầy", "Counters", ROLE_MANAGER, false },
	{ "officers", "Cán bộ", "Officers", ROLE_MANAGER, false },
	{ "reviews", "Rà soát", "Reviews", ROLE_VIEWER, false },
	{ "comments", "Góp ý", "Comments", ROLE_MANAGER, false },
	{ "callbacks", "Gọi lại", "Callbacks", ROLE_VIEWER, false },
	{ "kiosks", "Ki-ốt", "Kiosks", ROLE_VIEWER, false },
	{ "qr", "Mã QR", "QR codes", ROLE_MANAGER, false },
	{ "ballots", "Phiếu giấy", "Paper ballots", ROLE_MANAGER, false },
	{ "audit", "Nhật ký", "Audit log", ROLE_MANAGER, false },
	{ "users", "Tài khoản", "Users", ROLE_ADMIN, false },
	{ "reports", "Báo cáo", "Reports", ROLE_REPORTER, false },
	{ "alerts", "Nhận cảnh báo", "Alerts", ROLE_MANAGER, false },
	{ "setup", "Thiết lập", "Setup", ROLE_MANAGER, true },
	{ NULL, NULL, NULL, 0, false },
};

/*
 * After "Gọi lại": how many callback requests are due in the unit's
 * subtree, the badge marked late when some are overdue.  Nothing when
 * none is due, or when the count cannot be read (the page still works).
 */
static void
callbacks_badge(struct ctx *c, struct buf *b, const char *unit)
{
	int64_t due, overdue;

	if (callbacks_count(ctx_db(c), unit, hl_now(), &due, &overdue) < 0 ||
	    due == 0)
		return;
	buf_printf(
	    b, " <span class=\"badge%s\" title=\"", overdue > 0 ? " late" : "");
	if (c->lang == LANG_EN)
		buf_printf(b, "%lld to call back, %lld overdue", (long long)due,
		    (long long)overdue);
	else
		buf_printf(b, "%lld cần gọi lại, %lld quá hạn", (long long)due,
		    (long long)overdue);
	buf_printf(b, "\">%lld</span>", (long long)due);
}

/* The tabs the caller's role may open, `tab` marked as the current one. */
static void
console_nav(struct ctx *c, struct buf *b, const char *unit, const char *tab)
{
	for (const struct console_tab *t = console_tabs; t->vi != NULL; t++) {
		if (c->who.role < t->role)
			continue;
		if (t->own && c->who.role < ROLE_ADMIN &&
		    strcmp(c->who.unit, unit) != 0)
			continue;
		buf_printf(b, "<a href=\"/admin/units/%s%s%s", unit,
		    t->path[0] != '\0' ? "/" : "", t->path);
		console_lang_suffix(c, b, false);
		buf_printf(b, "\"%s>",
		    strcmp(tab, t->path) == 0 ? " aria-current=\"page\"" : "");
		buf_html(b, TR(c, t->vi, t->en));
		if (strcmp(t->path, "callbacks") == 0)
			callbacks_badge(c, b, unit);
		buf_puts(b, "</a>\n");
	}
}

void
console_begin(struct ctx *c, const struct console_unit *u, const char *title,
    const char *tab)
{
	struct buf *b = &c->req->resp.body;
	enum lang lang = c->lang;

	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	html_begin(b, lang, title, "/static/console.css");
	buf_puts(
	    b, "<header class=\"bar\">\n<p class=\"brand\"><a href=\"/admin");
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">hailong</a></p>\n<p class=\"unit\">");
	buf_html(b, u->name);
	buf_printf(b, " <span class=\"code\">%s</span>", u->code);
	if (u->parent[0] != '\0' && ctx_sees_unit(c, u->parent)) {
		buf_printf(
		    b, " <a class=\"up\" href=\"/admin/units/%s", u->parent);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">↑</a>");
	}
	buf_puts(b,
	    "</p>\n<form class=\"who\" method=\"post\" "
	    "action=\"/logout\">\n");
	session_csrf_field(c, b);
	buf_puts(b, "<span>");
	buf_html(b, c->who.name);
	buf_puts(b, " (");
	buf_html(b, label_role(lang, role_name((enum role)c->who.role)));
	buf_puts(b, ")</span> <a href=\"");
	lang_switch_href(c, b);
	buf_puts(b, "\">");
	buf_html(b, tr(lang, M_LANG_SWITCH));
	buf_puts(b, "</a> <button type=\"submit\">");
	buf_html(b, tr(lang, M_LOGOUT));
	buf_puts(b, "</button>\n</form>\n</header>\n<nav class=\"tabs\">\n");
	console_nav(c, b, u->code, tab);
	buf_puts(b, "</nav>\n<main class=\"console\">\n<h1>");
	buf_html(b, title);
	buf_puts(b, "</h1>\n");
}

void
console_end(struct ctx *c)
{
	struct buf *b = &c->req->resp.body;

	buf_puts(b, "</main>\n<footer class=\"foot\">");
	buf_html(b, tr(c->lang, M_INTERNAL_MONITORING));
	buf_puts(b, "</footer>\n");
	html_end(b);
}

void
page_admin(struct ctx *c)
{
	struct buf loc = { 0 };

	buf_printf(&loc, "/admin/units/%s", c->who.unit);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
	buf_release(&loc);
}

/* Append s to b escaped, cut to 80 bytes (not inside a UTF-8 sequence). */
static void
console_error_what(struct buf *b, const char *what)
{
	char cut[81];

	if (strlen(what) <= 80) {
		buf_html(b, what);
		return;
	}
	memcpy(cut, what, 80);
	cut[80] = '\0';
	for (int i = 79; i > 0 && ((unsigned char)cut[i] & 0xc0) == 0x80; i--)
		cut[i] = '\0';
	if (((unsigned char)cut[strlen(cut) - 1] & 0xc0) == 0xc0)
		cut[strlen(cut) - 1] = '\0';
	buf_html(b, cut);
	buf_puts(b, "…");
}

/* The message and the offending value, as the two frames write them. */
static void
console_error_text(struct ctx *c, struct buf *b, const char *vi, const char *en,
    const char *what)
{
	buf_html(b, TR(c, vi, en));
	if (what == NULL)
		return;
	/* a hostile value is shown, escaped and cut short */
	buf_puts(b, " <code>");
	console_error_what(b, what);
	buf_puts(b, "</code>");
}

void
console_error(struct ctx *c, const struct console_unit *u, int status,
    const char *vi, const char *en, const char *what)
{
	struct buf *b = &c->req->resp.body;
	const char *title;

	if (u != NULL) {
		console_begin(
		    c, u, TR(c, "Không thực hiện được", "Cannot do that"), "");
		c->req->resp.status = status;
		buf_puts(b, "<p class=\"error\" role=\"alert\">");
		console_error_text(c, b, vi, en, what);
		buf_puts(b, "</p>\n");
		console_end(c);
		return;
	}
	title = TR(c, "Yêu cầu không hợp lệ", "Bad request");
	http_begin_body(c->req, status, "text/html; charset=utf-8");
	html_begin(b, c->lang, title, "/static/form.css");
	buf_printf(b, "<main class=\"card message s%d\">\n<h1>", status);
	buf_html(b, title);
	buf_puts(b, "</h1>\n<p class=\"problem\">");
	console_error_text(c, b, vi, en, what);
	buf_puts(b, "</p>\n</main>\n");
	html_end(b);
}

int
console_page(struct ctx *c, int *page)
{
	const char *v = form_get(&c->query, "page");
	int64_t n;

	*page = 1;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (parse_int64(v, strlen(v), 1, CONSOLE_PAGE_MAX, &n) < 0)
		return -1;
	*page = (int)n;
	return 0;
}

void
console_pager(
    struct ctx *c, struct buf *b, const char *base, int page, bool more)
{
	if (page <= 1 && !more)
		return;
	buf_puts(b, "<nav class=\"pager\">");
	if (page > 1) {
		buf_puts(b, "<a rel=\"prev\" href=\"");
		buf_html(b, base);
		buf_printf(b, "page=%d", page - 1);
		console_lang_suffix(c, b, true);
		buf_puts(b, "\">");
		buf_html(b, TR(c, "← Trang trước", "← Previous"));
		buf_puts(b, "</a> ");
	}
	buf_printf(b, "<span>%s %d</span>", TR(c, "Trang", "Page"), page);
	if (more) {
		buf_puts(b, " <a rel=\"next\" href=\"");
		buf_html(b, base);
		buf_printf(b, "page=%d", page + 1);
		console_lang_suffix(c, b, true);
		buf_puts(b, "\">");
		buf_html(b, TR(c, "Trang sau →", "Next →"));
		buf_puts(b, "</a>");
	}
	buf_puts(b, "</nav>\n");
}

int
console_form(struct ctx *c, const struct console_unit *u, struct form *f)
{
	if (form_parse(f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) == 0)
		return 0;
	console_error(c, u, 400,
	    "Không đọc được biểu mẫu gửi lên. Vui lòng tải lại trang và "
	    "gửi lại.",
	    "The form could not be read. Reload the page and send it again.",
	    NULL);
	return -1;
}

void
console_when(struct buf *b, long long t)
{
	char s[17];

	if (t <= 0) {
		buf_puts(b, "—");
		return;
	}
	datetime_vn((int64_t)t, s);
	buf_puts(b, s);
}
