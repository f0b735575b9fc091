/* cli.c -- subcommands and their flags. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "cli/cli.h"

void
cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hailong %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_parse(const char *cmd, const char *usage, int argc, char **argv,
    const struct cli_opt *opts, const char **pos, int npos, int *got)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt *o;
		const char *eq;
		size_t len;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (n == npos) {
				cli_error(cmd,
				    "unexpected argument '%s'; see "
				    "'hailong %s --help'",
				    a, cmd);
				return -1;
			}
			pos[n++] = a;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (o = opts; o->name != NULL; o++)
			if (strlen(o->name) == len &&
			    strncmp(o->name, a + 2, len) == 0)
				break;
		if (o->name == NULL) {
			cli_error(cmd,
			    "unknown option '%.*s'; see 'hailong %s "
			    "--help'",
			    (int)len + 2, a, cmd);
			return -1;
		}
		if (o->value == NULL) {
			if (eq != NULL) {
				cli_error(cmd, "--%s takes no value", o->name);
				return -1;
			}
			*o->on = true;
		} else if (eq != NULL) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			cli_error(cmd, "--%s needs a value", o->name);
			return -1;
		}
	}
	if (got != NULL)
		*got = n;
	return 0;
}

int
cli_month_as_of(const char *cmd, const char *month_s, const char *as_of_s,
    int *month, int64_t *as_of)
{
	if (month_parse(month_s, strlen(month_s), month) < 0) {
		cli_error(cmd, "--month must be YYYY-MM, not '%s'", month_s);
		return 2;
	}
	if (as_of_s != NULL &&
	    rfc3339_parse(as_of_s, strlen(as_of_s), as_of) < 0) {
		cli_error(cmd,
		    "--as-of must be RFC 3339 with an offset "
		    "(2026-11-01T00:00:00+07:00), not '%s'",
		    as_of_s);
		return 2;
	}
	return 0;
}
