/* page_alerts.c -- the console's alerts: who is told of what, and how. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/form.h"
#include "hailong/util.h"
#include "core/alerts.h"
#include "core/users.h"
#include "web/console.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * A manager or an admin manages the subscriptions of the unit and the
 * units below it: their own account (its e-mail address is set here),
 * a bare address or a webhook, each with the events, now or as a daily
 * digest.  An address or a webhook reads what a role up to the
 * caller's own may read (phone numbers: manager and admin).  Every
 * change is audited by core (alerts.c); the CSRF token is checked
 * before the handler runs (server.c).
 */

static const char *const kind_codes[] = { "callback", "flag_raised",
	"flag_cleared", "review_overdue", "kiosk_offline", "kiosk_online",
	"kiosk_backlog", "check_failed", "disk_full", "report_missing" };

static const char *
role_word(struct ctx *c, enum role r)
{
	switch (r) {
	case ROLE_ADMIN: return TR(c, "Quản trị", "Admin");
	case ROLE_MANAGER: return TR(c, "Quản lý", "Manager");
	case ROLE_REPORTER: return TR(c, "Lập báo cáo", "Reporter");
	default:
		return TR(c, "Chỉ xem (không thấy số điện thoại)",
		    "Viewer (no phone numbers)");
	}
}

static void
action_url(struct ctx *c, struct buf *b, const struct console_unit *u)
{
	buf_printf(b, "/admin/units/%s/alerts", u->code);
	console_lang_suffix(c, b, false);
}

static void
sub_row(struct ctx *c, const struct console_unit *u, const struct alert_sub *s)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<tr id=\"alert-%lld\"><td>", (long long)s->id);
	if (s->username[0] != '\0') {
		buf_puts(b, TR(c, "Tài khoản ", "Account "));
		buf_html(b, s->username);
	} else if (s->email[0] != '\0') {
		buf_html(b, s->email);
	} else {
		buf_puts(b, "Webhook ");
		buf_html(b, s->webhook_url);
	}
	buf_puts(b, "</td><td>");
	buf_html(b, s->unit);
	buf_puts(b, "</td><td>");
	if (strcmp(s->events, "all") == 0) {
		buf_puts(b, TR(c, "Tất cả", "All"));
	} else {
		const char *p = s->events;

		while (*p) {
			char one[ALERT_KIND_MAX + 1];
			size_t n = strcspn(p, ",");

			if (n > ALERT_KIND_MAX)
				n = ALERT_KIND_MAX;
			memcpy(one, p, n);
			one[n] = '\0';
			if (c->lang == LANG_EN) {
				buf_puts(b, "<code>");
				buf_html(b, one);
				buf_puts(b, "</code>");
			} else {
				buf_html(b, alert_kind_label(one));
			}
			p += strcspn(p, ",");
			if (*p == ',' && *++p)
				buf_puts(b, "; ");
		}
	}
	buf_puts(b, "</td><td>");
	if (strcmp(s->mode, "digest") == 0)
		buf_printf(b, "%s %02d:00",
		    TR(c, "Bản tin hằng ngày lúc", "Daily digest at"),
		    s->digest_hour);
	else if (strcmp(s->mode, "weekly") == 0)
		buf_printf(b, "%s %02d:00",
		    TR(c, "Bản tin tuần, thứ Hai lúc",
			"Weekly digest, Mondays at"),
		    s->digest_hour);
	else
		buf_puts(b, TR(c, "Gửi ngay", "At once"));
	buf_puts(b, "</td><td><form method=\"post\" action=\"");
	action_url(c, b, u);
	buf_puts(b, "\">");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"action\" value=\"remove\">"
	    "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
	    "<button type=\"submit\">%s</button></form></td></tr>\n",
	    (long long)s->id, TR(c, "Huỷ", "Remove"));
}

static void
add_form(struct ctx *c, const struct console_unit *u)
{
	struct buf *b = &c->req->resp.body;

	buf_printf(b, "<h2>%s</h2>\n<form method=\"post\" action=\"",
	    TR(c, "Thêm đăng ký nhận tin", "Add a subscription"));
	action_url(c, b, u);
	buf_puts(b, "\" class=\"setup alert-add\">");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"action\" value=\"add\">\n"
	    "<fieldset><legend>%s</legend>\n"
	    "<label>%s <select name=\"to\">"
	    "<option value=\"me\" selected>%s</option>"
	    "<option value=\"email\">%s</option>"
	    "<option value=\"webhook\">Webhook (HTTPS)</option>"
	    "</select></label>\n"
	    "<label>%s <input type=\"email\" name=\"email\" "
	    "maxlength=\"254\" autocomplete=\"off\"></label>\n"
	    "<label>%s <input type=\"url\" name=\"webhook\" "
	    "maxlength=\"500\" placeholder=\"https://\"></label>\n"
	    "<label>%s <input type=\"password\" name=\"secret\" "
	    "maxlength=\"128\" autocomplete=\"off\"></label>\n"
	    "<label>%s <select name=\"role\">",
	    TR(c, "Người nhận", "Who"), TR(c, "Gửi tới", "Send to"),
	    TR(c, "Tài khoản của tôi", "My account"),
	    TR(c, "Một địa chỉ thư", "An e-mail address"),
	    TR(c, "Địa chỉ thư", "E-mail address"),
	    TR(c, "Địa chỉ webhook", "Webhook URL"),
	    TR(c, "Khoá bí mật của webhook (ít nhất 16 ký tự)",
		"Webhook secret (16 characters or more)"),
	    TR(c, "Địa chỉ thư hoặc webhook được xem như",
		"The address or webhook reads as"));
	for (int r = ROLE_VIEWER; r <= c->who.role && r <= ROLE_ADMIN; r++)
		buf_printf(b, "<option value=\"%s\">%s</option>",
		    role_name((enum role)r), role_word(c, (enum role)r));
	buf_printf(b,
	    "</select></label></fieldset>\n"
	    "<fieldset><legend>%s</legend>\n",
	    TR(c, "Sự kiện (không chọn: tất cả)", "Events (none: all)"));
	for (size_t i = 0; i < ARRAY_SIZE(kind_codes); i++) {
		buf_printf(b,
		    "<label><span><input type=\"checkbox\" name=\"ev_%s\" "
		    "value=\"1\">",
		    kind_codes[i]);
		if (c->lang == LANG_EN)
			buf_printf(b, "<code>%s</code>", kind_codes[i]);
		else
			buf_html(b, alert_kind_label(kind_codes[i]));
		buf_puts(b, "</span></label>\n");
	}
	buf_printf(b,
	    "</fieldset>\n<fieldset><legend>%s</legend>\n"
	    "<label>%s <select name=\"mode\">"
	    "<option value=\"now\" selected>%s</option>"
	    "<option value=\"digest\">%s</option>"
	    "<option value=\"weekly\">%s</option></select></label>\n"
	    "<label>%s <select name=\"hour\">",
	    TR(c, "Cách nhận", "How"), TR(c, "Gửi", "Send"),
	    TR(c, "Ngay khi có sự kiện", "Each event at once"),
	    TR(c, "Bản tin hằng ngày (thư)", "A daily e-mail digest"),
	    TR(c, "Bản tin tuần, thứ Hai (thư)",
		"A weekly e-mail digest, Mondays"),
	    TR(c, "Giờ gửi bản tin (giờ Việt Nam)",
		"Digest hour (Vietnam time)"));
	for (int h = 0; h < 24; h++)
		buf_printf(b, "<option value=\"%d\"%s>%02d:00</option>", h,
		    h == 7 ? " selected" : "", h);
	buf_printf(b,
	    "</select></label></fieldset>\n"
	    "<button type=\"submit\">%s</button></form>\n",
	    TR(c, "Thêm", "Add"));
}

static void
email_form(struct ctx *c, const struct console_unit *u)
{
	struct buf *b = &c->req->resp.body;
	char email[255];

	/* on a database error (logged) the field is empty, as when unset */
	(void)alerts_user_email_get(ctx_db(c), c->who.name, email);

	buf_printf(b, "<h2>%s</h2>\n<form method=\"post\" action=\"",
	    TR(c, "Địa chỉ thư của tôi", "My e-mail address"));
	action_url(c, b, u);
	buf_puts(b, "\" class=\"setup\">");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"action\" value=\"email\">"
	    "<label>%s <input type=\"email\" name=\"email\" "
	    "maxlength=\"254\" value=\"",
	    TR(c, "Thư đến", "Mail goes to"));
	buf_html(b, email);
	buf_printf(b,
	    "\"></label> <button type=\"submit\">%s</button></form>\n",
	    TR(c, "Lưu", "Save"));
}

void
page_alerts(struct ctx *c)
{
	struct console_unit u;
	struct alert_sub *v = NULL;
	struct buf *b;
	size_t n = 0;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (alerts_sub_list(ctx_db(c), u.code, &v, &n) < 0) {
		server_unavailable(c);
		return;
	}
	console_begin(c, &u, TR(c, "Nhận cảnh báo", "Alerts"), "alerts");
	b = &c->req->resp.body;
	buf_printf(b, "<p class=\"note\">%s</p>\n",
	    TR(c,
		"Cảnh báo đến người cần xử lý mà không phải mở trang quản "
		"trị: yêu cầu gọi lại, cảnh báo mới, rà soát quá hạn, ki-ốt "
		"mất kết nối, sao lưu thất bại. Số điện thoại chỉ gửi tới "
		"vai trò quản lý và quản trị.",
		"Alerts reach the people who must act without opening the "
		"console. Phone numbers go to managers and admins only."));
	buf_printf(b,
	    "<table class=\"alerts staff\">\n<thead><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n",
	    TR(c, "Người nhận", "Who"), TR(c, "Đơn vị", "Unit"),
	    TR(c, "Sự kiện", "Events"), TR(c, "Cách nhận", "How"));
	for (size_t i = 0; i < n; i++)
		sub_row(c, &u, &v[i]);
	buf_puts(b, "</tbody>\n</table>\n");
	if (n == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Chưa có đăng ký nào.", "No subscriptions yet."));
	free(v);
	email_form(c, &u);
	add_form(c, &u);
	console_end(c);
}

/* The events ticked, "all" when none. */
static void
events_of(const struct form *f, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(kind_codes); i++) {
		char name[32];

		snprintf(name, sizeof(name), "ev_%s", kind_codes[i]);
		if (form_get(f, name) == NULL)
			continue;
		if (out[0] != '\0')
			strlcpy_hl(out + strlen(out), ",", size - strlen(out));
		strlcpy_hl(
		    out + strlen(out), kind_codes[i], size - strlen(out));
	}
	if (out[0] == '\0')
		strlcpy_hl(out, "all", size);
}

static int
do_add(struct ctx *c, const struct console_unit *u, const struct form *f,
    const char *actor, char *err, size_t errlen)
{
	const char *to = form_get(f, "to"), *mode = form_get(f, "mode");
	const char *hour = form_get(f, "hour"), *role = form_get(f, "role");
	struct alert_sub s;
	enum role r = ROLE_VIEWER;
	int64_t h = 7;

	alert_sub_init(&s);
	strlcpy_hl(s.unit, u->code, sizeof(s.unit));
	if (to == NULL || strcmp(to, "me") == 0) {
		strlcpy_hl(s.username, c->who.name, sizeof(s.username));
	} else if (strcmp(to, "email") == 0) {
		const char *e = form_get(f, "email");

		strlcpy_hl(s.email, e ? e : "", sizeof(s.email));
	} else {
		const char *w = form_get(f, "webhook"),
			   *k = form_get(f, "secret");

		strlcpy_hl(s.webhook_url, w ? w : "", sizeof(s.webhook_url));
		strlcpy_hl(
		    s.webhook_secret, k ? k : "", sizeof(s.webhook_secret));
	}
	if (s.username[0] == '\0' && role != NULL) {
		if (role_parse(role, &r) < 0 || (int)r > c->who.role) {
			snprintf(err, errlen, "role");
			return -1;
		}
		strlcpy_hl(s.role, role_name(r), sizeof(s.role));
	}
	events_of(f, s.events, sizeof(s.events));
	if (mode != NULL &&
	    (strcmp(mode, "digest") == 0 || strcmp(mode, "weekly") == 0)) {
		if (hour == NULL ||
		    parse_int64(hour, strlen(hour), 0, 23, &h) < 0) {
			snprintf(err, errlen, "hour");
			return -1;
		}
		strlcpy_hl(s.mode, mode, sizeof(s.mode));
		s.digest_hour = (int)h;
	}
	return alerts_sub_add(ctx_db(c), &s, c->who.unit, actor, err, errlen);
}

void
page_alerts_post(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct buf loc = { 0 };
	const char *action;
	char actor[80], err[512];
	int rc = 0;

	if (console_unit(c, 0, &u) < 0 || console_form(c, &u, &form) < 0)
		return;
	ctx_actor(c, actor, sizeof(actor));
	action = form_get(&form, "action");
	if (action != NULL && strcmp(action, "add") == 0) {
		if (do_add(c, &u, &form, actor, err, sizeof(err)) < 0) {
			console_error(c, &u, 400,
			    "Không thêm được đăng ký; kiểm tra địa chỉ thư, "
			    "webhook (https://, khoá bí mật ít nhất 16 ký tự) "
			    "và giờ.",
			    "The subscription was not added; check the "
			    "address, the webhook (https://, a secret of 16 "
			    "characters or more) and the hour.",
			    err);
			goto out;
		}
	} else if (action != NULL && strcmp(action, "remove") == 0) {
		const char *id_s = form_get(&form, "id");
		int64_t id;

		if (id_s == NULL ||
		    parse_int64(id_s, strlen(id_s), 1, INT64_MAX, &id) < 0 ||
		    (rc = alerts_sub_remove(ctx_db(c), id, u.code, actor)) >
			0) {
			console_error(c, &u, 404,
			    "Không có đăng ký này trong đơn vị.",
			    "No such subscription in this unit.", id_s);
			goto out;
		}
	} else if (action != NULL && strcmp(action, "email") == 0) {
		const char *e = form_get(&form, "email");

		rc = alerts_user_email(ctx_db(c), c->who.name, e ? e : "",
		    actor, err, sizeof(err));
		if (rc != 0) {
			console_error(c, &u, 400, "Địa chỉ thư không hợp lệ.",
			    "That is not an e-mail address.", e);
			goto out;
		}
	} else {
		console_error(c, &u, 400, "Yêu cầu không hợp lệ.",
		    "Bad request.", action);
		goto out;
	}
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	action_url(c, &loc, &u);
	http_redirect(c->req, buf_str(&loc));
out:
	buf_release(&loc);
	form_release(&form);
}
