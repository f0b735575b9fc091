/* setup.c -- the error half of a setup change (setup.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "hailong/db.h"
#include "core/audit.h"
#include "core/setup.h"

int
setup_bad(struct change *ch, const char *vi, const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	/* the two formats take the same arguments; the compiler checks vi */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(ch->err, ch->errlen, ch->lang == LANG_VI ? vi : en, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return SETUP_BAD;
}

int
setup_dberr(struct change *ch, struct db *db)
{
	snprintf(ch->err, ch->errlen,
	    ch->lang == LANG_VI ? "lỗi cơ sở dữ liệu: %s"
				: "the database failed: %s",
	    db_errmsg(db));
	return SETUP_DBERR;
}

int
setup_audit(struct db *db, const struct change *ch, const char *action,
    const char *target, json_t *detail)
{
	char *text = detail != NULL
	    ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)
	    : NULL;
	int rc = audit_append(db, ch->actor, action, target, text ? text : "");

	free(text);
	json_decref(detail);
	return rc;
}

int
setup_commit(struct db *db, struct change *ch)
{
	if (db_commit(db) == 0)
		return 0;
	return setup_fail(db, ch);
}

int
setup_fail(struct db *db, struct change *ch)
{
	setup_dberr(ch, db);
	db_rollback(db);
	return SETUP_DBERR;
}
