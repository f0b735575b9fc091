/*
 * page_users.c -- staff accounts in the console: list, add, lock, unlock,
 * reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/labels.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * Admins only (the routes' least role).  An admin manages the users of
 * the page's unit and the units below it, which console_unit() keeps
 * inside the admin's own scope; a new user is created in the page's
 * unit, with a role no higher than the admin's own.  New users and reset
 * passwords get a one-time password, shown once on the answer page and
 * never stored in clear, which must be changed at the first login.
 * Every change ends the user's sessions where it matters and is audited
 * like `hailong user` (user.add, user.disable, user.enable, user.passwd).
 * Locking and unlocking are asked first: the buttons open a page (GET,
 * which changes nothing) saying what will happen, and only its form
 * (POST, CSRF, confirm=1) acts.  Roles are shown in words (label_role()),
 * never as their codes; the table stacks into cards on a phone.
 */

#define OTP_LEN 16

/* The values a failed add form shows again, and what was wrong. */
struct add_form {
	const char *username, *name, *role;
	const char *err_username, *err_name, *err_role;
};

static void
field_error(struct ctx *c, const char *msg)
{
	struct buf *b = &c->req->resp.body;

	if (msg == NULL)
		return;
	buf_puts(b, "<span class=\"field-error\" role=\"alert\">");
	buf_html(b, msg);
	buf_puts(b, "</span>");
}

static void
add_form_html(
    struct ctx *c, const struct console_unit *u, const struct add_form *f)
{
	struct buf *b = &c->req->resp.body;
	static const enum role roles[] = { ROLE_VIEWER, ROLE_REPORTER,
		ROLE_MANAGER, ROLE_ADMIN };

	buf_printf(b,
	    "<h2>%s</h2>\n<form class=\"setup add-user\" method=\"post\" "
	    "action=\"/admin/units/%s/users",
	    TR(c, "Thêm tài khoản", "Add a user"), u->code);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<label>%s <input name=\"username\" maxlength=\"32\" "
	    "required value=\"",
	    TR(c, "Tên đăng nhập", "Username"));
	buf_html(b, f->username != NULL ? f->username : "");
	buf_puts(b, "\"></label>");
	field_error(c, f->err_username);
	buf_printf(b,
	    "\n<label>%s <input name=\"name\" maxlength=\"200\" "
	    "required value=\"",
	    TR(c, "Họ và tên", "Full name"));
	buf_html(b, f->name != NULL ? f->name : "");
	buf_puts(b, "\"></label>");
	field_error(c, f->err_name);
	buf_printf(b, "\n<label>%s <select name=\"role\">\n",
	    TR(c, "Vai trò", "Role"));
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const char *n = role_name(roles[i]);

		if ((int)roles[i] > c->who.role)
			continue;
		buf_printf(b, "<option value=\"%s\"%s>", n,
		    f->role != NULL && strcmp(f->role, n) == 0 ? " selected"
							       : "");
		buf_html(b, label_role(c->lang, n));
		buf_puts(b, "</option>\n");
	}
	buf_puts(b, "</select></label>");
	field_error(c, f->err_role);
	buf_printf(b,
	    "\n<p class=\"note\">%s</p>\n<button type=\"submit\">%s</button>\n"
	    "</form>\n",
	    TR(c,
		"Tài khoản được tạo tại đơn vị này, với mật khẩu dùng một lần "
		"phải đổi khi đăng nhập lần đầu.",
		"The user is created in this unit, with a one-time password "
		"to be changed at the first login."),
	    TR(c, "Thêm", "Add"));
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
user_actions(struct ctx *c, const struct console_unit *u, const char *username,
    bool active)
{
	struct buf *b = &c->req->resp.body;

	if (active) {
		buf_printf(b,
		    "<form class=\"inline\" method=\"post\" "
		    "action=\"/admin/units/%s/users/%s/reset",
		    u->code, username);
		console_lang_suffix(c, b, false);
		buf_puts(b, "\">");
		session_csrf_field(c, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form>\n",
		    TR(c, "Đặt lại mật khẩu", "Reset password"));
	}
	/* a link to the confirmation page, not a form that acts */
	buf_printf(b,
	    "<a class=\"button%s\" href=\"/admin/units/%s/users/%s/%s",
	    active ? " danger" : "", u->code, username,
	    active ? "disable" : "enable");
	console_lang_suffix(c, b, false);
	buf_printf(b, "\">%s</a>\n",
	    active ? TR(c, "Khóa tài khoản…", "Disable…")
		   : TR(c, "Mở khóa…", "Enable…"));
}

static void
render(struct ctx *c, const struct console_unit *u, int status,
    const struct add_form *f)
{
	struct db_stmt *st;
	struct buf *b;
	int rows = 0;

	console_begin(
	    c, u, TR(c, "Tài khoản cán bộ", "Staff accounts"), "users");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	st = db_query(ctx_db(c),
	    "SELECT u.username, u.name, u.unit, u.role, u.active, "
	    "u.must_change, n.name FROM users u JOIN units n ON n.code = "
	    "u.unit WHERE u.unit IN (SELECT descendant FROM unit_tree WHERE "
	    "ancestor = ?) ORDER BY u.unit, u.username LIMIT 2000",
	    "t", u->code);
	while (st != NULL && db_step(st) == DB_ROW) {
		bool active = db_col_int(st, 4) != 0;
		const char *username = db_col_text(st, 0);

		if (rows++ == 0)
			buf_printf(b,
			    "<table class=\"stack users\">\n<thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s"
			    "</th><th scope=\"col\">%s</th><th scope=\"col\">"
			    "%s</th><th scope=\"col\">%s</th><th scope=\"col\">"
			    "%s</th></tr></thead>\n<tbody>\n",
			    TR(c, "Tên đăng nhập", "Username"),
			    TR(c, "Họ và tên", "Name"), TR(c, "Đơn vị", "Unit"),
			    TR(c, "Vai trò", "Role"),
			    TR(c, "Trạng thái", "State"),
			    TR(c, "Thao tác", "Actions"));
		buf_printf(b, "<tr%s>", active ? "" : " class=\"off\"");
		/* a login name is typed as it is: a code, not a word */
		cell(c, b, "Tên đăng nhập", "Username");
		buf_puts(b, "<code>");
		buf_html(b, username);
		buf_puts(b, "</code></td>");
		cell(c, b, "Họ và tên", "Name");
		buf_html(b, db_col_text(st, 1));
		buf_puts(b, "</td>");
		cell(c, b, "Đơn vị", "Unit");
		buf_html(b, db_col_text(st, 6));
		buf_puts(b, " <span class=\"code\">");
		buf_html(b, db_col_text(st, 2));
		buf_puts(b, "</span></td>");
		cell(c, b, "Vai trò", "Role");
		buf_html(b, label_role(c->lang, db_col_text(st, 3)));
		buf_puts(b, "</td>");
		cell(c, b, "Trạng thái", "State");
		buf_html(b,
		    !active ? TR(c, "Đã khóa", "Disabled")
			: login_name_resting(c, username)
			? TR(c, "Tạm khóa (đăng nhập sai)",
			      "Locked (failed logins)")
			: db_col_int(st, 5) != 0
			? TR(c, "Chờ đổi mật khẩu", "Must change password")
			: TR(c, "Hoạt động", "Active"));
		buf_puts(b, "</td>");
		cell(c, b, "Thao tác", "Actions");
		/* usernames are a-z0-9._- (username_is_valid()): URL-safe */
		if (strcmp(username, c->who.name) != 0 &&
		    username_is_valid(username)) {
			buf_puts(b, "<div class=\"actions\">");
			user_actions(c, u, username, active);
			buf_puts(b, "</div>");
		}
		buf_puts(b, "</td></tr>\n");
	}
	db_done(st);
	if (rows > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	add_form_html(c, u, f);
	console_end(c);
}

void
page_users(struct ctx *c)
{
	struct console_unit u;
	struct add_form f = { 0 };

	if (console_unit(c, 0, &u) < 0)
		return;
	render(c, &u, 200, &f);
}

/* The one-time password page: shown once, never stored in clear. */
static void
show_otp(struct ctx *c, const struct console_unit *u, const char *username,
    const char *otp, bool added)
{
	struct buf *b;

	console_begin(c, u,
	    added ? TR(c, "Đã thêm tài khoản", "User added")
		  : TR(c, "Đã đặt lại mật khẩu", "Password reset"),
	    "users");
	b = &c->req->resp.body;
	buf_puts(b, "<p>");
	buf_html(b, TR(c, "Tên đăng nhập", "Username"));
	buf_puts(b, ": <strong class=\"username\">");
	buf_html(b, username);
	buf_puts(b, "</strong></p>\n<p>");
	buf_html(b, TR(c, "Mật khẩu dùng một lần", "One-time password"));
	buf_printf(
	    b, ": <code class=\"otp\">%s</code></p>\n<p class=\"note\">", otp);
	buf_html(b,
	    TR(c,
		"Mật khẩu này chỉ hiển thị một lần. Hãy trao tận tay "
		"người dùng; họ phải đổi mật khẩu khi đăng nhập lần "
		"đầu.",
		"This password is shown only once. Hand it to the "
		"user; they must change it at their first login."));
	buf_printf(b, "</p>\n<p><a href=\"/admin/units/%s/users", u->code);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">");
	buf_html(b, TR(c, "Về danh sách tài khoản", "Back to the users"));
	buf_puts(b, "</a></p>\n");
	console_end(c);
}

static bool
is_name(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= 200 && utf8_is_valid(s, n) &&
	    text_has_no_controls(s, n);
}

void
page_users_add(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct add_form f = { 0 };
	struct db *db = ctx_db(c);
	enum role role = ROLE_VIEWER;
	char otp[OTP_LEN + 1], err[256], actor[80], detail[128];
	int64_t one;
	bool bad = false;

	if (console_unit(c, 0, &u) < 0 || console_form(c, &u, &form) < 0)
		return;
	f.username = form_get(&form, "username");
	f.name = form_get(&form, "name");
	f.role = form_get(&form, "role");
	if (f.username == NULL || !username_is_valid(f.username)) {
		f.err_username = TR(c,
		    "Tên đăng nhập gồm 3–32 ký tự a-z, 0-9, '.', '_', '-', "
		    "bắt đầu bằng chữ cái.",
		    "A username is 3-32 of a-z, 0-9, '.', '_', '-', starting "
		    "with a letter.");
		bad = true;
	} else if (db_int(db, &one, "SELECT 1 FROM users WHERE username = ?",
		       "t", f.username) == 0) {
		f.err_username = TR(c, "Tên đăng nhập này đã có người dùng.",
		    "This username is taken.");
		bad = true;
	}
	if (!is_name(f.name)) {
		f.err_name = TR(c,
		    "Nhập họ và tên (tối đa 200 byte, không có ký tự điều "
		    "khiển).",
		    "Give the full name (200 bytes at most, no control "
		    "characters).");
		bad = true;
	}
	if (f.role == NULL || role_parse(f.role, &role) < 0) {
		f.err_role = TR(c, "Chọn một vai trò trong danh sách.",
		    "Choose a role from the list.");
		bad = true;
	} else if ((int)role > c->who.role) {
		f.err_role = TR(c,
		    "Không thể cấp vai trò cao hơn vai trò của chính mình.",
		    "You cannot give a role above your own.");
		bad = true;
	}
	if (bad) {
		render(c, &u, 400, &f);
		goto out;
	}
	users_random_password(otp, OTP_LEN);
	ctx_actor(c, actor, sizeof(actor));
	snprintf(detail, sizeof(detail), "{\"unit\":\"%s\",\"role\":\"%s\"}",
	    u.code, role_name(role));
	if (db_begin(db) < 0)
		goto unavailable;
	if (users_add(db, f.username, u.code, role, f.name, otp, true, err,
		sizeof(err)) < 0 ||
	    audit_append(db, actor, "user.add", f.username, detail) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		goto unavailable;
	}
	show_otp(c, &u, f.username, otp, true);
	goto out;
unavailable:
	server_unavailable(c);
out:
	form_release(&form);
}

/* The :user of the route, if it is a user of u's subtree; else 404. */
static int
subject(
    struct ctx *c, const struct console_unit *u, int64_t *id, const char **name)
{
	const char *v = ctx_param(c, 1);

	if (v == NULL || !username_is_valid(v) ||
	    db_int(ctx_db(c), id,
		"SELECT id FROM users WHERE username = ? AND unit IN (SELECT "
		"descendant FROM unit_tree WHERE ancestor = ?)",
		"tt", v, u->code) != 0) {
		page_not_found(c);
		return -1;
	}
	*name = v;
	return 0;
}

/* What locking or unlocking does, and the one form that does it. */
static void
active_confirm(struct ctx *c, const struct console_unit *u, const char *name,
    bool enable, int status, const char *alert)
{
	struct db_stmt *st;
	struct buf *b;

	console_begin(c, u,
	    enable ? TR(c, "Mở khóa tài khoản?", "Enable the account?")
		   : TR(c, "Khóa tài khoản?", "Disable the account?"),
	    "users");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	if (alert != NULL) {
		buf_puts(b, "<p class=\"error\" role=\"alert\">");
		buf_html(b, alert);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<section class=\"confirm\">\n<dl class=\"facts\">");
	st = db_query(ctx_db(c),
	    "SELECT u.name, n.name, u.role FROM users u JOIN units n ON "
	    "n.code = u.unit WHERE u.username = ?",
	    "t", name);
	if (st != NULL && db_step(st) == DB_ROW) {
		buf_printf(b, "<dt>%s</dt><dd><code>",
		    TR(c, "Tên đăng nhập", "Username"));
		buf_html(b, name);
		buf_puts(b, "</code>");
		buf_printf(
		    b, "</dd><dt>%s</dt><dd>", TR(c, "Họ và tên", "Name"));
		buf_html(b, db_col_text(st, 0));
		buf_printf(b, "</dd><dt>%s</dt><dd>", TR(c, "Đơn vị", "Unit"));
		buf_html(b, db_col_text(st, 1));
		buf_printf(b, "</dd><dt>%s</dt><dd>", TR(c, "Vai trò", "Role"));
		buf_html(b, label_role(c->lang, db_col_text(st, 2)));
		buf_puts(b, "</dd>");
	}
	db_done(st);
	buf_puts(b, "</dl>\n<p>");
	buf_html(b,
	    enable
		? TR(c,
		      "Người này sẽ đăng nhập lại được bằng mật khẩu cũ, với "
		      "vai trò và đơn vị như trước. Số lần đăng nhập sai được "
		      "xóa.",
		      "The user can log in again with the old password, with "
		      "the same role and unit. Failed logins are cleared.")
		: TR(c,
		      "Người này sẽ bị đăng xuất ngay và không đăng nhập được "
		      "nữa. Tài khoản và lịch sử thao tác được giữ nguyên.",
		      "The user is logged out at once and cannot log in "
		      "again. The account and its history are kept."));
	buf_puts(b, "</p>\n<p>");
	buf_html(b,
	    enable
		? TR(c, "Có thể khóa lại bất cứ lúc nào.",
		      "It can be disabled again at any time.")
		: TR(c,
		      "Có thể mở khóa lại sau (nút “Mở khóa” ở đây hoặc lệnh "
		      "hailong user enable).",
		      "It can be enabled again later (the “Enable” button "
		      "here or hailong user enable)."));
	buf_printf(b,
	    "</p>\n<form method=\"post\" action=\"/admin/units/%s/users/%s/%s",
	    u->code, name, enable ? "enable" : "disable");
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"confirm\" value=\"1\">\n"
	    "<button type=\"submit\"%s>%s</button> "
	    "<a href=\"/admin/units/%s/users",
	    enable ? "" : " class=\"danger\"",
	    enable ? TR(c, "Mở khóa tài khoản", "Enable the account")
		   : TR(c, "Khóa tài khoản", "Disable the account"),
	    u->code);
	console_lang_suffix(c, b, false);
	buf_printf(
	    b, "\">%s</a>\n</form>\n</section>\n", TR(c, "Hủy", "Cancel"));
	console_end(c);
}

/*
 * Whether :user may be locked (enable false) or unlocked now: not
 * oneself, and not in that state already.  Answers and returns false
 * when not.
 */
static bool
may_change(struct ctx *c, const struct console_unit *u, int64_t id,
    const char *name, bool enable)
{
	int64_t active;

	if (id == c->who.id) {
		console_error(c, u, 400,
		    enable ? "Tài khoản của chính mình đang hoạt động."
			   : "Không thể tự khóa tài khoản của mình.",
		    enable ? "Your own account is active."
			   : "You cannot disable your own account.",
		    NULL);
		return false;
	}
	if (db_int(ctx_db(c), &active,
		"SELECT active FROM users WHERE username = ?", "t",
		name) != 0) {
		server_unavailable(c);
		return false;
	}
	if ((active != 0) == enable) {
		console_error(c, u, 409,
		    enable ? "Tài khoản này đang hoạt động, không cần mở khóa."
			   : "Tài khoản này đã bị khóa trước đó.",
		    enable ? "This account is active already."
			   : "This account is disabled already.",
		    NULL);
		return false;
	}
	return true;
}

static void
active_get(struct ctx *c, bool enable)
{
	struct console_unit u;
	const char *name;
	int64_t id;

	if (console_unit(c, 0, &u) < 0 || subject(c, &u, &id, &name) < 0 ||
	    !may_change(c, &u, id, name, enable))
		return;
	active_confirm(c, &u, name, enable, 200, NULL);
}

static void
active_post(struct ctx *c, bool enable)
{
	struct console_unit u;
	struct form f = { 0 };
	struct buf loc = { 0 };
	const char *name, *confirm;
	char actor[80];
	int64_t id;
	int rc;

	if (console_unit(c, 0, &u) < 0 || subject(c, &u, &id, &name) < 0 ||
	    console_form(c, &u, &f) < 0)
		goto out;
	if (!may_change(c, &u, id, name, enable))
		goto out;
	confirm = form_get(&f, "confirm");
	if (confirm == NULL || strcmp(confirm, "1") != 0) {
		active_confirm(c, &u, name, enable, 400,
		    enable ? TR(c, "Hãy xác nhận trước khi mở khóa.",
				 "Confirm before enabling the account.")
			   : TR(c, "Hãy xác nhận trước khi khóa tài khoản.",
				 "Confirm before disabling the account."));
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = enable ? users_enable(ctx_db(c), name, actor)
		    : users_disable(ctx_db(c), name, actor);
	if (rc == 1) {
		console_error(c, &u, 409,
		    "Tài khoản đã ở trạng thái này; không có gì thay đổi.",
		    "The account is in that state already; nothing changed.",
		    NULL);
		goto out;
	}
	if (rc != 0) {
		server_unavailable(c);
		goto out;
	}
	/* unlocked: the name may log in again from anywhere */
	if (enable)
		login_name_unrest(c, name);
	buf_printf(&loc, "/admin/units/%s/users", u.code);
	console_lang_suffix(c, &loc, false);
	http_redirect(c->req, buf_str(&loc));
out:
	buf_release(&loc);
	form_release(&f);
}

void
page_users_disable_get(struct ctx *c)
{
	active_get(c, false);
}

void
page_users_disable(struct ctx *c)
{
	active_post(c, false);
}

void
page_users_enable_get(struct ctx *c)
{
	active_get(c, true);
}

void
page_users_enable(struct ctx *c)
{
	active_post(c, true);
}

void
page_users_reset(struct ctx *c)
{
	struct console_unit u;
	struct db *db = ctx_db(c);
	const char *name;
	char otp[OTP_LEN + 1], actor[80], *hash;
	int64_t id;

	if (console_unit(c, 0, &u) < 0 || subject(c, &u, &id, &name) < 0)
		return;
	if (id == c->who.id) {
		console_error(c, &u, 400,
		    "Đổi mật khẩu của chính mình tại trang Đổi mật khẩu.",
		    "Change your own password on the password page.", NULL);
		return;
	}
	users_random_password(otp, OTP_LEN);
	hash = password_hash(otp);
	ctx_actor(c, actor, sizeof(actor));
	if (hash == NULL || db_begin(db) < 0) {
		free(hash);
		server_unavailable(c);
		return;
	}
	if (db_run(db,
		"UPDATE users SET password = ?, must_change = 1, "
		"failed_logins = 0, locked_until = 0 WHERE id = ?",
		"tl", hash, id) < 0 ||
	    session_destroy_user(db, id) < 0 ||
	    audit_append(db, actor, "user.passwd", name, "") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		free(hash);
		server_unavailable(c);
		return;
	}
	free(hash);
	/* a new password: the name may log in again from anywhere */
	login_name_unrest(c, name);
	show_otp(c, &u, name, otp, false);
}
