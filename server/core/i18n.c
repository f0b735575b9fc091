/* i18n.c -- the words of every page, Vietnamese first, English too. */
#include <string.h>

#include "core/i18n.h"

static const char *const text[M_COUNT][2] = {
	[M_LANG_SWITCH] = { "English", "Tiếng Việt" },
	[M_LANG_CODE] = { "vi", "en" },
	[M_FORM_TITLE] = { "Đánh giá sự hài lòng", "Rate our service" },
	[M_COUNTER_N] = { "Quầy", "Counter" },
	[M_PROCEDURE] = { "Thủ tục", "Procedure" },
	[M_CHOOSE_PROCEDURE] = { "— Chọn thủ tục —",
	    "— Choose the procedure —" },
	[M_REQUIRED] = { "bắt buộc", "required" },
	[M_DETAIL] = { "Đánh giá chi tiết (không bắt buộc)",
	    "Detailed rating (optional)" },
	[M_NO_ANSWER] = { "Không đánh giá", "No answer" },
	[M_YES] = { "Có", "Yes" },
	[M_NO] = { "Không", "No" },
	[M_Q_SUPPLEMENT] = { "Ông/Bà có phải bổ sung, sửa đổi hồ sơ không?",
	    "Did you have to supplement or correct your dossier?" },
	[M_Q_ONLINE_ERROR] = { "Dịch vụ công trực tuyến có bị lỗi khi Ông/Bà "
			       "sử dụng không?",
	    "Did the online public service fail when you used it?" },
	[M_Q_VISITS] = { "Số lần Ông/Bà phải đến để hoàn thành hồ sơ",
	    "How many visits it took to complete your dossier" },
	[M_COMMENT] = { "Góp ý (không bắt buộc)", "Comments (optional)" },
	[M_COMMENT_HINT] = { "Tối đa 1000 ký tự. Xin đừng ghi số CCCD hay "
			     "thông tin cá nhân.",
	    "At most 1000 characters. Please do not write ID numbers or "
	    "other personal data." },
	[M_CALLBACK] = { "Đề nghị liên hệ lại (không bắt buộc)",
	    "Ask to be called back (optional)" },
	[M_PHONE] = { "Số điện thoại", "Phone number" },
	[M_SUBMIT] = { "Gửi đánh giá", "Send" },
	[M_ANONYMOUS] = { "Đánh giá là ẩn danh, không cần tài khoản. Cán bộ "
			  "tại quầy "
			  "không xem được đánh giá của từng người.",
	    "Ratings are anonymous and need no account. Counter staff "
	    "never see individual ratings." },
	[M_ERR_SUMMARY] = { "Phiếu chưa gửi được. Vui lòng xem lại các mục "
			    "được đánh dấu.",
	    "Not sent yet. Please check the marked fields." },
	[M_ERR_LEVEL] = { "Vui lòng chọn một mức độ hài lòng.",
	    "Please choose how satisfied you are." },
	[M_ERR_VALUE] = { "Giá trị không hợp lệ, vui lòng chọn lại.",
	    "Not a valid choice; please choose again." },
	[M_ERR_VISITS] = { "Vui lòng nhập số lần từ 1 đến 99.",
	    "Please enter a number from 1 to 99." },
	[M_ERR_COMMENT_LONG] = { "Góp ý dài quá 1000 ký tự, vui lòng rút gọn.",
	    "The comment is longer than 1000 characters; please shorten "
	    "it." },
	[M_ERR_TEXT] = { "Nội dung có ký tự không hợp lệ (cần mã UTF-8).",
	    "The text contains invalid characters (UTF-8 expected)." },
	[M_ERR_PHONE] = { "Số điện thoại không hợp lệ (ví dụ: 0912 345 678).",
	    "Not a valid phone number (for example 0912 345 678)." },
	[M_ERR_CONSENT] = { "Để được liên hệ lại, vui lòng đánh dấu ô đồng ý. "
			    "Nếu không, "
			    "hãy để trống số điện thoại.",
	    "To be called back, please tick the consent box; otherwise "
	    "leave the phone number empty." },
	[M_ERR_PROCEDURE] = { "Vui lòng chọn thủ tục.",
	    "Please choose the procedure." },
	[M_ERR_PROCEDURE_UNKNOWN] = { "Thủ tục này không có trong danh mục của "
				      "đơn vị.",
	    "This procedure is not in the unit's list." },
	[M_ERR_HONEYPOT] = { "Không gửi được phiếu. Vui lòng để trống ô ẩn và "
			     "gửi lại.",
	    "Could not send. Please leave the hidden field empty and "
	    "send again." },
	[M_ERR_FORM] = { "Dữ liệu gửi lên không đúng định dạng. Vui lòng tải "
			 "lại trang.",
	    "The form data was malformed. Please reload the page." },
	[M_ERR_REQUESTER] = { "Mục “Người đánh giá” không hợp lệ: vui lòng "
			      "chọn "
			      "“Người dân”, “Doanh nghiệp” hoặc để trống.",
	    "The “Who is rating” answer is not valid: please choose "
	    "“Citizen”, “Business” or leave it empty." },
	[M_ERR_ASSISTED] = { "Ô “Có người hỗ trợ nhập đánh giá” không hợp lệ: "
			     "vui lòng đánh dấu hoặc để trống.",
	    "The “A helper entered this rating” box is not valid: please "
	    "tick it or leave it empty." },
	[M_THANKS_TITLE] = { "Cảm ơn Ông/Bà!", "Thank you!" },
	[M_THANKS_TEXT] = { "Đánh giá của Ông/Bà đã được ghi nhận. Ý kiến của "
			    "người dân "
			    "giúp chúng tôi phục vụ tốt hơn.",
	    "Your rating has been recorded. Your opinion helps us serve "
	    "you better." },
	[M_DOSSIER_USED_TITLE] = { "Hồ sơ này đã được đánh giá",
	    "This dossier has already been rated" },
	[M_DOSSIER_USED_TEXT] = { "Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn "
				  "Ông/Bà đã quan "
				  "tâm góp ý.",
	    "Each dossier can be rated once. Thank you for your "
	    "interest." },
	[M_LINK_EXPIRED_TITLE] = { "Liên kết đánh giá đã hết hạn",
	    "This rating link has expired" },
	[M_LINK_EXPIRED_TEXT] = { "Liên kết này chỉ dùng được trong một thời "
				  "gian sau khi nhận hoặc trả hồ sơ. Xin cảm "
				  "ơn Ông/Bà đã quan tâm góp ý.",
	    "This link can be used only for a while after the dossier was "
	    "received or returned. Thank you for your interest." },
	[M_DOSSIER_FOREIGN_TITLE] = { "Hồ sơ không thuộc đơn vị này",
	    "This dossier belongs to another unit" },
	[M_DOSSIER_FOREIGN_TEXT] = { "Mã hồ sơ trên mã QR thuộc một đơn vị "
				     "khác, nên không thể đánh giá tại đây. "
				     "Vui lòng quét mã QR trên giấy biên nhận "
				     "của đơn vị đã tiếp nhận hồ sơ.",
	    "The dossier of this QR code belongs to another unit, so it "
	    "cannot be rated here. Please scan the QR code on the receipt "
	    "of the unit that received the dossier." },
	[M_BAD_TOKEN_TITLE] = { "Mã QR không hợp lệ", "Invalid QR code" },
	[M_BAD_TOKEN_TEXT] = { "Đường dẫn này không đúng hoặc đã hết hiệu lực. "
			       "Vui lòng quét "
			       "lại mã QR tại quầy hoặc trên giấy biên nhận.",
	    "This link is wrong or no longer valid. Please scan the QR "
	    "code at the counter or on your receipt again." },
	[M_RATE_TITLE] = { "Quá nhiều lượt gửi", "Too many submissions" },
	[M_RATE_TEXT] = { "Thiết bị của Ông/Bà đã gửi quá nhiều phiếu trong "
			  "thời gian "
			  "ngắn. Vui lòng thử lại sau ít phút.",
	    "Too many ratings were sent from your device in a short time. "
	    "Please try again in a few minutes." },
	[M_BUSY_TITLE] = { "Hệ thống tạm thời bận", "The system is busy" },
	[M_BUSY_TEXT] = { "Đánh giá chưa được lưu. Vui lòng quay lại trang "
			  "trước và gửi "
			  "lại sau ít phút.",
	    "Your rating was not saved. Please go back and send it again "
	    "in a few minutes." },
	[M_CONFLICT_TITLE] = { "Phiếu này đã được gửi",
	    "This form was already sent" },
	[M_CONFLICT_TEXT] = { "Phiếu này đã được gửi trước đó với nội dung "
			      "khác. Vui lòng "
			      "quét lại mã QR nếu muốn đánh giá lần nữa.",
	    "This form was sent before with different answers. Scan the "
	    "QR code again to rate once more." },
	[M_NOT_FOUND_TITLE] = { "Không tìm thấy trang", "Page not found" },
	[M_NOT_FOUND_TEXT] = { "Địa chỉ này không tồn tại.",
	    "There is no page here." },
	[M_POSTER_TITLE] = { "Quét mã để đánh giá sự hài lòng",
	    "Scan to rate our service" },
	[M_POSTER_STEPS] = { "Mở camera điện thoại, quét mã QR và chọn mức độ "
			     "hài lòng. "
			     "Chỉ mất vài giây.",
	    "Open your phone's camera, scan the QR code and choose how "
	    "satisfied you are. It takes seconds." },
	[M_POSTER_PRIVACY] = { "Không cần tài khoản, không cần thông tin cá "
			       "nhân. Cán bộ tại "
			       "quầy không xem được đánh giá của từng người.",
	    "No account and no personal data needed. Counter staff never "
	    "see individual ratings." },
	[M_DOSSIER_N] = { "Hồ sơ", "Dossier" },
	[M_FORBIDDEN_TITLE] = { "Không có quyền truy cập", "Not allowed" },
	[M_FORBIDDEN_TEXT] = { "Vai trò của tài khoản này không được xem trang "
			       "này. Vui lòng "
			       "liên hệ quản trị viên nếu cần.",
	    "Your role may not see this page. Ask an administrator if you "
	    "need it." },
	[M_CSRF_TITLE] = { "Yêu cầu không hợp lệ", "Request refused" },
	[M_CSRF_TEXT] = { "Biểu mẫu đã cũ hoặc không đến từ trang của hệ "
			  "thống. Vui lòng "
			  "tải lại trang và thử lại.",
	    "The form is stale or did not come from this site. Please "
	    "reload the page and try again." },
	[M_LOGIN_TITLE] = { "Đăng nhập", "Log in" },
	[M_USERNAME] = { "Tên đăng nhập", "Username" },
	[M_PASSWORD] = { "Mật khẩu", "Password" },
	[M_LOGIN] = { "Đăng nhập", "Log in" },
	[M_LOGOUT] = { "Đăng xuất", "Log out" },
	[M_LOGIN_FAILED] = { "Tên đăng nhập hoặc mật khẩu không đúng.",
	    "Wrong username or password." },
	[M_LOGIN_LOCKED] = { "Tài khoản tạm thời bị khoá do đăng nhập sai "
			     "nhiều lần. Vui lòng "
			     "thử lại sau 15 phút hoặc liên hệ quản trị viên.",
	    "This account is locked for a while after too many failed "
	    "logins. Try again in 15 minutes or ask an administrator." },
	[M_LOGIN_EXPIRED] = { "Phiên làm việc đã hết hạn. Vui lòng đăng nhập "
			      "lại.",
	    "Your session has expired. Please log in again." },
	[M_LOGIN_RATE] = { "Có quá nhiều lần đăng nhập từ máy này. Vui lòng "
			   "thử lại sau ít "
			   "phút.",
	    "Too many login attempts from this computer. Please try again in "
	    "a few minutes." },
	[M_PW_TITLE] = { "Đổi mật khẩu", "Change password" },
	[M_PW_CURRENT] = { "Mật khẩu hiện tại", "Current password" },
	[M_PW_NEW] = { "Mật khẩu mới (ít nhất 10 ký tự)",
	    "New password (at least 10 characters)" },
	[M_PW_CONFIRM] = { "Nhập lại mật khẩu mới", "New password again" },
	[M_PW_SAVE] = { "Lưu mật khẩu", "Save password" },
	[M_PW_MUST_CHANGE] = { "Đây là mật khẩu dùng một lần. Vui lòng đặt mật "
			       "khẩu mới để "
			       "tiếp tục.",
	    "This is a one-time password. Please set a new one to go on." },
	[M_PW_WRONG] = { "Mật khẩu hiện tại không đúng.",
	    "The current password is wrong." },
	[M_PW_RATE] = { "Nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng "
			"thử lại sau 15 phút.",
	    "The current password was wrong too many times. Try again in "
	    "15 minutes." },
	[M_PW_WEAK] = { "Mật khẩu mới cần ít nhất 10 ký tự và khác tên đăng "
			"nhập.",
	    "The new password needs at least 10 characters and must differ "
	    "from the username." },
	[M_PW_MISMATCH] = { "Hai lần nhập mật khẩu mới không khớp.",
	    "The two new passwords differ." },
	[M_NAV_OVERVIEW] = { "Tổng quan", "Overview" },
	[M_NAV_SUBUNITS] = { "Đơn vị trực thuộc", "Subordinate units" },
	[M_INTERNAL_MONITORING] = { "Số liệu theo dõi nội bộ, không phải kết "
				    "quả chấm điểm chính "
				    "thức.",
	    "Internal monitoring figures, not the official score." },
	[M_FOLDED_TITLE] = { "Đánh giá quá cũ", "Rating too old" },
	[M_FOLDED_TEXT] = { "Đánh giá này thuộc một tháng đã được tổng hợp "
			    "thành số liệu và không thể nhận thêm. Cảm ơn "
			    "bạn đã quan tâm.",
	    "This rating belongs to a month whose ratings are already "
	    "summed up into figures; it can no longer be taken. Thank you "
	    "all the same." },
	[M_COUNTER_CLOSED_TITLE] = { "Quầy này đã ngừng nhận đánh giá",
	    "This counter no longer takes ratings" },
	[M_COUNTER_CLOSED_TEXT] = { "Quầy giao dịch này đã ngừng hoạt động "
				    "nên không nhận đánh giá mới. Xin "
				    "vui lòng đánh giá tại quầy đang phục "
				    "vụ bạn. Cảm ơn bạn.",
	    "This counter has closed and takes no new rating. Please rate "
	    "at the counter that serves you. Thank you." },
	[M_UNIT_CLOSED_TITLE] = { "Đơn vị này đã ngừng nhận đánh giá",
	    "This unit no longer takes ratings" },
	[M_UNIT_CLOSED_TEXT] = { "Đơn vị này đã ngừng hoạt động nên không "
				 "nhận đánh giá mới. Cảm ơn bạn.",
	    "This unit has closed and takes no new rating. Thank you." },
};

const char *
tr(enum lang lang, enum msg m)
{
	const char *s = text[m][lang == LANG_EN ? 1 : 0];

	return s != NULL ? s : text[m][0];
}

enum lang
lang_parse(const char *s)
{
	return s != NULL && strcmp(s, "en") == 0 ? LANG_EN : LANG_VI;
}
