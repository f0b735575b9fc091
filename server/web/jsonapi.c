/* jsonapi.c -- JSON in and out of the APIs, with errors that say what. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/http.h"
#include "hailong/text.h"
#include "web/jsonapi.h"
#include "web/server.h"

void
ctx_json(struct ctx *c, int status, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	http_begin_body(c->req, status, "application/json");
	if (s == NULL) {
		http_text(c->req, 500, "cannot encode the answer\n");
		return;
	}
	buf_puts(&c->req->resp.body, s);
	buf_putc(&c->req->resp.body, '\n');
	free(s);
}

void
ctx_json_error(
    struct ctx *c, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx_json(
	    c, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
}

/* Deeper than max?  Checked on the text so jansson never recurses far. */
static int
too_deep(const char *s, size_t len, int max)
{
	int depth = 0;
	int in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (in_string) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_string = 0;
		} else if (ch == '"') {
			in_string = 1;
		} else if (ch == '[' || ch == '{') {
			if (++depth > max)
				return 1;
		} else if (ch == ']' || ch == '}') {
			depth--;
		}
	}
	return 0;
}

json_t *
json_body_parse(const char *body, size_t len, char *why, size_t whylen)
{
	json_error_t je;
	json_t *doc;

	if (!utf8_is_valid(body, len)) {
		snprintf(why, whylen, "the body is not UTF-8");
		return NULL;
	}
	if (too_deep(body, len, JSON_BODY_MAX_DEPTH)) {
		snprintf(why, whylen, "JSON nested deeper than %d levels",
		    JSON_BODY_MAX_DEPTH);
		return NULL;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL)
		snprintf(why, whylen, "invalid JSON at line %d column %d: %s",
		    je.line, je.column, je.text);
	return doc;
}

json_t *
ctx_json_body(struct ctx *c)
{
	const char *ct = http_header(c->req, "Content-Type");
	const char *body = c->req->body.data ? c->req->body.data : "";
	char why[256];
	json_t *doc;

	if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
		ctx_json_error(c, 415, "unsupported_media_type",
		    "send Content-Type: application/json");
		return NULL;
	}
	doc = json_body_parse(body, c->req->body.len, why, sizeof(why));
	if (doc == NULL)
		ctx_json_error(c, 400, "bad_request", "%s", why);
	return doc;
}
