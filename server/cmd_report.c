/* cmd_report.c -- hailong report: sign a monthly report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "cli.h"
#include "cms.h"

#define REPORT_MAX ((size_t)64 << 20)

static const char usage[] =
    "usage: hailong report sign --key KEY.pem --cert CERT.pem DIR\n"
    "       hailong report verify DIR --ca CA.pem\n"
    "\n"
    "sign: write DIR/report.json.p7s, a CMS detached signature (DER) over\n"
    "the exact bytes of DIR/report.json, carrying the signer's\n"
    "certificate.  Stock OpenSSL verifies it:\n"
    "  openssl cms -verify -binary -inform DER -in DIR/report.json.p7s \\\n"
    "      -content DIR/report.json -CAfile ca.pem -purpose any\n"
    "verify: check the signature of DIR/report.json, the certificate's\n"
    "chain to CA.pem (a CA file or pinned certificates) and its validity\n"
    "now, that the certificate names the report's unit, and the JSON;\n"
    "print each check; exit 1 with the reason when one fails.\n";

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
	rc = 0;
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

static int
report_verify(const char *dir, const char *ca)
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
	rc = 0;
out:
	free(der);
	free(data);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	const char *key = NULL, *cert = NULL, *ca = NULL;
	const char *pos[2] = { NULL, NULL };
	const struct cli_opt opts[] = {
		{ "key", &key, NULL },
		{ "cert", &cert, NULL },
		{ "ca", &ca, NULL },
		{ NULL, NULL, NULL },
	};
	int p, got;

	p = cli_parse("report", usage, argc, argv, opts, pos, 2, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (got == 2 && strcmp(pos[0], "sign") == 0)
		return report_sign(key, cert, pos[1]);
	if (got == 2 && strcmp(pos[0], "verify") == 0)
		return report_verify(pos[1], ca);
	cli_error("report", "see 'hailong report --help'");
	return 2;
}
