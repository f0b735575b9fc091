/* nullserver.c -- the ingest ceiling: hailong's HTTP adapter, no work. */
/*
 * The same lib/http.c with the same configuration as 'hailong serve'
 * (event threads, limits, security headers), a handler that takes the
 * POST body and answers 204.  What hailong's durable ingest is compared
 * with: the cost of HTTP itself on this machine.
 *
 * usage: nullserver [ADDR:PORT] [THREADS]    prints "listening on ..."
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "hailong/http.h"

static void
begin(struct http_request *req, void *arg)
{
	(void)arg;
	req->body_max = 16 * 1024;
}

static void
handle(struct http_request *req, void *arg)
{
	(void)arg;
	http_text(req, 204, "");
}

int
main(int argc, char **argv)
{
	static const char *const headers[][2] = {
		{ "X-Content-Type-Options", "nosniff" },
		{ "Referrer-Policy", "no-referrer" },
		{ "X-Frame-Options", "DENY" },
		{ NULL, NULL },
	};
	struct http_config cfg = { .threads = 2, .conn_limit = 1024,
		.per_ip_limit = 128, .timeout_s = 30 };
	struct http_handlers h = { begin, handle, NULL, NULL, NULL };
	struct http_server *s;
	sigset_t sigs;
	char err[256];
	int sig;

	if (http_parse_listen(argc > 1 ? argv[1] : "127.0.0.1:0", &cfg) < 0) {
		fprintf(stderr, "nullserver: bad address\n");
		return 2;
	}
	if (argc > 2)
		cfg.threads = (unsigned)atoi(argv[2]);
	cfg.default_headers = headers;
	cfg.default_csp = "default-src 'none'";
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	s = http_start(&cfg, &h, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "nullserver: %s\n", err);
		return 1;
	}
	printf("listening on http://%s:%u\n", cfg.addr, http_port(s));
	fflush(stdout);
	sigwait(&sigs, &sig);
	http_stop(s);
	return 0;
}
