/* session.c -- console sessions: a placeholder that refuses everyone. */
#include "hailong/http.h"
#include "auth.h"
#include "server.h"

int
auth_staff(struct ctx *c, int min_role, int quiet)
{
	(void)min_role;
	if (!quiet)
		http_text(c->req, 401, "not available yet\n");
	return -1;
}
