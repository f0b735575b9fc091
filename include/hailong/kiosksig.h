/* kiosksig.h -- kiosk request signatures: HMAC-SHA256 with the kiosk's key. */
#ifndef HAILONG_KIOSKSIG_H
#define HAILONG_KIOSKSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hailong/crypto.h"
#include "hailong/wire.h"

/*
 * Every request a kiosk makes after enrolment carries
 *
 *	Authorization: HL1-HMAC-SHA256 kiosk=<id>, time=<unix seconds>,
 *	    nonce=<n>, sig=<64 hex digits>
 *
 * (one line; the four fields in this order, separated by a comma and
 * optional spaces).  sig is HMAC-SHA256 under the kiosk's 32-byte secret
 * of the canonical text
 *
 *	"hailong-kiosk-v1\n" METHOD "\n" PATH "\n" QUERY "\n" KIOSK "\n"
 *	TIME "\n" NONCE "\n" hex(SHA-256(body))
 *
 * (no newline at the end; PATH raw as sent, QUERY "" when none; decimal
 * numbers without leading zeros; lower-case hex).  The server accepts a
 * request only when the signature verifies, |TIME - its clock| <=
 * WIRE_TIME_WINDOW, and NONCE is above every nonce it has accepted from
 * that kiosk (kept on disk, so a restart does not reopen old requests).
 *
 * A 2xx answer to a signed request carries X-Hailong-Signature: the hex
 * HMAC-SHA256 under the same secret of
 *
 *	"hailong-kiosk-response-v1\n" STATUS "\n" NONCE "\n"
 *	hex(SHA-256(body))
 *
 * so the kiosk marks ratings sent only on the server's own word, even
 * over plain HTTP, and never on an old answer replayed to it.
 */

#define KIOSKSIG_SCHEME "HL1-HMAC-SHA256"
#define KIOSKSIG_HEADER_MAX 256 /* longer headers are refused unread */

struct kiosksig {
	char kiosk[WIRE_KIOSK_ID_LEN + 1];
	int64_t time;  /* Unix seconds, > 0 */
	int64_t nonce; /* > 0, strictly increasing per kiosk */
	unsigned char mac[SHA256_LEN];
};

/* A kiosk id: "k" and 10 lower-case hex digits. */
bool kiosk_id_is_valid(const char *s, size_t len);

/*
 * Parse an Authorization header value.  Touches no key and no database:
 * this is what the fuzzer calls.  0, or -1 for anything malformed
 * (other scheme, missing, repeated or unknown field, bad number).
 */
int kiosksig_parse(const char *buf, size_t len, struct kiosksig *out);

/* The header value for s.  out holds KIOSKSIG_HEADER_MAX bytes. */
void kiosksig_format(const struct kiosksig *s, char out[KIOSKSIG_HEADER_MAX]);

/*
 * Compute s->mac from the other fields of s and the request.  query may
 * be NULL for none.
 */
void kiosksig_sign(struct kiosksig *s, const unsigned char *key, size_t keylen,
    const char *method, const char *path, const char *query, const void *body,
    size_t len);

/* Whether s->mac is right for the request (constant time). */
bool kiosksig_verify(const struct kiosksig *s, const unsigned char *key,
    size_t keylen, const char *method, const char *path, const char *query,
    const void *body, size_t len);

/* The X-Hailong-Signature value of an answer: 64 hex digits and a NUL. */
void kiosksig_response(const unsigned char *key, size_t keylen, int status,
    int64_t nonce, const void *body, size_t len, char out[2 * SHA256_LEN + 1]);

/* Whether `hex` (may be NULL) is the right signature of the answer. */
bool kiosksig_response_ok(const unsigned char *key, size_t keylen, int status,
    int64_t nonce, const void *body, size_t len, const char *hex);

#endif
