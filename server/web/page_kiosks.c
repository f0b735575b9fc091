/* page_kiosks.c -- the console's kiosks: online or not, backlog, revoke. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/kiosks.h"
#include "core/store.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Every role sees the kiosks of its units (whether the counters' devices
 * work is no secret to staff); revoking takes a manager or an admin.  A
 * kiosk is online when it made an authenticated request within
 * WIRE_OFFLINE_AFTER; its backlog is what its last heartbeat said.
 * Revoking cannot be undone, so it is asked first: the "Thu hồi" button
 * opens a page (GET, which changes nothing) saying what will happen, and
 * only its form (POST, CSRF, confirm=1) revokes.  Vietnamese pages say
 * "ki-ốt", never the English word.
 */

#define KIOSKS_MAX 2000 /* a list longer than this is cut, and says so */

static const char *
state_word(struct ctx *c, const struct kiosk *k, int64_t now)
{
	const char *s = kiosk_state(k, now);

	if (strcmp(s, "revoked") == 0)
		return TR(c, "Đã thu hồi", "Revoked");
	if (strcmp(s, "pending") == 0)
		return TR(c, "Chờ kích hoạt", "Waiting for enrolment");
	if (strcmp(s, "expired") == 0)
		return TR(c, "Mã kích hoạt hết hạn", "Enrolment code expired");
	return kiosk_is_online(k, now) ? TR(c, "Trực tuyến", "Online")
				       : TR(c, "Mất kết nối", "Offline");
}

/* <td data-label="..."> for the table stacked on a phone. */
static void
cell(struct ctx *c, struct buf *b, const char *vi, const char *en)
{
	buf_puts(b, "<td data-label=\"");
	buf_html(b, TR(c, vi, en));
	buf_puts(b, "\">");
}

static void
kiosk_row(struct ctx *c, const struct console_unit *u, const struct kiosk *k,
    int64_t now)
{
	struct buf *b = &c->req->resp.body;
	bool online = kiosk_is_online(k, now);
	bool active = strcmp(kiosk_state(k, now), "revoked") != 0;

	buf_printf(b, "<tr id=\"%s\" class=\"%s\">", k->id,
	    !active      ? "revoked"
		: online ? "online"
			 : "offline");
	cell(c, b, "Mã ki-ốt", "Kiosk");
	buf_printf(b, "%s</td>", k->id);
	cell(c, b, "Đơn vị", "Unit");
	buf_html(b, k->unit);
	buf_puts(b, "</td>");
	cell(c, b, "Quầy", "Counter");
	buf_printf(b, "%d</td>", k->counter);
	cell(c, b, "Trạng thái", "Status");
	buf_html(b, state_word(c, k, now));
	buf_puts(b, "</td>");
	cell(c, b, "Liên lạc lần cuối", "Last seen");
	console_when(b, (long long)k->last_seen);
	buf_puts(b, "</td>");
	cell(c, b, "Tồn đọng", "Backlog");
	if (k->backlog >= 0)
		buf_printf(b, "%lld", (long long)k->backlog);
	else
		buf_puts(b, "—");
	buf_puts(b, "</td>");
	cell(c, b, "Chưa gửi từ", "Oldest unsent");
	console_when(b, (long long)k->oldest_unsent);
	buf_puts(b, "</td>");
	cell(c, b, "Phiên bản", "Version");
	buf_html(b, k->version[0] != '\0' ? k->version : "—");
	buf_puts(b, "</td><td>");
	if (active && c->who.role >= ROLE_MANAGER) {
		/* a link to the confirmation page, not a form that acts */
		buf_printf(b,
		    "<a class=\"button danger\" "
		    "href=\"/admin/units/%s/kiosks/%s/"
		    "revoke",
		    u->code, k->id);
		console_lang_suffix(c, b, false);
		buf_printf(b, "\">%s</a>", TR(c, "Thu hồi…", "Revoke…"));
	}
	buf_puts(b, "</td></tr>\n");
}

void
page_kiosks(struct ctx *c)
{
	struct console_unit u;
	struct db_stmt *st;
	struct db *db;
	struct buf *b;
	char ids[64][WIRE_KIOSK_ID_LEN + 1];
	int64_t now = hl_now();
	int n, shown = 0, offline = 0, step = DB_ROW;

	if (console_unit(c, 0, &u) < 0)
		return;
	db = ctx_db(c);
	console_begin(
	    c, &u, TR(c, "Ki-ốt đánh giá", "Rating kiosks"), "kiosks");
	b = &c->req->resp.body;
	buf_printf(b,
	    "<p class=\"note\">%s</p>\n<table class=\"stack "
	    "kiosks\">\n<thead><tr>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\"><span class=\"vh\">%s</span></th></tr>"
	    "</thead>\n"
	    "<tbody>\n",
	    TR(c,
		"Ki-ốt mất kết nối khi không liên lạc quá 10 phút. Tồn đọng: "
		"số đánh giá còn chờ gửi theo lần báo gần nhất.",
		"A kiosk is offline after 10 minutes without contact. "
		"Backlog: ratings waiting to be sent, as last reported."),
	    TR(c, "Mã ki-ốt", "Kiosk"), TR(c, "Đơn vị", "Unit"),
	    TR(c, "Quầy", "Counter"), TR(c, "Trạng thái", "Status"),
	    TR(c, "Liên lạc lần cuối", "Last seen"),
	    TR(c, "Tồn đọng", "Backlog"), TR(c, "Chưa gửi từ", "Oldest unsent"),
	    TR(c, "Phiên bản", "Version"), TR(c, "Thao tác", "Actions"));
	/*
	 * Ids a page at a time, then each kiosk loaded on its own: the
	 * statement is given back before kiosks_load() uses the connection.
	 */
	while (step == DB_ROW && shown < KIOSKS_MAX) {
		n = 0;
		st = db_query(db,
		    "SELECT k.id FROM kiosks k JOIN unit_tree t ON "
		    "t.descendant = k.unit AND t.ancestor = ? "
		    "ORDER BY k.unit, k.counter, k.id LIMIT 64 OFFSET ?",
		    "ti", u.code, shown);
		while (st != NULL && (step = db_step(st)) == DB_ROW)
			strlcpy_hl(
			    ids[n++], db_col_text(st, 0), sizeof(ids[0]));
		db_done(st);
		if (st == NULL)
			step = -1;
		for (int i = 0; i < n; i++) {
			struct kiosk k;

			if (kiosks_load(db, ids[i], &k) != 0)
				continue;
			if (strcmp(kiosk_state(&k, now), "active") == 0 &&
			    !kiosk_is_online(&k, now))
				offline++;
			kiosk_row(c, &u, &k, now);
			shown++;
		}
		if (n < 64)
			break;
		step = DB_ROW;
	}
	buf_puts(b, "</tbody>\n</table>\n");
	if (step < 0)
		buf_printf(b, "<p class=\"error\">%s</p>\n",
		    TR(c, "Không đọc được danh sách ki-ốt.",
			"Cannot read the kiosk list."));
	if (shown == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Chưa có ki-ốt nào.", "No kiosks yet."));
	else
		buf_printf(b, "<p class=\"summary\">%s: %d · %s: %d</p>\n",
		    TR(c, "Số ki-ốt", "Kiosks"), shown,
		    TR(c, "Mất kết nối", "Offline"), offline);
	console_end(c);
}

/*
 * The kiosk of the route's :kiosk, if it is of u's subtree (and the
 * caller's scope); else 404, answered.  A kiosk of another unit looks
 * like no kiosk at all.
 */
static int
subject(struct ctx *c, const struct console_unit *u, struct kiosk *k)
{
	struct db *db = ctx_db(c);
	const char *id = ctx_param(c, 1);

	if (id == NULL || strlen(id) != WIRE_KIOSK_ID_LEN ||
	    kiosks_load(db, id, k) != 0 || !ctx_sees_unit(c, k->unit) ||
	    !store_unit_within(db, k->unit, u->code)) {
		page_not_found(c);
		return -1;
	}
	return 0;
}

static bool
already_revoked(
    struct ctx *c, const struct console_unit *u, const struct kiosk *k)
{
	if (strcmp(kiosk_state(k, hl_now()), "revoked") != 0)
		return false;
	console_error(c, u, 409, "Ki-ốt này đã bị thu hồi trước đó.",
	    "This kiosk was revoked already.", NULL);
	return true;
}

/* What revoking does, and the one form that does it. */
static void
revoke_confirm(struct ctx *c, const struct console_unit *u,
    const struct kiosk *k, int status, const char *alert)
{
	struct buf *b;

	console_begin(
	    c, u, TR(c, "Thu hồi ki-ốt?", "Revoke the kiosk?"), "kiosks");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	if (alert != NULL) {
		buf_puts(b, "<p class=\"error\" role=\"alert\">");
		buf_html(b, alert);
		buf_puts(b, "</p>\n");
	}
	buf_printf(b,
	    "<section class=\"confirm\">\n<dl class=\"facts\">"
	    "<dt>%s</dt><dd><code>%s</code></dd><dt>%s</dt><dd>",
	    TR(c, "Ki-ốt", "Kiosk"), k->id, TR(c, "Đơn vị", "Unit"));
	buf_html(b, k->unit);
	buf_printf(b, " · %s %d</dd><dt>%s</dt><dd>", TR(c, "Quầy", "Counter"),
	    k->counter, TR(c, "Liên lạc lần cuối", "Last seen"));
	console_when(b, (long long)k->last_seen);
	buf_printf(b, "</dd><dt>%s</dt><dd>", TR(c, "Tồn đọng", "Backlog"));
	if (k->backlog >= 0)
		buf_printf(b, "%lld", (long long)k->backlog);
	else
		buf_puts(b, "—");
	buf_puts(b, "</dd></dl>\n<p>");
	buf_html(b,
	    TR(c,
		"Ki-ốt sẽ bị từ chối ngay lập tức: nó không gửi được đánh giá "
		"nào nữa, kể cả những đánh giá còn tồn đọng trên máy.",
		"The kiosk is refused at once: it can send no more ratings, "
		"not even those still waiting on it."));
	buf_puts(b, "</p>\n<p><strong>");
	buf_html(b,
	    TR(c,
		"Không thể hoàn tác. Muốn dùng lại máy này phải đăng ký một "
		"ki-ốt mới với mã kích hoạt mới.",
		"This cannot be undone. To use the device again, register a "
		"new kiosk with a new enrolment code."));
	buf_printf(b,
	    "</strong></p>\n<form method=\"post\" action=\"/admin/units/%s/"
	    "kiosks/%s/revoke",
	    u->code, k->id);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n"
	    "<button type=\"submit\" class=\"danger\">%s</button> "
	    "<a href=\"/admin/units/%s/kiosks",
	    TR(c, "Thu hồi ki-ốt", "Revoke the kiosk"), u->code);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">%s</a>\n</form>\n</section>\n", TR(c, "Hủy", "Cancel"));
	console_end(c);
}

void
page_kiosk_revoke_get(struct ctx *c)
{
	struct console_unit u;
	struct kiosk k;

	if (console_unit(c, 0, &u) < 0 || subject(c, &u, &k) < 0 ||
	    already_revoked(c, &u, &k))
		return;
	revoke_confirm(c, &u, &k, 200, NULL);
}

void
page_kiosk_revoke(struct ctx *c)
{
	struct console_unit u;
	struct kiosk k;
	struct form f = { 0 };
	struct db *db;
	struct buf loc = { 0 };
	const char *confirm;
	char actor[80];
	int rc;

	if (console_unit(c, 0, &u) < 0 || subject(c, &u, &k) < 0 ||
	    console_form(c, &u, &f) < 0)
		goto out;
	db = ctx_db(c);
	confirm = form_get(&f, "confirm");
	if (confirm == NULL || strcmp(confirm, "1") != 0) {
		if (!already_revoked(c, &u, &k))
			revoke_confirm(c, &u, &k, 400,
			    TR(c, "Hãy xác nhận trước khi thu hồi ki-ốt.",
				"Confirm before revoking the kiosk."));
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = -1;
	if (db_begin(db) == 0) {
		rc = kiosks_revoke(db, k.id, hl_now());
		if (rc == 0 &&
		    (audit_append(db, actor, "kiosk.revoke", k.id, "") < 0 ||
			db_commit(db) < 0))
			rc = -1;
		if (rc != 0)
			db_rollback(db);
	}
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	if (rc == 1) {
		console_error(c, &u, 409, "Ki-ốt này đã bị thu hồi trước đó.",
		    "This kiosk was revoked already.", NULL);
		goto out;
	}
	buf_printf(&loc, "/admin/units/%s/kiosks", u.code);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
out:
	buf_release(&loc);
	form_release(&f);
}
