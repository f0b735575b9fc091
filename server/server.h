/* server.h -- the running server: routes, request context, lifecycle. */
#ifndef HAILONG_SERVER_H
#define HAILONG_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/form.h"
#include "hailong/http.h"
#include "config.h"
#include "i18n.h"

struct ctx;
struct db;

typedef void (*route_fn)(struct ctx *c);

/* Who may call a route; checked before the handler runs. */
enum route_auth {
	AUTH_PUBLIC, /* anyone: citizens, the public page */
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
	size_t body_max; /* 0: no body */
};

/* The routes, ending with a zeroed entry (routes.c). */
extern const struct route routes[];

#define CTX_MAX_PARAMS 4

/* Everything a handler needs about its request.  One per request. */
struct ctx {
	struct server *srv;
	struct http_request *req;
	const struct route *route;
	int nparams;
	char *param[CTX_MAX_PARAMS]; /* :name captures, raw */
	struct form query;           /* the decoded query string */
	enum lang lang;
	char client[46]; /* the client (proxies unwrapped) */
	struct db *db;   /* from the pool; see ctx_db() */

	/* a handler that suspends keeps its state here */
	void *state;
	void (*state_free)(void *state);
	void (*resumed)(struct ctx *c);
};

struct server {
	struct config cfg;
	struct http_server *http;
	struct writer *writer;
	struct dbpool *pool;
	struct ratelimit *form_limit;
	struct instrument *instrument;
	char base_url[256];
	int64_t started_at;
	atomic_uint_fast64_t requests, errors;
};

/*
 * Serve cfg until SIGTERM or SIGINT: then stop accepting, let requests
 * in flight finish, store every queued rating, and return 0.  Prints
 * "listening on http://ADDR:PORT" on stdout first.  -1 with a message on
 * stderr when it cannot start.
 */
int server_run(const struct config *cfg);

/*
 * The request's read connection (from the pool, returned at the end of
 * the request).  NULL when the database cannot be opened; the handler
 * then answers 503 with server_unavailable().
 */
struct db *ctx_db(struct ctx *c);
/* The named :param of the route, or NULL. */
const char *ctx_param(struct ctx *c, int i);

/* Answer 503 with Retry-After and the "busy" page. */
void server_unavailable(struct ctx *c);

#endif
