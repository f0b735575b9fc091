/* console.h -- the frame of every staff page, and the unit in the URL. */
#ifndef HAILONG_CONSOLE_H
#define HAILONG_CONSOLE_H

#include <stdbool.h>

#include "hailong/buf.h"

struct ctx;

/* The unit a console URL names, resolved and checked. */
struct console_unit {
	char code[41];
	char name[301];
	char parent[41]; /* "" at the top */
};

/*
 * Resolve the route's :unit (param index i) for the caller.  0 when the
 * unit exists and is the caller's or below it; otherwise answers 404 (an
 * unknown unit and a unit outside the scope look the same) and returns -1.
 */
int console_unit(struct ctx *c, int i, struct console_unit *u);

/*
 * Start a staff page: head, the bar with the unit, the navigation, the
 * user, the language switch and the logout button.  `tab` is the path
 * after /admin/units/CODE ("" for the overview, "procedures", ...).
 */
void console_begin(struct ctx *c, const struct console_unit *u,
    const char *title, const char *tab);
void console_end(struct ctx *c);

/* Append "?lang=en" (or "&lang=en" when `more`) when the page is English. */
void console_lang_suffix(struct ctx *c, struct buf *b, bool more);

#endif
