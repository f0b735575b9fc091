/* page_setup_instr.c -- setup: the questionnaire's versions (province admins). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/rating.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/fmt.h"
#include "core/instrument.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * The questionnaire belongs to the whole server (the province): an admin
 * of a top unit shows the version in force and those to come, and adds
 * a version by editing the question, the five level labels and the
 * reasons; the criteria, the three faces and the consent text are
 * carried over from the version in force.  instrument_add() checks the
 * result against the schema, numbers it and refuses a version that
 * drops a reason ratings already name.
 */

#define VERSIONS_SHOWN 20

static const char *const lang_keys[2] = { "vi", "en" };

/* The body of the version in force at `now`, new (free()), or NULL. */
static char *
body_in_force(struct db *db, int64_t now, int *version)
{
	struct instrument_version v;

	if (instrument_version_at(db, now, &v) != 0)
		return NULL;
	*version = v.version;
	return v.body;
}

/* The text of obj[key][lang] (key NULL: obj[lang]), or "". */
static const char *
jtext(json_t *obj, const char *key, int lang)
{
	json_t *o = key != NULL ? json_object_get(obj, key) : obj;
	const char *s = json_string_value(json_object_get(o, lang_keys[lang]));

	return s != NULL ? s : "";
}

/* The posted value of name, or the current one. */
static const char *
value(const struct form *posted, const char *name, const char *current)
{
	const char *v = posted != NULL ? form_get(posted, name) : NULL;

	return v != NULL ? v : current;
}

static void
versions_table(struct ctx *c, struct buf *b, int64_t now, int in_force)
{
	struct db_stmt *st;
	int n = 0;

	st = db_query(ctx_db(c),
	    "SELECT version, effective_from, created_at, created_by FROM "
	    "instruments WHERE version >= ? ORDER BY effective_from, version "
	    "LIMIT ?",
	    "ii", in_force, VERSIONS_SHOWN);
	while (st != NULL && db_step(st) == DB_ROW) {
		int v = (int)db_col_int(st, 0);
		int64_t from = db_col_int(st, 1);
		char month[8];

		if (n++ == 0)
			buf_printf(b,
			    "<table class=\"versions\">\n<thead><tr><th>%s</th>"
			    "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
			    "<tbody>\n",
			    TR(c, "Phiên bản", "Version"),
			    TR(c, "Áp dụng từ", "In force from"),
			    TR(c, "Trạng thái", "State"),
			    TR(c, "Người thêm", "Added by"));
		month_format(month_of(from), month);
		buf_printf(b,
		    "<tr data-version=\"%d\"><td>%d</td><td data-month=\"%s\">",
		    v, v, month);
		fmt_month(b, c->lang, month_of(from));
		buf_printf(b, "</td><td>%s</td><td>",
		    v == in_force    ? TR(c, "Đang áp dụng", "In force")
			: from > now ? TR(c, "Sắp áp dụng", "Upcoming")
				     : TR(c, "Đã thay thế", "Replaced"));
		buf_html(b,
		    db_col_text(st, 3)[0] != '\0' ? db_col_text(st, 3) : "—");
		if (db_col_int(st, 2) > 0) {
			buf_puts(b, ", ");
			console_when(b, (long long)db_col_int(st, 2));
		}
		buf_puts(b, "</td></tr>\n");
	}
	db_done(st);
	if (n > 0)
		buf_puts(b, "</tbody>\n</table>\n");
}

static void
text_pair(struct ctx *c, struct buf *b, const struct form *posted,
    const char *name, json_t *obj, const char *key, int maxlen, bool area)
{
	char field[32];

	for (int l = 0; l < 2; l++) {
		const char *v;

		snprintf(field, sizeof(field), "%s_%s", name, lang_keys[l]);
		v = value(posted, field, jtext(obj, key, l));
		buf_printf(b, "<label>%s ",
		    l == 0 ? TR(c, "Tiếng Việt", "Vietnamese")
			   : TR(c, "Tiếng Anh", "English"));
		if (area) {
			buf_printf(b,
			    "<textarea name=\"%s\" id=\"%s\" rows=\"3\" "
			    "maxlength=\"%d\"%s>",
			    field, field, maxlen, l == 0 ? " required" : "");
			if (utf8_is_valid(v, strlen(v)))
				buf_html(b, v);
			buf_puts(b, "</textarea>");
		} else {
			buf_printf(b,
			    "<input name=\"%s\" id=\"%s\" maxlength=\"%d\"%s",
			    field, field, maxlen, l == 0 ? " required" : "");
			setup_value(b, v);
			buf_puts(b, ">");
		}
		buf_puts(b, "</label>\n");
	}
}

static void
render(struct ctx *c, const struct console_unit *u, int status,
    const char *alert, const struct form *posted)
{
	struct buf *b;
	json_t *doc = NULL, *levels, *reasons;
	int64_t now = hl_now();
	int version = 0;
	char *body = body_in_force(ctx_db(c), now, &version);
	char month[8], name[32];

	if (body != NULL)
		doc = json_loads(body, 0, NULL);
	free(body);
	if (doc == NULL) {
		server_unavailable(c);
		return;
	}
	setup_begin(c, u, SETUP_INSTRUMENT, status, alert);
	b = &c->req->resp.body;
	buf_printf(b, "<h2>%s</h2>\n",
	    TR(c, "Phiên bản đang áp dụng và sắp áp dụng",
		"The version in force and those to come"));
	versions_table(c, b, now, version);
	buf_printf(b, "<h2>%s</h2>\n<p class=\"note\">%s</p>\n",
	    TR(c, "Thêm phiên bản mới", "Add a version"),
	    TR(c,
		"Bắt đầu từ phiên bản đang áp dụng. Các tiêu chí, mặt cười "
		"của ki-ốt ba mặt và nội dung đồng ý được giữ nguyên. Không "
		"thể bỏ một lý do mà đánh giá từ tháng áp dụng đã chọn.",
		"Starts from the version in force. The criteria, the "
		"three-face kiosk's levels and the consent text are kept. A "
		"reason that ratings from the chosen month name cannot be "
		"dropped."));
	buf_puts(
	    b, "<form class=\"setup instrument\" method=\"post\" action=\"");
	setup_path(b, u->code, SETUP_INSTRUMENT);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	month_format(month_add(month_of(now), 1), month);
	buf_printf(b,
	    "<label>%s <input type=\"month\" name=\"effective\" "
	    "id=\"effective\" required",
	    TR(c, "Áp dụng từ tháng", "In force from"));
	setup_value(b, value(posted, "effective", month));
	buf_printf(b, "></label>\n<fieldset>\n<legend>%s</legend>\n",
	    TR(c, "Câu hỏi", "Question"));
	text_pair(c, b, posted, "question", doc, "question", 1000, true);
	buf_printf(b, "</fieldset>\n<fieldset>\n<legend>%s</legend>\n",
	    TR(c, "Năm mức đánh giá", "The five levels"));
	levels = json_object_get(doc, "levels");
	for (int lv = 5; lv >= 1; lv--) {
		json_t *item = NULL, *x;
		size_t i;

		json_array_foreach(levels, i, x)
		{
			if (json_integer_value(json_object_get(x, "level")) ==
			    lv)
				item = x;
		}
		buf_printf(b, "<p class=\"level\">%s %d</p>\n",
		    TR(c, "Mức", "Level"), lv);
		snprintf(name, sizeof(name), "level%d", lv);
		text_pair(c, b, posted, name, item, NULL, 200, false);
	}
	buf_printf(b,
	    "</fieldset>\n<fieldset>\n<legend>%s</legend>\n"
	    "<p class=\"note\">%s</p>\n",
	    TR(c, "Lý do không hài lòng", "Reasons for dissatisfaction"),
	    TR(c,
		"Mã gồm chữ thường a-z, số và '_' (tối đa 24 ký tự). Để trống "
		"cả dòng để bỏ.",
		"A code is a-z, digits and '_' (24 at most). Leave a whole "
		"row empty to drop it."));
	reasons = json_object_get(doc, "reasons");
	for (int i = 0; i < RATING_REASONS_MAX; i++) {
		json_t *item = json_array_get(reasons, (size_t)i);
		const char *code =
		    json_string_value(json_object_get(item, "code"));
		char field[32];

		snprintf(field, sizeof(field), "reason%d_code", i + 1);
		buf_printf(b,
		    "<div class=\"reason\">\n<label>%s <input name=\"%s\" "
		    "id=\"%s\" maxlength=\"%d\"",
		    TR(c, "Mã", "Code"), field, field, RATING_REASON_MAX_LEN);
		setup_value(b, value(posted, field, code != NULL ? code : ""));
		buf_puts(b, "></label>\n");
		snprintf(name, sizeof(name), "reason%d", i + 1);
		text_pair(c, b, posted, name, item, NULL, 200, false);
		buf_puts(b, "</div>\n");
	}
	buf_printf(b,
	    "</fieldset>\n<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Thêm phiên bản", "Add the version"));
	json_decref(doc);
	console_end(c);
}

void
page_setup_instrument(struct ctx *c)
{
	struct console_unit u;

	if (setup_unit(c, SETUP_INSTRUMENT, &u) < 0)
		return;
	render(c, &u, 200, NULL, NULL);
}

/* {"vi": posted NAME_vi, "en": posted NAME_en}; NULL when not UTF-8. */
static json_t *
posted_pair(const struct form *f, const char *name)
{
	json_t *o = json_object();
	char field[32];

	for (int l = 0; l < 2; l++) {
		const char *v;
		char *clean;
		json_t *s;

		snprintf(field, sizeof(field), "%s_%s", name, lang_keys[l]);
		v = form_get(f, field);
		if (v == NULL || !utf8_is_valid(v, strlen(v))) {
			json_decref(o);
			return NULL;
		}
		clean = text_clean(v);
		s = json_string(clean);
		free(clean);
		if (s == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, lang_keys[l], s);
	}
	return o;
}

/*
 * The new version's document: the one in force with the posted
 * question, levels and reasons.  New (free()), or NULL when a text is
 * missing or not UTF-8.
 */
static char *
new_body(struct ctx *c, const struct form *f)
{
	json_t *doc = NULL, *q, *levels, *reasons;
	char *body, *out = NULL;
	int version = 0;

	body = body_in_force(ctx_db(c), hl_now(), &version);
	if (body != NULL)
		doc = json_loads(body, 0, NULL);
	free(body);
	if (doc == NULL)
		return NULL;
	q = posted_pair(f, "question");
	levels = json_array();
	reasons = json_array();
	if (q == NULL)
		goto out;
	json_object_set_new(doc, "question", q);
	for (int lv = 5; lv >= 1; lv--) {
		char name[24];
		json_t *p;

		snprintf(name, sizeof(name), "level%d", lv);
		p = posted_pair(f, name);
		if (p == NULL)
			goto out;
		json_object_set_new(p, "level", json_integer(lv));
		json_array_append_new(levels, p);
	}
	for (int i = 1; i <= RATING_REASONS_MAX; i++) {
		char name[24], field[32];
		const char *code;
		json_t *p;

		snprintf(name, sizeof(name), "reason%d", i);
		snprintf(field, sizeof(field), "reason%d_code", i);
		code = form_get(f, field);
		p = posted_pair(f, name);
		if (p == NULL || code == NULL ||
		    !utf8_is_valid(code, strlen(code))) {
			json_decref(p);
			goto out;
		}
		/* a row left empty drops the reason */
		if (code[0] == '\0' &&
		    json_string_length(json_object_get(p, "vi")) == 0 &&
		    json_string_length(json_object_get(p, "en")) == 0) {
			json_decref(p);
			continue;
		}
		json_object_set_new(p, "code", json_string(code));
		json_array_append_new(reasons, p);
	}
	json_object_set(doc, "levels", levels);
	json_object_set(doc, "reasons", reasons);
	out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(levels);
	json_decref(reasons);
	json_decref(doc);
	return out;
}

void
page_setup_instrument_post(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct setup_call s;
	const char *eff;
	char *body = NULL, what[16];
	int month = 0, version = 0, rc;

	if (setup_unit(c, SETUP_INSTRUMENT, &u) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	eff = form_get(&form, "effective");
	if (eff == NULL || month_parse(eff, strlen(eff), &month) < 0) {
		render(c, &u, 400,
		    TR(c, "Chọn tháng áp dụng dạng YYYY-MM, ví dụ 2027-01.",
			"Choose the month it applies from, as YYYY-MM "
			"(2027-01)."),
		    &form);
		goto out;
	}
	body = new_body(c, &form);
	if (body == NULL) {
		render(c, &u, 400,
		    TR(c,
			"Biểu mẫu thiếu nội dung hoặc có ký tự không hợp lệ: "
			"hãy điền câu hỏi và các mức bằng cả hai ngôn ngữ.",
			"A text is missing or not valid text: fill in the "
			"question and the levels in both languages."),
		    &form);
		goto out;
	}
	setup_call_init(c, &s);
	rc = instrument_add(
	    ctx_db(c), &s.ch, month, body, strlen(body), &version);
	if (rc == SETUP_BAD) {
		render(c, &u, 400, s.err, &form);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		/* this server's form and kiosks read the new version at once */
		instrument_cache_touch(c->srv->instruments);
		snprintf(what, sizeof(what), "%d", version);
		setup_done(
		    c, u.code, SETUP_INSTRUMENT, "instrument.add", what, "");
	}
out:
	free(body);
	form_release(&form);
}
