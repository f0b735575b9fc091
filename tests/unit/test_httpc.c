/* test_httpc.c -- the HTTP client against a real server on 127.0.0.1. */
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/httpc.h"
#include "test.h"

/* Echo: the method, the X-Test header and the body; /big is 100 KiB. */
static void
on_begin(struct http_request *req, void *arg)
{
	(void)arg;
	req->body_max = 1 << 20;
}

static void
on_handle(struct http_request *req, void *arg)
{
	const char *x = http_header(req, "X-Test");

	(void)arg;
	if (strcmp(req->path, "/big") == 0) {
		http_begin_body(req, 200, "text/plain");
		for (int i = 0; i < 1024; i++)
			buf_puts(&req->resp.body,
			    "0123456789012345678901234567890123456789012345678"
			    "90123456789012345678901234567890123456789012345"
			    "6789\n");
		return;
	}
	http_begin_body(
	    req, strcmp(req->path, "/missing") == 0 ? 404 : 200, "text/plain");
	buf_printf(&req->resp.body, "%s %s x=%s body=", req->method_str,
	    req->path, x ? x : "-");
	buf_add(&req->resp.body, req->body.data ? req->body.data : "",
	    req->body.len);
	http_set_header(&req->resp, "X-Answer", "42");
}

static void
requests(void)
{
	struct http_handlers hh = { on_begin, on_handle, NULL, NULL, NULL };
	struct http_config hc;
	struct httpc_options small = { .body_max = 1024 };
	struct httpc_response r = { 0 };
	struct http_server *s;
	struct httpc *h, *h2;
	const char *hdr[] = { "X-Test: yes", "Content-Type: text/plain", NULL };
	char err[512], url[128];
	const char *date;
	int64_t t;

	memset(&hc, 0, sizeof(hc));
	http_parse_listen("127.0.0.1:0", &hc);
	hc.threads = 1;
	s = http_start(&hc, &hh, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	h = httpc_new(NULL);
	CHECK(h != NULL);
	for (int i = 0; i < 10; i++) {
		snprintf(url, sizeof(url), "http://127.0.0.1:%u/echo",
		    (unsigned)http_port(s));
		CHECK_INT(httpc_request(h, i % 2 ? "GET" : "POST", url, hdr,
			      i % 2 ? NULL : "hello", i % 2 ? 0 : 5, &r, err,
			      sizeof(err)),
		    0);
		CHECK_INT(r.status, 200);
		CHECK_STR(buf_str(&r.body),
		    i % 2 ? "GET /echo x=yes body="
			  : "POST /echo x=yes body=hello");
	}
	/* ten requests, one connection: keep-alive */
	CHECK_INT(httpc_connections(h), 1);
	CHECK_STR(httpc_header(&r, "x-answer"), "42");
	date = httpc_header(&r, "Date");
	CHECK(date != NULL);
	if (date != NULL) {
		CHECK_INT(httpdate_parse(date, strlen(date), &t), 0);
		CHECK(t > hl_now() - 60 && t < hl_now() + 60);
	}
	/* a status other than 2xx is still an answer */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/missing",
	    (unsigned)http_port(s));
	CHECK_INT(
	    httpc_request(h, "GET", url, NULL, NULL, 0, &r, err, sizeof(err)),
	    0);
	CHECK_INT(r.status, 404);
	/* an answer over the cap is no answer */
	h2 = httpc_new(&small);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/big",
	    (unsigned)http_port(s));
	CHECK_INT(
	    httpc_request(h2, "GET", url, NULL, NULL, 0, &r, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "larger than 1024") != NULL);
	CHECK_INT(r.status, 0);
	CHECK_INT(
	    httpc_request(h, "GET", url, NULL, NULL, 0, &r, err, sizeof(err)),
	    0);
	CHECK_INT(r.body.len, 1024 * 101);
	/* nobody listening: an error that names the address */
	http_stop(s);
	CHECK_INT(
	    httpc_request(h2, "GET", url, NULL, NULL, 0, &r, err, sizeof(err)),
	    -1);
	CHECK(strstr(err, "127.0.0.1") != NULL);
	/* not http or https */
	CHECK_INT(httpc_request(h2, "GET", "file:///etc/passwd", NULL, NULL, 0,
		      &r, err, sizeof(err)),
	    -1);
	httpc_response_release(&r);
	httpc_free(h);
	httpc_free(h2);
}

int
main(void)
{
	if (httpc_global_init() < 0)
		return 2;
	RUN(requests);
	return test_report("test_httpc");
}
