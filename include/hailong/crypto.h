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

/* HMAC-SHA256 of data under key. */
void hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[SHA256_LEN]);

/* Constant-time equality of n bytes. */
bool ct_equal(const void *a, const void *b, size_t n);

/* Fill with cryptographically strong random bytes; aborts if it cannot. */
void random_bytes(void *out, size_t n);
/* A random version-4 UUID, lower-case, 36 chars and a NUL. */
void uuid_v4(char out[37]);
/* 32 random bytes as 43 chars of base64url and a NUL. */
void random_token(char out[44]);

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
