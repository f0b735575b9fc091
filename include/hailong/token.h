/* token.h -- the signed tokens in QR codes: payload.mac, base64url. */
#ifndef HAILONG_TOKEN_H
#define HAILONG_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A token is `b64url(payload) "." b64url(mac)` where payload is the text
 *
 *	1|<kid>|<kind>|<unit>|<counter>|<procedure>|<dossier>
 *
 * (version 1; kind 'C' for a counter token, 'D' for a dossier token;
 * counter 0 and empty procedure/dossier mean "not bound"), or
 *
 *	2|<kid>|<kind>|<unit>|<counter>|<procedure>|<dossier>|<channel>|<expires>
 *
 * (version 2: channel "" or "w", the ratings it takes are of the web
 * channel; expires "" or the Unix second after which it is refused), and
 * mac is the first 16 bytes of HMAC-SHA256(key[kid], "hailong-token-v1."
 * payload_b64): the version is inside the MAC.  token_encode() writes
 * version 1 whenever the token has neither a channel nor an expiry, so
 * the posters made before version 2 and those made since are alike;
 * version 2 with both fields empty is refused (one spelling per token).
 * A counter token binds a unit and a counter or a procedure or both (a
 * poster at a counter, or for one procedure);
 * a dossier token binds a unit and a dossier code, and may bind a
 * procedure.  Posters carry no expiry: a poster stays on the wall for
 * years; a key is retired to revoke every token made with it.  Links made
 * for the one-stop system (POST /api/v1/dossiers/{code}/rating-link) are
 * version 2 dossier tokens with an expiry, and the web channel for an
 * online dossier.
 */

#define TOKEN_MAX_LEN 256 /* longer input is refused unread */
#define TOKEN_MAC_LEN 16
#define TOKEN_KEY_LEN 32

enum token_kind {
	TOKEN_COUNTER = 'C',
	TOKEN_DOSSIER = 'D',
};

/* The channel of the ratings a token takes (rating.h's channels). */
enum token_channel {
	TOKEN_CHANNEL_QR = 0,   /* "qr": a poster, a receipt (version 1) */
	TOKEN_CHANNEL_WEB = 'w' /* "web": an online dossier's link */
};

struct token {
	int kid; /* 1..65535 */
	enum token_kind kind;
	char unit[41];
	int counter;       /* 1..999, 0 when none */
	char procedure[9]; /* "" when none */
	char dossier[65];  /* "" when none */
	enum token_channel channel;
	int64_t expires; /* Unix seconds, 0 when it never expires */
};

/*
 * Check that `t` is well formed (every field valid for its kind).
 * Returns NULL when it is, else a short English reason.
 */
const char *token_check(const struct token *t);

/*
 * Write the token for `t` signed with `key` into out (TOKEN_MAX_LEN+1
 * bytes).  0, or -1 when `t` is not well formed.
 */
int token_encode(const struct token *t, const unsigned char *key, size_t keylen,
    char out[TOKEN_MAX_LEN + 1]);

/*
 * Parse a token without checking its MAC: split, decode and validate the
 * payload into *t and the MAC into mac.  Touches no key: this is what a
 * fuzzer calls.  0 or -1.
 */
int token_parse(const char *s, size_t len, struct token *t,
    unsigned char mac[TOKEN_MAC_LEN]);

/* Whether t has an expiry and the Unix second `now` is past it. */
bool token_is_expired(const struct token *t, int64_t now);

/*
 * Find the key for kid: write it to key (TOKEN_KEY_LEN bytes) and return
 * 0, or return -1 when there is no such (or no longer a valid) key.
 */
typedef int (*token_key_fn)(
    int kid, unsigned char key[TOKEN_KEY_LEN], void *arg);

/* Parse and check the MAC in constant time.  0 when genuine, else -1. */
int token_verify(
    const char *s, size_t len, token_key_fn key_fn, void *arg, struct token *t);

#endif
