/* labels.c -- Vietnamese (and English) words for stored codes. */
#include <string.h>

#include "core/labels.h"

struct label {
	const char *code;
	const char *vi;
	const char *en;
};

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static const struct label roles[] = {
	{ "viewer", "Người xem", "Viewer" },
	{ "reporter", "Người lập báo cáo", "Reporter" },
	{ "manager", "Người quản lý", "Manager" },
	{ "admin", "Quản trị viên", "Administrator" },
};

static const struct label channels[] = {
	{ "kiosk", "Ki-ốt", "Kiosk" },
	{ "qr", "Mã QR", "QR code" },
	{ "web", "Trực tuyến", "Web" },
	{ "import", "Phiếu giấy/nhập", "Paper ballots/import" },
};

static const struct label flags[] = {
	{ "LOW_SATISFACTION", "Hài lòng thấp", "Low satisfaction" },
	{ "HIGH_SUPPLEMENT", "Bổ sung, sửa lỗi nhiều", "Many supplements" },
	{ "LOW_ONLINE", "Trực tuyến thấp", "Little online" },
	{ "LATE", "Trễ hạn", "Late" },
};

static const struct label flag_help[] = {
	{ "LOW_SATISFACTION",
	    "Tỷ lệ người dân hài lòng thấp hơn ngưỡng, kể cả khi tính sai số "
	    "(cận trên của khoảng tin cậy vẫn dưới ngưỡng).",
	    "Citizens' satisfaction is below the threshold even at the upper "
	    "end of its confidence interval." },
	{ "HIGH_SUPPLEMENT",
	    "Tỷ lệ hồ sơ phải bổ sung hoặc sửa lỗi cao hơn ngưỡng, kể cả khi "
	    "tính sai số.",
	    "The share of dossiers needing supplements or corrections is "
	    "above the threshold even at the lower end of its interval." },
	{ "LOW_ONLINE",
	    "Tỷ lệ hồ sơ nộp trực tuyến thấp hơn ngưỡng, kể cả khi tính sai "
	    "số.",
	    "The share of dossiers filed online is below the threshold even "
	    "at the upper end of its interval." },
	{ "LATE",
	    "Tỷ lệ hồ sơ giải quyết đúng hạn thấp hơn ngưỡng, kể cả khi tính "
	    "sai số.",
	    "The share of dossiers settled on time is below the threshold "
	    "even at the upper end of its interval." },
};

static const struct label actions[] = {
	{ "alert.add", "Thêm đăng ký nhận cảnh báo",
	    "Alert subscription added" },
	{ "alert.remove", "Bỏ đăng ký nhận cảnh báo",
	    "Alert subscription removed" },
	{ "apikey.add", "Tạo khóa API", "API key created" },
	{ "apikey.revoke", "Thu hồi khóa API", "API key revoked" },
	{ "apikey.scope", "Đổi quyền khóa API", "API key scopes changed" },
	{ "callback.open", "Xem yêu cầu gọi lại", "Callback request opened" },
	{ "callback.contacted", "Đã liên hệ lại người dân",
	    "Citizen contacted" },
	{ "callback.closed", "Đóng yêu cầu gọi lại", "Callback closed" },
	{ "counter.add", "Thêm quầy", "Counter added" },
	{ "counter.disable", "Ngừng dùng quầy", "Counter disabled" },
	{ "counter.rename", "Đổi tên quầy", "Counter renamed" },
	{ "counter.procedures", "Đổi thủ tục của quầy",
	    "Counter procedures changed" },
	{ "duty.start", "Bắt đầu ca trực", "Duty started" },
	{ "duty.end", "Kết thúc ca trực", "Duty ended" },
	{ "import.dossiers", "Nhập hồ sơ", "Dossiers imported" },
	{ "import.ratings", "Nhập đánh giá", "Ratings imported" },
	{ "init", "Khởi tạo cơ sở dữ liệu", "Database created" },
	{ "instrument.add", "Thêm phiên bản bộ câu hỏi",
	    "Questionnaire version added" },
	{ "kiosk.add", "Thêm ki-ốt", "Kiosk added" },
	{ "kiosk.enrol", "Đăng ký ki-ốt", "Kiosk enrolled" },
	{ "kiosk.revoke", "Thu hồi ki-ốt", "Kiosk revoked" },
	{ "login", "Đăng nhập", "Signed in" },
	{ "login.failed", "Đăng nhập sai", "Failed sign-in" },
	{ "login.lock", "Khóa đăng nhập tạm thời", "Sign-in locked" },
	{ "login.locked", "Đăng nhập khi đang bị khóa",
	    "Sign-in while locked" },
	{ "logout", "Đăng xuất", "Signed out" },
	{ "officer.add", "Thêm cán bộ", "Officer added" },
	{ "officer.disable", "Ngừng dùng cán bộ", "Officer disabled" },
	{ "password.change", "Đổi mật khẩu", "Password changed" },
	{ "privacy.erase", "Xóa dữ liệu cá nhân", "Personal data erased" },
	{ "privacy.find", "Tra cứu dữ liệu cá nhân",
	    "Personal data looked up" },
	{ "procedure.assign", "Gán thủ tục", "Procedures assigned" },
	{ "procedure.import", "Nhập danh mục thủ tục", "Procedures imported" },
	{ "procedure.unassign", "Bỏ gán thủ tục", "Procedures unassigned" },
	{ "rating.status", "Đổi trạng thái đánh giá", "Rating status changed" },
	{ "ratings.fold", "Gộp đánh giá cũ", "Old ratings folded" },
	{ "ratings.fold_horizon", "Đổi mốc gộp đánh giá",
	    "Fold horizon changed" },
	{ "report.build", "Lập báo cáo", "Report built" },
	{ "report.bundle", "Đóng gói hồ sơ báo cáo", "Report bundled" },
	{ "report.receive", "Nhận báo cáo cấp dưới", "Report received" },
	{ "report.sign", "Ký báo cáo", "Report signed" },
	{ "report.status", "Đổi trạng thái báo cáo", "Report status changed" },
	{ "report.submit", "Gửi báo cáo", "Report submitted" },
	{ "restore", "Khôi phục bản sao lưu", "Backup restored" },
	{ "retention", "Xóa dữ liệu hết hạn lưu", "Retention applied" },
	{ "review.open", "Mở việc xem xét", "Review opened" },
	{ "review.move", "Chuyển bước xem xét", "Review moved" },
	{ "rules.add", "Thêm phiên bản quy tắc", "Rules version added" },
	{ "rules.report_deadline", "Đặt hạn nộp báo cáo",
	    "Report deadline set" },
	{ "unit.add", "Thêm đơn vị", "Unit added" },
	{ "unit.disable", "Ngừng dùng đơn vị", "Unit disabled" },
	{ "unit.import", "Nhập danh mục đơn vị", "Units imported" },
	{ "unit.rename", "Đổi tên đơn vị", "Unit renamed" },
	{ "user.add", "Thêm tài khoản", "Account added" },
	{ "user.disable", "Khóa tài khoản", "Account disabled" },
	{ "user.enable", "Mở lại tài khoản", "Account re-enabled" },
	{ "user.email", "Đặt địa chỉ thư điện tử", "E-mail address set" },
	{ "user.passwd", "Đặt lại mật khẩu", "Password reset" },
};

const char *const label_audit_actions[] = { "alert.add", "alert.remove",
	"apikey.add", "apikey.revoke", "apikey.scope", "callback.open",
	"callback.contacted", "callback.closed", "counter.add",
	"counter.disable", "counter.rename", "duty.start", "duty.end",
	"import.dossiers", "import.ratings", "init", "instrument.add",
	"kiosk.add", "kiosk.enrol", "kiosk.revoke", "login", "login.failed",
	"login.lock", "login.locked", "logout", "officer.add",
	"officer.disable", "password.change", "privacy.erase", "privacy.find",
	"procedure.assign", "procedure.import", "procedure.unassign",
	"rating.status", "ratings.fold", "ratings.fold_horizon", "report.build",
	"report.receive", "report.sign", "report.submit", "restore",
	"retention", "review.open", "review.move", "rules.add",
	"rules.report_deadline", "unit.add", "unit.disable", "unit.import",
	"unit.rename", "user.add", "user.disable", "user.email", "user.enable",
	"user.passwd", NULL };

/* The generic words; label_is_fallback() compares pointers. */
static const char *const fallbacks[] = {
	"Vai trò khác", "Other role", "Kênh khác", "Other channel",
	"Cảnh báo khác", "Other flag", "Thao tác khác", "Other action",
	"", /* an unknown flag's help */
};
enum { FB_ROLE = 0, FB_CHANNEL = 2, FB_FLAG = 4, FB_ACTION = 6, FB_HELP = 8 };

static const char *
find(const struct label *t, size_t n, enum lang lang, const char *code, int fb)
{
	for (size_t i = 0; code != NULL && i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return lang == LANG_EN ? t[i].en : t[i].vi;
	return fb == FB_HELP ? fallbacks[FB_HELP]
			     : fallbacks[fb + (lang == LANG_EN)];
}

const char *
label_role(enum lang lang, const char *role)
{
	return find(roles, N_(roles), lang, role, FB_ROLE);
}

const char *
label_channel(enum lang lang, const char *channel)
{
	return find(channels, N_(channels), lang, channel, FB_CHANNEL);
}

const char *
label_flag(enum lang lang, const char *flag)
{
	return find(flags, N_(flags), lang, flag, FB_FLAG);
}

const char *
label_flag_help(enum lang lang, const char *flag)
{
	return find(flag_help, N_(flag_help), lang, flag, FB_HELP);
}

const char *
label_audit_action(enum lang lang, const char *action)
{
	return find(actions, N_(actions), lang, action, FB_ACTION);
}

bool
label_is_fallback(const char *label)
{
	for (size_t i = 0; i < N_(fallbacks); i++)
		if (label == fallbacks[i])
			return true;
	return false;
}

void
label_code_html(struct buf *b, const char *label, const char *code)
{
	buf_html(b, label);
	if (label_is_fallback(label) && code != NULL && code[0] != '\0') {
		buf_puts(b, " <code>");
		buf_html(b, code);
		buf_puts(b, "</code>");
	}
}

void
label_actor(struct buf *b, enum lang lang, const char *actor)
{
	static const struct {
		const char *prefix, *vi, *en;
		bool paren; /* "Dòng lệnh (root)" rather than "Tài khoản lan" */
	} kinds[] = {
		{ "cli:", "Dòng lệnh", "Command line", true },
		{ "user:", "Tài khoản", "Account", false },
		{ "apikey:", "Khóa API số", "API key", false },
		{ "kiosk:", "Ki-ốt", "Kiosk", false },
	};
	bool en = lang == LANG_EN;

	if (actor == NULL || actor[0] == '\0') {
		buf_puts(b, en ? "Unknown" : "Không rõ");
		return;
	}
	if (strcmp(actor, "public") == 0) {
		buf_puts(b,
		    en ? "Visitor (not signed in)" : "Khách (chưa đăng nhập)");
		return;
	}
	if (strcmp(actor, "system") == 0) {
		buf_puts(b, en ? "System" : "Hệ thống");
		return;
	}
	for (size_t i = 0; i < N_(kinds); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(actor, kinds[i].prefix, n) == 0) {
			buf_puts(b, en ? kinds[i].en : kinds[i].vi);
			buf_puts(b, kinds[i].paren ? " (" : " ");
			buf_puts(b, actor + n);
			if (kinds[i].paren)
				buf_putc(b, ')');
			return;
		}
	}
	buf_puts(b, en ? "Other: " : "Khác: ");
	buf_puts(b, actor);
}
