/* cmd_duty.c -- hailong duty: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_duty(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("duty", "not built yet");
	return 2;
}
