/* cpage.c -- what the console's pages share: words, errors, forms, paging. */
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/users.h"
#include "web/console.h"
#include "web/cpage.h"
#include "web/server.h"

void
cpage_error(struct ctx *c, const struct console_unit *u, int status,
    const char *vi, const char *en)
{
	struct buf *b = &c->req->resp.body;

	console_begin(
	    c, u, CP_T(c, "Không thực hiện được", "Cannot do that"), "");
	c->req->resp.status = status;
	buf_puts(b, "<p class=\"error\" role=\"alert\">");
	buf_html(b, CP_T(c, vi, en));
	buf_puts(b, "</p>\n");
	console_end(c);
}

int
cpage_page(struct ctx *c, int *page)
{
	const char *v = form_get(&c->query, "page");
	int64_t n;

	*page = 1;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (parse_int64(v, strlen(v), 1, CPAGE_MAX, &n) < 0)
		return -1;
	*page = (int)n;
	return 0;
}

void
cpage_pager(struct ctx *c, struct buf *b, const char *base, int page, bool more)
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
		buf_html(b, CP_T(c, "← Trang trước", "← Previous"));
		buf_puts(b, "</a> ");
	}
	buf_printf(b, "<span>%s %d</span>", CP_T(c, "Trang", "Page"), page);
	if (more) {
		buf_puts(b, " <a rel=\"next\" href=\"");
		buf_html(b, base);
		buf_printf(b, "page=%d", page + 1);
		console_lang_suffix(c, b, true);
		buf_puts(b, "\">");
		buf_html(b, CP_T(c, "Trang sau →", "Next →"));
		buf_puts(b, "</a>");
	}
	buf_puts(b, "</nav>\n");
}

int
cpage_form(struct ctx *c, const struct console_unit *u, struct form *f)
{
	if (form_parse(f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) == 0)
		return 0;
	cpage_error(c, u, 400,
	    "Không đọc được biểu mẫu gửi lên. Vui lòng tải lại trang và "
	    "gửi lại.",
	    "The form could not be read. Reload the page and send it again.");
	return -1;
}

struct tab {
	const char *path;
	int role;
	const char *vi, *en;
};

static const struct tab tabs[] = {
	{ "comments", ROLE_MANAGER, "Góp ý", "Comments" },
	{ "kiosks", ROLE_VIEWER, "Kiosk", "Kiosks" },
	{ "qr", ROLE_MANAGER, "Mã QR", "QR codes" },
	{ "ballots", ROLE_MANAGER, "Phiếu giấy", "Paper ballots" },
	{ "audit", ROLE_MANAGER, "Nhật ký", "Audit log" },
	{ "users", ROLE_ADMIN, "Tài khoản", "Users" },
};

void
cpage_nav(struct ctx *c, const char *unit, const char *tab)
{
	struct buf *b = &c->req->resp.body;

	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		if (c->who.role < tabs[i].role)
			continue;
		buf_printf(
		    b, "<a href=\"/admin/units/%s/%s", unit, tabs[i].path);
		console_lang_suffix(c, b, false);
		buf_printf(b, "\"%s>",
		    strcmp(tab, tabs[i].path) == 0 ? " aria-current=\"page\""
						   : "");
		buf_html(b, CP_T(c, tabs[i].vi, tabs[i].en));
		buf_puts(b, "</a>\n");
	}
}

void
cpage_when(struct buf *b, long long t)
{
	char s[17];

	if (t <= 0) {
		buf_puts(b, "—");
		return;
	}
	datetime_vn((int64_t)t, s);
	buf_puts(b, s);
}
