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

/* The flags, borrowed from argv. */
struct qr_args {
	const char *path, *unit, *counter, *procedure, *dossier, *base;
	const char *format, *out;
};

/* The flags every code needs, and a known format.  0, or 2 (usage). */
static int
check_args(const struct qr_args *a)
{
	if (a->path == NULL || a->unit == NULL) {
		cli_error("qr", "--db FILE and --unit CODE are required");
		return 2;
	}
	if (strcmp(a->format, "svg") != 0 && strcmp(a->format, "png") != 0 &&
	    strcmp(a->format, "txt") != 0 && strcmp(a->format, "url") != 0) {
		cli_error("qr", "--format must be svg, png, txt or url");
		return 2;
	}
	return 0;
}

/*
 * The token's fields from --unit, --counter, --procedure and --dossier,
 * each checked.  0, or 2 (usage) after saying which is wrong.
 */
static int
token_from_args(const struct qr_args *a, struct token *t)
{
	int64_t n;

	memset(t, 0, sizeof(*t));
	if (!is_unit_code(a->unit, strlen(a->unit))) {
		cli_error("qr", "--unit '%s' is not a unit code (like H21.227)",
		    a->unit);
		return 2;
	}
	strlcpy_hl(t->unit, a->unit, sizeof(t->unit));
	if (a->counter != NULL) {
		if (parse_int64(a->counter, strlen(a->counter), 1, 999, &n) <
		    0) {
			cli_error("qr", "--counter must be 1-999");
			return 2;
		}
		t->counter = (int)n;
	}
	if (a->procedure != NULL) {
		if (!is_procedure_code(a->procedure, strlen(a->procedure))) {
			cli_error("qr",
			    "--procedure '%s' is not a mã TTHC "
			    "(like 1.001193)",
			    a->procedure);
			return 2;
		}
		strlcpy_hl(t->procedure, a->procedure, sizeof(t->procedure));
	}
	if (a->dossier != NULL) {
		if (!is_dossier_code(a->dossier, strlen(a->dossier))) {
			cli_error("qr",
			    "--dossier '%s' is not a mã hồ sơ (like "
			    "H21.227-261008-0001)",
			    a->dossier);
			return 2;
		}
		strlcpy_hl(t->dossier, a->dossier, sizeof(t->dossier));
		t->kind = TOKEN_DOSSIER;
	} else {
		if (a->counter == NULL && a->procedure == NULL) {
			cli_error("qr",
			    "give --counter, --procedure or "
			    "--dossier");
			return 2;
		}
		t->kind = TOKEN_COUNTER;
	}
	return 0;
}

/*
 * The form's address for t into url: a token made by qrlink_token() (which
 * sets t->kid) after --base-url, else the database's base_url, else the
 * local default.  0, or -1 after saying why.
 */
static int
form_url(struct db *db, struct token *t, const char *base, struct buf *url)
{
	char token[TOKEN_MAX_LEN + 1], err[512], *meta_base = NULL;

	if (qrlink_token(db, t, token, err, sizeof(err)) < 0) {
		cli_error("qr", "%s", err);
		return -1;
	}
	if (base == NULL)
		base = meta_base = store_meta_get(db, "base_url");
	qrlink_url(base != NULL ? base : "http://127.0.0.1:8080", token, url);
	free(meta_base);
	return 0;
}

/* url drawn in format (svg, png, txt) into img, or itself for "url". */
static int
draw(const char *format, const struct buf *url, struct buf *img)
{
	struct qr *q;

	if (strcmp(format, "url") == 0) {
		buf_add(img, url->data, url->len);
		buf_putc(img, '\n');
		return 0;
	}
	q = qr_encode(buf_str(url));
	if (q == NULL) {
		cli_error("qr", "cannot encode '%s'", buf_str(url));
		return -1;
	}
	if (strcmp(format, "svg") == 0)
		qr_svg(q, 8, img);
	else if (strcmp(format, "png") == 0)
		qr_png(q, 8, img);
	else
		qr_txt(q, false, img);
	qr_free(q);
	return 0;
}

/* img to --out: standard output for "-", else a file written atomically. */
static int
write_out(const char *out, const struct buf *img)
{
	char err[512];

	if (strcmp(out, "-") == 0) {
		if (fwrite(img->data, 1, img->len, stdout) != img->len ||
		    fflush(stdout) != 0) {
			cli_error("qr", "cannot write to standard output");
			return -1;
		}
	} else if (file_write_atomic(
		       out, img->data, img->len, 0644, err, sizeof(err)) < 0) {
		cli_error("qr", "%s", err);
		return -1;
	}
	return 0;
}

int
cmd_qr(int argc, char **argv)
{
	struct qr_args a = { .format = "txt", .out = "-" };
	const struct opt opts[] = {
		{ "db", &a.path, NULL },
		{ "unit", &a.unit, NULL },
		{ "counter", &a.counter, NULL },
		{ "procedure", &a.procedure, NULL },
		{ "dossier", &a.dossier, NULL },
		{ "base-url", &a.base, NULL },
		{ "format", &a.format, NULL },
		{ "out", &a.out, NULL },
		{ NULL, NULL, NULL },
	};
	char err[512];
	struct token t;
	struct buf url = { 0 }, img = { 0 };
	struct db *db = NULL;
	int rc = 1, p;

	p = cli_parse("qr", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if ((p = check_args(&a)) != 0 || (p = token_from_args(&a, &t)) != 0)
		return p;
	if (strcmp(a.format, "png") == 0 && strcmp(a.out, "-") == 0 &&
	    isatty(1)) {
		cli_error("qr",
		    "a PNG on a terminal is no use; give --out "
		    "FILE");
		return 2;
	}
	db = store_open(a.path, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong qr: %s\n", err);
		return 1;
	}
	if (form_url(db, &t, a.base, &url) < 0 ||
	    draw(a.format, &url, &img) < 0 || write_out(a.out, &img) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&url);
	buf_release(&img);
	db_close(db);
	return rc;
}
