/* cmd_counter.c -- hailong counter: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_counter(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("counter", "not built yet");
	return 2;
}
