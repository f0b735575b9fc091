/* kioskapi.c -- kiosk signatures: a placeholder that refuses everyone. */
#include "hailong/http.h"
#include "auth.h"
#include "server.h"

int
auth_kiosk(struct ctx *c, int quiet)
{
	if (!quiet)
		http_text(c->req, 401, "not available yet\n");
	return -1;
}
