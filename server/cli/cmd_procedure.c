/* cmd_procedure.c -- hailong procedure: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_procedure(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("procedure", "not built yet");
	return 2;
}
