/* crypto.c -- hashes, MACs, randomness and password hashing (OpenSSL). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "hailong/crypto.h"
#include "hailong/encode.h"
#include "hailong/util.h"

static void
crypto_die(const char *what)
{
	fprintf(stderr, "hailong: OpenSSL failure in %s\n", what);
	abort();
}

void
sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
	if (EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) != 1)
		crypto_die("SHA-256");
}

void
sha256_init(struct sha256 *h)
{
	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		crypto_die("SHA-256 init");
}

void
sha256_update(struct sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		crypto_die("SHA-256 update");
}

void
sha256_final(struct sha256 *h, unsigned char out[SHA256_LEN])
{
	if (EVP_DigestFinal_ex(h->ctx, out, NULL) != 1)
		crypto_die("SHA-256 final");
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void
sha256_chain(const unsigned char prev[SHA256_LEN], const void *data, size_t len,
    unsigned char out[SHA256_LEN])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, prev, SHA256_LEN);
	sha256_update(&h, data, len);
	sha256_final(&h, out);
}

void
hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[SHA256_LEN])
{
	unsigned int n = SHA256_LEN;

	if (HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n) == NULL)
		crypto_die("HMAC-SHA256");
}

bool
ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void
secret_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

void
random_bytes(void *out, size_t n)
{
	if (RAND_bytes(out, (int)n) != 1)
		crypto_die("RAND_bytes");
}

void
uuid_v4(char out[37])
{
	unsigned char r[16];
	char hx[33];

	random_bytes(r, sizeof(r));
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	hex_encode(r, sizeof(r), hx);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hx, hx + 8, hx + 12,
	    hx + 16, hx + 20);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
uuid_v7(char out[37])
{
	unsigned char r[16];
	uint64_t ms = now_ms();
	char hx[33];

	random_bytes(r, sizeof(r));
	for (int i = 0; i < 6; i++)
		r[i] = (unsigned char)(ms >> (40 - 8 * i));
	r[6] = (r[6] & 0x0f) | 0x70;
	r[8] = (r[8] & 0x3f) | 0x80;
	hex_encode(r, sizeof(r), hx);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hx, hx + 8, hx + 12,
	    hx + 16, hx + 20);
}

/* The base64url characters in ASCII order: text order is number order. */
static const char ordered64[] =
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

void
ordered_nonce(char out[23])
{
	unsigned char r[14];
	uint64_t ms = now_ms();

	for (int i = 7; i >= 0; i--) {
		out[i] = ordered64[ms & 63];
		ms >>= 6;
	}
	random_bytes(r, sizeof(r));
	for (int i = 0; i < 14; i++)
		out[8 + i] = ordered64[r[i] & 63];
	out[22] = '\0';
}

bool
nonce_is_valid(const char *s)
{
	return strlen(s) == 22 && strspn(s, ordered64) == 22;
}

void
random_token(char out[44])
{
	unsigned char r[32];

	random_bytes(r, sizeof(r));
	b64url_encode(r, sizeof(r), out);
}

#define SCRYPT_LOG_N 15
#define SCRYPT_R 8
#define SCRYPT_P 1
#define SCRYPT_SALT 16
#define SCRYPT_KEY 32

static int
scrypt_derive(const char *password, const unsigned char *salt, size_t saltlen,
    int log_n, int r, int p, unsigned char *key, size_t keylen)
{
	uint64_t n = (uint64_t)1 << log_n;
	/* 128 * r * N bytes of work memory, plus a little */
	uint64_t maxmem = 128 * (uint64_t)r * n + (1u << 20);

	return EVP_PBE_scrypt(password, strlen(password), salt, saltlen, n,
		   (uint64_t)r, (uint64_t)p, maxmem, key, keylen) == 1
	    ? 0
	    : -1;
}

char *
password_hash(const char *password)
{
	unsigned char salt[SCRYPT_SALT], key[SCRYPT_KEY];
	char s64[32], k64[48], *out;

	random_bytes(salt, sizeof(salt));
	if (scrypt_derive(password, salt, sizeof(salt), SCRYPT_LOG_N, SCRYPT_R,
		SCRYPT_P, key, sizeof(key)) < 0)
		return NULL;
	b64url_encode(salt, sizeof(salt), s64);
	b64url_encode(key, sizeof(key), k64);
	out = xmalloc(128);
	snprintf(out, 128, "scrypt$%d$%d$%d$%s$%s", SCRYPT_LOG_N, SCRYPT_R,
	    SCRYPT_P, s64, k64);
	return out;
}

bool
password_verify(const char *password, const char *stored)
{
	unsigned char salt[64], want[64], got[64];
	char s64[96], k64[96];
	int log_n, r, p;
	long sl, kl;

	if (sscanf(stored, "scrypt$%d$%d$%d$%95[^$]$%95s", &log_n, &r, &p, s64,
		k64) != 5)
		return false;
	/* bounds keep a corrupted row from asking for gigabytes */
	if (log_n < 10 || log_n > 20 || r < 1 || r > 16 || p < 1 || p > 4)
		return false;
	sl = b64url_decode(s64, strlen(s64), salt, sizeof(salt));
	kl = b64url_decode(k64, strlen(k64), want, sizeof(want));
	if (sl < 8 || kl < 16)
		return false;
	if (scrypt_derive(
		password, salt, (size_t)sl, log_n, r, p, got, (size_t)kl) < 0)
		return false;
	return ct_equal(got, want, (size_t)kl);
}
