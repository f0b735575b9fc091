/* config.h -- the server's options: one table for file and flags. */
#ifndef HAILONG_CONFIG_H
#define HAILONG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_PATH_MAX 512

struct config {
	char db[CONFIG_PATH_MAX];
	char listen[128];
	char base_url[256];
	unsigned rate_limit_per_min; /* form POSTs per client; 0 off */
	/* the other limits of a client or key (0 off; see etc/hailong.conf) */
	unsigned login_attempts_per_min;      /* per client address */
	unsigned kiosk_enrolments_per_min;    /* per client address */
	unsigned apikey_failure_limit;        /* per client address */
	unsigned report_submissions_per_hour; /* per API key */
	unsigned threads;                     /* HTTP event threads */
	unsigned max_connections;
	unsigned max_connections_per_ip;
	unsigned timeout;         /* seconds of idle before closing */
	unsigned max_body_memory; /* MiB of request bodies held at once */
	unsigned login_failures;  /* per username and address, then rest */
	unsigned login_failures_global; /* per username, all addresses */
	unsigned writer_queue;          /* ratings waiting for the disk */
	char tls_cert[CONFIG_PATH_MAX];
	char tls_key[CONFIG_PATH_MAX];
	char trusted_proxies[512]; /* addresses whose X-Forwarded-For counts */
	char log_level[16];
	char metrics_allow[512];          /* who may GET /metrics */
	unsigned retention_callback_days; /* after closing: erase the phone */
	char retention_comment[16];       /* "redact" or "delete" */
	unsigned retention_fold_months;   /* fold older months; 0 never */
	char backup_dir[CONFIG_PATH_MAX];
	unsigned backup_keep; /* backups kept in backup_dir */
	/* signed monthly reports (report.h, api_reports.c, page_reports.c) */
	char report_ca[CONFIG_PATH_MAX];   /* trust store for received ones */
	char report_keys[CONFIG_PATH_MAX]; /* dir of UNIT.key.pem/.cert.pem */
	char report_parent_url[256];       /* where ours go; "" none */
	char report_parent_apikey_file[CONFIG_PATH_MAX];
	/* alerts (alerts.h, mailer.h) */
	char smtp_url[256];  /* smtp://host:port or smtps://...; "" none */
	char smtp_from[256]; /* From: of alerts and digests */
	char smtp_user[128]; /* "" no AUTH */
	char smtp_password_file[CONFIG_PATH_MAX]; /* mode 0600 */
	char smtp_starttls[8];               /* auto (with a user), yes, no */
	char alert_ca_file[CONFIG_PATH_MAX]; /* trusted for webhooks, SMTP */
	unsigned alert_poll_ms;              /* the sender looks for work */
	unsigned alert_retry_ms;      /* first back-off, doubled each time */
	unsigned alert_retry_max_ms;  /* longest back-off */
	unsigned alert_max_attempts;  /* then the delivery is failed */
	unsigned alert_check_seconds; /* flags, kiosks, reviews, disk */
	unsigned alert_kiosk_offline_minutes;
	unsigned alert_kiosk_backlog; /* ratings in a kiosk's outbox; 0 off */
	unsigned alert_disk_percent;  /* disk use that raises an alert */
};

/* Fill with the defaults (documented in etc/hailong.conf). */
void config_defaults(struct config *c);

/*
 * Set option `key` (the file's spelling, e.g. "rate_limit_per_min") from
 * text.  0, or -1 with err filled ("unknown option", "not a number").
 */
int config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errlen);

/*
 * Read `key = value` lines ('#' starts a comment) from path.  0, or -1
 * with err naming the file and line.
 */
int
config_load_file(struct config *c, const char *path, char *err, size_t errlen);

/*
 * Take the flags in argv that name options (--key value or --key=value,
 * dashes or underscores) and set them; other arguments are left for the
 * caller in the order given (written to rest, *nrest).  A --config FILE
 * flag loads FILE first, so flags override the file.  0 or -1.
 */
int config_from_args(struct config *c, int argc, char **argv, char **rest,
    int *nrest, char *err, size_t errlen);

/* Check values that depend on each other.  0 or -1 with err filled. */
int config_validate(const struct config *c, char *err, size_t errlen);

/*
 * The line of `path` that last sets option `key` (so that an error found
 * by config_validate() can name it), or 0 when the file does not set it
 * or cannot be read.
 */
int config_file_line(const char *path, const char *key);

/* Write every option with its current value, one per line. */
void config_print(const struct config *c, void *file);

#endif
