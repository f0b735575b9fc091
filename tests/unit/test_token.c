/* test_token.c -- QR tokens: round trip, forgery, key ids, damage. */
#include "hailong/crypto.h"
#include "hailong/encode.h"
#include "hailong/token.h"
#include "test.h"

static const unsigned char key1[TOKEN_KEY_LEN] =
    "0123456789abcdef0123456789abcde";
static const unsigned char key2[TOKEN_KEY_LEN] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234";

/* kid 1 and 2 exist; 3 is retired (no key) */
static int
keys(int kid, unsigned char key[TOKEN_KEY_LEN], void *arg)
{
	(void)arg;
	if (kid == 1)
		memcpy(key, key1, TOKEN_KEY_LEN);
	else if (kid == 2)
		memcpy(key, key2, TOKEN_KEY_LEN);
	else
		return -1;
	return 0;
}

static struct token
counter_token(void)
{
	struct token t = { .kid = 1, .kind = TOKEN_COUNTER, .counter = 2 };

	strcpy(t.unit, "H21.227");
	strcpy(t.procedure, "1.001193");
	return t;
}

static void
round_trip(void)
{
	struct token t = counter_token(), back;
	char s[TOKEN_MAX_LEN + 1];

	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), 0);
	CHECK_INT(back.kid, 1);
	CHECK_INT(back.kind, TOKEN_COUNTER);
	CHECK_STR(back.unit, "H21.227");
	CHECK_INT(back.counter, 2);
	CHECK_STR(back.procedure, "1.001193");
	CHECK_STR(back.dossier, "");
	/* only URL-safe characters: base64url and the dot */
	CHECK(strspn(s,
		  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		  "0123456789-_.") == strlen(s));

	/* a dossier token with the second key */
	memset(&t, 0, sizeof(t));
	t.kid = 2;
	t.kind = TOKEN_DOSSIER;
	strcpy(t.unit, "H15.50");
	strcpy(t.dossier, "H15.50.05.13-261008-0975");
	CHECK_INT(token_encode(&t, key2, sizeof(key2), s), 0);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), 0);
	CHECK_INT(back.kind, TOKEN_DOSSIER);
	CHECK_STR(back.dossier, "H15.50.05.13-261008-0975");
	CHECK_INT(back.counter, 0);
}

static void
forged_mac(void)
{
	struct token t = counter_token(), back;
	char s[TOKEN_MAX_LEN + 1], forged[TOKEN_MAX_LEN + 1];
	char *dot;

	token_encode(&t, key1, sizeof(key1), s);
	/* flip one bit of every MAC character in turn */
	dot = strchr(s, '.');
	for (char *p = dot + 1; *p != '\0'; p++) {
		strcpy(forged, s);
		forged[p - s] = forged[p - s] == 'A' ? 'B' : 'A';
		CHECK_INT(
		    token_verify(forged, strlen(forged), keys, NULL, &back),
		    -1);
	}
	/* the same payload signed with the wrong key */
	token_encode(&t, key2, sizeof(key2), forged);
	CHECK_INT(token_verify(forged, strlen(forged), keys, NULL, &back), -1);
	/* a changed counter with the old MAC */
	t.counter = 3;
	token_encode(&t, key1, sizeof(key1), forged);
	strcpy(strchr(forged, '.'), dot);
	CHECK_INT(token_verify(forged, strlen(forged), keys, NULL, &back), -1);
	/* on failure nothing of the payload leaks out */
	CHECK_STR(back.unit, "");
}

static void
wrong_kid(void)
{
	struct token t = counter_token(), back;
	char s[TOKEN_MAX_LEN + 1];

	t.kid = 3; /* retired: the key function has none */
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), -1);
	/* kid 2's key names kid 1 in its payload: wrong key for kid 1 */
	t.kid = 1;
	token_encode(&t, key2, sizeof(key2), s);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), -1);
	t.kid = 0;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), -1);
	t.kid = 65536;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), -1);
}

static void
truncated(void)
{
	struct token t = counter_token(), back;
	char s[TOKEN_MAX_LEN + 1];
	size_t len;

	token_encode(&t, key1, sizeof(key1), s);
	len = strlen(s);
	for (size_t n = 0; n < len; n++)
		CHECK_INT(token_verify(s, n, keys, NULL, &back), -1);
	/* and with bytes added */
	strcat(s, "A");
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), -1);
}

/* A payload we encode by hand, with a valid MAC: the parser must judge it. */
static int
verify_payload_n(const char *payload, size_t len)
{
	struct token back;
	unsigned char mac[32];
	char s[512], msg[600];
	size_t n;

	b64url_encode(payload, len, s);
	n = strlen(s);
	snprintf(msg, sizeof(msg), "hailong-token-v1.%s", s);

	hmac_sha256(key1, sizeof(key1), msg, strlen(msg), mac);
	s[n] = '.';
	b64url_encode(mac, TOKEN_MAC_LEN, s + n + 1);
	return token_verify(s, strlen(s), keys, NULL, &back);
}

static int
verify_payload(const char *payload)
{
	return verify_payload_n(payload, strlen(payload));
}

static void
garbage(void)
{
	static const char *const bad[] = { "", ".", "..", "abc", "abc.def",
		"MXwxfEN8SDIxLjIyN3wxfHw", "MXwxfEN8SDIxLjIyN3wxfHw.",
		".qUAr2P_AfRePmF3W6DqQCg", "MXwx fEN8.qUAr2P_AfRePmF3W6DqQCg",
		"MXwxfEN8SDIxLjIyN3wxfHw=.qUAr2P_AfRePmF3W6DqQCg", "%00.%00",
		"\xff\xfe.\xff" };
	struct token back;
	char big[600];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(
		    token_verify(bad[i], strlen(bad[i]), keys, NULL, &back),
		    -1);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[300] = '.';
	CHECK_INT(token_verify(big, strlen(big), keys, NULL, &back), -1);

	/* well signed but malformed payloads are refused too */
	CHECK_INT(verify_payload("1|1|C|H21.227|1||"), 0);
	CHECK_INT(verify_payload("3|1|C|H21.227|1||"), -1);  /* version */
	CHECK_INT(verify_payload("2|1|C|H21.227|1||"), -1);  /* no tail */
	CHECK_INT(verify_payload("1|01|C|H21.227|1||"), -1); /* leading 0 */
	CHECK_INT(verify_payload("1|1|X|H21.227|1||"), -1);  /* kind */
	CHECK_INT(verify_payload("1|1|C|X21.227|1||"), -1);  /* unit */
	CHECK_INT(verify_payload("1|1|C|H21.227|0||"), -1);  /* nothing bound */
	CHECK_INT(verify_payload("1|1|C|H21.227|1000||"), -1); /* counter */
	CHECK_INT(verify_payload("1|1|C|H21.227|-1||"), -1);
	CHECK_INT(verify_payload("1|1|C|H21.227|1|1.0011|"), -1);
	CHECK_INT(verify_payload("1|1|C|H21.227|1||H21-261008-0001"), -1);
	CHECK_INT(verify_payload("1|1|D|H21.227|0||H21-261308-0001"), -1);
	CHECK_INT(verify_payload("1|1|D|H21.227|0||H21-261031-0001"), 0);
	CHECK_INT(verify_payload("1|1|C|H21.227|1|||"), -1); /* extra field */
	CHECK_INT(verify_payload("1|1|C|H21.227|1|"), -1);   /* missing */

	/* a NUL inside a field (found by fuzz_token's round trip) */
	CHECK_INT(verify_payload_n("1|1|C|H21.2\0x|1||", 17), -1);

	/* version 2: a channel, an expiry, or both; never neither */
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|w|"), 0);
	CHECK_INT(
	    verify_payload("2|1|D|H21.227|0||H21-261031-0001||1800000000"), 0);
	CHECK_INT(
	    verify_payload("2|1|D|H21.227|0||H21-261031-0001|w|1800000000"), 0);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001||"), -1);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|x|"), -1);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|w|01"), -1);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|w|-1"), -1);
	CHECK_INT(
	    verify_payload("2|1|D|H21.227|0||H21-261031-0001|w|999999999999"),
	    -1);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|w"), -1);
	CHECK_INT(verify_payload("2|1|D|H21.227|0||H21-261031-0001|w||"), -1);
	CHECK_INT(verify_payload("1|1|D|H21.227|0||H21-261031-0001|w|"), -1);
}

/* Version 2 round trips, and a token without its fields stays version 1. */
static void
version2(void)
{
	struct token t = { .kid = 1, .kind = TOKEN_DOSSIER }, back;
	char s[TOKEN_MAX_LEN + 1], payload[200];
	long n;

	strcpy(t.unit, "H21.227");
	strcpy(t.procedure, "1.001193");
	strcpy(t.dossier, "H21.227-261031-0001");
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	n = b64url_decode(s, strcspn(s, "."), payload, sizeof(payload) - 1);
	CHECK(n > 0 && payload[0] == '1');

	t.channel = TOKEN_CHANNEL_WEB;
	t.expires = 1800000000;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	n = b64url_decode(s, strcspn(s, "."), payload, sizeof(payload) - 1);
	CHECK(n > 0 && payload[0] == '2');
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), 0);
	CHECK_INT(back.channel, TOKEN_CHANNEL_WEB);
	CHECK_INT(back.expires, 1800000000);
	CHECK_STR(back.dossier, "H21.227-261031-0001");
	CHECK(!token_is_expired(&back, 1800000000));
	CHECK(token_is_expired(&back, 1800000001));

	t.channel = TOKEN_CHANNEL_WEB;
	t.expires = 0;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), 0);
	CHECK_INT(back.channel, TOKEN_CHANNEL_WEB);
	CHECK_INT(back.expires, 0);
	CHECK(!token_is_expired(&back, 1800000001));

	t.channel = TOKEN_CHANNEL_QR;
	t.expires = 1800000000;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
	CHECK_INT(token_verify(s, strlen(s), keys, NULL, &back), 0);
	CHECK_INT(back.channel, TOKEN_CHANNEL_QR);
	CHECK_INT(back.expires, 1800000000);

	/* the longest fields still fit */
	strcpy(t.unit, "H21.227.001.002.003.004.005.006.007.0080");
	strcpy(t.dossier,
	    "H21.227.001.002.003.004.005.006.007.0080-261031-"
	    "0000001");
	t.kid = 65535;
	t.counter = 999;
	CHECK_INT(token_encode(&t, key1, sizeof(key1), s), 0);
}

int
main(void)
{
	RUN(round_trip);
	RUN(forged_mac);
	RUN(wrong_kid);
	RUN(truncated);
	RUN(garbage);
	RUN(version2);
	return test_report("test_token");
}
