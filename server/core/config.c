/* config.c -- the server's options: one table for file and flags. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/http.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/addrlist.h"
#include "core/config.h"
#include "core/fold.h"

enum opt_type { OPT_STR, OPT_UINT };

struct opt {
	const char *key;
	enum opt_type type;
	size_t off, size;  /* where in struct config, and its size */
	unsigned min, max; /* for numbers */
	const char *def;
};

#define S(k, def) \
	{ \
#k, OPT_STR, offsetof(struct config, k), \
		    sizeof(((struct config *)0)->k), 0, 0, def \
	}
#define U(k, lo, hi, def) \
	{ \
#k, OPT_UINT, offsetof(struct config, k), sizeof(unsigned), \
		    lo, hi, def \
	}

static const struct opt opts[] = {
	S(db, "/var/lib/hailong/hailong.db"),
	S(listen, "127.0.0.1:8080"),
	S(base_url, ""),
	U(rate_limit_per_min, 0, 100000, "60"),
	U(login_attempts_per_min, 0, 100000, "20"),
	U(kiosk_enrolments_per_min, 0, 100000, "10"),
	U(apikey_failure_limit, 0, 100000, "20"),
	U(report_submissions_per_hour, 0, 100000, "60"),
	U(threads, 1, 64, "2"),
	U(max_connections, 16, 65536, "1024"),
	U(max_connections_per_ip, 0, 65536, "128"),
	U(timeout, 1, 3600, "30"),
	U(max_body_memory, 1, 1048576, "256"),
	U(login_failures, 0, 1000, "5"),
	U(login_failures_global, 0, 100000, "100"),
	U(writer_queue, 16, 1000000, "20000"),
	S(tls_cert, ""),
	S(tls_key, ""),
	S(trusted_proxies, ""),
	S(log_level, "info"),
	S(metrics_allow, "127.0.0.1 ::1"),
	U(retention_callback_days, 0, 3650, "0"),
	S(retention_comment, "redact"),
	U(retention_fold_months, 0, FOLD_MONTHS_MAX, "0"),
	S(backup_dir, "/var/backups/hailong"),
	U(backup_keep, 1, 10000, "14"),
	S(report_ca, ""),
	S(report_keys, ""),
	S(report_parent_url, ""),
	S(report_parent_apikey_file, ""),
	S(smtp_url, ""),
	S(smtp_from, ""),
	S(smtp_user, ""),
	S(smtp_password_file, ""),
	S(smtp_starttls, "auto"),
	S(alert_ca_file, ""),
	U(alert_poll_ms, 10, 600000, "5000"),
	U(alert_retry_ms, 10, 86400000, "60000"),
	U(alert_retry_max_ms, 10, 86400000, "3600000"),
	U(alert_max_attempts, 1, 1000, "48"),
	U(alert_check_seconds, 1, 86400, "300"),
	U(alert_kiosk_offline_minutes, 1, 100000, "60"),
	U(alert_kiosk_backlog, 0, 10000000, "200"),
	U(alert_disk_percent, 1, 100, "90"),
};

static const struct opt *
find(const char *key, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		const char *k = opts[i].key;
		size_t j;

		for (j = 0; j < len && k[j] != '\0'; j++) {
			char c = key[j] == '-' ? '_' : key[j];

			if (c != k[j])
				break;
		}
		if (j == len && k[j] == '\0')
			return &opts[i];
	}
	return NULL;
}

static int
set(struct config *c, const struct opt *o, const char *value, char *err,
    size_t errlen)
{
	char *field = (char *)c + o->off;
	int64_t v;

	if (o->type == OPT_STR) {
		if (strlen(value) >= o->size) {
			snprintf(err, errlen, "%s: longer than %zu bytes",
			    o->key, o->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
	if (parse_int64(value, strlen(value), o->min, o->max, &v) < 0) {
		snprintf(err, errlen,
		    "%s: '%s' is not a whole number from %u "
		    "to %u",
		    o->key, value, o->min, o->max);
		return -1;
	}
	*(unsigned *)(void *)field = (unsigned)v;
	return 0;
}

void
config_defaults(struct config *c)
{
	char err[128];

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
		set(c, &opts[i], opts[i].def, err, sizeof(err));
}

int
config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	const struct opt *o = find(key, strlen(key));

	if (o == NULL) {
		snprintf(err, errlen, "unknown option '%s'", key);
		return -1;
	}
	return set(c, o, value, err, errlen);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], why[256];
	int n = 0, rc = -1;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read config '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *key, *value;

		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, n);
			goto out;
		}
		s = strchr(line, '#');
		if (s != NULL)
			*s = '\0';
		s = trim(line);
		if (*s == '\0')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen,
			    "%s:%d: expected 'option = value'", path, n);
			goto out;
		}
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		if (config_set(c, key, value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, n, why);
			goto out;
		}
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

int
config_from_args(struct config *c, int argc, char **argv, char **rest,
    int *nrest, char *err, size_t errlen)
{
	*nrest = 0;
	/* the file first, so that flags override it */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			if (config_load_file(c, argv[i + 1], err, errlen) < 0)
				return -1;
		} else if (str_has_prefix(argv[i], "--config=")) {
			if (config_load_file(c, argv[i] + 9, err, errlen) < 0)
				return -1;
		}
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *value;
		const struct opt *o;
		char why[256];

		if (!str_has_prefix(a, "--")) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		eq = strchr(a, '=');
		if (strcmp(a, "--config") == 0) {
			i++;
			continue;
		}
		if (str_has_prefix(a, "--config="))
			continue;
		o = find(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (o == NULL) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (eq != NULL) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			snprintf(err, errlen, "%s needs a value", a);
			return -1;
		}
		if (set(c, o, value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "--%s", why);
			return -1;
		}
	}
	return 0;
}

int
config_validate(const struct config *c, char *err, size_t errlen)
{
	struct http_config hc;
	char why[160];

	if (c->db[0] == '\0') {
		snprintf(err, errlen, "db: no database file given");
		return -1;
	}
	if (http_parse_listen(c->listen, &hc) < 0) {
		snprintf(err, errlen,
		    "listen: '%s' is not ADDR:PORT (like "
		    "127.0.0.1:8080 or [::1]:8080)",
		    c->listen);
		return -1;
	}
	if ((c->tls_cert[0] == '\0') != (c->tls_key[0] == '\0')) {
		snprintf(err, errlen, "tls_cert and tls_key go together");
		return -1;
	}
	if (c->base_url[0] != '\0' && !str_has_prefix(c->base_url, "http://") &&
	    !str_has_prefix(c->base_url, "https://")) {
		snprintf(err, errlen,
		    "base_url: '%s' must start with http:// "
		    "or https://",
		    c->base_url);
		return -1;
	}
	if (log_level_parse(c->log_level) < 0) {
		snprintf(err, errlen,
		    "log_level: '%s' is not one of debug, "
		    "info, warn, error",
		    c->log_level);
		return -1;
	}
	if (addrlist_check(c->metrics_allow, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "metrics_allow: %s", why);
		return -1;
	}
	if (c->report_parent_url[0] != '\0' &&
	    !str_has_prefix(c->report_parent_url, "http://") &&
	    !str_has_prefix(c->report_parent_url, "https://")) {
		snprintf(err, errlen,
		    "report_parent_url: '%s' must start with http:// or "
		    "https://",
		    c->report_parent_url);
		return -1;
	}
	if ((c->report_parent_url[0] == '\0') !=
	    (c->report_parent_apikey_file[0] == '\0')) {
		snprintf(err, errlen,
		    "report_parent_url and report_parent_apikey_file go "
		    "together");
		return -1;
	}
	if (strcmp(c->retention_comment, "redact") != 0 &&
	    strcmp(c->retention_comment, "delete") != 0) {
		snprintf(err, errlen,
		    "retention_comment: '%s' is not 'redact' or 'delete'",
		    c->retention_comment);
		return -1;
	}
	if (c->smtp_url[0] != '\0' && !str_has_prefix(c->smtp_url, "smtp://") &&
	    !str_has_prefix(c->smtp_url, "smtps://")) {
		snprintf(err, errlen,
		    "smtp_url: '%s' must start with smtp:// or smtps://",
		    c->smtp_url);
		return -1;
	}
	if (c->smtp_url[0] != '\0' && strchr(c->smtp_from, '@') == NULL) {
		snprintf(err, errlen,
		    "smtp_url: needs smtp_from, the sender's address (like "
		    "'Hài lòng <hailong@example.gov.vn>')");
		return -1;
	}
	if ((c->smtp_user[0] == '\0') != (c->smtp_password_file[0] == '\0')) {
		snprintf(err, errlen,
		    "smtp_user and smtp_password_file go together");
		return -1;
	}
	if (strcmp(c->smtp_starttls, "auto") != 0 &&
	    strcmp(c->smtp_starttls, "yes") != 0 &&
	    strcmp(c->smtp_starttls, "no") != 0) {
		snprintf(err, errlen,
		    "smtp_starttls: '%s' is not auto, yes or no",
		    c->smtp_starttls);
		return -1;
	}
	if (c->alert_retry_max_ms < c->alert_retry_ms) {
		snprintf(err, errlen,
		    "alert_retry_max_ms: %u is less than alert_retry_ms %u",
		    c->alert_retry_max_ms, c->alert_retry_ms);
		return -1;
	}
	if (c->retention_fold_months != 0 &&
	    c->retention_fold_months < FOLD_MONTHS_MIN) {
		snprintf(err, errlen,
		    "retention_fold_months: %u is less than %d (a year of raw "
		    "ratings is always kept); 0 never folds",
		    c->retention_fold_months, FOLD_MONTHS_MIN);
		return -1;
	}
	return 0;
}

int
config_file_line(const char *path, const char *key)
{
	const struct opt *want = find(key, strlen(key));
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0, found = 0;

	if (f == NULL || want == NULL) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq;

		n++;
		s = strchr(line, '#');
		if (s != NULL)
			*s = '\0';
		eq = strchr(line, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		s = trim(line);
		if (find(s, strlen(s)) == want)
			found = n;
	}
	fclose(f);
	return found;
}

void
config_print(const struct config *c, void *file)
{
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		const char *field = (const char *)c + opts[i].off;

		if (opts[i].type == OPT_STR)
			fprintf(file, "%s = %s\n", opts[i].key, field);
		else
			fprintf(file, "%s = %u\n", opts[i].key,
			    *(const unsigned *)(const void *)field);
	}
}
