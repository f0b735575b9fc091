/* opts.c -- a subcommand's flags, for both programs. */
#include <stdio.h>
#include <string.h>

#include "hailong/opts.h"

void
opts_verror(const struct opts_cmd *cmd, bool hint, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s %s: ", cmd->prog, cmd->name);
	vfprintf(stderr, fmt, ap);
	if (hint)
		fprintf(stderr, "; see '%s %s --help'", cmd->prog, cmd->name);
	fputc('\n', stderr);
}

void
opts_error(const struct opts_cmd *cmd, bool hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	opts_verror(cmd, hint, fmt, ap);
	va_end(ap);
}

static bool
is_flag(const struct opts_cmd *cmd, const char *a)
{
	if (strncmp(a, "--", 2) != 0)
		return false;
	return a[2] != '\0' || (cmd->flags & OPTS_DASHDASH_IS_OPTION) != 0;
}

static const struct opt *
find_opt(const struct opt *opts, const char *name, size_t len)
{
	const struct opt *o;

	for (o = opts; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

int
opts_parse(const struct opts_cmd *cmd, int argc, char **argv,
    const struct opt *opts, const char **pos, int npos, int *got)
{
	bool hint = (cmd->flags & OPTS_HINT_ALWAYS) != 0;
	int n = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		const struct opt *o;
		size_t len;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(cmd->usage, stdout);
			return 1;
		}
		if (!is_flag(cmd, a)) {
			if (n == npos) {
				opts_error(
				    cmd, true, "unexpected argument '%s'", a);
				return -1;
			}
			pos[n++] = a;
			continue;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		o = find_opt(opts, a + 2, len);
		if (o == NULL) {
			opts_error(cmd, true, "unknown option '%.*s'",
			    (int)len + 2, a);
			return -1;
		}
		if (o->value == NULL) {
			if (eq != NULL) {
				opts_error(
				    cmd, hint, "--%s takes no value", o->name);
				return -1;
			}
			*o->on = true;
		} else if (eq != NULL) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			opts_error(cmd, hint, "--%s needs a value", o->name);
			return -1;
		}
	}
	if (got != NULL)
		*got = n;
	return 0;
}
