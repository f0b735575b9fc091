/* cmd_unit.c -- hailong unit: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_unit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("unit", "not built yet");
	return 2;
}
