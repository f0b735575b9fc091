/* cmd_config.c -- hailong config check|show: the configuration file. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hailong/fileio.h"
#include "hailong/http.h"
#include "hailong/log.h"
#include "core/config.h"
#include "cli/cli.h"

#define CONFIG_DEFAULT_PATH "/etc/hailong/hailong.conf"

static const char usage[] =
    "usage: hailong config check [--config FILE]\n"
    "       hailong config show [--config FILE] [--OPTION VALUE ...]\n"
    "\n"
    "check: read FILE (default " CONFIG_DEFAULT_PATH ") as 'hailong\n"
    "serve' would, check every value and what the values name (TLS\n"
    "certificate and key), and print 'FILE: ok'.  An error names the\n"
    "line ('FILE:LINE: why') and exits 1.  Warnings (a database that\n"
    "does not exist yet) do not fail the check.\n"
    "\n"
    "show: print every option with the value 'hailong serve' would use:\n"
    "the default, then FILE, then the flags.\n";

/* "FILE:LINE: why" when the option the message starts with is set there. */
static void
report(const char *path, const char *why)
{
	char key[64];
	size_t n = 0;
	int line;

	while (n + 1 < sizeof(key) &&
	    (islower((unsigned char)why[n]) || why[n] == '_'))
		key[n] = why[n], n++;
	key[n] = '\0';
	line = config_file_line(path, key);
	if (line > 0)
		fprintf(stderr, "hailong config: %s:%d: %s\n", path, line, why);
	else
		fprintf(stderr, "hailong config: %s: %s\n", path, why);
}

/* What config_validate() cannot see: the files the values name. */
static int
check_files(const char *path, const struct config *c)
{
	char err[768], why[700];

	if (c->tls_cert[0] != '\0') {
		if (!http_tls_supported()) {
			report(path,
			    "tls_cert: this libmicrohttpd was built without "
			    "TLS; serve plain HTTP on 127.0.0.1 behind a "
			    "reverse proxy (see nginx-hailong.conf)");
			return -1;
		}
		if (access(c->tls_cert, R_OK) != 0) {
			snprintf(err, sizeof(err), "tls_cert: cannot read '%s'",
			    c->tls_cert);
			report(path, err);
			return -1;
		}
		if (!file_is_private(c->tls_key, why, sizeof(why))) {
			snprintf(err, sizeof(err), "tls_key: %s", why);
			report(path, err);
			return -1;
		}
	}
	if (c->report_ca[0] != '\0' && access(c->report_ca, R_OK) != 0) {
		snprintf(err, sizeof(err), "report_ca: cannot read '%s'",
		    c->report_ca);
		report(path, err);
		return -1;
	}
	if (c->report_parent_apikey_file[0] != '\0' &&
	    !file_is_private(c->report_parent_apikey_file, why, sizeof(why))) {
		snprintf(
		    err, sizeof(err), "report_parent_apikey_file: %s", why);
		report(path, err);
		return -1;
	}
	if (c->smtp_password_file[0] != '\0' &&
	    !file_is_private(c->smtp_password_file, why, sizeof(why))) {
		snprintf(err, sizeof(err), "smtp_password_file: %s", why);
		report(path, err);
		return -1;
	}
	if (c->alert_ca_file[0] != '\0' &&
	    access(c->alert_ca_file, R_OK) != 0) {
		snprintf(err, sizeof(err), "alert_ca_file: cannot read '%s'",
		    c->alert_ca_file);
		report(path, err);
		return -1;
	}
	if (c->report_keys[0] != '\0' &&
	    access(c->report_keys, R_OK | X_OK) != 0)
		fprintf(stderr,
		    "hailong config: warning: report_keys '%s' cannot be "
		    "read\n",
		    c->report_keys);
	if (access(c->db, F_OK) != 0)
		fprintf(stderr,
		    "hailong config: warning: database '%s' does not exist "
		    "yet; create it with 'hailong init --db %s'\n",
		    c->db, c->db);
	if (access(c->backup_dir, F_OK) != 0)
		fprintf(stderr,
		    "hailong config: warning: backup_dir '%s' does not "
		    "exist yet\n",
		    c->backup_dir);
	return 0;
}

static int
config_check(int argc, char **argv)
{
	const char *path = CONFIG_DEFAULT_PATH;
	const struct opt opts[] = {
		{ "config", &path, NULL },
		{ NULL, NULL, NULL },
	};
	struct config c;
	char err[768];
	int p;

	p = cli_parse("config check", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	config_defaults(&c);
	if (config_load_file(&c, path, err, sizeof(err)) < 0) {
		/* already "FILE:LINE: why" */
		fprintf(stderr, "hailong config: %s\n", err);
		return 1;
	}
	if (config_validate(&c, err, sizeof(err)) < 0) {
		report(path, err);
		return 1;
	}
	if (check_files(path, &c) < 0)
		return 1;
	printf("%s: ok\n", path);
	return 0;
}

static int
config_show(int argc, char **argv)
{
	struct config c;
	char err[512], *rest[64];
	int nrest;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
	if (argc - 1 > (int)(sizeof(rest) / sizeof(rest[0]))) {
		cli_error("config show", "too many arguments");
		return 2;
	}
	config_defaults(&c);
	if (config_from_args(
		&c, argc - 1, argv + 1, rest, &nrest, err, sizeof(err)) < 0) {
		cli_error("config show", "%s", err);
		return 2;
	}
	if (nrest > 0) {
		cli_error("config show",
		    "unknown option '%s'; see 'hailong config --help'",
		    rest[0]);
		return 2;
	}
	config_print(&c, stdout);
	return 0;
}

int
cmd_config(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return config_check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return config_show(argc - 1, argv + 1);
	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	fputs(usage, stderr);
	return 2;
}

int
cli_config(const char *cmd, const char *path, const char *db, struct config *c)
{
	char err[768];

	config_defaults(c);
	if (path != NULL && config_load_file(c, path, err, sizeof(err)) < 0) {
		cli_error(cmd, "%s", err);
		return -1;
	}
	if (db != NULL && config_set(c, "db", db, err, sizeof(err)) < 0) {
		cli_error(cmd, "--%s", err);
		return -1;
	}
	if (config_validate(c, err, sizeof(err)) < 0) {
		if (path != NULL)
			report(path, err);
		else
			cli_error(cmd, "%s", err);
		return -1;
	}
	return 0;
}
