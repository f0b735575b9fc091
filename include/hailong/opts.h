/* opts.h -- a subcommand's flags, for both programs. */
#ifndef HAILONG_OPTS_H
#define HAILONG_OPTS_H

#include <stdarg.h>
#include <stdbool.h>

/*
 * One flag: "--name value" (or "--name=value") sets *value, borrowed from
 * argv; a flag with value == NULL is a switch and sets *on.  A table of
 * them ends with { NULL, NULL, NULL }.
 */
struct opt {
	const char *name;
	const char **value;
	bool *on;
};

/* Every error names the command and ends "; see 'PROG CMD --help'". */
#define OPTS_HINT_ALWAYS 0x1
/* A bare "--" is an unknown option, not an argument. */
#define OPTS_DASHDASH_IS_OPTION 0x2

/*
 * The subcommand being parsed: its program ("hailong"), name ("qr"),
 * --help text, and OPTS_* flags.  Without OPTS_HINT_ALWAYS only an
 * unknown option and an unexpected argument point at --help.
 */
struct opts_cmd {
	const char *prog;
	const char *name;
	const char *usage;
	unsigned flags;
};

/*
 * Parse argv[1..] (argv[0] is the subcommand) against opts.  Arguments
 * that are not flags go to pos (at most npos; *got, when not NULL, says
 * how many).  Unknown flags, missing values and extra arguments print a
 * message naming the command on stderr and return -1.  "--help" or
 * "-h" prints cmd->usage on stdout and returns 1.  0 otherwise.
 */
int opts_parse(const struct opts_cmd *cmd, int argc, char **argv,
    const struct opt *opts, const char **pos, int npos, int *got);

/*
 * Print "PROG CMD: <fmt...>" on stderr, then "; see 'PROG CMD --help'"
 * when hint, then a newline.
 */
void opts_error(const struct opts_cmd *cmd, bool hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void opts_verror(const struct opts_cmd *cmd, bool hint, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

#endif
