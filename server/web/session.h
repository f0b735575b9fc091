/* session.h -- console sessions: login, cookies, CSRF, idle timeout. */
#ifndef HAILONG_SESSION_H
#define HAILONG_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"
#include "core/sessions.h"

struct ctx;
struct db;

#define SESSION_COOKIE "hl_session"
#define SESSION_IDLE_SECONDS ((int64_t)30 * 60)
/* however busy: a working day, then log in again */
#define SESSION_MAX_SECONDS ((int64_t)12 * 3600)
#define LOGIN_COOKIE "hl_login" /* the login form's CSRF seed */
#define LOGIN_LOCK_SECONDS ((int64_t)15 * 60)

/*
 * auth_staff() (auth.h) reads the session cookie, checks the session is
 * live (30 minutes idle at most) and the user active, that the user's
 * role reaches the route's, that a new password is not due, and on every
 * POST that the request carries the session's CSRF token (form field
 * "csrf" or header X-CSRF-Token).  It fills c->who.
 */

/* Set-Cookie headers for the session, and to forget it. */
void session_set_cookie(struct ctx *c, const char *token);
void session_clear_cookie(struct ctx *c);

/* The session cookie's value, or false. */
bool session_cookie(struct ctx *c, char token[44]);

/* A hidden input with the session's CSRF token, for every form. */
void session_csrf_field(struct ctx *c, struct buf *b);

/*
 * The login form's CSRF token: HMAC of the LOGIN_COOKIE seed under the
 * server's session key.  login_csrf_seed() makes a seed and sets the
 * cookie; login_csrf_ok() checks a posted token against the cookie.
 */
void login_csrf_token(struct ctx *c, const char *seed, char out[44]);
void login_csrf_seed(struct ctx *c, char seed[44]);
bool login_csrf_ok(struct ctx *c, const char *posted);

/*
 * The login lockout (page_login.c) as the users page sees it: whether
 * `username` rests from every address (login_failures_global failures),
 * and clearing that, as a password reset does.  A pair of name and
 * address that rests goes on resting its 15 minutes.
 */
bool login_name_resting(struct ctx *c, const char *username);
void login_name_unrest(struct ctx *c, const char *username);

/* Whether cookies must carry Secure (HTTPS here or at the proxy). */
bool session_secure(struct ctx *c);

#endif
