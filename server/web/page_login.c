/* page_login.c -- logging in and out, and changing one's password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/ratelimit.h"
#include "core/users.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * A valid scrypt hash of a random password nobody knows: an unknown
 * username costs the same scrypt work as a known one, so timing does not
 * tell which usernames exist.
 */
static const char dummy_hash[] = "scrypt$15$8$1$hDMAJBjlv1Zeew6sQ-9VLg$"
				 "uatrXQuXHP9Vn5W7GtbRHhu6-Q01VWV5MyHMLNAXrwI";

/* Where to go after logging in: only our own console pages. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || strncmp(next, "/admin", 6) != 0 ||
	    strstr(next, "//") != NULL || strchr(next, '\\') != NULL ||
	    strlen(next) > 200)
		return "/admin";
	for (const char *p = next; *p != '\0'; p++)
		if ((unsigned char)*p < 0x21 || *p == '"' || *p == '<' ||
		    *p == '>')
			return "/admin";
	return next;
}

static void
field(struct buf *b, const char *id, const char *type, enum msg label,
    enum lang lang, const char *value, const char *autocomplete)
{
	buf_printf(b, "<div class=\"field\">\n<label for=\"%s\">", id);
	buf_html(b, tr(lang, label));
	buf_printf(b,
	    "</label>\n<input type=\"%s\" name=\"%s\" id=\"%s\" "
	    "autocomplete=\"%s\" required value=\"",
	    type, id, id, autocomplete);
	buf_html(b, value != NULL ? value : "");
	buf_puts(b, "\">\n</div>\n");
}

static void
render_login(struct ctx *c, int status, enum msg error, const char *username)
{
	struct buf *b;
	char seed[44], csrf[44];
	const char *next = safe_next(form_get(&c->query, "next"));

	/* the cookie goes on this answer: set it after the body began */
	http_begin_body(c->req, status, "text/html; charset=utf-8");
	login_csrf_seed(c, seed);
	login_csrf_token(c, seed, csrf);
	b = &c->req->resp.body;
	html_begin(b, c->lang, tr(c->lang, M_LOGIN_TITLE), "/static/form.css");
	buf_puts(b,
	    "<main class=\"card login\">\n<header>\n<p class=\"lang\">"
	    "<a href=\"/login?lang=");
	buf_puts(b, c->lang == LANG_EN ? "vi" : "en");
	buf_puts(b, "\">");
	buf_html(b, tr(c->lang, M_LANG_SWITCH));
	buf_puts(b, "</a></p>\n<p class=\"unit\">hailong</p>\n<h1>");
	buf_html(b, tr(c->lang, M_LOGIN_TITLE));
	buf_puts(b, "</h1>\n</header>\n");
	if (error != M_COUNT) {
		buf_puts(b, "<p class=\"alert\" role=\"alert\">");
		buf_html(b, tr(c->lang, error));
		buf_puts(b, "</p>\n");
	}
	buf_printf(b,
	    "<form method=\"post\" action=\"/login%s\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"next\" value=\"",
	    c->lang == LANG_EN ? "?lang=en" : "", csrf);
	buf_html(b, next);
	buf_puts(b, "\">\n");
	field(b, "username", "text", M_USERNAME, c->lang, username, "username");
	field(b, "password", "password", M_PASSWORD, c->lang, NULL,
	    "current-password");
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, tr(c->lang, M_LOGIN));
	buf_puts(b, "</button>\n</form>\n</main>\n");
	html_end(b);
}

void
page_login_get(struct ctx *c)
{
	const char *expired = form_get(&c->query, "expired");

	if (auth_staff(c, ROLE_VIEWER, 1) == 0) {
		http_redirect(c->req, "/admin");
		return;
	}
	render_login(c, 200, expired != NULL ? M_LOGIN_EXPIRED : M_COUNT, NULL);
}

struct login_user {
	int64_t id;
	char password[160];
	bool must_change;
};

/* 0 found, 1 no such active user, -1 error. */
static int
find_user(struct db *db, const char *username, struct login_user *u)
{
	struct db_stmt *st = db_query(db,
	    "SELECT id, password, must_change FROM users "
	    "WHERE username = ? AND active = 1",
	    "t", username);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		strlcpy_hl(
		    u->password, db_col_text(st, 1), sizeof(u->password));
		u->must_change = db_col_int(st, 2) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/*
 * An audit entry of a login.  An unknown name is not written down (it
 * may be a password typed in the wrong field): the target is empty.
 */
static void
audit_login(struct db *db, const char *actor, const char *action,
    const char *username, const char *client)
{
	json_t *doc = json_pack("{s:s}", "client", client);
	char *detail = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;

	/* JSON-encoded: nothing a client sends can add a field */
	audit_append(db, actor, action, username, detail ? detail : "{}");
	free(detail);
	json_decref(doc);
}

/*
 * The lockout's keys: a username from one address, and a username from
 * anywhere.  Hashed, so that any name fits the table's key and the
 * table holds no typed text.
 */
static void
lock_keys(
    const char *username, const char *client, char pair[33], char name[33])
{
	unsigned char h[SHA256_LEN];
	struct buf b = { 0 };

	buf_printf(&b, "%s%c%s", client, 0x1f, username);
	sha256(buf_str(&b), b.len, h);
	hex_encode(h, 16, pair);
	sha256(username, strlen(username), h);
	hex_encode(h, 16, name);
	buf_release(&b);
}

bool
login_name_resting(struct ctx *c, const char *username)
{
	char pair[33], name[33];

	lock_keys(username, "", pair, name);
	return !ratelimit_check(c->srv->login_fail_name, name, hl_now(), NULL);
}

void
login_name_unrest(struct ctx *c, const char *username)
{
	char pair[33], name[33];

	lock_keys(username, "", pair, name);
	ratelimit_clear(c->srv->login_fail_name, name);
}

/* Whether the name rests, from this address or from everywhere. */
static bool
is_locked(struct ctx *c, const char *pair, const char *name, int64_t now)
{
	return !ratelimit_check(c->srv->login_fail, pair, now, NULL) ||
	    !ratelimit_check(c->srv->login_fail_name, name, now, NULL);
}

void
page_login_post(struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct form f;
	struct login_user u;
	const char *username, *password;
	char key[80], token[44], actor[80], old[44], pair[33], name[33];
	int64_t now = hl_now();
	unsigned retry;
	bool ok, known;
	int rc;

	if (db == NULL) {
		server_unavailable(c);
		return;
	}
	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
		render_login(c, 400, M_ERR_FORM, NULL);
		return;
	}
	username = form_get(&f, "username");
	password = form_get(&f, "password");
	if (!login_csrf_ok(c, form_get(&f, "csrf"))) {
		render_login(c, 403, M_CSRF_TEXT, NULL);
		goto out;
	}
	snprintf(key, sizeof(key), "login:%s", c->client);
	/* failures count (below); a client over the limit tries no more */
	if (!ratelimit_check(c->srv->login_limit, key, now, &retry)) {
		render_login(c, 429, M_LOGIN_RATE, NULL);
		goto out;
	}
	if (username == NULL || password == NULL ||
	    !username_is_valid(username) || strlen(password) > PASSWORD_MAX) {
		ratelimit_hit(c->srv->login_limit, key, now, NULL);
		password_verify("x", dummy_hash);
		render_login(c, 401, M_LOGIN_FAILED, NULL);
		goto out;
	}
	rc = find_user(db, username, &u);
	if (rc < 0) {
		server_unavailable(c);
		goto out;
	}
	known = rc == 0;
	/*
	 * The lockout lives in memory and is the same for every name, real
	 * or not, so that its answers do not tell which accounts exist; it
	 * rests a name from one address (a stranger elsewhere cannot lock
	 * an officer out), and from everywhere only past a global count.
	 */
	lock_keys(username, c->client, pair, name);
	if (is_locked(c, pair, name, now)) {
		ratelimit_hit(c->srv->login_limit, key, now, NULL);
		password_verify(password, dummy_hash);
		audit_login(db, "public", "login.locked", known ? username : "",
		    c->client);
		render_login(c, 403, M_LOGIN_LOCKED, username);
		goto out;
	}
	ok =
	    password_verify(password, known ? u.password : dummy_hash) && known;
	if (!ok) {
		bool now_locked;

		ratelimit_hit(c->srv->login_limit, key, now, NULL);
		ratelimit_hit(c->srv->login_fail, pair, now, NULL);
		ratelimit_hit(c->srv->login_fail_name, name, now, NULL);
		now_locked = is_locked(c, pair, name, now);
		audit_login(db, "public",
		    now_locked ? "login.lock" : "login.failed",
		    known ? username : "", c->client);
		render_login(c, 401,
		    now_locked ? M_LOGIN_LOCKED : M_LOGIN_FAILED, username);
		goto out;
	}
	ratelimit_clear(c->srv->login_fail, pair);
	/* a fresh session: whatever session this browser had is ended */
	if (session_cookie(c, old))
		session_destroy(db, old);
	if (session_create(db, u.id, c->client, token) < 0) {
		server_unavailable(c);
		goto out;
	}
	snprintf(actor, sizeof(actor), "user:%s", username);
	audit_login(db, actor, "login", username, c->client);
	log_kv(LOG_INFO, "login", "user=%s", username);
	http_redirect(c->req,
	    u.must_change ? "/account/password"
			  : safe_next(form_get(&f, "next")));
	session_set_cookie(c, token);
out:
	form_release(&f);
}

void
page_logout(struct ctx *c)
{
	struct db *db = ctx_db(c);
	char token[44], actor[80];

	if (session_cookie(c, token))
		session_destroy(db, token);
	ctx_actor(c, actor, sizeof(actor));
	audit_append(db, actor, "logout", c->who.name, "");
	http_redirect(c->req, c->lang == LANG_EN ? "/login?lang=en" : "/login");
	session_clear_cookie(c);
}

static void
render_password(struct ctx *c, int status, enum msg error)
{
	struct buf *b = &c->req->resp.body;

	http_begin_body(c->req, status, "text/html; charset=utf-8");
	html_begin(b, c->lang, tr(c->lang, M_PW_TITLE), "/static/form.css");
	buf_puts(
	    b, "<main class=\"card login\">\n<header>\n<p class=\"unit\">");
	buf_html(b, c->who.name);
	buf_puts(b, "</p>\n<h1>");
	buf_html(b, tr(c->lang, M_PW_TITLE));
	buf_puts(b, "</h1>\n</header>\n");
	if (error != M_COUNT || c->who.must_change) {
		buf_puts(b, "<p class=\"alert\" role=\"alert\">");
		buf_html(b,
		    tr(c->lang, error != M_COUNT ? error : M_PW_MUST_CHANGE));
		buf_puts(b, "</p>\n");
	}
	buf_printf(b, "<form method=\"post\" action=\"/account/password%s\">\n",
	    c->lang == LANG_EN ? "?lang=en" : "");
	session_csrf_field(c, b);
	field(b, "current", "password", M_PW_CURRENT, c->lang, NULL,
	    "current-password");
	field(b, "new", "password", M_PW_NEW, c->lang, NULL, "new-password");
	field(b, "confirm", "password", M_PW_CONFIRM, c->lang, NULL,
	    "new-password");
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, tr(c->lang, M_PW_SAVE));
	buf_puts(b, "</button>\n</form>\n</main>\n");
	html_end(b);
}

void
page_password_get(struct ctx *c)
{
	render_password(c, 200, M_COUNT);
}

void
page_password_post(struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct form f;
	struct login_user u;
	const char *cur, *nw, *confirm;
	char token[44], actor[80], *hash = NULL, pair[33], name[33];
	int64_t now = hl_now();

	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
		render_password(c, 400, M_ERR_FORM);
		return;
	}
	cur = form_get(&f, "current");
	nw = form_get(&f, "new");
	confirm = form_get(&f, "confirm");
	if (find_user(db, c->who.name, &u) != 0) {
		server_unavailable(c);
		goto out;
	}
	/*
	 * Guessing the current password with a session (a browser left
	 * open) has the budget of the login form, and uses it up there.
	 */
	lock_keys(c->who.name, c->client, pair, name);
	if (is_locked(c, pair, name, now)) {
		render_password(c, 429, M_PW_RATE);
		goto out;
	}
	if (cur == NULL || strlen(cur) > PASSWORD_MAX ||
	    !password_verify(cur, u.password)) {
		ratelimit_hit(c->srv->login_fail, pair, now, NULL);
		ratelimit_hit(c->srv->login_fail_name, name, now, NULL);
		render_password(c, 400, M_PW_WRONG);
		goto out;
	}
	if (nw == NULL || password_problem(c->who.name, nw) != NULL ||
	    strcmp(nw, cur) == 0) {
		render_password(c, 400, M_PW_WEAK);
		goto out;
	}
	if (confirm == NULL || strcmp(nw, confirm) != 0) {
		render_password(c, 400, M_PW_MISMATCH);
		goto out;
	}
	hash = password_hash(nw);
	/* every other session of this user ends; this one is renewed */
	if (hash == NULL || db_begin(db) < 0 ||
	    db_run(db,
		"UPDATE users SET password = ?, must_change = 0 "
		"WHERE id = ?",
		"tl", hash, u.id) < 0 ||
	    session_destroy_user(db, u.id) < 0 ||
	    session_create(db, u.id, c->client, token) < 0) {
		db_rollback(db);
		server_unavailable(c);
		goto out;
	}
	ctx_actor(c, actor, sizeof(actor));
	if (audit_append(db, actor, "password.change", c->who.name, "") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		server_unavailable(c);
		goto out;
	}
	http_redirect(c->req, "/admin");
	session_set_cookie(c, token);
out:
	free(hash);
	form_release(&f);
}
