/* console.c -- the frame of every staff page, and the unit in the URL. */
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "console.h"
#include "html.h"
#include "pages.h"
#include "server.h"
#include "session.h"
#include "users.h"

int
console_unit(struct ctx *c, int i, struct console_unit *u)
{
	const char *code = ctx_param(c, i);
	struct db *db = ctx_db(c);
	struct db_stmt *st;
	int rc;

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
	st = db_query(db,
	    "SELECT code, name, coalesce(parent, '') FROM units "
	    "WHERE code = ?",
	    "t", code);
	rc = st != NULL ? db_step(st) : -1;
	if (rc == DB_ROW) {
		strlcpy_hl(u->code, db_col_text(st, 0), sizeof(u->code));
		strlcpy_hl(u->name, db_col_text(st, 1), sizeof(u->name));
		strlcpy_hl(u->parent, db_col_text(st, 2), sizeof(u->parent));
	}
	db_done(st);
	if (rc != DB_ROW) {
		page_not_found(c);
		return -1;
	}
	return 0;
}

void
console_lang_suffix(struct ctx *c, struct buf *b, bool more)
{
	if (c->lang == LANG_EN)
		buf_puts(b, more ? "&lang=en" : "?lang=en");
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
	buf_printf(b, " (%s)</span> <a href=\"?lang=%s\">",
	    role_name((enum role)c->who.role), lang == LANG_EN ? "vi" : "en");
	buf_html(b, tr(lang, M_LANG_SWITCH));
	buf_puts(b, "</a> <button type=\"submit\">");
	buf_html(b, tr(lang, M_LOGOUT));
	buf_puts(b, "</button>\n</form>\n</header>\n<nav class=\"tabs\">\n");
	buf_printf(b, "<a href=\"/admin/units/%s", u->code);
	console_lang_suffix(c, b, false);
	buf_printf(b, "\"%s>", tab[0] == '\0' ? " aria-current=\"page\"" : "");
	buf_html(b, tr(lang, M_NAV_OVERVIEW));
	buf_puts(b, "</a>\n");
	page_reports_tab(c, b, u->code, tab);
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

void
page_admin_unit(struct ctx *c)
{
	struct console_unit u;
	struct db_stmt *st;
	struct buf *b;
	bool any = false;

	if (console_unit(c, 0, &u) < 0)
		return;
	console_begin(c, &u, u.name, "");
	b = &c->req->resp.body;
	st = db_query(ctx_db(c),
	    "SELECT code, name FROM units WHERE parent = ? "
	    "ORDER BY code",
	    "t", u.code);
	while (st != NULL && db_step(st) == DB_ROW) {
		if (!any) {
			buf_puts(b, "<h2>");
			buf_html(b, tr(c->lang, M_NAV_SUBUNITS));
			buf_puts(b, "</h2>\n<ul class=\"units\">\n");
			any = true;
		}
		buf_printf(
		    b, "<li><a href=\"/admin/units/%s", db_col_text(st, 0));
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		buf_html(b, db_col_text(st, 1));
		buf_printf(b, "</a> <span class=\"code\">%s</span></li>\n",
		    db_col_text(st, 0));
	}
	db_done(st);
	if (any)
		buf_puts(b, "</ul>\n");
	console_end(c);
}
