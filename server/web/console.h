/*
 * console.h -- the frame of every staff page and what its pages share:
 * the unit in the URL, the tabs, the error page, forms, paging, dates,
 * and the review parts other pages show.
 */
#ifndef HAILONG_CONSOLE_H
#define HAILONG_CONSOLE_H

#include <stdbool.h>

#include "hailong/buf.h"
#include "hailong/form.h"
#include "core/i18n.h"

struct ctx;

/* The unit a console URL names, resolved and checked. */
struct console_unit {
	char code[41];
	char name[301];
	char parent[41]; /* "" at the top */
};

/* Rows per page of every paginated list. */
#define CONSOLE_ROWS 50
/* The highest ?page= accepted. */
#define CONSOLE_PAGE_MAX 100000

/*
 * Resolve the route's :unit (param index i) for the caller.  0 when the
 * unit exists and is the caller's or below it; otherwise answers 404 (an
 * unknown unit and a unit outside the scope look the same) and returns -1.
 */
int console_unit(struct ctx *c, int i, struct console_unit *u);

/*
 * Start a staff page: head, the bar with the unit, the tabs (those the
 * caller's role may open), the user, the language switch and the logout
 * button.  `tab` is the path after /admin/units/CODE ("" for the
 * overview, "procedures", ...).
 */
void console_begin(struct ctx *c, const struct console_unit *u,
    const char *title, const char *tab);
void console_end(struct ctx *c);

/* Append "?lang=en" (or "&lang=en" when `more`) when the page is English. */
void console_lang_suffix(struct ctx *c, struct buf *b, bool more);

/*
 * The error page: answer `status` with one message (`vi` or `en` by the
 * page's language, escaped), then `what` (escaped, cut to 80 bytes; may
 * be NULL): the offending parameter or value.  With a unit u, a whole
 * console page of u titled "cannot do that"; without one (u NULL: public
 * pages, and requests refused before the unit's page is built) a bare
 * "bad request" card.
 */
void console_error(struct ctx *c, const struct console_unit *u, int status,
    const char *vi, const char *en, const char *what);

/*
 * Read ?page= (1..CONSOLE_PAGE_MAX, default 1) into *page.  0, or -1
 * when it is not such a number: the caller answers 400.
 */
int console_page(struct ctx *c, int *page);

/*
 * The "previous / next" links of a list: `base` is the page's path and
 * query without page= (it ends in '?' or '&').
 */
void console_pager(
    struct ctx *c, struct buf *b, const char *base, int page, bool more);

/*
 * Parse a POST's urlencoded body into f (form_release() it).  0, or -1
 * after answering 400.
 */
int console_form(struct ctx *c, const struct console_unit *u, struct form *f);

/* A date and time dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh; "—" for 0. */
void console_when(struct buf *b, long long t);

/*
 * page_reviews.c: the reviews of a procedure (code) in the unit's
 * subtree, or of one of the unit's counters (procedure NULL; counter 0:
 * all of them, each named), newest first (50), each with its history:
 * appended to the page.
 */
void console_review_history(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter);

/* The form that opens a review (managers; the flags are checked again). */
void console_review_form(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter, int month);

#endif
