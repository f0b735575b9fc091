/* page.c -- the touch page and its local API, served on 127.0.0.1. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/embed.h"
#include "hailong/http.h"
#include "hailong/log.h"
#include "hailong/qr.h"
#include "hailong/util.h"
#include "hailong/wire.h"
#include "clock.h"
#include "outbox.h"
#include "page.h"
#include "sender.h"
#include "served.h"

extern const struct embed_file kiosk_files[];
/* audio/SCREEN-LANG.wav: the spoken prompts made at build time */
extern const struct embed_file kiosk_audio[];

#define LOCAL_BODY_MAX 4096
#define HOLD_SLACK_S 5 /* a held rating outlives the page's reset */
#define THANKS_MAX_S 5 /* "Cảm ơn" stays at most this long */

/* No inline script or style anywhere: the page's own files only. */
#define PAGE_CSP \
	"default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self'; media-src 'self'; connect-src 'self'; " \
	"base-uri 'none'; " \
	"form-action 'none'; frame-ancestors 'none'"

/* What the page shows before the server's configuration ever arrived. */
static const char default_config[] =
    "{\"unit\": null, \"counter\": null, \"faces\": 5, "
    "\"levels\": [5, 4, 3, 2, 1], \"labels\": {"
    "\"5\": {\"vi\": \"Rất hài lòng\", \"en\": \"Very satisfied\"}, "
    "\"4\": {\"vi\": \"Hài lòng\", \"en\": \"Satisfied\"}, "
    "\"3\": {\"vi\": \"Bình thường\", \"en\": \"Neutral\"}, "
    "\"2\": {\"vi\": \"Không hài lòng\", \"en\": \"Dissatisfied\"}, "
    "\"1\": {\"vi\": \"Rất không hài lòng\", \"en\": \"Very "
    "dissatisfied\"}}, "
    "\"question\": {\"vi\": \"Ông/Bà có hài lòng với việc giải quyết thủ "
    "tục hành chính hôm nay không?\", \"en\": \"How satisfied are you "
    "with how your procedure was handled today?\"}, \"reasons\": [], "
    "\"rate_url\": \"\"}";

struct page {
	struct page_config cfg;
	struct http_server *http;
	char url[96];
};

struct local_route {
	unsigned methods;
	const char *path; /* exact, or a prefix ending in '/' with suffix */
	const char *suffix;
	void (*fn)(struct page *p, struct http_request *req);
	size_t body_max;
};

static void
json_answer(struct http_request *req, int status, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	http_begin_body(req, status, "application/json");
	buf_puts(&req->resp.body, s != NULL ? s : "{}");
	buf_putc(&req->resp.body, '\n');
	free(s);
}

static void
json_error(
    struct http_request *req, int status, const char *code, const char *msg)
{
	json_answer(req, status,
	    json_pack("{s:s, s:s}", WIRE_K_ERROR, code, WIRE_K_MESSAGE, msg));
}

/* The server's configuration as cached by the sender, or the default. */
static json_t *
config_load(struct page *p)
{
	char *text = outbox_get(p->cfg.ob, "config");
	json_t *doc = NULL;

	if (text != NULL)
		doc = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		doc = json_loads(default_config, 0, NULL);
	}
	return doc;
}

static bool
reason_known(json_t *cfg, const char *code, size_t len)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(cfg, "reasons"), i, r)
	{
		const char *c = json_string_value(json_object_get(r, "code"));

		if (c != NULL && strlen(c) == len && memcmp(c, code, len) == 0)
			return true;
	}
	return false;
}

/* Every code of the comma list is one the configuration offers. */
static bool
reasons_known(json_t *cfg, const char *list)
{
	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (!reason_known(cfg, list, len))
			return false;
		list += len + (list[len] == ',');
	}
	return true;
}

static bool
is_json(struct http_request *req)
{
	const char *ct = http_header(req, "Content-Type");

	return ct != NULL && strncmp(ct, "application/json", 16) == 0;
}

/* {"dossier", "serial"} of the served dossier, or null.  New. */
static json_t *
serving_json(struct page *p)
{
	char dossier[65];
	int64_t serial;

	if (p->cfg.served == NULL ||
	    !served_get(p->cfg.served, dossier, &serial))
		return json_null();
	return json_pack("{s:s, s:I}", WIRE_K_DOSSIER, dossier, WIRE_K_SERIAL,
	    (json_int_t)serial);
}

/* GET: what the page shows as "Hồ sơ đang phục vụ"; memory only. */
static void
local_serving(struct page *p, struct http_request *req)
{
	json_t *v = serving_json(p);

	if (json_is_null(v)) {
		json_decref(v);
		v = json_pack("{s:n, s:i}", WIRE_K_DOSSIER, WIRE_K_SERIAL, 0);
	}
	json_answer(req, 200, v);
	req->resp.cache = "no-store";
}

/* POST {"serial": N}: the page's idle reset let it go. */
static void
local_serving_done(struct page *p, struct http_request *req)
{
	char why[128];
	int64_t serial;

	if (!is_json(req)) {
		json_error(req, 415, WIRE_ERR_BAD_REQUEST,
		    "send Content-Type: application/json");
		return;
	}
	if (wire_serial_parse(req->body.data ? req->body.data : "",
		req->body.len, &serial, why, sizeof(why)) < 0) {
		json_error(req, 400, WIRE_ERR_BAD_REQUEST, why);
		return;
	}
	if (p->cfg.served != NULL)
		served_consume(p->cfg.served, serial);
	json_answer(
	    req, 200, json_pack("{s:I}", WIRE_K_SERIAL, (json_int_t)serial));
}

static void
local_config(struct page *p, struct http_request *req)
{
	json_t *cfg = config_load(p), *out = json_object();
	static const char *const keys[] = { "unit", "counter", "faces",
		"levels", "labels", "question", "reasons" };
	const char *url = json_string_value(json_object_get(cfg, "rate_url"));
	unsigned thanks =
	    p->cfg.reset_s < THANKS_MAX_S ? p->cfg.reset_s : THANKS_MAX_S;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		json_t *v = json_object_get(cfg, keys[i]);

		json_object_set(out, keys[i], v != NULL ? v : json_null());
	}
	json_object_set_new(out, "configured",
	    json_boolean(json_object_get(cfg, WIRE_K_KIOSK) != NULL));
	json_object_set_new(out, "qr", json_boolean(url != NULL && *url));
	json_object_set_new(out, WIRE_K_SERVING, serving_json(p));
	json_object_set_new(out, "reset_seconds", json_integer(p->cfg.reset_s));
	json_object_set_new(out, "thanks_seconds", json_integer(thanks));
	json_decref(cfg);
	json_answer(req, 200, out);
}

static void
local_qr(struct page *p, struct http_request *req)
{
	json_t *cfg = config_load(p);
	const char *url = json_string_value(json_object_get(cfg, "rate_url"));
	struct qr *q = NULL;

	if (url == NULL || *url == '\0' || (q = qr_encode(url)) == NULL) {
		http_text(req, 404,
		    "no phone QR code yet: the kiosk has not "
		    "reached the server\n");
	} else {
		http_begin_body(req, 200, "image/svg+xml");
		qr_svg(q, 8, &req->resp.body);
		req->resp.cache = "no-cache";
	}
	qr_free(q);
	json_decref(cfg);
}

static void
local_rating(struct page *p, struct http_request *req)
{
	struct wire_local in;
	char why[256], id[OUTBOX_UUID_LEN + 1];
	int64_t seq, now = clock_now_ms();
	json_t *cfg;
	bool burst;

	if (!is_json(req)) {
		json_error(req, 415, WIRE_ERR_BAD_REQUEST,
		    "send Content-Type: application/json");
		return;
	}
	/* requester and assisted (who rated) are read here too */
	if (wire_local_parse(req->body.data ? req->body.data : "",
		req->body.len, &in, why, sizeof(why)) < 0) {
		json_error(req, 400, WIRE_ERR_BAD_REQUEST, why);
		return;
	}
	cfg = config_load(p);
	if (!reasons_known(cfg, in.reasons)) {
		json_decref(cfg);
		json_error(req, 400, WIRE_ERR_BAD_REQUEST,
		    "a reason is not one this kiosk offers");
		return;
	}
	/* the server would reject it (counter_disabled): keep none */
	if (json_is_false(
		json_object_get(json_object_get(cfg, "counter"), "active"))) {
		json_decref(cfg);
		json_error(req, 409, WIRE_ERR_CONFLICT,
		    "this counter no longer takes ratings");
		return;
	}
	json_decref(cfg);
	if (outbox_add(p->cfg.ob, &in, now, (int64_t)p->cfg.burst_s * 1000,
		now + (int64_t)(p->cfg.reset_s + HOLD_SLACK_S) * 1000, id, &seq,
		&burst, why, sizeof(why)) < 0) {
		log_msg(LOG_ERROR, "outbox", "%s", why);
		json_error(req, 503, WIRE_ERR_UNAVAILABLE,
		    "the rating could not be saved; please try again");
		return;
	}
	/* the level is not logged: logs are read at the counter too */
	log_kv(LOG_INFO, "rating", "seq=%lld burst=%d", (long long)seq,
	    burst ? 1 : 0);
	/* the served dossier the page showed is bound: never again */
	if (in.serving != 0 && p->cfg.served != NULL)
		served_consume(p->cfg.served, in.serving);
	if (!in.reasons_follow)
		sender_kick(p->cfg.sender);
	json_answer(req, 201, json_pack("{s:s}", WIRE_K_ID, id));
}

static bool
is_uuid(const char *s, size_t len)
{
	if (len != OUTBOX_UUID_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-'
			 : !((s[i] >= '0' && s[i] <= '9') ||
			       (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

static void
local_reasons(struct page *p, struct http_request *req)
{
	const char *id = req->path + strlen(WIRE_PATH_LOCAL_RATINGS "/");
	size_t idlen = strlen(id) - strlen("/reasons");
	char reasons[RATING_REASONS_MAX * (RATING_REASON_MAX_LEN + 1)];
	char why[256], uuid[OUTBOX_UUID_LEN + 1];
	json_t *cfg;
	int rc;

	if (!is_uuid(id, idlen)) {
		json_error(req, 404, WIRE_ERR_NOT_FOUND, "no such rating");
		return;
	}
	memcpy(uuid, id, OUTBOX_UUID_LEN);
	uuid[OUTBOX_UUID_LEN] = '\0';
	if (!is_json(req)) {
		json_error(req, 415, WIRE_ERR_BAD_REQUEST,
		    "send Content-Type: application/json");
		return;
	}
	if (wire_reasons_parse(req->body.data ? req->body.data : "",
		req->body.len, reasons, why, sizeof(why)) < 0) {
		json_error(req, 400, WIRE_ERR_BAD_REQUEST, why);
		return;
	}
	cfg = config_load(p);
	rc = reasons_known(cfg, reasons) ? 0 : 2;
	json_decref(cfg);
	if (rc == 2) {
		json_error(req, 400, WIRE_ERR_BAD_REQUEST,
		    "a reason is not one this kiosk offers");
		return;
	}
	rc = outbox_set_reasons(p->cfg.ob, uuid, reasons, clock_now_ms());
	if (rc < 0) {
		json_error(req, 503, WIRE_ERR_UNAVAILABLE,
		    "the reasons could not be saved; please try again");
		return;
	}
	if (rc == 1) {
		json_error(req, 409, WIRE_ERR_CONFLICT,
		    "this rating can no longer change (it was saved without "
		    "reasons)");
		return;
	}
	sender_kick(p->cfg.sender);
	json_answer(req, 200, json_pack("{s:s}", WIRE_K_ID, uuid));
}

static void
local_file(struct page *p, struct http_request *req)
{
	const char *name =
	    strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
	const char *dot = strrchr(name, '.');
	const struct embed_file *f;
	char path[64];

	(void)p;
	snprintf(path, sizeof(path), "kiosk/ui%s", name);
	f = embed_find(kiosk_files, path);
	if (f == NULL || dot == NULL) {
		http_text(req, 404, "not found\n");
		return;
	}
	http_begin_body(req, 200,
	    strcmp(dot, ".html") == 0      ? "text/html; charset=utf-8"
		: strcmp(dot, ".css") == 0 ? "text/css; charset=utf-8"
		: strcmp(dot, ".svg") == 0 ? "image/svg+xml"
		: strcmp(dot, ".txt") == 0 ? "text/plain; charset=utf-8"
					   : "text/javascript; charset=utf-8");
	req->resp.static_body = f->data;
	req->resp.static_len = f->len;
	req->resp.cache = "no-cache";
}

/* GET /audio/SCREEN-LANG.wav: a screen's words, spoken (speech.txt). */
static void
local_audio(struct page *p, struct http_request *req)
{
	const struct embed_file *f;
	char path[64];

	(void)p;
	if (strlen(req->path) >= sizeof(path)) {
		http_text(req, 404, "not found\n");
		return;
	}
	/* "/audio/x.wav" is embedded as "audio/x.wav" */
	snprintf(path, sizeof(path), "%s", req->path + 1);
	f = embed_find(kiosk_audio, path);
	if (f == NULL) {
		http_text(req, 404, "not found\n");
		return;
	}
	http_begin_body(req, 200, "audio/wav");
	req->resp.static_body = f->data;
	req->resp.static_len = f->len;
	/* made at build time: the same for as long as this program runs */
	req->resp.cache = "no-cache";
}

static void
local_health(struct page *p, struct http_request *req)
{
	(void)p;
	http_text(req, 200, "ok\n");
}

static const struct local_route local_routes[] = {
	{ HTTP_GET, "/", NULL, local_file, 0 },
	{ HTTP_GET, "/kiosk.css", NULL, local_file, 0 },
	{ HTTP_GET, "/kiosk.js", NULL, local_file, 0 },
	{ HTTP_GET, "/icon.svg", NULL, local_file, 0 },
	{ HTTP_GET, "/speech.txt", NULL, local_file, 0 },
	{ HTTP_GET, "/audio/", ".wav", local_audio, 0 },
	{ HTTP_GET, WIRE_PATH_LOCAL_CONFIG, NULL, local_config, 0 },
	{ HTTP_GET, WIRE_PATH_LOCAL_QR, NULL, local_qr, 0 },
	{ HTTP_GET, WIRE_PATH_LOCAL_SERVING, NULL, local_serving, 0 },
	{ HTTP_POST, WIRE_PATH_LOCAL_SERVING, NULL, local_serving_done,
	    LOCAL_BODY_MAX },
	{ HTTP_POST, WIRE_PATH_LOCAL_RATINGS, NULL, local_rating,
	    LOCAL_BODY_MAX },
	{ HTTP_POST, WIRE_PATH_LOCAL_RATINGS "/", "/reasons", local_reasons,
	    LOCAL_BODY_MAX },
	{ HTTP_GET, "/healthz", NULL, local_health, 0 },
	{ 0, NULL, NULL, NULL, 0 },
};

static bool
route_matches(const struct local_route *r, const char *path)
{
	size_t plen = strlen(r->path), len = strlen(path), slen;

	if (r->suffix == NULL)
		return strcmp(r->path, path) == 0;
	slen = strlen(r->suffix);
	return len > plen + slen && strncmp(path, r->path, plen) == 0 &&
	    strcmp(path + len - slen, r->suffix) == 0;
}

/*
 * The Host a browser sent must be an address or localhost: a page of
 * another site that a DNS trick points at 127.0.0.1 names its own host,
 * and is refused.
 */
static bool
host_is_local(const char *host)
{
	char h[64];
	unsigned char tmp[16];
	size_t n;

	if (host == NULL)
		return false;
	if (host[0] == '[') {
		n = strcspn(host + 1, "]");
		if (host[1 + n] != ']' || n >= sizeof(h))
			return false;
		memcpy(h, host + 1, n);
		h[n] = '\0';
		return inet_pton(AF_INET6, h, tmp) == 1;
	}
	n = strcspn(host, ":");
	if (n >= sizeof(h))
		return false;
	memcpy(h, host, n);
	h[n] = '\0';
	return strcmp(h, "localhost") == 0 || inet_pton(AF_INET, h, tmp) == 1;
}

static void
on_begin(struct http_request *req, void *arg)
{
	unsigned m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	bool path_known = false;

	(void)arg;
	for (const struct local_route *r = local_routes; r->path; r++) {
		if (!route_matches(r, req->path))
			continue;
		path_known = true;
		if (!(r->methods & m))
			continue;
		req->route = r;
		req->body_max = r->body_max;
		return;
	}
	if (path_known) {
		http_text(req, 405, "method not allowed\n");
		return;
	}
	http_text(req, 404, "not found\n");
}

static void
on_handle(struct http_request *req, void *arg)
{
	struct page *p = arg;
	const struct local_route *r = req->route;

	if (!host_is_local(http_header(req, "Host"))) {
		http_text(req, 403,
		    "this page serves the kiosk's own browser "
		    "only\n");
		return;
	}
	r->fn(p, req);
}

static void
on_finish(struct http_request *req, void *arg)
{
	const struct local_route *r = req->route;

	(void)arg;
	log_kv(LOG_DEBUG, "request", "method=%s route=%s status=%d",
	    req->method_str ? req->method_str : "-", r ? r->path : "-",
	    req->resp.status);
}

struct page *
page_start(const struct page_config *cfg, char *err, size_t errlen)
{
	struct page *p = xcalloc(1, sizeof(*p));
	struct http_handlers hh = { on_begin, on_handle, NULL, on_finish, p };
	struct http_config hc;

	p->cfg = *cfg;
	memset(&hc, 0, sizeof(hc));
	if (http_parse_listen(cfg->listen, &hc) < 0) {
		snprintf(err, errlen,
		    "--listen '%s' is not ADDR:PORT (like "
		    "127.0.0.1:8081)",
		    cfg->listen);
		free(p);
		return NULL;
	}
	hc.threads = 1;
	hc.conn_limit = 64;
	hc.timeout_s = 60;
	hc.default_headers = http_security_headers;
	hc.default_csp = PAGE_CSP;
	p->http = http_start(&hc, &hh, err, errlen);
	if (p->http == NULL) {
		free(p);
		return NULL;
	}
	snprintf(p->url, sizeof(p->url),
	    strchr(hc.addr, ':') ? "http://[%s]:%u" : "http://%s:%u", hc.addr,
	    (unsigned)http_port(p->http));
	return p;
}

const char *
page_url(const struct page *p)
{
	return p->url;
}

void
page_stop(struct page *p)
{
	if (p == NULL)
		return;
	/* a rating is answered only once committed: nothing to flush */
	http_stop(p->http);
	free(p);
}
