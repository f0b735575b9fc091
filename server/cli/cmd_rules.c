/* cmd_rules.c -- hailong rules list|show|add: the versioned metric rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "core/rules.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong rules list --db FILE\n"
    "       hailong rules show --db FILE --month YYYY-MM\n"
    "       hailong rules add --db FILE --effective YYYY-MM RULES.json\n"
    "\n"
    "The thresholds of the flags (n_min, z, LOW_SATISFACTION, ...) and\n"
    "the 766 point rules are data, in versions each effective from a\n"
    "month: a month is governed by the version with the latest\n"
    "effective month not after it.  Version 1 holds the defaults of\n"
    "METRICS.md.  'show' prints the version for a month as JSON on\n"
    "standard output, the format 'add' takes.  Versions are never edited:\n"
    "add a new one.  Every change is in the audit log.\n";

int
cmd_rules(int argc, char **argv)
{
	const char *path = NULL, *month_s = NULL, *eff_s = NULL, *pos[2];
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "month", &month_s, NULL },
		{ "effective", &eff_s, NULL },
		{ NULL, NULL, NULL },
	};
	struct metric_rules r;
	struct db *db = NULL;
	char err[512], actor[64], *body = NULL, m[8];
	size_t len;
	int rc = 1, p, npos = 0, month = 0, version;

	p = cli_parse("rules", usage, argc, argv, opts, pos, 2, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (npos < 1 || path == NULL ||
	    !((strcmp(pos[0], "list") == 0 && npos == 1) ||
		(strcmp(pos[0], "show") == 0 && npos == 1 && month_s) ||
		(strcmp(pos[0], "add") == 0 && npos == 2 && eff_s))) {
		cli_error("rules", "see 'hailong rules --help'");
		return 2;
	}
	if ((month_s && month_parse(month_s, strlen(month_s), &month) < 0) ||
	    (eff_s && month_parse(eff_s, strlen(eff_s), &month) < 0)) {
		cli_error("rules", "months are written YYYY-MM");
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong rules: %s\n", err);
		return 1;
	}
	if (strcmp(pos[0], "list") == 0) {
		struct db_stmt *st = db_query(db,
		    "SELECT version, effective_month, created_at, created_by, "
		    "body FROM metric_rules ORDER BY version",
		    "");

		printf("%-8s %-10s %-11s %-20s %s\n", "version", "from",
		    "created", "by", "rules");
		while (st != NULL && db_step(st) == DB_ROW) {
			char created[11];
			const char *by = db_col_text(st, 3);
			bool dated = db_col_int(st, 2) > 0;

			month_format((int)db_col_int(st, 1), m);
			/* version 1 comes with the schema: no date, nobody
			 * (not "01/01/1970") */
			if (dated)
				date_vn(db_col_int(st, 2), created);
			/* "—" is 3 bytes, 1 column: two more of padding */
			printf("%-8lld %-10s %-*s %-*s %s\n",
			    (long long)db_col_int(st, 0), m, dated ? 11 : 13,
			    dated ? created : "—",
			    by != NULL && by[0] != '\0' ? 20 : 22,
			    by != NULL && by[0] != '\0' ? by : "—",
			    db_col_text(st, 4));
		}
		db_done(st);
	} else if (strcmp(pos[0], "show") == 0) {
		json_t *doc;
		char *s;

		if (rules_for_month(db, month, &r, err, sizeof(err)) < 0) {
			fprintf(stderr, "hailong rules: %s\n", err);
			goto out;
		}
		doc = rules_to_json(&r);
		s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		month_format(r.effective_month, m);
		/* the JSON alone on stdout: the input of 'add' */
		fprintf(stderr, "rules version %d, effective from %s\n",
		    r.version, m);
		printf("%s\n", s ? s : "");
		free(s);
		json_decref(doc);
	} else {
		body = file_read(pos[1], 1 << 16, &len, err, sizeof(err));
		cli_actor(actor, sizeof(actor));
		if (body == NULL ||
		    rules_add(db, month, body, len, actor, &version, err,
			sizeof(err)) < 0) {
			fprintf(stderr, "hailong rules: %s\n", err);
			goto out;
		}
		printf("rules version %d effective from %s\n", version, eff_s);
	}
	rc = 0;
out:
	free(body);
	db_close(db);
	return rc;
}
