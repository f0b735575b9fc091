/* auth.c -- who is calling: dispatch to the check the route names. */
#include "apikey.h"
#include "auth.h"
#include "jsonapi.h"
#include "server.h"

/* An API key, then the scope the route needs (a read-only key, say). */
static int
auth_apikey_scoped(struct ctx *c)
{
	if (auth_apikey(c, 0) < 0)
		return -1;
	if ((c->who.scopes & c->route->scope) != c->route->scope) {
		char have[64];

		apikey_scopes_format(c->who.scopes, have, sizeof(have));
		ctx_json_error(c, 403, "insufficient_scope",
		    "this API key may not %s (its scopes: %s); make a key "
		    "with 'hailong apikey add --scope %s' or widen it with "
		    "'hailong apikey scope'",
		    apikey_scope_what(c->route->scope), have,
		    apikey_scope_name(c->route->scope));
		return -1;
	}
	return 0;
}

int
auth_check(struct ctx *c)
{
	switch (c->route->auth) {
	case AUTH_PUBLIC: return 0;
	case AUTH_STAFF: return auth_staff(c, c->route->role, 0);
	case AUTH_APIKEY: return auth_apikey_scoped(c);
	case AUTH_KIOSK: return auth_kiosk(c, 0);
	case AUTH_STAFF_OR_APIKEY:
		/* a script with a key, or staff in the browser */
		if (http_header(c->req, "Authorization") != NULL)
			return auth_apikey_scoped(c);
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
	case AUTH_APIKEY: return auth_apikey_scoped(c);
	case AUTH_STAFF_OR_APIKEY:
		if (http_header(c->req, "Authorization") != NULL)
			return auth_apikey_scoped(c);
		break;
	case AUTH_STAFF: break;
	}
	/* the session now; its CSRF token, in the body, after it */
	c->csrf_later = true;
	rc = auth_staff(c, c->route->role, 0);
	c->csrf_later = false;
	return rc;
}
