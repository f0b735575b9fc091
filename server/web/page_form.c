/* page_form.c -- the citizen's short form: GET and POST /q/<token>. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/cookie.h"
#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"
#include "core/callbacks.h"
#include "core/fmt.h"
#include "core/instrument.h"
#include "core/ratelimit.h"
#include "core/ratings.h"
#include "core/store.h"
#include "core/procedures.h"
#include "core/units.h"
#include "core/writer.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"

#define NONCE_LEN 22 /* base64url of 16 bytes */

/* The page's words in its language (Vietnamese first). */
#define W(vi, en) (lang == LANG_EN ? (en) : (vi))

/* How many procedures the form lists at most: never a long scroll. */
#define COUNTER_PROCEDURES_MAX 15
#define FOUND_PROCEDURES_MAX 8

/* The fields of the form, for errors beside each one. */
enum field {
	F_FORM, /* the form as a whole */
	F_LEVEL,
	F_C1, /* F_C1 + i for criterion i */
	F_C9 = F_C1 + 8,
	F_SUPPLEMENT,
	F_ONLINE_ERROR,
	F_VISITS,
	F_COMMENT,
	F_PHONE,
	F_PROCEDURE,
	F_REASONS,
	F_ABOUT, /* requester, assisted */
	F_COUNT
};

static const char *const criterion_names[RATING_CRITERIA] = { "c1", "c2", "c3",
	"c4", "c5", "c6", "c7", "c8", "c9" };

/* What the token points at, with the names to show. */
struct target {
	struct token tok;
	char token[TOKEN_MAX_LEN + 1];
	char unit_name[301];
	char counter_name[201];
	char procedure_name[501];
};

/* A POST on its way through the writer. */
struct form_post {
	struct ctx *c;
	struct target t;
	struct form in;
	struct writer_job job;
};

static int
key_from_db(int kid, unsigned char key[TOKEN_KEY_LEN], void *arg)
{
	return store_token_key(arg, kid, key);
}

/* Copy a name looked up (cut to size) and empty name for the next. */
static void
name_copy(struct buf *name, char *out, size_t size)
{
	strlcpy_hl(out, buf_str(name), size);
	buf_release(name);
}

/*
 * Check the token and look up what it names.  0 when genuine and
 * everything it names exists, 1 when not (answer 404), -1 on a database
 * error.
 */
static int
load_target(struct db *db, const char *token, struct target *t)
{
	struct buf name = { 0 };

	memset(t, 0, sizeof(*t));
	if (token == NULL || strlen(token) > TOKEN_MAX_LEN ||
	    token_verify(token, strlen(token), key_from_db, db, &t->tok) < 0)
		return 1;
	strlcpy_hl(t->token, token, sizeof(t->token));
	units_name(db, t->tok.unit, &name);
	name_copy(&name, t->unit_name, sizeof(t->unit_name));
	if (t->unit_name[0] == '\0')
		return 1;
	if (t->tok.counter > 0) {
		units_counter_name(db, t->tok.unit, t->tok.counter, &name);
		name_copy(&name, t->counter_name, sizeof(t->counter_name));
		if (t->counter_name[0] == '\0')
			return 1;
	}
	if (t->tok.procedure[0] != '\0') {
		procedures_get(db, t->tok.procedure, &name, NULL);
		name_copy(&name, t->procedure_name, sizeof(t->procedure_name));
		if (t->procedure_name[0] == '\0')
			return 1;
	}
	return 0;
}

/*
 * Verified targets, per HTTP thread: one poster's token serves many
 * citizens, and each would otherwise cost a MAC key lookup and four
 * queries.  An entry lives TARGET_TTL seconds, so a renamed unit, a
 * removed counter or a retired key takes effect within a minute.
 */
#define TARGET_CACHE 32
#define TARGET_TTL 60

struct cached_target {
	int64_t until;
	struct target t;
};

struct target_cache {
	unsigned next;
	struct cached_target entry[TARGET_CACHE];
};

static struct thread_block target_caches = THREAD_BLOCK_INIT;

static int
cached_target(struct db *db, const char *token, struct target *t)
{
	struct target_cache *tc = thread_block(&target_caches, sizeof(*tc));
	int64_t now = hl_now();
	int rc;

	for (int i = 0; token != NULL && i < TARGET_CACHE; i++) {
		if (tc->entry[i].until > now &&
		    strcmp(tc->entry[i].t.token, token) == 0) {
			*t = tc->entry[i].t;
			return 0;
		}
	}
	rc = load_target(db, token, t);
	if (rc == 0) {
		tc->entry[tc->next].t = *t;
		tc->entry[tc->next].until = now + TARGET_TTL;
		tc->next = (tc->next + 1) % TARGET_CACHE;
	}
	return rc;
}

/*
 * Large text and high contrast: ?big=1 turns it on and ?big=0 off, and
 * a cookie remembers it for the next visit (only for /q/ pages).
 */
static bool
big_mode(struct ctx *c)
{
	const char *q = form_get(&c->query, "big");
	const char *h;
	char v[4];

	if (q != NULL && (strcmp(q, "1") == 0 || strcmp(q, "0") == 0)) {
		http_set_header(&c->req->resp, "Set-Cookie",
		    q[0] == '1' ? "hl_big=1; Path=/q/; Max-Age=31536000; "
				  "SameSite=Lax; HttpOnly"
				: "hl_big=; Path=/q/; Max-Age=0; SameSite=Lax; "
				  "HttpOnly");
		return q[0] == '1';
	}
	h = http_header(c->req, "Cookie");
	return h != NULL &&
	    cookie_get(h, strlen(h), "hl_big", v, sizeof(v)) == 0 &&
	    strcmp(v, "1") == 0;
}

/* The query of the page's own links: language and large text kept. */
static const char *
page_query(enum lang lang, bool big)
{
	if (lang == LANG_EN)
		return big ? "?lang=en&amp;big=1" : "?lang=en";
	return big ? "?big=1" : "";
}

/*
 * The thank-you page: which unit (and counter) was rated, what happens
 * next, and a way back.
 */
static void
page_thanks(struct ctx *c, const struct target *t, const struct rating *r)
{
	struct buf *b = &c->req->resp.body;
	enum lang lang = c->lang;
	bool big = big_mode(c);

	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	html_begin(b, lang, tr(lang, M_THANKS_TITLE), "/static/form.css");
	buf_printf(
	    b, "<main class=\"card message s200%s\">\n<h1>", big ? " big" : "");
	buf_html(b, tr(lang, M_THANKS_TITLE));
	buf_puts(b, "</h1>\n<p class=\"rated\">");
	buf_html(b, W("Đánh giá của Ông/Bà về ", "Your rating of "));
	buf_puts(b, "<strong class=\"unit\">");
	buf_html(b, t->unit_name);
	buf_puts(b, "</strong>");
	if (t->tok.counter > 0) {
		buf_puts(b, " — <span class=\"counter\">");
		buf_html(b, t->counter_name);
		buf_puts(b, "</span>");
	}
	buf_html(b, W(" đã được ghi nhận.", " has been recorded."));
	buf_puts(b, "</p>\n<h2>");
	buf_html(b, W("Tiếp theo", "What happens next"));
	buf_puts(b, "</h2>\n<ul class=\"next\">\n");
	if (r->phone[0] != '\0') {
		buf_puts(b, "<li class=\"callback\">");
		buf_html(b,
		    W("Cán bộ của đơn vị sẽ gọi lại cho Ông/Bà theo số điện "
		      "thoại đã để lại, chỉ để trao đổi về ý kiến này, chậm "
		      "nhất ngày ",
			"The office will call you back on the number you gave, "
			"only about this feedback, by "));
		/* the queue's due rule (callbacks.h): 2 working days */
		buf_puts(b, "<strong class=\"due\">");
		fmt_date(b, lang,
		    callbacks_due_at(
			r->received_at > 0 ? r->received_at : hl_now()) -
			1);
		buf_puts(b, "</strong>.</li>\n");
	}
	if (r->comment != NULL || r->level <= 2) {
		buf_puts(b, "<li>");
		buf_html(b,
		    W("Ý kiến của Ông/Bà được chuyển tới lãnh đạo đơn vị để "
		      "xem xét, khắc phục.",
			"Your feedback goes to the office's leaders to act "
			"on."));
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "<li>");
	buf_html(b,
	    W("Kết quả đánh giá của đơn vị được tổng hợp hằng tháng và công "
	      "khai.",
		"The office's results are summed up every month and "
		"published."));
	buf_puts(b, "</li>\n</ul>\n<p class=\"links\">");
	buf_printf(b, "<a href=\"/cong-khai/%s%s\">", t->tok.unit,
	    lang == LANG_EN ? "?lang=en" : "");
	buf_html(b,
	    W("Xem kết quả đánh giá của đơn vị", "See the office's results"));
	buf_puts(b, "</a>");
	/* a dossier's link is used up; a counter's poster serves again */
	if (t->tok.kind != TOKEN_DOSSIER) {
		buf_printf(
		    b, "<a href=\"/q/%s%s\">", t->token, page_query(lang, big));
		buf_html(b,
		    W("Đánh giá một thủ tục khác", "Rate another procedure"));
		buf_puts(b, "</a>");
	}
	buf_puts(b, "</p>\n</main>\n");
	html_end(b);
}

/* A face: drawn by the stylesheet (.face.f1 .. .f5): a few bytes. */
static void
face_svg(struct buf *b, int level)
{
	buf_printf(b, "<i class=\"face f%d\"></i>", level);
}

static void
field_error(
    struct buf *b, const int *err, enum field f, enum lang lang, const char *id)
{
	if (err == NULL || err[f] == 0)
		return;
	buf_printf(b, "<p class=\"err\" id=\"%s-err\">", id);
	buf_html(b, tr(lang, (enum msg)(err[f] - 1)));
	buf_puts(b, "</p>\n");
}

/*
 * A posted value to show again, or "": bytes that are not UTF-8 text are
 * never echoed (the page must stay well-formed UTF-8).
 */
static const char *
posted(const struct form *in, const char *name)
{
	size_t len = 0;
	const char *v = in != NULL ? form_get_len(in, name, &len) : NULL;

	if (v == NULL || !utf8_is_valid(v, len))
		return "";
	return v;
}

/* Whether `value` is among the posted values of `name`. */
static bool
posted_has(const struct form *in, const char *name, const char *value)
{
	for (int i = 0; in != NULL && i < in->n; i++)
		if (strcmp(in->f[i].name, name) == 0 &&
		    strcmp(in->f[i].value, value) == 0)
			return true;
	return false;
}

/* A list choice: a radio or checkbox with its label around it. */
static void
choice(struct buf *b, const char *type, const char *name, const char *value,
    const char *id, const char *label, bool checked)
{
	buf_printf(b,
	    "<label class=\"opt\"><input type=\"%s\" name=\"%s\" "
	    "value=\"%s\" id=\"%s\"%s> ",
	    type, name, value, id, checked ? " checked" : "");
	buf_html(b, label);
	buf_puts(b, "</label>\n");
}

/*
 * A chip: a compact radio button, its label around it (few bytes: the
 * page must stay small on a slow phone line).  id may be NULL.
 */
static void
chip(struct buf *b, const char *name, const char *value, const char *id,
    const char *label, bool checked)
{
	buf_printf(b,
	    "<label class=chip><input type=radio name=%s value=\"%s\"", name,
	    value);
	if (id != NULL)
		buf_printf(b, " id=\"%s\"", id);
	buf_printf(b, "%s>", checked ? " checked" : "");
	buf_html(b, label);
	buf_puts(b, "</label>\n");
}

/* The procedures listed on the form, without repeats. */
struct proc_list {
	struct buf *b;
	const char *chosen;
	char shown[COUNTER_PROCEDURES_MAX + FOUND_PROCEDURES_MAX + 1][9];
	int nshown;
	int limit;  /* of this list */
	int listed; /* of this list */
	int more;   /* matched beyond the limit */
	char first[16];
};

static bool
proc_shown(const struct proc_list *pl, const char *code)
{
	for (int i = 0; i < pl->nshown; i++)
		if (strcmp(pl->shown[i], code) == 0)
			return true;
	return false;
}

/* One procedure: a radio; a long name is cut to three lines till chosen. */
static void
proc_radio(struct proc_list *pl, const char *code, const char *name)
{
	char id[16];

	snprintf(id, sizeof(id), "p-%s", code);
	if (pl->first[0] == '\0')
		strlcpy_hl(pl->first, id, sizeof(pl->first));
	buf_printf(pl->b,
	    "<label class=\"opt proc\"><input type=\"radio\" "
	    "name=\"procedure\" value=\"%s\" id=\"%s\"%s><span>",
	    code, id, strcmp(code, pl->chosen) == 0 ? " checked" : "");
	buf_html(pl->b, name);
	buf_puts(pl->b, "</span></label>\n");
	if (pl->nshown < (int)(sizeof(pl->shown) / sizeof(pl->shown[0])))
		strlcpy_hl(pl->shown[pl->nshown++], code, sizeof(pl->shown[0]));
}

static int
proc_row(void *arg, const struct procedure_row *p)
{
	struct proc_list *pl = arg;

	if (proc_shown(pl, p->code))
		return 0;
	if (pl->listed >= pl->limit) {
		pl->more++;
		return pl->more > 999; /* enough to say "more" */
	}
	proc_radio(pl, p->code, p->name);
	pl->listed++;
	return 0;
}

/* Count (in ->more) up to one past the list's limit, listing nothing. */
static int
proc_count(void *arg, const struct procedure_row *p)
{
	struct proc_list *pl = arg;

	(void)p;
	return ++pl->more > FOUND_PROCEDURES_MAX;
}

/* The fields (lĩnh vực) of the catalogue, for a choice by field. */
struct field_list {
	struct buf *b;
	int n;
	int want;       /* the index asked for, or -1 */
	char name[201]; /* its name */
};

static void
field_button(void *arg, const char *field)
{
	struct field_list *fl = arg;

	if (fl->b != NULL) {
		buf_printf(fl->b, "<button class=chip name=pf value=%d%s>",
		    fl->n, fl->n == 0 ? " id=\"pf-0\"" : "");
		buf_html(fl->b, field);
		buf_puts(fl->b, "</button>\n");
	}
	if (fl->n == fl->want)
		strlcpy_hl(fl->name, field, sizeof(fl->name));
	fl->n++;
}

/*
 * The procedure the citizen had: the counter's own first (a few, never a
 * long scroll), then a search of the unit's others (the form posts itself
 * back with the answers kept: no script needed), or a choice by field.
 * *first gets the id of the block's first control (for the focus).
 */
static void
procedure_picker(struct buf *b, struct db *db, const struct target *t,
    const struct form *in, const int *err, enum lang lang, char *first,
    size_t first_len)
{
	struct proc_list pl;
	struct field_list fl = { NULL, 0, -1, "" };
	const char *q = posted(in, "pq");
	const char *pf = posted(in, "pf");
	int64_t fi;

	memset(&pl, 0, sizeof(pl));
	pl.b = b;
	pl.chosen = posted(in, "procedure");
	if (pf[0] != '\0' && parse_int64(pf, strlen(pf), 0, 999, &fi) == 0) {
		fl.want = (int)fi;
		procedures_each_field(db, field_button, &fl);
		if (fl.name[0] != '\0')
			q = fl.name;
	}
	buf_puts(b, "<fieldset class=\"procs\" id=\"procedure\">\n<legend>");
	buf_html(b, W("Thủ tục Ông/Bà vừa làm", "The procedure you had"));
	buf_printf(b, " <span class=\"req\">(%s)</span></legend>\n",
	    tr(lang, M_REQUIRED));
	field_error(b, err, F_PROCEDURE, lang, "procedure");
	/* the one chosen before a search, kept */
	if (pl.chosen[0] != '\0' &&
	    is_procedure_code(pl.chosen, strlen(pl.chosen)) &&
	    procedures_offered_by(db, t->tok.unit, pl.chosen)) {
		struct buf name = { 0 };

		procedures_get(db, pl.chosen, &name, NULL);
		proc_radio(&pl, pl.chosen, buf_str(&name));
		buf_release(&name);
	}
	if (t->tok.counter > 0) {
		pl.limit = COUNTER_PROCEDURES_MAX;
		procedures_list(db, t->tok.unit, t->tok.counter, false, NULL,
		    proc_row, &pl);
	}
	/* no list of the counter's: the unit's, when they are a few */
	if (pl.nshown == 0 && q[0] == '\0') {
		struct proc_list count;

		memset(&count, 0, sizeof(count));
		count.chosen = "";
		procedures_offered(db, t->tok.unit, NULL, proc_count, &count);
		if (count.more <= FOUND_PROCEDURES_MAX) {
			pl.limit = FOUND_PROCEDURES_MAX;
			procedures_offered(
			    db, t->tok.unit, NULL, proc_row, &pl);
		}
	}
	if (pl.nshown > 0 && q[0] == '\0')
		buf_printf(b, "<p class=\"hint\">%s</p>\n",
		    W("Không thấy thủ tục của mình? Tìm ở dưới.",
			"Not listed? Search below."));
	buf_puts(b, "<div class=\"find\"><label for=\"pq\">");
	buf_html(b,
	    pl.nshown > 0 ? W("Tìm thủ tục khác", "Find another")
			  : W("Tìm thủ tục", "Find the procedure"));
	buf_puts(b, "</label><span class=\"hint\" id=\"pq-hint\">");
	buf_html(b,
	    W("Gõ vài chữ trong tên, ví dụ: khai sinh",
		"A few words of its name, e.g. birth"));
	buf_puts(b,
	    "</span><span class=\"row\"><input type=\"search\" name=\"pq\" "
	    "id=\"pq\" maxlength=\"60\" aria-describedby=\"pq-hint\" "
	    "value=\"");
	buf_html(b, q == fl.name ? "" : q);
	buf_puts(b,
	    "\"><button type=\"submit\" class=\"sec\" name=\"find\" "
	    "value=\"1\">");
	buf_html(b, W("Tìm", "Find"));
	buf_puts(b, "</button></span></div>\n");
	if (q[0] != '\0') {
		int before = pl.nshown;

		pl.limit = FOUND_PROCEDURES_MAX;
		pl.listed = pl.more = 0;
		pl.first[0] = '\0';
		buf_puts(b, "<div class=\"found\" id=\"found\">\n");
		procedures_offered(db, t->tok.unit, q, proc_row, &pl);
		if (pl.nshown == before) {
			buf_puts(b, "<p class=\"hint\">");
			buf_html(b,
			    W("Không tìm thấy. Hãy thử chữ khác.",
				"Nothing found. Try other words."));
			buf_puts(b, "</p>\n");
		} else if (pl.more > 0) {
			buf_printf(b, "<p class=\"hint\">%s%d%s</p>\n",
			    W("Còn ", ""), pl.more,
			    W(" thủ tục nữa: gõ thêm chữ để thu hẹp.",
				" more: type more words to narrow."));
		}
		buf_puts(b, "</div>\n");
	} else if (pl.nshown == 0 && posted(in, "fields")[0] != '\0') {
		/* no counter list: a choice by field, not 92 names */
		fl.b = b;
		fl.n = 0;
		buf_puts(b, "<p class=\"hint\">");
		buf_html(b, W("Hoặc chọn lĩnh vực:", "Or choose a field:"));
		buf_puts(b, "</p>\n<div class=\"chips fields\">\n");
		procedures_each_field(db, field_button, &fl);
		buf_puts(b, "</div>\n");
		strlcpy_hl(pl.first, "pf-0", sizeof(pl.first));
	} else if (pl.nshown == 0) {
		/* the fields come on a tap: the first visit stays small */
		buf_puts(b, "<button class=\"sec more\" name=fields value=1>");
		buf_html(b, W("Hoặc chọn theo lĩnh vực", "Or choose a field"));
		buf_puts(b, "</button>\n");
	}
	buf_puts(b, "</fieldset>\n");
	strlcpy_hl(first, pl.first[0] != '\0' ? pl.first : "pq", first_len);
}

static void
yes_no(struct buf *b, const char *name, enum msg question,
    const struct form *in, const int *err, enum field f, enum lang lang)
{
	const char *v = posted(in, name);
	char id[48];

	buf_puts(b, "<fieldset class=\"crit\">\n<legend>");
	buf_html(b, tr(lang, question));
	buf_puts(b, "</legend>\n");
	field_error(b, err, f, lang, name);
	buf_puts(b, "<div class=\"chips\">\n");
	snprintf(id, sizeof(id), "%s-1", name);
	chip(b, name, "1", id, tr(lang, M_YES), strcmp(v, "1") == 0);
	chip(b, name, "0", NULL, tr(lang, M_NO), strcmp(v, "0") == 0);
	chip(b, name, "", NULL, tr(lang, M_NO_ANSWER),
	    strcmp(v, "1") != 0 && strcmp(v, "0") != 0);
	buf_puts(b, "</div>\n</fieldset>\n");
}

/* The nine criteria and three questions: optional, behind a disclosure. */
static void
criteria_block(struct buf *b, const struct instrument *ins,
    const struct form *in, const int *err, enum lang lang)
{
	bool open =
	    posted(in, "detail")[0] != '\0' || posted(in, "ds")[0] != '\0';

	/* shown when asked for, or something inside is wrong or answered */
	for (int f = F_C1; f <= F_VISITS; f++)
		if (err != NULL && err[f] != 0)
			open = true;
	for (int i = 0; i < RATING_CRITERIA; i++)
		if (posted(in, criterion_names[i])[0] != '\0')
			open = true;
	if (posted(in, "supplement_reported")[0] != '\0' ||
	    posted(in, "online_error_reported")[0] != '\0' ||
	    posted(in, "visits")[0] != '\0')
		open = true;
	if (!open) {
		/*
		 * Only a button: the nine criteria weigh more than the rest
		 * of the page, so they come when asked for (the form posts
		 * itself back, the answers kept).
		 */
		buf_puts(b,
		    "<button type=\"submit\" class=\"sec more\" "
		    "name=\"detail\" value=\"1\">");
		buf_html(b, tr(lang, M_DETAIL));
		buf_puts(b, "</button>\n");
		return;
	}
	buf_puts(b, "<details class=\"detail\" id=\"detail\" open>\n<summary>");
	buf_html(b, tr(lang, M_DETAIL));
	buf_puts(b,
	    "</summary>\n<input type=\"hidden\" name=\"ds\" "
	    "value=\"1\">\n");
	for (int i = 0; i < RATING_CRITERIA; i++) {
		const struct instrument_criterion *cr = &ins->criteria[i];
		const char *name = criterion_names[i];
		const char *v = posted(in, name);
		bool any = false;
		char id[16], val[4];

		buf_printf(b, "<fieldset class=\"crit\">\n<legend>%d. ", i + 1);
		buf_html(b, itext(&cr->label, lang));
		buf_puts(b, "</legend>\n");
		field_error(b, err, F_C1 + i, lang, name);
		buf_puts(b, "<div class=\"chips\">\n");
		for (int k = 0; k < cr->nopts; k++) {
			bool on;

			snprintf(val, sizeof(val), "%d", cr->opt[k].points);
			snprintf(id, sizeof(id), "%s-%d", name, k);
			on = strcmp(v, val) == 0;
			any |= on;
			chip(b, name, val, k == 0 ? id : NULL,
			    itext(&cr->opt[k].label, lang), on);
		}
		chip(b, name, "", NULL, tr(lang, M_NO_ANSWER), !any);
		buf_puts(b, "</div>\n</fieldset>\n");
	}
	yes_no(b, "supplement_reported", M_Q_SUPPLEMENT, in, err, F_SUPPLEMENT,
	    lang);
	yes_no(b, "online_error_reported", M_Q_ONLINE_ERROR, in, err,
	    F_ONLINE_ERROR, lang);
	buf_puts(b, "<div class=\"field\">\n<label for=\"visits\">");
	buf_html(b, tr(lang, M_Q_VISITS));
	buf_puts(b, "</label>\n");
	field_error(b, err, F_VISITS, lang, "visits");
	buf_puts(b,
	    "<input type=\"number\" name=\"visits\" id=\"visits\" "
	    "min=\"1\" max=\"99\" inputmode=\"numeric\" value=\"");
	buf_html(b, posted(in, "visits"));
	buf_puts(b, "\">\n</div>\n</details>\n");
}

/*
 * The card's header: language switch, large text, where the rating is
 * about, title.
 */
static void
form_header(struct buf *b, const struct target *t, enum lang lang, bool big)
{
	buf_printf(b,
	    "<main class=\"card%s\">\n<header>\n<p class=\"tools\">"
	    "<a href=\"?lang=%s\" lang=\"%s\">",
	    big ? " big" : "", lang == LANG_EN ? "vi" : "en",
	    lang == LANG_EN ? "vi" : "en");
	buf_html(b, tr(lang, M_LANG_SWITCH));
	buf_printf(b, "</a><a href=\"?%sbig=%d\" id=\"big\">",
	    lang == LANG_EN ? "lang=en&amp;" : "", big ? 0 : 1);
	buf_html(b,
	    big ? W("Chữ thường", "Normal text") : W("Chữ lớn", "Large text"));
	buf_puts(b, "</a></p>\n<p class=\"unit\">");
	buf_html(b, t->unit_name);
	buf_puts(b, "</p>\n");
	if (t->tok.counter > 0) {
		buf_puts(b, "<p class=\"where\">");
		buf_html(b, t->counter_name);
		buf_puts(b, "</p>\n");
	}
	if (t->procedure_name[0] != '\0') {
		buf_puts(b, "<p class=\"where\">");
		buf_html(b, t->procedure_name);
		buf_puts(b, "</p>\n");
	}
	if (t->tok.dossier[0] != '\0') {
		buf_puts(b, "<p class=\"where\">");
		buf_html(b, tr(lang, M_DOSSIER_N));
		buf_putc(b, ' ');
		buf_html(b, t->tok.dossier);
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "<h1>");
	buf_html(b, tr(lang, M_FORM_TITLE));
	buf_puts(b, "</h1>\n</header>\n");
}

/* The five faces: the one required answer. */
static void
faces_block(struct buf *b, const struct instrument *ins, const struct form *in,
    const int *err, enum lang lang)
{
	const char *level = posted(in, "level");

	buf_puts(b, "<fieldset class=\"faces\" id=\"level\">\n<legend>");
	buf_html(b, itext(&ins->question, lang));
	buf_printf(b, " <span class=\"req\">(%s)</span></legend>\n",
	    tr(lang, M_REQUIRED));
	field_error(b, err, F_LEVEL, lang, "level");
	buf_puts(b, "<div class=\"row\">\n");
	for (int lv = 5; lv >= 1; lv--) {
		char v[2] = { (char)('0' + lv), '\0' };

		buf_printf(b,
		    "<input type=radio name=level value=\"%d\" "
		    "id=\"level-%d\"%s>\n<label for=\"level-%d\">",
		    lv, lv, strcmp(level, v) == 0 ? " checked" : "", lv);
		face_svg(b, lv);
		buf_html(b, itext(&ins->level[lv], lang));
		buf_puts(b, "</label>\n");
	}
	buf_puts(b, "</div>\n</fieldset>\n");
}

/*
 * The reasons of a low score (levels 1-2, as the kiosk asks them), from
 * the questionnaire in force.  The stylesheet shows them once a low face
 * is chosen; a browser without :has() shows them always.
 */
static void
reasons_block(struct buf *b, const struct instrument *ins,
    const struct form *in, const int *err, enum lang lang)
{
	char id[RATING_REASON_MAX_LEN + 4];

	if (ins->nreasons == 0)
		return;
	buf_puts(b, "<fieldset class=\"reasons\" id=\"reasons\">\n<legend>");
	buf_html(b,
	    W("Nếu chưa hài lòng: điều gì chưa tốt?",
		"If not satisfied: what was wrong?"));
	buf_printf(b, " <span class=\"req\">(%s)</span></legend>\n",
	    W("chọn một hay nhiều, không bắt buộc", "any, optional"));
	field_error(b, err, F_REASONS, lang, "reasons");
	for (int i = 0; i < ins->nreasons; i++) {
		snprintf(id, sizeof(id), "r-%s", ins->reason[i].code);
		choice(b, "checkbox", "reason", ins->reason[i].code, id,
		    itext(&ins->reason[i].label, lang),
		    posted_has(in, "reason", ins->reason[i].code));
	}
	buf_puts(b, "</fieldset>\n");
}

/* Who rates (optional): citizen or business, and a helper's mark. */
static void
about_block(
    struct buf *b, const struct form *in, const int *err, enum lang lang)
{
	const char *who = posted(in, "requester");

	buf_puts(b, "<fieldset class=\"about\" id=\"about\">\n<legend>");
	buf_html(b, W("Ông/Bà là", "You are"));
	buf_printf(b, " <span class=\"req\">(%s)</span></legend>\n",
	    W("không bắt buộc", "optional"));
	field_error(b, err, F_ABOUT, lang, "about");
	buf_puts(b, "<div class=\"chips\">\n");
	chip(b, "requester", "citizen", "req-citizen",
	    W("Người dân", "Citizen"), strcmp(who, "citizen") == 0);
	chip(b, "requester", "business", "req-business",
	    W("Doanh nghiệp", "Business"), strcmp(who, "business") == 0);
	buf_puts(b, "</div>\n");
	choice(b, "checkbox", "assisted", "1", "assisted",
	    W("Có người hỗ trợ nhập đánh giá",
		"Someone helped me enter this rating"),
	    strcmp(posted(in, "assisted"), "1") == 0);
	buf_puts(b, "</fieldset>\n");
}

static void
comment_block(
    struct buf *b, const struct form *in, const int *err, enum lang lang)
{
	buf_puts(b, "<div class=\"field\">\n<label for=\"comment\">");
	buf_html(b, tr(lang, M_COMMENT));
	buf_puts(b, "</label>\n<p class=\"hint\">");
	buf_html(b, tr(lang, M_COMMENT_HINT));
	buf_puts(b, "</p>\n");
	field_error(b, err, F_COMMENT, lang, "comment");
	buf_puts(b,
	    "<textarea name=\"comment\" id=\"comment\" rows=\"3\" "
	    "maxlength=\"1000\">");
	buf_html(b, posted(in, "comment"));
	buf_puts(b, "</textarea>\n</div>\n");
}

/* The call back: consent (never ticked for the citizen) and phone. */
static void
callback_block(struct buf *b, const struct instrument *ins,
    const struct form *in, const int *err, enum lang lang)
{
	buf_puts(b, "<fieldset class=\"callback\">\n<legend>");
	buf_html(b, tr(lang, M_CALLBACK));
	buf_puts(b, "</legend>\n");
	field_error(b, err, F_PHONE, lang, "phone");
	/* the opt-in is never ticked for the citizen: silence is no consent */
	choice(b, "checkbox", "consent", "1", "consent",
	    itext(&ins->consent, lang),
	    strcmp(posted(in, "consent"), "1") == 0);
	buf_puts(b, "<label for=\"phone\">");
	buf_html(b, tr(lang, M_PHONE));
	buf_puts(b,
	    "</label>\n<input type=\"tel\" name=\"phone\" id=\"phone\" "
	    "inputmode=\"tel\" autocomplete=\"tel\" maxlength=\"20\" value=\"");
	buf_html(b, posted(in, "phone"));
	buf_puts(b, "\">\n</fieldset>\n");
}

/* The bot trap, the submit button and the anonymity note. */
static void
form_footer(struct buf *b, enum lang lang)
{
	/* a trap for bots: hidden by the stylesheet, empty for people */
	buf_puts(b,
	    "<div class=\"hp\" aria-hidden=\"true\"><label>Website "
	    "<input type=\"text\" name=\"website\" tabindex=\"-1\" "
	    "autocomplete=\"off\"></label></div>\n");
	buf_puts(b, "<button type=\"submit\" class=\"send\">");
	buf_html(b, tr(lang, M_SUBMIT));
	buf_puts(b, "</button>\n</form>\n<p class=\"note\">");
	buf_html(b, tr(lang, M_ANONYMOUS));
	buf_puts(b, "</p>\n</main>\n");
}

/*
 * The instrument in force now (the form's rating is given now), or NULL
 * after answering 503.  Borrowed from the server's cache.
 */
static const struct instrument *
form_instrument(struct ctx *c, struct db *db)
{
	char why[256];
	const struct instrument *ins = instrument_cache_at(
	    c->srv->instruments, db, hl_now(), why, sizeof(why));

	if (ins == NULL) {
		log_kv(LOG_ERROR, "form", "no instrument: %s", why);
		server_unavailable(c);
	}
	return ins;
}

/* Put `autofocus` on the element of id `id` in the page (if there). */
static void
autofocus(struct buf *b, const char *id)
{
	char needle[64];
	const char *at;
	size_t off;

	snprintf(needle, sizeof(needle), " id=\"%s\"", id);
	at = strstr(buf_str(b), needle);
	if (at == NULL || b->failed)
		return;
	off = (size_t)(at - b->data) + strlen(needle);
	buf_puts(b, " autofocus"); /* grows the buffer; moved below */
	if (b->failed)
		return;
	memmove(b->data + off + 10, b->data + off, b->len - 10 - off);
	memcpy(b->data + off, " autofocus", 10);
}

/* The id of the control to focus for the first error, in page order. */
static const char *
first_error(const int *err, const char *proc_first)
{
	static const char *const crit[] = { "c1-0", "c2-0", "c3-0", "c4-0",
		"c5-0", "c6-0", "c7-0", "c8-0", "c9-0" };

	if (err[F_LEVEL] != 0)
		return "level-5";
	if (err[F_REASONS] != 0)
		return "level-5";
	if (err[F_PROCEDURE] != 0)
		return proc_first;
	if (err[F_ABOUT] != 0)
		return "req-citizen";
	for (int i = 0; i < RATING_CRITERIA; i++)
		if (err[F_C1 + i] != 0)
			return crit[i];
	if (err[F_SUPPLEMENT] != 0)
		return "supplement_reported-1";
	if (err[F_ONLINE_ERROR] != 0)
		return "online_error_reported-1";
	if (err[F_VISITS] != 0)
		return "visits";
	if (err[F_COMMENT] != 0)
		return "comment";
	if (err[F_PHONE] != 0)
		return "phone";
	return NULL;
}

/*
 * The whole form page: fresh (in == NULL), again with the citizen's
 * answers and the errors beside their fields, or again after a search
 * of the procedures (`found`: the focus goes to what was found).
 */
static void
render_form(struct ctx *c, struct db *db, const struct target *t,
    const struct form *in, const int *err, int status)
{
	const struct instrument *ins = form_instrument(c, db);
	struct buf *b = &c->req->resp.body;
	enum lang lang = c->lang;
	char nonce[NONCE_LEN + 1], title[400], proc_first[16] = "";
	const char *old_nonce = posted(in, "nonce"), *focus = NULL;
	bool big;

	if (ins == NULL)
		return;

	/*
	 * Keep the nonce across a correction so a double submit stays one.
	 * New nonces sort by time: the ratings' key index grows at its end.
	 */
	if (nonce_is_valid(old_nonce))
		memcpy(nonce, old_nonce, NONCE_LEN + 1);
	else
		ordered_nonce(nonce);
	snprintf(title, sizeof(title), "%s — %s", tr(lang, M_FORM_TITLE),
	    t->unit_name);
	http_begin_body(c->req, status, "text/html; charset=utf-8");
	big = big_mode(c);
	html_begin(b, lang, title, "/static/form.css");
	form_header(b, t, lang, big);
	if (err != NULL) {
		buf_puts(b, "<p class=\"alert\" role=\"alert\">");
		buf_html(b, tr(lang, M_ERR_SUMMARY));
		buf_puts(b, "</p>\n");
		field_error(b, err, F_FORM, lang, "form");
	}
	/* novalidate: the server checks, in the page's language */
	buf_printf(b,
	    "<form method=\"post\" action=\"/q/%s%s\" "
	    "accept-charset=\"utf-8\" novalidate>\n",
	    t->token, page_query(lang, big));
	buf_printf(b,
	    "<input type=\"hidden\" name=\"nonce\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"consent_version\" value=\"%d\">\n",
	    nonce, ins->consent_version);
	faces_block(b, ins, in, err, lang);
	reasons_block(b, ins, in, err, lang);
	if (t->tok.procedure[0] == '\0')
		procedure_picker(
		    b, db, t, in, err, lang, proc_first, sizeof(proc_first));
	comment_block(b, in, err, lang);
	criteria_block(b, ins, in, err, lang);
	about_block(b, in, err, lang);
	callback_block(b, ins, in, err, lang);
	form_footer(b, lang);
	html_end(b);
	if (err != NULL)
		focus = first_error(err, proc_first);
	else if (in != NULL &&
	    (form_get(in, "find") != NULL || form_get(in, "pf") != NULL ||
		form_get(in, "fields") != NULL))
		focus = proc_first; /* back from a search: what was found */
	else if (in != NULL && form_get(in, "detail") != NULL)
		focus = "c1-0"; /* the criteria asked for */
	if (focus != NULL && focus[0] != '\0')
		autofocus(b, focus);
}

/*
 * A QR code naming a dossier of another unit (made by staff of `unit`
 * for a dossier not theirs): refused with a page that says so, so that
 * no unit's rating makes another unit's dossier bad.  True when refused
 * (the answer is sent).
 */
static bool
dossier_refused(
    struct ctx *c, struct db *db, const char *unit, const char *dossier)
{
	char owner[41];
	int rc = ratings_dossier_foreign(db, unit, dossier, owner);

	if (rc < 0)
		server_unavailable(c);
	else if (rc > 0)
		page_message(
		    c, 403, M_DOSSIER_FOREIGN_TITLE, M_DOSSIER_FOREIGN_TEXT);
	return rc != 0;
}

/*
 * A token naming a disabled counter or unit: refused with a 410 page
 * (the check is outside the target cache, so it holds from the moment
 * of the change).  True when refused (the answer is sent).
 */
static bool
closed_refused(struct ctx *c, struct db *db, const struct target *t)
{
	int64_t unit_at, counter_at, now = hl_now();

	if (units_closed_since(
		db, t->tok.unit, t->tok.counter, &unit_at, &counter_at) < 0) {
		server_unavailable(c);
		return true;
	}
	if (counter_at != 0 && counter_at <= now) {
		page_message(
		    c, 410, M_COUNTER_CLOSED_TITLE, M_COUNTER_CLOSED_TEXT);
		return true;
	}
	if (unit_at != 0 && unit_at <= now) {
		page_message(c, 410, M_UNIT_CLOSED_TITLE, M_UNIT_CLOSED_TEXT);
		return true;
	}
	return false;
}

/* A link past its expiry (token.h version 2): refused with a 410 page. */
static bool
expired_refused(struct ctx *c, const struct target *t)
{
	if (!token_is_expired(&t->tok, hl_now()))
		return false;
	page_message(c, 410, M_LINK_EXPIRED_TITLE, M_LINK_EXPIRED_TEXT);
	return true;
}

void
page_q_get(struct ctx *c)
{
	struct db *db = ctx_db(c);
	struct target t;
	int rc;

	if (db == NULL) {
		server_unavailable(c);
		return;
	}
	rc = cached_target(db, ctx_param(c, 0), &t);
	if (rc != 0) {
		if (rc < 0)
			server_unavailable(c);
		else
			page_message(
			    c, 404, M_BAD_TOKEN_TITLE, M_BAD_TOKEN_TEXT);
		return;
	}
	if (closed_refused(c, db, &t) || expired_refused(c, &t))
		return;
	if (t.tok.kind == TOKEN_DOSSIER &&
	    ratings_dossier_used(db, t.tok.dossier)) {
		page_message(c, 200, M_DOSSIER_USED_TITLE, M_DOSSIER_USED_TEXT);
		return;
	}
	if (dossier_refused(c, db, t.tok.unit, t.tok.dossier))
		return;
	render_form(c, db, &t, NULL, NULL, 200);
}

/* An optional 0/1/2 (criteria) or 0/1 (yes/no) answer. */
static int
opt_choice(const struct form *in, const char *name, int max, int *out)
{
	const char *v = form_get(in, name);

	*out = -1;
	if (form_count(in, name) > 1)
		return -1;
	if (v == NULL || v[0] == '\0')
		return 0;
	if (v[1] != '\0' || v[0] < '0' || v[0] > '0' + max)
		return -1;
	*out = v[0] - '0';
	return 0;
}

/* Whether the comma list holds `code`. */
static bool
reason_listed(const char *list, const char *code)
{
	size_t n = strlen(code);

	while (*list != '\0') {
		size_t len = strcspn(list, ",");

		if (len == n && memcmp(list, code, n) == 0)
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

static int
reasons_count(const char *list)
{
	int n = *list != '\0';

	for (; *list != '\0'; list++)
		n += *list == ',';
	return n;
}

static void
set_err(int *err, enum field f, enum msg m, bool *bad)
{
	if (err[f] == 0)
		err[f] = (int)m + 1;
	*bad = true;
}

/*
 * Read the posted form into r.  Returns true when every field is valid;
 * otherwise err[] says which and why.
 */
static bool
read_rating(struct db *db, const struct target *t, const struct form *in,
    const struct instrument *ins, struct rating *r, int *err)
{
	const char *v;
	bool bad = false;
	int64_t n;

	for (int i = 0; i < in->n; i++)
		if (!utf8_is_valid(in->f[i].value, in->f[i].len))
			set_err(err,
			    strcmp(in->f[i].name, "comment") == 0 ? F_COMMENT
								  : F_FORM,
			    M_ERR_TEXT, &bad);
	v = form_get(in, "website");
	if (v != NULL && v[0] != '\0')
		set_err(err, F_FORM, M_ERR_HONEYPOT, &bad);
	v = form_get(in, "nonce");
	if (v == NULL || !nonce_is_valid(v) || form_count(in, "nonce") > 1)
		set_err(err, F_FORM, M_ERR_FORM, &bad);
	else
		strlcpy_hl(r->id, v, sizeof(r->id));

	v = form_get(in, "level");
	if (v == NULL || v[0] < '1' || v[0] > '5' || v[1] != '\0' ||
	    form_count(in, "level") > 1)
		set_err(err, F_LEVEL, M_ERR_LEVEL, &bad);
	else
		r->level = v[0] - '0';
	for (int i = 0; i < RATING_CRITERIA; i++)
		if (opt_choice(in, criterion_names[i], 2, &r->criteria[i]) < 0)
			set_err(err, F_C1 + i, M_ERR_VALUE, &bad);
	if (opt_choice(in, "supplement_reported", 1, &r->supplement_reported) <
	    0)
		set_err(err, F_SUPPLEMENT, M_ERR_VALUE, &bad);
	if (opt_choice(
		in, "online_error_reported", 1, &r->online_error_reported) < 0)
		set_err(err, F_ONLINE_ERROR, M_ERR_VALUE, &bad);
	v = form_get(in, "visits");
	if (v != NULL && v[0] != '\0') {
		if (parse_int64(v, strlen(v), 1, RATING_VISITS_MAX, &n) < 0)
			set_err(err, F_VISITS, M_ERR_VISITS, &bad);
		else
			r->visits = (int)n;
	}
	/* inclusion (schemas/015): who rates, and whether a helper typed */
	v = form_get(in, "requester");
	if (form_count(in, "requester") > 1 ||
	    (v != NULL && rating_requester_parse(v, &r->requester) < 0))
		set_err(err, F_ABOUT, M_ERR_REQUESTER, &bad);
	v = form_get(in, "assisted");
	if (form_count(in, "assisted") > 1 ||
	    (v != NULL && v[0] != '\0' && strcmp(v, "1") != 0))
		set_err(err, F_ABOUT, M_ERR_ASSISTED, &bad);
	else
		r->assisted = v != NULL && v[0] == '1';

	v = form_get(in, "comment");
	if (v != NULL && err[F_COMMENT] == 0) {
		char *text = text_clean(v);
		size_t len = strlen(text);

		if (!text_has_no_controls(text, len))
			set_err(err, F_COMMENT, M_ERR_TEXT, &bad);
		else if (utf8_count(text, len) > RATING_COMMENT_MAX_CHARS)
			set_err(err, F_COMMENT, M_ERR_COMMENT_LONG, &bad);
		if (len > 0 && !bad)
			r->comment = text;
		else
			free(text);
	}

	v = form_get(in, "phone");
	if (v != NULL && v[0] != '\0') {
		const char *consent = form_get(in, "consent");
		const char *ver = form_get(in, "consent_version");

		if (strlen(v) > 32 || !phone_normalize(v, strlen(v), r->phone))
			set_err(err, F_PHONE, M_ERR_PHONE, &bad);
		else if (consent == NULL || strcmp(consent, "1") != 0)
			set_err(err, F_PHONE, M_ERR_CONSENT, &bad);
		/* the version of the text the citizen saw, if still known */
		if (ver != NULL &&
		    parse_int64(
			ver, strlen(ver), 1, ins->consent_version, &n) == 0)
			r->consent_version = (int)n;
		else
			r->consent_version = ins->consent_version;
	}

	/* the reasons of a low score (the kiosk asks them at 1 and 2) */
	for (int i = 0; i < in->n; i++) {
		const char *code = in->f[i].value;

		if (strcmp(in->f[i].name, "reason") != 0 || code[0] == '\0')
			continue;
		if (!reason_is_valid(code, strlen(code)) ||
		    !instrument_has_reason(ins, code, strlen(code))) {
			set_err(err, F_REASONS, M_ERR_VALUE, &bad);
			continue;
		}
		if (r->level < 1 || r->level > 2 ||
		    reason_listed(r->reasons, code))
			continue; /* a high score has none; once each */
		if (reasons_count(r->reasons) >= RATING_REASONS_MAX)
			continue;
		{
			size_t l = strlen(r->reasons);

			snprintf(r->reasons + l, sizeof(r->reasons) - l, "%s%s",
			    l > 0 ? "," : "", code);
		}
	}

	if (t->tok.procedure[0] != '\0') {
		strlcpy_hl(
		    r->procedure, t->tok.procedure, sizeof(r->procedure));
	} else {
		v = form_get(in, "procedure");
		if (v == NULL || v[0] == '\0')
			set_err(err, F_PROCEDURE, M_ERR_PROCEDURE, &bad);
		else if (!is_procedure_code(v, strlen(v)) ||
		    !procedures_offered_by(db, t->tok.unit, v))
			set_err(
			    err, F_PROCEDURE, M_ERR_PROCEDURE_UNKNOWN, &bad);
		else
			strlcpy_hl(r->procedure, v, sizeof(r->procedure));
	}
	return !bad;
}

static void
form_post_free(void *p)
{
	struct form_post *fp = p;

	form_release(&fp->in);
	rating_release(&fp->job.rating);
	free(fp);
}

/* Writer thread: the rating's fate is decided; wake the request. */
static void
form_job_done(struct writer_job *job)
{
	struct form_post *fp = job->arg;

	http_resume(fp->c->req); /* the last touch: fp may go now */
}

/* HTTP thread again: answer according to the writer. */
static void
form_resumed(struct ctx *c)
{
	struct form_post *fp = c->state;

	switch (fp->job.result) {
	case WRITER_STORED:
	case WRITER_DUPLICATE: page_thanks(c, &fp->t, &fp->job.rating); break;
	case WRITER_CONFLICT:
		page_message(c, 409, M_CONFLICT_TITLE, M_CONFLICT_TEXT);
		break;
	case WRITER_DOSSIER_USED:
		page_message(c, 409, M_DOSSIER_USED_TITLE, M_DOSSIER_USED_TEXT);
		break;
	case WRITER_REJECTED:
		page_message(c, 400, M_BAD_TOKEN_TITLE, M_BAD_TOKEN_TEXT);
		break;
	case WRITER_FOLDED: /* the clock says a month folded long ago */
		page_message(c, 410, M_FOLDED_TITLE, M_FOLDED_TEXT);
		break;
	case WRITER_UNAVAILABLE:
	default: server_unavailable(c); break;
	}
}

void
page_q_post(struct ctx *c)
{
	struct db *db = ctx_db(c);
	const struct instrument *ins;
	struct form_post *fp;
	struct rating *r;
	int err[F_COUNT] = { 0 };
	unsigned retry = 0;
	char key[64];
	int rc, parsed;

	if (db == NULL) {
		server_unavailable(c);
		return;
	}
	fp = xcalloc(1, sizeof(*fp));
	fp->c = c;
	c->state = fp;
	c->state_free = form_post_free;
	r = &fp->job.rating;
	rating_init(r);
	rc = cached_target(db, ctx_param(c, 0), &fp->t);
	if (rc != 0) {
		if (rc < 0)
			server_unavailable(c);
		else
			page_message(
			    c, 404, M_BAD_TOKEN_TITLE, M_BAD_TOKEN_TEXT);
		return;
	}
	if (closed_refused(c, db, &fp->t) || expired_refused(c, &fp->t))
		return;
	parsed = form_parse(&fp->in, c->req->body.data ? c->req->body.data : "",
	    c->req->body.len);
	/*
	 * A search of the procedures or a part asked for: the form again,
	 * the answers kept.  A read, like GET: not counted by the limit.
	 */
	if (parsed == 0 &&
	    (form_get(&fp->in, "find") != NULL ||
		form_get(&fp->in, "pf") != NULL ||
		form_get(&fp->in, "fields") != NULL ||
		form_get(&fp->in, "detail") != NULL)) {
		render_form(c, db, &fp->t, &fp->in, NULL, 200);
		return;
	}
	snprintf(key, sizeof(key), "form:%s", c->client);
	if (!ratelimit_hit(c->srv->form_limit, key, hl_now(), &retry)) {
		char ra[16];

		page_message(c, 429, M_RATE_TITLE, M_RATE_TEXT);
		snprintf(ra, sizeof(ra), "%u", retry ? retry : 1);
		http_set_header(&c->req->resp, "Retry-After", ra);
		return;
	}
	if (parsed < 0) {
		err[F_FORM] = M_ERR_FORM + 1;
		render_form(c, db, &fp->t, NULL, err, 400);
		return;
	}
	ins = form_instrument(c, db);
	if (ins == NULL)
		return;
	if (!read_rating(db, &fp->t, &fp->in, ins, r, err)) {
		render_form(c, db, &fp->t, &fp->in, err, 400);
		return;
	}
	strlcpy_hl(r->unit, fp->t.tok.unit, sizeof(r->unit));
	r->counter = fp->t.tok.counter;
	strlcpy_hl(r->dossier, fp->t.tok.dossier, sizeof(r->dossier));
	r->dossier_token = fp->t.tok.kind == TOKEN_DOSSIER;
	/* a link made for an online dossier: the web channel (token.h) */
	r->channel =
	    fp->t.tok.channel == TOKEN_CHANNEL_WEB ? CHANNEL_WEB : CHANNEL_QR;
	r->rated_at = r->received_at = hl_now();
	r->status = STATUS_VALID;
	snprintf(r->source, sizeof(r->source), "token:%c:k%d",
	    (char)fp->t.tok.kind, fp->t.tok.kid);
	if (rating_check(r) != NULL) {
		/* read_rating() checked each field; this is our own bug */
		log_kv(LOG_ERROR, "form", "rating_check field=%s",
		    rating_check(r));
		err[F_FORM] = M_ERR_FORM + 1;
		render_form(c, db, &fp->t, &fp->in, err, 400);
		return;
	}
	if (r->dossier_token && ratings_dossier_used(db, r->dossier)) {
		page_message(c, 409, M_DOSSIER_USED_TITLE, M_DOSSIER_USED_TEXT);
		return;
	}
	if (dossier_refused(c, db, r->unit, r->dossier))
		return;
	fp->job.done = form_job_done;
	fp->job.arg = fp;
	fp->job.result = WRITER_UNAVAILABLE;
	c->resumed = form_resumed;
	http_suspend(c->req);
	if (writer_submit(c->srv->writer, &fp->job) < 0)
		http_resume(c->req); /* queue full or stopping: 503 */
}
