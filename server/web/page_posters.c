/* page_posters.c -- the console's QR picker: posters for counters, procedures. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/qrlink.h"
#include "web/console.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * A token is a pure function of (key, unit, counter, procedure): making
 * one writes nothing, so the picker is a GET and the poster a link to
 * the public /poster/TOKEN page, printed from the browser.  Counter and
 * procedure posters are for the unit of the page itself (counters belong
 * to one unit); the citizen's form then asks nothing the poster knows.
 */

#define QR_PROCEDURES_MAX 500

static void
poster_link(struct ctx *c, struct buf *b, const char *token)
{
	buf_printf(b, "<a class=\"poster\" href=\"/poster/%s", token);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">");
	buf_html(b, TR(c, "Mở áp phích để in", "Open the poster to print"));
	buf_printf(b, "</a> · <a href=\"/qr/%s.png\" download>", token);
	buf_html(b, TR(c, "Tải ảnh PNG", "PNG image"));
	buf_printf(b, "</a> · <a href=\"/qr/%s.svg\">", token);
	buf_html(b, TR(c, "Ảnh SVG", "SVG image"));
	buf_puts(b, "</a>");
}

static int
make(struct ctx *c, const char *unit, int counter, const char *procedure,
    char out[TOKEN_MAX_LEN + 1], char *err, size_t errlen)
{
	struct token t;

	memset(&t, 0, sizeof(t));
	t.kind = TOKEN_COUNTER;
	strlcpy_hl(t.unit, unit, sizeof(t.unit));
	t.counter = counter;
	strlcpy_hl(t.procedure, procedure, sizeof(t.procedure));
	return qrlink_token(ctx_db(c), &t, out, err, errlen);
}

/* ?counter=&procedure=: validated; 0 none asked, 1 asked, -1 answered. */
static int
picked(struct ctx *c, const struct console_unit *u, int *counter,
    char procedure[9])
{
	const char *cv = form_get(&c->query, "counter");
	const char *pv = form_get(&c->query, "procedure");
	int64_t n;

	*counter = 0;
	procedure[0] = '\0';
	if (cv != NULL && cv[0] != '\0') {
		if (parse_int64(cv, strlen(cv), 1, 999, &n) < 0) {
			console_error(c, u, 400,
			    "Số quầy không hợp lệ: từ 1 đến 999.",
			    "Bad counter number: 1 to 999.", NULL);
			return -1;
		}
		*counter = (int)n;
	}
	if (pv != NULL && pv[0] != '\0') {
		if (!is_procedure_code(pv, strlen(pv))) {
			console_error(c, u, 400,
			    "Mã thủ tục không hợp lệ: cần dạng 1.001193.",
			    "Bad procedure code: use the form 1.001193.", NULL);
			return -1;
		}
		strlcpy_hl(procedure, pv, 9);
	}
	return *counter > 0 || procedure[0] != '\0';
}

void
page_posters(struct ctx *c)
{
	struct console_unit u;
	struct db_stmt *st;
	struct db *db;
	struct buf *b;
	char token[TOKEN_MAX_LEN + 1], err[256], procedure[9];
	int counter, asked, rows = 0;
	int64_t listed = 0;

	if (console_unit(c, 0, &u) < 0)
		return;
	asked = picked(c, &u, &counter, procedure);
	if (asked < 0)
		return;
	db = ctx_db(c);
	if (asked == 1 &&
	    make(c, u.code, counter, procedure, token, err, sizeof(err)) < 0) {
		/* the unit exists (console_unit): a counter or procedure not */
		console_error(c, &u, 400,
		    counter > 0 && !strstr(err, "procedure")
			? "Đơn vị không có quầy này. Thêm quầy trước khi in mã "
			  "QR."
			: "Không có thủ tục này trong danh mục.",
		    err, NULL);
		return;
	}
	console_begin(
	    c, &u, TR(c, "Mã QR và áp phích", "QR codes and posters"), "qr");
	b = &c->req->resp.body;
	if (asked == 1) {
		buf_printf(b, "<section class=\"picked\">\n<h2>%s</h2>\n<p>",
		    TR(c, "Áp phích đã chọn", "The poster you chose"));
		if (counter > 0)
			buf_printf(
			    b, "%s %d ", TR(c, "Quầy", "Counter"), counter);
		if (procedure[0] != '\0')
			buf_printf(b, "%s <span class=\"code\">%s</span> ",
			    TR(c, "Thủ tục", "Procedure"), procedure);
		buf_puts(b, "— ");
		poster_link(c, b, token);
		buf_printf(b,
		    "</p>\n<img class=\"qr\" src=\"/qr/%s.svg\" alt=\"QR\" "
		    "width=\"200\" height=\"200\">\n</section>\n",
		    token);
	}
	/* one poster per counter */
	buf_printf(
	    b, "<h2>%s</h2>\n", TR(c, "Áp phích tại quầy", "Counter posters"));
	st = db_query(db,
	    "SELECT number, name FROM counters WHERE unit = ? ORDER BY number",
	    "t", u.code);
	while (st != NULL && db_step(st) == DB_ROW) {
		int number = (int)db_col_int(st, 0);

		if (rows++ == 0)
			buf_puts(b, "<ul class=\"posters\">\n");
		buf_printf(b, "<li data-counter=\"%d\">", number);
		setup_counter_label(c, b, number, db_col_text(st, 1));
		buf_puts(b, " · ");
		if (make(c, u.code, number, "", token, err, sizeof(err)) == 0)
			poster_link(c, b, token);
		else
			buf_html(b, err);
		buf_puts(b, "</li>\n");
	}
	db_done(st);
	buf_puts(b, rows > 0 ? "</ul>\n" : "");
	if (rows == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Đơn vị chưa có quầy nào.",
			"This unit has no counters."));
	/* a poster for a procedure, at a counter or anywhere */
	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"picker\" method=\"get\" "
	    "action=\"/admin/units/%s/qr\">\n",
	    TR(c, "Áp phích theo thủ tục", "Procedure posters"), u.code);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_printf(b,
	    "<label>%s <input name=\"counter\" inputmode=\"numeric\" "
	    "maxlength=\"3\" placeholder=\"%s\"></label>\n<label>%s ",
	    TR(c, "Quầy (không bắt buộc)", "Counter (optional)"),
	    TR(c, "mọi quầy", "any counter"), TR(c, "Thủ tục", "Procedure"));
	db_int(db, &listed,
	    "SELECT count(*) FROM unit_procedures WHERE unit = ?", "t", u.code);
	if (listed > 0 && listed <= QR_PROCEDURES_MAX) {
		buf_puts(b, "<select name=\"procedure\">\n");
		/* names run past 200 characters: the code, then the name */
		st = db_query(db,
		    "SELECT p.code, p.name FROM unit_procedures up JOIN "
		    "procedures p ON p.code = up.procedure WHERE up.unit = ? "
		    "ORDER BY p.code",
		    "t", u.code);
		while (st != NULL && db_step(st) == DB_ROW) {
			buf_puts(b, "<option value=\"");
			buf_html(b, db_col_text(st, 0));
			buf_puts(b, "\">");
			buf_html(b, db_col_text(st, 0));
			buf_puts(b, " — ");
			buf_html(b, db_col_text(st, 1));
			buf_puts(b, "</option>\n");
		}
		db_done(st);
		buf_puts(b, "</select>");
	} else {
		buf_puts(b,
		    "<input name=\"procedure\" maxlength=\"8\" "
		    "placeholder=\"1.001193\">");
	}
	buf_printf(b,
	    "</label>\n<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Tạo áp phích", "Make the poster"));
	console_end(c);
}
