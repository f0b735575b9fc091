/* html.c -- the frame of every page, and the simple message pages. */
#include "hailong/http.h"
#include "web/html.h"
#include "web/server.h"

void
html_begin(struct buf *b, enum lang lang, const char *title, const char *css)
{
	buf_printf(b,
	    "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>",
	    tr(lang, M_LANG_CODE));
	buf_html(b, title);
	buf_printf(b,
	    "</title>\n<link rel=\"stylesheet\" href=\"%s\">\n"
	    "<link rel=\"icon\" href=\"/static/icon.svg\">\n</head>\n<body>\n",
	    css);
}

void
html_end(struct buf *b)
{
	buf_puts(b, "</body>\n</html>\n");
}

void
page_message(struct ctx *c, int status, enum msg title, enum msg text)
{
	struct buf *b = &c->req->resp.body;

	http_begin_body(c->req, status, "text/html; charset=utf-8");
	html_begin(b, c->lang, tr(c->lang, title), "/static/form.css");
	buf_printf(b, "<main class=\"card message s%d\">\n<h1>", status);
	buf_html(b, tr(c->lang, title));
	buf_puts(b, "</h1>\n<p>");
	buf_html(b, tr(c->lang, text));
	buf_puts(b, "</p>\n</main>\n");
	html_end(b);
}

void
page_not_found(struct ctx *c)
{
	page_message(c, 404, M_NOT_FOUND_TITLE, M_NOT_FOUND_TEXT);
}
