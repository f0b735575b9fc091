/* cmd_retention.c -- hailong retention: contact data past its time. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/alerts.h"
#include "core/config.h"
#include "core/dblock.h"
#include "core/fold.h"
#include "core/retention.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong retention [--config FILE] [--db FILE] [--days N]\n"
    "                         [--comments redact|delete] [--fold-months N]\n"
    "                         [--dry-run]\n"
    "\n"
    "Erase the phone numbers that may no longer be kept: of callbacks\n"
    "closed N days ago or more (default: the retention_callback_days\n"
    "option, 0: at the first run after closing), and of every callback\n"
    "whose consent is older than its consent text promised (\"at the\n"
    "latest after 90 days\"), open or not.  The comment of each such\n"
    "rating is de-identified (numbers of 9 or more digits masked) or,\n"
    "with 'delete' (option retention_comment), deleted.\n"
    "\n"
    "With --fold-months N (option retention_fold_months; 0, the default,\n"
    "never folds; else at least 13), then fold every whole month older\n"
    "than N months before this one (UTC+07:00) into monthly counts: its\n"
    "ratings are deleted with their comments, callbacks and consents,\n"
    "keeping their counts (every figure, --recompute included, stays the\n"
    "same) and their hash-chain links (verify-chain and the anchors of\n"
    "signed reports still verify).  Kept raw: the low ratings (1-2) of a\n"
    "dossier, which its figures need, and ratings whose callback is still\n"
    "open, until it is closed.  From then on a rating rated in a folded\n"
    "month is refused everywhere.  One transaction per month.\n"
    "\n"
    "--dry-run only counts.  Audited; the hailong-retention.timer unit runs\n"
    "it daily.\n";

static void
print_fold(const struct fold_policy *p, const struct fold_result *r)
{
	char first[8] = "-", last[8] = "-", cutoff[8], horizon[8] = "none";

	if (r->months > 0) {
		month_format(r->first, first);
		month_format(r->last, last);
	}
	month_format(r->cutoff, cutoff);
	if (r->horizon > 0)
		month_format(r->horizon, horizon);
	printf("%sfolded into counts: %lld ratings (%lld valid) in %d "
	       "months, %s to %s, of the months up to %s (older than %u "
	       "months); kept raw: %lld low ratings of dossiers, %lld with a "
	       "callback still open; deleted with them: %lld comments, %lld "
	       "callbacks, %lld consents; ratings rated in %s or before are "
	       "refused\n",
	    p->dry_run ? "dry run, nothing changed: " : "",
	    (long long)r->folded, (long long)r->valid, r->months, first, last,
	    cutoff, p->months, (long long)r->kept, (long long)r->held,
	    (long long)r->texts, (long long)r->callbacks,
	    (long long)r->consents, p->dry_run ? cutoff : horizon);
	log_kv(LOG_INFO, "fold",
	    "months=%d first=%s last=%s folded=%lld valid=%lld kept=%lld "
	    "held=%lld texts=%lld callbacks=%lld consents=%lld horizon=%s "
	    "fold_months=%u dry_run=%d",
	    r->months, first, last, (long long)r->folded, (long long)r->valid,
	    (long long)r->kept, (long long)r->held, (long long)r->texts,
	    (long long)r->callbacks, (long long)r->consents, horizon, p->months,
	    p->dry_run);
}

/* The file keeps its size: freed pages are reused by new rows. */
static void
print_pages(struct db *db)
{
	int64_t pages = 0, free_pages = 0, size = 0;

	if (db_int(db, &pages, "PRAGMA page_count", "") < 0 ||
	    db_int(db, &free_pages, "PRAGMA freelist_count", "") < 0 ||
	    db_int(db, &size, "PRAGMA page_size", "") < 0)
		return;
	printf("database: %lld pages of %lld bytes, %lld of them free (new "
	       "ratings reuse them; VACUUM would shrink the file)\n",
	    (long long)pages, (long long)size, (long long)free_pages);
}

int
cmd_retention(int argc, char **argv)
{
	const char *config = NULL, *dbpath = NULL, *days_s = NULL;
	const char *comments = NULL, *fold_s = NULL;
	bool dry_run = false;
	const struct opt opts[] = {
		{ "config", &config, NULL },
		{ "db", &dbpath, NULL },
		{ "days", &days_s, NULL },
		{ "comments", &comments, NULL },
		{ "fold-months", &fold_s, NULL },
		{ "dry-run", NULL, &dry_run },
		{ NULL, NULL, NULL },
	};
	struct retention_policy pol = { 0 };
	struct retention_result res;
	struct fold_policy fp = { 0 };
	struct fold_result fr;
	struct config cfg;
	struct dblock *lock = NULL;
	struct db *db = NULL;
	char err[768], actor[64];
	int64_t days, fold_months;
	int rc = 1, p;

	p = cli_parse("retention", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (cli_config("retention", config, dbpath, &cfg) < 0)
		return 2;
	days = cfg.retention_callback_days;
	if (days_s != NULL &&
	    parse_int64(days_s, strlen(days_s), 0, 3650, &days) < 0) {
		cli_error("retention",
		    "--days: '%s' is not a number from 0 to 3650", days_s);
		return 2;
	}
	if (comments == NULL)
		comments = cfg.retention_comment;
	if (!str_eq(comments, "redact") && !str_eq(comments, "delete")) {
		cli_error("retention",
		    "--comments: '%s' is not 'redact' or 'delete'", comments);
		return 2;
	}
	fold_months = cfg.retention_fold_months;
	if (fold_s != NULL &&
	    (parse_int64(fold_s, strlen(fold_s), 0, FOLD_MONTHS_MAX,
		 &fold_months) < 0 ||
		(fold_months != 0 && fold_months < FOLD_MONTHS_MIN))) {
		cli_error("retention",
		    "--fold-months: '%s' is not 0 (never fold) or a number "
		    "from %d to %d",
		    fold_s, FOLD_MONTHS_MIN, FOLD_MONTHS_MAX);
		return 2;
	}
	cli_actor(actor, sizeof(actor));
	pol.now = hl_now();
	pol.closed_days = (unsigned)days;
	pol.delete_comments = str_eq(comments, "delete");
	pol.dry_run = dry_run;
	pol.actor = actor;
	lock = dblock_take(cfg.db, DBLOCK_SHARED, err, sizeof(err));
	if (lock == NULL)
		goto fail;
	db = db_open(cfg.db, 0, err, sizeof(err));
	if (db == NULL || retention_run(db, &pol, &res, err, sizeof(err)) < 0)
		goto fail;
	printf("%sphone numbers erased: %lld (callback closed %lld+ days "
	       "ago: %lld; consent's retention passed: %lld); comments %s: "
	       "%lld\n",
	    dry_run ? "dry run, nothing changed: " : "",
	    (long long)res.closed + (long long)res.expired, (long long)days,
	    (long long)res.closed, (long long)res.expired,
	    pol.delete_comments ? "deleted" : "de-identified",
	    (long long)res.comments);
	log_kv(LOG_INFO, "retention",
	    "phones=%lld closed=%lld expired=%lld comments=%lld mode=%s "
	    "days=%lld dry_run=%d",
	    (long long)res.closed + (long long)res.expired,
	    (long long)res.closed, (long long)res.expired,
	    (long long)res.comments, comments, (long long)days, dry_run);
	if (fold_months > 0) {
		fp.now = pol.now;
		fp.months = (unsigned)fold_months;
		fp.dry_run = dry_run;
		fp.actor = actor;
		if (fold_run(db, &fp, &fr, err, sizeof(err)) < 0)
			goto fail;
		print_fold(&fp, &fr);
		if (!dry_run)
			print_pages(db);
	}
	rc = 0;
	goto out;
fail:
	cli_error("retention", "%s", err);
	log_msg(LOG_ERROR, "retention", "failed: %s", err);
	db_close(db);
	db = NULL;
	alerts_check_failed_at(cfg.db, "retention", err);
out:
	db_close(db);
	dblock_release(lock);
	return rc;
}
