/* test_mask.c -- phone and ID-card numbers masked in comments. */
#include "hailong/text.h"
#include "test.h"

/* Mask `in` and compare with `want`. */
static void
check_mask(const char *in, const char *want)
{
	char *m = text_mask_numbers(in);

	CHECK_STR(m, want);
	free(m);
}

static void
mobiles(void)
{
	/* 0 and nine digits, written the ways people write them */
	check_mask("0912345678", "**********");
	check_mask("gọi 0912 345 678 giúp", "gọi **** *** *** giúp");
	check_mask("0912.345.678", "****.***.***");
	check_mask("0912-345-678", "****-***-***");
	check_mask("0912 - 345 - 678", "**** - *** - ***");
	check_mask("SĐT: 0912\xc2\xa0"
		   "345\xc2\xa0"
		   "678.",
	    "SĐT: ****\xc2\xa0***\xc2\xa0***.");
	/* +84 and nine digits: the digits go, the plus stays */
	check_mask("+84912345678", "+***********");
	check_mask("+84 912 345 678", "+** *** *** ***");
	check_mask("(+84) 912.345.678", "(+84) ***.***.***");
	/* two numbers in one comment */
	check_mask("0912345678 hoặc 0987654321", "********** hoặc **********");
	/* full-width digits (a phone's IME types them): masked with '＊' */
	check_mask(
	    "gọi ０９１２３４５６７８ nhé", "gọi ＊＊＊＊＊＊＊＊＊＊ nhé");
	check_mask("０９１２　３４５．６７８", "＊＊＊＊　＊＊＊．＊＊＊");
	check_mask("0912 ３４５ 678", "**** ＊＊＊ ***");
	/* fewer than nine stay */
	check_mask("quầy ３", "quầy ３");
	check_mask("１２３４５６７８", "１２３４５６７８");
}

static void
id_cards(void)
{
	/* CMND: 9 digits; CCCD: 12 digits */
	check_mask("CMND 123456789", "CMND *********");
	check_mask("CCCD 001099012345.", "CCCD ************.");
	check_mask("CCCD 001 099 012 345", "CCCD *** *** *** ***");
	check_mask("CCCD 001.099.012.345", "CCCD ***.***.***.***");
}

static void
left_alone(void)
{
	/* counters, waits, years, dates, short amounts, dossier codes' parts */
	check_mask(
	    "Quầy 3 chờ 45 phút, năm 2026", "Quầy 3 chờ 45 phút, năm 2026");
	check_mask("ngày 08/10/2026", "ngày 08/10/2026");
	check_mask("phí 1.500.000 đồng", "phí 1.500.000 đồng");
	check_mask("12345678", "12345678");
	check_mask("1.001193", "1.001193");
	/* a gap of four separators ends the run: 4 + 5 digits, each short */
	check_mask("1234 .  . 56789", "1234 .  . 56789");
	check_mask("", "");
	check_mask("không có số", "không có số");
	/* separators at the end do not swallow text */
	check_mask("0912345678 - ", "********** - ");
	check_mask("-  ", "-  ");
}

int
main(void)
{
	RUN(mobiles);
	RUN(id_cards);
	RUN(left_alone);
	return test_report("test_mask");
}
