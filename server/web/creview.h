/* creview.h -- the review parts other console pages show. */
#ifndef HAILONG_CREVIEW_H
#define HAILONG_CREVIEW_H

struct ctx;
struct console_unit;

/*
 * The reviews of a procedure (code) in the unit's subtree, or of one of
 * the unit's counters (procedure NULL; counter 0: all of them, each
 * named), newest first (50), each with its history: appended to the
 * page.
 */
void creview_history(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter);

/* The form that opens a review (managers; the flags are checked again). */
void creview_form(struct ctx *c, const struct console_unit *u,
    const char *procedure, int counter, int month);

#endif
