/* test_text.c -- UTF-8, the one-stop system's identifiers, phone numbers. */
#include "hailong/text.h"
#include "test.h"

#define S(lit) lit, sizeof(lit) - 1

static void
utf8(void)
{
	CHECK(utf8_is_valid(S("Thủ tục đăng ký khai sinh")));
	CHECK(utf8_is_valid(S("")));
	CHECK(utf8_is_valid(S("\xf0\x9f\x98\x80")));  /* emoji, 4 bytes */
	CHECK(!utf8_is_valid(S("\xc3")));             /* truncated */
	CHECK(!utf8_is_valid(S("\xc0\xaf")));         /* overlong '/' */
	CHECK(!utf8_is_valid(S("\xe0\x80\xaf")));     /* overlong */
	CHECK(!utf8_is_valid(S("\xed\xa0\x80")));     /* surrogate */
	CHECK(!utf8_is_valid(S("\xf4\x90\x80\x80"))); /* > U+10FFFF */
	CHECK(!utf8_is_valid(S("\xff")));
	CHECK(!utf8_is_valid(S("a\0b"))); /* NUL */
	CHECK_INT(utf8_count(S("Việt")), 4);
	CHECK_INT(utf8_count(S("\xf0\x9f\x98\x80x")), 2);
	CHECK(text_has_no_controls(S("dòng 1\r\ndòng\t2")));
	CHECK(!text_has_no_controls(S("bell\a")));
	CHECK(!text_has_no_controls(S("del\x7f")));
}

static void
procedure_codes(void)
{
	CHECK(is_procedure_code(S("1.001193")));
	CHECK(is_procedure_code(S("2.000806")));
	CHECK(!is_procedure_code(S("1.00119")));
	CHECK(!is_procedure_code(S("1.0011930")));
	CHECK(!is_procedure_code(S("1-001193")));
	CHECK(!is_procedure_code(S("a.001193")));
	CHECK(!is_procedure_code(S("11.00119")));
	CHECK(!is_procedure_code(S("")));
}

static void
unit_codes(void)
{
	CHECK(is_unit_code(S("H21")));
	CHECK(is_unit_code(S("H21.227")));
	CHECK(is_unit_code(S("G01.05")));
	CHECK(is_unit_code(S("H15.50.05.13")));
	CHECK(!is_unit_code(S("H2")));
	CHECK(!is_unit_code(S("H215")));
	CHECK(!is_unit_code(S("X21")));
	CHECK(!is_unit_code(S("H21.")));
	CHECK(!is_unit_code(S("H21..1")));
	CHECK(!is_unit_code(S("H21.12345")));
	CHECK(!is_unit_code(S("h21")));
	CHECK(!is_unit_code(S("H21.2a")));
}

static void
dossier_codes(void)
{
	CHECK(is_dossier_code(S("H15.50.05.13-261008-0975")));
	CHECK(is_dossier_code(S("H21.227-261008-000001")));     /* 6 digits */
	CHECK(is_dossier_code(S("000.00.19.H21-251008-0001"))); /* national */
	CHECK(is_dossier_code(S("G01-240229-1234567")));        /* leap day */
	CHECK(!is_dossier_code(S("G01-250229-1234")));          /* not leap */
	CHECK(!is_dossier_code(S("H21-261308-0001")));          /* month 13 */
	CHECK(!is_dossier_code(S("H21-261000-0001")));          /* day 0 */
	CHECK(!is_dossier_code(S("H21-260431-0001")));          /* 31 April */
	CHECK(!is_dossier_code(S("H21-261008-001")));           /* 3 digits */
	CHECK(!is_dossier_code(S("H21-261008-12345678")));      /* 8 digits */
	CHECK(!is_dossier_code(S("H21-26100-0001")));
	CHECK(!is_dossier_code(S("-261008-0001")));
	CHECK(!is_dossier_code(S("H21.-261008-0001")));
	CHECK(!is_dossier_code(S(".H21-261008-0001")));
	CHECK(!is_dossier_code(S("H 21-261008-0001")));
	CHECK(!is_dossier_code(S("H21-261008-0001 ")));
	CHECK(!is_dossier_code(S("H21_261008_0001")));
}

static void
phones(void)
{
	char out[11];

	CHECK(phone_normalize(S("0912345678"), out));
	CHECK_STR(out, "0912345678");
	CHECK(phone_normalize(S("0912 345 678"), out));
	CHECK_STR(out, "0912345678");
	CHECK(phone_normalize(S("+84 912.345.678"), out));
	CHECK_STR(out, "0912345678");
	CHECK(phone_normalize(S(" 091-234-5678 "), out));
	CHECK_STR(out, "0912345678");
	CHECK(!phone_normalize(S("091234567"), out));   /* 9 digits */
	CHECK(!phone_normalize(S("09123456789"), out)); /* 11 digits */
	CHECK(!phone_normalize(S("1912345678"), out));  /* no leading 0 */
	CHECK(!phone_normalize(S("0012345678"), out));
	CHECK(!phone_normalize(S("+1 912345678"), out));
	CHECK(!phone_normalize(S("0912a45678"), out));
	CHECK(!phone_normalize(S(""), out));
}

static void
masking(void)
{
	char *m;

	m = text_mask_numbers("Gọi 0912 345 678 hoặc CCCD 001099012345 nhé");
	CHECK_STR(m, "Gọi **** *** *** hoặc CCCD ************ nhé");
	free(m);
	m = text_mask_numbers("Quầy 3 chờ 45 phút, năm 2026");
	CHECK_STR(m, "Quầy 3 chờ 45 phút, năm 2026");
	free(m);
	m = text_mask_numbers("0912.345.678");
	CHECK_STR(m, "****.***.***");
	free(m);
}

static void
cleaning(void)
{
	char *t = text_clean(" \r\n Rất tốt\r\nxin cảm ơn\r\n\t ");

	CHECK_STR(t, "Rất tốt\nxin cảm ơn");
	free(t);
	t = text_clean("a\rb");
	CHECK_STR(t, "a\rb"); /* a lone CR stays */
	free(t);
	t = text_clean(" \t\r\n");
	CHECK_STR(t, "");
	free(t);
}

int
main(void)
{
	RUN(utf8);
	RUN(procedure_codes);
	RUN(unit_codes);
	RUN(dossier_codes);
	RUN(phones);
	RUN(masking);
	RUN(cleaning);
	return test_report("test_text");
}
