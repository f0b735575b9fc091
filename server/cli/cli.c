/* cli.c -- subcommands and their flags. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hailong/hltime.h"
#include "hailong/opts.h"
#include "cli/cli.h"

void
cli_error(const char *cmd, const char *fmt, ...)
{
	const struct opts_cmd c = { "hailong", cmd, "", 0 };
	va_list ap;

	va_start(ap, fmt);
	opts_verror(&c, false, fmt, ap);
	va_end(ap);
}

int
cli_parse(const char *cmd, const char *usage, int argc, char **argv,
    const struct opt *opts, const char **pos, int npos, int *got)
{
	const struct opts_cmd c = { "hailong", cmd, usage, 0 };

	return opts_parse(&c, argc, argv, opts, pos, npos, got);
}

int
cli_period_as_of(const char *cmd, const char *month_s, const char *period_s,
    const char *as_of_s, struct period *p, int64_t *as_of)
{
	char why[160];
	int month;

	if (period_s == NULL) {
		if (cli_month_as_of(cmd, month_s, as_of_s, &month, as_of) != 0)
			return 2;
		*p = period_of_month(month);
		return 0;
	}
	if (period_parse(period_s, strlen(period_s), p, why, sizeof(why)) < 0) {
		cli_error(cmd, "--period '%s': %s", period_s, why);
		return 2;
	}
	return cli_month_as_of(cmd, "2000-01", as_of_s, &month, as_of);
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
