/* mailer.c -- e-mail to people: the MIME message and its SMTP delivery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hailong/crypto.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/util.h"
#include "core/config.h"
#include "core/mailer.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
mailer_base64(struct buf *out, const void *in, size_t n, bool wrap)
{
	const unsigned char *p = in;
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64[(v >> 18) & 63];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		buf_add(out, q, 4);
		col += 4;
		if (wrap && col >= 76) {
			buf_puts(out, "\r\n");
			col = 0;
		}
	}
	if (wrap && col > 0)
		buf_puts(out, "\r\n");
}

bool
mailer_address_is_valid(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);

	if (n < 3 || n > 254 || at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == ',' || *p == ';' || *p == '"' || *p == '\\' ||
		    (unsigned char)*p >= 127)
			return false;
	return true;
}

/* The address inside "Name <addr>", or the whole text. */
static void
envelope_of(const char *from, char *out, size_t size)
{
	const char *lt = strrchr(from, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		size_t n = (size_t)(gt - lt - 1);

		if (n >= size)
			n = size - 1;
		memcpy(out, lt + 1, n);
		out[n] = '\0';
		return;
	}
	strlcpy_hl(out, from, size);
}

int
mailer_init(struct mailer *m, const struct config *c, char *err, size_t errlen)
{
	char *pw = NULL;
	size_t len = 0;

	memset(m, 0, sizeof(*m));
	if (c->smtp_url[0] == '\0')
		return 1;
	strlcpy_hl(m->url, c->smtp_url, sizeof(m->url));
	strlcpy_hl(m->from, c->smtp_from, sizeof(m->from));
	envelope_of(c->smtp_from, m->envelope, sizeof(m->envelope));
	strlcpy_hl(m->user, c->smtp_user, sizeof(m->user));
	strlcpy_hl(m->ca_file, c->alert_ca_file, sizeof(m->ca_file));
	m->timeout_ms = 30000;
	/* STARTTLS is required where a password would cross the wire */
	m->starttls = str_has_prefix(c->smtp_url, "smtp://") &&
	    (strcmp(c->smtp_starttls, "yes") == 0 ||
		(strcmp(c->smtp_starttls, "auto") == 0 && m->user[0] != '\0'));
	if (c->smtp_password_file[0] != '\0') {
		if (!file_is_private(c->smtp_password_file, err, errlen))
			return -1;
		pw = file_read(c->smtp_password_file, sizeof(m->password) - 1,
		    &len, err, errlen);
		if (pw == NULL)
			return -1;
		while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
			len--;
		memcpy(m->password, pw, len);
		m->password[len] = '\0';
		secret_wipe(pw, len);
		free(pw);
	}
	return 0;
}

void
mailer_release(struct mailer *m)
{
	secret_wipe(m->password, sizeof(m->password));
}

/* RFC 2047 encoded words (60 bytes: a line stays under 78), cut between
 * characters. */
static void
encode_header(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	bool ascii = true;

	for (size_t k = 0; k < n; k++)
		if ((unsigned char)s[k] >= 127 || (unsigned char)s[k] < ' ')
			ascii = false;
	if (ascii && n <= 70) {
		buf_puts(out, s);
		return;
	}
	while (i < n) {
		size_t k = i + 36 < n ? i + 36 : n;

		/* never split a UTF-8 sequence: back up to a lead byte */
		while (k < n && k > i && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		if (i > 0)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		mailer_base64(out, s + i, k - i, false);
		buf_puts(out, "?=");
		i = k;
	}
}

int
mailer_build(struct buf *out, const char *from, const char *to,
    const char *subject, const char *text, const char *message_id, int64_t date)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(date + HL_TZ_OFFSET);
	struct tm tm;
	struct buf body = { 0 };
	const char *p, *lt;

	gmtime_r(&t, &tm);
	/* a display name in Vietnamese is an encoded word too */
	buf_puts(out, "From: ");
	lt = strrchr(from, '<');
	if (lt != NULL && lt > from) {
		char name[256] = "";
		size_t n = (size_t)(lt - from);

		while (n > 0 && from[n - 1] == ' ')
			n--;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, from, n);
		name[n] = '\0';
		encode_header(out, name);
		buf_printf(out, " %s", lt);
	} else
		buf_puts(out, from);
	buf_printf(out, "\r\nTo: %s\r\nSubject: ", to);
	encode_header(out, subject);
	buf_printf(out,
	    "\r\nDate: %s, %02d %s %04d %02d:%02d:%02d +0700\r\n"
	    "Message-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n",
	    wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, message_id);
	/* CRLF line ends inside the text too */
	for (p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_putc(&body, '\r');
		buf_putc(&body, *p);
	}
	mailer_base64(out, body.data ? body.data : "", body.len, true);
	buf_release(&body);
	return buf_failed(out) ? -1 : 0;
}

int
mailer_send(const struct mailer *m, const char *to, const char *subject,
    const char *text, const char *message_id, int64_t date, char *err,
    size_t errlen)
{
	struct buf msg = { 0 };
	const char *rcpt[] = { to, NULL };
	struct httpc_mail hm = { m->url, m->user, m->password, m->starttls,
		m->ca_file[0] ? m->ca_file : NULL, m->timeout_ms, m->envelope,
		rcpt };
	int rc;

	if (mailer_build(&msg, m->from, to, subject, text, message_id, date) <
	    0) {
		snprintf(err, errlen, "cannot build the message");
		buf_release(&msg);
		return -1;
	}
	rc = httpc_mail_send(&hm, msg.data, msg.len, err, errlen);
	buf_release(&msg);
	return rc;
}
