/* page_setup_proc.c -- setup: which procedures a unit or a counter handles. */
#include <stdio.h>
#include <string.h>

#include "hailong/text.h"
#include "hailong/util.h"
#include "core/counters.h"
#include "core/procedures.h"
#include "web/console.h"
#include "web/html.h"
#include "web/page_setup.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/session.h"

/*
 * The picker: the procedures assigned to the unit (or to one of its
 * counters, ?counter=N), the catalogue searched by code, name or field
 * (?q=), checkboxes to assign or unassign, and a whole field at once.
 * A form holds at most FORM_MAX_FIELDS fields, so one submit carries at
 * most PICK_MAX codes; a whole field goes by its name instead.
 */

#define PICK_MAX 60    /* codes in one submit (form.h's field cap) */
#define SEARCH_MAX 200 /* rows of a search shown */
#define ASSIGNED_MAX 2000
#define QUERY_MAX 100 /* bytes of ?q= */

/* The page's target and search, from the query or the posted form. */
struct pick {
	int counter; /* 0: the unit */
	const char *q;
	const struct form *posted; /* a refused post: its boxes stay ticked */
};

static bool
ticked(const struct pick *p, const char *code)
{
	if (p->posted == NULL)
		return false;
	for (int i = 0; i < p->posted->n; i++)
		if (strcmp(p->posted->f[i].name, "code") == 0 &&
		    strcmp(p->posted->f[i].value, code) == 0)
			return true;
	return false;
}

struct counter_choice {
	struct ctx *c;
	int sel;
};

static int
counter_choice(void *arg, const struct counter_row *r)
{
	struct counter_choice *o = arg;
	struct buf *b = &o->c->req->resp.body;

	if (!r->active)
		return 0;
	buf_printf(b, "<option value=\"%d\"%s>", r->number,
	    r->number == o->sel ? " selected" : "");
	setup_counter_label(o->c, b, r->number, r->name);
	buf_puts(b, "</option>\n");
	return 0;
}

struct rows {
	struct ctx *c;
	const struct pick *p;
	int n, max;
	bool more;
	bool search;
};

static int
row(void *arg, const struct procedure_row *r)
{
	struct rows *w = arg;
	struct ctx *c = w->c;
	struct buf *b = &c->req->resp.body;

	if (w->n == w->max) {
		w->more = true;
		return 1;
	}
	if (w->n++ == 0)
		buf_printf(b, "<ul class=\"picks\" id=\"%s\">\n",
		    w->search ? "found" : "assigned");
	buf_printf(b,
	    "<li%s><label><input type=\"checkbox\" name=\"code\" "
	    "value=\"",
	    w->search && r->assigned ? " class=\"on\"" : "");
	buf_html(b, r->code);
	buf_printf(b, "\"%s> <span class=\"code\">",
	    ticked(w->p, r->code) ? " checked" : "");
	buf_html(b, r->code);
	buf_puts(b, "</span> ");
	buf_html(b, r->name);
	buf_puts(b, " <span class=\"meta\">");
	buf_html(b, r->field);
	if (w->search && r->assigned) {
		buf_puts(b, " · <strong>");
		buf_html(b, TR(c, "đã gán", "assigned"));
		buf_puts(b, "</strong>");
	}
	buf_puts(b, "</span></label></li>\n");
	return 0;
}

static void
form_open(struct ctx *c, struct buf *b, const struct console_unit *u,
    const struct pick *p, const char *cls)
{
	buf_printf(b, "<form class=\"%s\" method=\"post\" action=\"", cls);
	setup_path(b, u->code, SETUP_PROCEDURES);
	console_lang_suffix(c, b, false);
	buf_puts(b, "\">\n");
	session_csrf_field(c, b);
	buf_printf(b, "<input type=\"hidden\" name=\"counter\" value=\"%d\">\n",
	    p->counter);
	if (p->q != NULL && p->q[0] != '\0') {
		buf_puts(b, "<input type=\"hidden\" name=\"q\"");
		setup_value(b, p->q);
		buf_puts(b, ">\n");
	}
}

struct field_opts {
	struct ctx *c;
	int n;
};

static void
field_option(void *arg, const char *field)
{
	struct field_opts *o = arg;
	struct buf *b = &o->c->req->resp.body;

	o->n++;
	buf_puts(b, "<option");
	setup_value(b, field);
	buf_puts(b, ">");
	buf_html(b, field);
	buf_puts(b, "</option>\n");
}

static void
render(struct ctx *c, const struct console_unit *u, const struct pick *p,
    int status, const char *alert)
{
	struct counter_choice cc = { .c = c, .sel = p->counter };
	struct rows assigned = { .c = c, .p = p, .max = ASSIGNED_MAX };
	struct rows found = {
		.c = c, .p = p, .max = SEARCH_MAX, .search = true
	};
	struct field_opts fo = { .c = c };
	struct buf *b;
	const char *target;

	setup_begin(c, u, SETUP_PROCEDURES, status, alert);
	b = &c->req->resp.body;
	/* what the page works on, and the search: a GET form */
	buf_puts(b, "<form class=\"filters\" method=\"get\" action=\"");
	setup_path(b, u->code, SETUP_PROCEDURES);
	buf_puts(b, "\">\n");
	if (c->lang == LANG_EN)
		buf_puts(
		    b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
	buf_printf(b,
	    "<label>%s <select name=\"counter\" id=\"pick-counter\">\n"
	    "<option value=\"0\">%s</option>\n",
	    TR(c, "Gán cho", "Assign to"),
	    TR(c, "Cả đơn vị", "The whole unit"));
	(void)counters_list(ctx_db(c), u->code, counter_choice, &cc);
	buf_printf(b,
	    "</select></label>\n<label>%s <input type=\"search\" name=\"q\" "
	    "id=\"pick-q\" maxlength=\"%d\" placeholder=\"%s\"",
	    TR(c, "Tìm trong danh mục", "Search the catalogue"), QUERY_MAX,
	    TR(c, "mã, tên hoặc lĩnh vực", "code, name or field"));
	setup_value(b, p->q);
	buf_printf(b,
	    "></label>\n<button type=\"submit\">%s</button>\n</form>\n",
	    TR(c, "Tìm", "Search"));
	target = p->counter > 0 ? TR(c, "quầy", "counter") : NULL;
	/* a whole field */
	buf_printf(
	    b, "<h2>%s</h2>\n", TR(c, "Gán cả lĩnh vực", "A whole field"));
	form_open(c, b, u, p, "setup row");
	buf_printf(b, "<label>%s <select name=\"field\" id=\"pick-field\">\n",
	    TR(c, "Lĩnh vực", "Field"));
	(void)procedures_each_field(ctx_db(c), field_option, &fo);
	buf_printf(b,
	    "</select></label>\n<button type=\"submit\" name=\"action\" "
	    "value=\"assign\" id=\"assign-field\">%s</button> <button "
	    "type=\"submit\" name=\"action\" value=\"unassign\">%s</button>\n"
	    "</form>\n",
	    TR(c, "Gán lĩnh vực", "Assign the field"),
	    TR(c, "Bỏ gán lĩnh vực", "Unassign the field"));
	/* the search */
	if (p->q != NULL && p->q[0] != '\0') {
		buf_printf(b, "<h2>%s “", TR(c, "Kết quả tìm", "Found for"));
		buf_html(b, p->q);
		buf_puts(b, "”</h2>\n");
		form_open(c, b, u, p, "setup picks");
		if (procedures_list(ctx_db(c), u->code, p->counter, true, p->q,
			row, &found) < 0)
			buf_printf(b,
			    "<p class=\"error\" role=\"alert\">%s</p>\n",
			    TR(c, "Không tìm được trong danh mục.",
				"The catalogue could not be searched."));
		if (found.n > 0) {
			buf_puts(b, "</ul>\n");
			if (found.more)
				buf_printf(b, "<p class=\"note\">%s %d.</p>\n",
				    TR(c, "Chỉ hiện", "Only the first shown:"),
				    SEARCH_MAX);
			buf_printf(b,
			    "<p class=\"note\">%s %d.</p>\n<button "
			    "type=\"submit\" name=\"action\" value=\"assign\" "
			    "id=\"assign-picked\">%s</button>\n",
			    TR(c, "Mỗi lần chọn tối đa",
				"Tick at most, each time:"),
			    PICK_MAX,
			    TR(c, "Gán các thủ tục đã chọn",
				"Assign the ticked procedures"));
		} else {
			buf_printf(b, "<p class=\"none\">%s</p>\n",
			    TR(c, "Không có thủ tục nào khớp.",
				"No procedure matches."));
		}
		buf_puts(b, "</form>\n");
	}
	/* what is assigned */
	buf_printf(b, "<h2>%s", TR(c, "Thủ tục đã gán cho", "Assigned to"));
	if (target != NULL)
		buf_printf(b, " %s %d", target, p->counter);
	else
		buf_printf(b, " %s", TR(c, "đơn vị", "the unit"));
	buf_puts(b, "</h2>\n");
	form_open(c, b, u, p, "setup picks");
	if (procedures_list(ctx_db(c), u->code, p->counter, false, NULL, row,
		&assigned) < 0)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
		    TR(c, "Không đọc được danh sách thủ tục.",
			"The procedures could not be read."));
	if (assigned.n > 0)
		buf_printf(b,
		    "</ul>\n<button type=\"submit\" name=\"action\" "
		    "value=\"unassign\" id=\"unassign-picked\">%s</button>\n",
		    TR(c, "Bỏ gán các thủ tục đã chọn",
			"Unassign the ticked procedures"));
	else
		buf_printf(b, "<p class=\"none\">%s</p>\n",
		    p->counter > 0
			? TR(c,
			      "Quầy chưa có thủ tục riêng: quầy nhận mọi thủ "
			      "tục của đơn vị.",
			      "The counter lists none of its own: it takes "
			      "every procedure of the unit.")
			: TR(c, "Đơn vị chưa được gán thủ tục nào.",
			      "No procedure is assigned to the unit yet."));
	buf_puts(b, "</form>\n");
	console_end(c);
}

/* ?counter= or the posted counter: 0 or 1..999; -1 when malformed. */
static int
read_counter(const char *v, int *counter)
{
	*counter = 0;
	if (v == NULL || v[0] == '\0' || strcmp(v, "0") == 0)
		return 0;
	return setup_number(v, counter);
}

static bool
is_query(const char *q)
{
	return q == NULL || q[0] == '\0' ||
	    text_is_clean_line(q, strlen(q), QUERY_MAX);
}

void
page_setup_procedures(struct ctx *c)
{
	struct console_unit u;
	struct pick p = { 0 };

	if (setup_unit(c, SETUP_PROCEDURES, &u) < 0)
		return;
	p.q = form_get(&c->query, "q");
	if (read_counter(form_get(&c->query, "counter"), &p.counter) < 0 ||
	    !is_query(p.q)) {
		console_error(c, &u, 400,
		    "Tham số không hợp lệ: quầy là số từ 1 đến 999, từ khóa "
		    "tìm tối đa 100 byte.",
		    "Bad parameter: a counter is 1 to 999, a search 100 bytes "
		    "at most.",
		    NULL);
		return;
	}
	render(c, &u, &p, 200, NULL);
}

void
page_setup_procedures_post(struct ctx *c)
{
	struct console_unit u;
	struct form form = { 0 };
	struct pick p = { 0 };
	struct setup_call s;
	struct buf more = { 0 };
	const char *codes[PICK_MAX], *action, *field;
	char what[16];
	size_t n = 0;
	int changed = 0, rc;
	bool assign;

	if (setup_unit(c, SETUP_PROCEDURES, &u) < 0 ||
	    console_form(c, &u, &form) < 0)
		return;
	p.q = form_get(&form, "q");
	if (!is_query(p.q))
		p.q = NULL;
	action = form_get(&form, "action");
	field = form_get(&form, "field");
	if (read_counter(form_get(&form, "counter"), &p.counter) < 0) {
		render(c, &u, &p, 400,
		    TR(c, "Số quầy phải là một số từ 1 đến 999.",
			"The counter number must be a number from 1 to 999."));
		goto out;
	}
	p.posted = &form;
	assign = action != NULL && strcmp(action, "assign") == 0;
	if (action == NULL || (!assign && strcmp(action, "unassign") != 0)) {
		render(c, &u, &p, 400,
		    TR(c, "Hãy dùng nút “Gán” hoặc “Bỏ gán”.",
			"Use an “Assign” or “Unassign” button."));
		goto out;
	}
	for (int i = 0; i < form.n; i++) {
		if (strcmp(form.f[i].name, "code") != 0)
			continue;
		if (n == PICK_MAX) {
			render(c, &u, &p, 400,
			    TR(c, "Chọn quá nhiều thủ tục trong một lần.",
				"Too many procedures ticked at once."));
			goto out;
		}
		codes[n++] = form.f[i].value;
	}
	if (field != NULL && field[0] == '\0')
		field = NULL;
	if (n == 0 && field == NULL) {
		render(c, &u, &p, 400,
		    TR(c, "Hãy chọn ít nhất một thủ tục hoặc một lĩnh vực.",
			"Tick at least one procedure, or choose a field."));
		goto out;
	}
	setup_call_init(c, &s);
	rc = assign ? procedures_assign(ctx_db(c), &s.ch, u.code, p.counter,
			  codes, n, field, &changed)
		    : procedures_unassign(ctx_db(c), &s.ch, u.code, p.counter,
			  codes, n, field, &changed);
	if (rc == SETUP_BAD) {
		render(c, &u, &p, 400, s.err);
	} else if (rc < 0) {
		setup_unavailable(c, &s);
	} else {
		snprintf(what, sizeof(what), "%d", changed);
		if (p.counter > 0)
			buf_printf(&more, "counter=%d", p.counter);
		if (p.q != NULL && p.q[0] != '\0') {
			buf_puts(&more, p.counter > 0 ? "&q=" : "q=");
			buf_urlenc(&more, p.q);
		}
		setup_done(c, u.code, SETUP_PROCEDURES,
		    assign ? "procedure.assign" : "procedure.unassign", what,
		    buf_str(&more));
	}
out:
	buf_release(&more);
	form_release(&form);
}
