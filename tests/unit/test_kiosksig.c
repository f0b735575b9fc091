/* test_kiosksig.c -- kiosk signatures: known answers, parser, tampering. */
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/kiosksig.h"
#include "test.h"

static unsigned char key[32];

static const char batch[] = "{\"ratings\":[]}";

/* Expected values computed apart, with Python's hmac and hashlib. */
#define WANT_REQUEST \
	"7f0d46b0ddd4f46cd843f52456a98154337bec1e3207617dea414e8c414e285b"
#define WANT_RESPONSE \
	"567982e0540b61a624c0eae2df00f7eb424a37f29dcbe97b9c469c18c6ac1e3b"

static struct kiosksig
sample(void)
{
	struct kiosksig s;

	memset(&s, 0, sizeof(s));
	strcpy(s.kiosk, "k0123456789");
	s.time = 1764000000;
	s.nonce = 1764000000123456;
	return s;
}

static void
known_answers(void)
{
	struct kiosksig s = sample();
	char hex[2 * SHA256_LEN + 1], header[KIOSKSIG_HEADER_MAX];

	kiosksig_sign(&s, key, sizeof(key), "POST", "/api/v1/kiosk/ratings",
	    NULL, batch, strlen(batch));
	hex_encode(s.mac, SHA256_LEN, hex);
	CHECK_STR(hex, WANT_REQUEST);
	kiosksig_format(&s, header);
	CHECK_STR(header,
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=1764000000, "
	    "nonce=1764000000123456, sig=" WANT_REQUEST);
	kiosksig_response(
	    key, sizeof(key), 200, s.nonce, "{\"results\":[]}\n", 15, hex);
	CHECK_STR(hex, WANT_RESPONSE);
	CHECK(kiosksig_response_ok(key, sizeof(key), 200, s.nonce,
	    "{\"results\":[]}\n", 15, WANT_RESPONSE));
	/* another status, nonce or body: not the server's word for this */
	CHECK(!kiosksig_response_ok(key, sizeof(key), 201, s.nonce,
	    "{\"results\":[]}\n", 15, WANT_RESPONSE));
	CHECK(!kiosksig_response_ok(key, sizeof(key), 200, s.nonce + 1,
	    "{\"results\":[]}\n", 15, WANT_RESPONSE));
	CHECK(!kiosksig_response_ok(key, sizeof(key), 200, s.nonce,
	    "{\"results\":[1]}\n", 16, WANT_RESPONSE));
	CHECK(!kiosksig_response_ok(
	    key, sizeof(key), 200, s.nonce, "{\"results\":[]}\n", 15, NULL));
}

static void
verify_and_tamper(void)
{
	struct kiosksig s = sample();
	unsigned char other[32];

	kiosksig_sign(&s, key, sizeof(key), "POST", "/api/v1/kiosk/ratings",
	    NULL, batch, strlen(batch));
	CHECK(kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", "", batch, strlen(batch)));
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", NULL, "{\"ratings\":[ ]}", 15));
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/heartbeat", NULL, batch, strlen(batch)));
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "GET",
	    "/api/v1/kiosk/ratings", NULL, batch, strlen(batch)));
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", "x=1", batch, strlen(batch)));
	memcpy(other, key, sizeof(other));
	other[31] ^= 1;
	CHECK(!kiosksig_verify(&s, other, sizeof(other), "POST",
	    "/api/v1/kiosk/ratings", NULL, batch, strlen(batch)));
	s.nonce++;
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", NULL, batch, strlen(batch)));
	s.nonce--;
	s.time++;
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", NULL, batch, strlen(batch)));
	s.time--;
	s.kiosk[10] = '8';
	CHECK(!kiosksig_verify(&s, key, sizeof(key), "POST",
	    "/api/v1/kiosk/ratings", NULL, batch, strlen(batch)));
}

static int
parses(const char *h)
{
	struct kiosksig s;

	return kiosksig_parse(h, strlen(h), &s);
}

static void
parser(void)
{
	struct kiosksig s = sample(), back;
	char header[KIOSKSIG_HEADER_MAX];
	const char *sig = WANT_REQUEST;

	kiosksig_sign(&s, key, sizeof(key), "GET", "/x", NULL, "", 0);
	kiosksig_format(&s, header);
	CHECK_INT(kiosksig_parse(header, strlen(header), &back), 0);
	CHECK_STR(back.kiosk, "k0123456789");
	CHECK_INT(back.time, 1764000000);
	CHECK_INT(back.nonce, 1764000000123456);
	CHECK(memcmp(back.mac, s.mac, SHA256_LEN) == 0);
	/* spaces are optional around the commas */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789,time=5,nonce=7,sig=%s", sig);
	CHECK_INT(parses(header), 0);
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256   kiosk=k0123456789 ,  time=5 , nonce=7, "
	    "sig=%s",
	    sig);
	CHECK_INT(parses(header), 0);

	/* refused: every way of getting it wrong */
	CHECK_INT(parses(""), -1);
	CHECK_INT(parses("HL1-HMAC-SHA256"), -1);
	CHECK_INT(parses("HL1-HMAC-SHA256 "), -1);
	snprintf(header, sizeof(header),
	    "Bearer kiosk=k0123456789, time=5, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1);
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 time=5, kiosk=k0123456789, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1); /* order is fixed */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=5, sig=%s", sig);
	CHECK_INT(parses(header), -1); /* nonce missing */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=5, nonce=7, sig=%s, "
	    "x=1",
	    sig);
	CHECK_INT(parses(header), -1); /* trailing field */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=05, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1); /* leading zero */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=-5, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1);
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=5, nonce=0, sig=%s", sig);
	CHECK_INT(parses(header), -1);
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k0123456789, time=5, "
	    "nonce=99999999999999999999, sig=%s",
	    sig);
	CHECK_INT(parses(header), -1); /* past int64 */
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=K0123456789, time=5, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1);
	snprintf(header, sizeof(header),
	    "HL1-HMAC-SHA256 kiosk=k012345678, time=5, nonce=7, sig=%s", sig);
	CHECK_INT(parses(header), -1);
	CHECK_INT(parses("HL1-HMAC-SHA256 kiosk=k0123456789, time=5, nonce=7, "
			 "sig=7F0D46B0DDD4F46CD843F52456A98154337BEC1E3207617DE"
			 "A414E8C414E285B"),
	    -1); /* upper-case hex: one text per signature */
	CHECK_INT(parses("HL1-HMAC-SHA256 kiosk=k0123456789, time=5, nonce=7, "
			 "sig=7f0d"),
	    -1);
	CHECK(kiosk_id_is_valid("kabcdef0123", 11));
	CHECK(!kiosk_id_is_valid("kabcdeg0123", 11));
	CHECK(!kiosk_id_is_valid("xabcdef0123", 11));
}

static void
http_dates(void)
{
	int64_t t = 0;

	CHECK_INT(httpdate_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t), 0);
	CHECK_INT(t, 784111777);
	CHECK_INT(httpdate_parse("Thu, 29 Feb 2024 23:59:59 GMT", 29, &t), 0);
	CHECK_INT(t, 1709251199);
	/* the wrong weekday, a day that does not exist, another zone */
	CHECK_INT(httpdate_parse("Mon, 06 Nov 1994 08:49:37 GMT", 29, &t), -1);
	CHECK_INT(httpdate_parse("Fri, 29 Feb 2023 23:59:59 GMT", 29, &t), -1);
	CHECK_INT(httpdate_parse("Sun, 06 Nov 1994 08:49:37 UTC", 29, &t), -1);
	CHECK_INT(httpdate_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t), -1);
	CHECK_INT(httpdate_parse("Sun, 06 Nov 1994 24:49:37 GMT", 29, &t), -1);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	RUN(known_answers);
	RUN(verify_and_tamper);
	RUN(parser);
	RUN(http_dates);
	return test_report("test_kiosksig");
}
