/*
 * page_setup.h -- what the pages of the console's setup tab ("Thiết
 * lập": page_setup.c, page_setup_counters.c, page_setup_officers.c,
 * page_setup_duty.c, page_setup_proc.c, page_setup_instr.c) share: who may open which part, the frame with
 * its sub-navigation, the change made on the caller's behalf, and the
 * redirect with its message after a change.
 */
#ifndef HAILONG_PAGE_SETUP_H
#define HAILONG_PAGE_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "hailong/buf.h"
#include "core/setup.h"
#include "web/console.h"

struct ctx;

/* The parts of the tab, in the order of its sub-navigation. */
enum setup_sub {
	SETUP_UNIT,       /* the unit and its sub-units: admins */
	SETUP_COUNTERS,   /* managers of the unit, admins above it */
	SETUP_OFFICERS,   /* the same */
	SETUP_PROCEDURES, /* the same */
	SETUP_DUTY,       /* the same */
	SETUP_INSTRUMENT, /* admins of a top unit (no parent) only */
};

/*
 * A change made from the console (setup.h): the actor "user:NAME", the
 * page's language, room for the message.  setup_call_init() fills it.
 */
struct setup_call {
	struct change ch;
	char actor[80];
	char err[512];
};

void setup_call_init(struct ctx *c, struct setup_call *s);

/*
 * Whether the caller may open part `sub` of unit u (u already resolved
 * by console_unit(), so inside the caller's scope): admins anywhere in
 * their subtree, managers only on their own unit and not SETUP_UNIT,
 * SETUP_INSTRUMENT an admin on a top unit only.
 */
bool setup_may(struct ctx *c, const struct console_unit *u, enum setup_sub sub);

/*
 * Resolve the route's :unit into u and check setup_may(): 0, or -1
 * after answering 404 (a unit outside the scope) or 403.
 */
int setup_unit(struct ctx *c, enum setup_sub sub, struct console_unit *u);

/*
 * Start a setup page of part `sub`: the console's frame (tab "setup"),
 * the sub-navigation, the message of a change just made (?done=), and
 * `alert` (escaped; NULL for none) as an error.  The answer's status
 * is `status`.
 */
void setup_begin(struct ctx *c, const struct console_unit *u,
    enum setup_sub sub, int status, const char *alert);

/* Append the path of part `sub` of unit `unit`, without a query. */
void setup_path(struct buf *b, const char *unit, enum setup_sub sub);

/*
 * After a change: 303 to part `sub` of `unit` with ?done=KEY and
 * &what=WHAT (NULL for none; URL-encoded), `more` (a query fragment of
 * safe characters, "" for none: "counter=3") and the page's language.
 */
void setup_done(struct ctx *c, const char *unit, enum setup_sub sub,
    const char *key, const char *what, const char *more);

/*
 * A failed setup call that is not SETUP_BAD: answer 503.  Returns -1.
 * (SETUP_BAD shows the form again; each page does it.)
 */
int setup_unavailable(struct ctx *c, const struct setup_call *s);

/* value="..." of an input: v escaped when it is UTF-8, else empty. */
void setup_value(struct buf *b, const char *v);

/* A field's inline error (escaped; nothing when msg is NULL). */
void setup_field_error(struct buf *b, const char *msg);

/* A counter number 1..999 from a form value: 0, or -1. */
int setup_number(const char *v, int *n);

/* Append " NAME" of officer id, escaped; nothing when unknown. */
void setup_officer_name(struct ctx *c, struct buf *b, const char *id);

/*
 * Append "Quầy N — NAME", escaped; NAME alone when it already says
 * "Quầy N" (or "Counter N") at its start, so no label reads twice.
 */
void
setup_counter_label(struct ctx *c, struct buf *b, int number, const char *name);

/* The confirmation of a POST that stops something: "confirm" is "1". */
bool setup_confirmed(const struct form *f);

#endif
