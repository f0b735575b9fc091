/* apikey.c -- API keys: a placeholder that refuses everyone. */
#include "hailong/http.h"
#include "auth.h"
#include "server.h"

int
auth_apikey(struct ctx *c, int quiet)
{
	if (!quiet)
		http_text(c->req, 401, "not available yet\n");
	return -1;
}
