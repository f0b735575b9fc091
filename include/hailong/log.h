/* log.h -- one logfmt line per event on stderr (journald keeps them). */
#ifndef HAILONG_LOG_H
#define HAILONG_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below `min` are dropped.  Default LOG_INFO. */
void log_set_level(enum log_level min);
/* Parse "debug", "info", "warn", "error"; -1 when unknown. */
int log_level_parse(const char *s);

/*
 * log_kv(LOG_INFO, "request", "method=%s status=%d", ...) writes
 *	ts=2026-11-24T03:00:00.123Z level=info event=request method=GET status=200
 * The caller formats the key=value pairs; values that may hold spaces or
 * quotes must go through log_msg() instead.  Never pass a secret, token,
 * password or phone number: logs leave the machine.
 */
void log_kv(enum log_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like log_kv() but the formatted text becomes one quoted msg="..." field. */
void log_msg(enum log_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
