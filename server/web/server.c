/* server.c -- the running server: dispatch, request context, lifecycle. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/alerts.h"
#include "core/apikey.h"
#include "core/dblock.h"
#include "core/dbpool.h"
#include "core/instrument.h"
#include "core/kioskseen.h"
#include "core/ratelimit.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/writer.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/monitor.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

static atomic_int inflight;

#define DEFAULT_CSP \
	"default-src 'none'; style-src 'self'; " \
	"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; " \
	"base-uri 'none'"

/*
 * Match path against pattern; captures go to params.  Both start with
 * '/'.  A ":name.ext" segment matches a segment ending in ".ext".
 * Not static: tests/fuzz/fuzz_route.c calls it.
 */
bool
route_match(const char *pattern, const char *path, char **params, int *n)
{
	*n = 0;
	while (*pattern == '/' && *path == '/') {
		const char *pe = strchr(pattern + 1, '/');
		const char *se = strchr(path + 1, '/');
		size_t plen =
		    pe ? (size_t)(pe - pattern - 1) : strlen(pattern + 1);
		size_t slen = se ? (size_t)(se - path - 1) : strlen(path + 1);

		if (pattern[1] == ':') {
			const char *dot = memchr(pattern + 1, '.', plen);
			size_t ext =
			    dot ? plen - (size_t)(dot - pattern - 1) : 0;

			if (slen <= ext || *n == CTX_MAX_PARAMS ||
			    (ext &&
				memcmp(path + 1 + slen - ext, dot, ext) != 0))
				goto no;
			params[(*n)++] = xstrndup(path + 1, slen - ext);
		} else if (plen != slen ||
		    memcmp(pattern + 1, path + 1, plen) != 0) {
			goto no;
		}
		pattern += plen + 1;
		path += slen + 1;
	}
	if (*pattern == '\0' && *path == '\0')
		return true;
no:
	/* a later segment did not match: drop what was captured */
	while (*n > 0)
		free(params[--*n]);
	return false;
}

static void
free_params(struct ctx *c)
{
	for (int i = 0; i < c->nparams; i++)
		free(c->param[i]);
	c->nparams = 0;
}

static bool
is_trusted_proxy(const struct server *s, const char *ip)
{
	const char *p = s->cfg.trusted_proxies;
	size_t len = strlen(ip);

	while (*p != '\0') {
		size_t n = strcspn(p, ", ");

		if (n == len && memcmp(p, ip, n) == 0)
			return true;
		p += n;
		p += strspn(p, ", ");
	}
	return false;
}

/* Whether s is an IPv4 or IPv6 address, written the usual way. */
static bool
is_ip_address(const char *s)
{
	unsigned char tmp[16];

	return inet_pton(AF_INET, s, tmp) == 1 ||
	    inet_pton(AF_INET6, s, tmp) == 1;
}

/*
 * The client: the peer, or when the peer is a trusted proxy, the last
 * address in X-Forwarded-For that is not one of ours.  An entry that is
 * not an address ends the walk at the last trusted hop: whatever the
 * header says goes to logs, limits and the audit only as an address.
 */
static void
client_address(struct ctx *c)
{
	const char *xff;
	char list[512];

	strlcpy_hl(c->client, c->req->client_ip, sizeof(c->client));
	if (!is_trusted_proxy(c->srv, c->client))
		return;
	xff = http_header(c->req, "X-Forwarded-For");
	if (xff == NULL || strlen(xff) >= sizeof(list))
		return;
	strlcpy_hl(list, xff, sizeof(list));
	for (;;) {
		char *comma = strrchr(list, ',');
		char *ip = comma ? comma + 1 : list;

		ip += strspn(ip, " ");
		ip[strcspn(ip, " ")] = '\0';
		if (*ip == '\0' || strlen(ip) >= sizeof(c->client) ||
		    !is_ip_address(ip))
			return;
		strlcpy_hl(c->client, ip, sizeof(c->client));
		if (comma == NULL || !is_trusted_proxy(c->srv, ip))
			return;
		*comma = '\0';
	}
}

static void
on_begin(struct http_request *req, void *arg)
{
	struct server *s = arg;
	struct ctx *c = xcalloc(1, sizeof(*c));
	unsigned m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	unsigned allowed = 0;

	atomic_fetch_add(&inflight, 1);
	atomic_fetch_add(&s->requests, 1);
	c->srv = s;
	c->req = req;
	req->app = c;
	client_address(c);
	for (const struct route *r = routes; r->pattern != NULL; r++) {
		char *params[CTX_MAX_PARAMS];
		int n;

		if (!route_match(r->pattern, req->path, params, &n))
			continue;
		if (!(r->methods & m)) {
			allowed |= r->methods;
			for (int i = 0; i < n; i++)
				free(params[i]);
			continue;
		}
		c->route = r;
		c->nparams = n;
		memcpy(c->param, params, sizeof(params[0]) * (size_t)n);
		req->route = r;
		req->body_max = r->body_max;
		if (form_parse(&c->query, req->query, strlen(req->query)) < 0) {
			http_text(req, 400, "malformed query string\n");
			return;
		}
		c->lang = lang_parse(form_get(&c->query, "lang"));
		/*
		 * Who is calling, from the headers, before any body is
		 * buffered: a stranger's body is never read into memory.  A
		 * body too large for the route is refused (413) unread
		 * anyway, without asking the database.
		 */
		if (r->body_max > 0 &&
		    (req->content_length < 0 ||
			(uint64_t)req->content_length <= r->body_max) &&
		    auth_check_headers(c) != 0)
			req->body_max = 0;
		/* a connection is the handler's only while it runs */
		dbpool_release(c->db);
		c->db = NULL;
		return;
	}
	if (allowed != 0) {
		http_text(req, 405, "method not allowed\n");
		http_set_header(&req->resp, "Allow",
		    (allowed & HTTP_POST)
			? ((allowed & HTTP_GET) ? "GET, HEAD, POST" : "POST")
			: "GET, HEAD");
	} else {
		page_not_found(c);
	}
}

static void
on_handle(struct http_request *req, void *arg)
{
	struct ctx *c = req->app;

	(void)arg;
	/*
	 * A caller checked from the headers (routes with a body) is not
	 * looked up again: an API key is done, a session has only its CSRF
	 * token, which came in the body, left to check.
	 */
	if (c->who.kind == PRINCIPAL_USER
		? auth_staff_csrf(c, 0) != 0
		: c->who.kind != PRINCIPAL_APIKEY && auth_check(c) != 0)
		return; /* refused: the check answered */
	c->route->fn(c);
}

static void
on_resume(struct http_request *req, void *arg)
{
	struct ctx *c = req->app;

	(void)arg;
	if (c->resumed != NULL)
		c->resumed(c);
}

static void
on_finish(struct http_request *req, void *arg)
{
	struct server *s = arg;
	struct ctx *c = req->app;
	double ms;

	ms = (double)(hl_mono_ns() - req->start_ns) / 1e6;
	if (req->resp.status >= 500)
		atomic_fetch_add(&s->errors, 1);
	/* the route's pattern, never the raw path: paths carry tokens; the
	 * kiosks' poll of the served dossier (every 2 s from every kiosk)
	 * only at debug when it went well */
	log_kv(c && c->route && c->route->fn == api_kiosk_serving &&
		    req->resp.status == 200
		? LOG_DEBUG
		: LOG_INFO,
	    "request",
	    "method=%s route=%s status=%d ms=%.2f "
	    "client=%s",
	    req->method_str ? req->method_str : "-",
	    c && c->route ? c->route->pattern : "-", req->resp.status, ms,
	    c ? c->client : req->client_ip);
	monitor_request(s->monitor,
	    c && c->route ? (int)(c->route - routes) : -1, req->method,
	    req->resp.status, ms / 1000);
	if (c != NULL) {
		if (c->state_free != NULL)
			c->state_free(c->state);
		dbpool_release(c->db);
		form_release(&c->query);
		free_params(c);
		free(c);
	}
	req->app = NULL;
	/*
	 * Only what on_begin() counted in: MHD refuses some requests (431,
	 * 400) before it, and those would take the count below zero.
	 */
	if (c != NULL)
		atomic_fetch_sub(&inflight, 1);
}

struct db *
ctx_db(struct ctx *c)
{
	if (c->db == NULL)
		c->db = dbpool_thread_db(c->srv->pool);
	return c->db;
}

const char *
ctx_param(struct ctx *c, int i)
{
	return i < c->nparams ? c->param[i] : NULL;
}

bool
ctx_sees_unit(struct ctx *c, const char *unit)
{
	struct db *db;

	if (c->who.kind == PRINCIPAL_NONE || unit == NULL)
		return false;
	db = ctx_db(c);
	return db != NULL && store_unit_within(db, unit, c->who.unit);
}

void
ctx_actor(struct ctx *c, char *out, size_t size)
{
	static const char *const kinds[] = { "public", "user", "apikey",
		"kiosk" };

	if (c->who.kind == PRINCIPAL_NONE)
		snprintf(out, size, "public");
	else
		snprintf(out, size, "%s:%s", kinds[c->who.kind], c->who.name);
}

void
server_unavailable(struct ctx *c)
{
	page_message(c, 503, M_BUSY_TITLE, M_BUSY_TEXT);
	http_set_header(&c->req->resp, "Retry-After", "30");
}

/* The key for login-form CSRF tokens, made once and kept in meta. */
static int
session_key(struct db *db, unsigned char key[32])
{
	char *hex = store_meta_get(db, "session_key");
	char fresh[65];
	int rc;

	if (hex != NULL) {
		rc = hex_decode(hex, strlen(hex), key, 32);
		free(hex);
		return rc;
	}
	random_bytes(key, 32);
	hex_encode(key, 32, fresh);
	return store_meta_set(db, "session_key", fresh);
}

static int
prepare(struct server *s, char *err, size_t errlen)
{
	struct db *db = store_open(s->cfg.db, 0, err, errlen);
	char *base;

	if (db == NULL)
		return -1;
	s->instruments = instrument_cache_new();
	if (instrument_cache_at(s->instruments, db, hl_now(), err, errlen) ==
	    NULL)
		goto fail;
	if (store_current_kid(db) < 0) {
		snprintf(err, errlen,
		    "no token key in '%.200s'; run 'hailong "
		    "init --db %.200s'",
		    s->cfg.db, s->cfg.db);
		goto fail;
	}
	if (session_key(db, s->session_key) < 0) {
		snprintf(err, errlen, "cannot read or make the session key: %s",
		    db_errmsg(db));
		goto fail;
	}
	base = store_meta_get(db, "base_url");
	if (s->cfg.base_url[0] != '\0')
		strlcpy_hl(s->base_url, s->cfg.base_url, sizeof(s->base_url));
	else if (base != NULL)
		strlcpy_hl(s->base_url, base, sizeof(s->base_url));
	free(base);
	db_close(db);
	return 0;
fail:
	db_close(db);
	return -1;
}

static void
wait_for_requests(int seconds)
{
	for (int i = 0; i < seconds * 100 && atomic_load(&inflight) > 0; i++)
		sleep_ms(10);
}

/*
 * The writer's transactions carry the rollups of the ratings they store
 * and the kiosks' nonces and sequence numbers (kioskseen.h).
 */
static int
hooks_flush(void *ctx, struct db *db)
{
	if (rollup_flush(ctx, db) < 0)
		return -1;
	return kioskseen_flush(db);
}

static void
hooks_reset(void *ctx)
{
	rollup_reset(ctx);
	kioskseen_reset();
}

/* a low rating with a callback is an alert event of its transaction */
static int
hooks_add(void *ctx, struct db *db, const struct rating *r, int64_t seq)
{
	if (rollup_hook(ctx, db, r, seq) < 0)
		return -1;
	return alerts_on_rating(db, r, seq);
}

static const struct writer_hooks writer_hooks = { rollup_batch_new,
	rollup_batch_free, hooks_add, hooks_flush, hooks_reset };

/* At a clean stop: what the kiosks' last requests left in memory. */
static void
flush_kiosks(struct server *s)
{
	struct db *db = dbpool_thread_db(s->pool);

	if (db == NULL || db_begin(db) < 0)
		return;
	if (kioskseen_flush(db) < 0 || db_commit(db) < 0) {
		dbpool_release(db);
		log_kv(LOG_WARN, "kiosks_flush", "result=failed");
	}
}

int
server_run(const struct config *cfg)
{
	struct server *s = xcalloc(1, sizeof(*s));
	struct alerts_sender *alerts = NULL;
	struct http_config hc;
	struct http_handlers hh = { on_begin, on_handle, on_resume, on_finish,
		s };
	char err[512], *cert = NULL, *key = NULL;
	sigset_t sigs;
	int sig, rc = -1;

	s->cfg = *cfg;
	s->started_at = hl_now();
	log_set_level((enum log_level)log_level_parse(cfg->log_level));
	memset(&hc, 0, sizeof(hc));
	http_parse_listen(cfg->listen, &hc);
	hc.threads = cfg->threads;
	hc.conn_limit = cfg->max_connections;
	hc.per_ip_limit = cfg->max_connections_per_ip;
	hc.timeout_s = cfg->timeout;
	hc.body_budget = (size_t)cfg->max_body_memory << 20;
	hc.default_csp = DEFAULT_CSP;
	hc.default_headers = http_security_headers;
	/* held to the end: 'hailong restore' cannot swap the file under us */
	s->lock = dblock_take(cfg->db, DBLOCK_SHARED, err, sizeof(err));
	if (s->lock == NULL)
		goto fail;
	s->monitor = monitor_new();
	if (prepare(s, err, sizeof(err)) < 0)
		goto fail;
	if (cfg->tls_cert[0] != '\0') {
		if (!file_is_private(cfg->tls_key, err, sizeof(err)))
			goto fail;
		cert =
		    file_read(cfg->tls_cert, 1 << 20, NULL, err, sizeof(err));
		key = cert
		    ? file_read(cfg->tls_key, 1 << 20, NULL, err, sizeof(err))
		    : NULL;
		if (key == NULL)
			goto fail;
		hc.tls_cert = cert;
		hc.tls_key = key;
		hc.default_headers = http_security_headers_tls;
	}
	/* threads started from here on inherit the blocked signals */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	s->writer = writer_start(
	    cfg->db, cfg->writer_queue, &writer_hooks, err, sizeof(err));
	if (s->writer == NULL)
		goto fail;
	s->pool = dbpool_new(cfg->db);
	s->form_limit = ratelimit_new(cfg->rate_limit_per_min, 60, 65536);
	/* login attempts per client address: scrypt is dear, guessing slow */
	s->login_limit = ratelimit_new(cfg->login_attempts_per_min, 60, 16384);
	s->enrol_limit = ratelimit_new(cfg->kiosk_enrolments_per_min, 60, 4096);
	s->apikey_failures = ratelimit_new(
	    cfg->apikey_failure_limit, APIKEY_FAILURE_WINDOW, 4096);
	s->submit_limit =
	    ratelimit_new(cfg->report_submissions_per_hour, 3600, 4096);
	/* the lockout (page_login.c), in bounded memory */
	s->login_fail = ratelimit_new(
	    cfg->login_failures, (unsigned)LOGIN_LOCK_SECONDS, 65536);
	s->login_fail_name = ratelimit_new(
	    cfg->login_failures_global, (unsigned)LOGIN_LOCK_SECONDS, 65536);
	s->http = http_start(&hc, &hh, err, sizeof(err));
	if (s->http == NULL)
		goto fail;
	if (s->base_url[0] == '\0')
		snprintf(s->base_url, sizeof(s->base_url),
		    strchr(hc.addr, ':') ? "%s://[%s]:%u" : "%s://%s:%u",
		    cert ? "https" : "http", hc.addr,
		    (unsigned)http_port(s->http));
	alerts = alerts_sender_start(cfg, s->base_url, err, sizeof(err));
	if (alerts == NULL)
		goto fail;
	printf(strchr(hc.addr, ':') ? "listening on %s://[%s]:%u\n"
				    : "listening on %s://%s:%u\n",
	    cert ? "https" : "http", hc.addr, (unsigned)http_port(s->http));
	fflush(stdout);
	log_kv(LOG_INFO, "start", "port=%u schema=%d", http_port(s->http),
	    store_schema_version());
	do {
		if (sigwait(&sigs, &sig) != 0)
			sig = 0;
	} while (sig != SIGTERM && sig != SIGINT);
	log_kv(LOG_INFO, "stop", "signal=%d inflight=%d", sig,
	    atomic_load(&inflight));
	/* no new connections; what is in flight finishes and is stored */
	http_quiesce(s->http);
	wait_for_requests(20);
	alerts_sender_stop(alerts);
	alerts = NULL;
	/* stores what is queued; a late request gets 503, never lost */
	writer_stop(s->writer);
	flush_kiosks(s);
	http_stop(s->http);
	s->http = NULL;
	log_kv(LOG_INFO, "stopped", "clean=1");
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "hailong: %s\n", err);
out:
	alerts_sender_stop(alerts);
	http_stop(s->http);
	writer_stop(s->writer);
	writer_free(s->writer);
	dbpool_free(s->pool);
	ratelimit_free(s->form_limit);
	ratelimit_free(s->login_limit);
	ratelimit_free(s->enrol_limit);
	ratelimit_free(s->apikey_failures);
	ratelimit_free(s->submit_limit);
	ratelimit_free(s->login_fail);
	ratelimit_free(s->login_fail_name);
	instrument_cache_free(s->instruments);
	monitor_free(s->monitor);
	dblock_release(s->lock);
	free(cert);
	free(key);
	free(s);
	return rc;
}
