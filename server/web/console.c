/* console.c -- the frame of every staff page, and the unit in the URL. */
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/users.h"
#include "web/console.h"
#include "web/cpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

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

/* The console's tabs: path after /admin/units/CODE, words, least role. */
struct console_tab {
	const char *path;
	const char *vi, *en;
	int role;
};

static const struct console_tab console_tabs[] = {
	{ "", "Tổng quan", "Overview", ROLE_VIEWER },
	{ "procedures", "Thủ tục", "Procedures", ROLE_VIEWER },
	{ "counters", "Quầy", "Counters", ROLE_MANAGER },
	{ "officers", "Cán bộ", "Officers", ROLE_MANAGER },
	{ "reviews", "Rà soát", "Reviews", ROLE_VIEWER },
	{ NULL, NULL, NULL, 0 },
};

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
	buf_printf(
	    b, " (%s)</span> <a href=\"", role_name((enum role)c->who.role));
	lang_switch_href(c, b);
	buf_puts(b, "\">");
	buf_html(b, tr(lang, M_LANG_SWITCH));
	buf_puts(b, "</a> <button type=\"submit\">");
	buf_html(b, tr(lang, M_LOGOUT));
	buf_puts(b, "</button>\n</form>\n</header>\n<nav class=\"tabs\">\n");
	for (const struct console_tab *t = console_tabs; t->vi != NULL; t++) {
		if (c->who.role < t->role)
			continue;
		buf_printf(b, "<a href=\"/admin/units/%s%s%s", u->code,
		    t->path[0] != '\0' ? "/" : "", t->path);
		console_lang_suffix(c, b, false);
		buf_printf(b, "\"%s>",
		    strcmp(tab, t->path) == 0 ? " aria-current=\"page\"" : "");
		buf_html(b, lang == LANG_EN ? t->en : t->vi);
		buf_puts(b, "</a>\n");
	}
	cpage_nav(c, u->code, tab); /* comments, kiosks, ... users */
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
