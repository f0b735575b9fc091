/* api_duty.c -- POST /api/v1/counters/{unit}/{number}/duty: who is on duty. */
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/duty.h"
#include "core/setup.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * For a queue system or the one-stop software, with an API key that has
 * the "duty" scope and sees the unit.  The body:
 *
 *	{"action": "start", "officer": "VC01", "at": "2026-10-31T07:30:00+07:00"}
 *	{"action": "end"}
 *
 * ("at" optional, by default now) is one duty_start() or duty_end()
 * (duty.h), audited as "apikey:<id>".  200 {"unit", "counter", "officer",
 * "started_at"} (the span now open: an officer started again where they
 * are keeps their start) or {"unit", "counter", "ended_at"}; 400
 * {"error", "message", "field"} for a bad body; 404 for a counter that
 * does not exist or that the key does not see (alike); 409 when the log
 * or the counter stands against it (nobody on duty to end, a time before
 * the last change, a disabled counter).
 */

static void
bad_field(struct ctx *c, const char *field, const char *message)
{
	ctx_json(c, 400,
	    json_pack("{s:s, s:s, s:s}", "error", "bad_request", "message",
		message, "field", field));
}

static void
no_counter(struct ctx *c)
{
	ctx_json_error(c, 404, "not_found", "no such counter");
}

/* The body into req (its strings borrowed from doc).  0, or -1 answered. */
static int
read_body(struct ctx *c, json_t *doc, struct duty_request *req)
{
	const char *key, *action;
	json_t *v, *at;
	char msg[160];

	if (!json_is_object(doc)) {
		bad_field(c, "", "the body must be a JSON object");
		return -1;
	}
	json_object_foreach(doc, key, v)
	{
		if (strcmp(key, "action") != 0 && strcmp(key, "officer") != 0 &&
		    strcmp(key, "at") != 0) {
			snprintf(msg, sizeof(msg),
			    "%.40s: unknown field (action, officer, at)", key);
			bad_field(c, key, msg);
			return -1;
		}
	}
	action = json_string_value(json_object_get(doc, "action"));
	if (action == NULL ||
	    (strcmp(action, "start") != 0 && strcmp(action, "end") != 0)) {
		bad_field(c, "action", "action: must be \"start\" or \"end\"");
		return -1;
	}
	req->start = strcmp(action, "start") == 0;
	v = json_object_get(doc, "officer");
	if (!req->start && v != NULL) {
		bad_field(c, "officer", "officer: only with action \"start\"");
		return -1;
	}
	if (req->start) {
		req->officer = json_string_value(v);
		if (req->officer == NULL ||
		    !is_officer_id(req->officer, strlen(req->officer))) {
			bad_field(c, "officer",
			    "officer: an officer id of 1-32 letters, digits, "
			    "'.', '_' or '-' is required");
			return -1;
		}
	}
	req->at = hl_now();
	at = json_object_get(doc, "at");
	if (at != NULL &&
	    (!json_is_string(at) ||
		rfc3339_parse(json_string_value(at), json_string_length(at),
		    &req->at) < 0)) {
		bad_field(c, "at",
		    "at: an RFC 3339 time with an offset "
		    "(2026-10-31T07:30:00+07:00)");
		return -1;
	}
	return 0;
}

static void
answer(struct ctx *c, struct db *db, const struct duty_request *req)
{
	struct duty_row d;
	char t[26];

	if (!req->start) {
		rfc3339_format(req->at, t);
		ctx_json(c, 200,
		    json_pack("{s:s, s:i, s:s}", "unit", req->unit, "counter",
			req->counter, "ended_at", t));
		return;
	}
	if (duty_open_at(db, req->unit, req->counter, &d) != 0) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; retry later");
		return;
	}
	rfc3339_format(d.started_at, t);
	ctx_json(c, 200,
	    json_pack("{s:s, s:i, s:s, s:s}", "unit", d.unit, "counter",
		d.counter, "officer", d.officer, "started_at", t));
}

void
api_duty_post(struct ctx *c)
{
	const char *unit = ctx_param(c, 0), *number = ctx_param(c, 1);
	struct duty_request req = { 0 };
	char err[512], actor[64];
	struct change ch = { actor, LANG_EN, err, sizeof(err) };
	struct db *db;
	json_t *doc;
	int64_t n;
	int rc;

	/* outside the key's units: as if it did not exist */
	if (unit == NULL || number == NULL ||
	    !is_unit_code(unit, strlen(unit)) ||
	    parse_int64(number, strlen(number), 1, 999, &n) < 0 ||
	    !ctx_sees_unit(c, unit)) {
		no_counter(c);
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; retry later");
		return;
	}
	doc = ctx_json_body(c);
	if (doc == NULL)
		return;
	req.unit = unit;
	req.counter = (int)n;
	if (read_body(c, doc, &req) < 0) {
		json_decref(doc);
		return;
	}
	ctx_actor(c, actor, sizeof(actor));
	rc = duty_apply(db, &ch, &req);
	if (rc == 0)
		answer(c, db, &req);
	else if (req.why == DUTY_NO_COUNTER)
		no_counter(c);
	else if (req.why == DUTY_BAD_OFFICER || req.why == DUTY_BAD_TIME) {
		const char *field =
		    req.why == DUTY_BAD_OFFICER ? "officer" : "at";
		char msg[600];

		snprintf(msg, sizeof(msg), "%s: %s", field, err);
		bad_field(c, field, msg);
	} else if (req.why == DUTY_CONFLICT)
		ctx_json_error(c, 409, "conflict", "%s", err);
	else
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; retry later");
	json_decref(doc);
}
