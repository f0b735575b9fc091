/* page_audit.c -- the console's audit log, and its hash chain verified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/text.h"
#include "core/audit.h"
#include "core/ratings.h"
#include "core/users.h"
#include "web/console.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * Who sees which entries.  The log has no unit column: an entry belongs
 * to a unit's subtree when its actor is a staff user of the subtree
 * ("user:NAME") or an API key of it ("apikey:ID": imports, reports), or
 * its target is a user, a kiosk, an API key, a rating ("rating:SEQ") or
 * a callback ("callback:ID") of the subtree, or it changes the setup of
 * a unit of the subtree (issue 16: unit.*, counter.*, officer.*,
 * procedure.*, duty.*, whose target is the unit, "UNIT/N" for a counter
 * or an officer's id).  Managers and admins see
 * the entries of the page's unit and the units below it.  Entries that
 * belong to no unit (the CLI's, the system's) are shown to admins only,
 * on the page of their own unit; failed logins under unknown names only
 * to admins of a top-level unit (no parent), and never with the name
 * typed (older entries kept it: it may be a password typed in the wrong
 * field).  Every page walks the whole audit chain (audit_verify(), as
 * `hailong verify-chain` does) and says whether it is intact; the
 * ratings chain, much longer, is walked on request.
 */

/* clang-format off */
#define SUB "(SELECT descendant FROM unit_tree WHERE ancestor = ?1)"

#define KEY_OF(col, n) \
    "EXISTS (SELECT 1 FROM api_keys k WHERE k.id = " \
    "CAST(substr(" col ", " n ") AS INTEGER) AND k.unit IN " SUB ")"
#define IS_USER(col) "EXISTS (SELECT 1 FROM users x WHERE x.username = " col ")"
#define SETUP_ACTION \
    "(a.action LIKE 'unit.%' OR a.action LIKE 'counter.%' OR " \
    "a.action LIKE 'officer.%' OR a.action LIKE 'procedure.%' OR " \
    "a.action LIKE 'duty.%')"
/* the unit a setup entry's target names */
#define SETUP_UNIT \
    "(CASE WHEN instr(a.target, '/') > 0 " \
    "THEN substr(a.target, 1, instr(a.target, '/') - 1) " \
    "WHEN a.action LIKE 'officer.%' " \
    "THEN (SELECT o.unit FROM officers o WHERE o.id = a.target) " \
    "ELSE a.target END)"

static const char audit_sql[] =
    "SELECT a.seq, a.at, a.actor, a.action, "
    "CASE WHEN a.action LIKE 'login%' AND NOT " IS_USER("a.target") " "
    "THEN '' ELSE a.target END, a.detail "
    "FROM audit a WHERE (?3 = '' OR a.action = ?3) AND ("
    "(a.actor LIKE 'user:%' AND EXISTS (SELECT 1 FROM users x WHERE "
    "x.username = substr(a.actor, 6) AND x.unit IN " SUB ")) "
    "OR EXISTS (SELECT 1 FROM users x WHERE x.username = a.target AND "
    "x.unit IN " SUB ") "
    "OR EXISTS (SELECT 1 FROM kiosks k WHERE k.id = a.target AND "
    "k.unit IN " SUB ") "
    "OR (a.actor LIKE 'apikey:%' AND " KEY_OF("a.actor", "8") ") "
    "OR (a.target LIKE 'apikey:%' AND " KEY_OF("a.target", "8") ") "
    "OR (a.target LIKE 'rating:%' AND EXISTS (SELECT 1 FROM ratings r "
    "WHERE r.seq = CAST(substr(a.target, 8) AS INTEGER) AND "
    "r.unit IN " SUB ")) "
    "OR (a.target LIKE 'callback:%' AND EXISTS (SELECT 1 FROM callbacks cb "
    "JOIN ratings r ON r.seq = cb.rating_seq WHERE "
    "cb.id = CAST(substr(a.target, 10) AS INTEGER) AND "
    "r.unit IN " SUB ")) "
    "OR (" SETUP_ACTION " AND " SETUP_UNIT " IN " SUB ") "
    "OR (?2 = 1 "
    "AND NOT (a.actor LIKE 'user:%' AND " IS_USER("substr(a.actor, 6)") ") "
    "AND NOT " IS_USER("a.target") " "
    "AND NOT EXISTS (SELECT 1 FROM kiosks k WHERE k.id = a.target) "
    "AND a.actor NOT LIKE 'apikey:%' "
    "AND a.target NOT LIKE 'apikey:%' "
    "AND (?6 = 1 OR a.action NOT LIKE 'login%') "
    "AND a.target NOT LIKE 'rating:%' "
    "AND a.target NOT LIKE 'callback:%' "
    "AND NOT (" SETUP_ACTION " AND " SETUP_UNIT " IN "
    "(SELECT code FROM units)))) "
    "ORDER BY a.seq DESC LIMIT ?4 OFFSET ?5";
/* clang-format on */

/* An action filter: 1-40 of a-z, '.', '_', starting with a letter. */
static bool
is_action(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
			s[i] == '_'))
			return false;
	return true;
}

static void
chain_state(struct ctx *c, bool ratings_too)
{
	struct buf *b = &c->req->resp.body;
	struct db *db = ctx_db(c);
	struct chain_check cc;
	int64_t count = 0, bad = 0;
	int r = audit_verify(db, &count, &bad);

	buf_puts(b, "<section class=\"chain\">\n<p class=\"");
	if (r == 0)
		buf_printf(b, "ok\">%s: %s (%lld %s)",
		    TR(c, "Chuỗi băm nhật ký", "Audit hash chain"),
		    TR(c, "nguyên vẹn", "intact"), (long long)count,
		    TR(c, "mục", "entries"));
	else if (r == 1)
		buf_printf(b, "broken\">%s: %s #%lld (%s)",
		    TR(c, "Chuỗi băm nhật ký", "Audit hash chain"),
		    TR(c, "BỊ PHÁ VỠ tại mục", "BROKEN at entry"),
		    (long long)bad,
		    TR(c, "một mục đã bị sửa, xóa hoặc chèn ngoài hailong",
			"an entry was edited, deleted or inserted outside "
			"hailong"));
	else
		buf_printf(b, "broken\">%s",
		    TR(c, "Không kiểm tra được chuỗi băm nhật ký.",
			"Cannot check the audit hash chain."));
	buf_puts(b, "</p>\n");
	if (ratings_too) {
		r = ratings_verify_chain(db, &cc);
		buf_puts(b, "<p class=\"");
		if (r == 0 && cc.folded == 0)
			buf_printf(b, "ok\">%s: %s (%lld %s)",
			    TR(c, "Chuỗi băm đánh giá", "Ratings hash chain"),
			    TR(c, "nguyên vẹn", "intact"), (long long)cc.rows,
			    TR(c, "đánh giá", "ratings"));
		else if (r == 0)
			buf_printf(b, "ok\">%s: %s (%lld %s, %lld %s)",
			    TR(c, "Chuỗi băm đánh giá", "Ratings hash chain"),
			    TR(c, "nguyên vẹn", "intact"), (long long)cc.rows,
			    TR(c, "đánh giá", "ratings"), (long long)cc.folded,
			    TR(c, "đã gộp thành số đếm", "folded into counts"));
		else if (r == 1)
			buf_printf(b, "broken\">%s: %s #%lld",
			    TR(c, "Chuỗi băm đánh giá", "Ratings hash chain"),
			    TR(c, "BỊ PHÁ VỠ tại đánh giá", "BROKEN at rating"),
			    (long long)cc.bad_seq);
		else
			buf_printf(b, "broken\">%s",
			    TR(c, "Không kiểm tra được chuỗi băm đánh giá.",
				"Cannot check the ratings hash chain."));
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</section>\n");
}

void
page_audit(struct ctx *c)
{
	struct console_unit u;
	struct db_stmt *st;
	struct buf *b, base = { 0 };
	const char *action = form_get(&c->query, "action");
	const char *verify = form_get(&c->query, "verify");
	bool unattributed, top, more = false;
	int page, rows = 0;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (action == NULL)
		action = "";
	if (action[0] != '\0' && !is_action(action)) {
		console_error(c, &u, 400,
		    "Thao tác cần lọc không hợp lệ: chỉ gồm chữ thường a-z, "
		    "dấu chấm và gạch dưới (ví dụ rating.status).",
		    "Bad action filter: only a-z, '.' and '_' (e.g. "
		    "rating.status).",
		    NULL);
		return;
	}
	if (verify != NULL && verify[0] != '\0' &&
	    strcmp(verify, "ratings") != 0) {
		console_error(c, &u, 400,
		    "Tham số verify không hợp lệ: chỉ nhận \"ratings\".",
		    "Bad verify parameter: only \"ratings\".", NULL);
		return;
	}
	if (console_page(c, &page) < 0) {
		console_error(c, &u, 400, "Số trang không hợp lệ.",
		    "Bad page number.", NULL);
		return;
	}
	unattributed =
	    c->who.role >= ROLE_ADMIN && strcmp(c->who.unit, u.code) == 0;
	/* failed logins under unknown names: admins of a top-level unit */
	top = unattributed && u.parent[0] == '\0';
	console_begin(c, &u, TR(c, "Nhật ký thao tác", "Audit log"), "audit");
	b = &c->req->resp.body;
	chain_state(c, verify != NULL && verify[0] != '\0');
	buf_printf(
	    b, "<p><a href=\"/admin/units/%s/audit?verify=ratings", u.code);
	console_lang_suffix(c, b, true);
	buf_puts(b, "\">");
	buf_html(b,
	    TR(c, "Kiểm tra cả chuỗi băm đánh giá",
		"Check the ratings hash chain too"));
	buf_printf(b,
	    "</a></p>\n<form class=\"filters\" method=\"get\" "
	    "action=\"/admin/units/%s/audit\">\n",
	    u.code);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_printf(b,
	    "<label>%s <input name=\"action\" maxlength=\"40\" value=\"%s\" "
	    "placeholder=\"rating.status\"></label>\n"
	    "<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Thao tác", "Action"), action, TR(c, "Lọc", "Filter"));
	buf_printf(b, "<p class=\"note\">%s</p>\n",
	    unattributed
		? TR(c,
		      "Gồm các thao tác của đơn vị, đơn vị trực thuộc và các "
		      "thao tác hệ thống.",
		      "Entries of this unit, the units below it, and of the "
		      "system.")
		: TR(c, "Gồm các thao tác của đơn vị và đơn vị trực thuộc.",
		      "Entries of this unit and the units below it."));
	st = db_query(ctx_db(c), audit_sql, "titiii", u.code,
	    unattributed ? 1 : 0, action, CONSOLE_ROWS + 1,
	    (page - 1) * CONSOLE_ROWS, top ? 1 : 0);
	while (st != NULL && db_step(st) == DB_ROW) {
		char *detail;

		if (rows == CONSOLE_ROWS) {
			more = true;
			break;
		}
		if (rows++ == 0)
			buf_printf(b,
			    "<table class=\"audit\">\n<thead><tr><th>#</th>"
			    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
			    "<th>%s</th></tr></thead>\n<tbody>\n",
			    TR(c, "Thời điểm", "When"),
			    TR(c, "Người thực hiện", "Who"),
			    TR(c, "Thao tác", "Action"),
			    TR(c, "Đối tượng", "Target"),
			    TR(c, "Chi tiết", "Detail"));
		buf_printf(
		    b, "<tr><td>%lld</td><td>", (long long)db_col_int(st, 0));
		console_when(b, (long long)db_col_int(st, 1));
		buf_puts(b, "</td><td>");
		buf_html(b, db_col_text(st, 2));
		buf_puts(b, "</td><td>");
		buf_html(b, db_col_text(st, 3));
		buf_puts(b, "</td><td>");
		buf_html(b, db_col_text(st, 4));
		/* a reason typed by staff may hold a number: masked too */
		detail = text_mask_numbers(db_col_text(st, 5));
		buf_puts(b, "</td><td><code>");
		buf_html(b, detail);
		buf_puts(b, "</code></td></tr>\n");
		free(detail);
	}
	db_done(st);
	if (rows == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Không có mục nào.", "No entries."));
	else
		buf_puts(b, "</tbody>\n</table>\n");
	buf_printf(&base, "/admin/units/%s/audit?", u.code);
	if (action[0] != '\0')
		buf_printf(&base, "action=%s&", action);
	console_pager(c, b, buf_str(&base), page, more);
	buf_release(&base);
	console_end(c);
}
