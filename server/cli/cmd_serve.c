/* cmd_serve.c -- hailong serve: run the server. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "web/server.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong serve [--config FILE] [--db FILE] [--listen ADDR:PORT]\n"
    "                     [--base-url URL] [--rate-limit-per-min N] ...\n"
    "\n"
    "Serve the citizens' form, QR codes and posters, the APIs and the\n"
    "console.  Every option of the configuration file (see\n"
    "etc/hailong.conf) is also a flag, and flags win.  Port 0 picks a free\n"
    "port; the first line printed is 'listening on http://ADDR:PORT'.\n"
    "SIGTERM or SIGINT: stop accepting, finish what is in flight, store\n"
    "every queued rating, exit 0.\n";

int
cmd_serve(int argc, char **argv)
{
	struct config cfg;
	char err[512];
	char *rest[64];
	int nrest;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
	}
	if (argc - 1 > (int)(sizeof(rest) / sizeof(rest[0]))) {
		cli_error("serve", "too many arguments");
		return 2;
	}
	config_defaults(&cfg);
	if (config_from_args(
		&cfg, argc - 1, argv + 1, rest, &nrest, err, sizeof(err)) < 0) {
		cli_error("serve", "%s", err);
		return 2;
	}
	if (nrest > 0) {
		cli_error("serve",
		    "unknown option '%s'; see 'hailong serve "
		    "--help'",
		    rest[0]);
		return 2;
	}
	if (config_validate(&cfg, err, sizeof(err)) < 0) {
		cli_error("serve", "%s", err);
		return 2;
	}
	return server_run(&cfg) == 0 ? 0 : 1;
}
