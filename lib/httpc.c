/* httpc.c -- the one door to libcurl: a small HTTP client with keep-alive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "hailong/httpc.h"
#include "hailong/util.h"
#include "hailong/version.h"

struct httpc {
	CURL *curl;
	struct httpc_options o;
	char *ca_file, *user_agent;
	uint64_t connections;
};

int
httpc_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

struct httpc *
httpc_new(const struct httpc_options *opts)
{
	struct httpc *h = xcalloc(1, sizeof(*h));

	if (opts != NULL)
		h->o = *opts;
	if (h->o.connect_timeout_ms == 0)
		h->o.connect_timeout_ms = 5000;
	if (h->o.timeout_ms == 0)
		h->o.timeout_ms = 30000;
	if (h->o.body_max == 0)
		h->o.body_max = (size_t)16 << 20;
	h->ca_file = h->o.ca_file ? xstrdup(h->o.ca_file) : NULL;
	h->user_agent = xstrdup(
	    h->o.user_agent ? h->o.user_agent : "hailong/" HAILONG_VERSION);
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		httpc_free(h);
		return NULL;
	}
	return h;
}

void
httpc_free(struct httpc *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->ca_file);
	free(h->user_agent);
	free(h);
}

static void
headers_clear(struct httpc_response *r)
{
	for (int i = 0; i < r->nheaders; i++) {
		free(r->header[i][0]);
		free(r->header[i][1]);
	}
	r->nheaders = 0;
}

void
httpc_response_release(struct httpc_response *r)
{
	headers_clear(r);
	buf_release(&r->body);
	r->status = 0;
}

const char *
httpc_header(const struct httpc_response *r, const char *name)
{
	for (int i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->header[i][0], name) == 0)
			return r->header[i][1];
	return NULL;
}

uint64_t
httpc_connections(const struct httpc *h)
{
	return h->connections;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct httpc *h = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return h->o.cancel(h->o.cancel_arg) ? 1 : 0;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct httpc_response *r = arg;

	/* a refused append stops the transfer: CURLE_WRITE_ERROR */
	return buf_add(&r->body, p, size * n) < 0 ? 0 : size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct httpc_response *r = arg;
	size_t len = size * n, nlen, vstart;
	const char *colon;

	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	/* a status line starts a new response (after 100 Continue) */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		headers_clear(r);
		return size * n;
	}
	colon = memchr(p, ':', len);
	if (colon == NULL || len > HTTPC_HEADER_MAX ||
	    r->nheaders >= HTTPC_MAX_HEADERS)
		return size * n;
	nlen = (size_t)(colon - p);
	vstart = nlen + 1;
	while (vstart < len && (p[vstart] == ' ' || p[vstart] == '\t'))
		vstart++;
	r->header[r->nheaders][0] = xstrndup(p, nlen);
	r->header[r->nheaders][1] = xstrndup(p + vstart, len - vstart);
	r->nheaders++;
	return size * n;
}

int
httpc_request(struct httpc *h, const char *method, const char *url,
    const char *const *headers, const void *body, size_t len,
    struct httpc_response *resp, char *err, size_t errlen)
{
	struct curl_slist *list = NULL, *tmp;
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *c = h->curl;
	CURLcode rc;
	long status = 0, conns = 0;
	int ret = -1;

	httpc_response_release(resp);
	buf_init(&resp->body, h->o.body_max);
	/* reset keeps the connection cache: keep-alive survives */
	curl_easy_reset(c);
	/* no 100-continue round trip for large bodies */
	list = curl_slist_append(list, "Expect:");
	for (int i = 0; headers != NULL && headers[i] != NULL; i++) {
		tmp = curl_slist_append(list, headers[i]);
		if (tmp == NULL)
			goto oom;
		list = tmp;
	}
	if (list == NULL)
		goto oom;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(
	    c, CURLOPT_CONNECTTIMEOUT_MS, (long)h->o.connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)h->o.timeout_ms);
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	if (h->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file);
	if (h->o.cancel != NULL) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(body ? len : 0));
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	rc = curl_easy_perform(c);
	if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK &&
	    conns > 0)
		h->connections += (uint64_t)conns;
	if (rc != CURLE_OK) {
		if (rc == CURLE_WRITE_ERROR && buf_failed(&resp->body))
			snprintf(err, errlen,
			    "%s: the answer is larger than %zu "
			    "bytes",
			    url, h->o.body_max);
		else
			snprintf(err, errlen, "%s: %s", url,
			    cerr[0] ? cerr : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	resp->status = (int)status;
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	curl_slist_free_all(list);
	/* the handle keeps pointers to our stack: forget them */
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	return ret;
}

struct mail_io {
	const char *p;
	size_t left;
	char last[256];    /* the server's last answer line */
	char refusal[256]; /* its first 4xx or 5xx answer */
};

static size_t
mail_read(char *dst, size_t size, size_t n, void *arg)
{
	struct mail_io *io = arg;
	size_t k = size * n < io->left ? size * n : io->left;

	memcpy(dst, io->p, k);
	io->p += k;
	io->left -= k;
	return k;
}

/* For SMTP libcurl hands the server's answers to the header callback. */
static size_t
mail_answer(char *p, size_t size, size_t n, void *arg)
{
	struct mail_io *io = arg;
	size_t len = size * n;

	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	if (len >= sizeof(io->last))
		len = sizeof(io->last) - 1;
	memcpy(io->last, p, len);
	io->last[len] = '\0';
	if (io->refusal[0] == '\0' && (p[0] == '4' || p[0] == '5'))
		memcpy(io->refusal, io->last, len + 1);
	return size * n;
}

int
httpc_mail_send(const struct httpc_mail *m, const void *msg, size_t len,
    char *err, size_t errlen)
{
	struct curl_slist *rcpt = NULL, *tmp;
	struct mail_io io = { msg, len, "", "" };
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	CURLcode rc;
	int ret = -1;

	if (c == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	for (int i = 0; m->to != NULL && m->to[i] != NULL; i++) {
		tmp = curl_slist_append(rcpt, m->to[i]);
		if (tmp == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		rcpt = tmp;
	}
	curl_easy_setopt(c, CURLOPT_URL, m->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
	    (long)(m->timeout_ms ? m->timeout_ms : 30000));
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, m->from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &io);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, mail_answer);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &io);
	if (m->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (m->ca_file != NULL && m->ca_file[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, m->ca_file);
	if (m->user != NULL && m->user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(
		    c, CURLOPT_PASSWORD, m->password ? m->password : "");
	}
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", m->url,
		    cerr[0] ? cerr : curl_easy_strerror(rc));
		if (io.refusal[0] != '\0' || io.last[0] != '\0') {
			size_t k = strlen(err);

			snprintf(err + k, errlen - k, "; server said: %s",
			    io.refusal[0] ? io.refusal : io.last);
		}
		goto out;
	}
	ret = 0;
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return ret;
}
