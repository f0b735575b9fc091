/* test_auth.c -- cookies and password hashes. */
#include "hailong/cookie.h"
#include "hailong/crypto.h"
#include "core/users.h"
#include "test.h"

static void
cookies(void)
{
	char v[44];
	static const char h[] = "a=1; hl_session=abc_DEF-123;hl_login=x y";

	CHECK_INT(cookie_get(h, strlen(h), "hl_session", v, sizeof(v)), 0);
	CHECK_STR(v, "abc_DEF-123");
	CHECK_INT(cookie_get(h, strlen(h), "a", v, sizeof(v)), 0);
	CHECK_STR(v, "1");
	CHECK_INT(cookie_get(h, strlen(h), "hl", v, sizeof(v)), 1);
	CHECK_INT(cookie_get(h, strlen(h), "session", v, sizeof(v)), 1);
	/* a space inside a value is not a cookie octet */
	CHECK_INT(cookie_get(h, strlen(h), "hl_login", v, sizeof(v)), -1);
	CHECK_INT(cookie_get("x=\"q\"", 5, "x", v, sizeof(v)), -1);
	CHECK_INT(cookie_get("x=1234", 6, "x", v, 4), -1); /* too long */
	CHECK_INT(cookie_get("", 0, "x", v, sizeof(v)), 1);
	CHECK_INT(cookie_get("x=", 2, "x", v, sizeof(v)), 0);
	CHECK_STR(v, "");
}

static void
passwords(void)
{
	/* made by Python's hashlib.scrypt(n=2**15, r=8, p=1), not by us */
	static const char python[] =
	    "scrypt$15$8$1$aGFpbG9uZy10ZXN0LXNhbHQ$"
	    "0j4f3s4lTnPutvCMad9rmZH43HLCht0QLjEQZ-6FygQ";
	char *h;

	CHECK(password_verify("mật khẩu đúng 123", python));
	CHECK(!password_verify("mật khẩu đúng 124", python));
	CHECK(!password_verify("", python));
	h = password_hash("mật khẩu đúng 123");
	CHECK(h != NULL && strncmp(h, "scrypt$15$8$1$", 14) == 0);
	CHECK(password_verify("mật khẩu đúng 123", h));
	CHECK(!password_verify("mật khẩu đúng", h));
	/* two hashes of one password differ (salt) */
	{
		char *h2 = password_hash("mật khẩu đúng 123");

		CHECK(strcmp(h, h2) != 0);
		free(h2);
	}
	free(h);
	/* malformed or greedy stored forms are refused, not obeyed */
	CHECK(!password_verify("x", "scrypt$30$8$1$aGFp$aGFpbG9uZy10ZXN0"));
	CHECK(!password_verify("x", "bcrypt$whatever"));
	CHECK(!password_verify("x", ""));
	CHECK(password_problem("lan", "short") != NULL);
	CHECK(password_problem("lanlanlanlan", "lanlanlanlan") != NULL);
	CHECK(password_problem("lan", "mật khẩu rất dài") == NULL);
	CHECK(username_is_valid("lan.nguyen"));
	CHECK(!username_is_valid("Lan"));
	CHECK(!username_is_valid("1an"));
	CHECK(!username_is_valid("la"));
}

int
main(void)
{
	RUN(cookies);
	RUN(passwords);
	return test_report("test_auth");
}
