/* mailer.h -- e-mail to people: the MIME message and its SMTP delivery. */
#ifndef HAILONG_MAILER_H
#define HAILONG_MAILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/buf.h"

struct config;

/*
 * The mail server hailong talks to (config smtp_*).  The password is
 * read from smtp_password_file, which must be private (mode 0600): it
 * stays in memory only here and mailer_release() wipes it.
 */
struct mailer {
	char url[256];
	char from[256];     /* the From: header, "Name <addr>" or "addr" */
	char envelope[256]; /* the address alone, for MAIL FROM */
	char user[128];
	char password[256];
	char ca_file[512];
	bool starttls;
	unsigned timeout_ms;
};

/*
 * Fill m from the configuration.  0; 1 when no mail server is configured
 * (smtp_url empty: nothing can be sent); -1 with err filled (the password
 * file cannot be read or others may read it).
 */
int
mailer_init(struct mailer *m, const struct config *c, char *err, size_t errlen);
/* Wipe the password. */
void mailer_release(struct mailer *m);

/*
 * Build a whole message into out (CRLF lines): From, To, an RFC 2047
 * encoded Subject, Date (+0700), the given Message-ID (without <>; a
 * resend of the same delivery carries the same one), MIME 1.0,
 * text/plain UTF-8 in base64.  0 or -1 (out failed).
 */
int mailer_build(struct buf *out, const char *from, const char *to,
    const char *subject, const char *text, const char *message_id,
    int64_t date);

/*
 * Send one message built with mailer_build() from m->from to `to`.
 * 0 when the server accepted it; -1 with err holding why, the server's
 * answer included.  The content is never logged.
 */
int mailer_send(const struct mailer *m, const char *to, const char *subject,
    const char *text, const char *message_id, int64_t date, char *err,
    size_t errlen);

/* Whether s looks like one e-mail address (local@domain, no spaces). */
bool mailer_address_is_valid(const char *s);

/* Standard base64 (RFC 4648 section 4) of in, lines of 76 ending CRLF. */
void mailer_base64(struct buf *out, const void *in, size_t n, bool wrap);

#endif
