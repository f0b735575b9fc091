/* http.c -- the one door to libmicrohttpd: a server, requests, responses. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/log.h"
#include "hailong/util.h"

struct http_server {
	struct MHD_Daemon *d;
	struct http_handlers h;
	struct http_config cfg;
	unsigned short port;
	atomic_bool closing;      /* http_quiesce(): new connections refused */
	atomic_size_t body_bytes; /* of cfg.body_budget, held by requests */
};

/*
 * Stopping refuses new connections here, at accept, rather than with
 * MHD_quiesce_daemon(): on an epoll daemon with its own threads that
 * races with the threads' own removal of the listening socket from their
 * epoll sets, and libmicrohttpd 0.9.75 aborts the process when it loses
 * ("Failed to remove listen FD from epoll set", seen at SIGTERM just after
 * a burst of requests).  A connection that arrives while the server stops
 * is closed at once, which clients take as they take a refused one.
 */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct http_server *s = cls;

	(void)addr;
	(void)addrlen;
	return atomic_load(&s->closing) ? MHD_NO : MHD_YES;
}

/*
 * A body refused by begin() up to this size is read and dropped, so that
 * the answer reaches the client and the connection lives on; a larger
 * one is left unread and the connection closes after the answer.
 */
#define DRAIN_MAX ((uint64_t)64 * 1024)
/* GnuTLS priorities of HTTPS served by libmicrohttpd itself. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
/* A chunked body is charged to the budget in steps of this much. */
#define BUDGET_STEP ((size_t)64 * 1024)

/* clang-format off */
#define SECURITY_HEADERS \
	{ "X-Content-Type-Options", "nosniff" }, \
	{ "Referrer-Policy", "no-referrer" }, \
	{ "X-Frame-Options", "DENY" }, \
	{ "Cross-Origin-Opener-Policy", "same-origin" }, \
	{ "Cross-Origin-Resource-Policy", "same-origin" }, \
	{ "Permissions-Policy", "camera=(), microphone=(), geolocation=()" }
/* clang-format on */

const char *const http_security_headers[][2] = {
	SECURITY_HEADERS,
	{ NULL, NULL },
};
const char *const http_security_headers_tls[][2] = {
	SECURITY_HEADERS,
	{ "Strict-Transport-Security", "max-age=31536000" },
	{ NULL, NULL },
};

int
http_parse_listen(const char *s, struct http_config *cfg)
{
	const char *colon;
	size_t alen;
	int64_t port;
	unsigned char tmp[16];

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':')
			return -1;
		alen = (size_t)(end - s - 1);
		s++;
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		alen = (size_t)(colon - s);
	}
	if (alen == 0 || alen >= sizeof(cfg->addr))
		return -1;
	memcpy(cfg->addr, s, alen);
	cfg->addr[alen] = '\0';
	if (inet_pton(AF_INET, cfg->addr, tmp) != 1 &&
	    inet_pton(AF_INET6, cfg->addr, tmp) != 1)
		return -1;
	if (parse_int64(colon + 1, strlen(colon + 1), 0, 65535, &port) < 0)
		return -1;
	cfg->port = (unsigned short)port;
	return 0;
}

bool
http_tls_supported(void)
{
	return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_msg(LOG_WARN, "http", "%s", msg);
}

static enum http_method
method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	if (strcmp(m, "PUT") == 0)
		return HTTP_PUT;
	if (strcmp(m, "DELETE") == 0)
		return HTTP_DELETE;
	return HTTP_OTHER;
}

/* First sight of a request: MHD hands us the raw URI, before decoding. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_request *r = xcalloc(1, sizeof(*r));
	const char *q = strchr(uri, '?');
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	r->start_ns = hl_mono_ns();
	r->conn = c;
	if (q != NULL) {
		r->path = xstrndup(uri, (size_t)(q - uri));
		r->query = xstrdup(q + 1);
		/*
		 * The application parses r->query itself.  0.9.75 would also
		 * parse it into the connection's memory pool, where hundreds
		 * of parameters leave no room for even its own error answer:
		 * the connection hung without one until the timeout.  The URI
		 * lies in MHD's read buffer, and MHD parses the arguments
		 * from there after this callback: an empty string it is.
		 */
		((char *)(uintptr_t)q)[1] = '\0';
	} else {
		r->path = xstrdup(uri);
		r->query = xstrdup("");
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			    &((const struct sockaddr_in *)ci->client_addr)
				 ->sin_addr,
			    r->client_ip, sizeof(r->client_ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((const struct sockaddr_in6 *)ci->client_addr)
				 ->sin6_addr,
			    r->client_ip, sizeof(r->client_ip));
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_PROTOCOL);
	r->tls = ci != NULL && ci->tls_session != NULL;
	return r;
}

static void
response_release(struct http_response *resp)
{
	buf_release(&resp->body);
	for (int i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i][0]);
		free(resp->headers[i][1]);
	}
	resp->nheaders = 0;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_request *r = *con_cls;

	(void)c;
	(void)toe;
	if (r == NULL)
		return;
	if (r->reserved != 0)
		atomic_fetch_sub(&s->body_bytes, r->reserved);
	if (s->h.finish != NULL)
		s->h.finish(r, s->h.arg);
	response_release(&r->resp);
	buf_release(&r->body);
	free(r->path);
	free(r->query);
	free(r);
	*con_cls = NULL;
}

static enum MHD_Result
queue(struct http_server *s, struct MHD_Connection *c, struct http_request *r)
{
	struct http_response *resp = &r->resp;
	struct MHD_Response *m;
	enum MHD_Result ok;

	if (resp->status == 0)
		http_text(r, 500, "internal error: no response\n");
	if (resp->static_body != NULL) {
		m = MHD_create_response_from_buffer(resp->static_len,
		    (void *)(uintptr_t)resp->static_body,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len;
		char *body = buf_detach(&resp->body, &len);

		m = MHD_create_response_from_buffer(
		    len, body, MHD_RESPMEM_MUST_FREE);
		if (m == NULL)
			free(body);
	}
	if (m == NULL)
		return MHD_NO;
	if (s->cfg.default_headers != NULL)
		for (int i = 0; s->cfg.default_headers[i][0] != NULL; i++)
			MHD_add_response_header(m, s->cfg.default_headers[i][0],
			    s->cfg.default_headers[i][1]);
	if (resp->csp != NULL || s->cfg.default_csp != NULL)
		MHD_add_response_header(m, "Content-Security-Policy",
		    resp->csp != NULL ? resp->csp : s->cfg.default_csp);
	MHD_add_response_header(m, "Content-Type",
	    resp->content_type ? resp->content_type
			       : "text/plain; charset=utf-8");
	MHD_add_response_header(
	    m, "Cache-Control", resp->cache ? resp->cache : "no-store");
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(
		    m, resp->headers[i][0], resp->headers[i][1]);
	ok = MHD_queue_response(c, (unsigned)resp->status, m);
	MHD_destroy_response(m);
	return ok;
}

static bool
has_body(struct MHD_Connection *c)
{
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, "Transfer-Encoding");

	return (cl != NULL && strcmp(cl, "0") != 0) || te != NULL;
}

struct framing {
	int content_length, transfer_encoding;
};

static enum MHD_Result
count_framing(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	(void)value;
	if (strcasecmp(key, "Content-Length") == 0)
		f->content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->transfer_encoding++;
	return MHD_YES;
}

/*
 * Whether the body's length is told twice: two Content-Length headers
 * (which one a proxy in front believed is anyone's guess), or
 * Content-Length with Transfer-Encoding.  Either is how requests are
 * smuggled past a proxy, so such a request is refused whole.
 */
static bool
is_framing_ambiguous(struct MHD_Connection *c)
{
	struct framing f = { 0, 0 };

	MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
	return f.content_length > 1 || f.transfer_encoding > 1 ||
	    (f.content_length > 0 && f.transfer_encoding > 0);
}

/* Take n bytes of the server's body budget for r; false when past it. */
static bool
budget_take(struct http_server *s, struct http_request *r, size_t n)
{
	size_t cur = atomic_load(&s->body_bytes), max = s->cfg.body_budget;

	do {
		if (max != 0 && (n > max || cur > max - n))
			return false;
	} while (!atomic_compare_exchange_weak(&s->body_bytes, &cur, cur + n));
	r->reserved += n;
	return true;
}

static void
busy(struct http_request *r)
{
	http_text(
	    r, 503, "the server holds too many request bodies; retry later\n");
	http_set_header(&r->resp, "Retry-After", "5");
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_request *r = *con_cls;

	(void)url;
	(void)version;
	if (r == NULL)
		return MHD_NO; /* on_uri always runs first */
	if (r->method_str == NULL) {
		const char *cl;
		int64_t n = -1;

		r->method_str = method;
		r->method = method_of(method);
		if (is_framing_ambiguous(c)) {
			http_text(r, 400,
			    "one body length, please: a single Content-Length "
			    "or Transfer-Encoding: chunked, not both\n");
			r->early = true;
			return queue(s, c, r);
		}
		cl = MHD_lookup_connection_value(
		    c, MHD_HEADER_KIND, "Content-Length");
		if (cl != NULL &&
		    parse_int64(cl, strlen(cl), 0, INT64_MAX, &n) < 0) {
			http_text(r, 400, "bad Content-Length\n");
			r->early = true;
			return queue(s, c, r);
		}
		r->content_length = n;
		s->h.begin(r, s->h.arg);
		if (r->resp.status == 0 && n > 0 && (uint64_t)n > r->body_max)
			http_text(r, 413, "request body too large\n");
		if (r->resp.status == 0 && n > 0 &&
		    !budget_take(s, r, (size_t)n))
			busy(r);
		if (r->resp.status != 0) {
			r->early = true;
			/*
			 * A body pending and more than a little: answer now
			 * and let MHD close the connection instead of reading
			 * the body.  Otherwise wait for the next call: 0.9.75
			 * drops keep-alive for replies queued on the first
			 * call.
			 */
			if (has_body(c) && (n < 0 || (uint64_t)n > DRAIN_MAX))
				return queue(s, c, r);
		}
		buf_init(&r->body, r->body_max ? r->body_max : 1);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		size_t need = r->body.len + *upload_size;

		/* a chunked body is charged as it comes */
		if (!r->early && need > r->reserved &&
		    !budget_take(s, r,
			need - r->reserved < BUDGET_STEP ? BUDGET_STEP
							 : need - r->reserved))
			return MHD_NO; /* 0.9.75 cannot answer mid-body */
		if (!r->early &&
		    buf_add(&r->body, upload_data, *upload_size) < 0) {
			http_text(r, 413, "request body too large\n");
			r->early = true;
			*upload_size = 0;
			return queue(s, c, r);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (!r->early && !r->handled) {
		r->handled = true;
		s->h.handle(r, s->h.arg);
		if (r->suspended)
			return MHD_YES;
	} else if (r->suspended) {
		/* back from http_resume() */
		r->suspended = false;
		if (s->h.resume != NULL)
			s->h.resume(r, s->h.arg);
	}
	return queue(s, c, r);
}

struct http_server *
http_start(const struct http_config *cfg, const struct http_handlers *h,
    char *err, size_t errlen)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	const union MHD_DaemonInfo *di;

	memset(&ss, 0, sizeof(ss));
	s->h = *h;
	s->cfg = *cfg;
	if (inet_pton(AF_INET, cfg->addr,
		&((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(cfg->port);
	} else if (inet_pton(AF_INET6, cfg->addr,
		       &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "bad listen address '%s'", cfg->addr);
		goto fail;
	}
	if (cfg->tls_cert != NULL) {
		if (!http_tls_supported()) {
			snprintf(err, errlen,
			    "this libmicrohttpd was built "
			    "without TLS; use a reverse proxy for HTTPS");
			goto fail;
		}
		flags |= MHD_USE_TLS;
	}
	/* MHD_USE_TURBO skips the shutdown() dance; TLS needs it off. */
	if (cfg->tls_cert != NULL)
		flags &= ~(unsigned)MHD_USE_TURBO;
	{
		struct MHD_OptionItem opts[] = {
			{ MHD_OPTION_SOCK_ADDR, 0, &ss },
			{ MHD_OPTION_THREAD_POOL_SIZE,
			    cfg->threads ? cfg->threads : 2, NULL },
			{ MHD_OPTION_CONNECTION_LIMIT,
			    cfg->conn_limit ? cfg->conn_limit : 1024, NULL },
			{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
			    NULL },
			{ MHD_OPTION_CONNECTION_TIMEOUT,
			    cfg->timeout_s ? cfg->timeout_s : 30, NULL },
			{ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			    cfg->conn_memory ? (intptr_t)cfg->conn_memory
					     : 32768,
			    NULL },
			{ MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL },
			{ MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL },
			/* filled below when serving HTTPS */
			{ MHD_OPTION_END, 0, NULL },
			{ MHD_OPTION_END, 0, NULL },
			{ MHD_OPTION_END, 0, NULL },
			{ MHD_OPTION_END, 0, NULL },
		};

		/* one thread: MHD's own, without a pool (it warns on 1) */
		if (cfg->threads == 1)
			opts[1] = (struct MHD_OptionItem){
				MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL
			};
		if (cfg->tls_cert != NULL) {
			opts[8] =
			    (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT,
				    0, (void *)(uintptr_t)cfg->tls_cert };
			opts[9] =
			    (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY,
				    0, (void *)(uintptr_t)cfg->tls_key };
			/* TLS 1.2 and 1.3 only: 1.0 and 1.1 are broken */
			opts[10] = (struct MHD_OptionItem){
				MHD_OPTION_HTTPS_PRIORITIES, 0,
				(void *)(uintptr_t)TLS_PRIORITIES
			};
		}
		/* the logger first, so that option errors reach it */
		s->d = MHD_start_daemon(flags, cfg->port, on_accept, s,
		    on_access, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		    MHD_OPTION_ARRAY, opts, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
		    s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		    MHD_OPTION_END);
	}
	if (s->d == NULL) {
		snprintf(err, errlen,
		    "cannot listen on %s:%u (in use, or "
		    "not an address of this machine?)",
		    cfg->addr, (unsigned)cfg->port);
		goto fail;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di != NULL ? di->port : cfg->port;
	return s;
fail:
	free(s);
	return NULL;
}

unsigned short
http_port(struct http_server *s)
{
	return s->port;
}

void
http_quiesce(struct http_server *s)
{
	atomic_store(&s->closing, true);
}

unsigned
http_connections(struct http_server *s)
{
	const union MHD_DaemonInfo *di =
	    MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return di != NULL ? di->num_connections : 0;
}

void
http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}

const char *
http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void
http_suspend(struct http_request *req)
{
	req->suspended = true;
	MHD_suspend_connection(req->conn);
}

void
http_resume(struct http_request *req)
{
	MHD_resume_connection(req->conn);
}

void
http_set_header(struct http_response *r, const char *name, const char *value)
{
	if (r->nheaders >= HTTP_MAX_EXTRA_HEADERS) {
		log_kv(LOG_ERROR, "http", "too_many_headers name=%s", name);
		return;
	}
	r->headers[r->nheaders][0] = xstrdup(name);
	r->headers[r->nheaders][1] = xstrdup(value);
	r->nheaders++;
}

void
http_text(struct http_request *req, int status, const char *text)
{
	http_begin_body(req, status, "text/plain; charset=utf-8");
	buf_puts(&req->resp.body, text);
}

void
http_begin_body(struct http_request *req, int status, const char *content_type)
{
	req->resp.status = status;
	req->resp.content_type = content_type;
	req->resp.static_body = NULL;
	buf_reset(&req->resp.body);
	buf_init(&req->resp.body, 0);
}

void
http_redirect(struct http_request *req, const char *location)
{
	http_text(req, 303, "");
	http_set_header(&req->resp, "Location", location);
}
