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

static void
kiosk_row(struct ctx *c, const struct console_unit *u, const struct kiosk *k,
    int64_t now)
{
	struct buf *b = &c->req->resp.body;
	bool online = kiosk_is_online(k, now);
	bool active = strcmp(kiosk_state(k, now), "revoked") != 0;

	buf_printf(b, "<tr id=\"%s\" class=\"%s\"><td>%s</td><td>", k->id,
	    !active      ? "revoked"
		: online ? "online"
			 : "offline",
	    k->id);
	buf_html(b, k->unit);
	buf_printf(b, "</td><td>%d</td><td>", k->counter);
	buf_html(b, state_word(c, k, now));
	buf_puts(b, "</td><td>");
	console_when(b, (long long)k->last_seen);
	buf_puts(b, "</td><td>");
	if (k->backlog >= 0)
		buf_printf(b, "%lld", (long long)k->backlog);
	else
		buf_puts(b, "—");
	buf_puts(b, "</td><td>");
	console_when(b, (long long)k->oldest_unsent);
	buf_puts(b, "</td><td>");
	buf_html(b, k->version[0] != '\0' ? k->version : "—");
	buf_puts(b, "</td><td>");
	if (active && c->who.role >= ROLE_MANAGER) {
		buf_printf(b,
		    "<form method=\"post\" action=\"/admin/units/%s/kiosks/%s/"
		    "revoke",
		    u->code, k->id);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		session_csrf_field(c, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form>",
		    TR(c, "Thu hồi", "Revoke"));
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
	    c, &u, TR(c, "Kiosk đánh giá", "Rating kiosks"), "kiosks");
	b = &c->req->resp.body;
	buf_printf(b,
	    "<p class=\"note\">%s</p>\n<table class=\"kiosks\">\n<thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead>\n"
	    "<tbody>\n",
	    TR(c,
		"Kiosk mất kết nối khi không liên lạc quá 10 phút. Tồn đọng: "
		"số đánh giá còn chờ gửi theo lần báo gần nhất.",
		"A kiosk is offline after 10 minutes without contact. "
		"Backlog: ratings waiting to be sent, as last reported."),
	    TR(c, "Mã kiosk", "Kiosk"), TR(c, "Đơn vị", "Unit"),
	    TR(c, "Quầy", "Counter"), TR(c, "Trạng thái", "Status"),
	    TR(c, "Liên lạc lần cuối", "Last seen"),
	    TR(c, "Tồn đọng", "Backlog"), TR(c, "Chưa gửi từ", "Oldest unsent"),
	    TR(c, "Phiên bản", "Version"));
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
		    TR(c, "Không đọc được danh sách kiosk.",
			"Cannot read the kiosk list."));
	if (shown == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Chưa có kiosk nào.", "No kiosks yet."));
	else
		buf_printf(b, "<p class=\"summary\">%s: %d · %s: %d</p>\n",
		    TR(c, "Số kiosk", "Kiosks"), shown,
		    TR(c, "Mất kết nối", "Offline"), offline);
	console_end(c);
}

void
page_kiosk_revoke(struct ctx *c)
{
	struct console_unit u;
	struct kiosk k;
	struct db *db;
	struct buf loc = { 0 };
	const char *id;
	char actor[80];
	int rc;

	if (console_unit(c, 0, &u) < 0)
		return;
	db = ctx_db(c);
	id = ctx_param(c, 1);
	/* a kiosk of another unit looks like no kiosk at all */
	if (id == NULL || strlen(id) != WIRE_KIOSK_ID_LEN ||
	    kiosks_load(db, id, &k) != 0 || !ctx_sees_unit(c, k.unit)) {
		page_not_found(c);
		return;
	}
	if (!store_unit_within(db, k.unit, u.code)) {
		page_not_found(c);
		return;
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
		return;
	}
	if (rc == 1) {
		console_error(c, &u, 409, "Kiosk này đã bị thu hồi trước đó.",
		    "This kiosk was revoked already.", NULL);
		return;
	}
	buf_printf(&loc, "/admin/units/%s/kiosks", u.code);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
	buf_release(&loc);
}
