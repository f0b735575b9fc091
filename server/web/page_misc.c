/* page_misc.c -- health, static files, the front page. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/embed.h"
#include "hailong/util.h"
#include "core/writer.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

extern const struct embed_file server_files[];

/*
 * "ok" when a write could be made now: the writer's last batch did not
 * hit a full disk, and a write lock can be taken (a read-only file or
 * file system fails here).
 */
void
page_healthz(struct ctx *c)
{
	struct writer_stats ws;
	struct db *db = ctx_db(c);

	writer_get_stats(c->srv->writer, &ws);
	if (db == NULL) {
		http_text(c->req, 503, "database cannot be opened\n");
		return;
	}
	if (ws.disk_full) {
		http_text(c->req, 503, "disk full: ratings cannot be stored\n");
		return;
	}
	if (db_begin(db) < 0) {
		http_text(c->req, 503, "database is not writable\n");
		return;
	}
	db_rollback(db);
	http_text(c->req, 200, "ok\n");
}

static const char *
content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	return "application/octet-stream";
}

void
page_static(struct ctx *c)
{
	const struct embed_file *f;
	char path[128];
	const char *name = ctx_param(c, 0);

	if (name == NULL || strlen(name) > 64 || strchr(name, '/') ||
	    name[0] == '.') {
		page_not_found(c);
		return;
	}
	snprintf(path, sizeof(path), "server/web/static/%s", name);
	f = embed_find(server_files, path);
	if (f == NULL) {
		page_not_found(c);
		return;
	}
	http_begin_body(c->req, 200, content_type(name));
	c->req->resp.static_body = f->data;
	c->req->resp.static_len = f->len;
	c->req->resp.cache = "public, max-age=86400";
}

void
page_root(struct ctx *c)
{
	struct buf *b = &c->req->resp.body;

	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	html_begin(b, c->lang, "hailong", "/static/form.css");
	buf_puts(b, "<main class=\"card message\">\n<h1>hailong</h1>\n<p>");
	buf_html(b,
	    c->lang == LANG_EN
		? "Citizen satisfaction with public services. To rate a "
		  "service, "
		  "scan the QR code at the counter or on your receipt."
		: "Đánh giá sự hài lòng của người dân, doanh nghiệp đối với "
		  "dịch "
		  "vụ hành chính công. Để đánh giá, vui lòng quét mã QR tại "
		  "quầy "
		  "hoặc trên giấy biên nhận.");
	buf_puts(b, "</p>\n</main>\n");
	html_end(b);
}
