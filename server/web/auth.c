/* auth.c -- who is calling: dispatch to the check the route names. */
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/util.h"
#include "core/apikey.h"
#include "core/ratelimit.h"
#include "web/auth.h"
#include "web/jsonapi.h"
#include "web/server.h"

/*
 * Authorization: Bearer <key>.  Failed attempts are limited per client
 * address (apikey_failure_limit per APIKEY_FAILURE_WINDOW seconds).
 */
int
auth_apikey(struct ctx *c, int quiet)
{
	const char *h = http_header(c->req, "Authorization");
	char rlkey[64];
	unsigned retry = 0;
	struct apikey k;
	struct db *db;
	int rc;

	/*
	 * Every attempt counts and a success clears the count, so only a
	 * run of failures reaches the limit; past it even a good key waits.
	 */
	snprintf(rlkey, sizeof(rlkey), "apikey:%s", c->client);
	if (!ratelimit_hit(c->srv->apikey_failures, rlkey, hl_now(), &retry)) {
		char ra[16];

		ctx_json_error(c, 429, "too_many_requests",
		    "too many failed API key attempts from this address; "
		    "retry in %u s",
		    retry ? retry : 1);
		snprintf(ra, sizeof(ra), "%u", retry ? retry : 1);
		http_set_header(&c->req->resp, "Retry-After", ra);
		return -1;
	}
	if (h != NULL && strncmp(h, "Bearer ", 7) == 0) {
		const char *key = h + 7;

		while (*key == ' ')
			key++;
		db = ctx_db(c);
		if (db == NULL) {
			ctx_json_error(c, 503, "unavailable",
			    "the database is not available; retry later");
			return -1;
		}
		rc = apikey_lookup(db, key, strlen(key), &k);
		if (rc < 0) {
			ctx_json_error(c, 503, "unavailable",
			    "the database is not available; retry later");
			return -1;
		}
		if (rc == 0) {
			ratelimit_clear(c->srv->apikey_failures, rlkey);
			memset(&c->who, 0, sizeof(c->who));
			c->who.kind = PRINCIPAL_APIKEY;
			c->who.id = k.id;
			snprintf(c->who.name, sizeof(c->who.name), "%lld",
			    (long long)k.id);
			strlcpy_hl(c->who.unit, k.unit, sizeof(c->who.unit));
			c->who.scopes = k.scopes;
			return 0;
		}
	}
	memset(&c->who, 0, sizeof(c->who));
	if (!quiet) {
		ctx_json_error(c, 401, "unauthorized",
		    "a valid API key is required: Authorization: Bearer "
		    "<key>");
		http_set_header(&c->req->resp, "WWW-Authenticate", "Bearer");
	}
	return -1;
}

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
	int rc = -1;

	switch (c->route->auth) {
	case AUTH_PUBLIC:
	case AUTH_KIOSK: /* the signature covers the body: after it */ return 0;
	case AUTH_APIKEY: rc = auth_apikey_scoped(c); break;
	case AUTH_STAFF_OR_APIKEY:
		if (http_header(c->req, "Authorization") != NULL) {
			rc = auth_apikey_scoped(c);
			break;
		}
		/* FALLTHROUGH */
	case AUTH_STAFF:
		/* the session now; its CSRF token, in the body, after it */
		c->csrf_later = true;
		rc = auth_staff(c, c->route->role, 0);
		c->csrf_later = false;
		break;
	}
	/* refused: nobody is left for on_handle() to trust */
	if (rc != 0)
		memset(&c->who, 0, sizeof(c->who));
	return rc;
}
