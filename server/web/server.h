/* server.h -- the running server: routes, request context, lifecycle. */
#ifndef HAILONG_SERVER_H
#define HAILONG_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/form.h"
#include "hailong/http.h"
#include "core/config.h"
#include "core/i18n.h"

struct ctx;
struct db;

typedef void (*route_fn)(struct ctx *c);

/*
 * Who may call a route; checked before the handler runs, by the module
 * that owns each kind of credential (see auth.h).
 */
enum route_auth {
	AUTH_PUBLIC,          /* anyone: citizens, the public page */
	AUTH_STAFF,           /* a console session with at least route.role */
	AUTH_APIKEY,          /* Authorization: Bearer <API key> */
	AUTH_KIOSK,           /* a request signed by an enrolled kiosk */
	AUTH_STAFF_OR_APIKEY, /* either of the two */
};

/* Who is calling, once authenticated. */
enum principal_kind {
	PRINCIPAL_NONE,
	PRINCIPAL_USER,
	PRINCIPAL_APIKEY,
	PRINCIPAL_KIOSK,
};

struct principal {
	enum principal_kind kind;
	int64_t id;       /* users.id, api_keys.id or kiosks.id */
	char name[64];    /* username, key label or kiosk id */
	char unit[41];    /* sees this unit and its subordinates */
	int role;         /* enum role (users.h), users only */
	unsigned scopes;  /* API keys: APIKEY_SCOPE_* bits (apikey.h) */
	int counter;      /* kiosks: their counter */
	char officer[33]; /* kiosks: the officer, if registered */
	char csrf[44];    /* users: the session's CSRF token */
	bool must_change; /* users: a new password is due */
};

/*
 * One line of the API.  Patterns are literal segments and ":name"
 * segments, each matching one non-empty segment; a pattern ending in
 * ".ext" after a ":name" matches that suffix ("/qr/:token.svg").
 */
struct route {
	unsigned methods; /* HTTP_GET | HTTP_POST ... (GET implies HEAD) */
	const char *pattern;
	route_fn fn;
	enum route_auth auth;
	int role;        /* AUTH_STAFF: the least enum role */
	size_t body_max; /* 0: no body */
	unsigned scope;  /* an API key: the APIKEY_SCOPE_* bit it needs */
};

/* The routes, ending with a zeroed entry (routes.c). */
extern const struct route routes[];

#define CTX_MAX_PARAMS 4

/* Does path match a route pattern?  Captures (malloc'd, at most
 * CTX_MAX_PARAMS) go to params, *n of them; none when it does not. */
bool route_match(const char *pattern, const char *path, char **params, int *n);

/* Everything a handler needs about its request.  One per request. */
struct ctx {
	struct server *srv;
	struct http_request *req;
	const struct route *route;
	int nparams;
	char *param[CTX_MAX_PARAMS]; /* :name captures, raw */
	struct form query;           /* the decoded query string */
	enum lang lang;
	char client[46];      /* the client (proxies unwrapped) */
	struct principal who; /* set by the route's auth check */
	struct db *db;        /* the thread's connection; see ctx_db() */
	bool csrf_later;      /* auth_staff(): the body is not in yet */

	/* a handler that suspends keeps its state here */
	void *state;
	void (*state_free)(void *state);
	void (*resumed)(struct ctx *c);
};

/*
 * A page's words, Vietnamese first: the English one when the page is
 * English (?lang=en).  Both are static UTF-8.  Pages keep their words
 * beside their markup; i18n.c's tr() holds only the messages the
 * citizen's form and the shared frames use.
 */
#define TR(c, vi, en) ((c)->lang == LANG_EN ? (en) : (vi))

struct server {
	struct config cfg;
	struct http_server *http;
	struct writer *writer;
	struct dbpool *pool;
	/* per client address, or per API key (config.h) */
	struct ratelimit *form_limit;
	struct ratelimit *login_limit;     /* login attempts */
	struct ratelimit *enrol_limit;     /* kiosk enrolments */
	struct ratelimit *apikey_failures; /* failed API key attempts */
	struct ratelimit *submit_limit;    /* report submissions per key */
	struct ratelimit *login_fail;      /* failures per username, client */
	struct ratelimit *login_fail_name; /* failures per username */
	unsigned char session_key[32]; /* MACs the login form's CSRF token */
	/* the questionnaire's versions (instrument.h): the one in force */
	struct instrument_cache *instruments;
	char base_url[256];
	int64_t started_at;
	atomic_uint_fast64_t requests, errors;
	struct monitor *monitor; /* counters for GET /metrics */
	struct dblock *lock;     /* the database file, held shared */
};

/*
 * Serve cfg until SIGTERM or SIGINT: then stop accepting, let requests
 * in flight finish, store every queued rating, and return 0.  Prints
 * "listening on http://ADDR:PORT" on stdout first.  -1 with a message on
 * stderr when it cannot start.
 */
int server_run(const struct config *cfg);

/*
 * The database connection of the thread running the handler (see
 * dbpool.h).  Use it only while the handler runs: after http_suspend()
 * the request may resume on the same thread, but must call ctx_db()
 * again rather than keep a pointer.  NULL when the database cannot be
 * opened; answer 503 with server_unavailable().
 */
struct db *ctx_db(struct ctx *c);
/* The named :param of the route, or NULL. */
const char *ctx_param(struct ctx *c, int i);

/* Answer 503 with Retry-After and the "busy" page. */
void server_unavailable(struct ctx *c);

/*
 * Whether the caller may see `unit`: it is the caller's unit or below it.
 * A unit outside the scope must be answered 404, never 403, so that the
 * answer does not tell which units exist.
 */
bool ctx_sees_unit(struct ctx *c, const char *unit);

/* "user:lan", "apikey:3", "kiosk:<id>", "public": the audit log's actor. */
void ctx_actor(struct ctx *c, char *out, size_t size);

#endif
