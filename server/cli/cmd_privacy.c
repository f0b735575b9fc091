/* cmd_privacy.c -- hailong privacy find|erase: a citizen's request. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/text.h"
#include "hailong/util.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/dblock.h"
#include "core/privacy.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong privacy find [--config FILE] [--db FILE] --phone NUMBER\n"
    "       hailong privacy erase [--config FILE] [--db FILE] --phone "
    "NUMBER\n"
    "\n"
    "A citizen's request about their phone number (Law 91/2025 on\n"
    "personal data: answer within 2 working days, erase within 15).\n"
    "NUMBER is 0xxxxxxxxx or +84xxxxxxxxx, spaces and dots allowed; '-'\n"
    "reads it from the standard input, to keep it out of the shell\n"
    "history.\n"
    "\n"
    "find: every rating that holds the number -- as a callback (its\n"
    "consent, when it was given, whether it was withdrawn) or written in\n"
    "a comment -- with dates.\n"
    "erase: the number is erased from every callback, their consents are\n"
    "recorded as withdrawn, and every comment holding it has its numbers\n"
    "masked.  Copies in backups go as the backups rotate (backup_keep\n"
    "days).\n"
    "\n"
    "Both are written to the audit log with a keyed hash of the number\n"
    "and the counts, never the number itself.\n";

/* "09******78": enough to read back to the citizen, not to log. */
static void
masked(const char *phone, char out[11])
{
	memcpy(out, phone, 11);
	for (int i = 2; i < 8; i++)
		out[i] = '*';
}

/* Comments are citizens' text: no control bytes reach the terminal. */
static void
print_text(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
	putchar('"');
}

static void
print_found(const char *phone, const struct privacy_found *f)
{
	char m[11], when[17];

	masked(phone, m);
	if (f->n == 0) {
		printf("%s: nothing is held about this number\n", m);
		return;
	}
	printf("%s: %zu rating%s hold%s it\n", m, f->n, f->n == 1 ? "" : "s",
	    f->n == 1 ? "s" : "");
	for (size_t i = 0; i < f->n; i++) {
		const struct privacy_record *r = &f->rec[i];

		datetime_vn(r->rated_at, when);
		printf("rating %lld: unit %s, %s, rated %s, level %d\n",
		    (long long)r->seq, r->unit, r->channel, when, r->level);
		if (r->callback) {
			datetime_vn(r->consent_at, when);
			printf("  callback requested: consent (text version "
			       "%d) given %s",
			    r->consent_version, when);
			if (r->withdrawn_at > 0) {
				datetime_vn(r->withdrawn_at, when);
				printf(", withdrawn %s", when);
			}
			printf("; callback %s", r->status);
			if (r->closed_at > 0) {
				datetime_vn(r->closed_at, when);
				printf(" %s", when);
			}
			putchar('\n');
		}
		if (r->comment != NULL) {
			printf("  comment%s: ",
			    r->comment_has_phone ? " (holds the number)" : "");
			print_text(r->comment);
			putchar('\n');
		}
	}
}

/* --phone: a number, or '-' for one line of stdin. */
static int
read_phone(const char *arg, char phone[11])
{
	char line[64];

	if (str_eq(arg, "-")) {
		if (fgets(line, sizeof(line), stdin) == NULL)
			return -1;
		line[strcspn(line, "\r\n")] = '\0';
		arg = line;
	}
	return strlen(arg) <= 32 && phone_normalize(arg, strlen(arg), phone)
	    ? 0
	    : -1;
}

int
cmd_privacy(int argc, char **argv)
{
	const char *config = NULL, *dbpath = NULL, *phone_arg = NULL;
	const struct opt opts[] = {
		{ "config", &config, NULL },
		{ "db", &dbpath, NULL },
		{ "phone", &phone_arg, NULL },
		{ NULL, NULL, NULL },
	};
	struct privacy_found found = { 0 };
	struct privacy_erased erased;
	struct config cfg;
	struct dblock *lock = NULL;
	struct db *db = NULL;
	char err[768], actor[64], phone[11], tag[24], detail[64];
	const char *verb = argc >= 2 ? argv[1] : "";
	bool erase = str_eq(verb, "erase");
	int rc = 1, p;

	if (!erase && !str_eq(verb, "find")) {
		if (str_eq(verb, "--help") || str_eq(verb, "-h")) {
			fputs(usage, stdout);
			return 0;
		}
		fputs(usage, stderr);
		return 2;
	}
	p = cli_parse(erase ? "privacy erase" : "privacy find", usage, argc - 1,
	    argv + 1, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (phone_arg == NULL) {
		cli_error("privacy", "--phone NUMBER is required");
		return 2;
	}
	if (read_phone(phone_arg, phone) < 0) {
		/* never echo the number back: it goes to logs and terminals */
		cli_error("privacy",
		    "--phone: not a Vietnamese phone number (0 and 9 "
		    "digits, or +84 and 9 digits)");
		return 2;
	}
	if (cli_config("privacy", config, dbpath, &cfg) < 0)
		return 2;
	cli_actor(actor, sizeof(actor));
	lock = dblock_take(cfg.db, DBLOCK_SHARED, err, sizeof(err));
	if (lock == NULL)
		goto fail;
	db = db_open(cfg.db, 0, err, sizeof(err));
	if (db == NULL)
		goto fail;
	if (erase) {
		if (privacy_erase(db, phone, actor, hl_now(), &erased, err,
			sizeof(err)) < 0 ||
		    privacy_tag(db, phone, tag) < 0)
			goto fail;
		printf("erased: the number from %lld callback%s (%lld "
		       "consent%s recorded as withdrawn); %lld comment%s "
		       "de-identified\n",
		    (long long)erased.callbacks,
		    erased.callbacks == 1 ? "" : "s",
		    (long long)erased.consents, erased.consents == 1 ? "" : "s",
		    (long long)erased.comments,
		    erased.comments == 1 ? "" : "s");
		printf("copies in backups go as the backups rotate (%u kept)\n",
		    cfg.backup_keep);
		log_kv(LOG_INFO, "privacy",
		    "action=erase subject=%s "
		    "callbacks=%lld consents=%lld "
		    "comments=%lld",
		    tag, (long long)erased.callbacks,
		    (long long)erased.consents, (long long)erased.comments);
	} else {
		if (privacy_find(db, phone, &found) < 0 ||
		    privacy_tag(db, phone, tag) < 0)
			goto dberr;
		snprintf(detail, sizeof(detail), "{\"ratings\":%zu}", found.n);
		if (audit_append(db, actor, "privacy.find", tag, detail) < 0)
			goto dberr;
		print_found(phone, &found);
		log_kv(LOG_INFO, "privacy",
		    "action=find subject=%s ratings=%zu", tag, found.n);
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, sizeof(err), "%s", db_errmsg(db));
fail:
	cli_error("privacy", "%s", err);
out:
	privacy_found_release(&found);
	db_close(db);
	dblock_release(lock);
	return rc;
}
