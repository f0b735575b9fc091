/* cmd_metrics.c -- hailong metrics: one unit's month, table or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/db.h"
#include "hailong/hltime.h"
#include "core/metrics.h"
#include "core/metrics_text.h"
#include "core/report.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong metrics --db FILE --unit CODE\n"
    "                       (--month YYYY-MM | --period PERIOD)\n"
    "                       [--as-of RFC3339] [--json] [--recompute]\n"
    "                       [--unit-only]\n"
    "\n"
    "The figures of shared/METRICS.md for the unit CODE and its\n"
    "subordinate units in month YYYY-MM, or in a PERIOD: a month\n"
    "YYYY-MM, a quarter YYYY-Qn or a year YYYY (Asia/Ho_Chi_Minh; a\n"
    "quarter's or a year's figures from the sums of its months' counts),\n"
    "as a\n"
    "Vietnamese table, or with --json as the document of\n"
    "schemas/metrics.schema.json (the same as GET /api/v1/metrics).\n"
    "\n"
    "  --as-of T     compute as of the instant T (RFC 3339 with an offset;\n"
    "                default now): ratings and dossiers known before T;\n"
    "                open dossiers judged at the earlier of T and the\n"
    "                month's end\n"
    "  --recompute   compute every figure from the raw rows instead of\n"
    "                the rollups (slow on a large database; a check)\n"
    "  --unit-only   the unit's own data, without its subordinate units\n";

int
cmd_metrics(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *month_s = NULL, *as_of_s = NULL;
	const char *period_s = NULL;
	bool json = false, recompute = false, unit_only = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "month", &month_s, NULL },
		{ "period", &period_s, NULL },
		{ "as-of", &as_of_s, NULL },
		{ "json", NULL, &json },
		{ "recompute", NULL, &recompute },
		{ "unit-only", NULL, &unit_only },
		{ NULL, NULL, NULL },
	};
	struct metrics *m = NULL;
	struct db *db = NULL;
	char err[512];
	int64_t as_of = hl_now();
	struct period per;
	int rc = 1, p;

	p = cli_parse("metrics", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (path == NULL || unit == NULL ||
	    (month_s == NULL) == (period_s == NULL)) {
		cli_error("metrics",
		    "--db FILE, --unit CODE and one of --month YYYY-MM or "
		    "--period PERIOD are required");
		return 2;
	}
	if (cli_period_as_of(
		"metrics", month_s, period_s, as_of_s, &per, &as_of) != 0)
		return 2;
	db = store_open(path, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong metrics: %s\n", err);
		return 1;
	}
	if (period_s != NULL) {
		p = metrics_period_check(db, &per, as_of, err, sizeof(err));
		if (p != 0) {
			if (p < 0)
				snprintf(err, sizeof(err), "%s", db_errmsg(db));
			fprintf(stderr, "hailong metrics: %s\n", err);
			rc = p > 0 ? 2 : 1;
			goto out;
		}
	}
	/* with subordinates: their accepted signed reports count (report.h) */
	m = recompute || unit_only
	    ? metrics_compute_period(db, unit, &per, as_of,
		  (recompute ? METRICS_RECOMPUTE : 0) |
		      (unit_only ? METRICS_UNIT_ONLY : 0),
		  err, sizeof(err))
	    : report_rollup_period(
		  db, unit, &per, as_of, NULL, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "hailong metrics: %s\n", err);
		goto out;
	}
	if (json) {
		if (metrics_dumpf(m, stdout, true) < 0 ||
		    fputc('\n', stdout) == EOF) {
			fprintf(stderr, "hailong metrics: cannot write: %s\n",
			    strerror(errno));
			goto out;
		}
	} else {
		struct buf b = { 0 };

		metrics_text(m, &b);
		fputs(buf_str(&b), stdout);
		buf_release(&b);
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	metrics_free(m);
	db_close(db);
	return rc;
}
