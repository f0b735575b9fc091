/* setup.c -- the error half of a setup change (setup.h). */
#include <stdarg.h>
#include <stdio.h>

#include "hailong/db.h"
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
