/* page_qr.c -- QR images of the form's address, and printable posters. */
#include <stdio.h>
#include <string.h>

#include "hailong/qr.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/qrlink.h"
#include "core/store.h"
#include "core/procedures.h"
#include "core/units.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

static int
key_from_db(int kid, unsigned char key[TOKEN_KEY_LEN], void *arg)
{
	return store_token_key(arg, kid, key);
}

/* Verify the :token param; answers 404/503 itself when it is not good. */
static bool
genuine(struct ctx *c, struct token *tok)
{
	struct db *db = ctx_db(c);
	const char *t = ctx_param(c, 0);

	if (db == NULL) {
		server_unavailable(c);
		return false;
	}
	if (t == NULL || token_verify(t, strlen(t), key_from_db, db, tok) < 0) {
		page_message(c, 404, M_BAD_TOKEN_TITLE, M_BAD_TOKEN_TEXT);
		return false;
	}
	return true;
}

static void
qr_image(struct ctx *c, bool png)
{
	struct token tok;
	struct buf url = { 0 };
	struct qr *q;
	int rc;

	if (!genuine(c, &tok))
		return;
	qrlink_url(c->srv->base_url, ctx_param(c, 0), &url);
	q = qr_encode(buf_str(&url));
	buf_release(&url);
	if (q == NULL) {
		http_text(c->req, 500, "cannot encode the QR code\n");
		return;
	}
	http_begin_body(c->req, 200, png ? "image/png" : "image/svg+xml");
	rc = png ? qr_png(q, 8, &c->req->resp.body)
		 : qr_svg(q, 8, &c->req->resp.body);
	qr_free(q);
	if (rc < 0) {
		http_text(c->req, 500, "cannot draw the QR code\n");
		return;
	}
	/* a token's image never changes */
	c->req->resp.cache = "public, max-age=86400";
}

void
page_qr_svg(struct ctx *c)
{
	qr_image(c, false);
}

void
page_qr_png(struct ctx *c)
{
	qr_image(c, true);
}

void
page_poster(struct ctx *c)
{
	struct buf *b = &c->req->resp.body;
	struct buf url = { 0 }, name = { 0 };
	struct token tok;
	struct db *db;
	enum lang lang = c->lang;

	int64_t unit_at, counter_at;

	if (!genuine(c, &tok))
		return;
	db = ctx_db(c);
	/* no poster for a closed counter or unit: it would invite ratings */
	if (units_closed_since(
		db, tok.unit, tok.counter, &unit_at, &counter_at) < 0) {
		server_unavailable(c);
		return;
	}
	if (counter_at != 0 || unit_at != 0) {
		page_message(c, 410,
		    counter_at != 0 ? M_COUNTER_CLOSED_TITLE
				    : M_UNIT_CLOSED_TITLE,
		    counter_at != 0 ? M_COUNTER_CLOSED_TEXT
				    : M_UNIT_CLOSED_TEXT);
		return;
	}
	qrlink_url(c->srv->base_url, ctx_param(c, 0), &url);
	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	html_begin(b, lang, tr(lang, M_POSTER_TITLE), "/static/poster.css");
	buf_puts(b, "<main class=\"poster\">\n<p class=\"unit\">");
	units_name(db, tok.unit, &name);
	buf_html(b, buf_str(&name));
	buf_reset(&name);
	buf_puts(b, "</p>\n");
	if (tok.counter > 0) {
		buf_puts(b, "<p class=\"counter\">");
		units_counter_name(db, tok.unit, tok.counter, &name);
		buf_html(b, buf_str(&name));
		buf_puts(b, "</p>\n");
	}
	if (tok.procedure[0] != '\0') {
		buf_puts(b, "<p class=\"procedure\">");
		buf_reset(&name);
		procedures_get(db, tok.procedure, &name, NULL);
		buf_html(b, buf_str(&name));
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<h1>");
	buf_html(b, tr(lang, M_POSTER_TITLE));
	buf_printf(b,
	    "</h1>\n<img class=\"qr\" src=\"/qr/%s.svg\" alt=\"QR\">\n",
	    ctx_param(c, 0));
	buf_puts(b, "<p class=\"steps\">");
	buf_html(b, tr(lang, M_POSTER_STEPS));
	buf_puts(b, "</p>\n<p class=\"url\"><code>");
	buf_html(b, buf_str(&url));
	buf_puts(b, "</code></p>\n<p class=\"privacy\">");
	buf_html(b, tr(lang, M_POSTER_PRIVACY));
	buf_puts(b, "</p>\n</main>\n");
	html_end(b);
	buf_release(&url);
	buf_release(&name);
}
