/* jsonapi.h -- JSON in and out of the APIs, with errors that say what. */
#ifndef HAILONG_JSONAPI_H
#define HAILONG_JSONAPI_H

#include <jansson.h>

struct ctx;

#define JSON_BODY_MAX_DEPTH 16

/* Answer `status` with doc as compact UTF-8 JSON.  Steals doc. */
void ctx_json(struct ctx *c, int status, json_t *doc);

/*
 * Answer {"error": code, "message": "..."}: code is a stable word for
 * programs ("bad_request", "unauthorized", "not_found", "conflict"),
 * message a sentence for people.
 */
void ctx_json_error(struct ctx *c, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * The request body parsed as JSON (duplicate keys refused, nesting at
 * most JSON_BODY_MAX_DEPTH).  New.  NULL after answering 400 (or 415
 * when the Content-Type is not JSON) with the reason.
 */
json_t *ctx_json_body(struct ctx *c);

/* A request body as JSON: UTF-8, at most JSON_BODY_MAX_DEPTH deep, no
 * duplicate keys.  NULL with the reason in why when it is not. */
json_t *json_body_parse(const char *body, size_t len, char *why, size_t whylen);

#endif
