/* httpc.h -- the one door to libcurl: a small HTTP client with keep-alive. */
#ifndef HAILONG_HTTPC_H
#define HAILONG_HTTPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

/*
 * One client is one libcurl handle: requests made through it reuse the
 * open connection to the same server (keep-alive), so a stream of
 * requests costs one TCP (and TLS) handshake.  A client is used by one
 * thread at a time.  Redirects are not followed; only http and https
 * are spoken; TLS certificates are verified.
 *
 *	struct httpc *h = httpc_new(NULL);
 *	struct httpc_response r = {0};
 *	const char *hdr[] = {"Content-Type: application/json", NULL};
 *	if (httpc_request(h, "POST", url, hdr, body, len, &r, err,
 *	    sizeof(err)) == 0 && r.status == 200) ...
 *	httpc_response_release(&r);
 *	httpc_free(h);
 */

#define HTTPC_MAX_HEADERS 32  /* response headers kept; more are dropped */
#define HTTPC_HEADER_MAX 4096 /* a longer response header is dropped */

struct httpc_options {
	unsigned connect_timeout_ms; /* 0: 5000 */
	unsigned timeout_ms;         /* whole request; 0: 30000 */
	size_t body_max;             /* response body cap; 0: 16 MiB */
	const char *ca_file;         /* PEM bundle; NULL: the system's */
	const char *user_agent;      /* NULL: "hailong/<version>" */
	/* polled during a transfer; true abandons it (NULL: never) */
	bool (*cancel)(void *arg);
	void *cancel_arg;
};

struct httpc_response {
	int status; /* the final status (after any 100 Continue) */
	struct buf body;
	int nheaders;
	char *header[HTTPC_MAX_HEADERS][2]; /* name, value; owned */
};

struct httpc;

/*
 * Set libcurl up for the process.  Call once from main() before any
 * thread starts.  0 or -1.
 */
int httpc_global_init(void);

/* A client; opts may be NULL.  New: httpc_free(). */
struct httpc *httpc_new(const struct httpc_options *opts);
/* Close its connections and free; accepts NULL. */
void httpc_free(struct httpc *h);

/*
 * Make one request.  `headers` is a NULL-terminated list of "Name: value"
 * lines (or NULL); body/len may be NULL/0.  The previous content of resp
 * is released first.  Returns 0 when an answer came back, whatever its
 * status (resp filled); -1 when none did (refused, timed out, TLS
 * failure, body over the cap), with err saying which.
 */
int httpc_request(struct httpc *h, const char *method, const char *url,
    const char *const *headers, const void *body, size_t len,
    struct httpc_response *resp, char *err, size_t errlen);

/* The first response header with this name (any case), or NULL. */
const char *httpc_header(const struct httpc_response *r, const char *name);
/* Free what resp holds; it is empty and reusable after. */
void httpc_response_release(struct httpc_response *r);

/* Connections this client opened so far (1 for a kept-alive stream). */
uint64_t httpc_connections(const struct httpc *h);

/*
 * One e-mail through SMTP (libcurl's): smtp://host:port (STARTTLS when
 * `starttls`, required then: CURLUSESSL_ALL) or smtps://host:port (TLS
 * from the first byte).  AUTH when `user` is set (the mechanisms the
 * server offers; PLAIN or LOGIN over TLS).  `msg` is the whole message
 * (headers, blank line, body) with CRLF line ends; libcurl dot-stuffs it.
 */
struct httpc_mail {
	const char *url;
	const char *user;     /* NULL: no AUTH */
	const char *password; /* with user */
	bool starttls;
	const char *ca_file;   /* PEM bundle; NULL: the system's */
	unsigned timeout_ms;   /* whole exchange; 0: 30000 */
	const char *from;      /* envelope sender (an address, no name) */
	const char *const *to; /* NULL-terminated envelope recipients */
};

/*
 * Send it.  0 when the server accepted the message (250 after DATA);
 * -1 otherwise, err holding libcurl's reason and the server's last
 * answer ("RCPT failed: 550 ...; server said: 550 5.1.1 no such user").
 */
int httpc_mail_send(const struct httpc_mail *m, const void *msg, size_t len,
    char *err, size_t errlen);

#endif
