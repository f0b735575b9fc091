/* api_metrics.c -- GET /api/v1/metrics: one unit's month as JSON. */
#include <stdlib.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/hltime.h"
#include "hailong/http.h"
#include "hailong/text.h"
#include "core/fold.h"
#include "core/metrics.h"
#include "core/report.h"
#include "core/users.h"
#include "web/jsonapi.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * ?unit=CODE&month=YYYY-MM (or &period=YYYY-MM|YYYY-Qn|YYYY: a quarter's
 * or a year's figures from the sums of its months' counts)
 * [&as_of=RFC3339][&unit_only=1]: the document
 * of schemas/metrics.schema.json, the same bytes as `hailong metrics
 * --json` gives (but compact).  A unit outside the caller's scope is
 * answered exactly like one that does not exist: 404.  Staff below
 * manager get the lists of counters and officers empty, as the console
 * refuses them those tabs; API keys (machines of the unit) get them.
 */
void
api_metrics_get(struct ctx *c)
{
	const char *unit = form_get(&c->query, "unit");
	const char *month_s = form_get(&c->query, "month");
	const char *period_s = form_get(&c->query, "period");
	const char *as_of_s = form_get(&c->query, "as_of");
	const char *only = form_get(&c->query, "unit_only");
	struct metrics *m;
	struct period per;
	struct db *db;
	char err[512];
	int64_t as_of = hl_now();
	int month, horizon, rc;

	if (unit == NULL || (month_s == NULL && period_s == NULL) ||
	    (month_s != NULL && period_s != NULL)) {
		ctx_json_error(c, 400, "bad_request",
		    "give unit=CODE and one of month=YYYY-MM or "
		    "period=YYYY-MM|YYYY-Qn|YYYY (and optionally "
		    "as_of=RFC3339)");
		return;
	}
	if (month_s != NULL) {
		if (month_parse(month_s, strlen(month_s), &month) < 0) {
			ctx_json_error(c, 400, "bad_request",
			    "month must be YYYY-MM, not '%s'", month_s);
			return;
		}
		per = period_of_month(month);
	} else if (period_parse(period_s, strlen(period_s), &per, err,
		       sizeof(err)) < 0) {
		ctx_json_error(
		    c, 400, "bad_period", "period '%s': %s", period_s, err);
		return;
	}
	if (as_of_s != NULL &&
	    rfc3339_parse(as_of_s, strlen(as_of_s), &as_of) < 0) {
		ctx_json_error(c, 400, "bad_request",
		    "as_of must be RFC 3339 with an offset, e.g. "
		    "2026-11-01T00:00:00+07:00");
		return;
	}
	if (!is_unit_code(unit, strlen(unit)) || !ctx_sees_unit(c, unit)) {
		ctx_json_error(c, 404, "not_found", "no such unit");
		return;
	}
	db = ctx_db(c);
	if (db == NULL) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; retry later");
		return;
	}
	horizon = fold_horizon(db);
	if (horizon < 0) {
		ctx_json_error(c, 503, "unavailable",
		    "the database is not available; retry later");
		return;
	}
	if (month_s != NULL && fold_hides(horizon, month, as_of)) {
		ctx_json_error(c, 422, "folded",
		    "the ratings of %s are folded into monthly counts: its "
		    "figures exist as of its end or later",
		    month_s);
		return;
	}
	if (period_s != NULL) {
		rc = metrics_period_check(db, &per, as_of, err, sizeof(err));
		if (rc < 0) {
			ctx_json_error(c, 503, "unavailable",
			    "the database is not available; retry later");
			return;
		}
		if (rc > 0) {
			ctx_json_error(c, rc == 2 ? 422 : 400,
			    rc == 2 ? "folded" : "bad_period", "%s", err);
			return;
		}
	}
	/* with subordinates: their accepted signed reports count (report.h) */
	m = only != NULL && strcmp(only, "1") == 0
	    ? metrics_compute_period(
		  db, unit, &per, as_of, METRICS_UNIT_ONLY, err, sizeof(err))
	    : report_rollup_period(
		  db, unit, &per, as_of, NULL, err, sizeof(err));
	if (m == NULL) {
		ctx_json_error(c, 500, "internal", "%s", err);
		return;
	}
	/* counters and officers: managers and up, as in the console */
	if (c->who.kind == PRINCIPAL_USER && c->who.role < ROLE_MANAGER)
		metrics_drop_staff_scopes(m);
	http_begin_body(c->req, 200, "application/json");
	metrics_dump_buf(m, &c->req->resp.body);
	buf_putc(&c->req->resp.body, '\n');
	metrics_free(m);
}
