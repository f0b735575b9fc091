/* setup.h -- who makes a change to the setup, and what went wrong. */
#ifndef HAILONG_SETUP_H
#define HAILONG_SETUP_H

#include <stddef.h>

#include <jansson.h>

#include "core/i18n.h"

/*
 * One change to the centre's setup (units.h, counters.h, officers.h,
 * procedures.h, instrument.h, duty.h): who makes it, for the audit log
 * ("cli:root", "user:lan", "apikey:3"), and where to say what is wrong,
 * in `lang` (the console passes its page's language, the command line
 * LANG_EN).  Every setup function takes one, writes its audit entry in
 * the same transaction as the change, and returns
 *
 *	0		done
 *	SETUP_BAD	the input is wrong (unknown, duplicate, malformed,
 *			out of bounds); err says which value and why; nothing
 *			changed
 *	SETUP_DBERR	the database failed; err says so; nothing changed
 */
struct change {
	const char *actor; /* borrowed */
	enum lang lang;
	char *err; /* borrowed; always terminated after a failure */
	size_t errlen;
};

#define SETUP_BAD (-1)
#define SETUP_DBERR (-2)

/*
 * Fill ch->err with the message in ch->lang: vi for LANG_VI, en
 * otherwise; both are printf formats taking the same arguments.
 * Returns SETUP_BAD, so that a check reads
 *	return setup_bad(ch, "Mã '%s' đã có", "code '%s' is taken", code);
 */
int setup_bad(struct change *ch, const char *vi, const char *en, ...)
    __attribute__((format(printf, 2, 4)));

/* "the database failed: <db_errmsg>" in ch->lang; returns SETUP_DBERR. */
struct db;
int setup_dberr(struct change *ch, struct db *db);

/*
 * The audit entry of a change, in the open transaction: ch->actor,
 * `action`, `target`, and `detail` as compact JSON with sorted keys
 * (stolen; NULL for none).  0 or -1.
 */
int setup_audit(struct db *db, const struct change *ch, const char *action,
    const char *target, json_t *detail);

/* Commit, or roll back and say why: 0 or SETUP_DBERR. */
int setup_commit(struct db *db, struct change *ch);

/* Roll back after a database failure: setup_dberr()'s SETUP_DBERR. */
int setup_fail(struct db *db, struct change *ch);

#endif
