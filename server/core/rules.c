/* rules.c -- the versioned thresholds and 766 point rules of the figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/audit.h"
#include "core/rules.h"

#define PPM 1000000

void
rules_defaults(struct metric_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->effective_month = 200001;
	r->n_min = 10;
	r->z = 1.96;
	r->satisfied_min = 900000;
	r->supplement_max = 200000;
	r->online_min = 500000;
	r->on_time_min = 900000;
	r->p21_max = 2000;
	r->p33_max = 600;
	r->p33_target = 500000;
	r->p42_max = 400;
	r->p54_max = 600;
	r->p54_full_at = 900000;
}

/* A JSON number as an exact multiple of 1/scale, within [min, max]. */
static int
scaled(json_t *v, int64_t scale, int64_t min, int64_t max, int64_t *out)
{
	double d, x;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	if (!isfinite(d))
		return -1;
	x = d * (double)scale;
	if (fabs(x - nearbyint(x)) > 1e-6)
		return -1;
	if (nearbyint(x) < (double)min || nearbyint(x) > (double)max)
		return -1;
	*out = (int64_t)nearbyint(x);
	return 0;
}

static json_t *
path(json_t *doc, const char *a, const char *b)
{
	json_t *o = json_object_get(doc, a);

	return b != NULL ? json_object_get(o, b) : o;
}

int
rules_parse(const char *json, size_t len, struct metric_rules *r, char *err,
    size_t errlen)
{
	static const struct {
		const char *a, *b, *c;
		int64_t scale, min, max;
		size_t off;
	} keys[] = {
		{ "flags", "LOW_SATISFACTION", NULL, PPM, 1, PPM,
		    offsetof(struct metric_rules, satisfied_min) },
		{ "flags", "HIGH_SUPPLEMENT", NULL, PPM, 0, PPM,
		    offsetof(struct metric_rules, supplement_max) },
		{ "flags", "LOW_ONLINE", NULL, PPM, 1, PPM,
		    offsetof(struct metric_rules, online_min) },
		{ "flags", "LATE", NULL, PPM, 1, PPM,
		    offsetof(struct metric_rules, on_time_min) },
		{ "points", "2.1", "max", 100, 0, 10000,
		    offsetof(struct metric_rules, p21_max) },
		{ "points", "3.3", "max", 100, 0, 10000,
		    offsetof(struct metric_rules, p33_max) },
		{ "points", "3.3", "target", PPM, 1, PPM,
		    offsetof(struct metric_rules, p33_target) },
		{ "points", "4.2", "max", 100, 0, 10000,
		    offsetof(struct metric_rules, p42_max) },
		{ "points", "5.4", "max", 100, 0, 10000,
		    offsetof(struct metric_rules, p54_max) },
		{ "points", "5.4", "full_at", PPM, 1, PPM,
		    offsetof(struct metric_rules, p54_full_at) },
	};
	struct metric_rules out = *r;
	json_error_t je;
	json_t *doc, *v;
	int rc = -1;

	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL || !json_is_object(doc)) {
		snprintf(err, errlen, "rules: not a JSON object (%s)",
		    doc == NULL ? je.text : "wrong type");
		goto out;
	}
	v = json_object_get(doc, "n_min");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000000) {
		snprintf(err, errlen,
		    "rules: n_min must be a whole number "
		    "from 1 to 1000000");
		goto out;
	}
	out.n_min = (int)json_integer_value(v);
	v = json_object_get(doc, "z");
	if (!json_is_number(v) || !(json_number_value(v) > 0) ||
	    json_number_value(v) > 10) {
		snprintf(err, errlen, "rules: z must be a number in (0, 10]");
		goto out;
	}
	out.z = json_number_value(v);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *o = path(doc, keys[i].a, keys[i].b);
		int64_t *dst = (int64_t *)(void *)((char *)&out + keys[i].off);

		if (keys[i].c != NULL)
			o = json_object_get(o, keys[i].c);
		if (scaled(o, keys[i].scale, keys[i].min, keys[i].max, dst) <
		    0) {
			snprintf(err, errlen, "rules: %s.%s%s%s must be %s",
			    keys[i].a, keys[i].b, keys[i].c ? "." : "",
			    keys[i].c ? keys[i].c : "",
			    keys[i].scale == PPM
				? "a fraction in (0, 1] with at most 6 "
				  "decimals"
				: "a number in [0, 100] with at most 2 "
				  "decimals");
			goto out;
		}
	}
	*r = out;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

static json_t *
frac(int64_t ppm)
{
	return json_real((double)ppm / PPM);
}

static json_t *
pts(int64_t hundredths)
{
	if (hundredths % 100 == 0)
		return json_integer(hundredths / 100);
	return json_real((double)hundredths / 100);
}

json_t *
rules_to_json(const struct metric_rules *r)
{
	return json_pack(
	    "{s:i, s:f, s:{s:o, s:o, s:o, s:o}, s:{s:{s:o}, s:{s:o, s:o}, "
	    "s:{s:o}, s:{s:o, s:o}}}",
	    "n_min", r->n_min, "z", r->z, "flags", "LOW_SATISFACTION",
	    frac(r->satisfied_min), "HIGH_SUPPLEMENT", frac(r->supplement_max),
	    "LOW_ONLINE", frac(r->online_min), "LATE", frac(r->on_time_min),
	    "points", "2.1", "max", pts(r->p21_max), "3.3", "max",
	    pts(r->p33_max), "target", frac(r->p33_target), "4.2", "max",
	    pts(r->p42_max), "5.4", "max", pts(r->p54_max), "full_at",
	    frac(r->p54_full_at));
}

int
rules_for_month(
    struct db *db, int month, struct metric_rules *r, char *err, size_t errlen)
{
	struct db_stmt *st;
	char m[8];
	int rc = -1, step;

	st = db_query(db,
	    "SELECT version, effective_month, body FROM metric_rules "
	    "WHERE effective_month <= ? "
	    "ORDER BY effective_month DESC, version DESC LIMIT 1",
	    "i", month);
	if (st == NULL) {
		snprintf(
		    err, errlen, "cannot read the rules: %s", db_errmsg(db));
		return -1;
	}
	step = db_step(st);
	if (step == DB_ROW) {
		const char *body = db_col_text(st, 2);

		rules_defaults(r);
		r->version = (int)db_col_int(st, 0);
		r->effective_month = (int)db_col_int(st, 1);
		if (rules_parse(body, strlen(body), r, err, errlen) == 0)
			rc = 0;
	} else if (step == DB_DONE) {
		month_format(month, m);
		snprintf(err, errlen, "no metric rules apply to %s", m);
	} else {
		snprintf(
		    err, errlen, "cannot read the rules: %s", db_errmsg(db));
	}
	db_done(st);
	return rc;
}

int
rules_add(struct db *db, int effective_month, const char *json, size_t len,
    const char *actor, int *version, char *err, size_t errlen)
{
	struct metric_rules r;
	char target[32], detail[64], *canon = NULL;
	json_t *doc;
	int64_t v;

	rules_defaults(&r);
	if (rules_parse(json, len, &r, err, errlen) < 0)
		return -1;
	/* stored in the canonical form, whatever spacing came in */
	doc = rules_to_json(&r);
	canon = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(doc);
	if (db_begin(db) < 0)
		goto dberr;
	if (db_int(db, &v,
		"SELECT coalesce(max(version), 0) + 1 FROM "
		"metric_rules",
		"") != 0 ||
	    db_run(db,
		"INSERT INTO metric_rules(version, effective_month, body, "
		"created_at, created_by) VALUES (?, ?, ?, ?, ?)",
		"litlt", v, effective_month, canon, hl_now(), actor) < 0)
		goto dberr;
	snprintf(target, sizeof(target), "rules:%lld", (long long)v);
	snprintf(detail, sizeof(detail), "{\"effective_month\":%d}",
	    effective_month);
	if (audit_append(db, actor, "rules.add", target, detail) < 0 ||
	    db_commit(db) < 0)
		goto dberr;
	free(canon);
	*version = (int)v;
	return 0;
dberr:
	snprintf(err, errlen, "cannot store the rules: %s", db_errmsg(db));
	db_rollback(db);
	free(canon);
	return -1;
}

int
rules_report_deadline(
    struct db *db, int month, int *days, char *err, size_t errlen)
{
	struct db_stmt *st;
	int step;

	*days = REPORT_DEADLINE_DAYS_DEFAULT;
	st = db_query(db,
	    "SELECT days FROM report_deadline_rules WHERE effective_month <= ? "
	    "ORDER BY effective_month DESC, version DESC LIMIT 1",
	    "i", month);
	if (st == NULL) {
		snprintf(err, errlen, "cannot read the report deadline: %s",
		    db_errmsg(db));
		return -1;
	}
	step = db_step(st);
	if (step == DB_ROW)
		*days = (int)db_col_int(st, 0);
	db_done(st);
	if (step < 0) {
		snprintf(err, errlen, "cannot read the report deadline: %s",
		    db_errmsg(db));
		return -1;
	}
	return 0;
}

int
rules_report_deadline_add(struct db *db, int effective_month, int days,
    const char *actor, int *version, char *err, size_t errlen)
{
	char target[48], detail[96];
	int64_t v;

	if (days < 0 || days > 366) {
		snprintf(err, errlen,
		    "the report deadline is 0 to 366 days, not %d", days);
		return -1;
	}
	if (db_begin(db) < 0)
		goto dberr;
	if (db_int(db, &v,
		"SELECT coalesce(max(version), 0) + 1 FROM "
		"report_deadline_rules",
		"") != 0 ||
	    db_run(db,
		"INSERT INTO report_deadline_rules(version, effective_month, "
		"days, created_at, actor) VALUES (?, ?, ?, ?, ?)",
		"liilt", v, effective_month, days, hl_now(), actor) < 0)
		goto dberr;
	snprintf(target, sizeof(target), "report_deadline:%lld", (long long)v);
	snprintf(detail, sizeof(detail), "{\"days\":%d,\"effective_month\":%d}",
	    days, effective_month);
	if (audit_append(db, actor, "rules.report_deadline", target, detail) <
		0 ||
	    db_commit(db) < 0)
		goto dberr;
	*version = (int)v;
	return 0;
dberr:
	snprintf(
	    err, errlen, "cannot store the report deadline: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}
