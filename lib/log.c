/* log.c -- one logfmt line per event on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hailong/buf.h"
#include "hailong/log.h"

static enum log_level log_min = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level min)
{
	log_min = min;
}

int
log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

static void
log_head(struct buf *b, enum log_level lvl, const char *event)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(b, "ts=%s.%03ldZ level=%s event=%s", when,
	    ts.tv_nsec / 1000000, level_names[lvl], event);
}

static void
log_emit(struct buf *b)
{
	buf_putc(b, '\n');
	/* one fputs per line: stdio locks the stream, lines never interleave */
	fputs(buf_str(b), stderr);
	buf_release(b);
}

void
log_kv(enum log_level lvl, const char *event, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	if (lvl < log_min)
		return;
	log_head(&b, lvl, event);
	if (fmt[0] != '\0') {
		buf_putc(&b, ' ');
		va_start(ap, fmt);
		buf_vprintf(&b, fmt, ap);
		va_end(ap);
	}
	log_emit(&b);
}

void
log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
{
	struct buf b = { 0 }, m = { 0 };
	va_list ap;

	if (lvl < log_min)
		return;
	log_head(&b, lvl, event);
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	buf_puts(&b, " msg=\"");
	for (const char *p = buf_str(&m); *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&b, '\\');
		if (*p == '\n')
			buf_puts(&b, "\\n");
		else if ((unsigned char)*p >= 0x20)
			buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	buf_release(&m);
	log_emit(&b);
}
