/* cli.h -- subcommands and their flags. */
#ifndef HAILONG_CLI_H
#define HAILONG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/opts.h"

/*
 * opts_parse() (hailong/opts.h) for "hailong <cmd>": 0, 1 after printing
 * `usage` for --help, -1 after saying what is wrong.
 */
int cli_parse(const char *cmd, const char *usage, int argc, char **argv,
    const struct opt *opts, const char **pos, int npos, int *got);

/* Print "hailong <cmd>: <fmt...>" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A month's command: --month YYYY-MM into *month and, when given, --as-of
 * (RFC 3339 with an offset) into *as_of (left as it is otherwise).  0,
 * or 2 (the usage exit status) after saying which value is wrong.
 */
/*
 * --month or --period (exactly one given) and --as-of: *p the period.
 * 0, or 2 after saying what is wrong.
 */
struct period;
int cli_period_as_of(const char *cmd, const char *month_s, const char *period_s,
    const char *as_of_s, struct period *p, int64_t *as_of);
int cli_month_as_of(const char *cmd, const char *month_s, const char *as_of_s,
    int *month, int64_t *as_of);

/* "cli:<login name>", the actor of CLI actions in the audit log. */
void cli_actor(char *out, size_t size);

struct config;
/*
 * The configuration a maintenance command runs with: the defaults, then
 * the file `path` and the --db flag `db` (either may be NULL), checked
 * with config_validate().  0, or -1 after printing why (cmd_config.c).
 */
int
cli_config(const char *cmd, const char *path, const char *db, struct config *c);

/* The subcommands; each returns the process exit status. */
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_qr(int argc, char **argv);
int cmd_verify_chain(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_privacy(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_kiosk(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_counter(int argc, char **argv);
int cmd_officer(int argc, char **argv);
int cmd_procedure(int argc, char **argv);
int cmd_instrument(int argc, char **argv);
int cmd_duty(int argc, char **argv);
int cmd_alert(int argc, char **argv);

#endif
