/* kiosksig.c -- kiosk request signatures: HMAC-SHA256 with the kiosk's key. */
#include <stdio.h>
#include <string.h>

#include "hailong/buf.h"
#include "hailong/encode.h"
#include "hailong/kiosksig.h"
#include "hailong/util.h"

#define SIG_HEX_LEN ((size_t)2 * SHA256_LEN)

bool
kiosk_id_is_valid(const char *s, size_t len)
{
	if (len != WIRE_KIOSK_ID_LEN || s[0] != 'k')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A positive decimal without sign or leading zeros; 0 or -1. */
static int
positive(const char *s, size_t len, int64_t *out)
{
	if (len == 0 || len > 19 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	return parse_int64(s, len, 1, INT64_MAX, out);
}

int
kiosksig_parse(const char *buf, size_t len, struct kiosksig *out)
{
	static const char *const names[] = { "kiosk", "time", "nonce", "sig" };
	size_t slen = strlen(KIOSKSIG_SCHEME), pos;

	memset(out, 0, sizeof(*out));
	if (len > KIOSKSIG_HEADER_MAX || len <= slen + 1 ||
	    memcmp(buf, KIOSKSIG_SCHEME, slen) != 0 || buf[slen] != ' ')
		return -1;
	pos = slen + 1;
	for (size_t f = 0; f < ARRAY_SIZE(names); f++) {
		size_t nlen = strlen(names[f]), vlen = 0;
		const char *v;

		while (pos < len && buf[pos] == ' ')
			pos++;
		if (len - pos <= nlen ||
		    memcmp(buf + pos, names[f], nlen) != 0 ||
		    buf[pos + nlen] != '=')
			return -1;
		pos += nlen + 1;
		v = buf + pos;
		while (pos + vlen < len && v[vlen] != ',' && v[vlen] != ' ')
			vlen++;
		pos += vlen;
		switch (f) {
		case 0:
			if (!kiosk_id_is_valid(v, vlen))
				return -1;
			memcpy(out->kiosk, v, vlen);
			out->kiosk[vlen] = '\0';
			break;
		case 1:
			if (positive(v, vlen, &out->time) < 0)
				return -1;
			break;
		case 2:
			if (positive(v, vlen, &out->nonce) < 0)
				return -1;
			break;
		default:
			/* lower-case only: one text per signature */
			for (size_t i = 0; i < vlen; i++)
				if (v[i] >= 'A' && v[i] <= 'F')
					return -1;
			if (vlen != SIG_HEX_LEN ||
			    hex_decode(v, vlen, out->mac, SHA256_LEN) < 0)
				return -1;
			break;
		}
		while (pos < len && buf[pos] == ' ')
			pos++;
		if (f + 1 < ARRAY_SIZE(names)) {
			if (pos >= len || buf[pos] != ',')
				return -1;
			pos++;
		}
	}
	return pos == len ? 0 : -1;
}

void
kiosksig_format(const struct kiosksig *s, char out[KIOSKSIG_HEADER_MAX])
{
	char hex[2 * SHA256_LEN + 1];

	hex_encode(s->mac, SHA256_LEN, hex);
	snprintf(out, KIOSKSIG_HEADER_MAX,
	    KIOSKSIG_SCHEME " kiosk=%s, time=%lld, nonce=%lld, sig=%s",
	    s->kiosk, (long long)s->time, (long long)s->nonce, hex);
}

static void
body_hex(const void *body, size_t len, char out[2 * SHA256_LEN + 1])
{
	unsigned char h[SHA256_LEN];

	sha256(body != NULL ? body : "", len, h);
	hex_encode(h, sizeof(h), out);
}

static void
request_mac(const struct kiosksig *s, const unsigned char *key, size_t keylen,
    const char *method, const char *path, const char *query, const void *body,
    size_t len, unsigned char out[SHA256_LEN])
{
	struct buf b = { 0 };
	char hex[2 * SHA256_LEN + 1];

	body_hex(body, len, hex);
	buf_printf(&b, "hailong-kiosk-v1\n%s\n%s\n%s\n%s\n%lld\n%lld\n%s",
	    method, path, query != NULL ? query : "", s->kiosk,
	    (long long)s->time, (long long)s->nonce, hex);
	hmac_sha256(key, keylen, b.data, b.len, out);
	buf_release(&b);
}

void
kiosksig_sign(struct kiosksig *s, const unsigned char *key, size_t keylen,
    const char *method, const char *path, const char *query, const void *body,
    size_t len)
{
	request_mac(s, key, keylen, method, path, query, body, len, s->mac);
}

bool
kiosksig_verify(const struct kiosksig *s, const unsigned char *key,
    size_t keylen, const char *method, const char *path, const char *query,
    const void *body, size_t len)
{
	unsigned char want[SHA256_LEN];

	request_mac(s, key, keylen, method, path, query, body, len, want);
	return ct_equal(want, s->mac, SHA256_LEN);
}

void
kiosksig_response(const unsigned char *key, size_t keylen, int status,
    int64_t nonce, const void *body, size_t len, char out[2 * SHA256_LEN + 1])
{
	unsigned char mac[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1], text[160];
	int n;

	body_hex(body, len, hex);
	n = snprintf(text, sizeof(text),
	    "hailong-kiosk-response-v1\n%d\n%lld\n%s", status, (long long)nonce,
	    hex);
	hmac_sha256(key, keylen, text, (size_t)n, mac);
	hex_encode(mac, sizeof(mac), out);
}

bool
kiosksig_response_ok(const unsigned char *key, size_t keylen, int status,
    int64_t nonce, const void *body, size_t len, const char *hex)
{
	char want[2 * SHA256_LEN + 1];

	if (hex == NULL || strlen(hex) != SIG_HEX_LEN)
		return false;
	kiosksig_response(key, keylen, status, nonce, body, len, want);
	return ct_equal(want, hex, SIG_HEX_LEN);
}
