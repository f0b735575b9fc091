/* cmd_import.c -- hailong import dossiers|ratings: files, checked whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "core/import.h"
#include "core/store.h"
#include "cli/cli.h"

#define IMPORT_FILE_MAX ((size_t)1 << 30)

static const char usage[] =
    "usage: hailong import dossiers|ratings --db FILE [--skip-bad]\n"
    "                      [--format csv|json] INPUT\n"
    "\n"
    "Import the one-stop system's dossiers, or ratings made elsewhere\n"
    "(paper ballots, other systems), from INPUT ('-' for standard input):\n"
    "CSV (UTF-8, a header row naming the columns, an optional BOM) or a\n"
    "JSON array of objects, told apart by the extension or the content.\n"
    "\n"
    "  dossiers  code, procedure, unit, channel, received_at, due_at,\n"
    "            finished_at, supplement_requests, supplement_seconds,\n"
    "            corrections, full_online, digitized, complaint, updated_at\n"
    "            (upserted by code; an older updated_at is 'stale')\n"
    "  ratings   id, unit, counter, officer, procedure, dossier, level,\n"
    "            c1..c9, supplement_reported, online_error_reported,\n"
    "            visits, comment, rated_at  (channel import; the same id\n"
    "            again is a duplicate, with other content a conflict)\n"
    "\n"
    "The whole input is checked before anything is written; each bad\n"
    "line is reported as INPUT:LINE: column: what is wrong, and nothing\n"
    "is imported unless --skip-bad is given (then the good lines are).\n"
    "Running the same input again is safe.  Exit status 0 when imported,\n"
    "1 when not (bad lines, a database error), 2 on a usage error.\n";

static void
progress(void *arg, const char *phase, size_t done, size_t total)
{
	int pct = total ? (int)(100.0 * (double)done / (double)total) : 100;
	char bar[31];

	(void)arg;
	if (pct > 100)
		pct = 100;
	for (int i = 0; i < 30; i++)
		bar[i] = i < pct * 30 / 100 ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r%-8s [%s] %3d%%", phase, bar, pct);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void
report_errors(const struct import *im, const char *name)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct import_item *it = &im->items[i];

		for (int k = 0; k < it->nerrors; k++) {
			if (it->errors[k].column[0] != '\0')
				fprintf(stderr, "%s:%d: %s: %s\n", name,
				    it->line, it->errors[k].column,
				    it->errors[k].message);
			else
				fprintf(stderr, "%s:%d: %s\n", name, it->line,
				    it->errors[k].message);
		}
	}
}

static void
summary(const struct import *im, const char *name, const char *what)
{
	printf("%s: %zu %s: %zu accepted, %zu duplicate, ", name, im->n, what,
	    im->counts[IMPORT_ACCEPTED], im->counts[IMPORT_DUPLICATE]);
	if (im->kind == IMPORT_DOSSIERS)
		printf("%zu stale, ", im->counts[IMPORT_STALE]);
	else
		printf("%zu conflict, ", im->counts[IMPORT_CONFLICT]);
	printf("%zu rejected", im->counts[IMPORT_REJECTED]);
	if (im->counts[IMPORT_UNAVAILABLE] > 0)
		printf(", %zu not stored", im->counts[IMPORT_UNAVAILABLE]);
	printf("\n");
}

int
cmd_import(int argc, char **argv)
{
	const char *path = NULL, *format = NULL, *pos[2];
	bool skip_bad = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "format", &format, NULL },
		{ "skip-bad", NULL, &skip_bad },
		{ NULL, NULL, NULL },
	};
	enum import_kind kind;
	struct import *im = NULL;
	struct db *db = NULL;
	char err[512], actor[64], *buf = NULL;
	const char *input, *base;
	enum records_format fmt;
	size_t len = 0;
	int rc = 1, p, npos = 0;

	p = cli_parse("import", usage, argc, argv, opts, pos, 2, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (npos != 2 || path == NULL ||
	    (strcmp(pos[0], "dossiers") != 0 &&
		strcmp(pos[0], "ratings") != 0)) {
		cli_error("import",
		    "usage: hailong import dossiers|ratings --db FILE "
		    "[--skip-bad] INPUT");
		return 2;
	}
	if (format != NULL && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		cli_error("import", "--format must be csv or json");
		return 2;
	}
	kind =
	    strcmp(pos[0], "dossiers") == 0 ? IMPORT_DOSSIERS : IMPORT_RATINGS;
	input = pos[1];
	base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
	buf = file_read(input, IMPORT_FILE_MAX, &len, err, sizeof(err));
	if (buf == NULL) {
		fprintf(stderr, "hailong import: %s\n", err);
		return 1;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong import: %s\n", err);
		goto out;
	}
	fmt = format != NULL
	    ? (strcmp(format, "json") == 0 ? RECORDS_JSON : RECORDS_CSV)
	    : records_guess(input, buf, len);
	im = import_new(kind, buf, len, fmt);
	snprintf(im->source, sizeof(im->source), "import:%.40s", base);
	if (isatty(STDERR_FILENO)) {
		im->progress = progress;
		im->progress_arg = NULL;
	}
	if (import_check(im, db) < 0) {
		fprintf(stderr, "hailong import: %s:%s\n", input, im->error);
		goto out;
	}
	report_errors(im, input);
	if (import_bad(im) > 0 && !skip_bad) {
		fprintf(stderr,
		    "hailong import: nothing imported: %zu bad line%s in %s; "
		    "fix %s, or use --skip-bad to import the others\n",
		    import_bad(im), import_bad(im) == 1 ? "" : "s", input,
		    import_bad(im) == 1 ? "it" : "them");
		goto out;
	}
	cli_actor(actor, sizeof(actor));
	if ((kind == IMPORT_DOSSIERS
		    ? import_write_dossiers(im, db, actor, base)
		    : import_write_ratings(im, db, actor, base)) < 0) {
		summary(im, input, "lines");
		fprintf(stderr,
		    "hailong import: %s; %zu lines not stored: run the same "
		    "command again to store them (lines already stored are "
		    "recognised)\n",
		    im->error, im->counts[IMPORT_UNAVAILABLE]);
		goto out;
	}
	summary(im, input, "lines");
	rc = 0;
out:
	import_free(im);
	db_close(db);
	free(buf);
	return rc;
}
