/* auth.h -- who is calling: one check per kind of credential. */
#ifndef HAILONG_AUTH_H
#define HAILONG_AUTH_H

struct ctx;

/*
 * Run the check the route asks for (route.auth).  0 when the caller may
 * go on, with c->who filled; otherwise the check has answered (401, 403,
 * a redirect to the login page) and the handler must not run.
 */
int auth_check(struct ctx *c);

/*
 * The part of auth_check() that needs only the headers, run before a
 * body is read: an API key, a staff session and its role (the CSRF token
 * of a form is in the body: auth_check() checks it later).  Kiosk
 * signatures cover the body and wait for it.  Same contract.
 */
int auth_check_headers(struct ctx *c);

/*
 * The checks, each in the module that owns its credential:
 *	auth_staff()   session.c  console session cookie (+ CSRF on POST)
 *	auth_apikey()  auth.c     Authorization: Bearer <key>
 *	auth_kiosk()   kioskapi.c the kiosk's HMAC signature headers
 * Same contract as auth_check().  `quiet` asks not to answer on failure
 * (used when trying one kind and then another).
 */
int auth_staff(struct ctx *c, int min_role, int quiet);
/*
 * The CSRF token of a POST whose session auth_check_headers() checked
 * before the body (the token is in the body).  Same contract.
 */
int auth_staff_csrf(struct ctx *c, int quiet);
int auth_apikey(struct ctx *c, int quiet);
int auth_kiosk(struct ctx *c, int quiet);

#endif
