/* auth.c -- who is calling: dispatch to the check the route names. */
#include "auth.h"
#include "server.h"

int
auth_check(struct ctx *c)
{
	switch (c->route->auth) {
	case AUTH_PUBLIC: return 0;
	case AUTH_STAFF: return auth_staff(c, c->route->role, 0);
	case AUTH_APIKEY: return auth_apikey(c, 0);
	case AUTH_KIOSK: return auth_kiosk(c, 0);
	case AUTH_STAFF_OR_APIKEY:
		/* a script with a key, or staff in the browser */
		if (http_header(c->req, "Authorization") != NULL)
			return auth_apikey(c, 0);
		return auth_staff(c, c->route->role, 0);
	}
	http_text(c->req, 500, "route without an auth kind\n");
	return -1;
}

int
auth_check_headers(struct ctx *c)
{
	int rc;

	switch (c->route->auth) {
	case AUTH_PUBLIC:
	case AUTH_KIOSK: /* the signature covers the body: after it */ return 0;
	case AUTH_APIKEY: return auth_apikey(c, 0);
	case AUTH_STAFF_OR_APIKEY:
		if (http_header(c->req, "Authorization") != NULL)
			return auth_apikey(c, 0);
		break;
	case AUTH_STAFF: break;
	}
	/* the session now; its CSRF token, in the body, after it */
	c->csrf_later = true;
	rc = auth_staff(c, c->route->role, 0);
	c->csrf_later = false;
	return rc;
}
