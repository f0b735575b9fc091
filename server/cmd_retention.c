/* cmd_retention.c -- hailong retention: contact data past its time. */
#include <stdio.h>
#include <string.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "cli.h"
#include "config.h"
#include "dblock.h"
#include "retention.h"

static const char usage[] =
    "usage: hailong retention [--config FILE] [--db FILE] [--days N]\n"
    "                         [--comments redact|delete] [--dry-run]\n"
    "\n"
    "Erase the phone numbers that may no longer be kept: of callbacks\n"
    "closed N days ago or more (default: the retention_callback_days\n"
    "option, 0: at the first run after closing), and of every callback\n"
    "whose consent is older than its consent text promised (\"at the\n"
    "latest after 90 days\"), open or not.  The comment of each such\n"
    "rating is de-identified (numbers of 9 or more digits masked) or,\n"
    "with 'delete' (option retention_comment), deleted.  --dry-run only\n"
    "counts.  Audited; the hailong-retention.timer unit runs it daily.\n";

int
cmd_retention(int argc, char **argv)
{
	const char *config = NULL, *dbpath = NULL, *days_s = NULL;
	const char *comments = NULL;
	bool dry_run = false;
	const struct cli_opt opts[] = {
		{ "config", &config, NULL },
		{ "db", &dbpath, NULL },
		{ "days", &days_s, NULL },
		{ "comments", &comments, NULL },
		{ "dry-run", NULL, &dry_run },
		{ NULL, NULL, NULL },
	};
	struct retention_policy pol = { 0 };
	struct retention_result res;
	struct config cfg;
	struct dblock *lock = NULL;
	struct db *db = NULL;
	char err[768], actor[64];
	int64_t days;
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
	rc = 0;
	goto out;
fail:
	cli_error("retention", "%s", err);
	log_msg(LOG_ERROR, "retention", "failed: %s", err);
out:
	db_close(db);
	dblock_release(lock);
	return rc;
}
