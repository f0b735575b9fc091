/* api_links.c -- the one-stop system's rating links and served dossiers. */
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/qr.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/qrlink.h"
#include "core/ratings.h"
#include "core/serving.h"
#include "core/store.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * Both for the one-stop software (the receipt, the "result returned"
 * notice, the counter's screen) with an API key of scope "links" that
 * sees the unit.  Errors are {"error", "message"} and, for a bad body,
 * "field"; anything outside the key's units answers 404 as if it did
 * not exist, and nothing is made.
 *
 * POST /api/v1/dossiers/{code}/rating-link[?format=json|svg|png]
 *	{"procedure": "1.001193", "unit": "H21.227",
 *	 "channel": "counter"|"online"|"post"}   (every key optional)
 * answers 200 {"url", "expires_at", "dossier", "unit", "procedure" (or
 * null), "channel"}, or the QR code of the url as SVG or PNG.  The link
 * is a dossier token (token.h, version 2: it expires after
 * QRLINK_DOSSIER_TTL; "online" makes its ratings of channel web), as
 * single-use as `hailong qr --dossier`: one valid rating per dossier.
 * Nothing is stored, so asking twice is harmless.  qrlink_dossier()
 * says which unit the link is for.  404 for a code that is not a mã hồ
 * sơ, a "unit" unknown or outside the key's units, a dossier of another
 * unit; 400 for a bad field (an unknown procedure too).
 *
 * POST /api/v1/counters/{unit}/{number}/serving
 *	{"dossier": "H21.227-261031-0001"}  or  {"dossier": null}
 * says which dossier the counter serves now (serving.h: memory only),
 * for its kiosk to show and bind the next rating to.  200 {"unit",
 * "counter", "dossier" (or null), "since" (or null)}; 404 for a counter
 * unknown or outside the key's units, or a dossier of another unit.
 */

static void
bad_field(struct ctx *c, const char *field, const char *message)
{
	ctx_json(c, 400,
	    json_pack("{s:s, s:s, s:s}", "error", "bad_request", "message",
		message, "field", field));
}

static void
unavailable(struct ctx *c)
{
	ctx_json_error(c, 503, "unavailable",
	    "the database is not available; retry later");
}

/* Every key of doc is one of `names` (NULL-ended).  False answered. */
static bool
only_keys(
    struct ctx *c, json_t *doc, const char *const *names, const char *list)
{
	const char *key;
	json_t *v;
	char msg[160];

	if (!json_is_object(doc)) {
		bad_field(c, "", "the body must be a JSON object");
		return false;
	}
	json_object_foreach(doc, key, v)
	{
		size_t i = 0;

		while (names[i] != NULL && strcmp(names[i], key) != 0)
			i++;
		if (names[i] == NULL) {
			snprintf(msg, sizeof(msg), "%.40s: unknown field (%s)",
			    key, list);
			bad_field(c, key, msg);
			return false;
		}
	}
	return true;
}

/* The body, or {} when there is none.  New; NULL answered. */
static json_t *
body_or_empty(struct ctx *c)
{
	if (c->req->body.len == 0)
		return json_object();
	return ctx_json_body(c);
}

/* The optional string `name` of doc into *out.  False answered. */
static bool
opt_string(struct ctx *c, json_t *doc, const char *name, const char **out,
    bool (*ok)(const char *, size_t), const char *message)
{
	json_t *v = json_object_get(doc, name);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v) ||
	    (ok != NULL && !ok(json_string_value(v), json_string_length(v)))) {
		bad_field(c, name, message);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

#define CHANNEL_MESSAGE "channel: \"counter\", \"online\" or \"post\""

static const char *const link_keys[] = { "procedure", "unit", "channel", NULL };

/* The body into req; *channel the word given.  0, or -1 answered. */
static int
read_link_body(struct ctx *c, json_t *doc, struct qrlink_dossier_req *req,
    const char **channel)
{
	if (!only_keys(c, doc, link_keys, "procedure, unit, channel") ||
	    !opt_string(c, doc, "procedure", &req->procedure, is_procedure_code,
		"procedure: a mã TTHC like 1.001193") ||
	    !opt_string(c, doc, "unit", &req->unit, is_unit_code,
		"unit: a unit code like H21.227") ||
	    !opt_string(c, doc, "channel", channel, NULL, CHANNEL_MESSAGE))
		return -1;
	if (*channel == NULL)
		*channel = "counter";
	if (strcmp(*channel, "counter") != 0 &&
	    strcmp(*channel, "online") != 0 && strcmp(*channel, "post") != 0) {
		bad_field(c, "channel", CHANNEL_MESSAGE);
		return -1;
	}
	req->web = strcmp(*channel, "online") == 0;
	return 0;
}

/* The link as ?format asks: JSON, or its QR code. */
static void
link_answer(struct ctx *c, const char *format, const struct token *t,
    const char *channel, const struct buf *url)
{
	char expires[26];
	struct qr *q;
	int rc;

	if (strcmp(format, "json") == 0) {
		rfc3339_format(t->expires, expires);
		ctx_json(c, 200,
		    json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}", "url",
			buf_str(url), "expires_at", expires, "dossier",
			t->dossier, "unit", t->unit, "procedure",
			t->procedure[0] ? t->procedure : NULL, "channel",
			channel));
		return;
	}
	q = qr_encode(buf_str(url));
	if (q == NULL) {
		ctx_json_error(c, 500, "internal", "cannot encode the QR code");
		return;
	}
	http_begin_body(c->req, 200,
	    strcmp(format, "png") == 0 ? "image/png" : "image/svg+xml");
	rc = strcmp(format, "png") == 0 ? qr_png(q, 8, &c->req->resp.body)
					: qr_svg(q, 8, &c->req->resp.body);
	qr_free(q);
	if (rc < 0)
		ctx_json_error(c, 500, "internal", "cannot draw the QR code");
}

void
api_rating_link_post(struct ctx *c)
{
	const char *code = ctx_param(c, 0);
	const char *format = form_get(&c->query, "format");
	struct qrlink_dossier_req req = { 0 };
	char token[TOKEN_MAX_LEN + 1], err[512];
	const char *channel = NULL;
	struct buf url = { 0 };
	struct token t;
	struct db *db;
	json_t *doc;

	if (code == NULL || !is_dossier_code(code, strlen(code))) {
		ctx_json_error(c, 404, "not_found",
		    "no such dossier: the code is not a mã hồ sơ like "
		    "H21.227-261031-0001");
		return;
	}
	if (format == NULL)
		format = "json";
	if (strcmp(format, "json") != 0 && strcmp(format, "svg") != 0 &&
	    strcmp(format, "png") != 0) {
		bad_field(c, "format", "format: json, svg or png");
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		unavailable(c);
		return;
	}
	doc = body_or_empty(c);
	if (doc == NULL)
		return;
	req.scope = c->who.unit;
	req.dossier = code;
	req.now = hl_now();
	if (read_link_body(c, doc, &req, &channel) < 0)
		goto out;
	if (qrlink_dossier(db, &req, &t, token, err, sizeof(err)) < 0) {
		if (req.why == QRLINK_NO_UNIT)
			ctx_json(c, 404,
			    json_pack("{s:s, s:s, s:s}", "error", "not_found",
				"message",
				"unit: no such unit among the key's units",
				"field", "unit"));
		else if (req.why == QRLINK_FOREIGN)
			ctx_json_error(c, 404, "not_found",
			    "no such dossier among the key's units");
		else if (req.why == QRLINK_NO_PROCEDURE) {
			char msg[600];

			snprintf(msg, sizeof(msg), "procedure: %s", err);
			bad_field(c, "procedure", msg);
		} else {
			log_kv(LOG_ERROR, "rating_link", "error=\"%s\"", err);
			unavailable(c);
		}
		goto out;
	}
	qrlink_url(c->srv->base_url, token, &url);
	log_kv(LOG_INFO, "rating_link", "unit=%s channel=%s", t.unit, channel);
	link_answer(c, format, &t, channel, &url);
out:
	buf_release(&url);
	json_decref(doc);
}

static void
no_counter(struct ctx *c)
{
	ctx_json_error(c, 404, "not_found", "no such counter");
}

static const char *const serving_keys[] = { "dossier", NULL };

void
api_serving_post(struct ctx *c)
{
	const char *unit = ctx_param(c, 0), *number = ctx_param(c, 1);
	const char *dossier = NULL;
	struct serving s;
	struct db *db;
	json_t *doc, *v;
	char owner[41], since[26];
	int64_t n, now = hl_now();
	int rc;

	if (unit == NULL || number == NULL ||
	    !is_unit_code(unit, strlen(unit)) ||
	    parse_int64(number, strlen(number), 1, 999, &n) < 0 ||
	    !ctx_sees_unit(c, unit)) {
		no_counter(c);
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		unavailable(c);
		return;
	}
	if (!store_has_counter(db, unit, (int)n)) {
		no_counter(c);
		return;
	}
	doc = ctx_json_body(c);
	if (doc == NULL)
		return;
	if (!only_keys(c, doc, serving_keys, "dossier"))
		goto out;
	v = json_object_get(doc, "dossier");
	if (v == NULL ||
	    (!json_is_null(v) &&
		!(json_is_string(v) &&
		    is_dossier_code(
			json_string_value(v), json_string_length(v))))) {
		bad_field(c, "dossier",
		    "dossier: a mã hồ sơ like H21.227-261031-0001, or null "
		    "to clear");
		goto out;
	}
	dossier = json_string_value(v);
	if (dossier != NULL) {
		rc = ratings_dossier_foreign(db, unit, dossier, owner);
		if (rc < 0) {
			unavailable(c);
			goto out;
		}
		if (rc > 0) {
			ctx_json(c, 404,
			    json_pack("{s:s, s:s, s:s}", "error", "not_found",
				"message",
				"dossier: no such dossier at this counter's "
				"unit",
				"field", "dossier"));
			goto out;
		}
	}
	if (serving_set(unit, (int)n, dossier, now, &s) < 0) {
		ctx_json_error(c, 503, "unavailable",
		    "too many counters serve a dossier; retry later");
		goto out;
	}
	log_kv(LOG_INFO, "serving", "unit=%s counter=%d set=%d", unit, (int)n,
	    dossier != NULL);
	if (dossier != NULL)
		rfc3339_format(s.since, since);
	ctx_json(c, 200,
	    json_pack("{s:s, s:i, s:s?, s:s?}", "unit", unit, "counter", (int)n,
		"dossier", dossier, "since", dossier != NULL ? since : NULL));
out:
	json_decref(doc);
}
