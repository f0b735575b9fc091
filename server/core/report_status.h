/* report_status.h -- who has not reported: subordinates' reports by period. */
#ifndef HAILONG_REPORT_STATUS_H
#define HAILONG_REPORT_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hailong/hltime.h"

struct db;

/*
 * For a parent unit, each active direct subordinate unit and each period
 * asked: what this server received (reports_received, POST
 * /api/v1/reports).  A report of a period is due `deadline_days` days
 * (rules_report_deadline(), versioned, default 5) after the period's end:
 *
 *   missing   no accepted report (overdue when the deadline has passed)
 *   late      the first accepted report arrived after the deadline
 *   received  on time, but the current report is provisional: built as
 *             of an instant before the period's end, its figures are not
 *             the whole period's
 *   verified  on time, and the current report covers the whole period
 *             (as_of at or after its end); its signature was verified
 *             against the trust store and its figures against its counts
 *             when it was received (api_reports.c)
 *
 * A late report that covers the period is still "late": lateness is the
 * fact the parent needs.  The receipt time and signer shown are the
 * current (latest) report's.
 */
enum report_state {
	RSTATE_MISSING,
	RSTATE_LATE,
	RSTATE_RECEIVED,
	RSTATE_VERIFIED,
};
const char *report_state_code(enum report_state s); /* "missing"... */

struct report_cell {
	enum report_state state;
	bool overdue;        /* missing and the deadline has passed */
	int64_t deadline;    /* due before this instant */
	int64_t first_at;    /* first accepted report received (0: none) */
	int64_t received_at; /* the current report's receipt */
	int64_t as_of;       /* the current report's as_of */
	char signer[512];
	char sha256[65];
};

struct report_status_row {
	char unit[41];
	char name[301];
	struct report_cell *cells; /* one per period */
};

struct report_status {
	char unit[41];
	int64_t now;
	int nperiods;
	struct period *periods;
	int *deadline_days; /* per period */
	size_t nrows;
	struct report_status_row *rows;
	int missing; /* cells missing and overdue */
	int late;
};

/*
 * Fill *out for `unit`'s subordinates and the periods given, as of now.
 * 0, or -1 with err (database error).  report_status_free() after.
 */
int report_status_get(struct db *db, const char *unit,
    const struct period *periods, int nperiods, int64_t now,
    struct report_status *out, char *err, size_t errlen);
void report_status_free(struct report_status *s);

/*
 * The columns a page or the API shows for `p`: a month alone, or the
 * months of a quarter or a year followed by the period itself.  *n set;
 * out holds 13.
 */
void
report_status_periods(const struct period *p, struct period out[13], int *n);
/* The last n (1..24) months ending with the latest closed one. */
void report_status_last_months(
    int64_t now, int n, struct period out[24], int *count);

/* The document of GET /api/v1/reports/status.  New. */
json_t *report_status_json(const struct report_status *s);

#endif
