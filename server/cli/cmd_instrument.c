/* cmd_instrument.c -- hailong instrument: a stub until its helper lands it. */
#include <stdio.h>

#include "cli/cli.h"

int
cmd_instrument(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("instrument", "not built yet");
	return 2;
}
