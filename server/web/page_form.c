/* page_form.c -- the citizen's short form: GET and POST /q/<token>. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/token.h"
#include "hailong/util.h"
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
 * The thank-you page is the same for every citizen: made once per
 * language and served from memory.
 */
static pthread_once_t thanks_once = PTHREAD_ONCE_INIT;
static struct buf thanks_page[2];

static void
make_thanks(void)
{
	for (int lang = LANG_VI; lang <= LANG_EN; lang++) {
		struct buf *b = &thanks_page[lang];

		html_begin(b, (enum lang)lang,
		    tr((enum lang)lang, M_THANKS_TITLE), "/static/form.css");
		buf_puts(b, "<main class=\"card message s200\">\n<h1>");
		buf_html(b, tr((enum lang)lang, M_THANKS_TITLE));
		buf_puts(b, "</h1>\n<p>");
		buf_html(b, tr((enum lang)lang, M_THANKS_TEXT));
		buf_puts(b, "</p>\n</main>\n");
		html_end(b);
	}
}

static void
page_thanks(struct ctx *c)
{
	pthread_once(&thanks_once, make_thanks);
	http_begin_body(c->req, 200, "text/html; charset=utf-8");
	c->req->resp.static_body = thanks_page[c->lang].data;
	c->req->resp.static_len = thanks_page[c->lang].len;
}

/* Whether the unit offers the procedure (every one when it lists none). */
static bool
unit_offers(struct db *db, const char *unit, const char *procedure)
{
	int64_t one;

	if (!store_has_procedure(db, procedure))
		return false;
	if (db_int(db, &one,
		"SELECT 1 FROM unit_procedures WHERE unit = ? "
		"LIMIT 1",
		"t", unit) != 0)
		return true;
	return db_int(db, &one,
		   "SELECT 1 FROM unit_procedures WHERE unit = ? "
		   "AND procedure = ?",
		   "tt", unit, procedure) == 0;
}

/* A face: the mouth bends from a frown (1) to a wide smile (5). */
static void
face_svg(struct buf *b, int level)
{
	static const int corner[6] = { 0, 23, 22, 21, 20, 19 };
	static const int bend[6] = { 0, 14, 17, 21, 25, 28 };

	buf_printf(b,
	    "<svg class=\"face f%d\" viewBox=\"0 0 32 32\" "
	    "aria-hidden=\"true\"><circle class=\"head\" cx=\"16\" cy=\"16\" "
	    "r=\"15\"/><circle class=\"eye\" cx=\"11\" cy=\"12\" r=\"2\"/>"
	    "<circle class=\"eye\" cx=\"21\" cy=\"12\" r=\"2\"/><path "
	    "class=\"mouth\" d=\"M9 %dQ16 %d 23 %d\"/></svg>",
	    level, corner[level], bend[level], corner[level]);
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

static void
radio(struct buf *b, const char *name, const char *value, const char *id,
    const char *label, bool checked)
{
	buf_printf(b,
	    "<label class=\"opt\"><input type=\"radio\" name=\"%s\" "
	    "value=\"%s\" id=\"%s\"%s> ",
	    name, value, id, checked ? " checked" : "");
	buf_html(b, label);
	buf_puts(b, "</label>\n");
}

static void
procedure_picker(struct buf *b, struct db *db, const struct target *t,
    const struct form *in, const int *err, enum lang lang)
{
	struct db_stmt *st;
	const char *chosen = posted(in, "procedure");
	char group[201] = "";
	bool open = false;

	buf_puts(b, "<div class=\"field\">\n<label for=\"procedure\">");
	buf_html(b, tr(lang, M_PROCEDURE));
	buf_printf(b, " <span class=\"req\">(%s)</span></label>\n",
	    tr(lang, M_REQUIRED));
	field_error(b, err, F_PROCEDURE, lang, "procedure");
	buf_puts(b,
	    "<select name=\"procedure\" id=\"procedure\" required>\n"
	    "<option value=\"\">");
	buf_html(b, tr(lang, M_CHOOSE_PROCEDURE));
	buf_puts(b, "</option>\n");
	/* the counter's own procedures first, in a group of their own */
	st = db_query(db,
	    "SELECT p.code, p.name, p.field, EXISTS (SELECT 1 FROM "
	    "counter_procedures k WHERE k.unit = ?1 AND k.counter = ?2 AND "
	    "k.procedure = p.code) AS here FROM procedures p "
	    "WHERE NOT EXISTS (SELECT 1 FROM unit_procedures WHERE unit = ?1)"
	    " OR EXISTS (SELECT 1 FROM unit_procedures u WHERE u.unit = ?1 "
	    "AND u.procedure = p.code) ORDER BY here DESC, p.field, p.name",
	    "ti", t->tok.unit, t->tok.counter);
	while (st != NULL && db_step(st) == DB_ROW) {
		const char *code = db_col_text(st, 0);
		const char *field = db_col_text(st, 2);

		if (db_col_int(st, 3) != 0)
			field = lang == LANG_EN ? "At this counter"
						: "Thủ tục tại quầy này";
		else if (field == NULL || field[0] == '\0')
			field = "—";
		if (strcmp(field, group) != 0) {
			if (open)
				buf_puts(b, "</optgroup>\n");
			buf_puts(b, "<optgroup label=\"");
			buf_html(b, field);
			buf_puts(b, "\">\n");
			strlcpy_hl(group, field, sizeof(group));
			open = true;
		}
		buf_printf(b, "<option value=\"%s\"%s>", code,
		    strcmp(code, chosen) == 0 ? " selected" : "");
		buf_html(b, db_col_text(st, 1));
		buf_puts(b, "</option>\n");
	}
	db_done(st);
	if (open)
		buf_puts(b, "</optgroup>\n");
	buf_puts(b, "</select>\n</div>\n");
}

static void
yes_no(struct buf *b, const char *name, enum msg question,
    const struct form *in, const int *err, enum field f, enum lang lang)
{
	const char *v = posted(in, name);
	char id[48];

	buf_puts(b, "<fieldset class=\"yn\">\n<legend>");
	buf_html(b, tr(lang, question));
	buf_puts(b, "</legend>\n");
	field_error(b, err, f, lang, name);
	snprintf(id, sizeof(id), "%s-1", name);
	radio(b, name, "1", id, tr(lang, M_YES), strcmp(v, "1") == 0);
	snprintf(id, sizeof(id), "%s-0", name);
	radio(b, name, "0", id, tr(lang, M_NO), strcmp(v, "0") == 0);
	snprintf(id, sizeof(id), "%s-x", name);
	radio(b, name, "", id, tr(lang, M_NO_ANSWER),
	    strcmp(v, "1") != 0 && strcmp(v, "0") != 0);
	buf_puts(b, "</fieldset>\n");
}

static void
criteria_block(struct buf *b, const struct instrument *ins,
    const struct form *in, const int *err, enum lang lang)
{
	bool open = false;

	/* open when something inside is wrong or was answered */
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
	buf_printf(b, "<details%s>\n<summary>", open ? " open" : "");
	buf_html(b, tr(lang, M_DETAIL));
	buf_puts(b, "</summary>\n");
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
		for (int k = 0; k < cr->nopts; k++) {
			bool on;

			snprintf(val, sizeof(val), "%d", cr->opt[k].points);
			snprintf(
			    id, sizeof(id), "%s-%d", name, cr->opt[k].points);
			on = strcmp(v, val) == 0;
			any |= on;
			radio(b, name, val, id, itext(&cr->opt[k].label, lang),
			    on);
		}
		snprintf(id, sizeof(id), "%s-x", name);
		radio(b, name, "", id, tr(lang, M_NO_ANSWER), !any);
		buf_puts(b, "</fieldset>\n");
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

/* The card's header: language switch, where the rating is about, title. */
static void
form_header(struct buf *b, const struct target *t, enum lang lang)
{
	buf_puts(b,
	    "<main class=\"card\">\n<header>\n<p class=\"lang\">"
	    "<a href=\"?lang=");
	buf_puts(b, lang == LANG_EN ? "vi" : "en");
	buf_puts(b, "\">");
	buf_html(b, tr(lang, M_LANG_SWITCH));
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

	buf_puts(b, "<fieldset class=\"faces\">\n<legend>");
	buf_html(b, itext(&ins->question, lang));
	buf_printf(b, " <span class=\"req\">(%s)</span></legend>\n",
	    tr(lang, M_REQUIRED));
	field_error(b, err, F_LEVEL, lang, "level");
	buf_puts(b, "<div class=\"row\">\n");
	for (int lv = 5; lv >= 1; lv--) {
		char v[2] = { (char)('0' + lv), '\0' };

		buf_printf(b,
		    "<input type=\"radio\" name=\"level\" value=\"%d\" "
		    "id=\"level-%d\"%s required>\n<label for=\"level-%d\">",
		    lv, lv, strcmp(level, v) == 0 ? " checked" : "", lv);
		face_svg(b, lv);
		buf_puts(b, "<span>");
		buf_html(b, itext(&ins->level[lv], lang));
		buf_puts(b, "</span></label>\n");
	}
	buf_puts(b, "</div>\n</fieldset>\n");
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
	buf_printf(b,
	    "<label class=\"opt consent\"><input type=\"checkbox\" "
	    "name=\"consent\" value=\"1\" id=\"consent\"%s> ",
	    strcmp(posted(in, "consent"), "1") == 0 ? " checked" : "");
	buf_html(b, itext(&ins->consent, lang));
	buf_puts(b, "</label>\n<label for=\"phone\">");
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
	buf_puts(b, "<button type=\"submit\">");
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

/*
 * The whole form page: fresh (in == NULL) or again with the citizen's
 * answers and the errors beside their fields.
 */
static void
render_form(struct ctx *c, struct db *db, const struct target *t,
    const struct form *in, const int *err, int status)
{
	const struct instrument *ins = form_instrument(c, db);
	struct buf *b = &c->req->resp.body;
	enum lang lang = c->lang;
	char nonce[NONCE_LEN + 1], title[400];
	const char *old_nonce = posted(in, "nonce");

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
	html_begin(b, lang, title, "/static/form.css");
	form_header(b, t, lang);
	if (err != NULL) {
		buf_puts(b, "<p class=\"alert\" role=\"alert\">");
		buf_html(b, tr(lang, M_ERR_SUMMARY));
		buf_puts(b, "</p>\n");
		field_error(b, err, F_FORM, lang, "form");
	}
	buf_printf(b,
	    "<form method=\"post\" action=\"/q/%s%s\" "
	    "accept-charset=\"utf-8\">\n",
	    t->token, lang == LANG_EN ? "?lang=en" : "");
	buf_printf(b,
	    "<input type=\"hidden\" name=\"nonce\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"consent_version\" value=\"%d\">\n",
	    nonce, ins->consent_version);
	faces_block(b, ins, in, err, lang);
	if (t->tok.procedure[0] == '\0')
		procedure_picker(b, db, t, in, err, lang);
	criteria_block(b, ins, in, err, lang);
	comment_block(b, in, err, lang);
	callback_block(b, ins, in, err, lang);
	form_footer(b, lang);
	html_end(b);
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
		set_err(err, F_FORM, M_ERR_REQUESTER, &bad);
	v = form_get(in, "assisted");
	if (form_count(in, "assisted") > 1 ||
	    (v != NULL && v[0] != '\0' && strcmp(v, "1") != 0))
		set_err(err, F_FORM, M_ERR_ASSISTED, &bad);
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

	if (t->tok.procedure[0] != '\0') {
		strlcpy_hl(
		    r->procedure, t->tok.procedure, sizeof(r->procedure));
	} else {
		v = form_get(in, "procedure");
		if (v == NULL || v[0] == '\0')
			set_err(err, F_PROCEDURE, M_ERR_PROCEDURE, &bad);
		else if (!is_procedure_code(v, strlen(v)) ||
		    !unit_offers(db, t->tok.unit, v))
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
	case WRITER_DUPLICATE: page_thanks(c); break;
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
	int rc;

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
	snprintf(key, sizeof(key), "form:%s", c->client);
	if (!ratelimit_hit(c->srv->form_limit, key, hl_now(), &retry)) {
		char ra[16];

		page_message(c, 429, M_RATE_TITLE, M_RATE_TEXT);
		snprintf(ra, sizeof(ra), "%u", retry ? retry : 1);
		http_set_header(&c->req->resp, "Retry-After", ra);
		return;
	}
	if (form_parse(&fp->in, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
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
