/* crypto.h -- hashes, MACs, randomness and password hashing (OpenSSL). */
#ifndef HAILONG_CRYPTO_H
#define HAILONG_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN 32

struct sha256 {
	void *ctx; /* EVP_MD_CTX, owned */
};

/* One-shot SHA-256. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);
/* Incremental SHA-256: init, update..., final (final releases). */
void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, unsigned char out[SHA256_LEN]);
/*
 * One link of a hash chain: out = SHA-256(prev || data).  The ratings'
 * and the audit log's chains; stored, so these bytes never change.  out
 * may be prev.
 */
void sha256_chain(const unsigned char prev[SHA256_LEN], const void *data,
    size_t len, unsigned char out[SHA256_LEN]);

/* HMAC-SHA256 of data under key. */
void hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[SHA256_LEN]);

/* Constant-time equality of n bytes. */
bool ct_equal(const void *a, const void *b, size_t n);

/* Overwrite n bytes of a secret so that the compiler cannot skip it. */
void secret_wipe(void *p, size_t n);

/* Fill with cryptographically strong random bytes; aborts if it cannot. */
void random_bytes(void *out, size_t n);
/* A random version-4 UUID, lower-case, 36 chars and a NUL. */
void uuid_v4(char out[37]);
/* 32 random bytes as 43 chars of base64url and a NUL. */
void random_token(char out[44]);

/*
 * Identifiers that sort by creation time, so that index inserts append
 * instead of landing on random pages (every page a commit touches is
 * written to the WAL and synced).
 * uuid_v7(): an RFC 9562 version-7 UUID (48-bit Unix milliseconds, then
 * 74 random bits), lower-case hex, 36 chars and a NUL.
 * ordered_nonce(): 22 chars of the base64url character set: 8 encode the
 * milliseconds in an alphabet in ASCII order, 14 are random (84 bits).
 */
void uuid_v7(char out[37]);
void ordered_nonce(char out[23]);
/* Whether s is 22 chars of the base64url character set (a form nonce). */
bool nonce_is_valid(const char *s);

/*
 * Password hashing with scrypt (N=2^15, r=8, p=1, 16-byte salt).  The
 * stored form is "scrypt$15$8$1$<salt b64url>$<hash b64url>".
 * password_hash() returns a new string (free()), NULL on failure.
 * password_verify() is true only for a match; any malformed stored form
 * is false.
 */
char *password_hash(const char *password);
bool password_verify(const char *password, const char *stored);

#endif
