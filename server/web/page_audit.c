/* page_audit.c -- the console's audit log, and its hash chain verified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/text.h"
#include "core/audit.h"
#include "core/fmt.h"
#include "core/labels.h"
#include "core/ratings.h"
#include "core/users.h"
#include "web/console.h"
#include "web/pages.h"
#include "web/server.h"

/*
 * Who sees which entries.  The log has no unit column: an entry belongs
 * to a unit's subtree when its actor is a staff user of the subtree
 * ("user:NAME") or an API key of it ("apikey:ID": imports, reports), or
 * its target is a user, a kiosk, an API key, a rating ("rating:SEQ") or
 * a callback ("callback:ID") of the subtree, or it changes the setup of
 * a unit of the subtree (issue 16: unit.*, counter.*, officer.*,
 * procedure.*, duty.*, whose target is the unit, "UNIT/N" for a counter
 * or an officer's id).  Managers and admins see
 * the entries of the page's unit and the units below it.  Entries that
 * belong to no unit (the CLI's, the system's) are shown to admins only,
 * on the page of their own unit; failed logins under unknown names only
 * to admins of a top-level unit (no parent), and never with the name
 * typed (older entries kept it: it may be a password typed in the wrong
 * field).  Every page walks the whole audit chain (audit_verify(), as
 * `hailong verify-chain` does) and says whether it is intact; the
 * ratings chain, much longer, is walked on request.
 */

/* clang-format off */
#define SUB "(SELECT descendant FROM unit_tree WHERE ancestor = ?1)"

#define KEY_OF(col, n) \
    "EXISTS (SELECT 1 FROM api_keys k WHERE k.id = " \
    "CAST(substr(" col ", " n ") AS INTEGER) AND k.unit IN " SUB ")"
#define IS_USER(col) "EXISTS (SELECT 1 FROM users x WHERE x.username = " col ")"
#define SETUP_ACTION \
    "(a.action LIKE 'unit.%' OR a.action LIKE 'counter.%' OR " \
    "a.action LIKE 'officer.%' OR a.action LIKE 'procedure.%' OR " \
    "a.action LIKE 'duty.%')"
/* the unit a setup entry's target names */
#define SETUP_UNIT \
    "(CASE WHEN instr(a.target, '/') > 0 " \
    "THEN substr(a.target, 1, instr(a.target, '/') - 1) " \
    "WHEN a.action LIKE 'officer.%' " \
    "THEN (SELECT o.unit FROM officers o WHERE o.id = a.target) " \
    "ELSE a.target END)"

#define AUDIT_SQL \
    "SELECT a.seq, a.at, a.actor, a.action, " \
    "CASE WHEN a.action LIKE 'login%' AND NOT " IS_USER("a.target") " " \
    "THEN '' ELSE a.target END, a.detail " \
    "FROM audit a WHERE (?3 = '' OR a.action = ?3) AND (" \
    "(a.actor LIKE 'user:%' AND EXISTS (SELECT 1 FROM users x WHERE " \
    "x.username = substr(a.actor, 6) AND x.unit IN " SUB ")) " \
    "OR EXISTS (SELECT 1 FROM users x WHERE x.username = a.target AND " \
    "x.unit IN " SUB ") " \
    "OR EXISTS (SELECT 1 FROM kiosks k WHERE k.id = a.target AND " \
    "k.unit IN " SUB ") " \
    "OR (a.actor LIKE 'apikey:%' AND " KEY_OF("a.actor", "8") ") " \
    "OR (a.target LIKE 'apikey:%' AND " KEY_OF("a.target", "8") ") " \
    "OR (a.target LIKE 'rating:%' AND EXISTS (SELECT 1 FROM ratings r " \
    "WHERE r.seq = CAST(substr(a.target, 8) AS INTEGER) AND " \
    "r.unit IN " SUB ")) " \
    "OR (a.target LIKE 'callback:%' AND EXISTS (SELECT 1 FROM callbacks cb " \
    "JOIN ratings r ON r.seq = cb.rating_seq WHERE " \
    "cb.id = CAST(substr(a.target, 10) AS INTEGER) AND " \
    "r.unit IN " SUB ")) " \
    "OR (" SETUP_ACTION " AND " SETUP_UNIT " IN " SUB ") " \
    "OR (?2 = 1 " \
    "AND NOT (a.actor LIKE 'user:%' AND " IS_USER("substr(a.actor, 6)") ") " \
    "AND NOT " IS_USER("a.target") " " \
    "AND NOT EXISTS (SELECT 1 FROM kiosks k WHERE k.id = a.target) " \
    "AND a.actor NOT LIKE 'apikey:%' " \
    "AND a.target NOT LIKE 'apikey:%' " \
    "AND (?6 = 1 OR a.action NOT LIKE 'login%') " \
    "AND a.target NOT LIKE 'rating:%' " \
    "AND a.target NOT LIKE 'callback:%' " \
    "AND NOT (" SETUP_ACTION " AND " SETUP_UNIT " IN " \
    "(SELECT code FROM units)))) " \
    "ORDER BY a.seq DESC LIMIT ?4 OFFSET ?5"

static const char audit_sql[] = AUDIT_SQL;
/* the actions of the entries the page may show (?3 '', ?4 -1, ?5 0) */
static const char actions_sql[] =
    "SELECT DISTINCT action FROM (" AUDIT_SQL ") ORDER BY action";
/* clang-format on */

/* An action filter: 1-40 of a-z, '.', '_', starting with a letter. */
static bool
is_action(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 40 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
			s[i] == '_'))
			return false;
	return true;
}

/* The words for the keys of an entry's detail (JSON); others in <code>. */
static const struct {
	const char *key, *vi, *en;
} detail_keys[] = {
	{ "accepted", "nhận", "accepted" },
	{ "action", "việc đã làm", "action" },
	{ "added", "thêm", "added" },
	{ "callbacks", "yêu cầu gọi lại", "callbacks" },
	{ "client", "địa chỉ máy", "client" },
	{ "closed", "đã đóng", "closed" },
	{ "closed_days", "số ngày sau khi đóng", "days after closing" },
	{ "code", "mã", "code" },
	{ "codes", "các mã", "codes" },
	{ "comment_mode", "cách xử lý góp ý", "comment handling" },
	{ "comments", "góp ý", "comments" },
	{ "conflict", "xung đột", "conflicts" },
	{ "consents", "đồng ý", "consents" },
	{ "counter", "quầy", "counter" },
	{ "demo", "dữ liệu mẫu", "demo data" },
	{ "digest", "mã băm", "digest" },
	{ "disabled_at", "ngừng từ", "disabled at" },
	{ "due", "hạn", "due" },
	{ "duplicate", "trùng", "duplicates" },
	{ "effective", "hiệu lực từ", "effective" },
	{ "effective_month", "hiệu lực từ", "effective" },
	{ "ended_at", "kết thúc lúc", "ended at" },
	{ "expired", "hết hạn", "expired" },
	{ "file", "tệp", "file" },
	{ "flags", "cảnh báo", "flags" },
	{ "fold", "gộp", "fold" },
	{ "fold_months", "số tháng trước khi gộp", "months before folding" },
	{ "folded", "đã gộp", "folded" },
	{ "format", "định dạng", "format" },
	{ "from", "từ", "from" },
	{ "held", "giữ lại", "held" },
	{ "id", "số", "id" },
	{ "kept", "giữ lại", "kept" },
	{ "kiosk", "ki-ốt", "kiosk" },
	{ "level", "cấp", "level" },
	{ "month", "tháng", "month" },
	{ "n", "số lượng", "count" },
	{ "name", "tên", "name" },
	{ "new", "mới", "new" },
	{ "note", "ghi chú", "note" },
	{ "officer", "cán bộ", "officer" },
	{ "old", "cũ", "old" },
	{ "only", "chỉ", "only" },
	{ "owner", "người phụ trách", "owner" },
	{ "parent", "đơn vị cấp trên", "parent" },
	{ "procedure", "thủ tục", "procedure" },
	{ "procedures", "thủ tục", "procedures" },
	{ "ratings", "đánh giá", "ratings" },
	{ "reason", "lý do", "reason" },
	{ "records", "bản ghi", "records" },
	{ "rejected", "bị từ chối", "rejected" },
	{ "role", "vai trò", "role" },
	{ "schema", "lược đồ", "schema" },
	{ "scopes", "quyền", "scopes" },
	{ "signer", "người ký", "signer" },
	{ "skipped", "bỏ qua", "skipped" },
	{ "stale", "cũ hơn bản đã có", "stale" },
	{ "started_at", "bắt đầu lúc", "started at" },
	{ "stat_code", "mã thống kê", "statistics code" },
	{ "status", "trạng thái", "status" },
	{ "texts", "nội dung", "texts" },
	{ "to", "đến", "to" },
	{ "unavailable", "không xử lý được", "unavailable" },
	{ "unit", "đơn vị", "unit" },
	{ "updated", "cập nhật", "updated" },
	{ "user", "tài khoản", "user" },
	{ "valid", "hợp lệ", "valid" },
};

static void
detail_key(struct ctx *c, struct buf *b, const char *key)
{
	for (size_t i = 0; i < sizeof(detail_keys) / sizeof(detail_keys[0]);
	     i++)
		if (strcmp(detail_keys[i].key, key) == 0) {
			buf_html(
			    b, TR(c, detail_keys[i].vi, detail_keys[i].en));
			return;
		}
	buf_puts(b, "<code>");
	buf_html(b, key);
	buf_puts(b, "</code>");
}

/* The states a detail names (reviews, ratings, callbacks), in words. */
static const struct {
	const char *code, *vi, *en;
} detail_words[] = {
	{ "open", "mới mở", "open" },
	{ "in_progress", "đang xử lý", "in progress" },
	{ "resolved", "đã xử lý xong", "resolved" },
	{ "closed", "đã đóng", "closed" },
	{ "contacted", "đã liên hệ", "contacted" },
	{ "valid", "hợp lệ", "valid" },
	{ "burst", "bấm liên tiếp", "rapid repeat" },
	{ "duplicate", "trùng lặp", "duplicate" },
	{ "misuse", "dùng sai mục đích", "misuse" },
	{ "spam", "rác, quảng cáo", "spam" },
	{ "delete", "xóa", "delete" },
	{ "redact", "che nội dung", "redact" },
};

/* Whether s is a machine token: a-z, 0-9, '_', '.', '-' only. */
static bool
is_token(const char *s)
{
	if (s[0] == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
			*s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Stored flag codes ("LOW_SATISFACTION,LATE") as their names. */
static void
detail_flags(struct ctx *c, struct buf *b, const char *v)
{
	const char *p = v;
	int n = 0;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		char code[64];

		if (len > 0 && len < sizeof(code)) {
			memcpy(code, p, len);
			code[len] = '\0';
			buf_puts(b, n++ > 0 ? ", " : "");
			label_code_html(b, label_flag(c->lang, code), code);
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

/*
 * A string of a detail: a time, a date, a month, a role, flags, a state;
 * a machine token in <code>; else text (long numbers masked).
 */
static void
detail_string(struct ctx *c, struct buf *b, const char *key, const char *v)
{
	int64_t t;
	int month;
	char *masked;
	size_t n = strlen(v);

	if (n >= 20 && rfc3339_parse(v, n, &t) == 0) {
		fmt_datetime(b, c->lang, t);
		return;
	}
	if (n == 10 && v[4] == '-' && v[7] == '-' &&
	    strspn(v, "0123456789-") == 10) {
		buf_printf(b, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
		return;
	}
	if (n == 7 && month_parse(v, n, &month) == 0) {
		fmt_month(b, c->lang, month);
		return;
	}
	if (strcmp(key, "flags") == 0) {
		detail_flags(c, b, v);
		return;
	}
	for (size_t i = 0; i < sizeof(detail_words) / sizeof(detail_words[0]);
	     i++)
		if (strcmp(v, detail_words[i].code) == 0) {
			buf_html(
			    b, TR(c, detail_words[i].vi, detail_words[i].en));
			return;
		}
	if (strcmp(key, "client") == 0 || strcmp(key, "digest") == 0 ||
	    strcmp(key, "unit") == 0 || strcmp(key, "parent") == 0 ||
	    strcmp(key, "file") == 0 || strcmp(key, "scopes") == 0 ||
	    strcmp(key, "procedure") == 0 || strcmp(key, "procedures") == 0 ||
	    strcmp(key, "code") == 0 || strcmp(key, "codes") == 0 ||
	    strcmp(key, "officer") == 0 || strcmp(key, "kiosk") == 0) {
		buf_puts(b, "<code>");
		buf_html(b, v);
		buf_puts(b, "</code>");
		return;
	}
	if (strcmp(key, "role") == 0 &&
	    !label_is_fallback(label_role(c->lang, v))) {
		buf_html(b, label_role(c->lang, v));
		return;
	}
	if (is_token(v) && strchr(v, '.') == NULL) {
		buf_puts(b, "<code>");
		buf_html(b, v);
		buf_puts(b, "</code>");
		return;
	}
	masked = text_mask_numbers(v);
	buf_html(b, masked != NULL ? masked : "");
	free(masked);
}

static void detail_value(
    struct ctx *c, struct buf *b, const char *key, json_t *v, int depth);

static void
detail_object(struct ctx *c, struct buf *b, json_t *o, int depth)
{
	const char *k;
	json_t *v;
	bool first = true;

	json_object_foreach(o, k, v)
	{
		buf_puts(b, first ? "" : depth == 0 ? "<br>" : "; ");
		first = false;
		buf_puts(b, "<span class=\"k\">");
		detail_key(c, b, k);
		buf_puts(b, ":</span> ");
		detail_value(c, b, k, v, depth + 1);
	}
}

static void
detail_value(
    struct ctx *c, struct buf *b, const char *key, json_t *v, int depth)
{
	size_t i;
	json_t *e;

	switch (json_typeof(v)) {
	case JSON_STRING: detail_string(c, b, key, json_string_value(v)); break;
	case JSON_INTEGER:
		fmt_count(b, c->lang, (int64_t)json_integer_value(v));
		break;
	case JSON_REAL: fmt_number(b, c->lang, json_real_value(v), 4); break;
	case JSON_TRUE: buf_html(b, TR(c, "có", "yes")); break;
	case JSON_FALSE: buf_html(b, TR(c, "không", "no")); break;
	case JSON_NULL: buf_puts(b, "—"); break;
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			buf_puts(b, "—");
		json_array_foreach(v, i, e)
		{
			buf_puts(b, i > 0 ? ", " : "");
			detail_value(c, b, key, e, depth + 1);
		}
		break;
	case JSON_OBJECT:
		if (depth > 3) {
			buf_puts(b, "…");
			break;
		}
		buf_puts(b, "(");
		detail_object(c, b, v, depth);
		buf_puts(b, ")");
		break;
	default: break;
	}
}

/*
 * An entry's detail as words: "key: value" a line, times as dd/mm/yyyy
 * HH:MM, long numbers masked; text that is not a JSON object as it is
 * (masked).
 */
static void
detail_cell(struct ctx *c, struct buf *b, const char *detail)
{
	json_t *doc = detail[0] != '\0' ? json_loads(detail, 0, NULL) : NULL;

	buf_puts(b, "<td class=\"detail\">");
	if (json_is_object(doc))
		detail_object(c, b, doc, 0);
	else if (detail[0] != '\0') {
		char *masked = text_mask_numbers(detail);

		buf_html(b, masked != NULL ? masked : "");
		free(masked);
	}
	buf_puts(b, "</td>");
	json_decref(doc);
}

/* What an entry touched, in words where hailong names a kind. */
static void
target_cell(struct ctx *c, struct buf *b, const char *target)
{
	static const struct {
		const char *prefix, *vi, *en;
	} kinds[] = {
		{ "rating:", "Đánh giá #", "Rating #" },
		{ "callback:", "Yêu cầu gọi lại #", "Callback #" },
		{ "review:", "Rà soát #", "Review #" },
		{ "apikey:", "Khóa API số ", "API key " },
	};
	static const struct {
		const char *word, *vi, *en;
	} words[] = {
		{ "procedures", "Danh mục thủ tục", "Procedure list" },
		{ "ratings", "Đánh giá", "Ratings" },
		{ "callbacks", "Yêu cầu gọi lại", "Callbacks" },
		{ "units", "Danh mục đơn vị", "Unit list" },
		{ "api", "Giao diện lập trình (API)", "API" },
	};

	buf_puts(b, "<td class=\"target\">");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(target, kinds[i].prefix, n) == 0) {
			buf_html(b, TR(c, kinds[i].vi, kinds[i].en));
			buf_html(b, target + n);
			buf_puts(b, "</td>");
			return;
		}
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(target, words[i].word) == 0) {
			buf_html(b, TR(c, words[i].vi, words[i].en));
			buf_puts(b, "</td>");
			return;
		}
	if (target[0] != '\0') {
		buf_puts(b, "<code>");
		buf_html(b, target);
		buf_puts(b, "</code>");
	}
	buf_puts(b, "</td>");
}

/* The filter: the actions of the entries this page may show, in words. */
static void
action_filter(struct ctx *c, const struct console_unit *u, bool unattributed,
    bool top, const char *action)
{
	struct buf *b = &c->req->resp.body;
	struct db_stmt *st;
	bool chosen_seen = action[0] == '\0';

	buf_printf(b,
	    "<form class=\"filters\" method=\"get\" "
	    "action=\"/admin/units/%s/audit\">\n",
	    u->code);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_puts(b, "<label for=\"action\">");
	buf_html(b, TR(c, "Thao tác", "Action"));
	buf_puts(b,
	    "</label>\n<select id=\"action\" name=\"action\">\n"
	    "<option value=\"\">");
	buf_html(b, TR(c, "— Tất cả —", "— All —"));
	buf_puts(b, "</option>\n");
	st = db_query(ctx_db(c), actions_sql, "titiii", u->code,
	    unattributed ? 1 : 0, "", -1, 0, top ? 1 : 0);
	while (st != NULL && db_step(st) == DB_ROW) {
		const char *a = db_col_text(st, 0);
		bool on = strcmp(a, action) == 0;

		chosen_seen = chosen_seen || on;
		buf_puts(b, "<option value=\"");
		buf_html(b, a);
		buf_printf(b, "\"%s>", on ? " selected" : "");
		label_code_html(b, label_audit_action(c->lang, a), a);
		buf_puts(b, "</option>\n");
	}
	db_done(st);
	if (!chosen_seen) {
		buf_puts(b, "<option value=\"");
		buf_html(b, action);
		buf_puts(b, "\" selected>");
		label_code_html(b, label_audit_action(c->lang, action), action);
		buf_puts(b, "</option>\n");
	}
	buf_puts(b, "</select>\n<button type=\"submit\">");
	buf_html(b, TR(c, "Lọc", "Filter"));
	buf_puts(b, "</button>\n</form>\n");
}

static void
chain_state(struct ctx *c, bool ratings_too)
{
	struct buf *b = &c->req->resp.body;
	struct db *db = ctx_db(c);
	struct chain_check cc;
	int64_t count = 0, bad = 0;
	int r = audit_verify(db, &count, &bad);

	buf_puts(b, "<section class=\"chain\">\n<p class=\"");
	if (r == 0) {
		buf_printf(b, "ok\">%s: %s (",
		    TR(c, "Chuỗi băm nhật ký", "Audit hash chain"),
		    TR(c, "nguyên vẹn", "intact"));
		fmt_count(b, c->lang, count);
		buf_printf(b, " %s)", TR(c, "mục", "entries"));
	} else if (r == 1)
		buf_printf(b, "broken\">%s: %s #%lld (%s)",
		    TR(c, "Chuỗi băm nhật ký", "Audit hash chain"),
		    TR(c, "BỊ PHÁ VỠ tại mục", "BROKEN at entry"),
		    (long long)bad,
		    TR(c, "một mục đã bị sửa, xóa hoặc chèn ngoài hailong",
			"an entry was edited, deleted or inserted outside "
			"hailong"));
	else
		buf_printf(b, "broken\">%s",
		    TR(c, "Không kiểm tra được chuỗi băm nhật ký.",
			"Cannot check the audit hash chain."));
	buf_puts(b, "</p>\n");
	if (ratings_too) {
		r = ratings_verify_chain(db, &cc);
		buf_puts(b, "<p class=\"");
		if (r == 0) {
			buf_printf(b, "ok\">%s: %s (",
			    TR(c, "Chuỗi băm đánh giá", "Ratings hash chain"),
			    TR(c, "nguyên vẹn", "intact"));
			fmt_count(b, c->lang, cc.rows);
			buf_printf(b, " %s", TR(c, "đánh giá", "ratings"));
			if (cc.folded != 0) {
				buf_puts(b, ", ");
				fmt_count(b, c->lang, cc.folded);
				buf_printf(b, " %s",
				    TR(c, "đã gộp thành số đếm",
					"folded into counts"));
			}
			buf_puts(b, ")");
		} else if (r == 1)
			buf_printf(b, "broken\">%s: %s #%lld",
			    TR(c, "Chuỗi băm đánh giá", "Ratings hash chain"),
			    TR(c, "BỊ PHÁ VỠ tại đánh giá", "BROKEN at rating"),
			    (long long)cc.bad_seq);
		else
			buf_printf(b, "broken\">%s",
			    TR(c, "Không kiểm tra được chuỗi băm đánh giá.",
				"Cannot check the ratings hash chain."));
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</section>\n");
}

void
page_audit(struct ctx *c)
{
	struct console_unit u;
	struct db_stmt *st;
	struct buf *b, base = { 0 }, who = { 0 };
	const char *action = form_get(&c->query, "action");
	const char *verify = form_get(&c->query, "verify");
	bool unattributed, top, more = false;
	int page, rows = 0;

	if (console_unit(c, 0, &u) < 0)
		return;
	if (action == NULL)
		action = "";
	if (action[0] != '\0' && !is_action(action)) {
		console_error(c, &u, 400,
		    "Thao tác cần lọc không hợp lệ; hãy chọn trong danh sách "
		    "“Thao tác” của trang nhật ký.",
		    "Bad action filter: only a-z, '.' and '_' (e.g. "
		    "rating.status).",
		    NULL);
		return;
	}
	if (verify != NULL && verify[0] != '\0' &&
	    strcmp(verify, "ratings") != 0) {
		console_error(c, &u, 400,
		    "Tham số verify không hợp lệ: chỉ nhận \"ratings\".",
		    "Bad verify parameter: only \"ratings\".", NULL);
		return;
	}
	if (console_page(c, &page) < 0) {
		console_error(c, &u, 400, "Số trang không hợp lệ.",
		    "Bad page number.", NULL);
		return;
	}
	unattributed =
	    c->who.role >= ROLE_ADMIN && strcmp(c->who.unit, u.code) == 0;
	/* failed logins under unknown names: admins of a top-level unit */
	top = unattributed && u.parent[0] == '\0';
	console_begin(c, &u, TR(c, "Nhật ký thao tác", "Audit log"), "audit");
	b = &c->req->resp.body;
	chain_state(c, verify != NULL && verify[0] != '\0');
	buf_printf(
	    b, "<p><a href=\"/admin/units/%s/audit?verify=ratings", u.code);
	console_lang_suffix(c, b, true);
	buf_puts(b, "\">");
	buf_html(b,
	    TR(c, "Kiểm tra cả chuỗi băm đánh giá",
		"Check the ratings hash chain too"));
	buf_puts(b, "</a></p>\n");
	action_filter(c, &u, unattributed, top, action);
	buf_printf(b, "<p class=\"note\">%s</p>\n",
	    unattributed
		? TR(c,
		      "Gồm các thao tác của đơn vị, đơn vị trực thuộc và các "
		      "thao tác hệ thống.",
		      "Entries of this unit, the units below it, and of the "
		      "system.")
		: TR(c, "Gồm các thao tác của đơn vị và đơn vị trực thuộc.",
		      "Entries of this unit and the units below it."));
	st = db_query(ctx_db(c), audit_sql, "titiii", u.code,
	    unattributed ? 1 : 0, action, CONSOLE_ROWS + 1,
	    (page - 1) * CONSOLE_ROWS, top ? 1 : 0);
	while (st != NULL && db_step(st) == DB_ROW) {

		if (rows == CONSOLE_ROWS) {
			more = true;
			break;
		}
		if (rows++ == 0)
			buf_printf(b,
			    "<table class=\"audit\">\n<thead><tr><th>#</th>"
			    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
			    "<th>%s</th></tr></thead>\n<tbody>\n",
			    TR(c, "Thời điểm", "When"),
			    TR(c, "Người thực hiện", "Who"),
			    TR(c, "Thao tác", "Action"),
			    TR(c, "Đối tượng", "Target"),
			    TR(c, "Chi tiết", "Detail"));
		buf_puts(b, "<tr data-action=\"");
		buf_html(b, db_col_text(st, 3));
		buf_puts(b, "\" data-actor=\"");
		buf_html(b, db_col_text(st, 2));
		buf_printf(b, "\"><td class=\"num\">%lld</td><td>",
		    (long long)db_col_int(st, 0));
		console_when(b, (long long)db_col_int(st, 1));
		buf_puts(b, "</td><td>");
		buf_reset(&who);
		label_actor(&who, c->lang, db_col_text(st, 2));
		buf_html(b, buf_str(&who));
		buf_puts(b, "</td><td>");
		label_code_html(b,
		    label_audit_action(c->lang, db_col_text(st, 3)),
		    db_col_text(st, 3));
		buf_puts(b, "</td>");
		target_cell(c, b, db_col_text(st, 4));
		/* a reason typed by staff may hold a number: masked too */
		detail_cell(c, b, db_col_text(st, 5));
		buf_puts(b, "</tr>\n");
	}
	db_done(st);
	if (rows == 0)
		buf_printf(b, "<p class=\"empty\">%s</p>\n",
		    TR(c, "Không có mục nào.", "No entries."));
	else
		buf_puts(b, "</tbody>\n</table>\n");
	buf_printf(&base, "/admin/units/%s/audit?", u.code);
	if (action[0] != '\0')
		buf_printf(&base, "action=%s&", action);
	console_pager(c, b, buf_str(&base), page, more);
	buf_release(&base);
	buf_release(&who);
	console_end(c);
}
