/* token.c -- the signed tokens in QR codes: payload.mac, base64url. */
#include <stdio.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/encode.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"

#define TOKEN_DOMAIN "hailong-token-v1."
#define PAYLOAD_MAX 160
/* 9999-12-31: a larger expiry is a bug or a forgery */
#define TOKEN_EXPIRES_MAX ((int64_t)253402300799)

const char *
token_check(const struct token *t)
{
	if (t->kid < 1 || t->kid > 65535)
		return "key id out of range";
	if (!is_unit_code(t->unit, strlen(t->unit)))
		return "bad unit code";
	if (t->counter < 0 || t->counter > 999)
		return "bad counter";
	if (t->procedure[0] != '\0' &&
	    !is_procedure_code(t->procedure, strlen(t->procedure)))
		return "bad procedure code";
	if (t->channel != TOKEN_CHANNEL_QR && t->channel != TOKEN_CHANNEL_WEB)
		return "unknown channel";
	if (t->expires < 0 || t->expires > TOKEN_EXPIRES_MAX)
		return "expiry out of range";
	switch (t->kind) {
	case TOKEN_COUNTER:
		if (t->counter == 0 && t->procedure[0] == '\0')
			return "a counter token needs a counter or a procedure";
		if (t->dossier[0] != '\0')
			return "a counter token carries no dossier";
		break;
	case TOKEN_DOSSIER:
		if (!is_dossier_code(t->dossier, strlen(t->dossier)))
			return "bad dossier code";
		break;
	default: return "unknown token kind";
	}
	return NULL;
}

static void
token_mac(const unsigned char *key, size_t keylen, const char *p64,
    size_t p64len, unsigned char mac[TOKEN_MAC_LEN])
{
	unsigned char full[SHA256_LEN];
	char msg[sizeof(TOKEN_DOMAIN) + 4 * PAYLOAD_MAX / 3 + 8];
	size_t dl = sizeof(TOKEN_DOMAIN) - 1;

	memcpy(msg, TOKEN_DOMAIN, dl);
	memcpy(msg + dl, p64, p64len);
	hmac_sha256(key, keylen, msg, dl + p64len, full);
	memcpy(mac, full, TOKEN_MAC_LEN);
}

int
token_encode(const struct token *t, const unsigned char *key, size_t keylen,
    char out[TOKEN_MAX_LEN + 1])
{
	char payload[PAYLOAD_MAX + 1];
	unsigned char mac[TOKEN_MAC_LEN];
	size_t plen, p64len;
	int n;

	if (token_check(t) != NULL)
		return -1;
	if (t->channel == TOKEN_CHANNEL_QR && t->expires == 0)
		n = snprintf(payload, sizeof(payload), "1|%d|%c|%s|%d|%s|%s",
		    t->kid, (char)t->kind, t->unit, t->counter, t->procedure,
		    t->dossier);
	else if (t->expires == 0)
		n = snprintf(payload, sizeof(payload),
		    "2|%d|%c|%s|%d|%s|%s|%c|", t->kid, (char)t->kind, t->unit,
		    t->counter, t->procedure, t->dossier, (char)t->channel);
	else
		n = snprintf(payload, sizeof(payload),
		    "2|%d|%c|%s|%d|%s|%s|%s|%lld", t->kid, (char)t->kind,
		    t->unit, t->counter, t->procedure, t->dossier,
		    t->channel == TOKEN_CHANNEL_WEB ? "w" : "",
		    (long long)t->expires);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return -1;
	plen = (size_t)n;
	p64len = b64url_len(plen);
	if (p64len + 1 + b64url_len(TOKEN_MAC_LEN) > TOKEN_MAX_LEN)
		return -1;
	b64url_encode(payload, plen, out);
	token_mac(key, keylen, out, p64len, mac);
	out[p64len] = '.';
	b64url_encode(mac, TOKEN_MAC_LEN, out + p64len + 1);
	return 0;
}

/* Next '|'-separated field of p[0..len) starting at *pos, into out. */
static int
field(
    const char *p, size_t len, size_t *pos, char *out, size_t outlen, bool last)
{
	size_t start = *pos, end = start;

	while (end < len && p[end] != '|')
		end++;
	if ((end == len) != last)
		return -1;
	if (end - start >= outlen)
		return -1;
	memcpy(out, p + start, end - start);
	out[end - start] = '\0';
	*pos = end + 1;
	return 0;
}

/*
 * Version 2's tail after the dossier: channel "" or "w", expires "" or
 * a Unix second spelled without leading zeros; not both empty.
 */
static int
parse_tail(const char *p, size_t len, size_t *pos, struct token *t)
{
	char channel[4], expires[16];
	int64_t v;

	if (field(p, len, pos, channel, sizeof(channel), false) < 0 ||
	    field(p, len, pos, expires, sizeof(expires), true) < 0)
		return -1;
	if (channel[0] == '\0')
		t->channel = TOKEN_CHANNEL_QR;
	else if (strcmp(channel, "w") == 0)
		t->channel = TOKEN_CHANNEL_WEB;
	else
		return -1;
	if (expires[0] != '\0') {
		if (expires[0] == '0' ||
		    parse_int64(expires, strlen(expires), 1, INT64_MAX, &v) < 0)
			return -1;
		t->expires = v;
	}
	if (t->channel == TOKEN_CHANNEL_QR && t->expires == 0)
		return -1; /* that token is spelled as version 1 */
	return 0;
}

int
token_parse(const char *s, size_t len, struct token *t,
    unsigned char mac[TOKEN_MAC_LEN])
{
	char payload[PAYLOAD_MAX + 1], ver[4], kid[8], kind[4], counter[8];
	const char *dot;
	size_t p64len, pos = 0;
	long plen;
	int64_t v;
	bool v2;

	memset(t, 0, sizeof(*t));
	if (len > TOKEN_MAX_LEN)
		return -1;
	dot = memchr(s, '.', len);
	if (dot == NULL)
		return -1;
	p64len = (size_t)(dot - s);
	if (b64url_decode(dot + 1, len - p64len - 1, mac, TOKEN_MAC_LEN) !=
	    TOKEN_MAC_LEN)
		return -1;
	plen = b64url_decode(s, p64len, payload, PAYLOAD_MAX);
	/* a NUL would end a field early and hide the bytes after it */
	if (plen <= 0 || memchr(payload, '\0', (size_t)plen) != NULL)
		return -1;
	if (field(payload, (size_t)plen, &pos, ver, sizeof(ver), false) < 0 ||
	    (strcmp(ver, "1") != 0 && strcmp(ver, "2") != 0))
		goto bad;
	v2 = ver[0] == '2';
	if (field(payload, (size_t)plen, &pos, kid, sizeof(kid), false) < 0 ||
	    field(payload, (size_t)plen, &pos, kind, sizeof(kind), false) < 0 ||
	    field(payload, (size_t)plen, &pos, t->unit, sizeof(t->unit),
		false) < 0 ||
	    field(payload, (size_t)plen, &pos, counter, sizeof(counter),
		false) < 0 ||
	    field(payload, (size_t)plen, &pos, t->procedure,
		sizeof(t->procedure), false) < 0 ||
	    field(payload, (size_t)plen, &pos, t->dossier, sizeof(t->dossier),
		!v2) < 0 ||
	    (v2 && parse_tail(payload, (size_t)plen, &pos, t) < 0))
		goto bad;
	/* one spelling per value: no leading zeros, no signs */
	if (kid[0] == '0' || parse_int64(kid, strlen(kid), 1, 65535, &v) < 0)
		goto bad;
	t->kid = (int)v;
	if ((counter[0] == '0' && counter[1] != '\0') ||
	    parse_int64(counter, strlen(counter), 0, 999, &v) < 0)
		goto bad;
	t->counter = (int)v;
	if (strlen(kind) != 1)
		goto bad;
	t->kind = (enum token_kind)kind[0];
	if (token_check(t) != NULL)
		goto bad;
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	return -1;
}

/* Whether t has an expiry and `now` is past it. */
bool
token_is_expired(const struct token *t, int64_t now)
{
	return t->expires != 0 && now > t->expires;
}

int
token_verify(
    const char *s, size_t len, token_key_fn key_fn, void *arg, struct token *t)
{
	unsigned char mac[TOKEN_MAC_LEN], want[TOKEN_MAC_LEN];
	unsigned char key[TOKEN_KEY_LEN];
	const char *dot;

	if (token_parse(s, len, t, mac) < 0)
		return -1;
	if (key_fn(t->kid, key, arg) < 0)
		goto bad;
	dot = memchr(s, '.', len);
	token_mac(key, sizeof(key), s, (size_t)(dot - s), want);
	memset(key, 0, sizeof(key));
	if (!ct_equal(mac, want, TOKEN_MAC_LEN))
		goto bad;
	return 0;
bad:
	memset(t, 0, sizeof(*t));
	return -1;
}
