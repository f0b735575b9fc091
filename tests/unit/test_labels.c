/* test_labels.c -- every stored code has a Vietnamese and an English word. */
#include <string.h>

#include "hailong/rating.h"
#include "core/labels.h"
#include "core/metrics.h"
#include "core/users.h"
#include "test.h"

/* A label that is real: not a fallback, not the code, not empty. */
static void
check_label(const char *label, const char *code)
{
	CHECK(label != NULL && label[0] != '\0');
	if (label == NULL)
		return;
	if (label_is_fallback(label))
		FAIL_AT("%s has no label", code);
	if (strcmp(label, code) == 0)
		FAIL_AT("%s is labelled by itself", code);
}

static void
roles(void)
{
	for (int r = ROLE_VIEWER; r <= ROLE_ADMIN; r++) {
		const char *code = role_name((enum role)r);

		CHECK(strcmp(code, "?") != 0);
		check_label(label_role(LANG_VI, code), code);
		check_label(label_role(LANG_EN, code), code);
	}
	CHECK_STR(label_role(LANG_VI, "manager"), "Người quản lý");
	CHECK(label_is_fallback(label_role(LANG_VI, "root")));
	CHECK(label_is_fallback(label_role(LANG_VI, NULL)));
}

static void
channels(void)
{
	for (int ch = CHANNEL_KIOSK; ch <= CHANNEL_IMPORT; ch++) {
		const char *code = rating_channel_name((enum rating_channel)ch);

		check_label(label_channel(LANG_VI, code), code);
		check_label(label_channel(LANG_EN, code), code);
	}
	CHECK_STR(label_channel(LANG_VI, "qr"), "Mã QR");
	CHECK(label_is_fallback(label_channel(LANG_EN, "fax")));
}

static void
flags(void)
{
	for (int f = 0; f < FLAG_COUNT; f++) {
		const char *code = metric_flag_name((enum metric_flag)f);

		check_label(label_flag(LANG_VI, code), code);
		check_label(label_flag(LANG_EN, code), code);
		CHECK(label_flag_help(LANG_VI, code)[0] != '\0');
		CHECK(label_flag_help(LANG_EN, code)[0] != '\0');
	}
	CHECK_STR(label_flag(LANG_VI, "LOW_SATISFACTION"), "Hài lòng thấp");
	CHECK(label_is_fallback(label_flag(LANG_VI, "NEW_FLAG")));
}

static void
actions(void)
{
	int n = 0;

	for (const char *const *a = label_audit_actions; *a != NULL; a++) {
		check_label(label_audit_action(LANG_VI, *a), *a);
		check_label(label_audit_action(LANG_EN, *a), *a);
		n++;
	}
	CHECK(n >= 40);
	CHECK_STR(
	    label_audit_action(LANG_VI, "import.ratings"), "Nhập đánh giá");
	CHECK(label_is_fallback(label_audit_action(LANG_VI, "x.y")));
}

static void
actors_and_html(void)
{
	struct buf b = { 0 };

	buf_init(&b, 4096);
	label_actor(&b, LANG_VI, "cli:root");
	CHECK_STR(buf_str(&b), "Dòng lệnh (root)");
	buf_reset(&b);
	label_actor(&b, LANG_EN, "cli:root");
	CHECK_STR(buf_str(&b), "Command line (root)");
	buf_reset(&b);
	label_actor(&b, LANG_VI, "user:lan");
	CHECK_STR(buf_str(&b), "Tài khoản lan");
	buf_reset(&b);
	label_actor(&b, LANG_VI, "apikey:3");
	CHECK_STR(buf_str(&b), "Khóa API số 3");
	buf_reset(&b);
	label_actor(&b, LANG_VI, "public");
	CHECK_STR(buf_str(&b), "Khách (chưa đăng nhập)");
	buf_reset(&b);
	label_actor(&b, LANG_VI, "system");
	CHECK_STR(buf_str(&b), "Hệ thống");
	buf_reset(&b);
	label_actor(&b, LANG_VI, "robot");
	CHECK_STR(buf_str(&b), "Khác: robot");
	buf_reset(&b);
	label_code_html(&b, label_audit_action(LANG_VI, "a.<b>"), "a.<b>");
	CHECK_STR(buf_str(&b), "Thao tác khác <code>a.&lt;b&gt;</code>");
	buf_reset(&b);
	label_code_html(&b, label_audit_action(LANG_VI, "login"), "login");
	CHECK_STR(buf_str(&b), "Đăng nhập");
	buf_release(&b);
}

int
main(void)
{
	RUN(roles);
	RUN(channels);
	RUN(flags);
	RUN(actions);
	RUN(actors_and_html);
	return test_report("test_labels");
}
