/* fuzz_route.c -- libFuzzer: request paths against the route table, and
 * route patterns themselves (server/web/server.c route_match). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Captures are segments of path: no '/', NUL-terminated, at most the cap. */
static void
check(const char *path, char **params, int n, bool ok)
{
	if (n < 0 || n > CTX_MAX_PARAMS || (!ok && n != 0))
		__builtin_trap();
	for (int i = 0; i < n; i++) {
		if (strchr(params[i], '/') != NULL ||
		    strlen(params[i]) > strlen(path) ||
		    strstr(path, params[i]) == NULL)
			__builtin_trap();
		free(params[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 2), *nl, *params[CTX_MAX_PARAMS];
	const char *pattern = NULL, *path;
	int n, hits = 0;
	bool ok;

	/* "PATH" or "PATTERN\nPATH"; both must start with '/' */
	in[0] = '/';
	memcpy(in + 1, data, size);
	in[size + 1] = '\0';
	if (strlen(in) != size + 1) {
		free(in);
		return 0; /* a NUL inside: MHD never hands us one */
	}
	nl = strchr(in, '\n');
	path = in;
	if (nl != NULL && nl[1] == '/') {
		*nl = '\0';
		pattern = in;
		path = nl + 1;
	}
	for (const struct route *r = routes; r->pattern != NULL; r++) {
		ok = route_match(r->pattern, path, params, &n);
		check(path, params, n, ok);
		hits += ok;
	}
	if (pattern != NULL) {
		ok = route_match(pattern, path, params, &n);
		check(path, params, n, ok);
		/* a pattern without ':' matches only itself */
		if (ok && strchr(pattern, ':') == NULL &&
		    strcmp(pattern, path) != 0)
			__builtin_trap();
	}
	(void)hits;
	free(in);
	return 0;
}
