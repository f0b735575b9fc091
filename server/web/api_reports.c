/* api_reports.c -- POST /api/v1/reports: a subordinate unit's signed report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/cms.h"
#include "core/ratelimit.h"
#include "core/report.h"
#include "core/report_status.h"
#include "core/units.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * The body is {"report_json": B64URL, "report_p7s": B64URL}: the exact
 * bytes of report.json and of its CMS detached signature, unpadded
 * base64url (what `hailong report submit` and the console send).
 *
 * Who may submit: an API key this server issued for the subordinate
 * unit (`hailong apikey add --unit H21.227`), or for a unit above it
 * (a district delivering its communes' reports).  The report's unit must
 * be within the key's scope and below some unit of this server: a unit at
 * the top of the tree has no parent here to report to.
 *
 * Nothing is stored unless every check holds; each refusal says which
 * check failed.  Accepted reports are kept byte for byte; the latest for
 * a unit and month is the current one, the earlier stay as history.
 */

/* Decode the base64url field `key` of body into a new buffer. */
static char *
field(json_t *body, const char *key, size_t max, size_t *len, char *err,
    size_t errlen)
{
	const char *s = json_string_value(json_object_get(body, key));
	size_t n;
	long got;
	char *out;

	if (s == NULL) {
		snprintf(
		    err, errlen, "%s: missing (base64url of the file)", key);
		return NULL;
	}
	n = strlen(s);
	if (n > b64url_len(max)) {
		snprintf(err, errlen, "%s: more than %zu bytes", key, max);
		return NULL;
	}
	out = xmalloc(n * 3 / 4 + 4);
	got = b64url_decode(s, n, out, n * 3 / 4 + 3);
	if (got <= 0) {
		free(out);
		snprintf(err, errlen, "%s: not unpadded base64url", key);
		return NULL;
	}
	*len = (size_t)got;
	return out;
}

static void
refuse(struct ctx *c, int status, const char *code, const char *why,
    const char *unit)
{
	log_kv(LOG_INFO, "report.refused", "unit=%s code=%s", unit, code);
	ctx_json_error(c, status, code, "%s", why);
}

void
api_reports_post(struct ctx *c)
{
	const struct config *cfg = &c->srv->cfg;
	char err[512], key[80], sha[65], replaces[65], at[26], why[700];
	char actor[96];
	struct unit_info ui;
	unsigned char digest[SHA256_LEN];
	char *json = NULL, *p7s = NULL;
	const char *unit = "", *month_s, *as_of_s;
	struct cms_signer who;
	json_t *body = NULL, *doc = NULL;
	size_t len = 0, plen = 0;
	struct db *db;
	unsigned retry = 0;
	int64_t id = 0, now = hl_now(), as_of = 0, held = 0;
	struct period per;
	int rc;

	if (cfg->report_ca[0] == '\0') {
		ctx_json_error(c, 503, "not_configured",
		    "this server accepts no reports: report_ca (its trust "
		    "store) is not set");
		return;
	}
	snprintf(key, sizeof(key), "report:%lld", (long long)c->who.id);
	if (!ratelimit_hit(c->srv->submit_limit, key, now, &retry)) {
		char ra[16];

		ctx_json_error(c, 429, "rate_limited",
		    "more than %u reports an hour from this key; wait",
		    c->srv->cfg.report_submissions_per_hour);
		snprintf(ra, sizeof(ra), "%u", retry ? retry : 1);
		http_set_header(&c->req->resp, "Retry-After", ra);
		return;
	}
	body = ctx_json_body(c);
	if (body == NULL)
		return;
	if (!json_is_object(body) || json_object_size(body) != 2) {
		refuse(c, 400, "bad_request",
		    "send {\"report_json\": ..., \"report_p7s\": ...}: the "
		    "two files in unpadded base64url",
		    unit);
		goto out;
	}
	json =
	    field(body, "report_json", REPORT_JSON_MAX, &len, err, sizeof(err));
	p7s = json
	    ? field(body, "report_p7s", REPORT_P7S_MAX, &plen, err, sizeof(err))
	    : NULL;
	if (p7s == NULL) {
		refuse(c, 400, "bad_request", err, unit);
		goto out;
	}
	if (cms_verify(p7s, plen, json, len, cfg->report_ca, &who, err,
		sizeof(err)) < 0) {
		snprintf(why, sizeof(why), "signature: %s", err);
		refuse(c, 422, "bad_signature", why, unit);
		goto out;
	}
	if (report_check(json, len, &doc, err, sizeof(err)) < 0) {
		refuse(c, 422, "bad_report", err, unit);
		goto out;
	}
	unit = json_string_value(json_object_get(doc, "unit"));
	month_s = json_string_value(json_object_get(doc, "month"));
	as_of_s = json_string_value(json_object_get(doc, "as_of"));
	if (period_parse(month_s, strlen(month_s), &per, NULL, 0) < 0 ||
	    rfc3339_parse(as_of_s, strlen(as_of_s), &as_of) < 0) {
		refuse(c, 422, "bad_report", "month or as_of unreadable", unit);
		goto out;
	}
	if (!cms_signer_names_unit(&who, unit)) {
		snprintf(why, sizeof(why),
		    "unit: the signing certificate (%s) does not name %s in "
		    "its subject or a subject alternative name",
		    who.subject, unit);
		refuse(c, 422, "wrong_unit", why, unit);
		goto out;
	}
	db = ctx_db(c);
	if (db == NULL) {
		server_unavailable(c);
		goto out;
	}
	rc = units_get(db, unit, &ui);
	if (rc < 0) {
		ctx_json_error(c, 500, "internal", "cannot read the units");
		goto out;
	}
	/* a unit with a parent, below the key's */
	if (rc != 0 || ui.parent[0] == '\0' || !ctx_sees_unit(c, unit)) {
		snprintf(why, sizeof(why),
		    "unit: %s is not a subordinate unit that this API key (for "
		    "%s) may report for",
		    unit, c->who.unit);
		refuse(c, 403, "not_subordinate", why, unit);
		goto out;
	}
	sha256(json, len, digest);
	hex_encode(digest, sizeof(digest), sha);
	ctx_actor(c, actor, sizeof(actor));
	rc = report_received_store(db,
	    &(struct report_in){ .unit = unit,
		.month = per.first,
		.kind = per.kind,
		.as_of = as_of,
		.json = json,
		.len = len,
		.p7s = p7s,
		.plen = plen,
		.sha256 = sha,
		.signer = &who,
		.at = now,
		.actor = actor },
	    &id, replaces, &held);
	if (rc < 0) {
		ctx_json_error(c, 500, "internal",
		    "cannot store the report: %s", db_errmsg(db));
		goto out;
	}
	if (rc > 0) {
		rfc3339_format(held, at);
		snprintf(why, sizeof(why),
		    "as_of: the report held for %s %s is as of %s; this one "
		    "(as of %s) is not newer, so it would roll the figures "
		    "back; build a new report",
		    unit, month_s, at, as_of_s);
		refuse(c, 409, "older_than_current", why, unit);
		goto out;
	}
	log_kv(LOG_INFO, "report.received", "unit=%s month=%s sha256=%s", unit,
	    month_s, sha);
	rfc3339_format(now, at);
	ctx_json(c, 200,
	    json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "status",
		"accepted", "id", (json_int_t)id, "unit", unit, "month",
		month_s, "sha256", sha, "received_at", at, "signer",
		who.subject, "replaces",
		replaces[0] ? json_string(replaces) : json_null()));
out:
	free(json);
	free(p7s);
	json_decref(doc);
	json_decref(body);
}

/*
 * GET /api/v1/reports/status?unit=CODE&period=P (or &last=N months):
 * each direct subordinate unit of CODE (default: the key's unit) and
 * each period (a month; a quarter's or a year's months and the period
 * itself), missing / late / received / verified (report_status.h).  A
 * unit outside the key's scope is answered like one that does not
 * exist: 404.
 */
void
api_reports_status_get(struct ctx *c)
{
	const char *unit = form_get(&c->query, "unit");
	const char *period_s = form_get(&c->query, "period");
	const char *last_s = form_get(&c->query, "last");
	struct report_status rs;
	struct period per, cols[24];
	char err[256];
	struct db *db;
	int n = 0;

	if (unit == NULL)
		unit = c->who.unit;
	if ((period_s == NULL) == (last_s == NULL)) {
		ctx_json_error(c, 400, "bad_request",
		    "give period=YYYY-MM|YYYY-Qn|YYYY or last=N (1 to 24 "
		    "months), and optionally unit=CODE");
		return;
	}
	if (period_s != NULL) {
		if (period_parse(period_s, strlen(period_s), &per, err,
			sizeof(err)) < 0) {
			ctx_json_error(c, 400, "bad_period", "period '%s': %s",
			    period_s, err);
			return;
		}
		report_status_periods(&per, cols, &n);
	} else {
		char *end;
		long k = strtol(last_s, &end, 10);

		if (end == last_s || *end != '\0' || k < 1 || k > 24) {
			ctx_json_error(c, 400, "bad_request",
			    "last must be a number of months from 1 to 24, "
			    "not '%s'",
			    last_s);
			return;
		}
		report_status_last_months(hl_now(), (int)k, cols, &n);
	}
	if (!is_unit_code(unit, strlen(unit)) || !ctx_sees_unit(c, unit)) {
		ctx_json_error(c, 404, "not_found", "no such unit");
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		server_unavailable(c);
		return;
	}
	if (report_status_get(
		db, unit, cols, n, hl_now(), &rs, err, sizeof(err)) < 0) {
		report_status_free(&rs);
		ctx_json_error(c, 500, "internal", "%s", err);
		return;
	}
	ctx_json(c, 200, report_status_json(&rs));
	report_status_free(&rs);
}
