/* cmd_alert.c -- hailong alert add|list|remove|test|email: who is told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/fileio.h"
#include "hailong/util.h"
#include "core/alerts.h"
#include "core/config.h"
#include "core/store.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong alert add --db FILE --unit CODE\n"
    "                 (--user NAME | --email ADDRESS |\n"
    "                  --webhook URL --secret-file FILE)\n"
    "                 [--events LIST] [--digest HOUR [--weekly]]\n"
    "                 [--role ROLE]\n"
    "       hailong alert list --db FILE\n"
    "       hailong alert remove --db FILE ID\n"
    "       hailong alert email --db FILE --user NAME --email ADDRESS\n"
    "       hailong alert test [--config FILE] --to ADDRESS\n"
    "\n"
    "Alerts tell people what needs them without opening the console:\n"
    "a low rating with a callback asked for, a flag raised or cleared,\n"
    "a review overdue, a kiosk silent or with a full outbox, a failed\n"
    "backup, retention run or chain check, a nearly full disk.\n"
    "\n"
    "add: subscribe a staff account (its e-mail address, set with\n"
    "'alert email'; its role decides what it may read), a bare address,\n"
    "or a webhook (an HTTPS POST of each event as JSON, signed with\n"
    "HMAC-SHA256 of the secret read from FILE: header X-Hailong-\n"
    "Signature 'sha256=HEX', X-Hailong-Idempotency-Key, X-Hailong-\n"
    "Timestamp) to the events of the unit CODE and the units below it.\n"
    "--events: 'all' (the default) or a comma-separated list of\n"
    "callback, flag_raised, flag_cleared, review_overdue, kiosk_offline,\n"
    "kiosk_online, kiosk_backlog, check_failed, disk_full,\n"
    "report_missing.  --digest\n"
    "HOUR: instead of each event at once, one e-mail a day at HOUR\n"
    "(0-23, Asia/Ho_Chi_Minh) with what changed, the procedures to\n"
    "watch, callbacks and reviews waiting, and the kiosks' health;\n"
    "with --weekly, one on Mondays about the week.\n"
    "--role (address or webhook only; default viewer): what it may\n"
    "read; phone numbers go only to admin and manager.\n"
    "\n"
    "test: send one test e-mail now through smtp_url of the\n"
    "configuration (default /etc/hailong/hailong.conf).  Exits 0 when\n"
    "the mail server accepted it, 1 with the server's answer if not.\n";

#define CONFIG_DEFAULT_PATH "/etc/hailong/hailong.conf"

static int
alert_test(const char *config, const char *to)
{
	struct config c;
	char err[1024];

	if (to == NULL) {
		cli_error("alert", "test needs --to ADDRESS");
		return 2;
	}
	if (cli_config(
		"alert", config ? config : CONFIG_DEFAULT_PATH, NULL, &c) < 0)
		return 2;
	if (alerts_send_test(&c, to, err, sizeof(err)) < 0) {
		fprintf(stderr, "hailong alert: not sent: %s\n", err);
		return 1;
	}
	printf("sent: the mail server accepted the test e-mail to %s\n", to);
	return 0;
}

static void
list(const struct alert_sub *v, size_t n)
{
	printf("%-4s %-12s %-6s %-7s %-24s %s\n", "ID", "UNIT", "MODE", "KIND",
	    "TO", "EVENTS");
	for (size_t i = 0; i < n; i++) {
		char mode[16];

		if (strcmp(v[i].mode, "digest") == 0)
			snprintf(
			    mode, sizeof(mode), "%02d:00", v[i].digest_hour);
		else if (strcmp(v[i].mode, "weekly") == 0)
			snprintf(
			    mode, sizeof(mode), "Mon%02d", v[i].digest_hour);
		else
			strcpy(mode, "now");
		printf("%-4lld %-12s %-6s %-7s %-24s %s\n", (long long)v[i].id,
		    v[i].unit, mode,
		    v[i].username[0]    ? "account"
			: v[i].email[0] ? "e-mail"
					: "webhook",
		    v[i].username[0]    ? v[i].username
			: v[i].email[0] ? v[i].email
					: v[i].webhook_url,
		    v[i].events);
	}
}

int
cmd_alert(int argc, char **argv)
{
	const char *path = NULL, *unit = NULL, *user = NULL, *email = NULL;
	const char *webhook = NULL, *secret_file = NULL, *events = NULL;
	const char *digest = NULL, *role = NULL, *config = NULL, *to = NULL;
	const char *pos[2];
	bool weekly = false;
	const struct opt opts[] = {
		{ "db", &path, NULL },
		{ "unit", &unit, NULL },
		{ "user", &user, NULL },
		{ "email", &email, NULL },
		{ "webhook", &webhook, NULL },
		{ "secret-file", &secret_file, NULL },
		{ "events", &events, NULL },
		{ "digest", &digest, NULL },
		{ "role", &role, NULL },
		{ "config", &config, NULL },
		{ "to", &to, NULL },
		{ "weekly", NULL, &weekly },
		{ NULL, NULL, NULL },
	};
	char err[768], actor[64];
	struct db *db = NULL;
	int rc = 1, p, npos = 0;

	p = cli_parse("alert", usage, argc, argv, opts, pos, 2, &npos);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (npos >= 1 && strcmp(pos[0], "test") == 0 && npos == 1)
		return alert_test(config, to);
	if (npos < 1 || path == NULL ||
	    (strcmp(pos[0], "add") != 0 && strcmp(pos[0], "list") != 0 &&
		strcmp(pos[0], "remove") != 0 &&
		strcmp(pos[0], "email") != 0)) {
		cli_error("alert",
		    "usage: hailong alert add|list|remove|email --db FILE ..., "
		    "or hailong alert test --to ADDRESS; see 'hailong alert "
		    "--help'");
		return 2;
	}
	if ((strcmp(pos[0], "remove") == 0) != (npos == 2)) {
		cli_error("alert",
		    "remove needs the subscription's ID (see 'hailong alert "
		    "list'); the others take none");
		return 2;
	}
	db = store_open(path, 0, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "hailong alert: %s\n", err);
		return 1;
	}
	cli_actor(actor, sizeof(actor));
	if (strcmp(pos[0], "add") == 0) {
		struct alert_sub s;
		int64_t hour;

		alert_sub_init(&s);
		if (unit == NULL) {
			cli_error("alert", "add needs --unit CODE");
			rc = 2;
			goto out;
		}
		if ((webhook != NULL) != (secret_file != NULL)) {
			cli_error(
			    "alert", "--webhook and --secret-file go together");
			rc = 2;
			goto out;
		}
		strlcpy_hl(s.unit, unit, sizeof(s.unit));
		if (user)
			strlcpy_hl(s.username, user, sizeof(s.username));
		if (email)
			strlcpy_hl(s.email, email, sizeof(s.email));
		if (webhook) {
			size_t len = 0;
			char *sec =
			    file_read(secret_file, sizeof(s.webhook_secret) - 1,
				&len, err, sizeof(err));

			if (sec == NULL) {
				fprintf(stderr, "hailong alert: %s\n", err);
				goto out;
			}
			while (len > 0 &&
			    (sec[len - 1] == '\n' || sec[len - 1] == '\r'))
				len--;
			memcpy(s.webhook_secret, sec, len);
			s.webhook_secret[len] = '\0';
			free(sec);
			strlcpy_hl(
			    s.webhook_url, webhook, sizeof(s.webhook_url));
		}
		if (events)
			strlcpy_hl(s.events, events, sizeof(s.events));
		if (role)
			strlcpy_hl(s.role, role, sizeof(s.role));
		if (digest != NULL) {
			if (parse_int64(digest, strlen(digest), 0, 23, &hour) <
			    0) {
				cli_error("alert",
				    "--digest: '%s' is not an hour from 0 "
				    "to 23",
				    digest);
				rc = 2;
				goto out;
			}
			snprintf(s.mode, sizeof(s.mode), "%s",
			    weekly ? "weekly" : "digest");
			s.digest_hour = (int)hour;
		} else if (weekly) {
			cli_error("alert", "--weekly goes with --digest HOUR");
			rc = 2;
			goto out;
		}
		if (role != NULL && user != NULL) {
			cli_error("alert",
			    "--role is for an address or a webhook; an "
			    "account has its own role");
			rc = 2;
			goto out;
		}
		if (alerts_sub_add(db, &s, NULL, actor, err, sizeof(err)) < 0) {
			fprintf(stderr, "hailong alert: %s\n", err);
			goto out;
		}
		printf("subscription %lld added\n", (long long)s.id);
	} else if (strcmp(pos[0], "list") == 0) {
		struct alert_sub *v;
		size_t n;

		if (alerts_sub_list(db, NULL, &v, &n) < 0) {
			fprintf(stderr, "hailong alert: %s\n", db_errmsg(db));
			goto out;
		}
		list(v, n);
		free(v);
	} else if (strcmp(pos[0], "email") == 0) {
		int r;

		if (user == NULL || email == NULL) {
			cli_error("alert",
			    "email needs --user NAME and "
			    "--email ADDRESS ('' clears it)");
			rc = 2;
			goto out;
		}
		r = alerts_user_email(db, user, email, actor, err, sizeof(err));
		if (r != 0) {
			fprintf(stderr, "hailong alert: %s\n",
			    r > 0 ? "no such account" : err);
			goto out;
		}
		printf("account %s: e-mail %s\n", user,
		    email[0] ? email : "cleared");
	} else {
		int64_t id;
		int r;

		if (parse_int64(pos[1], strlen(pos[1]), 1, INT64_MAX, &id) <
		    0) {
			cli_error(
			    "alert", "'%s' is not a subscription id", pos[1]);
			rc = 2;
			goto out;
		}
		r = alerts_sub_remove(db, id, NULL, actor);
		if (r != 0) {
			fprintf(stderr, "hailong alert: %s\n",
			    r > 0 ? "no such subscription" : db_errmsg(db));
			goto out;
		}
		printf("subscription %lld removed\n", (long long)id);
	}
	rc = 0;
out:
	db_close(db);
	return rc;
}
