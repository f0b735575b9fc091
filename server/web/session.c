/* session.c -- console sessions: login, cookies, CSRF, idle timeout. */
#include <stdio.h>
#include <string.h>

#include "hailong/cookie.h"
#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/form.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/sessions.h"
#include "core/users.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/jsonapi.h"
#include "web/server.h"
#include "web/session.h"

/* How often last_seen is written: not on every click. */
#define SESSION_TOUCH_SECONDS 30

bool
session_secure(struct ctx *c)
{
	return c->req->tls || str_has_prefix(c->srv->base_url, "https://");
}

static void
set_cookie(struct ctx *c, const char *name, const char *value, const char *path,
    int max_age)
{
	char h[256];

	snprintf(h, sizeof(h), "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s%s",
	    name, value, path, session_secure(c) ? "; Secure" : "",
	    max_age == 0 ? "; Max-Age=0" : "");
	http_set_header(&c->req->resp, "Set-Cookie", h);
}

void
session_set_cookie(struct ctx *c, const char *token)
{
	set_cookie(c, SESSION_COOKIE, token, "/", -1);
}

void
session_clear_cookie(struct ctx *c)
{
	set_cookie(c, SESSION_COOKIE, "", "/", 0);
}

static bool
cookie(struct ctx *c, const char *name, char out[44])
{
	const char *h = http_header(c->req, "Cookie");

	return h != NULL && cookie_get(h, strlen(h), name, out, 44) == 0 &&
	    strlen(out) == 43;
}

bool
session_cookie(struct ctx *c, char token[44])
{
	return cookie(c, SESSION_COOKIE, token);
}

void
session_csrf_field(struct ctx *c, struct buf *b)
{
	buf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
	    c->who.csrf);
}

void
login_csrf_token(struct ctx *c, const char *seed, char out[44])
{
	unsigned char mac[SHA256_LEN];
	char msg[80];

	snprintf(msg, sizeof(msg), "login-csrf.%s", seed);
	hmac_sha256(c->srv->session_key, sizeof(c->srv->session_key), msg,
	    strlen(msg), mac);
	b64url_encode(mac, sizeof(mac), out);
}

void
login_csrf_seed(struct ctx *c, char seed[44])
{
	if (!cookie(c, LOGIN_COOKIE, seed)) {
		random_token(seed);
		set_cookie(c, LOGIN_COOKIE, seed, "/", -1);
	}
}

bool
login_csrf_ok(struct ctx *c, const char *posted)
{
	char seed[44], want[44];

	if (posted == NULL || strlen(posted) != 43 ||
	    !cookie(c, LOGIN_COOKIE, seed))
		return false;
	login_csrf_token(c, seed, want);
	return ct_equal(posted, want, 43);
}

static bool
is_api(struct ctx *c)
{
	return str_has_prefix(c->req->path, "/api/");
}

/* Not logged in: the login page for people, 401 for programs. */
static void
refuse_login(struct ctx *c, bool expired)
{
	struct buf loc = { 0 };

	if (is_api(c)) {
		ctx_json_error(c, 401, "unauthorized",
		    "log in first (session "
		    "cookie) or use an API key");
		return;
	}
	buf_puts(&loc, "/login?next=");
	buf_urlenc(&loc, c->req->path);
	if (expired)
		buf_puts(&loc, "&expired=1");
	if (c->lang == LANG_EN)
		buf_puts(&loc, "&lang=en");
	http_redirect(c->req, buf_str(&loc));
	buf_release(&loc);
}

static void
refuse_role(struct ctx *c)
{
	if (is_api(c))
		ctx_json_error(
		    c, 403, "forbidden", "your role may not do this");
	else
		page_message(c, 403, M_FORBIDDEN_TITLE, M_FORBIDDEN_TEXT);
}

/* The CSRF token a POST carries: header for scripts, field for forms. */
static bool
csrf_ok(struct ctx *c)
{
	const char *h = http_header(c->req, "X-CSRF-Token");
	struct form f;
	const char *v;
	bool ok = false;

	if (h != NULL)
		return strlen(h) == 43 && ct_equal(h, c->who.csrf, 43);
	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0)
		return false;
	v = form_get(&f, "csrf");
	ok = v != NULL && strlen(v) == 43 && ct_equal(v, c->who.csrf, 43);
	form_release(&f);
	return ok;
}

int
auth_staff_csrf(struct ctx *c, int quiet)
{
	if (csrf_ok(c))
		return 0;
	log_kv(LOG_WARN, "csrf", "refused=1 user=%s", c->who.name);
	if (!quiet) {
		if (is_api(c))
			ctx_json_error(
			    c, 403, "csrf", "missing or wrong X-CSRF-Token");
		else
			page_message(c, 403, M_CSRF_TITLE, M_CSRF_TEXT);
	}
	return -1;
}

int
auth_staff(struct ctx *c, int min_role, int quiet)
{
	unsigned char h[SHA256_LEN];
	struct db_stmt *st;
	struct db *db = ctx_db(c);
	char token[44];
	int64_t now = hl_now(), last_seen, sid, created;
	enum role role;
	int rc;

	if (db == NULL) {
		if (!quiet)
			server_unavailable(c);
		return -1;
	}
	if (!session_cookie(c, token)) {
		if (!quiet)
			refuse_login(c, false);
		return -1;
	}
	session_token_hash(token, h);
	st = db_query(db,
	    "SELECT s.id, s.csrf, s.last_seen, u.id, u.username, "
	    "u.unit, u.role, u.must_change, s.created_at FROM sessions s "
	    "JOIN users u ON "
	    "u.id = s.user_id WHERE s.token_hash = ? AND u.active = 1",
	    "b", h, sizeof(h));
	if (st == NULL) {
		if (!quiet)
			server_unavailable(c);
		return -1;
	}
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		if (!quiet) {
			session_clear_cookie(c);
			refuse_login(c, true);
		}
		return -1;
	}
	sid = db_col_int(st, 0);
	strlcpy_hl(c->who.csrf, db_col_text(st, 1), sizeof(c->who.csrf));
	last_seen = db_col_int(st, 2);
	c->who.id = db_col_int(st, 3);
	strlcpy_hl(c->who.name, db_col_text(st, 4), sizeof(c->who.name));
	strlcpy_hl(c->who.unit, db_col_text(st, 5), sizeof(c->who.unit));
	if (role_parse(db_col_text(st, 6), &role) < 0)
		role = ROLE_VIEWER;
	c->who.must_change = db_col_int(st, 7) != 0;
	created = db_col_int(st, 8);
	db_done(st);
	/* idle too long, or alive too long: a stolen cookie does not last */
	if (now - last_seen > SESSION_IDLE_SECONDS ||
	    now - created > SESSION_MAX_SECONDS) {
		db_run(db, "DELETE FROM sessions WHERE id = ?", "l", sid);
		memset(&c->who, 0, sizeof(c->who));
		if (!quiet) {
			session_clear_cookie(c);
			refuse_login(c, true);
		}
		return -1;
	}
	if (now - last_seen >= SESSION_TOUCH_SECONDS)
		db_run(db, "UPDATE sessions SET last_seen = ? WHERE id = ?",
		    "ll", now, sid);
	c->who.kind = PRINCIPAL_USER;
	c->who.role = (int)role;
	if (c->req->method == HTTP_POST && !c->csrf_later &&
	    auth_staff_csrf(c, quiet) < 0)
		return -1;
	/* a new password first, before anything else */
	if (c->who.must_change &&
	    strcmp(c->req->path, "/account/password") != 0 &&
	    strcmp(c->req->path, "/logout") != 0) {
		if (!quiet) {
			if (is_api(c))
				ctx_json_error(c, 403, "password_change",
				    "change the one-time password first");
			else
				http_redirect(c->req, "/account/password");
		}
		return -1;
	}
	if ((int)role < min_role) {
		if (!quiet)
			refuse_role(c);
		return -1;
	}
	return 0;
}
