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
