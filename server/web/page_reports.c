/* page_reports.c -- the console's reports tab: build, sign, send, receive. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hailong/crypto.h"
#include "hailong/db.h"
#include "hailong/encode.h"
#include "hailong/fileio.h"
#include "hailong/hltime.h"
#include "hailong/httpc.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/cms.h"
#include "core/fmt.h"
#include "core/labels.h"
#include "core/report.h"
#include "core/report_pdf.h"
#include "core/users.h"
#include "web/console.h"
#include "web/figpage.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * /admin/units/CODE/reports?month=YYYY-MM (reporter and above):
 *   - this unit's reports of the month: build one (the figures as of
 *     now, with the subordinates' accepted reports rolled up), sign it
 *     with the unit's key (report_keys/CODE.key.pem and .cert.pem), send
 *     it to the parent (report_parent_url, report_parent_apikey_file),
 *     download its files;
 *   - the reports received from subordinate units for the month, every
 *     submission (the latest of a unit is the current one).
 * Building, signing and sending are POSTs (CSRF checked by auth_staff())
 * and audited ("report.build", "report.sign", "report.submit").
 */

/*
 * The files of a report built here.  report.html and report.pdf are drawn
 * again from the stored report.json, with the trend and the reviews read
 * as of its as_of (report_extra_load()): the bytes `report build` writes.
 * report.signed.pdf (once signed, when the unit's key is configured) is
 * that PDF signed with the unit's key as `report sign` signs it.
 */
enum { F_JSON, F_P7S, F_CSV, F_XLSX, F_HTML, F_PDF, F_SIGNED_PDF };
static const char *const file_names[] = { "report.json", "report.json.p7s",
	"report.csv", "report.xlsx", "report.html", "report.pdf",
	"report.signed.pdf" };

/* Last month: what a page without a period shows. */
static struct period
last_month(void)
{
	return period_of_month(month_add(month_of(hl_now()), -1));
}

/*
 * The period of ?month= (a month, a quarter YYYY-Qn or a year YYYY;
 * default: last month).  0, or -1 with why when malformed.
 */
static int
page_month(const struct form *f, struct period *p, char *why, size_t whylen)
{
	const char *s = form_get(f, "month");

	if (s == NULL || s[0] == '\0') {
		*p = last_month();
		return 0;
	}
	return period_parse(s, strlen(s), p, why, whylen);
}

/* The error of page_month() in the page's language. */
static const char *
period_why(struct ctx *c, const char *why)
{
	if (strncmp(why, "a quarter", 9) == 0)
		return TR(c, "Quý phải từ 1 đến 4 (Q1 đến Q4).",
		    "A quarter is Q1 to Q4.");
	if (strncmp(why, "a month", 7) == 0)
		return TR(
		    c, "Tháng phải từ 01 đến 12.", "A month is 01 to 12.");
	if (strncmp(why, "the year", 8) == 0)
		return TR(c, "Năm phải từ 2000 đến 2199.",
		    "The year must be 2000 to 2199.");
	return TR(c,
	    "Kỳ phải có dạng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).",
	    "The period must be YYYY-MM (a month), YYYY-Qn (a quarter) or "
	    "YYYY (a year).");
}

static void
action_form(struct ctx *c, struct buf *b, const char *unit,
    const struct period *per, const char *action, int64_t id, const char *label)
{
	char mo[PERIOD_TEXT_MAX];

	period_format(per, mo);
	buf_printf(b,
	    "<form class=\"inline\" method=\"post\" "
	    "action=\"/admin/units/%s/reports",
	    unit);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">");
	session_csrf_field(c, b);
	buf_printf(b,
	    "<input type=\"hidden\" name=\"action\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"month\" value=\"%s\">",
	    action, mo);
	if (id > 0)
		buf_printf(b,
		    "<input type=\"hidden\" name=\"id\" value=\"%lld\">",
		    (long long)id);
	buf_puts(b, "<button type=\"submit\">");
	buf_html(b, label);
	buf_puts(b, "</button></form>\n");
}

static void
when(struct buf *b, struct db_stmt *st, int col)
{
	if (db_col_is_null(st, col)) {
		buf_puts(b, "—");
		return;
	}
	fmt_datetime(b, LANG_VI, db_col_int(st, col));
}

/* "None yet." under a heading whose table had no rows. */
static void
none_yet(struct ctx *c, struct buf *b)
{
	buf_puts(b, "<p>");
	buf_html(b, TR(c, "Chưa có.", "None yet."));
	buf_puts(b, "</p>\n");
}

/* The note of the last action, and the form choosing the month. */
static void
render_head(struct ctx *c, struct buf *b, const struct console_unit *u,
    const struct period *per, const char *note)
{
	int64_t one;

	if (note != NULL) {
		buf_puts(b, "<p class=\"alert\" role=\"status\">");
		buf_html(b, note);
		buf_puts(b, "</p>\n");
	}
	buf_printf(b,
	    "<form class=\"month\" method=\"get\" "
	    "action=\"/admin/units/%s/reports\">",
	    u->code);
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">");
	buf_puts(b, "<label for=\"month\">");
	buf_html(b,
	    TR(c, "Kỳ báo cáo (tháng, quý, năm)",
		"Period (month, quarter, year)"));
	buf_puts(b, "</label> ");
	figpage_period_select(c, b, "month", per);
	buf_puts(b, " <button type=\"submit\">");
	buf_html(b, TR(c, "Xem", "Show"));
	buf_puts(b, "</button></form>\n");
	/* who has not reported: for a unit with subordinate units */
	if (db_int(ctx_db(c), &one,
		"SELECT 1 FROM units WHERE parent = ? AND active = 1 LIMIT 1",
		"t", u->code) != 0)
		return;
	buf_printf(b, "<p><a href=\"/admin/units/%s/reports/status%s\">",
	    u->code, c->lang == LANG_EN ? "?lang=en" : "");
	buf_html(b,
	    TR(c, "Tình hình nộp báo cáo của đơn vị cấp dưới →",
		"Which subordinate units have reported →"));
	buf_puts(b, "</a></p>\n");
}

/* One row of the unit's reports: files, and sign or send. */
static void
made_row(struct ctx *c, struct buf *b, const struct console_unit *u,
    const struct period *month, struct db_stmt *st)
{
	int64_t id = db_col_int(st, 0);
	bool signed_ = db_col_int(st, 6) != 0;
	struct buf who = { 0 };

	buf_printf(b, "<tr><td>%lld</td><td class=\"code\">", (long long)id);
	buf_html(b, db_col_text(st, 1));
	buf_puts(b, "</td><td>");
	when(b, st, 2);
	buf_puts(b, " (");
	label_actor(&who, c->lang, db_col_text(st, 3));
	buf_html(b, buf_str(&who));
	buf_release(&who);
	buf_puts(b, ")</td><td>");
	when(b, st, 4);
	buf_puts(b, "</td><td>");
	when(b, st, 5);
	buf_puts(b, "</td><td>");
	for (size_t i = 0; i < ARRAY_SIZE(file_names); i++) {
		if ((i == F_P7S || i == F_SIGNED_PDF) && !signed_)
			continue;
		if (i == F_SIGNED_PDF && c->srv->cfg.report_keys[0] == '\0')
			continue;
		buf_printf(b,
		    "<a href=\"/admin/units/%s/reports/%lld/%s\" "
		    "download>%s</a> ",
		    u->code, (long long)id, file_names[i], file_names[i]);
	}
	buf_puts(b, "</td><td>");
	if (!signed_)
		action_form(
		    c, b, u->code, month, "sign", id, TR(c, "Ký số", "Sign"));
	else
		action_form(c, b, u->code, month, "submit", id,
		    TR(c, "Gửi báo cáo", "Send to the parent unit"));
	buf_puts(b, "</td></tr>\n");
}

/* This unit's reports of the month, and the button that builds one. */
static void
made_table(struct ctx *c, struct buf *b, const struct console_unit *u,
    const struct period *month)
{
	char kind[2] = { month->kind, '\0' };
	struct db_stmt *st;
	bool any = false;

	buf_puts(b, "<h2>");
	buf_html(b, TR(c, "Báo cáo của đơn vị", "This unit's reports"));
	buf_puts(b, "</h2>\n");
	action_form(c, b, u->code, month, "build", 0,
	    TR(c, "Lập báo cáo", "Build the report"));
	st = db_query(ctx_db(c),
	    "SELECT id, sha256, built_at, built_by, signed_at, submitted_at, "
	    "p7s IS NOT NULL FROM reports_made WHERE unit = ? AND month = ? "
	    "AND kind = ? ORDER BY id DESC LIMIT 50",
	    "tit", u->code, month->first, kind);
	while (st != NULL && db_step(st) == DB_ROW) {
		if (!any) {
			buf_printf(b,
			    "<table class=\"reports\">\n<tr><th>#</th>"
			    "<th>SHA-256</th><th>%s</th><th>%s</th><th>%s</th>"
			    "<th>%s</th><th></th></tr>\n",
			    TR(c, "Lập lúc", "Built"),
			    TR(c, "Ký lúc", "Signed"), TR(c, "Gửi lúc", "Sent"),
			    TR(c, "Tệp", "Files"));
			any = true;
		}
		made_row(c, b, u, month, st);
	}
	db_done(st);
	if (any)
		buf_puts(b, "</table>\n");
	else
		none_yet(c, b);
}

static void
received_row(struct ctx *c, struct buf *b, struct db_stmt *st)
{
	buf_puts(b, "<tr><td>");
	buf_html(b, db_col_text(st, 1));
	buf_puts(b, " <span class=\"code\">");
	buf_html(b, db_col_text(st, 0));
	buf_puts(b, "</span></td><td>");
	when(b, st, 2);
	buf_puts(b, "</td><td class=\"code\">");
	buf_html(b, db_col_text(st, 3));
	buf_puts(b, "</td><td>");
	buf_html(b, db_col_text(st, 4));
	buf_puts(b, "</td><td>");
	buf_html(b,
	    db_col_int(st, 5) ? TR(c, "đang dùng", "current")
			      : TR(c, "đã thay thế", "replaced"));
	buf_puts(b, "</td></tr>\n");
}

/* The reports subordinate units sent for the month, every submission. */
static void
received_table(struct ctx *c, struct buf *b, const struct console_unit *u,
    const struct period *month)
{
	char kind[2] = { month->kind, '\0' };
	struct db_stmt *st;
	bool any = false;

	buf_puts(b, "<h2>");
	buf_html(b,
	    TR(c, "Báo cáo nhận từ đơn vị cấp dưới",
		"Reports received from subordinate units"));
	buf_puts(b, "</h2>\n");
	st = db_query(ctx_db(c),
	    "SELECT r.unit, u.name, r.received_at, r.sha256, r.signer, "
	    "r.id = (SELECT max(id) FROM reports_received x WHERE "
	    "x.unit = r.unit AND x.month = r.month AND x.kind = r.kind) "
	    "FROM reports_received r JOIN unit_tree t ON t.descendant = "
	    "r.unit AND t.ancestor = ? AND t.depth >= 1 "
	    "JOIN units u ON u.code = r.unit WHERE r.month = ? AND "
	    "r.kind = ? ORDER BY r.unit, r.id DESC LIMIT 500",
	    "tit", u->code, month->first, kind);
	while (st != NULL && db_step(st) == DB_ROW) {
		if (!any) {
			buf_printf(b,
			    "<table class=\"received\">\n<tr><th>%s</th>"
			    "<th>%s</th><th>SHA-256</th><th>%s</th><th></th>"
			    "</tr>\n",
			    TR(c, "Đơn vị", "Unit"),
			    TR(c, "Nhận lúc", "Received"),
			    TR(c, "Người ký (chứng thư)",
				"Signer (certificate)"));
			any = true;
		}
		received_row(c, b, st);
	}
	db_done(st);
	if (any)
		buf_puts(b, "</table>\n");
	else
		none_yet(c, b);
}

static void
render(struct ctx *c, int status, const struct console_unit *u,
    struct period month, const char *note)
{
	struct buf *b;
	char mo[FMT_MAX], title[400];

	fmt_period_s(mo, c->lang, &month);
	snprintf(
	    title, sizeof(title), "%s %s", TR(c, "Báo cáo", "Reports:"), mo);
	console_begin(c, u, title, "reports");
	c->req->resp.status = status;
	b = &c->req->resp.body;
	render_head(c, b, u, &month, note);
	made_table(c, b, u, &month);
	received_table(c, b, u, &month);
	console_end(c);
}

void
page_reports_get(struct ctx *c)
{
	struct console_unit u;
	struct period month;
	char why[160];

	if (console_unit(c, 0, &u) < 0)
		return;
	if (page_month(&c->query, &month, why, sizeof(why)) < 0) {
		render(c, 400, &u, last_month(), period_why(c, why));
		return;
	}
	render(c, 200, &u, month, NULL);
}

/* Load reports_made row `id` of unit.  0, 1 none, -1 error. */
static int
load_made(struct db *db, const char *unit, int64_t id, char **json, size_t *len,
    char **p7s, size_t *plen, struct period *month)
{
	struct db_stmt *st = db_query(db,
	    "SELECT json, p7s, month, kind FROM reports_made WHERE id = ? AND "
	    "unit = ?",
	    "lt", id, unit);
	const void *p;
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (rc == DB_ROW) {
		p = db_col_blob(st, 0, len);
		*json = xmalloc(*len + 1);
		memcpy(*json, p, *len);
		(*json)[*len] = '\0';
		*p7s = NULL;
		*plen = 0;
		if (!db_col_is_null(st, 1)) {
			p = db_col_blob(st, 1, plen);
			*p7s = xmalloc(*plen + 1);
			memcpy(*p7s, p, *plen);
		}
		*month = period_holding(
		    (int)db_col_int(st, 2), db_col_text(st, 3)[0]);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? -1 : 1;
}

static int
do_build(struct ctx *c, struct db *db, const struct console_unit *u,
    const struct period *month, char *err, size_t errlen)
{
	unsigned char d[SHA256_LEN];
	char sha[65], actor[96], target[64], mo[PERIOD_TEXT_MAX], detail[160];
	char kind[2] = { month->kind, '\0' };
	json_t *doc;
	char *json;
	size_t len;
	int64_t now = hl_now();
	int rc = -1;

	doc = report_build_period(db, u->code, month, now, err, errlen);
	if (doc == NULL)
		return -1;
	json = report_dumps(doc, &len);
	json_decref(doc);
	sha256(json, len, d);
	hex_encode(d, sizeof(d), sha);
	ctx_actor(c, actor, sizeof(actor));
	period_format(month, mo);
	snprintf(target, sizeof(target), "report:%s:%s", u->code, mo);
	snprintf(detail, sizeof(detail), "{\"sha256\":\"%s\"}", sha);
	if (db_begin(db) < 0 ||
	    db_run(db,
		"INSERT INTO reports_made(unit, month, kind, json, sha256, "
		"built_at, built_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
		"titbtlt", u->code, month->first, kind, json, len, sha, now,
		actor) < 0 ||
	    audit_append(db, actor, "report.build", target, detail) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		snprintf(err, errlen, "%s", db_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	free(json);
	return rc;
}

static int
do_sign(struct ctx *c, struct db *db, const struct console_unit *u, int64_t id,
    char *err, size_t errlen)
{
	const struct config *cfg = &c->srv->cfg;
	char key[CONFIG_PATH_MAX + 64], cert[CONFIG_PATH_MAX + 64];
	char actor[96], target[64], mo[PERIOD_TEXT_MAX], detail[200];
	char *json = NULL, *p7s = NULL;
	struct buf out = { 0 };
	unsigned char d[SHA256_LEN];
	char sha[65];
	size_t len, plen;
	struct period month;
	int rc = -1, r;

	if (cfg->report_keys[0] == '\0') {
		snprintf(err, errlen, "%s",
		    TR(c, "Chưa cấu hình khóa ký của đơn vị (report_keys).",
			"The unit's signing key is not configured "
			"(report_keys)."));
		return -1;
	}
	r = load_made(db, u->code, id, &json, &len, &p7s, &plen, &month);
	if (r != 0) {
		snprintf(err, errlen, "report %lld: %s", (long long)id,
		    r > 0 ? "not found" : db_errmsg(db));
		return -1;
	}
	snprintf(key, sizeof(key), "%s/%s.key.pem", cfg->report_keys, u->code);
	snprintf(
	    cert, sizeof(cert), "%s/%s.cert.pem", cfg->report_keys, u->code);
	if (cms_sign(key, cert, json, len, &out, err, errlen) < 0)
		goto out;
	sha256(json, len, d);
	hex_encode(d, sizeof(d), sha);
	ctx_actor(c, actor, sizeof(actor));
	period_format(&month, mo);
	snprintf(target, sizeof(target), "report:%s:%s", u->code, mo);
	snprintf(detail, sizeof(detail), "{\"id\":%lld,\"sha256\":\"%s\"}",
	    (long long)id, sha);
	if (db_begin(db) < 0 ||
	    db_run(db,
		"UPDATE reports_made SET p7s = ?, signed_at = ? WHERE id = ?",
		"bll", out.data, out.len, hl_now(), id) < 0 ||
	    audit_append(db, actor, "report.sign", target, detail) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		snprintf(err, errlen, "%s", db_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	buf_release(&out);
	free(json);
	free(p7s);
	return rc;
}

/*
 * Sending a report waits on the parent's server (up to SUBMIT_TIMEOUT_MS):
 * not on an HTTP thread, which serves every other page meanwhile.  The
 * request is suspended; a thread of its own makes the POST and resumes
 * it; submit_resumed() records the receipt and answers, on an HTTP
 * thread.  The timeout stays under the 20 s a stopping server waits for
 * requests in flight, so the thread never outlives its connection.
 */
#define SUBMIT_TIMEOUT_MS 15000

struct submit_job {
	struct ctx *c;
	struct console_unit u;
	int64_t id;
	struct period month;
	char url[300];
	char auth[300];
	char *body;
	struct httpc_response resp;
	int sent; /* 0 answered, -1 not (err says why) */
	char err[600];
};

static void
submit_job_free(void *p)
{
	struct submit_job *j = p;

	httpc_response_release(&j->resp);
	free(j->body);
	free(j);
}

/* On the HTTP thread: what to send, and where.  0 or -1 (err). */
static int
submit_prepare(struct ctx *c, struct db *db, struct submit_job *j, char *err,
    size_t errlen)
{
	const struct config *cfg = &c->srv->cfg;
	char *json = NULL, *p7s = NULL, *key = NULL, *a, *p;
	size_t len, plen, klen;
	json_t *req;
	int rc = -1, r;

	if (cfg->report_parent_url[0] == '\0') {
		snprintf(err, errlen, "%s",
		    TR(c,
			"Chưa cấu hình đơn vị cấp trên "
			"(report_parent_url, report_parent_apikey_file).",
			"The parent unit is not configured (report_parent_url, "
			"report_parent_apikey_file)."));
		return -1;
	}
	r = load_made(
	    db, j->u.code, j->id, &json, &len, &p7s, &plen, &j->month);
	if (r != 0) {
		snprintf(err, errlen, "report %lld: %s", (long long)j->id,
		    r > 0 ? "not found" : db_errmsg(db));
		return -1;
	}
	if (p7s == NULL) {
		snprintf(err, errlen, "%s",
		    TR(c, "Báo cáo chưa được ký.",
			"The report is not signed yet."));
		goto out;
	}
	key =
	    file_read(cfg->report_parent_apikey_file, 256, &klen, err, errlen);
	if (key == NULL)
		goto out;
	while (klen > 0 && (key[klen - 1] == '\n' || key[klen - 1] == '\r'))
		key[--klen] = '\0';
	a = xmalloc(b64url_len(len) + 1);
	b64url_encode(json, len, a);
	p = xmalloc(b64url_len(plen) + 1);
	b64url_encode(p7s, plen, p);
	req = json_pack("{s:s, s:s}", "report_json", a, "report_p7s", p);
	free(a);
	free(p);
	j->body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	{
		/* the parent's base URL, with or without a final slash */
		size_t n = strlen(cfg->report_parent_url);

		if (cfg->report_parent_url[n - 1] == '/')
			n--;
		snprintf(j->url, sizeof(j->url), "%.*s/api/v1/reports", (int)n,
		    cfg->report_parent_url);
	}
	snprintf(j->auth, sizeof(j->auth), "Authorization: Bearer %s", key);
	rc = j->body != NULL ? 0 : -1;
out:
	if (key != NULL)
		secret_wipe(key, klen);
	free(key);
	free(json);
	free(p7s);
	return rc;
}

/* Anywhere: the POST to the parent. */
static void
submit_send(struct submit_job *j)
{
	const struct httpc_options o = { .timeout_ms = SUBMIT_TIMEOUT_MS };
	const char *hdr[3] = { "Content-Type: application/json", j->auth,
		NULL };
	struct httpc *h = httpc_new(&o);

	j->sent = httpc_request(h, "POST", j->url, hdr, j->body,
	    strlen(j->body), &j->resp, j->err, sizeof(j->err));
	httpc_free(h);
	secret_wipe(j->auth, sizeof(j->auth));
}

static void *
submit_thread(void *arg)
{
	struct submit_job *j = arg;

	submit_send(j);
	http_resume(j->c->req); /* the last touch: j belongs to c now */
	return NULL;
}

/* On the HTTP thread, after the POST: the receipt kept and audited. */
static int
submit_record(struct ctx *c, struct db *db, struct submit_job *j, char *err,
    size_t errlen)
{
	char actor[96], target[64], mo[PERIOD_TEXT_MAX], *detail;
	json_t *receipt;

	if (j->sent < 0) {
		snprintf(err, errlen, "%s", j->err);
		return -1;
	}
	if (j->resp.status != 200) {
		json_t *e =
		    json_loadb(j->resp.body.data ? j->resp.body.data : "",
			j->resp.body.len, 0, NULL);
		const char *m =
		    json_string_value(json_object_get(e, "message"));

		snprintf(err, errlen, "%s (%d): %s",
		    TR(c, "Đơn vị cấp trên từ chối báo cáo",
			"The parent unit refused the report"),
		    j->resp.status, m != NULL ? m : "");
		json_decref(e);
		return -1;
	}
	if (db == NULL) {
		snprintf(err, errlen,
		    "the parent accepted the report but its receipt could not "
		    "be stored: the database is not available");
		return -1;
	}
	receipt = json_loadb(j->resp.body.data, j->resp.body.len, 0, NULL);
	detail = json_dumps(receipt, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(receipt);
	ctx_actor(c, actor, sizeof(actor));
	period_format(&j->month, mo);
	snprintf(target, sizeof(target), "report:%s:%s", j->u.code, mo);
	if (detail == NULL || db_begin(db) < 0 ||
	    db_run(db,
		"UPDATE reports_made SET submitted_at = ?, receipt = ? "
		"WHERE id = ?",
		"ltl", hl_now(), detail, j->id) < 0 ||
	    audit_append(db, actor, "report.submit", target, detail) < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		snprintf(err, errlen,
		    "the parent accepted the report but its receipt could "
		    "not be stored: %s",
		    detail == NULL ? "no receipt" : db_errmsg(db));
		free(detail);
		return -1;
	}
	free(detail);
	return 0;
}

static void
submit_resumed(struct ctx *c)
{
	struct submit_job *j = c->state;
	char err[600], msg[700];

	if (submit_record(c, ctx_db(c), j, err, sizeof(err)) < 0) {
		snprintf(msg, sizeof(msg), "%s: %s",
		    TR(c, "Không thực hiện được", "It failed"), err);
		render(c, 422, &j->u, j->month, msg);
		return;
	}
	render(c, 200, &j->u, j->month,
	    TR(c, "Đã gửi báo cáo; đơn vị cấp trên đã nhận.",
		"The report was sent and accepted."));
}

/* Suspend the request and send from a thread; 0, or -1 (err). */
static int
submit_start(struct ctx *c, struct db *db, const struct console_unit *u,
    int64_t id, char *err, size_t errlen)
{
	struct submit_job *j = xcalloc(1, sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	j->c = c;
	j->u = *u;
	j->id = id;
	if (submit_prepare(c, db, j, err, errlen) < 0) {
		submit_job_free(j);
		return -1;
	}
	c->state = j;
	c->state_free = submit_job_free;
	c->resumed = submit_resumed;
	http_suspend(c->req);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, submit_thread, j);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* no thread to spare: send from here, as before */
		submit_send(j);
		http_resume(c->req);
	}
	return 0;
}

void
page_reports_post(struct ctx *c)
{
	struct console_unit u;
	struct form f;
	struct db *db;
	const char *action, *id_s;
	char err[600], msg[700];
	int64_t id = 0;
	struct period month;
	char why[160];
	int rc;
	const char *done;

	if (console_unit(c, 0, &u) < 0)
		return;
	db = ctx_db(c);
	if (form_parse(&f, c->req->body.data ? c->req->body.data : "",
		c->req->body.len) < 0) {
		render(c, 400, &u, last_month(),
		    TR(c, "Không thực hiện được", "It failed"));
		return;
	}
	action = form_get(&f, "action");
	id_s = form_get(&f, "id");
	if (page_month(&f, &month, why, sizeof(why)) < 0) {
		render(c, 400, &u, last_month(), period_why(c, why));
		goto out;
	}
	if (id_s != NULL &&
	    parse_int64(id_s, strlen(id_s), 1, INT64_MAX, &id) < 0)
		id = -1;
	err[0] = '\0';
	if (action != NULL && strcmp(action, "build") == 0) {
		rc = do_build(c, db, &u, &month, err, sizeof(err));
		done = TR(c, "Đã lập báo cáo.", "The report was built.");
	} else if (action != NULL && strcmp(action, "sign") == 0 && id > 0) {
		rc = do_sign(c, db, &u, id, err, sizeof(err));
		done = TR(c, "Đã ký báo cáo.", "The report was signed.");
	} else if (action != NULL && strcmp(action, "submit") == 0 && id > 0) {
		rc = submit_start(c, db, &u, id, err, sizeof(err));
		if (rc == 0)
			goto out; /* answered by submit_resumed() */
		done = TR(c, "Đã gửi báo cáo; đơn vị cấp trên đã nhận.",
		    "The report was sent and accepted.");
	} else {
		render(c, 400, &u, month,
		    TR(c, "Không thực hiện được", "It failed"));
		goto out;
	}
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s: %s",
		    TR(c, "Không thực hiện được", "It failed"), err);
		render(c, 422, &u, month, msg);
		goto out;
	}
	render(c, 200, &u, month, done);
out:
	form_release(&f);
}

/*
 * report.html, report.pdf or report.signed.pdf of doc into the answer,
 * with what `report build` draws beside the figures.  0, or answers 503
 * and returns -1.
 */
static int
drawn(struct ctx *c, const char *unit, const json_t *doc, size_t which)
{
	const struct config *cfg = &c->srv->cfg;
	struct buf *b = &c->req->resp.body, pdf = { 0 };
	struct report_extra x = { 0 };
	char key[CONFIG_PATH_MAX + 64], cert[CONFIG_PATH_MAX + 64];
	char err[512] = "";
	int rc = -1;

	if (report_extra_load(ctx_db(c), doc, &x, err, sizeof(err)) < 0)
		goto out;
	if (which == F_HTML) {
		http_begin_body(c->req, 200, "text/html; charset=utf-8");
		rc = report_html_ex(doc, &x, b);
		goto out;
	}
	buf_init(&pdf, (size_t)64 << 20);
	if (report_pdf(doc, &x, &pdf, err, sizeof(err)) < 0)
		goto out;
	http_begin_body(c->req, 200, "application/pdf");
	if (which == F_PDF) {
		rc = buf_add(b, pdf.data, pdf.len);
		goto out;
	}
	snprintf(key, sizeof(key), "%s/%s.key.pem", cfg->report_keys, unit);
	snprintf(cert, sizeof(cert), "%s/%s.cert.pem", cfg->report_keys, unit);
	rc = report_pdf_sign(pdf.data, pdf.len, key, cert, b, err, sizeof(err));
out:
	if (rc < 0) {
		log_msg(LOG_ERROR, "reports", "%s of %s: %s", file_names[which],
		    unit, err);
		server_unavailable(c);
	}
	buf_release(&pdf);
	report_extra_release(&x);
	return rc;
}

void
page_reports_file(struct ctx *c)
{
	struct console_unit u;
	const char *id_s = ctx_param(c, 1), *file = ctx_param(c, 2);
	char *json = NULL, *p7s = NULL, disp[128];
	json_t *doc = NULL;
	struct buf *b;
	size_t len, plen, which;
	int64_t id;
	struct period month;
	int r;

	if (console_unit(c, 0, &u) < 0)
		return;
	for (which = 0; which < ARRAY_SIZE(file_names); which++)
		if (file != NULL && strcmp(file, file_names[which]) == 0)
			break;
	if (which == ARRAY_SIZE(file_names) || id_s == NULL ||
	    parse_int64(id_s, strlen(id_s), 1, INT64_MAX, &id) < 0) {
		page_not_found(c);
		return;
	}
	r = load_made(ctx_db(c), u.code, id, &json, &len, &p7s, &plen, &month);
	if (r < 0) {
		server_unavailable(c);
		return;
	}
	if (r > 0 ||
	    ((which == F_P7S || which == F_SIGNED_PDF) && p7s == NULL) ||
	    (which == F_SIGNED_PDF && c->srv->cfg.report_keys[0] == '\0')) {
		page_not_found(c);
		goto out;
	}
	b = &c->req->resp.body;
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
	    file_names[which]);
	if (which == F_JSON || which == F_P7S) {
		http_begin_body(c->req, 200,
		    which == F_JSON ? "application/json"
				    : "application/pkcs7-signature");
		buf_add(b, which == F_JSON ? json : p7s,
		    which == F_JSON ? len : plen);
		http_set_header(&c->req->resp, "Content-Disposition", disp);
		goto out;
	}
	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	if (doc == NULL) {
		server_unavailable(c);
		goto out;
	}
	if (which == F_CSV) {
		http_begin_body(c->req, 200, "text/csv; charset=utf-8");
		report_csv(doc, b);
	} else if (which == F_HTML || which == F_PDF || which == F_SIGNED_PDF) {
		if (drawn(c, u.code, doc, which) < 0)
			goto out;
	} else {
		char tmp[] = "/tmp/hailong-report-XXXXXX", err[256];
		int fd = mkstemp(tmp);
		char *data;
		size_t n;

		if (fd < 0) {
			server_unavailable(c);
			goto out;
		}
		close(fd);
		data = report_xlsx(doc, tmp, err, sizeof(err)) == 0
		    ? file_read(tmp, (size_t)64 << 20, &n, err, sizeof(err))
		    : NULL;
		unlink(tmp);
		if (data == NULL) {
			server_unavailable(c);
			goto out;
		}
		http_begin_body(c->req, 200,
		    "application/"
		    "vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		buf_add(b, data, n);
		free(data);
	}
	http_set_header(&c->req->resp, "Content-Disposition", disp);
out:
	json_decref(doc);
	free(json);
	free(p7s);
}
