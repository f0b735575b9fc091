/* cmd_qr.c -- hailong qr: a QR code for a counter, procedure or dossier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/qr.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/qrlink.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong qr --db FILE --unit CODE [--counter N] [--procedure CODE]\n"
    "                  [--dossier CODE] [--base-url URL]\n"
    "                  [--format svg|png|txt|url] [--out FILE]\n"
    "\n"
    "Make the QR code of the rating form for a counter (--counter), a\n"
    "procedure (--procedure), or one dossier (--dossier: a single-use\n"
    "code for the receipt).  txt draws it in the terminal; url prints the\n"
    "address only.  --out - or no --out writes to standard output.\n"
    "The address starts with --base-url, else the one set by 'hailong\n"
    "init --base-url', else http://127.0.0.1:8080.\n";

int
cmd_qr(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *counter = NULL;
	const char *procedure = NULL, *dossier = NULL, *base = NULL;
	const char *format = "txt", *out = "-";
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "counter", &counter, NULL },
		{ "procedure", &procedure, NULL },
		{ "dossier", &dossier, NULL },
		{ "base-url", &base, NULL },
		{ "format", &format, NULL },
		{ "out", &out, NULL },
		{ NULL, NULL, NULL },
	};
	char token[TOKEN_MAX_LEN + 1], err[512], *meta_base = NULL;
	struct token t;
	struct buf url = { 0 }, img = { 0 };
	struct db *db = NULL;
	struct qr *q = NULL;
	int64_t n;
	int rc = 1, p;

	p = cli_parse("qr", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	memset(&t, 0, sizeof(t));
	if (path == NULL || unit == NULL) {
		cli_error("qr", "--db FILE and --unit CODE are required");
		return 2;
	}
	if (strcmp(format, "svg") != 0 && strcmp(format, "png") != 0 &&
	    strcmp(format, "txt") != 0 && strcmp(format, "url") != 0) {
		cli_error("qr", "--format must be svg, png, txt or url");
		return 2;
	}
	if (!is_unit_code(unit, strlen(unit))) {
		cli_error("qr", "--unit '%s' is not a unit code (like H21.227)",
		    unit);
		return 2;
	}
	strlcpy_hl(t.unit, unit, sizeof(t.unit));
	if (counter != NULL) {
		if (parse_int64(counter, strlen(counter), 1, 999, &n) < 0) {
			cli_error("qr", "--counter must be 1-999");
			return 2;
		}
		t.counter = (int)n;
	}
	if (procedure != NULL) {
		if (!is_procedure_code(procedure, strlen(procedure))) {
			cli_error("qr",
			    "--procedure '%s' is not a mã TTHC "
			    "(like 1.001193)",
			    procedure);
			return 2;
		}
		strlcpy_hl(t.procedure, procedure, sizeof(t.procedure));
	}
	if (dossier != NULL) {
		if (!is_dossier_code(dossier, strlen(dossier))) {
			cli_error("qr",
			    "--dossier '%s' is not a mã hồ sơ (like "
			    "H21.227-261008-0001)",
			    dossier);
			return 2;
		}
		strlcpy_hl(t.dossier, dossier, sizeof(t.dossier));
		t.kind = TOKEN_DOSSIER;
	} else {
		if (counter == NULL && procedure == NULL) {
			cli_error("qr",
			    "give --counter, --procedure or "
			    "--dossier");
			return 2;
		}
		t.kind = TOKEN_COUNTER;
	}
	if (strcmp(format, "png") == 0 && strcmp(out, "-") == 0 && isatty(1)) {
		cli_error("qr",
		    "a PNG on a terminal is no use; give --out "
		    "FILE");
		return 2;
	}
	db = store_open(path, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong qr: %s\n", err);
		return 1;
	}
	if (qrlink_token(db, &t, token, err, sizeof(err)) < 0) {
		cli_error("qr", "%s", err);
		goto out;
	}
	if (base == NULL)
		base = meta_base = store_meta_get(db, "base_url");
	qrlink_url(base != NULL ? base : "http://127.0.0.1:8080", token, &url);
	if (strcmp(format, "url") == 0) {
		buf_add(&img, url.data, url.len);
		buf_putc(&img, '\n');
	} else {
		q = qr_encode(buf_str(&url));
		if (q == NULL) {
			cli_error("qr", "cannot encode '%s'", buf_str(&url));
			goto out;
		}
		if (strcmp(format, "svg") == 0)
			qr_svg(q, 8, &img);
		else if (strcmp(format, "png") == 0)
			qr_png(q, 8, &img);
		else
			qr_txt(q, false, &img);
	}
	if (strcmp(out, "-") == 0) {
		if (fwrite(img.data, 1, img.len, stdout) != img.len ||
		    fflush(stdout) != 0) {
			cli_error("qr", "cannot write to standard output");
			goto out;
		}
	} else if (file_write_atomic(
		       out, img.data, img.len, 0644, err, sizeof(err)) < 0) {
		cli_error("qr", "%s", err);
		goto out;
	}
	rc = 0;
out:
	qr_free(q);
	buf_release(&url);
	buf_release(&img);
	free(meta_base);
	db_close(db);
	return rc;
}
