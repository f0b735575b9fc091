/* cmd_keys.c -- hailong keys demo: a demo PKI to try signed reports. */
#include <stdio.h>
#include <string.h>

#include "hailong/text.h"
#include "hailong/util.h"
#include "core/cms.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong keys demo --unit CODE --out DIR [--days N]\n"
    "\n"
    "Make a demo certificate authority (DIR/ca.pem, once; later runs for\n"
    "other units reuse it) and an ECDSA P-256 key and certificate for the\n"
    "unit (DIR/CODE.key.pem, DIR/CODE.cert.pem) with the unit code in the\n"
    "subject, valid N days (default 730).  Keys are written mode 0600.\n"
    "For trying the whole flow without a real PKI only: a real unit signs\n"
    "with the key and certificate issued to its office (see README).\n";

int
cmd_keys(int argc, char **argv)
{
	const char *unit = NULL, *dir = NULL, *days = "730", *verb = NULL;
	const struct opt opts[] = {
		{ "unit", &unit, NULL },
		{ "out", &dir, NULL },
		{ "days", &days, NULL },
		{ NULL, NULL, NULL },
	};
	char err[512];
	int64_t n;
	int p, got;

	p = cli_parse("keys", usage, argc, argv, opts, &verb, 1, &got);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (got == 0 || strcmp(verb, "demo") != 0) {
		cli_error("keys", "the only action is 'demo'");
		return 2;
	}
	if (unit == NULL || dir == NULL) {
		cli_error("keys", "--unit CODE and --out DIR are required");
		return 2;
	}
	if (!is_unit_code(unit, strlen(unit))) {
		cli_error("keys", "--unit '%s' is not a unit code", unit);
		return 2;
	}
	if (parse_int64(days, strlen(days), 1, 36500, &n) < 0) {
		cli_error("keys", "--days must be 1-36500");
		return 2;
	}
	if (cms_demo_keys(unit, dir, (int)n, err, sizeof(err)) < 0) {
		cli_error("keys", "%s", err);
		return 1;
	}
	printf("demo CA:     %s/ca.pem\n", dir);
	printf("key:         %s/%s.key.pem (private, mode 0600)\n", dir, unit);
	printf(
	    "certificate: %s/%s.cert.pem (subject CN=%s)\n", dir, unit, unit);
	printf("sign with:   hailong report sign --key %s/%s.key.pem --cert "
	       "%s/%s.cert.pem REPORT_DIR\n",
	    dir, unit, dir, unit);
	return 0;
}
