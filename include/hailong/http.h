/* http.h -- the one door to libmicrohttpd: a server, requests, responses. */
#ifndef HAILONG_HTTP_H
#define HAILONG_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_DELETE = 1 << 4,
	HTTP_OTHER = 1 << 5,
};

#define HTTP_MAX_EXTRA_HEADERS 8

struct http_response {
	int status;               /* 0 until someone answers */
	const char *content_type; /* static string */
	struct buf body;          /* owned; handed to MHD at send */
	const void *static_body;  /* or: data that outlives the server */
	size_t static_len;
	const char *cache; /* Cache-Control; default no-store */
	const char *csp;   /* overrides the server's default CSP */
	int nheaders;
	char *headers[HTTP_MAX_EXTRA_HEADERS][2]; /* owned copies */
};

/*
 * One request, from its headers to the end of its response.  The adapter
 * owns it; handlers read the fields and fill `resp`.  Strings are
 * NUL-terminated and valid for the request's life.
 */
struct http_request {
	enum http_method method;
	const char *method_str;
	char *path;             /* raw path, no query, not percent-decoded */
	char *query;            /* raw query after '?', "" when none */
	char client_ip[46];     /* the peer's address */
	struct buf body;        /* the whole body once handle() is called */
	size_t body_max;        /* set by begin(); default 0: no body */
	int64_t content_length; /* the header's, -1 when none (chunked) */
	struct http_response resp;
	int64_t start_ns;  /* CLOCK_MONOTONIC at the first byte */
	const void *route; /* the application's, set in begin() */
	void *app;         /* per-request state of the application */
	bool tls;          /* arrived over TLS */

	/* adapter's own */
	void *conn;
	size_t reserved; /* bytes of the server's body budget held */
	bool handled, suspended, early;
};

/*
 * What the application supplies.  begin() runs when the headers are in:
 * it picks the route, sets body_max, and may answer at once by setting
 * resp.status (the body is then not buffered: a small one is read and
 * dropped so that the connection lives on, a larger one is not read and
 * the connection closes).  Before begin(), a request whose framing is
 * ambiguous (two Content-Length headers, or Content-Length with
 * Transfer-Encoding) is answered 400 and closed.  A body that would take
 * the bodies buffered by all connections past cfg.body_budget is
 * answered 503, as is one over the query's size or parameter count 414.  handle() runs with the whole
 * body: it fills resp, or calls http_suspend() and makes sure someone
 * calls http_resume() later; resume() then runs on an HTTP thread to
 * fill resp (so the thread that resumed does no rendering).  finish()
 * runs once per request after the response went out or the connection
 * died (log it, free `app`).
 */
struct http_handlers {
	void (*begin)(struct http_request *req, void *arg);
	void (*handle)(struct http_request *req, void *arg);
	void (*resume)(struct http_request *req, void *arg);
	void (*finish)(struct http_request *req, void *arg);
	void *arg;
};

struct http_config {
	char addr[64];         /* numeric IPv4 or IPv6 address */
	unsigned short port;   /* 0: any free port */
	unsigned threads;      /* event-loop threads (0: 2) */
	unsigned conn_limit;   /* all connections (0: 1024) */
	unsigned per_ip_limit; /* connections per client address (0: off) */
	unsigned timeout_s;    /* idle connection timeout (0: 30) */
	size_t conn_memory;    /* per-connection header memory (0: 32 KiB) */
	size_t body_budget;    /* bytes of bodies buffered at once (0: any) */
	const char *tls_cert;  /* PEM text, or NULL for plain HTTP */
	const char *tls_key;
	/* headers added to every response: {name, value}, NULL-terminated */
	const char *const (*default_headers)[2];
	const char *default_csp; /* Content-Security-Policy */
};

struct http_server;

/*
 * The headers every page of ours sends (default_headers; the CSP is
 * separate: pages may tighten it): nosniff, no referrer, no framing,
 * same-origin opener and resources, no camera, microphone or location.
 * The _tls table adds Strict-Transport-Security, for HTTPS only.
 */
extern const char *const http_security_headers[][2];
extern const char *const http_security_headers_tls[][2];

/*
 * Parse "ADDR:PORT" or "[ADDR]:PORT" into cfg->addr and cfg->port.
 * 0 or -1.
 */
int http_parse_listen(const char *s, struct http_config *cfg);
/* Whether the installed libmicrohttpd can serve HTTPS. */
bool http_tls_supported(void);

/* Start serving on background threads.  NULL with err filled. */
struct http_server *http_start(const struct http_config *cfg,
    const struct http_handlers *h, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned short http_port(struct http_server *s);
/* Refuse new connections (closed at once); those open carry on. */
void http_quiesce(struct http_server *s);
/* Open connections right now. */
unsigned http_connections(struct http_server *s);
/* Close everything and free; accepts NULL.  No request may be suspended. */
void http_stop(struct http_server *s);

/* Request side. */
const char *http_header(struct http_request *req, const char *name);
/* Park the request until http_resume(); call from handle() only. */
void http_suspend(struct http_request *req);
/* From any thread, once resp is filled. */
void http_resume(struct http_request *req);

/* Response side: small helpers that fill req->resp. */
void
http_set_header(struct http_response *r, const char *name, const char *value);
/* status + a plain-text body (UTF-8). */
void http_text(struct http_request *req, int status, const char *text);
/* status + the given content type; body filled by the caller. */
void
http_begin_body(struct http_request *req, int status, const char *content_type);
/* 303 See Other to `location`. */
void http_redirect(struct http_request *req, const char *location);

#endif
