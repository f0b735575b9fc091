/* cmd_officer.c -- hailong officer: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_officer(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("officer", "not built yet");
	return 2;
}
