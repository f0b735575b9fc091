/* cmd_report.c -- hailong report: build, sign, verify, submit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/cms.h"
#include "core/ratings.h"
#include "core/metrics.h"
#include "core/report.h"
#include "core/report_pdf.h"
#include "core/rules.h"
#include "core/store.h"
#include "cli/cli.h"

#define REPORT_MAX REPORT_JSON_MAX

static const char usage[] =
    "usage: hailong report build --db FILE --unit CODE\n"
    "           (--month YYYY-MM | --period YYYY-MM|YYYY-Qn|YYYY)\n"
    "           [--as-of RFC3339] --out DIR\n"
    "       hailong report deadline --db FILE [--days N --effective "
    "YYYY-MM]\n"
    "       hailong report sign --key KEY.pem --cert CERT.pem DIR\n"
    "       hailong report verify DIR --ca CA.pem [--db FILE]\n"
    "       hailong report submit DIR --to URL (--apikey KEY | "
    "--apikey-file FILE)\n"
    "       hailong report bundle DIR --out FILE.zip\n"
    "\n"
    "build: write DIR/report.json (canonical: the same data give the same\n"
    "bytes), report.csv (UTF-8 with BOM), report.xlsx and report.html (A4)\n"
    "for the unit's month, quarter or year as of --as-of (default now),\n"
    "with the signed reports of subordinate units received here rolled\n"
    "up (a quarter or a year: their reports of it, else of its months);\n"
    "and report.pdf (A4, the report as an office files it; the same\n"
    "bytes for the same data and --as-of).\n"
    "deadline: the days after a period's end by which a subordinate's\n"
    "report is due (later it is late: the console's \"Tình hình nộp báo\n"
    "cáo\", GET /api/v1/reports/status); without --days, every version;\n"
    "with them, a new version effective from the month given (default 5\n"
    "days, version 1).\n"
    "sign: write DIR/report.json.p7s, a CMS detached signature (DER) over\n"
    "the exact bytes of DIR/report.json, carrying the signer's\n"
    "certificate; and DIR/report.signed.pdf: report.pdf with a PDF\n"
    "signature (ETSI.CAdES.detached, same key; 'pdfsig' checks it).\n"
    "Stock OpenSSL verifies report.json.p7s:\n"
    "  openssl cms -verify -binary -inform DER -in DIR/report.json.p7s \\\n"
    "      -content DIR/report.json -CAfile ca.pem -purpose any\n"
    "verify: check the signature of DIR/report.json, the certificate's\n"
    "chain to CA.pem (a CA file or pinned certificates) and its validity\n"
    "now, that the certificate names the report's unit, and the JSON\n"
    "against schemas/report.schema.json; print each check; exit 1 with\n"
    "the reason when one fails.  With --db, also that the database (the\n"
    "unit's, or a copy) holds the ratings chain the report is anchored to\n"
    "(ratings_chain: the same seq, count and head before its 'at', also\n"
    "after old months were folded into counts) and that the whole chain\n"
    "verifies.  A directory with a PDF: also report.signed.pdf's\n"
    "signature, over the whole file, and that it is report.pdf signed.\n"
    "bundle: the evidence to upload: FILE.zip with report.signed.pdf,\n"
    "report.json, report.json.p7s, report.csv, report.xlsx and README.txt\n"
    "(how to verify, in Vietnamese); DIR must hold a signed report.\n"
    "submit: send DIR/report.json and its signature to the parent unit's\n"
    "hailong (POST URL/api/v1/reports) with the API key the parent issued\n"
    "for this unit; print the receipt (the SHA-256 the parent stored).\n";

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * DIR/report.pdf signed: DIR/report.signed.pdf (report.pdf stays as
 * built, byte for byte; the signed file is it plus an incremental
 * update).  A directory without report.pdf (a report built before
 * there was one) signs only report.json.  0 or 1.
 */
static int
report_sign_pdf(const char *key, const char *cert, const char *dir)
{
	char path[1024], err[512];
	struct buf out = { 0 };
	size_t len;
	char *pdf;
	int rc = 1;

	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	if (!exists(path))
		return 0;
	pdf = file_read(path, REPORT_MAX, &len, err, sizeof(err));
	if (pdf == NULL) {
		cli_error("report", "%s", err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/report.signed.pdf", dir);
	if (report_pdf_sign(pdf, len, key, cert, &out, err, sizeof(err)) < 0 ||
	    file_write_atomic(path, out.data, out.len, 0644, err, sizeof(err)) <
		0) {
		cli_error("report", "%s", err);
		goto out;
	}
	printf("signed: %s (%zu bytes; pdfsig checks it)\n", path, out.len);
	rc = 0;
out:
	buf_release(&out);
	free(pdf);
	return rc;
}

/*
 * The signed PDF, when the directory has a PDF: its signature over the
 * whole file, the certificate's chain and unit, and that it is
 * report.pdf as built plus the signature.  0 or 1.
 */
static int
report_verify_pdf(const char *dir, const char *ca, const char *unit)
{
	char path[1024], spath[1024], err[512];
	struct cms_signer who;
	char *pdf = NULL, *signed_pdf = NULL;
	size_t len = 0, slen;
	int rc = 1;

	snprintf(path, sizeof(path), "%s/report.pdf", dir);
	snprintf(spath, sizeof(spath), "%s/report.signed.pdf", dir);
	if (!exists(path) && !exists(spath))
		return 0;
	signed_pdf = file_read(spath, REPORT_MAX, &slen, err, sizeof(err));
	if (signed_pdf == NULL) {
		printf("FAIL pdf: %s (sign the report: report sign)\n", err);
		goto out;
	}
	if (report_pdf_verify(signed_pdf, slen, ca, &who, err, sizeof(err)) <
	    0) {
		printf("FAIL pdf: report.signed.pdf: %s\n", err);
		goto out;
	}
	if (!cms_signer_names_unit(&who, unit)) {
		printf(
		    "FAIL pdf: the PDF's certificate does not name %s\n", unit);
		goto out;
	}
	if (exists(path)) {
		pdf = file_read(path, REPORT_MAX, &len, err, sizeof(err));
		if (pdf == NULL || len > slen ||
		    memcmp(pdf, signed_pdf, len) != 0) {
			printf("FAIL pdf: report.signed.pdf is not report.pdf "
			       "signed (the PDF was built again or changed)\n");
			goto out;
		}
	}
	printf("ok   pdf: report.signed.pdf: the PDF signature covers the "
	       "whole file and verifies (%s)\n",
	    who.subject);
	rc = 0;
out:
	free(pdf);
	free(signed_pdf);
	return rc;
}

static int
report_sign(const char *key, const char *cert, const char *dir)
{
	char path[1024], sig[1024], err[512];
	struct buf out = { 0 };
	size_t len;
	char *data;
	int rc = 1;

	if (key == NULL || cert == NULL) {
		cli_error("report",
		    "sign needs --key KEY.pem and --cert "
		    "CERT.pem");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/report.json", dir);
	snprintf(sig, sizeof(sig), "%s/report.json.p7s", dir);
	data = file_read(path, REPORT_MAX, &len, err, sizeof(err));
	if (data == NULL) {
		cli_error("report", "%s", err);
		return 1;
	}
	if (cms_sign(key, cert, data, len, &out, err, sizeof(err)) < 0 ||
	    file_write_atomic(sig, out.data, out.len, 0644, err, sizeof(err)) <
		0) {
		cli_error("report", "%s", err);
		goto out;
	}
	printf("signed: %s (%zu bytes)\n", sig, out.len);
	rc = report_sign_pdf(key, cert, dir);
out:
	buf_release(&out);
	free(data);
	return rc;
}

/* The report's unit: the top-level "unit" string.  0 or -1 (err). */
static int
report_unit(const char *data, size_t len, char *unit, size_t size, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	const char *u;
	int rc = -1;

	if (doc == NULL) {
		snprintf(err, errlen, "report.json is not JSON: line %d: %s",
		    je.line, je.text);
		return -1;
	}
	u = json_string_value(json_object_get(doc, "unit"));
	if (u == NULL || !is_unit_code(u, strlen(u))) {
		snprintf(err, errlen, "report.json names no unit (\"unit\")");
		goto out;
	}
	strlcpy_hl(unit, u, size);
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/*
 * --db: the report's ratings_chain anchor against a database (this
 * unit's, or a copy of it), then the whole chain walked.  0 or 1.
 */
static int
report_verify_anchor(const char *data, size_t len, const char *dbpath)
{
	struct chain_check cc;
	struct db *db;
	json_t *doc;
	char err[512];
	int rc = 1, r;

	doc = json_loadb(data, len, 0, NULL);
	db = store_open(dbpath, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		printf("FAIL anchor: %s\n", err);
		goto out;
	}
	r = report_check_anchor(db, doc, err, sizeof(err));
	if (r != 0) {
		printf("FAIL anchor: %s\n", err);
		goto out;
	}
	printf("ok   anchor: ratings_chain (seq %lld, %lld ratings) is the "
	       "chain of %s\n",
	    (long long)json_integer_value(
		json_object_get(json_object_get(doc, "ratings_chain"), "seq")),
	    (long long)json_integer_value(json_object_get(
		json_object_get(doc, "ratings_chain"), "ratings")),
	    dbpath);
	r = ratings_verify_chain(db, &cc);
	if (r != 0) {
		if (r == 1)
			printf("FAIL chain: broken at seq %lld: %s\n",
			    (long long)cc.bad_seq, cc.why);
		else
			printf("FAIL chain: cannot read: %s\n", db_errmsg(db));
		goto out;
	}
	printf("ok   chain: %lld rows and %lld folded ratings verify\n",
	    (long long)cc.rows, (long long)cc.folded);
	rc = 0;
out:
	db_close(db);
	json_decref(doc);
	return rc;
}

static int
report_verify(const char *dir, const char *ca, const char *dbpath)
{
	char path[1024], sig[1024], err[512], unit[41], nb[26], na[26];
	struct cms_signer who;
	char *data = NULL, *der = NULL;
	size_t len, derlen;
	int rc = 1;

	if (ca == NULL) {
		cli_error("report", "verify needs --ca CA.pem");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/report.json", dir);
	snprintf(sig, sizeof(sig), "%s/report.json.p7s", dir);
	data = file_read(path, REPORT_MAX, &len, err, sizeof(err));
	der = data ? file_read(sig, 1 << 20, &derlen, err, sizeof(err)) : NULL;
	if (der == NULL) {
		printf("FAIL files: %s\n", err);
		goto out;
	}
	if (cms_verify(der, derlen, data, len, ca, &who, err, sizeof(err)) <
	    0) {
		printf("FAIL signature: %s\n", err);
		goto out;
	}
	rfc3339_format(who.not_before, nb);
	rfc3339_format(who.not_after, na);
	printf("ok   signature: CMS detached over the exact bytes of "
	       "report.json\n");
	printf("ok   certificate: %s, issued by %s, valid %s to %s, chains "
	       "to %s\n",
	    who.subject, who.issuer, nb, na, ca);
	if (report_unit(data, len, unit, sizeof(unit), err, sizeof(err)) < 0) {
		printf("FAIL report: %s\n", err);
		goto out;
	}
	if (!cms_signer_names_unit(&who, unit)) {
		printf("FAIL unit: the certificate does not name %s (neither "
		       "its subject nor a subject alternative name)\n",
		    unit);
		goto out;
	}
	printf("ok   unit: the certificate names %s\n", unit);
	if (report_check(data, len, NULL, err, sizeof(err)) < 0) {
		printf("FAIL schema: %s\n", err);
		goto out;
	}
	printf("ok   schema: report.json follows schemas/report.schema.json "
	       "and its figures match its counts\n");
	if (report_verify_pdf(dir, ca, unit) != 0)
		goto out;
	if (dbpath != NULL && report_verify_anchor(data, len, dbpath) != 0)
		goto out;
	rc = 0;
out:
	free(der);
	free(data);
	return rc;
}

static int
report_build_cmd(const char *path, const char *unit, const char *month_s,
    const char *period_s, const char *as_of_s, const char *dir)
{
	int64_t as_of = hl_now();
	struct report_extra x = { 0 };
	struct db *db = NULL;
	struct period per;
	json_t *doc = NULL;
	char err[512];
	int rc = 1;

	if (path == NULL || unit == NULL || dir == NULL ||
	    (month_s == NULL) == (period_s == NULL)) {
		cli_error("report",
		    "build needs --db FILE, --unit CODE, one of --month "
		    "YYYY-MM or --period PERIOD, and --out DIR");
		return 2;
	}
	if (cli_period_as_of(
		"report", month_s, period_s, as_of_s, &per, &as_of) != 0)
		return 2;
	db = store_open(path, STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		cli_error("report", "%s", err);
		return 1;
	}
	rc = metrics_period_check(db, &per, as_of, err, sizeof(err));
	if (rc != 0) {
		cli_error("report", "%s", rc > 0 ? err : db_errmsg(db));
		rc = rc > 0 ? 2 : 1;
		goto out;
	}
	rc = 1;
	doc = report_build_period(db, unit, &per, as_of, err, sizeof(err));
	if (doc == NULL ||
	    report_extra_load(db, doc, &x, err, sizeof(err)) < 0 ||
	    report_write_files(doc, &x, dir, err, sizeof(err)) < 0) {
		cli_error("report", "%s", err);
		goto out;
	}
	printf("built: %s/report.json, report.csv, report.xlsx, report.html, "
	       "report.pdf\n",
	    dir);
	rc = 0;
out:
	report_extra_release(&x);
	json_decref(doc);
	db_close(db);
	return rc;
}

static int
report_deadline_cmd(const char *path, const char *days_s, const char *eff_s)
{
	char err[512], actor[96];
	struct db_stmt *st;
	struct db *db;
	int64_t days;
	int eff, version, rc = 1;

	if (path == NULL || (days_s == NULL) != (eff_s == NULL)) {
		cli_error("report",
		    "deadline needs --db FILE, and --days N with --effective "
		    "YYYY-MM to add a version");
		return 2;
	}
	if (days_s != NULL &&
	    (parse_int64(days_s, strlen(days_s), 0, 366, &days) < 0 ||
		month_parse(eff_s, strlen(eff_s), &eff) < 0)) {
		cli_error("report",
		    "--days must be 0 to 366 and --effective YYYY-MM, not "
		    "'%s' and '%s'",
		    days_s, eff_s);
		return 2;
	}
	db = store_open(
	    path, days_s != NULL ? 0 : STORE_READONLY, err, sizeof(err));
	if (db == NULL) {
		cli_error("report", "%s", err);
		return 1;
	}
	if (days_s != NULL) {
		cli_actor(actor, sizeof(actor));
		if (rules_report_deadline_add(db, eff, (int)days, actor,
			&version, err, sizeof(err)) < 0) {
			cli_error("report", "%s", err);
			goto out;
		}
		printf("report deadline version %d: %d days, effective %s\n",
		    version, (int)days, eff_s);
		rc = 0;
		goto out;
	}
	st = db_query(db,
	    "SELECT version, effective_month, days FROM "
	    "report_deadline_rules ORDER BY effective_month, version",
	    "");
	while (st != NULL && db_step(st) == DB_ROW) {
		char mo[8];

		month_format((int)db_col_int(st, 1), mo);
		printf("version %lld  effective %s  %lld days\n",
		    (long long)db_col_int(st, 0), mo,
		    (long long)db_col_int(st, 2));
	}
	db_done(st);
	rc = st != NULL ? 0 : 1;
	if (st == NULL)
		cli_error("report", "%s", db_errmsg(db));
out:
	db_close(db);
	return rc;
}

static char *
b64(const char *data, size_t len)
{
	char *s = xmalloc(b64url_len(len) + 1);

	b64url_encode(data, len, s);
	return s;
}

static int
report_submit(
    const char *dir, const char *to, const char *key, const char *key_file)
{
	char path[1024], err[512], url[1100], auth[128], *kf = NULL;
	char *data = NULL, *der = NULL, *body = NULL;
	const char *hdr[3];
	struct httpc_response resp = { 0 };
	struct httpc *h = NULL;
	size_t len, derlen, klen = 0;
	json_t *req = NULL;
	int rc = 1;

	if (to == NULL || (key == NULL) == (key_file == NULL)) {
		cli_error("report",
		    "submit needs --to URL and one of --apikey KEY or "
		    "--apikey-file FILE");
		return 2;
	}
	if (!str_has_prefix(to, "http://") && !str_has_prefix(to, "https://")) {
		cli_error("report", "--to must start with http:// or https://");
		return 2;
	}
	if (key_file != NULL) {
		kf = file_read(key_file, 256, &klen, err, sizeof(err));
		if (kf == NULL) {
			cli_error("report", "%s", err);
			return 1;
		}
		while (
		    klen > 0 && (kf[klen - 1] == '\n' || kf[klen - 1] == '\r'))
			kf[--klen] = '\0';
		key = kf;
	}
	snprintf(path, sizeof(path), "%s/report.json", dir);
	data = file_read(path, REPORT_MAX, &len, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/report.json.p7s", dir);
	der = data ? file_read(path, REPORT_P7S_MAX, &derlen, err, sizeof(err))
		   : NULL;
	if (der == NULL) {
		cli_error("report", "%s (sign the report first)", err);
		goto out;
	}
	{
		char *a = b64(data, len), *b = b64(der, derlen);

		req =
		    json_pack("{s:s, s:s}", "report_json", a, "report_p7s", b);
		free(a);
		free(b);
	}
	body = json_dumps(req, JSON_COMPACT);
	/* the parent's base URL, or the whole endpoint */
	if (strstr(to, "/api/v1/reports") != NULL)
		snprintf(url, sizeof(url), "%s", to);
	else
		snprintf(url, sizeof(url), "%.*s/api/v1/reports",
		    (int)(strlen(to) - (to[strlen(to) - 1] == '/')), to);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", key);
	hdr[0] = "Content-Type: application/json";
	hdr[1] = auth;
	hdr[2] = NULL;
	if (httpc_global_init() < 0) {
		cli_error("report", "cannot start the HTTP client");
		goto out;
	}
	h = httpc_new(NULL);
	if (httpc_request(h, "POST", url, hdr, body, strlen(body), &resp, err,
		sizeof(err)) < 0) {
		cli_error("report", "%s: %s", url, err);
		goto out;
	}
	if (resp.status != 200) {
		cli_error("report", "%s refused the report (%d): %s", url,
		    resp.status, buf_str(&resp.body));
		goto out;
	}
	printf("%s", buf_str(&resp.body));
	rc = 0;
out:
	httpc_response_release(&resp);
	httpc_free(h);
	free(body);
	json_decref(req);
	free(der);
	free(data);
	free(kf);
	return rc;
}

static int
report_bundle_cmd(const char *dir, const char *out)
{
	char err[1024];

	if (out == NULL) {
		cli_error("report", "bundle needs --out FILE.zip");
		return 2;
	}
	if (report_bundle(dir, out, err, sizeof(err)) < 0) {
		cli_error("report", "%s", err);
		return 1;
	}
	printf("bundled: %s (report.signed.pdf, report.json, "
	       "report.json.p7s, report.csv, report.xlsx, README.txt)\n",
	    out);
	return 0;
}

int
cmd_report(int argc, char **argv)
{
	const char *key = NULL, *cert = NULL, *ca = NULL, *db = NULL;
	const char *unit = NULL, *month = NULL, *as_of = NULL, *out = NULL;
	const char *period = NULL, *days = NULL, *effective = NULL;
	const char *to = NULL, *apikey = NULL, *apikey_file = NULL;
	const char *pos[2] = { NULL, NULL };
	const struct opt opts[] = {
		{ "key", &key, NULL },
		{ "cert", &cert, NULL },
		{ "ca", &ca, NULL },
		{ "db", &db, NULL },
		{ "unit", &unit, NULL },
		{ "month", &month, NULL },
		{ "period", &period, NULL },
		{ "days", &days, NULL },
		{ "effective", &effective, NULL },
		{ "as-of", &as_of, NULL },
		{ "out", &out, NULL },
		{ "to", &to, NULL },
		{ "apikey", &apikey, NULL },
		{ "apikey-file", &apikey_file, NULL },
		{ NULL, NULL, NULL },
	};
	int p, got;

	p = cli_parse("report", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (got == 1 && strcmp(pos[0], "build") == 0)
		return report_build_cmd(db, unit, month, period, as_of, out);
	if (got == 1 && strcmp(pos[0], "deadline") == 0)
		return report_deadline_cmd(db, days, effective);
	if (got == 2 && strcmp(pos[0], "submit") == 0)
		return report_submit(pos[1], to, apikey, apikey_file);
	if (got == 2 && strcmp(pos[0], "sign") == 0)
		return report_sign(key, cert, pos[1]);
	if (got == 2 && strcmp(pos[0], "verify") == 0)
		return report_verify(pos[1], ca, db);
	if (got == 2 && strcmp(pos[0], "bundle") == 0)
		return report_bundle_cmd(pos[1], out);
	cli_error("report", "see 'hailong report --help'");
	return 2;
}
