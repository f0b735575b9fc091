/* main.c -- hailong: pick the subcommand and run it. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/version.h"
#include "core/store.h"
#include "cli/cli.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "serve", cmd_serve, "serve the form, QR codes, APIs and console" },
	{ "init", cmd_init,
	    "create or migrate a database (--demo: demo data)" },
	{ "qr", cmd_qr, "make a QR code for a counter, procedure or dossier" },
	{ "user", cmd_user, "add, list, reset or disable staff accounts" },
	{ "report", cmd_report,
	    "build, sign, verify or submit a monthly report" },
	{ "keys", cmd_keys, "make a demo PKI for signed reports" },
	{ "verify-chain", cmd_verify_chain,
	    "re-walk the ratings and audit hash chains" },
	{ "config", cmd_config, "check or show the configuration file" },
	{ "backup", cmd_backup, "copy the database, online (--dir: rotate)" },
	{ "restore", cmd_restore, "put a verified backup in place" },
	{ "retention", cmd_retention,
	    "erase callback numbers and comments past their time" },
	{ "privacy", cmd_privacy,
	    "a citizen's request: find or erase a phone number" },
	{ "import", cmd_import,
	    "import dossiers or ratings (CSV or JSON), checked whole" },
	{ "metrics", cmd_metrics, "a unit's monthly figures (table or JSON)" },
	{ "apikey", cmd_apikey, "add, list or revoke machines' API keys" },
	{ "alert", cmd_alert,
	    "who is told of callbacks, flags, kiosks, failures" },
	{ "rules", cmd_rules, "the versioned thresholds and 766 point rules" },
	{ "kiosk", cmd_kiosk, "register, revoke and list counter kiosks" },
	{ "unit", cmd_unit, "add, import, list, rename or disable units" },
	{ "counter", cmd_counter, "add, list, rename or disable counters" },
	{ "officer", cmd_officer, "add, list or disable officers" },
	{ "procedure", cmd_procedure,
	    "import the catalogue; assign procedures to units, counters" },
	{ "instrument", cmd_instrument,
	    "show or add a version of the questionnaire" },
	{ "duty", cmd_duty,
	    "who is on duty at which counter: start, end, list" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: hailong COMMAND [OPTIONS]   (hailong COMMAND "
	    "--help for each)\n\ncommands:\n");
	for (const struct command *c = commands; c->name != NULL; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->what);
	fprintf(f, "  %-14s %s\n", "version", "print the version");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("hailong %s (schema %d, SQLite %s)\n", HAILONG_VERSION,
		    store_schema_version(), db_lib_version());
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (const struct command *c = commands; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "hailong: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
