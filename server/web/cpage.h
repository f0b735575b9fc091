/* cpage.h -- what the console's pages share: words, errors, forms, paging. */
#ifndef HAILONG_CPAGE_H
#define HAILONG_CPAGE_H

#include <stdbool.h>

#include "hailong/buf.h"
#include "hailong/form.h"
#include "core/i18n.h"

struct ctx;
struct console_unit;

/*
 * A page's own words, Vietnamese first: the English one when the page is
 * English (?lang=en).  Both are static UTF-8.  Pages keep their words
 * beside their markup rather than in i18n.c's shared table.
 */
#define CP_T(c, vi, en) ((c)->lang == LANG_EN ? (en) : (vi))

/* Rows per page of every paginated list. */
#define CPAGE_ROWS 50
/* The highest ?page= accepted. */
#define CPAGE_MAX 100000

/*
 * Answer `status` with a whole console page of unit u whose body is one
 * message (escaped, `vi` or `en` by the page's language): the refusal
 * of a bad filter, a form that could not be read.
 */
void cpage_error(struct ctx *c, const struct console_unit *u, int status,
    const char *vi, const char *en);

/*
 * Read ?page= (1..CPAGE_MAX, default 1) into *page.  0, or -1 when it is
 * not such a number: the caller answers 400.
 */
int cpage_page(struct ctx *c, int *page);

/*
 * The "previous / next" links of a list: `base` is the page's path and
 * query without page= (it ends in '?' or '&').
 */
void cpage_pager(
    struct ctx *c, struct buf *b, const char *base, int page, bool more);

/*
 * Parse a POST's urlencoded body into f (form_release() it).  0, or -1
 * after answering 400.
 */
int cpage_form(struct ctx *c, const struct console_unit *u, struct form *f);

/*
 * The console's tabs for the pages of cpage's family (comments, kiosks,
 * QR codes, ballots, audit, users), those the caller's role may open.
 * Called by console_begin() inside its <nav>.
 */
void cpage_nav(struct ctx *c, const char *unit, const char *tab);

/* A date and time dd/mm/yyyy hh:mm in Asia/Ho_Chi_Minh; "—" for 0. */
void cpage_when(struct buf *b, long long t);

#endif
