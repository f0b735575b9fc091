/* report_status.c -- who has not reported (report_status.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/util.h"
#include "core/report_status.h"
#include "core/rules.h"

static const char *const state_codes[] = { "missing", "late", "received",
	"verified" };

const char *
report_state_code(enum report_state s)
{
	return state_codes[s];
}

void
report_status_periods(const struct period *p, struct period out[13], int *n)
{
	*n = 0;
	if (p->kind != 'm')
		for (int m = p->first; m <= p->last; m = month_add(m, 1))
			out[(*n)++] = period_of_month(m);
	out[(*n)++] = *p;
}

void
report_status_last_months(int64_t now, int n, struct period out[24], int *count)
{
	int last = month_add(month_of(now), -1);

	if (n < 1)
		n = 1;
	if (n > 24)
		n = 24;
	for (int i = 0; i < n; i++)
		out[i] = period_of_month(month_add(last, i - n + 1));
	*count = n;
}

void
report_status_free(struct report_status *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nrows; i++)
		free(s->rows[i].cells);
	free(s->rows);
	free(s->periods);
	free(s->deadline_days);
	memset(s, 0, sizeof(*s));
}

static int
fill_cell(struct db *db, const char *unit, const struct period *p, int days,
    int64_t now, struct report_cell *c)
{
	char kind[2] = { p->kind, '\0' };
	struct db_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	c->deadline = period_end(p) + (int64_t)days * 86400;
	st = db_query(db,
	    "SELECT (SELECT min(received_at) FROM reports_received x WHERE "
	    "x.unit = r.unit AND x.month = r.month AND x.kind = r.kind AND "
	    "x.received_at <= ?4), r.received_at, r.as_of, r.signer, "
	    "r.sha256 FROM reports_received r WHERE r.unit = ?1 AND "
	    "r.month = ?2 AND r.kind = ?3 AND r.received_at <= ?4 "
	    "ORDER BY r.id DESC LIMIT 1",
	    "titl", unit, p->first, kind, now);
	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		c->first_at = db_col_int(st, 0);
		c->received_at = db_col_int(st, 1);
		c->as_of = db_col_int(st, 2);
		strlcpy_hl(c->signer, db_col_text(st, 3), sizeof(c->signer));
		strlcpy_hl(c->sha256, db_col_text(st, 4), sizeof(c->sha256));
		if (c->first_at >= c->deadline)
			c->state = RSTATE_LATE;
		else if (c->as_of >= period_end(p))
			c->state = RSTATE_VERIFIED;
		else
			c->state = RSTATE_RECEIVED;
	} else {
		c->state = RSTATE_MISSING;
		c->overdue = now >= c->deadline;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int
report_status_get(struct db *db, const char *unit, const struct period *periods,
    int nperiods, int64_t now, struct report_status *out, char *err,
    size_t errlen)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	strlcpy_hl(out->unit, unit, sizeof(out->unit));
	out->now = now;
	out->nperiods = nperiods;
	out->periods = xcalloc((size_t)nperiods + 1, sizeof(*out->periods));
	out->deadline_days =
	    xcalloc((size_t)nperiods + 1, sizeof(*out->deadline_days));
	for (int i = 0; i < nperiods; i++) {
		out->periods[i] = periods[i];
		if (rules_report_deadline(db, periods[i].last,
			&out->deadline_days[i], err, errlen) < 0)
			return -1;
	}
	st = db_query(db,
	    "SELECT code, name FROM units WHERE parent = ? AND active = 1 "
	    "ORDER BY code",
	    "t", unit);
	if (st == NULL)
		goto dberr;
	while ((rc = db_step(st)) == DB_ROW) {
		struct report_status_row *r;

		if (out->nrows == cap) {
			cap = cap ? 2 * cap : 16;
			out->rows =
			    xrealloc(out->rows, cap * sizeof(*out->rows));
		}
		r = &out->rows[out->nrows++];
		memset(r, 0, sizeof(*r));
		strlcpy_hl(r->unit, db_col_text(st, 0), sizeof(r->unit));
		strlcpy_hl(r->name, db_col_text(st, 1), sizeof(r->name));
		r->cells = xcalloc((size_t)nperiods + 1, sizeof(*r->cells));
	}
	db_done(st);
	if (rc < 0)
		goto dberr;
	for (size_t i = 0; i < out->nrows; i++)
		for (int j = 0; j < nperiods; j++) {
			struct report_cell *c = &out->rows[i].cells[j];

			if (fill_cell(db, out->rows[i].unit, &periods[j],
				out->deadline_days[j], now, c) < 0)
				goto dberr;
			out->missing +=
			    c->state == RSTATE_MISSING && c->overdue;
			out->late += c->state == RSTATE_LATE;
		}
	return 0;
dberr:
	snprintf(
	    err, errlen, "cannot read the reports received: %s", db_errmsg(db));
	return -1;
}

static json_t *
time_or_null(int64_t t)
{
	char s[26];

	if (t == 0)
		return json_null();
	rfc3339_format(t, s);
	return json_string(s);
}

json_t *
report_status_json(const struct report_status *s)
{
	json_t *doc = json_object(), *ps = json_array(), *rows = json_array();
	char p[PERIOD_TEXT_MAX], now[26];

	for (int j = 0; j < s->nperiods; j++) {
		period_format(&s->periods[j], p);
		json_array_append_new(ps,
		    json_pack("{s:s, s:i, s:o}", "period", p, "deadline_days",
			s->deadline_days[j], "deadline",
			time_or_null(period_end(&s->periods[j]) +
			    (int64_t)s->deadline_days[j] * 86400)));
	}
	for (size_t i = 0; i < s->nrows; i++) {
		const struct report_status_row *r = &s->rows[i];
		json_t *cells = json_array();

		for (int j = 0; j < s->nperiods; j++) {
			const struct report_cell *c = &r->cells[j];
			json_t *o;

			period_format(&s->periods[j], p);
			o = json_pack("{s:s, s:s, s:b}", "period", p, "status",
			    report_state_code(c->state), "overdue", c->overdue);
			json_object_set_new(
			    o, "received_at", time_or_null(c->received_at));
			json_object_set_new(
			    o, "first_received_at", time_or_null(c->first_at));
			json_object_set_new(o, "as_of", time_or_null(c->as_of));
			json_object_set_new(o, "signer",
			    c->first_at ? json_string(c->signer) : json_null());
			json_object_set_new(o, "sha256",
			    c->first_at ? json_string(c->sha256) : json_null());
			json_array_append_new(cells, o);
		}
		json_array_append_new(rows,
		    json_pack("{s:s, s:s, s:o}", "unit", r->unit, "unit_name",
			r->name, "periods", cells));
	}
	rfc3339_format(s->now, now);
	json_object_set_new(doc, "unit", json_string(s->unit));
	json_object_set_new(doc, "now", json_string(now));
	json_object_set_new(doc, "periods", ps);
	json_object_set_new(doc, "units", rows);
	json_object_set_new(doc, "missing", json_integer(s->missing));
	json_object_set_new(doc, "late", json_integer(s->late));
	return doc;
}
