/* cmd_backup.c -- hailong backup: an online copy of the database. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hailong/db.h"
#include "hailong/hltime.h"
#include "hailong/log.h"
#include "hailong/util.h"
#include "core/alerts.h"
#include "core/backup.h"
#include "core/config.h"
#include "core/dblock.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: hailong backup [--config FILE] [--db FILE] --out FILE\n"
    "       hailong backup [--config FILE] [--db FILE] [--dir DIR] "
    "[--keep N]\n"
    "\n"
    "Copy the database while the server runs (SQLite's online backup),\n"
    "check the copy, and put it at FILE (which must not exist), mode 0600.\n"
    "Without --out the copy goes into DIR (default: the backup_dir\n"
    "option, /var/backups/hailong) as hailong-YYYYMMDD-HHMMSS.db, and\n"
    "the oldest copies there are deleted so that N remain (default: the\n"
    "backup_keep option, 14).  A successful backup is recorded in the\n"
    "database and shown by GET /metrics.  The hailong-backup.timer unit\n"
    "runs this every night.  Restore with 'hailong restore'.\n";

int
cmd_backup(int argc, char **argv)
{
	const char *config = NULL, *dbpath = NULL, *out = NULL, *dir = NULL;
	const char *keep_s = NULL;
	const struct opt opts[] = {
		{ "config", &config, NULL },
		{ "db", &dbpath, NULL },
		{ "out", &out, NULL },
		{ "dir", &dir, NULL },
		{ "keep", &keep_s, NULL },
		{ NULL, NULL, NULL },
	};
	struct config cfg;
	struct dblock *lock = NULL;
	struct db *db = NULL;
	char err[768], dest[CONFIG_PATH_MAX + 64], name[128];
	int64_t keep, bytes = 0, t0 = hl_mono_ms();
	int rc = 1, p, deleted = 0;

	p = cli_parse("backup", usage, argc, argv, opts, NULL, 0, NULL);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (cli_config("backup", config, dbpath, &cfg) < 0)
		return 2;
	if (out != NULL && (dir != NULL || keep_s != NULL)) {
		cli_error("backup",
		    "--out makes one copy; --dir and --keep "
		    "are for the rotated copies");
		return 2;
	}
	keep = cfg.backup_keep;
	if (keep_s != NULL &&
	    parse_int64(keep_s, strlen(keep_s), 1, 10000, &keep) < 0) {
		cli_error("backup",
		    "--keep: '%s' is not a number from 1 to "
		    "10000",
		    keep_s);
		return 2;
	}
	if (dir == NULL)
		dir = cfg.backup_dir;
	/* copies hold keys and phone numbers: private from the start */
	umask(077);
	if (out == NULL) {
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			cli_error("backup", "cannot create '%s': %s", dir,
			    strerror(errno));
			return 1;
		}
		/* two backups in one second: the second takes the next name */
		for (int64_t t = hl_now(), i = 0; i < 60; i++) {
			backup_name(dir, t + i, dest, sizeof(dest));
			if (access(dest, F_OK) != 0)
				break;
		}
		out = dest;
	}
	lock = dblock_take(cfg.db, DBLOCK_SHARED, err, sizeof(err));
	if (lock == NULL)
		goto fail;
	/* no migration: a backup copies the file as it is */
	db = db_open(cfg.db, 0, err, sizeof(err));
	if (db == NULL)
		goto fail;
	if (backup_make(db, out, &bytes, err, sizeof(err)) < 0)
		goto fail;
	if (out == dest &&
	    backup_rotate(dir, (unsigned)keep, &deleted, err, sizeof(err)) < 0)
		goto fail;
	printf("backup: %s (%lld bytes)\n", out, (long long)bytes);
	if (deleted > 0)
		printf("rotation: %d older backup%s deleted, %lld kept\n",
		    deleted, deleted == 1 ? "" : "s", (long long)keep);
	log_kv(LOG_INFO, "backup", "file=%s bytes=%lld ms=%lld deleted=%d",
	    backup_log_name(out, name, sizeof(name)), (long long)bytes,
	    (long long)(hl_mono_ms() - t0), deleted);
	rc = 0;
	goto done;
fail:
	cli_error("backup", "%s", err);
	log_msg(LOG_ERROR, "backup", "failed: %s", err);
	db_close(db);
	db = NULL;
	alerts_check_failed_at(cfg.db, "backup", err);
done:
	db_close(db);
	dblock_release(lock);
	return rc;
}
